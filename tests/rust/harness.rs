// A test binary built with `rustc --test`: the harness runs its tests on
// several threads, each thread with std's guard-paged signal stack. One test
// frees the tail of its mapping: under policy miri that is the one report.
use std::ffi::c_void;

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> i32;
}

const PROT_READ_WRITE: i32 = 0x1 | 0x2;
const MAP_PRIVATE_ANONYMOUS: i32 = 0x02 | 0x20;
const PAGE: usize = 4096;

fn map(len: usize) -> *mut u8 {
    let p = unsafe { mmap(std::ptr::null_mut(), len, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0) };
    assert_ne!(p as isize, -1, "mmap failed");
    p.cast()
}

fn unmap(p: *mut u8, len: usize) -> i32 {
    unsafe { munmap(p.cast(), len) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_unmap() {
        let p = map(2 * PAGE);
        unsafe { p.write_bytes(7, 2 * PAGE) };
        assert_eq!(unmap(p, 2 * PAGE), 0);
    }

    #[test]
    fn threads_map_and_unmap() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| unmap(map(PAGE), PAGE)))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), 0);
        }
    }

    #[test]
    fn collections() {
        let v: Vec<u64> = (0..200_000).collect();
        let m: std::collections::HashMap<u64, u64> = v.iter().map(|&x| (x, x * 2)).collect();
        assert_eq!(m[&199_999], 399_998);
    }

    #[test]
    fn trims_tail() {
        let p = map(2 * PAGE);
        let tail = unsafe { p.add(PAGE) };
        let r = unsafe { munmap(tail.cast(), PAGE) }; // MAPSAN-PARTIAL-UNMAP
        assert_eq!(r, 0);
        assert_eq!(unmap(p, PAGE), 0);
    }
}

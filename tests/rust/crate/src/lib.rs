//! `cargo test` with mapsan as the target runner: every test binary runs
//! under the launcher. No dependencies, so it builds offline.
use std::ffi::c_void;

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> i32;
}

const PAGE: usize = 4096;

/// Maps `pages` pages and frees the first `freed` of them.
pub fn map_then_free(pages: usize, freed: usize) -> i32 {
    let len = pages * PAGE;
    let p = unsafe { mmap(std::ptr::null_mut(), len, 0x3, 0x22, -1, 0) };
    assert_ne!(p as isize, -1);
    let r = unsafe { munmap(p, freed * PAGE) };
    if freed < pages {
        unsafe { munmap(p.cast::<u8>().add(freed * PAGE).cast(), len - freed * PAGE) };
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_under_mapsan() {
        let preload = std::env::var("LD_PRELOAD").unwrap_or_default();
        assert!(preload.contains("libmapsan"), "LD_PRELOAD is {:?}", preload);
    }

    #[test]
    fn whole_unmap() {
        assert_eq!(map_then_free(2, 2), 0);
    }

    #[test]
    fn partial_unmap() {
        if std::env::var_os("MAPSAN_CARGO_BUG").is_some() {
            assert_eq!(map_then_free(2, 1), 0);
        }
    }
}

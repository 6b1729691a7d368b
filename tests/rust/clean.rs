// Ordinary Rust: threads, channels, collections, a panic caught with its
// backtrace printed, and a child process. Rust std maps signal stacks and
// reads its own debug info through mmap; mapsan's default suppressions keep
// those out, so the run is clean under policy miri.
use std::process::Command;
use std::sync::mpsc;
use std::thread;

fn workers() -> u64 {
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = (0..4u64)
        .map(|i| {
            let tx = tx.clone();
            thread::spawn(move || {
                let v: Vec<u64> = (0..50_000).map(|x| x * i).collect();
                tx.send(v.iter().sum::<u64>()).unwrap();
            })
        })
        .collect();
    drop(tx);
    for h in handles {
        h.join().unwrap();
    }
    rx.iter().sum()
}

fn caught_panic() -> bool {
    thread::spawn(|| panic!("expected panic")).join().is_err()
}

fn child() -> String {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe).arg("child").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("child") {
        println!("child {}", workers());
        return;
    }
    println!("sum {}", workers());
    println!("panic caught {}", caught_panic());
    print!("{}", child());
}

// Rust std maps a signal stack with a guard page for every thread it runs;
// mapsan's default suppressions keep those out of the reports.
use std::thread;

fn main() {
    let handles: Vec<_> = (0..2u64).map(|i| thread::spawn(move || i * 21)).collect();
    let sum: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("sum {}", sum);
}

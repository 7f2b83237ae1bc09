// The core benchmark's cases in Rust's std, so rustyc's figures sit beside
// the language the lessons come from.  Built by bench/run-core.sh when
// rustc is on the machine; prints `case=NAME peer=rust_std ...` lines.
// Honours CASES, BENCH_SCALE and BENCH_REPEAT (best of N) like bench_core.
use std::env;
use std::sync::{mpsc, Arc, Barrier, Mutex};
use std::thread;
use std::time::Instant;

fn report(name: &str, ops: u64, secs: f64) {
    println!(
        "case={} peer=rust_std ops={} secs={:.4} mops_per_s={:.3}",
        name, ops, secs, ops as f64 / secs / 1e6
    );
}

fn chan(cap: Option<usize>, producers: u64, total: u64) -> f64 {
    let per = total / producers;
    let start = Instant::now();
    let mut sum = 0u64;
    match cap {
        None => {
            let (tx, rx) = mpsc::channel::<u64>();
            let hs: Vec<_> = (0..producers)
                .map(|_| {
                    let tx = tx.clone();
                    thread::spawn(move || for i in 0..per { tx.send(i).unwrap(); })
                })
                .collect();
            drop(tx);
            for v in rx { sum = sum.wrapping_add(v); }
            for h in hs { h.join().unwrap(); }
        }
        Some(n) => {
            let (tx, rx) = mpsc::sync_channel::<u64>(n);
            let hs: Vec<_> = (0..producers)
                .map(|_| {
                    let tx = tx.clone();
                    thread::spawn(move || for i in 0..per { tx.send(i).unwrap(); })
                })
                .collect();
            drop(tx);
            for v in rx { sum = sum.wrapping_add(v); }
            for h in hs { h.join().unwrap(); }
        }
    }
    assert!(sum > 0 || total <= producers);
    start.elapsed().as_secs_f64()
}

fn pingpong(rounds: u64) -> f64 {
    let (tx1, rx1) = mpsc::sync_channel::<u64>(0);
    let (tx2, rx2) = mpsc::sync_channel::<u64>(0);
    let start = Instant::now();
    let h = thread::spawn(move || for _ in 0..rounds { let v = rx1.recv().unwrap(); tx2.send(v + 1).unwrap(); });
    let mut v = 0;
    for _ in 0..rounds { tx1.send(v).unwrap(); v = rx2.recv().unwrap(); }
    h.join().unwrap();
    assert_eq!(v, rounds);
    start.elapsed().as_secs_f64()
}

fn barrier(threads: usize, rounds: u64) -> f64 {
    let b = Arc::new(Barrier::new(threads));
    let start = Instant::now();
    let hs: Vec<_> = (1..threads)
        .map(|_| { let b = b.clone(); thread::spawn(move || for _ in 0..rounds { b.wait(); }) })
        .collect();
    for _ in 0..rounds { b.wait(); }
    for h in hs { h.join().unwrap(); }
    start.elapsed().as_secs_f64()
}

fn mutex(threads: u64, total: u64) -> f64 {
    let m = Arc::new(Mutex::new(0u64));
    let per = total / threads;
    let start = Instant::now();
    let hs: Vec<_> = (0..threads)
        .map(|_| { let m = m.clone(); thread::spawn(move || for _ in 0..per { *m.lock().unwrap() += 1; }) })
        .collect();
    for h in hs { h.join().unwrap(); }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(*m.lock().unwrap(), per * threads);
    secs
}

fn spawn_join(n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n { thread::spawn(|| ()).join().unwrap(); }
    start.elapsed().as_secs_f64()
}

fn main() {
    let scale: f64 = env::var("BENCH_SCALE").ok().and_then(|s| s.parse().ok()).filter(|&s: &f64| s > 0.0).unwrap_or(1.0);
    let cases = env::var("CASES").unwrap_or_default();
    let wanted = |n: &str| cases.trim().is_empty() || cases.split(|c| c == ' ' || c == ',').any(|c| c == n);
    let repeat: usize = env::var("BENCH_REPEAT").ok().and_then(|s| s.parse().ok()).filter(|&r| r > 0).unwrap_or(3);
    let sc = |n: u64, t: u64| { let v = ((n as f64 * scale) as u64).max(1); (v / t).max(1) * t };
    let table: Vec<(&str, Box<dyn Fn(u64) -> f64>, u64, u64)> = vec![
        ("mpsc_1p", Box::new(|n| chan(None, 1, n)), 10_000_000, 1),
        ("mpsc_4p", Box::new(|n| chan(None, 4, n)), 10_000_000, 4),
        ("sync1024_1p", Box::new(|n| chan(Some(1024), 1, n)), 10_000_000, 1),
        ("sync1024_4p", Box::new(|n| chan(Some(1024), 4, n)), 10_000_000, 4),
        ("sync1_1p", Box::new(|n| chan(Some(1), 1, n)), 200_000, 1),
        ("sync1_4p", Box::new(|n| chan(Some(1), 4, n)), 200_000, 4),
        ("sync0_1p", Box::new(|n| chan(Some(0), 1, n)), 50_000, 1),
        ("pingpong_rendezvous", Box::new(pingpong), 50_000, 1),
        ("barrier_2t", Box::new(|n| barrier(2, n)), 50_000, 1),
        ("barrier_4t", Box::new(|n| barrier(4, n)), 30_000, 1),
        ("mutex_2t", Box::new(|n| mutex(2, n)), 10_000_000, 2),
        ("mutex_4t", Box::new(|n| mutex(4, n)), 10_000_000, 4),
        ("spawn_join", Box::new(spawn_join), 10_000, 1),
    ];
    for (name, f, n, t) in table {
        if !wanted(name) { continue; }
        let ops = sc(n, t);
        let best = (0..repeat).map(|_| f(ops)).fold(f64::INFINITY, f64::min);
        report(name, ops, best);
    }
}

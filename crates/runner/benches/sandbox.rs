//! Sandbox benchmarks, against spawning `bash -c true` in the same run.
//!
//! divan measures a cold start (VFS fork, sandbox, instantiate, call the trivial agent
//! and teardown) and the `bash -c true` spawn. Before divan runs, a report prints the
//! cold-start p50/p99 over 20,000 runs, sandboxes per second on all cores, and host
//! memory per live idle sandbox.
//!
//! `cargo bench -p runner --bench sandbox`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{Program, Runner, Sandbox};
use vfs_core::Snapshot;

fn main() {
    report();
    divan::main();
}

fn setup() -> (Program, Snapshot) {
    let runner = Runner::shared().expect("runner");
    let program = runner
        .load(&agentsh_guests::bytes("trivial").expect("trivial guest"))
        .expect("load");
    let template = runner::fresh_vfs();
    template.create_dir_all("/data", 0o755).expect("mkdir");
    for i in 0..100 {
        template
            .write(format!("/data/f{i}.txt"), vec![b'x'; 1024])
            .expect("write");
    }
    (program, template.snapshot())
}

fn cold_start(program: &Program, snap: &Snapshot) {
    let sb = Sandbox::builder().vfs(snap.fork()).build();
    let out = sb.run(program, "ping");
    assert!(out.result.is_ok());
}

#[divan::bench(sample_count = 2000)]
fn sandbox_cold_start(b: divan::Bencher) {
    let (program, snap) = setup();
    b.bench_local(|| cold_start(&program, &snap));
}

#[divan::bench(sample_count = 200)]
fn bash_c_true(b: divan::Bencher) {
    b.bench_local(|| {
        let st = std::process::Command::new("bash")
            .args(["-c", "true"])
            .status()
            .expect("bash");
        assert!(st.success());
    });
}

fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn report() {
    let (program, snap) = setup();
    for _ in 0..1000 {
        cold_start(&program, &snap);
    }
    // Latency distribution.
    let mut samples: Vec<Duration> = (0..20_000)
        .map(|_| {
            let t = Instant::now();
            cold_start(&program, &snap);
            t.elapsed()
        })
        .collect();
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    // Throughput on every core.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = 20_000;
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    cold_start(&program, &snap);
                }
            });
        }
    });
    let per_sec = (threads * per_thread) as f64 / t.elapsed().as_secs_f64();
    // Memory per live idle sandbox (a VFS fork with one file of its own, its settings).
    let n = 10_000;
    let before = rss();
    let live: Vec<Sandbox> = (0..n)
        .map(|i| {
            let sb = Sandbox::builder().vfs(snap.fork()).build();
            sb.vfs()
                .write("/data/own.txt", format!("{i}"))
                .expect("write");
            sb
        })
        .collect();
    let per_idle = rss().saturating_sub(before) / n as u64;
    drop(live);
    // bash -c true, the same run.
    let bash: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let _ = std::process::Command::new("bash")
                .args(["-c", "true"])
                .status();
            t.elapsed()
        })
        .collect();
    let mut bash = bash;
    bash.sort();
    let bash_p50 = bash[bash.len() / 2];
    println!("sandbox cold start (fork + instantiate + call + teardown), 20,000 runs:");
    println!(
        "  p50 {:?}  p99 {:?}  max {:?}",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    println!("  {per_sec:.0} sandboxes/s on {threads} threads");
    println!("  host memory per live idle sandbox: {} bytes", per_idle);
    println!(
        "  bash -c true p50 {:?}: sandbox p50 is {:.1}x faster",
        bash_p50,
        bash_p50.as_secs_f64() / pct(0.50).as_secs_f64()
    );
}

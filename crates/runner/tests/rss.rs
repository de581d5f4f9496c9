//! Host memory returns to its baseline after 10,000 sandbox runs: stores, instances, VFS
//! forks and captured output are all released when a run and its sandbox end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use runner::{Runner, Sandbox};

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn rss_returns_to_baseline_after_10000_runs() {
    let runner = Runner::shared().unwrap();
    let program = runner
        .load(&agentsh_guests::bytes("trivial").unwrap())
        .unwrap();
    let template = runner::fresh_vfs();
    template.create_dir_all("/data", 0o755).unwrap();
    template.write("/data/seed.txt", vec![b'x'; 4096]).unwrap();
    let snap = template.snapshot();
    let run = |i: usize| {
        let sb = Sandbox::builder().vfs(snap.fork()).build();
        sb.vfs().write("/data/mine.txt", format!("{i}")).unwrap();
        let out = sb.run(&program, "ping");
        assert_eq!(out.result.as_deref(), Ok("ping"));
    };
    for i in 0..500 {
        run(i);
    }
    let baseline = rss_bytes();
    for i in 0..10_000 {
        run(i);
    }
    let after = rss_bytes();
    if baseline == 0 {
        return; // no /proc: nothing to measure
    }
    let growth = after.saturating_sub(baseline);
    assert!(
        growth < 8 << 20,
        "RSS grew by {} KiB over 10,000 runs (baseline {} KiB)",
        growth / 1024,
        baseline / 1024
    );
}

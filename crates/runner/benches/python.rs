//! Python code-mode benchmarks: programs through the CPython engine guest, against
//! `python3 -c` started as a process in the same run (when `python3` is on the PATH).
//!
//! Before divan runs, a report prints the engine's load time (decompress, then compile or
//! take from the disk cache), then p50/p99 of a trivial program end to end (compiled
//! engine cached, fresh sandbox and instance per run), a 1e6-iteration loop, 100 tool
//! calls from one program, and the same for `python3 -c`.
//!
//! `cargo bench -p runner --bench python`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{Sandbox, Tool, run_python};
use serde_json::json;

const TRIVIAL: &str = "1 + 1";
const LOOP: &str = "s = 0\nfor i in range(1_000_000):\n    s += i\ns";
const TOOLS: &str = "s = 0\nfor i in range(100):\n    s += tools.add(a=i, b=1)['sum']\ns";
const HOST_TRIVIAL: &str = "pass";
const HOST_LOOP: &str = "s = 0\nfor i in range(1_000_000):\n    s += i";

fn main() {
    report();
    divan::main();
}

fn sandbox() -> Sandbox {
    Sandbox::builder()
        .tool(Tool::new(
            "add",
            "Add a and b.",
            json!({"type": "object"}),
            |v| Ok(json!({"sum": v["a"].as_i64().unwrap_or(0) + v["b"].as_i64().unwrap_or(0)})),
        ))
        .build()
}

fn run(code: &str) {
    let out = run_python(&sandbox(), code);
    assert!(out.result.is_ok(), "{:?}", out.result);
}

/// The host's Python interpreter itself: `python3` on the PATH may be a wrapper script
/// (pyenv's shims take 150 ms), which would flatter the comparison.
fn host_executable() -> Option<String> {
    static EXE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    EXE.get_or_init(|| {
        let out = std::process::Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .ok()?;
        let exe = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !exe.is_empty()).then_some(exe)
    })
    .clone()
}

fn host_python(code: &str) -> bool {
    let Some(exe) = host_executable() else {
        return false;
    };
    std::process::Command::new(exe)
        .args(["-c", code])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn percentiles(mut t: Vec<Duration>) -> (Duration, Duration) {
    t.sort();
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn measure(n: usize, f: impl Fn()) -> (Duration, Duration) {
    f();
    percentiles(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn report() {
    let t = Instant::now();
    runner::python_engine_wasm().unwrap();
    let unzip = t.elapsed();
    let t = Instant::now();
    runner::python_engine().unwrap();
    println!(
        "python engine: decompress {unzip:.3?}, load {:.3?} (disk cache: {:?})",
        t.elapsed(),
        runner::python_engine_cache_dir()
    );
    let rows: [(&str, usize, &str); 3] = [
        ("trivial program", 500, TRIVIAL),
        ("1e6-iteration loop", 10, LOOP),
        ("100 tool calls", 200, TOOLS),
    ];
    println!("code mode (CPython guest), end to end per run:");
    for (name, n, code) in rows {
        let (p50, p99) = measure(n, || run(code));
        println!("  {name:<22} p50 {p50:>10.3?}  p99 {p99:>10.3?}  ({n} runs)");
    }
    if host_python("pass") {
        println!(
            "{} -c (process spawn), same machine:",
            host_executable().unwrap_or_default()
        );
        for (name, n, code) in [
            ("trivial program", 50, HOST_TRIVIAL),
            ("1e6-iteration loop", 10, HOST_LOOP),
        ] {
            let (p50, p99) = measure(n, || assert!(host_python(code)));
            println!("  {name:<22} p50 {p50:>10.3?}  p99 {p99:>10.3?}  ({n} runs)");
        }
    } else {
        println!("python3 not found: no comparison");
    }
}

#[divan::bench(sample_count = 200)]
fn python_trivial() {
    run(TRIVIAL);
}

#[divan::bench(sample_count = 10)]
fn python_loop_1e6() {
    run(LOOP);
}

#[divan::bench(sample_count = 100)]
fn python_100_tool_calls() {
    run(TOOLS);
}

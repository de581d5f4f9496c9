//! Code-mode benchmarks: JavaScript through the QuickJS engine guest, against `node -e`
//! started as a process in the same run (when `node` is on the PATH).
//!
//! Before divan runs, a report prints p50/p99 of a trivial script end to end (compiled
//! engine cached, fresh sandbox and instance per run), a 1e6-iteration loop, and 100 tool
//! calls from one script, TypeScript scripts (with the host-side type stripping alone),
//! and the same for `node -e`.
//!
//! `cargo bench -p runner --bench codemode`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{Sandbox, Tool, run_js, run_ts, strip_types};
use serde_json::json;

const TRIVIAL: &str = "1 + 1";
const LOOP: &str = "let s = 0; for (let i = 0; i < 1e6; i++) { s += i } s";
const TOOLS: &str =
    "let s = 0; for (let i = 0; i < 100; i++) { s += (await tools.add({a: i, b: 1})).sum } s";
const TS_TRIVIAL: &str = "const x: number = 1;\nx + 1";
const TS_TYPICAL: &str = r#"
interface Row { name: string; qty: number }
enum Kind { A, B }
const rows: Row[] = [{ name: "a", qty: 1 }, { name: "b", qty: 2 }];
function total(rs: Row[]): number { return rs.reduce((s: number, r: Row) => s + r.qty, 0); }
({ total: total(rows), kind: Kind.B })
"#;
const NODE_TRIVIAL: &str = "1 + 1";
const NODE_LOOP: &str = "let s = 0; for (let i = 0; i < 1e6; i++) { s += i }";

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
    let out = run_js(&sandbox(), code);
    assert!(out.result.is_ok(), "{:?}", out.result);
}

fn node(code: &str) -> bool {
    std::process::Command::new("node")
        .args(["-e", code])
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
    let rows: [(&str, usize, &str); 3] = [
        ("trivial script", 2000, TRIVIAL),
        ("1e6-iteration loop", 30, LOOP),
        ("100 tool calls", 500, TOOLS),
    ];
    println!("code mode (QuickJS guest), end to end per run:");
    for (name, n, code) in rows {
        let (p50, p99) = measure(n, || run(code));
        println!("  {name:<22} p50 {p50:>10.3?}  p99 {p99:>10.3?}  ({n} runs)");
    }
    for (name, n, code) in [
        ("ts trivial script", 2000, TS_TRIVIAL),
        ("ts typical script", 1000, TS_TYPICAL),
    ] {
        let (p50, p99) = measure(n, || {
            let out = run_ts(&sandbox(), code);
            assert!(out.result.is_ok(), "{:?}", out.result);
        });
        println!("  {name:<22} p50 {p50:>10.3?}  p99 {p99:>10.3?}  ({n} runs)");
        let (p50, p99) = measure(n, || {
            strip_types(code).unwrap();
        });
        println!("    of which stripping   p50 {p50:>10.3?}  p99 {p99:>10.3?}");
    }
    if node("0") {
        println!("node -e (process spawn), same machine:");
        for (name, n, code) in [
            ("trivial script", 50, NODE_TRIVIAL),
            ("1e6-iteration loop", 20, NODE_LOOP),
        ] {
            let (p50, p99) = measure(n, || assert!(node(code)));
            println!("  {name:<22} p50 {p50:>10.3?}  p99 {p99:>10.3?}  ({n} runs)");
        }
    } else {
        println!("node not found: no comparison");
    }
}

#[divan::bench(sample_count = 500)]
fn js_trivial() {
    run(TRIVIAL);
}

#[divan::bench(sample_count = 20)]
fn js_loop_1e6() {
    run(LOOP);
}

#[divan::bench(sample_count = 200)]
fn js_100_tool_calls() {
    run(TOOLS);
}

#[divan::bench(sample_count = 500)]
fn ts_trivial() {
    let out = run_ts(&sandbox(), TS_TRIVIAL);
    assert!(out.result.is_ok(), "{:?}", out.result);
}

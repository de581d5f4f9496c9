//! `hostile`: an agent guest that misbehaves on demand, to test the sandbox's limits.
//!
//! `run(input)` dispatches on the whole input (trimmed):
//!
//! | input | behaviour |
//! | --- | --- |
//! | `memory` | allocates 1 MiB chunks (each written to) forever: traps when memory runs out |
//! | `loop` | spins forever on a `black_box` counter: only fuel/epoch limits stop it |
//! | `output` | prints `hostile output line <n>` lines to stdout forever; if a write fails, returns `Err("stdout: <error>")` |
//! | `recursion` | recurses without bound (a `black_box`ed frame, not a loop): traps on stack exhaustion |
//! | `undeclared-tool` | `tools::call("no_such_tool", "{}")`: its problem → `Err(<problem type>)`; a result → `Ok(<result>)` |
//! | `host-paths` | tries to reach host files; returns `Ok` of a JSON object, see below |
//! | `panic` | `panic!("boom")`: traps |
//! | `stderr` | writes `hostile stderr line 1` … `hostile stderr line 10` to stderr, returns `Ok("wrote 10 lines to stderr")` |
//! | anything else | `Err("unknown mode: <input>")` |
//!
//! `host-paths` makes these attempts through `std::fs` (the WASI filesystem) and reports each
//! under its key as `{"ok":<bytes read or entries listed>}` or `{"error":"<io::ErrorKind as
//! Debug, e.g. NotFound>"}`:
//!
//! - `read /etc/passwd`: `std::fs::read("/etc/passwd")`;
//! - `read_dir /`: `std::fs::read_dir("/")` (the count of entries);
//! - `read ../../../etc/passwd`: `std::fs::read("../../../etc/passwd")`;
//! - `read /proc/self/environ`: `std::fs::read("/proc/self/environ")`.
//!
//! `/` is the sandbox's own in-memory root, so `read_dir /` lists the sandbox's files, not
//! the host's; the point is that no attempt yields the host's contents.

use agentsh::sandbox::tools;
use serde_json::{Map, Value, json};
use std::hint::black_box;
use std::io::Write;

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The guest.
struct Hostile;

impl Guest for Hostile {
    fn run(input: String) -> Result<String, String> {
        match input.trim() {
            "memory" => memory(),
            "loop" => spin(),
            "output" => output(),
            "recursion" => Ok(recurse(0).to_string()),
            "undeclared-tool" => tools::call("no_such_tool", "{}").map_err(|p| p.type_),
            "host-paths" => Ok(host_paths()),
            "panic" => panic!("boom"),
            "stderr" => {
                let mut stderr = std::io::stderr().lock();
                for n in 1..=10 {
                    writeln!(stderr, "hostile stderr line {n}").map_err(|e| e.to_string())?;
                }
                Ok("wrote 10 lines to stderr".to_string())
            }
            other => Err(format!("unknown mode: {other}")),
        }
    }
}

/// Keep 1 MiB chunks alive forever.
fn memory() -> Result<String, String> {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = vec![0u8; 1 << 20];
        chunk.iter_mut().step_by(4096).for_each(|b| *b = 1);
        chunks.push(black_box(chunk));
        black_box(&chunks);
    }
}

/// Spin forever.
fn spin() -> Result<String, String> {
    let mut counter = 0u64;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

/// Print forever.
fn output() -> Result<String, String> {
    let mut stdout = std::io::stdout().lock();
    let mut n = 0u64;
    loop {
        n += 1;
        writeln!(stdout, "hostile output line {n}").map_err(|e| format!("stdout: {e}"))?;
    }
}

/// Recurse without bound; each frame keeps a buffer the optimizer cannot drop.
/// The exit condition is opaque to the optimizer and never true in practice.
fn recurse(depth: u64) -> u64 {
    if black_box(depth) == u64::MAX {
        return 0;
    }
    let frame = black_box([depth as u8; 256]);
    let below = recurse(black_box(depth + 1));
    black_box(below.wrapping_add(u64::from(frame[(depth % 256) as usize])))
}

/// The attempts to reach host files, as a JSON object.
fn host_paths() -> String {
    let outcome = |result: std::io::Result<usize>| match result {
        Ok(n) => json!({ "ok": n }),
        Err(e) => json!({ "error": format!("{:?}", e.kind()) }),
    };
    let mut report = Map::new();
    let mut attempt = |key: &str, result| {
        report.insert(key.to_string(), outcome(result));
    };
    attempt(
        "read /etc/passwd",
        std::fs::read("/etc/passwd").map(|b| b.len()),
    );
    attempt("read_dir /", std::fs::read_dir("/").map(Iterator::count));
    attempt(
        "read ../../../etc/passwd",
        std::fs::read("../../../etc/passwd").map(|b| b.len()),
    );
    attempt(
        "read /proc/self/environ",
        std::fs::read("/proc/self/environ").map(|b| b.len()),
    );
    Value::Object(report).to_string()
}

export!(Hostile);

//! `jq`: behaviour of jq 1.7.1 that the corpus oracle (jq 1.6 on the build machine)
//! cannot check, and the limits (cancellation, big inputs).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use shell::Shell;
use std::time::{Duration, Instant};
use vfs_core::Vfs;

fn run(script: &str) -> (String, String, i32) {
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec(script);
    (r.stdout_str(), r.stderr_str(), r.status)
}

fn out(script: &str) -> String {
    let (o, e, s) = run(script);
    assert_eq!(s, 0, "status for {script}: stderr {e}");
    o
}

/// Scratch runner for development: `JQ_SCRATCH='script' cargo test --test jq scratch -- --nocapture`.
#[test]
fn scratch() {
    if let Ok(s) = std::env::var("JQ_SCRATCH") {
        let t = Instant::now();
        let (o, e, st) = run(&s);
        println!(
            "--stdout--\n{o}--stderr--\n{e}--status {st} in {:?}",
            t.elapsed()
        );
    }
}

#[test]
fn number_literals_print_as_jq_17() {
    assert_eq!(out("jq -n '1.0'"), "1.0\n");
    assert_eq!(out("jq -n '1.0 + 0'"), "1\n");
    assert_eq!(
        out("echo '[1.000, 100e-2, 1e2]' | jq -c ."),
        "[1.000,1.00,1E+2]\n"
    );
    assert_eq!(out("jq -n '1e1000'"), "1.7976931348623157e+308\n");
    assert_eq!(out("jq -nc '[-1e1000]'"), "[-1.7976931348623157e+308]\n");
    assert_eq!(
        out("echo 100000000000000000001 | jq ."),
        "100000000000000000001\n"
    );
    assert_eq!(
        out("jq -n '3/2, 1e17*1, 0.1+0.2'"),
        "1.5\n1e+17\n0.30000000000000004\n"
    );
    assert_eq!(out("jq -n '[nan] | tojson'"), "\"[null]\"\n");
}

#[test]
fn builtins_new_in_17() {
    assert_eq!(
        out("jq -nc '{a:{b:1,c:2},d:3} | pick(.a.b)'"),
        "{\"a\":{\"b\":1}}\n"
    );
    assert_eq!(out("jq -nc '[-5, 2] | map(abs)'"), "[5,2]\n");
    assert_eq!(out("jq -nc '[limit(0; 1, 2)]'"), "[]\n");
    assert_eq!(out("jq -n '\"NBSWY3DP\" | @base32d'"), "\"hello\"\n");
    assert_eq!(out("jq -n '\"hello\" | @base32'"), "\"NBSWY3DP\"\n");
    assert_eq!(out("jq -n '1 | ltrimstr(\"a\")'"), "1\n");
    assert_eq!(
        out("jq -n '\"  x \" | trim, ltrim, rtrim'"),
        "\"x\"\n\"x \"\n\"  x\"\n"
    );
    assert_eq!(out("jq -n 'have_literal_numbers'"), "true\n");
    assert_eq!(
        out("jq -nc '$__loc__'"),
        "{\"file\":\"<top-level>\",\"line\":1}\n"
    );
    assert_eq!(
        out("jq -nc '{\"b\":1,\"a\":2} | keys, keys_unsorted, ([5,6] | keys)'"),
        "[\"a\",\"b\"]\n[\"b\",\"a\"]\n[0,1]\n"
    );
    assert_eq!(
        out("jq -c '[splits(\"a\")]' <<< '\"bab\"'"),
        "[\"b\",\"b\"]\n"
    );
    assert_eq!(
        out("jq -nc '.a.b = 1, ([1] | .[3] = 2), (null | .[1] = 0)'"),
        "{\"a\":{\"b\":1}}\n[1,null,null,2]\n[null,0]\n"
    );
    assert_eq!(
        out("jq -n '\"\\(4/2) \\(1.5*2) \\(1e17*1)\" , (3.0*1 | tostring)'"),
        "\"2 3 1e+17\"\n\"3\"\n"
    );
}

#[test]
fn errors_as_jq_17() {
    let (_, e, s) = run("echo '{\"a\":1}' | jq '.a.b'");
    assert_eq!(
        e,
        "jq: error (at <stdin>:1): Cannot index number with \"b\"\n"
    );
    assert_eq!(s, 5);
    let (_, e, s) = run("echo '{' | jq .");
    assert_eq!(
        e,
        "jq: parse error: Unfinished JSON term at EOF at line 2, column 0\n"
    );
    assert_eq!(s, 2);
    let (_, e, s) = run("jq -n '1 +'");
    assert!(
        e.starts_with("jq: error: syntax error, unexpected end of file"),
        "{e}"
    );
    assert!(e.ends_with("jq: 1 compile error\n"), "{e}");
    assert_eq!(s, 3);
    let (_, e, s) = run("jq --foo .");
    assert!(e.starts_with("jq: Unknown option: --foo\n"), "{e}");
    assert_eq!(s, 2);
    let (_, e, s) = run("echo 1 | jq 'input'");
    assert_eq!(
        (e.as_str(), s),
        ("jq: error (at <stdin>:1): No more inputs\n", 5)
    );
    let (o, _, s) = run("jq -n '\"x\" | stderr'");
    assert_eq!((o.as_str(), s), ("\"x\"\n", 0));
}

#[test]
fn runaway_filters_stop_when_cancelled() {
    for f in [
        "[range(1e12)] | length",
        "[repeat(1)] | length",
        "last(range(1e15))",
    ] {
        let t = Instant::now();
        let (_, _, s) = run(&format!("timeout 1 jq -n '{f}'"));
        assert_eq!(s, 124, "{f}");
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{f} took {:?}",
            t.elapsed()
        );
    }
}

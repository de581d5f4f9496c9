//! Pre-initialization with wasmtime-wizer (`runner::preinitialize`), in a test binary of
//! its own: it compiles the JavaScript engine twice, which would compete for the CPU with
//! the timing tests of `codemode.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn preinitialize_snapshots_a_component_and_refuses_one_without_the_export() {
    // The committed engine is a snapshot already; its initializer keeps the engine it has,
    // and the new snapshot is a working engine.
    let snapshot = runner::preinitialize(runner::JS_ENGINE).unwrap();
    let program = runner::Runner::shared().unwrap().load(&snapshot).unwrap();
    let out = runner::Sandbox::builder()
        .build()
        .run(&program, "[1, 2].map((x) => x * 21)");
    assert_eq!(out.result.as_deref(), Ok("[21,42]"));
    // A component without `wizer-initialize`.
    let p = runner::preinitialize(&agentsh_guests::bytes("trivial").unwrap()).unwrap_err();
    assert_eq!(
        p.kind(),
        Some(runner::ProblemKind::InvalidComponent),
        "{p:?}"
    );
    assert!(p.detail.contains("wizer-initialize"), "{}", p.detail);
}

//! The WebAssembly guest programs of `examples/guests`, built by this crate's build script
//! for `wasm32-wasip2` (as components, in release) and found here by name.
//!
//! The build script installs the target with `rustup target add wasm32-wasip2` when it is
//! missing, so `cargo test` on a machine with only rustup and cargo builds the guests by
//! itself. Each constant is the absolute path of a component file under `$OUT_DIR`.
//!
//! | name | world | what it does |
//! | --- | --- | --- |
//! | `fs-main` | WASI command (`fn main`) | lists a directory (arg 1, default `/data`) with `std::fs`, writes `/out/listing.txt`, exits 3 when the directory cannot be listed |
//! | `csv-report` | `agent` | sums a column (input, default `amount`) over `/data/*.csv`, writes `/out/report.md`, returns `{"files":F,"rows":R,"total":T}` |
//! | `shell-agent` | `agent` | runs `grep -h PATTERN /logs/*.log \| sort \| uniq -c \| sort -rn` through the shell import, returns `[{"count":N,"text":"…"}]` |
//! | `codemode-agent` | `agent` | calls the host tools `check_inventory`, `get_weather`, `send_message` and returns the decision |
//! | `trivial` | `agent` | returns its input (cold-start benchmarks) |
//! | `hostile` | `agent` | misbehaves on demand: `memory`, `loop`, `output`, `recursion`, `undeclared-tool`, `host-paths`, `panic`, `stderr` |
//! | `fs-ops` | WASI command (`fn main`) | runs filesystem operations read from stdin with `std::fs`, one result line each; also built natively ([`FS_OPS_NATIVE`]) to compare with Linux |
//! | `fs-agent` | `agent` | runs a JSON list of calls to the `agentsh:sandbox/filesystem` import, returns a JSON list of results |
//! | `needs-unknown` | imports `test:unknown/secret` | cannot be loaded: no sandbox provides that import |
//!
//! Each guest crate's own documentation (`examples/guests/<name>/src`) states its exact
//! behaviour.

include!(concat!(env!("OUT_DIR"), "/guests.rs"));

/// Every guest's name, in the order of [`ALL`].
pub fn names() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|(name, _)| *name)
}

/// The absolute path of the component named `name` (`"csv-report"`, …), if there is one.
pub fn path(name: &str) -> Option<&'static str> {
    ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// The bytes of the component named `name`; `NotFound` for an unknown name.
pub fn bytes(name: &str) -> std::io::Result<Vec<u8>> {
    let path = path(name).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no guest named {name:?}"),
        )
    })?;
    std::fs::read(path)
}

//! Pre-initialize an agent component that exports `wizer-initialize` (the world
//! `preinitialized-agent`): `engines/js/build.sh` runs this on the freshly built JavaScript
//! engine and commits the snapshot.
//!
//! `cargo run -p runner --example preinit -- IN.wasm OUT.wasm`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: preinit IN.wasm OUT.wasm");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("preinit: {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let snapshot = match runner::preinitialize(&bytes) {
        Ok(s) => s,
        Err(p) => {
            eprintln!("preinit: {input}: {}", p.detail);
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(output, &snapshot) {
        eprintln!("preinit: {output}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "preinit: {input} ({} bytes) -> {output} ({} bytes)",
        bytes.len(),
        snapshot.len()
    );
    ExitCode::SUCCESS
}

//! `fs-main`: a plain WASI command (`fn main`, no wit-bindgen) that uses `std::fs`.
//!
//! Behaviour, in order:
//!
//! 1. The directory is argument 1 (`argv[1]`), `/data` when absent.
//! 2. If the environment variable `GREETING` is set, prints `greeting: <value>` to stdout.
//! 3. Lists the directory. If that fails (missing directory, not a directory, …), prints
//!    `fs-main: cannot list <dir>: <error>` to stderr and exits with code **3**.
//! 4. Reads every regular file of the directory (not recursively; directories and other
//!    entries are skipped) in byte order of their names, and writes `/out/listing.txt`
//!    (creating `/out` when missing) with one line `<name> <size>\n` per file, the size
//!    being the number of bytes read.
//! 5. Prints `<n> files, <total> bytes in <dir>` to stdout.
//! 6. Reads all of stdin; when it is not empty, prints `stdin: <n> bytes` to stdout.
//! 7. Exits 0. Any other I/O failure (reading a file, writing the listing, reading stdin)
//!    prints `fs-main: <what>: <error>` to stderr and exits with code 1.
//!
//! WASI 0.2 carries no exit code: `wasi:cli/exit.exit` takes `result<_, _>` (the
//! `exit-with-code` function is unstable and Rust's std does not call it). So a host sees
//! code 3 and code 1 alike as `exit(err)` — `wasi:cli/run.run` returning `Err(())`, which
//! wasmtime's WASI reports as `I32Exit(1)` — and tells them apart by the stderr message
//! (`cannot list` for the missing directory).

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/data".to_string());
    if let Ok(greeting) = std::env::var("GREETING") {
        println!("greeting: {greeting}");
    }
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("fs-main: cannot list {dir}: {e}");
            return ExitCode::from(3);
        }
    };
    match list(&dir, entries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fs-main: {message}");
            ExitCode::from(1)
        }
    }
}

/// Steps 4 to 6.
fn list(dir: &str, entries: std::fs::ReadDir) -> Result<(), String> {
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("listing {dir}: {e}"))?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file {
            files.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            ));
        }
    }
    files.sort();
    let mut listing = String::new();
    let mut total = 0u64;
    for (name, path) in &files {
        let data = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        total += data.len() as u64;
        listing.push_str(&format!("{name} {}\n", data.len()));
    }
    std::fs::create_dir_all("/out").map_err(|e| format!("creating /out: {e}"))?;
    std::fs::write("/out/listing.txt", listing)
        .map_err(|e| format!("writing /out/listing.txt: {e}"))?;
    println!("{} files, {total} bytes in {dir}", files.len());
    let mut stdin = Vec::new();
    std::io::stdin()
        .read_to_end(&mut stdin)
        .map_err(|e| format!("reading stdin: {e}"))?;
    if !stdin.is_empty() {
        println!("stdin: {} bytes", stdin.len());
    }
    Ok(())
}

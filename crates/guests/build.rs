//! Builds the guest workspace `examples/guests` for `wasm32-wasip2` (installing the target
//! with rustup when it is missing), copies the components to `$OUT_DIR`, and writes
//! `$OUT_DIR/guests.rs` with their absolute paths.
//!
//! The nested cargo runs with an environment cleaned of what cargo sets for build scripts
//! (profile, target, flags, jobserver, wrappers), so it builds exactly as
//! `cargo build --release --locked --target wasm32-wasip2` would from a shell. Its target
//! directory sits next to the outer one (`<target-dir>/agentsh-guests`) so that `cargo
//! clippy`, `cargo test` and `cargo build` share it and later runs are incremental.

use std::env;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The guests' compilation target.
const TARGET: &str = "wasm32-wasip2";

/// Each guest: its crate name, the Rust constant naming its path, and the file cargo writes.
const GUESTS: &[(&str, &str, &str)] = &[
    ("fs-main", "FS_MAIN", "fs-main.wasm"),
    ("csv-report", "CSV_REPORT", "csv_report.wasm"),
    ("shell-agent", "SHELL_AGENT", "shell_agent.wasm"),
    ("codemode-agent", "CODEMODE_AGENT", "codemode_agent.wasm"),
    ("trivial", "TRIVIAL", "trivial.wasm"),
    ("hostile", "HOSTILE", "hostile.wasm"),
    ("fs-ops", "FS_OPS", "fs-ops.wasm"),
    ("fs-agent", "FS_AGENT", "fs_agent.wasm"),
    ("needs-unknown", "NEEDS_UNKNOWN", "needs_unknown.wasm"),
];

/// Guests also built natively for the host (so tests can compare them with the real
/// thing): crate name, the Rust constant naming the executable's path, the binary's name.
const NATIVE: &[(&str, &str, &str)] = &[("fs-ops", "FS_OPS_NATIVE", "fs-ops")];

fn main() {
    if let Err(message) = run() {
        panic!("\n\nagentsh-guests: {message}\n");
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(var("OUT_DIR")?);
    let repo = manifest_dir
        .parent()
        .and_then(Path::parent)
        .ok_or("crates/guests has no repository root above it")?
        .to_path_buf();
    let guests_dir = repo.join("examples").join("guests");
    let wit_dir = repo.join("wit");
    rerun_if_changed(&guests_dir, &wit_dir)?;

    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    ensure_target(&rustc)?;

    let target_dir = shared_target_dir(&out_dir);
    build(&rustc, &guests_dir, &target_dir, &["--target", TARGET])?;
    for (name, _, _) in NATIVE {
        build(&rustc, &guests_dir, &target_dir, &["-p", name])?;
    }

    let built = target_dir.join(TARGET).join("release");
    let mut code = String::new();
    for (name, konst, file) in GUESTS {
        let from = built.join(file);
        let to = out_dir.join(format!("{name}.wasm"));
        copy_if_changed(&from, &to)?;
        let path = to
            .to_str()
            .ok_or_else(|| format!("{} is not UTF-8", to.display()))?;
        let _ = writeln!(
            code,
            "/// Absolute path of the `{name}` component (built from `examples/guests/{name}`).\n\
             pub const {konst}: &str = {path:?};"
        );
    }
    for (name, konst, bin) in NATIVE {
        let from = target_dir
            .join("release")
            .join(format!("{bin}{}", env::consts::EXE_SUFFIX));
        let to = out_dir.join(format!("{bin}-native{}", env::consts::EXE_SUFFIX));
        copy_executable(&from, &to)?;
        let path = to
            .to_str()
            .ok_or_else(|| format!("{} is not UTF-8", to.display()))?;
        let _ = writeln!(
            code,
            "/// Absolute path of the `{name}` guest built natively for the host (an executable).\n\
             pub const {konst}: &str = {path:?};"
        );
    }
    code.push_str("/// Every guest as `(name, absolute path)`, in a fixed order.\n");
    code.push_str("pub const ALL: &[(&str, &str)] = &[\n");
    for (name, konst, _) in GUESTS {
        let _ = writeln!(code, "    ({name:?}, {konst}),");
    }
    code.push_str("];\n");
    fs::write(out_dir.join("guests.rs"), code).map_err(|e| format!("writing guests.rs: {e}"))
}

fn var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|e| format!("${name}: {e}"))
}

/// Rebuild when a guest's sources, a manifest, the lock file or the WIT package change.
fn rerun_if_changed(guests_dir: &Path, wit_dir: &Path) -> Result<(), String> {
    let emit = |p: &Path| println!("cargo:rerun-if-changed={}", p.display());
    emit(&guests_dir.join("Cargo.toml"));
    emit(&guests_dir.join("Cargo.lock"));
    emit(wit_dir);
    let entries = fs::read_dir(guests_dir).map_err(|e| format!("{}: {e}", guests_dir.display()))?;
    let mut crates: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    for dir in crates {
        emit(&dir.join("Cargo.toml"));
        emit(&dir.join("src"));
    }
    Ok(())
}

/// Whether rustc has the standard library for `TARGET`.
fn target_installed(rustc: &OsStr) -> bool {
    let Ok(out) = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
    else {
        return false;
    };
    if !out.status.success() {
        return false;
    }
    let libdir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    fs::read_dir(libdir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
    })
}

/// Install the target with rustup, for the toolchain `rustc` belongs to, when it is missing.
fn ensure_target(rustc: &OsStr) -> Result<(), String> {
    if target_installed(rustc) {
        return Ok(());
    }
    println!("cargo:warning=installing the {TARGET} target with `rustup target add {TARGET}`");
    let mut cmd = Command::new("rustup");
    cmd.args(["target", "add", TARGET]);
    if let Some(toolchain) = rustup_toolchain(rustc) {
        cmd.arg("--toolchain").arg(toolchain);
    }
    let out = cmd.output().map_err(|e| {
        format!(
            "the {TARGET} target is not installed and rustup could not run ({e}); \
             install it with `rustup target add {TARGET}`"
        )
    })?;
    if !out.status.success() || !target_installed(rustc) {
        return Err(format!(
            "the {TARGET} target is not installed and `{cmd:?}` failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// The rustup toolchain name of `rustc`'s sysroot (`…/toolchains/<name>`), if it is one.
fn rustup_toolchain(rustc: &OsStr) -> Option<OsString> {
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let parent = sysroot.parent()?;
    (parent.file_name()? == "toolchains").then(|| sysroot.file_name().map(OsStr::to_os_string))?
}

/// `<target-dir>/agentsh-guests` when the outer target directory can be found (the nearest
/// ancestor of `OUT_DIR` holding cargo's `CACHEDIR.TAG`), else `$OUT_DIR/guests-target`.
fn shared_target_dir(out_dir: &Path) -> PathBuf {
    out_dir
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map_or_else(
            || out_dir.join("guests-target"),
            |dir| dir.join("agentsh-guests"),
        )
}

/// Whether an environment variable set by cargo (or by a user for the outer build) would
/// change how the nested build behaves, and so must not reach it.
fn confuses_nested_cargo(key: &str) -> bool {
    const KEEP: &[&str] = &["CARGO_HOME"];
    const KEEP_PREFIXES: &[&str] = &[
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_TERM_",
    ];
    const DROP: &[&str] = &[
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_LINKER",
        "RUSTDOC",
        "OUT_DIR",
        "TARGET",
        "HOST",
        "NUM_JOBS",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
        "MAKEFLAGS",
        "MFLAGS",
        "CLIPPY_ARGS",
        "CLIPPY_CONF_DIR",
        "__CARGO_FIX_PLZ",
    ];
    if KEEP.contains(&key) || KEEP_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return false;
    }
    key == "CARGO"
        || key.starts_with("CARGO_")
        || key.starts_with("DEP_")
        || key.starts_with("__CARGO")
        || DROP.contains(&key)
}

/// Run the nested `cargo build --release --locked` with `extra` arguments (`--target …`,
/// or `-p NAME` for a native build).
fn build(
    rustc: &OsStr,
    guests_dir: &Path,
    target_dir: &Path,
    extra: &[&str],
) -> Result<(), String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let manifest = guests_dir.join("Cargo.toml");
    let mut cmd = Command::new(&cargo);
    cmd.args(["build", "--release", "--locked"])
        .args(extra)
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(guests_dir);
    for (key, _) in env::vars_os() {
        if key.to_str().is_none_or(confuses_nested_cargo) {
            cmd.env_remove(&key);
        }
    }
    // The same compiler as the outer build (the toolchain whose target was checked).
    cmd.env("RUSTC", rustc);
    let out = cmd
        .output()
        .map_err(|e| format!("could not run {}: {e}", Path::new(&cargo).display()))?;
    if !out.status.success() {
        return Err(format!(
            "building the guests failed ({}):\n{cmd:?}\n--- stderr ---\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Copy `from` to `to` unless `to` already has the same bytes.
fn copy_if_changed(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    if fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    fs::write(to, bytes).map_err(|e| format!("writing {}: {e}", to.display()))
}

/// Copy the executable `from` to `to` (with its permissions) unless `to` has the same bytes.
fn copy_executable(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    if fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

//! Link the `agentsh` executable for a fast start on x86_64 Linux (glibc).
//!
//! - At a fixed address (`-no-pie`): a PIE of this size carries about 55,000 relative
//!   relocations that the loader applies at every start, which made
//!   `agentsh -c 'echo hi'` slower than bash.
//! - Statically (`-static`), when the C toolchain has the static archives: the dynamic
//!   loader, `libgcc_s` and `libm` then cost nothing at start. `agentsh -c true` went from
//!   1.0 ms of CPU (1.46 ms wall) to 0.7 ms (0.84 ms wall); bash takes 1.0 ms (1.3 ms).
//!
//! rustc links a binary that is not `crt-static` against `-lgcc_s -lutil -lrt -lpthread
//! -lm -ldl -lc` after `-Bdynamic`, and the flag that would change that
//! (`-C target-feature=+crt-static`) cannot be given to one crate from a build script.
//! So this script writes small linker scripts named like those shared libraries into
//! `OUT_DIR`, each naming the static archive instead, and puts that directory first on
//! the binary's library path. If any archive is missing, the binary stays dynamic and
//! cargo prints a warning. Set `AGENTSH_DYNAMIC=1` to keep it dynamic on purpose.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=AGENTSH_DYNAMIC");
    let target = std::env::var("TARGET").unwrap_or_default();
    if !(target.starts_with("x86_64") && target.contains("linux")) {
        return;
    }
    println!("cargo:rustc-link-arg-bin=agentsh=-no-pie");
    if !target.ends_with("linux-gnu") || std::env::var_os("AGENTSH_DYNAMIC").is_some() {
        return;
    }
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    match write_static_scripts(&out.join("static-libs")) {
        Ok(dir) => {
            println!("cargo:rustc-link-arg-bin=agentsh=-static");
            println!("cargo:rustc-link-arg-bin=agentsh=-L{}", dir.display());
            println!("cargo:rustc-env=AGENTSH_LINKED_STATIC=1");
        }
        Err(why) => println!("cargo:warning=agentsh is linked dynamically: {why}"),
    }
}

/// Write one linker script per library rustc asks for; the directory they are in.
fn write_static_scripts(dir: &Path) -> Result<PathBuf, String> {
    let gcc_eh = archive("libgcc_eh.a")?;
    let gcc = archive("libgcc.a")?;
    let libc = archive("libc.a")?;
    let mut scripts = vec![
        (
            "libgcc_s.so".to_string(),
            format!("GROUP ( {gcc_eh} {gcc} )\n"),
        ),
        (
            "libc.so".to_string(),
            format!("GROUP ( {libc} {gcc_eh} {gcc} )\n"),
        ),
    ];
    for lib in ["m", "pthread", "dl", "rt", "util"] {
        let a = archive(&format!("lib{lib}.a"))?;
        scripts.push((format!("lib{lib}.so"), format!("INPUT ( {a} )\n")));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text) in scripts {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(dir.to_path_buf())
}

/// The full path of a static archive the C compiler would link, if it has one.
fn archive(name: &str) -> Result<String, String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let out = Command::new(&cc)
        .arg(format!("-print-file-name={name}"))
        .output()
        .map_err(|e| format!("{cc}: {e}"))?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !Path::new(&path).is_absolute() || !Path::new(&path).exists() {
        return Err(format!("{cc} has no {name}"));
    }
    if path.contains(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        return Err(format!("{path}: a path a linker script cannot name"));
    }
    Ok(path)
}

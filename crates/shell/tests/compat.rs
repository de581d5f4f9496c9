//! The bash-oracle corpus (`tests/compat/cases/*.toml` at the workspace root): every case
//! runs under real bash in a temp directory and under agentsh on a fresh VFS, and stdout,
//! stderr and exit status must match.
//!
//! Cases listed in `tests/compat/known_failures.txt` may differ; one that starts passing
//! is reported and fails the run until it is removed from the list (so the list stays
//! true). `COMPAT_UPDATE=1` rewrites the list from this run; `COMPAT_FILTER=text` runs only
//! cases whose id contains `text`; `COMPAT_VERBOSE=1` prints every difference.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    script: String,
    #[serde(default)]
    stdin: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default = "yes")]
    compare_stderr: bool,
    #[serde(default)]
    known_failure: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/compat")
}

fn run_bash(c: &Case) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    for (p, content) in &c.files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let mut cmd = Command::new("timeout");
    cmd.arg("10")
        .arg("bash")
        .arg("-c")
        .arg(&c.script)
        .arg("agentsh")
        .args(&c.args);
    cmd.current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir.path().join("home"))
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = c.stdin.clone().into_bytes();
    let w = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = w.join();
    Outcome {
        stdout: out.stdout,
        stderr: out.stderr,
        status: out.status.code().unwrap_or(-1),
    }
}

fn run_agentsh(c: &Case) -> Outcome {
    let fs = vfs_core::Vfs::new();
    fs.create_dir_all("/work", 0o755).unwrap();
    fs.create_dir_all("/tmp", 0o777).unwrap();
    fs.chmod("/tmp", 0o1777).unwrap();
    for (p, content) in &c.files {
        let path = format!("/work/{p}");
        if let Some(parent) = Path::new(&path).parent() {
            fs.create_dir_all(parent, 0o755).unwrap();
        }
        fs.write(&path, content.clone().into_bytes()).unwrap();
    }
    let limits = shell::ShellLimits {
        timeout: std::time::Duration::from_secs(10),
        ..Default::default()
    };
    let mut sh = shell::Shell::with_limits(fs, limits);
    sh.exec("unset TERM USER LOGNAME");
    sh.set_cwd("/work").unwrap();
    sh.set_var("PATH", "/usr/bin:/bin", true);
    sh.set_var("HOME", "/work/home", true);
    sh.set_var("LC_ALL", "C", true);
    sh.set_name("agentsh");
    sh.set_dash_c(true);
    sh.set_args(c.args.clone());
    let r = sh.exec_with(
        &c.script,
        shell::ExecOptions {
            stdin: c.stdin.clone().into_bytes(),
            ..Default::default()
        },
    );
    Outcome {
        stdout: r.stdout,
        stderr: r.stderr,
        status: r.status,
    }
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn main() {
    let filter = std::env::var("COMPAT_FILTER").ok();
    let verbose = std::env::var_os("COMPAT_VERBOSE").is_some();
    let update = std::env::var_os("COMPAT_UPDATE").is_some();
    let mut cases: Vec<(String, Case)> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        let parsed: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in parsed.case {
            let id = format!("{stem}:{}", c.name);
            if filter.as_ref().is_none_or(|flt| id.contains(flt.as_str())) {
                cases.push((id, c));
            }
        }
    }
    let known_path = root().join("known_failures.txt");
    let known: BTreeSet<String> = std::fs::read_to_string(&known_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    // Run on two threads.
    let results: Vec<(String, Option<String>)> = {
        let chunks: Vec<Vec<(String, Case)>> = {
            let mut a = Vec::new();
            let mut b = Vec::new();
            for (i, c) in cases.iter().cloned().enumerate() {
                if i % 2 == 0 { a.push(c) } else { b.push(c) }
            }
            vec![a, b]
        };
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                std::thread::spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(id, c)| {
                            let want = run_bash(&c);
                            let got = run_agentsh(&c);
                            let mut diff = String::new();
                            if got.stdout != want.stdout {
                                diff.push_str(&format!(
                                    "  stdout:\n    bash:    {:?}\n    agentsh: {:?}\n",
                                    show(&want.stdout),
                                    show(&got.stdout)
                                ));
                            }
                            if c.compare_stderr && got.stderr != want.stderr {
                                diff.push_str(&format!(
                                    "  stderr:\n    bash:    {:?}\n    agentsh: {:?}\n",
                                    show(&want.stderr),
                                    show(&got.stderr)
                                ));
                            }
                            if got.status != want.status {
                                diff.push_str(&format!(
                                    "  status: bash {} agentsh {}\n",
                                    want.status, got.status
                                ));
                            }
                            let _ = c.known_failure;
                            (id, if diff.is_empty() { None } else { Some(diff) })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    };
    let mut passed = 0;
    let mut known_failed = 0;
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut failing_now = Vec::new();
    for (id, diff) in &results {
        match diff {
            None => {
                passed += 1;
                if known.contains(id) {
                    fixed.push(id.clone());
                }
            }
            Some(d) => {
                failing_now.push(id.clone());
                if known.contains(id) {
                    known_failed += 1;
                    if verbose {
                        println!("known failure {id}\n{d}");
                    }
                } else {
                    unexpected.push(format!("{id}\n{d}"));
                }
            }
        }
    }
    if update {
        let mut text = String::from(
            "# Corpus cases agentsh does not match yet (FILE:NAME). Maintained by\n# `COMPAT_UPDATE=1 cargo test -p shell --test compat`; remove a line when it passes.\n",
        );
        let keep: BTreeSet<String> = if filter.is_some() {
            // A filtered run only updates the cases it ran.
            let ran: BTreeSet<&String> = results.iter().map(|r| &r.0).collect();
            known
                .iter()
                .filter(|k| !ran.contains(k))
                .cloned()
                .chain(failing_now.iter().cloned())
                .collect()
        } else {
            failing_now.iter().cloned().collect()
        };
        for k in keep {
            text.push_str(&k);
            text.push('\n');
        }
        std::fs::write(&known_path, text).unwrap();
        println!("known_failures.txt rewritten");
    }
    for u in &unexpected {
        println!("UNEXPECTED DIFFERENCE {u}");
    }
    for f in &fixed {
        println!("NOW PASSING (remove from known_failures.txt): {f}");
    }
    let total = results.len();
    println!(
        "compat: {passed} of {total} cases match bash; {known_failed} known failures; {} unexpected; {} newly passing",
        unexpected.len(),
        fixed.len()
    );
    let failed = if update {
        0
    } else {
        unexpected.len() + fixed.len()
    };
    println!("{} passed, {} failed", total - failed, failed);
    if failed > 0 {
        std::process::exit(1);
    }
}

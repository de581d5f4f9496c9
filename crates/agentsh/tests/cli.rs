//! The `agentsh` binary's options, run as a user would: mounts, exports, `--json`
//! results and problem details, limits, `--workdir`, `--env`, `--help`, `--version`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn agentsh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agentsh"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A host directory with `a.txt` and `sub/b.txt`.
fn data_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.txt"), "alpha\n").unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    std::fs::write(d.path().join("sub/b.txt"), "beta\n").unwrap();
    d
}

/// Every file under `dir` with its contents, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                out.push((format!("{rel}/"), Vec::new()));
                stack.push(p);
            } else if ft.is_symlink() {
                out.push((format!("{rel}@"), Vec::new()));
            } else {
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn help_lists_every_option_and_version_prints() {
    let o = agentsh(&["--help"]);
    assert!(o.status.success());
    let h = stdout(&o);
    for opt in [
        "-c SCRIPT",
        "--mount HOST:GUEST[:ro|:rw]",
        "--export GUEST:HOST",
        "--workdir",
        "--env NAME=VALUE",
        "--history FILE",
        "--json",
        "--max-memory SIZE",
        "--timeout DURATION",
        "--max-output SIZE",
        "--max-commands N",
        "--max-files N",
        "--help",
        "--version",
        "EXIT STATUS",
    ] {
        assert!(h.contains(opt), "--help lacks {opt}");
    }
    assert!(h.contains("(default: 30s)"), "timeout default missing");
    let o = agentsh(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!("agentsh {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = agentsh(&["--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--frobnicate: invalid option"));
    let o = agentsh(&["--mount", "nocolon"]);
    assert_eq!(o.status.code(), Some(2));
    let o = agentsh(&["--timeout", "soon", "-c", "true"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn script_modes_and_args() {
    let o = agentsh(&["-c", "echo \"$0 $1 $2\"", "me", "a", "b"]);
    assert_eq!(stdout(&o), "me a b\n");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.sh");
    std::fs::write(&f, "echo from file $1; exit 7\n").unwrap();
    let o = agentsh(&[f.to_str().unwrap(), "x"]);
    assert_eq!(stdout(&o), "from file x\n");
    assert_eq!(o.status.code(), Some(7));
    let mut c = Command::new(env!("CARGO_BIN_EXE_agentsh"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    c.stdin
        .take()
        .unwrap()
        .write_all(b"echo piped; pwd\n")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert_eq!(stdout(&o), "piped\n/root\n");
    let o = agentsh(&["/nonexistent/script.sh"]);
    assert_eq!(o.status.code(), Some(127));
}

#[test]
fn workdir_and_env() {
    let o = agentsh(&[
        "--workdir",
        "/work/proj",
        "--env",
        "GREETING=hello world",
        "--env=EMPTY=",
        "-c",
        "pwd; echo \"$GREETING\"; printenv GREETING; echo \"[${EMPTY-unset}]\"",
    ]);
    assert_eq!(
        stdout(&o),
        "/work/proj\nhello world\nhello world\n[]\n",
        "{}",
        stderr(&o)
    );
    assert!(o.status.success());
}

#[test]
fn mount_ro_imports_and_never_writes_the_host() {
    let d = data_dir();
    let before = tree(d.path());
    let spec = format!("{}:/data:ro", d.path().display());
    let o = agentsh(&[
        "--mount",
        &spec,
        "-c",
        "cat /data/a.txt /data/sub/b.txt; stat -c %a /data/a.txt; rm -rf /data/sub 2>/dev/null; \
         ls /data/sub",
    ]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(d.path().join("a.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        stdout(&o),
        format!("alpha\nbeta\n{:o}\nb.txt\n", mode & 0o7777),
        "host modes are kept and rm -rf removes nothing: {}",
        stderr(&o)
    );
    assert_eq!(tree(d.path()), before);
}

#[test]
fn mount_ro_writes_fail_with_erofs() {
    let d = data_dir();
    let spec = format!("{}:/data:ro", d.path().display());
    let o = agentsh(&["--mount", &spec, "-c", "echo x > /data/new"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Read-only file system"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn mount_ro_refuses_every_change_even_for_root() {
    let d = data_dir();
    let before = tree(d.path());
    let spec = format!("{}:/data:ro", d.path().display());
    let o = agentsh(&[
        "--mount",
        &spec,
        "-c",
        "id -u; echo x >> /data/a.txt; rm /data/a.txt; mkdir /data/n; chmod 777 /data/a.txt; \
         touch /data/a.txt; ln -s a.txt /data/l; mv /data/a.txt /data/b.txt; rmdir /data/sub; \
         if test -w /data/a.txt; then echo writable; else echo not-writable; fi; \
         cat /data/a.txt; ls /data",
    ]);
    assert_eq!(
        stdout(&o),
        "0\nnot-writable\nalpha\na.txt\nsub\n",
        "{}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(err.lines().count() >= 7, "{err}");
    for line in err.lines() {
        assert!(line.contains("Read-only file system"), "{line}\n{err}");
    }
    assert_eq!(tree(d.path()), before);
}

#[test]
fn mount_rw_changes_stay_in_the_sandbox() {
    let d = data_dir();
    let before = tree(d.path());
    let spec = format!("{}:/data:rw", d.path().display());
    let o = agentsh(&[
        "--mount",
        &spec,
        "-c",
        "echo changed > /data/a.txt; echo new > /data/new.txt; rm -r /data/sub; \
         cat /data/a.txt /data/new.txt; ls /data",
    ]);
    assert_eq!(
        stdout(&o),
        "changed\nnew\na.txt\nnew.txt\n",
        "{}",
        stderr(&o)
    );
    assert!(o.status.success());
    assert_eq!(tree(d.path()), before, "the host directory changed");
}

#[test]
fn mount_copies_symlinks_without_following_them() {
    let d = data_dir();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret"), "s3cret\n").unwrap();
    std::os::unix::fs::symlink(secret.path().join("secret"), d.path().join("link")).unwrap();
    let spec = format!("{}:/data", d.path().display());
    let o = agentsh(&[
        "--mount",
        &spec,
        "-c",
        "readlink /data/link; cat /data/link",
    ]);
    assert_eq!(
        stdout(&o),
        format!("{}\n", secret.path().join("secret").display())
    );
    assert!(!stdout(&o).contains("s3cret"));
    assert!(stderr(&o).contains("No such file or directory"));
}

#[test]
fn bad_mounts_exit_125() {
    let d = tempfile::tempdir().unwrap();
    let missing = format!("{}:/data", d.path().join("missing").display());
    let o = agentsh(&["--mount", &missing, "-c", "echo ran"]);
    assert_eq!(o.status.code(), Some(125));
    assert_eq!(stdout(&o), "", "the script must not run");
    assert!(
        stderr(&o).contains("No such file or directory"),
        "{}",
        stderr(&o)
    );
    std::fs::write(d.path().join("file"), "x").unwrap();
    let file = format!("{}:/data", d.path().join("file").display());
    let o = agentsh(&["--mount", &file, "-c", "echo ran"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
}

#[test]
fn export_writes_the_subtree_on_exit() {
    let out = tempfile::tempdir().unwrap();
    let host = out.path().join("results");
    let spec = format!("/out:{}", host.display());
    let o = agentsh(&[
        "--export",
        &spec,
        "-c",
        "mkdir -p /out/deep; echo r1 > /out/r1; echo r2 > /out/deep/r2; echo not > /tmp/x; exit 3",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(
        tree(&host),
        vec![
            ("deep/".to_string(), Vec::new()),
            ("deep/r2".to_string(), b"r2\n".to_vec()),
            ("r1".to_string(), b"r1\n".to_vec()),
        ]
    );
}

#[test]
fn export_skips_sandbox_symlinks() {
    let out = tempfile::tempdir().unwrap();
    let spec = format!("/out:{}", out.path().display());
    let o = agentsh(&[
        "--export",
        &spec,
        "-c",
        "mkdir /out; echo ok > /out/f; ln -s /etc/passwd /out/link; ln -s .. /out/up",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(out.path()), vec![("f".to_string(), b"ok\n".to_vec())]);
    assert!(
        stderr(&o).contains("skipped symbolic link"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_refuses_host_symlinks() {
    let base = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    // HOST itself is a symlink.
    let link = base.path().join("link");
    std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
    let spec = format!("/out:{}", link.display());
    let o = agentsh(&["--export", &spec, "-c", "mkdir /out; echo x > /out/f"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    // A symlink inside HOST where a directory is to be written.
    let host = base.path().join("host");
    std::fs::create_dir(&host).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), host.join("sub")).unwrap();
    let spec = format!("/out:{}", host.display());
    let o = agentsh(&[
        "--export",
        &spec,
        "-c",
        "mkdir -p /out/sub; echo x > /out/sub/f",
    ]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(
        tree(elsewhere.path()),
        Vec::new(),
        "wrote through a symlink"
    );
}

#[test]
fn export_of_a_missing_directory_fails() {
    let out = tempfile::tempdir().unwrap();
    let spec = format!("/nothing:{}", out.path().display());
    let o = agentsh(&["--export", &spec, "-c", "true"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(
        stderr(&o).contains("No such file or directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_result() {
    let d = data_dir();
    let out = tempfile::tempdir().unwrap();
    let m = format!("{}:/data", d.path().display());
    let x = format!("/out:{}", out.path().display());
    let o = agentsh(&[
        "--json",
        "--mount",
        &m,
        "--export",
        &x,
        "-c",
        "mkdir /out; cat /data/a.txt > /out/copy; echo out; echo err >&2; exit 5",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["stdout"], "out\n");
    assert_eq!(v["stderr"], "err\n");
    assert_eq!(v["status"], 5);
    let s = &v["stats"];
    assert_eq!(s["imported_files"], 2);
    assert_eq!(s["imported_bytes"], 11);
    assert_eq!(s["exported_files"], 1);
    assert_eq!(s["stdout_bytes"], 4);
    assert!(s["elapsed_ms"].as_f64().unwrap() >= 0.0);
    assert!(s["fs_bytes"].as_u64().unwrap() >= 17);
    assert_eq!(std::fs::read(out.path().join("copy")).unwrap(), b"alpha\n");
}

fn assert_problem(o: &Output, slug: &str, http: u64, exit: i32) -> serde_json::Value {
    let v = json(o);
    assert_eq!(v["type"], format!("urn:agentsh:problem:{slug}"), "{v}");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(v["status"], http);
    assert!(v["detail"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(o.status.code(), Some(exit));
    v
}

#[test]
fn json_problems() {
    let v = assert_problem(&agentsh(&["--json", "--bogus"]), "usage", 400, 64);
    assert_eq!(v["detail"], "--bogus: invalid option");
    let v = assert_problem(
        &agentsh(&["--json", "-c", "echo before\nfi"]),
        "syntax-error",
        400,
        65,
    );
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("syntax error near unexpected token `fi'")
    );
    let v = assert_problem(
        &agentsh(&["--json", "--mount", "/nonexistent-agentsh:/d", "-c", "true"]),
        "bad-mount",
        422,
        66,
    );
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("/nonexistent-agentsh")
    );
    let v = assert_problem(
        &agentsh(&[
            "--json",
            "--timeout",
            "300ms",
            "-c",
            "echo start; while :; do :; done",
        ]),
        "limit-exceeded",
        413,
        124,
    );
    assert_eq!(v["limit"], "time limit");
    assert_eq!(v["stdout"], "start\n");
    let v = assert_problem(
        &agentsh(&["--json", "--max-output", "1K", "-c", "yes"]),
        "limit-exceeded",
        413,
        124,
    );
    assert_eq!(v["limit"], "output size limit");
    let out = tempfile::tempdir().unwrap();
    let v = assert_problem(
        &agentsh(&[
            "--json",
            "--export",
            &format!("/missing:{}", out.path().display()),
            "-c",
            "echo hi",
        ]),
        "export-failed",
        500,
        73,
    );
    assert_eq!(v["stdout"], "hi\n");
}

#[test]
fn sleep_stops_at_the_time_limit() {
    for script in [
        "sleep 5; echo after",
        "sleep 5 | cat; echo after",
        "timeout 10 sleep 5; echo after",
    ] {
        let t = std::time::Instant::now();
        let o = agentsh(&["--timeout", "1", "-c", script]);
        let took = t.elapsed();
        assert!(
            took < std::time::Duration::from_secs(3),
            "{script}: took {took:?}"
        );
        assert_eq!(o.status.code(), Some(124), "{script}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{script}");
        assert!(
            stderr(&o).contains("time limit exceeded"),
            "{script}: {}",
            stderr(&o)
        );
    }
    // A sleep that ends before the limit is a plain sleep.
    let o = agentsh(&["--timeout", "5", "-c", "sleep 0.1; echo after"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "after\n".to_string())
    );
}

#[test]
fn limits() {
    let o = agentsh(&["--timeout", "300ms", "-c", "while :; do :; done"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(stderr(&o).contains("time limit exceeded"));
    let o = agentsh(&["--max-output", "100", "-c", "seq 1000"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(o.stdout.len() <= 100, "{} bytes", o.stdout.len());
    assert!(stderr(&o).contains("output size limit exceeded"));
    let o = agentsh(&[
        "--max-memory",
        "1K",
        "-c",
        "head -c 2000 /dev/zero > /tmp/big; echo $?; head -c 500 /dev/zero > /tmp/small; echo $?",
    ]);
    assert_eq!(stdout(&o), "1\n0\n", "{}", stderr(&o));
    assert!(stderr(&o).contains("No space left on device"));
    let o = agentsh(&[
        "--max-files",
        "9",
        "-c",
        "touch /tmp/a /tmp/b /tmp/c; echo $?",
    ]);
    assert_eq!(stdout(&o), "1\n", "{}", stderr(&o));
    let o = agentsh(&[
        "--max-commands",
        "50",
        "-c",
        "for i in $(seq 100); do true; done",
    ]);
    assert_eq!(o.status.code(), Some(124));
    assert!(stderr(&o).contains("command count limit exceeded"));
    let o = agentsh(&[
        "--max-loop-iterations",
        "10",
        "-c",
        "for i in $(seq 100); do :; done",
    ]);
    assert_eq!(o.status.code(), Some(124));
    let o = agentsh(&["--max-call-depth", "5", "-c", "f() { f; }; f"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(stderr(&o).contains("function call depth limit"));
    let o = agentsh(&["--max-brace-words", "10", "-c", "echo {1..100}"]);
    assert_eq!(o.status.code(), Some(124));
}

#[test]
fn run_of_a_missing_file_cannot_execute() {
    let o = agentsh(&["run", "x.wasm"]);
    assert_eq!(o.status.code(), Some(126));
    assert!(
        stderr(&o).contains("agentsh: run x.wasm: Invalid component: x.wasm:"),
        "{}",
        stderr(&o)
    );
}

/// The program headers' types of an ELF64 little-endian file.
fn elf_program_header_types(bytes: &[u8]) -> Vec<u32> {
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().unwrap()) as usize;
    assert_eq!(&bytes[..5], b"\x7fELF\x02", "not an ELF64 file");
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..phnum)
        .map(|i| {
            let o = phoff + i * phentsize;
            u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap())
        })
        .collect()
}

/// When the build script links the binary statically (see `build.rs`), the result has no
/// program interpreter: a half-static link that still asks for `ld.so` would crash at start.
#[test]
fn static_link_has_no_program_interpreter() {
    const PT_INTERP: u32 = 3;
    const PT_DYNAMIC: u32 = 2;
    if option_env!("AGENTSH_LINKED_STATIC") != Some("1") {
        return;
    }
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_agentsh")).unwrap();
    let types = elf_program_header_types(&bytes);
    assert!(
        !types.contains(&PT_INTERP),
        "agentsh asks for a program interpreter"
    );
    assert!(
        !types.contains(&PT_DYNAMIC),
        "agentsh has a dynamic section"
    );
    let o = agentsh(&["-c", "echo started"]);
    assert_eq!(stdout(&o), "started\n");
}

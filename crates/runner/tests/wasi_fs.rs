//! `wasi:filesystem` over the VFS compared with Linux: the `fs-ops` guest runs the same
//! script of `std::fs` operations natively in a fresh temporary directory and as a WASI
//! command in a fresh sandbox (whose root, the preopen, is its start directory), and the
//! outputs must agree line by line — except on the few lines listed in [`KNOWN`], each with
//! the reason WASI cannot behave like Linux there.

use std::io::Write;
use std::process::{Command, Stdio};

use runner::{Program, Runner, Sandbox};

/// Operation scripts, `(name, script)`; one operation per line (see `examples/guests/fs-ops`).
const CASES: &[(&str, &str)] = &[
    (
        "mkdir_basics",
        "mkdir a\nmkdir a\nmkdir b/c\nmkdir_all b/c/d\nmkdir_all b/c/d\nread_dir .\nread_dir b/c\ntree .",
    ),
    (
        "mkdir_under_file",
        "write f x\nmkdir f/d\nmkdir_all f/d/e\nmkdir f\ncreate_new f",
    ),
    (
        "write_read_append",
        "write f hello\nread f\nappend f  world\nread f\nwrite f again\nread f\nstat f",
    ),
    (
        "append_missing",
        "append nope data\nexists nope\nappend d/nope data",
    ),
    (
        "write_missing_parent",
        "write no/such/f x\nread no/such/f\nstat no\ntry_exists no/such",
    ),
    (
        "enotdir_components",
        "write f x\nread f/g\nstat f/g\nwrite f/g y\nread_dir f\nremove_file f/g\nrename f/g h\ntry_exists f/g",
    ),
    (
        "eisdir",
        "mkdir d\nread d\nwrite d x\ncreate d\nappend d x\nremove_file d\nset_len d 3\nopen d\nopen_rw_seek d 0 x",
    ),
    (
        "enotempty",
        "mkdir_all d/e\nwrite d/f x\nremove_dir d\nremove_dir d/e\nremove_dir d\nremove_file d/f\nremove_dir d\nexists d",
    ),
    (
        "remove_dir_on_file",
        "write f x\nremove_dir f\nremove_dir nope\nremove_file nope",
    ),
    (
        "remove_dir_all_tree",
        "mkdir_all t/a/b\nwrite t/a/b/f x\nwrite t/g y\nsymlink .. t/up\nremove_dir_all t\nexists t\ntree .\nremove_dir_all t",
    ),
    (
        "remove_dir_all_keeps_link_targets",
        "mkdir keep\nwrite keep/f x\nmkdir t\nsymlink ../keep t/l\nremove_dir_all t\ntree .",
    ),
    (
        "create_new",
        "create_new f\ncreate_new f\nstat f\nmkdir d\ncreate_new d\ncreate_new nope/f",
    ),
    (
        "create_truncates",
        "write f hello\ncreate f\nstat f\nread f",
    ),
    (
        "rename_file",
        "write a x\nrename a b\nexists a\nread b\nrename nope c\nrename b b\nread b",
    ),
    (
        "rename_over_file",
        "write a one\nwrite b two\nrename a b\nread b\ntree .",
    ),
    (
        "rename_dir_over_empty_dir",
        "mkdir_all a/x\nmkdir b\nrename a b\ntree .",
    ),
    (
        "rename_dir_over_nonempty_dir",
        "mkdir a\nmkdir b\nwrite b/f x\nrename a b\ntree .",
    ),
    (
        "rename_file_over_dir",
        "write f x\nmkdir d\nrename f d\ntree .",
    ),
    (
        "rename_dir_over_file",
        "mkdir d\nwrite f x\nrename d f\ntree .",
    ),
    (
        "rename_dir_into_itself",
        "mkdir_all a/b\nrename a a/b/c\nrename a a/c\nrename a/b a/b\ntree .",
    ),
    (
        "rename_to_missing_parent",
        "write f x\nrename f no/g\nrename f f/g",
    ),
    (
        "symlink_basics",
        "write f data\nsymlink f l\nread l\nread_link l\nlstat l\nstat l\nis_symlink l\nis_symlink f\nread_dir .",
    ),
    (
        "symlink_to_dir",
        "mkdir_all d/e\nwrite d/e/f x\nsymlink d l\nread_dir l\nread l/e/f\nstat l\nlstat l\nmetadata_is_dir l\nwrite l/g y\ntree d",
    ),
    (
        "symlink_exists",
        "write f x\nsymlink f l\nsymlink f l\nsymlink g f\nmkdir d\nsymlink f d",
    ),
    (
        "dangling_symlink",
        "symlink nowhere l\nread l\nstat l\nlstat l\nexists l\ntry_exists l\nis_symlink l\nread_link l\nwrite l created\nread nowhere\ntree .",
    ),
    (
        "symlink_loop",
        "symlink a b\nsymlink b a\nread a\nstat a\nlstat a\nexists a\nwrite a x\nread_dir a\ncanonicalize a\nremove_file a\ntree .",
    ),
    (
        "self_symlink",
        "symlink s s\nread s\nstat s\nread_link s\nmkdir s/d",
    ),
    (
        "read_link_non_link",
        "write f x\nread_link f\nmkdir d\nread_link d\nread_link nope",
    ),
    (
        "remove_symlink_not_target",
        "mkdir d\nwrite d/f x\nsymlink d l\nremove_file l\ntree .\nsymlink d l\nremove_dir l\nremove_dir_all l\ntree .",
    ),
    (
        "rename_symlink",
        "write f x\nsymlink f l\nrename l m\nread m\nread_link m\ntree .",
    ),
    (
        "hard_links",
        "write a one\nhard_link a b\nnlink a\nnlink b\nappend b two\nread a\nremove_file a\nnlink b\nread b",
    ),
    (
        "hard_link_errors",
        "write a x\nmkdir d\nhard_link a a\nhard_link nope b\nhard_link d e\nhard_link a d\nhard_link a no/b",
    ),
    (
        "nlink_of_dirs",
        "mkdir d\nnlink d\nmkdir d/e\nmkdir d/f\nnlink d\nnlink d/e",
    ),
    (
        "canonicalize",
        "mkdir_all a/b\nwrite a/b/f x\nsymlink a/b l\ncanonicalize a/b/f\ncanonicalize l/f\ncanonicalize a/./b/../b\ncanonicalize .\ncanonicalize nope\ncanonicalize a/b/f/g",
    ),
    (
        "canonicalize_relative_links",
        "mkdir_all x/y\nsymlink .. x/y/up\nsymlink ../../x/y x/y/again\ncanonicalize x/y/up\ncanonicalize x/y/up/y/up/y\ncanonicalize x/y/again/again/up\nread_dir x/y/up",
    ),
    (
        "dotdot_inside",
        "mkdir_all a/b\nwrite a/f x\nread a/b/../f\nread_dir a/b/..\nstat a/b/../../a/f",
    ),
    ("dotdot_above_start", "read_dir ..\ncanonicalize .."),
    (
        "trailing_slashes",
        "mkdir d/\nwrite f x\nread f/\nstat d/\nstat f/\nread_dir d/\nremove_dir d/\nmkdir e\nrename e/ g/\nread_dir .",
    ),
    (
        "trailing_slash_symlink",
        "mkdir d\nsymlink d l\nstat l/\nlstat l/\nread_dir l/",
    ),
    (
        "open_rw_seek",
        "write f hello\nopen_rw_seek f 1 EY\nopen_rw_seek f 5 !!\nopen_rw_seek f 0 J\nstat f",
    ),
    (
        "seek_past_end",
        "write f ab\nopen_rw_seek f 5 z\nstat f\nopen_rw_seek nope 0 x",
    ),
    (
        "set_len",
        "write f hello\nset_len f 2\nread f\nset_len f 5\nstat f\nread f\nset_len nope 1",
    ),
    (
        "copy",
        "write a hello\ncopy a b\nread b\ncopy a b\ncopy nope c\nmkdir d\ncopy d e\ncopy a d\ncopy a no/b\ntree .",
    ),
    (
        "copy_through_symlink",
        "write a hello\nsymlink a l\ncopy l c\nlstat c\nread c",
    ),
    (
        "exists_variants",
        "mkdir d\nwrite d/f x\nexists d\nexists d/f\nexists d/g\nexists d/f/g\ntry_exists d/f/g\nmetadata_is_dir d\nmetadata_is_dir d/f\nmetadata_is_dir nope",
    ),
    (
        "empty_and_dot_paths",
        "read_dir .\nmkdir .\nremove_dir .\nwrite . x\nstat .\nrename . x",
    ),
    (
        "file_as_directory_in_open",
        "write f x\ncreate_new f/g\nopen f/g\ncreate f/g",
    ),
    (
        "many_entries_sorted",
        "write c 3\nwrite a 1\nmkdir b\nsymlink a z\nwrite B 2\nread_dir .\ntree .",
    ),
];

/// Lines where WASI legitimately differs from Linux: `(case, 1-based line, Linux output
/// pattern, WASI output, why)`. A `*` pattern means "whatever Linux prints".
const KNOWN: &[(&str, usize, &str, &str, &str)] = &[
    (
        "enotempty",
        3,
        "ERR DirectoryNotEmpty",
        "ERR Uncategorized",
        ENOTEMPTY_WHY,
    ),
    (
        "enotempty",
        5,
        "ERR DirectoryNotEmpty",
        "ERR Uncategorized",
        ENOTEMPTY_WHY,
    ),
    (
        "rename_dir_over_nonempty_dir",
        4,
        "ERR DirectoryNotEmpty",
        "ERR Uncategorized",
        ENOTEMPTY_WHY,
    ),
    ("dotdot_above_start", 1, "start:dir", "(empty)", ROOT_WHY),
    ("dotdot_above_start", 2, "*", ".", ROOT_WHY),
];

/// The host answers `error-code::not-empty` (wasi-libc's `ENOTEMPTY`, errno 55, which
/// `wasi_enotempty_is_errno_55` checks), but Rust std's WASI `decode_error_kind` has no arm
/// for it, so `io::ErrorKind` is `Uncategorized` there.
const ENOTEMPTY_WHY: &str = "std on WASI does not map ENOTEMPTY to DirectoryNotEmpty";

/// The guest's start directory is the preopen `/`, the sandbox's root: `..` from the root
/// is the root (as on Linux at `/`), while the native run starts in a temporary directory
/// with a parent.
const ROOT_WHY: &str = "the WASI start directory is the sandbox root, which has no parent";

fn runner() -> Runner {
    Runner::shared().unwrap_or_else(|p| panic!("runner: {p}"))
}

fn program() -> Program {
    let bytes = agentsh_guests::bytes("fs-ops").unwrap_or_else(|e| panic!("fs-ops: {e}"));
    runner()
        .load(&bytes)
        .unwrap_or_else(|p| panic!("load fs-ops: {p}"))
}

/// Run `script` natively in `<fresh temp dir>/start` (the temp dir holds nothing else, so
/// what `..` shows does not depend on the machine).
fn native(script: &str) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let start = dir.path().join("start");
    std::fs::create_dir(&start).unwrap_or_else(|e| panic!("{}: {e}", start.display()));
    let mut child = Command::new(agentsh_guests::FS_OPS_NATIVE)
        .current_dir(&start)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", agentsh_guests::FS_OPS_NATIVE));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(format!("{script}\n").as_bytes())
            .unwrap_or_else(|e| panic!("stdin: {e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(
        out.status.success(),
        "native fs-ops failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wasi(program: &Program, script: &str) -> String {
    wasi_output(program, script).0
}

/// stdout and stderr of the WASI run of `script`.
fn wasi_output(program: &Program, script: &str) -> (String, String) {
    let sb = Sandbox::builder().build();
    // A fresh sandbox has /tmp; the native run starts in an empty directory.
    if sb.vfs().exists("/tmp") {
        sb.vfs()
            .remove_all("/tmp")
            .unwrap_or_else(|e| panic!("rm /tmp: {e}"));
    }
    let out = sb.run(program, &format!("{script}\n"));
    if let Err(p) = &out.result {
        panic!("wasm fs-ops failed: {p}\nstderr: {}", out.stderr_str());
    }
    assert_eq!(out.exit_code, Some(0), "stderr: {}", out.stderr_str());
    (out.stdout_str(), out.stderr_str())
}

fn known(case: &str, line: usize, linux: &str, wasi: &str) -> bool {
    KNOWN.iter().any(|&(c, l, lp, w, _)| {
        c == case && l == line && (lp == "*" || lp == linux) && (w == "*" || w == wasi)
    })
}

#[test]
fn corpus_is_large_and_named_uniquely() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    let mut names: Vec<&str> = CASES.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "duplicate case names");
    for (case, line, _, _, why) in KNOWN {
        assert!(
            CASES.iter().any(|(n, _)| n == case),
            "KNOWN names a case that does not exist: {case}:{line}"
        );
        assert!(!why.is_empty());
    }
}

#[test]
fn std_fs_on_wasi_matches_linux() {
    let program = program();
    let mut failures = Vec::new();
    let mut used_known = 0;
    for (name, script) in CASES {
        let ops: Vec<&str> = script.lines().collect();
        let linux = native(script);
        let wasm = wasi(&program, script);
        let linux: Vec<&str> = linux.lines().collect();
        let wasm: Vec<&str> = wasm.lines().collect();
        assert_eq!(linux.len(), ops.len(), "{name}: native output {linux:?}");
        assert_eq!(wasm.len(), ops.len(), "{name}: wasm output {wasm:?}");
        for (i, ((op, l), w)) in ops.iter().zip(&linux).zip(&wasm).enumerate() {
            assert!(!l.starts_with("BAD "), "{name}: bad operation {op:?}");
            if l == w {
                continue;
            }
            if known(name, i + 1, l, w) {
                used_known += 1;
                continue;
            }
            failures.push(format!(
                "{name}:{} `{op}`\n    linux: {l}\n    wasi:  {w}",
                i + 1
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        used_known,
        KNOWN.len(),
        "every known difference must still occur (remove the ones that were fixed)"
    );
}

/// The `Uncategorized` of the known ENOTEMPTY differences is std's mapping, not the host's
/// error: the guest sees wasi-libc's `ENOTEMPTY` (55 in WASI's numbering).
#[test]
fn wasi_enotempty_is_errno_55() {
    let (stdout, stderr) = wasi_output(&program(), "mkdir_all d/e\nremove_dir d\n");
    assert_eq!(stdout, "ok\nERR Uncategorized\n");
    assert!(stderr.contains("(errno Some(55))"), "{stderr}");
}

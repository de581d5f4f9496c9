//! The `agentsh:sandbox/filesystem` import, driven by the `fs-agent` guest: results are
//! checked against what vfs-core itself reports for the same paths and against the POSIX
//! error codes the operations must give. Also: a component importing an interface no
//! sandbox provides fails to load with `missing-import`.

use runner::{ProblemKind, Program, Runner, Sandbox};
use serde_json::{Value, json};

fn runner() -> Runner {
    Runner::shared().unwrap_or_else(|p| panic!("runner: {p}"))
}

fn load(name: &str) -> Program {
    let bytes = agentsh_guests::bytes(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    runner()
        .load(&bytes)
        .unwrap_or_else(|p| panic!("load {name}: {p}"))
}

/// Run `calls` in `sb`; one result per call.
fn run(sb: &Sandbox, calls: Value) -> Vec<Value> {
    let out = sb.run(&load("fs-agent"), &calls.to_string());
    let text = match &out.result {
        Ok(s) => s.clone(),
        Err(p) => panic!("fs-agent failed: {p}\nstderr: {}", out.stderr_str()),
    };
    let results: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let n = calls.as_array().map_or(0, Vec::len);
    assert_eq!(results.len(), n, "{text}");
    results
}

/// The `ok` value of a result, failing on an error.
fn ok(r: &Value) -> &Value {
    r.get("ok")
        .unwrap_or_else(|| panic!("expected ok, got {r}"))
}

/// The error code of a result, failing on success.
fn err(r: &Value) -> &str {
    r.get("err")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("expected an error, got {r}"))
}

fn bytes_of(v: &Value) -> Vec<u8> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a byte list: {v}"))
        .iter()
        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()).unwrap_or(0))
        .collect()
}

fn type_name(m: &runner::vfs_core::Metadata) -> &'static str {
    if m.is_dir() {
        "directory"
    } else if m.is_symlink() {
        "symbolic-link"
    } else {
        "regular-file"
    }
}

/// What vfs-core reports for `path` (following symlinks when `follow`), as `fs-agent`
/// shows a metadata record.
fn vfs_meta(sb: &Sandbox, path: &str, follow: bool) -> Value {
    let m = if follow {
        sb.vfs().stat(path)
    } else {
        sb.vfs().lstat(path)
    }
    .unwrap_or_else(|e| panic!("vfs stat {path}: {e}"));
    json!({
        "type": type_name(&m),
        "size": m.size,
        "mode": m.mode,
        "ino": m.ino,
        "nlink": m.nlink,
    })
}

/// Every path under `root` (not following symlinks) with its type and, for files, bytes.
fn vfs_tree(sb: &Sandbox, root: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let dir = format!("{root}{rel}");
        let entries = sb
            .vfs()
            .read_dir(&dir)
            .unwrap_or_else(|e| panic!("read_dir {dir}: {e}"));
        for e in entries {
            let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
            let rel = format!("{rel}/{name}");
            let full = format!("{root}{rel}");
            let m = sb.vfs().lstat(&full).unwrap_or_else(|e| panic!("{e}"));
            let what = if m.is_dir() {
                stack.push(rel.clone());
                "dir".to_string()
            } else if m.is_symlink() {
                let t = sb.vfs().read_link(&full).unwrap_or_else(|e| panic!("{e}"));
                format!("-> {}", t.display())
            } else {
                let b = sb.vfs().read(&full).unwrap_or_else(|e| panic!("{e}"));
                format!("= {}", String::from_utf8_lossy(&b))
            };
            out.push((rel, what));
        }
    }
    out.sort();
    out
}

fn seeded() -> Sandbox {
    let sb = Sandbox::builder().build();
    let fs = sb.vfs();
    for d in ["/data/sub/deep", "/data/empty", "/out"] {
        fs.create_dir_all(d, 0o755)
            .unwrap_or_else(|e| panic!("{d}: {e}"));
    }
    for (p, c) in [
        ("/data/a.txt", "alpha\n"),
        ("/data/b.csv", "x,y\n1,2\n"),
        ("/data/sub/c.txt", "gamma"),
        ("/data/sub/deep/d.txt", "delta"),
        ("/data/sub/deep/e.md", "# e"),
    ] {
        fs.write(p, c).unwrap_or_else(|e| panic!("{p}: {e}"));
    }
    fs.write("/data/latin1.txt", vec![b'c', b'a', b'f', 0xe9])
        .unwrap_or_else(|e| panic!("{e}"));
    fs.symlink("a.txt", "/data/link")
        .unwrap_or_else(|e| panic!("{e}"));
    sb
}

#[test]
fn reads_and_stats_agree_with_vfs_core() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "read", "path": "data/a.txt"},
            {"op": "read", "path": "/data/latin1.txt"},
            {"op": "read-text", "path": "data/sub/c.txt"},
            {"op": "stat", "path": "data/a.txt"},
            {"op": "stat", "path": "/data/sub"},
            {"op": "stat", "path": "data/link"},
            {"op": "lstat", "path": "data/link"},
            {"op": "list", "path": "data"},
            {"op": "exists", "path": "data/link"},
            {"op": "exists", "path": "data/nope"},
            {"op": "readlink", "path": "data/link"},
            {"op": "realpath", "path": "data/sub/deep/../../link"},
        ]),
    );
    let vfs = sb.vfs();
    assert_eq!(
        bytes_of(ok(&r[0])),
        vfs.read("/data/a.txt").unwrap().to_vec()
    );
    assert_eq!(
        bytes_of(ok(&r[1])),
        vfs.read("/data/latin1.txt").unwrap().to_vec()
    );
    assert_eq!(
        ok(&r[2]),
        &json!(vfs.read_to_string("/data/sub/c.txt").unwrap())
    );
    assert_eq!(ok(&r[3]), &vfs_meta(&sb, "/data/a.txt", true));
    assert_eq!(ok(&r[4]), &vfs_meta(&sb, "/data/sub", true));
    assert_eq!(ok(&r[5]), &vfs_meta(&sb, "/data/link", true));
    assert_eq!(ok(&r[5])["ino"], vfs_meta(&sb, "/data/a.txt", true)["ino"]);
    assert_eq!(ok(&r[6]), &vfs_meta(&sb, "/data/link", false));
    assert_eq!(ok(&r[6])["type"], "symbolic-link");
    let listed: Vec<Value> = vfs
        .read_dir("/data")
        .unwrap()
        .iter()
        .map(|e| {
            let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
            let m = vfs.lstat(format!("/data/{name}")).unwrap();
            json!([name, type_name(&m)])
        })
        .collect();
    assert_eq!(ok(&r[7]), &Value::Array(listed));
    assert_eq!(ok(&r[8]), &json!(true));
    assert_eq!(ok(&r[9]), &json!(false));
    assert_eq!(ok(&r[10]), &json!("a.txt"));
    assert_eq!(
        ok(&r[11]),
        &json!(
            vfs.canonicalize("/data/link")
                .unwrap()
                .display()
                .to_string()
        )
    );
}

#[test]
fn errors_are_posix_codes() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "read", "path": "data/nope"},
            {"op": "read", "path": "data/sub"},
            {"op": "read", "path": "data/a.txt/x"},
            {"op": "read-text", "path": "data/latin1.txt"},
            {"op": "write", "path": "no/such/f", "data": "x"},
            {"op": "write", "path": "data/a.txt/f", "data": "x"},
            {"op": "write", "path": "data/sub", "data": "x"},
            {"op": "mkdir", "path": "data/sub"},
            {"op": "mkdir", "path": "data/sub", "recursive": true},
            {"op": "mkdir", "path": "x/y"},
            {"op": "mkdir", "path": "data/a.txt", "recursive": true},
            {"op": "remove", "path": "data/sub"},
            {"op": "remove", "path": "data/nope"},
            {"op": "remove", "path": "/", "recursive": true},
            {"op": "remove", "path": "data/..", "recursive": true},
            {"op": "remove", "path": "data/sub/.", "recursive": true},
            {"op": "remove", "path": "data/sub/deep/../../..//", "recursive": true},
            {"op": "rename", "path": "", "from": "data/sub", "to": "data/sub/deep/x"},
            {"op": "rename", "from": "data/empty", "to": "data/a.txt"},
            {"op": "rename", "from": "data/a.txt", "to": "data/sub"},
            {"op": "rename", "from": "data/empty", "to": "data/sub"},
            {"op": "symlink", "target": "x", "link": "data/a.txt"},
            {"op": "readlink", "path": "data/a.txt"},
            {"op": "realpath", "path": "data/nope"},
            {"op": "stat", "path": "data/nope"},
            {"op": "list", "path": "data/a.txt"},
            {"op": "copy", "from": "data/sub", "to": "out/sub"},
            {"op": "copy", "from": "data/sub", "to": "data/sub/deep/again", "recursive": true},
            {"op": "copy", "from": "data/nope", "to": "out/x"},
            {"op": "open", "path": "data/sub", "flags": ["read"], "as": "d"},
            {"op": "open", "path": "data/nope", "flags": ["read"], "as": "n"},
            {"op": "open", "path": "data/a.txt", "flags": ["write", "create", "exclusive"], "as": "x"},
        ]),
    );
    let codes: Vec<&str> = r
        .iter()
        .map(|v| v.get("err").and_then(Value::as_str).unwrap_or("ok"))
        .collect();
    assert_eq!(
        codes,
        [
            "not-found",
            "is-a-directory",
            "not-a-directory",
            "illegal-byte-sequence",
            "not-found",
            "not-a-directory",
            "is-a-directory",
            "already-exists",
            "ok",
            "not-found",
            "already-exists",
            "not-empty",
            "not-found",
            "busy",
            "invalid",
            "invalid",
            "invalid",
            "invalid",
            "not-a-directory",
            "is-a-directory",
            "not-empty",
            "already-exists",
            "invalid",
            "not-found",
            "not-found",
            "not-a-directory",
            "is-a-directory",
            "invalid",
            "not-found",
            "is-a-directory",
            "not-found",
            "already-exists",
        ]
    );
    // Nothing was changed by the failures.
    let fresh = seeded();
    assert_eq!(vfs_tree(&sb, "/"), vfs_tree(&fresh, "/"));
}

#[test]
fn writes_renames_and_removes_show_in_the_vfs() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "write", "path": "out/new.txt", "data": "one"},
            {"op": "append", "path": "out/new.txt", "data": " two"},
            {"op": "append", "path": "out/fresh.txt", "data": "made"},
            {"op": "mkdir", "path": "out/a/b/c", "recursive": true},
            {"op": "rename", "from": "data/b.csv", "to": "out/a/b.csv"},
            {"op": "symlink", "target": "/out/new.txt", "link": "out/ln"},
            {"op": "read-text", "path": "out/ln"},
            {"op": "remove", "path": "data/sub", "recursive": true},
            {"op": "remove", "path": "data/empty"},
            {"op": "remove", "path": "data/link"},
            {"op": "exists", "path": "data/a.txt"},
        ]),
    );
    for (i, v) in r.iter().enumerate() {
        assert!(v.get("ok").is_some(), "call {i}: {v}");
    }
    let vfs = sb.vfs();
    assert_eq!(vfs.read_to_string("/out/new.txt").unwrap(), "one two");
    assert_eq!(vfs.read_to_string("/out/fresh.txt").unwrap(), "made");
    assert!(vfs.stat("/out/a/b/c").unwrap().is_dir());
    assert_eq!(vfs.read_to_string("/out/a/b.csv").unwrap(), "x,y\n1,2\n");
    assert!(!vfs.exists("/data/b.csv"));
    assert_eq!(ok(&r[6]), &json!("one two"));
    assert!(!vfs.exists("/data/sub") && !vfs.exists("/data/empty"));
    // Removing the symlink left its target.
    assert!(vfs.lstat("/data/link").is_err());
    assert_eq!(ok(&r[10]), &json!(true));
    assert_eq!(vfs.read_to_string("/data/a.txt").unwrap(), "alpha\n");
}

#[test]
fn copy_files_trees_and_into_directories() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "copy", "from": "data/a.txt", "to": "out/a-copy.txt"},
            {"op": "copy", "from": "data/a.txt", "to": "out"},
            {"op": "copy", "from": "data/sub", "to": "out/tree", "recursive": true},
            {"op": "copy", "from": "data/sub", "to": "out/tree", "recursive": true},
            {"op": "copy", "from": "data/link", "to": "out/link-copy"},
            {"op": "copy", "from": "data/link", "to": "out/link-tree", "recursive": true},
            {"op": "copy", "from": "data/a.txt", "to": "data/a.txt"},
        ]),
    );
    let vfs = sb.vfs();
    let a_len = vfs.stat("/data/a.txt").unwrap().size;
    assert_eq!(ok(&r[0]), &json!(a_len));
    assert_eq!(
        vfs.read("/out/a-copy.txt").unwrap(),
        vfs.read("/data/a.txt").unwrap()
    );
    // A directory destination receives the source's name.
    assert_eq!(ok(&r[1]), &json!(a_len));
    assert_eq!(
        vfs.read("/out/a.txt").unwrap(),
        vfs.read("/data/a.txt").unwrap()
    );
    // The whole tree, byte for byte; the count is the sum of its files' sizes.
    let tree_bytes: u64 = [
        "/data/sub/c.txt",
        "/data/sub/deep/d.txt",
        "/data/sub/deep/e.md",
    ]
    .iter()
    .map(|p| vfs.stat(p).unwrap().size)
    .sum();
    assert_eq!(ok(&r[2]), &json!(tree_bytes));
    let first_copy: Vec<(String, String)> = vfs_tree(&sb, "/out/tree")
        .into_iter()
        .filter(|(p, _)| !p.starts_with("/sub"))
        .collect();
    assert_eq!(first_copy, vfs_tree(&sb, "/data/sub"));
    // Copying again into the existing directory nests it, as `cp -r` does.
    assert_eq!(ok(&r[3]), &json!(tree_bytes));
    assert_eq!(vfs_tree(&sb, "/out/tree/sub"), vfs_tree(&sb, "/data/sub"));
    // As `cp`: a plain copy of a symlink copies its target's content, a recursive one
    // copies the link itself.
    assert_eq!(ok(&r[4]), &json!(a_len));
    assert!(vfs.lstat("/out/link-copy").unwrap().is_file());
    assert_eq!(
        vfs.read("/out/link-copy").unwrap(),
        vfs.read("/data/a.txt").unwrap()
    );
    assert_eq!(ok(&r[5]), &json!(0));
    assert_eq!(
        vfs.read_link("/out/link-tree").unwrap(),
        vfs.read_link("/data/link").unwrap()
    );
    // Copying a file onto itself must not lose its content.
    let _ = &r[6];
    assert_eq!(vfs.read_to_string("/data/a.txt").unwrap(), "alpha\n");
}

#[test]
fn glob_matches_vfs_core_and_globstar() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "glob", "pattern": "data/**/*.txt"},
            {"op": "glob", "pattern": "/data/*.txt"},
            {"op": "glob", "pattern": "data/sub/**"},
            {"op": "glob", "pattern": "nothing/*"},
        ]),
    );
    let vfs = sb.vfs();
    for (i, pat) in [
        "/data/**/*.txt",
        "/data/*.txt",
        "/data/sub/**",
        "/nothing/*",
    ]
    .iter()
    .enumerate()
    {
        let want: Vec<String> = vfs
            .glob(pat)
            .unwrap()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(ok(&r[i]), &json!(want), "{pat}");
    }
    // `**` reaches every depth, including the top: every .txt file of the tree.
    let mut txt: Vec<String> = vfs_tree(&sb, "/data")
        .into_iter()
        .filter(|(p, what)| p.ends_with(".txt") && what.starts_with('='))
        .map(|(p, _)| format!("/data{p}"))
        .collect();
    txt.sort();
    assert_eq!(ok(&r[0]), &json!(txt));
    assert_eq!(txt.len(), 4, "{txt:?}");
    assert_eq!(ok(&r[3]), &json!([]));
}

#[test]
fn file_resource_seek_write_set_len_append() {
    let sb = seeded();
    let r = run(
        &sb,
        json!([
            {"op": "open", "path": "out/f", "flags": ["read", "write", "create"], "as": "f"},
            {"op": "file-write", "file": "f", "data": "abc"},
            {"op": "file-seek", "file": "f", "offset": 8, "whence": "start"},
            {"op": "file-write", "file": "f", "data": "Z"},
            {"op": "file-stat", "file": "f"},
            {"op": "file-seek", "file": "f", "offset": 0, "whence": "start"},
            {"op": "file-read", "file": "f", "len": 100},
            {"op": "file-read", "file": "f", "len": 100},
            {"op": "file-seek", "file": "f", "offset": -2, "whence": "end"},
            {"op": "file-read", "file": "f", "len": 1},
            {"op": "file-seek", "file": "f", "offset": 1, "whence": "current"},
            {"op": "file-set-len", "file": "f", "len": 2},
            {"op": "file-stat", "file": "f"},
            {"op": "file-seek", "file": "f", "offset": -1, "whence": "start"},
            {"op": "close", "file": "f"},
            {"op": "open", "path": "data/a.txt", "flags": ["append"], "as": "a"},
            {"op": "file-seek", "file": "a", "offset": 0, "whence": "start"},
            {"op": "file-write", "file": "a", "data": "more"},
            {"op": "close", "file": "a"},
            {"op": "open", "path": "data/a.txt", "flags": ["read"], "as": "ro"},
            {"op": "file-write", "file": "ro", "data": "no"},
            {"op": "open", "path": "data/b.csv", "flags": ["write", "truncate"], "as": "t"},
            {"op": "file-stat", "file": "t"},
        ]),
    );
    assert_eq!(ok(&r[1]), &json!(3));
    assert_eq!(ok(&r[2]), &json!(8));
    assert_eq!(ok(&r[4])["size"], json!(9));
    // The hole between the old end and the write reads as zeros.
    assert_eq!(bytes_of(ok(&r[6])), b"abc\0\0\0\0\0Z".to_vec());
    assert_eq!(bytes_of(ok(&r[7])), Vec::<u8>::new());
    assert_eq!(ok(&r[8]), &json!(7));
    assert_eq!(bytes_of(ok(&r[9])), vec![0]);
    assert_eq!(ok(&r[10]), &json!(9));
    assert_eq!(ok(&r[12])["size"], json!(2));
    assert_eq!(err(&r[13]), "invalid");
    assert_eq!(sb.vfs().read("/out/f").unwrap().to_vec(), b"ab".to_vec());
    // Append writes at the end whatever the offset.
    assert_eq!(ok(&r[17]), &json!(4));
    assert_eq!(
        sb.vfs().read_to_string("/data/a.txt").unwrap(),
        "alpha\nmore"
    );
    assert_eq!(err(&r[20]), "bad-descriptor");
    assert_eq!(ok(&r[22])["size"], json!(0));
    assert_eq!(sb.vfs().stat("/data/b.csv").unwrap().size, 0);
}

#[test]
fn unknown_import_fails_to_load_with_missing_import() {
    let bytes = agentsh_guests::bytes("needs-unknown").unwrap_or_else(|e| panic!("{e}"));
    let p = match runner().load(&bytes) {
        Ok(_) => panic!("a component importing test:unknown/secret loaded"),
        Err(p) => p,
    };
    assert_eq!(p.kind(), Some(ProblemKind::MissingImport), "{p}");
    assert!(p.detail.contains("test:unknown/secret"), "{}", p.detail);
}

//! `tree` (tree 2.1.0 is not installed on the oracle machine): its documented output,
//! asserted directly. Box-drawing lines in a UTF-8 charset (tree writes two no-break
//! spaces after the vertical bar), tree's ASCII set in the C locale.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use shell::{Shell, ShellLimits};
use vfs_core::Vfs;

fn run(setup: &[&str], script: &str) -> (String, String, i32) {
    let fs = Vfs::new();
    fs.create_dir_all("/work", 0o755).unwrap();
    for p in setup {
        let path = format!("/work/{p}");
        if let Some(d) = path.strip_suffix('/') {
            fs.create_dir_all(d, 0o755).unwrap();
        } else {
            let parent = std::path::Path::new(&path).parent().unwrap();
            fs.create_dir_all(parent, 0o755).unwrap();
            fs.write(&path, b"x\n".to_vec()).unwrap();
        }
    }
    let mut sh = Shell::with_limits(fs, ShellLimits::default());
    sh.set_cwd("/work").unwrap();
    sh.set_var("LC_ALL", "C", true);
    let r = sh.exec(script);
    (
        String::from_utf8_lossy(&r.stdout).into_owned(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
        r.status,
    )
}

const V: &str = "\u{2502}\u{a0}\u{a0} ";

#[test]
fn utf8_layout_and_report() {
    let (out, _, st) = run(
        &["z", "a", "dir/c", "dir/b", "dir/sub/d"],
        "tree --charset=UTF-8",
    );
    let want = format!(
        ".\n├── a\n├── dir\n{V}├── b\n{V}├── c\n{V}└── sub\n{V}    └── d\n└── z\n\n2 directories, 5 files\n"
    );
    assert_eq!(out, want);
    assert_eq!(st, 0);
    let (out2, _, _) = run(&["a"], "LC_ALL=en_US.UTF-8 tree");
    assert_eq!(out2, ".\n└── a\n\n0 directories, 1 file\n");
}

#[test]
fn ascii_lines_in_c_locale() {
    let (out, _, _) = run(&["a", "d/b", "e/"], "tree");
    assert_eq!(
        out,
        ".\n|-- a\n|-- d\n|   `-- b\n`-- e\n\n2 directories, 2 files\n"
    );
}

#[test]
fn singular_and_byte_order() {
    let (out, _, _) = run(&["d/f"], "tree");
    assert_eq!(out, ".\n`-- d\n    `-- f\n\n1 directory, 1 file\n");
    let (out, _, _) = run(&["b", "B", "_x", "a"], "tree --noreport");
    assert_eq!(out, ".\n|-- B\n|-- _x\n|-- a\n`-- b\n");
}

#[test]
fn hidden_dirs_only_and_level() {
    let setup = [".h", "v/.w", "v/x/y", "f"];
    let (out, _, _) = run(&setup, "tree");
    assert_eq!(
        out,
        ".\n|-- f\n`-- v\n    `-- x\n        `-- y\n\n2 directories, 2 files\n"
    );
    let (out, _, _) = run(&setup, "tree -a");
    assert_eq!(
        out,
        ".\n|-- .h\n|-- f\n`-- v\n    |-- .w\n    `-- x\n        `-- y\n\n2 directories, 4 files\n"
    );
    let (out, _, _) = run(&setup, "tree -d");
    assert_eq!(out, ".\n`-- v\n    `-- x\n\n2 directories\n");
    let (out, _, _) = run(&setup, "tree -L 1");
    assert_eq!(out, ".\n|-- f\n`-- v\n\n1 directory, 1 file\n");
    let (out, err, st) = run(&setup, "tree -L 0");
    assert_eq!(out, "");
    assert_eq!(err, "tree: Invalid level, must be greater than 0.\n");
    assert_eq!(st, 1);
}

#[test]
fn patterns_full_path_and_classify() {
    let setup = [
        "a.txt",
        "b.rs",
        "src/c.rs",
        "src/d.txt",
        "node_modules/m.js",
    ];
    let (out, _, _) = run(&setup, "tree -I 'node_*'");
    assert_eq!(
        out,
        ".\n|-- a.txt\n|-- b.rs\n`-- src\n    |-- c.rs\n    `-- d.txt\n\n1 directory, 4 files\n"
    );
    let (out, _, _) = run(&setup, "tree -P '*.rs' -I node_modules");
    assert_eq!(
        out,
        ".\n|-- b.rs\n`-- src\n    `-- c.rs\n\n1 directory, 2 files\n"
    );
    let (out, _, _) = run(&setup, "tree -f src");
    assert_eq!(
        out,
        "src\n|-- src/c.rs\n`-- src/d.txt\n\n0 directories, 2 files\n"
    );
    let (out, _, _) = run(&["d/", "x"], "chmod +x x; ln -s x l; tree -F");
    assert_eq!(
        out,
        ".\n|-- d/\n|-- l -> x*\n`-- x*\n\n1 directory, 2 files\n"
    );
}

#[test]
fn links_and_errors() {
    let (out, _, _) = run(&["d/f"], "ln -s d ld; ln -s nowhere broken; tree");
    assert_eq!(
        out,
        ".\n|-- broken -> nowhere\n|-- d\n|   `-- f\n`-- ld -> d\n\n2 directories, 2 files\n"
    );
    let (out, _, st) = run(&[], "tree nope");
    assert_eq!(out, "nope [error opening dir]\n\n0 directories, 0 files\n");
    assert_eq!(st, 2);
    let (out, _, _) = run(&["a/x", "b/y"], "tree a b");
    assert_eq!(out, "a\n`-- x\nb\n`-- y\n\n0 directories, 2 files\n");
}

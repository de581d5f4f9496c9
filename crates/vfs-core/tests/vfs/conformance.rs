//! The conformance suite: named operation sequences, each run on the VFS and on Linux
//! (see `oracle`), which must agree on every result and error code.

use crate::oracle::{APPEND, CREAT, DIRECTORY, EXCL, NOFOLLOW, Op, R, TRUNC, W, assert_same};

fn s(x: &str) -> String {
    x.to_string()
}
fn mkdir(p: &str) -> Op {
    Op::Mkdir(s(p), 0o755)
}
fn mkdirm(p: &str, m: u32) -> Op {
    Op::Mkdir(s(p), m)
}
fn rmdir(p: &str) -> Op {
    Op::Rmdir(s(p))
}
fn unlink(p: &str) -> Op {
    Op::Unlink(s(p))
}
fn rename(a: &str, b: &str) -> Op {
    Op::Rename(s(a), s(b))
}
fn link(a: &str, b: &str) -> Op {
    Op::Link(s(a), s(b))
}
fn symlink(t: &str, p: &str) -> Op {
    Op::Symlink(s(t), s(p))
}
fn readlink(p: &str) -> Op {
    Op::Readlink(s(p))
}
fn stat(p: &str) -> Op {
    Op::Stat(s(p))
}
fn lstat(p: &str) -> Op {
    Op::Lstat(s(p))
}
fn write(p: &str, d: &str) -> Op {
    Op::Write(s(p), s(d))
}
fn append(p: &str, d: &str) -> Op {
    Op::Append(s(p), s(d))
}
fn read(p: &str) -> Op {
    Op::Read(s(p))
}
fn ls(p: &str) -> Op {
    Op::ReadDir(s(p))
}
fn realpath(p: &str) -> Op {
    Op::Realpath(s(p))
}
fn cd(p: &str) -> Op {
    Op::Chdir(s(p))
}
fn chmod(p: &str, m: u32) -> Op {
    Op::Chmod(s(p), m)
}
fn truncate(p: &str, n: u64) -> Op {
    Op::Truncate(s(p), n)
}
fn open(slot: u8, p: &str, flags: u16) -> Op {
    Op::Open(slot, s(p), flags, 0o644)
}
fn access(p: &str, m: u8) -> Op {
    Op::Access(s(p), m)
}

/// A long name: `n` copies of `c`.
fn long(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

fn cases() -> Vec<(&'static str, Vec<Op>)> {
    let name255 = long('n', 255);
    let name256 = long('n', 256);
    let deep: String = (0..2100).map(|_| "a/").collect();
    vec![
        (
            "paths: dots, repeated and trailing slashes",
            vec![
                mkdir("a"),
                mkdir("a/b"),
                write("a/b/f", "x"),
                stat("/"),
                stat("//"),
                stat("/.."),
                stat("/../../a"),
                stat("a//b///f"),
                stat("./a/./b/../b/f"),
                stat("a/b/f/"),
                stat("a/b/f/."),
                stat("a/b/f/.."),
                stat("a/b/"),
                stat("a/b/."),
                stat("a/b/.."),
                stat(""),
                stat("nope/x"),
                stat("a/nope/"),
                realpath("a//b/../b/./f"),
                realpath("/../a/"),
                realpath("a/b/f/"),
                realpath("."),
            ],
        ),
        (
            "names: NAME_MAX and PATH_MAX",
            vec![
                write(&name255, "x"),
                stat(&name255),
                write(&name256, "x"),
                stat(&name256),
                mkdir(&name256),
                stat(&format!("{name256}/x")),
                stat(&deep),
                mkdir(&format!("x/{}", long('y', 4090))),
            ],
        ),
        (
            "mkdir and rmdir",
            vec![
                mkdir("d"),
                mkdir("d"),
                mkdir("d/"),
                mkdir("e//"),
                mkdir("d/."),
                mkdir("d/.."),
                mkdir("/"),
                mkdir("nope/x"),
                write("f", ""),
                mkdir("f"),
                mkdir("f/x"),
                mkdir("d/sub"),
                rmdir("d"),
                rmdir("d/sub/"),
                rmdir("d/."),
                rmdir("d/.."),
                rmdir("/"),
                rmdir("f"),
                rmdir("nope"),
                lstat("d"),
                rmdir("d"),
                stat("d"),
                mkdirm("m", 0o1777),
                stat("m"),
                mkdirm("m2", 0o7777),
                stat("m2"),
                stat("/"),
            ],
        ),
        (
            "directory link counts and sizes",
            vec![
                mkdir("p"),
                stat("p"),
                mkdir("p/a"),
                mkdir("p/b"),
                write("p/f", "x"),
                stat("p"),
                rmdir("p/a"),
                stat("p"),
                rename("p/b", "q"),
                stat("p"),
                stat("/"),
            ],
        ),
        (
            "unlink",
            vec![
                write("f", "data"),
                mkdir("d"),
                unlink("d"),
                unlink("d/"),
                unlink("f/"),
                unlink("."),
                unlink(".."),
                unlink("/"),
                unlink("nope"),
                unlink("nope/"),
                symlink("f", "l"),
                unlink("l/"),
                unlink("l"),
                stat("f"),
                unlink("f"),
                stat("f"),
            ],
        ),
        (
            "symlinks: follow, lstat, trailing slash, dangling",
            vec![
                mkdir("d"),
                write("d/f", "hello"),
                symlink("d", "ld"),
                symlink("d/f", "lf"),
                symlink("nowhere", "dangling"),
                symlink("/d/f", "abs"),
                stat("ld"),
                lstat("ld"),
                lstat("ld/"),
                stat("lf"),
                lstat("lf"),
                lstat("lf/"),
                stat("dangling"),
                lstat("dangling"),
                read("abs"),
                read("ld/f"),
                readlink("lf"),
                readlink("ld/"),
                readlink("d"),
                readlink("nope"),
                symlink("x", "lf"),
                symlink("", "empty"),
                symlink("x", "newdir/"),
                symlink("x", "d/f/"),
                ls("ld"),
                realpath("ld/f"),
                realpath("lf"),
                realpath("abs"),
                realpath("dangling"),
                write("dangling", "made"),
                read("nowhere"),
                stat("dangling"),
            ],
        ),
        ("symlink loops and the 40-hop limit", {
            let mut v = vec![
                symlink("loop", "loop"),
                stat("loop"),
                lstat("loop"),
                stat("loop/x"),
            ];
            v.push(write("t0", "end"));
            for i in 1..=41 {
                v.push(symlink(&format!("t{}", i - 1), &format!("t{i}")));
            }
            v.push(read("t40"));
            v.push(read("t41"));
            v.push(symlink("a2", "a1"));
            v.push(symlink("a1", "a2"));
            v.push(stat("a1"));
            v.push(write("a1", "x"));
            v.push(open(1, "loop", R | NOFOLLOW));
            v.push(open(2, "t1", R | NOFOLLOW));
            v
        }),
        (
            "symlinks through directories and .. after a symlink",
            vec![
                mkdir("a"),
                mkdir("a/b"),
                mkdir("c"),
                symlink("../a/b", "c/lb"),
                write("a/b/f", "1"),
                read("c/lb/f"),
                stat("c/lb/.."),
                realpath("c/lb/.."),
                symlink("/", "root"),
                stat("root/a/b/f"),
                realpath("root/../c/lb"),
                symlink("a/b/f", "lfile"),
                stat("lfile/x"),
                mkdir("lfile/x"),
            ],
        ),
        (
            "rename: files",
            vec![
                write("a", "A"),
                write("b", "B"),
                rename("a", "b"),
                read("b"),
                stat("a"),
                rename("b", "b"),
                read("b"),
                link("b", "c"),
                rename("b", "c"),
                stat("b"),
                stat("c"),
                rename("nope", "x"),
                rename("b", "nope/x"),
                mkdir("d"),
                rename("b", "d"),
                rename("b", "b/"),
                rename("b/", "x"),
                rename(".", "x"),
                rename("b", "."),
                rename("b", ".."),
                rename("/", "x"),
                rename("b", "d/b"),
                read("d/b"),
            ],
        ),
        (
            "rename: directories",
            vec![
                mkdir("a"),
                mkdir("a/sub"),
                write("a/sub/f", "x"),
                mkdir("e"),
                mkdir("ne"),
                write("ne/f", "y"),
                write("file", ""),
                rename("a", "a/sub/x"),
                rename("a", "a"),
                rename("a", "a/"),
                rename("a/sub", "a"),
                rename("a", "ne"),
                rename("a", "file"),
                rename("file", "e"),
                rename("a", "e"),
                stat("e/sub/f"),
                stat("a"),
                stat("/"),
                rename("e", "new/"),
                rename("e/", "new2/"),
                stat("new2/sub"),
                rename("new2/sub", "new2/../moved"),
                stat("new2"),
                stat("moved"),
                rename("/moved/", "/ne/"),
            ],
        ),
        (
            "hard links",
            vec![
                write("f", "one"),
                link("f", "g"),
                stat("f"),
                stat("g"),
                append("g", "two"),
                read("f"),
                link("f", "g"),
                link("nope", "x"),
                mkdir("d"),
                link("d", "dl"),
                link("f", "d"),
                link("f", "new/"),
                link("f/", "x"),
                link("f", "."),
                symlink("f", "sl"),
                link("sl", "sl2"),
                lstat("sl2"),
                unlink("f"),
                stat("g"),
                read("g"),
            ],
        ),
        (
            "open flags",
            vec![
                open(1, "new", W | CREAT | EXCL),
                Op::WriteH(1, s("abc")),
                Op::Close(1),
                open(1, "new", W | CREAT | EXCL),
                open(1, "new", R | DIRECTORY),
                open(1, "new/", R),
                open(1, "new/", W | CREAT),
                open(1, "missing", R),
                open(1, "missing/", W | CREAT),
                mkdir("d"),
                open(1, "d", W),
                open(1, "d", R | W),
                open(1, "d", R | TRUNC),
                open(1, "d", R | CREAT),
                open(1, ".", W | CREAT),
                open(1, "d", R | DIRECTORY),
                Op::FstatH(1),
                Op::ReadH(1, 10),
                Op::WriteH(1, s("x")),
                Op::Close(1),
                symlink("new", "ln"),
                open(2, "ln", R | NOFOLLOW),
                open(2, "ln", W | CREAT | EXCL),
                open(2, "ln", W | CREAT | NOFOLLOW),
                open(2, "ln", W | TRUNC),
                Op::Close(2),
                stat("new"),
                symlink("made-by-open", "dang"),
                open(3, "dang", W | CREAT),
                Op::Close(3),
                stat("made-by-open"),
                symlink("nodir/x", "dang2"),
                open(3, "dang2", W | CREAT),
                open(3, "new", R | CREAT | DIRECTORY),
            ],
        ),
        (
            "handles: offsets, append, seek, pread, pwrite",
            vec![
                write("f", "0123456789"),
                open(1, "f", R | W),
                open(2, "f", R),
                Op::ReadH(1, 4),
                Op::WriteH(1, s("ab")),
                Op::ReadH(2, 100),
                Op::SeekH(1, 0, 0),
                Op::ReadH(1, 3),
                Op::SeekH(1, 2, -2),
                Op::ReadH(1, 10),
                Op::SeekH(1, 1, -100),
                Op::SeekH(1, 2, 5),
                Op::WriteH(1, s("Z")),
                Op::FstatH(1),
                Op::PreadH(2, 4, 8),
                Op::PreadH(2, 4, 100),
                Op::PwriteH(1, s("pp"), 0),
                Op::ReadH(1, 10),
                open(3, "f", APPEND),
                Op::WriteH(3, s("END")),
                Op::PwriteH(3, s("P"), 0),
                Op::SeekH(3, 0, 0),
                Op::WriteH(3, s("!")),
                Op::ReadH(3, 1),
                open(4, "f", R),
                Op::WriteH(4, s("no")),
                Op::SetLenH(4, 1),
                open(5, "f", W),
                Op::ReadH(5, 1),
                Op::SetLenH(5, 4),
                Op::ReadH(2, 100),
                Op::PreadH(2, 100, 0),
                read("f"),
            ],
        ),
        (
            "unlinked files stay usable through open handles",
            vec![
                write("f", "keep"),
                open(1, "f", R | W),
                unlink("f"),
                stat("f"),
                Op::FstatH(1),
                Op::WriteH(1, s("-more")),
                Op::PreadH(1, 100, 0),
                Op::FstatH(1),
                write("f", "new"),
                Op::PreadH(1, 100, 0),
                read("f"),
                Op::Close(1),
                mkdir("d"),
                open(2, "d", R | DIRECTORY),
                rmdir("d"),
                Op::FstatH(2),
                Op::Close(2),
            ],
        ),
        (
            "truncate and holes",
            vec![
                write("f", "hello world"),
                truncate("f", 5),
                read("f"),
                truncate("f", 8),
                read("f"),
                stat("f"),
                truncate("f", 0),
                stat("f"),
                mkdir("d"),
                truncate("d", 0),
                truncate("nope", 0),
                open(1, "g", W | CREAT),
                Op::SeekH(1, 0, 6),
                Op::WriteH(1, s("x")),
                Op::FstatH(1),
                read("g"),
                Op::SetLenH(1, 3),
                read("g"),
            ],
        ),
        (
            "readdir",
            vec![
                mkdir("d"),
                write("d/b", ""),
                write("d/a", ""),
                mkdir("d/c"),
                symlink("a", "d/l"),
                ls("d"),
                ls("d/"),
                ls("d/a"),
                ls("nope"),
                ls("/"),
                symlink("d", "ld"),
                ls("ld"),
            ],
        ),
        (
            "chmod, access, umask",
            vec![
                write("f", "x"),
                chmod("f", 0o4755),
                stat("f"),
                chmod("f", 0o17777),
                stat("f"),
                chmod("nope", 0o644),
                symlink("f", "l"),
                chmod("l", 0o600),
                stat("f"),
                lstat("l"),
                access("f", 0),
                access("f", 7),
                chmod("f", 0o644),
                access("f", 1),
                access("f", 6),
                access("nope", 0),
                access("f", 8),
                Op::Umask(0o077),
                write("g", ""),
                mkdir("gd"),
                stat("g"),
                stat("gd"),
                Op::Umask(0),
                write("h", ""),
                stat("h"),
                Op::Open(1, s("m"), W | CREAT, 0o7777),
                stat("m"),
            ],
        ),
        (
            "utimes",
            vec![
                write("f", "x"),
                Op::Utimes(s("f"), Some(1_000_000), Some(2_000_000)),
                Op::Times(s("f")),
                Op::Utimes(s("f"), None, Some(5)),
                Op::Times(s("f")),
                Op::Utimes(s("f"), Some(-86400), None),
                Op::Times(s("f")),
                Op::Utimes(s("nope"), Some(1), Some(1)),
                symlink("f", "l"),
                Op::Utimes(s("l"), Some(7), Some(8)),
                Op::Times(s("f")),
            ],
        ),
        (
            "permissions as an ordinary user",
            vec![
                mkdirm("pub", 0o777),
                mkdirm("priv", 0o700),
                write("priv/secret", "s"),
                mkdirm("ro", 0o555),
                write("ro/f", "r"),
                mkdirm("noexec", 0o666),
                write("noexec/f", "n"),
                mkdirm("sticky", 0o1777),
                write("sticky/rootfile", "x"),
                write("rofile", "r"),
                chmod("rofile", 0o444),
                Op::AsUser(1000, 1000),
                stat("priv/secret"),
                ls("priv"),
                read("priv/secret"),
                write("ro/new", "x"),
                read("ro/f"),
                unlink("ro/f"),
                mkdir("ro/d"),
                stat("noexec/f"),
                ls("noexec"),
                write("pub/mine", "m"),
                stat("pub/mine"),
                mkdir("pub/mydir"),
                stat("pub/mydir"),
                chmod("rofile", 0o666),
                write("rofile", "w"),
                read("rofile"),
                access("rofile", 4),
                access("rofile", 2),
                access("priv/secret", 0),
                unlink("sticky/rootfile"),
                write("sticky/userfile", "u"),
                rename("sticky/rootfile", "pub/stolen"),
                link("rofile", "pub/hl"),
                Op::Chown(s("pub/mine"), Some(0), None),
                Op::Chown(s("pub/mine"), None, Some(1000)),
                Op::Utimes(s("rofile"), Some(1), Some(1)),
                chmod("pub/mine", 0o600),
                stat("pub/mine"),
                cd("priv"),
                Op::AsRoot,
                unlink("sticky/userfile"),
                stat("pub/mine"),
            ],
        ),
        (
            "working directory",
            vec![
                mkdir("a"),
                mkdir("a/b"),
                cd("a/b"),
                Op::Getcwd,
                write("f", "here"),
                read("/a/b/f"),
                cd(".."),
                Op::Getcwd,
                cd("../../.."),
                Op::Getcwd,
                cd("a/b/f"),
                cd("nope"),
                symlink("a/b", "lb"),
                cd("lb"),
                Op::Getcwd,
                cd("/"),
                rename("a", "z"),
                cd("z/b"),
                rename("/z", "/y"),
                Op::Getcwd,
                stat("f"),
            ],
        ),
        (
            "removed working directory",
            vec![
                mkdir("gone"),
                cd("gone"),
                rmdir("/gone"),
                Op::Getcwd,
                stat("."),
                write("f", "x"),
                mkdir("sub"),
                ls("."),
                cd(".."),
                Op::Getcwd,
            ],
        ),
        (
            "chown and lchown as root",
            vec![
                write("f", "x"),
                chmod("f", 0o6755),
                Op::Chown(s("f"), Some(7), Some(8)),
                stat("f"),
                symlink("f", "l"),
                Op::Lchown(s("l"), Some(9), Some(9)),
                lstat("l"),
                stat("l"),
                Op::Chown(s("l"), None, Some(3)),
                stat("f"),
            ],
        ),
    ]
}

#[test]
fn conformance_against_linux() {
    assert_same(&cases());
}

//! `tar` (GNU tar 1.34): create (`c`), extract (`x`) and list (`t`) archives on the VFS,
//! with old-style bundled options (`tar cvf a.tar dir`), `-f -`, `-z`, `-v`/`-vv`,
//! `-C`, `-O`, `--strip-components`, `--exclude`, `-k`, `-m`, `-P`, `-h`, `-T`, `-X`.
//! Archives are written in GNU format like GNU tar's default; ustar, GNU and pax
//! archives are read.

use super::print_text;
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;

mod create;
mod extract;
mod format;

/// `tar -c|-x|-t [options] [FILE]...`
pub struct Tar;

const HELP: &str = include_str!("help.txt");
const VERSION: &str = "tar (GNU tar) 1.34\nCopyright (C) 2021 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\nWritten by John Gilmore and Jay Fenlason.\n";

/// The operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Create,
    Extract,
    List,
}

/// Everything the options set.
pub(crate) struct Opts {
    op: Option<Op>,
    /// `-f`: the archive (`-` for stdin/stdout).
    archive: Option<String>,
    /// `-v` count.
    verbose: u32,
    /// `-z`.
    gzip: bool,
    /// `-a`: pick the compression from the archive's suffix.
    auto: bool,
    /// `-O`.
    to_stdout: bool,
    /// `--strip-components`.
    strip: usize,
    /// `--exclude` patterns.
    excludes: Vec<String>,
    /// `-k`.
    keep_old: bool,
    /// `-m`.
    touch: bool,
    /// `-P`.
    absolute: bool,
    /// `-h`.
    dereference: bool,
    /// `--no-recursion`.
    no_recursion: bool,
    /// `--full-time`.
    full_time: bool,
    /// `--numeric-owner`.
    numeric_owner: bool,
    /// `--no-same-owner`: do not restore owners on extract (they are, as root, by default).
    no_same_owner: bool,
    /// `--wildcards` / `--no-wildcards` for member operands (GNU default: off).
    wildcards: Option<bool>,
    /// `--owner`: (name, id) forced on created members.
    owner: Option<(String, u64)>,
    /// `--group`: (name, id) forced on created members.
    group: Option<(String, u64)>,
    /// `--no-same-permissions` (apply the umask on extract).
    no_same_perms: bool,
    /// Operands, each with the `-C` directory in force when it was given.
    names: Vec<(String, String)>,
    /// The last `-C` directory (relative to the start directory), for extract/list.
    dir: String,
}

/// Shared run state: the exit status and messages already given.
pub(crate) struct Run<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// Any error so far (GNU's "Exiting with failure status").
    failed: bool,
    /// Prefixes already reported by "Removing leading `...' from member names".
    warned_prefixes: Vec<Vec<u8>>,
    /// Where `-v` goes.
    verbose_to_stderr: bool,
    /// GNU's growing user/group/size column width for long listings.
    ugswidth: usize,
}

impl Run<'_, '_> {
    /// Print `tar: MSG` and remember the failure.
    fn error(&mut self, msg: &str) {
        self.ctx.err(msg);
        self.failed = true;
    }

    /// Print `tar: MSG` without failing.
    fn warn(&self, msg: &str) {
        self.ctx.err(msg);
    }

    /// Write a verbose line.
    fn verbose(&self, line: &[u8]) -> Result<(), i32> {
        if self.verbose_to_stderr {
            let _ = self.ctx.stderr.write_all(line);
            Ok(())
        } else {
            self.ctx.out(line).map_err(Ctx::stop_status)
        }
    }
}

/// `-C DIR` joined onto `base`.
fn join(base: &str, rel: &str) -> String {
    if rel.starts_with('/') || base.is_empty() || base == "." {
        return rel.to_string();
    }
    if rel.is_empty() || rel == "." {
        return base.to_string();
    }
    format!("{}/{rel}", base.trim_end_matches('/'))
}

/// GNU tar's escape quoting for names in listings and messages.
pub(crate) fn quote(name: &[u8]) -> String {
    let mut s = String::with_capacity(name.len());
    for &c in name {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            7 => s.push_str("\\a"),
            8 => s.push_str("\\b"),
            12 => s.push_str("\\f"),
            b'\r' => s.push_str("\\r"),
            11 => s.push_str("\\v"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\{c:03o}")),
        }
    }
    s
}

/// fnmatch without FNM_PATHNAME: `*`, `?`, `[...]`, backslash escapes.
pub(crate) fn fnmatch(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star_p, mut star_s) = (usize::MAX, 0);
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star_p = pi;
                    star_s = si;
                    pi += 1;
                    continue;
                }
                b'?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, next)) = class(&p[pi..], s[si]) {
                        if ok {
                            pi += next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == s[si] {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                }
                c => {
                    if c == s[si] {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
            }
        }
        if star_p == usize::MAX {
            return false;
        }
        pi = star_p + 1;
        star_s += 1;
        si = star_s;
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// Match a bracket expression at the start of `p` against `c`: (matched, its length).
fn class(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(1), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        let x = p[i];
        if x == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
            if (x..=p[i + 2]).contains(&c) {
                matched = true;
            }
            i += 3;
        } else {
            if x == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

/// GNU's default `--exclude` matching: the pattern matches the whole name or any
/// trailing run of its components.
pub(crate) fn excluded(pats: &[String], name: &[u8]) -> bool {
    if pats.is_empty() {
        return false;
    }
    let name = name.strip_suffix(b"/").unwrap_or(name);
    pats.iter().any(|p| {
        let p = p.as_bytes();
        let p = p.strip_suffix(b"/").unwrap_or(p);
        // Any run of whole components (GNU: unanchored, FNM_LEADING_DIR).
        let starts = std::iter::once(0).chain(
            name.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'/')
                .map(|(i, _)| i + 1),
        );
        starts.into_iter().any(|st| {
            let sub = &name[st..];
            let ends = sub
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'/')
                .map(|(i, _)| i)
                .chain(std::iter::once(sub.len()));
            ends.into_iter().any(|en| fnmatch(p, &sub[..en]))
        })
    })
}

fn usage_fail(ctx: &Ctx<'_>, msg: &str, status: i32) -> i32 {
    ctx.err(msg);
    let _ = ctx
        .stderr
        .write_all(b"Try 'tar --help' or 'tar --usage' for more information.\n");
    status
}

/// `--owner`/`--group` values: `NAME:ID`, a number, or a name (`root` is 0).
fn owner_spec(v: &str) -> Option<(String, u64)> {
    if let Some((name, id)) = v.split_once(':') {
        return Some((name.to_string(), id.parse().ok()?));
    }
    if let Ok(n) = v.parse::<u64>() {
        return Some((if n == 0 { "root".into() } else { String::new() }, n));
    }
    if v.is_empty() {
        return None;
    }
    Some((v.to_string(), 0))
}

/// Expand an old-style first argument (`cvf a.tar` -> `-c -v -f a.tar`).
fn expand_old_style(args: &[String]) -> Vec<String> {
    let Some(first) = args.first() else {
        return Vec::new();
    };
    if first.starts_with('-') {
        return args.to_vec();
    }
    let mut out = Vec::new();
    let mut rest = args[1..].iter();
    for c in first.chars() {
        out.push(format!("-{c}"));
        if "fCTXbgKLNV".contains(c)
            && let Some(v) = rest.next()
        {
            out.push(v.clone());
        }
    }
    out.extend(rest.cloned());
    out
}

const LONG: &[&str] = &[
    "create",
    "extract",
    "get",
    "list",
    "file=",
    "directory=",
    "gzip",
    "gunzip",
    "ungzip",
    "verbose",
    "to-stdout",
    "strip-components=",
    "exclude=",
    "exclude-from=",
    "files-from=",
    "keep-old-files",
    "overwrite",
    "touch",
    "absolute-names",
    "dereference",
    "no-recursion",
    "recursion",
    "full-time",
    "numeric-owner",
    "same-owner",
    "no-same-owner",
    "preserve-permissions",
    "same-permissions",
    "no-same-permissions",
    "sort=",
    "format=",
    "auto-compress",
    "wildcards",
    "no-wildcards",
    "help",
    "usage",
    "version",
    "warning=",
    "totals",
    "owner=",
    "group=",
    "mode=",
    "mtime=",
    "append",
    "update",
    "delete",
    "diff",
    "compare",
    "concatenate",
    "bzip2",
    "xz",
    "lzma",
    "zstd",
    "transform=",
    "one-top-level",
    "remove-files",
];

impl Command for Tar {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = expand_old_style(&ctx.args[1..]);
        let parsed = match parse_args(&args, "fCTXb", "cxtvzZjJOkmPhpaSwBiGUrudA", LONG) {
            Ok(p) => p,
            Err(e) => return usage_fail(ctx, &e.0, 64),
        };
        let mut o = Opts {
            op: None,
            archive: None,
            verbose: 0,
            gzip: false,
            auto: false,
            to_stdout: false,
            strip: 0,
            excludes: Vec::new(),
            keep_old: false,
            touch: false,
            absolute: false,
            dereference: false,
            no_recursion: false,
            full_time: false,
            numeric_owner: false,
            no_same_owner: false,
            wildcards: None,
            owner: None,
            group: None,
            no_same_perms: false,
            names: Vec::new(),
            dir: String::new(),
        };
        let mut ops = 0;
        for a in parsed {
            let (key, val) = match a {
                Arg::Short(c, v) => (c.to_string(), v),
                Arg::Long(l, v) => (l, v),
                Arg::Operand(f) => {
                    o.names.push((o.dir.clone(), f));
                    continue;
                }
            };
            let val = val.unwrap_or_default();
            let mut set_op = |op: Op, o: &mut Opts| {
                if o.op != Some(op) {
                    ops += 1;
                }
                o.op = Some(op);
            };
            match key.as_str() {
                "c" | "create" => set_op(Op::Create, &mut o),
                "x" | "extract" | "get" => set_op(Op::Extract, &mut o),
                "t" | "list" => set_op(Op::List, &mut o),
                "f" | "file" => o.archive = Some(val),
                "C" | "directory" => o.dir = join(&o.dir, &val),
                "v" | "verbose" => o.verbose += 1,
                "z" | "gzip" | "gunzip" | "ungzip" => o.gzip = true,
                "O" | "to-stdout" => o.to_stdout = true,
                "strip-components" => match val.parse() {
                    Ok(n) => o.strip = n,
                    Err(_) => {
                        return usage_fail(ctx, &format!("Invalid number of elements: '{val}'"), 2);
                    }
                },
                "exclude" => o.excludes.push(val),
                "X" | "exclude-from" | "T" | "files-from" => {
                    let read = if val == "-" {
                        let mut v = Vec::new();
                        ctx.stdin
                            .read_to_end(&mut v, crate::commands::util::MAX_INPUT)
                            .map(|()| bytes::Bytes::from(v))
                            .map_err(|_| vfs_core::Error::new(vfs_core::Errno::Io))
                    } else {
                        ctx.vfs.read(&val)
                    };
                    let data = match read {
                        Ok(d) => d,
                        Err(e) => {
                            let how = if key == "X" || key == "exclude-from" {
                                ""
                            } else {
                                "Cannot stat: "
                            };
                            ctx.err(&format!(
                                "{}: {how}{}",
                                quote(val.as_bytes()),
                                e.errno().message()
                            ));
                            ctx.err("Error is not recoverable: exiting now");
                            return 2;
                        }
                    };
                    for line in data.split(|&b| b == b'\n') {
                        if line.is_empty() {
                            continue;
                        }
                        let s = String::from_utf8_lossy(line).into_owned();
                        if key == "X" || key == "exclude-from" {
                            o.excludes.push(s);
                        } else {
                            o.names.push((o.dir.clone(), s));
                        }
                    }
                }
                "k" | "keep-old-files" => o.keep_old = true,
                "overwrite" => o.keep_old = false,
                "m" | "touch" => o.touch = true,
                "P" | "absolute-names" => o.absolute = true,
                "h" | "dereference" => o.dereference = true,
                "no-recursion" => o.no_recursion = true,
                "recursion" => o.no_recursion = false,
                "full-time" => o.full_time = true,
                "numeric-owner" => o.numeric_owner = true,
                "owner" | "group" => {
                    let Some(v) = owner_spec(&val) else {
                        let what = if key == "owner" { "user" } else { "group" };
                        return usage_fail(
                            ctx,
                            &format!("{}: Invalid {what}", quote(val.as_bytes())),
                            2,
                        );
                    };
                    if key == "owner" {
                        o.owner = Some(v);
                    } else {
                        o.group = Some(v);
                    }
                }
                "p" | "preserve-permissions" | "same-permissions" => o.no_same_perms = false,
                "no-same-permissions" => o.no_same_perms = true,
                "help" => return print_text(ctx, HELP),
                "usage" => return print_text(ctx, "Usage: tar [OPTION...] [FILE]...\n"),
                "version" => return print_text(ctx, VERSION),
                "a" | "auto-compress" => o.auto = true,
                "no-same-owner" => o.no_same_owner = true,
                "same-owner" => o.no_same_owner = false,
                "wildcards" => o.wildcards = Some(true),
                "no-wildcards" => o.wildcards = Some(false),
                "sort" | "format" | "warning" | "totals" | "b" => {}
                other => {
                    let shown = if other.len() == 1 {
                        format!("-{other}")
                    } else {
                        format!("--{other}")
                    };
                    ctx.err(&format!("option '{shown}' is not supported"));
                    return 2;
                }
            }
        }
        if ops > 1 {
            return usage_fail(
                ctx,
                "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
                2,
            );
        }
        let Some(op) = o.op else {
            return usage_fail(
                ctx,
                "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
                2,
            );
        };
        let archive = o.archive.clone().unwrap_or_else(|| "-".into());
        if o.auto && op == Op::Create {
            let lower = archive.to_ascii_lowercase();
            if [".gz", ".tgz", ".taz"].iter().any(|s| lower.ends_with(s)) {
                o.gzip = true;
            } else if [
                ".bz2", ".tbz", ".tbz2", ".tz2", ".xz", ".txz", ".lz", ".lzma", ".tlz", ".zst",
                ".tzst", ".z", ".taz", ".Z", ".lzo", ".lz4",
            ]
            .iter()
            .any(|s| lower.ends_with(s))
            {
                ctx.err("only gzip compression is supported (-a with this suffix is not)");
                return 2;
            }
        }
        let mut run = Run {
            ctx,
            failed: false,
            warned_prefixes: Vec::new(),
            verbose_to_stderr: (op == Op::Create && archive == "-") || o.to_stdout,
            ugswidth: 19,
        };
        let status = match op {
            Op::Create => {
                if o.names.is_empty() {
                    return usage_fail(ctx, "Cowardly refusing to create an empty archive", 2);
                }
                create::create(&mut run, &o, &archive)
            }
            Op::Extract | Op::List => extract::read_archive(&mut run, &o, &archive, op),
        };
        match status {
            Err(code) => code,
            Ok(()) => {
                if run.failed {
                    ctx.err("Exiting with failure status due to previous errors");
                    2
                } else {
                    0
                }
            }
        }
    }
}

/// Report `tar: DIR: Cannot open: MSG` and the fatal line; status 2.
fn fatal(run: &mut Run<'_, '_>, name: &str, msg: &str) -> i32 {
    run.warn(&format!("{}: Cannot open: {msg}", quote(name.as_bytes())));
    run.warn("Error is not recoverable: exiting now");
    2
}

/// Open the archive for reading or writing.
fn open_archive(run: &mut Run<'_, '_>, path: &str, write: bool) -> Result<Fd, i32> {
    let ctx = run.ctx;
    if path == "-" {
        return Ok(if write {
            ctx.stdout.clone()
        } else {
            ctx.stdin.clone()
        });
    }
    if let Some(fd) = ctx.dev_file(path) {
        return Ok(fd);
    }
    let opts = if write {
        vfs_core::OpenOptions::create_truncate()
    } else {
        vfs_core::OpenOptions::read_only()
    };
    match super::open_fd(ctx, path, &opts) {
        Ok(fd) => Ok(fd),
        Err(e) => {
            ctx.err(&format!(
                "{}: Cannot open: {}",
                quote(path.as_bytes()),
                e.errno().message()
            ));
            ctx.err("Error is not recoverable: exiting now");
            Err(2)
        }
    }
}

/// The long-listing line for `e` (`-rw-r--r-- root/root 6 2024-01-02 03:04 name`).
fn long_line(run: &mut Run<'_, '_>, o: &Opts, e: &format::Entry, shown: &[u8]) -> Vec<u8> {
    let t = match e.kind {
        b'1' => 'h',
        b'2' => 'l',
        b'5' => 'd',
        b'3' => 'c',
        b'4' => 'b',
        b'6' => 'p',
        _ => '-',
    };
    let modes = super::mode_string(t, e.mode);
    let user = if e.uname.is_empty() || o.numeric_owner {
        e.uid.to_string()
    } else {
        e.uname.clone()
    };
    let group = if e.gname.is_empty() || o.numeric_owner {
        e.gid.to_string()
    } else {
        e.gname.clone()
    };
    let size = e.size.to_string();
    let (y, mo, d, h, mi, s) = super::civil(e.mtime, super::zone_offset(run.ctx));
    let date = if o.full_time {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
    };
    let pad = user.len() + 1 + group.len() + 1 + size.len();
    if pad > run.ugswidth {
        run.ugswidth = pad;
    }
    let width = run.ugswidth - pad + size.len();
    let mut line = format!("{modes} {user}/{group} {size:>width$} {date:<16} ").into_bytes();
    line.extend_from_slice(quote(shown).as_bytes());
    match e.kind {
        b'2' => {
            line.extend_from_slice(b" -> ");
            line.extend_from_slice(quote(&e.link).as_bytes());
        }
        b'1' => {
            line.extend_from_slice(b" link to ");
            line.extend_from_slice(quote(&e.link).as_bytes());
        }
        _ => {}
    }
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_style() {
        let a: Vec<String> = ["cvf", "a.tar", "d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(expand_old_style(&a), ["-c", "-v", "-f", "a.tar", "d"]);
    }

    #[test]
    fn matching() {
        assert!(fnmatch(b"*.o", b"a/b.o"));
        assert!(fnmatch(b"[ab]x", b"bx"));
        assert!(!fnmatch(b"a?", b"a"));
        assert!(excluded(&["b".into()], b"d/b"));
        assert!(excluded(&["*.txt".into()], b"d/e/x.txt"));
        assert!(!excluded(&["b".into()], b"d/bb"));
        assert!(excluded(&["src".into()], b"p/src/main.c"));
        assert_eq!(quote(b"a\nb\\"), "a\\nb\\\\");
    }
}

//! `tree` (tree 2.1.0): list directories as a tree, with `-a -d -L N -I PAT -P PAT -f
//! -F --noreport --charset`, names in byte order (strcoll in the C locale), and the
//! final "N directories, M files" report. The branches are drawn with box-drawing
//! characters when the charset is UTF-8 (`--charset`, `TREE_CHARSET`, or a UTF-8
//! locale) and with tree's ASCII set otherwise, as tree does.

use vfs_core::{FileType, Metadata};

use super::{Out, print_text, stopped};
use crate::commands::{Command, Ctx};

/// `tree [OPTIONS] [DIRECTORY ...]`
pub struct Tree;

#[derive(Default)]
struct Opts {
    all: bool,
    dirs_only: bool,
    full_path: bool,
    classify: bool,
    no_report: bool,
    level: Option<usize>,
    ignore: Vec<String>,
    pattern: Vec<String>,
    utf8: bool,
}

/// The line-drawing pieces: vertical bar, tee, corner.
struct Lines {
    vert: &'static str,
    tee: &'static str,
    corner: &'static str,
}

const UTF8_LINES: Lines = Lines {
    vert: "\u{2502}\u{a0}\u{a0} ",
    tee: "\u{251c}\u{2500}\u{2500} ",
    corner: "\u{2514}\u{2500}\u{2500} ",
};

const ASCII_LINES: Lines = Lines {
    vert: "|   ",
    tee: "|-- ",
    corner: "`-- ",
};

/// tree's wildcard match: `*`, `?`, `[...]` and `|` between alternatives.
fn patmatch(name: &[u8], pat: &str) -> bool {
    pat.split('|').any(|p| glob(name, p.as_bytes()))
}

fn glob(s: &[u8], p: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    let (mut star_p, mut star_s) = (None, 0);
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star_p = Some(pi);
                    star_s = si;
                    pi += 1;
                    continue;
                }
                b'?' => {
                    si += 1;
                    pi += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, next)) = class(s[si], &p[pi..]) {
                        if ok {
                            si += 1;
                            pi += next;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        si += 1;
                        pi += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() && p[pi + 1] == s[si] => {
                    si += 1;
                    pi += 2;
                    continue;
                }
                c if c == s[si] => {
                    si += 1;
                    pi += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star_p {
            Some(sp) => {
                star_s += 1;
                si = star_s;
                pi = sp + 1;
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Match `c` against the bracket expression at the start of `p`: (matched, its length).
fn class(c: u8, p: &[u8]) -> Option<(bool, usize)> {
    let mut i = 1;
    let neg = matches!(p.get(1), Some(b'!' | b'^'));
    if neg {
        i += 1;
    }
    let mut ok = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == b']' && !first {
            return Some((ok != neg, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
            if (p[i]..=p[i + 2]).contains(&c) {
                ok = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                ok = true;
            }
            i += 1;
        }
    }
    None
}

fn indicator(m: &Metadata) -> &'static str {
    match m.file_type {
        FileType::Dir => "/",
        FileType::Symlink => "@",
        FileType::File if m.mode & 0o111 != 0 => "*",
        FileType::File => "",
    }
}

/// Whether the locale settings in `env` name a UTF-8 codeset.
fn utf8_locale(ctx: &Ctx<'_>) -> bool {
    let v = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| ctx.env.get(*k).filter(|v| !v.is_empty()))
        .map(|v| v.to_ascii_lowercase())
        .unwrap_or_default();
    v.contains("utf-8") || v.contains("utf8")
}

struct Walker<'o, 'c, 'a> {
    o: &'o Opts,
    lines: &'o Lines,
    out: &'o mut Out<'c, 'a>,
    dirs: u64,
    files: u64,
}

impl Walker<'_, '_, '_> {
    fn put(&mut self, s: &str) -> Result<(), crate::commands::Stop> {
        self.out.put(s.as_bytes())
    }

    /// List the entries of directory `path` under the branch prefix `prefix`.
    fn list(
        &mut self,
        ctx: &Ctx<'_>,
        path: &str,
        prefix: &mut String,
        depth: usize,
    ) -> Result<(), crate::commands::Stop> {
        if ctx.cancel.is_cancelled() {
            return Err(crate::commands::Stop::Cancelled);
        }
        let Ok(entries) = ctx.vfs.read_dir(path) else {
            return Ok(());
        };
        let mut list: Vec<(Vec<u8>, Metadata, Option<Metadata>)> = Vec::new();
        for e in entries {
            let name = e.name_bytes().to_vec();
            if name == b"." || name == b".." {
                continue;
            }
            if name.first() == Some(&b'.') && !self.o.all {
                continue;
            }
            let p = join(path, &String::from_utf8_lossy(&name));
            let Ok(lm) = ctx.vfs.lstat(&p) else { continue };
            let target = if lm.is_symlink() {
                ctx.vfs.stat(&p).ok()
            } else {
                None
            };
            let is_dir = lm.is_dir() || target.is_some_and(|t| t.is_dir());
            if self.o.dirs_only && !is_dir {
                continue;
            }
            if self.o.ignore.iter().any(|pat| patmatch(&name, pat)) {
                continue;
            }
            if !is_dir
                && !self.o.pattern.is_empty()
                && !self.o.pattern.iter().any(|pat| patmatch(&name, pat))
            {
                continue;
            }
            list.push((name, lm, target));
        }
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let n = list.len();
        for (i, (name, lm, target)) in list.into_iter().enumerate() {
            let last = i + 1 == n;
            let name_s = String::from_utf8_lossy(&name).into_owned();
            let p = join(path, &name_s);
            let mut line = prefix.clone();
            line.push_str(if last {
                self.lines.corner
            } else {
                self.lines.tee
            });
            line.push_str(if self.o.full_path { &p } else { &name_s });
            let is_dir = lm.is_dir() || target.is_some_and(|t| t.is_dir());
            if lm.is_symlink() {
                let t = ctx
                    .vfs
                    .read_link(&p)
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                line.push_str(" -> ");
                line.push_str(&t);
                if self.o.classify
                    && let Some(tm) = &target
                {
                    line.push_str(indicator(tm));
                }
            } else if self.o.classify {
                line.push_str(indicator(&lm));
            }
            line.push('\n');
            self.put(&line)?;
            if is_dir {
                self.dirs += 1;
            } else {
                self.files += 1;
            }
            if lm.is_dir() && self.o.level.is_none_or(|l| depth < l) {
                let keep = prefix.len();
                prefix.push_str(if last { "    " } else { self.lines.vert });
                self.list(ctx, &p, prefix, depth + 1)?;
                prefix.truncate(keep);
            }
        }
        Ok(())
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

impl Command for Tree {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut o = Opts::default();
        let mut charset: Option<String> = ctx.env.get("TREE_CHARSET").cloned();
        let mut roots = Vec::new();
        let args = &ctx.args[1..];
        let mut i = 0;
        let mut only_operands = false;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if only_operands || !a.starts_with('-') || a == "-" {
                roots.push(a.clone());
                continue;
            }
            if a == "--" {
                only_operands = true;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                let (name, val) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                match name {
                    "noreport" => o.no_report = true,
                    "help" => return print_text(ctx, HELP),
                    "version" => return print_text(ctx, VERSION),
                    "charset" => {
                        let v = match val {
                            Some(v) => v,
                            None => match args.get(i) {
                                Some(v) => {
                                    i += 1;
                                    v.clone()
                                }
                                None => return missing(ctx, "--charset"),
                            },
                        };
                        charset = Some(v);
                    }
                    _ => {
                        ctx.err(&format!("Invalid argument `{a}'."));
                        let _ = ctx.stderr.write_all(USAGE.as_bytes());
                        return 1;
                    }
                }
                continue;
            }
            let chars: Vec<char> = a[1..].chars().collect();
            for (k, &c) in chars.iter().enumerate() {
                match c {
                    'a' => o.all = true,
                    'd' => o.dirs_only = true,
                    'f' => o.full_path = true,
                    'F' => o.classify = true,
                    'L' | 'I' | 'P' => {
                        if k + 1 != chars.len() {
                            ctx.err(&format!("Invalid argument `{a}'."));
                            let _ = ctx.stderr.write_all(USAGE.as_bytes());
                            return 1;
                        }
                        let Some(v) = args.get(i).cloned() else {
                            return missing(ctx, &format!("-{c}"));
                        };
                        i += 1;
                        match c {
                            'L' => match v.parse::<i64>() {
                                Ok(n) if n >= 1 => o.level = Some(n as usize),
                                _ => {
                                    ctx.err("Invalid level, must be greater than 0.");
                                    return 1;
                                }
                            },
                            'I' => o.ignore.push(v),
                            _ => o.pattern.push(v),
                        }
                    }
                    _ => {
                        ctx.err(&format!("Invalid argument -`{c}'."));
                        let _ = ctx.stderr.write_all(USAGE.as_bytes());
                        return 1;
                    }
                }
            }
        }
        o.utf8 = match &charset {
            Some(c) => c.eq_ignore_ascii_case("utf-8") || c.eq_ignore_ascii_case("utf8"),
            None => utf8_locale(ctx),
        };
        if roots.is_empty() {
            roots.push(".".into());
        }
        let lines = if o.utf8 { &UTF8_LINES } else { &ASCII_LINES };
        let mut out = Out::new(ctx);
        let mut w = Walker {
            o: &o,
            lines,
            out: &mut out,
            dirs: 0,
            files: 0,
        };
        let mut status = 0;
        for r in &roots {
            let res = match ctx.vfs.stat(r) {
                Ok(m) if m.is_dir() => w.put(&format!("{r}\n")).and_then(|()| {
                    let mut prefix = String::new();
                    w.list(ctx, r, &mut prefix, 1)
                }),
                Ok(m) => {
                    w.files += 1;
                    let ind = if o.classify { indicator(&m) } else { "" };
                    w.put(&format!("{r}{ind}\n"))
                }
                Err(_) => {
                    status = 2;
                    w.put(&format!("{r} [error opening dir]\n"))
                }
            };
            if let Err(s) = res {
                return stopped(s);
            }
        }
        if !o.no_report {
            let (d, f) = (w.dirs, w.files);
            let ds = if d == 1 { "directory" } else { "directories" };
            let text = if o.dirs_only {
                format!("\n{d} {ds}\n")
            } else {
                let fs = if f == 1 { "file" } else { "files" };
                format!("\n{d} {ds}, {f} {fs}\n")
            };
            if let Err(s) = w.put(&text) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

fn missing(ctx: &Ctx<'_>, opt: &str) -> i32 {
    ctx.err(&format!("Missing argument to {opt} option."));
    1
}

const VERSION: &str = "tree v2.1.0 (c) 1996 - 2022 by Steve Baker, Thomas Moore, Francesc Rocher, Florian Sesser, Kyosuke Tokoro\n";

const USAGE: &str = "usage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]
\t[-T title] [-o filename] [-P pattern] [-I pattern] [--gitignore]
\t[--gitfile[=]file] [--matchdirs] [--metafirst] [--ignore-case]
\t[--nolinks] [--hintro[=]file] [--houtro[=]file] [--inodes] [--device]
\t[--sort[=]<name>] [--dirsfirst] [--filesfirst] [--filelimit #] [--si]
\t[--du] [--prune] [--charset[=]X] [--timefmt[=]format] [--fromfile]
\t[--fflinks] [--info] [--infofile[=]file] [--noreport] [--version] [--help]
\t[--] [directory ...]
";

const HELP: &str = "usage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]
\t[-T title] [-o filename] [-P pattern] [-I pattern] [--gitignore]
\t[--gitfile[=]file] [--matchdirs] [--metafirst] [--ignore-case]
\t[--nolinks] [--hintro[=]file] [--houtro[=]file] [--inodes] [--device]
\t[--sort[=]<name>] [--dirsfirst] [--filesfirst] [--filelimit #] [--si]
\t[--du] [--prune] [--charset[=]X] [--timefmt[=]format] [--fromfile]
\t[--fflinks] [--info] [--infofile[=]file] [--noreport] [--version] [--help]
\t[--] [directory ...]
  ------- Listing options -------
  -a            All files are listed.
  -d            List directories only.
  -l            Follow symbolic links like directories.
  -f            Print the full path prefix for each file.
  -L level      Descend only level directories deep.
  -P pattern    List only those files that match the pattern given.
  -I pattern    Do not list files that match the given pattern.
  --noreport    Turn off file/directory count at end of tree listing.
  --charset X   Use charset X for terminal/HTML and indentation line output.
  -F            Appends '/', '=', '*', '@', '|' or '>' as per ls -F.
  -- Options processing terminator.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(patmatch(b"a.txt", "*.txt"));
        assert!(patmatch(b"b.rs", "*.txt|*.rs"));
        assert!(!patmatch(b"b.rs", "*.txt"));
        assert!(patmatch(b"x1", "x[0-9]"));
        assert!(!patmatch(b"xa", "x[0-9]"));
        assert!(patmatch(b"node_modules", "node_*"));
    }
}

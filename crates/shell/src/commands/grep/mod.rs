//! `grep`, `egrep`, `fgrep` (GNU grep 3.8 in the C locale): options, patterns, and the
//! walk over operands and directories. The search itself is in [`search`].

mod help;
mod perl;
mod search;

use std::sync::Arc;

use search::{
    BinaryFiles, FILE_COLOR, FileEnd, Matcher, SEP_COLOR, Searcher, Settings, put_colored,
};

use crate::commands::util::{Arg, MAX_INPUT, Out, parse_args};
use crate::commands::{Command, Ctx, Stop};
use crate::io::Fd;
use crate::posix_regex::{Options, Regex, Syntax};
use vfs_core::FileType;
use vfs_core::glob::{MatchOptions, Pattern};

/// `grep`, `egrep` (`grep -E`) or `fgrep` (`grep -F`).
pub struct Grep {
    /// The matcher the command starts with: `'G'`, `'E'` or `'F'`.
    pub default_matcher: char,
}

const SHORT_WITH_VALUE: &str = "ABCDXdefm";
const SHORT_FLAGS: &str = "0123456789EFGHILPRTUVZabchilnoqrsuvwxyz";
const LONG: &[&str] = &[
    "after-context=",
    "basic-regexp",
    "before-context=",
    "binary-files=",
    "byte-offset",
    "binary",
    "color=",
    "colour=",
    "context=",
    "count",
    "dereference-recursive",
    "devices=",
    "directories=",
    "exclude=",
    "exclude-dir=",
    "exclude-from=",
    "extended-regexp",
    "file=",
    "files-with-matches",
    "files-without-match",
    "fixed-strings",
    "fixed-regexp",
    "group-separator=",
    "help",
    "ignore-case",
    "include=",
    "initial-tab",
    "invert-match",
    "label=",
    "line-buffered",
    "line-number",
    "line-regexp",
    "max-count=",
    "no-filename",
    "no-group-separator",
    "no-ignore-case",
    "no-messages",
    "null",
    "null-data",
    "only-matching",
    "perl-regexp",
    "quiet",
    "recursive",
    "regexp=",
    "silent",
    "text",
    "unix-byte-offsets",
    "version",
    "with-filename",
    "word-regexp",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dirs {
    Read,
    Skip,
    Recurse,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    None,
    Matching,
    NonMatching,
}

/// Everything the command line says.
struct Config {
    matcher: Option<char>,
    keys: Vec<u8>,
    have_keys: bool,
    icase: bool,
    words: bool,
    lines: bool,
    null_data: bool,
    invert: bool,
    count: bool,
    list: List,
    quiet: bool,
    suppress: bool,
    only_matching: bool,
    line_number: bool,
    byte_offset: bool,
    with_filename: Option<bool>,
    null: bool,
    initial_tab: bool,
    before: i64,
    after: i64,
    max_count: i64,
    binary: BinaryFiles,
    dirs: Dirs,
    deref: bool,
    label: Option<String>,
    group_separator: Option<Vec<u8>>,
    color: bool,
    /// (glob, is_include) for files.
    file_globs: Vec<(Pattern, bool)>,
    dir_globs: Vec<Pattern>,
    operands: Vec<String>,
}

/// Print `grep: MSG`.
fn err(ctx: &Ctx<'_>, msg: &str) {
    let _ = ctx.stderr.write_all(format!("grep: {msg}\n").as_bytes());
}

fn usage_tail(ctx: &Ctx<'_>) {
    let _ = ctx.stderr.write_all(
        b"Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
    );
}

fn print(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

/// A context length (`-A`, `-B`, `-C`, `-NUM`).
fn context_len(ctx: &Ctx<'_>, v: &str) -> Result<i64, i32> {
    match v.parse::<u64>() {
        Ok(n) => Ok(n.min(i64::MAX as u64) as i64),
        Err(_) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => Ok(i64::MAX),
        Err(_) => {
            err(ctx, &format!("{v}: invalid context length argument"));
            Err(2)
        }
    }
}

/// Why the option parsing stopped the command early.
enum Early {
    Exit(i32),
}

fn parse_config(ctx: &Ctx<'_>, default_matcher: char) -> Result<Config, Early> {
    // `--color`/`--colour` take an optional value: give the bare form its default.
    let mut args: Vec<String> = Vec::with_capacity(ctx.args.len());
    let mut after_dashdash = false;
    for a in ctx.args.iter().skip(1) {
        if !after_dashdash && a.len() >= 5 && "--colour".starts_with(a.as_str())
            || !after_dashdash && a.len() >= 5 && "--color".starts_with(a.as_str())
        {
            args.push("--color=auto".into());
            continue;
        }
        if a == "--" {
            after_dashdash = true;
        }
        args.push(a.clone());
    }
    let parsed = match parse_args(&args, SHORT_WITH_VALUE, SHORT_FLAGS, LONG) {
        Ok(p) => p,
        Err(e) => {
            err(ctx, &e.0);
            usage_tail(ctx);
            return Err(Early::Exit(2));
        }
    };
    let mut c = Config {
        // egrep and fgrep are `grep -E` and `grep -F`: another matcher conflicts.
        matcher: (default_matcher != 'G').then_some(default_matcher),
        keys: Vec::new(),
        have_keys: false,
        icase: false,
        words: false,
        lines: false,
        null_data: false,
        invert: false,
        count: false,
        list: List::None,
        quiet: false,
        suppress: false,
        only_matching: false,
        line_number: false,
        byte_offset: false,
        with_filename: None,
        null: false,
        initial_tab: false,
        before: -1,
        after: -1,
        max_count: -1,
        binary: BinaryFiles::Binary,
        dirs: Dirs::Read,
        deref: false,
        label: None,
        group_separator: Some(b"--".to_vec()),
        color: false,
        file_globs: Vec::new(),
        dir_globs: Vec::new(),
        operands: Vec::new(),
    };
    let mut default_context: i64 = -1;
    let mut digits: Option<u64> = None;
    let mut show_help = false;
    let set_matcher = |c: &mut Config, m: char| -> Result<(), Early> {
        if let Some(old) = c.matcher
            && old != m
        {
            err(ctx, "conflicting matchers specified");
            return Err(Early::Exit(2));
        }
        c.matcher = Some(m);
        Ok(())
    };
    for a in parsed {
        let (key, val): (String, Option<String>) = match a {
            Arg::Operand(o) => {
                c.operands.push(o);
                digits = None;
                continue;
            }
            Arg::Short(ch, v) => (ch.to_string(), v),
            Arg::Long(l, v) => (l, v),
        };
        if key.len() == 1 && key.as_bytes()[0].is_ascii_digit() {
            let d = u64::from(key.as_bytes()[0] - b'0');
            let n = digits.unwrap_or(0).saturating_mul(10).saturating_add(d);
            digits = Some(n);
            default_context = n.min(i64::MAX as u64) as i64;
            continue;
        }
        digits = None;
        let v = val.unwrap_or_default();
        match key.as_str() {
            "A" | "after-context" => c.after = context_len(ctx, &v).map_err(Early::Exit)?,
            "B" | "before-context" => c.before = context_len(ctx, &v).map_err(Early::Exit)?,
            "C" | "context" => default_context = context_len(ctx, &v).map_err(Early::Exit)?,
            "D" | "devices" if v != "read" && v != "skip" => {
                err(ctx, "unknown devices method");
                return Err(Early::Exit(2));
            }
            "E" | "extended-regexp" => set_matcher(&mut c, 'E')?,
            "F" | "fixed-strings" | "fixed-regexp" => set_matcher(&mut c, 'F')?,
            "G" | "basic-regexp" => set_matcher(&mut c, 'G')?,
            "P" | "perl-regexp" => set_matcher(&mut c, 'P')?,
            "X" => match v.as_str() {
                "grep" => set_matcher(&mut c, 'G')?,
                "egrep" => set_matcher(&mut c, 'E')?,
                "fgrep" => set_matcher(&mut c, 'F')?,
                "perl" => set_matcher(&mut c, 'P')?,
                _ => {
                    err(ctx, &format!("invalid matcher {v}"));
                    return Err(Early::Exit(2));
                }
            },
            "H" | "with-filename" => c.with_filename = Some(true),
            "h" | "no-filename" => c.with_filename = Some(false),
            "I" => c.binary = BinaryFiles::WithoutMatch,
            "a" | "text" => c.binary = BinaryFiles::Text,
            "binary-files" => {
                c.binary = match v.as_str() {
                    "binary" => BinaryFiles::Binary,
                    "text" => BinaryFiles::Text,
                    "without-match" => BinaryFiles::WithoutMatch,
                    _ => {
                        err(ctx, "unknown binary-files type");
                        return Err(Early::Exit(2));
                    }
                }
            }
            "L" | "files-without-match" => c.list = List::NonMatching,
            "l" | "files-with-matches" => c.list = List::Matching,
            "R" | "dereference-recursive" => {
                c.dirs = Dirs::Recurse;
                c.deref = true;
            }
            "r" | "recursive" => {
                c.dirs = Dirs::Recurse;
                c.deref = false;
            }
            "d" | "directories" => {
                c.dirs = match v.as_str() {
                    "read" => Dirs::Read,
                    "skip" => Dirs::Skip,
                    "recurse" => Dirs::Recurse,
                    _ => {
                        err(
                            ctx,
                            &format!(
                                "invalid argument {} for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'",
                                crate::commands::util::quote(&v)
                            ),
                        );
                        usage_tail(ctx);
                        // argmatch's failure status.
                        return Err(Early::Exit(1));
                    }
                }
            }
            "T" | "initial-tab" => c.initial_tab = true,
            "U" | "binary" => {}
            "u" | "unix-byte-offsets" => {
                err(ctx, "warning: --unix-byte-offsets (-u) is obsolete");
            }
            "V" | "version" => return Err(Early::Exit(print(ctx, help::VERSION))),
            "help" => show_help = true,
            "Z" | "null" => c.null = true,
            "z" | "null-data" => c.null_data = true,
            "b" | "byte-offset" => c.byte_offset = true,
            "c" | "count" => c.count = true,
            "e" | "regexp" => {
                c.keys.extend_from_slice(v.as_bytes());
                c.keys.push(b'\n');
                c.have_keys = true;
            }
            "f" | "file" => {
                let data = if v == "-" {
                    read_fd(ctx.stdin)
                } else {
                    match ctx.open_input(&v) {
                        Ok(fd) => read_fd(&fd),
                        Err(_) => Err(open_error(ctx, &v)),
                    }
                };
                match data {
                    Ok(d) => {
                        let nonempty = !d.is_empty();
                        c.keys.extend_from_slice(&d);
                        if nonempty && d.last() != Some(&b'\n') {
                            c.keys.push(b'\n');
                        }
                    }
                    Err(m) => {
                        err(ctx, &format!("{v}: {m}"));
                        return Err(Early::Exit(2));
                    }
                }
                c.have_keys = true;
            }
            "i" | "y" | "ignore-case" => c.icase = true,
            "no-ignore-case" => c.icase = false,
            "m" | "max-count" => {
                c.max_count = match v.trim_start().parse::<i64>() {
                    Ok(n) => n,
                    Err(_)
                        if v.trim_start()
                            .trim_start_matches('-')
                            .bytes()
                            .all(|b| b.is_ascii_digit())
                            && !v.trim().is_empty() =>
                    {
                        i64::MAX
                    }
                    Err(_) => {
                        err(ctx, "invalid max count");
                        return Err(Early::Exit(2));
                    }
                };
            }
            "n" | "line-number" => c.line_number = true,
            "o" | "only-matching" => c.only_matching = true,
            "q" | "quiet" | "silent" => c.quiet = true,
            "s" | "no-messages" => c.suppress = true,
            "v" | "invert-match" => c.invert = true,
            "w" | "word-regexp" => c.words = true,
            "x" | "line-regexp" => c.lines = true,
            "color" | "colour" => match v.as_str() {
                "never" | "no" | "none" | "auto" | "tty" | "if-tty" => c.color = false,
                "always" | "yes" | "force" => c.color = true,
                _ => show_help = true,
            },
            "exclude" | "include" => c
                .file_globs
                .push((Pattern::new(v.as_bytes()), key == "include")),
            "exclude-from" => {
                let data = match ctx.open_input(&v) {
                    Ok(fd) => read_fd(&fd),
                    Err(_) => Err(open_error(ctx, &v)),
                };
                match data {
                    Ok(d) => {
                        for l in d.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                            c.file_globs.push((Pattern::new(l), false));
                        }
                    }
                    Err(m) => {
                        err(ctx, &format!("{v}: {m}"));
                        return Err(Early::Exit(2));
                    }
                }
            }
            "exclude-dir" => c.dir_globs.push(Pattern::new(v.as_bytes())),
            "group-separator" => c.group_separator = Some(v.into_bytes()),
            "no-group-separator" => c.group_separator = None,
            "label" => c.label = Some(v),
            "line-buffered" => {}
            _ => {}
        }
    }
    if show_help {
        return Err(Early::Exit(print(ctx, help::HELP)));
    }
    if c.before < 0 {
        c.before = default_context;
    }
    if c.after < 0 {
        c.after = default_context;
    }
    if !c.have_keys {
        if c.operands.is_empty() {
            usage_tail(ctx);
            return Err(Early::Exit(2));
        }
        let p = c.operands.remove(0);
        c.keys.extend_from_slice(p.as_bytes());
        c.keys.push(b'\n');
    }
    if c.matcher.is_none() {
        c.matcher = Some(default_matcher);
    }
    Ok(c)
}

fn open_error(ctx: &Ctx<'_>, path: &str) -> String {
    match ctx.vfs.open(path, &vfs_core::OpenOptions::read_only()) {
        Ok(_) => "Input/output error".into(),
        Err(e) => e.errno().message().to_string(),
    }
}

fn read_fd(fd: &Fd) -> Result<Vec<u8>, String> {
    let mut v = Vec::new();
    fd.read_to_end(&mut v, MAX_INPUT)
        .map_err(|e| crate::io::errno_message(&e))?;
    Ok(v)
}

/// Escape a fixed string as a BRE.
fn escape_bre(s: &[u8]) -> Vec<u8> {
    let mut o = Vec::with_capacity(s.len() + 4);
    for &b in s {
        if matches!(b, b'\\' | b'[' | b'.' | b'*' | b'^' | b'$') {
            o.push(b'\\');
        }
        o.push(b);
    }
    o
}

fn build_matcher(ctx: &Ctx<'_>, c: &Config) -> Result<Matcher, i32> {
    let mut keys: &[u8] = &c.keys;
    if keys.is_empty() {
        return Ok(Matcher::Nothing);
    }
    if keys.last() == Some(&b'\n') {
        keys = &keys[..keys.len() - 1];
    }
    let pats: Vec<&[u8]> = keys.split(|&b| b == b'\n').collect();
    let m = c.matcher.unwrap_or('G');
    if m == 'P' {
        if pats.len() > 1 {
            err(ctx, "the -P option only supports a single pattern");
            return Err(2);
        }
        return match perl::Perl::new(pats[0], c.icase, c.words, c.lines) {
            Ok(re) => Ok(Matcher::Perl(re)),
            Err(e) => {
                err(ctx, &e);
                Err(2)
            }
        };
    }
    let escaped: Vec<Vec<u8>>;
    let pats: Vec<&[u8]> = if m == 'F' {
        escaped = pats.iter().map(|p| escape_bre(p)).collect();
        escaped.iter().map(Vec::as_slice).collect()
    } else {
        pats
    };
    let opts = Options {
        syntax: if m == 'E' {
            Syntax::Extended
        } else {
            Syntax::Basic
        },
        icase: c.icase,
        multiline: !c.null_data,
        strict_class_syntax: true,
        ..Options::default()
    };
    match Regex::new_grep(&pats, &opts, c.words, c.lines) {
        Ok(re) => {
            for w in re.warnings() {
                err(ctx, &format!("warning: {w}"));
            }
            let per_line = c.null_data || re.has_backrefs() || re.has_buffer_anchors();
            Ok(Matcher::Posix { re, per_line })
        }
        Err(e) => {
            err(ctx, &e.message);
            Err(2)
        }
    }
}

/// The run: settings, the searcher, and the status so far.
struct Run<'c, 'a, 'm> {
    ctx: &'c Ctx<'a>,
    c: &'c Config,
    searcher: Searcher<'m>,
    out: Out<'c, 'a>,
    errseen: bool,
    /// 0 once some file succeeded.
    status: i32,
    omit_dot_slash: bool,
    /// Whether names are printed: `None` means "only for files found by recursion".
    out_file: Option<bool>,
}

/// Why the walk stops.
enum Halt {
    /// `-q` found a match, or output failed: exit with this status.
    Exit(i32),
}

impl Run<'_, '_, '_> {
    fn error(&mut self, msg: &str) {
        self.errseen = true;
        if !self.c.suppress {
            let _ = self.out.flush();
            err(self.ctx, msg);
        }
    }

    fn excluded_file(&self, name: &[u8], command_line: bool) -> bool {
        let Some(first) = self.c.file_globs.first() else {
            return false;
        };
        let mut excluded = first.1;
        for (pat, include) in &self.c.file_globs {
            if glob_match(pat, name, command_line) {
                excluded = !include;
            }
        }
        excluded
    }

    fn excluded_dir(&self, name: &[u8], command_line: bool) -> bool {
        self.c
            .dir_globs
            .iter()
            .any(|p| glob_match(p, name, command_line))
    }

    /// A command-line operand.
    fn operand(&mut self, name: &str) -> Result<(), Halt> {
        if name == "-" {
            let label = self
                .c
                .label
                .clone()
                .unwrap_or_else(|| "(standard input)".into());
            let fd = self.ctx.stdin.clone();
            let size = match &fd {
                Fd::File { handle, .. } => handle.lock().metadata().ok().map(|m| m.size),
                _ => None,
            };
            let wf = self.out_file.unwrap_or(false);
            return self.search_fd(&fd, label.as_bytes(), wf, size);
        }
        if let Some(fd) = self.ctx.dev_file(name) {
            let wf = self.out_file.unwrap_or(false);
            return self.search_fd(&fd, name.as_bytes(), wf, None);
        }
        let meta = match self.ctx.vfs.stat(name) {
            Ok(m) => m,
            Err(e) => {
                self.error(&format!("{name}: {}", e.errno().message()));
                return Ok(());
            }
        };
        let is_dir = meta.file_type == FileType::Dir;
        if is_dir {
            if self.c.dirs == Dirs::Skip {
                return Ok(());
            }
            if self.c.dirs == Dirs::Recurse {
                if !self.omit_dot_slash && self.excluded_dir(name.as_bytes(), true) {
                    return Ok(());
                }
                let mut seen = vec![meta.ino];
                return self.walk(name.as_bytes(), &mut seen);
            }
        } else if self.excluded_file(name.as_bytes(), true) {
            return Ok(());
        }
        let wf = self.out_file.unwrap_or(false);
        self.search_path(name.as_bytes(), name.as_bytes(), wf)
    }

    fn walk(&mut self, dir: &[u8], seen: &mut Vec<vfs_core::Ino>) -> Result<(), Halt> {
        if self.ctx.cancel.is_cancelled() {
            return Err(Halt::Exit(130));
        }
        let entries = match self.ctx.vfs.read_dir(as_path(dir)) {
            Ok(e) => e,
            Err(e) => {
                let shown = lossy(self.shown(dir));
                self.error(&format!("{shown}: {}", e.errno().message()));
                return Ok(());
            }
        };
        for ent in entries {
            let base = ent.name_bytes();
            let mut path = Vec::with_capacity(dir.len() + base.len() + 1);
            path.extend_from_slice(dir);
            if dir.last() != Some(&b'/') {
                path.push(b'/');
            }
            path.extend_from_slice(base);
            let mut ft = ent.file_type;
            let mut ino = ent.ino;
            if ft == FileType::Symlink {
                if !self.c.deref {
                    continue;
                }
                match self.ctx.vfs.stat(as_path(&path)) {
                    Ok(m) => {
                        ft = m.file_type;
                        ino = m.ino;
                    }
                    Err(e) => {
                        let shown = lossy(self.shown(&path));
                        self.error(&format!("{shown}: {}", e.errno().message()));
                        continue;
                    }
                }
            }
            if ft == FileType::Dir {
                if self.excluded_dir(base, false) {
                    continue;
                }
                if seen.contains(&ino) {
                    let shown = lossy(self.shown(&path));
                    if !self.c.suppress {
                        let _ = self.out.flush();
                        err(
                            self.ctx,
                            &format!("{shown}: warning: recursive directory loop"),
                        );
                    }
                    continue;
                }
                seen.push(ino);
                let r = self.walk(&path, seen);
                seen.pop();
                r?;
                continue;
            }
            if ft != FileType::File {
                // Devices, FIFOs and sockets are skipped while recursing.
                continue;
            }
            if self.excluded_file(base, false) {
                continue;
            }
            let wf = self.out_file.unwrap_or(true);
            self.search_path(&path, self.shown(&path), wf)?;
        }
        Ok(())
    }

    fn shown<'p>(&self, path: &'p [u8]) -> &'p [u8] {
        if self.omit_dot_slash {
            path.strip_prefix(b"./").unwrap_or(path)
        } else {
            path
        }
    }

    fn search_path(&mut self, path: &[u8], shown: &[u8], wf: bool) -> Result<(), Halt> {
        let h = match self
            .ctx
            .vfs
            .open(as_path(path), &vfs_core::OpenOptions::read_only())
        {
            Ok(h) => h,
            Err(e) => {
                self.error(&format!("{}: {}", lossy(shown), e.errno().message()));
                return Ok(());
            }
        };
        let meta = h.metadata().ok();
        if meta.as_ref().is_some_and(|m| m.file_type == FileType::Dir) {
            self.error(&format!("{}: Is a directory", lossy(shown)));
            return Ok(());
        }
        let size = meta.map(|m| m.size);
        let fd = Fd::File {
            handle: Arc::new(parking_lot::Mutex::new(h)),
            path: lossy(path).into(),
        };
        self.search_fd(&fd, shown, wf, size)
    }

    fn search_fd(
        &mut self,
        fd: &Fd,
        shown: &[u8],
        wf: bool,
        size: Option<u64>,
    ) -> Result<(), Halt> {
        let cancel = self.ctx.cancel;
        let r = self
            .searcher
            .search(fd, shown, wf, size, &mut self.out, cancel);
        let (count, binary_matched) = match r {
            FileEnd::Done {
                count,
                binary_matched,
            } => (count, binary_matched),
            FileEnd::ReadError(m, count) => {
                self.error(&format!("{}: {m}", lossy(shown)));
                (count, false)
            }
            FileEnd::TooBig => {
                self.error(&format!("{}: memory exhausted", lossy(shown)));
                return Ok(());
            }
            FileEnd::Stop(_) if self.searcher.matcher_failed() => {
                // GNU grep dies here, even with -s.
                self.out.flush().map_err(stop)?;
                err(
                    self.ctx,
                    &format!("{}: exceeded PCRE's backtracking limit", lossy(shown)),
                );
                return Err(Halt::Exit(2));
            }
            FileEnd::Stop(s) => return Err(Halt::Exit(Ctx::stop_status(s))),
        };
        let put = |out: &mut Out<'_, '_>, d: &[u8]| out.put(d).map_err(stop);
        let color = self.c.color;
        if self.c.count && !self.c.quiet && self.c.list == List::None {
            if wf {
                put_colored(&mut self.out, color, FILE_COLOR, shown).map_err(stop)?;
                if self.c.null {
                    put(&mut self.out, b"\0")?;
                } else {
                    put_colored(&mut self.out, color, SEP_COLOR, b":").map_err(stop)?;
                }
            }
            put(&mut self.out, format!("{count}\n").as_bytes())?;
        }
        let selected = count > 0;
        if !self.c.quiet {
            let listed = match self.c.list {
                List::Matching => selected,
                List::NonMatching => !selected,
                List::None => false,
            };
            if listed {
                put_colored(&mut self.out, color, FILE_COLOR, shown).map_err(stop)?;
                put(&mut self.out, if self.c.null { b"\0" } else { b"\n" })?;
            }
        }
        // grep 3.8 succeeds when a line was selected, with -L too.
        if selected {
            self.status = 0;
            if self.c.quiet {
                return Err(Halt::Exit(0));
            }
        }
        if binary_matched {
            self.out.flush().map_err(stop)?;
            let _ = self
                .ctx
                .stderr
                .write_all(format!("grep: {}: binary file matches\n", lossy(shown)).as_bytes());
        }
        Ok(())
    }
}

/// A path from the bytes of a name (names need not be UTF-8).
fn as_path(b: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(b))
}

/// A name for a message.
fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn stop(s: Stop) -> Halt {
    Halt::Exit(Ctx::stop_status(s))
}

/// gnulib `exclude` matching: a command-line name matches if the whole name or any part
/// after a `/` matches; a name met while recursing is its base name.
fn glob_match(p: &Pattern, name: &[u8], command_line: bool) -> bool {
    let o = MatchOptions {
        case_insensitive: false,
        dot_matches: true,
    };
    if p.matches(name, o) {
        return true;
    }
    if command_line {
        let b = name;
        for (i, &c) in b.iter().enumerate() {
            if c == b'/' && i + 1 < b.len() && b[i + 1] != b'/' && p.matches(&b[i + 1..], o) {
                return true;
            }
        }
    }
    false
}

impl Command for Grep {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let ctx: &Ctx<'_> = ctx;
        let c = match parse_config(ctx, self.default_matcher) {
            Ok(c) => c,
            Err(Early::Exit(s)) => return s,
        };
        let matcher = match build_matcher(ctx, &c) {
            Ok(m) => m,
            Err(s) => return s,
        };
        let quiet = c.quiet;
        let list = if quiet { List::None } else { c.list };
        let count = c.count && list == List::None && !quiet;
        let settings = Settings {
            invert: c.invert,
            count,
            done_on_match: quiet || list != List::None,
            only_matching: c.only_matching,
            line_number: c.line_number,
            byte_offset: c.byte_offset,
            null: c.null,
            initial_tab: c.initial_tab,
            before: c.before,
            after: c.after,
            max_count: c.max_count,
            binary: c.binary,
            eol: if c.null_data { 0 } else { b'\n' },
            group_separator: c.group_separator.clone(),
            color: c.color,
        };
        // GNU grep gives up before reading anything when nothing can match: `-m 0`, no
        // patterns at all (`-f /dev/null`), or only the empty pattern with `-v`.
        let keys = c.keys.strip_suffix(b"\n").unwrap_or(&c.keys);
        let only_empty = !c.keys.is_empty() && keys.iter().all(|&b| b == b'\n');
        let nothing =
            (c.keys.is_empty() && !c.invert) || (only_empty && c.invert && !c.lines && !c.words);
        if (c.max_count == 0 || nothing) && list != List::NonMatching {
            return 1;
        }
        let mut operands = c.operands.clone();
        let omit_dot_slash = operands.is_empty() && c.dirs == Dirs::Recurse;
        if operands.is_empty() {
            operands.push(if c.dirs == Dirs::Recurse { "." } else { "-" }.into());
        }
        let out_file = match c.with_filename {
            Some(v) => Some(v),
            None if c.operands.len() > 1 => Some(true),
            None if c.dirs == Dirs::Recurse => None,
            None => Some(false),
        };
        let mut run = Run {
            ctx,
            c: &c,
            searcher: Searcher::new(&matcher, settings),
            out: Out::new(ctx),
            errseen: false,
            status: 1,
            omit_dot_slash,
            out_file,
        };
        for op in &operands {
            if let Err(Halt::Exit(s)) = run.operand(op) {
                let _ = run.out.flush();
                return s;
            }
        }
        if let Err(s) = run.out.flush() {
            return Ctx::stop_status(s);
        }
        if run.errseen { 2 } else { run.status }
    }
}

#[cfg(test)]
mod tests;

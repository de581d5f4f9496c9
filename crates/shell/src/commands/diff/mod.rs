//! `diff`: compare files line by line as GNU diffutils 3.8 does: normal, unified
//! (`-u`, `-U N`) and context (`-c`, `-C N`) output, `-q`, `-s`, `-r`, `-N`, `-i`, `-w`,
//! `-b`, `-Z`, `-B`, `-a`, `--label`, directories, stdin as `-`; exit 0 same, 1
//! different, 2 trouble. The hunks follow GNU's algorithm exactly (see [`analyze`]).

pub mod analyze;
pub mod output;

use analyze::{Cmp, Lines, Ws};
use output::{Fmt, Style};

use super::super::util::{Arg, MAX_INPUT, Out, parse_args, quote, quote_shell};
use super::super::{Command, Ctx};

/// `diff [OPTION]... FILES`
pub struct Diff;

const HELP: &str = include_str!("help.txt");
const VERSION: &str = "diff (GNU diffutils) 3.8\nCopyright (C) 2021 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n\
Written by Paul Eggert, Mike Haertel, David Hayes,\nRichard Stallman, and Len Tower.\n";

const LONG: &[&str] = &[
    "normal",
    "brief",
    "report-identical-files",
    "context",
    "unified",
    "ed",
    "rcs",
    "side-by-side",
    "width=",
    "left-column",
    "suppress-common-lines",
    "show-c-function",
    "show-function-line=",
    "label=",
    "expand-tabs",
    "initial-tab",
    "tabsize=",
    "suppress-blank-empty",
    "paginate",
    "recursive",
    "no-dereference",
    "new-file",
    "unidirectional-new-file",
    "ignore-file-name-case",
    "no-ignore-file-name-case",
    "exclude=",
    "exclude-from=",
    "starting-file=",
    "from-file=",
    "to-file=",
    "ignore-case",
    "ignore-tab-expansion",
    "ignore-trailing-space",
    "ignore-space-change",
    "ignore-all-space",
    "ignore-blank-lines",
    "ignore-matching-lines=",
    "text",
    "strip-trailing-cr",
    "ifdef=",
    "old-group-format=",
    "new-group-format=",
    "unchanged-group-format=",
    "changed-group-format=",
    "line-format=",
    "old-line-format=",
    "new-line-format=",
    "unchanged-line-format=",
    "minimal",
    "horizon-lines=",
    "speed-large-files",
    "color",
    "palette=",
    "help",
    "version",
];

/// Everything the options decide.
struct Opts {
    style: Style,
    context: usize,
    brief: bool,
    identical: bool,
    recursive: bool,
    new_file: bool,
    text: bool,
    strip_cr: bool,
    ignore_blank: bool,
    labels: Vec<String>,
    switches: String,
    cmp: Cmp,
    function: Option<regex::bytes::Regex>,
    /// `-x`/`-X` patterns: names left out of directory comparisons.
    exclude: Vec<String>,
}

/// What a name turned out to be.
enum Src {
    /// Could not be looked at: the message.
    Error(String),
    /// Absent, treated as empty (`-N`).
    Absent,
    /// A directory.
    Dir,
    /// A file (or stdin): its mtime.
    File { sec: i64, nsec: u32, empty: bool },
}

fn usage(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.err(msg);
    ctx.err("Try 'diff --help' for more information.");
    2
}

/// Turn `--unified=N` / `--context=N` (and unambiguous abbreviations) into `-UN`/`-CN`.
/// Also takes the obsolete `-NUM` context digits out of short-option clusters into
/// `ocontext` (consecutive digits, even across arguments, form one number, as in GNU).
fn rewrite(args: &[String], ocontext: &mut Option<usize>) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = false;
    let mut prev_digit = false;
    let mut value_next = false;
    for a in args {
        if rest || a == "--" || value_next {
            rest = rest || (a == "--" && !value_next);
            value_next = false;
            out.push(a.clone());
            continue;
        }
        if let Some(l) = a.strip_prefix("--")
            && !l.contains('=')
            && !l.is_empty()
        {
            let hits: Vec<&&str> = LONG
                .iter()
                .filter(|o| o.trim_end_matches('=') == l || o.starts_with(l))
                .collect();
            value_next = hits.len() == 1 && hits[0].ends_with('=')
                || LONG.contains(&format!("{l}=").as_str());
        }
        if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") {
            let mut kept = String::from("-");
            let mut chars = a[1..].chars();
            while let Some(c) = chars.next() {
                if let Some(d) = c.to_digit(10) {
                    let d = d as usize;
                    *ocontext = Some(match (*ocontext, prev_digit) {
                        (Some(o), true) => o.saturating_mul(10).saturating_add(d).min(1 << 40),
                        _ => d,
                    });
                    prev_digit = true;
                    continue;
                }
                prev_digit = false;
                kept.push(c);
                if "CUWFIxXSDL".contains(c) {
                    value_next = chars.as_str().is_empty();
                    kept.push_str(chars.as_str());
                    break;
                }
            }
            if kept.len() > 1 {
                out.push(kept);
            }
            continue;
        }
        prev_digit = false;
        if let Some((name, v)) = a.strip_prefix("--").and_then(|b| b.split_once('=')) {
            if name.len() >= 4 && "unified".starts_with(name) {
                out.push(format!("-U{v}"));
                continue;
            }
            if name.len() >= 3 && "context".starts_with(name) {
                out.push(format!("-C{v}"));
                continue;
            }
            if name.len() >= 3 && "color".starts_with(name) {
                out.push(format!("--palette=\u{1}{v}"));
                continue;
            }
        }
        out.push(a.clone());
    }
    out
}

/// The options as GNU lists them in `diff -r` headers (`diff -ru a/x b/x`).
fn switch_string(args: &[String]) -> String {
    let mut s = String::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        if a == "-" || !a.starts_with('-') {
            continue;
        }
        s.push(' ');
        s.push_str(&quote_shell(a, false));
        let takes_next = if let Some(l) = a.strip_prefix("--") {
            !l.contains('=')
                && LONG
                    .iter()
                    .any(|o| o.ends_with('=') && o.starts_with(l) && !l.is_empty() && l.len() >= 3)
        } else {
            let body = &a[1..];
            body.char_indices()
                .find(|(_, c)| "CUWFIxXSDL".contains(*c))
                .is_some_and(|(k, _)| k + 1 == body.len())
        };
        if takes_next && i < args.len() {
            s.push(' ');
            s.push_str(&quote_shell(&args[i], false));
            i += 1;
        }
    }
    s
}

fn parse_context(v: &str) -> Option<usize> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<u64>().unwrap_or(u64::MAX).min(1 << 40) as usize)
}

impl Command for Diff {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut ocontext: Option<usize> = None;
        let args = rewrite(&ctx.args[1..], &mut ocontext);
        let parsed = match parse_args(&args, "CUWFIxXSDL", "qscuenyltTrNiEZbwBadvpP", LONG) {
            Ok(p) => p,
            Err(e) => return usage(ctx, &e.0),
        };
        let mut o = Opts {
            style: Style::Normal,
            context: 3,
            brief: false,
            identical: false,
            recursive: false,
            new_file: false,
            text: false,
            strip_cr: false,
            ignore_blank: false,
            labels: Vec::new(),
            switches: switch_string(&ctx.args[1..]),
            cmp: Cmp {
                icase: false,
                ws: Ws::Exact,
                minimal: false,
                heuristic: false,
                horizon: 0,
            },
            function: None,
            exclude: Vec::new(),
        };
        let mut style: Option<Style> = None;
        let mut show_c_function = false;
        let mut func_res: Vec<String> = Vec::new();
        let mut ops = Vec::new();
        let set_style = |style: &mut Option<Style>, s: Style| -> bool {
            if style.is_some_and(|x| x != s) {
                return false;
            }
            *style = Some(s);
            true
        };
        let mut ws_rank = 0;
        let mut ws = |w: Ws, r: i32| {
            if r > ws_rank {
                ws_rank = r;
                o.cmp.ws = w;
            }
        };
        let mut labels = Vec::new();
        let mut context: usize = 0;
        let mut explicit = false;
        let mut icase = false;
        for a in parsed {
            let (short, long, val) = match &a {
                Arg::Operand(x) => {
                    ops.push(x.clone());
                    continue;
                }
                Arg::Short(c, v) => (Some(*c), String::new(), v.clone()),
                Arg::Long(l, v) => (None, l.clone(), v.clone()),
            };
            let name: &str = match short {
                Some('q') => "brief",
                Some('s') => "report-identical-files",
                Some('c') => "context",
                Some('u') => "unified",
                Some('C') => "C",
                Some('U') => "U",
                Some('r') => "recursive",
                Some('N') => "new-file",
                Some('i') => "ignore-case",
                Some('Z') => "ignore-trailing-space",
                Some('b') => "ignore-space-change",
                Some('w') => "ignore-all-space",
                Some('B') => "ignore-blank-lines",
                Some('a') => "text",
                Some('d') => "minimal",
                Some('v') => "version",
                Some('e') => "ed",
                Some('n') => "rcs",
                Some('y') => "side-by-side",
                Some('l') => "paginate",
                Some('t') => "expand-tabs",
                Some('T') => "initial-tab",
                Some('E') => "ignore-tab-expansion",
                Some('p') => "show-c-function",
                Some('P') => "unidirectional-new-file",
                Some('W') => "width",
                Some('F') => "show-function-line",
                Some('I') => "ignore-matching-lines",
                Some('x') => "exclude",
                Some('X') => "exclude-from",
                Some('S') => "starting-file",
                Some('D') => "ifdef",
                Some('L') => "label",
                _ => long.as_str(),
            };
            match name {
                "normal" | "ed" | "rcs" => {
                    let s = match name {
                        "ed" => Style::Ed,
                        "rcs" => Style::Rcs,
                        _ => Style::Normal,
                    };
                    if !set_style(&mut style, s) {
                        return usage(ctx, "conflicting output style options");
                    }
                }
                "brief" => o.brief = true,
                "report-identical-files" => o.identical = true,
                "context" | "unified" | "C" | "U" => {
                    let s = if name == "context" || name == "C" {
                        Style::Context
                    } else {
                        Style::Unified
                    };
                    if !set_style(&mut style, s) {
                        return usage(ctx, "conflicting output style options");
                    }
                    if val.is_none() {
                        context = context.max(3);
                    }
                    if let Some(v) = val {
                        match parse_context(&v) {
                            Some(n) => {
                                context = context.max(n);
                                explicit = true;
                            }
                            None => {
                                return usage(
                                    ctx,
                                    &format!("invalid context length {}", quote(&v)),
                                );
                            }
                        }
                    }
                }
                "recursive" => o.recursive = true,
                "new-file" => o.new_file = true,
                "ignore-case" => icase = true,
                "ignore-trailing-space" => ws(Ws::Trailing, 1),
                "ignore-space-change" => ws(Ws::Change, 2),
                "ignore-all-space" => ws(Ws::All, 3),
                "ignore-blank-lines" => o.ignore_blank = true,
                "text" => o.text = true,
                "strip-trailing-cr" => o.strip_cr = true,
                "minimal" => o.cmp.minimal = true,
                "speed-large-files" => o.cmp.heuristic = true,
                "horizon-lines" => match val.as_deref().and_then(parse_context) {
                    Some(n) => o.cmp.horizon = o.cmp.horizon.max(n),
                    None => {
                        return usage(
                            ctx,
                            &format!(
                                "invalid horizon length {}",
                                quote(val.as_deref().unwrap_or(""))
                            ),
                        );
                    }
                },
                "label" => labels.push(val.unwrap_or_default()),
                "exclude" => o.exclude.push(val.unwrap_or_default()),
                "exclude-from" => {
                    let f = val.unwrap_or_default();
                    match ctx.vfs.read(&f) {
                        Ok(data) => o.exclude.extend(
                            data.split(|&c| c == b'\n')
                                .filter(|l| !l.is_empty())
                                .map(|l| String::from_utf8_lossy(l).into_owned()),
                        ),
                        Err(e) => {
                            ctx.err(&format!("{f}: {}", e.errno()));
                            return 2;
                        }
                    }
                }
                "color" | "no-ignore-file-name-case" | "no-dereference" => {}
                "show-c-function" => {
                    show_c_function = true;
                    func_res.push("^[[:alpha:]$_]".into());
                }
                "show-function-line" => func_res.push(val.unwrap_or_default()),
                "palette" => {
                    if let Some(v) = val.as_deref().and_then(|v| v.strip_prefix('\u{1}')) {
                        match v {
                            "never" | "auto" => {}
                            "always" => {
                                ctx.err("option --color=always is not supported");
                                return 2;
                            }
                            _ => return usage(ctx, &format!("invalid color {}", quote(v))),
                        }
                    }
                }
                "help" => return print(ctx, HELP),
                "version" => return print(ctx, VERSION),
                other => {
                    let opt = match short {
                        Some(c) => format!("-{c} (--{other})"),
                        None => format!("--{other}"),
                    };
                    ctx.err(&format!("option {opt} is not supported"));
                    return 2;
                }
            }
        }
        o.cmp.icase = icase;
        if style.is_none() && show_c_function {
            style = Some(Style::Context);
            context = context.max(3);
        }
        o.style = style.unwrap_or(Style::Normal);
        if !func_res.is_empty() {
            let joined = func_res
                .iter()
                .map(|r| format!("(?:{r})"))
                .collect::<Vec<_>>()
                .join("|");
            match regex::bytes::Regex::new(&joined) {
                Ok(re) => o.function = Some(re),
                Err(_) => {
                    ctx.err(&format!(
                        "{}: invalid regular expression",
                        quote_shell(&joined, false)
                    ));
                    return 2;
                }
            }
        }
        let with_context = matches!(o.style, Style::Unified | Style::Context);
        if let Some(oc) = ocontext
            && with_context
            && (context < oc || (oc < context && !explicit))
        {
            context = oc;
        }
        o.context = context;
        if !with_context {
            o.context = 0;
        }
        o.cmp.horizon = o.cmp.horizon.max(o.context);
        if labels.len() > 2 {
            ctx.err("too many file label options");
            return 2;
        }
        o.labels = labels;
        if ops.len() != 2 {
            if ops.len() < 2 {
                let last = ctx.args.last().map_or("diff", String::as_str);
                return usage(ctx, &format!("missing operand after {}", quote(last)));
            }
            return usage(ctx, &format!("extra operand {}", quote(&ops[2])));
        }
        let mut run = Run {
            ctx,
            o: &o,
            out: Vec::new(),
        };
        let st = run.compare(None, &ops[0], &ops[1], None);
        let flushed = run.flush();
        if let Err(code) = flushed {
            return code;
        }
        st
    }
}

fn print(ctx: &Ctx<'_>, s: &str) -> i32 {
    match ctx.out(s.as_bytes()) {
        Ok(()) => 0,
        Err(e) => Ctx::stop_status(e),
    }
}

struct Run<'r, 'c, 'a> {
    ctx: &'r Ctx<'a>,
    o: &'c Opts,
    out: Vec<u8>,
}

impl Run<'_, '_, '_> {
    fn flush(&mut self) -> Result<(), i32> {
        if self.out.is_empty() {
            return Ok(());
        }
        let mut w = Out::new(self.ctx);
        let r = w.put(&self.out).and_then(|()| w.flush());
        self.out.clear();
        r.map_err(Ctx::stop_status)
    }

    fn maybe_flush(&mut self) -> Result<(), i32> {
        if self.out.len() >= 64 * 1024 {
            self.flush()
        } else {
            Ok(())
        }
    }

    fn stat(&self, name: &str) -> Src {
        if name == "-" {
            let now = self.ctx.vfs.now();
            return Src::File {
                sec: now.sec,
                nsec: now.nsec,
                empty: false,
            };
        }
        match self.ctx.vfs.stat(name) {
            Ok(m) => {
                if m.file_type == vfs_core::FileType::Dir {
                    Src::Dir
                } else {
                    Src::File {
                        sec: m.mtime.sec,
                        nsec: m.mtime.nsec,
                        empty: m.size == 0,
                    }
                }
            }
            Err(e) => {
                if self.ctx.dev_file(name).is_some() {
                    let now = self.ctx.vfs.now();
                    return Src::File {
                        sec: now.sec,
                        nsec: now.nsec,
                        empty: false,
                    };
                }
                Src::Error(e.errno().to_string())
            }
        }
    }

    fn read(&self, name: &str, src: &Src) -> Result<Vec<u8>, String> {
        if matches!(src, Src::Absent) {
            return Ok(Vec::new());
        }
        let fd = self.ctx.open_input(name)?;
        let mut v = Vec::new();
        fd.read_to_end(&mut v, MAX_INPUT)
            .map_err(|e| format!("{name}: {}", crate::io::errno_message(&e)))?;
        if self.o.strip_cr {
            let mut w = Vec::with_capacity(v.len());
            for (i, &c) in v.iter().enumerate() {
                if c == b'\r' && v.get(i + 1) == Some(&b'\n') {
                    continue;
                }
                w.push(c);
            }
            v = w;
        }
        Ok(v)
    }

    /// GNU's `compare_files`; `parent` is `Some` inside a directory comparison, with
    /// which side (if any) is known to be absent.
    fn compare(
        &mut self,
        parent: Option<(&str, &str)>,
        n0: &str,
        n1: &str,
        absent: Option<usize>,
    ) -> i32 {
        if self.ctx.cancel.is_cancelled() {
            return 130;
        }
        let toplevel = parent.is_none();
        let mut names = [n0.to_string(), n1.to_string()];
        let mut srcs = [
            if absent == Some(0) {
                Src::Absent
            } else {
                self.stat(n0)
            },
            if absent == Some(1) {
                Src::Absent
            } else {
                self.stat(n1)
            },
        ];
        if toplevel && self.o.new_file {
            for f in 0..2 {
                let other_ok = !matches!(srcs[1 - f], Src::Error(_));
                if other_ok
                    && let Src::Error(m) = &srcs[f]
                    && m == "No such file or directory"
                {
                    srcs[f] = Src::Absent;
                }
            }
        }
        // A directory against a file at top level: use the file's name in the directory.
        if toplevel {
            let d0 = matches!(srcs[0], Src::Dir);
            let d1 = matches!(srcs[1], Src::Dir);
            if d0 != d1 && !matches!(srcs[0], Src::Error(_)) && !matches!(srcs[1], Src::Error(_)) {
                let fnm = if d0 { 1 } else { 0 };
                let dir = 1 - fnm;
                if names[fnm] == "-" {
                    self.ctx.err("cannot compare '-' to a directory");
                    return 2;
                }
                if !matches!(srcs[fnm], Src::Absent) {
                    let base = last_component(&names[fnm]).to_string();
                    names[dir] = concat(&names[dir], &base);
                    srcs[dir] = self.stat(&names[dir]);
                }
            }
        }
        let mut trouble = false;
        for f in 0..2 {
            if let Src::Error(m) = &srcs[f] {
                if let Err(c) = self.flush() {
                    return c;
                }
                self.ctx.err(&format!("{}: {m}", names[f]));
                trouble = true;
            }
        }
        if trouble {
            return 2;
        }
        if matches!(srcs[0], Src::Absent) && matches!(srcs[1], Src::Absent) {
            return 0;
        }
        let dir = [matches!(srcs[0], Src::Dir), matches!(srcs[1], Src::Dir)];
        let absentf = [
            matches!(srcs[0], Src::Absent),
            matches!(srcs[1], Src::Absent),
        ];
        if (dir[0] && dir[1])
            || (self.o.recursive
                && self.o.new_file
                && ((dir[1] && absentf[0]) || (dir[0] && absentf[1])))
        {
            if self.o.recursive || toplevel {
                return self.diff_dirs(&names[0], &names[1], absentf);
            }
            self.out.extend_from_slice(
                format!("Common subdirectories: {} and {}\n", names[0], names[1]).as_bytes(),
            );
            return 0;
        }
        if let Some((p0, p1)) = parent
            && (absentf[0] || absentf[1])
            && !self.o.new_file
        {
            let existing = if absentf[0] { 1 } else { 0 };
            let dname = if existing == 0 { p0 } else { p1 };
            let bname = last_component(&names[existing]).to_string();
            self.out
                .extend_from_slice(format!("Only in {dname}: {bname}\n").as_bytes());
            return 1;
        }
        if !toplevel && dir[0] != dir[1] && !absentf[0] && !absentf[1] {
            let kind = |s: &Src| match s {
                Src::Dir => "directory",
                Src::File { empty: true, .. } => "regular empty file",
                _ => "regular file",
            };
            let l0 = self
                .o
                .labels
                .first()
                .cloned()
                .unwrap_or_else(|| names[0].clone());
            let l1 = self
                .o
                .labels
                .get(1)
                .cloned()
                .unwrap_or_else(|| names[1].clone());
            self.out.extend_from_slice(
                format!(
                    "File {l0} is a {} while file {l1} is a {}\n",
                    kind(&srcs[0]),
                    kind(&srcs[1])
                )
                .as_bytes(),
            );
            return 1;
        }
        let same_stdin = names[0] == "-" && names[1] == "-";
        let st = self.diff_2_files(&names, &srcs, !toplevel, same_stdin);
        if st == 0 && self.o.identical && !dir[0] {
            let l0 = self
                .o
                .labels
                .first()
                .cloned()
                .unwrap_or_else(|| names[0].clone());
            let l1 = self
                .o
                .labels
                .get(1)
                .cloned()
                .unwrap_or_else(|| names[1].clone());
            self.out
                .extend_from_slice(format!("Files {l0} and {l1} are identical\n").as_bytes());
        }
        st
    }

    fn list(&self, name: &str, absent: bool) -> Result<Vec<String>, String> {
        if absent {
            return Ok(Vec::new());
        }
        let ents = self
            .ctx
            .vfs
            .read_dir(name)
            .map_err(|e| format!("{name}: {}", e.errno()))?;
        let mut v: Vec<String> =
            ents.iter()
                .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                .filter(|n| {
                    !self.o.exclude.iter().any(|p| {
                        super::super::reg_archive::tar::fnmatch(p.as_bytes(), n.as_bytes())
                    })
                })
                .collect();
        v.sort_unstable();
        Ok(v)
    }

    fn diff_dirs(&mut self, d0: &str, d1: &str, absent: [bool; 2]) -> i32 {
        let (l0, l1) = match (self.list(d0, absent[0]), self.list(d1, absent[1])) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(m), _) | (_, Err(m)) => {
                if let Err(c) = self.flush() {
                    return c;
                }
                self.ctx.err(&m);
                return 2;
            }
        };
        let mut status = 0;
        let (mut i, mut j) = (0, 0);
        while i < l0.len() || j < l1.len() {
            if self.ctx.cancel.is_cancelled() {
                return 130;
            }
            let (name, which) = match (l0.get(i), l1.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                    (a.clone(), None)
                }
                (Some(a), Some(b)) if a < b => {
                    i += 1;
                    (a.clone(), Some(1))
                }
                (Some(a), None) => {
                    i += 1;
                    (a.clone(), Some(1))
                }
                (_, Some(b)) => {
                    j += 1;
                    (b.clone(), Some(0))
                }
                (None, None) => break,
            };
            let p0 = concat(d0, &name);
            let p1 = concat(d1, &name);
            let st = self.compare(Some((d0, d1)), &p0, &p1, which);
            status = status.max(st);
            if let Err(c) = self.maybe_flush() {
                return c;
            }
        }
        status
    }

    fn diff_2_files(
        &mut self,
        names: &[String; 2],
        srcs: &[Src; 2],
        in_dir: bool,
        same: bool,
    ) -> i32 {
        let mut data = Vec::with_capacity(2);
        for f in 0..2 {
            if f == 1 && same {
                let d: Vec<u8> = data.first().cloned().unwrap_or_default();
                data.push(d);
                break;
            }
            match self.read(&names[f], &srcs[f]) {
                Ok(d) => data.push(d),
                Err(m) => {
                    if let Err(c) = self.flush() {
                        return c;
                    }
                    self.ctx.err(&m);
                    return 2;
                }
            }
        }
        let (d0, d1) = (&data[0], &data[1]);
        let label = |f: usize| {
            self.o
                .labels
                .get(f)
                .cloned()
                .unwrap_or_else(|| names[f].clone())
        };
        let binary = !self.o.text
            && (d0[..d0.len().min(4096)].contains(&0) || d1[..d1.len().min(4096)].contains(&0));
        if binary {
            if d0 == d1 {
                return 0;
            }
            let what = if self.o.brief {
                "Files"
            } else {
                "Binary files"
            };
            self.out.extend_from_slice(
                format!("{what} {} and {} differ\n", label(0), label(1)).as_bytes(),
            );
            return 1;
        }
        if d0 == d1 {
            return 0;
        }
        let a = Lines::new(d0);
        let b = Lines::new(d1);
        let Some(script) = analyze::diff(&a, &b, &self.o.cmp, self.ctx.cancel) else {
            return 130;
        };
        let fmt = Fmt {
            style: self.o.style,
            context: self.o.context,
            ignore_blank: self.o.ignore_blank,
            ws: self.o.cmp.ws,
            function: self.o.function.clone(),
        };
        let changes = output::has_changes(&script, &a, &b, &fmt);
        if !changes {
            return 0;
        }
        if self.o.brief {
            self.out.extend_from_slice(
                format!("Files {} and {} differ\n", label(0), label(1)).as_bytes(),
            );
            return 1;
        }
        if in_dir {
            self.out.extend_from_slice(
                format!("diff{} {} {}\n", self.o.switches, names[0], names[1]).as_bytes(),
            );
        }
        if matches!(self.o.style, Style::Unified | Style::Context) {
            let marks = if self.o.style == Style::Unified {
                ["---", "+++"]
            } else {
                ["***", "---"]
            };
            for f in 0..2 {
                let line = match self.o.labels.get(f) {
                    Some(l) => format!("{} {l}\n", marks[f]),
                    None => {
                        let (sec, nsec) = match srcs[f] {
                            Src::File { sec, nsec, .. } => (sec, nsec),
                            _ => (0, 0),
                        };
                        format!(
                            "{} {}\t{}\n",
                            marks[f],
                            output::header_name(&names[f]),
                            output::timestamp(sec, nsec, self.o.style == Style::Context)
                        )
                    }
                };
                self.out.extend_from_slice(line.as_bytes());
            }
        }
        let mut fnstate = output::FnState::default();
        let mut hunks = output::hunks(&script, &a, &b, &fmt);
        if self.o.style == Style::Ed {
            hunks.reverse();
        }
        for h in hunks {
            output::print_hunk(&mut fnstate, &mut self.out, h, &a, &b, &fmt);
            if let Err(c) = self.maybe_flush() {
                return c;
            }
        }
        1
    }
}

fn last_component(name: &str) -> &str {
    let t = name.trim_end_matches('/');
    if t.is_empty() {
        return if name.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn concat(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::reg_misc::testutil::{run, run_in};

    #[test]
    fn unsupported_options_fail_clearly() {
        let (out, err, st) = run(&Diff, &["diff", "-y", "a", "b"], b"");
        assert_eq!((out.as_str(), st), ("", 2));
        assert_eq!(err, "diff: option -y (--side-by-side) is not supported\n");
        let (_, err, st) = run(&Diff, &["diff", "--color=always", "a", "b"], b"");
        assert_eq!(st, 2);
        assert!(err.contains("not supported"));
    }

    #[test]
    fn stdin_against_file() {
        let vfs = vfs_core::Vfs::new();
        vfs.write("f", b"a\nb\n".to_vec()).unwrap();
        let env = std::collections::BTreeMap::new();
        let (out, _, st) = run_in(&vfs, &Diff, &["diff", "-", "f"], b"a\nc\n", &env);
        assert_eq!((out.as_str(), st), ("2c2\n< c\n---\n> b\n", 1));
        let (out, _, st) = run_in(
            &vfs,
            &Diff,
            &["diff", "-u", "--label", "x", "--label", "y", "-", "f"],
            b"a\nb\n",
            &env,
        );
        assert_eq!((out.as_str(), st), ("", 0));
    }
}

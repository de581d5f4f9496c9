//! `ls`: list directory contents: one name per line by default (stdout is never a
//! terminal here), GNU's column layouts with `-C`, `-x`, `-m` (`-w`, `-T`, `COLUMNS`,
//! `TABSIZE`), and `-l -a -A -1 -R -h -S -t -r -d -F -p -i -n -g -o -s -U --color`.

use vfs_core::{FileType, Metadata};

use super::common::{
    MONTHS, Parsed, Zone, group_name, human, join, localtime, mode_string, parse, quote, quoteaf,
    user_name, zone,
};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `ls [OPTION]... [FILE]...`
pub struct Ls;

#[derive(Default)]
struct Opts {
    long: bool,
    all: bool,
    almost_all: bool,
    recursive: bool,
    human: bool,
    sort: Sort,
    /// `-u` (`a`), `-c` (`c`) or the default `m`: which time `-l` shows and `-t` sorts by.
    time_field: char,
    time_style: TimeStyle,
    /// `--quoting-style`: `l` literal (the default), `c` (`-Q`), `e` escape (`-b`),
    /// `s`/`S` shell(-always), `x`/`X` shell-escape(-always).
    quoting: char,
    /// `--group-directories-first`.
    dirs_first: bool,
    /// `--indicator-style=file-type` (`--file-type`): `-F` without the `*`.
    no_exec_mark: bool,
    /// `-B`: hide names ending in `~`.
    ignore_backups: bool,
    /// `-I`/`--ignore` patterns: names never listed.
    ignore: Vec<String>,
    /// `--hide` patterns: names not listed unless `-a` or `-A`.
    hide: Vec<String>,
    reverse: bool,
    dir_itself: bool,
    classify: bool,
    slash: bool,
    inode: bool,
    numeric: bool,
    no_owner: bool,
    no_group: bool,
    size_blocks: bool,
    deref: bool,
    deref_cmdline: bool,
    format: Format,
    /// Line width for the multi-column formats; 0 means no limit.
    width: usize,
    /// Tab stops used to align columns; 0 means spaces only.
    tabsize: usize,
}

/// The sort order (the last of `-S -t -X -v -U --sort` wins).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Sort {
    #[default]
    Name,
    Size,
    Time,
    Extension,
    Version,
    None,
}

/// `--time-style`: how `-l` shows times.
#[derive(Clone, Default, PartialEq, Eq)]
enum TimeStyle {
    /// `Mon DD HH:MM` for recent files, `Mon DD  YYYY` for others.
    #[default]
    Locale,
    /// `strftime` formats for files older than six months (or in the future) and for
    /// recent ones.
    Formats(String, String),
}

/// GNU's `--time-style` words (`posix-` styles are the locale's in the C locale).
fn time_style(v: &str) -> Option<TimeStyle> {
    if let Some(f) = v.strip_prefix('+') {
        let (old, recent) = f.split_once('\n').unwrap_or((f, f));
        return Some(TimeStyle::Formats(old.into(), recent.into()));
    }
    let two = |a: &str, b: &str| Some(TimeStyle::Formats(a.into(), b.into()));
    match v {
        "full-iso" => two("%Y-%m-%d %H:%M:%S.%N %z", "%Y-%m-%d %H:%M:%S.%N %z"),
        "long-iso" => two("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"),
        "iso" => two("%Y-%m-%d ", "%m-%d %H:%M"),
        "locale" => Some(TimeStyle::Locale),
        _ if v.starts_with("posix-")
            && matches!(&v[6..], "full-iso" | "long-iso" | "iso" | "locale") =>
        {
            Some(TimeStyle::Locale)
        }
        _ => None,
    }
}

/// gnulib's `quotearg` in the `c` style (`ls -Q`): `"name"` with C escapes; in the
/// `escape` style (`ls -b`) the same escapes without the quotes, and `\ ` for a space.
fn quote_c(name: &str, quotes: bool) -> String {
    let mut s = String::new();
    if quotes {
        s.push('"');
    }
    for &b in name.as_bytes() {
        match b {
            b'"' if quotes => s.push_str("\\\""),
            b' ' if !quotes => s.push_str("\\ "),
            b'\\' => s.push_str("\\\\"),
            7 => s.push_str("\\a"),
            8 => s.push_str("\\b"),
            12 => s.push_str("\\f"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            11 => s.push_str("\\v"),
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\{b:03o}")),
        }
    }
    if quotes {
        s.push('"');
    }
    s
}

/// `--quoting-style` words.
fn quoting_style(w: &str) -> Option<char> {
    Some(match w {
        "literal" => 'l',
        "c" => 'c',
        "escape" => 'e',
        "shell" => 's',
        "shell-always" => 'S',
        "shell-escape" => 'x',
        "shell-escape-always" => 'X',
        _ => return None,
    })
}

/// Is a directory entry left out by `-I` or `--hide` (fnmatch with `FNM_PERIOD`)?
fn hidden(name: &str, o: &Opts) -> bool {
    let hit = |p: &String| {
        (!name.starts_with('.') || p.starts_with('.'))
            && super::super::reg_archive::tar::fnmatch(p.as_bytes(), name.as_bytes())
    };
    o.ignore.iter().any(hit) || (!o.all && !o.almost_all && o.hide.iter().any(hit))
}

/// A name as `ls` shows it.
fn shown(name: &str, o: &Opts) -> String {
    match o.quoting {
        'c' => quote_c(name, true),
        'e' => quote_c(name, false),
        's' | 'x' => super::super::util::quote_shell(name, false),
        'S' | 'X' => super::super::util::quote_shell(name, true),
        _ => name.to_string(),
    }
}

/// GNU's output formats (`--format`).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Format {
    #[default]
    One,
    Long,
    Columns,
    Across,
    Commas,
}

/// GNU's `decode_line_length`: `None` when malformed; too big means 0 (no limit).
fn line_length(s: &str) -> Option<usize> {
    match parse_umax(s) {
        Some(Some(v)) => Some(
            usize::try_from(v)
                .ok()
                .filter(|&v| v <= isize::MAX as usize)
                .unwrap_or(0),
        ),
        Some(None) => Some(0),
        None => None,
    }
}

/// `xstrtoumax` with base 0 (decimal, `0x` hex, `0` octal) and no suffixes:
/// `None` when malformed, `Some(None)` on overflow.
fn parse_umax(s: &str) -> Option<Option<u64>> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.starts_with('-') {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if h.is_empty() { ("0", 10) } else { (h, 16) }
    } else if t.len() > 1 && t.starts_with('0') {
        (&t[1..], 8)
    } else {
        (t, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(u64::from_str_radix(digits, radix).ok())
}

struct Entry {
    name: String,
    path: String,
    meta: Metadata,
    target: Option<String>,
    target_meta: Option<Metadata>,
}

impl Command for Ls {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "ITw",
            "laA1RhStrdFpinCxmgoUsLHGQcuvfBXNb",
            &[
                "all",
                "almost-all",
                "recursive",
                "human-readable",
                "reverse",
                "directory",
                "classify",
                "file-type",
                "inode",
                "numeric-uid-gid",
                "color=?",
                "size",
                "dereference",
                "dereference-command-line",
                "no-group",
                "indicator-style=",
                "sort=",
                "ignore=",
                "hide=",
                "width=",
                "format=",
                "group-directories-first",
                "full-time",
                "time-style=",
                "quote-name",
                "quoting-style=",
                "escape",
                "ignore-backups",
                "literal",
                "help",
                "version",
            ],
            2,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut o = Opts {
            tabsize: 8,
            time_field: 'm',
            ..Opts::default()
        };
        let mut sort_given = false;
        let mut style = ctx.env.get("TIME_STYLE").cloned();
        if let Some(Some(t)) = ctx.env.get("TABSIZE").and_then(|t| parse_umax(t)) {
            o.tabsize = usize::try_from(t).unwrap_or(usize::MAX);
        }
        let mut width: Option<usize> = None;
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short('w', Some(v)) => match line_length(&v) {
                    Some(w) => width = Some(w),
                    None => return bad_number(ctx, "invalid line width", &v),
                },
                Arg::Short('T', Some(v)) => match parse_umax(&v) {
                    Some(Some(t)) => o.tabsize = usize::try_from(t).unwrap_or(usize::MAX),
                    _ => return bad_number(ctx, "invalid tab size", &v),
                },
                Arg::Short('I', v) => o.ignore.extend(v),
                Arg::Short(c, _) => match c {
                    'a' => o.all = true,
                    'A' => o.almost_all = true,
                    '1' if o.format != Format::Long => o.format = Format::One,
                    'C' => o.format = Format::Columns,
                    'x' => o.format = Format::Across,
                    'm' => o.format = Format::Commas,
                    'l' => o.format = Format::Long,
                    'R' => o.recursive = true,
                    'h' => o.human = true,
                    'S' | 't' | 'U' | 'X' | 'v' => {
                        sort_given = true;
                        o.sort = match c {
                            'S' => Sort::Size,
                            't' => Sort::Time,
                            'X' => Sort::Extension,
                            'v' => Sort::Version,
                            _ => Sort::None,
                        };
                    }
                    'u' | 'c' => o.time_field = if c == 'u' { 'a' } else { 'c' },
                    'Q' => o.quoting = 'c',
                    'b' => o.quoting = 'e',
                    'N' => o.quoting = 'l',
                    'B' => o.ignore_backups = true,
                    'f' => {
                        sort_given = true;
                        o.sort = Sort::None;
                        o.all = true;
                    }
                    'r' => o.reverse = true,
                    'd' => o.dir_itself = true,
                    'F' => o.classify = true,
                    'p' => o.slash = true,
                    'i' => o.inode = true,
                    'n' => {
                        o.numeric = true;
                        o.format = Format::Long;
                    }
                    'g' => {
                        o.no_owner = true;
                        o.format = Format::Long;
                    }
                    'o' => {
                        o.no_group = true;
                        o.format = Format::Long;
                    }
                    'G' => o.no_group = true,
                    's' => o.size_blocks = true,
                    'L' => o.deref = true,
                    'H' => o.deref_cmdline = true,
                    _ => {}
                },
                Arg::Long(n, v) => match n.as_str() {
                    "all" => o.all = true,
                    "almost-all" => o.almost_all = true,
                    "recursive" => o.recursive = true,
                    "human-readable" => o.human = true,
                    "reverse" => o.reverse = true,
                    "directory" => o.dir_itself = true,
                    "classify" => o.classify = true,
                    "inode" => o.inode = true,
                    "numeric-uid-gid" => {
                        o.numeric = true;
                        o.format = Format::Long;
                    }
                    "width" => match line_length(v.as_deref().unwrap_or_default()) {
                        Some(w) => width = Some(w),
                        None => {
                            return bad_number(ctx, "invalid line width", &v.unwrap_or_default());
                        }
                    },
                    "format" => {
                        o.format = match v.as_deref() {
                            Some("verbose" | "long") => Format::Long,
                            Some("commas") => Format::Commas,
                            Some("horizontal" | "across") => Format::Across,
                            Some("vertical") => Format::Columns,
                            Some("single-column") => Format::One,
                            _ => {
                                let w = v.unwrap_or_default();
                                ctx.err(&format!("invalid argument {} for '--format'", quote(&w)));
                                let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - 'verbose', 'long'\n  - 'commas'\n  - 'horizontal', 'across'\n  - 'vertical'\n  - 'single-column'\n");
                                let _ = ctx
                                    .stderr
                                    .write_all(b"Try 'ls --help' for more information.\n");
                                return 1;
                            }
                        }
                    }
                    "size" => o.size_blocks = true,
                    "dereference" => o.deref = true,
                    "dereference-command-line" => o.deref_cmdline = true,
                    "no-group" => o.no_group = true,
                    "full-time" => {
                        o.format = Format::Long;
                        style = Some("full-iso".into());
                    }
                    "indicator-style" => {
                        o.slash = false;
                        o.classify = false;
                        o.no_exec_mark = false;
                        match v.as_deref() {
                            Some("slash") => o.slash = true,
                            Some("classify") => o.classify = true,
                            Some("file-type") => {
                                o.classify = true;
                                o.no_exec_mark = true;
                            }
                            _ => {}
                        }
                    }
                    "sort" => {
                        sort_given = true;
                        o.sort = match v.as_deref() {
                            Some("size") => Sort::Size,
                            Some("time") => Sort::Time,
                            Some("extension") => Sort::Extension,
                            Some("version") => Sort::Version,
                            Some("none") => Sort::None,
                            Some("name") => Sort::Name,
                            _ => {
                                let w = v.unwrap_or_default();
                                ctx.err(&format!("invalid argument {} for '--sort'", quote(&w)));
                                let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - 'none'\n  - 'time'\n  - 'size'\n  - 'extension'\n  - 'version'\n  - 'width'\n");
                                let _ = ctx
                                    .stderr
                                    .write_all(b"Try 'ls --help' for more information.\n");
                                return 1;
                            }
                        };
                    }
                    "time-style" => style = v,
                    "ignore" => o.ignore.extend(v),
                    "hide" => o.hide.extend(v),
                    "quote-name" => o.quoting = 'c',
                    "escape" => o.quoting = 'e',
                    "literal" => o.quoting = 'l',
                    "group-directories-first" => o.dirs_first = true,
                    "file-type" => {
                        o.classify = true;
                        o.no_exec_mark = true;
                    }
                    "quoting-style" => {
                        let w = v.unwrap_or_default();
                        match quoting_style(&w) {
                            Some(q) => o.quoting = q,
                            None => {
                                ctx.err(&format!(
                                    "invalid argument {} for '--quoting-style'",
                                    quote(&w)
                                ));
                                let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - 'literal'\n  - 'shell'\n  - 'shell-always'\n  - 'shell-escape'\n  - 'shell-escape-always'\n  - 'c'\n  - 'c-maybe'\n  - 'escape'\n  - 'locale'\n  - 'clocale'\n");
                                let _ = ctx
                                    .stderr
                                    .write_all(b"Try 'ls --help' for more information.\n");
                                return 1;
                            }
                        }
                    }
                    "ignore-backups" => o.ignore_backups = true,
                    "color" => {
                        // A bare `--color` means `always`.
                        let ok = matches!(
                            v.as_deref(),
                            None | Some(
                                "never"
                                    | "no"
                                    | "none"
                                    | "auto"
                                    | "tty"
                                    | "if-tty"
                                    | "always"
                                    | "yes"
                                    | "force"
                            )
                        );
                        if !ok {
                            let w = v.unwrap_or_default();
                            ctx.err(&format!("invalid argument {} for '--color'", quote(&w)));
                            let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n");
                            let _ = ctx
                                .stderr
                                .write_all(b"Try 'ls --help' for more information.\n");
                            return 1;
                        }
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
            }
        }
        o.long = o.format == Format::Long;
        if o.time_field != 'm' && !sort_given && !o.long {
            o.sort = Sort::Time;
        }
        if o.long
            && let Some(st) = style
        {
            match time_style(&st) {
                Some(t) => o.time_style = t,
                None => {
                    ctx.err(&format!("invalid argument {} for 'time style'", quote(&st)));
                    let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\n");
                    let _ = ctx
                        .stderr
                        .write_all(b"Try 'ls --help' for more information.\n");
                    return 2;
                }
            }
        }
        if width.is_none()
            && matches!(o.format, Format::Columns | Format::Across | Format::Commas)
            && let Some(c) = ctx.env.get("COLUMNS").filter(|c| !c.is_empty())
        {
            width = line_length(c);
            if width.is_none() {
                ctx.err(&format!(
                    "ignoring invalid width in environment variable COLUMNS: {}",
                    quote(c)
                ));
            }
        }
        o.width = width.unwrap_or(80);
        if o.width == 0 {
            // Unlimited lines are aligned with spaces only.
            o.tabsize = 0;
        }
        let z = zone(ctx);
        let mut status = 0;
        let explicit = !files.is_empty();
        if files.is_empty() {
            files.push(".".into());
        }
        let mut singles = Vec::new();
        let mut dirs = Vec::new();
        for f in &files {
            let lm = match ctx.vfs.lstat(f) {
                Ok(m) => m,
                Err(e) => {
                    ctx.err(&format!(
                        "cannot access {}: {}",
                        quoteaf(f),
                        e.errno().message()
                    ));
                    status = 2;
                    continue;
                }
            };
            let follow = o.deref
                || o.deref_cmdline
                || (!o.long && !o.dir_itself && !o.classify && !o.slash)
                || f.ends_with('/');
            let mut m = lm;
            if lm.is_symlink()
                && follow
                && let Ok(t) = ctx.vfs.stat(f)
            {
                m = t;
            }
            let e = make_entry(ctx, f, f, m, &o);
            if m.is_dir() && !o.dir_itself {
                dirs.push(e);
            } else {
                singles.push(e);
            }
        }
        let now = ctx.vfs.now().sec;
        sort_entries(&mut singles, &o);
        sort_entries(&mut dirs, &o);
        let mut out = Vec::new();
        let mut first = true;
        if !singles.is_empty() {
            print_list(&singles, &o, &z, now, false, &mut out);
            first = false;
        }
        let show_header = o.recursive || files.len() > 1 || (explicit && !singles.is_empty());
        let _ = explicit;
        let mut queue: Vec<String> = dirs.iter().map(|d| d.path.clone()).collect();
        queue.reverse();
        while let Some(d) = queue.pop() {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            if !first {
                out.push(b'\n');
            }
            first = false;
            if show_header {
                out.extend_from_slice(format!("{}:\n", shown(&d, &o)).as_bytes());
            }
            let entries = match ctx.vfs.read_dir(&d) {
                Ok(es) => es,
                Err(e) => {
                    flush(ctx, &mut out);
                    ctx.err(&format!(
                        "cannot open directory {}: {}",
                        quoteaf(&d),
                        e.errno().message()
                    ));
                    status = 2;
                    continue;
                }
            };
            let mut list = Vec::new();
            if o.all {
                for n in [".", ".."] {
                    let p = join(&d, n);
                    if let Ok(m) = ctx.vfs.lstat(&p) {
                        list.push(make_entry(ctx, n, &p, m, &o));
                    }
                }
            }
            for e in entries {
                let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
                if name.starts_with('.') && !o.all && !o.almost_all {
                    continue;
                }
                if o.ignore_backups && name.ends_with('~') || hidden(&name, &o) {
                    continue;
                }
                let p = join(&d, &name);
                let m = match if o.deref {
                    ctx.vfs.stat(&p)
                } else {
                    ctx.vfs.lstat(&p)
                } {
                    Ok(m) => m,
                    Err(_) => match ctx.vfs.lstat(&p) {
                        Ok(m) => m,
                        Err(_) => continue,
                    },
                };
                list.push(make_entry(ctx, &name, &p, m, &o));
            }
            sort_entries(&mut list, &o);
            print_list(&list, &o, &z, now, true, &mut out);
            if o.recursive {
                let subs: Vec<String> = list
                    .iter()
                    .filter(|e| e.meta.is_dir() && e.name != "." && e.name != "..")
                    .map(|e| e.path.clone())
                    .collect();
                for s in subs.into_iter().rev() {
                    queue.push(s);
                }
            }
            if out.len() > 1 << 16 {
                if let Err(s) = ctx.out(&out) {
                    return Ctx::stop_status(s);
                }
                out.clear();
            }
        }
        if let Err(s) = ctx.out(&out) {
            return Ctx::stop_status(s);
        }
        status
    }
}

/// GNU's "invalid line width: 'X'" style error (status 2).
fn bad_number(ctx: &Ctx<'_>, what: &str, v: &str) -> i32 {
    ctx.err(&format!("{what}: {}", quote(v)));
    2
}

fn flush(ctx: &Ctx<'_>, out: &mut Vec<u8>) {
    let _ = ctx.out(out);
    out.clear();
}

fn make_entry(ctx: &Ctx<'_>, name: &str, path: &str, meta: Metadata, o: &Opts) -> Entry {
    let (target, target_meta) = if meta.is_symlink() {
        (
            ctx.vfs
                .read_link(path)
                .ok()
                .map(|t| t.to_string_lossy().into_owned()),
            if o.long || o.classify || o.dirs_first {
                ctx.vfs.stat(path).ok()
            } else {
                None
            },
        )
    } else {
        (None, None)
    };
    Entry {
        name: name.to_string(),
        path: path.to_string(),
        meta,
        target,
        target_meta,
    }
}

/// The time `-l` shows and `-t` sorts by.
fn time_of(m: &Metadata, o: &Opts) -> vfs_core::Timestamp {
    match o.time_field {
        'a' => m.atime,
        'c' => m.ctime,
        _ => m.mtime,
    }
}

/// What `-X` sorts by: from the last `.` on (nothing when there is none).
fn extension(name: &str) -> &[u8] {
    name.rfind('.').map_or(b"", |i| &name.as_bytes()[i..])
}

fn sort_entries(v: &mut [Entry], o: &Opts) {
    let by_name = |a: &Entry, b: &Entry| a.name.as_bytes().cmp(b.name.as_bytes());
    match o.sort {
        Sort::None => return,
        Sort::Size => v.sort_by(|a, b| b.meta.size.cmp(&a.meta.size).then_with(|| by_name(a, b))),
        Sort::Time => v.sort_by(|a, b| {
            time_of(&b.meta, o)
                .cmp(&time_of(&a.meta, o))
                .then_with(|| by_name(a, b))
        }),
        Sort::Extension => v.sort_by(|a, b| {
            extension(&a.name)
                .cmp(extension(&b.name))
                .then_with(|| by_name(a, b))
        }),
        Sort::Version => v.sort_by(|a, b| {
            super::super::reg_text::sort::filevercmp(a.name.as_bytes(), b.name.as_bytes())
                .then_with(|| by_name(a, b))
        }),
        Sort::Name => v.sort_by(by_name),
    }

    if o.reverse {
        v.reverse();
    }
    if o.dirs_first {
        // A stable partition: directories (and links seen to lead to one) first.
        v.sort_by_key(|e| !(e.meta.is_dir() || e.target_meta.is_some_and(|m| m.is_dir())));
    }
}

fn indicator(m: &Metadata, o: &Opts) -> &'static str {
    if o.classify {
        match m.file_type {
            FileType::Dir => "/",
            FileType::Symlink => "@",
            FileType::File if m.mode & 0o111 != 0 && !o.no_exec_mark => "*",
            FileType::File => "",
        }
    } else if o.slash && m.is_dir() {
        "/"
    } else {
        ""
    }
}

fn kblocks(m: &Metadata) -> u64 {
    m.blocks.div_ceil(2)
}

fn size_col(m: &Metadata, o: &Opts) -> String {
    if o.human {
        human(m.size)
    } else {
        m.size.to_string()
    }
}

fn blocks_col(m: &Metadata, o: &Opts) -> String {
    if o.human {
        human(m.blocks * 512)
    } else {
        kblocks(m).to_string()
    }
}

fn date_col(m: &Metadata, o: &Opts, z: &Zone, now: i64) -> String {
    let ts = time_of(m, o);
    let t = ts.sec;
    let six_months = 31_556_952 / 2;
    let recent = t > now - six_months && t <= now;
    if let TimeStyle::Formats(old, new) = &o.time_style {
        let f = if recent { new } else { old };
        let f = f.replace("%N", &format!("{:09}", ts.nsec));
        let off = i32::try_from(z.offset).unwrap_or(0);
        let name = if off == 0 { "UTC" } else { "" };
        return String::from_utf8_lossy(&crate::printf::strftime(f.as_bytes(), t, off, name))
            .into_owned();
    }
    let tm = localtime(t, z);
    let mon = MONTHS[usize::try_from(tm.month - 1).unwrap_or(0).min(11)];
    if recent {
        format!("{mon} {:>2} {:02}:{:02}", tm.day, tm.hour, tm.min)
    } else {
        format!("{mon} {:>2}  {}", tm.day, tm.year)
    }
}

fn print_list(list: &[Entry], o: &Opts, z: &Zone, now: i64, total: bool, out: &mut Vec<u8>) {
    if (o.long || o.size_blocks) && total {
        let t: u64 = list.iter().map(|e| e.meta.blocks).sum();
        let s = if o.human {
            human(t * 512)
        } else {
            t.div_ceil(2).to_string()
        };
        out.extend_from_slice(format!("total {s}\n").as_bytes());
    }
    let w_ino = list.iter().map(|e| digits(e.meta.ino)).max().unwrap_or(0);
    let w_blk = list
        .iter()
        .map(|e| blocks_col(&e.meta, o).len())
        .max()
        .unwrap_or(0);
    if !o.long {
        print_names(list, o, w_ino, w_blk, out);
        return;
    }
    let owner = |e: &Entry| {
        if o.numeric {
            e.meta.uid.to_string()
        } else {
            user_name(e.meta.uid)
        }
    };
    let group = |e: &Entry| {
        if o.numeric {
            e.meta.gid.to_string()
        } else {
            group_name(e.meta.gid)
        }
    };
    let w_link = list
        .iter()
        .map(|e| e.meta.nlink.to_string().len())
        .max()
        .unwrap_or(0);
    let w_own = list.iter().map(|e| owner(e).len()).max().unwrap_or(0);
    let w_grp = list.iter().map(|e| group(e).len()).max().unwrap_or(0);
    let w_size = list
        .iter()
        .map(|e| size_col(&e.meta, o).len())
        .max()
        .unwrap_or(0);
    for e in list {
        let mut line = String::new();
        if o.inode {
            if o.long {
                line.push_str(&format!("{:>w_ino$} ", e.meta.ino));
            } else {
                line.push_str(&format!("{} ", e.meta.ino));
            }
        }
        if o.size_blocks {
            line.push_str(&format!("{:>w_blk$} ", blocks_col(&e.meta, o)));
        }
        if o.long {
            line.push_str(&mode_string(e.meta.file_type, e.meta.mode));
            line.push_str(&format!(" {:>w_link$} ", e.meta.nlink));
            if !o.no_owner {
                line.push_str(&format!("{:<w_own$} ", owner(e)));
            }
            if !o.no_group {
                line.push_str(&format!("{:<w_grp$} ", group(e)));
            }
            line.push_str(&format!("{:>w_size$} ", size_col(&e.meta, o)));
            line.push_str(&date_col(&e.meta, o, z, now));
            line.push(' ');
        }
        line.push_str(&shown(&e.name, o));
        if o.long
            && let Some(t) = &e.target
        {
            line.push_str(" -> ");
            line.push_str(&shown(t, o));
            if let Some(tm) = &e.target_meta {
                line.push_str(indicator(tm, o));
            }
        } else {
            line.push_str(indicator(&e.meta, o));
        }
        line.push('\n');
        out.extend_from_slice(line.as_bytes());
    }
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Columns a name takes on screen in the C locale: control bytes count for nothing.
fn name_width(name: &str) -> usize {
    name.chars().filter(|c| !c.is_control()).count()
}

/// GNU's `length_of_file_name_and_frills`: the inode and block columns, the name and
/// its indicator.
fn frills_len(e: &Entry, o: &Opts, w_ino: usize, w_blk: usize) -> usize {
    let commas = o.format == Format::Commas;
    let mut len = 0;
    if o.inode {
        len += 1 + if commas { digits(e.meta.ino) } else { w_ino };
    }
    if o.size_blocks {
        len += 1 + if commas {
            blocks_col(&e.meta, o).len()
        } else {
            w_blk
        };
    }
    len + name_width(&shown(&e.name, o)) + indicator(&e.meta, o).len()
}

/// GNU's `print_file_name_and_frills`.
fn put_name(e: &Entry, o: &Opts, w_ino: usize, w_blk: usize, out: &mut Vec<u8>) {
    let (wi, wb) = if o.format == Format::Commas {
        (0, 0)
    } else {
        (w_ino, w_blk)
    };
    if o.inode {
        out.extend_from_slice(format!("{:>wi$} ", e.meta.ino).as_bytes());
    }
    if o.size_blocks {
        out.extend_from_slice(format!("{:>wb$} ", blocks_col(&e.meta, o)).as_bytes());
    }
    out.extend_from_slice(shown(&e.name, o).as_bytes());
    out.extend_from_slice(indicator(&e.meta, o).as_bytes());
}

/// GNU's `indent`: pad from column `from` to `to`, with tabs where they fit.
fn indent(mut from: usize, to: usize, tabsize: usize, out: &mut Vec<u8>) {
    while from < to {
        if tabsize != 0 && to / tabsize > (from + 1) / tabsize {
            out.push(b'\t');
            from += tabsize - from % tabsize;
        } else {
            out.push(b' ');
            from += 1;
        }
    }
}

/// GNU's `calculate_columns`: how many columns fit, and their widths.
fn columns(lens: &[usize], o: &Opts, by_columns: bool) -> Vec<usize> {
    const MIN_COLUMN_WIDTH: usize = 3;
    let n = lens.len();
    let max_idx =
        o.width / MIN_COLUMN_WIDTH + usize::from(!o.width.is_multiple_of(MIN_COLUMN_WIDTH));
    let max_cols = if 0 < max_idx && max_idx < n {
        max_idx
    } else {
        n
    };
    // For i + 1 columns: still fits, line length, column widths.
    let mut info: Vec<(bool, usize, Vec<usize>)> = (0..max_cols)
        .map(|i| {
            (
                true,
                (i + 1) * MIN_COLUMN_WIDTH,
                vec![MIN_COLUMN_WIDTH; i + 1],
            )
        })
        .collect();
    for (f, &len) in lens.iter().enumerate() {
        for (i, (valid, line_len, arr)) in info.iter_mut().enumerate() {
            if !*valid {
                continue;
            }
            let idx = if by_columns {
                f / ((n + i) / (i + 1)).max(1)
            } else {
                f % (i + 1)
            };
            let real = len + if idx == i { 0 } else { 2 };
            if let Some(slot) = arr.get_mut(idx)
                && *slot < real
            {
                *line_len += real - *slot;
                *slot = real;
                *valid = o.width == 0 || *line_len < o.width;
            }
        }
    }
    let mut cols = max_cols;
    while cols > 1 {
        if info[cols - 1].0 {
            break;
        }
        cols -= 1;
    }
    let cols = cols.max(1);
    info.into_iter()
        .nth(cols - 1)
        .map_or_else(|| vec![0], |(_, _, arr)| arr)
}

/// Every format but the long one.
fn print_names(list: &[Entry], o: &Opts, w_ino: usize, w_blk: usize, out: &mut Vec<u8>) {
    if list.is_empty() {
        return;
    }
    let lens: Vec<usize> = list
        .iter()
        .map(|e| frills_len(e, o, w_ino, w_blk))
        .collect();
    match o.format {
        Format::Columns => {
            let widths = columns(&lens, o, true);
            let cols = widths.len();
            let rows = list.len().div_ceil(cols);
            for row in 0..rows {
                let mut pos = 0;
                let mut f = row;
                let mut col = 0;
                loop {
                    put_name(&list[f], o, w_ino, w_blk, out);
                    let max = widths.get(col).copied().unwrap_or(0);
                    col += 1;
                    let len = lens[f];
                    f += rows;
                    if f >= list.len() {
                        break;
                    }
                    indent(pos + len, pos + max, o.tabsize, out);
                    pos += max;
                }
                out.push(b'\n');
            }
        }
        Format::Across => {
            let widths = columns(&lens, o, false);
            let cols = widths.len();
            let mut pos = 0;
            put_name(&list[0], o, w_ino, w_blk, out);
            let mut len = lens[0];
            let mut max = widths[0];
            for f in 1..list.len() {
                let col = f % cols;
                if col == 0 {
                    out.push(b'\n');
                    pos = 0;
                } else {
                    indent(pos + len, pos + max, o.tabsize, out);
                    pos += max;
                }
                put_name(&list[f], o, w_ino, w_blk, out);
                len = lens[f];
                max = widths.get(col).copied().unwrap_or(0);
            }
            out.push(b'\n');
        }
        Format::Commas => {
            let mut pos = 0usize;
            for (f, e) in list.iter().enumerate() {
                let len = if o.width != 0 { lens[f] } else { 0 };
                if f != 0 {
                    out.push(b',');
                    if o.width == 0 || pos + len + 2 < o.width {
                        pos += 2;
                        out.push(b' ');
                    } else {
                        pos = 0;
                        out.push(b'\n');
                    }
                }
                put_name(e, o, w_ino, w_blk, out);
                pos += len;
            }
            out.push(b'\n');
        }
        _ => {
            for e in list {
                put_name(e, o, w_ino, w_blk, out);
                out.push(b'\n');
            }
        }
    }
}

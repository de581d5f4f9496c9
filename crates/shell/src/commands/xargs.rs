//! `xargs` (GNU findutils 4.9.0): build command lines from standard input (or `-a
//! FILE`) and run them through [`Ctx::run`], with GNU's input syntax (blanks, quotes,
//! backslashes; or `-0`/`-d` delimiters), `-n`/`-L`/`-I`/`-s` limits and exit statuses.
//!
//! `-P N` runs the commands one after another (the output is the same as GNU's with
//! `-P 1`, and any interleaving GNU may produce with more processes is one of these).

use std::collections::BTreeMap;

use crate::commands::{Command, Ctx};
use crate::io::Fd;

/// `xargs [OPTION]... COMMAND [INITIAL-ARGS]...`
pub struct Xargs;

/// Exit status when a command exited 1..=254.
const ST_NONZERO: i32 = 123;

struct Opts {
    /// `None`: GNU's default input syntax; `Some(d)`: items end at byte `d`.
    delim: Option<u8>,
    eof: Option<Vec<u8>>,
    replace: Option<String>,
    max_lines: Option<usize>,
    max_args: Option<usize>,
    max_chars: Option<usize>,
    no_run_empty: bool,
    verbose: bool,
    exit_on_size: bool,
    arg_file: Option<String>,
    slot_var: Option<String>,
}

fn try_help(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.err(msg);
    let _ = ctx
        .stderr
        .write_all(b"Try 'xargs --help' for more information.\n");
    1
}

fn text(ctx: &Ctx<'_>, t: &str) -> i32 {
    match ctx.out(t.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

/// Parse a `-d` delimiter: one byte or a backslash escape.
fn parse_delim(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    if b.len() == 1 {
        return Some(b[0]);
    }
    if b.first() != Some(&b'\\') || b.len() < 2 {
        return None;
    }
    let rest = &s[1..];
    match rest {
        "a" => return Some(7),
        "b" => return Some(8),
        "f" => return Some(12),
        "n" => return Some(b'\n'),
        "r" => return Some(b'\r'),
        "t" => return Some(b'\t'),
        "v" => return Some(11),
        "\\" => return Some(b'\\'),
        _ => {}
    }
    if let Some(h) = rest.strip_prefix('x') {
        return u8::from_str_radix(h, 16).ok();
    }
    if rest.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
        return u32::from_str_radix(rest, 8)
            .ok()
            .and_then(|v| u8::try_from(v).ok());
    }
    None
}

enum Num {
    Ok(usize),
    Bad,
}

fn number(s: &str) -> Num {
    match s.trim_start().parse::<i64>() {
        Ok(v) if v >= 0 => Num::Ok(usize::try_from(v).unwrap_or(usize::MAX)),
        Ok(_) => Num::Ok(0),
        Err(_) => Num::Bad,
    }
}

impl Command for Xargs {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut o = Opts {
            delim: None,
            eof: None,
            replace: None,
            max_lines: None,
            max_args: None,
            max_chars: None,
            no_run_empty: false,
            verbose: false,
            exit_on_size: false,
            arg_file: None,
            slot_var: None,
        };
        // Short options: takes a value (`:`), optional value (`?`), flag.
        let spec = |c: char| -> Option<u8> {
            match c {
                'a' | 'E' | 'I' | 'L' | 'n' | 's' | 'P' | 'd' => Some(b':'),
                'e' | 'i' | 'l' => Some(b'?'),
                '0' | 'p' | 'r' | 't' | 'x' | 'o' => Some(b'f'),
                _ => None,
            }
        };
        const LONG: [(&str, u8, char); 18] = [
            ("null", b'f', '0'),
            ("arg-file", b':', 'a'),
            ("delimiter", b':', 'd'),
            ("eof", b'?', 'e'),
            ("replace", b'?', 'i'),
            ("max-lines", b'?', 'l'),
            ("max-args", b':', 'n'),
            ("max-procs", b':', 'P'),
            ("interactive", b'f', 'p'),
            ("no-run-if-empty", b'f', 'r'),
            ("max-chars", b':', 's'),
            ("verbose", b'f', 't'),
            ("exit", b'f', 'x'),
            ("open-tty", b'f', 'o'),
            ("process-slot-var", b':', 'S'),
            ("show-limits", b'f', 'T'),
            ("help", b'f', 'h'),
            ("version", b'f', 'V'),
        ];
        let mut items: Vec<(char, Option<String>)> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            if let Some(body) = a.strip_prefix("--") {
                let (name, val) = match body.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (body, None),
                };
                let exact = LONG.iter().find(|l| l.0 == name);
                let cands: Vec<_> = LONG.iter().filter(|l| l.0.starts_with(name)).collect();
                let l = match (exact, cands.len()) {
                    (Some(l), _) => l,
                    (None, 1) => cands[0],
                    (None, 0) => return try_help(ctx, &format!("unrecognized option '{a}'")),
                    _ => return try_help(ctx, &format!("option '{a}' is ambiguous")),
                };
                i += 1;
                match l.1 {
                    b':' => {
                        let v = match val {
                            Some(v) => v,
                            None => match args.get(i) {
                                Some(v) => {
                                    i += 1;
                                    v.clone()
                                }
                                None => {
                                    return try_help(
                                        ctx,
                                        &format!("option '--{}' requires an argument", l.0),
                                    );
                                }
                            },
                        };
                        items.push((l.2, Some(v)));
                    }
                    b'?' => items.push((l.2, val)),
                    _ => {
                        if val.is_some() {
                            return try_help(
                                ctx,
                                &format!("option '--{}' doesn't allow an argument", l.0),
                            );
                        }
                        items.push((l.2, None));
                    }
                }
                continue;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += 1;
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                match spec(c) {
                    None => return try_help(ctx, &format!("invalid option -- '{c}'")),
                    Some(b':') => {
                        let rest: String = chars[k..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return try_help(ctx, &format!("option requires an argument -- '{c}'"));
                        };
                        items.push((c, Some(v)));
                        break;
                    }
                    Some(b'?') => {
                        let rest: String = chars[k..].iter().collect();
                        items.push((c, (!rest.is_empty()).then_some(rest)));
                        break;
                    }
                    Some(_) => items.push((c, None)),
                }
            }
        }
        let mut procs_bad = None;
        let mut show_limits = false;
        for (c, v) in items {
            let v2 = v.clone().unwrap_or_default();
            match c {
                'h' => return text(ctx, include_str!("xargs_help.txt")),
                'V' => return text(ctx, include_str!("xargs_version.txt")),
                '0' => o.delim = Some(0),
                'a' => o.arg_file = v,
                'd' => match parse_delim(&v2) {
                    Some(d) => o.delim = Some(d),
                    None => {
                        ctx.err(&format!("Invalid input delimiter specification {v2}: the delimiter must be either a single character or an escape sequence starting with \\."));
                        return 1;
                    }
                },
                'E' => o.eof = (!v2.is_empty()).then(|| v2.into_bytes()),
                'e' => o.eof = v.filter(|s| !s.is_empty()).map(String::into_bytes),
                'I' | 'i' => {
                    o.replace = Some(if c == 'i' && v.is_none() {
                        "{}".into()
                    } else {
                        v2
                    });
                    if o.max_args.is_some() {
                        ctx.err("warning: options --max-args and --replace/-I/-i are mutually exclusive, ignoring previous --max-args value");
                    }
                    if o.max_lines.is_some() {
                        ctx.err("warning: options --max-lines and --replace/-I/-i are mutually exclusive, ignoring previous --max-lines value");
                    }
                    o.max_lines = None;
                    o.max_args = None;
                }
                'L' | 'l' => {
                    let n = if c == 'l' && v.is_none() {
                        1
                    } else {
                        match number(&v2) {
                            Num::Ok(0) => {
                                return try_help(
                                    ctx,
                                    &format!("value {v2} for -L option should be >= 1"),
                                );
                            }
                            Num::Ok(n) => n,
                            Num::Bad => {
                                return try_help(
                                    ctx,
                                    &format!("invalid number \"{v2}\" for -L option"),
                                );
                            }
                        }
                    };
                    if o.max_args.is_some() {
                        ctx.err("warning: options --max-args and -L are mutually exclusive, ignoring previous --max-args value");
                    }
                    if o.replace.is_some() {
                        ctx.err("warning: options --replace and -L are mutually exclusive, ignoring previous --replace value");
                    }
                    o.max_lines = Some(n);
                    o.max_args = None;
                    o.replace = None;
                }
                'n' => {
                    let n = match number(&v2) {
                        Num::Ok(0) => {
                            return try_help(
                                ctx,
                                &format!("value {v2} for -n option should be >= 1"),
                            );
                        }
                        Num::Ok(n) => n,
                        Num::Bad => {
                            return try_help(
                                ctx,
                                &format!("invalid number \"{v2}\" for -n option"),
                            );
                        }
                    };
                    if o.max_lines.is_some() {
                        ctx.err("warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value");
                    }
                    o.max_args = Some(n);
                    o.max_lines = None;
                }
                's' => match number(&v2) {
                    Num::Ok(0) => {
                        ctx.err(&format!("value {v2} for -s option should be >= 1"));
                        o.max_chars = Some(1);
                    }
                    Num::Ok(n) => o.max_chars = Some(n),
                    Num::Bad => {
                        return try_help(ctx, &format!("invalid number \"{v2}\" for -s option"));
                    }
                },
                'P' => {
                    procs_bad = match (number(&v2), v2.trim_start().parse::<i64>()) {
                        (Num::Bad, _) => Some(format!("invalid number \"{v2}\" for -P option")),
                        (_, Ok(n)) if n < 0 => {
                            Some(format!("value {v2} for -P option should be >= 0"))
                        }
                        (_, Ok(n)) if n > 2_147_483_647 => {
                            Some(format!("value {v2} for -P option should be <= 2147483647"))
                        }
                        _ => None,
                    };
                }
                'p' => {
                    ctx.err("-p (--interactive) is not supported: there is no terminal to ask");
                    return 1;
                }
                'o' => {
                    ctx.err("-o (--open-tty) is not supported: there is no terminal");
                    return 1;
                }
                'r' => o.no_run_empty = true,
                't' => o.verbose = true,
                'x' => o.exit_on_size = true,
                'S' => o.slot_var = v,
                'T' => show_limits = true,
                _ => {}
            }
        }
        if o.eof.is_some() && o.delim.is_some() {
            ctx.err("warning: the -E option has no effect if -0 or -d is used.\n");
            o.eof = None;
        }
        if let Some(m) = procs_bad {
            return try_help(ctx, &m);
        }
        let mut cmd: Vec<String> = args[i..].to_vec();
        if cmd.is_empty() {
            cmd.push("echo".into());
        }
        let env_size: usize = ctx.env.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let posix_max = (2_097_152usize).saturating_sub(env_size + 2048);
        let mut limit = 131_072usize.min(posix_max.saturating_sub(env_size));
        if let Some(s) = o.max_chars {
            if s > posix_max {
                ctx.err(&format!("value {s} for -s option should be <= {posix_max}"));
                limit = posix_max;
            } else {
                limit = s;
            }
        }
        if show_limits {
            let usable = posix_max.saturating_sub(env_size);
            let text = format!(
                "Your environment variables take up {env_size} bytes\n\
POSIX upper limit on argument length (this system): {posix_max}\n\
POSIX smallest allowable upper limit on argument length (all systems): 4096\n\
Maximum length of command we could actually use: {usable}\n\
Size of command buffer we are actually using: {limit}\n\
Maximum parallelism (--max-procs must be no greater): 2147483647\n"
            );
            let _ = ctx.stderr.write_all(text.as_bytes());
        }
        let input = match &o.arg_file {
            Some(f) => match ctx.open_input(f) {
                Ok(fd) => fd,
                Err(_) => {
                    let msg = ctx
                        .vfs
                        .stat(f)
                        .err()
                        .map_or("Permission denied", |e| e.errno().message());
                    ctx.err(&format!(
                        "Cannot open input file {}: {msg}",
                        crate::commands::util::quote(f)
                    ));
                    return 1;
                }
            },
            None => ctx.stdin.clone(),
        };
        let child_stdin = if o.arg_file.is_some() {
            ctx.stdin.clone()
        } else {
            Fd::Null
        };
        let mut env = ctx.env.clone();
        if let Some(v) = &o.slot_var {
            env.insert(v.clone(), "0".into());
        }
        let mut x = Run {
            ctx,
            o: &o,
            env,
            stdin: child_stdin,
            cmd,
            limit,
            args: Vec::new(),
            size: 0,
            lines: 0,
            ran: false,
            status: 0,
            abort: None,
        };
        x.go(input)
    }
}

struct Run<'c, 'a> {
    ctx: &'c Ctx<'a>,
    o: &'c Opts,
    env: BTreeMap<String, String>,
    stdin: Fd,
    cmd: Vec<String>,
    limit: usize,
    args: Vec<String>,
    size: usize,
    lines: usize,
    ran: bool,
    status: i32,
    /// Set when xargs must stop with this status.
    abort: Option<i32>,
}

/// What the tokenizer hands over.
enum Tok {
    Item(Vec<u8>),
    /// End of a logical input line (for `-L`).
    Eol,
}

impl Run<'_, '_> {
    fn base_size(&self) -> usize {
        self.cmd.iter().map(|a| a.len() + 1).sum()
    }

    fn go(&mut self, input: Fd) -> i32 {
        if self.o.replace.is_none() && self.base_size() > self.limit {
            self.ctx
                .err("cannot fit single argument within argument list size limit");
            return 1;
        }
        let mut buf = vec![0u8; 64 * 1024];
        let mut item: Vec<u8> = Vec::new();
        // Tokenizer state for the default syntax.
        let mut in_item = false;
        let mut quote: u8 = 0;
        let mut escape = false;
        let mut last_blank = false;
        let mut line_items = 0usize;
        let mut done = false;
        let mut toks: Vec<Tok> = Vec::new();
        let mut read_err = None;
        'outer: while !done {
            if self.ctx.cancel.is_cancelled() {
                return 130;
            }
            let n = match input.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    read_err = Some(crate::io::errno_message(&e));
                    0
                }
            };
            let chunk = &buf[..n];
            if n == 0 {
                // End of input.
                if let Some(d) = self.o.delim {
                    let _ = d;
                    if !item.is_empty() {
                        toks.push(Tok::Item(std::mem::take(&mut item)));
                        toks.push(Tok::Eol);
                    }
                } else if quote != 0 {
                    let which = if quote == b'"' { "double" } else { "single" };
                    self.flush_toks(&mut toks);
                    self.ctx.err(&format!("unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option"));
                    self.status = 1;
                    self.ran = true;
                    break 'outer;
                } else if in_item || escape {
                    toks.push(Tok::Item(std::mem::take(&mut item)));
                    toks.push(Tok::Eol);
                } else if line_items > 0 {
                    toks.push(Tok::Eol);
                }
                self.flush_toks(&mut toks);
                break;
            }
            for &c in chunk {
                if let Some(d) = self.o.delim {
                    if c == d {
                        let it = std::mem::take(&mut item);
                        toks.push(Tok::Item(it));
                        toks.push(Tok::Eol);
                    } else {
                        item.push(c);
                    }
                    continue;
                }
                if escape {
                    item.push(c);
                    escape = false;
                    in_item = true;
                    last_blank = false;
                    continue;
                }
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    } else if c == b'\n' {
                        let which = if quote == b'"' { "double" } else { "single" };
                        self.flush_toks(&mut toks);
                        self.ctx.err(&format!("unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option"));
                        self.status = 1;
                        self.ran = true;
                        break 'outer;
                    } else {
                        item.push(c);
                    }
                    continue;
                }
                let blank = c == b' ' || c == b'\t';
                if c == b'\n' {
                    if in_item {
                        if self.end_item(&mut item, &mut toks) {
                            done = true;
                            break;
                        }
                        in_item = false;
                        line_items += 1;
                    }
                    if !last_blank || self.o.replace.is_some() {
                        if line_items > 0 {
                            toks.push(Tok::Eol);
                        }
                        line_items = 0;
                    }
                    last_blank = false;
                    continue;
                }
                if blank && self.o.replace.is_none() {
                    if in_item {
                        if self.end_item(&mut item, &mut toks) {
                            done = true;
                            break;
                        }
                        in_item = false;
                        line_items += 1;
                    }
                    last_blank = true;
                    continue;
                }
                if blank && !in_item {
                    // Leading blanks of a line with -I.
                    continue;
                }
                last_blank = false;
                in_item = true;
                match c {
                    b'\\' => escape = true,
                    b'\'' | b'"' => quote = c,
                    _ => item.push(c),
                }
            }
            self.flush_toks(&mut toks);
            if self.abort.is_some() {
                break;
            }
            if item.len() > self.limit {
                self.ctx.err("argument line too long");
                return 1;
            }
        }
        if let Some(m) = read_err {
            self.ctx.err(&format!("read error: {m}"));
            self.status = 1;
        }
        if let Some(s) = self.abort {
            return s;
        }
        if self.o.replace.is_none()
            && (!self.args.is_empty() || (!self.ran && !self.o.no_run_empty))
        {
            self.exec_args();
        }
        if let Some(s) = self.abort {
            return s;
        }
        self.status
    }

    /// Finish the current default-syntax item; true when it is the EOF string.
    fn end_item(&mut self, item: &mut Vec<u8>, toks: &mut Vec<Tok>) -> bool {
        let it = std::mem::take(item);
        if self.o.eof.as_deref() == Some(it.as_slice()) {
            return true;
        }
        toks.push(Tok::Item(it));
        false
    }

    fn flush_toks(&mut self, toks: &mut Vec<Tok>) {
        for t in toks.drain(..) {
            if self.abort.is_some() {
                continue;
            }
            match t {
                Tok::Item(it) => self.add(it),
                Tok::Eol => {
                    if self.o.replace.is_some() {
                        continue;
                    }
                    if let Some(max) = self.o.max_lines {
                        self.lines += 1;
                        if self.lines >= max {
                            self.exec_args();
                        }
                    }
                }
            }
        }
    }

    fn add(&mut self, it: Vec<u8>) {
        let s = String::from_utf8_lossy(&it).into_owned();
        if let Some(r) = &self.o.replace {
            if s.is_empty() && self.o.delim.is_none() {
                return;
            }
            let argv: Vec<String> = self
                .cmd
                .iter()
                .enumerate()
                .map(|(k, a)| {
                    if k == 0 && !a.contains(r.as_str()) {
                        a.clone()
                    } else {
                        a.replace(r.as_str(), &s)
                    }
                })
                .collect();
            let size: usize = argv.iter().map(|a| a.len() + 1).sum();
            if size > self.limit {
                self.ctx.err("argument line too long");
                self.abort = Some(1);
                return;
            }
            self.exec(argv);
            return;
        }
        let need = s.len() + 1;
        let base = self.base_size();
        if base + self.size + need > self.limit {
            if self.args.is_empty() || self.o.exit_on_size {
                self.ctx.err(if self.args.is_empty() {
                    "argument line too long"
                } else {
                    "argument list too long"
                });
                self.abort = Some(1);
                return;
            }
            self.exec_args();
            if self.abort.is_some() {
                return;
            }
            if base + need > self.limit {
                self.ctx.err("argument line too long");
                self.abort = Some(1);
                return;
            }
        }
        self.args.push(s);
        self.size += need;
        if let Some(max) = self.o.max_args
            && self.args.len() >= max
        {
            self.exec_args();
        }
    }

    fn exec_args(&mut self) {
        let mut argv = self.cmd.clone();
        argv.append(&mut self.args);
        self.size = 0;
        self.lines = 0;
        self.exec(argv);
    }

    fn exec(&mut self, argv: Vec<String>) {
        self.ran = true;
        if self.abort.is_some() {
            return;
        }
        if self.o.verbose {
            let quoted: Vec<String> = argv
                .iter()
                .map(|a| crate::commands::util::quote_shell(a, false))
                .collect();
            let mut line = quoted.join(" ");
            line.push('\n');
            let _ = self.ctx.stderr.write_all(line.as_bytes());
        }
        let name = &argv[0];
        if !super::find::exists(self.ctx, name, None) {
            self.ctx.err(&format!("{name}: No such file or directory"));
            self.abort = Some(127);
            return;
        }
        if name.contains('/')
            && let Ok(m) = self.ctx.vfs.stat(name)
            && m.mode & 0o111 == 0
        {
            self.ctx.err(&format!("{name}: Permission denied"));
            self.abort = Some(126);
            return;
        }
        let st = (self.ctx.run)(
            &argv,
            &self.env,
            [&self.stdin, self.ctx.stdout, self.ctx.stderr],
        );
        if self.ctx.cancel.is_cancelled() {
            self.abort = Some(130);
            return;
        }
        match st {
            0 => {}
            // Commands here report a write to a closed pipe as status 141 (SIGPIPE).
            141 => {
                self.ctx.err(&format!("{name}: terminated by signal 13"));
                self.abort = Some(125);
            }
            255 => {
                self.ctx
                    .err(&format!("{name}: exited with status 255; aborting"));
                self.abort = Some(124);
            }
            _ => self.status = ST_NONZERO,
        }
    }
}

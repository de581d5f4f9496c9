//! `awk` / `gawk`: GNU awk 5.2 in the C locale. POSIX awk with the gawk extensions
//! agents use (gensub, asort, asorti, strftime, bit functions, `length(arr)`, regex RS,
//! `nextfile`, `delete arr`, `**`). The program is parsed once into a tree with
//! resolved variable slots ([`parser`]) and walked by [`interp`]; fields split lazily.

mod array;
mod ast;
mod builtins;
mod format;
mod interp;
mod io;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;
mod value;

use std::cell::RefCell;
use std::rc::Rc;

use crate::commands::{Command, Ctx};
use interp::{Cell, Flow, Interp};
use value::Value;

/// The `awk` command.
pub struct Awk;

const USAGE: &str = "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
Usage: awk [POSIX or GNU style options] [--] 'program' file ...
POSIX options:\t\tGNU long options: (standard)
\t-f progfile\t\t--file=progfile
\t-F fs\t\t\t--field-separator=fs
\t-v var=val\t\t--assign=var=val
Short options:\t\tGNU long options: (extensions)
\t-e 'program-text'\t--source='program-text'
\t-V\t\t\t--version

To report bugs, use the `gawkbug' program.
For full instructions, see the node `Bugs' in `gawk.info'
which is section `Reporting Problems and Bugs' in the
printed version.  This same information may be found at
https://www.gnu.org/software/gawk/manual/html_node/Bugs.html.
PLEASE do NOT try to report bugs by posting in comp.lang.awk,
or by using a web forum such as Stack Overflow.

Source code for gawk may be obtained from
https://www.gnu.org/software/gawk/manual/html_node/Getting-Extensions.html

gawk is a pattern scanning and processing language.
By default it reads standard input and writes standard output.

Examples:
\tawk '{ sum += $1 }; END { print sum }' file
\tawk -F: '{ print $1 }' /etc/passwd
";

const VERSION: &str = "GNU Awk 5.2.1, API 3.2
Copyright (C) 1989, 1991-2022 Free Software Foundation.

This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation; either version 3 of the License, or
(at your option) any later version.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the
GNU General Public License for more details.

You should have received a copy of the GNU General Public License
along with this program. If not, see http://www.gnu.org/licenses/.
";

/// Process awk string escapes in a command-line value (`-v`, `-F`, `var=value`).
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + u32::from(s[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    out
}

struct Opts {
    fs: Option<Vec<u8>>,
    assigns: Vec<(Vec<u8>, Vec<u8>)>,
    sources: Vec<(String, Vec<u8>)>,
    operands: Vec<String>,
}

enum OptErr {
    Usage(String),
    Exit(i32),
}

fn parse_opts(ctx: &Ctx<'_>) -> Result<Opts, OptErr> {
    let args = &ctx.args[1..];
    let mut o = Opts {
        fs: None,
        assigns: Vec::new(),
        sources: Vec::new(),
        operands: Vec::new(),
    };
    let mut i = 0;
    let mut have_prog_file = false;
    let take = |i: &mut usize, inline: &str, name: &str| -> Result<String, OptErr> {
        if !inline.is_empty() {
            return Ok(inline.to_string());
        }
        *i += 1;
        match args.get(*i) {
            Some(v) => Ok(v.clone()),
            None => Err(OptErr::Usage(format!(
                "option requires an argument -- '{name}'"
            ))),
        }
    };
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let known = [
                "field-separator",
                "assign",
                "file",
                "source",
                "version",
                "help",
                "usage",
                "posix",
                "traditional",
                "re-interval",
                "characters-as-bytes",
                "sandbox",
            ];
            let matches: Vec<&&str> = known.iter().filter(|k| k.starts_with(name)).collect();
            let full = match matches.as_slice() {
                [one] => **one,
                _ if known.contains(&name) => name,
                [] => {
                    return Err(OptErr::Usage(format!("unrecognized option '--{name}'")));
                }
                _ => return Err(OptErr::Usage(format!("option '--{name}' is ambiguous"))),
            };
            let needs = matches!(full, "field-separator" | "assign" | "file" | "source");
            let v = if needs {
                match val {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                return Err(OptErr::Usage(format!(
                                    "option '--{full}' requires an argument"
                                )));
                            }
                        }
                    }
                }
            } else {
                String::new()
            };
            match full {
                "field-separator" => o.fs = Some(fs_arg(&v)),
                "assign" => o.assigns.push(assign_arg(ctx, &v)?),
                "file" => {
                    have_prog_file = true;
                    o.sources.push(read_prog(ctx, &v)?);
                }
                "source" => {
                    have_prog_file = true;
                    o.sources.push(("cmd. line".into(), v.into_bytes()));
                }
                "version" => {
                    let _ = ctx.stdout.write_all(VERSION.as_bytes());
                    return Err(OptErr::Exit(0));
                }
                "help" | "usage" => {
                    let _ = ctx.stdout.write_all(USAGE.as_bytes());
                    return Err(OptErr::Exit(0));
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        let body = &a[1..];
        let c = body.chars().next().unwrap_or('-');
        let rest = &body[c.len_utf8()..];
        match c {
            'F' => {
                let v = take(&mut i, rest, "F")?;
                o.fs = Some(fs_arg(&v));
            }
            'v' => {
                let v = take(&mut i, rest, "v")?;
                o.assigns.push(assign_arg(ctx, &v)?);
            }
            'f' => {
                let v = take(&mut i, rest, "f")?;
                have_prog_file = true;
                o.sources.push(read_prog(ctx, &v)?);
            }
            'e' => {
                let v = take(&mut i, rest, "e")?;
                have_prog_file = true;
                o.sources.push(("cmd. line".into(), v.into_bytes()));
            }
            'V' => {
                let _ = ctx.stdout.write_all(VERSION.as_bytes());
                return Err(OptErr::Exit(0));
            }
            'h' => {
                let _ = ctx.stdout.write_all(USAGE.as_bytes());
                return Err(OptErr::Exit(0));
            }
            'P' | 'c' | 'r' | 'b' | 'S' | 'N' | 's' => {
                if !rest.is_empty() {
                    return Err(OptErr::Usage(format!(
                        "invalid option -- '{}'",
                        rest.chars().next().unwrap_or('?')
                    )));
                }
            }
            other => return Err(OptErr::Usage(format!("invalid option -- '{other}'"))),
        }
        i += 1;
    }
    if !have_prog_file {
        match args.get(i) {
            Some(p) => {
                o.sources.push(("cmd. line".into(), p.clone().into_bytes()));
                i += 1;
            }
            None => {
                let _ = ctx.stderr.write_all(USAGE.as_bytes());
                return Err(OptErr::Exit(2));
            }
        }
    }
    o.operands = args[i.min(args.len())..].to_vec();
    Ok(o)
}

/// `-F` values: escapes processed (gawk 5.2 takes `-Ft` as a literal `t`, like any other).
fn fs_arg(v: &str) -> Vec<u8> {
    unescape(v.as_bytes())
}

fn assign_arg(ctx: &Ctx<'_>, v: &str) -> Result<(Vec<u8>, Vec<u8>), OptErr> {
    match interp::assignment_split(v.as_bytes()) {
        Some(eq) => Ok((v.as_bytes()[..eq].to_vec(), v.as_bytes()[eq + 1..].to_vec())),
        None => {
            let _ = ctx.stderr.write_all(
                format!(
                    "{}: fatal: `{}' is not a legal variable name\n",
                    ctx.name(),
                    v.split('=').next().unwrap_or(v)
                )
                .as_bytes(),
            );
            Err(OptErr::Exit(2))
        }
    }
}

fn read_prog(ctx: &Ctx<'_>, path: &str) -> Result<(String, Vec<u8>), OptErr> {
    let fd = match ctx.open_input(path) {
        Ok(fd) => fd,
        Err(m) => {
            let reason = m.rsplit(": ").next().unwrap_or("").to_string();
            let _ = ctx.stderr.write_all(
                format!(
                    "{}: fatal: cannot open source file `{path}' for reading: {reason}\n",
                    ctx.name()
                )
                .as_bytes(),
            );
            return Err(OptErr::Exit(2));
        }
    };
    let mut v = Vec::new();
    if fd
        .read_to_end(&mut v, crate::commands::util::MAX_INPUT)
        .is_err()
    {
        let _ = ctx.stderr.write_all(
            format!("{}: fatal: can't read source file `{path}'\n", ctx.name()).as_bytes(),
        );
        return Err(OptErr::Exit(2));
    }
    Ok((path.to_string(), v))
}

/// gawk's two-line syntax error report: the source line, then a caret under the spot.
fn syntax_error(ctx: &Ctx<'_>, src_name: &str, src: &[u8], e: &parser::ParseError) {
    let name = ctx.name();
    for (line, msg) in &e.prior {
        let _ = ctx
            .stderr
            .write_all(format!("{name}: {src_name}:{line}: error: {msg}\n").as_bytes());
    }
    if e.pos == usize::MAX {
        let loc = if e.line == 0 {
            String::new()
        } else {
            format!("{src_name}:{}: ", e.line)
        };
        let msg = if e.msg.starts_with("error: ") || e.line != 0 {
            e.msg.clone()
        } else {
            format!("fatal: {}", e.msg)
        };
        let _ = ctx
            .stderr
            .write_all(format!("{name}: {loc}{msg}\n").as_bytes());
        return;
    }
    let lines: Vec<&[u8]> = src.split(|&c| c == b'\n').collect();
    let ln = e.line.max(1);
    let text = lines.get(ln - 1).copied().unwrap_or(b"");
    // The caret goes under the last character read.
    let line_start: usize = lines.iter().take(ln - 1).map(|l| l.len() + 1).sum();
    let col = e
        .pos
        .saturating_sub(line_start)
        .saturating_sub(1)
        .min(text.len());
    let mut out = Vec::new();
    out.extend_from_slice(format!("{name}: {src_name}:{ln}: ").as_bytes());
    out.extend_from_slice(text);
    out.push(b'\n');
    out.extend_from_slice(format!("{name}: {src_name}:{ln}: ").as_bytes());
    out.extend(std::iter::repeat_n(b' ', col));
    out.extend_from_slice(format!("^ {}\n", e.msg).as_bytes());
    let _ = ctx.stderr.write_all(&out);
}

impl Command for Awk {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let ctx: &Ctx<'_> = ctx;
        let opts = match parse_opts(ctx) {
            Ok(o) => o,
            Err(OptErr::Exit(n)) => return n,
            Err(OptErr::Usage(m)) => {
                let _ = ctx
                    .stderr
                    .write_all(format!("{}: {}\n{}", ctx.name(), m, USAGE).as_bytes());
                return 2;
            }
        };
        // Several -f/-e sources form one program.
        let mut src = Vec::new();
        for (i, (_, s)) in opts.sources.iter().enumerate() {
            if i > 0 {
                src.push(b'\n');
            }
            src.extend_from_slice(s);
        }
        let src_name = opts
            .sources
            .first()
            .map_or("cmd. line".to_string(), |s| s.0.clone());
        let (prog, warnings) = match parser::parse(&src) {
            Ok(p) => p,
            Err(e) => {
                syntax_error(ctx, &src_name, &src, &e);
                return 1;
            }
        };
        let mut seen = std::collections::HashSet::new();
        for (line, w) in warnings {
            if seen.insert((line, w.clone())) {
                let _ = ctx.stderr.write_all(
                    format!("{}: {src_name}:{line}: warning: {w}\n", ctx.name()).as_bytes(),
                );
            }
        }
        let mut it = Interp::new(ctx, &prog);
        it.src_name = src_name;
        // ARGV and ARGC.
        if let Cell::Arr(a) = &it.globals[parser::ARGV] {
            let mut a = a.borrow_mut();
            a.set(b"0", Value::str(ctx.name().as_bytes()));
            for (i, op) in opts.operands.iter().enumerate() {
                a.set((i + 1).to_string().as_bytes(), Value::strnum(op.as_bytes()));
            }
        }
        it.globals[parser::ARGC] = Cell::Val(Value::Num((opts.operands.len() + 1) as f64));
        let r = (|| -> interp::R<()> {
            if let Some(fs) = &opts.fs {
                it.globals[parser::FS] = Cell::Val(Value::str(fs));
                it.special_set(parser::FS)?;
            }
            for (n, v) in &opts.assigns {
                it.command_assign(n, v)?;
            }
            it.run()
        })();
        let status = match r {
            Ok(()) => it.exit_code,
            Err(Flow::Exit) => it.exit_code,
            Err(Flow::Fatal(m)) => {
                let _ = it.close_all();
                let _ = ctx.stderr.write_all(
                    format!(
                        "{}: {}:{}: {}fatal: {}\n",
                        ctx.name(),
                        it.src_name,
                        it.line,
                        it.location(),
                        m
                    )
                    .as_bytes(),
                );
                return 2;
            }
            Err(Flow::FatalBare(m)) => {
                let _ = it.close_all();
                let _ = ctx
                    .stderr
                    .write_all(format!("{}: fatal: {m}\n", ctx.name()).as_bytes());
                return 2;
            }
            Err(Flow::Stop(s)) => return Ctx::stop_status(s),
            Err(_) => it.exit_code,
        };
        match it.close_all() {
            Ok(()) => status,
            Err(Flow::Stop(s)) => Ctx::stop_status(s),
            Err(_) => 2,
        }
    }
}

/// Keep the array type nameable for tests.
#[allow(dead_code)]
type ArrayRef = Rc<RefCell<array::Array>>;

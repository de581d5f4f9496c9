//! `sed` (GNU sed 4.9): the stream editor. Options are parsed here (getopt_long rules,
//! `-i` with an optional attached suffix), the script is compiled by [`parse`] and run
//! by [`exec`] over the input read by [`input`].

mod exec;
mod input;
mod parse;
#[cfg(test)]
mod tests;

use crate::commands::{Command, Ctx};
use parse::{Compiler, Settings, Source};

/// `sed [OPTION]... {script} [input-file]...`
pub struct Sed;

const LONG: &[(&str, u8)] = &[
    ("binary", 0),
    ("regexp-extended", 0),
    ("debug", 0),
    ("in-place", 2),
    ("expression", 1),
    ("file", 1),
    ("line-length", 1),
    ("null-data", 0),
    ("zero-terminated", 0),
    ("quiet", 0),
    ("posix", 0),
    ("silent", 0),
    ("sandbox", 0),
    ("separate", 0),
    ("unbuffered", 0),
    ("version", 0),
    ("help", 0),
    ("follow-symlinks", 0),
];

enum Chunk {
    Expr(String),
    File(String),
}

/// Compile one `-e` or `-f` chunk; `Err` holds the exit status (message printed).
fn compile_chunk(
    ctx: &Ctx<'_>,
    comp: &mut Compiler,
    ch: &Chunk,
    expr_no: &mut usize,
) -> Result<(), i32> {
    let r = match ch {
        Chunk::Expr(s) => {
            *expr_no += 1;
            comp.compile(s.as_bytes(), Source::Expr(*expr_no))
        }
        Chunk::File(f) => {
            let data = if f == "-" {
                let mut v = Vec::new();
                let _ = ctx
                    .stdin
                    .read_to_end(&mut v, crate::commands::util::MAX_INPUT);
                Ok(v)
            } else {
                match ctx.open_input(f) {
                    Ok(fd) => {
                        let mut v = Vec::new();
                        match fd.read_to_end(&mut v, crate::commands::util::MAX_INPUT) {
                            Ok(()) => Ok(v),
                            Err(e) => Err(crate::io::errno_message(&e)),
                        }
                    }
                    Err(m) => Err(m
                        .strip_prefix(f.as_str())
                        .and_then(|r| r.strip_prefix(": "))
                        .unwrap_or(&m)
                        .to_string()),
                }
            };
            match data {
                Ok(v) => comp.compile(&v, Source::File(f.clone())),
                Err(m) => {
                    ctx.err(&format!("couldn't open file {f}: {m}"));
                    return Err(4);
                }
            }
        }
    };
    r.map_err(|e| report(ctx, &e))
}

fn usage_err(ctx: &Ctx<'_>, msg: Option<&str>) -> i32 {
    if let Some(m) = msg {
        ctx.err(m);
    }
    let _ = ctx.stderr.write_all(USAGE.as_bytes());
    1
}

/// GNU's `atoi`.
fn atoi(s: &str) -> usize {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if neg {
        return 0;
    }
    digits.parse::<usize>().unwrap_or(usize::MAX)
}

impl Command for Sed {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut have_chunks = false;
        let mut comp = Compiler::new(Settings::default());
        let mut expr_no = 0;
        let mut operands: Vec<String> = Vec::new();
        let mut settings = Settings::default();
        let mut opts = exec::RunOpts {
            line_len: 70,
            ..Default::default()
        };
        let mut posix = false;
        let mut i = 0;
        let mut only_operands = false;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if only_operands || a == "-" || !a.starts_with('-') {
                operands.push(a.clone());
                continue;
            }
            if a == "--" {
                only_operands = true;
                continue;
            }
            if let Some(body) = a.strip_prefix("--") {
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (body, None),
                };
                let exact = LONG.iter().find(|(l, _)| *l == name);
                let cands: Vec<&(&str, u8)> = match exact {
                    Some(e) => vec![e],
                    None => LONG.iter().filter(|(l, _)| l.starts_with(name)).collect(),
                };
                // `--null-data` and `--zero-terminated` are the same option.
                let same = cands.len() == 2
                    && cands
                        .iter()
                        .all(|(l, _)| *l == "null-data" || *l == "zero-terminated");
                let (full, kind) = match cands.len() {
                    0 => return usage_err(ctx, Some(&format!("unrecognized option '{a}'"))),
                    1 => *cands[0],
                    _ if same => *cands[0],
                    _ => {
                        let list: Vec<String> =
                            cands.iter().map(|(l, _)| format!("'--{l}'")).collect();
                        return usage_err(
                            ctx,
                            Some(&format!(
                                "option '{a}' is ambiguous; possibilities: {}",
                                list.join(" ")
                            )),
                        );
                    }
                };
                let value = match kind {
                    0 => {
                        if value.is_some() {
                            return usage_err(
                                ctx,
                                Some(&format!("option '--{full}' doesn't allow an argument")),
                            );
                        }
                        None
                    }
                    1 => match value {
                        Some(v) => Some(v),
                        None => match args.get(i) {
                            Some(v) => {
                                i += 1;
                                Some(v.clone())
                            }
                            None => {
                                return usage_err(
                                    ctx,
                                    Some(&format!("option '--{full}' requires an argument")),
                                );
                            }
                        },
                    },
                    _ => value,
                };
                match full {
                    "binary" => {}
                    "regexp-extended" => settings.extended = true,
                    "debug" => {
                        ctx.err("option '--debug' is not supported");
                        return 1;
                    }
                    "in-place" => {
                        opts.in_place = Some(value.unwrap_or_default());
                        opts.separate = true;
                    }
                    "expression" | "file" => {
                        let v = value.unwrap_or_default();
                        let ch = if full == "file" {
                            Chunk::File(v)
                        } else {
                            Chunk::Expr(v)
                        };
                        have_chunks = true;
                        comp.set_settings(settings);
                        if let Err(st) = compile_chunk(ctx, &mut comp, &ch, &mut expr_no) {
                            return st;
                        }
                    }
                    "line-length" => opts.line_len = atoi(&value.unwrap_or_default()),
                    "null-data" | "zero-terminated" => opts.null_data = true,
                    "quiet" | "silent" => opts.quiet = true,
                    "posix" => {
                        posix = true;
                        settings.posix = true;
                    }
                    "sandbox" => settings.sandbox = true,
                    "separate" => opts.separate = true,
                    "unbuffered" => opts.unbuffered = true,
                    "version" => return print(ctx, VERSION),
                    "help" => return print(ctx, &format!("{USAGE}{EMAIL}")),
                    _ => opts.follow_symlinks = true,
                }
                continue;
            }
            let b = a.as_bytes();
            let mut k = 1;
            while k < b.len() {
                let c = b[k];
                k += 1;
                match c {
                    b'e' | b'f' | b'l' => {
                        let v = if k < b.len() {
                            let v = a[k..].to_string();
                            k = b.len();
                            v
                        } else {
                            match args.get(i) {
                                Some(v) => {
                                    i += 1;
                                    v.clone()
                                }
                                None => {
                                    return usage_err(
                                        ctx,
                                        Some(&format!(
                                            "option requires an argument -- '{}'",
                                            c as char
                                        )),
                                    );
                                }
                            }
                        };
                        if c == b'l' {
                            opts.line_len = atoi(&v);
                        } else {
                            let ch = if c == b'e' {
                                Chunk::Expr(v)
                            } else {
                                Chunk::File(v)
                            };
                            have_chunks = true;
                            comp.set_settings(settings);
                            if let Err(st) = compile_chunk(ctx, &mut comp, &ch, &mut expr_no) {
                                return st;
                            }
                        }
                    }
                    b'i' => {
                        opts.in_place = Some(a[k..].to_string());
                        opts.separate = true;
                        k = b.len();
                    }
                    b'b' => {}
                    b's' => opts.separate = true,
                    b'n' => opts.quiet = true,
                    b'r' | b'E' => settings.extended = true,
                    b'z' => opts.null_data = true,
                    b'u' => opts.unbuffered = true,
                    _ => {
                        let ch = a[k - 1..].chars().next().unwrap_or('?');
                        return usage_err(ctx, Some(&format!("invalid option -- '{ch}'")));
                    }
                }
            }
        }
        opts.posix_n = posix || ctx.env.contains_key("POSIXLY_CORRECT");
        if !have_chunks {
            if operands.is_empty() {
                return usage_err(ctx, None);
            }
            let script = operands.remove(0);
            comp.set_settings(settings);
            if let Err(st) = compile_chunk(ctx, &mut comp, &Chunk::Expr(script), &mut expr_no) {
                return st;
            }
        }
        opts.location = comp.location();
        let script = match comp.finish() {
            Ok(s) => s,
            Err(e) => return report(ctx, &e),
        };
        if script.quiet {
            opts.quiet = true;
        }
        if opts.in_place.is_some() && operands.is_empty() {
            ctx.err("no input files");
            return 4;
        }
        exec::run(ctx, script, opts, operands)
    }
}

/// Print a compile error (`sed: MSG`) and return its status.
fn report(ctx: &Ctx<'_>, e: &parse::CompileError) -> i32 {
    let mut m = format!("{}: ", ctx.name()).into_bytes();
    m.extend_from_slice(&e.message);
    m.push(b'\n');
    let _ = ctx.stderr.write_all(&m);
    e.status
}

fn print(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

/// GNU's usage text (stderr for usage errors; `--help` adds the e-mail line).
const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
";

const EMAIL: &str = "E-mail bug reports to: <bug-sed@gnu.org>.\n";

const VERSION: &str = "sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
";

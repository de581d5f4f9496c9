//! `fold`: wrap lines to a width (GNU coreutils 9.1): `-w`, `-s` (break at blanks),
//! `-b` (count bytes), and the obsolete `-NUM`.

use super::{Out, Reader, open, quote, quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `fold [OPTION]... [FILE]...`
pub struct Fold;

fn adjust(col: usize, c: u8, bytes: bool) -> usize {
    if bytes {
        return col + 1;
    }
    match c {
        8 => col.saturating_sub(1),
        b'\r' => 0,
        b'\t' => col + 8 - col % 8,
        _ => col + 1,
    }
}

fn fold_line(line: &[u8], width: usize, spaces: bool, bytes: bool, out: &mut Vec<u8>) {
    let mut buf: Vec<u8> = Vec::new();
    let mut col = 0;
    for &c in line {
        if c == b'\n' {
            buf.push(c);
            out.extend_from_slice(&buf);
            buf.clear();
            col = 0;
            continue;
        }
        loop {
            col = adjust(col, c, bytes);
            if col > width {
                if spaces && let Some(p) = buf.iter().rposition(|&b| b == b' ' || b == b'\t') {
                    let end = p + 1;
                    out.extend_from_slice(&buf[..end]);
                    out.push(b'\n');
                    buf.drain(..end);
                    col = buf.iter().fold(0, |a, &b| adjust(a, b, bytes));
                    continue;
                }
                if buf.is_empty() {
                    break;
                }
                out.extend_from_slice(&buf);
                out.push(b'\n');
                buf.clear();
                col = 0;
                continue;
            }
            break;
        }
        buf.push(c);
    }
    out.extend_from_slice(&buf);
}

impl Command for Fold {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut args: Vec<String> = Vec::new();
        for a in &ctx.args[1..] {
            // Obsolete `-NUM` is `-w NUM`.
            if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
                args.push(format!("-w{}", &a[1..]));
            } else {
                args.push(a.clone());
            }
        }
        let parsed = match parse_args(
            &args,
            "w",
            "bs",
            &["bytes", "spaces", "width=", "help", "version"],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut width = 80usize;
        let mut spaces = false;
        let mut bytes = false;
        let mut files = Vec::new();
        for a in parsed {
            let wv = match a {
                Arg::Short('w', Some(v)) => v,
                Arg::Long(l, v) if l == "width" => v.unwrap_or_default(),
                Arg::Short('b', _) => {
                    bytes = true;
                    continue;
                }
                Arg::Short('s', _) => {
                    spaces = true;
                    continue;
                }
                Arg::Long(l, _) => {
                    match l.as_str() {
                        "bytes" => bytes = true,
                        "spaces" => spaces = true,
                        "help" => return super::print_text(ctx, HELP),
                        "version" => return version(ctx, "fold", "Written by David MacKenzie."),
                        _ => {}
                    }
                    continue;
                }
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(..) => continue,
            };
            match wv.trim_start().parse::<usize>() {
                Ok(0) => {
                    ctx.err(&format!(
                        "invalid number of columns: {}: Numerical result out of range",
                        quote(&wv)
                    ));
                    return 1;
                }
                Ok(n) => width = n,
                Err(_) => {
                    ctx.err(&format!("invalid number of columns: {}", quote(&wv)));
                    return 1;
                }
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        let mut o = Vec::new();
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(f, false)));
                    status = 1;
                    continue;
                }
            };
            let mut r = Reader::new(fd);
            loop {
                match r.record(b'\n') {
                    Ok(Some(l)) => {
                        o.clear();
                        fold_line(&l, width, spaces, bytes, &mut o);
                        if let Err(s) = out.put(&o) {
                            return stopped(s);
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{}: {}", quote_shell(f, false), super::io_err(&e)));
                        status = 1;
                        break;
                    }
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: fold [OPTION]... [FILE]...
Wrap input lines in each FILE, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --bytes         count bytes rather than columns
  -s, --spaces        break at spaces
  -w, --width=WIDTH   use WIDTH columns instead of 80
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/fold>
or available locally via: info '(coreutils) fold invocation'
"##;

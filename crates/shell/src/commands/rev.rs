//! `rev` (util-linux): reverse the bytes of every line.

use super::{Out, Reader, open, stopped};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `rev [options] [file ...]`
pub struct Rev;

impl Command for Rev {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(&ctx.args[1..], "", "hV0", &["help", "version", "zero"]) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut files = Vec::new();
        let mut delim = b'\n';
        for a in parsed {
            match a {
                Arg::Short('h', _) => return super::print_text(ctx, HELP),
                Arg::Short('V', _) => {
                    return super::print_text(ctx, "rev from util-linux 2.38.1\n");
                }
                Arg::Short('0', _) => delim = 0,
                Arg::Long(l, _) => match l.as_str() {
                    "help" => return super::print_text(ctx, HELP),
                    "version" => return super::print_text(ctx, "rev from util-linux 2.38.1\n"),
                    _ => delim = 0,
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("cannot open {f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let mut r = Reader::new(fd);
            loop {
                match r.record(delim) {
                    Ok(Some(mut l)) => {
                        let had = l.last() == Some(&delim);
                        if had {
                            l.pop();
                        }
                        l.reverse();
                        if had {
                            l.push(delim);
                        }
                        if let Err(s) = out.put(&l) {
                            return stopped(s);
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{f}: 0: {}", super::io_err(&e)));
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
const HELP: &str = r##"Usage: rev [options] [file ...]

Reverse lines characterwise.

Options:
 -h, --help     display this help
 -V, --version  display version

For more details see rev(1).
"##;

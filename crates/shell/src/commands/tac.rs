//! `tac`: print files with their lines (records) in reverse order; `-s SEP` and `-b`.

use super::{open, quote_shell, stopped, version};
use crate::commands::util::{Arg, MAX_INPUT, parse_args, read_all};
use crate::commands::{Command, Ctx};

/// `tac [OPTION]... [FILE]...`
pub struct Tac;

fn reverse(data: &[u8], sep: &[u8], before: bool) -> Vec<u8> {
    // Record boundaries: positions where each record starts.
    let mut recs: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= data.len() {
        if &data[i..i + sep.len()] == sep {
            if before {
                if i > start {
                    recs.push(&data[start..i]);
                }
                start = i;
            } else {
                recs.push(&data[start..i + sep.len()]);
                start = i + sep.len();
            }
            i += sep.len();
        } else {
            i += 1;
        }
    }
    if start < data.len() {
        recs.push(&data[start..]);
    }
    let mut out = Vec::with_capacity(data.len());
    for r in recs.iter().rev() {
        out.extend_from_slice(r);
    }
    out
}

impl Command for Tac {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "s",
            "br",
            &["before", "regex", "separator=", "help", "version"],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut sep = b"\n".to_vec();
        let mut before = false;
        let mut files = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('s', Some(v)) => sep = v.into_bytes(),
                Arg::Short('b', _) => before = true,
                Arg::Long(l, v) => match l.as_str() {
                    "separator" => sep = v.unwrap_or_default().into_bytes(),
                    "before" => before = true,
                    "help" => return super::print_text(ctx, HELP),
                    "version" => {
                        return version(ctx, "tac", "Written by Jay Lepreau and David MacKenzie.");
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if sep.is_empty() {
            ctx.err("separator cannot be empty");
            return 1;
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut status = 0;
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!(
                        "failed to open {} for reading: {m}",
                        quote_shell(f, true)
                    ));
                    status = 1;
                    continue;
                }
            };
            let data = match read_all(&fd, MAX_INPUT) {
                Ok(d) => d,
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    let m = if e.kind() == std::io::ErrorKind::IsADirectory {
                        "Invalid argument".to_string()
                    } else {
                        super::io_err(&e)
                    };
                    ctx.err(&format!("{}: read error: {m}", quote_shell(f, false)));
                    status = 1;
                    continue;
                }
            };
            if let Err(s) = ctx.out(&reverse(&data, &sep, before)) {
                return stopped(s);
            }
        }
        status
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: tac [OPTION]... [FILE]...
Write each FILE to standard output, last line first.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --before             attach the separator before instead of after
  -r, --regex              interpret the separator as a regular expression
  -s, --separator=STRING   use STRING as the separator instead of newline
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tac>
or available locally via: info '(coreutils) tac invocation'
"##;

//! `readlink`: print a symlink's target or a canonical path (`-f`, `-e`, `-m`, `-n`,
//! `-z`, `-q`, `-s`, `-v`).

use super::common::{Parsed, parse, quoteaf};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `readlink [OPTION]... FILE...`
pub struct Readlink;

impl Command for Readlink {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "",
            "femnqsvz",
            &[
                "canonicalize",
                "canonicalize-existing",
                "canonicalize-missing",
                "no-newline",
                "quiet",
                "silent",
                "verbose",
                "zero",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut mode, mut no_nl, mut verbose, mut zero) = (' ', false, false, false);
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short(c @ ('f' | 'e' | 'm'), _) => mode = c,
                Arg::Short('n', _) => no_nl = true,
                Arg::Short('v', _) => verbose = true,
                Arg::Short('q' | 's', _) => verbose = false,
                Arg::Short('z', _) => zero = true,
                Arg::Long(n, _) => match n.as_str() {
                    "canonicalize" => mode = 'f',
                    "canonicalize-existing" => mode = 'e',
                    "canonicalize-missing" => mode = 'm',
                    "no-newline" => no_nl = true,
                    "verbose" => verbose = true,
                    "quiet" | "silent" => verbose = false,
                    "zero" => zero = true,
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            return super::common::missing_operand(ctx, 1);
        }
        if no_nl && files.len() > 1 {
            ctx.err("ignoring --no-newline with multiple arguments");
            no_nl = false;
        }
        let mut status = 0;
        for f in &files {
            let r = match mode {
                ' ' => ctx
                    .vfs
                    .read_link(f)
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| e.errno()),
                m => super::realpath::canon(ctx, f, m),
            };
            match r {
                Ok(p) => {
                    let mut line = p.into_bytes();
                    if zero {
                        line.push(0);
                    } else if !no_nl {
                        line.push(b'\n');
                    }
                    if let Err(s) = ctx.out(&line) {
                        return Ctx::stop_status(s);
                    }
                }
                Err(e) => {
                    if verbose {
                        ctx.err(&format!("{}: {}", f, e.message()));
                        let _ = quoteaf;
                    }
                    status = 1;
                }
            }
        }
        status
    }
}

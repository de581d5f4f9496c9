//! `tee`: copy standard input to standard output and to files (`-a` appends).

use std::sync::Arc;

use super::{quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;

/// `tee [OPTION]... [FILE]...`
pub struct Tee;

impl Command for Tee {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "",
            "aip",
            &[
                "append",
                "ignore-interrupts",
                "output-error",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut append = false;
        let mut ignore_pipe = false;
        let mut files = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('a', _) => append = true,
                Arg::Short('p', _) => ignore_pipe = true,
                Arg::Long(l, _) => match l.as_str() {
                    "append" => append = true,
                    "output-error" => ignore_pipe = true,
                    "help" => return super::print_text(ctx, HELP),
                    "version" => {
                        return version(
                            ctx,
                            "tee",
                            "Written by Mike Parker, Richard M. Stallman, and David MacKenzie.",
                        );
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        let mut status = 0;
        let mut outs: Vec<(String, Fd)> = Vec::new();
        for f in &files {
            let fd = match ctx.dev_file(f) {
                Some(fd) => fd,
                None => {
                    let opts = if append {
                        vfs_core::OpenOptions::create_append()
                    } else {
                        vfs_core::OpenOptions::create_truncate()
                    };
                    match ctx.vfs.open(f, &opts.mode(0o666)) {
                        Ok(h) => Fd::File {
                            handle: Arc::new(parking_lot::Mutex::new(h)),
                            path: f.as_str().into(),
                        },
                        Err(e) => {
                            ctx.err(&format!(
                                "{}: {}",
                                quote_shell(f, false),
                                e.errno().message()
                            ));
                            status = 1;
                            continue;
                        }
                    }
                }
            };
            outs.push((f.clone(), fd));
        }
        let mut buf = vec![0u8; 64 * 1024];
        let mut stdout_ok = true;
        loop {
            let n = match ctx.stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    ctx.err(&format!("read error: {}", super::io_err(&e)));
                    return 1;
                }
            };
            if stdout_ok && let Err(stop) = ctx.out(&buf[..n]) {
                if ignore_pipe && matches!(stop, crate::commands::Stop::BrokenPipe) {
                    stdout_ok = false;
                } else {
                    return stopped(stop);
                }
            }
            let mut i = 0;
            while i < outs.len() {
                if let Err(e) = outs[i].1.write_all(&buf[..n]) {
                    ctx.err(&format!(
                        "{}: {}",
                        quote_shell(&outs[i].0, false),
                        super::io_err(&e)
                    ));
                    status = 1;
                    outs.remove(i);
                    continue;
                }
                i += 1;
            }
        }
        status
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.

  -a, --append              append to the given FILEs, do not overwrite
  -i, --ignore-interrupts   ignore interrupt signals
  -p                        diagnose errors writing to non pipes
      --output-error[=MODE]   set behavior on write error.  See MODE below
      --help        display this help and exit
      --version     output version information and exit

MODE determines behavior with write errors on the outputs:
  warn           diagnose errors writing to any output
  warn-nopipe    diagnose errors writing to any output not a pipe
  exit           exit on error writing to any output
  exit-nopipe    exit on error writing to any output not a pipe
The default MODE for the -p option is 'warn-nopipe'.
The default operation when --output-error is not specified, is to
exit immediately on error writing to a pipe, and diagnose errors
writing to non pipe outputs.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tee>
or available locally via: info '(coreutils) tee invocation'
"##;

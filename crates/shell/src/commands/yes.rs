//! `yes`: print a line (`y` or the operands joined by spaces) until the output closes or
//! the run is cancelled.

use super::{stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `yes [STRING]...`
pub struct Yes;

impl Command for Yes {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(&ctx.args[1..], "", "", &["help", "version"]) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut words = Vec::new();
        for a in parsed {
            match a {
                Arg::Long(l, _) if l == "help" => return super::print_text(ctx, HELP),
                Arg::Long(l, _) if l == "version" => {
                    return version(ctx, "yes", "Written by David MacKenzie.");
                }
                Arg::Operand(w) => words.push(w),
                _ => {}
            }
        }
        let mut line = if words.is_empty() {
            "y".to_string()
        } else {
            words.join(" ")
        }
        .into_bytes();
        line.push(b'\n');
        let mut block = Vec::with_capacity(8192 + line.len());
        while block.len() < 8192 {
            block.extend_from_slice(&line);
        }
        loop {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            if let Err(stop) = ctx.out(&block) {
                return stopped(stop);
            }
        }
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: yes [STRING]...
  or:  yes OPTION
Repeatedly output a line with all specified STRING(s), or 'y'.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/yes>
or available locally via: info '(coreutils) yes invocation'
"##;

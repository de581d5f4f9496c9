//! `printenv`: print all or some environment variables.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, stopped, version};

/// `printenv [OPTION]... [VARIABLE]...`
pub struct Printenv;

impl Command for Printenv {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(&ctx.args[1..], "", "0", &["null", "help", "version"]) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 2),
        };
        let mut nul = false;
        let mut names = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('0', _) => nul = true,
                Arg::Long(l, _) if l == "null" => nul = true,
                Arg::Long(l, _) if l == "help" => return print_text(ctx, HELP),
                Arg::Long(l, _) if l == "version" => {
                    return version(
                        ctx,
                        "printenv",
                        "Written by David MacKenzie and Richard Mlynarik.",
                    );
                }
                Arg::Operand(o) => names.push(o),
                _ => {}
            }
        }
        let end = if nul { 0 } else { b'\n' };
        let mut out = Vec::new();
        let mut status = 0;
        if names.is_empty() {
            for (k, v) in ctx.env {
                out.extend_from_slice(format!("{k}={v}").as_bytes());
                out.push(end);
            }
        } else {
            let mut found = 0;
            for n in &names {
                if n.contains('=') {
                    continue;
                }
                if let Some(v) = ctx.env.get(n) {
                    out.extend_from_slice(v.as_bytes());
                    out.push(end);
                    found += 1;
                }
            }
            if found != names.len() {
                status = 1;
            }
        }
        match ctx.out(&out) {
            Ok(()) => status,
            Err(stop) => stopped(stop),
        }
    }
}

const HELP: &str = r#"Usage: printenv [OPTION]... [VARIABLE]...
Print the values of the specified environment VARIABLE(s).
If no VARIABLE is specified, print name and value pairs for them all.

  -0, --null     end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

NOTE: your shell may have its own version of printenv, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/printenv>
or available locally via: info '(coreutils) printenv invocation'
"#;

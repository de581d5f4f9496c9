//! `printf` as a program (GNU coreutils 9.1): what `/usr/bin/printf`, `env printf`, `xargs
//! printf` and `find -exec printf` run. The shell's builtin `printf` is separate; both share
//! the formatting in [`crate::printf`].

use super::print_text;
use crate::commands::{Command, Ctx};

/// coreutils' `printf`.
pub struct Printf;

const HELP: &str = r#"Usage: NAME FORMAT [ARGUMENT]...
  or:  NAME OPTION
Print ARGUMENT(s) according to FORMAT, or execute according to OPTION:

      --help        display this help and exit
      --version     output version information and exit

FORMAT controls the output as in C printf.  Interpreted sequences are:

  \"      double quote
  \\      backslash
  \a      alert (BEL)
  \b      backspace
  \c      produce no further output
  \e      escape
  \f      form feed
  \n      new line
  \r      carriage return
  \t      horizontal tab
  \v      vertical tab
  \NNN    byte with octal value NNN (1 to 3 digits)
  \xHH    byte with hexadecimal value HH (1 to 2 digits)
  \uHHHH  Unicode (ISO/IEC 10646) character with hex value HHHH (4 digits)
  \UHHHHHHHH  Unicode character with hex value HHHHHHHH (8 digits)
  %%      a single %
  %b      ARGUMENT as a string with '\' escapes interpreted,
          except that octal escapes are of the form \0 or \0NNN
  %q      ARGUMENT is printed in a format that can be reused as shell input,
          escaping non-printable characters with the proposed POSIX $'' syntax.

and all C format specifications ending with one of diouxXfeEgGcs, with
ARGUMENTs converted to proper type first.  Variable widths are handled.

NOTE: your shell may have its own version of printf, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/printf>
or available locally via: info '(coreutils) printf invocation'
"#;

/// Whether the locale's character set (from `LC_ALL`, `LC_CTYPE`, `LANG`) is UTF-8.
fn utf8_locale(ctx: &Ctx<'_>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| ctx.env.get(*k))
        .find(|v| !v.is_empty());
    locale.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

impl Command for Printf {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let name = ctx.name().to_string();
        let mut args = ctx.args.get(1..).unwrap_or_default();
        // Options are parsed by hand, without abbreviations, and only when alone.
        if args.len() == 1 {
            match args[0].as_str() {
                "--help" => return print_text(ctx, &HELP.replace("NAME", &name)),
                "--version" => {
                    return super::version(ctx, "printf", "Written by David MacKenzie.");
                }
                _ => {}
            }
        }
        if args.first().is_some_and(|a| a == "--") {
            args = &args[1..];
        }
        let Some(fmt) = args.first() else {
            ctx.err("missing operand");
            let _ = ctx
                .stderr
                .write_all(format!("Try '{name} --help' for more information.\n").as_bytes());
            return 1;
        };
        let rest: Vec<Vec<u8>> = args[1..].iter().map(|a| a.as_bytes().to_vec()).collect();
        let f = crate::printf::format_coreutils(fmt.as_bytes(), &rest, utf8_locale(ctx));
        // Each message follows the output before it: coreutils' `error` flushes stdout.
        let mut done = 0;
        for (e, &at) in f.errors.iter().zip(&f.error_at) {
            let at = at.clamp(done, f.output.len());
            if let Err(stop) = ctx.out(&f.output[done..at]) {
                return Ctx::stop_status(stop);
            }
            done = at;
            ctx.err(e);
        }
        match ctx.out(&f.output[done..]) {
            Ok(()) => f.status,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

//! `node -e CODE` and `node FILE`: the shell command that runs JavaScript in the code-mode
//! engine ([`crate::run_js`]) on the shell's filesystem. `console.log`, `info` and
//! `debug` lines go to standard output and `warn` and `error` to standard error, as with
//! node; `-p CODE` also prints the result (as JSON). A thrown error prints its stack on
//! standard error and exits 1; a limit exits 124. No tools are declared. Anything else
//! node offers (npm modules, `require`, `process`) is not there, and `console.log` shows
//! objects and arrays as JSON, not with node's `util.inspect` layout (and `-0` as `0`).

use shell::commands::{Command, Ctx};

use crate::sandbox::{LogLevel, Sandbox};

/// The `node` command.
#[derive(Debug, Default)]
pub struct NodeCommand;

const USAGE: &str = "Usage: node (-e CODE | -p CODE | FILE)";

impl Command for NodeCommand {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let (code, print) = match args.first().map(String::as_str) {
            Some("-e" | "--eval") | Some("-p" | "--print") => match args.get(1) {
                Some(c) => (c.clone(), matches!(args[0].as_str(), "-p" | "--print")),
                None => {
                    ctx.err(&format!("{}: requires an argument", args[0]));
                    return 9;
                }
            },
            Some("--help" | "-h") => {
                let _ = ctx.out(
                    format!("{USAGE}\nRun JavaScript (QuickJS) on the sandbox filesystem.\n")
                        .as_bytes(),
                );
                return 0;
            }
            Some(a) if a.starts_with('-') => {
                ctx.err(&format!("bad option: {a}"));
                return 9;
            }
            Some(file) => match ctx.vfs.read_to_string(file) {
                Ok(text) => (text, false),
                Err(e) => {
                    ctx.err(&format!("cannot open {file}: {}", e.errno()));
                    return 1;
                }
            },
            None => {
                ctx.err(
                    "reading a program from standard input is not supported; use -e CODE or FILE",
                );
                return 9;
            }
        };
        let sandbox = Sandbox::builder()
            .vfs(ctx.vfs.clone())
            .cancel(ctx.cancel.clone())
            .build();
        let out = crate::codemode::run_js(&sandbox, &code);
        for line in &out.logs {
            let text = format!("{}\n", line.message);
            match line.level {
                LogLevel::Warn | LogLevel::Error => {
                    let _ = ctx.stderr.write_all(text.as_bytes());
                }
                _ => {
                    if let Err(stop) = ctx.out(text.as_bytes()) {
                        return Ctx::stop_status(stop);
                    }
                }
            }
        }
        match out.result {
            Ok(value) => {
                // node -p prints strings bare and other values as JSON-like text.
                let shown = match serde_json::from_str::<serde_json::Value>(&value) {
                    Ok(serde_json::Value::String(s)) => s,
                    _ => value,
                };
                if print && ctx.out(format!("{shown}\n").as_bytes()).is_err() {
                    return 141;
                }
                0
            }
            Err(p) => {
                let _ = ctx.stderr.write_all(format!("{}\n", p.detail).as_bytes());
                i32::from(p.exit_status())
            }
        }
    }
}

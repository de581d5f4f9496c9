//! `wasm [--input TEXT] FILE [ARG]...`: the shell command that runs a component stored in
//! the sandbox filesystem, through the runner, on that same filesystem.
//!
//! A WASI command gets the ARGs, the shell's exported variables and standard input, and
//! its exit status becomes the command's. An agent gets `--input TEXT` (or, without it,
//! all of standard input) as the argument of `run`; its result is printed on stdout
//! followed by a newline. A failure prints `wasm: FILE: TITLE: DETAIL` and exits with
//! [`crate::ProblemKind::exit_status`] (1 for the agent's own error, 124 for a limit, 126 when
//! the file is not a runnable component, 134 for a trap).

use std::sync::{Arc, OnceLock};

use shell::commands::{Command, Ctx, Registry};

use crate::engine::{ProgramKind, Runner};
use crate::sandbox::Sandbox;

/// Most bytes of standard input passed to a guest.
const MAX_STDIN: usize = 64 << 20;

/// The `wasm` command.
#[derive(Debug, Default)]
pub struct WasmCommand;

const USAGE: &str = "Usage: wasm [--input TEXT] FILE [ARG]...";

impl Command for WasmCommand {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut input: Option<String> = None;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "--help" => {
                    let _ = ctx.out(format!("{USAGE}\nRun a WebAssembly component (an agent or a WASI command) from the sandbox filesystem.\n").as_bytes());
                    return 0;
                }
                "--input" | "-i" => {
                    let Some(v) = args.get(i + 1) else {
                        ctx.err(&format!("option requires an argument -- '{}'", args[i]));
                        ctx.err(USAGE);
                        return 2;
                    };
                    input = Some(v.clone());
                    i += 2;
                }
                "--" => {
                    i += 1;
                    break;
                }
                a if a.starts_with("--input=") => {
                    input = Some(a["--input=".len()..].to_string());
                    i += 1;
                }
                a if a.starts_with('-') && a.len() > 1 => {
                    ctx.err(&format!("unrecognized option '{a}'"));
                    let _ = ctx.stderr.write_all(format!("{USAGE}\n").as_bytes());
                    return 2;
                }
                _ => break,
            }
        }
        let Some(file) = args.get(i) else {
            ctx.err("missing file operand");
            let _ = ctx.stderr.write_all(format!("{USAGE}\n").as_bytes());
            return 2;
        };
        let guest_args = &args[i + 1..];
        let bytes = match ctx.vfs.read(file) {
            Ok(b) => b,
            Err(e) => {
                ctx.err(&format!("{file}: {}", e.errno()));
                return 1;
            }
        };
        let runner = match Runner::shared() {
            Ok(r) => r,
            Err(p) => {
                ctx.err(&format!("{p}"));
                return 125;
            }
        };
        let program = match runner.load(&bytes) {
            Ok(p) => p,
            Err(p) => {
                ctx.err(&format!("{file}: {p}"));
                return i32::from(p.exit_status());
            }
        };
        let need_stdin = program.kind() == ProgramKind::Command || input.is_none();
        let mut stdin = Vec::new();
        if need_stdin && ctx.stdin.read_to_end(&mut stdin, MAX_STDIN).is_err() {
            stdin.clear();
        }
        let mut b = Sandbox::builder()
            .vfs(ctx.vfs.clone())
            .cancel(ctx.cancel.clone())
            .args(guest_args.iter().cloned());
        for (k, v) in ctx.env {
            b = b.env(k, v);
        }
        let input = match program.kind() {
            ProgramKind::Command => {
                b = b.stdin(stdin);
                String::new()
            }
            ProgramKind::Agent => {
                input.unwrap_or_else(|| String::from_utf8_lossy(&stdin).into_owned())
            }
        };
        let out = b.build().run(&program, &input);
        if ctx.out(&out.stdout).is_err() {
            return 141;
        }
        let _ = ctx.stderr.write_all(&out.stderr);
        match out.result {
            Ok(result) => {
                if program.kind() == ProgramKind::Agent {
                    let mut line = result.into_bytes();
                    line.push(b'\n');
                    if let Err(stop) = ctx.out(&line) {
                        return Ctx::stop_status(stop);
                    }
                    0
                } else {
                    out.exit_code.unwrap_or(0)
                }
            }
            Err(p) => {
                ctx.err(&format!("{file}: {p}"));
                i32::from(p.exit_status())
            }
        }
    }
}

/// The shell's standard commands plus `wasm`, `node` and `python3` (also `python`),
/// shared by every shell that uses it.
pub fn shell_registry() -> Arc<Registry> {
    static REG: OnceLock<Arc<Registry>> = OnceLock::new();
    Arc::clone(REG.get_or_init(|| {
        Arc::new(Registry::standard_with(vec![
            ("wasm", Box::new(WasmCommand) as Box<dyn Command>),
            ("node", Box::new(crate::node_command::NodeCommand)),
            ("python3", Box::new(crate::python_command::PythonCommand)),
            ("python", Box::new(crate::python_command::PythonCommand)),
        ]))
    }))
}

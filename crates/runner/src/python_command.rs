//! `python3` (and `python`): the shell command that runs a Python program in the Python
//! engine ([`crate::python_engine`]) on the shell's filesystem, working directory and
//! exported variables, with `python3`'s command line: `-c CODE [ARG]...`, `FILE
//! [ARG]...`, `-` or nothing for a program on standard input, `-V`/`--version`,
//! `-h`/`--help`; `sys.argv` is set as CPython sets it.
//!
//! `print` goes to standard output; the program's standard input is the command's (read
//! whole before the program starts, as for `wasm`). An uncaught exception prints its
//! traceback on standard error and exits 1; `SystemExit` exits with its status. A limit
//! (time, memory, output) exits 124 after a `python3: ...` line. The globals `fs`, `sh`,
//! `tools` (none are declared) and `log` (its lines go to standard error) are there as in
//! code mode. What CPython can do and the sandbox cannot: `-m MODULE`, an interactive
//! prompt, third-party packages, processes, the network; modules can be imported from
//! the sandbox filesystem (the script's directory, or the working directory).

use std::time::Instant;

use serde_json::{Value, json};
use shell::commands::{Command, Ctx};

use crate::python::{PYTHON_VERSION, python_engine};
use crate::sandbox::{DEFAULT_TIMEOUT, Sandbox};

/// Most bytes of standard input read for a program.
const MAX_STDIN: usize = 64 << 20;

/// The `python3` command.
#[derive(Debug, Default)]
pub struct PythonCommand;

const USAGE: &str = "usage: python3 [option] ... [-c cmd | file | -] [arg] ...";

const HELP: &str = "\
Options (and corresponding environment variables):
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-V     : print the Python version number and exit (also --version)
-B -E -I -O -q -s -S -u : accepted and ignored
-W arg -X opt : accepted and ignored
file   : program read from script file
-      : program read from stdin (default; interactive mode is not available)
arg ...: arguments passed to program in sys.argv[1:]

Runs CPython in the agentsh sandbox, on its filesystem: the standard library's common
modules, no third-party packages, no processes or network; fs, sh and log are globals.
";

/// Where the program comes from.
enum Source {
    Inline(String),
    File(String),
    Stdin,
}

impl Command for PythonCommand {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut i = 0;
        let mut source = None;
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "-c" => {
                    let Some(code) = args.get(i + 1) else {
                        let _ = ctx.stderr.write_all(
                            format!("Argument expected for the -c option\n{USAGE}\nTry `python -h' for more information.\n").as_bytes(),
                        );
                        return 2;
                    };
                    source = Some(Source::Inline(code.clone()));
                    i += 2;
                    break;
                }
                "-V" | "--version" => {
                    return match ctx.out(format!("Python {PYTHON_VERSION}\n").as_bytes()) {
                        Ok(()) => 0,
                        Err(stop) => Ctx::stop_status(stop),
                    };
                }
                "-h" | "-?" | "--help" => {
                    return match ctx.out(format!("{USAGE}\n{HELP}").as_bytes()) {
                        Ok(()) => 0,
                        Err(stop) => Ctx::stop_status(stop),
                    };
                }
                "-B" | "-E" | "-I" | "-O" | "-OO" | "-q" | "-s" | "-S" | "-u" => i += 1,
                "-W" | "-X" => i += 2,
                "-m" => {
                    ctx.err("-m MODULE is not supported in this sandbox; run a file or -c CODE");
                    return 2;
                }
                "-" => {
                    source = Some(Source::Stdin);
                    break;
                }
                "--" => {
                    i += 1;
                    if let Some(f) = args.get(i) {
                        source = Some(Source::File(f.clone()));
                    }
                    break;
                }
                _ if a.starts_with('-') && a.len() > 1 => {
                    let _ = ctx.stderr.write_all(
                        format!(
                            "Unknown option: {a}\n{USAGE}\nTry `python -h' for more information.\n"
                        )
                        .as_bytes(),
                    );
                    return 2;
                }
                _ => {
                    source = Some(Source::File(a.to_string()));
                    break;
                }
            }
        }
        let source = source.unwrap_or(Source::Stdin);
        let cwd = ctx
            .vfs
            .cwd()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".to_string());
        let mut stdin = Vec::new();
        let _ = ctx.stdin.read_to_end(&mut stdin, MAX_STDIN);
        // sys.argv as CPython sets it: `-c`, the script's path, `-`, or "" for stdin.
        let (code, filename, is_file, argv0, program_stdin) = match source {
            Source::Inline(code) => (code, "<string>".to_string(), false, "-c".to_string(), stdin),
            Source::Stdin => {
                let argv0 = if args.get(i).map(String::as_str) == Some("-") {
                    i += 1;
                    "-"
                } else {
                    ""
                };
                let code = String::from_utf8_lossy(&stdin).into_owned();
                (
                    code,
                    "<stdin>".to_string(),
                    false,
                    argv0.to_string(),
                    Vec::new(),
                )
            }
            Source::File(path) => {
                i += 1;
                let abs = if path.starts_with('/') {
                    path.clone()
                } else {
                    format!("{}/{path}", cwd.trim_end_matches('/'))
                };
                match ctx.vfs.read(&path) {
                    // As CPython (3.9+): `__file__` and tracebacks have the absolute path,
                    // `sys.argv[0]` the path as given.
                    Ok(b) => (
                        String::from_utf8_lossy(&b).into_owned(),
                        abs,
                        true,
                        path,
                        stdin,
                    ),
                    Err(e) if e.errno() == vfs_core::Errno::IsDirectory => {
                        ctx.err(&format!("can't find '__main__' module in '{abs}'"));
                        return 1;
                    }
                    Err(e) => {
                        let errno = e.errno();
                        ctx.err(&format!(
                            "can't open file '{abs}': [Errno {}] {errno}",
                            errno.code()
                        ));
                        return 2;
                    }
                }
            }
        };
        let mut argv = vec![argv0];
        argv.extend(args[i.min(args.len())..].iter().cloned());
        let request = json!({
            "argv": argv,
            "code": code,
            "filename": filename,
            "is_file": is_file,
            "cwd": cwd,
            "env": ctx.env,
        });
        let engine = match python_engine() {
            Ok(e) => e,
            Err(p) => {
                ctx.err(&p.to_string());
                return i32::from(p.exit_status());
            }
        };
        let timeout = ctx
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
            .unwrap_or(DEFAULT_TIMEOUT);
        let sandbox = Sandbox::builder()
            .vfs(ctx.vfs.clone())
            .cancel(ctx.cancel.clone())
            .timeout(timeout)
            .stdin(program_stdin)
            .build();
        let out = sandbox.run(&engine, &format!("\0{request}"));
        if let Err(stop) = ctx.out(&out.stdout) {
            return Ctx::stop_status(stop);
        }
        let _ = ctx.stderr.write_all(&out.stderr);
        for line in &out.logs {
            let _ = ctx
                .stderr
                .write_all(format!("{}\n", line.message).as_bytes());
        }
        match out.result {
            Ok(text) => serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("exit").and_then(Value::as_i64))
                .map_or(1, |n| n as i32),
            Err(p) => {
                ctx.err(&p.to_string());
                i32::from(p.exit_status())
            }
        }
    }
}

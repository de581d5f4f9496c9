//! `agentsh`: the command-line front end. It parses arguments, calls the libraries and maps
//! the result to output and an exit status; it holds no logic of its own.
//!
//! Every run starts on a fresh in-memory filesystem with `/tmp` (mode 1777), a home
//! directory `/root` that is also the working directory, and `/usr/bin` and `/bin`.
//!
//! - [`cli`]: options and the usage text.
//! - [`limits`]: limit options and their defaults.
//! - [`mounts`]: `--mount` and `--export`, the only host access.
//! - [`json`]: `--json` documents and problem details.
//! - [`interactive`]: the line editor session.
//! - [`run`]: `agentsh run FILE.wasm`, through the runner.

mod cli;
mod interactive;
mod json;
mod limits;
mod mounts;
mod run;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::Instant;

use cli::{Command, Script, ShellArgs};
use json::Problem;
use mounts::Moved;
use runner::shell::shell::syntax_error;
use runner::shell::vfs_core::Vfs;
use runner::shell::{ExecOptions, Limit, Shell};
use serde_json::json;

/// Exit status when a mount or export failed (without `--json`).
const HOST_FAILURE: u8 = 125;

fn fresh_vfs(limits: runner::shell::vfs_core::Limits) -> Vfs {
    let mut fs = Vfs::builder().limits(limits).build();
    for (dir, mode) in [
        ("/tmp", 0o1777),
        ("/root", 0o700),
        ("/usr/bin", 0o755),
        ("/bin", 0o755),
        ("/home", 0o755),
    ] {
        let _ = fs.create_dir_all(dir, 0o755);
        let _ = fs.chmod(dir, mode);
    }
    let _ = fs.set_cwd("/root");
    fs
}

/// True if `--json` appears among the options (for reporting usage errors as JSON).
fn wants_json(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| a.starts_with('-') && *a != "-c" && *a != "--")
        .any(|a| a == "--json")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            if wants_json(&args) {
                return problem(Problem::Usage, &e.0, json!({}));
            }
            eprintln!("agentsh: {e}");
            eprintln!("Try 'agentsh --help' for more information.");
            return ExitCode::from(2);
        }
    };
    match cmd {
        Command::Help => {
            print!("{}", cli::usage());
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("agentsh {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Run(ra) => run::main(&ra),
        Command::Codemode(ra) => run::print_codemode(&ra),
        Command::Shell(sa) => shell_main(&sa),
    }
}

/// Print a problem document; its exit code.
fn problem(p: Problem, detail: &str, extra: serde_json::Value) -> ExitCode {
    json::print(&p.document(detail, extra));
    ExitCode::from(p.exit_code())
}

/// Report a failure the way the mode asks: a problem document, or a message on stderr.
fn fail(sa: &ShellArgs, p: Problem, detail: &str, plain_status: u8) -> ExitCode {
    if sa.json {
        return problem(p, detail, json!({}));
    }
    eprintln!("agentsh: {detail}");
    ExitCode::from(plain_status)
}

/// The script text, `$0`, the positional parameters and whether it came from `-c`;
/// `None` for an interactive session.
type Loaded = Option<(String, String, Vec<String>, bool)>;

fn load_script(sa: &ShellArgs) -> Result<Loaded, (String, u8)> {
    Ok(Some(match &sa.script {
        Script::Inline { text, name, args } => (text.clone(), name.clone(), args.clone(), true),
        Script::File { path, args } => match std::fs::read(path) {
            Ok(b) => (
                String::from_utf8_lossy(&b).into_owned(),
                path.clone(),
                args.clone(),
                false,
            ),
            Err(e) => {
                let msg = match e.kind() {
                    std::io::ErrorKind::NotFound => "No such file or directory".to_string(),
                    std::io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
                    _ => e.to_string(),
                };
                let status = if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                return Err((format!("{path}: {msg}"), status));
            }
        },
        Script::Stdin => {
            if std::io::stdin().is_terminal() && !sa.json {
                return Ok(None);
            }
            let mut s = String::new();
            if std::io::stdin().read_to_string(&mut s).is_err() {
                return Err(("cannot read the script from standard input".into(), 2));
            }
            (s, "agentsh".into(), Vec::new(), false)
        }
    }))
}

fn shell_main(sa: &ShellArgs) -> ExitCode {
    let loaded = match load_script(sa) {
        Ok(l) => l,
        Err((msg, status)) => return fail(sa, Problem::Usage, &msg, status),
    };
    let started = Instant::now();
    let fs = fresh_vfs(sa.limits.vfs);
    let mut warn = |w: String| {
        if !sa.json {
            eprintln!("agentsh: {w}");
        }
    };
    let imported = match mounts::apply_mounts(&fs, &sa.mounts, &mut warn) {
        Ok(m) => m,
        Err(e) => return fail(sa, Problem::Mount, &e, HOST_FAILURE),
    };
    let mut sh = Shell::with_registry(fs, sa.limits.shell, runner::shell_registry());
    let workdir = sa.workdir.as_deref().unwrap_or("/root");
    if let Some(v) = sh.vfs()
        && let Err(e) = v.create_dir_all(workdir, 0o755)
    {
        return fail(sa, Problem::Mount, &format!("--workdir {e}"), HOST_FAILURE);
    }
    if let Err(e) = sh.set_cwd(workdir) {
        return fail(sa, Problem::Mount, &format!("--workdir {e}"), HOST_FAILURE);
    }
    for (k, v) in &sa.env {
        sh.set_var(k, v, true);
    }
    let Some((text, name, args, dash_c)) = loaded else {
        let status = interactive::run(&mut sh, sa.history.as_deref());
        return finish_plain(sa, &sh, status);
    };
    sh.set_name(&name);
    sh.set_args(args);
    sh.set_dash_c(dash_c);
    if sa.json {
        return run_json(sa, &mut sh, &text, &name, dash_c, started, imported);
    }
    let status = interactive::exec_streaming(&mut sh, &text);
    finish_plain(sa, &sh, status)
}

/// Exports, then the exit status (without `--json`).
fn finish_plain(sa: &ShellArgs, sh: &Shell, status: i32) -> ExitCode {
    if let Some(fs) = sh.vfs() {
        let mut warn = |w: String| eprintln!("agentsh: {w}");
        if let Err(errors) = mounts::apply_exports(fs, &sa.exports, &mut warn) {
            for e in errors {
                eprintln!("agentsh: {e}");
            }
            return ExitCode::from(HOST_FAILURE);
        }
    }
    ExitCode::from((status & 255) as u8)
}

fn run_json(
    sa: &ShellArgs,
    sh: &mut Shell,
    text: &str,
    name: &str,
    dash_c: bool,
    started: Instant,
    imported: Moved,
) -> ExitCode {
    let shown = if dash_c {
        format!("{name}: -c")
    } else {
        name.to_string()
    };
    if let Some(msg) = syntax_error(text, &shown) {
        return problem(Problem::Syntax, msg.trim_end(), json!({ "exit_status": 2 }));
    }
    let r = sh.exec_with(text, ExecOptions::default());
    let elapsed = started.elapsed();
    let output = json!({
        "stdout": String::from_utf8_lossy(&r.stdout),
        "stderr": String::from_utf8_lossy(&r.stderr),
        "exit_status": r.status,
    });
    if let Some(l) = r.limit
        && l != Limit::Cancelled
    {
        let mut extra = output;
        extra["limit"] = json!(l.name());
        return problem(Problem::Limit, &format!("{} exceeded", l.name()), extra);
    }
    let mut warnings = Vec::new();
    let mut warn = |w: String| warnings.push(w);
    let exported = match sh.vfs() {
        Some(fs) => match mounts::apply_exports(fs, &sa.exports, &mut warn) {
            Ok(m) => m,
            Err(errors) => {
                let mut extra = output;
                extra["errors"] = json!(errors);
                return problem(Problem::Export, &errors.join("; "), extra);
            }
        },
        None => Moved::default(),
    };
    let usage = sh.vfs().map(|v| v.usage()).unwrap_or_default();
    let doc = json!({
        "stdout": String::from_utf8_lossy(&r.stdout),
        "stderr": String::from_utf8_lossy(&r.stderr),
        "status": r.status,
        "stats": {
            "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
            "stdout_bytes": r.stdout.len(),
            "stderr_bytes": r.stderr.len(),
            "fs_bytes": usage.bytes,
            "fs_inodes": usage.inodes,
            "imported_files": imported.files,
            "imported_bytes": imported.bytes,
            "exported_files": exported.files,
            "exported_bytes": exported.bytes,
        },
        "warnings": warnings,
    });
    json::print(&doc);
    ExitCode::SUCCESS
}

//! `agentsh run FILE.wasm`: a component through the runner, on a fresh in-memory
//! filesystem with the session's mounts, exports, environment and limits.
//!
//! Without `--json`, the guest's stdout and stderr are copied out, an agent's result is
//! printed on stdout followed by a newline, log lines go to stderr as
//! `[LEVEL] message fields`, and a problem is reported as `agentsh: run FILE: TITLE:
//! DETAIL` with [`runner::ProblemKind::exit_status`]. With `--json`, one document:
//! `{result, exit_code, stdout, stderr, logs, stats}`, or the run's RFC 9457 problem
//! detail (with `stdout`, `stderr` and `logs` members) and the problem's exit status.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use runner::shell::Shell;
use runner::{Problem, ProblemKind, ProgramKind, Runner, Sandbox, Tool};
use serde_json::{Value, json};

use crate::cli::{Lang, RunArgs};
use crate::mounts;

use crate::HOST_FAILURE;

/// A `--tool NAME=SCRIPT`: the script runs in a shell on the sandbox filesystem with the
/// JSON arguments on stdin and in `$1`.
fn shell_tool(
    name: &str,
    script: &str,
    fs: &runner::vfs_core::Vfs,
    timeout: std::time::Duration,
) -> Tool {
    let script = script.to_string();
    let fs = fs.clone();
    let tool_name = name.to_string();
    Tool::new(
        name,
        format!("runs the shell script: {script}"),
        json!({"type": "object"}),
        move |args: Value| {
            let limits = runner::shell::ShellLimits {
                timeout,
                ..Default::default()
            };
            let mut sh = Shell::with_registry(fs.clone(), limits, runner::shell_registry());
            sh.set_name(&tool_name);
            let text = args.to_string();
            sh.set_args(vec![text.clone()]);
            let r = sh.exec_with(
                &script,
                runner::shell::ExecOptions {
                    stdin: text.into_bytes(),
                    ..Default::default()
                },
            );
            if r.status != 0 {
                let err = r.stderr_str();
                let err = err.trim_end();
                return Err(if err.is_empty() {
                    format!("exit status {}", r.status)
                } else {
                    format!("exit status {}: {err}", r.status)
                });
            }
            let out = r.stdout_str();
            Ok(serde_json::from_str(&out)
                .unwrap_or_else(|_| Value::String(out.trim_end_matches('\n').to_string())))
        },
    )
}

fn problem_doc(p: &Problem, extra: Value) -> Value {
    let mut doc = serde_json::to_value(p).unwrap_or_else(|_| json!({}));
    if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
        d.extend(e);
    }
    doc
}

fn report(json_mode: bool, file: &str, p: &Problem, extra: Value) -> ExitCode {
    if json_mode {
        crate::json::print(&problem_doc(p, extra));
    } else {
        eprintln!("agentsh: run {file}: {p}");
        if let Some(bt) = &p.backtrace {
            for f in bt {
                eprintln!("    at {f}");
            }
        }
    }
    ExitCode::from(p.exit_status())
}

/// Run the component; the process's exit status.
pub fn main(ra: &RunArgs) -> ExitCode {
    // Ctrl-C stops the guest (a `cancelled` problem, status 130) instead of the process.
    let cancel = runner::shell::io::Cancel::new();
    {
        let c = cancel.clone();
        let _ = ctrlc::set_handler(move || c.cancel());
    }
    let sa = &ra.shell;
    let file = ra.file.as_str();
    let host_failure = |kind: &str, detail: String| {
        if sa.json {
            let p = crate::json::Problem::Mount;
            crate::json::print(&p.document(&detail, json!({})));
            ExitCode::from(p.exit_code())
        } else {
            eprintln!("agentsh: {kind}{detail}");
            ExitCode::from(HOST_FAILURE)
        }
    };
    // Code mode: the program is JavaScript, TypeScript or Python for an engine, not a
    // component.
    let code_mode = ra.lang.is_some();
    let bytes = if code_mode {
        Vec::new()
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                let p = Problem::new(ProblemKind::InvalidComponent, format!("{file}: {e}"));
                return report(sa.json, file, &p, json!({}));
            }
        }
    };
    let js_code = match (&ra.code, code_mode) {
        (Some(c), _) => Some(c.clone()),
        (None, true) => match std::fs::read(file) {
            Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Err(e) => return host_failure("", format!("{file}: {e}")),
        },
        (None, false) => None,
    };
    let input = match (&ra.input, &ra.input_file) {
        _ if js_code.is_some() => js_code.clone().unwrap_or_default(),
        (Some(t), _) => t.clone(),
        (None, Some(path)) => match std::fs::read(path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => return host_failure("", format!("--input-file {path}: {e}")),
        },
        (None, None) => {
            let mut s = String::new();
            if !std::io::stdin().is_terminal() {
                let _ = std::io::stdin().read_to_string(&mut s);
            }
            s
        }
    };
    let runner = if ra.fuel.is_some() {
        Runner::builder().fuel(true).build()
    } else {
        Runner::shared()
    };
    let runner = match runner {
        Ok(r) => r,
        Err(p) => return report(sa.json, file, &p, json!({})),
    };
    let loaded = if ra.lang == Some(Lang::Python) {
        runner::python_engine()
    } else if code_mode {
        runner::js_engine()
    } else {
        runner.load(&bytes)
    };
    let program = match loaded {
        Ok(p) => p,
        Err(p) => return report(sa.json, file, &p, json!({})),
    };
    let fs = crate::fresh_vfs(sa.limits.vfs);
    let mut warn = |w: String| {
        if !sa.json {
            eprintln!("agentsh: {w}");
        }
    };
    if let Err(e) = mounts::apply_mounts(&fs, &sa.mounts, &mut warn) {
        return host_failure("", e);
    }
    let limits = &sa.limits.shell;
    let mut b = Sandbox::builder()
        .vfs(fs.clone())
        .timeout(limits.timeout)
        .max_output(limits.max_output)
        .shell_limits(*limits)
        .args(ra.args.iter().cloned());
    if let Some(m) = ra.guest_memory {
        b = b.memory_limit(m);
    }
    if let Some(f) = ra.fuel {
        b = b.fuel(f);
    }
    for (k, v) in &sa.env {
        b = b.env(k, v);
    }
    b = b.cancel(cancel);
    for (name, script) in &ra.tools {
        b = b.tool(shell_tool(name, script, &fs, limits.timeout));
    }
    let sandbox = b.build();
    let out = match ra.lang {
        Some(Lang::JavaScript) => runner::run_js(&sandbox, &input),
        Some(Lang::TypeScript) => runner::run_ts(&sandbox, &input),
        Some(Lang::Python) => runner::run_python(&sandbox, &input),
        None => sandbox.run(&program, &input),
    };
    // Exports happen whatever the outcome, as for scripts.
    let mut warnings = Vec::new();
    let mut collect = |w: String| warnings.push(w);
    let exported = mounts::apply_exports(&fs, &sa.exports, &mut collect);
    if sa.json {
        let logs = serde_json::to_value(&out.logs).unwrap_or(Value::Null);
        let stats = serde_json::to_value(&out.stats).unwrap_or(Value::Null);
        if let Err(errors) = &exported {
            let p = crate::json::Problem::Export;
            crate::json::print(&p.document(&errors.join("; "), json!({"errors": errors})));
            return ExitCode::from(p.exit_code());
        }
        return match &out.result {
            Ok(result) => {
                crate::json::print(&json!({
                    "kind": match program.kind() { ProgramKind::Agent => "agent", ProgramKind::Command => "command" },
                    "result": result,
                    "exit_code": out.exit_code,
                    "stdout": out.stdout_str(),
                    "stderr": out.stderr_str(),
                    "logs": logs,
                    "stats": stats,
                    "warnings": warnings,
                }));
                ExitCode::SUCCESS
            }
            Err(p) => report(
                true,
                file,
                p,
                json!({"stdout": out.stdout_str(), "stderr": out.stderr_str(), "logs": logs, "stats": stats}),
            ),
        };
    }
    if code_mode {
        return code_plain(&out, ra.lang == Some(Lang::Python), warnings, exported);
    }
    {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(&out.stdout);
        let _ = o.flush();
    }
    {
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(&out.stderr);
        for l in &out.logs {
            let level = format!("{:?}", l.level).to_uppercase();
            if l.fields.is_null() {
                let _ = writeln!(e, "[{level}] {}", l.message);
            } else {
                let _ = writeln!(e, "[{level}] {} {}", l.message, l.fields);
            }
        }
        for w in &warnings {
            let _ = writeln!(e, "agentsh: {w}");
        }
    }
    if let Err(errors) = exported {
        for e in errors {
            eprintln!("agentsh: {e}");
        }
        return ExitCode::from(HOST_FAILURE);
    }
    match &out.result {
        Ok(result) => match program.kind() {
            ProgramKind::Agent => {
                println!("{result}");
                ExitCode::SUCCESS
            }
            ProgramKind::Command => ExitCode::from((out.exit_code.unwrap_or(0) & 255) as u8),
        },
        Err(p) => report(false, file, p, json!({})),
    }
}

/// `agentsh js` and `agentsh python` without `--json`: the program's output, its log
/// lines (console lines as node prints them; Python's `log` lines on stderr), then the
/// result.
fn code_plain(
    out: &runner::RunOutput,
    python: bool,
    warnings: Vec<String>,
    exported: Result<mounts::Moved, Vec<String>>,
) -> ExitCode {
    {
        let mut o = std::io::stdout().lock();
        let mut e = std::io::stderr().lock();
        let _ = o.write_all(&out.stdout);
        let _ = e.write_all(&out.stderr);
        for l in &out.logs {
            let _ = match l.level {
                _ if python && !l.fields.is_null() => writeln!(e, "{} {}", l.message, l.fields),
                _ if python => writeln!(e, "{}", l.message),
                runner::LogLevel::Warn | runner::LogLevel::Error => writeln!(e, "{}", l.message),
                _ => writeln!(o, "{}", l.message),
            };
        }
        if let Ok(result) = &out.result
            && result != "null"
        {
            let _ = writeln!(o, "{result}");
        }
        for w in &warnings {
            let _ = writeln!(e, "agentsh: {w}");
        }
    }
    if let Err(p) = &out.result {
        eprintln!("{}", p.detail);
    }
    if let Err(errors) = exported {
        for e in errors {
            eprintln!("agentsh: {e}");
        }
        return ExitCode::from(HOST_FAILURE);
    }
    match &out.result {
        Ok(_) => ExitCode::SUCCESS,
        Err(p) => ExitCode::from(p.exit_status()),
    }
}

/// `agentsh codemode --print-types|--print-prompt [--lang js|ts|python]`: the model's view of
/// the tools.
pub fn print_codemode(ra: &RunArgs) -> ExitCode {
    let fs = crate::fresh_vfs(ra.shell.limits.vfs);
    let limits = &ra.shell.limits.shell;
    let mut set = runner::ToolSet::default();
    for (name, script) in &ra.tools {
        set.insert(shell_tool(name, script, &fs, limits.timeout));
    }
    let prompt_limits = runner::PromptLimits {
        memory: ra.guest_memory.unwrap_or(runner::DEFAULT_MEMORY_LIMIT),
        timeout: limits.timeout,
        max_output: limits.max_output,
    };
    let text = match (ra.print.as_deref() == Some("prompt"), ra.lang) {
        (true, Some(Lang::Python)) => runner::python_system_prompt(&set, &prompt_limits),
        (true, Some(Lang::TypeScript)) => runner::typescript_system_prompt(&set, &prompt_limits),
        (true, _) => runner::system_prompt(&set, &prompt_limits),
        (false, Some(Lang::Python)) => runner::python_stubs(&set),
        (false, _) => runner::typescript_declarations(&set),
    };
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    ExitCode::SUCCESS
}

//! `agentsh:sandbox/shell`: a fresh bash session on the sandbox filesystem per call,
//! with at most the run's remaining time.

use std::time::{Duration, Instant};

use super::ifaces::shell::{Host, Output, RunOptions};
use crate::state::HostState;

impl Host for HostState {
    fn run(&mut self, script: String, options: RunOptions) -> wasmtime::Result<Output> {
        self.check_deadline()?;
        self.shell_runs += 1;
        let left = self.deadline.saturating_duration_since(Instant::now());
        let mut limits = self.shell_limits;
        limits.timeout = match options.timeout_ms {
            Some(ms) => Duration::from_millis(ms).min(left),
            None => left,
        };
        let mut vfs = self.vfs.clone();
        let _ = vfs.set_cwd("/");
        let mut sh = shell::Shell::with_limits(vfs, limits);
        sh.set_dash_c(true);
        let cwd = options.cwd.unwrap_or_else(|| "/".to_string());
        if let Err(e) = sh.set_cwd(&cwd) {
            return Ok(Output {
                stdout: String::new(),
                stderr: format!("agentsh: cd: {cwd}: {}\n", e.errno()),
                status: 1,
            });
        }
        sh.set_var("PWD", &cwd, true);
        let r = sh.exec_with(
            &script,
            shell::ExecOptions {
                stdin: options.stdin.unwrap_or_default(),
                env: options.env,
                ..Default::default()
            },
        );
        self.check_deadline()?;
        Ok(Output {
            stdout: String::from_utf8_lossy(&r.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&r.stderr).into_owned(),
            status: r.status,
        })
    }
}

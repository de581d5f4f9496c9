//! The library API: a [`Shell`] bound to a VFS, keeping its state (working directory,
//! variables, functions, options) across [`Shell::exec`] calls, like one bash session.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use crate::commands::Registry;
use crate::interp::{Interp, run_on_big_stack};
use crate::io::{Cancel, Fd, Sink, Source};
use crate::limits::{LIMIT_STATUS, Limit, ShellLimits};
use crate::vars::{Value, attr};
use vfs_core::Vfs;

mod interactive;
pub use interactive::{is_incomplete, syntax_error};

/// What one `exec` produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecResult {
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Exit status, as bash's `$?` after the script.
    pub status: i32,
    /// The limit that stopped the script, if one did.
    pub limit: Option<Limit>,
}

impl ExecResult {
    /// stdout as text (lossy).
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// stderr as text (lossy).
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Per-call settings.
#[derive(Clone, Default)]
pub struct ExecOptions {
    /// Data on standard input.
    pub stdin: Vec<u8>,
    /// Extra exported variables for this call only.
    pub env: Vec<(String, String)>,
    /// Working directory for this call only.
    pub cwd: Option<String>,
    /// Called with stdout bytes as they are written.
    pub on_stdout: Option<crate::io::OutputCallback>,
    /// Called with stderr bytes as they are written.
    pub on_stderr: Option<crate::io::OutputCallback>,
}

/// A bash session over a VFS.
pub struct Shell {
    interp: Option<Interp>,
    cancel_slot: Arc<parking_lot::Mutex<Cancel>>,
    registry: Arc<Registry>,
    limits: ShellLimits,
    /// Set by [`Shell::set_interactive`]: `exec` leaves the EXIT trap for
    /// [`Shell::run_exit_trap`].
    interactive: bool,
}

/// What an `exec` runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    /// The script, then the EXIT trap.
    Script,
    /// The script only (interactive sessions).
    ScriptOnly,
    /// The EXIT trap only.
    ExitTrap,
}

/// Cancels a running [`Shell::exec`] from another thread.
#[derive(Clone)]
pub struct CancelHandle(Arc<parking_lot::Mutex<Cancel>>);

impl CancelHandle {
    /// Stop the running script (it ends with status 130).
    pub fn cancel(&self) {
        self.0.lock().cancel();
    }
}

impl Shell {
    /// A session on `vfs` with default limits; `$0` is `agentsh`, the working directory
    /// is the VFS view's, `HOME` and `PATH` are set.
    pub fn new(vfs: Vfs) -> Shell {
        Shell::with_limits(vfs, ShellLimits::default())
    }

    /// A session with explicit limits.
    pub fn with_limits(vfs: Vfs, limits: ShellLimits) -> Shell {
        Shell::with_registry(vfs, limits, Registry::shared())
    }

    /// A session with explicit limits and command registry (see
    /// [`Registry::standard_with`]).
    pub fn with_registry(vfs: Vfs, limits: ShellLimits, registry: Arc<Registry>) -> Shell {
        let mut it = Interp::new(vfs, limits, Arc::clone(&registry));
        for (k, v) in [
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
            ("HOME", "/root"),
            ("TERM", "dumb"),
            ("USER", "root"),
            ("LOGNAME", "root"),
        ] {
            let var = it.vars.entry(k);
            var.value = Some(Value::Scalar(v.into()));
            var.attrs |= attr::EXPORT;
        }
        let cancel = it.shared.cancel.clone();
        Shell {
            interp: Some(it),
            cancel_slot: Arc::new(parking_lot::Mutex::new(cancel)),
            registry,
            limits,
            interactive: false,
        }
    }

    /// A handle that can cancel the running `exec` from another thread.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle(Arc::clone(&self.cancel_slot))
    }

    /// Set `$0` (messages start with it).
    pub fn set_name(&mut self, name: &str) {
        if let Some(it) = &mut self.interp {
            it.arg0 = name.to_string();
            it.err_name = name.to_string();
        }
    }

    /// Set the positional parameters.
    pub fn set_args(&mut self, args: Vec<String>) {
        if let Some(it) = &mut self.interp {
            it.positional = args;
        }
    }

    /// Set a variable (exported if `export`).
    pub fn set_var(&mut self, name: &str, value: &str, export: bool) {
        if let Some(it) = &mut self.interp {
            let var = it.vars.entry(name);
            var.value = Some(Value::Scalar(value.into()));
            if export {
                var.attrs |= attr::EXPORT;
            }
        }
    }

    /// A variable's value.
    pub fn var(&self, name: &str) -> Option<String> {
        self.interp.as_ref()?.get_scalar(name)
    }

    /// Change the working directory (as `cd` would, without printing).
    pub fn set_cwd(&mut self, dir: &str) -> Result<(), vfs_core::Error> {
        if let Some(it) = &mut self.interp {
            it.vfs.set_cwd(dir)?;
            let cwd = it.vfs.cwd()?.to_string_lossy().into_owned();
            let var = it.vars.entry("PWD");
            var.value = Some(Value::Scalar(cwd));
        }
        Ok(())
    }

    /// The filesystem view (with the session's working directory).
    pub fn vfs(&self) -> Option<&Vfs> {
        self.interp.as_ref().map(|i| &i.vfs)
    }

    /// Mark the session as started by `-c` (`$-` gets `c`, syntax errors say `-c`).
    pub fn set_dash_c(&mut self, on: bool) {
        if let Some(it) = &mut self.interp {
            it.invoked_with_c = on;
        }
    }

    /// Run a script.
    pub fn exec(&mut self, script: &str) -> ExecResult {
        self.exec_with(script, ExecOptions::default())
    }

    /// Run a script with per-call settings.
    pub fn exec_with(&mut self, script: &str, opts: ExecOptions) -> ExecResult {
        let run = if self.interactive {
            Run::ScriptOnly
        } else {
            Run::Script
        };
        self.exec_inner(script, opts, run)
    }

    /// An interactive session (`true`): each [`Shell::exec`] is one command line, and
    /// the EXIT trap does not run at its end but once, when the session ends and calls
    /// [`Shell::run_exit_trap`]. Otherwise (the default) every `exec` is a whole script
    /// and runs the EXIT trap when it ends.
    pub fn set_interactive(&mut self, on: bool) {
        self.interactive = on;
    }

    /// Run the EXIT trap, if one is set, as the shell ending would, and clear it. The
    /// status is `$?`, or N if the trap runs `exit N`.
    pub fn run_exit_trap(&mut self) -> ExecResult {
        self.run_exit_trap_with(ExecOptions::default())
    }

    /// [`Shell::run_exit_trap`] with per-call settings (output callbacks, stdin...).
    pub fn run_exit_trap_with(&mut self, opts: ExecOptions) -> ExecResult {
        self.exec_inner("", opts, Run::ExitTrap)
    }

    fn exec_inner(&mut self, script: &str, opts: ExecOptions, run: Run) -> ExecResult {
        let Some(mut it) = self.interp.take() else {
            return ExecResult {
                stderr: b"agentsh: shell is busy\n".to_vec(),
                status: 1,
                ..Default::default()
            };
        };
        // Fresh per-call counters, cancel flag and output sinks.
        let cancel = Cancel::new();
        *self.cancel_slot.lock() = cancel.clone();
        let shared = Arc::new(crate::interp::Shared {
            limits: self.limits,
            cancel: cancel.clone(),
            deadline: parking_lot::Mutex::new(Instant::now() + self.limits.timeout),
            commands: AtomicU64::new(0),
            loops: AtomicU64::new(0),
            running: Default::default(),
            limit_hit: parking_lot::Mutex::new(None),
            registry: Arc::clone(&self.registry),
            next_pid: AtomicU32Like::start(&it),
            started: it.shared.started,
            uses_bash_command: AtomicBool::new(
                it.shared
                    .uses_bash_command
                    .load(std::sync::atomic::Ordering::Relaxed),
            ),
        });
        it.shared = shared;
        it.cancel = it.shared.cancel.clone();
        let total = Arc::new(AtomicU64::new(0));
        let exceeded = Arc::new(AtomicBool::new(false));
        let out = Arc::new(Sink::new(
            Arc::clone(&total),
            self.limits.max_output,
            Arc::clone(&exceeded),
            opts.on_stdout.clone(),
        ));
        let err = Arc::new(Sink::new(
            total,
            self.limits.max_output,
            Arc::clone(&exceeded),
            opts.on_stderr.clone(),
        ));
        let saved_fds = std::mem::take(&mut it.fds);
        it.fds
            .insert(0, Fd::Source(Arc::new(Source::new(opts.stdin))));
        it.fds.insert(1, Fd::Sink(Arc::clone(&out)));
        it.fds.insert(2, Fd::Sink(Arc::clone(&err)));
        let saved_cwd = match &opts.cwd {
            Some(d) => {
                let old = it.vfs.cwd().ok();
                let _ = it.vfs.set_cwd(d);
                old
            }
            None => None,
        };
        let mut saved_env = Vec::new();
        for (k, v) in &opts.env {
            saved_env.push((k.clone(), it.vars.get(k).cloned()));
            let var = it.vars.entry(k);
            var.value = Some(Value::Scalar(v.clone()));
            var.attrs |= attr::EXPORT;
        }
        let joined = run_on_big_stack(|| {
            let status = match run {
                Run::Script => it.run_script(script, true),
                Run::ScriptOnly => it.run_script(script, false),
                Run::ExitTrap => it.run_exit_trap(),
            };
            // The shell's descriptors close as it ends (a coprocess reading from it
            // sees end of file); those of the session come back below.
            it.fds.clear();
            it.wait_all();
            // Orphaned background jobs of subshells may still run: give them until the
            // time limit, then stop them. Nothing a script started outlives its exec.
            while it.shared.running.load(Ordering::SeqCst) > 0 {
                if it.shared.check().is_err() {
                    it.shared.cancel.cancel();
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            status
        });
        let mut status = match joined {
            Ok(status) => status,
            Err(_) => {
                // No stack for the interpreter, or it panicked: a fresh session.
                it = Interp::new(Vfs::new(), self.limits, Arc::clone(&self.registry));
                1
            }
        };
        let mut limit = *it.shared.limit_hit.lock();
        if limit.is_none() && cancel.is_cancelled() {
            limit = Some(Limit::Cancelled);
        }
        let limit = if exceeded.load(Ordering::SeqCst) {
            limit.or(Some(Limit::Output))
        } else {
            limit
        };
        let mut stderr = err.take();
        if let Some(l) = limit {
            status = if l == Limit::Cancelled {
                130
            } else {
                LIMIT_STATUS
            };
            stderr.extend_from_slice(format!("agentsh: {} exceeded\n", l.name()).as_bytes());
            if l == Limit::Cancelled {
                stderr.truncate(stderr.len() - " exceeded\n".len());
                stderr.push(b'\n');
            }
        }
        it.fds = saved_fds;
        for (k, old) in saved_env.into_iter().rev() {
            match old {
                Some(v) => *it.vars.entry(&k) = v,
                None => {
                    it.vars.remove(&k);
                }
            }
        }
        if let Some(old) = saved_cwd {
            let _ = it.vfs.set_cwd(old);
        }
        it.last_status = status;
        let stdout = out.take();
        self.interp = Some(it);
        ExecResult {
            stdout,
            stderr,
            status,
            limit,
        }
    }
}

/// Keeps fake pids increasing across calls.
struct AtomicU32Like;

impl AtomicU32Like {
    fn start(it: &Interp) -> std::sync::atomic::AtomicU32 {
        std::sync::atomic::AtomicU32::new(it.shared.next_pid.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipestatus_is_unset_until_the_first_pipeline() {
        // bash starts a script with PIPESTATUS unset (the compat harness cannot check
        // this: its own set-up command runs first in the same session).
        let mut sh = Shell::new(Vfs::new());
        let r =
            sh.exec("echo ${#PIPESTATUS[@]} \"${PIPESTATUS[@]-unset}\"; echo ${#PIPESTATUS[@]}");
        assert_eq!(r.stdout_str(), "0 unset\n1\n");
    }
}

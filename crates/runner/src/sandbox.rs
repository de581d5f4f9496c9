//! A [`Sandbox`]: a filesystem, limits, arguments and the tools a guest may call. Each
//! run gets its own wasmtime store over the sandbox's filesystem; dropping the sandbox
//! drops the filesystem fork, and nothing else survives.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use vfs_core::Vfs;
use wasmtime::component::ResourceTable;
use wasmtime::{Store, Trap, WasmBacktrace};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryInputPipe;

use crate::engine::{Program, ProgramKind};
use crate::output::{Budget, Capture, OutputLimitExceeded};
use crate::problem::{Problem, ProblemKind};
use crate::state::{HostState, Limiter, MemoryLimitExceeded};
use crate::tools::{Tool, ToolSet};

/// Default guest memory limit: 128 MiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 128 << 20;
/// Default wall-clock limit of one run: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default budget of stdout, stderr and log bytes together: 16 MiB.
pub const DEFAULT_MAX_OUTPUT: u64 = 16 << 20;
/// Default number of tool calls one run may make: 10,000.
pub const DEFAULT_MAX_TOOL_CALLS: u64 = 10_000;

/// Severity of a log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Trace.
    Trace,
    /// Debug.
    Debug,
    /// Info.
    Info,
    /// Warning.
    Warn,
    /// Error.
    Error,
}

/// One structured log line from the guest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogLine {
    /// Severity.
    pub level: LogLevel,
    /// The message.
    pub message: String,
    /// The fields (a JSON object, or null).
    pub fields: serde_json::Value,
}

/// Measurements of one run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RunStats {
    /// Wall time from store creation to the end of the call.
    #[serde(serialize_with = "as_micros")]
    pub wall_time: Duration,
    /// Peak linear memory of the guest, bytes.
    pub peak_memory: u64,
    /// Fuel consumed, when fuel was set.
    pub fuel_used: Option<u64>,
    /// Tool calls made.
    pub tool_calls: u64,
    /// Shell scripts run.
    pub shell_runs: u64,
}

fn as_micros<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_micros() as u64)
}

/// What a run produced.
#[derive(Clone, Debug, Serialize)]
pub struct RunOutput {
    /// The agent's result, or the problem that ended the run. A command's result is the
    /// empty string; see [`RunOutput::exit_code`].
    pub result: Result<String, Problem>,
    /// A command's exit status (`None` for agents, and for runs that failed).
    pub exit_code: Option<i32>,
    /// The guest's standard output.
    #[serde(serialize_with = "lossy")]
    pub stdout: Vec<u8>,
    /// The guest's standard error.
    #[serde(serialize_with = "lossy")]
    pub stderr: Vec<u8>,
    /// Structured log lines.
    pub logs: Vec<LogLine>,
    /// Measurements.
    pub stats: RunStats,
}

fn lossy<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(b))
}

impl RunOutput {
    /// The output of a run that could not start.
    pub(crate) fn failed(problem: Problem) -> RunOutput {
        RunOutput {
            result: Err(problem),
            exit_code: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
            logs: Vec::new(),
            stats: RunStats::default(),
        }
    }

    /// The problem, when the run failed.
    pub fn problem(&self) -> Option<&Problem> {
        self.result.as_ref().err()
    }

    /// stdout as text (lossy).
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr as text (lossy).
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Settings of a [`Sandbox`].
#[derive(Clone, Debug)]
pub struct SandboxBuilder {
    vfs: Option<Vfs>,
    memory_limit: u64,
    timeout: Duration,
    fuel: Option<u64>,
    max_output: u64,
    max_tool_calls: u64,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    tools: ToolSet,
    shell_limits: shell::ShellLimits,
    cancel: Option<shell::io::Cancel>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            vfs: None,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            fuel: None,
            max_output: DEFAULT_MAX_OUTPUT,
            max_tool_calls: DEFAULT_MAX_TOOL_CALLS,
            args: Vec::new(),
            env: Vec::new(),
            stdin: Vec::new(),
            tools: ToolSet::default(),
            shell_limits: shell::ShellLimits::default(),
            cancel: None,
        }
    }
}

impl SandboxBuilder {
    /// The filesystem: a fresh one, or `template.fork()` / `snapshot.fork()` of a tree the
    /// host prepared once (O(1)). Default: a fresh filesystem with `/tmp`.
    pub fn vfs(mut self, vfs: Vfs) -> Self {
        self.vfs = Some(vfs);
        self
    }

    /// Guest linear memory limit in bytes (default 128 MiB, at most 4 GiB).
    pub fn memory_limit(mut self, bytes: u64) -> Self {
        self.memory_limit = bytes.min(crate::engine::MAX_MEMORY_LIMIT);
        self
    }

    /// Wall-clock limit of one run (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// A fuel budget per run (needs a runner built with fuel).
    pub fn fuel(mut self, units: u64) -> Self {
        self.fuel = Some(units);
        self
    }

    /// Budget of stdout + stderr + log bytes per run (default 16 MiB).
    pub fn max_output(mut self, bytes: u64) -> Self {
        self.max_output = bytes;
        self
    }

    /// Most tool calls per run (default 10,000); one more ends the run with a
    /// `tool-call-limit` problem.
    pub fn max_tool_calls(mut self, n: u64) -> Self {
        self.max_tool_calls = n;
        self
    }

    /// Add one argument (after `argv[0]`, which is the program's name).
    pub fn arg(mut self, a: impl Into<String>) -> Self {
        self.args.push(a.into());
        self
    }

    /// Add arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Set an environment variable.
    pub fn env(mut self, k: impl Into<String>, v: impl Into<String>) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Standard input.
    pub fn stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = data.into();
        self
    }

    /// Declare a tool the guest may call.
    pub fn tool(mut self, tool: Tool) -> Self {
        self.tools.insert(tool);
        self
    }

    /// Limits of the shell the guest runs through the `shell` import (its timeout is
    /// always capped by what is left of the run's).
    pub fn shell_limits(mut self, limits: shell::ShellLimits) -> Self {
        self.shell_limits = limits;
        self
    }

    /// A flag that stops a running guest when set (checked every few milliseconds);
    /// the run ends with a `cancelled` problem.
    pub fn cancel(mut self, flag: shell::io::Cancel) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// The sandbox.
    pub fn build(self) -> Sandbox {
        let vfs = self.vfs.unwrap_or_else(fresh_vfs);
        Sandbox {
            inner: Arc::new(Inner {
                vfs,
                memory_limit: self.memory_limit,
                timeout: self.timeout,
                fuel: self.fuel,
                max_output: self.max_output,
                max_tool_calls: self.max_tool_calls,
                args: self.args,
                env: self.env,
                stdin: self.stdin,
                tools: Arc::new(self.tools),
                shell_limits: self.shell_limits,
                cancel: self.cancel,
            }),
        }
    }
}

/// A fresh filesystem: `/` and `/tmp` (mode 1777).
pub fn fresh_vfs() -> Vfs {
    let fs = Vfs::new();
    if fs.mkdir("/tmp", 0o777).is_ok() {
        let _ = fs.chmod("/tmp", 0o1777);
    }
    fs
}

/// A filesystem, limits and tools for guests. Runs may happen one after another (they
/// share the filesystem) or at the same time from several threads.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    vfs: Vfs,
    memory_limit: u64,
    timeout: Duration,
    fuel: Option<u64>,
    max_output: u64,
    max_tool_calls: u64,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    tools: Arc<ToolSet>,
    shell_limits: shell::ShellLimits,
    cancel: Option<shell::io::Cancel>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("memory_limit", &self.inner.memory_limit)
            .field("timeout", &self.inner.timeout)
            .field("fuel", &self.inner.fuel)
            .field("tools", &self.inner.tools.len())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Settings for a sandbox.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The sandbox's filesystem (seed inputs before a run, read results after).
    pub fn vfs(&self) -> &Vfs {
        &self.inner.vfs
    }

    /// Run `program` on this thread. An agent gets `input` as the argument of `run`; a
    /// command gets it as standard input when it is not empty (the builder's stdin
    /// otherwise), with the builder's args and env.
    pub fn run(&self, program: &Program, input: &str) -> RunOutput {
        self.run_with(program, input, tokio::runtime::Handle::try_current().ok())
    }

    /// [`Sandbox::run`] from async code: the run happens on tokio's blocking pool, and
    /// async tools run on the caller's runtime.
    pub async fn run_async(&self, program: &Program, input: &str) -> RunOutput {
        let me = self.clone();
        let program = program.clone();
        let input = input.to_string();
        let handle = tokio::runtime::Handle::current();
        let task = tokio::task::spawn_blocking(move || me.run_with(&program, &input, Some(handle)));
        match task.await {
            Ok(out) => out,
            Err(e) => failed(Problem::new(
                ProblemKind::Internal,
                format!("the run's thread failed: {e}"),
            )),
        }
    }

    /// The state of a store for a run of a program of `kind` in this sandbox, and its
    /// stdout and stderr captures.
    pub(crate) fn host_state(
        &self,
        kind: ProgramKind,
        input: &str,
        runtime: Option<tokio::runtime::Handle>,
        started: Instant,
    ) -> (HostState, Capture, Capture) {
        let s = &self.inner;
        let budget = Budget::new(s.max_output);
        let stdout = Capture::new(Arc::clone(&budget));
        let stderr = Capture::new(Arc::clone(&budget));
        let stdin = match kind {
            ProgramKind::Command if !input.is_empty() => input.as_bytes().to_vec(),
            _ => s.stdin.clone(),
        };
        let mut wasi = WasiCtxBuilder::new();
        wasi.arg(match kind {
            ProgramKind::Agent => "agent",
            ProgramKind::Command => "main",
        })
        .args(&s.args)
        .envs(&s.env)
        .stdin(MemoryInputPipe::new(stdin))
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false);
        let state = HostState {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            vfs: s.vfs.clone(),
            limiter: Limiter {
                limit: s.memory_limit,
                current: 0,
                peak: 0,
                hit: false,
            },
            tools: Arc::clone(&s.tools),
            logs: Vec::new(),
            budget: Arc::clone(&budget),
            tool_calls: 0,
            max_tool_calls: s.max_tool_calls,
            shell_runs: 0,
            deadline: started + s.timeout,
            shell_limits: s.shell_limits,
            runtime,
            cancel: s.cancel.clone(),
            failure: None,
        };
        (state, stdout, stderr)
    }

    fn run_with(
        &self,
        program: &Program,
        input: &str,
        runtime: Option<tokio::runtime::Handle>,
    ) -> RunOutput {
        let s = &self.inner;
        let started = Instant::now();
        if s.fuel.is_some() && !program.fuel {
            return failed(Problem::new(
                ProblemKind::Internal,
                "this sandbox sets fuel but its runner was built without fuel (Runner::builder().fuel(true))",
            ));
        }
        let (state, stdout, stderr) = self.host_state(program.kind, input, runtime, started);
        let engine = program.pre.engine();
        let mut store = Store::new(engine, state);
        store.limiter(|st| &mut st.limiter);
        // Every tick, compare the real clock with the deadline: ticks arrive late on a
        // loaded machine, so counting them would overshoot the timeout.
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|mut ctx| {
            if ctx.data().cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
                ctx.data_mut().failure = Some(Problem::new(
                    ProblemKind::Cancelled,
                    "the host cancelled the run",
                ));
                return Err(wasmtime::Error::from(Trap::Interrupt));
            }
            if Instant::now() >= ctx.data().deadline {
                Err(wasmtime::Error::from(Trap::Interrupt))
            } else {
                Ok(wasmtime::UpdateDeadline::Continue(1))
            }
        });
        if let Some(f) = s.fuel
            && let Err(e) = store.set_fuel(f)
        {
            return failed(Problem::new(ProblemKind::Internal, format!("{e:#}")));
        }
        let _ticking = program.ticker.enter();
        let mut exit_code = None;
        let called: wasmtime::Result<Result<String, String>> = match program.kind {
            ProgramKind::Agent => crate::host::AgentPre::new(program.pre.clone())
                .and_then(|pre| pre.instantiate(&mut store))
                .and_then(|agent| agent.call_run(&mut store, input)),
            ProgramKind::Command => {
                let ran = wasmtime_wasi::p2::bindings::sync::CommandPre::new(program.pre.clone())
                    .and_then(|pre| pre.instantiate(&mut store))
                    .and_then(|cmd| cmd.wasi_cli_run().call_run(&mut store));
                match ran {
                    Ok(r) => {
                        exit_code = Some(if r.is_ok() { 0 } else { 1 });
                        Ok(Ok(String::new()))
                    }
                    Err(e) => match e.downcast_ref::<wasmtime_wasi::I32Exit>() {
                        Some(code) => {
                            exit_code = Some(code.0);
                            Ok(Ok(String::new()))
                        }
                        None => Err(e),
                    },
                }
            }
        };
        let fuel_used = s
            .fuel
            .map(|f| f.saturating_sub(store.get_fuel().unwrap_or(0)));
        let result = match called {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(msg)) => Err(Problem::new(ProblemKind::GuestError, msg)),
            Err(e) => {
                exit_code = None;
                Err(classify(&e, store.data_mut(), s, started))
            }
        };
        let st = store.into_data();
        RunOutput {
            result,
            exit_code,
            stdout: stdout.take_contents(),
            stderr: stderr.take_contents(),
            logs: st.logs,
            stats: RunStats {
                wall_time: started.elapsed(),
                peak_memory: st.limiter.peak,
                fuel_used,
                tool_calls: st.tool_calls,
                shell_runs: st.shell_runs,
            },
        }
    }
}

fn failed(p: Problem) -> RunOutput {
    RunOutput {
        result: Err(p),
        exit_code: None,
        stdout: Vec::new(),
        stderr: Vec::new(),
        logs: Vec::new(),
        stats: RunStats::default(),
    }
}

/// The problem for an error that ended a run.
fn classify(e: &wasmtime::Error, st: &mut HostState, s: &Inner, started: Instant) -> Problem {
    let backtrace = e.downcast_ref::<WasmBacktrace>().map(|bt| {
        bt.frames()
            .iter()
            .map(|f| {
                let name = f
                    .func_name()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("<wasm function {}>", f.func_index()));
                format!("{}!{name}", f.module().name().unwrap_or("<module>"))
            })
            .collect::<Vec<_>>()
    });
    let mut p = if let Some(p) = st.failure.take() {
        p
    } else if st.limiter.hit || e.downcast_ref::<MemoryLimitExceeded>().is_some() {
        let mut p = Problem::new(
            ProblemKind::MemoryLimit,
            format!(
                "the guest tried to grow its memory past the limit of {} bytes",
                s.memory_limit
            ),
        );
        p.limit = Some(s.memory_limit);
        p
    } else if st.budget.exceeded() || e.downcast_ref::<OutputLimitExceeded>().is_some() {
        let mut p = Problem::new(
            ProblemKind::OutputLimit,
            format!(
                "stdout, stderr and logs passed the limit of {} bytes",
                s.max_output
            ),
        );
        p.limit = Some(s.max_output);
        p
    } else {
        match e.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => {
                let mut p = Problem::new(
                    ProblemKind::Timeout,
                    format!(
                        "the run was stopped after {} ms (limit {} ms)",
                        started.elapsed().as_millis(),
                        s.timeout.as_millis()
                    ),
                );
                p.limit = Some(s.timeout.as_millis() as u64);
                p
            }
            Some(Trap::OutOfFuel) => {
                let mut p = Problem::new(
                    ProblemKind::FuelExhausted,
                    format!("all {} units of fuel were used", s.fuel.unwrap_or(0)),
                );
                p.limit = s.fuel;
                p
            }
            Some(t) => Problem::new(ProblemKind::Trap, format!("wasm trap: {t}")),
            None => {
                let msg = format!("{e:#}");
                if Instant::now() >= st.deadline {
                    Problem::new(ProblemKind::Timeout, msg)
                } else {
                    Problem::new(ProblemKind::Trap, msg)
                }
            }
        }
    };
    if p.kind() == Some(ProblemKind::Timeout) {
        p.limit = Some(s.timeout.as_millis() as u64);
    }
    if p.backtrace.is_none() {
        p.backtrace = backtrace.filter(|b| !b.is_empty());
    }
    p
}

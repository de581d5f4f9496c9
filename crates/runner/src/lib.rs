//! wasmtime sandboxes for agent programs over the agentsh filesystem and shell.
//!
//! A [`Runner`] holds the engine (pooling allocator with copy-on-write memory images,
//! epoch interruption, optional fuel) and a cache of compiled, pre-linked [`Program`]s. A
//! [`Sandbox`] is a filesystem (fresh, or an O(1) fork of a template), limits, arguments
//! and the host [`Tool`]s a guest may call. Each run instantiates the program in its own
//! store and returns a [`RunOutput`]: the result, stdout, stderr, logs and stats, or an
//! RFC 9457 [`Problem`] naming what stopped it.
//!
//! Two kinds of program run:
//! - **agents**, components of the `agent` world in `wit/sandbox.wit`, which import the
//!   sandbox's filesystem, shell, tools and log, and export `run(input)`;
//! - **commands**, plain WASI programs (`fn main` built for wasm32-wasip2), with args,
//!   env, stdin and an exit code.
//!
//! Both see the sandbox filesystem through `wasi:filesystem` (their `std::fs`), preopened
//! at `/`; nothing of the host's filesystem or network is reachable.
//!
//! ```no_run
//! use runner::{Runner, Sandbox};
//! let runner = Runner::shared()?;
//! let program = runner.load(&std::fs::read("agent.wasm").unwrap_or_default())?;
//! let sandbox = Sandbox::builder().build();
//! sandbox.vfs().write("/input.txt", "hello")?;
//! let out = sandbox.run(&program, "go");
//! println!("{:?} {}", out.result, out.stdout_str());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cache;
mod codemode;
mod engine;
mod host;
mod node_command;
mod output;
mod preinit;
mod problem;
mod python;
mod python_command;
mod sandbox;
mod schema;
mod state;
mod tools;
mod typescript;
mod wasi_clock;
mod wasi_fs;
mod wasm_command;

pub use codemode::{
    JS_ENGINE, PromptLimits, js_engine, run_js, run_js_async, system_prompt,
    typescript_declarations, typescript_system_prompt,
};
pub use engine::{MAX_MEMORY_LIMIT, Program, ProgramKind, Runner, RunnerBuilder};
pub use node_command::NodeCommand;
pub use output::OutputLimitExceeded;
pub use preinit::{INIT_EXPORT, preinitialize};
pub use problem::{PROBLEM_BASE, Problem, ProblemKind};
pub use python::{
    PYTHON_ENGINE_GZ, PYTHON_VERSION, python_engine, python_engine_cache_dir, python_engine_wasm,
    python_stubs, python_system_prompt, run_python, run_python_async,
};
pub use python_command::PythonCommand;
pub use sandbox::{
    DEFAULT_MAX_OUTPUT, DEFAULT_MAX_TOOL_CALLS, DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, LogLevel,
    LogLine, RunOutput, RunStats, Sandbox, SandboxBuilder, fresh_vfs,
};
pub use shell;
pub use state::MemoryLimitExceeded;
pub use tools::{Tool, ToolResult, ToolSet};
pub use typescript::{Stripped, run_ts, run_ts_async, strip_types};
pub use vfs_core;
pub use wasm_command::{WasmCommand, shell_registry};

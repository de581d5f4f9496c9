//! The data of one run's wasmtime store: WASI context, resource table, the sandbox's
//! filesystem, its tools, the memory limiter and what the run collects (logs, counters).

use std::sync::Arc;
use std::time::Instant;

use vfs_core::Vfs;
use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::output::Budget;
use crate::problem::{Problem, ProblemKind};
use crate::sandbox::LogLine;
use crate::tools::ToolSet;
use crate::wasi_fs::{WasiFsState, WasiFsView};

/// Enforces the memory limit and records the peak.
pub(crate) struct Limiter {
    pub(crate) limit: u64,
    pub(crate) current: u64,
    pub(crate) peak: u64,
    pub(crate) hit: bool,
}

/// The trap raised when the guest grows its memory past the limit.
#[derive(Debug, Clone, Copy)]
pub struct MemoryLimitExceeded;

impl std::fmt::Display for MemoryLimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("memory limit exceeded")
    }
}

impl std::error::Error for MemoryLimitExceeded {}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let grow = (desired as u64).saturating_sub(current as u64);
        let total = self.current.saturating_add(grow);
        if total > self.limit {
            self.hit = true;
            return Err(wasmtime::Error::new(MemoryLimitExceeded));
        }
        self.current = total;
        self.peak = self.peak.max(total);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }

    fn instances(&self) -> usize {
        256
    }

    fn tables(&self) -> usize {
        256
    }

    fn memories(&self) -> usize {
        16
    }
}

/// Store data.
pub(crate) struct HostState {
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) vfs: Vfs,
    pub(crate) limiter: Limiter,
    pub(crate) tools: Arc<ToolSet>,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) budget: Arc<Budget>,
    pub(crate) tool_calls: u64,
    pub(crate) max_tool_calls: u64,
    pub(crate) shell_runs: u64,
    pub(crate) deadline: Instant,
    pub(crate) shell_limits: shell::ShellLimits,
    pub(crate) runtime: Option<tokio::runtime::Handle>,
    /// Set from outside to stop the run.
    pub(crate) cancel: Option<shell::io::Cancel>,
    /// Why a host function stopped the guest, when it did.
    pub(crate) failure: Option<Problem>,
}

impl HostState {
    /// Stop the guest: remember why, and return the trap.
    pub(crate) fn fail(&mut self, kind: ProblemKind, detail: impl Into<String>) -> wasmtime::Error {
        let p = Problem::new(kind, detail);
        let e = wasmtime::Error::msg(p.detail.clone());
        self.failure = Some(p);
        e
    }

    /// Trap with `timeout` when the run's time is up.
    pub(crate) fn check_deadline(&mut self) -> wasmtime::Result<()> {
        if Instant::now() >= self.deadline {
            return Err(self.fail(
                ProblemKind::Timeout,
                "the run's time limit passed during a host call",
            ));
        }
        Ok(())
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiFsState for HostState {
    fn wasi_fs(&mut self) -> WasiFsView<'_> {
        WasiFsView {
            table: &mut self.table,
            vfs: &self.vfs,
        }
    }
}

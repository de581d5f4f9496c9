//! `agentsh:sandbox/log`: structured lines kept for the run's result; their bytes count
//! against the output budget.

use super::ifaces::log::{Host, Level};
use crate::problem::ProblemKind;
use crate::sandbox::{LogLevel, LogLine};
use crate::state::HostState;

impl Host for HostState {
    fn log(&mut self, level: Level, message: String, fields: String) -> wasmtime::Result<()> {
        let size = (message.len() + fields.len() + 16) as u64;
        if !self.budget.take(size) {
            return Err(self.fail(
                ProblemKind::OutputLimit,
                format!(
                    "stdout, stderr and logs passed the limit of {} bytes",
                    self.budget.max()
                ),
            ));
        }
        let fields = if fields.trim().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&fields).unwrap_or(serde_json::Value::String(fields))
        };
        let level = match level {
            Level::Trace => LogLevel::Trace,
            Level::Debug => LogLevel::Debug,
            Level::Info => LogLevel::Info,
            Level::Warn => LogLevel::Warn,
            Level::Error => LogLevel::Error,
        };
        self.logs.push(LogLine {
            level,
            message,
            fields,
        });
        Ok(())
    }
}

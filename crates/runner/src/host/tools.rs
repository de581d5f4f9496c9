//! `agentsh:sandbox/tools`: the host-declared tools, and nothing else.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use blocking::block_on_tool;

use super::ifaces::tools::{Host, Problem as WitProblem, ToolInfo};
use crate::problem::{Problem, ProblemKind};
use crate::state::HostState;
use crate::tools::Handler;

fn wit(p: Problem) -> WitProblem {
    WitProblem {
        type_: p.type_uri,
        title: p.title,
        status: p.status,
        detail: p.detail,
    }
}

impl Host for HostState {
    fn list(&mut self) -> wasmtime::Result<Vec<ToolInfo>> {
        Ok(self
            .tools
            .iter()
            .map(|t| ToolInfo {
                name: t.name.clone(),
                description: t.description.clone(),
                input_schema: t.schema.to_string(),
            })
            .collect())
    }

    fn call(&mut self, name: String, args: String) -> wasmtime::Result<Result<String, WitProblem>> {
        self.check_deadline()?;
        let Some(tool) = self.tools.get(&name).cloned() else {
            return Ok(Err(wit(Problem::new(
                ProblemKind::UndeclaredTool,
                format!("no tool named `{name}` is declared for this sandbox"),
            ))));
        };
        self.tool_calls += 1;
        if self.tool_calls > self.max_tool_calls {
            let max = self.max_tool_calls;
            let err = self.fail(
                ProblemKind::ToolCallLimit,
                format!("the guest made more than {max} tool calls"),
            );
            if let Some(p) = &mut self.failure {
                p.limit = Some(max);
            }
            return Err(err);
        }
        let args: serde_json::Value = match serde_json::from_str(&args) {
            Ok(v) => v,
            Err(e) => {
                return Ok(Err(wit(Problem::new(
                    ProblemKind::ToolError,
                    format!("{name}: the arguments are not JSON: {e}"),
                ))));
            }
        };
        if let Err(why) = crate::schema::validate(&tool.schema, &args) {
            return Ok(Err(wit(Problem::new(
                ProblemKind::ToolError,
                format!("{name}: the arguments do not match the tool's schema: {why}"),
            ))));
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        let result = match &tool.handler {
            Handler::Sync(f) => std::panic::catch_unwind(AssertUnwindSafe(|| f(args)))
                .unwrap_or_else(|_| Err("the tool panicked".to_string())),
            Handler::Async(f) => {
                let fut = f(args);
                match block_on_tool(self.runtime.as_ref(), left, fut) {
                    Some(r) => r,
                    None => {
                        return Err(self.fail(
                            ProblemKind::Timeout,
                            format!(
                                "the tool `{name}` was still running when the time limit passed"
                            ),
                        ));
                    }
                }
            }
        };
        self.check_deadline()?;
        Ok(match result {
            Ok(v) => Ok(v.to_string()),
            Err(msg) => Err(wit(Problem::new(
                ProblemKind::ToolError,
                format!("{name}: {msg}"),
            ))),
        })
    }
}

mod blocking {
    //! Running an async tool from the (synchronous) guest thread.

    use std::future::Future;
    use std::sync::OnceLock;
    use std::time::Duration;

    use crate::tools::ToolResult;

    /// A private runtime for async tools called from sync runs.
    fn private_runtime() -> Option<&'static tokio::runtime::Runtime> {
        static RT: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
        RT.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("agentsh-tools")
                .enable_all()
                .build()
                .ok()
        })
        .as_ref()
    }

    /// Run `fut` to completion within `left`; `None` when the time ran out.
    pub(super) fn block_on_tool(
        handle: Option<&tokio::runtime::Handle>,
        left: Duration,
        fut: impl Future<Output = ToolResult> + Send + 'static,
    ) -> Option<ToolResult> {
        let run = |h: &tokio::runtime::Handle| {
            // A runtime built without the time driver panics on `timeout`; report it.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                h.block_on(async { tokio::time::timeout(left, fut).await.ok() })
            }))
            .unwrap_or_else(|_| {
                Some(Err(
                    "the tool panicked (or the tokio runtime has no time driver)".to_string(),
                ))
            })
        };
        match handle {
            Some(h) => run(h),
            None => match private_runtime() {
                Some(rt) => run(rt.handle()),
                None => Some(Err("no async runtime for the tool".to_string())),
            },
        }
    }
}

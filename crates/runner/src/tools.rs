//! Host tools: named closures (sync or async) with a JSON Schema for their arguments.
//! A sandbox gets only the tools its builder was given; for the guest no other tool exists.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

/// What a tool returns: a JSON value, or an error message for the guest.
pub type ToolResult = Result<Value, String>;

type SyncFn = dyn Fn(Value) -> ToolResult + Send + Sync;
type AsyncFn = dyn Fn(Value) -> Pin<Box<dyn Future<Output = ToolResult> + Send>> + Send + Sync;

#[derive(Clone)]
pub(crate) enum Handler {
    Sync(Arc<SyncFn>),
    Async(Arc<AsyncFn>),
}

/// A host tool.
#[derive(Clone)]
pub struct Tool {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) schema: Value,
    pub(crate) handler: Handler,
}

impl std::fmt::Debug for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tool")
            .field("name", &self.name)
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

impl Tool {
    /// A tool run by a plain function, on the guest's thread.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        schema: Value,
        f: impl Fn(Value) -> ToolResult + Send + Sync + 'static,
    ) -> Tool {
        Tool {
            name: name.into(),
            description: description.into(),
            schema,
            handler: Handler::Sync(Arc::new(f)),
        }
    }

    /// A tool run by an async function, on the tokio runtime of the run (or a private
    /// one for a sync run); it is cancelled when the sandbox's time runs out.
    pub fn new_async<F, Fut>(
        name: impl Into<String>,
        description: impl Into<String>,
        schema: Value,
        f: F,
    ) -> Tool
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ToolResult> + Send + 'static,
    {
        Tool {
            name: name.into(),
            description: description.into(),
            schema,
            handler: Handler::Async(Arc::new(move |v| Box::pin(f(v)))),
        }
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tool's description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The JSON Schema of its arguments.
    pub fn schema(&self) -> &Value {
        &self.schema
    }
}

/// The tools of one sandbox, by name.
#[derive(Clone, Debug, Default)]
pub struct ToolSet {
    tools: BTreeMap<String, Tool>,
}

impl ToolSet {
    /// Add (or replace) a tool.
    pub fn insert(&mut self, tool: Tool) {
        self.tools.insert(tool.name.clone(), tool);
    }

    /// A tool by name.
    pub fn get(&self, name: &str) -> Option<&Tool> {
        self.tools.get(name)
    }

    /// The tools in name order.
    pub fn iter(&self) -> impl Iterator<Item = &Tool> {
        self.tools.values()
    }

    /// How many tools there are.
    pub fn len(&self) -> usize {
        self.tools.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }
}

//! RFC 9457 problem details: every way a run can fail, each with its own `type` URI.

use serde::{Deserialize, Serialize};

/// The kinds of failure a run reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The guest tried to grow its memory past the sandbox's limit.
    MemoryLimit,
    /// The run took longer than the sandbox's wall-clock timeout.
    Timeout,
    /// The guest used up its fuel.
    FuelExhausted,
    /// The guest trapped (a panic, `unreachable`, a stack overflow...).
    Trap,
    /// The agent returned an error.
    GuestError,
    /// A host tool failed.
    ToolError,
    /// The guest called a tool the host did not declare.
    UndeclaredTool,
    /// The guest made more tool calls than allowed.
    ToolCallLimit,
    /// The bytes are not a component the runner can run.
    InvalidComponent,
    /// The component imports something the sandbox does not provide.
    MissingImport,
    /// The guest wrote more output than allowed.
    OutputLimit,
    /// The host cancelled the run (Ctrl-C, a cancelled shell).
    Cancelled,
    /// A failure of the host itself (it should not happen).
    Internal,
}

impl ProblemKind {
    /// The slug at the end of the `type` URI.
    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::MemoryLimit => "memory-limit",
            ProblemKind::Timeout => "timeout",
            ProblemKind::FuelExhausted => "fuel-exhausted",
            ProblemKind::Trap => "trap",
            ProblemKind::GuestError => "guest-error",
            ProblemKind::ToolError => "tool-error",
            ProblemKind::UndeclaredTool => "undeclared-tool",
            ProblemKind::ToolCallLimit => "tool-call-limit",
            ProblemKind::InvalidComponent => "invalid-component",
            ProblemKind::MissingImport => "missing-import",
            ProblemKind::OutputLimit => "output-limit",
            ProblemKind::Cancelled => "cancelled",
            ProblemKind::Internal => "internal",
        }
    }

    /// The `type` URI.
    pub fn type_uri(self) -> String {
        format!("{PROBLEM_BASE}{}", self.slug())
    }

    /// The short, fixed summary of the kind.
    pub fn title(self) -> &'static str {
        match self {
            ProblemKind::MemoryLimit => "Memory limit exceeded",
            ProblemKind::Timeout => "Time limit exceeded",
            ProblemKind::FuelExhausted => "Fuel exhausted",
            ProblemKind::Trap => "The guest trapped",
            ProblemKind::GuestError => "The agent returned an error",
            ProblemKind::ToolError => "A tool failed",
            ProblemKind::UndeclaredTool => "No such tool",
            ProblemKind::ToolCallLimit => "Tool call limit exceeded",
            ProblemKind::InvalidComponent => "Invalid component",
            ProblemKind::MissingImport => "Missing import",
            ProblemKind::OutputLimit => "Output limit exceeded",
            ProblemKind::Cancelled => "The run was cancelled",
            ProblemKind::Internal => "Internal error",
        }
    }

    /// The HTTP-like status.
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::MemoryLimit
            | ProblemKind::OutputLimit
            | ProblemKind::FuelExhausted
            | ProblemKind::ToolCallLimit => 429,
            ProblemKind::Timeout => 408,
            ProblemKind::Trap | ProblemKind::GuestError => 500,
            ProblemKind::ToolError => 502,
            ProblemKind::UndeclaredTool => 404,
            ProblemKind::InvalidComponent | ProblemKind::MissingImport => 422,
            ProblemKind::Cancelled => 499,
            ProblemKind::Internal => 500,
        }
    }

    /// The exit status a command line reports for it: 1 for the agent's or a tool's
    /// error, 124 for a limit (as the shell's limits), 126 when the file cannot run, 134
    /// for a trap (as an abort), 130 when cancelled, 125 for an internal failure.
    pub fn exit_status(self) -> u8 {
        match self {
            ProblemKind::GuestError | ProblemKind::ToolError | ProblemKind::UndeclaredTool => 1,
            ProblemKind::MemoryLimit
            | ProblemKind::Timeout
            | ProblemKind::FuelExhausted
            | ProblemKind::ToolCallLimit
            | ProblemKind::OutputLimit => 124,
            ProblemKind::InvalidComponent | ProblemKind::MissingImport => 126,
            ProblemKind::Trap => 134,
            ProblemKind::Cancelled => 130,
            ProblemKind::Internal => 125,
        }
    }

    /// Every kind.
    pub const ALL: [ProblemKind; 13] = [
        ProblemKind::MemoryLimit,
        ProblemKind::Timeout,
        ProblemKind::FuelExhausted,
        ProblemKind::Trap,
        ProblemKind::GuestError,
        ProblemKind::ToolError,
        ProblemKind::UndeclaredTool,
        ProblemKind::ToolCallLimit,
        ProblemKind::InvalidComponent,
        ProblemKind::MissingImport,
        ProblemKind::OutputLimit,
        ProblemKind::Cancelled,
        ProblemKind::Internal,
    ];

    /// The kind whose `type` URI this is.
    pub fn from_type_uri(uri: &str) -> Option<ProblemKind> {
        let slug = uri.strip_prefix(PROBLEM_BASE)?;
        ProblemKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// The prefix of every problem `type` URI.
pub const PROBLEM_BASE: &str = "urn:agentsh:problem:";

/// An RFC 9457 problem detail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// The kind's fixed summary.
    pub title: String,
    /// An HTTP-like status code.
    pub status: u16,
    /// What happened this time.
    pub detail: String,
    /// The wasm backtrace of a trap, innermost frame first.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub backtrace: Option<Vec<String>>,
    /// The limit that was hit, in its unit (bytes, milliseconds, fuel units).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<u64>,
}

impl Problem {
    /// A problem of `kind` with `detail`.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: kind.type_uri(),
            title: kind.title().to_string(),
            status: kind.status(),
            detail: detail.into(),
            backtrace: None,
            limit: None,
        }
    }

    /// The kind, when the type URI is one of the runner's.
    pub fn kind(&self) -> Option<ProblemKind> {
        ProblemKind::from_type_uri(&self.type_uri)
    }

    /// The exit status a command line reports for it ([`ProblemKind::exit_status`]; 1
    /// for a problem type that is not the runner's).
    pub fn exit_status(&self) -> u8 {
        self.kind().map_or(1, ProblemKind::exit_status)
    }

    /// The problem as a JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.title, self.detail)
    }
}

impl std::error::Error for Problem {}

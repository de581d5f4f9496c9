//! Limits on what one script may do, each with a default that lets real work through
//! and stops hostile scripts (fork bombs, `x=$(yes)`, `{1..999999999}`, runaway loops and
//! recursion) with a message naming the limit and exit status [`LIMIT_STATUS`].

use std::time::Duration;

/// Exit status of a script stopped by a limit (distinct from any bash status).
pub const LIMIT_STATUS: i32 = 124;

/// Limits of one shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShellLimits {
    /// Wall-clock time for one `exec` call.
    pub timeout: Duration,
    /// Commands executed per `exec` call (simple commands, builtins included).
    pub max_commands: u64,
    /// Iterations of all loops together per `exec` call.
    pub max_loop_iterations: u64,
    /// Nested function calls.
    pub max_call_depth: usize,
    /// Nested subshells, command substitutions and sourced files.
    pub max_subshell_depth: usize,
    /// Bytes of stdout plus stderr kept per `exec` call.
    pub max_output: u64,
    /// Bytes in one string (a variable, a word, a command substitution's output).
    pub max_string: usize,
    /// Elements in one array.
    pub max_array: usize,
    /// Words one brace expansion may produce.
    pub max_brace_words: usize,
    /// Paths one glob may produce.
    pub max_glob_results: usize,
    /// Bytes of one here-document.
    pub max_heredoc: usize,
    /// Bytes of script text parsed at once.
    pub max_parse: usize,
    /// Pipeline stages and background jobs running at once.
    pub max_concurrency: usize,
}

impl Default for ShellLimits {
    fn default() -> Self {
        ShellLimits {
            timeout: Duration::from_secs(30),
            max_commands: 50_000_000,
            max_loop_iterations: 20_000_000,
            max_call_depth: 1000,
            max_subshell_depth: 64,
            max_output: 64 << 20,
            max_string: 64 << 20,
            max_array: 4_000_000,
            max_brace_words: 1_000_000,
            max_glob_results: 200_000,
            max_heredoc: 16 << 20,
            max_parse: 16 << 20,
            max_concurrency: 256,
        }
    }
}

/// Which limit stopped a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// [`ShellLimits::timeout`].
    Time,
    /// [`ShellLimits::max_commands`].
    Commands,
    /// [`ShellLimits::max_loop_iterations`].
    LoopIterations,
    /// [`ShellLimits::max_call_depth`].
    CallDepth,
    /// [`ShellLimits::max_subshell_depth`].
    SubshellDepth,
    /// [`ShellLimits::max_output`].
    Output,
    /// [`ShellLimits::max_string`].
    StringSize,
    /// [`ShellLimits::max_array`].
    ArraySize,
    /// [`ShellLimits::max_brace_words`].
    BraceExpansion,
    /// [`ShellLimits::max_glob_results`].
    GlobResults,
    /// [`ShellLimits::max_heredoc`].
    HeredocSize,
    /// [`ShellLimits::max_parse`].
    ParseSize,
    /// [`ShellLimits::max_concurrency`].
    Concurrency,
    /// The run was cancelled from outside.
    Cancelled,
}

impl Limit {
    /// The limit's name in messages ("time limit", "command limit"...).
    pub fn name(self) -> &'static str {
        match self {
            Limit::Time => "time limit",
            Limit::Commands => "command count limit",
            Limit::LoopIterations => "loop iteration limit",
            Limit::CallDepth => "function call depth limit",
            Limit::SubshellDepth => "subshell depth limit",
            Limit::Output => "output size limit",
            Limit::StringSize => "string size limit",
            Limit::ArraySize => "array size limit",
            Limit::BraceExpansion => "brace expansion limit",
            Limit::GlobResults => "glob result limit",
            Limit::HeredocSize => "here-document size limit",
            Limit::ParseSize => "script size limit",
            Limit::Concurrency => "concurrent job limit",
            Limit::Cancelled => "cancelled",
        }
    }
}

//! # shell
//!
//! The bash interpreter and Unix commands of agentsh, over [`vfs_core`].
//!
//! ```
//! use shell::Shell;
//! let mut sh = Shell::new(vfs_core::Vfs::new());
//! let r = sh.exec("x=world; echo \"hello $x\" | cat > /greeting; cat /greeting");
//! assert_eq!(r.stdout_str(), "hello world\n");
//! assert_eq!(r.status, 0);
//! ```
//!
//! - [`parse`]: brush-parser, with bash's syntax error messages.
//! - [`interp`]: the interpreter (expansions, control flow, redirections, builtins).
//! - [`commands`]: the registry of commands that are not builtins.
//! - [`io`]: descriptors, bounded pipes, capped output.
//! - [`limits`]: what a script may use.

pub mod arith;
pub mod commands;
pub mod interp;
pub mod io;
pub mod limits;
pub mod parse;
pub mod pathexp;
pub mod pattern;
pub mod posix_regex;
pub mod printf;
pub mod shell;
pub mod vars;

pub use limits::{LIMIT_STATUS, Limit, ShellLimits};
pub use shell::{CancelHandle, ExecOptions, ExecResult, Shell};
pub use vfs_core;

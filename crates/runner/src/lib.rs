//! # runner
//!
//! wasmtime sandboxes for agent programs (issue 6). Not built yet.

pub use shell;

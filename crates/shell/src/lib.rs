//! # shell
//!
//! The bash interpreter and Unix commands of agentsh, over [`vfs_core`]. Not built yet:
//! see issue 3. Nothing here pretends to run a script.

pub use vfs_core;

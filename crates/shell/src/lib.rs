//! # shell
//!
//! The bash interpreter and Unix commands of agentsh, over [`vfs_core`]. Under
//! construction (issue 3): the pieces below are built one by one.

pub mod arith;
pub mod pathexp;
pub mod pattern;
pub mod printf;

pub use vfs_core;

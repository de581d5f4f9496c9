//! vfs-core's integration tests: the kernel-oracle conformance suite, random operation
//! sequences checked against Linux, and API behaviour the kernel cannot show (limits,
//! snapshots, clocks).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod api;
mod conformance;
mod oracle;
mod props;

//! # vfs-core
//!
//! A POSIX filesystem that lives in memory and answers as Linux does: the same results,
//! metadata and, above all, the same error codes, checked against the kernel by this
//! crate's conformance suite.
//!
//! - [`Vfs`]: the filesystem, `Send + Sync`, shared by cloning; each clone has its own
//!   working directory, credentials and umask. Every mutation is atomic under one lock.
//! - Inodes in a persistent table; directories in persistent ordered maps; file contents
//!   in `bytes::Bytes`: [`Vfs::snapshot`] and [`Vfs::fork`] are O(1) and copy on write.
//! - One path resolver (`resolve`) for every operation: `.`/`..`, repeated and trailing
//!   slashes, symlinks with a 40-hop limit, `NAME_MAX`/`PATH_MAX`, search permission.
//! - [`Limits`] on bytes, inodes, file size, depth and open handles, checked before any
//!   change; errors are [`Errno`] values with the path attached ([`Error`]).
//! - [`Vfs::set_read_only`]: a read-only subtree, as a read-only mount (`EROFS`).
//!
//! ```
//! use vfs_core::{Vfs, Errno};
//! let fs = Vfs::new();
//! fs.create_dir_all("/work/src", 0o755).unwrap();
//! fs.write("/work/src/main.rs", "fn main() {}\n").unwrap();
//! assert_eq!(fs.read_to_string("/work/src/main.rs").unwrap(), "fn main() {}\n");
//! assert_eq!(fs.rmdir("/work/src").unwrap_err().errno(), Errno::NotEmpty);
//! let before = fs.snapshot();
//! let child = fs.fork();
//! child.unlink("/work/src/main.rs").unwrap();
//! assert!(fs.exists("/work/src/main.rs"));
//! assert_eq!(vfs_core::diff(&before, &child.snapshot()).len(), 1);
//! ```

mod check;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod glob;
mod handle;
pub mod host;
mod io;
mod limits;
mod node;
mod ops;
mod pvec;
mod readonly;
mod resolve;
mod snapshot;
mod state;
mod time;
mod tree;
mod vfs;
mod vfs_adapter;

pub use error::{Errno, Error, Result};
pub use handle::Handle;
pub use io::OpenOptions;
pub use limits::{Limits, Usage};
pub use node::{Access, BLOCK_SIZE, Cred, FileType, Ino, Metadata, Name, ROOT_INO};
pub use ops::{DirEntry, SetTime};
pub use resolve::{MAX_SYMLINKS, NAME_MAX, PATH_MAX};
pub use snapshot::{Change, ChangeKind, Snapshot, diff};
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
pub use tree::{DiskUsage, GLOB_LIMIT, WalkEntry};
pub use vfs::{Vfs, VfsBuilder};
pub use vfs_adapter::VfsAdapter;

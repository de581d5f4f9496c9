//! Limits set when a filesystem is created, and the usage they are checked against.
//!
//! | limit | exceeded by | error |
//! |---|---|---|
//! | `max_bytes` | file data + symlink targets | `ENOSPC` |
//! | `max_inodes` | files, directories and symlinks, root included | `ENOSPC` |
//! | `max_file_size` | a file's size, holes included | `EFBIG` |
//! | `max_depth` | directories between `/` and a new entry | `ENAMETOOLONG` |
//! | `max_open_handles` | open handles at once | `EMFILE` |
//!
//! Every operation checks before it changes anything, under the same lock, so one that
//! would exceed a limit fails and leaves the tree as it was.

/// Limits of one filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Total bytes of file data and symlink targets.
    pub max_bytes: u64,
    /// Number of inodes (files, directories, symlinks), the root included.
    pub max_inodes: u64,
    /// Largest size a regular file may have.
    pub max_file_size: u64,
    /// Deepest nesting of a new entry below `/` (`/a` is depth 1).
    pub max_depth: u32,
    /// Open handles at once.
    pub max_open_handles: u32,
}

impl Limits {
    /// No limit beyond what the types can count.
    pub const UNLIMITED: Limits = Limits {
        max_bytes: u64::MAX,
        max_inodes: u64::MAX,
        max_file_size: i64::MAX as u64,
        max_depth: u32::MAX,
        max_open_handles: u32::MAX,
    };
}

impl Default for Limits {
    /// 1 GiB of data, a million inodes, 1 GiB per file, depth 2048, 4096 open handles.
    fn default() -> Self {
        Limits {
            max_bytes: 1 << 30,
            max_inodes: 1_000_000,
            max_file_size: 1 << 30,
            max_depth: 2048,
            max_open_handles: 4096,
        }
    }
}

/// What a filesystem uses now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Bytes of file data and symlink targets.
    pub bytes: u64,
    /// Inodes in use, the root and unlinked-but-open files included.
    pub inodes: u64,
    /// Open handles.
    pub open_handles: u32,
}

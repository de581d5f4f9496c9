//! Read-only subtrees: what a read-only (bind) mount of a directory is on Linux.
//!
//! [`Vfs::set_read_only`] marks every node of a subtree; from then on every operation
//! that would change one of them fails with `EROFS`, whoever asks (root too), as
//! `mnt_want_write` does on a read-only mount. The checks live in the few places that
//! decide whether a change may happen (`may_create`, `may_delete`, each operation's
//! entry after its path walk, and the content writers `write_at`, `set_len` and
//! `replace_contents`), in the order Linux makes them, so that when several things are
//! wrong the error is the kernel's.
//!
//! Semantics, as across a mount boundary on Linux:
//! - Reads, `stat`, `readdir`, `readlink`, path traversal and `access(R_OK|X_OK)` work;
//!   `access(W_OK)` fails with `EROFS` (after the permission check, as for a mount).
//!   Reads do not update atime.
//! - Creating, removing or renaming entries inside the subtree, `chmod`, `chown`,
//!   `utimes`, `truncate`, opening for writing (or `O_TRUNC`), and writing or resizing
//!   through a handle opened before the subtree became read-only: `EROFS`.
//! - `rename` between the subtree and the rest (either way): `EXDEV`; `link` of a node of
//!   the subtree to a name outside it: `EXDEV` (into it: `EROFS`).
//! - The subtree's root (the mount point) cannot be removed or replaced from its
//!   writable parent: `rmdir`, `unlink` and `rename` of it give `EBUSY`.
//! - The mark is part of the state: snapshots and forks of a read-only subtree are
//!   read-only. There is no way to clear it.
//! - The mark is per node, not per path: a file that also has a hard link outside the
//!   subtree is read-only through both names (removing or renaming the outside name
//!   works, as on Linux).

use std::path::Path;

use crate::error::{Errno, Error, Result};
use crate::node::{Ino, Kind};
use crate::resolve::check_path;
use crate::state::FsState;
use crate::vfs::{Vfs, bytes_of};

impl FsState {
    /// True if `ino` is in a read-only subtree (false for a stale number).
    pub(crate) fn is_ro(&self, ino: Ino) -> bool {
        self.node(ino).is_some_and(|n| n.ro)
    }

    /// `mnt_want_write`: `EROFS` if `ino` is in a read-only subtree.
    pub(crate) fn want_write(&self, ino: Ino) -> std::result::Result<(), Errno> {
        if self.is_ro(ino) {
            Err(Errno::ReadOnly)
        } else {
            Ok(())
        }
    }

    /// True if `ino` is the root of a read-only subtree (a mount point).
    pub(crate) fn is_ro_root(&self, ino: Ino) -> bool {
        self.ro_roots.contains(&ino)
    }

    /// Mark the subtree at `root` read-only.
    pub(crate) fn set_read_only(&mut self, root: Ino) -> std::result::Result<(), Errno> {
        if self.is_ro(root) {
            return Ok(());
        }
        let mut stack = vec![root];
        while let Some(ino) = stack.pop() {
            let n = self.get_mut(ino)?;
            if n.ro {
                continue;
            }
            n.ro = true;
            if let Kind::Dir { entries, .. } = &n.kind {
                stack.extend(entries.values().copied());
            }
        }
        self.ro_roots.insert(root);
        Ok(())
    }
}

impl Vfs {
    /// Make the subtree at `path` (following symlinks) read-only, as a read-only mount
    /// of it would be on Linux: every change to a node in it fails with `EROFS`, even for
    /// root, renames and links across its boundary fail with `EXDEV`, and its root cannot
    /// be removed or renamed (`EBUSY`). Snapshots and forks keep it read-only; it cannot
    /// be undone. See the `readonly` module notes for the exact rules.
    pub fn set_read_only(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        self.write_state(|st, ctx| {
            let ino = st.resolve(ctx, p, true)?;
            st.set_read_only(ino)
        })
        .map_err(|e| Error::with_path(e, path))
    }

    /// True if `path` (following symlinks) is in a read-only subtree.
    pub fn is_read_only(&self, path: impl AsRef<Path>) -> Result<bool> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        self.with_state(|st, ctx| st.resolve(ctx, p, true).map(|ino| st.is_ro(ino)))
            .map_err(|e| Error::with_path(e, path))
    }
}

//! The filesystem's state: a persistent inode table, usage and limits.
//!
//! `FsState` is a value: cloning it is O(1) (the table is an `imbl::Vector` of
//! nodes (copied a chunk at a time when a shared chunk changes), directories are `imbl::OrdMap`s, contents are `bytes::Bytes`), and a clone
//! changes independently of the original. That is what makes snapshots and forks cheap.
//! Methods take `&mut self`; the lock that makes them atomic lives one level up, in
//! [`crate::Vfs`].

use imbl::{HashMap as PMap, OrdSet, Vector};

use crate::pvec::PVec;

use crate::error::Errno;
use crate::limits::{Limits, Usage};
use crate::node::{Cred, Ino, Kind, Node, ROOT_INO};
use crate::time::Timestamp;

/// Freed inode numbers wait in a queue this long before reuse, so a short sequence of
/// operations sees fresh numbers as on tmpfs, while the table stays bounded under churn.
pub(crate) const REUSE_AFTER: usize = 1024;

/// Everything an operation needs to know about its caller.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx<'a> {
    /// Working directory relative paths start from.
    pub cwd: Ino,
    pub cred: &'a Cred,
    pub umask: u32,
    pub now: Timestamp,
}

/// The whole filesystem as one persistent value.
#[derive(Clone, Debug)]
pub(crate) struct FsState {
    /// Index = inode number; `None` for a free slot (and slot 0).
    nodes: PVec<Option<Node>>,
    /// Inode numbers free for reuse, oldest first. Like tmpfs, numbers are not handed out
    /// again at once: only once more than [`REUSE_AFTER`] are waiting.
    free: Vector<Ino>,
    /// Inodes with no links left that stay alive while open.
    orphans: OrdSet<Ino>,
    /// Open references (handles, working directories) per inode.
    open: PMap<Ino, u32>,
    /// Roots of read-only subtrees ([`crate::Vfs::set_read_only`]): their mount points,
    /// which cannot be removed or renamed (`EBUSY`).
    pub ro_roots: OrdSet<Ino>,
    pub usage: Usage,
    pub limits: Limits,
}

impl FsState {
    /// A filesystem holding only `/`, owned by `root_owner`, mode 0755.
    pub fn new(limits: Limits, now: Timestamp, root_uid: u32, root_gid: u32) -> Self {
        let root = Node {
            mode: 0o755,
            uid: root_uid,
            gid: root_gid,
            nlink: 2,
            ro: false,
            atime: now,
            mtime: now,
            ctime: now,
            kind: Kind::Dir {
                entries: Default::default(),
                parent: ROOT_INO,
            },
        };
        let mut nodes = PVec::new();
        nodes.push_back(None);
        nodes.push_back(Some(root));
        FsState {
            nodes,
            free: Vector::new(),
            orphans: OrdSet::new(),
            open: PMap::new(),
            ro_roots: OrdSet::new(),
            usage: Usage {
                bytes: 0,
                inodes: 1,
                open_handles: 0,
            },
            limits,
        }
    }

    /// A copy for a fork: unlinked-but-open inodes belong to the original's handles, so
    /// the fork drops them, and starts with nothing open.
    pub fn forked(&self) -> Self {
        let mut f = self.clone();
        f.open = PMap::new();
        f.usage.open_handles = 0;
        let orphans = std::mem::take(&mut f.orphans);
        for ino in orphans {
            f.release(ino);
        }
        f
    }

    pub fn node(&self, ino: Ino) -> Option<&Node> {
        let i = usize::try_from(ino).ok()?;
        self.nodes.get(i)?.as_ref()
    }

    /// The slot for `ino`: `None` past the end of the table, `Some(None)` if free.
    pub fn slot(&self, ino: Ino) -> Option<Option<&Node>> {
        let i = usize::try_from(ino).ok()?;
        self.nodes.get(i).map(Option::as_ref)
    }

    /// True if something holds `ino` open.
    pub fn is_open(&self, ino: Ino) -> bool {
        self.open.contains_key(&ino)
    }

    /// The node, or `ENOENT` for a stale number.
    pub fn get(&self, ino: Ino) -> Result<&Node, Errno> {
        self.node(ino).ok_or(Errno::NoEntry)
    }

    /// The node for writing, copied first if a snapshot shares it.
    pub fn get_mut(&mut self, ino: Ino) -> Result<&mut Node, Errno> {
        let i = usize::try_from(ino).map_err(|_| Errno::NoEntry)?;
        let slot = self.nodes.get_mut(i).ok_or(Errno::NoEntry)?;
        slot.as_mut().ok_or(Errno::NoEntry)
    }

    /// Store a new node, charging it against the inode and byte limits.
    pub fn alloc(&mut self, node: Node) -> Result<Ino, Errno> {
        if self.usage.inodes >= self.limits.max_inodes {
            return Err(Errno::NoSpace);
        }
        let bytes = node.charged_bytes();
        if bytes > self.limits.max_bytes.saturating_sub(self.usage.bytes) {
            return Err(Errno::NoSpace);
        }
        let node = Some(node);
        let reuse = if self.free.len() > REUSE_AFTER {
            self.free.pop_front()
        } else {
            None
        };
        let ino = match reuse {
            Some(ino) => {
                let i = usize::try_from(ino).map_err(|_| Errno::NoSpace)?;
                if let Some(slot) = self.nodes.get_mut(i) {
                    *slot = node;
                }
                ino
            }
            None => {
                let ino = self.nodes.len() as Ino;
                self.nodes.push_back(node);
                ino
            }
        };
        self.usage.inodes += 1;
        self.usage.bytes += bytes;
        Ok(ino)
    }

    /// Free an inode's slot and its space.
    fn release(&mut self, ino: Ino) {
        let Ok(i) = usize::try_from(ino) else { return };
        if let Some(slot) = self.nodes.get_mut(i)
            && let Some(node) = slot.take()
        {
            self.usage.inodes -= 1;
            self.usage.bytes -= node.charged_bytes();
            self.free.push_back(ino);
        }
    }

    /// Called when a node's link count may have reached zero: free it now, or when the
    /// last open reference goes.
    pub fn maybe_release(&mut self, ino: Ino) {
        let Some(node) = self.node(ino) else { return };
        if node.nlink > 0 {
            return;
        }
        if self.open.contains_key(&ino) {
            self.orphans.insert(ino);
        } else {
            self.release(ino);
        }
    }

    /// Take an open reference on `ino`.
    pub fn hold(&mut self, ino: Ino) {
        *self.open.entry(ino).or_insert(0) += 1;
    }

    /// Drop an open reference; frees an unlinked inode when it was the last.
    pub fn unhold(&mut self, ino: Ino) {
        let last = match self.open.get_mut(&ino) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => true,
            None => return,
        };
        if last {
            self.open.remove(&ino);
            if self.orphans.remove(&ino).is_some() {
                self.release(ino);
            }
        }
    }

    /// Change the bytes charged for a node by `old -> new`, failing with `ENOSPC` if the
    /// growth does not fit.
    pub fn charge(&mut self, old: u64, new: u64) -> Result<(), Errno> {
        if new > old {
            let grow = new - old;
            if grow > self.limits.max_bytes.saturating_sub(self.usage.bytes) {
                return Err(Errno::NoSpace);
            }
            self.usage.bytes += grow;
        } else {
            self.usage.bytes -= old - new;
        }
        Ok(())
    }

    /// Depth of a directory below `/` (`/` is 0).
    pub fn depth(&self, mut dir: Ino) -> u32 {
        let mut d = 0u32;
        while dir != ROOT_INO {
            match self.node(dir).map(|n| &n.kind) {
                Some(Kind::Dir { parent, .. }) if *parent != dir => {
                    dir = *parent;
                    d = d.saturating_add(1);
                }
                _ => break,
            }
        }
        d
    }
}

//! Snapshots and diffs.
//!
//! A [`Snapshot`] is the whole filesystem frozen at one moment, made in O(1) by cloning the
//! persistent state. [`diff`] lists what changed between two of them.

use std::path::PathBuf;
use std::sync::Arc;

use crate::node::{Cred, Ino, Kind, ROOT_INO};
use crate::state::FsState;
use crate::time::Clock;
use crate::vfs::{Vfs, path_of};

/// A frozen copy of a filesystem.
#[derive(Clone)]
pub struct Snapshot {
    state: FsState,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("usage", &self.state.usage)
            .finish()
    }
}

impl Snapshot {
    pub(crate) fn new(state: FsState, clock: Arc<dyn Clock>) -> Self {
        Snapshot { state, clock }
    }

    /// A new, writable filesystem starting from this snapshot (O(1)), seen as root from `/`.
    pub fn fork(&self) -> Vfs {
        Vfs::from_state(
            self.state.forked(),
            Arc::clone(&self.clock),
            Cred::root(),
            0o022,
        )
    }

    /// Usage at the time of the snapshot.
    pub fn usage(&self) -> crate::Usage {
        self.state.usage
    }
}

/// How a path differs between two snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Only in the newer snapshot.
    Added,
    /// Only in the older snapshot.
    Removed,
    /// In both, with a different type, content, target, mode, owner or (for files) mtime.
    Modified,
}

/// One changed path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Absolute path.
    pub path: PathBuf,
    /// What happened to it.
    pub kind: ChangeKind,
}

fn node_changed(a: &FsState, b: &FsState, ia: Ino, ib: Ino) -> bool {
    let (Some(na), Some(nb)) = (a.node(ia), b.node(ib)) else {
        return true;
    };
    if na.mode != nb.mode || na.uid != nb.uid || na.gid != nb.gid {
        return true;
    }
    match (&na.kind, &nb.kind) {
        (Kind::File { data: da, size: sa }, Kind::File { data: db, size: sb }) => {
            let same_bytes = da.as_ptr() == db.as_ptr() && da.len() == db.len();
            sa != sb || (!same_bytes && da != db) || na.mtime != nb.mtime
        }
        (Kind::Symlink(ta), Kind::Symlink(tb)) => ta != tb,
        (Kind::Dir { .. }, Kind::Dir { .. }) => false,
        _ => true,
    }
}

fn entries(st: &FsState, dir: Ino) -> Vec<(Vec<u8>, Ino)> {
    match st.node(dir).map(|n| &n.kind) {
        Some(Kind::Dir { entries, .. }) => entries
            .iter()
            .map(|(n, &i)| (n.as_bytes().to_vec(), i))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_dir(st: &FsState, ino: Ino) -> bool {
    st.node(ino).is_some_and(|n| n.is_dir())
}

/// Record `ino` at `path` and everything under it as `kind`.
fn whole_subtree(st: &FsState, ino: Ino, path: Vec<u8>, kind: ChangeKind, out: &mut Vec<Change>) {
    let mut stack = vec![(ino, path)];
    while let Some((ino, path)) = stack.pop() {
        for (name, child) in entries(st, ino) {
            let mut p = path.clone();
            p.push(b'/');
            p.extend_from_slice(&name);
            stack.push((child, p));
        }
        out.push(Change {
            path: path_of(&path),
            kind,
        });
    }
}

/// Paths added, removed and modified from `old` to `new`, sorted by path.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let (a, b) = (&old.state, &new.state);
    let mut out = Vec::new();
    let mut stack: Vec<(Ino, Ino, Vec<u8>)> = vec![(ROOT_INO, ROOT_INO, Vec::new())];
    while let Some((da, db, path)) = stack.pop() {
        let ea = entries(a, da);
        let eb = entries(b, db);
        let (mut i, mut j) = (0, 0);
        while i < ea.len() || j < eb.len() {
            let ord = match (ea.get(i), eb.get(j)) {
                (Some(x), Some(y)) => x.0.cmp(&y.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let name = match ord {
                std::cmp::Ordering::Less => &ea[i].0,
                _ => &eb[j].0,
            };
            let mut p = path.clone();
            p.push(b'/');
            p.extend_from_slice(name);
            match ord {
                std::cmp::Ordering::Less => {
                    whole_subtree(a, ea[i].1, p, ChangeKind::Removed, &mut out);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    whole_subtree(b, eb[j].1, p, ChangeKind::Added, &mut out);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let (ia, ib) = (ea[i].1, eb[j].1);
                    let (dir_a, dir_b) = (is_dir(a, ia), is_dir(b, ib));
                    if dir_a && dir_b {
                        if node_changed(a, b, ia, ib) {
                            out.push(Change {
                                path: path_of(&p),
                                kind: ChangeKind::Modified,
                            });
                        }
                        stack.push((ia, ib, p));
                    } else if dir_a || dir_b {
                        whole_subtree(a, ia, p.clone(), ChangeKind::Removed, &mut out);
                        whole_subtree(b, ib, p, ChangeKind::Added, &mut out);
                    } else if node_changed(a, b, ia, ib) {
                        out.push(Change {
                            path: path_of(&p),
                            kind: ChangeKind::Modified,
                        });
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
    }
    out.sort();
    out
}

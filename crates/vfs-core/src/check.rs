//! `fsck`: the structural invariants of a filesystem, checked from scratch. Tests and the
//! fuzzer run it after every operation sequence; a violation is a bug in this crate.

use std::collections::HashMap;

use crate::node::{Ino, Kind, ROOT_INO};
use crate::state::FsState;
use crate::vfs::Vfs;

impl FsState {
    fn fsck(&self) -> Result<(), String> {
        let mut refs: HashMap<Ino, u32> = HashMap::new();
        let mut subdirs: HashMap<Ino, u32> = HashMap::new();
        let mut live = 0u64;
        let mut bytes = 0u64;
        let mut ino = 0u64;
        while let Some(slot) = self.slot(ino) {
            if let Some(n) = slot {
                live += 1;
                bytes += n.charged_bytes();
                if let Kind::File { data, size } = &n.kind
                    && data.len() as u64 > *size
                {
                    return Err(format!("inode {ino}: data longer than size"));
                }
                if let Kind::Dir { entries, parent } = &n.kind {
                    if n.nlink > 0 && ino != ROOT_INO {
                        match self.node(*parent).map(|p| &p.kind) {
                            Some(Kind::Dir { entries: pe, .. }) => {
                                if !pe.values().any(|&c| c == ino) {
                                    return Err(format!(
                                        "dir {ino} not listed in its parent {parent}"
                                    ));
                                }
                            }
                            _ => {
                                return Err(format!(
                                    "dir {ino} has a parent {parent} that is not a directory"
                                ));
                            }
                        }
                    }
                    for (name, &child) in entries.iter() {
                        let b = name.as_bytes();
                        if b.is_empty()
                            || b.contains(&b'/')
                            || b.contains(&0)
                            || b == b"."
                            || b == b".."
                        {
                            return Err(format!("dir {ino} holds a bad name {name:?}"));
                        }
                        let Some(c) = self.node(child) else {
                            return Err(format!(
                                "dir {ino} entry {name:?} points to a free inode {child}"
                            ));
                        };
                        if n.ro && !c.ro {
                            return Err(format!(
                                "dir {ino} is read-only but its entry {name:?} is not"
                            ));
                        }
                        *refs.entry(child).or_insert(0) += 1;
                        if let Kind::Dir { parent, .. } = &c.kind {
                            if *parent != ino {
                                return Err(format!(
                                    "dir {child} under {ino} says its parent is {parent}"
                                ));
                            }
                            *subdirs.entry(ino).or_insert(0) += 1;
                        }
                    }
                }
            }
            ino += 1;
        }
        let mut ino = 0u64;
        while let Some(slot) = self.slot(ino) {
            if let Some(n) = slot {
                let r = refs.get(&ino).copied().unwrap_or(0);
                let want = match &n.kind {
                    Kind::Dir { .. } if n.nlink == 0 => 0,
                    Kind::Dir { .. } => 2 + subdirs.get(&ino).copied().unwrap_or(0),
                    _ => r,
                };
                if n.nlink != want {
                    return Err(format!(
                        "inode {ino}: nlink {} but {want} expected",
                        n.nlink
                    ));
                }
                if n.is_dir() && ino != ROOT_INO && n.nlink > 0 && r != 1 {
                    return Err(format!("dir {ino} has {r} names"));
                }
                if n.nlink == 0 && !self.is_open(ino) {
                    return Err(format!(
                        "inode {ino} has no links and is not open, yet not freed"
                    ));
                }
            }
            ino += 1;
        }
        if live != self.usage.inodes {
            return Err(format!(
                "usage.inodes {} but {live} live",
                self.usage.inodes
            ));
        }
        if bytes != self.usage.bytes {
            return Err(format!(
                "usage.bytes {} but {bytes} charged",
                self.usage.bytes
            ));
        }
        Ok(())
    }
}

impl Vfs {
    /// Check the filesystem's internal invariants (link counts, parent links, usage
    /// accounting, freed inodes). For tests and fuzzing; an `Err` is a bug in vfs-core.
    pub fn fsck(&self) -> Result<(), String> {
        self.with_state(|st, _| st.fsck())
    }
}

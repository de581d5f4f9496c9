//! Path resolution: the one routine every operation uses, walking one component at a
//! time as Linux's `link_path_walk` does.
//!
//! - An absolute path starts at `/`, a relative one at the working directory.
//! - Repeated slashes collapse; `.` stays; `..` goes to the parent, and at `/` stays at `/`.
//! - Every directory passed through needs search (x) permission (`EACCES`), and every
//!   intermediate component must be a directory (`ENOTDIR`) or a symlink to one.
//! - Symlinks are followed with a budget of 40 per lookup (`ELOOP` at the 41st); a
//!   relative target resolves from the symlink's directory, an absolute one from `/`.
//! - The last component is returned unresolved ([`Parent`]) so each operation can apply its
//!   own rules (follow or not, create, `.`/`..` errors); a trailing slash is remembered and
//!   forces the last component to be a directory, following a final symlink even for lstat.

use crate::error::Errno;
use crate::node::{Access, Ino, Kind, Name, ROOT_INO, permitted};
use crate::state::{Ctx, FsState};

/// Linux's `MAXSYMLINKS`.
pub const MAX_SYMLINKS: u32 = 40;
/// Linux's `NAME_MAX`.
pub const NAME_MAX: usize = 255;
/// Linux's `PATH_MAX`, the terminating NUL included.
pub const PATH_MAX: usize = 4096;

/// The last component of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Last<'p> {
    /// A name to look up.
    Name(&'p [u8]),
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// The path was only slashes.
    Root,
}

/// A path resolved up to its last component.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Parent<'p> {
    /// The directory holding the last component.
    pub dir: Ino,
    pub last: Last<'p>,
    /// The path ended in `/`.
    pub trailing: bool,
}

/// Check a path as the kernel's `getname` does: empty is `ENOENT`, too long is
/// `ENAMETOOLONG`, and an embedded NUL (which no C path can hold) is `EINVAL`.
pub(crate) fn check_path(path: &[u8]) -> Result<(), Errno> {
    if path.is_empty() {
        return Err(Errno::NoEntry);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::NameTooLong);
    }
    if path.contains(&0) {
        return Err(Errno::Invalid);
    }
    Ok(())
}

impl FsState {
    /// The directory a path starts from.
    fn start(&self, ctx: &Ctx<'_>, path: &[u8]) -> Result<Ino, Errno> {
        if path.first() == Some(&b'/') {
            return Ok(ROOT_INO);
        }
        match self.node(ctx.cwd) {
            Some(n) if n.is_dir() => Ok(ctx.cwd),
            _ => Err(Errno::NoEntry),
        }
    }

    /// The parent of a directory (`..`); `/` is its own parent.
    pub(crate) fn parent_of(&self, dir: Ino) -> Result<Ino, Errno> {
        match &self.get(dir)?.kind {
            Kind::Dir { parent, .. } => {
                // A removed directory keeps its old parent; it may be gone too.
                if self.node(*parent).is_some_and(|p| p.is_dir()) {
                    Ok(*parent)
                } else {
                    Err(Errno::NoEntry)
                }
            }
            _ => Err(Errno::NotDirectory),
        }
    }

    /// Look `name` up in directory `dir` (search permission already checked).
    pub(crate) fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Errno> {
        match &self.get(dir)?.kind {
            Kind::Dir { entries, .. } => {
                if let Some(ino) = entries.get(&Name::from(name)) {
                    return Ok(*ino);
                }
                if name.len() > NAME_MAX {
                    return Err(Errno::NameTooLong);
                }
                Err(Errno::NoEntry)
            }
            _ => Err(Errno::NotDirectory),
        }
    }

    /// Walk all but the last component of `path`, starting at `ctx.cwd` (or `/`).
    pub(crate) fn walk_parent<'p>(
        &self,
        ctx: &Ctx<'_>,
        path: &'p [u8],
        links: &mut u32,
    ) -> Result<Parent<'p>, Errno> {
        let start = self.start(ctx, path)?;
        self.walk_parent_from(ctx, start, path, links)
    }

    fn walk_parent_from<'p>(
        &self,
        ctx: &Ctx<'_>,
        start: Ino,
        path: &'p [u8],
        links: &mut u32,
    ) -> Result<Parent<'p>, Errno> {
        let mut cur = if path.first() == Some(&b'/') {
            ROOT_INO
        } else {
            start
        };
        let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
        if end == 0 {
            if path.is_empty() {
                return Err(Errno::NoEntry);
            }
            return Ok(Parent {
                dir: ROOT_INO,
                last: Last::Root,
                trailing: false,
            });
        }
        let trailing = end < path.len();
        let trimmed = &path[..end];
        let last_start = trimmed
            .iter()
            .rposition(|&b| b == b'/')
            .map_or(0, |i| i + 1);
        let mut node = self.get(cur)?;
        for comp in trimmed[..last_start].split(|&b| b == b'/') {
            if comp.is_empty() {
                continue;
            }
            let Kind::Dir { entries, parent } = &node.kind else {
                return Err(Errno::NotDirectory);
            };
            if !permitted(node, ctx.cred, Access::EXEC) {
                return Err(Errno::Access);
            }
            cur = match comp {
                b"." => continue,
                b".." => {
                    let p = *parent;
                    if cur != ROOT_INO && !self.node(p).is_some_and(|n| n.is_dir()) {
                        return Err(Errno::NoEntry);
                    }
                    p
                }
                name => {
                    let child = match entries.get(&Name::from(name)) {
                        Some(c) => *c,
                        None if name.len() > NAME_MAX => return Err(Errno::NameTooLong),
                        None => return Err(Errno::NoEntry),
                    };
                    let child_node = self.get(child)?;
                    match &child_node.kind {
                        Kind::Dir { .. } => {
                            cur = child;
                            node = child_node;
                            continue;
                        }
                        Kind::File { .. } => return Err(Errno::NotDirectory),
                        Kind::Symlink(target) => {
                            *links += 1;
                            if *links > MAX_SYMLINKS {
                                return Err(Errno::Loop);
                            }
                            let t = self.resolve_from(ctx, cur, target, true, links)?;
                            if !self.get(t)?.is_dir() {
                                return Err(Errno::NotDirectory);
                            }
                            t
                        }
                    }
                }
            };
            node = self.get(cur)?;
        }
        if !node.is_dir() {
            return Err(Errno::NotDirectory);
        }
        if !permitted(node, ctx.cred, Access::EXEC) {
            return Err(Errno::Access);
        }
        let last = match &trimmed[last_start..] {
            b"." => Last::Dot,
            b".." => Last::DotDot,
            name => Last::Name(name),
        };
        Ok(Parent {
            dir: cur,
            last,
            trailing,
        })
    }

    /// Resolve the last component of a walked path. `follow` follows a final symlink;
    /// a trailing slash always does, and then demands a directory.
    pub(crate) fn finish(
        &self,
        ctx: &Ctx<'_>,
        p: &Parent<'_>,
        follow: bool,
        links: &mut u32,
    ) -> Result<Ino, Errno> {
        match p.last {
            Last::Root => Ok(ROOT_INO),
            Last::Dot => Ok(p.dir),
            Last::DotDot => self.parent_of(p.dir),
            Last::Name(name) => {
                let child = self.lookup(p.dir, name)?;
                let node = self.get(child)?;
                let ino = match &node.kind {
                    Kind::Symlink(target) if follow || p.trailing => {
                        *links += 1;
                        if *links > MAX_SYMLINKS {
                            return Err(Errno::Loop);
                        }
                        self.resolve_from(ctx, p.dir, target, true, links)?
                    }
                    _ => child,
                };
                if p.trailing && !self.get(ino)?.is_dir() {
                    return Err(Errno::NotDirectory);
                }
                Ok(ino)
            }
        }
    }

    fn resolve_from(
        &self,
        ctx: &Ctx<'_>,
        start: Ino,
        path: &[u8],
        follow: bool,
        links: &mut u32,
    ) -> Result<Ino, Errno> {
        if path.is_empty() {
            return Err(Errno::NoEntry);
        }
        let p = self.walk_parent_from(ctx, start, path, links)?;
        self.finish(ctx, &p, follow, links)
    }

    /// Resolve a whole path to an inode.
    pub(crate) fn resolve(&self, ctx: &Ctx<'_>, path: &[u8], follow: bool) -> Result<Ino, Errno> {
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        self.finish(ctx, &p, follow, &mut links)
    }

    /// Follow a symlink target from `dir` as a path of its own, returning where it leads
    /// up to its last component (for creating through a dangling symlink).
    pub(crate) fn walk_target<'t>(
        &self,
        ctx: &Ctx<'_>,
        dir: Ino,
        target: &'t [u8],
        links: &mut u32,
    ) -> Result<Parent<'t>, Errno> {
        if target.is_empty() {
            return Err(Errno::NoEntry);
        }
        self.walk_parent_from(ctx, dir, target, links)
    }

    /// The absolute path of a directory, from its parent links.
    pub(crate) fn dir_path(&self, mut dir: Ino) -> Result<Vec<u8>, Errno> {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut guard = 0usize;
        while dir != ROOT_INO {
            let node = self.get(dir)?;
            if node.nlink == 0 {
                return Err(Errno::NoEntry);
            }
            let parent = self.parent_of(dir)?;
            let name = self.name_in(parent, dir).ok_or(Errno::NoEntry)?;
            parts.push(name);
            dir = parent;
            guard += 1;
            if guard > 1 << 20 {
                return Err(Errno::Loop);
            }
        }
        if parts.is_empty() {
            return Ok(b"/".to_vec());
        }
        let mut out = Vec::new();
        for part in parts.iter().rev() {
            out.push(b'/');
            out.extend_from_slice(part);
        }
        Ok(out)
    }

    /// The name under which `dir` lists `child` (the first, for a file with many links).
    pub(crate) fn name_in(&self, dir: Ino, child: Ino) -> Option<&[u8]> {
        match &self.node(dir)?.kind {
            Kind::Dir { entries, .. } => entries
                .iter()
                .find(|(_, ino)| **ino == child)
                .map(|(name, _)| name.as_bytes()),
            _ => None,
        }
    }
}

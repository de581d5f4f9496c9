//! Path operations on [`FsState`], each one atomic (the caller holds the lock) and each
//! checking in the order Linux does, so that when several things are wrong the error is
//! the one the kernel would give.

use bytes::Bytes;

use crate::error::Errno;
use crate::node::{
    Access, Cred, FileType, Ino, Kind, Metadata, Name, Node, ROOT_INO, S_ISGID, S_ISUID, S_ISVTX,
    permitted,
};
use crate::resolve::{Last, PATH_MAX};
use crate::state::{Ctx, FsState};
use crate::time::Timestamp;

/// How `utimes` sets one timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetTime {
    /// Leave it (`UTIME_OMIT`).
    Omit,
    /// The current time (`UTIME_NOW`).
    Now,
    /// This time.
    At(Timestamp),
}

/// One directory entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name.
    pub name: Name,
    /// Its inode number.
    pub ino: Ino,
    /// Its type (of the entry itself; symlinks are not followed).
    pub file_type: FileType,
}

impl DirEntry {
    /// The name as bytes.
    pub fn name_bytes(&self) -> &[u8] {
        self.name.as_bytes()
    }

    /// The name as an `OsStr`.
    pub fn file_name(&self) -> &std::ffi::OsStr {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(self.name.as_bytes())
    }
}

fn check_sticky(dir: &Node, victim: &Node, cred: &Cred) -> Result<(), Errno> {
    if dir.mode & S_ISVTX == 0 || cred.is_root() || victim.uid == cred.uid || dir.uid == cred.uid {
        Ok(())
    } else {
        Err(Errno::Perm)
    }
}

impl FsState {
    /// `may_create`: the directory is alive and writable and searchable.
    fn may_create(&self, ctx: &Ctx<'_>, dir: Ino) -> Result<(), Errno> {
        let d = self.get(dir)?;
        if d.nlink == 0 {
            return Err(Errno::NoEntry);
        }
        self.want_write(dir)?;
        if !permitted(d, ctx.cred, Access::WRITE.union(Access::EXEC)) {
            return Err(Errno::Access);
        }
        Ok(())
    }

    /// `may_delete`: permission, sticky bit, and type checks for removing `victim` from `dir`.
    fn may_delete(
        &self,
        ctx: &Ctx<'_>,
        dir: Ino,
        victim: Ino,
        want_dir: bool,
    ) -> Result<(), Errno> {
        self.want_write(dir)?;
        let d = self.get(dir)?;
        let v = self.get(victim)?;
        if !permitted(d, ctx.cred, Access::WRITE.union(Access::EXEC)) {
            return Err(Errno::Access);
        }
        check_sticky(d, v, ctx.cred)?;
        if want_dir {
            if !v.is_dir() {
                return Err(Errno::NotDirectory);
            }
            if victim == ROOT_INO {
                return Err(Errno::Busy);
            }
        } else if v.is_dir() {
            return Err(Errno::IsDirectory);
        }
        // The mount point of a read-only subtree (`is_local_mountpoint`).
        if self.is_ro_root(victim) {
            return Err(Errno::Busy);
        }
        Ok(())
    }

    /// The depth limit for a new entry in `dir`.
    fn check_depth(&self, dir: Ino, extra: u32) -> Result<(), Errno> {
        if self.limits.max_depth == u32::MAX {
            return Ok(());
        }
        if self.depth(dir).saturating_add(1).saturating_add(extra) > self.limits.max_depth {
            return Err(Errno::NameTooLong);
        }
        Ok(())
    }

    fn new_node(&self, ctx: &Ctx<'_>, dir: Ino, mode: u32, kind: Kind) -> Result<Node, Errno> {
        let d = self.get(dir)?;
        let is_dir = matches!(kind, Kind::Dir { .. });
        let mut mode = mode & 0o7777;
        let gid = if d.mode & S_ISGID != 0 {
            if is_dir {
                mode |= S_ISGID;
            }
            d.gid
        } else {
            ctx.cred.gid
        };
        Ok(Node {
            mode,
            uid: ctx.cred.uid,
            gid,
            nlink: if is_dir { 2 } else { 1 },
            ro: false,
            atime: ctx.now,
            mtime: ctx.now,
            ctime: ctx.now,
            kind,
        })
    }

    /// Add `name -> ino` to `dir`, touching the directory's times.
    fn insert_entry(
        &mut self,
        ctx: &Ctx<'_>,
        dir: Ino,
        name: &[u8],
        ino: Ino,
    ) -> Result<(), Errno> {
        let d = self.get_mut(dir)?;
        if let Kind::Dir { entries, .. } = &mut d.kind {
            entries.insert(Name::from(name), ino);
        }
        d.mtime = ctx.now;
        d.ctime = ctx.now;
        Ok(())
    }

    fn remove_entry(&mut self, ctx: &Ctx<'_>, dir: Ino, name: &[u8]) -> Result<(), Errno> {
        let d = self.get_mut(dir)?;
        if let Kind::Dir { entries, .. } = &mut d.kind {
            entries.remove(&Name::from(name));
        }
        d.mtime = ctx.now;
        d.ctime = ctx.now;
        Ok(())
    }

    /// Create a node named by the last component of a walked path (mkdir, symlink, link,
    /// and open with O_CREAT use it). `dir` must already have passed `may_create`.
    fn create_in(
        &mut self,
        ctx: &Ctx<'_>,
        dir: Ino,
        name: &[u8],
        node: Node,
    ) -> Result<Ino, Errno> {
        let is_dir = node.is_dir();
        let ino = self.alloc(node)?;
        self.insert_entry(ctx, dir, name, ino)?;
        if is_dir {
            self.get_mut(dir)?.nlink += 1;
        }
        Ok(ino)
    }

    /// The name to create for `filename_create`: `.`/`..`/`/` exist already, an existing
    /// entry is `EEXIST`, and a trailing slash on a new non-directory is `ENOENT`.
    fn create_name<'p>(
        &self,
        dir: Ino,
        last: Last<'p>,
        trailing: bool,
        want_dir: bool,
    ) -> Result<&'p [u8], Errno> {
        let Last::Name(name) = last else {
            return Err(Errno::Exist);
        };
        match self.lookup(dir, name) {
            Ok(_) => Err(Errno::Exist),
            Err(Errno::NoEntry) => {
                if trailing && !want_dir {
                    Err(Errno::NoEntry)
                } else {
                    Ok(name)
                }
            }
            Err(e) => Err(e),
        }
    }

    pub(crate) fn stat(&self, ctx: &Ctx<'_>, path: &[u8], follow: bool) -> Result<Metadata, Errno> {
        let ino = self.resolve(ctx, path, follow)?;
        Ok(self.get(ino)?.metadata(ino))
    }

    pub(crate) fn mkdir(&mut self, ctx: &Ctx<'_>, path: &[u8], mode: u32) -> Result<Ino, Errno> {
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        let name = self.create_name(p.dir, p.last, p.trailing, true)?;
        self.want_write(p.dir)?;
        self.may_create(ctx, p.dir)?;
        self.check_depth(p.dir, 0)?;
        let mode = mode & (0o777 | S_ISVTX) & !ctx.umask;
        let node = self.new_node(
            ctx,
            p.dir,
            mode,
            Kind::Dir {
                entries: Default::default(),
                parent: p.dir,
            },
        )?;
        self.create_in(ctx, p.dir, name, node)
    }

    pub(crate) fn rmdir(&mut self, ctx: &Ctx<'_>, path: &[u8]) -> Result<(), Errno> {
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        let name = match p.last {
            Last::Name(n) => n,
            Last::Dot => return Err(Errno::Invalid),
            Last::DotDot => return Err(Errno::NotEmpty),
            Last::Root => return Err(Errno::Busy),
        };
        self.want_write(p.dir)?;
        let victim = self.lookup(p.dir, name)?;
        self.may_delete(ctx, p.dir, victim, true)?;
        if let Kind::Dir { entries, .. } = &self.get(victim)?.kind
            && !entries.is_empty()
        {
            return Err(Errno::NotEmpty);
        }
        self.remove_entry(ctx, p.dir, name)?;
        self.get_mut(p.dir)?.nlink -= 1;
        let v = self.get_mut(victim)?;
        v.nlink = 0;
        v.ctime = ctx.now;
        self.maybe_release(victim);
        Ok(())
    }

    pub(crate) fn unlink(&mut self, ctx: &Ctx<'_>, path: &[u8]) -> Result<(), Errno> {
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        let Last::Name(name) = p.last else {
            return Err(Errno::IsDirectory);
        };
        self.want_write(p.dir)?;
        let victim = self.lookup(p.dir, name)?;
        if p.trailing {
            return Err(if self.get(victim)?.is_dir() {
                Errno::IsDirectory
            } else {
                Errno::NotDirectory
            });
        }
        self.may_delete(ctx, p.dir, victim, false)?;
        self.remove_entry(ctx, p.dir, name)?;
        let v = self.get_mut(victim)?;
        v.nlink -= 1;
        v.ctime = ctx.now;
        self.maybe_release(victim);
        Ok(())
    }

    pub(crate) fn symlink(
        &mut self,
        ctx: &Ctx<'_>,
        target: &[u8],
        path: &[u8],
    ) -> Result<Ino, Errno> {
        if target.is_empty() {
            return Err(Errno::NoEntry);
        }
        if target.len() >= PATH_MAX {
            return Err(Errno::NameTooLong);
        }
        if target.contains(&0) {
            return Err(Errno::Invalid);
        }
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        let name = self.create_name(p.dir, p.last, p.trailing, false)?;
        self.want_write(p.dir)?;
        self.may_create(ctx, p.dir)?;
        self.check_depth(p.dir, 0)?;
        let node = self.new_node(ctx, p.dir, 0o777, Kind::Symlink(target.into()))?;
        self.create_in(ctx, p.dir, name, node)
    }

    pub(crate) fn readlink(&self, ctx: &Ctx<'_>, path: &[u8]) -> Result<Vec<u8>, Errno> {
        let ino = self.resolve(ctx, path, false)?;
        match &self.get(ino)?.kind {
            Kind::Symlink(t) => Ok(t.to_vec()),
            _ => Err(Errno::Invalid),
        }
    }

    pub(crate) fn link(
        &mut self,
        ctx: &Ctx<'_>,
        old: &[u8],
        new: &[u8],
        follow: bool,
    ) -> Result<(), Errno> {
        let src = self.resolve(ctx, old, follow)?;
        let mut links = 0;
        let p = self.walk_parent(ctx, new, &mut links)?;
        let name = self.create_name(p.dir, p.last, p.trailing, false)?;
        self.want_write(p.dir)?;
        // A node of a read-only subtree cannot get a name outside it (across a mount).
        if self.is_ro(src) {
            return Err(Errno::CrossesDevices);
        }
        let s = self.get(src)?;
        // fs.protected_hardlinks: an ordinary user links only files they own or could
        // read and write, and never set-id executables of others.
        if !ctx.cred.is_root() && s.uid != ctx.cred.uid {
            let safe = s.file_type() == FileType::File
                && s.mode & S_ISUID == 0
                && !(s.mode & S_ISGID != 0 && s.mode & 0o010 != 0)
                && permitted(s, ctx.cred, Access::READ.union(Access::WRITE));
            if !safe {
                return Err(Errno::Perm);
            }
        }
        self.may_create(ctx, p.dir)?;
        let s = self.get(src)?;
        if s.is_dir() {
            return Err(Errno::Perm);
        }
        if s.nlink == 0 {
            return Err(Errno::NoEntry);
        }
        if s.nlink == u32::MAX {
            return Err(Errno::TooManyLinks);
        }
        self.check_depth(p.dir, 0)?;
        self.insert_entry(ctx, p.dir, name, src)?;
        let s = self.get_mut(src)?;
        s.nlink += 1;
        s.ctime = ctx.now;
        Ok(())
    }

    /// True if `anc` is `ino` or one of its ancestors.
    fn is_ancestor(&self, anc: Ino, mut ino: Ino) -> bool {
        let mut guard = 0usize;
        loop {
            if ino == anc {
                return true;
            }
            if ino == ROOT_INO || guard > 1 << 20 {
                return false;
            }
            match self.node(ino).map(|n| &n.kind) {
                Some(Kind::Dir { parent, .. }) => ino = *parent,
                _ => return false,
            }
            guard += 1;
        }
    }

    /// Height of the directory tree under `dir` (0 for an empty one).
    fn height(&self, dir: Ino) -> u32 {
        let mut max = 0;
        let mut stack = vec![(dir, 0u32)];
        while let Some((d, h)) = stack.pop() {
            max = max.max(h);
            if let Some(Kind::Dir { entries, .. }) = self.node(d).map(|n| &n.kind) {
                for (_, &c) in entries.iter() {
                    if self.node(c).is_some_and(|n| n.is_dir()) {
                        stack.push((c, h + 1));
                    }
                }
            }
        }
        max
    }

    pub(crate) fn rename(&mut self, ctx: &Ctx<'_>, old: &[u8], new: &[u8]) -> Result<(), Errno> {
        let mut links = 0;
        let op = self.walk_parent(ctx, old, &mut links)?;
        let mut links = 0;
        let np = self.walk_parent(ctx, new, &mut links)?;
        // Across the boundary of a read-only subtree, as across mounts.
        if self.is_ro(op.dir) != self.is_ro(np.dir) {
            return Err(Errno::CrossesDevices);
        }
        let Last::Name(old_name) = op.last else {
            return Err(Errno::Busy);
        };
        let Last::Name(new_name) = np.last else {
            return Err(Errno::Busy);
        };
        self.want_write(op.dir)?;
        let src = self.lookup(op.dir, old_name)?;
        let src_is_dir = self.get(src)?.is_dir();
        if !src_is_dir && (op.trailing || np.trailing) {
            return Err(Errno::NotDirectory);
        }
        // Source must not be an ancestor of the target's directory.
        if src_is_dir && self.is_ancestor(src, np.dir) {
            return Err(Errno::Invalid);
        }
        let dst = match self.lookup(np.dir, new_name) {
            Ok(d) => Some(d),
            Err(Errno::NoEntry) => None,
            Err(e) => return Err(e),
        };
        if let Some(d) = dst {
            // Target must not be an ancestor of the source.
            if self.get(d)?.is_dir() && d != src && self.is_ancestor(d, op.dir) {
                return Err(Errno::NotEmpty);
            }
            if d == src {
                return Ok(());
            }
        }
        self.may_delete(ctx, op.dir, src, src_is_dir)?;
        match dst {
            None => self.may_create(ctx, np.dir)?,
            Some(d) => self.may_delete(ctx, np.dir, d, src_is_dir)?,
        }
        if src_is_dir && op.dir != np.dir && !permitted(self.get(src)?, ctx.cred, Access::WRITE) {
            return Err(Errno::Access);
        }
        if let Some(d) = dst
            && let Kind::Dir { entries, .. } = &self.get(d)?.kind
            && !entries.is_empty()
        {
            return Err(Errno::NotEmpty);
        }
        if op.dir != np.dir || dst.is_none() {
            let extra = if src_is_dir { self.height(src) } else { 0 };
            self.check_depth(np.dir, extra)?;
        }
        // All checks passed: change the tree.
        self.remove_entry(ctx, op.dir, old_name)?;
        if let Some(d) = dst {
            let dn = self.get_mut(d)?;
            if dn.is_dir() {
                dn.nlink = 0;
            } else {
                dn.nlink -= 1;
            }
            dn.ctime = ctx.now;
            if src_is_dir {
                self.get_mut(np.dir)?.nlink -= 1;
            }
        }
        self.insert_entry(ctx, np.dir, new_name, src)?;
        if src_is_dir && op.dir != np.dir {
            self.get_mut(op.dir)?.nlink -= 1;
            self.get_mut(np.dir)?.nlink += 1;
        }
        let s = self.get_mut(src)?;
        s.ctime = ctx.now;
        if let Kind::Dir { parent, .. } = &mut s.kind {
            *parent = np.dir;
        }
        if let Some(d) = dst {
            self.maybe_release(d);
        }
        Ok(())
    }

    pub(crate) fn chmod(&mut self, ctx: &Ctx<'_>, path: &[u8], mode: u32) -> Result<(), Errno> {
        let ino = self.resolve(ctx, path, true)?;
        self.chmod_ino(ctx, ino, mode)
    }

    pub(crate) fn chmod_ino(&mut self, ctx: &Ctx<'_>, ino: Ino, mode: u32) -> Result<(), Errno> {
        self.want_write(ino)?;
        let n = self.get(ino)?;
        if !ctx.cred.is_root() && n.uid != ctx.cred.uid {
            return Err(Errno::Perm);
        }
        let mut mode = mode & 0o7777;
        if !ctx.cred.is_root() && !ctx.cred.in_group(n.gid) {
            mode &= !S_ISGID;
        }
        let n = self.get_mut(ino)?;
        n.mode = mode;
        n.ctime = ctx.now;
        Ok(())
    }

    pub(crate) fn chown(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[u8],
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> Result<(), Errno> {
        let ino = self.resolve(ctx, path, follow)?;
        self.want_write(ino)?;
        let n = self.get(ino)?;
        if !ctx.cred.is_root() {
            let uid_ok = uid.is_none_or(|u| u == n.uid);
            let gid_ok =
                gid.is_none_or(|g| g == n.gid || (n.uid == ctx.cred.uid && ctx.cred.in_group(g)));
            if !uid_ok
                || !gid_ok
                || (n.uid != ctx.cred.uid && (uid.is_some() || gid.is_some_and(|g| g != n.gid)))
            {
                return Err(Errno::Perm);
            }
        }
        let n = self.get_mut(ino)?;
        if let Some(u) = uid {
            n.uid = u;
        }
        if let Some(g) = gid {
            n.gid = g;
        }
        if (uid.is_some() || gid.is_some()) && !n.is_dir() && !matches!(n.kind, Kind::Symlink(_)) {
            n.mode &= !S_ISUID;
            if n.mode & 0o010 != 0 {
                n.mode &= !S_ISGID;
            }
        }
        n.ctime = ctx.now;
        Ok(())
    }

    pub(crate) fn utimes(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[u8],
        atime: SetTime,
        mtime: SetTime,
        follow: bool,
    ) -> Result<(), Errno> {
        let ino = self.resolve(ctx, path, follow)?;
        self.utimes_ino(ctx, ino, atime, mtime)
    }

    pub(crate) fn utimes_ino(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        atime: SetTime,
        mtime: SetTime,
    ) -> Result<(), Errno> {
        if atime == SetTime::Omit && mtime == SetTime::Omit {
            self.get(ino)?;
            return Ok(());
        }
        self.want_write(ino)?;
        let n = self.get(ino)?;
        let owner = ctx.cred.is_root() || n.uid == ctx.cred.uid;
        let explicit = matches!(atime, SetTime::At(_)) || matches!(mtime, SetTime::At(_));
        if !owner {
            if explicit {
                return Err(Errno::Perm);
            }
            if !permitted(n, ctx.cred, Access::WRITE) {
                return Err(Errno::Access);
            }
        }
        let n = self.get_mut(ino)?;
        match atime {
            SetTime::Omit => {}
            SetTime::Now => n.atime = ctx.now,
            SetTime::At(t) => n.atime = t,
        }
        match mtime {
            SetTime::Omit => {}
            SetTime::Now => n.mtime = ctx.now,
            SetTime::At(t) => n.mtime = t,
        }
        n.ctime = ctx.now;
        Ok(())
    }

    pub(crate) fn access(
        &self,
        ctx: &Ctx<'_>,
        path: &[u8],
        mode: Access,
        follow: bool,
    ) -> Result<(), Errno> {
        if mode.0 & !7 != 0 {
            return Err(Errno::Invalid);
        }
        let ino = self.resolve(ctx, path, follow)?;
        if mode.0 != 0 && !permitted(self.get(ino)?, ctx.cred, mode) {
            return Err(Errno::Access);
        }
        // "SuS v2 requires we report a read only fs too" (do_faccessat).
        if mode.0 & Access::WRITE.0 != 0 {
            self.want_write(ino)?;
        }
        Ok(())
    }

    pub(crate) fn readdir_ino(&self, ino: Ino) -> Result<Vec<DirEntry>, Errno> {
        match &self.get(ino)?.kind {
            Kind::Dir { entries, .. } => Ok(entries
                .iter()
                .map(|(name, &ino)| DirEntry {
                    name: name.clone(),
                    ino,
                    file_type: self.node(ino).map_or(FileType::File, |n| n.file_type()),
                })
                .collect()),
            _ => Err(Errno::NotDirectory),
        }
    }

    /// Open a directory for reading, as `opendir` does.
    pub(crate) fn opendir(&self, ctx: &Ctx<'_>, path: &[u8]) -> Result<Ino, Errno> {
        let ino = self.resolve(ctx, path, true)?;
        let n = self.get(ino)?;
        if !n.is_dir() {
            return Err(Errno::NotDirectory);
        }
        if !permitted(n, ctx.cred, Access::READ) {
            return Err(Errno::Access);
        }
        Ok(ino)
    }

    /// `realpath(3)` as glibc computes it: from the working directory's path, component
    /// by component, `..` removing the last resolved component, each new prefix checked
    /// with `lstat` and symlinks spliced in (40 at most). A non-directory followed by
    /// anything (even a slash) is `ENOTDIR`.
    pub(crate) fn realpath(&self, ctx: &Ctx<'_>, path: &[u8]) -> Result<Vec<u8>, Errno> {
        let mut result: Vec<u8> = if path.first() == Some(&b'/') {
            b"/".to_vec()
        } else {
            self.dir_path(ctx.cwd)?
        };
        let mut pending: std::collections::VecDeque<Vec<u8>> =
            path.split(|&b| b == b'/').map(<[u8]>::to_vec).collect();
        if path.first() == Some(&b'/') {
            pending.pop_front();
        }
        let mut links = 0u32;
        while let Some(comp) = pending.pop_front() {
            match comp.as_slice() {
                b"" | b"." => continue,
                b".." => {
                    if let Some(i) = result.iter().rposition(|&b| b == b'/') {
                        result.truncate(i.max(1));
                    }
                    continue;
                }
                _ => {}
            }
            let mut candidate = result.clone();
            if candidate.last() != Some(&b'/') {
                candidate.push(b'/');
            }
            candidate.extend_from_slice(&comp);
            let ino = self.resolve(ctx, &candidate, false)?;
            match &self.get(ino)?.kind {
                Kind::Symlink(target) => {
                    links += 1;
                    if links > crate::resolve::MAX_SYMLINKS {
                        return Err(Errno::Loop);
                    }
                    let mut pieces: Vec<Vec<u8>> =
                        target.split(|&b| b == b'/').map(<[u8]>::to_vec).collect();
                    if target.first() == Some(&b'/') {
                        result = b"/".to_vec();
                        pieces.remove(0);
                    }
                    for piece in pieces.into_iter().rev() {
                        pending.push_front(piece);
                    }
                }
                Kind::Dir { .. } => result = candidate,
                Kind::File { .. } => {
                    if !pending.is_empty() {
                        return Err(Errno::NotDirectory);
                    }
                    result = candidate;
                }
            }
        }
        Ok(result)
    }

    pub(crate) fn truncate(&mut self, ctx: &Ctx<'_>, path: &[u8], len: u64) -> Result<(), Errno> {
        let ino = self.resolve(ctx, path, true)?;
        let n = self.get(ino)?;
        if n.is_dir() {
            return Err(Errno::IsDirectory);
        }
        self.want_write(ino)?;
        if !permitted(n, ctx.cred, Access::WRITE) {
            return Err(Errno::Access);
        }
        self.set_len(ctx, ino, len, false)
    }

    /// Resize a regular file; `always_touch` is ftruncate's rule (times change even when
    /// the size does not).
    pub(crate) fn set_len(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        len: u64,
        always_touch: bool,
    ) -> Result<(), Errno> {
        self.want_write(ino)?;
        if len > i64::MAX as u64 {
            return Err(Errno::Invalid);
        }
        if len > self.limits.max_file_size {
            return Err(Errno::FileTooBig);
        }
        let n = self.get(ino)?;
        let Kind::File { data, size } = &n.kind else {
            return Err(if n.is_dir() {
                Errno::IsDirectory
            } else {
                Errno::Invalid
            });
        };
        let old_size = *size;
        let old_len = data.len() as u64;
        let new_len = old_len.min(len);
        self.charge(old_len, new_len)?;
        let n = self.get_mut(ino)?;
        if let Kind::File { data, size } = &mut n.kind {
            if new_len == 0 {
                *data = Bytes::new();
            } else {
                data.truncate(new_len as usize);
            }
            *size = len;
        }
        if always_touch || old_size != len {
            n.mtime = ctx.now;
            n.ctime = ctx.now;
        }
        Ok(())
    }
}

impl FsState {
    /// `rm -rf` on one path: a symlink or file is unlinked; a directory is emptied depth
    /// first and removed. Stops at the first error (what was removed stays removed).
    pub(crate) fn remove_all(&mut self, ctx: &Ctx<'_>, path: &[u8]) -> Result<(), Errno> {
        let ino = self.resolve(ctx, path, false)?;
        if !self.get(ino)?.is_dir() {
            return self.unlink(ctx, path);
        }
        // Empty the tree iteratively: (dir) stack, removing leaves as they are found.
        let mut stack = vec![ino];
        while let Some(&dir) = stack.last() {
            // unlinkat takes write access before it checks permission.
            self.want_write(dir)?;
            if !permitted(self.get(dir)?, ctx.cred, Access::WRITE.union(Access::EXEC)) {
                return Err(Errno::Access);
            }
            let next = match &self.get(dir)?.kind {
                Kind::Dir { entries, .. } => entries.iter().next().map(|(n, &i)| (n.clone(), i)),
                _ => None,
            };
            match next {
                None => {
                    stack.pop();
                    if stack.is_empty() {
                        break;
                    }
                    let parent = *stack.last().ok_or(Errno::Io)?;
                    let name = self.name_in(parent, dir).ok_or(Errno::NoEntry)?.to_vec();
                    self.remove_child(ctx, parent, &name, dir)?;
                }
                Some((name, child)) => {
                    if self.get(child)?.is_dir() {
                        stack.push(child);
                    } else {
                        self.remove_child(ctx, dir, name.as_bytes(), child)?;
                    }
                }
            }
        }
        self.rmdir(ctx, path)
    }

    /// Remove entry `name` (inode `child`) from `dir`, with `may_delete`'s checks.
    fn remove_child(
        &mut self,
        ctx: &Ctx<'_>,
        dir: Ino,
        name: &[u8],
        child: Ino,
    ) -> Result<(), Errno> {
        let is_dir = self.get(child)?.is_dir();
        self.may_delete(ctx, dir, child, is_dir)?;
        self.remove_entry(ctx, dir, name)?;
        if is_dir {
            self.get_mut(dir)?.nlink -= 1;
        }
        let c = self.get_mut(child)?;
        if is_dir {
            c.nlink = 0;
        } else {
            c.nlink -= 1;
        }
        c.ctime = ctx.now;
        self.maybe_release(child);
        Ok(())
    }
}

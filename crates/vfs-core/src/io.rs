//! Opening files and moving bytes: `open` with its flags, and reads and writes by inode.

use bytes::{Bytes, BytesMut};

use crate::error::Errno;
use crate::node::{Access, Ino, Kind, permitted};
use crate::resolve::{Last, MAX_SYMLINKS, Parent};
use crate::state::{Ctx, FsState};
use crate::time::Timestamp;

/// Flags for [`crate::Vfs::open`], as `open(2)`'s `O_*` flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    /// Open for reading.
    pub read: bool,
    /// Open for writing.
    pub write: bool,
    /// `O_APPEND` (implies write).
    pub append: bool,
    /// `O_CREAT`.
    pub create: bool,
    /// `O_EXCL` (with `create`).
    pub exclusive: bool,
    /// `O_TRUNC`.
    pub truncate: bool,
    /// `O_DIRECTORY`.
    pub directory: bool,
    /// `O_NOFOLLOW`.
    pub nofollow: bool,
    /// Permission bits for a file created (before the umask).
    pub mode: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            create: false,
            exclusive: false,
            truncate: false,
            directory: false,
            nofollow: false,
            mode: 0o666,
        }
    }
}

impl OpenOptions {
    /// No flags: `O_RDONLY`.
    pub fn new() -> Self {
        OpenOptions::default()
    }
    /// `O_RDONLY`.
    pub fn read_only() -> Self {
        OpenOptions::new().read(true)
    }
    /// `O_WRONLY|O_CREAT|O_TRUNC`, what `>` does.
    pub fn create_truncate() -> Self {
        OpenOptions::new().write(true).create(true).truncate(true)
    }
    /// `O_WRONLY|O_CREAT|O_APPEND`, what `>>` does.
    pub fn create_append() -> Self {
        OpenOptions::new().append(true).create(true)
    }
    /// Set read.
    pub fn read(mut self, v: bool) -> Self {
        self.read = v;
        self
    }
    /// Set write.
    pub fn write(mut self, v: bool) -> Self {
        self.write = v;
        self
    }
    /// Set append.
    pub fn append(mut self, v: bool) -> Self {
        self.append = v;
        self
    }
    /// Set create.
    pub fn create(mut self, v: bool) -> Self {
        self.create = v;
        self
    }
    /// Set create and exclusive (`O_CREAT|O_EXCL`).
    pub fn create_new(mut self, v: bool) -> Self {
        self.create = v;
        self.exclusive = v;
        self
    }
    /// Set truncate.
    pub fn truncate(mut self, v: bool) -> Self {
        self.truncate = v;
        self
    }
    /// Set directory.
    pub fn directory(mut self, v: bool) -> Self {
        self.directory = v;
        self
    }
    /// Set nofollow.
    pub fn nofollow(mut self, v: bool) -> Self {
        self.nofollow = v;
        self
    }
    /// Set the creation mode.
    pub fn mode(mut self, mode: u32) -> Self {
        self.mode = mode;
        self
    }
    /// True if the handle may write.
    pub fn writes(&self) -> bool {
        self.write || self.append
    }
    /// True if the handle may read: explicitly, or because nothing else was asked (`O_RDONLY` is 0).
    pub fn reads(&self) -> bool {
        self.read || !self.writes()
    }
}

/// Linux's relatime: update atime only if it is not newer than mtime or ctime, or a day old.
fn relatime_due(atime: Timestamp, mtime: Timestamp, ctime: Timestamp, now: Timestamp) -> bool {
    atime <= mtime || atime <= ctime || now.sec.saturating_sub(atime.sec) >= 24 * 3600
}

impl FsState {
    /// `open(2)`: returns the inode and whether it was created.
    pub(crate) fn open(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[u8],
        opts: &OpenOptions,
    ) -> Result<(Ino, bool), Errno> {
        if opts.create && opts.directory {
            return Err(Errno::Invalid);
        }
        let mut links = 0;
        let p = self.walk_parent(ctx, path, &mut links)?;
        let (ino, created) = self.open_last(ctx, p, opts, &mut links)?;
        if created {
            return Ok((ino, true));
        }
        if opts.create && opts.exclusive {
            return Err(Errno::Exist);
        }
        let n = self.get(ino)?;
        if opts.create && n.is_dir() {
            return Err(Errno::IsDirectory);
        }
        if opts.directory && !n.is_dir() {
            return Err(Errno::NotDirectory);
        }
        if matches!(n.kind, Kind::Symlink(_)) {
            return Err(Errno::Loop);
        }
        let wants_write = opts.writes() || opts.truncate;
        if n.is_dir() && wants_write {
            return Err(Errno::IsDirectory);
        }
        // do_open: O_TRUNC takes write access before may_open checks permission.
        if opts.truncate && matches!(n.kind, Kind::File { .. }) {
            self.want_write(ino)?;
        }
        let mut want = Access::EXISTS;
        if opts.reads() {
            want = want.union(Access::READ);
        }
        if wants_write {
            want = want.union(Access::WRITE);
        }
        if !permitted(n, ctx.cred, want) {
            return Err(Errno::Access);
        }
        if wants_write {
            self.want_write(ino)?;
        }
        if opts.truncate && matches!(n.kind, Kind::File { .. }) {
            self.set_len(ctx, ino, 0, true)?;
        }
        Ok((ino, false))
    }

    fn open_last(
        &mut self,
        ctx: &Ctx<'_>,
        p: Parent<'_>,
        opts: &OpenOptions,
        links: &mut u32,
    ) -> Result<(Ino, bool), Errno> {
        if !opts.create {
            let ino = self.finish(ctx, &p, !opts.nofollow, links)?;
            return Ok((ino, false));
        }
        let Last::Name(name) = p.last else {
            // `.`, `..`, `/`: do_open decides (EEXIST with O_EXCL, else EISDIR).
            let ino = self.finish(ctx, &p, true, links)?;
            return Ok((ino, false));
        };
        if p.trailing {
            return Err(Errno::IsDirectory);
        }
        match self.lookup(p.dir, name) {
            Ok(child) => {
                if opts.exclusive {
                    return Err(Errno::Exist);
                }
                if let Kind::Symlink(target) = &self.get(child)?.kind
                    && !opts.nofollow
                {
                    *links += 1;
                    if *links > MAX_SYMLINKS {
                        return Err(Errno::Loop);
                    }
                    let target = target.to_vec();
                    let tp = self.walk_target(ctx, p.dir, &target, links)?;
                    return self.open_last(ctx, tp, opts, links);
                }
                Ok((child, false))
            }
            Err(Errno::NoEntry) => {
                let d = self.get(p.dir)?;
                if d.nlink == 0 {
                    return Err(Errno::NoEntry);
                }
                self.want_write(p.dir)?;
                if !permitted(d, ctx.cred, Access::WRITE.union(Access::EXEC)) {
                    return Err(Errno::Access);
                }
                if self.limits.max_depth != u32::MAX
                    && self.depth(p.dir).saturating_add(1) > self.limits.max_depth
                {
                    return Err(Errno::NameTooLong);
                }
                let node = self.file_node(ctx, p.dir, opts.mode & !ctx.umask & 0o7777)?;
                let ino = self.alloc(node)?;
                let d = self.get_mut(p.dir)?;
                if let Kind::Dir { entries, .. } = &mut d.kind {
                    entries.insert(name.into(), ino);
                }
                d.mtime = ctx.now;
                d.ctime = ctx.now;
                Ok((ino, true))
            }
            Err(e) => Err(e),
        }
    }

    fn file_node(&self, ctx: &Ctx<'_>, dir: Ino, mode: u32) -> Result<crate::node::Node, Errno> {
        let d = self.get(dir)?;
        let gid = if d.mode & crate::node::S_ISGID != 0 {
            d.gid
        } else {
            ctx.cred.gid
        };
        Ok(crate::node::Node {
            mode,
            uid: ctx.cred.uid,
            gid,
            nlink: 1,
            ro: false,
            atime: ctx.now,
            mtime: ctx.now,
            ctime: ctx.now,
            kind: Kind::File {
                data: Bytes::new(),
                size: 0,
            },
        })
    }

    /// Read from a regular file at `off`.
    pub(crate) fn read_at(&self, ino: Ino, off: u64, buf: &mut [u8]) -> Result<usize, Errno> {
        match &self.get(ino)?.kind {
            Kind::File { data, size } => {
                if off >= *size {
                    return Ok(0);
                }
                let n = (buf.len() as u64).min(size - off) as usize;
                let dlen = data.len() as u64;
                let from_data = if off < dlen {
                    let k = (dlen - off).min(n as u64) as usize;
                    let o = off as usize;
                    buf[..k].copy_from_slice(&data[o..o + k]);
                    k
                } else {
                    0
                };
                buf[from_data..n].fill(0);
                Ok(n)
            }
            Kind::Dir { .. } => Err(Errno::IsDirectory),
            Kind::Symlink(_) => Err(Errno::Invalid),
        }
    }

    /// Read up to `max` bytes of a regular file at `off`, shared with the file (not
    /// copied) where they lie in its stored data; errors as [`FsState::read_at`].
    pub(crate) fn read_shared(&self, ino: Ino, off: u64, max: usize) -> Result<Bytes, Errno> {
        match &self.get(ino)?.kind {
            Kind::File { data, size } => {
                if off >= *size {
                    return Ok(Bytes::new());
                }
                let n = (max as u64).min(size - off) as usize;
                let o = off as usize;
                if off + n as u64 <= data.len() as u64 {
                    return Ok(data.slice(o..o + n));
                }
                // The range reaches into a trailing hole: copy, and fill with zeros.
                let mut v = vec![0u8; n];
                let k = read_from(data, off, &mut v);
                debug_assert!(k <= n);
                Ok(Bytes::from(v))
            }
            Kind::Dir { .. } => Err(Errno::IsDirectory),
            Kind::Symlink(_) => Err(Errno::Invalid),
        }
    }

    /// The whole content of a regular file, shared with the file where possible.
    pub(crate) fn contents(&self, ino: Ino) -> Result<Bytes, Errno> {
        match &self.get(ino)?.kind {
            Kind::File { data, size } => {
                if data.len() as u64 == *size {
                    Ok(data.clone())
                } else {
                    let mut v = BytesMut::with_capacity(*size as usize);
                    v.extend_from_slice(data);
                    v.resize(*size as usize, 0);
                    Ok(v.freeze())
                }
            }
            Kind::Dir { .. } => Err(Errno::IsDirectory),
            Kind::Symlink(_) => Err(Errno::Invalid),
        }
    }

    /// Note a read for atime (relatime rules).
    pub(crate) fn atime_due(&self, ino: Ino, now: Timestamp) -> bool {
        self.node(ino)
            .is_some_and(|n| relatime_due(n.atime, n.mtime, n.ctime, now))
    }

    /// Set atime to `now` if relatime says so.
    pub(crate) fn touch_atime(&mut self, ino: Ino, now: Timestamp) {
        if !self.is_ro(ino)
            && self.atime_due(ino, now)
            && let Ok(n) = self.get_mut(ino)
        {
            n.atime = now;
        }
    }

    /// Write `buf` at `off` (or at the end, for `append`); all or nothing against the limits.
    /// Returns the bytes written and the offset after them.
    pub(crate) fn write_at(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        off: u64,
        buf: &[u8],
        append: bool,
    ) -> Result<(usize, u64), Errno> {
        self.write_impl(ctx, ino, off, buf, None, append)
    }

    /// [`FsState::write_at`] of shared bytes: into an empty file, the file keeps `buf`
    /// itself (no copy); otherwise they are copied as by `write_at`.
    pub(crate) fn write_shared_at(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        off: u64,
        buf: &Bytes,
        append: bool,
    ) -> Result<(usize, u64), Errno> {
        self.write_impl(ctx, ino, off, buf, Some(buf), append)
    }

    fn write_impl(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        off: u64,
        buf: &[u8],
        shared: Option<&Bytes>,
        append: bool,
    ) -> Result<(usize, u64), Errno> {
        self.want_write(ino)?;
        let (dlen, size) = match &self.get(ino)?.kind {
            Kind::File { data, size } => (data.len() as u64, *size),
            Kind::Dir { .. } => return Err(Errno::IsDirectory),
            Kind::Symlink(_) => return Err(Errno::Invalid),
        };
        let off = if append { size } else { off };
        if buf.is_empty() {
            return Ok((0, off));
        }
        let end = off.checked_add(buf.len() as u64).ok_or(Errno::FileTooBig)?;
        if end > self.limits.max_file_size || end > i64::MAX as u64 {
            return Err(Errno::FileTooBig);
        }
        let new_dlen = dlen.max(end);
        self.charge(dlen, new_dlen)?;
        let node = self.get_mut(ino)?;
        if let Kind::File { data, size } = &mut node.kind {
            if let Some(b) = shared
                && data.is_empty()
                && off == 0
            {
                // Nothing stored before the write: take the bytes as they are.
                *data = b.clone();
                *size = (*size).max(end);
            } else {
                write_into(data, off, end, new_dlen, buf);
                *size = (*size).max(end);
            }
        }
        node.mtime = ctx.now;
        node.ctime = ctx.now;
        if !ctx.cred.is_root() {
            node.mode &= !crate::node::S_ISUID;
            if node.mode & 0o010 != 0 {
                node.mode &= !crate::node::S_ISGID;
            }
        }
        Ok((buf.len(), end))
    }

    /// Replace a file's whole content with `data` (shared, not copied).
    pub(crate) fn replace_contents(
        &mut self,
        ctx: &Ctx<'_>,
        ino: Ino,
        data: Bytes,
    ) -> Result<(), Errno> {
        self.want_write(ino)?;
        let old = match &self.get(ino)?.kind {
            Kind::File { data, .. } => data.len() as u64,
            Kind::Dir { .. } => return Err(Errno::IsDirectory),
            Kind::Symlink(_) => return Err(Errno::Invalid),
        };
        let len = data.len() as u64;
        if len > self.limits.max_file_size {
            return Err(Errno::FileTooBig);
        }
        self.charge(old, len)?;
        let node = self.get_mut(ino)?;
        if let Kind::File { data: d, size } = &mut node.kind {
            *d = data;
            *size = len;
        }
        node.mtime = ctx.now;
        node.ctime = ctx.now;
        Ok(())
    }
}

impl FsState {
    /// Resolve a path as `open(O_RDONLY)` would for reading its content.
    pub(crate) fn open_read(&self, ctx: &Ctx<'_>, path: &[u8]) -> Result<Ino, Errno> {
        let ino = self.resolve(ctx, path, true)?;
        let n = self.get(ino)?;
        if !permitted(n, ctx.cred, Access::READ) {
            return Err(Errno::Access);
        }
        if n.is_dir() {
            return Err(Errno::IsDirectory);
        }
        Ok(ino)
    }

    /// `std::fs::copy`: content (shared) and permission bits; returns the size.
    pub(crate) fn copy_file(
        &mut self,
        ctx: &Ctx<'_>,
        from: &[u8],
        to: &[u8],
    ) -> Result<u64, Errno> {
        let src = self.open_read(ctx, from)?;
        let (data, mode) = match &self.get(src)?.kind {
            Kind::File { .. } => (self.contents(src)?, self.get(src)?.mode),
            _ => return Err(Errno::Invalid),
        };
        let opts = OpenOptions::new().write(true).create(true).mode(mode);
        let (dst, _) = self.open(ctx, to, &opts)?;
        if dst == src {
            return Ok(data.len() as u64);
        }
        let len = data.len() as u64;
        self.replace_contents(ctx, dst, data)?;
        self.chmod_ino(ctx, dst, mode)?;
        Ok(len)
    }
}

/// Copy what `data` holds at `off` into `buf` (no more than it holds); the count copied.
fn read_from(data: &Bytes, off: u64, buf: &mut [u8]) -> usize {
    let dlen = data.len() as u64;
    if off >= dlen {
        return 0;
    }
    let k = (dlen - off).min(buf.len() as u64) as usize;
    let o = off as usize;
    buf[..k].copy_from_slice(&data[o..o + k]);
    k
}

/// Write `buf` into `data` at `off` (ending at `end`), in place when `data` is not shared;
/// `new_dlen` is the stored length after the write.
fn write_into(data: &mut Bytes, off: u64, end: u64, new_dlen: u64, buf: &[u8]) {
    let old = std::mem::take(data);
    let mut v = match old.try_into_mut() {
        Ok(v) => v,
        Err(shared) => {
            let mut v = BytesMut::with_capacity(new_dlen as usize);
            v.extend_from_slice(&shared);
            v
        }
    };
    let (off, endu) = (off as usize, end as usize);
    if off > v.len() {
        // A hole before the write reads as zeros.
        v.resize(off, 0);
    }
    // Overwrite what exists, append the rest (no zero-fill of appended bytes).
    let overlap = v.len().min(endu) - off;
    v[off..off + overlap].copy_from_slice(&buf[..overlap]);
    v.extend_from_slice(&buf[overlap..]);
    *data = v.freeze();
}

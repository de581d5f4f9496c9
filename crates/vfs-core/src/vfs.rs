//! The public, shareable filesystem: [`Vfs`].
//!
//! A `Vfs` is a cheap handle (an `Arc` to the shared state) plus the caller's own
//! working directory, credentials and umask, like a process's view of a mounted
//! filesystem. Clones share the filesystem and may `set_cwd` independently. Every
//! mutation takes the one write lock once, so it is atomic.

use bytes::Bytes;
use parking_lot::RwLock;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Errno, Error, Result};
use crate::handle::Handle;
use crate::io::OpenOptions;
use crate::limits::{Limits, Usage};
use crate::node::{Access, Cred, Ino, Metadata, ROOT_INO};
use crate::ops::{DirEntry, SetTime};
use crate::resolve::check_path;
use crate::state::{Ctx, FsState};
use crate::time::{Clock, SystemClock, Timestamp};

pub(crate) struct Shared {
    pub state: RwLock<FsState>,
    pub clock: Arc<dyn Clock>,
}

/// Builds a [`Vfs`].
#[derive(Debug)]
pub struct VfsBuilder {
    limits: Limits,
    clock: Arc<dyn Clock>,
    cred: Cred,
    umask: u32,
}

impl Default for VfsBuilder {
    fn default() -> Self {
        VfsBuilder {
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            cred: Cred::root(),
            umask: 0o022,
        }
    }
}

impl VfsBuilder {
    /// Limits for the new filesystem.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The clock timestamps come from.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
    /// Credentials of the first view (root by default). `/` is owned by root either way.
    pub fn cred(mut self, cred: Cred) -> Self {
        self.cred = cred;
        self
    }
    /// The umask of the first view (0o022 by default).
    pub fn umask(mut self, umask: u32) -> Self {
        self.umask = umask & 0o777;
        self
    }
    /// Make the filesystem: just `/`, mode 0755, owned by root.
    pub fn build(self) -> Vfs {
        let now = self.clock.now();
        let mut state = FsState::new(self.limits, now, 0, 0);
        state.hold(ROOT_INO);
        Vfs {
            shared: Arc::new(Shared {
                state: RwLock::new(state),
                clock: self.clock,
            }),
            cwd: ROOT_INO,
            cred: self.cred,
            umask: self.umask,
        }
    }
}

/// An in-memory filesystem, seen from one working directory with one set of credentials.
pub struct Vfs {
    pub(crate) shared: Arc<Shared>,
    cwd: Ino,
    cred: Cred,
    umask: u32,
}

impl std::fmt::Debug for Vfs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vfs")
            .field("cwd", &self.cwd)
            .field("cred", &self.cred)
            .field("umask", &self.umask)
            .finish_non_exhaustive()
    }
}

impl Clone for Vfs {
    /// Another view of the same filesystem, starting in the same directory.
    fn clone(&self) -> Self {
        self.shared.state.write().hold(self.cwd);
        Vfs {
            shared: Arc::clone(&self.shared),
            cwd: self.cwd,
            cred: self.cred.clone(),
            umask: self.umask,
        }
    }
}

impl Drop for Vfs {
    fn drop(&mut self) {
        self.shared.state.write().unhold(self.cwd);
    }
}

impl Default for Vfs {
    fn default() -> Self {
        Vfs::new()
    }
}

pub(crate) fn bytes_of(p: &Path) -> &[u8] {
    p.as_os_str().as_bytes()
}

pub(crate) fn path_of(b: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(b))
}

impl Vfs {
    /// An empty filesystem with default limits, the system clock, as root.
    pub fn new() -> Self {
        VfsBuilder::default().build()
    }

    /// Configure a new filesystem.
    pub fn builder() -> VfsBuilder {
        VfsBuilder::default()
    }

    /// The context of a read-only call: the clock is not read (it is not needed).
    fn read_ctx(&self) -> Ctx<'_> {
        Ctx {
            cwd: self.cwd,
            cred: &self.cred,
            umask: self.umask,
            now: Timestamp::EPOCH,
        }
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            cwd: self.cwd,
            cred: &self.cred,
            umask: self.umask,
            now: self.shared.clock.now(),
        }
    }

    /// Run a read-only operation on `path`.
    fn read_op<T>(
        &self,
        path: &Path,
        f: impl FnOnce(&FsState, &Ctx<'_>, &[u8]) -> Result<T, Errno>,
    ) -> Result<T> {
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        let ctx = self.read_ctx();
        let st = self.shared.state.read();
        f(&st, &ctx, p).map_err(|e| Error::with_path(e, path))
    }

    /// Run a mutation on `path` under the write lock.
    fn write_op<T>(
        &self,
        path: &Path,
        f: impl FnOnce(&mut FsState, &Ctx<'_>, &[u8]) -> Result<T, Errno>,
    ) -> Result<T> {
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        f(&mut st, &ctx, p).map_err(|e| Error::with_path(e, path))
    }

    fn write_op2<T>(
        &self,
        a: &Path,
        b: &Path,
        f: impl FnOnce(&mut FsState, &Ctx<'_>, &[u8], &[u8]) -> Result<T, Errno>,
    ) -> Result<T> {
        let (pa, pb) = (bytes_of(a), bytes_of(b));
        let err = |e| Error::with_paths(e, a, b);
        check_path(pa).map_err(err)?;
        check_path(pb).map_err(err)?;
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        f(&mut st, &ctx, pa, pb).map_err(err)
    }

    // ----- views -------------------------------------------------------------------------

    /// The credentials access checks use.
    pub fn cred(&self) -> &Cred {
        &self.cred
    }

    /// Act as `cred` from now on (this view only).
    pub fn set_cred(&mut self, cred: Cred) {
        self.cred = cred;
    }

    /// The umask applied to new files and directories.
    pub fn umask(&self) -> u32 {
        self.umask
    }

    /// Set the umask (this view only); returns the old one.
    pub fn set_umask(&mut self, umask: u32) -> u32 {
        std::mem::replace(&mut self.umask, umask & 0o777)
    }

    /// The clock this filesystem stamps times with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.shared.clock
    }

    /// The current time by this filesystem's clock.
    pub fn now(&self) -> Timestamp {
        self.shared.clock.now()
    }

    /// Change the working directory (`chdir`): needs a searchable directory.
    pub fn set_cwd(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        let ino = st
            .resolve(&ctx, p, true)
            .and_then(|ino| {
                let n = st.get(ino)?;
                if !n.is_dir() {
                    return Err(Errno::NotDirectory);
                }
                if !crate::node::permitted(n, &self.cred, Access::EXEC) {
                    return Err(Errno::Access);
                }
                Ok(ino)
            })
            .map_err(|e| Error::with_path(e, path))?;
        st.hold(ino);
        st.unhold(self.cwd);
        drop(st);
        self.cwd = ino;
        Ok(())
    }

    /// The working directory's absolute path (`getcwd`); `ENOENT` once it was removed.
    pub fn cwd(&self) -> Result<PathBuf> {
        let st = self.shared.state.read();
        st.dir_path(self.cwd)
            .map(|b| path_of(&b))
            .map_err(Error::new)
    }

    // ----- metadata ----------------------------------------------------------------------

    /// `stat`: follows symlinks.
    pub fn stat(&self, path: impl AsRef<Path>) -> Result<Metadata> {
        self.read_op(path.as_ref(), |st, ctx, p| st.stat(ctx, p, true))
    }

    /// `lstat`: does not follow a final symlink (a trailing slash still does).
    pub fn lstat(&self, path: impl AsRef<Path>) -> Result<Metadata> {
        self.read_op(path.as_ref(), |st, ctx, p| st.stat(ctx, p, false))
    }

    /// True if `path` resolves (following symlinks); false on any error.
    pub fn exists(&self, path: impl AsRef<Path>) -> bool {
        self.stat(path).is_ok()
    }

    /// `access(2)`: check `mode` (R/W/X, or EXISTS) for this view's credentials.
    pub fn access(&self, path: impl AsRef<Path>, mode: Access) -> Result<()> {
        self.read_op(path.as_ref(), |st, ctx, p| st.access(ctx, p, mode, true))
    }

    /// `chmod`: set permission bits (following symlinks).
    pub fn chmod(&self, path: impl AsRef<Path>, mode: u32) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| st.chmod(ctx, p, mode))
    }

    /// `chown`/`lchown`: change owner and/or group (`None` keeps it).
    pub fn chown(
        &self,
        path: impl AsRef<Path>,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| {
            st.chown(ctx, p, uid, gid, follow)
        })
    }

    /// `utimensat`: set access and modification times; ctime becomes now.
    pub fn utimes(
        &self,
        path: impl AsRef<Path>,
        atime: SetTime,
        mtime: SetTime,
        follow: bool,
    ) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| {
            st.utimes(ctx, p, atime, mtime, follow)
        })
    }

    // ----- directories -------------------------------------------------------------------

    /// `mkdir`: mode is masked by the umask.
    pub fn mkdir(&self, path: impl AsRef<Path>, mode: u32) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| {
            st.mkdir(ctx, p, mode).map(|_| ())
        })
    }

    /// `mkdir -p`: create every missing directory; existing directories (or symlinks to
    /// them) are fine, anything else in the way is `EEXIST`/`ENOTDIR`.
    pub fn create_dir_all(&self, path: impl AsRef<Path>, mode: u32) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| {
            let mut prefixes = Vec::new();
            let mut i = 0;
            while i < p.len() {
                while i < p.len() && p[i] == b'/' {
                    i += 1;
                }
                if i >= p.len() {
                    break;
                }
                while i < p.len() && p[i] != b'/' {
                    i += 1;
                }
                prefixes.push(&p[..i]);
            }
            let last = prefixes.len().saturating_sub(1);
            for (i, pre) in prefixes.into_iter().enumerate() {
                match st.mkdir(ctx, pre, mode) {
                    Ok(_) => {}
                    Err(Errno::Exist) => {
                        let ino = st.resolve(ctx, pre, true)?;
                        if !st.get(ino)?.is_dir() {
                            // As the kernel says for the next mkdir: ENOTDIR below a file.
                            return Err(if i == last {
                                Errno::Exist
                            } else {
                                Errno::NotDirectory
                            });
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        })
    }

    /// `rmdir`.
    pub fn rmdir(&self, path: impl AsRef<Path>) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| st.rmdir(ctx, p))
    }

    /// The entries of a directory in name order (without `.` and `..`).
    pub fn read_dir(&self, path: impl AsRef<Path>) -> Result<Vec<DirEntry>> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        let ctx = self.ctx();
        let (ino, entries, due) = {
            let st = self.shared.state.read();
            let r = st
                .opendir(&ctx, p)
                .and_then(|ino| Ok((ino, st.readdir_ino(ino)?)));
            let (ino, entries) = r.map_err(|e| Error::with_path(e, path))?;
            (ino, entries, st.atime_due(ino, ctx.now))
        };
        if due {
            self.shared.state.write().touch_atime(ino, ctx.now);
        }
        Ok(entries)
    }

    /// Remove a file, symlink or whole directory tree (symlinks are removed, not followed).
    pub fn remove_all(&self, path: impl AsRef<Path>) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| st.remove_all(ctx, p))
    }

    // ----- names -------------------------------------------------------------------------

    /// `unlink`.
    pub fn unlink(&self, path: impl AsRef<Path>) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| st.unlink(ctx, p))
    }

    /// `rename`, atomically, with Linux's rules.
    pub fn rename(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
        self.write_op2(from.as_ref(), to.as_ref(), |st, ctx, a, b| {
            st.rename(ctx, a, b)
        })
    }

    /// `link` (does not follow a symlink `from`, as Linux's `link(2)`).
    pub fn link(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
        self.write_op2(from.as_ref(), to.as_ref(), |st, ctx, a, b| {
            st.link(ctx, a, b, false)
        })
    }

    /// `symlink(target, linkpath)`.
    pub fn symlink(&self, target: impl AsRef<Path>, link: impl AsRef<Path>) -> Result<()> {
        let (target, link) = (target.as_ref(), link.as_ref());
        let err = |e| Error::with_paths(e, target, link);
        let t = bytes_of(target);
        let lp = bytes_of(link);
        check_path(lp).map_err(err)?;
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        st.symlink(&ctx, t, lp).map(|_| ()).map_err(err)
    }

    /// `readlink`.
    pub fn read_link(&self, path: impl AsRef<Path>) -> Result<PathBuf> {
        self.read_op(path.as_ref(), |st, ctx, p| {
            st.readlink(ctx, p).map(|t| path_of(&t))
        })
    }

    /// `realpath`: the absolute path with every symlink, `.` and `..` resolved.
    pub fn canonicalize(&self, path: impl AsRef<Path>) -> Result<PathBuf> {
        self.read_op(path.as_ref(), |st, ctx, p| {
            st.realpath(ctx, p).map(|b| path_of(&b))
        })
    }

    // ----- contents ----------------------------------------------------------------------

    /// Open a file or directory.
    pub fn open(&self, path: impl AsRef<Path>, opts: &OpenOptions) -> Result<Handle> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        if st.usage.open_handles >= st.limits.max_open_handles {
            return Err(Error::with_path(Errno::TooManyFiles, path));
        }
        let (ino, _) = st
            .open(&ctx, p, opts)
            .map_err(|e| Error::with_path(e, path))?;
        st.hold(ino);
        st.usage.open_handles += 1;
        drop(st);
        Ok(Handle::new(
            Arc::clone(&self.shared),
            ino,
            opts,
            self.cred.clone(),
        ))
    }

    /// `truncate`: set a file's size, zero-filling growth.
    pub fn truncate(&self, path: impl AsRef<Path>, len: u64) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| st.truncate(ctx, p, len))
    }

    /// The whole content of a file (shared with the file, not copied).
    pub fn read(&self, path: impl AsRef<Path>) -> Result<Bytes> {
        let path = path.as_ref();
        let now = self.now();
        let (ino, data, due) = self.read_op(path, |st, ctx, p| {
            let ino = st.open_read(ctx, p)?;
            Ok((ino, st.contents(ino)?, st.atime_due(ino, now)))
        })?;
        if due {
            self.shared.state.write().touch_atime(ino, now);
        }
        Ok(data)
    }

    /// The whole content of a file as UTF-8 (`EINVAL` if it is not).
    pub fn read_to_string(&self, path: impl AsRef<Path>) -> Result<String> {
        let path = path.as_ref();
        let data = self.read(path)?;
        String::from_utf8(data.to_vec()).map_err(|_| Error::with_path(Errno::Invalid, path))
    }

    /// Create or replace a file's content (`O_WRONLY|O_CREAT|O_TRUNC`, mode 0666 & ~umask).
    /// All or nothing: a content over a limit leaves the old one.
    pub fn write(&self, path: impl AsRef<Path>, data: impl Into<Bytes>) -> Result<()> {
        let data = data.into();
        self.write_op(path.as_ref(), |st, ctx, p| {
            let opts = OpenOptions::new().write(true).create(true);
            let len = data.len() as u64;
            if len > st.limits.max_file_size {
                return Err(Errno::FileTooBig);
            }
            let (ino, _) = st.open(ctx, p, &opts)?;
            st.replace_contents(ctx, ino, data)
        })
    }

    /// Append to a file, creating it if needed (`>>`).
    pub fn append(&self, path: impl AsRef<Path>, data: &[u8]) -> Result<()> {
        self.write_op(path.as_ref(), |st, ctx, p| {
            let (ino, _) = st.open(ctx, p, &OpenOptions::create_append())?;
            st.write_at(ctx, ino, 0, data, true).map(|_| ())
        })
    }

    /// Copy a regular file's content and permission bits (content shared until written).
    /// Returns the bytes copied.
    pub fn copy_file(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<u64> {
        self.write_op2(from.as_ref(), to.as_ref(), |st, ctx, a, b| {
            st.copy_file(ctx, a, b)
        })
    }

    // ----- whole filesystem --------------------------------------------------------------

    /// Current usage.
    pub fn usage(&self) -> Usage {
        self.shared.state.read().usage
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.shared.state.read().limits
    }

    /// A read-only, O(1) copy of the whole filesystem as it is now.
    pub fn snapshot(&self) -> crate::snapshot::Snapshot {
        crate::snapshot::Snapshot::new(
            self.shared.state.read().forked(),
            Arc::clone(&self.shared.clock),
        )
    }

    /// An independent, O(1) copy of the filesystem: changes on either side never show on
    /// the other. The new view keeps this view's credentials, umask and (if it still
    /// exists there) working directory.
    pub fn fork(&self) -> Vfs {
        let state = self.shared.state.read().forked();
        let mut v = Vfs::from_state(
            state,
            Arc::clone(&self.shared.clock),
            self.cred.clone(),
            self.umask,
        );
        if let Ok(cwd) = self.cwd() {
            let _ = v.set_cwd(cwd);
        }
        v
    }

    pub(crate) fn from_state(
        mut state: FsState,
        clock: Arc<dyn Clock>,
        cred: Cred,
        umask: u32,
    ) -> Vfs {
        state.hold(ROOT_INO);
        Vfs {
            shared: Arc::new(Shared {
                state: RwLock::new(state),
                clock,
            }),
            cwd: ROOT_INO,
            cred,
            umask,
        }
    }

    /// Run `f` on the raw state under the write lock.
    pub(crate) fn write_state<T>(&self, f: impl FnOnce(&mut FsState, &Ctx<'_>) -> T) -> T {
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        f(&mut st, &ctx)
    }

    /// Run `f` on the raw state under the read lock (for walkers in this crate).
    pub(crate) fn with_state<T>(&self, f: impl FnOnce(&FsState, &Ctx<'_>) -> T) -> T {
        let ctx = self.read_ctx();
        let st = self.shared.state.read();
        f(&st, &ctx)
    }
}

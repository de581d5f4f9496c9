//! Open file handles: an inode, an offset, and what the open allowed.
//!
//! A handle keeps its inode alive: a file unlinked while open stays readable and writable
//! through the handle, and its space is freed when the last handle closes (drops).

use std::io::SeekFrom;
use std::sync::Arc;

use bytes::Bytes;

use crate::error::{Errno, Error, Result};
use crate::io::OpenOptions;
use crate::node::{Cred, Ino, Metadata};
use crate::ops::{DirEntry, SetTime};
use crate::state::{Ctx, FsState};
use crate::vfs::Shared;

/// An open file or directory.
pub struct Handle {
    shared: Arc<Shared>,
    ino: Ino,
    offset: u64,
    readable: bool,
    writable: bool,
    append: bool,
    cred: Cred,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("ino", &self.ino)
            .field("offset", &self.offset)
            .field("readable", &self.readable)
            .field("writable", &self.writable)
            .field("append", &self.append)
            .finish()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let mut st = self.shared.state.write();
        st.usage.open_handles = st.usage.open_handles.saturating_sub(1);
        st.unhold(self.ino);
    }
}

impl Handle {
    pub(crate) fn new(shared: Arc<Shared>, ino: Ino, opts: &OpenOptions, cred: Cred) -> Self {
        Handle {
            shared,
            ino,
            offset: 0,
            readable: opts.reads(),
            writable: opts.writes(),
            append: opts.append,
            cred,
        }
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            cwd: crate::node::ROOT_INO,
            cred: &self.cred,
            umask: 0,
            now: self.shared.clock.now(),
        }
    }

    /// The inode this handle refers to.
    pub fn ino(&self) -> Ino {
        self.ino
    }

    /// The current offset.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// True if opened for reading.
    pub fn is_readable(&self) -> bool {
        self.readable
    }

    /// True if opened for writing.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// `pread`: read at `off` without moving the offset.
    pub fn read_at(&self, buf: &mut [u8], off: u64) -> Result<usize> {
        if !self.readable {
            return Err(Error::new(Errno::BadDescriptor));
        }
        if off > i64::MAX as u64 {
            return Err(Error::new(Errno::Invalid));
        }
        self.read_with(|st, ino| st.read_at(ino, off, buf))
    }

    /// Run a read on the state, then update the access time if it is due.
    fn read_with<T>(
        &self,
        f: impl FnOnce(&FsState, Ino) -> std::result::Result<T, Errno>,
    ) -> Result<T> {
        let now = self.shared.clock.now();
        let (r, due) = {
            let st = self.shared.state.read();
            let r = f(&st, self.ino)?;
            (r, st.atime_due(self.ino, now))
        };
        if due {
            self.shared.state.write().touch_atime(self.ino, now);
        }
        Ok(r)
    }

    /// `read`: read at the offset and advance it.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        let n = self.read_at(buf, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }

    /// `read` of up to `max` bytes, shared with the file (not copied) where it can be:
    /// the same bytes, errors and offset change as [`Handle::read`] into a `max`-byte
    /// buffer.
    pub fn read_shared(&mut self, max: usize) -> Result<Bytes> {
        if !self.readable {
            return Err(Error::new(Errno::BadDescriptor));
        }
        if self.offset > i64::MAX as u64 {
            return Err(Error::new(Errno::Invalid));
        }
        let off = self.offset;
        let data = self.read_with(|st, ino| st.read_shared(ino, off, max))?;
        self.offset += data.len() as u64;
        Ok(data)
    }

    /// Read from the offset to the end.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize> {
        let size = self.metadata()?.size;
        let want = size.saturating_sub(self.offset) as usize;
        let start = out.len();
        out.resize(start + want, 0);
        let n = self.read(&mut out[start..])?;
        out.truncate(start + n);
        Ok(n)
    }

    /// `pwrite`: write at `off` without moving the offset (at the end, for an append
    /// handle, as Linux does).
    pub fn write_at(&self, buf: &[u8], off: u64) -> Result<usize> {
        if !self.writable {
            return Err(Error::new(Errno::BadDescriptor));
        }
        if off > i64::MAX as u64 {
            return Err(Error::new(Errno::Invalid));
        }
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        let (n, _) = st.write_at(&ctx, self.ino, off, buf, self.append)?;
        Ok(n)
    }

    /// `write`: write at the offset (or the end, for append) and advance it.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize> {
        self.write_with(|st, ctx, ino, off, append| st.write_at(ctx, ino, off, buf, append))
    }

    /// Run a write at the offset on the state, then move the offset to where it ended.
    fn write_with(
        &mut self,
        f: impl FnOnce(
            &mut FsState,
            &Ctx<'_>,
            Ino,
            u64,
            bool,
        ) -> std::result::Result<(usize, u64), Errno>,
    ) -> Result<usize> {
        if !self.writable {
            return Err(Error::new(Errno::BadDescriptor));
        }
        let ctx = self.ctx();
        let (n, end) = f(
            &mut self.shared.state.write(),
            &ctx,
            self.ino,
            self.offset,
            self.append,
        )?;
        self.offset = end;
        Ok(n)
    }

    /// [`Handle::write`] of shared bytes: written into an empty file, the file keeps
    /// `buf` itself instead of a copy.
    pub fn write_shared(&mut self, buf: &Bytes) -> Result<usize> {
        self.write_with(|st, ctx, ino, off, append| st.write_shared_at(ctx, ino, off, buf, append))
    }

    /// `lseek`: a resulting offset below 0 is `EINVAL` (as is a `Start` offset beyond
    /// `i64::MAX`, which `off_t` sees as negative); directories cannot seek from the end.
    pub fn seek(&mut self, pos: SeekFrom) -> Result<u64> {
        let base: i128 = match pos {
            SeekFrom::Start(o) => i128::from(o as i64),
            SeekFrom::End(_) if self.metadata()?.is_dir() => {
                return Err(Error::new(Errno::Invalid));
            }
            SeekFrom::Current(d) => i128::from(self.offset) + i128::from(d),
            SeekFrom::End(d) => i128::from(self.metadata()?.size) + i128::from(d),
        };
        if base < 0 {
            return Err(Error::new(Errno::Invalid));
        }
        if base > i128::from(i64::MAX) {
            return Err(Error::new(Errno::Overflow));
        }
        self.offset = base as u64;
        Ok(self.offset)
    }

    /// `ftruncate`: needs a handle open for writing (`EINVAL` otherwise, as Linux).
    pub fn set_len(&self, len: u64) -> Result<()> {
        if !self.writable {
            return Err(Error::new(Errno::Invalid));
        }
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        st.set_len(&ctx, self.ino, len, true)?;
        Ok(())
    }

    /// `fstat`.
    pub fn metadata(&self) -> Result<Metadata> {
        let st = self.shared.state.read();
        Ok(st.get(self.ino)?.metadata(self.ino))
    }

    /// `fchmod`.
    pub fn set_mode(&self, mode: u32) -> Result<()> {
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        st.chmod_ino(&ctx, self.ino, mode)?;
        Ok(())
    }

    /// `futimens`.
    pub fn set_times(&self, atime: SetTime, mtime: SetTime) -> Result<()> {
        let ctx = self.ctx();
        let mut st = self.shared.state.write();
        st.utimes_ino(&ctx, self.ino, atime, mtime)?;
        Ok(())
    }

    /// The entries of an open directory, in name order (without `.` and `..`).
    pub fn read_dir(&self) -> Result<Vec<DirEntry>> {
        let now = self.shared.clock.now();
        let (entries, due) = {
            let st = self.shared.state.read();
            (st.readdir_ino(self.ino)?, st.atime_due(self.ino, now))
        };
        if due {
            self.shared.state.write().touch_atime(self.ino, now);
        }
        Ok(entries)
    }
}

impl std::io::Read for Handle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Handle::read(self, buf).map_err(Into::into)
    }
}

impl std::io::Write for Handle {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Handle::write(self, buf).map_err(Into::into)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::io::Seek for Handle {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        Handle::seek(self, pos).map_err(Into::into)
    }
}

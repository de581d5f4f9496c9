//! [`VfsAdapter`]: a [`Vfs`] as a [`vfs::FileSystem`](::vfs::FileSystem), for code written
//! against the `vfs` crate (`vfs::VfsPath` and friends).
//!
//! Paths from `vfs` are absolute (`"/a/b"`, and `""` for the root) and are resolved
//! from `/` with the wrapped view's credentials and umask. Errors keep their meaning:
//! `ENOENT` is [`VfsErrorKind::FileNotFound`], `EEXIST` is
//! [`VfsErrorKind::DirectoryExists`] or [`VfsErrorKind::FileExists`] after what is
//! there, and every other errno is an [`VfsErrorKind::IoError`] carrying the raw OS
//! error code (`raw_os_error()`), so its `Display` is the usual strerror text.
//!
//! `vfs` knows only files and directories, and its generic walkers (`walk_dir`,
//! `copy_dir`, `remove_dir_all`) descend into whatever [`FileSystem::metadata`] calls a
//! directory. So that they never go through a symlink, a symlink is reported as the
//! file it points to when that is a regular file, and otherwise (a directory, dangling,
//! a loop) as a file of its own: `remove_dir_all` then removes the link and leaves its
//! target alone. Reading and writing a path still follow symlinks, as `open(2)` does.
//!
//! `vfs`'s `copy_file`, `move_file` and `move_dir` want a destination that does not
//! exist; the adapter checks that too (not atomically with the move), so it never
//! replaces an entry the way `rename(2)` would. Names that are not UTF-8 are listed by
//! `read_dir` with U+FFFD in place of the bad bytes. Creation times are not kept
//! (`set_creation_time` is unsupported, `created` is `None`).
//!
//! ```
//! use std::io::Write;
//! use vfs::VfsPath;
//! use vfs_core::{Vfs, VfsAdapter};
//! let fs = Vfs::new();
//! let root = VfsPath::new(VfsAdapter(fs.clone()));
//! root.join("src").unwrap().create_dir().unwrap();
//! write!(root.join("src/main.rs").unwrap().create_file().unwrap(), "fn main() {{}}").unwrap();
//! assert_eq!(fs.read_to_string("/src/main.rs").unwrap(), "fn main() {}");
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ::vfs::error::VfsErrorKind;
use ::vfs::{FileSystem, SeekAndRead, SeekAndWrite, VfsError, VfsFileType, VfsMetadata, VfsResult};

use crate::error::{Errno, Error};
use crate::io::OpenOptions;
use crate::node::Metadata;
use crate::ops::SetTime;
use crate::time::Timestamp;
use crate::vfs::Vfs;

/// A [`Vfs`] seen through the `vfs` crate's [`FileSystem`] trait.
///
/// `VfsPath::new(VfsAdapter(fs.clone()))` shares the filesystem with `fs`.
#[derive(Clone, Debug, Default)]
pub struct VfsAdapter(pub Vfs);

impl From<Vfs> for VfsAdapter {
    fn from(vfs: Vfs) -> Self {
        VfsAdapter(vfs)
    }
}

impl VfsAdapter {
    /// The wrapped filesystem view.
    pub fn vfs(&self) -> &Vfs {
        &self.0
    }

    /// The wrapped filesystem view, by value.
    pub fn into_inner(self) -> Vfs {
        self.0
    }

    /// The `vfs` path as an absolute path of this filesystem (`""` is `/`).
    fn path(path: &str) -> PathBuf {
        if path.starts_with('/') {
            PathBuf::from(path)
        } else {
            PathBuf::from(format!("/{path}"))
        }
    }

    /// What sits at `path` for an `EEXIST`: a directory (following symlinks) or not.
    fn exists_kind(&self, path: &Path) -> VfsErrorKind {
        if self.0.stat(path).is_ok_and(|m| m.is_dir()) {
            VfsErrorKind::DirectoryExists
        } else {
            VfsErrorKind::FileExists
        }
    }

    /// The `vfs` error for a filesystem error.
    fn error(&self, e: Error) -> VfsError {
        let kind = match e.errno() {
            Errno::NoEntry => VfsErrorKind::FileNotFound,
            Errno::Exist => match e.dest().or(e.path()) {
                Some(p) => self.exists_kind(p),
                None => VfsErrorKind::FileExists,
            },
            other => VfsErrorKind::IoError(io::Error::from_raw_os_error(other.code())),
        };
        VfsError::from(kind)
    }

    /// `vfs` wants a destination that does not exist yet.
    fn check_free(&self, dest: &Path) -> VfsResult<()> {
        match self.0.lstat(dest) {
            Ok(m) if m.is_dir() => Err(VfsErrorKind::DirectoryExists.into()),
            Ok(_) => Err(VfsErrorKind::FileExists.into()),
            Err(e) if matches!(e.errno(), Errno::NoEntry | Errno::NotDirectory) => Ok(()),
            Err(e) => Err(self.error(e)),
        }
    }

    /// What `metadata` reports: see the module docs for symlinks.
    fn node_metadata(&self, path: &Path) -> Result<Metadata, Error> {
        let own = self.0.lstat(path)?;
        if own.is_symlink()
            && let Ok(target) = self.0.stat(path)
            && target.is_file()
        {
            return Ok(target);
        }
        Ok(own)
    }
}

fn to_vfs_metadata(m: &Metadata) -> VfsMetadata {
    let dir = m.is_dir();
    VfsMetadata {
        file_type: if dir {
            VfsFileType::Directory
        } else {
            VfsFileType::File
        },
        len: if dir { 0 } else { m.size },
        created: None,
        modified: Some(m.mtime.to_system_time()),
        accessed: Some(m.atime.to_system_time()),
    }
}

impl FileSystem for VfsAdapter {
    fn read_dir(&self, path: &str) -> VfsResult<Box<dyn Iterator<Item = String> + Send>> {
        let entries = self
            .0
            .read_dir(Self::path(path))
            .map_err(|e| self.error(e))?;
        let names: Vec<String> = entries
            .iter()
            .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
            .collect();
        Ok(Box::new(names.into_iter()))
    }

    fn create_dir(&self, path: &str) -> VfsResult<()> {
        self.0
            .mkdir(Self::path(path), 0o777)
            .map_err(|e| self.error(e))
    }

    fn open_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndRead + Send>> {
        let p = Self::path(path);
        let handle = self
            .0
            .open(&p, &OpenOptions::read_only())
            .map_err(|e| self.error(e))?;
        // open(2) accepts a directory for reading; vfs wants a file.
        if handle.metadata().map_err(|e| self.error(e))?.is_dir() {
            return Err(self.error(Error::with_path(Errno::IsDirectory, p)));
        }
        Ok(Box::new(handle))
    }

    fn create_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndWrite + Send>> {
        let handle = self
            .0
            .open(Self::path(path), &OpenOptions::create_truncate())
            .map_err(|e| self.error(e))?;
        Ok(Box::new(handle))
    }

    fn append_file(&self, path: &str) -> VfsResult<Box<dyn SeekAndWrite + Send>> {
        let handle = self
            .0
            .open(Self::path(path), &OpenOptions::new().append(true))
            .map_err(|e| self.error(e))?;
        Ok(Box::new(handle))
    }

    fn metadata(&self, path: &str) -> VfsResult<VfsMetadata> {
        self.node_metadata(&Self::path(path))
            .map(|m| to_vfs_metadata(&m))
            .map_err(|e| self.error(e))
    }

    fn set_modification_time(&self, path: &str, time: SystemTime) -> VfsResult<()> {
        let t = SetTime::At(Timestamp::from_system_time(time));
        self.0
            .utimes(Self::path(path), SetTime::Omit, t, true)
            .map_err(|e| self.error(e))
    }

    fn set_access_time(&self, path: &str, time: SystemTime) -> VfsResult<()> {
        let t = SetTime::At(Timestamp::from_system_time(time));
        self.0
            .utimes(Self::path(path), t, SetTime::Omit, true)
            .map_err(|e| self.error(e))
    }

    fn exists(&self, path: &str) -> VfsResult<bool> {
        match self.0.lstat(Self::path(path)) {
            Ok(_) => Ok(true),
            Err(e) if matches!(e.errno(), Errno::NoEntry | Errno::NotDirectory) => Ok(false),
            Err(e) => Err(self.error(e)),
        }
    }

    fn remove_file(&self, path: &str) -> VfsResult<()> {
        self.0.unlink(Self::path(path)).map_err(|e| self.error(e))
    }

    fn remove_dir(&self, path: &str) -> VfsResult<()> {
        self.0.rmdir(Self::path(path)).map_err(|e| self.error(e))
    }

    fn copy_file(&self, src: &str, dest: &str) -> VfsResult<()> {
        let dest = Self::path(dest);
        self.check_free(&dest)?;
        self.0
            .copy_file(Self::path(src), &dest)
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    fn move_file(&self, src: &str, dest: &str) -> VfsResult<()> {
        let dest = Self::path(dest);
        self.check_free(&dest)?;
        self.0
            .rename(Self::path(src), &dest)
            .map_err(|e| self.error(e))
    }

    fn move_dir(&self, src: &str, dest: &str) -> VfsResult<()> {
        let dest = Self::path(dest);
        self.check_free(&dest)?;
        self.0
            .rename(Self::path(src), &dest)
            .map_err(|e| self.error(e))
    }
}

//! Copying trees between the host and a [`Vfs`], through `cap-std` only.
//!
//! [`import_dir`] copies a host directory into the filesystem; [`export_dir`] writes a
//! subtree of the filesystem into a host directory. The host side is always a
//! [`cap_std::fs::Dir`] the caller opened: every host access is relative to it, so no
//! path can reach outside it, and neither direction ever follows a host symlink.
//!
//! - Each host directory below the given one is opened by name from its parent with
//!   `O_NOFOLLOW`, and its device and inode are checked against the `lstat` made just
//!   before, so a directory swapped for a symlink in between is refused, not followed.
//!   Files are opened the same way (`O_NONBLOCK` too, so a file swapped for a fifo
//!   cannot block the copy); export creates new files with `O_EXCL` and truncates an
//!   existing one only after checking it is the file it examined.
//! - Import copies regular files (contents, permission bits, atime and mtime),
//!   directories (permission bits and times, set after their entries, so read-only
//!   directories import whole) and symlinks as symlinks, target text unchanged and
//!   never read through. Hard links on the host stay hard links. Fifos, sockets and
//!   devices are skipped with a [`HostWarning`]. The filesystem's [`crate::Limits`]
//!   apply as to any write (`ENOSPC`, `EFBIG`...), and [`ImportOptions`] can set
//!   tighter ones for one import.
//! - Export writes directories and regular files (permission bits without set-id or
//!   sticky bits, atime and mtime) from a point-in-time copy of the tree, replacing
//!   existing regular files; symlinks are written only when [`ExportOptions::symlinks`]
//!   is set. A host symlink where a directory or file is to be written is an error
//!   ([`HostError::Symlink`]): export never writes through one.
//!
//! Ownership is not copied either way: imported nodes belong to the [`Vfs`] view's
//! credentials, exported files to the host process.
//!
//! ```
//! use vfs_core::{Vfs, host};
//! let tmp = tempfile::tempdir().unwrap();
//! std::fs::write(tmp.path().join("hello.txt"), "hi\n").unwrap();
//! let dir = cap_std::fs::Dir::open_ambient_dir(tmp.path(), cap_std::ambient_authority())
//!     .unwrap();
//! let fs = Vfs::new();
//! let report = host::import_dir(&fs, &dir, "/work", &host::ImportOptions::default()).unwrap();
//! assert_eq!(report.files, 1);
//! assert_eq!(fs.read_to_string("/work/hello.txt").unwrap(), "hi\n");
//! ```

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use cap_std::fs::{Dir, FileTypeExt, MetadataExt, OpenOptions, OpenOptionsExt};

use crate::error::{Errno, Error};
use crate::node::FileType;
use crate::ops::SetTime;
use crate::time::Timestamp;
use crate::vfs::Vfs;

/// Limits for one [`import_dir`], on top of the filesystem's own [`crate::Limits`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Most bytes of file contents to import (`None`: only the filesystem's limits).
    pub max_bytes: Option<u64>,
    /// Most entries (files, directories and symlinks, not counting `dest`) to import.
    pub max_files: Option<u64>,
}

/// Options for [`export_dir`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Write symlinks as symlinks, with their target text unchanged. Off by default:
    /// a symlink made inside the filesystem may point anywhere on the host, so it is
    /// skipped with a warning unless asked for.
    pub symlinks: bool,
}

/// Something skipped during a copy, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostWarning {
    /// The entry: relative to the host directory for an import, a filesystem path
    /// for an export.
    pub path: PathBuf,
    /// What happened ("skipped fifo").
    pub message: String,
}

impl fmt::Display for HostWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_rel(&self.path), self.message)
    }
}

/// What [`import_dir`] copied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Regular files created (each hard link counts once per name).
    pub files: u64,
    /// Directories created or merged into, `dest` not included.
    pub dirs: u64,
    /// Symlinks created.
    pub symlinks: u64,
    /// Bytes of file contents copied (hard-linked contents once).
    pub bytes: u64,
    /// Entries skipped (special files), in the order met.
    pub warnings: Vec<HostWarning>,
}

/// What [`export_dir`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Regular files written.
    pub files: u64,
    /// Directories created or merged into, the host directory itself not included.
    pub dirs: u64,
    /// Symlinks written.
    pub symlinks: u64,
    /// Bytes of file contents written.
    pub bytes: u64,
    /// Entries skipped (symlinks, unless [`ExportOptions::symlinks`]), in the order met.
    pub warnings: Vec<HostWarning>,
}

/// Why an import or export stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum HostError {
    /// A host operation failed; `path` is relative to the host directory.
    Io {
        /// The host path, relative to the host directory (empty for itself).
        path: PathBuf,
        /// The failure.
        source: io::Error,
    },
    /// A filesystem operation failed (the error carries the filesystem path).
    Vfs(Error),
    /// A host path component that export would write into or through, or import
    /// would descend into, is a symlink.
    Symlink {
        /// The host path, relative to the host directory.
        path: PathBuf,
    },
    /// A host entry changed type or identity between being examined and opened.
    Changed {
        /// The host path, relative to the host directory.
        path: PathBuf,
    },
    /// An [`ImportOptions`] limit would be exceeded.
    Limit {
        /// The host entry that would exceed it, relative to the host directory.
        path: PathBuf,
        /// Which limit (`"max_bytes"` or `"max_files"`).
        limit: &'static str,
        /// Its value.
        max: u64,
    },
}

impl HostError {
    fn io(path: &Path, source: io::Error) -> Self {
        HostError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The POSIX condition, where there is one: the host's errno, the filesystem's,
    /// `ELOOP` for a refused symlink, `ENOSPC` for an import limit.
    pub fn errno(&self) -> Option<Errno> {
        match self {
            HostError::Io { source, .. } => source.raw_os_error().and_then(Errno::from_code),
            HostError::Vfs(e) => Some(e.errno()),
            HostError::Symlink { .. } => Some(Errno::Loop),
            HostError::Changed { .. } => None,
            HostError::Limit { .. } => Some(Errno::NoSpace),
        }
    }

    /// The path the error is about: host-relative, or the filesystem path for
    /// [`HostError::Vfs`].
    pub fn path(&self) -> Option<&Path> {
        match self {
            HostError::Io { path, .. }
            | HostError::Symlink { path }
            | HostError::Changed { path }
            | HostError::Limit { path, .. } => Some(path),
            HostError::Vfs(e) => e.path(),
        }
    }
}

/// A host-relative path for messages: `.` for the host directory itself.
fn display_rel(p: &Path) -> std::path::Display<'_> {
    if p.as_os_str().is_empty() {
        Path::new(".").display()
    } else {
        p.display()
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Io { path, source } => {
                let p = display_rel(path);
                match source.raw_os_error().and_then(Errno::from_code) {
                    Some(e) => write!(f, "{p}: {}", e.message()),
                    None => write!(f, "{p}: {source}"),
                }
            }
            HostError::Vfs(e) => fmt::Display::fmt(e, f),
            HostError::Symlink { path } => write!(
                f,
                "{}: is a symbolic link; refusing to follow it",
                display_rel(path)
            ),
            HostError::Changed { path } => {
                write!(f, "{}: file changed as we read it", display_rel(path))
            }
            HostError::Limit { path, limit, max } => write!(
                f,
                "{}: import limit exceeded ({limit} = {max})",
                display_rel(path)
            ),
        }
    }
}

impl std::error::Error for HostError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HostError::Io { source, .. } => Some(source),
            HostError::Vfs(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for HostError {
    fn from(e: Error) -> Self {
        HostError::Vfs(e)
    }
}

// ----- host helpers ------------------------------------------------------------------

/// Open flags that never follow a final symlink nor block on a fifo.
const SAFE_FLAGS: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK;

fn same_inode(a: &cap_std::fs::Metadata, b: &cap_std::fs::Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Open the directory `name` in `parent` for reading, refusing a symlink (checked by
/// `lstat`, by `O_NOFOLLOW`, and by comparing the opened inode with the `lstat`ed one).
fn open_subdir(parent: &Dir, name: &OsString, rel: &Path) -> Result<Dir, HostError> {
    let before = parent
        .symlink_metadata(name)
        .map_err(|e| HostError::io(rel, e))?;
    if before.is_symlink() {
        return Err(HostError::Symlink {
            path: rel.to_path_buf(),
        });
    }
    if !before.is_dir() {
        return Err(HostError::io(
            rel,
            io::Error::from_raw_os_error(libc::ENOTDIR),
        ));
    }
    let file = parent
        .open_with(
            name,
            OpenOptions::new()
                .read(true)
                .custom_flags(SAFE_FLAGS | libc::O_DIRECTORY),
        )
        .map_err(|e| open_error(rel, e))?;
    let after = file.metadata().map_err(|e| HostError::io(rel, e))?;
    if !after.is_dir() || !same_inode(&before, &after) {
        return Err(HostError::Changed {
            path: rel.to_path_buf(),
        });
    }
    Ok(Dir::from_std_file(file.into_std()))
}

/// `ELOOP` from an `O_NOFOLLOW` open means the entry became a symlink.
fn open_error(rel: &Path, e: io::Error) -> HostError {
    if e.raw_os_error() == Some(libc::ELOOP) {
        HostError::Symlink {
            path: rel.to_path_buf(),
        }
    } else {
        HostError::io(rel, e)
    }
}

/// The names in a host directory, sorted (for a deterministic order and report).
fn sorted_names(dir: &Dir, rel: &Path) -> Result<Vec<OsString>, HostError> {
    let mut names = Vec::new();
    for entry in dir.entries().map_err(|e| HostError::io(rel, e))? {
        let name = entry.map_err(|e| HostError::io(rel, e))?.file_name();
        if name != "." && name != ".." {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn kind_name(ft: cap_std::fs::FileType) -> &'static str {
    if ft.is_fifo() {
        "fifo"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_block_device() {
        "block device"
    } else if ft.is_char_device() {
        "character device"
    } else {
        "special file"
    }
}

fn stamp(sec: i64, nsec: i64) -> Timestamp {
    Timestamp::new(sec, u32::try_from(nsec).unwrap_or(0))
}

fn host_times(m: &cap_std::fs::Metadata) -> (SetTime, SetTime) {
    (
        SetTime::At(stamp(m.atime(), m.atime_nsec())),
        SetTime::At(stamp(m.mtime(), m.mtime_nsec())),
    )
}

// ----- import ------------------------------------------------------------------------

/// A host directory being imported: its handle, remaining names, where it goes, and
/// the metadata to apply once its entries are in.
struct ImportFrame {
    dir: Dir,
    names: std::vec::IntoIter<OsString>,
    rel: PathBuf,
    vpath: PathBuf,
    meta: Option<cap_std::fs::Metadata>,
}

/// Copy the host directory `host` into the filesystem at `dest` (created with
/// `mkdir -p` if missing; its own mode and times are left alone).
///
/// Existing directories are merged into and existing regular files overwritten; an
/// existing symlink where a file or symlink goes is replaced, never written through
/// (nor is a symlink to a directory merged into). Any other clash is an error from
/// the filesystem (`EEXIST`, `EISDIR`...).
/// Stops at the first error, leaving what was copied so far.
pub fn import_dir(
    vfs: &Vfs,
    host: &Dir,
    dest: impl AsRef<Path>,
    opts: &ImportOptions,
) -> Result<ImportReport, HostError> {
    let dest = dest.as_ref();
    vfs.create_dir_all(dest, 0o755)?;
    let mut report = ImportReport::default();
    let mut entries: u64 = 0;
    // Host (dev, ino) of multiply-linked files already imported -> their VFS path.
    let mut links: HashMap<(u64, u64), PathBuf> = HashMap::new();
    let root = host
        .try_clone()
        .map_err(|e| HostError::io(Path::new(""), e))?;
    let mut stack = vec![ImportFrame {
        names: sorted_names(&root, Path::new(""))?.into_iter(),
        dir: root,
        rel: PathBuf::new(),
        vpath: dest.to_path_buf(),
        meta: None,
    }];
    while let Some(top) = stack.last_mut() {
        let Some(name) = top.names.next() else {
            if let Some(frame) = stack.pop()
                && let Some(meta) = frame.meta
            {
                vfs.chmod(&frame.vpath, meta.mode() & 0o7777)?;
                let (atime, mtime) = host_times(&meta);
                vfs.utimes(&frame.vpath, atime, mtime, false)?;
            }
            continue;
        };
        let rel = top.rel.join(&name);
        let vpath = top.vpath.join(&name);
        let meta = top
            .dir
            .symlink_metadata(&name)
            .map_err(|e| HostError::io(&rel, e))?;
        let ft = meta.file_type();
        if !(ft.is_dir() || ft.is_file() || ft.is_symlink()) {
            report.warnings.push(HostWarning {
                path: rel,
                message: format!("skipped {}", kind_name(ft)),
            });
            continue;
        }
        entries += 1;
        if let Some(max) = opts.max_files
            && entries > max
        {
            return Err(HostError::Limit {
                path: rel,
                limit: "max_files",
                max,
            });
        }
        if ft.is_symlink() {
            let target = top
                .dir
                .read_link_contents(&name)
                .map_err(|e| HostError::io(&rel, e))?;
            clear_nondir(vfs, &vpath, true)?;
            vfs.symlink(&target, &vpath)?;
            let (atime, mtime) = host_times(&meta);
            vfs.utimes(&vpath, atime, mtime, false)?;
            report.symlinks += 1;
        } else if ft.is_file() {
            let key = (meta.dev(), meta.ino());
            if meta.nlink() > 1
                && let Some(first) = links.get(&key)
            {
                clear_nondir(vfs, &vpath, true)?;
                vfs.link(first, &vpath)?;
                report.files += 1;
                continue;
            }
            let n = import_file(vfs, &top.dir, &name, &rel, &vpath, &meta, opts, &report)?;
            report.bytes += n;
            report.files += 1;
            if meta.nlink() > 1 {
                links.insert(key, vpath);
            }
        } else {
            match vfs.mkdir(&vpath, 0o700) {
                Ok(()) => {}
                Err(e)
                    if e.errno() == Errno::Exist && vfs.lstat(&vpath).is_ok_and(|m| m.is_dir()) => {
                }
                Err(e) => return Err(e.into()),
            }
            let dir = open_subdir(&top.dir, &name, &rel)?;
            let names = sorted_names(&dir, &rel)?;
            report.dirs += 1;
            stack.push(ImportFrame {
                dir,
                names: names.into_iter(),
                rel,
                vpath,
                meta: Some(meta),
            });
        }
    }
    Ok(report)
}

/// Make room for a new entry at `vpath`: an existing symlink (and, with `files`, an
/// existing regular file) is unlinked, so the import never writes through a symlink
/// inside the filesystem either. A regular file left in place is overwritten.
fn clear_nondir(vfs: &Vfs, vpath: &Path, files: bool) -> Result<(), HostError> {
    if let Ok(m) = vfs.lstat(vpath)
        && (m.is_symlink() || (files && m.is_file()))
    {
        vfs.unlink(vpath)?;
    }
    Ok(())
}

/// Copy one regular host file; returns the bytes copied.
#[allow(clippy::too_many_arguments)]
fn import_file(
    vfs: &Vfs,
    dir: &Dir,
    name: &OsString,
    rel: &Path,
    vpath: &Path,
    meta: &cap_std::fs::Metadata,
    opts: &ImportOptions,
    report: &ImportReport,
) -> Result<u64, HostError> {
    let len = meta.len();
    if let Some(max) = opts.max_bytes
        && report.bytes.saturating_add(len) > max
    {
        return Err(HostError::Limit {
            path: rel.to_path_buf(),
            limit: "max_bytes",
            max,
        });
    }
    // Fail before reading a file that cannot fit (the write below checks exactly).
    let limits = vfs.limits();
    if len > limits.max_file_size {
        return Err(Error::with_path(Errno::FileTooBig, vpath).into());
    }
    let replaced = vfs
        .lstat(vpath)
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.size);
    if vfs
        .usage()
        .bytes
        .saturating_sub(replaced)
        .saturating_add(len)
        > limits.max_bytes
    {
        return Err(Error::with_path(Errno::NoSpace, vpath).into());
    }
    let file = dir
        .open_with(name, OpenOptions::new().read(true).custom_flags(SAFE_FLAGS))
        .map_err(|e| open_error(rel, e))?;
    let opened = file.metadata().map_err(|e| HostError::io(rel, e))?;
    if !opened.is_file() || !same_inode(meta, &opened) {
        return Err(HostError::Changed {
            path: rel.to_path_buf(),
        });
    }
    // Read at most what the filesystem could hold, so a growing file cannot exhaust
    // memory; one byte more lets the write report the limit.
    let cap = limits.max_file_size.min(limits.max_bytes).saturating_add(1);
    let mut data = Vec::with_capacity(usize::try_from(len.min(cap)).unwrap_or(0));
    file.take(cap)
        .read_to_end(&mut data)
        .map_err(|e| HostError::io(rel, e))?;
    let n = data.len() as u64;
    if let Some(max) = opts.max_bytes
        && report.bytes.saturating_add(n) > max
    {
        return Err(HostError::Limit {
            path: rel.to_path_buf(),
            limit: "max_bytes",
            max,
        });
    }
    clear_nondir(vfs, vpath, false)?;
    vfs.write(vpath, data)?;
    vfs.chmod(vpath, meta.mode() & 0o7777)?;
    let (atime, mtime) = host_times(meta);
    vfs.utimes(vpath, atime, mtime, false)?;
    Ok(n)
}

// ----- export ------------------------------------------------------------------------

/// A host directory being written: its handle, its depth in the walk, where it is,
/// and the filesystem metadata to apply once its entries are written.
struct ExportFrame {
    dir: Dir,
    depth: usize,
    rel: PathBuf,
    meta: Option<crate::node::Metadata>,
}

fn file_times(m: &crate::node::Metadata) -> std::fs::FileTimes {
    std::fs::FileTimes::new()
        .set_accessed(m.atime.to_system_time())
        .set_modified(m.mtime.to_system_time())
}

/// Apply a directory's mode and times once everything in it is written.
fn finish_dir(frame: ExportFrame) -> Result<(), HostError> {
    use std::os::unix::fs::PermissionsExt;
    let Some(meta) = frame.meta else {
        return Ok(());
    };
    let file = frame.dir.into_std_file();
    file.set_permissions(std::fs::Permissions::from_mode(meta.mode & 0o777))
        .map_err(|e| HostError::io(&frame.rel, e))?;
    file.set_times(file_times(&meta))
        .map_err(|e| HostError::io(&frame.rel, e))?;
    Ok(())
}

/// Write the filesystem directory `src` into the host directory `host`: its entries
/// become entries of `host` (whose own mode and times are left alone).
///
/// The tree is read from a point-in-time copy ([`Vfs::fork`]), so changes made while
/// exporting are not seen. Directories are created or merged into; existing regular
/// files and (with [`ExportOptions::symlinks`]) symlinks are replaced; any other
/// existing entry is an error. Permission bits are written without the set-id and
/// sticky bits. Stops at the first error, leaving what was written so far.
pub fn export_dir(
    vfs: &Vfs,
    src: impl AsRef<Path>,
    host: &Dir,
    opts: &ExportOptions,
) -> Result<ExportReport, HostError> {
    let view = vfs.fork();
    let walk = view.walk(src.as_ref())?;
    if let Some(first) = walk.first()
        && !first.metadata.is_dir()
    {
        return Err(Error::with_path(Errno::NotDirectory, src.as_ref()).into());
    }
    let mut report = ExportReport::default();
    let root = host
        .try_clone()
        .map_err(|e| HostError::io(Path::new(""), e))?;
    let mut stack = vec![ExportFrame {
        dir: root,
        depth: 0,
        rel: PathBuf::new(),
        meta: None,
    }];
    for entry in walk.iter().skip(1) {
        while stack.len() > 1 && stack.last().is_some_and(|f| f.depth >= entry.depth) {
            if let Some(frame) = stack.pop() {
                finish_dir(frame)?;
            }
        }
        let Some(parent) = stack.last() else {
            break;
        };
        let Some(name) = entry.path.file_name().map(OsString::from) else {
            continue;
        };
        let rel = parent.rel.join(&name);
        let existing = match parent.dir.symlink_metadata(&name) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(HostError::io(&rel, e)),
        };
        let m = &entry.metadata;
        match m.file_type {
            FileType::Dir => {
                match &existing {
                    None => parent
                        .dir
                        .create_dir(&name)
                        .map_err(|e| HostError::io(&rel, e))?,
                    Some(x) if x.is_symlink() => return Err(HostError::Symlink { path: rel }),
                    Some(x) if x.is_dir() => {}
                    Some(_) => {
                        return Err(HostError::io(
                            &rel,
                            io::Error::from_raw_os_error(libc::EEXIST),
                        ));
                    }
                }
                let dir = open_subdir(&parent.dir, &name, &rel)?;
                report.dirs += 1;
                stack.push(ExportFrame {
                    dir,
                    depth: entry.depth,
                    rel,
                    meta: Some(*m),
                });
            }
            FileType::File => {
                match &existing {
                    Some(x) if x.is_symlink() => return Err(HostError::Symlink { path: rel }),
                    Some(x) if x.is_dir() => {
                        return Err(HostError::io(
                            &rel,
                            io::Error::from_raw_os_error(libc::EISDIR),
                        ));
                    }
                    Some(x) if !x.is_file() => {
                        return Err(HostError::io(
                            &rel,
                            io::Error::from_raw_os_error(libc::EEXIST),
                        ));
                    }
                    _ => {}
                }
                let data = view.read(&entry.path)?;
                // A new file is created with O_EXCL (which never follows a symlink);
                // an existing one is opened without O_TRUNC and truncated only once it
                // is known to be the file examined above.
                let mut oo = OpenOptions::new();
                oo.write(true).mode(0o600).custom_flags(SAFE_FLAGS);
                if existing.is_none() {
                    oo.create_new(true);
                }
                let file = parent
                    .dir
                    .open_with(&name, &oo)
                    .map_err(|e| open_error(&rel, e))?;
                let opened = file.metadata().map_err(|e| HostError::io(&rel, e))?;
                let same = existing.as_ref().is_none_or(|x| same_inode(x, &opened));
                if !opened.is_file() || !same {
                    return Err(HostError::Changed { path: rel });
                }
                file.set_len(0).map_err(|e| HostError::io(&rel, e))?;
                let mut file = file.into_std();
                file.write_all(&data).map_err(|e| HostError::io(&rel, e))?;
                {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(std::fs::Permissions::from_mode(m.mode & 0o777))
                        .map_err(|e| HostError::io(&rel, e))?;
                }
                file.set_times(file_times(m))
                    .map_err(|e| HostError::io(&rel, e))?;
                report.files += 1;
                report.bytes += data.len() as u64;
            }
            FileType::Symlink => {
                if !opts.symlinks {
                    report.warnings.push(HostWarning {
                        path: entry.path.clone(),
                        message: "skipped symbolic link".into(),
                    });
                    continue;
                }
                let target = view.read_link(&entry.path)?;
                match &existing {
                    None => {}
                    Some(x) if x.is_dir() => {
                        return Err(HostError::io(
                            &rel,
                            io::Error::from_raw_os_error(libc::EEXIST),
                        ));
                    }
                    // Replacing the entry itself, never writing through it.
                    Some(_) => parent
                        .dir
                        .remove_file(&name)
                        .map_err(|e| HostError::io(&rel, e))?,
                }
                parent
                    .dir
                    .symlink_contents(&target, &name)
                    .map_err(|e| HostError::io(&rel, e))?;
                report.symlinks += 1;
            }
        }
    }
    while stack.len() > 1 {
        if let Some(frame) = stack.pop() {
            finish_dir(frame)?;
        }
    }
    Ok(report)
}

//! `agentsh:sandbox/filesystem`: path-based calls on the sandbox filesystem, relative
//! paths resolved from `/`, and the `file` resource with its own offset.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};

use vfs_core::{Errno, FileType, Handle, Metadata, OpenOptions, Vfs};
use wasmtime::component::Resource;

use super::ifaces::filesystem::{
    DirEntry, ErrorCode, FileType as WitType, Host, HostFile, Metadata as WitMeta, OpenFlags,
    Whence,
};
use crate::state::HostState;

/// An open file of the guest.
pub struct FileRes(Handle);

type FsResult<T> = wasmtime::Result<Result<T, ErrorCode>>;

fn code(e: Errno) -> ErrorCode {
    match e {
        Errno::NoEntry => ErrorCode::NotFound,
        Errno::Exist => ErrorCode::AlreadyExists,
        Errno::NotDirectory => ErrorCode::NotADirectory,
        Errno::IsDirectory => ErrorCode::IsADirectory,
        Errno::NotEmpty => ErrorCode::NotEmpty,
        Errno::Access => ErrorCode::AccessDenied,
        Errno::Perm => ErrorCode::NotPermitted,
        Errno::ReadOnly => ErrorCode::ReadOnly,
        Errno::Invalid | Errno::InvalidSeek => ErrorCode::Invalid,
        Errno::Loop => ErrorCode::Loop,
        Errno::NameTooLong => ErrorCode::NameTooLong,
        Errno::NoSpace | Errno::NoMemory => ErrorCode::NoSpace,
        Errno::FileTooBig => ErrorCode::FileTooLarge,
        Errno::TooManyFiles => ErrorCode::TooManyOpenFiles,
        Errno::CrossesDevices => ErrorCode::CrossDevice,
        Errno::Busy => ErrorCode::Busy,
        Errno::BadDescriptor => ErrorCode::BadDescriptor,
        Errno::NotSupported => ErrorCode::Unsupported,
        _ => ErrorCode::Io,
    }
}

fn err<T>(e: vfs_core::Error) -> FsResult<T> {
    Ok(Err(code(e.errno())))
}

macro_rules! vfs {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return err(e),
        }
    };
}

fn wit_type(t: FileType) -> WitType {
    match t {
        FileType::File => WitType::RegularFile,
        FileType::Dir => WitType::Directory,
        FileType::Symlink => WitType::SymbolicLink,
    }
}

fn ns(t: vfs_core::Timestamp) -> i64 {
    t.sec
        .saturating_mul(1_000_000_000)
        .saturating_add(i64::from(t.nsec))
}

fn meta(m: &Metadata) -> WitMeta {
    WitMeta {
        file_type: wit_type(m.file_type),
        size: m.size,
        mode: m.mode,
        ino: m.ino,
        nlink: m.nlink,
        mtime_ns: ns(m.mtime),
        atime_ns: ns(m.atime),
        ctime_ns: ns(m.ctime),
    }
}

/// Guest paths are relative to `/`.
fn abs(path: &str) -> PathBuf {
    Path::new("/").join(path)
}

/// Copy `from` to `to`, recursing into directories when `recursive`; the bytes copied.
///
/// As `cp` does, a symlink named by a non-recursive copy is followed (its target's content
/// is copied), while a recursive copy copies symlinks as symlinks.
fn copy_tree(fs: &Vfs, from: &Path, to: &Path, recursive: bool) -> vfs_core::Result<u64> {
    let m = if recursive {
        fs.lstat(from)?
    } else {
        fs.stat(from)?
    };
    match m.file_type {
        FileType::File => fs.copy_file(from, to),
        FileType::Symlink => {
            let target = fs.read_link(from)?;
            fs.symlink(target, to)?;
            Ok(0)
        }
        FileType::Dir => {
            if !recursive {
                return Err(vfs_core::Error::with_path(Errno::IsDirectory, from));
            }
            let to_canon = fs.canonicalize(to).ok();
            let from_canon = fs.canonicalize(from)?;
            if to_canon.is_some_and(|t| t.starts_with(&from_canon))
                || abs_lexical(to).starts_with(&from_canon)
            {
                return Err(vfs_core::Error::with_path(Errno::Invalid, to));
            }
            fs.mkdir(to, m.mode)?;
            let mut total = 0;
            for e in fs.read_dir(from)? {
                let name = e.file_name();
                total += copy_tree(fs, &from.join(name), &to.join(name), true)?;
            }
            Ok(total)
        }
    }
}

fn abs_lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

impl Host for HostState {
    fn open(&mut self, path: String, flags: OpenFlags) -> FsResult<Resource<FileRes>> {
        let p = abs(&path);
        if let Ok(m) = self.vfs.stat(&p)
            && m.is_dir()
        {
            return Ok(Err(ErrorCode::IsADirectory));
        }
        let append = flags.contains(OpenFlags::APPEND);
        let write = flags.contains(OpenFlags::WRITE) || append;
        let mut opts = OpenOptions::new()
            .read(flags.contains(OpenFlags::READ) || !write)
            .write(write)
            .append(append)
            .create(flags.contains(OpenFlags::CREATE))
            .truncate(flags.contains(OpenFlags::TRUNCATE));
        opts.exclusive = flags.contains(OpenFlags::CREATE) && flags.contains(OpenFlags::EXCLUSIVE);
        let h = vfs!(self.vfs.open(&p, &opts));
        Ok(Ok(self.table.push(FileRes(h))?))
    }

    fn read(&mut self, path: String) -> FsResult<Vec<u8>> {
        Ok(Ok(vfs!(self.vfs.read(abs(&path))).to_vec()))
    }

    fn read_text(&mut self, path: String) -> FsResult<String> {
        let b = vfs!(self.vfs.read(abs(&path)));
        Ok(String::from_utf8(b.to_vec()).map_err(|_| ErrorCode::IllegalByteSequence))
    }

    fn write(&mut self, path: String, data: Vec<u8>) -> FsResult<()> {
        vfs!(self.vfs.write(abs(&path), data));
        Ok(Ok(()))
    }

    fn append(&mut self, path: String, data: Vec<u8>) -> FsResult<()> {
        vfs!(self.vfs.append(abs(&path), &data));
        Ok(Ok(()))
    }

    fn stat(&mut self, path: String) -> FsResult<WitMeta> {
        Ok(Ok(meta(&vfs!(self.vfs.stat(abs(&path))))))
    }

    fn lstat(&mut self, path: String) -> FsResult<WitMeta> {
        Ok(Ok(meta(&vfs!(self.vfs.lstat(abs(&path))))))
    }

    fn list(&mut self, path: String) -> FsResult<Vec<DirEntry>> {
        let entries = vfs!(self.vfs.read_dir(abs(&path)));
        Ok(Ok(entries
            .iter()
            .map(|e| DirEntry {
                name: String::from_utf8_lossy(e.name_bytes()).into_owned(),
                file_type: wit_type(e.file_type),
            })
            .collect()))
    }

    fn mkdir(&mut self, path: String, recursive: bool) -> FsResult<()> {
        let p = abs(&path);
        if recursive {
            vfs!(self.vfs.create_dir_all(&p, 0o777));
        } else {
            vfs!(self.vfs.mkdir(&p, 0o777));
        }
        Ok(Ok(()))
    }

    fn remove(&mut self, path: String, recursive: bool) -> FsResult<()> {
        // As `rm` and `rmdir(2)`: a path ending in `.` or `..` is refused, not resolved
        // (`data/..` would otherwise name, and remove, the whole tree above it).
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if last == "." || last == ".." {
            return Ok(Err(ErrorCode::Invalid));
        }
        let p = abs(&path);
        let m = vfs!(self.vfs.lstat(&p));
        if m.is_dir() {
            let root = vfs!(self.vfs.lstat("/"));
            if m.ino == root.ino {
                return Ok(Err(ErrorCode::Busy));
            }
            if recursive {
                vfs!(self.vfs.remove_all(&p));
            } else {
                vfs!(self.vfs.rmdir(&p));
            }
        } else {
            vfs!(self.vfs.unlink(&p));
        }
        Ok(Ok(()))
    }

    fn rename(&mut self, source: String, destination: String) -> FsResult<()> {
        vfs!(self.vfs.rename(abs(&source), abs(&destination)));
        Ok(Ok(()))
    }

    fn copy(&mut self, source: String, destination: String, recursive: bool) -> FsResult<u64> {
        let from = abs(&source);
        let mut to = abs(&destination);
        if let Ok(m) = self.vfs.stat(&to)
            && m.is_dir()
            && let Some(name) = from.file_name()
        {
            to = to.join(name);
        }
        Ok(Ok(vfs!(copy_tree(&self.vfs, &from, &to, recursive))))
    }

    fn symlink(&mut self, target: String, link: String) -> FsResult<()> {
        vfs!(self.vfs.symlink(&target, abs(&link)));
        Ok(Ok(()))
    }

    fn readlink(&mut self, path: String) -> FsResult<String> {
        let t = vfs!(self.vfs.read_link(abs(&path)));
        Ok(Ok(t.to_string_lossy().into_owned()))
    }

    fn realpath(&mut self, path: String) -> FsResult<String> {
        let t = vfs!(self.vfs.canonicalize(abs(&path)));
        Ok(Ok(t.to_string_lossy().into_owned()))
    }

    fn glob(&mut self, pattern: String) -> FsResult<Vec<String>> {
        let pattern = if pattern.starts_with('/') {
            pattern
        } else {
            format!("/{pattern}")
        };
        let found = vfs!(self.vfs.glob(&pattern));
        Ok(Ok(found
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()))
    }

    fn exists(&mut self, path: String) -> wasmtime::Result<bool> {
        Ok(self.vfs.exists(abs(&path)))
    }
}

impl HostFile for HostState {
    fn read(&mut self, f: Resource<FileRes>, len: u64) -> FsResult<Vec<u8>> {
        let h = &mut self.table.get_mut(&f)?.0;
        let want = usize::try_from(len).unwrap_or(usize::MAX).min(16 << 20);
        let mut buf = vec![0u8; want];
        let n = vfs!(h.read(&mut buf));
        buf.truncate(n);
        Ok(Ok(buf))
    }

    fn write(&mut self, f: Resource<FileRes>, data: Vec<u8>) -> FsResult<u64> {
        let h = &mut self.table.get_mut(&f)?.0;
        let mut done = 0;
        while done < data.len() {
            let n = vfs!(h.write(&data[done..]));
            if n == 0 {
                return Ok(Err(ErrorCode::NoSpace));
            }
            done += n;
        }
        Ok(Ok(done as u64))
    }

    fn seek(&mut self, f: Resource<FileRes>, offset: i64, whence: Whence) -> FsResult<u64> {
        let h = &mut self.table.get_mut(&f)?.0;
        let pos = match whence {
            Whence::Start => match u64::try_from(offset) {
                Ok(o) => SeekFrom::Start(o),
                Err(_) => return Ok(Err(ErrorCode::Invalid)),
            },
            Whence::Current => SeekFrom::Current(offset),
            Whence::End => SeekFrom::End(offset),
        };
        Ok(Ok(vfs!(h.seek(pos))))
    }

    fn set_len(&mut self, f: Resource<FileRes>, len: u64) -> FsResult<()> {
        let h = &self.table.get(&f)?.0;
        vfs!(h.set_len(len));
        Ok(Ok(()))
    }

    fn stat(&mut self, f: Resource<FileRes>) -> FsResult<WitMeta> {
        let h = &self.table.get(&f)?.0;
        Ok(Ok(meta(&vfs!(h.metadata()))))
    }

    fn drop(&mut self, f: Resource<FileRes>) -> wasmtime::Result<()> {
        self.table.delete(f)?;
        Ok(())
    }
}

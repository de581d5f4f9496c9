//! The `wasi:filesystem/types` and `preopens` host functions.

use std::path::PathBuf;
use std::sync::Arc;

use vfs_core::{Metadata, OpenOptions, SetTime, Timestamp, Vfs};
use wasmtime::component::Resource;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;
use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream};

use super::generated::wasi::filesystem::{preopens, types};
use super::streams::{FileReader, FileWriter};
use super::{
    Descriptor, DescriptorFlags, DescriptorType, DirStream, DirectoryEntry, ErrorCode,
    FsStreamError, OpenFile, WasiFsView, descriptor_type, error_code,
};
use types::{
    Advice, DescriptorStat, Filesize, MetadataHashValue, NewTimestamp, OpenFlags, PathFlags,
};

type FsResult<T> = wasmtime::Result<Result<T, ErrorCode>>;

/// `?` for a vfs-core result inside a function returning [`FsResult`].
macro_rules! vfs {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Ok(Err(error_code(e.errno()))),
        }
    };
}

/// `?` for a `Result<_, ErrorCode>` inside a function returning [`FsResult`].
macro_rules! fs {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        }
    };
}

fn datetime(t: Timestamp) -> Option<Datetime> {
    // WASI datetimes cannot be before 1970.
    u64::try_from(t.sec).ok().map(|seconds| Datetime {
        seconds,
        nanoseconds: t.nsec,
    })
}

fn stat_of(m: &Metadata) -> DescriptorStat {
    DescriptorStat {
        type_: descriptor_type(m.file_type),
        link_count: m.nlink,
        size: m.size,
        data_access_timestamp: datetime(m.atime),
        data_modification_timestamp: datetime(m.mtime),
        status_change_timestamp: datetime(m.ctime),
    }
}

fn set_time(t: NewTimestamp) -> SetTime {
    match t {
        NewTimestamp::NoChange => SetTime::Omit,
        NewTimestamp::Now => SetTime::Now,
        NewTimestamp::Timestamp(d) => SetTime::At(Timestamp {
            sec: i64::try_from(d.seconds).unwrap_or(i64::MAX),
            nsec: d.nanoseconds.min(999_999_999),
        }),
    }
}

fn hash_of(m: &Metadata) -> MetadataHashValue {
    MetadataHashValue {
        lower: m.ino,
        upper: (m.mtime.sec as u64) ^ (u64::from(m.mtime.nsec) << 32) ^ m.size.rotate_left(17),
    }
}

/// WASI paths are relative to a descriptor; an absolute one is refused as wasmtime does.
fn relative(path: &str) -> Result<&str, ErrorCode> {
    if path.starts_with('/') {
        Err(ErrorCode::NotPermitted)
    } else {
        Ok(path)
    }
}

fn follows(f: PathFlags) -> bool {
    f.contains(PathFlags::SYMLINK_FOLLOW)
}

impl WasiFsView<'_> {
    fn desc(&self, fd: &Resource<Descriptor>) -> wasmtime::Result<&Descriptor> {
        Ok(self.table.get(fd)?)
    }

    fn dir(&self, fd: &Resource<Descriptor>) -> wasmtime::Result<Result<&Vfs, ErrorCode>> {
        Ok(match self.desc(fd)? {
            Descriptor::Dir(v) => Ok(v),
            Descriptor::File(_) => Err(ErrorCode::NotDirectory),
        })
    }

    fn file(&self, fd: &Resource<Descriptor>) -> wasmtime::Result<Result<&OpenFile, ErrorCode>> {
        Ok(match self.desc(fd)? {
            Descriptor::File(f) => Ok(f),
            Descriptor::Dir(_) => Err(ErrorCode::IsDirectory),
        })
    }

    fn metadata(&self, fd: &Resource<Descriptor>) -> wasmtime::Result<Result<Metadata, ErrorCode>> {
        Ok(match self.desc(fd)? {
            Descriptor::Dir(v) => v.stat(".").map_err(|e| error_code(e.errno())),
            Descriptor::File(f) => f.handle.metadata().map_err(|e| error_code(e.errno())),
        })
    }

    /// The metadata of `path` relative to directory descriptor `fd`, following a final
    /// symlink when `flags` say so.
    fn metadata_at(
        &self,
        fd: &Resource<Descriptor>,
        flags: PathFlags,
        path: &str,
    ) -> wasmtime::Result<Result<Metadata, ErrorCode>> {
        let dir = match self.dir(fd)? {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        let path = match relative(path) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let found = if follows(flags) {
            dir.stat(path)
        } else {
            dir.lstat(path)
        };
        Ok(found.map_err(|e| error_code(e.errno())))
    }

    /// The absolute path of `path` relative to directory descriptor `fd`.
    fn absolute(
        &self,
        fd: &Resource<Descriptor>,
        path: &str,
    ) -> wasmtime::Result<Result<PathBuf, ErrorCode>> {
        let dir = match self.dir(fd)? {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        Ok(match dir.cwd() {
            Ok(cwd) => Ok(cwd.join(path)),
            Err(e) => Err(error_code(e.errno())),
        })
    }
}

impl types::Host for WasiFsView<'_> {
    fn filesystem_error_code(
        &mut self,
        err: Resource<wasmtime_wasi_io::streams::Error>,
    ) -> wasmtime::Result<Option<ErrorCode>> {
        let err = self.table.get(&err)?;
        Ok(err.downcast_ref::<FsStreamError>().map(|e| e.0))
    }
}

impl types::HostDescriptor for WasiFsView<'_> {
    fn read_via_stream(
        &mut self,
        fd: Resource<Descriptor>,
        offset: Filesize,
    ) -> FsResult<Resource<DynInputStream>> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::READ) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        let reader: DynInputStream = Box::new(FileReader {
            handle: Arc::clone(&f.handle),
            offset,
        });
        Ok(Ok(self.table.push(reader)?))
    }

    fn write_via_stream(
        &mut self,
        fd: Resource<Descriptor>,
        offset: Filesize,
    ) -> FsResult<Resource<DynOutputStream>> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::WRITE) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        let writer: DynOutputStream = Box::new(FileWriter {
            handle: Arc::clone(&f.handle),
            offset: Some(offset),
        });
        Ok(Ok(self.table.push(writer)?))
    }

    fn append_via_stream(
        &mut self,
        fd: Resource<Descriptor>,
    ) -> FsResult<Resource<DynOutputStream>> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::WRITE) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        let writer: DynOutputStream = Box::new(FileWriter {
            handle: Arc::clone(&f.handle),
            offset: None,
        });
        Ok(Ok(self.table.push(writer)?))
    }

    fn advise(
        &mut self,
        fd: Resource<Descriptor>,
        _: Filesize,
        _: Filesize,
        _: Advice,
    ) -> FsResult<()> {
        fs!(self.file(&fd)?);
        Ok(Ok(()))
    }

    fn sync_data(&mut self, fd: Resource<Descriptor>) -> FsResult<()> {
        self.desc(&fd)?;
        Ok(Ok(()))
    }

    fn get_flags(&mut self, fd: Resource<Descriptor>) -> FsResult<DescriptorFlags> {
        Ok(Ok(match self.desc(&fd)? {
            Descriptor::Dir(_) => DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY,
            Descriptor::File(f) => f.flags,
        }))
    }

    fn get_type(&mut self, fd: Resource<Descriptor>) -> FsResult<DescriptorType> {
        Ok(Ok(match self.desc(&fd)? {
            Descriptor::Dir(_) => DescriptorType::Directory,
            Descriptor::File(_) => DescriptorType::RegularFile,
        }))
    }

    fn set_size(&mut self, fd: Resource<Descriptor>, size: Filesize) -> FsResult<()> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::WRITE) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        vfs!(f.handle.set_len(size));
        Ok(Ok(()))
    }

    fn set_times(
        &mut self,
        fd: Resource<Descriptor>,
        atime: NewTimestamp,
        mtime: NewTimestamp,
    ) -> FsResult<()> {
        match self.desc(&fd)? {
            Descriptor::Dir(v) => vfs!(v.utimes(".", set_time(atime), set_time(mtime), true)),
            Descriptor::File(f) => vfs!(f.handle.set_times(set_time(atime), set_time(mtime))),
        }
        Ok(Ok(()))
    }

    fn read(
        &mut self,
        fd: Resource<Descriptor>,
        len: Filesize,
        offset: Filesize,
    ) -> FsResult<(Vec<u8>, bool)> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::READ) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        let want = usize::try_from(len).unwrap_or(usize::MAX).min(16 << 20);
        let mut buf = vec![0u8; want];
        let n = vfs!(f.handle.read_at(&mut buf, offset));
        buf.truncate(n);
        let eof = n == 0 && want > 0;
        Ok(Ok((buf, eof)))
    }

    fn write(
        &mut self,
        fd: Resource<Descriptor>,
        buf: Vec<u8>,
        offset: Filesize,
    ) -> FsResult<Filesize> {
        let f = fs!(self.file(&fd)?);
        if !f.flags.contains(DescriptorFlags::WRITE) {
            return Ok(Err(ErrorCode::BadDescriptor));
        }
        let n = vfs!(f.handle.write_at(&buf, offset));
        Ok(Ok(n as u64))
    }

    fn read_directory(&mut self, fd: Resource<Descriptor>) -> FsResult<Resource<DirStream>> {
        let dir = fs!(self.dir(&fd)?);
        let entries = vfs!(dir.read_dir("."));
        let entries: Vec<DirectoryEntry> = entries
            .iter()
            .map(|e| DirectoryEntry {
                type_: descriptor_type(e.file_type),
                name: String::from_utf8_lossy(e.name_bytes()).into_owned(),
            })
            .collect();
        let stream = DirStream {
            entries: entries.into_iter(),
        };
        Ok(Ok(self.table.push(stream)?))
    }

    fn sync(&mut self, fd: Resource<Descriptor>) -> FsResult<()> {
        self.desc(&fd)?;
        Ok(Ok(()))
    }

    fn create_directory_at(&mut self, fd: Resource<Descriptor>, path: String) -> FsResult<()> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        vfs!(dir.mkdir(path, 0o777));
        Ok(Ok(()))
    }

    fn stat(&mut self, fd: Resource<Descriptor>) -> FsResult<DescriptorStat> {
        let m = fs!(self.metadata(&fd)?);
        Ok(Ok(stat_of(&m)))
    }

    fn stat_at(
        &mut self,
        fd: Resource<Descriptor>,
        flags: PathFlags,
        path: String,
    ) -> FsResult<DescriptorStat> {
        let m = fs!(self.metadata_at(&fd, flags, &path)?);
        Ok(Ok(stat_of(&m)))
    }

    fn set_times_at(
        &mut self,
        fd: Resource<Descriptor>,
        flags: PathFlags,
        path: String,
        atime: NewTimestamp,
        mtime: NewTimestamp,
    ) -> FsResult<()> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        vfs!(dir.utimes(path, set_time(atime), set_time(mtime), follows(flags)));
        Ok(Ok(()))
    }

    fn link_at(
        &mut self,
        fd: Resource<Descriptor>,
        _flags: PathFlags,
        old_path: String,
        new_fd: Resource<Descriptor>,
        new_path: String,
    ) -> FsResult<()> {
        let old_path = fs!(relative(&old_path)).to_string();
        let new_path = fs!(relative(&new_path)).to_string();
        let to = fs!(self.absolute(&new_fd, &new_path)?);
        let dir = fs!(self.dir(&fd)?);
        vfs!(dir.link(old_path, to));
        Ok(Ok(()))
    }

    fn open_at(
        &mut self,
        fd: Resource<Descriptor>,
        path_flags: PathFlags,
        path: String,
        oflags: OpenFlags,
        flags: DescriptorFlags,
    ) -> FsResult<Resource<Descriptor>> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        let follow = follows(path_flags);
        let write = flags.contains(DescriptorFlags::WRITE);
        let found = if follow {
            dir.stat(path)
        } else {
            dir.lstat(path)
        };
        let opened = match found {
            Ok(m) if m.is_dir() => {
                if oflags.contains(OpenFlags::CREATE) && oflags.contains(OpenFlags::EXCLUSIVE) {
                    return Ok(Err(ErrorCode::Exist));
                }
                if write || oflags.contains(OpenFlags::TRUNCATE) {
                    return Ok(Err(ErrorCode::IsDirectory));
                }
                let mut view = dir.clone();
                vfs!(view.set_cwd(path));
                Descriptor::Dir(view)
            }
            Ok(m) if oflags.contains(OpenFlags::DIRECTORY) => {
                return Ok(Err(if m.is_symlink() {
                    ErrorCode::Loop
                } else {
                    ErrorCode::NotDirectory
                }));
            }
            Err(e)
                if oflags.contains(OpenFlags::DIRECTORY) || !oflags.contains(OpenFlags::CREATE) =>
            {
                return Ok(Err(error_code(e.errno())));
            }
            _ => {
                let read = flags.contains(DescriptorFlags::READ) || !write;
                let mut opts = OpenOptions::new()
                    .read(read)
                    .write(write)
                    .create(oflags.contains(OpenFlags::CREATE))
                    .truncate(oflags.contains(OpenFlags::TRUNCATE))
                    .nofollow(!follow);
                opts.exclusive =
                    oflags.contains(OpenFlags::CREATE) && oflags.contains(OpenFlags::EXCLUSIVE);
                let handle = vfs!(dir.open(path, &opts));
                let mut kept = flags & (DescriptorFlags::READ | DescriptorFlags::WRITE);
                if read {
                    kept |= DescriptorFlags::READ;
                }
                Descriptor::File(OpenFile {
                    handle: Arc::new(handle),
                    flags: kept,
                })
            }
        };
        Ok(Ok(self.table.push(opened)?))
    }

    fn readlink_at(&mut self, fd: Resource<Descriptor>, path: String) -> FsResult<String> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        let target = vfs!(dir.read_link(path));
        Ok(Ok(target.to_string_lossy().into_owned()))
    }

    fn remove_directory_at(&mut self, fd: Resource<Descriptor>, path: String) -> FsResult<()> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        vfs!(dir.rmdir(path));
        Ok(Ok(()))
    }

    fn rename_at(
        &mut self,
        fd: Resource<Descriptor>,
        old_path: String,
        new_fd: Resource<Descriptor>,
        new_path: String,
    ) -> FsResult<()> {
        let old_path = fs!(relative(&old_path)).to_string();
        let new_path = fs!(relative(&new_path)).to_string();
        let to = fs!(self.absolute(&new_fd, &new_path)?);
        let dir = fs!(self.dir(&fd)?);
        vfs!(dir.rename(old_path, to));
        Ok(Ok(()))
    }

    fn symlink_at(
        &mut self,
        fd: Resource<Descriptor>,
        target: String,
        path: String,
    ) -> FsResult<()> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        // A symlink may point anywhere; it resolves inside the sandbox filesystem.
        vfs!(dir.symlink(&target, path));
        Ok(Ok(()))
    }

    fn unlink_file_at(&mut self, fd: Resource<Descriptor>, path: String) -> FsResult<()> {
        let dir = fs!(self.dir(&fd)?);
        let path = fs!(relative(&path));
        vfs!(dir.unlink(path));
        Ok(Ok(()))
    }

    fn is_same_object(
        &mut self,
        a: Resource<Descriptor>,
        b: Resource<Descriptor>,
    ) -> wasmtime::Result<bool> {
        let ma = self.metadata(&a)?;
        let mb = self.metadata(&b)?;
        Ok(matches!((ma, mb), (Ok(x), Ok(y)) if x.ino == y.ino))
    }

    fn metadata_hash(&mut self, fd: Resource<Descriptor>) -> FsResult<MetadataHashValue> {
        let m = fs!(self.metadata(&fd)?);
        Ok(Ok(hash_of(&m)))
    }

    fn metadata_hash_at(
        &mut self,
        fd: Resource<Descriptor>,
        flags: PathFlags,
        path: String,
    ) -> FsResult<MetadataHashValue> {
        let m = fs!(self.metadata_at(&fd, flags, &path)?);
        Ok(Ok(hash_of(&m)))
    }

    fn drop(&mut self, fd: Resource<Descriptor>) -> wasmtime::Result<()> {
        self.table.delete(fd)?;
        Ok(())
    }
}

impl types::HostDirectoryEntryStream for WasiFsView<'_> {
    fn read_directory_entry(&mut self, s: Resource<DirStream>) -> FsResult<Option<DirectoryEntry>> {
        let s = self.table.get_mut(&s)?;
        Ok(Ok(s.entries.next()))
    }

    fn drop(&mut self, s: Resource<DirStream>) -> wasmtime::Result<()> {
        self.table.delete(s)?;
        Ok(())
    }
}

impl preopens::Host for WasiFsView<'_> {
    fn get_directories(&mut self) -> wasmtime::Result<Vec<(Resource<Descriptor>, String)>> {
        let mut root = self.vfs.clone();
        if root.set_cwd("/").is_err() {
            return Ok(Vec::new());
        }
        let fd = self.table.push(Descriptor::Dir(root))?;
        Ok(vec![(fd, "/".to_string())])
    }
}

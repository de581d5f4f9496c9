//! The kernel as oracle: the same operation list runs on the in-memory filesystem and,
//! in a child process chrooted into a fresh directory on tmpfs, on Linux itself; the
//! results (values and error codes) must be equal.
//!
//! The child is this test binary re-run with `VFS_ORACLE_CHILD=1` on the ignored test
//! `oracle_child`; it reads cases as JSON on stdin and answers one JSON line per case.
//! Chroot (we run as root; otherwise a user namespace is tried) makes `/`, `..` at the
//! root and absolute symlinks behave the same on both sides, and keeps the host safe.

#![allow(unsafe_code)]

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use vfs_core::{Access, Cred, Errno, FileType, OpenOptions, SetTime, Timestamp, Vfs};

/// Open flags, as bits.
pub const R: u16 = 1;
pub const W: u16 = 2;
pub const APPEND: u16 = 4;
pub const CREAT: u16 = 8;
pub const EXCL: u16 = 16;
pub const TRUNC: u16 = 32;
pub const DIRECTORY: u16 = 64;
pub const NOFOLLOW: u16 = 128;

/// One operation of a case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum Op {
    Mkdir(String, u32),
    Rmdir(String),
    Unlink(String),
    Rename(String, String),
    Link(String, String),
    Symlink(String, String),
    Readlink(String),
    Stat(String),
    Lstat(String),
    Chmod(String, u32),
    Chown(String, Option<u32>, Option<u32>),
    Lchown(String, Option<u32>, Option<u32>),
    Truncate(String, u64),
    /// open(O_WRONLY|O_CREAT|O_TRUNC, 0666), write, close.
    Write(String, String),
    /// open(O_WRONLY|O_CREAT|O_APPEND, 0666), write, close.
    Append(String, String),
    /// open(O_RDONLY), read all, close.
    Read(String),
    ReadDir(String),
    Realpath(String),
    Chdir(String),
    Getcwd,
    Access(String, u8),
    /// utimensat with explicit seconds (None = UTIME_OMIT), following symlinks.
    Utimes(String, Option<i64>, Option<i64>),
    /// atime and mtime seconds.
    Times(String),
    Umask(u32),
    /// Act as this uid/gid (no supplementary groups) from now on.
    AsUser(u32, u32),
    AsRoot,
    Open(u8, String, u16, u32),
    Close(u8),
    ReadH(u8, usize),
    WriteH(u8, String),
    PreadH(u8, usize, u64),
    PwriteH(u8, String, u64),
    SeekH(u8, u8, i64),
    SetLenH(u8, u64),
    FstatH(u8),
    /// The whole tree: every path with its lstat summary and content or target.
    Dump,
}

/// What an operation returned.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Res {
    Ok,
    Err(String),
    Meta {
        ty: char,
        mode: u32,
        nlink: u64,
        size: u64,
        uid: u32,
        gid: u32,
        ino: usize,
    },
    Data(String),
    Names(Vec<String>),
    Path(String),
    Num(u64),
    Times(i64, i64),
    Tree(Vec<String>),
}

fn errname(e: Errno) -> Res {
    Res::Err(e.name().to_string())
}

fn io_err(e: &std::io::Error) -> Res {
    match e.raw_os_error().and_then(Errno::from_code) {
        Some(c) => errname(c),
        None => match e.raw_os_error() {
            Some(n) => Res::Err(format!("errno {n}")),
            None => Res::Err(format!("{:?}", e.kind())),
        },
    }
}

/// Numbers inodes in order of first appearance, so both sides can be compared.
#[derive(Default)]
struct Inos(HashMap<u64, usize>);

impl Inos {
    fn id(&mut self, ino: u64) -> usize {
        let n = self.0.len();
        *self.0.entry(ino).or_insert(n)
    }
}

fn ty_char(t: FileType) -> char {
    match t {
        FileType::File => 'f',
        FileType::Dir => 'd',
        FileType::Symlink => 'l',
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs ops on the in-memory filesystem.
pub struct VfsSide {
    pub fs: Vfs,
    handles: HashMap<u8, vfs_core::Handle>,
    inos: Inos,
}

impl Default for VfsSide {
    fn default() -> Self {
        Self::new()
    }
}

impl VfsSide {
    pub fn new() -> Self {
        VfsSide {
            fs: Vfs::new(),
            handles: HashMap::new(),
            inos: Inos::default(),
        }
    }

    fn meta(&mut self, m: vfs_core::Metadata) -> Res {
        Res::Meta {
            ty: ty_char(m.file_type),
            mode: m.mode,
            nlink: m.nlink,
            size: m.size,
            uid: m.uid,
            gid: m.gid,
            ino: self.inos.id(m.ino),
        }
    }

    fn r<T>(&mut self, r: vfs_core::Result<T>, f: impl FnOnce(&mut Self, T) -> Res) -> Res {
        match r {
            Ok(v) => f(self, v),
            Err(e) => errname(e.errno()),
        }
    }

    pub fn run(&mut self, op: &Op) -> Res {
        let fs = self.fs.clone();
        match op {
            Op::Mkdir(p, m) => self.r(fs.mkdir(p, *m), |_, _| Res::Ok),
            Op::Rmdir(p) => self.r(fs.rmdir(p), |_, _| Res::Ok),
            Op::Unlink(p) => self.r(fs.unlink(p), |_, _| Res::Ok),
            Op::Rename(a, b) => self.r(fs.rename(a, b), |_, _| Res::Ok),
            Op::Link(a, b) => self.r(fs.link(a, b), |_, _| Res::Ok),
            Op::Symlink(t, p) => self.r(fs.symlink(t, p), |_, _| Res::Ok),
            Op::Readlink(p) => self.r(fs.read_link(p), |_, t| {
                Res::Path(t.to_string_lossy().into_owned())
            }),
            Op::Stat(p) => self.r(fs.stat(p), |s, m| s.meta(m)),
            Op::Lstat(p) => self.r(fs.lstat(p), |s, m| s.meta(m)),
            Op::Chmod(p, m) => self.r(fs.chmod(p, *m), |_, _| Res::Ok),
            Op::Chown(p, u, g) => self.r(fs.chown(p, *u, *g, true), |_, _| Res::Ok),
            Op::Lchown(p, u, g) => self.r(fs.chown(p, *u, *g, false), |_, _| Res::Ok),
            Op::Truncate(p, n) => self.r(fs.truncate(p, *n), |_, _| Res::Ok),
            Op::Write(p, d) => {
                let r = fs
                    .open(p, &OpenOptions::create_truncate())
                    .and_then(|mut h| h.write(d.as_bytes()));
                self.r(r, |_, n| Res::Num(n as u64))
            }
            Op::Append(p, d) => {
                let r = fs
                    .open(p, &OpenOptions::create_append())
                    .and_then(|mut h| h.write(d.as_bytes()));
                self.r(r, |_, n| Res::Num(n as u64))
            }
            Op::Read(p) => {
                let r = fs.open(p, &OpenOptions::read_only()).and_then(|mut h| {
                    let mut v = Vec::new();
                    h.read_to_end(&mut v)?;
                    Ok(v)
                });
                self.r(r, |_, v| Res::Data(lossy(&v)))
            }
            Op::ReadDir(p) => self.r(fs.read_dir(p), |_, es| {
                Res::Names(
                    es.iter()
                        .map(|e| format!("{}:{}", lossy(e.name_bytes()), ty_char(e.file_type)))
                        .collect(),
                )
            }),
            Op::Realpath(p) => self.r(fs.canonicalize(p), |_, t| {
                Res::Path(t.to_string_lossy().into_owned())
            }),
            Op::Chdir(p) => {
                let r = self.fs.set_cwd(p);
                self.r(r, |_, _| Res::Ok)
            }
            Op::Getcwd => self.r(fs.cwd(), |_, t| Res::Path(t.to_string_lossy().into_owned())),
            Op::Access(p, m) => self.r(fs.access(p, Access(*m)), |_, _| Res::Ok),
            Op::Utimes(p, a, m) => {
                let t = |s: &Option<i64>| match s {
                    Some(s) => SetTime::At(Timestamp::new(*s, 0)),
                    None => SetTime::Omit,
                };
                self.r(fs.utimes(p, t(a), t(m), true), |_, _| Res::Ok)
            }
            Op::Times(p) => self.r(fs.stat(p), |_, m| Res::Times(m.atime.sec, m.mtime.sec)),
            Op::Umask(m) => {
                self.fs.set_umask(*m);
                Res::Ok
            }
            Op::AsUser(u, g) => {
                self.fs.set_cred(Cred::user(*u, *g));
                Res::Ok
            }
            Op::AsRoot => {
                self.fs.set_cred(Cred::root());
                Res::Ok
            }
            Op::Open(slot, p, flags, mode) => {
                let o = OpenOptions {
                    read: flags & R != 0,
                    write: flags & W != 0,
                    append: flags & APPEND != 0,
                    create: flags & CREAT != 0,
                    exclusive: flags & EXCL != 0,
                    truncate: flags & TRUNC != 0,
                    directory: flags & DIRECTORY != 0,
                    nofollow: flags & NOFOLLOW != 0,
                    mode: *mode,
                };
                let r = fs.open(p, &o);
                self.r(r, |s, h| {
                    s.handles.insert(*slot, h);
                    Res::Ok
                })
            }
            Op::Close(slot) => match self.handles.remove(slot) {
                Some(_) => Res::Ok,
                None => errname(Errno::BadDescriptor),
            },
            Op::ReadH(slot, n) => match self.handles.get_mut(slot) {
                Some(h) => {
                    let mut buf = vec![0; *n];
                    match h.read(&mut buf) {
                        Ok(k) => Res::Data(lossy(&buf[..k])),
                        Err(e) => errname(e.errno()),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::WriteH(slot, d) => match self.handles.get_mut(slot) {
                Some(h) => match h.write(d.as_bytes()) {
                    Ok(k) => Res::Num(k as u64),
                    Err(e) => errname(e.errno()),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::PreadH(slot, n, off) => match self.handles.get(slot) {
                Some(h) => {
                    let mut buf = vec![0; *n];
                    match h.read_at(&mut buf, *off) {
                        Ok(k) => Res::Data(lossy(&buf[..k])),
                        Err(e) => errname(e.errno()),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::PwriteH(slot, d, off) => match self.handles.get(slot) {
                Some(h) => match h.write_at(d.as_bytes(), *off) {
                    Ok(k) => Res::Num(k as u64),
                    Err(e) => errname(e.errno()),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::SeekH(slot, whence, off) => match self.handles.get_mut(slot) {
                Some(h) => {
                    let pos = match whence {
                        0 => SeekFrom::Start(*off as u64),
                        1 => SeekFrom::Current(*off),
                        _ => SeekFrom::End(*off),
                    };
                    match h.seek(pos) {
                        Ok(k) => Res::Num(k),
                        Err(e) => errname(e.errno()),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::SetLenH(slot, n) => match self.handles.get(slot) {
                Some(h) => match h.set_len(*n) {
                    Ok(()) => Res::Ok,
                    Err(e) => errname(e.errno()),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::FstatH(slot) => match self.handles.get(slot).map(|h| h.metadata()) {
                Some(Ok(m)) => self.meta(m),
                Some(Err(e)) => errname(e.errno()),
                None => errname(Errno::BadDescriptor),
            },
            Op::Dump => {
                let mut out = Vec::new();
                let root = self.fs.clone();
                let mut root = root;
                root.set_cred(Cred::root());
                let mut stack = vec!["/".to_string()];
                while let Some(p) = stack.pop() {
                    let Ok(m) = root.lstat(&p) else { continue };
                    let extra = match m.file_type {
                        FileType::File => {
                            lossy(&root.read(&p).map(|b| b.to_vec()).unwrap_or_default())
                        }
                        FileType::Symlink => root
                            .read_link(&p)
                            .map(|t| t.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        FileType::Dir => {
                            if let Ok(es) = root.read_dir(&p) {
                                for e in es.iter().rev() {
                                    let base = if p == "/" { String::new() } else { p.clone() };
                                    stack.push(format!("{base}/{}", lossy(e.name_bytes())));
                                }
                            }
                            String::new()
                        }
                    };
                    let size = if m.is_dir() { 0 } else { m.size };
                    out.push(format!(
                        "{p} {} {:o} n{} s{} {}",
                        ty_char(m.file_type),
                        m.mode,
                        m.nlink,
                        size,
                        extra
                    ));
                }
                Res::Tree(out)
            }
        }
    }
}

/// Runs ops on the real kernel (inside the chroot).
pub struct RealSide {
    handles: HashMap<u8, std::fs::File>,
    inos: Inos,
}

fn cstr(p: &str) -> std::ffi::CString {
    std::ffi::CString::new(p).unwrap_or_default()
}

fn check(rc: libc::c_int) -> Res {
    if rc == 0 {
        Res::Ok
    } else {
        io_err(&std::io::Error::last_os_error())
    }
}

impl RealSide {
    fn meta(&mut self, m: std::fs::Metadata) -> Res {
        let ty = if m.file_type().is_dir() {
            'd'
        } else if m.file_type().is_symlink() {
            'l'
        } else {
            'f'
        };
        Res::Meta {
            ty,
            mode: m.mode() & 0o7777,
            nlink: m.nlink(),
            size: m.size(),
            uid: m.uid(),
            gid: m.gid(),
            ino: self.inos.id(m.ino()),
        }
    }

    fn r<T>(&mut self, r: std::io::Result<T>, f: impl FnOnce(&mut Self, T) -> Res) -> Res {
        match r {
            Ok(v) => f(self, v),
            Err(e) => io_err(&e),
        }
    }

    fn run(&mut self, op: &Op) -> Res {
        use std::fs;
        match op {
            Op::Mkdir(p, m) => self.r(fs::DirBuilder::new().mode(*m).create(p), |_, _| Res::Ok),
            Op::Rmdir(p) => self.r(fs::remove_dir(p), |_, _| Res::Ok),
            Op::Unlink(p) => self.r(fs::remove_file(p), |_, _| Res::Ok),
            Op::Rename(a, b) => self.r(fs::rename(a, b), |_, _| Res::Ok),
            Op::Link(a, b) => self.r(fs::hard_link(a, b), |_, _| Res::Ok),
            Op::Symlink(t, p) => self.r(std::os::unix::fs::symlink(t, p), |_, _| Res::Ok),
            Op::Readlink(p) => self.r(fs::read_link(p), |_, t| {
                Res::Path(t.to_string_lossy().into_owned())
            }),
            Op::Stat(p) => self.r(fs::metadata(p), |s, m| s.meta(m)),
            Op::Lstat(p) => self.r(fs::symlink_metadata(p), |s, m| s.meta(m)),
            Op::Chmod(p, m) => self.r(
                fs::set_permissions(p, fs::Permissions::from_mode(*m)),
                |_, _| Res::Ok,
            ),
            Op::Chown(p, u, g) => self.r(std::os::unix::fs::chown(p, *u, *g), |_, _| Res::Ok),
            Op::Lchown(p, u, g) => self.r(std::os::unix::fs::lchown(p, *u, *g), |_, _| Res::Ok),
            Op::Truncate(p, n) => {
                let c = cstr(p);
                check(unsafe { libc::truncate(c.as_ptr(), *n as libc::off_t) })
            }
            Op::Write(p, d) => {
                let r = fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(p)
                    .and_then(|mut f| f.write(d.as_bytes()));
                self.r(r, |_, n| Res::Num(n as u64))
            }
            Op::Append(p, d) => {
                let r = fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(p)
                    .and_then(|mut f| f.write(d.as_bytes()));
                self.r(r, |_, n| Res::Num(n as u64))
            }
            Op::Read(p) => {
                let r = fs::File::open(p).and_then(|mut f| {
                    let mut v = Vec::new();
                    f.read_to_end(&mut v)?;
                    Ok(v)
                });
                self.r(r, |_, v| Res::Data(lossy(&v)))
            }
            Op::ReadDir(p) => {
                let r = fs::read_dir(p).and_then(|rd| {
                    let mut v = Vec::new();
                    for e in rd {
                        let e = e?;
                        let t = e.file_type()?;
                        let c = if t.is_dir() {
                            'd'
                        } else if t.is_symlink() {
                            'l'
                        } else {
                            'f'
                        };
                        v.push(format!("{}:{c}", e.file_name().to_string_lossy()));
                    }
                    v.sort();
                    Ok(v)
                });
                self.r(r, |_, v| Res::Names(v))
            }
            Op::Realpath(p) => self.r(fs::canonicalize(p), |_, t| {
                Res::Path(t.to_string_lossy().into_owned())
            }),
            Op::Chdir(p) => self.r(std::env::set_current_dir(p), |_, _| Res::Ok),
            Op::Getcwd => {
                let mut buf = vec![0u8; 8192];
                let ptr = unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) };
                if ptr.is_null() {
                    io_err(&std::io::Error::last_os_error())
                } else {
                    let n = buf.iter().position(|&b| b == 0).unwrap_or(0);
                    Res::Path(lossy(&buf[..n]))
                }
            }
            Op::Access(p, m) => {
                let c = cstr(p);
                // faccessat with AT_EACCESS checks the fs credentials, like the VFS.
                check(unsafe {
                    libc::faccessat(libc::AT_FDCWD, c.as_ptr(), i32::from(*m), libc::AT_EACCESS)
                })
            }
            Op::Utimes(p, a, m) => {
                let t = |s: &Option<i64>| match s {
                    Some(s) => libc::timespec {
                        tv_sec: *s,
                        tv_nsec: 0,
                    },
                    None => libc::timespec {
                        tv_sec: 0,
                        tv_nsec: libc::UTIME_OMIT,
                    },
                };
                let ts = [t(a), t(m)];
                let c = cstr(p);
                check(unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), 0) })
            }
            Op::Times(p) => self.r(fs::metadata(p), |_, m| Res::Times(m.atime(), m.mtime())),
            Op::Umask(m) => {
                unsafe { libc::umask(*m as libc::mode_t) };
                Res::Ok
            }
            Op::AsUser(u, g) => {
                unsafe {
                    libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>());
                    libc::syscall(libc::SYS_setfsgid, *g);
                    libc::syscall(libc::SYS_setfsuid, *u);
                }
                Res::Ok
            }
            Op::AsRoot => {
                as_root();
                Res::Ok
            }
            Op::Open(slot, p, flags, mode) => {
                let mut o = fs::OpenOptions::new();
                let write = flags & W != 0;
                let append = flags & APPEND != 0;
                o.read(flags & R != 0 || !(write || append))
                    .write(write)
                    .append(append)
                    .mode(*mode);
                let mut custom = 0;
                if flags & CREAT != 0 {
                    custom |= libc::O_CREAT;
                }
                if flags & EXCL != 0 {
                    custom |= libc::O_EXCL;
                }
                if flags & TRUNC != 0 {
                    custom |= libc::O_TRUNC;
                }
                if flags & DIRECTORY != 0 {
                    custom |= libc::O_DIRECTORY;
                }
                if flags & NOFOLLOW != 0 {
                    custom |= libc::O_NOFOLLOW;
                }
                o.custom_flags(custom);
                let r = o.open(p);
                self.r(r, |s, f| {
                    s.handles.insert(*slot, f);
                    Res::Ok
                })
            }
            Op::Close(slot) => match self.handles.remove(slot) {
                Some(_) => Res::Ok,
                None => errname(Errno::BadDescriptor),
            },
            Op::ReadH(slot, n) => match self.handles.get_mut(slot) {
                Some(f) => {
                    let mut buf = vec![0; *n];
                    match f.read(&mut buf) {
                        Ok(k) => Res::Data(lossy(&buf[..k])),
                        Err(e) => io_err(&e),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::WriteH(slot, d) => match self.handles.get_mut(slot) {
                Some(f) => match f.write(d.as_bytes()) {
                    Ok(k) => Res::Num(k as u64),
                    Err(e) => io_err(&e),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::PreadH(slot, n, off) => match self.handles.get(slot) {
                Some(f) => {
                    let mut buf = vec![0; *n];
                    match f.read_at(&mut buf, *off) {
                        Ok(k) => Res::Data(lossy(&buf[..k])),
                        Err(e) => io_err(&e),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::PwriteH(slot, d, off) => match self.handles.get(slot) {
                Some(f) => match f.write_at(d.as_bytes(), *off) {
                    Ok(k) => Res::Num(k as u64),
                    Err(e) => io_err(&e),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::SeekH(slot, whence, off) => match self.handles.get_mut(slot) {
                Some(f) => {
                    let pos = match whence {
                        0 => SeekFrom::Start(*off as u64),
                        1 => SeekFrom::Current(*off),
                        _ => SeekFrom::End(*off),
                    };
                    match f.seek(pos) {
                        Ok(k) => Res::Num(k),
                        Err(e) => io_err(&e),
                    }
                }
                None => errname(Errno::BadDescriptor),
            },
            Op::SetLenH(slot, n) => match self.handles.get(slot) {
                Some(f) => match f.set_len(*n) {
                    Ok(()) => Res::Ok,
                    Err(e) => io_err(&e),
                },
                None => errname(Errno::BadDescriptor),
            },
            Op::FstatH(slot) => match self.handles.get(slot).map(|f| f.metadata()) {
                Some(Ok(m)) => self.meta(m),
                Some(Err(e)) => io_err(&e),
                None => errname(Errno::BadDescriptor),
            },
            Op::Dump => {
                as_root();
                let mut out = Vec::new();
                let mut stack = vec!["/".to_string()];
                while let Some(p) = stack.pop() {
                    let Ok(m) = fs::symlink_metadata(&p) else {
                        continue;
                    };
                    let t = m.file_type();
                    let (c, extra) = if t.is_dir() {
                        let mut names: Vec<String> = fs::read_dir(&p)
                            .map(|rd| {
                                rd.filter_map(|e| e.ok())
                                    .map(|e| e.file_name().to_string_lossy().into_owned())
                                    .collect()
                            })
                            .unwrap_or_default();
                        names.sort();
                        for n in names.iter().rev() {
                            let base = if p == "/" { String::new() } else { p.clone() };
                            stack.push(format!("{base}/{n}"));
                        }
                        ('d', String::new())
                    } else if t.is_symlink() {
                        (
                            'l',
                            fs::read_link(&p)
                                .map(|t| t.to_string_lossy().into_owned())
                                .unwrap_or_default(),
                        )
                    } else {
                        ('f', lossy(&fs::read(&p).unwrap_or_default()))
                    };
                    let size = if c == 'd' { 0 } else { m.size() };
                    out.push(format!(
                        "{p} {c} {:o} n{} s{size} {extra}",
                        m.mode() & 0o7777,
                        m.nlink()
                    ));
                }
                Res::Tree(out)
            }
        }
    }
}

fn as_root() {
    unsafe {
        libc::syscall(libc::SYS_setfsuid, 0);
        libc::syscall(libc::SYS_setfsgid, 0);
    }
}

/// Run cases on the VFS.
pub fn run_vfs(ops: &[Op]) -> Vec<Res> {
    let mut side = VfsSide::new();
    let mut out = Vec::new();
    for op in ops {
        out.push(side.run(op));
        if let Err(e) = side.fs.fsck() {
            panic!("fsck failed after {op:?}: {e}\nops: {ops:?}");
        }
    }
    drop(side.handles);
    if let Err(e) = side.fs.fsck() {
        panic!("fsck failed after closing handles: {e}\nops: {ops:?}");
    }
    out
}

/// Run cases on the kernel, in a child process.
pub fn run_real(cases: &[Vec<Op>]) -> Vec<Vec<Res>> {
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "oracle::oracle_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env("VFS_ORACLE_CHILD", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn oracle child");
    let input = serde_json::to_string(cases).expect("encode cases");
    let mut stdin = child.stdin.take().expect("child stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("oracle child output");
    let _ = writer.join();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("ORACLE:"))
        .unwrap_or_else(|| {
            panic!(
                "oracle child gave no answer (status {}): {text}",
                out.status
            )
        });
    serde_json::from_str(line).expect("decode oracle answer")
}

/// Enter a fresh chroot in `base` for one case; `base_fd` leads back out.
fn enter_case(base_fd: libc::c_int, n: usize) {
    let name = cstr(&format!("case{n}"));
    unsafe {
        assert_eq!(libc::fchdir(base_fd), 0, "fchdir base");
        assert_eq!(libc::chroot(c".".as_ptr()), 0, "chroot base");
        assert_eq!(libc::mkdir(name.as_ptr(), 0o755), 0, "mkdir case dir");
        assert_eq!(libc::chroot(name.as_ptr()), 0, "chroot case");
        assert_eq!(libc::chdir(c"/".as_ptr()), 0, "chdir /");
        libc::umask(0o022);
    }
}

/// The child side: read cases, run each in its own chroot, print the results.
#[test]
#[ignore = "entry point of the kernel-oracle child process, run by the other tests"]
fn oracle_child() {
    if std::env::var_os("VFS_ORACLE_CHILD").is_none() {
        return;
    }
    let mut input = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut input)
        .expect("read cases");
    let cases: Vec<Vec<Op>> = serde_json::from_str(&input).expect("decode cases");
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("oracle temp dir");
    let c = cstr(&base.path().to_string_lossy());
    let base_fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY) };
    assert!(base_fd >= 0, "open base dir");
    if unsafe { libc::geteuid() } != 0 {
        // Not root: a user namespace in which we are, so chroot is allowed.
        let rc = unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS) };
        assert_eq!(rc, 0, "the kernel oracle needs root or user namespaces");
    }
    let mut all = Vec::new();
    for (i, ops) in cases.iter().enumerate() {
        enter_case(base_fd, i);
        let mut side = RealSide {
            handles: HashMap::new(),
            inos: Inos::default(),
        };
        let res: Vec<Res> = ops.iter().map(|op| side.run(op)).collect();
        drop(side);
        as_root();
        all.push(res);
    }
    unsafe {
        libc::fchdir(base_fd);
        libc::chroot(c".".as_ptr());
    }
    println!(
        "ORACLE:{}",
        serde_json::to_string(&all).expect("encode results")
    );
    let _ = std::io::stdout().flush();
    // Leave the temp dir for TempDir's drop to clean up (we are back at its root).
    let _ = std::env::set_current_dir("/");
    drop(base);
}

/// Compare one case on both sides; the error lists every difference.
pub fn compare(ops: &[Op], vfs: &[Res], real: &[Res]) -> Result<(), String> {
    let mut diffs = String::new();
    for (i, op) in ops.iter().enumerate() {
        let (a, b) = (vfs.get(i), real.get(i));
        if a != b {
            diffs.push_str(&format!(
                "  #{i} {op:?}\n      vfs:   {a:?}\n      linux: {b:?}\n"
            ));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        let all: Vec<String> = ops.iter().map(|o| format!("{o:?}")).collect();
        Err(format!("ops: [{}]\n{diffs}", all.join(", ")))
    }
}

/// Run each case on both sides and panic with every mismatch.
pub fn assert_same(cases: &[(&str, Vec<Op>)]) {
    let ops: Vec<Vec<Op>> = cases.iter().map(|(_, o)| o.clone()).collect();
    let real = run_real(&ops);
    let mut failures = Vec::new();
    for ((name, ops), real) in cases.iter().zip(real) {
        let vfs = run_vfs(ops);
        if let Err(e) = compare(ops, &vfs, &real) {
            failures.push(format!("{name}:\n{e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ from Linux:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn oracle_is_live() {
    // The child really runs on the kernel: it sees what it made and nothing of the host.
    let real = run_real(&[vec![
        Op::Stat("/etc/passwd".into()),
        Op::Mkdir("x".into(), 0o755),
        Op::Stat("/x".into()),
        Op::ReadDir("/".into()),
        Op::Getcwd,
    ]]);
    assert_eq!(real.len(), 1);
    assert_eq!(real[0][0], Res::Err("ENOENT".into()));
    assert_eq!(real[0][1], Res::Ok);
    assert!(matches!(real[0][2], Res::Meta { ty: 'd', .. }));
    assert_eq!(real[0][3], Res::Names(vec!["x:d".into()]));
    assert_eq!(real[0][4], Res::Path("/".into()));
}

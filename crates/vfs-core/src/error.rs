//! Errno-shaped errors.
//!
//! Every failure of the filesystem is one of the POSIX conditions Linux would report, as a
//! `Copy` enum ([`Errno`]) whose `Display` is the glibc `strerror` wording. The path the
//! operation was given is attached once, at the API layer, in [`Error`].

use std::fmt;
use std::path::{Path, PathBuf};

/// A POSIX error condition, numbered as on Linux.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Errno {
    /// `EPERM`: operation not permitted.
    Perm,
    /// `ENOENT`: no such file or directory.
    NoEntry,
    /// `EIO`: input/output error.
    Io,
    /// `EBADF`: bad file descriptor.
    BadDescriptor,
    /// `ENOMEM`: cannot allocate memory.
    NoMemory,
    /// `EACCES`: permission denied.
    Access,
    /// `EBUSY`: device or resource busy.
    Busy,
    /// `EEXIST`: file exists.
    Exist,
    /// `EXDEV`: invalid cross-device link.
    CrossesDevices,
    /// `ENOTDIR`: not a directory.
    NotDirectory,
    /// `EISDIR`: is a directory.
    IsDirectory,
    /// `EINVAL`: invalid argument.
    Invalid,
    /// `EMFILE`: too many open files.
    TooManyFiles,
    /// `EFBIG`: file too large.
    FileTooBig,
    /// `ENOSPC`: no space left on device.
    NoSpace,
    /// `ESPIPE`: illegal seek.
    InvalidSeek,
    /// `EROFS`: read-only file system.
    ReadOnly,
    /// `EMLINK`: too many links.
    TooManyLinks,
    /// `ENAMETOOLONG`: file name too long.
    NameTooLong,
    /// `ENOTEMPTY`: directory not empty.
    NotEmpty,
    /// `ELOOP`: too many levels of symbolic links.
    Loop,
    /// `EOVERFLOW`: value too large for defined data type.
    Overflow,
    /// `EOPNOTSUPP`: operation not supported.
    NotSupported,
}

impl Errno {
    /// Every variant, for tables and tests.
    pub const ALL: [Errno; 23] = [
        Errno::Perm,
        Errno::NoEntry,
        Errno::Io,
        Errno::BadDescriptor,
        Errno::NoMemory,
        Errno::Access,
        Errno::Busy,
        Errno::Exist,
        Errno::CrossesDevices,
        Errno::NotDirectory,
        Errno::IsDirectory,
        Errno::Invalid,
        Errno::TooManyFiles,
        Errno::FileTooBig,
        Errno::NoSpace,
        Errno::InvalidSeek,
        Errno::ReadOnly,
        Errno::TooManyLinks,
        Errno::NameTooLong,
        Errno::NotEmpty,
        Errno::Loop,
        Errno::Overflow,
        Errno::NotSupported,
    ];

    /// The Linux errno number.
    pub const fn code(self) -> i32 {
        match self {
            Errno::Perm => 1,
            Errno::NoEntry => 2,
            Errno::Io => 5,
            Errno::BadDescriptor => 9,
            Errno::NoMemory => 12,
            Errno::Access => 13,
            Errno::Busy => 16,
            Errno::Exist => 17,
            Errno::CrossesDevices => 18,
            Errno::NotDirectory => 20,
            Errno::IsDirectory => 21,
            Errno::Invalid => 22,
            Errno::TooManyFiles => 24,
            Errno::FileTooBig => 27,
            Errno::NoSpace => 28,
            Errno::InvalidSeek => 29,
            Errno::ReadOnly => 30,
            Errno::TooManyLinks => 31,
            Errno::NameTooLong => 36,
            Errno::NotEmpty => 39,
            Errno::Loop => 40,
            Errno::Overflow => 75,
            Errno::NotSupported => 95,
        }
    }

    /// The variant for a Linux errno number, if it is one this filesystem uses.
    pub fn from_code(code: i32) -> Option<Errno> {
        Errno::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The symbolic name (`"ENOENT"`).
    pub const fn name(self) -> &'static str {
        match self {
            Errno::Perm => "EPERM",
            Errno::NoEntry => "ENOENT",
            Errno::Io => "EIO",
            Errno::BadDescriptor => "EBADF",
            Errno::NoMemory => "ENOMEM",
            Errno::Access => "EACCES",
            Errno::Busy => "EBUSY",
            Errno::Exist => "EEXIST",
            Errno::CrossesDevices => "EXDEV",
            Errno::NotDirectory => "ENOTDIR",
            Errno::IsDirectory => "EISDIR",
            Errno::Invalid => "EINVAL",
            Errno::TooManyFiles => "EMFILE",
            Errno::FileTooBig => "EFBIG",
            Errno::NoSpace => "ENOSPC",
            Errno::InvalidSeek => "ESPIPE",
            Errno::ReadOnly => "EROFS",
            Errno::TooManyLinks => "EMLINK",
            Errno::NameTooLong => "ENAMETOOLONG",
            Errno::NotEmpty => "ENOTEMPTY",
            Errno::Loop => "ELOOP",
            Errno::Overflow => "EOVERFLOW",
            Errno::NotSupported => "EOPNOTSUPP",
        }
    }

    /// The glibc `strerror` text ("No such file or directory").
    pub const fn message(self) -> &'static str {
        match self {
            Errno::Perm => "Operation not permitted",
            Errno::NoEntry => "No such file or directory",
            Errno::Io => "Input/output error",
            Errno::BadDescriptor => "Bad file descriptor",
            Errno::NoMemory => "Cannot allocate memory",
            Errno::Access => "Permission denied",
            Errno::Busy => "Device or resource busy",
            Errno::Exist => "File exists",
            Errno::CrossesDevices => "Invalid cross-device link",
            Errno::NotDirectory => "Not a directory",
            Errno::IsDirectory => "Is a directory",
            Errno::Invalid => "Invalid argument",
            Errno::TooManyFiles => "Too many open files",
            Errno::FileTooBig => "File too large",
            Errno::NoSpace => "No space left on device",
            Errno::InvalidSeek => "Illegal seek",
            Errno::ReadOnly => "Read-only file system",
            Errno::TooManyLinks => "Too many links",
            Errno::NameTooLong => "File name too long",
            Errno::NotEmpty => "Directory not empty",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::Overflow => "Value too large for defined data type",
            Errno::NotSupported => "Operation not supported",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Errno {}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.code())
    }
}

/// An [`Errno`] with the path (or paths) the failing call was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    errno: Errno,
    path: Option<PathBuf>,
    dest: Option<PathBuf>,
}

impl Error {
    /// An error with no path attached.
    pub fn new(errno: Errno) -> Self {
        Error {
            errno,
            path: None,
            dest: None,
        }
    }

    /// An error about `path`.
    pub fn with_path(errno: Errno, path: impl Into<PathBuf>) -> Self {
        Error {
            errno,
            path: Some(path.into()),
            dest: None,
        }
    }

    /// An error about a two-path call (rename, link, symlink).
    pub fn with_paths(errno: Errno, path: impl Into<PathBuf>, dest: impl Into<PathBuf>) -> Self {
        Error {
            errno,
            path: Some(path.into()),
            dest: Some(dest.into()),
        }
    }

    /// The POSIX condition.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    /// The path the call was given, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The second path of a two-path call, if any.
    pub fn dest(&self) -> Option<&Path> {
        self.dest.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, &self.dest) {
            (Some(p), Some(d)) => write!(
                f,
                "{} -> {}: {}",
                p.display(),
                d.display(),
                self.errno.message()
            ),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.errno.message()),
            _ => f.write_str(self.errno.message()),
        }
    }
}

impl std::error::Error for Error {}

impl From<Errno> for Error {
    fn from(errno: Errno) -> Self {
        Error::new(errno)
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        let kind = std::io::Error::from_raw_os_error(e.errno.code()).kind();
        std::io::Error::new(kind, e)
    }
}

/// Results of the public API.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_the_host_libc() {
        for e in Errno::ALL {
            let host = std::io::Error::from_raw_os_error(e.code()).to_string();
            // std formats "MESSAGE (os error N)".
            let expected = format!("{} (os error {})", e.message(), e.code());
            assert_eq!(host, expected, "{}", e.name());
            assert_eq!(Errno::from_code(e.code()), Some(e));
        }
    }

    #[test]
    fn display_attaches_paths() {
        assert_eq!(
            Error::with_path(Errno::NoEntry, "/x").to_string(),
            "/x: No such file or directory"
        );
        assert_eq!(
            Error::with_paths(Errno::Exist, "a", "b").to_string(),
            "a -> b: File exists"
        );
    }
}

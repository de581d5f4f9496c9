//! `--mount` and `--export`: the only ways a session touches the host, both through
//! `cap-std` directory handles ([`runner::shell::vfs_core::host`]).
//!
//! A mount copies a host directory into the filesystem before the script starts
//! (symlinks copied as symlinks, never followed); nothing is ever written back. `ro`
//! makes the copy a read-only subtree ([`Vfs::set_read_only`]), as a read-only mount:
//! every change in it fails with `EROFS` (root included), renames and links across its
//! boundary with `EXDEV`; the host's permission bits are kept. An export writes a filesystem
//! directory into a host directory when the session ends; it never writes through a
//! host symlink (the directory named by HOST included) and skips symlinks made inside
//! the sandbox, so it cannot reach outside HOST.

use std::path::Path;

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use runner::shell::vfs_core::Vfs;
use runner::shell::vfs_core::host::{self, ExportOptions, ImportOptions};

/// `HOST:GUEST[:ro|:rw]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountSpec {
    /// Host directory.
    pub host: String,
    /// Absolute path in the sandbox.
    pub guest: String,
    /// `ro` (the default) or `rw`.
    pub read_only: bool,
}

/// `GUEST:HOST`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSpec {
    /// Absolute path in the sandbox.
    pub guest: String,
    /// Host directory.
    pub host: String,
}

impl MountSpec {
    /// Parse `HOST:GUEST[:ro|:rw]`; GUEST is the part after the last `:/`.
    pub fn parse(s: &str) -> Result<MountSpec, String> {
        let (rest, read_only) = if let Some(r) = s.strip_suffix(":ro") {
            (r, true)
        } else if let Some(r) = s.strip_suffix(":rw") {
            (r, false)
        } else {
            (s, true)
        };
        let bad =
            || format!("--mount {s}: expected HOST:GUEST[:ro|:rw] with GUEST an absolute path");
        let at = rest.rfind(":/").ok_or_else(bad)?;
        let (host, guest) = (&rest[..at], &rest[at + 1..]);
        if host.is_empty() {
            return Err(bad());
        }
        Ok(MountSpec {
            host: host.to_string(),
            guest: guest.to_string(),
            read_only,
        })
    }
}

impl ExportSpec {
    /// Parse `GUEST:HOST`; GUEST is the part before the first `:`.
    pub fn parse(s: &str) -> Result<ExportSpec, String> {
        match s.split_once(':') {
            Some((g, h)) if g.starts_with('/') && !h.is_empty() => Ok(ExportSpec {
                guest: g.to_string(),
                host: h.to_string(),
            }),
            _ => Err(format!(
                "--export {s}: expected GUEST:HOST with GUEST an absolute path"
            )),
        }
    }
}

/// What the mounts and exports moved, for `--json` stats.
#[derive(Clone, Copy, Debug, Default)]
pub struct Moved {
    /// Files copied.
    pub files: u64,
    /// Bytes of file contents copied.
    pub bytes: u64,
}

/// Copy each mount into `fs`. Warnings (skipped special files) go to `warn`.
pub fn apply_mounts(
    fs: &Vfs,
    mounts: &[MountSpec],
    warn: &mut dyn FnMut(String),
) -> Result<Moved, String> {
    let mut moved = Moved::default();
    for m in mounts {
        let what = format!("--mount {}:{}", m.host, m.guest);
        let meta = std::fs::metadata(&m.host).map_err(|e| format!("{what}: {}", io_msg(&e)))?;
        if !meta.is_dir() {
            return Err(format!("{what}: {}: not a directory", m.host));
        }
        let dir = Dir::open_ambient_dir(&m.host, ambient_authority())
            .map_err(|e| format!("{what}: {}", io_msg(&e)))?;
        let report = host::import_dir(fs, &dir, &m.guest, &ImportOptions::default())
            .map_err(|e| format!("{what}: {e}"))?;
        for w in &report.warnings {
            warn(format!("{what}: {w}"));
        }
        moved.files += report.files;
        moved.bytes += report.bytes;
        if m.read_only {
            fs.set_read_only(&m.guest)
                .map_err(|e| format!("{what}: {e}"))?;
        }
    }
    Ok(moved)
}

/// Write each export out of `fs`. Every export is tried; the errors are returned
/// together. Warnings (skipped symlinks) go to `warn`.
pub fn apply_exports(
    fs: &Vfs,
    exports: &[ExportSpec],
    warn: &mut dyn FnMut(String),
) -> Result<Moved, Vec<String>> {
    let mut moved = Moved::default();
    let mut errors = Vec::new();
    for x in exports {
        let what = format!("--export {}:{}", x.guest, x.host);
        match export_one(fs, x) {
            Ok(report) => {
                for w in &report.warnings {
                    warn(format!("{what}: {w}"));
                }
                moved.files += report.files;
                moved.bytes += report.bytes;
            }
            Err(e) => errors.push(format!("{what}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(moved)
    } else {
        Err(errors)
    }
}

fn export_one(fs: &Vfs, x: &ExportSpec) -> Result<host::ExportReport, String> {
    let meta = fs.stat(&x.guest).map_err(|e| e.to_string())?;
    if !meta.is_dir() {
        return Err(format!("{}: Not a directory", x.guest));
    }
    let hp = Path::new(&x.host);
    match std::fs::symlink_metadata(hp) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{}: is a symbolic link; refusing to follow it",
                x.host
            ));
        }
        Ok(m) if !m.is_dir() => return Err(format!("{}: not a directory", x.host)),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(hp).map_err(|e| format!("{}: {}", x.host, io_msg(&e)))?;
        }
        Err(e) => return Err(format!("{}: {}", x.host, io_msg(&e))),
    }
    let dir = Dir::open_ambient_dir(hp, ambient_authority())
        .map_err(|e| format!("{}: {}", x.host, io_msg(&e)))?;
    host::export_dir(fs, &x.guest, &dir, &ExportOptions::default()).map_err(|e| e.to_string())
}

/// An I/O error as `strerror` words ("No such file or directory").
fn io_msg(e: &std::io::Error) -> String {
    match e
        .raw_os_error()
        .and_then(runner::shell::vfs_core::Errno::from_code)
    {
        Some(n) => n.message().to_string(),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(
            MountSpec::parse("./data:/data:rw"),
            Ok(MountSpec {
                host: "./data".into(),
                guest: "/data".into(),
                read_only: false
            })
        );
        assert_eq!(
            MountSpec::parse("C:x:/d"),
            Ok(MountSpec {
                host: "C:x".into(),
                guest: "/d".into(),
                read_only: true
            })
        );
        assert!(MountSpec::parse("data").is_err());
        assert!(MountSpec::parse(":/d").is_err());
        assert_eq!(
            ExportSpec::parse("/out:./o:ut"),
            Ok(ExportSpec {
                guest: "/out".into(),
                host: "./o:ut".into()
            })
        );
        assert!(ExportSpec::parse("out:./o").is_err());
        assert!(ExportSpec::parse("/out:").is_err());
    }
}

//! Registration of the archive commands (`tar`, `gzip`, `gunzip`, `zcat`) and the helpers
//! they share: `std::io` adapters over descriptors and VFS handles that honour
//! cancellation, and broken-down UTC/`TZ` time for listings.

use std::io::{self, Read, Write};
use std::sync::Arc;

use super::{CommandMap, Ctx};
use crate::io::{Cancel, Fd};

#[path = "gzip/mod.rs"]
mod gzip;
#[path = "tar/mod.rs"]
pub(super) mod tar;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("tar", Box::new(tar::Tar));
    map.insert("gzip", Box::new(gzip::Gzip(gzip::Flavor::Gzip)));
    map.insert("gunzip", Box::new(gzip::Gzip(gzip::Flavor::Gunzip)));
    map.insert("zcat", Box::new(gzip::Gzip(gzip::Flavor::Zcat)));
}

/// Print `text` on stdout and return status 0 (or the write failure's status).
pub(super) fn print_text(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(stop) => Ctx::stop_status(stop),
    }
}

/// Reads an [`Fd`] as `std::io::Read`, failing with `Interrupted` once cancelled.
pub(super) struct FdRead<'a> {
    /// The descriptor.
    pub fd: Fd,
    /// The run's cancel flag.
    pub cancel: &'a Cancel,
}

impl Read for FdRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        self.fd.read(buf)
    }
}

/// Writes to an [`Fd`] as `std::io::Write`, failing with `Interrupted` once cancelled.
pub(super) struct FdWrite<'a> {
    /// The descriptor.
    pub fd: Fd,
    /// The run's cancel flag.
    pub cancel: &'a Cancel,
}

impl Write for FdWrite<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        self.fd.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Open `path` on the VFS with `opts` as an [`Fd`].
pub(super) fn open_fd(
    ctx: &Ctx<'_>,
    path: &str,
    opts: &vfs_core::OpenOptions,
) -> Result<Fd, vfs_core::Error> {
    let h = ctx.vfs.open(path, opts)?;
    Ok(Fd::File {
        handle: Arc::new(parking_lot::Mutex::new(h)),
        path: path.into(),
    })
}

/// The errno text of an I/O error (`No such file or directory`).
pub(super) fn io_text(e: &io::Error) -> String {
    crate::io::errno_message(e)
}

/// The zone offset (seconds east of UTC) from `TZ`: fixed offsets only, else UTC.
pub(super) fn zone_offset(ctx: &Ctx<'_>) -> i64 {
    let tz = ctx.env.get("TZ").map(String::as_str).unwrap_or("");
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    let name_len = tz.bytes().take_while(u8::is_ascii_alphabetic).count();
    if name_len < 3 {
        return 0;
    }
    let rest = &tz[name_len..];
    let (sign, digits) = match rest.as_bytes().first() {
        Some(b'-') => (1, &rest[1..]),
        Some(b'+') => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let mut parts = digits.split(':');
    let h: i64 = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let m: i64 = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    sign * (h * 3600 + m * 60)
}

/// Broken-down time: (year, month 1-12, day, hour, minute, second).
pub(super) fn civil(secs: i64, offset: i64) -> (i64, i64, i64, i64, i64, i64) {
    let t = secs.clamp(-(1 << 52), 1 << 52) + offset;
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let z0 = days + 719_468;
    let era = z0.div_euclid(146_097);
    let doe = z0 - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `ls -l` style permission string for a mode with type character `t`.
pub(super) fn mode_string(t: char, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(t);
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |x: bool, set: bool, c: char| match (x, set) {
        (true, true) => c,
        (false, true) => c.to_ascii_uppercase(),
        (true, false) => 'x',
        (false, false) => '-',
    };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(mode & 0o100 != 0, mode & 0o4000 != 0, 's'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(mode & 0o010 != 0, mode & 0o2000 != 0, 's'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(mode & 0o001 != 0, mode & 0o1000 != 0, 't'));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time() {
        assert_eq!(civil(1_704_164_645, 0), (2024, 1, 2, 3, 4, 5));
        assert_eq!(mode_string('-', 0o644), "-rw-r--r--");
        assert_eq!(mode_string('d', 0o1777), "drwxrwxrwt");
    }
}

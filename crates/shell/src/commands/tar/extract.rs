//! `tar -x` and `tar -t`: read members one block at a time (gzip-compressed archives
//! through flate2, detected by magic for files as GNU does), apply long names and pax
//! records, refuse `..` members and strip leading `/` like GNU, and write files,
//! directories, symlinks and hard links to the VFS with their modes and times.
//! Directory modes and times are set at the end, deepest first.

use std::io::{self, BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;

use super::format::{self, BLOCK, Block, Entry};
use super::{Op, Opts, Run, excluded, join, long_line, open_archive, quote};
use crate::commands::reg_archive::{FdRead, FdWrite, open_fd};
use crate::commands::util::MAX_INPUT;
use crate::io::Fd;

/// Most bytes a compressed archive may expand to.
const MAX_EXPANDED: u64 = 4 * MAX_INPUT as u64;

/// GNU's `safer_name_suffix`: drop leading `/` and everything up to the last `..`
/// component, reporting each removed prefix once.
pub(super) fn safer_name(run: &mut Run<'_, '_>, name: &[u8], link: bool) -> Vec<u8> {
    let mut prefix_len = 0;
    let mut i = 0;
    while i < name.len() {
        if name[i..].starts_with(b"..") && (i + 2 == name.len() || name[i + 2] == b'/') {
            prefix_len = i + 2;
        }
        while i < name.len() {
            let c = name[i];
            i += 1;
            if c == b'/' {
                break;
            }
        }
    }
    while prefix_len < name.len() && name[prefix_len] == b'/' {
        prefix_len += 1;
    }
    if prefix_len > 0 {
        let prefix = name[..prefix_len].to_vec();
        if !run.warned_prefixes.contains(&prefix) {
            let what = if link {
                "hard link targets"
            } else {
                "member names"
            };
            run.warn(&format!(
                "Removing leading `{}' from {what}",
                quote(&prefix)
            ));
            run.warned_prefixes.push(prefix);
        }
    }
    let rest = &name[prefix_len..];
    if rest.is_empty() {
        return b".".to_vec();
    }
    rest.to_vec()
}

fn contains_dot_dot(name: &[u8]) -> bool {
    name.split(|&b| b == b'/').any(|c| c == b"..")
}

/// Strip `n` leading components; `None` when the name has no more.
fn strip_components(name: &[u8], n: usize) -> Option<Vec<u8>> {
    let mut rest = name;
    for _ in 0..n {
        let i = rest.iter().position(|&b| b == b'/')?;
        rest = &rest[i + 1..];
        while rest.first() == Some(&b'/') {
            rest = &rest[1..];
        }
    }
    if rest.is_empty() {
        None
    } else {
        Some(rest.to_vec())
    }
}

/// Counts decompressed bytes and stops past [`MAX_EXPANDED`].
struct Limited<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        if self.n > MAX_EXPANDED {
            return Err(io::Error::other(format!(
                "decompressed archive exceeds the limit of {MAX_EXPANDED} bytes"
            )));
        }
        Ok(k)
    }
}

struct Reader<'a> {
    r: Box<dyn Read + 'a>,
    gz: bool,
    /// Bytes read so far (for GNU's block numbers).
    pos: u64,
}

/// Why reading stopped early.
enum End {
    /// Fatal: message printed; exit with this status.
    Fatal(i32),
}

impl Reader<'_> {
    /// Fill `buf` completely; `Ok(false)` at a clean end of input.
    fn block(&mut self, buf: &mut [u8]) -> io::Result<bool> {
        let mut got = 0;
        while got < buf.len() {
            let n = self.r.read(&mut buf[got..])?;
            if n == 0 {
                if got == 0 {
                    return Ok(false);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            got += n;
            self.pos += n as u64;
        }
        Ok(true)
    }
}

/// Report a read failure as GNU does; an EOF inside a member being extracted is
/// reported twice (`twice`), as GNU tar 1.34 does.
fn read_fatal(run: &mut Run<'_, '_>, rd: &Reader<'_>, e: &io::Error, twice: bool) -> End {
    if e.kind() == io::ErrorKind::Interrupted {
        return End::Fatal(130);
    }
    if rd.gz {
        let msg = match e.kind() {
            io::ErrorKind::UnexpectedEof => "unexpected end of file".to_string(),
            io::ErrorKind::Other => e.to_string(),
            _ => "invalid compressed data--format violated".to_string(),
        };
        let _ = run.ctx.stderr.write_all(b"\n");
        let _ = run
            .ctx
            .stderr
            .write_all(format!("gzip: stdin: {msg}\n").as_bytes());
        run.warn("Child returned status 1");
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        run.warn("Unexpected EOF in archive");
        if twice {
            run.warn("Unexpected EOF in archive");
        }
    } else {
        run.warn(&format!("Read error: {}", super::super::io_text(e)));
    }
    run.warn("Error is not recoverable: exiting now");
    End::Fatal(2)
}

/// A directory whose mode and time are set once everything is extracted.
struct Delayed {
    path: String,
    mode: u32,
    mtime: i64,
    entry: Entry,
}

/// Run `tar -x` or `tar -t` on `archive`.
pub(super) fn read_archive(
    run: &mut Run<'_, '_>,
    o: &Opts,
    archive: &str,
    op: Op,
) -> Result<(), i32> {
    let fd = open_archive(run, archive, false)?;
    if op == Op::Extract && !o.dir.is_empty() && !o.to_stdout {
        match run.ctx.vfs.stat(&o.dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(super::fatal(run, &o.dir, "Not a directory")),
            Err(e) => return Err(super::fatal(run, &o.dir, e.errno().message())),
        }
    }
    let cancel = run.ctx.cancel;
    let mut br = BufReader::with_capacity(64 * 1024, FdRead { fd, cancel });
    let head = match br.fill_buf() {
        Ok(b) => b.get(..2).map(<[u8]>::to_vec).unwrap_or_default(),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(130),
        Err(e) => {
            run.warn(&format!("Read error: {}", super::super::io_text(&e)));
            return Err(2);
        }
    };
    let is_gz = head == [0x1f, 0x8b];
    if is_gz && !o.gzip && archive == "-" {
        run.warn("Archive is compressed. Use -z option");
        run.warn("Error is not recoverable: exiting now");
        return Err(2);
    }
    if o.gzip && !is_gz {
        let _ = run.ctx.stderr.write_all(b"\n");
        let _ = run
            .ctx
            .stderr
            .write_all(b"gzip: stdin: not in gzip format\n");
        run.warn("Child returned status 1");
        run.warn("Error is not recoverable: exiting now");
        return Err(2);
    }
    let mut rd = if is_gz {
        Reader {
            r: Box::new(Limited {
                inner: MultiGzDecoder::new(br),
                n: 0,
            }),
            gz: true,
            pos: 0,
        }
    } else {
        Reader {
            r: Box::new(br),
            gz: false,
            pos: 0,
        }
    };
    let mut matched = vec![false; o.names.len()];
    let mut delayed: Vec<Delayed> = Vec::new();
    let mut first = true;
    let mut long_name: Option<Vec<u8>> = None;
    let mut long_link: Option<Vec<u8>> = None;
    let mut pax: Option<Vec<u8>> = None;
    let mut skipping = false;
    let mut block = [0u8; BLOCK];
    let mut buf = vec![0u8; 64 * 1024];
    let result = loop {
        if run.ctx.cancel.is_cancelled() {
            break Err(130);
        }
        match rd.block(&mut block) {
            Ok(true) => {}
            Ok(false) => {
                if first {
                    run.error("This does not look like a tar archive");
                }
                break Ok(());
            }
            Err(e) => {
                if !rd.gz && e.kind() == io::ErrorKind::UnexpectedEof {
                    // A short last block: GNU ignores it (or finds no archive at all).
                    if first {
                        run.error("This does not look like a tar archive");
                    }
                    break Ok(());
                }
                let End::Fatal(s) = read_fatal(run, &rd, &e, false);
                break Err(s);
            }
        }
        let mut e = match format::decode(&block) {
            Block::Zero => {
                // End of archive: GNU warns when the second zero block is missing.
                let at = rd.pos / BLOCK as u64;
                let mut next = [0u8; BLOCK];
                match rd.block(&mut next) {
                    Ok(true) if next.iter().all(|&b| b == 0) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => break Err(130),
                    Err(e) if rd.gz && e.kind() != io::ErrorKind::UnexpectedEof => {
                        let End::Fatal(s) = read_fatal(run, &rd, &e, false);
                        break Err(s);
                    }
                    _ => run.warn(&format!("A lone zero block at {at}")),
                }
                break Ok(());
            }
            Block::Bad => {
                if first {
                    run.error("This does not look like a tar archive");
                    break Ok(());
                }
                if !skipping {
                    run.error("Skipping to next header");
                    skipping = true;
                }
                continue;
            }
            Block::Header(h) => h,
        };
        first = false;
        skipping = false;
        // Long names, long links and pax headers apply to the next member.
        if matches!(e.kind, b'L' | b'K' | b'x' | b'g') {
            if e.size > 1 << 20 {
                run.error("Archive contains an oversized extended header");
                break Err(2);
            }
            let mut data = vec![0u8; e.size as usize];
            let total = (e.size + format::padding(e.size)) as usize;
            let mut whole = vec![0u8; total];
            if let Err(err) = rd.block(&mut whole) {
                let End::Fatal(s) = read_fatal(run, &rd, &err, false);
                break Err(s);
            }
            data.copy_from_slice(&whole[..e.size as usize]);
            match e.kind {
                b'L' => {
                    let n = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                    data.truncate(n);
                    long_name = Some(data);
                }
                b'K' => {
                    let n = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                    data.truncate(n);
                    long_link = Some(data);
                }
                b'x' => pax = Some(data),
                _ => {}
            }
            continue;
        }
        if let Some(n) = long_name.take() {
            e.name = n;
        }
        if let Some(l) = long_link.take() {
            e.link = l;
        }
        if let Some(p) = pax.take() {
            format::apply_pax(&mut e, &p);
        }
        let has_data = matches!(e.kind, b'0' | 0 | b'7' | b'S')
            || !matches!(e.kind, b'1' | b'2' | b'3' | b'4' | b'5' | b'6');
        let data_len = if has_data { e.size } else { 0 };
        match handle_member(
            run,
            o,
            op,
            &mut rd,
            &mut e,
            data_len,
            &mut matched,
            &mut delayed,
            &mut buf,
        ) {
            Ok(()) => {}
            Err(End::Fatal(s)) => break Err(s),
        }
    };
    // Directories: deepest first.
    if op == Op::Extract {
        for d in delayed.iter().rev() {
            restore_owner(run, o, &d.entry, &d.path);
            if !o.no_same_perms {
                let _ = run.ctx.vfs.chmod(&d.path, d.mode);
            }
            if !o.touch {
                let t = vfs_core::Timestamp::new(d.mtime, 0);
                let _ = run.ctx.vfs.utimes(
                    &d.path,
                    vfs_core::SetTime::At(t),
                    vfs_core::SetTime::At(t),
                    true,
                );
            }
        }
    }
    result?;
    if o.wildcards.is_none()
        && o.names
            .iter()
            .enumerate()
            .any(|(i, (_, n))| !matched[i] && has_wildcards(n))
    {
        run.warn("Pattern matching characters used in file names");
        run.warn("Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning");
    }
    for (i, (_, n)) in o.names.iter().enumerate() {
        if !matched[i] {
            run.error(&format!("{}: Not found in archive", quote(n.as_bytes())));
        }
    }
    Ok(())
}

/// Does `name` match operand `pat` (the name itself or something under it)?
fn member_matches(pat: &str, name: &[u8], wildcards: bool) -> bool {
    let p = pat.as_bytes();
    let p = p.strip_suffix(b"/").unwrap_or(p);
    let n = name.strip_suffix(b"/").unwrap_or(name);
    if n == p {
        return true;
    }
    if n.len() > p.len() && n.starts_with(p) && n[p.len()] == b'/' {
        return true;
    }
    if wildcards {
        // Anchored, and matching a leading directory too (FNM_LEADING_DIR).
        return super::fnmatch(p, n)
            || n.iter()
                .enumerate()
                .any(|(i, &b)| b == b'/' && super::fnmatch(p, &n[..i]));
    }
    false
}

fn has_wildcards(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'*' | b'?' | b'['))
}

/// Skip `len` data bytes plus padding.
fn skip(run: &mut Run<'_, '_>, rd: &mut Reader<'_>, len: u64, buf: &mut [u8]) -> Result<(), End> {
    let mut left = len + format::padding(len);
    while left > 0 {
        let n = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        if let Err(e) = rd.block(&mut buf[..n]) {
            return Err(read_fatal(run, rd, &e, false));
        }
        left -= n as u64;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn handle_member(
    run: &mut Run<'_, '_>,
    o: &Opts,
    op: Op,
    rd: &mut Reader<'_>,
    e: &mut Entry,
    data_len: u64,
    matched: &mut [bool],
    delayed: &mut Vec<Delayed>,
    buf: &mut [u8],
) -> Result<(), End> {
    let orig = e.name.clone();
    let name = if o.absolute {
        orig.clone()
    } else {
        safer_name(run, &orig, false)
    };
    if e.kind == b'1' && !o.absolute {
        e.link = safer_name(run, &e.link.clone(), true);
    }
    // Selection by operands and --exclude.
    if !o.names.is_empty() {
        // GNU credits the first operand that matches.
        let first = o
            .names
            .iter()
            .position(|(_, n)| member_matches(n, &name, o.wildcards == Some(true)));
        if let Some(i) = first {
            matched[i] = true;
        } else {
            return skip(run, rd, data_len, buf);
        }
    }
    if excluded(&o.excludes, &name) {
        return skip(run, rd, data_len, buf);
    }
    if op == Op::List {
        if o.verbose > 0 {
            let line = long_line(run, o, e, &orig);
            run.verbose(&line).map_err(End::Fatal)?;
        } else {
            let mut l = quote(&orig).into_bytes();
            l.push(b'\n');
            run.verbose(&l).map_err(End::Fatal)?;
        }
        return skip(run, rd, data_len, buf);
    }
    // Extract.
    if !o.absolute && contains_dot_dot(&orig) {
        run.error(&format!("{}: Member name contains '..'", quote(&orig)));
        return skip(run, rd, data_len, buf);
    }
    let Some(stripped) = (if o.strip > 0 {
        strip_components(&name, o.strip)
    } else {
        Some(name.clone())
    }) else {
        return skip(run, rd, data_len, buf);
    };
    if e.kind == b'1' && o.strip > 0 {
        match strip_components(&e.link, o.strip) {
            Some(l) => e.link = l,
            None => return skip(run, rd, data_len, buf),
        }
    }
    if o.verbose > 0 {
        let line = if o.verbose > 1 {
            long_line(run, o, e, &orig)
        } else {
            let mut l = quote(&orig).into_bytes();
            l.push(b'\n');
            l
        };
        run.verbose(&line).map_err(End::Fatal)?;
    }
    let rel = String::from_utf8_lossy(&stripped).into_owned();
    let rel = rel.trim_end_matches('/');
    let rel = if rel.is_empty() { "." } else { rel };
    let path = join(&o.dir, rel);
    let ctx = run.ctx;
    let shown = quote(&stripped);
    if o.to_stdout {
        if matches!(e.kind, b'0' | 0 | b'7') {
            return copy_out(run, rd, data_len, ctx.stdout.clone(), &shown, buf, true);
        }
        return skip(run, rd, data_len, buf);
    }
    // Make the parent directories.
    if let Some(i) = path.rfind('/') {
        let parent = &path[..i];
        if !parent.is_empty() && ctx.vfs.stat(parent).is_err() {
            let _ = ctx.vfs.create_dir_all(parent, 0o777);
        }
    }
    match e.kind {
        b'5' => {
            match ctx.vfs.lstat(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    if o.keep_old {
                        run.error(&format!("{shown}: Cannot mkdir: File exists"));
                        return skip(run, rd, data_len, buf);
                    }
                    let _ = ctx.vfs.unlink(&path);
                    if let Err(err) = ctx.vfs.mkdir(&path, 0o700) {
                        run.error(&format!("{shown}: Cannot mkdir: {}", err.errno().message()));
                        return skip(run, rd, data_len, buf);
                    }
                }
                Err(_) => {
                    if let Err(err) = ctx.vfs.mkdir(&path, 0o700) {
                        run.error(&format!("{shown}: Cannot mkdir: {}", err.errno().message()));
                        return skip(run, rd, data_len, buf);
                    }
                }
            }
            let mode = if o.no_same_perms {
                e.mode & !ctx.vfs.umask()
            } else {
                e.mode
            };
            delayed.push(Delayed {
                path,
                mode,
                mtime: e.mtime,
                entry: e.clone(),
            });
            skip(run, rd, data_len, buf)
        }
        b'2' | b'1' => {
            if !remove_existing(run, o, &path, &shown) {
                return skip(run, rd, data_len, buf);
            }
            let target = String::from_utf8_lossy(&e.link).into_owned();
            if e.kind == b'2' {
                if let Err(err) = ctx.vfs.symlink(&target, &path) {
                    run.error(&format!(
                        "{shown}: Cannot create symlink to {}: {}",
                        quote_target(&e.link),
                        err.errno().message()
                    ));
                } else {
                    restore_owner(run, o, e, &path);
                }
                if e.kind == b'2' && !o.touch {
                    let t = vfs_core::Timestamp::new(e.mtime, 0);
                    let _ = ctx.vfs.utimes(
                        &path,
                        vfs_core::SetTime::At(t),
                        vfs_core::SetTime::At(t),
                        false,
                    );
                }
            } else {
                let tpath = join(&o.dir, &target);
                if let Err(err) = ctx.vfs.link(&tpath, &path) {
                    run.error(&format!(
                        "{shown}: Cannot hard link to {}: {}",
                        quote_target(&e.link),
                        err.errno().message()
                    ));
                }
            }
            skip(run, rd, data_len, buf)
        }
        b'3' | b'4' | b'6' => {
            run.error(&format!("{shown}: Cannot mknod: Operation not permitted"));
            skip(run, rd, data_len, buf)
        }
        _ => {
            if !remove_existing(run, o, &path, &shown) {
                return skip(run, rd, data_len, buf);
            }
            let fd = match open_fd(
                ctx,
                &path,
                &vfs_core::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600),
            ) {
                Ok(fd) => fd,
                Err(err) => {
                    run.error(&format!("{shown}: Cannot open: {}", err.errno().message()));
                    return skip(run, rd, data_len, buf);
                }
            };
            copy_out(run, rd, data_len, fd, &shown, buf, false)?;
            restore_owner(run, o, e, &path);
            let mode = if o.no_same_perms {
                e.mode & !ctx.vfs.umask()
            } else {
                e.mode
            };
            let _ = ctx.vfs.chmod(&path, mode);
            if !o.touch {
                let t = vfs_core::Timestamp::new(e.mtime, 0);
                let _ = ctx.vfs.utimes(
                    &path,
                    vfs_core::SetTime::At(t),
                    vfs_core::SetTime::At(t),
                    true,
                );
            }
            Ok(())
        }
    }
}

/// As root (and without `--no-same-owner`), give `path` the member's owner: `root` by
/// name is 0, other names have no passwd entry here, so the stored ids are used.
fn restore_owner(run: &Run<'_, '_>, o: &Opts, e: &Entry, path: &str) {
    let ctx = run.ctx;
    if o.no_same_owner || !ctx.vfs.cred().is_root() {
        return;
    }
    let uid = if e.uname == "root" {
        Some(0)
    } else {
        u32::try_from(e.uid).ok()
    };
    let gid = if e.gname == "root" {
        Some(0)
    } else {
        u32::try_from(e.gid).ok()
    };
    let _ = ctx.vfs.chown(path, uid, gid, false);
}

fn quote_target(t: &[u8]) -> String {
    format!("'{}'", quote(t))
}

/// Make way for a new member at `path` (GNU's default: unlink an existing non-directory).
fn remove_existing(run: &mut Run<'_, '_>, o: &Opts, path: &str, shown: &str) -> bool {
    let ctx = run.ctx;
    match ctx.vfs.lstat(path) {
        Err(_) => true,
        Ok(m) => {
            if o.keep_old {
                run.error(&format!("{shown}: Cannot open: File exists"));
                return false;
            }
            let r = if m.is_dir() {
                ctx.vfs.rmdir(path)
            } else {
                ctx.vfs.unlink(path)
            };
            match r {
                Ok(()) => true,
                Err(err) => {
                    run.error(&format!("{shown}: Cannot open: {}", err.errno().message()));
                    false
                }
            }
        }
    }
}

/// Copy `len` data bytes (and skip the padding) to `out`. A failed write is reported
/// once and the rest of the member skipped.
fn copy_out(
    run: &mut Run<'_, '_>,
    rd: &mut Reader<'_>,
    len: u64,
    out: Fd,
    shown: &str,
    buf: &mut [u8],
    stdout: bool,
) -> Result<(), End> {
    let mut w = FdWrite {
        fd: out,
        cancel: run.ctx.cancel,
    };
    // Whole blocks, as GNU reads them: a short last block writes nothing.
    let mut left = len + format::padding(len);
    let mut data_left = len;
    let mut failed = false;
    while left > 0 {
        if run.ctx.cancel.is_cancelled() {
            return Err(End::Fatal(130));
        }
        let n = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        if let Err(e) = rd.block(&mut buf[..n]) {
            return Err(read_fatal(run, rd, &e, true));
        }
        left -= n as u64;
        let d = usize::try_from(data_left.min(n as u64)).unwrap_or(n);
        data_left -= d as u64;
        if failed || d == 0 {
            continue;
        }
        if let Err(e) = std::io::Write::write_all(&mut w, &buf[..d]) {
            if e.kind() == io::ErrorKind::Interrupted {
                return Err(End::Fatal(130));
            }
            if stdout && e.raw_os_error() == Some(32) {
                return Err(End::Fatal(141));
            }
            run.error(&format!(
                "{shown}: Cannot write: {}",
                super::super::io_text(&e)
            ));
            failed = true;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripping() {
        assert_eq!(strip_components(b"a/b/c", 1).as_deref(), Some(&b"b/c"[..]));
        assert_eq!(strip_components(b"a/", 1), None);
        assert_eq!(strip_components(b"a", 1), None);
        assert!(contains_dot_dot(b"a/../b"));
        assert!(!contains_dot_dot(b"a/..b"));
        assert!(member_matches("d", b"d/a", false));
        assert!(!member_matches("d", b"dd/a", false));
        assert!(member_matches("*a", b"d/a", true));
        assert!(!member_matches("*a", b"d/a", false));
    }
}

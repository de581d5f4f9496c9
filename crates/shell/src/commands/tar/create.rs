//! `tar -c`: walk the operands on the VFS (directories recursively, in name order) and
//! stream GNU-format members to the archive, storing symlinks and repeated hard links
//! as links; `-z` compresses through flate2. The archive is padded to 10240-byte
//! records like GNU tar's.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::format::{self, Entry, RECORD};
use super::{Opts, Run, excluded, join, long_line, open_archive, quote};
use crate::commands::reg_archive::{FdRead, FdWrite};
use crate::io::Fd;

/// The archive being written, counting bytes for the final padding.
struct Sink<'a> {
    w: Box<dyn Write + 'a>,
    written: u64,
}

impl Sink<'_> {
    fn put(&mut self, data: &[u8]) -> io::Result<()> {
        self.w.write_all(data)?;
        self.written += data.len() as u64;
        Ok(())
    }
}

/// Why writing stopped.
enum Abort {
    /// A write to the archive failed (message already printed) or the run stopped.
    Status(i32),
}

struct Creator<'r, 'c, 'a> {
    run: &'r mut Run<'c, 'a>,
    o: &'r Opts,
    links: HashMap<u64, Vec<u8>>,
    archive_ino: Option<u64>,
    archive_name: String,
}

/// Run `tar -c` into `archive`.
pub(super) fn create(run: &mut Run<'_, '_>, o: &Opts, archive: &str) -> Result<(), i32> {
    let fd = open_archive(run, archive, true)?;
    // With -z GNU writes through a gzip pipe and cannot tell the archive apart.
    let archive_ino = match &fd {
        Fd::File { handle, .. } if !o.gzip => Some(handle.lock().ino()),
        _ => None,
    };
    let cancel = run.ctx.cancel;
    let base = FdWrite { fd, cancel };
    let w: Box<dyn Write> = if o.gzip {
        Box::new(GzEncoder::new(base, Compression::default()))
    } else {
        Box::new(base)
    };
    let mut sink = Sink { w, written: 0 };
    let mut c = Creator {
        run,
        o,
        links: HashMap::new(),
        archive_ino,
        archive_name: archive.to_string(),
    };
    for (dir, name) in &o.names {
        if c.run.ctx.cancel.is_cancelled() {
            return Err(130);
        }
        if !dir.is_empty() {
            match c.run.ctx.vfs.stat(dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(super::fatal(c.run, dir, "Not a directory")),
                Err(e) => return Err(super::fatal(c.run, dir, e.errno().message())),
            }
        }
        let path = join(dir, name);
        match c.add(&mut sink, &path, name, true) {
            Ok(()) => {}
            Err(Abort::Status(s)) => return Err(s),
        }
    }
    let end = vec![0u8; 1024];
    let r = sink.put(&end).and_then(|()| {
        let rem = (sink.written % RECORD as u64) as usize;
        if rem != 0 {
            sink.put(&vec![0u8; RECORD - rem])
        } else {
            Ok(())
        }
    });
    let r = r.and_then(|()| sink.w.flush());
    drop(sink);
    if let Err(e) = r {
        return Err(c.write_error(&e));
    }
    Ok(())
}

impl Creator<'_, '_, '_> {
    fn write_error(&mut self, e: &io::Error) -> i32 {
        if e.kind() == io::ErrorKind::Interrupted {
            return 130;
        }
        if e.raw_os_error() == Some(32) {
            return 141;
        }
        let ctx = self.run.ctx;
        ctx.err(&format!(
            "{}: Cannot write: {}",
            quote(self.archive_name.as_bytes()),
            super::super::io_text(e)
        ));
        ctx.err("Error is not recoverable: exiting now");
        2
    }

    /// The stored name for `name`: leading `/` and `../` removed (with GNU's message).
    fn stored_name(&mut self, name: &str) -> Vec<u8> {
        if self.o.absolute {
            return name.as_bytes().to_vec();
        }
        super::extract::safer_name(self.run, name.as_bytes(), false)
    }

    fn add(&mut self, sink: &mut Sink<'_>, path: &str, name: &str, top: bool) -> Result<(), Abort> {
        if self.run.ctx.cancel.is_cancelled() {
            return Err(Abort::Status(130));
        }
        if excluded(&self.o.excludes, name.as_bytes()) {
            return Ok(());
        }
        let ctx = self.run.ctx;
        let meta = if self.o.dereference {
            ctx.vfs.stat(path)
        } else {
            ctx.vfs.lstat(path)
        };
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                let _ = top;
                self.run.error(&format!(
                    "{}: Cannot stat: {}",
                    quote(name.as_bytes()),
                    e.errno().message()
                ));
                return Ok(());
            }
        };
        if self.archive_ino == Some(meta.ino) && meta.is_file() {
            self.run.warn(&format!(
                "{}: file is the archive; not dumped",
                quote(name.as_bytes())
            ));
            return Ok(());
        }
        let trimmed = {
            let t = name.trim_end_matches('/');
            if t.is_empty() { name } else { t }
        };
        let mut e = Entry {
            mode: meta.mode & 0o7777,
            uid: u64::from(meta.uid),
            gid: u64::from(meta.gid),
            uname: if meta.uid == 0 {
                "root".into()
            } else {
                String::new()
            },
            gname: if meta.gid == 0 {
                "root".into()
            } else {
                String::new()
            },
            mtime: meta.mtime.sec,
            ..Entry::default()
        };
        if let Some((n, id)) = &self.o.owner {
            e.uname.clone_from(n);
            e.uid = *id;
        }
        if let Some((n, id)) = &self.o.group {
            e.gname.clone_from(n);
            e.gid = *id;
        }
        let shown: String;
        if meta.is_dir() {
            e.kind = b'5';
            shown = if trimmed.ends_with('/') {
                trimmed.to_string()
            } else {
                format!("{trimmed}/")
            };
            e.name = self.stored_name(&shown);
        } else if meta.is_symlink() {
            e.kind = b'2';
            shown = trimmed.to_string();
            e.name = self.stored_name(trimmed);
            e.link = match ctx.vfs.read_link(path) {
                Ok(t) => t.as_os_str().as_encoded_bytes().to_vec(),
                Err(err) => {
                    self.run.error(&format!(
                        "{}: Cannot readlink: {}",
                        quote(name.as_bytes()),
                        err.errno().message()
                    ));
                    return Ok(());
                }
            };
        } else {
            shown = trimmed.to_string();
            e.name = self.stored_name(trimmed);
            e.kind = b'0';
            if meta.nlink > 1 {
                if let Some(first) = self.links.get(&meta.ino) {
                    e.kind = b'1';
                    e.link = first.clone();
                } else {
                    self.links.insert(meta.ino, e.name.clone());
                }
            }
            if e.kind == b'0' {
                e.size = meta.size;
            }
        }
        // Open regular files before writing the header so a failure leaves no member.
        let data = if e.kind == b'0' {
            match crate::commands::reg_archive::open_fd(
                ctx,
                path,
                &vfs_core::OpenOptions::read_only(),
            ) {
                Ok(fd) => Some(fd),
                Err(err) => {
                    self.run.error(&format!(
                        "{}: Cannot open: {}",
                        quote(name.as_bytes()),
                        err.errno().message()
                    ));
                    return Ok(());
                }
            }
        } else {
            None
        };
        if self.o.verbose > 0 {
            let line = if self.o.verbose > 1 {
                long_line(self.run, self.o, &e, shown.as_bytes())
            } else {
                let mut l = quote(shown.as_bytes()).into_bytes();
                l.push(b'\n');
                l
            };
            self.run.verbose(&line).map_err(Abort::Status)?;
        }
        let header = format::encode(&e);
        if let Err(err) = sink.put(&header) {
            return Err(Abort::Status(self.write_error(&err)));
        }
        if let Some(fd) = data {
            self.copy_data(sink, fd, e.size, name)?;
        }
        if meta.is_dir() && !self.o.no_recursion {
            let entries = match ctx.vfs.read_dir(path) {
                Ok(v) => v,
                Err(err) => {
                    self.run.error(&format!(
                        "{}: Cannot open: {}",
                        quote(name.as_bytes()),
                        err.errno().message()
                    ));
                    return Ok(());
                }
            };
            let mut names: Vec<String> = entries
                .iter()
                .map(|d| String::from_utf8_lossy(d.name_bytes()).into_owned())
                .collect();
            names.sort();
            let dir_name = shown;
            for child in names {
                let cpath = format!("{}/{child}", path.trim_end_matches('/'));
                let cname = format!("{dir_name}{child}");
                self.add(sink, &cpath, &cname, false)?;
            }
        }
        Ok(())
    }

    /// Stream `size` bytes of `fd` into the archive, padded to a block; a file that
    /// shrank is padded with zeros (GNU reports it).
    fn copy_data(
        &mut self,
        sink: &mut Sink<'_>,
        fd: Fd,
        size: u64,
        name: &str,
    ) -> Result<(), Abort> {
        let mut r = FdRead {
            fd,
            cancel: self.run.ctx.cancel,
        };
        let mut buf = vec![0u8; 64 * 1024];
        let mut left = size;
        while left > 0 {
            let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
            let n = match r.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    return Err(Abort::Status(130));
                }
                Err(e) => {
                    self.run.error(&format!(
                        "{}: Read error: {}",
                        quote(name.as_bytes()),
                        super::super::io_text(&e)
                    ));
                    break;
                }
            };
            if let Err(e) = sink.put(&buf[..n]) {
                return Err(Abort::Status(self.write_error(&e)));
            }
            left -= n as u64;
        }
        if left > 0 {
            self.run.error(&format!(
                "{}: File shrank by {left} bytes; padding with zeros",
                quote(name.as_bytes())
            ));
            let zeros = vec![0u8; 64 * 1024];
            while left > 0 {
                let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
                if let Err(e) = sink.put(&zeros[..n]) {
                    return Err(Abort::Status(self.write_error(&e)));
                }
                left -= n as u64;
            }
        }
        let pad = format::padding(size) as usize;
        if pad > 0
            && let Err(e) = sink.put(&vec![0u8; pad])
        {
            return Err(Abort::Status(self.write_error(&e)));
        }
        Ok(())
    }
}

//! The gzip member format: compressing one member with flate2 (name and time in the
//! header unless `-n`), and decompressing every member of a stream with GNU's checks
//! (CRC, length, trailing garbage) and the [`MAX_OUTPUT`] cap.

use std::io::{self, BufRead, BufReader, Read, Write};

use flate2::{Compression, Crc, GzBuilder};

use super::{Fail, MAX_OUTPUT, Opts, write_fail};
use crate::commands::Ctx;
use crate::commands::reg_archive::{FdRead, FdWrite};
use crate::io::Fd;

/// Counts bytes through a reader.
pub(super) struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        Ok(k)
    }
}

/// Counts bytes through a writer.
pub(super) struct CountedW<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for CountedW<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Compress `input` to `out` as one gzip member. Returns (bytes in, bytes out, header
/// and trailer bytes).
pub(super) fn compress(
    ctx: &Ctx<'_>,
    o: &Opts,
    input: Fd,
    out: Fd,
    name: Option<&str>,
    mtime: i64,
) -> Result<(u64, u64, u64), Fail> {
    let no_name = o.no_name.unwrap_or(false);
    let mut b = GzBuilder::new().operating_system(3);
    let mut header = 10u64;
    if !no_name {
        if let Some(n) = name {
            let base = n.rsplit('/').next().unwrap_or(n);
            b = b.filename(base.as_bytes());
            header += base.len() as u64 + 1;
        }
        b = b.mtime(u32::try_from(mtime).unwrap_or(0));
    }
    let w = CountedW {
        inner: FdWrite {
            fd: out,
            cancel: ctx.cancel,
        },
        n: 0,
    };
    let mut enc = b.write(w, Compression::new(o.level.clamp(1, 9)));
    let mut r = FdRead {
        fd: input,
        cancel: ctx.cancel,
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    let oname = name.map_or_else(|| "stdout".to_string(), |n| format!("{n}{}", o.suffix));
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(Fail::Stop(130)),
            Err(e) => {
                return Err(Fail::Error {
                    msg: format!(
                        "{}: {}",
                        name.unwrap_or("stdin"),
                        crate::commands::reg_archive::io_text(&e)
                    ),
                    blank: false,
                });
            }
        };
        total += n as u64;
        enc.write_all(&buf[..n])
            .map_err(|e| write_fail(&e, if o.stdout { "stdout" } else { &oname }))?;
    }
    let w = enc
        .finish()
        .map_err(|e| write_fail(&e, if o.stdout { "stdout" } else { &oname }))?;
    Ok((total, w.n, header + 8))
}

/// What the header of a member says: (name, mtime) and its length.
pub(super) struct Header {
    /// The stored file name.
    pub(super) name: Option<String>,
    /// The stored modification time.
    pub(super) mtime: u32,
    /// Header length in bytes.
    pub(super) len: u64,
}

/// Parse a gzip member header from `r`; `Ok(None)` on a bad magic.
pub(super) fn read_header<R: BufRead>(r: &mut R) -> io::Result<Option<Header>> {
    let mut h = [0u8; 10];
    r.read_exact(&mut h)?;
    if h[0] != 0x1f || h[1] != 0x8b {
        return Ok(None);
    }
    if h[2] != 8 {
        return Err(io::Error::other("unknown method"));
    }
    let flags = h[3];
    let mtime = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
    let mut len = 10u64;
    if flags & 4 != 0 {
        let mut x = [0u8; 2];
        r.read_exact(&mut x)?;
        let xl = u16::from_le_bytes(x);
        let mut skip = vec![0u8; usize::from(xl)];
        r.read_exact(&mut skip)?;
        len += 2 + u64::from(xl);
    }
    let mut name = None;
    if flags & 8 != 0 {
        let v = read_cstr(r)?;
        len += v.len() as u64 + 1;
        name = Some(String::from_utf8_lossy(&v).into_owned());
    }
    if flags & 16 != 0 {
        let v = read_cstr(r)?;
        len += v.len() as u64 + 1;
    }
    if flags & 2 != 0 {
        let mut x = [0u8; 2];
        r.read_exact(&mut x)?;
        len += 2;
    }
    Ok(Some(Header { name, mtime, len }))
}

/// A NUL-terminated header field (name or comment), at most 64 KiB.
pub(super) fn read_cstr<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if let Some(i) = buf.iter().position(|&b| b == 0) {
            v.extend_from_slice(&buf[..i]);
            r.consume(i + 1);
            return Ok(v);
        }
        let n = buf.len();
        v.extend_from_slice(buf);
        r.consume(n);
        if v.len() > 64 * 1024 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "header field too long",
            ));
        }
    }
}

pub(super) type Stored = Option<(Option<String>, u32)>;

/// Decompress every member of `input` to `out`. Returns (bytes in, bytes out, header
/// bytes, the first member's stored name and time).
pub(super) fn decompress(
    ctx: &Ctx<'_>,
    o: &Opts,
    input: Fd,
    out: Fd,
    iname: &str,
    oname: &str,
) -> Result<(u64, u64, u64, Stored), Fail> {
    let mut r = BufReader::with_capacity(
        64 * 1024,
        Counted {
            inner: FdRead {
                fd: input,
                cancel: ctx.cancel,
            },
            n: 0,
        },
    );
    let mut w = FdWrite {
        fd: out,
        cancel: ctx.cancel,
    };
    let err = |msg: &str, blank: bool| Fail::Error {
        msg: format!("{iname}: {msg}"),
        blank,
    };
    let read_fail = |e: &io::Error| -> Fail {
        match e.kind() {
            io::ErrorKind::Interrupted => Fail::Stop(130),
            io::ErrorKind::UnexpectedEof => err("unexpected end of file", true),
            _ => err(&crate::commands::reg_archive::io_text(e), false),
        }
    };
    let mut total_out = 0u64;
    let mut header_bytes = 0u64;
    let mut stored: Stored = None;
    let mut buf = vec![0u8; 64 * 1024];
    let mut member = 0;
    loop {
        // Is there another member?
        let avail = r.fill_buf().map_err(|e| read_fail(&e))?;
        if avail.is_empty() {
            if member == 0 {
                return Err(err("unexpected end of file", true));
            }
            break;
        }
        if member > 0 && (avail[0] != 0x1f || avail.get(1).is_some_and(|&b| b != 0x8b)) {
            // Trailing zeros are ignored silently; anything else is garbage.
            let mut all_zero = true;
            loop {
                let a = r.fill_buf().map_err(|e| read_fail(&e))?;
                if a.is_empty() {
                    break;
                }
                if a.iter().any(|&b| b != 0) {
                    all_zero = false;
                    break;
                }
                let n = a.len();
                r.consume(n);
            }
            if !all_zero {
                if o.quiet {
                    return Ok((r.get_ref().n, total_out, header_bytes, stored));
                }
                return Err(Fail::Warn {
                    msg: format!("{iname}: decompression OK, trailing garbage ignored"),
                    blank: true,
                });
            }
            break;
        }
        if member == 0 && (avail[0] != 0x1f || avail.get(1).is_some_and(|&b| b != 0x8b)) {
            if o.force && o.stdout {
                // zcat -f: copy anything that is not compressed.
                loop {
                    let n = match r.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) => return Err(read_fail(&e)),
                    };
                    w.write_all(&buf[..n]).map_err(|e| write_fail(&e, oname))?;
                    total_out += n as u64;
                }
                return Ok((total_out, total_out, 0, None));
            }
            return Err(err("not in gzip format", true));
        }
        let h = match read_header(&mut r) {
            Ok(Some(h)) => h,
            Ok(None) => return Err(err("not in gzip format", true)),
            Err(e) if e.kind() == io::ErrorKind::Other => {
                return Err(err("unknown method -- not supported", true));
            }
            Err(e) => return Err(read_fail(&e)),
        };
        header_bytes += h.len + 8;
        if member == 0 {
            stored = Some((h.name, h.mtime));
        }
        member += 1;
        let mut crc = Crc::new();
        let mut produced = 0u64;
        {
            let mut dec = flate2::bufread::DeflateDecoder::new(&mut r);
            loop {
                if ctx.cancel.is_cancelled() {
                    return Err(Fail::Stop(130));
                }
                let n = match dec.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                        return Err(err("unexpected end of file", true));
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                        return Err(Fail::Stop(130));
                    }
                    Err(_) => return Err(err("invalid compressed data--format violated", false)),
                };
                produced += n as u64;
                total_out += n as u64;
                if total_out > MAX_OUTPUT {
                    return Err(err(
                        &format!(
                            "decompressed data exceeds the limit of {MAX_OUTPUT} bytes (possible decompression bomb)"
                        ),
                        false,
                    ));
                }
                crc.update(&buf[..n]);
                w.write_all(&buf[..n]).map_err(|e| write_fail(&e, oname))?;
            }
        }
        let mut t = [0u8; 8];
        if let Err(e) = r.read_exact(&mut t) {
            return Err(read_fail(&e));
        }
        let want_crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let want_len = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
        if want_crc != crc.sum() {
            return Err(err("invalid compressed data--crc error", false));
        }
        if u64::from(want_len) != produced & 0xffff_ffff {
            return Err(err("invalid compressed data--length error", false));
        }
    }
    Ok((r.get_ref().n, total_out, header_bytes, stored))
}

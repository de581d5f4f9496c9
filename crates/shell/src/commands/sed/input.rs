//! Reading sed's input: records split on the delimiter into a reused buffer, files
//! opened one after another, and the look-ahead that tells whether a line is the last.

use std::io;

use crate::io::Fd;

/// Block-buffered reader of delimited records.
pub struct Reader {
    fd: Fd,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
}

impl Reader {
    /// A reader over `fd`.
    pub fn new(fd: Fd) -> Reader {
        Reader {
            fd,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos == self.end {
            self.pos = 0;
            self.end = 0;
        }
        if self.end == self.buf.len() {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            } else {
                let n = self.buf.len();
                self.buf.resize(n * 2, 0);
            }
        }
        let n = self.fd.read(&mut self.buf[self.end..])?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.end += n;
        Ok(true)
    }

    /// Is there at least one more byte?
    pub fn has_more(&mut self) -> io::Result<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.fill()
    }

    /// Append the next record to `out` without its delimiter; `Some(true)` when the
    /// delimiter was there, `None` at end of input. Fails past `limit` bytes.
    pub fn read_record(
        &mut self,
        delim: u8,
        out: &mut Vec<u8>,
        limit: usize,
    ) -> io::Result<Option<bool>> {
        let mut got = false;
        loop {
            let avail = &self.buf[self.pos..self.end];
            if let Some(i) = memchr::memchr(delim, avail) {
                out.extend_from_slice(&avail[..i]);
                self.pos += i + 1;
                return Ok(Some(true));
            }
            if !avail.is_empty() {
                got = true;
                out.extend_from_slice(avail);
                self.pos = self.end;
                if out.len() > limit {
                    return Err(io::Error::other("line too long"));
                }
            }
            if !self.fill()? {
                return Ok(if got { Some(false) } else { None });
            }
        }
    }

    /// Everything left, appended to `out`.
    pub fn read_rest(&mut self, out: &mut Vec<u8>, limit: usize) -> io::Result<()> {
        loop {
            out.extend_from_slice(&self.buf[self.pos..self.end]);
            self.pos = self.end;
            if out.len() > limit {
                return Err(io::Error::other("file too large"));
            }
            if !self.fill()? {
                return Ok(());
            }
        }
    }
}

//! Registration of the text commands (head, sort, wc, ...), and the helpers they share:
//! GNU's file-name quoting, `--help`/`--version` output, opening operands and number
//! parsing with GNU's size suffixes.

use super::{CommandMap, Ctx, Stop};
use crate::io::Fd;

#[path = "comm.rs"]
mod comm;
#[path = "cut.rs"]
mod cut;
#[path = "expand.rs"]
mod expand;
#[path = "fold.rs"]
mod fold;
#[path = "head.rs"]
mod head;
#[path = "join.rs"]
mod join;
#[path = "nl.rs"]
mod nl;
#[path = "paste.rs"]
mod paste;
#[path = "rev.rs"]
mod rev;
#[path = "seq.rs"]
mod seq;
#[path = "sort.rs"]
pub(super) mod sort;
#[path = "tac.rs"]
mod tac;
#[path = "tail.rs"]
mod tail;
#[path = "tee.rs"]
mod tee;
#[path = "tr.rs"]
mod tr;
#[path = "unexpand.rs"]
mod unexpand;
#[path = "uniq.rs"]
mod uniq;
#[path = "wc.rs"]
mod wc;
#[path = "yes.rs"]
mod yes;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("head", Box::new(head::Head));
    map.insert("tail", Box::new(tail::Tail));
    map.insert("wc", Box::new(wc::Wc));
    map.insert("sort", Box::new(sort::Sort));
    map.insert("uniq", Box::new(uniq::Uniq));
    map.insert("cut", Box::new(cut::Cut));
    map.insert("tr", Box::new(tr::Tr));
    map.insert("seq", Box::new(seq::Seq));
    map.insert("tee", Box::new(tee::Tee));
    map.insert("paste", Box::new(paste::Paste));
    map.insert("nl", Box::new(nl::Nl));
    map.insert("rev", Box::new(rev::Rev));
    map.insert("tac", Box::new(tac::Tac));
    map.insert("fold", Box::new(fold::Fold));
    map.insert("yes", Box::new(yes::Yes));
    map.insert("comm", Box::new(comm::Comm));
    map.insert("join", Box::new(join::Join));
    map.insert("expand", Box::new(expand::Expand));
    map.insert("unexpand", Box::new(unexpand::Unexpand));
}

pub(super) use super::util::{quote, quote_shell};

/// Print GNU's "Try 'NAME --help'" line and return `status`.
pub(super) fn try_help(ctx: &Ctx<'_>, status: i32) -> i32 {
    let _ = ctx
        .stderr
        .write_all(format!("Try '{} --help' for more information.\n", ctx.name()).as_bytes());
    status
}

/// Print `text` on stdout (for `--help` / `--version`) and return the status.
pub(super) fn print_text(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(stop) => Ctx::stop_status(stop),
    }
}

/// GNU coreutils 9.1's `--version` text for `name` written by `authors`.
pub(super) fn version(ctx: &Ctx<'_>, name: &str, authors: &str) -> i32 {
    let text = format!(
        "{name} (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n{authors}\n"
    );
    print_text(ctx, &text)
}

/// Why opening an operand failed: the errno text.
pub(super) fn open(ctx: &Ctx<'_>, path: &str) -> Result<Fd, String> {
    ctx.open_path(path)
}

/// The text for a read error.
pub(super) fn io_err(e: &std::io::Error) -> String {
    crate::io::errno_message(e)
}

/// Map a write failure to the command's exit status.
pub(super) fn stopped(stop: Stop) -> i32 {
    Ctx::stop_status(stop)
}

/// Parse an unsigned decimal with GNU's optional multiplier suffixes (`b`, `K`, `KiB`,
/// `kB`, `M`, ...). `Err(true)` means it overflowed, `Err(false)` that it is malformed.
pub(super) fn parse_size(s: &str) -> Result<u64, bool> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.strip_prefix('+').unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(false);
    }
    let (num, suf) = t.split_at(digits);
    let mut overflow = false;
    let mut v: u64 = 0;
    for b in num.bytes() {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(b - b'0')))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    let mult: u128 = if suf.is_empty() {
        1
    } else {
        let mut chars = suf.chars();
        let first = chars.next().unwrap_or(' ');
        let rest: String = chars.collect();
        let (base, power): (u128, u32) = match rest.as_str() {
            "" | "iB" => (1024, 0),
            "B" => (1000, 0),
            _ => return Err(false),
        };
        let _ = power;
        let exp = match first {
            'b' if rest.is_empty() => return mul(v, 512, overflow),
            'k' | 'K' => 1,
            'm' | 'M' => 2,
            'g' | 'G' => 3,
            't' | 'T' => 4,
            'p' | 'P' => 5,
            'e' | 'E' => 6,
            'z' | 'Z' => 7,
            'y' | 'Y' => 8,
            'r' | 'R' => 9,
            'q' | 'Q' => 10,
            _ => return Err(false),
        };
        if first == 'k' && rest == "iB" {
            return Err(false);
        }
        match base.checked_pow(exp) {
            Some(m) => m,
            None => return Err(true),
        }
    };
    mul(v, mult, overflow)
}

fn mul(v: u64, m: u128, overflow: bool) -> Result<u64, bool> {
    if overflow {
        return Err(true);
    }
    let r = u128::from(v) * m;
    u64::try_from(r).map_err(|_| true)
}

/// A buffered reader over an [`Fd`] handing out records; it can give back what it read
/// ahead on a seekable file (GNU `head` leaves the offset just after what it used).
pub(super) struct Reader {
    fd: Fd,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl Reader {
    /// A reader over `fd`.
    pub(super) fn new(fd: Fd) -> Self {
        Reader {
            fd,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + 64 * 1024, 0);
        let n = match self.fd.read(&mut self.buf[old..]) {
            Ok(n) => n,
            Err(e) => {
                self.buf.truncate(old);
                return Err(e);
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        Ok(true)
    }

    /// Copy the next `n` records (ending in `delim`; the last may be unterminated) to
    /// `out` straight from the buffer, without a copy per record.
    pub(super) fn copy_records(
        &mut self,
        mut n: u64,
        delim: u8,
        out: &mut Out<'_, '_>,
    ) -> std::io::Result<Result<(), Stop>> {
        while n > 0 {
            if self.pos >= self.buf.len() && !self.fill()? {
                break;
            }
            let data = &self.buf[self.pos..];
            let mut end = data.len();
            let mut found = 0u64;
            for i in memchr::memchr_iter(delim, data) {
                found += 1;
                if found == n {
                    end = i + 1;
                    break;
                }
            }
            if let Err(s) = out.put(&data[..end]) {
                return Ok(Err(s));
            }
            self.pos += end;
            n -= found.min(n);
        }
        Ok(Ok(()))
    }

    /// The next record ending in `delim` (included), or the last unterminated one.
    pub(super) fn record(&mut self, delim: u8) -> std::io::Result<Option<Vec<u8>>> {
        Ok(self.record_ref(delim)?.map(<[u8]>::to_vec))
    }

    /// [`Reader::record`] without the copy: the record borrowed from the buffer, valid
    /// until the next read.
    pub(super) fn record_ref(&mut self, delim: u8) -> std::io::Result<Option<&[u8]>> {
        let mut searched = 0;
        loop {
            if let Some(i) = memchr::memchr(delim, &self.buf[self.pos + searched..]) {
                let start = self.pos;
                self.pos = start + searched + i + 1;
                return Ok(Some(&self.buf[start..self.pos]));
            }
            searched = self.buf.len() - self.pos;
            if !self.fill()? {
                if self.pos < self.buf.len() {
                    let start = self.pos;
                    self.pos = self.buf.len();
                    return Ok(Some(&self.buf[start..]));
                }
                return Ok(None);
            }
        }
    }

    /// The next chunk of at most `max` bytes; empty at end of input.
    pub(super) fn chunk(&mut self, max: usize) -> std::io::Result<Vec<u8>> {
        if self.pos >= self.buf.len() && !self.fill()? {
            return Ok(Vec::new());
        }
        let end = (self.pos + max).min(self.buf.len());
        let v = self.buf[self.pos..end].to_vec();
        self.pos = end;
        Ok(v)
    }

    /// Seek a file back over what was read but not used.
    pub(super) fn give_back(&mut self) {
        let extra = self.buf.len() - self.pos;
        if extra > 0
            && let Fd::File { handle, .. } = &self.fd
        {
            let _ = handle
                .lock()
                .seek(std::io::SeekFrom::Current(-(extra as i64)));
        }
        self.buf.clear();
        self.pos = 0;
    }
}

pub(super) use super::util::Out;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_shell("a b", false), "'a b'");
        assert_eq!(quote_shell("ab", false), "ab");
        assert_eq!(quote_shell("ab", true), "'ab'");
        assert_eq!(quote_shell("a'b", true), "\"a'b\"");
        assert_eq!(quote_shell("a\nb", true), "'a'$'\\n''b'");
        assert_eq!(quote("a'b"), "'a\\'b'");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2K"), Ok(2048));
        assert_eq!(parse_size("1kB"), Ok(1000));
        assert_eq!(parse_size("3b"), Ok(1536));
        assert_eq!(parse_size("x"), Err(false));
        assert_eq!(parse_size("99999999999999999999999"), Err(true));
    }
}

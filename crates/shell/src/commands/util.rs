//! Helpers shared by the commands: GNU-style option parsing, opening operands (`-` is
//! stdin), buffered reading by lines or whole, and GNU-style messages.

use std::io;
use std::sync::Arc;

use super::{Ctx, Stop};
use crate::io::{Fd, errno_message};

/// The power of 1024 (or 1000) a coreutils size suffix stands for (`K`/`k` 1 ... `Y` 8),
/// as `truncate -s`, `df -B` and other gnulib `xstrtol` users read them.
pub fn size_suffix_power(c: u8) -> Option<u32> {
    Some(match c {
        b'k' | b'K' => 1,
        b'm' | b'M' => 2,
        b'g' | b'G' => 3,
        b't' | b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        b'Z' => 7,
        b'Y' => 8,
        _ => return None,
    })
}

/// A long option's name in a [`parse_args`] spec: `name` (a flag), `name=` (takes a
/// value) or `name=?` (takes an optional `=VALUE`).
fn spec_name(spec: &str) -> &str {
    spec.trim_end_matches('?').trim_end_matches('=')
}

/// One parsed command-line item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A short option (`-n`), with its value if the spec says it takes one.
    Short(char, Option<String>),
    /// A long option (`--lines`, `--lines=5`), with its value.
    Long(String, Option<String>),
    /// An operand.
    Operand(String),
}

/// Why option parsing failed: the message is printed as `NAME: MSG` plus GNU's
/// "Try 'NAME --help'" line, status 2 (or 1 for commands whose usage status is 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// The decimal digits of `n`, written at the end of `buf` without an allocation.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Parse GNU-style arguments. `short_with_value` lists short options taking a value
/// (`"nc"` for `-n N`, `-cN`); `long` lists long option names, a trailing `=` marking
/// those that take a value (`"lines="`), and unambiguous prefixes are accepted.
/// Options and operands may be mixed (GNU permutation) until `--`.
pub fn parse_args(
    args: &[String],
    short_with_value: &str,
    short_flags: &str,
    long: &[&str],
) -> Result<Vec<Arg>, UsageError> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || a == "-" || !a.starts_with('-') {
            out.push(Arg::Operand(a.clone()));
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact: Vec<&&str> = long.iter().filter(|l| spec_name(l) == name).collect();
            let matches: Vec<&&str> = if exact.is_empty() {
                long.iter()
                    .filter(|l| spec_name(l).starts_with(name))
                    .collect()
            } else {
                exact
            };
            match matches.len() {
                // getopt names the whole argument, `=VALUE` included.
                0 => return Err(UsageError(format!("unrecognized option '{a}'"))),
                1 => {}
                _ => {
                    let list: Vec<String> = matches
                        .iter()
                        .map(|l| format!("'--{}'", spec_name(l)))
                        .collect();
                    return Err(UsageError(format!(
                        "option '{a}' is ambiguous; possibilities: {}",
                        list.join(" ")
                    )));
                }
            }
            let spec = matches[0];
            let full = spec_name(spec).to_string();
            if spec.ends_with("=?") {
                // An optional argument comes only attached (`--opt=VALUE`).
                out.push(Arg::Long(full, value));
            } else if spec.ends_with('=') {
                let v = match value {
                    Some(v) => v,
                    None => match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(UsageError(format!(
                                "option '--{full}' requires an argument"
                            )));
                        }
                    },
                };
                out.push(Arg::Long(full, Some(v)));
            } else {
                if value.is_some() {
                    return Err(UsageError(format!(
                        "option '--{full}' doesn't allow an argument"
                    )));
                }
                out.push(Arg::Long(full, None));
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            if short_with_value.contains(c) {
                let rest: String = chars[k..].iter().collect();
                let v = if !rest.is_empty() {
                    rest
                } else {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(UsageError(format!(
                                "option requires an argument -- '{c}'"
                            )));
                        }
                    }
                };
                out.push(Arg::Short(c, Some(v)));
                break;
            }
            if short_flags.contains(c) {
                out.push(Arg::Short(c, None));
            } else {
                return Err(UsageError(format!("invalid option -- '{c}'")));
            }
        }
    }
    Ok(out)
}

impl Ctx<'_> {
    /// Print a usage error as GNU does and return status `status`.
    pub fn usage(&self, e: &UsageError, status: i32) -> i32 {
        self.err(&e.0);
        let _ = self
            .stderr
            .write_all(format!("Try '{} --help' for more information.\n", self.name()).as_bytes());
        status
    }

    /// Open an operand for reading: `-` is stdin. Errors come back as GNU's
    /// "NAME: FILE: No such file or directory" text (without the NAME).
    pub fn open_input(&self, path: &str) -> Result<Fd, String> {
        self.open_path(path).map_err(|m| format!("{path}: {m}"))
    }

    /// Open an operand for reading (`-` is stdin, `/dev/*` and `/dev/fd/N` included); the
    /// error is the errno text alone ("No such file or directory").
    pub fn open_path(&self, path: &str) -> Result<Fd, String> {
        if path == "-" {
            return Ok(self.stdin.clone());
        }
        if let Some(fd) = self.dev_file(path) {
            return Ok(fd);
        }
        match self.vfs.open(path, &vfs_core::OpenOptions::read_only()) {
            Ok(h) => Ok(Fd::File {
                handle: Arc::new(parking_lot::Mutex::new(h)),
                path: path.into(),
            }),
            Err(e) => Err(e.errno().message().to_string()),
        }
    }

    /// The sandbox's `/dev` files (when the VFS has no file of that name).
    pub fn dev_file(&self, path: &str) -> Option<Fd> {
        let fd = match path {
            "/dev/stdin" | "/dev/fd/0" => self.stdin.clone(),
            "/dev/stdout" | "/dev/fd/1" => self.stdout.clone(),
            "/dev/stderr" | "/dev/fd/2" => self.stderr.clone(),
            "/dev/null" => Fd::Null,
            "/dev/zero" => Fd::Zero,
            "/dev/urandom" | "/dev/random" => Fd::Random,
            _ => {
                let n = path
                    .strip_prefix("/dev/fd/")
                    .or_else(|| path.strip_prefix("/proc/self/fd/"))?;
                let n: i32 = n.parse().ok()?;
                match n {
                    0 => self.stdin.clone(),
                    1 => self.stdout.clone(),
                    2 => self.stderr.clone(),
                    _ => super::extra_fd(n)?,
                }
            }
        };
        if self.vfs.lstat(path).is_ok() {
            return None;
        }
        Some(fd)
    }

    /// Open an operand for writing (`tee`, `-o FILE`): `/dev/*` specials included.
    pub fn open_output(&self, path: &str, append: bool) -> Result<Fd, String> {
        if let Some(fd) = self.dev_file(path) {
            return Ok(fd);
        }
        let opts = if append {
            vfs_core::OpenOptions::create_append()
        } else {
            vfs_core::OpenOptions::create_truncate()
        };
        match self.vfs.open(path, &opts) {
            Ok(h) => Ok(Fd::File {
                handle: Arc::new(parking_lot::Mutex::new(h)),
                path: path.into(),
            }),
            Err(e) => Err(format!("{path}: {}", e.errno())),
        }
    }

    /// Write and map a write failure to a [`Stop`].
    pub fn write(&self, data: &[u8]) -> Result<(), Stop> {
        self.out(data)
    }
}

/// Reads an [`Fd`] in 64 KiB blocks and hands out lines (delimiter included).
pub struct LineReader {
    fd: Fd,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl LineReader {
    /// A reader over `fd`.
    pub fn new(fd: Fd) -> Self {
        LineReader {
            fd,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = vec![0u8; 64 * 1024];
        let n = self.fd.read(&mut chunk)?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(true)
    }

    /// The next record ending in `delim` (included), or the last unterminated one;
    /// `None` at end of input.
    pub fn next_record(&mut self, delim: u8) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(i) = self.buf[self.pos..].iter().position(|&b| b == delim) {
                let line = self.buf[self.pos..self.pos + i + 1].to_vec();
                self.pos += i + 1;
                return Ok(Some(line));
            }
            if !self.fill()? {
                if self.pos < self.buf.len() {
                    let line = self.buf[self.pos..].to_vec();
                    self.pos = self.buf.len();
                    return Ok(Some(line));
                }
                return Ok(None);
            }
        }
    }

    /// The next line (with its `\n` if it had one).
    pub fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        self.next_record(b'\n')
    }

    /// Up to `n` bytes (fewer at end of input).
    pub fn read_bytes(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() - self.pos < n {
            if !self.fill()? {
                break;
            }
        }
        let end = (self.pos + n).min(self.buf.len());
        let v = self.buf[self.pos..end].to_vec();
        self.pos = end;
        Ok(v)
    }
}

/// Read all of `fd` (for commands that need the whole input, like `sort` and `tac`),
/// failing past `limit` bytes.
pub fn read_all(fd: &Fd, limit: usize) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    fd.read_to_end(&mut v, limit)?;
    Ok(v)
}

/// [`read_all`], shared with the file instead of copied when `fd` is a VFS file.
pub fn read_all_shared(fd: &Fd, limit: usize) -> io::Result<bytes::Bytes> {
    let mut parts: Vec<bytes::Bytes> = Vec::new();
    let mut total = 0usize;
    loop {
        let part = match fd.read_shared(limit.saturating_add(1)) {
            None => return read_all(fd, limit).map(bytes::Bytes::from),
            Some(r) => r?,
        };
        if part.is_empty() {
            break;
        }
        total += part.len();
        if total > limit {
            return Err(io::Error::other("size limit exceeded"));
        }
        parts.push(part);
    }
    Ok(match parts.len() {
        0 => bytes::Bytes::new(),
        1 => parts.swap_remove(0),
        _ => parts.concat().into(),
    })
}

/// GNU's text for an I/O error.
pub fn io_message(e: &io::Error) -> String {
    errno_message(e)
}

/// Most bytes a command reads into memory at once (whole-input commands).
pub const MAX_INPUT: usize = 256 << 20;

/// Buffered stdout: collects output and writes it in blocks.
pub struct Out<'c, 'a> {
    ctx: &'c Ctx<'a>,
    buf: Vec<u8>,
}

impl<'c, 'a> Out<'c, 'a> {
    /// A buffer writing to `ctx`'s stdout.
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        Out {
            ctx,
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    /// Queue `data`, writing when the buffer is full.
    pub fn put(&mut self, data: &[u8]) -> Result<(), Stop> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 32 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    /// Write what is queued.
    pub fn flush(&mut self) -> Result<(), Stop> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let r = self.ctx.out(&self.buf);
        self.buf.clear();
        r
    }
}

// ----- GNU quoting of names in messages --------------------------------------------

/// Characters that make gnulib's shell quoting style quote a name.
fn shell_special(s: &[u8], i: usize) -> bool {
    let c = s[i];
    match c {
        b'#' | b'~' => i == 0,
        b'{' | b'}' => s.len() == 1,
        b' ' | b'!' | b'"' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b';' | b'<' | b'='
        | b'>' | b'?' | b'[' | b'\\' | b'^' | b'`' | b'|' => true,
        _ => !(0x20..0x7f).contains(&c),
    }
}

fn c_escape(c: u8) -> Option<&'static str> {
    Some(match c {
        7 => "\\a",
        8 => "\\b",
        12 => "\\f",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        11 => "\\v",
        _ => return None,
    })
}

/// gnulib's shell-escape quoting (`quotef` when `always` is false, `quoteaf` when true)
/// in the C locale.
pub fn quote_shell(name: &str, always: bool) -> String {
    quote_shell_bytes(name.as_bytes(), always)
}

/// [`quote_shell`] of bytes (the result is ASCII: other bytes are written as `$'\NNN'`).
pub fn quote_shell_bytes(s: &[u8], always: bool) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let needs = (0..s.len()).any(|i| shell_special(s, i));
    let unprintable = s.iter().any(|&c| !(0x20..0x7f).contains(&c));
    // Without unprintable bytes the text is ASCII.
    let name = String::from_utf8_lossy(s);
    if !needs && !always {
        return name.into_owned();
    }
    if !unprintable {
        if s.contains(&b'\'') {
            if !s
                .iter()
                .any(|c| matches!(c, b'"' | b'$' | b'`' | b'\\' | b'!'))
            {
                return format!("\"{name}\"");
            }
            return format!("'{}'", name.replace('\'', "'\\''"));
        }
        return format!("'{name}'");
    }
    let mut out = String::from("'");
    let mut in_dollar = false;
    for &c in s {
        if !(0x20..0x7f).contains(&c) {
            if !in_dollar {
                out.push_str("'$'");
                in_dollar = true;
            }
            match c_escape(c) {
                Some(e) => out.push_str(e),
                None => out.push_str(&format!("\\{c:03o}")),
            }
        } else {
            if in_dollar {
                out.push_str("''");
                in_dollar = false;
            }
            if c == b'\'' {
                out.push_str("'\\''");
            } else {
                out.push(c as char);
            }
        }
    }
    out.push('\'');
    out
}

/// gnulib's `quote` (locale quoting style) in the C locale: `'NAME'` with C escapes.
pub fn quote(name: &str) -> String {
    quote_bytes(name.as_bytes())
}

/// [`quote`] of bytes (the result is ASCII: other bytes are written as `\NNN`).
pub fn quote_bytes(name: &[u8]) -> String {
    let mut out = String::from("'");
    for &c in name {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            _ if !(0x20..0x7f).contains(&c) => match c_escape(c) {
                Some(e) => out.push_str(e),
                None => out.push_str(&format!("\\{c:03o}")),
            },
            _ => out.push(c as char),
        }
    }
    out.push('\'');
    out
}

/// Ask a yes/no question the way gnulib's `yesno` does for `rm -i`, `cp -i`, `mv -i`:
/// print `NAME: QUESTION` on stderr (no newline), read one answer line from stdin, and
/// agree only if it starts with `y` or `Y` (end of input declines).
pub fn ask(ctx: &Ctx<'_>, question: &str) -> bool {
    let _ = ctx
        .stderr
        .write_all(format!("{}: {question}", ctx.name()).as_bytes());
    let mut first = None;
    let mut b = [0u8; 1];
    while let Ok(1) = ctx.stdin.read(&mut b) {
        if b[0] == b'\n' {
            break;
        }
        first.get_or_insert(b[0]);
    }
    matches!(first, Some(b'y' | b'Y'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_the_digits() {
        let mut b = [0u8; 20];
        for n in [0u64, 7, 10, 4096, 1_000_000_007, u64::MAX] {
            assert_eq!(decimal(n, &mut b), n.to_string().as_bytes());
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn gnu_options() {
        let a = parse_args(
            &s(&["-n5", "file", "--lines=3", "-vq", "--", "-x"]),
            "n",
            "vq",
            &["lines="],
        )
        .unwrap();
        assert_eq!(
            a,
            vec![
                Arg::Short('n', Some("5".into())),
                Arg::Operand("file".into()),
                Arg::Long("lines".into(), Some("3".into())),
                Arg::Short('v', None),
                Arg::Short('q', None),
                Arg::Operand("-x".into()),
            ]
        );
        assert_eq!(
            parse_args(&s(&["-Z"]), "", "a", &[]).unwrap_err().0,
            "invalid option -- 'Z'"
        );
        assert_eq!(
            parse_args(&s(&["--li", "4"]), "", "", &["lines="]).unwrap(),
            vec![Arg::Long("lines".into(), Some("4".into()))]
        );
        assert_eq!(
            parse_args(&s(&["-n"]), "n", "", &[]).unwrap_err().0,
            "option requires an argument -- 'n'"
        );
    }

    #[test]
    fn lines() {
        let fd = Fd::Source(Arc::new(crate::io::Source::new(b"a\nbb\nc".to_vec())));
        let mut r = LineReader::new(fd);
        assert_eq!(r.next_line().unwrap(), Some(b"a\n".to_vec()));
        assert_eq!(r.next_line().unwrap(), Some(b"bb\n".to_vec()));
        assert_eq!(r.next_line().unwrap(), Some(b"c".to_vec()));
        assert_eq!(r.next_line().unwrap(), None);
    }
}

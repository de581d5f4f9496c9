//! `gzip`, `gunzip` and `zcat` (GNU gzip 1.12): compress and decompress files on the
//! VFS with flate2's pure-Rust deflate. The gzip member format (header with name and
//! time, trailer with CRC and length) is read and written here so messages match GNU's
//! (`crc error`, `length error`, `trailing garbage ignored`). Decompressed output is
//! capped at [`MAX_INPUT`] bytes per file so a decompression bomb stops with an error.

use std::io::{self, BufRead, BufReader, Read, Write};

use flate2::{Compression, Crc, GzBuilder};

use super::{FdRead, FdWrite, civil, open_fd, print_text, zone_offset};
use crate::commands::util::{Arg, MAX_INPUT, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;

/// Which name the command was called by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `gzip`.
    Gzip,
    /// `gunzip` (`gzip -d`).
    Gunzip,
    /// `zcat` (`gzip -dc`).
    Zcat,
}

/// `gzip [-cdfklnNqtv19] [-S SUF] [FILE]...`
pub struct Gzip(pub Flavor);

const HELP: &str = include_str!("help.txt");
const GUNZIP_HELP: &str = include_str!("gunzip-help.txt");
const ZCAT_HELP: &str = include_str!("zcat-help.txt");
const VERSION: &str = include_str!("version.txt");
const GUNZIP_VERSION: &str = include_str!("gunzip-version.txt");
const ZCAT_VERSION: &str = include_str!("zcat-version.txt");

/// Most bytes one file may decompress to.
const MAX_OUTPUT: u64 = MAX_INPUT as u64;

struct Opts {
    stdout: bool,
    decompress: bool,
    force: bool,
    keep: bool,
    list: bool,
    test: bool,
    quiet: bool,
    recursive: bool,
    verbose: bool,
    no_name: Option<bool>,
    level: u32,
    suffix: String,
}

/// Exit status bookkeeping: errors (1) beat warnings (2).
struct St {
    code: i32,
}

impl St {
    fn error(&mut self) {
        self.code = 1;
    }
    fn warn(&mut self) {
        if self.code == 0 {
            self.code = 2;
        }
    }
}

/// Totals for `-l`.
#[derive(Default)]
struct ListState {
    first: bool,
    total_in: i64,
    total_out: i64,
    header_bytes: i64,
}

impl Command for Gzip {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "S",
            "cdfhklLnNqrtvV123456789",
            &[
                "stdout",
                "to-stdout",
                "decompress",
                "uncompress",
                "force",
                "help",
                "keep",
                "list",
                "license",
                "no-name",
                "name",
                "quiet",
                "silent",
                "recursive",
                "rsyncable",
                "suffix=",
                "synchronous",
                "test",
                "verbose",
                "version",
                "fast",
                "best",
            ],
        ) {
            Ok(p) => p,
            Err(e) => {
                gerr(ctx, &e.0);
                let _ = ctx
                    .stderr
                    .write_all(b"Try `gzip --help' for more information.\n");
                return 1;
            }
        };
        let mut o = Opts {
            stdout: self.0 == Flavor::Zcat,
            decompress: self.0 != Flavor::Gzip,
            force: false,
            keep: false,
            list: false,
            test: false,
            quiet: false,
            recursive: false,
            verbose: false,
            no_name: None,
            level: 6,
            suffix: ".gz".into(),
        };
        let mut files = Vec::new();
        for a in parsed {
            let key = match &a {
                Arg::Short(c, _) => c.to_string(),
                Arg::Long(l, _) => l.clone(),
                Arg::Operand(f) => {
                    files.push(f.clone());
                    continue;
                }
            };
            match key.as_str() {
                "c" | "stdout" | "to-stdout" => o.stdout = true,
                "d" | "decompress" | "uncompress" => o.decompress = true,
                "f" | "force" => o.force = true,
                "h" | "help" => {
                    return print_text(
                        ctx,
                        match self.0 {
                            Flavor::Gzip => HELP,
                            Flavor::Gunzip => GUNZIP_HELP,
                            Flavor::Zcat => ZCAT_HELP,
                        },
                    );
                }
                "V" | "version" => {
                    return print_text(
                        ctx,
                        match self.0 {
                            Flavor::Gzip => VERSION,
                            Flavor::Gunzip => GUNZIP_VERSION,
                            Flavor::Zcat => ZCAT_VERSION,
                        },
                    );
                }
                "L" | "license" => return print_text(ctx, VERSION),
                "k" | "keep" => o.keep = true,
                "l" | "list" => {
                    o.list = true;
                    o.decompress = true;
                    o.stdout = true;
                }
                "n" | "no-name" => o.no_name = Some(true),
                "N" | "name" => o.no_name = Some(false),
                "q" | "quiet" | "silent" => {
                    o.quiet = true;
                    o.verbose = false;
                }
                "v" | "verbose" => {
                    o.verbose = true;
                    o.quiet = false;
                }
                "t" | "test" => {
                    o.test = true;
                    o.decompress = true;
                    o.stdout = true;
                }
                "fast" => o.level = 1,
                "best" => o.level = 9,
                "rsyncable" | "synchronous" => {}
                "r" | "recursive" => o.recursive = true,
                "S" | "suffix" => {
                    let v = match a {
                        Arg::Short(_, Some(v)) | Arg::Long(_, Some(v)) => v,
                        _ => String::new(),
                    };
                    if v.is_empty() || v.contains('/') {
                        gerr(ctx, &format!("invalid suffix '{v}'"));
                        return 1;
                    }
                    o.suffix = v;
                }
                d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => {
                    o.level = u32::from(d.as_bytes()[0] - b'0');
                }
                _ => {}
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut st = St { code: 0 };
        let mut list = ListState {
            first: true,
            ..ListState::default()
        };
        for f in &files {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            if f == "-" {
                treat_stdin(ctx, &o, &mut st, &mut list);
            } else {
                treat_file(ctx, &o, f, &mut st, &mut list);
            }
            if st.code == 130 || st.code == 141 {
                return st.code;
            }
        }
        if o.list && !o.quiet && files.len() > 1 {
            list_totals(ctx, &o, &list);
        }
        st.code
    }
}

/// The message for a VFS error.
fn errno_text(e: &vfs_core::Error) -> &'static str {
    e.errno().message()
}

/// The name with a compressed suffix removed, and the suffix it replaces (`.tgz` ->
/// `.tar`); `None` when there is no known suffix.
fn strip_suffix(name: &str, suffix: &str) -> Option<String> {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    let base = &name[base_start..];
    let known: [(&str, &str); 8] = [
        (suffix, ""),
        (".gz", ""),
        (".z", ""),
        ("-gz", ""),
        ("-z", ""),
        ("_z", ""),
        (".tgz", ".tar"),
        (".taz", ".tar"),
    ];
    for (s, repl) in known {
        if base.len() > s.len() && base.ends_with(s) {
            return Some(format!("{}{repl}", &name[..name.len() - s.len()]));
        }
    }
    None
}

fn has_gz_suffix(name: &str, suffix: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    for s in [suffix, ".gz", ".z", "-gz", "-z", "_z", ".tgz", ".taz"] {
        if base.len() > s.len() && base.ends_with(s) {
            return Some(s.to_string());
        }
    }
    None
}

fn treat_stdin(ctx: &Ctx<'_>, o: &Opts, st: &mut St, list: &mut ListState) {
    let input = ctx.stdin.clone();
    if o.list {
        let mut data = Vec::new();
        if let Err(e) = input.read_to_end(&mut data, MAX_INPUT) {
            gerr(ctx, &format!("stdin: {}", super::io_text(&e)));
            st.error();
            return;
        }
        list_one(ctx, o, &data, data.len() as i64, 0, "stdout", st, list);
        return;
    }
    let out = if o.test { Fd::Null } else { ctx.stdout.clone() };
    if o.decompress {
        match decompress(ctx, o, input, out, "stdin", "stdout") {
            Ok(_) => {
                if o.verbose && o.test {
                    let _ = ctx.stderr.write_all(b" OK\n");
                }
            }
            Err(e) => report(ctx, st, &e),
        }
    } else {
        match compress(ctx, o, input, out, None, 0) {
            Ok((i, w, h)) => {
                if o.verbose {
                    let line = format!("{}\n", ratio_text(false, i, w, h));
                    let _ = ctx.stderr.write_all(line.as_bytes());
                }
            }
            Err(e) => report(ctx, st, &e),
        }
    }
}

/// A failure while (de)compressing: the text to print and whether it is a warning.
enum Fail {
    /// `gzip: NAME: MSG` (error, status 1); `blank` prints an empty line first.
    Error { msg: String, blank: bool },
    /// A warning (status 2), printed as is (after `gzip: `).
    Warn { msg: String, blank: bool },
    /// Stop: cancelled or broken pipe (status).
    Stop(i32),
}

fn report(ctx: &Ctx<'_>, st: &mut St, f: &Fail) {
    match f {
        Fail::Error { msg, blank } => {
            if *blank {
                let _ = ctx.stderr.write_all(b"\n");
            }
            gerr(ctx, msg);
            st.error();
        }
        Fail::Warn { msg, blank } => {
            if *blank {
                let _ = ctx.stderr.write_all(b"\n");
            }
            gerr(ctx, msg);
            st.warn();
        }
        Fail::Stop(code) => st.code = *code,
    }
}

/// Classify an I/O error from writing `oname`.
fn write_fail(e: &io::Error, oname: &str) -> Fail {
    if e.kind() == io::ErrorKind::Interrupted {
        return Fail::Stop(130);
    }
    if e.raw_os_error() == Some(32) {
        return Fail::Stop(141);
    }
    Fail::Error {
        msg: format!("{oname}: {}", super::io_text(e)),
        blank: false,
    }
}

fn treat_file(ctx: &Ctx<'_>, o: &Opts, name: &str, st: &mut St, list: &mut ListState) {
    // Find the input: when decompressing, `x` may mean `x.gz`.
    let mut iname = name.to_string();
    let meta = match ctx.vfs.lstat(name) {
        Ok(m) => m,
        Err(e) => {
            let mut found = None;
            if o.decompress && strip_suffix(name, &o.suffix).is_none() {
                for s in [o.suffix.as_str(), ".gz", ".z", "-gz", "-z", "_z", ".tgz"] {
                    let cand = format!("{name}{s}");
                    if let Ok(m) = ctx.vfs.lstat(&cand) {
                        found = Some((cand, m));
                        break;
                    }
                }
            }
            match found {
                Some((c, m)) => {
                    iname = c;
                    m
                }
                None => {
                    // GNU names the last candidate it tried: NAME plus the suffix.
                    let shown = if o.decompress && strip_suffix(name, &o.suffix).is_none() {
                        format!("{name}{}", o.suffix)
                    } else {
                        name.to_string()
                    };
                    gerr(ctx, &format!("{shown}: {}", errno_text(&e)));
                    st.error();
                    return;
                }
            }
        }
    };
    let mut meta = meta;
    if meta.is_symlink() {
        if !o.force && !o.stdout {
            gerr(ctx, &format!("{iname}: Too many levels of symbolic links"));
            st.error();
            return;
        }
        match ctx.vfs.stat(&iname) {
            Ok(m) => meta = m,
            Err(e) => {
                gerr(ctx, &format!("{iname}: {}", errno_text(&e)));
                st.error();
                return;
            }
        }
    }
    if meta.is_dir() && o.recursive {
        let mut names: Vec<String> = match ctx.vfs.read_dir(&iname) {
            Ok(v) => v
                .iter()
                .map(|d| String::from_utf8_lossy(d.name_bytes()).into_owned())
                .collect(),
            Err(e) => {
                gerr(ctx, &format!("{iname}: {}", errno_text(&e)));
                st.error();
                return;
            }
        };
        names.sort();
        for n in names {
            if ctx.cancel.is_cancelled() {
                st.code = 130;
                return;
            }
            let child = format!("{}/{n}", iname.trim_end_matches('/'));
            treat_file(ctx, o, &child, st, list);
        }
        return;
    }
    if meta.is_dir() {
        if !o.quiet {
            gerr(ctx, &format!("{iname} is a directory -- ignored"));
        }
        st.warn();
        return;
    }
    if !meta.is_file() {
        if !o.quiet {
            gerr(
                ctx,
                &format!("{iname} is not a directory or a regular file - ignored"),
            );
        }
        st.warn();
        return;
    }
    if !o.stdout && meta.nlink > 1 && !o.force {
        let n = meta.nlink - 1;
        if !o.quiet {
            gerr(
                ctx,
                &format!(
                    "{iname} has {n} other link{} -- file ignored",
                    if n > 1 { "s" } else { "" }
                ),
            );
        }
        st.warn();
        return;
    }
    // The output name.
    let oname = if o.decompress {
        match strip_suffix(&iname, &o.suffix) {
            Some(n) => n,
            None => {
                if o.stdout && o.force && !o.list {
                    String::new()
                } else {
                    if !o.recursive && !o.quiet {
                        gerr(ctx, &format!("{iname}: unknown suffix -- ignored"));
                        st.warn();
                    }
                    return;
                }
            }
        }
    } else {
        if !o.stdout
            && !o.force
            && let Some(s) = has_gz_suffix(&iname, &o.suffix)
        {
            if o.verbose || (!o.recursive && !o.quiet) {
                gerr(ctx, &format!("{iname} already has {s} suffix -- unchanged"));
            }
            return;
        }
        format!("{iname}{}", o.suffix)
    };
    let input = match open_fd(ctx, &iname, &vfs_core::OpenOptions::read_only()) {
        Ok(fd) => fd,
        Err(e) => {
            gerr(ctx, &format!("{iname}: {}", errno_text(&e)));
            st.error();
            return;
        }
    };
    if o.list {
        list_file(ctx, o, &iname, &oname, &input, &meta, st, list);
        return;
    }
    if o.verbose {
        let _ = ctx.stderr.write_all(format!("{iname}:\t").as_bytes());
    }
    if o.stdout {
        let out = if o.test { Fd::Null } else { ctx.stdout.clone() };
        let r = if o.decompress {
            decompress(ctx, o, input, out, &iname, "stdout").map(|(i, w, h, _)| (i, w, h))
        } else {
            compress(ctx, o, input, out, Some(&iname), meta.mtime.sec)
        };
        match r {
            Ok((i, w, h)) => {
                if o.verbose {
                    let line = if o.test {
                        " OK\n".to_string()
                    } else {
                        format!(
                            "{} -- {} stdout\n",
                            ratio_text(o.decompress, i, w, h),
                            if o.keep { "created" } else { "replaced with" }
                        )
                    };
                    let _ = ctx.stderr.write_all(line.as_bytes());
                }
            }
            Err(e) => {
                if o.verbose {
                    let _ = ctx.stderr.write_all(b"\n");
                }
                report(ctx, st, &e);
            }
        }
        return;
    }
    // To a file: refuse to clobber without -f.
    let mut oname = oname;
    if ctx.vfs.lstat(&oname).is_ok() {
        if !o.force {
            if o.verbose {
                let _ = ctx.stderr.write_all(b"\n");
            }
            gerr(ctx, &format!("{oname} already exists;\tnot overwritten"));
            st.warn();
            return;
        }
        if let Err(e) = ctx.vfs.unlink(&oname) {
            gerr(ctx, &format!("{oname}: {}", errno_text(&e)));
            st.error();
            return;
        }
    }
    let out = match open_fd(
        ctx,
        &oname,
        &vfs_core::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600),
    ) {
        Ok(fd) => fd,
        Err(e) => {
            gerr(ctx, &format!("{oname}: {}", errno_text(&e)));
            st.error();
            return;
        }
    };
    let r = if o.decompress {
        decompress(ctx, o, input, out, &iname, &oname)
    } else {
        compress(ctx, o, input, out, Some(&iname), meta.mtime.sec).map(|(i, w, h)| (i, w, h, None))
    };
    match r {
        Ok((i, w, h, stored)) => {
            let mut mtime = meta.mtime;
            if o.decompress
                && o.no_name == Some(false)
                && let Some((sname, smtime)) = stored
            {
                {
                    if smtime != 0 {
                        mtime = vfs_core::Timestamp::new(i64::from(smtime), 0);
                    }
                    // Only the stored base name: never a path out of the directory.
                    let sname = sname
                        .map(|n| n.rsplit('/').next().unwrap_or("").to_string())
                        .filter(|n| !n.is_empty() && n != "." && n != "..");
                    if let Some(sn) = sname {
                        let dir = match oname.rfind('/') {
                            Some(k) => oname[..=k].to_string(),
                            None => String::new(),
                        };
                        let new = format!("{dir}{sn}");
                        if new != oname {
                            if ctx.vfs.lstat(&new).is_ok() && !o.force {
                                gerr(ctx, &format!("{new} already exists;\tnot overwritten"));
                                let _ = ctx.vfs.unlink(&oname);
                                st.warn();
                                return;
                            }
                            if ctx.vfs.rename(&oname, &new).is_ok() {
                                oname = new;
                            }
                        }
                    }
                }
            }
            let _ = ctx.vfs.chmod(&oname, meta.mode & 0o7777);
            let _ = ctx.vfs.utimes(
                &oname,
                vfs_core::SetTime::At(meta.atime),
                vfs_core::SetTime::At(mtime),
                true,
            );
            if o.verbose {
                let _ = ctx.stderr.write_all(
                    format!(
                        "{} -- {} {oname}\n",
                        ratio_text(o.decompress, i, w, h),
                        if o.keep { "created" } else { "replaced with" }
                    )
                    .as_bytes(),
                );
            }
            if !o.keep
                && let Err(e) = ctx.vfs.unlink(&iname)
            {
                gerr(ctx, &format!("{iname}: {}", errno_text(&e)));
                st.error();
            }
        }
        Err(e) => {
            let _ = ctx.vfs.unlink(&oname);
            if o.verbose {
                let _ = ctx.stderr.write_all(b"\n");
            }
            report(ctx, st, &e);
        }
    }
}

/// GNU's `%5.1f%%` ratio of saved bytes for `-v`.
fn ratio_text(decompress: bool, bytes_in: u64, bytes_out: u64, header: u64) -> String {
    let (num, den) = if decompress {
        (
            bytes_out as f64 - (bytes_in as f64 - header as f64),
            bytes_out as f64,
        )
    } else {
        (
            bytes_in as f64 - (bytes_out as f64 - header as f64),
            bytes_in as f64,
        )
    };
    ratio(num, den)
}

fn ratio(num: f64, den: f64) -> String {
    let v = if den == 0.0 { 0.0 } else { 100.0 * num / den };
    format!("{v:5.1}%")
}

/// Counts bytes through a reader.
struct Counted<R> {
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
struct CountedW<W> {
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
fn compress(
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
                    msg: format!("{}: {}", name.unwrap_or("stdin"), super::io_text(&e)),
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
struct Header {
    name: Option<String>,
    mtime: u32,
    len: u64,
}

/// Parse a gzip member header from `r`; `Ok(None)` on a bad magic.
fn read_header<R: BufRead>(r: &mut R) -> io::Result<Option<Header>> {
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
fn read_cstr<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
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

type Stored = Option<(Option<String>, u32)>;

/// Decompress every member of `input` to `out`. Returns (bytes in, bytes out, header
/// bytes, the first member's stored name and time).
fn decompress(
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
            _ => err(&super::io_text(e), false),
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

/// `-l` for a file: read its header and trailer.
#[allow(clippy::too_many_arguments)]
fn list_file(
    ctx: &Ctx<'_>,
    o: &Opts,
    iname: &str,
    oname: &str,
    input: &Fd,
    meta: &vfs_core::Metadata,
    st: &mut St,
    list: &mut ListState,
) {
    let size = meta.size;
    let Fd::File { handle, .. } = input else {
        return;
    };
    let h = handle.lock();
    let head_len = usize::try_from(size.min(64 * 1024)).unwrap_or(0);
    let mut head = vec![0u8; head_len];
    let n = h.read_at(&mut head, 0).unwrap_or(0);
    head.truncate(n);
    let mut tail = [0u8; 8];
    if size >= 8 {
        let _ = h.read_at(&mut tail, size - 8);
    }
    drop(h);
    let mut data = head;
    if size as usize > data.len() {
        // Only the header and trailer are needed: splice the trailer on.
        data.extend_from_slice(&tail);
    }
    let _ = iname;
    list_one(ctx, o, &data, size as i64, meta.mtime.sec, oname, st, list);
}

/// Print one `-l` line for compressed `data` (header at the start, trailer at the end).
#[allow(clippy::too_many_arguments)]
fn list_one(
    ctx: &Ctx<'_>,
    o: &Opts,
    data: &[u8],
    size: i64,
    file_mtime: i64,
    oname: &str,
    st: &mut St,
    list: &mut ListState,
) {
    let mut cur = io::Cursor::new(data);
    let h = match read_header(&mut cur) {
        Ok(Some(h)) => h,
        Ok(None) => {
            let _ = ctx.stderr.write_all(b"\n");
            gerr(ctx, &format!("{}: not in gzip format", list_name(oname, o)));
            st.error();
            return;
        }
        Err(_) => {
            let _ = ctx.stderr.write_all(b"\n");
            gerr(
                ctx,
                &format!("{}: unexpected end of file", list_name(oname, o)),
            );
            st.error();
            return;
        }
    };
    let mut text = String::new();
    if list.first {
        list.first = false;
        list.total_in = 0;
        list.total_out = 0;
        if o.verbose {
            text.push_str("method  crc     date  time  ");
        }
        if !o.quiet {
            text.push_str(&format!(
                "{:>19} {:>19}  ratio uncompressed_name\n",
                "compressed", "uncompressed"
            ));
        }
    }
    let mut crc: u32 = 0xffff_ffff;
    let mut out: i64 = -1;
    if data.len() >= 8 {
        let t = &data[data.len() - 8..];
        crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        out = i64::from(u32::from_le_bytes([t[4], t[5], t[6], t[7]]));
    }
    if o.verbose {
        const MON: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let t = if h.mtime != 0 && o.no_name == Some(false) {
            i64::from(h.mtime)
        } else {
            file_mtime
        };
        let (_, m, d, hh, mm, _) = civil(t, zone_offset(ctx));
        let mon = MON.get((m - 1) as usize).copied().unwrap_or("???");
        text.push_str(&format!("defla {crc:08x} {mon}{d:3} {hh:02}:{mm:02} "));
    }
    let header_bytes = (h.len + 8) as i64;
    text.push_str(&format!("{size:>19} {out:>19} "));
    list.header_bytes = header_bytes;
    if list.total_in >= 0 {
        list.total_in += size;
    }
    if out < 0 {
        list.total_out = -1;
    } else if list.total_out >= 0 {
        list.total_out += out;
    }
    text.push_str(&ratio(
        (out - (size - header_bytes)) as f64,
        out.max(0) as f64,
    ));
    let shown = match (&h.name, o.no_name) {
        (Some(n), Some(false)) => {
            let dir = match oname.rfind('/') {
                Some(k) => &oname[..=k],
                None => "",
            };
            format!("{dir}{n}")
        }
        _ => oname.to_string(),
    };
    text.push_str(&format!(" {shown}\n"));
    if let Err(s) = ctx.out(text.as_bytes()) {
        st.code = Ctx::stop_status(s);
    }
}

fn list_name(oname: &str, _o: &Opts) -> String {
    oname.to_string()
}

fn list_totals(ctx: &Ctx<'_>, o: &Opts, list: &ListState) {
    if list.first || list.total_in <= 0 || list.total_out <= 0 {
        return;
    }
    let mut text = String::new();
    if o.verbose {
        text.push_str("                            ");
    }
    text.push_str(&format!("{:>19} {:>19} ", list.total_in, list.total_out));
    text.push_str(&ratio(
        (list.total_out - (list.total_in - list.header_bytes)) as f64,
        list.total_out as f64,
    ));
    text.push_str(" (totals)\n");
    let _ = ctx.out(text.as_bytes());
}

/// Print `gzip: MSG` (gunzip and zcat are gzip to GNU too).
fn gerr(ctx: &Ctx<'_>, msg: &str) {
    let _ = ctx.stderr.write_all(format!("gzip: {msg}\n").as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(strip_suffix("a.gz", ".gz").as_deref(), Some("a"));
        assert_eq!(strip_suffix("d/x.tgz", ".gz").as_deref(), Some("d/x.tar"));
        assert_eq!(strip_suffix(".gz", ".gz"), None);
        assert_eq!(strip_suffix("a", ".gz"), None);
        assert_eq!(ratio(-2.0, 6.0), "-33.3%");
        assert_eq!(ratio(0.0, 0.0), "  0.0%");
    }

    #[test]
    fn header_roundtrip() {
        let mut v = Vec::new();
        {
            let mut e = GzBuilder::new()
                .filename("abc")
                .mtime(7)
                .write(&mut v, Compression::default());
            let _ = e.write_all(b"hello\n");
            let _ = e.finish();
        }
        let mut c = io::Cursor::new(&v[..]);
        let h = read_header(&mut c).ok().flatten();
        assert!(h.is_some_and(|h| h.name.as_deref() == Some("abc") && h.mtime == 7 && h.len == 14));
    }
}

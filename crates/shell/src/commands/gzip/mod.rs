//! `gzip`, `gunzip` and `zcat` (GNU gzip 1.12): compress and decompress files on the
//! VFS with flate2's pure-Rust deflate. The gzip member format (header with name and
//! time, trailer with CRC and length) is read and written here so messages match GNU's
//! (`crc error`, `length error`, `trailing garbage ignored`). Decompressed output is
//! capped at [`MAX_INPUT`] bytes per file so a decompression bomb stops with an error.

use std::io;

use super::{open_fd, print_text};

mod codec;
mod list;

use crate::commands::util::{Arg, MAX_INPUT, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;
use codec::{compress, decompress};
use list::{ListState, list_file, list_one, list_totals};

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

/// Print `gzip: MSG` (gunzip and zcat are gzip to GNU too).
fn gerr(ctx: &Ctx<'_>, msg: &str) {
    let _ = ctx.stderr.write_all(format!("gzip: {msg}\n").as_bytes());
}

#[cfg(test)]
mod tests {
    use super::codec::read_header;
    use super::*;
    use flate2::{Compression, GzBuilder};
    use std::io::Write;

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

//! `tail`: print the last part of files (GNU coreutils 9.1): `-n`/`-c` with `+NUM`
//! (from NUM on), `-q`, `-v`, `-z`, the obsolete `-NUM`/`+NUM[bcl]` form and headers.
//! Following (`-f`, `-F`) files is not supported in the sandbox; on standard input (a
//! pipe) `-f` is ignored, as GNU tail does.

use super::{Out, Reader, open, parse_size, quote, quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `tail [OPTION]... [FILE]...`
pub struct Tail;

#[derive(Clone, Copy)]
struct Opts {
    bytes: bool,
    count: u64,
    from_start: bool,
    delim: u8,
}

fn count_arg(ctx: &Ctx<'_>, v: &str, bytes: bool) -> Result<(u64, bool), i32> {
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (from_start, body) = match t.as_bytes().first() {
        Some(b'+') => (true, &t[1..]),
        Some(b'-') => (false, &t[1..]),
        _ => (false, t),
    };
    let what = if bytes { "bytes" } else { "lines" };
    match parse_size(body) {
        Ok(n) if !body.starts_with(['+', '-']) => Ok((n, from_start)),
        Err(true) => {
            ctx.err(&format!(
                "invalid number of {what}: {}: Value too large for defined data type",
                quote(v)
            ));
            Err(1)
        }
        _ => {
            ctx.err(&format!("invalid number of {what}: {}", quote(v)));
            Err(1)
        }
    }
}

/// GNU's obsolete `tail [+-]NUM[bcl][f] [FILE]` form.
fn obsolete(args: &[String], o: &mut Opts) -> Option<Result<bool, String>> {
    let n = args.len();
    let ok = n == 1
        || (n == 2 && !(args[1].starts_with('-') && args[1].len() > 1))
        || ((2..=3).contains(&n) && args[1] == "--");
    if !ok {
        return None;
    }
    let a = args[0].as_bytes();
    let (from_start, p) = match a.first() {
        Some(b'+') => (true, &a[1..]),
        Some(b'-') => {
            let skip = usize::from(a.get(1) == Some(&b'c'));
            if a.len() <= 1 + skip {
                return None;
            }
            (false, &a[1..])
        }
        _ => return None,
    };
    let nd = p.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = nd;
    let mut default = 10u64;
    let mut bytes = false;
    match p.get(i) {
        Some(b'b') => {
            default *= 512;
            bytes = true;
            i += 1;
        }
        Some(b'c') => {
            bytes = true;
            i += 1;
        }
        Some(b'l') => i += 1,
        _ => {}
    }
    let mut follow = false;
    if p.get(i) == Some(&b'f') {
        follow = true;
        i += 1;
    }
    if i != p.len() {
        return None;
    }
    let count = if nd == 0 {
        default
    } else {
        let s = std::str::from_utf8(&p[..nd]).unwrap_or("0");
        match s.parse::<u64>() {
            Ok(v) if p.get(nd) == Some(&b'b') => v.saturating_mul(512),
            Ok(v) => v,
            Err(_) => return Some(Err(s.to_string())),
        }
    };
    *o = Opts {
        bytes,
        count,
        from_start,
        delim: b'\n',
    };
    Some(Ok(follow))
}

impl Command for Tail {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut o = Opts {
            bytes: false,
            count: 10,
            from_start: false,
            delim: b'\n',
        };
        let mut verbose: Option<bool> = None;
        let mut rest: Vec<String> = ctx.args[1..].to_vec();
        if !rest.is_empty() {
            match obsolete(&rest, &mut o) {
                Some(Ok(follow)) => {
                    // `tail -5f` on standard input (a pipe): following is ignored.
                    if follow && rest.len() > 1 && rest[1..].iter().any(|f| f != "-") {
                        ctx.err("-f: not supported");
                        return 1;
                    }
                    rest.remove(0);
                }
                Some(Err(num)) => {
                    let what = if o.bytes { "bytes" } else { "lines" };
                    ctx.err(&format!(
                        "invalid number of {what}: {}: Value too large for defined data type",
                        quote(&num)
                    ));
                    return 1;
                }
                None => {}
            }
        }
        // `--follow[=name|descriptor]`: the parser has no optional values.
        let mut follow_name = false;
        for a in rest.iter_mut() {
            if a == "--" {
                break;
            }
            if let Some(v) = a.strip_prefix("--follow=") {
                follow_name = v == "name";
                *a = "--follow".into();
            }
        }
        let parsed = match parse_args(
            &rest,
            "ncs",
            "qvzfF0123456789",
            &[
                "bytes=",
                "lines=",
                "quiet",
                "silent",
                "verbose",
                "zero-terminated",
                "follow",
                "retry",
                "pid=",
                "sleep-interval=",
                "max-unchanged-stats=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut files = Vec::new();
        let mut follow = false;
        let mut by_name = false;
        for a in &parsed {
            let (bytes, v) = match a {
                Arg::Short('n', Some(v)) => (false, v),
                Arg::Short('c', Some(v)) => (true, v),
                Arg::Long(l, Some(v)) if l == "lines" => (false, v),
                Arg::Long(l, Some(v)) if l == "bytes" => (true, v),
                Arg::Short(c, None) if c.is_ascii_digit() => {
                    ctx.err(&format!("option used in invalid context -- {c}"));
                    return 1;
                }
                Arg::Short('q', _) => {
                    verbose = Some(false);
                    continue;
                }
                Arg::Short('v', _) => {
                    verbose = Some(true);
                    continue;
                }
                Arg::Short('z', _) => {
                    o.delim = 0;
                    continue;
                }
                Arg::Short(c @ ('f' | 'F'), _) => {
                    follow = true;
                    by_name |= *c == 'F';
                    continue;
                }
                Arg::Long(l, _) => {
                    match l.as_str() {
                        "quiet" | "silent" => verbose = Some(false),
                        "verbose" => verbose = Some(true),
                        "zero-terminated" => o.delim = 0,
                        "follow" => {
                            follow = true;
                            by_name |= follow_name;
                        }
                        "help" => return super::print_text(ctx, HELP),
                        "version" => {
                            return version(
                                ctx,
                                "tail",
                                "Written by Paul Rubin, David MacKenzie, Ian Lance Taylor,\nand Jim Meyering.",
                            );
                        }
                        _ => {}
                    }
                    continue;
                }
                Arg::Operand(f) => {
                    files.push(f.clone());
                    continue;
                }
                Arg::Short(..) => continue,
            };
            match count_arg(ctx, v, bytes) {
                Ok((n, s)) => {
                    o.bytes = bytes;
                    o.count = n;
                    o.from_start = s;
                }
                Err(s) => return s,
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        // Following standard input (a pipe here) is ignored, as GNU tail does for pipes;
        // following by name cannot work on it.
        let only_stdin = files.iter().all(|f| f == "-");
        if follow && only_stdin && by_name {
            ctx.err("cannot follow '-' by name");
            return 1;
        }
        if follow && !only_stdin {
            ctx.err("-f: not supported");
            return 1;
        }
        let headers = verbose.unwrap_or(files.len() > 1);
        let mut out = Out::new(ctx);
        let mut first = true;
        let mut status = 0;
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!(
                        "cannot open {} for reading: {m}",
                        quote_shell(f, true)
                    ));
                    status = 1;
                    continue;
                }
            };
            if headers {
                let name = if f == "-" { "standard input" } else { f };
                let h = format!("{}==> {name} <==\n", if first { "" } else { "\n" });
                if let Err(s) = out.put(h.as_bytes()) {
                    return stopped(s);
                }
            }
            first = false;
            let mut r = Reader::new(fd);
            match copy(&mut r, &mut out, o) {
                Ok(Ok(())) => {}
                Ok(Err(stop)) => return stopped(stop),
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    ctx.err(&format!(
                        "error reading {}: {}",
                        quote_shell(f, true),
                        super::io_err(&e)
                    ));
                    status = 1;
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// Where the last `n` records of `buf` start, if `buf` holds that many.
fn last_records(buf: &[u8], n: u64, delim: u8) -> Option<usize> {
    if n == 0 {
        return Some(buf.len());
    }
    let mut end = buf.len();
    if buf.last() == Some(&delim) {
        end -= 1;
    }
    let mut seen = 0u64;
    for i in memchr::memrchr_iter(delim, &buf[..end]) {
        seen += 1;
        if seen == n {
            return Some(i + 1);
        }
    }
    None
}

type Res = std::io::Result<Result<(), Stop>>;

fn copy(r: &mut Reader, out: &mut Out<'_, '_>, o: Opts) -> Res {
    macro_rules! put {
        ($d:expr) => {
            if let Err(s) = out.put($d) {
                return Ok(Err(s));
            }
        };
    }
    if o.from_start {
        let mut skip = o.count.saturating_sub(1);
        if o.bytes {
            while skip > 0 {
                let c = r.chunk(skip.min(64 * 1024) as usize)?;
                if c.is_empty() {
                    return Ok(Ok(()));
                }
                skip -= c.len() as u64;
            }
        } else {
            while skip > 0 {
                if r.record(o.delim)?.is_none() {
                    return Ok(Ok(()));
                }
                skip -= 1;
            }
        }
        loop {
            let c = r.chunk(64 * 1024)?;
            if c.is_empty() {
                break;
            }
            put!(&c);
        }
        return Ok(Ok(()));
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut trim_at = 1 << 20;
    loop {
        let c = r.chunk(64 * 1024)?;
        if c.is_empty() {
            break;
        }
        buf.extend_from_slice(&c);
        if buf.len() >= trim_at {
            let cut = if o.bytes {
                let keep = usize::try_from(o.count).unwrap_or(usize::MAX);
                Some(buf.len().saturating_sub(keep))
            } else {
                last_records(&buf, o.count, o.delim)
            };
            if let Some(cut) = cut {
                buf.drain(..cut);
            }
            trim_at = (buf.len() * 2).max(1 << 20);
        }
        if buf.len() > crate::commands::util::MAX_INPUT {
            return Err(std::io::Error::other("input too large"));
        }
    }
    let start = if o.bytes {
        let keep = usize::try_from(o.count).unwrap_or(usize::MAX);
        buf.len().saturating_sub(keep)
    } else {
        last_records(&buf, o.count, o.delim).unwrap_or(0)
    };
    put!(&buf[start..]);
    Ok(Ok(()))
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: tail [OPTION]... [FILE]...
Print the last 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to
                             output starting with byte NUM of each file
  -f, --follow[={name|descriptor}]
                           output appended data as the file grows;
                             an absent option argument means 'descriptor'
  -F                       same as --follow=name --retry
  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;
                             or use -n +NUM to output starting with line NUM
      --max-unchanged-stats=N
                           with --follow=name, reopen a FILE which has not
                             changed size after N (default 5) iterations
                             to see if it has been unlinked or renamed
                             (this is the usual case of rotated log files);
                             with inotify, this option is rarely useful
      --pid=PID            with -f, terminate after process ID, PID dies
  -q, --quiet, --silent    never output headers giving file names
      --retry              keep trying to open a file if it is inaccessible
  -s, --sleep-interval=N   with -f, sleep for approximately N seconds
                             (default 1.0) between iterations;
                             with inotify and --pid=P, check process P at
                             least once every N seconds
  -v, --verbose            always output headers giving file names
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

NUM may have a multiplier suffix:
b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

With --follow (-f), tail defaults to following the file descriptor, which
means that even if a tail'ed file is renamed, tail will continue to track
its end.  This default behavior is not desirable when you really want to
track the actual name of the file, not the file descriptor (e.g., log
rotation).  Use --follow=name in that case.  That causes tail to track the
named file in a way that accommodates renaming, removal and creation.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tail>
or available locally via: info '(coreutils) tail invocation'
"##;

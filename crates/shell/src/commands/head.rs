//! `head`: print the first part of files (GNU coreutils 9.1): `-n`/`-c` with `-NUM`
//! (all but the last NUM), `-q`, `-v`, `-z`, the obsolete `-NUM[bkmclqvz]` first
//! argument, and headers for several files.

use std::collections::VecDeque;

use super::{Out, Reader, open, parse_size, quote, quote_shell, stopped, version};
use crate::commands::util::{Arg, UsageError, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `head [OPTION]... [FILE]...`
pub struct Head;

#[derive(Clone, Copy)]
struct Opts {
    bytes: bool,
    count: u64,
    elide: bool,
    delim: u8,
}

/// Parse a `-n`/`-c` value: `(count, elide_from_end)`.
fn count_arg(ctx: &Ctx<'_>, v: &str, bytes: bool) -> Result<(u64, bool), i32> {
    let (elide, body) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v),
    };
    let what = if bytes { "bytes" } else { "lines" };
    match parse_size(body) {
        Ok(n) => Ok((n, elide)),
        Err(true) => {
            ctx.err(&format!(
                "invalid number of {what}: {}: Value too large for defined data type",
                quote(v)
            ));
            Err(1)
        }
        Err(false) => {
            ctx.err(&format!("invalid number of {what}: {}", quote(v)));
            Err(1)
        }
    }
}

impl Command for Head {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut o = Opts {
            bytes: false,
            count: 10,
            elide: false,
            delim: b'\n',
        };
        let mut verbose: Option<bool> = None;
        let mut rest: Vec<String> = ctx.args[1..].to_vec();
        // Obsolete `-NUM[bkmclqvz]` as the first argument.
        if let Some(first) = rest.first()
            && first.len() > 1
            && first.starts_with('-')
            && first.as_bytes()[1].is_ascii_digit()
        {
            let body = &first[1..];
            let nd = body.bytes().take_while(u8::is_ascii_digit).count();
            let (num, suf) = body.split_at(nd);
            let mut mult = 1u64;
            for c in suf.chars() {
                match c {
                    'b' => {
                        o.bytes = true;
                        mult = 512;
                    }
                    'k' => {
                        o.bytes = true;
                        mult = 1024;
                    }
                    'm' => {
                        o.bytes = true;
                        mult = 1024 * 1024;
                    }
                    'c' => o.bytes = true,
                    'l' => o.bytes = false,
                    'q' => verbose = Some(false),
                    'v' => verbose = Some(true),
                    'z' => o.delim = 0,
                    _ => {
                        return ctx
                            .usage(&UsageError(format!("invalid trailing option -- {c}")), 1);
                    }
                }
            }
            match num.parse::<u64>().ok().and_then(|n| n.checked_mul(mult)) {
                Some(n) => o.count = n,
                None => {
                    let what = if o.bytes { "bytes" } else { "lines" };
                    ctx.err(&format!(
                        "invalid number of {what}: {}: Value too large for defined data type",
                        quote(num)
                    ));
                    return 1;
                }
            }
            rest.remove(0);
        }
        let parsed = match parse_args(
            &rest,
            "nc",
            "qvz",
            &[
                "bytes=",
                "lines=",
                "quiet",
                "silent",
                "verbose",
                "zero-terminated",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut files = Vec::new();
        for a in parsed {
            match &a {
                Arg::Short('n', Some(v)) => match count_arg(ctx, v, false) {
                    Ok((n, e)) => {
                        o.bytes = false;
                        o.count = n;
                        o.elide = e;
                    }
                    Err(s) => return s,
                },
                Arg::Short('c', Some(v)) => match count_arg(ctx, v, true) {
                    Ok((n, e)) => {
                        o.bytes = true;
                        o.count = n;
                        o.elide = e;
                    }
                    Err(s) => return s,
                },
                Arg::Long(l, Some(v)) if l == "lines" => match count_arg(ctx, v, false) {
                    Ok((n, e)) => {
                        o.bytes = false;
                        o.count = n;
                        o.elide = e;
                    }
                    Err(s) => return s,
                },
                Arg::Long(l, Some(v)) if l == "bytes" => match count_arg(ctx, v, true) {
                    Ok((n, e)) => {
                        o.bytes = true;
                        o.count = n;
                        o.elide = e;
                    }
                    Err(s) => return s,
                },
                Arg::Short('q', _) => verbose = Some(false),
                Arg::Short('v', _) => verbose = Some(true),
                Arg::Short('z', _) => o.delim = 0,
                Arg::Long(l, _) => match l.as_str() {
                    "quiet" | "silent" => verbose = Some(false),
                    "verbose" => verbose = Some(true),
                    "zero-terminated" => o.delim = 0,
                    "help" => return super::print_text(ctx, HELP),
                    "version" => {
                        return version(
                            ctx,
                            "head",
                            "Written by David MacKenzie and Jim Meyering.",
                        );
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f.clone()),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            files.push("-".into());
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
            r.give_back();
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
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
    if o.bytes && !o.elide {
        let mut left = o.count;
        while left > 0 {
            let c = r.chunk(left.min(64 * 1024) as usize)?;
            if c.is_empty() {
                break;
            }
            left -= c.len() as u64;
            put!(&c);
        }
    } else if o.bytes {
        // All but the last `count` bytes.
        let keep = usize::try_from(o.count).unwrap_or(usize::MAX);
        let mut held: VecDeque<u8> = VecDeque::new();
        loop {
            let c = r.chunk(64 * 1024)?;
            if c.is_empty() {
                break;
            }
            held.extend(c);
            if held.len() > keep {
                let n = held.len() - keep;
                let v: Vec<u8> = held.drain(..n).collect();
                put!(&v);
            }
        }
    } else if !o.elide {
        return r.copy_records(o.count, o.delim, out);
    } else {
        let keep = usize::try_from(o.count).unwrap_or(usize::MAX);
        let mut held: VecDeque<Vec<u8>> = VecDeque::new();
        while let Some(l) = r.record(o.delim)? {
            held.push_back(l);
            if held.len() > keep
                && let Some(x) = held.pop_front()
            {
                put!(&x);
            }
        }
    }
    Ok(Ok(()))
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: head [OPTION]... [FILE]...
Print the first 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --bytes=[-]NUM       print the first NUM bytes of each file;
                             with the leading '-', print all but the last
                             NUM bytes of each file
  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;
                             with the leading '-', print all but the last
                             NUM lines of each file
  -q, --quiet, --silent    never print headers giving file names
  -v, --verbose            always print headers giving file names
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

NUM may have a multiplier suffix:
b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/head>
or available locally via: info '(coreutils) head invocation'
"##;

//! `cmp`: compare two files byte by byte, as GNU diffutils 3.8 (`-b -l -s -i -n`,
//! `SKIP1 SKIP2` operands, its `differ: char N, line M` and `EOF on ...` messages; exit
//! status 0 same, 1 different, 2 trouble).

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{Out, print_text, quote, read_operand, stopped};

/// `cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]`
pub struct Cmp;

fn try_help(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.err(msg);
    ctx.err("Try 'cmp --help' for more information.");
    2
}

/// A skip value: a number with an optional suffix (`kB`, `K`, `MiB`, ...).
fn parse_skip(s: &str) -> Option<u64> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let v: u64 = s[..n].parse().ok()?;
    let mult: u64 = match &s[n..] {
        "" => 1,
        "kB" | "KB" => 1000,
        "K" | "k" | "KiB" => 1024,
        "MB" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        _ => return None,
    };
    v.checked_mul(mult)
}

/// `cat -v` style rendering of a byte, for `cmp -b`.
fn visible(c: u8) -> String {
    let mut s = String::new();
    let mut c = c;
    if c >= 0x80 {
        s.push_str("M-");
        c -= 0x80;
    }
    if c < 0x20 {
        s.push('^');
        s.push((c + 0x40) as char);
    } else if c == 0x7f {
        s.push_str("^?");
    } else {
        s.push(c as char);
    }
    s
}

impl Command for Cmp {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "in",
            "blsv",
            &[
                "print-bytes",
                "ignore-initial=",
                "verbose",
                "bytes=",
                "silent",
                "quiet",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return try_help(ctx, &e.0),
        };
        let mut print_bytes = false;
        let mut verbose = false;
        let mut silent = false;
        let mut limit: Option<u64> = None;
        let mut skips: [Option<u64>; 2] = [None, None];
        let mut ops: Vec<String> = Vec::new();
        for a in parsed {
            match a {
                Arg::Operand(o) => ops.push(o),
                Arg::Short('b', _) => print_bytes = true,
                Arg::Short('l', _) => verbose = true,
                Arg::Short('s', _) => silent = true,
                Arg::Short('v', _) => {
                    return print_text(
                        ctx,
                        "cmp (GNU diffutils) 3.8\nCopyright (C) 2021 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n\
Written by Torbjorn Granlund and David MacKenzie.\n",
                    );
                }
                Arg::Long(l, None) => match l.as_str() {
                    "print-bytes" => print_bytes = true,
                    "verbose" => verbose = true,
                    "silent" | "quiet" => silent = true,
                    "help" => return print_text(ctx, HELP),
                    _ => {
                        return print_text(
                            ctx,
                            "cmp (GNU diffutils) 3.8\nCopyright (C) 2021 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n\
Written by Torbjorn Granlund and David MacKenzie.\n",
                        );
                    }
                },
                _ => {}
            }
        }
        // Second pass for the valued options, in order.
        if let Ok(p) = parse_args(
            &ctx.args[1..],
            "in",
            "blsv",
            &[
                "print-bytes",
                "ignore-initial=",
                "verbose",
                "bytes=",
                "silent",
                "quiet",
                "help",
                "version",
            ],
        ) {
            for a in p {
                match a {
                    Arg::Short('n', Some(v)) => match parse_skip(&v) {
                        Some(n) => limit = Some(limit.map_or(n, |l: u64| l.min(n))),
                        None => {
                            return try_help(ctx, &format!("invalid --bytes value {}", quote(&v)));
                        }
                    },
                    Arg::Long(l, Some(v)) if l == "bytes" => match parse_skip(&v) {
                        Some(n) => limit = Some(limit.map_or(n, |l: u64| l.min(n))),
                        None => {
                            return try_help(ctx, &format!("invalid --bytes value {}", quote(&v)));
                        }
                    },
                    Arg::Short('i', Some(v)) | Arg::Long(_, Some(v)) => {
                        let (x, y) = match v.split_once(':') {
                            Some((x, y)) => (x, y),
                            None => (v.as_str(), v.as_str()),
                        };
                        match (parse_skip(x), parse_skip(y)) {
                            (Some(a), Some(b)) => skips = [Some(a), Some(b)],
                            _ => {
                                return try_help(
                                    ctx,
                                    &format!("invalid --ignore-initial value {}", quote(&v)),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        if ops.is_empty() {
            return try_help(ctx, &format!("missing operand after {}", quote("cmp")));
        }
        for (slot, s) in skips.iter_mut().zip(ops.iter().skip(2)) {
            {
                match parse_skip(s) {
                    Some(n) => *slot = Some(n),
                    None => {
                        return try_help(
                            ctx,
                            &format!("invalid --ignore-initial value {}", quote(s)),
                        );
                    }
                }
            }
        }
        if ops.len() > 4 {
            return try_help(ctx, &format!("extra operand {}", quote(&ops[4])));
        }
        if verbose && silent {
            return try_help(ctx, "options -l and -s are incompatible");
        }
        let names = [
            ops[0].clone(),
            ops.get(1).cloned().unwrap_or_else(|| "-".into()),
        ];
        let mut data: Vec<Vec<u8>> = Vec::new();
        for n in &names {
            match read_operand(ctx, n) {
                Ok(d) => data.push(d),
                Err(m) => {
                    ctx.err(&format!("{n}: {m}"));
                    return 2;
                }
            }
        }
        let a = &data[0][(skips[0].unwrap_or(0) as usize).min(data[0].len())..];
        let b = &data[1][(skips[1].unwrap_or(0) as usize).min(data[1].len())..];
        let max = limit.map_or(usize::MAX, |l| l.min(usize::MAX as u64) as usize);
        let common = a.len().min(b.len()).min(max);
        let mut out = Out::new(ctx);
        let mut differ = false;
        let width = (a.len().max(b.len()).min(max)).to_string().len();
        for i in 0..common {
            if a[i] == b[i] {
                continue;
            }
            differ = true;
            if silent {
                break;
            }
            if !verbose {
                let line = a[..i].iter().filter(|&&c| c == b'\n').count() + 1;
                let text = if print_bytes {
                    format!(
                        "{} {} differ: byte {}, line {} is {:3o} {} {:3o} {}\n",
                        names[0],
                        names[1],
                        i + 1,
                        line,
                        a[i],
                        visible(a[i]),
                        b[i],
                        visible(b[i])
                    )
                } else {
                    format!(
                        "{} {} differ: char {}, line {}\n",
                        names[0],
                        names[1],
                        i + 1,
                        line
                    )
                };
                if let Err(s) = out.put(text.as_bytes()) {
                    return stopped(s);
                }
                break;
            }
            let text = if print_bytes {
                format!(
                    "{:>width$} {:3o} {:<4} {:3o} {}\n",
                    i + 1,
                    a[i],
                    visible(a[i]),
                    b[i],
                    visible(b[i])
                )
            } else {
                format!("{:>width$} {:3o} {:3o}\n", i + 1, a[i], b[i])
            };
            if let Err(s) = out.put(text.as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        if differ && !verbose {
            return 1;
        }
        if a.len().min(max) != b.len().min(max) {
            let (short, sname) = if a.len() < b.len() {
                (a, &names[0])
            } else {
                (b, &names[1])
            };
            if !silent {
                if short.is_empty() {
                    ctx.err(&format!("EOF on {sname} which is empty"));
                } else if verbose {
                    ctx.err(&format!("EOF on {sname} after byte {}", short.len()));
                } else {
                    let nl = short.iter().filter(|&&c| c == b'\n').count();
                    if short.last() == Some(&b'\n') {
                        ctx.err(&format!(
                            "EOF on {sname} after byte {}, line {nl}",
                            short.len()
                        ));
                    } else {
                        ctx.err(&format!(
                            "EOF on {sname} after byte {}, in line {}",
                            short.len(),
                            nl + 1
                        ));
                    }
                }
            }
            return 1;
        }
        i32::from(differ)
    }
}

const HELP: &str = r#"Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]
Compare two files byte by byte.

The optional SKIP1 and SKIP2 specify the number of bytes to skip
at the beginning of each file (zero by default).

Mandatory arguments to long options are mandatory for short options too.
  -b, --print-bytes          print differing bytes
  -i, --ignore-initial=SKIP         skip first SKIP bytes of both inputs
  -i, --ignore-initial=SKIP1:SKIP2  skip first SKIP1 bytes of FILE1 and
                                      first SKIP2 bytes of FILE2
  -l, --verbose              output byte numbers and differing byte values
  -n, --bytes=LIMIT          compare at most LIMIT bytes
  -s, --quiet, --silent      suppress all normal output
      --help                 display this help and exit
  -v, --version              output version information and exit

SKIP values may be followed by the following multiplicative suffixes:
kB 1000, K 1024, MB 1,000,000, M 1,048,576,
GB 1,000,000,000, G 1,073,741,824, and so on for T, P, E, Z, Y.

If a FILE is '-' or missing, read standard input.
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.

Report bugs to: bug-diffutils@gnu.org
GNU diffutils home page: <https://www.gnu.org/software/diffutils/>
General help using GNU software: <https://www.gnu.org/gethelp/>
"#;

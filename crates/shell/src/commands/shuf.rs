//! `shuf`: write a random permutation of the input lines, of `-e` arguments or of an
//! `-i LO-HI` range (`-n -r -z -o`). The generator is seeded from `AGENTSH_SEED` in the
//! environment when set (the same seed gives the same order), else from the clock.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, quote, read_operand, try_help, version};
use crate::io::Fd;

/// `shuf [OPTION]... [FILE]`
pub struct Shuf;

/// A small xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn seed(ctx: &Ctx<'_>) -> u64 {
    if let Some(s) = ctx.env.get("AGENTSH_SEED") {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        return h | 1;
    }
    let mut b = [0u8; 8];
    crate::io::fill_random(&mut b);
    u64::from_le_bytes(b) | 1
}

impl Command for Shuf {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "inoz",
            "erz",
            &[
                "echo",
                "input-range=",
                "head-count=",
                "output=",
                "random-source=",
                "repeat",
                "zero-terminated",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut echo = false;
        let mut range: Option<(u64, u64)> = None;
        let mut count: Option<u64> = None;
        let mut output: Option<String> = None;
        let mut repeat = false;
        let mut zero = false;
        let mut ops = Vec::new();
        for a in parsed {
            let (name, val) = match a {
                Arg::Operand(o) => {
                    ops.push(o);
                    continue;
                }
                Arg::Short(c, v) => (
                    match c {
                        'e' => "echo",
                        'i' => "input-range",
                        'n' => "head-count",
                        'o' => "output",
                        'r' => "repeat",
                        _ => "zero-terminated",
                    }
                    .to_string(),
                    v,
                ),
                Arg::Long(l, v) => (l, v),
            };
            let v = val.unwrap_or_default();
            match name.as_str() {
                "echo" => echo = true,
                "repeat" => repeat = true,
                "zero-terminated" => zero = true,
                "output" => output = Some(v),
                "random-source" => {}
                "head-count" => match v.parse::<u64>() {
                    Ok(n) => count = Some(count.map_or(n, |c| c.min(n))),
                    Err(_) => {
                        ctx.err(&format!("invalid line count: {}", quote(&v)));
                        return 1;
                    }
                },
                "input-range" => {
                    if range.is_some() {
                        ctx.err("multiple -i options specified");
                        return 1;
                    }
                    let bad = |ctx: &Ctx<'_>, what: &str| {
                        ctx.err(&format!("invalid input range: {}", quote(what)));
                        1
                    };
                    let Some((a, b)) = v.split_once('-') else {
                        return bad(ctx, &v);
                    };
                    // strtoumax skips leading white space; GNU quotes the half that failed.
                    let ws: &[char] = &[' ', '\t', '\n', '\x0b', '\x0c', '\r'];
                    let Ok(lo) = a.trim_start_matches(ws).parse::<u64>() else {
                        return bad(ctx, a);
                    };
                    let Ok(hi) = b.trim_start_matches(ws).parse::<u64>() else {
                        return bad(ctx, b);
                    };
                    if lo > hi.saturating_add(1) {
                        return bad(ctx, &v);
                    }
                    range = Some((lo, hi));
                }
                "help" => return print_text(ctx, HELP),
                _ => return version(ctx, "shuf", "Written by Paul Eggert."),
            }
        }
        if echo && range.is_some() {
            return try_help(ctx, "cannot combine -e and -i options", 1);
        }
        let delim = if zero { b'\0' } else { b'\n' };
        let lines: Vec<Vec<u8>> = if echo {
            ops.iter().map(|o| o.as_bytes().to_vec()).collect()
        } else if let Some((lo, hi)) = range {
            if let Some(o) = ops.first() {
                return try_help(ctx, &format!("extra operand {}", quote(o)), 1);
            }
            if hi.saturating_sub(lo) > 10_000_000 && !repeat && count.is_none() {
                ctx.err("memory exhausted");
                return 1;
            }
            if repeat || count.is_some_and(|c| c < 1_000_000) {
                // Generated lazily below.
                Vec::new()
            } else {
                (lo..=hi).map(|n| n.to_string().into_bytes()).collect()
            }
        } else {
            if ops.len() > 1 {
                return try_help(ctx, &format!("extra operand {}", quote(&ops[1])), 1);
            }
            let f = ops.first().cloned().unwrap_or_else(|| "-".into());
            let data = match read_operand(ctx, &f) {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    return 1;
                }
            };
            let mut v: Vec<Vec<u8>> = data.split(|&c| c == delim).map(<[u8]>::to_vec).collect();
            if data.last() == Some(&delim) || data.is_empty() {
                v.pop();
            }
            v
        };
        let mut rng = Rng(seed(ctx));
        let mut out: Vec<u8> = Vec::new();
        let emit = |out: &mut Vec<u8>, l: &[u8]| {
            out.extend_from_slice(l);
            out.push(delim);
        };
        if let Some((lo, hi)) = range.filter(|_| lines.is_empty()) {
            let n = if hi < lo {
                0
            } else {
                (hi - lo).saturating_add(1)
            };
            if n == 0 {
                // empty range
            } else if repeat {
                let c = count.unwrap_or(u64::MAX);
                let mut k = 0;
                while k < c {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    emit(&mut out, (lo + rng.below(n)).to_string().as_bytes());
                    k += 1;
                    if out.len() > 1 << 16 {
                        if let Err(s) = ctx.out(&out) {
                            return Ctx::stop_status(s);
                        }
                        out.clear();
                    }
                }
            } else {
                // Partial Fisher-Yates over a sparse map.
                let c = count.unwrap_or(n).min(n);
                let mut swapped: std::collections::HashMap<u64, u64> = Default::default();
                for k in 0..c {
                    let j = k + rng.below(n - k);
                    let vj = *swapped.get(&j).unwrap_or(&j);
                    let vk = *swapped.get(&k).unwrap_or(&k);
                    swapped.insert(j, vk);
                    emit(&mut out, (lo + vj).to_string().as_bytes());
                }
            }
        } else if repeat {
            if lines.is_empty() {
                if count.is_some_and(|c| c > 0) {
                    ctx.err("no lines to repeat");
                    return 1;
                }
            } else {
                let c = count.unwrap_or(u64::MAX);
                let mut k = 0;
                while k < c {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    let l = &lines[rng.below(lines.len() as u64) as usize];
                    emit(&mut out, l);
                    k += 1;
                    if out.len() > 1 << 16 {
                        if let Err(s) = ctx.out(&out) {
                            return Ctx::stop_status(s);
                        }
                        out.clear();
                    }
                }
            }
        } else {
            let mut idx: Vec<usize> = (0..lines.len()).collect();
            let c = count.map_or(idx.len(), |c| (c.min(idx.len() as u64)) as usize);
            for k in 0..c {
                let j = k + rng.below((idx.len() - k) as u64) as usize;
                idx.swap(k, j);
                emit(&mut out, &lines[idx[k]]);
            }
        }
        if let Some(path) = output {
            let fd = match ctx
                .vfs
                .open(&path, &vfs_core::OpenOptions::create_truncate())
            {
                Ok(h) => Fd::File {
                    handle: std::sync::Arc::new(parking_lot::Mutex::new(h)),
                    path: path.as_str().into(),
                },
                Err(e) => {
                    ctx.err(&format!("{}: {}", quote(&path), e.errno().message()));
                    return 1;
                }
            };
            if let Err(e) = fd.write_all(&out) {
                ctx.err(&format!("{path}: {}", crate::io::errno_message(&e)));
                return 1;
            }
            return 0;
        }
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(s) => Ctx::stop_status(s),
        }
    }
}

const HELP: &str = r#"Usage: shuf [OPTION]... [FILE]
  or:  shuf -e [OPTION]... [ARG]...
  or:  shuf -i LO-HI [OPTION]...
Write a random permutation of the input lines to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -e, --echo                treat each ARG as an input line
  -i, --input-range=LO-HI   treat each number LO through HI as an input line
  -n, --head-count=COUNT    output at most COUNT lines
  -o, --output=FILE         write result to FILE instead of standard output
      --random-source=FILE  get random bytes from FILE
  -r, --repeat              output lines can be repeated
  -z, --zero-terminated     line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/shuf>
or available locally via: info '(coreutils) shuf invocation'
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run_in;
    use super::*;

    #[test]
    fn seeded_is_repeatable() {
        let vfs = vfs_core::Vfs::new();
        let mut env = std::collections::BTreeMap::new();
        env.insert("AGENTSH_SEED".to_string(), "42".to_string());
        let a = run_in(&vfs, &Shuf, &["shuf", "-i", "1-20"], b"", &env);
        let b = run_in(&vfs, &Shuf, &["shuf", "-i", "1-20"], b"", &env);
        assert_eq!(a, b);
        let mut nums: Vec<u32> = a.0.lines().map(|l| l.parse().unwrap()).collect();
        nums.sort_unstable();
        assert_eq!(nums, (1..=20).collect::<Vec<_>>());
    }
}

//! `truncate`: shrink or extend files to a size (`-s SIZE`, `-r RFILE`, `-c`, `-o`).

use super::common::{quote, quoteaf};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `truncate OPTION... FILE...`
pub struct Truncate;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    None,
    Adjust,
    AtMost,
    AtLeast,
    RoundDown,
    RoundUp,
}

impl Command for Truncate {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse_args(
            &ctx.args[1..],
            "rs",
            "co",
            &[
                "no-create",
                "io-blocks",
                "reference=",
                "size=",
                "help",
                "version",
            ],
        ) {
            Ok(a) => a,
            Err(e) => return ctx.usage(&e, 1),
        };
        let (mut no_create, mut blocks) = (false, false);
        let mut reference: Option<String> = None;
        let mut size: Option<i64> = None;
        let mut rel = Rel::None;
        let mut files = Vec::new();
        for a in items {
            let (opt, val) = match a {
                Arg::Operand(o) => {
                    files.push(o);
                    continue;
                }
                Arg::Short(c, v) => (
                    match c {
                        'c' => "no-create",
                        'o' => "io-blocks",
                        'r' => "reference",
                        _ => "size",
                    }
                    .to_string(),
                    v,
                ),
                Arg::Long(n, v) => (n, v),
            };
            match opt.as_str() {
                "help" => return emit(ctx, super::files_help::help("truncate")),
                "version" => return emit(ctx, super::files_help::version("truncate")),
                "no-create" => no_create = true,
                "io-blocks" => blocks = true,
                "reference" => reference = val,
                _ => {
                    let v = val.unwrap_or_default();
                    let mut s = v.trim_start_matches(is_space);
                    let r = match s.chars().next() {
                        Some('<') => Rel::AtMost,
                        Some('>') => Rel::AtLeast,
                        Some('/') => Rel::RoundDown,
                        Some('%') => Rel::RoundUp,
                        _ => Rel::None,
                    };
                    if r != Rel::None {
                        rel = r;
                        s = s[1..].trim_start_matches(is_space);
                    }
                    if s.starts_with(['+', '-']) {
                        if rel != Rel::None {
                            return usage(ctx, "multiple relative modifiers specified");
                        }
                        rel = Rel::Adjust;
                    }
                    let n = match parse_size(s) {
                        Ok(n) => n,
                        Err(over) => {
                            let tail = if over {
                                ": Value too large for defined data type"
                            } else {
                                ""
                            };
                            ctx.err(&format!("Invalid number: {}{tail}", quote(s)));
                            return 1;
                        }
                    };
                    if matches!(rel, Rel::RoundDown | Rel::RoundUp) && n == 0 {
                        ctx.err("division by zero");
                        return 1;
                    }
                    size = Some(n);
                }
            }
        }
        if reference.is_none() && size.is_none() {
            return usage(
                ctx,
                &format!(
                    "you must specify either {} or {}",
                    quote("--size"),
                    quote("--reference")
                ),
            );
        }
        if reference.is_some() && size.is_some() && rel == Rel::None {
            return usage(
                ctx,
                &format!(
                    "you must specify a relative {} with {}",
                    quote("--size"),
                    quote("--reference")
                ),
            );
        }
        if blocks && size.is_none() {
            return usage(
                ctx,
                &format!(
                    "{} was specified but {} was not",
                    quote("--io-blocks"),
                    quote("--size")
                ),
            );
        }
        if files.is_empty() {
            return usage(ctx, "missing file operand");
        }
        let mut rsize: Option<i64> = None;
        if let Some(r) = &reference {
            match ctx.vfs.stat(r) {
                Ok(m) => {
                    let fs = i64::try_from(m.size).unwrap_or(i64::MAX);
                    if size.is_none() {
                        size = Some(fs);
                    } else {
                        rsize = Some(fs);
                    }
                }
                Err(e) => {
                    ctx.err(&format!(
                        "cannot stat {}: {}",
                        quoteaf(r),
                        e.errno().message()
                    ));
                    return 1;
                }
            }
        }
        let ssize = size.unwrap_or(0);
        let mut status = 0;
        for f in &files {
            let opts = vfs_core::OpenOptions::new()
                .write(true)
                .create(!no_create)
                .mode(0o666);
            let handle = match ctx.vfs.open(f, &opts) {
                Ok(h) => h,
                Err(e) => {
                    if !(no_create && e.errno() == vfs_core::Errno::NoEntry) {
                        ctx.err(&format!(
                            "cannot open {} for writing: {}",
                            quoteaf(f),
                            e.errno().message()
                        ));
                        status = 1;
                    }
                    continue;
                }
            };
            drop(handle);
            if !one(ctx, f, ssize, rsize, rel, blocks) {
                status = 1;
            }
        }
        status
    }
}

/// Resize one (already opened) file as GNU's `do_ftruncate`.
fn one(ctx: &Ctx<'_>, f: &str, ssize: i64, rsize: Option<i64>, rel: Rel, blocks: bool) -> bool {
    let meta = match ctx.vfs.stat(f) {
        Ok(m) => m,
        Err(e) => {
            ctx.err(&format!(
                "cannot fstat {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            return false;
        }
    };
    let mut ssize = ssize;
    if blocks {
        let bs = i64::try_from(meta.blksize.max(1)).unwrap_or(4096);
        match ssize.checked_mul(bs) {
            Some(v) => ssize = v,
            None => {
                ctx.err(&format!(
                    "overflow in {ssize} * {bs} byte blocks for file {}",
                    quoteaf(f)
                ));
                return false;
            }
        }
    }
    let nsize = if rel == Rel::None {
        ssize
    } else {
        let fsize = rsize.unwrap_or_else(|| i64::try_from(meta.size).unwrap_or(i64::MAX));
        match rel {
            Rel::AtLeast => fsize.max(ssize),
            Rel::AtMost => fsize.min(ssize),
            Rel::RoundDown => fsize - fsize % ssize,
            Rel::RoundUp => {
                let r = fsize % ssize;
                if r == 0 {
                    fsize
                } else {
                    match fsize.checked_add(ssize - r) {
                        Some(v) => v,
                        None => {
                            ctx.err(&format!("overflow rounding up size of file {}", quoteaf(f)));
                            return false;
                        }
                    }
                }
            }
            _ => match fsize.checked_add(ssize) {
                Some(v) => v,
                None => {
                    ctx.err(&format!("overflow extending size of file {}", quoteaf(f)));
                    return false;
                }
            },
        }
    };
    let nsize = nsize.max(0);
    if let Err(e) = ctx.vfs.truncate(f, nsize as u64) {
        ctx.err(&format!(
            "failed to truncate {} at {nsize} bytes: {}",
            quoteaf(f),
            e.errno().message()
        ));
        return false;
    }
    true
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Parse a SIZE as `xdectoimax(..., "EgGkKmMPtTYZ0")`: `Err(true)` on overflow,
/// `Err(false)` when invalid.
fn parse_size(s: &str) -> Result<i64, bool> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut over = false;
    let mut v: i128 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v * 10 + i128::from(b[i] - b'0');
        if v > i128::from(u64::MAX) {
            over = true;
            v = i128::from(u64::MAX);
        }
        i += 1;
    }
    if i == start {
        // No digits: only a bare suffix (at the very start) means 1.
        if start == 0
            && b.first()
                .is_some_and(|&c| crate::commands::util::size_suffix_power(c).is_some())
        {
            v = 1;
        } else {
            return Err(false);
        }
    }
    if neg {
        v = -v;
    }
    let rest = &b[i..];
    if !rest.is_empty() {
        let Some(pow) = crate::commands::util::size_suffix_power(rest[0]) else {
            return Err(false);
        };
        let (base, used): (i128, usize) = match rest.get(1..) {
            Some([b'i', b'B', ..]) => (1024, 3),
            Some([b'B' | b'D', ..]) => (1000, 2),
            _ => (1024, 1),
        };
        if rest.len() != used {
            return Err(false);
        }
        for _ in 0..pow {
            v = v.saturating_mul(base);
            if v.abs() > i128::from(u64::MAX) {
                over = true;
                v = v.signum() * i128::from(u64::MAX);
            }
        }
    }
    if over || v > i128::from(i64::MAX) || v < i128::from(i64::MIN) {
        return Err(true);
    }
    Ok(v as i64)
}

fn usage(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.usage(&crate::commands::util::UsageError(msg.into()), 1)
}

fn emit(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("+3K"), Ok(3072));
        assert_eq!(parse_size("-2KB"), Ok(-2000));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("K"), Ok(1024));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("1E"), Ok(1 << 60));
        assert_eq!(parse_size("8E"), Err(true));
        assert_eq!(parse_size("1Y"), Err(true));
        assert_eq!(parse_size("-K"), Err(false));
        assert_eq!(parse_size("1e"), Err(false));
        assert_eq!(parse_size("5KIB"), Err(false));
        assert_eq!(parse_size(""), Err(false));
    }
}

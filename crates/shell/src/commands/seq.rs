//! `seq`: print a sequence of numbers (GNU coreutils 9.1): integer and decimal
//! operands, negative steps, `-s`, `-w` and `-f` with GNU's default precision rules.

use super::sort::strtod_prefix;
use super::{quote, stopped, try_help, version};
use crate::commands::{Command, Ctx};

/// `seq [OPTION]... [FIRST [INCREMENT]] LAST`
pub struct Seq;

#[derive(Clone, Debug)]
struct Operand {
    value: f64,
    int: Option<i128>,
    width: usize,
    /// Digits after the point; `None` when it cannot be known (hex, inf).
    precision: Option<usize>,
}

fn scan(s: &str) -> Result<Operand, String> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let value = match strtod_prefix(b) {
        Some(v) => v,
        None => return Err(format!("invalid floating point argument: {}", quote(s))),
    };
    // The whole operand must be numeric.
    if !full_number(t) {
        return Err(format!("invalid floating point argument: {}", quote(s)));
    }
    if value.is_nan() {
        return Err(format!("invalid 'not-a-number' argument: {}", quote(s)));
    }
    let mut width = s.len();
    let mut precision = None;
    if !t.contains(['x', 'X']) && value.is_finite() {
        let dot = t.find('.');
        let mut frac_len: i64 = 0;
        let mut prec: i64 = match dot {
            None => 0,
            Some(d) => {
                let frac = t[d + 1..].find(['e', 'E']).unwrap_or(t.len() - d - 1);
                let before_digit = d > 0 && t.as_bytes()[d - 1].is_ascii_digit();
                if frac == 0 {
                    width = width.saturating_sub(1);
                } else if !before_digit {
                    width += 1;
                }
                frac_len = frac as i64;
                frac as i64
            }
        };
        if let Some(e) = t.find(['e', 'E']) {
            let mut exp: i64 = t[e + 1..].parse().unwrap_or(0);
            if exp < 0 {
                prec += -exp;
            } else {
                prec -= prec.min(exp);
            }
            width = width.saturating_sub(t.len() - e);
            if exp < 0 {
                match dot {
                    Some(d) if e == d + 1 => width += 1,
                    Some(_) => {}
                    None => width += 1,
                }
                exp = -exp;
            } else {
                if dot.is_some() && prec == 0 && frac_len > 0 {
                    width = width.saturating_sub(1);
                }
                exp -= frac_len.min(exp);
            }
            width += exp as usize;
        }
        precision = Some(prec.max(0) as usize);
    }
    let int = if t
        .bytes()
        .all(|c| c.is_ascii_digit() || c == b'-' || c == b'+')
    {
        t.parse::<i128>().ok()
    } else {
        None
    };
    Ok(Operand {
        value,
        int,
        width,
        precision,
    })
}

fn full_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let rest = t[i..].to_ascii_lowercase();
    if ["inf", "infinity", "nan"].contains(&rest.as_str()) {
        return true;
    }
    if let Some(h) = rest.strip_prefix("0x") {
        return !h.is_empty()
            && h.bytes().all(|c| {
                c.is_ascii_hexdigit() || c == b'.' || c == b'p' || c == b'-' || c == b'+'
            });
    }
    let r = rest.as_bytes();
    let mut j = 0;
    let mut digits = 0;
    while j < r.len() && r[j].is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if j < r.len() && r[j] == b'.' {
        j += 1;
        while j < r.len() && r[j].is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if j < r.len() && r[j] == b'e' {
        j += 1;
        if j < r.len() && (r[j] == b'+' || r[j] == b'-') {
            j += 1;
        }
        let s = j;
        while j < r.len() && r[j].is_ascii_digit() {
            j += 1;
        }
        if j == s {
            return false;
        }
    }
    j == r.len()
}

/// Check a user format: exactly one float directive.
fn check_format(f: &str) -> Result<(), String> {
    let b = f.as_bytes();
    let mut i = 0;
    let mut count = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'%') {
            i += 2;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() && b"-+ #0'".contains(&b[i]) {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        match b.get(i) {
            Some(c) if b"aAeEfFgG".contains(c) => {}
            Some(_) => {
                let d = String::from_utf8_lossy(&b[start..=i]).into_owned();
                return Err(format!("format {} has unknown {d} directive", quote(f)));
            }
            None => {
                return Err(format!("format {} ends in %", quote(f)));
            }
        }
        count += 1;
        if count > 1 {
            return Err(format!("format {} has too many % directives", quote(f)));
        }
        i += 1;
    }
    if count == 0 {
        return Err(format!("format {} has no % directive", quote(f)));
    }
    Ok(())
}

enum Fmt {
    Fixed { prec: usize, width: usize },
    User(String),
}

fn render(f: &Fmt, x: f64) -> Vec<u8> {
    match f {
        Fmt::Fixed { prec, width } => {
            let s = format!("{x:.prec$}");
            if s.len() >= *width {
                return s.into_bytes();
            }
            let (sign, digits) = match s.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("", s.as_str()),
            };
            let pad = width - s.len();
            format!("{sign}{}{digits}", "0".repeat(pad)).into_bytes()
        }
        Fmt::User(u) => {
            let arg = if x.is_infinite() {
                if x < 0.0 { "-inf".into() } else { "inf".into() }
            } else {
                format!("{x:e}")
            };
            crate::printf::format(u.as_bytes(), &[arg.into_bytes()]).output
        }
    }
}

impl Command for Seq {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut fmt: Option<String> = None;
        let mut sep = "\n".to_string();
        let mut equal = false;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            let b = a.as_bytes();
            if b.len() < 2 || b[0] != b'-' || b[1] == b'.' || b[1].is_ascii_digit() {
                break;
            }
            i += 1;
            if a == "--" {
                break;
            }
            if let Some(long) = a.strip_prefix("--") {
                let (name, val) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                let opts = ["format", "separator", "equal-width", "help", "version"];
                let hits: Vec<&&str> = opts.iter().filter(|o| o.starts_with(name)).collect();
                let full = match opts.iter().find(|o| **o == name) {
                    Some(o) => *o,
                    None if hits.len() == 1 => hits[0],
                    None if hits.is_empty() => {
                        ctx.err(&format!("unrecognized option '{a}'"));
                        return try_help(ctx, 1);
                    }
                    None => {
                        ctx.err(&format!(
                            "option '--{name}' is ambiguous; possibilities: {}",
                            hits.iter()
                                .map(|h| format!("'--{h}'"))
                                .collect::<Vec<_>>()
                                .join(" ")
                        ));
                        return try_help(ctx, 1);
                    }
                };
                let needs = full == "format" || full == "separator";
                let v = if needs {
                    match val {
                        Some(v) => Some(v),
                        None if i < args.len() => {
                            i += 1;
                            Some(args[i - 1].clone())
                        }
                        None => {
                            ctx.err(&format!("option '--{full}' requires an argument"));
                            return try_help(ctx, 1);
                        }
                    }
                } else {
                    if val.is_some() {
                        ctx.err(&format!("option '--{full}' doesn't allow an argument"));
                        return try_help(ctx, 1);
                    }
                    None
                };
                match full {
                    "format" => fmt = v,
                    "separator" => sep = v.unwrap_or_default(),
                    "equal-width" => equal = true,
                    "help" => return super::print_text(ctx, HELP),
                    _ => return version(ctx, "seq", "Written by Ulrich Drepper."),
                }
                continue;
            }
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                match c {
                    'w' => equal = true,
                    'f' | 's' => {
                        let rest: String = chars[k..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            ctx.err(&format!("option requires an argument -- '{c}'"));
                            return try_help(ctx, 1);
                        };
                        if c == 'f' {
                            fmt = Some(v);
                        } else {
                            sep = v;
                        }
                        k = chars.len();
                    }
                    _ => {
                        ctx.err(&format!("invalid option -- '{c}'"));
                        return try_help(ctx, 1);
                    }
                }
            }
        }
        let ops = &args[i..];
        if ops.is_empty() {
            ctx.err("missing operand");
            return try_help(ctx, 1);
        }
        if ops.len() > 3 {
            ctx.err(&format!("extra operand {}", quote(&ops[3])));
            return try_help(ctx, 1);
        }
        if let Some(f) = &fmt
            && let Err(m) = check_format(f)
        {
            ctx.err(&m);
            return 1;
        }
        let mut parsed = Vec::new();
        for o in ops {
            match scan(o) {
                Ok(v) => parsed.push(v),
                Err(m) => {
                    ctx.err(&m);
                    return try_help(ctx, 1);
                }
            }
        }
        let one = Operand {
            value: 1.0,
            int: Some(1),
            width: 1,
            precision: Some(0),
        };
        let (first, step, last) = match parsed.len() {
            1 => (one.clone(), one, parsed[0].clone()),
            2 => (parsed[0].clone(), one, parsed[1].clone()),
            _ => (parsed[0].clone(), parsed[1].clone(), parsed[2].clone()),
        };
        if step.value == 0.0 {
            ctx.err(&format!("invalid Zero increment value: {}", quote(&ops[1])));
            return try_help(ctx, 1);
        }
        if fmt.is_some() && equal {
            ctx.err("format string may not be specified when printing equal width strings");
            return try_help(ctx, 1);
        }
        let format = match fmt {
            Some(f) => Fmt::User(f),
            None => match (first.precision, step.precision, last.precision) {
                (Some(fp), Some(sp), Some(lp)) => {
                    let prec = fp.max(sp);
                    let width = if equal {
                        let mut fw = first.width + (prec - fp);
                        let mut lw = (last.width + prec).saturating_sub(lp);
                        if lp > 0 && prec == 0 {
                            lw = lw.saturating_sub(1);
                        }
                        if lp == 0 && prec > 0 {
                            lw += 1;
                        }
                        if fp == 0 && prec > 0 {
                            fw += 1;
                        }
                        fw.max(lw)
                    } else {
                        0
                    };
                    Fmt::Fixed { prec, width }
                }
                _ => Fmt::User("%g".into()),
            },
        };
        let mut out: Vec<u8> = Vec::new();
        let flush = |out: &mut Vec<u8>| -> Result<(), i32> {
            let r = ctx.out(out);
            out.clear();
            r.map_err(stopped)
        };
        // Exact integer arithmetic when every operand is an integer.
        if let (Some(f), Some(s), Some(l), Fmt::Fixed { prec: 0, width }) =
            (first.int, step.int, last.int, &format)
        {
            let mut x = f;
            let mut n = 0u64;
            while (s > 0 && x <= l) || (s < 0 && x >= l) {
                if n > 0 {
                    out.extend_from_slice(sep.as_bytes());
                }
                let t = x.to_string();
                if t.len() < *width {
                    let (sign, d) = match t.strip_prefix('-') {
                        Some(d) => ("-", d),
                        None => ("", t.as_str()),
                    };
                    out.extend_from_slice(
                        format!("{sign}{}{d}", "0".repeat(width - t.len())).as_bytes(),
                    );
                } else {
                    out.extend_from_slice(t.as_bytes());
                }
                n += 1;
                if out.len() > 32 * 1024 {
                    if let Err(st) = flush(&mut out) {
                        return st;
                    }
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                }
                match x.checked_add(s) {
                    Some(v) => x = v,
                    None => break,
                }
            }
            if n > 0 {
                out.push(b'\n');
            }
            return match flush(&mut out) {
                Ok(()) => 0,
                Err(st) => st,
            };
        }
        let (f, s, l) = (first.value, step.value, last.value);
        let beyond = |x: f64| if s < 0.0 { x < l } else { l < x };
        if beyond(f) {
            return 0;
        }
        let mut x = f;
        let mut i: f64 = 1.0;
        loop {
            let shown = render(&format, x);
            out.extend_from_slice(&shown);
            x = f + i * s;
            i += 1.0;
            if beyond(x) {
                let next = render(&format, x);
                let same = std::str::from_utf8(&next)
                    .ok()
                    .and_then(|t| strtod_prefix(t.as_bytes()))
                    .is_some_and(|v| v == l);
                if !(same && next != shown) {
                    break;
                }
            }
            out.extend_from_slice(sep.as_bytes());
            if out.len() > 32 * 1024 {
                if let Err(st) = flush(&mut out) {
                    return st;
                }
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
            }
            if !x.is_finite() && x == f {
                break;
            }
        }
        out.push(b'\n');
        match flush(&mut out) {
            Ok(()) => 0,
            Err(st) => st,
        }
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print numbers from FIRST to LAST, in steps of INCREMENT.

Mandatory arguments to long options are mandatory for short options too.
  -f, --format=FORMAT      use printf style floating-point FORMAT
  -s, --separator=STRING   use STRING to separate numbers (default: \n)
  -w, --equal-width        equalize width by padding with leading zeroes
      --help        display this help and exit
      --version     output version information and exit

If FIRST or INCREMENT is omitted, it defaults to 1.  That is, an
omitted INCREMENT defaults to 1 even when LAST is smaller than FIRST.
The sequence of numbers ends when the sum of the current number and
INCREMENT would become greater than LAST.
FIRST, INCREMENT, and LAST are interpreted as floating point values.
INCREMENT is usually positive if FIRST is smaller than LAST, and
INCREMENT is usually negative if FIRST is greater than LAST.
INCREMENT must not be 0; none of FIRST, INCREMENT and LAST may be NaN.
FORMAT must be suitable for printing one argument of type 'double';
it defaults to %.PRECf if FIRST, INCREMENT, and LAST are all fixed point
decimal numbers with maximum precision PREC, and to %g otherwise.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/seq>
or available locally via: info '(coreutils) seq invocation'
"##;

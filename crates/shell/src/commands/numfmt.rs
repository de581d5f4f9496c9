//! `numfmt`: convert numbers to and from human-readable sizes (`--from=si|iec|iec-i|auto`,
//! `--to=si|iec|iec-i`, `--round`, `--suffix`, `--padding`, `--format`, `--field`,
//! `-d`, `--header`), following GNU coreutils 9.1's rounding and display rules.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, quote, read_operand, try_help, version};

/// `numfmt [OPTION]... [NUMBER]...`
pub struct Numfmt;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scale {
    None,
    Si,
    Iec,
    IecI,
    Auto,
}

#[derive(Clone, Copy)]
enum Round {
    Up,
    Down,
    FromZero,
    TowardsZero,
    Nearest,
}

fn round(v: f64, r: Round) -> f64 {
    match r {
        Round::Up => v.ceil(),
        Round::Down => v.floor(),
        Round::FromZero => {
            if v < 0.0 {
                v.floor()
            } else {
                v.ceil()
            }
        }
        Round::TowardsZero => v.trunc(),
        Round::Nearest => v.round(),
    }
}

struct Opts {
    from: Scale,
    to: Scale,
    round: Round,
    suffix: String,
    padding: i64,
    format: Option<(String, String, Option<usize>, String)>,
    from_unit: f64,
    to_unit: f64,
}

const POWERS: &[u8] = b"KMGTPEZYRQ";

fn parse_input(s: &str, o: &Opts) -> Result<f64, String> {
    let t = s
        .strip_suffix(o.suffix.as_str())
        .filter(|_| !o.suffix.is_empty())
        .unwrap_or(s);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    let num = &t[..i];
    if i == ds || num.matches('.').count() > 1 || num.ends_with('-') {
        return Err(format!("invalid number: {}", quote(s)));
    }
    let mut v: f64 = num
        .parse()
        .map_err(|_| format!("invalid number: {}", quote(s)))?;
    let rest = &t[i..];
    if rest.is_empty() {
        return Ok(v * o.from_unit);
    }
    let c = rest.as_bytes()[0].to_ascii_uppercase();
    let Some(p) = POWERS.iter().position(|&x| x == c) else {
        return Err(format!("invalid suffix in input: {}", quote(s)));
    };
    let has_i = rest.len() > 1 && rest.as_bytes()[1] == b'i';
    if rest.len() > 1 + usize::from(has_i) {
        return Err(format!("invalid suffix in input: {}", quote(s)));
    }
    let base: f64 = match o.from {
        Scale::None => {
            return Err(format!(
                "rejecting suffix in input: {} (consider using --from)",
                quote(s)
            ));
        }
        Scale::Si => 1000.0,
        Scale::Iec => 1024.0,
        Scale::IecI => {
            if !has_i {
                return Err(format!(
                    "missing 'i' suffix in input: {} (e.g. Ki/Mi/Gi)",
                    quote(s)
                ));
            }
            1024.0
        }
        Scale::Auto => {
            if has_i {
                1024.0
            } else {
                1000.0
            }
        }
    };
    if has_i && matches!(o.from, Scale::Si | Scale::Iec) {
        return Err(format!("invalid suffix in input: {}", quote(s)));
    }
    v *= base.powi(p as i32 + 1);
    Ok(v * o.from_unit)
}

fn c_fmt(v: f64, prec: usize) -> String {
    format!("{v:.prec$}")
}

fn to_human(v: f64, o: &Opts) -> String {
    let v = v / o.to_unit;
    let user_prec = o.format.as_ref().and_then(|f| f.2);
    if o.to == Scale::None {
        let p = user_prec.unwrap_or(0);
        let m = 10f64.powi(p as i32);
        return c_fmt(round(v * m, o.round) / m, p);
    }
    let base = if o.to == Scale::Si { 1000.0 } else { 1024.0 };
    let mut val = v;
    let mut power = 0usize;
    while val.abs() >= base && power < POWERS.len() {
        val /= base;
        power += 1;
    }
    let adjust = match user_prec {
        Some(p) => (power * 3).min(p),
        None => usize::from(val.abs() < 10.0),
    };
    let m = 10f64.powi(adjust as i32);
    val = round(val * m, o.round) / m;
    if val.abs() >= base && power < POWERS.len() {
        val /= base;
        power += 1;
    }
    let show_dec = val != 0.0 && val.abs() < 10.0 && power > 0;
    let suffix = if power == 0 {
        String::new()
    } else {
        let mut s = (POWERS[power - 1] as char).to_string();
        if o.to == Scale::IecI {
            s.push('i');
        }
        s
    };
    let prec = match user_prec {
        Some(p) => p,
        None => usize::from(show_dec),
    };
    format!("{}{suffix}", c_fmt(val, prec))
}

fn render(v: f64, o: &Opts) -> String {
    let mut s = to_human(v, o);
    s.push_str(&o.suffix);
    if let Some((pre, flags, _, post)) = &o.format {
        let width: usize = flags
            .trim_start_matches(['-', '0', '\''])
            .parse()
            .unwrap_or(0);
        if flags.starts_with('-') {
            s = format!("{s:<width$}");
        } else if flags.starts_with('0') && width > 0 {
            let neg = s.starts_with('-');
            let body = s.trim_start_matches('-');
            let w = width.saturating_sub(usize::from(neg));
            s = format!("{}{body:0>w$}", if neg { "-" } else { "" });
        } else {
            s = format!("{s:>width$}");
        }
        s = format!("{pre}{s}{post}");
    }
    if o.padding > 0 {
        let w = o.padding as usize;
        s = format!("{s:>w$}");
    } else if o.padding < 0 {
        let w = o.padding.unsigned_abs() as usize;
        s = format!("{s:<w$}");
    }
    s
}

/// `--format=FMT`: (prefix, flags+width, precision, suffix).
fn parse_format(f: &str) -> Result<(String, String, Option<usize>, String), String> {
    let bad = || {
        format!(
            "invalid format {}, directive must be %[0]['][-][N][.][N]f",
            quote(f)
        )
    };
    let mut i = 0;
    let b = f.as_bytes();
    let mut pre = String::new();
    while i < b.len() {
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'%') {
                pre.push('%');
                i += 2;
                continue;
            }
            break;
        }
        pre.push(b[i] as char);
        i += 1;
    }
    if i >= b.len() {
        return Err(format!("format {} has no % directive", quote(f)));
    }
    i += 1;
    let fs = i;
    while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'-' | b'\'')) {
        i += 1;
    }
    let flags = f[fs..i].to_string();
    let mut prec = None;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let ps = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        prec = Some(f[ps..i].parse().unwrap_or(0));
    }
    if b.get(i) != Some(&b'f') {
        return Err(bad());
    }
    i += 1;
    let post = f[i..].replace("%%", "%");
    if post.contains('%') {
        return Err(format!("format {} has too many % directives", quote(f)));
    }
    Ok((pre, flags, prec, post))
}

impl Command for Numfmt {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "d",
            "z",
            &[
                "from=",
                "from-unit=",
                "to=",
                "to-unit=",
                "round=",
                "suffix=",
                "padding=",
                "format=",
                "field=",
                "delimiter=",
                "header",
                "grouping",
                "invalid=",
                "zero-terminated",
                "debug",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts {
            from: Scale::None,
            to: Scale::None,
            round: Round::FromZero,
            suffix: String::new(),
            padding: 0,
            format: None,
            from_unit: 1.0,
            to_unit: 1.0,
        };
        let mut field: usize = 1;
        let mut delim: Option<char> = None;
        let mut header: usize = 0;
        let mut nums = Vec::new();
        let scale = |v: &str, ok_auto: bool| -> Option<Scale> {
            Some(match v {
                "none" => Scale::None,
                "si" => Scale::Si,
                "iec" => Scale::Iec,
                "iec-i" => Scale::IecI,
                "auto" if ok_auto => Scale::Auto,
                _ => return None,
            })
        };
        // `--invalid`: `a`bort (stop, status 2), `f`ail (go on, status 2), `w`arn (go on),
        // `i`gnore (go on silently); the bad field is copied unchanged.
        let mut invalid = 'a';
        for a in parsed {
            let (name, v) = match a {
                Arg::Operand(x) => {
                    nums.push(x);
                    continue;
                }
                Arg::Short('d', v) => ("delimiter".to_string(), v),
                Arg::Short(_, v) => ("zero-terminated".to_string(), v),
                Arg::Long(l, v) => (l, v),
            };
            let v = v.unwrap_or_default();
            let bad_arg = |ctx: &Ctx<'_>, opt: &str, valid: &[&str]| {
                ctx.err(&format!("invalid argument {} for '--{opt}'", quote(&v)));
                let mut t = String::from("Valid arguments are:\n");
                for x in valid {
                    t.push_str(&format!("  - '{x}'\n"));
                }
                t.push_str("Try 'numfmt --help' for more information.\n");
                let _ = ctx.stderr.write_all(t.as_bytes());
                1
            };
            match name.as_str() {
                "invalid" => {
                    invalid = match v.as_str() {
                        "abort" => 'a',
                        "fail" => 'f',
                        "warn" => 'w',
                        "ignore" => 'i',
                        _ => return bad_arg(ctx, "invalid", &["abort", "fail", "warn", "ignore"]),
                    }
                }
                "from" => match scale(&v, true) {
                    Some(s) => o.from = s,
                    None => return bad_arg(ctx, "from", &["none", "auto", "si", "iec", "iec-i"]),
                },
                "to" => match scale(&v, false) {
                    Some(s) => o.to = s,
                    None => return bad_arg(ctx, "to", &["none", "si", "iec", "iec-i"]),
                },
                "from-unit" | "to-unit" => match v.parse::<f64>() {
                    Ok(u) if u > 0.0 => {
                        if name == "from-unit" {
                            o.from_unit = u;
                        } else {
                            o.to_unit = u;
                        }
                    }
                    _ => {
                        ctx.err(&format!("invalid unit size: {}", quote(&v)));
                        return 1;
                    }
                },
                "round" => {
                    o.round = match v.as_str() {
                        "up" => Round::Up,
                        "down" => Round::Down,
                        "from-zero" => Round::FromZero,
                        "towards-zero" => Round::TowardsZero,
                        "nearest" => Round::Nearest,
                        _ => {
                            return bad_arg(
                                ctx,
                                "round",
                                &["up", "down", "from-zero", "towards-zero", "nearest"],
                            );
                        }
                    }
                }
                "suffix" => o.suffix = v,
                "padding" => match v.parse::<i64>() {
                    Ok(p) if p != 0 => o.padding = p,
                    _ => {
                        ctx.err(&format!("invalid padding value {}", quote(&v)));
                        return 1;
                    }
                },
                "format" => match parse_format(&v) {
                    Ok(f) => o.format = Some(f),
                    Err(m) => {
                        ctx.err(&m);
                        return 1;
                    }
                },
                "field" => match v.parse::<usize>() {
                    Ok(f) if f > 0 => field = f,
                    _ => {
                        ctx.err(&format!("invalid field value {}", quote(&v)));
                        return try_help_only(ctx);
                    }
                },
                "delimiter" => {
                    let mut cs = v.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => delim = Some(c),
                        _ => {
                            ctx.err("the delimiter must be a single character");
                            return 1;
                        }
                    }
                }
                "header" => header = 1,
                "help" => return print_text(ctx, HELP),
                "version" => return version(ctx, "numfmt", "Written by Assaf Gordon."),
                _ => {}
            }
        }
        let mut out = String::new();
        let mut status = 0;
        let convert = |line: &str, status: &mut i32, ctx: &Ctx<'_>| -> Option<String> {
            // Split into fields, keeping separators.
            let mut parts: Vec<(String, String)> = Vec::new();
            match delim {
                Some(d) => {
                    for (k, p) in line.split(d).enumerate() {
                        parts.push((
                            if k == 0 { String::new() } else { d.to_string() },
                            p.to_string(),
                        ));
                    }
                }
                None => {
                    let mut sep = String::new();
                    let mut cur = String::new();
                    for c in line.chars() {
                        if c == ' ' || c == '\t' {
                            if !cur.is_empty() {
                                parts.push((std::mem::take(&mut sep), std::mem::take(&mut cur)));
                            }
                            sep.push(c);
                        } else {
                            cur.push(c);
                        }
                    }
                    if !cur.is_empty() || parts.is_empty() {
                        parts.push((sep, cur));
                    }
                }
            }
            let mut res = String::new();
            for (k, (sep, text)) in parts.iter().enumerate() {
                res.push_str(sep);
                if k + 1 == field {
                    match parse_input(text, &o) {
                        Ok(v) => res.push_str(&render(v, &o)),
                        Err(m) => {
                            if invalid != 'i' {
                                ctx.err(&m);
                            }
                            if matches!(invalid, 'a' | 'f') {
                                *status = 2;
                            }
                            if invalid == 'a' {
                                return None;
                            }
                            res.push_str(text);
                        }
                    }
                } else {
                    res.push_str(text);
                }
            }
            Some(res)
        };
        if !nums.is_empty() {
            for n in &nums {
                match convert(n, &mut status, ctx) {
                    Some(r) => {
                        out.push_str(&r);
                        out.push('\n');
                    }
                    None => break,
                }
            }
        } else {
            let data = match read_operand(ctx, "-") {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("-: {m}"));
                    return 1;
                }
            };
            let text = String::from_utf8_lossy(&data).into_owned();
            for (k, line) in text.lines().enumerate() {
                if k < header {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
                match convert(line, &mut status, ctx) {
                    Some(r) => {
                        out.push_str(&r);
                        out.push('\n');
                    }
                    None => break,
                }
            }
        }
        if let Err(s) = ctx.out(out.as_bytes()) {
            return Ctx::stop_status(s);
        }
        let _ = try_help;
        status
    }
}

fn try_help_only(ctx: &Ctx<'_>) -> i32 {
    let _ = ctx
        .stderr
        .write_all(b"Try 'numfmt --help' for more information.\n");
    1
}

const HELP: &str = r#"Usage: numfmt [OPTION]... [NUMBER]...
Reformat NUMBER(s), or the numbers from standard input if none are specified.

Mandatory arguments to long options are mandatory for short options too.
      --debug          print warnings about invalid input
  -d, --delimiter=X    use X instead of whitespace for field delimiter
      --field=FIELDS   replace the numbers in these input fields (default=1);
                         see FIELDS below
      --format=FORMAT  use printf style floating-point FORMAT;
                         see FORMAT below for details
      --from=UNIT      auto-scale input numbers to UNITs; default is 'none';
                         see UNIT below
      --from-unit=N    specify the input unit size (instead of the default 1)
      --grouping       use locale-defined grouping of digits, e.g. 1,000,000
                         (which means it has no effect in the C/POSIX locale)
      --header[=N]     print (without converting) the first N header lines;
                         N defaults to 1 if not specified
      --invalid=MODE   failure mode for invalid numbers: MODE can be:
                         abort (default), fail, warn, ignore
      --padding=N      pad the output to N characters; positive N will
                         right-align; negative N will left-align;
                         padding is ignored if the output is wider than N;
                         the default is to automatically pad if a whitespace
                         is found
      --round=METHOD   use METHOD for rounding when scaling; METHOD can be:
                         up, down, from-zero (default), towards-zero, nearest
      --suffix=SUFFIX  add SUFFIX to output numbers, and accept optional
                         SUFFIX in input numbers
      --to=UNIT        auto-scale output numbers to UNITs; see UNIT below
      --to-unit=N      the output unit size (instead of the default 1)
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

UNIT options:
  none       no auto-scaling is done; suffixes will trigger an error
  auto       accept optional single/two letter suffix:
               1K = 1000,
               1Ki = 1024,
               1M = 1000000,
               1Mi = 1048576,
  si         accept optional single letter suffix:
               1K = 1000,
               1M = 1000000,
               ...
  iec        accept optional single letter suffix:
               1K = 1024,
               1M = 1048576,
               ...
  iec-i      accept optional two-letter suffix:
               1Ki = 1024,
               1Mi = 1048576,
               ...

FIELDS supports cut(1) style field ranges:
  N    N'th field, counted from 1
  N-   from N'th field, to end of line
  N-M  from N'th to M'th field (inclusive)
  -M   from first to M'th field (inclusive)
  -    all fields
Multiple fields/ranges can be separated with commas

FORMAT must be suitable for printing one floating-point argument '%f'.
Optional quote (%'f) will enable --grouping (if supported by current locale).
Optional width value (%10f) will pad output. Optional zero (%010f) width
will zero pad the number. Optional negative values (%-10f) will left align.
Optional precision (%.1f) will override the input determined precision.

Exit status is 0 if all input numbers were successfully converted.
By default, numfmt will stop at the first conversion error with exit status 2.
With --invalid='fail' a warning is printed for each conversion error
and the exit status is 2.  With --invalid='warn' each conversion error is
diagnosed, but the exit status is 0.  With --invalid='ignore' conversion
errors are not diagnosed and the exit status is 0.

Examples:
  $ numfmt --to=si 1000
            -> "1.0K"
  $ numfmt --to=iec 2048
           -> "2.0K"
  $ numfmt --to=iec-i 4096
           -> "4.0Ki"
  $ echo 1K | numfmt --from=si
           -> "1000"
  $ echo 1K | numfmt --from=iec
           -> "1024"
  $ df -B1 | numfmt --header --field 2-4 --to=si
  $ ls -l  | numfmt --header --field 5 --to=iec
  $ ls -lh | numfmt --header --field 5 --from=iec --padding=10
  $ ls -lh | numfmt --header --field 5 --from=iec --format %10f

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/numfmt>
or available locally via: info '(coreutils) numfmt invocation'
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    #[test]
    fn human() {
        let (o, _, _) = run(
            &Numfmt,
            &[
                "numfmt", "--to=iec", "1024", "1536", "1025", "10240", "1023", "999999", "1.5",
            ],
            b"",
        );
        assert_eq!(o, "1.0K\n1.5K\n1.1K\n10K\n1023\n977K\n2\n");
        let (o, _, _) = run(&Numfmt, &["numfmt", "--from=iec", "1K", "1.5M"], b"");
        assert_eq!(o, "1024\n1572864\n");
    }
}

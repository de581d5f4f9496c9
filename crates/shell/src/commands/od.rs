//! `od`: dump files in octal and other formats, as GNU coreutils 9.1: `-A -j -N -t -v -w
//! -S --endian` and the traditional `-a -b -c -d -f -i -l -o -s -x`, GNU's column
//! alignment when several formats share a line, `*` for repeated lines, and the `z`
//! suffix. Input is streamed, so `od -N 16 /dev/zero` ends.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{Out, open, print_text, quote, stopped, version};
use crate::io::Fd;

/// `od [OPTION]... [FILE]...`
pub struct Od;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
    Float,
}

#[derive(Clone, Copy, Debug)]
struct Spec {
    kind: Kind,
    size: usize,
    width: usize,
    z: bool,
}

fn int_width(kind: Kind, size: usize) -> usize {
    let idx = match size {
        1 => 0,
        2 => 1,
        4 => 2,
        _ => 3,
    };
    match kind {
        Kind::Signed => [4, 6, 11, 20][idx],
        Kind::Unsigned => [3, 5, 10, 20][idx],
        Kind::Octal => [3, 6, 11, 22][idx],
        _ => [2, 4, 8, 16][idx],
    }
}

fn parse_type(s: &str, specs: &mut Vec<Spec>) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.is_empty() {
        return Err(format!("invalid type string {}", quote(s)));
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        let kind = match c {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'u' => Kind::Unsigned,
            b'o' => Kind::Octal,
            b'x' => Kind::Hex,
            b'f' => Kind::Float,
            _ => {
                return Err(format!(
                    "invalid character '{}' in type string {}",
                    c as char,
                    quote(s)
                ));
            }
        };
        let mut size = match kind {
            Kind::Named | Kind::Char => 1,
            Kind::Float => 8,
            _ => 4,
        };
        if !matches!(kind, Kind::Named | Kind::Char) {
            let start = i;
            if let Some(&l) = b.get(i) {
                let letter = match (kind, l) {
                    (Kind::Float, b'F') => Some(4),
                    (Kind::Float, b'D') => Some(8),
                    (Kind::Float, b'L') => Some(16),
                    (Kind::Float, _) => None,
                    (_, b'C') => Some(1),
                    (_, b'S') => Some(2),
                    (_, b'I') => Some(4),
                    (_, b'L') => Some(8),
                    _ => None,
                };
                if let Some(n) = letter {
                    size = n;
                    i += 1;
                } else {
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    if i > start {
                        let n: usize = s[start..i].parse().unwrap_or(usize::MAX);
                        let ok = if kind == Kind::Float {
                            matches!(n, 4 | 8)
                        } else {
                            matches!(n, 1 | 2 | 4 | 8)
                        };
                        if !ok {
                            let what = if kind == Kind::Float {
                                "floating point"
                            } else {
                                "integral"
                            };
                            return Err(format!(
                                "invalid type string {};\nthis system doesn't provide a {}-byte {} type",
                                quote(&s[start - 1..]),
                                &s[start..i],
                                what
                            ));
                        }
                        size = n;
                    }
                }
            }
        }
        if size == 16 {
            return Err(format!(
                "invalid type string {};\nthis system doesn't provide a 16-byte floating point type",
                quote(s)
            ));
        }
        let width = match kind {
            Kind::Named | Kind::Char => 3,
            Kind::Float => {
                if size == 4 {
                    15
                } else {
                    24
                }
            }
            _ => int_width(kind, size),
        };
        let z = b.get(i) == Some(&b'z');
        if z {
            i += 1;
        }
        specs.push(Spec {
            kind,
            size,
            width: width + 1,
            z,
        });
    }
    Ok(())
}

/// GNU's `xstrtoumax` with od's suffixes (`b` 512, `k` 1024, `m`, `KB` 1000, ...), and
/// `0x` hexadecimal / leading-`0` octal.
fn parse_count(s: &str) -> Option<u64> {
    let (digits_start, radix) = if s.starts_with("0x") || s.starts_with("0X") {
        (2, 16)
    } else if s.starts_with('0') && s.len() > 1 {
        (1, 8)
    } else {
        (0, 10)
    };
    let body = &s[digits_start..];
    let n = body
        .bytes()
        .take_while(|c| (*c as char).is_digit(radix))
        .count();
    if n == 0 && radix == 10 {
        return None;
    }
    let v = if n == 0 {
        0
    } else {
        u64::from_str_radix(&body[..n], radix).ok()?
    };
    let suf = &body[n..];
    let mult: u64 = match suf {
        "" => 1,
        "b" => 512,
        "k" | "K" | "KiB" => 1024,
        "KB" | "kB" => 1000,
        "m" | "M" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "g" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        "T" | "TiB" => 1 << 40,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    v.checked_mul(mult)
}

/// The operands read one after another.
struct Input<'c, 'a> {
    ctx: &'c Ctx<'a>,
    files: Vec<String>,
    next: usize,
    cur: Option<Fd>,
    status: i32,
    /// Whether any input could be opened (with none, not even the final address is
    /// printed).
    opened: bool,
}

impl Input<'_, '_> {
    /// Up to `n` bytes (fewer only at the end of all input).
    fn read(&mut self, n: usize) -> Result<Vec<u8>, i32> {
        let mut out = vec![0u8; n];
        let mut got = 0;
        while got < n {
            if self.cur.is_none() {
                let Some(f) = self.files.get(self.next).cloned() else {
                    break;
                };
                self.next += 1;
                match open(self.ctx, &f) {
                    Ok(fd) => {
                        self.cur = Some(fd);
                        self.opened = true;
                    }
                    Err(m) => {
                        self.ctx.err(&format!("{f}: {m}"));
                        self.status = 1;
                    }
                }
                continue;
            }
            let Some(fd) = &self.cur else { break };
            match fd.read(&mut out[got..]) {
                Ok(0) => self.cur = None,
                Ok(k) => got += k,
                Err(e) => {
                    if self.ctx.cancel.is_cancelled() {
                        return Err(130);
                    }
                    let name = self
                        .files
                        .get(self.next.wrapping_sub(1))
                        .cloned()
                        .unwrap_or_default();
                    self.ctx
                        .err(&format!("{name}: {}", crate::io::errno_message(&e)));
                    self.status = 1;
                    self.cur = None;
                }
            }
        }
        out.truncate(got);
        Ok(out)
    }
}

const NAMES: [&str; 33] = [
    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
    "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
    "fs", "gs", "rs", "us", "sp",
];

/// `%g` with `prec` significant digits, as C prints it.
fn fmt_g(x: f64, prec: usize) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.into();
    }
    let p = prec.max(1);
    let e = format!("{:.*e}", p - 1, x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.')
        } else {
            mant
        };
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{:.*}", decimals, x);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// The shortest `%g` that reads back as the same value (gnulib's `ftoastr`).
fn float_str(x: f64, single: bool) -> String {
    let max = if single { 9 } else { 17 };
    let tiny = if single {
        x.abs() < f64::from(f32::MIN_POSITIVE)
    } else {
        x.abs() < f64::MIN_POSITIVE
    };
    let first = if tiny {
        1
    } else if single {
        6
    } else {
        15
    };
    for p in first..=max {
        let s = fmt_g(x, p);
        let back = if single {
            s.parse::<f32>().map(f64::from).ok()
        } else {
            s.parse::<f64>().ok()
        };
        if back.is_some_and(|b| b == x || (b.is_nan() && x.is_nan())) {
            return s;
        }
    }
    fmt_g(x, max)
}

fn field(spec: &Spec, bytes: &[u8], big: bool) -> String {
    let mut v: u64 = 0;
    if big {
        for &b in bytes {
            v = (v << 8) | u64::from(b);
        }
    } else {
        for &b in bytes.iter().rev() {
            v = (v << 8) | u64::from(b);
        }
    }
    let w = spec.width - 1;
    match spec.kind {
        Kind::Named => {
            let c = bytes[0] & 0x7f;
            if c == 0x7f {
                "del".into()
            } else if c <= 0x20 {
                NAMES[usize::from(c)].into()
            } else {
                (c as char).to_string()
            }
        }
        Kind::Char => {
            let c = bytes[0];
            match c {
                0 => "\\0".into(),
                7 => "\\a".into(),
                8 => "\\b".into(),
                12 => "\\f".into(),
                b'\n' => "\\n".into(),
                b'\r' => "\\r".into(),
                b'\t' => "\\t".into(),
                11 => "\\v".into(),
                0x20..=0x7e => (c as char).to_string(),
                _ => format!("{c:03o}"),
            }
        }
        Kind::Unsigned => v.to_string(),
        Kind::Signed => {
            let bits = spec.size * 8;
            let s = if bits == 64 {
                v as i64
            } else {
                let shift = 64 - bits;
                ((v << shift) as i64) >> shift
            };
            s.to_string()
        }
        Kind::Octal => format!("{v:0w$o}"),
        Kind::Hex => format!("{v:0w$x}"),
        Kind::Float => {
            if spec.size == 4 {
                float_str(f64::from(f32::from_bits(v as u32)), true)
            } else {
                float_str(f64::from_bits(v), false)
            }
        }
    }
}

fn address(radix: u8, n: u64) -> String {
    match radix {
        b'o' => format!("{n:07o}"),
        b'd' => format!("{n:07}"),
        b'x' => format!("{n:06x}"),
        _ => String::new(),
    }
}

impl Command for Od {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `-w` takes an optional attached value; give it one when bare.
        let mut argv: Vec<String> = Vec::new();
        let mut only_ops = false;
        for a in &ctx.args[1..] {
            if !only_ops && a == "--" {
                only_ops = true;
            }
            if !only_ops && a.starts_with('-') && !a.starts_with("--") && a.ends_with('w') {
                let flags = &a[1..a.len() - 1];
                if flags.chars().all(|c| "abcdfilosxv".contains(c)) {
                    argv.push(format!("{a}32"));
                    continue;
                }
            }
            if !only_ops && a == "--width" {
                argv.push("--width=32".into());
                continue;
            }
            argv.push(a.clone());
        }
        let parsed = match parse_args(
            &argv,
            "AjNtwS",
            "abcdfilosxv",
            &[
                "address-radix=",
                "skip-bytes=",
                "read-bytes=",
                "format=",
                "output-duplicates",
                "width=",
                "strings=",
                "endian=",
                "traditional",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut radix = b'o';
        let mut skip: u64 = 0;
        let mut limit: Option<u64> = None;
        let mut specs: Vec<Spec> = Vec::new();
        let mut dup = false;
        let mut width: Option<(usize, String)> = None;
        let mut big = false;
        let mut strings: Option<u64> = None;
        let mut files: Vec<String> = Vec::new();
        let trad = |c: char| match c {
            'a' => "a",
            'b' => "o1",
            'c' => "c",
            'd' => "u2",
            'f' => "fF",
            'i' => "dI",
            'l' => "dL",
            'o' => "o2",
            's' => "d2",
            _ => "x2",
        };
        for a in parsed {
            let (name, val) = match a {
                Arg::Operand(o) => {
                    files.push(o);
                    continue;
                }
                Arg::Short(c, v) => (
                    match c {
                        'A' => "address-radix",
                        'j' => "skip-bytes",
                        'N' => "read-bytes",
                        't' => "format",
                        'w' => "width",
                        'S' => "strings",
                        'v' => "output-duplicates",
                        _ => {
                            let _ = parse_type(trad(c), &mut specs);
                            continue;
                        }
                    }
                    .to_string(),
                    v,
                ),
                Arg::Long(l, v) => (l, v),
            };
            let val = val.unwrap_or_default();
            match name.as_str() {
                "help" => return print_text(ctx, HELP),
                "version" => return version(ctx, "od", "Written by Jim Meyering."),
                "address-radix" => {
                    if val.len() != 1 || !"doxn".contains(val.as_str()) {
                        ctx.err(&format!(
                            "invalid output address radix {}; it must be one character from [doxn]",
                            quote(&val)
                        ));
                        return 1;
                    }
                    radix = val.as_bytes()[0];
                }
                "skip-bytes" | "read-bytes" | "strings" => match parse_count(&val) {
                    Some(n) => match name.as_str() {
                        "skip-bytes" => skip = n,
                        "read-bytes" => limit = Some(n),
                        _ => strings = Some(n),
                    },
                    None => {
                        let opt = match name.as_str() {
                            "skip-bytes" => "-j",
                            "read-bytes" => "-N",
                            _ => "-S",
                        };
                        ctx.err(&format!("invalid {opt} argument {}", quote(&val)));
                        return 1;
                    }
                },
                "format" => {
                    if let Err(m) = parse_type(&val, &mut specs) {
                        ctx.err(&m);
                        return 1;
                    }
                }
                "output-duplicates" => dup = true,
                "width" => width = Some((0, val)),
                "endian" => match val.as_str() {
                    "big" => big = true,
                    "little" => big = false,
                    _ => {
                        ctx.err(&format!("invalid argument {} for '--endian'", quote(&val)));
                        let _ = ctx
                            .stderr
                            .write_all(b"Valid arguments are:\n  - 'little'\n  - 'big'\n");
                        let _ = ctx
                            .stderr
                            .write_all(b"Try 'od --help' for more information.\n");
                        return 1;
                    }
                },
                _ => {}
            }
        }
        if specs.is_empty() {
            let _ = parse_type("o2", &mut specs);
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let lcm = specs.iter().fold(1usize, |l, s| {
            let (mut a, mut b) = (l, s.size);
            while b != 0 {
                (a, b) = (b, a % b);
            }
            l / a * s.size
        });
        let per_line = match width {
            None => 16usize.max(lcm),
            Some((_, v)) => {
                let n: Option<usize> = v.parse().ok();
                match n {
                    Some(n) if n > 0 && n % lcm == 0 => n,
                    Some(n) => {
                        ctx.err(&format!("warning: invalid width {n}; using {lcm} instead"));
                        lcm
                    }
                    None => {
                        ctx.err(&format!("invalid -w argument {}", quote(&v)));
                        return 1;
                    }
                }
            }
        };
        let mut input = Input {
            ctx,
            files,
            next: 0,
            cur: None,
            status: 0,
            opened: false,
        };
        // Skip.
        let mut left = skip;
        while left > 0 {
            let chunk = left.min(64 * 1024) as usize;
            let got = match input.read(chunk) {
                Ok(g) => g,
                Err(st) => return st,
            };
            left -= got.len() as u64;
            if got.len() < chunk {
                break;
            }
        }
        if left > 0 {
            ctx.err("cannot skip past end of combined input");
            return 1;
        }
        let mut out = Out::new(ctx);
        if let Some(min) = strings {
            return match dump_strings(&mut input, &mut out, radix, skip, limit, min) {
                Ok(()) => match out.flush() {
                    Ok(()) => input.status,
                    Err(s) => stopped(s),
                },
                Err(st) => st,
            };
        }
        let width_per_block = specs
            .iter()
            .map(|s| s.width * (per_line / s.size))
            .max()
            .unwrap_or(0);
        let mut offset = skip;
        let mut prev: Option<Vec<u8>> = None;
        let mut starred = false;
        let mut remaining = limit;
        loop {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            let want = remaining.map_or(per_line, |r| r.min(per_line as u64) as usize);
            if want == 0 {
                break;
            }
            let block = match input.read(want) {
                Ok(b) => b,
                Err(st) => return st,
            };
            if block.is_empty() {
                break;
            }
            if let Some(r) = &mut remaining {
                *r -= block.len() as u64;
            }
            if !dup && block.len() == per_line && prev.as_deref() == Some(&block[..]) {
                if !starred {
                    if let Err(s) = out.put(b"*\n") {
                        return stopped(s);
                    }
                    starred = true;
                }
                offset += block.len() as u64;
                continue;
            }
            starred = false;
            let mut text = String::new();
            for (k, spec) in specs.iter().enumerate() {
                if k == 0 {
                    text.push_str(&address(radix, offset));
                } else {
                    text.push_str(&" ".repeat(address(radix, offset).len()));
                }
                let fields = per_line / spec.size;
                let present = block.len().div_ceil(spec.size);
                let blank = fields - present;
                let pad = width_per_block - spec.width * fields;
                let mut pad_remaining = pad;
                for i in (1..=fields).rev() {
                    let next_pad = pad * (i - 1) / fields;
                    let adj = pad_remaining - next_pad + spec.width;
                    pad_remaining = next_pad;
                    if i <= blank {
                        if spec.z {
                            text.push_str(&" ".repeat(adj));
                        }
                        continue;
                    }
                    let idx = fields - i;
                    let start = idx * spec.size;
                    let mut bytes = vec![0u8; spec.size];
                    let end = (start + spec.size).min(block.len());
                    bytes[..end - start].copy_from_slice(&block[start..end]);
                    let f = field(spec, &bytes, big);
                    text.push_str(&format!("{f:>adj$}"));
                }
                if spec.z {
                    text.push_str("  >");
                    for &c in &block {
                        text.push(if (0x20..0x7f).contains(&c) {
                            c as char
                        } else {
                            '.'
                        });
                    }
                    text.push('<');
                }
                text.push('\n');
            }
            if let Err(s) = out.put(text.as_bytes()) {
                return stopped(s);
            }
            offset += block.len() as u64;
            prev = Some(block);
        }
        if radix != b'n' && input.opened {
            let line = format!("{}\n", address(radix, offset));
            if let Err(s) = out.put(line.as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        input.status
    }
}

/// `od -S N`: print runs of at least `min` printable bytes ended by a NUL (or the end).
fn dump_strings(
    input: &mut Input<'_, '_>,
    out: &mut Out<'_, '_>,
    radix: u8,
    skip: u64,
    limit: Option<u64>,
    min: u64,
) -> Result<(), i32> {
    let mut data = Vec::new();
    loop {
        let want = limit.map_or(65536, |l| (l - data.len() as u64).min(65536) as usize);
        if want == 0 {
            break;
        }
        let b = input.read(want)?;
        if b.is_empty() {
            break;
        }
        data.extend_from_slice(&b);
    }
    let mut i = 0;
    while i < data.len() {
        let start = i;
        // isprint in the C locale: a tab or newline ends a string too.
        while i < data.len() && (0x20..=0x7e).contains(&data[i]) {
            i += 1;
        }
        let run = i - start;
        // A string must end in a NUL, or run up to the -N limit; one cut off by the end
        // of the input is not printed.
        let terminated = i < data.len() && data[i] == 0;
        let at_limit = limit.is_some_and(|l| i as u64 == l);
        if run as u64 >= min && run > 0 && (terminated || at_limit) {
            let mut line = String::new();
            if radix != b'n' {
                line.push_str(&address(radix, skip + start as u64));
                line.push(' ');
            }
            for &c in &data[start..i] {
                match c {
                    7 => line.push_str("\\a"),
                    8 => line.push_str("\\b"),
                    12 => line.push_str("\\f"),
                    b'\n' => line.push_str("\\n"),
                    b'\r' => line.push_str("\\r"),
                    b'\t' => line.push_str("\\t"),
                    11 => line.push_str("\\v"),
                    _ => line.push(c as char),
                }
            }
            line.push('\n');
            out.put(line.as_bytes()).map_err(stopped)?;
        }
        i += 1;
    }
    Ok(())
}

const HELP: &str = r#"Usage: od [OPTION]... [FILE]...
  or:  od [-abcdfilosx]... [FILE] [[+]OFFSET[.][b]]
  or:  od --traditional [OPTION]... [FILE] [[+]OFFSET[.][b] [+][LABEL][.][b]]

Write an unambiguous representation, octal bytes by default,
of FILE to standard output.  With more than one FILE argument,
concatenate them in the listed order to form the input.

With no FILE, or when FILE is -, read standard input.

If first and second call formats both apply, the second format is assumed
if the last operand begins with + or (if there are 2 operands) a digit.
An OFFSET operand means -j OFFSET.  LABEL is the pseudo-address
at first byte printed, incremented when dump is progressing.
For OFFSET and LABEL, a 0x or 0X prefix indicates hexadecimal;
suffixes may be . for octal and b for multiply by 512.

Mandatory arguments to long options are mandatory for short options too.
  -A, --address-radix=RADIX   output format for file offsets; RADIX is one
                                of [doxn], for Decimal, Octal, Hex or None
      --endian={big|little}   swap input bytes according the specified order
  -j, --skip-bytes=BYTES      skip BYTES input bytes first
  -N, --read-bytes=BYTES      limit dump to BYTES input bytes
  -S BYTES, --strings[=BYTES]  output strings of at least BYTES graphic chars;
                                3 is implied when BYTES is not specified
  -t, --format=TYPE           select output format or formats
  -v, --output-duplicates     do not use * to mark line suppression
  -w[BYTES], --width[=BYTES]  output BYTES bytes per output line;
                                32 is implied when BYTES is not specified
      --traditional           accept arguments in third form above
      --help        display this help and exit
      --version     output version information and exit


Traditional format specifications may be intermixed; they accumulate:
  -a   same as -t a,  select named characters, ignoring high-order bit
  -b   same as -t o1, select octal bytes
  -c   same as -t c,  select printable characters or backslash escapes
  -d   same as -t u2, select unsigned decimal 2-byte units
  -f   same as -t fF, select floats
  -i   same as -t dI, select decimal ints
  -l   same as -t dL, select decimal longs
  -o   same as -t o2, select octal 2-byte units
  -s   same as -t d2, select decimal 2-byte units
  -x   same as -t x2, select hexadecimal 2-byte units


TYPE is made up of one or more of these specifications:
  a          named character, ignoring high-order bit
  c          printable character or backslash escape
  d[SIZE]    signed decimal, SIZE bytes per integer
  f[SIZE]    floating point, SIZE bytes per float
  o[SIZE]    octal, SIZE bytes per integer
  u[SIZE]    unsigned decimal, SIZE bytes per integer
  x[SIZE]    hexadecimal, SIZE bytes per integer

SIZE is a number.  For TYPE in [doux], SIZE may also be C for
sizeof(char), S for sizeof(short), I for sizeof(int) or L for
sizeof(long).  If TYPE is f, SIZE may also be F for sizeof(float), D
for sizeof(double) or L for sizeof(long double).

Adding a z suffix to any type displays printable characters at the end of
each output line.


BYTES is hex with 0x or 0X prefix, and may have a multiplier suffix:
  b    512
  KB   1000
  K    1024
  MB   1000*1000
  M    1024*1024
and so on for G, T, P, E, Z, Y.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/od>
or available locally via: info '(coreutils) od invocation'
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    #[test]
    fn formats() {
        let (o, _, _) = run(&Od, &["od", "-t", "x1", "-t", "c"], b"hello\n");
        assert_eq!(
            o,
            "0000000  68  65  6c  6c  6f  0a\n          h   e   l   l   o  \\n\n0000006\n"
        );
        let (o, _, _) = run(&Od, &["od", "-c"], &[b'a'; 51]);
        assert!(o.contains("\n*\n0000060   a   a   a\n0000063\n"));
        assert_eq!(
            float_str(f64::from(f32::from_bits(0x0063_6261)), true),
            "9.127006e-39"
        );
        assert_eq!(float_str(10.0, false), "10");
        assert_eq!(float_str(0.0078125, false), "0.0078125");
    }
}

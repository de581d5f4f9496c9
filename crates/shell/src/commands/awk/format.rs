//! `printf`/`sprintf` formatting as gawk does it (C printf semantics on doubles), and the
//! `%e %f %g` bodies shared with number-to-string conversion.

use super::value::{Value, nan_inf, to_bytes_ref};

/// Largest width or precision honoured (keeps `%999999999d` from exhausting memory).
const MAX_WIDTH: usize = 1 << 20;

/// Append `v` formatted like C's `%.{prec}e` (or `%E`).
pub fn fmt_e(v: f64, prec: usize, upper: bool, out: &mut Vec<u8>) {
    let s = format!("{:.*e}", prec, v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    out.extend_from_slice(mant.as_bytes());
    out.push(if upper { b'E' } else { b'e' });
    let e: i32 = exp.parse().unwrap_or(0);
    out.push(if e < 0 { b'-' } else { b'+' });
    let ea = e.unsigned_abs();
    if ea < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(ea.to_string().as_bytes());
}

/// Append `v` like C's `%.{prec}f` (magnitude only).
pub fn fmt_f(v: f64, prec: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("{:.*}", prec, v.abs()).as_bytes());
}

/// Append `v` like C's `%.{prec}g` (sign included when `v` is negative).
pub fn fmt_g(v: f64, prec: usize, alt: bool, upper: bool, out: &mut Vec<u8>) {
    if v.is_sign_negative() && v != 0.0 {
        out.push(b'-');
    }
    fmt_g_abs(v.abs(), prec, alt, upper, out);
}

fn fmt_g_abs(v: f64, prec: usize, alt: bool, upper: bool, out: &mut Vec<u8>) {
    let p = if prec == 0 { 1 } else { prec };
    // The exponent after rounding to p significant digits.
    let s = format!("{:.*e}", p - 1, v);
    let x: i64 = s
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let start = out.len();
    let use_e = x < -4 || x >= p as i64;
    if use_e {
        fmt_e(v, p - 1, upper, out);
    } else {
        fmt_f(v, (p as i64 - 1 - x).max(0) as usize, out);
    }
    if !alt {
        // Strip trailing zeros of the fraction (and the point).
        let body_end = if use_e {
            out[start..]
                .iter()
                .position(|&c| c == b'e' || c == b'E')
                .map_or(out.len(), |i| start + i)
        } else {
            out.len()
        };
        if out[start..body_end].contains(&b'.') {
            let mut cut = body_end;
            while cut > start && out[cut - 1] == b'0' {
                cut -= 1;
            }
            if cut > start && out[cut - 1] == b'.' {
                cut -= 1;
            }
            let tail: Vec<u8> = out[body_end..].to_vec();
            out.truncate(cut);
            out.extend_from_slice(&tail);
        }
    } else if !out[start..].contains(&b'.') {
        let epos = out[start..]
            .iter()
            .position(|&c| c == b'e' || c == b'E')
            .map(|i| start + i);
        match epos {
            Some(i) => out.insert(i, b'.'),
            None => out.push(b'.'),
        }
    }
}

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

fn pad(out: &mut Vec<u8>, sign: &[u8], body: &[u8], spec: &Spec, zero_ok: bool) {
    let len = sign.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.left {
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero && zero_ok {
        out.extend_from_slice(sign);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
    }
}

fn sign_of(neg: bool, spec: &Spec) -> &'static [u8] {
    if neg {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    }
}

/// Decimal digits of the integral part of `v` (magnitude).
fn int_digits(v: f64) -> Vec<u8> {
    let t = v.abs().trunc();
    if t < 1.8e19 {
        (t as u64).to_string().into_bytes()
    } else {
        format!("{t:.0}").into_bytes()
    }
}

/// gawk prints infinities and NaNs in numeric conversions as `+inf`, `-nan` ... (upper
/// case for `%E %F %G %X`), ignoring the width, precision and flags.
fn put_nan_inf(out: &mut Vec<u8>, v: f64, conv: u8) {
    let s = nan_inf(v);
    if conv.is_ascii_uppercase() {
        out.extend_from_slice(s.to_ascii_uppercase().as_bytes());
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

fn format_int(out: &mut Vec<u8>, v: f64, conv: u8, spec: &Spec) {
    if !v.is_finite() {
        put_nan_inf(out, v, conv);
        return;
    }
    let (neg, mut digits) = match conv {
        b'd' | b'i' => (v < 0.0 && v.trunc() != 0.0, int_digits(v)),
        _ => {
            let t = v.trunc();
            let u: u64 = if t < 0.0 {
                (t.max(-9.2e18) as i64) as u64
            } else if t >= 1.8e19 {
                u64::MAX
            } else {
                t as u64
            };
            let s = match conv {
                b'o' => format!("{u:o}"),
                b'x' => format!("{u:x}"),
                b'X' => format!("{u:X}"),
                _ => u.to_string(),
            };
            (false, s.into_bytes())
        }
    };
    if let Some(p) = spec.prec {
        let p = p.min(MAX_WIDTH);
        if p == 0 && digits == b"0" {
            digits.clear();
        }
        if digits.len() < p {
            let mut d = vec![b'0'; p - digits.len()];
            d.extend_from_slice(&digits);
            digits = d;
        }
    }
    let mut prefix: Vec<u8> = sign_of(neg, spec).to_vec();
    if conv == b'd' || conv == b'i' {
    } else {
        prefix.clear();
    }
    if spec.alt && !digits.is_empty() && digits.iter().any(|&c| c != b'0') {
        match conv {
            b'o' if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            b'x' => prefix.extend_from_slice(b"0x"),
            b'X' => prefix.extend_from_slice(b"0X"),
            _ => {}
        }
    }
    pad(out, &prefix, &digits, spec, spec.prec.is_none());
}

fn format_float(out: &mut Vec<u8>, v: f64, conv: u8, spec: &Spec) {
    if !v.is_finite() {
        put_nan_inf(out, v, conv);
        return;
    }
    let neg = v.is_sign_negative() && !v.is_nan();
    let sign = sign_of(neg, spec);
    let prec = spec.prec.unwrap_or(6).min(MAX_WIDTH);
    let mut body = Vec::new();
    match conv {
        b'e' | b'E' => fmt_e(v, prec, conv == b'E', &mut body),
        b'f' | b'F' => fmt_f(v, prec, &mut body),
        _ => fmt_g_abs(v.abs(), prec, spec.alt, conv == b'G', &mut body),
    }
    if spec.alt && prec == 0 && matches!(conv, b'e' | b'E' | b'f' | b'F') {
        match body.iter().position(|&c| c == b'e' || c == b'E') {
            Some(i) => body.insert(i, b'.'),
            None => body.push(b'.'),
        }
    }
    pad(out, sign, &body, spec, true);
}

/// gawk's `sprintf(fmt, args...)`. Numbers given to `%s` convert through `convfmt`.
/// Too few arguments is gawk's fatal error (the message comes back).
pub fn sprintf(fmt: &[u8], args: &[Value], convfmt: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut ai = 0;
    let mut i = 0;
    let mut tmp = Vec::new();
    let next_arg = |ai: &mut usize| -> Option<&Value> {
        let a = args.get(*ai);
        *ai += 1;
        a
    };
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            let j = fmt[i..]
                .iter()
                .position(|&b| b == b'%')
                .map_or(fmt.len(), |k| i + k);
            out.extend_from_slice(&fmt[i..j]);
            i = j;
            continue;
        }
        let start = i;
        i += 1;
        let mut spec = Spec::default();
        while i < fmt.len() {
            match fmt[i] {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if i < fmt.len() && fmt[i] == b'*' {
            i += 1;
            let w = next_arg(&mut ai).map_or(0.0, Value::num);
            if w < 0.0 {
                spec.left = true;
            }
            spec.width = (w.abs() as usize).min(MAX_WIDTH);
        } else {
            let mut w = 0usize;
            while i < fmt.len() && fmt[i].is_ascii_digit() {
                w = w
                    .saturating_mul(10)
                    .saturating_add(usize::from(fmt[i] - b'0'));
                i += 1;
            }
            spec.width = w.min(MAX_WIDTH);
        }
        if i < fmt.len() && fmt[i] == b'.' {
            i += 1;
            if i < fmt.len() && fmt[i] == b'*' {
                i += 1;
                let p = next_arg(&mut ai).map_or(0.0, Value::num);
                spec.prec = if p < 0.0 {
                    None
                } else {
                    Some((p as usize).min(MAX_WIDTH))
                };
            } else {
                let mut p = 0usize;
                while i < fmt.len() && fmt[i].is_ascii_digit() {
                    p = p
                        .saturating_mul(10)
                        .saturating_add(usize::from(fmt[i] - b'0'));
                    i += 1;
                }
                spec.prec = Some(p.min(MAX_WIDTH));
            }
        }
        while i < fmt.len() && matches!(fmt[i], b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't') {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(&fmt[start..]);
            break;
        };
        i += 1;
        if conv != b'%' && ai >= args.len() && b"diouxXeEfFgGcs".contains(&conv) {
            return Err(format!(
                "not enough arguments to satisfy format string\n\t`{}'\n\t{}^ ran out for this one",
                String::from_utf8_lossy(fmt),
                " ".repeat(i - 1)
            ));
        }
        match conv {
            b'%' => out.push(b'%'),
            b'd' | b'i' | b'o' | b'x' | b'X' | b'u' => {
                let v = next_arg(&mut ai).map_or(0.0, Value::num);
                format_int(&mut out, v, conv, &spec);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let v = next_arg(&mut ai).map_or(0.0, Value::num);
                format_float(&mut out, v, conv, &spec);
            }
            b'c' => {
                let a = next_arg(&mut ai).cloned().unwrap_or_default();
                let code = match &a {
                    Value::Num(n) => Some(*n),
                    Value::StrNum(s) => super::value::looks_numeric(s),
                    _ => None,
                };
                let byte: Vec<u8> = match (&a, code) {
                    (_, Some(n)) => vec![(n as i64 as u64 & 0xff) as u8],
                    // gawk prints exactly one byte: the first one, or the string's
                    // terminating NUL when it is empty (an uninitialized value is 0).
                    (Value::Str(s) | Value::StrNum(s), None) => {
                        vec![s.first().copied().unwrap_or(0)]
                    }
                    _ => vec![0],
                };
                let sp = Spec {
                    zero: false,
                    ..spec
                };
                pad(&mut out, b"", &byte, &sp, false);
            }
            b's' => {
                let a = next_arg(&mut ai).cloned().unwrap_or_default();
                let s = to_bytes_ref(&a, convfmt, &mut tmp);
                let s = match spec.prec {
                    Some(p) if p < s.len() => &s[..p],
                    _ => s,
                };
                let sp = Spec {
                    zero: false,
                    ..spec
                };
                pad(&mut out, b"", s, &sp, false);
            }
            _ => {
                // Not a conversion: gawk copies the text through.
                out.extend_from_slice(&fmt[start..i]);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn f(fmt: &str, args: &[Value]) -> String {
        match sprintf(fmt.as_bytes(), args, b"%.6g") {
            Ok(v) => String::from_utf8_lossy(&v).into_owned(),
            Err(e) => e,
        }
    }

    #[test]
    fn c_like() {
        let n = |x: f64| Value::Num(x);
        assert_eq!(
            f("%5.2f|%-6d|%05d", &[n(1.23456), n(42.0), n(-42.0)]),
            " 1.23|42    |-0042"
        );
        assert_eq!(
            f("%e %E", &[n(12345.678), n(0.0)]),
            "1.234568e+04 0.000000E+00"
        );
        assert_eq!(
            f("%g %g %g %G", &[n(100000.0), n(1e6), n(0.0001), n(1e-5)]),
            "100000 1e+06 0.0001 1E-05"
        );
        assert_eq!(
            f("%#g %#x %#o", &[n(1.0), n(255.0), n(8.0)]),
            "1.00000 0xff 010"
        );
        assert_eq!(
            f("%x %X %o %u", &[n(-1.0), n(255.0), n(8.0), n(3.9)]),
            "ffffffffffffffff FF 10 3"
        );
        assert_eq!(
            f("%c%c", &[n(65.0), Value::Str(Rc::from(&b"hi"[..]))]),
            "Ah"
        );
        assert_eq!(
            f("%*d|%.*f|%%", &[n(4.0), n(7.0), n(2.0), n(1.0)]),
            "   7|1.00|%"
        );
        assert_eq!(
            f(
                "%.3s|%5s|%-5s|",
                &[Value::str(b"abcdef"), Value::str(b"ab"), Value::str(b"ab")]
            ),
            "abc|   ab|ab   |"
        );
        assert_eq!(
            f("%+d % d %.3d %.0d", &[n(5.0), n(5.0), n(5.0), n(0.0)]),
            "+5  5 005 "
        );
        assert_eq!(f("%d", &[n(1e20)]), "100000000000000000000");
        assert_eq!(
            f("%d|%d", &[n(1.0)]),
            "not enough arguments to satisfy format string\n\t`%d|%d'\n\t    ^ ran out for this one"
        );
    }
}

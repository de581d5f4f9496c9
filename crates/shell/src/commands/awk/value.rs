//! awk values: numbers, strings and "strnums" (input that may look numeric), with
//! gawk's conversions between them.

use std::rc::Rc;

/// One awk value.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Never assigned: "" and 0 at once.
    #[default]
    Uninit,
    /// A number.
    Num(f64),
    /// A string constant or the result of a string operation.
    Str(Rc<[u8]>),
    /// Input data (fields, getline, ARGV, ENVIRON, -v): numeric when it looks numeric.
    StrNum(Rc<[u8]>),
}

impl Value {
    /// A string value.
    pub fn str(s: &[u8]) -> Value {
        Value::Str(Rc::from(s))
    }

    /// An input-data value.
    pub fn strnum(s: &[u8]) -> Value {
        Value::StrNum(Rc::from(s))
    }

    /// The numeric value.
    pub fn num(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => str_to_num(s),
        }
    }

    /// The truth value: numbers (and numeric-looking input) by value, strings by length.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The length of the longest prefix of `s` that strtod reads as a decimal number (after
/// leading blanks), and its value. gawk's `+inf`/`-nan` spellings are accepted.
pub fn scan_number(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    let start = i;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        i += 1;
    }
    // gawk accepts only signed inf/nan.
    if i > start && s.len() >= i + 3 {
        let w = &s[i..i + 3];
        let neg = s[start] == b'-';
        if w.eq_ignore_ascii_case(b"inf") {
            let mut e = i + 3;
            if s.len() >= i + 8 && s[i..i + 8].eq_ignore_ascii_case(b"infinity") {
                e = i + 8;
            }
            return (
                if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                },
                e,
            );
        }
        if w.eq_ignore_ascii_case(b"nan") {
            return (if neg { -f64::NAN } else { f64::NAN }, i + 3);
        }
    }
    let ds = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - ds;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let fs = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - fs;
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if j < s.len() && s[j].is_ascii_digit() {
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let text = &s[start..i];
    // Fast path for plain integers.
    if text.len() < 16 && text.iter().all(u8::is_ascii_digit) {
        let mut v: u64 = 0;
        for &c in text {
            v = v * 10 + u64::from(c - b'0');
        }
        return (v as f64, i);
    }
    let v = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0);
    (v, i)
}

/// awk's string-to-number conversion (the leading numeric prefix, else 0).
pub fn str_to_num(s: &[u8]) -> f64 {
    scan_number(s).0
}

/// The number `s` holds when the whole of it (blanks around allowed) is a number.
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let (v, n) = scan_number(s);
    if n == 0 {
        return None;
    }
    if s[n..].iter().all(|&c| is_blank(c)) {
        Some(v)
    } else {
        None
    }
}

/// gawk's text for a non-finite number.
pub fn nan_inf(n: f64) -> &'static str {
    if n.is_nan() {
        if n.is_sign_negative() { "-nan" } else { "+nan" }
    } else if n > 0.0 {
        "+inf"
    } else {
        "-inf"
    }
}

/// Append the text of `n` as gawk converts it to a string: integral values as integers,
/// others through `fmt` (CONVFMT or OFMT).
pub fn num_to_bytes(n: f64, fmt: &[u8], out: &mut Vec<u8>) {
    if !n.is_finite() {
        out.extend_from_slice(nan_inf(n).as_bytes());
        return;
    }
    if n == n.trunc() {
        if n.abs() < 9.2e18 {
            let i = n as i64;
            push_int(i, out);
        } else {
            out.extend_from_slice(format!("{n:.0}").as_bytes());
        }
        return;
    }
    if fmt == b"%.6g" {
        super::format::fmt_g(n, 6, false, false, out);
        return;
    }
    let v = [Value::Num(n)];
    if let Ok(s) = super::format::sprintf(fmt, &v, b"%.6g") {
        out.extend_from_slice(&s);
    }
}

/// Append the decimal text of `i`.
pub fn push_int(i: i64, out: &mut Vec<u8>) {
    if i < 0 {
        out.push(b'-');
    }
    let mut buf = [0u8; 20];
    out.extend_from_slice(crate::commands::util::decimal(i.unsigned_abs(), &mut buf));
}

/// How two values compare (gawk's rules): numerically when both are numbers or
/// numeric-looking input, else as strings.
pub fn compare(a: &Value, b: &Value, convfmt: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let an = numeric_of(a);
    let bn = numeric_of(b);
    if let (Some(x), Some(y)) = (an, bn) {
        return x.partial_cmp(&y).unwrap_or_else(|| {
            // NaN: gawk orders it after everything.
            if x.is_nan() && y.is_nan() {
                Ordering::Equal
            } else if x.is_nan() {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        });
    }
    let mut sa = Vec::new();
    let mut sb = Vec::new();
    let ra = to_bytes_ref(a, convfmt, &mut sa);
    let rb = to_bytes_ref(b, convfmt, &mut sb);
    ra.cmp(rb)
}

fn numeric_of(v: &Value) -> Option<f64> {
    match v {
        Value::Uninit => Some(0.0),
        Value::Num(n) => Some(*n),
        Value::Str(_) => None,
        Value::StrNum(s) => looks_numeric(s),
    }
}

/// The string form of `v`, borrowing when it is already a string.
pub fn to_bytes_ref<'a>(v: &'a Value, convfmt: &[u8], tmp: &'a mut Vec<u8>) -> &'a [u8] {
    match v {
        Value::Uninit => b"",
        Value::Str(s) | Value::StrNum(s) => s,
        Value::Num(n) => {
            tmp.clear();
            num_to_bytes(*n, convfmt, tmp);
            tmp
        }
    }
}

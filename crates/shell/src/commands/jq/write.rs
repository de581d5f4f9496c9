//! jq 1.7's output format: pretty printing with 2-space (or N-space, or tab) indent,
//! compact output, sorted keys, `-a` ASCII escapes, and jq's number formatting
//! (integers without `.0`, doubles in shortest round-trip form with jq's exponent
//! rules, number literals as jq 1.7 preserves them, infinities as +/-DBL_MAX, NaN as
//! `null`).

use jaq_json::{Num, Val};

/// How values are written.
#[derive(Clone, Debug)]
pub struct Style {
    /// `None` for compact output, else the indent unit (`"  "`, `"\t"`, ...).
    pub indent: Option<String>,
    /// `-S`: sort object keys.
    pub sort_keys: bool,
    /// `-a`: escape non-ASCII characters.
    pub ascii: bool,
}

impl Style {
    /// Compact, as `tojson` writes.
    pub fn compact() -> Self {
        Style {
            indent: None,
            sort_keys: false,
            ascii: false,
        }
    }
}

/// Append `v` to `out` in `style`.
pub fn write_val(out: &mut Vec<u8>, v: &Val, style: &Style) {
    write_at(out, v, style, 0);
}

fn newline_indent(out: &mut Vec<u8>, unit: &str, level: usize) {
    out.push(b'\n');
    for _ in 0..level {
        out.extend_from_slice(unit.as_bytes());
    }
}

fn write_at(out: &mut Vec<u8>, v: &Val, style: &Style, level: usize) {
    match v {
        Val::Null => out.extend_from_slice(b"null"),
        Val::Bool(true) => out.extend_from_slice(b"true"),
        Val::Bool(false) => out.extend_from_slice(b"false"),
        Val::Num(n) => write_num(out, n),
        Val::TStr(s) | Val::BStr(s) => write_str(out, s, style.ascii),
        Val::Arr(a) => {
            if a.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if let Some(unit) = &style.indent {
                    newline_indent(out, unit, level + 1);
                }
                write_at(out, x, style, level + 1);
            }
            if let Some(unit) = &style.indent {
                newline_indent(out, unit, level);
            }
            out.push(b']');
        }
        Val::Obj(o) => {
            if o.is_empty() {
                out.extend_from_slice(b"{}");
                return;
            }
            out.push(b'{');
            let mut entries: Vec<(&Val, &Val)> = o.iter().collect();
            if style.sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if let Some(unit) = &style.indent {
                    newline_indent(out, unit, level + 1);
                }
                match k {
                    Val::TStr(s) | Val::BStr(s) => write_str(out, s, style.ascii),
                    other => {
                        let mut tmp = Vec::new();
                        write_at(&mut tmp, other, &Style::compact(), 0);
                        write_str(out, &tmp, style.ascii);
                    }
                }
                out.push(b':');
                if style.indent.is_some() {
                    out.push(b' ');
                }
                write_at(out, x, style, level + 1);
            }
            if let Some(unit) = &style.indent {
                newline_indent(out, unit, level);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string, escaped like jq (control characters and DEL as `\u001f`); invalid
/// UTF-8 becomes U+FFFD as in jq.
pub fn write_str(out: &mut Vec<u8>, s: &[u8], ascii: bool) {
    out.push(b'"');
    let text = String::from_utf8_lossy(s);
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\t' => Some(b"\\t"),
            b'\r' => Some(b"\\r"),
            8 => Some(b"\\b"),
            12 => Some(b"\\f"),
            _ => None,
        };
        if let Some(e) = esc {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(e);
            start = i + 1;
        } else if b < 0x20 || b == 0x7f {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
            start = i + 1;
        } else if ascii && b >= 0x80 {
            out.extend_from_slice(&bytes[start..i]);
            start = i + 1;
            // Only at the first byte of a character: escape the whole character.
            if b >= 0xC0 {
                let ch = text[i..].chars().next().unwrap_or('\u{FFFD}');
                let mut units = [0u16; 2];
                for u in ch.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{u:04x}").as_bytes());
                }
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A number as jq 1.7 prints it.
pub fn write_num(out: &mut Vec<u8>, n: &Num) {
    match n {
        Num::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Num::BigInt(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Num::Float(_) | Num::Dec(_) => out.extend_from_slice(n.to_string().as_bytes()),
    }
}

/// A double as jq prints it (the patched jaq-json formats numbers like jq).
#[cfg(test)]
pub fn fmt_double(f: f64) -> String {
    Num::Float(f).to_string()
}

/// A number literal as jq 1.7 keeps it (`1.000` stays `1.000`, `1e2` is `1E+2`).
#[cfg(test)]
pub fn fmt_literal(lit: &str) -> String {
    Num::Dec(jaq_json::Rc::new(lit.to_string())).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_like_jq() {
        assert_eq!(fmt_double(1e17), "1e+17");
        assert_eq!(fmt_double(1e15), "1000000000000000");
        assert_eq!(fmt_double(1.23e16), "12300000000000000");
        assert_eq!(fmt_double(1e-5), "1e-05");
        assert_eq!(fmt_double(0.0001), "0.0001");
        assert_eq!(fmt_double(0.00001234), "1.234e-05");
        assert_eq!(fmt_double(1.5e300), "1.5e+300");
        assert_eq!(fmt_double(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(fmt_double(f64::INFINITY), "1.7976931348623157e+308");
        assert_eq!(fmt_double(f64::NEG_INFINITY), "-1.7976931348623157e+308");
        assert_eq!(fmt_double(-0.0), "-0");
        assert_eq!(fmt_double(3.0), "3");
        assert_eq!(fmt_double(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(fmt_double(f64::NAN), "null");
        assert_eq!(fmt_double(1e-7), "1e-07");
    }

    #[test]
    fn literals_like_jq_17() {
        assert_eq!(fmt_literal("1.0"), "1.0");
        assert_eq!(fmt_literal("1.000"), "1.000");
        assert_eq!(fmt_literal("100e-2"), "1.00");
        assert_eq!(fmt_literal("1e2"), "1E+2");
        assert_eq!(fmt_literal("1.5e3"), "1.5E+3");
        assert_eq!(fmt_literal("0.00001"), "0.00001");
        assert_eq!(fmt_literal("1e-7"), "1E-7");
        assert_eq!(fmt_literal("-0.0"), "-0.0");
        assert_eq!(fmt_literal("3.14"), "3.14");
        assert_eq!(fmt_literal("1e1000"), "1.7976931348623157e+308");
        assert_eq!(fmt_literal("-1e1000"), "-1.7976931348623157e+308");
    }

    #[test]
    fn strings() {
        let mut o = Vec::new();
        write_str(&mut o, "a\"\u{1}\u{7f}é".as_bytes(), false);
        assert_eq!(o, "\"a\\\"\\u0001\\u007fé\"".as_bytes());
        let mut o = Vec::new();
        write_str(&mut o, "é😀".as_bytes(), true);
        assert_eq!(o, b"\"\\u00e9\\ud83d\\ude00\"");
    }
}

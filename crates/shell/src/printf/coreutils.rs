//! GNU coreutils 9.1's standalone `printf` (`/usr/bin/printf`, `env printf`, `xargs
//! printf`, `find -exec printf`): the same conversions as the builtin, with coreutils'
//! argument checks, escapes, `%q` quoting and diagnostics.

use super::{Flags, Formatted, Spec, cstr, decode_utf8, format_float, format_integer};
use super::{
    MAX_FIELD, is_octal, pad, parse_c_integer, parse_long_double, push_utf8, read_digits, read_hex,
};
use crate::commands::util::{quote_bytes, quote_shell_bytes};

/// How formatting ended early: the exit status (`\c` exits 0, a fatal error 1).
type Exit = i32;

struct Printer<'a> {
    args: &'a [Vec<u8>],
    next: usize,
    out: Vec<u8>,
    errors: Vec<String>,
    error_at: Vec<usize>,
    status: i32,
    utf8: bool,
}

/// coreutils' `printf FORMAT [ARGUMENT]...` after option handling. The messages in
/// [`Formatted::errors`] lack the `printf: ` prefix (coreutils names itself by its
/// `argv[0]`); [`Formatted::error_at`] says where in the output each comes. `utf8` is whether the locale's character set is UTF-8 (for `\u` escapes and
/// multibyte character constants).
pub fn format_coreutils(fmt: &[u8], args: &[Vec<u8>], utf8: bool) -> Formatted {
    let mut p = Printer {
        args,
        next: 0,
        out: Vec::new(),
        errors: Vec::new(),
        error_at: Vec::new(),
        status: 0,
        utf8,
    };
    let fmt = cstr(fmt);
    let status = loop {
        let before = p.next;
        if let Err(code) = p.pass(fmt) {
            break code;
        }
        if !(p.next > before && p.next < args.len()) {
            if let Some(extra) = args.get(p.next) {
                let q = quote_bytes(cstr(extra));
                p.msg(format!(
                    "warning: ignoring excess arguments, starting with {q}"
                ));
            }
            break p.status;
        }
    };
    Formatted {
        output: p.out,
        errors: p.errors,
        error_at: p.error_at,
        status,
        assignments: Vec::new(),
    }
}

/// A conversion's argument as a number, as coreutils' `vstrtoimax` and friends.
enum Num {
    Int(i64),
    Uint(u64),
    Float(super::LongDouble),
}

impl Printer<'_> {
    fn take_arg(&mut self) -> Option<Vec<u8>> {
        let a = self.args.get(self.next)?;
        self.next += 1;
        Some(cstr(a).to_vec())
    }

    /// A message; like coreutils' `error`, it comes after the output so far.
    fn msg(&mut self, msg: String) {
        self.errors.push(msg);
        self.error_at.push(self.out.len());
    }

    fn die(&mut self, msg: String) -> Exit {
        self.msg(msg);
        1
    }

    /// One pass over the format.
    fn pass(&mut self, fmt: &[u8]) -> Result<(), Exit> {
        let mut i = 0;
        while i < fmt.len() {
            match fmt[i] {
                b'%' => i = self.directive(fmt, i)?,
                b'\\' => i += 1 + self.escape(&fmt[i + 1..], false)?,
                c => {
                    self.out.push(c);
                    i += 1;
                }
            }
        }
        Ok(())
    }

    /// One `%` directive at `fmt[start]`; returns the index after it.
    fn directive(&mut self, fmt: &[u8], start: usize) -> Result<usize, Exit> {
        let mut j = start + 1;
        match fmt.get(j) {
            Some(b'%') => {
                self.out.push(b'%');
                return Ok(j + 1);
            }
            Some(b'b') => {
                if let Some(arg) = self.take_arg() {
                    let mut k = 0;
                    while k < arg.len() {
                        if arg[k] == b'\\' {
                            k += 1 + self.escape(&arg[k + 1..], true)?;
                        } else {
                            self.out.push(arg[k]);
                            k += 1;
                        }
                    }
                }
                return Ok(j + 1);
            }
            Some(b'q') => {
                if let Some(arg) = self.take_arg() {
                    self.out
                        .extend_from_slice(quote_shell_bytes(&arg, false).as_bytes());
                }
                return Ok(j + 1);
            }
            _ => {}
        }
        // Which conversions the flags allow, as coreutils' `ok` table.
        let mut ok: Vec<u8> = b"aAcdeEfFgGiosuxX".to_vec();
        let forbid = |ok: &mut Vec<u8>, cs: &[u8]| ok.retain(|c| !cs.contains(c));
        let mut flags = Flags::default();
        while let Some(&f) = fmt.get(j) {
            match f {
                b'\'' | b'I' => {
                    flags.group |= f == b'\'';
                    forbid(&mut ok, b"aAceEosxX");
                }
                b'-' => flags.minus = true,
                b'+' => flags.plus = true,
                b' ' => flags.space = true,
                b'#' => {
                    flags.alt = true;
                    forbid(&mut ok, b"cdisu");
                }
                b'0' => {
                    flags.zero = true;
                    forbid(&mut ok, b"cs");
                }
                _ => break,
            }
            j += 1;
        }
        let mut width = 0usize;
        if fmt.get(j) == Some(&b'*') {
            j += 1;
            if let Some(arg) = self.take_arg() {
                let w = self.int_arg(&arg);
                match i32::try_from(w) {
                    Ok(w) => {
                        if w < 0 {
                            flags.minus = true;
                        }
                        width = w.unsigned_abs() as usize;
                    }
                    Err(_) => {
                        return Err(self.die(format!("invalid field width: {}", quote_bytes(&arg))));
                    }
                }
            }
        } else {
            width = usize::try_from(read_digits(fmt, &mut j)).unwrap_or(usize::MAX);
        }
        let mut prec = None;
        if fmt.get(j) == Some(&b'.') {
            j += 1;
            forbid(&mut ok, b"c");
            if fmt.get(j) == Some(&b'*') {
                j += 1;
                prec = Some(0);
                if let Some(arg) = self.take_arg() {
                    let p = self.int_arg(&arg);
                    if p < 0 {
                        prec = None;
                    } else if p > i64::from(i32::MAX) {
                        return Err(self.die(format!("invalid precision: {}", quote_bytes(&arg))));
                    } else {
                        prec = Some(p as usize);
                    }
                }
            } else {
                prec = Some(usize::try_from(read_digits(fmt, &mut j)).unwrap_or(usize::MAX));
            }
        }
        while fmt.get(j).is_some_and(|c| b"lLhjtz".contains(c)) {
            j += 1;
        }
        let conv = fmt.get(j).copied().filter(|c| ok.contains(c));
        let Some(conv) = conv else {
            let end = (j + 1).min(fmt.len());
            let text = String::from_utf8_lossy(&fmt[start..end]).into_owned();
            return Err(self.die(format!("{text}: invalid conversion specification")));
        };
        let arg = self.take_arg().unwrap_or_default();
        let spec = Spec {
            flags,
            width: width.min(MAX_FIELD),
            prec: prec.map(|p| p.min(MAX_FIELD)),
        };
        let bytes = match conv {
            b'c' => pad(
                &[],
                &[arg.first().copied().unwrap_or(0)],
                spec.width,
                flags.minus,
                false,
            ),
            b's' => {
                let n = spec.prec.map_or(arg.len(), |p| p.min(arg.len()));
                pad(&[], &arg[..n], spec.width, flags.minus, false)
            }
            _ => match self.number(conv, &arg) {
                Num::Int(v) => format_integer(v < 0, v.unsigned_abs(), conv, &spec),
                Num::Uint(v) => format_integer(false, v, conv, &spec),
                Num::Float(v) => format_float(v, conv, &spec),
            },
        };
        self.out.extend_from_slice(&bytes);
        Ok(j + 1)
    }

    /// A `'c` / `"c` character constant: its code, with coreutils' warning about what follows.
    fn char_constant(&mut self, arg: &[u8]) -> Option<u32> {
        if !matches!(arg.first(), Some(b'\'' | b'"')) || arg.len() < 2 {
            return None;
        }
        let rest = &arg[1..];
        let (code, len) = match decode_utf8(rest) {
            Some((c, n)) if self.utf8 && n > 1 => (c, n),
            _ => (u32::from(rest[0]), 1),
        };
        if rest.len() > len {
            self.msg(format!(
                "warning: {}: character(s) following character constant have been ignored",
                String::from_utf8_lossy(&rest[len..])
            ));
        }
        Some(code)
    }

    /// coreutils' `verify_numeric`: `end` is where conversion stopped.
    fn verify(&mut self, arg: &[u8], end: usize, range: bool) {
        let q = quote_bytes(arg);
        if range {
            self.msg(format!("{q}: Numerical result out of range"));
        } else if end < arg.len() {
            if end == 0 {
                self.msg(format!("{q}: expected a numeric value"));
            } else {
                self.msg(format!("{q}: value not completely converted"));
            }
        } else {
            return;
        }
        self.status = 1;
    }

    /// `vstrtoimax`.
    fn int_arg(&mut self, arg: &[u8]) -> i64 {
        if let Some(c) = self.char_constant(arg) {
            return i64::from(c);
        }
        let n = parse_c_integer(arg);
        let limit = if n.neg { 1u64 << 63 } else { i64::MAX as u64 };
        let range = n.overflow || n.mag > limit;
        let value = if range {
            if n.neg { i64::MIN } else { i64::MAX }
        } else if n.neg {
            (n.mag as i64).wrapping_neg()
        } else {
            n.mag as i64
        };
        self.verify(arg, n.end, range);
        value
    }

    fn number(&mut self, conv: u8, arg: &[u8]) -> Num {
        match conv {
            b'd' | b'i' => Num::Int(self.int_arg(arg)),
            b'o' | b'u' | b'x' | b'X' => {
                if let Some(c) = self.char_constant(arg) {
                    return Num::Uint(u64::from(c));
                }
                let n = parse_c_integer(arg);
                let value = if n.overflow {
                    u64::MAX
                } else if n.neg {
                    n.mag.wrapping_neg()
                } else {
                    n.mag
                };
                self.verify(arg, n.end, n.overflow);
                Num::Uint(value)
            }
            _ => {
                if let Some(c) = self.char_constant(arg) {
                    return Num::Float(super::LongDouble::from_u64(u64::from(c)));
                }
                let (value, end, range) = parse_long_double(arg);
                self.verify(arg, end, range);
                Num::Float(value)
            }
        }
    }

    /// coreutils' `print_esc`: `s` starts after the backslash; returns how many bytes of it
    /// were used. `octal_0` is `%b`'s `\0NNN` form.
    fn escape(&mut self, s: &[u8], octal_0: bool) -> Result<usize, Exit> {
        let Some(&c) = s.first() else {
            self.out.push(b'\\');
            return Ok(0);
        };
        match c {
            b'x' => {
                let (v, n) = read_hex(&s[1..], 2);
                if n == 0 {
                    return Err(self.die("missing hexadecimal number in escape".into()));
                }
                self.out.push((v & 0xff) as u8);
                Ok(1 + n)
            }
            b'0'..=b'7' => {
                let mut p = usize::from(octal_0 && c == b'0');
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 3 && s.get(p).is_some_and(|&d| is_octal(d)) {
                    v = v * 8 + u32::from(s[p] - b'0');
                    p += 1;
                    n += 1;
                }
                self.out.push((v & 0xff) as u8);
                Ok(p)
            }
            b'c' => Err(0),
            b'"' | b'\\' | b'a' | b'b' | b'e' | b'f' | b'n' | b'r' | b't' | b'v' => {
                self.out.push(match c {
                    b'a' => 7,
                    b'b' => 8,
                    b'e' => 0x1b,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'v' => 0x0b,
                    _ => c,
                });
                Ok(1)
            }
            b'u' | b'U' => {
                let want = if c == b'u' { 4 } else { 8 };
                let (v, n) = read_hex(&s[1..], want);
                if n < want {
                    return Err(self.die("missing hexadecimal number in escape".into()));
                }
                if (v <= 0x9f && !matches!(v, 0x24 | 0x40 | 0x60)) || (0xd800..=0xdfff).contains(&v)
                {
                    return Err(self.die(format!(
                        "invalid universal character name \\{}{v:0want$x}",
                        c as char
                    )));
                }
                if v < 0x80 {
                    self.out.push(v as u8);
                } else if self.utf8 && v <= 0x10_ffff {
                    push_utf8(v, &mut self.out);
                } else if v < 0x1_0000 {
                    self.out.extend_from_slice(format!("\\u{v:04X}").as_bytes());
                } else {
                    self.out.extend_from_slice(format!("\\U{v:08X}").as_bytes());
                }
                Ok(1 + n)
            }
            _ => {
                self.out.push(b'\\');
                self.out.push(c);
                Ok(1)
            }
        }
    }
}

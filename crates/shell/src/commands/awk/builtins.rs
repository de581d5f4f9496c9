//! The builtin functions: string functions (gawk's substr clipping, sub/gsub replacement
//! rules, gensub, match with an array), arithmetic, bit operations, sorting and time.

use std::rc::Rc;

use super::array::Array;
use super::ast::{Builtin, Expr, LValue, Var};
use super::interp::{Cell, Flow, Interp, MAX_STR, R, split_into};
use super::parser::{RLENGTH, RSTART};
use super::value::{Value, compare, looks_numeric};
use crate::posix_regex::Regex;

fn num(n: f64) -> Value {
    Value::Num(n)
}

/// gawk 5.2's substr(): a start below 1 (or NaN) is taken as 1 without shortening the
/// length; a fractional start or length is truncated; a length below 1 (or NaN) gives "".
pub fn substr(s: &[u8], m: f64, n: Option<f64>) -> &[u8] {
    let len = s.len();
    let start = if m >= 1.0 { m.trunc() } else { 1.0 };
    let idx = if start > len as f64 {
        return b"";
    } else {
        start as usize - 1
    };
    let want = match n {
        Some(n) if n.is_nan() || n < 1.0 => return b"",
        Some(n) if n < len as f64 => n.trunc() as usize,
        _ => len,
    };
    let end = idx.saturating_add(want).min(len);
    &s[idx..end]
}

/// Expand a sub/gsub replacement for one match (POSIX rules, as gawk 4+).
fn sub_repl(repl: &[u8], matched: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        if c == b'\\' && i + 1 < repl.len() && (repl[i + 1] == b'\\' || repl[i + 1] == b'&') {
            out.push(repl[i + 1]);
            i += 2;
            continue;
        }
        if c == b'&' {
            out.extend_from_slice(matched);
        } else {
            out.push(c);
        }
        i += 1;
    }
}

/// Expand a gensub replacement: `\0`/`&` whole match, `\N` group N.
fn gensub_repl(repl: &[u8], hay: &[u8], caps: &[Option<(usize, usize)>], out: &mut Vec<u8>) {
    let mut i = 0;
    let grp = |n: usize, out: &mut Vec<u8>| {
        if let Some(Some((s, e))) = caps.get(n) {
            out.extend_from_slice(&hay[*s..*e]);
        }
    };
    while i < repl.len() {
        let c = repl[i];
        if c == b'\\' && i + 1 < repl.len() {
            let n = repl[i + 1];
            if n.is_ascii_digit() {
                grp(usize::from(n - b'0'), out);
            } else if n == b'&' {
                out.push(b'&');
            } else if n == b'\\' {
                out.push(b'\\');
            } else {
                out.push(b'\\');
                out.push(n);
            }
            i += 2;
            continue;
        }
        if c == b'&' {
            grp(0, out);
        } else {
            out.push(c);
        }
        i += 1;
    }
}

/// Replace matches of `re` in `s`: all (`which` = 0) or only the `which`-th. Returns the
/// new text and the number of replacements.
fn substitute(
    re: &Regex,
    s: &[u8],
    which: usize,
    mut repl: impl FnMut(&[u8], (usize, usize), &mut Vec<u8>),
) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(s.len() + 16);
    let mut pos = 0;
    let mut prev_end: Option<usize> = None;
    let mut count = 0;
    let mut seen = 0;
    while pos <= s.len() {
        let Some((ms, me)) = re.find_at(s, pos) else {
            break;
        };
        if ms == me && prev_end == Some(ms) {
            if ms >= s.len() {
                break;
            }
            out.extend_from_slice(&s[pos..=ms]);
            pos = ms + 1;
            continue;
        }
        seen += 1;
        out.extend_from_slice(&s[pos..ms]);
        if which == 0 || seen == which {
            repl(s, (ms, me), &mut out);
            count += 1;
        } else {
            out.extend_from_slice(&s[ms..me]);
        }
        if me == ms {
            if ms < s.len() {
                out.push(s[ms]);
            }
            pos = ms + 1;
        } else {
            pos = me;
            prev_end = Some(me);
        }
        if which != 0 && seen >= which {
            break;
        }
        if out.len() > MAX_STR {
            break;
        }
    }
    if pos < s.len() {
        out.extend_from_slice(&s[pos..]);
    }
    (out, count)
}

fn sort_values(v: &mut [Value], convfmt: &[u8]) {
    // gawk's default: numbers before strings, numbers by value, strings by bytes.
    v.sort_by(|a, b| {
        let an = matches!(a, Value::Num(_) | Value::Uninit)
            || matches!(a, Value::StrNum(s) if looks_numeric(s).is_some());
        let bn = matches!(b, Value::Num(_) | Value::Uninit)
            || matches!(b, Value::StrNum(s) if looks_numeric(s).is_some());
        match (an, bn) {
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => compare(a, b, convfmt),
        }
    });
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Interp<'_, '_> {
    fn arg_str(&mut self, e: &Expr) -> R<Rc<[u8]>> {
        let v = self.eval(e)?;
        Ok(self.to_str(&v))
    }

    fn array_arg(&mut self, e: &Expr) -> R<Rc<std::cell::RefCell<Array>>> {
        match e {
            Expr::Var(v) => self.array(*v),
            Expr::Group(g) => self.array_arg(g),
            _ => Err(Flow::Fatal("attempt to use a scalar value as array".into())),
        }
    }

    fn is_array_expr(&self, e: &Expr) -> bool {
        let v = match e {
            Expr::Var(v) => *v,
            _ => return false,
        };
        let c = match v {
            Var::Global(i) => self.globals.get(i),
            Var::Local(i) => self.stack.get(self.fp + i),
        };
        matches!(c, Some(Cell::Arr(_)))
    }

    /// Call a builtin.
    pub fn builtin(&mut self, b: Builtin, args: &[Expr]) -> R<Value> {
        use Builtin::*;
        let a = |i: usize| -> &Expr { &args[i] };
        Ok(match b {
            Length => {
                if args.is_empty() {
                    return Ok(num(self.record.len() as f64));
                }
                if self.is_array_expr(a(0)) {
                    let arr = self.array_arg(a(0))?;
                    return Ok(num(arr.borrow().len() as f64));
                }
                num(self.arg_str(a(0))?.len() as f64)
            }
            Substr => {
                let s = self.arg_str(a(0))?;
                let m = self.eval_num(a(1))?;
                let n = match args.get(2) {
                    Some(e) => Some(self.eval_num(e)?),
                    None => None,
                };
                Value::str(substr(&s, m, n))
            }
            Index => {
                let s = self.arg_str(a(0))?;
                let t = self.arg_str(a(1))?;
                // gawk: the empty string is found at position 1, even in "".
                let i = memchr::memmem::find(&s, &t).map_or(0, |i| i + 1);
                num(i as f64)
            }
            Split | Patsplit => self.split(b == Patsplit, args)?,
            Sub | Gsub => {
                let re = self.regex_for(a(0))?;
                let repl = self.arg_str(a(1))?;
                let cur: Rc<[u8]> = match args.get(2) {
                    Some(t) => self.arg_str(t)?,
                    None => Rc::from(&self.record[..]),
                };
                let which = if b == Sub { 1 } else { 0 };
                let (out, n) = substitute(&re, &cur, which, |hay, (s, e), o| {
                    sub_repl(&repl, &hay[s..e], o)
                });
                if n > 0 {
                    match args.get(2) {
                        Some(t) => self.assign_to_expr(t, Value::str(&out))?,
                        None => self.set_record(&out),
                    }
                }
                num(n as f64)
            }
            Gensub => {
                let re = self.regex_for(a(0))?;
                let repl = self.arg_str(a(1))?;
                let how = self.eval(a(2))?;
                let target: Rc<[u8]> = match args.get(3) {
                    Some(t) => self.arg_str(t)?,
                    None => Rc::from(&self.record[..]),
                };
                let hs = self.to_str(&how);
                let which = if hs.first().is_some_and(|c| *c == b'g' || *c == b'G') {
                    0
                } else {
                    let n = how.num();
                    if n < 1.0 {
                        self.warn("gensub: third argument 0 treated as 1");
                        1
                    } else {
                        n as usize
                    }
                };
                let (out, _) = substitute(&re, &target, which, |hay, (s, _), o| {
                    if let Some(c) = re.captures_at(hay, s) {
                        gensub_repl(&repl, hay, &c, o)
                    }
                });
                Value::str(&out)
            }
            Match => {
                let s = self.arg_str(a(0))?;
                let re = self.regex_for(a(1))?;
                let caps = re.captures_at(&s, 0);
                let (start, len) = match &caps {
                    Some(c) => match c.first() {
                        Some(Some((st, e))) => ((st + 1) as f64, (e - st) as f64),
                        _ => (0.0, -1.0),
                    },
                    None => (0.0, -1.0),
                };
                if let Some(arr_e) = args.get(2) {
                    let arr = self.array_arg(arr_e)?;
                    let mut arr = arr.borrow_mut();
                    arr.clear();
                    if let Some(c) = &caps {
                        for (i, g) in c.iter().enumerate() {
                            if let Some((gs, ge)) = g {
                                let k = i.to_string();
                                arr.set(k.as_bytes(), Value::strnum(&s[*gs..*ge]));
                                let mut ks = k.clone().into_bytes();
                                ks.extend_from_slice(&self.subsep);
                                ks.extend_from_slice(b"start");
                                arr.set(&ks, num((gs + 1) as f64));
                                let mut kl = k.into_bytes();
                                kl.extend_from_slice(&self.subsep);
                                kl.extend_from_slice(b"length");
                                arr.set(&kl, num((ge - gs) as f64));
                            }
                        }
                    }
                }
                self.globals[RSTART] = Cell::Val(num(start));
                self.globals[RLENGTH] = Cell::Val(num(len));
                num(start)
            }
            Sprintf => {
                let mut vals = Vec::with_capacity(args.len());
                for e in args {
                    vals.push(self.eval(e)?);
                }
                let fmt = self.to_str(&vals[0]);
                let s =
                    super::format::sprintf(&fmt, &vals[1..], &self.convfmt).map_err(Flow::Fatal)?;
                Value::str(&s)
            }
            Sin => num(self.eval_num(a(0))?.sin()),
            Cos => num(self.eval_num(a(0))?.cos()),
            Atan2 => {
                let y = self.eval_num(a(0))?;
                let x = self.eval_num(a(1))?;
                num(y.atan2(x))
            }
            Exp => num(self.eval_num(a(0))?.exp()),
            Log => {
                let x = self.eval_num(a(0))?;
                if x < 0.0 {
                    self.warn(&format!("log: received negative argument {}", fmt_g(x)));
                    // glibc's log of a negative number is -nan.
                    return Ok(num(-f64::NAN));
                }
                num(x.ln())
            }
            Sqrt => {
                let x = self.eval_num(a(0))?;
                if x < 0.0 {
                    self.warn(&format!("sqrt: received negative argument {}", fmt_g(x)));
                    return Ok(num(-f64::NAN));
                }
                num(x.sqrt())
            }
            Int => num(self.eval_num(a(0))?.trunc()),
            Rand => {
                // xorshift64*: a fixed sequence for a given seed.
                let mut x = self.rng;
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                self.rng = x;
                let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
                num(r as f64 / (1u64 << 53) as f64)
            }
            Srand => {
                let prev = self.seed;
                let s = match args.first() {
                    Some(e) => self.eval_num(e)?,
                    None => self.ctx.vfs.now().sec as f64,
                };
                self.seed = s;
                self.rng = (s.to_bits() ^ 0x9E37_79B9_7F4A_7C15) | 1;
                num(prev)
            }
            Tolower => Value::str(&self.arg_str(a(0))?.to_ascii_lowercase()),
            Toupper => Value::str(&self.arg_str(a(0))?.to_ascii_uppercase()),
            System => {
                let c = self.arg_str(a(0))?;
                num(f64::from(self.system(&c)?))
            }
            Close => {
                let c = self.arg_str(a(0))?;
                num(f64::from(self.close(&c)))
            }
            Fflush => {
                let r = match args.first() {
                    Some(e) => {
                        let n = self.arg_str(e)?;
                        self.fflush(Some(&n))?
                    }
                    None => self.fflush(None)?,
                };
                num(f64::from(r))
            }
            Asort | Asorti => {
                let src = self.array_arg(a(0))?;
                let mut vals: Vec<Value> = if b == Asort {
                    src.borrow().entries().into_iter().map(|(_, v)| v).collect()
                } else {
                    src.borrow().keys().into_iter().map(Value::StrNum).collect()
                };
                if b == Asorti {
                    vals.sort_by(|x, y| {
                        let (Value::StrNum(x), Value::StrNum(y)) = (x, y) else {
                            return std::cmp::Ordering::Equal;
                        };
                        x.cmp(y)
                    });
                } else {
                    sort_values(&mut vals, &self.convfmt);
                }
                let dest = match args.get(1) {
                    Some(d) => self.array_arg(d)?,
                    None => src,
                };
                let mut d = dest.borrow_mut();
                d.clear();
                let n = vals.len();
                for (i, v) in vals.into_iter().enumerate() {
                    d.set((i + 1).to_string().as_bytes(), v);
                }
                num(n as f64)
            }
            Strftime => {
                let fmt: Rc<[u8]> = match args.first() {
                    Some(e) => self.arg_str(e)?,
                    None => Rc::from(&b"%a %b %e %H:%M:%S %Z %Y"[..]),
                };
                let t = match args.get(1) {
                    Some(e) => self.eval_num(e)? as i64,
                    None => self.ctx.vfs.now().sec,
                };
                Value::str(&crate::printf::strftime(&fmt, t, 0, "UTC"))
            }
            Systime => num(self.ctx.vfs.now().sec as f64),
            Mktime => {
                let s = self.arg_str(a(0))?;
                let parts: Vec<f64> = s
                    .split(|c| c.is_ascii_whitespace())
                    .filter(|p| !p.is_empty())
                    .map(super::value::str_to_num)
                    .collect();
                if parts.len() < 6 {
                    return Ok(num(-1.0));
                }
                let (y, mo, d) = (parts[0] as i64, parts[1] as i64, parts[2] as i64);
                // Normalise the month like mktime.
                let m0 = mo - 1;
                let y = y + m0.div_euclid(12);
                let mo = m0.rem_euclid(12) + 1;
                let days = days_from_civil(y, mo, 1) + d - 1;
                let secs =
                    days * 86_400 + parts[3] as i64 * 3600 + parts[4] as i64 * 60 + parts[5] as i64;
                num(secs as f64)
            }
            And | Or | Xor => {
                let mut acc = self.eval_num(a(0))?.trunc() as u64;
                for e in &args[1..] {
                    let v = self.eval_num(e)?.trunc() as u64;
                    acc = match b {
                        And => acc & v,
                        Or => acc | v,
                        _ => acc ^ v,
                    };
                }
                num(acc as f64)
            }
            Lshift => {
                let v = self.eval_num(a(0))?.trunc() as u64;
                let s = self.eval_num(a(1))?.trunc() as u32;
                num(v.checked_shl(s).unwrap_or(0) as f64)
            }
            Rshift => {
                let v = self.eval_num(a(0))?.trunc() as u64;
                let s = self.eval_num(a(1))?.trunc() as u32;
                num(v.checked_shr(s).unwrap_or(0) as f64)
            }
            Compl => {
                let v = self.eval_num(a(0))?.trunc() as u64;
                num((!v & ((1u64 << 53) - 1)) as f64)
            }
            Strtonum => {
                let v = self.eval(a(0))?;
                match v {
                    Value::Num(n) => num(n),
                    _ => {
                        let s = self.to_str(&v);
                        num(strtonum(&s))
                    }
                }
            }
            Isarray => num(if self.is_array_expr(a(0)) { 1.0 } else { 0.0 }),
            Typeof => {
                if self.is_array_expr(a(0)) {
                    Value::str(b"array")
                } else {
                    let v = self.eval(a(0))?;
                    Value::str(match v {
                        Value::Uninit => b"untyped",
                        Value::Num(_) => b"number",
                        Value::Str(_) => b"string",
                        Value::StrNum(s) => {
                            if looks_numeric(&s).is_some() {
                                &b"strnum"[..]
                            } else {
                                &b"string"[..]
                            }
                        }
                    })
                }
            }
        })
    }

    fn split(&mut self, pat: bool, args: &[Expr]) -> R<Value> {
        let s = self.arg_str(&args[0])?;
        let arr = self.array_arg(&args[1])?;
        let mode = match args.get(2) {
            None => {
                if pat {
                    return Err(Flow::Fatal("patsplit: needs a pattern".into()));
                }
                self.fs.clone()
            }
            Some(Expr::Regex(r)) => super::interp::FsMode::Regex(Rc::clone(r)),
            Some(e) => {
                let f = self.arg_str(e)?;
                if pat {
                    super::interp::FsMode::Regex(self.regex_of(&f)?)
                } else {
                    self.fs_mode(&f)?
                }
            }
        };
        let mut spans = Vec::new();
        if pat {
            if let super::interp::FsMode::Regex(re) = &mode {
                let mut pos = 0;
                while pos <= s.len() {
                    let Some((ms, me)) = re.find_at(&s, pos) else {
                        break;
                    };
                    if me == ms {
                        pos = ms + 1;
                        continue;
                    }
                    spans.push((ms, me));
                    pos = me;
                }
            }
        } else {
            let para = matches!(self.rs, super::io::RsMode::Para) && args.get(2).is_none();
            split_into(&s, &mode, para, &mut spans);
        }
        let seps = match args.get(3) {
            Some(e) => Some(self.array_arg(e)?),
            None => None,
        };
        {
            let mut a = arr.borrow_mut();
            a.clear();
            for (i, &(st, en)) in spans.iter().enumerate() {
                a.set((i + 1).to_string().as_bytes(), Value::strnum(&s[st..en]));
            }
        }
        if let Some(seps) = seps {
            let mut sp = seps.borrow_mut();
            sp.clear();
            if pat {
                let mut prev = 0;
                for (i, &(st, en)) in spans.iter().enumerate() {
                    sp.set(i.to_string().as_bytes(), Value::strnum(&s[prev..st]));
                    prev = en;
                }
                sp.set(
                    spans.len().to_string().as_bytes(),
                    Value::strnum(&s[prev..]),
                );
            } else {
                if matches!(mode, super::interp::FsMode::Space)
                    && let Some(&(st, _)) = spans.first()
                    && st > 0
                {
                    sp.set(b"0", Value::strnum(&s[..st]));
                }
                for i in 1..spans.len() {
                    sp.set(
                        i.to_string().as_bytes(),
                        Value::strnum(&s[spans[i - 1].1..spans[i].0]),
                    );
                }
                if matches!(mode, super::interp::FsMode::Space)
                    && let Some(&(_, en)) = spans.last()
                    && en < s.len()
                {
                    sp.set(spans.len().to_string().as_bytes(), Value::strnum(&s[en..]));
                }
            }
        }
        Ok(num(spans.len() as f64))
    }

    /// Assign to the lvalue expression `e` (sub/gsub targets); other expressions are
    /// left alone, as gawk does.
    fn assign_to_expr(&mut self, e: &Expr, v: Value) -> R<()> {
        match e {
            Expr::Var(var) => self.assign(&LValue::Var(*var), v),
            Expr::Group(g) => self.assign_to_expr(g, v),
            Expr::Field(ie) => {
                let i = self.eval_num(ie)?;
                if i < 0.0 {
                    return Err(Flow::Fatal(format!("attempt to access field {}", i as i64)));
                }
                let s = self.to_str(&v);
                self.set_field(i as usize, &s)
            }
            Expr::Index(var, subs) => {
                let key = self.subscript(subs)?;
                let a = self.array(*var)?;
                a.borrow_mut().set(&key, v);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn fmt_g(x: f64) -> String {
    let mut o = Vec::new();
    super::format::fmt_g(x, 6, false, false, &mut o);
    String::from_utf8_lossy(&o).into_owned()
}

/// gawk's strtonum: `0x` hex, leading-`0` octal, else decimal.
pub fn strtonum(s: &[u8]) -> f64 {
    let t: &[u8] = {
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        &s[i..]
    };
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let v = if t.len() > 1 && t[0] == b'0' && (t[1] == b'x' || t[1] == b'X') {
        let mut v = 0f64;
        for &c in &t[2..] {
            match (c as char).to_digit(16) {
                Some(d) => v = v * 16.0 + f64::from(d),
                None => break,
            }
        }
        v
    } else if t.len() > 1 && t[0] == b'0' && t[1].is_ascii_digit() {
        let mut v = 0f64;
        for &c in &t[1..] {
            match c {
                b'0'..=b'7' => v = v * 8.0 + f64::from(c - b'0'),
                _ => break,
            }
        }
        v
    } else {
        super::value::str_to_num(t)
    };
    if neg { -v } else { v }
}

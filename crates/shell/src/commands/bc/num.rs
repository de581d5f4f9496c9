//! bc's arbitrary-precision decimal numbers: a sign, the decimal digits of the magnitude
//! (least significant first) and the count of fraction digits, with GNU bc's rules for
//! the scale of each result (results are truncated, never rounded).

use std::cmp::Ordering;

/// Most digits one number may hold; bigger results are a run-time error, not a hang.
pub const MAX_DIGITS: usize = 1_000_000;
/// Most digit-by-digit steps one multiplication or division may take.
const MAX_WORK: usize = 400_000_000;

/// A decimal number: `value = (-1)^neg * mag * 10^-scale`.
#[derive(Clone, Debug, Default)]
pub struct Num {
    neg: bool,
    /// Digits, least significant first, no most-significant zeros.
    mag: Vec<u8>,
    scale: usize,
}

/// A computation went past the size limits.
#[derive(Debug)]
pub struct TooBig;

fn trim(v: &mut Vec<u8>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let s = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        r.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        r.push(carry);
    }
    r
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for (i, &d) in a.iter().enumerate() {
        let mut s = d as i8 - b.get(i).copied().unwrap_or(0) as i8 - borrow;
        borrow = 0;
        if s < 0 {
            s += 10;
            borrow = 1;
        }
        r.push(s as u8);
    }
    trim(&mut r);
    r
}

fn mul_mag(a: &[u8], b: &[u8]) -> Result<Vec<u8>, TooBig> {
    if a.is_empty() || b.is_empty() {
        return Ok(Vec::new());
    }
    if a.len().saturating_mul(b.len()) > MAX_WORK || a.len() + b.len() > MAX_DIGITS {
        return Err(TooBig);
    }
    let mut acc = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        if x == 0 {
            continue;
        }
        for (j, &y) in b.iter().enumerate() {
            acc[i + j] += x as u32 * y as u32;
        }
        if i % 64 == 63 {
            normalize(&mut acc);
        }
    }
    normalize(&mut acc);
    let mut r: Vec<u8> = acc.into_iter().map(|d| d as u8).collect();
    trim(&mut r);
    Ok(r)
}

fn normalize(acc: &mut [u32]) {
    let mut carry = 0u32;
    for d in acc.iter_mut() {
        let s = *d + carry;
        *d = s % 10;
        carry = s / 10;
    }
}

/// Shift left by `k` decimal places (multiply by 10^k).
fn shl(a: &[u8], k: usize) -> Vec<u8> {
    if a.is_empty() {
        return Vec::new();
    }
    let mut r = vec![0; k];
    r.extend_from_slice(a);
    r
}

/// Integer quotient `a / b` (b non-zero).
fn div_mag(a: &[u8], b: &[u8]) -> Result<Vec<u8>, TooBig> {
    if cmp_mag(a, b) == Ordering::Less {
        return Ok(Vec::new());
    }
    if a.len().saturating_mul(b.len()).saturating_mul(2) > MAX_WORK || a.len() > MAX_DIGITS {
        return Err(TooBig);
    }
    let mut q = vec![0u8; a.len()];
    let mut rem: Vec<u8> = Vec::new();
    for i in (0..a.len()).rev() {
        rem.insert(0, a[i]);
        trim(&mut rem);
        let mut count = 0;
        while cmp_mag(&rem, b) != Ordering::Less {
            rem = sub_mag(&rem, b);
            count += 1;
        }
        q[i] = count;
    }
    trim(&mut q);
    Ok(q)
}

impl Num {
    /// Zero.
    pub fn zero() -> Num {
        Num::default()
    }

    /// A small integer.
    pub fn from_i64(v: i64) -> Num {
        let mut n = v.unsigned_abs();
        let mut mag = Vec::new();
        while n > 0 {
            mag.push((n % 10) as u8);
            n /= 10;
        }
        Num {
            neg: v < 0 && !mag.is_empty(),
            mag,
            scale: 0,
        }
    }

    /// Parse a constant written in `ibase` (digits 0-9 and A-Z, an optional point). A
    /// digit at or above the base counts as base-1... as GNU bc does for single digits it
    /// takes its value; for multi-digit numbers each digit above the base is base-1.
    pub fn parse(text: &str, ibase: u32) -> Result<Num, TooBig> {
        let (int, frac) = match text.find('.') {
            Some(p) => (&text[..p], &text[p + 1..]),
            None => (text, ""),
        };
        let val = |c: u8| -> u32 {
            if c.is_ascii_digit() {
                (c - b'0') as u32
            } else {
                (c - b'A') as u32 + 10
            }
        };
        if ibase == 10 {
            let mut mag: Vec<u8> = frac.bytes().rev().map(|c| val(c).min(9) as u8).collect();
            mag.extend(int.bytes().rev().map(|c| val(c).min(9) as u8));
            trim(&mut mag);
            return Ok(Num {
                neg: false,
                mag,
                scale: frac.len(),
            });
        }
        if int.len() == 1 && frac.is_empty() {
            return Ok(Num::from_i64(val(int.as_bytes()[0]) as i64));
        }
        let base = Num::from_i64(ibase as i64);
        let mut r = Num::zero();
        for c in int.bytes() {
            let d = val(c).min(ibase - 1);
            r = r.mul(&base, 0)?.add(&Num::from_i64(d as i64));
        }
        if frac.is_empty() {
            return Ok(r);
        }
        let mut f = Num::zero();
        let mut m = Num::from_i64(1);
        for c in frac.bytes() {
            let d = val(c).min(ibase - 1);
            f = f.mul(&base, 0)?.add(&Num::from_i64(d as i64));
            m = m.mul(&base, 0)?;
        }
        let f = f.div(&m, frac.len())?.unwrap_or_default();
        Ok(r.add(&f))
    }

    pub fn scale(&self) -> usize {
        self.scale
    }

    pub fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    pub fn is_neg(&self) -> bool {
        self.neg
    }

    /// Digits before the point (at least... 0 for a pure fraction).
    pub fn int_len(&self) -> usize {
        self.mag.len().saturating_sub(self.scale)
    }

    /// `length(x)`: significant digits (a zero integer part does not count).
    pub fn length(&self) -> usize {
        if self.is_zero() {
            return if self.scale == 0 { 1 } else { self.scale };
        }
        if self.int_len() == 0 {
            self.scale
        } else {
            self.mag.len()
        }
    }

    fn make(neg: bool, mut mag: Vec<u8>, scale: usize) -> Num {
        trim(&mut mag);
        let neg = neg && !mag.is_empty();
        Num { neg, mag, scale }
    }

    /// The magnitude at `s` fraction digits (truncating or zero-filling).
    fn mag_at(&self, s: usize) -> Vec<u8> {
        if s >= self.scale {
            shl(&self.mag, s - self.scale)
        } else {
            let mut m: Vec<u8> = self.mag.iter().skip(self.scale - s).copied().collect();
            trim(&mut m);
            m
        }
    }

    /// Truncate (or extend) to `s` fraction digits.
    pub fn with_scale(&self, s: usize) -> Num {
        Num::make(self.neg, self.mag_at(s), s)
    }

    pub fn neg(&self) -> Num {
        Num::make(!self.neg, self.mag.clone(), self.scale)
    }

    pub fn cmp(&self, o: &Num) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => return Ordering::Greater,
            (true, false) => return Ordering::Less,
            _ => {}
        }
        let s = self.scale.max(o.scale);
        let c = cmp_mag(&self.mag_at(s), &o.mag_at(s));
        if self.neg { c.reverse() } else { c }
    }

    pub fn add(&self, o: &Num) -> Num {
        let s = self.scale.max(o.scale);
        let (a, b) = (self.mag_at(s), o.mag_at(s));
        if self.neg == o.neg {
            return Num::make(self.neg, add_mag(&a, &b), s);
        }
        match cmp_mag(&a, &b) {
            Ordering::Less => Num::make(o.neg, sub_mag(&b, &a), s),
            _ => Num::make(self.neg, sub_mag(&a, &b), s),
        }
    }

    pub fn sub(&self, o: &Num) -> Num {
        self.add(&o.neg())
    }

    /// Product at scale min(a+b, max(scale, a, b)).
    pub fn mul(&self, o: &Num, scale: usize) -> Result<Num, TooBig> {
        let full = self.scale + o.scale;
        let s = full.min(scale.max(self.scale).max(o.scale));
        let p = Num::make(self.neg != o.neg, mul_mag(&self.mag, &o.mag)?, full);
        Ok(p.with_scale(s))
    }

    /// Quotient at `scale` digits; `None` on division by zero.
    pub fn div(&self, o: &Num, scale: usize) -> Result<Option<Num>, TooBig> {
        if o.is_zero() {
            return Ok(None);
        }
        if scale > MAX_DIGITS {
            return Err(TooBig);
        }
        // q = trunc(A*10^(bs+s-as) / B)
        let e = o.scale as i64 + scale as i64 - self.scale as i64;
        let (num, den) = if e >= 0 {
            (shl(&self.mag, e as usize), o.mag.clone())
        } else {
            (self.mag.clone(), shl(&o.mag, (-e) as usize))
        };
        Ok(Some(Num::make(
            self.neg != o.neg,
            div_mag(&num, &den)?,
            scale,
        )))
    }

    /// bc's `%`: a - (a/b)*b with the quotient at `scale`, result at
    /// max(scale + b.scale, a.scale).
    pub fn rem(&self, o: &Num, scale: usize) -> Result<Option<Num>, TooBig> {
        let Some(q) = self.div(o, scale)? else {
            return Ok(None);
        };
        let rs = self.scale.max(o.scale + scale);
        let t = q.mul(o, rs)?;
        let r = self.sub(&t);
        let s = rs.max(r.scale);
        Ok(Some(r.with_scale(s)))
    }

    /// The integer part as an i64, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        let mut v: i64 = 0;
        for &d in self.mag.iter().skip(self.scale).rev() {
            v = v.checked_mul(10)?.checked_add(d as i64)?;
        }
        Some(if self.neg { -v } else { v })
    }

    /// `self ^ e` for an integer exponent, with bc's scale rules.
    pub fn pow(&self, e: i64, scale: usize) -> Result<Num, TooBig> {
        if e == 0 {
            return Ok(Num::from_i64(1));
        }
        let n = e.unsigned_abs();
        // Bound the work: the exact result has about n * digits(self) digits.
        let est = (self.mag.len() as u128) * n as u128;
        if est > MAX_DIGITS as u128 && !(self.mag.len() == 1 && self.mag[0] == 1) {
            return Err(TooBig);
        }
        let mut result = Num::from_i64(1);
        let mut base = self.clone();
        let mut k = n;
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base, usize::MAX / 4)?;
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base, usize::MAX / 4)?;
            }
        }
        if e < 0 {
            return Ok(Num::from_i64(1).div(&result, scale)?.unwrap_or_default());
        }
        let rs = (self.scale as u128 * n as u128).min(scale.max(self.scale) as u128) as usize;
        Ok(result.with_scale(rs.min(result.scale)))
    }

    /// Square root truncated to max(scale, self.scale) digits; `None` when negative.
    pub fn sqrt(&self, scale: usize) -> Result<Option<Num>, TooBig> {
        if self.neg {
            return Ok(None);
        }
        let rs = scale.max(self.scale);
        if self.is_zero() {
            return Ok(Some(Num::zero().with_scale(rs)));
        }
        // isqrt(mag * 10^(2rs - scale))
        let m = shl(&self.mag, 2 * rs - self.scale);
        if m.len() > MAX_DIGITS {
            return Err(TooBig);
        }
        // Newton iteration on integers.
        let n = Num::make(false, m, 0);
        let mut x = Num::make(
            false,
            {
                let mut v = vec![0; n.mag.len() / 2];
                v.push(1);
                v
            },
            0,
        );
        x = x.mul(&Num::from_i64(10), 0)?;
        let two = Num::from_i64(2);
        loop {
            let q = n.div(&x, 0)?.unwrap_or_default();
            let y = x.add(&q).div(&two, 0)?.unwrap_or_default();
            if y.cmp(&x) != Ordering::Less {
                break;
            }
            x = y;
        }
        Ok(Some(Num::make(false, x.mag, rs)))
    }

    /// Decimal text as bc prints it in base 10 (no line wrapping).
    pub fn to_dec(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut s = String::new();
        if self.neg {
            s.push('-');
        }
        let il = self.int_len();
        if il == 0 {
            if self.scale == 0 {
                return "0".into();
            }
        } else {
            for d in self.mag[self.scale..].iter().rev() {
                s.push((b'0' + d) as char);
            }
        }
        if self.scale > 0 {
            s.push('.');
            for i in (0..self.scale).rev() {
                s.push((b'0' + self.mag.get(i).copied().unwrap_or(0)) as char);
            }
        }
        s
    }

    /// Text in `base` (2..): digits 0-9A-F up to 16, else space-led decimal groups.
    pub fn to_base(&self, base: u64) -> Result<String, TooBig> {
        if base == 10 || self.is_zero() {
            return Ok(self.to_dec());
        }
        let width = (base - 1).to_string().len();
        let digit = |d: u64, first_frac: bool| -> String {
            if base <= 16 {
                ((if d < 10 {
                    b'0' + d as u8
                } else {
                    b'A' + d as u8 - 10
                }) as char)
                    .to_string()
            } else if first_frac {
                format!("{d:0width$}")
            } else {
                format!(" {d:0width$}")
            }
        };
        let mut s = String::new();
        if self.neg {
            s.push('-');
        }
        let b = Num::from_i64(base as i64);
        let mut int = Num::make(false, self.mag_at(0), 0);
        let mut digits = Vec::new();
        while !int.is_zero() {
            let r = int.rem(&b, 0)?.unwrap_or_default();
            digits.push(r.to_i64().unwrap_or(0) as u64);
            int = int.div(&b, 0)?.unwrap_or_default();
        }
        if digits.is_empty() {
            digits.push(0);
        }
        for d in digits.iter().rev() {
            s.push_str(&digit(*d, false));
        }
        if self.scale > 0 {
            s.push('.');
            let mut frac = Num::make(false, self.mag.clone(), self.scale).sub(&Num::make(
                false,
                self.mag_at(0),
                0,
            ));
            let mut t = Num::from_i64(1);
            let mut first = true;
            while t.int_len() <= self.scale {
                frac = frac.mul(&b, self.scale)?;
                let d = frac.mag_at(0);
                let dv = Num::make(false, d, 0);
                s.push_str(&digit(dv.to_i64().unwrap_or(0) as u64, first));
                first = false;
                frac = frac.sub(&dv);
                t = t.mul(&b, 0)?;
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        let (neg, t) = match s.strip_prefix('-') {
            Some(t) => (true, t),
            None => (false, s),
        };
        let v = Num::parse(t, 10).unwrap();
        if neg { v.neg() } else { v }
    }

    #[test]
    fn arithmetic_and_scales() {
        assert_eq!(n("1.5").add(&n("2.25")).to_dec(), "3.75");
        assert_eq!(n("1").sub(&n("2.5")).to_dec(), "-1.5");
        assert_eq!(n("1.5").mul(&n("1.5"), 0).unwrap().to_dec(), "2.2");
        assert_eq!(n("10").div(&n("3"), 2).unwrap().unwrap().to_dec(), "3.33");
        assert_eq!(n("7").rem(&n("3"), 2).unwrap().unwrap().to_dec(), ".01");
        assert_eq!(n("1.5").pow(3, 0).unwrap().to_dec(), "3.3");
        assert_eq!(n("2").pow(-2, 3).unwrap().to_dec(), ".250");
        assert_eq!(n("2").sqrt(5).unwrap().unwrap().to_dec(), "1.41421");
        assert_eq!(n("0.50").to_dec(), ".50");
        assert_eq!(n("5.25").to_base(2).unwrap(), "101.0100000");
        assert_eq!(n("399").to_base(20).unwrap(), " 19 19");
        assert!(n("2").pow(99_999_999, 0).is_err());
    }
}

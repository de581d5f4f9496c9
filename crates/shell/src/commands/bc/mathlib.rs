//! The `-l` math library: s, c, a, l, e. Each follows the same series, working scales and
//! truncation steps as GNU bc's library so the digits printed agree.

use super::num::{Num, TooBig};

type R = Result<Num, TooBig>;

/// Argument count of a library function, or `None` when `name` is not one.
pub fn arity(name: &str) -> Option<usize> {
    match name {
        "s" | "c" | "a" | "l" | "e" => Some(1),
        _ => None,
    }
}

/// Call library function `name` at the caller's `scale`.
pub fn call(name: &str, args: &[Num], scale: usize) -> R {
    let x = args.first().cloned().unwrap_or_default();
    match name {
        "s" => sin(x, scale),
        "c" => cos(x, scale),
        "a" => atan(x, scale),
        "l" => ln(x, scale),
        _ => exp(x, scale),
    }
}

fn n(v: i64) -> Num {
    Num::from_i64(v)
}

fn lit(s: &str) -> Num {
    Num::parse(s, 10).unwrap_or_default()
}

fn div(a: &Num, b: &Num, s: usize) -> R {
    Ok(a.div(b, s)?.unwrap_or_default())
}

/// A computed scale value as bc's `scale = expr` keeps it (the integer part).
fn as_scale(v: &Num) -> usize {
    v.to_i64().unwrap_or(0).clamp(0, i32::MAX as i64) as usize
}

fn exp(x: Num, z: usize) -> R {
    let mut x = x;
    let m = x.is_neg();
    if m {
        x = x.neg();
    }
    let nn = n(6 + z as i64).add(&lit(".44").mul(&x, z)?);
    let mut scale = x.scale() + 1;
    let mut f = 0u64;
    let one = n(1);
    while x.cmp(&one).is_gt() {
        f += 1;
        x = div(&x, &n(2), scale)?;
        scale += 1;
    }
    let s = as_scale(&nn);
    let mut v = one.add(&x);
    let mut a = x.clone();
    let mut d = n(1);
    let mut i = 2;
    loop {
        a = a.mul(&x, s)?;
        d = d.mul(&n(i), s)?;
        let e = div(&a, &d, s)?;
        if e.is_zero() {
            for _ in 0..f {
                v = v.mul(&v, s)?;
            }
            return if m {
                div(&one, &v, z)
            } else {
                div(&v, &one, z)
            };
        }
        v = v.add(&e);
        i += 1;
    }
}

fn ln(x: Num, z: usize) -> R {
    let mut x = x;
    if x.is_zero() || x.is_neg() {
        let p = n(10).pow(z as i64, z)?;
        return div(&n(1).sub(&p), &n(1), z);
    }
    let s = 6 + z;
    let mut f = n(2);
    while x.cmp(&n(2)).is_ge() {
        f = f.mul(&n(2), s)?;
        x = x.sqrt(s)?.unwrap_or_default();
    }
    let half = lit(".5");
    while x.cmp(&half).is_le() {
        f = f.mul(&n(2), s)?;
        x = x.sqrt(s)?.unwrap_or_default();
    }
    let mut nn = div(&x.sub(&n(1)), &x.add(&n(1)), s)?;
    let mut v = nn.clone();
    let m = nn.mul(&nn, s)?;
    let mut i = 3;
    loop {
        nn = nn.mul(&m, s)?;
        let e = div(&nn, &n(i), s)?;
        if e.is_zero() {
            v = f.mul(&v, s)?;
            return div(&v, &n(1), z);
        }
        v = v.add(&e);
        i += 2;
    }
}

fn sin(x: Num, z: usize) -> R {
    let mut x = x;
    let s1 = as_scale(&lit("1.1").mul(&n(z as i64), z)?.add(&n(2)));
    let v = atan(n(1), s1)?;
    let m = x.is_neg();
    if m {
        x = x.neg();
    }
    let q = div(&div(&x, &v, 0)?.add(&n(2)), &n(4), 0)?;
    x = x.sub(&n(4).mul(&q, 0)?.mul(&v, 0)?);
    if !q.rem(&n(2), 0)?.unwrap_or_default().is_zero() {
        x = x.neg();
    }
    let s = z + 2;
    let mut v = x.clone();
    let mut e = x.clone();
    let sq = x.mul(&x, s)?.neg();
    let mut i: i64 = 3;
    loop {
        let t = div(&sq, &n(i * (i - 1)), s)?;
        e = e.mul(&t, s)?;
        if e.is_zero() {
            let r = if m { v.neg() } else { v };
            return div(&r, &n(1), z);
        }
        v = v.add(&e);
        i += 2;
    }
}

fn cos(x: Num, z: usize) -> R {
    let s = as_scale(&n(z as i64).mul(&lit("1.2"), z)?);
    let a1 = atan(n(1), s)?;
    let arg = x.add(&a1.mul(&n(2), s)?);
    let v = sin(arg, s)?;
    div(&v, &n(1), z)
}

fn atan(x: Num, scale: usize) -> R {
    let mut x = x;
    let mut m = n(1);
    if x.is_neg() {
        m = n(-1);
        x = x.neg();
    }
    let one = n(1);
    if x.cmp(&one).is_eq() {
        for (lim, t) in [
            (25, ".7853981633974483096156608"),
            (40, ".7853981633974483096156608458198757210492"),
            (
                60,
                ".785398163397448309615660845819875721049292349843776455243736",
            ),
        ] {
            if scale <= lim {
                return div(&lit(t), &m, scale);
            }
        }
    }
    let fifth = lit(".2");
    if x.cmp(&fifth).is_eq() {
        for (lim, t) in [
            (25, ".1973955598498807583700497"),
            (40, ".1973955598498807583700497651947902934475"),
            (
                60,
                ".197395559849880758370049765194790293447585103787852101517688",
            ),
        ] {
            if scale <= lim {
                return div(&lit(t), &m, scale);
            }
        }
    }
    let z = scale;
    let mut a = Num::zero();
    if x.cmp(&fifth).is_gt() {
        a = atan(fifth.clone(), z + 5)?;
    }
    let s = z + 3;
    let mut f = Num::zero();
    while x.cmp(&fifth).is_gt() {
        f = f.add(&one);
        x = div(&x.sub(&fifth), &one.add(&x.mul(&fifth, s)?), s)?;
    }
    let mut v = x.clone();
    let mut nn = x.clone();
    let sq = x.mul(&x, s)?.neg();
    let mut i = 3;
    loop {
        nn = nn.mul(&sq, s)?;
        let e = div(&nn, &n(i), s)?;
        if e.is_zero() {
            let r = f.mul(&a, z)?.add(&v);
            return div(&r, &m, z);
        }
        v = v.add(&e);
        i += 2;
    }
}

//! `factor`: print the prime factors of each number (operands, or the words of standard
//! input), up to 2^128 - 1, by trial division, Miller-Rabin and Pollard's rho.

use super::super::{Command, Ctx};
use super::{Out, print_text, quote, read_operand, stopped, try_help, version};
use crate::io::Cancel;

/// `factor [NUMBER]...`
pub struct Factor;

fn mul_mod(a: u128, b: u128, m: u128) -> u128 {
    if let (Ok(a64), Ok(b64)) = (u64::try_from(a), u64::try_from(b)) {
        return (u128::from(a64) * u128::from(b64)) % m;
    }
    let (mut a, mut b, mut r) = (a % m, b % m, 0u128);
    while b > 0 {
        if b & 1 == 1 {
            r = if r >= m - a { r - (m - a) } else { r + a };
        }
        a = if a >= m - a { a - (m - a) } else { a + a };
        b >>= 1;
    }
    r
}

fn pow_mod(mut b: u128, mut e: u128, m: u128) -> u128 {
    let mut r = 1 % m;
    b %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, b, m);
        }
        b = mul_mod(b, b, m);
        e >>= 1;
    }
    r
}

fn is_prime(n: u128) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u128, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'outer: for a in [
        2u128, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53,
    ] {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'outer;
            }
        }
        return false;
    }
    true
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn rho(n: u128, cancel: &Cancel) -> u128 {
    let mut c = 1u128;
    loop {
        let f = |x: u128| (mul_mod(x, x, n) + c) % n;
        let (mut x, mut y, mut d) = (2u128, 2u128, 1u128);
        let mut steps = 0u32;
        while d == 1 {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(4096) && cancel.is_cancelled() {
                return n;
            }
            x = f(x);
            y = f(f(y));
            d = gcd(x.abs_diff(y), n);
        }
        if d != n {
            return d;
        }
        c += 1;
    }
}

/// The prime factors of `n`, ascending.
pub(super) fn factorize(mut n: u128, cancel: &Cancel) -> Vec<u128> {
    let mut out = Vec::new();
    for p in [2u128, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47] {
        while n.is_multiple_of(p) && n > 1 {
            out.push(p);
            n /= p;
        }
    }
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        if m == 1 {
            continue;
        }
        if is_prime(m) {
            out.push(m);
            continue;
        }
        let d = rho(m, cancel);
        if d == m {
            out.push(m);
            continue;
        }
        stack.push(d);
        stack.push(m / d);
    }
    out.sort_unstable();
    out
}

fn one(ctx: &Ctx<'_>, out: &mut Out<'_, '_>, w: &str) -> Result<bool, i32> {
    // strtoumax skips leading white space before the optional '+'.
    let t = w.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix('+').unwrap_or(t);
    let n = if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
        t.parse::<u128>().ok()
    } else {
        None
    };
    let Some(n) = n else {
        if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
            ctx.err(&format!("{} is too large", quote(w)));
        } else {
            ctx.err(&format!("{} is not a valid positive integer", quote(w)));
        }
        return Ok(false);
    };
    let mut line = format!("{n}:");
    if n > 1 {
        for f in factorize(n, ctx.cancel) {
            line.push_str(&format!(" {f}"));
        }
    }
    line.push('\n');
    if ctx.cancel.is_cancelled() {
        return Err(130);
    }
    out.put(line.as_bytes()).map_err(stopped)?;
    Ok(true)
}

impl Command for Factor {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut ops = Vec::new();
        let mut only = false;
        for a in &ctx.args[1..] {
            if !only && a == "--" {
                only = true;
            } else if !only && a == "--help" {
                return print_text(ctx, HELP);
            } else if !only && a == "--version" {
                return version(
                    ctx,
                    "factor",
                    "Written by Paul Rubin, Torbjorn Granlund, and Niels Moller.",
                );
            } else if !only && a.starts_with("--") {
                return try_help(ctx, &format!("unrecognized option '{a}'"), 1);
            } else if !only && a.len() > 1 && a.starts_with('-') {
                let c = a[1..].chars().next().unwrap_or('-');
                return try_help(ctx, &format!("invalid option -- '{c}'"), 1);
            } else {
                ops.push(a.clone());
            }
        }
        let mut out = Out::new(ctx);
        let mut ok = true;
        if ops.is_empty() {
            let data = match read_operand(ctx, "-") {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("-: {m}"));
                    return 1;
                }
            };
            let text = String::from_utf8_lossy(&data).into_owned();
            for w in text.split_ascii_whitespace() {
                match one(ctx, &mut out, w) {
                    Ok(good) => ok &= good,
                    Err(st) => return st,
                }
            }
        } else {
            for w in &ops {
                match one(ctx, &mut out, w) {
                    Ok(good) => ok &= good,
                    Err(st) => return st,
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        i32::from(!ok)
    }
}

const HELP: &str = r#"Usage: factor [NUMBER]...
  or:  factor OPTION
Print the prime factors of each specified integer NUMBER.  If none
are specified on the command line, read them from standard input.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/factor>
or available locally via: info '(coreutils) factor invocation'
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors() {
        assert_eq!(factorize(12, &Cancel::new()), vec![2, 2, 3]);
        assert_eq!(
            factorize(18_446_744_073_709_551_615, &Cancel::new()),
            vec![3, 5, 17, 257, 641, 65537, 6_700_417]
        );
        assert_eq!(
            factorize(1_000_000_007, &Cancel::new()),
            vec![1_000_000_007]
        );
    }
}

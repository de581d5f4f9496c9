//! `sort`: sort, merge or check lines of text (GNU coreutils 9.1, C locale): keys
//! (`-k F[.C][OPTS][,F[.C][OPTS]]`) with GNU's field rules, `-t`, the orderings
//! `-n -g -h -M -V -R -d -f -i -b -r`, `-u`, `-s` (otherwise the whole line breaks ties),
//! `-c`/`-C`, `-m`, `-o` and `-z`.

use std::cmp::Ordering;

use super::{open, quote, quote_shell, stopped, version};
use crate::commands::util::{Arg, MAX_INPUT, parse_args, read_all_shared};
use crate::commands::{Command, Ctx};

/// `sort [OPTION]... [FILE]...`
pub struct Sort;

const NONE: usize = usize::MAX;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ignore {
    Dictionary,
    Nonprinting,
}

#[derive(Clone, Copy)]
struct Key {
    sword: usize,
    schar: usize,
    eword: usize,
    echar: usize,
    skipsblanks: bool,
    skipeblanks: bool,
    ignore: Option<Ignore>,
    translate: bool,
    numeric: bool,
    general: bool,
    human: bool,
    month: bool,
    random: bool,
    version: bool,
    reverse: bool,
}

impl Key {
    fn new() -> Self {
        Key {
            sword: NONE,
            schar: 0,
            eword: NONE,
            echar: 0,
            skipsblanks: false,
            skipeblanks: false,
            ignore: None,
            translate: false,
            numeric: false,
            general: false,
            human: false,
            month: false,
            random: false,
            version: false,
            reverse: false,
        }
    }

    fn default_compare(&self) -> bool {
        !(self.ignore.is_some()
            || self.translate
            || self.skipsblanks
            || self.skipeblanks
            || self.numeric
            || self.general
            || self.human
            || self.month
            || self.version
            || self.random)
    }

    fn opts(&self) -> String {
        let mut s = String::new();
        if self.skipsblanks || self.skipeblanks {
            s.push('b');
        }
        if self.ignore == Some(Ignore::Dictionary) {
            s.push('d');
        }
        if self.translate {
            s.push('f');
        }
        if self.general {
            s.push('g');
        }
        if self.human {
            s.push('h');
        }
        if self.ignore == Some(Ignore::Nonprinting) {
            s.push('i');
        }
        if self.month {
            s.push('M');
        }
        if self.numeric {
            s.push('n');
        }
        if self.random {
            s.push('R');
        }
        if self.reverse {
            s.push('r');
        }
        if self.version {
            s.push('V');
        }
        s
    }

    /// Apply one ordering letter; false if it is not one.
    fn set(&mut self, c: char, end: bool) -> bool {
        match c {
            'b' => {
                if end {
                    self.skipeblanks = true;
                } else {
                    self.skipsblanks = true;
                }
            }
            'd' => self.ignore = Some(Ignore::Dictionary),
            'f' => self.translate = true,
            'g' => self.general = true,
            'h' => self.human = true,
            'i' => {
                if self.ignore.is_none() {
                    self.ignore = Some(Ignore::Nonprinting);
                }
            }
            'M' => self.month = true,
            'n' => self.numeric = true,
            'R' => self.random = true,
            'r' => self.reverse = true,
            'V' => self.version = true,
            _ => return false,
        }
        true
    }
}

fn blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n'
}

struct Cfg {
    keys: Vec<Key>,
    tab: Option<u8>,
    reverse: bool,
    stable: bool,
    unique: bool,
    seed: u64,
}

fn begfield(line: &[u8], key: &Key, tab: Option<u8>) -> usize {
    let lim = line.len();
    let mut p = 0;
    let mut sword = key.sword;
    if let Some(t) = tab {
        while p < lim && sword > 0 {
            sword -= 1;
            while p < lim && line[p] != t {
                p += 1;
            }
            if p < lim {
                p += 1;
            }
        }
    } else {
        while p < lim && sword > 0 {
            sword -= 1;
            while p < lim && blank(line[p]) {
                p += 1;
            }
            while p < lim && !blank(line[p]) {
                p += 1;
            }
        }
    }
    if key.skipsblanks {
        while p < lim && blank(line[p]) {
            p += 1;
        }
    }
    lim.min(p.saturating_add(key.schar))
}

fn limfield(line: &[u8], key: &Key, tab: Option<u8>) -> usize {
    let lim = line.len();
    let mut p = 0;
    let mut eword = key.eword;
    let echar = key.echar;
    if echar == 0 {
        eword = eword.saturating_add(1);
    }
    if let Some(t) = tab {
        while p < lim && eword > 0 {
            eword -= 1;
            while p < lim && line[p] != t {
                p += 1;
            }
            if p < lim && (eword > 0 || echar > 0) {
                p += 1;
            }
        }
    } else {
        while p < lim && eword > 0 {
            eword -= 1;
            while p < lim && blank(line[p]) {
                p += 1;
            }
            while p < lim && !blank(line[p]) {
                p += 1;
            }
        }
    }
    if echar != 0 {
        if key.skipeblanks {
            while p < lim && blank(line[p]) {
                p += 1;
            }
        }
        p = lim.min(p.saturating_add(echar));
    }
    p
}

fn key_span<'l>(line: &'l [u8], key: &Key, tab: Option<u8>) -> &'l [u8] {
    let lim = if key.eword == NONE {
        line.len()
    } else {
        limfield(line, key, tab)
    };
    let beg = if key.sword != NONE {
        begfield(line, key, tab)
    } else {
        let mut p = 0;
        if key.skipsblanks {
            while p < lim && blank(line[p]) {
                p += 1;
            }
        }
        p
    };
    let lim = lim.max(beg);
    &line[beg..lim]
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| blank(c)).count();
    &s[n..]
}

/// A number as `strnumcmp` sees it: sign, integer digits without leading zeros,
/// fraction digits without trailing zeros.
fn num_parts(s: &[u8]) -> (bool, &[u8], &[u8]) {
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let nint = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut int = &s[..nint];
    while let [b'0', rest @ ..] = int {
        int = rest;
    }
    let mut frac: &[u8] = &[];
    if s.get(nint) == Some(&b'.') {
        let f = &s[nint + 1..];
        let nf = f.iter().take_while(|c| c.is_ascii_digit()).count();
        frac = &f[..nf];
        while let [rest @ .., b'0'] = frac {
            frac = rest;
        }
    }
    let zero = int.is_empty() && frac.is_empty();
    (neg && !zero, int, frac)
}

/// A parsed `-n` key: sign, integer digits, fraction digits (see [`num_parts`]).
type NumKey<'a> = (bool, &'a [u8], &'a [u8]);

/// Whether `key` compares numbers and nothing else (the decorated fast path).
fn plain_numeric(key: &Key) -> bool {
    key.numeric
        && !(key.general
            || key.human
            || key.month
            || key.random
            || key.version
            || key.translate
            || key.ignore.is_some())
}

/// Compare two parsed numbers as `strnumcmp` does.
fn numkey_cmp(a: &NumKey<'_>, b: &NumKey<'_>) -> Ordering {
    let (na, ia, fa) = *a;
    let (nb, ib, fb) = *b;
    let mag = ia
        .len()
        .cmp(&ib.len())
        .then_with(|| ia.cmp(ib))
        .then_with(|| fa.cmp(fb));
    match (na, nb) {
        (false, false) => mag,
        (true, true) => mag.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// A parsed `-n` key as one integer in the same order: the integer part times 10^18
/// plus the fraction's digits scaled to 18 places, negated for a negative number;
/// `None` when either part has more than 18 digits (too many to hold exactly).
fn fixed_key(k: &NumKey<'_>) -> Option<i128> {
    const PLACES: usize = 18;
    let (neg, int, frac) = *k;
    if int.len() > PLACES || frac.len() > PLACES {
        return None;
    }
    let digits = |s: &[u8]| s.iter().fold(0i128, |v, &c| v * 10 + i128::from(c - b'0'));
    let mut f = digits(frac);
    for _ in frac.len()..PLACES {
        f *= 10;
    }
    let v = digits(int) * 1_000_000_000_000_000_000 + f;
    Some(if neg { -v } else { v })
}

/// The parsed `-n` key of a line.
fn num_key<'l>(line: &'l [u8], key: &Key, tab: Option<u8>) -> NumKey<'l> {
    num_parts(skip_blanks(key_span(line, key, tab)))
}

fn numcmp(a: &[u8], b: &[u8]) -> Ordering {
    numkey_cmp(&num_parts(skip_blanks(a)), &num_parts(skip_blanks(b)))
}

fn unit_order(s: &[u8]) -> i32 {
    let minus = s.first() == Some(&b'-');
    let mut p = usize::from(minus);
    let mut nonzero = false;
    while p < s.len() && s[p].is_ascii_digit() {
        nonzero |= s[p] != b'0';
        p += 1;
    }
    if s.get(p) == Some(&b'.') {
        p += 1;
        while p < s.len() && s[p].is_ascii_digit() {
            nonzero |= s[p] != b'0';
            p += 1;
        }
    }
    if !nonzero {
        return 0;
    }
    let order = s.get(p).map_or(0, |&c| unit_order_of(c));
    if minus { -order } else { order }
}

/// The power of a `-h` unit suffix (`K`/`k` 1 ... `Q` 10), 0 for none.
fn unit_order_of(c: u8) -> i32 {
    match c {
        b'K' | b'k' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        b'Z' => 7,
        b'Y' => 8,
        b'R' => 9,
        b'Q' => 10,
        _ => 0,
    }
}

/// How many bytes of `s` `strtold` would read (0: none), as `--debug` marks a `-g` key.
fn strtold_len(s: &[u8]) -> usize {
    let digits = |from: usize, hex: bool| {
        s[from.min(s.len())..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count()
    };
    let mut p = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count();
    if matches!(s.get(p), Some(b'+' | b'-')) {
        p += 1;
    }
    let lower: Vec<u8> = s[p..].iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"infinity") {
        return p + 8;
    }
    if lower.starts_with(b"inf") {
        return p + 3;
    }
    if lower.starts_with(b"nan") {
        let q = p + 3;
        if s.get(q) == Some(&b'(') {
            let n = s[q + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if s.get(q + 1 + n) == Some(&b')') {
                return q + n + 2;
            }
        }
        return q;
    }
    let hex = lower.starts_with(b"0x")
        && (digits(p + 2, true) > 0 || (s.get(p + 2) == Some(&b'.') && digits(p + 3, true) > 0));
    let (start, exp) = if hex { (p + 2, b'p') } else { (p, b'e') };
    let int = digits(start, hex);
    let mut q = start + int;
    let mut any = int > 0;
    if s.get(q) == Some(&b'.') {
        let frac = digits(q + 1, hex);
        if any || frac > 0 {
            q += 1 + frac;
            any = true;
        }
    }
    if !any {
        return 0;
    }
    if s.get(q).is_some_and(|c| c.to_ascii_lowercase() == exp) {
        let mut r = q + 1;
        if matches!(s.get(r), Some(b'+' | b'-')) {
            r += 1;
        }
        let e = digits(r, false);
        if e > 0 {
            q = r + e;
        }
    }
    q
}

fn humancmp(a: &[u8], b: &[u8]) -> Ordering {
    let a = skip_blanks(a);
    let b = skip_blanks(b);
    unit_order(a).cmp(&unit_order(b)).then_with(|| numcmp(a, b))
}

/// `strtold`-like: the value of the longest numeric prefix, or `None` if there is none.
pub(super) fn strtod_prefix(s: &[u8]) -> Option<f64> {
    let mut p = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count();
    let start = p;
    if matches!(s.get(p), Some(b'+' | b'-')) {
        p += 1;
    }
    let rest = &s[p..];
    let lower: Vec<u8> = rest.iter().take(8).map(u8::to_ascii_lowercase).collect();
    let neg = s.get(start) == Some(&b'-');
    if lower.starts_with(b"inf") {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower.starts_with(b"nan") {
        return Some(f64::NAN);
    }
    if lower.starts_with(b"0x") {
        let hex = &rest[2..];
        let mut v = 0f64;
        let mut any = false;
        let mut i = 0;
        while i < hex.len() && hex[i].is_ascii_hexdigit() {
            v = v * 16.0 + f64::from((hex[i] as char).to_digit(16).unwrap_or(0));
            any = true;
            i += 1;
        }
        if i < hex.len() && hex[i] == b'.' {
            i += 1;
            let mut scale = 1.0 / 16.0;
            while i < hex.len() && hex[i].is_ascii_hexdigit() {
                v += f64::from((hex[i] as char).to_digit(16).unwrap_or(0)) * scale;
                scale /= 16.0;
                any = true;
                i += 1;
            }
        }
        if any {
            return Some(if neg { -v } else { v });
        }
    }
    let mut q = p;
    let mut digits = 0;
    while q < s.len() && s[q].is_ascii_digit() {
        q += 1;
        digits += 1;
    }
    if q < s.len() && s[q] == b'.' {
        q += 1;
        while q < s.len() && s[q].is_ascii_digit() {
            q += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if q < s.len() && (s[q] == b'e' || s[q] == b'E') {
        let mut r = q + 1;
        if matches!(s.get(r), Some(b'+' | b'-')) {
            r += 1;
        }
        if s.get(r).is_some_and(u8::is_ascii_digit) {
            while r < s.len() && s[r].is_ascii_digit() {
                r += 1;
            }
            q = r;
        }
    }
    std::str::from_utf8(&s[start..q]).ok()?.parse::<f64>().ok()
}

fn generalcmp(a: &[u8], b: &[u8]) -> Ordering {
    match (strtod_prefix(a), strtod_prefix(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match x.partial_cmp(&y) {
            Some(o) => o,
            None => match (x.is_nan(), y.is_nan()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                _ => Ordering::Greater,
            },
        },
    }
}

fn month(s: &[u8]) -> i32 {
    const M: [&[u8]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let s = skip_blanks(s);
    if s.len() < 3 {
        return 0;
    }
    let up: Vec<u8> = s[..3].iter().map(u8::to_ascii_uppercase).collect();
    M.iter()
        .position(|m| *m == up.as_slice())
        .map_or(0, |i| i as i32 + 1)
}

fn ver_order(c: u8) -> i32 {
    if c.is_ascii_digit() {
        0
    } else if c.is_ascii_alphabetic() {
        i32::from(c)
    } else if c == b'~' {
        -1
    } else {
        i32::from(c) + 256
    }
}

fn verrevcmp(s1: &[u8], s2: &[u8]) -> i32 {
    let (mut i, mut j) = (0, 0);
    while i < s1.len() || j < s2.len() {
        let mut first_diff = 0;
        while (i < s1.len() && !s1[i].is_ascii_digit()) || (j < s2.len() && !s2[j].is_ascii_digit())
        {
            let c1 = if i == s1.len() { 0 } else { ver_order(s1[i]) };
            let c2 = if j == s2.len() { 0 } else { ver_order(s2[j]) };
            if c1 != c2 {
                return c1 - c2;
            }
            i += 1;
            j += 1;
        }
        while i < s1.len() && s1[i] == b'0' {
            i += 1;
        }
        while j < s2.len() && s2[j] == b'0' {
            j += 1;
        }
        while i < s1.len() && j < s2.len() && s1[i].is_ascii_digit() && s2[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = i32::from(s1[i]) - i32::from(s2[j]);
            }
            i += 1;
            j += 1;
        }
        if i < s1.len() && s1[i].is_ascii_digit() {
            return 1;
        }
        if j < s2.len() && s2[j].is_ascii_digit() {
            return -1;
        }
        if first_diff != 0 {
            return first_diff;
        }
    }
    0
}

fn file_prefixlen(s: &[u8]) -> usize {
    let n = s.len();
    let mut prefix = 0;
    let mut i = 0;
    loop {
        if i == n {
            return prefix;
        }
        i += 1;
        prefix = i;
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
    }
}

/// `--files0-from=F`: the NUL-separated input names in F (`-` is stdin), checked as
/// GNU sort checks them.
fn names_from(ctx: &Ctx<'_>, list: &str) -> Result<Vec<String>, i32> {
    let data = match open(ctx, list).map(|fd| read_all_shared(&fd, MAX_INPUT)) {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            ctx.err(&format!(
                "read failed: {}: {}",
                quote_shell(list, false),
                super::io_err(&e)
            ));
            return Err(2);
        }
        Err(m) => {
            ctx.err(&format!("open failed: {}: {m}", quote_shell(list, false)));
            return Err(2);
        }
    };
    let mut parts: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    if parts.is_empty() {
        ctx.err(&format!("no input from {}", quote(list)));
        return Err(2);
    }
    let mut names = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() {
            ctx.err(&format!(
                "{}:{}: invalid zero-length file name",
                quote_shell(list, false),
                i + 1
            ));
            return Err(2);
        }
        if *p == b"-" {
            ctx.err("when reading file names from stdin, no file name of '-' allowed");
            return Err(2);
        }
        names.push(String::from_utf8_lossy(p).into_owned());
    }
    Ok(names)
}

/// gnulib's `filevercmp`.
pub(crate) fn filevercmp(a: &[u8], b: &[u8]) -> Ordering {
    let r = filevercmp_i(a, b);
    r.cmp(&0)
}

fn filevercmp_i(a: &[u8], b: &[u8]) -> i32 {
    if a.is_empty() {
        return -i32::from(!b.is_empty());
    }
    if b.is_empty() {
        return 1;
    }
    if a[0] == b'.' {
        if b[0] != b'.' {
            return -1;
        }
        let adot = a.len() == 1;
        let bdot = b.len() == 1;
        if adot {
            return -i32::from(!bdot);
        }
        if bdot {
            return 1;
        }
        let add = a[1] == b'.' && a.len() == 2;
        let bdd = b[1] == b'.' && b.len() == 2;
        if add {
            return -i32::from(!bdd);
        }
        if bdd {
            return 1;
        }
    } else if b[0] == b'.' {
        return 1;
    }
    let ap = file_prefixlen(a);
    let bp = file_prefixlen(b);
    let one_pass = ap == a.len() && bp == b.len();
    let r = verrevcmp(&a[..ap], &b[..bp]);
    if r != 0 || one_pass {
        r
    } else {
        verrevcmp(a, b)
    }
}

fn hash(seed: u64, s: &[u8]) -> u64 {
    let mut h = seed ^ 0xcbf2_9ce4_8422_2325;
    for &c in s {
        h ^= u64::from(c);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

fn ignored(ig: Option<Ignore>, c: u8) -> bool {
    match ig {
        None => false,
        Some(Ignore::Dictionary) => !c.is_ascii_alphanumeric() && !blank(c),
        Some(Ignore::Nonprinting) => !(0x20..0x7f).contains(&c),
    }
}

fn filtered(s: &[u8], key: &Key) -> Vec<u8> {
    s.iter()
        .filter(|&&c| !ignored(key.ignore, c))
        .map(|&c| {
            if key.translate {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn keycmp(a: &[u8], b: &[u8], cfg: &Cfg) -> Ordering {
    for key in &cfg.keys {
        let ta = key_span(a, key, cfg.tab);
        let tb = key_span(b, key, cfg.tab);
        let special =
            key.numeric || key.general || key.human || key.month || key.random || key.version;
        let diff = if special {
            let (fa, fb);
            let (xa, xb) = if key.ignore.is_some() || key.translate {
                fa = filtered(ta, key);
                fb = filtered(tb, key);
                (fa.as_slice(), fb.as_slice())
            } else {
                (ta, tb)
            };
            if key.numeric {
                numcmp(xa, xb)
            } else if key.general {
                generalcmp(xa, xb)
            } else if key.human {
                humancmp(xa, xb)
            } else if key.month {
                month(xa).cmp(&month(xb))
            } else if key.random {
                hash(cfg.seed, xa)
                    .cmp(&hash(cfg.seed, xb))
                    .then_with(|| xa.cmp(xb))
            } else {
                filevercmp(xa, xb)
            }
        } else if key.ignore.is_some() || key.translate {
            let fa = filtered(ta, key);
            let fb = filtered(tb, key);
            fa.cmp(&fb)
        } else {
            ta.cmp(tb)
        };
        if diff != Ordering::Equal {
            return if key.reverse { diff.reverse() } else { diff };
        }
    }
    Ordering::Equal
}

fn compare(a: &[u8], b: &[u8], cfg: &Cfg) -> Ordering {
    if !cfg.keys.is_empty() {
        let d = keycmp(a, b, cfg);
        if d != Ordering::Equal || cfg.unique || cfg.stable {
            return d;
        }
    }
    let d = a.cmp(b);
    if cfg.reverse { d.reverse() } else { d }
}

fn parse_count(s: &str) -> Result<(usize, &str), ()> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return Err(());
    }
    let v = s[..n].parse::<usize>().unwrap_or(NONE);
    Ok((v, &s[n..]))
}

fn parse_key(spec: &str) -> Result<Key, String> {
    let bad = |m: &str| format!("{m}: invalid field specification {}", quote(spec));
    let count_err = |m: &str, rest: &str| format!("{m}: invalid count at start of {}", quote(rest));
    let mut k = Key::new();
    let (sword, mut s) =
        parse_count(spec).map_err(|()| count_err("invalid number at field start", spec))?;
    if sword == 0 {
        return Err(bad("field number is zero"));
    }
    k.sword = sword - 1;
    k.schar = 0;
    if let Some(r) = s.strip_prefix('.') {
        let (c, r2) = parse_count(r).map_err(|()| count_err("invalid number after '.'", r))?;
        if c == 0 {
            return Err(bad("character offset is zero"));
        }
        k.schar = c - 1;
        s = r2;
    }
    if k.sword == 0 && k.schar == 0 {
        k.sword = NONE;
    }
    let mut chars = s.char_indices().peekable();
    let mut idx = s.len();
    while let Some(&(i, c)) = chars.peek() {
        if !k.set(c, false) {
            idx = i;
            break;
        }
        chars.next();
    }
    s = &s[idx..];
    if let Some(r) = s.strip_prefix(',') {
        let (e, mut r2) = parse_count(r).map_err(|()| count_err("invalid number after ','", r))?;
        if e == 0 {
            return Err(bad("field number is zero"));
        }
        k.eword = e - 1;
        if let Some(r3) = r2.strip_prefix('.') {
            let (c, r4) =
                parse_count(r3).map_err(|()| count_err("invalid number after '.'", r3))?;
            k.echar = c;
            r2 = r4;
        }
        let mut idx = r2.len();
        for (i, c) in r2.char_indices() {
            if !k.set(c, true) {
                idx = i;
                break;
            }
        }
        s = &r2[idx..];
    } else {
        k.eword = NONE;
        k.echar = 0;
    }
    if !s.is_empty() {
        return Err(bad("stray character in field spec"));
    }
    Ok(k)
}

impl Command for Sort {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `--check[=WHEN]` takes an optional value, which the parser cannot express.
        let mut check_value: Option<String> = None;
        let mut args: Vec<String> = Vec::new();
        let mut dd = false;
        for a in &ctx.args[1..] {
            if !dd
                && let Some((n, v)) = a.strip_prefix("--").and_then(|b| b.split_once('='))
                && n.len() >= 3
                && "check".starts_with(n)
            {
                check_value = Some(v.to_string());
                args.push("--check".into());
                continue;
            }
            dd |= a == "--";
            args.push(a.clone());
        }
        let parsed = match parse_args(
            &args,
            "ktoSTy",
            "bdfghiMnRrVcCmsuz",
            &[
                "ignore-leading-blanks",
                "dictionary-order",
                "ignore-case",
                "general-numeric-sort",
                "human-numeric-sort",
                "ignore-nonprinting",
                "month-sort",
                "numeric-sort",
                "random-sort",
                "random-source=",
                "reverse",
                "version-sort",
                "sort=",
                "check",
                "merge",
                "key=",
                "output=",
                "stable",
                "unique",
                "zero-terminated",
                "field-separator=",
                "buffer-size=",
                "temporary-directory=",
                "parallel=",
                "batch-size=",
                "compress-program=",
                "files0-from=",
                "help",
                "version",
                "debug",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 2),
        };
        let mut g = Key::new();
        let mut keys = Vec::new();
        let mut tab: Option<u8> = None;
        let mut check: Option<bool> = None; // Some(quiet)
        let mut check_letter = 'c';
        let mut merge = false;
        let mut output: Option<String> = None;
        let mut stable = false;
        let mut unique = false;
        let mut delim = b'\n';
        let mut debug = false;
        let mut files: Vec<String> = Vec::new();
        let mut files0: Option<String> = None;
        for a in parsed {
            let (name, val): (String, Option<String>) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (c.to_string(), v),
                Arg::Long(l, v) => (l, v),
            };
            let v = val.unwrap_or_default();
            match name.as_str() {
                "b" | "ignore-leading-blanks" => {
                    g.skipsblanks = true;
                    g.skipeblanks = true;
                }
                "d" | "dictionary-order" => {
                    g.set('d', false);
                }
                "f" | "ignore-case" => g.translate = true,
                "g" | "general-numeric-sort" => g.general = true,
                "h" | "human-numeric-sort" => g.human = true,
                "i" | "ignore-nonprinting" => {
                    g.set('i', false);
                }
                "M" | "month-sort" => g.month = true,
                "n" | "numeric-sort" => g.numeric = true,
                "R" | "random-sort" => g.random = true,
                "r" | "reverse" => g.reverse = true,
                "V" | "version-sort" => g.version = true,
                "sort" => {
                    let c = match v.as_str() {
                        "general-numeric" => 'g',
                        "human-numeric" => 'h',
                        "month" => 'M',
                        "numeric" => 'n',
                        "random" => 'R',
                        "version" => 'V',
                        _ => {
                            ctx.err(&format!(
                                "invalid argument {} for '--sort'\nValid arguments are:\n  - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n  - 'random'\n  - 'version'",
                                quote(&v)
                            ));
                            return super::try_help(ctx, 1);
                        }
                    };
                    g.set(c, false);
                }
                "c" => {
                    check = Some(false);
                    check_letter = 'c';
                }
                "C" => {
                    check = Some(true);
                    check_letter = 'C';
                }
                "check" => {
                    let v = check_value.clone().unwrap_or_default();
                    check = Some(match v.as_str() {
                        "" | "diagnose-first" => {
                            check_letter = 'c';
                            false
                        }
                        "quiet" | "silent" => {
                            check_letter = 'C';
                            true
                        }
                        _ => {
                            ctx.err(&format!(
                                "invalid argument {} for '--check'\nValid arguments are:\n  - 'diagnose-first'\n  - 'quiet', 'silent'",
                                quote(&v)
                            ));
                            return super::try_help(ctx, 1);
                        }
                    })
                }
                "m" | "merge" => merge = true,
                "debug" => debug = true,
                "k" | "key" => match parse_key(&v) {
                    Ok(k) => keys.push(k),
                    Err(m) => {
                        ctx.err(&m);
                        return 2;
                    }
                },
                "o" | "output" => output = Some(v),
                "files0-from" => files0 = Some(v),
                "s" | "stable" => stable = true,
                "u" | "unique" => unique = true,
                "z" | "zero-terminated" => delim = 0,
                "t" | "field-separator" => {
                    let b = v.as_bytes();
                    if b.is_empty() {
                        ctx.err("empty tab");
                        return 2;
                    }
                    let t = if b.len() > 1 {
                        if v == "\\0" {
                            0
                        } else {
                            ctx.err(&format!("multi-character tab {}", quote(&v)));
                            return 2;
                        }
                    } else {
                        b[0]
                    };
                    if tab.is_some_and(|x| x != t) {
                        ctx.err("incompatible tabs");
                        return 2;
                    }
                    tab = Some(t);
                }
                "help" => return super::print_text(ctx, HELP),
                "version" => {
                    return version(ctx, "sort", "Written by Mike Haertel and Paul Eggert.");
                }
                _ => {}
            }
        }
        // Keys without options of their own inherit the global ones.
        for k in &mut keys {
            if k.default_compare() && !k.reverse {
                let (sw, sc, ew, ec) = (k.sword, k.schar, k.eword, k.echar);
                *k = g;
                k.sword = sw;
                k.schar = sc;
                k.eword = ew;
                k.echar = ec;
            }
        }
        let gkey_only = keys.is_empty() && !g.default_compare();
        if gkey_only {
            keys.push(g);
        }
        for k in &keys {
            let n = usize::from(k.numeric)
                + usize::from(k.general)
                + usize::from(k.human)
                + usize::from(k.month)
                + usize::from(k.version || k.random || k.ignore.is_some());
            if n > 1 {
                let mut c = *k;
                c.skipsblanks = false;
                c.skipeblanks = false;
                c.reverse = false;
                ctx.err(&format!("options '-{}' are incompatible", c.opts()));
                return 2;
            }
        }
        if debug {
            if check.is_some() || output.is_some() {
                let c = if check.is_some() { check_letter } else { 'o' };
                ctx.err(&format!("options '-{c} --debug' are incompatible"));
                return 2;
            }
            for w in debug::warnings(&keys, &g, gkey_only, tab, stable, unique) {
                ctx.err(&w);
            }
        }
        let seed = if keys.iter().any(|k| k.random) {
            let mut b = [0u8; 8];
            crate::io::fill_random(&mut b);
            u64::from_le_bytes(b)
        } else {
            0
        };
        let cfg = Cfg {
            keys,
            tab,
            reverse: g.reverse,
            stable,
            unique,
            seed,
        };
        if let Some(list) = files0 {
            if let Some(extra) = files.first() {
                ctx.err(&format!("extra operand {}", quote(extra)));
                let _ = ctx.stderr.write_all(
                    b"file operands cannot be combined with --files0-from\nTry 'sort --help' for more information.\n",
                );
                return 2;
            }
            match names_from(ctx, &list) {
                Ok(n) => files = n,
                Err(st) => return st,
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        if let Some(quiet) = check {
            if files.len() > 1 {
                let flag = if quiet { "-C" } else { "-c" };
                ctx.err(&format!(
                    "extra operand {} not allowed with {flag}",
                    quote(&files[1])
                ));
                return 2;
            }
            let data = match read_input(ctx, &files[0]) {
                Ok(d) => d,
                Err(st) => return st,
            };
            let lines = split(&data, delim);
            for i in 1..lines.len() {
                let o = compare(lines[i - 1], lines[i], &cfg);
                if o == Ordering::Greater || (unique && o == Ordering::Equal) {
                    if !quiet {
                        let mut m =
                            format!("sort: {}:{}: disorder: ", files[0], i + 1).into_bytes();
                        m.extend_from_slice(lines[i]);
                        m.push(b'\n');
                        let _ = ctx.stderr.write_all(&m);
                    }
                    return 1;
                }
            }
            return 0;
        }
        let mut inputs = Vec::new();
        for f in &files {
            match read_input(ctx, f) {
                Ok(d) => inputs.push(d),
                Err(st) => return st,
            }
        }
        let mut result: Vec<&[u8]> = Vec::new();
        if merge {
            let mut lists: Vec<(Vec<&[u8]>, usize)> =
                inputs.iter().map(|d| (split(d, delim), 0)).collect();
            loop {
                let mut best: Option<usize> = None;
                for (i, (l, p)) in lists.iter().enumerate() {
                    if *p < l.len() {
                        best = match best {
                            Some(b)
                                if compare(lists[b].0[lists[b].1], l[*p], &cfg)
                                    != Ordering::Greater =>
                            {
                                Some(b)
                            }
                            _ => Some(i),
                        };
                    }
                }
                let Some(b) = best else { break };
                result.push(lists[b].0[lists[b].1]);
                lists[b].1 += 1;
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
            }
        } else {
            for d in &inputs {
                result.extend(split(d, delim));
            }
            // Without a key-only tie (-s, -u with keys) equal lines are identical, so an
            // unstable sort gives the same output.
            let stable = !cfg.keys.is_empty() && (cfg.unique || cfg.stable);
            if let [key] = cfg.keys.as_slice()
                && plain_numeric(key)
            {
                // `-n` with one key: parse each line's number once, not per comparison;
                // as one integer when every number fits in one.
                let tie = |a: &[u8], b: &[u8], d: Ordering| {
                    let d = if key.reverse { d.reverse() } else { d };
                    if d != Ordering::Equal || cfg.unique || cfg.stable {
                        return d;
                    }
                    let d = a.cmp(b);
                    if cfg.reverse { d.reverse() } else { d }
                };
                let fixed: Option<Vec<(i128, &[u8])>> = result
                    .iter()
                    .map(|l| fixed_key(&num_key(l, key, cfg.tab)).map(|k| (k, *l)))
                    .collect();
                if let Some(mut dec) = fixed {
                    let cmp = |a: &(i128, &[u8]), b: &(i128, &[u8])| tie(a.1, b.1, a.0.cmp(&b.0));
                    par_sort(&mut dec, &cmp, stable);
                    result = dec.into_iter().map(|(_, l)| l).collect();
                } else {
                    let mut dec: Vec<(NumKey<'_>, &[u8])> = result
                        .iter()
                        .map(|l| (num_key(l, key, cfg.tab), *l))
                        .collect();
                    let cmp = |a: &(NumKey<'_>, &[u8]), b: &(NumKey<'_>, &[u8])| {
                        tie(a.1, b.1, numkey_cmp(&a.0, &b.0))
                    };
                    par_sort(&mut dec, &cmp, stable);
                    result = dec.into_iter().map(|(_, l)| l).collect();
                }
            } else {
                par_sort(&mut result, &|a, b| compare(a, b, &cfg), stable);
            }
        }
        let mut out = Vec::with_capacity(result.iter().map(|l| l.len() + 1).sum());
        let mut last: Option<&[u8]> = None;
        for l in result {
            if unique {
                if last.is_some_and(|p| compare(p, l, &cfg) == Ordering::Equal) {
                    continue;
                }
                last = Some(l);
            }
            if debug {
                debug::annotate(&mut out, l, &cfg.keys, cfg.tab, unique, stable);
            } else {
                out.extend_from_slice(l);
                out.push(delim);
            }
        }
        match output {
            Some(path) if path != "/dev/stdout" && path != "-" => {
                if let Err(e) = ctx.vfs.write(&path, out) {
                    ctx.err(&format!(
                        "open failed: {}: {}",
                        quote_shell(&path, false),
                        e.errno().message()
                    ));
                    return 2;
                }
                0
            }
            _ => match ctx.out_shared(&bytes::Bytes::from(out)) {
                Ok(()) => 0,
                Err(s) => stopped(s),
            },
        }
    }
}

/// Sort `v` by `cmp`, on two threads when it is big and the machine has them: each half
/// is sorted on its own thread, then the halves are merged (left first on ties, so a
/// stable sort stays stable).
fn par_sort<T: Copy + Send + Sync>(
    v: &mut Vec<T>,
    cmp: &(dyn Fn(&T, &T) -> Ordering + Sync),
    stable: bool,
) {
    let sort = |part: &mut [T]| {
        if stable {
            part.sort_by(|a, b| cmp(a, b));
        } else {
            part.sort_unstable_by(|a, b| cmp(a, b));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if v.len() < 50_000 || threads < 2 {
        sort(v);
        return;
    }
    let mid = v.len() / 2;
    let (left, right) = v.split_at_mut(mid);
    std::thread::scope(|s| {
        let h = s.spawn(|| sort(left));
        sort(right);
        let _ = h.join();
    });
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if cmp(&v[i], &v[j]) == Ordering::Greater {
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    *v = merged;
}

fn split(d: &[u8], delim: u8) -> Vec<&[u8]> {
    if d.is_empty() {
        return Vec::new();
    }
    let body = d.strip_suffix(&[delim]).unwrap_or(d);
    body.split(|&c| c == delim).collect()
}

fn read_input(ctx: &Ctx<'_>, f: &str) -> Result<bytes::Bytes, i32> {
    let fd = match open(ctx, f) {
        Ok(fd) => fd,
        Err(m) => {
            ctx.err(&format!("cannot read: {}: {m}", quote_shell(f, false)));
            return Err(2);
        }
    };
    match read_all_shared(&fd, MAX_INPUT) {
        Ok(d) => Ok(d),
        Err(e) => {
            if ctx.cancel.is_cancelled() {
                return Err(130);
            }
            ctx.err(&format!(
                "read failed: {}: {}",
                quote_shell(f, false),
                super::io_err(&e)
            ));
            Err(2)
        }
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: sort [OPTION]... [FILE]...
  or:  sort [OPTION]... --files0-from=F
Write sorted concatenation of all FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
Ordering options:

  -b, --ignore-leading-blanks  ignore leading blanks
  -d, --dictionary-order      consider only blanks and alphanumeric characters
  -f, --ignore-case           fold lower case to upper case characters
  -g, --general-numeric-sort  compare according to general numerical value
  -i, --ignore-nonprinting    consider only printable characters
  -M, --month-sort            compare (unknown) < 'JAN' < ... < 'DEC'
  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)
  -n, --numeric-sort          compare according to string numerical value
  -R, --random-sort           shuffle, but group identical keys.  See shuf(1)
      --random-source=FILE    get random bytes from FILE
  -r, --reverse               reverse the result of comparisons
      --sort=WORD             sort according to WORD:
                                general-numeric -g, human-numeric -h, month -M,
                                numeric -n, random -R, version -V
  -V, --version-sort          natural sort of (version) numbers within text

Other options:

      --batch-size=NMERGE   merge at most NMERGE inputs at once;
                            for more use temp files
  -c, --check, --check=diagnose-first  check for sorted input; do not sort
  -C, --check=quiet, --check=silent  like -c, but do not report first bad line
      --compress-program=PROG  compress temporaries with PROG;
                              decompress them with PROG -d
      --debug               annotate the part of the line used to sort,
                              and warn about questionable usage to stderr
      --files0-from=F       read input from the files specified by
                            NUL-terminated names in file F;
                            If F is - then read names from standard input
  -k, --key=KEYDEF          sort via a key; KEYDEF gives location and type
  -m, --merge               merge already sorted files; do not sort
  -o, --output=FILE         write result to FILE instead of standard output
  -s, --stable              stabilize sort by disabling last-resort comparison
  -S, --buffer-size=SIZE    use SIZE for main memory buffer
  -t, --field-separator=SEP  use SEP instead of non-blank to blank transition
  -T, --temporary-directory=DIR  use DIR for temporaries, not $TMPDIR or /tmp;
                              multiple options specify multiple directories
      --parallel=N          change the number of sorts run concurrently to N
  -u, --unique              with -c, check for strict ordering;
                              without -c, output only the first of an equal run
  -z, --zero-terminated     line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a
field number and C a character position in the field; both are origin 1, and
the stop position defaults to the line's end.  If neither -t nor -b is in
effect, characters in a field are counted from the beginning of the preceding
whitespace.  OPTS is one or more single-letter ordering options [bdfgiMhnRrV],
which override global ordering options for that key.  If no key is given, use
the entire line as the key.  Use --debug to diagnose incorrect key usage.

SIZE may be followed by the following multiplicative suffixes:
% 1% of memory, b 1, K 1024 (default), and so on for M, G, T, P, E, Z, Y.

*** WARNING ***
The locale specified by the environment affects sort order.
Set LC_ALL=C to get the traditional sort order that uses
native byte values.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sort>
or available locally via: info '(coreutils) sort invocation'
"##;

/// `--debug`: GNU sort's warnings about the keys (to stderr, before sorting) and the
/// annotations under each output line: where every key and the last-resort comparison
/// look, as `debug_key`/`key_warnings` in coreutils 9.1 draw them in the C locale.
mod debug {
    use super::{Key, NONE, begfield, blank, limfield, strtold_len, unit_order_of};

    fn numeric(k: &Key) -> bool {
        k.numeric || k.general || k.human
    }

    /// The warnings, each without the `sort: ` prefix.
    pub(super) fn warnings(
        keys: &[Key],
        g: &Key,
        gkey_only: bool,
        tab: Option<u8>,
        stable: bool,
        unique: bool,
    ) -> Vec<String> {
        let mut w = vec!["text ordering performed using simple byte comparison".to_string()];
        let mut ug = *g;
        let (mut basic, mut general, mut basic_span, mut general_span) =
            (false, false, false, false);
        for (i, k) in keys.iter().enumerate() {
            let n = i + 1;
            if numeric(k) {
                if k.general {
                    general = true;
                } else {
                    basic = true;
                }
            }
            let zero_width = k.sword != NONE && k.eword < k.sword;
            if zero_width {
                w.push(format!("key {n} has zero width and will be ignored"));
            }
            let implicit_skip = numeric(k) || k.month;
            let line_offset = k.eword == 0 && k.echar != 0;
            if !zero_width
                && !gkey_only
                && tab.is_none()
                && !line_offset
                && ((!k.skipsblanks && (!implicit_skip || k.schar != 0))
                    || (!k.skipeblanks && k.echar != 0))
            {
                w.push(format!(
                    "leading blanks are significant in key {n}; consider also specifying 'b'"
                ));
            }
            if !gkey_only && numeric(k) {
                let sword = k.sword.wrapping_add(1).max(1);
                let eword = k.eword.wrapping_add(1);
                if eword == 0 || sword < eword {
                    w.push(format!("key {n} is numeric and spans multiple fields"));
                    if k.general {
                        general_span = true;
                    } else {
                        basic_span = true;
                    }
                }
            }
            if ug.ignore.is_some() && ug.ignore == k.ignore {
                ug.ignore = None;
            }
            ug.translate &= !k.translate;
            ug.skipsblanks &= !k.skipsblanks;
            ug.skipeblanks &= !k.skipeblanks;
            ug.month &= !k.month;
            ug.numeric &= !k.numeric;
            ug.general &= !k.general;
            ug.human &= !k.human;
            ug.random &= !k.random;
            ug.version &= !k.version;
            ug.reverse &= !k.reverse;
        }
        // The C locale has no thousands separator; its decimal point is '.'.
        let mut locale_warned = false;
        if basic_span || general_span {
            match tab {
                Some(b'.') => {
                    w.push("field separator '.' is treated as a decimal point in numbers".into());
                    locale_warned = true;
                }
                Some(b'-') => {
                    w.push("field separator '-' is treated as a minus sign in numbers".into());
                }
                Some(b'+') if general_span => {
                    w.push("field separator '+' is treated as a plus sign in numbers".into());
                }
                _ => {}
            }
        }
        if (basic || general) && !locale_warned {
            w.push("note numbers use '.' as a decimal point in this locale".into());
        }
        let have_keys = !keys.is_empty();
        if !ug.default_compare() || (ug.reverse && (stable || unique) && have_keys) {
            let mut shown = ug;
            if !(stable || unique) {
                shown.reverse = false;
            }
            let opts = shown.opts();
            if opts.len() == 1 {
                w.push(format!("option '-{opts}' is ignored"));
            } else {
                w.push(format!("options '-{opts}' are ignored"));
            }
        }
        if ug.reverse && !(stable || unique) && have_keys {
            w.push("option '-r' only applies to last-resort comparison".into());
        }
        w
    }

    /// The width GNU gives `s` in the C locale: printable bytes and bytes above 0x7F
    /// count one, other control characters none, except a tab, which counts one.
    fn width(s: &[u8]) -> usize {
        s.iter()
            .filter(|&&c| c == b'\t' || !(c < 0x20 || c == 0x7F))
            .count()
    }

    /// Underline `line[beg..lim]` (or say there is no match) under the line.
    fn mark(out: &mut Vec<u8>, line: &[u8], beg: usize, lim: usize) {
        out.resize(out.len() + width(&line[..beg]), b' ');
        let w = if lim > beg { width(&line[beg..lim]) } else { 0 };
        if w == 0 {
            out.extend_from_slice(b"^ no match for key\n");
        } else {
            out.resize(out.len() + w, b'_');
            out.push(b'\n');
        }
    }

    /// `debug_key`: the span `key` compares in `line` (the whole line for `None`).
    fn key_span(line: &[u8], key: Option<&Key>, tab: Option<u8>) -> (usize, usize) {
        let Some(k) = key else {
            return (0, line.len());
        };
        let mut beg = if k.sword != NONE {
            begfield(line, k, tab)
        } else {
            0
        };
        let mut lim = if k.eword != NONE {
            limfield(line, k, tab)
        } else {
            line.len()
        };
        if (k.skipsblanks && k.sword == NONE) || k.month || numeric(k) {
            while beg < lim && blank(line[beg]) {
                beg += 1;
            }
            let tighter = if lim < beg {
                lim
            } else if k.month {
                beg + if super::month(&line[beg..lim]) > 0 {
                    3
                } else {
                    0
                }
            } else if k.general {
                beg + strtold_len(&line[beg..lim])
            } else if k.numeric || k.human {
                let s = &line[beg..lim];
                let mut p = usize::from(s.first() == Some(&b'-'));
                let int = s[p..].iter().take_while(|c| c.is_ascii_digit()).count();
                p += int;
                let mut digits = int > 0;
                if s.get(p) == Some(&b'.') {
                    let frac = s[p + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    p += 1 + frac;
                    digits |= frac > 0;
                }
                if digits {
                    let unit = k.human && s.get(p).is_some_and(|&c| unit_order_of(c) != 0);
                    beg + p + usize::from(unit)
                } else {
                    beg
                }
            } else {
                lim
            };
            lim = tighter;
        }
        if lim < beg {
            lim = beg;
        }
        beg = beg.min(line.len());
        (beg, lim)
    }

    /// The line as `--debug` prints it (tabs as `>`, ended by a newline) and the marks
    /// of its keys and of the last-resort comparison.
    pub(super) fn annotate(
        out: &mut Vec<u8>,
        line: &[u8],
        keys: &[Key],
        tab: Option<u8>,
        unique: bool,
        stable: bool,
    ) {
        out.extend(line.iter().map(|&c| if c == b'\t' { b'>' } else { c }));
        out.push(b'\n');
        for k in keys {
            let (b, l) = key_span(line, Some(k), tab);
            mark(out, line, b, l);
        }
        if keys.is_empty() || !(unique || stable) {
            let (b, l) = key_span(line, None, tab);
            mark(out, line, b, l);
        }
    }
}

//! `date`: print the sandbox clock's time (or a given one) in a format, as GNU coreutils
//! 9.1: `+FORMAT` (C-locale `strftime` plus GNU's `%N %:z %::z %:::z %q`), `-d STRING`
//! (`@SECONDS`, ISO dates and times with an optional zone, `now`, `today`, `yesterday`,
//! `tomorrow`, relative items like `3 days ago`, `+2 hours`, `next week`, month names),
//! `-u`, `-I[FMT]`, `-R`, `--rfc-3339=FMT`, `-r FILE`. The zone comes from `TZ` in the
//! environment: UTC by default, or a POSIX fixed offset such as `EST5` or `UTC-3`.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, quote, try_help, version};

/// `date [OPTION]... [+FORMAT]`
pub struct Date;

/// A time zone: seconds east of UTC and its abbreviation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Zone {
    off: i32,
    name: String,
}

fn utc() -> Zone {
    Zone {
        off: 0,
        name: "UTC".into(),
    }
}

/// The zone a `TZ` value names (fixed offsets only; anything else is UTC).
fn zone_from_tz(tz: Option<&String>) -> Zone {
    let Some(tz) = tz else { return utc() };
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    if tz.is_empty() || tz == "UTC" || tz == "UTC0" || tz == "GMT" || tz == "Etc/UTC" {
        return if tz == "GMT" {
            Zone {
                off: 0,
                name: "GMT".into(),
            }
        } else {
            utc()
        };
    }
    let name_len = tz.bytes().take_while(u8::is_ascii_alphabetic).count();
    if name_len >= 3 {
        let name = &tz[..name_len];
        let rest = &tz[name_len..];
        if rest.is_empty() {
            return Zone {
                off: 0,
                name: name.to_string(),
            };
        }
        let (sign, body) = match rest.as_bytes()[0] {
            b'-' => (1, &rest[1..]),
            b'+' => (-1, &rest[1..]),
            _ => (-1, rest),
        };
        let parts: Vec<&str> = body.split(':').collect();
        let nums: Option<Vec<i32>> = parts
            .iter()
            .map(|p| {
                if !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()) {
                    p.parse().ok()
                } else {
                    None
                }
            })
            .collect();
        if let Some(n) = nums
            && !n.is_empty()
            && n.len() <= 3
            && n[0] <= 24
        {
            let secs = n[0] * 3600 + n.get(1).unwrap_or(&0) * 60 + n.get(2).unwrap_or(&0);
            return Zone {
                off: sign * secs,
                name: name.to_string(),
            };
        }
    }
    Zone {
        off: 0,
        name: tz
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>(),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Broken-down local time fields, normalised like `mktime`.
#[derive(Clone, Copy, Debug)]
struct Fields {
    year: i64,
    mon: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
}

impl Fields {
    fn from_secs(local: i64) -> Fields {
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (year, mon, day) = civil_from_days(days);
        Fields {
            year,
            mon,
            day,
            hour: rem / 3600,
            min: rem % 3600 / 60,
            sec: rem % 60,
        }
    }

    fn to_secs(self) -> Option<i64> {
        let m0 = self.mon - 1;
        let year = self.year.checked_add(m0.div_euclid(12))?;
        let mon = m0.rem_euclid(12) + 1;
        if year.abs() > 100_000_000_000 {
            return None;
        }
        let days = days_from_civil(year, mon, 1).checked_add(self.day - 1)?;
        days.checked_mul(86_400)?
            .checked_add(self.hour * 3600 + self.min * 60 + self.sec)
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Parse a `-d` string relative to `now` (seconds, nanoseconds) in `zone`.
fn parse_date(s: &str, now: (i64, u32), zone: &Zone) -> Option<(i64, u32)> {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix('@') {
        let rest = rest.trim();
        let (int, frac) = match rest.split_once('.') {
            Some((a, b)) => (a, b),
            None => (rest, ""),
        };
        let neg = int.starts_with('-');
        let digits = int.trim_start_matches(['-', '+']);
        if digits.is_empty() && frac.is_empty() {
            return None;
        }
        if !digits.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let mut secs: i64 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut ns: i64 = format!("{:0<9}", &frac[..frac.len().min(9)]).parse().ok()?;
        if neg {
            secs = -secs;
            if ns > 0 {
                secs -= 1;
                ns = 1_000_000_000 - ns;
            }
        }
        return Some((secs, ns as u32));
    }
    let lower = t.to_ascii_lowercase();
    let toks = tokenize(&lower)?;
    let mut f = Fields::from_secs(now.0 + i64::from(zone.off));
    let mut ns = now.1;
    let mut have_date = false;
    let mut have_time = false;
    let mut zone_off: Option<i64> = None;
    let mut rel = Fields {
        year: 0,
        mon: 0,
        day: 0,
        hour: 0,
        min: 0,
        sec: 0,
    };
    let mut weekday: Option<(i64, i64)> = None;
    let mut i = 0;
    let unit_of = |w: &str| -> Option<(usize, i64)> {
        let w = w.strip_suffix('s').unwrap_or(w);
        Some(match w {
            "year" => (0, 1),
            "month" => (1, 1),
            "fortnight" => (2, 14),
            "week" => (2, 7),
            "day" => (2, 1),
            "hour" => (3, 1),
            "minute" | "min" => (4, 1),
            "second" | "sec" => (5, 1),
            _ => return None,
        })
    };
    let add_rel = |rel: &mut Fields, unit: usize, n: i64| match unit {
        0 => rel.year += n,
        1 => rel.mon += n,
        2 => rel.day += n,
        3 => rel.hour += n,
        4 => rel.min += n,
        _ => rel.sec += n,
    };
    let mut after_time = false;
    while i < toks.len() {
        let tok = toks[i].as_str();
        let prev_time = std::mem::replace(&mut after_time, false);
        // ISO date, possibly with T and time.
        if let Some((y, m, d, rest)) = iso_date(tok) {
            if have_date {
                return None;
            }
            have_date = true;
            f.year = y;
            f.mon = m;
            f.day = d;
            if !(1..=12).contains(&m) || d < 1 || d > month_len(y, m) {
                return None;
            }
            if let Some(r) = rest {
                let (h, mi, se, frac, z) = clock(r)?;
                have_time = true;
                f.hour = h;
                f.min = mi;
                f.sec = se;
                ns = frac;
                if z.is_some() {
                    zone_off = z;
                }
            }
            i += 1;
            continue;
        }
        if let Some((y, m, d)) = slash_date(tok) {
            if have_date {
                return None;
            }
            have_date = true;
            if let Some(y) = y {
                f.year = y;
            }
            f.mon = m;
            f.day = d;
            if !(1..=12).contains(&m) || d < 1 || d > month_len(f.year, m) {
                return None;
            }
            i += 1;
            continue;
        }
        if tok.contains(':') {
            if have_time {
                return None;
            }
            let (h, mi, se, frac, z) = clock(tok)?;
            have_time = true;
            f.hour = h;
            f.min = mi;
            f.sec = se;
            ns = frac;
            if let Some(z) = z {
                zone_off = Some(z);
            }
            after_time = z.is_none();
            // am/pm
            if let Some(ap) = toks.get(i + 1).map(String::as_str)
                && (ap == "am" || ap == "pm")
            {
                if f.hour == 0 || f.hour > 12 {
                    return None;
                }
                f.hour = f.hour % 12 + if ap == "pm" { 12 } else { 0 };
                i += 1;
            }
            i += 1;
            continue;
        }
        match tok {
            "now" => {
                i += 1;
                continue;
            }
            "today" => {
                i += 1;
                continue;
            }
            "yesterday" => {
                rel.day -= 1;
                i += 1;
                continue;
            }
            "tomorrow" => {
                rel.day += 1;
                i += 1;
                continue;
            }
            "utc" | "gmt" | "z" | "ut" => {
                zone_off = Some(0);
                i += 1;
                continue;
            }
            "ago" => {
                rel = Fields {
                    year: -rel.year,
                    mon: -rel.mon,
                    day: -rel.day,
                    hour: -rel.hour,
                    min: -rel.min,
                    sec: -rel.sec,
                };
                i += 1;
                continue;
            }
            "next" | "last" | "this" => {
                let n = match tok {
                    "next" => 1,
                    "last" => -1,
                    _ => 0,
                };
                let w = toks.get(i + 1)?;
                if let Some((u, k)) = unit_of(w) {
                    add_rel(&mut rel, u, n * k);
                } else if let Some(d) = day_index(w) {
                    weekday = Some((d, n));
                } else {
                    return None;
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        if let Some(d) = day_index(tok) {
            weekday = Some((d, 0));
            i += 1;
            if toks.get(i).is_some_and(|t| t == ",") {
                i += 1;
            }
            continue;
        }
        if let Some(m) = month_index(tok) {
            // "jan 5 [2024]" or after a day number.
            let day: i64 = toks.get(i + 1)?.parse().ok()?;
            f.mon = m;
            f.day = day;
            i += 2;
            if toks.get(i).is_some_and(|t| t == ",") {
                i += 1;
            }
            if let Some(y) = toks.get(i).and_then(|t| year_tok(t)) {
                f.year = y;
                i += 1;
            }
            if have_date || f.day < 1 || f.day > month_len(f.year, f.mon) {
                return None;
            }
            have_date = true;
            continue;
        }
        // Numbers: relative with unit, day-month-year, or a zone like +0200.
        let (sign, body) = match tok.as_bytes()[0] {
            b'+' => (1, &tok[1..]),
            b'-' => (-1, &tok[1..]),
            _ => (0, tok),
        };
        if !body.is_empty() && body.bytes().all(|c| c.is_ascii_digit()) {
            let n: i64 = body.parse().ok()?;
            if sign != 0 && prev_time && body.len() <= 4 {
                let off = if body.len() <= 2 {
                    n * 3600
                } else {
                    (n / 100) * 3600 + (n % 100) * 60
                };
                zone_off = Some(sign * off);
                i += 1;
                continue;
            }
            // "3pm": an hour of the clock.
            if sign == 0
                && body.len() <= 2
                && let Some(ap) = toks.get(i + 1).map(String::as_str)
                && (ap == "am" || ap == "pm")
            {
                if have_time || n == 0 || n > 12 {
                    return None;
                }
                have_time = true;
                f.hour = n % 12 + if ap == "pm" { 12 } else { 0 };
                f.min = 0;
                f.sec = 0;
                ns = 0;
                i += 2;
                continue;
            }
            if let Some(next) = toks.get(i + 1)
                && let Some((u, k)) = unit_of(next)
            {
                let s = if sign == 0 { 1 } else { sign };
                add_rel(&mut rel, u, s * n * k);
                i += 2;
                continue;
            }
            if sign != 0 && have_time && body.len() == 4 {
                let off = (n / 100) * 3600 + (n % 100) * 60;
                zone_off = Some(sign * off);
                i += 1;
                continue;
            }
            if sign == 0
                && let Some(m) = toks.get(i + 1).and_then(|t| month_index(t))
            {
                f.day = n;
                f.mon = m;
                i += 2;
                if let Some(y) = toks.get(i).and_then(|t| year_tok(t)) {
                    f.year = y;
                    i += 1;
                }
                if have_date || f.day < 1 || f.day > month_len(f.year, f.mon) {
                    return None;
                }
                have_date = true;
                continue;
            }
            if sign == 0 && have_date && !have_time && body.len() == 4 {
                f.year = n;
                i += 1;
                continue;
            }
            if sign == 0 && body.len() == 8 && !have_date {
                f.year = n / 10000;
                f.mon = n / 100 % 100;
                f.day = n % 100;
                if !(1..=12).contains(&f.mon) || f.day < 1 || f.day > month_len(f.year, f.mon) {
                    return None;
                }
                have_date = true;
                i += 1;
                continue;
            }
            return None;
        }
        if let Some((u, k)) = unit_of(tok) {
            add_rel(&mut rel, u, k);
            i += 1;
            continue;
        }
        return None;
    }
    if (have_date || weekday.is_some()) && !have_time {
        f.hour = 0;
        f.min = 0;
        f.sec = 0;
        ns = 0;
    }
    if have_time && !have_date && weekday.is_none() && toks.len() == 1 && zone_off.is_none() {
        // A bare time: today.
    }
    // A day of the week moves the date only when no calendar date was given.
    if let Some((wd, n)) = weekday.filter(|_| !have_date) {
        let base = f.to_secs()?;
        let days = base.div_euclid(86_400);
        let cur = (days + 4).rem_euclid(7);
        let mut delta = (wd - cur).rem_euclid(7);
        if n > 0 && delta == 0 {
            delta = 7;
        }
        if n > 0 {
            delta += 7 * (n - 1);
        } else if n < 0 {
            delta = -((cur - wd).rem_euclid(7));
            if delta == 0 {
                delta = -7;
            }
        }
        f.day += delta;
    }
    // Relative years/months, then days, then time.
    f.year += rel.year;
    f.mon += rel.mon;
    f.day += rel.day;
    let mut secs = f.to_secs()?;
    secs = secs.checked_sub(zone_off.unwrap_or(i64::from(zone.off)))?;
    secs = secs.checked_add(rel.hour * 3600 + rel.min * 60 + rel.sec)?;
    Some((secs, ns))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i64, m: i64) -> i64 {
    match m {
        2 => 28 + i64::from(is_leap(y)),
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_index(t: &str) -> Option<i64> {
    if t.len() < 3 {
        return None;
    }
    let t = t.strip_suffix('.').unwrap_or(t);
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (i, m) in MONTHS.iter().enumerate() {
        if t == *m || t == full[i] || (t == "sept" && i == 8) {
            return Some(i as i64 + 1);
        }
    }
    None
}

fn day_index(t: &str) -> Option<i64> {
    let full = [
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ];
    let t = t.strip_suffix('.').unwrap_or(t);
    for (i, d) in DAYS.iter().enumerate() {
        if t == *d || t == full[i] {
            return Some(i as i64);
        }
    }
    None
}

fn year_tok(t: &str) -> Option<i64> {
    if t.len() == 4 && t.bytes().all(|c| c.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

/// `YYYY-MM-DD`, maybe followed by `T` and a time.
/// `M/D`, `M/D/Y` or `Y/M/D` (a first number of four or more digits is the year), as
/// parse_datetime reads them; two-digit years are 1969-2068.
fn slash_date(t: &str) -> Option<(Option<i64>, i64, i64)> {
    let parts: Vec<&str> = t.split('/').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<i64>().ok();
    let year = |p: &str| {
        let y = n(p)?;
        Some(if p.len() == 2 {
            if y < 69 { y + 2000 } else { y + 1900 }
        } else {
            y
        })
    };
    match parts[..] {
        [m, d] => Some((None, n(m)?, n(d)?)),
        [y, m, d] if y.len() >= 4 => Some((Some(year(y)?), n(m)?, n(d)?)),
        [m, d, y] => Some((Some(year(y)?), n(m)?, n(d)?)),
        _ => None,
    }
}

fn iso_date(t: &str) -> Option<(i64, i64, i64, Option<&str>)> {
    let b = t.as_bytes();
    let ylen = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if ylen == 0 || b.get(ylen) != Some(&b'-') {
        return None;
    }
    let rest = &t[ylen + 1..];
    let mlen = rest.bytes().take_while(u8::is_ascii_digit).count();
    if mlen == 0 || mlen > 2 || rest.as_bytes().get(mlen) != Some(&b'-') {
        return None;
    }
    let rest2 = &rest[mlen + 1..];
    let dlen = rest2.bytes().take_while(u8::is_ascii_digit).count();
    if dlen == 0 || dlen > 2 {
        return None;
    }
    let y: i64 = t[..ylen].parse().ok()?;
    let y = if ylen == 2 {
        if y < 69 { y + 2000 } else { y + 1900 }
    } else {
        y
    };
    let m: i64 = rest[..mlen].parse().ok()?;
    let d: i64 = rest2[..dlen].parse().ok()?;
    let tail = &rest2[dlen..];
    if tail.is_empty() {
        return Some((y, m, d, None));
    }
    let time = tail.strip_prefix('t')?;
    Some((y, m, d, Some(time)))
}

/// `HH:MM[:SS[.frac]]` with an optional zone suffix (`z`, `+hh:mm`, `-hhmm`).
fn clock(t: &str) -> Option<(i64, i64, i64, u32, Option<i64>)> {
    let (body, zone) = if let Some(b) = t.strip_suffix('z') {
        (b, Some(0))
    } else if let Some(p) = t.rfind(['+', '-']) {
        let z = &t[p + 1..];
        let digits: String = z.chars().filter(|c| *c != ':').collect();
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) || digits.len() > 4 {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        let off = if digits.len() <= 2 {
            n * 3600
        } else {
            (n / 100) * 3600 + (n % 100) * 60
        };
        let sign = if t.as_bytes()[p] == b'-' { -1 } else { 1 };
        (&t[..p], Some(sign * off))
    } else {
        (t, None)
    };
    let parts: Vec<&str> = body.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let num = |s: &str| -> Option<i64> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|c| c.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    let h = num(parts[0])?;
    let m = num(parts[1])?;
    let (s, frac) = match parts.get(2) {
        None => (0, 0),
        Some(p) => {
            let (a, b) = match p.split_once(['.', ',']) {
                Some((a, b)) => (a, b),
                None => (*p, ""),
            };
            if !b.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let ns: u32 = if b.is_empty() {
                0
            } else {
                format!("{:0<9}", &b[..b.len().min(9)]).parse().ok()?
            };
            (num(a)?, ns)
        }
    };
    if h > 24 || m > 59 || s > 60 {
        return None;
    }
    Some((h, m, s, frac, zone))
}

fn tokenize(s: &str) -> Option<Vec<String>> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            if !cur.is_empty() {
                toks.push(std::mem::take(&mut cur));
            }
        } else if c == ',' {
            if !cur.is_empty() {
                toks.push(std::mem::take(&mut cur));
            }
            toks.push(",".into());
        } else if (c == '+' || c == '-') && cur.ends_with(|x: char| x.is_ascii_alphabetic()) {
            toks.push(std::mem::take(&mut cur));
            cur.push(c);
        } else if (c == '+' || c == '-')
            && cur.is_empty()
            && chars.peek().is_some_and(|n| n.is_whitespace())
        {
            // "+ 3 days"
            let mut sign = String::from(c);
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            sign.extend(std::iter::from_fn(|| chars.next_if(|n| n.is_ascii_digit())));
            toks.push(sign);
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        toks.push(cur);
    }
    // Split "3days" into "3" "days".
    let mut out = Vec::new();
    for t in toks {
        let digits = t
            .trim_start_matches(['+', '-'])
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let lead = t.len() - t.trim_start_matches(['+', '-']).len();
        let rest = &t[lead + digits..];
        if digits > 0 && !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_alphabetic()) {
            out.push(t[..lead + digits].to_string());
            out.push(rest.to_string());
        } else {
            out.push(t);
        }
    }
    Some(out)
}

/// Expand GNU's extra conversions (`%N`, `%:z`, `%::z`, `%:::z`, `%q`), leaving the rest
/// for `strftime`.
fn pre_format(fmt: &str, secs: i64, ns: u32, zone: &Zone) -> String {
    let mut out = String::new();
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            let ch = fmt[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let start = i;
        i += 1;
        let mut flags = String::new();
        while i < b.len() && matches!(b[i], b'_' | b'-' | b'0' | b'^' | b'#') {
            flags.push(b[i] as char);
            i += 1;
        }
        let wstart = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let width: Option<usize> = fmt[wstart..i].parse().ok();
        let mut colons = 0;
        while i < b.len() && b[i] == b':' {
            colons += 1;
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            out.push_str(&fmt[start..]);
            break;
        };
        i += 1;
        match (c, colons) {
            (b'%', 0) => out.push_str("%%"),
            (b'N', 0) => {
                let digits = format!("{ns:09}");
                let w = width.unwrap_or(9);
                if w <= 9 {
                    out.push_str(&digits[..w]);
                } else {
                    out.push_str(&digits);
                    out.push_str(&"0".repeat(w - 9));
                }
            }
            (b'q', 0) => {
                let m = Fields::from_secs(secs + i64::from(zone.off)).mon;
                out.push_str(&((m - 1) / 3 + 1).to_string());
            }
            (b'z', 1..=3) => {
                let off = zone.off;
                let sign = if off < 0 { '-' } else { '+' };
                let a = off.unsigned_abs();
                let (h, m, s) = (a / 3600, a % 3600 / 60, a % 60);
                out.push_str(&match colons {
                    1 => format!("{sign}{h:02}:{m:02}"),
                    2 => format!("{sign}{h:02}:{m:02}:{s:02}"),
                    _ => {
                        if s != 0 {
                            format!("{sign}{h:02}:{m:02}:{s:02}")
                        } else if m != 0 {
                            format!("{sign}{h:02}:{m:02}")
                        } else {
                            format!("{sign}{h:02}")
                        }
                    }
                });
            }
            _ if flags.contains('-') && width.is_some() && colons == 0 => {
                out.push('%');
                out.push_str(&flags);
                out.push(c as char);
            }
            _ => out.push_str(&fmt[start..i]),
        }
    }
    out
}

/// Format `secs`/`ns` in `zone` with a `date` format.
fn render(fmt: &str, secs: i64, ns: u32, zone: &Zone) -> Vec<u8> {
    let f = pre_format(fmt, secs, ns, zone);
    crate::printf::strftime(f.as_bytes(), secs, zone.off, &zone.name)
}

impl Command for Date {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `-I` takes an optional attached value.
        let mut argv = Vec::new();
        for a in &ctx.args[1..] {
            if a == "-I" {
                argv.push("--iso-8601=date".to_string());
            } else if let Some(v) = a.strip_prefix("-I") {
                argv.push(format!("--iso-8601={v}"));
            } else if a == "--iso-8601" {
                argv.push("--iso-8601=date".to_string());
            } else {
                argv.push(a.clone());
            }
        }
        let parsed = match parse_args(
            &argv,
            "dfrs",
            "uR",
            &[
                "date=",
                "file=",
                "reference=",
                "set=",
                "utc",
                "universal",
                "iso-8601=",
                "rfc-email",
                "rfc-822",
                "rfc-2822",
                "rfc-3339=",
                "debug",
                "resolution",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut zone = zone_from_tz(ctx.env.get("TZ"));
        let mut date_str: Option<String> = None;
        let mut reference: Option<String> = None;
        let mut fmt: Option<String> = None;
        let mut ops: Vec<String> = Vec::new();
        let mut set = false;
        let mut styles = 0;
        for a in parsed {
            match a {
                Arg::Operand(o) => ops.push(o),
                Arg::Short('d', v) => date_str = v,
                Arg::Short('r', v) => reference = v,
                Arg::Short('s', _) => set = true,
                Arg::Short('f', _) => {
                    ctx.err("--file: not supported yet");
                    return 1;
                }
                Arg::Short('u', _) => zone = utc(),
                Arg::Short('R', _) => {
                    fmt = Some("%a, %d %b %Y %H:%M:%S %z".into());
                    styles += 1;
                }
                Arg::Long(l, v) => match l.as_str() {
                    "date" => date_str = v,
                    "reference" => reference = v,
                    "set" => set = true,
                    "file" => {
                        ctx.err("--file: not supported yet");
                        return 1;
                    }
                    "utc" | "universal" => zone = utc(),
                    "rfc-email" | "rfc-822" | "rfc-2822" => {
                        fmt = Some("%a, %d %b %Y %H:%M:%S %z".into());
                        styles += 1;
                    }
                    "iso-8601" => {
                        let v = v.unwrap_or_default();
                        let kinds = ["date", "hours", "minutes", "seconds", "ns"];
                        let m: Vec<&&str> =
                            kinds.iter().filter(|k| k.starts_with(v.as_str())).collect();
                        let k = if v.is_empty() {
                            "date"
                        } else if m.len() == 1 {
                            m[0]
                        } else {
                            let what = if m.is_empty() { "invalid" } else { "ambiguous" };
                            ctx.err(&format!("{what} argument {} for '--iso-8601'", quote(&v)));
                            let _ = ctx.stderr.write_all(
                                b"Valid arguments are:\n  - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'\n",
                            );
                            return try_help_only(ctx);
                        };
                        fmt = Some(
                            match k {
                                "date" => "%Y-%m-%d",
                                "hours" => "%Y-%m-%dT%H%:z",
                                "minutes" => "%Y-%m-%dT%H:%M%:z",
                                "seconds" => "%Y-%m-%dT%H:%M:%S%:z",
                                _ => "%Y-%m-%dT%H:%M:%S,%N%:z",
                            }
                            .into(),
                        );
                        styles += 1;
                    }
                    "rfc-3339" => {
                        let v = v.unwrap_or_default();
                        let kinds = ["date", "seconds", "ns"];
                        let m: Vec<&&str> =
                            kinds.iter().filter(|k| k.starts_with(v.as_str())).collect();
                        if m.len() != 1 || v.is_empty() {
                            let what = if m.is_empty() { "invalid" } else { "ambiguous" };
                            ctx.err(&format!("{what} argument {} for '--rfc-3339'", quote(&v)));
                            let _ = ctx.stderr.write_all(
                                b"Valid arguments are:\n  - 'date'\n  - 'seconds'\n  - 'ns'\n",
                            );
                            return try_help_only(ctx);
                        }
                        fmt = Some(
                            match *m[0] {
                                "date" => "%Y-%m-%d",
                                "seconds" => "%Y-%m-%d %H:%M:%S%:z",
                                _ => "%Y-%m-%d %H:%M:%S.%N%:z",
                            }
                            .into(),
                        );
                        styles += 1;
                    }
                    "help" => return print_text(ctx, HELP),
                    "version" => return version(ctx, "date", "Written by David MacKenzie."),
                    _ => {}
                },
                _ => {}
            }
        }
        if styles > 1 {
            ctx.err("multiple output formats specified");
            return 1;
        }
        if date_str.is_some() && reference.is_some() {
            return try_help(
                ctx,
                "the options to specify dates for printing are mutually exclusive",
                1,
            );
        }
        let mut operand_fmt = None;
        for o in &ops {
            if let Some(f) = o.strip_prefix('+') {
                if operand_fmt.is_some() || fmt.is_some() {
                    if fmt.is_some() {
                        ctx.err("multiple output formats specified");
                        return 1;
                    }
                    return try_help(ctx, &format!("extra operand {}", quote(o)), 1);
                }
                operand_fmt = Some(f.to_string());
            } else if operand_fmt.is_some() || ops.len() > 1 {
                return try_help(ctx, &format!("extra operand {}", quote(o)), 1);
            } else {
                set = true;
            }
        }
        if set {
            ctx.err("cannot set date: Operation not permitted");
            return 1;
        }
        let now = ctx.vfs.now();
        let (secs, ns) = if let Some(d) = &date_str {
            match parse_date(d, (now.sec, now.nsec), &zone) {
                Some(t) => t,
                None => {
                    ctx.err(&format!("invalid date {}", quote(d)));
                    return 1;
                }
            }
        } else if let Some(r) = &reference {
            match ctx.vfs.stat(r) {
                Ok(m) => (m.mtime.sec, m.mtime.nsec),
                Err(e) => {
                    ctx.err(&format!("{r}: {}", e.errno().message()));
                    return 1;
                }
            }
        } else {
            (now.sec, now.nsec)
        };
        let fmt = operand_fmt
            .or(fmt)
            .unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".into());
        let mut out = render(&fmt, secs, ns, &zone);
        out.push(b'\n');
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

fn try_help_only(ctx: &Ctx<'_>) -> i32 {
    let _ = ctx
        .stderr
        .write_all(b"Try 'date --help' for more information.\n");
    1
}

const HELP: &str = r#"Usage: date [OPTION]... [+FORMAT]
  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]
Display date and time in the given FORMAT.
With -s, or with [MMDDhhmm[[CC]YY][.ss]], set the date and time.

Mandatory arguments to long options are mandatory for short options too.
  -d, --date=STRING          display time described by STRING, not 'now'
      --debug                annotate the parsed date,
                              and warn about questionable usage to stderr
  -f, --file=DATEFILE        like --date; once for each line of DATEFILE
  -I[FMT], --iso-8601[=FMT]  output date/time in ISO 8601 format.
                               FMT='date' for date only (the default),
                               'hours', 'minutes', 'seconds', or 'ns'
                               for date and time to the indicated precision.
                               Example: 2006-08-14T02:34:56-06:00
  --resolution               output the available resolution of timestamps
                               Example: 0.000000001
  -R, --rfc-email            output date and time in RFC 5322 format.
                               Example: Mon, 14 Aug 2006 02:34:56 -0600
      --rfc-3339=FMT         output date/time in RFC 3339 format.
                               FMT='date', 'seconds', or 'ns'
                               for date and time to the indicated precision.
                               Example: 2006-08-14 02:34:56-06:00
  -r, --reference=FILE       display the last modification time of FILE
  -s, --set=STRING           set time described by STRING
  -u, --utc, --universal     print or set Coordinated Universal Time (UTC)
      --help        display this help and exit
      --version     output version information and exit

FORMAT controls the output.  Interpreted sequences are:

  %%   a literal %
  %a   locale's abbreviated weekday name (e.g., Sun)
  %A   locale's full weekday name (e.g., Sunday)
  %b   locale's abbreviated month name (e.g., Jan)
  %B   locale's full month name (e.g., January)
  %c   locale's date and time (e.g., Thu Mar  3 23:05:25 2005)
  %C   century; like %Y, except omit last two digits (e.g., 20)
  %d   day of month (e.g., 01)
  %D   date; same as %m/%d/%y
  %e   day of month, space padded; same as %_d
  %F   full date; like %+4Y-%m-%d
  %g   last two digits of year of ISO week number (see %G)
  %G   year of ISO week number (see %V); normally useful only with %V
  %h   same as %b
  %H   hour (00..23)
  %I   hour (01..12)
  %j   day of year (001..366)
  %k   hour, space padded ( 0..23); same as %_H
  %l   hour, space padded ( 1..12); same as %_I
  %m   month (01..12)
  %M   minute (00..59)
  %n   a newline
  %N   nanoseconds (000000000..999999999)
  %p   locale's equivalent of either AM or PM; blank if not known
  %P   like %p, but lower case
  %q   quarter of year (1..4)
  %r   locale's 12-hour clock time (e.g., 11:11:04 PM)
  %R   24-hour hour and minute; same as %H:%M
  %s   seconds since the Epoch (1970-01-01 00:00 UTC)
  %S   second (00..60)
  %t   a tab
  %T   time; same as %H:%M:%S
  %u   day of week (1..7); 1 is Monday
  %U   week number of year, with Sunday as first day of week (00..53)
  %V   ISO week number, with Monday as first day of week (01..53)
  %w   day of week (0..6); 0 is Sunday
  %W   week number of year, with Monday as first day of week (00..53)
  %x   locale's date representation (e.g., 12/31/99)
  %X   locale's time representation (e.g., 23:13:48)
  %y   last two digits of year (00..99)
  %Y   year
  %z   +hhmm numeric time zone (e.g., -0400)
  %:z  +hh:mm numeric time zone (e.g., -04:00)
  %::z  +hh:mm:ss numeric time zone (e.g., -04:00:00)
  %:::z  numeric time zone with : to necessary precision (e.g., -04, +05:30)
  %Z   alphabetic time zone abbreviation (e.g., EDT)

By default, date pads numeric fields with zeroes.
The following optional flags may follow '%':

  -  (hyphen) do not pad the field
  _  (underscore) pad with spaces
  0  (zero) pad with zeros
  +  pad with zeros, and put '+' before future years with >4 digits
  ^  use upper case if possible
  #  use opposite case if possible

After any flags comes an optional field width, as a decimal number;
then an optional modifier, which is either
E to use the locale's alternate representations if available, or
O to use the locale's alternate numeric symbols if available.

Examples:
Convert seconds since the Epoch (1970-01-01 UTC) to a date
  $ date --date='@2147483647'

Show the time on the west coast of the US (use tzselect(1) to find TZ)
  $ TZ='America/Los_Angeles' date

Show the local time for 9AM next Friday on the west coast of the US
  $ date --date='TZ="America/Los_Angeles" 09:00 next Fri'

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/date>
or available locally via: info '(coreutils) date invocation'
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<i64> {
        parse_date(s, (1_700_000_000, 0), &utc()).map(|t| t.0)
    }

    #[test]
    fn parsing() {
        assert_eq!(p("@0"), Some(0));
        assert_eq!(p("1970-01-02"), Some(86_400));
        assert_eq!(p("1970-01-01 01:00:00"), Some(3600));
        assert_eq!(p("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(p("2024-01-01 3 days ago"), p("2023-12-29"));
        assert_eq!(p("2024-01-31 + 1 month"), p("2024-03-02"));
        assert_eq!(p("yesterday"), Some(1_700_000_000 - 86_400));
        assert_eq!(p("bogus"), None);
        let z = zone_from_tz(Some(&"EST5".to_string()));
        assert_eq!(z.off, -5 * 3600);
        assert_eq!(
            render("%F %T %:z %N", 0, 5, &utc()),
            b"1970-01-01 00:00:00 +00:00 000000005".to_vec()
        );
    }
}

//! Helpers shared by the file commands: GNU's two quoting styles for messages, option
//! parsing with `--help`/`--version`, mode strings, time zones and dates.

use crate::commands::Ctx;
use crate::commands::util::{Arg, parse_args};

/// GNU `quote()` in the C locale: `'name'` with C-style backslash escapes.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("'");
    for &b in s.as_bytes() {
        match b {
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&c_escape(b)),
        }
    }
    out.push('\'');
    out
}

fn c_escape(b: u8) -> String {
    match b {
        7 => "\\a".into(),
        8 => "\\b".into(),
        9 => "\\t".into(),
        10 => "\\n".into(),
        11 => "\\v".into(),
        12 => "\\f".into(),
        13 => "\\r".into(),
        _ => format!("\\{b:03o}"),
    }
}

/// GNU `quoteaf()`: shell-escape-always quoting (`'a b'`, `"q'x"`, `'t'$'\t''z'`).
pub(super) fn quoteaf(s: &str) -> String {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return "''".into();
    }
    let ctrl = |b: u8| !(0x20..=0x7e).contains(&b);
    if !bytes.iter().any(|&b| ctrl(b)) {
        if s.contains('\'') {
            if !s.contains(['"', '$', '`', '\\']) {
                return format!("\"{s}\"");
            }
            return format!("'{}'", s.replace('\'', "'\\''"));
        }
        return format!("'{s}'");
    }
    let mut out = String::from("'");
    let mut in_dollar = false;
    for &b in bytes {
        if ctrl(b) {
            if !in_dollar {
                out.push_str("'$'");
                in_dollar = true;
            }
            out.push_str(&c_escape(b));
        } else {
            if in_dollar {
                out.push_str("''");
                in_dollar = false;
            }
            if b == b'\'' {
                out.push_str("'\\''");
            } else {
                out.push(char::from(b));
            }
        }
    }
    out.push('\'');
    out
}

/// GNU `quotef()`: shell-escape quoting that leaves plain names bare.
pub(super) fn quotef(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&b));
    if plain { s.to_string() } else { quoteaf(s) }
}

/// What option parsing decided.
pub(super) enum Parsed {
    /// Go on with these items.
    Args(Vec<Arg>),
    /// Stop now with this status (help, version or a usage error, already printed).
    Exit(i32),
}

/// Parse `ctx.args[1..]`, handling `--help` and `--version` (which must be listed in
/// `long`) and printing usage errors with status `usage_status`.
pub(super) fn parse(
    ctx: &Ctx<'_>,
    short_with_value: &str,
    short_flags: &str,
    long: &[&str],
    usage_status: i32,
) -> Parsed {
    parse_list(
        ctx,
        &ctx.args[1..],
        short_with_value,
        short_flags,
        long,
        usage_status,
    )
}

/// [`parse`] over an explicit argument list.
pub(super) fn parse_list(
    ctx: &Ctx<'_>,
    args: &[String],
    short_with_value: &str,
    short_flags: &str,
    long: &[&str],
    usage_status: i32,
) -> Parsed {
    match parse_args(args, short_with_value, short_flags, long) {
        Err(e) => Parsed::Exit(ctx.usage(&e, usage_status)),
        Ok(items) => {
            for a in &items {
                if let Arg::Long(n, _) = a {
                    let text = match n.as_str() {
                        "help" => super::files_help::help(cmd_name(ctx)),
                        "version" => super::files_help::version(cmd_name(ctx)),
                        _ => continue,
                    };
                    return Parsed::Exit(match ctx.out(text.as_bytes()) {
                        Ok(()) => 0,
                        Err(s) => Ctx::stop_status(s),
                    });
                }
            }
            Parsed::Args(items)
        }
    }
}

/// The command's base name (for help lookup).
pub(super) fn cmd_name<'a>(ctx: &'a Ctx<'_>) -> &'a str {
    let n = ctx.name();
    n.rsplit('/').next().unwrap_or(n)
}

/// Print `NAME: missing operand` and the "Try" line; returns `status`.
pub(super) fn missing_operand(ctx: &Ctx<'_>, status: i32) -> i32 {
    ctx.usage(
        &crate::commands::util::UsageError("missing operand".into()),
        status,
    )
}

/// Print `NAME: MSG` and the "Try" line; returns `status`.
pub(super) fn usage_msg(ctx: &Ctx<'_>, msg: &str, status: i32) -> i32 {
    ctx.usage(&crate::commands::util::UsageError(msg.into()), status)
}

/// `dir/name` (no doubled slash).
pub(super) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The last component of `p` (trailing slashes ignored), as `basename`.
pub(super) fn base_name(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "" } else { "/" };
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// The directory part of `p`, as `dirname`.
pub(super) fn dir_name(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.starts_with('/') { "/" } else { "." }.into();
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() { "/".into() } else { d.into() }
        }
    }
}

/// `ls -l`'s mode string, e.g. `drwxr-xr-x`.
pub(super) fn mode_string(ft: vfs_core::FileType, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(match ft {
        vfs_core::FileType::Dir => 'd',
        vfs_core::FileType::Symlink => 'l',
        vfs_core::FileType::File => '-',
    });
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(mode & 0o100 != 0, mode & 0o4000 != 0, 's'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(mode & 0o010 != 0, mode & 0o2000 != 0, 's'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(mode & 0o001 != 0, mode & 0o1000 != 0, 't'));
    s
}

fn special(x: bool, set: bool, c: char) -> char {
    match (x, set) {
        (true, true) => c,
        (false, true) => c.to_ascii_uppercase(),
        (true, false) => 'x',
        (false, false) => '-',
    }
}

/// The user name for `uid` (only root is known by name).
pub(super) fn user_name(uid: u32) -> String {
    if uid == 0 {
        "root".into()
    } else {
        uid.to_string()
    }
}

/// The group name for `gid` (only root is known by name).
pub(super) fn group_name(gid: u32) -> String {
    user_name(gid)
}

// ----- time ------------------------------------------------------------------------------

/// A time zone: a fixed offset east of UTC.
#[derive(Clone, Debug)]
pub(super) struct Zone {
    /// Seconds east of UTC.
    pub offset: i64,
}

/// The zone from `TZ` (POSIX `NAMEoffset`, no DST rules); UTC when unset or unknown.
pub(super) fn zone(ctx: &Ctx<'_>) -> Zone {
    let tz = ctx.env.get("TZ").map(String::as_str).unwrap_or("");
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    let utc = Zone { offset: 0 };
    if tz.is_empty() || tz == "UTC" || tz == "Etc/UTC" || tz == "GMT" {
        return Zone { offset: 0 };
    }
    let name: String = tz.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if name.len() < 3 {
        return utc;
    }
    let rest = &tz[name.len()..];
    let (sign, digits) = match rest.as_bytes().first() {
        Some(b'-') => (1, &rest[1..]),
        Some(b'+') => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let hm: String = digits
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    if hm.is_empty() {
        return Zone { offset: 0 };
    }
    let mut parts = hm.split(':');
    let h: i64 = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let m: i64 = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    Zone {
        offset: sign * (h * 3600 + m * 60),
    }
}

/// Days since 1970-01-01 for a civil date.
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Broken-down time: year, month (1-12), day, hour, minute, second.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tm {
    /// Year.
    pub year: i64,
    /// Month, 1-12.
    pub month: i64,
    /// Day of month.
    pub day: i64,
    /// Hour.
    pub hour: i64,
    /// Minute.
    pub min: i64,
    /// Second.
    pub sec: i64,
}

/// Local broken-down time of `secs` in zone `z`.
pub(super) fn localtime(secs: i64, z: &Zone) -> Tm {
    let t = secs.clamp(-(1 << 52), 1 << 52) + z.offset;
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let z0 = days + 719_468;
    let era = z0.div_euclid(146_097);
    let doe = z0 - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Tm {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
    }
}

/// Month abbreviations.
pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2020-01-02 03:04:05.000000000 +0000`, as `stat` prints times.
pub(super) fn full_time(ts: vfs_core::Timestamp, z: &Zone) -> String {
    let tm = localtime(ts.sec, z);
    let off = z.offset.abs();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:09} {}{:02}{:02}",
        tm.year,
        tm.month,
        tm.day,
        tm.hour,
        tm.min,
        tm.sec,
        ts.nsec,
        if z.offset < 0 { '-' } else { '+' },
        off / 3600,
        off % 3600 / 60
    )
}

/// Parse a `touch -d` date: `@SECS`, `YYYY-MM-DD`, `YYYY-MM-DD[ T]HH:MM[:SS[.frac]]`,
/// optionally followed by `Z`/`UTC`/`+HHMM`; local times are in zone `z`.
pub(super) fn parse_date(
    s: &str,
    z: &Zone,
    now: vfs_core::Timestamp,
) -> Option<vfs_core::Timestamp> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('@') {
        let (int, frac) = match rest.split_once('.') {
            Some((a, b)) => (a, b),
            None => (rest, ""),
        };
        let sec: i64 = int.parse().ok()?;
        if sec.unsigned_abs() > 1 << 52 {
            return None;
        }
        let nsec = parse_frac(frac)?;
        return Some(vfs_core::Timestamp::new(sec, nsec));
    }
    match s {
        "now" => return Some(now),
        "today" => return Some(now),
        "yesterday" => return Some(now.plus_secs(-86_400)),
        "tomorrow" => return Some(now.plus_secs(86_400)),
        _ => {}
    }
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    if !(-1_000_000_000..=1_000_000_000).contains(&y) {
        return None;
    }
    let m: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    if dp.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut offset = z.offset;
    let (mut hh, mut mm, mut ss, mut nsec) = (0, 0, 0, 0);
    let mut rest = rest.to_string();
    for (suffix, off) in [(" UTC", 0), ("UTC", 0), ("Z", 0), (" GMT", 0)] {
        if let Some(r) = rest.strip_suffix(suffix) {
            offset = off;
            rest = r.trim().to_string();
            break;
        }
    }
    if let Some(i) = rest.rfind(['+', '-'])
        && i > 0
    {
        let tail = &rest[i + 1..];
        if tail.len() == 4 && tail.bytes().all(|b| b.is_ascii_digit()) {
            let v: i64 = tail.parse().ok()?;
            let o = (v / 100) * 3600 + (v % 100) * 60;
            offset = if rest.as_bytes()[i] == b'-' { -o } else { o };
            rest = rest[..i].trim().to_string();
        }
    }
    if !rest.is_empty() {
        let mut tp = rest.split(':');
        hh = tp.next()?.parse().ok()?;
        mm = tp.next()?.parse().ok()?;
        if let Some(sp) = tp.next() {
            let (si, sf) = match sp.split_once('.') {
                Some((a, b)) => (a, b),
                None => (sp, ""),
            };
            ss = si.parse().ok()?;
            nsec = parse_frac(sf)?;
        }
        if tp.next().is_some() || hh > 24 || mm > 59 || ss > 60 {
            return None;
        }
    }
    let secs = days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss - offset;
    Some(vfs_core::Timestamp::new(secs, nsec))
}

fn parse_frac(f: &str) -> Option<u32> {
    if f.is_empty() {
        return Some(0);
    }
    if !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut s: String = f.chars().take(9).collect();
    while s.len() < 9 {
        s.push('0');
    }
    s.parse().ok()
}

/// Parse `touch -t [[CC]YY]MMDDhhmm[.ss]` in zone `z`.
pub(super) fn parse_stamp(
    s: &str,
    z: &Zone,
    now: vfs_core::Timestamp,
) -> Option<vfs_core::Timestamp> {
    let (main, secs) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    if !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |x: &str| x.parse::<i64>().ok();
    let (year, rest) = match main.len() {
        8 => (localtime(now.sec, z).year, main),
        10 => {
            let yy = num(&main[..2])?;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &main[2..])
        }
        12 => (num(&main[..4])?, &main[4..]),
        _ => return None,
    };
    let mo = num(&rest[0..2])?;
    let d = num(&rest[2..4])?;
    let h = num(&rest[4..6])?;
    let mi = num(&rest[6..8])?;
    let ss = match secs {
        Some(x) if x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()) => num(x)?,
        Some(_) => return None,
        None => 0,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || ss > 60 {
        return None;
    }
    Some(vfs_core::Timestamp::new(
        days_from_civil(year, mo, d) * 86_400 + h * 3600 + mi * 60 + ss - z.offset,
        0,
    ))
}

/// Format a byte count the way `-h` does (`1.5K`, `23M`), powers of 1024.
pub(super) fn human(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ['K', 'M', 'G', 'T', 'P', 'E'];
    let mut v = n as f64;
    let mut i = 0;
    v /= 1024.0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if v < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r < 10.0 {
            return format!("{r:.1}{}", units[i]);
        }
        return format!("{}{}", r as u64, units[i]);
    }
    let r = v.ceil();
    if r >= 1024.0 && i < units.len() - 1 {
        return format!("1.0{}", units[i + 1]);
    }
    format!("{}{}", r as u64, units[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quoteaf("a b"), "'a b'");
        assert_eq!(quoteaf("q'x"), "\"q'x\"");
        assert_eq!(quoteaf("t\tz"), "'t'$'\\t''z'");
        assert_eq!(quoteaf("\tz"), "''$'\\t''z'");
        assert_eq!(quote("q'x"), "'q\\'x'");
        assert_eq!(quote("x\ny"), "'x\\ny'");
    }

    #[test]
    fn dates() {
        let z = Zone { offset: 0 };
        let t = parse_date("2020-01-02 03:04:05", &z, vfs_core::Timestamp::EPOCH).unwrap();
        assert_eq!(t.sec, 1_577_934_245);
        let tm = localtime(t.sec, &z);
        assert_eq!((tm.year, tm.month, tm.day, tm.hour), (2020, 1, 2, 3));
        assert_eq!(human(1536), "1.5K");
        assert_eq!(dir_name("/a"), "/");
        assert_eq!(dir_name("a/b/"), "a");
        assert_eq!(base_name("a/b/"), "b");
    }
}

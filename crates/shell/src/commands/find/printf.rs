//! `-printf` formats (directives, widths, escapes) and the `-ls` line.

use vfs_core::{FileType, Metadata, Timestamp};

/// One piece of a compiled `-printf` format.
#[derive(Clone, Debug)]
pub(super) enum Seg {
    /// Literal bytes.
    Lit(Vec<u8>),
    /// A directive: flags, width, precision, conversion letter, time sub-letter.
    Dir {
        /// `-`, `0`, `#`, `+`, ` ` flags.
        flags: Vec<u8>,
        /// Minimum width.
        width: Option<usize>,
        /// Precision.
        prec: Option<usize>,
        /// The letter.
        conv: u8,
        /// For `%A`, `%C`, `%T`: the time letter.
        sub: u8,
    },
    /// `\c`: stop here.
    Stop,
}

/// Compile a `-printf` format; an error text for GNU's fatal format errors.
pub(super) fn parse_format(f: &str, warns: &mut Vec<String>) -> Result<Vec<Seg>, String> {
    let b = f.as_bytes();
    let mut segs = Vec::new();
    let mut lit = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 1;
            let Some(&e) = b.get(i) else {
                lit.push(b'\\');
                break;
            };
            match e {
                b'a' => lit.push(7),
                b'b' => lit.push(8),
                b'f' => lit.push(12),
                b'n' => lit.push(b'\n'),
                b'r' => lit.push(b'\r'),
                b't' => lit.push(b'\t'),
                b'v' => lit.push(11),
                b'\\' => lit.push(b'\\'),
                b'c' => {
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(Seg::Stop);
                    return Ok(segs);
                }
                b'0'..=b'7' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + u32::from(b[i] - b'0');
                        i += 1;
                        n += 1;
                    }
                    lit.push((v & 0xff) as u8);
                    continue;
                }
                _ => {
                    warns.push(format!(
                        "warning: unrecognized escape `\\{}'",
                        char::from(e)
                    ));
                    lit.push(b'\\');
                    lit.push(e);
                }
            }
            i += 1;
            continue;
        }
        if c != b'%' {
            lit.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let Some(&n) = b.get(i) else {
            return Err("error: % at end of format string".into());
        };
        if n == b'%' {
            lit.push(b'%');
            i += 1;
            continue;
        }
        let start = i;
        let mut flags = Vec::new();
        while let Some(&fc) = b.get(i) {
            if matches!(fc, b'-' | b'0' | b'#' | b'+' | b' ') {
                flags.push(fc);
                i += 1;
            } else {
                break;
            }
        }
        let mut width = None;
        let ws = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i > ws {
            width = f[ws..i].parse().ok();
        }
        let mut prec = None;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let ps = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            prec = Some(f[ps..i].parse().unwrap_or(0));
        }
        let Some(&conv) = b.get(i) else {
            return Err(format!(
                "error: the format directive `%{}' is reserved for future use",
                &f[start..]
            ));
        };
        i += 1;
        let mut sub = 0;
        match conv {
            b'A' | b'C' | b'T' => {
                let Some(&s) = b.get(i) else {
                    return Err(format!(
                        "error: missing time format after %{}",
                        char::from(conv)
                    ));
                };
                sub = s;
                i += 1;
            }
            b'a' | b'b' | b'c' | b'd' | b'D' | b'f' | b'F' | b'g' | b'G' | b'h' | b'H' | b'i'
            | b'k' | b'l' | b'm' | b'M' | b'n' | b'p' | b'P' | b's' | b'S' | b't' | b'u' | b'U'
            | b'y' | b'Y' | b'Z' => {}
            _ => {
                warns.push(format!(
                    "warning: unrecognized format directive `%{}'",
                    char::from(conv)
                ));
                lit.push(b'%');
                lit.push(conv);
                continue;
            }
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(std::mem::take(&mut lit)));
        }
        segs.push(Seg::Dir {
            flags,
            width,
            prec,
            conv,
            sub,
        });
    }
    if !lit.is_empty() {
        segs.push(Seg::Lit(lit));
    }
    Ok(segs)
}

/// Pad `v` to `width` as printf's `%s` (or a number with `0`) would.
pub(super) fn pad(
    out: &mut Vec<u8>,
    v: &[u8],
    flags: &[u8],
    width: Option<usize>,
    prec: Option<usize>,
    numeric: bool,
) {
    let v = match prec {
        Some(p) if !numeric && p < v.len() => &v[..p],
        _ => v,
    };
    let w = width.unwrap_or(0);
    if v.len() >= w {
        out.extend_from_slice(v);
        return;
    }
    let fill = w - v.len();
    if flags.contains(&b'-') {
        out.extend_from_slice(v);
        out.resize(out.len() + fill, b' ');
    } else if numeric && flags.contains(&b'0') {
        let (sign, digits) = match v.first() {
            Some(b'-' | b'+' | b' ') => (&v[..1], &v[1..]),
            _ => (&v[..0], v),
        };
        out.extend_from_slice(sign);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(digits);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(v);
    }
}

/// Broken-down UTC-offset time.
pub(super) struct Tm {
    year: i64,
    mon: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const FULL_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `secs` shifted by `offset` seconds, broken down.
pub(super) fn tm(secs: i64, offset: i64) -> Tm {
    let t = secs.clamp(-(1 << 52), 1 << 52) + offset;
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let z0 = days + 719_468;
    let era = z0.div_euclid(146_097);
    let doe = z0 - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let mon = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(mon <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const CUM: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = CUM[(mon - 1).clamp(0, 11) as usize] + day - 1 + i64::from(leap && mon > 2);
    Tm {
        year,
        mon,
        day,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        wday: (days + 4).rem_euclid(7),
        yday,
    }
}

fn week(tm: &Tm, first: i64) -> i64 {
    (tm.yday + 7 - (tm.wday - first).rem_euclid(7)) / 7
}

/// The fractional seconds as GNU find prints them: 10 digits.
fn frac(ts: Timestamp) -> String {
    format!("{:09}0", ts.nsec)
}

/// The text of time directive `%Tk` (`k` = `c`) for `ts` in a zone `offset` seconds
/// east of UTC named `zname`; `None` for an unknown letter.
pub(super) fn time_field(ts: Timestamp, k: u8, offset: i64, zname: &str) -> Option<String> {
    let t = tm(ts.sec, offset);
    let day = |i: i64| DAYS[i.rem_euclid(7) as usize];
    let mon = |m: i64| MONTHS[(m - 1).clamp(0, 11) as usize];
    let h12 = |h: i64| if h % 12 == 0 { 12 } else { h % 12 };
    Some(match k {
        b'@' => format!("{}.{}", ts.sec, frac(ts)),
        b'a' => day(t.wday).into(),
        b'A' => FULL_DAYS[t.wday.rem_euclid(7) as usize].into(),
        b'b' | b'h' => mon(t.mon).into(),
        b'B' => FULL_MONTHS[(t.mon - 1).clamp(0, 11) as usize].into(),
        b'c' => format!(
            "{} {} {:2} {:02}:{:02}:{:02} {}",
            day(t.wday),
            mon(t.mon),
            t.day,
            t.hour,
            t.min,
            t.sec,
            t.year
        ),
        b'd' => format!("{:02}", t.day),
        b'D' | b'x' => format!("{:02}/{:02}/{:02}", t.mon, t.day, t.year.rem_euclid(100)),
        b'H' => format!("{:02}", t.hour),
        b'I' => format!("{:02}", h12(t.hour)),
        b'j' => format!("{:03}", t.yday + 1),
        b'k' => format!("{:2}", t.hour),
        b'l' => format!("{:2}", h12(t.hour)),
        b'm' => format!("{:02}", t.mon),
        b'M' => format!("{:02}", t.min),
        b'p' => if t.hour < 12 { "AM" } else { "PM" }.into(),
        b'r' => format!(
            "{:02}:{:02}:{:02} {}",
            h12(t.hour),
            t.min,
            t.sec,
            if t.hour < 12 { "AM" } else { "PM" }
        ),
        b'S' => format!("{:02}.{}", t.sec, frac(ts)),
        b'T' | b'X' => format!("{:02}:{:02}:{:02}.{}", t.hour, t.min, t.sec, frac(ts)),
        b'U' => format!("{:02}", week(&t, 0)),
        b'W' => format!("{:02}", week(&t, 1)),
        b'w' => format!("{}", t.wday),
        b'y' => format!("{:02}", t.year.rem_euclid(100)),
        b'Y' => format!("{}", t.year),
        b'F' => format!("{}-{:02}-{:02}", t.year, t.mon, t.day),
        b'Z' => zname.into(),
        // The rest of gnulib's strftime letters find passes through.
        b'e' | b'G' | b'g' | b's' | b'u' | b'V' | b'z' | b'P' => {
            let off = i32::try_from(offset).unwrap_or(0);
            let f = [b'%', k];
            String::from_utf8_lossy(&crate::printf::strftime(&f, ts.sec, off, zname)).into_owned()
        }
        b'+' => format!(
            "{:04}-{:02}-{:02}+{:02}:{:02}:{:02}.{}",
            t.year,
            t.mon,
            t.day,
            t.hour,
            t.min,
            t.sec,
            frac(ts)
        ),
        _ => return None,
    })
}

/// `%t`-style ctime text with fractional seconds.
pub(super) fn ctime(ts: Timestamp, offset: i64) -> String {
    let t = tm(ts.sec, offset);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02}.{} {}",
        DAYS[t.wday.rem_euclid(7) as usize],
        MONTHS[(t.mon - 1).clamp(0, 11) as usize],
        t.day,
        t.hour,
        t.min,
        t.sec,
        frac(ts),
        t.year
    )
}

/// `ls -l`'s mode string.
pub(super) fn mode_string(ft: FileType, mode: u32) -> [u8; 10] {
    let mut s = *b"----------";
    s[0] = match ft {
        FileType::Dir => b'd',
        FileType::Symlink => b'l',
        FileType::File => b'-',
    };
    let bits = [
        (0o400, b'r'),
        (0o200, b'w'),
        (0o100, b'x'),
        (0o040, b'r'),
        (0o020, b'w'),
        (0o010, b'x'),
        (0o004, b'r'),
        (0o002, b'w'),
        (0o001, b'x'),
    ];
    for (k, (m, c)) in bits.iter().enumerate() {
        if mode & m != 0 {
            s[k + 1] = *c;
        }
    }
    let special = |s: &mut [u8; 10], at: usize, bit: u32, c: u8| {
        if mode & bit != 0 {
            s[at] = if s[at] == b'x' {
                c
            } else {
                c.to_ascii_uppercase()
            };
        }
    };
    special(&mut s, 3, 0o4000, b's');
    special(&mut s, 6, 0o2000, b's');
    special(&mut s, 9, 0o1000, b't');
    s
}

/// The `-ls` line for `path` (without the newline).
pub(super) fn ls_line(
    out: &mut Vec<u8>,
    m: &Metadata,
    path: &[u8],
    target: Option<&[u8]>,
    now: i64,
    offset: i64,
) {
    let kb = (m.blocks * 512).div_ceil(1024);
    let user = super::user_name(m.uid);
    let group = super::user_name(m.gid);
    let t = tm(m.mtime.sec, offset);
    let six_months = 31_556_952 / 2;
    let date = if m.mtime.sec > now - six_months && m.mtime.sec <= now + 3600 {
        format!(
            "{} {:2} {:02}:{:02}",
            MONTHS[(t.mon - 1).clamp(0, 11) as usize],
            t.day,
            t.hour,
            t.min
        )
    } else {
        format!(
            "{} {:2}  {}",
            MONTHS[(t.mon - 1).clamp(0, 11) as usize],
            t.day,
            t.year
        )
    };
    let mode = mode_string(m.file_type, m.mode);
    out.extend_from_slice(
        format!(
            "{:9} {:6} {} {:3} {:<8} {:<8} {:8} {} ",
            m.ino,
            kb,
            String::from_utf8_lossy(&mode),
            m.nlink,
            user,
            group,
            m.size,
            date
        )
        .as_bytes(),
    );
    out.extend_from_slice(path);
    if let Some(t) = target {
        out.extend_from_slice(b" -> ");
        out.extend_from_slice(t);
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let ts = Timestamp::new(1_583_298_367, 123_456_789);
        assert_eq!(ctime(ts, 0), "Wed Mar  4 05:06:07.1234567890 2020");
        assert_eq!(
            time_field(ts, b'+', 0, "UTC").unwrap(),
            "2020-03-04+05:06:07.1234567890"
        );
        assert_eq!(time_field(ts, b'j', 0, "UTC").unwrap(), "064");
        assert_eq!(time_field(ts, b'U', 0, "UTC").unwrap(), "09");
        assert_eq!(time_field(ts, b'W', 0, "UTC").unwrap(), "09");
        assert_eq!(time_field(ts, b'k', 0, "UTC").unwrap(), " 5");
        assert_eq!(
            time_field(ts, b'@', 0, "UTC").unwrap(),
            "1583298367.1234567890"
        );
    }

    #[test]
    fn formats() {
        let s = parse_format("%-5p|%10s\\n", &mut Vec::new()).unwrap();
        assert_eq!(s.len(), 4);
        assert!(parse_format("%", &mut Vec::new()).is_err());
        let mut o = Vec::new();
        pad(&mut o, b"ab", b"-", Some(4), None, false);
        pad(&mut o, b"7", b"0", Some(3), None, true);
        assert_eq!(o, b"ab  007");
        assert_eq!(&mode_string(FileType::Dir, 0o1777), b"drwxrwxrwt");
    }
}

//! Printing an edit script as GNU diff does: normal, unified, context, ed and RCS formats,
//! hunk grouping (`find_hunk`), `-B` analysis (`analyze_hunk`), headers.

use super::analyze::{Change, Lines, Ws};

/// Output format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// `--normal`.
    Normal,
    /// `-u`.
    Unified,
    /// `-c`.
    Context,
    /// `-e`: an ed script (hunks printed last first).
    Ed,
    /// `-n`: RCS format.
    Rcs,
}

/// What the printer needs to know.
pub struct Fmt {
    /// The format.
    pub style: Style,
    /// Context lines.
    pub context: usize,
    /// `-B`.
    pub ignore_blank: bool,
    /// White space handling (for `-B` with `-b`/`-w`).
    pub ws: Ws,
    /// `-p`/`-F`: the regex whose most recent match is shown in hunk headers.
    pub function: Option<regex::bytes::Regex>,
}

/// GNU's `find_function` search state, carried from hunk to hunk.
#[derive(Default)]
pub struct FnState {
    last_search: usize,
    last_match: Option<usize>,
}

/// The most recent line before `linenum` matching the function regex (GNU's
/// `find_function`), as `print_context_function` shows it: a space, then at most 40
/// bytes from its first non-blank, trailing blanks dropped.
fn find_function(f: &Fmt, st: &mut FnState, a: &Lines<'_>, linenum: usize) -> Option<Vec<u8>> {
    let re = f.function.as_ref()?;
    let last = st.last_search;
    st.last_search = linenum;
    let mut i = linenum;
    let mut found = None;
    while i > last {
        i -= 1;
        let line = a.line(i);
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if re.is_match(body) {
            st.last_match = Some(i);
            found = Some(i);
            break;
        }
    }
    let idx = found.or(st.last_match)?;
    let line = a.line(idx);
    let sp = |c: u8| matches!(c, b' ' | b'\t' | 0x0b | 0x0c | b'\r');
    let mut s = 0;
    while s < line.len() && sp(line[s]) {
        s += 1;
    }
    let mut e = s;
    while e < s + 40 && e < line.len() && line[e] != b'\n' {
        e += 1;
    }
    while e > s && sp(line[e - 1]) {
        e -= 1;
    }
    let mut v = vec![b' '];
    v.extend_from_slice(&line[s..e]);
    Some(v)
}

const OLD: u8 = 1;
const NEW: u8 = 2;

/// GNU's `analyze_hunk`: (changes, first0, last0, first1, last1); changes is 0 when
/// every changed line is ignorable.
fn analyze(
    hunk: &[Change],
    a: &Lines<'_>,
    b: &Lines<'_>,
    f: &Fmt,
) -> (u8, isize, isize, isize, isize) {
    let mut trivial = f.ignore_blank;
    let skip_ws = f.ignore_blank && matches!(f.ws, Ws::Trailing | Ws::Change | Ws::All);
    let blank = |line: &[u8]| -> bool {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if skip_ws {
            body.iter()
                .all(|&c| matches!(c, b' ' | b'\t' | 0x0b | 0x0c | b'\r'))
        } else {
            body.is_empty()
        }
    };
    let (mut show_from, mut show_to) = (0, 0);
    let first0 = hunk[0].line0 as isize;
    let first1 = hunk[0].line1 as isize;
    let (mut l0, mut l1) = (0isize, 0isize);
    for ch in hunk {
        l0 = (ch.line0 + ch.deleted) as isize - 1;
        l1 = (ch.line1 + ch.inserted) as isize - 1;
        show_from += ch.deleted;
        show_to += ch.inserted;
        if trivial {
            for i in ch.line0..ch.line0 + ch.deleted {
                if !blank(a.line(i)) {
                    trivial = false;
                    break;
                }
            }
        }
        if trivial {
            for i in ch.line1..ch.line1 + ch.inserted {
                if !blank(b.line(i)) {
                    trivial = false;
                    break;
                }
            }
        }
    }
    let changes = if trivial {
        0
    } else {
        (if show_from > 0 { OLD } else { 0 }) | (if show_to > 0 { NEW } else { 0 })
    };
    (changes, first0, l0, first1, l1)
}

/// Group the script into hunks as GNU prints them.
pub fn hunks<'s>(script: &'s [Change], a: &Lines<'_>, b: &Lines<'_>, f: &Fmt) -> Vec<&'s [Change]> {
    let mut out = Vec::new();
    if matches!(f.style, Style::Normal | Style::Ed | Style::Rcs) {
        for i in 0..script.len() {
            out.push(&script[i..i + 1]);
        }
        return out;
    }
    let ignore: Vec<bool> = script
        .iter()
        .map(|c| f.ignore_blank && analyze(std::slice::from_ref(c), a, b, f).0 == 0)
        .collect();
    let mut s = 0;
    while s < script.len() {
        let mut e = s;
        loop {
            let top0 = script[e].line0 + script[e].deleted;
            let next = e + 1;
            if next >= script.len() {
                break;
            }
            let thresh = if ignore[next] {
                f.context
            } else {
                2 * f.context + 1
            };
            if script[next].line0 - top0 < thresh {
                e = next;
            } else {
                break;
            }
        }
        out.push(&script[s..=e]);
        s = e + 1;
    }
    out
}

/// Whether any hunk is a real (not ignorable) difference.
pub fn has_changes(script: &[Change], a: &Lines<'_>, b: &Lines<'_>, f: &Fmt) -> bool {
    if !f.ignore_blank {
        return !script.is_empty();
    }
    script
        .iter()
        .any(|c| analyze(std::slice::from_ref(c), a, b, f).0 != 0)
}

fn push_line(out: &mut Vec<u8>, flag: &str, line: &[u8]) {
    out.extend_from_slice(flag.as_bytes());
    out.push(b' ');
    out.extend_from_slice(line);
    if line.last() != Some(&b'\n') {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

/// A line as ed and RCS output copy it (GNU's `print_1_line` with no flag).
fn plain_line(out: &mut Vec<u8>, line: &[u8]) {
    out.extend_from_slice(line);
    if line.last() != Some(&b'\n') {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

fn unified_line(out: &mut Vec<u8>, flag: u8, line: &[u8]) {
    out.push(flag);
    out.extend_from_slice(line);
    if line.last() != Some(&b'\n') {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

fn range(out: &mut Vec<u8>, sep: u8, a: isize, b: isize) {
    // translate_range: 1-based.
    let (ta, tb) = (a + 1, b + 1);
    if tb > ta {
        out.extend_from_slice(format!("{ta}{}{tb}", sep as char).as_bytes());
    } else {
        out.extend_from_slice(tb.to_string().as_bytes());
    }
}

fn unirange(out: &mut Vec<u8>, a: isize, b: isize) {
    let (ta, tb) = (a + 1, b + 1);
    if tb < ta {
        out.extend_from_slice(format!("{tb},0").as_bytes());
    } else if tb == ta {
        out.extend_from_slice(tb.to_string().as_bytes());
    } else {
        out.extend_from_slice(format!("{ta},{}", tb - ta + 1).as_bytes());
    }
}

/// Print one hunk into `out`; false when it was ignorable and nothing was printed.
pub fn print_hunk(
    st: &mut FnState,
    out: &mut Vec<u8>,
    hunk: &[Change],
    a: &Lines<'_>,
    b: &Lines<'_>,
    f: &Fmt,
) -> bool {
    let (changes, mut first0, mut last0, mut first1, mut last1) = analyze(hunk, a, b, f);
    if changes == 0 {
        return false;
    }
    match f.style {
        Style::Ed => {
            range(out, b',', first0, last0);
            out.push(match changes {
                OLD => b'd',
                NEW => b'a',
                _ => b'c',
            });
            out.push(b'\n');
            if changes & NEW != 0 {
                // GNU's print_ed_hunk: a line that is a lone dot would end the insert,
                // so it goes in doubled, a substitution undoes that, and `a` resumes.
                let mut inserting = true;
                for i in first1..=last1 {
                    if !inserting {
                        out.extend_from_slice(b"a\n");
                        inserting = true;
                    }
                    let line = b.line(i as usize);
                    if line == b".\n" {
                        out.extend_from_slice(b"..\n.\ns/.//\n");
                        inserting = false;
                    } else {
                        plain_line(out, line);
                    }
                }
                if inserting {
                    out.extend_from_slice(b".\n");
                }
            }
        }
        Style::Rcs => {
            if changes & OLD != 0 {
                let n = if first0 <= last0 {
                    last0 - first0 + 1
                } else {
                    1
                };
                out.extend_from_slice(format!("d{} {n}\n", first0 + 1).as_bytes());
            }
            if changes & NEW != 0 {
                let n = if first1 <= last1 {
                    last1 - first1 + 1
                } else {
                    1
                };
                out.extend_from_slice(format!("a{} {n}\n", last0 + 1).as_bytes());
                for i in first1..=last1 {
                    plain_line(out, b.line(i as usize));
                }
            }
        }
        Style::Normal => {
            range(out, b',', first0, last0);
            out.push(match changes {
                OLD => b'd',
                NEW => b'a',
                _ => b'c',
            });
            range(out, b',', first1, last1);
            out.push(b'\n');
            if changes & OLD != 0 {
                for i in first0..=last0 {
                    push_line(out, "<", a.line(i as usize));
                }
            }
            if changes == OLD | NEW {
                out.extend_from_slice(b"---\n");
            }
            if changes & NEW != 0 {
                for i in first1..=last1 {
                    push_line(out, ">", b.line(i as usize));
                }
            }
        }
        Style::Unified | Style::Context => {
            let ctx = f.context as isize;
            first0 = (first0 - ctx).max(0);
            first1 = (first1 - ctx).max(0);
            let (v0, v1) = (a.len() as isize, b.len() as isize);
            last0 = if last0 < v0 - ctx {
                last0 + ctx
            } else {
                v0 - 1
            };
            last1 = if last1 < v1 - ctx {
                last1 + ctx
            } else {
                v1 - 1
            };
            if f.style == Style::Unified {
                out.extend_from_slice(b"@@ -");
                unirange(out, first0, last0);
                out.extend_from_slice(b" +");
                unirange(out, first1, last1);
                out.extend_from_slice(b" @@");
                if let Some(func) = find_function(f, st, a, first0 as usize) {
                    out.extend_from_slice(&func);
                }
                out.push(b'\n');
                let mut k = 0usize;
                let (mut i, mut j) = (first0, first1);
                while i <= last0 || j <= last1 {
                    if k >= hunk.len() || i < hunk[k].line0 as isize {
                        unified_line(out, b' ', a.line(i as usize));
                        i += 1;
                        j += 1;
                    } else {
                        let ch = hunk[k];
                        for _ in 0..ch.deleted {
                            unified_line(out, b'-', a.line(i as usize));
                            i += 1;
                        }
                        for _ in 0..ch.inserted {
                            unified_line(out, b'+', b.line(j as usize));
                            j += 1;
                        }
                        k += 1;
                    }
                }
            } else {
                out.extend_from_slice(b"***************");
                if let Some(func) = find_function(f, st, a, first0 as usize) {
                    out.extend_from_slice(&func);
                }
                out.extend_from_slice(b"\n*** ");
                range(out, b',', first0, last0);
                out.extend_from_slice(b" ****\n");
                if changes & OLD != 0 {
                    let mut k = 0;
                    for i in first0..=last0 {
                        let iu = i as usize;
                        while k < hunk.len() && hunk[k].line0 + hunk[k].deleted <= iu {
                            k += 1;
                        }
                        let flag = if k < hunk.len() && hunk[k].line0 <= iu {
                            if hunk[k].inserted > 0 { "!" } else { "-" }
                        } else {
                            " "
                        };
                        push_line(out, flag, a.line(iu));
                    }
                }
                out.extend_from_slice(b"--- ");
                range(out, b',', first1, last1);
                out.extend_from_slice(b" ----\n");
                if changes & NEW != 0 {
                    let mut k = 0;
                    for i in first1..=last1 {
                        let iu = i as usize;
                        while k < hunk.len() && hunk[k].line1 + hunk[k].inserted <= iu {
                            k += 1;
                        }
                        let flag = if k < hunk.len() && hunk[k].line1 <= iu {
                            if hunk[k].deleted > 0 { "!" } else { "+" }
                        } else {
                            " "
                        };
                        push_line(out, flag, b.line(iu));
                    }
                }
            }
        }
    }
    true
}

/// GNU's `c_escape` for names in `---`/`+++` headers: quoted with C escapes when the
/// name holds a space, a quote, a backslash or a control character.
pub fn header_name(name: &str) -> String {
    let esc = |c: u8| -> Option<String> {
        Some(match c {
            7 => "\\a".into(),
            8 => "\\b".into(),
            b'\t' => "\\t".into(),
            b'\n' => "\\n".into(),
            11 => "\\v".into(),
            12 => "\\f".into(),
            b'\r' => "\\r".into(),
            b'"' => "\\\"".into(),
            b'\\' => "\\\\".into(),
            c if !(32..128).contains(&c) => format!("\\{c:03o}"),
            _ => return None,
        })
    };
    let bytes = name.as_bytes();
    if !bytes.iter().any(|&c| c == b' ' || esc(c).is_some()) {
        return name.to_string();
    }
    let mut s = String::from("\"");
    for &c in bytes {
        match esc(c) {
            Some(e) => s.push_str(&e),
            None => s.push(c as char),
        }
    }
    s.push('"');
    s
}

/// `2024-01-02 03:04:05.000000000 +0000` (UTC), or for context diffs in the C locale
/// `Tue Jan  2 03:04:05 2024`.
pub fn timestamp(sec: i64, nsec: u32, posix: bool) -> String {
    let days = sec.div_euclid(86400);
    let rem = sec.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    if posix {
        const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MO: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        return format!(
            "{} {} {d:2} {:02}:{:02}:{:02} {y}",
            WD[days.rem_euclid(7) as usize],
            MO[(m - 1).clamp(0, 11) as usize],
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
    }
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{nsec:09} +0000",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps() {
        assert_eq!(
            timestamp(0, 0, false),
            "1970-01-01 00:00:00.000000000 +0000"
        );
        assert_eq!(
            timestamp(1704164645, 5, false),
            "2024-01-02 03:04:05.000000005 +0000"
        );
        assert_eq!(timestamp(1704164645, 5, true), "Tue Jan  2 03:04:05 2024");
    }

    #[test]
    fn names() {
        assert_eq!(header_name("a b"), "\"a b\"");
        assert_eq!(header_name("t\tx"), "\"t\\tx\"");
        assert_eq!(header_name("q'r"), "q'r");
    }
}

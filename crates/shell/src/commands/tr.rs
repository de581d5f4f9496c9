//! `tr`: translate, squeeze and delete bytes (GNU coreutils 9.1, C locale): escapes,
//! ranges, `[:class:]`, `[=c=]`, `[c*n]`/`[c*]`, `-c -d -s -t` and GNU's messages.

use super::{quote, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `tr [OPTION]... SET1 [SET2]`
pub struct Tr;

#[derive(Clone, Debug)]
enum Elem {
    Char(u8),
    Range(u8, u8),
    Class(&'static str),
    Equiv(u8),
    Repeat(u8, Option<usize>),
}

const CLASSES: [&str; 12] = [
    "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "xdigit",
];

fn in_class(name: &str, c: u8) -> bool {
    match name {
        "alnum" => c.is_ascii_alphanumeric(),
        "alpha" => c.is_ascii_alphabetic(),
        "blank" => c == b' ' || c == b'\t',
        "cntrl" => c < 0x20 || c == 0x7f,
        "digit" => c.is_ascii_digit(),
        "graph" => c.is_ascii_graphic(),
        "lower" => c.is_ascii_lowercase(),
        "print" => (0x20..0x7f).contains(&c),
        "punct" => c.is_ascii_punctuation(),
        "space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        "upper" => c.is_ascii_uppercase(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Undo backslash escapes: the bytes and whether each was escaped.
fn unescape(ctx: &Ctx<'_>, s: &str) -> (Vec<u8>, Vec<bool>) {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut esc = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            esc.push(false);
            i += 1;
            continue;
        }
        if i + 1 >= b.len() {
            ctx.err("warning: an unescaped backslash at end of string is not portable");
            out.push(b'\\');
            esc.push(true);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        let v = match c {
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'0'..=b'7' => {
                let mut v: u32 = u32::from(c - b'0');
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    let nv = v * 8 + u32::from(b[i] - b'0');
                    if nv > 255 {
                        let d = b[i] as char;
                        ctx.err(&format!(
                            "warning: the ambiguous octal escape \\{}{}{} is being\n\tinterpreted as the 2-byte sequence \\0{}{}, {}",
                            c as char,
                            b[i - 1] as char,
                            d,
                            c as char,
                            b[i - 1] as char,
                            d
                        ));
                        break;
                    }
                    v = nv;
                    i += 1;
                    n += 1;
                }
                v as u8
            }
            other => other,
        };
        out.push(v);
        esc.push(true);
    }
    (out, esc)
}

fn parse_set(ctx: &Ctx<'_>, s: &str) -> Result<Vec<Elem>, String> {
    let (b, esc) = unescape(ctx, s);
    let n = b.len();
    let mut v = Vec::new();
    let mut i = 0;
    while i < n {
        if b[i] == b'[' && !esc[i] && i + 1 < n {
            let kind = b[i + 1];
            if (kind == b':' || kind == b'=') && !esc[i + 1] {
                // Find the closing `:]` or `=]`.
                let mut j = i + 2;
                let mut found = None;
                while j + 1 < n {
                    if b[j] == kind && b[j + 1] == b']' && !esc[j] && !esc[j + 1] {
                        found = Some(j);
                        break;
                    }
                    j += 1;
                }
                if let Some(j) = found {
                    let body = &b[i + 2..j];
                    if kind == b':' {
                        let name = String::from_utf8_lossy(body).into_owned();
                        match CLASSES.iter().find(|c| **c == name) {
                            Some(c) => v.push(Elem::Class(c)),
                            None => {
                                return Err(format!("invalid character class {}", quote(&name)));
                            }
                        }
                    } else {
                        if body.len() != 1 {
                            return Err(format!(
                                "{}: equivalence class operand must be a single character",
                                String::from_utf8_lossy(body)
                            ));
                        }
                        v.push(Elem::Equiv(body[0]));
                    }
                    i = j + 2;
                    continue;
                }
            }
            // `[c*n]` or `[c*]`.
            if i + 2 < n && b[i + 2] == b'*' && !esc[i + 2] {
                let c = b[i + 1];
                let mut j = i + 3;
                while j < n && b[j] != b']' {
                    j += 1;
                }
                if j < n && !esc[j] {
                    let digits = &b[i + 3..j];
                    let count = if digits.is_empty() {
                        None
                    } else {
                        let t = String::from_utf8_lossy(digits).into_owned();
                        let parsed = if t.starts_with('0') {
                            usize::from_str_radix(&t, 8).ok()
                        } else if t.bytes().all(|d| d.is_ascii_digit()) {
                            t.parse::<usize>().ok()
                        } else {
                            None
                        };
                        match parsed {
                            Some(0) => None,
                            Some(x) => Some(x),
                            None => {
                                return Err(format!(
                                    "invalid repeat count {} in [c*n] construct",
                                    quote(&t)
                                ));
                            }
                        }
                    };
                    v.push(Elem::Repeat(c, count));
                    i = j + 1;
                    continue;
                }
            }
        }
        if i + 2 < n && b[i + 1] == b'-' && !esc[i + 1] {
            let (a, z) = (b[i], b[i + 2]);
            if z < a {
                let show = |c: u8| -> String {
                    if (0x20..0x7f).contains(&c) {
                        (c as char).to_string()
                    } else {
                        format!("\\{c:03o}")
                    }
                };
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    show(a),
                    show(z)
                ));
            }
            v.push(Elem::Range(a, z));
            i += 3;
            continue;
        }
        v.push(Elem::Char(b[i]));
        i += 1;
    }
    Ok(v)
}

/// Expand a set without repeats; `starts` gets the expanded position of each class.
fn expand(set: &[Elem], starts: &mut Vec<(usize, &'static str)>) -> Vec<u8> {
    let mut out = Vec::new();
    for e in set {
        match e {
            Elem::Char(c) | Elem::Equiv(c) => out.push(*c),
            Elem::Range(a, z) => out.extend(*a..=*z),
            Elem::Class(name) => {
                starts.push((out.len(), name));
                out.extend((0..=255u8).filter(|&c| in_class(name, c)));
            }
            Elem::Repeat(c, Some(n)) => out.extend(std::iter::repeat_n(*c, *n)),
            Elem::Repeat(c, None) => out.push(*c),
        }
    }
    out
}

fn fail(ctx: &Ctx<'_>, m: &str) -> i32 {
    ctx.err(m);
    1
}

impl Command for Tr {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "",
            "cCdst",
            &[
                "complement",
                "delete",
                "squeeze-repeats",
                "truncate-set1",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let (mut comp, mut del, mut sq, mut trunc) = (false, false, false, false);
        let mut ops: Vec<String> = Vec::new();
        for a in parsed {
            match a {
                Arg::Operand(o) => ops.push(o),
                Arg::Short('c' | 'C', _) => comp = true,
                Arg::Short('d', _) => del = true,
                Arg::Short('s', _) => sq = true,
                Arg::Short('t', _) => trunc = true,
                Arg::Long(l, _) => match l.as_str() {
                    "complement" => comp = true,
                    "delete" => del = true,
                    "squeeze-repeats" => sq = true,
                    "truncate-set1" => trunc = true,
                    "help" => return super::print_text(ctx, HELP),
                    "version" => return version(ctx, "tr", "Written by Jim Meyering."),
                    _ => {}
                },
                Arg::Short(..) => {}
            }
        }
        let translating = !del && ops.len() >= 2;
        let min = if del && sq {
            2
        } else if del || sq {
            1
        } else {
            2
        };
        let max = if del && !sq { 1 } else { 2 };
        if ops.len() < min {
            if ops.is_empty() {
                ctx.err("missing operand");
            } else {
                let why = if sq {
                    "Two strings must be given when both deleting and squeezing repeats."
                } else {
                    "Two strings must be given when translating."
                };
                ctx.err(&format!(
                    "missing operand after {}\n{why}",
                    quote(&ops[ops.len() - 1])
                ));
            }
            return try_help(ctx, 1);
        }
        if ops.len() > max {
            let mut m = format!("extra operand {}", quote(&ops[max]));
            if max == 1 {
                m.push_str(
                    "\nOnly one string may be given when deleting without squeezing repeats.",
                );
            }
            ctx.err(&m);
            return try_help(ctx, 1);
        }
        let s1 = match parse_set(ctx, &ops[0]) {
            Ok(s) => s,
            Err(m) => return fail(ctx, &m),
        };
        if s1.iter().any(|e| matches!(e, Elem::Repeat(..))) {
            return fail(ctx, "the [c*] repeat construct may not appear in string1");
        }
        let s2 = match ops.get(1) {
            Some(t) => match parse_set(ctx, t) {
                Ok(s) => Some(s),
                Err(m) => return fail(ctx, &m),
            },
            None => None,
        };
        let mut starts1 = Vec::new();
        let mut set1 = expand(&s1, &mut starts1);
        if comp {
            let mut inset = [false; 256];
            for &c in &set1 {
                inset[usize::from(c)] = true;
            }
            set1 = (0..=255u8).filter(|&c| !inset[usize::from(c)]).collect();
        }
        let mut set2: Vec<u8> = Vec::new();
        if let Some(s2) = &s2 {
            if translating {
                if s2
                    .iter()
                    .any(|e| matches!(e, Elem::Class(n) if *n != "upper" && *n != "lower"))
                {
                    return fail(
                        ctx,
                        "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'",
                    );
                }
                if s2.iter().any(|e| matches!(e, Elem::Equiv(_))) {
                    return fail(
                        ctx,
                        "[=c=] expressions may not appear in string2 when translating",
                    );
                }
                if s2
                    .iter()
                    .filter(|e| matches!(e, Elem::Repeat(_, None)))
                    .count()
                    > 1
                {
                    return fail(ctx, "only one [c*] repeat construct may appear in string2");
                }
            }
            // Fill `[c*]` so string2 is as long as string1.
            let mut starts2 = Vec::new();
            let fixed: usize = expand(
                &s2.iter()
                    .filter(|e| !matches!(e, Elem::Repeat(_, None)))
                    .cloned()
                    .collect::<Vec<_>>(),
                &mut Vec::new(),
            )
            .len();
            let fill = set1.len().saturating_sub(fixed);
            let filled: Vec<Elem> = s2
                .iter()
                .map(|e| match e {
                    Elem::Repeat(c, None) => Elem::Repeat(*c, Some(fill)),
                    other => other.clone(),
                })
                .collect();
            set2 = expand(&filled, &mut starts2);
            if translating {
                for (p, name) in &starts2 {
                    let other = if *name == "upper" { "lower" } else { "upper" };
                    let ok = !comp
                        && starts1
                            .iter()
                            .any(|(q, n)| q == p && (*n == other || n == name));
                    if !ok {
                        if comp {
                            break;
                        }
                        return fail(ctx, "misaligned [:upper:] and/or [:lower:] construct");
                    }
                }
                if set1.len() > set2.len() && !trunc && matches!(s2.last(), Some(Elem::Class(_))) {
                    return fail(
                        ctx,
                        "when translating with string1 longer than string2,\nthe latter string must not end with a character class",
                    );
                }
                if set2.is_empty() && !trunc && !set1.is_empty() {
                    return fail(ctx, "when not truncating set1, string2 must be non-empty");
                }
            }
        }
        // Build the tables.
        let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
        let mut delete = [false; 256];
        let mut squeeze = [false; 256];
        if translating {
            if trunc {
                set1.truncate(set2.len());
            }
            let last = set2.last().copied().unwrap_or(0);
            for (i, &c) in set1.iter().enumerate() {
                map[usize::from(c)] = set2.get(i).copied().unwrap_or(last);
            }
            if sq {
                for &c in &set2 {
                    squeeze[usize::from(c)] = true;
                }
            }
        } else if del {
            for &c in &set1 {
                delete[usize::from(c)] = true;
            }
            if sq {
                for &c in &set2 {
                    squeeze[usize::from(c)] = true;
                }
            }
        } else {
            for &c in &set1 {
                squeeze[usize::from(c)] = true;
            }
        }
        let any_delete = delete.iter().any(|&d| d);
        let any_squeeze = squeeze.iter().any(|&q| q);
        let mut buf = vec![0u8; 64 * 1024];
        let mut out = Vec::with_capacity(64 * 1024);
        let mut last: Option<u8> = None;
        loop {
            let n = match ctx.stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    ctx.err(&format!("read error: {}", super::io_err(&e)));
                    return 1;
                }
            };
            out.clear();
            if !any_delete && !any_squeeze {
                // Plain translation: a table lookup per byte, no branches.
                out.extend(buf[..n].iter().map(|&c| map[usize::from(c)]));
                if let Err(s) = ctx.out(&out) {
                    return stopped(s);
                }
                continue;
            }
            for &c in &buf[..n] {
                if delete[usize::from(c)] {
                    continue;
                }
                let t = map[usize::from(c)];
                if squeeze[usize::from(t)] && last == Some(t) {
                    continue;
                }
                last = Some(t);
                out.push(t);
            }
            if let Err(s) = ctx.out(&out) {
                return stopped(s);
            }
        }
        0
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: tr [OPTION]... STRING1 [STRING2]
Translate, squeeze, and/or delete characters from standard input,
writing to standard output.  STRING1 and STRING2 specify arrays of
characters ARRAY1 and ARRAY2 that control the action.

  -c, -C, --complement    use the complement of ARRAY1
  -d, --delete            delete characters in ARRAY1, do not translate
  -s, --squeeze-repeats   replace each sequence of a repeated character
                            that is listed in the last specified ARRAY,
                            with a single occurrence of that character
  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2
      --help        display this help and exit
      --version     output version information and exit

ARRAYs are specified as strings of characters.  Most represent themselves.
Interpreted sequences are:

  \NNN            character with octal value NNN (1 to 3 octal digits)
  \\              backslash
  \a              audible BEL
  \b              backspace
  \f              form feed
  \n              new line
  \r              return
  \t              horizontal tab
  \v              vertical tab
  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order
  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1
  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0
  [:alnum:]       all letters and digits
  [:alpha:]       all letters
  [:blank:]       all horizontal whitespace
  [:cntrl:]       all control characters
  [:digit:]       all digits
  [:graph:]       all printable characters, not including space
  [:lower:]       all lower case letters
  [:print:]       all printable characters, including space
  [:punct:]       all punctuation characters
  [:space:]       all horizontal or vertical whitespace
  [:upper:]       all upper case letters
  [:xdigit:]      all hexadecimal digits
  [=CHAR=]        all characters which are equivalent to CHAR

Translation occurs if -d is not given and both STRING1 and STRING2 appear.
-t may be used only when translating.  ARRAY2 is extended to length of
ARRAY1 by repeating its last character as necessary.  Excess characters
of ARRAY2 are ignored.  Character classes expand in unspecified order;
while translating, [:lower:] and [:upper:] may be used in pairs to
specify case conversion.  Squeezing occurs after translation or deletion.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tr>
or available locally via: info '(coreutils) tr invocation'
"##;

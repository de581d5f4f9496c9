//! `grep -P`: Perl-compatible patterns as GNU grep 3.8 runs them with PCRE2 10.42 in the
//! C locale (no `PCRE2_UTF`: a byte is a character, `\w \d \s \b` and `-i` are ASCII).
//!
//! The engine is `fancy-regex` in its ASCII bytes mode: look-around, back-references,
//! `\K`, atomic groups and possessive quantifiers run on its backtracking VM, and the
//! rest is handed to the `regex` crate's automata. The pattern bytes are first rewritten
//! from PCRE2's syntax into fancy-regex's where the two differ (`\Q...\E`, `\x`, `\o{}`,
//! `\cX`, octal escapes, `\g` back-references, `\h`/`\v`, literal `{` that is not a
//! quantifier, raw bytes above 0x7F); `\p{..}` becomes the class of the bytes whose
//! Latin-1 characters have the property, as PCRE2 reads bytes without UTF. What
//! fancy-regex cannot express (recursion, branch reset, verbs, `\X`, `\C`) is refused
//! with a clear message.

use std::cell::Cell;

use fancy_regex::{BytesMode, Error, ParseError, RegexBuilder};

/// PCRE2's default match limit, which GNU grep keeps.
const BACKTRACK_LIMIT: usize = 10_000_000;

/// The most VM instructions a pattern may compile to (repeats of back-references and
/// look-arounds are unrolled); PCRE2 refuses such patterns as too large as well.
const MAX_PROG: usize = 1 << 20;

/// A compiled `-P` pattern.
pub(super) struct Perl {
    re: fancy_regex::Regex,
    /// Set when a search gave up (the backtracking limit): GNU grep stops with an error.
    failed: Cell<bool>,
}

impl Perl {
    /// Compile `pat` with grep's `-i`, `-w` and `-x`. The error is GNU grep's message
    /// (PCRE2's wording) where the two engines agree on what is wrong.
    pub fn new(pat: &[u8], icase: bool, words: bool, lines: bool) -> Result<Perl, String> {
        let body = translate(pat)?;
        let build = |text: &str| {
            RegexBuilder::new(text)
                .bytes_mode(BytesMode::Ascii)
                .case_insensitive(icase)
                .backtrack_limit(BACKTRACK_LIMIT)
                .delegate_size_limit(64 << 20)
                .max_prog_size(MAX_PROG)
                .build()
        };
        let text = if lines {
            // PCRE2_EXTRA_MATCH_LINE: the pattern must stand on its own.
            build(&body).map_err(|e| message(&e))?;
            format!("^(?:{body})$")
        } else if words {
            // GNU grep wraps the text itself for -w.
            format!("(?<!\\w)(?:{body})(?!\\w)")
        } else {
            body
        };
        let re = build(&text).map_err(|e| message(&e))?;
        Ok(Perl {
            re,
            failed: Cell::new(false),
        })
    }

    /// The first match in `line` at or after `start` (look-behind sees the text before).
    pub fn find_at(&self, line: &[u8], start: usize) -> Option<(usize, usize)> {
        match self.re.find_from_pos(line, start) {
            Ok(m) => m.map(|m| (m.start(), m.end())),
            Err(_) => {
                self.failed.set(true);
                None
            }
        }
    }

    /// Whether `line` has a match.
    pub fn is_match(&self, line: &[u8]) -> bool {
        match self.re.is_match(line) {
            Ok(m) => m,
            Err(_) => {
                self.failed.set(true);
                false
            }
        }
    }

    /// Whether a search gave up (GNU grep stops there).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }
}

/// GNU grep's message for a pattern fancy-regex refuses.
fn message(e: &Error) -> String {
    use fancy_regex::CompileError as C;
    match e {
        Error::ParseError(_, p) => match p {
            ParseError::UnclosedOpenParen => "missing closing parenthesis".into(),
            ParseError::GeneralParseError(s) if s.contains("end of string not reached") => {
                "unmatched closing parenthesis".into()
            }
            ParseError::InvalidClass => "missing terminating ] for character class".into(),
            ParseError::TargetNotRepeatable | ParseError::InvalidRepeat => {
                "quantifier does not follow a repeatable item".into()
            }
            ParseError::TrailingBackslash => "\\ at end of pattern".into(),
            ParseError::InvalidBackref => "reference to non-existent subpattern".into(),
            other => unsupported(&other.to_string()),
        },
        Error::CompileError(c) => match &**c {
            C::LookBehindNotConst | C::VariableLookBehindRequiresFeature => {
                "lookbehind assertion is not fixed length".into()
            }
            C::InvalidBackref(_) => "reference to non-existent subpattern".into(),
            C::PatternTooComplex => "regular expression is too large".into(),
            other => unsupported(&other.to_string()),
        },
        other => unsupported(&other.to_string()),
    }
}

fn unsupported(what: &str) -> String {
    format!("-P pattern not supported by agentsh's Perl-style engine: {what}")
}

/// Append `\xHH` for byte `b`.
fn hex(out: &mut String, b: u32) {
    out.push_str(&format!("\\x{b:02X}"));
}

/// Append byte `b` as a literal (escaped when it is not alphanumeric).
fn literal(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() || b == b'_' {
        out.push(char::from(b));
    } else {
        hex(out, u32::from(b));
    }
}

/// PCRE2's escapes that are valid and mean the same in fancy-regex.
const SAME_ESCAPES: &[u8] = b"AbBdDefGKnNrRsStwWzZ";

/// Rewrite PCRE2 pattern bytes as a fancy-regex pattern with the same meaning.
fn translate(p: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(p.len() + 8);
    let mut groups = 0usize;
    // Inside `[...]` (a `]` first in the class was taken as a member already).
    let mut in_class = false;
    let mut i = 0usize;
    // After a quantifier: 1, or 2 once it took its `?`/`+` (lazy, possessive). Another
    // quantifier then is an error in PCRE2 (fancy-regex would take some, like `a{2}{3}`).
    let mut quant = 0u8;
    while i < p.len() {
        let b = p[i];
        let after = std::mem::take(&mut quant);
        let mut quantifier = |out: &mut String, text: &str| -> Result<(), String> {
            quant = match (after, text) {
                (1, "?" | "+") => 2,
                (0, _) => 1,
                _ => return Err("quantifier does not follow a repeatable item".into()),
            };
            out.push_str(text);
            Ok(())
        };
        if b == b'\\' {
            let Some(&c) = p.get(i + 1) else {
                return Err("\\ at end of pattern".into());
            };
            i += 2;
            match c {
                b'Q' => {
                    let end = p[i..]
                        .windows(2)
                        .position(|w| w == b"\\E")
                        .map_or(p.len(), |k| i + k);
                    for &q in &p[i..end] {
                        literal(&mut out, q);
                    }
                    i = (end + 2).min(p.len());
                }
                b'E' => {}
                b'x' => {
                    let v = if p.get(i) == Some(&b'{') {
                        let close = p[i..].iter().position(|&x| x == b'}').map(|k| i + k);
                        let digits = close.map(|e| &p[i + 1..e]);
                        match digits {
                            Some(d) if !d.is_empty() && d.iter().all(u8::is_ascii_hexdigit) => {
                                i += d.len() + 2;
                                parse_radix(d, 16)
                            }
                            _ => return Err(unsupported("\\x{ without hexadecimal digits and }")),
                        }
                    } else {
                        let n = p[i..]
                            .iter()
                            .take(2)
                            .take_while(|x| x.is_ascii_hexdigit())
                            .count();
                        let v = parse_radix(&p[i..i + n], 16);
                        i += n;
                        v
                    };
                    if v > 0xFF {
                        return Err(
                            "character code point value in \\x{} or \\o{} is too large".into()
                        );
                    }
                    hex(&mut out, v);
                }
                b'o' => {
                    let close = p[i..].iter().position(|&x| x == b'}').map(|k| i + k);
                    match close {
                        Some(e)
                            if p.get(i) == Some(&b'{')
                                && e > i + 1
                                && p[i + 1..e].iter().all(|x| (b'0'..=b'7').contains(x)) =>
                        {
                            let v = parse_radix(&p[i + 1..e], 8);
                            i = e + 1;
                            if v > 0xFF {
                                return Err(
                                    "character code point value in \\x{} or \\o{} is too large"
                                        .into(),
                                );
                            }
                            hex(&mut out, v);
                        }
                        _ => return Err(unsupported("\\o without {octal digits}")),
                    }
                }
                b'c' => {
                    let Some(&x) = p.get(i) else {
                        return Err("\\c at end of pattern".into());
                    };
                    if !(0x20..0x7F).contains(&x) {
                        return Err("\\c must be followed by a printable ASCII character".into());
                    }
                    i += 1;
                    hex(&mut out, u32::from(x.to_ascii_uppercase() ^ 0x40));
                }
                b'h' | b'H' | b'v' | b'V' => {
                    let set = if c.eq_ignore_ascii_case(&b'h') {
                        "\\t \\xA0"
                    } else {
                        "\\n\\x0B\\x0C\\r\\x85"
                    };
                    let negated = c.is_ascii_uppercase();
                    if in_class {
                        if negated {
                            return Err(unsupported("\\H or \\V inside a character class"));
                        }
                        out.push_str(set);
                    } else {
                        out.push_str(if negated { "[^" } else { "[" });
                        out.push_str(set);
                        out.push(']');
                    }
                }
                b'a' => out.push_str("\\x07"),
                b'b' if in_class => out.push_str("\\x08"),
                b'g' if !in_class => {
                    let (n, used) = group_ref(&p[i..], groups)?;
                    i += used;
                    out.push_str(&format!("(?:\\{n})"));
                }
                b'k' if !in_class => out.push_str("\\k"),
                b'0'..=b'9' => {
                    let n = p[i - 1..].iter().take_while(|x| x.is_ascii_digit()).count();
                    let digits = &p[i - 1..i - 1 + n];
                    let value = parse_radix(digits, 10);
                    if !in_class
                        && c != b'0'
                        && (value < 10 || c >= b'8' || value as usize <= groups)
                    {
                        i += n - 1;
                        out.push_str(&format!("(?:\\{value})"));
                    } else if c >= b'8' {
                        // In a class, \8 and \9 are the digits.
                        out.push(char::from(c));
                    } else {
                        let max = if c == b'0' { 3 } else { 3.min(n) };
                        let oct = p[i - 1..]
                            .iter()
                            .take(max)
                            .take_while(|x| (b'0'..=b'7').contains(x))
                            .count();
                        let v = parse_radix(&p[i - 1..i - 1 + oct], 8);
                        i += oct - 1;
                        if v > 0xFF {
                            return Err(
                                "octal value is greater than \\377 in 8-bit non-UTF mode".into()
                            );
                        }
                        hex(&mut out, v);
                    }
                }
                b'p' | b'P' => {
                    let (set, used) = property(&p[i..], c == b'P')?;
                    i += used;
                    if in_class {
                        for b in set {
                            hex(&mut out, u32::from(b));
                        }
                    } else if set.is_empty() {
                        out.push_str("(?!)");
                    } else {
                        // PCRE2 does not fold case for properties.
                        out.push_str("(?-i:[");
                        for b in set {
                            hex(&mut out, u32::from(b));
                        }
                        out.push_str("])");
                    }
                }
                b'X' | b'C' => {
                    return Err(unsupported(&format!("\\{}", char::from(c))));
                }
                c if c >= 0x80 => hex(&mut out, u32::from(c)),
                c if c.is_ascii_alphanumeric() => {
                    if SAME_ESCAPES.contains(&c) || (c == b't') || (c == b'f') {
                        out.push('\\');
                        out.push(char::from(c));
                    } else {
                        return Err("unrecognized character follows \\".into());
                    }
                }
                // Any other escaped character is itself (`\<` too, not a boundary).
                c => literal(&mut out, c),
            }
            continue;
        }
        if b >= 0x80 {
            hex(&mut out, u32::from(b));
            i += 1;
            continue;
        }
        if in_class {
            match b {
                b']' => {
                    in_class = false;
                    out.push(']');
                }
                b'[' if p.get(i + 1) == Some(&b':') => {
                    // A POSIX class: copy up to its `:]`.
                    let end = p[i + 2..]
                        .windows(2)
                        .position(|w| w == b":]")
                        .map(|k| i + 2 + k + 2);
                    match end {
                        Some(e) => {
                            out.push_str(&String::from_utf8_lossy(&p[i..e]));
                            i = e;
                            continue;
                        }
                        None => out.push_str("\\["),
                    }
                }
                b'[' | b'&' | b'~' => {
                    out.push('\\');
                    out.push(char::from(b));
                }
                b'-' if p.get(i + 1) == Some(&b'-') => out.push_str("\\-"),
                _ => out.push(char::from(b)),
            }
            i += 1;
            continue;
        }
        match b {
            b'[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if p.get(i) == Some(&b'^') {
                    out.push('^');
                    i += 1;
                }
                if p.get(i) == Some(&b']') {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            b'(' => {
                let rest = &p[i + 1..];
                if rest.first() == Some(&b'*') {
                    return Err(unsupported("backtracking control verbs (*...)"));
                }
                if rest.starts_with(b"?#") {
                    let end = rest.iter().position(|&x| x == b')');
                    match end {
                        Some(e) => {
                            i += e + 2;
                            continue;
                        }
                        None => return Err("missing ) after (?# comment".into()),
                    }
                }
                if rest.starts_with(b"?|") {
                    return Err(unsupported("branch reset groups (?|...)"));
                }
                if rest.starts_with(b"?R")
                    || rest.starts_with(b"?&")
                    || rest.starts_with(b"?P>")
                    || matches!(rest, [b'?', d, ..] if d.is_ascii_digit())
                    || matches!(rest, [b'?', b'+' | b'-', d, ..] if d.is_ascii_digit())
                {
                    return Err(unsupported("recursion and subroutine calls"));
                }
                let capturing = match rest {
                    [b'?', b'<', x, ..] => *x != b'=' && *x != b'!',
                    [b'?', b'P', b'<', ..] | [b'?', b'\'', ..] => true,
                    [b'?', ..] => false,
                    _ => true,
                };
                if capturing {
                    groups += 1;
                }
                out.push('(');
            }
            b'{' => match braces(&p[i..])? {
                Some(len) => {
                    quantifier(&mut out, &String::from_utf8_lossy(&p[i..i + len]))?;
                    i += len;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            b'*' | b'+' | b'?' => quantifier(&mut out, &char::from(b).to_string())?,
            b'}' => out.push_str("\\}"),
            _ => out.push(char::from(b)),
        }
        i += 1;
    }
    Ok(out)
}

/// A `\p`/`\P` property after the letter (`L`, `{Lu}`, `{^Greek}`): the bytes it
/// matches, PCRE2's way without UTF (a byte is the Latin-1 character of that code), and
/// the bytes of the pattern it used.
fn property(p: &[u8], negated: bool) -> Result<(Vec<u8>, usize), String> {
    let bad = || "unknown property after \\P or \\p".to_string();
    let (name, used) = match p.first() {
        Some(b'{') => match p.iter().position(|&x| x == b'}') {
            Some(e) => (&p[1..e], e + 1),
            None => return Err("malformed \\P or \\p sequence".into()),
        },
        Some(c) if c.is_ascii_alphabetic() => (&p[..1], 1),
        _ => return Err("malformed \\P or \\p sequence".into()),
    };
    let (name, negated) = match name.strip_prefix(b"^") {
        Some(n) => (n, !negated),
        None => (name, negated),
    };
    let name = std::str::from_utf8(name).map_err(|_| bad())?;
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b' ' | b'-' | b'&'))
    {
        return Err(bad());
    }
    let class = match name {
        "Any" => "\\s\\S".to_string(),
        "L&" | "LC" => "\\p{Lu}\\p{Ll}\\p{Lt}".to_string(),
        "Xan" => "\\p{L}\\p{N}".to_string(),
        "Xsp" | "Xps" => "\\p{Z}\\t\\n\\x0B\\x0C\\r".to_string(),
        "Xwd" => "\\p{L}\\p{N}_".to_string(),
        n if n.contains('&') || n.starts_with('X') && n.len() == 3 => return Err(bad()),
        n => format!("\\p{{{n}}}"),
    };
    let re = regex::Regex::new(&format!("^[{class}]$")).map_err(|_| bad())?;
    let set = (0u8..=255)
        .filter(|&b| re.is_match(char::from(b).encode_utf8(&mut [0; 4])) != negated)
        .collect();
    Ok((set, used))
}

/// The value of ASCII `digits` in `radix`, saturating.
fn parse_radix(digits: &[u8], radix: u32) -> u32 {
    digits.iter().fold(0u32, |acc, &d| {
        acc.saturating_mul(radix)
            .saturating_add(char::from(d).to_digit(radix).unwrap_or(0))
    })
}

/// The length of a PCRE2 10.42 `{n}`, `{n,}` or `{n,m}` quantifier at the start of
/// `p`, or `None` when the brace is a literal (`{,m}` too).
fn braces(p: &[u8]) -> Result<Option<usize>, String> {
    let digits = |from: usize| p[from..].iter().take_while(|x| x.is_ascii_digit()).count();
    let n = digits(1);
    if n == 0 {
        return Ok(None);
    }
    let min = parse_radix(&p[1..1 + n], 10);
    let mut at = 1 + n;
    let mut max = Some(min);
    if p.get(at) == Some(&b',') {
        let m = digits(at + 1);
        max = (m > 0).then(|| parse_radix(&p[at + 1..at + 1 + m], 10));
        at += 1 + m;
    }
    if p.get(at) != Some(&b'}') {
        return Ok(None);
    }
    if min > 65535 || max.is_some_and(|m| m > 65535) {
        return Err("number too big in {} quantifier".into());
    }
    if max.is_some_and(|m| m < min) {
        return Err("numbers out of order in {} quantifier".into());
    }
    Ok(Some(at + 1))
}

/// A `\g` back-reference after the `\g`: `N`, `{N}`, `-N`, `{-N}` (relative to the
/// `groups` opened so far); its absolute number and the bytes it used. Named forms
/// and subroutine calls (`\g<..>`, `\g'..'`) are refused.
fn group_ref(p: &[u8], groups: usize) -> Result<(usize, usize), String> {
    let (body, used) = if p.first() == Some(&b'{') {
        match p.iter().position(|&x| x == b'}') {
            Some(e) => (&p[1..e], e + 1),
            None => return Err(unsupported("\\g{ without }")),
        }
    } else {
        let n = usize::from(p.first() == Some(&b'-') || p.first() == Some(&b'+'))
            + p.iter()
                .skip(usize::from(
                    p.first() == Some(&b'-') || p.first() == Some(&b'+'),
                ))
                .take_while(|x| x.is_ascii_digit())
                .count();
        (&p[..n], n)
    };
    let (sign, digits) = match body.first() {
        Some(b'-') => (-1, &body[1..]),
        Some(b'+') => (1, &body[1..]),
        _ => (0, body),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(unsupported("named \\g references and subroutine calls"));
    }
    let v = parse_radix(digits, 10) as usize;
    let n = match sign {
        -1 if v >= 1 && v <= groups => groups + 1 - v,
        -1 => return Err("reference to non-existent subpattern".into()),
        1 => return Err(unsupported("\\g+N forward relative references")),
        _ => v,
    };
    if n == 0 {
        return Err("a numbered reference must not be zero".into());
    }
    Ok((n, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, line: &str) -> Option<(usize, usize)> {
        Perl::new(p.as_bytes(), false, false, false)
            .unwrap()
            .find_at(line.as_bytes(), 0)
    }

    #[test]
    fn translates_pcre_escapes() {
        assert_eq!(m(r"\Qa.b\E", "xa.b"), Some((1, 4)));
        assert_eq!(m(r"\Qa.b\E", "xaxb"), None);
        assert_eq!(m(r"\x41\101\o{101}\cA", "AAA\x01"), Some((0, 4)));
        assert_eq!(m(r"(a)\g{-1}\g1", "aaa"), Some((0, 3)));
        assert_eq!(m(r"a\h+b", "a \tb"), Some((0, 4)));
        assert_eq!(m(r"a{,2}", "a{,2}"), Some((0, 5)));
        assert_eq!(m(r"\<a", "<a"), Some((0, 2)));
        assert_eq!(m(r"[]a]+", "]a]"), Some((0, 3)));
        assert_eq!(m(r"[.]", "a.b"), Some((1, 2)));
        assert_eq!(m(r"[^]]", "]x"), Some((1, 2)));
        assert_eq!(m(r"[[:digit:]]+", "x12"), Some((1, 3)));
    }

    #[test]
    fn bytes_and_ascii_classes() {
        let re = Perl::new(b"\xe9\\w", false, false, false).unwrap();
        assert_eq!(re.find_at(b"x\xe9a", 0), Some((1, 3)));
        assert_eq!(m(r"\w+", "\u{e9}t\u{e9}"), Some((2, 3)));
    }

    #[test]
    fn properties_are_latin1_bytes() {
        let re = Perl::new(br"\p{L}+", true, false, false).unwrap();
        assert_eq!(re.find_at(b"1caf\xe9!", 0), Some((1, 5)));
        let re = Perl::new(br"\p{Lu}", true, false, false).unwrap();
        assert_eq!(re.find_at(b"aB", 0), Some((1, 2)));
        assert_eq!(m(r"[\P{Lu}]+", "abC"), Some((0, 2)));
        assert_eq!(m(r"\p{^Lu}+", "abC"), Some((0, 2)));
        assert_eq!(m(r"\p{Xwd}+", " a1_ "), Some((1, 4)));
        assert_eq!(m(r"\p{Greek}", "ab"), None);
        assert_eq!(
            Perl::new(br"\p{Foo}", false, false, false).err().as_deref(),
            Some("unknown property after \\P or \\p")
        );
    }

    #[test]
    fn gnu_messages() {
        let e = |p: &str| Perl::new(p.as_bytes(), false, false, false).err();
        assert_eq!(e("a(b").as_deref(), Some("missing closing parenthesis"));
        assert_eq!(e("a)").as_deref(), Some("unmatched closing parenthesis"));
        assert_eq!(
            e("a{2,1}").as_deref(),
            Some("numbers out of order in {} quantifier")
        );
        assert_eq!(
            e("(?<=a+)b").as_deref(),
            Some("lookbehind assertion is not fixed length")
        );
        assert_eq!(
            e(r"\y").as_deref(),
            Some("unrecognized character follows \\")
        );
        assert!(e("(?R)").is_some_and(|m| m.contains("not supported")));
        for q in ["a{2}{3}", "a*?+", "a**", "a+??"] {
            assert_eq!(
                e(q).as_deref(),
                Some("quantifier does not follow a repeatable item"),
                "{q}"
            );
        }
        assert_eq!(m("a{2}+b?c*?(?:x)?", "aab"), Some((0, 3)));
        assert!(e("(a)(?-1)").is_some_and(|m| m.contains("not supported")));
        let ok = Perl::new(b"(?i)A(?-i)b", false, false, false).ok();
        assert_eq!(ok.and_then(|r| r.find_at(b"ab", 0)), Some((0, 2)));
    }
}

//! Shell-style patterns: `*`, `?`, `[...]` (with `!`/`^`, ranges, `[:class:]`), `\`
//! escapes, `{a,b}` alternatives and `**` for any number of directories.
//!
//! [`Pattern`] matches one name (or a whole string); [`crate::Vfs::glob`] walks the
//! filesystem with it. As in the shell, a leading `.` in a name is only matched by a
//! pattern that starts with a literal `.`.

/// Matching options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchOptions {
    /// Letters match regardless of case.
    pub case_insensitive: bool,
    /// `*`, `?` and brackets may match a leading `.` (bash's `dotglob`).
    pub dot_matches: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Lit(u8),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ClassItem {
    Byte(u8),
    Range(u8, u8),
    Named(CharClass),
}

/// A compiled pattern for one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    toks: Vec<Tok>,
}

/// A POSIX character class, `[:name:]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CharClass {
    Alpha,
    Digit,
    Alnum,
    Upper,
    Lower,
    Space,
    Blank,
    Punct,
    Print,
    Graph,
    Cntrl,
    Xdigit,
}

impl CharClass {
    fn from_name(name: &[u8]) -> Option<CharClass> {
        Some(match name {
            b"alpha" => CharClass::Alpha,
            b"digit" => CharClass::Digit,
            b"alnum" => CharClass::Alnum,
            b"upper" => CharClass::Upper,
            b"lower" => CharClass::Lower,
            b"space" => CharClass::Space,
            b"blank" => CharClass::Blank,
            b"punct" => CharClass::Punct,
            b"print" => CharClass::Print,
            b"graph" => CharClass::Graph,
            b"cntrl" => CharClass::Cntrl,
            b"xdigit" => CharClass::Xdigit,
            _ => return None,
        })
    }

    fn has(self, c: u8) -> bool {
        match self {
            CharClass::Alpha => c.is_ascii_alphabetic(),
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Alnum => c.is_ascii_alphanumeric(),
            CharClass::Upper => c.is_ascii_uppercase(),
            CharClass::Lower => c.is_ascii_lowercase(),
            CharClass::Space => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
            CharClass::Blank => c == b' ' || c == b'\t',
            CharClass::Punct => c.is_ascii_punctuation(),
            CharClass::Print => (0x20..0x7f).contains(&c),
            CharClass::Graph => c.is_ascii_graphic(),
            CharClass::Cntrl => c.is_ascii_control(),
            CharClass::Xdigit => c.is_ascii_hexdigit(),
        }
    }
}

impl Pattern {
    /// Compile a pattern. An unclosed `[` is a literal `[`, as in the shell.
    pub fn new(pat: &[u8]) -> Pattern {
        let mut toks = Vec::new();
        let mut i = 0;
        while i < pat.len() {
            let c = pat[i];
            match c {
                b'*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                b'?' => {
                    toks.push(Tok::Any);
                    i += 1;
                }
                b'\\' if i + 1 < pat.len() => {
                    toks.push(Tok::Lit(pat[i + 1]));
                    i += 2;
                }
                b'[' => match parse_class(pat, i + 1) {
                    Some((tok, next)) => {
                        toks.push(tok);
                        i = next;
                    }
                    None => {
                        toks.push(Tok::Lit(b'['));
                        i += 1;
                    }
                },
                _ => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Pattern { toks }
    }

    /// True if the pattern has no wildcard (matches only its literal text).
    pub fn is_literal(&self) -> bool {
        self.toks.iter().all(|t| matches!(t, Tok::Lit(_)))
    }

    /// The literal text, if the pattern is literal.
    pub fn literal(&self) -> Option<Vec<u8>> {
        self.toks
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Does the whole of `name` match?
    pub fn matches(&self, name: &[u8], opts: MatchOptions) -> bool {
        if !opts.dot_matches
            && name.first() == Some(&b'.')
            && self.toks.first() != Some(&Tok::Lit(b'.'))
        {
            return false;
        }
        match_toks(&self.toks, name, opts.case_insensitive)
    }
}

fn parse_class(pat: &[u8], mut i: usize) -> Option<(Tok, usize)> {
    let mut negated = false;
    if i < pat.len() && (pat[i] == b'!' || pat[i] == b'^') {
        negated = true;
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    while i < pat.len() {
        let c = pat[i];
        if c == b']' && !first {
            return Some((Tok::Class { negated, items }, i + 1));
        }
        first = false;
        if c == b'[' && pat.get(i + 1) == Some(&b':') {
            let rest = &pat[i + 2..];
            if let Some(end) = rest.windows(2).position(|w| w == b":]")
                && let Some(f) = CharClass::from_name(&rest[..end])
            {
                items.push(ClassItem::Named(f));
                i += 2 + end + 2;
                continue;
            }
        }
        let (lo, next) = if c == b'\\' && i + 1 < pat.len() {
            (pat[i + 1], i + 2)
        } else {
            (c, i + 1)
        };
        if pat.get(next) == Some(&b'-') && next + 1 < pat.len() && pat[next + 1] != b']' {
            let (hi, after) = if pat[next + 1] == b'\\' && next + 2 < pat.len() {
                (pat[next + 2], next + 3)
            } else {
                (pat[next + 1], next + 2)
            };
            items.push(ClassItem::Range(lo, hi));
            i = after;
        } else {
            items.push(ClassItem::Byte(lo));
            i = next;
        }
    }
    None
}

fn class_has(items: &[ClassItem], c: u8, fold: bool) -> bool {
    let test = |c: u8| {
        items.iter().any(|it| match it {
            ClassItem::Byte(b) => *b == c,
            ClassItem::Range(lo, hi) => *lo <= c && c <= *hi,
            ClassItem::Named(f) => f.has(c),
        })
    };
    test(c) || (fold && (test(c.to_ascii_lowercase()) || test(c.to_ascii_uppercase())))
}

fn tok_matches(t: &Tok, c: u8, fold: bool) -> bool {
    match t {
        Tok::Lit(l) => *l == c || (fold && l.eq_ignore_ascii_case(&c)),
        Tok::Any => true,
        Tok::Class { negated, items } => class_has(items, c, fold) != *negated,
        Tok::Star => true,
    }
}

/// Iterative matcher with single-star backtracking: linear in practice, never exponential.
fn match_toks(toks: &[Tok], s: &[u8], fold: bool) -> bool {
    let (mut ti, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if ti < toks.len() {
            if toks[ti] == Tok::Star {
                star = Some((ti, si));
                ti += 1;
                continue;
            }
            if tok_matches(&toks[ti], s[si], fold) {
                ti += 1;
                si += 1;
                continue;
            }
        }
        match star {
            Some((st, ss)) => {
                ti = st + 1;
                si = ss + 1;
                star = Some((st, ss + 1));
            }
            None => return false,
        }
    }
    toks[ti..].iter().all(|t| *t == Tok::Star)
}

/// Expand `{a,b}` alternatives (nested, with `\` escapes); a brace with no top-level comma
/// stays literal. At most `limit` results (`None` past it).
pub fn expand_braces(pat: &[u8], limit: usize) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    expand_into(pat, limit, &mut out)?;
    Some(out)
}

fn expand_into(pat: &[u8], limit: usize, out: &mut Vec<Vec<u8>>) -> Option<()> {
    // Find the first brace group with a top-level comma.
    let mut i = 0;
    while i < pat.len() {
        match pat[i] {
            b'\\' => i += 2,
            b'{' => {
                let mut depth = 0;
                let mut commas = Vec::new();
                let mut j = i;
                let mut close = None;
                while j < pat.len() {
                    match pat[j] {
                        b'\\' => j += 1,
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        b',' if depth == 1 => commas.push(j),
                        _ => {}
                    }
                    j += 1;
                }
                if let Some(close) = close
                    && !commas.is_empty()
                {
                    let mut bounds = vec![i];
                    bounds.extend(commas);
                    bounds.push(close);
                    for w in bounds.windows(2) {
                        let mut p = pat[..i].to_vec();
                        p.extend_from_slice(&pat[w[0] + 1..w[1]]);
                        p.extend_from_slice(&pat[close + 1..]);
                        expand_into(&p, limit, out)?;
                    }
                    return Some(());
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if out.len() >= limit {
        return None;
    }
    out.push(pat.to_vec());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p.as_bytes()).matches(s.as_bytes(), MatchOptions::default())
    }

    #[test]
    fn wildcards() {
        assert!(m("*.rs", "main.rs"));
        assert!(!m("*.rs", "main.rc"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "aXXbYYc"));
        assert!(!m("a*b*c", "aXXbYY"));
        assert!(m("[abc]x", "bx"));
        assert!(m("[!abc]x", "dx"));
        assert!(!m("[^abc]x", "ax"));
        assert!(m("[a-c][0-9]", "b7"));
        assert!(m("[[:upper:]]*", "Hello"));
        assert!(!m("[[:digit:]]", "x"));
        assert!(m("[]]", "]"));
        assert!(m("[!]]", "a"));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("[", "["));
        assert!(m("a[", "a["));
    }

    #[test]
    fn leading_dot_needs_a_literal_dot() {
        assert!(!m("*", ".hidden"));
        assert!(!m("?hidden", ".hidden"));
        assert!(m(".*", ".hidden"));
        let p = Pattern::new(b"*");
        assert!(p.matches(
            b".hidden",
            MatchOptions {
                dot_matches: true,
                ..Default::default()
            }
        ));
    }

    #[test]
    fn case_folding() {
        let p = Pattern::new(b"*.TXT");
        let o = MatchOptions {
            case_insensitive: true,
            ..Default::default()
        };
        assert!(p.matches(b"a.txt", o));
        assert!(Pattern::new(b"[A-C]").matches(b"b", o));
    }

    #[test]
    fn star_runs_are_not_exponential() {
        let p = Pattern::new(b"*a*a*a*a*a*a*a*a*a*a*a*b");
        let s = vec![b'a'; 5000];
        assert!(!p.matches(&s, MatchOptions::default()));
    }

    #[test]
    fn braces() {
        let e = expand_braces(b"{a,b}{1,2}", 100).unwrap();
        assert_eq!(
            e,
            vec![
                b"a1".to_vec(),
                b"a2".to_vec(),
                b"b1".to_vec(),
                b"b2".to_vec()
            ]
        );
        let e = expand_braces(b"x{a,{b,c}}y", 100).unwrap();
        assert_eq!(e, vec![b"xay".to_vec(), b"xby".to_vec(), b"xcy".to_vec()]);
        assert_eq!(expand_braces(b"{a}", 100).unwrap(), vec![b"{a}".to_vec()]);
        assert_eq!(
            expand_braces(b"\\{a,b}", 100).unwrap(),
            vec![b"\\{a,b}".to_vec()]
        );
        assert!(expand_braces(b"{a,b}{a,b}{a,b}", 7).is_none());
    }
}

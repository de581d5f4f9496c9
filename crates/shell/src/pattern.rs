//! Bash pattern matching: `case`, `[[ == ]]`, `${x#pat}` and friends, and the
//! per-name matching of pathname expansion.
//!
//! A [`Pattern`] is compiled once from the pattern bytes and then matched against
//! byte strings (any bytes; each byte is one character, as in the C locale).
//!
//! Syntax, as bash's `strmatch`:
//!
//! - `*` any string, `?` any one character, `\c` the character `c` (a lone trailing
//!   backslash matches a backslash);
//! - bracket expressions `[...]`: `!` or `^` first negates, `]` first is literal,
//!   ranges in byte order (a reversed range matches nothing), `\` escapes, the
//!   classes `[:alnum:]` `[:alpha:]` `[:ascii:]` `[:blank:]` `[:cntrl:]` `[:digit:]`
//!   `[:graph:]` `[:lower:]` `[:print:]` `[:punct:]` `[:space:]` `[:upper:]`
//!   `[:word:]` `[:xdigit:]` (an unknown class matches nothing), equivalence classes
//!   `[=c=]` and collating symbols `[.c.]` (one character or a POSIX name such as
//!   `[.space.]`). A `[` without its closing `]` is an ordinary character;
//! - with [`PatternOptions::extglob`]: `?(p|q)`, `*(p|q)`, `+(p|q)`, `@(p|q)` and
//!   `!(p|q)`, nested freely; `|` and parentheses are ordinary elsewhere. From an
//!   unterminated group on, the rest of the pattern is plain text, backslashes
//!   included, as in bash.
//!
//! Invalid syntax never fails: it is matched literally, as bash does.
//!
//! Matching simulates the compiled program with one thread per program state (a
//! Thompson NFA), so `*` runs and nested groups cost O(pattern × text). A negated
//! group `!(p)` runs a simulation of `p` from each position where a thread reaches
//! it, in step with the main one; those whose states coincide are merged, which keeps
//! the usual cases linear (the worst case is O(pattern × text²)).

use std::collections::HashSet;

/// How a [`Pattern`] is compiled and matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PatternOptions {
    /// Recognise the extended operators `?(..)`, `*(..)`, `+(..)`, `@(..)`, `!(..)`.
    pub extglob: bool,
    /// ASCII letters match regardless of case (also in bracket ranges, as bash folds
    /// both ends; character classes such as `[:upper:]` are not folded).
    pub nocase: bool,
    /// For pathnames: a `.` at the start of the string (or, with `slash_special`,
    /// right after a `/`) is only matched by a literal `.` in the pattern; `*`, `?`,
    /// brackets and `!(..)` never match it.
    pub dot_special: bool,
    /// For pathnames: `*`, `?`, bracket expressions and `!(..)` never match `/`.
    pub slash_special: bool,
}

/// A compiled bash pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    prog: Prog,
    /// The unescaped text, when the pattern has no wildcards.
    literal: Option<Vec<u8>>,
    /// `literal` can be compared directly (no exact bytes under `nocase`).
    fast: bool,
    /// The pattern text starts with `*` (bash's test for an empty match at the end).
    star_first: bool,
    /// The common shapes answered by plain byte search instead of the automaton.
    shape: Shape,
}

/// Pattern shapes with a direct answer: `*TEXT`, `TEXT*` and `*TEXT*` (`TEXT` without
/// wildcards; none of the case-folding or pathname rules in force).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shape {
    Other,
    StarLit(Vec<u8>),
    LitStar(Vec<u8>),
    StarLitStar(Vec<u8>),
}

impl Shape {
    fn of(nodes: &[Node], opts: PatternOptions) -> Shape {
        if opts.nocase || opts.dot_special || opts.slash_special {
            return Shape::Other;
        }
        let lead = nodes.first().is_some_and(|n| matches!(n, Node::Star));
        let rest = if lead { &nodes[1..] } else { nodes };
        let trail = rest.last().is_some_and(|n| matches!(n, Node::Star));
        let mid = if trail { &rest[..rest.len() - 1] } else { rest };
        let Some(lit) = literal_of(mid) else {
            return Shape::Other;
        };
        match (lead, trail) {
            (true, true) => Shape::StarLitStar(lit),
            (true, false) => Shape::StarLit(lit),
            (false, true) => Shape::LitStar(lit),
            (false, false) => Shape::Other,
        }
    }
}

/// Escape every pattern-special byte (`* ? [ ] \ ( ) | ! + @`) with a backslash, so
/// that the result, compiled as a pattern, matches exactly `s`.
pub fn escape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if matches!(
            c,
            b'*' | b'?' | b'[' | b']' | b'\\' | b'(' | b')' | b'|' | b'!' | b'+' | b'@'
        ) {
            out.push(b'\\');
        }
        out.push(c);
    }
    out
}

impl Pattern {
    /// Compile `pat`. Never fails: invalid syntax is taken literally, as in bash.
    pub fn new(pat: &[u8], opts: PatternOptions) -> Pattern {
        let mut parser = Parser {
            opts,
            classes: Vec::new(),
        };
        let nodes = parser.parse_seq(pat, 0);
        let literal = literal_of(&nodes);
        let fast = !opts.nocase || !nodes.iter().any(|n| matches!(n, Node::Raw(_)));
        let shape = Shape::of(&nodes, opts);
        let prog = Compiler::compile(&nodes, parser.classes, opts);
        Pattern {
            prog,
            literal,
            fast,
            star_first: pat.first() == Some(&b'*'),
            shape,
        }
    }

    /// True if `s`, as a whole, matches the pattern.
    pub fn matches(&self, s: &[u8]) -> bool {
        if let Some(lit) = self.literal.as_ref().filter(|_| self.fast) {
            return if self.prog.opts.nocase {
                lit.eq_ignore_ascii_case(s)
            } else {
                lit == s
            };
        }
        match &self.shape {
            Shape::StarLit(l) => return s.ends_with(l),
            Shape::LitStar(l) => return s.starts_with(l),
            Shape::StarLitStar(l) => return memchr::memmem::find(s, l).is_some(),
            Shape::Other => {}
        }
        let mut found = false;
        self.prog.run(s, Starts::Anchored(0), true, &mut |end, _| {
            if end == s.len() {
                found = true;
                Control::Stop
            } else {
                Control::Continue
            }
        });
        found
    }

    /// False if the pattern is plain text (after removing backslash escapes): no `*`,
    /// `?`, bracket expression or extended group.
    pub fn has_wildcards(&self) -> bool {
        self.literal.is_none()
    }

    /// The text the pattern matches, unescaped, if it has no wildcards. (With
    /// [`PatternOptions::nocase`] it still matches that text in any case.)
    pub fn literal(&self) -> Option<Vec<u8>> {
        self.literal.clone()
    }

    /// The length of the shortest (or, with `longest`, the longest) prefix of `s` that
    /// the pattern matches: `${x#p}` and `${x##p}` remove `s[..len]`.
    pub fn match_prefix(&self, s: &[u8], longest: bool) -> Option<usize> {
        if let Some(lit) = self
            .literal
            .as_ref()
            .filter(|_| self.fast && !self.prog.opts.nocase)
        {
            return s.starts_with(lit).then_some(lit.len());
        }
        match &self.shape {
            Shape::StarLit(l) => {
                let at = if longest {
                    memchr::memmem::rfind(s, l)
                } else {
                    memchr::memmem::find(s, l)
                };
                return at.map(|i| i + l.len());
            }
            Shape::LitStar(l) => {
                return s
                    .starts_with(l)
                    .then_some(if longest { s.len() } else { l.len() });
            }
            Shape::StarLitStar(_) | Shape::Other => {}
        }
        let mut best = None;
        self.prog.run(s, Starts::Anchored(0), true, &mut |end, _| {
            best = Some(end);
            if longest {
                Control::Continue
            } else {
                Control::Stop
            }
        });
        best
    }

    /// The start of the shortest (or, with `longest`, the longest) suffix of `s` that
    /// the pattern matches: `${x%p}` and `${x%%p}` keep `s[..start]`.
    pub fn match_suffix(&self, s: &[u8], longest: bool) -> Option<usize> {
        if let Some(lit) = self
            .literal
            .as_ref()
            .filter(|_| self.fast && !self.prog.opts.nocase)
        {
            return s.ends_with(lit).then(|| s.len() - lit.len());
        }
        match &self.shape {
            Shape::StarLit(l) => {
                return s
                    .ends_with(l)
                    .then(|| if longest { 0 } else { s.len() - l.len() });
            }
            Shape::LitStar(l) => {
                return if longest {
                    memchr::memmem::find(s, l)
                } else {
                    memchr::memmem::rfind(s, l)
                };
            }
            Shape::StarLitStar(_) | Shape::Other => {}
        }
        let mut best = None;
        // Threads meeting in one state keep the smallest start for the longest suffix
        // and the largest start for the shortest one.
        self.prog
            .run(s, Starts::From(0, true), longest, &mut |end, start| {
                if end == s.len() {
                    best = Some(start);
                }
                Control::Continue
            });
        best
    }

    /// The first match at or after `from`, longest at its start, as `(start, end)`:
    /// bash's rule for `${x/p/r}`. As in bash, an empty match at the very end of `s`
    /// counts only when the pattern starts with `*`.
    pub fn find(&self, s: &[u8], from: usize) -> Option<(usize, usize)> {
        if from > s.len() {
            return None;
        }
        if let Some(lit) = self
            .literal
            .as_ref()
            .filter(|l| self.fast && !self.prog.opts.nocase && !l.is_empty())
        {
            return memchr::memmem::find(&s[from..], lit).map(|i| (from + i, from + i + lit.len()));
        }
        let mut best: Option<(usize, usize)> = None;
        self.prog.run(
            s,
            Starts::From(from, self.star_first),
            true,
            &mut |end, start| match best {
                Some((b, _)) if start > b => Control::Continue,
                Some((b, _)) if start == b => {
                    best = Some((b, end));
                    Control::Cutoff(b)
                }
                _ => {
                    best = Some((start, end));
                    Control::Cutoff(start)
                }
            },
        );
        best
    }
}

// ----- parsing ---------------------------------------------------------------------------

/// Nesting depth of extended groups beyond which a group is not recognised (the rest
/// of the pattern is then plain text, as for an unterminated group): keeps the
/// recursive parser, compiler and matcher within a small stack.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug)]
enum Node {
    Lit(u8),
    /// A byte compared exactly, even under `nocase`.
    Raw(u8),
    Any,
    Star,
    /// A bracket expression: index into the class table.
    Class(u32),
    /// Never matches: a bracket expression bash rejects (`[a-`, `[\`) or a lone
    /// trailing backslash after `*`, which bash never matches.
    Fail,
    Group(GroupKind, Vec<Vec<Node>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GroupKind {
    /// `?(..)`
    Opt,
    /// `*(..)`
    Star,
    /// `+(..)`
    Plus,
    /// `@(..)`
    One,
    /// `!(..)`
    Not,
}

/// A 256-bit byte set.
type ByteSet = [u64; 4];

fn set_has(set: &ByteSet, c: u8) -> bool {
    set[usize::from(c >> 6)] >> (c & 63) & 1 == 1
}

fn set_add(set: &mut ByteSet, c: u8) {
    set[usize::from(c >> 6)] |= 1 << (c & 63);
}

struct Parser {
    opts: PatternOptions,
    classes: Vec<ByteSet>,
}

enum Bracket {
    /// A complete expression: its byte set and the index just past the `]`.
    Set(ByteSet, usize),
    /// No closing `]`: the `[` is an ordinary character.
    Unclosed,
    /// Malformed in a way bash answers with "no match".
    Fail,
}

#[derive(Clone, Copy)]
enum Item {
    Byte(u8),
    Range(u8, u8),
    Class(CharClass),
    Never,
}

impl Parser {
    fn parse_seq(&mut self, p: &[u8], depth: usize) -> Vec<Node> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < p.len() {
            let c = p[i];
            if self.opts.extglob
                && depth < MAX_DEPTH
                && matches!(c, b'?' | b'*' | b'+' | b'@' | b'!')
                && p.get(i + 1) == Some(&b'(')
                && let Some(end) = patscan(p, i + 2)
            {
                let kind = match c {
                    b'?' => GroupKind::Opt,
                    b'*' => GroupKind::Star,
                    b'+' => GroupKind::Plus,
                    b'@' => GroupKind::One,
                    _ => GroupKind::Not,
                };
                let alts = split_alternatives(&p[i + 2..end - 1])
                    .into_iter()
                    .map(|alt| self.parse_seq(alt, depth + 1))
                    .collect();
                out.push(Node::Group(kind, alts));
                i = end;
                continue;
            }
            if self.opts.extglob
                && matches!(c, b'?' | b'*' | b'+' | b'@' | b'!')
                && p.get(i + 1) == Some(&b'(')
            {
                // An unterminated group: bash compares the rest of the pattern, from
                // the operator on, byte for byte with the rest of the string.
                out.extend(p[i..].iter().map(|&b| Node::Raw(b)));
                break;
            }
            match c {
                b'\\' => {
                    if let Some(&e) = p.get(i + 1) {
                        out.push(Node::Lit(e));
                        i += 2;
                    } else {
                        // A lone trailing backslash matches itself, except right after
                        // a `*` (and `?`s): bash then never matches.
                        let after_star = out
                            .iter()
                            .rev()
                            .take_while(|n| matches!(n, Node::Star | Node::Any))
                            .any(|n| matches!(n, Node::Star));
                        out.push(if after_star {
                            Node::Fail
                        } else {
                            Node::Lit(b'\\')
                        });
                        i += 1;
                    }
                }
                b'*' => {
                    if !matches!(out.last(), Some(Node::Star)) {
                        out.push(Node::Star);
                    }
                    i += 1;
                }
                b'?' => {
                    out.push(Node::Any);
                    i += 1;
                }
                b'[' => match self.parse_bracket(p, i + 1) {
                    Bracket::Set(set, end) => {
                        let idx = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
                        self.classes.push(set);
                        out.push(Node::Class(idx));
                        i = end;
                    }
                    Bracket::Unclosed => {
                        out.push(Node::Lit(b'['));
                        i += 1;
                    }
                    Bracket::Fail => {
                        out.push(Node::Fail);
                        // Nothing after can matter: the pattern cannot match here.
                        i = p.len();
                    }
                },
                _ => {
                    out.push(Node::Lit(c));
                    i += 1;
                }
            }
        }
        out
    }

    /// Parse a bracket expression whose body starts at `p[i]` (just past the `[`),
    /// following bash's `BRACKMATCH`.
    fn parse_bracket(&self, p: &[u8], mut i: usize) -> Bracket {
        let negate = matches!(p.get(i), Some(b'!' | b'^'));
        if negate {
            i += 1;
        }
        let mut items: Vec<Item> = Vec::new();
        let mut first = true;
        loop {
            let Some(&c) = p.get(i) else {
                return Bracket::Unclosed;
            };
            if c == b']' && !first {
                i += 1;
                break;
            }
            first = false;
            // The start of a single character or range.
            let start: Option<u8>;
            if c == b'['
                && let Some(&kind @ (b':' | b'=' | b'.')) = p.get(i + 1)
                && let Some(close) = sub_bracket_end(p, i + 1)
            {
                let name = &p[i + 2..close];
                i = close + 2;
                match kind {
                    b':' => {
                        let name: Vec<u8> = dequote(name);
                        items.push(match CharClass::from_name(&name) {
                            Some(cc) => Item::Class(cc),
                            None => Item::Never,
                        });
                        continue;
                    }
                    b'=' => {
                        items.push(match name {
                            [one] => Item::Byte(*one),
                            _ => Item::Never,
                        });
                        continue;
                    }
                    _ => start = collating_symbol(name),
                }
            } else if c == b'\\' {
                let Some(&e) = p.get(i + 1) else {
                    return Bracket::Fail;
                };
                start = Some(e);
                i += 2;
            } else {
                start = Some(c);
                i += 1;
            }
            // A range, unless the `-` is last.
            if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&n| n != b']') {
                i += 1;
                let mut end = p[i];
                i += 1;
                let mut end_sym = None;
                if end == b'\\' {
                    let Some(&e) = p.get(i) else {
                        return Bracket::Fail;
                    };
                    end = e;
                    i += 1;
                } else if end == b'['
                    && p.get(i) == Some(&b'.')
                    && let Some(close) = sub_bracket_end(p, i)
                {
                    end_sym = Some(collating_symbol(&p[i + 1..close]));
                    i = close + 2;
                }
                let end = match end_sym {
                    Some(sym) => sym,
                    None => Some(end),
                };
                items.push(match (start, end) {
                    (Some(a), Some(b)) => Item::Range(a, b),
                    _ => Item::Never,
                });
            } else if p.get(i) == Some(&b'-') && p.get(i + 1).is_none() {
                return Bracket::Fail;
            } else {
                items.push(match start {
                    Some(b) => Item::Byte(b),
                    None => Item::Never,
                });
            }
        }
        let nocase = self.opts.nocase;
        let fold = |c: u8| if nocase { c.to_ascii_lowercase() } else { c };
        let mut set: ByteSet = [0; 4];
        for t in 0..=255u8 {
            let ft = fold(t);
            let hit = items.iter().any(|item| match *item {
                Item::Byte(b) => fold(b) == ft,
                Item::Range(a, b) => {
                    let (a, b) = (fold(a), fold(b));
                    a <= ft && ft <= b
                }
                Item::Class(cc) => cc.has(t),
                Item::Never => false,
            });
            if hit != negate && !(self.opts.slash_special && t == b'/') {
                set_add(&mut set, t);
            }
        }
        Bracket::Set(set, i)
    }
}

/// For `[:`, `[=` or `[.` at `p[i - 1..=i]`, the index of the closing `:`/`=`/`.`
/// (followed by `]`).
fn sub_bracket_end(p: &[u8], i: usize) -> Option<usize> {
    let kind = p[i];
    let mut j = i + 1;
    // A `]` may be the collating symbol itself: `[.].]`.
    if kind == b'.' && p.get(j) == Some(&b']') {
        j += 1;
    }
    while j + 1 < p.len() {
        if p[j] == kind && p[j + 1] == b']' {
            return Some(j);
        }
        j += 1;
    }
    None
}

fn dequote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            i += 1;
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// The character named by a collating symbol: one character, or a POSIX name.
fn collating_symbol(name: &[u8]) -> Option<u8> {
    if let [one] = name {
        return Some(*one);
    }
    COLLATING_NAMES
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|&(_, c)| c)
}

/// POSIX collating-symbol names (bash's `collsyms.h`).
const COLLATING_NAMES: &[(&str, u8)] = &[
    ("NUL", 0),
    ("SOH", 1),
    ("STX", 2),
    ("ETX", 3),
    ("EOT", 4),
    ("ENQ", 5),
    ("ACK", 6),
    ("alert", 7),
    ("backspace", 8),
    ("tab", 9),
    ("newline", 10),
    ("vertical-tab", 11),
    ("form-feed", 12),
    ("carriage-return", 13),
    ("SO", 14),
    ("SI", 15),
    ("DLE", 16),
    ("DC1", 17),
    ("DC2", 18),
    ("DC3", 19),
    ("DC4", 20),
    ("NAK", 21),
    ("SYN", 22),
    ("ETB", 23),
    ("CAN", 24),
    ("EM", 25),
    ("SUB", 26),
    ("ESC", 27),
    ("IS4", 28),
    ("IS3", 29),
    ("IS2", 30),
    ("IS1", 31),
    ("space", b' '),
    ("exclamation-mark", b'!'),
    ("quotation-mark", b'"'),
    ("number-sign", b'#'),
    ("dollar-sign", b'$'),
    ("percent-sign", b'%'),
    ("ampersand", b'&'),
    ("apostrophe", b'\''),
    ("left-parenthesis", b'('),
    ("right-parenthesis", b')'),
    ("asterisk", b'*'),
    ("plus-sign", b'+'),
    ("comma", b','),
    ("hyphen", b'-'),
    ("minus", b'-'),
    ("dash", b'-'),
    ("period", b'.'),
    ("slash", b'/'),
    ("solidus", b'/'),
    ("zero", b'0'),
    ("one", b'1'),
    ("two", b'2'),
    ("three", b'3'),
    ("four", b'4'),
    ("five", b'5'),
    ("six", b'6'),
    ("seven", b'7'),
    ("eight", b'8'),
    ("nine", b'9'),
    ("colon", b':'),
    ("semicolon", b';'),
    ("less-than-sign", b'<'),
    ("equals-sign", b'='),
    ("greater-than-sign", b'>'),
    ("question-mark", b'?'),
    ("commercial-at", b'@'),
    ("left-square-bracket", b'['),
    ("backslash", b'\\'),
    ("reverse-solidus", b'\\'),
    ("right-square-bracket", b']'),
    ("circumflex", b'^'),
    ("circumflex-accent", b'^'),
    ("underscore", b'_'),
    ("grave-accent", b'`'),
    ("left-brace", b'{'),
    ("left-curly-bracket", b'{'),
    ("vertical-line", b'|'),
    ("right-brace", b'}'),
    ("right-curly-bracket", b'}'),
    ("tilde", b'~'),
    ("DEL", 127),
];

/// Bash's `PATSCAN`: from `p[start]` (just past an extglob `(`), the index just past
/// the matching `)`, skipping escapes, bracket expressions and nested parentheses.
pub(crate) fn patscan(p: &[u8], start: usize) -> Option<usize> {
    scan(p, start, false).map(|(end, _)| end)
}

/// Split the body of an extglob group at its top-level `|`s.
fn split_alternatives(body: &[u8]) -> Vec<&[u8]> {
    let mut alts = Vec::new();
    let mut from = 0;
    while let Some((end, bar)) = scan(body, from, true) {
        if !bar {
            break;
        }
        alts.push(&body[from..end - 1]);
        from = end;
    }
    alts.push(&body[from..]);
    alts
}

/// The scanner behind [`patscan`] and [`split_alternatives`]: returns the index just
/// past the closing `)` (`false`) or, with `bars`, past a top-level `|` (`true`).
fn scan(p: &[u8], start: usize, bars: bool) -> Option<(usize, bool)> {
    let mut pnest = 0usize;
    let mut bnest = 0usize;
    let mut bfirst: Option<usize> = None;
    let mut i = start;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'[' => {
                if bnest == 0 {
                    let mut f = i + 1;
                    if matches!(p.get(f), Some(b'!' | b'^')) {
                        f += 1;
                    }
                    bfirst = Some(f);
                    bnest += 1;
                } else if matches!(p.get(i + 1), Some(b':' | b'.' | b'=')) {
                    bnest += 1;
                }
            }
            b']' if bnest > 0 && bfirst != Some(i) => {
                bnest -= 1;
                bfirst = None;
            }
            b'(' if bnest == 0 => pnest += 1,
            b')' if bnest == 0 => {
                if pnest == 0 {
                    return Some((i + 1, false));
                }
                pnest -= 1;
            }
            b'|' if bars && bnest == 0 && pnest == 0 => return Some((i + 1, true)),
            _ => {}
        }
        i += 1;
    }
    None
}

fn literal_of(nodes: &[Node]) -> Option<Vec<u8>> {
    nodes
        .iter()
        .map(|n| match n {
            Node::Lit(c) | Node::Raw(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// A POSIX character class (C locale).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CharClass {
    Alnum,
    Alpha,
    Ascii,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Word,
    Xdigit,
}

impl CharClass {
    fn from_name(name: &[u8]) -> Option<CharClass> {
        Some(match name {
            b"alnum" => CharClass::Alnum,
            b"alpha" => CharClass::Alpha,
            b"ascii" => CharClass::Ascii,
            b"blank" => CharClass::Blank,
            b"cntrl" => CharClass::Cntrl,
            b"digit" => CharClass::Digit,
            b"graph" => CharClass::Graph,
            b"lower" => CharClass::Lower,
            b"print" => CharClass::Print,
            b"punct" => CharClass::Punct,
            b"space" => CharClass::Space,
            b"upper" => CharClass::Upper,
            b"word" => CharClass::Word,
            b"xdigit" => CharClass::Xdigit,
            _ => return None,
        })
    }

    fn has(self, c: u8) -> bool {
        match self {
            CharClass::Alnum => c.is_ascii_alphanumeric(),
            CharClass::Alpha => c.is_ascii_alphabetic(),
            CharClass::Ascii => c.is_ascii(),
            CharClass::Blank => c == b' ' || c == b'\t',
            CharClass::Cntrl => c.is_ascii_control(),
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Graph => c.is_ascii_graphic(),
            CharClass::Lower => c.is_ascii_lowercase(),
            CharClass::Print => c.is_ascii_graphic() || c == b' ',
            CharClass::Punct => c.is_ascii_punctuation(),
            CharClass::Space => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
            CharClass::Upper => c.is_ascii_uppercase(),
            CharClass::Word => c.is_ascii_alphanumeric() || c == b'_',
            CharClass::Xdigit => c.is_ascii_hexdigit(),
        }
    }
}

// ----- compilation -----------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Inst {
    /// One byte (folded to lower case under `nocase`).
    Byte(u8, u32),
    /// One byte, compared exactly.
    Raw(u8, u32),
    /// Any one byte (a wildcard: subject to the `.`/`/` rules).
    Any(u32),
    /// A bracket expression (a wildcard).
    Class(u32, u32),
    /// Never matches.
    Fail,
    Split(u32, u32),
    /// `!(..)`: sub-program, continuation, and index among the negations.
    Not {
        sub: u32,
        next: u32,
        id: u32,
    },
    Accept,
}

#[derive(Clone, Debug)]
struct Prog {
    insts: Vec<Inst>,
    start: u32,
    classes: Vec<ByteSet>,
    /// The continuation of each negated group, by id.
    not_next: Vec<u32>,
    opts: PatternOptions,
}

struct Compiler {
    insts: Vec<Inst>,
    not_next: Vec<u32>,
    nocase: bool,
}

impl Compiler {
    fn compile(nodes: &[Node], classes: Vec<ByteSet>, opts: PatternOptions) -> Prog {
        let mut c = Compiler {
            insts: Vec::new(),
            not_next: Vec::new(),
            nocase: opts.nocase,
        };
        let accept = c.push(Inst::Accept);
        let start = c.seq(nodes, accept);
        Prog {
            insts: c.insts,
            start,
            classes,
            not_next: c.not_next,
            opts,
        }
    }

    fn push(&mut self, inst: Inst) -> u32 {
        self.insts.push(inst);
        u32::try_from(self.insts.len() - 1).unwrap_or(u32::MAX)
    }

    fn seq(&mut self, nodes: &[Node], next: u32) -> u32 {
        nodes
            .iter()
            .rev()
            .fold(next, |next, node| self.node(node, next))
    }

    /// Entry of the alternatives of a group, all continuing at `next`.
    fn alts(&mut self, alts: &[Vec<Node>], next: u32) -> u32 {
        let entries: Vec<u32> = alts.iter().map(|alt| self.seq(alt, next)).collect();
        let mut iter = entries.into_iter().rev();
        let Some(mut entry) = iter.next() else {
            return next;
        };
        for e in iter {
            entry = self.push(Inst::Split(e, entry));
        }
        entry
    }

    fn node(&mut self, node: &Node, next: u32) -> u32 {
        match node {
            Node::Lit(b) => {
                let b = if self.nocase {
                    b.to_ascii_lowercase()
                } else {
                    *b
                };
                self.push(Inst::Byte(b, next))
            }
            Node::Raw(b) => self.push(Inst::Raw(*b, next)),
            Node::Any => self.push(Inst::Any(next)),
            Node::Class(idx) => self.push(Inst::Class(*idx, next)),
            Node::Fail => self.push(Inst::Fail),
            Node::Star => {
                let split = self.push(Inst::Split(0, 0));
                let any = self.push(Inst::Any(split));
                self.insts[split as usize] = Inst::Split(any, next);
                split
            }
            Node::Group(kind, alts) => match kind {
                GroupKind::One => self.alts(alts, next),
                GroupKind::Opt => {
                    let body = self.alts(alts, next);
                    self.push(Inst::Split(body, next))
                }
                GroupKind::Star | GroupKind::Plus => {
                    let split = self.push(Inst::Split(0, 0));
                    let body = self.alts(alts, split);
                    self.insts[split as usize] = Inst::Split(body, next);
                    if *kind == GroupKind::Star {
                        split
                    } else {
                        body
                    }
                }
                GroupKind::Not => {
                    let accept = self.push(Inst::Accept);
                    let sub = self.alts(alts, accept);
                    let id = u32::try_from(self.not_next.len()).unwrap_or(u32::MAX);
                    self.not_next.push(next);
                    self.push(Inst::Not { sub, next, id })
                }
            },
        }
    }
}

// ----- matching --------------------------------------------------------------------------

/// Where threads start.
#[derive(Clone, Copy)]
enum Starts {
    /// One thread at this position.
    Anchored(usize),
    /// A thread at every position from this one; the flag allows one at the very end.
    From(usize, bool),
}

/// What the acceptance callback asks for.
enum Control {
    Continue,
    Stop,
    /// Drop threads that started after this position and start no new ones.
    Cutoff(usize),
}

/// Visited marks, one array per nesting level of simulations, reset by generation.
struct Scratch {
    size: usize,
    marks: Vec<Vec<u32>>,
    gens: Vec<u32>,
}

impl Scratch {
    fn new(size: usize) -> Scratch {
        Scratch {
            size,
            marks: Vec::new(),
            gens: Vec::new(),
        }
    }

    /// Start a fresh visited set for `level`.
    fn begin(&mut self, level: usize) {
        while self.marks.len() <= level {
            self.marks.push(vec![0; self.size]);
            self.gens.push(0);
        }
        self.gens[level] = self.gens[level].wrapping_add(1);
        if self.gens[level] == 0 {
            self.marks[level].fill(0);
            self.gens[level] = 1;
        }
    }

    /// Mark `pc` visited at `level`; false if it already was.
    fn mark(&mut self, level: usize, pc: u32) -> bool {
        let slot = &mut self.marks[level][pc as usize];
        if *slot == self.gens[level] {
            false
        } else {
            *slot = self.gens[level];
            true
        }
    }
}

/// Keep start `a` over `b`: the smaller when `min`, else the larger.
fn better(min: bool, a: usize, b: usize) -> bool {
    if min { a < b } else { a > b }
}

/// The threads that reached one negated group and are still undecided.
#[derive(Default)]
struct NotState {
    /// Best start among arrivals whose body can match nothing more: from here on the
    /// group matches every span for them.
    forever: Option<usize>,
    /// Arrivals whose body is still running: the start of the thread that arrived and
    /// the simulation of the body from the arrival point. Best start first.
    live: Vec<(usize, Sim)>,
}

/// A running simulation of (part of) the program: the main pattern, or the body of a
/// negated group anchored where a thread reached it.
struct Sim {
    pc0: u32,
    level: usize,
    /// Threads that meet keep the smaller start (else the larger).
    min: bool,
    /// Consuming states with the start of their thread: after [`Sim::close`] those at
    /// the current position; after [`Sim::step`] the successors, not yet closed.
    threads: Vec<(u32, usize)>,
    /// Per negated group (indexed by id; empty until one is reached).
    nots: Vec<NotState>,
    /// After `close`: the best start among threads accepting at the current position.
    accept: Option<usize>,
}

impl Sim {
    fn new(pc0: u32, level: usize, min: bool) -> Sim {
        Sim {
            pc0,
            level,
            min,
            threads: Vec::new(),
            nots: Vec::new(),
            accept: None,
        }
    }

    /// No thread and no pending negation: nothing can match any more.
    fn dead(&self) -> bool {
        self.threads.is_empty()
            && self
                .nots
                .iter()
                .all(|ns| ns.forever.is_none() && ns.live.is_empty())
    }

    /// The state of a body simulation as a canonical key: bodies with equal keys
    /// accept at the same future positions, so only the best arrival is kept. (Starts
    /// inside a body are all its anchor, so they are not part of the key.)
    fn signature(&self, out: &mut Vec<u32>) {
        let mut pcs: Vec<u32> = self.threads.iter().map(|&(pc, _)| pc).collect();
        pcs.sort_unstable();
        out.push(u32::try_from(pcs.len()).unwrap_or(u32::MAX));
        out.extend_from_slice(&pcs);
        for (id, ns) in self.nots.iter().enumerate() {
            if ns.forever.is_none() && ns.live.is_empty() {
                continue;
            }
            out.push(u32::try_from(id).unwrap_or(u32::MAX));
            out.push(u32::from(ns.forever.is_some()));
            let mut keys: Vec<Vec<u32>> = ns
                .live
                .iter()
                .map(|(_, body)| {
                    let mut key = Vec::new();
                    body.signature(&mut key);
                    key
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            out.push(u32::try_from(keys.len()).unwrap_or(u32::MAX));
            for key in keys {
                out.extend_from_slice(&key);
            }
        }
        out.push(u32::MAX);
    }

    /// Epsilon closure at position `j` of the pending threads, the negated groups whose
    /// span may end at `j`, and a new thread from `new_start`.
    fn close(
        &mut self,
        prog: &Prog,
        s: &[u8],
        j: usize,
        new_start: Option<usize>,
        cutoff: Option<usize>,
        scratch: &mut Scratch,
    ) {
        let min = self.min;
        let mut seeds = std::mem::take(&mut self.threads);
        for (id, ns) in self.nots.iter_mut().enumerate() {
            let mut best = ns.forever;
            for (st, body) in &mut ns.live {
                body.close(prog, s, j, None, None, scratch);
                if body.accept.is_none() && best.is_none_or(|b| better(min, *st, b)) {
                    best = Some(*st);
                }
            }
            if let Some(st) = best {
                seeds.push((prog.not_next[id], st));
            }
        }
        if let Some(st) = new_start {
            seeds.push((self.pc0, st));
        }
        if let Some(cut) = cutoff {
            seeds.retain(|&(_, st)| st <= cut);
        }
        if min {
            seeds.sort_by_key(|&(_, st)| st);
        } else {
            seeds.sort_by_key(|&(_, st)| std::cmp::Reverse(st));
        }
        self.accept = None;
        scratch.begin(self.level);
        let n = s.len();
        let mut out = Vec::new();
        let mut stack = Vec::new();
        for (pc, st) in seeds {
            stack.push(pc);
            while let Some(pc) = stack.pop() {
                if !scratch.mark(self.level, pc) {
                    continue;
                }
                match prog.insts[pc as usize] {
                    Inst::Byte(..) | Inst::Raw(..) | Inst::Any(_) | Inst::Class(..) => {
                        if j < n {
                            out.push((pc, st));
                        }
                    }
                    Inst::Fail => {}
                    Inst::Split(a, b) => {
                        stack.push(b);
                        stack.push(a);
                    }
                    Inst::Accept => {
                        if self.accept.is_none() {
                            self.accept = Some(st);
                        }
                    }
                    Inst::Not { sub, next, id } => {
                        if prog.opts.dot_special && j < n && s[j] == b'.' && prog.leading(s, j) {
                            continue;
                        }
                        let mut body = Sim::new(sub, self.level + 1, true);
                        body.close(prog, s, j, Some(0), None, scratch);
                        if body.accept.is_none() {
                            stack.push(next);
                        }
                        if self.nots.is_empty() {
                            self.nots
                                .resize_with(prog.not_next.len(), NotState::default);
                        }
                        let ns = &mut self.nots[id as usize];
                        if body.dead() {
                            if ns.forever.is_none_or(|b| better(min, st, b)) {
                                ns.forever = Some(st);
                            }
                        } else {
                            let pos = ns.live.partition_point(|(b, _)| !better(min, st, *b));
                            ns.live.insert(pos, (st, body));
                        }
                    }
                }
            }
        }
        self.threads = out;
    }

    /// Consume `s[j]`.
    fn step(
        &mut self,
        prog: &Prog,
        s: &[u8],
        j: usize,
        cutoff: Option<usize>,
        scratch: &mut Scratch,
    ) {
        let c = s[j];
        let folded = if prog.opts.nocase {
            c.to_ascii_lowercase()
        } else {
            c
        };
        let wild = prog.wild_ok(s, j);
        scratch.begin(self.level);
        let mut out = Vec::with_capacity(self.threads.len());
        for &(pc, st) in &self.threads {
            if cutoff.is_some_and(|cut| st > cut) {
                continue;
            }
            let next = match prog.insts[pc as usize] {
                Inst::Byte(b, next) if b == folded => next,
                Inst::Raw(b, next) if b == c => next,
                Inst::Any(next) if wild => next,
                Inst::Class(idx, next) if wild && set_has(&prog.classes[idx as usize], c) => next,
                _ => continue,
            };
            if scratch.mark(self.level, next) {
                out.push((next, st));
            }
        }
        self.threads = out;
        let slash = prog.opts.slash_special && c == b'/';
        for ns in &mut self.nots {
            if slash {
                // A negated span never covers a `/`.
                *ns = NotState::default();
                continue;
            }
            if let Some(cut) = cutoff {
                ns.live.retain(|&(st, _)| st <= cut);
                ns.forever = ns.forever.filter(|&st| st <= cut);
            }
            let mut live = Vec::with_capacity(ns.live.len());
            let mut seen: HashSet<Vec<u32>> = HashSet::new();
            for (st, mut body) in std::mem::take(&mut ns.live) {
                body.step(prog, s, j, None, scratch);
                if body.dead() {
                    if ns.forever.is_none_or(|b| better(self.min, st, b)) {
                        ns.forever = Some(st);
                    }
                    continue;
                }
                let mut sig = Vec::new();
                body.signature(&mut sig);
                // Same state, same future: keep the first (best) arrival.
                if !seen.insert(sig) {
                    continue;
                }
                live.push((st, body));
            }
            ns.live = live;
        }
    }
}

impl Prog {
    /// May a wildcard match `s[j]`?
    fn wild_ok(&self, s: &[u8], j: usize) -> bool {
        let c = s[j];
        if self.opts.slash_special && c == b'/' {
            return false;
        }
        !(self.opts.dot_special && c == b'.' && self.leading(s, j))
    }

    /// Is `j` the start of the string (or of a path component)?
    fn leading(&self, s: &[u8], j: usize) -> bool {
        j == 0 || (self.opts.slash_special && s[j - 1] == b'/')
    }

    /// Simulate the program over `s`, calling `accept(end, start)` at each position
    /// where some thread accepts (with the best start there). Threads that meet in a
    /// state keep the smaller start when `min`, else the larger.
    fn run(
        &self,
        s: &[u8],
        starts: Starts,
        min: bool,
        accept: &mut dyn FnMut(usize, usize) -> Control,
    ) {
        let n = s.len();
        let (first, multi, at_end) = match starts {
            Starts::Anchored(i) => (i, false, true),
            Starts::From(i, at_end) => (i, true, at_end),
        };
        let mut scratch = Scratch::new(self.insts.len());
        let mut sim = Sim::new(self.start, 0, min);
        let mut cutoff: Option<usize> = None;
        let mut j = first;
        loop {
            let new_start =
                ((j == first || multi) && cutoff.is_none() && (j < n || at_end)).then_some(j);
            sim.close(self, s, j, new_start, cutoff, &mut scratch);
            if let Some(st) = sim.accept {
                match accept(j, st) {
                    Control::Continue => {}
                    Control::Stop => return,
                    Control::Cutoff(cut) => cutoff = Some(cut),
                }
            }
            if j >= n {
                return;
            }
            sim.step(self, s, j, cutoff, &mut scratch);
            j += 1;
            if sim.dead() && (!multi || cutoff.is_some()) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(flags: &str) -> PatternOptions {
        PatternOptions {
            extglob: flags.contains('e'),
            nocase: flags.contains('n'),
            dot_special: flags.contains('d'),
            slash_special: flags.contains('s'),
        }
    }

    fn m(flags: &str, pat: &[u8], s: &[u8]) -> bool {
        Pattern::new(pat, opts(flags)).matches(s)
    }

    /// `(flags, pattern, string, bash's answer)`; flags: `e` extglob, `n` nocasematch.
    /// Each answer is what bash 5.2 gives for `case $s in $p)` with the pattern in a
    /// variable.
    const MATCHES: &[(&str, &[u8], &[u8], bool)] = &[
        ("-", b"*", b"", true),
        ("-", b"*", b"abc", true),
        ("-", b"?", b"", false),
        ("-", b"?", b"a", true),
        ("-", b"??", b"a", false),
        ("-", b"a*c", b"abbbc", true),
        ("-", b"a*c", b"abcd", false),
        ("-", b"*.txt", b"f.txt", true),
        ("-", b"a?c", b"abc", true),
        ("-", b"a\\*c", b"a*c", true),
        ("-", b"a\\*c", b"abc", false),
        ("-", b"\\\\", b"\\", true),
        ("-", b"a\\", b"a\\", true),
        ("-", b"\\a\\b", b"ab", true),
        ("-", b"**a", b"bca", true),
        ("-", b"[abc]", b"b", true),
        ("-", b"[abc]", b"d", false),
        ("-", b"[!abc]", b"d", true),
        ("-", b"[^abc]", b"a", false),
        ("-", b"[a-c]x", b"bx", true),
        ("-", b"[z-a]", b"m", false),
        ("-", b"[z-ab]", b"b", true),
        ("-", b"[]]", b"]", true),
        ("-", b"[]a]", b"a", true),
        ("-", b"[!]]", b"]", false),
        ("-", b"[!]]", b"x", true),
        ("-", b"[a-]", b"-", true),
        ("-", b"[-a]", b"-", true),
        ("-", b"[a\\]]", b"]", true),
        ("-", b"[\\]]", b"]", true),
        ("-", b"[[:alpha:]]", b"Q", true),
        ("-", b"[[:digit:]]", b"5", true),
        ("-", b"[[:alnum:]]", b"_", false),
        ("-", b"[[:upper:]]", b"a", false),
        ("-", b"[[:lower:]]", b"a", true),
        ("-", b"[[:space:]]", b" ", true),
        ("-", b"[[:blank:]]", b" ", true),
        ("-", b"[[:punct:]]", b"!", true),
        ("-", b"[[:print:]]", b" ", true),
        ("-", b"[[:graph:]]", b" ", false),
        ("-", b"[[:xdigit:]]", b"f", true),
        ("-", b"[[:xdigit:]]", b"g", false),
        ("-", b"[[:word:]]", b"_", true),
        ("-", b"[[:ascii:]]", b"a", true),
        ("-", b"[[:cntrl:]]", b"a", false),
        ("-", b"[[:foo:]]", b"f", false),
        ("-", b"[[:foo:]a]", b"a", true),
        ("-", b"[[:alpha:][:digit:]]", b"7", true),
        ("-", b"[![:alpha:]]", b"7", true),
        ("-", b"[[=a=]]", b"a", true),
        ("-", b"[[=a=]]", b"b", false),
        ("-", b"[[.a.]]", b"a", true),
        ("-", b"[[.hyphen.]]", b"-", true),
        ("-", b"[[.space.]]", b" ", true),
        ("-", b"[[.a.]-c]", b"b", true),
        ("-", b"[a", b"[a", true),
        ("-", b"[a", b"a", false),
        ("-", b"[[:alpha:]", b"[a", true),
        ("-", b"[]", b"[]", true),
        ("-", b"[a-", b"[a-", false),
        ("-", b"x[\\", b"x[\\", false),
        ("-", b"a[", b"a[", true),
        ("-", b"a]", b"a]", true),
        ("-", b"*[", b"x[", true),
        ("e", b"?(a)b", b"b", true),
        ("e", b"?(a)b", b"ab", true),
        ("e", b"?(a)b", b"aab", false),
        ("e", b"*(ab)", b"ababab", true),
        ("e", b"*(ab)", b"aba", false),
        ("e", b"*(ab)", b"", true),
        ("e", b"+(ab)", b"", false),
        ("e", b"+(ab)", b"abab", true),
        ("e", b"@(a|b|cd)", b"cd", true),
        ("e", b"@(a|b|cd)", b"c", false),
        ("e", b"!(a)", b"a", false),
        ("e", b"!(a)", b"b", true),
        ("e", b"!(a)", b"", true),
        ("e", b"!(a)", b"aa", true),
        ("e", b"!(a|b)", b"ab", true),
        ("e", b"a!(b)c", b"abc", false),
        ("e", b"a!(b)c", b"ac", true),
        ("e", b"a!(b)c", b"axc", true),
        ("e", b"a!(b)c", b"abbc", true),
        ("e", b"!(*.c)", b"x.c", false),
        ("e", b"!(*.c)", b"x.h", true),
        ("e", b"@(a|@(b|c))", b"c", true),
        ("e", b"*(a|b*(c))", b"abccbc", true),
        ("e", b"*(a|b*(c))", b"abcca", true),
        ("e", b"+(!(a))", b"a", false),
        ("e", b"!(!(a))", b"a", true),
        ("e", b"!(!(a))", b"b", false),
        ("e", b"@()", b"", true),
        ("e", b"@()", b"a", false),
        ("e", b"*()x", b"x", true),
        ("e", b"@(a", b"@(a", true),
        ("e", b"!(b", b"!(b", true),
        ("e", b"+(b", b"+(b", true),
        ("e", b"*(b", b"*(b", true),
        ("e", b"?(b", b"b", false),
        ("e", b"a|b", b"a|b", true),
        ("e", b"@(a|)", b"", true),
        ("e", b"?(a|b)c", b"c", true),
        ("e", b"@([)]|x)", b")", true),
        ("e", b"@(a(b)c)", b"a(b)c", true),
        ("e", b"@(\\))", b")", true),
        ("e", b"+(a|aa)b", b"aaaab", true),
        ("e", b"!(@(a)|b)c", b"cc", true),
        ("e", b"!(@(a)|b)c", b"bc", false),
        ("e", b"@(*)", b"anything", true),
        ("e", b"*(*(a)b)", b"aabab", true),
        ("e", b"+(a)+(b)", b"aabb", true),
        ("e", b"?(a)?(a)?(a)aaa", b"aaa", true),
        ("e", b"@(ab|a)b", b"ab", true),
        ("e", b"x@(a|b)*", b"xbz", true),
        ("-", b"@(a|b)", b"a", false),
        ("-", b"@(a|b)", b"@(a|b)", true),
        ("-", b"!(a)", b"!(a)", true),
        ("-", b"+(a)", b"+(a)", true),
        ("-", b"a|b", b"a|b", true),
        ("n", b"ABC", b"abc", true),
        ("n", b"[a-c]", b"B", true),
        ("n", b"[A-C]", b"b", true),
        ("n", b"[[:upper:]]", b"a", false),
        ("n", b"[!a]", b"A", false),
        ("en", b"*(A)b", b"aaB", true),
        ("en", b"!(a)", b"A", false),
        ("e", b"@(a*", b"@(a*", true),
        ("e", b"@(a*", b"@(ab", false),
        ("e", b"!(a?", b"!(a?", true),
        ("e", b"+(a[b]", b"+(a[b]", true),
        ("e", b"x@(a*", b"x@(a*", true),
        ("e", b"@(a\\*", b"@(a\\*", true),
        ("e", b"*@(a", b"z@(a", true),
        ("e", b"*(b*", b"*(b*", true),
        ("e", b"*(b*", b"*(bz", false),
        ("e", b"?(b?", b"?(bq", false),
        ("e", b"?(b?", b"?(b?", true),
        ("en", b"@(A*", b"@(a*", false),
    ];

    #[test]
    fn matches_like_bash() {
        for &(flags, pat, s, want) in MATCHES {
            assert_eq!(
                m(flags, pat, s),
                want,
                "{flags} {:?} on {:?}",
                String::from_utf8_lossy(pat),
                String::from_utf8_lossy(s)
            );
        }
    }

    /// `${s#p}` and friends from the pattern API, as bash computes them.
    fn remove(p: &Pattern, s: &[u8], op: &str) -> Vec<u8> {
        match op {
            "#" | "##" => match p.match_prefix(s, op == "##") {
                Some(k) => s[k..].to_vec(),
                None => s.to_vec(),
            },
            _ => match p.match_suffix(s, op == "%%") {
                Some(k) => s[..k].to_vec(),
                None => s.to_vec(),
            },
        }
    }

    /// `${s/p/<&>}` (or `//` with `global`) with bash's loop: after an empty match one
    /// character is copied; the end of the string is not tried again.
    fn subst(p: &Pattern, s: &[u8], global: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mark = |out: &mut Vec<u8>, a: usize, b: usize| {
            out.push(b'<');
            out.extend_from_slice(&s[a..b]);
            out.push(b'>');
        };
        if s.is_empty() {
            if let Some((a, b)) = p.find(s, 0) {
                mark(&mut out, a, b);
            }
            return out;
        }
        let mut pos = 0;
        while pos < s.len() {
            let Some((a, b)) = p.find(s, pos) else { break };
            out.extend_from_slice(&s[pos..a]);
            mark(&mut out, a, b);
            pos = b;
            if !global {
                break;
            }
            if a == b {
                out.push(s[pos]);
                pos += 1;
            }
        }
        if pos < s.len() {
            out.extend_from_slice(&s[pos..]);
        }
        out
    }

    /// `(flags, pattern, string, [${s#p}, ${s##p}, ${s%p}, ${s%%p}, ${s/p/<&>},
    /// ${s//p/<&>}])` as bash 5.2 prints them (`nocasematch` does not apply to `#`
    /// and `%`).
    type SubstRow = (
        &'static str,
        &'static [u8],
        &'static [u8],
        [&'static [u8]; 6],
    );

    const SUBST: &[SubstRow] = &[
        (
            "-",
            b"*/",
            b"a/b/c",
            [b"b/c", b"c", b"a/b/c", b"a/b/c", b"<a/b/>c", b"<a/b/>c"],
        ),
        (
            "-",
            b".*",
            b"x.tar.gz",
            [
                b"x.tar.gz",
                b"x.tar.gz",
                b"x.tar",
                b"x",
                b"x<.tar.gz>",
                b"x<.tar.gz>",
            ],
        ),
        (
            "-",
            b"*.",
            b"x.tar.gz",
            [
                b"tar.gz",
                b"gz",
                b"x.tar.gz",
                b"x.tar.gz",
                b"<x.tar.>gz",
                b"<x.tar.>gz",
            ],
        ),
        (
            "-",
            b"a*",
            b"abcabc",
            [b"bcabc", b"", b"abc", b"", b"<abcabc>", b"<abcabc>"],
        ),
        (
            "-",
            b"?",
            b"abc",
            [b"bc", b"bc", b"ab", b"ab", b"<a>bc", b"<a><b><c>"],
        ),
        (
            "-",
            b"b*",
            b"abcb",
            [b"abcb", b"abcb", b"abc", b"a", b"a<bcb>", b"a<bcb>"],
        ),
        (
            "-",
            b"*b",
            b"abcabc",
            [
                b"cabc",
                b"c",
                b"abcabc",
                b"abcabc",
                b"<abcab>c",
                b"<abcab>c",
            ],
        ),
        (
            "-",
            b"c*",
            b"abcabc",
            [
                b"abcabc",
                b"abcabc",
                b"abcab",
                b"ab",
                b"ab<cabc>",
                b"ab<cabc>",
            ],
        ),
        (
            "-",
            b"x",
            b"abc",
            [b"abc", b"abc", b"abc", b"abc", b"abc", b"abc"],
        ),
        (
            "-",
            b"*",
            b"abc",
            [b"abc", b"", b"abc", b"", b"<abc>", b"<abc>"],
        ),
        (
            "-",
            b"[[:space:]]",
            b"a b c",
            [
                b"a b c",
                b"a b c",
                b"a b c",
                b"a b c",
                b"a< >b c",
                b"a< >b< >c",
            ],
        ),
        ("-", b"?", b"", [b"", b"", b"", b"", b"", b""]),
        ("-", b"*", b"", [b"", b"", b"", b"", b"<>", b"<>"]),
        (
            "-",
            b"\\*",
            b"a*b*c",
            [
                b"a*b*c",
                b"a*b*c",
                b"a*b*c",
                b"a*b*c",
                b"a<*>b*c",
                b"a<*>b<*>c",
            ],
        ),
        (
            "-",
            b"[ab]",
            b"xaybz",
            [
                b"xaybz",
                b"xaybz",
                b"xaybz",
                b"xaybz",
                b"x<a>ybz",
                b"x<a>y<b>z",
            ],
        ),
        (
            "e",
            b"!(a)",
            b"aaa",
            [b"aaa", b"", b"aaa", b"", b"<aaa>", b"<aaa>"],
        ),
        (
            "e",
            b"@(a|ab)",
            b"abab",
            [b"bab", b"ab", b"ab", b"ab", b"<ab>ab", b"<ab><ab>"],
        ),
        (
            "e",
            b"*(a)",
            b"baaa",
            [b"baaa", b"baaa", b"baaa", b"b", b"<>baaa", b"<>b<aaa>"],
        ),
        (
            "e",
            b"+([0-9])",
            b"ab123cd45",
            [
                b"ab123cd45",
                b"ab123cd45",
                b"ab123cd4",
                b"ab123cd",
                b"ab<123>cd45",
                b"ab<123>cd<45>",
            ],
        ),
        (
            "e",
            b"?(z)",
            b"abc",
            [b"abc", b"abc", b"abc", b"abc", b"<>abc", b"<>a<>b<>c"],
        ),
        (
            "e",
            b"*(z)",
            b"abc",
            [b"abc", b"abc", b"abc", b"abc", b"<>abc", b"<>a<>b<>c"],
        ),
        (
            "e",
            b"@(foo|bar)",
            b"xfoobarx",
            [
                b"xfoobarx",
                b"xfoobarx",
                b"xfoobarx",
                b"xfoobarx",
                b"x<foo>barx",
                b"x<foo><bar>x",
            ],
        ),
        (
            "e",
            b"!(*/*)",
            b"a/b/c",
            [
                b"a/b/c",
                b"/b/c",
                b"a/b/c",
                b"a/b/",
                b"<a>/b/c",
                b"<a><>/<b><>/<c>",
            ],
        ),
        (
            "e",
            b"+(ab|a)c",
            b"aabacabc",
            [
                b"abc",
                b"abc",
                b"aabac",
                b"aabac",
                b"<aabac>abc",
                b"<aabac><abc>",
            ],
        ),
        (
            "n",
            b"B",
            b"aBcb",
            [b"aBcb", b"aBcb", b"aBcb", b"aBcb", b"a<B>cb", b"a<B>c<b>"],
        ),
    ];

    #[test]
    fn prefix_suffix_and_find_like_bash() {
        for &(flags, pat, s, want) in SUBST {
            let p = Pattern::new(pat, opts(flags));
            let exact = Pattern::new(pat, opts(&flags.replace('n', "")));
            let got = [
                remove(&exact, s, "#"),
                remove(&exact, s, "##"),
                remove(&exact, s, "%"),
                remove(&exact, s, "%%"),
                subst(&p, s, false),
                subst(&p, s, true),
            ];
            for (k, op) in ["#", "##", "%", "%%", "/", "//"].iter().enumerate() {
                assert_eq!(
                    String::from_utf8_lossy(&got[k]),
                    String::from_utf8_lossy(want[k]),
                    "{flags} {op} {:?} on {:?}",
                    String::from_utf8_lossy(pat),
                    String::from_utf8_lossy(s)
                );
            }
        }
    }

    #[test]
    fn prefix_suffix_find_values() {
        let p = Pattern::new(b"*/", PatternOptions::default());
        assert_eq!(p.match_prefix(b"a/b/c", false), Some(2));
        assert_eq!(p.match_prefix(b"a/b/c", true), Some(4));
        assert_eq!(p.match_suffix(b"a/b/c", true), None);
        let p = Pattern::new(b"b*", PatternOptions::default());
        assert_eq!(p.match_suffix(b"abcb", false), Some(3));
        assert_eq!(p.match_suffix(b"abcb", true), Some(1));
        assert_eq!(p.find(b"abcb", 0), Some((1, 4)));
        assert_eq!(p.find(b"abcb", 2), Some((3, 4)));
        assert_eq!(p.find(b"abcb", 4), None);
        assert_eq!(p.find(b"abcb", 9), None);
        // An empty match at the very end counts only for a pattern starting with `*`.
        let e = PatternOptions {
            extglob: true,
            ..Default::default()
        };
        assert_eq!(Pattern::new(b"?(z)", e).find(b"ab", 2), None);
        assert_eq!(Pattern::new(b"*(z)", e).find(b"ab", 2), Some((2, 2)));
        assert_eq!(Pattern::new(b"?(z)", e).find(b"ab", 1), Some((1, 1)));
        // Empty pattern: only the empty string.
        let p = Pattern::new(b"", PatternOptions::default());
        assert!(p.matches(b""));
        assert!(!p.matches(b"a"));
        assert_eq!(p.match_prefix(b"abc", true), Some(0));
    }

    #[test]
    fn literal_and_wildcards() {
        let d = PatternOptions::default();
        let e = PatternOptions { extglob: true, ..d };
        assert_eq!(Pattern::new(b"abc", d).literal(), Some(b"abc".to_vec()));
        assert!(!Pattern::new(b"abc", d).has_wildcards());
        assert_eq!(
            Pattern::new(b"a\\*c\\", d).literal(),
            Some(b"a*c\\".to_vec())
        );
        assert_eq!(Pattern::new(b"[ab", d).literal(), Some(b"[ab".to_vec()));
        assert_eq!(
            Pattern::new(b"@(a|b)", d).literal(),
            Some(b"@(a|b)".to_vec())
        );
        assert!(Pattern::new(b"@(a|b)", e).has_wildcards());
        assert_eq!(Pattern::new(b"@(a", e).literal(), Some(b"@(a".to_vec()));
        for p in [&b"*"[..], b"a?", b"[ab]", b"[[:alpha:]]", b"[a-"] {
            assert!(Pattern::new(p, d).has_wildcards(), "{p:?}");
            assert_eq!(Pattern::new(p, d).literal(), None);
        }
    }

    #[test]
    fn escape_makes_literal() {
        let nasty: &[u8] = b"a*b?c[d]e\\f(g)h|i!j+k@l \xff-";
        let escaped = escape(nasty);
        assert_eq!(
            escaped,
            b"a\\*b\\?c\\[d\\]e\\\\f\\(g\\)h\\|i\\!j\\+k\\@l \xff-".to_vec()
        );
        for flags in ["", "e", "n", "en", "eds"] {
            let p = Pattern::new(&escaped, opts(flags));
            assert!(p.matches(nasty), "{flags}");
            assert!(!p.has_wildcards(), "{flags}");
            assert_eq!(p.literal(), Some(nasty.to_vec()));
            assert!(!p.matches(b"a*b?c[d]e"));
        }
        assert_eq!(escape(b""), b"".to_vec());
    }

    #[test]
    fn bytes_and_case() {
        let d = PatternOptions::default();
        assert!(Pattern::new(b"\xff?", d).matches(b"\xff\x00"));
        assert!(Pattern::new(b"[\x80-\xff]", d).matches(b"\xe9"));
        assert!(!Pattern::new(b"[[:alpha:]]", d).matches(b"\xe9"));
        assert!(!m("", b"ABC", b"abc"));
        assert!(m("n", b"ABC", b"abc"));
        assert!(m("n", b"a*C", b"AbC"));
        assert!(m("n", b"[[:lower:]]", b"a"));
        assert!(!m("n", b"[[:lower:]]", b"A"));
    }

    #[test]
    fn leading_dot_and_slash() {
        // As bash's globbing sees names: a leading `.` needs a literal `.`.
        let yes: &[(&str, &[u8], &[u8])] = &[
            ("d", b".*", b".h"),
            ("d", b".?", b".h"),
            ("d", b"\\.h", b".h"),
            ("de", b"@(.h|a)", b".h"),
            ("de", b"?(x).h", b".h"),
            ("de", b".!(x)", b".h"),
            ("de", b"*(.|?)", b".h"),
            ("d", b"*", b"a.b"),
            ("ds", b"a/.*", b"a/.b"),
            ("s", b"a/*", b"a/.b"),
            ("", b"*", b".h"),
            ("e", b"!(x)", b".h"),
        ];
        let no: &[(&str, &[u8], &[u8])] = &[
            ("d", b"*", b".h"),
            ("d", b"?h", b".h"),
            ("d", b"[.]h", b".h"),
            ("de", b"!(x)", b".h"),
            ("de", b"!(.x)", b".h"),
            ("de", b"!(x).h", b".h"),
            ("de", b"*(x)!(x)", b".h"),
            ("de", b"@(x|*)", b".h"),
            ("ds", b"a/*", b"a/.b"),
            ("s", b"*", b"a/b"),
            ("s", b"a?b", b"a/b"),
            ("s", b"a[!x]b", b"a/b"),
            ("se", b"!(x)", b"a/b"),
        ];
        for &(flags, pat, s) in yes {
            assert!(m(flags, pat, s), "{flags} {pat:?} {s:?}");
        }
        for &(flags, pat, s) in no {
            assert!(!m(flags, pat, s), "{flags} {pat:?} {s:?}");
        }
    }

    #[test]
    fn long_strings_stay_fast() {
        let e = PatternOptions {
            extglob: true,
            ..Default::default()
        };
        let s = vec![b'a'; 10_000];
        let mut with_b = s.clone();
        with_b.push(b'b');
        let cases: &[(&[u8], bool)] = &[
            (b"*a*a*a*a*a*a*a*a*b", false),
            (b"+(a|aa)*(a|aa)b", false),
            (b"*(*(*(*(a))))b", false),
            (b"*(a|aa|aaa)", true),
            (b"*!(*a)b", false),
            (b"!(*b)", true),
            (b"!(!(!(a)))b", false),
            (b"*(+(a)!(c))x", false),
            (b"!(@(*a*|b)*)z", false),
            (b"*(a*)!(b*)!(c*)x", false),
        ];
        for &(pat, want) in cases {
            let p = Pattern::new(pat, e);
            assert_eq!(p.matches(&s), want, "{pat:?}");
            let _ = p.find(&s, 0);
            let _ = p.match_suffix(&s, true);
            let _ = p.match_suffix(&s, false);
            let _ = p.match_prefix(&s, true);
        }
        let p = Pattern::new(b"*a*a*a*a*a*a*a*a*b", e);
        assert!(p.matches(&with_b));
        assert_eq!(p.find(&with_b, 0), Some((0, 10_001)));
        let p = Pattern::new(b"!(*a)", e);
        assert_eq!(p.find(&s, 0), Some((0, 0)));
        assert_eq!(p.match_suffix(&with_b, true), Some(0));
        let p = Pattern::new(b"a", e);
        assert_eq!(p.find(&s, 9_999), Some((9_999, 10_000)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let e = PatternOptions {
            extglob: true,
            ..Default::default()
        };
        let mut pat = Vec::new();
        for _ in 0..200 {
            pat.extend_from_slice(b"!(");
        }
        pat.push(b'a');
        pat.extend(std::iter::repeat_n(b')', 200));
        let p = Pattern::new(&pat, e);
        let _ = p.matches(b"aaaa");
        let mut pat = Vec::new();
        for _ in 0..2000 {
            pat.extend_from_slice(b"@(");
        }
        let _ = Pattern::new(&pat, e).matches(b"@(");
    }
}

/// A property test: the simulation must agree with a naive interpreter of the parsed
/// pattern (sets of end positions, exponential but exact) on random extended patterns
/// and strings, for `matches`, both prefixes, both suffixes and `find`, with and
/// without the `.` and `/` rules.
#[cfg(test)]
mod reftest {
    use super::*;

    struct Ref<'a> {
        s: &'a [u8],
        opts: PatternOptions,
        classes: Vec<ByteSet>,
    }

    impl Ref<'_> {
        fn wild(&self, j: usize) -> bool {
            let c = self.s[j];
            if self.opts.slash_special && c == b'/' {
                return false;
            }
            !(self.opts.dot_special && c == b'.' && self.leading(j))
        }
        fn leading(&self, j: usize) -> bool {
            j == 0 || (self.opts.slash_special && self.s[j - 1] == b'/')
        }
        fn seq(&self, nodes: &[Node], i: usize) -> Vec<usize> {
            let Some((first, rest)) = nodes.split_first() else {
                return vec![i];
            };
            let mut out = Vec::new();
            for e in self.node(first, i) {
                for k in self.seq(rest, e) {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
            out.sort();
            out
        }
        fn one(&self, alts: &[Vec<Node>], i: usize) -> Vec<usize> {
            let mut out = Vec::new();
            for a in alts {
                for k in self.seq(a, i) {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
            out.sort();
            out
        }
        fn node(&self, node: &Node, i: usize) -> Vec<usize> {
            let s = self.s;
            let n = s.len();
            let fold = |c: u8| {
                if self.opts.nocase {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            };
            match node {
                Node::Raw(c) => {
                    if i < n && s[i] == *c {
                        vec![i + 1]
                    } else {
                        vec![]
                    }
                }
                Node::Lit(c) => {
                    if i < n && fold(s[i]) == fold(*c) {
                        vec![i + 1]
                    } else {
                        vec![]
                    }
                }
                Node::Any => {
                    if i < n && self.wild(i) {
                        vec![i + 1]
                    } else {
                        vec![]
                    }
                }
                Node::Class(k) => {
                    if i < n && self.wild(i) && set_has(&self.classes[*k as usize], s[i]) {
                        vec![i + 1]
                    } else {
                        vec![]
                    }
                }
                Node::Fail => vec![],
                Node::Star => {
                    let mut out = vec![i];
                    let mut k = i;
                    while k < n && self.wild(k) {
                        k += 1;
                        out.push(k);
                    }
                    out
                }
                Node::Group(kind, alts) => match kind {
                    GroupKind::One => self.one(alts, i),
                    GroupKind::Opt => {
                        let mut v = self.one(alts, i);
                        if !v.contains(&i) {
                            v.push(i);
                        }
                        v.sort();
                        v
                    }
                    GroupKind::Star | GroupKind::Plus => {
                        let mut reach: Vec<usize> = if *kind == GroupKind::Star {
                            vec![i]
                        } else {
                            vec![]
                        };
                        let mut todo = self.one(alts, i);
                        while let Some(k) = todo.pop() {
                            if reach.contains(&k) {
                                continue;
                            }
                            reach.push(k);
                            todo.extend(self.one(alts, k));
                        }
                        reach.sort();
                        reach
                    }
                    GroupKind::Not => {
                        if self.opts.dot_special && i < n && s[i] == b'.' && self.leading(i) {
                            return vec![];
                        }
                        let inner = self.one(alts, i);
                        let mut out = Vec::new();
                        for k in i..=n {
                            if k > i && self.opts.slash_special && s[k - 1] == b'/' {
                                break;
                            }
                            if !inner.contains(&k) {
                                out.push(k);
                            }
                        }
                        out
                    }
                },
            }
        }
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn gen_pat(r: &mut Rng, d: usize) -> String {
        let mut out = String::new();
        for _ in 0..r.below(4) + 1 {
            let x = r.below(10);
            if x < 4 {
                out.push_str(r.pick(&["a", "b", ".", "/", "a", "b"]));
            } else if x < 5 {
                out.push('*');
            } else if x < 6 {
                out.push('?');
            } else if x < 7 {
                out.push_str(r.pick(&["[ab]", "[!a]", "[.]", "[!/]"]));
            } else if d < 3 {
                let k = r.pick(&["?", "*", "+", "@", "!"]);
                let mut alts = Vec::new();
                for _ in 0..r.below(3) + 1 {
                    alts.push(gen_pat(r, d + 1));
                }
                if r.below(6) == 0 {
                    alts.push(String::new());
                }
                out.push_str(&format!("{k}({})", alts.join("|")));
            } else {
                out.push('a');
            }
        }
        out
    }

    #[test]
    fn engine_matches_reference() {
        let mut r = Rng(0x9e3779b97f4a7c15);
        for it in 0..6000 {
            let pat = gen_pat(&mut r, 0);
            let opts = PatternOptions {
                extglob: true,
                nocase: false,
                dot_special: it % 3 == 1,
                slash_special: it % 4 == 1,
            };
            let mut parser = Parser {
                opts,
                classes: Vec::new(),
            };
            let nodes = parser.parse_seq(pat.as_bytes(), 0);
            let p = Pattern::new(pat.as_bytes(), opts);
            for _ in 0..4 {
                let len = r.below(7) as usize;
                let s: Vec<u8> = (0..len)
                    .map(|_| [b'a', b'b', b'.', b'/'][r.below(4) as usize])
                    .collect();
                let rf = Ref {
                    s: &s,
                    opts,
                    classes: parser.classes.clone(),
                };
                let n = s.len();
                let want_m = rf.seq(&nodes, 0).contains(&n);
                let pre = rf.seq(&nodes, 0);
                let want_ps = pre.first().copied();
                let want_pl = pre.last().copied();
                let sufs: Vec<usize> = (0..=n)
                    .filter(|&i| rf.seq(&nodes, i).contains(&n))
                    .collect();
                let want_ss = sufs.last().copied();
                let want_sl = sufs.first().copied();
                let star_first = pat.starts_with('*');
                let mut want_f = None;
                for st in 0..=n {
                    if st == n && !star_first {
                        continue;
                    }
                    if let Some(&e) = rf.seq(&nodes, st).last() {
                        want_f = Some((st, e));
                        break;
                    }
                }
                let got = (
                    p.matches(&s),
                    p.match_prefix(&s, false),
                    p.match_prefix(&s, true),
                    p.match_suffix(&s, false),
                    p.match_suffix(&s, true),
                    p.find(&s, 0),
                );
                let want = (want_m, want_ps, want_pl, want_ss, want_sl, want_f);
                assert_eq!(
                    got,
                    want,
                    "pat={pat:?} opts={opts:?} s={:?}",
                    String::from_utf8_lossy(&s)
                );
            }
        }
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    /// The direct answers for `*TEXT`, `TEXT*`, `*TEXT*` and plain text agree with the
    /// automaton on every operation.
    #[test]
    fn shortcuts_agree_with_the_automaton() {
        let pats: [&[u8]; 14] = [
            b"*/",
            b"*.",
            b".*",
            b"*",
            b"**",
            b"ab*",
            b"*ab",
            b"*ab*",
            b"a",
            b"",
            b"*a\\*",
            b"\\?*",
            b"*\xc3\xa9",
            b"aa*",
        ];
        let strs: [&[u8]; 10] = [
            b"",
            b"a",
            b"ab",
            b"abab",
            b"path/to/file.tar.gz",
            b"a.b.c",
            b"ba",
            b"aaa",
            b"x?y*z",
            b"\xc3\xa9t\xc3\xa9",
        ];
        for p in pats {
            let fast = Pattern::new(p, PatternOptions::default());
            let mut slow = fast.clone();
            slow.shape = Shape::Other;
            slow.literal = None;
            for s in strs {
                let what = format!(
                    "{:?} on {:?}",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(s)
                );
                assert_eq!(fast.matches(s), slow.matches(s), "matches {what}");
                for longest in [false, true] {
                    assert_eq!(
                        fast.match_prefix(s, longest),
                        slow.match_prefix(s, longest),
                        "prefix {longest} {what}"
                    );
                    assert_eq!(
                        fast.match_suffix(s, longest),
                        slow.match_suffix(s, longest),
                        "suffix {longest} {what}"
                    );
                }
                for from in 0..=s.len() + 1 {
                    assert_eq!(fast.find(s, from), slow.find(s, from), "find {from} {what}");
                }
            }
        }
        assert_eq!(
            Pattern::new(b"*/", PatternOptions::default()).shape,
            Shape::StarLit(b"/".to_vec())
        );
    }
}

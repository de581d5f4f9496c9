//! Bash pattern matching: `case`, `[[ == ]]`, `${x#pat}` and friends, and the
//! per-name matching of pathname expansion.
//!
//! A [`Pattern`] is compiled once from the pattern bytes and then matched against
//! byte strings (any bytes; each byte is one character, as in the C locale).
//!
//! Syntax, as bash's `strmatch`:
//!
//! - `*` any string, `?` any one character, `\c` the character `c` (a trailing lone
//!   backslash matches a backslash);
//! - bracket expressions `[...]`: `!` or `^` first negates, `]` first is literal,
//!   ranges in byte order (a reversed range matches nothing), `\` escapes, the
//!   character classes `[:alnum:]` `[:alpha:]` `[:ascii:]` `[:blank:]` `[:cntrl:]`
//!   `[:digit:]` `[:graph:]` `[:lower:]` `[:print:]` `[:punct:]` `[:space:]`
//!   `[:upper:]` `[:word:]` `[:xdigit:]`, equivalence classes `[=c=]` and collating
//!   symbols `[.c.]` (one character or a POSIX name such as `[.space.]`). A `[`
//!   without its closing `]` is an ordinary character;
//! - with [`PatternOptions::extglob`]: `?(p|q)`, `*(p|q)`, `+(p|q)`, `@(p|q)` and
//!   `!(p|q)`, nested freely. An unterminated group is ordinary characters.
//!
//! Invalid syntax never fails: it is matched literally, as bash does.
//!
//! Matching runs a Thompson-style simulation over the compiled program, keeping one
//! thread per program state, so `*` runs and nested groups cost O(pattern × text).
//! A negated group `!(p)` is evaluated by running `p` from each position where the
//! group is reached (memoized), so patterns with `!(...)` cost at most
//! O(pattern × text²).

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
    literal: Option<Vec<u8>>,
    star_first: bool,
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
        let prog = Compiler::compile(&nodes, parser.classes, opts);
        Pattern {
            prog,
            literal,
            star_first: pat.first() == Some(&b'*'),
        }
    }

    /// True if `s`, as a whole, matches the pattern.
    pub fn matches(&self, s: &[u8]) -> bool {
        if let Some(lit) = &self.literal {
            return if self.prog.opts.nocase {
                lit.eq_ignore_ascii_case(s)
            } else {
                lit == s
            };
        }
        let mut found = false;
        self.prog
            .run(s, Starts::Anchored(0), true, &mut |end, _| {
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
        let mut best = None;
        self.prog
            .run(s, Starts::Anchored(0), true, &mut |end, _| {
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
        let mut best = None;
        // Threads meeting in one state keep the smallest start for the longest suffix
        // and the largest start for the shortest one.
        self.prog.run(
            s,
            Starts::From(0, true),
            longest,
            &mut |end, start| {
                if end == s.len() {
                    best = Some(start);
                }
                Control::Continue
            },
        );
        best
    }

    /// The first match at or after `from`, longest at its start, as `(start, end)`:
    /// bash's rule for `${x/p/r}`. As in bash, an empty match at the very end of `s`
    /// counts only when the pattern starts with `*`.
    pub fn find(&self, s: &[u8], from: usize) -> Option<(usize, usize)> {
        if from > s.len() {
            return None;
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

/// Nesting depth of extended groups beyond which `(` is taken literally (keeps the
/// recursive parser and matcher within a small stack).
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug)]
enum Node {
    Lit(u8),
    Any,
    Star,
    /// A bracket expression: index into the class table.
    Class(u32),
    /// A malformed bracket expression that bash treats as matching nothing.
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
            match c {
                b'\\' => {
                    if let Some(&e) = p.get(i + 1) {
                        out.push(Node::Lit(e));
                        i += 2;
                    } else {
                        out.push(Node::Lit(b'\\'));
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
fn patscan(p: &[u8], start: usize) -> Option<usize> {
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
            b']' => {
                if bnest > 0 && bfirst != Some(i) {
                    bnest -= 1;
                    bfirst = None;
                }
            }
            b'(' => {
                if bnest == 0 {
                    pnest += 1;
                }
            }
            b')' => {
                if bnest == 0 {
                    if pnest == 0 {
                        return Some((i + 1, false));
                    }
                    pnest -= 1;
                }
            }
            b'|' => {
                if bars && bnest == 0 && pnest == 0 {
                    return Some((i + 1, true));
                }
            }
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
            Node::Lit(c) => Some(*c),
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
    /// Any one byte (a wildcard: subject to the `.`/`/` rules).
    Any(u32),
    /// A bracket expression (a wildcard).
    Class(u32, u32),
    /// Never matches.
    Fail,
    Split(u32, u32),
    /// `!(..)`: sub-program, continuation, and index among the negations.
    Not { sub: u32, next: u32, id: u32 },
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

    /// The sorted states, as an identity for merging bodies; `None` when nested
    /// negations make the state more than that.
    fn signature(&self) -> Option<Vec<u32>> {
        if !self.nots.iter().all(|ns| ns.forever.is_none() && ns.live.is_empty()) {
            return None;
        }
        let mut pcs: Vec<u32> = self.threads.iter().map(|&(pc, _)| pc).collect();
        pcs.sort_unstable();
        Some(pcs)
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
                body.close(prog, s, j, Some(0), None, scratch);
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
                    Inst::Byte(..) | Inst::Any(_) | Inst::Class(..) => {
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
                        if prog.opts.dot_special && j < n && s[j] == b'.' && prog.leading(s, j)
                        {
                            continue;
                        }
                        let mut body = Sim::new(sub, self.level + 1, true);
                        body.close(prog, s, j, Some(0), None, scratch);
                        if body.accept.is_none() {
                            stack.push(next);
                        }
                        if self.nots.is_empty() {
                            self.nots.resize_with(prog.not_next.len(), NotState::default);
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
            let mut seen: Vec<Vec<u32>> = Vec::new();
            for (st, mut body) in std::mem::take(&mut ns.live) {
                body.step(prog, s, j, None, scratch);
                if body.dead() {
                    if ns.forever.is_none_or(|b| better(self.min, st, b)) {
                        ns.forever = Some(st);
                    }
                    continue;
                }
                if let Some(sig) = body.signature() {
                    // Same states, same future: keep the first (best) arrival.
                    if seen.contains(&sig) {
                        continue;
                    }
                    seen.push(sig);
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
mod difftest {
    use super::*;

    fn subst(p: &Pattern, s: &[u8], global: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut pos = 0;
        if s.is_empty() {
            if let Some((a, b)) = p.find(s, 0) {
                out.push(b'<');
                out.extend_from_slice(&s[a..b]);
                out.push(b'>');
            }
            return out;
        }
        while pos < s.len() {
            let Some((a, b)) = p.find(s, pos) else { break };
            out.extend_from_slice(&s[pos..a]);
            out.push(b'<');
            out.extend_from_slice(&s[a..b]);
            out.push(b'>');
            pos = b;
            if !global {
                break;
            }
            if a == b {
                if pos < s.len() {
                    out.push(s[pos]);
                }
                pos += 1;
            }
        }
        if pos < s.len() {
            out.extend_from_slice(&s[pos..]);
        }
        out
    }

    #[test]
    fn diff_against_bash() {
        let Ok(text) = std::fs::read("/tmp/pt/expected.tsv") else { return };
        let mut bad = 0;
        for line in text.split(|&c| c == b'\n') {
            if line.is_empty() { continue; }
            let f: Vec<&[u8]> = line.split(|&c| c == b'\t').collect();
            let flags = f[0];
            let opts = PatternOptions { extglob: flags.contains(&b'e'), nocase: flags.contains(&b'n'), ..Default::default() };
            let p = Pattern::new(f[1], opts);
            let pc = Pattern::new(f[1], PatternOptions { nocase: false, ..opts });
            let s = f[2];
            let m = if p.matches(s) { b"1".to_vec() } else { b"0".to_vec() };
            let a = match pc.match_prefix(s, false) { Some(k) => s[k..].to_vec(), None => s.to_vec() };
            let b = match pc.match_prefix(s, true) { Some(k) => s[k..].to_vec(), None => s.to_vec() };
            let c = match pc.match_suffix(s, false) { Some(k) => s[..k].to_vec(), None => s.to_vec() };
            let d = match pc.match_suffix(s, true) { Some(k) => s[..k].to_vec(), None => s.to_vec() };
            let e = subst(&p, s, false);
            let g = subst(&p, s, true);
            let got = [m, a, b, c, d, e, g];
            let names = ["match", "#", "##", "%", "%%", "/", "//"];
            for k in 0..7 {
                if got[k] != f[3 + k] {
                    bad += 1;
                    if bad < 60 {
                        eprintln!("{} flags={} pat={:?} s={:?}: bash={:?} ours={:?}", names[k], String::from_utf8_lossy(flags), String::from_utf8_lossy(f[1]), String::from_utf8_lossy(s), String::from_utf8_lossy(f[3+k]), String::from_utf8_lossy(&got[k]));
                    }
                }
            }
        }
        assert_eq!(bad, 0);
    }
}

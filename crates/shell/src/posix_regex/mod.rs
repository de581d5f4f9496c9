//! POSIX regular expressions as GNU tools see them: basic (BRE), extended (ERE), emacs
//! (find's default) and awk syntax, with GNU's extensions (`\+ \? \|` in BRE, `\w \W \s
//! \S \b \B \< \> \` \'`, back-references) and POSIX leftmost-longest matching.
//!
//! Patterns are parsed here ([`parse`]) and translated to the `regex` crate's syntax, which
//! runs them on bytes. Leftmost-longest comes from two searches: the leftmost-first engine
//! finds where the leftmost match starts (the same place under both rules), then an
//! anchored search with "all matches" semantics from that start finds the longest end.
//! Patterns with back-references, which no automaton can run, go to a bounded
//! backtracker ([`backtrack`]).
//!
//! Used by grep, sed, awk, find, expr and nl.

mod backtrack;
mod parse;

use regex_automata::{Anchored, Input, MatchKind, meta};

pub use parse::ByteSet;
use parse::Node;

/// Which dialect the pattern is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Syntax {
    /// POSIX basic, with GNU extensions (grep, sed, expr).
    #[default]
    Basic,
    /// POSIX extended, with GNU extensions (grep -E, sed -E).
    Extended,
    /// GNU emacs syntax (find's default -regextype).
    Emacs,
    /// awk: ERE plus C escapes (`\t`, `\/`, `\"`, octal) inside and outside brackets.
    Awk,
}

/// How to compile a pattern.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The dialect.
    pub syntax: Syntax,
    /// Ignore ASCII case.
    pub icase: bool,
    /// Newline separates lines: `^`/`$` match next to it, and `.`, `[^...]`, `\W`, `\s`
    /// and `\S` never match it (regcomp's REG_NEWLINE; sed's `M` flag; grep searching a
    /// whole buffer).
    pub multiline: bool,
    /// GNU sed's escapes: `\n \t \r \f \v \a \dNNN \oNNN \xHH \cX`, and sed's stricter
    /// regcomp syntax: a repetition operator with nothing to repeat (`*a` in ERE, `\{1\}`
    /// at the start of a BRE) and a malformed ERE interval (`a{1`) are errors, where grep
    /// takes them literally.
    pub sed_escapes: bool,
    /// grep's and sed's check (GNU dfa's) that rejects `[:space:]` written without the
    /// outer brackets.
    pub strict_class_syntax: bool,
}

/// A pattern that does not compile, with GNU regcomp's message (`Unmatched ( or \(`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The message, as GNU tools print it after `NAME: `.
    pub message: String,
}

/// GNU dfa's complaint about a bracket like `[:alpha:]` (see [`Options::strict_class_syntax`]).
pub(crate) const CLASS_SYNTAX: &str = "character class syntax is [[:space:]], not [:space:]";

impl Error {
    fn new(m: &str) -> Error {
        Error {
            message: m.to_string(),
        }
    }

    /// Is this dfa's `[:space:]` complaint (which GNU sed reports without the expression
    /// prefix, and exits 4 for)?
    pub fn is_class_syntax(&self) -> bool {
        self.message == CLASS_SYNTAX
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The capture spans of one match: index 0 is the whole match, `1..` the groups.
pub type Captures = Vec<Option<(usize, usize)>>;

/// A compiled pattern.
pub struct Regex {
    first: meta::Regex,
    longest: meta::Regex,
    back: Option<backtrack::Prog>,
    node: Node,
    multiline: bool,
    icase: bool,
    groups: usize,
    warnings: Vec<String>,
    /// The pattern matches only the empty string at any position? (for callers' loops)
    anchored_start: bool,
    /// The pattern has `\``, `\'` (start or end of the whole subject).
    buffer_anchors: bool,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Regex")
            .field("groups", &self.groups)
            .finish()
    }
}

/// Steps the backtracker may take per search before giving up on longer matches.
const BACKTRACK_BUDGET: u64 = 5_000_000;

impl Regex {
    /// Compile `pattern`.
    pub fn new(pattern: &[u8], opts: &Options) -> Result<Regex, Error> {
        let parsed = parse::parse(pattern, opts)?;
        Regex::build(parsed, opts)
    }

    /// Compile grep's pattern list: a match of any of `patterns` (each numbered on its
    /// own, so `\1` in the second refers to its own first group). `words` keeps matches
    /// with no word character just before or after (`-w`), `lines` only matches that are
    /// whole lines (`-x`). The first failing pattern's error is returned; `patterns` must
    /// not be empty.
    pub fn new_grep(
        patterns: &[&[u8]],
        opts: &Options,
        words: bool,
        lines: bool,
    ) -> Result<Regex, Error> {
        let mut alts = Vec::with_capacity(patterns.len());
        let mut groups = 0;
        let mut has_backref = false;
        let mut warnings = Vec::new();
        for p in patterns {
            let mut parsed = parse::parse(p, opts)?;
            parse::renumber(&mut parsed.node, groups);
            groups += parsed.groups;
            has_backref |= parsed.has_backref;
            warnings.extend(parsed.warnings);
            alts.push(parsed.node);
        }
        let mut node = if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        };
        if opts.multiline {
            // grep's lines never contain the newline: no part of a pattern matches it.
            strip_newline(&mut node);
        }
        if lines {
            node = Node::Concat(vec![Node::Bol, node, Node::Eol]);
        } else if words {
            node = Node::Concat(vec![Node::NotWordBefore, node, Node::NotWordAfter]);
        }
        Regex::build(
            parse::Parsed {
                node,
                groups,
                has_backref,
                warnings,
            },
            opts,
        )
    }

    fn build(parsed: parse::Parsed, opts: &Options) -> Result<Regex, Error> {
        let mut text = String::with_capacity(64);
        text.push_str(if opts.multiline { "(?sm-u)" } else { "(?s-u)" });
        emit(&parsed.node, &mut text);
        let syntax = regex_automata::util::syntax::Config::new()
            .unicode(false)
            .utf8(false)
            .multi_line(opts.multiline)
            .dot_matches_new_line(true);
        // A match that must start with one of many bytes (`[0-9]+5`) makes a literal
        // prefilter that stops at nearly every line; the DFA alone runs faster there.
        let prefilter = !starts_with_wide_set(&parsed.node);
        let build = |kind: MatchKind| {
            meta::Regex::builder()
                .syntax(syntax)
                .configure(
                    meta::Regex::config()
                        .match_kind(kind)
                        .auto_prefilter(prefilter)
                        .utf8_empty(false)
                        .nfa_size_limit(Some(64 << 20)),
                )
                .build(&text)
                .map_err(|_| Error::new("Regular expression too big"))
        };
        let first = build(MatchKind::LeftmostFirst)?;
        let longest = build(MatchKind::All)?;
        let back = if parsed.has_backref {
            Some(backtrack::Prog::new(
                &parsed.node,
                parsed.groups,
                opts.multiline,
                opts.icase,
            )?)
        } else {
            None
        };
        let anchored_start = !opts.multiline && starts_anchored(&parsed.node);
        let buffer_anchors = has_buffer_anchors(&parsed.node);
        Ok(Regex {
            first,
            longest,
            back,
            node: parsed.node,
            multiline: opts.multiline,
            icase: opts.icase,
            groups: parsed.groups,
            warnings: parsed.warnings,
            anchored_start,
            buffer_anchors,
        })
    }

    /// Warnings GNU grep prints for this pattern (`* at start of expression`).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The number of capturing groups.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Whether every match must start at the beginning of the subject (`^...` without
    /// multiline): callers can stop after the first position.
    pub fn anchored_at_start(&self) -> bool {
        self.anchored_start
    }

    /// Whether the pattern has `\`` or `\'`, which match only at the start or end of the
    /// whole subject: searching a line inside a bigger buffer differs from searching the
    /// line alone.
    pub fn has_buffer_anchors(&self) -> bool {
        self.buffer_anchors
    }

    /// Whether the pattern has back-references (it then runs on a bounded backtracker:
    /// search short subjects, such as one line at a time).
    pub fn has_backrefs(&self) -> bool {
        self.back.is_some()
    }

    /// Where some match at or after `start` ends, that match starting where the
    /// leftmost match starts (the cheapest search: enough to know which line matches).
    pub fn find_end_at(&self, hay: &[u8], start: usize) -> Option<usize> {
        if start > hay.len() {
            return None;
        }
        if self.back.is_some() {
            return self.find_at(hay, start).map(|(_, e)| e);
        }
        self.first
            .search_half(&Input::new(hay).range(start..))
            .map(|m| m.offset())
    }

    /// Does the pattern match anywhere in `hay`?
    pub fn is_match(&self, hay: &[u8]) -> bool {
        match &self.back {
            None => self.first.is_match(hay),
            Some(_) => self.find_at(hay, 0).is_some(),
        }
    }

    /// The leftmost-longest match starting at or after `start`, as a byte range of `hay`.
    /// Assertions (`^`, `\b`, ...) see the whole of `hay`.
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        if start > hay.len() {
            return None;
        }
        if let Some(back) = &self.back {
            return back.search(hay, start, BACKTRACK_BUDGET).and_then(|c| c[0]);
        }
        let m = self.first.search(&Input::new(hay).range(start..))?;
        let s = m.start();
        let end = self
            .longest
            .search(&Input::new(hay).range(s..).anchored(Anchored::Yes))
            .map_or(m.end(), |l| l.end().max(m.end()));
        Some((s, end))
    }

    /// The leftmost-longest match at or after `start` with its groups' spans.
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<Captures> {
        if start > hay.len() {
            return None;
        }
        if let Some(back) = &self.back {
            return back.search(hay, start, BACKTRACK_BUDGET);
        }
        let (s, e) = self.find_at(hay, start)?;
        let mut caps = self.first.create_captures();
        self.first.search_captures(
            &Input::new(hay).span(s..e).anchored(Anchored::Yes),
            &mut caps,
        );
        let matched_whole = caps.get_match().is_some_and(|m| m.end() == e);
        if !matched_whole {
            // The leftmost-first parse is shorter than the longest match: find a parse
            // that ends exactly there.
            if let Ok(prog) =
                backtrack::Prog::new(&self.node, self.groups, self.multiline, self.icase)
                && let Some(c) = prog.search_exact(hay, s, e, BACKTRACK_BUDGET)
            {
                return Some(c);
            }
        }
        let mut out: Captures = Vec::with_capacity(self.groups + 1);
        out.push(Some((s, e)));
        for g in 1..=self.groups {
            out.push(
                caps.get_group(g)
                    .filter(|_| matched_whole)
                    .map(|sp| (sp.start, sp.end)),
            );
        }
        Some(out)
    }

    /// Every non-overlapping leftmost-longest match, as sed's `g` flag and `grep -o` walk
    /// them: after an empty match the next search starts one byte later.
    pub fn find_iter<'r, 'h>(&'r self, hay: &'h [u8]) -> FindIter<'r, 'h> {
        FindIter {
            re: self,
            hay,
            pos: 0,
            last_empty_end: None,
        }
    }
}

/// See [`Regex::find_iter`].
pub struct FindIter<'r, 'h> {
    re: &'r Regex,
    hay: &'h [u8],
    pos: usize,
    last_empty_end: Option<usize>,
}

impl Iterator for FindIter<'_, '_> {
    type Item = (usize, usize);
    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if self.pos > self.hay.len() {
                return None;
            }
            let (s, e) = self.re.find_at(self.hay, self.pos)?;
            if s == e && Some(e) == self.last_empty_end {
                // An empty match right where the previous match ended: step over a byte.
                self.pos = s + 1;
                self.last_empty_end = None;
                continue;
            }
            self.pos = if e == s { e + 1 } else { e };
            self.last_empty_end = Some(e);
            return Some((s, e));
        }
    }
}

/// Make every byte matcher in `n` refuse the newline.
fn strip_newline(n: &mut Node) {
    match n {
        Node::Byte(b'\n') => *n = Node::Set(ByteSet::default()),
        Node::Set(s) => s.remove(b'\n'),
        Node::Group(_, inner) | Node::Repeat(inner, _, _) => strip_newline(inner),
        Node::Concat(v) | Node::Alt(v) => v.iter_mut().for_each(strip_newline),
        _ => {}
    }
}

/// Whether every match starts with a byte from one set of 8 or more bytes.
fn starts_with_wide_set(n: &Node) -> bool {
    match n {
        Node::Set(s) => (0..=255u8).filter(|&b| s.has(b)).count() >= 8,
        Node::Concat(v) => v.first().is_some_and(starts_with_wide_set),
        Node::Group(_, inner) => starts_with_wide_set(inner),
        Node::Repeat(inner, min, _) => *min >= 1 && starts_with_wide_set(inner),
        _ => false,
    }
}

fn has_buffer_anchors(n: &Node) -> bool {
    match n {
        Node::BufStart | Node::BufEnd => true,
        Node::Group(_, inner) | Node::Repeat(inner, _, _) => has_buffer_anchors(inner),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(has_buffer_anchors),
        _ => false,
    }
}

fn starts_anchored(n: &Node) -> bool {
    match n {
        Node::Bol | Node::BufStart => true,
        Node::Concat(v) => v.first().is_some_and(starts_anchored),
        Node::Group(_, inner) => starts_anchored(inner),
        Node::Alt(v) => v.iter().all(starts_anchored),
        _ => false,
    }
}

fn emit_byte(b: u8, out: &mut String) {
    if b.is_ascii_alphanumeric() || b == b'_' {
        out.push(b as char);
    } else {
        out.push_str(&format!("\\x{b:02X}"));
    }
}

fn emit_set(s: &ByteSet, out: &mut String) {
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    let mut b: u16 = 0;
    while b < 256 {
        if s.has(b as u8) {
            let lo = b as u8;
            while b + 1 < 256 && s.has((b + 1) as u8) {
                b += 1;
            }
            ranges.push((lo, b as u8));
        }
        b += 1;
    }
    if ranges.is_empty() {
        // Matches nothing.
        out.push_str("[a&&b]");
        return;
    }
    if ranges.len() == 1 && ranges[0].0 == ranges[0].1 {
        emit_byte(ranges[0].0, out);
        return;
    }
    out.push('[');
    for (lo, hi) in ranges {
        out.push_str(&format!("\\x{lo:02X}"));
        if hi != lo {
            out.push_str(&format!("-\\x{hi:02X}"));
        }
    }
    out.push(']');
}

fn emit(n: &Node, out: &mut String) {
    match n {
        Node::Empty => out.push_str("(?:)"),
        Node::Byte(b) => emit_byte(*b, out),
        Node::Set(s) => emit_set(s, out),
        Node::Bol => out.push('^'),
        Node::Eol => out.push('$'),
        Node::BufStart => out.push_str("\\A"),
        Node::BufEnd => out.push_str("\\z"),
        Node::WordB => out.push_str("\\b"),
        Node::NotWordB => out.push_str("\\B"),
        Node::WordStart => out.push_str("\\b{start}"),
        Node::WordEnd => out.push_str("\\b{end}"),
        Node::NotWordBefore => out.push_str("\\b{start-half}"),
        Node::NotWordAfter => out.push_str("\\b{end-half}"),
        Node::Group(_, inner) => {
            out.push('(');
            emit(inner, out);
            out.push(')');
        }
        // Only reached for the automaton version of a pattern with back-references,
        // which is never searched: the backtracker runs those.
        Node::Backref(_) => out.push_str("(?:)"),
        Node::Concat(v) => {
            for x in v {
                emit(x, out);
            }
        }
        Node::Alt(v) => {
            out.push_str("(?:");
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(x, out);
            }
            out.push(')');
        }
        Node::Repeat(inner, min, max) => {
            out.push_str("(?:");
            emit(inner, out);
            out.push(')');
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (m, None) => out.push_str(&format!("{{{m},}}")),
                (m, Some(x)) if m == x => out.push_str(&format!("{{{m}}}")),
                (m, Some(x)) => out.push_str(&format!("{{{m},{x}}}")),
            }
        }
    }
}

#[cfg(test)]
mod tests;

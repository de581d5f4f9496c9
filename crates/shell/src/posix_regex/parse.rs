//! The parser: BRE, ERE, emacs and awk pattern text into one syntax tree, with GNU
//! regcomp's context rules (where `*`, `^`, `$` and `{` are literal) and its error texts.

use super::{CLASS_SYNTAX, Error, Options, Syntax};

/// A set of bytes (a bracket expression, `.`, `\w`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    /// Add one byte.
    pub fn add(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    /// Add the bytes `lo..=hi`.
    pub fn add_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.add(b);
        }
    }
    /// Whether `b` is in the set.
    pub fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
    /// Every byte not in the set.
    pub fn negated(&self) -> ByteSet {
        ByteSet([!self.0[0], !self.0[1], !self.0[2], !self.0[3]])
    }
    /// Remove one byte.
    pub fn remove(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1 << (b & 63));
    }
    /// Add the other case of every ASCII letter.
    pub fn fold_case(&mut self) {
        for b in b'a'..=b'z' {
            if self.has(b) || self.has(b.to_ascii_uppercase()) {
                self.add(b);
                self.add(b.to_ascii_uppercase());
            }
        }
    }
}

/// A parsed regular expression.
#[derive(Clone, Debug)]
pub enum Node {
    /// Matches the empty string.
    Empty,
    /// One literal byte.
    Byte(u8),
    /// One byte from a set.
    Set(ByteSet),
    /// `^`.
    Bol,
    /// `$`.
    Eol,
    /// `` \` ``: start of the whole subject.
    BufStart,
    /// `\'`: end of the whole subject.
    BufEnd,
    /// `\b`.
    WordB,
    /// `\B`.
    NotWordB,
    /// `\<`.
    WordStart,
    /// `\>`.
    WordEnd,
    /// No word character just before (start of subject or a non-word byte): grep -w.
    NotWordBefore,
    /// No word character just after (end of subject or a non-word byte): grep -w.
    NotWordAfter,
    /// A numbered capturing group.
    Group(usize, Box<Node>),
    /// `\N`.
    Backref(usize),
    /// A sequence.
    Concat(Vec<Node>),
    /// Alternatives.
    Alt(Vec<Node>),
    /// `X{min,max}`; `None` is unbounded.
    Repeat(Box<Node>, u32, Option<u32>),
}

/// GNU's RE_DUP_MAX.
const DUP_MAX: u32 = 0x7fff;

/// The parse result.
pub struct Parsed {
    pub node: Node,
    pub groups: usize,
    pub has_backref: bool,
    pub warnings: Vec<String>,
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
    o: &'a Options,
    groups: usize,
    closed: Vec<bool>,
    open: usize,
    has_backref: bool,
    warnings: Vec<String>,
}

/// Parse `pattern` under `opts`.
pub fn parse(pattern: &[u8], opts: &Options) -> Result<Parsed, Error> {
    let mut p = Parser {
        p: pattern,
        i: 0,
        o: opts,
        groups: 0,
        closed: vec![false],
        open: 0,
        has_backref: false,
        warnings: Vec::new(),
    };
    let node = p.alt()?;
    if p.i < p.p.len() {
        // Only an unmatched close parenthesis stops the top level early.
        return Err(Error::new("Unmatched ) or \\)"));
    }
    Ok(Parsed {
        node,
        groups: p.groups,
        has_backref: p.has_backref,
        warnings: p.warnings,
    })
}

impl Parser<'_> {
    fn bre(&self) -> bool {
        matches!(self.o.syntax, Syntax::Basic | Syntax::Emacs)
    }

    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.p.get(self.i + 1).copied()
    }

    /// Is the input at an alternation operator?
    fn at_bar(&self) -> bool {
        if self.bre() {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'|')
        } else {
            self.peek() == Some(b'|')
        }
    }

    /// Is the input at a group close?
    fn at_close(&self) -> bool {
        if self.bre() {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        } else {
            self.peek() == Some(b')') && self.open > 0
        }
    }

    fn alt(&mut self) -> Result<Node, Error> {
        let mut alts = vec![self.concat()?];
        while self.at_bar() {
            self.i += if self.bre() { 2 } else { 1 };
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, Error> {
        let mut items: Vec<Node> = Vec::new();
        // At the start of an expression: `*` is literal in BRE, ignored in ERE.
        let mut at_start = true;
        loop {
            if self.i >= self.p.len() || self.at_bar() || self.at_close() {
                break;
            }
            if self.bre() && self.peek() == Some(b'\\') && self.peek2() == Some(b')') {
                break;
            }
            let start_ctx = at_start;
            at_start = false;
            let atom = match self.atom(start_ctx)? {
                Some(a) => a,
                None => {
                    // A repetition operator at the start of an ERE: GNU ignores it.
                    at_start = true;
                    continue;
                }
            };
            if matches!(atom, Node::Bol) {
                // `^*` is `^` then a literal `*` (BRE) or an ignored `*` (ERE): the anchor
                // takes no repetition operator.
                at_start = true;
                items.push(atom);
                continue;
            }
            let atom = self.postfix(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// Is the next thing a repetition operator? Returns (min, max, length).
    fn repeat_op(&mut self) -> Result<Option<(u32, Option<u32>, usize)>, Error> {
        let c = match self.peek() {
            Some(c) => c,
            None => return Ok(None),
        };
        let ere_like = matches!(self.o.syntax, Syntax::Extended | Syntax::Awk);
        match c {
            b'*' => Ok(Some((0, None, 1))),
            b'+' | b'?' if ere_like || self.o.syntax == Syntax::Emacs => Ok(Some(if c == b'+' {
                (1, None, 1)
            } else {
                (0, Some(1), 1)
            })),
            b'\\' if self.o.syntax == Syntax::Basic => match self.peek2() {
                Some(b'+') => Ok(Some((1, None, 2))),
                Some(b'?') => Ok(Some((0, Some(1), 2))),
                Some(b'{') => self.interval(self.i + 2, true).map(Some),
                _ => Ok(None),
            },
            b'{' if ere_like => match self.interval(self.i + 1, false) {
                Ok(r) => Ok(Some(r)),
                // An ERE `{` that does not start a complete interval is literal (but
                // an error for sed, whose regcomp syntax has no such leniency).
                Err(e) if e.message == "literal" && !self.o.sed_escapes => Ok(None),
                Err(e) => Err(e),
            },
            _ => Ok(None),
        }
    }

    /// Parse `m,n}` (or `m,n\}`) starting at `j`.
    fn interval(&self, mut j: usize, bre: bool) -> Result<(u32, Option<u32>, usize), Error> {
        let start = self.i;
        let num = |j: &mut usize| -> Option<u32> {
            let s = *j;
            let mut v: u32 = 0;
            while let Some(d) = self.p.get(*j).filter(|d| d.is_ascii_digit()) {
                v = v.saturating_mul(10).saturating_add(u32::from(d - b'0'));
                *j += 1;
            }
            (*j > s).then_some(v)
        };
        let close_len = if bre { 2 } else { 1 };
        let at_close = |j: usize| {
            if bre {
                self.p.get(j) == Some(&b'\\') && self.p.get(j + 1) == Some(&b'}')
            } else {
                self.p.get(j) == Some(&b'}')
            }
        };
        // sed's regcomp syntax treats a bad ERE interval as an error, like BRE.
        let strict = bre || self.o.sed_escapes;
        let unmatched = || {
            if strict {
                Error::new("Unmatched \\{")
            } else {
                Error::new("literal")
            }
        };
        let invalid = || Error::new("Invalid content of \\{\\}");
        let min = num(&mut j);
        let max = if self.p.get(j) == Some(&b',') {
            j += 1;
            num(&mut j)
        } else {
            if min.is_none() {
                if j >= self.p.len() || (strict && !at_close(j) && !self.p[j..].contains(&b'}')) {
                    return Err(unmatched());
                }
                return Err(if strict || at_close(j) {
                    invalid()
                } else {
                    unmatched()
                });
            }
            min
        };
        if !at_close(j) {
            if j >= self.p.len() {
                return Err(unmatched());
            }
            if !strict && !self.p[j..].contains(&b'}') {
                return Err(unmatched());
            }
            return Err(invalid());
        }
        let min = min.unwrap_or(0);
        if let Some(m) = max {
            if m < min {
                return Err(invalid());
            }
            if m > DUP_MAX {
                return Err(Error::new("Regular expression too big"));
            }
        }
        if min > DUP_MAX {
            return Err(Error::new("Regular expression too big"));
        }
        Ok((min, max, j + close_len - start))
    }

    fn postfix(&mut self, mut atom: Node) -> Result<Node, Error> {
        while let Some((min, max, len)) = self.repeat_op()? {
            if self.o.sed_escapes && !self.bre() && matches!(atom, Node::Bol) {
                // `^*` in a sed ERE: nothing to repeat.
                return Err(Error::new("Invalid preceding regular expression"));
            }
            self.i += len;
            // Anchors and empty atoms repeat to themselves.
            atom = match atom {
                Node::Bol | Node::Eol | Node::Empty => atom,
                _ => Node::Repeat(Box::new(atom), min, max),
            };
        }
        Ok(atom)
    }

    /// One atom; `None` when a leading ERE repetition operator was skipped.
    fn atom(&mut self, at_start: bool) -> Result<Option<Node>, Error> {
        let c = match self.peek() {
            Some(c) => c,
            None => return Ok(Some(Node::Empty)),
        };
        let bre = self.bre();
        let strict = self.o.sed_escapes;
        let bad_repeat = || Err(Error::new("Invalid preceding regular expression"));
        match c {
            b'*' if at_start => {
                self.i += 1;
                if bre {
                    return Ok(Some(Node::Byte(b'*')));
                }
                if strict {
                    return bad_repeat();
                }
                self.warnings.push("* at start of expression".into());
                return Ok(None);
            }
            b'\\' if at_start && strict && bre && self.peek2() == Some(b'{') => {
                return bad_repeat();
            }
            b'+' | b'?' | b'{' if at_start && strict && !bre => return bad_repeat(),
            b'+' | b'?' if at_start && !bre => {
                self.i += 1;
                self.warnings
                    .push(format!("{} at start of expression", c as char));
                return Ok(None);
            }
            b'{' if at_start && matches!(self.o.syntax, Syntax::Extended | Syntax::Awk) => {
                if let Ok((_, _, len)) = self.interval(self.i + 1, false) {
                    self.i += len;
                    self.warnings.push("{...} at start of expression".into());
                    return Ok(None);
                }
            }
            _ => {}
        }
        self.i += 1;
        let node = match c {
            b'.' => {
                let mut s = ByteSet::default().negated();
                if self.o.multiline {
                    s.remove(b'\n');
                }
                Node::Set(s)
            }
            b'[' => Node::Set(self.bracket()?),
            b'^' => {
                if bre && !at_start && self.o.syntax == Syntax::Basic {
                    Node::Byte(b'^')
                } else {
                    Node::Bol
                }
            }
            b'$' => {
                let at_end = self.i >= self.p.len() || self.at_close() || self.at_bar();
                if bre && !at_end {
                    Node::Byte(b'$')
                } else {
                    Node::Eol
                }
            }
            b'(' if !bre => self.group()?,
            b')' if !bre => Node::Byte(b')'),
            b'\\' => return self.escape(at_start).map(Some),
            _ => self.literal(c),
        };
        Ok(Some(node))
    }

    fn literal(&self, c: u8) -> Node {
        if self.o.icase && c.is_ascii_alphabetic() {
            let mut s = ByteSet::default();
            s.add(c);
            s.fold_case();
            Node::Set(s)
        } else {
            Node::Byte(c)
        }
    }

    fn group(&mut self) -> Result<Node, Error> {
        self.groups += 1;
        let n = self.groups;
        self.closed.push(false);
        self.open += 1;
        let inner = self.alt()?;
        self.open -= 1;
        let close_len = if self.bre() { 2 } else { 1 };
        let closed = if self.bre() {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        } else {
            self.peek() == Some(b')')
        };
        if !closed {
            return Err(Error::new("Unmatched ( or \\("));
        }
        self.i += close_len;
        if let Some(c) = self.closed.get_mut(n) {
            *c = true;
        }
        Ok(Node::Group(n, Box::new(inner)))
    }

    fn escape(&mut self, at_start: bool) -> Result<Node, Error> {
        let c = match self.peek() {
            Some(c) => c,
            None => return Err(Error::new("Trailing backslash")),
        };
        self.i += 1;
        let bre = self.bre();
        let word = || {
            let mut s = ByteSet::default();
            s.add_range(b'a', b'z');
            s.add_range(b'A', b'Z');
            s.add_range(b'0', b'9');
            s.add(b'_');
            s
        };
        let space = || {
            let mut s = ByteSet::default();
            for b in [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c] {
                s.add(b);
            }
            s
        };
        let neg = |s: ByteSet, ml: bool| {
            let mut n = s.negated();
            if ml {
                n.remove(b'\n');
            }
            n
        };
        let ml = self.o.multiline;
        Ok(match c {
            b'(' if bre => self.group()?,
            b'{' if bre && at_start && self.o.syntax == Syntax::Basic => Node::Byte(b'{'),
            b'}' if bre => Node::Byte(b'}'),
            b'1'..=b'9' if self.o.syntax != Syntax::Awk => {
                let n = usize::from(c - b'0');
                if !self.closed.get(n).copied().unwrap_or(false) {
                    return Err(Error::new("Invalid back reference"));
                }
                self.has_backref = true;
                Node::Backref(n)
            }
            b'w' => Node::Set(word()),
            b'W' => Node::Set(neg(word(), ml)),
            b's' => {
                let mut s = space();
                if ml {
                    s.remove(b'\n');
                }
                Node::Set(s)
            }
            b'S' => Node::Set(neg(space(), ml)),
            b'b' if self.o.syntax != Syntax::Awk => Node::WordB,
            b'y' if self.o.syntax == Syntax::Awk => Node::WordB,
            b'B' => Node::NotWordB,
            b'<' => Node::WordStart,
            b'>' => Node::WordEnd,
            b'`' => Node::BufStart,
            b'\'' => Node::BufEnd,
            _ => {
                if let Some((b, len)) = self.c_escape(c) {
                    self.i += len;
                    self.literal(b)
                } else {
                    self.literal(c)
                }
            }
        })
    }

    /// C-style escapes for awk and GNU sed: the byte and how many more input bytes it used.
    fn c_escape(&self, c: u8) -> Option<(u8, usize)> {
        let sed = self.o.sed_escapes;
        let awk = self.o.syntax == Syntax::Awk;
        if !sed && !awk {
            return None;
        }
        let simple = match c {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'f' => Some(0x0c),
            b'v' => Some(0x0b),
            b'a' => Some(0x07),
            _ => None,
        };
        if let Some(b) = simple {
            return Some((b, 0));
        }
        let rest = &self.p[self.i..];
        match c {
            b'x' => {
                let n = rest
                    .iter()
                    .take(2)
                    .take_while(|d| d.is_ascii_hexdigit())
                    .count();
                if n == 0 {
                    return None;
                }
                let v = u8::from_str_radix(std::str::from_utf8(&rest[..n]).ok()?, 16).ok()?;
                Some((v, n))
            }
            b'0'..=b'7' if awk => {
                let n = 1 + rest
                    .iter()
                    .take(2)
                    .take_while(|d| (b'0'..=b'7').contains(d))
                    .count();
                let digits = &self.p[self.i - 1..self.i - 1 + n];
                let v = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 8).ok()?;
                Some(((v & 0xff) as u8, n - 1))
            }
            b'o' if sed => {
                let n = rest
                    .iter()
                    .take(3)
                    .take_while(|d| (b'0'..=b'7').contains(d))
                    .count();
                if n == 0 {
                    return None;
                }
                let v = u32::from_str_radix(std::str::from_utf8(&rest[..n]).ok()?, 8).ok()?;
                Some(((v & 0xff) as u8, n))
            }
            b'd' if sed => {
                let n = rest
                    .iter()
                    .take(3)
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if n == 0 {
                    return None;
                }
                let v: u32 = std::str::from_utf8(&rest[..n]).ok()?.parse().ok()?;
                Some(((v & 0xff) as u8, n))
            }
            b'c' if sed => {
                let x = rest.first()?;
                Some((x.to_ascii_uppercase() ^ 0x40, 1))
            }
            _ => None,
        }
    }

    /// GNU sed converts `\t`, `\n`, `\cX`, `\dNNN`, `\oNNN`, `\xHH` (and the other C
    /// escapes) before the regex is compiled, so they work inside brackets too; `\d`, `\o`
    /// or `\x` without digits is the bare letter. The `\` was just consumed; any other
    /// escape leaves it a literal backslash (`None`, nothing consumed).
    fn sed_bracket_escape(&mut self) -> Option<u8> {
        let e = self.peek()?;
        if !matches!(
            e,
            b'a' | b'f' | b'n' | b'r' | b't' | b'v' | b'c' | b'd' | b'o' | b'x'
        ) {
            return None;
        }
        if e == b'c' && self.p.get(self.i + 1).is_none() {
            return None;
        }
        self.i += 1;
        match self.c_escape(e) {
            Some((v, len)) => {
                self.i += len;
                Some(v)
            }
            None => Some(e),
        }
    }

    fn bracket(&mut self) -> Result<ByteSet, Error> {
        let unmatched = || Error::new("Unmatched [, [^, [:, [., or [=");
        let start = self.i;
        let mut set = ByteSet::default();
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        if self.peek().is_none() {
            // regcomp: nothing at all after `[` or `[^`.
            return Err(Error::new("Invalid regular expression"));
        }
        let mut first = true;
        // The previous single byte, for a following range.
        let mut prev: Option<u8> = None;
        loop {
            let c = self.peek().ok_or_else(unmatched)?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == b'['
                && let Some(kind @ (b':' | b'=' | b'.')) = self.peek2()
            {
                {
                    let body_start = self.i + 2;
                    let mut j = body_start;
                    loop {
                        if j + 1 >= self.p.len() {
                            return Err(unmatched());
                        }
                        if self.p[j] == kind && self.p[j + 1] == b']' {
                            break;
                        }
                        j += 1;
                    }
                    let body = &self.p[body_start..j];
                    self.i = j + 2;
                    match kind {
                        b':' => {
                            class(body, &mut set)?;
                            prev = None;
                            if self.peek() == Some(b'-') && self.peek2() != Some(b']') {
                                return Err(Error::new("Invalid range end"));
                            }
                        }
                        _ => {
                            if body.len() != 1 {
                                return Err(Error::new("Invalid collation character"));
                            }
                            set.add(body[0]);
                            prev = Some(body[0]);
                        }
                    }
                    continue;
                }
            }
            let mut b = c;
            self.i += 1;
            if c == b'\\' && self.o.syntax == Syntax::Awk {
                let e = self.peek().ok_or_else(unmatched)?;
                self.i += 1;
                b = match self.c_escape(e) {
                    Some((v, len)) => {
                        self.i += len;
                        v
                    }
                    None => e,
                };
            } else if c == b'\\'
                && self.o.sed_escapes
                && let Some(v) = self.sed_bracket_escape()
            {
                b = v;
            }
            if b == b'-' && c == b'-' && prev.is_some() && self.peek() != Some(b']') {
                // A range: prev-hi.
                let lo = prev.unwrap_or(0);
                let hc = self.peek().ok_or_else(unmatched)?;
                let hi = if hc == b'[' && self.peek2() == Some(b'.') {
                    let j = self.i + 2;
                    if self.p.get(j + 1) == Some(&b'.') && self.p.get(j + 2) == Some(&b']') {
                        self.i = j + 3;
                        self.p[j]
                    } else {
                        return Err(unmatched());
                    }
                } else if hc == b'[' && self.peek2() == Some(b':') {
                    return Err(Error::new("Invalid range end"));
                } else {
                    self.i += 1;
                    if hc == b'\\' && self.o.syntax == Syntax::Awk {
                        let e = self.peek().ok_or_else(unmatched)?;
                        self.i += 1;
                        match self.c_escape(e) {
                            Some((v, len)) => {
                                self.i += len;
                                v
                            }
                            None => e,
                        }
                    } else {
                        hc
                    }
                };
                if hi < lo {
                    return Err(Error::new("Invalid range end"));
                }
                set.add_range(lo, hi);
                prev = None;
                continue;
            }
            set.add(b);
            prev = Some(b);
        }
        if self.o.strict_class_syntax {
            let body = &self.p[start..self.i - 1];
            if body.len() >= 2 && body[0] == b':' && body[body.len() - 1] == b':' {
                // GNU's dfa prints this one text whatever the class was.
                return Err(Error::new(CLASS_SYNTAX));
            }
        }
        if self.o.icase {
            set.fold_case();
        }
        if negate {
            set = set.negated();
            if self.o.multiline {
                set.remove(b'\n');
            }
        }
        Ok(set)
    }
}

/// Add the bytes of the POSIX class `name` (C locale).
fn class(name: &[u8], set: &mut ByteSet) -> Result<(), Error> {
    let test: fn(u8) -> bool = match name {
        b"alpha" => |b| b.is_ascii_alphabetic(),
        b"digit" => |b| b.is_ascii_digit(),
        b"alnum" => |b| b.is_ascii_alphanumeric(),
        b"upper" => |b| b.is_ascii_uppercase(),
        b"lower" => |b| b.is_ascii_lowercase(),
        b"space" => |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => |b| b == b' ' || b == b'\t',
        b"punct" => |b| b.is_ascii_punctuation(),
        b"print" => |b| (0x20..0x7f).contains(&b),
        b"graph" => |b| b.is_ascii_graphic(),
        b"cntrl" => |b| b < 0x20 || b == 0x7f,
        b"xdigit" => |b| b.is_ascii_hexdigit(),
        _ => return Err(Error::new("Invalid character class name")),
    };
    for b in 0..=255u8 {
        if test(b) {
            set.add(b);
        }
    }
    Ok(())
}

/// Shift every group number (and back-reference) in `n` by `by`: for joining several
/// separately numbered patterns into one alternation.
pub fn renumber(n: &mut Node, by: usize) {
    match n {
        Node::Group(g, inner) => {
            *g += by;
            renumber(inner, by);
        }
        Node::Backref(g) => *g += by,
        Node::Concat(v) | Node::Alt(v) => v.iter_mut().for_each(|x| renumber(x, by)),
        Node::Repeat(inner, _, _) => renumber(inner, by),
        _ => {}
    }
}

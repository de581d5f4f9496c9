//! `expr`: evaluate an expression. Every GNU operator (`| & < <= = == != >= > + - * / %
//! :` and `match substr index length +`), GNU's messages and exit statuses (0, 1 for a
//! null or zero result, 2 for an invalid expression). `:` matches a POSIX basic regular
//! expression (with GNU's `\+ \? \|`, back-references, intervals and classes) anchored at
//! the start, the longest match winning, by the small backtracking matcher below.
//! Integers are 128-bit.

use super::super::{Command, Ctx};
use super::{print_text, quote, try_help, version};

/// `expr EXPRESSION`
pub struct Expr;

#[derive(Clone, Debug)]
enum Val {
    Int(i128),
    Str(Vec<u8>),
}

struct Fail(String);

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
}

fn looks_like_integer(s: &[u8]) -> bool {
    let d = s.strip_prefix(b"-").unwrap_or(s);
    !d.is_empty() && d.iter().all(u8::is_ascii_digit)
}

fn to_int(v: &Val) -> Result<i128, Fail> {
    match v {
        Val::Int(i) => Ok(*i),
        Val::Str(s) => {
            if !looks_like_integer(s) {
                return Err(Fail("non-integer argument".into()));
            }
            std::str::from_utf8(s)
                .ok()
                .and_then(|t| t.parse::<i128>().ok())
                .ok_or_else(|| Fail("integer overflow".into()))
        }
    }
}

fn to_bytes(v: &Val) -> Vec<u8> {
    match v {
        Val::Int(i) => i.to_string().into_bytes(),
        Val::Str(s) => s.clone(),
    }
}

fn is_null(v: &Val) -> bool {
    match v {
        Val::Int(i) => *i == 0,
        Val::Str(s) => {
            if s.is_empty() {
                return true;
            }
            let d = s.strip_prefix(b"-").unwrap_or(s);
            !d.is_empty() && d.iter().all(|&c| c == b'0')
        }
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn next_is(&mut self, s: &str) -> bool {
        if self.peek() == Some(s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn missing(&self) -> Fail {
        let prev = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.args.get(i))
            .map_or(String::new(), |s| quote(s));
        Fail(format!("syntax error: missing argument after {prev}"))
    }

    fn eval(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval1(ev)?;
        while self.next_is("|") {
            let r = self.eval1(ev && is_null(&l))?;
            if is_null(&l) {
                l = r;
                if is_null(&l) {
                    l = Val::Int(0);
                }
            }
        }
        Ok(l)
    }

    fn eval1(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval2(ev)?;
        while self.next_is("&") {
            let r = self.eval2(ev && !is_null(&l))?;
            if is_null(&l) || is_null(&r) {
                l = Val::Int(0);
            }
        }
        Ok(l)
    }

    fn eval2(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval3(ev)?;
        loop {
            let op = match self.peek() {
                Some(o @ ("<" | "<=" | "=" | "==" | "!=" | ">=" | ">")) => o.to_string(),
                _ => return Ok(l),
            };
            self.pos += 1;
            let r = self.eval3(ev)?;
            if ev {
                let (a, b) = (to_bytes(&l), to_bytes(&r));
                let ord = if looks_like_integer(&a) && looks_like_integer(&b) {
                    match (to_int(&l), to_int(&r)) {
                        (Ok(x), Ok(y)) => x.cmp(&y),
                        _ => a.cmp(&b),
                    }
                } else {
                    a.cmp(&b)
                };
                use std::cmp::Ordering::*;
                let t = match op.as_str() {
                    "<" => ord == Less,
                    "<=" => ord != Greater,
                    "=" | "==" => ord == Equal,
                    "!=" => ord != Equal,
                    ">=" => ord != Less,
                    _ => ord == Greater,
                };
                l = Val::Int(i128::from(t));
            } else {
                l = Val::Int(0);
            }
        }
    }

    fn eval3(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval4(ev)?;
        loop {
            let plus = if self.next_is("+") {
                true
            } else if self.next_is("-") {
                false
            } else {
                return Ok(l);
            };
            let r = self.eval4(ev)?;
            if ev {
                let (a, b) = (to_int(&l)?, to_int(&r)?);
                let v = if plus {
                    a.checked_add(b)
                } else {
                    a.checked_sub(b)
                };
                l = Val::Int(v.ok_or_else(|| Fail("integer overflow".into()))?);
            }
        }
    }

    fn eval4(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval5(ev)?;
        loop {
            let op = if self.next_is("*") {
                b'*'
            } else if self.next_is("/") {
                b'/'
            } else if self.next_is("%") {
                b'%'
            } else {
                return Ok(l);
            };
            let r = self.eval5(ev)?;
            if ev {
                let (a, b) = (to_int(&l)?, to_int(&r)?);
                if op != b'*' && b == 0 {
                    return Err(Fail("division by zero".into()));
                }
                let v = match op {
                    b'*' => a.checked_mul(b),
                    b'/' => a.checked_div(b),
                    _ => a.checked_rem(b),
                };
                l = Val::Int(v.ok_or_else(|| Fail("integer overflow".into()))?);
            }
        }
    }

    fn eval5(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval6(ev)?;
        while self.next_is(":") {
            let r = self.eval6(ev)?;
            if ev {
                l = docolon(&to_bytes(&l), &to_bytes(&r))?;
            }
        }
        Ok(l)
    }

    fn eval6(&mut self, ev: bool) -> Result<Val, Fail> {
        if self.next_is("+") {
            return match self.args.get(self.pos) {
                Some(s) => {
                    self.pos += 1;
                    Ok(Val::Str(s.as_bytes().to_vec()))
                }
                None => Err(self.missing()),
            };
        }
        if self.next_is("length") {
            let r = self.eval6(ev)?;
            return Ok(Val::Int(to_bytes(&r).len() as i128));
        }
        if self.next_is("match") {
            let l = self.eval6(ev)?;
            let r = self.eval6(ev)?;
            if ev {
                return docolon(&to_bytes(&l), &to_bytes(&r));
            }
            return Ok(Val::Int(0));
        }
        if self.next_is("index") {
            let l = to_bytes(&self.eval6(ev)?);
            let r = to_bytes(&self.eval6(ev)?);
            let p = l.iter().position(|c| r.contains(c)).map_or(0, |p| p + 1);
            return Ok(Val::Int(p as i128));
        }
        if self.next_is("substr") {
            let s = to_bytes(&self.eval6(ev)?);
            let i1 = self.eval6(ev)?;
            let i2 = self.eval6(ev)?;
            let (Ok(p), Ok(n)) = (to_int(&i1), to_int(&i2)) else {
                return Ok(Val::Str(Vec::new()));
            };
            if p <= 0 || n <= 0 || p as u128 > s.len() as u128 {
                return Ok(Val::Str(Vec::new()));
            }
            let start = (p - 1) as usize;
            let end = (start as u128 + n as u128).min(s.len() as u128) as usize;
            return Ok(Val::Str(s[start..end].to_vec()));
        }
        self.eval7(ev)
    }

    fn eval7(&mut self, ev: bool) -> Result<Val, Fail> {
        if self.pos >= self.args.len() {
            return Err(self.missing());
        }
        if self.next_is("(") {
            let v = self.eval(ev)?;
            match self.peek() {
                None => {
                    return Err(Fail(format!(
                        "syntax error: expecting ')' after {}",
                        quote(&self.args[self.pos - 1])
                    )));
                }
                Some(")") => self.pos += 1,
                Some(s) => {
                    return Err(Fail(format!(
                        "syntax error: expecting ')' instead of {}",
                        quote(s)
                    )));
                }
            }
            return Ok(v);
        }
        if self.next_is(")") {
            return Err(Fail("syntax error: unexpected ')'".into()));
        }
        let s = self.args[self.pos].as_bytes().to_vec();
        self.pos += 1;
        Ok(Val::Str(s))
    }
}

fn docolon(s: &[u8], pat: &[u8]) -> Result<Val, Fail> {
    let re = bre::Regex::new(pat).map_err(|e| Fail(e.to_string()))?;
    let m = re.match_start(s);
    if re.groups > 0 {
        Ok(Val::Str(
            m.and_then(|c| c.get(1).copied().flatten())
                .map_or(Vec::new(), |(a, b)| s[a..b].to_vec()),
        ))
    } else {
        Ok(Val::Int(m.map_or(0, |c| c[0].map_or(0, |(_, e)| e)) as i128))
    }
}

impl Command for Expr {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut args = &ctx.args[1..];
        if args.len() == 1 {
            match args[0].as_str() {
                "--help" => return print_text(ctx, HELP),
                "--version" => {
                    return version(
                        ctx,
                        "expr",
                        "Written by Mike Parker, James Youngman, and Paul Eggert.",
                    );
                }
                _ => {}
            }
        }
        if args.first().is_some_and(|a| a == "--") {
            args = &args[1..];
        }
        if args.is_empty() {
            return try_help(ctx, "missing operand", 2);
        }
        let mut p = Parser { args, pos: 0 };
        let v = match p.eval(true) {
            Ok(v) => v,
            Err(Fail(m)) => {
                ctx.err(&m);
                return 2;
            }
        };
        if let Some(extra) = p.peek() {
            ctx.err(&format!(
                "syntax error: unexpected argument {}",
                quote(extra)
            ));
            return 2;
        }
        let mut out = to_bytes(&v);
        out.push(b'\n');
        if let Err(stop) = ctx.out(&out) {
            return Ctx::stop_status(stop);
        }
        i32::from(is_null(&v))
    }
}

/// POSIX basic regular expressions with GNU extensions, matched by backtracking.
pub(super) mod bre {
    /// Steps before a pathological match gives up (keeping the best found so far).
    const STEP_LIMIT: u64 = 20_000_000;

    #[derive(Debug, Clone)]
    enum Node {
        Byte(u8),
        Any,
        Set(Box<[bool; 256]>),
        Group(usize, Vec<Vec<Node>>),
        Repeat(Box<Node>, u32, Option<u32>),
        Backref(usize),
        Bol,
        Eol,
        WordBoundary(bool),
        WordStart,
        WordEnd,
    }

    /// A compiled expression.
    #[derive(Debug, Clone)]
    pub struct Regex {
        alts: Vec<Vec<Node>>,
        /// Number of `\(...\)` groups.
        pub groups: usize,
    }

    /// Compile error, with glibc's message.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Error(pub &'static str);

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    struct P<'a> {
        p: &'a [u8],
        i: usize,
        groups: usize,
        closed: Vec<usize>,
    }

    fn is_word(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'_'
    }

    fn class(name: &[u8]) -> Option<fn(u8) -> bool> {
        Some(match name {
            b"alpha" => |c: u8| c.is_ascii_alphabetic(),
            b"digit" => |c: u8| c.is_ascii_digit(),
            b"alnum" => |c: u8| c.is_ascii_alphanumeric(),
            b"upper" => |c: u8| c.is_ascii_uppercase(),
            b"lower" => |c: u8| c.is_ascii_lowercase(),
            b"space" => |c: u8| matches!(c, b' ' | b'\t'..=b'\r'),
            b"blank" => |c: u8| c == b' ' || c == b'\t',
            b"punct" => |c: u8| c.is_ascii_punctuation(),
            b"print" => |c: u8| (0x20..0x7f).contains(&c),
            b"graph" => |c: u8| (0x21..0x7f).contains(&c),
            b"cntrl" => |c: u8| c < 0x20 || c == 0x7f,
            b"xdigit" => |c: u8| c.is_ascii_hexdigit(),
            _ => return None,
        })
    }

    impl P<'_> {
        fn alts(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, Error> {
            let mut alts = Vec::new();
            let mut cur: Vec<Node> = Vec::new();
            loop {
                let start = cur.is_empty() || matches!(cur.last(), Some(Node::Bol));
                let Some(&c) = self.p.get(self.i) else {
                    if depth > 0 {
                        return Err(Error("Unmatched ( or \\("));
                    }
                    alts.push(cur);
                    return Ok(alts);
                };
                self.i += 1;
                match c {
                    b'\\' => {
                        let Some(&d) = self.p.get(self.i) else {
                            return Err(Error("Trailing backslash"));
                        };
                        self.i += 1;
                        match d {
                            b'(' => {
                                self.groups += 1;
                                let idx = self.groups;
                                let inner = self.alts(depth + 1)?;
                                self.closed.push(idx);
                                cur.push(Node::Group(idx, inner));
                            }
                            b')' => {
                                if depth == 0 {
                                    return Err(Error("Unmatched ) or \\)"));
                                }
                                alts.push(cur);
                                return Ok(alts);
                            }
                            b'|' => alts.push(std::mem::take(&mut cur)),
                            b'{' => {
                                if start {
                                    return Err(Error("Invalid preceding regular expression"));
                                }
                                let (min, max) = self.interval()?;
                                repeat(&mut cur, min, max);
                            }
                            b'+' | b'?' if !start => {
                                let max = if d == b'?' { Some(1) } else { None };
                                repeat(&mut cur, u32::from(d == b'+'), max);
                            }
                            b'1'..=b'9' => {
                                let n = usize::from(d - b'0');
                                if !self.closed.contains(&n) {
                                    return Err(Error("Invalid back reference"));
                                }
                                cur.push(Node::Backref(n));
                            }
                            b'w' | b'W' | b's' | b'S' => {
                                let mut set = [false; 256];
                                for (c, slot) in set.iter_mut().enumerate() {
                                    let c = c as u8;
                                    *slot = match d {
                                        b'w' => is_word(c),
                                        b'W' => !is_word(c),
                                        b's' => c.is_ascii_whitespace() || c == 0x0b,
                                        _ => !(c.is_ascii_whitespace() || c == 0x0b),
                                    };
                                }
                                cur.push(Node::Set(Box::new(set)));
                            }
                            b'<' => cur.push(Node::WordStart),
                            b'>' => cur.push(Node::WordEnd),
                            b'b' => cur.push(Node::WordBoundary(true)),
                            b'B' => cur.push(Node::WordBoundary(false)),
                            b'`' => cur.push(Node::Bol),
                            b'\'' => cur.push(Node::Eol),
                            _ => cur.push(Node::Byte(d)),
                        }
                    }
                    b'*' if !start => repeat(&mut cur, 0, None),
                    b'^' if cur.is_empty() => cur.push(Node::Bol),
                    b'$' => {
                        let rest = &self.p[self.i..];
                        if rest.is_empty() || rest.starts_with(b"\\)") || rest.starts_with(b"\\|") {
                            cur.push(Node::Eol);
                        } else {
                            cur.push(Node::Byte(b'$'));
                        }
                    }
                    b'.' => cur.push(Node::Any),
                    b'[' => {
                        let set = self.bracket()?;
                        cur.push(Node::Set(Box::new(set)));
                    }
                    _ => cur.push(Node::Byte(c)),
                }
            }
        }

        fn number(&mut self) -> Option<u32> {
            let s = self.i;
            while self.p.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            if s == self.i {
                return None;
            }
            std::str::from_utf8(&self.p[s..self.i])
                .ok()
                .and_then(|t| t.parse::<u32>().ok())
                .or(Some(u32::MAX))
        }

        fn interval(&mut self) -> Result<(u32, Option<u32>), Error> {
            let min = self.number();
            let max = if self.p.get(self.i) == Some(&b',') {
                self.i += 1;
                self.number()
            } else {
                Some(min.unwrap_or(0))
            };
            if !self.p[self.i..].starts_with(b"\\}") {
                if self.p[self.i..].windows(2).any(|w| w == b"\\}") {
                    return Err(Error("Invalid content of \\{\\}"));
                }
                return Err(Error("Unmatched \\{"));
            }
            self.i += 2;
            let min = min.unwrap_or(0);
            if max.is_some_and(|m| m < min) {
                return Err(Error("Invalid content of \\{\\}"));
            }
            if min > 32767 || max.is_some_and(|m| m > 32767) {
                return Err(Error("Regular expression too big"));
            }
            Ok((min, max))
        }

        fn bracket(&mut self) -> Result<[bool; 256], Error> {
            const UNMATCHED: Error = Error("Unmatched [, [^, [:, [., or [=");
            let mut set = [false; 256];
            let neg = self.p.get(self.i) == Some(&b'^');
            if neg {
                self.i += 1;
            }
            let mut first = true;
            loop {
                let Some(&c) = self.p.get(self.i) else {
                    return Err(UNMATCHED);
                };
                self.i += 1;
                if c == b']' && !first {
                    break;
                }
                first = false;
                let lo = if c == b'[' && matches!(self.p.get(self.i), Some(b':' | b'=' | b'.')) {
                    let kind = self.p[self.i];
                    self.i += 1;
                    let s = self.i;
                    loop {
                        if self.i + 1 >= self.p.len() {
                            return Err(UNMATCHED);
                        }
                        if self.p[self.i] == kind && self.p[self.i + 1] == b']' {
                            break;
                        }
                        self.i += 1;
                    }
                    let name = &self.p[s..self.i];
                    self.i += 2;
                    if kind == b':' {
                        let f = class(name).ok_or(Error("Invalid character class name"))?;
                        for (b, slot) in set.iter_mut().enumerate() {
                            if f(b as u8) {
                                *slot = true;
                            }
                        }
                        continue;
                    }
                    if name.len() != 1 {
                        return Err(Error("Invalid collation character"));
                    }
                    name[0]
                } else {
                    c
                };
                if self.p.get(self.i) == Some(&b'-')
                    && self.p.get(self.i + 1).is_some_and(|&x| x != b']')
                {
                    self.i += 1;
                    let mut hi = self.p[self.i];
                    self.i += 1;
                    if hi == b'[' && self.p.get(self.i) == Some(&b'.') {
                        let s = self.i + 1;
                        let e = self.p[s..]
                            .windows(2)
                            .position(|w| w == b".]")
                            .ok_or(UNMATCHED)?;
                        if e != 1 {
                            return Err(Error("Invalid collation character"));
                        }
                        hi = self.p[s];
                        self.i = s + e + 2;
                    }
                    if hi < lo {
                        return Err(Error("Invalid range end"));
                    }
                    for b in lo..=hi {
                        set[usize::from(b)] = true;
                    }
                } else {
                    set[usize::from(lo)] = true;
                }
            }
            if neg {
                for s in set.iter_mut() {
                    *s = !*s;
                }
            }
            Ok(set)
        }
    }

    fn repeat(cur: &mut Vec<Node>, min: u32, max: Option<u32>) {
        if let Some(last) = cur.pop() {
            cur.push(Node::Repeat(Box::new(last), min, max));
        }
    }

    type Caps = Vec<Option<(usize, usize)>>;

    struct M<'t> {
        t: &'t [u8],
        steps: u64,
        caps: Caps,
    }

    type K<'k, 't> = &'k mut dyn FnMut(&mut M<'t>, usize) -> bool;

    impl<'t> M<'t> {
        fn seq(&mut self, nodes: &[Node], pos: usize, k: K<'_, 't>) -> bool {
            self.steps += 1;
            if self.steps > STEP_LIMIT {
                return true;
            }
            let Some((first, rest)) = nodes.split_first() else {
                return k(self, pos);
            };
            let t = self.t;
            match first {
                Node::Byte(b) => t.get(pos) == Some(b) && self.seq(rest, pos + 1, k),
                Node::Any => pos < t.len() && self.seq(rest, pos + 1, k),
                Node::Set(s) => {
                    t.get(pos).is_some_and(|&c| s[usize::from(c)]) && self.seq(rest, pos + 1, k)
                }
                Node::Bol => pos == 0 && self.seq(rest, pos, k),
                Node::Eol => pos == t.len() && self.seq(rest, pos, k),
                Node::WordBoundary(want) => {
                    let a = pos > 0 && is_word(t[pos - 1]);
                    let b = pos < t.len() && is_word(t[pos]);
                    (a != b) == *want && self.seq(rest, pos, k)
                }
                Node::WordStart => {
                    let a = pos > 0 && is_word(t[pos - 1]);
                    let b = pos < t.len() && is_word(t[pos]);
                    !a && b && self.seq(rest, pos, k)
                }
                Node::WordEnd => {
                    let a = pos > 0 && is_word(t[pos - 1]);
                    let b = pos < t.len() && is_word(t[pos]);
                    a && !b && self.seq(rest, pos, k)
                }
                Node::Backref(n) => match self.caps.get(*n).copied().flatten() {
                    Some((a, b)) => {
                        let len = b - a;
                        t.len() >= pos + len
                            && t[pos..pos + len] == t[a..b]
                            && self.seq(rest, pos + len, k)
                    }
                    None => false,
                },
                Node::Group(idx, alts) => {
                    let idx = *idx;
                    for alt in alts {
                        let stop = self.seq(alt, pos, &mut |m: &mut M<'t>, p| {
                            let save = m.caps[idx];
                            m.caps[idx] = Some((pos, p));
                            let r = m.seq(rest, p, k);
                            m.caps[idx] = save;
                            r
                        });
                        if stop {
                            return true;
                        }
                    }
                    false
                }
                Node::Repeat(node, min, max) => self.rep(node, *min, *max, 0, pos, rest, k),
            }
        }

        #[allow(clippy::too_many_arguments)]
        fn rep(
            &mut self,
            node: &Node,
            min: u32,
            max: Option<u32>,
            count: u32,
            pos: usize,
            rest: &[Node],
            k: K<'_, 't>,
        ) -> bool {
            if max.is_none_or(|m| count < m) {
                let stop = self.seq(std::slice::from_ref(node), pos, &mut |m: &mut M<'t>, p| {
                    if p == pos && count >= min {
                        return false;
                    }
                    m.rep(node, min, max, count + 1, p, rest, k)
                });
                if stop {
                    return true;
                }
            }
            count >= min && self.seq(rest, pos, k)
        }
    }

    impl Regex {
        /// Compile `pat`.
        pub fn new(pat: &[u8]) -> Result<Regex, Error> {
            let mut p = P {
                p: pat,
                i: 0,
                groups: 0,
                closed: Vec::new(),
            };
            let alts = p.alts(0)?;
            Ok(Regex {
                alts,
                groups: p.groups,
            })
        }

        /// The longest match starting at offset 0: entry 0 is the whole match, then the
        /// groups.
        pub fn match_start(&self, t: &[u8]) -> Option<Caps> {
            let mut m = M {
                t,
                steps: 0,
                caps: vec![None; self.groups + 1],
            };
            let mut best: Option<Caps> = None;
            for alt in &self.alts {
                m.seq(alt, 0, &mut |m: &mut M<'_>, p| {
                    if best
                        .as_ref()
                        .is_none_or(|b| b[0].is_some_and(|(_, e)| p > e))
                    {
                        let mut c = m.caps.clone();
                        c[0] = Some((0, p));
                        best = Some(c);
                    }
                    p == m.t.len()
                });
            }
            best
        }
    }
}

const HELP: &str = r#"Usage: expr EXPRESSION
  or:  expr OPTION

      --help        display this help and exit
      --version     output version information and exit

Print the value of EXPRESSION to standard output.  A blank line below
separates increasing precedence groups.  EXPRESSION may be:

  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2

  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0

  ARG1 < ARG2       ARG1 is less than ARG2
  ARG1 <= ARG2      ARG1 is less than or equal to ARG2
  ARG1 = ARG2       ARG1 is equal to ARG2
  ARG1 != ARG2      ARG1 is unequal to ARG2
  ARG1 >= ARG2      ARG1 is greater than or equal to ARG2
  ARG1 > ARG2       ARG1 is greater than ARG2

  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2
  ARG1 - ARG2       arithmetic difference of ARG1 and ARG2

  ARG1 * ARG2       arithmetic product of ARG1 and ARG2
  ARG1 / ARG2       arithmetic quotient of ARG1 divided by ARG2
  ARG1 % ARG2       arithmetic remainder of ARG1 divided by ARG2

  STRING : REGEXP   anchored pattern match of REGEXP in STRING

  match STRING REGEXP        same as STRING : REGEXP
  substr STRING POS LENGTH   substring of STRING, POS counted from 1
  index STRING CHARS         index in STRING where any CHARS is found, or 0
  length STRING              length of STRING
  + TOKEN                    interpret TOKEN as a string, even if it is a
                               keyword like 'match' or an operator like '/'

  ( EXPRESSION )             value of EXPRESSION

Beware that many operators need to be escaped or quoted for shells.
Comparisons are arithmetic if both ARGs are numbers, else lexicographical.
Pattern matches return the string matched between \( and \) or null; if
\( and \) are not used, they return the number of characters matched or 0.

Exit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null
or 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/expr>
or available locally via: info '(coreutils) expr invocation'
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    fn ex(args: &[&str]) -> (String, String, i32) {
        let mut v = vec!["expr"];
        v.extend_from_slice(args);
        run(&Expr, &v, b"")
    }

    #[test]
    fn arithmetic_and_match() {
        assert_eq!(ex(&["1", "+", "2"]).0, "3\n");
        assert_eq!(ex(&["-5", "%", "3"]).0, "-2\n");
        assert_eq!(ex(&["abc", ":", "a\\(.\\)"]).0, "b\n");
        assert_eq!(ex(&["abab", ":", "\\(ab\\)\\1"]).0, "ab\n");
        assert_eq!(ex(&["aaa", ":", "a*"]).0, "3\n");
        assert_eq!(ex(&["abc", ":", "a\\|ab"]).0, "2\n");
        assert_eq!(ex(&["0"]).2, 1);
        assert_eq!(ex(&["1", "/", "0"]).1, "expr: division by zero\n");
        assert_eq!(
            ex(&["1", "2"]).1,
            "expr: syntax error: unexpected argument '2'\n"
        );
        assert_eq!(ex(&["a", ":", "\\("]).1, "expr: Unmatched ( or \\(\n");
        assert_eq!(ex(&["substr", "hello", "2", "3"]).0, "ell\n");
        assert_eq!(ex(&["index", "hello", "lo"]).0, "3\n");
    }
}

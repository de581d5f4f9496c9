//! Parsing `find`'s command line: the leading `-H -L -P` options, the starting points,
//! and the expression (tests, actions, options and operators) into a [`Node`] tree,
//! with GNU findutils 4.9.0's error messages.

use crate::pattern::{Pattern, PatternOptions};
use crate::posix_regex::{Options as ReOptions, Regex, Syntax};
use vfs_core::{Metadata, Timestamp, Vfs};

use super::printf::{Seg, parse_format};

/// How symbolic links are followed (`-P`, `-H`, `-L`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Follow {
    /// Never (`-P`, the default).
    Never,
    /// Only the starting points (`-H`).
    CmdLine,
    /// Always (`-L`, `-follow`).
    Always,
}

/// `+N`, `-N` or `N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    /// Less than N.
    Lt,
    /// Exactly N.
    Eq,
    /// More than N.
    Gt,
}

impl Cmp {
    /// Compare `v` with `n`.
    pub(super) fn test(self, v: u64, n: u64) -> bool {
        match self {
            Cmp::Lt => v < n,
            Cmp::Eq => v == n,
            Cmp::Gt => v > n,
        }
    }
}

/// Which timestamp a time test looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// Access time.
    A,
    /// Status change time.
    C,
    /// Modification time.
    M,
}

impl When {
    /// That timestamp of `m`.
    pub(super) fn of(self, m: &Metadata) -> Timestamp {
        match self {
            When::A => m.atime,
            When::C => m.ctime,
            When::M => m.mtime,
        }
    }
}

/// How `-perm` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PermKind {
    /// Exactly these bits.
    Exact,
    /// All of these bits (`-MODE`).
    All,
    /// Any of these bits (`/MODE`).
    Any,
}

/// Where an output action writes: 0 is stdout, others index the opened files.
pub(super) type OutId = usize;

/// A node of the expression tree.
pub(super) enum Node {
    /// `A -a B`.
    And(Box<Node>, Box<Node>),
    /// `A -o B`.
    Or(Box<Node>, Box<Node>),
    /// `A , B`.
    Comma(Box<Node>, Box<Node>),
    /// `! A`.
    Not(Box<Node>),
    /// `-true` and the options.
    True,
    /// `-false`.
    False,
    /// `-name`/`-iname`.
    Name(Glob),
    /// `-path`/`-ipath`/`-wholename`.
    Path(Glob),
    /// `-lname`/`-ilname`: the target of a symbolic link.
    LName(Glob),
    /// `-regex`/`-iregex`.
    Regex(Box<Regex>),
    /// `-type` (`x` false) or `-xtype` (`x` true): a bit mask of [`type_bit`]s.
    Type(u8, bool),
    /// `-size`: comparison, count, unit size in bytes.
    Size(Cmp, u64, u64),
    /// `-mtime` and friends: which time, comparison, reference time (seconds), window.
    Time(When, Cmp, f64, f64),
    /// `-newer` and friends: which time of the file, the reference time.
    Newer(When, Timestamp),
    /// `-empty`.
    Empty,
    /// `-perm`.
    Perm(PermKind, u32),
    /// `-uid`/`-user`.
    Uid(Cmp, u64),
    /// `-gid`/`-group`.
    Gid(Cmp, u64),
    /// `-nouser`.
    NoUser,
    /// `-nogroup`.
    NoGroup,
    /// `-readable` (4), `-writable` (2), `-executable` (1).
    Access(u8),
    /// `-links`.
    Links(Cmp, u64),
    /// `-inum`.
    Inum(Cmp, u64),
    /// `-samefile`.
    SameFile(u64),
    /// `-print` (`false`) / `-print0` (`true`), `-fprint`/`-fprint0`.
    Print(bool, OutId),
    /// `-printf`/`-fprintf`.
    Printf(Vec<Seg>, OutId),
    /// `-ls`/`-fls`.
    Ls(OutId),
    /// `-prune`.
    Prune,
    /// `-quit`.
    Quit,
    /// `-delete`.
    Delete,
    /// `-exec`/`-execdir`: the command words, `+` form, run in the file's directory,
    /// and the index of its batch.
    Exec(Vec<String>, bool, bool, usize),
    /// `-ok`/`-okdir`: the command words, run in the file's directory.
    Ok(Vec<String>, bool),
}

/// An `fnmatch` pattern (no special treatment of `/` or leading dots), with fast paths
/// for the usual shapes: `lit`, `*lit`, `lit*` and `*lit*`.
pub(super) enum Glob {
    /// The exact text.
    Exact(Vec<u8>, bool),
    /// `*text`.
    Suffix(Vec<u8>, bool),
    /// `text*`.
    Prefix(Vec<u8>, bool),
    /// `*text*`.
    Contains(Vec<u8>, bool),
    /// Anything else.
    General(Pattern),
}

impl Glob {
    /// Compile `pat` (`nocase` for `-iname`/`-ipath`).
    pub(super) fn new(pat: &[u8], nocase: bool) -> Glob {
        let special = |b: &u8| matches!(b, b'*' | b'?' | b'[' | b'\\');
        let lead = pat.first() == Some(&b'*');
        let trail = pat.len() > usize::from(lead) && pat.last() == Some(&b'*');
        let inner = &pat[usize::from(lead)..pat.len() - usize::from(trail)];
        if !inner.iter().any(special) {
            let lit = inner.to_vec();
            return match (lead, trail) {
                (false, false) => Glob::Exact(lit, nocase),
                (true, false) => Glob::Suffix(lit, nocase),
                (false, true) => Glob::Prefix(lit, nocase),
                (true, true) => Glob::Contains(lit, nocase),
            };
        }
        Glob::General(Pattern::new(
            pat,
            PatternOptions {
                nocase,
                ..Default::default()
            },
        ))
    }

    /// Does `s` match?
    pub(super) fn matches(&self, s: &[u8]) -> bool {
        let eq = |a: &[u8], b: &[u8], nc: bool| {
            if nc {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        match self {
            Glob::Exact(l, nc) => eq(s, l, *nc),
            Glob::Suffix(l, nc) => s.len() >= l.len() && eq(&s[s.len() - l.len()..], l, *nc),
            Glob::Prefix(l, nc) => s.len() >= l.len() && eq(&s[..l.len()], l, *nc),
            Glob::Contains(l, nc) => {
                l.is_empty() || (s.len() >= l.len() && s.windows(l.len()).any(|w| eq(w, l, *nc)))
            }
            Glob::General(p) => p.matches(s),
        }
    }
}

/// The file-type letters `-type` knows, as bits.
pub(super) fn type_bit(c: u8) -> Option<u8> {
    Some(match c {
        b'f' => 1,
        b'd' => 2,
        b'l' => 4,
        b'p' => 8,
        b's' => 16,
        b'b' => 32,
        b'c' => 64,
        b'D' => 128,
        _ => return None,
    })
}

/// Everything the command line says.
pub(super) struct Plan {
    /// Starting points.
    pub paths: Vec<String>,
    /// The expression (`None`: just print).
    pub expr: Node,
    /// Symlink following.
    pub follow: Follow,
    /// `-maxdepth`.
    pub maxdepth: usize,
    /// `-mindepth`.
    pub mindepth: usize,
    /// `-depth` (or implied by `-delete`).
    pub depth_first: bool,
    /// Files opened by `-fprint` and friends.
    pub files: Vec<String>,
    /// Number of `-exec ... +` batches.
    pub batches: usize,
    /// `-help` or `-version` seen: print that and stop.
    pub info: Option<&'static str>,
    /// Warnings to print before running.
    pub warnings: Vec<String>,
}

fn looks_like_expression(a: &str, leading: bool) -> bool {
    let b = a.as_bytes();
    match b.first() {
        Some(b'-') => b.len() > 1,
        Some(b')') | Some(b',') => b.len() == 1 && !leading,
        Some(b'(') | Some(b'!') => b.len() == 1,
        _ => false,
    }
}

struct Parser<'a> {
    args: &'a [String],
    i: usize,
    vfs: &'a Vfs,
    now: Timestamp,
    day_origin: f64,
    follow: Follow,
    maxdepth: Option<usize>,
    mindepth: usize,
    depth: bool,
    explicit_depth: bool,
    has_action: bool,
    has_delete: bool,
    has_prune: bool,
    regex_syntax: Syntax,
    files: Vec<String>,
    batches: usize,
    info: Option<&'static str>,
    warnings: Vec<String>,
}

type R<T> = Result<T, String>;

/// Parse `args` (without the command name).
pub(super) fn parse(args: &[String], vfs: &Vfs) -> R<Plan> {
    let mut i = 0;
    let mut follow = Follow::Never;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-H" => follow = Follow::CmdLine,
            "-L" => follow = Follow::Always,
            "-P" => follow = Follow::Never,
            "--" => {
                i += 1;
                break;
            }
            "-D" => {
                i += 1;
                if args.get(i).is_none() {
                    return Err("Missing argument after the -D option.".into());
                }
            }
            s if s.starts_with("-O") && s[2..].bytes().all(|b| b.is_ascii_digit()) => {}
            _ => break,
        }
        i += 1;
    }
    let mut paths = Vec::new();
    while let Some(a) = args.get(i) {
        if looks_like_expression(a, true) {
            break;
        }
        paths.push(a.clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(".".into());
    }
    let now = vfs.now();
    let mut p = Parser {
        args,
        i,
        vfs,
        now,
        day_origin: now.sec as f64 + f64::from(now.nsec) / 1e9,
        follow,
        maxdepth: None,
        mindepth: 0,
        depth: false,
        explicit_depth: false,
        has_action: false,
        has_delete: false,
        has_prune: false,
        regex_syntax: Syntax::Emacs,
        files: Vec::new(),
        batches: 0,
        info: None,
        warnings: Vec::new(),
    };
    let expr = if p.i < args.len() {
        let e = p.expr()?;
        if let Some(t) = args.get(p.i) {
            if t == ")" {
                return Err("you have too many ')'".into());
            }
            return Err(format!("paths must precede expression: `{t}'"));
        }
        Some(e)
    } else {
        None
    };
    if p.has_delete && p.has_prune && !p.explicit_depth {
        return Err("The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.".into());
    }
    let expr = match expr {
        None => Node::Print(false, 0),
        Some(e) if !p.has_action => Node::And(Box::new(e), Box::new(Node::Print(false, 0))),
        Some(e) => e,
    };
    Ok(Plan {
        paths,
        expr,
        follow: p.follow,
        maxdepth: p.maxdepth.unwrap_or(usize::MAX),
        mindepth: p.mindepth,
        depth_first: p.depth || p.has_delete,
        files: p.files,
        batches: p.batches,
        info: p.info,
        warnings: p.warnings,
    })
}

fn is_binary(t: &str) -> bool {
    matches!(t, "-o" | "-or" | "-a" | "-and" | ",")
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(String::as_str)
    }

    fn expr(&mut self) -> R<Node> {
        let mut left = self.or()?;
        while self.peek() == Some(",") {
            self.i += 1;
            self.check_operand(",")?;
            let right = self.or()?;
            left = Node::Comma(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn or(&mut self) -> R<Node> {
        let first = self.and()?;
        self.or_rest(first)
    }

    fn or_rest(&mut self, mut left: Node) -> R<Node> {
        while let Some(t @ ("-o" | "-or")) = self.peek() {
            let t = t.to_string();
            self.i += 1;
            self.check_operand(&t)?;
            let right = self.and()?;
            left = Node::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> R<Node> {
        let first = self.unary()?;
        self.and_rest(first)
    }

    fn and_rest(&mut self, mut left: Node) -> R<Node> {
        loop {
            match self.peek() {
                None | Some(")") | Some("-o") | Some("-or") | Some(",") => return Ok(left),
                Some(t @ ("-a" | "-and")) => {
                    let t = t.to_string();
                    self.i += 1;
                    self.check_operand(&t)?;
                    let right = self.unary()?;
                    left = Node::And(Box::new(left), Box::new(right));
                }
                Some(_) => {
                    let right = self.unary()?;
                    left = Node::And(Box::new(left), Box::new(right));
                }
            }
        }
    }

    /// Check that an operand follows the binary operator `op`.
    fn check_operand(&self, op: &str) -> R<()> {
        match self.peek() {
            None => Err(format!("expected an expression after '{op}'")),
            Some(")") => Err(format!("expected an expression between '{op}' and ')'")),
            Some(t) if is_binary(t) => Err(format!(
                "invalid expression; you have used a binary operator '{t}' with nothing before it."
            )),
            Some(_) => Ok(()),
        }
    }

    fn unary(&mut self) -> R<Node> {
        let Some(t) = self.peek() else {
            return Err("invalid expression".into());
        };
        let t = t.to_string();
        match t.as_str() {
            "!" | "-not" => {
                self.i += 1;
                match self.peek() {
                    None => Err(format!("expected an expression after '{t}'")),
                    Some(")") => Err(format!("expected an expression between '{t}' and ')'")),
                    Some(b) if is_binary(b) => Err(format!(
                        "invalid expression; you have used a binary operator '{b}' with nothing before it."
                    )),
                    Some(_) => Ok(Node::Not(Box::new(self.unary()?))),
                }
            }
            "(" => {
                self.i += 1;
                if self.peek() == Some(")") {
                    return Err("invalid expression; empty parentheses are not allowed.".into());
                }
                if self.peek().is_none() {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".into());
                }
                let e = self.expr()?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".into());
                }
                self.i += 1;
                Ok(e)
            }
            ")" => Err("you have too many ')'".into()),
            b if is_binary(b) => Err(format!(
                "invalid expression; you have used a binary operator '{b}' with nothing before it."
            )),
            _ => {
                self.i += 1;
                self.primary(&t)
            }
        }
    }

    fn arg(&mut self, pred: &str) -> R<String> {
        match self.args.get(self.i) {
            Some(a) => {
                self.i += 1;
                Ok(a.clone())
            }
            None => Err(format!("missing argument to `{pred}'")),
        }
    }

    fn stat_ref(&self, f: &str) -> R<Metadata> {
        let r = if self.follow == Follow::Never {
            self.vfs.lstat(f)
        } else {
            self.vfs.stat(f).or_else(|_| self.vfs.lstat(f))
        };
        r.map_err(|e| format!("{}: {}", super::q(f), e.errno().message()))
    }

    fn primary(&mut self, t: &str) -> R<Node> {
        if !t.starts_with('-') || t.len() < 2 {
            return Err(format!("paths must precede expression: `{t}'"));
        }
        let name = &t[1..];
        Ok(match name {
            "true" => Node::True,
            "false" => Node::False,
            "name" | "iname" => {
                let a = self.arg(t)?;
                Node::Name(Glob::new(a.as_bytes(), name == "iname"))
            }
            "path" | "wholename" | "ipath" | "iwholename" => {
                let a = self.arg(t)?;
                Node::Path(Glob::new(a.as_bytes(), name.starts_with('i')))
            }
            "lname" | "ilname" => {
                let a = self.arg(t)?;
                Node::LName(Glob::new(a.as_bytes(), name == "ilname"))
            }
            "regex" | "iregex" => {
                let a = self.arg(t)?;
                let opts = ReOptions {
                    syntax: self.regex_syntax,
                    icase: name == "iregex",
                    ..Default::default()
                };
                match Regex::new(a.as_bytes(), &opts) {
                    Ok(r) => Node::Regex(Box::new(r)),
                    Err(e) => {
                        return Err(format!(
                            "failed to compile regular expression {}: {}",
                            super::q(&a),
                            e.message
                        ));
                    }
                }
            }
            "regextype" => {
                let a = self.arg(t)?;
                self.regex_syntax = match a.as_str() {
                    "emacs" | "findutils-default" => Syntax::Emacs,
                    "posix-basic" | "ed" | "sed" | "grep" | "posix-minimal-basic" => Syntax::Basic,
                    "posix-extended" | "egrep" | "posix-egrep" => Syntax::Extended,
                    "awk" | "posix-awk" | "gnu-awk" => Syntax::Awk,
                    _ => {
                        return Err(format!(
                            "Unknown regular expression type {}; valid types are 'findutils-default', 'ed', 'emacs', 'gnu-awk', 'grep', 'posix-awk', 'awk', 'posix-basic', 'posix-egrep', 'egrep', 'posix-extended', 'posix-minimal-basic', 'sed'.",
                            super::q(&a)
                        ));
                    }
                };
                Node::True
            }
            "type" | "xtype" => {
                let a = self.arg(t)?;
                Node::Type(parse_types(&a, t)?, name == "xtype")
            }
            "size" => {
                let a = self.arg(t)?;
                let (cmp, rest) = comp(&a);
                let last = a.as_bytes().last().copied().unwrap_or(b'0');
                let (num, unit) = match last {
                    b'0'..=b'9' => (rest, 512),
                    b'b' => (&rest[..rest.len().saturating_sub(1)], 512),
                    b'c' => (&rest[..rest.len().saturating_sub(1)], 1),
                    b'w' => (&rest[..rest.len().saturating_sub(1)], 2),
                    b'k' => (&rest[..rest.len().saturating_sub(1)], 1024),
                    b'M' => (&rest[..rest.len().saturating_sub(1)], 1 << 20),
                    b'G' => (&rest[..rest.len().saturating_sub(1)], 1 << 30),
                    _ => {
                        return Err(format!("invalid -size type `{}'", char::from(last)));
                    }
                };
                let n: u64 = if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                    num.parse()
                        .map_err(|_| format!("Invalid argument `{a}' to -size"))?
                } else {
                    return Err(format!("Invalid argument `{a}' to -size"));
                };
                Node::Size(cmp, n, unit)
            }
            "mtime" | "atime" | "ctime" | "mmin" | "amin" | "cmin" => {
                let a = self.arg(t)?;
                let (cmp, rest) = comp(&a);
                let v: f64 = rest
                    .parse()
                    .ok()
                    .filter(|v: &f64| {
                        v.is_finite() && !rest.is_empty() && !rest.starts_with(['+', '-'])
                    })
                    .ok_or_else(|| format!("invalid argument `{a}' to `{t}'"))?;
                let window = if name.ends_with("min") {
                    60.0
                } else {
                    86_400.0
                };
                let origin = if name.ends_with("min") {
                    self.now.sec as f64 + f64::from(self.now.nsec) / 1e9
                } else {
                    self.day_origin
                };
                let when = match name.as_bytes()[0] {
                    b'a' => When::A,
                    b'c' => When::C,
                    _ => When::M,
                };
                Node::Time(when, cmp, origin - v * window, window)
            }
            "newer" | "anewer" | "cnewer" => {
                let a = self.arg(t)?;
                let m = self.stat_ref(&a)?;
                let when = match name.as_bytes()[0] {
                    b'a' => When::A,
                    b'c' => When::C,
                    _ => When::M,
                };
                Node::Newer(when, m.mtime)
            }
            n if n.starts_with("newer") && n.len() == 7 => {
                let a = self.arg(t)?;
                let b = n.as_bytes();
                let pick = |c: u8| match c {
                    b'a' => Some(When::A),
                    b'c' => Some(When::C),
                    b'm' => Some(When::M),
                    _ => None,
                };
                let Some(x) = pick(b[5]) else {
                    return Err(format!("invalid predicate `{t}'"));
                };
                if b[6] == b't' {
                    let ts = parse_date(&a).ok_or_else(|| {
                        format!(
                            "I cannot figure out how to interpret {} as a date or time",
                            super::q(&a)
                        )
                    })?;
                    Node::Newer(x, ts)
                } else {
                    let Some(y) = pick(b[6]) else {
                        return Err(format!("invalid predicate `{t}'"));
                    };
                    let m = self.stat_ref(&a)?;
                    Node::Newer(x, y.of(&m))
                }
            }
            "empty" => Node::Empty,
            "perm" => {
                let a = self.arg(t)?;
                let (kind, m) = match a.as_bytes().first() {
                    Some(b'-') => (PermKind::All, &a[1..]),
                    Some(b'/') => (PermKind::Any, &a[1..]),
                    _ => (PermKind::Exact, a.as_str()),
                };
                let spec = crate::commands::reg_files::mode::parse_mode(m)
                    .ok_or_else(|| format!("invalid mode {}", super::q(&a)))?;
                let bits = crate::commands::reg_files::mode::apply(&spec, 0, false, 0);
                if kind == PermKind::Any && bits == 0 {
                    self.warnings.push(format!("warning: you have specified a mode pattern {a} (which is equivalent to /000). The meaning of -perm /000 has now been changed to be consistent with -perm -000; that is, while it used to match no files, it now matches all files."));
                }
                Node::Perm(kind, bits)
            }
            "user" | "group" => {
                let a = self.arg(t)?;
                let id = if a == "root" {
                    0
                } else if !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()) {
                    a.parse::<u64>()
                        .map_err(|_| format!("invalid argument `{a}' to `{t}'"))?
                } else if name == "user" {
                    return Err(format!("{} is not the name of a known user", super::q(&a)));
                } else {
                    return Err(format!(
                        "{} is not the name of an existing group",
                        super::q(&a)
                    ));
                };
                if name == "user" {
                    Node::Uid(Cmp::Eq, id)
                } else {
                    Node::Gid(Cmp::Eq, id)
                }
            }
            "uid" | "gid" | "links" | "inum" => {
                let a = self.arg(t)?;
                let (cmp, rest) = comp(&a);
                let n: u64 = if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                    rest.parse()
                        .map_err(|_| format!("invalid argument `{a}' to `{t}'"))?
                } else {
                    return Err(format!("invalid argument `{a}' to `{t}'"));
                };
                match name {
                    "uid" => Node::Uid(cmp, n),
                    "gid" => Node::Gid(cmp, n),
                    "links" => Node::Links(cmp, n),
                    _ => Node::Inum(cmp, n),
                }
            }
            "nouser" => Node::NoUser,
            "nogroup" => Node::NoGroup,
            "readable" => Node::Access(4),
            "writable" => Node::Access(2),
            "executable" => Node::Access(1),
            "samefile" => {
                let a = self.arg(t)?;
                let m = self.stat_ref(&a)?;
                Node::SameFile(m.ino)
            }
            "maxdepth" | "mindepth" => {
                let a = self.arg(t)?;
                let n: usize = if !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()) {
                    a.parse().unwrap_or(usize::MAX)
                } else {
                    return Err(format!(
                        "Expected a positive decimal integer argument to {t}, but got {}",
                        super::q(&a)
                    ));
                };
                if name == "maxdepth" {
                    self.maxdepth = Some(n);
                } else {
                    self.mindepth = n;
                }
                Node::True
            }
            "depth" | "d" => {
                self.depth = true;
                self.explicit_depth = true;
                Node::True
            }
            "follow" => {
                self.follow = Follow::Always;
                Node::True
            }
            "daystart" => {
                let s = self.now.sec;
                self.day_origin = (s - s.rem_euclid(86_400) + 86_400) as f64;
                Node::True
            }
            "xdev"
            | "mount"
            | "noleaf"
            | "ignore_readdir_race"
            | "noignore_readdir_race"
            | "warn"
            | "nowarn" => Node::True,
            "help" => {
                self.info = Some("help");
                Node::True
            }
            "version" => {
                self.info = Some("version");
                Node::True
            }
            "print" | "print0" => {
                self.has_action = true;
                Node::Print(name == "print0", 0)
            }
            "fprint" | "fprint0" | "fls" => {
                let f = self.arg(t)?;
                self.has_action = true;
                let id = self.file(f);
                if name == "fls" {
                    Node::Ls(id)
                } else {
                    Node::Print(name == "fprint0", id)
                }
            }
            "printf" => {
                let f = self.arg(t)?;
                self.has_action = true;
                Node::Printf(parse_format(&f, &mut self.warnings)?, 0)
            }
            "fprintf" => {
                let file = self.arg(t)?;
                let f = self.arg(t)?;
                self.has_action = true;
                let id = self.file(file);
                Node::Printf(parse_format(&f, &mut self.warnings)?, id)
            }
            "ls" => {
                self.has_action = true;
                Node::Ls(0)
            }
            "prune" => {
                self.has_prune = true;
                Node::Prune
            }
            "quit" => Node::Quit,
            "delete" => {
                self.has_action = true;
                self.has_delete = true;
                Node::Delete
            }
            "exec" | "execdir" | "ok" | "okdir" => {
                let start = self.i;
                let mut end = None;
                let mut plus = false;
                let mut j = start;
                while let Some(a) = self.args.get(j) {
                    if a == ";" {
                        end = Some(j);
                        break;
                    }
                    if a == "+" && j > start && self.args[j - 1] == "{}" {
                        end = Some(j);
                        plus = true;
                        break;
                    }
                    j += 1;
                }
                let Some(end) = end else {
                    return Err(format!("missing argument to `{t}'"));
                };
                if end == start {
                    return Err(format!("missing argument to `{t}'"));
                }
                let words = self.args[start..end].to_vec();
                if name.starts_with("ok") {
                    // `-ok` ends only at `;`.
                    if plus {
                        return Err(format!("missing argument to `{t}'"));
                    }
                    self.i = end + 1;
                    self.has_action = true;
                    return Ok(Node::Ok(words, name == "okdir"));
                }
                if plus && words[..words.len() - 1].iter().any(|w| w.contains("{}")) {
                    return Err(format!(
                        "Only one instance of {{}} is supported with {t} ... +"
                    ));
                }
                self.i = end + 1;
                self.has_action = true;
                let id = self.batches;
                self.batches += 1;
                Node::Exec(words, plus, name == "execdir", id)
            }
            "fstype" | "context" | "used" | "lname_" => {
                let _ = self.arg(t)?;
                return Err(format!("{t}: not supported"));
            }
            _ => return Err(format!("unknown predicate `{t}'")),
        })
    }

    fn file(&mut self, f: String) -> OutId {
        if f == "/dev/stdout" && self.vfs.lstat("/dev/stdout").is_err() {
            return 0;
        }
        if let Some(k) = self.files.iter().position(|x| *x == f) {
            return k + 1;
        }
        self.files.push(f);
        self.files.len()
    }
}

fn comp(a: &str) -> (Cmp, &str) {
    if let Some(r) = a.strip_prefix('+') {
        (Cmp::Gt, r)
    } else if let Some(r) = a.strip_prefix('-') {
        (Cmp::Lt, r)
    } else {
        (Cmp::Eq, a)
    }
}

fn parse_types(a: &str, t: &str) -> R<u8> {
    let b = a.as_bytes();
    if b.is_empty() {
        return Err(format!(
            "Arguments to {t} should contain at least one letter"
        ));
    }
    let mut mask = 0u8;
    let mut k = 0;
    while k < b.len() {
        let c = b[k];
        let Some(bit) = type_bit(c) else {
            return Err(format!("Unknown argument to {t}: {}", char::from(c)));
        };
        if mask & bit != 0 {
            return Err(format!(
                "Duplicate file type '{}' in the argument list to {t}.",
                char::from(c)
            ));
        }
        mask |= bit;
        k += 1;
        if k < b.len() {
            if b[k] != b',' {
                return Err(format!(
                    "Must separate multiple arguments to {t} using: ','"
                ));
            }
            k += 1;
            if k == b.len() {
                return Err(format!(
                    "Last file type in list argument to {t} is missing, i.e., list is ending on: ','"
                ));
            }
        }
    }
    Ok(mask)
}

/// A `-newerXt` date: `@SECONDS`, `YYYY-MM-DD`, `YYYY-MM-DD[ T]HH:MM[:SS[.frac]]`
/// (UTC, optionally with a trailing `Z`/` UTC`).
fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Some(r) = s.strip_prefix('@') {
        let (i, f) = r.split_once('.').unwrap_or((r, ""));
        let sec: i64 = i.parse().ok()?;
        return Some(Timestamp::new(sec, frac_ns(f)?));
    }
    let s = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s);
    let (date, time) = match s.find([' ', 'T']) {
        Some(k) => (&s[..k], s[k + 1..].trim()),
        None => (s, ""),
    };
    let mut d = date.split('-');
    let y: i64 = d.next()?.parse().ok()?;
    let m: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    if !(-100_000..=100_000).contains(&y) {
        return None;
    }
    let (mut hh, mut mm, mut ss, mut ns) = (0i64, 0i64, 0i64, 0u32);
    if !time.is_empty() {
        let mut t = time.split(':');
        hh = t.next()?.parse().ok()?;
        mm = t.next()?.parse().ok()?;
        if let Some(sec) = t.next() {
            let (i, f) = sec.split_once('.').unwrap_or((sec, ""));
            ss = i.parse().ok()?;
            ns = frac_ns(f)?;
        }
        if t.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
    }
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Timestamp::new(days * 86_400 + hh * 3600 + mm * 60 + ss, ns))
}

fn frac_ns(f: &str) -> Option<u32> {
    if !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ns = 0u32;
    for k in 0..9 {
        ns = ns * 10 + f.as_bytes().get(k).map_or(0, |b| u32::from(b - b'0'));
    }
    Some(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2020-03-04").map(|t| t.sec), Some(1_583_280_000));
        assert_eq!(
            parse_date("2020-03-04 05:06:07.5"),
            Some(Timestamp::new(1_583_298_367, 500_000_000))
        );
        assert_eq!(parse_date("@12").map(|t| t.sec), Some(12));
        assert!(parse_date("garbage").is_none());
        assert!(parse_date("2020-13-01").is_none());
    }

    #[test]
    fn globs() {
        assert!(Glob::new(b"*.rs", false).matches(b"a.rs"));
        assert!(!Glob::new(b"*.rs", false).matches(b"a.rS"));
        assert!(Glob::new(b"*.rs", true).matches(b"A.RS"));
        assert!(Glob::new(b"ab*", false).matches(b"abc"));
        assert!(Glob::new(b"*b*", false).matches(b"abc"));
        assert!(Glob::new(b"*", false).matches(b".x"));
        assert!(Glob::new(b"a?c", false).matches(b"abc"));
        assert!(Glob::new(b"a\\*", false).matches(b"a*"));
        assert!(!Glob::new(b"a\\*", false).matches(b"ab"));
    }
}

//! Compiling a sed script, following GNU sed 4.9's `compile.c` step by step: the same
//! tokenizing rules (`inchar`/`savchar`, blanks, labels, `a`/`i`/`c` text), the same
//! checks in the same order, and the same error texts and character positions.

use std::collections::HashMap;

use crate::posix_regex::{Options as ReOptions, Regex, Syntax};

/// One address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr {
    /// A line number (0 only as `0,/re/`).
    Line(u64),
    /// `$`.
    Last,
    /// `/re/`: an index into [`Script::regexes`], `None` for the empty regex (the last
    /// one used).
    Re(Option<usize>),
    /// `first~step`.
    Step(u64, u64),
    /// `addr1,+N`.
    Plus(u64),
    /// `addr1,~N`.
    Mult(u64),
}

/// How one piece of an `s` replacement changes case (GNU's `repl_type` bits).
pub const REPL_UPPER: u8 = 1;
/// `\L`.
pub const REPL_LOWER: u8 = 2;
/// `\u`.
pub const REPL_UPPER_FIRST: u8 = 4;
/// `\l`.
pub const REPL_LOWER_FIRST: u8 = 8;
/// The one-shot modifiers.
pub const REPL_MODIFIERS: u8 = REPL_UPPER_FIRST | REPL_LOWER_FIRST;

/// One piece of a replacement: literal text, then optionally a group (`&` is 0).
#[derive(Clone, Debug)]
pub struct Piece {
    /// Literal text before the reference.
    pub prefix: Vec<u8>,
    /// The group, if any.
    pub group: Option<usize>,
    /// Case conversion.
    pub repl_type: u8,
}

/// An `s` command.
#[derive(Debug)]
pub struct Subst {
    /// The regex (index into [`Script::regexes`]), `None` for the last one used.
    pub re: Option<usize>,
    /// The replacement.
    pub pieces: Vec<Piece>,
    /// Whether any piece refers to a group other than 0 or changes case.
    pub needs_groups: bool,
    /// `g`.
    pub global: bool,
    /// `p`.
    pub print: bool,
    /// `N` (1 when not given).
    pub nth: u64,
    /// `w FILE`: an index into [`Script::wfiles`].
    pub wfile: Option<usize>,
    /// `e`: run the result as a shell command and take its output.
    pub eval: bool,
}

/// What a command does.
#[derive(Debug)]
pub enum Kind {
    /// `{`: where its `}` is.
    Block(usize),
    /// `}`.
    EndBlock,
    /// `:label` (nothing to do).
    Label,
    /// `=`.
    LineNo,
    /// `e COMMAND` (output before the pattern space) or `e` (run the pattern space).
    Exec(Vec<u8>),
    /// `a` text.
    Append(Vec<u8>),
    /// `i` text.
    Insert(Vec<u8>),
    /// `c` text.
    Change(Vec<u8>),
    /// `b`: target command index (`None`: end of script).
    Branch(Option<usize>),
    /// `t`.
    BranchIf(Option<usize>),
    /// `T`.
    BranchUnless(Option<usize>),
    /// `d`.
    Delete,
    /// `D`.
    DeleteFirst,
    /// `F`.
    FileName,
    /// `g`.
    Get,
    /// `G`.
    GetAppend,
    /// `h`.
    Hold,
    /// `H`.
    HoldAppend,
    /// `l` with its line length (`None`: the `-l` value).
    List(Option<usize>),
    /// `n`.
    Next,
    /// `N`.
    NextAppend,
    /// `p`.
    Print,
    /// `P`.
    PrintFirst,
    /// `q` with exit status.
    Quit(i32),
    /// `Q` with exit status.
    QuitSilent(i32),
    /// `r FILE`.
    ReadFile(String),
    /// `R FILE`: an index into [`Script::rfiles`].
    ReadLine(usize),
    /// `s`.
    Subst(Box<Subst>),
    /// `w FILE`.
    Write(usize),
    /// `W FILE`.
    WriteFirst(usize),
    /// `x`.
    Exchange,
    /// `y`.
    Translate(Box<[u8; 256]>),
    /// `z`.
    Zap,
}

/// Whether a range is in progress (GNU's `range_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// Not in a range.
    Inactive,
    /// Inside a range.
    Active,
}

/// One compiled command.
#[derive(Debug)]
pub struct Cmd {
    /// First address.
    pub a1: Option<Addr>,
    /// Second address.
    pub a2: Option<Addr>,
    /// `!`.
    pub bang: bool,
    /// The command.
    pub kind: Kind,
    /// Range state at run time.
    pub range: Range,
    /// Last line of a numeric range end.
    pub range_end: u64,
}

/// A compiled script.
#[derive(Debug, Default)]
pub struct Script {
    /// The commands.
    pub cmds: Vec<Cmd>,
    /// The regexes they use.
    pub regexes: Vec<Regex>,
    /// For each regex that is a plain string (no special characters, no `I`): a
    /// substring searcher, much faster than the regex engine on short lines.
    pub literals: Vec<Option<memchr::memmem::Finder<'static>>>,
    /// Files written by `w`, `W` and `s///w`, in order of appearance.
    pub wfiles: Vec<String>,
    /// Files read by `R`.
    pub rfiles: Vec<String>,
    /// `#n` on the first line.
    pub quiet: bool,
}

/// Settings that affect compilation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    /// `-E`.
    pub extended: bool,
    /// `--posix`.
    pub posix: bool,
    /// `--sandbox`.
    pub sandbox: bool,
}

/// A compile error: the message as printed after `sed: `, and the exit status.
#[derive(Debug)]
pub struct CompileError {
    /// Full message (bytes: an unknown command may be any byte).
    pub message: Vec<u8>,
    /// Exit status.
    pub status: i32,
}

/// Where a chunk of script came from, for messages.
#[derive(Clone, Debug)]
pub enum Source {
    /// The Nth `-e` (or the script operand).
    Expr(usize),
    /// A `-f` file.
    File(String),
}

#[derive(Clone, Debug)]
struct ErrInfo {
    source: Source,
    line: u64,
}

/// Compilation that spans several `-e`/`-f` chunks.
pub struct Compiler {
    settings: Settings,
    script: Script,
    blocks: Vec<(usize, ErrInfo)>,
    labels: HashMap<Vec<u8>, usize>,
    jumps: Vec<(usize, Vec<u8>)>,
    pending_text: Option<(usize, Vec<u8>)>,
    first: bool,
    last_info: Option<ErrInfo>,
}

const BLANK: [u8; 2] = [b' ', b'\t'];

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 11 | 12 | b'\r')
}

struct P<'a> {
    s: &'a [u8],
    pos: usize,
    line: u64,
    source: Source,
}

impl P<'_> {
    fn inchar(&mut self) -> Option<u8> {
        let c = *self.s.get(self.pos)?;
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }
    fn savchar(&mut self, c: Option<u8>) {
        if let Some(c) = c {
            self.pos = self.pos.saturating_sub(1);
            if c == b'\n' && self.line > 0 {
                self.line -= 1;
            }
        }
    }
    fn in_nonblank(&mut self) -> Option<u8> {
        loop {
            let c = self.inchar();
            match c {
                Some(b) if BLANK.contains(&b) => {}
                _ => return c,
            }
        }
    }
    fn in_integer(&mut self, first: Option<u8>) -> u64 {
        let mut n: u64 = 0;
        let mut c = first;
        while let Some(d) = c.filter(u8::is_ascii_digit) {
            n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            c = self.inchar();
        }
        self.savchar(c);
        n
    }
    fn err(&self, msg: &str) -> CompileError {
        CompileError {
            message: match &self.source {
                Source::Expr(n) => format!("-e expression #{n}, char {}: {msg}", self.pos),
                Source::File(f) => format!("file {f} line {}: {msg}", self.line),
            }
            .into_bytes(),
            status: 1,
        }
    }
    fn info(&self) -> ErrInfo {
        ErrInfo {
            source: self.source.clone(),
            line: self.line,
        }
    }
    /// `read_end_of_cmd`.
    fn end_of_cmd(&mut self) -> Result<(), CompileError> {
        let c = self.in_nonblank();
        match c {
            Some(b'}') | Some(b'#') => self.savchar(c),
            None | Some(b'\n') | Some(b';') => {}
            _ => return Err(self.err("extra characters after command")),
        }
        Ok(())
    }
    fn read_label(&mut self) -> Vec<u8> {
        let mut b = Vec::new();
        let mut c = self.in_nonblank();
        while let Some(ch) = c {
            if is_space(ch) || ch == b';' {
                break;
            }
            if ch == b'}' || ch == b'#' {
                self.savchar(c);
                break;
            }
            b.push(ch);
            c = self.inchar();
        }
        b
    }
    fn read_filename(&mut self) -> Vec<u8> {
        let mut b = Vec::new();
        let mut c = self.in_nonblank();
        while let Some(ch) = c {
            if ch == b'\n' {
                break;
            }
            b.push(ch);
            c = self.inchar();
        }
        b
    }
    /// The rest of a bracket expression after `[`, copied to `b`; `false` when it is not
    /// closed before the end of the line.
    fn bracket(&mut self, b: &mut Vec<u8>) -> bool {
        let mut c = self.inchar();
        if c == Some(b'^') {
            b.push(b'^');
            c = self.inchar();
        }
        if c == Some(b']') {
            b.push(b']');
            c = self.inchar();
        }
        loop {
            match c {
                None | Some(b'\n') => {
                    self.savchar(c);
                    return false;
                }
                Some(b']') => {
                    b.push(b']');
                    return true;
                }
                Some(b'\\') => {
                    let n = self.inchar();
                    if n == Some(b'n') {
                        b.push(b'\n');
                        c = self.inchar();
                    } else {
                        b.push(b'\\');
                        c = n;
                    }
                }
                Some(b'[') => {
                    b.push(b'[');
                    let n = self.inchar();
                    match n {
                        Some(k @ (b':' | b'.' | b'=')) => {
                            b.push(k);
                            // Up to the matching `:]`, `.]` or `=]`.
                            let mut prev = None;
                            loop {
                                let x = self.inchar();
                                match x {
                                    None | Some(b'\n') => {
                                        self.savchar(x);
                                        return false;
                                    }
                                    Some(y) => {
                                        b.push(y);
                                        if y == b']' && prev == Some(k) {
                                            break;
                                        }
                                        prev = Some(y);
                                    }
                                }
                            }
                            c = self.inchar();
                        }
                        _ => c = n,
                    }
                }
                Some(x) => {
                    b.push(x);
                    c = self.inchar();
                }
            }
        }
    }

    /// `match_slash`: the text up to the unescaped delimiter, or `None`.
    fn match_slash(&mut self, slash: u8, regex: bool) -> Option<Vec<u8>> {
        let mut b = Vec::new();
        let mut c = self.inchar();
        while let Some(mut ch) = c {
            if ch == b'\n' {
                break;
            }
            if ch == slash {
                return Some(b);
            }
            if ch == b'[' && regex {
                // A bracket expression: the delimiter inside it is an ordinary character.
                b.push(ch);
                if !self.bracket(&mut b) {
                    return None;
                }
                c = self.inchar();
                continue;
            }
            if ch == b'\\' {
                match self.inchar() {
                    None => {
                        c = None;
                        break;
                    }
                    Some(n) => {
                        ch = n;
                        if ch == b'n' && regex {
                            ch = b'\n';
                        } else if ch != b'\n' && (ch != slash || (!regex && ch == b'&')) {
                            b.push(b'\\');
                        }
                    }
                }
            }
            b.push(ch);
            c = self.inchar();
        }
        if c == Some(b'\n') {
            self.savchar(c);
        }
        None
    }
}

/// How `normalize_text` treats unknown escapes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TextType {
    /// `y` strings: keep them.
    None,
    /// `a`/`i`/`c` text: drop the backslash.
    Buffer,
    /// `s` replacement: keep them, and escape a produced `&` or `\`.
    Replacement,
}

fn convert_number(buf: &[u8], at: usize, base: u32) -> (u8, usize) {
    // `buf[at]` is the letter (d, o, x).
    let mut n: u32 = 0;
    let mut max: u32 = 1;
    let mut p = at + 1;
    while p < buf.len() && max <= 255 {
        let d = match (buf[p] as char).to_digit(16) {
            Some(d) if d < base => d,
            _ => break,
        };
        n = n * base + d;
        p += 1;
        max *= base;
    }
    if p == at + 1 {
        (buf[at], p)
    } else {
        ((n & 0xff) as u8, p)
    }
}

/// GNU's `normalize_text`: C escapes and `\dNNN \oNNN \xHH \cX`.
pub fn normalize_text(buf: &[u8], tt: TextType) -> Result<Vec<u8>, &'static str> {
    let mut q = Vec::with_capacity(buf.len());
    let mut p = 0;
    while p < buf.len() {
        if buf[p] == b'\\' && p + 1 < buf.len() {
            let c = buf[p + 1];
            let simple = match c {
                b'a' => Some(7),
                b'f' => Some(12),
                b'\n' | b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'v' => Some(11),
                _ => None,
            };
            if let Some(s) = simple {
                q.push(s);
                p += 2;
                continue;
            }
            match c {
                b'c' => {
                    if p + 2 < buf.len() {
                        let mut x = buf[p + 2];
                        let mut adv = 3;
                        if x == b'\\' {
                            if buf.get(p + 3) == Some(&b'\\') {
                                adv = 4;
                            } else {
                                return Err("recursive escaping after \\c not allowed");
                            }
                        }
                        x = x.to_ascii_uppercase() ^ 0x40;
                        q.push(x);
                        p += adv;
                        continue;
                    }
                    if tt == TextType::Replacement {
                        return Err("stray \\c");
                    }
                    q.extend_from_slice(&buf[p..p + 2]);
                    p += 2;
                    continue;
                }
                b'd' | b'o' | b'x' => {
                    let base = match c {
                        b'd' => 10,
                        b'o' => 8,
                        _ => 16,
                    };
                    let (ch, np) = convert_number(buf, p + 1, base);
                    if np == p + 2 {
                        // No digits: the letter stands for itself.
                        q.push(b'\\');
                        q.push(c);
                        p += 2;
                        continue;
                    }
                    if (ch == b'&' || ch == b'\\') && tt == TextType::Replacement {
                        q.push(b'\\');
                    }
                    q.push(ch);
                    p = np;
                    continue;
                }
                _ => {
                    if tt == TextType::Buffer {
                        q.push(c);
                    } else {
                        q.push(b'\\');
                        q.push(c);
                    }
                    p += 2;
                    continue;
                }
            }
        }
        q.push(buf[p]);
        p += 1;
    }
    Ok(q)
}

/// Split a replacement into pieces (GNU's `setup_replacement`).
fn setup_replacement(text: &[u8]) -> (Vec<Piece>, usize) {
    let mut pieces = Vec::new();
    let mut max_id = 0;
    let mut repl_type: u8 = 0;
    let mut base = 0;
    let mut p = 0;
    while p < text.len() {
        if text[p] == b'\\' {
            let mut piece = Piece {
                prefix: text[base..p].to_vec(),
                group: None,
                repl_type,
            };
            repl_type &= !REPL_MODIFIERS;
            p += 1;
            if p < text.len() {
                match text[p] {
                    d @ b'0'..=b'9' => {
                        let g = usize::from(d - b'0');
                        piece.group = Some(g);
                        max_id = max_id.max(g);
                    }
                    b'L' => repl_type = REPL_LOWER,
                    b'U' => repl_type = REPL_UPPER,
                    b'E' => repl_type = 0,
                    b'l' => repl_type |= REPL_LOWER_FIRST,
                    b'u' => repl_type |= REPL_UPPER_FIRST,
                    c => piece.prefix.push(c),
                }
            } else {
                piece.prefix.push(b'\\');
            }
            pieces.push(piece);
            base = p + 1;
        } else if text[p] == b'&' {
            pieces.push(Piece {
                prefix: text[base..p].to_vec(),
                group: Some(0),
                repl_type,
            });
            repl_type &= !REPL_MODIFIERS;
            base = p + 1;
        }
        p += 1;
    }
    if base < text.len() {
        pieces.push(Piece {
            prefix: text[base..].to_vec(),
            group: None,
            repl_type,
        });
    }
    (pieces, max_id)
}

/// Parse a version like `4.2.1` into comparable numbers.
fn version_newer(v: &[u8]) -> bool {
    let s = String::from_utf8_lossy(v);
    let mut parts = s.split('.').map(|p| {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().unwrap_or(0)
    });
    let want = [
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    ];
    want > [4, 9, 0]
}

impl Compiler {
    /// A compiler with these settings.
    pub fn new(settings: Settings) -> Compiler {
        Compiler {
            settings,
            script: Script::default(),
            blocks: Vec::new(),
            labels: HashMap::new(),
            jumps: Vec::new(),
            pending_text: None,
            first: true,
            last_info: None,
        }
    }

    fn wfile(&mut self, name: Vec<u8>) -> usize {
        let name = String::from_utf8_lossy(&name).into_owned();
        if let Some(i) = self.script.wfiles.iter().position(|f| *f == name) {
            return i;
        }
        self.script.wfiles.push(name);
        self.script.wfiles.len() - 1
    }

    fn compile_rx(
        &mut self,
        p: &P<'_>,
        pat: &[u8],
        icase: bool,
        multi: bool,
    ) -> Result<Option<usize>, CompileError> {
        if pat.is_empty() {
            if icase || multi {
                return Err(p.err("cannot specify modifiers on empty regexp"));
            }
            return Ok(None);
        }
        let opts = ReOptions {
            syntax: if self.settings.extended {
                Syntax::Extended
            } else {
                Syntax::Basic
            },
            icase,
            multiline: multi,
            sed_escapes: true,
            strict_class_syntax: true,
        };
        let re = Regex::new(pat, &opts).map_err(|e| {
            if e.is_class_syntax() {
                // dfa's error: no expression prefix, and sed's panic status.
                CompileError {
                    message: e.message.into_bytes(),
                    status: 4,
                }
            } else {
                p.err(&e.message)
            }
        })?;
        let specials: &[u8] = if self.settings.extended {
            b"\\.[]*^$+?(){}|"
        } else {
            b"\\.[]*^$"
        };
        let literal = !icase && !pat.iter().any(|c| specials.contains(c));
        self.script
            .literals
            .push(literal.then(|| memchr::memmem::Finder::new(pat).into_owned()));
        self.script.regexes.push(re);
        Ok(Some(self.script.regexes.len() - 1))
    }

    fn compile_address(
        &mut self,
        p: &mut P<'_>,
        c: Option<u8>,
    ) -> Result<Option<Addr>, CompileError> {
        let Some(ch) = c else { return Ok(None) };
        if ch == b'/' || ch == b'\\' {
            let slash = if ch == b'\\' { p.inchar() } else { Some(ch) };
            let b = match slash {
                Some(s) => p.match_slash(s, true),
                None => None,
            };
            let Some(b) = b else {
                return Err(p.err("unterminated address regex"));
            };
            let (mut icase, mut multi) = (false, false);
            loop {
                let f = p.in_nonblank();
                match f {
                    Some(b'I') if !self.settings.posix => icase = true,
                    Some(b'M') if !self.settings.posix => multi = true,
                    _ => {
                        p.savchar(f);
                        let r = self.compile_rx(p, &b, icase, multi)?;
                        return Ok(Some(Addr::Re(r)));
                    }
                }
            }
        }
        if ch.is_ascii_digit() {
            let n = p.in_integer(Some(ch));
            let c = p.in_nonblank();
            if c != Some(b'~') || self.settings.posix {
                p.savchar(c);
                return Ok(Some(Addr::Line(n)));
            }
            let f = p.in_nonblank();
            let step = p.in_integer(f);
            if step > 0 {
                return Ok(Some(Addr::Step(n, step)));
            }
            return Ok(Some(Addr::Line(n)));
        }
        if (ch == b'+' || ch == b'~') && !self.settings.posix {
            let f = p.in_nonblank();
            let n = p.in_integer(f);
            return Ok(Some(if ch == b'+' {
                Addr::Plus(n)
            } else {
                Addr::Mult(n)
            }));
        }
        if ch == b'$' {
            return Ok(Some(Addr::Last));
        }
        Ok(None)
    }

    /// `read_text` for `a`, `i`, `c`: `leadin` is the first character of the text
    /// (`\n` for none, `None` when the chunk ended right after `a\`).
    fn read_text(&mut self, p: &mut P<'_>, cmd: usize, leadin: Option<u8>) {
        let mut buf = Vec::new();
        let Some(lead) = leadin else {
            self.pending_text = Some((cmd, buf));
            return;
        };
        if lead != b'\n' {
            buf.push(lead);
        }
        self.continue_text(p, cmd, buf);
    }

    fn continue_text(&mut self, p: &mut P<'_>, cmd: usize, mut buf: Vec<u8>) {
        let mut c = p.inchar();
        while let Some(mut ch) = c {
            if ch == b'\n' {
                break;
            }
            if ch == b'\\' {
                match p.inchar() {
                    Some(n) => {
                        buf.push(b'\\');
                        ch = n;
                    }
                    None => {
                        // Backslash at the end of the chunk: the text goes on in the next.
                        buf.push(b'\n');
                        self.set_text(cmd, &buf);
                        self.pending_text = Some((cmd, buf));
                        return;
                    }
                }
            }
            buf.push(ch);
            c = p.inchar();
        }
        buf.push(b'\n');
        self.set_text(cmd, &buf);
        self.pending_text = None;
    }

    fn set_text(&mut self, cmd: usize, buf: &[u8]) {
        let text = normalize_text(buf, TextType::Buffer).unwrap_or_else(|_| buf.to_vec());
        if let Some(c) = self.script.cmds.get_mut(cmd) {
            match &mut c.kind {
                Kind::Append(t) | Kind::Insert(t) | Kind::Change(t) => *t = text,
                _ => {}
            }
        }
    }

    /// Change the settings for the chunks compiled from now on (`-E` after an `-e`
    /// applies only to later ones, as GNU compiles each `-e` when it sees it).
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// Compile one chunk (`-e` text, a `-f` file's contents, or the script operand).
    pub fn compile(&mut self, text: &[u8], source: Source) -> Result<(), CompileError> {
        let mut p = P {
            s: text,
            pos: 0,
            line: match source {
                Source::File(_) => 1,
                Source::Expr(_) => 0,
            },
            source,
        };
        let r = self.compile_program(&mut p);
        self.first = false;
        self.last_info = Some(p.info());
        r
    }

    fn compile_program(&mut self, p: &mut P<'_>) -> Result<(), CompileError> {
        if let Some((cmd, buf)) = self.pending_text.take() {
            self.continue_text(p, cmd, buf);
        }
        loop {
            let mut c = p.inchar();
            while let Some(ch) = c {
                if ch == b';' || is_space(ch) {
                    c = p.inchar();
                } else {
                    break;
                }
            }
            if c.is_none() {
                break;
            }
            let mut cmd = Cmd {
                a1: None,
                a2: None,
                bang: false,
                kind: Kind::Label,
                range: Range::Inactive,
                range_end: 0,
            };
            if let Some(a) = self.compile_address(p, c)? {
                if matches!(a, Addr::Plus(_) | Addr::Mult(_)) {
                    return Err(p.err("invalid usage of +N or ~N as first address"));
                }
                cmd.a1 = Some(a);
                c = p.in_nonblank();
                if c == Some(b',') {
                    let f = p.in_nonblank();
                    match self.compile_address(p, f)? {
                        Some(a2) => cmd.a2 = Some(a2),
                        None => return Err(p.err("unexpected `,'")),
                    }
                    c = p.in_nonblank();
                }
                if cmd.a1 == Some(Addr::Line(0))
                    && (!matches!(cmd.a2, Some(Addr::Re(_))) || self.settings.posix)
                {
                    return Err(p.err("invalid usage of line address 0"));
                }
            }
            if c == Some(b'!') {
                cmd.bang = true;
                c = p.in_nonblank();
                if c == Some(b'!') {
                    return Err(p.err("multiple `!'s"));
                }
            }
            let Some(ch) = c else {
                return Err(p.err("missing command"));
            };
            let idx = self.script.cmds.len();
            cmd.kind = match ch {
                b'#' => {
                    if cmd.a1.is_some() {
                        return Err(p.err("comments don't accept any addresses"));
                    }
                    let mut c = p.inchar();
                    if c == Some(b'n') && self.first && p.pos == 2 {
                        c = p.inchar();
                        if c.is_none_or(is_space) {
                            self.script.quiet = true;
                        }
                    }
                    while c.is_some() && c != Some(b'\n') {
                        c = p.inchar();
                    }
                    continue;
                }
                b'v' => {
                    let v = p.read_label();
                    if !v.is_empty() && version_newer(&v) {
                        return Err(p.err("expected newer version of sed"));
                    }
                    continue;
                }
                b'{' => {
                    self.blocks.push((idx, p.info()));
                    Kind::Block(0)
                }
                b'}' => {
                    let Some((open, _)) = self.blocks.pop() else {
                        return Err(p.err("unexpected `}'"));
                    };
                    if cmd.a1.is_some() {
                        return Err(p.err("`}' doesn't want any addresses"));
                    }
                    p.end_of_cmd()?;
                    if let Some(o) = self.script.cmds.get_mut(open) {
                        o.kind = Kind::Block(idx);
                    }
                    Kind::EndBlock
                }
                b'e' => {
                    if self.settings.posix {
                        return Err(p.err("unknown command: `e'"));
                    }
                    if self.settings.sandbox {
                        return Err(p.err("e/r/w commands disabled in sandbox mode"));
                    }
                    Kind::Exec(p.read_filename())
                }
                b'a' | b'i' | b'c' => {
                    let mut c = p.in_nonblank();
                    if c.is_none() {
                        return Err(p.err("expected \\ after `a', `c' or `i'"));
                    }
                    if c == Some(b'\\') {
                        c = p.inchar();
                    } else {
                        if self.settings.posix {
                            return Err(p.err("expected \\ after `a', `c' or `i'"));
                        }
                        p.savchar(c);
                        c = Some(b'\n');
                    }
                    cmd.kind = match ch {
                        b'a' => Kind::Append(Vec::new()),
                        b'i' => Kind::Insert(Vec::new()),
                        _ => Kind::Change(Vec::new()),
                    };
                    self.script.cmds.push(cmd);
                    self.read_text(p, idx, c);
                    continue;
                }
                b':' => {
                    if cmd.a1.is_some() {
                        return Err(p.err(": doesn't want any addresses"));
                    }
                    let l = p.read_label();
                    if l.is_empty() {
                        return Err(p.err("\":\" lacks a label"));
                    }
                    self.labels.insert(l, idx);
                    Kind::Label
                }
                b'T' | b'b' | b't' => {
                    let l = p.read_label();
                    if !l.is_empty() {
                        self.jumps.push((idx, l));
                    }
                    match ch {
                        b'b' => Kind::Branch(None),
                        b't' => Kind::BranchIf(None),
                        _ => Kind::BranchUnless(None),
                    }
                }
                b'Q' | b'q' | b'l' | b'L' => {
                    if ch == b'L' {
                        return Err(p.err("unknown command: `L'"));
                    }
                    if ch != b'l' && cmd.a2.is_some() {
                        return Err(p.err("command only uses one address"));
                    }
                    let mut c = p.in_nonblank();
                    let mut arg = None;
                    if c.is_some_and(|d| d.is_ascii_digit()) && !self.settings.posix {
                        arg = Some(p.in_integer(c));
                        c = p.in_nonblank();
                    }
                    match c {
                        Some(b'}') | Some(b'#') => p.savchar(c),
                        None | Some(b'\n') | Some(b';') => {}
                        _ => return Err(p.err("extra characters after command")),
                    }
                    let code = arg.map_or(0, |n| n.min(i32::MAX as u64) as i32);
                    match ch {
                        b'q' => Kind::Quit(code),
                        b'Q' => Kind::QuitSilent(code),
                        _ => Kind::List(arg.map(|n| n.min(usize::MAX as u64) as usize)),
                    }
                }
                b'=' | b'd' | b'D' | b'F' | b'g' | b'G' | b'h' | b'H' | b'n' | b'N' | b'p'
                | b'P' | b'z' | b'x' => {
                    if ch == b'=' && self.settings.posix && cmd.a2.is_some() {
                        return Err(p.err("command only uses one address"));
                    }
                    p.end_of_cmd()?;
                    match ch {
                        b'=' => Kind::LineNo,
                        b'd' => Kind::Delete,
                        b'D' => Kind::DeleteFirst,
                        b'F' => Kind::FileName,
                        b'g' => Kind::Get,
                        b'G' => Kind::GetAppend,
                        b'h' => Kind::Hold,
                        b'H' => Kind::HoldAppend,
                        b'n' => Kind::Next,
                        b'N' => Kind::NextAppend,
                        b'p' => Kind::Print,
                        b'P' => Kind::PrintFirst,
                        b'z' => Kind::Zap,
                        _ => Kind::Exchange,
                    }
                }
                b'r' | b'R' | b'w' | b'W' => {
                    if self.settings.sandbox {
                        return Err(p.err("e/r/w commands disabled in sandbox mode"));
                    }
                    let f = p.read_filename();
                    if f.is_empty() {
                        return Err(p.err("missing filename in r/R/w/W commands"));
                    }
                    match ch {
                        b'r' => Kind::ReadFile(String::from_utf8_lossy(&f).into_owned()),
                        b'R' => {
                            let name = String::from_utf8_lossy(&f).into_owned();
                            let i = match self.script.rfiles.iter().position(|x| *x == name) {
                                Some(i) => i,
                                None => {
                                    self.script.rfiles.push(name);
                                    self.script.rfiles.len() - 1
                                }
                            };
                            Kind::ReadLine(i)
                        }
                        b'w' => Kind::Write(self.wfile(f)),
                        _ => Kind::WriteFirst(self.wfile(f)),
                    }
                }
                b's' => Kind::Subst(Box::new(self.compile_s(p)?)),
                b'y' => {
                    let slash = p.inchar();
                    let src = slash.and_then(|s| p.match_slash(s, false));
                    let Some(src) = src else {
                        return Err(p.err("unterminated `y' command"));
                    };
                    let dst = slash.and_then(|s| p.match_slash(s, false));
                    let Some(dst) = dst else {
                        return Err(p.err("unterminated `y' command"));
                    };
                    let src = y_unescape(&src).map_err(|m| p.err(m))?;
                    let dst = y_unescape(&dst).map_err(|m| p.err(m))?;
                    if src.len() != dst.len() {
                        return Err(p.err("strings for `y' command are different lengths"));
                    }
                    let mut map = Box::new([0u8; 256]);
                    for (i, m) in map.iter_mut().enumerate() {
                        *m = i as u8;
                    }
                    for (s, d) in src.iter().zip(&dst) {
                        map[usize::from(*s)] = *d;
                    }
                    p.end_of_cmd()?;
                    Kind::Translate(map)
                }
                _ => {
                    let mut e = p.err("unknown command: `");
                    e.message.push(ch);
                    e.message.push(b'\'');
                    return Err(e);
                }
            };
            self.script.cmds.push(cmd);
        }
        Ok(())
    }

    fn compile_s(&mut self, p: &mut P<'_>) -> Result<Subst, CompileError> {
        let slash = p.inchar();
        let pat = slash.and_then(|s| p.match_slash(s, true));
        let Some(pat) = pat else {
            return Err(p.err("unterminated `s' command"));
        };
        let rep = slash.and_then(|s| p.match_slash(s, false));
        let Some(rep) = rep else {
            return Err(p.err("unterminated `s' command"));
        };
        let rep = normalize_text(&rep, TextType::Replacement).map_err(|m| p.err(m))?;
        let (pieces, max_id) = setup_replacement(&rep);
        let needs_groups = pieces
            .iter()
            .any(|pc| pc.group.is_some_and(|g| g > 0) || pc.repl_type != 0);
        let mut s = Subst {
            re: None,
            pieces,
            needs_groups,
            global: false,
            print: false,
            nth: 0,
            wfile: None,
            eval: false,
        };
        let (mut icase, mut multi) = (false, false);
        loop {
            let c = p.inchar();
            match c {
                Some(b'i') | Some(b'I') => {
                    if self.settings.posix {
                        return Err(p.err("unknown option to `s'"));
                    }
                    icase = true;
                }
                Some(b'm') | Some(b'M') => multi = true,
                Some(b'e') => {
                    if self.settings.posix {
                        return Err(p.err("unknown option to `s'"));
                    }
                    if self.settings.sandbox {
                        return Err(p.err("e/r/w commands disabled in sandbox mode"));
                    }
                    s.eval = true;
                }
                Some(b'p') => {
                    if s.print {
                        return Err(p.err("multiple `p' options to `s' command"));
                    }
                    s.print = true;
                }
                Some(b'g') => {
                    if s.global {
                        return Err(p.err("multiple `g' options to `s' command"));
                    }
                    s.global = true;
                }
                Some(b'w') => {
                    if self.settings.sandbox {
                        return Err(p.err("e/r/w commands disabled in sandbox mode"));
                    }
                    let f = p.read_filename();
                    if f.is_empty() {
                        return Err(p.err("missing filename in r/R/w/W commands"));
                    }
                    s.wfile = Some(self.wfile(f));
                    break;
                }
                Some(d) if d.is_ascii_digit() => {
                    if s.nth != 0 {
                        return Err(p.err("multiple number options to `s' command"));
                    }
                    s.nth = p.in_integer(Some(d));
                    if s.nth == 0 {
                        return Err(p.err("number option to `s' command may not be zero"));
                    }
                }
                Some(b'}') | Some(b'#') => {
                    p.savchar(c);
                    break;
                }
                None | Some(b'\n') | Some(b';') => break,
                Some(b' ') | Some(b'\t') => {}
                Some(b'\r') => {
                    if p.inchar() == Some(b'\n') {
                        break;
                    }
                    return Err(p.err("unknown option to `s'"));
                }
                _ => return Err(p.err("unknown option to `s'")),
            }
        }
        s.re = self.compile_rx(p, &pat, icase, multi)?;
        if let Some(r) = s.re
            && let Some(re) = self.script.regexes.get(r)
            && max_id > re.groups()
        {
            return Err(p.err(&format!(
                "invalid reference \\{max_id} on `s' command's RHS"
            )));
        }
        if s.nth == 0 {
            s.nth = 1;
        }
        Ok(s)
    }

    /// Finish: check blocks and labels, resolve jumps, and hand over the script.
    pub fn finish(mut self) -> Result<Script, CompileError> {
        if let Some((_, info)) = self.blocks.last() {
            let message = match &info.source {
                Source::Expr(n) => format!("-e expression #{n}, char 0: unmatched `{{'"),
                Source::File(f) => format!("file {f} line {}: unmatched `{{'", info.line),
            };
            return Err(CompileError {
                message: message.into_bytes(),
                status: 1,
            });
        }
        for (idx, label) in std::mem::take(&mut self.jumps) {
            let Some(&target) = self.labels.get(&label) else {
                let mut message = b"can't find label for jump to `".to_vec();
                message.extend_from_slice(&label);
                message.push(b'\'');
                return Err(CompileError { message, status: 4 });
            };
            if let Some(c) = self.script.cmds.get_mut(idx) {
                match &mut c.kind {
                    Kind::Branch(t) | Kind::BranchIf(t) | Kind::BranchUnless(t) => {
                        *t = Some(target)
                    }
                    _ => {}
                }
            }
        }
        for c in &mut self.script.cmds {
            if c.a1 == Some(Addr::Line(0)) {
                c.range = Range::Active;
            }
        }
        Ok(self.script)
    }

    /// Where compilation ended (for run-time errors reported like compile errors).
    pub fn location(&self) -> String {
        match &self.last_info {
            Some(ErrInfo {
                source: Source::File(f),
                line,
            }) => format!("file {f} line {line}"),
            Some(ErrInfo {
                source: Source::Expr(n),
                ..
            }) => format!("-e expression #{n}, char 0"),
            None => "-e expression #1, char 0".into(),
        }
    }
}

/// `y` strings: C escapes, then `\\` is a backslash and `\X` is X.
fn y_unescape(s: &[u8]) -> Result<Vec<u8>, &'static str> {
    let s = normalize_text(s, TextType::None)?;
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            out.push(s[i + 1]);
            i += 2;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(out)
}

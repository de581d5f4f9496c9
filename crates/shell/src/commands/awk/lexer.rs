//! The awk tokenizer: keywords, names, numbers, strings with C escapes, regex literals
//! (scanned on the parser's request, since `/` alone is ambiguous), newlines as tokens.

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Newline,
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Lt,
    Pipe,
    PipeAmp,
    Question,
    Colon,
    Tilde,
    NoMatch,
    Dollar,
    Incr,
    Decr,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    PowAssign,
    Assign,
    Eq,
    Ne,
    Le,
    Ge,
    And,
    Or,
    Append,
    Number(f64),
    Str(Vec<u8>),
    Name(String),
    /// A name written right before `(`: a function call.
    FuncName(String),
    Builtin(String),
    Begin,
    End,
    Function,
    If,
    Else,
    While,
    For,
    Do,
    Break,
    Continue,
    Next,
    Nextfile,
    Exit,
    Return,
    Delete,
    In,
    Getline,
    Print,
    Printf,
}

/// A token with where it starts.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    pub start: usize,
}

/// The builtin function names.
pub const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2",
    "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close",
    "fflush", "gensub", "asort", "asorti", "strftime", "systime", "mktime", "and", "or", "xor",
    "lshift", "rshift", "compl", "strtonum", "patsplit", "isarray", "typeof",
];

/// The tokenizer.
pub struct Lexer<'s> {
    pub src: &'s [u8],
    pub pos: usize,
    pub line: usize,
    /// Warnings met while scanning (gawk's "escape sequence treated as plain").
    pub warnings: Vec<(usize, String)>,
    /// Where gawk puts the caret for the last scanning error (one past the column).
    pub err_pos: Option<usize>,
}

impl<'s> Lexer<'s> {
    /// A lexer over `src`.
    pub fn new(src: &'s [u8]) -> Self {
        Lexer {
            src,
            pos: 0,
            line: 1,
            warnings: Vec::new(),
            err_pos: None,
        }
    }

    fn peekc(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    /// The next token.
    pub fn next(&mut self) -> Result<Token, (usize, String)> {
        // Skip blanks, comments, line continuations.
        loop {
            let c = self.peekc(0);
            if c == b' ' || c == b'\t' || c == b'\r' {
                self.pos += 1;
            } else if c == b'\\' && self.peekc(1) == b'\n' {
                self.pos += 2;
                self.line += 1;
            } else if c == b'\\' && self.peekc(1) == b'\r' && self.peekc(2) == b'\n' {
                self.pos += 3;
                self.line += 1;
            } else if c == b'#' {
                while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let line = self.line;
        let mk = |tok| Ok(Token { tok, line, start });
        if self.pos >= self.src.len() {
            return mk(Tok::Eof);
        }
        let c = self.src[self.pos];
        self.pos += 1;
        let two = |l: &mut Self, next: u8, yes: Tok, no: Tok| {
            if l.peekc(0) == next {
                l.pos += 1;
                yes
            } else {
                no
            }
        };
        let t = match c {
            b'\n' => {
                self.line += 1;
                Tok::Newline
            }
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b';' => Tok::Semi,
            b',' => Tok::Comma,
            b'+' => {
                if self.peekc(0) == b'+' {
                    self.pos += 1;
                    Tok::Incr
                } else {
                    two(self, b'=', Tok::AddAssign, Tok::Plus)
                }
            }
            b'-' => {
                if self.peekc(0) == b'-' {
                    self.pos += 1;
                    Tok::Decr
                } else {
                    two(self, b'=', Tok::SubAssign, Tok::Minus)
                }
            }
            b'*' => {
                if self.peekc(0) == b'*' {
                    self.pos += 1;
                    two(self, b'=', Tok::PowAssign, Tok::Caret)
                } else {
                    two(self, b'=', Tok::MulAssign, Tok::Star)
                }
            }
            b'/' => two(self, b'=', Tok::DivAssign, Tok::Slash),
            b'%' => two(self, b'=', Tok::ModAssign, Tok::Percent),
            b'^' => two(self, b'=', Tok::PowAssign, Tok::Caret),
            b'!' => {
                if self.peekc(0) == b'=' {
                    self.pos += 1;
                    Tok::Ne
                } else {
                    two(self, b'~', Tok::NoMatch, Tok::Not)
                }
            }
            b'>' => {
                if self.peekc(0) == b'>' {
                    self.pos += 1;
                    Tok::Append
                } else {
                    two(self, b'=', Tok::Ge, Tok::Gt)
                }
            }
            b'<' => two(self, b'=', Tok::Le, Tok::Lt),
            b'|' => {
                if self.peekc(0) == b'|' {
                    self.pos += 1;
                    Tok::Or
                } else {
                    two(self, b'&', Tok::PipeAmp, Tok::Pipe)
                }
            }
            b'&' if self.peekc(0) == b'&' => {
                self.pos += 1;
                Tok::And
            }
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'~' => Tok::Tilde,
            b'$' => Tok::Dollar,
            b'=' => two(self, b'=', Tok::Eq, Tok::Assign),
            b'"' => Tok::Str(self.string()?),
            b'0'..=b'9' | b'.' => {
                if c == b'.' && !self.peekc(0).is_ascii_digit() {
                    return Err((line, "syntax error".into()));
                }
                self.pos -= 1;
                Tok::Number(self.number())
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while self.pos < self.src.len()
                    && (self.src[self.pos].is_ascii_alphanumeric() || self.src[self.pos] == b'_')
                {
                    self.pos += 1;
                }
                let w = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
                keyword(&w).unwrap_or_else(|| {
                    if BUILTINS.contains(&w.as_str()) {
                        Tok::Builtin(w)
                    } else if self.peekc(0) == b'(' {
                        Tok::FuncName(w)
                    } else {
                        Tok::Name(w)
                    }
                })
            }
            _ => return Err((line, "syntax error".into())),
        };
        mk(t)
    }

    fn number(&mut self) -> f64 {
        let s = &self.src[self.pos..];
        if s.len() > 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') && s[2].is_ascii_hexdigit()
        {
            let mut i = 2;
            let mut v = 0f64;
            while i < s.len() && s[i].is_ascii_hexdigit() {
                v = v * 16.0 + f64::from((s[i] as char).to_digit(16).unwrap_or(0));
                i += 1;
            }
            self.pos += i;
            return v;
        }
        let (v, n) = super::value::scan_number(s);
        self.pos += n.max(1);
        // gawk reads a constant with a leading 0 and only digits as octal, unless it has
        // an 8 or a 9 (`011` is 9, `018` is 18, `011.5` is 11.5).
        let tok = &s[..n.min(s.len())];
        if tok.len() > 1 && tok[0] == b'0' && tok.iter().all(|c| (b'0'..=b'7').contains(c)) {
            return tok[1..]
                .iter()
                .fold(0f64, |acc, c| acc * 8.0 + f64::from(c - b'0'));
        }
        v
    }

    fn string(&mut self) -> Result<Vec<u8>, (usize, String)> {
        let mut out = Vec::new();
        // gawk's caret for an unterminated string is under the opening quote.
        let start = self.pos;
        loop {
            let Some(&c) = self.src.get(self.pos) else {
                self.err_pos = Some(start);
                return Err((self.line, "unterminated string".into()));
            };
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\n' => {
                    self.err_pos = Some(start);
                    return Err((self.line, "unterminated string".into()));
                }
                b'\\' => {
                    let Some(&e) = self.src.get(self.pos) else {
                        self.err_pos = Some(start);
                        return Err((self.line, "unterminated string".into()));
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'\\' => out.push(b'\\'),
                        b'"' => out.push(b'"'),
                        b'a' => out.push(7),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'v' => out.push(11),
                        b'\n' => self.line += 1,
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.src.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'x' => {
                            let mut v = 0u32;
                            let mut n = 0;
                            while n < 2 {
                                match self.src.get(self.pos) {
                                    Some(d) if d.is_ascii_hexdigit() => {
                                        v = v * 16 + (*d as char).to_digit(16).unwrap_or(0);
                                        self.pos += 1;
                                        n += 1;
                                    }
                                    _ => break,
                                }
                            }
                            if n == 0 {
                                self.warnings.push((
                                    self.line,
                                    "no hex digits in `\\x' escape sequence".into(),
                                ));
                                out.push(b'x');
                            } else {
                                out.push(v as u8);
                            }
                        }
                        other => {
                            // gawk keeps the character and warns (POSIX leaves it open).
                            self.warnings.push((
                                self.line,
                                format!(
                                    "escape sequence `\\{}' treated as plain `{}'",
                                    other as char, other as char
                                ),
                            ));
                            out.push(other);
                        }
                    }
                }
                _ => out.push(c),
            }
        }
    }

    /// Scan a regex literal whose opening `/` ends at `after_slash`.
    pub fn regex(&mut self, after_slash: usize) -> Result<Vec<u8>, (usize, String)> {
        self.pos = after_slash;
        let mut out = Vec::new();
        let mut in_bracket = false;
        // gawk's caret for an unterminated regexp is just after the `/`.
        let caret = after_slash + 1;
        loop {
            let Some(&c) = self.src.get(self.pos) else {
                self.err_pos = Some(caret);
                return Err((self.line, "unterminated regexp".into()));
            };
            self.pos += 1;
            match c {
                b'\n' => {
                    self.err_pos = Some(caret);
                    return Err((self.line, "unterminated regexp".into()));
                }
                b'\\' => {
                    if let Some(&n) = self.src.get(self.pos) {
                        self.pos += 1;
                        if n == b'\n' {
                            self.line += 1;
                            continue;
                        }
                        if n == b'/' {
                            out.push(b'/');
                        } else {
                            out.push(b'\\');
                            out.push(n);
                        }
                    }
                }
                b'[' if !in_bracket => {
                    in_bracket = true;
                    out.push(c);
                    // `[]...]` and `[^]...]`: the first `]` is literal.
                    if self.src.get(self.pos) == Some(&b'^') {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.src.get(self.pos) == Some(&b']') {
                        out.push(b']');
                        self.pos += 1;
                    }
                }
                b'[' if in_bracket && self.src.get(self.pos) == Some(&b':') => {
                    // A class like [:alpha:] inside a bracket.
                    out.push(c);
                    if let Some(end) = self.src[self.pos..].windows(2).position(|w| w == b":]") {
                        out.extend_from_slice(&self.src[self.pos..self.pos + end + 2]);
                        self.pos += end + 2;
                    }
                }
                b']' if in_bracket => {
                    in_bracket = false;
                    out.push(c);
                }
                b'/' if !in_bracket => return Ok(out),
                _ => out.push(c),
            }
        }
    }
}

fn keyword(w: &str) -> Option<Tok> {
    Some(match w {
        "BEGIN" => Tok::Begin,
        "END" => Tok::End,
        "function" | "func" => Tok::Function,
        "if" => Tok::If,
        "else" => Tok::Else,
        "while" => Tok::While,
        "for" => Tok::For,
        "do" => Tok::Do,
        "break" => Tok::Break,
        "continue" => Tok::Continue,
        "next" => Tok::Next,
        "nextfile" => Tok::Nextfile,
        "exit" => Tok::Exit,
        "return" => Tok::Return,
        "delete" => Tok::Delete,
        "in" => Tok::In,
        "getline" => Tok::Getline,
        "print" => Tok::Print,
        "printf" => Tok::Printf,
        _ => return None,
    })
}

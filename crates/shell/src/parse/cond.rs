//! bash's own parser for `[[ ... ]]`, run over the tokens only to find its syntax errors
//! and word them as bash does ("conditional binary operator expected", "unexpected
//! argument `]]' to conditional unary operator", ...). bash reads a conditional
//! command with a small recursive-descent parser of its own (`cond_expr` in parse.y);
//! this follows it step by step, including that one error can give two messages
//! (`[[ ( a b ) ]]`) or none (`[[ ]]`).

use brush_parser::Token;

/// bash's unary conditional operators.
const UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-n", "-o", "-p", "-r", "-s", "-t", "-u",
    "-v", "-w", "-x", "-z", "-G", "-L", "-N", "-O", "-R", "-S",
];

/// bash's binary conditional operators written as words (`=~`, `<` and `>` aside).
const BINARY: &[&str] = &[
    "=", "==", "!=", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">",
];

/// What the conditional parser holds as its current token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cur<'a> {
    Word(&'a str),
    Op(&'a str),
    Eof,
    /// bash's `COND_ERROR`: a message (or none) was given already.
    Error,
}

struct Cond<'a> {
    toks: &'a [Token],
    next: usize,
    cur: Cur<'a>,
    /// bash's `line_number` after reading `cur`.
    line: usize,
    eof_line: usize,
    msgs: Vec<(usize, String)>,
    /// bash's `EOF_Reached`.
    eof: bool,
}

/// A syntax error in `[[ ... ]]`.
pub(super) struct CondError {
    /// The messages bash gives (possibly none), with their lines.
    pub msgs: Vec<(usize, String)>,
    /// Whether the parser met the end of the text.
    pub eof: bool,
}

/// The result of checking the `[[` at `tokens[start]`: `Ok(i)` with the index of its
/// `]]`, or the error.
pub(super) fn check(tokens: &[Token], start: usize, eof_line: usize) -> Result<usize, CondError> {
    let cond_line = loc(&tokens[start]).start.line;
    let mut c = Cond {
        toks: tokens,
        next: start + 1,
        cur: Cur::Eof,
        line: cond_line,
        eof_line,
        msgs: Vec::new(),
        eof: false,
    };
    c.expr();
    let eof = c.eof;
    match c.cur {
        Cur::Word("]]") => Ok(c.next - 1),
        Cur::Error => Err(CondError { msgs: c.msgs, eof }),
        Cur::Eof => {
            c.msgs.push((
                cond_line,
                "unexpected EOF while looking for `]]'".to_string(),
            ));
            Err(CondError { msgs: c.msgs, eof })
        }
        Cur::Op(o) => {
            let what = format!(
                "syntax error in conditional expression: unexpected token `{}'",
                shown(o)
            );
            c.msgs.push((cond_line, what));
            Err(CondError { msgs: c.msgs, eof })
        }
        Cur::Word(_) => {
            c.msgs.push((
                cond_line,
                "syntax error in conditional expression".to_string(),
            ));
            Err(CondError { msgs: c.msgs, eof })
        }
    }
}

fn loc(t: &Token) -> &brush_parser::SourceSpan {
    match t {
        Token::Operator(_, l) | Token::Word(_, l) => l,
    }
}

fn shown(op: &str) -> &str {
    if op == "\n" { "newline" } else { op }
}

/// bash's `error_token_from_token`: operators and `]]` are named, other words are not.
fn named(c: Cur<'_>) -> Option<String> {
    match c {
        Cur::Op(o) => Some(shown(o).to_string()),
        Cur::Word("]]") => Some("]]".to_string()),
        Cur::Eof => Some("EOF".to_string()),
        Cur::Word(_) | Cur::Error => None,
    }
}

impl<'a> Cond<'a> {
    /// Read the next token into `cur`.
    fn read(&mut self) -> Cur<'a> {
        self.cur = match self.toks.get(self.next) {
            None => {
                self.line = self.eof_line;
                self.eof = true;
                Cur::Eof
            }
            Some(t) => {
                self.next += 1;
                match t {
                    Token::Word(w, l) => {
                        self.line = l.start.line;
                        Cur::Word(w)
                    }
                    Token::Operator(o, l) => {
                        self.line = l.start.line;
                        Cur::Op(o)
                    }
                }
            }
        };
        self.cur
    }

    fn skip_newlines(&mut self) -> Cur<'a> {
        while self.read() == Cur::Op("\n") {}
        self.cur
    }

    fn fail(&mut self, what: String) {
        self.msgs.push((self.line, what));
        self.cur = Cur::Error;
    }

    fn expr(&mut self) {
        self.or();
    }

    fn or(&mut self) {
        self.and();
        if self.cur == Cur::Op("||") {
            self.or();
        }
    }

    fn and(&mut self) {
        self.term();
        if self.cur == Cur::Op("&&") {
            self.and();
        }
    }

    fn term(&mut self) {
        let tok = self.skip_newlines();
        let line = self.line;
        match tok {
            Cur::Word("]]") => self.cur = Cur::Error,
            Cur::Op("(") => {
                self.expr();
                if self.cur != Cur::Op(")") {
                    let what = match named(self.cur) {
                        Some(t) => format!("unexpected token `{t}', expected `)'"),
                        None => "expected `)'".to_string(),
                    };
                    self.msgs.push((line, what));
                    self.cur = Cur::Error;
                    return;
                }
                self.skip_newlines();
            }
            Cur::Word("!") => self.term(),
            Cur::Word(w) if UNARY.contains(&w) => match self.read() {
                Cur::Word(arg) if arg != "]]" => {
                    self.skip_newlines();
                }
                other => {
                    let what = match named(other) {
                        Some(t) => {
                            format!("unexpected argument `{t}' to conditional unary operator")
                        }
                        None => "unexpected argument to conditional unary operator".to_string(),
                    };
                    self.fail(what);
                }
            },
            Cur::Word(_) => match self.read() {
                Cur::Word("=~") => self.regex(),
                Cur::Word(op) if op != "]]" && BINARY.contains(&op) => self.right(),
                Cur::Op("<") | Cur::Op(">") => self.right(),
                Cur::Word("]]") | Cur::Op("&&") | Cur::Op("||") | Cur::Op(")") => {}
                other => {
                    let what = match named(other) {
                        Some(t) => {
                            format!("unexpected token `{t}', conditional binary operator expected")
                        }
                        None => "conditional binary operator expected".to_string(),
                    };
                    self.fail(what);
                }
            },
            other => {
                let t = named(other).unwrap_or_default();
                self.fail(format!("unexpected token `{t}' in conditional command"));
            }
        }
    }

    /// The right operand of a binary operator.
    fn right(&mut self) {
        match self.read() {
            Cur::Word(w) if w != "]]" => {
                self.skip_newlines();
            }
            other => self.bad_right(other),
        }
    }

    fn bad_right(&mut self, other: Cur<'a>) {
        let what = match named(other) {
            Some(t) => format!("unexpected argument `{t}' to conditional binary operator"),
            None => "unexpected argument to conditional binary operator".to_string(),
        };
        self.fail(what);
    }

    /// The right operand of `=~`: bash reads a regular expression, parentheses and all,
    /// up to a blank outside them.
    fn regex(&mut self) {
        match self.read() {
            Cur::Word(w) if w != "]]" => {}
            Cur::Op("(") => {
                let mut depth = 1usize;
                while depth > 0 {
                    match self.read() {
                        Cur::Op("(") => depth += 1,
                        Cur::Op(")") => depth -= 1,
                        Cur::Eof => return,
                        _ => {}
                    }
                }
            }
            other => return self.bad_right(other),
        }
        // The rest of the regular expression, up to `]]`, `&&`, `||`, a newline or a
        // `)` it did not open.
        let mut depth = 0usize;
        loop {
            match self.toks.get(self.next) {
                Some(Token::Word(w, _)) if w != "]]" => {}
                Some(Token::Operator(o, _)) if o == "(" => depth += 1,
                Some(Token::Operator(o, _)) if o == ")" && depth > 0 => depth -= 1,
                Some(Token::Operator(o, _)) if o == "|" => {}
                _ => break,
            }
            self.next += 1;
        }
        self.skip_newlines();
    }
}

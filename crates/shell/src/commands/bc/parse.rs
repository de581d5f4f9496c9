//! bc's lexer and recursive-descent parser. Besides the tree, each operation records the
//! address GNU bc's byte code would have reached after it (`adr`), so run-time messages
//! name the same `adr=N` as bc's.

/// A token and the line it ends on.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Newline,
    Num(String),
    Name(String),
    Str(String),
    Op(&'static str),
    Eof,
    Bad(char),
}

const OPS: &[&str] = &[
    "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "+", "-",
    "*", "/", "%", "^", "=", "<", ">", "!", "(", ")", "[", "]", "{", "}", ",", ";",
];

/// Split bc source into tokens, each with the count of newlines before its end.
pub fn lex(src: &str) -> Vec<(Tok, usize)> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut line = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' || c == b'\r' || c == 0x0c {
            i += 1;
        } else if c == b'\\' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
            line += 1;
        } else if c == b'\n' {
            line += 1;
            out.push((Tok::Newline, line));
            i += 1;
        } else if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                if b[i] == b'\n' {
                    line += 1;
                }
                i += 1;
            }
            i = (i + 2).min(b.len());
        } else if c == b'"' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\n' {
                    line += 1;
                }
                i += 1;
            }
            out.push((Tok::Str(src[start..i.min(b.len())].to_string()), line));
            i += 1;
        } else if c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'.' {
            let mut s = String::new();
            let mut dot = false;
            while i < b.len() {
                let d = b[i];
                if d.is_ascii_digit() || d.is_ascii_uppercase() {
                    s.push(d as char);
                } else if d == b'.' && !dot {
                    dot = true;
                    s.push('.');
                } else if d == b'\\' && b.get(i + 1) == Some(&b'\n') {
                    line += 1;
                    i += 1;
                } else {
                    break;
                }
                i += 1;
            }
            if s == "." {
                out.push((Tok::Name("last".into()), line));
                continue;
            }
            // Strip leading zeros, keeping one digit before an all-zero integer.
            let t = s.trim_start_matches('0');
            out.push((
                Tok::Num(if t.is_empty() { "0".into() } else { t.into() }),
                line,
            ));
        } else if c.is_ascii_lowercase() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_lowercase() || b[i].is_ascii_digit() || b[i] == b'_')
            {
                i += 1;
            }
            out.push((Tok::Name(src[start..i].to_string()), line));
        } else if let Some(op) = OPS.iter().find(|o| b[i..].starts_with(o.as_bytes())) {
            i += op.len();
            out.push((Tok::Op(op), line));
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            i += ch.len_utf8();
            out.push((Tok::Bad(ch), line));
        }
    }
    out.push((Tok::Eof, line));
    out
}

/// Something a value can be stored in.
#[derive(Clone, Debug)]
pub enum Lv {
    Var(String),
    Elem(String, Box<Expr>),
    Scale,
    Ibase,
    Obase,
    Last,
}

/// An expression; `usize` fields are byte-code addresses after the operation.
#[derive(Clone, Debug)]
pub enum Expr {
    Num(String),
    Load(Lv),
    Bin(&'static str, Box<Expr>, Box<Expr>, usize),
    Rel(&'static str, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Assign(Lv, Option<&'static str>, Box<Expr>, usize),
    IncDec(Lv, bool, bool, usize),
    Call(String, Vec<Arg>, usize),
    Length(Box<Expr>),
    Sqrt(Box<Expr>, usize),
    ScaleOf(Box<Expr>),
}

/// A call argument: a value or a whole array.
#[derive(Clone, Debug)]
pub enum Arg {
    Val(Expr),
    Array(String),
}

/// One `print` item.
#[derive(Clone, Debug)]
pub enum PItem {
    Str(String),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Expr(Expr),
    Str(String),
    Print(Vec<PItem>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    Break,
    Continue,
    Halt,
    Return(Option<Expr>),
    Block(Vec<Stmt>),
}

/// A user function.
#[derive(Clone, Debug)]
pub struct Func {
    pub params: Vec<(String, bool)>,
    pub autos: Vec<(String, bool)>,
    pub body: Vec<Stmt>,
}

/// What one top-level item turned out to be.
pub enum Item {
    Code(Vec<Stmt>),
    Define(String, Func),
    Quit,
    Error(String, usize),
    End,
}

pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    pc: usize,
    loops: usize,
    in_func: bool,
    depth: usize,
}

type PResult<T> = Result<T, String>;
const SYNTAX: &str = "syntax error";

impl Parser {
    pub fn new(src: &str) -> Parser {
        Parser {
            toks: lex(src),
            pos: 0,
            pc: 0,
            loops: 0,
            in_func: false,
            depth: 0,
        }
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn expect(&mut self, op: &str) -> PResult<()> {
        if self.is_op(op) {
            self.bump();
            Ok(())
        } else {
            Err(SYNTAX.into())
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.bump();
        }
    }

    /// The line number bc reports for an error at the current token.
    fn err_line(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1 + 1
    }

    /// Parse the next top-level item (a line of statements or a definition).
    pub fn item(&mut self) -> Item {
        self.pc = 0;
        self.depth = 0;
        self.loops = 0;
        self.in_func = false;
        if *self.peek() == Tok::Eof {
            return Item::End;
        }
        let r = if matches!(self.peek(), Tok::Name(n) if n == "define") {
            self.define()
        } else {
            self.line().map(Item::Code)
        };
        match r {
            Ok(i) => i,
            Err(m) if m == "quit" => Item::Quit,
            Err(m) => {
                let line = self.err_line();
                while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    self.bump();
                }
                self.bump();
                Item::Error(m, line)
            }
        }
    }

    fn line(&mut self) -> PResult<Vec<Stmt>> {
        let mut v = Vec::new();
        loop {
            match self.peek() {
                Tok::Newline => {
                    self.bump();
                    return Ok(v);
                }
                Tok::Eof => return Ok(v),
                Tok::Op(";") => {
                    self.bump();
                }
                _ => {
                    let s = self.stmt()?;
                    v.push(s);
                    if !matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op(";")) {
                        return Err(SYNTAX.into());
                    }
                }
            }
        }
    }

    fn define(&mut self) -> PResult<Item> {
        self.bump();
        let name = match self.bump() {
            Tok::Name(n) if !is_keyword(&n) => n,
            _ => return Err(SYNTAX.into()),
        };
        self.expect("(")?;
        let mut params = Vec::new();
        while !self.is_op(")") {
            params.push(self.param()?);
            if !self.is_op(")") {
                self.expect(",")?;
            }
        }
        self.bump();
        self.skip_newlines();
        self.expect("{")?;
        self.skip_newlines();
        let mut autos = Vec::new();
        if matches!(self.peek(), Tok::Name(n) if n == "auto") {
            self.bump();
            loop {
                autos.push(self.param()?);
                if self.is_op(",") {
                    self.bump();
                } else {
                    break;
                }
            }
            if matches!(self.peek(), Tok::Op(";") | Tok::Newline) {
                self.bump();
            } else {
                return Err(SYNTAX.into());
            }
        }
        self.in_func = true;
        let body = self.stmt_list();
        self.in_func = false;
        let body = body?;
        self.expect("}")?;
        Ok(Item::Define(
            name,
            Func {
                params,
                autos,
                body,
            },
        ))
    }

    fn param(&mut self) -> PResult<(String, bool)> {
        if self.is_op("*") {
            self.bump();
        }
        let n = match self.bump() {
            Tok::Name(n) if !is_keyword(&n) => n,
            _ => return Err(SYNTAX.into()),
        };
        if self.is_op("[") {
            self.bump();
            self.expect("]")?;
            return Ok((n, true));
        }
        Ok((n, false))
    }

    /// Statements up to a closing brace (not consumed).
    fn stmt_list(&mut self) -> PResult<Vec<Stmt>> {
        let mut v = Vec::new();
        loop {
            match self.peek() {
                Tok::Newline | Tok::Op(";") => {
                    self.bump();
                }
                Tok::Op("}") => return Ok(v),
                Tok::Eof => return Err(SYNTAX.into()),
                _ => {
                    v.push(self.stmt()?);
                    if !matches!(self.peek(), Tok::Newline | Tok::Op(";") | Tok::Op("}")) {
                        return Err(SYNTAX.into());
                    }
                }
            }
        }
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        self.depth += 1;
        if self.depth > 500 {
            return Err("nesting too deep".into());
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self) -> PResult<Stmt> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                self.pc += s.len() + 2;
                Ok(Stmt::Str(s))
            }
            Tok::Op("{") => {
                self.bump();
                let v = self.stmt_list()?;
                self.expect("}")?;
                Ok(Stmt::Block(v))
            }
            Tok::Name(n) => match n.as_str() {
                "quit" => Err("quit".into()),
                "halt" => {
                    self.bump();
                    self.pc += 1;
                    Ok(Stmt::Halt)
                }
                "break" => {
                    if self.loops == 0 {
                        return Err("Break outside a for/while".into());
                    }
                    self.bump();
                    self.pc += 3;
                    Ok(Stmt::Break)
                }
                "continue" => {
                    if self.loops == 0 {
                        return Err("Continue outside a for".into());
                    }
                    self.bump();
                    self.pc += 3;
                    Ok(Stmt::Continue)
                }
                "return" => {
                    if !self.in_func {
                        return Err("Return outside of a function.".into());
                    }
                    self.bump();
                    let e = if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op(";" | "}")) {
                        self.pc += 1;
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.pc += 1;
                    Ok(Stmt::Return(e))
                }
                "print" => {
                    self.bump();
                    let mut items = Vec::new();
                    loop {
                        if let Tok::Str(s) = self.peek().clone() {
                            self.bump();
                            self.pc += s.len() + 2;
                            items.push(PItem::Str(s));
                        } else {
                            items.push(PItem::Expr(self.expr()?));
                            self.pc += 1;
                        }
                        if self.is_op(",") {
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    Ok(Stmt::Print(items))
                }
                "if" => {
                    self.bump();
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.pc += 3;
                    self.skip_newlines();
                    let t = self.stmt()?;
                    let e = if matches!(self.peek(), Tok::Name(n) if n == "else") {
                        self.bump();
                        self.pc += 3;
                        self.skip_newlines();
                        Some(Box::new(self.stmt()?))
                    } else {
                        None
                    };
                    Ok(Stmt::If(c, Box::new(t), e))
                }
                "while" => {
                    self.bump();
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.pc += 3;
                    self.skip_newlines();
                    self.loops += 1;
                    let b = self.stmt();
                    self.loops -= 1;
                    self.pc += 3;
                    Ok(Stmt::While(c, Box::new(b?)))
                }
                "for" => {
                    self.bump();
                    self.expect("(")?;
                    let init = self.opt_expr(";")?;
                    if init.is_some() {
                        self.pc += 1;
                    }
                    self.expect(";")?;
                    let cond = self.opt_expr(";")?;
                    if cond.is_none() {
                        self.pc += 1;
                    }
                    self.expect(";")?;
                    self.pc += 6;
                    let step = self.opt_expr(")")?;
                    if step.is_some() {
                        self.pc += 1;
                    }
                    self.expect(")")?;
                    self.pc += 3;
                    self.skip_newlines();
                    self.loops += 1;
                    let b = self.stmt();
                    self.loops -= 1;
                    self.pc += 3;
                    Ok(Stmt::For(init, cond, step, Box::new(b?)))
                }
                _ => self.expr_stmt(),
            },
            _ => self.expr_stmt(),
        }
    }

    fn expr_stmt(&mut self) -> PResult<Stmt> {
        let e = self.expr()?;
        self.pc += 1;
        Ok(Stmt::Expr(e))
    }

    fn opt_expr(&mut self, end: &str) -> PResult<Option<Expr>> {
        if self.is_op(end) {
            Ok(None)
        } else {
            self.expr().map(Some)
        }
    }

    pub fn expr(&mut self) -> PResult<Expr> {
        self.depth += 1;
        if self.depth > 500 {
            return Err("nesting too deep".into());
        }
        let r = self.binary(1);
        self.depth -= 1;
        r
    }

    fn binary(&mut self, min: u8) -> PResult<Expr> {
        let mut lhs = self.unary(min)?;
        while let Tok::Op(op) = self.peek() {
            let op: &'static str = op;
            let prec = match op {
                "||" => 1,
                "&&" => 2,
                "==" | "!=" | "<" | "<=" | ">" | ">=" => 4,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" => 5,
                "+" | "-" => 6,
                "*" | "/" | "%" => 7,
                "^" => 8,
                _ => break,
            };
            if prec < min {
                break;
            }
            self.bump();
            lhs = match prec {
                1 | 2 => {
                    self.pc += if prec == 1 { 3 } else { 5 };
                    let r = self.binary(prec + 1)?;
                    self.pc += if prec == 1 { 8 } else { 6 };
                    if prec == 1 {
                        Expr::Or(Box::new(lhs), Box::new(r))
                    } else {
                        Expr::And(Box::new(lhs), Box::new(r))
                    }
                }
                4 => {
                    let r = self.binary(5)?;
                    self.pc += 1;
                    Expr::Rel(op, Box::new(lhs), Box::new(r))
                }
                5 => {
                    let lv = match lhs {
                        Expr::Load(lv) => lv,
                        _ => return Err(SYNTAX.into()),
                    };
                    if op == "=" {
                        self.pc -= 2;
                    }
                    let r = self.binary(5)?;
                    let bop = if op == "=" {
                        None
                    } else {
                        self.pc += if matches!(lv, Lv::Elem(..)) { 2 } else { 1 };
                        Some(&op[..1])
                    };
                    self.pc += 2;
                    Expr::Assign(lv, bop.map(static_op), Box::new(r), self.pc)
                }
                _ => {
                    let r = self.binary(if prec == 8 { 8 } else { prec + 1 })?;
                    self.pc += 1;
                    Expr::Bin(op, Box::new(lhs), Box::new(r), self.pc)
                }
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self, min: u8) -> PResult<Expr> {
        if self.is_op("!") {
            self.bump();
            let e = self.binary(min.max(4))?;
            self.pc += 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        if self.is_op("-") {
            self.bump();
            self.depth += 1;
            if self.depth > 500 {
                return Err("nesting too deep".into());
            }
            let e = self.unary(9);
            self.depth -= 1;
            let e = e?;
            self.pc += 1;
            return Ok(Expr::Neg(Box::new(e)));
        }
        if self.is_op("++") || self.is_op("--") {
            let inc = self.is_op("++");
            self.bump();
            let lv = match self.primary()? {
                Expr::Load(lv) => lv,
                _ => return Err(SYNTAX.into()),
            };
            self.pc += 2;
            return Ok(Expr::IncDec(lv, true, inc, self.pc));
        }
        let e = self.primary()?;
        if let Expr::Load(lv) = &e
            && (self.is_op("++") || self.is_op("--"))
        {
            let inc = self.is_op("++");
            self.bump();
            self.pc += 2;
            return Ok(Expr::IncDec(lv.clone(), false, inc, self.pc));
        }
        Ok(e)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let at = self.pos;
        match self.bump() {
            Tok::Num(n) => {
                self.pc += if n == "0" || n == "1" { 1 } else { n.len() + 2 };
                Ok(Expr::Num(n))
            }
            Tok::Op("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Name(n) => {
                let lv = match n.as_str() {
                    "scale" if self.is_op("(") => {
                        let e = self.paren_arg()?;
                        self.pc += 2;
                        return Ok(Expr::ScaleOf(Box::new(e)));
                    }
                    "length" => {
                        let e = self.paren_arg()?;
                        self.pc += 2;
                        return Ok(Expr::Length(Box::new(e)));
                    }
                    "sqrt" => {
                        let e = self.paren_arg()?;
                        self.pc += 2;
                        return Ok(Expr::Sqrt(Box::new(e), self.pc));
                    }
                    "scale" => Lv::Scale,
                    "ibase" => Lv::Ibase,
                    "obase" => Lv::Obase,
                    "last" => Lv::Last,
                    _ if is_keyword(&n) => return Err(SYNTAX.into()),
                    _ if self.is_op("(") => {
                        self.bump();
                        let mut args = Vec::new();
                        while !self.is_op(")") {
                            let arr =
                                matches!(self.toks.get(self.pos + 1), Some((Tok::Op("["), _)))
                                    && matches!(
                                        self.toks.get(self.pos + 2),
                                        Some((Tok::Op("]"), _))
                                    );
                            if arr && let Tok::Name(a) = self.bump() {
                                self.bump();
                                self.bump();
                                self.pc += 3;
                                args.push(Arg::Array(a));
                            } else {
                                args.push(Arg::Val(self.expr()?));
                            }
                            if !self.is_op(")") {
                                self.expect(",")?;
                            }
                        }
                        self.bump();
                        self.pc += 2;
                        let adr = self.pc;
                        self.pc += args.len() + 1;
                        return Ok(Expr::Call(n, args, adr));
                    }
                    _ if self.is_op("[") => {
                        self.bump();
                        let i = self.expr()?;
                        self.expect("]")?;
                        Lv::Elem(n, Box::new(i))
                    }
                    _ => Lv::Var(n),
                };
                self.pc += 2;
                Ok(Expr::Load(lv))
            }
            _ => {
                self.pos = at;
                Err(SYNTAX.into())
            }
        }
    }

    fn paren_arg(&mut self) -> PResult<Expr> {
        self.expect("(")?;
        let e = self.expr()?;
        self.expect(")")?;
        Ok(e)
    }
}

fn static_op(s: &str) -> &'static str {
    match s {
        "+" => "+",
        "-" => "-",
        "*" => "*",
        "/" => "/",
        "%" => "%",
        _ => "^",
    }
}

fn is_keyword(n: &str) -> bool {
    matches!(
        n,
        "if" | "else"
            | "while"
            | "for"
            | "break"
            | "continue"
            | "quit"
            | "define"
            | "return"
            | "auto"
            | "print"
            | "halt"
            | "length"
            | "sqrt"
            | "scale"
            | "ibase"
            | "obase"
            | "last"
            | "read"
            | "limits"
            | "warranty"
    )
}

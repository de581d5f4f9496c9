//! Recursive-descent parser for the awk language (POSIX grammar plus gawk's extensions
//! agents use), producing [`ast::Program`] with variables resolved to slots.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::*;
use super::lexer::{Lexer, Tok, Token};
use crate::posix_regex::{Options, Regex, Syntax};

/// Slots of the special variables.
pub const NF: usize = 0;
pub const NR: usize = 1;
pub const FNR: usize = 2;
pub const FS: usize = 3;
pub const OFS: usize = 4;
pub const ORS: usize = 5;
pub const RS: usize = 6;
pub const FILENAME: usize = 7;
pub const SUBSEP: usize = 8;
pub const RSTART: usize = 9;
pub const RLENGTH: usize = 10;
pub const CONVFMT: usize = 11;
pub const OFMT: usize = 12;
pub const ENVIRON: usize = 13;
pub const ARGC: usize = 14;
pub const ARGV: usize = 15;
pub const RT: usize = 16;
/// How many special slots there are.
pub const NSPECIAL: usize = 19;
// Slots 17 and 18 hold FIELDWIDTHS and IGNORECASE (accepted, not interpreted).

const SPECIAL_NAMES: [&str; NSPECIAL] = [
    "NF",
    "NR",
    "FNR",
    "FS",
    "OFS",
    "ORS",
    "RS",
    "FILENAME",
    "SUBSEP",
    "RSTART",
    "RLENGTH",
    "CONVFMT",
    "OFMT",
    "ENVIRON",
    "ARGC",
    "ARGV",
    "RT",
    "FIELDWIDTHS",
    "IGNORECASE",
];

/// A parse error: line and message (`syntax error`, ...), plus the caret column.
#[derive(Debug)]
pub struct ParseError {
    pub line: usize,
    pub msg: String,
    pub pos: usize,
    /// Errors gawk reports without stopping the parse (`error: ...`), met before this one.
    pub prior: Vec<(usize, String)>,
}

/// Compile an awk regex.
pub fn compile_regex(pat: &[u8]) -> Result<Regex, String> {
    Regex::new(
        pat,
        &Options {
            syntax: Syntax::Awk,
            ..Default::default()
        },
    )
    .map_err(|e| e.message)
}

struct Parser<'s> {
    lex: Lexer<'s>,
    tok: Token,
    prev_end: usize,
    prog: Program,
    global_idx: HashMap<String, usize>,
    func_idx: HashMap<String, usize>,
    /// Parameters of the function being parsed.
    locals: Option<Vec<String>>,
    local_arrays: Vec<bool>,
    /// (caller function, callee, arg position, caller local) for array pass-through.
    pass: Vec<(usize, usize, usize, usize)>,
    cur_func: Option<usize>,
    in_loop: usize,
    print_ctx: usize,
    /// Nesting depth of expressions and statements (bounded: the tree is walked
    /// recursively).
    nest: usize,
    /// `BEGIN` or `END` while parsing such an action.
    rule: Option<&'static str>,
    /// Errors that do not stop the parse (gawk's `error:`): line and message.
    deferred: Vec<(usize, String)>,
}

/// Deepest nesting of expressions or statements accepted.
const MAX_NEST: usize = 200;
/// Longest chain of one binary operator (`a b c ...`, `a + b + ...`).
const MAX_CHAIN: usize = 2000;

/// Parse `src` into a program. Warnings (escape sequences) come back separately.
pub fn parse(src: &[u8]) -> Result<(Program, Vec<(usize, String)>), ParseError> {
    let mut lex = Lexer::new(src);
    let first = lex.next().map_err(|(line, msg)| ParseError {
        line,
        msg,
        pos: 0,
        prior: Vec::new(),
    })?;
    let mut p = Parser {
        lex,
        tok: first,
        prev_end: 0,
        prog: Program::default(),
        global_idx: HashMap::new(),
        func_idx: HashMap::new(),
        locals: None,
        local_arrays: Vec::new(),
        pass: Vec::new(),
        cur_func: None,
        in_loop: 0,
        print_ctx: 0,
        nest: 0,
        rule: None,
        deferred: Vec::new(),
    };
    for (i, n) in SPECIAL_NAMES.iter().enumerate() {
        p.global_idx.insert((*n).to_string(), i);
        p.prog.globals.push((*n).to_string());
    }
    if let Err(mut e) = p.program() {
        e.prior = std::mem::take(&mut p.deferred);
        return Err(e);
    }
    // Array parameters passed on to other functions' array parameters.
    loop {
        let mut changed = false;
        for &(caller, callee, pos, local) in &p.pass {
            let is_arr = p.prog.funcs[callee]
                .array_params
                .get(pos)
                .copied()
                .unwrap_or(false);
            if is_arr
                && let Some(slot) = p.prog.funcs[caller].array_params.get_mut(local)
                && !*slot
            {
                *slot = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // An undefined function is a fatal error only when it is called (interp).
    if let Some((line, msg)) = p.deferred.pop() {
        return Err(ParseError {
            line,
            msg: format!("error: {msg}"),
            pos: usize::MAX,
            prior: std::mem::take(&mut p.deferred),
        });
    }
    let warnings = std::mem::take(&mut p.lex.warnings);
    Ok((p.prog, warnings))
}

type PResult<T> = Result<T, ParseError>;

/// A numeric constant equal to zero (`0`, `-0`, `(0)`, `+0.0`).
fn const_zero(e: &Expr) -> bool {
    match e {
        Expr::Num(n) => *n == 0.0,
        Expr::Neg(x) | Expr::Pos(x) | Expr::Group(x) => const_zero(x),
        _ => false,
    }
}

impl<'s> Parser<'s> {
    fn err<T>(&self, msg: &str) -> PResult<T> {
        let msg = if matches!(self.tok.tok, Tok::Newline | Tok::Eof) && msg == "syntax error" {
            "unexpected newline or end of string".to_string()
        } else {
            msg.to_string()
        };
        // At the end of a line gawk's caret is one past its last character.
        let pos = if matches!(self.tok.tok, Tok::Newline | Tok::Eof)
            && msg == "unexpected newline or end of string"
        {
            self.tok.start + 1
        } else {
            self.lex.pos
        };
        Err(ParseError {
            line: self.tok.line,
            msg,
            pos,
            prior: Vec::new(),
        })
    }

    fn advance(&mut self) -> PResult<Token> {
        self.prev_end = self.lex.pos;
        let next = self.lex.next().map_err(|(line, msg)| ParseError {
            line,
            msg,
            pos: self.lex.err_pos.take().unwrap_or(self.lex.pos),
            prior: Vec::new(),
        })?;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn is(&self, t: &Tok) -> bool {
        &self.tok.tok == t
    }

    fn eat(&mut self, t: &Tok) -> PResult<bool> {
        if self.is(t) {
            self.advance()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect(&mut self, t: &Tok) -> PResult<()> {
        if self.eat(t)? {
            Ok(())
        } else {
            self.err("syntax error")
        }
    }

    fn chain(&self, n: usize) -> PResult<()> {
        if n > MAX_CHAIN {
            return self.err("expression too long");
        }
        Ok(())
    }

    fn skip_nl(&mut self) -> PResult<()> {
        while self.is(&Tok::Newline) {
            self.advance()?;
        }
        Ok(())
    }

    fn skip_terms(&mut self) -> PResult<()> {
        while self.is(&Tok::Newline) || self.is(&Tok::Semi) {
            self.advance()?;
        }
        Ok(())
    }

    fn global(&mut self, name: &str) -> usize {
        if let Some(&i) = self.global_idx.get(name) {
            return i;
        }
        let i = self.prog.globals.len();
        self.prog.globals.push(name.to_string());
        self.global_idx.insert(name.to_string(), i);
        i
    }

    fn var(&mut self, name: &str) -> Var {
        if let Some(l) = &self.locals
            && let Some(i) = l.iter().position(|p| p == name)
        {
            return Var::Local(i);
        }
        Var::Global(self.global(name))
    }

    fn mark_array(&mut self, v: Var) {
        if let Var::Local(i) = v
            && let Some(s) = self.local_arrays.get_mut(i)
        {
            *s = true;
        }
    }

    fn func(&mut self, name: &str) -> usize {
        if let Some(&i) = self.func_idx.get(name) {
            return i;
        }
        let i = self.prog.funcs.len();
        self.prog.funcs.push(Func {
            name: name.to_string(),
            params: Vec::new(),
            body: Stmt::Block(Vec::new()),
            array_params: Vec::new(),
            defined: false,
        });
        self.func_idx.insert(name.to_string(), i);
        i
    }

    fn regex(&mut self, after: usize) -> PResult<Rc<Regex>> {
        let line = self.tok.line;
        let pat = self.lex.regex(after).map_err(|(line, msg)| ParseError {
            line,
            msg,
            pos: self.lex.err_pos.take().unwrap_or(self.lex.pos),
            prior: Vec::new(),
        })?;
        let re = compile_regex(&pat).map_err(|m| ParseError {
            line,
            msg: format!("error: {}: /{}/", m, String::from_utf8_lossy(&pat)),
            pos: usize::MAX,
            prior: Vec::new(),
        })?;
        // Re-prime the lookahead after the regex.
        self.advance()?;
        Ok(Rc::new(re))
    }

    // ----- program structure -------------------------------------------------------

    fn program(&mut self) -> PResult<()> {
        self.skip_terms()?;
        while !self.is(&Tok::Eof) {
            self.item()?;
            self.skip_terms()?;
        }
        Ok(())
    }

    fn item(&mut self) -> PResult<()> {
        match self.tok.tok.clone() {
            Tok::Function => return self.function(),
            Tok::Begin => {
                self.advance()?;
                self.skip_nl()?;
                if !self.is(&Tok::LBrace) {
                    return self.err("syntax error");
                }
                self.rule = Some("BEGIN");
                let b = self.block();
                self.rule = None;
                self.prog.begin.push(b?);
                return Ok(());
            }
            Tok::End => {
                self.advance()?;
                self.skip_nl()?;
                if !self.is(&Tok::LBrace) {
                    return self.err("syntax error");
                }
                self.rule = Some("END");
                let b = self.block();
                self.rule = None;
                self.prog.end.push(b?);
                return Ok(());
            }
            Tok::LBrace => {
                let b = self.block()?;
                self.prog.items.push((Pattern::All, Some(b)));
                return Ok(());
            }
            _ => {}
        }
        let p1 = self.expr()?;
        let pat = if self.eat(&Tok::Comma)? {
            self.skip_nl()?;
            let p2 = self.expr()?;
            let n = self.prog.nranges;
            self.prog.nranges += 1;
            Pattern::Range(p1, p2, n)
        } else {
            Pattern::Expr(p1)
        };
        let action = if self.is(&Tok::LBrace) {
            Some(self.block()?)
        } else {
            None
        };
        self.prog.items.push((pat, action));
        Ok(())
    }

    fn function(&mut self) -> PResult<()> {
        self.advance()?;
        let name = match self.tok.tok.clone() {
            Tok::Name(n) | Tok::FuncName(n) => n,
            _ => return self.err("syntax error"),
        };
        self.advance()?;
        let fi = self.func(&name);
        if self.prog.funcs[fi].defined {
            return self.err(&format!("function `{name}' previously defined"));
        }
        self.expect(&Tok::LParen)?;
        let mut params = Vec::new();
        while let Tok::Name(n) = self.tok.tok.clone() {
            params.push(n);
            self.advance()?;
            if self.eat(&Tok::Comma)? {
                self.skip_nl()?;
            } else {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        self.skip_nl()?;
        self.locals = Some(params.clone());
        self.local_arrays = vec![false; params.len()];
        self.cur_func = Some(fi);
        let body = self.block()?;
        self.locals = None;
        self.cur_func = None;
        let f = &mut self.prog.funcs[fi];
        f.params = params;
        f.body = body;
        f.array_params = std::mem::take(&mut self.local_arrays);
        f.defined = true;
        Ok(())
    }

    fn block(&mut self) -> PResult<Stmt> {
        self.expect(&Tok::LBrace)?;
        let mut v = Vec::new();
        loop {
            self.skip_terms()?;
            if self.eat(&Tok::RBrace)? {
                break;
            }
            if self.is(&Tok::Eof) {
                return self.err("syntax error");
            }
            v.push(Stmt::Line(self.tok.line));
            v.push(self.stmt()?);
        }
        Ok(Stmt::Block(v))
    }

    /// End of a simple statement: `;`, newline, or before `}`/EOF.
    fn term(&mut self) -> PResult<()> {
        match self.tok.tok {
            Tok::Semi | Tok::Newline => {
                self.advance()?;
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => self.err("syntax error"),
        }
    }

    fn body(&mut self) -> PResult<Stmt> {
        self.skip_nl()?;
        if self.eat(&Tok::Semi)? {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return self.err("statements nested too deeply");
        }
        let r = self.stmt_inner();
        self.nest -= 1;
        r
    }

    fn stmt_inner(&mut self) -> PResult<Stmt> {
        match self.tok.tok.clone() {
            Tok::LBrace => self.block(),
            Tok::If => {
                self.advance()?;
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                let then = self.body()?;
                // Look past separators for `else`.
                let save_lex = self.lex_state();
                self.skip_terms()?;
                if self.eat(&Tok::Else)? {
                    let els = self.body()?;
                    Ok(Stmt::If(c, Box::new(then), Some(Box::new(els))))
                } else {
                    self.restore(save_lex);
                    Ok(Stmt::If(c, Box::new(then), None))
                }
            }
            Tok::While => {
                self.advance()?;
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                if self.is(&Tok::Semi) {
                    self.advance()?;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                self.in_loop += 1;
                let b = self.body();
                self.in_loop -= 1;
                Ok(Stmt::While(c, Box::new(b?)))
            }
            Tok::Do => {
                self.advance()?;
                self.in_loop += 1;
                let b = self.body();
                self.in_loop -= 1;
                let b = b?;
                self.skip_terms()?;
                self.expect(&Tok::While)?;
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                self.term()?;
                Ok(Stmt::Do(Box::new(b), c))
            }
            Tok::For => self.for_stmt(),
            Tok::Semi => {
                self.advance()?;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let s = self.simple_stmt()?;
                self.term()?;
                Ok(s)
            }
        }
    }

    fn lex_state(&self) -> (usize, usize, Token, usize) {
        (self.lex.pos, self.lex.line, self.tok.clone(), self.prev_end)
    }

    fn restore(&mut self, s: (usize, usize, Token, usize)) {
        self.lex.pos = s.0;
        self.lex.line = s.1;
        self.tok = s.2;
        self.prev_end = s.3;
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        self.advance()?;
        self.expect(&Tok::LParen)?;
        // for (k in arr)
        if let Tok::Name(k) = self.tok.tok.clone() {
            let save = self.lex_state();
            self.advance()?;
            if self.is(&Tok::In) {
                self.advance()?;
                if let Tok::Name(a) = self.tok.tok.clone() {
                    self.advance()?;
                    if self.is(&Tok::RParen) {
                        self.advance()?;
                        let kv = self.var(&k);
                        let av = self.var(&a);
                        self.mark_array(av);
                        self.in_loop += 1;
                        let b = self.body();
                        self.in_loop -= 1;
                        return Ok(Stmt::ForIn(Box::new(LValue::Var(kv)), av, Box::new(b?)));
                    }
                }
            }
            self.restore(save);
        }
        let init = if self.is(&Tok::Semi) {
            None
        } else {
            Some(Box::new(self.simple_stmt()?))
        };
        self.expect(&Tok::Semi)?;
        self.skip_nl()?;
        let cond = if self.is(&Tok::Semi) {
            None
        } else {
            Some(self.expr()?)
        };
        self.expect(&Tok::Semi)?;
        self.skip_nl()?;
        let step = if self.is(&Tok::RParen) {
            None
        } else {
            Some(Box::new(self.simple_stmt()?))
        };
        self.expect(&Tok::RParen)?;
        if self.is(&Tok::Semi) {
            self.advance()?;
            return Ok(Stmt::For(
                init,
                cond,
                step,
                Box::new(Stmt::Block(Vec::new())),
            ));
        }
        self.in_loop += 1;
        let b = self.body();
        self.in_loop -= 1;
        Ok(Stmt::For(init, cond, step, Box::new(b?)))
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        match self.tok.tok.clone() {
            Tok::Print | Tok::Printf => {
                let is_printf = self.is(&Tok::Printf);
                self.advance()?;
                let mut args = Vec::new();
                if !matches!(
                    self.tok.tok,
                    Tok::Semi
                        | Tok::Newline
                        | Tok::RBrace
                        | Tok::Gt
                        | Tok::Append
                        | Tok::Pipe
                        | Tok::Eof
                ) {
                    self.print_ctx += 1;
                    let r = self.expr_list();
                    self.print_ctx -= 1;
                    args = r?;
                }
                if args.len() == 1
                    && let Some(Expr::Group(_)) = args.first()
                    && let Some(Expr::Group(inner)) = args.pop()
                {
                    match *inner {
                        Expr::List(v) => args = v,
                        other => args.push(Expr::Group(Box::new(other))),
                    }
                }
                let redir = match self.tok.tok {
                    Tok::Gt => Some(Redir::File),
                    Tok::Append => Some(Redir::Append),
                    Tok::Pipe => Some(Redir::Pipe),
                    _ => None,
                };
                let redir = match redir {
                    Some(r) => {
                        self.advance()?;
                        self.print_ctx += 1;
                        let t = self.concat();
                        self.print_ctx -= 1;
                        Some((r, t?))
                    }
                    None => None,
                };
                if is_printf {
                    if args.is_empty() {
                        return self.err("syntax error");
                    }
                    Ok(Stmt::Printf(args, redir))
                } else {
                    Ok(Stmt::Print(args, redir))
                }
            }
            Tok::Next => {
                if let Some(rule) = self.rule {
                    let m = format!("`next' used in {rule} action");
                    self.deferred.push((self.tok.line, m));
                }
                self.advance()?;
                Ok(Stmt::Next)
            }
            Tok::Nextfile => {
                if let Some(rule) = self.rule {
                    let m = format!("`nextfile' used in {rule} action");
                    self.deferred.push((self.tok.line, m));
                }
                self.advance()?;
                Ok(Stmt::NextFile)
            }
            Tok::Exit => {
                self.advance()?;
                if matches!(
                    self.tok.tok,
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof
                ) {
                    Ok(Stmt::Exit(None))
                } else {
                    Ok(Stmt::Exit(Some(self.expr()?)))
                }
            }
            Tok::Return => {
                if self.cur_func.is_none() {
                    return self.err("`return' used outside function context");
                }
                self.advance()?;
                if matches!(
                    self.tok.tok,
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof
                ) {
                    Ok(Stmt::Return(None))
                } else {
                    Ok(Stmt::Return(Some(self.expr()?)))
                }
            }
            Tok::Break => {
                if self.in_loop == 0 {
                    return self.err("`break' is not allowed outside a loop or switch");
                }
                self.advance()?;
                Ok(Stmt::Break)
            }
            Tok::Continue => {
                if self.in_loop == 0 {
                    return self.err("`continue' is not allowed outside a loop");
                }
                self.advance()?;
                Ok(Stmt::Continue)
            }
            Tok::Delete => {
                self.advance()?;
                let name = match self.tok.tok.clone() {
                    Tok::Name(n) => n,
                    _ => return self.err("syntax error"),
                };
                self.advance()?;
                let v = self.var(&name);
                self.mark_array(v);
                if self.eat(&Tok::LBracket)? {
                    let subs = self.expr_list()?;
                    self.expect(&Tok::RBracket)?;
                    Ok(Stmt::Delete(v, Some(subs)))
                } else {
                    Ok(Stmt::Delete(v, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat(&Tok::Comma)? {
            self.skip_nl()?;
            v.push(self.expr()?);
        }
        Ok(v)
    }

    // ----- expressions -------------------------------------------------------------

    fn expr(&mut self) -> PResult<Expr> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return self.err("expression nested too deeply");
        }
        let r = self.expr_inner();
        self.nest -= 1;
        r
    }

    fn expr_inner(&mut self) -> PResult<Expr> {
        let lhs = self.ternary()?;
        let op = match self.tok.tok {
            Tok::Assign => None,
            Tok::AddAssign => Some(Arith::Add),
            Tok::SubAssign => Some(Arith::Sub),
            Tok::MulAssign => Some(Arith::Mul),
            Tok::DivAssign => Some(Arith::Div),
            Tok::ModAssign => Some(Arith::Mod),
            Tok::PowAssign => Some(Arith::Pow),
            _ => return Ok(lhs),
        };
        let Some(lv) = to_lvalue(lhs) else {
            return self.err("syntax error");
        };
        self.advance()?;
        self.skip_nl()?;
        let rhs = self.expr()?;
        Ok(Expr::Assign(op, Box::new(lv), Box::new(rhs)))
    }

    fn ternary(&mut self) -> PResult<Expr> {
        let c = self.or()?;
        if self.eat(&Tok::Question)? {
            self.skip_nl()?;
            let a = self.expr()?;
            self.skip_nl()?;
            self.expect(&Tok::Colon)?;
            self.skip_nl()?;
            let b = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        Ok(c)
    }

    fn or(&mut self) -> PResult<Expr> {
        let mut l = self.and()?;
        let mut n = 0;
        while self.eat(&Tok::Or)? {
            n += 1;
            self.chain(n)?;
            self.skip_nl()?;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> PResult<Expr> {
        let mut l = self.in_expr()?;
        let mut n = 0;
        while self.eat(&Tok::And)? {
            n += 1;
            self.chain(n)?;
            self.skip_nl()?;
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> PResult<Expr> {
        let mut l = self.match_expr()?;
        while self.is(&Tok::In) {
            self.advance()?;
            let name = match self.tok.tok.clone() {
                Tok::Name(n) => n,
                _ => return self.err("syntax error"),
            };
            self.advance()?;
            let v = self.var(&name);
            self.mark_array(v);
            let subs = match l {
                Expr::Group(g) => match *g {
                    Expr::List(v) => v,
                    other => vec![other],
                },
                other => vec![other],
            };
            l = Expr::In(subs, v);
        }
        Ok(l)
    }

    fn match_expr(&mut self) -> PResult<Expr> {
        let mut l = self.cmp()?;
        loop {
            let pos = match self.tok.tok {
                Tok::Tilde => true,
                Tok::NoMatch => false,
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.cmp()?;
            l = Expr::Match(pos, Box::new(l), Box::new(r));
        }
    }

    fn cmp(&mut self) -> PResult<Expr> {
        let l = self.pipe_getline()?;
        let op = match self.tok.tok {
            Tok::Lt => Cmp::Lt,
            Tok::Le => Cmp::Le,
            Tok::Ne => Cmp::Ne,
            Tok::Eq => Cmp::Eq,
            Tok::Gt if self.print_ctx == 0 => Cmp::Gt,
            Tok::Ge => Cmp::Ge,
            _ => return Ok(l),
        };
        self.advance()?;
        let r = self.pipe_getline()?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    fn pipe_getline(&mut self) -> PResult<Expr> {
        let mut l = self.concat()?;
        while self.is(&Tok::Pipe) || self.is(&Tok::PipeAmp) {
            // `|` not followed by getline ends a print's expression list.
            let save = self.lex_state();
            self.advance()?;
            if !self.is(&Tok::Getline) {
                self.restore(save);
                if self.print_ctx > 0 {
                    return Ok(l);
                }
                return self.err("syntax error");
            }
            self.advance()?;
            let target = self.getline_target()?;
            l = Expr::Getline(GetSrc::Cmd(Box::new(l)), target);
        }
        Ok(l)
    }

    fn starts_operand(&self) -> bool {
        match &self.tok.tok {
            Tok::Number(_)
            | Tok::Str(_)
            | Tok::Name(_)
            | Tok::FuncName(_)
            | Tok::Builtin(_)
            | Tok::Dollar
            | Tok::Not
            | Tok::LParen
            | Tok::Minus
            | Tok::Plus
            | Tok::Incr
            | Tok::Decr => true,
            // `in` after an operand is the membership operator, not concatenation.
            Tok::Slash | Tok::DivAssign => false,
            _ => false,
        }
    }

    fn concat(&mut self) -> PResult<Expr> {
        let mut l = self.additive()?;
        let mut n = 0;
        while self.starts_operand() && !matches!(self.tok.tok, Tok::Minus | Tok::Plus | Tok::Not) {
            n += 1;
            self.chain(n)?;
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut l = self.mul()?;
        let mut n = 0;
        loop {
            n += 1;
            self.chain(n)?;
            let op = match self.tok.tok {
                Tok::Plus => Arith::Add,
                Tok::Minus => Arith::Sub,
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.mul()?;
            l = Expr::Arith(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> PResult<Expr> {
        let mut l = self.unary()?;
        let mut n = 0;
        loop {
            n += 1;
            self.chain(n)?;
            let op = match self.tok.tok {
                Tok::Star => Arith::Mul,
                Tok::Slash => Arith::Div,
                Tok::Percent => Arith::Mod,
                _ => return Ok(l),
            };
            let line = self.tok.line;
            self.advance()?;
            let r = self.unary()?;
            if op != Arith::Mul && const_zero(&r) {
                // gawk folds constants: a literal zero divisor is a compile-time error.
                let m = if op == Arith::Div {
                    "division by zero attempted"
                } else {
                    "division by zero attempted in `%'"
                };
                self.deferred.push((line, m.to_string()));
            }
            l = Expr::Arith(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return self.err("expression nested too deeply");
        }
        let r = self.unary_inner();
        self.nest -= 1;
        r
    }

    fn unary_inner(&mut self) -> PResult<Expr> {
        match self.tok.tok {
            Tok::Not => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Not(Box::new(e)))
            }
            Tok::Minus => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Pos(Box::new(e)))
            }
            _ => self.pow(),
        }
    }

    fn pow(&mut self) -> PResult<Expr> {
        let base = self.postfix()?;
        if self.is(&Tok::Caret) {
            self.advance()?;
            // Right associative; the exponent may carry a sign.
            let e = match self.tok.tok {
                Tok::Minus => {
                    self.advance()?;
                    Expr::Neg(Box::new(self.pow()?))
                }
                Tok::Plus => {
                    self.advance()?;
                    Expr::Pos(Box::new(self.pow()?))
                }
                Tok::Not => {
                    self.advance()?;
                    Expr::Not(Box::new(self.pow()?))
                }
                _ => self.pow()?,
            };
            return Ok(Expr::Arith(Arith::Pow, Box::new(base), Box::new(e)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let e = self.primary()?;
        if matches!(self.tok.tok, Tok::Incr | Tok::Decr) && is_lvalue(&e) {
            let d = if self.is(&Tok::Incr) { 1.0 } else { -1.0 };
            self.advance()?;
            let Some(lv) = to_lvalue(e) else {
                return self.err("syntax error");
            };
            return Ok(Expr::Incr(d, true, Box::new(lv)));
        }
        Ok(e)
    }

    fn getline_target(&mut self) -> PResult<Option<Box<LValue>>> {
        match self.tok.tok {
            Tok::Dollar | Tok::Name(_) => {
                let e = self.primary()?;
                match to_lvalue(e) {
                    Some(lv) => Ok(Some(Box::new(lv))),
                    None => self.err("syntax error"),
                }
            }
            _ => Ok(None),
        }
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.tok.clone();
        match t.tok {
            Tok::Number(n) => {
                self.advance()?;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance()?;
                Ok(Expr::Str(Rc::from(s)))
            }
            Tok::Slash => {
                let re = self.regex(t.start + 1)?;
                Ok(Expr::Regex(re))
            }
            Tok::DivAssign => {
                // `/=.../`: the `=` belongs to the regex.
                let re = self.regex(t.start + 1)?;
                Ok(Expr::Regex(re))
            }
            Tok::LParen => {
                self.advance()?;
                let saved = self.print_ctx;
                self.print_ctx = 0;
                let r = self.expr_list();
                self.print_ctx = saved;
                let mut v = r?;
                self.skip_nl()?;
                self.expect(&Tok::RParen)?;
                if v.len() == 1 {
                    let e = v.pop().unwrap_or(Expr::Num(0.0));
                    Ok(Expr::Group(Box::new(e)))
                } else {
                    if !self.is(&Tok::In) && self.print_ctx == 0 {
                        return self.err("syntax error");
                    }
                    Ok(Expr::Group(Box::new(Expr::List(v))))
                }
            }
            Tok::Dollar => {
                self.advance()?;
                let e = match self.tok.tok {
                    Tok::Incr | Tok::Decr => {
                        let d = if self.is(&Tok::Incr) { 1.0 } else { -1.0 };
                        self.advance()?;
                        let p = self.primary()?;
                        match to_lvalue(p) {
                            Some(lv) => Expr::Incr(d, false, Box::new(lv)),
                            None => return self.err("syntax error"),
                        }
                    }
                    Tok::Minus => {
                        self.advance()?;
                        Expr::Neg(Box::new(self.primary()?))
                    }
                    _ => self.primary()?,
                };
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Incr | Tok::Decr => {
                let d = if self.is(&Tok::Incr) { 1.0 } else { -1.0 };
                self.advance()?;
                let p = self.primary()?;
                match to_lvalue(p) {
                    Some(lv) => Ok(Expr::Incr(d, false, Box::new(lv))),
                    None => self.err("syntax error"),
                }
            }
            Tok::Not => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Not(Box::new(e)))
            }
            Tok::Minus => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance()?;
                let e = self.unary()?;
                Ok(Expr::Pos(Box::new(e)))
            }
            Tok::Name(n) => {
                self.advance()?;
                let v = self.var(&n);
                if self.eat(&Tok::LBracket)? {
                    self.mark_array(v);
                    let subs = self.expr_list()?;
                    self.expect(&Tok::RBracket)?;
                    Ok(Expr::Index(v, subs))
                } else {
                    Ok(Expr::Var(v))
                }
            }
            Tok::FuncName(n) => {
                self.advance()?;
                let fi = self.func(&n);
                self.expect(&Tok::LParen)?;
                let mut args = Vec::new();
                self.skip_nl()?;
                if !self.is(&Tok::RParen) {
                    let saved = self.print_ctx;
                    self.print_ctx = 0;
                    let r = self.expr_list();
                    self.print_ctx = saved;
                    args = r?;
                }
                self.skip_nl()?;
                self.expect(&Tok::RParen)?;
                if let Some(caller) = self.cur_func {
                    for (pos, a) in args.iter().enumerate() {
                        if let Expr::Var(Var::Local(l)) = a {
                            self.pass.push((caller, fi, pos, *l));
                        }
                    }
                }
                Ok(Expr::Call(fi, args))
            }
            Tok::Builtin(n) => {
                self.advance()?;
                let Some(b) = Builtin::from_name(&n) else {
                    return self.err("syntax error");
                };
                let mut args = Vec::new();
                if self.is(&Tok::LParen) {
                    self.advance()?;
                    self.skip_nl()?;
                    if !self.is(&Tok::RParen) {
                        let saved = self.print_ctx;
                        self.print_ctx = 0;
                        let r = self.expr_list();
                        self.print_ctx = saved;
                        args = r?;
                    }
                    self.skip_nl()?;
                    self.expect(&Tok::RParen)?;
                } else if b != Builtin::Length {
                    return self.err("syntax error");
                }
                self.check_builtin(b, &mut args)?;
                Ok(Expr::Builtin(b, args))
            }
            Tok::Getline => {
                self.advance()?;
                let target = self.getline_target()?;
                if self.is(&Tok::Lt) {
                    self.advance()?;
                    let f = self.primary_postfix()?;
                    return Ok(Expr::Getline(GetSrc::File(Box::new(f)), target));
                }
                Ok(Expr::Getline(GetSrc::Main, target))
            }
            _ => self.err("syntax error"),
        }
    }

    fn primary_postfix(&mut self) -> PResult<Expr> {
        let e = self.primary()?;
        if matches!(self.tok.tok, Tok::Incr | Tok::Decr) && is_lvalue(&e) {
            let d = if self.is(&Tok::Incr) { 1.0 } else { -1.0 };
            self.advance()?;
            if let Some(lv) = to_lvalue(e) {
                return Ok(Expr::Incr(d, true, Box::new(lv)));
            }
            return self.err("syntax error");
        }
        Ok(e)
    }

    fn check_builtin(&mut self, b: Builtin, args: &mut [Expr]) -> PResult<()> {
        use Builtin::*;
        let n = args.len();
        let (min, max) = match b {
            Length => (0, 1),
            Substr => (2, 3),
            Index | Atan2 | Lshift | Rshift => (2, 2),
            Split | Patsplit => (2, 4),
            Sub | Gsub => (2, 3),
            Match => (2, 3),
            Sprintf => (1, usize::MAX),
            Sin | Cos | Exp | Log | Sqrt | Int | Tolower | Toupper | System | Compl | Strtonum
            | Isarray | Typeof => (1, 1),
            Rand | Systime => (0, 0),
            Srand | Fflush => (0, 1),
            Close => (1, 2),
            Gensub => (3, 4),
            Asort | Asorti => (1, 3),
            Strftime => (0, 3),
            Mktime => (1, 2),
            And | Or | Xor => (2, usize::MAX),
        };
        if n < min || n > max {
            let name = format!("{b:?}").to_lowercase();
            // The caret goes under the closing parenthesis.
            return Err(ParseError {
                line: self.tok.line,
                msg: format!("{n} is invalid as number of arguments for {name}"),
                pos: self.prev_end,
                prior: Vec::new(),
            });
        }
        let arr_args: &[usize] = match b {
            Split | Patsplit => &[1, 3],
            Match => &[2],
            Asort | Asorti => &[0, 1],
            _ => &[],
        };
        for &i in arr_args {
            if let Some(Expr::Var(v)) = args.get(i) {
                let v = *v;
                self.mark_array(v);
            }
        }
        if matches!(b, Sub | Gsub) && n == 3 && !is_lvalue(&args[2]) {
            // gawk accepts non-lvalue targets with a warning; the result is discarded.
        }
        Ok(())
    }
}

fn is_lvalue(e: &Expr) -> bool {
    matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
        || matches!(e, Expr::Group(g) if is_lvalue(g))
}

/// The assignable form of `e`.
pub fn to_lvalue(e: Expr) -> Option<LValue> {
    match e {
        Expr::Var(v) => Some(LValue::Var(v)),
        Expr::Field(f) => Some(LValue::Field(f)),
        Expr::Index(v, s) => Some(LValue::Index(v, s)),
        Expr::Group(g) => to_lvalue(*g),
        _ => None,
    }
}

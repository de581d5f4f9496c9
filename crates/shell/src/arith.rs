//! Shell arithmetic: the evaluator behind `$(( ))`, `(( ))`, `let` and the
//! subscripts of indexed arrays.
//!
//! [`eval`] takes the text left after the caller has done `$var`, `$(...)` and
//! quote expansion, and evaluates it the way bash 5.2's `expr.c` does, down to the
//! wording of every error message and the token it quotes:
//!
//! - 64-bit two's-complement integers that wrap on overflow; `i64::MIN / -1` is
//!   `i64::MIN` and `i64::MIN % -1` is 0; shift counts are taken modulo 64 (as the
//!   x86-64 `shl`/`sar` instructions bash compiles to do), so `1<<64` is 1 and
//!   `1<<-1` is `i64::MIN`;
//! - the operators of C with bash's precedence: `id++ id--`, `++id --id`, unary
//!   `- + ! ~` (which bind tighter than `**`, so `-2**2` is 4), `**`
//!   (right-associative), `* / %`, `+ -`, `<< >>`, `< <= > >=`, `== !=`, `&`, `^`,
//!   `|`, `&&`, `||`, `?:`, the assignments `= *= /= %= += -= <<= >>= &= ^= |=`
//!   (right-associative) and `,`;
//! - `&&`, `||` and `?:` evaluate lazily: variables on the side not taken are not
//!   read, nothing there is assigned, and a division by zero there is no error;
//! - constants: decimal, octal `017`, hexadecimal `0x1F`, and `base#digits` for
//!   bases 2 to 64 (digits `0-9a-zA-Z@_`; up to base 36 letters of either case are
//!   the same digit);
//! - a variable's value is itself an arithmetic expression, evaluated recursively
//!   (an unset or empty variable is 0), up to bash's limit of 1024 nested
//!   expressions (`expression recursion level exceeded`);
//! - `name[subscript]`: the subscript of an indexed array is an expression, that of
//!   an associative array (see [`ArithContext::is_assoc`]) is the key text; either
//!   is first passed through [`ArithContext::expand_subscript`], as bash expands
//!   subscripts a second time.
//!
//! The evaluator is a hand-written lexer and a precedence-climbing parser that
//! computes values as it parses, as bash does: bash's error messages depend on the
//! exact order in which it reads tokens (it looks one token ahead after each
//! variable name, it reads a variable when it lexes it, ...) and this module
//! reproduces that order. Parentheses, `?:` and assignments may nest 1024 deep; past
//! that the error is `expression recursion level exceeded` (bash itself has no limit
//! there and would eventually overflow its stack). At the limits, with the
//! workspace's `opt-level = 1`, an evaluation takes at most about 1.5 MB of stack
//! (about 600 bytes per nested value, 700 per parenthesis).

use std::fmt;

/// Access to shell variables during evaluation.
///
/// The evaluator passes names exactly as written in the expression (`[A-Za-z_]`
/// then `[A-Za-z0-9_]*`) and calls these methods in the order bash reads and
/// assigns variables.
pub trait ArithContext {
    /// The value of `name` (or of element `index` of array `name`), None if unset.
    ///
    /// `index` is None for a plain `name` (bash reads a scalar's value, or element 0
    /// (key `"0"`) of an array). For `name[subscript]`, it is the key text for an
    /// associative array, and for an indexed array, a scalar or an unset name, the
    /// already-evaluated decimal index, which may be negative (bash counts it from the
    /// end of an indexed array; if that stays negative, or the variable is a scalar,
    /// bash prints `name: bad array subscript` and carries on with the value 0: the
    /// implementation should call [`ArithContext::warn`] and return None). A
    /// subscript of exactly `@` or `*` is passed verbatim: bash prints
    /// `name[@]: bad array subscript` unless `name` is an associative array, and
    /// carries on with 0.
    fn get(&mut self, name: &str, index: Option<&str>) -> Option<String>;

    /// Assign an integer (to element `index` of array `name` if `index` is Some; same
    /// `index` conventions as [`ArithContext::get`]: for an index that stays negative
    /// bash warns `name[index]: bad array subscript` and goes on).
    ///
    /// An error (such as bash's `x: readonly variable`) aborts the evaluation and is
    /// returned by [`eval`] unchanged.
    fn set(&mut self, name: &str, index: Option<&str>, value: i64) -> Result<(), ArithError>;

    /// True if `name` is an associative array (its subscripts are keys, not
    /// expressions).
    fn is_assoc(&self, name: &str) -> bool;

    /// The element a negative `index` of the indexed array `name` stands for, as
    /// resolved when it is read (`max_index + 1 + index`). Bash assigns a
    /// `name[index] op= value`, `name[index]++` or `++name[index]` to the element
    /// it read, even if the right-hand side made the array longer. The default keeps
    /// `index` (then [`ArithContext::set`] resolves it again, after the right-hand
    /// side).
    fn resolve_index(&mut self, name: &str, index: i64) -> i64 {
        let _ = name;
        index
    }

    /// The subscript text of `name[text]` expanded once more, as bash does before it
    /// evaluates an index or looks up a key: parameter expansion, command
    /// substitution and quote removal, as inside double quotes (so `x='a[$i]'` then
    /// `$((x))` reads the element `$i` of `a`). The default returns the text
    /// unchanged.
    fn expand_subscript(&mut self, text: &str) -> Result<String, ArithError> {
        Ok(text.to_string())
    }

    /// A plain `name` (no subscript) read while unset: `set -u` makes it an error (bash's
    /// `name: unbound variable`, which ends the shell). The default allows it.
    fn unbound(&mut self, name: &str) -> Result<(), ArithError> {
        let _ = name;
        Ok(())
    }

    /// A non-fatal error, which bash prints (as `bash: line N: MESSAGE`) before it
    /// carries on: `a[]: bad array subscript` when reading `a[]`, ``` `a[]': not a
    /// valid identifier``` when assigning to it. The default ignores it.
    fn warn(&mut self, message: &str) {
        let _ = message;
    }
}

/// An arithmetic error: the evaluation is abandoned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArithError {
    /// Bash's text, without the `bash: line N: ` prefix, e.g.
    /// `1/0: division by 0 (error token is "0")`.
    pub message: String,
}

impl ArithError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArithError {}

/// Evaluate the arithmetic expression `expr` (already expanded by the caller), reading
/// and assigning variables through `ctx`.
///
/// Empty or blank text is 0. On error, the assignments made before it stay made, as
/// in bash.
pub fn eval(expr: &str, ctx: &mut dyn ArithContext) -> Result<i64, ArithError> {
    let text = before_nul(expr);
    if is_blank(text) {
        return Ok(0);
    }
    let mut shared = Shared {
        ctx,
        depth: 1,
        nest: 0,
    };
    Parser::new(&mut shared, text).run()
}

/// Bash's `MAX_EXPR_RECURSION_LEVEL`: how many expressions (the top one, variables'
/// values, subscripts) may be under evaluation at once.
const MAX_RECURSION: usize = 1024;

/// How deep parentheses, `?:` and assignments may nest (over all the expressions
/// under evaluation).
const MAX_NESTING: usize = 1024;

type R<T> = Result<T, ArithError>;

/// Tokens, as bash's `readtok` classifies them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    /// Nothing yet, or the end of the text.
    End,
    EqEq,
    Neq,
    Leq,
    Geq,
    /// A variable name, possibly subscripted.
    Str,
    /// A constant.
    Num,
    LAnd,
    LOr,
    Lsh,
    Rsh,
    /// `op=`.
    OpAssign(AssignOp),
    /// Only ever a `lasttok`: the previous construct was `?:`.
    Cond,
    Power,
    PreInc,
    PreDec,
    PostInc,
    PostDec,
    Assign,
    Gt,
    Lt,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    Not,
    LPar,
    RPar,
    BAnd,
    BOr,
    BXor,
    BNot,
    Ques,
    Col,
    Comma,
}

/// The operator of `op=`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AssignOp {
    Mul,
    Div,
    Mod,
    Plus,
    Minus,
    Lsh,
    Rsh,
    BAnd,
    BXor,
    BOr,
}

/// The token after a variable name, as bash peeks at it.
#[derive(Clone, Copy, Debug)]
struct Peek {
    tok: Tok,
    start: usize,
    end: usize,
}

/// A variable token: what an assignment to it writes.
#[derive(Clone, Debug)]
struct LValue {
    /// Byte range of the name in the expression.
    name: (usize, usize),
    /// Byte range of the subscript text, between the brackets.
    sub: Option<(usize, usize)>,
    /// The evaluated index, if the token was read as an indexed-array element.
    ind: Option<i64>,
}

/// State shared by the nested evaluations of one [`eval`].
struct Shared<'c> {
    ctx: &'c mut dyn ArithContext,
    /// Expressions under evaluation (bash's `expr_depth`).
    depth: usize,
    /// Nested parentheses, conditionals and assignments.
    nest: usize,
}

/// The evaluation of one expression text (bash's `EXPR_CONTEXT`).
struct Parser<'a, 'c> {
    sh: &'a mut Shared<'c>,
    text: &'a str,
    /// Where the lexer goes on.
    tp: usize,
    /// Start of the last token read: the "error token" is the text from there.
    lasttp: usize,
    curtok: Tok,
    lasttok: Tok,
    /// Value of the last constant or variable read.
    tokval: i64,
    /// The last variable read.
    lval: Option<LValue>,
    /// The token after the last variable read.
    peek: Peek,
    /// Above 0 while parsing a side of `&&`, `||` or `?:` that is not evaluated.
    noeval: u32,
}

impl<'a, 'c> Parser<'a, 'c> {
    fn new(sh: &'a mut Shared<'c>, text: &'a str) -> Self {
        Parser {
            sh,
            text,
            tp: 0,
            lasttp: 0,
            curtok: Tok::End,
            lasttok: Tok::End,
            tokval: 0,
            lval: None,
            peek: Peek {
                tok: Tok::End,
                start: 0,
                end: 0,
            },
            noeval: 0,
        }
    }

    /// Evaluate the whole text (bash's `subexpr` once the context is pushed).
    fn run(mut self) -> R<i64> {
        self.readtok()?;
        let value = self.comma()?;
        if self.curtok != Tok::End {
            return Err(self.error("syntax error in expression"));
        }
        Ok(value)
    }

    // ----- errors -----

    /// Bash's `evalerror`: the expression (leading blanks dropped), the message and
    /// the text from the last token on.
    #[cold]
    #[inline(never)]
    fn error(&self, msg: &str) -> ArithError {
        self.error_upto(msg, self.text.len())
    }

    /// As [`Parser::error`], with the text cut at `end` (bash reports a bad constant
    /// while the constant is NUL-terminated in place).
    #[cold]
    #[inline(never)]
    fn error_upto(&self, msg: &str, end: usize) -> ArithError {
        let bytes = &self.text.as_bytes()[..end.min(self.text.len())];
        let start = bytes
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(bytes.len());
        let token = bytes.get(self.lasttp..).unwrap_or(&[]);
        ArithError::new(format!(
            "{}: {} (error token is \"{}\")",
            String::from_utf8_lossy(&bytes[start..]),
            msg,
            String::from_utf8_lossy(token)
        ))
    }

    /// Count one level of nesting.
    fn enter(&mut self) -> R<()> {
        if self.sh.nest >= MAX_NESTING {
            return Err(self.error("expression recursion level exceeded"));
        }
        self.sh.nest += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.sh.nest = self.sh.nest.saturating_sub(1);
    }

    // ----- the grammar -----

    /// `a , b`
    fn comma(&mut self) -> R<i64> {
        let mut value = self.assign()?;
        while self.curtok == Tok::Comma {
            self.readtok()?;
            value = self.assign()?;
        }
        Ok(value)
    }

    /// `lvalue = value`, `lvalue op= value`
    fn assign(&mut self) -> R<i64> {
        let value = self.cond()?;
        let op = match self.curtok {
            Tok::Assign => None,
            Tok::OpAssign(op) => Some(op),
            _ => return Ok(value),
        };
        let lv = match (&self.lval, self.lasttok) {
            (Some(lv), Tok::Str) => lv.clone(),
            _ => return Err(self.error("attempted assignment to non-variable")),
        };
        self.readtok()?;
        self.enter()?;
        let mut rhs = self.assign()?;
        self.leave();
        let result = match op {
            None => rhs,
            Some(op) => {
                if matches!(op, AssignOp::Div | AssignOp::Mod) && rhs == 0 {
                    if self.noeval == 0 {
                        return Err(self.error("division by 0"));
                    }
                    rhs = 1;
                }
                match op {
                    AssignOp::Mul => value.wrapping_mul(rhs),
                    AssignOp::Div => value.wrapping_div(rhs),
                    AssignOp::Mod => value.wrapping_rem(rhs),
                    AssignOp::Plus => value.wrapping_add(rhs),
                    AssignOp::Minus => value.wrapping_sub(rhs),
                    AssignOp::Lsh => shl(value, rhs),
                    AssignOp::Rsh => shr(value, rhs),
                    AssignOp::BAnd => value & rhs,
                    AssignOp::BXor => value ^ rhs,
                    AssignOp::BOr => value | rhs,
                }
            }
        };
        if self.noeval == 0 {
            self.bind(&lv, result)?;
        }
        Ok(result)
    }

    /// `c ? a : b`
    fn cond(&mut self) -> R<i64> {
        let cval = self.binary(1)?;
        if self.curtok != Tok::Ques {
            return Ok(cval);
        }
        let skip_first = cval == 0;
        if skip_first {
            self.noeval += 1;
        }
        self.readtok()?;
        if matches!(self.curtok, Tok::End | Tok::Col) {
            return Err(self.error("expression expected"));
        }
        self.enter()?;
        let first = self.comma()?;
        self.leave();
        if skip_first {
            self.noeval -= 1;
        }
        if self.curtok != Tok::Col {
            return Err(self.error("`:' expected for conditional expression"));
        }
        let skip_second = cval != 0;
        if skip_second {
            self.noeval += 1;
        }
        self.readtok()?;
        if self.curtok == Tok::End {
            return Err(self.error("expression expected"));
        }
        self.enter()?;
        let second = self.cond()?;
        self.leave();
        if skip_second {
            self.noeval -= 1;
        }
        self.lasttok = Tok::Cond;
        Ok(if cval != 0 { first } else { second })
    }

    /// Left-associative binary operators from `||` up to `* / %`, by precedence
    /// climbing: operators of precedence `min` and above.
    fn binary(&mut self, min: u8) -> R<i64> {
        let mut lhs = self.power()?;
        loop {
            let op = self.curtok;
            let prec = match precedence(op) {
                Some(p) if p >= min => p,
                _ => return Ok(lhs),
            };
            match op {
                Tok::LOr | Tok::LAnd => {
                    let skip = if op == Tok::LOr { lhs != 0 } else { lhs == 0 };
                    if skip {
                        self.noeval += 1;
                    }
                    self.readtok()?;
                    let rhs = self.binary(prec + 1)?;
                    if skip {
                        self.noeval -= 1;
                    }
                    lhs = i64::from(if op == Tok::LOr {
                        lhs != 0 || rhs != 0
                    } else {
                        lhs != 0 && rhs != 0
                    });
                    self.lasttok = op;
                }
                Tok::Mul | Tok::Div | Tok::Mod => {
                    let stp = self.tp;
                    self.readtok()?;
                    let mut rhs = self.binary(prec + 1)?;
                    if op != Tok::Mul && rhs == 0 {
                        if self.noeval == 0 {
                            let bytes = self.text.as_bytes();
                            let mut at = stp;
                            while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
                                at += 1;
                            }
                            self.lasttp = at;
                            return Err(self.error("division by 0"));
                        }
                        rhs = 1;
                    } else if op == Tok::Mod && lhs == i64::MIN && rhs == -1 {
                        // Bash skips its `lasttok = NUM` here.
                        lhs = 0;
                        continue;
                    }
                    lhs = match op {
                        Tok::Mul => lhs.wrapping_mul(rhs),
                        Tok::Div => lhs.wrapping_div(rhs),
                        _ => lhs.wrapping_rem(rhs),
                    };
                    self.lasttok = Tok::Num;
                }
                _ => {
                    self.readtok()?;
                    let rhs = self.binary(prec + 1)?;
                    lhs = match op {
                        Tok::BOr => lhs | rhs,
                        Tok::BXor => lhs ^ rhs,
                        Tok::BAnd => lhs & rhs,
                        Tok::EqEq => i64::from(lhs == rhs),
                        Tok::Neq => i64::from(lhs != rhs),
                        Tok::Lt => i64::from(lhs < rhs),
                        Tok::Gt => i64::from(lhs > rhs),
                        Tok::Leq => i64::from(lhs <= rhs),
                        Tok::Geq => i64::from(lhs >= rhs),
                        Tok::Lsh => shl(lhs, rhs),
                        Tok::Rsh => shr(lhs, rhs),
                        Tok::Plus => lhs.wrapping_add(rhs),
                        _ => lhs.wrapping_sub(rhs),
                    };
                    self.lasttok = Tok::Num;
                }
            }
        }
    }

    /// `a ** b`, right-associative. All operands are read first, then the powers
    /// are taken from the right, as bash's recursion does.
    fn power(&mut self) -> R<i64> {
        let base = self.unary()?;
        if self.curtok != Tok::Power {
            return Ok(base);
        }
        let mut operands = vec![base];
        while self.curtok == Tok::Power {
            self.readtok()?;
            operands.push(self.unary()?);
        }
        self.lasttok = Tok::Num;
        let mut value = operands.pop().unwrap_or(0);
        while let Some(base) = operands.pop() {
            value = if value == 0 {
                1
            } else if value < 0 {
                return Err(self.error("exponent less than 0"));
            } else {
                ipow(base, value)
            };
        }
        Ok(value)
    }

    /// Prefix `! ~ - +`.
    fn unary(&mut self) -> R<i64> {
        let mut ops = Vec::new();
        while matches!(self.curtok, Tok::Not | Tok::BNot | Tok::Minus | Tok::Plus) {
            ops.push(self.curtok);
            self.readtok()?;
        }
        let mut value = self.primary()?;
        for op in ops.iter().rev() {
            value = match op {
                Tok::Not => i64::from(value == 0),
                Tok::BNot => !value,
                Tok::Minus => value.wrapping_neg(),
                _ => value,
            };
            self.lasttok = Tok::Num;
        }
        Ok(value)
    }

    /// Constants, variables (with `++`/`--`) and parentheses.
    fn primary(&mut self) -> R<i64> {
        match self.curtok {
            Tok::PreInc | Tok::PreDec => {
                let delta = if self.curtok == Tok::PreInc { 1 } else { -1 };
                self.lasttok = self.curtok;
                self.readtok()?;
                let lv = match (&self.lval, self.curtok) {
                    (Some(lv), Tok::Str) => lv.clone(),
                    _ => {
                        return Err(
                            self.error("identifier expected after pre-increment or pre-decrement")
                        );
                    }
                };
                let value = self.tokval.wrapping_add(delta);
                if self.noeval == 0 {
                    self.bind(&lv, value)?;
                }
                // So that `--x=7` and `++x++` are errors.
                self.curtok = Tok::Num;
                self.readtok()?;
                Ok(value)
            }
            Tok::LPar => {
                self.readtok()?;
                self.enter()?;
                let value = self.comma()?;
                self.leave();
                if self.curtok != Tok::RPar {
                    return Err(self.error("missing `)'"));
                }
                self.readtok()?;
                Ok(value)
            }
            Tok::Num => {
                let value = self.tokval;
                self.readtok()?;
                Ok(value)
            }
            Tok::Str => {
                let value = self.tokval;
                let peek = self.peek;
                if matches!(peek.tok, Tok::PostInc | Tok::PostDec) {
                    let lv = self.lval.clone();
                    self.lasttp = peek.start;
                    self.tp = peek.end;
                    self.lasttok = Tok::Str;
                    let delta = if peek.tok == Tok::PostInc { 1 } else { -1 };
                    if let (0, Some(lv)) = (self.noeval, lv) {
                        self.bind(&lv, value.wrapping_add(delta))?;
                    }
                    // So that `x++=7` is an error.
                    self.curtok = Tok::Num;
                }
                self.readtok()?;
                Ok(value)
            }
            _ => Err(self.error("syntax error: operand expected")),
        }
    }

    // ----- variables -----

    /// Read the variable of a token being lexed (bash's `expr_streval`), recording
    /// the index for a later assignment.
    fn streval(&mut self, lv: &mut LValue) -> R<i64> {
        if self.noeval > 0 {
            return Ok(0);
        }
        let text = self.text;
        let name = &text[lv.name.0..lv.name.1];
        let value = match lv.sub {
            None => {
                let v = self.sh.ctx.get(name, None);
                if v.is_none() {
                    self.sh.ctx.unbound(name)?;
                }
                v
            }
            Some((s, e)) => {
                let sub = &text[s..e];
                if sub.is_empty() {
                    let msg = format!("{name}[]: bad array subscript");
                    self.sh.ctx.warn(&msg);
                    self.sh.ctx.warn(&msg);
                    None
                } else if sub == "@" || sub == "*" {
                    self.sh.ctx.get(name, Some(sub))
                } else {
                    let sub = self.sh.ctx.expand_subscript(sub)?;
                    if self.sh.ctx.is_assoc(name) {
                        self.sh.ctx.get(name, Some(&sub))
                    } else {
                        let ind = self.subexpr(&sub)?;
                        let value = self.sh.ctx.get(name, Some(&ind.to_string()));
                        lv.ind = Some(if ind < 0 {
                            self.sh.ctx.resolve_index(name, ind)
                        } else {
                            ind
                        });
                        value
                    }
                }
            }
        };
        match value {
            Some(v) if !v.is_empty() => self.subexpr_value(&v),
            _ => Ok(0),
        }
    }

    /// Assign `value` to the variable `lv` (bash's `expr_bind_variable` and
    /// `expr_bind_array_element`). A subscript not evaluated yet is evaluated now,
    /// after the right-hand side, as in bash.
    fn bind(&mut self, lv: &LValue, value: i64) -> R<()> {
        let text = self.text;
        let name = &text[lv.name.0..lv.name.1];
        let Some((s, e)) = lv.sub else {
            return self.sh.ctx.set(name, None, value);
        };
        let sub = &text[s..e];
        if sub.is_empty() {
            self.sh
                .ctx
                .warn(&format!("`{name}[]': not a valid identifier"));
            return Ok(());
        }
        let ind = match lv.ind {
            Some(ind) => ind,
            None if sub == "@" || sub == "*" => return self.sh.ctx.set(name, Some(sub), value),
            None => {
                let sub = self.sh.ctx.expand_subscript(sub)?;
                if self.sh.ctx.is_assoc(name) {
                    return self.sh.ctx.set(name, Some(&sub), value);
                }
                self.subexpr(&sub)?
            }
        };
        self.sh.ctx.set(name, Some(&ind.to_string()), value)
    }

    /// Evaluate another expression text (a subscript, a variable's value) in a
    /// fresh context (bash's `subexpr`).
    fn subexpr(&mut self, text: &str) -> R<i64> {
        let text = before_nul(text);
        if is_blank(text) {
            return Ok(0);
        }
        if self.sh.depth >= MAX_RECURSION {
            return Err(self.error("expression recursion level exceeded"));
        }
        self.sh.depth += 1;
        let result = Parser::new(self.sh, text).run();
        self.sh.depth -= 1;
        result
    }

    /// [`Parser::subexpr`] for a variable's value, without a new context for the
    /// common case of a plain decimal number.
    fn subexpr_value(&mut self, value: &str) -> R<i64> {
        if let Some(n) = plain_decimal(value) {
            if self.sh.depth >= MAX_RECURSION {
                return Err(self.error("expression recursion level exceeded"));
            }
            return Ok(n);
        }
        self.subexpr(value)
    }

    // ----- the lexer -----

    /// Read the next token into `curtok` (bash's `readtok`). A variable is read (and
    /// its value evaluated) here, unless the next token is `=`.
    #[inline(never)]
    fn readtok(&mut self) -> R<()> {
        let bytes = self.text.as_bytes();
        let mut cp = self.tp;
        while cp < bytes.len() && is_cr_blank(bytes[cp]) {
            cp += 1;
        }
        if cp >= bytes.len() {
            self.lasttok = self.curtok;
            self.curtok = Tok::End;
            self.tp = cp;
            return Ok(());
        }
        let start = cp;
        self.lasttp = start;
        self.tp = start;
        let c = bytes[start];
        if is_name_start(c) {
            let (name_end, end) = self.scan_name(start)?;
            let peek = self.peek_after(end)?;
            let sub = (end > name_end).then(|| (name_end + 1, end - 1));
            let mut lv = LValue {
                name: (start, name_end),
                sub,
                ind: None,
            };
            let read = matches!(self.lasttok, Tok::PreInc | Tok::PreDec) || peek.tok != Tok::Assign;
            self.tokval = if read { self.streval(&mut lv)? } else { 0 };
            self.lval = Some(lv);
            self.peek = peek;
            self.lasttok = self.curtok;
            self.curtok = Tok::Str;
            self.tp = end;
        } else if c.is_ascii_digit() {
            let end = number_end(bytes, start);
            self.tokval = self.strlong(start, end)?;
            self.lasttok = self.curtok;
            self.curtok = Tok::Num;
            self.tp = end;
        } else {
            let (tok, end) = self.lex_op(start, self.curtok, self.lasttok)?;
            self.lasttok = self.curtok;
            self.curtok = tok;
            self.tp = end;
        }
        Ok(())
    }

    /// The token after a variable ending at `pos`, lexed as bash's look-ahead does
    /// (with the variable as the current token). Through a run of variable names
    /// the look-ahead goes on to the first other token, which can fail.
    fn peek_after(&mut self, mut pos: usize) -> R<Peek> {
        let bytes = self.text.as_bytes();
        let saved = self.lasttp;
        let mut first: Option<Peek> = None;
        loop {
            while pos < bytes.len() && is_cr_blank(bytes[pos]) {
                pos += 1;
            }
            if pos >= bytes.len() {
                return Ok(first.unwrap_or(Peek {
                    tok: Tok::End,
                    start: pos,
                    end: pos,
                }));
            }
            let start = pos;
            let c = bytes[start];
            self.lasttp = start;
            let (tok, end) = if is_name_start(c) {
                let (_, end) = self.scan_name(start)?;
                self.lasttp = saved;
                first.get_or_insert(Peek {
                    tok: Tok::Str,
                    start,
                    end,
                });
                pos = end;
                continue;
            } else if c.is_ascii_digit() {
                let end = number_end(bytes, start);
                self.strlong(start, end)?;
                (Tok::Num, end)
            } else {
                self.lex_op(start, Tok::Str, self.lasttok)?
            };
            self.lasttp = saved;
            return Ok(first.unwrap_or(Peek { tok, start, end }));
        }
    }

    /// Scan a name and its `[subscript]` starting at `start`: the end of the name
    /// and the end of the token.
    fn scan_name(&self, start: usize) -> R<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut cp = start + 1;
        while cp < bytes.len() && is_name_char(bytes[cp]) {
            cp += 1;
        }
        if bytes.get(cp) != Some(&b'[') {
            return Ok((cp, cp));
        }
        match skip_subscript(bytes, cp) {
            Some(close) => Ok((cp, close + 1)),
            None => Err(self.error("bad array subscript")),
        }
    }

    /// Lex an operator at `start`, given the current and previous tokens: the token
    /// and where it ends.
    fn lex_op(&self, start: usize, curtok: Tok, lasttok: Tok) -> R<(Tok, usize)> {
        let bytes = self.text.as_bytes();
        let c = bytes[start];
        let c1 = bytes.get(start + 1).copied().unwrap_or(0);
        let c2 = bytes.get(start + 2).copied().unwrap_or(0);
        let two = |tok| Ok((tok, start + 2));
        match (c, c1) {
            (b'=', b'=') => two(Tok::EqEq),
            (b'!', b'=') => two(Tok::Neq),
            (b'>', b'=') => two(Tok::Geq),
            (b'<', b'=') => two(Tok::Leq),
            (b'<', b'<') if c2 == b'=' => Ok((Tok::OpAssign(AssignOp::Lsh), start + 3)),
            (b'<', b'<') => two(Tok::Lsh),
            (b'>', b'>') if c2 == b'=' => Ok((Tok::OpAssign(AssignOp::Rsh), start + 3)),
            (b'>', b'>') => two(Tok::Rsh),
            (b'&', b'&') => two(Tok::LAnd),
            (b'|', b'|') => two(Tok::LOr),
            (b'*', b'*') => two(Tok::Power),
            (b'+' | b'-', _) if c1 == c => {
                let inc = c == b'+';
                if curtok == Tok::Str {
                    two(if inc { Tok::PostInc } else { Tok::PostDec })
                } else if curtok == Tok::Num && matches!(lasttok, Tok::PreInc | Tok::PreDec) {
                    // Something like `--x++`.
                    Err(self.error(if inc {
                        "++: assignment requires lvalue"
                    } else {
                        "--: assignment requires lvalue"
                    }))
                } else {
                    let mut xp = start + 2;
                    while xp < bytes.len() && is_cr_blank(bytes[xp]) {
                        xp += 1;
                    }
                    if bytes.get(xp).is_some_and(|&b| is_name_start(b)) {
                        two(if inc { Tok::PreInc } else { Tok::PreDec })
                    } else {
                        Ok((if inc { Tok::Plus } else { Tok::Minus }, start + 1))
                    }
                }
            }
            (_, b'=') if b"*/%+-&^|".contains(&c) => {
                let op = match c {
                    b'*' => AssignOp::Mul,
                    b'/' => AssignOp::Div,
                    b'%' => AssignOp::Mod,
                    b'+' => AssignOp::Plus,
                    b'-' => AssignOp::Minus,
                    b'&' => AssignOp::BAnd,
                    b'^' => AssignOp::BXor,
                    _ => AssignOp::BOr,
                };
                two(Tok::OpAssign(op))
            }
            _ => match single_char_tok(c) {
                Some(tok) => Ok((tok, start + 1)),
                None if matches!(curtok, Tok::Str | Tok::Num) => {
                    Err(self.error("syntax error: invalid arithmetic operator"))
                }
                None => Err(self.error("syntax error: operand expected")),
            },
        }
    }

    /// The value of the constant `text[start..end]` (bash's `strlong`).
    fn strlong(&self, start: usize, end: usize) -> R<i64> {
        let s = &self.text.as_bytes()[start..end];
        let err = |msg| Err(self.error_upto(msg, end));
        let mut i = 0;
        let mut base: i64 = 10;
        let mut found_base = false;
        if s.first() == Some(&b'0') {
            if s.len() == 1 {
                return Ok(0);
            }
            if matches!(s[1], b'x' | b'X') {
                base = 16;
                i = 2;
            } else {
                base = 8;
                i = 1;
            }
            found_base = true;
        }
        let mut val: i64 = 0;
        while i < s.len() {
            let c = s[i];
            i += 1;
            if c == b'#' {
                if found_base {
                    return err("invalid number");
                }
                if !(2..=64).contains(&val) {
                    return err("invalid arithmetic base");
                }
                base = val;
                val = 0;
                found_base = true;
                if !s
                    .get(i)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')
                {
                    return err("invalid integer constant");
                }
                continue;
            }
            let digit = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'z' => c - b'a' + 10,
                b'A'..=b'Z' if base <= 36 => c - b'A' + 10,
                b'A'..=b'Z' => c - b'A' + 36,
                b'@' => 62,
                _ => 63,
            };
            let digit = i64::from(digit);
            if digit >= base {
                return err("value too great for base");
            }
            val = val.wrapping_mul(base).wrapping_add(digit);
        }
        Ok(val)
    }
}

/// Operator precedence for [`Parser::binary`].
fn precedence(tok: Tok) -> Option<u8> {
    Some(match tok {
        Tok::LOr => 1,
        Tok::LAnd => 2,
        Tok::BOr => 3,
        Tok::BXor => 4,
        Tok::BAnd => 5,
        Tok::EqEq | Tok::Neq => 6,
        Tok::Lt | Tok::Gt | Tok::Leq | Tok::Geq => 7,
        Tok::Lsh | Tok::Rsh => 8,
        Tok::Plus | Tok::Minus => 9,
        Tok::Mul | Tok::Div | Tok::Mod => 10,
        _ => return None,
    })
}

fn single_char_tok(c: u8) -> Option<Tok> {
    Some(match c {
        b'=' => Tok::Assign,
        b'>' => Tok::Gt,
        b'<' => Tok::Lt,
        b'+' => Tok::Plus,
        b'-' => Tok::Minus,
        b'*' => Tok::Mul,
        b'/' => Tok::Div,
        b'%' => Tok::Mod,
        b'!' => Tok::Not,
        b'(' => Tok::LPar,
        b')' => Tok::RPar,
        b'&' => Tok::BAnd,
        b'|' => Tok::BOr,
        b'^' => Tok::BXor,
        b'~' => Tok::BNot,
        b'?' => Tok::Ques,
        b':' => Tok::Col,
        b',' => Tok::Comma,
        _ => return None,
    })
}

/// `a << b` as x86-64 computes it: the count modulo 64.
fn shl(a: i64, b: i64) -> i64 {
    a.wrapping_shl((b & 63) as u32)
}

/// `a >> b` (arithmetic), the count modulo 64.
fn shr(a: i64, b: i64) -> i64 {
    a.wrapping_shr((b & 63) as u32)
}

/// `base ** exp` for `exp > 0`, wrapping (bash's `ipow`).
fn ipow(mut base: i64, mut exp: i64) -> i64 {
    let mut result: i64 = 1;
    while exp != 0 {
        if exp & 1 != 0 {
            result = result.wrapping_mul(base);
        }
        exp >>= 1;
        base = base.wrapping_mul(base);
    }
    result
}

/// Blanks between tokens: space, tab, newline.
fn is_cr_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(is_cr_blank)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The text up to a NUL (where bash's C string would end).
fn before_nul(text: &str) -> &str {
    match text.find('\0') {
        Some(i) => &text[..i],
        None => text,
    }
}

/// The end of a constant starting at `start`: bash takes every following letter,
/// digit, `#`, `@` and `_`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'#' | b'@' | b'_'))
    {
        end += 1;
    }
    end
}

/// The value of `text` if it is just a decimal number (optionally negative, no
/// leading zero) between blanks, computed as the full evaluation would.
fn plain_decimal(text: &str) -> Option<i64> {
    let t = text.trim_matches(|c: char| c.is_ascii() && is_cr_blank(c as u8));
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let bytes = digits.as_bytes();
    if bytes.is_empty()
        || !bytes.iter().all(u8::is_ascii_digit)
        || (bytes[0] == b'0' && bytes.len() > 1)
    {
        return None;
    }
    let mut val: i64 = 0;
    for &b in bytes {
        val = val.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
    }
    Some(if neg { val.wrapping_neg() } else { val })
}

/// The position of the `]` closing the `[` at `open` (bash's `skipsubscript`):
/// brackets nest; backslashes, quotes, backquotes, `$(...)` and `${...}` are
/// skipped over.
fn skip_subscript(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    let mut count = 1usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => i = skip_past(bytes, i + 1, b'`')?,
            b'[' => {
                count += 1;
                i += 1;
            }
            b']' => {
                count -= 1;
                if count == 0 {
                    return Some(i);
                }
                i += 1;
            }
            b'\'' => i = skip_past(bytes, i + 1, b'\'')?,
            b'"' => {
                i += 1;
                loop {
                    match bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let (open_b, close_b) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let mut depth = 1usize;
                i += 2;
                while depth > 0 {
                    let b = *bytes.get(i)?;
                    if b == open_b {
                        depth += 1;
                    } else if b == close_b {
                        depth -= 1;
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The position after the next `close` at or after `from`.
fn skip_past(bytes: &[u8], from: usize, close: u8) -> Option<usize> {
    let rel = bytes.get(from..)?.iter().position(|&b| b == close)?;
    Some(from + rel + 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::collections::{BTreeMap, HashMap, HashSet};

    /// A variable of the test context.
    #[derive(Clone, Debug)]
    enum Var {
        Scalar(String),
        Indexed(BTreeMap<i64, String>),
        Assoc(BTreeMap<String, String>),
    }

    /// An in-memory [`ArithContext`] with bash's array semantics.
    #[derive(Default)]
    struct Vars {
        vars: HashMap<String, Var>,
        readonly: HashSet<String>,
        warnings: Vec<String>,
    }

    impl Vars {
        /// Variables from `x=5; a=(1 2); a=([5]=1); -A A=([k]=v); -r r=1`.
        fn parse(setup: &str) -> Self {
            let mut vars = Vars::default();
            for entry in setup.split(';').map(str::trim).filter(|e| !e.is_empty()) {
                let (assoc, readonly, entry) = if let Some(rest) = entry.strip_prefix("-A ") {
                    (true, false, rest)
                } else if let Some(rest) = entry.strip_prefix("-r ") {
                    (false, true, rest)
                } else {
                    (false, false, entry)
                };
                let (name, value) = entry.split_once('=').unwrap();
                let var = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
                    Some(items) if assoc => Var::Assoc(
                        items
                            .split_whitespace()
                            .map(|item| {
                                let (k, v) =
                                    item.strip_prefix('[').unwrap().split_once("]=").unwrap();
                                (k.to_string(), v.to_string())
                            })
                            .collect(),
                    ),
                    Some(items) => {
                        let mut map = BTreeMap::new();
                        let mut next = 0;
                        for item in items.split_whitespace() {
                            let value = match item.strip_prefix('[') {
                                Some(rest) => {
                                    let (k, v) = rest.split_once("]=").unwrap();
                                    next = k.parse().unwrap();
                                    v
                                }
                                None => item,
                            };
                            map.insert(next, value.to_string());
                            next += 1;
                        }
                        Var::Indexed(map)
                    }
                    None => Var::Scalar(value.to_string()),
                };
                if readonly {
                    vars.readonly.insert(name.to_string());
                }
                vars.vars.insert(name.to_string(), var);
            }
            vars
        }

        /// `${spec-unset}` for `name` or `name[index-or-key]`.
        fn lookup(&self, spec: &str) -> String {
            let (name, index) = match spec.split_once('[') {
                Some((name, rest)) => (name, Some(rest.strip_suffix(']').unwrap())),
                None => (spec, None),
            };
            let value = match (self.vars.get(name), index) {
                (None, _) => None,
                (Some(Var::Scalar(v)), None | Some("0")) => Some(v.clone()),
                (Some(Var::Scalar(_)), _) => None,
                (Some(Var::Indexed(m)), i) => m.get(&i.unwrap_or("0").parse().unwrap()).cloned(),
                (Some(Var::Assoc(m)), k) => m.get(k.unwrap_or("0")).cloned(),
            };
            value.unwrap_or_else(|| "unset".to_string())
        }

        /// Resolve a (possibly negative) index of an indexed array as bash does.
        fn resolve(var: Option<&Var>, index: &str) -> Option<i64> {
            let i: i64 = index.parse().ok()?;
            if i >= 0 {
                return Some(i);
            }
            let max = match var {
                Some(Var::Indexed(m)) => m.keys().next_back().copied().unwrap_or(-1),
                Some(Var::Scalar(_)) => 0,
                _ => -1,
            };
            let i = max + 1 + i;
            (i >= 0).then_some(i)
        }
    }

    impl ArithContext for Vars {
        fn get(&mut self, name: &str, index: Option<&str>) -> Option<String> {
            let var = self.vars.get(name);
            let Some(index) = index else {
                return match var? {
                    Var::Scalar(v) => Some(v.clone()),
                    Var::Indexed(m) => m.get(&0).cloned(),
                    Var::Assoc(m) => m.get("0").cloned(),
                };
            };
            if let Some(Var::Assoc(m)) = var {
                return m.get(index).cloned();
            }
            if index == "@" || index == "*" {
                self.warnings
                    .push(format!("{name}[{index}]: bad array subscript"));
                return None;
            }
            let negative = index.starts_with('-');
            let resolved = match var {
                Some(Var::Indexed(_)) | None => Self::resolve(var, index),
                _ if negative => None,
                _ => index.parse().ok(),
            };
            let Some(i) = resolved else {
                self.warnings.push(format!("{name}: bad array subscript"));
                return None;
            };
            match var? {
                Var::Scalar(v) => (i == 0).then(|| v.clone()),
                Var::Indexed(m) => m.get(&i).cloned(),
                Var::Assoc(_) => None,
            }
        }

        fn set(&mut self, name: &str, index: Option<&str>, value: i64) -> Result<(), ArithError> {
            if self.readonly.contains(name) {
                return Err(ArithError::new(format!("{name}: readonly variable")));
            }
            let value = value.to_string();
            let var = self.vars.get(name);
            let Some(index) = index else {
                match self.vars.get_mut(name) {
                    Some(Var::Indexed(m)) => {
                        m.insert(0, value);
                    }
                    Some(Var::Assoc(m)) => {
                        m.insert("0".to_string(), value);
                    }
                    _ => {
                        self.vars.insert(name.to_string(), Var::Scalar(value));
                    }
                }
                return Ok(());
            };
            if let Some(Var::Assoc(_)) = var {
                if let Some(Var::Assoc(m)) = self.vars.get_mut(name) {
                    m.insert(index.to_string(), value);
                }
                return Ok(());
            }
            let Some(i) = Self::resolve(var, index) else {
                self.warnings
                    .push(format!("{name}[{index}]: bad array subscript"));
                return Ok(());
            };
            let mut map = match self.vars.remove(name) {
                Some(Var::Indexed(m)) => m,
                Some(Var::Scalar(v)) => BTreeMap::from([(0, v)]),
                _ => BTreeMap::new(),
            };
            map.insert(i, value);
            self.vars.insert(name.to_string(), Var::Indexed(map));
            Ok(())
        }

        fn is_assoc(&self, name: &str) -> bool {
            matches!(self.vars.get(name), Some(Var::Assoc(_)))
        }

        fn resolve_index(&mut self, name: &str, index: i64) -> i64 {
            Self::resolve(self.vars.get(name), &index.to_string()).unwrap_or(index)
        }

        fn expand_subscript(&mut self, text: &str) -> Result<String, ArithError> {
            // Enough of bash's expansion for the tests: `$name` and quote removal.
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' => {}
                    '$' => {
                        let mut name = String::new();
                        while let Some(&c) = chars
                            .peek()
                            .filter(|c| c.is_ascii_alphanumeric() || **c == '_')
                        {
                            name.push(c);
                            chars.next();
                        }
                        out.push_str(&self.get(&name, None).unwrap_or_default());
                    }
                    c => out.push(c),
                }
            }
            Ok(out)
        }

        fn warn(&mut self, message: &str) {
            self.warnings.push(message.to_string());
        }
    }

    type Case = (
        &'static str,
        &'static str,
        Result<i64, &'static str>,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    );

    /// (variables, expression, value or error message, variables afterwards,
    /// non-fatal errors), all taken from bash 5.2.15 (`r=$((EXPR))`).
    const CASES: &[Case] = &[
        ("", "0", Ok(0), &[], &[]),
        ("", "7", Ok(7), &[], &[]),
        ("", "  42  ", Ok(42), &[], &[]),
        ("", "010", Ok(8), &[], &[]),
        ("", "0x1F", Ok(31), &[], &[]),
        ("", "0X1f", Ok(31), &[], &[]),
        ("", "0x", Ok(0), &[], &[]),
        ("", "00", Ok(0), &[], &[]),
        ("", "2#101", Ok(5), &[], &[]),
        ("", "8#777", Ok(511), &[], &[]),
        ("", "16#ff", Ok(255), &[], &[]),
        ("", "16#FF", Ok(255), &[], &[]),
        ("", "36#zZ", Ok(1295), &[], &[]),
        ("", "36#Z", Ok(35), &[], &[]),
        ("", "64#a", Ok(10), &[], &[]),
        ("", "64#A", Ok(36), &[], &[]),
        ("", "64#Z", Ok(61), &[], &[]),
        ("", "64#@", Ok(62), &[], &[]),
        ("", "64#_", Ok(63), &[], &[]),
        ("", "64#@_", Ok(4031), &[], &[]),
        ("", "2#1", Ok(1), &[], &[]),
        ("", "9223372036854775807", Ok(9223372036854775807), &[], &[]),
        ("", "9223372036854775808", Ok(i64::MIN), &[], &[]),
        (
            "",
            "99999999999999999999",
            Ok(7766279631452241919),
            &[],
            &[],
        ),
        ("", "18446744073709551618#11", Ok(3), &[], &[]),
        ("", "-9223372036854775808", Ok(i64::MIN), &[], &[]),
        (
            "",
            "09",
            Err("09: value too great for base (error token is \"09\")"),
            &[],
            &[],
        ),
        (
            "",
            "08",
            Err("08: value too great for base (error token is \"08\")"),
            &[],
            &[],
        ),
        (
            "",
            "1a",
            Err("1a: value too great for base (error token is \"1a\")"),
            &[],
            &[],
        ),
        (
            "",
            "0x1G",
            Err("0x1G: value too great for base (error token is \"0x1G\")"),
            &[],
            &[],
        ),
        (
            "",
            "0_",
            Err("0_: value too great for base (error token is \"0_\")"),
            &[],
            &[],
        ),
        (
            "",
            "0@",
            Err("0@: value too great for base (error token is \"0@\")"),
            &[],
            &[],
        ),
        (
            "",
            "1_0",
            Err("1_0: value too great for base (error token is \"1_0\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#2",
            Err("2#2: value too great for base (error token is \"2#2\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#",
            Err("2#: invalid integer constant (error token is \"2#\")"),
            &[],
            &[],
        ),
        (
            "",
            "10#",
            Err("10#: invalid integer constant (error token is \"10#\")"),
            &[],
            &[],
        ),
        (
            "",
            "2##",
            Err("2##: invalid integer constant (error token is \"2##\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#+1",
            Err("2#: invalid integer constant (error token is \"2#\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#@",
            Err("2#@: value too great for base (error token is \"2#@\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#_",
            Err("2#_: value too great for base (error token is \"2#_\")"),
            &[],
            &[],
        ),
        (
            "",
            "1#1",
            Err("1#1: invalid arithmetic base (error token is \"1#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "65#1",
            Err("65#1: invalid arithmetic base (error token is \"65#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "0#1",
            Err("0#1: invalid number (error token is \"0#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "2#1#1",
            Err("2#1#1: invalid number (error token is \"2#1#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "0x#1",
            Err("0x#1: invalid number (error token is \"0x#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "08#1",
            Err("08#1: value too great for base (error token is \"08#1\")"),
            &[],
            &[],
        ),
        (
            "",
            "37#zZ",
            Err("37#zZ: value too great for base (error token is \"37#zZ\")"),
            &[],
            &[],
        ),
        (
            "",
            "1+09+2",
            Err("1+09: value too great for base (error token is \"09\")"),
            &[],
            &[],
        ),
        (
            "",
            "3*0xZ-1",
            Err("3*0xZ: value too great for base (error token is \"0xZ\")"),
            &[],
            &[],
        ),
        (
            "",
            "x=1+08",
            Err("x=1+08: value too great for base (error token is \"08\")"),
            &[],
            &[],
        ),
        ("", "", Ok(0), &[], &[]),
        ("", "   ", Ok(0), &[], &[]),
        ("", "\n\t \n", Ok(0), &[], &[]),
        ("", "1 +\n2", Ok(3), &[], &[]),
        ("", "1\t+\t2", Ok(3), &[], &[]),
        (
            "",
            "\t1/0",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            " \t 1/0",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "\n1/0",
            Err("\n1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "  1/0  ",
            Err("1/0  : division by 0 (error token is \"0  \")"),
            &[],
            &[],
        ),
        (
            "",
            "1 /\n0",
            Err("1 /\n0: division by 0 (error token is \"\n0\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 /\t 0",
            Err("1 /\t 0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        ("", "x\n=\n3", Ok(3), &[("x", "3")], &[]),
        (
            "",
            "1\r",
            Err("1\r: syntax error: invalid arithmetic operator (error token is \"\r\")"),
            &[],
            &[],
        ),
        (
            "",
            "( 1 ",
            Err("( 1 : missing `)' (error token is \"1 \")"),
            &[],
            &[],
        ),
        ("", "1+2*3", Ok(7), &[], &[]),
        ("", "(1+2)*3", Ok(9), &[], &[]),
        ("", "2**3**2", Ok(512), &[], &[]),
        ("", "-2**2", Ok(4), &[], &[]),
        ("", "(-2)**2", Ok(4), &[], &[]),
        ("", "- 2 ** 2", Ok(4), &[], &[]),
        ("", "!0**5", Ok(1), &[], &[]),
        ("", "~1**2", Ok(4), &[], &[]),
        ("", "2*3**2", Ok(18), &[], &[]),
        ("", "10-4-3", Ok(3), &[], &[]),
        ("", "100/10/5", Ok(2), &[], &[]),
        ("", "2**-0", Ok(1), &[], &[]),
        ("", "7%-3", Ok(1), &[], &[]),
        ("", "-7%3", Ok(-1), &[], &[]),
        ("", "-7/2", Ok(-3), &[], &[]),
        ("", "1<<2+1", Ok(8), &[], &[]),
        ("", "1+1<<2", Ok(8), &[], &[]),
        ("", "5&3|8", Ok(9), &[], &[]),
        ("", "5^3&1", Ok(4), &[], &[]),
        ("", "1|2^3&4", Ok(3), &[], &[]),
        ("", "1<2==1", Ok(1), &[], &[]),
        ("", "3>2>1", Ok(0), &[], &[]),
        ("", "1==1!=0", Ok(1), &[], &[]),
        ("", "1 && 0 || 1", Ok(1), &[], &[]),
        ("", "1 || 0 && 0", Ok(1), &[], &[]),
        ("", "0 || 0 && 1", Ok(0), &[], &[]),
        ("", "1 ? 2 : 3 ? 4 : 5", Ok(2), &[], &[]),
        ("", "0 ? 2 : 0 ? 3 : 4", Ok(4), &[], &[]),
        ("", "0 ? 2 : 1 ? 3 : 4", Ok(3), &[], &[]),
        ("", "1 ? 0 ? 5 : 6 : 7", Ok(6), &[], &[]),
        ("", "(1, 2) ? 3 : 4", Ok(3), &[], &[]),
        ("", "1 ? 2, 3 : 4", Ok(3), &[], &[]),
        ("", "1,2,3", Ok(3), &[], &[]),
        ("", "( 1 , 2 )", Ok(2), &[], &[]),
        ("", "(((1)))", Ok(1), &[], &[]),
        ("", "-(-(-(1)))", Ok(-1), &[], &[]),
        ("", "!!7", Ok(1), &[], &[]),
        ("", "~0", Ok(-1), &[], &[]),
        ("", "~-1", Ok(0), &[], &[]),
        ("", "- -3", Ok(3), &[], &[]),
        ("", "-+-+3", Ok(3), &[], &[]),
        ("", "+-3", Ok(-3), &[], &[]),
        ("", "!-1", Ok(0), &[], &[]),
        ("", "3 - -3", Ok(6), &[], &[]),
        ("", "3 - - 3", Ok(6), &[], &[]),
        ("", "1 ++ 2", Ok(3), &[], &[]),
        ("", "1 -- 2", Ok(3), &[], &[]),
        ("", "5++3", Ok(8), &[], &[]),
        ("", "--5", Ok(5), &[], &[]),
        ("", "++5", Ok(5), &[], &[]),
        ("", "-- 5", Ok(5), &[], &[]),
        ("", "++ 1", Ok(1), &[], &[]),
        ("", "1<2", Ok(1), &[], &[]),
        ("", "2<=2", Ok(1), &[], &[]),
        ("", "3>2", Ok(1), &[], &[]),
        ("", "2>=3", Ok(0), &[], &[]),
        ("", "1!=1", Ok(0), &[], &[]),
        ("", "1==1", Ok(1), &[], &[]),
        ("", "5&3", Ok(1), &[], &[]),
        ("", "5|3", Ok(7), &[], &[]),
        ("", "5^3", Ok(6), &[], &[]),
        ("", "3<<2", Ok(12), &[], &[]),
        ("", "-8>>1", Ok(-4), &[], &[]),
        ("", "-1>>70", Ok(-1), &[], &[]),
        ("", "1<<63", Ok(i64::MIN), &[], &[]),
        ("", "1<<64", Ok(1), &[], &[]),
        ("", "1<<65", Ok(2), &[], &[]),
        ("", "1<<-1", Ok(i64::MIN), &[], &[]),
        ("", "-16>>-62", Ok(-4), &[], &[]),
        ("", "2**62", Ok(4611686018427387904), &[], &[]),
        ("", "2**63", Ok(i64::MIN), &[], &[]),
        ("", "2**64", Ok(0), &[], &[]),
        ("", "(-2)**63", Ok(i64::MIN), &[], &[]),
        ("", "3**40", Ok(-6289078614652622815), &[], &[]),
        ("", "0**0", Ok(1), &[], &[]),
        ("", "2**0**5", Ok(1), &[], &[]),
        ("", "(-1)**1001", Ok(-1), &[], &[]),
        ("", "9223372036854775807+1", Ok(i64::MIN), &[], &[]),
        (
            "",
            "-9223372036854775807-2",
            Ok(9223372036854775807),
            &[],
            &[],
        ),
        ("", "9223372036854775807*2", Ok(-2), &[], &[]),
        ("", "-9223372036854775808/-1", Ok(i64::MIN), &[], &[]),
        ("", "-9223372036854775808%-1", Ok(0), &[], &[]),
        ("", "-(-9223372036854775808)", Ok(i64::MIN), &[], &[]),
        ("", "~9223372036854775807", Ok(i64::MIN), &[], &[]),
        ("", "-9223372036854775808*-1", Ok(i64::MIN), &[], &[]),
        (
            "",
            "1/0",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "5 % 0",
            Err("5 % 0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 / 0 + 2",
            Err("1 / 0 + 2: division by 0 (error token is \"0 + 2\")"),
            &[],
            &[],
        ),
        ("", "0 && 1/0", Ok(0), &[], &[]),
        ("", "0 && 1 % 0", Ok(0), &[], &[]),
        ("", "1 || 1/0", Ok(1), &[], &[]),
        (
            "",
            "0 || 1/0",
            Err("0 || 1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 && 1/0",
            Err("1 && 1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        ("", "0 ? 1/0 : 2", Ok(2), &[], &[]),
        ("", "1 ? 2 : 1/0", Ok(2), &[], &[]),
        (
            "",
            "0 ? 1 : 1/0",
            Err("0 ? 1 : 1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "2**-1",
            Err("2**-1: exponent less than 0 (error token is \"1\")"),
            &[],
            &[],
        ),
        (
            "",
            "2**-1+3",
            Err("2**-1+3: exponent less than 0 (error token is \"+3\")"),
            &[],
            &[],
        ),
        (
            "",
            "0 && 2**-1",
            Err("0 && 2**-1: exponent less than 0 (error token is \"1\")"),
            &[],
            &[],
        ),
        (
            "",
            "(1/0)",
            Err("(1/0): division by 0 (error token is \"0)\")"),
            &[],
            &[],
        ),
        (
            "",
            "4/(2-2)",
            Err("4/(2-2): division by 0 (error token is \"(2-2)\")"),
            &[],
            &[],
        ),
        (
            "",
            "3%(1-1)",
            Err("3%(1-1): division by 0 (error token is \"(1-1)\")"),
            &[],
            &[],
        ),
        (
            "",
            "1+",
            Err("1+: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 +",
            Err("1 +: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "",
            "2+3 4",
            Err("2+3 4: syntax error in expression (error token is \"4\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 2",
            Err("1 2: syntax error in expression (error token is \"2\")"),
            &[],
            &[],
        ),
        (
            "",
            "(1",
            Err("(1: missing `)' (error token is \"1\")"),
            &[],
            &[],
        ),
        (
            "",
            "(1))",
            Err("(1)): syntax error in expression (error token is \")\")"),
            &[],
            &[],
        ),
        (
            "",
            ")",
            Err("): syntax error: operand expected (error token is \")\")"),
            &[],
            &[],
        ),
        (
            "",
            "()",
            Err("(): syntax error: operand expected (error token is \")\")"),
            &[],
            &[],
        ),
        (
            "",
            "( )",
            Err("( ): syntax error: operand expected (error token is \")\")"),
            &[],
            &[],
        ),
        (
            "",
            "*1",
            Err("*1: syntax error: operand expected (error token is \"*1\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 $ 2",
            Err("1 $ 2: syntax error: invalid arithmetic operator (error token is \"$ 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "$",
            Err("$: syntax error: operand expected (error token is \"$\")"),
            &[],
            &[],
        ),
        (
            "",
            "+$",
            Err("+$: syntax error: operand expected (error token is \"$\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 @",
            Err("1 @: syntax error: invalid arithmetic operator (error token is \"@\")"),
            &[],
            &[],
        ),
        (
            "",
            "@",
            Err("@: syntax error: operand expected (error token is \"@\")"),
            &[],
            &[],
        ),
        (
            "",
            "#",
            Err("#: syntax error: operand expected (error token is \"#\")"),
            &[],
            &[],
        ),
        (
            "",
            "1.5",
            Err("1.5: syntax error: invalid arithmetic operator (error token is \".5\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ; 2",
            Err("1 ; 2: syntax error: invalid arithmetic operator (error token is \"; 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 \\ 2",
            Err("1 \\ 2: syntax error: invalid arithmetic operator (error token is \"\\ 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "\"1\"",
            Err("\"1\": syntax error: operand expected (error token is \"\"1\"\")"),
            &[],
            &[],
        ),
        (
            "",
            "'1'",
            Err("'1': syntax error: operand expected (error token is \"'1'\")"),
            &[],
            &[],
        ),
        (
            "",
            "[1]",
            Err("[1]: syntax error: operand expected (error token is \"[1]\")"),
            &[],
            &[],
        ),
        (
            "",
            "{",
            Err("{: syntax error: operand expected (error token is \"{\")"),
            &[],
            &[],
        ),
        (
            "",
            "é",
            Err("é: syntax error: operand expected (error token is \"é\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 é",
            Err("1 é: syntax error: invalid arithmetic operator (error token is \"é\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ? 2",
            Err("1 ? 2: `:' expected for conditional expression (error token is \"2\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ?",
            Err("1 ?: expression expected (error token is \"?\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ? : 3",
            Err("1 ? : 3: expression expected (error token is \": 3\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ? 2 :",
            Err("1 ? 2 :: expression expected (error token is \":\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ? 2 : 3 : 4",
            Err("1 ? 2 : 3 : 4: syntax error in expression (error token is \": 4\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 , ",
            Err("1 , : syntax error: operand expected (error token is \", \")"),
            &[],
            &[],
        ),
        (
            "",
            ", 1",
            Err(", 1: syntax error: operand expected (error token is \", 1\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ,, 2",
            Err("1 ,, 2: syntax error: operand expected (error token is \", 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "= 1",
            Err("= 1: syntax error: operand expected (error token is \"= 1\")"),
            &[],
            &[],
        ),
        (
            "",
            "&& 1",
            Err("&& 1: syntax error: operand expected (error token is \"&& 1\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 && ",
            Err("1 && : syntax error: operand expected (error token is \"&& \")"),
            &[],
            &[],
        ),
        (
            "",
            "1 || || 2",
            Err("1 || || 2: syntax error: operand expected (error token is \"|| 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "(1 + 2",
            Err("(1 + 2: missing `)' (error token is \"2\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 + 2)",
            Err("1 + 2): syntax error in expression (error token is \")\")"),
            &[],
            &[],
        ),
        (
            "",
            "!",
            Err("!: syntax error: operand expected (error token is \"!\")"),
            &[],
            &[],
        ),
        (
            "",
            "~",
            Err("~: syntax error: operand expected (error token is \"~\")"),
            &[],
            &[],
        ),
        (
            "",
            "-",
            Err("-: syntax error: operand expected (error token is \"-\")"),
            &[],
            &[],
        ),
        (
            "",
            "5--",
            Err("5--: syntax error: operand expected (error token is \"-\")"),
            &[],
            &[],
        ),
        (
            "",
            "5++",
            Err("5++: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 = 2",
            Err("1 = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 + 2 = 3",
            Err("1 + 2 = 3: attempted assignment to non-variable (error token is \"= 3\")"),
            &[],
            &[],
        ),
        (
            "",
            "1 ** 2 = 3",
            Err("1 ** 2 = 3: attempted assignment to non-variable (error token is \"= 3\")"),
            &[],
            &[],
        ),
        (
            "",
            "(1) = 2",
            Err("(1) = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "a [1]",
            Err("a [1]: syntax error: invalid arithmetic operator (error token is \"[1]\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[1] [2]",
            Err("a[1] [2]: syntax error: invalid arithmetic operator (error token is \"[2]\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[1]]",
            Err("a[1]]: syntax error: invalid arithmetic operator (error token is \"]\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[1",
            Err("a[1: bad array subscript (error token is \"a[1\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[a[1]",
            Err("a[a[1]: bad array subscript (error token is \"a[a[1]\")"),
            &[],
            &[],
        ),
        (
            "",
            "0 && a[1",
            Err("0 && a[1: bad array subscript (error token is \"a[1\")"),
            &[],
            &[],
        ),
        (
            "",
            "0 && 09",
            Err("0 && 09: value too great for base (error token is \"09\")"),
            &[],
            &[],
        ),
        (
            "",
            "0 && 1 $ 2",
            Err("0 && 1 $ 2: syntax error: invalid arithmetic operator (error token is \"$ 2\")"),
            &[],
            &[],
        ),
        (
            "",
            "x y 1",
            Err("x y 1: syntax error in expression (error token is \"y 1\")"),
            &[],
            &[],
        ),
        (
            "",
            "x y $",
            Err("x y $: syntax error: invalid arithmetic operator (error token is \"$\")"),
            &[],
            &[],
        ),
        (
            "",
            "x $",
            Err("x $: syntax error: invalid arithmetic operator (error token is \"$\")"),
            &[],
            &[],
        ),
        (
            "",
            "x 09",
            Err("x 09: value too great for base (error token is \"09\")"),
            &[],
            &[],
        ),
        (
            "",
            "x y[",
            Err("x y[: bad array subscript (error token is \"y[\")"),
            &[],
            &[],
        ),
        (
            "",
            "(x)++",
            Err("(x)++: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "",
            "x++3",
            Err("x++3: syntax error in expression (error token is \"3\")"),
            &[],
            &[],
        ),
        ("x=5", "x", Ok(5), &[("x", "5")], &[]),
        ("x=5", "x+1", Ok(6), &[("x", "5")], &[]),
        (
            "x=' 7 '",
            "x*2",
            Err("' 7 ': syntax error: operand expected (error token is \"' 7 '\")"),
            &[],
            &[],
        ),
        ("x=1+2", "x*2", Ok(6), &[], &[]),
        ("x=1+2", "(x)*2", Ok(6), &[], &[]),
        ("x=", "x+1", Ok(1), &[], &[]),
        ("", "unset_var+1", Ok(1), &[], &[]),
        ("x=010", "x+1", Ok(9), &[], &[]),
        ("x=0x10", "x", Ok(16), &[], &[]),
        ("x=2#101", "x", Ok(5), &[], &[]),
        ("x=y;y=7", "x+1", Ok(8), &[], &[]),
        ("x=y+1;y=z*2;z=3", "x", Ok(7), &[], &[]),
        ("x=y=3", "x+1", Ok(4), &[("x", "y=3"), ("y", "3")], &[]),
        (
            "x=5x",
            "x+1",
            Err("5x: value too great for base (error token is \"5x\")"),
            &[],
            &[],
        ),
        (
            "x=  1+",
            "2*x",
            Err("1+: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "x=1+09 +3",
            "2*x",
            Err("1+09: value too great for base (error token is \"09\")"),
            &[],
            &[],
        ),
        (
            "x=a[1",
            "x",
            Err("a[1: bad array subscript (error token is \"a[1\")"),
            &[],
            &[],
        ),
        (
            "x=1 2",
            "x+1",
            Err("1 2: syntax error in expression (error token is \"2\")"),
            &[],
            &[],
        ),
        (
            "x=y z",
            "x",
            Err("y z: syntax error in expression (error token is \"z\")"),
            &[],
            &[],
        ),
        ("x=1/0", "x = 5", Ok(5), &[("x", "5")], &[]),
        ("x=1/0", "x=4", Ok(4), &[("x", "4")], &[]),
        (
            "x=1/0",
            "x+=4",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=1/0",
            "x == 5",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=1/0",
            "++x",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=1/0",
            "x++",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=1/0",
            "++x=5",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        ("x=1/0", "0 && x", Ok(0), &[], &[]),
        ("x=1/0", "1 || x", Ok(1), &[], &[]),
        ("x=1/0", "0 ? x : 1", Ok(1), &[], &[]),
        ("x=1/0", "1 ? 2 : x", Ok(2), &[], &[]),
        (
            "x=1/0",
            "1 ? x : 2",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=x",
            "x",
            Err("x: expression recursion level exceeded (error token is \"x\")"),
            &[],
            &[],
        ),
        (
            "x=x+1",
            "x",
            Err("x+1: expression recursion level exceeded (error token is \"x+1\")"),
            &[],
            &[],
        ),
        (
            "x=y;y=x",
            "x+2",
            Err("y: expression recursion level exceeded (error token is \"y\")"),
            &[],
            &[],
        ),
        ("x=-3", "x*x", Ok(9), &[], &[]),
        ("x=-9223372036854775808", "x", Ok(i64::MIN), &[], &[]),
        ("x=9223372036854775808", "x", Ok(i64::MIN), &[], &[]),
        ("x=5", "x=3", Ok(3), &[("x", "3"), ("y", "unset")], &[]),
        ("x=5", "x = 3", Ok(3), &[("x", "3"), ("y", "unset")], &[]),
        ("x=5", "x=y=7", Ok(7), &[("x", "7"), ("y", "7")], &[]),
        ("x=5", "x+=2", Ok(7), &[("x", "7"), ("y", "unset")], &[]),
        ("x=5", "x-=2", Ok(3), &[("x", "3"), ("y", "unset")], &[]),
        ("x=5", "x*=3", Ok(15), &[("x", "15"), ("y", "unset")], &[]),
        ("x=5", "x/=2", Ok(2), &[("x", "2"), ("y", "unset")], &[]),
        ("x=5", "x%=3", Ok(2), &[("x", "2"), ("y", "unset")], &[]),
        ("x=5", "x<<=2", Ok(20), &[("x", "20"), ("y", "unset")], &[]),
        ("x=5", "x>>=1", Ok(2), &[("x", "2"), ("y", "unset")], &[]),
        ("x=5", "x&=6", Ok(4), &[("x", "4"), ("y", "unset")], &[]),
        ("x=5", "x|=8", Ok(13), &[("x", "13"), ("y", "unset")], &[]),
        ("x=5", "x^=5", Ok(0), &[("x", "0"), ("y", "unset")], &[]),
        (
            "x=5",
            "x/=0",
            Err("x/=0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x %= 0 ",
            Err("x %= 0 : division by 0 (error token is \"0 \")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x/=0+0",
            Err("x/=0+0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x /= 0",
            Err("x /= 0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x=2, y=3, x*y",
            Ok(6),
            &[("x", "2"), ("y", "3")],
            &[],
        ),
        (
            "x=5",
            "x = 1 + (y = 2)",
            Ok(3),
            &[("x", "3"), ("y", "2")],
            &[],
        ),
        (
            "x=5",
            "x = (y = 2) + 1",
            Ok(3),
            &[("x", "3"), ("y", "2")],
            &[],
        ),
        ("x=5", "x += y += 3", Ok(8), &[("x", "8"), ("y", "3")], &[]),
        ("x=5", "x = y", Ok(0), &[("x", "0"), ("y", "unset")], &[]),
        (
            "x=5",
            "x = x + 1",
            Ok(6),
            &[("x", "6"), ("y", "unset")],
            &[],
        ),
        ("x=5", "x=x++", Ok(5), &[("x", "5"), ("y", "unset")], &[]),
        ("x=5", "x=++x", Ok(6), &[("x", "6"), ("y", "unset")], &[]),
        (
            "x=5",
            "x++ = 2",
            Err("x++ = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "++x = 2",
            Err("++x = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x , = 2",
            Err("x , = 2: syntax error: operand expected (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x =",
            Err("x =: syntax error: operand expected (error token is \"=\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x = ",
            Err("x = : syntax error: operand expected (error token is \"= \")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x=+=2",
            Err("x=+=2: syntax error: operand expected (error token is \"+=2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x**=2",
            Err("x**=2: syntax error: operand expected (error token is \"=2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "1 + x = 2",
            Err("1 + x = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "-x = 2",
            Err("-x = 2: attempted assignment to non-variable (error token is \"= 2\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "1|x=5",
            Err("1|x=5: attempted assignment to non-variable (error token is \"=5\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "1 ? 2 : x = 3",
            Err("1 ? 2 : x = 3: attempted assignment to non-variable (error token is \"= 3\")"),
            &[],
            &[],
        ),
        (
            "x=5",
            "x=1 ? 2 : 3",
            Ok(2),
            &[("x", "2"), ("y", "unset")],
            &[],
        ),
        (
            "x=5",
            "0 ? x=1 : (y=2)",
            Ok(2),
            &[("x", "5"), ("y", "2")],
            &[],
        ),
        (
            "x=5",
            "1 ? x=1 : (y=2)",
            Ok(1),
            &[("x", "1"), ("y", "unset")],
            &[],
        ),
        (
            "x=5",
            "0 && (x=9)",
            Ok(0),
            &[("x", "5"), ("y", "unset")],
            &[],
        ),
        (
            "x=5",
            "1 || (x=9)",
            Ok(1),
            &[("x", "5"), ("y", "unset")],
            &[],
        ),
        ("x=5", "0 && x++", Ok(0), &[("x", "5"), ("y", "unset")], &[]),
        ("x=5", "0 && x--", Ok(0), &[("x", "5"), ("y", "unset")], &[]),
        ("x=5", "0 && ++x", Ok(0), &[("x", "5"), ("y", "unset")], &[]),
        (
            "x=5",
            "0 ? (x = 1/0) : 3",
            Ok(3),
            &[("x", "5"), ("y", "unset")],
            &[],
        ),
        ("x=5", "x<<=64", Ok(5), &[("x", "5"), ("y", "unset")], &[]),
        ("x=5", "x>>=-1", Ok(0), &[("x", "0"), ("y", "unset")], &[]),
        (
            "x=-9223372036854775808",
            "x/=-1",
            Ok(i64::MIN),
            &[("x", "-9223372036854775808")],
            &[],
        ),
        ("x=-9223372036854775808", "x%=-1", Ok(0), &[("x", "0")], &[]),
        (
            "x=-9223372036854775808;y=-1",
            "x % y = 5",
            Err("x % y = 5: division by 0 (error token is \"y = 5\")"),
            &[],
            &[],
        ),
        (
            "x=-9223372036854775808;y=-1",
            "x % y",
            Ok(0),
            &[("x", "-9223372036854775808"), ("y", "-1")],
            &[],
        ),
        (
            "x=9223372036854775807",
            "x+=1",
            Ok(i64::MIN),
            &[("x", "-9223372036854775808")],
            &[],
        ),
        (
            "x=9223372036854775807",
            "++x",
            Ok(i64::MIN),
            &[("x", "-9223372036854775808")],
            &[],
        ),
        ("x=3;y=4", "x++", Ok(3), &[("x", "4"), ("y", "4")], &[]),
        ("x=3;y=4", "x--", Ok(3), &[("x", "2"), ("y", "4")], &[]),
        ("x=3;y=4", "++x", Ok(4), &[("x", "4"), ("y", "4")], &[]),
        ("x=3;y=4", "--x", Ok(2), &[("x", "2"), ("y", "4")], &[]),
        ("x=3;y=4", "x++ + x", Ok(7), &[("x", "4"), ("y", "4")], &[]),
        (
            "x=3;y=4",
            "x-- - --x",
            Ok(2),
            &[("x", "1"), ("y", "4")],
            &[],
        ),
        ("x=3;y=4", "x+++y", Ok(7), &[("x", "4"), ("y", "4")], &[]),
        ("x=3;y=4", "x---y", Ok(-1), &[("x", "2"), ("y", "4")], &[]),
        ("x=3;y=4", "x- --y", Ok(0), &[("x", "3"), ("y", "3")], &[]),
        ("x=3;y=4", "x+ ++y", Ok(8), &[("x", "3"), ("y", "5")], &[]),
        ("x=3;y=4", "++ x", Ok(4), &[("x", "4"), ("y", "4")], &[]),
        ("x=3;y=4", "x ++", Ok(3), &[("x", "4"), ("y", "4")], &[]),
        (
            "x=3;y=4",
            "x++ + ++y",
            Ok(8),
            &[("x", "4"), ("y", "5")],
            &[],
        ),
        ("x=3;y=4", "++(x)", Ok(3), &[("x", "3"), ("y", "4")], &[]),
        (
            "x=3;y=4",
            "x++ ++y",
            Err("x++ ++y: syntax error in expression (error token is \"++y\")"),
            &[],
            &[],
        ),
        (
            "x=3;y=4",
            "--x++",
            Err("--x++: ++: assignment requires lvalue (error token is \"++\")"),
            &[],
            &[],
        ),
        (
            "x=3;y=4",
            "--x--",
            Err("--x--: --: assignment requires lvalue (error token is \"--\")"),
            &[],
            &[],
        ),
        (
            "x=3;y=4",
            "++x++",
            Err("++x++: ++: assignment requires lvalue (error token is \"++\")"),
            &[],
            &[],
        ),
        ("x=3;y=4", "x--, x--", Ok(2), &[("x", "1"), ("y", "4")], &[]),
        (
            "x=3;y=4",
            "x ? x-- : x",
            Ok(3),
            &[("x", "2"), ("y", "4")],
            &[],
        ),
        ("x=3;y=4", "!x", Ok(0), &[("x", "3"), ("y", "4")], &[]),
        ("x=3;y=4", "~x", Ok(-4), &[("x", "3"), ("y", "4")], &[]),
        ("x=3;y=4", "!!x", Ok(1), &[("x", "3"), ("y", "4")], &[]),
        ("x=3;y=4", "-x", Ok(-3), &[("x", "3"), ("y", "4")], &[]),
        ("x=3;y=4", "- -x", Ok(3), &[("x", "3"), ("y", "4")], &[]),
        (
            "x=3;y=4",
            "x = x++ + 1",
            Ok(4),
            &[("x", "4"), ("y", "4")],
            &[],
        ),
        ("x=3;y=4", "x++ , x", Ok(4), &[("x", "4"), ("y", "4")], &[]),
        (
            "x=' 7 '",
            "--x",
            Err("' 7 ': syntax error: operand expected (error token is \"' 7 '\")"),
            &[],
            &[],
        ),
        ("", "u++", Ok(0), &[("u", "1")], &[]),
        ("", "--u", Ok(-1), &[("u", "-1")], &[]),
        ("x=1+2", "x++", Ok(3), &[("x", "4")], &[]),
        ("a=(1 2 3)", "a[0]+a[1]+a[2]", Ok(6), &[], &[]),
        ("a=(1 2 3)", "a", Ok(1), &[], &[]),
        ("a=(1 2 3)", "a[1+1]", Ok(3), &[], &[]),
        ("a=(1 2 3)", "a[ 2 ]", Ok(3), &[], &[]),
        ("a=(1 2 3)", "a[-1]", Ok(3), &[], &[]),
        ("a=(1 2 3)", "a[-3]", Ok(1), &[], &[]),
        (
            "a=(1 2 3)",
            "a[-5]",
            Ok(0),
            &[],
            &["a: bad array subscript"],
        ),
        (
            "a=(1 2 3)",
            "a[-5]+1",
            Ok(1),
            &[],
            &["a: bad array subscript"],
        ),
        ("a=(1 2 3)", "a[9]", Ok(0), &[], &[]),
        ("a=(1 2 3)", "a[a[0]]", Ok(2), &[], &[]),
        ("a=(1 2 3)", "a[a[1]]", Ok(3), &[], &[]),
        ("a=([5]=1 [7]=2)", "a[-1]", Ok(2), &[], &[]),
        ("a=([5]=1 [7]=2)", "a[-3]", Ok(1), &[], &[]),
        ("a=(1 2 3)", "a[1]=9", Ok(9), &[("a[1]", "9")], &[]),
        (
            "a=(1 2 3)",
            "a[1] += a[2] *= 2",
            Ok(8),
            &[("a[1]", "8"), ("a[2]", "6")],
            &[],
        ),
        (
            "a=(1 2)",
            "a[1]=a[0]=9",
            Ok(9),
            &[("a[0]", "9"), ("a[1]", "9")],
            &[],
        ),
        ("a=(1 2)", "a[-1]+=5", Ok(7), &[("a[1]", "7")], &[]),
        (
            "a=(1 2 3)",
            "++a[2], a[2]++, a[2]",
            Ok(5),
            &[("a[2]", "5")],
            &[],
        ),
        ("a=(1 2 3)", "a[0]--", Ok(1), &[("a[0]", "0")], &[]),
        (
            "a=(1 2 3)",
            "a[]",
            Ok(0),
            &[],
            &["a[]: bad array subscript", "a[]: bad array subscript"],
        ),
        (
            "",
            "a[]",
            Ok(0),
            &[],
            &["a[]: bad array subscript", "a[]: bad array subscript"],
        ),
        (
            "a=(1 2)",
            "a[]+=5",
            Ok(5),
            &[("a[0]", "1")],
            &[
                "a[]: bad array subscript",
                "a[]: bad array subscript",
                "`a[]': not a valid identifier",
            ],
        ),
        ("", "a[]=5", Ok(5), &[], &["`a[]': not a valid identifier"]),
        (
            "a=(1 2 3)",
            "a[@]",
            Ok(0),
            &[],
            &["a[@]: bad array subscript"],
        ),
        (
            "a=(1 2 3)",
            "a[*]+1",
            Ok(1),
            &[],
            &["a[*]: bad array subscript"],
        ),
        ("", "a[@]", Ok(0), &[], &["a[@]: bad array subscript"]),
        (
            "a=(1 2)",
            "a[@]=5",
            Ok(5),
            &[("a[0]", "1")],
            &["a[@]: bad array subscript"],
        ),
        (
            "a=(1 2)",
            "a[@]+=5",
            Ok(5),
            &[("a[0]", "1")],
            &["a[@]: bad array subscript", "a[@]: bad array subscript"],
        ),
        (
            "a=(1 2)",
            "++a[@]",
            Ok(1),
            &[("a[0]", "1")],
            &["a[@]: bad array subscript", "a[@]: bad array subscript"],
        ),
        (
            "a=(1 2 3)",
            "a[-5]=1",
            Ok(1),
            &[("a[0]", "1")],
            &["a[-5]: bad array subscript"],
        ),
        ("a=(1)", "a[ ]=5", Ok(5), &[("a[0]", "5")], &[]),
        ("a=(1)", "a[ ]", Ok(1), &[], &[]),
        (
            "",
            "x[1/0]",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[1/0]=3",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "",
            "x[1+]",
            Err("1+: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "",
            "a[1] = 2",
            Ok(2),
            &[("a[1]", "2"), ("a[0]", "unset")],
            &[],
        ),
        (
            "i=0",
            "a[i++] = i",
            Ok(0),
            &[("a[0]", "0"), ("i", "1")],
            &[],
        ),
        (
            "i=0",
            "a[i++] += i",
            Ok(1),
            &[("a[0]", "1"), ("i", "1")],
            &[],
        ),
        (
            "i=0;a=(5 6)",
            "a[i++]++",
            Ok(5),
            &[("a[0]", "6"), ("a[1]", "6"), ("i", "1")],
            &[],
        ),
        (
            "i=0;a=(5 6)",
            "++a[i++]",
            Ok(6),
            &[("a[0]", "6"), ("a[1]", "6"), ("i", "1")],
            &[],
        ),
        (
            "i=0",
            "a[i++]=a[i++]=7",
            Ok(7),
            &[("a[0]", "7"), ("a[1]", "7"), ("i", "2")],
            &[],
        ),
        ("i=0", "x=i++ + i++", Ok(1), &[("x", "1"), ("i", "2")], &[]),
        ("", "a[0 ? 1/0 : 1] = 3", Ok(3), &[("a[1]", "3")], &[]),
        ("", "0 ? a[1/0] : 2", Ok(2), &[], &[]),
        ("", "0 ? a[1/0]=5 : 2", Ok(2), &[], &[]),
        ("", "0 && a[1/0]++", Ok(0), &[], &[]),
        ("x=3", "x[0]", Ok(3), &[], &[]),
        ("x=3", "x[1]", Ok(0), &[], &[]),
        ("x=3", "x[-1]", Ok(0), &[], &["x: bad array subscript"]),
        ("", "x[-1]", Ok(0), &[], &["x: bad array subscript"]),
        (
            "",
            "x[-1]=2",
            Ok(2),
            &[("x", "unset")],
            &["x[-1]: bad array subscript"],
        ),
        (
            "a=(1 2)",
            "a[1]b",
            Err("a[1]b: syntax error in expression (error token is \"b\")"),
            &[],
            &[],
        ),
        ("a=(1 2 3);i=1", "a[i]*a[i+1]", Ok(6), &[], &[]),
        ("a=(1 2 3);v=a[2]", "v*10", Ok(30), &[], &[]),
        ("a=(1 2 3)", "a[\"1\"]", Ok(2), &[], &[]),
        ("a=(1 2 3);i=1;x=a[$i]", "x", Ok(2), &[], &[]),
        ("a=(1 2 3);i=1;x=a[$i]", "x=5", Ok(5), &[("x", "5")], &[]),
        (
            "a=(1 2 3);i=1;x=a[$i]",
            "x+=5",
            Ok(7),
            &[("x", "7"), ("a[1]", "2")],
            &[],
        ),
        ("a=(1 2 3);i=2;x=a[$i]=7", "x", Ok(7), &[("a[2]", "7")], &[]),
        ("a=(1 2 3);i=2;x=a[$i]++", "x", Ok(3), &[("a[2]", "4")], &[]),
        ("-A A=([k]=5);k=k;y=A[$k]", "y", Ok(5), &[], &[]),
        (
            "-A A=([k]=5);k=k;y=A[$k]+=1",
            "y",
            Ok(6),
            &[("A[k]", "6")],
            &[],
        ),
        ("-A A=([k]=5)", "A[\"k\"]", Ok(5), &[], &[]),
        (
            "a=(1 2 3)",
            "a[1\\]",
            Err("a[1\\]: bad array subscript (error token is \"a[1\\]\")"),
            &[],
            &[],
        ),
        ("", "a[i]++", Ok(0), &[("a[0]", "1")], &[]),
        (
            "",
            "a[a[a[1/0]]]",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        ("x=a[1", "0 && x", Ok(0), &[], &[]),
        ("x=a[1", "x = 2", Ok(2), &[("x", "2")], &[]),
        ("", "x=1\n,\ny=2", Ok(2), &[("x", "1"), ("y", "2")], &[]),
        (
            "",
            "1 ? 2 : (3",
            Err("1 ? 2 : (3: missing `)' (error token is \"3\")"),
            &[],
            &[],
        ),
        (
            "",
            "x=(1",
            Err("x=(1: missing `)' (error token is \"1\")"),
            &[],
            &[],
        ),
        (
            "",
            "x[1]=(1",
            Err("x[1]=(1: missing `)' (error token is \"1\")"),
            &[],
            &[],
        ),
        ("x= ", "x+1", Ok(1), &[], &[]),
        ("x=1+\n2", "x*2", Ok(6), &[], &[]),
        ("a=(1 2 3)", "a[a[0]+a[1]] * 2", Ok(0), &[], &[]),
        (
            "a=(1 2 3)",
            "a[1/0] + a[",
            Err("1/0: division by 0 (error token is \"0\")"),
            &[],
            &[],
        ),
        (
            "a=(1 2 3)",
            "a[1+]",
            Err("1+: syntax error: operand expected (error token is \"+\")"),
            &[],
            &[],
        ),
        (
            "i=1;a=(1 2 3)",
            "a[i]+=i++",
            Ok(3),
            &[("a[1]", "3"), ("i", "2")],
            &[],
        ),
        (
            "i=1;a=(1 2 3)",
            "a[i++]+=i",
            Ok(4),
            &[("a[1]", "4"), ("i", "2")],
            &[],
        ),
        ("i=5", "i++ + i++ + i++", Ok(18), &[("i", "8")], &[]),
        ("i=5", "i = i++", Ok(5), &[("i", "5")], &[]),
        (
            "x=2",
            "x**=2",
            Err("x**=2: syntax error: operand expected (error token is \"=2\")"),
            &[],
            &[],
        ),
        ("x=2", "x*=x*=x", Ok(8), &[("x", "8")], &[]),
        (
            "a=(1 2 3)",
            "a[-1] += (a[5] = 1)",
            Ok(4),
            &[("a[2]", "4"), ("a[5]", "1")],
            &[],
        ),
        (
            "a=(1 2 3)",
            "a[-1]++ + (a[5] = 1)",
            Ok(4),
            &[("a[2]", "4"), ("a[5]", "1")],
            &[],
        ),
        (
            "a=(1 2 3)",
            "a[-1] = (a[5] = 1)",
            Ok(1),
            &[("a[2]", "3"), ("a[5]", "1")],
            &[],
        ),
        ("-A A=([k]=3 [0]=9)", "A[k]+A", Ok(12), &[], &[]),
        ("-A A=([k]=3 [0]=9)", "A[k]++", Ok(3), &[("A[k]", "4")], &[]),
        (
            "-A A=([k]=3 [0]=9)",
            "A[]",
            Ok(0),
            &[],
            &["A[]: bad array subscript", "A[]: bad array subscript"],
        ),
        ("-A A=([k]=3 [0]=9)", "A[ k ]", Ok(0), &[], &[]),
        (
            "-A A=([k]=3 [0]=9)",
            "A[ k ]=4",
            Ok(4),
            &[("A[ k ]", "4"), ("A[k]", "3")],
            &[],
        ),
        (
            "-A A=([k]=3 [0]=9)",
            "A[1+1]=4",
            Ok(4),
            &[("A[1+1]", "4"), ("A[2]", "unset")],
            &[],
        ),
        ("-A A=([k]=3 [0]=9)", "A[@]", Ok(0), &[], &[]),
        (
            "-A A=([k]=3 [0]=9)",
            "A[a[1]]=4",
            Ok(4),
            &[("A[a[1]]", "4")],
            &[],
        ),
        (
            "-A A=([k]=3 [0]=9)",
            "A[k] *= 5",
            Ok(15),
            &[("A[k]", "15")],
            &[],
        ),
        ("-A A=([k]=1+1)", "A[k]*3", Ok(6), &[], &[]),
        ("-A A=([k]=3)", "A[x]", Ok(0), &[], &[]),
        ("-r x=1", "x=3", Err("x: readonly variable"), &[], &[]),
        ("-r x=1", "x++ + 1", Err("x: readonly variable"), &[], &[]),
        ("-r x=1", "0 && x++", Ok(0), &[("x", "1")], &[]),
        ("-r x=1", "x * 2", Ok(2), &[("x", "1")], &[]),
        (
            "-r x=1",
            "y=2, x=3, y=4",
            Err("x: readonly variable"),
            &[],
            &[],
        ),
    ];

    #[test]
    fn bash_cases() {
        let mut failures = Vec::new();
        for &(setup, expr, want, post, warnings) in CASES {
            let mut vars = Vars::parse(setup);
            let got = eval(expr, &mut vars);
            let got = got.as_ref().map(|v| *v).map_err(|e| e.message.as_str());
            if got != want {
                failures.push(format!("{setup:?} {expr:?}: got {got:?}, want {want:?}"));
                continue;
            }
            for &(spec, value) in post {
                let actual = vars.lookup(spec);
                if actual != value {
                    failures.push(format!(
                        "{setup:?} {expr:?}: {spec} is {actual:?}, want {value:?}"
                    ));
                }
            }
            if vars.warnings != warnings {
                failures.push(format!(
                    "{setup:?} {expr:?}: warnings {:?}, want {warnings:?}",
                    vars.warnings
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// `v1=v2, v2=v3, ..., vn=7`.
    fn chain(n: usize) -> Vars {
        let mut vars = Vars::default();
        for k in 1..n {
            vars.vars
                .insert(format!("v{k}"), Var::Scalar(format!("v{}", k + 1)));
        }
        vars.vars
            .insert(format!("v{n}"), Var::Scalar("7".to_string()));
        vars.vars.insert(
            "a".to_string(),
            Var::Indexed(BTreeMap::from([(0, "1".to_string()), (1, "2".to_string())])),
        );
        vars
    }

    #[test]
    fn recursion_limit_is_bash_s() {
        // bash 5.2: 1023 nested values evaluate, the 1024th is one too many; a
        // subscript counts as a level too.
        assert_eq!(eval("v1", &mut chain(1023)), Ok(7));
        assert_eq!(
            eval("v1", &mut chain(1024)).map_err(|e| e.message),
            Err(
                "v1024: expression recursion level exceeded (error token is \"v1024\")".to_string()
            )
        );
        assert_eq!(eval("a[v1]", &mut chain(1022)), Ok(0));
        assert_eq!(
            eval("a[v1]", &mut chain(1023)).map_err(|e| e.message),
            Err(
                "v1023: expression recursion level exceeded (error token is \"v1023\")".to_string()
            )
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut vars = Vars::default();
        let n = 10_000;
        let deep = format!("{}1{}", "(".repeat(n), ")".repeat(n));
        let err = eval(&deep, &mut vars).map(|_| ()).map_err(|e| e.message);
        assert!(err.as_ref().is_err_and(|m| {
            m.contains(": expression recursion level exceeded (error token is \"")
        }));
        assert!(eval(&"(".repeat(n), &mut vars).is_err());
        assert!(eval(&format!("{}1", "x=".repeat(n)), &mut vars).is_err());
        assert!(eval(&format!("{}1", "1?".repeat(n)), &mut vars).is_err());
        assert!(eval(&format!("{}1", "0?1:".repeat(n)), &mut vars).is_err());
        // 1000 levels are fine.
        let ok = format!("{}1{}", "(".repeat(1000), ")".repeat(1000));
        assert_eq!(eval(&ok, &mut vars), Ok(1));
        // Unary operators, powers, long operator chains and runs of names are not
        // recursive.
        assert_eq!(
            eval(&format!("{}1", "- ".repeat(100_001)), &mut vars),
            Ok(-1)
        );
        assert_eq!(eval(&format!("{}1", "!".repeat(100_000)), &mut vars), Ok(1));
        assert_eq!(
            eval(&format!("{}1", "1**".repeat(100_000)), &mut vars),
            Ok(1)
        );
        assert_eq!(
            eval(&format!("{}1", "1+".repeat(100_000)), &mut vars),
            Ok(100_001)
        );
        let err = eval(&"y ".repeat(100_000), &mut vars).unwrap_err().message;
        assert!(err.starts_with("y y y "));
        assert!(err.contains(" : syntax error in expression (error token is \"y y y "));
        assert!(err.ends_with(" y \")"));
    }

    #[test]
    fn assignments_before_an_error_stay() {
        let mut vars = Vars::parse("-r r=1");
        let err = eval("y=2, r=3, z=4", &mut vars);
        assert_eq!(err, Err(ArithError::new("r: readonly variable")));
        assert_eq!(vars.lookup("y"), "2");
        assert_eq!(vars.lookup("z"), "unset");
        let mut vars = Vars::default();
        assert!(eval("x=5, 1/0", &mut vars).is_err());
        assert_eq!(vars.lookup("x"), "5");
    }

    #[test]
    fn error_displays_its_message() {
        let err = eval("1/0", &mut Vars::default()).unwrap_err();
        assert_eq!(err.to_string(), "1/0: division by 0 (error token is \"0\")");
        let boxed: Box<dyn std::error::Error> = Box::new(err);
        assert_eq!(
            boxed.to_string(),
            "1/0: division by 0 (error token is \"0\")"
        );
    }

    #[test]
    fn text_ends_at_nul() {
        assert_eq!(eval("1+2\0garbage", &mut Vars::default()), Ok(3));
        assert_eq!(eval("\0", &mut Vars::default()), Ok(0));
    }

    /// A context that keeps the default `expand_subscript` and `warn`.
    struct Plain(HashMap<String, String>);

    impl ArithContext for Plain {
        fn get(&mut self, name: &str, index: Option<&str>) -> Option<String> {
            match index {
                None => self.0.get(name).cloned(),
                Some(i) => self.0.get(&format!("{name}[{i}]")).cloned(),
            }
        }
        fn set(&mut self, name: &str, index: Option<&str>, value: i64) -> Result<(), ArithError> {
            let key = match index {
                None => name.to_string(),
                Some(i) => format!("{name}[{i}]"),
            };
            self.0.insert(key, value.to_string());
            Ok(())
        }
        fn is_assoc(&self, _name: &str) -> bool {
            false
        }
    }

    #[test]
    fn default_methods() {
        let mut ctx = Plain(HashMap::from([("a[3]".to_string(), "9".to_string())]));
        assert_eq!(eval("a[1+2] + a[]", &mut ctx), Ok(9));
        assert_eq!(eval("a[4] = 5, a[2*2]", &mut ctx), Ok(5));
        assert_eq!(ctx.0.get("a[4]").map(String::as_str), Some("5"));
        assert_eq!(
            eval("a[$i]", &mut ctx).map_err(|e| e.message),
            Err("$i: syntax error: operand expected (error token is \"$i\")".to_string())
        );
    }

    /// Random expressions from bash's token alphabet: evaluation never panics.
    #[test]
    fn never_panics() {
        const PIECES: &[&str] = &[
            "1",
            "0",
            "09",
            "0x",
            "0x1f",
            "2#",
            "64#@_",
            "37#1",
            "9223372036854775807",
            "x",
            "y",
            "a[",
            "a[1]",
            "a[]",
            "a[@]",
            "A[k]",
            "]",
            "(",
            ")",
            "+",
            "-",
            "++",
            "--",
            "*",
            "**",
            "/",
            "%",
            "<<",
            ">>",
            "<",
            "<=",
            ">",
            ">=",
            "==",
            "!=",
            "&",
            "&&",
            "|",
            "||",
            "^",
            "~",
            "!",
            "?",
            ":",
            ",",
            "=",
            "+=",
            "/=",
            "%=",
            "<<=",
            ">>=",
            " ",
            "\n",
            "$",
            "é",
            "\"",
            "'",
            "\\",
            "@",
            "#",
            "[",
            "-9223372036854775808",
            "-1",
            "64",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let expr: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let mut vars = Vars::parse("x=y+1; y=3; a=(1 2 3); -A A=([k]=x); z=z");
            let _ = eval(&expr, &mut vars);
        }
    }
}

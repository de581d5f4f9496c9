//! The syntax tree the parser builds and the interpreter walks. Variables are resolved
//! to slots (globals by index, function parameters by frame offset) at parse time.

use std::rc::Rc;

use crate::posix_regex::Regex;

/// A variable slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    /// A global, by index.
    Global(usize),
    /// A function parameter or local, by index in the frame.
    Local(usize),
}

/// Binary arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// Something that can be assigned to.
#[derive(Debug)]
pub enum LValue {
    /// A scalar variable.
    Var(Var),
    /// `$expr`.
    Field(Box<Expr>),
    /// `arr[subscripts]`.
    Index(Var, Vec<Expr>),
}

/// Where `getline` reads.
#[derive(Debug)]
pub enum GetSrc {
    /// The main input.
    Main,
    /// `< file`.
    File(Box<Expr>),
    /// `cmd |`.
    Cmd(Box<Expr>),
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Rc<[u8]>),
    /// A regex literal used as a value: matches against `$0`.
    Regex(Rc<Regex>),
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
    /// `(subs) in arr`.
    In(Vec<Expr>, Var),
    /// `lv op= e` (`None` for plain `=`).
    Assign(Option<Arith>, Box<LValue>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    /// Unary plus (numeric conversion).
    Pos(Box<Expr>),
    Arith(Arith, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cmp(Cmp, Box<Expr>, Box<Expr>),
    /// `e ~ re` (true) or `e !~ re` (false).
    Match(bool, Box<Expr>, Box<Expr>),
    /// `++lv`/`--lv` (pre) and `lv++`/`lv--`: (delta, is_post, target).
    Incr(f64, bool, Box<LValue>),
    /// User function call: index and arguments.
    Call(usize, Vec<Expr>),
    /// Builtin call.
    Builtin(Builtin, Vec<Expr>),
    /// `getline [var] [< file]` / `cmd | getline [var]`.
    Getline(GetSrc, Option<Box<LValue>>),
    /// A parenthesized expression (kept for `print (a)(b) > f` and grouping lists).
    Group(Box<Expr>),
    /// `(a, b)` list, only valid before `in`.
    List(Vec<Expr>),
}

/// Builtin functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Match,
    Sprintf,
    Sin,
    Cos,
    Atan2,
    Exp,
    Log,
    Sqrt,
    Int,
    Rand,
    Srand,
    Tolower,
    Toupper,
    System,
    Close,
    Fflush,
    Gensub,
    Asort,
    Asorti,
    Strftime,
    Systime,
    Mktime,
    And,
    Or,
    Xor,
    Lshift,
    Rshift,
    Compl,
    Strtonum,
    Isarray,
    Typeof,
    Patsplit,
}

impl Builtin {
    /// The builtin called `name`.
    pub fn from_name(name: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match name {
            "length" => Length,
            "substr" => Substr,
            "index" => Index,
            "split" => Split,
            "sub" => Sub,
            "gsub" => Gsub,
            "match" => Match,
            "sprintf" => Sprintf,
            "sin" => Sin,
            "cos" => Cos,
            "atan2" => Atan2,
            "exp" => Exp,
            "log" => Log,
            "sqrt" => Sqrt,
            "int" => Int,
            "rand" => Rand,
            "srand" => Srand,
            "tolower" => Tolower,
            "toupper" => Toupper,
            "system" => System,
            "close" => Close,
            "fflush" => Fflush,
            "gensub" => Gensub,
            "asort" => Asort,
            "asorti" => Asorti,
            "strftime" => Strftime,
            "systime" => Systime,
            "mktime" => Mktime,
            "and" => And,
            "or" => Or,
            "xor" => Xor,
            "lshift" => Lshift,
            "rshift" => Rshift,
            "compl" => Compl,
            "strtonum" => Strtonum,
            "isarray" => Isarray,
            "typeof" => Typeof,
            "patsplit" => Patsplit,
            _ => return None,
        })
    }
}

/// Output redirection of print/printf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redir {
    File,
    Append,
    Pipe,
}

/// A statement.
#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(Box<LValue>, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    /// `delete arr[subs]` or `delete arr`.
    Delete(Var, Option<Vec<Expr>>),
    /// Marks the source line for messages.
    Line(usize),
}

/// A pattern-action item.
#[derive(Debug)]
pub enum Pattern {
    All,
    Expr(Expr),
    /// A range, with its slot in the interpreter's range state.
    Range(Expr, Expr, usize),
}

/// A user function.
#[derive(Debug)]
pub struct Func {
    pub name: String,
    pub params: Vec<String>,
    pub body: Stmt,
    /// Which parameters are used as arrays.
    pub array_params: Vec<bool>,
    pub defined: bool,
}

/// A parsed program.
#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Stmt>,
    pub end: Vec<Stmt>,
    /// Main items: pattern and action (`None` = print $0).
    pub items: Vec<(Pattern, Option<Stmt>)>,
    pub funcs: Vec<Func>,
    /// Global names by slot.
    pub globals: Vec<String>,
    pub nranges: usize,
}

//! Running parsed bc code: dynamically scoped variables and arrays, user functions, the
//! `-l` math library (computed natively, step for step as GNU's libmath.b does), and
//! bc's output with line wrapping.

use std::collections::HashMap;

use super::num::{Num, TooBig};
use super::parse::{Arg, Expr, Func, Lv, PItem, Stmt};

/// Why execution of the current item stopped.
pub enum Flow {
    Break,
    Continue,
    Return(Num),
    /// A run-time error (already reported): drop the rest of the item.
    Error,
    Halt,
    Cancelled,
}

type R<T> = Result<T, Flow>;

pub struct Machine<'a> {
    pub scale: usize,
    pub ibase: u32,
    pub obase: u64,
    pub last: Num,
    vars: HashMap<String, Vec<Num>>,
    arrays: HashMap<String, Vec<HashMap<i64, Num>>>,
    pub funcs: HashMap<String, Func>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    col: usize,
    line_len: usize,
    func: String,
    depth: usize,
    cancel: &'a dyn Fn() -> bool,
    steps: u64,
    pub mathlib: bool,
}

impl<'a> Machine<'a> {
    pub fn new(line_len: usize, cancel: &'a dyn Fn() -> bool) -> Machine<'a> {
        Machine {
            scale: 0,
            ibase: 10,
            obase: 10,
            last: Num::zero(),
            vars: HashMap::new(),
            arrays: HashMap::new(),
            funcs: HashMap::new(),
            out: Vec::new(),
            err: Vec::new(),
            col: 0,
            line_len,
            func: "(main)".into(),
            depth: 0,
            cancel,
            steps: 0,
            mathlib: false,
        }
    }

    fn out_char(&mut self, c: u8) {
        if c == b'\n' {
            self.col = 0;
            self.out.push(b'\n');
            return;
        }
        self.col += 1;
        if self.line_len != 0 && self.col == self.line_len - 1 {
            self.out.extend_from_slice(b"\\\n");
            self.col = 1;
        }
        self.out.push(c);
    }

    fn out_str(&mut self, s: &str) {
        for &c in s.as_bytes() {
            self.out_char(c);
        }
    }

    fn runtime(&mut self, adr: usize, msg: &str) -> Flow {
        self.err.extend_from_slice(
            format!("Runtime error (func={}, adr={adr}): {msg}\n", self.func).as_bytes(),
        );
        Flow::Error
    }

    fn warn(&mut self, adr: usize, msg: &str) {
        self.err.extend_from_slice(
            format!("Runtime warning (func={}, adr={adr}): {msg}\n", self.func).as_bytes(),
        );
    }

    fn too_big(&mut self, adr: usize) -> Flow {
        self.runtime(adr, "number too large")
    }

    /// Run one top-level item.
    pub fn run_item(&mut self, code: &[Stmt]) -> Option<Flow> {
        self.func = "(main)".into();
        for s in code {
            match self.stmt(s) {
                Ok(()) => {}
                Err(f) => return Some(f),
            }
        }
        None
    }

    fn print_num(&mut self, n: &Num, adr: usize) -> R<()> {
        let text = n.to_base(self.obase).map_err(|_| self.too_big(adr))?;
        self.out_str(&text);
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R<()> {
        self.steps += 1;
        if self.steps.is_multiple_of(1024) && (self.cancel)() {
            return Err(Flow::Cancelled);
        }
        match s {
            Stmt::Expr(e) => {
                let v = self.eval(e)?;
                if !matches!(e, Expr::Assign(..)) {
                    self.print_num(&v, 0)?;
                    self.out_char(b'\n');
                    self.last = v;
                }
            }
            Stmt::Str(t) => self.out_str(&t.clone()),
            Stmt::Print(items) => {
                for it in items {
                    match it {
                        PItem::Str(t) => {
                            let t = unescape(t);
                            self.out_str(&t);
                        }
                        PItem::Expr(e) => {
                            let v = self.eval(e)?;
                            self.print_num(&v, 0)?;
                            self.last = v;
                        }
                    }
                }
            }
            Stmt::If(c, t, e) => {
                if !self.eval(c)?.is_zero() {
                    self.stmt(t)?;
                } else if let Some(e) = e {
                    self.stmt(e)?;
                }
            }
            Stmt::While(c, b) => {
                while !self.eval(c)?.is_zero() {
                    match self.stmt(b) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                }
            }
            Stmt::For(i, c, st, b) => {
                if let Some(i) = i {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = c
                        && self.eval(c)?.is_zero()
                    {
                        break;
                    }
                    match self.stmt(b) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                    if let Some(st) = st {
                        self.eval(st)?;
                    }
                }
            }
            Stmt::Break => return Err(Flow::Break),
            Stmt::Continue => return Err(Flow::Continue),
            Stmt::Halt => return Err(Flow::Halt),
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Num::zero(),
                };
                return Err(Flow::Return(v));
            }
            Stmt::Block(v) => {
                for s in v {
                    self.stmt(s)?;
                }
            }
        }
        Ok(())
    }

    fn index(&mut self, e: &Expr, name: &str, adr: usize) -> R<i64> {
        let v = self.eval(e)?;
        match v.to_i64() {
            Some(i) if (0..=16_777_215).contains(&i) => Ok(i),
            _ => Err(self.runtime(adr, &format!("Array {name} subscript out of bounds."))),
        }
    }

    fn load(&mut self, lv: &Lv) -> R<Num> {
        Ok(match lv {
            Lv::Var(n) => self
                .vars
                .get(n)
                .and_then(|s| s.last())
                .cloned()
                .unwrap_or_default(),
            Lv::Elem(n, i) => {
                let i = self.index(i, n, 0)?;
                self.arrays
                    .get(n)
                    .and_then(|s| s.last())
                    .and_then(|a| a.get(&i))
                    .cloned()
                    .unwrap_or_default()
            }
            Lv::Scale => Num::from_i64(self.scale as i64),
            Lv::Ibase => Num::from_i64(self.ibase as i64),
            Lv::Obase => Num::from_i64(self.obase as i64),
            Lv::Last => self.last.clone(),
        })
    }

    fn store(&mut self, lv: &Lv, v: Num, adr: usize) -> R<Num> {
        match lv {
            Lv::Var(n) => {
                let s = self.vars.entry(n.clone()).or_default();
                match s.last_mut() {
                    Some(x) => *x = v.clone(),
                    None => s.push(v.clone()),
                }
            }
            Lv::Elem(n, i) => {
                let i = self.index(i, n, adr)?;
                let s = self.arrays.entry(n.clone()).or_default();
                if s.is_empty() {
                    s.push(HashMap::new());
                }
                if let Some(a) = s.last_mut() {
                    a.insert(i, v.clone());
                }
            }
            Lv::Scale => {
                let x = v.to_i64();
                match x {
                    Some(x) if x < 0 => {
                        self.warn(adr, "negative scale, set to 0");
                        self.scale = 0;
                    }
                    Some(x) if x <= i32::MAX as i64 => self.scale = x as usize,
                    _ => {
                        self.warn(adr, "scale too large, set to 2147483647");
                        self.scale = i32::MAX as usize;
                    }
                }
            }
            Lv::Ibase => {
                let x = v.to_i64().unwrap_or(i64::MAX);
                self.ibase = if x < 2 {
                    self.warn(adr, "ibase too small, set to 2");
                    2
                } else if x > 36 {
                    self.warn(adr, "ibase too large, set to 36");
                    36
                } else {
                    x as u32
                };
            }
            Lv::Obase => {
                let x = v.to_i64().unwrap_or(i64::MAX);
                self.obase = if x < 2 {
                    self.warn(adr, "obase too small, set to 2");
                    2
                } else if x > i32::MAX as i64 {
                    self.warn(adr, "obase too large, set to 2147483647");
                    i32::MAX as u64
                } else {
                    x as u64
                };
            }
            Lv::Last => self.last = v.clone(),
        }
        Ok(v)
    }

    fn bin(&mut self, op: &str, a: &Num, b: &Num, adr: usize) -> R<Num> {
        let s = self.scale;
        let r = match op {
            "+" => Ok(a.add(b)),
            "-" => Ok(a.sub(b)),
            "*" => a.mul(b, s),
            "/" => match a.div(b, s) {
                Ok(None) => return Err(self.runtime(adr, "Divide by zero")),
                Ok(Some(v)) => Ok(v),
                Err(e) => Err(e),
            },
            "%" => match a.rem(b, s) {
                Ok(None) => return Err(self.runtime(adr, "Modulo by zero")),
                Ok(Some(v)) => Ok(v),
                Err(e) => Err(e),
            },
            _ => {
                if b.scale() > 0 {
                    self.warn(adr, "non-zero scale in exponent");
                }
                let Some(e) = b.to_i64() else {
                    return Err(self.runtime(adr, "exponent too large in raise"));
                };
                match a.pow(e, s) {
                    Ok(v) => Ok(v),
                    Err(TooBig) => return Err(self.runtime(adr, "exponent too large in raise")),
                }
            }
        };
        r.map_err(|_| self.too_big(adr))
    }

    fn eval(&mut self, e: &Expr) -> R<Num> {
        match e {
            Expr::Num(t) => Num::parse(t, self.ibase).map_err(|_| self.too_big(0)),
            Expr::Load(lv) => self.load(lv),
            Expr::Bin(op, a, b, adr) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                self.bin(op, &a, &b, *adr)
            }
            Expr::Rel(op, a, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                let o = a.cmp(&b);
                use std::cmp::Ordering::*;
                let t = match *op {
                    "==" => o == Equal,
                    "!=" => o != Equal,
                    "<" => o == Less,
                    "<=" => o != Greater,
                    ">" => o == Greater,
                    _ => o != Less,
                };
                Ok(Num::from_i64(t as i64))
            }
            Expr::Neg(a) => Ok(self.eval(a)?.neg()),
            Expr::Not(a) => Ok(Num::from_i64(self.eval(a)?.is_zero() as i64)),
            Expr::And(a, b) => {
                let t = !self.eval(a)?.is_zero() && !self.eval(b)?.is_zero();
                Ok(Num::from_i64(t as i64))
            }
            Expr::Or(a, b) => {
                let t = !self.eval(a)?.is_zero() || !self.eval(b)?.is_zero();
                Ok(Num::from_i64(t as i64))
            }
            Expr::Assign(lv, op, rhs, adr) => {
                let v = match op {
                    None => self.eval(rhs)?,
                    Some(op) => {
                        let cur = self.load(lv)?;
                        let r = self.eval(rhs)?;
                        self.bin(op, &cur, &r, adr - 2)?
                    }
                };
                self.store(lv, v, *adr)
            }
            Expr::IncDec(lv, pre, inc, adr) => {
                let cur = self.load(lv)?;
                let one = Num::from_i64(1);
                let new = if *inc { cur.add(&one) } else { cur.sub(&one) };
                self.store(lv, new.clone(), *adr)?;
                Ok(if *pre { new } else { cur })
            }
            Expr::Length(a) => Ok(Num::from_i64(self.eval(a)?.length() as i64)),
            Expr::ScaleOf(a) => Ok(Num::from_i64(self.eval(a)?.scale() as i64)),
            Expr::Sqrt(a, adr) => {
                let v = self.eval(a)?;
                match v.sqrt(self.scale) {
                    Ok(Some(r)) => Ok(r),
                    Ok(None) => Err(self.runtime(*adr, "Square root of a negative number")),
                    Err(_) => Err(self.too_big(*adr)),
                }
            }
            Expr::Call(name, args, adr) => self.call(name, args, *adr),
        }
    }

    fn call(&mut self, name: &str, args: &[Arg], adr: usize) -> R<Num> {
        if self.mathlib
            && !self.funcs.contains_key(name)
            && let Some(arity) = super::mathlib::arity(name)
        {
            if args.len() != arity {
                return Err(self.runtime(adr, "Parameter number mismatch"));
            }
            let mut vals = Vec::new();
            for a in args {
                match a {
                    Arg::Val(e) => vals.push(self.eval(e)?),
                    Arg::Array(_) => return Err(self.runtime(adr, "Parameter type mismatch")),
                }
            }
            return super::mathlib::call(name, &vals, self.scale).map_err(|_| self.too_big(adr));
        }
        let Some(f) = self.funcs.get(name).cloned() else {
            return Err(self.runtime(adr, &format!("Function {name} not defined.")));
        };
        if f.params.len() != args.len() {
            let end = adr + args.len() + 1;
            return Err(self.runtime(end, "Parameter number mismatch"));
        }
        if self.depth >= 2000 {
            return Err(self.runtime(adr, "Function call nesting too deep"));
        }
        // Evaluate arguments in the caller's scope first.
        let mut vals = Vec::new();
        for ((_, parr), a) in f.params.iter().zip(args) {
            match (a, parr) {
                (Arg::Val(e), false) => vals.push(Ok(self.eval(e)?)),
                (Arg::Array(an), true) => vals.push(Err(self
                    .arrays
                    .get(an)
                    .and_then(|s| s.last())
                    .cloned()
                    .unwrap_or_default())),
                _ => return Err(self.runtime(adr, "Parameter type mismatch")),
            }
        }
        for ((pn, _), v) in f.params.iter().zip(vals) {
            match v {
                Ok(n) => self.vars.entry(pn.clone()).or_default().push(n),
                Err(a) => self.arrays.entry(pn.clone()).or_default().push(a),
            }
        }
        for (an, arr) in &f.autos {
            if *arr {
                self.arrays
                    .entry(an.clone())
                    .or_default()
                    .push(HashMap::new());
            } else {
                self.vars.entry(an.clone()).or_default().push(Num::zero());
            }
        }
        let saved = std::mem::replace(&mut self.func, name.to_string());
        self.depth += 1;
        let mut result = Ok(Num::zero());
        for s in &f.body {
            match self.stmt(s) {
                Ok(()) => {}
                Err(Flow::Return(v)) => {
                    result = Ok(v);
                    break;
                }
                Err(fl) => {
                    result = Err(fl);
                    break;
                }
            }
        }
        self.depth -= 1;
        self.func = saved;
        for (n, arr) in f.params.iter().chain(f.autos.iter()) {
            if *arr {
                if let Some(s) = self.arrays.get_mut(n) {
                    s.pop();
                }
            } else if let Some(s) = self.vars.get_mut(n) {
                s.pop();
            }
        }
        result
    }
}

/// `print`'s escapes: \a \b \f \n \r \q \t \\ (others print as the backslash and letter).
fn unescape(s: &str) -> String {
    let mut o = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            o.push(c);
            continue;
        }
        match it.next() {
            Some('a') => o.push('\x07'),
            Some('b') => o.push('\x08'),
            Some('f') => o.push('\x0c'),
            Some('n') => o.push('\n'),
            Some('r') => o.push('\r'),
            Some('q') => o.push('"'),
            Some('t') => o.push('\t'),
            Some('\\') => o.push('\\'),
            Some(x) => {
                o.push('\\');
                o.push(x);
            }
            None => o.push('\\'),
        }
    }
    o
}

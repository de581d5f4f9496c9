//! The tree-walking interpreter: variables, fields and `$0` rebuilding, statements and
//! expressions, user function calls, and the main record loop.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::array::Array;
use super::ast::*;
use super::io::{InStream, OutStream, RecReader, RsMode};
use super::parser::{self, *};
use super::value::{Value, compare, num_to_bytes, to_bytes_ref};
use crate::commands::{Ctx, Stop};
use crate::posix_regex::Regex;

/// Longest string a value may hold.
pub const MAX_STR: usize = 64 << 20;
/// Most elements one array may hold.
pub const MAX_ELEMS: usize = 4 << 20;
/// Deepest user-function recursion.
pub const MAX_DEPTH: usize = 1000;

/// A variable's storage.
#[derive(Clone, Debug)]
pub enum Cell {
    /// A scalar (or a not yet used variable).
    Val(Value),
    /// An array (shared when passed to a function).
    Arr(Rc<RefCell<Array>>),
}

/// A resolved assignment target.
enum Place {
    Var(Var),
    Field(usize),
    Elem(Rc<RefCell<Array>>, Vec<u8>),
}

/// Why evaluation stopped early.
pub enum Flow {
    Next,
    NextFile,
    Exit,
    Return(Value),
    Break,
    Continue,
    /// A fatal error (message after `fatal: `).
    Fatal(String),
    /// A fatal error outside any rule (gawk names no source line): opening an input file.
    FatalBare(String),
    /// Output failed or the run was cancelled.
    Stop(Stop),
}

/// Result of evaluation.
pub type R<T> = Result<T, Flow>;

/// How fields are split.
#[derive(Clone)]
pub enum FsMode {
    /// Runs of blanks and newlines; leading and trailing ignored.
    Space,
    /// One literal byte.
    Byte(u8),
    /// A regex.
    Regex(Rc<Regex>),
    /// Every character is a field (`FS = ""`).
    Chars,
}

/// The interpreter state.
pub struct Interp<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub prog: &'c Program,
    pub globals: Vec<Cell>,
    pub stack: Vec<Cell>,
    pub fp: usize,
    pub depth: usize,
    // The record.
    pub record: Vec<u8>,
    pub recbuf: Vec<u8>,
    pub fields: Vec<Vec<u8>>,
    pub nf: usize,
    pub split_done: bool,
    pub spans: Vec<(usize, usize)>,
    // Cached special variables.
    pub fs: FsMode,
    pub ofs: Vec<u8>,
    pub ors: Vec<u8>,
    pub subsep: Vec<u8>,
    pub convfmt: Vec<u8>,
    pub ofmt: Vec<u8>,
    pub rs: RsMode,
    pub nr: f64,
    pub fnr: f64,
    // I/O.
    pub out: Vec<u8>,
    pub outputs: HashMap<Vec<u8>, OutStream>,
    pub inputs: HashMap<Vec<u8>, InStream>,
    pub main: Option<RecReader>,
    pub arg_index: usize,
    pub used_file_arg: bool,
    pub main_eof: bool,
    pub regex_cache: HashMap<Vec<u8>, Rc<Regex>>,
    pub ranges: Vec<bool>,
    pub rng: u64,
    pub seed: f64,
    pub line: usize,
    pub exit_code: i32,
    pub src_name: String,
    pub ticks: u32,
    pub in_end: bool,
    pub rt: Vec<u8>,
}

fn fatal<T>(m: impl Into<String>) -> R<T> {
    Err(Flow::Fatal(m.into()))
}

impl<'c, 'a> Interp<'c, 'a> {
    /// A fresh interpreter for `prog`.
    pub fn new(ctx: &'c Ctx<'a>, prog: &'c Program) -> Self {
        let mut globals = vec![Cell::Val(Value::Uninit); prog.globals.len()];
        let s = |b: &[u8]| Cell::Val(Value::str(b));
        globals[FS] = s(b" ");
        globals[OFS] = s(b" ");
        globals[ORS] = s(b"\n");
        globals[RS] = s(b"\n");
        globals[SUBSEP] = s(b"\x1c");
        globals[CONVFMT] = s(b"%.6g");
        globals[OFMT] = s(b"%.6g");
        globals[NR] = Cell::Val(Value::Num(0.0));
        globals[FNR] = Cell::Val(Value::Num(0.0));
        globals[NF] = Cell::Val(Value::Num(0.0));
        globals[RSTART] = Cell::Val(Value::Num(0.0));
        globals[RLENGTH] = Cell::Val(Value::Num(-1.0));
        globals[FILENAME] = s(b"");
        let mut env = Array::default();
        for (k, v) in ctx.env {
            env.set(k.as_bytes(), Value::strnum(v.as_bytes()));
        }
        globals[ENVIRON] = Cell::Arr(Rc::new(RefCell::new(env)));
        globals[ARGV] = Cell::Arr(Rc::new(RefCell::new(Array::default())));
        Interp {
            ctx,
            prog,
            globals,
            stack: Vec::new(),
            fp: 0,
            depth: 0,
            record: Vec::new(),
            recbuf: Vec::new(),
            fields: Vec::new(),
            nf: 0,
            split_done: true,
            spans: Vec::new(),
            fs: FsMode::Space,
            ofs: b" ".to_vec(),
            ors: b"\n".to_vec(),
            subsep: b"\x1c".to_vec(),
            convfmt: b"%.6g".to_vec(),
            ofmt: b"%.6g".to_vec(),
            rs: RsMode::Byte(b'\n'),
            nr: 0.0,
            fnr: 0.0,
            out: Vec::with_capacity(64 * 1024),
            outputs: HashMap::new(),
            inputs: HashMap::new(),
            main: None,
            arg_index: 1,
            used_file_arg: false,
            main_eof: false,
            regex_cache: HashMap::new(),
            ranges: vec![false; prog.nranges],
            rng: 0x2545_F491_4F6C_DD1D,
            seed: 1.0,
            line: 1,
            exit_code: 0,
            src_name: "cmd. line".into(),
            ticks: 0,
            in_end: false,
            rt: Vec::new(),
        }
    }

    // ----- cancellation and output ------------------------------------------------

    /// Count a unit of work; checks for cancellation now and then.
    #[inline]
    pub fn tick(&mut self) -> R<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks & 0x3ff == 0 && self.ctx.cancel.is_cancelled() {
            return Err(Flow::Stop(Stop::Cancelled));
        }
        Ok(())
    }

    /// Write the stdout buffer out.
    pub fn flush_stdout(&mut self) -> R<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let r = self.ctx.out(&self.out);
        self.out.clear();
        r.map_err(Flow::Stop)
    }

    #[inline]
    fn maybe_flush(&mut self) -> R<()> {
        if self.out.len() >= 32 * 1024 {
            self.flush_stdout()?;
        }
        Ok(())
    }

    // ----- special variables ------------------------------------------------------

    fn cell_str(&self, idx: usize) -> Vec<u8> {
        match &self.globals[idx] {
            Cell::Val(v) => {
                let mut tmp = Vec::new();
                to_bytes_ref(v, &self.convfmt, &mut tmp).to_vec()
            }
            Cell::Arr(_) => Vec::new(),
        }
    }

    /// A special variable was assigned: refresh the cached copy.
    pub fn special_set(&mut self, idx: usize) -> R<()> {
        match idx {
            NF => {
                let n = match &self.globals[NF] {
                    Cell::Val(v) => v.num(),
                    Cell::Arr(_) => 0.0,
                };
                self.set_nf(n)?;
            }
            NR => {
                if let Cell::Val(v) = &self.globals[NR] {
                    self.nr = v.num().trunc();
                }
            }
            FNR => {
                if let Cell::Val(v) = &self.globals[FNR] {
                    self.fnr = v.num().trunc();
                }
            }
            FS => {
                // The current record keeps the separator it was read with.
                self.ensure_split();
                let s = self.cell_str(FS);
                self.fs = self.fs_mode(&s)?;
            }
            OFS => self.ofs = self.cell_str(OFS),
            ORS => self.ors = self.cell_str(ORS),
            SUBSEP => self.subsep = self.cell_str(SUBSEP),
            CONVFMT => self.convfmt = self.cell_str(CONVFMT),
            OFMT => self.ofmt = self.cell_str(OFMT),
            RS => {
                let s = self.cell_str(RS);
                self.rs = match s.len() {
                    0 => RsMode::Para,
                    1 => RsMode::Byte(s[0]),
                    _ => RsMode::Regex(self.regex_of(&s)?),
                };
            }
            _ => {}
        }
        Ok(())
    }

    /// The splitting mode for an FS value.
    pub fn fs_mode(&mut self, s: &[u8]) -> R<FsMode> {
        Ok(match s {
            b" " => FsMode::Space,
            b"" => FsMode::Chars,
            [c] if *c != b'\\' => FsMode::Byte(*c),
            b"\\" => FsMode::Byte(b'\\'),
            _ => FsMode::Regex(self.regex_of(s)?),
        })
    }

    /// A compiled dynamic regex (cached).
    pub fn regex_of(&mut self, pat: &[u8]) -> R<Rc<Regex>> {
        if let Some(r) = self.regex_cache.get(pat) {
            return Ok(Rc::clone(r));
        }
        match parser::compile_regex(pat) {
            Ok(r) => {
                let r = Rc::new(r);
                if self.regex_cache.len() > 500 {
                    self.regex_cache.clear();
                }
                self.regex_cache.insert(pat.to_vec(), Rc::clone(&r));
                Ok(r)
            }
            Err(m) => fatal(format!(
                "invalid regexp: {}: /{}/",
                m,
                String::from_utf8_lossy(pat)
            )),
        }
    }

    // ----- fields -----------------------------------------------------------------

    /// Split `$0` into fields if not done yet.
    #[inline]
    pub fn ensure_split(&mut self) {
        if self.split_done {
            return;
        }
        self.split_done = true;
        let para = matches!(self.rs, RsMode::Para);
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        split_into(&self.record, &self.fs, para, &mut spans);
        self.nf = spans.len();
        if self.fields.len() < self.nf + 1 {
            self.fields.resize(self.nf + 1, Vec::new());
        }
        for (i, &(s, e)) in spans.iter().enumerate() {
            let f = &mut self.fields[i + 1];
            f.clear();
            f.extend_from_slice(&self.record[s..e]);
        }
        self.spans = spans;
    }

    /// The span of field `i` (>= 1) found by scanning `$0` without splitting all of it
    /// (single-byte and default separators); `Some(None)` when there is no such field.
    #[inline]
    fn quick_field(&self, i: usize) -> Option<Option<(usize, usize)>> {
        if self.split_done || matches!(self.rs, RsMode::Para) {
            return None;
        }
        let s = &self.record;
        match self.fs {
            FsMode::Space => {
                let mut k = 0;
                let mut p = 0;
                let n = s.len();
                loop {
                    while p < n && matches!(s[p], b' ' | b'\t' | b'\n') {
                        p += 1;
                    }
                    if p >= n {
                        return Some(None);
                    }
                    let st = p;
                    while p < n && !matches!(s[p], b' ' | b'\t' | b'\n') {
                        p += 1;
                    }
                    k += 1;
                    if k == i {
                        return Some(Some((st, p)));
                    }
                }
            }
            FsMode::Byte(c) => {
                if s.is_empty() {
                    return Some(None);
                }
                let mut st = 0;
                let mut k = 1;
                for p in memchr::memchr_iter(c, s) {
                    if k == i {
                        return Some(Some((st, p)));
                    }
                    k += 1;
                    st = p + 1;
                }
                if k == i {
                    Some(Some((st, s.len())))
                } else {
                    Some(None)
                }
            }
            _ => None,
        }
    }

    /// Set `$0` to `data` (fields split lazily).
    pub fn set_record(&mut self, data: &[u8]) {
        self.record.clear();
        self.record.extend_from_slice(data);
        self.split_done = false;
    }

    fn rebuild(&mut self) -> R<()> {
        self.record.clear();
        for i in 1..=self.nf {
            if i > 1 {
                self.record.extend_from_slice(&self.ofs);
            }
            let f = &self.fields[i];
            self.record.extend_from_slice(f);
            if self.record.len() > MAX_STR {
                return fatal("record too long");
            }
        }
        Ok(())
    }

    /// `NF = n`.
    pub fn set_nf(&mut self, n: f64) -> R<()> {
        self.ensure_split();
        if n < 0.0 {
            return fatal("NF set to negative value");
        }
        let n = n as usize;
        if n > 1_000_000 {
            return fatal("NF too large");
        }
        if self.fields.len() < n + 1 {
            self.fields.resize(n + 1, Vec::new());
        }
        for i in self.nf + 1..=n {
            self.fields[i].clear();
        }
        self.nf = n;
        self.rebuild()
    }

    fn field_index(&mut self, e: &Expr) -> R<usize> {
        let n = self.eval_num(e)?;
        if n < 0.0 {
            return fatal(format!("attempt to access field {}", n as i64));
        }
        if n > 1_000_000.0 {
            return fatal("field index too large");
        }
        Ok(n as usize)
    }

    /// `$i` as a value.
    pub fn get_field(&mut self, i: usize) -> Value {
        if i == 0 {
            return Value::strnum(&self.record);
        }
        self.ensure_split();
        if i <= self.nf {
            Value::strnum(&self.fields[i])
        } else {
            Value::Str(Rc::from(&b""[..]))
        }
    }

    /// `$i = s`.
    pub fn set_field(&mut self, i: usize, s: &[u8]) -> R<()> {
        if i == 0 {
            self.set_record(s);
            return Ok(());
        }
        self.ensure_split();
        if i > self.nf {
            if self.fields.len() < i + 1 {
                self.fields.resize(i + 1, Vec::new());
            }
            for k in self.nf + 1..=i {
                self.fields[k].clear();
            }
            self.nf = i;
        }
        let f = &mut self.fields[i];
        f.clear();
        f.extend_from_slice(s);
        self.rebuild()
    }

    // ----- variables --------------------------------------------------------------

    fn cell(&self, v: Var) -> &Cell {
        match v {
            Var::Global(i) => &self.globals[i],
            Var::Local(i) => &self.stack[self.fp + i],
        }
    }

    fn cell_mut(&mut self, v: Var) -> &mut Cell {
        match v {
            Var::Global(i) => &mut self.globals[i],
            Var::Local(i) => &mut self.stack[self.fp + i],
        }
    }

    fn var_name(&self, v: Var) -> String {
        match v {
            Var::Global(i) => self.prog.globals.get(i).cloned().unwrap_or_default(),
            Var::Local(i) => format!("parameter #{}", i + 1),
        }
    }

    /// The array a variable holds (made an array if unused).
    pub fn array(&mut self, v: Var) -> R<Rc<RefCell<Array>>> {
        let name_needed = matches!(self.cell(v), Cell::Val(x) if !matches!(x, Value::Uninit));
        if name_needed {
            return fatal(format!(
                "attempt to use scalar `{}' as an array",
                self.var_name(v)
            ));
        }
        let c = self.cell_mut(v);
        if let Cell::Arr(a) = c {
            return Ok(Rc::clone(a));
        }
        let a = Rc::new(RefCell::new(Array::default()));
        *c = Cell::Arr(Rc::clone(&a));
        Ok(a)
    }

    fn get_var(&mut self, v: Var) -> R<Value> {
        if v == Var::Global(NF) {
            self.ensure_split();
            return Ok(Value::Num(self.nf as f64));
        }
        match self.cell(v) {
            Cell::Val(x) => Ok(x.clone()),
            Cell::Arr(_) => fatal(format!(
                "attempt to use array `{}' in a scalar context",
                self.var_name(v)
            )),
        }
    }

    fn set_var(&mut self, v: Var, val: Value) -> R<()> {
        let c = self.cell_mut(v);
        if let Cell::Arr(_) = c {
            let name = self.var_name(v);
            return fatal(format!("attempt to use array `{name}' in a scalar context"));
        }
        *c = Cell::Val(val);
        if let Var::Global(i) = v
            && i < NSPECIAL
        {
            self.special_set(i)?;
        }
        Ok(())
    }

    /// The subscript string for `subs`.
    pub fn subscript(&mut self, subs: &[Expr]) -> R<Vec<u8>> {
        let mut key = Vec::new();
        for (i, e) in subs.iter().enumerate() {
            if i > 0 {
                key.extend_from_slice(&self.subsep);
            }
            self.concat_into(e, &mut key)?;
        }
        Ok(key)
    }

    /// Append the string form of `v` (CONVFMT for numbers).
    pub fn push_str(&self, v: &Value, out: &mut Vec<u8>) {
        match v {
            Value::Uninit => {}
            Value::Num(n) => num_to_bytes(*n, &self.convfmt, out),
            Value::Str(s) | Value::StrNum(s) => out.extend_from_slice(s),
        }
    }

    /// The string form of `v`.
    pub fn to_str(&self, v: &Value) -> Rc<[u8]> {
        match v {
            Value::Str(s) | Value::StrNum(s) => Rc::clone(s),
            _ => {
                let mut b = Vec::new();
                self.push_str(v, &mut b);
                Rc::from(b)
            }
        }
    }

    /// Assign to an lvalue.
    pub fn assign(&mut self, lv: &LValue, val: Value) -> R<()> {
        match lv {
            LValue::Var(v) => self.set_var(*v, val),
            LValue::Field(e) => {
                let i = self.field_index(e)?;
                let s = self.to_str(&val);
                self.set_field(i, &s)
            }
            LValue::Index(v, subs) => {
                let key = self.subscript(subs)?;
                let a = self.array(*v)?;
                let mut a = a.borrow_mut();
                if a.len() >= MAX_ELEMS && a.get(&key).is_none() {
                    return fatal("array too large");
                }
                a.set(&key, val);
                Ok(())
            }
        }
    }

    /// Resolve an lvalue once (subscripts and field numbers evaluated a single time).
    fn place(&mut self, lv: &LValue) -> R<Place> {
        Ok(match lv {
            LValue::Var(v) => Place::Var(*v),
            LValue::Field(e) => Place::Field(self.field_index(e)?),
            LValue::Index(v, subs) => {
                let key = self.subscript(subs)?;
                Place::Elem(self.array(*v)?, key)
            }
        })
    }

    fn place_get(&mut self, p: &Place) -> R<Value> {
        match p {
            Place::Var(v) => self.get_var(*v),
            Place::Field(i) => Ok(self.get_field(*i)),
            Place::Elem(a, k) => {
                let mut a = a.borrow_mut();
                if a.len() >= MAX_ELEMS && a.get(k).is_none() {
                    return fatal("array too large");
                }
                Ok(a.get_or_create(k).clone())
            }
        }
    }

    fn place_set(&mut self, p: &Place, val: Value) -> R<()> {
        match p {
            Place::Var(v) => self.set_var(*v, val),
            Place::Field(i) => {
                let s = self.to_str(&val);
                self.set_field(*i, &s)
            }
            Place::Elem(a, k) => {
                a.borrow_mut().set(k, val);
                Ok(())
            }
        }
    }

    // ----- expressions ------------------------------------------------------------

    /// Evaluate for a number (avoids building strings for fields).
    pub fn eval_num(&mut self, e: &Expr) -> R<f64> {
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                if i == 0 {
                    return Ok(super::value::str_to_num(&self.record));
                }
                if let Some(span) = self.quick_field(i) {
                    return Ok(
                        span.map_or(0.0, |(a, b)| super::value::str_to_num(&self.record[a..b]))
                    );
                }
                self.ensure_split();
                Ok(if i <= self.nf {
                    super::value::str_to_num(&self.fields[i])
                } else {
                    0.0
                })
            }
            Expr::Var(v) => {
                if *v == Var::Global(NF) {
                    self.ensure_split();
                    return Ok(self.nf as f64);
                }
                match self.cell(*v) {
                    Cell::Val(x) => Ok(x.num()),
                    Cell::Arr(_) => self.get_var(*v).map(|x| x.num()),
                }
            }
            Expr::Arith(op, l, r) => {
                let a = self.eval_num(l)?;
                let b = self.eval_num(r)?;
                self.arith(*op, a, b)
            }
            Expr::Group(g) => self.eval_num(g),
            _ => Ok(self.eval(e)?.num()),
        }
    }

    fn arith(&self, op: Arith, a: f64, b: f64) -> R<f64> {
        Ok(match op {
            Arith::Add => a + b,
            Arith::Sub => a - b,
            Arith::Mul => a * b,
            Arith::Div => {
                if b == 0.0 {
                    return fatal("division by zero attempted");
                }
                a / b
            }
            Arith::Mod => {
                if b == 0.0 {
                    return fatal("division by zero attempted in `%'");
                }
                a % b
            }
            Arith::Pow => pow(a, b),
        })
    }

    /// Does the value of `e` (a regex literal or a dynamic regex string) match `s`?
    pub fn regex_for(&mut self, e: &Expr) -> R<Rc<Regex>> {
        match e {
            Expr::Regex(r) => Ok(Rc::clone(r)),
            Expr::Group(g) if matches!(**g, Expr::Regex(_)) => self.regex_for(g),
            _ => {
                let v = self.eval(e)?;
                let s = self.to_str(&v);
                self.regex_of(&s)
            }
        }
    }

    /// Evaluate an expression.
    pub fn eval(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Num(n) => Ok(Value::Num(*n)),
            Expr::Str(s) => Ok(Value::Str(Rc::clone(s))),
            Expr::Regex(r) => Ok(Value::Num(if r.is_match(&self.record) { 1.0 } else { 0.0 })),
            Expr::Var(v) => self.get_var(*v),
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                Ok(self.get_field(i))
            }
            Expr::Index(v, subs) => {
                let key = self.subscript(subs)?;
                let a = self.array(*v)?;
                let mut a = a.borrow_mut();
                if a.len() >= MAX_ELEMS && a.get(&key).is_none() {
                    return fatal("array too large");
                }
                Ok(a.get_or_create(&key).clone())
            }
            Expr::In(subs, v) => {
                let key = self.subscript(subs)?;
                let a = self.array(*v)?;
                let found = a.borrow().get(&key).is_some();
                Ok(bool_val(found))
            }
            Expr::Assign(op, lv, rhs) => {
                let val = match op {
                    None => {
                        let v = self.eval(rhs)?;
                        match v {
                            Value::Uninit => Value::Uninit,
                            other => other,
                        }
                    }
                    Some(op) => {
                        let p = self.place(lv)?;
                        let b = self.eval_num(rhs)?;
                        let a = self.place_get(&p)?.num();
                        if b == 0.0 && matches!(op, Arith::Div | Arith::Mod) {
                            let o = if *op == Arith::Div { "/=" } else { "%=" };
                            return fatal(format!("division by zero attempted in `{o}'"));
                        }
                        let v = Value::Num(self.arith(*op, a, b)?);
                        self.place_set(&p, v.clone())?;
                        return Ok(v);
                    }
                };
                self.assign(lv, val.clone())?;
                Ok(val)
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Expr::And(a, b) => Ok(bool_val(self.eval(a)?.truthy() && self.eval(b)?.truthy())),
            Expr::Or(a, b) => Ok(bool_val(self.eval(a)?.truthy() || self.eval(b)?.truthy())),
            Expr::Not(a) => Ok(bool_val(!self.eval(a)?.truthy())),
            Expr::Neg(a) => Ok(Value::Num(-self.eval_num(a)?)),
            Expr::Pos(a) => Ok(Value::Num(self.eval_num(a)?)),
            Expr::Arith(..) => Ok(Value::Num(self.eval_num(e)?)),
            Expr::Concat(..) => {
                let mut buf = Vec::new();
                self.concat_into(e, &mut buf)?;
                Ok(Value::Str(Rc::from(buf)))
            }
            Expr::Cmp(op, l, r) => {
                let a = self.eval(l)?;
                let b = self.eval(r)?;
                let o = compare(&a, &b, &self.convfmt);
                use std::cmp::Ordering::*;
                Ok(bool_val(match op {
                    Cmp::Lt => o == Less,
                    Cmp::Le => o != Greater,
                    Cmp::Gt => o == Greater,
                    Cmp::Ge => o != Less,
                    Cmp::Eq => o == Equal,
                    Cmp::Ne => o != Equal,
                }))
            }
            Expr::Match(pos, l, r) => {
                let v = self.eval(l)?;
                let s = self.to_str(&v);
                let re = self.regex_for(r)?;
                Ok(bool_val(re.is_match(&s) == *pos))
            }
            Expr::Incr(d, post, lv) => {
                let p = self.place(lv)?;
                let old = self.place_get(&p)?.num();
                let new = old + d;
                self.place_set(&p, Value::Num(new))?;
                Ok(Value::Num(if *post { old } else { new }))
            }
            Expr::Call(fi, args) => self.call(*fi, args),
            Expr::Builtin(b, args) => self.builtin(*b, args),
            Expr::Getline(src, target) => self.getline(src, target.as_deref()),
            Expr::Group(g) => self.eval(g),
            Expr::List(_) => fatal("syntax error: list used as a value"),
        }
    }

    fn concat_into(&mut self, e: &Expr, buf: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Concat(l, r) => {
                self.concat_into(l, buf)?;
                self.concat_into(r, buf)?;
            }
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                if i == 0 {
                    buf.extend_from_slice(&self.record);
                } else if let Some(span) = self.quick_field(i) {
                    if let Some((a, b)) = span {
                        buf.extend_from_slice(&self.record[a..b]);
                    }
                } else {
                    self.ensure_split();
                    if i <= self.nf {
                        buf.extend_from_slice(&self.fields[i]);
                    }
                }
            }
            Expr::Str(s) => buf.extend_from_slice(s),
            _ => {
                let v = self.eval(e)?;
                self.push_str(&v, buf);
            }
        }
        if buf.len() > MAX_STR {
            return fatal("string too long");
        }
        Ok(())
    }

    fn call(&mut self, fi: usize, args: &[Expr]) -> R<Value> {
        let f = &self.prog.funcs[fi];
        if !f.defined {
            return fatal(format!("function `{}' not defined", f.name));
        }
        if args.len() > f.params.len() {
            return fatal(format!(
                "function `{}' called with more arguments than declared",
                f.name
            ));
        }
        if self.depth >= MAX_DEPTH {
            return fatal("function call nesting too deep");
        }
        let mut cells = Vec::with_capacity(f.params.len());
        for (i, a) in args.iter().enumerate() {
            let is_arr_param = f.array_params.get(i).copied().unwrap_or(false);
            let bare = match a {
                Expr::Var(v) => Some(*v),
                Expr::Group(g) => match **g {
                    Expr::Var(v) => Some(v),
                    _ => None,
                },
                _ => None,
            };
            if let Some(v) = bare
                && v != Var::Global(NF)
            {
                match self.cell(v) {
                    Cell::Arr(arr) => {
                        cells.push(Cell::Arr(Rc::clone(arr)));
                        continue;
                    }
                    Cell::Val(Value::Uninit) if is_arr_param => {
                        let arr = self.array(v)?;
                        cells.push(Cell::Arr(arr));
                        continue;
                    }
                    _ => {}
                }
            }
            let val = self.eval(a)?;
            cells.push(Cell::Val(val));
        }
        while cells.len() < f.params.len() {
            cells.push(Cell::Val(Value::Uninit));
        }
        let base = self.stack.len();
        self.stack.extend(cells);
        let saved_fp = self.fp;
        self.fp = base;
        self.depth += 1;
        let r = self.exec(&f.body);
        self.depth -= 1;
        self.fp = saved_fp;
        self.stack.truncate(base);
        match r {
            Ok(()) => Ok(Value::Uninit),
            Err(Flow::Return(v)) => Ok(v),
            Err(Flow::Break) | Err(Flow::Continue) => Ok(Value::Uninit),
            Err(other) => Err(other),
        }
    }

    // ----- statements -------------------------------------------------------------

    /// Execute a statement.
    pub fn exec(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Line(l) => {
                self.line = *l;
                Ok(())
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
                Ok(())
            }
            Stmt::Print(args, redir) => self.print(args, redir.as_ref()),
            Stmt::Printf(args, redir) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let fmt = self.to_str(&vals[0]);
                let s =
                    super::format::sprintf(&fmt, &vals[1..], &self.convfmt).map_err(Flow::Fatal)?;
                self.emit(&s, redir.as_ref())
            }
            Stmt::If(c, t, e) => {
                if self.eval(c)?.truthy() {
                    self.exec(t)
                } else if let Some(e) = e {
                    self.exec(e)
                } else {
                    Ok(())
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    self.tick()?;
                    match self.exec(body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            Stmt::Do(body, c) => {
                loop {
                    self.tick()?;
                    match self.exec(body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(e) => return Err(e),
                    }
                    if !self.eval(c)?.truthy() {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    self.tick()?;
                    if let Some(c) = cond
                        && !self.eval(c)?.truthy()
                    {
                        break;
                    }
                    match self.exec(body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(e) => return Err(e),
                    }
                    if let Some(s) = step {
                        self.exec(s)?;
                    }
                }
                Ok(())
            }
            Stmt::ForIn(k, arr, body) => {
                let a = self.array(*arr)?;
                let keys = a.borrow().keys();
                for key in keys {
                    self.tick()?;
                    if a.borrow().get(&key).is_none() {
                        continue;
                    }
                    self.assign(k, Value::StrNum(key))?;
                    match self.exec(body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            Stmt::Block(v) => {
                for s in v {
                    self.exec(s)?;
                }
                Ok(())
            }
            Stmt::Next => {
                if self.in_end {
                    return fatal("`next' cannot be called from a `END' rule");
                }
                Err(Flow::Next)
            }
            Stmt::NextFile => Err(Flow::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval_num(e)? as i32 & 0xff;
                }
                Err(Flow::Exit)
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                Err(Flow::Return(v))
            }
            Stmt::Break => Err(Flow::Break),
            Stmt::Continue => Err(Flow::Continue),
            Stmt::Delete(v, subs) => {
                match subs {
                    Some(subs) => {
                        let key = self.subscript(subs)?;
                        let a = self.array(*v)?;
                        a.borrow_mut().remove(&key);
                    }
                    None => {
                        let a = self.array(*v)?;
                        a.borrow_mut().clear();
                    }
                }
                Ok(())
            }
        }
    }

    /// Append the output form of `v` (OFMT for numbers).
    fn push_out(&self, v: &Value, out: &mut Vec<u8>) {
        match v {
            Value::Num(n) => num_to_bytes(*n, &self.ofmt, out),
            _ => self.push_str(v, out),
        }
    }

    fn print(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> R<()> {
        if redir.is_none() {
            // Straight into the stdout buffer.
            let mut out = std::mem::take(&mut self.out);
            let r = self.print_into(args, &mut out);
            self.out = out;
            r?;
            return self.maybe_flush();
        }
        let mut buf = Vec::new();
        self.print_into(args, &mut buf)?;
        self.emit(&buf, redir)
    }

    fn print_into(&mut self, args: &[Expr], out: &mut Vec<u8>) -> R<()> {
        if args.is_empty() {
            out.extend_from_slice(&self.record);
        }
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(&self.ofs);
            }
            match a {
                Expr::Field(ie) => {
                    let k = self.field_index(ie)?;
                    if k == 0 {
                        out.extend_from_slice(&self.record);
                    } else if let Some(span) = self.quick_field(k) {
                        if let Some((a, b)) = span {
                            out.extend_from_slice(&self.record[a..b]);
                        }
                    } else {
                        self.ensure_split();
                        if k <= self.nf {
                            out.extend_from_slice(&self.fields[k]);
                        }
                    }
                }
                Expr::Str(s) => out.extend_from_slice(s),
                _ => {
                    let v = self.eval(a)?;
                    self.push_out(&v, out);
                }
            }
        }
        out.extend_from_slice(&self.ors);
        Ok(())
    }

    /// Send output text to stdout or a redirection.
    pub fn emit(&mut self, data: &[u8], redir: Option<&(Redir, Expr)>) -> R<()> {
        let Some((kind, target)) = redir else {
            self.out.extend_from_slice(data);
            return self.maybe_flush();
        };
        let v = self.eval(target)?;
        let name = self.to_str(&v).to_vec();
        self.write_to(*kind, &name, data)
    }

    // ----- the main loop ----------------------------------------------------------

    /// Run a pattern's test.
    fn matches(&mut self, p: &Pattern) -> R<bool> {
        match p {
            Pattern::All => Ok(true),
            Pattern::Expr(e) => match e {
                Expr::Regex(r) => Ok(r.is_match(&self.record)),
                _ => Ok(self.eval(e)?.truthy()),
            },
            Pattern::Range(a, b, i) => {
                let i = *i;
                if !self.ranges[i] {
                    if self.eval(a)?.truthy() {
                        if self.eval(b)?.truthy() {
                            return Ok(true);
                        }
                        self.ranges[i] = true;
                        return Ok(true);
                    }
                    Ok(false)
                } else {
                    if self.eval(b)?.truthy() {
                        self.ranges[i] = false;
                    }
                    Ok(true)
                }
            }
        }
    }

    /// Run BEGIN, the main loop and END; returns the exit status.
    pub fn run(&mut self) -> R<()> {
        let prog = self.prog;
        let mut exiting = false;
        for b in &prog.begin {
            match self.exec(b) {
                Ok(()) => {}
                Err(Flow::Exit) => {
                    exiting = true;
                    break;
                }
                Err(Flow::Next) => {
                    return fatal("`next' cannot be called from a `BEGIN' rule");
                }
                Err(Flow::NextFile) => {
                    return fatal("`nextfile' cannot be called from a `BEGIN' rule");
                }
                Err(Flow::Return(_)) | Err(Flow::Break) | Err(Flow::Continue) => {}
                Err(e) => return Err(e),
            }
        }
        if !exiting && (!prog.items.is_empty() || !prog.end.is_empty()) {
            'records: loop {
                if !self.next_main_record()? {
                    break;
                }
                self.tick()?;
                for (pat, action) in &prog.items {
                    let r = if self.matches(pat)? {
                        match action {
                            Some(a) => self.exec(a),
                            None => {
                                let mut out = std::mem::take(&mut self.out);
                                out.extend_from_slice(&self.record);
                                out.extend_from_slice(&self.ors);
                                self.out = out;
                                self.maybe_flush()
                            }
                        }
                    } else {
                        Ok(())
                    };
                    match r {
                        Ok(()) => {}
                        Err(Flow::Next) => continue 'records,
                        Err(Flow::NextFile) => {
                            self.main = None;
                            continue 'records;
                        }
                        Err(Flow::Exit) => {
                            exiting = true;
                            break 'records;
                        }
                        Err(Flow::Return(_)) | Err(Flow::Break) | Err(Flow::Continue) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        let _ = exiting;
        self.in_end = true;
        for b in &prog.end {
            match self.exec(b) {
                Ok(()) => {}
                Err(Flow::Exit) => break,
                Err(Flow::Return(_)) | Err(Flow::Break) | Err(Flow::Continue) => {}
                Err(Flow::Next) => {
                    return fatal("`next' cannot be called from a `END' rule");
                }
                Err(Flow::NextFile) => {
                    return fatal("`nextfile' cannot be called from a `END' rule");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Read the next main-input record into `$0`; false at the end of all input.
    pub fn next_main_record(&mut self) -> R<bool> {
        loop {
            if self.main_eof {
                return Ok(false);
            }
            if self.main.is_none() && !self.open_next_file()? {
                self.main_eof = true;
                return Ok(false);
            }
            let rs = self.rs.clone();
            let mut rec = std::mem::take(&mut self.recbuf);
            let mut rt = std::mem::take(&mut self.rt);
            let got = match &mut self.main {
                Some(r) => r.read_record(&rs, &mut rec, &mut rt, self.ctx.cancel),
                None => Ok(false),
            };
            self.rt = rt;
            if matches!(got, Ok(true)) {
                std::mem::swap(&mut self.record, &mut rec);
            }
            self.recbuf = rec;
            match got {
                Ok(true) => {
                    self.split_done = false;
                    self.nr += 1.0;
                    self.fnr += 1.0;
                    self.globals[NR] = Cell::Val(Value::Num(self.nr));
                    self.globals[FNR] = Cell::Val(Value::Num(self.fnr));
                    if !matches!(self.rs, RsMode::Byte(b'\n')) {
                        self.globals[RT] = Cell::Val(Value::str(&self.rt));
                    }
                    return Ok(true);
                }
                Ok(false) => {
                    self.main = None;
                }
                Err(e) => {
                    if self.ctx.cancel.is_cancelled() {
                        return Err(Flow::Stop(Stop::Cancelled));
                    }
                    let name = self.cell_str(FILENAME);
                    return fatal(format!(
                        "error reading input file `{}': {}",
                        String::from_utf8_lossy(&name),
                        crate::io::errno_message(&e)
                    ));
                }
            }
        }
    }

    fn argv_get(&self, i: usize) -> Option<Value> {
        if let Cell::Arr(a) = &self.globals[ARGV] {
            let mut k = Vec::new();
            super::value::push_int(i as i64, &mut k);
            return a.borrow().get(&k).cloned();
        }
        None
    }

    fn open_next_file(&mut self) -> R<bool> {
        loop {
            let argc = match &self.globals[ARGC] {
                Cell::Val(v) => v.num() as usize,
                Cell::Arr(_) => 0,
            };
            if self.arg_index >= argc {
                if self.used_file_arg {
                    return Ok(false);
                }
                self.used_file_arg = true;
                // Standard input is named `-` (gawk and mawk alike).
                self.globals[FILENAME] = Cell::Val(Value::str(b"-"));
                self.main = Some(RecReader::new(self.ctx.stdin.clone()));
                self.fnr = 0.0;
                self.globals[FNR] = Cell::Val(Value::Num(0.0));
                return Ok(true);
            }
            let i = self.arg_index;
            self.arg_index += 1;
            let Some(v) = self.argv_get(i) else { continue };
            let arg = self.to_str(&v).to_vec();
            if arg.is_empty() {
                continue;
            }
            if let Some(eq) = assignment_split(&arg) {
                let (name, val) = (&arg[..eq], &arg[eq + 1..]);
                self.command_assign(name, val)?;
                continue;
            }
            self.used_file_arg = true;
            let name = String::from_utf8_lossy(&arg).into_owned();
            self.globals[FILENAME] = Cell::Val(Value::str(&arg));
            self.fnr = 0.0;
            self.globals[FNR] = Cell::Val(Value::Num(0.0));
            if name != "-"
                && name != "/dev/stdin"
                && self.ctx.vfs.stat(&name).is_ok_and(|s| s.is_dir())
            {
                let _ = self.ctx.stderr.write_all(
                    format!(
                        "{}: warning: command line argument `{name}' is a directory: skipped\n",
                        self.ctx.name()
                    )
                    .as_bytes(),
                );
                continue;
            }
            match self.ctx.open_input(&name) {
                Ok(fd) => {
                    self.main = Some(RecReader::new(fd));
                    return Ok(true);
                }
                Err(m) => {
                    let reason = m.rsplit(": ").next().unwrap_or("").to_string();
                    return Err(Flow::FatalBare(format!(
                        "cannot open file `{name}' for reading: {reason}"
                    )));
                }
            }
        }
    }

    /// `name=value` from the command line or ARGV: escapes processed, value is strnum.
    pub fn command_assign(&mut self, name: &[u8], val: &[u8]) -> R<()> {
        let name = String::from_utf8_lossy(name).into_owned();
        let val = super::unescape(val);
        let Some(&idx) = self.prog.globals.iter().position(|g| *g == name).as_ref() else {
            // A variable the program never mentions: nothing can see it.
            return Ok(());
        };
        self.set_var(Var::Global(idx), Value::strnum(&val))
    }

    /// Print a warning in gawk's shape.
    pub fn warn(&self, msg: &str) {
        let _ = self.ctx.stderr.write_all(
            format!(
                "{}: {}:{}: warning: {}\n",
                self.ctx.name(),
                self.src_name,
                self.line,
                msg
            )
            .as_bytes(),
        );
    }

    /// The `(FILENAME=x FNR=n) ` part of runtime messages.
    pub fn location(&self) -> String {
        if self.fnr > 0.0 {
            let f = self.cell_str(FILENAME);
            let f = if f.is_empty() {
                "-".to_string()
            } else {
                String::from_utf8_lossy(&f).into_owned()
            };
            format!("(FILENAME={} FNR={}) ", f, self.fnr)
        } else {
            String::new()
        }
    }
}

/// Where `name=value` splits, if `arg` is a command-line assignment.
pub fn assignment_split(arg: &[u8]) -> Option<usize> {
    let eq = arg.iter().position(|&c| c == b'=')?;
    let name = &arg[..eq];
    if name.is_empty() || name[0].is_ascii_digit() {
        return None;
    }
    if name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
        Some(eq)
    } else {
        None
    }
}

fn bool_val(b: bool) -> Value {
    Value::Num(if b { 1.0 } else { 0.0 })
}

/// awk's `^`: integer powers by repeated multiplication (as gawk), others via powf.
pub fn pow(a: f64, b: f64) -> f64 {
    if b == b.trunc() && b.abs() < 1024.0 {
        let mut n = b.abs() as u32;
        let mut x = a;
        let mut r = 1.0;
        while n > 0 {
            if n & 1 == 1 {
                r *= x;
            }
            x *= x;
            n >>= 1;
        }
        if b < 0.0 { 1.0 / r } else { r }
    } else {
        a.powf(b)
    }
}

/// Split `s` into field spans.
pub fn split_into(s: &[u8], fs: &FsMode, para: bool, out: &mut Vec<(usize, usize)>) {
    match fs {
        FsMode::Space => {
            let mut i = 0;
            let n = s.len();
            loop {
                while i < n && matches!(s[i], b' ' | b'\t' | b'\n') {
                    i += 1;
                }
                if i >= n {
                    break;
                }
                let st = i;
                while i < n && !matches!(s[i], b' ' | b'\t' | b'\n') {
                    i += 1;
                }
                out.push((st, i));
            }
        }
        FsMode::Byte(c) => {
            if s.is_empty() {
                return;
            }
            let c = *c;
            let mut st = 0;
            if para && c != b'\n' {
                for (i, &b) in s.iter().enumerate() {
                    if b == c || b == b'\n' {
                        out.push((st, i));
                        st = i + 1;
                    }
                }
            } else {
                for i in memchr::memchr_iter(c, s) {
                    out.push((st, i));
                    st = i + 1;
                }
            }
            out.push((st, s.len()));
        }
        FsMode::Chars => {
            for (i, &b) in s.iter().enumerate() {
                if para && b == b'\n' {
                    continue;
                }
                out.push((i, i + 1));
            }
        }
        FsMode::Regex(re) => {
            if s.is_empty() {
                return;
            }
            let mut st = 0;
            let mut pos = 0;
            while pos <= s.len() {
                let m = re.find_at(s, pos);
                let nl = if para {
                    memchr::memchr(b'\n', &s[pos..]).map(|i| pos + i)
                } else {
                    None
                };
                let m = match (m, nl) {
                    (Some((ms, _)), Some(n)) if n < ms => Some((n, n + 1)),
                    (None, Some(n)) => Some((n, n + 1)),
                    (m, _) => m,
                };
                let Some((ms, me)) = m else { break };
                if me == ms {
                    // Empty matches do not split.
                    pos = ms + 1;
                    continue;
                }
                out.push((st, ms));
                st = me;
                pos = me;
            }
            out.push((st, s.len()));
        }
    }
}

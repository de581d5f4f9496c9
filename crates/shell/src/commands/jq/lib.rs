//! The jq library on top of jaq: the data jaq filters run with (inputs, the current
//! file, stderr, the cancellation flag), native filters that make jaq behave like
//! jq 1.7 (`tojson` number format, `debug`/`stderr` to our stderr, `input`, `@csv`,
//! `@tsv`, `@base32d`, order-keeping `delpaths`, ...), jq definitions that replace
//! jaq's where they differ, and the translation of jaq's error texts to jq's.

use std::cell::{Cell, RefCell};

use jaq_core::box_iter::box_once;
use jaq_core::data::HasLut;
use jaq_core::native::{Fun, bome, run, v};
use jaq_core::{DataT, Error, Exn, Lut, RunPtr, ValXs};
use jaq_json::{Map, Num, Rc, Val};
use jaq_std::input::{HasInputs, Inputs};

use super::json::Parser;
use super::write::{Style, write_val};
use crate::io::{Cancel, Fd};

/// The kind of data our filters run on.
pub struct Kind;

impl DataT for Kind {
    type V<'a> = Val;
    type Data<'a> = &'a Data<'a>;
}

/// What native filters can reach while a filter runs.
pub struct Data<'a> {
    /// jaq's look-up table.
    pub lut: &'a Lut<Kind>,
    /// The input values (shared by the main loop, `input` and `inputs`).
    pub inputs: Inputs<'a, Val>,
    /// Per-run state.
    pub st: &'a State<'a>,
}

/// Per-run state shared with native filters.
pub struct State<'a> {
    /// Where `debug` and `stderr` write.
    pub stderr: &'a Fd,
    /// Checked by long-running builtins.
    pub cancel: &'a Cancel,
    /// Name of the file the last input came from (`None` for stdin).
    pub file: RefCell<Option<String>>,
    /// jq's line count for the last input read.
    pub line: Cell<usize>,
    /// Set once the run was stopped by the cancellation check.
    pub stopped: Cell<bool>,
}

impl<'a> HasLut<'a, Kind> for &'a Data<'a> {
    fn lut(&self) -> &'a Lut<Kind> {
        self.lut
    }
}

impl<'a> HasInputs<'a, Val> for &'a Data<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

type Cv<'a> = jaq_core::Cv<'a, Kind>;

/// jaq natives that this module replaces (name, arity).
const REPLACED: &[(&str, usize)] = &[
    ("tojson", 0),
    ("fromjson", 0),
    ("debug_empty", 0),
    ("stderr_empty", 0),
    ("input", 0),
    ("env", 0),
    ("ltrimstr", 1),
    ("rtrimstr", 1),
];

/// Exit status used when the cancellation check stops a filter.
pub const CANCEL_HALT: i32 = -130;

/// Every native filter: jaq's, minus those replaced, plus ours.
pub fn funs() -> impl Iterator<Item = Fun<Kind>> {
    let theirs = jaq_core::funs::<Kind>()
        .chain(jaq_std::funs::<Kind>())
        .chain(jaq_json::funs::<Kind>())
        .chain(
            jaq_std::input::funs::<Kind>()
                .into_vec()
                .into_iter()
                .map(|f| run::<Kind>(f)),
        )
        .filter(|(name, args, _)| !REPLACED.contains(&(*name, args.len())));
    let ours: [jaq_core::native::Filter<RunPtr<Kind>>; 14] = [
        ("tojson", v(0), |cv| bome(Ok(Val::from(to_json(&cv.1))))),
        ("fromjson", v(0), fromjson),
        ("debug_empty", v(0), |cv| {
            let mut msg = b"[\"DEBUG:\",".to_vec();
            write_val(&mut msg, &cv.1, &Style::compact());
            msg.extend_from_slice(b"]\n");
            let _ = cv.0.data().st.stderr.write_all(&msg);
            Box::new(core::iter::empty())
        }),
        ("stderr_empty", v(0), |cv| {
            let msg = match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => s.to_vec(),
                other => to_json(other).into_bytes(),
            };
            let _ = cv.0.data().st.stderr.write_all(&msg);
            Box::new(core::iter::empty())
        }),
        ("input", v(0), |cv| {
            let mut inputs = cv.0.data().inputs;
            match inputs.next() {
                Some(Ok(v)) => box_once(Ok(v)),
                Some(Err(e)) => box_once(Err(Exn::from(Error::str(e)))),
                None => box_once(Err(Exn::from(Error::str("No more inputs")))),
            }
        }),
        ("input_filename", v(0), |cv| {
            let f = cv.0.data().st.file.borrow().clone();
            bome(Ok(f.map_or(Val::Null, Val::from)))
        }),
        ("input_line_number", v(0), |cv| {
            bome(Ok(Val::from(cv.0.data().st.line.get())))
        }),
        ("__check", v(0), |cv| {
            let st = cv.0.data().st;
            if st.cancel.is_cancelled() {
                st.stopped.set(true);
                return box_once(Err(Exn::halt(CANCEL_HALT)));
            }
            box_once(Ok(cv.1))
        }),
        ("__range", v(2), range),
        ("ltrimstr", v(1), |mut cv| {
            let pre = cv.0.pop_var();
            bome(Ok(trim_fix(cv.1, &pre, true)))
        }),
        ("rtrimstr", v(1), |mut cv| {
            let suf = cv.0.pop_var();
            bome(Ok(trim_fix(cv.1, &suf, false)))
        }),
        ("@csv", v(0), |cv| bome(csv_tsv(&cv.1, true))),
        ("@tsv", v(0), |cv| bome(csv_tsv(&cv.1, false))),
        ("__delpaths", v(1), |mut cv| {
            let paths = cv.0.pop_var();
            bome(delpaths(cv.1, &paths))
        }),
    ];
    let more: [jaq_core::native::Filter<RunPtr<Kind>>; 4] = [
        ("__trunc", v(0), |cv| bome(Ok(Val::from(trunc(&cv.1))))),
        ("__keys_unsorted", v(0), |cv| {
            let keys: Vec<Val> = match &cv.1 {
                Val::Obj(o) => o.keys().cloned().collect(),
                Val::Arr(a) => (0..a.len()).map(Val::from).collect(),
                _ => Vec::new(),
            };
            bome(Ok(keys.into_iter().collect()))
        }),
        ("@base32", v(0), |cv| bome(base32(&cv.1))),
        ("@base32d", v(0), |cv| bome(base32d(&cv.1))),
    ];
    theirs
        .chain(ours.into_iter().map(|f| run::<Kind>(f)))
        .chain(more.into_iter().map(|f| run::<Kind>(f)))
}

/// jq definitions that replace or add to jaq's.
pub const DEFS: &str = r#"
def env: $ENV;
def keys_unsorted: if type == "object" or type == "array" then __keys_unsorted
  else error("\(type) (\(__trunc)) has no keys") end;
def keys: keys_unsorted | sort;
def tostring: if type == "string" then . else tojson end;
def @text: tostring;
def @json: tojson;
def join($x): reduce .[] as $i (null;
    (if . == null then "" else . + $x end) +
    ($i | if . == null then "" elif type == "string" then . else tojson end)) // "";
def range($from; $upto): __range($from; $upto);
def range($n): __range(0; $n);
def range($from; $upto; $by):
  if $by > 0 then $from | while(. < $upto; . + $by)
  elif $by < 0 then $from | while(. > $upto; . + $by)
  else empty end;
def repeat(f): def rec: ., (f | __check | rec); rec;
def recurse(f): def rec: ., (f | __check | rec); rec;
def recurse(f; cond): def rec: ., (f | __check | select(cond) | rec); rec;
def while(cond; update): def rec: if cond then ., (update | __check | rec) else empty end; rec;
def until(cond; update): def rec: if cond then . else (update | __check | rec) end; rec;
def delpaths($paths): __delpaths($paths);
def del(f): __delpaths([path(f)]);
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries: reduce .[] as $x ({};
    . + { ($x | if .key == null then .k // .name // .Name // .K // .Key else .key end
             | if type == "string" then . else tojson end):
          ($x | if has("value") then .value else .v end) });
def with_entries(f): to_entries | map(f) | from_entries;
def walk(f): def w: if type == "object" then map_values(w)
                    elif type == "array" then map(w) else . end | f; w;
def halt_error($exit_code): (if type == "string" then . else tojson + "\n" end | stderr_empty), halt($exit_code);
def halt_error: halt_error(5);
def leaf_paths: paths(scalars);
def tostream: path(def r: (.[]?|r), .; r) as $p | getpath($p)
  | reduce path(.[]?) as $q ([$p, .]; [$p+$q]);
def fromstream(f): { x: null, e: false } as $init
  | foreach f as $i ($init;
      if .e then $init else . end
      | if $i | length == 2
        then setpath(["e"]; $i[0] | length == 0) | setpath(["x"] + $i[0]; $i[1])
        else setpath(["e"]; $i[0] | length == 1) end;
      if .e then .x else empty end);
def truncate_stream(stream): . as $n | null | stream | . as $input
  | if (.[0]|length) > $n then setpath([0];.[0][$n:]) else empty end;
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row|idx_expr|tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def todate: strftime("%Y-%m-%dT%H:%M:%SZ");
def dateadd(u; n): . + n;
def datesub(u; n): . - n;
def date: todate;
def have_literal_numbers: true;
def have_decnum: false;
def getpath_or_null(p): getpath(p);
def finites: select(isinfinite or isnan | not);
def isvalid(f): try (f | true) catch false;
def splits($re): splits($re; null);
def limit($n; f): if $n > 0 then label $out | foreach f as $item (0; . + 1; $item, if . >= $n then break $out else empty end) elif $n == 0 then empty else f end;
def first(f): label $out | (f | ., break $out);
def isempty(g): label $go | (g | false, break $go), true;
def add(f): reduce f as $x (null; . + $x);
"#;

/// The compact JSON text of `v`, jq-style.
pub fn to_json(v: &Val) -> String {
    let mut out = Vec::new();
    write_val(&mut out, v, &Style::compact());
    String::from_utf8_lossy(&out).into_owned()
}

fn fromjson(cv: Cv<'_>) -> ValXs<'_, Val> {
    let Val::TStr(s) = &cv.1 else {
        let msg = format!(
            "{} ({}) cannot be parsed as JSON",
            type_name(&cv.1),
            trunc(&cv.1)
        );
        return box_once(Err(Exn::from(Error::str(msg))));
    };
    let mut p = Parser::new(s);
    let text = String::from_utf8_lossy(s).into_owned();
    let res = match p.next_value() {
        Some(Ok(v)) => match p.next_value() {
            None => Ok(v),
            Some(_) => Err(format!(
                "Unexpected extra JSON values (while parsing '{text}')"
            )),
        },
        Some(Err(e)) => Err(format!("{} (while parsing '{text}')", e.render(s))),
        None => Err(format!("Expected JSON value (while parsing '{text}')")),
    };
    box_once(res.map_err(|m| Exn::from(Error::str(m))))
}

/// `range($from; $upto)` with a cancellation check for every value.
fn range(mut cv: Cv<'_>) -> ValXs<'_, Val> {
    let upto = cv.0.pop_var();
    let from = cv.0.pop_var();
    let st = cv.0.data().st;
    let (Val::Num(f), Val::Num(u)) = (&from, &upto) else {
        return box_once(Err(Exn::from(Error::str("Range bounds must be numeric"))));
    };
    if let (Some(a), Some(b)) = (f.as_isize(), u.as_isize()) {
        let mut n = 0u32;
        return Box::new((a..b).map_while(move |i| {
            n = n.wrapping_add(1);
            if n.is_multiple_of(1024) && st.cancel.is_cancelled() {
                st.stopped.set(true);
                return Some(Err(Exn::halt(CANCEL_HALT)));
            }
            Some(Ok(Val::from(i)))
        }));
    }
    let a = num_f64(f);
    let b = num_f64(u);
    let mut x = a;
    Box::new(core::iter::from_fn(move || {
        if x >= b {
            return None;
        }
        if st.cancel.is_cancelled() {
            st.stopped.set(true);
            x = f64::INFINITY;
            return Some(Err(Exn::halt(CANCEL_HALT)));
        }
        let v = Val::Num(Num::Float(x));
        x += 1.0;
        Some(Ok(v))
    }))
}

fn num_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::Float(f) => *f,
        Num::Dec(s) => s.parse().unwrap_or(f64::NAN),
        Num::BigInt(b) => b.to_string().parse().unwrap_or(f64::NAN),
    }
}

/// jq's `ltrimstr`/`rtrimstr`: the input unchanged unless both are strings.
fn trim_fix(v: Val, fix: &Val, prefix: bool) -> Val {
    if let (Val::TStr(s), Val::TStr(f)) = (&v, fix) {
        let s: &[u8] = s;
        let f: &[u8] = f;
        let cut = if prefix {
            s.strip_prefix(f)
        } else {
            s.strip_suffix(f)
        };
        if let Some(rest) = cut {
            return Val::from(String::from_utf8_lossy(rest).into_owned());
        }
    }
    v
}

/// jq's type names.
pub fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// jq's value excerpt for messages: compact JSON cut to 11 bytes plus `...`.
pub fn trunc(v: &Val) -> String {
    let s = to_json(v);
    trunc_text(&s)
}

fn trunc_text(s: &str) -> String {
    if s.len() <= 14 {
        return s.to_string();
    }
    let mut cut = 11;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...", &s[..cut])
}

fn csv_tsv(v: &Val, csv: bool) -> Result<Val, Error<Val>> {
    let Val::Arr(a) = v else {
        let what = if csv { "csv" } else { "tsv" };
        return Err(Error::str(format!(
            "{} ({}) cannot be {what}-formatted, only an array can be",
            type_name(v),
            trunc(v)
        )));
    };
    let mut out = String::new();
    for (i, x) in a.iter().enumerate() {
        if i > 0 {
            out.push(if csv { ',' } else { '\t' });
        }
        match x {
            Val::Null => {}
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Num(n) => out.push_str(&num_text(n)),
            Val::TStr(s) | Val::BStr(s) => {
                let s = String::from_utf8_lossy(s);
                if csv {
                    out.push('"');
                    out.push_str(&s.replace('"', "\"\""));
                    out.push('"');
                } else {
                    for c in s.chars() {
                        match c {
                            '\\' => out.push_str("\\\\"),
                            '\t' => out.push_str("\\t"),
                            '\n' => out.push_str("\\n"),
                            '\r' => out.push_str("\\r"),
                            c => out.push(c),
                        }
                    }
                }
            }
            other => {
                let what = if csv { "csv" } else { "tsv" };
                return Err(Error::str(format!(
                    "{} ({}) is not valid in a {what} row",
                    type_name(other),
                    trunc(other)
                )));
            }
        }
    }
    Ok(Val::from(out))
}

fn num_text(n: &Num) -> String {
    n.to_string()
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn str_bytes(v: &Val) -> Result<Vec<u8>, Error<Val>> {
    match v {
        Val::TStr(s) | Val::BStr(s) => Ok(s.to_vec()),
        other => Ok(to_json(other).into_bytes()),
    }
}

fn base32(v: &Val) -> Result<Val, Error<Val>> {
    let data = str_bytes(v)?;
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let nchars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < nchars {
                let idx = ((bits >> (35 - i * 5)) & 31) as usize;
                out.push(char::from(B32[idx]));
            } else {
                out.push('=');
            }
        }
    }
    Ok(Val::from(out))
}

fn base32d(v: &Val) -> Result<Val, Error<Val>> {
    let data = str_bytes(v)?;
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    let mut nbits = 0;
    for &c in &data {
        let Some(d) = B32.iter().position(|&x| x == c) else {
            if c == b'=' {
                break;
            }
            continue;
        };
        acc = (acc << 5) | d as u64;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push(((acc >> nbits) & 0xff) as u8);
        }
    }
    Ok(Val::from(String::from_utf8_lossy(&out).into_owned()))
}

/// `delpaths(PATHS)` keeping the order of the remaining object keys (as jq does).
fn delpaths(v: Val, paths: &Val) -> Result<Val, Error<Val>> {
    let Val::Arr(ps) = paths else {
        return Err(Error::str("Paths must be specified as an array"));
    };
    let mut ps: Vec<Val> = ps.to_vec();
    ps.sort();
    let mut v = v;
    for p in ps.iter().rev() {
        let Val::Arr(p) = p else {
            return Err(Error::str("Path must be specified as an array"));
        };
        v = del_one(v, p)?;
    }
    Ok(v)
}

fn del_one(v: Val, path: &[Val]) -> Result<Val, Error<Val>> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(Val::Null);
    };
    match (v, first) {
        (Val::Null, _) => Ok(Val::Null),
        (Val::Obj(mut o), k @ (Val::TStr(_) | Val::BStr(_))) => {
            let m: &mut Map = Rc::make_mut(&mut o);
            if rest.is_empty() {
                m.shift_remove(k);
            } else if let Some(child) = m.get_mut(k) {
                let c = core::mem::take(child);
                *child = del_one(c, rest)?;
            }
            Ok(Val::Obj(o))
        }
        (Val::Arr(mut a), Val::Num(n)) => {
            let len = a.len() as isize;
            let Some(i) = n
                .as_isize()
                .or_else(|| num_f64(n).is_finite().then(|| num_f64(n).floor() as isize))
            else {
                return Ok(Val::Arr(a));
            };
            let i = if i < 0 { i + len } else { i };
            if i < 0 {
                return Err(Error::str("Out of bounds negative array index"));
            }
            if i >= len {
                return Ok(Val::Arr(a));
            }
            let vec = Rc::make_mut(&mut a);
            let i = i as usize;
            if rest.is_empty() {
                vec.remove(i);
            } else {
                let c = core::mem::take(&mut vec[i]);
                vec[i] = del_one(c, rest)?;
            }
            Ok(Val::Arr(a))
        }
        (Val::Arr(mut a), Val::Obj(r)) if rest.is_empty() => {
            let len = a.len() as isize;
            let bound = |k: &str, d: isize| -> isize {
                match r.get(&Val::from(k.to_string())) {
                    Some(Val::Num(n)) => {
                        let x = n.as_isize().unwrap_or_else(|| num_f64(n).floor() as isize);
                        let x = if x < 0 { x + len } else { x };
                        x.clamp(0, len)
                    }
                    _ => d,
                }
            };
            let s = bound("start", 0);
            let e = bound("end", len).max(s);
            Rc::make_mut(&mut a).drain(s as usize..e as usize);
            Ok(Val::Arr(a))
        }
        (v, k) => Err(Error::str(format!(
            "Cannot delete field at {} index of {}",
            type_name(k),
            type_name(&v)
        ))),
    }
}

/// jq's text for a runtime error from jaq (`Cannot index number with "a"`, ...), and
/// whether the error value was a string (jq prints non-strings with "(not a string)").
pub fn error_text(e: &Error<Val>) -> (String, bool) {
    let shown = e.to_string();
    let val = e.clone().into_val();
    if let Val::TStr(s) = &val
        && s.as_ref() == shown.as_bytes()
    {
        return (translate(&shown), true);
    }
    match &val {
        Val::TStr(s) | Val::BStr(s) => (String::from_utf8_lossy(s).into_owned(), true),
        other => (to_json(other), false),
    }
}

/// Split `s` right after one JSON value at its start; returns (value, rest).
fn take_value(s: &str) -> Option<(Val, &str)> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
                if depth == 0 {
                    i += 1;
                    break;
                }
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                b' ' if depth == 0 => break,
                _ => {}
            }
        }
        i += 1;
    }
    let (text, rest) = s.split_at(i.min(s.len()));
    let v = match text {
        "NaN" => Val::Num(Num::Float(f64::NAN)),
        "Infinity" => Val::Num(Num::Float(f64::INFINITY)),
        "-Infinity" => Val::Num(Num::Float(f64::NEG_INFINITY)),
        _ => {
            let mut p = Parser::new(text.as_bytes());
            match p.next_value() {
                Some(Ok(v)) if p.next_value().is_none() => v,
                _ => return None,
            }
        }
    };
    Some((v, rest))
}

fn tv(v: &Val) -> String {
    format!("{} ({})", type_name(v), trunc(v))
}

/// Rewrite one of jaq's messages in jq's words.
fn translate(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("cannot index ")
        && let Some((l, rest)) = take_value(rest)
        && let Some(rest) = rest.strip_prefix(" with ")
        && let Some((r, "")) = take_value(rest)
    {
        return match (&l, &r) {
            (_, Val::TStr(k)) => {
                format!(
                    "Cannot index {} with \"{}\"",
                    type_name(&l),
                    String::from_utf8_lossy(k)
                )
            }
            _ => format!("Cannot index {} with {}", type_name(&l), type_name(&r)),
        };
    }
    if let Some(rest) = msg.strip_prefix("cannot use ")
        && let Some((v, rest)) = take_value(rest)
    {
        return match rest {
            " as iterable (array or object)" => format!("Cannot iterate over {}", tv(&v)),
            " as number" => format!("{} cannot be negated", tv(&v)),
            " as string" => format!("{} cannot be used as a string", tv(&v)),
            " as array" => format!("Cannot use {} as an array", tv(&v)),
            " as integer" => format!("Cannot use {} as an integer", tv(&v)),
            _ => format!("{} cannot be used{rest}", tv(&v)),
        };
    }
    if let Some(rest) = msg.strip_prefix("cannot calculate ")
        && let Some((l, rest)) = take_value(rest)
        && rest.len() > 3
    {
        let op = &rest[1..2];
        if let Some((r, "")) = take_value(&rest[3..]) {
            let verb = match op {
                "+" => "added",
                "-" => "subtracted",
                "*" => "multiplied",
                _ => "divided",
            };
            let zero = matches!(op, "/" | "%") && matches!(&r, Val::Num(n) if num_f64(n) == 0.0);
            let why = if zero {
                " because the divisor is zero"
            } else {
                ""
            };
            return format!("{} and {} cannot be {verb}{why}", tv(&l), tv(&r));
        }
    }
    if let Some(v) = msg.strip_suffix(" has no length")
        && let Some((v, "")) = take_value(v)
    {
        return format!("{} has no length", tv(&v));
    }
    if let Some(rest) = msg.strip_prefix("invalid path expression with input ")
        && let Some((v, _)) = take_value(rest)
    {
        return format!("Invalid path expression with result {}", trunc(&v));
    }
    msg.to_string()
}

/// Halt codes (from `halt`, `halt_error`) come back as the exception.
pub fn halt_code(x: Exn<'_, Val>) -> Result<Error<Val>, Option<i32>> {
    match x.get_err() {
        Ok(e) => Ok(e),
        Err(x) => Err(x.get_halt().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations() {
        assert_eq!(
            translate("cannot index 1 with \"a\""),
            "Cannot index number with \"a\""
        );
        assert_eq!(
            translate("cannot index {\"a\":1} with 0"),
            "Cannot index object with number"
        );
        assert_eq!(
            translate("cannot use 5 as iterable (array or object)"),
            "Cannot iterate over number (5)"
        );
        assert_eq!(
            translate("cannot calculate {} + 1"),
            "object ({}) and number (1) cannot be added"
        );
        assert_eq!(
            translate("cannot calculate \"abcdefghijklmnop\" - 1"),
            "string (\"abcdefghij...) and number (1) cannot be subtracted"
        );
        assert_eq!(
            translate("true has no length"),
            "boolean (true) has no length"
        );
    }

    #[test]
    fn base32_round_trip() {
        let e = base32(&Val::from("hello".to_string())).ok();
        assert_eq!(e, Some(Val::from("NBSWY3DP".to_string())));
        let d = base32d(&Val::from("NBSWY3DP".to_string())).ok();
        assert_eq!(d, Some(Val::from("hello".to_string())));
    }
}

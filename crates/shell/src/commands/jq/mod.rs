//! `jq` (1.7.1 behaviour) on the jaq crates: option parsing, reading the inputs, running
//! the compiled filter on each input and printing the results; exit statuses and
//! messages as jq's (5 for runtime errors, 3 for compile errors, 2 for usage and input
//! errors, `-e`'s 1 and 4).

mod json;
mod lib;
mod write;

use std::cell::{Cell, RefCell};

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx as JCtx, Vars};
use jaq_json::{Map, Val};
use jaq_std::input::RcIter;

use crate::commands::util::{MAX_INPUT, Out, read_all};
use crate::commands::{Command, Ctx};
use json::Parser;
use lib::{Data, Kind, State};
use write::{Style, write_val};

/// `jq [options] filter [files...]`
pub struct Jq;

const VERSION: &str = "jq-1.7.1\n";

const USAGE_HINT: &str = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n";

/// Parsed command line.
#[derive(Default)]
struct Opts {
    filter: Option<String>,
    from_file: Option<String>,
    files: Vec<String>,
    null_input: bool,
    raw_input: bool,
    slurp: bool,
    raw_output: bool,
    raw_output0: bool,
    join: bool,
    ascii: bool,
    compact: bool,
    tab: bool,
    indent: usize,
    sort_keys: bool,
    exit_status: bool,
    seq: bool,
    named: Vec<(String, Val)>,
    positional: Vec<Val>,
}

enum Parsed {
    Run(Box<Opts>),
    Exit(i32),
}

fn usage_error(ctx: &Ctx<'_>, msg: &str) -> Parsed {
    let _ = ctx
        .stderr
        .write_all(format!("jq: {msg}\n{USAGE_HINT}").as_bytes());
    Parsed::Exit(2)
}

fn read_file(ctx: &Ctx<'_>, path: &str) -> Result<Vec<u8>, String> {
    let fd = ctx.open_input(path)?;
    read_all(&fd, MAX_INPUT).map_err(|e| {
        if e.to_string().contains("limit") {
            format!("{path}: input is larger than {MAX_INPUT} bytes")
        } else {
            format!("{path}: {}", crate::commands::util::io_message(&e))
        }
    })
}

fn parse_opts(ctx: &Ctx<'_>) -> Parsed {
    let args = &ctx.args[1..];
    let mut o = Opts {
        indent: 2,
        ..Opts::default()
    };
    let mut positional_mode: Option<bool> = None; // Some(json?)
    let mut only_operands = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || !a.starts_with('-') || a == "-" {
            if o.filter.is_none() && o.from_file.is_none() {
                o.filter = Some(a.clone());
            } else if let Some(json) = positional_mode {
                if json {
                    match parse_one(a.as_bytes()) {
                        Some(v) => o.positional.push(v),
                        None => {
                            return usage_error(ctx, "Invalid JSON text passed to --jsonargs");
                        }
                    }
                } else {
                    o.positional.push(Val::from(a.clone()));
                }
            } else {
                o.files.push(a.clone());
            }
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        // Long options.
        if let Some(long) = a.strip_prefix("--") {
            let need = |n: usize, what: &str| -> Result<Vec<String>, Parsed> {
                if i + n > args.len() {
                    return Err(usage_error(ctx, what));
                }
                Ok(args[i..i + n].to_vec())
            };
            match long {
                "null-input" => o.null_input = true,
                "raw-input" => o.raw_input = true,
                "slurp" => o.slurp = true,
                "raw-output" => o.raw_output = true,
                "raw-output0" => {
                    o.raw_output = true;
                    o.raw_output0 = true;
                }
                "join-output" => {
                    o.raw_output = true;
                    o.join = true;
                }
                "ascii-output" => o.ascii = true,
                "compact-output" => o.compact = true,
                "tab" => o.tab = true,
                "sort-keys" => o.sort_keys = true,
                "exit-status" => o.exit_status = true,
                "seq" => o.seq = true,
                "monochrome-output" | "unbuffered" => {}
                "color-output" => {
                    return not_supported(ctx, "--color-output");
                }
                "stream" | "stream-errors" => {
                    return not_supported(ctx, a);
                }
                "args" => positional_mode = Some(false),
                "jsonargs" => positional_mode = Some(true),
                "help" => return help(ctx),
                "version" => {
                    let _ = ctx.stdout.write_all(VERSION.as_bytes());
                    return Parsed::Exit(0);
                }
                "build-configuration" => {
                    let _ = ctx.stdout.write_all(b"agentsh (jaq)\n");
                    return Parsed::Exit(0);
                }
                "indent" => {
                    let v = match need(1, "--indent takes one parameter") {
                        Ok(v) => v,
                        Err(p) => return p,
                    };
                    i += 1;
                    match v[0].parse::<i64>() {
                        Ok(n) if n > 7 => {
                            return usage_error(ctx, "Cannot indent more than 7 characters");
                        }
                        Ok(n) if n < -1 => {
                            return usage_error(ctx, "Cannot indent less than -1 characters");
                        }
                        Ok(-1) => o.tab = true,
                        Ok(n) => o.indent = n as usize,
                        Err(_) => return usage_error(ctx, "--indent takes a number"),
                    }
                }
                "from-file" => {
                    let v = match need(1, "-f takes a parameter: (e.g. -f filename)") {
                        Ok(v) => v,
                        Err(p) => return p,
                    };
                    i += 1;
                    if let Some(f) = o.filter.take() {
                        o.files.insert(0, f);
                    }
                    o.from_file = Some(v[0].clone());
                }
                "arg" | "argjson" | "slurpfile" | "rawfile" => {
                    let what = match long {
                        "arg" => "--arg takes two parameters (e.g. --arg varname value)",
                        "argjson" => "--argjson takes two parameters (e.g. --argjson varname text)",
                        "slurpfile" => {
                            "--slurpfile takes two parameters (e.g. --slurpfile varname filename)"
                        }
                        _ => "--rawfile takes two parameters (e.g. --rawfile varname filename)",
                    };
                    let v = match need(2, what) {
                        Ok(v) => v,
                        Err(p) => return p,
                    };
                    i += 2;
                    let (name, text) = (v[0].clone(), v[1].clone());
                    let val = match long {
                        "arg" => Val::from(text),
                        "argjson" => match parse_one(text.as_bytes()) {
                            Some(v) => v,
                            None => {
                                return usage_error(ctx, "Invalid JSON text passed to --argjson");
                            }
                        },
                        _ => {
                            let data = match read_file(ctx, &text) {
                                Ok(d) => d,
                                Err(m) => {
                                    let _ = ctx.stderr.write_all(
                                        format!("jq: Bad JSON in --{long} {name} {text}: {m}\n")
                                            .as_bytes(),
                                    );
                                    return Parsed::Exit(2);
                                }
                            };
                            if long == "rawfile" {
                                Val::from(String::from_utf8_lossy(&data).into_owned())
                            } else {
                                let mut p = Parser::new(&data);
                                let mut vals = Vec::new();
                                while let Some(r) = p.next_value() {
                                    match r {
                                        Ok(v) => vals.push(v),
                                        Err(e) => {
                                            let _ = ctx.stderr.write_all(
                                                format!(
                                                    "jq: Bad JSON in --slurpfile {name} {text}: {}\n",
                                                    e.render(&data)
                                                )
                                                .as_bytes(),
                                            );
                                            return Parsed::Exit(2);
                                        }
                                    }
                                }
                                vals.into_iter().collect()
                            }
                        }
                    };
                    o.named.retain(|(n, _)| *n != name);
                    o.named.push((name, val));
                }
                _ => return usage_error(ctx, &format!("Unknown option: {a}")),
            }
            continue;
        }
        // Short options, possibly clustered (-rc).
        let letters: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < letters.len() {
            let c = letters[k];
            k += 1;
            match c {
                'n' => o.null_input = true,
                'R' => o.raw_input = true,
                's' => o.slurp = true,
                'r' => o.raw_output = true,
                'j' => {
                    o.raw_output = true;
                    o.join = true;
                }
                'a' => o.ascii = true,
                'c' => o.compact = true,
                'S' => o.sort_keys = true,
                'e' => o.exit_status = true,
                'M' => {}
                'C' => return not_supported(ctx, "-C"),
                'h' => return help(ctx),
                'V' => {
                    let _ = ctx.stdout.write_all(VERSION.as_bytes());
                    return Parsed::Exit(0);
                }
                'f' => {
                    if i >= args.len() {
                        return usage_error(ctx, "-f takes a parameter: (e.g. -f filename)");
                    }
                    if let Some(f) = o.filter.take() {
                        o.files.insert(0, f);
                    }
                    o.from_file = Some(args[i].clone());
                    i += 1;
                }
                'L' => {
                    if k >= letters.len() {
                        i += 1;
                    }
                    k = letters.len();
                }
                _ => return usage_error(ctx, &format!("Unknown option: {a}")),
            }
        }
    }
    Parsed::Run(Box::new(o))
}

fn not_supported(ctx: &Ctx<'_>, what: &str) -> Parsed {
    let _ = ctx
        .stderr
        .write_all(format!("jq: {what} is not supported in this shell\n").as_bytes());
    Parsed::Exit(2)
}

fn help(ctx: &Ctx<'_>) -> Parsed {
    let _ = ctx.stdout.write_all(HELP.as_bytes());
    Parsed::Exit(0)
}

/// Exactly one JSON value from `text`.
fn parse_one(text: &[u8]) -> Option<Val> {
    let mut p = Parser::new(text);
    let v = p.next_value()?.ok()?;
    if p.next_value().is_some() {
        return None;
    }
    Some(v)
}

impl Command for Jq {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let o = match parse_opts(ctx) {
            Parsed::Run(o) => o,
            Parsed::Exit(s) => return s,
        };
        run_jq(ctx, &o)
    }
}

/// One input source's state for the input iterator.
struct Inputs<'c, 'a> {
    ctx: &'c Ctx<'a>,
    st: &'c State<'c>,
    files: Vec<String>,
    next_file: usize,
    raw: bool,
    cur: Option<Source>,
    /// Set when a file could not be read (exit status 2 at the end).
    failed: &'c Cell<bool>,
    done: bool,
}

struct Source {
    name: Option<String>,
    data: Vec<u8>,
    pos: usize,
    /// Newlines in `data[..nl_upto]`.
    nl_count: usize,
    nl_upto: usize,
}

impl Source {
    /// jq's line number once the input up to `pos` was read (whole lines at a time).
    fn line_at(&mut self, pos: usize) -> usize {
        let end = match self.data[pos.min(self.data.len())..]
            .iter()
            .position(|&b| b == b'\n')
        {
            Some(i) => pos + i + 1,
            None => self.data.len(),
        };
        if end > self.nl_upto {
            self.nl_count += self.data[self.nl_upto..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.nl_upto = end;
        }
        self.nl_count
    }
}

impl Iterator for Inputs<'_, '_> {
    type Item = Result<Val, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            if self.cur.is_none() {
                if self.next_file >= self.files.len() {
                    self.done = true;
                    return None;
                }
                let f = self.files[self.next_file].clone();
                self.next_file += 1;
                match read_file(self.ctx, &f) {
                    Ok(data) => {
                        let name = (f != "-" || self.files.len() > 1).then(|| f.clone());
                        let name = if f == "-" { None } else { name };
                        self.cur = Some(Source {
                            name,
                            data,
                            pos: 0,
                            nl_count: 0,
                            nl_upto: 0,
                        });
                    }
                    Err(m) => {
                        let _ = self
                            .ctx
                            .stderr
                            .write_all(format!("jq: error: Could not open file {m}\n").as_bytes());
                        self.failed.set(true);
                        continue;
                    }
                }
            }
            let src = self.cur.as_mut()?;
            *self.st.file.borrow_mut() = src.name.clone();
            if self.raw {
                if src.pos >= src.data.len() {
                    self.cur = None;
                    continue;
                }
                let rest = &src.data[src.pos..];
                let (line, adv) = match rest.iter().position(|&b| b == b'\n') {
                    Some(i) => (&rest[..i], i + 1),
                    None => (rest, rest.len()),
                };
                let v = Val::from(String::from_utf8_lossy(line).into_owned());
                src.pos += adv;
                let n = src.line_at(src.pos.saturating_sub(1));
                self.st.line.set(n);
                return Some(Ok(v));
            }
            let mut p = Parser::new(&src.data[src.pos..]);
            match p.next_value() {
                None => {
                    self.cur = None;
                    continue;
                }
                Some(Ok(v)) => {
                    src.pos += p.pos();
                    let n = src.line_at(src.pos);
                    self.st.line.set(n);
                    return Some(Ok(v));
                }
                Some(Err(e)) => {
                    let msg = e.render(&src.data[src.pos..]);
                    // Lines before this value count too.
                    let before = src.data[..src.pos].iter().filter(|&&b| b == b'\n').count();
                    let msg = fix_line(&msg, before);
                    self.done = true;
                    return Some(Err(msg));
                }
            }
        }
    }
}

/// Add `before` to the line number in a rendered parse error.
fn fix_line(msg: &str, before: usize) -> String {
    if before == 0 {
        return msg.to_string();
    }
    if let Some(i) = msg.rfind(" at line ")
        && let Some(j) = msg[i + 9..].find(',')
        && let Ok(n) = msg[i + 9..i + 9 + j].parse::<usize>()
    {
        return format!("{} at line {}{}", &msg[..i], n + before, &msg[i + 9 + j..]);
    }
    msg.to_string()
}

/// Print a compile error the way jq does and return 3.
fn compile_failed(ctx: &Ctx<'_>, code: &str, errs: &[(String, Option<usize>)]) -> i32 {
    let mut s = String::new();
    for (msg, off) in errs {
        match off {
            Some(off) => {
                let off = (*off).min(code.len());
                let line_start = code[..off].rfind('\n').map_or(0, |i| i + 1);
                let line_end = code[off..].find('\n').map_or(code.len(), |i| off + i);
                let line_no = code[..off].matches('\n').count() + 1;
                s.push_str(&format!(
                    "jq: error: {msg} at <top-level>, line {line_no}:\n{}{}\n",
                    &code[line_start..line_end],
                    " ".repeat(off - line_start)
                ));
            }
            None => s.push_str(&format!("jq: error: {msg}\n")),
        }
    }
    let n = errs.len();
    s.push_str(&format!(
        "jq: {n} compile error{}\n",
        if n == 1 { "" } else { "s" }
    ));
    let _ = ctx.stderr.write_all(s.as_bytes());
    3
}

fn offset_in(code: &str, s: &str) -> Option<usize> {
    let start = code.as_ptr() as usize;
    let p = s.as_ptr() as usize;
    (p >= start && p <= start + code.len()).then(|| p - start)
}

fn token_desc(found: &str) -> String {
    match found.chars().next() {
        None => "end of file".into(),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => "IDENT".into(),
        Some(c) if c.is_ascii_digit() => "LITERAL".into(),
        Some(c) if c.is_ascii_punctuation() => format!("'{c}'"),
        _ => "INVALID_CHARACTER".into(),
    }
}

fn run_jq(ctx: &Ctx<'_>, o: &Opts) -> i32 {
    // The program text.
    let code = match (&o.from_file, &o.filter) {
        (Some(f), _) => match read_file(ctx, f) {
            Ok(d) => String::from_utf8_lossy(&d).into_owned(),
            Err(m) => {
                let _ = ctx
                    .stderr
                    .write_all(format!("jq: error: Could not open file {m}\n").as_bytes());
                return 2;
            }
        },
        (None, Some(f)) => f.clone(),
        // Without a terminal jq runs `.` when no filter is given.
        (None, None) => ".".to_string(),
    };

    // Global variables: --arg & co, $ENV, $ARGS.
    let env: Map = ctx
        .env
        .iter()
        .map(|(k, v)| (Val::from(k.clone()), Val::from(v.clone())))
        .collect();
    let named: Map = o
        .named
        .iter()
        .map(|(k, v)| (Val::from(k.clone()), v.clone()))
        .collect();
    let mut args_obj = Map::default();
    args_obj.insert(
        Val::from("positional".to_string()),
        o.positional.iter().cloned().collect(),
    );
    args_obj.insert(Val::from("named".to_string()), Val::obj(named));
    let mut loc = Map::default();
    loc.insert(
        Val::from("file".to_string()),
        Val::from("<top-level>".to_string()),
    );
    loc.insert(Val::from("line".to_string()), Val::from(1usize));
    let mut var_names: Vec<String> = vec!["$ENV".into(), "$ARGS".into(), "$__loc__".into()];
    let mut var_vals: Vec<Val> = vec![Val::obj(env), Val::obj(args_obj), Val::obj(loc)];
    for (k, v) in &o.named {
        var_names.push(format!("${k}"));
        var_vals.push(v.clone());
    }

    // Compile.
    let arena = Arena::default();
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let loader = Loader::new(defs);
    // Our definitions go in front of the program so that they shadow jaq's.
    let full = format!("{}{code}", lib::DEFS);
    let user = &full[lib::DEFS.len()..];
    let modules = match loader.load(
        &arena,
        File {
            code: full.as_str(),
            path: (),
        },
    ) {
        Ok(m) => m,
        Err(errs) => {
            let mut list = Vec::new();
            for (_file, e) in errs {
                match e {
                    jaq_core::load::Error::Io(v) => {
                        for (_p, m) in v {
                            list.push((m, None));
                        }
                    }
                    jaq_core::load::Error::Lex(v) => {
                        for (_exp, found) in v {
                            list.push((
                                format!(
                                    "syntax error, unexpected {} (Unix shell quoting issues?)",
                                    token_desc(found)
                                ),
                                offset_in(user, found),
                            ));
                        }
                    }
                    jaq_core::load::Error::Parse(v) => {
                        for (_exp, found) in v {
                            list.push((
                                format!(
                                    "syntax error, unexpected {} (Unix shell quoting issues?)",
                                    token_desc(found)
                                ),
                                offset_in(user, found),
                            ));
                        }
                    }
                }
            }
            return compile_failed(ctx, user, &list);
        }
    };
    let compiler = Compiler::default()
        .with_funs(lib::funs())
        .with_global_vars(var_names.iter().map(String::as_str));
    let filter = match compiler.compile(modules) {
        Ok(f) => f,
        Err(errs) => {
            let mut list = Vec::new();
            for (_file, v) in errs {
                for (name, undef) in v {
                    let msg = match undef {
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("{name}/{arity} is not defined")
                        }
                        jaq_core::compile::Undefined::Var => format!("{name} is not defined"),
                        other => format!("{} {name} is not defined", other.as_str()),
                    };
                    list.push((msg, offset_in(user, name)));
                }
            }
            return compile_failed(ctx, user, &list);
        }
    };

    // Inputs.
    let st = State {
        stderr: ctx.stderr,
        cancel: ctx.cancel,
        file: RefCell::new(None),
        line: Cell::new(0),
        stopped: Cell::new(false),
    };
    let failed = Cell::new(false);
    let files = if o.files.is_empty() {
        vec!["-".to_string()]
    } else {
        o.files.clone()
    };
    let mut raw_inputs = Inputs {
        ctx,
        st: &st,
        files,
        next_file: 0,
        raw: o.raw_input,
        cur: None,
        failed: &failed,
        done: false,
    };
    let read_any = Cell::new(false);
    let mut parse_error: Option<String> = None;
    // Slurping reads everything up front.
    let slurped: Option<Val> = if o.slurp {
        if o.raw_input {
            let mut all = String::new();
            for f in &raw_inputs.files.clone() {
                match read_file(ctx, f) {
                    Ok(d) => all.push_str(&String::from_utf8_lossy(&d)),
                    Err(m) => {
                        let _ = ctx
                            .stderr
                            .write_all(format!("jq: error: Could not open file {m}\n").as_bytes());
                        failed.set(true);
                    }
                }
            }
            Some(Val::from(all))
        } else {
            let mut vals = Vec::new();
            for r in raw_inputs.by_ref() {
                match r {
                    Ok(v) => vals.push(v),
                    Err(m) => {
                        parse_error = Some(m);
                        break;
                    }
                }
            }
            if let Some(m) = parse_error {
                let _ = ctx
                    .stderr
                    .write_all(format!("jq: parse error: {m}\n").as_bytes());
                return 2;
            }
            Some(vals.into_iter().collect())
        }
    } else {
        None
    };
    let boxed: Box<dyn Iterator<Item = Result<Val, String>> + '_> = match slurped {
        Some(v) => Box::new(std::iter::once(Ok(v))),
        None => Box::new(raw_inputs.inspect(|_| read_any.set(true))),
    };
    let inputs = RcIter::new(boxed);
    let data = Data {
        lut: &filter.lut,
        inputs: &inputs,
        st: &st,
    };
    let jctx = JCtx::<Kind>::new(&data, Vars::new(var_vals));

    let style = Style {
        indent: if o.compact {
            None
        } else if o.tab {
            Some("\t".into())
        } else if o.indent == 0 {
            None
        } else {
            Some(" ".repeat(o.indent))
        },
        sort_keys: o.sort_keys,
        ascii: o.ascii,
    };
    let mut out = Out::new(ctx);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut status = 0;
    let mut last: Option<bool> = None;
    let mut halted: Option<i32> = None;

    let mut inputs_ref = &inputs;
    loop {
        if ctx.cancel.is_cancelled() {
            return 130;
        }
        let input = if o.null_input {
            Val::Null
        } else {
            match inputs_ref.next() {
                None => break,
                Some(Ok(v)) => v,
                Some(Err(m)) => {
                    let _ = out.flush();
                    let _ = ctx
                        .stderr
                        .write_all(format!("jq: parse error: {m}\n").as_bytes());
                    status = 2;
                    break;
                }
            }
        };
        // As in jq, the status is that of the last input (runtime errors give 5).
        status = 0;
        let results = filter.id.run((jctx.clone(), input));
        for r in results {
            if ctx.cancel.is_cancelled() {
                let _ = out.flush();
                return 130;
            }
            match r {
                Ok(v) => {
                    last = Some(!matches!(v, Val::Null | Val::Bool(false)));
                    buf.clear();
                    if o.seq {
                        buf.push(0x1e);
                    }
                    match (&v, o.raw_output) {
                        (Val::TStr(s) | Val::BStr(s), true) => {
                            buf.extend_from_slice(String::from_utf8_lossy(s).as_bytes())
                        }
                        _ => write_val(&mut buf, &v, &style),
                    }
                    if o.raw_output0 {
                        buf.push(0);
                    } else if !o.join {
                        buf.push(b'\n');
                    }
                    if let Err(s) = out.put(&buf) {
                        return Ctx::stop_status(s);
                    }
                }
                Err(x) => match lib::halt_code(x) {
                    Ok(e) => {
                        let (msg, is_str) = lib::error_text(&e);
                        let loc = location(&st, read_any.get());
                        let line = if is_str {
                            format!("jq: error (at {loc}): {msg}\n")
                        } else {
                            format!("jq: error (at {loc}) (not a string): {msg}\n")
                        };
                        let _ = ctx.stderr.write_all(line.as_bytes());
                        status = 5;
                        break;
                    }
                    Err(code) => {
                        if st.stopped.get() {
                            let _ = out.flush();
                            return 130;
                        }
                        halted = Some(code.unwrap_or(5));
                        break;
                    }
                },
            }
        }
        if halted.is_some() {
            break;
        }
        if o.null_input {
            break;
        }
    }
    if let Err(s) = out.flush() {
        return Ctx::stop_status(s);
    }
    if let Some(code) = halted {
        return code;
    }
    if failed.get() && status == 0 {
        status = 2;
    }
    if status != 0 {
        return status;
    }
    if o.exit_status {
        return match last {
            None => 4,
            Some(true) => 0,
            Some(false) => 1,
        };
    }
    0
}

/// `<stdin>:N`, `FILE:N`, or `<unknown>` before any input was read.
fn location(st: &State<'_>, read_any: bool) -> String {
    if !read_any {
        return "<unknown>".into();
    }
    match &*st.file.borrow() {
        Some(f) => format!("{f}:{}", st.line.get()),
        None => format!("<stdin>:{}", st.line.get()),
    }
}

/// jq 1.7.1's `--help` text.
const HELP: &str = r#"Usage:	jq [OPTIONS] FILTER [FILES...]
	jq [OPTIONS] --args FILTER [ARGUMENTS...]
	jq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]

jq is a tool for processing JSON inputs, applying the given filter to
its JSON text inputs and producing the filter's results as JSON on
standard output.

The simplest filter is ., which copies jq's input to its output
unmodified except for formatting. For more advanced filters see
the jq(1) manpage ("man jq") and/or https://jqlang.github.io/jq/.

Example:

	$ echo '{"foo": 0}' | jq .
	{
	  "foo": 0
	}

Command options:
  -n, --null-input          use `null` as the single input value;
  -R, --raw-input           read each line as string instead of JSON;
  -s, --slurp               read all inputs into an array and use it as
                            the single input value;
  -c, --compact-output      compact instead of pretty-printed output;
  -r, --raw-output          output strings without escapes and quotes;
      --raw-output0         implies -r and output NUL after each output;
  -j, --join-output         implies -r and output without newline after
                            each output;
  -a, --ascii-output        output strings by only ASCII characters
                            using escape sequences;
  -S, --sort-keys           sort keys of each object on output;
  -C, --color-output        colorize JSON output;
  -M, --monochrome-output   disable colored output;
      --tab                 use tabs for indentation;
      --indent n            use n spaces for indentation (max 7 spaces);
      --unbuffered          flush output stream after each output;
      --stream              parse the input value in streaming fashion;
      --stream-errors       implies --stream and report parse error as
                            an array;
      --seq                 parse input/output as application/json-seq;
  -f, --from-file file      load filter from the file;
  -L directory              search modules from the directory;
      --arg name value      set $name to the string value;
      --argjson name value  set $name to the JSON value;
      --slurpfile name file set $name to an array of JSON values read
                            from the file;
      --rawfile name file   set $name to string contents of file;
      --args                consume remaining arguments as positional
                            string values;
      --jsonargs            consume remaining arguments as positional
                            JSON values;
  -e, --exit-status         set exit status code based on the output;
  -V, --version             show the version;
  --build-configuration     show jq's build configuration;
  -h, --help                show the help;
  --                        terminates argument processing;

Named arguments are also available as $ARGS.named[], while
positional arguments are available as $ARGS.positional[].
"#;

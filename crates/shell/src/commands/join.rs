//! `join`: join lines of two sorted files on a common field (GNU coreutils 9.1): `-1 -2
//! -j -t -a -v -e -o` (including `auto`), `-i`, `--check-order`, `--nocheck-order`,
//! `--header` and `-z`.

use super::{Out, Reader, open, quote, quote_shell, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `join [OPTION]... FILE1 FILE2`
pub struct Join;

/// A line (without its delimiter) and the byte ranges of its fields.
#[derive(Clone, Default)]
struct Line {
    buf: Vec<u8>,
    fields: Vec<(usize, usize)>,
}

impl Line {
    fn field(&self, n: usize) -> Option<&[u8]> {
        self.fields.get(n).map(|&(a, b)| &self.buf[a..b])
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Default,
    Enabled,
    Disabled,
}

struct Opts {
    tab: Option<u8>,
    eol: u8,
    ignore_case: bool,
    jf: [usize; 2],
    unpaired: [bool; 2],
    paired: bool,
    empty: Option<Vec<u8>>,
    outlist: Vec<(usize, usize)>,
    auto: bool,
    header: bool,
    check: Check,
}

enum Fail {
    Stop(Stop),
    Status(i32),
}

struct Input {
    r: Reader,
    name: String,
    line_no: u64,
    prev: Option<Line>,
}

struct State<'c, 'a> {
    ctx: &'c Ctx<'a>,
    out: Out<'c, 'a>,
    o: Opts,
    seen_unpairable: bool,
    warned: [bool; 2],
    autocount: [usize; 2],
}

fn split(buf: Vec<u8>, tab: Option<u8>) -> Line {
    let mut fields = Vec::new();
    let lim = buf.len();
    let is_sep = |c: u8| c == b' ' || c == b'\t' || c == b'\n';
    if lim > 0 {
        let mut p = 0;
        match tab {
            Some(t) if t != b'\n' => {
                while let Some(i) = buf[p..].iter().position(|&c| c == t) {
                    fields.push((p, p + i));
                    p = p + i + 1;
                }
                fields.push((p, lim));
            }
            Some(_) => fields.push((0, lim)),
            None => {
                while p < lim && is_sep(buf[p]) {
                    p += 1;
                }
                if p < lim {
                    loop {
                        let mut s = p + 1;
                        while s != lim && !is_sep(buf[s]) {
                            s += 1;
                        }
                        fields.push((p, s));
                        if s == lim {
                            p = lim + 1;
                            break;
                        }
                        p = s + 1;
                        while p != lim && is_sep(buf[p]) {
                            p += 1;
                        }
                        if p == lim {
                            break;
                        }
                    }
                    if p == lim {
                        fields.push((p, lim));
                    }
                }
            }
        }
    }
    Line { buf, fields }
}

fn keycmp(a: &Line, b: &Line, j1: usize, j2: usize, icase: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let x = a.field(j1).unwrap_or(&[]);
    let y = b.field(j2).unwrap_or(&[]);
    if x.is_empty() {
        return if y.is_empty() {
            Ordering::Equal
        } else {
            Ordering::Less
        };
    }
    if y.is_empty() {
        return Ordering::Greater;
    }
    if icase {
        let xu = x.iter().map(u8::to_ascii_uppercase);
        let yu = y.iter().map(u8::to_ascii_uppercase);
        xu.cmp(yu)
    } else {
        x.cmp(y)
    }
}

impl State<'_, '_> {
    fn get_line(&mut self, inp: &mut Input, which: usize) -> Result<Option<Line>, Fail> {
        let rec = match inp.r.record(self.o.eol) {
            Ok(r) => r,
            Err(_) => {
                if self.ctx.cancel.is_cancelled() {
                    return Err(Fail::Stop(Stop::Cancelled));
                }
                let _ = self.out.flush();
                self.ctx.err("read error");
                return Err(Fail::Status(1));
            }
        };
        let Some(mut buf) = rec else {
            return Ok(None);
        };
        if buf.last() == Some(&self.o.eol) {
            buf.pop();
        }
        inp.line_no += 1;
        let line = split(buf, self.o.tab);
        if let Some(prev) = inp.prev.take() {
            self.check_order(&prev, &line, which, inp)?;
        }
        inp.prev = Some(line.clone());
        Ok(Some(line))
    }

    fn check_order(
        &mut self,
        prev: &Line,
        cur: &Line,
        which: usize,
        inp: &Input,
    ) -> Result<(), Fail> {
        if self.o.check == Check::Disabled
            || (self.o.check == Check::Default && !self.seen_unpairable)
            || self.warned[which]
        {
            return Ok(());
        }
        let j = self.o.jf[which];
        if keycmp(prev, cur, j, j, self.o.ignore_case).is_gt() {
            self.out.flush().map_err(Fail::Stop)?;
            let mut text = cur.buf.as_slice();
            // printf's %.*s stops at a NUL.
            if let Some(z) = text.iter().position(|&c| c == 0) {
                text = &text[..z];
            }
            let mut msg = format!(
                "{}: {}:{}: is not sorted: ",
                self.ctx.name(),
                inp.name,
                inp.line_no
            )
            .into_bytes();
            msg.extend_from_slice(text);
            msg.push(b'\n');
            let _ = self.ctx.stderr.write_all(&msg);
            if self.o.check == Check::Enabled {
                return Err(Fail::Status(1));
            }
            self.warned[which] = true;
        }
        Ok(())
    }

    fn sep(&self) -> u8 {
        self.o.tab.unwrap_or(b' ')
    }

    fn prfield(&self, v: &mut Vec<u8>, n: usize, line: Option<&Line>) {
        match line.and_then(|l| l.field(n)) {
            Some(f) if !f.is_empty() => v.extend_from_slice(f),
            _ => {
                if let Some(e) = &self.o.empty {
                    v.extend_from_slice(e);
                }
            }
        }
    }

    fn prfields(&self, v: &mut Vec<u8>, line: Option<&Line>, jf: usize, autocount: usize) {
        let n = if self.o.auto {
            autocount
        } else {
            line.map_or(0, |l| l.fields.len())
        };
        for i in (0..jf.min(n)).chain(jf + 1..n) {
            v.push(self.sep());
            self.prfield(v, i, line);
        }
    }

    fn prjoin(&mut self, l1: Option<&Line>, l2: Option<&Line>) -> Result<(), Fail> {
        let mut v = Vec::new();
        if self.o.outlist.is_empty() {
            let (line, f) = if l1.is_none() {
                (l2, self.o.jf[1])
            } else {
                (l1, self.o.jf[0])
            };
            self.prfield(&mut v, f, line);
            self.prfields(&mut v, l1, self.o.jf[0], self.autocount[0]);
            self.prfields(&mut v, l2, self.o.jf[1], self.autocount[1]);
        } else {
            for (k, &(file, field)) in self.o.outlist.iter().enumerate() {
                if k > 0 {
                    v.push(self.sep());
                }
                let (line, f) = match file {
                    0 if l1.is_none() => (l2, self.o.jf[1]),
                    0 => (l1, self.o.jf[0]),
                    1 => (l1, field),
                    _ => (l2, field),
                };
                self.prfield(&mut v, f, line);
            }
        }
        v.push(self.o.eol);
        self.out.put(&v).map_err(Fail::Stop)
    }

    fn run(&mut self, in1: &mut Input, in2: &mut Input) -> Result<(), Fail> {
        let (j1, j2, ic) = (self.o.jf[0], self.o.jf[1], self.o.ignore_case);
        let mut seq1: Vec<Line> = self.get_line(in1, 0)?.into_iter().collect();
        let mut seq2: Vec<Line> = self.get_line(in2, 1)?.into_iter().collect();
        if self.o.auto {
            self.autocount = [
                seq1.first().map_or(0, |l| l.fields.len()),
                seq2.first().map_or(0, |l| l.fields.len()),
            ];
        }
        if self.o.header && (!seq1.is_empty() || !seq2.is_empty()) {
            let (h1, h2) = (seq1.first().cloned(), seq2.first().cloned());
            self.prjoin(h1.as_ref(), h2.as_ref())?;
            in1.prev = None;
            in2.prev = None;
            if !seq1.is_empty() {
                seq1 = self.get_line(in1, 0)?.into_iter().collect();
            }
            if !seq2.is_empty() {
                seq2 = self.get_line(in2, 1)?.into_iter().collect();
            }
        }
        while !seq1.is_empty() && !seq2.is_empty() {
            let diff = keycmp(&seq1[0], &seq2[0], j1, j2, ic);
            if diff.is_lt() {
                if self.o.unpaired[0] {
                    let l = seq1[0].clone();
                    self.prjoin(Some(&l), None)?;
                }
                seq1 = self.get_line(in1, 0)?.into_iter().collect();
                self.seen_unpairable = true;
                continue;
            }
            if diff.is_gt() {
                if self.o.unpaired[1] {
                    let l = seq2[0].clone();
                    self.prjoin(None, Some(&l))?;
                }
                seq2 = self.get_line(in2, 1)?.into_iter().collect();
                self.seen_unpairable = true;
                continue;
            }
            let mut eof1 = false;
            loop {
                match self.get_line(in1, 0)? {
                    None => {
                        eof1 = true;
                        break;
                    }
                    Some(l) => {
                        let same = keycmp(&l, &seq2[0], j1, j2, ic).is_eq();
                        seq1.push(l);
                        if !same {
                            break;
                        }
                    }
                }
            }
            let mut eof2 = false;
            loop {
                match self.get_line(in2, 1)? {
                    None => {
                        eof2 = true;
                        break;
                    }
                    Some(l) => {
                        let same = keycmp(&seq1[0], &l, j1, j2, ic).is_eq();
                        seq2.push(l);
                        if !same {
                            break;
                        }
                    }
                }
            }
            let n1 = if eof1 { seq1.len() } else { seq1.len() - 1 };
            let n2 = if eof2 { seq2.len() } else { seq2.len() - 1 };
            if self.o.paired {
                for a in &seq1[..n1] {
                    for b in &seq2[..n2] {
                        self.prjoin(Some(a), Some(b))?;
                    }
                }
            }
            seq1 = if eof1 { Vec::new() } else { seq1.split_off(n1) };
            seq2 = if eof2 { Vec::new() } else { seq2.split_off(n2) };
        }
        let checktail = self.o.check != Check::Disabled && !(self.warned[0] && self.warned[1]);
        let other_nonempty = [!seq2.is_empty(), !seq1.is_empty()];
        for (which, seq, inp) in [(0, &seq1, &mut *in1), (1, &seq2, &mut *in2)] {
            if !((self.o.unpaired[which] || checktail) && !seq.is_empty()) {
                continue;
            }
            let show = self.o.unpaired[which];
            let pr = |st: &mut Self, l: &Line| {
                if which == 0 {
                    st.prjoin(Some(l), None)
                } else {
                    st.prjoin(None, Some(l))
                }
            };
            if show {
                pr(self, &seq[0])?;
            }
            if other_nonempty[which] {
                self.seen_unpairable = true;
            }
            while let Some(l) = self.get_line(inp, which)? {
                if show {
                    pr(self, &l)?;
                }
                if self.warned[which] && !show {
                    break;
                }
            }
        }
        Ok(())
    }
}

fn join_field(ctx: &Ctx<'_>, s: &str) -> Result<usize, i32> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.strip_prefix('+').unwrap_or(t);
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        match t.parse::<u64>() {
            Ok(0) => {}
            Ok(v) => return Ok(usize::try_from(v - 1).unwrap_or(usize::MAX - 1)),
            Err(_) => return Ok(usize::MAX - 1),
        }
    }
    ctx.err(&format!("invalid field number: {}", quote(s)));
    Err(1)
}

fn set_field(ctx: &Ctx<'_>, var: &mut Option<usize>, val: usize) -> Result<(), i32> {
    if let Some(v) = *var
        && v != val
    {
        ctx.err(&format!(
            "incompatible join fields {}, {}",
            v.wrapping_add(1),
            val.wrapping_add(1)
        ));
        return Err(1);
    }
    *var = Some(val);
    Ok(())
}

fn field_list(ctx: &Ctx<'_>, s: &str, out: &mut Vec<(usize, usize)>) -> Result<(), i32> {
    for spec in s.split([',', ' ', '\t']) {
        let b = spec.as_bytes();
        match b.first() {
            Some(b'0') => {
                if b.len() > 1 {
                    ctx.err(&format!("invalid field specifier: {}", quote(spec)));
                    return Err(1);
                }
                out.push((0, 0));
            }
            Some(c @ (b'1' | b'2')) => {
                if b.get(1) != Some(&b'.') {
                    ctx.err(&format!("invalid field specifier: {}", quote(spec)));
                    return Err(1);
                }
                let f = join_field(ctx, &spec[2..])?;
                out.push((usize::from(c - b'0'), f));
            }
            _ => {
                ctx.err(&format!(
                    "invalid file number in field spec: {}",
                    quote(spec)
                ));
                return Err(1);
            }
        }
    }
    Ok(())
}

fn parse(ctx: &Ctx<'_>) -> Result<(Opts, Vec<String>), i32> {
    let parsed = match parse_args(
        &ctx.args[1..],
        "ae12jotv",
        "iz",
        &[
            "ignore-case",
            "check-order",
            "nocheck-order",
            "zero-terminated",
            "header",
            "help",
            "version",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return Err(ctx.usage(&e, 1)),
    };
    let mut o = Opts {
        tab: None,
        eol: b'\n',
        ignore_case: false,
        jf: [0, 0],
        unpaired: [false, false],
        paired: true,
        empty: None,
        outlist: Vec::new(),
        auto: false,
        header: false,
        check: Check::Default,
    };
    let mut jf: [Option<usize>; 2] = [None, None];
    let mut ops = Vec::new();
    for a in parsed {
        let (name, v) = match a {
            Arg::Operand(f) => {
                ops.push(f);
                continue;
            }
            Arg::Short(c, v) => (c.to_string(), v),
            Arg::Long(l, v) => (l, v),
        };
        let v = v.unwrap_or_default();
        match name.as_str() {
            "v" | "a" => {
                if name == "v" {
                    o.paired = false;
                }
                let t = v.trim_start_matches([' ', '\t']);
                match t.strip_prefix('+').unwrap_or(t) {
                    "1" => o.unpaired[0] = true,
                    "2" => o.unpaired[1] = true,
                    _ => {
                        ctx.err(&format!("invalid field number: {}", quote(&v)));
                        return Err(1);
                    }
                }
            }
            "e" => {
                if let Some(e) = &o.empty
                    && e.as_slice() != v.as_bytes()
                {
                    ctx.err("conflicting empty-field replacement strings");
                    return Err(1);
                }
                o.empty = Some(v.into_bytes());
            }
            "i" | "ignore-case" => o.ignore_case = true,
            "1" => {
                let f = join_field(ctx, &v)?;
                set_field(ctx, &mut jf[0], f)?;
            }
            "2" => {
                let f = join_field(ctx, &v)?;
                set_field(ctx, &mut jf[1], f)?;
            }
            "j" => {
                let f = join_field(ctx, &v)?;
                set_field(ctx, &mut jf[0], f)?;
                set_field(ctx, &mut jf[1], f)?;
            }
            "o" => {
                if v == "auto" {
                    o.auto = true;
                } else {
                    field_list(ctx, &v, &mut o.outlist)?;
                }
            }
            "t" => {
                let b = v.as_bytes();
                let mut t = b.first().copied().unwrap_or(b'\n');
                if b.len() > 1 {
                    if v == "\\0" {
                        t = 0;
                    } else {
                        ctx.err(&format!("multi-character tab {}", quote(&v)));
                        return Err(1);
                    }
                }
                if let Some(old) = o.tab
                    && old != t
                {
                    ctx.err("incompatible tabs");
                    return Err(1);
                }
                o.tab = Some(t);
            }
            "z" | "zero-terminated" => o.eol = 0,
            "check-order" => o.check = Check::Enabled,
            "nocheck-order" => o.check = Check::Disabled,
            "header" => o.header = true,
            "help" => return Err(super::print_text(ctx, HELP)),
            "version" => {
                return Err(version(ctx, "join", "Written by Mike Haertel."));
            }
            _ => {}
        }
    }
    o.jf = [jf[0].unwrap_or(0), jf[1].unwrap_or(0)];
    Ok((o, ops))
}

impl Command for Join {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let ctx: &Ctx<'_> = ctx;
        let (o, ops) = match parse(ctx) {
            Ok(x) => x,
            Err(s) => return s,
        };
        if ops.len() < 2 {
            if ops.is_empty() {
                ctx.err("missing operand");
            } else {
                ctx.err(&format!("missing operand after {}", quote(&ops[0])));
            }
            return try_help(ctx, 1);
        }
        if ops.len() > 2 {
            ctx.err(&format!("extra operand {}", quote(&ops[2])));
            return try_help(ctx, 1);
        }
        if ops[0] == "-" && ops[1] == "-" {
            ctx.err("both files cannot be standard input");
            return 1;
        }
        let mut inputs = Vec::new();
        for name in &ops {
            match open(ctx, name) {
                Ok(fd) => inputs.push(Input {
                    r: Reader::new(fd),
                    name: name.clone(),
                    line_no: 0,
                    prev: None,
                }),
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(name, false)));
                    return 1;
                }
            }
        }
        let mut st = State {
            ctx,
            out: Out::new(ctx),
            o,
            seen_unpairable: false,
            warned: [false; 2],
            autocount: [0, 0],
        };
        let mut b = inputs.pop();
        let mut a = inputs.pop();
        let (Some(a), Some(b)) = (a.as_mut(), b.as_mut()) else {
            return 1;
        };
        let res = st.run(a, b);
        let flushed = st.out.flush();
        match res {
            Err(Fail::Stop(s)) => return stopped(s),
            Err(Fail::Status(s)) => return s,
            Ok(()) => {}
        }
        if let Err(e) = flushed {
            return stopped(e);
        }
        if st.warned[0] || st.warned[1] {
            ctx.err("input is not in sorted order");
            return 1;
        }
        0
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: join [OPTION]... FILE1 FILE2
For each pair of input lines with identical join fields, write a line to
standard output.  The default join field is the first, delimited by blanks.

When FILE1 or FILE2 (not both) is -, read standard input.

  -a FILENUM             also print unpairable lines from file FILENUM, where
                           FILENUM is 1 or 2, corresponding to FILE1 or FILE2
  -e STRING              replace missing (empty) input fields with STRING;
                           I.e., missing fields specified with '-12jo' options
  -i, --ignore-case      ignore differences in case when comparing fields
  -j FIELD               equivalent to '-1 FIELD -2 FIELD'
  -o FORMAT              obey FORMAT while constructing output line
  -t CHAR                use CHAR as input and output field separator
  -v FILENUM             like -a FILENUM, but suppress joined output lines
  -1 FIELD               join on this FIELD of file 1
  -2 FIELD               join on this FIELD of file 2
      --check-order      check that the input is correctly sorted, even
                           if all input lines are pairable
      --nocheck-order    do not check that the input is correctly sorted
      --header           treat the first line in each file as field headers,
                           print them without trying to pair them
  -z, --zero-terminated  line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Unless -t CHAR is given, leading blanks separate fields and are ignored,
else fields are separated by CHAR.  Any FIELD is a field number counted
from 1.  FORMAT is one or more comma or blank separated specifications,
each being 'FILENUM.FIELD' or '0'.  Default FORMAT outputs the join field,
the remaining fields from FILE1, the remaining fields from FILE2, all
separated by CHAR.  If FORMAT is the keyword 'auto', then the first
line of each file determines the number of fields output for each line.

Important: FILE1 and FILE2 must be sorted on the join fields.
E.g., use "sort -k 1b,1" if 'join' has no options,
or use "join -t ''" if 'sort' has no options.
Note, comparisons honor the rules specified by 'LC_COLLATE'.
If the input is not sorted and some lines cannot be joined, a
warning message will be given.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/join>
or available locally via: info '(coreutils) join invocation'
"##;

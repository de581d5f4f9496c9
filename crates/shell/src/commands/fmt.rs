//! `fmt` (GNU coreutils 9.1): fill paragraphs with GNU's optimal line-breaking (the
//! cost function of fmt.c), `-w`/`-WIDTH`, `-g`, `-s`, `-u`, `-p`, `-t`, `-c`.
//!
//! The input is read a byte at a time from a buffer, as fmt.c does with `getc`; a
//! paragraph holds at most `MAXCHARS` bytes and `MAXWORDS` words before the part
//! already decided is written out, so memory stays bounded.

use super::{Out, open, print_text, stopped, version};
use crate::commands::util::{Arg, parse_args, quote, quote_shell};
use crate::commands::{Command, Ctx, Stop};
use crate::io::Fd;

/// `fmt [-WIDTH] [OPTION]... [FILE]...`
pub struct Fmt;

const WIDTH: i64 = 75;
const LEEWAY: i64 = 7;
const DEF_INDENT: i64 = 3;
const TABWIDTH: i64 = 8;
const MAXWORDS: usize = 1000;
const MAXCHARS: usize = 5000;
const MAXCOST: i64 = i64::MAX;

const fn equiv(n: i64) -> i64 {
    n * n
}
const fn short_cost(n: i64) -> i64 {
    equiv(n * 10)
}
const fn ragged_cost(n: i64) -> i64 {
    short_cost(n) / 2
}
const LINE_COST: i64 = equiv(70);
const fn widow_cost(n: i64) -> i64 {
    equiv(200) / (n + 2)
}
const fn orphan_cost(n: i64) -> i64 {
    equiv(150) / (n + 2)
}
const SENTENCE_BONUS: i64 = equiv(50);
const NOBREAK_COST: i64 = equiv(600);
const PAREN_BONUS: i64 = equiv(40);
const PUNCT_BONUS: i64 = equiv(40);
const LINE_CREDIT: i64 = equiv(3);

const EOF: i32 = -1;

#[derive(Clone, Copy, Default)]
struct Word {
    /// Offset of the text in the paragraph buffer.
    text: usize,
    length: i64,
    /// Size of the following space.
    space: i64,
    paren: bool,
    period: bool,
    punct: bool,
    final_: bool,
    line_length: i64,
    best_cost: i64,
    next_break: usize,
}

/// The byte source: `getc` over an [`Fd`].
struct Input {
    fd: Fd,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    error: Option<std::io::Error>,
}

impl Input {
    fn new(fd: Fd) -> Self {
        Input {
            fd,
            buf: vec![0; 64 * 1024],
            pos: 0,
            len: 0,
            eof: false,
            error: None,
        }
    }

    #[inline]
    fn getc(&mut self) -> i32 {
        if self.pos < self.len {
            let c = self.buf[self.pos];
            self.pos += 1;
            return i32::from(c);
        }
        if self.eof {
            return EOF;
        }
        match self.fd.read(&mut self.buf) {
            Ok(0) => {
                self.eof = true;
                EOF
            }
            Ok(n) => {
                self.len = n;
                self.pos = 1;
                i32::from(self.buf[0])
            }
            Err(e) => {
                self.eof = true;
                self.error = Some(e);
                EOF
            }
        }
    }
}

/// Settings from the command line.
#[derive(Clone)]
struct Settings {
    crown: bool,
    tagged: bool,
    split: bool,
    uniform: bool,
    prefix: Vec<u8>,
    prefix_full_length: i64,
    prefix_lead_space: i64,
    prefix_length: i64,
    max_width: i64,
    goal_width: i64,
}

/// fmt.c's global state for one run.
struct State<'o, 'c, 'a> {
    s: Settings,
    out: &'o mut Out<'c, 'a>,
    in_column: i64,
    out_column: i64,
    parabuf: Vec<u8>,
    word: Vec<Word>,
    word_limit: usize,
    tabs: bool,
    prefix_indent: i64,
    first_indent: i64,
    other_indent: i64,
    next_char: i32,
    next_prefix_indent: i64,
    last_line_length: i64,
    stop: Option<Stop>,
    /// Output queued before it goes to `out`.
    obuf: Vec<u8>,
}

fn isopen(c: u8) -> bool {
    matches!(c, b'(' | b'[' | b'\'' | b'`' | b'"' | 0)
}
fn isclose(c: u8) -> bool {
    matches!(c, b')' | b']' | b'\'' | b'"' | 0)
}
fn isperiod(c: u8) -> bool {
    matches!(c, b'.' | b'?' | b'!' | 0)
}
fn isspace(c: i32) -> bool {
    matches!(c, 9..=13 | 32)
}

impl State<'_, '_, '_> {
    #[inline]
    fn putc(&mut self, c: u8) {
        self.obuf.push(c);
        if self.obuf.len() >= 32 * 1024 {
            self.drain();
        }
    }

    fn write(&mut self, b: &[u8]) {
        self.obuf.extend_from_slice(b);
        if self.obuf.len() >= 32 * 1024 {
            self.drain();
        }
    }

    /// Hand what is queued to the output writer.
    fn drain(&mut self) {
        if self.stop.is_none()
            && let Err(s) = self.out.put(&self.obuf)
        {
            self.stop = Some(s);
        }
        self.obuf.clear();
    }

    fn get_space(&mut self, f: &mut Input, mut c: i32) -> i32 {
        loop {
            if c == i32::from(b' ') {
                self.in_column += 1;
            } else if c == i32::from(b'\t') {
                self.tabs = true;
                self.in_column = (self.in_column / TABWIDTH + 1) * TABWIDTH;
            } else {
                return c;
            }
            c = f.getc();
        }
    }

    fn get_prefix(&mut self, f: &mut Input) -> i32 {
        self.in_column = 0;
        let c0 = f.getc();
        let mut c = self.get_space(f, c0);
        if self.s.prefix_length == 0 {
            self.next_prefix_indent = self.s.prefix_lead_space.min(self.in_column);
        } else {
            self.next_prefix_indent = self.in_column;
            for i in 0..self.s.prefix.len() {
                if c != i32::from(self.s.prefix[i]) {
                    return c;
                }
                self.in_column += 1;
                c = f.getc();
            }
            c = self.get_space(f, c);
        }
        c
    }

    fn put_space(&mut self, space: i64) {
        let space_target = self.out_column + space;
        if self.tabs {
            let tab_target = space_target / TABWIDTH * TABWIDTH;
            if self.out_column + 1 < tab_target {
                while self.out_column < tab_target {
                    self.putc(b'\t');
                    self.out_column = (self.out_column / TABWIDTH + 1) * TABWIDTH;
                }
            }
        }
        while self.out_column < space_target {
            self.putc(b' ');
            self.out_column += 1;
        }
    }

    fn copy_rest(&mut self, f: &mut Input, mut c: i32) -> i32 {
        self.out_column = 0;
        if self.in_column > self.next_prefix_indent || (c != i32::from(b'\n') && c != EOF) {
            self.put_space(self.next_prefix_indent);
            let mut i = 0;
            while self.out_column != self.in_column && i < self.s.prefix.len() {
                let b = self.s.prefix[i];
                self.putc(b);
                i += 1;
                self.out_column += 1;
            }
            if c != EOF && c != i32::from(b'\n') {
                self.put_space(self.in_column - self.out_column);
            }
            if c == EOF && self.in_column >= self.next_prefix_indent + self.s.prefix_length {
                self.putc(b'\n');
            }
        }
        while c != i32::from(b'\n') && c != EOF {
            self.putc(c as u8);
            c = f.getc();
        }
        c
    }

    fn same_para(&self, c: i32) -> bool {
        self.next_prefix_indent == self.prefix_indent
            && self.in_column >= self.next_prefix_indent + self.s.prefix_full_length
            && c != i32::from(b'\n')
            && c != EOF
    }

    fn set_other_indent(&mut self, same_paragraph: bool) {
        if self.s.split {
            self.other_indent = self.first_indent;
        } else if self.s.crown {
            self.other_indent = if same_paragraph {
                self.in_column
            } else {
                self.first_indent
            };
        } else if self.s.tagged {
            if same_paragraph && self.in_column != self.first_indent {
                self.other_indent = self.in_column;
            } else if self.other_indent == self.first_indent {
                self.other_indent = if self.first_indent == 0 {
                    DEF_INDENT
                } else {
                    0
                };
            }
        } else {
            self.other_indent = self.first_indent;
        }
    }

    fn check_punctuation(&mut self, wi: usize) {
        let w = self.word[wi];
        let start = w.text;
        let mut finish = start + (w.length as usize).saturating_sub(1);
        let fin = self.parabuf[finish];
        let mut w = w;
        w.paren = isopen(self.parabuf[start]);
        w.punct = fin.is_ascii_punctuation();
        while start < finish && isclose(self.parabuf[finish]) {
            finish -= 1;
        }
        w.period = isperiod(self.parabuf[finish]);
        self.word[wi] = w;
    }

    fn get_line(&mut self, f: &mut Input, mut c: i32) -> i32 {
        loop {
            let wl = self.word_limit;
            self.word[wl].text = self.parabuf.len();
            loop {
                if self.parabuf.len() == MAXCHARS {
                    self.set_other_indent(true);
                    self.flush_paragraph();
                }
                self.parabuf.push(c as u8);
                c = f.getc();
                if c == EOF || isspace(c) {
                    break;
                }
            }
            let wl = self.word_limit;
            let length = (self.parabuf.len() - self.word[wl].text) as i64;
            self.word[wl].length = length;
            self.in_column += length;
            self.check_punctuation(wl);

            let start = self.in_column;
            c = self.get_space(f, c);
            let w = &mut self.word[wl];
            w.space = self.in_column - start;
            w.final_ = c == EOF || (w.period && (c == i32::from(b'\n') || w.space > 1));
            if c == i32::from(b'\n') || c == EOF || self.s.uniform {
                w.space = if w.final_ { 2 } else { 1 };
            }
            if wl == MAXWORDS - 2 {
                self.set_other_indent(true);
                self.flush_paragraph();
            }
            self.word_limit += 1;
            if c == i32::from(b'\n') || c == EOF {
                break;
            }
        }
        self.get_prefix(f)
    }

    fn get_paragraph(&mut self, f: &mut Input) -> bool {
        self.last_line_length = 0;
        let mut c = self.next_char;
        while c == i32::from(b'\n')
            || c == EOF
            || self.next_prefix_indent < self.s.prefix_lead_space
            || self.in_column < self.next_prefix_indent + self.s.prefix_full_length
        {
            c = self.copy_rest(f, c);
            if c == EOF {
                self.next_char = EOF;
                return false;
            }
            self.putc(b'\n');
            if self.stop.is_some() {
                return false;
            }
            c = self.get_prefix(f);
        }
        self.prefix_indent = self.next_prefix_indent;
        self.first_indent = self.in_column;
        self.parabuf.clear();
        self.word_limit = 0;
        c = self.get_line(f, c);
        let sp = self.same_para(c);
        self.set_other_indent(sp);
        if self.s.split {
        } else if self.s.crown {
            if self.same_para(c) {
                loop {
                    c = self.get_line(f, c);
                    if !(self.same_para(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else if self.s.tagged {
            if self.same_para(c) && self.in_column != self.first_indent {
                loop {
                    c = self.get_line(f, c);
                    if !(self.same_para(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else {
            while self.same_para(c) && self.in_column == self.other_indent {
                c = self.get_line(f, c);
                if self.stop.is_some() {
                    break;
                }
            }
        }
        if self.word_limit > 0 {
            let w = &mut self.word[self.word_limit - 1];
            w.period = true;
            w.final_ = true;
        }
        self.next_char = c;
        true
    }

    fn base_cost(&self, this: usize) -> i64 {
        let mut cost = LINE_COST;
        if this > 0 {
            let prev = &self.word[this - 1];
            if prev.period {
                if prev.final_ {
                    cost -= SENTENCE_BONUS;
                } else {
                    cost += NOBREAK_COST;
                }
            } else if prev.punct {
                cost -= PUNCT_BONUS;
            } else if this > 1 && self.word[this - 2].final_ {
                cost += widow_cost(prev.length);
            }
        }
        let w = &self.word[this];
        if w.paren {
            cost -= PAREN_BONUS;
        } else if w.final_ {
            cost += orphan_cost(w.length);
        }
        cost
    }

    fn line_cost(&self, next: usize, len: i64) -> i64 {
        if next == self.word_limit {
            return 0;
        }
        let n = self.s.goal_width - len;
        let mut cost = short_cost(n);
        if self.word[next].next_break != self.word_limit {
            let n = len - self.word[next].line_length;
            cost = cost.wrapping_add(ragged_cost(n));
        }
        cost
    }

    fn fmt_paragraph(&mut self) {
        let wl = self.word_limit;
        self.word[wl].best_cost = 0;
        let saved_length = self.word[wl].length;
        self.word[wl].length = self.s.max_width;
        for start in (0..wl).rev() {
            let mut best = MAXCOST;
            let mut len = if start == 0 {
                self.first_indent
            } else {
                self.other_indent
            };
            let mut w = start;
            len += self.word[w].length;
            loop {
                w += 1;
                let mut wcost = self.line_cost(w, len).wrapping_add(self.word[w].best_cost);
                if start == 0 && self.last_line_length > 0 {
                    wcost = wcost.wrapping_add(ragged_cost(len - self.last_line_length));
                }
                if wcost < best {
                    best = wcost;
                    self.word[start].next_break = w;
                    self.word[start].line_length = len;
                }
                if w == wl {
                    break;
                }
                len += self.word[w - 1].space + self.word[w].length;
                if len >= self.s.max_width {
                    break;
                }
            }
            self.word[start].best_cost = best.wrapping_add(self.base_cost(start));
        }
        self.word[wl].length = saved_length;
    }

    fn put_word(&mut self, w: usize) {
        let Word { text, length, .. } = self.word[w];
        let end = (text + length as usize).min(self.parabuf.len());
        let bytes = std::mem::take(&mut self.parabuf);
        self.write(&bytes[text.min(end)..end]);
        self.parabuf = bytes;
        self.out_column += length;
    }

    fn put_line(&mut self, mut w: usize, indent: i64) {
        self.out_column = 0;
        self.put_space(self.prefix_indent);
        let p = std::mem::take(&mut self.s.prefix);
        self.write(&p);
        self.s.prefix = p;
        self.out_column += self.s.prefix_length;
        self.put_space(indent - self.out_column);
        let endline = self.word[w].next_break.saturating_sub(1);
        while w < endline {
            self.put_word(w);
            self.put_space(self.word[w].space);
            w += 1;
        }
        self.put_word(w);
        self.last_line_length = self.out_column;
        self.putc(b'\n');
    }

    fn put_paragraph(&mut self, finish: usize) {
        self.put_line(0, self.first_indent);
        let mut w = self.word[0].next_break;
        while w != finish && w < self.word_limit {
            self.put_line(w, self.other_indent);
            w = self.word[w].next_break;
        }
    }

    fn flush_paragraph(&mut self) {
        if self.word_limit == 0 {
            let b = std::mem::take(&mut self.parabuf);
            self.write(&b);
            self.parabuf = b;
            self.parabuf.clear();
            return;
        }
        self.fmt_paragraph();
        let mut split_point = self.word_limit;
        let mut best_break = MAXCOST;
        let mut w = self.word[0].next_break;
        while w != self.word_limit {
            let nb = self.word[w].next_break;
            let d = self.word[w].best_cost.wrapping_sub(self.word[nb].best_cost);
            if d < best_break {
                split_point = w;
                best_break = d;
            }
            if best_break <= MAXCOST - LINE_CREDIT {
                best_break += LINE_CREDIT;
            }
            w = nb;
        }
        self.put_paragraph(split_point);
        let shift = self.word[split_point].text;
        self.parabuf.drain(..shift);
        for w in split_point..=self.word_limit {
            self.word[w].text = self.word[w].text.saturating_sub(shift);
        }
        self.word.copy_within(split_point..=self.word_limit, 0);
        self.word_limit -= split_point;
    }
}

fn parse_width(v: &str, max: i64) -> Result<i64, String> {
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid width: {}", quote(v)));
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        Ok(_) | Err(_) => Err(format!(
            "invalid width: {}: Numerical result out of range",
            quote(v)
        )),
    }
}

impl Command for Fmt {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut args: Vec<String> = ctx.args[1..].to_vec();
        let mut max_width_option: Option<String> = None;
        if let Some(a) = args.first()
            && a.len() > 1
            && a.as_bytes()[0] == b'-'
            && a.as_bytes()[1].is_ascii_digit()
        {
            max_width_option = Some(a[1..].to_string());
            args.remove(0);
        }
        let parsed = match parse_args(
            &args,
            "wpg",
            "0123456789cstu",
            &[
                "crown-margin",
                "prefix=",
                "split-only",
                "tagged-paragraph",
                "uniform-spacing",
                "width=",
                "goal=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut s = Settings {
            crown: false,
            tagged: false,
            split: false,
            uniform: false,
            prefix: Vec::new(),
            prefix_full_length: 0,
            prefix_lead_space: 0,
            prefix_length: 0,
            max_width: WIDTH,
            goal_width: 0,
        };
        let mut goal_option: Option<String> = None;
        let mut files = Vec::new();
        for a in parsed {
            let (c, v) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (c, v),
                Arg::Long(l, v) => match l.as_str() {
                    "help" => return print_text(ctx, HELP),
                    "version" => return version(ctx, "fmt", "Written by Ross Paterson."),
                    "crown-margin" => ('c', v),
                    "prefix" => ('p', v),
                    "split-only" => ('s', v),
                    "tagged-paragraph" => ('t', v),
                    "uniform-spacing" => ('u', v),
                    "width" => ('w', v),
                    _ => ('g', v),
                },
            };
            match c {
                'c' => s.crown = true,
                's' => s.split = true,
                't' => s.tagged = true,
                'u' => s.uniform = true,
                'w' => max_width_option = v,
                'g' => goal_option = v,
                'p' => {
                    let p = v.unwrap_or_default();
                    let b = p.as_bytes();
                    let lead = b.iter().take_while(|&&c| c == b' ').count();
                    let rest = &b[lead..];
                    let trimmed =
                        rest.len() - rest.iter().rev().take_while(|&&c| c == b' ').count();
                    s.prefix_lead_space = lead as i64;
                    s.prefix_full_length = rest.len() as i64;
                    s.prefix = rest[..trimmed].to_vec();
                    s.prefix_length = trimmed as i64;
                }
                d => {
                    ctx.err(&format!(
                        "invalid option -- {d}; -WIDTH is recognized only when it is the first\noption; use -w N instead"
                    ));
                    return super::try_help(ctx, 1);
                }
            }
        }
        if let Some(w) = &max_width_option {
            match parse_width(w, (MAXCHARS / 2) as i64) {
                Ok(n) => s.max_width = n,
                Err(m) => {
                    ctx.err(&m);
                    return 1;
                }
            }
        }
        if let Some(g) = &goal_option {
            match parse_width(g, s.max_width) {
                Ok(n) => s.goal_width = n,
                Err(m) => {
                    ctx.err(&m);
                    return 1;
                }
            }
            if max_width_option.is_none() {
                s.max_width = s.goal_width + 10;
            }
        } else {
            s.goal_width = s.max_width * (2 * (100 - LEEWAY) + 1) / 200;
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut st = State {
            s,
            out: &mut out,
            in_column: 0,
            out_column: 0,
            parabuf: Vec::with_capacity(MAXCHARS),
            word: vec![Word::default(); MAXWORDS],
            word_limit: 0,
            tabs: false,
            prefix_indent: 0,
            first_indent: 0,
            other_indent: 0,
            next_char: EOF,
            next_prefix_indent: 0,
            last_line_length: 0,
            stop: None,
            obuf: Vec::with_capacity(40 * 1024),
        };
        let mut status = 0;
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    st.drain();
                    let _ = st.out.flush();
                    ctx.err(&format!(
                        "cannot open {} for reading: {m}",
                        quote_shell(f, true)
                    ));
                    status = 1;
                    continue;
                }
            };
            let mut input = Input::new(fd);
            st.tabs = false;
            st.other_indent = 0;
            st.next_char = st.get_prefix(&mut input);
            while st.get_paragraph(&mut input) {
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
                st.fmt_paragraph();
                st.put_paragraph(st.word_limit);
                if st.stop.is_some() {
                    break;
                }
            }
            st.drain();
            if let Some(s) = st.stop.take() {
                return stopped(s);
            }
            if let Some(e) = input.error.take() {
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
                let _ = st.out.flush();
                ctx.err(&format!("{}: {}", quote_shell(f, false), super::io_err(&e)));
                status = 1;
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// GNU's `--help` text.
const HELP: &str = "Usage: fmt [-WIDTH] [OPTION]... [FILE]...
Reformat each paragraph in the FILE(s), writing to standard output.
The option -WIDTH is an abbreviated form of --width=DIGITS.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --crown-margin        preserve indentation of first two lines
  -p, --prefix=STRING       reformat only lines beginning with STRING,
                              reattaching the prefix to reformatted lines
  -s, --split-only          split long lines, but do not refill
  -t, --tagged-paragraph    indentation of first line different from second
  -u, --uniform-spacing     one space between words, two after sentences
  -w, --width=WIDTH         maximum line width (default of 75 columns)
  -g, --goal=WIDTH          goal width (default of 93% of width)
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/fmt>
or available locally via: info '(coreutils) fmt invocation'
";

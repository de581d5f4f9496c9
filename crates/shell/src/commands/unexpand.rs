//! `unexpand`: convert blanks to tabs (GNU coreutils 9.1): `-a`, `--first-only`,
//! `-t N` / `-t LIST` (implies `-a`) and the obsolete `-N`.

use super::expand::{common_args, each_chunk};
use super::{Out, stopped, version};
use crate::commands::{Command, Ctx};

/// `unexpand [OPTION]... [FILE]...`
pub struct Unexpand;

/// The per-line state of GNU's unexpand loop.
struct State {
    convert: bool,
    column: u64,
    next_tab: u64,
    idx: usize,
    one_blank_before: bool,
    prev_blank: bool,
    pending: Vec<u8>,
}

impl State {
    fn new() -> Self {
        State {
            convert: true,
            column: 0,
            next_tab: 0,
            idx: 0,
            one_blank_before: false,
            prev_blank: true,
            pending: Vec::new(),
        }
    }
}

/// Feed one byte (`None` at the end of input), appending output to `out`.
fn step(s: &mut State, tabs: &super::expand::Tabs, all: bool, c: Option<u8>, out: &mut Vec<u8>) {
    let mut c = c;
    if s.convert {
        let blank = matches!(c, Some(b' ' | b'\t'));
        let mut skip_flush = false;
        if blank {
            match tabs.next(s.column, &mut s.idx) {
                None => s.convert = false,
                Some(n) => s.next_tab = n,
            }
            if s.convert {
                if c == Some(b'\t') {
                    s.column = s.next_tab;
                    if !s.pending.is_empty() {
                        s.pending[0] = b'\t';
                    }
                } else {
                    s.column += 1;
                    if !(s.prev_blank && s.column == s.next_tab) {
                        if s.column == s.next_tab {
                            s.one_blank_before = true;
                        }
                        if let Some(ch) = c {
                            s.pending.push(ch);
                        }
                        s.prev_blank = true;
                        skip_flush = true;
                    } else {
                        c = Some(b'\t');
                        if s.pending.is_empty() {
                            s.pending.push(b'\t');
                        } else {
                            s.pending[0] = b'\t';
                        }
                    }
                }
                if !skip_flush {
                    let keep = usize::from(s.one_blank_before);
                    s.pending.truncate(keep);
                }
            }
        } else if c == Some(8) {
            s.column = s.column.saturating_sub(1);
            s.next_tab = s.column;
            s.idx = s.idx.saturating_sub(1);
        } else {
            s.column += 1;
        }
        if skip_flush {
            return;
        }
        if !s.pending.is_empty() {
            if s.pending.len() > 1 && s.one_blank_before {
                s.pending[0] = b'\t';
            }
            out.extend_from_slice(&s.pending);
            s.pending.clear();
            s.one_blank_before = false;
        }
        s.prev_blank = blank;
        s.convert &= all || blank;
    }
    if let Some(ch) = c {
        out.push(ch);
        if ch == b'\n' {
            *s = State::new();
        }
    }
}

impl Command for Unexpand {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let (mut tabs, seen, mut ops) =
            match common_args(ctx, "a", &["all", "first-only", "tabs=", "help", "version"]) {
                Ok(x) => x,
                Err(s) => return s,
            };
        let mut all = false;
        let mut first_only = false;
        for s in &seen {
            match s.as_str() {
                "a" | "all" => all = true,
                "first-only" => first_only = true,
                "t" => all = true,
                "help" => return super::print_text(ctx, HELP),
                "version" => return version(ctx, "unexpand", "Written by David MacKenzie."),
                _ => {}
            }
        }
        if first_only {
            all = false;
        }
        if let Err(m) = tabs.finalize() {
            ctx.err(&m);
            return 1;
        }
        if ops.is_empty() {
            ops.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut st = State::new();
        let mut buf: Vec<u8> = Vec::new();
        let res = each_chunk(ctx, &ops, |chunk| {
            buf.clear();
            for &c in chunk {
                step(&mut st, &tabs, all, Some(c), &mut buf);
            }
            out.put(&buf)
        });
        let mut tail = Vec::new();
        step(&mut st, &tabs, all, None, &mut tail);
        let res = res.and_then(|s| out.put(&tail).map(|()| s));
        match res {
            Ok(s) => match out.flush() {
                Ok(()) => s,
                Err(e) => stopped(e),
            },
            Err(e) => stopped(e),
        }
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: unexpand [OPTION]... [FILE]...
Convert blanks in each FILE to tabs, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all        convert all blanks, instead of just initial blanks
      --first-only  convert only leading sequences of blanks (overrides -a)
  -t, --tabs=N     have tabs N characters apart instead of 8 (enables -a)
  -t, --tabs=LIST  use comma separated list of tab positions.
                     The last specified position can be prefixed with '/'
                     to specify a tab size to use after the last
                     explicitly specified tab stop.  Also a prefix of '+'
                     can be used to align remaining tab stops relative to
                     the last specified tab stop instead of the first column
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/unexpand>
or available locally via: info '(coreutils) unexpand invocation'
"##;

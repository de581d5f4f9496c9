//! `wc`: count lines, words, bytes, characters and the longest line (GNU coreutils 9.1,
//! C locale), with GNU's column width rules and the `total` line.

use super::{open, quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;

/// `wc [OPTION]... [FILE]...`
pub struct Wc;

#[derive(Default, Clone, Copy)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
    maxlen: u64,
}

#[derive(Default)]
struct State {
    c: Counts,
    in_word: bool,
    linepos: u64,
    /// Only lines and bytes are wanted: count newlines, skip the per-byte state machine.
    lines_only: bool,
}

impl State {
    fn feed(&mut self, data: &[u8]) {
        self.c.bytes += data.len() as u64;
        if self.lines_only {
            self.c.lines += count_newlines(data);
            return;
        }
        for &b in data {
            match b {
                b'\n' | b'\r' | b'\x0c' => {
                    if b == b'\n' {
                        self.c.lines += 1;
                    }
                    self.c.maxlen = self.c.maxlen.max(self.linepos);
                    self.linepos = 0;
                    self.end_word();
                }
                b'\t' => {
                    self.linepos += 8 - self.linepos % 8;
                    self.end_word();
                }
                b' ' => {
                    self.linepos += 1;
                    self.end_word();
                }
                b'\x0b' => self.end_word(),
                0x21..=0x7e => {
                    self.linepos += 1;
                    self.in_word = true;
                }
                _ => {}
            }
        }
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.in_word = false;
            self.c.words += 1;
        }
    }

    fn finish(mut self) -> Counts {
        self.end_word();
        self.c.maxlen = self.c.maxlen.max(self.linepos);
        self.c
    }
}

/// Newlines in `data`: byte compares summed in 64 one-byte lanes (at most 255 blocks
/// before the lanes are widened), which the compiler turns into vector code.
fn count_newlines(data: &[u8]) -> u64 {
    let mut total = 0u64;
    for chunk in data.chunks(255 * 64) {
        let mut lanes = [0u8; 64];
        let mut blocks = chunk.chunks_exact(64);
        for block in &mut blocks {
            for (lane, &b) in lanes.iter_mut().zip(block) {
                *lane += u8::from(b == b'\n');
            }
        }
        total += lanes.iter().map(|&x| u64::from(x)).sum::<u64>();
        total += blocks.remainder().iter().filter(|&&b| b == b'\n').count() as u64;
    }
    total
}

#[derive(Clone, Copy)]
struct Show {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    maxlen: bool,
}

fn line(c: &Counts, s: Show, width: usize, name: Option<&str>) -> String {
    let mut parts = Vec::new();
    if s.lines {
        parts.push(c.lines);
    }
    if s.words {
        parts.push(c.words);
    }
    if s.chars {
        parts.push(c.bytes);
    }
    if s.bytes {
        parts.push(c.bytes);
    }
    if s.maxlen {
        parts.push(c.maxlen);
    }
    let mut out: Vec<String> = parts.iter().map(|n| format!("{n:>width$}")).collect();
    if let Some(n) = name {
        out.push(if n.contains('\n') {
            quote_shell(n, false)
        } else {
            n.to_string()
        });
    }
    let mut t = out.join(" ");
    t.push('\n');
    t
}

impl Command for Wc {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "",
            "clmwL",
            &[
                "bytes",
                "chars",
                "lines",
                "words",
                "max-line-length",
                "files0-from=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut s = Show {
            lines: false,
            words: false,
            chars: false,
            bytes: false,
            maxlen: false,
        };
        let mut files: Vec<String> = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('c', _) => s.bytes = true,
                Arg::Short('l', _) => s.lines = true,
                Arg::Short('m', _) => s.chars = true,
                Arg::Short('w', _) => s.words = true,
                Arg::Short('L', _) => s.maxlen = true,
                Arg::Long(l, v) => match l.as_str() {
                    "bytes" => s.bytes = true,
                    "chars" => s.chars = true,
                    "lines" => s.lines = true,
                    "words" => s.words = true,
                    "max-line-length" => s.maxlen = true,
                    "files0-from" => {
                        let list = v.unwrap_or_default();
                        match read_names(ctx, &list) {
                            Ok(names) => files.extend(names),
                            Err(st) => return st,
                        }
                    }
                    "help" => return super::print_text(ctx, HELP),
                    "version" => {
                        return version(ctx, "wc", "Written by Paul Rubin and David MacKenzie.");
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if !(s.lines || s.words || s.chars || s.bytes || s.maxlen) {
            s.lines = true;
            s.words = true;
            s.bytes = true;
        }
        let no_operands = files.is_empty();
        if no_operands {
            files.push("-".into());
        }
        let nshow = [s.lines, s.words, s.chars, s.bytes, s.maxlen]
            .iter()
            .filter(|x| **x)
            .count();
        // Open everything first: the width depends on the sizes.
        let fds: Vec<Result<Fd, String>> = files.iter().map(|f| open(ctx, f)).collect();
        let width = if files.len() == 1 && nshow == 1 {
            1
        } else {
            let mut min = 1;
            let mut total: u64 = 0;
            for fd in fds.iter().flatten() {
                match fd {
                    Fd::File { handle, .. } => match handle.lock().metadata() {
                        Ok(m) if m.is_file() => total += m.size,
                        _ => min = 7,
                    },
                    _ => min = 7,
                }
            }
            let mut w = 1;
            while total >= 10 {
                total /= 10;
                w += 1;
            }
            w.max(min)
        };
        let mut status = 0;
        let mut total = Counts::default();
        let mut buf = vec![0u8; 64 * 1024];
        for (f, fd) in files.iter().zip(fds) {
            let fd = match fd {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(f, false)));
                    status = 1;
                    continue;
                }
            };
            let mut st = State {
                lines_only: !s.words && !s.maxlen,
                ..State::default()
            };
            loop {
                match fd.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => st.feed(&buf[..n]),
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{}: {}", quote_shell(f, false), super::io_err(&e)));
                        status = 1;
                        break;
                    }
                }
            }
            let c = st.finish();
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
            total.maxlen = total.maxlen.max(c.maxlen);
            let name = if no_operands { None } else { Some(f.as_str()) };
            if let Err(stop) = ctx.out(line(&c, s, width, name).as_bytes()) {
                return stopped(stop);
            }
        }
        if files.len() > 1
            && let Err(stop) = ctx.out(line(&total, s, width, Some("total")).as_bytes())
        {
            return stopped(stop);
        }
        status
    }
}

/// The NUL-separated names in `--files0-from=F`.
fn read_names(ctx: &Ctx<'_>, list: &str) -> Result<Vec<String>, i32> {
    let fd = match open(ctx, list) {
        Ok(fd) => fd,
        Err(m) => {
            ctx.err(&format!(
                "cannot open {} for reading: {m}",
                quote_shell(list, true)
            ));
            return Err(1);
        }
    };
    let data = match crate::commands::util::read_all(&fd, crate::commands::util::MAX_INPUT) {
        Ok(d) => d,
        Err(e) => {
            ctx.err(&format!(
                "{}: {}",
                quote_shell(list, false),
                super::io_err(&e)
            ));
            return Err(1);
        }
    };
    Ok(data
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect())
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: wc [OPTION]... [FILE]...
  or:  wc [OPTION]... --files0-from=F
Print newline, word, and byte counts for each FILE, and a total line if
more than one FILE is specified.  A word is a non-zero-length sequence of
printable characters delimited by white space.

With no FILE, or when FILE is -, read standard input.

The options below may be used to select which counts are printed, always in
the following order: newline, word, character, byte, maximum line length.
  -c, --bytes            print the byte counts
  -m, --chars            print the character counts
  -l, --lines            print the newline counts
      --files0-from=F    read input from the files specified by
                           NUL-terminated names in file F;
                           If F is - then read names from standard input
  -L, --max-line-length  print the maximum display width
  -w, --words            print the word counts
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/wc>
or available locally via: info '(coreutils) wc invocation'
"##;

//! `expand`: convert tabs to spaces (GNU coreutils 9.1): `-i`, `-t N` / `-t LIST` (with
//! `/N` and `+N` last entries) and the obsolete `-N`. Also holds the tab-stop parsing
//! shared with `unexpand`.

use super::{Out, Reader, open, quote, quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `expand [OPTION]... [FILE]...`
pub struct Expand;

/// Tab stops as GNU's expand-common.c keeps them.
#[derive(Default)]
pub(super) struct Tabs {
    list: Vec<u64>,
    extend: u64,
    increment: u64,
    size: u64,
}

impl Tabs {
    /// Parse one `-t` value, adding its stops; `Err` carries the messages to print.
    pub(super) fn parse(&mut self, stops: &str) -> Result<(), String> {
        let b = stops.as_bytes();
        let mut have = false;
        let mut val: u64 = 0;
        let mut extend = false;
        let mut incr = false;
        let mut start = 0;
        let mut errs: Vec<String> = Vec::new();
        let mut i = 0;
        let mut broke = false;
        while i < b.len() {
            let c = b[i];
            if c == b',' || c == b' ' || c == b'\t' {
                if have {
                    if extend {
                        if let Err(e) = self.set_extend(val) {
                            errs.push(e);
                            broke = true;
                            break;
                        }
                    } else if incr {
                        if let Err(e) = self.set_incr(val) {
                            errs.push(e);
                            broke = true;
                            break;
                        }
                    } else {
                        self.list.push(val);
                    }
                }
                have = false;
            } else if c == b'/' {
                if have {
                    errs.push(format!(
                        "'/' specifier not at start of number: {}",
                        quote(&String::from_utf8_lossy(&b[i..]))
                    ));
                }
                extend = true;
                incr = false;
            } else if c == b'+' {
                if have {
                    errs.push(format!(
                        "'+' specifier not at start of number: {}",
                        quote(&String::from_utf8_lossy(&b[i..]))
                    ));
                }
                incr = true;
                extend = false;
            } else if c.is_ascii_digit() {
                if !have {
                    val = 0;
                    have = true;
                    start = i;
                }
                match val
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(c - b'0')))
                {
                    Some(v) => val = v,
                    None => {
                        let len = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
                        errs.push(format!(
                            "tab stop is too large {}",
                            quote(&String::from_utf8_lossy(&b[start..start + len]))
                        ));
                        i = start + len;
                        continue;
                    }
                }
            } else {
                errs.push(format!(
                    "tab size contains invalid character(s): {}",
                    quote(&String::from_utf8_lossy(&b[i..]))
                ));
                broke = true;
                break;
            }
            i += 1;
        }
        if errs.is_empty() && !broke && have {
            let r = if extend {
                self.set_extend(val)
            } else if incr {
                self.set_incr(val)
            } else {
                self.list.push(val);
                Ok(())
            };
            if let Err(e) = r {
                errs.push(e);
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join("\n"))
        }
    }

    fn set_extend(&mut self, v: u64) -> Result<(), String> {
        let ok = self.extend == 0;
        self.extend = v;
        if ok {
            Ok(())
        } else {
            Err("'/' specifier only allowed with the last value".into())
        }
    }

    fn set_incr(&mut self, v: u64) -> Result<(), String> {
        let ok = self.increment == 0;
        self.increment = v;
        if ok {
            Ok(())
        } else {
            Err("'+' specifier only allowed with the last value".into())
        }
    }

    /// Validate and settle the stops (GNU's `finalize_tab_stops`).
    pub(super) fn finalize(&mut self) -> Result<(), String> {
        let mut prev = 0;
        for &t in &self.list {
            if t == 0 {
                return Err("tab size cannot be 0".into());
            }
            if t <= prev {
                return Err("tab sizes must be ascending".into());
            }
            prev = t;
        }
        if self.increment != 0 && self.extend != 0 {
            return Err("'/' specifier is mutually exclusive with '+'".into());
        }
        self.size = if self.list.is_empty() {
            if self.extend != 0 {
                self.extend
            } else if self.increment != 0 {
                self.increment
            } else {
                8
            }
        } else if self.list.len() == 1 && self.extend == 0 && self.increment == 0 {
            self.list[0]
        } else {
            0
        };
        Ok(())
    }

    /// The next tab column after `col`, or `None` past the last stop.
    pub(super) fn next(&self, col: u64, idx: &mut usize) -> Option<u64> {
        if self.size != 0 {
            return Some(col + (self.size - col % self.size));
        }
        while *idx < self.list.len() {
            let t = self.list[*idx];
            if col < t {
                return Some(t);
            }
            *idx += 1;
        }
        if self.extend != 0 {
            return Some(col + (self.extend - col % self.extend));
        }
        if let Some(&last) = self.list.last()
            && let Some(q) = (col - last).checked_div(self.increment)
        {
            return Some(last + (q + 1) * self.increment);
        }
        None
    }
}

/// The hidden long option obsolete `-N` arguments become.
const OBSOLETE: &str = "\u{1}tabs=";

/// Rewrite obsolete `-N[,N]...` arguments as `-t` values; the rest pass through.
pub(super) fn obsolete_tabs(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut dd = false;
    for a in args {
        if !dd && a.len() > 1 && a.starts_with('-') && a.as_bytes()[1].is_ascii_digit() {
            out.push(format!("--\u{1}tabs={}", &a[1..]));
            continue;
        }
        dd |= a == "--";
        out.push(a.clone());
    }
    out
}

/// Read the operands one after another as a single stream of chunks, reporting open
/// errors; `f` gets each chunk. Returns the exit status.
pub(super) fn each_chunk(
    ctx: &Ctx<'_>,
    files: &[String],
    mut f: impl FnMut(&[u8]) -> Result<(), Stop>,
) -> Result<i32, Stop> {
    let mut status = 0;
    for name in files {
        let fd = match open(ctx, name) {
            Ok(fd) => fd,
            Err(m) => {
                ctx.err(&format!("{}: {m}", quote_shell(name, false)));
                status = 1;
                continue;
            }
        };
        let mut r = Reader::new(fd);
        loop {
            match r.chunk(64 * 1024) {
                Ok(c) if c.is_empty() => break,
                Ok(c) => f(&c)?,
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return Err(Stop::Cancelled);
                    }
                    ctx.err(&format!(
                        "{}: {}",
                        quote_shell(name, false),
                        super::io_err(&e)
                    ));
                    status = 1;
                    break;
                }
            }
        }
    }
    Ok(status)
}

/// Parse the common options of expand/unexpand. Returns tabs, flags seen and operands.
pub(super) fn common_args(
    ctx: &Ctx<'_>,
    flags: &str,
    long: &[&str],
) -> Result<(Tabs, Vec<String>, Vec<String>), i32> {
    let args = obsolete_tabs(&ctx.args[1..]);
    let mut long = long.to_vec();
    long.push(OBSOLETE);
    let parsed = match parse_args(&args, "t", flags, &long) {
        Ok(p) => p,
        Err(e) => return Err(ctx.usage(&e, 1)),
    };
    let mut tabs = Tabs::default();
    let mut seen = Vec::new();
    let mut ops = Vec::new();
    for a in parsed {
        match a.clone() {
            Arg::Operand(o) => ops.push(o),
            Arg::Short('t', Some(v)) | Arg::Long(_, Some(v)) => {
                let obsolete = matches!(&a, Arg::Long(n, _) if n.starts_with('\u{1}'));
                if let Err(m) = tabs.parse(&v) {
                    for l in m.lines() {
                        ctx.err(l);
                    }
                    return Err(1);
                }
                if !obsolete {
                    seen.push("t".to_string());
                }
            }
            Arg::Short(c, _) => seen.push(c.to_string()),
            Arg::Long(l, None) => seen.push(l),
        }
    }
    Ok((tabs, seen, ops))
}

impl Command for Expand {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let (mut tabs, seen, mut ops) =
            match common_args(ctx, "i", &["initial", "tabs=", "help", "version"]) {
                Ok(x) => x,
                Err(s) => return s,
            };
        let mut initial = false;
        for s in &seen {
            match s.as_str() {
                "i" | "initial" => initial = true,
                "help" => return super::print_text(ctx, HELP),
                "version" => return version(ctx, "expand", "Written by David MacKenzie."),
                _ => {}
            }
        }
        if let Err(m) = tabs.finalize() {
            ctx.err(&m);
            return 1;
        }
        if ops.is_empty() {
            ops.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut col: u64 = 0;
        let mut idx = 0usize;
        let mut convert = true;
        let mut buf: Vec<u8> = Vec::new();
        let res = each_chunk(ctx, &ops, |chunk| {
            buf.clear();
            for &c in chunk {
                let mut c = c;
                if convert {
                    if c == b'\t' {
                        let next = tabs.next(col, &mut idx).unwrap_or(col + 1);
                        col += 1;
                        while col < next {
                            buf.push(b' ');
                            col += 1;
                        }
                        c = b' ';
                    } else if c == 8 {
                        col = col.saturating_sub(1);
                        idx = idx.saturating_sub(1);
                    } else {
                        col += 1;
                    }
                    convert &= !initial || c == b' ' || c == b'\t';
                }
                buf.push(c);
                if c == b'\n' {
                    col = 0;
                    idx = 0;
                    convert = true;
                }
            }
            out.put(&buf)
        });
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
const HELP: &str = r##"Usage: expand [OPTION]... [FILE]...
Convert tabs in each FILE to spaces, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -i, --initial    do not convert tabs after non blanks
  -t, --tabs=N     have tabs N characters apart, not 8
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
Full documentation <https://www.gnu.org/software/coreutils/expand>
or available locally via: info '(coreutils) expand invocation'
"##;

//! `comm`: compare two sorted files line by line (GNU coreutils 9.1): `-1 -2 -3`,
//! `--check-order`, `--nocheck-order`, `--output-delimiter`, `--total` and `-z`.

use super::{Out, Reader, open, quote, quote_shell, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `comm [OPTION]... FILE1 FILE2`
pub struct Comm;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Default,
    Enabled,
    Disabled,
}

/// One input: its reader, the current line and the two before it (without delimiter).
struct Input {
    r: Reader,
    name: String,
    cur: Option<Vec<u8>>,
    prev: Option<Vec<u8>>,
    prev2: Option<Vec<u8>>,
}

/// Why the comparison stopped early.
enum Fail {
    Stop(Stop),
    Status(i32),
}

struct State<'c, 'a> {
    ctx: &'c Ctx<'a>,
    out: Out<'c, 'a>,
    delim: u8,
    sep: Vec<u8>,
    show: [bool; 3],
    check: Check,
    seen_unpairable: bool,
    warned: [bool; 2],
}

impl State<'_, '_> {
    fn read(&self, inp: &mut Input) -> Result<Option<Vec<u8>>, Fail> {
        match inp.r.record(self.delim) {
            Ok(Some(mut l)) => {
                if l.last() == Some(&self.delim) {
                    l.pop();
                }
                Ok(Some(l))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                if self.ctx.cancel.is_cancelled() {
                    return Err(Fail::Stop(Stop::Cancelled));
                }
                self.ctx.err(&format!(
                    "{}: {}",
                    quote_shell(&inp.name, false),
                    super::io_err(&e)
                ));
                Err(Fail::Status(1))
            }
        }
    }

    fn check_order(&mut self, prev: &[u8], cur: &[u8], which: usize) -> Result<(), Fail> {
        if self.check == Check::Disabled
            || (self.check == Check::Default && !self.seen_unpairable)
            || self.warned[which]
        {
            return Ok(());
        }
        if prev > cur {
            // Flush what came before so the message lands after it.
            self.out.flush().map_err(Fail::Stop)?;
            self.ctx
                .err(&format!("file {} is not in sorted order", which + 1));
            if self.check == Check::Enabled {
                return Err(Fail::Status(1));
            }
            self.warned[which] = true;
        }
        Ok(())
    }

    fn write(&mut self, line: &[u8], class: usize) -> Result<(), Fail> {
        if !self.show[class] {
            return Ok(());
        }
        let mut v = Vec::with_capacity(line.len() + 2 * self.sep.len() + 1);
        if class >= 1 && self.show[0] {
            v.extend_from_slice(&self.sep);
        }
        if class == 2 && self.show[1] {
            v.extend_from_slice(&self.sep);
        }
        v.extend_from_slice(line);
        v.push(self.delim);
        self.out.put(&v).map_err(Fail::Stop)
    }

    fn advance(&mut self, inp: &mut Input, which: usize) -> Result<(), Fail> {
        let next = self.read(inp)?;
        inp.prev2 = inp.prev.take();
        inp.prev = inp.cur.take();
        inp.cur = next;
        match (&inp.cur, &inp.prev, &inp.prev2) {
            (Some(c), Some(p), _) => {
                let (p, c) = (p.clone(), c.clone());
                self.check_order(&p, &c, which)?;
            }
            (None, Some(p), Some(p2)) => {
                let (p2, p) = (p2.clone(), p.clone());
                self.check_order(&p2, &p, which)?;
            }
            _ => {}
        }
        Ok(())
    }
}

fn compare(st: &mut State<'_, '_>, a: &mut Input, b: &mut Input) -> Result<[u64; 3], Fail> {
    let mut total = [0u64; 3];
    loop {
        let order = match (&a.cur, &b.cur) {
            (None, None) => break,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.as_slice().cmp(y.as_slice()),
        };
        match order {
            std::cmp::Ordering::Equal => {
                total[2] += 1;
                let l = b.cur.clone().unwrap_or_default();
                st.write(&l, 2)?;
            }
            std::cmp::Ordering::Less => {
                st.seen_unpairable = true;
                total[0] += 1;
                let l = a.cur.clone().unwrap_or_default();
                st.write(&l, 0)?;
            }
            std::cmp::Ordering::Greater => {
                st.seen_unpairable = true;
                total[1] += 1;
                let l = b.cur.clone().unwrap_or_default();
                st.write(&l, 1)?;
            }
        }
        if order.is_le() {
            st.advance(a, 0)?;
        }
        if order.is_ge() {
            st.advance(b, 1)?;
        }
    }
    Ok(total)
}

impl Command for Comm {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "",
            "123z",
            &[
                "check-order",
                "nocheck-order",
                "output-delimiter=",
                "total",
                "zero-terminated",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut show = [true; 3];
        let mut delim = b'\n';
        let mut sep: Option<String> = None;
        let mut total = false;
        let mut check = Check::Default;
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
            match name.as_str() {
                "1" => show[0] = false,
                "2" => show[1] = false,
                "3" => show[2] = false,
                "z" | "zero-terminated" => delim = 0,
                "check-order" => check = Check::Enabled,
                "nocheck-order" => check = Check::Disabled,
                "total" => total = true,
                "output-delimiter" => {
                    let v = v.unwrap_or_default();
                    if let Some(s) = &sep
                        && *s != v
                    {
                        ctx.err("multiple output delimiters specified");
                        return 1;
                    }
                    sep = Some(v);
                }
                "help" => return super::print_text(ctx, HELP),
                "version" => {
                    return version(
                        ctx,
                        "comm",
                        "Written by Richard M. Stallman and David MacKenzie.",
                    );
                }
                _ => {}
            }
        }
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
        let sep_str = sep.unwrap_or_else(|| "\t".into());
        let sep_bytes = if sep_str.is_empty() {
            vec![0]
        } else {
            sep_str.as_bytes().to_vec()
        };
        let mut st = State {
            ctx,
            out: Out::new(ctx),
            delim,
            sep: sep_bytes,
            show,
            check,
            seen_unpairable: false,
            warned: [false; 2],
        };
        let mut inputs = Vec::new();
        for name in &ops {
            let fd = match open(ctx, name) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(name, false)));
                    return 1;
                }
            };
            let mut inp = Input {
                r: Reader::new(fd),
                name: name.clone(),
                cur: None,
                prev: None,
                prev2: None,
            };
            match st.read(&mut inp) {
                Ok(l) => inp.cur = l,
                Err(Fail::Stop(s)) => return stopped(s),
                Err(Fail::Status(s)) => return s,
            }
            inputs.push(inp);
        }
        let mut b = inputs.pop();
        let mut a = inputs.pop();
        let (Some(a), Some(b)) = (a.as_mut(), b.as_mut()) else {
            return 1;
        };
        let totals = match compare(&mut st, a, b) {
            Ok(t) => t,
            Err(Fail::Stop(s)) => return stopped(s),
            Err(Fail::Status(s)) => {
                return match st.out.flush() {
                    Ok(()) => s,
                    Err(e) => stopped(e),
                };
            }
        };
        if total {
            let line = format!(
                "{}{sep_str}{}{sep_str}{}{sep_str}total",
                totals[0], totals[1], totals[2]
            );
            let mut v = line.into_bytes();
            v.push(delim);
            if let Err(e) = st.out.put(&v) {
                return stopped(e);
            }
        }
        if let Err(e) = st.out.flush() {
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
const HELP: &str = r##"Usage: comm [OPTION]... FILE1 FILE2
Compare sorted files FILE1 and FILE2 line by line.

When FILE1 or FILE2 (not both) is -, read standard input.

With no options, produce three-column output.  Column one contains
lines unique to FILE1, column two contains lines unique to FILE2,
and column three contains lines common to both files.

  -1                      suppress column 1 (lines unique to FILE1)
  -2                      suppress column 2 (lines unique to FILE2)
  -3                      suppress column 3 (lines that appear in both files)

      --check-order       check that the input is correctly sorted, even
                            if all input lines are pairable
      --nocheck-order     do not check that the input is correctly sorted
      --output-delimiter=STR  separate columns with STR
      --total             output a summary
  -z, --zero-terminated   line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Note, comparisons honor the rules specified by 'LC_COLLATE'.

Examples:
  comm -12 file1 file2  Print only lines present in both file1 and file2.
  comm -3 file1 file2  Print lines in file1 not in file2, and vice versa.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/comm>
or available locally via: info '(coreutils) comm invocation'
"##;

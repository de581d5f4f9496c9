//! `nl`: number lines of files (GNU coreutils 9.1): `-b`/`-h`/`-f` styles `a t n pBRE`,
//! `-n ln|rn|rz`, `-w`, `-s`, `-v`, `-i`, `-l`, `-p`, `-d` and logical-page sections.

use super::{Out, Reader, open, quote, quote_shell, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `nl [OPTION]... [FILE]...`
pub struct Nl;

#[derive(Clone)]
enum Style {
    All,
    NonEmpty,
    None,
    Regex(regex::bytes::Regex),
}

fn style(ctx: &Ctx<'_>, v: &str, which: &str) -> Result<Style, i32> {
    match v {
        "a" => Ok(Style::All),
        "t" => Ok(Style::NonEmpty),
        "n" => Ok(Style::None),
        _ if v.starts_with('p') => match regex::bytes::Regex::new(&bre_to_ere(&v[1..])) {
            Ok(r) => Ok(Style::Regex(r)),
            Err(_) => {
                ctx.err(&format!("invalid {which} numbering style: {}", quote(v)));
                Err(try_help(ctx, 1))
            }
        },
        _ => {
            ctx.err(&format!("invalid {which} numbering style: {}", quote(v)));
            Err(try_help(ctx, 1))
        }
    }
}

/// A rough translation of a POSIX basic regular expression to the regex crate's syntax.
fn bre_to_ere(s: &str) -> String {
    let mut out = String::from("(?-u)");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

impl Command for Nl {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "bdfhilnsvw",
            "p",
            &[
                "body-numbering=",
                "section-delimiter=",
                "footer-numbering=",
                "header-numbering=",
                "line-increment=",
                "join-blank-lines=",
                "number-format=",
                "no-renumber",
                "number-separator=",
                "starting-line-number=",
                "number-width=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut body = Style::NonEmpty;
        let mut header = Style::None;
        let mut footer = Style::None;
        let mut incr: i64 = 1;
        let mut join: u64 = 1;
        let mut fmt = "rn".to_string();
        let mut renumber = true;
        let mut sep = "\t".to_string();
        let mut start: i64 = 1;
        let mut width: usize = 6;
        let mut delim = "\\:".to_string();
        let mut files = Vec::new();
        for a in parsed {
            let (name, v) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (c.to_string(), v),
                Arg::Long(l, v) => (l, v),
            };
            let v = v.unwrap_or_default();
            let num = |what: &str, min: i64| -> Result<i64, i32> {
                match v.trim_start().parse::<i64>() {
                    Ok(n) if n >= min => Ok(n),
                    Ok(_) => {
                        ctx.err(&format!(
                            "invalid {what}: {}: Numerical result out of range",
                            quote(&v)
                        ));
                        Err(1)
                    }
                    Err(_) => {
                        ctx.err(&format!("invalid {what}: {}", quote(&v)));
                        Err(1)
                    }
                }
            };
            match name.as_str() {
                "b" | "body-numbering" => match style(ctx, &v, "body") {
                    Ok(s) => body = s,
                    Err(s) => return s,
                },
                "h" | "header-numbering" => match style(ctx, &v, "header") {
                    Ok(s) => header = s,
                    Err(s) => return s,
                },
                "f" | "footer-numbering" => match style(ctx, &v, "footer") {
                    Ok(s) => footer = s,
                    Err(s) => return s,
                },
                "i" | "line-increment" => match num("line number increment", 0) {
                    Ok(n) => incr = n,
                    Err(s) => return s,
                },
                "l" | "join-blank-lines" => match num("line number of blank lines", 1) {
                    Ok(n) => join = n as u64,
                    Err(s) => return s,
                },
                "n" | "number-format" => {
                    if !["ln", "rn", "rz"].contains(&v.as_str()) {
                        ctx.err(&format!("invalid line numbering format: {}", quote(&v)));
                        return try_help(ctx, 1);
                    }
                    fmt = v;
                }
                "p" | "no-renumber" => renumber = false,
                "s" | "number-separator" => sep = v,
                "v" | "starting-line-number" => match num("starting line number", i64::MIN) {
                    Ok(n) => start = n,
                    Err(s) => return s,
                },
                "w" | "number-width" => match num("line number field width", 1) {
                    Ok(n) => width = n as usize,
                    Err(s) => return s,
                },
                "d" | "section-delimiter" => {
                    delim = if v.len() == 1 { format!("{v}:") } else { v };
                }
                "help" => return super::print_text(ctx, HELP),
                "version" => {
                    return version(ctx, "nl", "Written by Scott Bartram and David MacKenzie.");
                }
                _ => {}
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let d = delim.as_bytes();
        let sec_header: Vec<u8> = [d, d, d].concat();
        let sec_body: Vec<u8> = [d, d].concat();
        let sec_footer: Vec<u8> = d.to_vec();
        let mut out = Out::new(ctx);
        let mut line_no = start;
        let mut current = body.clone();
        let mut blanks: u64 = 0;
        let mut status = 0;
        let blank_prefix = " ".repeat(width + sep.len());
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(f, false)));
                    status = 1;
                    continue;
                }
            };
            let mut r = Reader::new(fd);
            loop {
                let line = match r.record(b'\n') {
                    Ok(Some(l)) => l,
                    Ok(None) => break,
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{}: {}", quote_shell(f, false), super::io_err(&e)));
                        status = 1;
                        break;
                    }
                };
                let text = line.strip_suffix(b"\n").unwrap_or(&line);
                let section = if !d.is_empty() && text == sec_header.as_slice() {
                    Some(&header)
                } else if !d.is_empty() && text == sec_body.as_slice() {
                    Some(&body)
                } else if !d.is_empty() && text == sec_footer.as_slice() {
                    Some(&footer)
                } else {
                    None
                };
                if let Some(s) = section {
                    current = s.clone();
                    if renumber {
                        line_no = start;
                    }
                    if let Err(s) = out.put(b"\n") {
                        return stopped(s);
                    }
                    continue;
                }
                let number = match &current {
                    Style::All => {
                        if text.is_empty() {
                            blanks += 1;
                            if blanks >= join {
                                blanks = 0;
                                true
                            } else {
                                false
                            }
                        } else {
                            blanks = 0;
                            true
                        }
                    }
                    Style::NonEmpty => !text.is_empty(),
                    Style::None => false,
                    Style::Regex(re) => re.is_match(text),
                };
                let mut o = Vec::new();
                if number {
                    let n = match fmt.as_str() {
                        "ln" => format!("{line_no:<width$}"),
                        "rz" => {
                            if line_no < 0 {
                                format!(
                                    "-{:0>w$}",
                                    line_no.unsigned_abs(),
                                    w = width.saturating_sub(1)
                                )
                            } else {
                                format!("{line_no:0>width$}")
                            }
                        }
                        _ => format!("{line_no:>width$}"),
                    };
                    o.extend_from_slice(n.as_bytes());
                    o.extend_from_slice(sep.as_bytes());
                    line_no = line_no.wrapping_add(incr);
                } else {
                    o.extend_from_slice(blank_prefix.as_bytes());
                }
                o.extend_from_slice(text);
                o.push(b'\n');
                if let Err(s) = out.put(&o) {
                    return stopped(s);
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: nl [OPTION]... [FILE]...
Write each FILE to standard output, with line numbers added.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --body-numbering=STYLE      use STYLE for numbering body lines
  -d, --section-delimiter=CC      use CC for logical page delimiters
  -f, --footer-numbering=STYLE    use STYLE for numbering footer lines
  -h, --header-numbering=STYLE    use STYLE for numbering header lines
  -i, --line-increment=NUMBER     line number increment at each line
  -l, --join-blank-lines=NUMBER   group of NUMBER empty lines counted as one
  -n, --number-format=FORMAT      insert line numbers according to FORMAT
  -p, --no-renumber               do not reset line numbers for each section
  -s, --number-separator=STRING   add STRING after (possible) line number
  -v, --starting-line-number=NUMBER  first line number for each section
  -w, --number-width=NUMBER       use NUMBER columns for line numbers
      --help        display this help and exit
      --version     output version information and exit

Default options are: -bt -d'\:' -fn -hn -i1 -l1 -n'rn' -s<TAB> -v1 -w6

CC are two delimiter characters used to construct logical page delimiters;
a missing second character implies ':'.  As a GNU extension one can specify
more than two characters, and also specifying the empty string (-d '')
disables section matching.

STYLE is one of:

  a      number all lines
  t      number only nonempty lines
  n      number no lines
  pBRE   number only lines that contain a match for the basic regular
         expression, BRE

FORMAT is one of:

  ln     left justified, no leading zeros
  rn     right justified, no leading zeros
  rz     right justified, leading zeros


GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/nl>
or available locally via: info '(coreutils) nl invocation'
"##;

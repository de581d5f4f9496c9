//! `cut`: print selected parts of lines (GNU coreutils 9.1, C locale): `-b`/`-c` byte
//! lists, `-f` field lists with `-d` and `-s`, `--complement`, `--output-delimiter`, `-z`.

use super::{Out, Reader, open, quote, quote_shell, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `cut OPTION... [FILE]...`
pub struct Cut;

/// Parse a GNU list (`1-3,5-`) into sorted, merged, inclusive 1-based ranges.
fn parse_list(s: &str, pos: bool) -> Result<Vec<(usize, usize)>, String> {
    let zero = if pos {
        "byte/character positions are numbered from 1"
    } else {
        "fields are numbered from 1"
    };
    let b = s.as_bytes();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut value: usize = 0;
    let mut initial: usize = 0;
    let (mut lhs, mut rhs, mut dash) = (false, false, false);
    let mut num_start = 0;
    let mut in_digits = false;
    loop {
        let c = b.get(i).copied();
        match c {
            Some(b'-') => {
                in_digits = false;
                if dash {
                    return Err(if pos {
                        "invalid byte or character range".into()
                    } else {
                        "invalid field range".into()
                    });
                }
                dash = true;
                i += 1;
                if lhs && value == 0 {
                    return Err(zero.into());
                }
                initial = if lhs { value } else { 1 };
                value = 0;
            }
            None | Some(b',' | b' ' | b'\t') => {
                in_digits = false;
                if dash {
                    dash = false;
                    if !lhs && !rhs {
                        return Err("invalid range with no endpoint: -".into());
                    }
                    if !rhs {
                        ranges.push((initial, usize::MAX));
                    } else {
                        if value < initial {
                            return Err("invalid decreasing range".into());
                        }
                        ranges.push((initial, value));
                    }
                } else {
                    if value == 0 {
                        return Err(zero.into());
                    }
                    ranges.push((value, value));
                }
                value = 0;
                if c.is_none() {
                    break;
                }
                i += 1;
                lhs = false;
                rhs = false;
            }
            Some(d) if d.is_ascii_digit() => {
                if !in_digits {
                    num_start = i;
                }
                in_digits = true;
                if dash {
                    rhs = true;
                } else {
                    lhs = true;
                }
                match value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(usize::from(d - b'0')))
                {
                    Some(v) if v != usize::MAX => value = v,
                    _ => {
                        let len = b[num_start..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                        let bad = &s[num_start..num_start + len];
                        return Err(if pos {
                            format!("byte/character offset {} is too large", quote(bad))
                        } else {
                            format!("field number {} is too large", quote(bad))
                        });
                    }
                }
                i += 1;
            }
            Some(_) => {
                return Err(if pos {
                    format!("invalid byte/character position {}", quote(&s[i..]))
                } else {
                    format!("invalid field value {}", quote(&s[i..]))
                });
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    Ok(merged)
}

fn complement(r: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut c = Vec::new();
    if r[0].0 > 1 {
        c.push((1, r[0].0 - 1));
    }
    for w in r.windows(2) {
        if w[0].1 + 1 != w[1].0 {
            c.push((w[0].1 + 1, w[1].0 - 1));
        }
    }
    if let Some(last) = r.last()
        && last.1 < usize::MAX
    {
        c.push((last.1 + 1, usize::MAX));
    }
    c
}

struct Sel {
    ranges: Vec<(usize, usize)>,
}

impl Sel {
    fn selected(&self, k: usize) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= k && k <= hi)
    }
    fn range_start(&self, k: usize) -> bool {
        self.ranges.iter().any(|&(lo, _)| lo == k)
    }
}

impl Command for Cut {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "bcfd",
            "nsz",
            &[
                "bytes=",
                "characters=",
                "fields=",
                "delimiter=",
                "only-delimited",
                "output-delimiter=",
                "complement",
                "zero-terminated",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut list: Option<(bool, String)> = None; // (positions, spec)
        let mut delim: Option<u8> = None;
        let mut only_delimited = false;
        let mut out_delim: Option<Vec<u8>> = None;
        let mut compl = false;
        let mut line_delim = b'\n';
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
            match name.as_str() {
                "b" | "c" | "f" | "bytes" | "characters" | "fields" => {
                    if list.is_some() {
                        ctx.err("only one list may be specified");
                        return try_help(ctx, 1);
                    }
                    list = Some((!(name == "f" || name == "fields"), v));
                }
                "d" | "delimiter" => {
                    if v.len() > 1 {
                        ctx.err("the delimiter must be a single character");
                        return try_help(ctx, 1);
                    }
                    delim = Some(v.bytes().next().unwrap_or(0));
                }
                "s" | "only-delimited" => only_delimited = true,
                "output-delimiter" => {
                    // GNU quirk: an empty output delimiter is a NUL byte.
                    out_delim = Some(if v.is_empty() {
                        vec![0]
                    } else {
                        v.into_bytes()
                    });
                }
                "complement" => compl = true,
                "z" | "zero-terminated" => line_delim = 0,
                "help" => return super::print_text(ctx, HELP),
                "version" => {
                    return version(
                        ctx,
                        "cut",
                        "Written by David M. Ihnat, David MacKenzie, and Jim Meyering.",
                    );
                }
                _ => {}
            }
        }
        let Some((pos, spec)) = list else {
            ctx.err("you must specify a list of bytes, characters, or fields");
            return try_help(ctx, 1);
        };
        if pos && delim.is_some() {
            ctx.err("an input delimiter may be specified only when operating on fields");
            return try_help(ctx, 1);
        }
        if pos && only_delimited {
            ctx.err("suppressing non-delimited lines makes sense\n\tonly when operating on fields");
            return try_help(ctx, 1);
        }
        let mut ranges = match parse_list(&spec, pos) {
            Ok(r) => r,
            Err(m) => {
                ctx.err(&m);
                return try_help(ctx, 1);
            }
        };
        if compl {
            ranges = complement(&ranges);
        }
        let sel = Sel { ranges };
        let delim = delim.unwrap_or(b'\t');
        let cfg = Cfg {
            pos,
            delim,
            out_delim: out_delim.clone(),
            only_delimited,
            line_delim,
        };
        if files.is_empty() {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
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
            match cut_file(&mut r, &mut out, &sel, &cfg) {
                Ok(Ok(())) => {}
                Ok(Err(s)) => return stopped(s),
                Err(e) => {
                    if ctx.cancel.is_cancelled() {
                        return 130;
                    }
                    ctx.err(&format!("{}: {}", quote_shell(f, false), super::io_err(&e)));
                    status = 1;
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

struct Cfg {
    pos: bool,
    delim: u8,
    out_delim: Option<Vec<u8>>,
    only_delimited: bool,
    line_delim: u8,
}

fn cut_file(
    r: &mut Reader,
    out: &mut Out<'_, '_>,
    sel: &Sel,
    cfg: &Cfg,
) -> std::io::Result<Result<(), Stop>> {
    let ld = cfg.line_delim;
    let mut buf = Vec::new();
    while let Some(line) = r.record(ld)? {
        let body = line.strip_suffix(&[ld]).unwrap_or(&line);
        buf.clear();
        if cfg.pos {
            let mut print_delim = false;
            for (i, &c) in body.iter().enumerate() {
                let k = i + 1;
                if sel.selected(k) {
                    if let Some(od) = &cfg.out_delim {
                        if print_delim && sel.range_start(k) {
                            buf.extend_from_slice(od);
                        }
                        print_delim = true;
                    }
                    buf.push(c);
                }
            }
            buf.push(ld);
        } else if !body.contains(&cfg.delim) {
            if cfg.only_delimited {
                continue;
            }
            buf.extend_from_slice(body);
            buf.push(ld);
        } else {
            let od: &[u8] = match &cfg.out_delim {
                Some(d) => d,
                None => std::slice::from_ref(&cfg.delim),
            };
            let mut any = false;
            for (i, f) in body.split(|&c| c == cfg.delim).enumerate() {
                if sel.selected(i + 1) {
                    if any {
                        buf.extend_from_slice(od);
                    }
                    any = true;
                    buf.extend_from_slice(f);
                }
            }
            buf.push(ld);
        }
        if let Err(s) = out.put(&buf) {
            return Ok(Err(s));
        }
    }
    Ok(Ok(()))
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: cut OPTION... [FILE]...
Print selected parts of lines from each FILE to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --bytes=LIST        select only these bytes
  -c, --characters=LIST   select only these characters
  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter
  -f, --fields=LIST       select only these fields;  also print any line
                            that contains no delimiter character, unless
                            the -s option is specified
  -n                      (ignored)
      --complement        complement the set of selected bytes, characters
                            or fields
  -s, --only-delimited    do not print lines not containing delimiters
      --output-delimiter=STRING  use STRING as the output delimiter
                            the default is to use the input delimiter
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Use one, and only one of -b, -c or -f.  Each LIST is made up of one
range, or many ranges separated by commas.  Selected input is written
in the same order that it is read, and is written exactly once.
Each range is one of:

  N     N'th byte, character or field, counted from 1
  N-    from N'th byte, character or field, to end of line
  N-M   from N'th to M'th (included) byte, character or field
  -M    from first to M'th (included) byte, character or field

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/cut>
or available locally via: info '(coreutils) cut invocation'
"##;

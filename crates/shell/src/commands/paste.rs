//! `paste`: merge lines of files side by side (or serially with `-s`), with a cycling
//! `-d` delimiter list (`\n \t \\ \0` escapes) and `-z`.

use super::{Out, Reader, open, quote_shell, stopped, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `paste [OPTION]... [FILE]...`
pub struct Paste;

/// Parse a delimiter list; `None` entries are the empty delimiter (`\0`).
fn delims(s: &str) -> Result<Vec<Option<u8>>, ()> {
    let b = s.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let Some(&c) = b.get(i + 1) else {
                return Err(());
            };
            v.push(match c {
                b'0' => None,
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'b' => Some(8),
                b'f' => Some(12),
                b'r' => Some(b'\r'),
                b'v' => Some(11),
                other => Some(other),
            });
            i += 2;
        } else {
            v.push(Some(b[i]));
            i += 1;
        }
    }
    if v.is_empty() {
        v.push(None);
    }
    Ok(v)
}

impl Command for Paste {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "d",
            "sz",
            &[
                "delimiters=",
                "serial",
                "zero-terminated",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut dl = "\t".to_string();
        let mut serial = false;
        let mut ld = b'\n';
        let mut files = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('d', Some(v)) => dl = v,
                Arg::Short('s', _) => serial = true,
                Arg::Short('z', _) => ld = 0,
                Arg::Long(l, v) => match l.as_str() {
                    "delimiters" => dl = v.unwrap_or_default(),
                    "serial" => serial = true,
                    "zero-terminated" => ld = 0,
                    "help" => return super::print_text(ctx, HELP),
                    "version" => {
                        return version(
                            ctx,
                            "paste",
                            "Written by David M. Ihnat and David MacKenzie.",
                        );
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        let Ok(dels) = delims(&dl) else {
            ctx.err(&format!(
                "delimiter list ends with an unescaped backslash: {dl}"
            ));
            return 1;
        };
        if files.is_empty() {
            files.push("-".into());
        }
        // Open everything; every `-` shares one reader of stdin.
        let mut readers: Vec<Reader> = Vec::new();
        let mut map: Vec<usize> = Vec::new();
        let mut stdin_idx: Option<usize> = None;
        for f in &files {
            if f == "-"
                && let Some(i) = stdin_idx
            {
                map.push(i);
                continue;
            }
            match open(ctx, f) {
                Ok(fd) => {
                    readers.push(Reader::new(fd));
                    map.push(readers.len() - 1);
                    if f == "-" {
                        stdin_idx = Some(readers.len() - 1);
                    }
                }
                Err(m) => {
                    ctx.err(&format!("{}: {m}", quote_shell(f, false)));
                    return 1;
                }
            }
        }
        let mut out = Out::new(ctx);
        let r = if serial {
            serial_paste(&mut readers, &map, &dels, ld, &mut out)
        } else {
            parallel(&mut readers, &map, &dels, ld, &mut out)
        };
        match r {
            Ok(Ok(())) => {}
            Ok(Err(s)) => return stopped(s),
            Err(e) => {
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
                // GNU names the file that failed to read (a directory, here).
                match files
                    .iter()
                    .find(|f| *f != "-" && ctx.vfs.stat(f).is_ok_and(|m| m.is_dir()))
                {
                    Some(d) => {
                        ctx.err(&format!("{}: {}", quote_shell(d, false), super::io_err(&e)))
                    }
                    None => ctx.err(&format!("read error: {}", super::io_err(&e))),
                }
                return 1;
            }
        }
        match out.flush() {
            Ok(()) => 0,
            Err(s) => stopped(s),
        }
    }
}

type Res = std::io::Result<Result<(), Stop>>;

fn parallel(
    readers: &mut [Reader],
    map: &[usize],
    dels: &[Option<u8>],
    ld: u8,
    out: &mut Out<'_, '_>,
) -> Res {
    let n = map.len();
    let mut open = vec![true; n];
    let mut files_open = n;
    while files_open > 0 {
        let mut line: Vec<u8> = Vec::new();
        let mut saved: Vec<u8> = Vec::new();
        let mut d = 0;
        let mut end = false;
        for i in 0..n {
            if files_open == 0 {
                end = true;
                break;
            }
            let rec = if open[i] {
                readers[map[i]].record(ld)?
            } else {
                None
            };
            match rec {
                Some(mut r) => {
                    if !saved.is_empty() {
                        line.append(&mut saved);
                    }
                    if r.last() == Some(&ld) {
                        r.pop();
                    }
                    line.extend_from_slice(&r);
                    if i + 1 == n {
                        line.push(ld);
                    } else {
                        if let Some(c) = dels[d] {
                            line.push(c);
                        }
                        d = (d + 1) % dels.len();
                    }
                }
                None => {
                    if open[i] {
                        open[i] = false;
                        files_open -= 1;
                    }
                    if i + 1 == n {
                        if files_open > 0 {
                            line.append(&mut saved);
                            line.push(ld);
                        }
                    } else {
                        if let Some(c) = dels[d] {
                            saved.push(c);
                        }
                        d = (d + 1) % dels.len();
                    }
                }
            }
        }
        let _ = end;
        if let Err(s) = out.put(&line) {
            return Ok(Err(s));
        }
    }
    Ok(Ok(()))
}

fn serial_paste(
    readers: &mut [Reader],
    map: &[usize],
    dels: &[Option<u8>],
    ld: u8,
    out: &mut Out<'_, '_>,
) -> Res {
    for &m in map {
        let mut line = Vec::new();
        let mut d = 0;
        let mut first = true;
        while let Some(mut r) = readers[m].record(ld)? {
            if !first {
                if let Some(c) = dels[d] {
                    line.push(c);
                }
                d = (d + 1) % dels.len();
            }
            first = false;
            if r.last() == Some(&ld) {
                r.pop();
            }
            line.extend_from_slice(&r);
        }
        line.push(ld);
        if let Err(s) = out.put(&line) {
            return Ok(Err(s));
        }
    }
    Ok(Ok(()))
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: paste [OPTION]... [FILE]...
Write lines consisting of the sequentially corresponding lines from
each FILE, separated by TABs, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --delimiters=LIST   reuse characters from LIST instead of TABs
  -s, --serial            paste one file at a time instead of in parallel
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/paste>
or available locally via: info '(coreutils) paste invocation'
"##;

//! `uniq`: report or omit repeated lines (GNU coreutils 9.1): `-c -d -D -u -i -f -s -w
//! -z`, `--all-repeated[=METHOD]`, `--group[=METHOD]` and an optional output file.

use super::{Out, Reader, open, quote, quote_shell, stopped, try_help, version};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx, Stop};

/// `uniq [OPTION]... [INPUT [OUTPUT]]`
pub struct Uniq;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Delim {
    None,
    Prepend,
    Separate,
    Append,
    Both,
}

struct Opts {
    skip_fields: usize,
    skip_chars: usize,
    check_chars: usize,
    ignore_case: bool,
    count: bool,
    unique: bool,
    first_repeated: bool,
    later_repeated: bool,
    all_rep: Delim,
    group: Option<Delim>,
    delim: u8,
}

fn field<'l>(line: &'l [u8], o: &Opts) -> &'l [u8] {
    let mut i = 0;
    for _ in 0..o.skip_fields {
        while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
    }
    i += o.skip_chars.min(line.len() - i);
    let f = &line[i..];
    &f[..f.len().min(o.check_chars)]
}

fn different(a: &[u8], b: &[u8], o: &Opts) -> bool {
    if o.ignore_case {
        !a.eq_ignore_ascii_case(b)
    } else {
        a != b
    }
}

fn num(ctx: &Ctx<'_>, v: &str, what: &str) -> Result<usize, i32> {
    let t = v.trim_start_matches([' ', '\t']);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        ctx.err(&format!("{}: {what}", quote_shell(v, false)));
        return Err(1);
    }
    Ok(t.parse::<usize>().unwrap_or(usize::MAX))
}

fn method(ctx: &Ctx<'_>, v: &str, opt: &str, valid: &[(&str, Delim)]) -> Result<Delim, i32> {
    let hits: Vec<&(&str, Delim)> = valid.iter().filter(|(n, _)| n.starts_with(v)).collect();
    if let Some((_, d)) = valid.iter().find(|(n, _)| *n == v) {
        return Ok(*d);
    }
    if hits.len() == 1 && !v.is_empty() {
        return Ok(hits[0].1);
    }
    let kind = if hits.len() > 1 && !v.is_empty() {
        "ambiguous"
    } else {
        "invalid"
    };
    let mut m = format!(
        "{kind} argument {} for '--{opt}'\nValid arguments are:",
        quote(v)
    );
    for (n, _) in valid {
        m.push_str(&format!("\n  - '{n}'"));
    }
    ctx.err(&m);
    Err(try_help(ctx, 1))
}

impl Command for Uniq {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `--all-repeated` and `--group` take optional values.
        let mut args: Vec<String> = Vec::new();
        let mut opt_vals: Vec<(String, String)> = Vec::new();
        let mut dd = false;
        for a in &ctx.args[1..] {
            if !dd && let Some((n, v)) = a.strip_prefix("--").and_then(|b| b.split_once('=')) {
                if n.len() >= 2 && "all-repeated".starts_with(n) {
                    opt_vals.push(("all-repeated".into(), v.into()));
                    args.push("--all-repeated".into());
                    continue;
                }
                if n.len() >= 2 && "group".starts_with(n) {
                    opt_vals.push(("group".into(), v.into()));
                    args.push("--group".into());
                    continue;
                }
            }
            dd |= a == "--";
            args.push(a.clone());
        }
        let parsed = match parse_args(
            &args,
            "fsw",
            "cdDiuz",
            &[
                "count",
                "repeated",
                "all-repeated",
                "group",
                "skip-fields=",
                "ignore-case",
                "skip-chars=",
                "unique",
                "zero-terminated",
                "check-chars=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts {
            skip_fields: 0,
            skip_chars: 0,
            check_chars: usize::MAX,
            ignore_case: false,
            count: false,
            unique: true,
            first_repeated: true,
            later_repeated: false,
            all_rep: Delim::None,
            group: None,
            delim: b'\n',
        };
        let mut ops: Vec<String> = Vec::new();
        let mut vals = opt_vals.into_iter();
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
                "c" | "count" => o.count = true,
                "d" | "repeated" => o.unique = false,
                "D" | "all-repeated" => {
                    o.unique = false;
                    o.later_repeated = true;
                    if name == "all-repeated" {
                        let given = vals.next().map(|x| x.1);
                        o.all_rep = match given {
                            None => Delim::None,
                            Some(g) => match method(
                                ctx,
                                &g,
                                "all-repeated",
                                &[
                                    ("none", Delim::None),
                                    ("prepend", Delim::Prepend),
                                    ("separate", Delim::Separate),
                                ],
                            ) {
                                Ok(d) => d,
                                Err(s) => return s,
                            },
                        };
                    }
                }
                "group" => {
                    let given = vals.next().map(|x| x.1);
                    o.group = Some(match given {
                        None => Delim::Separate,
                        Some(g) => match method(
                            ctx,
                            &g,
                            "group",
                            &[
                                ("prepend", Delim::Prepend),
                                ("append", Delim::Append),
                                ("separate", Delim::Separate),
                                ("both", Delim::Both),
                            ],
                        ) {
                            Ok(d) => d,
                            Err(s) => return s,
                        },
                    });
                }
                "f" | "skip-fields" => match num(ctx, &v, "invalid number of fields to skip") {
                    Ok(n) => o.skip_fields = n,
                    Err(s) => return s,
                },
                "s" | "skip-chars" => match num(ctx, &v, "invalid number of bytes to skip") {
                    Ok(n) => o.skip_chars = n,
                    Err(s) => return s,
                },
                "w" | "check-chars" => match num(ctx, &v, "invalid number of bytes to compare") {
                    Ok(n) => o.check_chars = n,
                    Err(s) => return s,
                },
                "i" | "ignore-case" => o.ignore_case = true,
                "u" | "unique" => o.first_repeated = false,
                "z" | "zero-terminated" => o.delim = 0,
                "help" => return super::print_text(ctx, HELP),
                "version" => {
                    return version(
                        ctx,
                        "uniq",
                        "Written by Richard M. Stallman and David MacKenzie.",
                    );
                }
                _ => {}
            }
        }
        if ops.len() > 2 {
            ctx.err(&format!("extra operand {}", quote(&ops[2])));
            return try_help(ctx, 1);
        }
        if o.group.is_some() && (o.count || !o.unique || !o.first_repeated || o.later_repeated) {
            ctx.err("--group is mutually exclusive with -c/-d/-D/-u");
            return try_help(ctx, 1);
        }
        if o.count && o.later_repeated {
            ctx.err("printing all duplicated lines and repeat counts is meaningless");
            return try_help(ctx, 1);
        }
        let input = ops.first().cloned().unwrap_or_else(|| "-".into());
        let fd = match open(ctx, &input) {
            Ok(fd) => fd,
            Err(m) => {
                ctx.err(&format!("{}: {m}", quote_shell(&input, false)));
                return 1;
            }
        };
        let to_file = ops.get(1).filter(|p| p.as_str() != "-").cloned();
        if let Some(p) = &to_file
            && let Err(e) = ctx.vfs.write(p, Vec::new())
        {
            ctx.err(&format!(
                "{}: {}",
                quote_shell(p, false),
                e.errno().message()
            ));
            return 1;
        }
        let mut sink = Sink {
            out: Out::new(ctx),
            file: to_file.as_ref().map(|_| Vec::new()),
        };
        let mut r = Reader::new(fd);
        let res = run(&mut r, &mut sink, &o);
        let status = match res {
            Ok(Ok(())) => 0,
            Ok(Err(stop)) => return stopped(stop),
            Err(e) => {
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
                let _ = e;
                ctx.err(&format!("error reading {}", quote_shell(&input, true)));
                1
            }
        };
        if let (Some(p), Some(data)) = (&to_file, sink.file.take()) {
            if let Err(e) = ctx.vfs.write(p, data) {
                ctx.err(&format!(
                    "{}: {}",
                    quote_shell(p, false),
                    e.errno().message()
                ));
                return 1;
            }
        } else if let Err(s) = sink.out.flush() {
            return stopped(s);
        }
        status
    }
}

struct Sink<'c, 'a> {
    out: Out<'c, 'a>,
    file: Option<Vec<u8>>,
}

impl Sink<'_, '_> {
    fn put(&mut self, d: &[u8]) -> Result<(), Stop> {
        match &mut self.file {
            Some(v) => {
                v.extend_from_slice(d);
                Ok(())
            }
            None => self.out.put(d),
        }
    }
}

type Res = std::io::Result<Result<(), Stop>>;

/// Set `buf` to `line` (without its delimiter, if it has one) followed by `d`, reusing
/// its allocation.
fn set_line(buf: &mut Vec<u8>, line: &[u8], d: u8) {
    buf.clear();
    buf.extend_from_slice(line.strip_suffix(&[d]).unwrap_or(line));
    buf.push(d);
}

/// `count` right-aligned in seven columns and a space, as GNU's `%7jd `, without an
/// allocation.
fn count_prefix(count: u64, buf: &mut [u8; 28]) -> &[u8] {
    let mut digits = [0u8; 20];
    let d = crate::commands::util::decimal(count, &mut digits);
    // Seven columns at least, then the space.
    let start = buf.len() - 1 - d.len().max(7);
    buf[start..].fill(b' ');
    let end = buf.len() - 1;
    buf[end - d.len()..end].copy_from_slice(d);
    &buf[start..]
}

fn run(r: &mut Reader, out: &mut Sink<'_, '_>, o: &Opts) -> Res {
    macro_rules! put {
        ($d:expr) => {
            if let Err(s) = out.put($d) {
                return Ok(Err(s));
            }
        };
    }
    let d = o.delim;
    if o.unique && o.first_repeated && !o.count && !o.later_repeated {
        let grouping = o.group;
        let mut prev: Vec<u8> = Vec::new();
        let mut first_group_printed = false;
        while let Some(line) = r.record_ref(d)? {
            let body = line.strip_suffix(&[d]).unwrap_or(line);
            let new_group = !first_group_printed
                || different(field(body, o), field(&prev[..prev.len() - 1], o), o);
            if let Some(g) = grouping
                && new_group
                && (g == Delim::Prepend
                    || g == Delim::Both
                    || (first_group_printed && (g == Delim::Append || g == Delim::Separate)))
            {
                put!(&[d]);
            }
            if new_group || grouping.is_some() {
                set_line(&mut prev, line, d);
                put!(&prev);
                first_group_printed = true;
            }
        }
        if matches!(grouping, Some(Delim::Both | Delim::Append)) && first_group_printed {
            put!(&[d]);
        }
        return Ok(Ok(()));
    }
    let Some(first) = r.record_ref(d)? else {
        return Ok(Ok(()));
    };
    let mut prev = Vec::new();
    set_line(&mut prev, first, d);
    let mut match_count: u64 = 0;
    let mut first_delimiter = true;
    let mut digits = [0u8; 28];
    let mut write =
        |out: &mut Sink<'_, '_>, line: &[u8], m: bool, count: u64| -> Result<(), Stop> {
            let show = if count == 0 {
                o.unique
            } else if !m {
                o.first_repeated
            } else {
                o.later_repeated
            };
            if !show {
                return Ok(());
            }
            if o.count {
                out.put(count_prefix(count + 1, &mut digits))?;
            }
            out.put(line)
        };
    while let Some(line) = r.record_ref(d)? {
        let body = line.strip_suffix(&[d]).unwrap_or(line);
        let m = !different(field(body, o), field(&prev[..prev.len() - 1], o), o);
        if m {
            match_count += 1;
        }
        if o.all_rep != Delim::None {
            if !m {
                if match_count > 0 {
                    first_delimiter = false;
                }
            } else if match_count == 1
                && (o.all_rep == Delim::Prepend
                    || (o.all_rep == Delim::Separate && !first_delimiter))
            {
                put!(&[d]);
            }
        }
        if !m || o.later_repeated {
            if let Err(s) = write(out, &prev, m, match_count) {
                return Ok(Err(s));
            }
            set_line(&mut prev, line, d);
            if !m {
                match_count = 0;
            }
        }
    }
    if let Err(s) = write(out, &prev, false, match_count) {
        return Ok(Err(s));
    }
    Ok(Ok(()))
}

/// GNU's `--help` text.
const HELP: &str = r##"Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Filter adjacent matching lines from INPUT (or standard input),
writing to OUTPUT (or standard output).

With no options, matching lines are merged to the first occurrence.

Mandatory arguments to long options are mandatory for short options too.
  -c, --count           prefix lines by the number of occurrences
  -d, --repeated        only print duplicate lines, one for each group
  -D                    print all duplicate lines
      --all-repeated[=METHOD]  like -D, but allow separating groups
                                 with an empty line;
                                 METHOD={none(default),prepend,separate}
  -f, --skip-fields=N   avoid comparing the first N fields
      --group[=METHOD]  show all items, separating groups with an empty line;
                          METHOD={separate(default),prepend,append,both}
  -i, --ignore-case     ignore differences in case when comparing
  -s, --skip-chars=N    avoid comparing the first N characters
  -u, --unique          only print unique lines
  -z, --zero-terminated     line delimiter is NUL, not newline
  -w, --check-chars=N   compare no more than N characters in lines
      --help        display this help and exit
      --version     output version information and exit

A field is a run of blanks (usually spaces and/or TABs), then non-blank
characters.  Fields are skipped before chars.

Note: 'uniq' does not detect repeated lines unless they are adjacent.
You may want to sort the input first, or use 'sort -u' without 'uniq'.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/uniq>
or available locally via: info '(coreutils) uniq invocation'
"##;

#[cfg(test)]
mod tests {
    use super::count_prefix;

    #[test]
    fn count_prefix_is_printf_7d_and_a_space() {
        let mut b = [0u8; 28];
        for n in [
            0,
            1,
            9,
            10,
            999_999,
            1_000_000,
            9_999_999,
            10_000_000,
            123_456_789,
            u64::MAX,
        ] {
            assert_eq!(count_prefix(n, &mut b), format!("{n:7} ").as_bytes());
        }
    }
}

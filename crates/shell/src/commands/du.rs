//! `du`: estimate file space usage (`-s`, `-h`, `-a`, `-c`, `-d N`, `-b`, `-k`, `-m`,
//! `--apparent-size`).

use std::collections::HashSet;

use super::common::{human, quote, quoteaf};
use crate::commands::util::{Arg, UsageError, parse_args};
use crate::commands::{Command, Ctx};

/// `du [OPTION]... [FILE]...`
pub struct Du;

/// How sizes are shown.
#[derive(Clone, Copy)]
enum Unit {
    /// Rounded up to blocks of this many bytes.
    Blocks(u64),
    /// `-h`: powers of 1024 with a suffix.
    Human,
}

struct Opts {
    all: bool,
    apparent: bool,
    max_depth: Option<u64>,
    unit: Unit,
    separate: bool,
}

impl Command for Du {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse_args(
            &ctx.args[1..],
            "d",
            "abchkmsS0xP",
            &[
                "all",
                "apparent-size",
                "bytes",
                "total",
                "max-depth=",
                "human-readable",
                "summarize",
                "separate-dirs",
                "one-file-system",
                "no-dereference",
                "null",
                "help",
                "version",
            ],
        ) {
            Ok(a) => a,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts {
            all: false,
            apparent: false,
            max_depth: None,
            unit: Unit::Blocks(1024),
            separate: false,
        };
        let (mut summarize, mut total, mut null) = (false, false, false);
        let mut files = Vec::new();
        for a in items {
            let (name, val) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (
                    match c {
                        'a' => "all",
                        'b' => "bytes",
                        'c' => "total",
                        'd' => "max-depth",
                        'h' => "human-readable",
                        'k' => "k",
                        'm' => "m",
                        's' => "summarize",
                        '0' => "null",
                        'S' => "separate-dirs",
                        _ => "noop",
                    }
                    .to_string(),
                    v,
                ),
                Arg::Long(n, v) => (n, v),
            };
            match name.as_str() {
                "help" => return emit(ctx, super::files_help::help("du")),
                "version" => return emit(ctx, super::files_help::version("du")),
                "all" => o.all = true,
                "apparent-size" => o.apparent = true,
                "bytes" => {
                    o.apparent = true;
                    o.unit = Unit::Blocks(1);
                }
                "total" => total = true,
                "human-readable" => o.unit = Unit::Human,
                "k" => o.unit = Unit::Blocks(1024),
                "m" => o.unit = Unit::Blocks(1024 * 1024),
                "summarize" => summarize = true,
                "null" => null = true,
                "separate-dirs" => o.separate = true,
                "max-depth" => {
                    let v = val.unwrap_or_default();
                    match parse_depth(&v) {
                        Some(n) => o.max_depth = Some(n),
                        None => {
                            return ctx.usage(
                                &UsageError(format!("invalid maximum depth {}", quote(&v))),
                                1,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        if summarize && o.all {
            return ctx.usage(
                &UsageError("cannot both summarize and show all entries".into()),
                1,
            );
        }
        if summarize {
            match o.max_depth {
                Some(0) => ctx.err("warning: summarizing is the same as using --max-depth=0"),
                Some(n) => {
                    return ctx.usage(
                        &UsageError(format!(
                            "warning: summarizing conflicts with --max-depth={n}"
                        )),
                        1,
                    );
                }
                None => {}
            }
            o.max_depth = Some(0);
        }
        if files.is_empty() {
            files.push(".".into());
        }
        let eol = if null { "\0" } else { "\n" };
        let hash_all = files.len() > 1;
        let mut seen: HashSet<u64> = HashSet::new();
        let mut status = 0;
        let mut grand = 0u64;
        for f in &files {
            match one(ctx, f, &o, hash_all, &mut seen, eol) {
                Ok((n, ok)) => {
                    grand += n;
                    if !ok {
                        status = 1;
                    }
                }
                Err(s) => return s,
            }
        }
        if total && let Err(s) = ctx.out(format!("{}\ttotal{eol}", show(grand, o.unit)).as_bytes())
        {
            return Ctx::stop_status(s);
        }
        status
    }
}

/// Sum and print one operand; returns its total and whether it went without error.
fn one(
    ctx: &Ctx<'_>,
    f: &str,
    o: &Opts,
    hash_all: bool,
    seen: &mut HashSet<u64>,
    eol: &str,
) -> Result<(u64, bool), i32> {
    let meta = match ctx.vfs.lstat(f) {
        Ok(m) => m,
        Err(e) => {
            ctx.err(&format!(
                "cannot access {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            return Ok((0, false));
        }
    };
    let entries: Vec<(String, vfs_core::Metadata, usize)> = if meta.is_dir() {
        match ctx.vfs.walk(f) {
            Ok(w) => w
                .into_iter()
                .map(|e| (e.path.to_string_lossy().into_owned(), e.metadata, e.depth))
                .collect(),
            Err(e) => {
                ctx.err(&format!(
                    "cannot read directory {}: {}",
                    quoteaf(f),
                    e.errno().message()
                ));
                return Ok((0, false));
            }
        }
    } else {
        vec![(f.to_string(), meta, 0)]
    };
    // Pre-order entries; a stack of open directories gets their totals.
    let mut stack: Vec<(String, usize, u64)> = Vec::new();
    let mut top_total = 0u64;
    let print = |path: &str, n: u64| -> Result<(), i32> {
        ctx.out(format!("{}\t{path}{eol}", show(n, o.unit)).as_bytes())
            .map_err(Ctx::stop_status)
    };
    let shown = |depth: usize| o.max_depth.is_none_or(|m| depth as u64 <= m);
    let close = |stack: &mut Vec<(String, usize, u64)>, top: &mut u64| -> Result<(), i32> {
        if let Some((p, d, n)) = stack.pop() {
            if shown(d) {
                print(&p, n)?;
            }
            match stack.last_mut() {
                Some(parent) => {
                    if !o.separate {
                        parent.2 += n;
                    }
                }
                None => *top = n,
            }
        }
        Ok(())
    };
    for (path, m, depth) in entries {
        if ctx.cancel.is_cancelled() {
            return Err(130);
        }
        while stack.last().is_some_and(|s| s.1 >= depth) {
            close(&mut stack, &mut top_total)?;
        }
        let dup = (hash_all || (!m.is_dir() && m.nlink > 1)) && !seen.insert(m.ino);
        let size = if dup {
            0
        } else if o.apparent {
            m.size
        } else {
            m.blocks * 512
        };
        if m.is_dir() {
            if dup {
                continue;
            }
            stack.push((path, depth, size));
        } else {
            if dup {
                continue;
            }
            if depth == 0 || (o.all && shown(depth)) {
                print(&path, size)?;
            }
            match stack.last_mut() {
                Some(parent) => parent.2 += size,
                None => top_total = size,
            }
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top_total)?;
    }
    Ok((top_total, true))
}

/// A size in bytes as shown with `unit`.
fn show(n: u64, unit: Unit) -> String {
    match unit {
        Unit::Human => human(n),
        Unit::Blocks(b) => n.div_ceil(b).to_string(),
    }
}

/// `--max-depth`'s value: a non-negative decimal, leading blanks and `+` allowed.
fn parse_depth(s: &str) -> Option<u64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

fn emit(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::commands::reg_misc::testutil::run_in;

    fn du(v: &vfs_core::Vfs, args: &[&str]) -> (String, String, i32) {
        run_in(v, &Du, args, b"", &BTreeMap::new())
    }

    #[test]
    fn directories() {
        let v = vfs_core::Vfs::new();
        v.create_dir_all("/d/s", 0o755).unwrap();
        v.write("/d/a", vec![b'x'; 5000]).unwrap();
        v.write("/d/s/b", vec![b'x'; 10]).unwrap();
        assert_eq!(du(&v, &["du", "/d"]).0, "4\t/d/s\n12\t/d\n");
        assert_eq!(
            du(&v, &["du", "-a", "/d"]).0,
            "8\t/d/a\n4\t/d/s/b\n4\t/d/s\n12\t/d\n"
        );
        assert_eq!(du(&v, &["du", "-s", "/d"]).0, "12\t/d\n");
        assert_eq!(du(&v, &["du", "-d", "0", "-h", "/d"]).0, "12K\t/d\n");
        assert_eq!(du(&v, &["du", "-S", "/d"]).0, "4\t/d/s\n8\t/d\n");
        assert_eq!(
            du(&v, &["du", "-sc", "/d", "/d/s"]).0,
            "12\t/d\n12\ttotal\n"
        );
    }
}

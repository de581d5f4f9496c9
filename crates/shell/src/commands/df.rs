//! `df`: report the in-memory filesystem's space usage (`-h`, `-H`, `-T`, `-i`, `-k`,
//! `-a`, `-l`, `--total`). There is one filesystem, `agentsh`, mounted on `/`.

use super::common::quotef;
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `df [OPTION]... [FILE]...`
pub struct Df;

/// How numbers are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Rounded up to blocks of this many bytes.
    Blocks(u64),
    /// `-h` (1024) or `-H` (1000) with a suffix.
    Human(u64),
}

impl Command for Df {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse_args(
            &ctx.args[1..],
            "tx",
            "aHhiklPT",
            &[
                "all",
                "human-readable",
                "si",
                "inodes",
                "local",
                "portability",
                "print-type",
                "total",
                "type=",
                "exclude-type=",
                "sync",
                "no-sync",
                "help",
                "version",
            ],
        ) {
            Ok(a) => a,
            Err(e) => return ctx.usage(&e, 1),
        };
        let (mut inodes, mut print_type, mut total) = (false, false, false);
        let mut unit = Unit::Blocks(1024);
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Operand(f) => files.push(f),
                Arg::Short('h', _) => unit = Unit::Human(1024),
                Arg::Short('H', _) => unit = Unit::Human(1000),
                Arg::Short('k', _) => unit = Unit::Blocks(1024),
                Arg::Short('i', _) => inodes = true,
                Arg::Short('T', _) => print_type = true,
                Arg::Short(..) => {}
                Arg::Long(n, _) => match n.as_str() {
                    "help" => return emit(ctx, super::files_help::help("df")),
                    "version" => return emit(ctx, super::files_help::version("df")),
                    "human-readable" => unit = Unit::Human(1024),
                    "si" => unit = Unit::Human(1000),
                    "inodes" => inodes = true,
                    "print-type" => print_type = true,
                    "total" => total = true,
                    _ => {}
                },
            }
        }
        let mut status = 0;
        let mut rows = 0;
        if files.is_empty() {
            rows = 1;
        }
        for f in &files {
            match ctx.vfs.stat(f) {
                Ok(_) => rows += 1,
                Err(e) => {
                    ctx.err(&format!("{}: {}", quotef(f), e.errno().message()));
                    status = 1;
                }
            }
        }
        if rows == 0 {
            // GNU only says so when no operand was diagnosed already.
            if status == 0 {
                ctx.err("no file systems processed");
            }
            return 1;
        }
        let (usage, limits) = (ctx.vfs.usage(), ctx.vfs.limits());
        // (total, used, available) in bytes, or inode counts.
        let (tot, used) = if inodes {
            (limits.max_inodes, usage.inodes.min(limits.max_inodes))
        } else {
            // Whole 4 KiB blocks, as tmpfs reports them.
            let total = limits.max_bytes / 4096;
            (total * 4096, usage.bytes.div_ceil(4096).min(total) * 4096)
        };
        let avail = tot - used;
        let mut table: Vec<Vec<String>> = Vec::new();
        let num = |n: u64| -> String {
            match unit {
                Unit::Human(base) => human_base(n, base),
                Unit::Blocks(b) if !inodes => n.div_ceil(b).to_string(),
                Unit::Blocks(_) => n.to_string(),
            }
        };
        let mut header = vec!["Filesystem".to_string()];
        if print_type {
            header.push("Type".into());
        }
        if inodes {
            header.extend(["Inodes", "IUsed", "IFree", "IUse%"].map(String::from));
        } else if matches!(unit, Unit::Human(_)) {
            header.extend(["Size", "Used", "Avail", "Use%"].map(String::from));
        } else {
            header.extend(["1K-blocks", "Used", "Available", "Use%"].map(String::from));
        }
        header.push("Mounted on".into());
        table.push(header);
        let row = |name: &str, mount: &str| -> Vec<String> {
            let mut r = vec![name.to_string()];
            if print_type {
                r.push(if mount == "-" { "-" } else { "tmpfs" }.into());
            }
            r.extend([num(tot), num(used), num(avail), percent(used, avail)]);
            r.push(mount.into());
            r
        };
        for _ in 0..rows {
            table.push(row("agentsh", "/"));
        }
        if total {
            // One filesystem: the total is that filesystem once.
            table.push(row("total", "-"));
        }
        let mins: &[usize] = if print_type {
            &[14, 4, 5, 5, 5, 4, 0]
        } else {
            &[14, 5, 5, 5, 4, 0]
        };
        let ncol = table[0].len();
        let widths: Vec<usize> = (0..ncol)
            .map(|c| {
                table
                    .iter()
                    .map(|r| r[c].len())
                    .max()
                    .unwrap_or(0)
                    .max(mins.get(c).copied().unwrap_or(0))
            })
            .collect();
        let left = |c: usize| c == 0 || c == ncol - 1 || (print_type && c == 1);
        let mut out = String::new();
        for r in &table {
            for (c, cell) in r.iter().enumerate() {
                if c > 0 {
                    out.push(' ');
                }
                if c == ncol - 1 {
                    out.push_str(cell);
                } else if left(c) {
                    out.push_str(&format!("{cell:<w$}", w = widths[c]));
                } else {
                    out.push_str(&format!("{cell:>w$}", w = widths[c]));
                }
            }
            out.push('\n');
        }
        if let Err(s) = ctx.out(out.as_bytes()) {
            return Ctx::stop_status(s);
        }
        status
    }
}

/// GNU's use percentage: `ceil(used * 100 / (used + avail))`, `-` when both are 0.
fn percent(used: u64, avail: u64) -> String {
    let whole = u128::from(used) + u128::from(avail);
    if whole == 0 {
        return "-".into();
    }
    let u = u128::from(used) * 100;
    format!("{}%", u.div_ceil(whole))
}

/// `-h`/`-H` output: rounded up, one decimal below 10, powers of `base`.
fn human_base(n: u64, base: u64) -> String {
    if base == 1024 {
        return super::common::human(n);
    }
    if n < 1000 {
        return n.to_string();
    }
    let units = ['k', 'M', 'G', 'T', 'P', 'E'];
    let mut v = n as f64 / 1000.0;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if v < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r < 10.0 {
            return format!("{r:.1}{}", units[i]);
        }
        return format!("{}{}", r as u64, units[i]);
    }
    let r = v.ceil();
    if r >= 1000.0 && i < units.len() - 1 {
        return format!("1.0{}", units[i + 1]);
    }
    format!("{}{}", r as u64, units[i])
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

    fn vfs() -> vfs_core::Vfs {
        let limits = vfs_core::Limits {
            max_bytes: 1 << 30,
            max_inodes: 1000,
            ..vfs_core::Limits::default()
        };
        let v = vfs_core::Vfs::builder().limits(limits).build();
        v.write("/f", vec![b'x'; 3000]).unwrap();
        v
    }

    fn df(v: &vfs_core::Vfs, args: &[&str]) -> (String, String, i32) {
        run_in(v, &Df, args, b"", &BTreeMap::new())
    }

    #[test]
    fn default_table() {
        let v = vfs();
        let (out, err, st) = df(&v, &["df"]);
        assert_eq!(
            out,
            "Filesystem     1K-blocks  Used Available Use% Mounted on\n\
             agentsh          1048576     4   1048572   1% /\n"
        );
        assert_eq!((err.as_str(), st), ("", 0));
    }

    #[test]
    fn human_type_inodes() {
        let v = vfs();
        assert_eq!(
            df(&v, &["df", "-h"]).0,
            "Filesystem      Size  Used Avail Use% Mounted on\n\
             agentsh         1.0G  4.0K  1.0G   1% /\n"
        );
        assert_eq!(
            df(&v, &["df", "-T"]).0,
            "Filesystem     Type  1K-blocks  Used Available Use% Mounted on\n\
             agentsh        tmpfs   1048576     4   1048572   1% /\n"
        );
        assert_eq!(
            df(&v, &["df", "-i"]).0,
            "Filesystem     Inodes IUsed IFree IUse% Mounted on\n\
             agentsh          1000     2   998    1% /\n"
        );
    }

    #[test]
    fn operands_and_errors() {
        let v = vfs();
        let (out, err, st) = df(&v, &["df", "/f", "nope"]);
        assert_eq!(out.lines().count(), 2);
        assert_eq!(err, "df: nope: No such file or directory\n");
        assert_eq!(st, 1);
        let (out, err, st) = df(&v, &["df", "nope"]);
        assert_eq!(out, "");
        assert_eq!(err, "df: nope: No such file or directory\n");
        assert_eq!(st, 1);
        assert_eq!(df(&v, &["df", "-q"]).2, 1);
        assert!(
            df(&v, &["df", "--version"])
                .0
                .starts_with("df (GNU coreutils) 9.1\n")
        );
        assert!(
            df(&v, &["df", "--help"])
                .0
                .starts_with("Usage: df [OPTION]... [FILE]...\n")
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0, 0), "-");
        assert_eq!(percent(1, 99), "1%");
        assert_eq!(percent(1, 1000), "1%");
        assert_eq!(percent(50, 50), "50%");
        assert_eq!(human_base(1500, 1000), "1.5k");
    }
}

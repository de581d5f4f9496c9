//! `rmdir`: remove empty directories (`-p`, `-v`, `--ignore-fail-on-non-empty`).

use super::common::{Parsed, parse, quoteaf};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `rmdir [OPTION]... DIRECTORY...`
pub struct Rmdir;

impl Command for Rmdir {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "",
            "pv",
            &[
                "parents",
                "verbose",
                "ignore-fail-on-non-empty",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut parents, mut verbose, mut ignore) = (false, false, false);
        let mut dirs = Vec::new();
        for a in items {
            match a {
                Arg::Short('p', _) => parents = true,
                Arg::Short('v', _) => verbose = true,
                Arg::Long(n, _) => match n.as_str() {
                    "parents" => parents = true,
                    "verbose" => verbose = true,
                    _ => ignore = true,
                },
                Arg::Operand(o) => dirs.push(o),
                Arg::Short(..) => {}
            }
        }
        if dirs.is_empty() {
            return super::common::missing_operand(ctx, 1);
        }
        let mut status = 0;
        for d in &dirs {
            let mut path = d.clone();
            loop {
                if verbose {
                    let line = format!("{}: removing directory, {}\n", ctx.name(), quoteaf(&path));
                    if ctx.out(line.as_bytes()).is_err() {
                        return 1;
                    }
                }
                if let Err(e) = ctx.vfs.rmdir(&path) {
                    let non_empty = matches!(
                        e.errno(),
                        vfs_core::Errno::NotEmpty | vfs_core::Errno::Exist
                    );
                    if !(ignore && non_empty) {
                        ctx.err(&format!(
                            "failed to remove {}: {}",
                            quoteaf(&path),
                            e.errno().message()
                        ));
                        status = 1;
                    }
                    break;
                }
                if !parents {
                    break;
                }
                let t = path.trim_end_matches('/');
                match t.rfind('/') {
                    Some(i) => {
                        let p = t[..i].trim_end_matches('/');
                        if p.is_empty() {
                            break;
                        }
                        path = p.to_string();
                    }
                    None => break,
                }
            }
        }
        status
    }
}

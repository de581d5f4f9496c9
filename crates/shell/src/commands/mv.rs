//! `mv`: move or rename files (`-f`, `-n`, `-v`, `-T`, `-t`, `-u`).

use super::backup;
use super::common::{Parsed, parse, quoteaf};
use super::target::{inside, pairs};
use crate::commands::util::{Arg, ask};
use crate::commands::{Command, Ctx};

/// `mv [OPTION]... SOURCE... DEST`
pub struct Mv;

impl Command for Mv {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "tS",
            "finvTubZ",
            // GNU's order, which "ambiguous; possibilities:" follows.
            &[
                "backup=?",
                "force",
                "interactive",
                "no-clobber",
                "no-target-directory",
                "strip-trailing-slashes",
                "suffix=",
                "target-directory=",
                "update",
                "verbose",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut no_clobber, mut verbose, mut no_target, mut update) = (false, false, false, false);
        let mut interactive = false;
        let mut b = backup::Backup::default();
        let mut target_dir = None;
        let mut ops = Vec::new();
        for a in items {
            match a {
                // The last of -f, -i and -n wins.
                Arg::Short(c @ ('f' | 'i' | 'n'), _) => {
                    no_clobber = c == 'n';
                    interactive = c == 'i';
                }
                Arg::Short('v', _) => verbose = true,
                Arg::Short('T', _) => no_target = true,
                Arg::Short('u', _) => update = true,
                Arg::Short('t', v) => target_dir = v,
                Arg::Short('b', _) => b.requested = Some(None),
                Arg::Short('S', v) => b.suffix = v,
                Arg::Long(n, v) => match n.as_str() {
                    "force" | "interactive" | "no-clobber" => {
                        no_clobber = n == "no-clobber";
                        interactive = n == "interactive";
                    }
                    "verbose" => verbose = true,
                    "no-target-directory" => no_target = true,
                    "target-directory" => target_dir = v,
                    "update" => update = true,
                    "backup" => b.requested = Some(v),
                    "suffix" => b.suffix = v,
                    _ => {}
                },
                Arg::Operand(o) => ops.push(o),
                Arg::Short(..) => {}
            }
        }
        let plan = match b.plan(ctx) {
            Ok(p) => p,
            Err(s) => return s,
        };
        let list = match pairs(ctx, ops, target_dir, no_target) {
            Ok(l) => l,
            Err(s) => return s,
        };
        let mut status = 0;
        for (src, dst) in &list {
            let sm = match ctx.vfs.lstat(src) {
                Ok(m) => m,
                Err(e) => {
                    ctx.err(&format!(
                        "cannot stat {}: {}",
                        quoteaf(src),
                        e.errno().message()
                    ));
                    status = 1;
                    continue;
                }
            };
            let dm = ctx.vfs.lstat(dst).ok();
            if let Some(dm) = dm {
                if dm.ino == sm.ino {
                    ctx.err(&format!(
                        "{} and {} are the same file",
                        quoteaf(src),
                        quoteaf(dst)
                    ));
                    status = 1;
                    continue;
                }
                if no_clobber || (update && dm.mtime >= sm.mtime) {
                    continue;
                }
                if interactive && !ask(ctx, &format!("overwrite {}? ", quoteaf(dst))) {
                    continue;
                }
                if dm.is_dir() && !sm.is_dir() {
                    ctx.err(&format!(
                        "cannot overwrite directory {} with non-directory",
                        quoteaf(dst)
                    ));
                    status = 1;
                    continue;
                }
                if !dm.is_dir() && sm.is_dir() {
                    ctx.err(&format!(
                        "cannot overwrite non-directory {} with directory {}",
                        quoteaf(dst),
                        quoteaf(src)
                    ));
                    status = 1;
                    continue;
                }
            }
            if sm.is_dir() && inside(ctx, src, dst) {
                ctx.err(&format!(
                    "cannot move {} to a subdirectory of itself, {}",
                    quoteaf(src),
                    quoteaf(dst)
                ));
                status = 1;
                continue;
            }
            let mut backed_up = None;
            if let Some(plan) = &plan
                && ctx.vfs.lstat(dst).is_ok()
            {
                match backup::make(ctx, plan, dst) {
                    Ok(name) => backed_up = Some(name),
                    Err(()) => {
                        status = 1;
                        continue;
                    }
                }
            }
            match ctx.vfs.rename(src, dst) {
                Ok(()) => {
                    if verbose {
                        let mut line = format!("renamed {} -> {}", quoteaf(src), quoteaf(dst));
                        if let Some(b) = &backed_up {
                            line.push_str(&format!(" (backup: {})", quoteaf(b)));
                        }
                        line.push('\n');
                        if let Err(s) = ctx.out(line.as_bytes()) {
                            return Ctx::stop_status(s);
                        }
                    }
                }
                Err(e) => {
                    ctx.err(&format!(
                        "cannot move {} to {}: {}",
                        quoteaf(src),
                        quoteaf(dst),
                        e.errno().message()
                    ));
                    status = 1;
                }
            }
        }
        status
    }
}

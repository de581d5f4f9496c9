//! `touch`: change file timestamps, creating missing files (`-a`, `-m`, `-c`, `-d DATE`,
//! `-t STAMP`, `-r FILE`, `-h`).

use vfs_core::{OpenOptions, SetTime, Timestamp};

use super::common::{Parsed, parse, parse_date, parse_stamp, quote, quoteaf, usage_msg, zone};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `touch [OPTION]... FILE...`
pub struct Touch;

impl Command for Touch {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "drt",
            "acfhm",
            &[
                "date=",
                "reference=",
                "time=",
                "no-create",
                "no-dereference",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut only_a, mut only_m, mut no_create, mut follow) = (false, false, false, true);
        let (mut date, mut stamp, mut reference) = (None, None, None);
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short('a', _) => only_a = true,
                Arg::Short('m', _) => only_m = true,
                Arg::Short('c', _) => no_create = true,
                Arg::Short('h', _) => follow = false,
                Arg::Short('d', v) => date = v,
                Arg::Short('t', v) => stamp = v,
                Arg::Short('r', v) => reference = v,
                Arg::Long(n, v) => match n.as_str() {
                    "date" => date = v,
                    "reference" => reference = v,
                    "no-create" => no_create = true,
                    "no-dereference" => follow = false,
                    "time" => match v.as_deref() {
                        Some("atime" | "access" | "use") => only_a = true,
                        Some("mtime" | "modify") => only_m = true,
                        Some(w) => {
                            ctx.err(&format!("invalid argument {} for '--time'", quote(w)));
                            let _ = ctx.stderr.write_all(
                                b"Valid arguments are:\n  - 'atime', 'access', 'use'\n  - 'mtime', 'modify'\n",
                            );
                            return usage_msg_tail(ctx);
                        }
                        None => {}
                    },
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if stamp.is_some() && (date.is_some() || reference.is_some()) {
            return usage_msg(ctx, "cannot specify times from more than one source", 1);
        }
        if files.is_empty() {
            return usage_msg(ctx, "missing file operand", 1);
        }
        let z = zone(ctx);
        let now = ctx.vfs.now();
        let (mut at, mut mt) = (SetTime::Now, SetTime::Now);
        if let Some(r) = &reference {
            match ctx.vfs.stat(r) {
                Ok(m) => {
                    at = SetTime::At(m.atime);
                    mt = SetTime::At(m.mtime);
                }
                Err(e) => {
                    ctx.err(&format!(
                        "failed to get attributes of {}: {}",
                        quoteaf(r),
                        e.errno().message()
                    ));
                    return 1;
                }
            }
        }
        if let Some(d) = &date {
            match parse_date(d, &z, now) {
                Some(t) => {
                    at = SetTime::At(t);
                    mt = SetTime::At(t);
                }
                None => {
                    ctx.err(&format!("invalid date format {}", quote(d)));
                    return 1;
                }
            }
        }
        if let Some(s) = &stamp {
            match parse_stamp(s, &z, now) {
                Some(t) => {
                    at = SetTime::At(t);
                    mt = SetTime::At(t);
                }
                None => {
                    ctx.err(&format!("invalid date format {}", quote(s)));
                    return 1;
                }
            }
        }
        if only_a && !only_m {
            mt = SetTime::Omit;
        } else if only_m && !only_a {
            at = SetTime::Omit;
        }
        let mut status = 0;
        for f in &files {
            if f == "-" {
                continue;
            }
            let exists = if follow {
                ctx.vfs.stat(f).is_ok()
            } else {
                ctx.vfs.lstat(f).is_ok()
            };
            if !exists {
                if no_create {
                    continue;
                }
                if !follow {
                    ctx.err(&format!(
                        "setting times of {}: No such file or directory",
                        quoteaf(f)
                    ));
                    status = 1;
                    continue;
                }
                let opts = OpenOptions::new().write(true).create(true).mode(0o666);
                if let Err(e) = ctx.vfs.open(f, &opts) {
                    ctx.err(&format!(
                        "cannot touch {}: {}",
                        quoteaf(f),
                        e.errno().message()
                    ));
                    status = 1;
                    continue;
                }
            }
            if let Err(e) = ctx.vfs.utimes(f, at, mt, follow) {
                ctx.err(&format!(
                    "setting times of {}: {}",
                    quoteaf(f),
                    e.errno().message()
                ));
                status = 1;
            }
        }
        let _ = Timestamp::EPOCH;
        status
    }
}

fn usage_msg_tail(ctx: &Ctx<'_>) -> i32 {
    let _ = ctx
        .stderr
        .write_all(format!("Try '{} --help' for more information.\n", ctx.name()).as_bytes());
    1
}

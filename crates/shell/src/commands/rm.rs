//! `rm`: remove files and directories (`-r`/`-R`, `-f`, `-d`, `-v`), refusing `/`,
//! `.` and `..` as GNU does.

use super::common::{Parsed, base_name, join, parse, quoteaf};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `rm [OPTION]... [FILE]...`
pub struct Rm;

struct Opts {
    force: bool,
    recursive: bool,
    dir: bool,
    verbose: bool,
    preserve_root: bool,
}

impl Command for Rm {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "",
            "frRdvIi",
            &[
                "force",
                "recursive",
                "dir",
                "verbose",
                "interactive=",
                "one-file-system",
                "no-preserve-root",
                "preserve-root",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut o = Opts {
            force: false,
            recursive: false,
            dir: false,
            verbose: false,
            preserve_root: true,
        };
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short('f', _) => o.force = true,
                Arg::Short('r' | 'R', _) => o.recursive = true,
                Arg::Short('d', _) => o.dir = true,
                Arg::Short('v', _) => o.verbose = true,
                Arg::Short('i' | 'I', _) => o.force = false,
                Arg::Long(n, _) => match n.as_str() {
                    "force" => o.force = true,
                    "recursive" => o.recursive = true,
                    "dir" => o.dir = true,
                    "verbose" => o.verbose = true,
                    "no-preserve-root" => o.preserve_root = false,
                    "preserve-root" => o.preserve_root = true,
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            if o.force {
                return 0;
            }
            return super::common::missing_operand(ctx, 1);
        }
        let mut status = 0;
        for f in &files {
            match remove_top(ctx, f, &o) {
                Ok(true) => {}
                Ok(false) => status = 1,
                Err(s) => return s,
            }
        }
        status
    }
}

/// Remove one operand; `Ok(false)` if something failed (already reported).
fn remove_top(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<bool, i32> {
    let b = base_name(f);
    if b == "." || b == ".." {
        ctx.err(&format!(
            "refusing to remove '.' or '..' directory: skipping {}",
            quoteaf(f)
        ));
        return Ok(false);
    }
    let meta = match ctx.vfs.lstat(f) {
        Ok(m) => m,
        Err(e) => {
            if o.force && e.errno() == vfs_core::Errno::NoEntry {
                return Ok(true);
            }
            ctx.err(&format!(
                "cannot remove {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            return Ok(false);
        }
    };
    if meta.is_dir() {
        if o.recursive {
            if o.preserve_root && ctx.vfs.canonicalize(f).is_ok_and(|p| p.as_os_str() == "/") {
                if f.trim_end_matches('/').is_empty() {
                    ctx.err("it is dangerous to operate recursively on '/'");
                } else {
                    ctx.err(&format!(
                        "it is dangerous to operate recursively on {} (same as '/')",
                        quoteaf(f)
                    ));
                }
                ctx.err("use --no-preserve-root to override this failsafe");
                return Ok(false);
            }
            return remove_tree(ctx, f, o);
        }
        if o.dir {
            return remove_dir(ctx, f, o);
        }
        ctx.err(&format!("cannot remove {}: Is a directory", quoteaf(f)));
        return Ok(false);
    }
    remove_file(ctx, f, o)
}

fn remove_file(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<bool, i32> {
    match ctx.vfs.unlink(f) {
        Ok(()) => {
            if o.verbose {
                say(ctx, &format!("removed {}\n", quoteaf(f)))?;
            }
            Ok(true)
        }
        Err(e) => {
            ctx.err(&format!(
                "cannot remove {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            Ok(false)
        }
    }
}

fn remove_dir(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<bool, i32> {
    match ctx.vfs.rmdir(f) {
        Ok(()) => {
            if o.verbose {
                say(ctx, &format!("removed directory {}\n", quoteaf(f)))?;
            }
            Ok(true)
        }
        Err(e) => {
            ctx.err(&format!(
                "cannot remove {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            Ok(false)
        }
    }
}

fn remove_tree(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<bool, i32> {
    if ctx.cancel.is_cancelled() {
        return Err(130);
    }
    let entries = match ctx.vfs.read_dir(f) {
        Ok(e) => e,
        Err(e) => {
            ctx.err(&format!(
                "cannot remove {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            return Ok(false);
        }
    };
    let mut ok = true;
    for e in entries {
        let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
        let p = join(f, &name);
        let r = if e.file_type.is_dir() {
            remove_tree(ctx, &p, o)?
        } else {
            remove_file(ctx, &p, o)?
        };
        ok &= r;
    }
    if !ok {
        return Ok(false);
    }
    remove_dir(ctx, f, o)
}

fn say(ctx: &Ctx<'_>, line: &str) -> Result<(), i32> {
    ctx.out(line.as_bytes()).map_err(Ctx::stop_status)
}

//! `mkdir`: make directories (`-p`, `-m MODE`, `-v`).

use std::path::Path;

use super::common::{Parsed, parse, quote, quoteaf};
use super::mode::{apply, parse_mode};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `mkdir [OPTION]... DIRECTORY...`
pub struct Mkdir;

impl Command for Mkdir {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "mZ",
            "pv",
            &["mode=", "parents", "verbose", "context=", "help", "version"],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut parents, mut verbose, mut mode_s) = (false, false, None);
        let mut dirs = Vec::new();
        for a in items {
            match a {
                Arg::Short('p', _) => parents = true,
                Arg::Short('v', _) => verbose = true,
                Arg::Short('m', v) => mode_s = v,
                Arg::Long(n, v) => match n.as_str() {
                    "parents" => parents = true,
                    "verbose" => verbose = true,
                    "mode" => mode_s = v,
                    _ => {}
                },
                Arg::Operand(o) => dirs.push(o),
                Arg::Short(..) => {}
            }
        }
        if dirs.is_empty() {
            return super::common::missing_operand(ctx, 1);
        }
        let umask = ctx.vfs.umask();
        let mode = match &mode_s {
            None => None,
            Some(m) => match parse_mode(m) {
                Some(spec) => Some(apply(&spec, 0o777, true, umask)),
                None => {
                    ctx.err(&format!("invalid mode {}", quote(m)));
                    return 1;
                }
            },
        };
        let mut status = 0;
        for d in &dirs {
            if parents {
                let mut prefix = String::new();
                let comps: Vec<&str> = d.split('/').collect();
                let n = comps.len();
                let mut failed = false;
                for (i, c) in comps.iter().enumerate() {
                    if i > 0 {
                        prefix.push('/');
                    }
                    prefix.push_str(c);
                    if c.is_empty() || *c == "." || *c == ".." {
                        continue;
                    }
                    let last = comps[i + 1..].iter().all(|c| c.is_empty());
                    if let Ok(m) = ctx.vfs.stat(&prefix) {
                        if m.is_dir() {
                            if last {
                                break;
                            }
                            continue;
                        }
                        let e = if last || i + 1 == n {
                            "File exists"
                        } else {
                            "Not a directory"
                        };
                        ctx.err(&format!("cannot create directory {}: {e}", quote(&prefix)));
                        failed = true;
                        break;
                    }
                    let m = if last {
                        mode.unwrap_or(0o777 & !umask)
                    } else {
                        (0o777 & !umask) | 0o300
                    };
                    if let Err(e) = create(ctx, &prefix, m, last && mode.is_some()) {
                        ctx.err(&format!(
                            "cannot create directory {}: {}",
                            quote(&prefix),
                            e.errno().message()
                        ));
                        failed = true;
                        break;
                    }
                    if verbose && say(ctx, &prefix).is_err() {
                        return 1;
                    }
                    if last {
                        break;
                    }
                }
                if failed {
                    status = 1;
                }
            } else {
                match create(ctx, d, mode.unwrap_or(0o777), mode.is_some()) {
                    Ok(()) => {
                        if verbose && say(ctx, d).is_err() {
                            return 1;
                        }
                    }
                    Err(e) => {
                        ctx.err(&format!(
                            "cannot create directory {}: {}",
                            quote(d),
                            e.errno().message()
                        ));
                        status = 1;
                    }
                }
            }
        }
        status
    }
}

fn create(ctx: &Ctx<'_>, path: &str, mode: u32, exact: bool) -> vfs_core::Result<()> {
    ctx.vfs.mkdir(Path::new(path), mode & 0o777)?;
    if exact {
        ctx.vfs.chmod(Path::new(path), mode)?;
    }
    Ok(())
}

fn say(ctx: &Ctx<'_>, path: &str) -> Result<(), ()> {
    let line = format!("{}: created directory {}\n", ctx.name(), quoteaf(path));
    ctx.out(line.as_bytes()).map_err(|_| ())
}

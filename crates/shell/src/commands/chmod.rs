//! `chmod`: change permission bits (octal or symbolic modes, `-R`, `-v`, `-c`, `-f`,
//! `--reference`).

use super::common::{Parsed, join, mode_string, parse_list, quote, quoteaf, quotef, usage_msg};
use super::mode::{ModeSpec, apply, parse_mode};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `chmod [OPTION]... MODE[,MODE]... FILE...`
pub struct Chmod;

struct Opts {
    recursive: bool,
    verbose: bool,
    changes: bool,
    quiet: bool,
}

impl Command for Chmod {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `-w`, `-x`, `-rwx` and the like are modes, not options.
        let mut args = Vec::new();
        let mut mode_from_dash = None;
        for a in &ctx.args[1..] {
            if mode_from_dash.is_none()
                && a.len() > 1
                && a.starts_with('-')
                && a[1..]
                    .bytes()
                    .all(|b| b"rwxXstugoa=+-,0123456789".contains(&b))
                && a[1..].bytes().any(|b| b"rwxXst".contains(&b))
            {
                mode_from_dash = Some(a.clone());
                continue;
            }
            args.push(a.clone());
        }
        let items = match parse_list(
            ctx,
            &args,
            "",
            "RvcfHLP",
            &[
                "recursive",
                "verbose",
                "changes",
                "silent",
                "quiet",
                "reference=",
                "preserve-root",
                "no-preserve-root",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut o = Opts {
            recursive: false,
            verbose: false,
            changes: false,
            quiet: false,
        };
        let mut reference = None;
        let mut ops = Vec::new();
        for a in items {
            match a {
                Arg::Short('R', _) => o.recursive = true,
                Arg::Short('v', _) => o.verbose = true,
                Arg::Short('c', _) => o.changes = true,
                Arg::Short('f', _) => o.quiet = true,
                Arg::Long(n, v) => match n.as_str() {
                    "recursive" => o.recursive = true,
                    "verbose" => o.verbose = true,
                    "changes" => o.changes = true,
                    "silent" | "quiet" => o.quiet = true,
                    "reference" => reference = v,
                    _ => {}
                },
                Arg::Operand(f) => ops.push(f),
                Arg::Short(..) => {}
            }
        }
        let mut spec_text = mode_from_dash;
        let mut fixed = None;
        if let Some(r) = &reference {
            match ctx.vfs.stat(r) {
                Ok(m) => fixed = Some(m.mode),
                Err(e) => {
                    ctx.err(&format!(
                        "failed to get attributes of {}: {}",
                        quoteaf(r),
                        e.errno().message()
                    ));
                    return 1;
                }
            }
        } else if spec_text.is_none() {
            if ops.is_empty() {
                return usage_msg(ctx, "missing operand", 1);
            }
            spec_text = Some(ops.remove(0));
        }
        if ops.is_empty() {
            let msg = match (&spec_text, reference.is_some()) {
                (Some(m), false) => format!("missing operand after {}", quote(m)),
                _ => "missing operand".into(),
            };
            return usage_msg(ctx, &msg, 1);
        }
        let spec = match fixed {
            Some(m) => ModeSpec::Octal(m, 5),
            None => {
                let t = spec_text.unwrap_or_default();
                match parse_mode(&t) {
                    Some(s) => s,
                    None => {
                        return usage_msg(ctx, &format!("invalid mode: {}", quote(&t)), 1);
                    }
                }
            }
        };
        let mut status = 0;
        for f in &ops {
            match change(ctx, f, &spec, &o, true) {
                Ok(true) => {}
                Ok(false) => status = 1,
                Err(s) => return s,
            }
        }
        status
    }
}

fn change(ctx: &Ctx<'_>, f: &str, spec: &ModeSpec, o: &Opts, top: bool) -> Result<bool, i32> {
    if ctx.cancel.is_cancelled() {
        return Err(130);
    }
    let lm = match ctx.vfs.lstat(f) {
        Ok(m) => m,
        Err(e) => {
            if !o.quiet {
                ctx.err(&format!(
                    "cannot access {}: {}",
                    quoteaf(f),
                    e.errno().message()
                ));
            }
            return Ok(false);
        }
    };
    if lm.is_symlink() && !top {
        if o.verbose {
            say(
                ctx,
                &format!(
                    "neither symbolic link {} nor referent has been changed\n",
                    quoteaf(f)
                ),
            )?;
        }
        return Ok(true);
    }
    let m = match ctx.vfs.stat(f) {
        Ok(m) => m,
        Err(e) => {
            if !o.quiet {
                ctx.err(&format!(
                    "cannot operate on dangling symlink {}",
                    quoteaf(f)
                ));
                let _ = e;
            }
            return Ok(false);
        }
    };
    let umask = ctx.vfs.umask();
    let new = apply(spec, m.mode, m.is_dir(), umask);
    let mut ok = true;
    if matches!(spec, ModeSpec::Symbolic(_)) {
        let naive = apply(spec, m.mode, m.is_dir(), 0);
        if naive != new && !o.quiet {
            let ms = |x: u32| mode_string(m.file_type, x)[1..].to_string();
            ctx.err(&format!(
                "{}: new permissions are {}, not {}",
                quotef(f),
                ms(new),
                ms(naive)
            ));
            ok = false;
        }
    }
    let r = ctx.vfs.chmod(f, new);
    if let Err(e) = &r {
        if !o.quiet {
            ctx.err(&format!(
                "changing permissions of {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
        }
        ok = false;
    }
    if r.is_ok() && (o.verbose || (o.changes && new != m.mode)) {
        let ms = |x: u32| mode_string(m.file_type, x)[1..].to_string();
        let line = if new != m.mode {
            format!(
                "mode of {} changed from {:04o} ({}) to {:04o} ({})\n",
                quoteaf(f),
                m.mode,
                ms(m.mode),
                new,
                ms(new)
            )
        } else {
            format!(
                "mode of {} retained as {:04o} ({})\n",
                quoteaf(f),
                new,
                ms(new)
            )
        };
        say(ctx, &line)?;
    }
    if ok && o.recursive && m.is_dir() && !lm.is_symlink() {
        let entries = match ctx.vfs.read_dir(f) {
            Ok(e) => e,
            Err(e) => {
                ctx.err(&format!(
                    "cannot read directory {}: {}",
                    quoteaf(f),
                    e.errno().message()
                ));
                return Ok(false);
            }
        };
        for e in entries {
            let p = join(f, &String::from_utf8_lossy(e.name_bytes()));
            ok &= change(ctx, &p, spec, o, false)?;
        }
    }
    Ok(ok)
}

fn say(ctx: &Ctx<'_>, line: &str) -> Result<(), i32> {
    ctx.out(line.as_bytes()).map_err(Ctx::stop_status)
}

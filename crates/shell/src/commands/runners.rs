//! Commands that only run another command here: `nice`, `nohup`, `stdbuf` (priorities,
//! hang-up signals and stdio buffering mean nothing in the sandbox), and `sync`.

use super::{Ctx, try_help};

/// Which runner.
pub enum Kind {
    Nice,
    Nohup,
    Stdbuf,
    Sync,
}

/// `nice`, `nohup`, `stdbuf` or `sync`.
pub struct Runner(pub Kind);

/// Run `argv` with the caller's stdio; `None` when no such command exists.
fn run_cmd(ctx: &Ctx<'_>, argv: &[String]) -> Option<i32> {
    if !super::env::exists(ctx, &argv[0], ctx.env) {
        return None;
    }
    Some((ctx.run)(
        argv,
        ctx.env,
        [ctx.stdin, ctx.stdout, ctx.stderr],
    ))
}

impl crate::commands::Command for Runner {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = ctx.args[1..].to_vec();
        match self.0 {
            Kind::Sync => 0,
            Kind::Nice => nice(ctx, &args),
            Kind::Nohup => {
                let rest = match args.first().map(|s| s.as_str()) {
                    Some("--") => &args[1..],
                    _ => &args[..],
                };
                if rest.is_empty() {
                    return try_help(ctx, "missing operand", 125);
                }
                match run_cmd(ctx, rest) {
                    Some(st) => st,
                    None => {
                        ctx.err(&format!(
                            "failed to run command '{}': No such file or directory",
                            rest[0]
                        ));
                        127
                    }
                }
            }
            Kind::Stdbuf => {
                let mut i = 0;
                let mut mode = false;
                while i < args.len() && args[i].starts_with('-') {
                    let a = &args[i];
                    i += 1;
                    if a == "--" {
                        break;
                    }
                    if ["-i", "-o", "-e"].contains(&a.as_str()) {
                        i += 1;
                    }
                    mode = true;
                }
                if !mode {
                    return try_help(ctx, "you must specify a buffering mode option", 125);
                }
                if i >= args.len() {
                    return try_help(ctx, "missing operand", 125);
                }
                match run_cmd(ctx, &args[i..]) {
                    Some(st) => st,
                    None => {
                        ctx.err(&format!(
                            "failed to run command '{}': No such file or directory",
                            args[i]
                        ));
                        127
                    }
                }
            }
        }
    }
}

fn nice(ctx: &Ctx<'_>, args: &[String]) -> i32 {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a == "-n" {
            if i + 1 >= args.len() {
                return try_help(ctx, "option requires an argument -- 'n'", 125);
            }
            i += 2;
        } else if a.starts_with("-n")
            || a.starts_with("--adjustment=")
            || a.len() > 1
                && a.starts_with('-')
                && a[1..]
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        {
            i += 1;
        } else {
            break;
        }
    }
    if i >= args.len() {
        return match ctx.out(b"0\n") {
            Ok(()) => 0,
            Err(s) => super::stopped(s),
        };
    }
    match run_cmd(ctx, &args[i..]) {
        Some(st) => st,
        None => {
            ctx.err(&format!("'{}': No such file or directory", args[i]));
            127
        }
    }
}

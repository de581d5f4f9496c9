//! `timeout`: run a command and stop it after a time limit. A registered command runs
//! with its own cancellation flag, raised at the deadline, so it ends when it next checks
//! it (sleeping and most waits do at once); builtins and scripts run through [`Ctx::run`]
//! without a limit for now.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::{Command, Ctx, Registry};
use super::sleep::parse_duration;
use super::{print_text, quote, version};
use crate::io::Cancel;

/// `timeout [OPTION] DURATION COMMAND [ARG]...`
pub struct Timeout;

fn try_help(ctx: &Ctx<'_>, msg: Option<&str>) -> i32 {
    if let Some(m) = msg {
        ctx.err(m);
    }
    let _ = ctx
        .stderr
        .write_all(b"Try 'timeout --help' for more information.\n");
    125
}

fn signal_number(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    Some(match name {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "PIPE" => 13,
        "ALRM" => 14,
        "TERM" => 15,
        "CONT" => 18,
        "STOP" => 19,
        _ => return None,
    })
}

impl Command for Timeout {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = ctx.args;
        let mut i = 1;
        let mut signal = 15;
        let mut preserve = false;
        while i < args.len() {
            let a = args[i].as_str();
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += 1;
            let (name, val) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (a, None),
            };
            let take = |i: &mut usize, inline: Option<String>| -> Option<String> {
                if inline.is_some() {
                    return inline;
                }
                let v = args.get(*i).cloned();
                *i += 1;
                v
            };
            match name {
                "--preserve-status" => preserve = true,
                "--foreground" | "-v" | "--verbose" => {}
                "--help" => return print_text(ctx, HELP),
                "--version" => return version(ctx, "timeout", "Written by Padraig Brady."),
                "--signal" | "--kill-after" => {
                    let Some(v) = take(&mut i, val) else {
                        return try_help(
                            ctx,
                            Some(&format!("option '{name}' requires an argument")),
                        );
                    };
                    if name == "--signal" {
                        match signal_number(&v) {
                            Some(n) => signal = n,
                            None => {
                                ctx.err(&format!("{}: invalid signal", quote(&v)));
                                return try_help(ctx, None);
                            }
                        }
                    }
                }
                _ if name.starts_with("--") => {
                    return try_help(ctx, Some(&format!("unrecognized option '{name}'")));
                }
                _ => {
                    let flags = &a[1..];
                    let c = flags.chars().next().unwrap_or('-');
                    match c {
                        's' | 'k' => {
                            let inline = (flags.len() > 1).then(|| flags[1..].to_string());
                            let Some(v) = take(&mut i, inline) else {
                                return try_help(
                                    ctx,
                                    Some(&format!("option requires an argument -- '{c}'")),
                                );
                            };
                            if c == 's' {
                                match signal_number(&v) {
                                    Some(n) => signal = n,
                                    None => {
                                        ctx.err(&format!("{}: invalid signal", quote(&v)));
                                        return try_help(ctx, None);
                                    }
                                }
                            } else if parse_duration(&v).is_none() {
                                return try_help(
                                    ctx,
                                    Some(&format!("invalid time interval {}", quote(&v))),
                                );
                            }
                        }
                        'v' => {}
                        _ => {
                            return try_help(ctx, Some(&format!("invalid option -- '{c}'")));
                        }
                    }
                }
            }
        }
        let rest = &args[i..];
        if rest.len() < 2 {
            return try_help(ctx, None);
        }
        let Some(limit) = parse_duration(&rest[0]) else {
            return try_help(
                ctx,
                Some(&format!("invalid time interval {}", quote(&rest[0]))),
            );
        };
        let command = &rest[1..];
        // execvp of a path naming a directory or a file without execute permission.
        if command[0].contains('/')
            && ctx
                .vfs
                .stat(&command[0])
                .is_ok_and(|m| m.file_type.is_dir() || m.mode & 0o111 == 0)
        {
            ctx.err(&format!(
                "failed to run command {}: Permission denied",
                quote(&command[0])
            ));
            return 126;
        }
        let child = Cancel::new();
        let done = Arc::new(AtomicBool::new(false));
        let fired = Arc::new(AtomicBool::new(false));
        if limit > 0.0 && limit.is_finite() {
            let (c, d, f, parent) = (
                child.clone(),
                done.clone(),
                fired.clone(),
                ctx.cancel.clone(),
            );
            let deadline =
                std::time::Instant::now() + std::time::Duration::from_secs_f64(limit.min(1e9));
            std::thread::spawn(move || {
                while !d.load(Ordering::SeqCst) {
                    if parent.is_cancelled() {
                        c.cancel();
                        return;
                    }
                    if std::time::Instant::now() >= deadline {
                        f.store(true, Ordering::SeqCst);
                        c.cancel();
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            });
        } else {
            let (c, d, parent) = (child.clone(), done.clone(), ctx.cancel.clone());
            std::thread::spawn(move || {
                while !d.load(Ordering::SeqCst) {
                    if parent.is_cancelled() {
                        c.cancel();
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            });
        }
        let st = if !super::env::exists(ctx, &command[0], ctx.env) {
            None
        } else if let Some(cmd) = Registry::standard().get(&command[0]) {
            let mut sub = Ctx {
                args: command,
                vfs: ctx.vfs,
                env: ctx.env,
                stdin: ctx.stdin,
                stdout: ctx.stdout,
                stderr: ctx.stderr,
                cancel: &child,
                deadline: ctx.deadline,
                run: ctx.run,
            };
            Some(cmd.run(&mut sub))
        } else {
            Some((ctx.run)(
                command,
                ctx.env,
                [ctx.stdin, ctx.stdout, ctx.stderr],
            ))
        };
        done.store(true, Ordering::SeqCst);
        let Some(st) = st else {
            ctx.err(&format!(
                "failed to run command {}: No such file or directory",
                quote(&command[0])
            ));
            return 127;
        };
        if ctx.cancel.is_cancelled() {
            return 130;
        }
        if fired.load(Ordering::SeqCst) {
            if signal == 9 {
                return 137;
            }
            return if preserve { 128 + signal } else { 124 };
        }
        st
    }
}

const HELP: &str = r#"Usage: timeout [OPTION] DURATION COMMAND [ARG]...
  or:  timeout [OPTION]
Start COMMAND, and kill it if still running after DURATION.

Mandatory arguments to long options are mandatory for short options too.
      --preserve-status
                 exit with the same status as COMMAND, even when the
                   command times out
      --foreground
                 when not running timeout directly from a shell prompt,
                   allow COMMAND to read from the TTY and get TTY signals;
                   in this mode, children of COMMAND will not be timed out
  -k, --kill-after=DURATION
                 also send a KILL signal if COMMAND is still running
                   this long after the initial signal was sent
  -s, --signal=SIGNAL
                 specify the signal to be sent on timeout;
                   SIGNAL may be a name like 'HUP' or a number;
                   see 'kill -l' for a list of signals
  -v, --verbose  diagnose to stderr any signal sent upon timeout
      --help        display this help and exit
      --version     output version information and exit

DURATION is a floating point number with an optional suffix:
's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.
A duration of 0 disables the associated timeout.

Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.
The TERM signal kills any process that does not block or catch that signal.
It may be necessary to use the KILL signal, since this signal can't be caught.

EXIT status:
  124  if COMMAND times out, and --preserve-status is not specified
  125  if the timeout command itself fails
  126  if COMMAND is found but cannot be invoked
  127  if COMMAND cannot be found
  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)
  -    the exit status of COMMAND otherwise

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/timeout>
or available locally via: info '(coreutils) timeout invocation'
"#;

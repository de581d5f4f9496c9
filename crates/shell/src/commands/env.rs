//! `env`: print or change the environment and run a command in it (through
//! [`Ctx::run`], after checking that `PATH` has it, so a missing command gets GNU's
//! message and status 127).

use std::collections::BTreeMap;

use super::super::{Command, Ctx, Registry};
use super::{print_text, quote, try_help, version};

/// `env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]`
pub struct Env;

const AUTHORS: &str = "Written by Richard Mlynarik, David MacKenzie, and Assaf Gordon.";

impl Command for Env {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = ctx.args;
        let mut vars: Vec<(String, String)> = ctx
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut nul = false;
        let mut ignore = false;
        let mut unset: Vec<String> = Vec::new();
        let mut chdir: Option<String> = None;
        let mut split: Option<String> = None;
        let mut i = 1;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            if a == "-" || !a.starts_with('-') {
                break;
            }
            i += 1;
            if let Some(body) = a.strip_prefix("--") {
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (body, None),
                };
                let longs = [
                    "ignore-environment",
                    "null",
                    "unset=",
                    "chdir=",
                    "split-string=",
                    "debug",
                    "help",
                    "version",
                    "default-signal",
                    "ignore-signal",
                    "block-signal",
                    "list-signal-handling",
                ];
                let exact: Vec<&&str> = longs
                    .iter()
                    .filter(|l| l.trim_end_matches('=') == name)
                    .collect();
                let m: Vec<&&str> = if exact.is_empty() {
                    longs
                        .iter()
                        .filter(|l| l.trim_end_matches('=').starts_with(name))
                        .collect()
                } else {
                    exact
                };
                if m.is_empty() {
                    return try_help(ctx, &format!("unrecognized option '{a}'"), 125);
                }
                if m.len() > 1 {
                    return try_help(ctx, &format!("option '--{name}' is ambiguous"), 125);
                }
                let full = m[0].trim_end_matches('=');
                let value = if m[0].ends_with('=') {
                    match value {
                        Some(v) => Some(v),
                        None => match args.get(i) {
                            Some(v) => {
                                i += 1;
                                Some(v.clone())
                            }
                            None => {
                                return try_help(
                                    ctx,
                                    &format!("option '--{full}' requires an argument"),
                                    125,
                                );
                            }
                        },
                    }
                } else {
                    if value.is_some() && !full.ends_with("signal") {
                        return try_help(
                            ctx,
                            &format!("option '--{full}' doesn't allow an argument"),
                            125,
                        );
                    }
                    None
                };
                match full {
                    "ignore-environment" => ignore = true,
                    "null" => nul = true,
                    "unset" => unset.push(value.unwrap_or_default()),
                    "chdir" => chdir = value,
                    "split-string" => split = value,
                    "help" => return print_text(ctx, HELP),
                    "version" => return version(ctx, "env", AUTHORS),
                    _ => {}
                }
                continue;
            }
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                match c {
                    'i' => ignore = true,
                    '0' => nul = true,
                    'v' => {}
                    'u' | 'C' | 'S' => {
                        let rest: String = chars[k..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return try_help(
                                ctx,
                                &format!("option requires an argument -- '{c}'"),
                                125,
                            );
                        };
                        match c {
                            'u' => unset.push(v),
                            'C' => chdir = Some(v),
                            _ => split = Some(v),
                        }
                        break;
                    }
                    _ => {
                        return try_help(ctx, &format!("invalid option -- '{c}'"), 125);
                    }
                }
            }
        }
        let mut rest: Vec<String> = args[i..].to_vec();
        if rest.first().is_some_and(|a| a == "-") {
            ignore = true;
            rest.remove(0);
        }
        if let Some(s) = split {
            match split_string(&s) {
                Ok(mut words) => {
                    words.extend(rest);
                    rest = words;
                }
                Err(msg) => {
                    ctx.err(&msg);
                    return 125;
                }
            }
        }
        if ignore {
            vars.clear();
        }
        for u in &unset {
            if u.is_empty() || u.contains('=') {
                ctx.err(&format!("cannot unset {}: Invalid argument", quote(u)));
                return 125;
            }
            vars.retain(|(k, _)| k != u);
        }
        let mut j = 0;
        while j < rest.len() {
            let Some((k, v)) = rest[j].split_once('=') else {
                break;
            };
            match vars.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => vars.push((k.to_string(), v.to_string())),
            }
            j += 1;
        }
        let command = &rest[j..];
        if command.is_empty() {
            if chdir.is_some() {
                return try_help(ctx, "must specify command with --chdir (-C)", 125);
            }
            let mut out = Vec::new();
            for (k, v) in &vars {
                out.extend_from_slice(k.as_bytes());
                out.push(b'=');
                out.extend_from_slice(v.as_bytes());
                out.push(if nul { 0 } else { b'\n' });
            }
            return match ctx.out(&out) {
                Ok(()) => 0,
                Err(stop) => Ctx::stop_status(stop),
            };
        }
        if nul {
            return try_help(ctx, "cannot specify --null (-0) with command", 125);
        }
        if let Some(dir) = &chdir {
            match ctx.vfs.stat(dir) {
                Ok(m) if m.file_type.is_dir() => {
                    ctx.err(&format!(
                        "cannot change directory to {}: not supported yet",
                        quote(dir)
                    ));
                    return 125;
                }
                Ok(_) => {
                    ctx.err(&format!(
                        "cannot change directory to {}: Not a directory",
                        quote(dir)
                    ));
                    return 125;
                }
                Err(e) => {
                    ctx.err(&format!(
                        "cannot change directory to {}: {}",
                        quote(dir),
                        e.errno().message()
                    ));
                    return 125;
                }
            }
        }
        let env: BTreeMap<String, String> = vars.into_iter().collect();
        if !exists(ctx, &command[0], &env) {
            ctx.err(&format!(
                "{}: No such file or directory",
                quote(&command[0])
            ));
            return 127;
        }
        (ctx.run)(command, &env, [ctx.stdin, ctx.stdout, ctx.stderr])
    }
}

/// Programs bash has as builtins that also exist as files on a Debian system.
pub(super) const ALSO_PROGRAMS: [&str; 11] = [
    "echo", "printf", "true", "false", "test", "[", "kill", "pwd", "bash", "sh", "which",
];

/// Whether `name` names something `execvp` would find with `PATH` from `env`: a
/// registered command or one of [`ALSO_PROGRAMS`] (they stand in `/usr/bin` and `/bin`),
/// or a file in the VFS.
pub(super) fn exists(ctx: &Ctx<'_>, name: &str, env: &BTreeMap<String, String>) -> bool {
    if name.contains('/') {
        let base = name.rsplit('/').next().unwrap_or(name);
        if (name == format!("/usr/bin/{base}") || name == format!("/bin/{base}"))
            && (Registry::standard().get(base).is_some() || ALSO_PROGRAMS.contains(&base))
        {
            return true;
        }
        return ctx.vfs.stat(name).is_ok_and(|m| !m.file_type.is_dir());
    }
    if name.is_empty() {
        return false;
    }
    let path = env.get("PATH").map_or("/usr/bin:/bin", String::as_str);
    let registered = Registry::standard().get(name).is_some() || ALSO_PROGRAMS.contains(&name);
    path.split(':').any(|dir| {
        let dir = if dir.is_empty() { "." } else { dir };
        ((dir == "/usr/bin" || dir == "/bin") && registered)
            || ctx
                .vfs
                .stat(format!("{dir}/{name}"))
                .is_ok_and(|m| !m.file_type.is_dir())
    })
}

/// `env -S`: split a string into words as GNU does (quotes, backslash escapes, `${VAR}`
/// is not expanded here).
fn split_string(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if have {
                    words.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            '\'' => {
                have = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("no terminating quote in -S string".into()),
                    }
                }
            }
            '"' => {
                have = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => cur.push('\n'),
                            Some('t') => cur.push('\t'),
                            Some(x) => cur.push(x),
                            None => return Err("no terminating quote in -S string".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("no terminating quote in -S string".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('n') => {
                    have = true;
                    cur.push('\n');
                }
                Some('t') => {
                    have = true;
                    cur.push('\t');
                }
                Some('_') => {
                    if have {
                        words.push(std::mem::take(&mut cur));
                        have = false;
                    }
                }
                Some('c') => break,
                Some(x) => {
                    have = true;
                    cur.push(x);
                }
                None => return Err("invalid backslash at end of string in -S".into()),
            },
            _ => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        words.push(cur);
    }
    Ok(words)
}

const HELP: &str = r#"Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Set each NAME to VALUE in the environment and run COMMAND.

Mandatory arguments to long options are mandatory for short options too.
  -i, --ignore-environment  start with an empty environment
  -0, --null           end each output line with NUL, not newline
  -u, --unset=NAME     remove variable from the environment
  -C, --chdir=DIR      change working directory to DIR
  -S, --split-string=S  process and split S into separate arguments;
                        used to pass multiple arguments on shebang lines
      --block-signal[=SIG]    block delivery of SIG signal(s) to COMMAND
      --default-signal[=SIG]  reset handling of SIG signal(s) to the default
      --ignore-signal[=SIG]   set handling of SIG signal(s) to do nothing
      --list-signal-handling  list non default signal handling to stderr
  -v, --debug          print verbose information for each processing step
      --help        display this help and exit
      --version     output version information and exit

A mere - implies -i.  If no COMMAND, print the resulting environment.

SIG may be a signal name like 'PIPE', or a signal number like '13'.
Without SIG, all known signals are included.  Multiple signals can be
comma-separated.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/env>
or available locally via: info '(coreutils) env invocation'
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    #[test]
    fn prints_and_sets() {
        let (o, _, st) = run(&Env, &["env", "-i", "B=2", "A=1", "B=3"], b"");
        assert_eq!((o.as_str(), st), ("B=3\nA=1\n", 0));
        let (_, e, st) = run(&Env, &["env", "-u"], b"");
        assert_eq!(st, 125);
        assert!(e.starts_with("env: option requires an argument -- 'u'\n"));
        let (_, e, st) = run(&Env, &["env", "nope"], b"");
        assert_eq!(
            (e.as_str(), st),
            ("env: 'nope': No such file or directory\n", 127)
        );
        let (o, _, st) = run(&Env, &["env", "-i", "X=1", "printenv", "X"], b"");
        assert_eq!((o.as_str(), st), ("1\n", 0));
    }
}

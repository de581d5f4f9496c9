//! `mktemp`: create a temporary file or directory (`-d`, `-p DIR`, `-t`, `-q`, `-u`,
//! `--suffix`).

use super::common::quote;
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};
use crate::io::Fd;

/// `mktemp [OPTION]... [TEMPLATE]`
pub struct Mktemp;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Command for Mktemp {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        // `--tmpdir` takes an optional argument: without `=` it has none.
        let mut args: Vec<String> = Vec::new();
        let mut done = false;
        for a in &ctx.args[1..] {
            if a == "--" {
                done = true;
            }
            if !done && a.len() > 3 && "--tmpdir".starts_with(a.as_str()) {
                args.push("--tmpdir=".into());
            } else {
                args.push(a.clone());
            }
        }
        let items = match parse_args(
            &args,
            "p",
            "dqtuV",
            &[
                "directory",
                "quiet",
                "dry-run",
                "suffix=",
                "tmpdir=",
                "help",
                "version",
            ],
        ) {
            Ok(a) => a,
            Err(e) => return ctx.usage(&e, 1),
        };
        let (mut dir, mut quiet, mut dry, mut opt_t, mut use_dir) =
            (false, false, false, false, false);
        let mut dir_arg: Option<String> = None;
        let mut suffix_opt: Option<String> = None;
        let mut templates = Vec::new();
        for a in items {
            match a {
                Arg::Short('d', _) => dir = true,
                Arg::Short('q', _) => quiet = true,
                Arg::Short('u', _) => dry = true,
                Arg::Short('t', _) => {
                    use_dir = true;
                    opt_t = true;
                }
                Arg::Short('p', v) => {
                    use_dir = true;
                    dir_arg = v;
                }
                Arg::Short('V', _) => return emit(ctx, super::files_help::version("mktemp")),
                Arg::Short(..) => {}
                Arg::Long(n, v) => match n.as_str() {
                    "help" => return emit(ctx, super::files_help::help("mktemp")),
                    "version" => return emit(ctx, super::files_help::version("mktemp")),
                    "directory" => dir = true,
                    "quiet" => quiet = true,
                    "dry-run" => dry = true,
                    "suffix" => suffix_opt = v,
                    _ => {
                        use_dir = true;
                        dir_arg = v;
                    }
                },
                Arg::Operand(o) => templates.push(o),
            }
        }
        if templates.len() >= 2 {
            return ctx.usage(
                &crate::commands::util::UsageError("too many templates".into()),
                1,
            );
        }
        let template = match templates.pop() {
            Some(t) => t,
            None => {
                use_dir = true;
                "tmp.XXXXXXXXXX".to_string()
            }
        };
        let (template, suffix_len) = match &suffix_opt {
            Some(s) => {
                if !template.ends_with('X') {
                    ctx.err(&format!(
                        "with --suffix, template {} must end in X",
                        quote(&template)
                    ));
                    return 1;
                }
                (format!("{template}{s}"), s.len())
            }
            None => {
                let n = match template.rfind('X') {
                    Some(i) => template.len() - i - 1,
                    None => template.len(),
                };
                (template, n)
            }
        };
        let stem_len = template.len() - suffix_len;
        let suffix = &template[stem_len..];
        if !suffix.is_empty() && suffix.contains('/') {
            let comp = suffix.trim_end_matches('/');
            if comp.contains('/') || comp.is_empty() && suffix.starts_with('/') {
                ctx.err(&format!(
                    "invalid suffix {}, contains directory separator",
                    quote(suffix)
                ));
                return 1;
            }
        }
        let x_count = template.as_bytes()[..stem_len]
            .iter()
            .rev()
            .take_while(|&&b| b == b'X')
            .count();
        if x_count < 3 {
            ctx.err(&format!("too few X's in template {}", quote(&template)));
            return 1;
        }
        let mut name = template.clone();
        if use_dir {
            let env_dir = ctx.env.get("TMPDIR").filter(|s| !s.is_empty());
            let arg_dir = dir_arg.as_ref().filter(|s| !s.is_empty());
            let dest = if opt_t {
                let t = template.trim_end_matches('/');
                if t.contains('/') {
                    ctx.err(&format!(
                        "invalid template, {}, contains directory separator",
                        quote(&template)
                    ));
                    return 1;
                }
                env_dir.or(arg_dir).map_or("/tmp", String::as_str)
            } else {
                if template.starts_with('/') {
                    ctx.err(&format!(
                        "invalid template, {}; with --tmpdir, it may not be absolute",
                        quote(&template)
                    ));
                    return 1;
                }
                arg_dir.or(env_dir).map_or("/tmp", String::as_str)
            };
            name = super::common::join(dest, &template);
        }
        let xs_end = name.len() - suffix_len;
        let xs_start = xs_end - x_count;
        let what = if dir { "directory" } else { "file" };
        let mut last_err = vfs_core::Errno::Exist;
        for _ in 0..100 {
            let cand = format!(
                "{}{}{}",
                &name[..xs_start],
                random_chars(x_count),
                &name[xs_end..]
            );
            let res = if dry {
                match ctx.vfs.lstat(&cand) {
                    Ok(_) => Err(vfs_core::Errno::Exist),
                    Err(e) if e.errno() == vfs_core::Errno::NoEntry => Ok(()),
                    Err(e) => Err(e.errno()),
                }
            } else if dir {
                ctx.vfs.mkdir(&cand, 0o700).map_err(|e| e.errno())
            } else {
                let opts = vfs_core::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .mode(0o600);
                ctx.vfs.open(&cand, &opts).map(drop).map_err(|e| e.errno())
            };
            match res {
                Ok(()) => {
                    return match ctx.out(format!("{cand}\n").as_bytes()) {
                        Ok(()) => 0,
                        Err(s) => Ctx::stop_status(s),
                    };
                }
                Err(vfs_core::Errno::Exist) => last_err = vfs_core::Errno::Exist,
                Err(e) => {
                    last_err = e;
                    break;
                }
            }
        }
        if !quiet {
            ctx.err(&format!(
                "failed to create {what} via template {}: {}",
                quote(&name),
                last_err.message()
            ));
        }
        1
    }
}

/// `n` random characters from `[A-Za-z0-9]`.
fn random_chars(n: usize) -> String {
    let mut buf = vec![0u8; n];
    let mut out = String::with_capacity(n);
    let mut filled = 0;
    while out.len() < n {
        if filled == 0 {
            let _ = Fd::Random.read(&mut buf);
            filled = buf.len();
        }
        filled -= 1;
        let b = buf[filled];
        // Rejection sampling keeps the 62 characters equally likely.
        if usize::from(b) < 62 * 4 {
            out.push(char::from(ALPHABET[usize::from(b) % 62]));
        }
    }
    out
}

fn emit(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

//! `realpath`: print resolved absolute paths (`-e`, `-m`, `-s`, `-z`, `-q`,
//! `--relative-to`, `--relative-base`). Also the canonicalizer `readlink -f/-e/-m` uses.

use std::collections::VecDeque;

use vfs_core::Errno;

use super::common::{Parsed, parse, quotef};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `realpath [OPTION]... FILE...`
pub struct Realpath;

/// Canonicalize `path`: mode `e` needs every component, `f` all but the last, `m` none;
/// `s` resolves lexically without following symlinks.
pub(super) fn canon(ctx: &Ctx<'_>, path: &str, mode: char) -> Result<String, Errno> {
    if path.is_empty() {
        return Err(Errno::NoEntry);
    }
    let mut comps: VecDeque<String> = VecDeque::new();
    if !path.starts_with('/') {
        let cwd = ctx.vfs.cwd().map_err(|e| e.errno())?;
        for c in cwd.to_string_lossy().split('/') {
            comps.push_back(c.to_string());
        }
    }
    for c in path.split('/') {
        comps.push_back(c.to_string());
    }
    let mut out: Vec<String> = Vec::new();
    let mut hops = 0;
    let mut missing = false;
    while let Some(c) = comps.pop_front() {
        if c.is_empty() || c == "." {
            continue;
        }
        if c == ".." {
            out.pop();
            continue;
        }
        let cand = format!("/{}", {
            let mut v = out.clone();
            v.push(c.clone());
            v.join("/")
        });
        let rest_nonempty = comps.iter().any(|x| !x.is_empty() && x != ".");
        if missing || mode == 's' {
            out.push(c);
            continue;
        }
        match ctx.vfs.lstat(&cand) {
            Ok(m) if m.is_symlink() => {
                hops += 1;
                if hops > 40 {
                    if mode == 'm' {
                        out.push(c);
                        continue;
                    }
                    return Err(Errno::Loop);
                }
                let t = ctx
                    .vfs
                    .read_link(&cand)
                    .map_err(|e| e.errno())?
                    .to_string_lossy()
                    .into_owned();
                if t.starts_with('/') {
                    out.clear();
                }
                for x in t.split('/').rev() {
                    comps.push_front(x.to_string());
                }
            }
            Ok(m) => {
                if !m.is_dir() && rest_nonempty && mode != 'm' {
                    return Err(Errno::NotDirectory);
                }
                out.push(c);
            }
            Err(e) => {
                let e = e.errno();
                match mode {
                    'm' => {
                        missing = true;
                        out.push(c);
                    }
                    'f' if e == Errno::NoEntry && !rest_nonempty => out.push(c),
                    _ => return Err(e),
                }
            }
        }
    }
    Ok(format!("/{}", out.join("/")))
}

fn relative(path: &str, base: &str) -> String {
    let p: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let b: Vec<&str> = base.split('/').filter(|c| !c.is_empty()).collect();
    let common = p.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; b.len() - common];
    parts.extend(&p[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

impl Command for Realpath {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "",
            "emLPqsz",
            &[
                "canonicalize-existing",
                "canonicalize-missing",
                "logical",
                "physical",
                "quiet",
                "strip",
                "no-symlinks",
                "zero",
                "relative-to=",
                "relative-base=",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut mode, mut strip, mut quiet, mut zero) = ('f', false, false, false);
        let (mut rel_to, mut rel_base) = (None, None);
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short(c @ ('e' | 'm'), _) => mode = c,
                Arg::Short('s', _) => strip = true,
                Arg::Short('q', _) => quiet = true,
                Arg::Short('z', _) => zero = true,
                Arg::Long(n, v) => match n.as_str() {
                    "canonicalize-existing" => mode = 'e',
                    "canonicalize-missing" => mode = 'm',
                    "strip" | "no-symlinks" => strip = true,
                    "quiet" => quiet = true,
                    "zero" => zero = true,
                    "relative-to" => rel_to = v,
                    "relative-base" => rel_base = v,
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            return super::common::missing_operand(ctx, 1);
        }
        let eff = if strip { 's' } else { mode };
        let resolve_dir = |d: &Option<String>| -> Result<Option<String>, i32> {
            match d {
                None => Ok(None),
                Some(d) => match canon(ctx, d, if strip { 's' } else { mode }) {
                    Ok(p) => Ok(Some(p)),
                    Err(e) => {
                        ctx.err(&format!("{}: {}", quotef(d), e.message()));
                        Err(1)
                    }
                },
            }
        };
        let rel_to = match resolve_dir(&rel_to) {
            Ok(v) => v,
            Err(s) => return s,
        };
        let mut rel_base = match resolve_dir(&rel_base) {
            Ok(v) => v,
            Err(s) => return s,
        };
        if let (Some(t), Some(b)) = (&rel_to, &rel_base)
            && !under(t, b)
        {
            rel_base = None;
        }
        let rel_to = rel_to.or_else(|| rel_base.clone());
        let mut status = 0;
        for f in &files {
            match canon(ctx, f, eff) {
                Ok(p) => {
                    let shown = match (&rel_to, &rel_base) {
                        (Some(t), Some(b)) if !under(&p, b) => p,
                        (Some(t), _) => relative(&p, t),
                        _ => p,
                    };
                    let mut line = shown.into_bytes();
                    line.push(if zero { 0 } else { b'\n' });
                    if let Err(s) = ctx.out(&line) {
                        return Ctx::stop_status(s);
                    }
                }
                Err(e) => {
                    if !quiet {
                        ctx.err(&format!("{}: {}", quotef(f), e.message()));
                    }
                    status = 1;
                }
            }
        }
        status
    }
}

fn under(p: &str, base: &str) -> bool {
    base == "/" || p == base || p.starts_with(&format!("{base}/"))
}

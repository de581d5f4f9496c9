//! `ln`: make hard or symbolic links (`-s`, `-f`, `-i`, `-b`, `-n`, `-v`, `-r`, `-T`, `-t`).

use super::backup;
use super::common::{Parsed, base_name, join, parse, quoteaf, quotef, usage_msg};
use crate::commands::util::{Arg, ask};
use crate::commands::{Command, Ctx};

/// `ln [OPTION]... TARGET... [LINK_NAME|DIRECTORY]`
pub struct Ln;

struct Opts {
    symbolic: bool,
    force: bool,
    no_deref: bool,
    verbose: bool,
    relative: bool,
    /// `-i`: ask before replacing an existing name.
    interactive: bool,
    /// `-b`: back up what is replaced.
    backup: Option<backup::Plan>,
}

impl Command for Ln {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "tS",
            "sfnvrTbiLPdF",
            &[
                "symbolic",
                "force",
                "no-dereference",
                "no-target-directory",
                "target-directory=",
                "verbose",
                "relative",
                "logical",
                "physical",
                "interactive",
                "backup=?",
                "suffix=",
                "directory",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut o = Opts {
            symbolic: false,
            force: false,
            no_deref: false,
            verbose: false,
            relative: false,
            interactive: false,
            backup: None,
        };
        let mut b = backup::Backup::default();
        let mut no_target = false;
        let mut target_dir: Option<String> = None;
        let mut ops = Vec::new();
        for a in items {
            match a {
                Arg::Short('s', _) => o.symbolic = true,
                // The last of -f and -i wins.
                Arg::Short('f', _) => {
                    o.force = true;
                    o.interactive = false;
                }
                Arg::Short('i', _) => {
                    o.interactive = true;
                    o.force = false;
                }
                Arg::Short('b', _) => b.requested = Some(None),
                Arg::Short('S', v) => b.suffix = v,
                Arg::Short('n', _) => o.no_deref = true,
                Arg::Short('v', _) => o.verbose = true,
                Arg::Short('r', _) => o.relative = true,
                Arg::Short('T', _) => no_target = true,
                Arg::Short('t', v) => target_dir = v,
                Arg::Long(n, v) => match n.as_str() {
                    "symbolic" => o.symbolic = true,
                    "force" => {
                        o.force = true;
                        o.interactive = false;
                    }
                    "interactive" => {
                        o.interactive = true;
                        o.force = false;
                    }
                    "backup" => b.requested = Some(v),
                    "suffix" => b.suffix = v,
                    "no-dereference" => o.no_deref = true,
                    "verbose" => o.verbose = true,
                    "relative" => o.relative = true,
                    "no-target-directory" => no_target = true,
                    "target-directory" => target_dir = v,
                    _ => {}
                },
                Arg::Operand(f) => ops.push(f),
                Arg::Short(..) => {}
            }
        }
        o.backup = match b.plan(ctx) {
            Ok(p) => p,
            Err(s) => return s,
        };
        if o.relative && !o.symbolic {
            ctx.err("cannot do --relative without --symbolic");
            return 1;
        }
        if ops.is_empty() {
            return usage_msg(ctx, "missing file operand", 1);
        }
        let is_dir = |p: &str, o: &Opts| {
            if o.no_deref {
                ctx.vfs.lstat(p).is_ok_and(|m| m.is_dir())
            } else {
                ctx.vfs.stat(p).is_ok_and(|m| m.is_dir())
            }
        };
        let mut pairs = Vec::new();
        if let Some(d) = &target_dir {
            if no_target {
                return usage_msg(
                    ctx,
                    "cannot combine --target-directory and --no-target-directory",
                    1,
                );
            }
            if !ctx.vfs.stat(d).is_ok_and(|m| m.is_dir()) {
                ctx.err(&format!("target directory {}: Not a directory", quoteaf(d)));
                return 1;
            }
            for s in &ops {
                pairs.push((s.clone(), join(d, base_name(s))));
            }
        } else if no_target {
            if ops.len() != 2 {
                if ops.len() < 2 {
                    return usage_msg(
                        ctx,
                        &format!(
                            "missing destination file operand after {}",
                            quoteaf(&ops[0])
                        ),
                        1,
                    );
                }
                return usage_msg(ctx, &format!("extra operand {}", quoteaf(&ops[2])), 1);
            }
            pairs.push((ops[0].clone(), ops[1].clone()));
        } else if ops.len() == 1 {
            pairs.push((ops[0].clone(), base_name(&ops[0]).to_string()));
        } else {
            let last = ops[ops.len() - 1].clone();
            if is_dir(&last, &o) {
                for s in &ops[..ops.len() - 1] {
                    pairs.push((s.clone(), join(&last, base_name(s))));
                }
            } else if ops.len() > 2 {
                let why = match ctx.vfs.stat(&last) {
                    Err(e) => e.errno().message(),
                    Ok(_) => "Not a directory",
                };
                ctx.err(&format!("target {}: {why}", quoteaf(&last)));
                return 1;
            } else {
                pairs.push((ops[0].clone(), last));
            }
        }
        let mut status = 0;
        for (src, dst) in &pairs {
            if !link_one(ctx, src, dst, &o) {
                status = 1;
            }
        }
        status
    }
}

fn link_one(ctx: &Ctx<'_>, src: &str, dst: &str, o: &Opts) -> bool {
    let kind = if o.symbolic {
        "symbolic link"
    } else {
        "hard link"
    };
    if !o.symbolic {
        match ctx.vfs.stat(src).or_else(|_| ctx.vfs.lstat(src)) {
            Ok(m) if m.is_dir() => {
                ctx.err(&format!(
                    "{}: hard link not allowed for directory",
                    quotef(src)
                ));
                return false;
            }
            Ok(_) => {}
            Err(e) => {
                ctx.err(&format!(
                    "failed to access {}: {}",
                    quoteaf(src),
                    e.errno().message()
                ));
                return false;
            }
        }
    }
    let target = if o.relative {
        relative_target(ctx, src, dst)
    } else {
        src.to_string()
    };
    let existing = ctx.vfs.lstat(dst).ok();
    if existing.is_some() && o.interactive && !ask(ctx, &format!("replace {}? ", quoteaf(dst))) {
        return true;
    }
    let mut backed_up = None;
    if (o.force || o.interactive || o.backup.is_some())
        && let Some(m) = existing
    {
        if m.is_dir() {
            ctx.err(&format!("{}: cannot overwrite directory", quotef(dst)));
            return false;
        }
        // With a backup, only a link onto its own name is refused (GNU backs up
        // another name of the same file).
        if let (Ok(a), Ok(b)) = (ctx.vfs.lstat(src), ctx.vfs.lstat(dst))
            && !o.symbolic
            && a.ino == b.ino
            && (o.backup.is_none() || same_entry(ctx, src, dst))
        {
            ctx.err(&format!(
                "{} and {} are the same file",
                quoteaf(src),
                quoteaf(dst)
            ));
            return false;
        }
        if let Some(plan) = &o.backup {
            match backup::make(ctx, plan, dst) {
                Ok(name) => backed_up = Some(name),
                Err(()) => return false,
            }
        } else {
            let _ = ctx.vfs.unlink(dst);
        }
    }
    let r = if o.symbolic {
        ctx.vfs.symlink(&target, dst)
    } else {
        ctx.vfs.link(src, dst)
    };
    match r {
        Ok(()) => {
            if o.verbose {
                let arrow = if o.symbolic { "->" } else { "=>" };
                let mut line = String::new();
                if let Some(b) = &backed_up {
                    line.push_str(&format!("{} ~ ", quoteaf(b)));
                }
                line.push_str(&format!("{} {arrow} {}\n", quoteaf(dst), quoteaf(&target)));
                if ctx.out(line.as_bytes()).is_err() {
                    return false;
                }
            }
            true
        }
        Err(e) => {
            ctx.err(&format!(
                "failed to create {kind} {}: {}",
                quoteaf(dst),
                e.errno().message()
            ));
            false
        }
    }
}

/// `src` relative to the directory `dst` will be in (both resolved as `realpath -m`).
fn relative_target(ctx: &Ctx<'_>, src: &str, dst: &str) -> String {
    let abs = |p: &str| -> Vec<String> {
        let cwd = ctx
            .vfs
            .cwd()
            .map(|c| c.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".into());
        let full = if p.starts_with('/') {
            p.to_string()
        } else {
            format!("{cwd}/{p}")
        };
        let resolved = resolve_missing(ctx, &full);
        resolved
            .split('/')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    };
    let s = abs(src);
    let mut d = abs(dst);
    d.pop();
    let common = s.iter().zip(d.iter()).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); d.len() - common];
    parts.extend(s[common..].iter().cloned());
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Canonicalize the longest existing prefix of `p` and append the rest lexically.
pub(super) fn resolve_missing(ctx: &Ctx<'_>, p: &str) -> String {
    let comps: Vec<&str> = p.split('/').filter(|c| !c.is_empty()).collect();
    let mut cur = String::from("/");
    for (i, c) in comps.iter().enumerate() {
        let next = join(&cur, c);
        match ctx.vfs.canonicalize(&next) {
            Ok(r) => cur = r.to_string_lossy().into_owned(),
            Err(_) => {
                let mut out: Vec<String> = cur
                    .split('/')
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect();
                for c in &comps[i..] {
                    match *c {
                        "." => {}
                        ".." => {
                            out.pop();
                        }
                        _ => out.push((*c).to_string()),
                    }
                }
                return format!("/{}", out.join("/"));
            }
        }
    }
    cur
}

/// Do two names denote the same directory entry (same parent directory, same name)?
fn same_entry(ctx: &Ctx<'_>, a: &str, b: &str) -> bool {
    let split = |p: &str| -> (String, String) {
        let t = p.trim_end_matches('/');
        match t.rfind('/') {
            Some(i) => (
                if i == 0 {
                    "/".into()
                } else {
                    t[..i].to_string()
                },
                t[i + 1..].to_string(),
            ),
            None => (".".into(), t.to_string()),
        }
    };
    let ((da, na), (db, nb)) = (split(a), split(b));
    na == nb
        && matches!(
            (ctx.vfs.canonicalize(&da), ctx.vfs.canonicalize(&db)),
            (Ok(x), Ok(y)) if x == y
        )
}

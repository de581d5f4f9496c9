//! `cp`: copy files and directories (`-r`/`-R`, `-a`, `-p`, `-n`, `-f`, `-v`, `-T`, `-t`,
//! `-P`/`-L`/`-H`/`-d`, `-u`).

use vfs_core::{Metadata, SetTime};

use super::backup;
use super::common::{Parsed, join, parse, quoteaf};
use super::target::{inside, pairs};
use crate::commands::util::{Arg, ask, quote_shell};
use crate::commands::{Command, Ctx};

/// `cp [OPTION]... SOURCE... DEST`
pub struct Cp;

struct Opts {
    recursive: bool,
    /// Follow symlinks: 'L' always, 'P' never, 'H' on the command line only.
    deref: char,
    preserve: bool,
    no_clobber: bool,
    force: bool,
    verbose: bool,
    update: bool,
    /// `-i`: ask before overwriting.
    interactive: bool,
    /// `-s` (symbolic) or `-l` (hard): link files instead of copying them.
    link: Option<char>,
    /// `-b`: how to back up files about to be overwritten.
    backup: Option<backup::Plan>,
}

impl Command for Cp {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "tS",
            "rRapnfvTPLHduilsbxZ",
            &[
                "recursive",
                "archive",
                "preserve=?",
                "no-preserve=",
                "no-clobber",
                "force",
                "verbose",
                "no-target-directory",
                "target-directory=",
                "no-dereference",
                "dereference",
                "update",
                "interactive",
                "link",
                "symbolic-link",
                "parents",
                "one-file-system",
                "backup=?",
                "suffix=",
                "remove-destination",
                "strip-trailing-slashes",
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
            deref: ' ',
            preserve: false,
            no_clobber: false,
            force: false,
            verbose: false,
            update: false,
            interactive: false,
            link: None,
            backup: None,
        };
        let mut b = backup::Backup::default();
        let mut parents = false;
        let (mut no_target, mut target_dir) = (false, None);
        let mut ops = Vec::new();
        for a in items {
            match a {
                Arg::Short('r' | 'R', _) => o.recursive = true,
                Arg::Short('a', _) => {
                    o.recursive = true;
                    o.deref = 'P';
                    o.preserve = true;
                }
                Arg::Short('d', _) => o.deref = 'P',
                Arg::Short('p', _) => o.preserve = true,
                Arg::Short('n', _) => {
                    o.no_clobber = true;
                    o.interactive = false;
                }
                Arg::Short('i', _) => {
                    o.interactive = true;
                    o.no_clobber = false;
                }
                Arg::Short(c @ ('s' | 'l'), _) => o.link = Some(c),
                Arg::Short('b', _) => b.requested = Some(None),
                Arg::Short('S', v) => b.suffix = v,
                Arg::Short('f', _) => o.force = true,
                Arg::Short('v', _) => o.verbose = true,
                Arg::Short('u', _) => o.update = true,
                Arg::Short('T', _) => no_target = true,
                Arg::Short('t', v) => target_dir = v,
                Arg::Short(c @ ('P' | 'L' | 'H'), _) => o.deref = c,
                Arg::Long(n, v) => match n.as_str() {
                    "recursive" => o.recursive = true,
                    "archive" => {
                        o.recursive = true;
                        o.deref = 'P';
                        o.preserve = true;
                    }
                    "preserve" => o.preserve = true,
                    "no-preserve" => o.preserve = false,
                    "no-clobber" => {
                        o.no_clobber = true;
                        o.interactive = false;
                    }
                    "interactive" => {
                        o.interactive = true;
                        o.no_clobber = false;
                    }
                    "symbolic-link" => o.link = Some('s'),
                    "parents" => parents = true,
                    "backup" => b.requested = Some(v),
                    "suffix" => b.suffix = v,
                    "link" => o.link = Some('l'),
                    "force" | "remove-destination" => o.force = true,
                    "verbose" => o.verbose = true,
                    "update" => o.update = true,
                    "no-target-directory" => no_target = true,
                    "target-directory" => target_dir = v,
                    "no-dereference" => o.deref = 'P',
                    "dereference" => o.deref = 'L',
                    _ => {}
                },
                Arg::Operand(x) => ops.push(x),
                Arg::Short(..) => {}
            }
        }
        o.backup = match b.plan(ctx) {
            Ok(p) => p,
            Err(s) => return s,
        };
        if o.deref == ' ' {
            o.deref = if o.recursive { 'P' } else { 'L' };
        }
        if parents {
            return copy_parents(ctx, ops, target_dir, &o);
        }
        let list = match pairs(ctx, ops, target_dir, no_target) {
            Ok(l) => l,
            Err(s) => return s,
        };
        let mut status = 0;
        for (src, dst) in &list {
            match copy(ctx, src, dst, &o, true) {
                Ok(true) => {}
                Ok(false) => status = 1,
                Err(s) => return s,
            }
        }
        status
    }
}

fn copy(ctx: &Ctx<'_>, src: &str, dst: &str, o: &Opts, top: bool) -> Result<bool, i32> {
    if ctx.cancel.is_cancelled() {
        return Err(130);
    }
    let follow = o.deref == 'L' || (o.deref == 'H' && top);
    let sm = match if follow {
        ctx.vfs.stat(src)
    } else {
        ctx.vfs.lstat(src)
    } {
        Ok(m) => m,
        Err(e) => {
            ctx.err(&format!(
                "cannot stat {}: {}",
                quoteaf(src),
                e.errno().message()
            ));
            return Ok(false);
        }
    };
    let dm = ctx.vfs.stat(dst).ok();
    let dlm = ctx.vfs.lstat(dst).ok();
    if sm.is_dir() {
        if !o.recursive {
            ctx.err(&format!(
                "-r not specified; omitting directory {}",
                quoteaf(src)
            ));
            return Ok(false);
        }
        if top && inside(ctx, src, dst) {
            ctx.err(&format!(
                "cannot copy a directory, {}, into itself, {}",
                quoteaf(src),
                quoteaf(dst)
            ));
            return Ok(false);
        }
        match dm {
            Some(d) if !d.is_dir() => {
                ctx.err(&format!(
                    "cannot overwrite non-directory {} with directory {}",
                    quoteaf(dst),
                    quoteaf(src)
                ));
                return Ok(false);
            }
            Some(_) => {}
            None => {
                if let Err(e) = ctx.vfs.mkdir(dst, sm.mode & 0o777) {
                    ctx.err(&format!(
                        "cannot create directory {}: {}",
                        quoteaf(dst),
                        e.errno().message()
                    ));
                    return Ok(false);
                }
                say(ctx, o, src, dst)?;
            }
        }
        let entries = match ctx.vfs.read_dir(src) {
            Ok(e) => e,
            Err(e) => {
                ctx.err(&format!(
                    "cannot access {}: {}",
                    quoteaf(src),
                    e.errno().message()
                ));
                return Ok(false);
            }
        };
        let mut ok = true;
        for e in entries {
            let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
            ok &= copy(ctx, &join(src, &name), &join(dst, &name), o, false)?;
        }
        if dm.is_none() {
            let mode = if o.preserve {
                sm.mode
            } else {
                sm.mode & !ctx.vfs.umask()
            };
            let _ = ctx.vfs.chmod(dst, mode);
            preserve(ctx, o, dst, &sm, true);
        }
        return Ok(ok);
    }
    if let Some(kind) = o.link {
        return make_link(ctx, src, dst, o, kind, dlm);
    }
    let mut backed_up = None;
    if let Some(d) = dlm {
        let same = ctx
            .vfs
            .stat(src)
            .ok()
            .zip(dm)
            .is_some_and(|(a, b)| a.ino == b.ino)
            || (!follow && d.ino == sm.ino);
        if same {
            ctx.err(&format!(
                "{} and {} are the same file",
                quoteaf(src),
                quoteaf(dst)
            ));
            return Ok(false);
        }
        if o.no_clobber || (o.update && d.mtime >= sm.mtime) {
            return Ok(true);
        }
        if o.interactive && !ask(ctx, &format!("overwrite {}? ", quoteaf(dst))) {
            return Ok(true);
        }
        if dm.is_some_and(|m| m.is_dir()) {
            ctx.err(&format!(
                "cannot overwrite directory {} with non-directory",
                quoteaf(dst)
            ));
            return Ok(false);
        }
        if let Some(plan) = &o.backup {
            match backup::make(ctx, plan, dst) {
                Ok(name) => backed_up = Some(name),
                Err(()) => return Ok(false),
            }
        } else if sm.is_symlink() || d.is_symlink() && !follow || o.force && dm.is_none() {
            let _ = ctx.vfs.unlink(dst);
        }
    }
    if sm.is_symlink() {
        let target = match ctx.vfs.read_link(src) {
            Ok(t) => t,
            Err(e) => {
                ctx.err(&format!(
                    "cannot read symbolic link {}: {}",
                    quoteaf(src),
                    e.errno().message()
                ));
                return Ok(false);
            }
        };
        if let Err(e) = ctx.vfs.symlink(&target, dst) {
            ctx.err(&format!(
                "cannot create symbolic link {}: {}",
                quoteaf(dst),
                e.errno().message()
            ));
            return Ok(false);
        }
        say_backup(ctx, o, src, dst, backed_up.as_deref())?;
        if o.preserve {
            let _ = ctx
                .vfs
                .utimes(dst, SetTime::At(sm.atime), SetTime::At(sm.mtime), false);
        }
        return Ok(true);
    }
    let existed = ctx.vfs.stat(dst).ok();
    if let Err(e) = ctx.vfs.copy_file(src, dst) {
        let (who, what) = if e.path().is_some_and(|p| p.as_os_str() == src) && existed.is_some() {
            ("open", src)
        } else {
            ("create regular file", dst)
        };
        let _ = who;
        ctx.err(&format!(
            "cannot create regular file {}: {}",
            quoteaf(what),
            e.errno().message()
        ));
        return Ok(false);
    }
    let mode = match (existed, o.preserve) {
        (_, true) => sm.mode,
        (Some(d), false) => d.mode,
        (None, false) => sm.mode & !ctx.vfs.umask(),
    };
    let _ = ctx.vfs.chmod(dst, mode);
    preserve(ctx, o, dst, &sm, true);
    say_backup(ctx, o, src, dst, backed_up.as_deref())?;
    Ok(true)
}

/// `cp --parents SRC... DIR`: copy each SRC to DIR/SRC, making the missing directories
/// of SRC's path with the source directories' permissions.
fn copy_parents(ctx: &Ctx<'_>, mut ops: Vec<String>, target: Option<String>, o: &Opts) -> i32 {
    let dest = match target {
        Some(t) => Some(t),
        None if ops.len() >= 2 => ops.pop(),
        None => None,
    };
    let given = dest.is_some();
    let Some(dest) = dest.filter(|d| ctx.vfs.stat(d).is_ok_and(|m| m.is_dir())) else {
        match ops.as_slice() {
            [] => ctx.err("missing file operand"),
            [one] if !given => ctx.err(&format!(
                "missing destination file operand after {}",
                quoteaf(one)
            )),
            _ => ctx.err("with --parents, the destination must be a directory"),
        }
        let _ = ctx
            .stderr
            .write_all(b"Try 'cp --help' for more information.\n");
        return 1;
    };
    let mut status = 0;
    for src in &ops {
        let rel = src.trim_start_matches('/');
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        let mut ok = true;
        for k in 1..parts.len() {
            let prefix = parts[..k].join("/");
            let dp = join(&dest, &prefix);
            if ctx.vfs.stat(&dp).is_ok() {
                continue;
            }
            let src_dir = if src.starts_with('/') {
                format!("/{prefix}")
            } else {
                prefix.clone()
            };
            let mode = ctx.vfs.stat(&src_dir).map_or(0o755, |m| m.mode & 0o7777);
            if let Err(e) = ctx.vfs.mkdir(&dp, mode) {
                ctx.err(&format!(
                    "cannot make directory {}: {}",
                    quoteaf(&dp),
                    e.errno().message()
                ));
                ok = false;
                break;
            }
            let _ = ctx.vfs.chmod(&dp, mode);
            if o.verbose && ctx.out(format!("{src_dir} -> {dp}\n").as_bytes()).is_err() {
                return 1;
            }
        }
        if !ok {
            status = 1;
            continue;
        }
        match copy(ctx, src, &join(&dest, rel), o, true) {
            Ok(true) => {}
            Ok(false) => status = 1,
            Err(s) => return s,
        }
    }
    status
}

/// `cp -s` / `cp -l`: make `dst` a symbolic (`s`) or hard (`l`) link to `src`. A
/// relative symbolic link is made only in the current directory, as GNU insists.
fn make_link(
    ctx: &Ctx<'_>,
    src: &str,
    dst: &str,
    o: &Opts,
    kind: char,
    existing: Option<Metadata>,
) -> Result<bool, i32> {
    let what = if kind == 's' { "symbolic" } else { "hard" };
    if kind == 's' && !src.starts_with('/') {
        let parent = match dst.trim_end_matches('/').rfind('/') {
            Some(0) => "/",
            Some(i) => &dst[..i],
            None => ".",
        };
        let here = parent == "."
            || matches!(
                (ctx.vfs.stat(parent), ctx.vfs.stat(".")),
                (Ok(a), Ok(b)) if a.ino == b.ino
            );
        if !here {
            ctx.err(&format!(
                "{}: can make relative symbolic links only in current directory",
                quote_shell(dst, false)
            ));
            return Ok(false);
        }
    }
    if let Some(d) = existing {
        if kind == 'l' && ctx.vfs.stat(src).is_ok_and(|m| m.ino == d.ino) {
            return Ok(true);
        }
        if o.force {
            let _ = ctx.vfs.unlink(dst);
        }
    }
    let made = if kind == 's' {
        ctx.vfs.symlink(src, dst)
    } else {
        ctx.vfs.link(src, dst)
    };
    if let Err(e) = made {
        ctx.err(&format!(
            "cannot create {what} link {} to {}: {}",
            quoteaf(dst),
            quoteaf(src),
            e.errno().message()
        ));
        return Ok(false);
    }
    say(ctx, o, src, dst)?;
    Ok(true)
}

fn preserve(ctx: &Ctx<'_>, o: &Opts, dst: &str, sm: &Metadata, follow: bool) {
    if !o.preserve {
        return;
    }
    let _ = ctx.vfs.chown(dst, Some(sm.uid), Some(sm.gid), follow);
    let _ = ctx.vfs.chmod(dst, sm.mode);
    let _ = ctx
        .vfs
        .utimes(dst, SetTime::At(sm.atime), SetTime::At(sm.mtime), follow);
}

fn say(ctx: &Ctx<'_>, o: &Opts, src: &str, dst: &str) -> Result<(), i32> {
    say_backup(ctx, o, src, dst, None)
}

/// `-v`'s line, naming the backup when one was made.
fn say_backup(
    ctx: &Ctx<'_>,
    o: &Opts,
    src: &str,
    dst: &str,
    backup: Option<&str>,
) -> Result<(), i32> {
    if !o.verbose {
        return Ok(());
    }
    let mut line = format!("{} -> {}", quoteaf(src), quoteaf(dst));
    if let Some(b) = backup {
        line.push_str(&format!(" (backup: {})", quoteaf(b)));
    }
    line.push('\n');
    ctx.out(line.as_bytes()).map_err(Ctx::stop_status)
}

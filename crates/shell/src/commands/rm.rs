//! `rm`: remove files and directories (`-r`/`-R`, `-f`, `-d`, `-v`), refusing `/`,
//! `.` and `..` as GNU does. `-i` asks before each removal and `-I` once up front,
//! reading the answers from stdin (end of input declines).

use super::common::{Parsed, base_name, join, parse, quoteaf};
use crate::commands::util::{Arg, ask};
use crate::commands::{Command, Ctx};

/// `rm [OPTION]... [FILE]...`
pub struct Rm;

struct Opts {
    force: bool,
    recursive: bool,
    dir: bool,
    verbose: bool,
    preserve_root: bool,
    /// `-i`: ask before every removal.
    each: bool,
}

/// What became of one file or tree.
#[derive(PartialEq, Eq)]
enum Done {
    Removed,
    /// The user declined a file (or an emptied directory): its parent is still offered,
    /// and fails as not empty.
    Skipped,
    /// The user declined to descend into a directory or to remove an empty one: not an
    /// error, and its parents are left alone without a question.
    Kept,
    /// It failed (already reported).
    Failed,
}

impl Done {
    fn from(ok: bool) -> Done {
        if ok { Done::Removed } else { Done::Failed }
    }
}

/// `--interactive[=WHEN]`: `Some(each)` for `always`/`once`, `None` for `never`.
fn interactive_when(v: Option<&str>) -> Result<Option<bool>, String> {
    Ok(match v.unwrap_or("always") {
        "always" | "yes" => Some(true),
        "once" => Some(false),
        "never" | "no" | "none" => None,
        w => {
            return Err(format!(
                "invalid argument {} for '--interactive'\nValid arguments are:\n  - 'never', 'no', 'none'\n  - 'once'\n  - 'always', 'yes'",
                quoteaf(w)
            ));
        }
    })
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
                "interactive=?",
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
            each: false,
        };
        let mut once = false;
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short('f', _) => {
                    o.force = true;
                    o.each = false;
                    once = false;
                }
                Arg::Short('r' | 'R', _) => o.recursive = true,
                Arg::Short('d', _) => o.dir = true,
                Arg::Short('v', _) => o.verbose = true,
                Arg::Short(c @ ('i' | 'I'), _) => {
                    o.force = false;
                    o.each = c == 'i';
                    once = c == 'I';
                }
                Arg::Long(n, v) => match n.as_str() {
                    "force" => {
                        o.force = true;
                        o.each = false;
                        once = false;
                    }
                    "interactive" => match interactive_when(v.as_deref()) {
                        Ok(w) => {
                            if w.is_some() {
                                o.force = false;
                            }
                            o.each = w == Some(true);
                            once = w == Some(false);
                        }
                        Err(m) => {
                            ctx.err(&m);
                            let _ = ctx
                                .stderr
                                .write_all(b"Try 'rm --help' for more information.\n");
                            return 1;
                        }
                    },
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
        if once && (o.recursive || files.len() > 3) {
            let n = files.len();
            let question = match (n, o.recursive) {
                (1, true) => "remove 1 argument recursively? ".to_string(),
                (_, true) => format!("remove {n} arguments recursively? "),
                _ => format!("remove {n} arguments? "),
            };
            if !ask(ctx, &question) {
                return 0;
            }
        }
        let mut status = 0;
        for f in &files {
            match remove_top(ctx, f, &o) {
                Ok(Done::Failed) => status = 1,
                Ok(_) => {}
                Err(s) => return s,
            }
        }
        status
    }
}

/// What `rm -i` calls a file in its question (coreutils' `file_type`).
fn type_name(m: &vfs_core::Metadata) -> &'static str {
    if m.is_dir() {
        "directory"
    } else if m.is_symlink() {
        "symbolic link"
    } else if m.is_empty() {
        "regular empty file"
    } else {
        "regular file"
    }
}

/// Remove one operand.
fn remove_top(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<Done, i32> {
    let b = base_name(f);
    if b == "." || b == ".." {
        ctx.err(&format!(
            "refusing to remove '.' or '..' directory: skipping {}",
            quoteaf(f)
        ));
        return Ok(Done::Failed);
    }
    let meta = match ctx.vfs.lstat(f) {
        Ok(m) => m,
        Err(e) => {
            if o.force && e.errno() == vfs_core::Errno::NoEntry {
                return Ok(Done::Removed);
            }
            ctx.err(&format!(
                "cannot remove {}: {}",
                quoteaf(f),
                e.errno().message()
            ));
            return Ok(Done::Failed);
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
                return Ok(Done::Failed);
            }
            return remove_tree(ctx, f, o);
        }
        if o.dir {
            if o.each && !ask(ctx, &format!("remove directory {}? ", quoteaf(f))) {
                return Ok(Done::Skipped);
            }
            return remove_dir(ctx, f, o).map(Done::from);
        }
        ctx.err(&format!("cannot remove {}: Is a directory", quoteaf(f)));
        return Ok(Done::Failed);
    }
    if o.each
        && !ask(
            ctx,
            &format!("remove {} {}? ", type_name(&meta), quoteaf(f)),
        )
    {
        return Ok(Done::Skipped);
    }
    remove_file(ctx, f, o).map(Done::from)
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

/// Remove a directory and everything under it; with `-i`, ask before descending into
/// a non-empty directory, before each file, and before each directory once emptied
/// (GNU's `rm_fts`: an empty directory is asked about once, up front).
fn remove_tree(ctx: &Ctx<'_>, f: &str, o: &Opts) -> Result<Done, i32> {
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
            return Ok(Done::Failed);
        }
    };
    let empty = entries.is_empty();
    if o.each && !empty && !ask(ctx, &format!("descend into directory {}? ", quoteaf(f))) {
        return Ok(Done::Kept);
    }
    let mut worst = Done::Removed;
    for e in entries {
        let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
        let p = join(f, &name);
        let r = if e.file_type.is_dir() {
            remove_tree(ctx, &p, o)?
        } else if o.each
            && !ctx
                .vfs
                .lstat(&p)
                .is_ok_and(|m| ask(ctx, &format!("remove {} {}? ", type_name(&m), quoteaf(&p))))
        {
            Done::Skipped
        } else {
            Done::from(remove_file(ctx, &p, o)?)
        };
        match r {
            Done::Failed => worst = Done::Failed,
            Done::Kept if worst != Done::Failed => worst = Done::Kept,
            _ => {}
        }
    }
    if worst != Done::Removed {
        return Ok(worst);
    }
    if o.each && !ask(ctx, &format!("remove directory {}? ", quoteaf(f))) {
        // An empty directory declined up front keeps its parents; one emptied here
        // leaves its parent to be asked about (and to fail as not empty).
        return Ok(if empty { Done::Kept } else { Done::Skipped });
    }
    remove_dir(ctx, f, o).map(Done::from)
}

fn say(ctx: &Ctx<'_>, line: &str) -> Result<(), i32> {
    ctx.out(line.as_bytes()).map_err(Ctx::stop_status)
}

//! `ls`: list directory contents, one name per line (stdout is never a terminal here),
//! with `-l -a -A -1 -R -h -S -t -r -d -F -p -i -n -g -o -s -U --color`.

use vfs_core::{FileType, Metadata};

use super::common::{
    MONTHS, Parsed, Zone, group_name, human, join, localtime, mode_string, parse, quote, quoteaf,
    user_name, zone,
};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `ls [OPTION]... [FILE]...`
pub struct Ls;

#[derive(Default)]
struct Opts {
    long: bool,
    all: bool,
    almost_all: bool,
    recursive: bool,
    human: bool,
    sort_size: bool,
    sort_time: bool,
    unsorted: bool,
    reverse: bool,
    dir_itself: bool,
    classify: bool,
    slash: bool,
    inode: bool,
    numeric: bool,
    no_owner: bool,
    no_group: bool,
    size_blocks: bool,
    deref: bool,
    deref_cmdline: bool,
    comma: bool,
}

struct Entry {
    name: String,
    path: String,
    meta: Metadata,
    target: Option<String>,
    target_meta: Option<Metadata>,
}

impl Command for Ls {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "ITw",
            "laA1RhStrdFpinCxmgoUsLHGQcuvfBX",
            &[
                "all",
                "almost-all",
                "recursive",
                "human-readable",
                "reverse",
                "directory",
                "classify",
                "inode",
                "numeric-uid-gid",
                "color=",
                "size",
                "dereference",
                "dereference-command-line",
                "no-group",
                "indicator-style=",
                "sort=",
                "ignore=",
                "hide=",
                "width=",
                "format=",
                "group-directories-first",
                "full-time",
                "time-style=",
                "literal",
                "help",
                "version",
            ],
            2,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut o = Opts::default();
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short(c, _) => match c {
                    'l' => o.long = true,
                    'a' => o.all = true,
                    'A' => o.almost_all = true,
                    '1' | 'C' | 'x' => {
                        o.comma = false;
                    }
                    'm' => o.comma = true,
                    'R' => o.recursive = true,
                    'h' => o.human = true,
                    'S' => o.sort_size = true,
                    't' => o.sort_time = true,
                    'U' => o.unsorted = true,
                    'f' => {
                        o.unsorted = true;
                        o.all = true;
                    }
                    'r' => o.reverse = true,
                    'd' => o.dir_itself = true,
                    'F' => o.classify = true,
                    'p' => o.slash = true,
                    'i' => o.inode = true,
                    'n' => {
                        o.numeric = true;
                        o.long = true;
                    }
                    'g' => {
                        o.no_owner = true;
                        o.long = true;
                    }
                    'o' => {
                        o.no_group = true;
                        o.long = true;
                    }
                    'G' => o.no_group = true,
                    's' => o.size_blocks = true,
                    'L' => o.deref = true,
                    'H' => o.deref_cmdline = true,
                    _ => {}
                },
                Arg::Long(n, v) => match n.as_str() {
                    "all" => o.all = true,
                    "almost-all" => o.almost_all = true,
                    "recursive" => o.recursive = true,
                    "human-readable" => o.human = true,
                    "reverse" => o.reverse = true,
                    "directory" => o.dir_itself = true,
                    "classify" => o.classify = true,
                    "inode" => o.inode = true,
                    "numeric-uid-gid" => {
                        o.numeric = true;
                        o.long = true;
                    }
                    "size" => o.size_blocks = true,
                    "dereference" => o.deref = true,
                    "dereference-command-line" => o.deref_cmdline = true,
                    "no-group" => o.no_group = true,
                    "full-time" => o.long = true,
                    "indicator-style" => match v.as_deref() {
                        Some("slash") => o.slash = true,
                        Some("classify") => o.classify = true,
                        _ => {}
                    },
                    "sort" => match v.as_deref() {
                        Some("size") => o.sort_size = true,
                        Some("time") => o.sort_time = true,
                        Some("none") => o.unsorted = true,
                        _ => {}
                    },
                    "color" => {
                        let ok = matches!(
                            v.as_deref(),
                            Some(
                                "never"
                                    | "no"
                                    | "none"
                                    | "auto"
                                    | "tty"
                                    | "if-tty"
                                    | "always"
                                    | "yes"
                                    | "force"
                            )
                        );
                        if !ok {
                            let w = v.unwrap_or_default();
                            ctx.err(&format!("invalid argument {} for '--color'", quote(&w)));
                            let _ = ctx.stderr.write_all(b"Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n");
                            let _ = ctx
                                .stderr
                                .write_all(b"Try 'ls --help' for more information.\n");
                            return 1;
                        }
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
            }
        }
        let z = zone(ctx);
        let mut status = 0;
        let explicit = !files.is_empty();
        if files.is_empty() {
            files.push(".".into());
        }
        let mut singles = Vec::new();
        let mut dirs = Vec::new();
        for f in &files {
            let lm = match ctx.vfs.lstat(f) {
                Ok(m) => m,
                Err(e) => {
                    ctx.err(&format!(
                        "cannot access {}: {}",
                        quoteaf(f),
                        e.errno().message()
                    ));
                    status = 2;
                    continue;
                }
            };
            let follow = o.deref
                || o.deref_cmdline
                || (!o.long && !o.dir_itself && !o.classify && !o.slash)
                || f.ends_with('/');
            let mut m = lm;
            if lm.is_symlink()
                && follow
                && let Ok(t) = ctx.vfs.stat(f)
            {
                m = t;
            }
            let e = make_entry(ctx, f, f, m, &o);
            if m.is_dir() && !o.dir_itself {
                dirs.push(e);
            } else {
                singles.push(e);
            }
        }
        let now = ctx.vfs.now().sec;
        sort_entries(&mut singles, &o);
        sort_entries(&mut dirs, &o);
        let mut out = Vec::new();
        let mut first = true;
        if !singles.is_empty() {
            print_list(&singles, &o, &z, now, false, &mut out);
            first = false;
        }
        let show_header = o.recursive || files.len() > 1 || (explicit && !singles.is_empty());
        let _ = explicit;
        let mut queue: Vec<String> = dirs.iter().map(|d| d.path.clone()).collect();
        queue.reverse();
        while let Some(d) = queue.pop() {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            if !first {
                out.push(b'\n');
            }
            first = false;
            if show_header {
                out.extend_from_slice(format!("{d}:\n").as_bytes());
            }
            let entries = match ctx.vfs.read_dir(&d) {
                Ok(es) => es,
                Err(e) => {
                    flush(ctx, &mut out);
                    ctx.err(&format!(
                        "cannot open directory {}: {}",
                        quoteaf(&d),
                        e.errno().message()
                    ));
                    status = 2;
                    continue;
                }
            };
            let mut list = Vec::new();
            if o.all {
                for n in [".", ".."] {
                    let p = join(&d, n);
                    if let Ok(m) = ctx.vfs.lstat(&p) {
                        list.push(make_entry(ctx, n, &p, m, &o));
                    }
                }
            }
            for e in entries {
                let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
                if name.starts_with('.') && !o.all && !o.almost_all {
                    continue;
                }
                let p = join(&d, &name);
                let m = match if o.deref {
                    ctx.vfs.stat(&p)
                } else {
                    ctx.vfs.lstat(&p)
                } {
                    Ok(m) => m,
                    Err(_) => match ctx.vfs.lstat(&p) {
                        Ok(m) => m,
                        Err(_) => continue,
                    },
                };
                list.push(make_entry(ctx, &name, &p, m, &o));
            }
            sort_entries(&mut list, &o);
            print_list(&list, &o, &z, now, true, &mut out);
            if o.recursive {
                let subs: Vec<String> = list
                    .iter()
                    .filter(|e| e.meta.is_dir() && e.name != "." && e.name != "..")
                    .map(|e| e.path.clone())
                    .collect();
                for s in subs.into_iter().rev() {
                    queue.push(s);
                }
            }
            if out.len() > 1 << 16 {
                if let Err(s) = ctx.out(&out) {
                    return Ctx::stop_status(s);
                }
                out.clear();
            }
        }
        if let Err(s) = ctx.out(&out) {
            return Ctx::stop_status(s);
        }
        status
    }
}

fn flush(ctx: &Ctx<'_>, out: &mut Vec<u8>) {
    let _ = ctx.out(out);
    out.clear();
}

fn make_entry(ctx: &Ctx<'_>, name: &str, path: &str, meta: Metadata, o: &Opts) -> Entry {
    let (target, target_meta) = if meta.is_symlink() {
        (
            ctx.vfs
                .read_link(path)
                .ok()
                .map(|t| t.to_string_lossy().into_owned()),
            if o.long || o.classify {
                ctx.vfs.stat(path).ok()
            } else {
                None
            },
        )
    } else {
        (None, None)
    };
    Entry {
        name: name.to_string(),
        path: path.to_string(),
        meta,
        target,
        target_meta,
    }
}

fn sort_entries(v: &mut [Entry], o: &Opts) {
    if o.unsorted {
        return;
    }
    if o.sort_size {
        v.sort_by(|a, b| {
            b.meta
                .size
                .cmp(&a.meta.size)
                .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
        });
    } else if o.sort_time {
        v.sort_by(|a, b| {
            b.meta
                .mtime
                .cmp(&a.meta.mtime)
                .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
        });
    } else {
        v.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    }
    if o.reverse {
        v.reverse();
    }
}

fn indicator(m: &Metadata, o: &Opts) -> &'static str {
    if o.classify {
        match m.file_type {
            FileType::Dir => "/",
            FileType::Symlink => "@",
            FileType::File if m.mode & 0o111 != 0 => "*",
            FileType::File => "",
        }
    } else if o.slash && m.is_dir() {
        "/"
    } else {
        ""
    }
}

fn kblocks(m: &Metadata) -> u64 {
    m.blocks.div_ceil(2)
}

fn size_col(m: &Metadata, o: &Opts) -> String {
    if o.human {
        human(m.size)
    } else {
        m.size.to_string()
    }
}

fn blocks_col(m: &Metadata, o: &Opts) -> String {
    if o.human {
        human(m.blocks * 512)
    } else {
        kblocks(m).to_string()
    }
}

fn date_col(m: &Metadata, z: &Zone, now: i64) -> String {
    let t = m.mtime.sec;
    let tm = localtime(t, z);
    let mon = MONTHS[usize::try_from(tm.month - 1).unwrap_or(0).min(11)];
    let six_months = 31_556_952 / 2;
    if t > now - six_months && t <= now {
        format!("{mon} {:>2} {:02}:{:02}", tm.day, tm.hour, tm.min)
    } else {
        format!("{mon} {:>2}  {}", tm.day, tm.year)
    }
}

fn print_list(list: &[Entry], o: &Opts, z: &Zone, now: i64, total: bool, out: &mut Vec<u8>) {
    if o.long && total {
        let t: u64 = list.iter().map(|e| e.meta.blocks).sum();
        let s = if o.human {
            human(t * 512)
        } else {
            t.div_ceil(2).to_string()
        };
        out.extend_from_slice(format!("total {s}\n").as_bytes());
    }
    let w_ino = list
        .iter()
        .map(|e| e.meta.ino.to_string().len())
        .max()
        .unwrap_or(0);
    let w_blk = list
        .iter()
        .map(|e| blocks_col(&e.meta, o).len())
        .max()
        .unwrap_or(0);
    if o.comma && !o.long {
        let names: Vec<String> = list
            .iter()
            .map(|e| format!("{}{}", e.name, indicator(&e.meta, o)))
            .collect();
        let mut line = String::new();
        let mut lines = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let piece = if i + 1 < names.len() {
                format!("{n},")
            } else {
                n.clone()
            };
            if !line.is_empty() && line.len() + 1 + piece.len() > 80 {
                lines.push(std::mem::take(&mut line));
            } else if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        for l in lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        return;
    }
    let owner = |e: &Entry| {
        if o.numeric {
            e.meta.uid.to_string()
        } else {
            user_name(e.meta.uid)
        }
    };
    let group = |e: &Entry| {
        if o.numeric {
            e.meta.gid.to_string()
        } else {
            group_name(e.meta.gid)
        }
    };
    let w_link = list
        .iter()
        .map(|e| e.meta.nlink.to_string().len())
        .max()
        .unwrap_or(0);
    let w_own = list.iter().map(|e| owner(e).len()).max().unwrap_or(0);
    let w_grp = list.iter().map(|e| group(e).len()).max().unwrap_or(0);
    let w_size = list
        .iter()
        .map(|e| size_col(&e.meta, o).len())
        .max()
        .unwrap_or(0);
    for e in list {
        let mut line = String::new();
        if o.inode {
            if o.long {
                line.push_str(&format!("{:>w_ino$} ", e.meta.ino));
            } else {
                line.push_str(&format!("{} ", e.meta.ino));
            }
        }
        if o.size_blocks {
            line.push_str(&format!("{:>w_blk$} ", blocks_col(&e.meta, o)));
        }
        if o.long {
            line.push_str(&mode_string(e.meta.file_type, e.meta.mode));
            line.push_str(&format!(" {:>w_link$} ", e.meta.nlink));
            if !o.no_owner {
                line.push_str(&format!("{:<w_own$} ", owner(e)));
            }
            if !o.no_group {
                line.push_str(&format!("{:<w_grp$} ", group(e)));
            }
            line.push_str(&format!("{:>w_size$} ", size_col(&e.meta, o)));
            line.push_str(&date_col(&e.meta, z, now));
            line.push(' ');
        }
        line.push_str(&e.name);
        if o.long
            && let Some(t) = &e.target
        {
            line.push_str(" -> ");
            line.push_str(t);
            if let Some(tm) = &e.target_meta {
                line.push_str(indicator(tm, o));
            }
        } else {
            line.push_str(indicator(&e.meta, o));
        }
        line.push('\n');
        out.extend_from_slice(line.as_bytes());
    }
}

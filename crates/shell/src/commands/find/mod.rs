//! `find` (GNU findutils 4.9.0) over the VFS: walks each starting point depth first,
//! evaluating the expression on every entry.
//!
//! The walk keeps one VFS view per open directory level whose working directory is that
//! directory (as fts does with `FTS_CWDFD`), so each entry is looked at by its name in
//! its parent: no path is resolved from the root per entry, and the type from the
//! directory listing spares a `stat` when the expression only needs names and types.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use vfs_core::{Access, FileType, Metadata, Vfs};

use crate::commands::{Command, Ctx, Registry, Stop};
use crate::io::Fd;

mod parse;
mod printf;

use parse::{Cmp, Follow, Node, PermKind, Plan};
use printf::Seg;

/// `find [-H] [-L] [-P] [path...] [expression]`
pub struct Find;

/// GNU `quote()` in the C locale.
pub(super) fn q(s: &str) -> String {
    crate::commands::util::quote(s)
}

/// The user (or group) name for an id: only root is known by name.
pub(super) fn user_name(id: u32) -> String {
    if id == 0 {
        "root".into()
    } else {
        id.to_string()
    }
}

fn path_of(b: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(b))
}

/// Deepest level the walk descends to (the VFS allows 2048 nested directories; deeper
/// paths only arise through symlinks under `-L`).
const MAX_WALK_DEPTH: usize = 2500;

/// Most bytes of arguments one `-exec ... +` command gets.
const BATCH_BYTES: usize = 128 * 1024;

impl Command for Find {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        match args.first().map(String::as_str) {
            Some("--help") => return text(ctx, include_str!("help.txt")),
            Some("--version") => return text(ctx, include_str!("version.txt")),
            _ => {}
        }
        let plan = match parse::parse(args, ctx.vfs) {
            Ok(p) => p,
            Err(m) => {
                ctx.err(&m);
                return 1;
            }
        };
        for w in &plan.warnings {
            ctx.err(w);
        }
        match plan.info {
            Some("help") => return text(ctx, include_str!("help.txt")),
            Some(_) => return text(ctx, include_str!("version.txt")),
            None => {}
        }
        let mut files = Vec::new();
        for f in &plan.files {
            match ctx.open_output(f, false) {
                Ok(fd) => files.push((fd, Vec::new())),
                Err(_) => {
                    let e = ctx.vfs.open(f, &vfs_core::OpenOptions::create_truncate());
                    let msg = e.err().map_or("Permission denied", |e| e.errno().message());
                    ctx.err(&format!("{}: {msg}", q(f)));
                    return 1;
                }
            }
        }
        let now = ctx.vfs.now();
        let mut w = Walker {
            ctx,
            follow: plan.follow,
            maxdepth: plan.maxdepth,
            mindepth: plan.mindepth,
            depth_first: plan.depth_first,
            out: Vec::with_capacity(64 * 1024),
            files,
            batches: (0..plan.batches).map(|_| Batch::default()).collect(),
            path: Vec::with_capacity(256),
            start_len: 0,
            status: 0,
            quit: false,
            prune: false,
            stop: None,
            ancestors: Vec::new(),
            now: now.sec,
            scratch: Vec::new(),
            empty_stdin: false,
        };
        let Plan { paths, expr, .. } = plan;
        for p in &paths {
            if w.quit {
                break;
            }
            w.start(&expr, p);
        }
        w.finish(&expr);
        if let Some(s) = w.stop.take() {
            return Ctx::stop_status(s);
        }
        w.status
    }
}

fn text(ctx: &Ctx<'_>, t: &str) -> i32 {
    match ctx.out(t.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

/// The files collected for one `-exec ... +`.
#[derive(Default)]
struct Batch {
    args: Vec<String>,
    bytes: usize,
    dir: Vec<u8>,
}

/// One entry being looked at.
struct Cur<'v> {
    /// A view whose working directory is the entry's parent (or the shell's, for a
    /// starting point).
    dirv: &'v Vfs,
    /// The entry's name relative to `dirv`.
    rel: &'v [u8],
    /// Where the entry's last component starts in the path.
    base: usize,
    depth: usize,
    /// The type from the directory listing (not following symlinks).
    dtype: Option<FileType>,
    /// Whether tests look through a symlink.
    follow: bool,
    meta: Cell<Option<Option<Metadata>>>,
}

impl Cur<'_> {
    fn meta(&self) -> Option<Metadata> {
        if let Some(m) = self.meta.get() {
            return m;
        }
        let p = path_of(self.rel);
        let m = if self.follow {
            self.dirv.stat(p).or_else(|_| self.dirv.lstat(p)).ok()
        } else {
            self.dirv.lstat(p).ok()
        };
        self.meta.set(Some(m));
        m
    }

    fn lmeta(&self) -> Option<Metadata> {
        if !self.follow {
            return self.meta();
        }
        self.dirv.lstat(path_of(self.rel)).ok()
    }

    /// The type, through symlinks when following.
    fn ftype(&self) -> Option<FileType> {
        match self.dtype {
            Some(t) if !self.follow || t != FileType::Symlink => Some(t),
            _ => self.meta().map(|m| m.file_type),
        }
    }

    /// The type of the other view (`-xtype`, `%Y`): `None` when a link is broken.
    fn other_type(&self) -> Option<FileType> {
        if self.follow {
            self.lmeta().map(|m| m.file_type)
        } else {
            match self.ftype() {
                Some(FileType::Symlink) => {
                    self.dirv.stat(path_of(self.rel)).ok().map(|m| m.file_type)
                }
                t => t,
            }
        }
    }
}

fn type_letter(t: FileType) -> u8 {
    match t {
        FileType::File => b'f',
        FileType::Dir => b'd',
        FileType::Symlink => b'l',
    }
}

struct Walker<'c, 'a> {
    ctx: &'c Ctx<'a>,
    follow: Follow,
    maxdepth: usize,
    mindepth: usize,
    depth_first: bool,
    out: Vec<u8>,
    files: Vec<(Fd, Vec<u8>)>,
    batches: Vec<Batch>,
    /// The current entry's path.
    path: Vec<u8>,
    /// Length of the starting point in `path`.
    start_len: usize,
    status: i32,
    quit: bool,
    prune: bool,
    stop: Option<Stop>,
    /// Inode and path length of each directory being walked (loop detection).
    ancestors: Vec<(u64, usize)>,
    now: i64,
    scratch: Vec<u8>,
    /// `-ok` runs its command with an empty standard input.
    empty_stdin: bool,
}

impl Walker<'_, '_> {
    fn error(&mut self, msg: &str) {
        self.flush_out();
        self.ctx.err(msg);
        self.status = 1;
    }

    fn path_str(&self) -> String {
        String::from_utf8_lossy(&self.path).into_owned()
    }

    fn flush_out(&mut self) {
        if !self.out.is_empty()
            && self.stop.is_none()
            && let Err(s) = self.ctx.out(&self.out)
        {
            self.stop = Some(s);
            self.quit = true;
        }
        self.out.clear();
        for (fd, buf) in &mut self.files {
            if !buf.is_empty() {
                let _ = fd.write_all(buf);
                buf.clear();
            }
        }
    }

    fn sink(&mut self, id: usize) -> &mut Vec<u8> {
        match id.checked_sub(1).and_then(|k| self.files.get_mut(k)) {
            Some((_, b)) => b,
            None => &mut self.out,
        }
    }

    fn after_write(&mut self) {
        if self.out.len() >= 32 * 1024 || self.files.iter().any(|(_, b)| b.len() >= 32 * 1024) {
            self.flush_out();
        }
    }

    fn start(&mut self, expr: &Node, p: &str) {
        let vfs = self.ctx.vfs;
        if p.is_empty() {
            self.error("'': No such file or directory");
            return;
        }
        let follow = self.follow != Follow::Never;
        let m = if follow {
            vfs.stat(p).or_else(|_| vfs.lstat(p))
        } else {
            vfs.lstat(p)
        };
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                self.error(&format!("{}: {}", q(p), e.errno().message()));
                return;
            }
        };
        self.path.clear();
        self.path.extend_from_slice(p.as_bytes());
        self.start_len = self.path.len();
        let trimmed = p.trim_end_matches('/');
        let base = if trimmed.is_empty() {
            0
        } else {
            trimmed.rfind('/').map_or(0, |i| i + 1)
        };
        self.ancestors.clear();
        let cur = Cur {
            dirv: vfs,
            rel: p.as_bytes(),
            base,
            depth: 0,
            dtype: Some(m.file_type),
            follow,
            meta: Cell::new(Some(Some(m))),
        };
        self.visit(expr, &cur);
    }

    /// The entry's name as `-name` sees it.
    fn name_of<'p>(path: &'p [u8], c: &Cur) -> &'p [u8] {
        let mut end = path.len();
        if c.depth == 0 {
            while end > 1 && path[end - 1] == b'/' {
                end -= 1;
            }
        }
        path.get(c.base..end).unwrap_or(path)
    }

    fn visit(&mut self, expr: &Node, c: &Cur) {
        if self.ctx.cancel.is_cancelled() {
            self.quit = true;
            self.stop = Some(Stop::Cancelled);
            return;
        }
        self.prune = false;
        if self.follow != Follow::Never
            && c.dtype != Some(FileType::File)
            && let Some(m) = c.meta()
            && m.is_dir()
            && let Some(&(_, len)) = self.ancestors.iter().find(|(i, _)| *i == m.ino)
        {
            let anc = String::from_utf8_lossy(&self.path[..len]).into_owned();
            let msg = format!(
                "File system loop detected; {} is part of the same file system loop as {}.",
                q(&self.path_str()),
                q(&anc)
            );
            self.error(&msg);
            return;
        }
        if !self.depth_first && c.depth >= self.mindepth {
            self.eval(expr, c);
        }
        let is_dir = c.ftype() == Some(FileType::Dir);
        if is_dir && c.depth < self.maxdepth && !self.prune && !self.quit {
            self.descend(expr, c);
        }
        if self.depth_first && c.depth >= self.mindepth && !self.quit {
            self.eval(expr, c);
        }
    }

    fn descend(&mut self, expr: &Node, c: &Cur) {
        if c.depth >= MAX_WALK_DEPTH {
            // Only reachable through symlinks with -L: refuse rather than recurse on.
            let msg = format!("{}: File name too long", q(&self.path_str()));
            self.error(&msg);
            return;
        }
        let ino = if self.follow == Follow::Never && c.depth > 0 {
            None
        } else {
            c.meta().map(|m| m.ino)
        };
        let mut view = c.dirv.clone();
        let entries = match view
            .set_cwd(path_of(c.rel))
            .and_then(|()| view.read_dir("."))
        {
            Ok(e) => e,
            Err(e) => {
                let msg = format!("{}: {}", q(&self.path_str()), e.errno().message());
                self.error(&msg);
                return;
            }
        };
        self.ancestors
            .push((ino.unwrap_or(u64::MAX), self.path.len()));
        let plen = self.path.len();
        let follow = self.follow == Follow::Always;
        for e in &entries {
            if self.quit {
                break;
            }
            if self.path.last() != Some(&b'/') {
                self.path.push(b'/');
            }
            let base = self.path.len();
            self.path.extend_from_slice(e.name_bytes());
            let cur = Cur {
                dirv: &view,
                rel: e.name_bytes(),
                base,
                depth: c.depth + 1,
                dtype: Some(e.file_type),
                follow,
                meta: Cell::new(None),
            };
            self.visit(expr, &cur);
            self.path.truncate(plen);
        }
        self.ancestors.pop();
    }

    fn eval(&mut self, n: &Node, c: &Cur) -> bool {
        match n {
            Node::And(a, b) => self.eval(a, c) && !self.quit && self.eval(b, c),
            Node::Or(a, b) => self.eval(a, c) || (!self.quit && self.eval(b, c)),
            Node::Comma(a, b) => {
                self.eval(a, c);
                !self.quit && self.eval(b, c)
            }
            Node::Not(a) => !self.eval(a, c),
            Node::True => true,
            Node::False => false,
            Node::Name(p) => p.matches(Self::name_of(&self.path, c)),
            Node::Path(p) => p.matches(&self.path),
            Node::LName(p) => {
                c.lmeta().is_some_and(|m| m.is_symlink())
                    && c.dirv
                        .read_link(path_of(c.rel))
                        .is_ok_and(|t| p.matches(t.as_os_str().as_bytes()))
            }
            Node::Regex(r) => r.find_at(&self.path, 0) == Some((0, self.path.len())),
            Node::Type(mask, x) => {
                let t = if *x {
                    c.other_type().or(c.ftype())
                } else {
                    c.ftype()
                };
                t.and_then(|t| parse::type_bit(type_letter(t)))
                    .is_some_and(|b| b & mask != 0)
            }
            Node::Size(cmp, n, unit) => c
                .meta()
                .is_some_and(|m| cmp.test(m.size.div_ceil(*unit), *n)),
            Node::Time(when, cmp, reft, window) => c.meta().is_some_and(|m| {
                let t = when.of(&m);
                let delta = t.sec as f64 + f64::from(t.nsec) / 1e9 - reft;
                match cmp {
                    Cmp::Gt => delta < -window,
                    Cmp::Lt => delta > 0.0,
                    Cmp::Eq => delta > -window && delta <= 0.0,
                }
            }),
            Node::Newer(when, t) => c.meta().is_some_and(|m| when.of(&m) > *t),
            Node::Empty => match c.ftype() {
                Some(FileType::File) => c.meta().is_some_and(|m| m.size == 0),
                Some(FileType::Dir) => c.dirv.read_dir(path_of(c.rel)).is_ok_and(|e| e.is_empty()),
                _ => false,
            },
            Node::Perm(kind, bits) => c.meta().is_some_and(|m| {
                let mode = m.mode & 0o7777;
                match kind {
                    PermKind::Exact => mode == *bits,
                    PermKind::All => mode & bits == *bits,
                    PermKind::Any => *bits == 0 || mode & bits != 0,
                }
            }),
            Node::Uid(cmp, n) => c.meta().is_some_and(|m| cmp.test(u64::from(m.uid), *n)),
            Node::Gid(cmp, n) => c.meta().is_some_and(|m| cmp.test(u64::from(m.gid), *n)),
            Node::NoUser => c.meta().is_some_and(|m| m.uid != 0),
            Node::NoGroup => c.meta().is_some_and(|m| m.gid != 0),
            Node::Access(a) => c.dirv.access(path_of(c.rel), Access(*a)).is_ok(),
            Node::Links(cmp, n) => c.meta().is_some_and(|m| cmp.test(m.nlink, *n)),
            Node::Inum(cmp, n) => c.meta().is_some_and(|m| cmp.test(m.ino, *n)),
            Node::SameFile(ino) => c.meta().is_some_and(|m| m.ino == *ino),
            Node::Print(nul, id) => {
                let end = if *nul { 0 } else { b'\n' };
                let path = std::mem::take(&mut self.path);
                let s = self.sink(*id);
                s.extend_from_slice(&path);
                s.push(end);
                self.path = path;
                self.after_write();
                true
            }
            Node::Printf(segs, id) => {
                let mut buf = std::mem::take(&mut self.scratch);
                buf.clear();
                self.format(segs, c, &mut buf);
                self.sink(*id).extend_from_slice(&buf);
                self.scratch = buf;
                self.after_write();
                true
            }
            Node::Ls(id) => {
                if let Some(m) = c.meta() {
                    let target = if m.is_symlink() {
                        c.dirv.read_link(path_of(c.rel)).ok()
                    } else {
                        None
                    };
                    let mut buf = std::mem::take(&mut self.scratch);
                    buf.clear();
                    printf::ls_line(
                        &mut buf,
                        &m,
                        &self.path,
                        target.as_ref().map(|t| t.as_os_str().as_bytes()),
                        self.now,
                        0,
                    );
                    self.sink(*id).extend_from_slice(&buf);
                    self.scratch = buf;
                    self.after_write();
                }
                true
            }
            Node::Prune => {
                if !self.depth_first {
                    self.prune = true;
                }
                true
            }
            Node::Quit => {
                self.quit = true;
                true
            }
            Node::Delete => self.delete(c),
            Node::Exec(words, plus, dir, id) => self.exec(words, *plus, *dir, *id, c),
            Node::Ok(words, dir) => self.ok(words, *dir, c),
        }
    }

    fn delete(&mut self, c: &Cur) -> bool {
        if c.rel == b"." {
            return true;
        }
        let is_dir = c.lmeta().is_some_and(|m| m.is_dir());
        let p = path_of(c.rel);
        let r = if is_dir {
            c.dirv.rmdir(p)
        } else {
            c.dirv.unlink(p)
        };
        match r {
            Ok(()) => true,
            Err(e) => {
                let msg = format!(
                    "cannot delete {}: {}",
                    q(&self.path_str()),
                    e.errno().message()
                );
                self.error(&msg);
                false
            }
        }
    }

    /// The directory `-execdir` runs in and the name it passes.
    fn execdir_parts(&self, c: &Cur) -> (Vec<u8>, Vec<u8>) {
        let name = Self::name_of(&self.path, c);
        let mut arg = b"./".to_vec();
        arg.extend_from_slice(name);
        let dir = if c.base == 0 {
            b".".to_vec()
        } else {
            let d = &self.path[..c.base - 1];
            if d.is_empty() {
                b"/".to_vec()
            } else {
                d.to_vec()
            }
        };
        (dir, arg)
    }

    fn exec(&mut self, words: &[String], plus: bool, dir: bool, id: usize, c: &Cur) -> bool {
        let (cwd, file) = if dir {
            let (d, a) = self.execdir_parts(c);
            (Some(d), a)
        } else {
            (None, self.path.clone())
        };
        let file = String::from_utf8_lossy(&file).into_owned();
        if plus {
            let d = cwd.clone().unwrap_or_default();
            let full = self.batches.get(id).is_some_and(|b| {
                !b.args.is_empty() && (b.bytes + file.len() + 1 > BATCH_BYTES || b.dir != d)
            });
            if full {
                self.run_batch(words, id);
            }
            if let Some(b) = self.batches.get_mut(id) {
                b.bytes += file.len() + 1;
                b.args.push(file);
                b.dir = d;
            }
            return true;
        }
        let argv: Vec<String> = words.iter().map(|w| w.replace("{}", &file)).collect();
        let cwd = cwd.map(|d| String::from_utf8_lossy(&d).into_owned());
        let before = self.status;
        let st = self.run_cmd(argv, cwd.as_deref());
        // A command that cannot start fails only this test, as GNU's child does.
        self.status = before;
        st == 0
    }

    /// `-ok`: ask on stderr, read the answer line from stdin (`y`/`Y` agrees; end of
    /// input declines), then run the command with an empty standard input.
    fn ok(&mut self, words: &[String], dir: bool, c: &Cur) -> bool {
        let file = if dir {
            self.execdir_parts(c).1
        } else {
            self.path.clone()
        };
        let file = String::from_utf8_lossy(&file).into_owned();
        self.flush_out();
        let first = words.first().map_or("", String::as_str);
        let prompt = format!("< {first} ... {} > ? ", self.path_str());
        let _ = self.ctx.stderr.write_all(prompt.as_bytes());
        if !self.read_yes() {
            return false;
        }
        let argv: Vec<String> = words.iter().map(|w| w.replace("{}", &file)).collect();
        let cwd = if dir {
            Some(String::from_utf8_lossy(&self.execdir_parts(c).0).into_owned())
        } else {
            None
        };
        let before = self.status;
        self.empty_stdin = true;
        let st = self.run_cmd(argv, cwd.as_deref());
        self.empty_stdin = false;
        self.status = before;
        st == 0
    }

    /// One answer line from stdin: whether it starts with `y` or `Y`.
    fn read_yes(&mut self) -> bool {
        let mut first = None;
        let mut b = [0u8; 1];
        while let Ok(1) = self.ctx.stdin.read(&mut b) {
            if b[0] == b'\n' {
                break;
            }
            first.get_or_insert(b[0]);
        }
        matches!(first, Some(b'y' | b'Y'))
    }

    fn run_batch(&mut self, words: &[String], id: usize) {
        let Some(b) = self.batches.get_mut(id) else {
            return;
        };
        if b.args.is_empty() {
            return;
        }
        let files = std::mem::take(&mut b.args);
        let dir = std::mem::take(&mut b.dir);
        b.bytes = 0;
        let mut argv: Vec<String> = words[..words.len().saturating_sub(1)].to_vec();
        argv.extend(files);
        let cwd = (!dir.is_empty()).then(|| String::from_utf8_lossy(&dir).into_owned());
        if self.run_cmd(argv, cwd.as_deref()) != 0 {
            self.status = 1;
        }
    }

    /// Run a command (in directory `cwd` if given); its exit status.
    fn run_cmd(&mut self, argv: Vec<String>, cwd: Option<&str>) -> i32 {
        self.flush_out();
        let Some(name) = argv.first().cloned() else {
            return 0;
        };
        if !exists(self.ctx, &name, cwd) {
            let msg = format!("{}: No such file or directory", q(&name));
            self.error(&msg);
            return 1;
        }
        let env: &BTreeMap<String, String> = self.ctx.env;
        let empty = Fd::Source(std::sync::Arc::new(crate::io::Source::new(Vec::new())));
        let stdin = if self.empty_stdin {
            &empty
        } else {
            self.ctx.stdin
        };
        let st = match cwd {
            None => (self.ctx.run)(&argv, env, [stdin, self.ctx.stdout, self.ctx.stderr]),
            Some(d) => {
                let mut full = vec![
                    "bash".to_string(),
                    "-c".to_string(),
                    "cd -- \"$0\" && exec \"$@\"".to_string(),
                    d.to_string(),
                ];
                full.extend(argv);
                (self.ctx.run)(&full, env, [stdin, self.ctx.stdout, self.ctx.stderr])
            }
        };
        if self.ctx.cancel.is_cancelled() {
            self.quit = true;
            self.stop = Some(Stop::Cancelled);
        }
        if st == 141 {
            // A write to a closed pipe (SIGPIPE), as GNU reports a killed child.
            let msg = format!("{} terminated by signal 13", q(&name));
            self.error(&msg);
        }
        st
    }

    fn finish(&mut self, expr: &Node) {
        let mut execs = Vec::new();
        collect_plus(expr, &mut execs);
        for (words, id) in execs {
            self.run_batch(words, id);
        }
        self.flush_out();
    }

    fn format(&mut self, segs: &[Seg], c: &Cur, out: &mut Vec<u8>) {
        for s in segs {
            match s {
                Seg::Lit(l) => out.extend_from_slice(l),
                Seg::Stop => return,
                Seg::Dir {
                    flags,
                    width,
                    prec,
                    conv,
                    sub,
                } => {
                    let (v, numeric) = self.directive(*conv, *sub, flags, c);
                    printf::pad(out, &v, flags, *width, *prec, numeric);
                }
            }
        }
    }

    fn directive(&self, conv: u8, sub: u8, flags: &[u8], c: &Cur) -> (Vec<u8>, bool) {
        // GNU formats these numbers as strings: `0`, `+` and ` ` do nothing to them.
        let num = |v: u64| (v.to_string().into_bytes(), false);
        let m = c.meta();
        let path = &self.path;
        match conv {
            b'p' => (path.clone(), false),
            b'f' => (path.get(c.base..).unwrap_or(path).to_vec(), false),
            b'h' => match path.iter().rposition(|&b| b == b'/') {
                None => (b".".to_vec(), false),
                Some(i) => (path[..i].to_vec(), false),
            },
            b'P' => {
                let rest = path.get(self.start_len..).unwrap_or(&[]);
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (rest.to_vec(), false)
            }
            b'H' => (path[..self.start_len.min(path.len())].to_vec(), false),
            // The depth is printed with `%d`: zero padding and sign flags apply.
            b'd' => {
                let sign = if flags.contains(&b'+') {
                    "+"
                } else if flags.contains(&b' ') {
                    " "
                } else {
                    ""
                };
                (format!("{sign}{}", c.depth).into_bytes(), true)
            }
            b'D' => num(1),
            b'F' => (b"tmpfs".to_vec(), false),
            b'y' => (
                vec![c.dtype.or(m.map(|m| m.file_type)).map_or(b'U', type_letter)],
                false,
            ),
            b'Y' => {
                let t = if c.follow { c.ftype() } else { c.other_type() };
                let l = match t {
                    Some(t) if !(c.follow && t == FileType::Symlink) => type_letter(t),
                    _ => b'N',
                };
                (vec![l], false)
            }
            b'l' => {
                let t = if c.lmeta().is_some_and(|m| m.is_symlink()) {
                    c.dirv
                        .read_link(path_of(c.rel))
                        .map(|t| t.as_os_str().as_bytes().to_vec())
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                (t, false)
            }
            b'Z' => (b"?".to_vec(), false),
            _ => {
                let Some(m) = m else {
                    return (Vec::new(), false);
                };
                match conv {
                    b's' => num(m.size),
                    b'k' => num((m.blocks * 512).div_ceil(1024)),
                    b'b' => num(m.blocks),
                    b'i' => num(m.ino),
                    b'n' => num(m.nlink),
                    b'U' => num(u64::from(m.uid)),
                    b'G' => num(u64::from(m.gid)),
                    b'u' => (user_name(m.uid).into_bytes(), false),
                    b'g' => (user_name(m.gid).into_bytes(), false),
                    b'm' => {
                        let v = m.mode & 0o7777;
                        let s = if flags.contains(&b'#') {
                            format!("{v:#o}").replace("0o", "0")
                        } else {
                            format!("{v:o}")
                        };
                        (s.into_bytes(), true)
                    }
                    b'M' => (printf::mode_string(m.file_type, m.mode).to_vec(), false),
                    b'S' => {
                        let v = if m.size == 0 {
                            1.0
                        } else {
                            (m.blocks * 512) as f64 / m.size as f64
                        };
                        (format!("{v}").into_bytes(), true)
                    }
                    b'a' | b'c' | b't' => {
                        let ts = match conv {
                            b'a' => m.atime,
                            b'c' => m.ctime,
                            _ => m.mtime,
                        };
                        (printf::ctime(ts, 0).into_bytes(), false)
                    }
                    b'A' | b'C' | b'T' => {
                        let ts = match conv {
                            b'A' => m.atime,
                            b'C' => m.ctime,
                            _ => m.mtime,
                        };
                        match printf::time_field(ts, sub, 0, "UTC") {
                            Some(s) => (s.into_bytes(), false),
                            None => (vec![b'%', sub], false),
                        }
                    }
                    _ => (Vec::new(), false),
                }
            }
        }
    }
}

fn collect_plus<'n>(n: &'n Node, out: &mut Vec<(&'n [String], usize)>) {
    match n {
        Node::And(a, b) | Node::Or(a, b) | Node::Comma(a, b) => {
            collect_plus(a, out);
            collect_plus(b, out);
        }
        Node::Not(a) => collect_plus(a, out),
        Node::Exec(w, true, _, id) => out.push((w, *id)),
        _ => {}
    }
}

/// Programs that bash has as builtins but also exist as files.
const ALSO_PROGRAMS: [&str; 11] = [
    "echo", "printf", "true", "false", "test", "[", "kill", "pwd", "bash", "sh", "which",
];

/// Whether `execvp` would find `name` (run from directory `cwd` if given).
pub(super) fn exists(ctx: &Ctx<'_>, name: &str, cwd: Option<&str>) -> bool {
    if name.is_empty() {
        return false;
    }
    if name.contains('/') {
        let base = name.rsplit('/').next().unwrap_or(name);
        if (name == format!("/usr/bin/{base}") || name == format!("/bin/{base}"))
            && (Registry::shared().get(base).is_some() || ALSO_PROGRAMS.contains(&base))
        {
            return true;
        }
        let full = match cwd {
            Some(d) if !name.starts_with('/') => format!("{d}/{name}"),
            _ => name.to_string(),
        };
        return ctx.vfs.stat(full).is_ok_and(|m| !m.file_type.is_dir());
    }
    let path = ctx.env.get("PATH").map_or("/usr/bin:/bin", String::as_str);
    let registered = Registry::shared().get(name).is_some() || ALSO_PROGRAMS.contains(&name);
    path.split(':').any(|dir| {
        let dir = if dir.is_empty() { "." } else { dir };
        ((dir == "/usr/bin" || dir == "/bin") && registered)
            || ctx
                .vfs
                .stat(format!("{dir}/{name}"))
                .is_ok_and(|m| !m.file_type.is_dir())
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64};

    use super::Find;
    use crate::commands::{Command, Ctx};
    use crate::io::{Cancel, Fd, Sink, Source};

    fn run(vfs: &vfs_core::Vfs, args: &[&str]) -> (Vec<u8>, String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let total = Arc::new(AtomicU64::new(0));
        let ex = Arc::new(AtomicBool::new(false));
        let out = Arc::new(Sink::new(total.clone(), 1 << 30, ex.clone(), None));
        let err = Arc::new(Sink::new(total, 1 << 30, ex, None));
        let stdin = Fd::Source(Arc::new(Source::new(Vec::new())));
        let stdout = Fd::Sink(out.clone());
        let stderr = Fd::Sink(err.clone());
        let cancel = Cancel::new();
        let env = BTreeMap::new();
        let runner = |_: &[String], _: &BTreeMap<String, String>, _: [&Fd; 3]| -> i32 { 0 };
        let mut ctx = Ctx {
            args: &args,
            vfs,
            env: &env,
            stdin: &stdin,
            stdout: &stdout,
            stderr: &stderr,
            cancel: &cancel,
            deadline: None,
            run: &runner,
        };
        let st = Find.run(&mut ctx);
        (
            out.take(),
            String::from_utf8_lossy(&err.take()).into_owned(),
            st,
        )
    }

    #[test]
    fn hundred_thousand_files_fast() {
        let vfs = vfs_core::Vfs::new();
        for d in 0..100 {
            let dir = format!("/t/d{d}");
            vfs.create_dir_all(&dir, 0o755).unwrap();
            for f in 0..1000 {
                vfs.write(
                    format!("{dir}/f{f}.{}", if f % 10 == 0 { "x" } else { "y" }),
                    "",
                )
                .unwrap();
            }
        }
        let t = std::time::Instant::now();
        let (out, err, st) = run(&vfs, &["find", "/t", "-name", "*.x"]);
        let names = t.elapsed();
        assert_eq!((err.as_str(), st), ("", 0));
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 10_000);
        let t = std::time::Instant::now();
        let (out, _, _) = run(
            &vfs,
            &[
                "find", "/t", "-type", "f", "-size", "-1", "-printf", "%s %p\n",
            ],
        );
        let stats = t.elapsed();
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 100_000);
        let t = std::time::Instant::now();
        let (out, _, _) = run(&vfs, &["find", "/t"]);
        let all = t.elapsed();
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 100_101);
        eprintln!("find -name: {names:?}, -size/-printf: {stats:?}, print all: {all:?}");
        assert!(names.as_secs() < 5 && stats.as_secs() < 5 && all.as_secs() < 5);
    }

    #[test]
    fn deep_tree_on_a_small_stack() {
        let vfs = vfs_core::Vfs::new();
        let mut p = String::new();
        for _ in 0..2000 {
            p.push_str("/d");
        }
        vfs.create_dir_all(&p, 0o755).unwrap();
        let h = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let (out, err, st) = run(&vfs, &["find", "/d", "-depth", "-name", "d"]);
                (out.iter().filter(|&&b| b == b'\n').count(), err, st)
            })
            .unwrap();
        assert_eq!(h.join().unwrap(), (2000, String::new(), 0));
    }

    #[test]
    fn owners_and_messages() {
        let vfs = vfs_core::Vfs::new();
        vfs.write("/f", "x").unwrap();
        vfs.chown("/f", Some(1000), Some(1000), true).unwrap();
        let (out, _, st) = run(&vfs, &["find", "/f", "-nouser", "-printf", "%u %g %U\n"]);
        assert_eq!((out.as_slice(), st), (&b"1000 1000 1000\n"[..], 0));
        let (out, _, _) = run(&vfs, &["find", "/f", "-user", "1000", "-uid", "+999"]);
        assert_eq!(out, b"/f\n");
        let (_, err, st) = run(&vfs, &["find", "/f", "-user", "bob"]);
        assert_eq!(
            (err.as_str(), st),
            ("find: 'bob' is not the name of a known user\n", 1)
        );
        // `-ok` with nothing to read on stdin declines.
        let (out, err, st) = run(&vfs, &["find", "/f", "-ok", "rm", "{}", ";"]);
        assert_eq!(
            (out.as_slice(), err.as_str(), st),
            (&b""[..], "< rm ... /f > ? ", 0)
        );
    }

    #[test]
    fn odd_arguments_do_not_panic() {
        let vfs = vfs_core::Vfs::new();
        vfs.write("/f", "x").unwrap();
        let sets: &[&[&str]] = &[
            &["find", "-printf", "%", "/"],
            &["find", "/", "-printf", "%T"],
            &["find", "/", "-printf", "%-+#0 9.9Tq%5.Y\\777\\"],
            &["find", "/", "-exec", "{}", "+"],
            &["find", "/", "-execdir", "{}", ";"],
            &["find", "/", "(", "!", ")"],
            &["find", "/", "-size", "+"],
            &["find", "/", "-mtime", "-"],
            &["find", "/", "-newerXY", "/f"],
            &["find", "-D"],
            &["find", "/", "-perm", "/"],
            &["find", "/", ",", "-o"],
        ];
        for a in sets {
            let _ = run(&vfs, a);
        }
    }
}

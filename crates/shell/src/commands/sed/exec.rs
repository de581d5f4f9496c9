//! Running a compiled sed script, following GNU sed 4.9's `execute.c`: the cycle, the
//! address and range rules, the append queue, the "missing newline" bookkeeping of each
//! output, `s` with GNU's empty-match and case-conversion rules, and in-place editing.

use std::sync::Arc;

use super::input::Reader;
use super::parse::{
    Addr, Cmd, Kind, Piece, REPL_LOWER, REPL_LOWER_FIRST, REPL_MODIFIERS, REPL_UPPER,
    REPL_UPPER_FIRST, Range, Script, Subst,
};
use crate::commands::util::{MAX_INPUT, Out};
use crate::commands::{Ctx, Stop};
use crate::io::{Fd, Sink, errno_message};
use crate::posix_regex::Regex;
use std::sync::atomic::{AtomicBool, AtomicU64};

/// Run-time options.
#[derive(Clone, Debug, Default)]
pub struct RunOpts {
    /// `-n` or `#n`.
    pub quiet: bool,
    /// `-s` (implied by `-i`).
    pub separate: bool,
    /// `-i[SUFFIX]`: the suffix (empty for no backup).
    pub in_place: Option<String>,
    /// `-z`.
    pub null_data: bool,
    /// `-u`.
    pub unbuffered: bool,
    /// `-l N`.
    pub line_len: usize,
    /// `--posix` or POSIXLY_CORRECT: `N` on the last line prints nothing.
    pub posix_n: bool,
    /// `--follow-symlinks`.
    pub follow_symlinks: bool,
    /// Where compile errors point at the end of compilation (for run-time ones).
    pub location: String,
}

/// Why execution stops early.
enum Halt {
    Stop(Stop),
    Exit(i32),
}

impl From<Stop> for Halt {
    fn from(s: Stop) -> Halt {
        Halt::Stop(s)
    }
}

enum Pending {
    Text(usize),
    File(String),
    Line(Vec<u8>),
}

enum WKind {
    Stdout,
    Stderr,
    File(Fd),
    Broken,
}

struct WFile {
    kind: WKind,
    missing: bool,
}

#[derive(Clone, Copy)]
enum Dest {
    Main,
    W(usize),
}

struct InPlace {
    path: String,
    buf: Vec<u8>,
}

enum Flow {
    /// End of script: autoprint.
    End,
    /// `d` and friends: no autoprint.
    Delete,
    /// `q`/`Q`.
    Quit(i32),
}

struct Engine<'c, 'a> {
    ctx: &'c Ctx<'a>,
    opts: RunOpts,
    delim: u8,
    out: Out<'c, 'a>,
    inplace: Option<InPlace>,
    main_missing: bool,
    wfiles: Vec<WFile>,
    rfiles: Vec<Option<Reader>>,
    rnames: Vec<String>,
    ps: Vec<u8>,
    hold: Vec<u8>,
    scratch: Vec<u8>,
    chomped: bool,
    /// The hold space's own "ended in a newline" flag (GNU keeps one per buffer).
    hold_chomped: bool,
    line: u64,
    replaced: bool,
    append: Vec<Pending>,
    last_re: Option<usize>,
    files: Vec<String>,
    next_file: usize,
    cur: Option<Reader>,
    cur_name: String,
    queued: Option<(Reader, String)>,
    status: i32,
    steps: u32,
    reset_ranges: bool,
}

/// Run `script` over `files` (stdin when empty); returns the exit status.
pub fn run(ctx: &Ctx<'_>, mut script: Script, opts: RunOpts, files: Vec<String>) -> i32 {
    let delim = if opts.null_data { 0 } else { b'\n' };
    let mut e = Engine {
        ctx,
        delim,
        out: Out::new(ctx),
        inplace: None,
        main_missing: false,
        wfiles: Vec::new(),
        rfiles: Vec::new(),
        rnames: script.rfiles.clone(),
        ps: Vec::new(),
        hold: Vec::new(),
        scratch: Vec::new(),
        chomped: true,
        hold_chomped: true,
        line: 0,
        replaced: false,
        append: Vec::new(),
        last_re: None,
        files: if files.is_empty() {
            vec!["-".into()]
        } else {
            files
        },
        next_file: 0,
        cur: None,
        cur_name: String::new(),
        queued: None,
        status: 0,
        steps: 0,
        reset_ranges: false,
        opts,
    };
    for name in &script.wfiles {
        let kind = match name.as_str() {
            "/dev/stdout" => WKind::Stdout,
            "/dev/stderr" => WKind::Stderr,
            _ => match ctx.open_output(name, false) {
                Ok(fd) => WKind::File(fd),
                Err(m) => {
                    let msg = m.rsplit(": ").next().unwrap_or("").to_string();
                    ctx.err(&format!("couldn't open file {name}: {msg}"));
                    return 4;
                }
            },
        };
        e.wfiles.push(WFile {
            kind,
            missing: false,
        });
    }
    e.rfiles = (0..e.rnames.len()).map(|_| None).collect();
    let r = e.main_loop(&mut script);
    let code = match r {
        Ok(code) => code,
        Err(Halt::Stop(s)) => return Ctx::stop_status(s),
        Err(Halt::Exit(c)) => {
            let _ = e.out.flush();
            return c;
        }
    };
    if let Err(h) = e.finish_inplace() {
        return match h {
            Halt::Stop(s) => Ctx::stop_status(s),
            Halt::Exit(c) => c,
        };
    }
    if let Err(s) = e.out.flush() {
        return Ctx::stop_status(s);
    }
    match code {
        Some(c) if c != 0 => c,
        _ => e.status,
    }
}

fn msg_of(m: &str, path: &str) -> String {
    m.strip_prefix(path)
        .and_then(|r| r.strip_prefix(": "))
        .unwrap_or(m)
        .to_string()
}

impl<'c, 'a> Engine<'c, 'a> {
    fn main_loop(&mut self, script: &mut Script) -> Result<Option<i32>, Halt> {
        while self.read_pattern_space(script, false)? {
            if self.ctx.cancel.is_cancelled() {
                return Err(Halt::Exit(130));
            }
            match self.execute(script)? {
                Flow::End => {
                    if !self.opts.quiet {
                        self.emit_ps(Dest::Main)?;
                    }
                }
                Flow::Delete => {}
                Flow::Quit(c) => return Ok(Some(c)),
            }
            if self.opts.unbuffered {
                self.out.flush()?;
            }
        }
        Ok(None)
    }

    // ----- input -------------------------------------------------------------------

    fn open_file(&mut self, name: &str) -> Option<Reader> {
        if self.opts.in_place.is_some() {
            let mut path = name.to_string();
            if self.opts.follow_symlinks
                && let Ok(p) = self.ctx.vfs.canonicalize(name)
            {
                path = p.to_string_lossy().into_owned();
            }
            match self.ctx.vfs.stat(&path) {
                Err(e) => {
                    self.ctx.err(&format!("can't read {name}: {}", e.errno()));
                    self.status = 2;
                    return None;
                }
                Ok(m) if !m.is_file() => {
                    self.ctx
                        .err(&format!("couldn't edit {name}: not a regular file"));
                    self.status = 4;
                    return None;
                }
                Ok(_) => {}
            }
            return match self
                .ctx
                .vfs
                .open(&path, &vfs_core::OpenOptions::read_only())
            {
                Ok(h) => {
                    self.inplace = Some(InPlace {
                        path,
                        buf: Vec::new(),
                    });
                    self.main_missing = false;
                    Some(Reader::new(Fd::File {
                        handle: Arc::new(parking_lot::Mutex::new(h)),
                        path: name.into(),
                    }))
                }
                Err(e) => {
                    self.ctx.err(&format!("can't read {name}: {}", e.errno()));
                    self.status = 2;
                    None
                }
            };
        }
        match self.ctx.open_input(name) {
            Ok(fd) => Some(Reader::new(fd)),
            Err(m) => {
                self.ctx
                    .err(&format!("can't read {name}: {}", msg_of(&m, name)));
                self.status = 2;
                None
            }
        }
    }

    /// Open the next file that opens (reporting the others); `false` when none is left.
    fn open_next(&mut self) -> bool {
        if let Some((r, name)) = self.queued.take() {
            self.cur = Some(r);
            self.cur_name = name;
            return true;
        }
        while self.next_file < self.files.len() {
            let name = self.files[self.next_file].clone();
            self.next_file += 1;
            if let Some(r) = self.open_file(&name) {
                self.cur = Some(r);
                self.cur_name = name;
                if self.opts.separate {
                    self.line = 0;
                }
                return true;
            }
        }
        false
    }

    fn read_error(&mut self, e: &std::io::Error) -> Halt {
        if self.ctx.cancel.is_cancelled() {
            return Halt::Exit(130);
        }
        if e.kind() == std::io::ErrorKind::Other && e.raw_os_error().is_none() {
            self.ctx.err("couldn't re-allocate memory");
            return Halt::Exit(4);
        }
        self.ctx.err(&format!(
            "read error on {}: {}",
            if self.cur_name == "-" {
                "stdin"
            } else {
                &self.cur_name
            },
            errno_message(e)
        ));
        self.status = 2;
        Halt::Exit(2)
    }

    /// GNU's `test_eof`: is the current line the last one?
    fn is_last(&mut self) -> bool {
        if let Some(r) = &mut self.cur {
            match r.has_more() {
                Ok(true) => return false,
                Ok(false) => {}
                Err(_) => return true,
            }
        }
        if self.opts.separate {
            return true;
        }
        if self.queued.is_some() {
            return false;
        }
        while self.next_file < self.files.len() {
            let name = self.files[self.next_file].clone();
            self.next_file += 1;
            if let Some(mut r) = self.open_file(&name)
                && r.has_more().unwrap_or(false)
            {
                self.queued = Some((r, name));
                return false;
            }
        }
        true
    }

    fn read_pattern_space(&mut self, script: &Script, append: bool) -> Result<bool, Halt> {
        self.dump_append(script)?;
        self.replaced = false;
        if !append {
            self.ps.clear();
        }
        loop {
            if self.cur.is_none() {
                if !self.open_next() {
                    return Ok(false);
                }
                if self.opts.separate {
                    self.reset_ranges = true;
                }
            }
            let Some(r) = self.cur.as_mut() else {
                return Ok(false);
            };
            let mark = self.ps.len();
            if append {
                self.ps.push(self.delim);
            }
            match r.read_record(self.delim, &mut self.ps, MAX_INPUT) {
                Ok(Some(had)) => {
                    self.chomped = had;
                    self.line += 1;
                    return Ok(true);
                }
                Ok(None) => {
                    self.ps.truncate(mark);
                    self.cur = None;
                    self.finish_inplace()?;
                }
                Err(e) => {
                    self.ps.truncate(mark);
                    let h = self.read_error(&e);
                    self.cur = None;
                    if let Halt::Exit(2) = h {
                        self.finish_inplace()?;
                        continue;
                    }
                    return Err(h);
                }
            }
        }
    }

    fn finish_inplace(&mut self) -> Result<(), Halt> {
        let Some(ip) = self.inplace.take() else {
            return Ok(());
        };
        let vfs = self.ctx.vfs;
        let mode = vfs.stat(&ip.path).map(|m| m.mode & 0o7777).ok();
        if let Some(suffix) = self.opts.in_place.as_deref()
            && !suffix.is_empty()
        {
            let (dir, base) = match ip.path.rfind('/') {
                Some(i) => (&ip.path[..=i], &ip.path[i + 1..]),
                None => ("", ip.path.as_str()),
            };
            let bname = if suffix.contains('*') {
                suffix.replace('*', base)
            } else {
                format!("{base}{suffix}")
            };
            let backup = if bname.contains('/') {
                bname
            } else {
                format!("{dir}{bname}")
            };
            if let Err(e) = vfs.rename(&ip.path, &backup) {
                self.ctx
                    .err(&format!("cannot rename {}: {}", ip.path, e.errno()));
                return Err(Halt::Exit(4));
            }
        } else if !self.opts.follow_symlinks && vfs.lstat(&ip.path).is_ok_and(|m| m.is_symlink()) {
            let _ = vfs.unlink(&ip.path);
        }
        if let Err(e) = vfs.write(&ip.path, ip.buf) {
            self.ctx
                .err(&format!("couldn't open file {}: {}", ip.path, e.errno()));
            return Err(Halt::Exit(4));
        }
        if let Some(m) = mode {
            let _ = vfs.chmod(&ip.path, m);
        }
        Ok(())
    }

    // ----- output ------------------------------------------------------------------

    fn write_to(&mut self, dest: Dest, data: &[u8]) -> Result<(), Halt> {
        match dest {
            Dest::Main => match &mut self.inplace {
                Some(ip) => {
                    if ip.buf.len() + data.len() > MAX_INPUT {
                        self.ctx.err("couldn't re-allocate memory");
                        return Err(Halt::Exit(4));
                    }
                    ip.buf.extend_from_slice(data);
                    Ok(())
                }
                None => Ok(self.out.put(data)?),
            },
            Dest::W(i) => {
                let Some(w) = self.wfiles.get(i) else {
                    return Ok(());
                };
                match &w.kind {
                    WKind::Stdout => Ok(self.out.put(data)?),
                    WKind::Stderr => {
                        let _ = self.ctx.stderr.write_all(data);
                        Ok(())
                    }
                    WKind::File(fd) => {
                        if let Err(e) = fd.write_all(data) {
                            self.ctx.err(&format!(
                                "couldn't write to {}: {}",
                                self.ctx.args.first().map_or("", |_| ""),
                                errno_message(&e)
                            ));
                            if let Some(w) = self.wfiles.get_mut(i) {
                                w.kind = WKind::Broken;
                            }
                            return Err(Halt::Exit(4));
                        }
                        Ok(())
                    }
                    WKind::Broken => Ok(()),
                }
            }
        }
    }

    fn missing(&mut self, dest: Dest) -> &mut bool {
        match dest {
            Dest::Main => &mut self.main_missing,
            Dest::W(i) => match self.wfiles.get_mut(i) {
                Some(w) => &mut w.missing,
                None => &mut self.main_missing,
            },
        }
    }

    fn missing_newline(&mut self, dest: Dest) -> Result<(), Halt> {
        let m = self.missing(dest);
        if *m {
            *m = false;
            self.write_to(dest, b"\n")?;
        }
        Ok(())
    }

    fn emit(
        &mut self,
        dest: Dest,
        range: (usize, usize),
        nl: bool,
        from_ps: bool,
    ) -> Result<(), Halt> {
        self.missing_newline(dest)?;
        let data = if from_ps {
            std::mem::take(&mut self.ps)
        } else {
            Vec::new()
        };
        let r = self.write_to(dest, &data[range.0..range.1]);
        if from_ps {
            self.ps = data;
        }
        r?;
        if nl {
            let d = [self.delim];
            self.write_to(dest, &d)?;
        } else {
            *self.missing(dest) = true;
        }
        Ok(())
    }

    fn emit_ps(&mut self, dest: Dest) -> Result<(), Halt> {
        if let (Dest::Main, None) = (dest, &self.inplace)
            && !self.main_missing
        {
            // Fast path: straight into the stdout buffer.
            self.out.put(&self.ps)?;
            if self.chomped {
                self.out.put(&[self.delim])?;
            } else {
                self.main_missing = true;
            }
            return Ok(());
        }
        let n = self.ps.len();
        self.emit(dest, (0, n), self.chomped, true)
    }

    fn emit_first_line(&mut self, dest: Dest) -> Result<(), Halt> {
        match memchr::memchr(self.delim, &self.ps) {
            Some(i) => self.emit(dest, (0, i), true, true),
            None => self.emit_ps(dest),
        }
    }

    fn emit_text(&mut self, text: &[u8]) -> Result<(), Halt> {
        self.missing_newline(Dest::Main)?;
        self.write_to(Dest::Main, text)
    }

    fn dump_append(&mut self, script: &Script) -> Result<(), Halt> {
        if self.append.is_empty() {
            return Ok(());
        }
        for item in std::mem::take(&mut self.append) {
            match item {
                Pending::Text(i) => {
                    if let Some(Cmd {
                        kind: Kind::Append(t),
                        ..
                    }) = script.cmds.get(i)
                    {
                        self.emit_text(t)?;
                    }
                }
                Pending::Line(l) => self.emit_text(&l)?,
                Pending::File(name) => {
                    let fd = if name == "/dev/stdin" {
                        Some(self.ctx.stdin.clone())
                    } else {
                        match self.ctx.vfs.stat(&name) {
                            Ok(m) if m.is_file() => self.open_plain(&name),
                            Ok(m) if m.is_dir() => return Err(self.dir_error(&name)),
                            _ => self.ctx.dev_file(&name),
                        }
                    };
                    if let Some(fd) = fd {
                        let mut data = Vec::new();
                        let _ = Reader::new(fd).read_rest(&mut data, MAX_INPUT);
                        self.emit_text(&data)?;
                    }
                }
            }
        }
        Ok(())
    }

    // ----- addresses ---------------------------------------------------------------

    fn re_match(&mut self, script: &Script, r: Option<usize>) -> Result<bool, Halt> {
        let idx = match r {
            Some(i) => {
                self.last_re = Some(i);
                i
            }
            None => match self.last_re {
                Some(i) => i,
                None => return Err(self.no_previous()),
            },
        };
        if let Some(Some(f)) = script.literals.get(idx) {
            return Ok(f.find(&self.ps).is_some());
        }
        Ok(script
            .regexes
            .get(idx)
            .is_some_and(|re| re.is_match(&self.ps)))
    }

    fn no_previous(&self) -> Halt {
        self.ctx.err(&format!(
            "{}: no previous regular expression",
            self.opts.location
        ));
        Halt::Exit(1)
    }

    fn match_one(&mut self, script: &Script, a: Addr) -> Result<bool, Halt> {
        Ok(match a {
            Addr::Line(n) => self.line == n,
            Addr::Last => self.is_last(),
            Addr::Re(r) => self.re_match(script, r)?,
            Addr::Step(first, step) => {
                self.line >= first && step > 0 && (self.line - first).is_multiple_of(step)
            }
            Addr::Plus(_) | Addr::Mult(_) => false,
        })
    }

    fn match_address(&mut self, script: &mut Script, pc: usize) -> Result<bool, Halt> {
        let Some(cmd) = script.cmds.get(pc) else {
            return Ok(false);
        };
        let (a1, a2, range, range_end) = (cmd.a1, cmd.a2, cmd.range, cmd.range_end);
        let Some(a1) = a1 else {
            return Ok(true);
        };
        let Some(a2) = a2 else {
            return self.match_one(script, a1);
        };
        let l = self.line;
        let (result, new_range, new_end) = match range {
            Range::Active => match a2 {
                Addr::Line(_) | Addr::Plus(_) | Addr::Mult(_) => {
                    let st = if l >= range_end {
                        Range::Inactive
                    } else {
                        Range::Active
                    };
                    (l <= range_end, st, range_end)
                }
                _ => {
                    let st = if self.match_one(script, a2)? {
                        Range::Inactive
                    } else {
                        Range::Active
                    };
                    (true, st, range_end)
                }
            },
            Range::Inactive => {
                if !self.match_one(script, a1)? {
                    (false, range, range_end)
                } else {
                    match a2 {
                        Addr::Line(n) => {
                            if n <= l {
                                (true, Range::Inactive, n)
                            } else {
                                (true, Range::Active, n)
                            }
                        }
                        Addr::Plus(n) => {
                            let end = l.saturating_add(n);
                            (
                                true,
                                if end > l {
                                    Range::Active
                                } else {
                                    Range::Inactive
                                },
                                end,
                            )
                        }
                        Addr::Mult(n) => {
                            let end = l
                                .checked_div(n)
                                .map_or(l, |q| q.saturating_add(1).saturating_mul(n));
                            (
                                true,
                                if end > l {
                                    Range::Active
                                } else {
                                    Range::Inactive
                                },
                                end,
                            )
                        }
                        _ => (true, Range::Active, range_end),
                    }
                }
            }
        };
        if let Some(c) = script.cmds.get_mut(pc) {
            c.range = new_range;
            c.range_end = new_end;
        }
        Ok(result)
    }

    // ----- the script --------------------------------------------------------------

    fn execute(&mut self, script: &mut Script) -> Result<Flow, Halt> {
        if self.reset_ranges {
            self.reset_ranges = false;
            for c in &mut script.cmds {
                c.range = if c.a1 == Some(Addr::Line(0)) {
                    Range::Active
                } else {
                    Range::Inactive
                };
            }
        }
        let mut pc = 0;
        while pc < script.cmds.len() {
            self.steps = self.steps.wrapping_add(1);
            if self.steps.is_multiple_of(4096) && self.ctx.cancel.is_cancelled() {
                return Err(Halt::Exit(130));
            }
            let m = self.match_address(script, pc)?;
            let cmd = &script.cmds[pc];
            let matched = m != cmd.bang;
            if !matched {
                pc = match cmd.kind {
                    Kind::Block(end) => end + 1,
                    _ => pc + 1,
                };
                continue;
            }
            pc += 1;
            match &cmd.kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::LineNo => {
                    let s = format!("{}", self.line);
                    self.emit_text(s.as_bytes())?;
                    let d = [self.delim];
                    self.write_to(Dest::Main, &d)?;
                }
                Kind::Exec(c) if c.is_empty() => {
                    let cmd = std::mem::take(&mut self.ps);
                    self.ps = self.shell_output(&cmd)?;
                }
                Kind::Exec(c) => {
                    let out = self.run_shell(c)?;
                    self.missing_newline(Dest::Main)?;
                    self.write_to(Dest::Main, &out)?;
                }
                Kind::Append(_) => self.append.push(Pending::Text(pc - 1)),
                Kind::Insert(t) => self.emit_text(t)?,
                Kind::Change(t) => {
                    if !(cmd.a2.is_some() && cmd.range == Range::Active) {
                        self.emit_text(t)?;
                    }
                    return Ok(Flow::Delete);
                }
                Kind::Branch(t) => match t {
                    Some(i) => pc = *i,
                    None => return Ok(Flow::End),
                },
                Kind::BranchIf(t) => {
                    if self.replaced {
                        self.replaced = false;
                        match t {
                            Some(i) => pc = *i,
                            None => return Ok(Flow::End),
                        }
                    }
                }
                Kind::BranchUnless(t) => {
                    if self.replaced {
                        self.replaced = false;
                    } else {
                        match t {
                            Some(i) => pc = *i,
                            None => return Ok(Flow::End),
                        }
                    }
                }
                Kind::Delete => return Ok(Flow::Delete),
                Kind::DeleteFirst => match memchr::memchr(self.delim, &self.ps) {
                    None => return Ok(Flow::Delete),
                    Some(i) => {
                        self.ps.drain(..=i);
                        pc = 0;
                    }
                },
                Kind::FileName => {
                    let name = self.cur_name.clone();
                    self.emit_text(name.as_bytes())?;
                    let d = [self.delim];
                    self.write_to(Dest::Main, &d)?;
                }
                Kind::Get => {
                    self.ps.clear();
                    self.ps.extend_from_slice(&self.hold);
                    self.chomped = self.hold_chomped;
                }
                Kind::GetAppend => {
                    self.check_size(self.ps.len() + self.hold.len())?;
                    self.ps.push(self.delim);
                    self.ps.extend_from_slice(&self.hold);
                    self.chomped = self.hold_chomped;
                }
                Kind::Hold => {
                    self.hold.clear();
                    self.hold.extend_from_slice(&self.ps);
                    self.hold_chomped = self.chomped;
                }
                Kind::HoldAppend => {
                    self.check_size(self.ps.len() + self.hold.len())?;
                    self.hold.push(self.delim);
                    self.hold.extend_from_slice(&self.ps);
                    self.hold_chomped = self.chomped;
                }
                Kind::List(n) => {
                    let w = n.unwrap_or(self.opts.line_len);
                    self.do_list(w)?;
                }
                Kind::Next => {
                    if self.is_last() {
                        return Ok(Flow::End);
                    }
                    if !self.opts.quiet {
                        self.emit_ps(Dest::Main)?;
                    }
                    if !self.read_pattern_space(script, false)? {
                        return Ok(Flow::Delete);
                    }
                }
                Kind::NextAppend => {
                    if self.is_last() {
                        if self.opts.posix_n {
                            return Ok(Flow::Delete);
                        }
                        return Ok(Flow::End);
                    }
                    self.check_size(self.ps.len())?;
                    if !self.read_pattern_space(script, true)? {
                        return Ok(Flow::End);
                    }
                }
                Kind::Print => self.emit_ps(Dest::Main)?,
                Kind::PrintFirst => self.emit_first_line(Dest::Main)?,
                Kind::Quit(c) => {
                    let c = *c;
                    if !self.opts.quiet {
                        self.emit_ps(Dest::Main)?;
                    }
                    self.dump_append(script)?;
                    return Ok(Flow::Quit(c));
                }
                Kind::QuitSilent(c) => return Ok(Flow::Quit(*c)),
                Kind::ReadFile(f) => self.append.push(Pending::File(f.clone())),
                Kind::ReadLine(i) => self.read_line_file(*i)?,
                Kind::Subst(s) => {
                    if self.do_subst(s, &script.regexes, &script.literals)? {
                        if s.eval {
                            let cmd = std::mem::take(&mut self.ps);
                            self.ps = self.shell_output(&cmd)?;
                        }
                        if s.print {
                            self.emit_ps(Dest::Main)?;
                        }
                        if let Some(w) = s.wfile {
                            self.emit_ps(Dest::W(w))?;
                        }
                    }
                }
                Kind::Write(w) => self.emit_ps(Dest::W(*w))?,
                Kind::WriteFirst(w) => self.emit_first_line(Dest::W(*w))?,
                Kind::Exchange => {
                    std::mem::swap(&mut self.ps, &mut self.hold);
                    std::mem::swap(&mut self.chomped, &mut self.hold_chomped);
                }
                Kind::Translate(map) => {
                    for b in self.ps.iter_mut() {
                        *b = map[usize::from(*b)];
                    }
                }
                Kind::Zap => self.ps.clear(),
            }
        }
        Ok(Flow::End)
    }

    fn check_size(&self, n: usize) -> Result<(), Halt> {
        if n > MAX_INPUT {
            self.ctx.err("couldn't re-allocate memory");
            return Err(Halt::Exit(4));
        }
        Ok(())
    }

    /// A VFS file by name (`-` is a file here, not stdin).
    fn open_plain(&self, name: &str) -> Option<Fd> {
        let h = self
            .ctx
            .vfs
            .open(name, &vfs_core::OpenOptions::read_only())
            .ok()?;
        Some(Fd::File {
            handle: Arc::new(parking_lot::Mutex::new(h)),
            path: name.into(),
        })
    }

    fn dir_error(&self, name: &str) -> Halt {
        self.ctx
            .err(&format!("read error on {name}: Is a directory"));
        Halt::Exit(4)
    }

    fn read_line_file(&mut self, i: usize) -> Result<(), Halt> {
        if self.rfiles.get(i).is_some_and(Option::is_none) {
            let name = self.rnames.get(i).cloned().unwrap_or_default();
            let fd = if name == "/dev/stdin" {
                Some(self.ctx.stdin.clone())
            } else {
                match self.ctx.vfs.stat(&name) {
                    Ok(m) if m.is_file() => self.open_plain(&name),
                    Ok(m) if m.is_dir() => return Err(self.dir_error(&name)),
                    _ => self.ctx.dev_file(&name),
                }
            };
            let Some(fd) = fd else { return Ok(()) };
            self.rfiles[i] = Some(Reader::new(fd));
        }
        let Some(Some(r)) = self.rfiles.get_mut(i) else {
            return Ok(());
        };
        let mut v = Vec::new();
        if let Ok(Some(had)) = r.read_record(self.delim, &mut v, MAX_INPUT) {
            if had {
                v.push(self.delim);
            }
            self.append.push(Pending::Line(v));
        }
        Ok(())
    }

    fn do_list(&mut self, width: usize) -> Result<(), Halt> {
        self.missing_newline(Dest::Main)?;
        let mut o = Vec::with_capacity(self.ps.len() * 2 + 4);
        let mut col = 0usize;
        let mut piece = [0u8; 4];
        for &b in &self.ps {
            let n = match b {
                b'\\' => {
                    piece[..2].copy_from_slice(b"\\\\");
                    2
                }
                0x20..=0x7e => {
                    piece[0] = b;
                    1
                }
                7 | 8 | 12 | b'\n' | b'\r' | b'\t' | 11 => {
                    piece[0] = b'\\';
                    piece[1] = match b {
                        7 => b'a',
                        8 => b'b',
                        12 => b'f',
                        b'\n' => b'n',
                        b'\r' => b'r',
                        b'\t' => b't',
                        _ => b'v',
                    };
                    2
                }
                _ => {
                    piece[0] = b'\\';
                    piece[1] = b'0' + (b >> 6);
                    piece[2] = b'0' + ((b >> 3) & 7);
                    piece[3] = b'0' + (b & 7);
                    4
                }
            };
            if width > 0 && col + n > width - 1 {
                o.extend_from_slice(b"\\\n");
                col = 0;
            }
            o.extend_from_slice(&piece[..n]);
            col += n;
        }
        o.push(b'$');
        o.push(self.delim);
        self.write_to(Dest::Main, &o)
    }

    /// Run `cmd` with `sh -c` (as `popen`); its standard output.
    fn run_shell(&mut self, cmd: &[u8]) -> Result<Vec<u8>, Halt> {
        self.out.flush()?;
        let sink = Arc::new(Sink::new(
            Arc::new(AtomicU64::new(0)),
            MAX_INPUT as u64,
            Arc::new(AtomicBool::new(false)),
            None,
        ));
        let fd = Fd::Sink(Arc::clone(&sink));
        let argv = vec![
            "sh".to_string(),
            "-c".to_string(),
            String::from_utf8_lossy(cmd).into_owned(),
        ];
        let (i, e) = (self.ctx.stdin.clone(), self.ctx.stderr.clone());
        (self.ctx.run)(&argv, self.ctx.env, [&i, &fd, &e]);
        if self.ctx.cancel.is_cancelled() {
            return Err(Halt::Exit(130));
        }
        Ok(sink.take())
    }

    /// `e` and `s///e`: the output of the command, less one trailing delimiter.
    fn shell_output(&mut self, cmd: &[u8]) -> Result<Vec<u8>, Halt> {
        let mut out = self.run_shell(cmd)?;
        if out.last() == Some(&self.delim) {
            out.pop();
        }
        Ok(out)
    }

    fn do_subst(
        &mut self,
        s: &Subst,
        regexes: &[Regex],
        literals: &[Option<memchr::memmem::Finder<'static>>],
    ) -> Result<bool, Halt> {
        let idx = match s.re {
            Some(i) => {
                self.last_re = Some(i);
                i
            }
            None => match self.last_re {
                Some(i) => i,
                None => return Err(self.no_previous()),
            },
        };
        let Some(re) = regexes.get(idx) else {
            return Ok(false);
        };
        let ps = &self.ps;
        let len = ps.len();
        let out = &mut self.scratch;
        out.clear();
        let mut pos = 0;
        let mut last_end: Option<usize> = None;
        let mut count: u64 = 0;
        let mut copied = 0;
        let mut did = false;
        let mut mask = 0u8;
        let anchored = re.anchored_at_start();
        let lit = literals.get(idx).and_then(Option::as_ref);
        let mut groups: Vec<Option<(usize, usize)>>;
        while pos <= len {
            let mut one = [None];
            let caps: &[Option<(usize, usize)>] = if s.needs_groups {
                match re.captures_at(ps, pos) {
                    Some(c) => {
                        groups = c;
                        &groups
                    }
                    None => break,
                }
            } else {
                let m = match lit {
                    Some(f) => {
                        let n = f.needle().len();
                        f.find(&ps[pos..]).map(|i| (pos + i, pos + i + n))
                    }
                    None => re.find_at(ps, pos),
                };
                let Some(m) = m else { break };
                one[0] = Some(m);
                &one
            };
            let Some(Some((st, en))) = caps.first().copied() else {
                break;
            };
            if st == en && Some(en) == last_end {
                pos = st + 1;
                last_end = None;
                continue;
            }
            count += 1;
            if count >= s.nth {
                out.extend_from_slice(&ps[copied..st]);
                mask = append_replacement(out, &s.pieces, ps, caps, mask);
                copied = en;
                did = true;
                if !s.global {
                    break;
                }
                if out.len() > MAX_INPUT {
                    self.ctx.err("couldn't re-allocate memory");
                    return Err(Halt::Exit(4));
                }
            }
            if anchored {
                break;
            }
            pos = if en == st { en + 1 } else { en };
            last_end = Some(en);
        }
        if !did {
            return Ok(false);
        }
        out.extend_from_slice(&ps[copied..]);
        std::mem::swap(&mut self.ps, &mut self.scratch);
        self.replaced = true;
        Ok(true)
    }
}

fn append_modified(out: &mut Vec<u8>, text: &[u8], t: u8) {
    if t == 0 {
        out.extend_from_slice(text);
        return;
    }
    let Some((&first, rest)) = text.split_first() else {
        return;
    };
    let mut rest = rest;
    if t & REPL_UPPER_FIRST != 0 {
        out.push(first.to_ascii_uppercase());
    } else if t & REPL_LOWER_FIRST != 0 {
        out.push(first.to_ascii_lowercase());
    } else {
        rest = text;
    }
    let t = t & !REPL_MODIFIERS;
    match t {
        REPL_UPPER => out.extend(rest.iter().map(u8::to_ascii_uppercase)),
        REPL_LOWER => out.extend(rest.iter().map(u8::to_ascii_lowercase)),
        _ => out.extend_from_slice(rest),
    }
}

fn append_replacement(
    out: &mut Vec<u8>,
    pieces: &[Piece],
    ps: &[u8],
    caps: &[Option<(usize, usize)>],
    mut mask: u8,
) -> u8 {
    for p in pieces {
        let mut curr = if p.repl_type & REPL_MODIFIERS != 0 {
            p.repl_type
        } else {
            p.repl_type | mask
        };
        mask = 0;
        if !p.prefix.is_empty() {
            append_modified(out, &p.prefix, curr);
            curr &= !REPL_MODIFIERS;
        }
        if let Some(g) = p.group {
            let span = caps.get(g).copied().flatten();
            match span {
                Some((a, b)) if a != b => append_modified(out, &ps[a..b], curr),
                _ => {
                    if p.repl_type & REPL_MODIFIERS != 0 {
                        mask = curr & REPL_MODIFIERS;
                    }
                }
            }
        }
    }
    mask
}

//! Input records (RS as a byte, paragraph mode or a regex), output redirections (`>`,
//! `>>`, `| cmd`), `getline` in all its forms, `close`, `fflush` and `system`.

use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};

use super::ast::{GetSrc, LValue, Redir};
use super::interp::{Cell, Flow, Interp, R};
use super::parser::{NR, RT};
use super::value::Value;
use crate::commands::util::MAX_INPUT;
use crate::io::{Cancel, Fd, Sink, Source};
use crate::posix_regex::Regex;

/// How records end.
#[derive(Clone)]
pub enum RsMode {
    /// At one byte.
    Byte(u8),
    /// At runs of blank lines (`RS = ""`).
    Para,
    /// At each match of a regex.
    Regex(Rc<Regex>),
}

/// Buffered record reader over a descriptor.
pub struct RecReader {
    fd: Fd,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl RecReader {
    /// A reader over `fd`.
    pub fn new(fd: Fd) -> Self {
        RecReader {
            fd,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    fn fill(&mut self, cancel: &Cancel) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if cancel.is_cancelled() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if self.buf.len() > MAX_INPUT {
            return Err(io::Error::other("record too long"));
        }
        let old = self.buf.len();
        self.buf.resize(old + 128 * 1024, 0);
        let n = match self.fd.read(&mut self.buf[old..]) {
            Ok(n) => n,
            Err(e) => {
                self.buf.truncate(old);
                return Err(e);
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        Ok(true)
    }

    /// Read the next record into `out` (its terminator into `rt`); false at the end.
    pub fn read_record(
        &mut self,
        rs: &RsMode,
        out: &mut Vec<u8>,
        rt: &mut Vec<u8>,
        cancel: &Cancel,
    ) -> io::Result<bool> {
        out.clear();
        rt.clear();
        match rs {
            RsMode::Byte(c) => {
                let mut from = self.pos;
                loop {
                    if let Some(i) = memchr::memchr(*c, &self.buf[from..]) {
                        let end = from + i;
                        out.extend_from_slice(&self.buf[self.pos..end]);
                        rt.push(*c);
                        self.pos = end + 1;
                        return Ok(true);
                    }
                    let scanned = self.buf.len() - self.pos;
                    if !self.fill(cancel)? {
                        if self.pos < self.buf.len() {
                            out.extend_from_slice(&self.buf[self.pos..]);
                            self.pos = self.buf.len();
                            return Ok(true);
                        }
                        return Ok(false);
                    }
                    from = self.pos + scanned;
                }
            }
            RsMode::Para => {
                loop {
                    while self.pos < self.buf.len() && self.buf[self.pos] == b'\n' {
                        self.pos += 1;
                    }
                    if self.pos < self.buf.len() {
                        break;
                    }
                    if !self.fill(cancel)? {
                        return Ok(false);
                    }
                }
                loop {
                    let hay = &self.buf[self.pos..];
                    if let Some(i) = memchr::memmem::find(hay, b"\n\n") {
                        let mut j = i;
                        while j < hay.len() && hay[j] == b'\n' {
                            j += 1;
                        }
                        if j < hay.len() || self.eof {
                            out.extend_from_slice(&hay[..i]);
                            rt.extend_from_slice(&hay[i..j]);
                            self.pos += j;
                            return Ok(true);
                        }
                    }
                    if !self.fill(cancel)? {
                        let hay = &self.buf[self.pos..];
                        let mut end = hay.len();
                        while end > 0 && hay[end - 1] == b'\n' {
                            end -= 1;
                        }
                        if end == 0 {
                            self.pos = self.buf.len();
                            return Ok(false);
                        }
                        out.extend_from_slice(&hay[..end]);
                        rt.extend_from_slice(&hay[end..]);
                        self.pos = self.buf.len();
                        return Ok(true);
                    }
                }
            }
            RsMode::Regex(re) => loop {
                let hay = &self.buf[self.pos..];
                let mut m = None;
                let mut from = 0;
                while let Some((s, e)) = re.find_at(hay, from) {
                    if e > s {
                        m = Some((s, e));
                        break;
                    }
                    from = s + 1;
                }
                if let Some((s, e)) = m
                    && (e < hay.len() || self.eof)
                {
                    out.extend_from_slice(&hay[..s]);
                    rt.extend_from_slice(&hay[s..e]);
                    self.pos += e;
                    return Ok(true);
                }
                if !self.fill(cancel)? {
                    let hay = &self.buf[self.pos..];
                    if let Some((s, e)) = m {
                        out.extend_from_slice(&hay[..s]);
                        rt.extend_from_slice(&hay[s..e]);
                        self.pos += e;
                        return Ok(true);
                    }
                    if hay.is_empty() {
                        return Ok(false);
                    }
                    out.extend_from_slice(hay);
                    self.pos = self.buf.len();
                    return Ok(true);
                }
            },
        }
    }
}

/// An open output redirection.
pub struct OutStream {
    kind: OutKind,
    buf: Vec<u8>,
    /// Order of last use (most recent closes first at exit, as gawk).
    pub used: u64,
}

enum OutKind {
    File(Fd),
    Pipe(String),
    Stdout,
}

/// An open input for `getline < file` or `cmd | getline`.
pub struct InStream {
    reader: RecReader,
    status: i32,
}

/// Run `cmd` through `sh -c` with the given descriptors.
fn run_sh(interp: &Interp<'_, '_>, cmd: &str, fds: [&Fd; 3]) -> i32 {
    let argv = vec!["sh".to_string(), "-c".to_string(), cmd.to_string()];
    (interp.ctx.run)(&argv, interp.ctx.env, fds)
}

fn new_sink() -> (Arc<Sink>, Fd) {
    let sink = Arc::new(Sink::new(
        Arc::new(AtomicU64::new(0)),
        MAX_INPUT as u64,
        Arc::new(AtomicBool::new(false)),
        None,
    ));
    (Arc::clone(&sink), Fd::Sink(sink))
}

impl Interp<'_, '_> {
    fn next_use(&mut self) -> u64 {
        self.ticks = self.ticks.wrapping_add(1);
        self.outputs.values().map(|o| o.used).max().unwrap_or(0) + 1
    }

    /// Write `data` to the redirection `name`.
    pub fn write_to(&mut self, kind: Redir, name: &[u8], data: &[u8]) -> R<()> {
        let used = self.next_use();
        if !self.outputs.contains_key(name) {
            let sname = String::from_utf8_lossy(name).into_owned();
            let k = match (kind, sname.as_str()) {
                (Redir::Pipe, _) => {
                    // gawk synchronizes output before starting a pipe.
                    self.flush_stdout()?;
                    OutKind::Pipe(sname)
                }
                (_, "/dev/stdout" | "/dev/fd/1" | "-") => OutKind::Stdout,
                _ => match self.ctx.open_output(&sname, kind == Redir::Append) {
                    Ok(fd) => OutKind::File(fd),
                    Err(m) => {
                        let reason = m.rsplit(": ").next().unwrap_or("").to_string();
                        return Err(Flow::Fatal(format!(
                            "cannot redirect to `{sname}': {reason}"
                        )));
                    }
                },
            };
            self.outputs.insert(
                name.to_vec(),
                OutStream {
                    kind: k,
                    buf: Vec::new(),
                    used,
                },
            );
        }
        let Some(s) = self.outputs.get_mut(name) else {
            return Ok(());
        };
        s.used = used;
        match &s.kind {
            OutKind::Stdout => {
                self.out.extend_from_slice(data);
                if self.out.len() >= 32 * 1024 {
                    self.flush_stdout()?;
                }
            }
            OutKind::File(fd) => {
                s.buf.extend_from_slice(data);
                if s.buf.len() >= 32 * 1024 {
                    let r = fd.write_all(&s.buf);
                    s.buf.clear();
                    if let Err(e) = r {
                        return Err(Flow::Fatal(format!(
                            "write failure: {}",
                            crate::io::errno_message(&e)
                        )));
                    }
                }
            }
            OutKind::Pipe(_) => {
                if s.buf.len() + data.len() > MAX_INPUT {
                    return Err(Flow::Fatal("pipe output too large".into()));
                }
                s.buf.extend_from_slice(data);
            }
        }
        Ok(())
    }

    fn finish_output(&mut self, s: OutStream) -> i32 {
        match s.kind {
            OutKind::Stdout => 0,
            OutKind::File(fd) => {
                if !s.buf.is_empty() && fd.write_all(&s.buf).is_err() {
                    return -1;
                }
                0
            }
            OutKind::Pipe(cmd) => {
                let input = Fd::Source(Arc::new(Source::new(s.buf)));
                let (out, err) = (self.ctx.stdout.clone(), self.ctx.stderr.clone());
                run_sh(self, &cmd, [&input, &out, &err])
            }
        }
    }

    /// `close(name)`.
    pub fn close(&mut self, name: &[u8]) -> i32 {
        if let Some(s) = self.outputs.remove(name) {
            return self.finish_output(s);
        }
        if let Some(s) = self.inputs.remove(name) {
            return s.status;
        }
        -1
    }

    /// `fflush()` / `fflush(name)`.
    pub fn fflush(&mut self, name: Option<&[u8]>) -> R<i32> {
        match name {
            None => {
                self.flush_stdout()?;
                for s in self.outputs.values_mut() {
                    if let OutKind::File(fd) = &s.kind
                        && !s.buf.is_empty()
                    {
                        let _ = fd.write_all(&s.buf);
                        s.buf.clear();
                    }
                }
                Ok(0)
            }
            Some(n) => {
                if n == b"/dev/stdout" {
                    self.flush_stdout()?;
                    return Ok(0);
                }
                match self.outputs.get_mut(n) {
                    Some(s) => {
                        if let OutKind::File(fd) = &s.kind
                            && !s.buf.is_empty()
                        {
                            let _ = fd.write_all(&s.buf);
                            s.buf.clear();
                        }
                        Ok(0)
                    }
                    None => Ok(-1),
                }
            }
        }
    }

    /// Close every redirection (at exit): most recently used first, then stdout.
    pub fn close_all(&mut self) -> R<()> {
        let mut all: Vec<(Vec<u8>, OutStream)> = self.outputs.drain().collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.1.used));
        for (_, s) in all {
            self.finish_output(s);
        }
        self.inputs.clear();
        self.flush_stdout()
    }

    /// `system(cmd)`.
    pub fn system(&mut self, cmd: &[u8]) -> R<i32> {
        self.fflush(None)?;
        let cmd = String::from_utf8_lossy(cmd).into_owned();
        let (i, o, e) = (
            self.ctx.stdin.clone(),
            self.ctx.stdout.clone(),
            self.ctx.stderr.clone(),
        );
        Ok(run_sh(self, &cmd, [&i, &o, &e]))
    }

    fn store_got(&mut self, target: Option<&LValue>, rec: &[u8], count_nr: bool) -> R<()> {
        if count_nr {
            self.nr += 1.0;
            self.globals[NR] = Cell::Val(Value::Num(self.nr));
        }
        match target {
            Some(lv) => self.assign(lv, Value::strnum(rec)),
            None => {
                self.set_record(rec);
                Ok(())
            }
        }
    }

    /// Every form of `getline`.
    pub fn getline(&mut self, src: &GetSrc, target: Option<&LValue>) -> R<Value> {
        match src {
            GetSrc::Main => {
                let saved = std::mem::take(&mut self.record);
                let saved_split = self.split_done;
                let got = self.next_main_record();
                match got {
                    Ok(true) => {
                        if let Some(lv) = target {
                            let rec = std::mem::replace(&mut self.record, saved);
                            self.split_done = saved_split;
                            self.assign(lv, Value::strnum(&rec))?;
                        }
                        Ok(Value::Num(1.0))
                    }
                    Ok(false) => {
                        self.record = saved;
                        self.split_done = saved_split;
                        Ok(Value::Num(0.0))
                    }
                    Err(e) => Err(e),
                }
            }
            GetSrc::File(e) | GetSrc::Cmd(e) => {
                let is_cmd = matches!(src, GetSrc::Cmd(_));
                let v = self.eval(e)?;
                let name = self.to_str(&v).to_vec();
                if !self.inputs.contains_key(&name) {
                    let sname = String::from_utf8_lossy(&name).into_owned();
                    let stream = if is_cmd {
                        self.flush_stdout()?;
                        let (sink, fd) = new_sink();
                        let (i, err) = (self.ctx.stdin.clone(), self.ctx.stderr.clone());
                        let status = run_sh(self, &sname, [&i, &fd, &err]);
                        InStream {
                            reader: RecReader::new(Fd::Source(Arc::new(Source::new(sink.take())))),
                            status,
                        }
                    } else {
                        match self.ctx.open_input(&sname) {
                            Ok(fd) => InStream {
                                reader: RecReader::new(fd),
                                status: 0,
                            },
                            Err(_) => return Ok(Value::Num(-1.0)),
                        }
                    };
                    self.inputs.insert(name.clone(), stream);
                }
                let rs = self.rs.clone();
                let mut rec = Vec::new();
                let mut rt = Vec::new();
                let got = match self.inputs.get_mut(&name) {
                    Some(s) => s
                        .reader
                        .read_record(&rs, &mut rec, &mut rt, self.ctx.cancel),
                    None => Ok(false),
                };
                match got {
                    Ok(true) => {
                        if !matches!(self.rs, RsMode::Byte(b'\n')) {
                            self.globals[RT] = Cell::Val(Value::str(&rt));
                        }
                        self.store_got(target, &rec, is_cmd)?;
                        Ok(Value::Num(1.0))
                    }
                    Ok(false) => Ok(Value::Num(0.0)),
                    Err(_) => {
                        if self.ctx.cancel.is_cancelled() {
                            return Err(Flow::Stop(crate::commands::Stop::Cancelled));
                        }
                        Ok(Value::Num(-1.0))
                    }
                }
            }
        }
    }
}

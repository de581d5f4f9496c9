//! File descriptors of the interpreter: VFS files, bounded pipes, capped output sinks and
//! the `/dev` specials. Every stage of a pipeline reads and writes through these.
//!
//! A pipe holds at most [`PIPE_CAPACITY`] bytes: a writer blocks while it is full, a reader
//! while it is empty. When every write end is gone the reader sees end of file; when every
//! read end is gone a writer gets `EPIPE` (what SIGPIPE kills a real process for), so
//! `yes | head -n 1` ends as soon as `head` exits. Blocking waits wake up on cancellation.

use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// Bytes a pipe buffers before its writer blocks (Linux's default pipe size).
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// Shared cancellation flag: set it and every blocked read or write returns. A child
/// flag ([`Cancel::child`], a background job's) is also set while its root is.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    own: Arc<AtomicBool>,
    root: Option<Arc<AtomicBool>>,
}

impl Cancel {
    /// A flag, not set.
    pub fn new() -> Self {
        Cancel::default()
    }
    /// A flag of its own that also reads as set while this one's root is.
    pub fn child(&self) -> Cancel {
        Cancel {
            own: Arc::new(AtomicBool::new(false)),
            root: Some(self.root.clone().unwrap_or_else(|| Arc::clone(&self.own))),
        }
    }
    /// Ask everything using this flag to stop.
    pub fn cancel(&self) {
        self.own.store(true, Ordering::SeqCst);
    }
    /// Clear this flag's own part (not its root's).
    pub fn reset(&self) {
        self.own.store(false, Ordering::SeqCst);
    }
    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.own.load(Ordering::Relaxed)
            || self
                .root
                .as_ref()
                .is_some_and(|r| r.load(Ordering::Relaxed))
    }
}

fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "cancelled")
}

struct PipeState {
    buf: VecDeque<u8>,
    readers: usize,
    writers: usize,
}

struct PipeInner {
    state: Mutex<PipeState>,
    changed: Condvar,
    cancel: Cancel,
}

/// One end of a pipe; clones count as more holders of that end.
pub struct PipeEnd {
    inner: Arc<PipeInner>,
    write: bool,
}

/// Make a pipe: (read end, write end).
pub fn pipe(cancel: &Cancel) -> (PipeEnd, PipeEnd) {
    let inner = Arc::new(PipeInner {
        state: Mutex::new(PipeState {
            buf: VecDeque::new(),
            readers: 1,
            writers: 1,
        }),
        changed: Condvar::new(),
        cancel: cancel.clone(),
    });
    (
        PipeEnd {
            inner: Arc::clone(&inner),
            write: false,
        },
        PipeEnd { inner, write: true },
    )
}

impl Clone for PipeEnd {
    fn clone(&self) -> Self {
        let mut st = self.inner.state.lock();
        if self.write {
            st.writers += 1;
        } else {
            st.readers += 1;
        }
        drop(st);
        PipeEnd {
            inner: Arc::clone(&self.inner),
            write: self.write,
        }
    }
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        let mut st = self.inner.state.lock();
        if self.write {
            st.writers -= 1;
        } else {
            st.readers -= 1;
        }
        drop(st);
        self.inner.changed.notify_all();
    }
}

impl PipeEnd {
    fn read(&self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut st = self.inner.state.lock();
        loop {
            if !st.buf.is_empty() {
                let n = out.len().min(st.buf.len());
                for (i, b) in st.buf.drain(..n).enumerate() {
                    out[i] = b;
                }
                drop(st);
                self.inner.changed.notify_all();
                return Ok(n);
            }
            if st.writers == 0 {
                return Ok(0);
            }
            if self.inner.cancel.is_cancelled() {
                return Err(interrupted());
            }
            self.inner
                .changed
                .wait_for(&mut st, Duration::from_millis(50));
        }
    }

    fn write(&self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let mut st = self.inner.state.lock();
            loop {
                if st.readers == 0 {
                    return Err(io::Error::from_raw_os_error(32)); // EPIPE
                }
                if st.buf.len() < PIPE_CAPACITY {
                    break;
                }
                if self.inner.cancel.is_cancelled() {
                    return Err(interrupted());
                }
                self.inner
                    .changed
                    .wait_for(&mut st, Duration::from_millis(50));
            }
            let n = (PIPE_CAPACITY - st.buf.len()).min(data.len());
            st.buf.extend(&data[..n]);
            drop(st);
            self.inner.changed.notify_all();
            data = &data[n..];
        }
        Ok(())
    }
}

/// A callback receiving output bytes as they are written.
pub type OutputCallback = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Where the shell's own stdout or stderr goes: a buffer capped at a byte limit (shared
/// by stdout and stderr of one run), optionally streamed to a callback as it arrives.
pub struct Sink {
    buf: Mutex<Vec<u8>>,
    total: Arc<AtomicU64>,
    limit: u64,
    exceeded: Arc<AtomicBool>,
    callback: Option<OutputCallback>,
    on_exceed: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Sink {
    /// A sink counting against `total` up to `limit` bytes.
    pub fn new(
        total: Arc<AtomicU64>,
        limit: u64,
        exceeded: Arc<AtomicBool>,
        callback: Option<OutputCallback>,
    ) -> Self {
        Sink {
            buf: Mutex::new(Vec::new()),
            total,
            limit,
            exceeded,
            callback,
            on_exceed: None,
        }
    }

    /// Also call `f` when a write goes over the limit (to stop the writer).
    pub fn with_on_exceed(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_exceed = Some(Arc::new(f));
        self
    }

    fn write(&self, data: &[u8]) -> io::Result<()> {
        let before = self.total.fetch_add(data.len() as u64, Ordering::SeqCst);
        let room = self.limit.saturating_sub(before) as usize;
        let keep = &data[..room.min(data.len())];
        if !keep.is_empty() {
            self.buf.lock().extend_from_slice(keep);
            if let Some(cb) = &self.callback {
                cb(keep);
            }
        }
        if keep.len() < data.len() {
            self.exceeded.store(true, Ordering::SeqCst);
            if let Some(f) = &self.on_exceed {
                f();
            }
            return Err(io::Error::other("output limit exceeded"));
        }
        Ok(())
    }

    /// Take what was written so far.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.buf.lock())
    }
}

/// An in-memory byte source (here-documents, here-strings).
pub struct Source {
    data: Vec<u8>,
    pos: AtomicUsize,
}

impl Source {
    /// A source of `data`.
    pub fn new(data: Vec<u8>) -> Self {
        Source {
            data,
            pos: AtomicUsize::new(0),
        }
    }
}

/// An open file descriptor.
#[derive(Clone)]
pub enum Fd {
    /// A VFS file; dup'ed descriptors share the offset, as in POSIX.
    File {
        /// The open handle.
        handle: Arc<Mutex<vfs_core::Handle>>,
        /// The path it was opened with (for messages).
        path: Arc<str>,
    },
    /// The read end of a pipe.
    PipeRead(Arc<PipeEnd>),
    /// The write end of a pipe.
    PipeWrite(Arc<PipeEnd>),
    /// Captured output of the shell.
    Sink(Arc<Sink>),
    /// Here-document or here-string content.
    Source(Arc<Source>),
    /// `/dev/null`.
    Null,
    /// `/dev/zero`.
    Zero,
    /// `/dev/urandom` / `/dev/random`.
    Random,
    /// A closed descriptor (`n>&-`).
    Closed,
}

/// The errno of an `io::Error`, for messages.
pub fn errno_message(e: &io::Error) -> String {
    match e.raw_os_error().and_then(vfs_core::Errno::from_code) {
        Some(c) => c.message().to_string(),
        None => match e.raw_os_error() {
            Some(32) => "Broken pipe".to_string(),
            Some(9) => "Bad file descriptor".to_string(),
            _ => e.to_string(),
        },
    }
}

fn ebadf() -> io::Error {
    io::Error::from_raw_os_error(9)
}

impl Fd {
    /// Write all of `data`.
    pub fn write_all(&self, data: &[u8]) -> io::Result<()> {
        match self {
            Fd::File { handle, .. } => {
                let mut h = handle.lock();
                let mut rest = data;
                while !rest.is_empty() {
                    let n = h.write(rest).map_err(io::Error::from)?;
                    rest = &rest[n..];
                }
                Ok(())
            }
            Fd::PipeWrite(p) => p.write(data),
            Fd::Sink(s) => s.write(data),
            Fd::Null | Fd::Zero | Fd::Random => Ok(()),
            Fd::PipeRead(_) | Fd::Source(_) | Fd::Closed => Err(ebadf()),
        }
    }

    /// Read up to `buf.len()` bytes; 0 at end of file.
    pub fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Fd::File { handle, .. } => handle.lock().read(buf).map_err(io::Error::from),
            Fd::PipeRead(p) => p.read(buf),
            Fd::Source(s) => {
                let pos = s.pos.load(Ordering::SeqCst);
                let n = buf.len().min(s.data.len().saturating_sub(pos));
                buf[..n].copy_from_slice(&s.data[pos..pos + n]);
                s.pos.store(pos + n, Ordering::SeqCst);
                Ok(n)
            }
            Fd::Null => Ok(0),
            Fd::Zero => {
                buf.fill(0);
                Ok(buf.len())
            }
            Fd::Random => {
                fill_random(buf);
                Ok(buf.len())
            }
            Fd::PipeWrite(_) | Fd::Sink(_) | Fd::Closed => Err(ebadf()),
        }
    }

    /// Read everything to end of file, failing past `limit` bytes.
    pub fn read_to_end(&self, out: &mut Vec<u8>, limit: usize) -> io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = self.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            if out.len() + n > limit {
                return Err(io::Error::other("size limit exceeded"));
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    /// For a VFS file, read up to `max` bytes shared with the file instead of copied
    /// (as [`Fd::read`] into a `max`-byte buffer); `None` for any other descriptor.
    pub fn read_shared(&self, max: usize) -> Option<io::Result<bytes::Bytes>> {
        match self {
            Fd::File { handle, .. } => {
                Some(handle.lock().read_shared(max).map_err(io::Error::from))
            }
            _ => None,
        }
    }

    /// [`Fd::write_all`] of shared bytes: a VFS file written from empty keeps them
    /// without a copy.
    pub fn write_all_shared(&self, data: &bytes::Bytes) -> io::Result<()> {
        match self {
            Fd::File { handle, .. } => {
                if !data.is_empty() {
                    handle.lock().write_shared(data).map_err(io::Error::from)?;
                }
                Ok(())
            }
            _ => self.write_all(data),
        }
    }

    /// True for an open descriptor.
    pub fn is_open(&self) -> bool {
        !matches!(self, Fd::Closed)
    }

    /// True if both are the same open file (or the same special file, or both closed).
    pub fn same(&self, other: &Fd) -> bool {
        match (self, other) {
            (Fd::File { handle: a, .. }, Fd::File { handle: b, .. }) => Arc::ptr_eq(a, b),
            (Fd::PipeRead(a), Fd::PipeRead(b)) | (Fd::PipeWrite(a), Fd::PipeWrite(b)) => {
                Arc::ptr_eq(a, b)
            }
            (Fd::Sink(a), Fd::Sink(b)) => Arc::ptr_eq(a, b),
            (Fd::Source(a), Fd::Source(b)) => Arc::ptr_eq(a, b),
            (Fd::Null, Fd::Null)
            | (Fd::Zero, Fd::Zero)
            | (Fd::Random, Fd::Random)
            | (Fd::Closed, Fd::Closed) => true,
            _ => false,
        }
    }
}

/// Fill `buf` from a process-wide xorshift generator seeded from the clock: the sandbox
/// has no host entropy source, and `/dev/urandom` readers only need unpredictable-looking bytes.
pub fn fill_random(buf: &mut [u8]) {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut s = STATE.load(Ordering::Relaxed);
    if s == 0 {
        s = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
            | 1;
    }
    for b in buf.iter_mut() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        *b = (s >> 32) as u8;
    }
    STATE.store(s, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_eof_and_epipe() {
        let c = Cancel::new();
        let (r, w) = pipe(&c);
        w.write(b"hello").unwrap();
        drop(w);
        let mut buf = [0u8; 10];
        assert_eq!(r.read(&mut buf).unwrap(), 5);
        assert_eq!(r.read(&mut buf).unwrap(), 0);
        let (r, w) = pipe(&c);
        drop(r);
        assert_eq!(w.write(b"x").unwrap_err().raw_os_error(), Some(32));
    }

    #[test]
    fn pipe_blocks_when_full_and_streams() {
        let c = Cancel::new();
        let (r, w) = pipe(&c);
        let t = std::thread::spawn(move || {
            let data = vec![7u8; 1 << 20];
            w.write(&data).unwrap();
        });
        let mut total = 0;
        let mut buf = vec![0u8; 4096];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            total += n;
        }
        t.join().unwrap();
        assert_eq!(total, 1 << 20);
    }

    #[test]
    fn cancel_wakes_a_blocked_reader() {
        let c = Cancel::new();
        let (r, _w) = pipe(&c);
        let c2 = c.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            c2.cancel();
        });
        let mut buf = [0u8; 1];
        assert_eq!(
            r.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::Interrupted
        );
        t.join().unwrap();
    }

    #[test]
    fn sink_caps_output() {
        let total = Arc::new(AtomicU64::new(0));
        let ex = Arc::new(AtomicBool::new(false));
        let s = Sink::new(total, 4, ex.clone(), None);
        s.write(b"ab").unwrap();
        assert!(s.write(b"cdef").is_err());
        assert_eq!(s.take(), b"abcd");
        assert!(ex.load(Ordering::SeqCst));
    }
}

//! Captured guest output: stdout and stderr go to memory buffers that share one byte
//! budget with the log lines; a write past the budget traps the guest with
//! [`OutputLimitExceeded`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use parking_lot::Mutex;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi_io::poll::Pollable;
use wasmtime_wasi_io::streams::{OutputStream, StreamError, StreamResult};

/// The trap raised when the guest writes past the output budget.
#[derive(Debug, Clone, Copy)]
pub struct OutputLimitExceeded;

impl std::fmt::Display for OutputLimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("output limit exceeded")
    }
}

impl std::error::Error for OutputLimitExceeded {}

/// The byte budget shared by a run's stdout, stderr and logs.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicU64,
    max: u64,
    exceeded: AtomicBool,
}

impl Budget {
    pub(crate) fn new(max: u64) -> Arc<Budget> {
        Arc::new(Budget {
            used: AtomicU64::new(0),
            max,
            exceeded: AtomicBool::new(false),
        })
    }

    /// Take `n` bytes of the budget; false (and the flag set) when it would overflow.
    pub(crate) fn take(&self, n: u64) -> bool {
        let before = self.used.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > self.max {
            self.exceeded.store(true, Ordering::Relaxed);
            false
        } else {
            true
        }
    }

    pub(crate) fn exceeded(&self) -> bool {
        self.exceeded.load(Ordering::Relaxed)
    }

    pub(crate) fn max(&self) -> u64 {
        self.max
    }
}

/// One captured stream (stdout or stderr).
#[derive(Clone, Debug)]
pub(crate) struct Capture {
    buf: Arc<Mutex<Vec<u8>>>,
    budget: Arc<Budget>,
}

impl Capture {
    pub(crate) fn new(budget: Arc<Budget>) -> Capture {
        Capture {
            buf: Arc::new(Mutex::new(Vec::new())),
            budget,
        }
    }

    pub(crate) fn take_contents(&self) -> Vec<u8> {
        std::mem::take(&mut *self.buf.lock())
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        if !self.budget.take(bytes.len() as u64) {
            return Err(StreamError::Trap(wasmtime::Error::new(OutputLimitExceeded)));
        }
        self.buf.lock().extend_from_slice(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for Capture {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for Capture {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        if !self.budget.take(data.len() as u64) {
            return std::task::Poll::Ready(Err(std::io::Error::other(OutputLimitExceeded)));
        }
        self.buf.lock().extend_from_slice(data);
        std::task::Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

//! `wasi:io` streams over an open file: reads from an offset, writes at an offset or at
//! the end. In-memory files are always ready, so the pollables resolve at once.

use std::sync::Arc;

use bytes::Bytes;
use vfs_core::Handle;
use wasmtime_wasi_io::poll::Pollable;
use wasmtime_wasi_io::streams::{InputStream, OutputStream, StreamError, StreamResult};

use super::{FsStreamError, error_code};

/// Most bytes one `read` or `check-write` offers.
const CHUNK: usize = 64 * 1024;

fn failed(e: vfs_core::Error) -> StreamError {
    StreamError::LastOperationFailed(wasmtime::Error::new(FsStreamError(error_code(e.errno()))))
}

/// Reads a file from an offset on.
pub(crate) struct FileReader {
    pub(crate) handle: Arc<Handle>,
    pub(crate) offset: u64,
}

impl InputStream for FileReader {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let mut buf = vec![0u8; size.min(CHUNK)];
        if buf.is_empty() {
            return Ok(Bytes::new());
        }
        let n = self.handle.read_at(&mut buf, self.offset).map_err(failed)?;
        if n == 0 {
            return Err(StreamError::Closed);
        }
        buf.truncate(n);
        self.offset += n as u64;
        Ok(Bytes::from(buf))
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for FileReader {
    async fn ready(&mut self) {}
}

/// Writes a file at an offset, or always at its end.
pub(crate) struct FileWriter {
    pub(crate) handle: Arc<Handle>,
    /// `None`: append.
    pub(crate) offset: Option<u64>,
}

impl OutputStream for FileWriter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let at = match self.offset {
            Some(o) => o,
            None => self.handle.metadata().map_err(failed)?.size,
        };
        let mut done = 0;
        while done < bytes.len() {
            let n = self
                .handle
                .write_at(&bytes[done..], at + done as u64)
                .map_err(failed)?;
            if n == 0 {
                return Err(failed(vfs_core::Error::new(vfs_core::Errno::NoSpace)));
            }
            done += n;
        }
        if let Some(o) = &mut self.offset {
            *o += done as u64;
        }
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(CHUNK)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for FileWriter {
    async fn ready(&mut self) {}
}

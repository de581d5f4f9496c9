//! `wasi:filesystem` over the sandbox's in-memory filesystem.
//!
//! wasmtime-wasi can only back `wasi:filesystem` with host directories, so the runner
//! implements the interface itself: a guest's `std::fs` calls land here and act on the
//! sandbox [`Vfs`], preopened at `/`. There is no path to the host's files.
//!
//! Descriptors are either directories — a [`Vfs`] view whose working directory is that
//! directory, so `*-at` calls resolve relative to it even after it is renamed — or open
//! files, a vfs-core [`Handle`] shared with the streams made from it. Paths given to
//! `*-at` calls must be relative, as WASI requires; `..` above `/` stays at `/`, as POSIX
//! does, so nothing can name anything outside the sandbox.

mod descriptor;
mod streams;

use std::sync::Arc;

use vfs_core::{Errno, FileType, Handle, Vfs};
use wasmtime::component::{HasData, Linker, ResourceTable};

pub(crate) use generated::wasi::filesystem::types::{
    DescriptorFlags, DescriptorType, DirectoryEntry, ErrorCode,
};

mod generated {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "agentsh:wasi-vfs/vfs",
        imports: { default: trappable },
        with: {
            "wasi:io": wasmtime_wasi_io::bindings::wasi::io,
            "wasi:clocks/wall-clock": wasmtime_wasi::p2::bindings::clocks::wall_clock,
            "wasi:filesystem/types.descriptor": super::Descriptor,
            "wasi:filesystem/types.directory-entry-stream": super::DirStream,
        },
        require_store_data_send: true,
    });
}

/// An open descriptor.
pub enum Descriptor {
    /// A directory: a view of the filesystem whose working directory it is.
    Dir(Vfs),
    /// An open file.
    File(OpenFile),
}

/// An open file and what its open allowed.
pub struct OpenFile {
    pub(crate) handle: Arc<Handle>,
    pub(crate) flags: DescriptorFlags,
}

/// The rest of a directory listing.
pub struct DirStream {
    entries: std::vec::IntoIter<DirectoryEntry>,
}

/// What the filesystem host functions need from the store's data.
pub struct WasiFsView<'a> {
    /// The resource table shared with wasmtime-wasi (streams live there too).
    pub table: &'a mut ResourceTable,
    /// The sandbox filesystem (its root is the preopen).
    pub vfs: &'a Vfs,
}

/// Store data that can lend a [`WasiFsView`].
pub trait WasiFsState: Send {
    /// The view.
    fn wasi_fs(&mut self) -> WasiFsView<'_>;
}

struct HasFs;

impl HasData for HasFs {
    type Data<'a> = WasiFsView<'a>;
}

/// Define `wasi:filesystem/types` and `wasi:filesystem/preopens` in `linker`, replacing
/// any definitions already there (wasmtime-wasi's host-directory ones).
pub fn add_to_linker<T: WasiFsState + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    generated::wasi::filesystem::types::add_to_linker::<T, HasFs>(linker, T::wasi_fs)?;
    generated::wasi::filesystem::preopens::add_to_linker::<T, HasFs>(linker, T::wasi_fs)?;
    linker.allow_shadowing(false);
    Ok(())
}

/// The WASI error code for an errno.
pub(crate) fn error_code(e: Errno) -> ErrorCode {
    match e {
        Errno::Perm => ErrorCode::NotPermitted,
        Errno::NoEntry => ErrorCode::NoEntry,
        Errno::Io => ErrorCode::Io,
        Errno::BadDescriptor => ErrorCode::BadDescriptor,
        Errno::NoMemory => ErrorCode::InsufficientMemory,
        Errno::Access => ErrorCode::Access,
        Errno::Busy => ErrorCode::Busy,
        Errno::Exist => ErrorCode::Exist,
        Errno::CrossesDevices => ErrorCode::CrossDevice,
        Errno::NotDirectory => ErrorCode::NotDirectory,
        Errno::IsDirectory => ErrorCode::IsDirectory,
        Errno::Invalid => ErrorCode::Invalid,
        Errno::TooManyFiles => ErrorCode::InsufficientMemory,
        Errno::FileTooBig => ErrorCode::FileTooLarge,
        Errno::NoSpace => ErrorCode::InsufficientSpace,
        Errno::InvalidSeek => ErrorCode::InvalidSeek,
        Errno::ReadOnly => ErrorCode::ReadOnly,
        Errno::TooManyLinks => ErrorCode::TooManyLinks,
        Errno::NameTooLong => ErrorCode::NameTooLong,
        Errno::NotEmpty => ErrorCode::NotEmpty,
        Errno::Loop => ErrorCode::Loop,
        Errno::Overflow => ErrorCode::Overflow,
        Errno::NotSupported => ErrorCode::Unsupported,
        _ => ErrorCode::Io,
    }
}

/// The WASI type of a node.
pub(crate) fn descriptor_type(t: FileType) -> DescriptorType {
    match t {
        FileType::File => DescriptorType::RegularFile,
        FileType::Dir => DescriptorType::Directory,
        FileType::Symlink => DescriptorType::SymbolicLink,
    }
}

/// A stream error that carries a filesystem error code, for `filesystem-error-code`.
#[derive(Debug)]
pub(crate) struct FsStreamError(pub(crate) ErrorCode);

impl std::fmt::Display for FsStreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "filesystem error: {:?}", self.0)
    }
}

impl std::error::Error for FsStreamError {}

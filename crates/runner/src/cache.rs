//! The on-disk cache of compiled programs.
//!
//! Deserializing a compiled artifact runs its machine code, so the runner only ever
//! deserializes files it wrote itself: they live in a directory it created with mode
//! 0700, are named by the SHA-256 of (component bytes, engine settings, runner version),
//! end with the SHA-256 of their own contents, and are refused when the directory or the
//! file is writable by anyone but its owner or the file belongs to someone else. A file
//! that fails any check is ignored (and recompiled over).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Create (or check) the cache directory.
pub(crate) fn prepare_dir(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    dir.canonicalize()
}

#[cfg(unix)]
fn trusted(dir: &Path, file: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(d), Ok(f)) = (std::fs::metadata(dir), std::fs::symlink_metadata(file)) else {
        return false;
    };
    f.is_file() && d.mode() & 0o022 == 0 && f.mode() & 0o022 == 0 && f.uid() == d.uid()
}

#[cfg(not(unix))]
fn trusted(_dir: &Path, file: &Path) -> bool {
    std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file())
}

/// A cached component, when a trusted, intact artifact is there.
pub(crate) fn load(engine: &Engine, dir: &Path, key: &str) -> Option<Component> {
    let path = dir.join(format!("{key}.cwasm"));
    if !trusted(dir, &path) {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    let want: [u8; 32] = Sha256::digest(body).into();
    if want.as_slice() != sum {
        return None;
    }
    // SAFETY: `body` is an artifact this runner serialized with `Component::serialize`
    // for an engine with the same settings (the key includes the engine's compatibility
    // hash); it sits in a directory only its owner can write, and its checksum matches.
    // wasmtime additionally checks the artifact's header against the engine.
    #[allow(unsafe_code)]
    let component = unsafe { Component::deserialize(engine, body) };
    component.ok()
}

/// Write a compiled component to the cache; failures only cost a recompile later.
pub(crate) fn store(component: &Component, dir: &Path, key: &str) {
    let Ok(mut body) = component.serialize() else {
        return;
    };
    let sum: [u8; 32] = Sha256::digest(&body).into();
    body.extend_from_slice(&sum);
    let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&body)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(format!("{key}.cwasm")))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

//! Whole-tree conveniences: walking, globbing and disk usage. Each runs under one read
//! lock, so it sees the tree at one instant.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Errno, Error, Result};
use crate::glob::{MatchOptions, Pattern, expand_braces};
use crate::node::{Access, Ino, Kind, Metadata, permitted};
use crate::resolve::check_path;
use crate::state::{Ctx, FsState};
use crate::vfs::{Vfs, bytes_of, path_of};

/// Most paths one glob may return before it fails with `E2BIG`-like `ENOMEM`.
pub const GLOB_LIMIT: usize = 100_000;

/// One entry found by [`Vfs::walk`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkEntry {
    /// The path, starting with the path given to `walk`.
    pub path: PathBuf,
    /// Its `lstat`.
    pub metadata: Metadata,
    /// 0 for the starting path, 1 for its entries, and so on.
    pub depth: usize,
}

/// Totals from [`Vfs::disk_usage`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiskUsage {
    /// Sum of `st_size` (each inode once).
    pub apparent_bytes: u64,
    /// Sum of `st_blocks` × 512 (each inode once).
    pub allocated_bytes: u64,
    /// Regular files.
    pub files: u64,
    /// Directories, the starting one included.
    pub dirs: u64,
    /// Symbolic links.
    pub symlinks: u64,
}

fn join(base: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = base.to_vec();
    if !p.is_empty() && p.last() != Some(&b'/') {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn dir_entries(st: &FsState, ctx: &Ctx<'_>, dir: Ino) -> Result<Vec<(Vec<u8>, Ino)>, Errno> {
    let n = st.get(dir)?;
    if !permitted(n, ctx.cred, Access::READ.union(Access::EXEC)) {
        return Err(Errno::Access);
    }
    match &n.kind {
        Kind::Dir { entries, .. } => Ok(entries
            .iter()
            .map(|(k, &v)| (k.as_bytes().to_vec(), v))
            .collect()),
        _ => Err(Errno::NotDirectory),
    }
}

impl Vfs {
    /// Every path under `path` (itself first), depth first in name order, not following
    /// symlinks below the start. An unreadable directory is an error (`EACCES`).
    pub fn walk(&self, path: impl AsRef<Path>) -> Result<Vec<WalkEntry>> {
        let path = path.as_ref();
        let p = bytes_of(path);
        check_path(p).map_err(|e| Error::with_path(e, path))?;
        self.with_state(|st, ctx| {
            let root = st
                .resolve(ctx, p, true)
                .map_err(|e| Error::with_path(e, path))?;
            let mut out = Vec::new();
            let mut stack = vec![(root, p.to_vec(), 0usize)];
            while let Some((ino, path, depth)) = stack.pop() {
                let node = st
                    .get(ino)
                    .map_err(|e| Error::with_path(e, path_of(&path)))?;
                if node.is_dir() {
                    let es = dir_entries(st, ctx, ino)
                        .map_err(|e| Error::with_path(e, path_of(&path)))?;
                    for (name, child) in es.into_iter().rev() {
                        stack.push((child, join(&path, &name), depth + 1));
                    }
                }
                out.push(WalkEntry {
                    path: path_of(&path),
                    metadata: node.metadata(ino),
                    depth,
                });
            }
            Ok(out)
        })
    }

    /// Paths matching a shell pattern (`*`, `?`, `[...]`, `{a,b}`, and `**` for any
    /// number of directories), sorted. Relative patterns give relative paths. Hidden
    /// names need a literal leading `.`; unreadable directories are skipped.
    pub fn glob(&self, pattern: &str) -> Result<Vec<PathBuf>> {
        self.glob_with(pattern.as_bytes(), MatchOptions::default())
    }

    /// [`Vfs::glob`] with options.
    pub fn glob_with(&self, pattern: &[u8], opts: MatchOptions) -> Result<Vec<PathBuf>> {
        let pats = expand_braces(pattern, GLOB_LIMIT).ok_or_else(|| Error::new(Errno::NoMemory))?;
        let mut found: Vec<Vec<u8>> = Vec::new();
        self.with_state(|st, ctx| -> Result<()> {
            for pat in &pats {
                glob_one(st, ctx, pat, opts, &mut found)?;
            }
            Ok(())
        })?;
        found.sort();
        found.dedup();
        Ok(found.iter().map(|p| path_of(p)).collect())
    }

    /// Totals for the tree at `path`, counting each inode once (hard links), not
    /// following symlinks below the start.
    pub fn disk_usage(&self, path: impl AsRef<Path>) -> Result<DiskUsage> {
        let mut du = DiskUsage::default();
        let mut seen = HashSet::new();
        for e in self.walk(path)? {
            if !seen.insert(e.metadata.ino) {
                continue;
            }
            du.apparent_bytes += e.metadata.size;
            du.allocated_bytes += e.metadata.blocks * 512;
            match e.metadata.file_type {
                crate::FileType::File => du.files += 1,
                crate::FileType::Dir => du.dirs += 1,
                crate::FileType::Symlink => du.symlinks += 1,
            }
        }
        Ok(du)
    }
}

fn glob_one(
    st: &FsState,
    ctx: &Ctx<'_>,
    pat: &[u8],
    opts: MatchOptions,
    out: &mut Vec<Vec<u8>>,
) -> Result<()> {
    if pat.is_empty() {
        return Ok(());
    }
    let absolute = pat[0] == b'/';
    let comps: Vec<&[u8]> = pat
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty())
        .collect();
    let trailing = pat.last() == Some(&b'/');
    let start_path: Vec<u8> = if absolute { b"/".to_vec() } else { Vec::new() };
    let start = if absolute {
        b"/".as_slice()
    } else {
        b".".as_slice()
    };
    let Ok(start_ino) = st.resolve(ctx, start, true) else {
        return Ok(());
    };
    // (inode, path so far, next component index)
    let mut stack = vec![(start_ino, start_path, 0usize)];
    while let Some((ino, path, ci)) = stack.pop() {
        if out.len() > GLOB_LIMIT {
            return Err(Error::new(Errno::NoMemory));
        }
        if ci == comps.len() {
            let is_dir = || {
                let pp = if path.is_empty() {
                    b".".to_vec()
                } else {
                    path.clone()
                };
                st.resolve(ctx, &pp, true)
                    .is_ok_and(|t| st.node(t).is_some_and(|n| n.is_dir()))
            };
            if !trailing || is_dir() {
                let mut p = path.clone();
                if trailing {
                    p.push(b'/');
                }
                if !p.is_empty() {
                    out.push(p);
                }
            }
            continue;
        }
        let comp = comps[ci];
        // Follow symlinks to directories when descending, as the shell does.
        let dir = match st.node(ino).map(|n| &n.kind) {
            Some(Kind::Dir { .. }) => ino,
            Some(Kind::Symlink(_)) => {
                let pp = if path.is_empty() {
                    b".".to_vec()
                } else {
                    path.clone()
                };
                match st.resolve(ctx, &pp, true) {
                    Ok(t) if st.node(t).is_some_and(|n| n.is_dir()) => t,
                    _ => continue,
                }
            }
            _ => continue,
        };
        if comp == b"**" {
            // Zero directories: the rest of the pattern here.
            stack.push((dir, path.clone(), ci + 1));
            // One or more: every subdirectory (not through symlinks), recursively.
            if let Ok(es) = dir_entries(st, ctx, dir) {
                for (name, child) in es {
                    if name.first() == Some(&b'.') && !opts.dot_matches {
                        continue;
                    }
                    if st.node(child).is_some_and(|n| n.is_dir()) {
                        stack.push((child, join(&path, &name), ci));
                    }
                }
            }
            continue;
        }
        let p = Pattern::new(comp);
        if let Some(lit) = p.literal() {
            if let Ok(child) = st.lookup(dir, &lit)
                && permitted(st.get(dir).map_err(Error::new)?, ctx.cred, Access::EXEC)
            {
                stack.push((child, join(&path, &lit), ci + 1));
            }
            continue;
        }
        let Ok(es) = dir_entries(st, ctx, dir) else {
            continue;
        };
        for (name, child) in es.into_iter().rev() {
            if p.matches(&name, opts) {
                stack.push((child, join(&path, &name), ci + 1));
            }
        }
    }
    Ok(())
}

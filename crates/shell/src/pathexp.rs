//! Pathname expansion over the VFS: not built yet.

//! `printf` formatting and backslash escapes: not built yet.

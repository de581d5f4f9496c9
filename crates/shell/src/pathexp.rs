//! Pathname expansion (globbing) over the VFS, as bash does it.

/// Globbing options (bash's `shopt` settings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GlobOptions {
    /// `extglob`: extended patterns in each component.
    pub extglob: bool,
    /// `nocaseglob`: match names regardless of case.
    pub nocaseglob: bool,
    /// `dotglob`: wildcards also match names starting with `.`.
    pub dotglob: bool,
    /// `globstar`: `**` alone as a component matches any number of directories.
    pub globstar: bool,
}

/// Why an expansion failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlobError {
    /// More results than the limit allows.
    TooManyResults(usize),
}

impl std::fmt::Display for GlobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlobError::TooManyResults(limit) => {
                write!(f, "pathname expansion: more than {limit} results")
            }
        }
    }
}

impl std::error::Error for GlobError {}

/// Expand one word against the VFS (not built yet: matches nothing).
pub fn expand(
    _vfs: &vfs_core::Vfs,
    _word: &[u8],
    _opts: GlobOptions,
    _limit: usize,
) -> Result<Option<Vec<Vec<u8>>>, GlobError> {
    Ok(None)
}

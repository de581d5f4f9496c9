//! Placeholder for `crate::posix_regex` until it lands.

/// Regex syntaxes.
#[derive(Clone, Copy, Debug, Default)]
pub(super) enum Syntax {
    /// Emacs.
    #[default]
    Emacs,
    /// POSIX basic.
    Basic,
    /// POSIX extended.
    Extended,
}

/// Options.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Options {
    /// Syntax.
    pub syntax: Syntax,
    /// Ignore case.
    pub icase: bool,
}

/// A compiled regex.
pub(super) struct Regex;

impl Regex {
    /// Compile.
    pub(super) fn new(_p: &[u8], _o: &Options) -> Result<Regex, String> {
        Err("-regex: not supported yet".into())
    }
    /// Whole-string match.
    pub(super) fn is_full_match(&self, _s: &[u8]) -> bool {
        false
    }
}

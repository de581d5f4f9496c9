//! Registration of `grep` and its `egrep` / `fgrep` forms.

use super::CommandMap;

#[path = "grep/mod.rs"]
mod grep;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert(
        "grep",
        Box::new(grep::Grep {
            default_matcher: 'G',
        }),
    );
    map.insert(
        "egrep",
        Box::new(grep::Grep {
            default_matcher: 'E',
        }),
    );
    map.insert(
        "fgrep",
        Box::new(grep::Grep {
            default_matcher: 'F',
        }),
    );
}

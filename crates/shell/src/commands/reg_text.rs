//! Registration of the text commands (head, sort, wc, ...).

use super::CommandMap;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    let _ = map;
}

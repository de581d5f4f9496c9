//! Registration of the file commands (mkdir, ls, cp, ...).

use super::CommandMap;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    let _ = map;
}

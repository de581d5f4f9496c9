//! Registration of the environment and data commands (env, date, od, base64, ...).

use super::CommandMap;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    let _ = map;
}

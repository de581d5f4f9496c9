//! Registration of `sed` (GNU sed 4.9), which lives in its own folder.

use super::CommandMap;

#[path = "sed/mod.rs"]
mod sed;

/// Add `sed` to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("sed", Box::new(sed::Sed));
}

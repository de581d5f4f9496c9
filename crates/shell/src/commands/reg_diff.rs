//! Registration of the comparison and patching commands: `diff` (GNU diffutils 3.8)
//! and `patch` (GNU patch 2.7.6).

use super::CommandMap;

#[path = "diff/mod.rs"]
mod diff;
#[path = "patch.rs"]
mod patch;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("diff", Box::new(diff::Diff));
    map.insert("patch", Box::new(patch::Patch));
}

//! Registration of `jq` (on the jaq crates).

use super::CommandMap;

#[path = "jq/mod.rs"]
mod jq;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("jq", Box::new(jq::Jq));
}

//! Registration of the findutils commands: `find` and `xargs`.

use super::CommandMap;

#[path = "find/mod.rs"]
mod find;
#[path = "xargs.rs"]
mod xargs;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("find", Box::new(find::Find));
    map.insert("xargs", Box::new(xargs::Xargs));
}

//! Registration of the findutils commands: `find` and `xargs`.

use super::CommandMap;

// The mode parser of the file commands (`-perm u+w`), compiled here too: it is private
// to that group.
#[path = "files_mode.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod mode;

#[path = "find/mod.rs"]
mod find;
#[path = "xargs.rs"]
mod xargs;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("find", Box::new(find::Find));
    map.insert("xargs", Box::new(xargs::Xargs));
}

//! Registration of `awk` (GNU awk 5.2 behaviour) under the names `awk` and `gawk`.

use super::CommandMap;

#[path = "awk/mod.rs"]
mod awk;

/// Add awk's names to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("awk", Box::new(awk::Awk));
    map.insert("gawk", Box::new(awk::Awk));
}

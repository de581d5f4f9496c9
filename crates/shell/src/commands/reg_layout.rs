//! Registration of the layout commands: `column`, `fmt`, `file`, `tree`.

use super::CommandMap;
use super::reg_text::{Out, open, print_text, stopped, try_help, version};

#[path = "column.rs"]
mod column;
#[path = "file.rs"]
mod file;
#[path = "fmt.rs"]
mod fmt;
#[path = "tree.rs"]
mod tree;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("column", Box::new(column::Column));
    map.insert("fmt", Box::new(fmt::Fmt));
    map.insert("file", Box::new(file::File));
    map.insert("tree", Box::new(tree::Tree));
}

/// The text for a read error.
fn io_err(e: &std::io::Error) -> String {
    crate::io::errno_message(e)
}

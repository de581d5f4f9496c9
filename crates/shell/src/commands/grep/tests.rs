//! Unit tests for grep's helpers.

use super::*;

#[test]
fn fixed_strings_escape_as_bre() {
    assert_eq!(
        escape_bre(b"a.b*[c]^$\\"),
        b"a\\.b\\*\\[c]\\^\\$\\\\".to_vec()
    );
}

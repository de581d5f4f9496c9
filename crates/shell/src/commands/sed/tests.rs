//! Unit tests for the parts the bash oracle cannot see directly.

use super::parse::{TextType, normalize_text};

#[test]
fn escapes() {
    assert_eq!(normalize_text(b"a\\tb", TextType::Buffer).unwrap(), b"a\tb");
    assert_eq!(
        normalize_text(b"\\x41\\d066\\o103", TextType::None).unwrap(),
        b"ABC"
    );
    assert_eq!(
        normalize_text(b"\\x26", TextType::Replacement).unwrap(),
        b"\\&"
    );
    assert_eq!(normalize_text(b"\\q", TextType::Buffer).unwrap(), b"q");
    assert_eq!(normalize_text(b"\\cA", TextType::None).unwrap(), [1]);
}

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

fn run(script: &str) -> crate::ExecResult {
    let mut sh = crate::Shell::new(vfs_core::Vfs::new());
    sh.exec(script)
}

#[test]
fn e_runs_commands_in_the_shell() {
    // `e` runs through the shell's own `sh -c`, on the virtual filesystem.
    let r = run("echo hi > f; echo x | sed 'e cat f'");
    assert_eq!(r.stdout_str(), "hi\nx\n");
    let r = run("echo 'echo a; echo b' | sed e");
    assert_eq!(r.stdout_str(), "a\nb\n");
    let r = run("echo x | sed 's/x/echo X/e'");
    assert_eq!(r.stdout_str(), "X\n");
    let r = run("echo x | sed --sandbox 'e ls'");
    assert_eq!(r.status, 1);
    assert_eq!(
        r.stderr_str(),
        "sed: -e expression #1, char 1: e/r/w commands disabled in sandbox mode\n"
    );
}

#[test]
fn unsupported_parts_say_so() {
    let r = run("echo x | sed --debug p");
    assert_eq!(r.status, 1);
    assert_eq!(r.stderr_str(), "sed: option '--debug' is not supported\n");
}

#[test]
fn endless_loops_and_growth_are_bounded() {
    // Pattern space doubling forever hits the size limit, not the host's memory.
    let r = run("echo x | sed ':a;G;h;G;h;ba'");
    assert_eq!(r.status, 4);
    assert!(r.stderr_str().contains("couldn't re-allocate memory"));
}

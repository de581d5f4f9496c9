//! Unit tests for grep's helpers.

use super::*;

#[test]
fn fixed_strings_escape_as_bre() {
    assert_eq!(
        escape_bre(b"a.b*[c]^$\\"),
        b"a\\.b\\*\\[c]\\^\\$\\\\".to_vec()
    );
}

/// Timing against GNU grep on a 20 MB file: `cargo test -p shell --lib grep_speed --
/// --ignored --nocapture` (writes the same file to /tmp/agentsh-grep-speed.txt).
#[test]
#[ignore]
fn grep_speed() {
    let mut data = Vec::with_capacity(21 << 20);
    let words: &[&[u8]] = &[
        b"alpha",
        b"beta",
        b"gamma",
        b"delta",
        b"error",
        b"warning",
        b"info",
        b"12345",
        b"user_id",
        b"request",
        b"timeout",
        b"value=42",
        b"foo",
        b"barbaz",
    ];
    let mut x: u64 = 12345;
    while data.len() < 20 << 20 {
        let n = 4 + (x % 9) as usize;
        for i in 0..n {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i > 0 {
                data.push(b' ');
            }
            data.extend_from_slice(words[(x >> 33) as usize % words.len()]);
        }
        data.push(b'\n');
    }
    let _ = std::fs::write("/tmp/agentsh-grep-speed.txt", &data);
    let fs = vfs_core::Vfs::new();
    fs.write("/big", data).unwrap();
    let mut sh = crate::Shell::new(fs);
    for script in [
        "grep -c timeout /big",
        "grep -c 'err[a-z]* [0-9]' /big",
        "grep -o 'val[a-z]*=[0-9]*' /big | tail -1",
        "grep -o 'val[a-z]*=[0-9]*' /big > /dev/null",
        "grep timeout /big > /dev/null",
        "grep -vc foo /big",
        "grep -cw foo /big",
        "grep -ci ERROR /big",
    ] {
        let t = std::time::Instant::now();
        let r = sh.exec(script);
        println!(
            "{script}: {:?} -> {}",
            t.elapsed(),
            String::from_utf8_lossy(&r.stdout).trim()
        );
    }
}

fn run(script: &str) -> crate::ExecResult {
    let fs = vfs_core::Vfs::new();
    let mut sh = crate::Shell::new(fs);
    sh.exec(script)
}

#[test]
fn perl_lookaround_and_unsupported_features() {
    let r = run("echo ab | grep -oP 'a(?=b)'");
    assert_eq!((r.status, r.stdout.as_slice()), (0, &b"a\n"[..]));
    let r = run("echo ab | grep -P '(?R)'");
    assert_eq!(r.status, 2);
    assert!(
        String::from_utf8_lossy(&r.stderr).starts_with("grep: -P pattern not supported"),
        "{:?}",
        r.stderr_str()
    );
    let a = "a".repeat(90);
    let r = run(&format!(
        "printf '{a}!z\\nok\\n' | grep -P '^(\\w+\\s?)*(?<=!)$'; echo \"s=$?\""
    ));
    assert_eq!(r.stdout_str(), "s=2\n");
    assert!(
        r.stderr_str()
            .contains("exceeded PCRE's backtracking limit"),
        "{:?}",
        r.stderr_str()
    );
    let r = run("echo foo12 | grep -oP '\\d+'");
    assert_eq!(r.stdout, b"12\n");
}

#[test]
fn color_always_colors_matches() {
    let r = run("echo xaby | grep --color=always -n a");
    assert_eq!(r.status, 0);
    assert_eq!(
        r.stdout,
        b"\x1b[32m\x1b[K1\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[Kx\x1b[01;31m\x1b[Ka\x1b[m\x1b[Kby\n"
    );
}

#[test]
fn binary_message_goes_to_stderr() {
    let r = run("printf 'a\\0b\\n' > f; grep a f");
    assert_eq!(r.status, 0);
    assert!(r.stdout.is_empty());
    assert_eq!(r.stderr, b"grep: f: binary file matches\n");
}

#[test]
fn recursion_keeps_non_utf8_names() {
    use std::os::unix::ffi::OsStrExt;
    let fs = vfs_core::Vfs::new();
    fs.create_dir_all("/d", 0o755).unwrap();
    fs.write(
        std::path::Path::new(std::ffi::OsStr::from_bytes(b"/d/n\xffm")),
        b"hit\n".to_vec(),
    )
    .unwrap();
    let mut sh = crate::Shell::new(fs);
    let r = sh.exec("grep -r hit /d");
    assert_eq!(r.stdout, b"/d/n\xffm:hit\n");
}

//! tar and gzip against the VFS limits: a decompression bomb or an archive bigger than
//! the quota stops with a clear error, never a panic, and the VFS stays consistent.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;

use shell::{Shell, ShellLimits};
use vfs_core::{Limits, Vfs};

fn small_fs() -> Vfs {
    Vfs::builder()
        .limits(Limits {
            max_bytes: 4 << 20,
            ..Limits::default()
        })
        .build()
}

/// `n` zero bytes, gzip-compressed.
fn zeros_gz(n: usize) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len());
        e.write_all(&block[..k]).unwrap();
        left -= k;
    }
    e.finish().unwrap()
}

#[test]
fn gunzip_into_a_full_vfs_reports_the_write_error() {
    let fs = small_fs();
    fs.write("/bomb.gz", zeros_gz(16 << 20)).unwrap();
    let mut sh = Shell::with_limits(fs.clone(), ShellLimits::default());
    let r = sh.exec("cd /; gunzip bomb.gz; echo status $?; ls");
    assert_eq!(r.stdout_str(), "status 1\nbomb.gz\n", "{}", r.stderr_str());
    assert_eq!(
        r.stderr_str(),
        "gzip: bomb: No space left on device\n",
        "{}",
        r.stderr_str()
    );
    fs.fsck().unwrap();
}

#[test]
fn tar_extract_into_a_full_vfs_reports_and_goes_on() {
    let fs = small_fs();
    let mut sh = Shell::with_limits(fs.clone(), ShellLimits::default());
    // A 3 MiB file archived twice (through a symlink and -h): the second copy does not fit.
    let r = sh.exec(
        "cd /; head -c 3145728 /dev/zero > big; ln -s big big2; printf x > small; \
         tar czhf a.tgz big big2 small; rm big big2; mkdir o; tar xzf a.tgz -C o; echo status $?; \
         cat o/small; echo",
    );
    let err = r.stderr_str();
    assert!(
        err.contains("tar: big2: Cannot write: No space left on device"),
        "{err}"
    );
    assert!(
        err.contains("tar: Exiting with failure status due to previous errors"),
        "{err}"
    );
    assert_eq!(r.stdout_str(), "status 2\nx\n");
    fs.fsck().unwrap();
}

#[test]
fn zcat_of_a_bomb_hits_the_output_limit() {
    let fs = Vfs::new();
    fs.write("/bomb.gz", zeros_gz(300 << 20)).unwrap();
    let mut sh = Shell::with_limits(fs, ShellLimits::default());
    let r = sh.exec("cd /; zcat bomb.gz > /dev/null; echo status $?");
    assert_eq!(r.stdout_str(), "status 1\n");
    assert!(
        r.stderr_str()
            .contains("gzip: bomb.gz: decompressed data exceeds the limit"),
        "{}",
        r.stderr_str()
    );
}

#[test]
fn tar_roundtrip_keeps_everything() {
    let mut sh = Shell::with_limits(Vfs::new(), ShellLimits::default());
    let r = sh.exec(
        "cd /; mkdir -p d/e; printf 'a\\n' > d/a; ln -s a d/s; ln d/a d/h; chmod 604 d/a; \
         touch -d '2024-01-02 03:04:05' d/a d/e; tar czf x.tgz d; mkdir o; cd o; tar xzf ../x.tgz; \
         stat -c '%n %a %h %Y' d/a d/h d/e; readlink d/s",
    );
    assert_eq!(
        r.stdout_str(),
        "d/a 604 2 1704164645\nd/h 604 2 1704164645\nd/e 755 2 1704164645\na\n",
        "{}",
        r.stderr_str()
    );
}

#[test]
fn tar_refuses_to_escape_with_dotdot_or_absolute_names() {
    let mut sh = Shell::with_limits(Vfs::new(), ShellLimits::default());
    // Build an archive whose member is called ../escape (via -P on create).
    let r = sh.exec(
        "mkdir -p /w/in /w/out; cd /w/in; printf x > ../f; tar -cPf ../a.tar ../f; \
         cd /w/out; tar xf ../a.tar; echo status $?; ls /w/out; tar tf ../a.tar",
    );
    assert_eq!(r.stdout_str(), "status 2\n../f\n", "{}", r.stderr_str());
    assert!(
        r.stderr_str()
            .contains("tar: ../f: Member name contains '..'")
    );
}

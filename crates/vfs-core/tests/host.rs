//! Host interop (`vfs_core::host`): import and export through cap-std, symlinks never
//! followed on the host, special files skipped, limits enforced.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, unsafe_code)]

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cap_std::fs::Dir;
use vfs_core::host::{ExportOptions, HostError, ImportOptions, export_dir, import_dir};
use vfs_core::{Errno, Limits, Timestamp, Vfs};

fn open(p: &Path) -> Dir {
    Dir::open_ambient_dir(p, cap_std::ambient_authority()).unwrap()
}

fn mkfifo(p: &Path) {
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", p.display());
}

fn set_mode(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn set_mtime(p: &Path, t: SystemTime) {
    let f = fs::File::options().write(true).open(p).unwrap();
    f.set_times(fs::FileTimes::new().set_modified(t).set_accessed(t))
        .unwrap();
}

fn all_bytes() -> Vec<u8> {
    (0..=255u8).collect()
}

/// A host tree with nested and empty directories, binary content, modes and symlinks
/// (one inside the tree, one climbing out of it). Returns (tempdir, tree root).
fn host_tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tree");
    fs::create_dir_all(root.join("a/b/c")).unwrap();
    fs::create_dir(root.join("empty")).unwrap();
    fs::write(root.join("a/b/c/deep.txt"), "deep\n").unwrap();
    fs::write(root.join("bin.dat"), all_bytes()).unwrap();
    fs::write(root.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
    set_mode(&root.join("run.sh"), 0o755);
    fs::write(root.join("secret"), "s3cret").unwrap();
    set_mode(&root.join("secret"), 0o600);
    set_mode(&root.join("a/b"), 0o750);
    symlink("b/c/deep.txt", root.join("a/link_in")).unwrap();
    symlink("../../etc/passwd", root.join("link_out")).unwrap();
    let t = SystemTime::UNIX_EPOCH + Duration::new(1_600_000_000, 123_456_789);
    set_mtime(&root.join("bin.dat"), t);
    (tmp, root)
}

#[test]
fn import_copies_tree_modes_times_and_symlinks() {
    let (_tmp, root) = host_tree();
    let fs = Vfs::new();
    let report = import_dir(&fs, &open(&root), "/proj", &ImportOptions::default()).unwrap();
    assert_eq!(report.files, 4, "{report:?}");
    assert_eq!(report.dirs, 4, "a, a/b, a/b/c, empty: {report:?}");
    assert_eq!(report.symlinks, 2);
    assert_eq!(report.bytes, 5 + 256 + 18 + 6);
    assert!(report.warnings.is_empty());

    assert_eq!(
        fs.read("/proj/bin.dat").unwrap().as_ref(),
        all_bytes().as_slice()
    );
    assert_eq!(fs.read_to_string("/proj/a/b/c/deep.txt").unwrap(), "deep\n");
    assert_eq!(fs.stat("/proj/run.sh").unwrap().mode, 0o755);
    assert_eq!(fs.stat("/proj/secret").unwrap().mode, 0o600);
    assert_eq!(fs.stat("/proj/a/b").unwrap().mode, 0o750);
    assert!(fs.stat("/proj/empty").unwrap().is_dir());
    assert!(fs.read_dir("/proj/empty").unwrap().is_empty());
    assert_eq!(
        fs.stat("/proj/bin.dat").unwrap().mtime,
        Timestamp::new(1_600_000_000, 123_456_789)
    );
    // Directory times are set after their entries, so they match the host.
    let host_b = fs::metadata(root.join("a/b")).unwrap();
    assert_eq!(
        fs.stat("/proj/a/b").unwrap().mtime,
        Timestamp::new(host_b.mtime(), host_b.mtime_nsec() as u32)
    );

    // Symlinks come in as symlinks, target text unchanged.
    assert_eq!(
        fs.read_link("/proj/a/link_in").unwrap(),
        Path::new("b/c/deep.txt")
    );
    assert_eq!(
        fs.read_link("/proj/link_out").unwrap(),
        Path::new("../../etc/passwd")
    );
    assert_eq!(fs.read_to_string("/proj/a/link_in").unwrap(), "deep\n");
    // The outward link resolves inside the VFS only.
    assert_eq!(
        fs.stat("/proj/link_out").unwrap_err().errno(),
        Errno::NoEntry
    );
    fs.create_dir_all("/etc", 0o755).unwrap();
    fs.write("/etc/passwd", "vfs-only\n").unwrap();
    assert_eq!(fs.read_to_string("/proj/link_out").unwrap(), "vfs-only\n");
    assert_eq!(
        fs.canonicalize("/proj/link_out").unwrap(),
        Path::new("/etc/passwd")
    );
}

#[test]
fn round_trip_import_export() {
    let (tmp, root) = host_tree();
    let fs = Vfs::new();
    import_dir(&fs, &open(&root), "/proj", &ImportOptions::default()).unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let report = export_dir(&fs, "/proj", &open(&out), &ExportOptions { symlinks: true }).unwrap();
    assert_eq!(
        (report.files, report.dirs, report.symlinks),
        (4, 4, 2),
        "{report:?}"
    );
    assert_eq!(report.bytes, 5 + 256 + 18 + 6);
    assert!(report.warnings.is_empty());

    for f in ["a/b/c/deep.txt", "bin.dat", "run.sh", "secret"] {
        assert_eq!(
            fs::read(root.join(f)).unwrap(),
            fs::read(out.join(f)).unwrap(),
            "{f}"
        );
    }
    for p in ["a", "a/b", "a/b/c", "empty", "run.sh", "secret", "bin.dat"] {
        let a = fs::symlink_metadata(root.join(p)).unwrap();
        let b = fs::symlink_metadata(out.join(p)).unwrap();
        assert_eq!(a.mode(), b.mode(), "{p}");
        assert_eq!(
            (a.mtime(), a.mtime_nsec()),
            (b.mtime(), b.mtime_nsec()),
            "{p}"
        );
    }
    assert_eq!(fs::read_dir(out.join("empty")).unwrap().count(), 0);
    assert_eq!(
        fs::read_link(out.join("a/link_in")).unwrap(),
        Path::new("b/c/deep.txt")
    );
    assert_eq!(
        fs::read_link(out.join("link_out")).unwrap(),
        Path::new("../../etc/passwd")
    );

    // Exporting again replaces files and symlinks and merges directories.
    fs.write("/proj/secret", "changed").unwrap();
    export_dir(&fs, "/proj", &open(&out), &ExportOptions { symlinks: true }).unwrap();
    assert_eq!(fs::read_to_string(out.join("secret")).unwrap(), "changed");
    assert_eq!(
        fs::metadata(out.join("secret")).unwrap().mode() & 0o777,
        0o600
    );

    // A second import of the export gives the same tree.
    let again = Vfs::new();
    import_dir(&again, &open(&out), "/", &ImportOptions::default()).unwrap();
    assert_eq!(
        again.read("/bin.dat").unwrap(),
        fs.read("/proj/bin.dat").unwrap()
    );
    assert_eq!(again.stat("/run.sh").unwrap().mode, 0o755);
}

#[test]
fn export_skips_symlinks_unless_asked() {
    let (tmp, root) = host_tree();
    let fs = Vfs::new();
    import_dir(&fs, &open(&root), "/proj", &ImportOptions::default()).unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let report = export_dir(&fs, "/proj", &open(&out), &ExportOptions::default()).unwrap();
    assert_eq!(report.symlinks, 0);
    let warned: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warned,
        [
            "/proj/a/link_in: skipped symbolic link",
            "/proj/link_out: skipped symbolic link"
        ]
    );
    assert!(fs::symlink_metadata(out.join("link_out")).is_err());
    assert!(fs::symlink_metadata(out.join("a/link_in")).is_err());
}

#[test]
fn import_skips_fifo_with_warning() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("d")).unwrap();
    mkfifo(&tmp.path().join("d/pipe"));
    fs::write(tmp.path().join("d/file"), "x").unwrap();
    let fs = Vfs::new();
    let report = import_dir(&fs, &open(tmp.path()), "/in", &ImportOptions::default()).unwrap();
    assert_eq!((report.files, report.dirs), (1, 1));
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(report.warnings[0].path, Path::new("d/pipe"));
    assert_eq!(report.warnings[0].to_string(), "d/pipe: skipped fifo");
    assert!(!fs.exists("/in/d/pipe"));
    assert_eq!(fs.read_to_string("/in/d/file").unwrap(), "x");
}

#[test]
fn import_never_descends_through_host_symlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("loot"), "outside data").unwrap();
    let root = tmp.path().join("root");
    fs::create_dir(&root).unwrap();
    symlink(&outside, root.join("abs_dir")).unwrap();
    symlink("../outside", root.join("rel_dir")).unwrap();
    symlink("../outside/loot", root.join("rel_file")).unwrap();
    symlink("/", root.join("slash")).unwrap();
    symlink("loop", root.join("loop")).unwrap();
    let fs = Vfs::new();
    let report = import_dir(&fs, &open(&root), "/r", &ImportOptions::default()).unwrap();
    assert_eq!((report.symlinks, report.files, report.dirs), (5, 0, 0));
    assert_eq!(report.bytes, 0);
    assert_eq!(fs.read_link("/r/abs_dir").unwrap(), outside);
    assert_eq!(fs.read_link("/r/slash").unwrap(), Path::new("/"));
    // Nothing from outside the host directory made it in.
    let du = fs.disk_usage("/").unwrap();
    assert_eq!(du.files, 0);
    assert_eq!(fs.stat("/r/rel_file").unwrap_err().errno(), Errno::NoEntry);
    assert_eq!(fs.stat("/r/loop").unwrap_err().errno(), Errno::Loop);
}

#[test]
fn import_keeps_hard_links() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("one"), "shared").unwrap();
    fs::hard_link(tmp.path().join("one"), tmp.path().join("two")).unwrap();
    let fs = Vfs::new();
    let report = import_dir(&fs, &open(tmp.path()), "/h", &ImportOptions::default()).unwrap();
    assert_eq!((report.files, report.bytes), (2, 6));
    let (a, b) = (fs.stat("/h/one").unwrap(), fs.stat("/h/two").unwrap());
    assert_eq!(a.ino, b.ino);
    assert_eq!(a.nlink, 2);
    assert_eq!(fs.usage().bytes, 6);
}

#[test]
fn import_respects_vfs_limits() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("big"), vec![7u8; 4096]).unwrap();
    let small = Vfs::builder()
        .limits(Limits {
            max_bytes: 1000,
            ..Limits::default()
        })
        .build();
    let err = import_dir(&small, &open(tmp.path()), "/x", &ImportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NoSpace), "{err}");
    assert!(matches!(err, HostError::Vfs(_)));
    assert_eq!(err.to_string(), "/x/big: No space left on device");
    assert!(!small.exists("/x/big"));

    // Many small files: the import stops at the first one that does not fit.
    let many = tempfile::tempdir().unwrap();
    for i in 0..10 {
        fs::write(many.path().join(format!("f{i}")), vec![1u8; 300]).unwrap();
    }
    let small = Vfs::builder()
        .limits(Limits {
            max_bytes: 1000,
            ..Limits::default()
        })
        .build();
    let err = import_dir(&small, &open(many.path()), "/m", &ImportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NoSpace), "{err}");
    assert_eq!(small.usage().bytes, 900);

    // Inodes too.
    let few = Vfs::builder()
        .limits(Limits {
            max_inodes: 4,
            ..Limits::default()
        })
        .build();
    let err = import_dir(&few, &open(many.path()), "/m", &ImportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NoSpace), "{err}");

    // And the file size limit.
    let narrow = Vfs::builder()
        .limits(Limits {
            max_file_size: 100,
            ..Limits::default()
        })
        .build();
    let err = import_dir(&narrow, &open(tmp.path()), "/x", &ImportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::FileTooBig), "{err}");
}

#[test]
fn import_options_limit_one_import() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..5 {
        fs::write(tmp.path().join(format!("f{i}")), vec![1u8; 100]).unwrap();
    }
    let fs = Vfs::new();
    let opts = ImportOptions {
        max_files: Some(3),
        ..ImportOptions::default()
    };
    let err = import_dir(&fs, &open(tmp.path()), "/a", &opts).unwrap_err();
    assert!(
        matches!(
            err,
            HostError::Limit {
                limit: "max_files",
                max: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "f3: import limit exceeded (max_files = 3)");
    assert_eq!(err.errno(), Some(Errno::NoSpace));
    assert_eq!(fs.read_dir("/a").unwrap().len(), 3);

    let opts = ImportOptions {
        max_bytes: Some(250),
        ..ImportOptions::default()
    };
    let err = import_dir(&fs, &open(tmp.path()), "/b", &opts).unwrap_err();
    assert!(
        matches!(
            err,
            HostError::Limit {
                limit: "max_bytes",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fs.read_dir("/b").unwrap().len(), 2);
}

#[test]
fn export_refuses_host_symlink_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    symlink(&elsewhere, out.join("sub")).unwrap();

    let fs = Vfs::new();
    fs.create_dir_all("/src/sub", 0o755).unwrap();
    fs.write("/src/sub/file", "payload").unwrap();
    let err = export_dir(&fs, "/src", &open(&out), &ExportOptions::default()).unwrap_err();
    assert!(
        matches!(&err, HostError::Symlink { path } if path == Path::new("sub")),
        "{err:?}"
    );
    assert_eq!(err.errno(), Some(Errno::Loop));
    assert_eq!(
        err.to_string(),
        "sub: is a symbolic link; refusing to follow it"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);

    // A relative symlink inside the host directory is refused just the same.
    fs::remove_file(out.join("sub")).unwrap();
    fs::create_dir(out.join("real")).unwrap();
    symlink("real", out.join("sub")).unwrap();
    let err = export_dir(&fs, "/src", &open(&out), &ExportOptions::default()).unwrap_err();
    assert!(matches!(err, HostError::Symlink { .. }), "{err:?}");
    assert_eq!(fs::read_dir(out.join("real")).unwrap().count(), 0);
}

#[test]
fn export_refuses_to_write_through_host_symlink_file() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    fs::write(&victim, "original").unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    symlink(&victim, out.join("f")).unwrap();

    let fs = Vfs::new();
    fs.create_dir_all("/src", 0o755).unwrap();
    fs.write("/src/f", "overwritten?").unwrap();
    let err = export_dir(&fs, "/src", &open(&out), &ExportOptions::default()).unwrap_err();
    assert!(
        matches!(&err, HostError::Symlink { path } if path == Path::new("f")),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "original");
}

#[test]
fn export_masks_set_id_bits_and_checks_source() {
    let tmp = tempfile::tempdir().unwrap();
    let fs = Vfs::new();
    fs.create_dir_all("/s", 0o755).unwrap();
    fs.write("/s/suid", "x").unwrap();
    fs.chmod("/s/suid", 0o4755).unwrap();
    export_dir(&fs, "/s", &open(tmp.path()), &ExportOptions::default()).unwrap();
    assert_eq!(
        fs::metadata(tmp.path().join("suid")).unwrap().mode() & 0o7777,
        0o755
    );

    let err = export_dir(&fs, "/s/suid", &open(tmp.path()), &ExportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NotDirectory));
    let err = export_dir(
        &fs,
        "/missing",
        &open(tmp.path()),
        &ExportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "/missing: No such file or directory");

    // A directory where a file goes, and a file where a directory goes.
    fs::create_dir(tmp.path().join("clash")).unwrap();
    fs.write("/s/clash", "x").unwrap();
    let err = export_dir(&fs, "/s", &open(tmp.path()), &ExportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::IsDirectory));
    assert_eq!(err.to_string(), "clash: Is a directory");
}

#[test]
fn import_into_existing_tree_merges() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("d")).unwrap();
    fs::write(tmp.path().join("d/new"), "new").unwrap();
    fs::write(tmp.path().join("d/old"), "replaced").unwrap();
    let fs = Vfs::new();
    fs.create_dir_all("/t/d", 0o755).unwrap();
    fs.write("/t/d/old", "old contents").unwrap();
    fs.write("/t/d/keep", "kept").unwrap();
    import_dir(&fs, &open(tmp.path()), "/t", &ImportOptions::default()).unwrap();
    assert_eq!(fs.read_to_string("/t/d/old").unwrap(), "replaced");
    assert_eq!(fs.read_to_string("/t/d/new").unwrap(), "new");
    assert_eq!(fs.read_to_string("/t/d/keep").unwrap(), "kept");
    assert_eq!(fs.usage().bytes, 3 + 8 + 4);
}

#[test]
fn import_replaces_vfs_symlinks_instead_of_writing_through_them() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a"), "from host").unwrap();
    symlink("somewhere", tmp.path().join("l")).unwrap();
    fs::create_dir(tmp.path().join("d")).unwrap();
    let fs = Vfs::new();
    fs.create_dir_all("/etc", 0o755).unwrap();
    fs.write("/etc/important", "keep").unwrap();
    fs.create_dir_all("/t", 0o755).unwrap();
    fs.symlink("/etc/important", "/t/a").unwrap();
    fs.write("/t/l", "a file where a link goes").unwrap();
    import_dir(&fs, &open(tmp.path()), "/t", &ImportOptions::default()).unwrap();
    assert_eq!(fs.read_to_string("/etc/important").unwrap(), "keep");
    assert!(fs.lstat("/t/a").unwrap().is_file());
    assert_eq!(fs.read_to_string("/t/a").unwrap(), "from host");
    assert_eq!(fs.read_link("/t/l").unwrap(), Path::new("somewhere"));

    // A VFS symlink to a directory is not merged into.
    fs.remove_all("/t/d").unwrap();
    fs.symlink("/etc", "/t/d").unwrap();
    let err = import_dir(&fs, &open(tmp.path()), "/t", &ImportOptions::default()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::Exist), "{err}");
}

#[test]
fn error_display_is_path_colon_message() {
    let e = HostError::Io {
        path: PathBuf::from("a/b"),
        source: std::io::Error::from_raw_os_error(libc::EACCES),
    };
    assert_eq!(e.to_string(), "a/b: Permission denied");
    assert_eq!(e.errno(), Some(Errno::Access));
    assert_eq!(e.path(), Some(Path::new("a/b")));
    let e = HostError::Io {
        path: PathBuf::new(),
        source: std::io::Error::other("boom"),
    };
    assert_eq!(e.to_string(), ".: boom");
    assert_eq!(e.errno(), None);
    let e = HostError::from(vfs_core::Error::with_path(Errno::NoSpace, "/f"));
    assert_eq!(e.to_string(), "/f: No space left on device");
    assert!(std::error::Error::source(&e).is_some());
}

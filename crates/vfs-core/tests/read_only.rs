//! Read-only subtrees ([`Vfs::set_read_only`]) against the documented behaviour of a
//! read-only bind mount on Linux (`mount --bind -o ro`): a real one needs privileges
//! this suite does not have, so each expectation below is the kernel's rule, cited by
//! the function that makes it.
//!
//! - every change inside: `EROFS` (`mnt_want_write`), root included;
//! - `rename` between mounts, `link` across mounts: `EXDEV`;
//! - removing or renaming a mount point: `EBUSY` (`is_local_mountpoint`);
//! - `access(W_OK)`: `EROFS` after the permission check (`do_faccessat`).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use vfs_core::{Access, Cred, Errno, OpenOptions, SetTime, Timestamp, Vfs};

/// `/w` writable; `/ro` read-only, holding `f` (0644), `x` (0755), `d/g`, `d/e/` and
/// `l -> f`; `/w/out -> /ro/f`.
fn setup() -> Vfs {
    let fs = Vfs::new();
    fs.mkdir("/w", 0o777).unwrap();
    fs.create_dir_all("/ro/d/e", 0o755).unwrap();
    fs.write("/ro/f", "data\n").unwrap();
    fs.write("/ro/x", "#!/bin/sh\n").unwrap();
    fs.chmod("/ro/x", 0o755).unwrap();
    fs.write("/ro/d/g", "g").unwrap();
    fs.symlink("f", "/ro/l").unwrap();
    fs.symlink("/ro/f", "/w/out").unwrap();
    fs.set_read_only("/ro").unwrap();
    fs.fsck().unwrap();
    fs
}

fn as_user(fs: &Vfs) -> Vfs {
    let mut u = fs.clone();
    u.set_cred(Cred::user(1000, 1000));
    u
}

fn errno<T: std::fmt::Debug>(r: vfs_core::Result<T>) -> Errno {
    r.unwrap_err().errno()
}

/// The tree under `/ro` as (path, metadata, content) triples, to show nothing changed.
fn tree(fs: &Vfs) -> Vec<(std::path::PathBuf, vfs_core::Metadata, Option<Vec<u8>>)> {
    fs.walk("/ro")
        .unwrap()
        .into_iter()
        .map(|e| {
            let data = e
                .metadata
                .is_file()
                .then(|| fs.read(&e.path).unwrap().to_vec());
            (e.path, e.metadata, data)
        })
        .collect()
}

#[test]
fn reads_work() {
    let fs = setup();
    assert_eq!(fs.read_to_string("/ro/f").unwrap(), "data\n");
    assert_eq!(fs.read_to_string("/ro/l").unwrap(), "data\n");
    assert_eq!(fs.read_to_string("/w/out").unwrap(), "data\n");
    assert_eq!(fs.read_link("/ro/l").unwrap().to_str(), Some("f"));
    let names: Vec<_> = fs
        .read_dir("/ro")
        .unwrap()
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["d", "f", "l", "x"]);
    assert!(fs.stat("/ro/d/e/../g").unwrap().is_file());
    assert_eq!(fs.canonicalize("/ro/l").unwrap().to_str(), Some("/ro/f"));
    let mut h = fs.open("/ro/f", &OpenOptions::read_only()).unwrap();
    let mut s = Vec::new();
    h.read_to_end(&mut s).unwrap();
    assert_eq!(s, b"data\n");
    // O_CREAT without O_EXCL on an existing file opens it.
    fs.open("/ro/f", &OpenOptions::new().read(true).create(true))
        .unwrap();
    fs.open("/ro/d", &OpenOptions::new().directory(true))
        .unwrap();
    let mut cwd = fs.clone();
    cwd.set_cwd("/ro/d").unwrap();
    assert_eq!(cwd.read_to_string("g").unwrap(), "g");
    assert!(fs.is_read_only("/ro/d/g").unwrap());
    assert!(fs.is_read_only("/w/out").unwrap());
    assert!(!fs.is_read_only("/w").unwrap());
    assert!(!fs.is_read_only("/").unwrap());
    assert_eq!(fs.glob("/ro/*").unwrap().len(), 4);
}

#[test]
fn access_write_is_erofs_after_the_permission_check() {
    let fs = setup();
    fs.access("/ro/f", Access::READ).unwrap();
    fs.access("/ro/x", Access::EXEC).unwrap();
    fs.access("/ro/d", Access::EXEC.union(Access::READ))
        .unwrap();
    fs.access("/ro/f", Access::EXISTS).unwrap();
    assert_eq!(errno(fs.access("/ro/f", Access::WRITE)), Errno::ReadOnly);
    assert_eq!(errno(fs.access("/ro/d", Access::WRITE)), Errno::ReadOnly);
    let u = as_user(&fs);
    u.access("/ro/f", Access::READ).unwrap();
    // The mode bits deny the user first: EACCES, as do_faccessat checks them first.
    assert_eq!(errno(u.access("/ro/f", Access::WRITE)), Errno::Access);
    // Access on a writable path is unaffected.
    fs.access("/w", Access::WRITE).unwrap();
}

#[test]
fn opening_for_writing_is_erofs() {
    let fs = setup();
    let before = tree(&fs);
    for opts in [
        OpenOptions::new().write(true),
        OpenOptions::new().read(true).write(true),
        OpenOptions::new().append(true),
        OpenOptions::create_truncate(),
        OpenOptions::create_append(),
        OpenOptions::new().read(true).truncate(true),
    ] {
        assert_eq!(errno(fs.open("/ro/f", &opts)), Errno::ReadOnly, "{opts:?}");
        assert_eq!(errno(fs.open("/ro/l", &opts)), Errno::ReadOnly, "{opts:?}");
        assert_eq!(errno(fs.open("/w/out", &opts)), Errno::ReadOnly, "{opts:?}");
    }
    // Creating a new file: EROFS; an existing name with O_EXCL: EEXIST first.
    assert_eq!(
        errno(fs.open("/ro/new", &OpenOptions::create_truncate())),
        Errno::ReadOnly
    );
    assert_eq!(
        errno(fs.open("/ro/f", &OpenOptions::new().write(true).create_new(true))),
        Errno::Exist
    );
    // A directory opened for writing is EISDIR, as before.
    assert_eq!(
        errno(fs.open("/ro/d", &OpenOptions::new().write(true))),
        Errno::IsDirectory
    );
    // O_TRUNC takes write access before the permission check; O_WRONLY after it.
    let u = as_user(&fs);
    assert_eq!(
        errno(u.open("/ro/f", &OpenOptions::new().read(true).truncate(true))),
        Errno::ReadOnly
    );
    assert_eq!(
        errno(u.open("/ro/f", &OpenOptions::new().write(true))),
        Errno::Access
    );
    // The convenience writers go through the same checks.
    assert_eq!(errno(fs.write("/ro/f", "x")), Errno::ReadOnly);
    assert_eq!(errno(fs.write("/ro/d/new", "x")), Errno::ReadOnly);
    assert_eq!(errno(fs.append("/ro/f", b"x")), Errno::ReadOnly);
    assert_eq!(errno(fs.copy_file("/w/out", "/ro/f2")), Errno::ReadOnly);
    assert_eq!(errno(fs.copy_file("/ro/d/g", "/ro/f")), Errno::ReadOnly);
    // Copying out of the subtree works.
    assert_eq!(fs.copy_file("/ro/f", "/w/copy").unwrap(), 5);
    assert_eq!(before, tree(&fs));
    fs.fsck().unwrap();
}

#[test]
fn handles_opened_before_cannot_write() {
    let fs = Vfs::new();
    fs.create_dir_all("/m", 0o755).unwrap();
    fs.write("/m/f", "abc").unwrap();
    let mut h = fs
        .open("/m/f", &OpenOptions::new().read(true).write(true))
        .unwrap();
    fs.set_read_only("/m").unwrap();
    assert_eq!(errno(h.write(b"x")), Errno::ReadOnly);
    assert_eq!(errno(h.write_at(b"x", 1)), Errno::ReadOnly);
    assert_eq!(errno(h.set_len(0)), Errno::ReadOnly);
    assert_eq!(errno(h.set_mode(0o600)), Errno::ReadOnly);
    assert_eq!(
        errno(h.set_times(SetTime::Now, SetTime::Now)),
        Errno::ReadOnly
    );
    let mut s = Vec::new();
    h.read_to_end(&mut s).unwrap();
    assert_eq!(s, b"abc");
    assert_eq!(fs.stat("/m/f").unwrap().mode, 0o644);
}

#[test]
fn truncate_is_erofs() {
    let fs = setup();
    assert_eq!(errno(fs.truncate("/ro/f", 0)), Errno::ReadOnly);
    assert_eq!(errno(fs.truncate("/w/out", 100)), Errno::ReadOnly);
    assert_eq!(errno(fs.truncate("/ro/d", 0)), Errno::IsDirectory);
    // vfs_truncate: EROFS before the permission check.
    assert_eq!(errno(as_user(&fs).truncate("/ro/f", 0)), Errno::ReadOnly);
    assert_eq!(fs.read_to_string("/ro/f").unwrap(), "data\n");
}

#[test]
fn creating_names_is_erofs() {
    let fs = setup();
    let before = tree(&fs);
    for v in [fs.clone(), as_user(&fs)] {
        assert_eq!(errno(v.mkdir("/ro/new", 0o755)), Errno::ReadOnly);
        assert_eq!(errno(v.mkdir("/ro/d/e/new", 0o755)), Errno::ReadOnly);
        assert_eq!(errno(v.create_dir_all("/ro/a/b", 0o755)), Errno::ReadOnly);
        assert_eq!(errno(v.symlink("f", "/ro/s")), Errno::ReadOnly);
        assert_eq!(errno(v.link("/w/out", "/ro/h")), Errno::ReadOnly);
    }
    // An existing name is EEXIST first, as filename_create decides.
    assert_eq!(errno(fs.mkdir("/ro/d", 0o755)), Errno::Exist);
    assert_eq!(errno(fs.symlink("x", "/ro/f")), Errno::Exist);
    // mkdir -p of what exists is fine.
    fs.create_dir_all("/ro/d/e", 0o755).unwrap();
    // A writable file cannot be linked in.
    fs.write("/w/mine", "m").unwrap();
    assert_eq!(errno(fs.link("/w/mine", "/ro/mine")), Errno::ReadOnly);
    assert_eq!(before, tree(&fs));
    fs.fsck().unwrap();
}

#[test]
fn removing_names_is_erofs() {
    let fs = setup();
    let before = tree(&fs);
    for v in [fs.clone(), as_user(&fs)] {
        assert_eq!(errno(v.unlink("/ro/f")), Errno::ReadOnly);
        assert_eq!(errno(v.unlink("/ro/l")), Errno::ReadOnly);
        // do_unlinkat takes write access before the lookup.
        assert_eq!(errno(v.unlink("/ro/missing")), Errno::ReadOnly);
        assert_eq!(errno(v.rmdir("/ro/d/e")), Errno::ReadOnly);
        assert_eq!(errno(v.rmdir("/ro/d")), Errno::ReadOnly);
        assert_eq!(errno(v.rmdir("/ro/missing")), Errno::ReadOnly);
        assert_eq!(errno(v.remove_all("/ro/d")), Errno::ReadOnly);
        assert_eq!(errno(v.remove_all("/ro/f")), Errno::ReadOnly);
    }
    // The symlink outside pointing in is an ordinary writable entry.
    assert_eq!(errno(fs.rmdir("/ro/.")), Errno::Invalid);
    assert_eq!(before, tree(&fs));
    fs.unlink("/w/out").unwrap();
    fs.fsck().unwrap();
}

#[test]
fn the_mount_point_is_busy() {
    let fs = setup();
    fs.mkdir("/w/empty", 0o755).unwrap();
    assert_eq!(errno(fs.rmdir("/ro")), Errno::Busy);
    assert_eq!(errno(fs.unlink("/ro")), Errno::IsDirectory);
    assert_eq!(errno(fs.remove_all("/ro")), Errno::ReadOnly);
    assert_eq!(errno(fs.rename("/ro", "/moved")), Errno::Busy);
    assert_eq!(errno(fs.rename("/w/empty", "/ro")), Errno::Busy);
    // The mount point's own metadata is inside the subtree.
    assert_eq!(errno(fs.chmod("/ro", 0o700)), Errno::ReadOnly);
    assert!(fs.stat("/ro/f").is_ok());
    // A file can be a read-only root too (a bind mount of a file).
    fs.write("/w/one", "1").unwrap();
    fs.set_read_only("/w/one").unwrap();
    assert_eq!(errno(fs.unlink("/w/one")), Errno::Busy);
    assert_eq!(errno(fs.rename("/w/one", "/w/two")), Errno::Busy);
    fs.write("/w/two", "2").unwrap();
    assert_eq!(errno(fs.rename("/w/two", "/w/one")), Errno::Busy);
    assert_eq!(errno(fs.write("/w/one", "x")), Errno::ReadOnly);
    // Its parent stays writable.
    fs.write("/w/three", "3").unwrap();
    fs.fsck().unwrap();
}

#[test]
fn rename_inside_is_erofs_and_across_is_exdev() {
    let fs = setup();
    let before = tree(&fs);
    fs.write("/w/a", "a").unwrap();
    fs.mkdir("/w/dir", 0o755).unwrap();
    for v in [fs.clone(), as_user(&fs)] {
        assert_eq!(errno(v.rename("/ro/f", "/ro/g")), Errno::ReadOnly);
        assert_eq!(errno(v.rename("/ro/f", "/ro/d/f")), Errno::ReadOnly);
        assert_eq!(errno(v.rename("/ro/d/g", "/ro/f")), Errno::ReadOnly);
        assert_eq!(errno(v.rename("/ro/missing", "/ro/g")), Errno::ReadOnly);
        assert_eq!(errno(v.rename("/ro/f", "/w/f")), Errno::CrossesDevices);
        assert_eq!(errno(v.rename("/ro/d", "/w/d")), Errno::CrossesDevices);
        assert_eq!(errno(v.rename("/w/a", "/ro/a")), Errno::CrossesDevices);
        assert_eq!(errno(v.rename("/w/a", "/ro/f")), Errno::CrossesDevices);
        assert_eq!(errno(v.rename("/w/dir", "/ro/d/e")), Errno::CrossesDevices);
        // EXDEV is decided before the lookup, as in do_renameat2.
        assert_eq!(
            errno(v.rename("/w/missing", "/ro/a")),
            Errno::CrossesDevices
        );
    }
    // Renaming onto itself inside is still a change request: EROFS.
    assert_eq!(errno(fs.rename("/ro/f", "/ro/f")), Errno::ReadOnly);
    // Renames outside are unaffected.
    fs.rename("/w/a", "/w/b").unwrap();
    fs.rename("/w/out", "/w/out2").unwrap();
    assert_eq!(before, tree(&fs));
    fs.fsck().unwrap();
}

#[test]
fn link_out_is_exdev() {
    let fs = setup();
    assert_eq!(errno(fs.link("/ro/f", "/w/f")), Errno::CrossesDevices);
    assert_eq!(errno(fs.link("/ro/l", "/w/l")), Errno::CrossesDevices);
    assert_eq!(errno(fs.link("/ro/f", "/ro/f2")), Errno::ReadOnly);
    // An existing target is EEXIST first.
    fs.write("/w/f", "").unwrap();
    assert_eq!(errno(fs.link("/ro/f", "/w/f")), Errno::Exist);
    assert_eq!(fs.stat("/ro/f").unwrap().nlink, 1);
    fs.fsck().unwrap();
}

#[test]
fn metadata_changes_are_erofs_even_for_root() {
    let fs = setup();
    let before = tree(&fs);
    for v in [fs.clone(), as_user(&fs)] {
        // `/w/out` is a writable symlink to `/ro/f`: only following it reaches inside.
        for (p, nofollow_too) in [
            ("/ro", true),
            ("/ro/f", true),
            ("/ro/d", true),
            ("/ro/l", true),
            ("/w/out", false),
        ] {
            let follows: &[bool] = if nofollow_too {
                &[true, false]
            } else {
                &[true]
            };
            assert_eq!(errno(v.chmod(p, 0o777)), Errno::ReadOnly, "{p}");
            for &follow in follows {
                assert_eq!(
                    errno(v.chown(p, Some(5), Some(5), follow)),
                    Errno::ReadOnly,
                    "{p}"
                );
                assert_eq!(
                    errno(v.chown(p, None, None, follow)),
                    Errno::ReadOnly,
                    "{p}"
                );
                assert_eq!(
                    errno(v.utimes(p, SetTime::Now, SetTime::Now, follow)),
                    Errno::ReadOnly,
                    "{p}"
                );
                assert_eq!(
                    errno(v.utimes(p, SetTime::At(Timestamp::new(1, 0)), SetTime::Omit, follow)),
                    Errno::ReadOnly,
                    "{p}"
                );
            }
        }
    }
    // utimensat with both times UTIME_OMIT changes nothing and succeeds.
    fs.utimes("/ro/f", SetTime::Omit, SetTime::Omit, true)
        .unwrap();
    // The outside symlink itself (lchown/lutimes) is writable.
    fs.chown("/w/out", Some(5), None, false).unwrap();
    fs.utimes("/w/out", SetTime::Now, SetTime::Now, false)
        .unwrap();
    assert_eq!(before, tree(&fs));
}

#[test]
fn reads_leave_atime_alone() {
    let clock = std::sync::Arc::new(vfs_core::ManualClock::new(Timestamp::new(1_000, 0)));
    let fs = Vfs::builder().clock(clock.clone()).build();
    fs.mkdir("/m", 0o755).unwrap();
    fs.write("/m/f", "x").unwrap();
    fs.set_read_only("/m").unwrap();
    clock.advance(std::time::Duration::from_secs(3 * 24 * 3600));
    let before = fs.stat("/m/f").unwrap().atime;
    fs.read("/m/f").unwrap();
    fs.read_dir("/m").unwrap();
    assert_eq!(fs.stat("/m/f").unwrap().atime, before);
}

#[test]
fn forks_and_snapshots_stay_read_only() {
    let fs = setup();
    let child = fs.fork();
    assert_eq!(errno(child.write("/ro/f", "x")), Errno::ReadOnly);
    assert_eq!(errno(child.rmdir("/ro")), Errno::Busy);
    assert_eq!(errno(child.rename("/ro/f", "/w/f")), Errno::CrossesDevices);
    let snap = fs.snapshot().fork();
    assert_eq!(errno(snap.unlink("/ro/d/g")), Errno::ReadOnly);
    assert!(snap.is_read_only("/ro/d/e").unwrap());
    // The rest of a fork stays writable.
    child.write("/w/x", "x").unwrap();
    child.fsck().unwrap();
}

#[test]
fn set_read_only_rules() {
    let fs = setup();
    assert_eq!(errno(fs.set_read_only("/nope")), Errno::NoEntry);
    // Again, or on a part of a read-only subtree: nothing to do.
    fs.set_read_only("/ro").unwrap();
    fs.set_read_only("/ro/d").unwrap();
    // The symlink is followed, as mount does.
    fs.mkdir("/w/t", 0o755).unwrap();
    fs.symlink("t", "/w/lt").unwrap();
    fs.set_read_only("/w/lt").unwrap();
    assert!(fs.is_read_only("/w/t").unwrap());
    assert!(!fs.is_read_only("/w").unwrap());
    assert_eq!(errno(fs.rmdir("/w/t")), Errno::Busy);
    // The symlink is an ordinary entry of the writable directory.
    fs.unlink("/w/lt").unwrap();
    fs.fsck().unwrap();
}

#[test]
fn the_whole_filesystem_read_only() {
    let fs = Vfs::new();
    fs.write("/f", "x").unwrap();
    fs.set_read_only("/").unwrap();
    assert_eq!(errno(fs.write("/g", "y")), Errno::ReadOnly);
    assert_eq!(errno(fs.mkdir("/d", 0o755)), Errno::ReadOnly);
    assert_eq!(errno(fs.unlink("/f")), Errno::ReadOnly);
    assert_eq!(errno(fs.rename("/f", "/g")), Errno::ReadOnly);
    assert_eq!(errno(fs.rmdir("/")), Errno::Busy);
    assert_eq!(fs.read_to_string("/f").unwrap(), "x");
}

#[test]
fn hard_links_made_before_stay_removable_outside() {
    // A file with a second name outside the subtree: the node is read-only under both
    // names (the mark is per node), but the outside name can still be removed or
    // renamed, as on Linux where it lives on the writable mount.
    let fs = Vfs::new();
    fs.mkdir("/m", 0o755).unwrap();
    fs.mkdir("/w", 0o755).unwrap();
    fs.write("/m/f", "x").unwrap();
    fs.link("/m/f", "/w/f").unwrap();
    fs.set_read_only("/m").unwrap();
    assert_eq!(errno(fs.write("/w/f", "y")), Errno::ReadOnly);
    fs.rename("/w/f", "/w/g").unwrap();
    fs.unlink("/w/g").unwrap();
    assert_eq!(fs.stat("/m/f").unwrap().nlink, 1);
    assert_eq!(fs.read_to_string("/m/f").unwrap(), "x");
    fs.fsck().unwrap();
}

//! Behaviour the kernel cannot be the oracle for: limits, snapshots and forks, the
//! injectable clock, handle lifetimes, walkers, and hostile input.

use std::sync::Arc;
use std::time::Duration;
use vfs_core::{
    Access, ChangeKind, Clock, Cred, Errno, Limits, ManualClock, OpenOptions, SetTime, Timestamp,
    Vfs, diff,
};

fn clocked() -> (Vfs, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(Timestamp::new(1_700_000_000, 5)));
    let fs = Vfs::builder().clock(clock.clone()).build();
    (fs, clock)
}

fn limited(l: Limits) -> Vfs {
    Vfs::builder().limits(l).build()
}

#[test]
fn byte_limit_is_all_or_nothing() {
    let fs = limited(Limits {
        max_bytes: 100,
        ..Limits::default()
    });
    fs.write("/a", vec![b'x'; 60]).unwrap();
    assert_eq!(fs.usage().bytes, 60);
    let e = fs.write("/b", vec![b'y'; 41]).unwrap_err();
    assert_eq!(e.errno(), Errno::NoSpace);
    assert_eq!(e.to_string(), "/b: No space left on device");
    // The failed write created nothing it could not fill... but open(O_CREAT) happened
    // first in Linux terms; here the file exists empty, and no bytes were charged.
    assert_eq!(fs.usage().bytes, 60);
    let mut h = fs.open("/a", &OpenOptions::new().append(true)).unwrap();
    assert_eq!(h.write(&[b'z'; 41]).unwrap_err().errno(), Errno::NoSpace);
    assert_eq!(fs.read("/a").unwrap().len(), 60);
    h.write(&[b'z'; 40]).unwrap();
    assert_eq!(fs.usage().bytes, 100);
    // Replacing content frees the old bytes first.
    fs.write("/a", vec![b'q'; 99]).unwrap();
    assert_eq!(fs.usage().bytes, 99);
    fs.unlink("/a").unwrap();
    drop(h);
    assert_eq!(fs.usage().bytes, 0);
}

#[test]
fn overwriting_within_a_file_costs_nothing_new() {
    let fs = limited(Limits {
        max_bytes: 10,
        ..Limits::default()
    });
    fs.write("/f", vec![b'a'; 10]).unwrap();
    let h = fs.open("/f", &OpenOptions::new().write(true)).unwrap();
    h.write_at(b"bbbbb", 2).unwrap();
    assert_eq!(&fs.read("/f").unwrap()[..], b"aabbbbbaaa");
    assert_eq!(h.write_at(b"c", 10).unwrap_err().errno(), Errno::NoSpace);
}

#[test]
fn inode_limit() {
    let fs = limited(Limits {
        max_inodes: 3,
        ..Limits::default()
    });
    fs.mkdir("/d", 0o755).unwrap();
    fs.write("/d/f", "x").unwrap();
    assert_eq!(fs.usage().inodes, 3);
    assert_eq!(fs.mkdir("/e", 0o755).unwrap_err().errno(), Errno::NoSpace);
    assert_eq!(fs.symlink("x", "/s").unwrap_err().errno(), Errno::NoSpace);
    assert_eq!(fs.write("/g", "").unwrap_err().errno(), Errno::NoSpace);
    assert!(!fs.exists("/g"));
    // Hard links cost no inode.
    fs.link("/d/f", "/d/g").unwrap();
    fs.unlink("/d/f").unwrap();
    fs.unlink("/d/g").unwrap();
    fs.write("/g", "").unwrap();
}

#[test]
fn file_size_limit() {
    let fs = limited(Limits {
        max_file_size: 16,
        ..Limits::default()
    });
    assert_eq!(
        fs.write("/f", vec![0u8; 17]).unwrap_err().errno(),
        Errno::FileTooBig
    );
    fs.write("/f", vec![0u8; 16]).unwrap();
    assert_eq!(
        fs.truncate("/f", 17).unwrap_err().errno(),
        Errno::FileTooBig
    );
    let h = fs.open("/f", &OpenOptions::new().write(true)).unwrap();
    assert_eq!(h.write_at(b"x", 16).unwrap_err().errno(), Errno::FileTooBig);
    assert_eq!(h.set_len(1 << 40).unwrap_err().errno(), Errno::FileTooBig);
    assert_eq!(fs.stat("/f").unwrap().size, 16);
}

#[test]
fn depth_limit() {
    let fs = limited(Limits {
        max_depth: 3,
        ..Limits::default()
    });
    fs.create_dir_all("/a/b/c", 0o755).unwrap();
    assert_eq!(
        fs.mkdir("/a/b/c/d", 0o755).unwrap_err().errno(),
        Errno::NameTooLong
    );
    assert_eq!(
        fs.write("/a/b/c/f", "").unwrap_err().errno(),
        Errno::NameTooLong
    );
    fs.mkdir("/x", 0o755).unwrap();
    fs.mkdir("/x/y", 0o755).unwrap();
    // Moving a two-level tree under depth 2 would put /a/b/x/y at depth 4.
    assert_eq!(
        fs.rename("/x", "/a/b/x").unwrap_err().errno(),
        Errno::NameTooLong
    );
    assert!(fs.exists("/x/y"));
}

#[test]
fn open_handle_limit() {
    let fs = limited(Limits {
        max_open_handles: 2,
        ..Limits::default()
    });
    fs.write("/f", "x").unwrap();
    let a = fs.open("/f", &OpenOptions::read_only()).unwrap();
    let _b = fs.open("/f", &OpenOptions::read_only()).unwrap();
    assert_eq!(
        fs.open("/f", &OpenOptions::read_only())
            .unwrap_err()
            .errno(),
        Errno::TooManyFiles
    );
    drop(a);
    assert_eq!(fs.usage().open_handles, 1);
    fs.open("/f", &OpenOptions::read_only()).unwrap();
}

#[test]
fn unlinked_file_space_is_freed_at_last_close() {
    let fs = Vfs::new();
    fs.write("/f", vec![1u8; 1000]).unwrap();
    let h1 = fs.open("/f", &OpenOptions::read_only()).unwrap();
    let h2 = fs.open("/f", &OpenOptions::read_only()).unwrap();
    fs.unlink("/f").unwrap();
    assert_eq!(fs.usage().bytes, 1000);
    assert_eq!(fs.usage().inodes, 2);
    drop(h1);
    assert_eq!(fs.usage().bytes, 1000);
    let mut buf = [0u8; 4];
    assert_eq!(h2.read_at(&mut buf, 0).unwrap(), 4);
    drop(h2);
    assert_eq!(fs.usage().bytes, 0);
    assert_eq!(fs.usage().inodes, 1);
}

#[test]
fn timestamps_come_from_the_clock() {
    let (fs, clock) = clocked();
    let t0 = Timestamp::new(1_700_000_000, 5);
    fs.mkdir("/d", 0o755).unwrap();
    let m = fs.stat("/d").unwrap();
    assert_eq!((m.atime, m.mtime, m.ctime), (t0, t0, t0));
    clock.advance(Duration::from_millis(1500));
    let t1 = Timestamp::new(1_700_000_001, 500_000_005);
    fs.write("/d/f", "x").unwrap();
    let d = fs.stat("/d").unwrap();
    assert_eq!((d.mtime, d.ctime, d.atime), (t1, t1, t0));
    clock.advance(Duration::from_secs(1));
    let t2 = t1.plus_secs(1);
    fs.chmod("/d/f", 0o600).unwrap();
    let f = fs.stat("/d/f").unwrap();
    assert_eq!((f.mtime, f.ctime), (t1, t2));
    // relatime: the first read after a write moves atime, the next does not.
    clock.advance(Duration::from_secs(1));
    let t3 = t2.plus_secs(1);
    fs.read("/d/f").unwrap();
    assert_eq!(fs.stat("/d/f").unwrap().atime, t3);
    clock.advance(Duration::from_secs(1));
    fs.read("/d/f").unwrap();
    assert_eq!(fs.stat("/d/f").unwrap().atime, t3);
    // ... until a day has passed.
    clock.advance(Duration::from_secs(86_400));
    fs.read("/d/f").unwrap();
    assert_eq!(fs.stat("/d/f").unwrap().atime, t3.plus_secs(86_401));
    // utimes: explicit and now.
    fs.utimes(
        "/d/f",
        SetTime::At(Timestamp::new(1, 2)),
        SetTime::Now,
        true,
    )
    .unwrap();
    let f = fs.stat("/d/f").unwrap();
    assert_eq!(f.atime, Timestamp::new(1, 2));
    assert_eq!(f.mtime, clock.now());
}

#[test]
fn rename_touches_both_directories_and_the_inode_ctime() {
    let (fs, clock) = clocked();
    fs.create_dir_all("/a", 0o755).unwrap();
    fs.create_dir_all("/b", 0o755).unwrap();
    fs.write("/a/f", "x").unwrap();
    clock.advance(Duration::from_secs(10));
    let now = clock.now();
    fs.rename("/a/f", "/b/f").unwrap();
    assert_eq!(fs.stat("/a").unwrap().mtime, now);
    assert_eq!(fs.stat("/b").unwrap().mtime, now);
    let f = fs.stat("/b/f").unwrap();
    assert_eq!(f.ctime, now);
    assert!(f.mtime < now);
}

#[test]
fn snapshot_and_fork_are_isolated() {
    let fs = Vfs::new();
    fs.create_dir_all("/t/sub", 0o755).unwrap();
    fs.write("/t/a", "A").unwrap();
    fs.write("/t/sub/b", "B").unwrap();
    let snap = fs.snapshot();
    let c1 = snap.fork();
    let c2 = fs.fork();
    c1.write("/t/a", "changed").unwrap();
    c2.remove_all("/t/sub").unwrap();
    fs.write("/t/new", "N").unwrap();
    assert_eq!(fs.read_to_string("/t/a").unwrap(), "A");
    assert!(fs.exists("/t/sub/b"));
    assert_eq!(c1.read_to_string("/t/a").unwrap(), "changed");
    assert!(c1.exists("/t/sub/b"));
    assert!(!c1.exists("/t/new"));
    assert!(!c2.exists("/t/sub"));
    assert_eq!(c2.read_to_string("/t/a").unwrap(), "A");
    // Forks of forks.
    let c3 = c1.fork();
    c3.unlink("/t/a").unwrap();
    assert!(c1.exists("/t/a"));
    // Usage is per fork.
    assert_eq!(snap.usage().bytes, 2);
    assert_eq!(c1.usage().bytes, 1 + "changed".len() as u64);
}

#[test]
fn fork_keeps_the_working_directory_and_drops_open_orphans() {
    let mut fs = Vfs::new();
    fs.create_dir_all("/w", 0o755).unwrap();
    fs.set_cwd("/w").unwrap();
    fs.write("f", vec![0u8; 50]).unwrap();
    let h = fs.open("f", &OpenOptions::read_only()).unwrap();
    fs.unlink("f").unwrap();
    let child = fs.fork();
    assert_eq!(child.cwd().unwrap().to_str(), Some("/w"));
    assert_eq!(child.usage().bytes, 0);
    assert_eq!(fs.usage().bytes, 50);
    drop(h);
}

#[test]
fn diff_lists_added_removed_and_modified() {
    let fs = Vfs::new();
    fs.create_dir_all("/p/q", 0o755).unwrap();
    fs.write("/p/keep", "k").unwrap();
    fs.write("/p/edit", "1").unwrap();
    fs.write("/p/q/gone", "g").unwrap();
    fs.symlink("keep", "/p/link").unwrap();
    let a = fs.snapshot();
    fs.write("/p/edit", "2").unwrap();
    fs.remove_all("/p/q").unwrap();
    fs.create_dir_all("/p/r/s", 0o755).unwrap();
    fs.unlink("/p/link").unwrap();
    fs.symlink("edit", "/p/link").unwrap();
    fs.chmod("/p/keep", 0o600).unwrap();
    let b = fs.snapshot();
    let got: Vec<(String, ChangeKind)> = diff(&a, &b)
        .into_iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.kind))
        .collect();
    let want = vec![
        ("/p/edit".to_string(), ChangeKind::Modified),
        ("/p/keep".to_string(), ChangeKind::Modified),
        ("/p/link".to_string(), ChangeKind::Modified),
        ("/p/q".to_string(), ChangeKind::Removed),
        ("/p/q/gone".to_string(), ChangeKind::Removed),
        ("/p/r".to_string(), ChangeKind::Added),
        ("/p/r/s".to_string(), ChangeKind::Added),
    ];
    assert_eq!(got, want);
    assert!(diff(&b, &b).is_empty());
    assert!(diff(&b, &fs.fork().snapshot()).is_empty());
}

#[test]
fn copy_file_shares_content_and_copies_mode() {
    let fs = Vfs::new();
    fs.write("/src", vec![7u8; 4096]).unwrap();
    fs.chmod("/src", 0o640).unwrap();
    assert_eq!(fs.copy_file("/src", "/dst").unwrap(), 4096);
    assert_eq!(fs.stat("/dst").unwrap().mode, 0o640);
    fs.append("/dst", b"more").unwrap();
    assert_eq!(fs.read("/src").unwrap().len(), 4096);
    assert_eq!(fs.read("/dst").unwrap().len(), 4100);
    fs.mkdir("/d", 0o755).unwrap();
    assert_eq!(
        fs.copy_file("/d", "/x").unwrap_err().errno(),
        Errno::IsDirectory
    );
    assert_eq!(
        fs.copy_file("/src", "/d").unwrap_err().errno(),
        Errno::IsDirectory
    );
}

#[test]
fn create_dir_all_and_remove_all() {
    let fs = Vfs::new();
    fs.create_dir_all("/a/b/c", 0o755).unwrap();
    fs.create_dir_all("/a/b/c", 0o755).unwrap();
    fs.create_dir_all("a//b/../b/c/d/", 0o755).unwrap();
    fs.write("/a/file", "").unwrap();
    assert_eq!(
        fs.create_dir_all("/a/file/x", 0o755).unwrap_err().errno(),
        Errno::NotDirectory
    );
    assert_eq!(
        fs.create_dir_all("/a/file", 0o755).unwrap_err().errno(),
        Errno::Exist
    );
    fs.symlink("/a/b", "/lb").unwrap();
    fs.create_dir_all("/lb/c/e", 0o755).unwrap();
    assert!(fs.stat("/a/b/c/e").unwrap().is_dir());
    // remove_all removes the symlink, not what it points to.
    fs.remove_all("/lb").unwrap();
    assert!(fs.exists("/a/b/c/e"));
    fs.remove_all("/a").unwrap();
    assert!(!fs.exists("/a"));
    assert_eq!(fs.usage().inodes, 1);
    assert_eq!(fs.remove_all("/a").unwrap_err().errno(), Errno::NoEntry);
}

#[test]
fn walk_glob_and_disk_usage() {
    let mut fs = Vfs::new();
    fs.create_dir_all("/r/src/deep", 0o755).unwrap();
    fs.write("/r/src/main.rs", "fn main(){}").unwrap();
    fs.write("/r/src/lib.rs", "").unwrap();
    fs.write("/r/src/deep/x.rs", "x").unwrap();
    fs.write("/r/src/.hidden.rs", "").unwrap();
    fs.write("/r/README.md", "hi").unwrap();
    fs.link("/r/README.md", "/r/README.copy").unwrap();
    fs.symlink("src", "/r/s").unwrap();
    let walked: Vec<String> = fs
        .walk("/r")
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e.depth, e.path.display()))
        .collect();
    assert_eq!(
        walked,
        [
            "0:/r",
            "1:/r/README.copy",
            "1:/r/README.md",
            "1:/r/s",
            "1:/r/src",
            "2:/r/src/.hidden.rs",
            "2:/r/src/deep",
            "3:/r/src/deep/x.rs",
            "2:/r/src/lib.rs",
            "2:/r/src/main.rs",
        ]
    );
    let g = |fs: &Vfs, p: &str| -> Vec<String> {
        fs.glob(p)
            .unwrap()
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    assert_eq!(g(&fs, "/r/src/*.rs"), ["/r/src/lib.rs", "/r/src/main.rs"]);
    assert_eq!(g(&fs, "/r/src/.*.rs"), ["/r/src/.hidden.rs"]);
    assert_eq!(
        g(&fs, "/r/**/*.rs"),
        ["/r/src/deep/x.rs", "/r/src/lib.rs", "/r/src/main.rs"]
    );
    assert_eq!(g(&fs, "/r/s/m*"), ["/r/s/main.rs"]);
    assert_eq!(
        g(&fs, "/r/{README.md,src/lib.rs}"),
        ["/r/README.md", "/r/src/lib.rs"]
    );
    assert_eq!(g(&fs, "/r/*/"), ["/r/s/", "/r/src/"]);
    assert!(g(&fs, "/nope/*").is_empty());
    fs.set_cwd("/r").unwrap();
    assert_eq!(g(&fs, "src/d*/?.rs"), ["src/deep/x.rs"]);
    assert_eq!(g(&fs, "READ[A-Z]?.*"), ["README.copy", "README.md"]);
    let du = fs.disk_usage("/r").unwrap();
    assert_eq!((du.files, du.dirs, du.symlinks), (5, 3, 1));
    // files 11+0+1+0+2, the symlink 3; directories (entries + 2) x 20: /r 6, src 6, deep 3.
    assert_eq!(du.apparent_bytes, 14 + 3 + (6 + 6 + 3) * 20);
}

#[test]
fn ordinary_users_get_eacces_and_root_does_not() {
    let fs = Vfs::new();
    fs.mkdir("/private", 0o700).unwrap();
    fs.write("/private/f", "secret").unwrap();
    let mut user = fs.clone();
    user.set_cred(Cred::user(1000, 1000));
    assert_eq!(user.read("/private/f").unwrap_err().errno(), Errno::Access);
    assert_eq!(
        user.access("/private", Access::EXEC).unwrap_err().errno(),
        Errno::Access
    );
    assert_eq!(user.set_cwd("/private").unwrap_err().errno(), Errno::Access);
    assert_eq!(fs.read_to_string("/private/f").unwrap(), "secret");
}

#[test]
fn views_have_their_own_working_directory() {
    let mut a = Vfs::new();
    a.create_dir_all("/x/y", 0o755).unwrap();
    let mut b = a.clone();
    a.set_cwd("/x").unwrap();
    b.set_cwd("/x/y").unwrap();
    a.write("f", "in x").unwrap();
    b.write("f", "in y").unwrap();
    assert_eq!(a.read_to_string("/x/f").unwrap(), "in x");
    assert_eq!(a.read_to_string("/x/y/f").unwrap(), "in y");
    assert_eq!(
        a.set_cwd("/x/y/f").unwrap_err().errno(),
        Errno::NotDirectory
    );
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    let fs = Vfs::new();
    assert_eq!(fs.stat("a\0b").unwrap_err().errno(), Errno::Invalid);
    assert_eq!(fs.write("x\0", "").unwrap_err().errno(), Errno::Invalid);
    assert_eq!(fs.symlink("t\0", "/s").unwrap_err().errno(), Errno::Invalid);
    assert_eq!(fs.stat("").unwrap_err().errno(), Errno::NoEntry);
    let long = "a/".repeat(3000);
    assert_eq!(fs.stat(&long).unwrap_err().errno(), Errno::NameTooLong);
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"/\xff\xfe name");
    fs.write(odd, "bytes").unwrap();
    assert_eq!(&fs.read(odd).unwrap()[..], b"bytes");
    assert_eq!(fs.read_dir("/").unwrap()[0].name_bytes(), b"\xff\xfe name");
    let mut h = fs
        .open(odd, &OpenOptions::new().read(true).write(true))
        .unwrap();
    assert_eq!(
        h.seek(std::io::SeekFrom::Current(-1)).unwrap_err().errno(),
        Errno::Invalid
    );
    assert_eq!(
        h.seek(std::io::SeekFrom::End(i64::MAX))
            .unwrap_err()
            .errno(),
        Errno::Overflow
    );
    assert_eq!(
        h.write_at(b"x", u64::MAX).unwrap_err().errno(),
        Errno::Invalid
    );
    assert_eq!(
        h.write_at(b"x", i64::MAX as u64).unwrap_err().errno(),
        Errno::FileTooBig
    );
    let mut buf = [0u8; 8];
    assert_eq!(h.read_at(&mut buf, i64::MAX as u64).unwrap(), 0);
    assert_eq!(
        fs.truncate(odd, u64::MAX).unwrap_err().errno(),
        Errno::Invalid
    );
    // A deep chain of symlinks to symlinks stops at 40.
    fs.write("/t0", "end").unwrap();
    for i in 1..=100 {
        fs.symlink(format!("/t{}", i - 1), format!("/t{i}"))
            .unwrap();
    }
    assert_eq!(fs.read("/t40").unwrap(), "end");
    assert_eq!(fs.read("/t41").unwrap_err().errno(), Errno::Loop);
    assert_eq!(fs.read("/t100").unwrap_err().errno(), Errno::Loop);
}

#[test]
fn the_filesystem_is_shared_across_threads() {
    let fs = Vfs::new();
    fs.mkdir("/t", 0o755).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let fs = fs.clone();
            std::thread::spawn(move || {
                for i in 0..200 {
                    let p = format!("/t/{t}-{i}");
                    fs.write(&p, format!("{t}:{i}")).unwrap();
                    fs.append("/t/log", format!("{t}\n").as_bytes()).unwrap();
                    if i % 2 == 0 {
                        fs.unlink(&p).unwrap();
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(fs.read_dir("/t").unwrap().len(), 8 * 100 + 1);
    assert_eq!(fs.read("/t/log").unwrap().len(), 8 * 200 * 2);
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Vfs>();
    is_send_sync::<vfs_core::Handle>();
    is_send_sync::<vfs_core::Snapshot>();
}

#[test]
fn fuzz_plans_smoke() {
    // The fuzzer's decoder on deterministic pseudo-random inputs: no panic, fsck clean.
    let mut x: u64 = 0x1234_5678;
    let mut ok = 0;
    for _ in 0..3000 {
        let input: Vec<u8> = (0..300)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        ok += vfs_core::fuzzing::run(&input);
    }
    assert!(ok > 10_000, "only {ok} operations succeeded");
}

/// `read_shared`/`write_shared`: the same bytes and offsets as `read`/`write`, the copy
/// stays as it was when its source changes, space is charged for both, holes read as
/// zeros, and a non-empty target is written over in place.
#[test]
fn shared_read_and_write() {
    let fs = Vfs::new();
    fs.write("/src", b"hello world".to_vec()).unwrap();
    let mut r = fs.open("/src", &OpenOptions::read_only()).unwrap();
    let a = r.read_shared(5).unwrap();
    assert_eq!(&a[..], b"hello");
    assert_eq!(r.offset(), 5);
    let b = r.read_shared(usize::MAX).unwrap();
    assert_eq!(&b[..], b" world");
    assert!(r.read_shared(usize::MAX).unwrap().is_empty());

    let opts = OpenOptions::new().write(true).create(true).truncate(true);
    let mut w = fs.open("/dst", &opts).unwrap();
    let before = fs.usage().bytes;
    assert_eq!(w.write_shared(&a).unwrap(), 5);
    assert_eq!(w.write_shared(&b).unwrap(), 6);
    assert_eq!(w.offset(), 11);
    assert_eq!(fs.usage().bytes, before + 11);
    fs.write("/src", b"changed".to_vec()).unwrap();
    assert_eq!(&fs.read("/dst").unwrap()[..], b"hello world");

    // Over existing bytes: written in place, the rest kept.
    let mut w2 = fs.open("/dst", &OpenOptions::new().write(true)).unwrap();
    w2.write_shared(&bytes::Bytes::from_static(b"HE")).unwrap();
    assert_eq!(&fs.read("/dst").unwrap()[..], b"HEllo world");

    // A trailing hole reads as zeros.
    fs.write("/h", b"ab".to_vec()).unwrap();
    fs.truncate("/h", 4).unwrap();
    let mut h = fs.open("/h", &OpenOptions::read_only()).unwrap();
    assert_eq!(&h.read_shared(usize::MAX).unwrap()[..], b"ab\0\0");

    // Errors as for read/write.
    fs.mkdir("/d", 0o755).unwrap();
    let mut d = fs.open("/d", &OpenOptions::read_only()).unwrap();
    assert_eq!(d.read_shared(1).unwrap_err().errno(), Errno::IsDirectory);
    assert_eq!(
        r.write_shared(&a).unwrap_err().errno(),
        Errno::BadDescriptor
    );
}

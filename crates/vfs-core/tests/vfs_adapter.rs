//! `VfsAdapter`: the `vfs` crate's own conformance macro, then behaviour it does not
//! cover (errors, symlinks, sharing with the wrapped `Vfs`).

// `useless_vec` fires inside `vfs::test_vfs!`'s expansion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::useless_vec,
    missing_docs
)]

// The macro's tests use these through `use super::*`.
#[allow(unused_imports)]
use std::io::{Read, Seek, SeekFrom, Write};

use vfs::error::VfsErrorKind;
use vfs::{FileSystem, VfsFileType, VfsPath};
use vfs_core::{Errno, Vfs, VfsAdapter};

vfs::test_vfs!(VfsAdapter(Vfs::new()));

fn root() -> (Vfs, VfsPath) {
    let fs = Vfs::new();
    (fs.clone(), VfsPath::new(VfsAdapter(fs)))
}

#[test]
fn shares_the_wrapped_filesystem() {
    let (fs, root) = root();
    root.join("a/b").unwrap().create_dir_all().unwrap();
    write!(
        root.join("a/b/f.txt").unwrap().create_file().unwrap(),
        "hello"
    )
    .unwrap();
    assert_eq!(fs.read_to_string("/a/b/f.txt").unwrap(), "hello");
    fs.write("/a/g.txt", "from vfs-core").unwrap();
    assert_eq!(
        root.join("a/g.txt").unwrap().read_to_string().unwrap(),
        "from vfs-core"
    );
    let mut names: Vec<String> = root
        .join("a")
        .unwrap()
        .read_dir()
        .unwrap()
        .map(|p| p.as_str().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["/a/b", "/a/g.txt"]);
    // Directories created through the adapter honour the view's umask.
    assert_eq!(fs.stat("/a/b").unwrap().mode, 0o755);
    assert_eq!(fs.stat("/a/b/f.txt").unwrap().mode, 0o644);
}

#[test]
fn metadata_lengths_and_times() {
    let (fs, root) = root();
    let f = root.join("f").unwrap();
    f.create_file().unwrap().write_all(&[0u8; 5000]).unwrap();
    let m = f.metadata().unwrap();
    assert_eq!((m.file_type, m.len), (VfsFileType::File, 5000));
    assert_eq!(m.created, None);
    assert_eq!(
        m.modified,
        Some(fs.stat("/f").unwrap().mtime.to_system_time())
    );
    let d = root.join("d").unwrap();
    d.create_dir().unwrap();
    fs.write("/d/x", "x").unwrap();
    let m = d.metadata().unwrap();
    assert_eq!((m.file_type, m.len), (VfsFileType::Directory, 0));
    let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::new(1_000_000, 5);
    f.set_modification_time(t).unwrap();
    f.set_access_time(t).unwrap();
    let m = f.metadata().unwrap();
    assert_eq!((m.modified, m.accessed), (Some(t), Some(t)));
    assert!(matches!(
        f.set_creation_time(t).unwrap_err().kind(),
        VfsErrorKind::NotSupported
    ));
}

#[test]
fn errors_keep_their_meaning() {
    let (fs, root) = root();
    let missing = root.join("missing").unwrap();
    assert!(matches!(
        missing.open_file().err().unwrap().kind(),
        VfsErrorKind::FileNotFound
    ));
    assert!(matches!(
        missing.metadata().unwrap_err().kind(),
        VfsErrorKind::FileNotFound
    ));
    assert!(matches!(
        missing.remove_file().unwrap_err().kind(),
        VfsErrorKind::FileNotFound
    ));
    assert!(!missing.exists().unwrap());

    let adapter = VfsAdapter(fs.clone());
    fs.mkdir("/d", 0o755).unwrap();
    fs.write("/f", "x").unwrap();
    assert!(matches!(
        adapter.create_dir("/d").unwrap_err().kind(),
        VfsErrorKind::DirectoryExists
    ));
    assert!(matches!(
        adapter.create_dir("/f").unwrap_err().kind(),
        VfsErrorKind::FileExists
    ));
    // Other errnos arrive as I/O errors with the raw code.
    let io_errno = |e: vfs::VfsError| match e.kind() {
        VfsErrorKind::IoError(io) => io.raw_os_error(),
        other => panic!("not an I/O error: {other:?}"),
    };
    assert_eq!(
        io_errno(adapter.open_file("/d").err().unwrap()),
        Some(Errno::IsDirectory.code())
    );
    assert_eq!(
        io_errno(adapter.remove_file("/d").unwrap_err()),
        Some(Errno::IsDirectory.code())
    );
    assert_eq!(
        io_errno(adapter.remove_dir("/f").unwrap_err()),
        Some(Errno::NotDirectory.code())
    );
    fs.write("/d/x", "x").unwrap();
    assert_eq!(
        io_errno(adapter.remove_dir("/d").unwrap_err()),
        Some(Errno::NotEmpty.code())
    );
    assert_eq!(
        io_errno(adapter.create_file("/f/x").err().unwrap()),
        Some(Errno::NotDirectory.code())
    );
    assert!(!adapter.exists("/f/x").unwrap());
    assert!(matches!(
        adapter.append_file("/nope").err().unwrap().kind(),
        VfsErrorKind::FileNotFound
    ));
    // The trait's own copy/move never replace an existing destination.
    fs.write("/g", "g").unwrap();
    for r in [
        adapter.copy_file("/f", "/g"),
        adapter.move_file("/f", "/g"),
        adapter.move_dir("/d", "/g"),
    ] {
        assert!(matches!(r.unwrap_err().kind(), VfsErrorKind::FileExists));
    }
    fs.mkdir("/e", 0o755).unwrap();
    assert!(matches!(
        adapter.move_dir("/d", "/e").unwrap_err().kind(),
        VfsErrorKind::DirectoryExists
    ));
    assert_eq!(fs.read_to_string("/g").unwrap(), "g");
    assert!(fs.exists("/e"));
}

#[test]
fn permission_errors_follow_the_view_credentials() {
    let fs = Vfs::new();
    fs.mkdir("/locked", 0o700).unwrap();
    let mut user = fs.clone();
    user.set_cred(vfs_core::Cred::user(1000, 1000));
    let adapter = VfsAdapter(user);
    match adapter.create_file("/locked/x").err().unwrap().kind() {
        VfsErrorKind::IoError(io) => assert_eq!(io.raw_os_error(), Some(Errno::Access.code())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn copy_move_and_remove() {
    let (fs, root) = root();
    let src = root.join("src").unwrap();
    src.join("sub").unwrap().create_dir_all().unwrap();
    src.join("sub/a.bin")
        .unwrap()
        .create_file()
        .unwrap()
        .write_all(&(0..=255u8).collect::<Vec<_>>())
        .unwrap();
    fs.chmod("/src/sub/a.bin", 0o600).unwrap();
    let copy = root.join("copy").unwrap();
    assert_eq!(src.copy_dir(&copy).unwrap(), 2);
    assert_eq!(fs.read("/copy/sub/a.bin").unwrap().len(), 256);
    // vfs-core's copy keeps the permission bits.
    assert_eq!(fs.stat("/copy/sub/a.bin").unwrap().mode, 0o600);

    let moved = root.join("moved").unwrap();
    copy.move_dir(&moved).unwrap();
    assert!(!fs.exists("/copy"));
    let file = moved.join("sub/a.bin").unwrap();
    let renamed = moved.join("b.bin").unwrap();
    let ino = fs.stat("/moved/sub/a.bin").unwrap().ino;
    file.move_file(&renamed).unwrap();
    assert_eq!(
        fs.stat("/moved/b.bin").unwrap().ino,
        ino,
        "a rename, not a copy"
    );

    moved.remove_dir_all().unwrap();
    assert!(!moved.exists().unwrap());
    assert!(src.exists().unwrap());
}

#[test]
fn seek_read_and_append() {
    let (_fs, root) = root();
    let f = root.join("log").unwrap();
    f.create_file().unwrap().write_all(b"0123456789").unwrap();
    f.append_file().unwrap().write_all(b"ab").unwrap();
    let mut r = f.open_file().unwrap();
    r.seek(SeekFrom::Start(8)).unwrap();
    let mut s = String::new();
    r.read_to_string(&mut s).unwrap();
    assert_eq!(s, "89ab");
    assert_eq!(r.seek(SeekFrom::End(-1)).unwrap(), 11);
}

#[test]
fn symlinks_are_never_walked_through() {
    let (fs, root) = root();
    fs.create_dir_all("/keep/inner", 0o755).unwrap();
    fs.write("/keep/inner/precious", "data").unwrap();
    fs.create_dir_all("/tree", 0o755).unwrap();
    fs.symlink("/keep", "/tree/to_dir").unwrap();
    fs.symlink("/keep/inner/precious", "/tree/to_file").unwrap();
    fs.symlink("/nowhere", "/tree/dangling").unwrap();
    fs.symlink("loop", "/tree/loop").unwrap();

    // A symlink to a file is that file; any other symlink is a file of its own.
    let m = root.join("tree/to_file").unwrap().metadata().unwrap();
    assert_eq!((m.file_type, m.len), (VfsFileType::File, 4));
    assert_eq!(
        root.join("tree/to_file").unwrap().read_to_string().unwrap(),
        "data"
    );
    let m = root.join("tree/to_dir").unwrap().metadata().unwrap();
    assert_eq!((m.file_type, m.len), (VfsFileType::File, 5));
    assert!(root.join("tree/dangling").unwrap().exists().unwrap());
    assert!(root.join("tree/loop").unwrap().is_file().unwrap());

    let mut walked: Vec<String> = root
        .join("tree")
        .unwrap()
        .walk_dir()
        .unwrap()
        .map(|p| p.unwrap().as_str().to_string())
        .collect();
    walked.sort();
    assert_eq!(
        walked,
        [
            "/tree/dangling",
            "/tree/loop",
            "/tree/to_dir",
            "/tree/to_file"
        ]
    );

    root.join("tree").unwrap().remove_dir_all().unwrap();
    assert!(!fs.exists("/tree"));
    assert_eq!(fs.read_to_string("/keep/inner/precious").unwrap(), "data");
}

#[test]
fn non_utf8_names_are_listed_lossily() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (fs, root) = root();
    let name = std::path::Path::new("/").join(OsStr::from_bytes(b"bad\xffname"));
    fs.write(&name, "x").unwrap();
    let names: Vec<String> = root
        .read_dir()
        .unwrap()
        .map(|p| p.as_str().to_string())
        .collect();
    assert_eq!(names, ["/bad\u{fffd}name"]);
}

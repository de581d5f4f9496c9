//! Operation plans built from raw bytes, for the fuzzer in `fuzz/` (and a smoke run in
//! the tests). Every input decodes to some plan, so any byte string replays exactly.
//! After each operation the filesystem must pass [`Vfs::fsck`], and no input may panic.

use std::io::SeekFrom;

use crate::{Cred, Limits, OpenOptions, SetTime, Timestamp, Vfs};

/// Reads decisions from the input, yielding zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u64(&mut self) -> u64 {
        let mut v = 0u64;
        for _ in 0..8 {
            v = (v << 8) | u64::from(self.byte());
        }
        v
    }
    fn path(&mut self) -> Vec<u8> {
        const COMPS: [&[u8]; 10] = [
            b"a", b"b", b"c", b".", b"..", b"l", b"", b"\xff", b"dir", b"a\0",
        ];
        let n = 1 + self.byte() % 4;
        let mut p = Vec::new();
        if self.byte().is_multiple_of(4) {
            p.push(b'/');
        }
        for i in 0..n {
            if i > 0 {
                p.push(b'/');
            }
            p.extend_from_slice(COMPS[usize::from(self.byte()) % COMPS.len()]);
        }
        if self.byte().is_multiple_of(8) {
            p.push(b'/');
        }
        p
    }
    fn data(&mut self) -> Vec<u8> {
        let n = usize::from(self.byte() % 32);
        (0..n).map(|_| self.byte()).collect()
    }
}

fn os(p: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(p))
}

/// Run the plan `input` describes on a small filesystem; panics on an invariant violation.
/// Returns how many operations succeeded.
pub fn run(input: &[u8]) -> usize {
    let mut b = Bytes(input);
    let limits = Limits {
        max_bytes: 4096,
        max_inodes: 64,
        max_file_size: 2048,
        max_depth: 8,
        max_open_handles: 8,
    };
    let mut fs = Vfs::builder().limits(limits).build();
    let mut handles: Vec<crate::Handle> = Vec::new();
    let mut steps = 0;
    let mut ok = 0;
    while !b.0.is_empty() && steps < 200 {
        steps += 1;
        let op = b.byte() % 24;
        let r = match op {
            0 => fs.mkdir(os(&b.path()), u32::from(b.byte()) << 1).map(drop),
            1 => fs.write(os(&b.path()), b.data()).map(drop),
            2 => fs.append(os(&b.path()), &b.data()).map(drop),
            3 => fs.symlink(os(&b.path()), os(&b.path())).map(drop),
            4 => fs.link(os(&b.path()), os(&b.path())).map(drop),
            5 => fs.rename(os(&b.path()), os(&b.path())).map(drop),
            6 => fs.unlink(os(&b.path())).map(drop),
            7 => fs.rmdir(os(&b.path())).map(drop),
            8 => fs.remove_all(os(&b.path())).map(drop),
            9 => fs.stat(os(&b.path())).map(drop),
            10 => fs.canonicalize(os(&b.path())).map(drop),
            11 => fs.read_dir(os(&b.path())).map(drop),
            12 => fs.truncate(os(&b.path()), b.u64() % 4096).map(drop),
            13 => fs.chmod(os(&b.path()), u32::from(b.byte()) * 16).map(drop),
            14 => fs.set_cwd(os(&b.path())).map(drop),
            15 => {
                let f = b.byte();
                let o = OpenOptions {
                    read: f & 1 != 0,
                    write: f & 2 != 0,
                    append: f & 4 != 0,
                    create: f & 8 != 0,
                    exclusive: f & 16 != 0,
                    truncate: f & 32 != 0,
                    directory: f & 64 != 0,
                    nofollow: f & 128 != 0,
                    mode: 0o644,
                };
                fs.open(os(&b.path()), &o).map(|h| handles.push(h))
            }
            16 | 17 => {
                let i = usize::from(b.byte()) % handles.len().max(1);
                let data = b.data();
                let off = b.u64();
                match handles.get_mut(i) {
                    Some(h) if op == 16 => h.write(&data).map(drop),
                    Some(h) => h.write_at(&data, off % 8192).map(drop),
                    None => Ok(()),
                }
            }
            18 => {
                let i = usize::from(b.byte()) % handles.len().max(1);
                let mut buf = [0u8; 64];
                match handles.get_mut(i) {
                    Some(h) => h.read(&mut buf).map(drop),
                    None => Ok(()),
                }
            }
            19 => {
                let i = usize::from(b.byte()) % handles.len().max(1);
                let off = b.u64() as i64;
                match handles.get_mut(i) {
                    Some(h) => h.seek(SeekFrom::Current(off)).map(drop),
                    None => Ok(()),
                }
            }
            20 => {
                if !handles.is_empty() {
                    let i = usize::from(b.byte()) % handles.len();
                    handles.swap_remove(i);
                }
                Ok(())
            }
            21 => {
                let cred = if b.byte() % 2 == 0 {
                    Cred::root()
                } else {
                    Cred::user(1000, 1000)
                };
                fs.set_cred(cred);
                Ok(())
            }
            22 => {
                let child = fs.fork();
                let _ = child.remove_all("/");
                child.fsck().map_err(|e| panic!("fsck of a fork: {e}"))
            }
            _ => fs
                .utimes(
                    os(&b.path()),
                    SetTime::At(Timestamp::new(b.u64() as i64, 0)),
                    SetTime::Now,
                    true,
                )
                .map(drop),
        };
        ok += usize::from(r.is_ok());
        if let Err(e) = fs.fsck() {
            panic!("fsck failed after op {op} (step {steps}): {e}");
        }
        let u = fs.usage();
        assert!(
            u.bytes <= limits.max_bytes && u.inodes <= limits.max_inodes,
            "limits exceeded: {u:?}"
        );
    }
    drop(handles);
    if let Err(e) = fs.fsck() {
        panic!("fsck failed after closing handles: {e}");
    }
    ok
}

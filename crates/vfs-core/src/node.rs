//! Inodes: the metadata every node shares and the three kinds of content.

use bytes::Bytes;
use imbl::OrdMap;
use std::sync::Arc;

use crate::time::Timestamp;

/// An inode number.
pub type Ino = u64;

/// The root directory's inode number.
pub const ROOT_INO: Ino = 1;

/// Block size reported in `st_blksize`, and the unit space is allocated in (as tmpfs).
pub const BLOCK_SIZE: u64 = 4096;

/// Size tmpfs reports for each directory entry (`BOGO_DIRENT_SIZE`), `.` and `..` included.
pub const DIRENT_SIZE: u64 = 20;

/// `S_ISUID`.
pub const S_ISUID: u32 = 0o4000;
/// `S_ISGID`.
pub const S_ISGID: u32 = 0o2000;
/// `S_ISVTX`, the sticky bit.
pub const S_ISVTX: u32 = 0o1000;

/// The type of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
}

impl FileType {
    /// The `S_IFMT` bits of `st_mode`.
    pub const fn mode_bits(self) -> u32 {
        match self {
            FileType::File => 0o100000,
            FileType::Dir => 0o040000,
            FileType::Symlink => 0o120000,
        }
    }

    /// True for a directory.
    pub fn is_dir(self) -> bool {
        self == FileType::Dir
    }

    /// True for a regular file.
    pub fn is_file(self) -> bool {
        self == FileType::File
    }

    /// True for a symbolic link.
    pub fn is_symlink(self) -> bool {
        self == FileType::Symlink
    }
}

/// A directory entry name: any bytes but `/` and NUL, at most 255 of them. Names up to
/// 22 bytes (nearly all) live inline, so a directory lookup compares keys without
/// chasing a pointer per comparison.
#[derive(Clone)]
pub struct Name(Repr);

const INLINE: usize = 22;

#[derive(Clone)]
enum Repr {
    Inline(u8, [u8; INLINE]),
    Heap(Box<[u8]>),
}

impl Name {
    /// The name's bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline(n, b) => &b[..usize::from(*n)],
            Repr::Heap(b) => b,
        }
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

/// Bytes `i..i+8` of `b` as a big-endian word, zero-padded past the end. Names hold no
/// NUL bytes, so padding sorts below every real byte and the order stays bytewise.
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    if let Some(chunk) = b.get(i..i + 8)
        && let Ok(arr) = <[u8; 8]>::try_from(chunk)
    {
        return u64::from_be_bytes(arr);
    }
    let mut w = 0u64;
    for k in 0..8 {
        w = (w << 8) | u64::from(b.get(i + k).copied().unwrap_or(0));
    }
    w
}

/// Bytewise order of two names, a word at a time.
fn cmp_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    let mut i = 0;
    while i < n {
        let (x, y) = (word(a, i), word(b, i));
        if x != y {
            return x.cmp(&y);
        }
        i += 8;
    }
    a.len().cmp(&b.len())
}

/// The words of an inline name's zero-padded buffer.
#[inline(always)]
fn inline_words(b: &[u8; INLINE]) -> (u64, u64, u64) {
    let w = |i: usize| {
        let mut x = [0u8; 8];
        let end = INLINE.min(i + 8);
        x[..end - i].copy_from_slice(&b[i..end]);
        u64::from_be_bytes(x)
    };
    (w(0), w(8), w(16))
}

impl Ord for Name {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (&self.0, &other.0) {
            // Both inline: three fixed word compares on zero-padded buffers, no memcmp.
            (Repr::Inline(la, a), Repr::Inline(lb, b)) => {
                inline_words(a).cmp(&inline_words(b)).then(la.cmp(lb))
            }
            _ => cmp_bytes(self.as_bytes(), other.as_bytes()),
        }
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Name {}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl From<&[u8]> for Name {
    fn from(b: &[u8]) -> Self {
        if b.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..b.len()].copy_from_slice(b);
            Name(Repr::Inline(b.len() as u8, buf))
        } else {
            Name(Repr::Heap(b.into()))
        }
    }
}

/// The content of a node.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A regular file: `data` holds the bytes up to the last one written; bytes from
    /// `data.len()` up to `size` read as zeros (a trailing hole, as after `truncate -s`).
    File { data: Bytes, size: u64 },
    /// A directory: its entries, in name order, and its parent (`..`).
    Dir {
        entries: OrdMap<Name, Ino>,
        parent: Ino,
    },
    /// A symbolic link and its target.
    Symlink(Box<[u8]>),
}

/// One inode.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// Permission bits, `0o7777` at most.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    /// In a read-only subtree ([`crate::Vfs::set_read_only`]): nothing may change it.
    pub ro: bool,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
    pub kind: Kind,
}

impl Node {
    pub fn file_type(&self) -> FileType {
        match self.kind {
            Kind::File { .. } => FileType::File,
            Kind::Dir { .. } => FileType::Dir,
            Kind::Symlink(_) => FileType::Symlink,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.kind, Kind::Dir { .. })
    }

    /// Bytes this node holds against the space limit.
    pub fn charged_bytes(&self) -> u64 {
        match &self.kind {
            Kind::File { data, .. } => data.len() as u64,
            Kind::Symlink(t) => t.len() as u64,
            Kind::Dir { .. } => 0,
        }
    }

    pub fn size(&self) -> u64 {
        match &self.kind {
            Kind::File { size, .. } => *size,
            Kind::Dir { entries, .. } => (entries.len() as u64 + 2) * DIRENT_SIZE,
            Kind::Symlink(t) => t.len() as u64,
        }
    }

    pub fn blocks(&self) -> u64 {
        match &self.kind {
            Kind::File { data, .. } => {
                (data.len() as u64).div_ceil(BLOCK_SIZE) * (BLOCK_SIZE / 512)
            }
            _ => 0,
        }
    }

    pub fn metadata(&self, ino: Ino) -> Metadata {
        Metadata {
            ino,
            file_type: self.file_type(),
            mode: self.mode,
            nlink: u64::from(self.nlink),
            uid: self.uid,
            gid: self.gid,
            size: self.size(),
            blocks: self.blocks(),
            blksize: BLOCK_SIZE,
            atime: self.atime,
            mtime: self.mtime,
            ctime: self.ctime,
        }
    }
}

/// What `stat` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Inode number.
    pub ino: Ino,
    /// Node type.
    pub file_type: FileType,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    /// Number of hard links.
    pub nlink: u64,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes (directories as tmpfs: 20 per entry, `.` and `..` included).
    pub size: u64,
    /// 512-byte blocks allocated.
    pub blocks: u64,
    /// Preferred I/O size.
    pub blksize: u64,
    /// Last access.
    pub atime: Timestamp,
    /// Last content change.
    pub mtime: Timestamp,
    /// Last status change.
    pub ctime: Timestamp,
}

impl Metadata {
    /// The full `st_mode`: type bits and permission bits.
    pub fn st_mode(&self) -> u32 {
        self.file_type.mode_bits() | self.mode
    }

    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.file_type.is_dir()
    }

    /// True for a regular file.
    pub fn is_file(&self) -> bool {
        self.file_type.is_file()
    }

    /// True for a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.file_type.is_symlink()
    }

    /// The number of bytes (`st_size`).
    pub fn len(&self) -> u64 {
        self.size
    }

    /// True when `st_size` is 0.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }
}

/// Who is asking: the credentials access checks use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cred {
    /// User id; 0 is root, which bypasses permission bits as on Linux.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Arc<[u32]>,
}

impl Cred {
    /// Root (uid 0, gid 0): permission bits are not checked, except that executing
    /// needs some execute bit.
    pub fn root() -> Self {
        Cred {
            uid: 0,
            gid: 0,
            groups: Arc::from(Vec::new()),
        }
    }

    /// An ordinary user with no supplementary groups.
    pub fn user(uid: u32, gid: u32) -> Self {
        Cred {
            uid,
            gid,
            groups: Arc::from(Vec::new()),
        }
    }

    /// True for uid 0.
    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// True when `gid` is the primary or a supplementary group.
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

impl Default for Cred {
    fn default() -> Self {
        Cred::root()
    }
}

/// Access wanted: any of read (4), write (2), execute/search (1), as in `access(2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Access(pub u8);

impl Access {
    /// Existence only (`F_OK`).
    pub const EXISTS: Access = Access(0);
    /// `R_OK`.
    pub const READ: Access = Access(4);
    /// `W_OK`.
    pub const WRITE: Access = Access(2);
    /// `X_OK`.
    pub const EXEC: Access = Access(1);

    /// Both sets of bits.
    pub const fn union(self, other: Access) -> Access {
        Access(self.0 | other.0)
    }
}

/// Linux's `generic_permission`: may `cred` have `want` on `node`?
pub(crate) fn permitted(node: &Node, cred: &Cred, want: Access) -> bool {
    let want = want.0 & 7;
    if cred.is_root() {
        // CAP_DAC_OVERRIDE: read and write always; execute needs an x bit unless a directory.
        if want & 1 == 0 || node.is_dir() {
            return true;
        }
        return node.mode & 0o111 != 0;
    }
    let bits = if cred.uid == node.uid {
        (node.mode >> 6) & 7
    } else if cred.in_group(node.gid) {
        (node.mode >> 3) & 7
    } else {
        node.mode & 7
    };
    u32::from(want) & !bits == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_order_is_bytewise() {
        let names: Vec<&[u8]> = vec![
            b"",
            b"a",
            b"ab",
            b"abc",
            b"abcdefgh",
            b"abcdefghi",
            b"abcdefgz",
            b"b",
            b"\xff",
            b"Z",
            b"a\x01",
            b"aaaaaaaaaaaaaaaaa",
            b"aaaaaaaaaaaaaaaab",
        ];
        let long: Vec<u8> = vec![b'q'; 40];
        let mut names = names;
        names.push(&long);
        names.push(b"0123456789012345678901");
        names.push(b"01234567890123456789012");
        for x in &names {
            for y in &names {
                assert_eq!(
                    Name::from(*x).cmp(&Name::from(*y)),
                    x.cmp(y),
                    "{x:?} vs {y:?}"
                );
                assert_eq!(cmp_bytes(x, y), x.cmp(y), "{x:?} vs {y:?}");
            }
        }
    }
}

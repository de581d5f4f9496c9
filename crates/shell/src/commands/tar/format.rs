//! The tar header block: writing GNU-format headers as GNU tar 1.34 does (`ustar  `
//! magic, `././@LongLink` records for names over 100 bytes) and reading ustar, GNU and
//! pax (`x` records: path, linkpath, size, mtime, uid, gid, uname, gname) headers.

/// Size of a tar block.
pub const BLOCK: usize = 512;
/// Size of a record (blocking factor 20): archives are padded to a multiple of this.
pub const RECORD: usize = 10240;

/// One archive member's metadata.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    /// Member name (as stored).
    pub name: Vec<u8>,
    /// Link target (symlinks and hard links).
    pub link: Vec<u8>,
    /// Type flag (`0`, `1`, `2`, `5`, ...).
    pub kind: u8,
    /// Permission bits.
    pub mode: u32,
    /// Owner.
    pub uid: u64,
    /// Group.
    pub gid: u64,
    /// Owner name.
    pub uname: String,
    /// Group name.
    pub gname: String,
    /// Data size in bytes.
    pub size: u64,
    /// Modification time (seconds).
    pub mtime: i64,
}

fn put_octal(field: &mut [u8], v: u64) {
    // `%0*o` with a trailing NUL; values too big fall back to GNU's base-256.
    let width = field.len() - 1;
    let s = format!("{v:0width$o}");
    if s.len() <= width {
        field[..width].copy_from_slice(s.as_bytes());
        field[width] = 0;
    } else {
        field.fill(0);
        field[0] = 0x80;
        let mut x = v;
        for b in field.iter_mut().skip(1).rev() {
            *b = (x & 0xff) as u8;
            x >>= 8;
        }
    }
}

fn put_str(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
}

/// One header block for `e` with `name` and `link` fitting their fields.
fn block(e: &Entry, name: &[u8], link: &[u8], kind: u8) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], name);
    put_octal(&mut b[100..108], u64::from(e.mode & 0o7777));
    put_octal(&mut b[108..116], e.uid);
    put_octal(&mut b[116..124], e.gid);
    put_octal(&mut b[124..136], e.size);
    put_octal(&mut b[136..148], u64::try_from(e.mtime).unwrap_or(0));
    b[156] = kind;
    put_str(&mut b[157..257], link);
    b[257..265].copy_from_slice(b"ustar  \0");
    put_str(&mut b[265..297], e.uname.as_bytes());
    put_str(&mut b[297..329], e.gname.as_bytes());
    b[148..156].fill(b' ');
    let sum: u32 = b.iter().map(|&x| u32::from(x)).sum();
    let s = format!("{sum:06o}");
    b[148..154].copy_from_slice(&s.as_bytes()[s.len() - 6..]);
    b[154] = 0;
    b[155] = b' ';
    b
}

/// The blocks for `e`: `././@LongLink` records first when the name or link is too long.
pub fn encode(e: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(BLOCK * 2);
    for (data, kind) in [(&e.link, b'K'), (&e.name, b'L')] {
        if data.len() > 100 {
            let long = Entry {
                name: b"././@LongLink".to_vec(),
                mode: 0o644,
                size: data.len() as u64 + 1,
                uname: "root".into(),
                gname: "root".into(),
                ..Entry::default()
            };
            out.extend_from_slice(&block(&long, &long.name, b"", kind));
            let mut d = data.clone();
            d.push(0);
            pad(&mut d);
            out.extend_from_slice(&d);
        }
    }
    out.extend_from_slice(&block(e, &e.name, &e.link, e.kind));
    out
}

/// Pad `v` with zeros to a whole number of blocks.
pub fn pad(v: &mut Vec<u8>) {
    let r = v.len() % BLOCK;
    if r != 0 {
        v.resize(v.len() + BLOCK - r, 0);
    }
}

/// Bytes of padding after `size` bytes of data.
pub fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn cstr(f: &[u8]) -> &[u8] {
    let n = f.iter().position(|&b| b == 0).unwrap_or(f.len());
    &f[..n]
}

/// Parse a numeric field: octal (spaces and NULs around it) or GNU base-256.
pub fn num(f: &[u8]) -> Option<u64> {
    if f.first().is_some_and(|&b| b & 0x80 != 0) {
        let mut v: u64 = u64::from(f[0] & 0x3f);
        for &b in &f[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    let s = cstr(f);
    let t: Vec<u8> = s.iter().copied().filter(|&b| b != b' ').collect();
    if t.is_empty() {
        return Some(0);
    }
    let mut v: u64 = 0;
    for b in t {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(v)
}

/// What a header block is.
pub enum Block {
    /// All zeros: end of archive.
    Zero,
    /// A header that does not check out.
    Bad,
    /// A valid header.
    Header(Entry),
}

/// Decode one header block (names as in the block; long names are applied by the
/// reader).
pub fn decode(b: &[u8; BLOCK]) -> Block {
    if b.iter().all(|&x| x == 0) {
        return Block::Zero;
    }
    let Some(stored) = num(&b[148..156]) else {
        return Block::Bad;
    };
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &x) in b.iter().enumerate() {
        let x = if (148..156).contains(&i) { b' ' } else { x };
        unsigned += u64::from(x);
        signed += i64::from(x as i8);
    }
    if stored != unsigned && stored as i64 != signed {
        return Block::Bad;
    }
    let magic = &b[257..263];
    let mut name = cstr(&b[0..100]).to_vec();
    if magic == b"ustar\0" {
        let prefix = cstr(&b[345..500]);
        if !prefix.is_empty() {
            let mut p = prefix.to_vec();
            p.push(b'/');
            p.extend_from_slice(&name);
            name = p;
        }
    }
    let (Some(mode), Some(uid), Some(gid), Some(size), Some(mtime)) = (
        num(&b[100..108]),
        num(&b[108..116]),
        num(&b[116..124]),
        num(&b[124..136]),
        num(&b[136..148]),
    ) else {
        return Block::Bad;
    };
    let is_ustar = magic.starts_with(b"ustar");
    Block::Header(Entry {
        name,
        link: cstr(&b[157..257]).to_vec(),
        kind: b[156],
        mode: (mode & 0o7777) as u32,
        uid,
        gid,
        uname: if is_ustar {
            String::from_utf8_lossy(cstr(&b[265..297])).into_owned()
        } else {
            String::new()
        },
        gname: if is_ustar {
            String::from_utf8_lossy(cstr(&b[297..329])).into_owned()
        } else {
            String::new()
        },
        size,
        mtime: i64::try_from(mtime).unwrap_or(i64::MAX),
    })
}

/// Apply pax extended header records (`LEN key=value\n`) to `e`.
pub fn apply_pax(e: &mut Entry, data: &[u8]) {
    let mut rest = data;
    while !rest.is_empty() {
        let Some(sp) = rest.iter().position(|&b| b == b' ') else {
            return;
        };
        let Some(len) = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return;
        };
        if len <= sp + 1 || len > rest.len() {
            return;
        }
        let rec = &rest[sp + 1..len];
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        if let Some(eq) = rec.iter().position(|&b| b == b'=') {
            let (k, v) = (&rec[..eq], &rec[eq + 1..]);
            let text = String::from_utf8_lossy(v);
            match k {
                b"path" => e.name = v.to_vec(),
                b"linkpath" => e.link = v.to_vec(),
                b"size" => {
                    if let Ok(n) = text.parse() {
                        e.size = n;
                    }
                }
                b"mtime" => {
                    let whole = text.split('.').next().unwrap_or("");
                    if let Ok(n) = whole.parse() {
                        e.mtime = n;
                    }
                }
                b"uid" => {
                    if let Ok(n) = text.parse() {
                        e.uid = n;
                    }
                }
                b"gid" => {
                    if let Ok(n) = text.parse() {
                        e.gid = n;
                    }
                }
                b"uname" => e.uname = text.into_owned(),
                b"gname" => e.gname = text.into_owned(),
                _ => {}
            }
        }
        rest = &rest[len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_roundtrip() {
        let e = Entry {
            name: b"d/a".to_vec(),
            kind: b'0',
            mode: 0o644,
            size: 6,
            mtime: 1_704_164_645,
            uname: "root".into(),
            gname: "root".into(),
            ..Entry::default()
        };
        let v = encode(&e);
        assert_eq!(v.len(), BLOCK);
        assert_eq!(&v[148..156], b"010161\0 ");
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(&v);
        match decode(&b) {
            Block::Header(d) => {
                assert_eq!(d.name, b"d/a");
                assert_eq!(d.size, 6);
                assert_eq!(d.mtime, 1_704_164_645);
            }
            _ => panic!("bad"),
        }
        let long = Entry {
            name: vec![b'n'; 120],
            ..e
        };
        assert_eq!(encode(&long).len(), BLOCK * 3);
    }

    #[test]
    fn pax() {
        let mut e = Entry::default();
        apply_pax(&mut e, b"13 path=abcd\n11 size=42\n");
        assert_eq!(e.name, b"abcd");
        assert_eq!(e.size, 42);
        assert_eq!(num(b"0000644\0"), Some(0o644));
        assert_eq!(num(b"\x80\0\0\0\0\0\0\x01"), Some(1));
    }
}

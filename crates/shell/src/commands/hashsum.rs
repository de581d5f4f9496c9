//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum` and `b2sum`:
//! print or check (`-c`) message digests, as GNU coreutils 9.1 (`-b -t -z --tag -c
//! --quiet --status --strict -w --ignore-missing`, `b2sum -l`). The digests are
//! implemented here.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{Out, open, print_text, quote, stopped, try_help, version};

/// Which digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// BLAKE2b.
    B2,
}

/// Every digest command.
pub const KINDS: [Kind; 7] = [
    Kind::Md5,
    Kind::Sha1,
    Kind::Sha224,
    Kind::Sha256,
    Kind::Sha384,
    Kind::Sha512,
    Kind::B2,
];

impl Kind {
    /// The command name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Md5 => "md5sum",
            Kind::Sha1 => "sha1sum",
            Kind::Sha224 => "sha224sum",
            Kind::Sha256 => "sha256sum",
            Kind::Sha384 => "sha384sum",
            Kind::Sha512 => "sha512sum",
            Kind::B2 => "b2sum",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Kind::Md5 => "MD5",
            Kind::Sha1 => "SHA1",
            Kind::Sha224 => "SHA224",
            Kind::Sha256 => "SHA256",
            Kind::Sha384 => "SHA384",
            Kind::Sha512 => "SHA512",
            Kind::B2 => "BLAKE2b",
        }
    }

    fn bits(self) -> usize {
        match self {
            Kind::Md5 => 128,
            Kind::Sha1 => 160,
            Kind::Sha224 => 224,
            Kind::Sha256 => 256,
            Kind::Sha384 => 384,
            Kind::Sha512 | Kind::B2 => 512,
        }
    }
}

/// A `md5sum`-family command.
pub struct HashSum(pub Kind);

/// The digest of `data` (`out_len` bytes for BLAKE2b).
pub(super) fn digest(kind: Kind, data: &[u8], out_len: usize) -> Vec<u8> {
    match kind {
        Kind::Md5 => md5(data),
        Kind::Sha1 => sha1(data),
        Kind::Sha224 => sha256(data, true),
        Kind::Sha256 => sha256(data, false),
        Kind::Sha384 => sha512(data, true),
        Kind::Sha512 => sha512(data, false),
        Kind::B2 => blake2b(data, out_len),
    }
}

fn pad_md(data: &[u8], block: usize, big: bool) -> Vec<u8> {
    let mut m = data.to_vec();
    m.push(0x80);
    let lenbytes = block / 8;
    while m.len() % block != block - lenbytes {
        m.push(0);
    }
    let bits = (data.len() as u128).wrapping_mul(8);
    if big {
        m.extend_from_slice(&bits.to_be_bytes()[16 - lenbytes..]);
    } else {
        m.extend_from_slice(&bits.to_le_bytes()[..lenbytes]);
    }
    m
}

fn md5(data: &[u8]) -> Vec<u8> {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for chunk in pad_md(data, 64, false).chunks(64) {
        let w: Vec<u32> = chunk
            .chunks(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(w[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
    }
    h.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn sha1(data: &[u8]) -> Vec<u8> {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    for chunk in pad_md(data, 64, true).chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_be_bytes()).collect()
}

const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256(data: &[u8], is224: bool) -> Vec<u8> {
    let mut h: [u32; 8] = if is224 {
        [
            0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
            0xbefa4fa4,
        ]
    } else {
        [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ]
    };
    for chunk in pad_md(data, 64, true).chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K256[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let out: Vec<u8> = h.iter().flat_map(|x| x.to_be_bytes()).collect();
    out[..if is224 { 28 } else { 32 }].to_vec()
}

const K512: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

fn sha512(data: &[u8], is384: bool) -> Vec<u8> {
    let mut h: [u64; 8] = if is384 {
        [
            0xcbbb9d5dc1059ed8,
            0x629a292a367cd507,
            0x9159015a3070dd17,
            0x152fecd8f70e5939,
            0x67332667ffc00b31,
            0x8eb44a8768581511,
            0xdb0c2e0d64f98fa7,
            0x47b5481dbefa4fa4,
        ]
    } else {
        [
            0x6a09e667f3bcc908,
            0xbb67ae8584caa73b,
            0x3c6ef372fe94f82b,
            0xa54ff53a5f1d36f1,
            0x510e527fade682d1,
            0x9b05688c2b3e6c1f,
            0x1f83d9abfb41bd6b,
            0x5be0cd19137e2179,
        ]
    };
    for chunk in pad_md(data, 128, true).chunks(128) {
        let mut w = [0u64; 80];
        for i in 0..16 {
            let mut b = [0u8; 8];
            b.copy_from_slice(&chunk[8 * i..8 * i + 8]);
            w[i] = u64::from_be_bytes(b);
        }
        for i in 16..80 {
            let s0 = w[i - 15].rotate_right(1) ^ w[i - 15].rotate_right(8) ^ (w[i - 15] >> 7);
            let s1 = w[i - 2].rotate_right(19) ^ w[i - 2].rotate_right(61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..80 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K512[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let out: Vec<u8> = h.iter().flat_map(|x| x.to_be_bytes()).collect();
    out[..if is384 { 48 } else { 64 }].to_vec()
}

fn blake2b(data: &[u8], out_len: usize) -> Vec<u8> {
    const IV: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    const SIGMA: [[usize; 16]; 12] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    ];
    let mut h = IV;
    h[0] ^= 0x0101_0000 ^ out_len as u64;
    let nblocks = data.len().div_ceil(128).max(1);
    for bi in 0..nblocks {
        let start = bi * 128;
        let end = (start + 128).min(data.len());
        let mut block = [0u8; 128];
        block[..end - start].copy_from_slice(&data[start..end]);
        let last = bi == nblocks - 1;
        let t = end as u128;
        let mut m = [0u64; 16];
        for (i, slot) in m.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&block[8 * i..8 * i + 8]);
            *slot = u64::from_le_bytes(b);
        }
        let mut v = [0u64; 16];
        v[..8].copy_from_slice(&h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= t as u64;
        v[13] ^= (t >> 64) as u64;
        if last {
            v[14] = !v[14];
        }
        for s in &SIGMA {
            let mut g = |a: usize, b: usize, c: usize, d: usize, x: u64, y: u64| {
                v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
                v[d] = (v[d] ^ v[a]).rotate_right(32);
                v[c] = v[c].wrapping_add(v[d]);
                v[b] = (v[b] ^ v[c]).rotate_right(24);
                v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
                v[d] = (v[d] ^ v[a]).rotate_right(16);
                v[c] = v[c].wrapping_add(v[d]);
                v[b] = (v[b] ^ v[c]).rotate_right(63);
            };
            g(0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }
    let out: Vec<u8> = h.iter().flat_map(|x| x.to_le_bytes()).collect();
    out[..out_len].to_vec()
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_file(ctx: &Ctx<'_>, f: &str) -> Result<Vec<u8>, String> {
    let fd = open(ctx, f)?;
    let mut v = Vec::new();
    fd.read_to_end(&mut v, super::super::util::MAX_INPUT)
        .map_err(|e| crate::io::errno_message(&e))?;
    Ok(v)
}

/// Escape a file name as GNU does for output (`\\` and `\n`), reporting whether it did.
fn escape_name(name: &str) -> (String, bool) {
    if !name.contains(['\\', '\n']) {
        return (name.to_string(), false);
    }
    let mut s = String::new();
    for c in name.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            _ => s.push(c),
        }
    }
    (s, true)
}

fn unescape_name(name: &str) -> String {
    let mut s = String::new();
    let mut it = name.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => s.push('\n'),
                Some('r') => s.push('\r'),
                Some(x) => s.push(x),
                None => s.push('\\'),
            }
        } else {
            s.push(c);
        }
    }
    s
}

struct Opts {
    binary: bool,
    tag: bool,
    zero: bool,
    quiet: bool,
    status: bool,
    strict: bool,
    warn: bool,
    ignore_missing: bool,
    out_len: usize,
}

impl Command for HashSum {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let kind = self.0;
        let mut longs = vec![
            "binary",
            "check",
            "tag",
            "text",
            "zero",
            "ignore-missing",
            "quiet",
            "status",
            "strict",
            "warn",
            "help",
            "version",
        ];
        let short_val = if kind == Kind::B2 {
            longs.push("length=");
            "l"
        } else {
            ""
        };
        let parsed = match parse_args(&ctx.args[1..], short_val, "bctzw", &longs) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts {
            binary: false,
            tag: false,
            zero: false,
            quiet: false,
            status: false,
            strict: false,
            warn: false,
            ignore_missing: false,
            out_len: kind.bits() / 8,
        };
        let mut check = false;
        let mut text_flag = false;
        let mut files = Vec::new();
        for a in parsed {
            let name: String = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short('l', Some(v)) | Arg::Long(_, Some(v)) => {
                    match v.parse::<usize>() {
                        Ok(n) if n <= 512 && n % 8 == 0 => {
                            o.out_len = if n == 0 { 64 } else { n / 8 };
                        }
                        Ok(n) if n > 512 => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            ctx.err("maximum digest length for 'BLAKE2b' is 512 bits");
                            return 1;
                        }
                        Ok(_) => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            ctx.err("length is not a multiple of 8");
                            return 1;
                        }
                        Err(_) => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            return 1;
                        }
                    }
                    continue;
                }
                Arg::Short(c, _) => match c {
                    'b' => "binary",
                    'c' => "check",
                    't' => "text",
                    'z' => "zero",
                    _ => "warn",
                }
                .into(),
                Arg::Long(l, None) => l,
            };
            match name.as_str() {
                "binary" => o.binary = true,
                "check" => check = true,
                "text" => {
                    o.binary = false;
                    text_flag = true;
                }
                "zero" => o.zero = true,
                "tag" => o.tag = true,
                "quiet" => o.quiet = true,
                "status" => o.status = true,
                "strict" => o.strict = true,
                "warn" => o.warn = true,
                "ignore-missing" => o.ignore_missing = true,
                "help" => return print_text(ctx, help(kind)),
                _ => {
                    let authors = if kind == Kind::B2 {
                        "Written by Padraig Brady and Samuel Neves."
                    } else {
                        "Written by Ulrich Drepper, Scott Miller, and David Madore."
                    };
                    return version(ctx, kind.name(), authors);
                }
            }
        }
        if o.tag && text_flag {
            return try_help(ctx, "--tag does not support --text mode", 1);
        }
        if o.tag && check {
            return try_help(
                ctx,
                "the --tag option is meaningless when verifying checksums",
                1,
            );
        }
        if !check {
            for (flag, name) in [
                (o.ignore_missing, "--ignore-missing"),
                (o.quiet, "--quiet"),
                (o.status, "--status"),
                (o.strict, "--strict"),
                (o.warn, "--warn"),
            ] {
                if flag {
                    return try_help(
                        ctx,
                        &format!(
                            "the {} option is meaningful only when verifying checksums",
                            name
                        ),
                        1,
                    );
                }
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        if check {
            let mut st = 0;
            for f in &files {
                match check_file(ctx, kind, f, &o) {
                    Ok(s) => st = st.max(s),
                    Err(code) => return code,
                }
            }
            return st;
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        for f in &files {
            let data = match read_file(ctx, f) {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let d = hex(&digest(kind, &data, o.out_len));
            let (name, escaped) = if o.zero {
                (f.clone(), false)
            } else {
                escape_name(f)
            };
            let mut line = String::new();
            if escaped {
                line.push('\\');
            }
            if o.tag {
                let tag = if kind == Kind::B2 && o.out_len != 64 {
                    format!("BLAKE2b-{}", o.out_len * 8)
                } else {
                    kind.tag().to_string()
                };
                line.push_str(&format!("{tag} ({name}) = {d}"));
            } else {
                line.push_str(&d);
                line.push(' ');
                line.push(if o.binary { '*' } else { ' ' });
                line.push_str(&name);
            }
            line.push(if o.zero { '\0' } else { '\n' });
            if let Err(s) = out.put(line.as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// Parse one checksum line: (hex digest, file name).
fn parse_line(kind: Kind, line: &str, out_len: usize) -> Option<(String, String)> {
    let (line, escaped) = match line.strip_prefix('\\') {
        Some(r) => (r, true),
        None => (line, false),
    };
    let fix = |n: &str| {
        if escaped {
            unescape_name(n)
        } else {
            n.to_string()
        }
    };
    let hexlen = |h: &str| {
        h.len().is_multiple_of(2) && !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit())
    };
    // Tagged: ALGO (FILE) = HEX
    let tag = kind.tag();
    if let Some(rest) = line.strip_prefix(tag) {
        let rest = if kind == Kind::B2 {
            match rest.strip_prefix('-') {
                Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
                None => rest,
            }
        } else {
            rest
        };
        if let Some(rest) = rest.strip_prefix(" (")
            && let Some(idx) = rest.rfind(") = ")
        {
            let name = &rest[..idx];
            let h = &rest[idx + 4..];
            if hexlen(h) && (kind == Kind::B2 || h.len() == out_len * 2) {
                return Some((h.to_ascii_lowercase(), fix(name)));
            }
            return None;
        }
    }
    let want = out_len * 2;
    let h = line.get(..want)?;
    if !hexlen(h) {
        return None;
    }
    let rest = &line[want..];
    let mut b = rest.bytes();
    if b.next() != Some(b' ') {
        return None;
    }
    match b.next() {
        Some(b' ') | Some(b'*') => {}
        _ => return None,
    }
    let name = &rest[2..];
    if name.is_empty() {
        return None;
    }
    Some((h.to_ascii_lowercase(), fix(name)))
}

fn check_file(ctx: &Ctx<'_>, kind: Kind, list: &str, o: &Opts) -> Result<i32, i32> {
    let data = match read_file(ctx, list) {
        Ok(d) => d,
        Err(m) => {
            ctx.err(&format!("{list}: {m}"));
            return Ok(1);
        }
    };
    let shown = if list == "-" { "standard input" } else { list };
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut bad_format = 0;
    let mut failed = 0;
    let mut unreadable = 0;
    let mut good_lines = 0;
    let mut matched = 0;
    let mut out = Out::new(ctx);
    let sep = if o.zero { '\0' } else { '\n' };
    let lines: Vec<&str> = text.split(sep).collect();
    let n = if text.ends_with(sep) {
        lines.len() - 1
    } else {
        lines.len()
    };
    for (i, raw) in lines.iter().take(n).enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with('#') {
            continue;
        }
        let Some((want, file)) = parse_line(kind, line, o.out_len) else {
            bad_format += 1;
            if o.warn {
                ctx.err(&format!(
                    "{}: {}: improperly formatted {} checksum line",
                    shown,
                    i + 1,
                    kind.tag()
                ));
            }
            continue;
        };
        good_lines += 1;
        let (shown_name, esc) = escape_name(&file);
        let prefix = if esc { "\\" } else { "" };
        match read_file(ctx, &file) {
            Err(m) => {
                if o.ignore_missing && m == "No such file or directory" {
                    continue;
                }
                ctx.err(&format!("{file}: {m}"));
                unreadable += 1;
                if !o.status {
                    let l = format!("{prefix}{shown_name}: FAILED open or read\n");
                    out.put(l.as_bytes()).map_err(stopped)?;
                }
            }
            Ok(d) => {
                matched += 1;
                let len = want.len() / 2;
                let ok = hex(&digest(kind, &d, len)) == want;
                if !ok {
                    failed += 1;
                }
                if !o.status && (!ok || !o.quiet) {
                    let l = format!(
                        "{prefix}{shown_name}: {}\n",
                        if ok { "OK" } else { "FAILED" }
                    );
                    out.put(l.as_bytes()).map_err(stopped)?;
                }
            }
        }
    }
    out.flush().map_err(stopped)?;
    if good_lines == 0 {
        ctx.err(&format!(
            "{}: no properly formatted checksum lines found",
            quote_name(shown)
        ));
        return Ok(1);
    }
    if !o.status {
        if bad_format > 0 {
            ctx.err(&format!(
                "WARNING: {bad_format} {} improperly formatted",
                if bad_format == 1 {
                    "line is"
                } else {
                    "lines are"
                }
            ));
        }
        if unreadable > 0 {
            ctx.err(&format!(
                "WARNING: {unreadable} listed {} could not be read",
                if unreadable == 1 { "file" } else { "files" }
            ));
        }
        if failed > 0 {
            ctx.err(&format!(
                "WARNING: {failed} computed {} did NOT match",
                if failed == 1 { "checksum" } else { "checksums" }
            ));
        }
    }
    if o.ignore_missing && matched == 0 {
        ctx.err(&format!("{}: no file was verified", quote_name(shown)));
        return Ok(1);
    }
    let bad = failed > 0 || unreadable > 0 || (o.strict && bad_format > 0);
    Ok(i32::from(bad))
}

fn quote_name(s: &str) -> String {
    super::quote_shell(s, false)
}

/// GNU's `--help` text for `kind`.
fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::Md5 => {
            r#"Usage: md5sum [OPTION]... [FILE]...
Print or check MD5 (128-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 1321.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/md5sum>
or available locally via: info '(coreutils) md5sum invocation'
"#
        }
        Kind::Sha1 => {
            r#"Usage: sha1sum [OPTION]... [FILE]...
Print or check SHA1 (160-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-1.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha1sum>
or available locally via: info '(coreutils) sha1sum invocation'
"#
        }
        Kind::Sha224 => {
            r#"Usage: sha224sum [OPTION]... [FILE]...
Print or check SHA224 (224-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 3874.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha224sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha256 => {
            r#"Usage: sha256sum [OPTION]... [FILE]...
Print or check SHA256 (256-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha256sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha384 => {
            r#"Usage: sha384sum [OPTION]... [FILE]...
Print or check SHA384 (384-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha384sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha512 => {
            r#"Usage: sha512sum [OPTION]... [FILE]...
Print or check SHA512 (512-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha512sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::B2 => {
            r#"Usage: b2sum [OPTION]... [FILE]...
Print or check BLAKE2b (512-bit) checksums.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
  -l, --length=BITS     digest length in bits; must not exceed the max for
                          the blake2 algorithm and must be a multiple of 8
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 7693.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/b2sum>
or available locally via: info '(coreutils) b2sum invocation'
"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(
            hex(&digest(Kind::Md5, b"hello\n", 16)),
            "b1946ac92492d2347c6235b4d2611184"
        );
        assert_eq!(
            hex(&digest(Kind::Sha1, b"hello\n", 20)),
            "f572d396fae9206628714fb2ce00f72e94f2258f"
        );
        assert_eq!(
            hex(&digest(Kind::Sha256, b"", 32)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&digest(Kind::B2, b"", 64)),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        );
    }
}

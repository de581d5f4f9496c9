//! `base64` and `base32`: encode or decode (`-d`, `-i`, `-w COLS`), as GNU coreutils 9.1:
//! on bad input what could be decoded is written, then `invalid input` and status 1.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, quote, read_operand, try_help, version};

/// `base64 [OPTION]... [FILE]` (or `base32` when `base32` is set).
pub struct Base64 {
    /// Use the base32 alphabet.
    pub base32: bool,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Encode `data` (no wrapping).
pub(super) fn encode(data: &[u8], base32: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if base32 {
        for chunk in data.chunks(5) {
            let mut buf = [0u8; 5];
            buf[..chunk.len()].copy_from_slice(chunk);
            let v = buf.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
            let n = match chunk.len() {
                1 => 2,
                2 => 4,
                3 => 5,
                4 => 7,
                _ => 8,
            };
            for i in 0..8 {
                if i < n {
                    out.push(B32[((v >> (35 - 5 * i)) & 31) as usize]);
                } else {
                    out.push(b'=');
                }
            }
        }
    } else {
        for chunk in data.chunks(3) {
            let mut buf = [0u8; 3];
            buf[..chunk.len()].copy_from_slice(chunk);
            let v = buf.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
            let n = chunk.len() + 1;
            for i in 0..4 {
                if i < n {
                    out.push(B64[((v >> (18 - 6 * i)) & 63) as usize]);
                } else {
                    out.push(b'=');
                }
            }
        }
    }
    out
}

fn value(c: u8, base32: bool) -> Option<u8> {
    let alpha: &[u8] = if base32 { B32 } else { B64 };
    alpha.iter().position(|&a| a == c).map(|p| p as u8)
}

/// Decode the data characters of one (possibly short) quantum.
fn flush(q: &[u8], base32: bool, out: &mut Vec<u8>) -> bool {
    let bits = if base32 { 5 } else { 6 };
    let nbytes = q.len() * bits / 8;
    let valid = if base32 {
        matches!(q.len(), 0 | 2 | 4 | 5 | 7 | 8)
    } else {
        q.len() != 1
    };
    let mut acc: u64 = 0;
    for &v in q {
        acc = (acc << bits) | u64::from(v);
    }
    let total = q.len() * bits;
    for i in 0..nbytes {
        out.push(((acc >> (total - 8 * (i + 1))) & 0xff) as u8);
    }
    valid
}

/// Decode; `Err` carries what was decoded before the bad input.
pub(super) fn decode(data: &[u8], base32: bool, ignore: bool) -> Result<Vec<u8>, Vec<u8>> {
    let qlen = if base32 { 8 } else { 4 };
    let mut out = Vec::new();
    let mut q: Vec<u8> = Vec::new();
    let mut pads = 0;
    for &c in data {
        if c == b'\n' {
            continue;
        }
        if c == b'=' {
            if q.is_empty() && pads == 0 {
                if ignore {
                    continue;
                }
                return Err(out);
            }
            pads += 1;
        } else if let Some(v) = value(c, base32) {
            if pads > 0 {
                return Err(out);
            }
            q.push(v);
        } else {
            if ignore {
                continue;
            }
            if !base32 {
                flush(&q, base32, &mut out);
            }
            return Err(out);
        }
        if q.len() + pads == qlen {
            let ok = flush(&q, base32, &mut out);
            if !ok {
                return Err(out);
            }
            q.clear();
            pads = 0;
        }
    }
    if !q.is_empty() || pads > 0 {
        if !base32 {
            flush(&q, base32, &mut out);
        }
        return Err(out);
    }
    Ok(out)
}

impl Command for Base64 {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let name = if self.base32 { "base32" } else { "base64" };
        let parsed = match parse_args(
            &ctx.args[1..],
            "w",
            "di",
            &["decode", "ignore-garbage", "wrap=", "help", "version"],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut dec = false;
        let mut ignore = false;
        let mut wrap = 76usize;
        let mut files = Vec::new();
        for a in parsed {
            match a {
                Arg::Short('d', _) => dec = true,
                Arg::Short('i', _) => ignore = true,
                Arg::Short('w', Some(v)) | Arg::Long(_, Some(v)) => match v.parse::<usize>() {
                    Ok(n) => wrap = n,
                    Err(_) => {
                        ctx.err(&format!("invalid wrap size: {}", quote(&v)));
                        return 1;
                    }
                },
                Arg::Long(l, None) => match l.as_str() {
                    "decode" => dec = true,
                    "ignore-garbage" => ignore = true,
                    "help" => {
                        return print_text(ctx, if self.base32 { HELP32 } else { HELP64 });
                    }
                    _ => return version(ctx, name, "Written by Simon Josefsson."),
                },
                Arg::Operand(o) => files.push(o),
                _ => {}
            }
        }
        if files.len() > 1 {
            return try_help(ctx, &format!("extra operand {}", quote(&files[1])), 1);
        }
        let file = files.first().cloned().unwrap_or_else(|| "-".into());
        let data = match read_operand(ctx, &file) {
            Ok(d) => d,
            Err(m) => {
                // A directory opens, then fails to read: GNU names no file then.
                if file != "-" && ctx.vfs.stat(&file).is_ok_and(|m| m.is_dir()) {
                    ctx.err("read error: Is a directory");
                } else {
                    ctx.err(&format!("{file}: {m}"));
                }
                return 1;
            }
        };
        if dec {
            let (bytes, ok) = match decode(&data, self.base32, ignore) {
                Ok(b) => (b, true),
                Err(b) => (b, false),
            };
            if let Err(stop) = ctx.out(&bytes) {
                return Ctx::stop_status(stop);
            }
            if !ok {
                ctx.err("invalid input");
                return 1;
            }
            return 0;
        }
        let enc = encode(&data, self.base32);
        let mut out = Vec::with_capacity(enc.len() + enc.len() / 60 + 2);
        if wrap == 0 {
            out.extend_from_slice(&enc);
        } else {
            for line in enc.chunks(wrap) {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        if wrap != 0 && enc.is_empty() {
            out.clear();
        }
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

const HELP64: &str = r#"Usage: base64 [OPTION]... [FILE]
Base64 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
      --help        display this help and exit
      --version     output version information and exit

The data are encoded as described for the base64 alphabet in RFC 4648.
When decoding, the input may contain newlines in addition to the bytes of
the formal base64 alphabet.  Use --ignore-garbage to attempt to recover
from any other non-alphabet bytes in the encoded stream.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/base64>
or available locally via: info '(coreutils) base64 invocation'
"#;
const HELP32: &str = r#"Usage: base32 [OPTION]... [FILE]
Base32 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
      --help        display this help and exit
      --version     output version information and exit

The data are encoded as described for the base32 alphabet in RFC 4648.
When decoding, the input may contain newlines in addition to the bytes of
the formal base32 alphabet.  Use --ignore-garbage to attempt to recover
from any other non-alphabet bytes in the encoded stream.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/base32>
or available locally via: info '(coreutils) base32 invocation'
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        assert_eq!(encode(b"hello", false), b"aGVsbG8=");
        assert_eq!(encode(b"hello", true), b"NBSWY3DP");
        assert_eq!(
            decode(b"aGVsbG8=aGk=", false, false),
            Ok(b"hellohi".to_vec())
        );
        assert_eq!(decode(b"aGVs!bG8=", false, false), Err(b"hel".to_vec()));
        assert_eq!(decode(b"aG Vs", false, false), Err(b"h".to_vec()));
        assert_eq!(decode(b"aGVsbG8", false, false), Err(b"hello".to_vec()));
        assert_eq!(decode(b"NBSWY3DP", true, false), Ok(b"hello".to_vec()));
    }
}

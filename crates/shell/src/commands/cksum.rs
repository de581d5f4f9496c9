//! `cksum`: the POSIX CRC checksum and byte count of each file, or with `-a ALGORITHM`
//! the BSD/System V sums or a digest (tagged by default, `--untagged` for the
//! `md5sum` layout), as GNU coreutils 9.1.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::hashsum::{Kind, digest};
use super::{Out, print_text, quote, read_operand, stopped, version};

/// `cksum [OPTION]... [FILE]...`
pub struct Cksum;

/// The POSIX `cksum` CRC of `data`.
pub(super) fn crc(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = (i as u32) << 24;
        for _ in 0..8 {
            c = if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04C1_1DB7
            } else {
                c << 1
            };
        }
        *slot = c;
    }
    let mut crc: u32 = 0;
    let mut feed = |b: u8| {
        crc = (crc << 8) ^ table[(((crc >> 24) as u8) ^ b) as usize];
    };
    for &b in data {
        feed(b);
    }
    let mut n = data.len() as u64;
    while n > 0 {
        feed((n & 0xff) as u8);
        n >>= 8;
    }
    !crc
}

/// BSD `sum`: (checksum, 1 KiB blocks).
pub(super) fn bsd_sum(data: &[u8]) -> (u32, u64) {
    let mut s: u32 = 0;
    for &b in data {
        s = (s >> 1) + ((s & 1) << 15);
        s = (s + u32::from(b)) & 0xffff;
    }
    (s, (data.len() as u64).div_ceil(1024))
}

/// System V `sum`: (checksum, 512-byte blocks).
pub(super) fn sysv_sum(data: &[u8]) -> (u32, u64) {
    let s: u64 = data.iter().map(|&b| u64::from(b)).sum();
    let r = (s & 0xffff) + ((s & 0xffff_ffff) >> 16);
    let r = (r & 0xffff) + (r >> 16);
    (r as u32, (data.len() as u64).div_ceil(512))
}

const ALGOS: [&str; 11] = [
    "bsd", "sysv", "crc", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "sm3",
];

impl Command for Cksum {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "al",
            "",
            &[
                "algorithm=",
                "length=",
                "untagged",
                "tag",
                "help",
                "version",
                "debug",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut algo = "crc".to_string();
        let mut untagged = false;
        let mut bits: Option<usize> = None;
        let mut files = Vec::new();
        for a in parsed {
            match a {
                Arg::Operand(o) => files.push(o),
                Arg::Short('a', Some(v)) => algo = v,
                Arg::Short('l', Some(v)) => bits = v.parse().ok().or(Some(1)),
                Arg::Long(l, v) => match l.as_str() {
                    "algorithm" => algo = v.unwrap_or_default(),
                    "length" => bits = v.and_then(|x| x.parse().ok()).or(Some(1)),
                    "untagged" => untagged = true,
                    "tag" => untagged = false,
                    "help" => return print_text(ctx, HELP),
                    "version" => {
                        return version(ctx, "cksum", "Written by Padraig Brady and Q. Frank Xia.");
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        let matches: Vec<&&str> = ALGOS
            .iter()
            .filter(|a| a.starts_with(algo.as_str()))
            .collect();
        let algo: &str = match (ALGOS.contains(&algo.as_str()), matches.len()) {
            (true, _) => ALGOS.iter().find(|a| **a == algo).copied().unwrap_or("crc"),
            (false, 1) => matches[0],
            _ => {
                let what = if matches.is_empty() {
                    "invalid"
                } else {
                    "ambiguous"
                };
                ctx.err(&format!(
                    "{what} argument {} for '--algorithm'",
                    quote(&algo)
                ));
                let mut t = String::from("Valid arguments are:\n");
                for a in ALGOS {
                    t.push_str(&format!("  - '{a}'\n"));
                }
                t.push_str("Try 'cksum --help' for more information.\n");
                let _ = ctx.stderr.write_all(t.as_bytes());
                return 1;
            }
        };
        if algo == "sm3" {
            ctx.err("sm3: not supported yet");
            return 1;
        }
        let out_len = match bits {
            Some(b) if algo == "blake2b" => {
                if b == 0 || b > 512 || b % 8 != 0 {
                    ctx.err(&format!("invalid length: {}", quote(&b.to_string())));
                    return 1;
                }
                b / 8
            }
            Some(_) => {
                ctx.err("--length is only supported with --algorithm=blake2b");
                return 1;
            }
            None => 64,
        };
        let named = !files.is_empty();
        if files.is_empty() {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        for f in &files {
            let data = match read_operand(ctx, f) {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let line = match algo {
                "crc" | "bsd" | "sysv" => {
                    let mut l = match algo {
                        "crc" => format!("{} {}", crc(&data), data.len()),
                        "bsd" => {
                            let (s, b) = bsd_sum(&data);
                            format!("{s:05} {b:5}")
                        }
                        _ => {
                            let (s, b) = sysv_sum(&data);
                            format!("{s} {b}")
                        }
                    };
                    if named {
                        l.push(' ');
                        l.push_str(f);
                    }
                    l
                }
                _ => {
                    let (kind, tag) = match algo {
                        "md5" => (Kind::Md5, "MD5".to_string()),
                        "sha1" => (Kind::Sha1, "SHA1".into()),
                        "sha224" => (Kind::Sha224, "SHA224".into()),
                        "sha256" => (Kind::Sha256, "SHA256".into()),
                        "sha384" => (Kind::Sha384, "SHA384".into()),
                        "sha512" => (Kind::Sha512, "SHA512".into()),
                        _ => (
                            Kind::B2,
                            if out_len == 64 {
                                "BLAKE2b".into()
                            } else {
                                format!("BLAKE2b-{}", out_len * 8)
                            },
                        ),
                    };
                    let len = if kind == Kind::B2 { out_len } else { 0 };
                    let d: String = digest(kind, &data, len)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    if untagged {
                        format!("{d}  {f}")
                    } else {
                        format!("{tag} ({f}) = {d}")
                    }
                }
            };
            if let Err(s) = out.put(format!("{line}\n").as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

const HELP: &str = r#"Usage: cksum [OPTION]... [FILE]...
Print or verify checksums.
By default use the 32 bit CRC algorithm.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -a, --algorithm=TYPE  select the digest type to use.  See DIGEST below.
  -c, --check           read checksums from the FILEs and check them
  -l, --length=BITS     digest length in bits; must not exceed the max for
                          the blake2 algorithm and must be a multiple of 8
      --tag             create a BSD-style checksum (the default)
      --untagged        create a reversed style checksum, without digest type
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --debug           indicate which implementation used
      --help        display this help and exit
      --version     output version information and exit

DIGEST determines the digest algorithm and default output format:
  sysv      (equivalent to sum -s)
  bsd       (equivalent to sum -r)
  crc       (equivalent to cksum)
  md5       (equivalent to md5sum)
  sha1      (equivalent to sha1sum)
  sha224    (equivalent to sha224sum)
  sha256    (equivalent to sha256sum)
  sha384    (equivalent to sha384sum)
  sha512    (equivalent to sha512sum)
  blake2b   (equivalent to b2sum)
  sm3       (only available through cksum)

When checking, the input should be a former output of this program,
or equivalent standalone program.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/cksum>
or available locally via: info '(coreutils) cksum invocation'
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums() {
        assert_eq!(crc(b"hello\n"), 3_015_617_425);
        assert_eq!(crc(b""), 4_294_967_295);
        assert_eq!(bsd_sum(b"hello\n"), (36979, 1));
        assert_eq!(sysv_sum(b"hello\n"), (542, 1));
    }
}

//! `dd` (GNU coreutils 9.1): copy with block sizes, skips, seeks and conversions, and the
//! "N+M records in/out" summary on stderr. Input is read whole (a pipe's short reads are
//! not reproduced: every block but the last is full).

use std::time::Instant;

use super::{Ctx, read_operand, try_help};

/// `dd [operand ...]`
pub struct Dd;

#[derive(Default)]
struct Opts {
    input: Option<String>,
    output: Option<String>,
    ibs: usize,
    obs: usize,
    bs: Option<usize>,
    count: Option<u64>,
    skip: u64,
    seek: u64,
    notrunc: bool,
    ucase: bool,
    lcase: bool,
    sync: bool,
    status: Status,
}

#[derive(Default, PartialEq)]
enum Status {
    #[default]
    Default,
    None,
    Noxfer,
    Progress,
}

/// Parse a dd number: digits with an optional multiplier suffix, `x` multiplying parts.
pub(crate) fn number(s: &str) -> Option<u64> {
    let mut total: u64 = 1;
    for part in s.split('x') {
        let digits = part.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let v: u64 = part[..digits].parse().ok()?;
        let mul: u64 = match &part[digits..] {
            "" | "c" => 1,
            "w" => 2,
            "b" => 512,
            "kB" => 1000,
            "K" | "KiB" | "k" => 1024,
            "MB" => 1_000_000,
            "M" | "MiB" => 1 << 20,
            "GB" => 1_000_000_000,
            "G" | "GiB" => 1 << 30,
            _ => return None,
        };
        total = total.checked_mul(v.checked_mul(mul)?)?;
    }
    Some(total)
}

fn parse(ctx: &Ctx<'_>, args: &[String]) -> Result<Opts, i32> {
    let mut o = Opts {
        ibs: 512,
        obs: 512,
        ..Default::default()
    };
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(try_help(ctx, &format!("unrecognized operand '{a}'"), 1));
        };
        let num = |v: &str| -> Result<u64, i32> {
            number(v).ok_or_else(|| {
                ctx.err(&format!("invalid number: '{v}'"));
                1
            })
        };
        let size = |v: &str| -> Result<usize, i32> {
            let n = num(v)?;
            if n == 0 || n > (1 << 30) {
                ctx.err(&format!("invalid number: '{v}'"));
                return Err(1);
            }
            Ok(n as usize)
        };
        match k {
            "if" => o.input = Some(v.to_string()),
            "of" => o.output = Some(v.to_string()),
            "bs" => o.bs = Some(size(v)?),
            "ibs" => o.ibs = size(v)?,
            "obs" => o.obs = size(v)?,
            "count" => o.count = Some(num(v)?),
            "skip" | "iseek" => o.skip = num(v)?,
            "seek" | "oseek" => o.seek = num(v)?,
            "conv" => {
                for c in v.split(',') {
                    match c {
                        "notrunc" => o.notrunc = true,
                        "ucase" => o.ucase = true,
                        "lcase" => o.lcase = true,
                        "sync" => o.sync = true,
                        "noerror" | "fsync" | "fdatasync" | "excl" | "nocreat" | "sparse" => {}
                        _ => return Err(try_help(ctx, &format!("invalid conversion: '{c}'"), 1)),
                    }
                }
                if o.ucase && o.lcase {
                    ctx.err("cannot combine lcase and ucase");
                    return Err(1);
                }
            }
            "iflag" | "oflag" => {
                for f in v.split(',') {
                    if !matches!(
                        f,
                        "fullblock"
                            | "append"
                            | "direct"
                            | "dsync"
                            | "sync"
                            | "nonblock"
                            | "noatime"
                            | "nocache"
                            | "noctty"
                            | "nofollow"
                            | "binary"
                            | "text"
                            | "count_bytes"
                            | "skip_bytes"
                            | "seek_bytes"
                    ) {
                        let what = if k == "iflag" {
                            "input flag"
                        } else {
                            "output flag"
                        };
                        return Err(try_help(ctx, &format!("invalid {what}: '{f}'"), 1));
                    }
                }
            }
            "status" => {
                o.status = match v {
                    "none" => Status::None,
                    "noxfer" => Status::Noxfer,
                    "progress" => Status::Progress,
                    _ => return Err(try_help(ctx, &format!("invalid status level: '{v}'"), 1)),
                }
            }
            _ => return Err(try_help(ctx, &format!("unrecognized operand '{a}'"), 1)),
        }
    }
    if let Some(bs) = o.bs {
        o.ibs = bs;
        o.obs = bs;
    }
    Ok(o)
}

impl crate::commands::Command for Dd {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = ctx.args[1..].to_vec();
        if args.first().map(|s| s.as_str()) == Some("--help") {
            return super::print_text(ctx, "Usage: dd [OPERAND]...\n  or:  dd OPTION\n");
        }
        if args.first().map(|s| s.as_str()) == Some("--version") {
            return super::version(
                ctx,
                "dd",
                "Written by Paul Rubin, David MacKenzie, and Stuart Kemp.",
            );
        }
        let start = Instant::now();
        let o = match parse(ctx, &args) {
            Ok(o) => o,
            Err(st) => return st,
        };
        let input = o.input.clone().unwrap_or_else(|| "-".into());
        let data = match read_operand(ctx, &input) {
            Ok(d) => d,
            Err(m) => {
                ctx.err(&format!("failed to open '{input}': {m}"));
                return 1;
            }
        };
        let skip = (o.skip as u128 * o.ibs as u128).min(data.len() as u128) as usize;
        let mut rest = &data[skip..];
        let (mut full_in, mut part_in) = (0u64, 0u64);
        let mut blocks: Vec<Vec<u8>> = Vec::new();
        while !rest.is_empty() && o.count.is_none_or(|c| full_in + part_in < c) {
            let n = rest.len().min(o.ibs);
            let mut b = rest[..n].to_vec();
            rest = &rest[n..];
            if n == o.ibs {
                full_in += 1;
            } else {
                part_in += 1;
                if o.sync {
                    b.resize(o.ibs, 0);
                }
            }
            if o.ucase {
                b.make_ascii_uppercase();
            } else if o.lcase {
                b.make_ascii_lowercase();
            }
            blocks.push(b);
        }
        // Output records: with bs= each input block is written as it is, else the data
        // is re-cut into obs-sized writes.
        let chunks: Vec<Vec<u8>> = if o.bs.is_some() {
            blocks
        } else {
            let all: Vec<u8> = blocks.concat();
            all.chunks(o.obs).map(|c| c.to_vec()).collect()
        };
        let (mut full_out, mut part_out) = (0u64, 0u64);
        for c in &chunks {
            if c.len() == o.obs {
                full_out += 1;
            } else {
                part_out += 1;
            }
        }
        let bytes: usize = chunks.iter().map(|c| c.len()).sum();
        let mut status = 0;
        match &o.output {
            None => {
                for c in &chunks {
                    if let Err(s) = ctx.out(c) {
                        return super::stopped(s);
                    }
                }
            }
            Some(path) => {
                if let Err(m) = write_file(ctx, path, &o, &chunks) {
                    ctx.err(&m);
                    status = 1;
                }
            }
        }
        if o.status != Status::None {
            let mut s =
                format!("{full_in}+{part_in} records in\n{full_out}+{part_out} records out\n");
            if o.status != Status::Noxfer {
                s.push_str(&transfer_line(bytes as u64, start.elapsed().as_secs_f64()));
            }
            let _ = ctx.stderr.write_all(s.as_bytes());
        }
        status
    }
}

fn write_file(ctx: &Ctx<'_>, path: &str, o: &Opts, chunks: &[Vec<u8>]) -> Result<(), String> {
    if let Some(fd) = ctx.dev_file(path) {
        for c in chunks {
            fd.write_all(c)
                .map_err(|e| format!("error writing '{path}': {}", crate::io::errno_message(&e)))?;
        }
        return Ok(());
    }
    let opts = vfs_core::OpenOptions::new()
        .write(true)
        .create(true)
        .mode(0o666);
    let h = ctx
        .vfs
        .open(path, &opts)
        .map_err(|e| format!("failed to open '{path}': {}", e.errno().message()))?;
    let mut off = o.seek.saturating_mul(o.obs as u64);
    if !o.notrunc {
        h.set_len(off).map_err(|e| {
            format!(
                "failed to truncate to {off} bytes in output file '{path}': {}",
                e.errno().message()
            )
        })?;
    }
    for c in chunks {
        h.write_at(c, off)
            .map_err(|e| format!("error writing '{path}': {}", e.errno().message()))?;
        off += c.len() as u64;
    }
    Ok(())
}

/// "N bytes (X kB, Y KiB) copied, T s, R/s" as GNU prints it.
fn transfer_line(bytes: u64, secs: f64) -> String {
    let mut s = format!("{bytes} bytes");
    if bytes >= 1000 {
        s.push_str(&format!(
            " ({}, {})",
            human(bytes as f64, 1000.0, &["kB", "MB", "GB", "TB"]),
            human(bytes as f64, 1024.0, &["KiB", "MiB", "GiB", "TiB"])
        ));
    }
    let secs = secs.max(1e-9);
    let rate = human(bytes as f64 / secs, 1000.0, &["kB", "MB", "GB", "TB"]);
    let rate = if bytes as f64 / secs < 1000.0 {
        format!("{} B", (bytes as f64 / secs) as u64)
    } else {
        rate
    };
    format!("{s} copied, {secs:.4e} s, {rate}/s\n").replace("e-", "e-0")
}

fn human(v: f64, base: f64, units: &[&str]) -> String {
    let mut v = v / base;
    let mut i = 0;
    while v >= base && i + 1 < units.len() {
        v /= base;
        i += 1;
    }
    if v < 10.0 {
        format!("{:.1} {}", v, units[i])
    } else {
        format!("{:.0} {}", v, units[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::reg_misc::testutil::run;

    #[test]
    fn summary_shape() {
        let (out, err, st) = run(&Dd, &["dd", "bs=4"], b"hello world");
        assert_eq!(out, "hello world");
        assert_eq!(st, 0);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines[0], "2+1 records in");
        assert_eq!(lines[1], "2+1 records out");
        assert!(lines[2].starts_with("11 bytes copied, "), "{}", lines[2]);
        assert!(lines[2].ends_with("/s"), "{}", lines[2]);
        let (_, err, _) = run(&Dd, &["dd", "of=/dev/null"], &[0u8; 2000]);
        assert!(
            err.contains("2000 bytes (2.0 kB, 2.0 KiB) copied, "),
            "{err}"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number("2K"), Some(2048));
        assert_eq!(number("2x3"), Some(6));
        assert_eq!(number("1b"), Some(512));
        assert_eq!(number("abc"), None);
    }
}

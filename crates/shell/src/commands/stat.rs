//! `stat`: display file status, in GNU's default layout or a `-c`/`--format`/`--printf`
//! format (`%n %N %s %a %A %F %h %i %u %U %g %G %b %B %o %x %y %z %X %Y %Z %w %W ...`).

use vfs_core::{FileType, Metadata};

use super::common::{
    Parsed, Zone, full_time, group_name, mode_string, parse, quoteaf, quotef, user_name, zone,
};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `stat [OPTION]... FILE...`
pub struct Stat;

const DEFAULT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Hd,%Ld\tInode: %-11i Links: %h\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const TERSE: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";

impl Command for Stat {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "c",
            "LftZ",
            &[
                "dereference",
                "file-system",
                "format=",
                "printf=",
                "terse",
                "cached=",
                "help",
                "version",
            ],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut follow = false;
        let mut fmt: Option<String> = None;
        let mut printf = false;
        let mut terse = false;
        let mut files = Vec::new();
        for a in items {
            match a {
                Arg::Short('L', _) => follow = true,
                Arg::Short('t', _) => terse = true,
                Arg::Short('c', v) => {
                    fmt = v.map(|f| f + "\n");
                    printf = false;
                }
                Arg::Long(n, v) => match n.as_str() {
                    "dereference" => follow = true,
                    "terse" => terse = true,
                    "format" => {
                        fmt = v.map(|f| f + "\n");
                        printf = false;
                    }
                    "printf" => {
                        fmt = v;
                        printf = true;
                    }
                    _ => {}
                },
                Arg::Operand(f) => files.push(f),
                Arg::Short(..) => {}
            }
        }
        if files.is_empty() {
            return super::common::missing_operand(ctx, 1);
        }
        let z = zone(ctx);
        let mut status = 0;
        for f in &files {
            let r = if follow {
                ctx.vfs.stat(f)
            } else {
                ctx.vfs.lstat(f)
            };
            let m = match r {
                Ok(m) => m,
                Err(e) => {
                    ctx.err(&format!(
                        "cannot statx {}: {}",
                        quoteaf(f),
                        e.errno().message()
                    ));
                    status = 1;
                    continue;
                }
            };
            let format = match &fmt {
                Some(s) => s.clone(),
                None if terse => TERSE.to_string(),
                None => DEFAULT.to_string(),
            };
            let default = fmt.is_none() && !terse;
            let text = render(ctx, &format, f, &m, &z, printf, default);
            if let Err(s) = ctx.out(&text) {
                return Ctx::stop_status(s);
            }
        }
        status
    }
}

fn file_type(m: &Metadata) -> &'static str {
    match m.file_type {
        FileType::Dir => "directory",
        FileType::Symlink => "symbolic link",
        FileType::File if m.size == 0 => "regular empty file",
        FileType::File => "regular file",
    }
}

fn render(
    ctx: &Ctx<'_>,
    format: &str,
    name: &str,
    m: &Metadata,
    z: &Zone,
    printf: bool,
    default: bool,
) -> Vec<u8> {
    let b = format.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && printf && i + 1 < b.len() {
            i += 1;
            let e = b[i];
            i += 1;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'a' => out.push(7),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'r' => out.push(b'\r'),
                b'v' => out.push(11),
                b'"' => out.push(b'"'),
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    let mut k = 0;
                    while k < 2 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + u32::from(b[i] - b'0');
                        i += 1;
                        k += 1;
                    }
                    out.push((v & 0xff) as u8);
                }
                _ => {
                    out.push(b'\\');
                    out.push(e);
                }
            }
            continue;
        }
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && b"-+ #0'".contains(&b[i]) {
            i += 1;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let spec = String::from_utf8_lossy(&b[start..i]).into_owned();
        if i >= b.len() {
            out.push(b'%');
            out.extend_from_slice(spec.as_bytes());
            break;
        }
        let mut conv = b[i];
        i += 1;
        if (conv == b'H' || conv == b'L') && i < b.len() && matches!(b[i], b'd' | b'r') {
            conv = if conv == b'H' { b'M' } else { b'm' };
            i += 1;
            let v = if conv == b'M' { "0" } else { "38" };
            out.extend_from_slice(pad(&spec, v, true).as_bytes());
            continue;
        }
        let alt = spec.contains('#');
        let (val, numeric): (String, bool) = match conv {
            b'%' => {
                out.push(b'%');
                continue;
            }
            b'n' => (name.to_string(), false),
            b'N' => {
                let q = |s: &str| {
                    if default { quotef(s) } else { quoteaf(s) }
                };
                let mut s = q(name);
                if m.is_symlink()
                    && let Ok(t) = ctx.vfs.read_link(name)
                {
                    s.push_str(" -> ");
                    s.push_str(&q(&t.to_string_lossy()));
                }
                (s, false)
            }
            b's' => (m.size.to_string(), true),
            b'a' => (
                if alt {
                    format!("{:#o}", m.mode).replace("0o", "0")
                } else {
                    format!("{:o}", m.mode)
                },
                true,
            ),
            b'A' => (mode_string(m.file_type, m.mode), false),
            b'f' => (format!("{:x}", m.st_mode()), false),
            b'F' => (file_type(m).to_string(), false),
            b'h' => (m.nlink.to_string(), true),
            b'i' => (m.ino.to_string(), true),
            b'u' => (m.uid.to_string(), true),
            b'U' => (user_name(m.uid), false),
            b'g' => (m.gid.to_string(), true),
            b'G' => (group_name(m.gid), false),
            b'b' => (m.blocks.to_string(), true),
            b'B' => ("512".into(), true),
            b'o' => (m.blksize.to_string(), true),
            b'd' => ("38".into(), true),
            b'D' => ("26".into(), false),
            b't' | b'T' => ("0".into(), false),
            b'm' => ("/".into(), false),
            b'x' => (full_time(m.atime, z), false),
            b'y' => (full_time(m.mtime, z), false),
            b'z' => (full_time(m.ctime, z), false),
            b'w' => ("-".into(), false),
            b'W' => ("0".into(), true),
            b'X' => (epoch(m.atime, &spec), true),
            b'Y' => (epoch(m.mtime, &spec), true),
            b'Z' => (epoch(m.ctime, &spec), true),
            b'C' => ("?".into(), false),
            _ => {
                out.push(b'?');
                continue;
            }
        };
        out.extend_from_slice(pad(&spec, &val, numeric).as_bytes());
    }
    out
}

/// Seconds since the epoch; a precision adds that many fraction digits (`%.Y` nine,
/// past nine zeros), as GNU stat prints `%.3Y`.
fn epoch(t: vfs_core::Timestamp, spec: &str) -> String {
    let Some((_, p)) = spec.split_once('.') else {
        return t.sec.to_string();
    };
    let p = if p.is_empty() {
        9
    } else {
        p.parse::<usize>().unwrap_or(0).min(1 << 10)
    };
    if p == 0 {
        return t.sec.to_string();
    }
    let mut frac = format!("{:09}", t.nsec);
    frac.truncate(p);
    while frac.len() < p {
        frac.push('0');
    }
    format!("{}.{frac}", t.sec)
}

/// Pad `val` as printf would with flags/width/precision `spec`.
fn pad(spec: &str, val: &str, numeric: bool) -> String {
    let left = spec.contains('-');
    let zero = spec.contains('0') && !left && numeric;
    let digits: String = spec
        .trim_start_matches(|c| "-+ #0'".contains(c))
        .to_string();
    let (w, p) = match digits.split_once('.') {
        Some((w, p)) => (
            w.parse().unwrap_or(0),
            Some(p.parse::<usize>().unwrap_or(0)),
        ),
        None => (digits.parse().unwrap_or(0usize), None),
    };
    let mut v = val.to_string();
    if let Some(p) = p
        && !numeric
    {
        v = v.chars().take(p).collect();
    }
    let w = w.min(1 << 16);
    let len = v.chars().count();
    if len >= w {
        return v;
    }
    let fill = w - len;
    if left {
        format!("{v}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{v}", "0".repeat(fill))
    } else {
        format!("{}{v}", " ".repeat(fill))
    }
}

//! `xxd`: hex dump (vim's xxd 2022-01-14): the default layout, `-p`, `-i`, `-b`, `-e`,
//! `-r` (also with `-p`), `-c -g -l -s -o -d -u -n -C`, and an optional output file.

use super::super::{Command, Ctx};
use super::read_operand;
use crate::io::Fd;

/// `xxd [options] [infile [outfile]]`
pub struct Xxd;

const USAGE: &str = "Usage:
       xxd [options] [infile [outfile]]
    or
       xxd -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]
Options:
    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.
    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.
    -C          capitalize variable names in C include file style (-i).
    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).
    -E          show characters in EBCDIC. Default ASCII.
    -e          little-endian dump (incompatible with -ps,-i,-r).
    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).
    -h          print this summary.
    -i          output in C include file style.
    -l len      stop after <len> octets.
    -n name     set the variable name used in C include output (-i).
    -o off      add <off> to the displayed file position.
    -ps         output in postscript plain hexdump style.
    -r          reverse operation: convert (or patch) hexdump into binary.
    -r -s off   revert with <off> added to file positions found in hexdump.
    -d          show offset in decimal instead of hex.
    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.
    -u          use upper case hex letters.
    -v          show version: \"xxd 2022-01-14 by Juergen Weigert et al.\".
";

#[derive(PartialEq, Eq, Clone, Copy)]
enum Mode {
    Normal,
    Little,
    Bits,
    Plain,
    Include,
}

/// C's `strtol(s, NULL, 0)`-ish: leading sign, `0x` hex, leading-`0` octal, stops at junk.
fn atol0(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, body) = if let Some(r) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, r)
    } else if t.starts_with('0') {
        (8, t)
    } else {
        (10, t)
    };
    let mut v: i64 = 0;
    for c in body.chars() {
        match c.to_digit(radix) {
            Some(d) => {
                v = v
                    .saturating_mul(i64::from(radix))
                    .saturating_add(i64::from(d))
            }
            None => break,
        }
    }
    if neg { -v } else { v }
}

fn hexval(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl Command for Xxd {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut mode = Mode::Normal;
        let mut cols: Option<i64> = None;
        let mut group: Option<i64> = None;
        let mut len: Option<i64> = None;
        let mut seek: i64 = 0;
        let mut disp_off: i64 = 0;
        let mut upper = false;
        let mut reverse = false;
        let mut decimal = false;
        let mut cap = false;
        let mut name: Option<String> = None;
        let mut files: Vec<String> = Vec::new();
        let usage = |ctx: &Ctx<'_>| {
            let _ = ctx.stderr.write_all(USAGE.as_bytes());
            1
        };
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if !a.starts_with('-') || a == "-" || !files.is_empty() {
                files.push(a.clone());
                continue;
            }
            let body = a.trim_start_matches('-');
            let c = body.chars().next().unwrap_or(' ');
            let value = |i: &mut usize, key: &str| -> Option<String> {
                let rest = body.strip_prefix(key).unwrap_or("");
                if !rest.is_empty() {
                    return Some(rest.to_string());
                }
                let v = args.get(*i).cloned();
                *i += 1;
                v
            };
            match c {
                'a' | 'E' => {}
                'b' => mode = Mode::Bits,
                'e' => mode = Mode::Little,
                'p' => mode = Mode::Plain,
                'i' => mode = Mode::Include,
                'u' => upper = true,
                'r' => reverse = true,
                'd' => decimal = true,
                'C' => cap = true,
                'h' => {
                    return usage(ctx);
                }
                'v' => {
                    let _ = ctx
                        .stderr
                        .write_all(b"xxd 2022-01-14 by Juergen Weigert et al.\n");
                    return 0;
                }
                'c' | 'g' | 'l' | 's' | 'o' | 'n' => {
                    let key = if body.starts_with("len") && c == 'l' {
                        "len"
                    } else if body.starts_with("cols") {
                        "cols"
                    } else if body.starts_with("groupsize") {
                        "groupsize"
                    } else if body.starts_with("seek") {
                        "seek"
                    } else if body.starts_with("name") {
                        "name"
                    } else {
                        &body[..1]
                    };
                    let Some(v) = value(&mut i, key) else {
                        return usage(ctx);
                    };
                    match c {
                        'c' => cols = Some(atol0(&v)),
                        'g' => group = Some(atol0(&v)),
                        'l' => len = Some(atol0(&v)),
                        's' => seek = atol0(&v),
                        'o' => disp_off = atol0(&v),
                        _ => name = Some(v),
                    }
                }
                _ => return usage(ctx),
            }
        }
        if files.len() > 2 {
            return usage(ctx);
        }
        let infile = files.first().cloned().unwrap_or_else(|| "-".into());
        let input: Vec<u8> = match read_operand(ctx, &infile) {
            Ok(d) => d,
            Err(m) => {
                // A directory opens, then fails to read: xxd names no file then.
                if infile != "-" && ctx.vfs.stat(&infile).is_ok_and(|m| m.is_dir()) {
                    ctx.err("Is a directory");
                } else {
                    ctx.err(&format!("{infile}: {m}"));
                }
                return 2;
            }
        };
        let mut out: Vec<u8> = Vec::new();
        if reverse {
            out = unhex(&input, mode == Mode::Plain, seek);
        } else {
            let cols_default = match mode {
                Mode::Plain => 30,
                Mode::Include => 12,
                Mode::Bits => 6,
                _ => 16,
            };
            let mut cols = cols.unwrap_or(cols_default);
            if cols == 0 {
                cols = cols_default;
            }
            if cols < 1 || (mode != Mode::Plain && cols > 256) {
                ctx.err("invalid number of columns (max. 256).");
                return 1;
            }
            let cols = cols as usize;
            if seek < 0 && infile == "-" {
                ctx.err("Sorry, cannot seek.");
                return 4;
            }
            let start = if seek < 0 {
                input.len().saturating_sub(seek.unsigned_abs() as usize)
            } else {
                (seek as usize).min(input.len())
            };
            let mut data = &input[start..];
            if let Some(l) = len
                && l >= 0
            {
                data = &data[..(l as usize).min(data.len())];
            }
            let hex: &[u8; 16] = if upper {
                b"0123456789ABCDEF"
            } else {
                b"0123456789abcdef"
            };
            match mode {
                Mode::Plain => {
                    for chunk in data.chunks(cols) {
                        for &b in chunk {
                            out.push(hex[usize::from(b >> 4)]);
                            out.push(hex[usize::from(b & 15)]);
                        }
                        out.push(b'\n');
                    }
                }
                Mode::Include => {
                    let named = infile != "-";
                    let var = name.clone().unwrap_or_else(|| {
                        let mut v: String = infile
                            .chars()
                            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                            .collect();
                        if v.starts_with(|c: char| c.is_ascii_digit()) {
                            v.insert_str(0, "__");
                        }
                        if cap {
                            v = v.to_ascii_uppercase();
                        }
                        v
                    });
                    if named || name.is_some() {
                        out.extend_from_slice(format!("unsigned char {var}[] = {{\n").as_bytes());
                    }
                    let x = if upper { "0X" } else { "0x" };
                    for (k, chunk) in data.chunks(cols).enumerate() {
                        if k > 0 {
                            out.extend_from_slice(b",\n");
                        }
                        let items: Vec<String> = chunk
                            .iter()
                            .map(|b| {
                                format!(
                                    "{x}{}{}",
                                    hex[usize::from(b >> 4)] as char,
                                    hex[usize::from(b & 15)] as char
                                )
                            })
                            .collect();
                        out.extend_from_slice(format!("  {}", items.join(", ")).as_bytes());
                    }
                    if !data.is_empty() {
                        out.push(b'\n');
                    }
                    if named || name.is_some() {
                        let suffix = if cap { "_LEN" } else { "_len" };
                        out.extend_from_slice(
                            format!("}};\nunsigned int {var}{suffix} = {};\n", data.len())
                                .as_bytes(),
                        );
                    }
                }
                _ => {
                    let mut g = group.unwrap_or(match mode {
                        Mode::Little => 4,
                        Mode::Bits => 1,
                        _ => 2,
                    });
                    if mode == Mode::Little && g > 0 && (g & (g - 1)) != 0 {
                        ctx.err("number of octets per group must be a power of 2 with -e.");
                        return 1;
                    }
                    if g < 1 || g as usize > cols {
                        g = cols as i64;
                    }
                    let g = g as usize;
                    let grplen = if mode == Mode::Bits {
                        8 * g + 1
                    } else {
                        2 * g + 1
                    };
                    let base = start as i64 + disp_off;
                    for (k, chunk) in data.chunks(cols).enumerate() {
                        let addr = base + (k * cols) as i64;
                        let a = if decimal {
                            format!("{addr:08}:")
                        } else {
                            format!("{addr:08x}:")
                        };
                        let alen = a.len();
                        let ascii_col = alen + 3 + (grplen * cols - 1) / g;
                        let mut l = vec![b' '; ascii_col + chunk.len()];
                        l[..alen].copy_from_slice(a.as_bytes());
                        for (p, &e) in chunk.iter().enumerate() {
                            let x = if mode == Mode::Little { p ^ (g - 1) } else { p };
                            let c = alen + 1 + (grplen * x) / g;
                            if mode == Mode::Bits {
                                for bit in 0..8 {
                                    if let Some(slot) = l.get_mut(c + bit) {
                                        *slot = if e & (0x80 >> bit) != 0 { b'1' } else { b'0' };
                                    }
                                }
                            } else if c + 1 < l.len() {
                                l[c] = hex[usize::from(e >> 4)];
                                l[c + 1] = hex[usize::from(e & 15)];
                            }
                            l[ascii_col + p] = if (32..127).contains(&e) { e } else { b'.' };
                        }
                        out.extend_from_slice(&l);
                        out.push(b'\n');
                    }
                }
            }
        }
        if let Some(outfile) = files.get(1).filter(|f| f.as_str() != "-") {
            let fd = match ctx
                .vfs
                .open(outfile, &vfs_core::OpenOptions::create_truncate())
            {
                Ok(h) => Fd::File {
                    handle: std::sync::Arc::new(parking_lot::Mutex::new(h)),
                    path: outfile.as_str().into(),
                },
                Err(e) => {
                    ctx.err(&format!("{outfile}: {}", e.errno().message()));
                    return 3;
                }
            };
            if let Err(e) = fd.write_all(&out) {
                ctx.err(&format!("{outfile}: {}", crate::io::errno_message(&e)));
                return 3;
            }
            return 0;
        }
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

/// `xxd -r`: hex dump back to bytes (`plain` for `-p`), gaps filled with zeros.
fn unhex(input: &[u8], plain: bool, seek: i64) -> Vec<u8> {
    let mut out = Vec::new();
    for line in input.split(|&c| c == b'\n') {
        if plain {
            let mut pending: Option<u8> = None;
            for &c in line {
                if c == b' ' || c == b'\t' || c == b'\r' {
                    continue;
                }
                match hexval(c) {
                    Some(v) => match pending.take() {
                        Some(h) => out.push((h << 4) | v),
                        None => pending = Some(v),
                    },
                    None => break,
                }
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&c| c == b':') else {
            continue;
        };
        let mut addr: i64 = 0;
        let mut ok = true;
        for &c in line[..colon].iter().filter(|c| !c.is_ascii_whitespace()) {
            match hexval(c) {
                Some(v) => addr = addr.saturating_mul(16).saturating_add(i64::from(v)),
                None => ok = false,
            }
        }
        if !ok {
            continue;
        }
        let mut pos = (addr + seek).max(0) as usize;
        let mut pending: Option<u8> = None;
        let mut junk = 0;
        for &c in &line[colon + 1..] {
            match hexval(c) {
                Some(v) => {
                    junk = 0;
                    match pending.take() {
                        Some(h) => {
                            if out.len() < pos {
                                out.resize(pos, 0);
                            }
                            if pos < out.len() {
                                out[pos] = (h << 4) | v;
                            } else {
                                out.push((h << 4) | v);
                            }
                            pos += 1;
                        }
                        None => pending = Some(v),
                    }
                }
                None => {
                    pending = None;
                    junk += 1;
                    if junk >= 2 {
                        break;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    #[test]
    fn dump_and_back() {
        let (o, _, _) = run(&Xxd, &["xxd"], b"hello\n");
        assert_eq!(
            o,
            "00000000: 6865 6c6c 6f0a                           hello.\n"
        );
        let (o, _, _) = run(&Xxd, &["xxd", "-r", "-p"], b"6162\n 63 zz 64");
        assert_eq!(o, "abc");
        let (o, _, _) = run(&Xxd, &["xxd", "-r"], o_line().as_bytes());
        assert_eq!(o, "hello\n");
    }

    fn o_line() -> String {
        "00000000: 6865 6c6c 6f0a                           hello.\n".into()
    }
}

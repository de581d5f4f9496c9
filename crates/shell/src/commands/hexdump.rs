//! `hexdump` / `hd` (util-linux 2.38.1): the default 16-bit word format and `-C`
//! canonical hex+ASCII, with `-n`, `-s`, `-v` and `*` for repeated lines.

use super::{Ctx, read_operand};

/// `hexdump [-Cv] [-n LEN] [-s OFF] [file ...]`; `canonical` is set for `hd`.
pub struct Hexdump {
    pub canonical: bool,
}

fn parse_num(s: &str) -> Option<u64> {
    let (digits, mul) = match s.char_indices().last() {
        Some((i, 'k')) | Some((i, 'K')) => (&s[..i], 1024),
        Some((i, 'm')) | Some((i, 'M')) => (&s[..i], 1 << 20),
        _ => (s, 1),
    };
    let v = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(h, 16).ok()?
    } else {
        digits.parse().ok()?
    };
    v.checked_mul(mul)
}

impl crate::commands::Command for Hexdump {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut canonical = self.canonical;
        let mut squeeze = true;
        let mut length: Option<u64> = None;
        let mut skip: u64 = 0;
        let mut files = Vec::new();
        let args = ctx.args[1..].to_vec();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if a == "--" {
                files.extend(args[i..].iter().cloned());
                break;
            }
            if !a.starts_with('-') || a == "-" {
                files.push(a.clone());
                continue;
            }
            for (pos, c) in a[1..].char_indices() {
                match c {
                    'C' => canonical = true,
                    'v' => squeeze = false,
                    'n' | 's' => {
                        let rest = &a[1 + pos + 1..];
                        let val = if !rest.is_empty() {
                            rest.to_string()
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            ctx.err(&format!("option requires an argument -- '{c}'"));
                            return 1;
                        };
                        let Some(v) = parse_num(&val) else {
                            let what = if c == 'n' { "length" } else { "offset" };
                            ctx.err(&format!("failed to parse {what}: '{val}'"));
                            return 1;
                        };
                        if c == 'n' {
                            length = Some(v);
                        } else {
                            skip = v;
                        }
                        break;
                    }
                    'b' | 'c' | 'd' | 'o' | 'x' | 'e' | 'f' | 'L' => {
                        // Real options of util-linux hexdump that are not built here.
                        ctx.err(&format!("option -- '{c}' is not supported in agentsh"));
                        return 1;
                    }
                    _ => {
                        ctx.err(&format!("invalid option -- '{c}'"));
                        return 1;
                    }
                }
            }
        }
        let mut data = Vec::new();
        let mut failed = 0;
        let given = files.len();
        if files.is_empty() {
            files.push("-".into());
        }
        for f in &files {
            match read_operand(ctx, f) {
                Ok(d) => data.extend(d),
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    failed += 1;
                }
            }
        }
        if given > 0 && failed == given {
            ctx.err("all input file arguments failed");
            return 1;
        }
        let start = (skip as usize).min(data.len());
        let mut end = data.len();
        if let Some(n) = length {
            end = end.min(start.saturating_add(n as usize));
        }
        if data.is_empty() {
            return if failed > 0 { 1 } else { 0 };
        }
        let body = &data[start..end];
        let out = dump(body, start, canonical, squeeze);
        if let Err(s) = ctx.out(out.as_bytes()) {
            return super::stopped(s);
        }
        if failed > 0 { 1 } else { 0 }
    }
}

/// Render `data` (which starts at file offset `base`).
pub(crate) fn dump(data: &[u8], base: usize, canonical: bool, squeeze: bool) -> String {
    let mut out = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (k, line) in data.chunks(16).enumerate() {
        let off = base + k * 16;
        if squeeze && line.len() == 16 && prev == Some(line) {
            if !starred {
                out.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(line);
        if canonical {
            out.push_str(&format!("{off:08x}  "));
            for j in 0..16 {
                match line.get(j) {
                    Some(b) => out.push_str(&format!("{b:02x} ")),
                    None => out.push_str("   "),
                }
                if j == 7 {
                    out.push(' ');
                }
            }
            out.push_str(" |");
            for &b in line {
                out.push(if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                });
            }
            out.push_str("|\n");
        } else {
            out.push_str(&format!("{off:07x}"));
            for w in line.chunks(2) {
                let v = w[0] as u16 | (w.get(1).copied().unwrap_or(0) as u16) << 8;
                out.push_str(&format!(" {v:04x}"));
            }
            for _ in line.len().div_ceil(2)..8 {
                out.push_str("     ");
            }
            out.push('\n');
        }
    }
    let total = base + data.len();
    if canonical {
        out.push_str(&format!("{total:08x}\n"));
    } else {
        out.push_str(&format!("{total:07x}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::dump;

    #[test]
    fn canonical_and_default() {
        assert_eq!(
            dump(b"hello", 0, true, true),
            "00000000  68 65 6c 6c 6f                                    |hello|\n00000005\n"
        );
        assert_eq!(
            dump(b"hello\n", 0, false, true),
            "0000000 6568 6c6c 0a6f                         \n0000006\n"
        );
        let z = [0u8; 40];
        assert!(dump(&z, 0, true, true).contains("\n*\n00000020"));
        assert!(!dump(&z, 0, true, false).contains('*'));
    }

    #[test]
    fn formats_not_built_are_refused_not_misprinted() {
        let mut sh = crate::Shell::new(vfs_core::Vfs::new());
        let r = sh.exec("printf abc | hexdump -x");
        assert_eq!(r.status, 1);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr_str().contains("'x' is not supported"),
            "{}",
            r.stderr_str()
        );
    }
}

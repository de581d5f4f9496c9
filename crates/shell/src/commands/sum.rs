//! `sum` (GNU coreutils 9.1): the BSD (`-r`, default) and System V (`-s`) checksums with
//! their block counts.

use super::{Ctx, read_operand, try_help};

/// `sum [-rs] [file ...]`
pub struct Sum;

/// BSD checksum and 1K-block count.
fn bsd(data: &[u8]) -> String {
    let mut ck: u32 = 0;
    for &b in data {
        ck = (ck >> 1) + ((ck & 1) << 15);
        ck = (ck + b as u32) & 0xffff;
    }
    format!("{ck:05} {:5}", data.len().div_ceil(1024))
}

/// System V checksum and 512-byte block count.
fn sysv(data: &[u8]) -> String {
    let s: u64 = data.iter().map(|&b| b as u64).sum();
    let r = (s & 0xffff) + ((s & 0xffff_ffff) >> 16);
    let ck = (r & 0xffff) + (r >> 16);
    format!("{ck} {}", data.len().div_ceil(512))
}

impl crate::commands::Command for Sum {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut sys = false;
        let mut files = Vec::new();
        for a in &ctx.args[1..] {
            match a.as_str() {
                "-r" => sys = false,
                "-s" | "--sysv" => sys = true,
                "-rs" | "-sr" => sys = a == "-rs",
                s if s.starts_with('-') && s.len() > 1 => {
                    return try_help(ctx, &format!("invalid option -- '{}'", &s[1..2]), 1);
                }
                _ => files.push(a.clone()),
            }
        }
        let named = !files.is_empty();
        if files.is_empty() {
            files.push("-".into());
        }
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
            let mut line = if sys { sysv(&data) } else { bsd(&data) };
            if named && f != "-" {
                line.push(' ');
                line.push_str(f);
            }
            line.push('\n');
            if let Err(s) = ctx.out(line.as_bytes()) {
                return super::stopped(s);
            }
        }
        status
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn checksums() {
        assert_eq!(super::bsd(b"hello\n"), "36979     1");
        assert_eq!(super::sysv(b"hello\n"), "542 1");
    }
}

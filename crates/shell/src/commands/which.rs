//! `which`: locate commands in `PATH` (Debian's `which`): files with execute permission
//! in the VFS, and the shell's registered commands, which stand in `/usr/bin` and `/bin`.

use super::super::{Command, Ctx, Registry};
use super::env::ALSO_PROGRAMS;

/// `which [-a] NAME...`
pub struct Which;

fn executable(ctx: &Ctx<'_>, path: &str) -> bool {
    match ctx.vfs.stat(path) {
        Ok(m) => !m.file_type.is_dir() && m.mode & 0o111 != 0,
        Err(_) => false,
    }
}

impl Command for Which {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut all = false;
        let mut names = Vec::new();
        let mut opts = true;
        for a in &ctx.args[1..] {
            if opts && a == "-a" {
                all = true;
            } else if opts && a.starts_with('-') && a.len() > 1 {
                if a == "--" {
                    opts = false;
                    continue;
                }
                let _ = ctx.stderr.write_all(b"Illegal option ");
                let _ = ctx.stderr.write_all(a.as_bytes());
                let _ = ctx.stderr.write_all(b"\nUsage: /usr/bin/which [-a] args\n");
                return 2;
            } else {
                opts = false;
                names.push(a.clone());
            }
        }
        let reg = Registry::standard();
        let path = ctx.env.get("PATH").cloned().unwrap_or_default();
        let mut status = i32::from(names.is_empty());
        let mut out = String::new();
        for n in &names {
            let mut found = false;
            if n.contains('/') {
                if executable(ctx, n) {
                    out.push_str(n);
                    out.push('\n');
                    found = true;
                }
            } else {
                for dir in path.split(':') {
                    let dir = if dir.is_empty() { "." } else { dir };
                    let full = format!("{dir}/{n}");
                    let builtin = (dir == "/usr/bin" || dir == "/bin")
                        && (reg.get(n).is_some() || ALSO_PROGRAMS.contains(&n.as_str()));
                    if builtin || executable(ctx, &full) {
                        out.push_str(&full);
                        out.push('\n');
                        found = true;
                        if !all {
                            break;
                        }
                    }
                }
            }
            if !found {
                status = 1;
            }
        }
        match ctx.out(out.as_bytes()) {
            Ok(()) => status,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

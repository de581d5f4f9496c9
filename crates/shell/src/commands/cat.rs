//! `cat`: concatenate files to standard output. Options are not built yet (issue 4) and
//! are refused with GNU's message rather than ignored.

use super::{Command, Ctx};

/// `cat [FILE]...`
pub struct Cat;

impl Command for Cat {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut files: Vec<&str> = Vec::new();
        let mut opts_done = false;
        for a in &ctx.args[1..] {
            if !opts_done && a == "--" {
                opts_done = true;
            } else if !opts_done && a.len() > 1 && a.starts_with('-') {
                ctx.err(&format!("option not supported yet: '{a}'"));
                ctx.err("Try 'cat --help' for more information.");
                return 1;
            } else {
                files.push(a);
            }
        }
        if files.is_empty() {
            files.push("-");
        }
        let mut status = 0;
        let mut buf = vec![0u8; 64 * 1024];
        for f in files {
            let fd = match ctx.open_input(f) {
                Ok(fd) => fd,
                Err(msg) => {
                    ctx.err(&msg);
                    status = 1;
                    continue;
                }
            };
            loop {
                match fd.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if let Err(stop) = ctx.out(&buf[..n]) {
                            return Ctx::stop_status(stop);
                        }
                    }
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{f}: {}", crate::io::errno_message(&e)));
                        status = 1;
                        break;
                    }
                }
            }
        }
        status
    }
}

//! `dirname`: strip the last component from file names (`-z`).

use super::common::{Parsed, dir_name, parse, usage_msg};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `dirname [OPTION] NAME...`
pub struct Dirname;

impl Command for Dirname {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(ctx, "", "z", &["zero", "help", "version"], 1) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let mut zero = false;
        let mut names = Vec::new();
        for a in items {
            match a {
                Arg::Short('z', _) | Arg::Long(..) => zero = true,
                Arg::Operand(o) => names.push(o),
                Arg::Short(..) => {}
            }
        }
        if names.is_empty() {
            return usage_msg(ctx, "missing operand", 1);
        }
        let mut out = Vec::new();
        for n in &names {
            out.extend_from_slice(dir_name(n).as_bytes());
            out.push(if zero { 0 } else { b'\n' });
        }
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(s) => Ctx::stop_status(s),
        }
    }
}

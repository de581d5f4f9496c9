//! `basename`: strip directory and suffix from names (`-a`, `-s SUFFIX`, `-z`).

use super::common::{Parsed, base_name, parse, quoteaf, usage_msg};
use crate::commands::util::Arg;
use crate::commands::{Command, Ctx};

/// `basename NAME [SUFFIX]` / `basename OPTION... NAME...`
pub struct Basename;

impl Command for Basename {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let items = match parse(
            ctx,
            "s",
            "az",
            &["multiple", "suffix=", "zero", "help", "version"],
            1,
        ) {
            Parsed::Args(a) => a,
            Parsed::Exit(s) => return s,
        };
        let (mut multiple, mut zero, mut suffix) = (false, false, None::<String>);
        let mut names = Vec::new();
        for a in items {
            match a {
                Arg::Short('a', _) => multiple = true,
                Arg::Short('z', _) => zero = true,
                Arg::Short('s', v) => {
                    suffix = v;
                    multiple = true;
                }
                Arg::Long(n, v) => match n.as_str() {
                    "multiple" => multiple = true,
                    "zero" => zero = true,
                    "suffix" => {
                        suffix = v;
                        multiple = true;
                    }
                    _ => {}
                },
                Arg::Operand(o) => names.push(o),
                Arg::Short(..) => {}
            }
        }
        if names.is_empty() {
            return usage_msg(ctx, "missing operand", 1);
        }
        if !multiple {
            if names.len() > 2 {
                return usage_msg(ctx, &format!("extra operand {}", quoteaf(&names[2])), 1);
            }
            if names.len() == 2 {
                suffix = Some(names.remove(1));
            }
        }
        let mut out = Vec::new();
        for n in &names {
            let mut b = base_name(n).to_string();
            if let Some(s) = &suffix
                && !s.is_empty()
                && b.len() > s.len()
                && b.ends_with(s.as_str())
                && b != "/"
            {
                b.truncate(b.len() - s.len());
            }
            out.extend_from_slice(b.as_bytes());
            out.push(if zero { 0 } else { b'\n' });
        }
        match ctx.out(&out) {
            Ok(()) => 0,
            Err(s) => Ctx::stop_status(s),
        }
    }
}

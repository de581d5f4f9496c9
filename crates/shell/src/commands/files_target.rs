//! Operand handling shared by `cp` and `mv`: SOURCE... DEST, `-t DIR` and `-T`.

use super::common::{base_name, join, quoteaf, usage_msg};
use crate::commands::Ctx;

/// Pair each source with its destination path, or print GNU's error and give the status.
pub(super) fn pairs(
    ctx: &Ctx<'_>,
    mut ops: Vec<String>,
    target_dir: Option<String>,
    no_target: bool,
) -> Result<Vec<(String, String)>, i32> {
    if let Some(d) = target_dir {
        if no_target {
            return Err(usage_msg(
                ctx,
                "cannot combine --target-directory (-t) and --no-target-directory (-T)",
                1,
            ));
        }
        if ops.is_empty() {
            return Err(usage_msg(ctx, "missing file operand", 1));
        }
        match ctx.vfs.stat(&d) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                ctx.err(&format!(
                    "target directory {}: Not a directory",
                    quoteaf(&d)
                ));
                return Err(1);
            }
            Err(e) => {
                ctx.err(&format!(
                    "target directory {}: {}",
                    quoteaf(&d),
                    e.errno().message()
                ));
                return Err(1);
            }
        }
        return Ok(ops
            .iter()
            .map(|s| (s.clone(), join(&d, base_name(s))))
            .collect());
    }
    if ops.is_empty() {
        return Err(usage_msg(ctx, "missing file operand", 1));
    }
    if ops.len() == 1 {
        return Err(usage_msg(
            ctx,
            &format!(
                "missing destination file operand after {}",
                quoteaf(&ops[0])
            ),
            1,
        ));
    }
    if no_target {
        if ops.len() > 2 {
            return Err(usage_msg(
                ctx,
                &format!("extra operand {}", quoteaf(&ops[2])),
                1,
            ));
        }
        let d = ops.pop().unwrap_or_default();
        let s = ops.pop().unwrap_or_default();
        return Ok(vec![(s, d)]);
    }
    let last = ops.pop().unwrap_or_default();
    if ctx.vfs.stat(&last).is_ok_and(|m| m.is_dir()) {
        return Ok(ops
            .iter()
            .map(|s| (s.clone(), join(&last, base_name(s))))
            .collect());
    }
    if ops.len() > 1 {
        // GNU reports why the target is not a directory: missing, or something else.
        let why = match ctx.vfs.stat(&last) {
            Err(e) => e.errno().message(),
            Ok(_) => "Not a directory",
        };
        ctx.err(&format!("target {}: {why}", quoteaf(&last)));
        return Err(1);
    }
    let s = ops.pop().unwrap_or_default();
    Ok(vec![(s, last)])
}

/// True if `dst` lies inside the directory `src` (after resolving both).
pub(super) fn inside(ctx: &Ctx<'_>, src: &str, dst: &str) -> bool {
    let (Ok(s), Ok(d)) = (
        super::realpath::canon(ctx, src, 'm'),
        super::realpath::canon(ctx, dst, 'm'),
    ) else {
        return false;
    };
    d == s || d.starts_with(&format!("{}/", s.trim_end_matches('/')))
}

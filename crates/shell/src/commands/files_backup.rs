//! Backups of files about to be overwritten, for `cp` and `mv` (`-b`, `--backup[=CONTROL]`,
//! `-S SUFFIX`), as gnulib's `backupfile` makes them: `NAME~` (simple), `NAME.~N~`
//! (numbered), or numbered only when numbered backups already exist (existing).

use super::common::quoteaf;
use crate::commands::Ctx;

/// How backups are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Control {
    None,
    Simple,
    Numbered,
    Existing,
}

/// The backup settings gathered from the options.
#[derive(Clone, Debug, Default)]
pub(super) struct Backup {
    /// `-b` or `--backup` given, with its CONTROL word if any.
    pub requested: Option<Option<String>>,
    /// `-S`/`--suffix`.
    pub suffix: Option<String>,
}

/// The settings in force: the control and the simple suffix.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    control: Control,
    suffix: String,
}

impl Backup {
    /// Resolve against `VERSION_CONTROL` and `SIMPLE_BACKUP_SUFFIX`; `Err(status)` after
    /// reporting a bad CONTROL word.
    pub fn plan(&self, ctx: &Ctx<'_>) -> Result<Option<Plan>, i32> {
        // `-S` alone asks for backups too.
        let word = match (&self.requested, &self.suffix) {
            (Some(w), _) => w.clone(),
            (None, Some(_)) => None,
            (None, None) => return Ok(None),
        };
        let (word, what) = match word {
            Some(w) => (w, "backup type"),
            None => match ctx.env.get("VERSION_CONTROL").filter(|v| !v.is_empty()) {
                Some(v) => (v.clone(), "$VERSION_CONTROL"),
                None => ("existing".to_string(), "backup type"),
            },
        };
        let control = match word.as_str() {
            "none" | "off" => Control::None,
            "simple" | "never" => Control::Simple,
            "existing" | "nil" => Control::Existing,
            "numbered" | "t" => Control::Numbered,
            _ => {
                ctx.err(&format!(
                    "invalid argument {} for '{what}'",
                    super::common::quote(&word)
                ));
                let _ = ctx.stderr.write_all(
                    b"Valid arguments are:\n  - 'none', 'off'\n  - 'simple', 'never'\n  - 'existing', 'nil'\n  - 'numbered', 't'\n",
                );
                let _ = ctx.stderr.write_all(
                    format!("Try '{} --help' for more information.\n", ctx.name()).as_bytes(),
                );
                return Err(1);
            }
        };
        if control == Control::None {
            return Ok(None);
        }
        let suffix = self
            .suffix
            .clone()
            .or_else(|| {
                ctx.env
                    .get("SIMPLE_BACKUP_SUFFIX")
                    .filter(|s| !s.is_empty() && !s.contains('/'))
                    .cloned()
            })
            .unwrap_or_else(|| "~".to_string());
        Ok(Some(Plan { control, suffix }))
    }
}

/// The highest `N` of the `NAME.~N~` backups next to `dst`.
fn highest_number(ctx: &Ctx<'_>, dst: &str) -> u64 {
    let (dir, base) = match dst.rfind('/') {
        Some(i) => (if i == 0 { "/" } else { &dst[..i] }, &dst[i + 1..]),
        None => (".", dst),
    };
    let prefix = format!("{base}.~");
    let Ok(entries) = ctx.vfs.read_dir(dir) else {
        return 0;
    };
    entries
        .iter()
        .filter_map(|e| {
            let name = String::from_utf8_lossy(e.name_bytes());
            let n = name.strip_prefix(&prefix)?.strip_suffix('~')?;
            if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) || n.starts_with('0') {
                return None;
            }
            n.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Move `dst` aside before it is overwritten; the backup's name, or `Err(())` after
/// reporting a failure.
pub(super) fn make(ctx: &Ctx<'_>, plan: &Plan, dst: &str) -> Result<String, ()> {
    let numbered = match plan.control {
        Control::Numbered => Some(highest_number(ctx, dst)),
        Control::Existing => Some(highest_number(ctx, dst)).filter(|&n| n > 0),
        _ => None,
    };
    let name = match numbered {
        Some(n) => format!("{dst}.~{}~", n + 1),
        None => format!("{dst}{}", plan.suffix),
    };
    match ctx.vfs.rename(dst, &name) {
        Ok(()) => Ok(name),
        Err(e) => {
            ctx.err(&format!(
                "cannot backup {}: {}",
                quoteaf(dst),
                e.errno().message()
            ));
            Err(())
        }
    }
}

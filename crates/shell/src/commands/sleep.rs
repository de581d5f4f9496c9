//! `sleep`: pause for the sum of its intervals (`s m h d` suffixes, fractions, `inf`),
//! waking every few milliseconds to honour cancellation (status 130), and never past
//! the shell's time limit (the shell then ends the script with that limit).

use super::super::{Command, Ctx};
use super::{print_text, quote, try_help, version};

/// `sleep NUMBER[SUFFIX]...`
pub struct Sleep;

/// Parse a GNU duration (`1.5`, `2m`, `1h`, `inf`) into seconds.
pub(super) fn parse_duration(s: &str) -> Option<f64> {
    let (num, mult) = match s.as_bytes().last() {
        Some(b's') => (&s[..s.len() - 1], 1.0),
        Some(b'm') => (&s[..s.len() - 1], 60.0),
        Some(b'h') => (&s[..s.len() - 1], 3600.0),
        Some(b'd') => (&s[..s.len() - 1], 86_400.0),
        _ => (s, 1.0),
    };
    let lower = num.to_ascii_lowercase();
    let v: f64 = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else {
        if num.is_empty()
            || !num.bytes().all(|c| {
                c.is_ascii_digit() || c == b'.' || c == b'+' || c == b'e' || c == b'E' || c == b'-'
            })
            || num.starts_with('-')
        {
            return None;
        }
        num.parse().ok()?
    };
    if v.is_nan() || v < 0.0 {
        return None;
    }
    Some(v * mult)
}

/// Sleep `secs` seconds in small steps, stopping early at the shell's deadline; false
/// if cancelled.
pub(super) fn nap(ctx: &Ctx<'_>, secs: f64) -> bool {
    let start = std::time::Instant::now();
    let mut total = if secs.is_finite() {
        std::time::Duration::from_secs_f64(secs.min(1e9))
    } else {
        std::time::Duration::from_secs(u64::MAX / 4)
    };
    if let Some(d) = ctx.deadline {
        total = total.min(d.saturating_duration_since(start));
    }
    loop {
        if ctx.cancel.is_cancelled() {
            return false;
        }
        let spent = start.elapsed();
        if spent >= total {
            return true;
        }
        let left = total - spent;
        std::thread::sleep(left.min(std::time::Duration::from_millis(10)));
    }
}

impl Command for Sleep {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut ops = Vec::new();
        let mut only = false;
        for a in &ctx.args[1..] {
            if !only && a == "--" {
                only = true;
                continue;
            }
            if !only && a.starts_with("--") {
                if "--help".starts_with(a.as_str()) && a.len() > 2 {
                    return print_text(ctx, HELP);
                }
                if "--version".starts_with(a.as_str()) && a.len() > 2 {
                    return version(ctx, "sleep", "Written by Jim Meyering and Paul Eggert.");
                }
                return try_help(ctx, &format!("unrecognized option '{a}'"), 1);
            }
            if !only && a.len() > 1 && a.starts_with('-') {
                let c = a[1..].chars().next().unwrap_or('-');
                return try_help(ctx, &format!("invalid option -- '{c}'"), 1);
            }
            ops.push(a.clone());
        }
        if ops.is_empty() {
            return try_help(ctx, "missing operand", 1);
        }
        let mut total = 0.0;
        let mut bad = false;
        for o in &ops {
            match parse_duration(o) {
                Some(v) => total += v,
                None => {
                    ctx.err(&format!("invalid time interval {}", quote(o)));
                    bad = true;
                }
            }
        }
        if bad {
            let _ = ctx
                .stderr
                .write_all(b"Try 'sleep --help' for more information.\n");
            return 1;
        }
        if nap(ctx, total) { 0 } else { 130 }
    }
}

const HELP: &str = r#"Usage: sleep NUMBER[SUFFIX]...
  or:  sleep OPTION
Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
integer.  Given two or more arguments, pause for the amount of time
specified by the sum of their values.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sleep>
or available locally via: info '(coreutils) sleep invocation'
"#;

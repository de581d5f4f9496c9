//! Limit options: the shell's [`ShellLimits`] and the filesystem's [`Limits`], each with
//! its option name, help line and default (checked against the libraries' defaults by a
//! test, so `--help` cannot drift from them).

use std::time::Duration;

use runner::shell::ShellLimits;
use runner::shell::vfs_core::Limits;

/// The limits of one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LimitArgs {
    /// Shell limits (per script or per interactive line).
    pub shell: ShellLimits,
    /// Filesystem limits (for the whole session).
    pub vfs: Limits,
}

/// How an option's value is read.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Size,
    Count,
    Duration,
}

/// One limit option.
pub struct LimitOption {
    /// `--max-memory`.
    pub name: &'static str,
    /// `SIZE`, `N` or `DURATION`.
    pub metavar: &'static str,
    /// What it limits.
    pub help: &'static str,
    /// The default, as it would be written on the command line.
    pub default: &'static str,
    kind: Kind,
}

const fn opt(
    name: &'static str,
    kind: Kind,
    help: &'static str,
    default: &'static str,
) -> LimitOption {
    let metavar = match kind {
        Kind::Size => "SIZE",
        Kind::Count => "N",
        Kind::Duration => "DURATION",
    };
    LimitOption {
        name,
        metavar,
        help,
        default,
        kind,
    }
}

/// Every limit option, in `--help` order.
pub const LIMIT_OPTIONS: &[LimitOption] = &[
    opt(
        "--max-memory",
        Kind::Size,
        "bytes of file data in the filesystem",
        "1G",
    ),
    opt(
        "--max-files",
        Kind::Count,
        "files, directories and symlinks",
        "1000000",
    ),
    opt("--max-file-size", Kind::Size, "size of one file", "1G"),
    opt("--timeout", Kind::Duration, "wall-clock time", "30s"),
    opt(
        "--max-output",
        Kind::Size,
        "bytes of stdout plus stderr",
        "64M",
    ),
    opt(
        "--max-commands",
        Kind::Count,
        "commands executed",
        "50000000",
    ),
    opt(
        "--max-loop-iterations",
        Kind::Count,
        "loop iterations, all loops together",
        "20000000",
    ),
    opt(
        "--max-call-depth",
        Kind::Count,
        "nested function calls",
        "1000",
    ),
    opt(
        "--max-subshell-depth",
        Kind::Count,
        "nested subshells and substitutions",
        "64",
    ),
    opt(
        "--max-string",
        Kind::Size,
        "bytes in one string or variable",
        "64M",
    ),
    opt(
        "--max-array",
        Kind::Count,
        "elements in one array",
        "4000000",
    ),
    opt(
        "--max-brace-words",
        Kind::Count,
        "words from one brace expansion",
        "1000000",
    ),
    opt(
        "--max-glob-results",
        Kind::Count,
        "paths from one glob",
        "200000",
    ),
    opt(
        "--max-heredoc",
        Kind::Size,
        "bytes of one here-document",
        "16M",
    ),
    opt(
        "--max-parse",
        Kind::Size,
        "bytes of script text parsed at once",
        "16M",
    ),
    opt(
        "--max-concurrency",
        Kind::Count,
        "pipeline stages and jobs at once",
        "256",
    ),
];

impl LimitArgs {
    /// Set the limit option `name` from its command-line `value`.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let o = LIMIT_OPTIONS
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| format!("{name}: invalid option"))?;
        let bad = |what: &str| format!("{name} {value}: {what}");
        let n = match o.kind {
            Kind::Size => {
                parse_size(value).ok_or_else(|| bad("expected a size like 512K, 64M or 1G"))?
            }
            Kind::Count => value
                .parse::<u64>()
                .map_err(|_| bad("expected a whole number"))?,
            Kind::Duration => {
                let d = parse_duration(value)
                    .ok_or_else(|| bad("expected a duration like 500ms, 10s or 2m"))?;
                self.shell.timeout = d;
                return Ok(());
            }
        };
        let us = usize::try_from(n).unwrap_or(usize::MAX);
        let s = &mut self.shell;
        let v = &mut self.vfs;
        match name {
            "--max-memory" => v.max_bytes = n,
            "--max-files" => v.max_inodes = n,
            "--max-file-size" => v.max_file_size = n.min(i64::MAX as u64),
            "--max-output" => s.max_output = n,
            "--max-commands" => s.max_commands = n,
            "--max-loop-iterations" => s.max_loop_iterations = n,
            "--max-call-depth" => s.max_call_depth = us,
            "--max-subshell-depth" => s.max_subshell_depth = us,
            "--max-string" => s.max_string = us,
            "--max-array" => s.max_array = us,
            "--max-brace-words" => s.max_brace_words = us,
            "--max-glob-results" => s.max_glob_results = us,
            "--max-heredoc" => s.max_heredoc = us,
            "--max-parse" => s.max_parse = us,
            "--max-concurrency" => s.max_concurrency = us,
            _ => return Err(format!("{name}: invalid option")),
        }
        Ok(())
    }
}

/// `123`, `64K`, `64M`, `1G`, `2T` (powers of 1024; a trailing `B`/`iB` is allowed).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let s = s
        .strip_suffix("iB")
        .or_else(|| s.strip_suffix('B'))
        .unwrap_or(s);
    let (num, shift) = match s.char_indices().last()? {
        (i, 'k' | 'K') => (&s[..i], 10),
        (i, 'm' | 'M') => (&s[..i], 20),
        (i, 'g' | 'G') => (&s[..i], 30),
        (i, 't' | 'T') => (&s[..i], 40),
        _ => (s, 0),
    };
    let n: u64 = num.parse().ok()?;
    n.checked_mul(1u64 << shift)
}

/// `500ms`, `10s`, `10`, `2m`, `1h`, `1.5s`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (s, 1.0)
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let secs = num.parse::<f64>().ok()? * unit;
    Duration::try_from_secs_f64(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_are_the_real_ones() {
        let mut l = LimitArgs::default();
        for o in LIMIT_OPTIONS {
            l.set(o.name, o.default).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(l, LimitArgs::default());
        // And each option changes something.
        for o in LIMIT_OPTIONS {
            let mut l = LimitArgs::default();
            l.set(o.name, "7").unwrap_or_else(|e| panic!("{e}"));
            assert_ne!(l, LimitArgs::default(), "{}", o.name);
        }
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size("64M"), Some(64 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("1KiB"), Some(1024));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("99999999999999T"), None);
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_duration("s"), None);
    }
}

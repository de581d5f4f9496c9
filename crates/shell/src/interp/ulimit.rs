//! `ulimit`: the resource limits a script reads and sets, with bash's options, units
//! and messages. The values start at a Linux machine's usual defaults, with `-u`
//! (processes) at the sandbox's limit on concurrent jobs. They are recorded per shell
//! and inherited by subshells; what the sandbox enforces are the shell's own limits
//! (time, output, memory of strings and arrays, jobs), which `ulimit` cannot raise.

use super::Interp;

/// A limit's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// No limit.
    Unlimited,
    /// A number in the limit's unit.
    Num(u64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Unlimited => f.write_str("unlimited"),
            Value::Num(n) => write!(f, "{n}"),
        }
    }
}

/// Option letter, description, unit, soft default, as `ulimit -a` lists them.
const LIMITS: &[(char, &str, Option<&str>, Value)] = &[
    (
        'R',
        "real-time non-blocking time",
        Some("microseconds"),
        Value::Unlimited,
    ),
    ('c', "core file size", Some("blocks"), Value::Num(0)),
    ('d', "data seg size", Some("kbytes"), Value::Unlimited),
    ('e', "scheduling priority", None, Value::Num(0)),
    ('f', "file size", Some("blocks"), Value::Unlimited),
    ('i', "pending signals", None, Value::Unlimited),
    ('l', "max locked memory", Some("kbytes"), Value::Num(8192)),
    ('m', "max memory size", Some("kbytes"), Value::Unlimited),
    ('n', "open files", None, Value::Num(1024)),
    ('p', "pipe size", Some("512 bytes"), Value::Num(8)),
    (
        'q',
        "POSIX message queues",
        Some("bytes"),
        Value::Num(819_200),
    ),
    ('r', "real-time priority", None, Value::Num(0)),
    ('s', "stack size", Some("kbytes"), Value::Num(8192)),
    ('t', "cpu time", Some("seconds"), Value::Unlimited),
    ('u', "max user processes", None, Value::Unlimited),
    ('v', "virtual memory", Some("kbytes"), Value::Unlimited),
    ('x', "file locks", None, Value::Unlimited),
];

const USAGE: &str = "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]";

impl Interp {
    /// The soft and hard values of limit `c`.
    fn ulimit_get(&self, c: char) -> (Value, Value) {
        if let Some(v) = self.tables.ulimits.get(&c) {
            return *v;
        }
        if c == 'u' {
            let n = self.shared.limits.max_concurrency as u64;
            return (Value::Num(n), Value::Num(n));
        }
        let soft = LIMITS
            .iter()
            .find(|l| l.0 == c)
            .map_or(Value::Unlimited, |l| l.3);
        // Hard limits above the soft ones, as on a usual Linux machine.
        let hard = match c {
            'c' | 's' => Value::Unlimited,
            'n' => Value::Num(1_048_576),
            _ => soft,
        };
        (soft, hard)
    }

    /// One line of `ulimit -a`.
    fn ulimit_line(&self, c: char, hard: bool) -> String {
        let Some((_, desc, unit, _)) = LIMITS.iter().find(|l| l.0 == c) else {
            return String::new();
        };
        let unitstr = match unit {
            Some(u) => format!("({u}, -{c}) "),
            None => format!("(-{c}) "),
        };
        let (soft, hardv) = self.ulimit_get(c);
        let v = if hard { hardv } else { soft };
        format!("{desc:<20} {unitstr:>20}{v}\n")
    }

    /// `ulimit [-SHa] [-RcdefilmnpqrstuvxPT] [limit]`.
    pub(super) fn b_ulimit(&mut self, args: &[String]) -> i32 {
        let letters: String = LIMITS.iter().map(|l| l.0).collect();
        let allowed = format!("SHabkPT{letters}");
        let (flags, i) = match self.flag_letters("ulimit", args, &allowed, USAGE) {
            Ok(f) => f,
            Err(status) => return status,
        };
        if let Some(c) = flags.chars().find(|c| "bkPT".contains(*c)) {
            self.error(&format!("ulimit: -{c}: not supported on this system"));
            return 1;
        }
        let (soft_only, hard_only) = (flags.contains('S'), flags.contains('H'));
        let all = flags.contains('a');
        let mut ops: Vec<(char, Option<String>)> = flags
            .chars()
            .filter(|c| letters.contains(*c))
            .map(|c| (c, None))
            .collect();
        let rest = &args[i..];
        if ops.is_empty() && !all {
            ops.push(('f', None));
        }
        if let Some(v) = rest.first() {
            if rest.len() > 1 || ops.len() > 1 {
                self.error("ulimit: too many arguments");
                return 2;
            }
            if let Some(last) = ops.last_mut() {
                last.1 = Some(v.clone());
            }
        }
        if all {
            let mut out = String::new();
            for l in LIMITS {
                out.push_str(&self.ulimit_line(l.0, hard_only));
            }
            return i32::from(self.write_fd(1, out.as_bytes()).is_err());
        }
        let mut out = String::new();
        let many = ops.len() > 1;
        for (c, value) in ops {
            let (soft, hard) = self.ulimit_get(c);
            let Some(text) = value else {
                if many {
                    out.push_str(&self.ulimit_line(c, hard_only));
                } else {
                    let v = if hard_only { hard } else { soft };
                    out.push_str(&format!("{v}\n"));
                }
                continue;
            };
            let desc = LIMITS.iter().find(|l| l.0 == c).map_or("", |l| l.1);
            let new = match text.as_str() {
                "unlimited" => Value::Unlimited,
                "hard" => hard,
                "soft" => soft,
                t => match t.parse::<u64>() {
                    Ok(n) => Value::Num(n),
                    Err(_) => {
                        self.error(&format!("ulimit: {t}: invalid number"));
                        return 1;
                    }
                },
            };
            let (mut s, mut h) = (soft, hard);
            if !soft_only {
                h = new;
            }
            if !hard_only {
                s = new;
            }
            let above = |a: Value, b: Value| match (a, b) {
                (_, Value::Unlimited) => false,
                (Value::Unlimited, _) => true,
                (Value::Num(x), Value::Num(y)) => x > y,
            };
            if above(h, hard) {
                self.error(&format!(
                    "ulimit: {desc}: cannot modify limit: Operation not permitted"
                ));
                return 1;
            }
            if above(s, h) {
                self.error(&format!(
                    "ulimit: {desc}: cannot modify limit: Invalid argument"
                ));
                return 1;
            }
            self.tables.ulimits.insert(c, (s, h));
        }
        i32::from(!out.is_empty() && self.write_fd(1, out.as_bytes()).is_err())
    }
}

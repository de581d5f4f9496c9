//! `history` and `fc` in a script, where bash keeps no history of its own: the list
//! holds what `history -s` adds. Editing (`fc` without `-l` or `-s`) and the history
//! file options need a terminal or a history file and are refused.

use super::Interp;

impl Interp {
    /// `history [-c] [-d offset] [n]`, `history -s arg ...`.
    pub(super) fn b_history(&mut self, args: &[String]) -> i32 {
        let Some(first) = args.first() else {
            return self.print_history(None);
        };
        match first.as_str() {
            "-c" => {
                self.tables.history.clear();
                0
            }
            "-s" => {
                if args.len() > 1 {
                    self.tables.history.push_back(args[1..].join(" "));
                }
                0
            }
            "-d" => {
                let len = self.tables.history.len() as i64;
                let Some(arg) = args.get(1) else {
                    self.error("history: -d: option requires an argument");
                    return 2;
                };
                let n = arg
                    .parse::<i64>()
                    .ok()
                    .map(|n| if n < 0 { len + n + 1 } else { n });
                match n {
                    Some(n) if n >= 1 && n <= len => {
                        self.tables.history.remove((n - 1) as usize);
                        0
                    }
                    _ => {
                        self.error(&format!("history: {arg}: history position out of range"));
                        1
                    }
                }
            }
            "-a" | "-n" | "-r" | "-w" | "-p" => {
                self.error(&format!("history: {first}: not supported: no history file"));
                1
            }
            s if s.starts_with('-') && s.len() > 1 && s.parse::<i64>().is_err() => {
                self.error(&format!("history: {s}: invalid option"));
                self.usage_line("history: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]");
                2
            }
            s => match s.parse::<usize>() {
                Ok(n) => self.print_history(Some(n)),
                Err(_) => {
                    self.error(&format!("history: {s}: numeric argument required"));
                    1
                }
            },
        }
    }

    /// The last `n` entries (all without `n`), numbered.
    fn print_history(&self, n: Option<usize>) -> i32 {
        let len = self.tables.history.len();
        let skip = n.map_or(0, |n| len.saturating_sub(n));
        let mut out = String::new();
        for (i, line) in self.tables.history.iter().enumerate().skip(skip) {
            out.push_str(&format!("{:>5}  {line}\n", i + 1));
        }
        i32::from(self.write_fd(1, out.as_bytes()).is_err())
    }

    /// `fc -l [-nr] [first [last]]`, `fc -s [pat=rep] [command]`.
    pub(super) fn b_fc(&mut self, args: &[String]) -> super::Exec {
        let mut list = false;
        let mut numbers = true;
        let mut reverse = false;
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
            if args[i].parse::<i64>().is_ok() {
                break;
            }
            for c in args[i][1..].chars() {
                match c {
                    'l' => list = true,
                    'n' => numbers = false,
                    'r' => reverse = true,
                    's' => return self.fc_again(&args[i + 1..]),
                    'e' => {
                        self.error("fc: editing history is not supported");
                        return Ok(1);
                    }
                    _ => {
                        self.error(&format!("fc: -{c}: invalid option"));
                        self.usage_line("fc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]");
                        return Ok(2);
                    }
                }
            }
            i += 1;
        }
        if !list {
            self.error("fc: editing history is not supported");
            return Ok(1);
        }
        let len = self.tables.history.len();
        if len == 0 {
            return Ok(0);
        }
        let pos = |s: &str, it: &Interp| -> Option<usize> {
            match s.parse::<i64>() {
                Ok(n) if n < 0 => Some((len as i64 + n).max(0) as usize),
                Ok(n) => Some((n.max(1) as usize - 1).min(len - 1)),
                Err(_) => it.tables.history.iter().rposition(|l| l.starts_with(s)),
            }
        };
        let first = match args.get(i) {
            Some(s) => pos(s, self),
            None => Some(len.saturating_sub(16)),
        };
        let last = match args.get(i + 1) {
            Some(s) => pos(s, self),
            None => Some(len - 1),
        };
        let (Some(mut a), Some(mut b)) = (first, last) else {
            self.error("fc: history specification out of range");
            return Ok(1);
        };
        let mut rev = reverse;
        if a > b {
            std::mem::swap(&mut a, &mut b);
            rev = !rev;
        }
        let mut lines: Vec<(usize, String)> = (a..=b)
            .map(|k| (k + 1, self.tables.history[k].clone()))
            .collect();
        if rev {
            lines.reverse();
        }
        let mut out = String::new();
        for (n, l) in lines {
            if numbers {
                out.push_str(&format!("{n}\t {l}\n"));
            } else {
                out.push_str(&format!("\t {l}\n"));
            }
        }
        Ok(i32::from(self.write_fd(1, out.as_bytes()).is_err()))
    }

    /// `fc -s [pat=rep] [command]`: run a history entry again.
    fn fc_again(&mut self, args: &[String]) -> super::Exec {
        let (subst, rest): (Vec<&String>, Vec<&String>) =
            args.iter().partition(|a| a.contains('='));
        let entry = match rest.first() {
            Some(p) => self
                .tables
                .history
                .iter()
                .rev()
                .find(|l| l.starts_with(p.as_str())),
            None => self.tables.history.last(),
        };
        let Some(mut cmd) = entry.cloned() else {
            self.error("fc: no command found");
            return Ok(1);
        };
        for s in subst {
            if let Some((pat, rep)) = s.split_once('=') {
                cmd = cmd.replacen(pat, rep, 1);
            }
        }
        let _ = self.write_fd(2, format!("{cmd}\n").as_bytes());
        self.tables.history.push_back(cmd.clone());
        self.eval_string(&cmd, "fc")
    }
}

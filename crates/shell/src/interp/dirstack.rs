//! `pushd`, `popd` and `dirs`: the directory stack, as bash keeps it. The full stack is
//! the working directory (entry 0) followed by [`Interp::dirstack`]; `+N` counts from
//! the left of that, `-N` from the right.

use super::Interp;

/// A parsed `+N` / `-N` argument: its position in a stack of `len` entries.
fn stack_index(arg: &str, len: usize) -> Option<Result<usize, ()>> {
    let (from_left, digits) = match arg.as_bytes().first() {
        Some(b'+') => (true, &arg[1..]),
        Some(b'-') => (false, &arg[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: usize = match digits.parse() {
        Ok(n) => n,
        Err(_) => return Some(Err(())),
    };
    if n >= len {
        return Some(Err(()));
    }
    Some(Ok(if from_left { n } else { len - 1 - n }))
}

impl Interp {
    /// The full stack: the working directory, then the saved ones.
    fn full_dirstack(&self) -> Vec<String> {
        let mut all = vec![self.get_scalar("PWD").unwrap_or_default()];
        all.extend(self.dirstack.iter().cloned());
        all
    }

    /// Make `all` the stack, changing to its first entry when `cd`. The status.
    fn set_dirstack(&mut self, who: &str, mut all: Vec<String>, cd: bool) -> i32 {
        if cd && let Some(top) = all.first().cloned() {
            if self.b_cd_as(who, std::slice::from_ref(&top)) != 0 {
                return 1;
            }
            // The entry becomes the directory `cd` reached.
            all[0] = self.get_scalar("PWD").unwrap_or_default();
        }
        all.remove(0);
        self.dirstack = all;
        0
    }

    pub(super) fn b_pushd(&mut self, args: &[String]) -> i32 {
        let usage = "pushd: usage: pushd [-n] [+N | -N | dir]";
        let mut no_cd = false;
        let mut target: Option<&String> = None;
        for a in args {
            if a == "-n" && target.is_none() {
                no_cd = true;
            } else if a == "--" && target.is_none() {
                continue;
            } else if target.is_none() {
                target = Some(a);
            }
        }
        let mut all = self.full_dirstack();
        let Some(t) = target else {
            if all.len() < 2 {
                self.builtin_error("pushd", "no other directory");
                return 1;
            }
            all.swap(0, 1);
            if self.set_dirstack("pushd", all, !no_cd) != 0 {
                return 1;
            }
            return self.b_dirs_print(&[]);
        };
        if t.starts_with('+') || (t.starts_with('-') && t.len() > 1) {
            match stack_index(t, all.len()) {
                None => {
                    self.builtin_error("pushd", &format!("{t}: invalid number"));
                    self.usage_line(usage);
                    return 2;
                }
                Some(Err(())) if all.len() < 2 => {
                    self.builtin_error("pushd", "directory stack empty");
                    return 1;
                }
                Some(Err(())) => {
                    self.builtin_error(
                        "pushd",
                        &format!("{t}: directory stack index out of range"),
                    );
                    return 1;
                }
                Some(Ok(i)) => {
                    all.rotate_left(i);
                    if self.set_dirstack("pushd", all, !no_cd) != 0 {
                        return 1;
                    }
                    return self.b_dirs_print(&[]);
                }
            }
        }
        if no_cd {
            all.insert(1, t.clone());
            self.set_dirstack("pushd", all, false);
            return self.b_dirs_print(&[]);
        }
        if self.b_cd_as("pushd", std::slice::from_ref(t)) != 0 {
            return 1;
        }
        self.dirstack.insert(0, all[0].clone());
        self.b_dirs_print(&[])
    }

    pub(super) fn b_popd(&mut self, args: &[String]) -> i32 {
        let usage = "popd: usage: popd [-n] [+N | -N]";
        let mut no_cd = false;
        let mut which: Option<&String> = None;
        for a in args {
            if a == "-n" {
                no_cd = true;
            } else if a == "--" {
                continue;
            } else {
                which = Some(a);
            }
        }
        let mut all = self.full_dirstack();
        if all.len() < 2 {
            self.builtin_error("popd", "directory stack empty");
            return 1;
        }
        let index = match which {
            None if no_cd => 1,
            None => 0,
            Some(w) => match stack_index(w, all.len()) {
                Some(Ok(i)) => i,
                Some(Err(())) => {
                    self.builtin_error("popd", &format!("{w}: directory stack index out of range"));
                    return 1;
                }
                None if w.starts_with('-') || w.starts_with('+') => {
                    self.builtin_error("popd", &format!("{w}: invalid number"));
                    self.usage_line(usage);
                    return 2;
                }
                None => {
                    self.builtin_error("popd", &format!("{w}: invalid argument"));
                    self.usage_line(usage);
                    return 2;
                }
            },
        };
        all.remove(index);
        if self.set_dirstack("popd", all, index == 0) != 0 {
            return 1;
        }
        self.b_dirs_print(&[])
    }

    pub(super) fn b_dirs(&mut self, args: &[String]) -> i32 {
        let usage = "dirs: usage: dirs [-clpv] [+N] [-N]";
        let (mut clear, mut long, mut per_line, mut verbose) = (false, false, false, false);
        let mut index = None;
        let all = self.full_dirstack();
        for a in args {
            if let Some(r) = stack_index(a, all.len()) {
                match r {
                    Ok(i) => index = Some(i),
                    Err(()) if all.len() < 2 => {
                        self.builtin_error("dirs", "directory stack empty");
                        return 1;
                    }
                    Err(()) => {
                        let n = a.trim_start_matches(['+', '-']);
                        self.builtin_error(
                            "dirs",
                            &format!("{n}: directory stack index out of range"),
                        );
                        return 1;
                    }
                }
                continue;
            }
            let flags = a.strip_prefix('-').filter(|f| !f.is_empty());
            let Some(flags) = flags.filter(|f| f.chars().all(|c| "clpv".contains(c))) else {
                let what = if a.starts_with('-') || a.starts_with('+') {
                    "invalid number"
                } else {
                    "invalid option"
                };
                self.builtin_error("dirs", &format!("{a}: {what}"));
                self.usage_line(usage);
                return 2;
            };
            for c in flags.chars() {
                match c {
                    'c' => clear = true,
                    'l' => long = true,
                    'p' => per_line = true,
                    _ => verbose = true,
                }
            }
        }
        if clear {
            self.dirstack.clear();
            return 0;
        }
        let home = self.get_scalar("HOME").unwrap_or_default();
        let shown = |p: &str| -> String {
            if !long && !home.is_empty() && (p == home || p.starts_with(&format!("{home}/"))) {
                format!("~{}", &p[home.len()..])
            } else {
                p.to_string()
            }
        };
        let out = if let Some(i) = index {
            format!("{}\n", shown(&all[i]))
        } else if verbose {
            all.iter()
                .enumerate()
                .map(|(i, p)| format!("{i:2}  {}\n", shown(p)))
                .collect()
        } else if per_line {
            all.iter().map(|p| format!("{}\n", shown(p))).collect()
        } else {
            let v: Vec<String> = all.iter().map(|p| shown(p)).collect();
            format!("{}\n", v.join(" "))
        };
        self.out(&out)
    }

    /// The stack as `pushd` and `popd` show it after a change.
    fn b_dirs_print(&mut self, args: &[String]) -> i32 {
        self.b_dirs(args)
    }
}

//! State some builtins keep without running anything, and those builtins: the hashed
//! command paths (`hash`), disabled builtins (`enable`), completion specifications
//! (`complete`, in `complete.rs`), the history list (`history`, `fc`, in
//! `history.rs`) and resource limits (`ulimit`, in `ulimit.rs`). A subshell gets a copy.

use super::Interp;
use super::builtins::builtin_names;
use super::complete::CompSpec;

/// Builtins that coreutils also installs in /usr/bin: with the builtin turned off,
/// `PATH` finds these.
pub const STANDALONE: &[&str] = &["echo", "test", "[", "true", "false", "pwd", "kill"];

/// The tables.
#[derive(Clone, Default)]
pub struct Tables {
    /// `complete` specifications by command name.
    pub completions: imbl::OrdMap<String, CompSpec>,
    /// The history list (`history -s` adds; a script records nothing else).
    pub history: imbl::Vector<String>,
    /// Resource limits set by `ulimit`: option letter, soft and hard values.
    pub ulimits: imbl::OrdMap<char, (super::ulimit::Value, super::ulimit::Value)>,
    /// Hashed commands: name, path and hits.
    pub hashed: imbl::OrdMap<String, (String, u32)>,
    /// Builtins turned off by `enable -n`.
    pub disabled: imbl::OrdSet<String>,
}

impl Interp {
    /// A command found on `PATH` ran: remember where (bash's hash table).
    pub(super) fn hash_hit(&mut self, name: &str, path: &str) {
        if let Some(e) = self.tables.hashed.get_mut(name)
            && e.0 == path
        {
            e.1 += 1;
            return;
        }
        self.tables
            .hashed
            .insert(name.to_string(), (path.to_string(), 1));
    }

    /// Where `PATH` finds `name`: a registered command or an executable file.
    fn path_lookup(&self, name: &str) -> Option<String> {
        if name.contains('/') {
            return None;
        }
        if self.shared.registry.get(name).is_some() || STANDALONE.contains(&name) {
            return Some(format!("/usr/bin/{name}"));
        }
        self.find_in_path(name)
    }

    /// `hash [-lr] [-p pathname] [-dt] [name ...]`.
    pub(super) fn b_hash(&mut self, args: &[String]) -> i32 {
        let (mut list, mut clear, mut delete, mut show) = (false, false, false, false);
        let mut given_path: Option<String> = None;
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
            if args[i] == "--" {
                i += 1;
                break;
            }
            let flags: Vec<char> = args[i][1..].chars().collect();
            for (k, c) in flags.iter().enumerate() {
                match c {
                    'l' => list = true,
                    'r' => clear = true,
                    'd' => delete = true,
                    't' => show = true,
                    'p' => {
                        let rest: String = flags[k + 1..].iter().collect();
                        given_path = Some(if rest.is_empty() {
                            i += 1;
                            match args.get(i) {
                                Some(p) => p.clone(),
                                None => {
                                    self.error("hash: -p: option requires an argument");
                                    return 2;
                                }
                            }
                        } else {
                            rest
                        });
                        break;
                    }
                    _ => {
                        self.error(&format!("hash: -{c}: invalid option"));
                        self.usage_line("hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]");
                        return 2;
                    }
                }
            }
            i += 1;
        }
        let names = &args[i..];
        if clear {
            self.tables.hashed.clear();
        }
        if names.is_empty() {
            if clear {
                return 0;
            }
            if self.tables.hashed.is_empty() {
                if list {
                    return 0;
                }
                return i32::from(self.write_fd(1, b"hash: hash table empty\n").is_err());
            }
            let mut out = String::new();
            if !list {
                out.push_str("hits\tcommand\n");
            }
            for (n, (p, hits)) in self.tables.hashed.iter() {
                if list {
                    out.push_str(&format!("builtin hash -p {p} {n}\n"));
                } else {
                    out.push_str(&format!("{hits:>4}\t{p}\n"));
                }
            }
            return i32::from(self.write_fd(1, out.as_bytes()).is_err());
        }
        let mut status = 0;
        let mut out = String::new();
        for n in names {
            if delete {
                if self.tables.hashed.remove(n).is_none() {
                    self.error(&format!("hash: {n}: not found"));
                    status = 1;
                }
            } else if show {
                match self.tables.hashed.get(n) {
                    Some((p, _)) if names.len() > 1 => out.push_str(&format!("{n}\t{p}\n")),
                    Some((p, _)) => out.push_str(&format!("{p}\n")),
                    None => {
                        self.error(&format!("hash: {n}: not found"));
                        status = 1;
                    }
                }
            } else if let Some(p) = &given_path {
                self.tables.hashed.insert(n.clone(), (p.clone(), 0));
            } else if n.contains('/')
                || super::builtins::is_builtin(n)
                || self.funcs.contains_key(n)
            {
                // bash hashes nothing for these.
            } else {
                match self.path_lookup(n) {
                    Some(p) => {
                        self.tables.hashed.insert(n.clone(), (p, 0));
                    }
                    None => {
                        self.error(&format!("hash: {n}: not found"));
                        status = 1;
                    }
                }
            }
        }
        if !out.is_empty() && self.write_fd(1, out.as_bytes()).is_err() {
            return 1;
        }
        status
    }

    /// True if `name` is a builtin that `enable -n` has not turned off.
    pub(super) fn builtin_enabled(&self, name: &str) -> bool {
        super::builtins::is_builtin(name) && !self.tables.disabled.contains(name)
    }

    /// `enable [-a] [-dnps] [-f filename] [name ...]`.
    pub(super) fn b_enable(&mut self, args: &[String]) -> i32 {
        let usage = "enable: usage: enable [-a] [-dnps] [-f filename] [name ...]";
        let (flags, i) = match self.flag_letters("enable", args, "adfnps", usage) {
            Ok(f) => f,
            Err(status) => return status,
        };
        if flags.contains(['f', 'd']) {
            self.error("enable: loadable builtins are not supported");
            return 1;
        }
        let (all, off) = (flags.contains('a'), flags.contains('n'));
        let print = flags.contains(['p', 's']);
        let names = &args[i..];
        if names.is_empty() || print {
            let mut out = String::new();
            for b in builtin_names()
                .iter()
                .filter(|b| !matches!(**b, "bash" | "sh"))
            {
                let disabled = self.tables.disabled.contains(*b);
                let shown = if all { true } else { disabled == off };
                if shown && (names.is_empty() || names.iter().any(|n| n == b)) {
                    let flag = if disabled { "enable -n" } else { "enable" };
                    out.push_str(&format!("{flag} {b}\n"));
                }
            }
            return i32::from(self.write_fd(1, out.as_bytes()).is_err());
        }
        let mut status = 0;
        for n in names {
            if !super::builtins::is_builtin(n) || matches!(n.as_str(), "bash" | "sh") {
                self.error(&format!("enable: {n}: not a shell builtin"));
                status = 1;
            } else if off {
                self.tables.disabled.insert(n.clone());
            } else {
                self.tables.disabled.remove(n);
            }
        }
        status
    }
}

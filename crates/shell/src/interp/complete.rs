//! Programmable completion as a script sees it: `compgen` generates the words a
//! specification would offer, `complete` stores and prints specifications, `compopt`
//! changes their options. Nothing completes interactively here; the specifications
//! are kept so that `complete -p` shows them, as in bash.
//!
//! `compgen` follows bash's order: the actions in bash's order (`-c` gives aliases,
//! keywords, functions, builtins, then the commands on `PATH`), then `-G`, then `-W`;
//! `-X` filters, `-P` and `-S` decorate. `-F` and `-C` need a completion context and
//! are refused.

use super::Interp;
use super::builtins::{KEYWORDS, builtin_names};

/// Actions in bash's order (its `CA_*` bits), with their one-letter options.
const ACTIONS: &[(&str, Option<char>)] = &[
    ("alias", Some('a')),
    ("arrayvar", None),
    ("binding", None),
    ("builtin", Some('b')),
    ("command", Some('c')),
    ("directory", Some('d')),
    ("disabled", None),
    ("enabled", None),
    ("export", Some('e')),
    ("file", Some('f')),
    ("function", None),
    ("group", Some('g')),
    ("helptopic", None),
    ("hostname", None),
    ("job", Some('j')),
    ("keyword", Some('k')),
    ("running", None),
    ("service", Some('s')),
    ("setopt", None),
    ("shopt", None),
    ("signal", None),
    ("stopped", None),
    ("user", Some('u')),
    ("variable", Some('v')),
];

/// `-o` options in bash's order.
const OPTIONS: &[&str] = &[
    "bashdefault",
    "default",
    "dirnames",
    "filenames",
    "noquote",
    "nosort",
    "nospace",
    "plusdirs",
];

/// The `set -o` names `compgen -A setopt` lists.
const SETOPTS: &[&str] = &[
    "allexport",
    "braceexpand",
    "emacs",
    "errexit",
    "errtrace",
    "functrace",
    "hashall",
    "histexpand",
    "history",
    "ignoreeof",
    "interactive-comments",
    "keyword",
    "monitor",
    "noclobber",
    "noexec",
    "noglob",
    "nolog",
    "notify",
    "nounset",
    "onecmd",
    "physical",
    "pipefail",
    "posix",
    "privileged",
    "verbose",
    "vi",
    "xtrace",
];

/// A completion specification (`complete`'s options).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompSpec {
    /// Bit i: `ACTIONS[i]`.
    actions: u32,
    /// Bit i: `OPTIONS[i]`.
    options: u32,
    glob: Option<String>,
    words: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
    filter: Option<String>,
    command: Option<String>,
    function: Option<String>,
}

/// What `complete` was asked to do besides defining.
#[derive(Default)]
struct Parsed {
    spec: CompSpec,
    print: bool,
    remove: bool,
    names: Vec<String>,
    /// `-D`, `-E`, `-I`.
    special: Vec<&'static str>,
    /// `compopt +o`.
    off: u32,
}

const COMPGEN_USAGE: &str = "compgen: usage: compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]";
const COMPLETE_USAGE: &str = "complete: usage: complete [-pr] [-DEI] [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]";
const COMPOPT_USAGE: &str = "compopt: usage: compopt [-o|+o option] [-DEI] [name ...]";

fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl CompSpec {
    /// `complete -p`'s line for `name`.
    fn line(&self, name: &str) -> String {
        let mut out = String::from("complete");
        for (i, o) in OPTIONS.iter().enumerate() {
            if self.options & (1 << i) != 0 {
                out.push_str(&format!(" -o {o}"));
            }
        }
        for (i, (_, letter)) in ACTIONS.iter().enumerate() {
            if let Some(c) = letter
                && self.actions & (1 << i) != 0
            {
                out.push_str(&format!(" -{c}"));
            }
        }
        for (i, (action, letter)) in ACTIONS.iter().enumerate() {
            if letter.is_none() && self.actions & (1 << i) != 0 {
                out.push_str(&format!(" -A {action}"));
            }
        }
        for (flag, v) in [
            ("-G", &self.glob),
            ("-W", &self.words),
            ("-P", &self.prefix),
            ("-S", &self.suffix),
            ("-X", &self.filter),
            ("-C", &self.command),
        ] {
            if let Some(v) = v {
                out.push_str(&format!(" {flag} {}", single_quote(v)));
            }
        }
        if let Some(f) = &self.function {
            out.push_str(&format!(" -F {f}"));
        }
        if name.is_empty() {
            return out;
        }
        out.push(' ');
        out.push_str(name);
        out
    }
}

/// Split a `-W` word list at IFS characters outside quotes, keeping the quotes for the
/// expansion that follows.
fn split_word_list(text: &str, ifs: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    quote = None;
                } else if c == '\\'
                    && q == '"'
                    && let Some(n) = chars.next()
                {
                    cur.push(n);
                }
            }
            None if c == '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                cur.push(c);
            }
            None if ifs.contains(c) => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

impl Interp {
    /// Parse `compgen`/`complete`/`compopt` options; `Err(status)` after a message.
    fn parse_comp_args(&self, who: &str, args: &[String]) -> Result<Parsed, i32> {
        let usage = match who {
            "compgen" => COMPGEN_USAGE,
            "complete" => COMPLETE_USAGE,
            _ => COMPOPT_USAGE,
        };
        let bad = |it: &Interp, msg: String| {
            it.error(&format!("{who}: {msg}"));
            it.usage_line(usage);
            Err(2)
        };
        let mut p = Parsed::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            let plus = a.starts_with('+') && who == "compopt";
            if !(a.starts_with('-') || plus) || a.len() < 2 {
                break;
            }
            let flags: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < flags.len() {
                let c = flags[k];
                let takes_arg = "oAGWFCXPS".contains(c);
                let allowed = match who {
                    "compgen" => "abcdefgjksuvoAGWFCXPS".contains(c),
                    "complete" => "abcdefgjksuvoAGWFCXPSprDEI".contains(c),
                    _ => "oDEI".contains(c),
                };
                if !allowed {
                    return bad(self, format!("-{c}: invalid option"));
                }
                let arg = if takes_arg {
                    let rest: String = flags[k + 1..].iter().collect();
                    k = flags.len();
                    if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return bad(self, format!("-{c}: option requires an argument")),
                        }
                    }
                } else {
                    k += 1;
                    String::new()
                };
                match c {
                    'p' => p.print = true,
                    'r' => p.remove = true,
                    'D' => p.special.push("-D"),
                    'E' => p.special.push("-E"),
                    'I' => p.special.push("-I"),
                    'o' => match OPTIONS.iter().position(|o| *o == arg) {
                        Some(n) if plus => p.off |= 1 << n,
                        Some(n) => p.spec.options |= 1 << n,
                        None => {
                            self.error(&format!("{who}: {arg}: invalid option name"));
                            return Err(2);
                        }
                    },
                    'A' => match ACTIONS.iter().position(|x| x.0 == arg) {
                        Some(n) => p.spec.actions |= 1 << n,
                        None => {
                            self.error(&format!("{who}: {arg}: invalid action name"));
                            return Err(2);
                        }
                    },
                    'G' => p.spec.glob = Some(arg),
                    'W' => p.spec.words = Some(arg),
                    'F' => p.spec.function = Some(arg),
                    'C' => p.spec.command = Some(arg),
                    'X' => p.spec.filter = Some(arg),
                    'P' => p.spec.prefix = Some(arg),
                    'S' => p.spec.suffix = Some(arg),
                    letter => {
                        if let Some(n) = ACTIONS.iter().position(|x| x.1 == Some(letter)) {
                            p.spec.actions |= 1 << n;
                        }
                    }
                }
            }
            i += 1;
        }
        p.names = args[i..].to_vec();
        Ok(p)
    }

    /// `compgen [options] [word]`.
    pub(super) fn b_compgen(&mut self, args: &[String]) -> i32 {
        let p = match self.parse_comp_args("compgen", args) {
            Ok(p) => p,
            Err(s) => return s,
        };
        if p.spec.function.is_some() || p.spec.command.is_some() {
            self.error("compgen: -F and -C are not supported: there is no completion context");
            return 2;
        }
        let word = p.names.first().cloned().unwrap_or_default();
        let words = self.completions_for(&p.spec, &word);
        if words.is_empty() {
            return 1;
        }
        let mut out = String::new();
        for w in words {
            out.push_str(&w);
            out.push('\n');
        }
        if self.write_fd(1, out.as_bytes()).is_err() {
            return 1;
        }
        0
    }

    /// The words `spec` offers for `word`.
    fn completions_for(&mut self, spec: &CompSpec, word: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (i, (action, _)) in ACTIONS.iter().enumerate() {
            if spec.actions & (1 << i) != 0 {
                found.extend(self.action_words(action, word));
            }
        }
        if let Some(g) = &spec.glob {
            let pattern = g.clone();
            if let Ok(mut files) = self.expand_word(&pattern)
                && files.first() != Some(&pattern)
            {
                found.append(&mut files);
            }
        }
        if let Some(list) = &spec.words {
            let ifs = self.get_scalar("IFS").unwrap_or_else(|| " \t\n".into());
            for w in split_word_list(list, &ifs) {
                if let Ok(v) = self.expand_word_nosplit(&w)
                    && v.starts_with(word)
                {
                    found.push(v);
                }
            }
        }
        if let Some(f) = &spec.filter {
            let (negate, pat) = match f.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, f.as_str()),
            };
            let pat = pat.replace('&', word);
            found.retain(|w| self.pattern_matches(&pat, w, false) == negate);
        }
        // `-o plusdirs`, `-o dirnames` (when nothing else matched): directories too.
        let plusdirs = spec.options & (1 << 7) != 0;
        let dirnames = spec.options & (1 << 2) != 0;
        if plusdirs || dirnames && found.is_empty() {
            found.extend(self.file_words(word, true));
        }
        let prefix = spec.prefix.clone().unwrap_or_default();
        let suffix = spec.suffix.clone().unwrap_or_default();
        if !prefix.is_empty() || !suffix.is_empty() {
            for w in &mut found {
                *w = format!("{prefix}{w}{suffix}");
            }
        }
        found
    }

    /// The candidates of one action that start with `word`.
    fn action_words(&self, action: &str, word: &str) -> Vec<String> {
        let starts = |v: &[String]| -> Vec<String> {
            v.iter().filter(|s| s.starts_with(word)).cloned().collect()
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            starts(&v)
        };
        match action {
            "alias" => sorted(self.aliases.keys().cloned().collect()),
            "arrayvar" => sorted(
                self.vars
                    .names()
                    .into_iter()
                    .filter(|n| {
                        self.vars.get(n).is_some_and(|v| {
                            matches!(
                                v.value,
                                Some(crate::vars::Value::Indexed(_) | crate::vars::Value::Assoc(_))
                            )
                        })
                    })
                    .collect(),
            ),
            "builtin" | "enabled" | "helptopic" => starts(
                &builtin_names()
                    .iter()
                    .filter(|b| !matches!(**b, "bash" | "sh"))
                    .filter(|b| action != "enabled" || !self.tables.disabled.contains(**b))
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>(),
            ),
            "disabled" => starts(&self.tables.disabled.iter().cloned().collect::<Vec<_>>()),
            "command" => {
                let mut out = sorted(self.aliases.keys().cloned().collect());
                out.extend(starts(
                    &KEYWORDS.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
                ));
                let mut funcs: Vec<String> = self.funcs.keys().cloned().collect();
                funcs.sort();
                out.extend(starts(&funcs));
                out.extend(self.action_words("builtin", word));
                out.extend(self.path_commands(word));
                out
            }
            "directory" => self.file_words(word, true),
            "file" => self.file_words(word, false),
            "export" => sorted(self.vars.exported().into_iter().map(|(n, _)| n).collect()),
            "function" => sorted(self.funcs.keys().cloned().collect()),
            "variable" => sorted(
                self.vars
                    .names()
                    .into_iter()
                    .filter(|n| self.vars.get(n).is_some_and(|v| v.value.is_some()))
                    .collect(),
            ),
            "keyword" => starts(&KEYWORDS.iter().map(|k| k.to_string()).collect::<Vec<_>>()),
            "job" | "running" => {
                let jobs = self.jobs.lock();
                let mut v: Vec<(u32, String)> = jobs
                    .iter()
                    .filter(|j| j.running())
                    .map(|j| {
                        (
                            j.id,
                            j.text.split_whitespace().next().unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                v.sort();
                starts(&v.into_iter().map(|x| x.1).collect::<Vec<_>>())
            }
            "setopt" => starts(&SETOPTS.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            "shopt" => starts(
                &super::shopts::SHOPTS
                    .iter()
                    .map(|s| s.0.to_string())
                    .collect::<Vec<_>>(),
            ),
            "signal" => {
                let mut v = vec!["EXIT".to_string()];
                v.extend(
                    (1..=31)
                        .filter_map(super::jobs::signal_name_of)
                        .map(|s| format!("SIG{s}")),
                );
                starts(&v)
            }
            "user" => starts(&self.account_names("/etc/passwd")),
            "group" => starts(&self.account_names("/etc/group")),
            // No line editor, hosts file or services here.
            _ => Vec::new(),
        }
    }

    /// The first fields of a passwd-style file in the VFS (`root` if there is none).
    fn account_names(&self, file: &str) -> Vec<String> {
        match self.vfs.read(file) {
            Ok(data) => String::from_utf8_lossy(&data)
                .lines()
                .filter_map(|l| l.split(':').next())
                .filter(|n| !n.is_empty() && !n.starts_with('#'))
                .map(String::from)
                .collect(),
            Err(_) => vec!["root".to_string()],
        }
    }

    /// Commands on `PATH` starting with `word`: the registered ones (which `type`
    /// places in /usr/bin), then executable files in the VFS, directory by directory.
    fn path_commands(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .shared
            .registry
            .names()
            .into_iter()
            .chain(["bash", "sh"])
            .filter(|n| n.starts_with(word))
            .map(String::from)
            .collect();
        out.sort();
        out.dedup();
        let path = self.get_scalar("PATH").unwrap_or_default();
        for dir in path.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let Ok(entries) = self.vfs.read_dir(dir) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .iter()
                .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                .filter(|n| n.starts_with(word))
                .filter(|n| {
                    self.vfs
                        .stat(format!("{}/{n}", dir.trim_end_matches('/')))
                        .is_ok_and(|m| m.is_file() && m.mode & 0o111 != 0)
                })
                .collect();
            names.sort();
            out.extend(names);
        }
        out
    }

    /// Files (or only directories) whose path starts with `word`.
    fn file_words(&self, word: &str, dirs_only: bool) -> Vec<String> {
        let (dir, base, shown) = match word.rfind('/') {
            Some(i) => (
                if i == 0 {
                    "/".to_string()
                } else {
                    word[..i].to_string()
                },
                &word[i + 1..],
                word[..=i].to_string(),
            ),
            None => (".".to_string(), word, String::new()),
        };
        let Ok(entries) = self.vfs.read_dir(&dir) else {
            return Vec::new();
        };
        let mut out: Vec<String> = entries
            .iter()
            .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
            .filter(|n| n.starts_with(base) && (base.starts_with('.') || !n.starts_with('.')))
            .filter(|n| {
                !dirs_only
                    || self
                        .vfs
                        .stat(format!("{}/{n}", dir.trim_end_matches('/')))
                        .is_ok_and(|m| m.is_dir())
            })
            .map(|n| format!("{shown}{n}"))
            .collect();
        out.sort();
        out
    }

    /// `complete [-pr] [-DEI] [options] [name ...]`.
    pub(super) fn b_complete(&mut self, args: &[String]) -> i32 {
        let p = match self.parse_comp_args("complete", args) {
            Ok(p) => p,
            Err(s) => return s,
        };
        let mut names = p.names.clone();
        names.extend(p.special.iter().map(|s| s.to_string()));
        let defines = p.spec != CompSpec::default();
        if p.remove {
            if names.is_empty() {
                self.tables.completions.clear();
            }
            let mut status = 0;
            for n in &names {
                if self.tables.completions.remove(n).is_none() {
                    self.error(&format!("complete: {n}: no completion specification"));
                    status = 1;
                }
            }
            return status;
        }
        if p.print || !defines {
            let mut out = String::new();
            let mut status = 0;
            if names.is_empty() {
                for (n, s) in self.tables.completions.iter() {
                    out.push_str(&s.line(n));
                    out.push('\n');
                }
            }
            for n in &names {
                match self.tables.completions.get(n) {
                    Some(s) => {
                        out.push_str(&s.line(n));
                        out.push('\n');
                    }
                    None => {
                        self.error(&format!("complete: {n}: no completion specification"));
                        status = 1;
                    }
                }
            }
            if self.write_fd(1, out.as_bytes()).is_err() {
                return 1;
            }
            return status;
        }
        for n in names {
            self.tables.completions.insert(n, p.spec.clone());
        }
        0
    }

    /// `compopt [-o|+o option] [-DEI] [name ...]`.
    pub(super) fn b_compopt(&mut self, args: &[String]) -> i32 {
        let p = match self.parse_comp_args("compopt", args) {
            Ok(p) => p,
            Err(s) => return s,
        };
        let mut names = p.names.clone();
        names.extend(p.special.iter().map(|s| s.to_string()));
        if names.is_empty() {
            self.error("compopt: not currently executing completion function");
            return 1;
        }
        let mut status = 0;
        for n in names {
            match self.tables.completions.get_mut(&n) {
                Some(s) => {
                    s.options = (s.options | p.spec.options) & !p.off;
                }
                None => {
                    self.error(&format!("compopt: {n}: no completion specification"));
                    status = 1;
                }
            }
        }
        status
    }
}

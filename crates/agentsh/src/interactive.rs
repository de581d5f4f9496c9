//! The interactive session: a rustyline editor over one [`Shell`], one `exec` per
//! complete command.
//!
//! - The prompt shows the working directory and, when it is not 0, the last status:
//!   `agentsh:/root$ `, `agentsh:/root [1]$ `. Unfinished input ([`is_incomplete`]:
//!   open quotes, compound commands, here-documents, trailing `|`/`&&`) continues on a
//!   `> ` line; the whole command is one history entry.
//! - Tab completes command names (builtins, commands, functions, keywords) in command
//!   position, `$NAME`/`${NAME` from the session's variables, and other words as paths
//!   in the in-memory filesystem.
//! - Ctrl-C at the prompt drops the line (and sets `$?` to 130, as bash); while a command runs, a SIGINT handler
//!   cancels it through the shell's [`runner::shell::CancelHandle`] and the prompt
//!   comes back. Ctrl-D or `exit` ends the session with the last status; the EXIT
//!   trap runs then, once ([`Shell::set_interactive`]), not after every line.
//! - History lives in memory, or in the host file given with `--history`.

use std::borrow::Cow;
use std::io::Write;

use runner::shell::shell::is_incomplete;
use runner::shell::vfs_core::Vfs;
use runner::shell::{ExecOptions, ExecResult, Limit, Shell};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

/// Shell keywords that may start a command.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "coproc",
];

/// What completion reads: refreshed from the shell after every command.
pub struct Completion {
    /// The filesystem view, at the session's working directory.
    vfs: Option<Vfs>,
    /// Command names.
    commands: Vec<String>,
    /// Variable names.
    vars: Vec<String>,
}

impl Completion {
    /// A snapshot of `sh`'s names and working directory.
    pub fn of(sh: &Shell) -> Completion {
        let mut commands = sh.command_names();
        commands.extend(KEYWORDS.iter().map(|k| k.to_string()));
        commands.sort_unstable();
        commands.dedup();
        Completion {
            vfs: sh.vfs().cloned(),
            commands,
            vars: sh.var_names(),
        }
    }

    /// Candidates for the word ending at `pos` in `line`: where it starts, and the
    /// replacements for it.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|&(i, c)| is_break(c) && !(i > 0 && before.as_bytes().get(i - 1) == Some(&b'\\')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        if let Some(d) = word.rfind('$') {
            let name = &word[d + 1..];
            let (brace, name) = match name.strip_prefix('{') {
                Some(n) => (true, n),
                None => (false, name),
            };
            if name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
                let pairs = self
                    .vars
                    .iter()
                    .filter(|v| v.starts_with(name))
                    .map(|v| {
                        let r = if brace {
                            format!("${{{v}}}")
                        } else {
                            format!("${v}")
                        };
                        Pair {
                            display: v.clone(),
                            replacement: r,
                        }
                    })
                    .collect();
                return (start + d, pairs);
            }
        }
        if command_position(&before[..start]) && !word.contains('/') {
            let mut pairs: Vec<Pair> = self
                .commands
                .iter()
                .filter(|c| c.starts_with(word))
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: c.clone(),
                })
                .collect();
            if let [only] = pairs.as_mut_slice() {
                only.replacement.push(' ');
            }
            return (start, pairs);
        }
        (start, self.paths(word))
    }

    /// Paths in the filesystem that complete `word` (which may hold backslash escapes).
    fn paths(&self, word: &str) -> Vec<Pair> {
        let Some(vfs) = &self.vfs else {
            return Vec::new();
        };
        let raw = unescape(word);
        let (dir, prefix) = match raw.rfind('/') {
            Some(i) => (&raw[..=i], &raw[i + 1..]),
            None => ("", raw.as_str()),
        };
        let lookup = if dir.is_empty() { "." } else { dir };
        let Ok(entries) = vfs.read_dir(lookup) else {
            return Vec::new();
        };
        let mut pairs: Vec<Pair> = entries
            .iter()
            .filter_map(|e| {
                let name = String::from_utf8_lossy(e.name.as_bytes()).into_owned();
                if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.'))
                {
                    return None;
                }
                let full = format!("{dir}{name}");
                let is_dir = e.file_type.is_dir() || vfs.stat(&full).is_ok_and(|m| m.is_dir());
                let shown = if is_dir { format!("{name}/") } else { name };
                Some(Pair {
                    replacement: format!("{}{}", escape(dir), escape(&shown)),
                    display: shown,
                })
            })
            .collect();
        pairs.sort_by(|a, b| a.display.cmp(&b.display));
        if let [only] = pairs.as_mut_slice()
            && !only.replacement.ends_with('/')
        {
            only.replacement.push(' ');
        }
        pairs
    }
}

/// Characters that end a word for completion.
fn is_break(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ';' | '|' | '&' | '(' | ')' | '<' | '>' | '`' | '"' | '\''
        )
}

/// True if a word after `before` is in command position.
fn command_position(before: &str) -> bool {
    let t = before.trim_end();
    if t.is_empty() || t.ends_with([';', '|', '&', '(', '{', '`', '!']) || t.ends_with("$(") {
        return true;
    }
    let last = t.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    matches!(
        last,
        "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "time" | "!"
    )
}

/// Backslash-escape the characters the shell would split or expand.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() || "\\'\"$`&|;<>()*?[]{}!#~".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// Remove backslash escapes.
fn unescape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                o.push(n);
            }
        } else {
            o.push(c);
        }
    }
    o
}

/// The rustyline helper: completion only.
struct AgentHelper {
    completion: Completion,
}

impl Completer for AgentHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.completion.candidates(line, pos))
    }
}

impl Hinter for AgentHelper {
    type Hint = String;
}

impl Highlighter for AgentHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for AgentHelper {}

impl Helper for AgentHelper {}

/// The primary prompt.
fn prompt(sh: &Shell, status: i32) -> String {
    let cwd = sh
        .vfs()
        .and_then(|v| v.cwd().ok())
        .map_or_else(|| "?".to_string(), |p| p.to_string_lossy().into_owned());
    if status == 0 {
        format!("agentsh:{cwd}$ ")
    } else {
        format!("agentsh:{cwd} [{status}]$ ")
    }
}

/// Run the interactive session; returns the exit status.
pub fn run(sh: &mut Shell, history: Option<&str>) -> i32 {
    // Each line is one exec; the EXIT trap waits for the end of the session.
    sh.set_interactive(true);
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .completion_type(rustyline::CompletionType::List)
        .max_history_size(10_000)
        .map(|b| b.build());
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("agentsh: {e}");
            return 1;
        }
    };
    let mut rl: Editor<AgentHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("agentsh: cannot start the line editor: {e}");
            return 1;
        }
    };
    rl.set_helper(Some(AgentHelper {
        completion: Completion::of(sh),
    }));
    if let Some(h) = history {
        // A missing history file is normal on first use.
        if let Err(e) = rl.load_history(h)
            && std::path::Path::new(h).exists()
        {
            eprintln!("agentsh: --history {h}: {e}");
        }
    }
    let cancel = sh.cancel_handle();
    if let Err(e) = ctrlc::set_handler(move || cancel.cancel()) {
        eprintln!("agentsh: cannot handle Ctrl-C: {e}");
    }
    let mut status = 0;
    let mut buf = String::new();
    loop {
        let p = if buf.is_empty() {
            prompt(sh, status)
        } else {
            "> ".to_string()
        };
        match rl.readline(&p) {
            Ok(line) => {
                if !buf.is_empty() {
                    buf.push('\n');
                }
                buf.push_str(&line);
                if is_incomplete(&buf) {
                    continue;
                }
                let cmd = std::mem::take(&mut buf);
                if cmd.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(cmd.as_str());
                status = exec_streaming(sh, &cmd);
                if let Some(h) = rl.helper_mut() {
                    h.completion = Completion::of(sh);
                }
                if sh.exit_requested() {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {
                // As bash: the line is dropped and `$?` becomes 130.
                buf.clear();
                status = sh.exec("(exit 130)").status;
            }
            Err(ReadlineError::Eof) => {
                eprintln!("exit");
                break;
            }
            Err(e) => {
                eprintln!("agentsh: {e}");
                break;
            }
        }
    }
    if let Some(h) = history
        && let Err(e) = rl.save_history(h)
    {
        eprintln!("agentsh: --history {h}: {e}");
    }
    // The EXIT trap runs once, as the session ends (`exit` or Ctrl-D).
    exit_trap_streaming(sh)
}

/// Run the session's EXIT trap with output streamed; the final status.
fn exit_trap_streaming(sh: &mut Shell) -> i32 {
    let r = sh.run_exit_trap_with(streaming_options());
    print_limit_tail(&r);
    r.status
}

/// Options that stream output to this process's stdout and stderr.
fn streaming_options() -> ExecOptions {
    let on_out = std::sync::Arc::new(|b: &[u8]| {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(b);
        let _ = o.flush();
    });
    let on_err = std::sync::Arc::new(|b: &[u8]| {
        let _ = std::io::stderr().lock().write_all(b);
    });
    ExecOptions {
        on_stdout: Some(on_out),
        on_stderr: Some(on_err),
        ..Default::default()
    }
}

/// The limit's message is added after the stream ends: print it now.
fn print_limit_tail(r: &ExecResult) {
    match r.limit {
        Some(Limit::Cancelled) => {
            let _ = std::io::stderr().write_all(b"\n");
        }
        Some(l) => {
            let tail = format!("agentsh: {} exceeded\n", l.name());
            if r.stderr.ends_with(tail.as_bytes()) {
                let _ = std::io::stderr().write_all(tail.as_bytes());
            }
        }
        None => {}
    }
}

/// Run `script` with output streamed to this process's stdout and stderr; the status.
pub fn exec_streaming(sh: &mut Shell, script: &str) -> i32 {
    let r = sh.exec_with(script, streaming_options());
    print_limit_tail(&r);
    r.status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &Completion, line: &str) -> (usize, Vec<String>) {
        let (s, p) = c.candidates(line, line.len());
        (s, p.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_commands_vars_and_paths() {
        let fs = Vfs::new();
        let _ = fs.create_dir_all("/data/sub dir", 0o755);
        let _ = fs.write("/data/notes.txt", "x");
        let mut sh = Shell::new(fs);
        sh.exec("HOSTLIKE=1");
        let c = Completion::of(&sh);
        let (s, v) = names(&c, "gr");
        assert_eq!(s, 0);
        assert!(v.iter().any(|c| c.trim_end() == "grep"), "{v:?}");
        assert!(v.iter().all(|c| c.starts_with("gr")), "{v:?}");
        assert_eq!(names(&c, "if trun").1, vec!["truncate ".to_string()]);
        assert_eq!(names(&c, "ls | wc").1, vec!["wc ".to_string()]);
        let (s, v) = names(&c, "echo $HOSTL");
        assert_eq!((s, v), (5, vec!["$HOSTLIKE".to_string()]));
        assert_eq!(names(&c, "echo ${HOSTL").1, vec!["${HOSTLIKE}".to_string()]);
        assert_eq!(
            names(&c, "cat /data/no").1,
            vec!["/data/notes.txt ".to_string()]
        );
        assert_eq!(
            names(&c, "cd /data/su").1,
            vec!["/data/sub\\ dir/".to_string()]
        );
        let (s, v) = names(&c, "cat /data/");
        assert_eq!(s, 4);
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn command_positions() {
        assert!(command_position(""));
        assert!(command_position("a; "));
        assert!(command_position("if true; then "));
        assert!(command_position("x | "));
        assert!(!command_position("echo "));
    }
}

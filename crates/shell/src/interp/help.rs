//! `help`: what each builtin and keyword does. `help -s` gives bash's synopses; the
//! descriptions (`help NAME`, `help -d`, `help -m`) are agentsh's own one-line summaries,
//! not bash's manual text. A name picks its exact topic, else every topic it begins; a
//! pattern with `*` or `?` matches as a glob, under bash's "matching" header.

use super::Interp;

/// Topic, synopsis, description; in bash's (byte) order.
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "(( ... ))",
        "(( expression ))",
        "Evaluate an arithmetic expression; succeed if it is not zero.",
    ),
    (
        ".",
        ". filename [arguments]",
        "Run the commands of a file in this shell.",
    ),
    (":", ":", "Do nothing and succeed."),
    (
        "[",
        "[ arg... ]",
        "Evaluate a conditional expression; the last argument must be `]'.",
    ),
    (
        "[[ ... ]]",
        "[[ expression ]]",
        "Evaluate a conditional expression with patterns and regular expressions.",
    ),
    (
        "alias",
        "alias [-p] [name[=value] ... ]",
        "Define aliases or show them.",
    ),
    (
        "bg",
        "bg [job_spec ...]",
        "Resume a job in the background (needs job control).",
    ),
    (
        "bind",
        "bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]",
        "Set line-editor key bindings (no line editor here).",
    ),
    (
        "break",
        "break [n]",
        "Leave the innermost N enclosing loops.",
    ),
    (
        "builtin",
        "builtin [shell-builtin [arg ...]]",
        "Run a shell builtin, skipping functions of the same name.",
    ),
    (
        "caller",
        "caller [expr]",
        "Show the line, function and file of an active call.",
    ),
    (
        "case",
        "case WORD in [PATTERN [| PATTERN]...) COMMANDS ;;]... esac",
        "Run the commands of the first pattern that matches a word.",
    ),
    (
        "cd",
        "cd [-L|[-P [-e]] [-@]] [dir]",
        "Change the working directory.",
    ),
    (
        "command",
        "command [-pVv] command [arg ...]",
        "Run a command without function lookup, or describe it.",
    ),
    (
        "compgen",
        "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]",
        "Print the completions a specification would offer for a word.",
    ),
    (
        "complete",
        "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]",
        "Define or show completion specifications.",
    ),
    (
        "compopt",
        "compopt [-o|+o option] [-DEI] [name ...]",
        "Change the options of completion specifications.",
    ),
    (
        "continue",
        "continue [n]",
        "Start the next iteration of the Nth enclosing loop.",
    ),
    (
        "coproc",
        "coproc [NAME] command [redirections]",
        "Run a command in the background with pipes to and from it.",
    ),
    (
        "declare",
        "declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]",
        "Set variable values and attributes, or show them.",
    ),
    (
        "dirs",
        "dirs [-clpv] [+N] [-N]",
        "Show the directory stack.",
    ),
    (
        "disown",
        "disown [-h] [-ar] [jobspec ... | pid ...]",
        "Remove jobs from the job table.",
    ),
    (
        "echo",
        "echo [-neE] [arg ...]",
        "Write the arguments to standard output.",
    ),
    (
        "enable",
        "enable [-a] [-dnps] [-f filename] [name ...]",
        "Turn builtins on or off, or list them.",
    ),
    (
        "eval",
        "eval [arg ...]",
        "Run the arguments, joined, as a command.",
    ),
    (
        "exec",
        "exec [-cl] [-a name] [command [argument ...]] [redirection ...]",
        "Replace the shell with a command, or apply redirections to the shell.",
    ),
    ("exit", "exit [n]", "Leave the shell with status N."),
    (
        "export",
        "export [-fn] [name[=value] ...] or export -p",
        "Mark variables for export to the commands the shell runs.",
    ),
    ("false", "false", "Fail: return status 1."),
    (
        "fc",
        "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]",
        "List or rerun history entries.",
    ),
    (
        "fg",
        "fg [job_spec]",
        "Bring a job to the foreground (needs job control).",
    ),
    (
        "for",
        "for NAME [in WORDS ... ] ; do COMMANDS; done",
        "Run commands once for each word, or while an arithmetic condition holds.",
    ),
    (
        "function",
        "function name { COMMANDS ; } or name () { COMMANDS ; }",
        "Define a shell function.",
    ),
    (
        "getopts",
        "getopts optstring name [arg ...]",
        "Parse options from the positional parameters.",
    ),
    (
        "hash",
        "hash [-lr] [-p pathname] [-dt] [name ...]",
        "Remember or show where commands were found.",
    ),
    (
        "help",
        "help [-dms] [pattern ...]",
        "Show what the builtins and keywords do.",
    ),
    (
        "history",
        "history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]",
        "Show or change the history list.",
    ),
    (
        "if",
        "if COMMANDS; then COMMANDS; [ elif COMMANDS; then COMMANDS; ]... [ else COMMANDS; ] fi",
        "Run commands depending on the status of other commands.",
    ),
    (
        "jobs",
        "jobs [-lnprs] [jobspec ...] or jobs -x command [args]",
        "List the background jobs.",
    ),
    (
        "kill",
        "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
        "Send a signal to a job or process, or list signal names.",
    ),
    (
        "let",
        "let arg [arg ...]",
        "Evaluate arithmetic expressions.",
    ),
    (
        "local",
        "local [option] name[=value] ...",
        "Create variables local to the current function.",
    ),
    ("logout", "logout [n]", "Leave a login shell."),
    (
        "mapfile",
        "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "Read lines into an indexed array.",
    ),
    (
        "popd",
        "popd [-n] [+N | -N]",
        "Remove a directory from the stack and change to the new top.",
    ),
    (
        "printf",
        "printf [-v var] format [arguments]",
        "Format and print the arguments under control of a format.",
    ),
    (
        "pushd",
        "pushd [-n] [+N | -N | dir]",
        "Add a directory to the stack, or rotate it, and change directory.",
    ),
    ("pwd", "pwd [-LP]", "Print the working directory."),
    (
        "read",
        "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
        "Read a line and split it into variables.",
    ),
    (
        "readarray",
        "readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "Read lines into an indexed array (same as mapfile).",
    ),
    (
        "readonly",
        "readonly [-aAf] [name[=value] ...] or readonly -p",
        "Make variables read-only, or list them.",
    ),
    (
        "return",
        "return [n]",
        "Return from a function or sourced file with status N.",
    ),
    (
        "select",
        "select NAME [in WORDS ... ;] do COMMANDS; done",
        "Show a menu of words and run commands on the one chosen.",
    ),
    (
        "set",
        "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]",
        "Set shell options and positional parameters, or list variables.",
    ),
    (
        "shift",
        "shift [n]",
        "Drop the first N positional parameters.",
    ),
    (
        "shopt",
        "shopt [-pqsu] [-o] [optname ...]",
        "Set, unset or show shell options.",
    ),
    (
        "source",
        "source filename [arguments]",
        "Run the commands of a file in this shell.",
    ),
    (
        "suspend",
        "suspend [-f]",
        "Stop the shell until it is continued (needs job control).",
    ),
    ("test", "test [expr]", "Evaluate a conditional expression."),
    (
        "time",
        "time [-p] pipeline",
        "Report the time a pipeline takes.",
    ),
    ("times", "times", "Show the CPU time the shell has used."),
    (
        "trap",
        "trap [-lp] [[arg] signal_spec ...]",
        "Run commands when the shell gets a signal or other event.",
    ),
    ("true", "true", "Succeed: return status 0."),
    (
        "type",
        "type [-afptP] name [name ...]",
        "Tell how each name would be interpreted as a command.",
    ),
    (
        "typeset",
        "typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]",
        "Set variable values and attributes (same as declare).",
    ),
    (
        "ulimit",
        "ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]",
        "Show or set resource limits.",
    ),
    (
        "umask",
        "umask [-p] [-S] [mode]",
        "Show or set the file-creation mask.",
    ),
    ("unalias", "unalias [-a] name [name ...]", "Remove aliases."),
    (
        "unset",
        "unset [-f] [-v] [-n] [name ...]",
        "Remove variables or functions.",
    ),
    (
        "until",
        "until COMMANDS; do COMMANDS-2; done",
        "Run commands until a test succeeds.",
    ),
    (
        "wait",
        "wait [-fn] [-p var] [id ...]",
        "Wait for jobs to finish and return their status.",
    ),
    (
        "while",
        "while COMMANDS; do COMMANDS-2; done",
        "Run commands while a test succeeds.",
    ),
    (
        "{ ... }",
        "{ COMMANDS ; }",
        "Run a list of commands as a group.",
    ),
];

impl Interp {
    /// `help [-dms] [pattern ...]`.
    pub(super) fn b_help(&mut self, args: &[String]) -> i32 {
        let usage = "help: usage: help [-dms] [pattern ...]";
        let (flags, i) = match self.flag_letters("help", args, "dms", usage) {
            Ok(f) => f,
            Err(status) => return status,
        };
        let mode = flags.chars().last().unwrap_or('f');
        let patterns = &args[i..];
        let mut out = String::new();
        if patterns.is_empty() {
            out.push_str(
                "agentsh, a bash-compatible shell. These commands are defined internally.\n",
            );
            out.push_str("Type `help name' to find out more about the function `name'.\n\n");
            for (_, syn, _) in TOPICS {
                out.push_str(syn);
                out.push('\n');
            }
            return i32::from(self.write_fd(1, out.as_bytes()).is_err());
        }
        let mut status = 0;
        for pat in patterns {
            let glob = pat.contains(['*', '?']);
            let found: Vec<&(&str, &str, &str)> = if glob {
                TOPICS
                    .iter()
                    .filter(|t| self.pattern_matches(pat, t.0, false))
                    .collect()
            } else if let Some(t) = TOPICS.iter().find(|t| t.0 == pat) {
                vec![t]
            } else {
                TOPICS
                    .iter()
                    .filter(|t| t.0.starts_with(pat.as_str()))
                    .collect()
            };
            if found.is_empty() {
                self.error(&format!(
                    "help: no help topics match `{pat}'.  Try `help help' or `man -k {pat}' or `info {pat}'."
                ));
                status = 1;
                continue;
            }
            if glob {
                out.push_str(&format!("Shell commands matching keyword `{pat}'\n\n"));
            }
            for (name, syn, desc) in found {
                match mode {
                    's' => out.push_str(&format!("{name}: {syn}\n")),
                    'd' => out.push_str(&format!("{name} - {desc}\n")),
                    'm' => out.push_str(&format!(
                        "NAME\n    {name} - {desc}\n\nSYNOPSIS\n    {syn}\n\n"
                    )),
                    _ => out.push_str(&format!("{name}: {syn}\n    {desc}\n")),
                }
            }
        }
        if self.write_fd(1, out.as_bytes()).is_err() {
            return 1;
        }
        status
    }
}

//! What an interactive front end (a line editor) needs to know about a session: whether
//! the text typed so far is an unfinished command (so it should read another line, as
//! bash does with `PS2`), whether the last `exec` ended with `exit`, and the names it may
//! complete (commands, builtins, functions, variables).

use super::Shell;
use crate::commands::Registry;

/// True if `text` is an unfinished command that more lines could complete: an open
/// quote, `$(`, `${` or backquote, an unclosed `if`/`for`/`while`/`until`/`case`/`{`/`(`
/// or function body, a here-document without its terminator, a trailing `|`, `&&` or
/// `||`, or a last line ending in a backslash. A text with a real syntax error (or none)
/// is complete: running it reports the error.
pub fn is_incomplete(text: &str) -> bool {
    let trailing = text.bytes().rev().take_while(|&b| b == b'\\').count();
    if trailing % 2 == 1 {
        return true;
    }
    let opts = brush_parser::ParserOptions {
        enable_extended_globbing: true,
        ..Default::default()
    };
    match crate::parse::parse_warn(text, &opts) {
        // A here-document the end of the text closed is still being typed.
        Ok((_, warnings)) => !warnings.is_empty(),
        Err(e) => {
            e.what == "syntax error: unexpected end of file"
                || e.what.starts_with("unexpected EOF while looking for")
                || e.what
                    .starts_with("syntax error: unterminated here document")
                || e.what
                    .starts_with("syntax error: unterminated escape sequence")
                || e.what
                    .starts_with("syntax error: unterminated extended glob")
        }
    }
}

/// The syntax error in `text`, as bash prints it for a shell named `name` (the whole
/// message, newline included), or `None` if `text` parses.
pub fn syntax_error(text: &str, name: &str) -> Option<String> {
    let opts = brush_parser::ParserOptions {
        enable_extended_globbing: true,
        ..Default::default()
    };
    crate::parse::parse(text, &opts)
        .err()
        .map(|e| e.message(name, 0))
}

impl Shell {
    /// True if the last [`Shell::exec`] ended by `exit` (or by `set -e`), as opposed to
    /// running off the end of its text or stopping at a syntax error.
    pub fn exit_requested(&self) -> bool {
        self.interp.as_ref().is_some_and(|i| i.exit_requested)
    }

    /// Names a command word may complete to: builtins, registered commands and the
    /// session's functions, sorted and without duplicates.
    pub fn command_names(&self) -> Vec<String> {
        let mut v: Vec<String> = crate::interp::builtin_names()
            .iter()
            .chain(Registry::shared().names().iter())
            .map(|s| s.to_string())
            .collect();
        if let Some(it) = &self.interp {
            v.extend(it.funcs.keys().cloned());
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every variable name visible at the top level, sorted.
    pub fn var_names(&self) -> Vec<String> {
        self.interp
            .as_ref()
            .map(|i| i.vars.names())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_constructs() {
        for s in [
            "echo 'abc",
            "echo \"abc",
            "echo $(ls",
            "for i in 1 2; do",
            "for i in 1 2; do\necho $i",
            "if true; then",
            "while false",
            "case x in",
            "f() {",
            "cat <<EOF\nhello",
            "ls |",
            "true &&",
            "false ||",
            "echo a \\",
            "{ echo",
            "( echo",
            "[[ -n x",
        ] {
            assert!(is_incomplete(s), "{s:?} should be unfinished");
        }
        for s in [
            "echo hi",
            "",
            "for i in 1 2; do echo $i; done",
            "cat <<EOF\nhello\nEOF",
            "echo a \\\\",
            "fi",
            "a | | b",
            "echo )",
        ] {
            assert!(!is_incomplete(s), "{s:?} should be complete");
        }
    }

    #[test]
    fn syntax_errors_are_named() {
        assert_eq!(syntax_error("echo hi", "x"), None);
        assert_eq!(
            syntax_error("echo a\nfi", "x").as_deref(),
            Some("x: line 2: syntax error near unexpected token `fi'\nx: line 2: `fi'\n")
        );
    }

    #[test]
    fn exit_is_seen() {
        let mut sh = Shell::new(vfs_core::Vfs::new());
        sh.exec("true");
        assert!(!sh.exit_requested());
        sh.exec("(exit 3); echo $?");
        assert!(!sh.exit_requested());
        assert_eq!(sh.exec("exit 4").status, 4);
        assert!(sh.exit_requested());
        sh.exec("if then");
        assert!(!sh.exit_requested());
    }

    #[test]
    fn names_to_complete() {
        let mut sh = Shell::new(vfs_core::Vfs::new());
        sh.exec("myfunc() { :; }; MYVAR=1");
        let c = sh.command_names();
        for n in ["cd", "grep", "myfunc", "exit"] {
            assert!(c.iter().any(|x| x == n), "{n} missing");
        }
        assert!(sh.var_names().iter().any(|x| x == "MYVAR"));
    }
}

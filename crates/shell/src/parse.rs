//! Parsing with brush-parser, and syntax errors in bash's words.
//!
//! bash reads a script one complete command at a time, so the commands before a syntax
//! error run; [`parse_prefix`] finds the longest run of whole lines that parses, which
//! the shell runs before reporting the error.

mod cond;

use brush_parser::ast::Program;
use brush_parser::{ParseError, ParserOptions};

/// A syntax error, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line of the error in the parsed text.
    pub line: usize,
    /// What bash says ("syntax error near unexpected token `fi'").
    pub what: String,
    /// The offending line's text, shown on a second line for token errors.
    pub context: Option<String>,
    /// An error in `[[ ... ]]`: bash gives its own messages (`notes`, each with its
    /// line; there may be none), and the shell exits with the last command's status
    /// (see [`SyntaxError::exit_status`]).
    pub cond: bool,
    /// The `[[ ... ]]` error met the end of the text.
    pub cond_eof: bool,
    /// A status bash exits with instead of 2 (1 for an unclosed `name=(`).
    pub status: Option<i32>,
    /// The messages of a `[[ ... ]]` error.
    pub notes: Vec<(usize, String)>,
}

impl SyntaxError {
    /// The status a shell exits with after this error, `last` being the last command's:
    /// 2, but a `[[ ... ]]` error leaves the status alone (and one at the end of the text
    /// makes a zero status 2).
    pub fn exit_status(&self, last: i32) -> i32 {
        if let Some(s) = self.status {
            s
        } else if !self.cond || (self.cond_eof && last == 0) {
            2
        } else {
            last
        }
    }

    /// The full message as bash prints it, for a shell named `name` (`agentsh: -c` or a
    /// script path), with `line_base` added to the line number.
    pub fn message(&self, name: &str, line_base: usize) -> String {
        if self.cond {
            return self
                .notes
                .iter()
                .map(|(l, m)| format!("{name}: line {}: {m}\n", l + line_base))
                .collect();
        }
        let line = self.line + line_base;
        let mut s = format!("{name}: line {line}: {}\n", self.what);
        if let Some(c) = &self.context {
            s.push_str(&format!("{name}: line {line}: `{c}'\n"));
        }
        s
    }
}

/// A here-document that the end of the text closed, which bash accepts with a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDocWarning {
    /// The text's last line, where bash met the end.
    pub line: usize,
    /// The line of the `<<`.
    pub doc_line: usize,
    /// The delimiter the document wanted.
    pub tag: String,
}

impl HereDocWarning {
    /// The warning as bash prints it, for a shell named `name`, lines moved by `line_base`.
    pub fn message(&self, name: &str, line_base: usize) -> String {
        format!(
            "{name}: line {}: {}",
            self.line + line_base,
            self.text(line_base)
        )
    }

    fn text(&self, line_base: usize) -> String {
        format!(
            "warning: here-document at line {} delimited by end-of-file (wanted `{}')\n",
            self.doc_line + line_base,
            self.tag
        )
    }
}

/// Parse a whole program.
pub fn parse(text: &str, opts: &ParserOptions) -> Result<Program, SyntaxError> {
    parse_warn(text, opts).map(|(p, _)| p)
}

/// Parse a whole program, with the warnings bash gives while reading it: a here-document
/// the end of the text closes is taken up to there, as bash does.
pub fn parse_warn(
    text: &str,
    opts: &ParserOptions,
) -> Result<(Program, Vec<HereDocWarning>), SyntaxError> {
    // bash reads whole lines: a last line without its newline is still a finished line.
    let mut text = if text.ends_with('\n') || text.is_empty() {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    let last_line = text.lines().count();
    let mut warnings = Vec::new();
    let mut last_tag_line = None;
    loop {
        let mut p = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), opts);
        match p.parse_program() {
            Ok(prog) => {
                // brush-parser takes some conditionals bash rejects (`[[ a<newline>]]`).
                if text.contains("[[")
                    && let Some(e) = cond_scan(&text, usize::MAX, opts)
                {
                    return Err(e);
                }
                return Ok((prog, warnings));
            }
            Err(ParseError::Tokenizing {
                inner: brush_parser::TokenizerError::UnterminatedHereDocuments(tags, at),
                ..
            }) if !tags.is_empty() && warnings.len() < 16 => {
                // The first open document ends at the end of the text: give it its
                // delimiter there and read on (a later one may be open too).
                let tag = tags.split(", ").next().unwrap_or_default();
                let tag: String = tag
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                let doc_line = at
                    .split(", ")
                    .next()
                    .and_then(|p| p.split(',').next())
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1);
                // bash names the line it starts a document's body on: a later document
                // of the same `<<` line starts where the one before ran out, at the end.
                let after_open = last_tag_line == Some(doc_line);
                last_tag_line = Some(doc_line);
                text.push_str(&tag);
                text.push('\n');
                warnings.push(HereDocWarning {
                    line: last_line,
                    doc_line: if after_open { last_line } else { doc_line },
                    tag,
                });
            }
            Err(e) => {
                return Err(
                    cond_error(&text, &e, opts).unwrap_or_else(|| describe(&text, &e, opts))
                );
            }
        }
    }
}

/// bash's `syntax error: unexpected end of file`, on the line after the text's last.
fn unexpected_eof(text: &str) -> SyntaxError {
    SyntaxError {
        line: lines_plus_one(text),
        what: "syntax error: unexpected end of file".into(),
        context: None,
        cond: false,
        cond_eof: false,
        status: None,
        notes: Vec::new(),
    }
}

fn lines_plus_one(text: &str) -> usize {
    let n = text.lines().count();
    if text.ends_with('\n') {
        n + 1
    } else {
        n.max(1) + usize::from(!text.is_empty())
    }
}

/// The first `[[ ... ]]` up to the error that bash's conditional parser rejects, as
/// that parser words it.
fn cond_error(text: &str, e: &ParseError, opts: &ParserOptions) -> Option<SyntaxError> {
    let limit = match e {
        ParseError::ParsingNear(p) => p.index,
        ParseError::ParsingAtEndOfInput => usize::MAX,
        ParseError::Tokenizing { .. } => return None,
    };
    cond_scan(text, limit, opts)
}

/// The first `[[ ... ]]` starting at or before byte `limit` that bash's conditional
/// parser rejects.
fn cond_scan(text: &str, limit: usize, opts: &ParserOptions) -> Option<SyntaxError> {
    use brush_parser::Token;
    let tokens = brush_parser::tokenize_str_with_options(text, &opts.tokenizer_options()).ok()?;
    let eof_line = lines_plus_one(text);
    let mut i = 0;
    while i < tokens.len() {
        let starts = match &tokens[i] {
            Token::Word(w, l) if w == "[[" && l.start.index <= limit => match i.checked_sub(1) {
                None => true,
                Some(p) => match &tokens[p] {
                    Token::Operator(o, _) => matches!(
                        o.as_str(),
                        ";" | "\n"
                            | "&&"
                            | "||"
                            | "|"
                            | "|&"
                            | "("
                            | ")"
                            | "&"
                            | ";;"
                            | ";&"
                            | ";;&"
                    ),
                    Token::Word(w, _) => matches!(
                        w.as_str(),
                        "then"
                            | "do"
                            | "else"
                            | "elif"
                            | "if"
                            | "while"
                            | "until"
                            | "!"
                            | "{"
                            | "time"
                    ),
                },
            },
            _ => false,
        };
        if starts {
            match cond::check(&tokens, i, eof_line) {
                Ok(end) => i = end,
                Err(cond::CondError { msgs: notes, eof }) => {
                    let line = match &tokens[i] {
                        Token::Word(_, l) | Token::Operator(_, l) => l.start.line,
                    };
                    return Some(SyntaxError {
                        line,
                        what: notes.first().map(|n| n.1.clone()).unwrap_or_default(),
                        context: None,
                        cond: true,
                        cond_eof: eof,
                        status: None,
                        notes,
                    });
                }
            }
        }
        i += 1;
    }
    None
}

fn describe(text: &str, e: &ParseError, opts: &ParserOptions) -> SyntaxError {
    match e {
        ParseError::ParsingAtEndOfInput => {
            if let Some((line, array)) = open_paren_pair(text, opts) {
                let mut e = eof_match(line, ")");
                // bash exits 1, not 2, from an array value the text never closes.
                e.status = array.then_some(1);
                return e;
            }
            unexpected_eof(text)
        }
        ParseError::ParsingNear(pos) => {
            let token = token_at(text, pos, opts).unwrap_or_default();
            let line_text = text
                .lines()
                .nth(pos.line.saturating_sub(1))
                .unwrap_or("")
                .to_string();
            if token.is_empty() {
                return unexpected_eof(text);
            }
            let shown = if token == "\n" {
                "newline".to_string()
            } else {
                token
            };
            SyntaxError {
                line: pos.line,
                what: format!("syntax error near unexpected token `{shown}'"),
                context: Some(line_text),
                cond: false,
                cond_eof: false,
                status: None,
                notes: Vec::new(),
            }
        }
        ParseError::Tokenizing { inner, position } => {
            use brush_parser::TokenizerError as T;
            let line = position.as_ref().map_or(1, |p| p.line);
            let what = match inner {
                T::UnterminatedSingleQuote(p) => return eof_match(p.line, "'"),
                T::UnterminatedDoubleQuote(p) => return eof_match(p.line, "\""),
                T::UnterminatedBackquote(p) => return eof_match(p.line, "`"),
                T::UnterminatedAnsiCQuote(p) => return eof_match(p.line, "'"),
                T::UnterminatedCommandSubstitution | T::UnterminatedExpansion => {
                    return eof_match(line, ")");
                }
                T::UnterminatedVariable => return eof_match(line, "}"),
                T::UnterminatedMatchedPair(c, p) => return eof_match(p.line, &c.to_string()),
                // A `<<` with no word after it on its line: bash meets the newline.
                T::UnterminatedHereDocuments(tags, _) if tags.is_empty() => {
                    if let Some((n, l)) = text.lines().enumerate().find(|(_, l)| {
                        let l = l.trim_end();
                        l.ends_with("<<") || l.ends_with("<<-")
                    }) {
                        return SyntaxError {
                            line: n + 1,
                            what: "syntax error near unexpected token `newline'".into(),
                            context: Some(l.to_string()),
                            cond: false,
                            cond_eof: false,
                            status: None,
                            notes: Vec::new(),
                        };
                    }
                    format!("syntax error: {inner}")
                }
                other => format!("syntax error: {other}"),
            };
            SyntaxError {
                line,
                what,
                context: None,
                cond: false,
                cond_eof: false,
                status: None,
                notes: Vec::new(),
            }
        }
    }
}

fn eof_match(line: usize, what: &str) -> SyntaxError {
    SyntaxError {
        line,
        what: format!("unexpected EOF while looking for matching `{what}'"),
        context: None,
        cond: false,
        cond_eof: false,
        status: None,
        notes: Vec::new(),
    }
}

/// The line of a `((`, `name=(` or `<(` the text never closes, and whether it is an
/// array value. bash reads the first two as a matched pair of parentheses, so running
/// out of text inside one is "unexpected EOF while looking for matching `)'" at its
/// start, not a plain unexpected end of file (and at the end for a process
/// substitution).
fn open_paren_pair(text: &str, opts: &ParserOptions) -> Option<(usize, bool)> {
    use brush_parser::Token;
    let tokens = brush_parser::tokenize_str_with_options(text, &opts.tokenizer_options()).ok()?;
    let is_open = |t: &Token| matches!(t, Token::Operator(o, _) if o == "(");
    let mut i = 0;
    while i < tokens.len() {
        let start = match (&tokens[i], tokens.get(i + 1)) {
            (Token::Operator(o, a), Some(Token::Operator(p, b)))
                if o == "(" && p == "(" && a.end.index == b.start.index =>
            {
                Some((a.start.line, false))
            }
            (Token::Word(w, a), Some(Token::Operator(p, b)))
                if w.ends_with('=') && p == "(" && a.end.index == b.start.index =>
            {
                i += 1;
                Some((a.start.line, true))
            }
            // A process substitution is parsed as commands, like `$(`: bash names the
            // line the text ends on.
            (Token::Operator(o, a), Some(Token::Operator(p, b)))
                if (o == "<" || o == ">") && p == "(" && a.end.index == b.start.index =>
            {
                i += 1;
                Some((lines_plus_one(text), false))
            }
            _ => None,
        };
        let Some(found) = start else {
            i += 1;
            continue;
        };
        let mut depth = 0usize;
        let mut closed = false;
        while i < tokens.len() {
            if is_open(&tokens[i]) {
                depth += 1;
            } else if matches!(&tokens[i], Token::Operator(o, _) if o == ")") {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    closed = true;
                    break;
                }
            }
            i += 1;
        }
        if !closed {
            return Some(found);
        }
        i += 1;
    }
    None
}

/// The offending token of a parse error at `pos`: the token that starts there (the
/// grammar's furthest failure is the token an LR parser like bash's stops at).
fn token_at(
    text: &str,
    pos: &brush_parser::SourcePosition,
    opts: &ParserOptions,
) -> Option<String> {
    let tokens = brush_parser::tokenize_str_with_options(text, &opts.tokenizer_options()).ok()?;
    tokens.iter().find_map(|t| match t {
        brush_parser::Token::Operator(s, sp) | brush_parser::Token::Word(s, sp)
            if sp.start.index == pos.index =>
        {
            Some(s.clone())
        }
        _ => None,
    })
}

/// For a text that does not parse: the longest prefix of whole lines that does (which
/// bash would have run before meeting the error), if any.
pub fn parse_prefix(text: &str, opts: &ParserOptions, err_line: usize) -> Option<Program> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut end_line = err_line.saturating_sub(1);
    while end_line > 0 {
        let end = *starts.get(end_line)?;
        let prefix = &text[..end];
        if let Ok(p) = parse(prefix, opts) {
            return Some(p);
        }
        end_line -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse(s, &ParserOptions::default())
            .unwrap_err()
            .message("agentsh: -c", 0)
    }

    #[test]
    fn messages_like_bash() {
        assert_eq!(
            err("echo a\nfi"),
            "agentsh: -c: line 2: syntax error near unexpected token `fi'\nagentsh: -c: line 2: `fi'\n"
        );
        assert_eq!(
            err("if true; then\necho x"),
            "agentsh: -c: line 3: syntax error: unexpected end of file\n"
        );
        assert_eq!(
            err("echo \"unterminated"),
            "agentsh: -c: line 1: unexpected EOF while looking for matching `\"'\n"
        );
        assert_eq!(
            err("a | | b"),
            "agentsh: -c: line 1: syntax error near unexpected token `|'\nagentsh: -c: line 1: `a | | b'\n"
        );
    }

    #[test]
    fn prefix_before_the_error_parses() {
        let text = "echo a\necho b\nfi\necho c";
        let e = parse(text, &ParserOptions::default()).unwrap_err();
        let p = parse_prefix(text, &ParserOptions::default(), e.line).unwrap();
        assert_eq!(p.complete_commands.len(), 2);
    }

    #[test]
    fn the_token_bash_names() {
        for (text, token) in [
            ("then echo x", "then"),
            ("echo x; else echo y", "else"),
            ("echo (", "newline"),
            ("x=1 (", "("),
            ("a=b() { :; }", "("),
            ("echo a > > b", ">"),
            ("cat < (echo hi)", "("),
            ("function", "newline"),
            ("echo a <<", "newline"),
        ] {
            let want = format!("syntax error near unexpected token `{token}'");
            let e = parse(text, &ParserOptions::default()).unwrap_err();
            assert_eq!(e.what, want, "{text:?}");
            assert_eq!(e.line, 1, "{text:?}");
        }
    }

    #[test]
    fn unclosed_pairs_name_their_first_line() {
        assert_eq!(
            err("echo ${x\n\n"),
            "agentsh: -c: line 1: unexpected EOF while looking for matching `}'\n"
        );
        assert_eq!(
            err("echo $(( 1 +\n2\n"),
            "agentsh: -c: line 1: unexpected EOF while looking for matching `)'\n"
        );
        assert_eq!(
            err("echo a\n(( 1 +\n"),
            "agentsh: -c: line 2: unexpected EOF while looking for matching `)'\n"
        );
        // A command substitution is parsed as commands: bash names where the text ends.
        assert_eq!(
            err("echo $(\necho a\n"),
            "agentsh: -c: line 3: unexpected EOF while looking for matching `)'\n"
        );
        assert_eq!(
            err("cat <(\necho a\n"),
            "agentsh: -c: line 3: unexpected EOF while looking for matching `)'\n"
        );
        let e = parse("a=(1 2\n", &ParserOptions::default()).unwrap_err();
        assert_eq!(e.exit_status(0), 1);
        let e = parse("(( 1\n", &ParserOptions::default()).unwrap_err();
        assert_eq!(e.exit_status(0), 2);
    }

    #[test]
    fn two_here_documents_closed_by_the_end() {
        let (_, w) = parse_warn("cat <<A <<B\nonly\n", &ParserOptions::default()).unwrap();
        let lines: Vec<(usize, usize)> = w.iter().map(|w| (w.line, w.doc_line)).collect();
        assert_eq!(lines, [(2, 1), (2, 2)]);
    }

    #[test]
    fn here_document_closed_by_the_end() {
        let (_, w) = parse_warn("cat <<'END'\nline\nmore", &ParserOptions::default()).unwrap();
        assert_eq!(
            w.iter().map(|w| w.message("sh", 0)).collect::<String>(),
            "sh: line 3: warning: here-document at line 1 delimited by end-of-file (wanted `END')\n"
        );
    }

    #[test]
    fn conditional_errors_in_bash_words() {
        for (text, want) in [
            (
                "[[ a -foo b ]]",
                "line 1: conditional binary operator expected\n",
            ),
            (
                "[[ -f ]]",
                "line 1: unexpected argument `]]' to conditional unary operator\n",
            ),
            (
                "[[ -n x\n",
                "line 1: unexpected EOF while looking for `]]'\n",
            ),
            (
                "[[ a ; ]]",
                "line 1: unexpected token `;', conditional binary operator expected\n",
            ),
            (
                "[[ ( a b ) ]]",
                "line 1: conditional binary operator expected\nX: line 1: expected `)'\n",
            ),
            (
                "echo\n[[ a\n]]",
                "line 2: unexpected token `newline', conditional binary operator expected\n",
            ),
            ("[[ ]]", ""),
        ] {
            let e = parse(text, &ParserOptions::default()).unwrap_err();
            let want = if want.is_empty() {
                String::new()
            } else {
                format!("X: {want}")
            };
            assert_eq!(e.message("X", 0), want, "{text:?}");
            assert!(e.cond);
        }
        // The status is left alone, but a zero one becomes 2 at the end of the text.
        let e = parse("[[ a b ]]", &ParserOptions::default()).unwrap_err();
        assert_eq!((e.exit_status(0), e.exit_status(1)), (0, 1));
        let e = parse("[[ -n x", &ParserOptions::default()).unwrap_err();
        assert_eq!((e.exit_status(0), e.exit_status(1)), (2, 1));
        // Fine conditionals stay fine.
        for ok in [
            "[[ ! -f x || ( a =~ ^b ) ]]",
            "[[ a =~ (x|y)z && b < c ]]",
            "[[ a == @(x|y) ]]",
            "[[ -n a\n&& b ]]",
        ] {
            assert!(parse(ok, &ParserOptions::default()).is_ok(), "{ok:?}");
        }
    }
}

//! Parsing with brush-parser, and syntax errors in bash's words.
//!
//! bash reads a script one complete command at a time, so the commands before a syntax
//! error run; [`parse_prefix`] finds the longest run of whole lines that parses, which
//! the shell runs before reporting the error.

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
}

impl SyntaxError {
    /// The full message as bash prints it, for a shell named `name` (`agentsh: -c` or a
    /// script path), with `line_base` added to the line number.
    pub fn message(&self, name: &str, line_base: usize) -> String {
        let line = self.line + line_base;
        let mut s = format!("{name}: line {line}: {}\n", self.what);
        if let Some(c) = &self.context {
            s.push_str(&format!("{name}: line {line}: `{c}'\n"));
        }
        s
    }
}

/// Parse a whole program.
pub fn parse(text: &str, opts: &ParserOptions) -> Result<Program, SyntaxError> {
    // bash reads whole lines: a last line without its newline is still a finished line.
    let owned;
    let text = if text.ends_with('\n') || text.is_empty() {
        text
    } else {
        owned = format!("{text}\n");
        &owned
    };
    let mut p = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), opts);
    p.parse_program().map_err(|e| describe(text, &e))
}

fn lines_plus_one(text: &str) -> usize {
    let n = text.lines().count();
    if text.ends_with('\n') {
        n + 1
    } else {
        n.max(1) + usize::from(!text.is_empty())
    }
}

fn describe(text: &str, e: &ParseError) -> SyntaxError {
    match e {
        ParseError::ParsingAtEndOfInput => SyntaxError {
            line: lines_plus_one(text),
            what: "syntax error: unexpected end of file".into(),
            context: None,
        },
        ParseError::ParsingNear(pos) => {
            let token = token_at(text, pos).unwrap_or_default();
            let line_text = text
                .lines()
                .nth(pos.line.saturating_sub(1))
                .unwrap_or("")
                .to_string();
            if token.is_empty() {
                return SyntaxError {
                    line: lines_plus_one(text),
                    what: "syntax error: unexpected end of file".into(),
                    context: None,
                };
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
                other => format!("syntax error: {other}"),
            };
            SyntaxError {
                line,
                what,
                context: None,
            }
        }
    }
}

fn eof_match(line: usize, what: &str) -> SyntaxError {
    SyntaxError {
        line,
        what: format!("unexpected EOF while looking for matching `{what}'"),
        context: None,
    }
}

/// The offending token of a parse error at `pos`: the token that starts there (the
/// grammar's furthest failure is the token an LR parser like bash's stops at).
fn token_at(text: &str, pos: &brush_parser::SourcePosition) -> Option<String> {
    let tokens = brush_parser::tokenize_str(text).ok()?;
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
}

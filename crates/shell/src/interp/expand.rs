//! Word expansion in bash's order: brace expansion, then tilde, parameter, command and
//! arithmetic expansion (left to right), word splitting on IFS, pathname expansion and
//! quote removal.
//!
//! A word expands into *fields*, each a list of chunks that remember whether they were
//! quoted (quoted text is never split and matches literally in patterns) and whether
//! they came from an unquoted expansion (only those are split).

use brush_parser::word::{
    self, Parameter, ParameterExpr, ParameterTestType, SpecialParameter, WordPiece,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

use super::simple::{AssignValue, PendingAssign};
use super::{Flow, Interp};
use crate::limits::Limit;
use crate::vars::{Value, attr, is_name};

/// Marker type re-exported for documentation: expansion lives on [`Interp`].
pub struct Expander;

/// Why an expansion failed.
#[derive(Debug)]
pub enum ExpandError {
    /// A limit or other non-local exit.
    Flow(Flow),
    /// Fatal in a script (`${x:?}`, `set -u`): message, exit status.
    Fatal(String, i32),
    /// Aborts the current top-level command (arithmetic error, bad substitution,
    /// failglob): message; `$?` becomes 1.
    Abort(String),
    /// The command fails with this status (message printed if non-empty).
    Status(String, i32),
}

impl From<Flow> for ExpandError {
    fn from(f: Flow) -> Self {
        ExpandError::Flow(f)
    }
}

type R<T> = Result<T, ExpandError>;

#[derive(Clone, Debug)]
struct Chunk {
    text: String,
    quoted: bool,
    split: bool,
}

#[derive(Clone, Debug, Default)]
struct Field {
    chunks: Vec<Chunk>,
}

/// How a word's fields end up joined, which decides how `$*` and `$@` join.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Join {
    /// An ordinary word: fields are split and globbed.
    #[default]
    Split,
    /// Assignments, `[[ ]]`, `case`, here-strings: an unquoted `$*` joins on the first
    /// character of IFS, an unquoted `$@` on a space (bash's `x=$*`).
    NoSplit,
    /// A here-document body: bash 5.2 joins the positional parameters' `$*` on a space
    /// whatever IFS is (an array's `${a[*]}` still joins on IFS).
    HereDoc,
}

#[derive(Debug)]
struct Fields {
    fields: Vec<Field>,
    /// `"$@"` with no parameters was the only thing: produce no field at all.
    empty_at: bool,
    /// Anything besides an empty `"$@"` contributed.
    other: bool,
    /// The context the word is expanded in.
    join: Join,
    /// The parameter being expanded is `$@`/`$*` (see [`Join::HereDoc`]).
    positional: bool,
}

impl Fields {
    fn new() -> Self {
        Self::with_join(Join::Split)
    }
    fn with_join(join: Join) -> Self {
        Fields {
            fields: vec![Field::default()],
            empty_at: false,
            other: false,
            join,
            positional: false,
        }
    }
    fn push(&mut self, text: String, quoted: bool, split: bool) {
        self.other = true;
        if let Some(f) = self.fields.last_mut() {
            f.chunks.push(Chunk {
                text,
                quoted,
                split,
            });
        }
    }
    fn new_field(&mut self) {
        self.fields.push(Field::default());
    }
    /// Push a list of values: the first joins the current field, each next starts one.
    fn push_list(&mut self, vals: Vec<String>, quoted: bool, split: bool) {
        if vals.is_empty() {
            if quoted {
                self.empty_at = true;
            }
            return;
        }
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                self.new_field();
            }
            self.push(v, quoted, split);
        }
    }
}

/// The value of a parameter before an operator applies.
/// `$@` or `${a[@]}`: quoted, it is one word per element (so none for no elements).
fn at_form(p: &Parameter) -> bool {
    matches!(
        p,
        Parameter::NamedWithAllIndices {
            concatenate: false,
            ..
        } | Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate: false })
    )
}

#[derive(Clone, Debug)]
enum PVal {
    Unset,
    Str(String),
    /// Several values (`$@`, `${a[@]}`); `concat` for the `*` forms.
    List(Vec<String>, bool),
}

impl PVal {
    /// Does the `:-`/`-` style test (null or unset, or just unset) see no value?
    fn tested_empty(&self, t: &ParameterTestType) -> bool {
        match t {
            ParameterTestType::UnsetOrNull => self.is_null(),
            ParameterTestType::Unset => self.is_unset(),
        }
    }

    fn is_unset(&self) -> bool {
        // bash: `$@` or `${a[@]}` with no elements is unset (`${@-x}`, `${a[*]+y}`).
        match self {
            PVal::Unset => true,
            PVal::Str(_) => false,
            PVal::List(v, _) => v.is_empty(),
        }
    }
    fn is_null(&self) -> bool {
        match self {
            PVal::Unset => true,
            PVal::Str(s) => s.is_empty(),
            PVal::List(v, _) => v.is_empty() || (v.len() == 1 && v[0].is_empty()),
        }
    }
}

/// True if a word has nothing to expand, split or match (it stands for itself).
/// Brackets, braces and parentheses only count when their closing half follows.
fn is_literal_word(w: &str) -> bool {
    if w.is_empty() {
        return false;
    }
    let b = w.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'$' | b'`' | b'\'' | b'"' | b'\\' | b'~' | b'*' | b'?' | b'\n' => return false,
            b'[' if b[i + 1..].contains(&b']') => return false,
            b'{' if b[i + 1..].contains(&b'}') => return false,
            b'(' if b[i + 1..].contains(&b')') => return false,
            _ => {}
        }
    }
    true
}

fn glob_chars(s: &str, extglob: bool) -> bool {
    s.contains(['*', '?', '[']) || (extglob && s.contains('(') && s.contains(['@', '!', '+']))
}

impl Interp {
    fn parse_word(&self, w: &str) -> R<std::sync::Arc<Vec<word::WordPieceWithSource>>> {
        self.parse_word_with(w, false)
    }

    /// Parse a word into pieces, through the session's cache. `after_colon` is the
    /// assignment form, where a tilde after `:` expands too (cached apart).
    fn parse_word_with(
        &self,
        w: &str,
        after_colon: bool,
    ) -> R<std::sync::Arc<Vec<word::WordPieceWithSource>>> {
        // Plain words need no parser at all.
        if !w
            .bytes()
            .any(|b| matches!(b, b'$' | b'`' | b'\'' | b'"' | b'\\' | b'~'))
        {
            return Ok(std::sync::Arc::new(vec![word::WordPieceWithSource {
                piece: WordPiece::Text(w.to_string()),
                start_index: 0,
                end_index: w.len(),
            }]));
        }
        // Assignment parses have a cache of their own.
        let slot = usize::from(after_colon);
        if let Some(p) = self.word_cache.lock()[slot].get(w) {
            return Ok(std::sync::Arc::clone(p));
        }
        let opts = brush_parser::ParserOptions {
            tilde_expansion_after_colon: after_colon,
            ..self.parser_options()
        };
        let parsed = word::parse(w, &opts)
            .map_err(|_| ExpandError::Abort(format!("{w}: bad substitution")))?;
        let parsed = std::sync::Arc::new(parsed);
        let mut caches = self.word_cache.lock();
        let cache = &mut caches[slot];
        if cache.len() >= 4096 {
            cache.clear();
        }
        cache.insert(w.to_string(), std::sync::Arc::clone(&parsed));
        Ok(parsed)
    }

    /// Expand `words` fully (splitting and globbing) into arguments.
    pub fn expand_words(&mut self, words: &[brush_parser::ast::Word]) -> R<Vec<String>> {
        let mut out = Vec::new();
        for w in words {
            out.extend(self.expand_word(&w.value)?);
            if out.len() > self.shared.limits.max_array {
                return Err(self.shared.hit(Limit::ArraySize).into());
            }
        }
        Ok(out)
    }

    /// Expand one word fully: brace, tilde, parameters, substitutions, splitting, globs.
    pub fn expand_word(&mut self, w: &str) -> R<Vec<String>> {
        // A word with nothing to expand, split or match is itself.
        if is_literal_word(w) {
            return Ok(vec![w.to_string()]);
        }
        // `$name`, `${name}` and their double-quoted forms: one lookup, no parse.
        if let Some(fields) = self.expand_simple_var(w) {
            return Ok(fields);
        }
        let braced = self.brace_expand(w)?;
        let mut out = Vec::new();
        for b in braced {
            let fields = match assignment_like_tilde(&b) {
                // `name=~/x` as an ordinary argument: bash expands the tilde after `=`
                // (and after `:`) as in an assignment.
                Some(eq) => {
                    let opts = brush_parser::ParserOptions {
                        tilde_expansion_after_colon: true,
                        ..self.parser_options()
                    };
                    let pieces = word::parse(&b[eq + 1..], &opts)
                        .map_err(|_| ExpandError::Abort(format!("{b}: bad substitution")))?;
                    let mut out = Fields::new();
                    out.push(b[..=eq].to_string(), false, false);
                    self.expand_pieces(&pieces, false, &mut out)?;
                    out
                }
                None => self.expand_to_fields(&b, false, Join::Split)?,
            };
            for f in self.split_fields(fields) {
                self.glob_field(f, &mut out)?;
            }
        }
        Ok(out)
    }

    /// The fields of a word that is just a variable reference (`$x`, `${x}`, `"$x"`,
    /// `"${x}"`), or None when the general path is needed: an unset variable under
    /// `set -u`, or an unquoted value that would split or match files.
    fn expand_simple_var(&mut self, w: &str) -> Option<Vec<String>> {
        let (inner, quoted) = match w.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            Some(x) => (x, true),
            None => (w, false),
        };
        let name = inner.strip_prefix('$')?;
        let name = match name.strip_prefix('{') {
            Some(n) => n.strip_suffix('}')?,
            None => name,
        };
        if !is_name(name) || self.vars.get(name).is_some_and(|v| v.has(attr::NAMEREF)) {
            return None;
        }
        let value = self
            .lookup_ref(name)
            .and_then(|v| v.scalar().map(String::from));
        let value = match value {
            Some(v) => v,
            None if self.opts.nounset => return None,
            None if quoted => return Some(vec![String::new()]),
            None => return Some(Vec::new()),
        };
        if quoted {
            return Some(vec![value]);
        }
        if value.is_empty() {
            return Some(Vec::new());
        }
        let ifs = self
            .vars
            .get("IFS")
            .map_or(Some(" \t\n"), |v| match &v.value {
                Some(val) => val.scalar(),
                None => Some(" \t\n"),
            });
        let splits = match ifs {
            Some(ifs) => value.contains(|c| ifs.contains(c)),
            None => false,
        };
        if splits || (!self.opts.noglob && glob_chars(&value, self.opts.extglob)) {
            return None;
        }
        Some(vec![value])
    }

    /// Expand without splitting or globbing (assignments, `case` words, here-strings).
    pub fn expand_word_nosplit(&mut self, w: &str) -> R<String> {
        let fields = self.expand_to_fields(w, false, Join::NoSplit)?;
        Ok(join_fields(&fields, " "))
    }

    /// Expand an assignment's value: no splitting or globbing; tildes after `:` expand.
    pub fn expand_assignment_word(&mut self, w: &str) -> R<String> {
        let pieces = self.parse_word_with(w, true)?;
        let mut out = Fields::with_join(Join::NoSplit);
        self.expand_pieces(&pieces, false, &mut out)?;
        Ok(join_fields(&out, " "))
    }

    /// Expand a pattern: quoted parts come out backslash-escaped so they match literally.
    pub fn expand_pattern(&mut self, w: &str) -> R<String> {
        Ok(self.expand_pattern_shown(w)?.0)
    }

    /// [`Interp::expand_pattern`], and the pattern as `set -x` shows it: every quoted
    /// character after a backslash (`"a b"` is `\a\ \b`).
    pub fn expand_pattern_shown(&mut self, w: &str) -> R<(String, String)> {
        let fields = self.expand_to_fields(w, false, Join::NoSplit)?;
        Ok(pattern_text(&fields.fields))
    }

    /// A `case` pattern: as [`Interp::expand_pattern`], but of several fields (from a
    /// quoted `"$@"`) bash keeps only the first.
    pub fn expand_case_pattern(&mut self, w: &str) -> R<String> {
        let fields = self.expand_to_fields(w, false, Join::NoSplit)?;
        Ok(pattern_text(&fields.fields[..fields.fields.len().min(1)]).0)
    }

    /// Expand the replacement of `${x/pat/rep}`: quoted `\\` and `&` come out
    /// backslash-escaped, so only an unquoted `&` stands for the matched text.
    fn expand_replacement(&mut self, w: &str) -> R<String> {
        let fields = self.expand_to_fields(w, false, Join::NoSplit)?;
        let mut s = String::new();
        for (i, f) in fields.fields.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            for c in &f.chunks {
                if c.quoted {
                    for ch in c.text.chars() {
                        if matches!(ch, '\\' | '&') {
                            s.push('\\');
                        }
                        s.push(ch);
                    }
                } else {
                    s.push_str(&c.text);
                }
            }
        }
        Ok(s)
    }

    /// Expand the right side of `=~`: quoted parts are escaped for the regex engine.
    pub fn expand_regex_word(&mut self, w: &str) -> R<String> {
        let fields = self.expand_to_fields(w, false, Join::NoSplit)?;
        let mut s = String::new();
        for (i, f) in fields.fields.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            for c in &f.chunks {
                if c.quoted {
                    s.push_str(&regex::escape(&c.text));
                } else {
                    s.push_str(&c.text);
                }
            }
        }
        Ok(s)
    }

    /// Does `s` match the (escaped) pattern `pat`?
    pub fn pattern_matches(&self, pat: &str, s: &str, nocase: bool) -> bool {
        let p = crate::pattern::Pattern::new(
            pat.as_bytes(),
            crate::pattern::PatternOptions {
                extglob: true,
                nocase,
                dot_special: false,
                slash_special: false,
            },
        );
        p.matches(s.as_bytes())
    }

    /// A parameter operator's pattern (`${x#pat}`, `${x/pat/rep}`): extended patterns
    /// only with `shopt -s extglob`.
    fn pattern(&self, pat: &str) -> crate::pattern::Pattern {
        crate::pattern::Pattern::new(
            pat.as_bytes(),
            crate::pattern::PatternOptions {
                extglob: self.opts.extglob,
                nocase: false,
                dot_special: false,
                slash_special: false,
            },
        )
    }

    /// Expand `w` into fields in the `join` context; `quoted` as if in double quotes.
    fn expand_to_fields(&mut self, w: &str, quoted: bool, join: Join) -> R<Fields> {
        let pieces = self.parse_word(w)?;
        let mut out = Fields::with_join(join);
        self.expand_pieces(&pieces, quoted, &mut out)?;
        Ok(out)
    }

    fn expand_pieces(
        &mut self,
        pieces: &[word::WordPieceWithSource],
        quoted: bool,
        out: &mut Fields,
    ) -> R<()> {
        let mut skip_brace: Option<usize> = None;
        for (pi, p) in pieces.iter().enumerate() {
            match &p.piece {
                WordPiece::Text(t) => {
                    let mut t: &str = t;
                    if let Some(n) = skip_brace.take() {
                        t = &t[n..];
                    }
                    // brush-parser leaves a `${...}` it cannot parse as text (`$` and
                    // `{...}` as one or two text pieces).
                    let joined;
                    let (start, rest) = if let Some(start) = t.find("${") {
                        (start, &t[start..])
                    } else if t.ends_with('$')
                        && let Some(WordPiece::Text(next)) = pieces.get(pi + 1).map(|p| &p.piece)
                        && next.starts_with('{')
                    {
                        joined = format!("{t}{next}");
                        (t.len() - 1, &joined[t.len() - 1..])
                    } else {
                        out.push(t.to_string(), quoted, false);
                        self.check_size(out)?;
                        continue;
                    };
                    let Some(close) = rest.find('}') else {
                        return Err(ExpandError::Abort(format!("{rest}: bad substitution")));
                    };
                    let content = &rest[2..close];
                    self.brace_fallback(content, quoted, out, &t[..start])?;
                    // Whatever follows the `}` stays literal text.
                    let consumed_here = start + close + 1;
                    if consumed_here <= t.len() {
                        let tail = &t[consumed_here..];
                        if !tail.is_empty() {
                            out.push(tail.to_string(), quoted, false);
                        }
                    } else {
                        skip_brace = Some(consumed_here - t.len());
                    }
                }
                WordPiece::SingleQuotedText(t) => out.push(t.clone(), true, false),
                WordPiece::AnsiCQuotedText(t) => {
                    let b = crate::printf::ansi_c_unquote(t.as_bytes(), self.utf8_locale());
                    out.push(String::from_utf8_lossy(&b).into_owned(), true, false);
                }
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    let before: usize = out.fields.iter().map(|f| f.chunks.len()).sum();
                    let before_fields = out.fields.len();
                    let at_before = out.empty_at;
                    out.empty_at = false;
                    self.expand_pieces(inner, true, out)?;
                    let after: usize = out.fields.iter().map(|f| f.chunks.len()).sum();
                    if after == before && out.fields.len() == before_fields && !out.empty_at {
                        // `""`: an empty word that still counts.
                        out.push(String::new(), true, false);
                    }
                    out.empty_at |= at_before;
                }
                WordPiece::TildeExpansion(t) => {
                    let s = self.tilde(t);
                    out.push(s, true, false);
                }
                WordPiece::EscapeSequence(s) => {
                    let rest = s.strip_prefix('\\').unwrap_or(s);
                    if rest == "\n" {
                        continue;
                    }
                    if quoted && !matches!(rest, "$" | "`" | "\"" | "\\") {
                        out.push(s.clone(), true, false);
                    } else {
                        out.push(rest.to_string(), true, false);
                    }
                }
                WordPiece::ParameterExpansion(e) => self.expand_param(e, quoted, out)?,
                WordPiece::CommandSubstitution(cmd)
                | WordPiece::BackquotedCommandSubstitution(cmd) => {
                    let s = self.command_substitution(cmd)?;
                    out.push(s, quoted, !quoted);
                }
                WordPiece::ArithmeticExpression(e) => {
                    let v = match self.eval_arith_text(&e.value) {
                        Ok(v) => v,
                        Err(m) => return Err(self.arith_failure(m)),
                    };
                    out.push(v.to_string(), quoted, !quoted);
                }
            }
            self.check_size(out)?;
        }
        Ok(())
    }

    /// A `${...}` brush-parser could not parse: `${x~}` / `${x~~}` (case toggle) or a
    /// bad substitution. `before` is the literal text ahead of it.
    fn brace_fallback(
        &mut self,
        content: &str,
        quoted: bool,
        out: &mut Fields,
        before: &str,
    ) -> R<()> {
        let is_name = |s: &str| {
            let base = s.split_once('[').map_or(s, |(b, _)| b);
            (!base.is_empty()
                && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !base.starts_with(|c: char| c.is_ascii_digit()))
                || (base.len() == 1 && base.chars().all(|c| "@*#?-$!0123456789".contains(c)))
        };
        let (param, all) = if let Some(p) = content.strip_suffix("~~") {
            (p, true)
        } else if let Some(p) = content.strip_suffix('~') {
            (p, false)
        } else {
            ("", false)
        };
        if !param.is_empty() && is_name(param) {
            if !before.is_empty() {
                out.push(before.to_string(), quoted, false);
            }
            let word = format!("${{{param}}}");
            let parsed = word::parse(&word, &self.parser_options())
                .map_err(|_| ExpandError::Abort(format!("${{{content}}}: bad substitution")))?;
            let Some(WordPiece::ParameterExpansion(ParameterExpr::Parameter {
                parameter,
                indirect,
            })) = parsed.first().map(|p| &p.piece)
            else {
                return Err(ExpandError::Abort(format!(
                    "${{{content}}}: bad substitution"
                )));
            };
            let v = self.param_value(parameter, *indirect)?;
            self.check_nounset(parameter, &v)?;
            // Only ASCII letters change case (the C locale).
            let toggle = |c: char| -> String {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase().to_string()
                } else {
                    c.to_ascii_uppercase().to_string()
                }
            };
            let v = self.map_pval(v, |s| {
                if all {
                    s.chars().map(toggle).collect()
                } else {
                    let mut it = s.chars();
                    match it.next() {
                        Some(f) => toggle(f) + it.as_str(),
                        None => String::new(),
                    }
                }
            });
            self.push_pval(v, quoted, out);
            return Ok(());
        }
        let msg = format!("${{{content}}}: bad substitution");
        // An unknown `@` transformation is fatal to a script, like `set -u`.
        if let Some((p, op)) = content.split_once('@')
            && is_name(p)
            && op.len() == 1
        {
            let status = if self.subshell > 0 { 1 } else { 127 };
            return Err(ExpandError::Fatal(msg, status));
        }
        Err(ExpandError::Abort(msg))
    }

    /// Expand one piece in double-quote context to a string (here-documents).
    pub(super) fn expand_piece_string(&mut self, piece: &WordPiece) -> R<String> {
        let mut out = Fields::with_join(Join::HereDoc);
        match piece {
            WordPiece::Text(t) => return Ok(t.replace("\\\n", "")),
            WordPiece::EscapeSequence(s) => {
                let rest = s.strip_prefix('\\').unwrap_or(s);
                return Ok(match rest {
                    "\n" => String::new(),
                    "$" | "`" | "\\" => rest.to_string(),
                    _ => s.clone(),
                });
            }
            other => {
                let p = word::WordPieceWithSource {
                    piece: other.clone(),
                    start_index: 0,
                    end_index: 0,
                };
                self.expand_pieces(std::slice::from_ref(&p), true, &mut out)?;
            }
        }
        Ok(join_fields(&out, " "))
    }

    fn check_size(&self, out: &Fields) -> R<()> {
        let total: usize = out
            .fields
            .iter()
            .map(|f| f.chunks.iter().map(|c| c.text.len()).sum::<usize>())
            .sum();
        if total > self.shared.limits.max_string {
            return Err(self.shared.hit(Limit::StringSize).into());
        }
        Ok(())
    }

    fn tilde(&self, t: &word::TildeExpr) -> String {
        match t {
            word::TildeExpr::Home => self.get_scalar("HOME").unwrap_or_else(|| "/root".into()),
            word::TildeExpr::UserHome(u) => {
                if u == "root" {
                    "/root".into()
                } else {
                    format!("~{u}")
                }
            }
            word::TildeExpr::WorkingDir => self.get_scalar("PWD").unwrap_or_default(),
            word::TildeExpr::OldWorkingDir => {
                self.get_scalar("OLDPWD").unwrap_or_else(|| "~-".into())
            }
            word::TildeExpr::NthDirFromTopOfDirStack { n, plus_used } => {
                let mut stack = vec![self.get_scalar("PWD").unwrap_or_default()];
                stack.extend(self.dirstack.iter().cloned());
                stack.get(*n).cloned().unwrap_or_else(|| {
                    if *plus_used {
                        format!("~+{n}")
                    } else {
                        format!("~{n}")
                    }
                })
            }
            word::TildeExpr::NthDirFromBottomOfDirStack { n } => {
                let mut stack = vec![self.get_scalar("PWD").unwrap_or_default()];
                stack.extend(self.dirstack.iter().cloned());
                stack.reverse();
                stack.get(*n).cloned().unwrap_or_else(|| format!("~-{n}"))
            }
        }
    }

    /// Run `cmd` in a subshell and capture its stdout, minus trailing newlines.
    fn command_substitution(&mut self, cmd: &str) -> R<String> {
        if let Some(word) = read_file_shortcut(cmd) {
            return self.read_file_substitution(word);
        }
        if self.subshell >= self.shared.limits.max_subshell_depth {
            return Err(self.shared.hit(Limit::SubshellDepth).into());
        }
        self.reap_point();
        // The substitution runs here, on this thread, its output collected as it comes
        // (a pipe would need a second thread to drain it). Going over the string limit
        // stops the writer, as a reader giving up on a pipe would.
        let max = self.shared.limits.max_string;
        let shared = std::sync::Arc::clone(&self.shared);
        let sink = std::sync::Arc::new(
            crate::io::Sink::new(
                std::sync::Arc::default(),
                max as u64,
                std::sync::Arc::default(),
                None,
            )
            .with_on_exceed(move || {
                shared.hit(Limit::StringSize);
            }),
        );
        let mut sub = self.subshell_clone_with(true);
        sub.cmdsub_depth += 1;
        // Without `shopt -s inherit_errexit`, bash turns `set -e` off in there.
        sub.opts.errexit &= sub.opts.inherit_errexit;
        sub.fds
            .insert(1, crate::io::Fd::Sink(std::sync::Arc::clone(&sink)));
        sub.line_base = self.lineno.saturating_sub(1);
        let r = sub.eval_string(cmd, "command substitution");
        let status = sub.exit_status_of(r);
        sub.fds.clear();
        drop(sub);
        // Background jobs started inside still hold the output open: the substitution
        // ends when they do, as with bash's pipe.
        while std::sync::Arc::strong_count(&sink) > 1 {
            if self.shared.check().is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        if let Some(l) = *self.shared.limit_hit.lock() {
            return Err(ExpandError::Flow(Flow::Limit(l)));
        }
        let mut buf = sink.take();
        self.cmdsub_status = Some(status);
        self.last_status = status;
        while buf.last() == Some(&b'\n') {
            buf.pop();
        }
        // bash drops NUL bytes from command substitutions (with a warning).
        if buf.contains(&0) {
            self.error("warning: command substitution: ignored null byte in input");
            buf.retain(|&b| b != 0);
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// `$(< FILE)`: the file's contents, without starting a subshell.
    fn read_file_substitution(&mut self, word: &str) -> R<String> {
        let fields = self.expand_word(word)?;
        let [path] = fields.as_slice() else {
            self.error(&format!("{word}: ambiguous redirect"));
            self.cmdsub_status = Some(1);
            self.last_status = 1;
            return Ok(String::new());
        };
        let path = path.clone();
        let fd = match self.open_redirect(&path, &super::redir::Mode::Read) {
            Ok(fd) => fd,
            Err(status) => {
                self.cmdsub_status = Some(status);
                self.last_status = status;
                return Ok(String::new());
            }
        };
        let mut buf = Vec::new();
        if fd
            .read_to_end(&mut buf, self.shared.limits.max_string)
            .is_err()
        {
            if let Some(l) = *self.shared.limit_hit.lock() {
                return Err(ExpandError::Flow(Flow::Limit(l)));
            }
            return Err(self.shared.hit(Limit::StringSize).into());
        }
        self.cmdsub_status = Some(0);
        self.last_status = 0;
        while buf.last() == Some(&b'\n') {
            buf.pop();
        }
        buf.retain(|&b| b != 0);
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    // ----- splitting and globbing --------------------------------------------------------

    /// The current IFS (unset means the default).
    fn ifs(&self) -> String {
        match self.vars.get("IFS") {
            Some(v) => match &v.value {
                Some(val) => val.scalar().unwrap_or("").to_string(),
                None => " \t\n".into(),
            },
            None => " \t\n".into(),
        }
    }

    fn split_fields(&self, fields: Fields) -> Vec<Vec<Chunk>> {
        if fields.empty_at && !fields.other {
            return Vec::new();
        }
        let ifs = self.ifs();
        let is_ws = |c: char| ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
        let mut words: Vec<Vec<Chunk>> = Vec::new();
        for field in fields.fields {
            let mut cur: Vec<Chunk> = Vec::new();
            let mut started = false;
            for chunk in field.chunks {
                if !chunk.split || ifs.is_empty() {
                    if chunk.quoted || !chunk.text.is_empty() {
                        started = true;
                    }
                    cur.push(chunk);
                    continue;
                }
                let mut buf = String::new();
                let mut it = chunk.text.chars().peekable();
                while let Some(c) = it.next() {
                    if !ifs.contains(c) {
                        buf.push(c);
                        continue;
                    }
                    if !buf.is_empty() {
                        cur.push(Chunk {
                            text: std::mem::take(&mut buf),
                            quoted: false,
                            split: false,
                        });
                        started = true;
                    }
                    let mut hard = !is_ws(c);
                    if !hard {
                        while it.peek().is_some_and(|&n| is_ws(n)) {
                            it.next();
                        }
                        if it.peek().is_some_and(|&n| ifs.contains(n) && !is_ws(n)) {
                            it.next();
                            hard = true;
                        }
                    }
                    if hard {
                        while it.peek().is_some_and(|&n| is_ws(n)) {
                            it.next();
                        }
                        words.push(std::mem::take(&mut cur));
                        started = false;
                    } else if started {
                        words.push(std::mem::take(&mut cur));
                        started = false;
                    }
                }
                if !buf.is_empty() {
                    cur.push(Chunk {
                        text: buf,
                        quoted: false,
                        split: false,
                    });
                    started = true;
                }
            }
            if started {
                words.push(cur);
            }
        }
        words
    }

    fn glob_field(&mut self, chunks: Vec<Chunk>, out: &mut Vec<String>) -> R<()> {
        let literal: String = chunks.iter().map(|c| c.text.as_str()).collect();
        let active = !self.opts.noglob
            && chunks
                .iter()
                .any(|c| !c.quoted && glob_chars(&c.text, self.opts.extglob));
        if !active {
            out.push(literal);
            return Ok(());
        }
        let mut pat = String::new();
        for c in &chunks {
            if c.quoted {
                pat.push_str(&escape_pattern(&c.text));
            } else {
                pat.push_str(&c.text);
            }
        }
        // GLOBIGNORE: matching names are dropped (and `.`-files are matched, except
        // `.` and `..`).
        let ignore: Vec<crate::pattern::Pattern> = self
            .get_scalar("GLOBIGNORE")
            .filter(|g| !g.is_empty())
            .map(|g| {
                let popts = crate::pattern::PatternOptions {
                    extglob: self.opts.extglob,
                    slash_special: true,
                    ..Default::default()
                };
                g.split(':')
                    .filter(|p| !p.is_empty())
                    .map(|p| crate::pattern::Pattern::new(p.as_bytes(), popts))
                    .collect()
            })
            .unwrap_or_default();
        let globignore = self.get_scalar("GLOBIGNORE").is_some_and(|g| !g.is_empty());
        let opts = crate::pathexp::GlobOptions {
            extglob: self.opts.extglob,
            nocaseglob: self.opts.nocaseglob,
            dotglob: self.opts.dotglob || globignore,
            globstar: self.opts.globstar,
        };
        let found = crate::pathexp::expand(
            &self.vfs,
            pat.as_bytes(),
            opts,
            self.shared.limits.max_glob_results,
        );
        let found = match found {
            Ok(Some(matches)) if globignore => Ok(Some(
                matches
                    .into_iter()
                    .filter(|m| {
                        let base = m.rsplit(|&b| b == b'/').next().unwrap_or(m);
                        base != b"." && base != b".." && !ignore.iter().any(|p| p.matches(m))
                    })
                    .collect::<Vec<_>>(),
            )),
            other => other,
        };
        match found {
            Ok(Some(matches)) if !matches.is_empty() => {
                out.extend(
                    matches
                        .into_iter()
                        .map(|m| String::from_utf8_lossy(&m).into_owned()),
                );
            }
            Ok(Some(_)) => {
                if self.opts.failglob {
                    return Err(ExpandError::Abort(format!("no match: {literal}")));
                }
                if !self.opts.nullglob {
                    out.push(unescape_literal(&chunks));
                }
            }
            Ok(None) => out.push(literal),
            Err(_) => return Err(self.shared.hit(Limit::GlobResults).into()),
        }
        Ok(())
    }

    // ----- braces ------------------------------------------------------------------------

    /// Brace expansion on the raw word (quotes and `${...}` are left alone).
    pub fn brace_expand(&self, w: &str) -> R<Vec<String>> {
        if !w.contains('{') || self.opts.nobraceexpand {
            return Ok(vec![w.to_string()]);
        }
        let mut out = Vec::new();
        brace_into(w, self.shared.limits.max_brace_words, &mut out)
            .map_err(|_| ExpandError::Flow(self.shared.hit(Limit::BraceExpansion)))?;
        Ok(out)
    }

    // ----- parameters --------------------------------------------------------------------

    /// The value of a plain scalar variable (specials included), if set.
    pub fn get_scalar(&self, name: &str) -> Option<String> {
        match self.lookup_ref(name)? {
            Cow::Owned(Value::Scalar(s)) => Some(s),
            v => v.scalar().map(String::from),
        }
    }

    /// Follow `declare -n` references. A name that is not a reference comes back as is,
    /// without a copy.
    /// A reference that leads back to itself resolves to the empty name (nothing is set
    /// there, and nothing can be assigned), with bash's warning.
    pub fn resolve_nameref<'a>(&self, name: &'a str) -> Cow<'a, str> {
        let mut n: Cow<'a, str> = Cow::Borrowed(name);
        let mut seen: Vec<String> = Vec::new();
        loop {
            match self.vars.get(&n) {
                Some(v) if v.has(attr::NAMEREF) => {
                    match v.value.as_ref().and_then(|x| x.scalar()) {
                        Some(t) if !t.is_empty() => {
                            if seen.iter().any(|s| s == t) || t == name {
                                self.error(&format!("warning: {name}: circular name reference"));
                                return Cow::Owned(String::new());
                            }
                            seen.push(t.to_string());
                            n = Cow::Owned(t.to_string());
                        }
                        _ => return n,
                    }
                }
                _ => return n,
            }
        }
    }

    /// A variable's value, with the dynamic specials.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        self.lookup_ref(name).map(Cow::into_owned)
    }

    /// A variable's value, borrowed when it is stored (an element read must not copy
    /// the whole array), computed for the dynamic specials.
    pub fn lookup_ref(&self, name: &str) -> Option<Cow<'_, Value>> {
        let name = self.resolve_nameref(name);
        let dynamic = |s: String| Some(Cow::Owned(Value::Scalar(s)));
        match &*name {
            "RANDOM" => return dynamic(self.random().to_string()),
            "SHELLOPTS" => {
                let o = &self.opts;
                let mut on: Vec<&str> = super::shopts::SET_REMEMBERED
                    .iter()
                    .map(|(n, _)| *n)
                    .filter(|n| o.remembered(n) == Some(true))
                    .collect();
                if !o.nobraceexpand {
                    on.insert(0, "braceexpand");
                }
                for (n, v) in [
                    ("allexport", o.allexport),
                    ("errexit", o.errexit),
                    ("errtrace", o.errtrace),
                    ("functrace", o.functrace),
                    ("noclobber", o.noclobber),
                    ("noexec", o.noexec),
                    ("noglob", o.noglob),
                    ("nounset", o.nounset),
                    ("pipefail", o.pipefail),
                    ("verbose", o.verbose),
                    ("xtrace", o.xtrace),
                ] {
                    if v {
                        on.push(n);
                    }
                }
                on.sort_unstable();
                return dynamic(on.join(":"));
            }
            "SRANDOM" => {
                let mut b = [0u8; 4];
                crate::io::fill_random(&mut b);
                return dynamic(u32::from_le_bytes(b).to_string());
            }
            "SECONDS" => return dynamic(self.shared.started.elapsed().as_secs().to_string()),
            "LINENO" => return dynamic(self.lineno.to_string()),
            "BASH_COMMAND" => return dynamic(self.bash_command.clone()),
            "BASHPID" => return dynamic(self.bashpid.to_string()),
            "_" => return self.last_arg.clone().map(|s| Cow::Owned(Value::Scalar(s))),
            "BASH_SUBSHELL" => return dynamic(self.subshell.to_string()),
            "EPOCHSECONDS" => {
                return dynamic(self.vfs.now().sec.to_string());
            }
            "EPOCHREALTIME" => {
                let t = self.vfs.now();
                return dynamic(format!("{}.{:06}", t.sec, t.nsec / 1000));
            }
            "PIPESTATUS" => {
                if self.pipestatus.is_empty() {
                    return None;
                }
                let m: BTreeMap<i64, String> = self
                    .pipestatus
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i as i64, s.to_string()))
                    .collect();
                return Some(Cow::Owned(Value::Indexed(m)));
            }
            "FUNCNAME" => {
                if self.funcnames.is_empty() {
                    return None;
                }
                let mut m: BTreeMap<i64, String> = self
                    .funcnames
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, s)| (i as i64, s.clone()))
                    .collect();
                if !self.invoked_with_c {
                    m.insert(self.funcnames.len() as i64, "main".into());
                }
                return Some(Cow::Owned(Value::Indexed(m)));
            }
            "BASH_LINENO" => {
                if self.call_lines.is_empty() {
                    return None;
                }
                let mut m: BTreeMap<i64, String> = self
                    .call_lines
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, l)| (i as i64, l.to_string()))
                    .collect();
                if !self.invoked_with_c {
                    m.insert(self.call_lines.len() as i64, "0".into());
                }
                return Some(Cow::Owned(Value::Indexed(m)));
            }
            "GROUPS" => {
                let mut m = BTreeMap::new();
                m.insert(0, "0".to_string());
                return Some(Cow::Owned(Value::Indexed(m)));
            }
            _ => {}
        }
        self.vars.get(&name)?.value.as_ref().map(Cow::Borrowed)
    }

    fn random(&self) -> u32 {
        // A seedable generator (`RANDOM=n` makes the sequence repeat, as in bash).
        let mut x = self.rand_state.load(std::sync::atomic::Ordering::Relaxed);
        if x == 0 {
            let mut b = [0u8; 8];
            crate::io::fill_random(&mut b);
            x = u64::from_le_bytes(b) | 1;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rand_state
            .store(x, std::sync::atomic::Ordering::Relaxed);
        ((x >> 33) & 0x7fff) as u32
    }

    fn special_flags(&self) -> String {
        let mut s = String::new();
        if self.opts.allexport {
            s.push('a');
        }
        if self.opts.errexit {
            s.push('e');
        }
        if self.opts.noglob {
            s.push('f');
        }
        s.push('h');
        if self.opts.noexec {
            s.push('n');
        }
        if self.opts.nounset {
            s.push('u');
        }
        if self.opts.verbose {
            s.push('v');
        }
        if self.opts.xtrace {
            s.push('x');
        }
        if !self.opts.nobraceexpand {
            s.push('B');
        }
        if self.opts.noclobber {
            s.push('C');
        }
        if self.opts.errtrace {
            s.push('E');
        }
        if self.opts.functrace {
            s.push('T');
        }
        if self.invoked_with_c {
            s.push('c');
        }
        s
    }

    fn param_value(&mut self, p: &Parameter, indirect: bool) -> R<PVal> {
        // `${!ref}` of a nameref is the name it refers to.
        if indirect
            && let Parameter::Named(n) = p
            && let Some(v) = self.vars.get(n)
            && v.has(attr::NAMEREF)
        {
            return Ok(match v.value.as_ref().and_then(|x| x.scalar()) {
                Some(t) => PVal::Str(t.to_string()),
                None => PVal::Unset,
            });
        }
        let v = self.param_value_direct(p)?;
        if !indirect {
            return Ok(v);
        }
        // ${!x}: the value names the parameter to expand.
        let target = match v {
            PVal::Unset => return Ok(PVal::Unset),
            PVal::Str(s) => s,
            PVal::List(v, _) => v.join(" "),
        };
        if target.is_empty() {
            return Ok(PVal::Unset);
        }
        let param = word::parse_parameter(&target, &self.parser_options())
            .map_err(|_| ExpandError::Abort(format!("{target}: invalid variable name")))?;
        self.param_value_direct(&param)
    }

    fn param_value_direct(&mut self, p: &Parameter) -> R<PVal> {
        Ok(match p {
            Parameter::Positional(0) => PVal::Str(self.arg0.clone()),
            Parameter::Positional(n) => match self.positional.get(*n as usize - 1) {
                Some(s) => PVal::Str(s.clone()),
                None => PVal::Unset,
            },
            Parameter::Special(sp) => match sp {
                SpecialParameter::AllPositionalParameters { concatenate } => {
                    PVal::List(self.positional.clone(), *concatenate)
                }
                SpecialParameter::PositionalParameterCount => {
                    PVal::Str(self.positional.len().to_string())
                }
                SpecialParameter::LastExitStatus => PVal::Str(self.last_status.to_string()),
                SpecialParameter::CurrentOptionFlags => PVal::Str(self.special_flags()),
                SpecialParameter::ProcessId => PVal::Str(self.pid.to_string()),
                SpecialParameter::LastBackgroundProcessId => match self.last_bg {
                    Some(p) => PVal::Str(p.to_string()),
                    None => PVal::Unset,
                },
                SpecialParameter::ShellName => PVal::Str(self.arg0.clone()),
            },
            Parameter::Named(name) => {
                // A reference may name an element (`declare -n e='a[2]'`).
                let target = self.resolve_nameref(name);
                if let Cow::Owned(target) = &target
                    && let Some((base, index)) =
                        target.strip_suffix(']').and_then(|t| t.split_once('['))
                {
                    let p = Parameter::NamedWithIndex {
                        name: base.to_string(),
                        index: index.to_string(),
                    };
                    return self.param_value_direct(&p);
                }
                if target.is_empty() {
                    // A circular reference (already warned about).
                    return Ok(PVal::Unset);
                }
                match self.lookup_ref(&target) {
                    Some(v) => match v.scalar() {
                        Some(s) => PVal::Str(s.to_string()),
                        None => PVal::Unset,
                    },
                    None => PVal::Unset,
                }
            }
            Parameter::NamedWithIndex { name, index } => {
                let name = self.resolve_nameref(name).into_owned();
                // The subscript is evaluated first (it may have side effects); the element
                // is then read in place, without copying the array.
                enum Kind {
                    Scalar,
                    Indexed,
                    Assoc,
                }
                let kind = self.lookup_ref(&name).map(|v| match &*v {
                    Value::Scalar(_) => Kind::Scalar,
                    Value::Indexed(_) => Kind::Indexed,
                    Value::Assoc(_) => Kind::Assoc,
                });
                match kind {
                    None => {
                        // Still evaluate the subscript (side effects, errors).
                        if !self.is_assoc(&name) {
                            self.eval_index(index)?;
                        }
                        PVal::Unset
                    }
                    Some(Kind::Assoc) => {
                        let key = self.expand_word_nosplit(index)?;
                        match self.lookup_ref(&name).as_deref() {
                            Some(Value::Assoc(m)) => {
                                m.get(&key).cloned().map_or(PVal::Unset, PVal::Str)
                            }
                            _ => PVal::Unset,
                        }
                    }
                    Some(Kind::Indexed) => {
                        let i = self.eval_index(index)?;
                        let found = match self.lookup_ref(&name).as_deref() {
                            Some(Value::Indexed(m)) => {
                                let j = if i < 0 {
                                    m.keys().next_back().copied().unwrap_or(-1) + 1 + i
                                } else {
                                    i
                                };
                                if j < 0 {
                                    None
                                } else {
                                    Some(m.get(&j).cloned())
                                }
                            }
                            _ => Some(None),
                        };
                        match found {
                            None => {
                                // bash reports it and expands to nothing.
                                self.error(&format!("{name}: bad array subscript"));
                                return Ok(PVal::Unset);
                            }
                            Some(v) => v.map_or(PVal::Unset, PVal::Str),
                        }
                    }
                    Some(Kind::Scalar) => {
                        let i = self.eval_index(index)?;
                        if i < 0 {
                            // A scalar is an array of one: only 0 names it.
                            self.error(&format!("{name}: bad array subscript"));
                            return Ok(PVal::Unset);
                        }
                        if i == 0 {
                            self.lookup_ref(&name)
                                .and_then(|v| v.scalar().map(String::from))
                                .map_or(PVal::Unset, PVal::Str)
                        } else {
                            PVal::Unset
                        }
                    }
                }
            }
            Parameter::NamedWithAllIndices { name, concatenate } => match self.lookup_ref(name) {
                Some(v) => PVal::List(v.values(), *concatenate),
                None => PVal::List(Vec::new(), *concatenate),
            },
        })
    }

    /// Evaluate an indexed-array subscript.
    /// An arithmetic error in it ends a script, as bash's expansion errors do.
    fn eval_index(&mut self, index: &str) -> R<i64> {
        let text = self.expand_word_nosplit(index)?;
        self.eval_arith_text_expanded(&text)
            .map_err(|m| ExpandError::Fatal(m, 1))
    }

    /// True if `name` is an associative array.
    pub fn is_assoc(&self, name: &str) -> bool {
        let name = self.resolve_nameref(name);
        self.vars.get(&name).is_some_and(|v| v.has(attr::ASSOC))
    }

    fn param_name(p: &Parameter) -> String {
        match p {
            Parameter::Positional(n) => n.to_string(),
            Parameter::Special(s) => s.to_string(),
            Parameter::Named(n) => n.clone(),
            Parameter::NamedWithIndex { name, index } => format!("{name}[{index}]"),
            Parameter::NamedWithAllIndices { name, concatenate } => {
                format!("{name}[{}]", if *concatenate { "*" } else { "@" })
            }
        }
    }

    fn check_nounset(&self, p: &Parameter, v: &PVal) -> R<()> {
        if !self.opts.nounset || !v.is_unset() {
            return Ok(());
        }
        if matches!(
            p,
            Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
                | Parameter::NamedWithAllIndices { .. }
        ) {
            return Ok(());
        }
        let status = if self.subshell > 0 { 1 } else { 127 };
        let name = match p {
            Parameter::Positional(n) => format!("${n}"),
            other => Self::param_name(other),
        };
        Err(ExpandError::Fatal(
            format!("{name}: unbound variable"),
            status,
        ))
    }

    /// Push a parameter's value into the fields.
    fn push_pval(&self, v: PVal, quoted: bool, out: &mut Fields) {
        match v {
            PVal::Unset => {}
            PVal::Str(s) => out.push(s, quoted, !quoted),
            PVal::List(vals, concat) => {
                let ifs_sep = || {
                    let ifs = self.ifs();
                    ifs.chars().next().map(String::from).unwrap_or_default()
                };
                match (quoted, concat, out.join) {
                    (true, true, Join::HereDoc) if out.positional => {
                        out.push(vals.join(" "), true, false)
                    }
                    (true, true, _) => out.push(vals.join(&ifs_sep()), true, false),
                    (false, true, Join::NoSplit) => out.push(vals.join(&ifs_sep()), false, false),
                    (false, false, Join::NoSplit) => out.push(vals.join(" "), false, false),
                    _ => out.push_list(vals, quoted, !quoted),
                }
            }
        }
    }

    /// Expand a word given as an operator's argument (`${x:-WORD}`) into `out`.
    fn expand_operand(&mut self, w: &str, quoted: bool, out: &mut Fields) -> R<()> {
        let mut pieces = (*self.parse_word(w)?).clone();
        if quoted {
            // Inside double quotes, single quotes in the operand are ordinary characters,
            // and so is a tilde (`"${x:-~}"` is `~`).
            for p in &mut pieces {
                match &p.piece {
                    WordPiece::SingleQuotedText(t) => {
                        p.piece = WordPiece::Text(format!("'{t}'"));
                    }
                    WordPiece::TildeExpansion(_) => {
                        let src = w.get(p.start_index..p.end_index).unwrap_or("~");
                        p.piece = WordPiece::Text(src.to_string());
                    }
                    // `"${x:-a\}b}"`: the backslash only kept the brace from closing.
                    WordPiece::EscapeSequence(e) if e == "\\}" => {
                        p.piece = WordPiece::Text("}".into());
                    }
                    _ => {}
                }
            }
            return self.expand_pieces(&pieces, true, out);
        }
        // Unquoted, the operand's result is split like any unquoted expansion.
        let mut tmp = Fields::with_join(out.join);
        self.expand_pieces(&pieces, false, &mut tmp)?;
        for (i, f) in tmp.fields.into_iter().enumerate() {
            if i > 0 {
                out.new_field();
            }
            for c in f.chunks {
                let split = !c.quoted;
                out.push(c.text, c.quoted, split);
            }
        }
        out.empty_at |= tmp.empty_at;
        Ok(())
    }

    /// True when the locale's character set (from the first set of `LC_ALL`, `LC_CTYPE`,
    /// `LANG`) is UTF-8; unset means the C locale, so false.
    pub(super) fn utf8_locale(&self) -> bool {
        ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .filter_map(|v| self.get_scalar(v))
            .find(|v| !v.is_empty())
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("utf-8") || v.contains("utf8")
            })
    }

    /// True when the locale is C/POSIX (the default): lengths count bytes.
    pub(super) fn c_locale(&self) -> bool {
        for v in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let Some(val) = self.get_scalar(v)
                && !val.is_empty()
            {
                return val == "C" || val == "POSIX";
            }
        }
        true
    }

    fn operand_string(&mut self, w: &Option<String>) -> R<String> {
        match w {
            Some(w) => {
                let mut f = Fields::new();
                let pieces = self.parse_word(w)?;
                self.expand_pieces(&pieces, true, &mut f)?;
                Ok(join_fields(&f, " "))
            }
            None => Ok(String::new()),
        }
    }

    fn map_pval(&self, v: PVal, f: impl Fn(&str) -> String) -> PVal {
        match v {
            PVal::Unset => PVal::Unset,
            PVal::Str(s) => PVal::Str(f(&s)),
            PVal::List(vals, c) => PVal::List(vals.iter().map(|s| f(s)).collect(), c),
        }
    }

    fn expand_param(&mut self, e: &ParameterExpr, quoted: bool, out: &mut Fields) -> R<()> {
        // In a here-document only the positional parameters' `$*` joins on a space.
        let saved = out.positional;
        out.positional = expr_parameter(e).is_some_and(|p| {
            matches!(
                p,
                Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
            )
        });
        let r = self.expand_param_inner(e, quoted, out);
        out.positional = saved;
        r
    }

    fn expand_param_inner(&mut self, e: &ParameterExpr, quoted: bool, out: &mut Fields) -> R<()> {
        match e {
            ParameterExpr::Parameter {
                parameter,
                indirect,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::UseDefaultValues {
                parameter,
                indirect,
                test_type,
                default_value,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                let use_default = v.tested_empty(test_type);
                if use_default {
                    if let Some(d) = default_value {
                        self.expand_operand(d, quoted, out)?;
                    } else if quoted {
                        out.push(String::new(), true, false);
                    }
                } else {
                    self.push_pval(v, quoted, out);
                }
            }
            ParameterExpr::AssignDefaultValues {
                parameter,
                indirect,
                test_type,
                default_value,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                let assign = v.tested_empty(test_type);
                if assign {
                    let val = self.operand_string(default_value)?;
                    match parameter {
                        Parameter::Named(n) => {
                            self.assign_scalar(n, val.clone())
                                .map_err(ExpandError::Abort)?;
                        }
                        Parameter::NamedWithIndex { name, index } => {
                            let idx = self.expand_word_nosplit(index)?;
                            self.assign_element(name, &idx, val.clone(), false)
                                .map_err(ExpandError::Abort)?;
                        }
                        _ => {
                            return Err(ExpandError::Abort(format!(
                                "${}: cannot assign in this way",
                                Self::param_name(parameter)
                            )));
                        }
                    }
                    out.push(val, quoted, !quoted);
                } else {
                    self.push_pval(v, quoted, out);
                }
            }
            ParameterExpr::IndicateErrorIfNullOrUnset {
                parameter,
                indirect,
                test_type,
                error_message,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                let bad = v.tested_empty(test_type);
                if bad {
                    let msg = match error_message {
                        Some(m) if !m.is_empty() => self.operand_string(&Some(m.clone()))?,
                        _ => match test_type {
                            ParameterTestType::Unset => "parameter not set".into(),
                            ParameterTestType::UnsetOrNull => "parameter null or not set".into(),
                        },
                    };
                    let status = if self.subshell > 0 { 1 } else { 127 };
                    return Err(ExpandError::Fatal(
                        format!("{}: {msg}", Self::param_name(parameter)),
                        status,
                    ));
                }
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::UseAlternativeValue {
                parameter,
                indirect,
                test_type,
                alternative_value,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                let present = !v.tested_empty(test_type);
                if present {
                    if let Some(a) = alternative_value {
                        self.expand_operand(a, quoted, out)?;
                    } else if quoted {
                        out.push(String::new(), true, false);
                    }
                } else if quoted && at_form(parameter) && v.is_unset() {
                    // "${a[@]+x}" with no elements is no word at all, as "$@" is.
                    out.push_list(Vec::new(), true, false);
                } else if quoted {
                    out.push(String::new(), true, false);
                }
            }
            ParameterExpr::ParameterLength {
                parameter,
                indirect,
            } => {
                // `${#a[@]}` counts in place (no copy of the elements).
                if let Parameter::NamedWithAllIndices { name, .. } = parameter
                    && !*indirect
                {
                    let n = self.lookup_ref(name).map_or(0, |v| v.len());
                    out.push(n.to_string(), quoted, !quoted);
                    return Ok(());
                }
                let v = self.param_value(parameter, *indirect)?;
                let n = match (&v, parameter) {
                    (PVal::List(vals, _), _) => vals.len(),
                    (PVal::Str(s), _) => {
                        if self.c_locale() {
                            s.len()
                        } else {
                            s.chars().count()
                        }
                    }
                    (PVal::Unset, _) => {
                        self.check_nounset(parameter, &v)?;
                        0
                    }
                };
                out.push(n.to_string(), quoted, !quoted);
            }
            ParameterExpr::RemoveSmallestSuffixPattern {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::RemoveLargestSuffixPattern {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::RemoveSmallestPrefixPattern {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::RemoveLargestPrefixPattern {
                parameter,
                indirect,
                pattern,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                let pat = match pattern {
                    Some(p) => self.expand_pattern(p)?,
                    None => String::new(),
                };
                let pattern = self.pattern(&pat);
                let (suffix, longest) = match e {
                    ParameterExpr::RemoveSmallestSuffixPattern { .. } => (true, false),
                    ParameterExpr::RemoveLargestSuffixPattern { .. } => (true, true),
                    ParameterExpr::RemoveSmallestPrefixPattern { .. } => (false, false),
                    _ => (false, true),
                };
                let v = self.map_pval(v, |s| {
                    let b = s.as_bytes();
                    if suffix {
                        match pattern.match_suffix(b, longest) {
                            Some(start) => String::from_utf8_lossy(&b[..start]).into_owned(),
                            None => s.to_string(),
                        }
                    } else {
                        match pattern.match_prefix(b, longest) {
                            Some(len) => String::from_utf8_lossy(&b[len..]).into_owned(),
                            None => s.to_string(),
                        }
                    }
                });
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::Substring {
                parameter,
                indirect,
                offset,
                length,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                // bash names the parameter in an offset's or length's arithmetic error
                // (`x: 1+: syntax error ...`).
                let fail = |this: &mut Self, m: String| match this.arith_failure(m) {
                    ExpandError::Abort(m) => {
                        ExpandError::Abort(format!("{}: {m}", Self::param_name(parameter)))
                    }
                    other => other,
                };
                let off = match self.eval_arith_text(&offset.value) {
                    Ok(v) => v,
                    Err(m) => return Err(fail(self, m)),
                };
                let len = match length {
                    Some(l) => match self.eval_arith_text(&l.value) {
                        Ok(v) => Some(v),
                        Err(m) => return Err(fail(self, m)),
                    },
                    None => None,
                };
                let is_positional = matches!(
                    parameter,
                    Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
                );
                let v = match v {
                    PVal::Unset => PVal::Unset,
                    PVal::Str(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        match slice_range(chars.len(), off, len) {
                            Ok((a, b)) => PVal::Str(chars[a..b].iter().collect()),
                            Err(()) => {
                                return Err(ExpandError::Abort(format!(
                                    "{}: substring expression < 0",
                                    length.as_ref().map_or("", |l| l.value.as_str())
                                )));
                            }
                        }
                    }
                    // A list's length may not be negative (only a string's counts
                    // from the end).
                    PVal::List(..) if len.is_some_and(|l| l < 0) => {
                        return Err(ExpandError::Abort(format!(
                            "{}: substring expression < 0",
                            length.as_ref().map_or("", |l| l.value.as_str())
                        )));
                    }
                    PVal::List(vals, c) => {
                        // Indexed arrays slice by index: from the first set element at
                        // or after the offset (a negative one counts from the end).
                        let sparse = match parameter {
                            Parameter::NamedWithAllIndices { name, .. } if !*indirect => {
                                match self.lookup(name) {
                                    Some(Value::Indexed(m)) => Some(m),
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        if let Some(m) = sparse
                            && len.is_none_or(|l| l >= 0)
                        {
                            let top = m.keys().next_back().map_or(0, |k| k + 1);
                            let start = if off < 0 { top + off } else { off };
                            let items: Vec<String> = if start < 0 {
                                Vec::new()
                            } else {
                                m.range(start..)
                                    .map(|(_, v)| v.clone())
                                    .take(len.map_or(usize::MAX, |l| l as usize))
                                    .collect()
                            };
                            self.push_pval(PVal::List(items, c), quoted, out);
                            return Ok(());
                        }
                        // `${@:n}` counts from $0.
                        let mut all = vals;
                        if is_positional {
                            all.insert(0, self.arg0.clone());
                        }
                        match slice_range(all.len(), off, len) {
                            Ok((a, b)) => PVal::List(all[a..b].to_vec(), c),
                            Err(()) => {
                                return Err(ExpandError::Abort(format!(
                                    "{}: substring expression < 0",
                                    length.as_ref().map_or("", |l| l.value.as_str())
                                )));
                            }
                        }
                    }
                };
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::Transform {
                parameter,
                indirect,
                op,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                let v = self.transform(parameter, v, op)?;
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::UppercaseFirstChar {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::UppercasePattern {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::LowercaseFirstChar {
                parameter,
                indirect,
                pattern,
            }
            | ParameterExpr::LowercasePattern {
                parameter,
                indirect,
                pattern,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                let pat = match pattern {
                    Some(p) if !p.is_empty() => {
                        let text = self.expand_pattern(p)?;
                        Some(self.pattern(&text))
                    }
                    _ => None,
                };
                let (upper, all) = match e {
                    ParameterExpr::UppercaseFirstChar { .. } => (true, false),
                    ParameterExpr::UppercasePattern { .. } => (true, true),
                    ParameterExpr::LowercaseFirstChar { .. } => (false, false),
                    _ => (false, true),
                };
                let v = self.map_pval(v, |s| {
                    let mut out = String::new();
                    for (i, c) in s.chars().enumerate() {
                        let applies = (all || i == 0)
                            && pat
                                .as_ref()
                                .is_none_or(|p| p.matches(c.to_string().as_bytes()));
                        if applies {
                            if upper {
                                out.extend(c.to_uppercase());
                            } else {
                                out.extend(c.to_lowercase());
                            }
                        } else {
                            out.push(c);
                        }
                    }
                    out
                });
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::ReplaceSubstring {
                parameter,
                indirect,
                pattern,
                replacement,
                match_kind,
            } => {
                let v = self.param_value(parameter, *indirect)?;
                self.check_nounset(parameter, &v)?;
                let pat = self.expand_pattern(pattern)?;
                let rep = match replacement {
                    Some(r) => self.expand_replacement(r)?,
                    None => String::new(),
                };
                let p = self.pattern(&pat);
                let amp = self.opts.patsub_replacement;
                let v = self.map_pval(v, |s| replace(&p, s, &rep, match_kind, amp));
                self.push_pval(v, quoted, out);
            }
            ParameterExpr::VariableNames {
                prefix,
                concatenate,
            } => {
                let names: Vec<String> = self
                    .vars
                    .names()
                    .into_iter()
                    .filter(|n| n.starts_with(prefix.as_str()))
                    .filter(|n| self.vars.get(n).is_some_and(|v| v.value.is_some()))
                    .collect();
                self.push_pval(PVal::List(names, *concatenate), quoted, out);
            }
            ParameterExpr::MemberKeys {
                variable_name,
                concatenate,
            } => {
                let keys = match self.lookup_ref(variable_name) {
                    Some(v) => v.keys(),
                    None => Vec::new(),
                };
                self.push_pval(PVal::List(keys, *concatenate), quoted, out);
            }
        }
        Ok(())
    }

    fn transform(&mut self, p: &Parameter, v: PVal, op: &word::ParameterTransformOp) -> R<PVal> {
        use word::ParameterTransformOp as T;
        Ok(match op {
            T::Quoted => self.map_pval(v, |s| {
                String::from_utf8_lossy(&crate::printf::quote_at_q(s.as_bytes(), !self.c_locale()))
                    .into_owned()
            }),
            T::ExpandEscapeSequences => {
                let utf8 = self.utf8_locale();
                self.map_pval(v, |s| {
                    let b = crate::printf::ansi_c_unquote(s.as_bytes(), utf8);
                    String::from_utf8_lossy(&b).into_owned()
                })
            }
            T::ToUpperCase => self.map_pval(v, str::to_uppercase),
            T::ToLowerCase => self.map_pval(v, str::to_lowercase),
            T::CapitalizeInitial => self.map_pval(v, |s| {
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }),
            T::PromptExpand => {
                let env = PromptEnv {
                    root: self.get_scalar("EUID").as_deref() == Some("0"),
                    user: self.get_scalar("USER").unwrap_or_default(),
                    host: self.get_scalar("HOSTNAME").unwrap_or_default(),
                    pwd: self.get_scalar("PWD").unwrap_or_default(),
                    home: self.get_scalar("HOME").unwrap_or_default(),
                    shell: self.arg0.rsplit('/').next().unwrap_or_default().to_string(),
                };
                self.map_pval(v, |s| prompt_expand(s, &env))
            }
            T::ToAttributeFlags => {
                let name = match p {
                    Parameter::Named(n) | Parameter::NamedWithIndex { name: n, .. } => n.clone(),
                    Parameter::NamedWithAllIndices { name, .. } => name.clone(),
                    _ => String::new(),
                };
                // A reference shows what it refers to (`${ref@a}` of an array is `a`).
                let name = self.resolve_nameref(&name).into_owned();
                let flags = self.attr_flags(&name);
                if matches!(v, PVal::Unset) && !flags.is_empty() {
                    return Ok(PVal::Str(flags));
                }
                self.map_pval(v, |_| flags.clone())
            }
            T::ToAssignmentLogic => {
                let name = match p {
                    Parameter::Named(n) | Parameter::NamedWithIndex { name: n, .. } => n.clone(),
                    Parameter::NamedWithAllIndices { name, .. } => name.clone(),
                    _ => return Ok(v),
                };
                let name = self.resolve_nameref(&name).into_owned();
                // `${a[@]@A}` is the whole `declare` line; `${a@A}` and `${a[1]@A}` show
                // just that element's value with the array's attributes.
                if matches!(p, Parameter::NamedWithAllIndices { .. })
                    && let Some(var) = self.vars.get(&name)
                    && matches!(var.value, Some(Value::Indexed(_) | Value::Assoc(_)))
                {
                    let line = self.declare_line(&name, var);
                    return Ok(PVal::Str(line.trim_end_matches('\n').to_string()));
                }
                if matches!(p, Parameter::NamedWithAllIndices { .. }) {
                    return Ok(v);
                }
                let flags = self.attr_flags(&name);
                if matches!(v, PVal::Unset) {
                    return Ok(if flags.is_empty() {
                        PVal::Unset
                    } else {
                        PVal::Str(format!("declare -{flags} {name}"))
                    });
                }
                self.map_pval(v, |s| {
                    let q = String::from_utf8_lossy(&crate::printf::quote_at_q(
                        s.as_bytes(),
                        !self.c_locale(),
                    ))
                    .into_owned();
                    if flags.is_empty() {
                        format!("{name}={q}")
                    } else {
                        format!("declare -{flags} {name}={q}")
                    }
                })
            }
            T::PossiblyQuoteWithArraysExpanded { separate_words } => {
                if let Parameter::NamedWithAllIndices { name, concatenate } = p {
                    // `@K` quotes the values; `@k` gives key and value as words.
                    let dq = |s: &str| {
                        if *separate_words {
                            s.to_string()
                        } else {
                            format!("\"{}\"", super::builtins::escape_dq(s))
                        }
                    };
                    let mut words: Vec<String> = Vec::new();
                    let mut assoc = false;
                    match self.lookup(name) {
                        Some(Value::Indexed(m)) => {
                            for (k, v) in m.iter() {
                                words.push(k.to_string());
                                words.push(dq(v));
                            }
                        }
                        Some(Value::Assoc(m)) => {
                            assoc = true;
                            for (k, v) in m.iter() {
                                words.push(if *separate_words {
                                    k.to_string()
                                } else {
                                    super::builtins::assoc_key(k)
                                });
                                words.push(dq(v));
                            }
                        }
                        _ => {
                            return Ok(self.map_pval(v, |s| {
                                String::from_utf8_lossy(&crate::printf::quote_at_q(
                                    s.as_bytes(),
                                    !self.c_locale(),
                                ))
                                .into_owned()
                            }));
                        }
                    }
                    if *separate_words {
                        return Ok(PVal::List(words, *concatenate));
                    }
                    let mut joined = words.join(" ");
                    if assoc && !joined.is_empty() {
                        joined.push(' ');
                    }
                    return Ok(PVal::Str(joined));
                }
                self.map_pval(v, |s| {
                    String::from_utf8_lossy(&crate::printf::quote_at_q(
                        s.as_bytes(),
                        !self.c_locale(),
                    ))
                    .into_owned()
                })
            }
        })
    }

    /// `declare` attribute letters of `name` (as `${x@a}` prints them).
    pub fn attr_flags(&self, name: &str) -> String {
        let Some(v) = self.vars.get(name) else {
            return String::new();
        };
        let mut s = String::new();
        for (bit, c) in [
            (attr::ARRAY, 'a'),
            (attr::ASSOC, 'A'),
            (attr::INTEGER, 'i'),
            (attr::LOWER, 'l'),
            (attr::NAMEREF, 'n'),
            (attr::READONLY, 'r'),
            (attr::TRACE, 't'),
            (attr::UPPER, 'u'),
            (attr::EXPORT, 'x'),
        ] {
            if v.has(bit) {
                s.push(c);
            }
        }
        if !s.contains('a') && !s.contains('A') && matches!(v.value, Some(Value::Indexed(_))) {
            s.insert(0, 'a');
        }
        s
    }

    // ----- assignments -------------------------------------------------------------------

    /// Expand a parsed assignment.
    pub(super) fn expand_assignment(
        &mut self,
        a: &brush_parser::ast::Assignment,
    ) -> R<PendingAssign> {
        use brush_parser::ast::{AssignmentName, AssignmentValue};
        let (name, index) = match &a.name {
            AssignmentName::VariableName(n) => (n.clone(), None),
            AssignmentName::ArrayElementName(n, i) => {
                // As bash: an empty subscript fails the assignment, an associative one
                // that expands to an empty key aborts the command line, and an arithmetic
                // error in an indexed array's subscript ends the script.
                if i.is_empty() {
                    return Err(ExpandError::Status(
                        format!("{n}[]: bad array subscript"),
                        1,
                    ));
                }
                let t = self.expand_word_nosplit(i)?;
                let idx = if self.is_assoc(n) {
                    if t.is_empty() {
                        return Err(ExpandError::Abort(format!("{n}[{i}]: bad array subscript")));
                    }
                    t
                } else {
                    self.eval_arith_text_expanded(&t)
                        .map_err(|m| ExpandError::Fatal(m, 1))?
                        .to_string()
                };
                (n.clone(), Some(idx))
            }
        };
        let value = match &a.value {
            AssignmentValue::Scalar(w) => {
                AssignValue::Scalar(self.expand_assignment_word(&w.value)?)
            }
            AssignmentValue::Array(items) => {
                let mut vals = Vec::new();
                for (k, w) in items {
                    let key = match k {
                        Some(k) => Some(self.expand_word_nosplit(&k.value)?),
                        None => None,
                    };
                    if key.is_some() {
                        vals.push((key, self.expand_word_nosplit(&w.value)?));
                    } else {
                        for v in self.expand_word(&w.value)? {
                            vals.push((None, v));
                        }
                    }
                }
                AssignValue::Array(vals)
            }
        };
        Ok(PendingAssign {
            name,
            index,
            value,
            append: a.append,
        })
    }

    /// Carry out an assignment.
    pub(super) fn perform_assign(&mut self, p: &PendingAssign) -> Result<(), String> {
        match (&p.value, &p.index) {
            (AssignValue::Scalar(v), None) => {
                if p.append {
                    self.append_scalar(&p.name, v)
                } else {
                    self.assign_scalar(&p.name, v.clone())
                }
            }
            (AssignValue::Scalar(v), Some(i)) => {
                self.assign_element(&p.name, i, v.clone(), p.append)
            }
            (AssignValue::Array(items), None) => self.assign_array(&p.name, items, p.append),
            (AssignValue::Array(_), Some(_)) => {
                Err(format!("{}: cannot assign list to array member", p.name))
            }
        }
    }

    fn check_writable(&self, name: &str) -> Result<(), String> {
        if let Some(v) = self.vars.get(name)
            && v.has(attr::READONLY)
        {
            return Err(format!("{name}: readonly variable"));
        }
        Ok(())
    }

    /// Apply `-i`, `-l`, `-u` to a value being assigned.
    fn transform_value(&mut self, name: &str, v: String) -> Result<String, String> {
        let attrs = self.vars.get(name).map_or(0, |v| v.attrs);
        let mut v = v;
        if attrs & attr::INTEGER != 0 {
            v = self.eval_arith_text_expanded(&v)?.to_string();
        }
        if attrs & attr::LOWER != 0 {
            v = v.to_lowercase();
        } else if attrs & attr::UPPER != 0 {
            v = v.to_uppercase();
        }
        if v.len() > self.shared.limits.max_string {
            let _ = self.shared.hit(Limit::StringSize);
            return Err("string size limit exceeded".into());
        }
        Ok(v)
    }

    /// `name=value`.
    pub fn assign_scalar(&mut self, name: &str, value: String) -> Result<(), String> {
        let name = self.resolve_nameref(name);
        if name.is_empty() {
            // A circular reference: resolve_nameref warned already.
            return Err(String::new());
        }
        if name == "RANDOM" {
            let seed: u64 = value.trim().parse::<i64>().unwrap_or(0) as u64;
            self.rand_state.store(
                seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
                std::sync::atomic::Ordering::Relaxed,
            );
            return Ok(());
        }
        // A name reference may point at an array element.
        if let Some((base, idx)) = name.strip_suffix(']').and_then(|t| t.split_once('['))
            && is_name(base)
        {
            let idx = if self.is_assoc(base) {
                idx.to_string()
            } else {
                self.eval_arith_text(idx)?.to_string()
            };
            return self.assign_element(base, &idx, value, false);
        }
        if !is_name(&name) {
            return Err(format!("`{name}': not a valid identifier"));
        }
        self.check_writable(&name)?;
        if name == "GLOBIGNORE" && !value.is_empty() {
            // bash: a non-null GLOBIGNORE turns dotglob on (until it is unset).
            self.opts.dotglob = true;
        }
        let value = self.transform_value(&name, value)?;
        let allexport = self.opts.allexport;
        let store = |var: &mut crate::vars::Var, value: String| {
            match &mut var.value {
                Some(Value::Indexed(m)) => {
                    m.insert(0, value);
                }
                Some(Value::Assoc(m)) => {
                    m.insert("0".into(), value);
                }
                Some(Value::Scalar(s)) => *s = value,
                None => var.value = Some(Value::Scalar(value)),
            }
            if allexport {
                var.attrs |= attr::EXPORT;
            }
        };
        // An existing variable is updated without making an owned key.
        if let Some(var) = self.vars.get_mut(&name) {
            store(var, value);
            return Ok(());
        }
        store(self.vars.entry(&name), value);
        Ok(())
    }

    fn append_scalar(&mut self, name: &str, value: &str) -> Result<(), String> {
        let name = self.resolve_nameref(name);
        self.check_writable(&name)?;
        let attrs = self.vars.get(&name).map_or(0, |v| v.attrs);
        if attrs & attr::INTEGER != 0 {
            let old = self.get_scalar(&name).unwrap_or_default();
            let sum = self.eval_arith_text_expanded(&format!(
                "({})+({value})",
                if old.is_empty() { "0" } else { &old }
            ))?;
            return self.assign_scalar(&name, sum.to_string());
        }
        if matches!(
            self.vars.get(&name).and_then(|v| v.value.as_ref()),
            Some(Value::Indexed(_))
        ) {
            let old = match self.lookup_ref(&name).as_deref() {
                Some(Value::Indexed(m)) => m.get(&0).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            return self.assign_element(&name, "0", format!("{old}{value}"), false);
        }
        let old = self.get_scalar(&name).unwrap_or_default();
        self.assign_scalar(&name, format!("{old}{value}"))
    }

    /// `name[index]=value` (index already evaluated for indexed arrays).
    pub fn assign_element(
        &mut self,
        name: &str,
        index: &str,
        value: String,
        append: bool,
    ) -> Result<(), String> {
        let name = self.resolve_nameref(name);
        self.check_writable(&name)?;
        let assoc = self.is_assoc(&name);
        let value = self.transform_value(&name, value)?;
        let max_array = self.shared.limits.max_array;
        let var = self.vars.entry(&name);
        if assoc {
            let m = match &mut var.value {
                Some(Value::Assoc(m)) => m,
                _ => {
                    var.value = Some(Value::Assoc(BTreeMap::new()));
                    match &mut var.value {
                        Some(Value::Assoc(m)) => m,
                        _ => return Ok(()),
                    }
                }
            };
            let v = if append {
                format!("{}{value}", m.get(index).cloned().unwrap_or_default())
            } else {
                value
            };
            m.insert(index.to_string(), v);
            return Ok(());
        }
        let i: i64 = index
            .parse()
            .map_err(|_| format!("{name}: bad array subscript"))?;
        let m = match &mut var.value {
            Some(Value::Indexed(m)) => m,
            Some(Value::Scalar(s)) => {
                let mut m = BTreeMap::new();
                m.insert(0, std::mem::take(s));
                var.value = Some(Value::Indexed(m));
                match &mut var.value {
                    Some(Value::Indexed(m)) => m,
                    _ => return Ok(()),
                }
            }
            _ => {
                var.value = Some(Value::Indexed(BTreeMap::new()));
                match &mut var.value {
                    Some(Value::Indexed(m)) => m,
                    _ => return Ok(()),
                }
            }
        };
        let i = if i < 0 {
            let max = m.keys().next_back().copied().unwrap_or(-1);
            let j = max + 1 + i;
            if j < 0 {
                return Err(format!("{name}[{i}]: bad array subscript"));
            }
            j
        } else {
            i
        };
        if m.len() >= max_array && !m.contains_key(&i) {
            return Err("array size limit exceeded".into());
        }
        let v = if append {
            format!("{}{value}", m.get(&i).cloned().unwrap_or_default())
        } else {
            value
        };
        m.insert(i, v);
        Ok(())
    }

    /// `name=(...)` / `name+=(...)`.
    pub fn assign_array(
        &mut self,
        name: &str,
        items: &[(Option<String>, String)],
        append: bool,
    ) -> Result<(), String> {
        let name = self.resolve_nameref(name);
        self.check_writable(&name)?;
        if items.len() > self.shared.limits.max_array {
            let _ = self.shared.hit(Limit::ArraySize);
            return Err("array size limit exceeded".into());
        }
        let assoc = self.is_assoc(&name);
        if assoc {
            // bash 5.2: `m=(k1 v1 k2 v2)` without subscripts lists key-value pairs.
            let mut pairs: Vec<(String, String)> = Vec::with_capacity(items.len());
            if items.first().is_some_and(|(k, _)| k.is_none()) {
                let mut it = items.iter().map(|(_, v)| v.clone());
                while let Some(k) = it.next() {
                    let v = it.next().unwrap_or_default();
                    pairs.push((k, self.transform_value(&name, v)?));
                }
            } else {
                for (k, v) in items {
                    match k {
                        Some(k) => {
                            let v = self.transform_value(&name, v.clone())?;
                            pairs.push((k.clone(), v));
                        }
                        None => {
                            // bash warns and goes on with the other elements.
                            self.error(&format!(
                                "{name}: {v}: must use subscript when assigning associative array"
                            ));
                        }
                    }
                }
            }
            // Appending takes the stored map instead of copying it.
            let old = if append {
                self.vars.get_mut(&name).and_then(|v| v.value.take())
            } else {
                None
            };
            let mut m = match old {
                Some(Value::Assoc(m)) => m,
                _ => BTreeMap::new(),
            };
            m.extend(pairs);
            self.vars.entry(&name).value = Some(Value::Assoc(m));
            return Ok(());
        }
        // Evaluate every subscript and value first; only then take the stored array
        // (appending must not copy it) and insert.
        let mut evaluated: Vec<(Option<i64>, String)> = Vec::with_capacity(items.len());
        for (k, v) in items {
            let i = match k {
                Some(k) => Some(self.eval_arith_text_expanded(k)?),
                None => None,
            };
            evaluated.push((i, self.transform_value(&name, v.clone())?));
        }
        let old = if append {
            match self.vars.get(&name).and_then(|v| v.value.as_ref()) {
                Some(Value::Indexed(_) | Value::Scalar(_)) => {
                    self.vars.get_mut(&name).and_then(|v| v.value.take())
                }
                _ => None,
            }
        } else {
            None
        };
        let mut m = match old {
            Some(Value::Indexed(m)) => m,
            Some(Value::Scalar(s)) => BTreeMap::from([(0, s)]),
            _ => BTreeMap::new(),
        };
        let mut next = m.keys().next_back().map_or(0, |k| k + 1);
        for (k, v) in evaluated {
            let i = k.unwrap_or(next);
            m.insert(i, v);
            next = i + 1;
        }
        let var = self.vars.entry(&name);
        var.value = Some(Value::Indexed(m));
        var.attrs |= attr::ARRAY;
        Ok(())
    }

    // ----- arithmetic --------------------------------------------------------------------

    /// [`Interp::eval_arith_text`] for `(( ... ))` and the parts of `for (( ...; ...; ... ))`:
    /// under `set -x` the expanded text is traced first, as `(( text ))`.
    pub(super) fn eval_arith_traced(&mut self, text: &str) -> Result<i64, String> {
        if !self.opts.xtrace {
            return self.eval_arith_text(text);
        }
        let expanded = self.arith_expand(text)?;
        let line = format!("{}(( {expanded} ))\n", self.xtrace_prefix());
        let _ = self.write_fd(2, line.as_bytes());
        self.eval_arith_text_expanded(&expanded.replace('"', ""))
    }

    /// Arithmetic text with its `$`-expressions and command substitutions expanded.
    fn arith_expand(&mut self, text: &str) -> Result<String, String> {
        if !text.contains(['$', '`']) {
            return Ok(text.to_string());
        }
        let fields = self
            .expand_to_fields(text, true, Join::Split)
            .map_err(|e| match e {
                ExpandError::Abort(m) | ExpandError::Fatal(m, _) | ExpandError::Status(m, _) => m,
                ExpandError::Flow(_) => "interrupted".into(),
            })?;
        Ok(join_fields(&fields, " "))
    }

    /// Expand `$`-expressions in arithmetic text, then evaluate it.
    pub fn eval_arith_text(&mut self, text: &str) -> Result<i64, String> {
        let expanded: Cow<'_, str> = if text.contains(['$', '`']) {
            let fields = self
                .expand_to_fields(text, true, Join::Split)
                .map_err(|e| match e {
                    ExpandError::Abort(m)
                    | ExpandError::Fatal(m, _)
                    | ExpandError::Status(m, _) => m,
                    ExpandError::Flow(_) => "interrupted".into(),
                })?;
            Cow::Owned(join_fields(&fields, " "))
        } else {
            Cow::Borrowed(text)
        };
        // Quote removal: arithmetic text may hold quotes (`$(( "1" + 2 ))`).
        if expanded.contains('"') {
            return self.eval_arith_text_expanded(&expanded.replace('"', ""));
        }
        self.eval_arith_text_expanded(&expanded)
    }

    /// Evaluate already-expanded arithmetic text.
    pub fn eval_arith_text_expanded(&mut self, text: &str) -> Result<i64, String> {
        self.arith_unbound = false;
        let mut ctx = ArithCtx { it: self };
        crate::arith::eval(text, &mut ctx).map_err(|e| e.message)
    }

    /// After an arithmetic error `msg`: if it was an unset variable read under `set -u`,
    /// print it (bash's plain `name: unbound variable`) and end the shell as a nounset
    /// expansion error does (127, or 1 in a subshell).
    pub(super) fn arith_unbound_exit(&mut self, msg: &str) -> Option<Flow> {
        if !std::mem::take(&mut self.arith_unbound) {
            return None;
        }
        self.error(msg);
        Some(Flow::Exit(if self.subshell > 0 { 1 } else { 127 }))
    }

    /// An arithmetic error in an expansion: fatal for `set -u`'s unset variables, otherwise
    /// the command is abandoned.
    pub(super) fn arith_failure(&mut self, msg: String) -> ExpandError {
        if std::mem::take(&mut self.arith_unbound) {
            ExpandError::Fatal(msg, if self.subshell > 0 { 1 } else { 127 })
        } else {
            ExpandError::Abort(msg)
        }
    }
}

struct ArithCtx<'a> {
    it: &'a mut Interp,
}

impl crate::arith::ArithContext for ArithCtx<'_> {
    fn get(&mut self, name: &str, index: Option<&str>) -> Option<String> {
        match index {
            None => {
                // A reference to an array element (`declare -n e='a[1]'`).
                if let Cow::Owned(t) = self.it.resolve_nameref(name)
                    && let Some((base, idx)) = t.strip_suffix(']').and_then(|t| t.split_once('['))
                {
                    let p = Parameter::NamedWithIndex {
                        name: base.to_string(),
                        index: idx.to_string(),
                    };
                    return match self.it.param_value_direct(&p) {
                        Ok(PVal::Str(s)) => Some(s),
                        _ => None,
                    };
                }
                self.it.get_scalar(name)
            }
            Some(i) => match &*self.it.lookup_ref(name)? {
                Value::Scalar(s) => (i == "0").then(|| s.clone()),
                Value::Indexed(m) => {
                    let idx: i64 = i.parse().ok()?;
                    let idx = if idx < 0 {
                        m.keys().next_back().copied().unwrap_or(-1) + 1 + idx
                    } else {
                        idx
                    };
                    m.get(&idx).cloned()
                }
                Value::Assoc(m) => m.get(i).cloned(),
            },
        }
    }

    fn set(
        &mut self,
        name: &str,
        index: Option<&str>,
        value: i64,
    ) -> Result<(), crate::arith::ArithError> {
        let r = match index {
            None => self.it.assign_scalar(name, value.to_string()),
            Some(i) => self.it.assign_element(name, i, value.to_string(), false),
        };
        r.map_err(|message| crate::arith::ArithError { message })
    }

    fn is_assoc(&self, name: &str) -> bool {
        self.it.is_assoc(name)
    }

    fn unbound(&mut self, name: &str) -> Result<(), crate::arith::ArithError> {
        if !self.it.opts.nounset {
            return Ok(());
        }
        self.it.arith_unbound = true;
        Err(crate::arith::ArithError {
            message: format!("{name}: unbound variable"),
        })
    }
}

/// What `${x@P}` reads for its backslash escapes.
struct PromptEnv {
    root: bool,
    user: String,
    host: String,
    pwd: String,
    home: String,
    /// `$0`'s base name, for `\s`.
    shell: String,
}

/// `${x@P}`: bash's prompt backslash escapes `\u \h \H \w \W \$ \s \n \r \a \e \\` and
/// `\[ \]` (removed); other escapes are kept as written.
fn prompt_expand(s: &str, env: &PromptEnv) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let tilde = || match env.pwd.strip_prefix(env.home.as_str()) {
            Some(rest) if !env.home.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                format!("~{rest}")
            }
            _ => env.pwd.clone(),
        };
        match e {
            'u' => out.push_str(&env.user),
            'h' => out.push_str(env.host.split('.').next().unwrap_or_default()),
            'H' => out.push_str(&env.host),
            'w' => out.push_str(&tilde()),
            'W' => {
                let t = tilde();
                let base = if t == "/" || t == "~" {
                    t.as_str()
                } else {
                    t.rsplit('/').next().unwrap_or_default()
                };
                out.push_str(base);
            }
            '$' => out.push(if env.root { '#' } else { '$' }),
            's' => out.push_str(&env.shell),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'e' => out.push('\x1b'),
            '\\' => out.push('\\'),
            '[' | ']' => {}
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// A pattern from expanded fields (joined by spaces): quoted parts backslash-escaped so they
/// match literally, and the pattern as `set -x` shows it (every quoted character escaped).
fn pattern_text(fields: &[Field]) -> (String, String) {
    let mut s = String::new();
    let mut shown = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            s.push(' ');
            shown.push(' ');
        }
        for c in &f.chunks {
            if c.quoted {
                s.push_str(&escape_pattern(&c.text));
                for ch in c.text.chars() {
                    shown.push('\\');
                    shown.push(ch);
                }
            } else {
                s.push_str(&c.text);
                shown.push_str(&c.text);
            }
        }
    }
    (s, shown)
}

/// The parameter an expression expands (none for `${!prefix*}` and `${!a[@]}`).
fn expr_parameter(e: &ParameterExpr) -> Option<&Parameter> {
    use ParameterExpr as E;
    match e {
        E::Parameter { parameter, .. }
        | E::UseDefaultValues { parameter, .. }
        | E::AssignDefaultValues { parameter, .. }
        | E::IndicateErrorIfNullOrUnset { parameter, .. }
        | E::UseAlternativeValue { parameter, .. }
        | E::ParameterLength { parameter, .. }
        | E::RemoveSmallestSuffixPattern { parameter, .. }
        | E::RemoveLargestSuffixPattern { parameter, .. }
        | E::RemoveSmallestPrefixPattern { parameter, .. }
        | E::RemoveLargestPrefixPattern { parameter, .. }
        | E::Substring { parameter, .. }
        | E::Transform { parameter, .. }
        | E::UppercaseFirstChar { parameter, .. }
        | E::UppercasePattern { parameter, .. }
        | E::LowercaseFirstChar { parameter, .. }
        | E::LowercasePattern { parameter, .. }
        | E::ReplaceSubstring { parameter, .. } => Some(parameter),
        E::VariableNames { .. } | E::MemberKeys { .. } => None,
    }
}

fn join_fields(f: &Fields, sep: &str) -> String {
    let mut s = String::new();
    for (i, field) in f.fields.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        for c in &field.chunks {
            s.push_str(&c.text);
        }
    }
    s
}

/// Backslash-escape pattern characters so text matches literally.
pub fn escape_pattern(s: &str) -> String {
    String::from_utf8_lossy(&crate::pattern::escape(s.as_bytes())).into_owned()
}

fn unescape_literal(chunks: &[Chunk]) -> String {
    chunks.iter().map(|c| c.text.as_str()).collect()
}

/// `(start, end)` of `${x:off:len}` over `n` items; Err for a negative resulting length.
fn slice_range(n: usize, off: i64, len: Option<i64>) -> Result<(usize, usize), ()> {
    let n_i = n as i64;
    let start = if off < 0 { n_i + off } else { off };
    if start < 0 || start > n_i {
        return Ok((0, 0));
    }
    let end = match len {
        None => n_i,
        Some(l) if l < 0 => {
            let e = n_i + l;
            if e < start {
                return Err(());
            }
            e
        }
        Some(l) => (start + l).min(n_i),
    };
    Ok((start as usize, end as usize))
}

fn replace(
    p: &crate::pattern::Pattern,
    s: &str,
    rep: &str,
    kind: &word::SubstringMatchKind,
    amp: bool,
) -> String {
    let b = s.as_bytes();
    let render = |m: &[u8]| -> Vec<u8> {
        // bash 5.2 patsub_replacement (`amp`): an unquoted `&` is the matched text; `\&`
        // is `&`. A backslash quotes the next character either way.
        let mut out = Vec::new();
        let r = rep.as_bytes();
        let mut i = 0;
        while i < r.len() {
            match r[i] {
                b'\\' if i + 1 < r.len() => {
                    out.push(r[i + 1]);
                    i += 2;
                }
                b'&' if amp => {
                    out.extend_from_slice(m);
                    i += 1;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    };
    let mut out: Vec<u8> = Vec::new();
    match kind {
        word::SubstringMatchKind::Prefix => match p.match_prefix(b, true) {
            Some(len) => {
                out.extend(render(&b[..len]));
                out.extend_from_slice(&b[len..]);
            }
            None => return s.to_string(),
        },
        word::SubstringMatchKind::Suffix => match p.match_suffix(b, true) {
            Some(start) => {
                out.extend_from_slice(&b[..start]);
                out.extend(render(&b[start..]));
            }
            None => return s.to_string(),
        },
        word::SubstringMatchKind::FirstOccurrence | word::SubstringMatchKind::Anywhere => {
            let all = matches!(kind, word::SubstringMatchKind::Anywhere);
            let mut pos = 0;
            let mut done = false;
            while pos <= b.len() {
                if done {
                    out.extend_from_slice(&b[pos..]);
                    break;
                }
                match p.find(b, pos) {
                    Some((st, en)) => {
                        out.extend_from_slice(&b[pos..st]);
                        out.extend(render(&b[st..en]));
                        if en == st {
                            if st < b.len() {
                                out.push(b[st]);
                            }
                            pos = st + 1;
                        } else {
                            pos = en;
                        }
                        if !all {
                            done = true;
                        }
                    }
                    None => {
                        out.extend_from_slice(&b[pos..]);
                        break;
                    }
                }
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Brace-expand `w` into `out` (at most `limit` words).
fn brace_into(w: &str, limit: usize, out: &mut Vec<String>) -> Result<(), ()> {
    let b = w.as_bytes();
    // Find the first top-level brace group that expands.
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'\\' => {
                i += 2;
                continue;
            }
            b'\'' | b'"' => {
                quote = Some(c);
            }
            b'$' if b.get(i + 1) == Some(&b'{') || b.get(i + 1) == Some(&b'(') => {
                // Skip ${...} and $(...).
                let (open, close) = if b[i + 1] == b'{' {
                    (b'{', b'}')
                } else {
                    (b'(', b')')
                };
                let mut depth = 0;
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == b'\\' {
                        j += 2;
                        continue;
                    }
                    if b[j] == open {
                        depth += 1;
                    } else if b[j] == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            b'{' => {
                if let Some((close, parts)) = brace_group(b, i) {
                    let pre = &w[..i];
                    let post = &w[close + 1..];
                    for part in parts {
                        let combined = format!("{pre}{part}{post}");
                        brace_into(&combined, limit, out)?;
                        if out.len() > limit {
                            return Err(());
                        }
                    }
                    return Ok(());
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push(w.to_string());
    if out.len() > limit {
        return Err(());
    }
    Ok(())
}

/// If a valid brace expression starts at `open`, its closing index and alternatives.
fn brace_group(b: &[u8], open: usize) -> Option<(usize, Vec<String>)> {
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut j = open;
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let c = b[j];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            j += 1;
            continue;
        }
        match c {
            b'\\' => {
                j += 2;
                continue;
            }
            b'\'' | b'"' => quote = Some(c),
            b'$' if b.get(j + 1) == Some(&b'{') => {
                let mut d = 0;
                let mut k = j + 1;
                while k < b.len() {
                    if b[k] == b'{' {
                        d += 1;
                    } else if b[k] == b'}' {
                        d -= 1;
                        if d == 0 {
                            break;
                        }
                    }
                    k += 1;
                }
                j = k + 1;
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let inner = std::str::from_utf8(&b[open + 1..j]).ok()?;
                    if !commas.is_empty() {
                        let mut parts = Vec::new();
                        let mut start = open + 1;
                        for &c in &commas {
                            parts.push(String::from_utf8_lossy(&b[start..c]).into_owned());
                            start = c + 1;
                        }
                        parts.push(String::from_utf8_lossy(&b[start..j]).into_owned());
                        return Some((j, parts));
                    }
                    return sequence(inner).map(|p| (j, p));
                }
            }
            b',' if depth == 1 => commas.push(j),
            _ => {}
        }
        j += 1;
    }
    None
}

/// `{a..e}`, `{1..10..2}`, `{05..10}`.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.unsigned_abs().max(1) as i64;
    let (a, b) = (parts[0], parts[1]);
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let width = |s: &str| {
            let t = s.trim_start_matches('-');
            if t.len() > 1 && t.starts_with('0') {
                s.len()
            } else {
                0
            }
        };
        let w = width(a).max(width(b));
        let n = (x.abs_diff(y) / step as u64) as usize + 1;
        if n > 10_000_000 {
            return Some(vec![String::new(); 10_000_001]);
        }
        let mut out = Vec::with_capacity(n);
        let mut v = x;
        for _ in 0..n {
            out.push(if w > 0 {
                if v < 0 {
                    format!("-{:0width$}", v.unsigned_abs(), width = w - 1)
                } else {
                    format!("{v:0w$}")
                }
            } else {
                v.to_string()
            });
            if x <= y {
                v += step;
            } else {
                v -= step;
            }
        }
        return Some(out);
    }
    let (ca, cb) = (single_char(a)?, single_char(b)?);
    let (x, y) = (ca as i64, cb as i64);
    let mut out = Vec::new();
    let mut v = x;
    loop {
        // Brace words are parsed again as shell words: between `Z` and `a` lie
        // characters that need quoting (bash's quote removal leaves `\` empty).
        out.push(match char::from_u32(v as u32)? {
            '\\' => "''".to_string(),
            '`' => "\\`".to_string(),
            c => c.to_string(),
        });
        if v == y {
            break;
        }
        if x <= y {
            v += step;
            if v > y {
                break;
            }
        } else {
            v -= step;
            if v < y {
                break;
            }
        }
    }
    Some(out)
}

/// Where the `=` is in a word `NAME=...` whose value holds a tilde to expand (after the
/// `=` or a `:`).
fn assignment_like_tilde(w: &str) -> Option<usize> {
    let eq = w.find('=')?;
    let name = &w[..eq];
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let value = &w[eq + 1..];
    (valid && (value.starts_with('~') || value.contains(":~"))).then_some(eq)
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

/// The word of a `$(< FILE)` substitution: a single input redirection and nothing else.
fn read_file_shortcut(cmd: &str) -> Option<&str> {
    let rest = cmd.trim().strip_prefix('<')?;
    if rest.starts_with(['<', '(', '&', '>']) {
        return None;
    }
    let word = rest.trim();
    if word.is_empty() {
        return None;
    }
    // One word only: no unquoted blanks or operators outside quotes.
    let b = word.as_bytes();
    let (mut i, mut sq, mut dq) = (0, false, false);
    while i < b.len() {
        match b[i] {
            b'\\' if !sq => i += 1,
            b'\'' if !dq => sq = !sq,
            b'"' if !sq => dq = !dq,
            b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'<' | b'>' | b'(' | b')' | b'`'
                if !sq && !dq =>
            {
                return None;
            }
            b'$' if !sq && b.get(i + 1) == Some(&b'(') => return None,
            _ => {}
        }
        i += 1;
    }
    (!sq && !dq).then_some(word)
}

//! TypeScript in code mode: the program's types are stripped on the host by oxc's
//! TypeScript parser and transformer (enums, namespaces and parameter properties are
//! compiled to JavaScript as `tsc` does), then the JavaScript runs in the same engine as
//! [`crate::run_js`], with the same globals and result rules.
//!
//! A TypeScript syntax error ends the run before the engine starts, as a
//! [`ProblemKind::GuestError`] whose detail is `SyntaxError: message` and the position
//! (`at script.ts:LINE:COL`). Errors thrown while the program runs carry the JavaScript
//! stack with each `script.js:LINE:COL` mapped back to the TypeScript source
//! (`script.ts:LINE:COL`) through the printer's source map.

use std::path::Path;

use oxc_allocator::Allocator;
use oxc_ast::ast::Statement;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_diagnostics::OxcDiagnostic;
use oxc_parser::{ParseOptions, Parser};
use oxc_semantic::SemanticBuilder;
use oxc_sourcemap::SourceMap;
use oxc_span::SourceType;
use oxc_transformer::{TransformOptions, Transformer};

use crate::codemode::{engine_output, js_engine};
use crate::problem::{Problem, ProblemKind};
use crate::sandbox::{RunOutput, Sandbox};

/// The name TypeScript positions are reported under.
const TS_NAME: &str = "script.ts";
/// The name the engine reports positions of the program under.
const JS_NAME: &str = "script.js";

/// A program with its types stripped.
pub struct Stripped {
    /// The JavaScript.
    pub code: String,
    map: Option<SourceMap<'static>>,
}

impl std::fmt::Debug for Stripped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stripped")
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

/// Strip the types of a TypeScript program (global code; top-level `await` and
/// `return` allowed, as in [`crate::run_js`]). A syntax error is a
/// [`ProblemKind::GuestError`] problem.
pub fn strip_types(source: &str) -> Result<Stripped, Problem> {
    let allocator = Allocator::default();
    let options = ParseOptions {
        allow_return_outside_function: true,
        ..ParseOptions::default()
    };
    let parsed = Parser::new(&allocator, source, SourceType::ts())
        .with_options(options)
        .parse();
    if let Some(first) = parsed.diagnostics.errors().next() {
        return Err(syntax_error(source, first));
    }
    if parsed.panicked {
        return Err(Problem::new(
            ProblemKind::GuestError,
            format!("SyntaxError: the program could not be parsed\n    at {TS_NAME}:1:1"),
        ));
    }
    let mut program = parsed.program;
    let semantic = SemanticBuilder::new().with_enum_eval(true).build(&program);
    let scoping = semantic.semantic.into_scoping();
    let transform = TransformOptions::default();
    let transformed = Transformer::new(&allocator, Path::new(TS_NAME), &transform)
        .build_with_scoping(scoping, &mut program);
    if let Some(first) = transformed.diagnostics.errors().next() {
        return Err(syntax_error(source, first));
    }
    // The transformer keeps a module a module with `export {}` when it removed every
    // import and export; the program is global code, where that is a syntax error.
    program.body.retain(|s| {
        !matches!(s, Statement::ExportNamedDeclaration(e)
            if e.specifiers.is_empty())
    });
    let printed = Codegen::new()
        .with_options(CodegenOptions {
            source_map_path: Some(Path::new(TS_NAME).to_path_buf()),
            ..CodegenOptions::default()
        })
        .build(&program);
    Ok(Stripped {
        code: printed.code,
        map: printed.map.map(SourceMap::into_owned),
    })
}

/// A parser or transformer diagnostic as a `SyntaxError` problem at its position.
fn syntax_error(source: &str, d: &OxcDiagnostic) -> Problem {
    let mut detail = format!("SyntaxError: {}", d.message);
    if let Some(help) = &d.help {
        detail.push_str(&format!(" ({help})"));
    }
    if let Some(label) = d.labels.first() {
        let (line, col) = line_col(source, label.offset() as usize);
        detail.push_str(&format!("\n    at {TS_NAME}:{line}:{col}"));
    }
    Problem::new(ProblemKind::GuestError, detail)
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

impl Stripped {
    /// `text` with every `script.js:LINE:COL` position of the stripped program replaced by
    /// the TypeScript position it came from.
    pub fn map_positions(&self, text: &str) -> String {
        let Some(map) = &self.map else {
            return text.to_string();
        };
        let table = map.generate_lookup_table();
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(JS_NAME) {
            out.push_str(&rest[..i]);
            let after = &rest[i + JS_NAME.len()..];
            let (pos, used) = parse_position(after);
            match pos.and_then(|(l, c)| {
                map.lookup_token(&table, l.saturating_sub(1), c.saturating_sub(1))
            }) {
                Some(t) => {
                    out.push_str(&format!(
                        "{TS_NAME}:{}:{}",
                        t.get_src_line() + 1,
                        t.get_src_col() + 1
                    ));
                    rest = &after[used..];
                }
                None => {
                    out.push_str(TS_NAME);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// `:LINE:COL` or `:LINE` at the start of `s`, and the bytes it takes.
fn parse_position(s: &str) -> (Option<(u32, u32)>, usize) {
    let number = |s: &str| -> Option<(u32, usize)> {
        let rest = s.strip_prefix(':')?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        Some((rest[..digits].parse().ok()?, digits + 1))
    };
    let Some((line, a)) = number(s) else {
        return (None, 0);
    };
    match number(&s[a..]) {
        Some((col, b)) => (Some((line, col)), a + b),
        None => (Some((line, 1)), a),
    }
}

/// Run a TypeScript program in `sandbox` on this thread: [`strip_types`], then
/// [`crate::run_js`] with stack positions mapped back to the TypeScript source.
pub fn run_ts(sandbox: &Sandbox, code: &str) -> RunOutput {
    match prepare(code) {
        Ok((stripped, engine)) => ts_output(
            &stripped,
            engine_output(sandbox.run(&engine, &stripped.code)),
        ),
        Err(p) => RunOutput::failed(p),
    }
}

/// [`run_ts`] from async code, as [`crate::run_js_async`].
pub async fn run_ts_async(sandbox: &Sandbox, code: &str) -> RunOutput {
    match prepare(code) {
        Ok((stripped, engine)) => ts_output(
            &stripped,
            engine_output(sandbox.run_async(&engine, &stripped.code).await),
        ),
        Err(p) => RunOutput::failed(p),
    }
}

/// The stripped program and the engine to run it.
fn prepare(code: &str) -> Result<(Stripped, crate::engine::Program), Problem> {
    let stripped = strip_types(code)?;
    Ok((stripped, js_engine()?))
}

fn ts_output(stripped: &Stripped, mut out: RunOutput) -> RunOutput {
    if let Err(p) = &mut out.result
        && p.kind() == Some(ProblemKind::GuestError)
    {
        p.detail = stripped.map_positions(&p.detail);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_parse() {
        assert_eq!(parse_position(":12:5)"), (Some((12, 5)), 5));
        assert_eq!(parse_position(":7 x"), (Some((7, 1)), 2));
        assert_eq!(parse_position(" x"), (None, 0));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col("x", 0), (1, 1));
    }
}

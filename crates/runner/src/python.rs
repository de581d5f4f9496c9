//! Code mode in Python: a model writes one Python program that calls the host's tools
//! itself, and the sandbox runs it once, in CPython 3.14 compiled to a component by
//! componentize-py ([`PYTHON_ENGINE_GZ`], built by `engines/python/build.sh`).
//!
//! The result is the value of the program's last statement when it is an expression (as
//! in a REPL or a notebook), or of a top-level `return`, as JSON text (`json.dumps`:
//! `None` is `null`; a value JSON has no text for, such as a set, ends the run with a
//! `TypeError`). An uncaught exception ends the run with a [`ProblemKind::GuestError`]
//! whose detail is `Name: message` and the Python traceback of the program's own frames
//! (`File "<program>", line N`).
//!
//! The program's globals are `fs` (the sandbox filesystem; failures raise Python's own
//! `OSError` subclasses), `sh` (its bash), `tools` (one function per declared tool, plus
//! `tools.call(name, args)` and `tools.list()`), `log` (into the run's logs) and
//! `ToolError`; `print` writes to the run's stdout, and `open`, `os`, `pathlib`, `csv`...
//! work on the same filesystem. Every run starts from the same interpreter snapshot in a
//! fresh instance. Only the standard modules the engine preloads can be imported (there is
//! no third-party package). For the model's prompt, [`python_stubs`] describes the globals
//! and the tools' arguments, and [`python_system_prompt`] explains them with the limits.
//!
//! The component is about 24 MB and takes cranelift seconds to compile, so
//! [`python_engine`] keeps the compiled engine in an on-disk cache
//! ([`python_engine_cache_dir`]) and later processes load it in milliseconds.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use crate::codemode::{PromptLimits, engine_output, required_names};
use crate::engine::{Program, Runner};
use crate::problem::{Problem, ProblemKind};
use crate::sandbox::{RunOutput, Sandbox};
use crate::tools::ToolSet;

/// The Python engine guest, gzip-compressed: CPython 3.14 (componentize-py 0.25.1) in a
/// component of the `agent` world whose `run(input)` runs `input` as a program.
/// [`python_engine_wasm`] is the component itself.
pub const PYTHON_ENGINE_GZ: &[u8] = include_bytes!("../engines/python.wasm.gz");

/// The version of the engine's Python (`python3 --version`).
pub const PYTHON_VERSION: &str = "3.14.0";

/// The engine's component bytes, decompressed once per process.
pub fn python_engine_wasm() -> Result<&'static [u8], Problem> {
    static WASM: OnceLock<Result<Vec<u8>, Problem>> = OnceLock::new();
    WASM.get_or_init(|| {
        let mut out = Vec::with_capacity(PYTHON_ENGINE_GZ.len() * 3);
        flate2::read::GzDecoder::new(PYTHON_ENGINE_GZ)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| {
                Problem::new(
                    ProblemKind::Internal,
                    format!("the bundled Python engine does not decompress: {e}"),
                )
            })
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

/// Where [`python_engine`] keeps the compiled engine: `$AGENTSH_CACHE_DIR` when set
/// (empty: no disk cache), else `$XDG_CACHE_HOME/agentsh/engines`, else
/// `$HOME/.cache/agentsh/engines`. The runner makes it mode 0700 and only loads the files
/// it wrote there (see [`crate::RunnerBuilder::cache_dir`]).
pub fn python_engine_cache_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(dir) = std::env::var_os("AGENTSH_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = match var("XDG_CACHE_HOME").map(PathBuf::from) {
        Some(xdg) if xdg.is_absolute() => xdg,
        _ => PathBuf::from(var("HOME")?).join(".cache"),
    };
    Some(base.join("agentsh").join("engines"))
}

/// The engine loaded in [`Runner::shared`], compiled once per process, or loaded from the
/// disk cache ([`python_engine_cache_dir`]) when an earlier process compiled it.
pub fn python_engine() -> Result<Program, Problem> {
    static ENGINE: OnceLock<Result<Program, Problem>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let runner = Runner::shared()?;
            let wasm = python_engine_wasm()?;
            match python_engine_cache_dir() {
                Some(dir) => runner.load_cached(wasm, &dir),
                None => runner.load(wasm),
            }
        })
        .clone()
}

/// Run a Python program in `sandbox` (its filesystem, tools and limits) on this thread.
pub fn run_python(sandbox: &Sandbox, code: &str) -> RunOutput {
    match python_engine() {
        Ok(engine) => engine_output(sandbox.run(&engine, &program_input(code))),
        Err(p) => RunOutput::failed(p),
    }
}

/// [`run_python`] from async code: the run happens on tokio's blocking pool and async
/// tools run on the caller's runtime.
pub async fn run_python_async(sandbox: &Sandbox, code: &str) -> RunOutput {
    match python_engine() {
        Ok(engine) => engine_output(sandbox.run_async(&engine, &program_input(code)).await),
        Err(p) => RunOutput::failed(p),
    }
}

/// The engine's input for a program: the program itself, unless it starts with NUL,
/// the engine's command-mode marker. Python source cannot contain NUL, so such a program
/// is an error anyway: a leading space keeps it from being taken for a command.
fn program_input(code: &str) -> std::borrow::Cow<'_, str> {
    if code.starts_with('\0') {
        format!(" {code}").into()
    } else {
        code.into()
    }
}

/// The stub text of the globals other than `tools`.
const GLOBALS_PYI: &str = r#"# The globals of a Python program in the agentsh sandbox (CPython 3.14).
from os import PathLike
from typing import Any, Literal, NotRequired, TypedDict

StrPath = str | PathLike[str]

class Stat:
    """A file's metadata."""
    type: Literal["file", "directory", "symlink", "other"]
    size: int
    mode: int
    ino: int
    nlink: int
    mtime_ms: float
    atime_ms: float
    ctime_ms: float
    def is_file(self) -> bool: ...
    def is_dir(self) -> bool: ...
    def is_symlink(self) -> bool: ...

class DirEntry:
    name: str
    type: Literal["file", "directory", "symlink", "other"]
    def is_file(self) -> bool: ...
    def is_dir(self) -> bool: ...
    def is_symlink(self) -> bool: ...

class _Fs:
    """The sandbox's in-memory filesystem (open(), os and pathlib see the same files).
    Failures raise Python's OSError subclasses: FileNotFoundError, FileExistsError,
    NotADirectoryError, IsADirectoryError, PermissionError, OSError(errno.ENOTEMPTY)..."""
    def read_file(self, path: StrPath, encoding: str = "utf8", errors: str = "strict") -> str: ...
    # read_file(path, encoding="bytes") returns the bytes.
    def write_file(self, path: StrPath, data: str | bytes, encoding: str = "utf8") -> None: ...
    def append_file(self, path: StrPath, data: str | bytes, encoding: str = "utf8") -> None: ...
    def readdir(self, path: StrPath = ".", with_file_types: bool = False) -> list[str]: ...
    # readdir(path, with_file_types=True) returns list[DirEntry].
    def stat(self, path: StrPath) -> Stat: ...
    def lstat(self, path: StrPath) -> Stat: ...
    def mkdir(self, path: StrPath, recursive: bool = False) -> None: ...
    def rm(self, path: StrPath, recursive: bool = False, force: bool = False) -> None: ...
    def rename(self, src: StrPath, dst: StrPath) -> None: ...
    def copy_file(self, src: StrPath, dst: StrPath) -> None: ...
    def cp(self, src: StrPath, dst: StrPath, recursive: bool = False) -> None: ...
    def symlink(self, target: str, path: StrPath) -> None: ...
    def readlink(self, path: StrPath) -> str: ...
    def realpath(self, path: StrPath) -> str: ...
    def glob(self, pattern: str) -> list[str]:
        """Paths matching a shell pattern (`*`, `?`, `[...]`, `**` for any depth), sorted."""
    def exists(self, path: StrPath) -> bool: ...
    def read_json(self, path: StrPath) -> Any: ...
    def write_json(self, path: StrPath, value: Any, indent: int | None = None) -> None: ...

fs: _Fs

class ShellResult:
    stdout: str
    stderr: str
    status: int
    returncode: int  # the same as status

class _Sh:
    def run(
        self,
        script: str,
        cwd: StrPath | None = None,
        env: dict[str, str] | None = None,
        stdin: str | bytes | None = None,
        timeout_ms: int | None = None,
    ) -> ShellResult:
        """Run a bash script (coreutils, grep, sed, awk, jq...) on the same files, in a
        fresh shell session; status 124 when a limit stopped it."""

sh: _Sh

class _Log:
    """Lines for the run's logs: log.info("rows:", n, table="t") logs "rows: 3" with the
    fields {"table": "t"}; "%"-formatting as in logging works too."""
    def trace(self, *values: Any, **fields: Any) -> None: ...
    def debug(self, *values: Any, **fields: Any) -> None: ...
    def info(self, *values: Any, **fields: Any) -> None: ...
    def warn(self, *values: Any, **fields: Any) -> None: ...
    def warning(self, *values: Any, **fields: Any) -> None: ...
    def error(self, *values: Any, **fields: Any) -> None: ...

log: _Log

class ToolError(Exception):
    """A tool call failed."""
    tool: str
    problem: dict[str, Any]  # RFC 9457: type, title, status, detail
"#;

/// Python's keywords, which no argument or method can be named.
const PY_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !PY_KEYWORDS.contains(&name)
}

/// A Python stub text (as a `.pyi`) of a program's globals: `fs`, `sh`, `log`,
/// `ToolError`, and `tools` with one method per tool, its keyword arguments typed from
/// the tool's JSON schema (nested objects as `TypedDict`s) and its description as the
/// docstring. A tool whose name is not a Python identifier (or is `call` or `list`) is
/// listed as a comment with its `tools.call(...)` form.
pub fn python_stubs(tools: &ToolSet) -> String {
    let mut stubs = Stubs::default();
    let mut methods = String::new();
    for tool in tools.iter() {
        stubs.tool(&mut methods, tool.name(), tool.description(), tool.schema());
    }
    let mut out = String::from(GLOBALS_PYI);
    for def in &stubs.defs {
        out.push('\n');
        out.push_str(def);
    }
    out.push_str("\nclass _Tools:\n");
    out.push_str(
        "    \"\"\"The host's tools; each call returns the tool's JSON result and raises\n",
    );
    out.push_str("    ToolError when it fails.\"\"\"\n");
    out.push_str(&methods);
    out.push_str(
        "    def call(self, name: str, args: dict[str, Any] | None = None) -> Any:\n        \
         \"\"\"Call a tool by name.\"\"\"\n",
    );
    out.push_str(
        "    def list(self) -> list[dict[str, Any]]:\n        \
         \"\"\"The declared tools: name, description, input_schema.\"\"\"\n",
    );
    out.push_str("\ntools: _Tools\n");
    out
}

/// Stub generation: the `TypedDict`s nested objects need, defined before `_Tools`.
#[derive(Default)]
struct Stubs {
    defs: Vec<String>,
    names: Vec<String>,
}

impl Stubs {
    fn tool(&mut self, out: &mut String, name: &str, description: &str, schema: &Value) {
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty());
        if !is_identifier(name) || name == "call" || name == "list" {
            let args = match props {
                Some(_) => self.py_type(schema, name),
                None => "dict[str, Any]".into(),
            };
            let _ = writeln!(
                out,
                "    # tools.call({}, args: {args}) -> Any",
                py_str(name)
            );
            for line in description.trim().lines() {
                let _ = writeln!(out, "    #   {}", line.trim_end());
            }
            return;
        }
        let required = required_names(schema);
        let mut doc = description.trim().to_string();
        let sig = match props {
            Some(props) if props.keys().all(|k| is_identifier(k)) => {
                let mut params = Vec::new();
                let mut arg_docs = Vec::new();
                for (k, prop) in props {
                    let ty = self.py_type(prop, &format!("{name}_{k}"));
                    if required.contains(&k.as_str()) {
                        params.push(format!("{k}: {ty}"));
                    } else {
                        params.push(format!("{k}: {ty} = ..."));
                    }
                    if let Some(d) = prop.get("description").and_then(Value::as_str) {
                        arg_docs.push(format!("    {k}: {}", one_line(d)));
                    }
                }
                if !arg_docs.is_empty() {
                    if !doc.is_empty() {
                        doc.push_str("\n\n");
                    }
                    doc.push_str("Args:\n");
                    doc.push_str(&arg_docs.join("\n"));
                }
                format!("self, *, {}", params.join(", "))
            }
            Some(_) => format!("self, args: {}, /", self.py_type(schema, name)),
            None => "self, args: dict[str, Any] | None = None, /, **kwargs: Any".into(),
        };
        let _ = writeln!(out, "    def {name}({sig}) -> Any:");
        if doc.is_empty() {
            out.push_str("        ...\n");
        } else {
            docstring(out, &doc, 2);
        }
    }

    /// The Python type of a JSON schema; `hint` names a `TypedDict` made for an object.
    fn py_type(&mut self, schema: &Value, hint: &str) -> String {
        let Value::Object(s) = schema else {
            return if schema == &Value::Bool(false) {
                "Never".into()
            } else {
                "Any".into()
            };
        };
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            return literal(values);
        }
        if let Some(v) = s.get("const") {
            return literal(std::slice::from_ref(v));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(options) = s.get(key).and_then(Value::as_array) {
                let parts = options.iter().map(|o| self.py_type(o, hint)).collect();
                return union(parts);
            }
        }
        match s.get("type") {
            Some(Value::Array(types)) => {
                let parts = types
                    .iter()
                    .map(|t| {
                        let mut one = s.clone();
                        one.insert("type".into(), t.clone());
                        self.py_type(&Value::Object(one), hint)
                    })
                    .collect();
                union(parts)
            }
            Some(Value::String(t)) => match t.as_str() {
                "string" => "str".into(),
                "integer" => "int".into(),
                "number" => "float".into(),
                "boolean" => "bool".into(),
                "null" => "None".into(),
                "array" => self.list_type(s.get("items"), hint),
                "object" => self.object_type(schema, hint),
                _ => "Any".into(),
            },
            _ if s.contains_key("properties") => self.object_type(schema, hint),
            _ if s.contains_key("items") => self.list_type(s.get("items"), hint),
            _ => "Any".into(),
        }
    }

    fn list_type(&mut self, items: Option<&Value>, hint: &str) -> String {
        match items {
            Some(items) => format!("list[{}]", self.py_type(items, hint)),
            None => "list[Any]".into(),
        }
    }

    fn object_type(&mut self, schema: &Value, hint: &str) -> String {
        let props = schema.get("properties").and_then(Value::as_object);
        let Some(props) = props.filter(|p| !p.is_empty()) else {
            return match schema.get("additionalProperties") {
                Some(extra @ Value::Object(_)) => {
                    format!("dict[str, {}]", self.py_type(extra, hint))
                }
                _ => "dict[str, Any]".into(),
            };
        };
        let name = self.fresh_name(hint);
        let required = required_names(schema);
        let mut fields = Vec::new();
        for (k, prop) in props {
            let ty = self.py_type(prop, &format!("{hint}_{k}"));
            let ty = if required.contains(&k.as_str()) {
                ty
            } else {
                format!("NotRequired[{ty}]")
            };
            let doc = prop
                .get("description")
                .and_then(Value::as_str)
                .map(|d| format!("  # {}", one_line(d)))
                .unwrap_or_default();
            fields.push((k.clone(), ty, doc));
        }
        let mut def = String::new();
        if fields.iter().all(|(k, _, _)| is_identifier(k)) {
            let _ = writeln!(def, "class {name}(TypedDict):");
            for (k, ty, doc) in &fields {
                let _ = writeln!(def, "    {k}: {ty}{doc}");
            }
        } else {
            let _ = writeln!(def, "{name} = TypedDict(\"{name}\", {{");
            for (k, ty, doc) in &fields {
                let _ = writeln!(def, "    {}: {ty},{doc}", py_str(k));
            }
            def.push_str("})\n");
        }
        self.defs.push(def);
        name
    }

    /// A CamelCase class name from `hint`, unique among the stubs' names.
    fn fresh_name(&mut self, hint: &str) -> String {
        let mut base = String::new();
        let mut upper = true;
        for c in hint.chars() {
            if c.is_ascii_alphanumeric() {
                if upper {
                    base.push(c.to_ascii_uppercase());
                } else {
                    base.push(c);
                }
                upper = false;
            } else {
                upper = true;
            }
        }
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert_str(0, "Args");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.names.contains(&name) || GLOBALS_PYI.contains(&format!("class {name}")) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.names.push(name.clone());
        name
    }
}

/// `Literal[...]` of JSON values (`None` outside it); `Any` when one is an array or object.
fn literal(values: &[Value]) -> String {
    let mut lits = Vec::new();
    let mut none = false;
    for v in values {
        match v {
            Value::Null => none = true,
            Value::Bool(b) => lits.push(if *b { "True" } else { "False" }.to_string()),
            Value::Number(n) => lits.push(n.to_string()),
            Value::String(s) => lits.push(py_str(s)),
            _ => return "Any".into(),
        }
    }
    let mut parts = Vec::new();
    if !lits.is_empty() {
        parts.push(format!("Literal[{}]", lits.join(", ")));
    }
    if none {
        parts.push("None".into());
    }
    union(parts)
}

fn union(mut parts: Vec<String>) -> String {
    parts.dedup();
    if parts.iter().any(|p| p == "Any") {
        return "Any".into();
    }
    if parts.is_empty() {
        "Never".into()
    } else {
        parts.join(" | ")
    }
}

/// A Python string literal (JSON's escapes are Python's).
fn py_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Write `text` as a docstring at `depth` levels of four-space indent.
fn docstring(out: &mut String, text: &str, depth: usize) {
    let text = text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    let pad = "    ".repeat(depth);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        let _ = writeln!(out, "{pad}\"\"\"{first}\"\"\"");
    } else {
        let _ = writeln!(out, "{pad}\"\"\"{first}");
        for line in rest {
            if line.trim().is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{pad}{}", line.trim_end());
            }
        }
        let _ = writeln!(out, "{pad}\"\"\"");
    }
}

/// A short system-prompt text telling a model how to write a program for
/// [`run_python`]: the globals, the result and error rules, the modules, the limits,
/// then [`python_stubs`].
pub fn python_system_prompt(tools: &ToolSet, limits: &PromptLimits) -> String {
    let mut out = String::new();
    out.push_str(
        "Answer by writing one Python program; it runs once in a sandbox (CPython 3.14, no \
         network, no processes) and its result comes back to you.\n\
         - The value of the program's last line, when it is an expression, or of a \
         top-level `return`, is its result, sent as JSON (`None` is null; convert sets, \
         bytes and other objects first).\n\
         - `tools.NAME(arg=value, ...)` calls a host tool and returns its JSON result; only \
         the tools declared below exist. Call several in one program instead of returning \
         between calls. A failed call raises `ToolError`.\n\
         - `fs` reads and writes the sandbox's own in-memory filesystem (`/tmp` exists); \
         `open()`, `os` and `pathlib` work on the same files. `sh.run(script)` runs a bash \
         script (coreutils, grep, sed, awk, jq...) on them and returns .stdout, .stderr and \
         .status.\n\
         - `print()` goes to the run's output and `log.info(...)` to its logs, not to the \
         result.\n\
         - An uncaught exception ends the program and you get its traceback.\n\
         - Only the standard library's common modules can be imported (re, json, csv, \
         math, statistics, datetime, collections, itertools, functools, pathlib, sqlite3, \
         decimal, hashlib, textwrap, difflib, xml.etree, zipfile...); no other packages.\n",
    );
    crate::codemode::finish_prompt(&mut out, limits, "python", &python_stubs(tools));
    out
}

//! Code mode: a model writes one JavaScript program that calls the host's tools itself,
//! and the sandbox runs it once, in QuickJS compiled to a component ([`JS_ENGINE`], built
//! by `engines/js/build.sh`).
//!
//! The program is global code with top-level `await`. Its result is the value of its last
//! expression statement (or of a top-level `return`), awaited when it is a promise, as
//! JSON text (`undefined` is `null`). A thrown error ends the run with a
//! [`ProblemKind::GuestError`] whose detail is `Name: message` and the JS stack.
//!
//! The program's globals are `fs` (the sandbox filesystem), `sh` (its bash), `tools` (one
//! async method per declared tool, plus `tools.call(name, args)` and `tools.list()`),
//! `console` (into the run's logs) and `setTimeout` on a virtual clock. For the model's
//! prompt, [`typescript_declarations`] describes them and the tools' arguments, and
//! [`system_prompt`] explains them with the limits.

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::engine::{Program, Runner};
use crate::problem::{Problem, ProblemKind};
use crate::sandbox::{
    DEFAULT_MAX_OUTPUT, DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, RunOutput, Sandbox,
};
use crate::tools::ToolSet;

/// The JavaScript engine guest: QuickJS (rquickjs 0.14) in a component of the `agent`
/// world whose `run(input)` runs `input` as a script.
pub const JS_ENGINE: &[u8] = include_bytes!("../engines/js.wasm");

/// The engine loaded in [`Runner::shared`], compiled once per process.
pub fn js_engine() -> Result<Program, Problem> {
    static ENGINE: OnceLock<Result<Program, Problem>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Runner::shared()?.load(JS_ENGINE))
        .clone()
}

/// Run a JavaScript program in `sandbox` (its filesystem, tools and limits) on this thread.
pub fn run_js(sandbox: &Sandbox, code: &str) -> RunOutput {
    match js_engine() {
        Ok(engine) => engine_output(sandbox.run(&engine, code)),
        Err(p) => RunOutput::failed(p),
    }
}

/// [`run_js`] from async code: the run happens on tokio's blocking pool and async tools
/// run on the caller's runtime.
pub async fn run_js_async(sandbox: &Sandbox, code: &str) -> RunOutput {
    match js_engine() {
        Ok(engine) => engine_output(sandbox.run_async(&engine, code).await),
        Err(p) => RunOutput::failed(p),
    }
}

/// Turn an engine's error JSON (`{"name","message","stack"}`, the JavaScript and the
/// Python engine alike) into a readable detail: `Name: message`, then the stack.
pub(crate) fn engine_output(mut out: RunOutput) -> RunOutput {
    if let Err(p) = &mut out.result
        && p.kind() == Some(ProblemKind::GuestError)
        && let Ok(Value::Object(e)) = serde_json::from_str::<Value>(&p.detail)
    {
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (name, message, stack) = (text("name"), text("message"), text("stack"));
        let mut detail = if name.is_empty() {
            message
        } else {
            format!("{name}: {message}")
        };
        let stack = stack.trim_end();
        if !stack.is_empty() {
            detail.push('\n');
            detail.push_str(stack);
        }
        p.detail = detail;
    }
    out
}

/// The fixed declarations of the globals other than `tools`.
const GLOBALS_DTS: &str = r#"/** A file's metadata. */
interface Stat {
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  mode: number;
  ino: number;
  nlink: number;
  mtimeMs: number;
  atimeMs: number;
  ctimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * The sandbox's in-memory filesystem. Synchronous (`await` works too). Failures throw an
 * Error with a Node-like `code` ("ENOENT", "EEXIST", "ENOTDIR", "EISDIR", "ENOTEMPTY"...).
 */
declare const fs: {
  readFile(path: string, encoding?: "utf8"): string;
  readFile(path: string, encoding: "bytes"): Uint8Array;
  writeFile(path: string, data: string | Uint8Array): void;
  appendFile(path: string, data: string | Uint8Array): void;
  readdir(path: string): string[];
  readdir(path: string, options: { withFileTypes: true }): { name: string; type: Stat["type"]; isFile(): boolean; isDirectory(): boolean }[];
  stat(path: string): Stat;
  lstat(path: string): Stat;
  mkdir(path: string, options?: { recursive?: boolean }): void;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  rename(from: string, to: string): void;
  copyFile(from: string, to: string): void;
  cp(from: string, to: string, options?: { recursive?: boolean }): void;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  realpath(path: string): string;
  /** Paths matching a shell pattern (`*`, `?`, `[...]`, `**` for any depth), sorted. */
  glob(pattern: string): string[];
  exists(path: string): boolean;
  readJson(path: string): any;
  writeJson(path: string, value: any, space?: number): void;
};

/** The sandbox's bash, on the same filesystem. Synchronous (`await` works too). */
declare const sh: {
  run(
    script: string,
    options?: { cwd?: string; env?: Record<string, string>; stdin?: string | Uint8Array; timeoutMs?: number },
  ): { stdout: string; stderr: string; status: number };
};

/** Captured into the run's logs: log and info at level info, warn, error, debug, trace. */
declare const console: {
  log(...args: any[]): void;
  info(...args: any[]): void;
  warn(...args: any[]): void;
  error(...args: any[]): void;
  debug(...args: any[]): void;
  trace(...args: any[]): void;
};

/** Timers on a virtual clock: a timer fires when nothing else is left to run. */
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: number): void;
"#;

/// TypeScript declarations of a program's globals: `fs`, `sh`, `console`, timers, and
/// `tools` with one method per tool, its arguments typed from the tool's JSON schema and
/// its description as JSDoc.
pub fn typescript_declarations(tools: &ToolSet) -> String {
    let mut out = String::from(GLOBALS_DTS);
    out.push_str("\n/** The host's tools; each call returns the tool's JSON result. */\n");
    out.push_str("declare const tools: {\n");
    for tool in tools.iter() {
        jsdoc(&mut out, tool.description(), 1);
        let schema = tool.schema();
        let optional = required_names(schema).is_empty();
        let _ = writeln!(
            out,
            "  {}(args{}: {}): Promise<any>;",
            property_name(tool.name()),
            if optional { "?" } else { "" },
            ts_type(schema, 1)
        );
    }
    out.push_str(
        "  /** Call a tool by name; throws a ToolError (with `problem`) when it fails. */\n",
    );
    out.push_str("  call(name: string, args?: object): Promise<any>;\n");
    out.push_str("  /** The declared tools. */\n");
    out.push_str("  list(): { name: string; description: string; inputSchema: object }[];\n");
    out.push_str("};\n");
    out
}

/// Write `text` as a JSDoc comment at `depth` levels of two-space indent.
fn jsdoc(out: &mut String, text: &str, depth: usize) {
    let text = text.trim().replace("*/", "*\\/");
    if text.is_empty() {
        return;
    }
    let pad = "  ".repeat(depth);
    if text.contains('\n') {
        let _ = writeln!(out, "{pad}/**");
        for line in text.lines() {
            let _ = writeln!(out, "{pad} * {}", line.trim_end());
        }
        let _ = writeln!(out, "{pad} */");
    } else {
        let _ = writeln!(out, "{pad}/** {text} */");
    }
}

/// A property name: as is when it is an identifier, quoted otherwise.
fn property_name(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        name.to_string()
    } else {
        Value::String(name.to_string()).to_string()
    }
}

pub(crate) fn required_names(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The TypeScript type of a JSON schema; objects are written over several lines, their
/// properties at `depth + 1`.
fn ts_type(schema: &Value, depth: usize) -> String {
    let Value::Object(s) = schema else {
        return if schema == &Value::Bool(false) {
            "never".into()
        } else {
            "any".into()
        };
    };
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        return union(values.iter().map(Value::to_string).collect());
    }
    if let Some(v) = s.get("const") {
        return v.to_string();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = s.get(key).and_then(Value::as_array) {
            return union(options.iter().map(|o| ts_type(o, depth)).collect());
        }
    }
    match s.get("type") {
        Some(Value::Array(types)) => union(
            types
                .iter()
                .map(|t| {
                    let mut one = s.clone();
                    one.insert("type".into(), t.clone());
                    ts_type(&Value::Object(one), depth)
                })
                .collect(),
        ),
        Some(Value::String(t)) => match t.as_str() {
            "string" => "string".into(),
            "number" | "integer" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" => array_type(s.get("items"), depth),
            "object" => object_type(schema, depth),
            _ => "any".into(),
        },
        _ if s.contains_key("properties") => object_type(schema, depth),
        _ if s.contains_key("items") => array_type(s.get("items"), depth),
        _ => "any".into(),
    }
}

fn union(mut parts: Vec<String>) -> String {
    parts.dedup();
    if parts.is_empty() {
        "never".into()
    } else {
        parts.join(" | ")
    }
}

fn array_type(items: Option<&Value>, depth: usize) -> String {
    let Some(items) = items else {
        return "any[]".into();
    };
    let t = ts_type(items, depth);
    if t.contains(" | ") && !t.starts_with('{') {
        format!("({t})[]")
    } else {
        format!("{t}[]")
    }
}

fn object_type(schema: &Value, depth: usize) -> String {
    let props = schema.get("properties").and_then(Value::as_object);
    let Some(props) = props.filter(|p| !p.is_empty()) else {
        return match schema.get("additionalProperties") {
            Some(extra @ Value::Object(_)) => {
                format!("{{ [key: string]: {} }}", ts_type(extra, depth))
            }
            Some(Value::Bool(false)) => "{}".into(),
            _ => "{ [key: string]: any }".into(),
        };
    };
    let required = required_names(schema);
    let pad = "  ".repeat(depth + 1);
    let mut out = String::from("{\n");
    for (name, prop) in props {
        if let Some(d) = prop.get("description").and_then(Value::as_str) {
            jsdoc(&mut out, d, depth + 1);
        }
        let opt = if required.contains(&name.as_str()) {
            ""
        } else {
            "?"
        };
        let _ = writeln!(
            out,
            "{pad}{}{opt}: {};",
            property_name(name),
            ts_type(prop, depth + 1)
        );
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
    out
}

/// The limits [`system_prompt`] states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromptLimits {
    /// Memory of the whole program, bytes.
    pub memory: u64,
    /// Wall time of the whole program.
    pub timeout: Duration,
    /// Bytes of logs (console) and output together.
    pub max_output: u64,
}

impl Default for PromptLimits {
    fn default() -> Self {
        PromptLimits {
            memory: DEFAULT_MEMORY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            max_output: DEFAULT_MAX_OUTPUT,
        }
    }
}

/// A short system-prompt text telling a model how to write a program for [`run_js`]:
/// the globals, the result and error rules, the limits, then the TypeScript declarations
/// of the globals and of `tools`.
pub fn system_prompt(tools: &ToolSet, limits: &PromptLimits) -> String {
    prompt_for(
        "Answer by writing one JavaScript program; it runs once in a sandbox",
        tools,
        limits,
    )
}

/// [`system_prompt`] for programs run by [`crate::run_ts`]: the same, asking for
/// TypeScript.
pub fn typescript_system_prompt(tools: &ToolSet, limits: &PromptLimits) -> String {
    prompt_for(
        "Answer by writing one TypeScript program; its types are stripped (not checked) and \
         it runs once in a sandbox",
        tools,
        limits,
    )
}

fn prompt_for(opening: &str, tools: &ToolSet, limits: &PromptLimits) -> String {
    let mut out = String::from(opening);
    out.push_str(
        " (QuickJS, ES2023, no Node or browser APIs, no network) and its result comes back \
         to you.\n\
         - The value of the program's last expression, or of a top-level `return`, is its \
         result (awaited if it is a promise, then sent as JSON). Top-level `await` works.\n\
         - `tools.NAME(args)` calls a host tool and returns a promise of its JSON result; \
         only the tools declared below exist. Call several in one program instead of \
         returning between calls.\n\
         - `fs` reads and writes the sandbox's own in-memory filesystem (synchronous; `/tmp` \
         exists). `sh.run(script)` runs a bash script (coreutils, grep, sed, awk, jq...) on \
         the same files and returns {stdout, stderr, status}.\n\
         - `console.log` and friends go to the run's logs, not to the result.\n\
         - An uncaught error ends the program and you get its message and stack.\n",
    );
    finish_prompt(&mut out, limits, "ts", &typescript_declarations(tools));
    out
}

/// The end of every language's system prompt: the limits line, then the declarations
/// in a fenced block of language `fence`.
pub(crate) fn finish_prompt(out: &mut String, limits: &PromptLimits, fence: &str, decls: &str) {
    let _ = writeln!(
        out,
        "- Limits: {} MiB of memory, {} s of wall time, {} KiB of logs and output. A program \
         that exceeds one is stopped.\n",
        limits.memory >> 20,
        limits.timeout.as_secs_f64(),
        limits.max_output >> 10
    );
    let _ = writeln!(out, "```{fence}");
    out.push_str(decls);
    out.push_str("```\n");
}

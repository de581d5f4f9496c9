//! `fs-agent`: an agent guest that runs a JSON list of calls to the
//! `agentsh:sandbox/filesystem` import and returns a JSON list with one result per call.
//!
//! Input: a JSON array of objects, each with an `op` and its arguments:
//!
//! | `op` | arguments | `ok` value |
//! | --- | --- | --- |
//! | `read` | `path` | the bytes, as an array of numbers |
//! | `read-text` | `path` | the text |
//! | `write`, `append` | `path`, `data` (a string) | `null` |
//! | `stat`, `lstat` | `path` | `{"type","size","mode","ino","nlink"}` (`type`: `regular-file`, `directory`, `symbolic-link`, `other`) |
//! | `list` | `path` | `[[name, type], …]` |
//! | `mkdir` | `path`, `recursive` (default false) | `null` |
//! | `remove` | `path`, `recursive` (default false) | `null` |
//! | `rename` | `from`, `to` | `null` |
//! | `copy` | `from`, `to`, `recursive` (default false) | the bytes copied |
//! | `symlink` | `target`, `link` | `null` |
//! | `readlink`, `realpath` | `path` | the path |
//! | `glob` | `pattern` | the matching paths |
//! | `exists` | `path` | `true`/`false` |
//! | `open` | `path`, `flags` (array of `read`, `write`, `append`, `create`, `exclusive`, `truncate`), `as` (a name for the file) | `null` |
//! | `file-read` | `file` (a name given by `open`), `len` | the bytes, as an array of numbers |
//! | `file-write` | `file`, `data` (a string) | the bytes written |
//! | `file-seek` | `file`, `offset`, `whence` (`start`, `current`, `end`) | the new offset |
//! | `file-set-len` | `file`, `len` | `null` |
//! | `file-stat` | `file` | as `stat` |
//! | `close` | `file` | `null` |
//!
//! Each result is `{"ok": value}` or `{"err": "<error-code name>"}` (`not-found`,
//! `already-exists`, …). A malformed call (unknown op, missing argument, unknown file
//! name) makes `run` return `Err` with a message naming the call's index.

use std::collections::HashMap;

use agentsh::sandbox::filesystem::{self as fs, ErrorCode, File, FileType, Metadata, OpenFlags};
use serde_json::{Value, json};

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The guest.
struct FsAgent;

impl Guest for FsAgent {
    fn run(input: String) -> Result<String, String> {
        let calls: Vec<Value> =
            serde_json::from_str(&input).map_err(|e| format!("input is not a JSON list: {e}"))?;
        let mut files = HashMap::new();
        let mut results = Vec::with_capacity(calls.len());
        for (i, call) in calls.iter().enumerate() {
            let result = one(call, &mut files).map_err(|e| format!("call {i}: {e}"))?;
            results.push(match result {
                Ok(v) => json!({ "ok": v }),
                Err(code) => json!({ "err": code.name() }),
            });
        }
        Ok(Value::Array(results).to_string())
    }
}

export!(FsAgent);

fn type_name(t: FileType) -> &'static str {
    match t {
        FileType::RegularFile => "regular-file",
        FileType::Directory => "directory",
        FileType::SymbolicLink => "symbolic-link",
        FileType::Other => "other",
    }
}

fn meta(m: Metadata) -> Value {
    json!({
        "type": type_name(m.file_type),
        "size": m.size,
        "mode": m.mode,
        "ino": m.ino,
        "nlink": m.nlink,
    })
}

fn unit(r: Result<(), ErrorCode>) -> Result<Value, ErrorCode> {
    r.map(|()| Value::Null)
}

fn flags(names: &[Value]) -> Result<OpenFlags, String> {
    let mut f = OpenFlags::empty();
    for n in names {
        f |= match n.as_str() {
            Some("read") => OpenFlags::READ,
            Some("write") => OpenFlags::WRITE,
            Some("append") => OpenFlags::APPEND,
            Some("create") => OpenFlags::CREATE,
            Some("exclusive") => OpenFlags::EXCLUSIVE,
            Some("truncate") => OpenFlags::TRUNCATE,
            _ => return Err(format!("unknown open flag {n}")),
        };
    }
    Ok(f)
}

/// Run one call: the import's result, or a message when the call itself is malformed.
fn one(
    call: &Value,
    files: &mut HashMap<String, File>,
) -> Result<Result<Value, ErrorCode>, String> {
    let s = |key: &str| -> Result<&str, String> {
        call.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("missing string {key:?}"))
    };
    let u = |key: &str| -> Result<u64, String> {
        call.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("missing number {key:?}"))
    };
    let b = |key: &str| call.get(key).and_then(Value::as_bool).unwrap_or(false);
    let file = |files: &HashMap<String, File>| -> Result<String, String> {
        let name = s("file")?.to_string();
        if files.contains_key(&name) {
            Ok(name)
        } else {
            Err(format!("no open file named {name:?}"))
        }
    };
    let op = s("op")?;
    Ok(match op {
        "read" => fs::read(s("path")?).map(|b| json!(b)),
        "read-text" => fs::read_text(s("path")?).map(Value::String),
        "write" => unit(fs::write(s("path")?, s("data")?.as_bytes())),
        "append" => unit(fs::append(s("path")?, s("data")?.as_bytes())),
        "stat" => fs::stat(s("path")?).map(meta),
        "lstat" => fs::lstat(s("path")?).map(meta),
        "list" => fs::list(s("path")?).map(|entries| {
            Value::Array(
                entries
                    .into_iter()
                    .map(|e| json!([e.name, type_name(e.file_type)]))
                    .collect(),
            )
        }),
        "mkdir" => unit(fs::mkdir(s("path")?, b("recursive"))),
        "remove" => unit(fs::remove(s("path")?, b("recursive"))),
        "rename" => unit(fs::rename(s("from")?, s("to")?)),
        "copy" => fs::copy(s("from")?, s("to")?, b("recursive")).map(|n| json!(n)),
        "symlink" => unit(fs::symlink(s("target")?, s("link")?)),
        "readlink" => fs::readlink(s("path")?).map(Value::String),
        "realpath" => fs::realpath(s("path")?).map(Value::String),
        "glob" => fs::glob(s("pattern")?).map(|paths| json!(paths)),
        "exists" => Ok(json!(fs::exists(s("path")?))),
        "open" => {
            let names = call
                .get("flags")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let flags = flags(&names)?;
            let name = s("as")?.to_string();
            match fs::open(s("path")?, flags) {
                Ok(f) => {
                    files.insert(name, f);
                    Ok(Value::Null)
                }
                Err(e) => Err(e),
            }
        }
        "file-read" => {
            let name = file(files)?;
            let len = u("len")?;
            files[&name].read(len).map(|b| json!(b))
        }
        "file-write" => {
            let name = file(files)?;
            files[&name].write(s("data")?.as_bytes()).map(|n| json!(n))
        }
        "file-seek" => {
            let name = file(files)?;
            let offset = call
                .get("offset")
                .and_then(Value::as_i64)
                .ok_or("missing number \"offset\"")?;
            let whence = match s("whence")? {
                "start" => fs::Whence::Start,
                "current" => fs::Whence::Current,
                "end" => fs::Whence::End,
                w => return Err(format!("unknown whence {w:?}")),
            };
            files[&name].seek(offset, whence).map(|n| json!(n))
        }
        "file-set-len" => {
            let name = file(files)?;
            let len = u("len")?;
            unit(files[&name].set_len(len))
        }
        "file-stat" => {
            let name = file(files)?;
            files[&name].stat().map(meta)
        }
        "close" => {
            let name = file(files)?;
            files.remove(&name);
            Ok(Value::Null)
        }
        other => return Err(format!("unknown op {other:?}")),
    })
}

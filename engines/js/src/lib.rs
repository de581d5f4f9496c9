//! The JavaScript engine guest of agentsh: QuickJS (through rquickjs) in a component of
//! the `agent` world.
//!
//! `run(input)` runs `input` as a JavaScript program in a fresh runtime and context:
//!
//! - The program is global code with top-level `await` (QuickJS's async eval), so its
//!   completion value (the value of the last expression statement) is the result. When the
//!   program has a top-level `return` (a syntax error in global code), it runs again as the
//!   body of an async function and the returned value is the result.
//! - The result is awaited when it is a promise, then `JSON.stringify`'d: `Ok(json)`, with
//!   `undefined` (and anything JSON has no text for) as `null`.
//! - A thrown value is `Err` of the JSON object `{"name","message","stack"}`.
//!
//! The component exports `wizer-initialize` (world `preinitialized-agent`): it makes the
//! runtime and context and compiles the prelude, and `engines/js/build.sh` snapshots the
//! memory that leaves (wasmtime-wizer, through `runner::preinitialize`), so a run starts
//! with all of that done. Without the snapshot, `run` does it itself.
//!
//! The program's globals, defined by `prelude.js` over the host functions here: `fs` (the
//! `filesystem` import), `sh` (the `shell` import), `tools` (the `tools` import; one
//! method per declared tool), `console` (the `log` import), and `setTimeout` /
//! `clearTimeout` on a virtual clock (a timer fires when no promise job is left).

use agentsh::sandbox::{filesystem as fs, log, shell, tools};
use rquickjs::context::EvalOptions;
use rquickjs::function::Opt;
use rquickjs::promise::PromiseState;
use rquickjs::{
    Array, CatchResultExt, Context, Ctx, Error, Function, Object, Persistent, Promise, Runtime,
    TypedArray, Value,
};
use std::cell::{Cell, RefCell};

wit_bindgen::generate!({
    path: "../../wit",
    world: "preinitialized-agent",
});

/// The JavaScript side of the globals.
const PRELUDE: &str = include_str!("prelude.js");

/// The guest.
struct JsEngine;

/// A runtime and context with the prelude compiled: made by `wizer-initialize` when the
/// component is pre-initialized (so every run starts from a snapshot of it), else at the
/// start of the run.
/// Fields drop in order: the function before its context, the context before its runtime.
struct Engine {
    /// The prelude's setup function, to call with the host functions.
    setup: Persistent<Function<'static>>,
    context: Context,
    _rt: Runtime,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// `Math.random`'s state, seeded from WASI's random source at the start of each run
    /// (QuickJS's own is seeded from the clock when the context is made, which would be
    /// the same for every run started from one snapshot).
    static RANDOM: Cell<u64> = const { Cell::new(0) };
}

fn new_engine() -> Result<Engine, String> {
    let rt = Runtime::new().map_err(|e| error_json("InternalError", &e.to_string()))?;
    // No memory limit of QuickJS's own: the sandbox's wasm memory limit stops the run
    // (a distinct problem) before QuickJS would report "out of memory". No stack limit
    // either: rquickjs-sys builds QuickJS for WASI as for emscripten, where QuickJS's
    // stack check is compiled out; runaway recursion ends at wasmtime's stack limit.
    let context = Context::full(&rt).map_err(|e| error_json("InternalError", &e.to_string()))?;
    let setup = context.with(|ctx| -> Result<Persistent<Function<'static>>, String> {
        let setup: Function = ctx
            .eval_with_options(PRELUDE, eval_options(true, false, "prelude.js"))
            .catch(&ctx)
            .map_err(|e| error_json("InternalError", &e.to_string()))?;
        Ok(Persistent::save(&ctx, setup))
    })?;
    Ok(Engine {
        setup,
        context,
        _rt: rt,
    })
}

impl Guest for JsEngine {
    fn run(input: String) -> Result<String, String> {
        let engine = match ENGINE.with(|e| e.borrow_mut().take()) {
            Some(e) => e,
            None => new_engine()?,
        };
        // From wasi:random at each run (std's RandomState keys would come from the
        // snapshot: they are drawn once per instance and cached).
        let seed = getrandom::u64().unwrap_or(0x9e37_79b9_7f4a_7c15);
        RANDOM.with(|r| r.set(seed | 1));
        let result = engine.context.with(|ctx| {
            let setup = engine
                .setup
                .clone()
                .restore(&ctx)
                .map_err(|e| error_json("InternalError", &e.to_string()))?;
            run_in(&ctx, setup, &input)
        });
        // The instance is discarded after the run: freeing the heap object by object
        // would only cost time.
        std::mem::forget(engine);
        result
    }

    fn wizer_initialize() {
        // Once: a snapshot pre-initialized again keeps the engine it has.
        if ENGINE.with(|e| e.borrow().is_some()) {
            return;
        }
        if let Ok(engine) = new_engine() {
            ENGINE.with(|e| *e.borrow_mut() = Some(engine));
        }
    }
}

/// The next `Math.random()` value: xorshift64*, 53 bits into [0, 1).
fn next_random() -> f64 {
    RANDOM.with(|r| {
        let mut x = r.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        r.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    })
}

export!(JsEngine);

/// `{"name","message","stack"}` for an error raised outside the script.
fn error_json(name: &str, message: &str) -> String {
    format!(
        "{{\"name\":{},\"message\":{},\"stack\":\"\"}}",
        json_string(name),
        json_string(message)
    )
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Install the globals, run the script, drive its promise jobs and timers to the end.
fn run_in<'js>(ctx: &Ctx<'js>, setup: Function<'js>, code: &str) -> Result<String, String> {
    let internal = |e: Error| error_json("InternalError", &e.to_string());
    let host = host_object(ctx).map_err(internal)?;
    let api: Object = setup
        .call((host,))
        .catch(ctx)
        .map_err(|e| error_json("InternalError", &e.to_string()))?;
    let finish: Function = api.get("finish").map_err(internal)?;
    let error_to_json: Function = api.get("errorJson").map_err(internal)?;
    let next_timer: Function = api.get("nextTimer").map_err(internal)?;

    let options = |promise: bool| eval_options(false, promise, "script.js");
    let failed = |v: Value<'js>| -> String {
        error_to_json
            .call::<_, String>((v,))
            .unwrap_or_else(|e| error_json("InternalError", &e.to_string()))
    };
    // Global code with top-level await: a promise of `{ value: completion }`.
    let (evaluated, wrapped) = match ctx.eval_with_options::<Value, _>(code, options(true)) {
        Ok(v) => (v, false),
        Err(Error::Exception) => {
            let exc = ctx.catch();
            if is_return_outside_function(&exc) {
                // A top-level `return`: the body of an async function (same line numbers).
                let body = format!("(async function () {{{code}\n}})()");
                match ctx.eval_with_options::<Value, _>(body, options(false)) {
                    Ok(v) => (v, true),
                    Err(Error::Exception) => return Err(failed(ctx.catch())),
                    Err(e) => return Err(internal(e)),
                }
            } else {
                return Err(failed(exc));
            }
        }
        Err(e) => return Err(internal(e)),
    };
    let done: Promise = finish
        .call((evaluated, wrapped))
        .catch(ctx)
        .map_err(|e| error_json("InternalError", &e.to_string()))?;
    while let PromiseState::Pending = done.state() {
        if ctx.execute_pending_job() {
            continue;
        }
        let fired: bool = next_timer.call(()).map_err(internal)?;
        if !fired {
            return Err(error_json(
                "Error",
                "the script's result is a promise that never settles (nothing left to run)",
            ));
        }
    }
    let outcome: Object = match done.result::<Object>() {
        Some(Ok(o)) => o,
        Some(Err(e)) => return Err(internal(e)),
        None => return Err(error_json("InternalError", "unsettled result")),
    };
    let ok: bool = outcome.get("ok").map_err(internal)?;
    let text: String = outcome.get("text").map_err(internal)?;
    if ok { Ok(text) } else { Err(text) }
}

/// Options of a global-code eval.
fn eval_options(strict: bool, promise: bool, filename: &str) -> EvalOptions {
    let mut o = EvalOptions::default();
    o.global = true;
    o.strict = strict;
    o.backtrace_barrier = true;
    o.promise = promise;
    o.filename = Some(filename.to_string());
    o
}

/// Whether a compile error is QuickJS's "return not in a function".
fn is_return_outside_function(exc: &Value<'_>) -> bool {
    let Some(obj) = exc.as_object() else {
        return false;
    };
    let name: Option<String> = obj.get("name").ok();
    let message: Option<String> = obj.get("message").ok();
    name.as_deref() == Some("SyntaxError") && message.as_deref() == Some("return not in a function")
}

/// The error code of a filesystem failure, as Node names it.
fn code(e: fs::ErrorCode) -> &'static str {
    use fs::ErrorCode as E;
    match e {
        E::NotFound => "ENOENT",
        E::AlreadyExists => "EEXIST",
        E::NotADirectory => "ENOTDIR",
        E::IsADirectory => "EISDIR",
        E::NotEmpty => "ENOTEMPTY",
        E::AccessDenied => "EACCES",
        E::NotPermitted => "EPERM",
        E::ReadOnly => "EROFS",
        E::Invalid => "EINVAL",
        E::Loop => "ELOOP",
        E::NameTooLong => "ENAMETOOLONG",
        E::NoSpace => "ENOSPC",
        E::FileTooLarge => "EFBIG",
        E::TooManyOpenFiles => "EMFILE",
        E::CrossDevice => "EXDEV",
        E::Busy => "EBUSY",
        E::BadDescriptor => "EBADF",
        E::IllegalByteSequence => "EILSEQ",
        E::Unsupported => "ENOTSUP",
        E::Io => "EIO",
    }
}

/// Throw a filesystem error code as a JS string (the prelude makes it an `Error`).
fn fs_err(ctx: &Ctx<'_>, e: fs::ErrorCode) -> Error {
    match rquickjs::String::from_str(ctx.clone(), code(e)) {
        Ok(s) => ctx.throw(s.into_value()),
        Err(e) => e,
    }
}

/// A Uint8Array's bytes, copied.
fn bytes_of(arr: &TypedArray<'_, u8>) -> Vec<u8> {
    // SAFETY: the slice is copied at once; no JavaScript runs while it is borrowed.
    #[allow(unsafe_code)]
    unsafe { arr.as_bytes() }
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

fn file_type(t: fs::FileType) -> &'static str {
    match t {
        fs::FileType::RegularFile => "file",
        fs::FileType::Directory => "directory",
        fs::FileType::SymbolicLink => "symlink",
        fs::FileType::Other => "other",
    }
}

fn metadata<'js>(ctx: &Ctx<'js>, m: fs::Metadata) -> rquickjs::Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set("type", file_type(m.file_type))?;
    o.set("size", m.size as f64)?;
    o.set("mode", m.mode)?;
    o.set("ino", m.ino as f64)?;
    o.set("nlink", m.nlink as f64)?;
    o.set("mtimeMs", m.mtime_ns as f64 / 1e6)?;
    o.set("atimeMs", m.atime_ns as f64 / 1e6)?;
    o.set("ctimeMs", m.ctime_ns as f64 / 1e6)?;
    Ok(o)
}

/// The host functions the prelude wraps.
fn host_object<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let h = Object::new(ctx.clone())?;
    macro_rules! func {
        ($name:literal, $f:expr) => {
            h.set($name, Function::new(ctx.clone(), $f)?.with_name($name)?)?;
        };
    }
    func!("random", || -> f64 { next_random() });
    func!("readText", |ctx: Ctx<'js>,
                       path: String|
     -> rquickjs::Result<String> {
        fs::read_text(&path).map_err(|e| fs_err(&ctx, e))
    });
    func!("readBytes", |ctx: Ctx<'js>,
                        path: String|
     -> rquickjs::Result<TypedArray<'js, u8>> {
        let data = fs::read(&path).map_err(|e| fs_err(&ctx, e))?;
        TypedArray::new(ctx, data)
    });
    func!("writeText", |ctx: Ctx<'js>,
                        path: String,
                        data: String,
                        append: bool|
     -> rquickjs::Result<()> {
        let r = if append {
            fs::append(&path, data.as_bytes())
        } else {
            fs::write(&path, data.as_bytes())
        };
        r.map_err(|e| fs_err(&ctx, e))
    });
    func!("writeBytes", |ctx: Ctx<'js>,
                         path: String,
                         data: TypedArray<'js, u8>,
                         append: bool|
     -> rquickjs::Result<()> {
        let data = bytes_of(&data);
        let r = if append {
            fs::append(&path, &data)
        } else {
            fs::write(&path, &data)
        };
        r.map_err(|e| fs_err(&ctx, e))
    });
    func!("readdir", |ctx: Ctx<'js>,
                      path: String|
     -> rquickjs::Result<Array<'js>> {
        let entries = fs::list(&path).map_err(|e| fs_err(&ctx, e))?;
        let arr = Array::new(ctx.clone())?;
        for (i, e) in entries.into_iter().enumerate() {
            let o = Object::new(ctx.clone())?;
            o.set("name", e.name)?;
            o.set("type", file_type(e.file_type))?;
            arr.set(i, o)?;
        }
        Ok(arr)
    });
    func!("stat", |ctx: Ctx<'js>,
                   path: String,
                   link: bool|
     -> rquickjs::Result<Object<'js>> {
        let m = if link {
            fs::lstat(&path)
        } else {
            fs::stat(&path)
        };
        metadata(&ctx, m.map_err(|e| fs_err(&ctx, e))?)
    });
    func!("mkdir", |ctx: Ctx<'js>,
                    path: String,
                    recursive: bool|
     -> rquickjs::Result<()> {
        fs::mkdir(&path, recursive).map_err(|e| fs_err(&ctx, e))
    });
    func!("rm", |ctx: Ctx<'js>,
                 path: String,
                 recursive: bool|
     -> rquickjs::Result<()> {
        fs::remove(&path, recursive).map_err(|e| fs_err(&ctx, e))
    });
    func!("rename", |ctx: Ctx<'js>,
                     from: String,
                     to: String|
     -> rquickjs::Result<()> {
        fs::rename(&from, &to).map_err(|e| fs_err(&ctx, e))
    });
    func!("copy", |ctx: Ctx<'js>,
                   from: String,
                   to: String,
                   recursive: bool|
     -> rquickjs::Result<f64> {
        fs::copy(&from, &to, recursive)
            .map(|n| n as f64)
            .map_err(|e| fs_err(&ctx, e))
    });
    func!("symlink", |ctx: Ctx<'js>,
                      target: String,
                      link: String|
     -> rquickjs::Result<()> {
        fs::symlink(&target, &link).map_err(|e| fs_err(&ctx, e))
    });
    func!("readlink", |ctx: Ctx<'js>,
                       path: String|
     -> rquickjs::Result<String> {
        fs::readlink(&path).map_err(|e| fs_err(&ctx, e))
    });
    func!("realpath", |ctx: Ctx<'js>,
                       path: String|
     -> rquickjs::Result<String> {
        fs::realpath(&path).map_err(|e| fs_err(&ctx, e))
    });
    func!("glob", |ctx: Ctx<'js>,
                   pattern: String|
     -> rquickjs::Result<Vec<String>> {
        fs::glob(&pattern).map_err(|e| fs_err(&ctx, e))
    });
    func!("exists", |path: String| -> bool { fs::exists(&path) });
    func!("sh", |ctx: Ctx<'js>,
                 script: String,
                 cwd: Option<String>,
                 env: Vec<String>,
                 stdin_text: Option<String>,
                 stdin_bytes: Option<TypedArray<'js, u8>>,
                 timeout_ms: Option<f64>|
     -> rquickjs::Result<Object<'js>> {
        let env = env
            .chunks(2)
            .filter_map(|kv| match kv {
                [k, v] => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect();
        let stdin = match (stdin_text, stdin_bytes) {
            (Some(t), _) => Some(t.into_bytes()),
            (None, Some(b)) => Some(bytes_of(&b)),
            (None, None) => None,
        };
        let out = shell::run(
            &script,
            &shell::RunOptions {
                cwd,
                env,
                stdin,
                timeout_ms: timeout_ms
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .map(|t| t as u64),
            },
        );
        let o = Object::new(ctx)?;
        o.set("stdout", out.stdout)?;
        o.set("stderr", out.stderr)?;
        o.set("status", out.status)?;
        Ok(o)
    });
    func!(
        "toolList",
        |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
            let arr = Array::new(ctx.clone())?;
            for (i, t) in tools::list().into_iter().enumerate() {
                let o = Object::new(ctx.clone())?;
                o.set("name", t.name)?;
                o.set("description", t.description)?;
                o.set("inputSchema", t.input_schema)?;
                arr.set(i, o)?;
            }
            Ok(arr)
        }
    );
    func!("toolCall", |ctx: Ctx<'js>,
                       name: String,
                       args: String|
     -> rquickjs::Result<String> {
        match tools::call(&name, &args) {
            Ok(text) => Ok(text),
            Err(p) => {
                let o = Object::new(ctx.clone())?;
                o.set("type", p.type_)?;
                o.set("title", p.title)?;
                o.set("status", p.status)?;
                o.set("detail", p.detail)?;
                Err(ctx.throw(o.into_value()))
            }
        }
    });
    func!("log", |level: String,
                  message: String,
                  fields: Opt<String>| {
        let level = match level.as_str() {
            "trace" => log::Level::Trace,
            "debug" => log::Level::Debug,
            "warn" => log::Level::Warn,
            "error" => log::Level::Error,
            _ => log::Level::Info,
        };
        log::log(level, &message, fields.0.as_deref().unwrap_or(""));
    });
    Ok(h)
}

//! Code mode: JavaScript run by the QuickJS engine guest, calling `fs`, `sh`, `tools` and
//! `console`; result and error rules; limits with hostile scripts; the TypeScript
//! declarations generated from tool schemas.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{
    JS_ENGINE, LogLevel, Problem, ProblemKind, PromptLimits, RunOutput, Sandbox, Tool, ToolSet,
    fresh_vfs, run_js, run_js_async, system_prompt, typescript_declarations,
};
use serde_json::{Value, json};

fn ok(out: &RunOutput) -> Value {
    match &out.result {
        Ok(s) => serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}")),
        Err(p) => panic!("run failed: {p} ({})\nlogs: {:?}", p.type_uri, out.logs),
    }
}

fn problem(out: &RunOutput) -> &Problem {
    match &out.result {
        Ok(s) => panic!("expected a problem, got Ok({s:?})"),
        Err(p) => p,
    }
}

fn js(code: &str) -> Value {
    ok(&run_js(&Sandbox::builder().build(), code))
}

fn weather_tool() -> Tool {
    Tool::new(
        "get_weather",
        "The forecast for a city.",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
        |args| {
            let city = args["city"].as_str().ok_or("city must be a string")?;
            if city == "Atlantis" {
                return Err("no such city".into());
            }
            Ok(json!({"city": city, "forecast": "sunny", "high": 21}))
        },
    )
}

#[test]
fn js_engine_is_a_component() {
    // The component-model preamble: magic, then version 0x0d and layer 1.
    assert_eq!(&JS_ENGINE[..4], b"\0asm");
    assert_eq!(&JS_ENGINE[4..8], &[0x0d, 0x00, 0x01, 0x00]);
    let program = runner::js_engine().unwrap();
    assert_eq!(program.kind(), runner::ProgramKind::Agent);
}

#[test]
fn result_is_the_last_expression() {
    assert_eq!(js("1 + 2"), json!(3));
    assert_eq!(
        js("const a = [1, 2, 3];\na.map(x => x * 2)"),
        json!([2, 4, 6])
    );
    assert_eq!(js("let o = {a: 1, b: 'x'}; o"), json!({"a": 1, "b": "x"}));
    assert_eq!(js("'text'"), json!("text"));
    assert_eq!(js("if (true) { 'yes' } else { 'no' }"), json!("yes"));
    // undefined (and what JSON has no text for) is null.
    assert_eq!(js("let x = 1;"), Value::Null);
    assert_eq!(js("undefined"), Value::Null);
    assert_eq!(js("(function () {})"), Value::Null);
    assert_eq!(js(""), Value::Null);
}

#[test]
fn result_of_return_await_and_promises() {
    assert_eq!(js("const x = 40;\nreturn x + 2;"), json!(42));
    assert_eq!(js("if (1) return 'early';\n'late'"), json!("early"));
    assert_eq!(js("return;"), Value::Null);
    assert_eq!(js("await Promise.resolve(5)"), json!(5));
    assert_eq!(js("const v = await Promise.resolve(7); v * 2"), json!(14));
    assert_eq!(js("Promise.resolve({ok: true})"), json!({"ok": true}));
    assert_eq!(js("return Promise.resolve([1])"), json!([1]));
    assert_eq!(js("async function f() { return 9 } f()"), json!(9));
    assert_eq!(
        js("const r = await Promise.all([1, 2].map(async x => x + 1)); return r"),
        json!([2, 3])
    );
    // Timers on a virtual clock, earliest first.
    assert_eq!(
        js("const seen = [];\n\
            setTimeout(() => seen.push('b'), 20);\n\
            setTimeout(() => seen.push('a'), 10);\n\
            await new Promise(r => setTimeout(r, 30));\n\
            seen"),
        json!(["a", "b"])
    );
}

#[test]
fn thrown_errors_carry_name_message_and_stack() {
    let out = run_js(
        &Sandbox::builder().build(),
        "function inner() {\n  throw new TypeError('bad input');\n}\nfunction outer() { inner(); }\nouter();",
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError), "{p:?}");
    assert!(
        p.detail.starts_with("TypeError: bad input\n"),
        "{}",
        p.detail
    );
    assert!(p.detail.contains("at inner (script.js:2"), "{}", p.detail);
    assert!(p.detail.contains("at outer (script.js:4"), "{}", p.detail);

    // After an await, and in the `return` form, lines still count from the script's first.
    let out = run_js(&Sandbox::builder().build(), "await 1;\nnull.x;\nreturn 1;");
    let p = problem(&out);
    assert!(p.detail.starts_with("TypeError: "), "{}", p.detail);
    assert!(p.detail.contains("script.js:2"), "{}", p.detail);

    let p = problem(&run_js(
        &Sandbox::builder().build(),
        "await Promise.reject(new RangeError('r'))",
    ))
    .clone();
    assert!(p.detail.starts_with("RangeError: r"), "{}", p.detail);

    let p = problem(&run_js(
        &Sandbox::builder().build(),
        "throw 'just a string'",
    ))
    .clone();
    assert_eq!(p.detail, "Error: Uncaught just a string");

    let p = problem(&run_js(&Sandbox::builder().build(), "let = ;")).clone();
    assert!(p.detail.starts_with("SyntaxError: "), "{}", p.detail);

    let p = problem(&run_js(&Sandbox::builder().build(), "({big: 1n})")).clone();
    assert!(p.detail.starts_with("TypeError: "), "{}", p.detail);

    let p = problem(&run_js(
        &Sandbox::builder().build(),
        "await new Promise(() => {})",
    ))
    .clone();
    assert!(p.detail.contains("never settles"), "{}", p.detail);
}

#[test]
fn fs_functions() {
    let sb = Sandbox::builder().build();
    sb.vfs().write("/in.txt", "hello\n").unwrap();
    sb.vfs().write("/bin.dat", vec![0u8, 255, 1]).unwrap();
    let out = run_js(
        &sb,
        r#"
        const r = {};
        r.text = fs.readFile('/in.txt');
        r.utf8 = await fs.readFile('/in.txt', 'utf8');
        r.bytes = Array.from(fs.readFile('/bin.dat', 'bytes'));
        fs.mkdir('/a/b/c', {recursive: true});
        fs.writeFile('/a/b/c/x.txt', 'one');
        fs.appendFile('/a/b/c/x.txt', ' two');
        fs.writeFile('/a/raw.bin', new Uint8Array([1, 2, 3]));
        r.appended = fs.readFile('/a/b/c/x.txt');
        r.raw = Array.from(fs.readFile('/a/raw.bin', {encoding: null}));
        r.readdir = fs.readdir('/a');
        r.types = fs.readdir('/a', {withFileTypes: true}).map(e => [e.name, e.isDirectory()]);
        const st = fs.stat('/a/b/c/x.txt');
        r.stat = [st.type, st.size, st.isFile(), st.isDirectory(), st.mtimeMs > 0];
        r.glob = fs.glob('/a/**/*.txt');
        r.exists = [fs.exists('/a/raw.bin'), fs.exists('/nope')];
        fs.rename('/a/raw.bin', '/a/moved.bin');
        r.renamed = [fs.exists('/a/raw.bin'), fs.exists('/a/moved.bin')];
        fs.writeJson('/data.json', {n: [1, 2], s: 'x'});
        r.json = fs.readJson('/data.json');
        r.jsonText = fs.readFile('/data.json');
        fs.rm('/a/moved.bin');
        fs.rm('/a', {recursive: true});
        fs.rm('/never', {force: true});
        r.removed = fs.exists('/a');
        const codes = [];
        for (const f of [
          () => fs.readFile('/missing'),
          () => fs.mkdir('/tmp'),
          () => fs.readFile('/tmp'),
          () => fs.readFile('/bin.dat', 'utf8'),
          () => fs.rm('/missing'),
        ]) {
          try { f(); codes.push('no error'); } catch (e) { codes.push([e.code, e instanceof Error]); }
        }
        r.codes = codes;
        try { fs.readFile('/missing') } catch (e) { r.message = e.message }
        r
        "#,
    );
    let v = ok(&out);
    assert_eq!(v["text"], "hello\n");
    assert_eq!(v["utf8"], "hello\n");
    assert_eq!(v["bytes"], json!([0, 255, 1]));
    assert_eq!(v["appended"], "one two");
    assert_eq!(v["raw"], json!([1, 2, 3]));
    assert_eq!(v["readdir"], json!(["b", "raw.bin"]));
    assert_eq!(v["types"], json!([["b", true], ["raw.bin", false]]));
    assert_eq!(v["stat"], json!(["file", 7, true, false, true]));
    assert_eq!(v["glob"], json!(["/a/b/c/x.txt"]));
    assert_eq!(v["exists"], json!([true, false]));
    assert_eq!(v["renamed"], json!([false, true]));
    assert_eq!(v["json"], json!({"n": [1, 2], "s": "x"}));
    assert_eq!(
        v["jsonText"],
        "{\n  \"n\": [\n    1,\n    2\n  ],\n  \"s\": \"x\"\n}\n"
    );
    assert_eq!(v["removed"], false);
    assert_eq!(
        v["codes"],
        json!([
            ["ENOENT", true],
            ["EEXIST", true],
            ["EISDIR", true],
            ["EILSEQ", true],
            ["ENOENT", true]
        ])
    );
    assert_eq!(
        v["message"],
        "ENOENT: no such file or directory, open '/missing'"
    );
    // The script's writes are on the sandbox's filesystem.
    assert_eq!(
        sb.vfs().read_to_string("/data.json").unwrap(),
        v["jsonText"].as_str().unwrap()
    );
}

#[test]
fn sh_run() {
    let sb = Sandbox::builder().build();
    sb.vfs().write("/tmp/n.txt", "3\n1\n2\n").unwrap();
    let v = ok(&run_js(
        &sb,
        r#"
        const a = sh.run('sort -n /tmp/n.txt; echo err >&2; exit 3');
        const b = await sh.run('pwd; echo "$X"; cat', {cwd: '/tmp', env: {X: 'ex'}, stdin: 'in'});
        const c = sh.run('echo made > /tmp/made.txt');
        const d = sh.run('while true; do :; done', {timeoutMs: 50});
        ({a, b, c: c.status, made: fs.readFile('/tmp/made.txt'), d: d.status})
        "#,
    ));
    assert_eq!(
        v["a"],
        json!({"stdout": "1\n2\n3\n", "stderr": "err\n", "status": 3})
    );
    assert_eq!(
        v["b"],
        json!({"stdout": "/tmp\nex\nin", "stderr": "", "status": 0})
    );
    assert_eq!(v["c"], 0);
    assert_eq!(v["made"], "made\n");
    assert_eq!(v["d"], 124);
}

#[test]
fn tools_by_name_by_call_and_list() {
    let sb = Sandbox::builder()
        .tool(weather_tool())
        .tool(Tool::new(
            "echo",
            "Echo the arguments.",
            json!({"type": "object"}),
            Ok,
        ))
        .build();
    let out = run_js(
        &sb,
        r#"
        const w = await tools.get_weather({city: 'Oslo'});
        const e = await tools.call('echo', {a: [1, {b: null}]});
        const names = tools.list().map(t => [t.name, t.description, t.inputSchema.type]);
        let failed;
        try { await tools.get_weather({city: 'Atlantis'}) } catch (err) {
          failed = [err.name, err.message, err.problem.status];
        }
        let undeclared;
        try { await tools.call('nope', {}) } catch (err) {
          undeclared = [err.name, err.problem.type, err.problem.status];
        }
        ({w, e, names, failed, undeclared, nope: typeof tools.nope, keys: Object.keys(tools)})
        "#,
    );
    let v = ok(&out);
    assert_eq!(
        v["w"],
        json!({"city": "Oslo", "forecast": "sunny", "high": 21})
    );
    assert_eq!(v["e"], json!({"a": [1, {"b": null}]}));
    assert_eq!(
        v["names"],
        json!([
            ["echo", "Echo the arguments.", "object"],
            ["get_weather", "The forecast for a city.", "object"]
        ])
    );
    assert_eq!(
        v["failed"],
        json!([
            "ToolError",
            "get_weather: A tool failed (502): get_weather: no such city",
            502
        ])
    );
    assert_eq!(
        v["undeclared"],
        json!(["ToolError", "urn:agentsh:problem:undeclared-tool", 404])
    );
    assert_eq!(v["nope"], "undefined");
    assert_eq!(v["keys"], json!(["echo", "get_weather"]));
    assert_eq!(out.stats.tool_calls, 3);

    // Not calling through `tools.nope`: it does not exist.
    let p = problem(&run_js(&sb, "await tools.nope({})")).clone();
    assert!(p.detail.starts_with("TypeError: "), "{}", p.detail);
    // An uncaught tool failure ends the run with the tool's problem in the detail.
    let p = problem(&run_js(&sb, "await tools.call('nope')")).clone();
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert!(
        p.detail.starts_with("ToolError: nope: No such tool (404)"),
        "{}",
        p.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_run_with_async_tool() {
    let sb = Sandbox::builder()
        .tool(Tool::new_async(
            "slow_add",
            "Add a and b, later.",
            json!({"type": "object"}),
            |args: Value| async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                Ok(json!(
                    args["a"].as_i64().unwrap_or(0) + args["b"].as_i64().unwrap_or(0)
                ))
            },
        ))
        .build();
    let out = run_js_async(
        &sb,
        "let s = 0; for (let i = 0; i < 3; i++) s += await tools.slow_add({a: s, b: i}); s",
    )
    .await;
    // s: 0 + (0 + 0) = 0, 0 + (0 + 1) = 1, 1 + (1 + 2) = 4.
    assert_eq!(ok(&out), json!(4));
}

#[test]
fn console_goes_to_logs() {
    let out = run_js(
        &Sandbox::builder().build(),
        r#"
        console.log('plain', 1, true, null, undefined, {a: [1]});
        console.info('%s is %d years and %j', 'Bob', 42, {x: 1}, 'extra');
        console.warn('100%% sure', 'now');
        console.warn('100%% sure');
        console.error(new Error('boom'));
        console.debug([1, 'two']);
        'done'
        "#,
    );
    assert_eq!(ok(&out), json!("done"));
    let lines: Vec<(LogLevel, &str)> = out
        .logs
        .iter()
        .map(|l| (l.level, l.message.as_str()))
        .collect();
    assert_eq!(
        lines[0],
        (LogLevel::Info, "plain 1 true null undefined {\"a\":[1]}")
    );
    assert_eq!(
        lines[1],
        (LogLevel::Info, "Bob is 42 years and {\"x\":1} extra")
    );
    // As node's util.format: `%%` is kept when there is nothing to format.
    assert_eq!(lines[2], (LogLevel::Warn, "100% sure now"));
    assert_eq!(lines[3], (LogLevel::Warn, "100%% sure"));
    assert_eq!(lines[4].0, LogLevel::Error);
    assert!(
        lines[4].1.starts_with("Error: boom\n    at "),
        "{}",
        lines[4].1
    );
    assert_eq!(lines[5], (LogLevel::Debug, "[1,\"two\"]"));
    assert_eq!(lines.len(), 6);
}

#[test]
fn infinite_loop_ends_within_timeout_plus_100ms() {
    let timeout = Duration::from_millis(300);
    let sb = Sandbox::builder().timeout(timeout).build();
    let started = Instant::now();
    let out = run_js(&sb, "while (true) {}");
    let took = started.elapsed();
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Timeout), "{p:?}");
    assert!(took >= timeout, "{took:?}");
    assert!(took < timeout + Duration::from_millis(100), "{took:?}");
}

#[test]
fn allocation_bomb_hits_the_memory_limit() {
    let sb = Sandbox::builder().memory_limit(32 << 20).build();
    let out = run_js(
        &sb,
        "const a = []; while (true) a.push('x'.repeat(1 << 16) + a.length);",
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::MemoryLimit), "{p:?}");
    assert_eq!(p.limit, Some(32 << 20));
}

#[test]
fn log_flood_hits_the_output_limit() {
    let sb = Sandbox::builder().max_output(64 << 10).build();
    let out = run_js(&sb, "for (let i = 0; ; i++) console.log('flood line', i);");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::OutputLimit), "{p:?}");
    let logged: usize = out.logs.iter().map(|l| l.message.len()).sum();
    assert!(logged <= 64 << 10, "{logged}");
}

#[test]
fn runaway_recursion_is_a_trap_and_the_sandbox_stays_usable() {
    // QuickJS's own stack check is compiled out for WASI (rquickjs-sys builds it as for
    // emscripten), so wasmtime's stack limit ends the run.
    let sb = Sandbox::builder().build();
    let p = problem(&run_js(&sb, "function f(n) { return f(n + 1) + 1 } f(0)")).clone();
    assert_eq!(p.kind(), Some(ProblemKind::Trap), "{p:?}");
    assert!(p.detail.contains("call stack exhausted"), "{}", p.detail);
    assert_eq!(ok(&run_js(&sb, "6 * 7")), json!(42));
}

#[test]
fn fresh_and_forked_filesystems_give_the_same_results() {
    let template = fresh_vfs();
    template.create_dir_all("/data", 0o755).unwrap();
    template.write("/data/a.csv", "x,1\ny,2\n").unwrap();
    let script = r#"
        const rows = fs.readFile('/data/a.csv').trim().split('\n').map(l => l.split(','));
        fs.writeFile('/data/sum.txt', String(rows.reduce((s, r) => s + Number(r[1]), 0)));
        const ls = sh.run('ls /data; cat /data/sum.txt').stdout;
        ({rows, ls, files: fs.glob('/data/*')})
    "#;
    let fresh = {
        let vfs = fresh_vfs();
        vfs.create_dir_all("/data", 0o755).unwrap();
        vfs.write("/data/a.csv", "x,1\ny,2\n").unwrap();
        ok(&run_js(&Sandbox::builder().vfs(vfs).build(), script))
    };
    let forked_sb = Sandbox::builder().vfs(template.fork()).build();
    let forked = ok(&run_js(&forked_sb, script));
    assert_eq!(fresh, forked);
    assert_eq!(forked["ls"], "a.csv\nsum.txt\n3");
    // The template did not change.
    assert!(!template.exists("/data/sum.txt"));
    assert!(forked_sb.vfs().exists("/data/sum.txt"));
}

fn toolset(tools: Vec<Tool>) -> ToolSet {
    let mut set = ToolSet::default();
    for t in tools {
        set.insert(t);
    }
    set
}

fn tools_block(decls: &str) -> &str {
    let start = decls.find("declare const tools").unwrap();
    &decls[start..]
}

#[test]
fn typescript_declarations_from_schemas() {
    let set = toolset(vec![
        Tool::new(
            "get_weather",
            "The forecast for a city.",
            json!({
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name."},
                    "units": {"enum": ["metric", "imperial"]},
                    "days": {"type": "integer"}
                },
                "required": ["city"]
            }),
            |_| Ok(Value::Null),
        ),
        Tool::new(
            "send-message",
            "Send a message.\nReturns the message id.",
            json!({
                "type": "object",
                "properties": {
                    "to": {"type": "array", "items": {"type": "string"}},
                    "urgent": {"type": "boolean"},
                    "meta": {
                        "type": "object",
                        "properties": {"tag": {"type": ["string", "null"]}},
                        "required": ["tag"]
                    },
                    "extra": {"type": "object", "additionalProperties": {"type": "number"}}
                },
                "required": ["to", "urgent"]
            }),
            |_| Ok(Value::Null),
        ),
        Tool::new("ping", "", json!({}), |_| Ok(Value::Null)),
    ]);
    let decls = typescript_declarations(&set);
    assert!(decls.contains("declare const fs: {"));
    assert!(decls.contains("declare const sh: {"));
    assert!(decls.contains("declare const console: {"));
    let expected = r#"declare const tools: {
  /** The forecast for a city. */
  get_weather(args: {
    /** City name. */
    city: string;
    days?: number;
    units?: "metric" | "imperial";
  }): Promise<any>;
  ping(args?: any): Promise<any>;
  /**
   * Send a message.
   * Returns the message id.
   */
  "send-message"(args: {
    extra?: { [key: string]: number };
    meta?: {
      tag: string | null;
    };
    to: string[];
    urgent: boolean;
  }): Promise<any>;
  /** Call a tool by name; throws a ToolError (with `problem`) when it fails. */
  call(name: string, args?: object): Promise<any>;
  /** The declared tools. */
  list(): { name: string; description: string; inputSchema: object }[];
};
"#;
    assert_eq!(tools_block(&decls), expected);
}

#[test]
fn system_prompt_states_globals_limits_and_types() {
    let set = toolset(vec![weather_tool()]);
    let limits = PromptLimits {
        memory: 64 << 20,
        timeout: Duration::from_secs(10),
        max_output: 1 << 20,
    };
    let text = system_prompt(&set, &limits);
    for needle in [
        "tools.NAME(args)",
        "fs",
        "sh.run(script)",
        "console.log",
        "64 MiB of memory, 10 s of wall time, 1024 KiB",
        "get_weather(args: {",
        "```ts\n",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn the_restock_example_program_emails_only_where_rain_meets_low_stock() {
    // examples/codemode/restock.js, the seed's inventory/weather/email task, against tools
    // that record what they were asked.
    let emails = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sent = emails.clone();
    let sb = Sandbox::builder()
        .tool(Tool::new(
            "check_inventory",
            "Stock.",
            json!({"type": "object", "required": ["item", "store"]}),
            |a| Ok(json!({"in_stock": if a["store"] == "Oslo" { 35 } else { 4 }})),
        ))
        .tool(Tool::new(
            "get_weather",
            "Weather.",
            json!({"type": "object", "required": ["city"]}),
            |a| Ok(json!({"forecast": if a["city"] == "Cairo" { "sunny" } else { "Showers" }})),
        ))
        .tool(Tool::new(
            "send_email",
            "Email.",
            json!({"type": "object", "required": ["to", "subject", "body"]}),
            move |a| {
                sent.lock()
                    .unwrap()
                    .push(a["to"].as_str().unwrap_or("").to_string());
                Ok(json!({"sent": true}))
            },
        ))
        .build();
    let out = run_js(&sb, include_str!("../../../examples/codemode/restock.js"));
    let v = ok(&out);
    let emailed: Vec<(&str, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["city"].as_str().unwrap(), r["emailed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        emailed,
        [("Lisbon", true), ("Oslo", false), ("Cairo", false)]
    );
    assert_eq!(*emails.lock().unwrap(), ["ana@example.com"]);
    assert_eq!(out.stats.tool_calls, 7);
    assert_eq!(out.logs[0].message, "1 of 3 stores need umbrellas");
    let saved: Value =
        serde_json::from_str(&sb.vfs().read_to_string("/reports/restock.json").unwrap()).unwrap();
    assert_eq!(saved, v);
}

#[test]
fn math_random_differs_between_runs_started_from_one_snapshot() {
    // The engine is pre-initialized, so QuickJS's own clock-seeded state would be the same
    // in every run; Math.random is seeded per run instead.
    let draw = || {
        ok(&run_js(
            &Sandbox::builder().build(),
            "Array.from({length: 4}, () => Math.random())",
        ))
    };
    let (a, b) = (draw(), draw());
    assert_ne!(a, b);
    for v in a.as_array().unwrap().iter().chain(b.as_array().unwrap()) {
        let x = v.as_f64().unwrap();
        assert!((0.0..1.0).contains(&x), "{x}");
    }
    // Still a plain writable property, as in any engine.
    assert_eq!(
        js(
            "const d = Object.getOwnPropertyDescriptor(Math, 'random'); [typeof d.value, d.writable, d.enumerable]"
        ),
        json!(["function", true, false])
    );
}

#[test]
fn runs_from_the_snapshot_share_nothing() {
    let sb = Sandbox::builder().build();
    assert_eq!(
        ok(&run_js(
            &sb,
            "globalThis.leak = 1; Math.random = () => 0.5; 1"
        )),
        json!(1)
    );
    assert_eq!(
        ok(&run_js(&sb, "[typeof leak, Math.random() === 0.5]")),
        json!(["undefined", false])
    );
}

//! Code mode in TypeScript: types stripped on the host by oxc, then the JavaScript engine
//! runs the program with the same globals; syntax errors and stack positions point into
//! the TypeScript source; limits apply as for JavaScript.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{
    Problem, ProblemKind, PromptLimits, RunOutput, Sandbox, Tool, ToolSet, run_ts, run_ts_async,
    strip_types, system_prompt, typescript_declarations, typescript_system_prompt,
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

fn ts(code: &str) -> Value {
    ok(&run_ts(&Sandbox::builder().build(), code))
}

#[test]
fn annotations_interfaces_generics_and_assertions_are_stripped() {
    let v = ts(r#"
interface Point { x: number; y: number }
type Pair<T> = [T, T];
function swap<T>(p: Pair<T>): Pair<T> { return [p[1], p[0]]; }
const p: Point = { x: 1, y: 2 } satisfies Point;
let maybe: string | undefined = "s";
const n = (maybe as string).length + maybe!.length;
abstract class Shape { abstract area(): number; describe(): string { return `area ${this.area()}`; } }
class Square extends Shape implements Object {
  private side: number;
  constructor(side: number) { super(); this.side = side; }
  area(): number { return this.side ** 2; }
}
declare const nothing: unknown;
const id = <T,>(x: T): T => x;
({ swapped: swap<number>([p.x, p.y]), n, sq: new Square(3).describe(), id: id<string>("k") })
"#);
    assert_eq!(
        v,
        json!({"swapped": [2, 1], "n": 2, "sq": "area 9", "id": "k"})
    );
}

#[test]
fn enums_namespaces_and_parameter_properties_compile() {
    let v = ts(r#"
enum Color { Red, Green = 5, Blue }
enum Dir { Up = "UP", Down = "DOWN" }
namespace Geo { export const unit = "km"; export function twice(n: number) { return 2 * n; } }
class Account { constructor(public readonly owner: string, private balance: number = 0) {}
  deposit(n: number): number { this.balance += n; return this.balance; } }
const a = new Account("ann");
a.deposit(5);
[Color.Blue, Color[5], Dir.Down, Geo.unit, Geo.twice(4), a.owner, a.deposit(1)]
"#);
    assert_eq!(v, json!([6, "Green", "DOWN", "km", 8, "ann", 6]));
}

#[test]
fn type_only_imports_and_exports_leave_global_code() {
    // The transformer would keep `export {}` to keep a module a module; the program is
    // global code, so nothing of the module syntax may remain.
    let v = ts(
        "import type { Thing } from './thing';\nexport type Id = string;\nconst id: Id = 'x';\nid",
    );
    assert_eq!(v, json!("x"));
    let stripped = strip_types("import type { A } from 'a';\nexport type B = A;\n1").unwrap();
    assert!(!stripped.code.contains("export"), "{}", stripped.code);
    assert!(!stripped.code.contains("import"), "{}", stripped.code);
}

#[test]
fn top_level_await_and_return() {
    assert_eq!(
        ts("const x: number = await Promise.resolve(41);\nx + 1"),
        json!(42)
    );
    assert_eq!(
        ts(
            "const xs: number[] = [1, 2, 3];\nif (xs.length > 2) { return xs.map((v: number): number => v * 10); }\nreturn null;"
        ),
        json!([10, 20, 30])
    );
}

#[test]
fn strings_and_comments_that_look_like_types_are_kept() {
    // A regex-based stripper would eat these; a parser does not.
    let v = ts(r#"const s: string = "a: number, b as string"; // x: y
const t = `type T = ${"<T>"}`;
/* interface I {} */ [s, t]"#);
    assert_eq!(v, json!(["a: number, b as string", "type T = <T>"]));
}

#[test]
fn fs_sh_and_tools_from_typescript() {
    let sb = Sandbox::builder()
        .tool(Tool::new(
            "get_weather",
            "The forecast for a city.",
            json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
            |args| Ok(json!({"city": args["city"], "high": 21})),
        ))
        .build();
    let out = run_ts(
        &sb,
        r#"
type Row = { name: string; qty: number };
const rows: Row[] = [{ name: "apple", qty: 3 }, { name: "pear", qty: 5 }];
fs.mkdir("/data", { recursive: true });
fs.writeJson("/data/rows.json", rows);
const back = fs.readJson("/data/rows.json") as Row[];
const r: { stdout: string; status: number } = sh.run("jq -r '.[].name' /data/rows.json | sort -r");
const w = await tools.get_weather({ city: "Oslo" });
console.log("total", back.reduce((s: number, x: Row) => s + x.qty, 0));
({ names: r.stdout, status: r.status, w, files: fs.readdir("/data") })
"#,
    );
    let v = ok(&out);
    assert_eq!(
        v,
        json!({"names": "pear\napple\n", "status": 0, "w": {"city": "Oslo", "high": 21}, "files": ["rows.json"]})
    );
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].message, "total 8");
    let written: Value =
        serde_json::from_str(&sb.vfs().read_to_string("/data/rows.json").unwrap()).unwrap();
    assert_eq!(
        written,
        json!([{"name": "apple", "qty": 3}, {"name": "pear", "qty": 5}])
    );
}

#[test]
fn syntax_errors_point_into_the_typescript_and_nothing_runs() {
    let sb = Sandbox::builder().build();
    let out = run_ts(&sb, "fs.writeFile('/ran', 'yes');\nlet x: = 3;");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError), "{p:?}");
    assert!(p.detail.starts_with("SyntaxError: "), "{}", p.detail);
    assert!(p.detail.contains("at script.ts:2:8"), "{}", p.detail);
    assert!(!sb.vfs().exists("/ran"));
    // Unclosed generics, a TS-only error.
    let p = problem(&run_ts(&sb, "function f<T(x: T) {}")).clone();
    assert!(p.detail.starts_with("SyntaxError: "), "{}", p.detail);
    assert!(p.detail.contains("script.ts:1:"), "{}", p.detail);
}

#[test]
fn runtime_errors_carry_typescript_positions() {
    let out = run_ts(
        &Sandbox::builder().build(),
        "interface Opts {\n  strict: boolean;\n}\nfunction check(o: Opts): void {\n  if (o.strict) throw new TypeError('too strict');\n}\ncheck({ strict: true } as Opts);",
    );
    let p = problem(&out);
    assert!(
        p.detail.starts_with("TypeError: too strict\n"),
        "{}",
        p.detail
    );
    // The throw is on line 5 and the call on line 7 of the TypeScript (the stripped
    // JavaScript has neither there).
    assert!(p.detail.contains("at check (script.ts:5:"), "{}", p.detail);
    assert!(p.detail.contains("script.ts:7:"), "{}", p.detail);
    assert!(!p.detail.contains("script.js"), "{}", p.detail);
}

#[test]
fn infinite_loop_ends_on_time() {
    let sb = Sandbox::builder()
        .timeout(Duration::from_millis(300))
        .build();
    let start = Instant::now();
    let out = run_ts(&sb, "let i: number = 0;\nwhile (true) { i++; }");
    assert_eq!(problem(&out).kind(), Some(ProblemKind::Timeout));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn tool_call_flood_hits_the_limit() {
    let sb = Sandbox::builder()
        .tool(Tool::new(
            "ping",
            "Ping.",
            json!({"type": "object"}),
            |_| Ok(json!("pong")),
        ))
        .max_tool_calls(50)
        .build();
    let out = run_ts(&sb, "for (let i: number = 0; ; i++) await tools.ping({});");
    assert_eq!(problem(&out).kind(), Some(ProblemKind::ToolCallLimit));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_run() {
    let sb = Sandbox::builder().build();
    let out = run_ts_async(&sb, "const f = (x: number): number => x * 2;\nf(21)").await;
    assert_eq!(ok(&out), json!(42));
}

#[test]
fn the_generated_declarations_type_check_as_typescript() {
    // The declarations given to the model parse as TypeScript, and a program written
    // against them (declarations included) strips to runnable JavaScript.
    let lookup = || {
        Tool::new(
            "lookup",
            "Look up a SKU.",
            json!({"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]}),
            |args| Ok(json!({"sku": args["sku"], "stock": 4})),
        )
    };
    let mut set = ToolSet::default();
    set.insert(lookup());
    let decls = typescript_declarations(&set);
    let program = format!("{decls}\nconst r = await tools.lookup({{ sku: \"A1\" }});\nr.stock");
    let stripped = strip_types(&program).unwrap();
    assert!(!stripped.code.contains("declare"), "{}", stripped.code);
    let sb = Sandbox::builder().tool(lookup()).build();
    assert_eq!(ok(&run_ts(&sb, &program)), json!(4));
}

#[test]
fn the_typescript_prompt_asks_for_typescript() {
    let set = ToolSet::default();
    let limits = PromptLimits::default();
    let ts = typescript_system_prompt(&set, &limits);
    assert!(
        ts.starts_with("Answer by writing one TypeScript program; its types are stripped"),
        "{ts}"
    );
    let js = system_prompt(&set, &limits);
    assert!(
        js.starts_with("Answer by writing one JavaScript program;"),
        "{js}"
    );
    // The rest (rules, limits, declarations) is shared.
    let tail = |s: &str| s[s.find("(QuickJS").unwrap()..].to_string();
    assert_eq!(tail(&ts), tail(&js));
    assert!(ts.contains("declare const fs"));
}

//! One test per guest of `examples/guests`: the right result, or the right problem type
//! within the limit; isolation between sandboxes; loading failures; the compile cache.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use runner::{Problem, ProblemKind, Program, ProgramKind, RunOutput, Runner, Sandbox, Tool};
use serde_json::{Value, json};

fn runner() -> Runner {
    match Runner::shared() {
        Ok(r) => r,
        Err(p) => panic!("runner: {p}"),
    }
}

fn load(name: &str) -> Program {
    let bytes = agentsh_guests::bytes(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    runner()
        .load(&bytes)
        .unwrap_or_else(|p| panic!("load {name}: {p}"))
}

fn ok(out: &RunOutput) -> &str {
    match &out.result {
        Ok(s) => s,
        Err(p) => panic!(
            "run failed: {} ({})\nstdout: {}\nstderr: {}",
            p,
            p.type_uri,
            out.stdout_str(),
            out.stderr_str()
        ),
    }
}

fn problem(out: &RunOutput) -> &Problem {
    match &out.result {
        Ok(s) => panic!("expected a problem, got Ok({s:?})"),
        Err(p) => p,
    }
}

#[test]
fn kinds_are_detected() {
    assert_eq!(load("fs-main").kind(), ProgramKind::Command);
    for name in [
        "csv-report",
        "shell-agent",
        "codemode-agent",
        "trivial",
        "hostile",
    ] {
        assert_eq!(load(name).kind(), ProgramKind::Agent, "{name}");
    }
}

#[test]
fn trivial_agent_echoes_its_input() {
    let sb = Sandbox::builder().build();
    let out = sb.run(&load("trivial"), "hello, sandbox");
    assert_eq!(ok(&out), "hello, sandbox");
    assert!(out.stats.peak_memory > 0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn fs_main_command_uses_std_fs_on_the_vfs() {
    let sb = Sandbox::builder().env("GREETING", "hi there").build();
    let fs = sb.vfs();
    fs.create_dir_all("/data", 0o755).unwrap();
    fs.write("/data/b.txt", "bbbb").unwrap();
    fs.write("/data/a.txt", "aa").unwrap();
    fs.create_dir_all("/data/sub", 0o755).unwrap();
    let out = sb.run(&load("fs-main"), "");
    ok(&out);
    assert_eq!(out.exit_code, Some(0), "stderr: {}", out.stderr_str());
    let stdout = out.stdout_str();
    assert!(stdout.contains("greeting: hi there"), "{stdout}");
    assert!(stdout.contains("2 files, 6 bytes in /data"), "{stdout}");
    assert_eq!(
        fs.read_to_string("/out/listing.txt").unwrap(),
        "a.txt 2\nb.txt 4\n"
    );
    // Input becomes stdin for a command.
    let out = sb.run(&load("fs-main"), "12345");
    assert!(
        out.stdout_str().contains("stdin: 5 bytes"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn fs_main_exit_status_and_args() {
    let sb = Sandbox::builder().arg("/nowhere").build();
    let out = sb.run(&load("fs-main"), "");
    ok(&out);
    // WASI 0.2 carries only success or failure: `exit(3)` arrives as status 1.
    assert_eq!(out.exit_code, Some(1));
    assert!(
        out.stderr_str().contains("cannot list /nowhere"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn csv_report_reads_data_and_writes_markdown() {
    let sb = Sandbox::builder().build();
    let fs = sb.vfs();
    fs.create_dir_all("/data", 0o755).unwrap();
    fs.write("/data/a.csv", "name,amount\nx,10\ny,20.5\nz,70\n")
        .unwrap();
    fs.write("/data/b.csv", "amount,name\n23,q\n0,r\n").unwrap();
    fs.write("/data/notes.txt", "not a csv").unwrap();
    let out = sb.run(&load("csv-report"), "amount");
    let v: Value = serde_json::from_str(ok(&out)).unwrap();
    assert_eq!(v, json!({"files": 2, "rows": 5, "total": 123.5}));
    let report = fs.read_to_string("/out/report.md").unwrap();
    assert!(report.contains("| a.csv | 3 | 100.5 |"), "{report}");
    assert!(report.contains("| b.csv | 2 | 23 |"), "{report}");
    assert!(report.contains("| **all** | 5 | 123.5 |"), "{report}");
    // A bad number is the agent's error.
    fs.write("/data/c.csv", "amount\nlots\n").unwrap();
    let out = sb.run(&load("csv-report"), "");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert!(p.detail.contains("row 1 of c.csv"), "{}", p.detail);
}

#[test]
fn shell_agent_pipeline_matches_real_bash() {
    let logs = [
        (
            "app.log",
            "INFO start\nERROR disk full\nERROR disk full\nWARN slow\nERROR net down\n",
        ),
        (
            "db.log",
            "ERROR disk full\nINFO ok\nERROR lock timeout\nERROR net down\n",
        ),
    ];
    let sb = Sandbox::builder().build();
    sb.vfs().create_dir_all("/logs", 0o755).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in logs {
        sb.vfs().write(format!("/logs/{name}"), text).unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = sb.run(&load("shell-agent"), "ERROR");
    let got: Vec<(u64, String)> = serde_json::from_str::<Vec<Value>>(ok(&out))
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["count"].as_u64().unwrap(),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The same pipeline under the real bash and GNU tools.
    let real = std::process::Command::new("bash")
        .arg("-c")
        .arg("grep -h -e ERROR *.log | sort | uniq -c | sort -rn")
        .current_dir(dir.path())
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let want: Vec<(u64, String)> = String::from_utf8_lossy(&real.stdout)
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let (n, text) = l.split_once(' ').unwrap();
            (n.parse().unwrap(), text.to_string())
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(out.stats.shell_runs, 1);
    assert!(
        out.logs.iter().any(|l| l.message == "log summary"),
        "{:?}",
        out.logs
    );
    // No match is an empty list, not an error.
    let out = sb.run(&load("shell-agent"), "CRITICAL");
    assert_eq!(ok(&out), "[]");
}

fn codemode_tools(stock: i64, forecast: &'static str) -> Vec<Tool> {
    vec![
        Tool::new(
            "check_inventory",
            "How many of an item are in stock",
            json!({"type": "object", "properties": {"item": {"type": "string"}}, "required": ["item"]}),
            move |args| {
                if args["item"].as_str() == Some("umbrella") {
                    Ok(json!({"item": "umbrella", "in_stock": stock}))
                } else {
                    Err(format!("unknown item {}", args["item"]))
                }
            },
        ),
        Tool::new_async(
            "get_weather",
            "The forecast for a city",
            json!({"type": "object", "properties": {"city": {"type": "string"}}}),
            move |args| async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok(json!({"city": args["city"], "forecast": forecast}))
            },
        ),
        Tool::new(
            "send_message",
            "Send a message",
            json!({"type": "object", "properties": {"to": {"type": "string"}, "text": {"type": "string"}}}),
            |args| Ok(json!({"delivered": true, "to": args["to"]})),
        ),
    ]
}

fn codemode_sandbox(stock: i64, forecast: &'static str) -> Sandbox {
    let mut b = Sandbox::builder();
    for t in codemode_tools(stock, forecast) {
        b = b.tool(t);
    }
    b.build()
}

#[test]
fn codemode_agent_calls_several_tools_in_one_run() {
    let input = r#"{"item":"umbrella","city":"Paris","to":"ops@example.com"}"#;
    let cases = [
        (0, "sunny", "reorder"),
        (5, "Heavy RAIN", "hold"),
        (5, "sunny", "ship"),
    ];
    for (stock, forecast, decision) in cases {
        let out = codemode_sandbox(stock, forecast).run(&load("codemode-agent"), input);
        let v: Value = serde_json::from_str(ok(&out)).unwrap();
        assert_eq!(v["decision"], decision, "{v}");
        assert_eq!(v["sent"]["delivered"], true, "{v}");
        assert_eq!(out.stats.tool_calls, 3);
    }
    // Without the tools the agent sees none of them.
    let out = Sandbox::builder()
        .build()
        .run(&load("codemode-agent"), input);
    assert!(
        problem(&out).detail.contains("missing tools"),
        "{:?}",
        out.result
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codemode_agent_async_api() {
    let input = r#"{"item":"umbrella","city":"Oslo","to":"a@b"}"#;
    let out = codemode_sandbox(2, "storm")
        .run_async(&load("codemode-agent"), input)
        .await;
    let v: Value = serde_json::from_str(ok(&out)).unwrap();
    assert_eq!(v["decision"], "hold");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sandboxes_at_once_stay_isolated() {
    let program = load("fs-main");
    let mut tasks = Vec::new();
    for i in 0..24 {
        let program = program.clone();
        tasks.push(tokio::spawn(async move {
            let sb = Sandbox::builder().build();
            sb.vfs().create_dir_all("/data", 0o755).unwrap();
            sb.vfs()
                .write(format!("/data/f{i}.txt"), "x".repeat(i))
                .unwrap();
            let out = sb.run_async(&program, "").await;
            assert_eq!(out.exit_code, Some(0), "{}", out.stderr_str());
            (i, sb.vfs().read_to_string("/out/listing.txt").unwrap())
        }));
    }
    for t in tasks {
        let (i, listing) = t.await.unwrap();
        assert_eq!(listing, format!("f{i}.txt {i}\n"));
    }
}

#[test]
fn sandboxes_and_forks_never_see_each_other() {
    let template = runner::fresh_vfs();
    template.create_dir_all("/data", 0o755).unwrap();
    template.write("/data/seed.txt", "seed").unwrap();
    let snap = template.snapshot();
    let a = Sandbox::builder().vfs(snap.fork()).build();
    let b = Sandbox::builder().vfs(snap.fork()).build();
    let out = a.run(&load("fs-main"), "");
    assert_eq!(out.exit_code, Some(0));
    assert!(a.vfs().exists("/out/listing.txt"));
    assert!(!b.vfs().exists("/out/listing.txt"));
    assert!(!template.exists("/out/listing.txt"));
    let fresh = Sandbox::builder().build();
    assert!(!fresh.vfs().exists("/data"));
}

#[test]
fn memory_bomb_hits_the_memory_limit() {
    let limit = 32 << 20;
    let out = Sandbox::builder()
        .memory_limit(limit)
        .build()
        .run(&load("hostile"), "memory");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::MemoryLimit), "{p:?}");
    assert_eq!(p.limit, Some(limit));
    assert!(out.stats.peak_memory <= limit);
    assert!(out.stats.peak_memory > limit / 2);
}

#[test]
fn fuel_gives_a_deterministic_budget() {
    let fueled = Runner::builder().fuel(true).build().unwrap();
    let program = fueled
        .load(&agentsh_guests::bytes("hostile").unwrap())
        .unwrap();
    let out = Sandbox::builder()
        .fuel(5_000_000)
        .build()
        .run(&program, "loop");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::FuelExhausted), "{p:?}");
    assert_eq!(out.stats.fuel_used, Some(5_000_000));
    // The same run costs the same fuel every time.
    let trivial = fueled
        .load(&agentsh_guests::bytes("trivial").unwrap())
        .unwrap();
    let sb = Sandbox::builder().fuel(1_000_000).build();
    let a = sb.run(&trivial, "x").stats.fuel_used;
    let b = sb.run(&trivial, "x").stats.fuel_used;
    assert_eq!(a, b);
    assert!(a.unwrap() > 0);
    // Fuel on a runner without fuel is refused, not ignored.
    let out = Sandbox::builder()
        .fuel(10)
        .build()
        .run(&load("trivial"), "x");
    assert_eq!(problem(&out).kind(), Some(ProblemKind::Internal));
}

#[test]
fn output_flood_hits_the_output_limit() {
    let out = Sandbox::builder()
        .max_output(64 * 1024)
        .build()
        .run(&load("hostile"), "output");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::OutputLimit), "{p:?}");
    assert!(out.stdout.len() <= 64 * 1024);
    assert!(
        out.stdout_str().starts_with("hostile output line 0\n")
            || out.stdout_str().starts_with("hostile output line 1\n")
    );
}

#[test]
fn deep_recursion_traps_with_a_backtrace() {
    let out = Sandbox::builder()
        .build()
        .run(&load("hostile"), "recursion");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Trap), "{p:?}");
}

#[test]
fn panicking_guest_traps_with_a_backtrace() {
    let out = Sandbox::builder().build().run(&load("hostile"), "panic");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Trap), "{p:?}");
    assert!(p.backtrace.as_ref().is_some_and(|b| !b.is_empty()), "{p:?}");
    assert!(out.stderr_str().contains("boom"), "{}", out.stderr_str());
}

#[test]
fn undeclared_tool_does_not_exist() {
    let out = Sandbox::builder()
        .tool(Tool::new("other", "", json!({}), |_| Ok(json!(1))))
        .build()
        .run(&load("hostile"), "undeclared-tool");
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert_eq!(p.detail, ProblemKind::UndeclaredTool.type_uri());
    assert_eq!(out.stats.tool_calls, 0);
}

#[test]
fn host_paths_are_unreachable() {
    let sb = Sandbox::builder().build();
    sb.vfs().write("/only-in-sandbox", "x").unwrap();
    let out = sb.run(&load("hostile"), "host-paths");
    let v: Value = serde_json::from_str(ok(&out)).unwrap();
    assert_eq!(v["read /etc/passwd"], json!({"error": "NotFound"}), "{v}");
    assert_eq!(
        v["read ../../../etc/passwd"],
        json!({"error": "NotFound"}),
        "{v}"
    );
    assert_eq!(
        v["read /proc/self/environ"],
        json!({"error": "NotFound"}),
        "{v}"
    );
    // `/` is the sandbox's root: `/tmp` and the file written above.
    assert_eq!(v["read_dir /"], json!({"ok": 2}), "{v}");
}

#[test]
fn stderr_is_captured() {
    let out = Sandbox::builder().build().run(&load("hostile"), "stderr");
    assert_eq!(ok(&out), "wrote 10 lines to stderr");
    let err = out.stderr_str();
    assert!(
        err.starts_with("hostile stderr line 1\n") && err.ends_with("hostile stderr line 10\n"),
        "{err}"
    );
}

#[test]
fn bad_bytes_are_invalid_components() {
    let r = runner();
    let p = r.load(b"not wasm at all").unwrap_err();
    assert_eq!(p.kind(), Some(ProblemKind::InvalidComponent));
    // A core module is not a component.
    let p = r.load(b"\0asm\x01\0\0\0").unwrap_err();
    assert_eq!(p.kind(), Some(ProblemKind::InvalidComponent));
    assert!(p.detail.contains("core WebAssembly module"), "{}", p.detail);
    // A truncated component.
    let mut bytes = agentsh_guests::bytes("trivial").unwrap();
    bytes.truncate(bytes.len() / 2);
    let p = r.load(&bytes).unwrap_err();
    assert_eq!(p.kind(), Some(ProblemKind::InvalidComponent));
}

#[test]
fn compile_cache_on_disk_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let bytes = agentsh_guests::bytes("trivial").unwrap();
    let first = Runner::builder().cache_dir(&cache).build().unwrap();
    first.load(&bytes).unwrap();
    let files: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let artifact = files[0].path();
    // A second runner loads the artifact and runs it.
    let second = Runner::builder().cache_dir(&cache).build().unwrap();
    let p = second.load(&bytes).unwrap();
    assert_eq!(ok(&Sandbox::builder().build().run(&p, "cached")), "cached");
    // A tampered artifact is ignored and rewritten, never deserialized.
    let mut body = std::fs::read(&artifact).unwrap();
    let mid = body.len() / 2;
    body[mid] ^= 0xff;
    std::fs::write(&artifact, &body).unwrap();
    let third = Runner::builder().cache_dir(&cache).build().unwrap();
    let p = third.load(&bytes).unwrap();
    assert_eq!(ok(&Sandbox::builder().build().run(&p, "again")), "again");
}

#[test]
fn async_tool_past_the_deadline_is_a_timeout() {
    let out = Sandbox::builder()
        .timeout(Duration::from_millis(200))
        .tool(Tool::new_async(
            "check_inventory",
            "",
            json!({}),
            |_| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(json!({"in_stock": 1}))
            },
        ))
        .tool(Tool::new("get_weather", "", json!({}), |_| {
            Ok(json!({"forecast": "sun"}))
        }))
        .tool(Tool::new("send_message", "", json!({}), |_| {
            Ok(json!(true))
        }))
        .build()
        .run(
            &load("codemode-agent"),
            r#"{"item":"a","city":"b","to":"c"}"#,
        );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Timeout), "{p:?}");
    assert!(out.stats.wall_time < Duration::from_secs(2));
}

#[test]
fn failing_tool_is_a_problem_for_the_guest() {
    let mut b = Sandbox::builder();
    for t in codemode_tools(1, "sun") {
        b = b.tool(t);
    }
    let out = b.build().run(
        &load("codemode-agent"),
        r#"{"item":"boots","city":"b","to":"c"}"#,
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert!(
        p.detail.contains("check_inventory: A tool failed (502)"),
        "{}",
        p.detail
    );
}

#[test]
fn problems_serialize_as_rfc9457() {
    let out = Sandbox::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .run(&load("hostile"), "loop");
    let v: Value = serde_json::to_value(problem(&out)).unwrap();
    assert_eq!(v["type"], "urn:agentsh:problem:timeout");
    assert_eq!(v["title"], "Time limit exceeded");
    assert_eq!(v["status"], 408);
    assert!(v["detail"].as_str().unwrap().contains("limit 50 ms"));
}

#[test]
fn tool_arguments_are_checked_against_the_schema() {
    let mut b = Sandbox::builder();
    for t in codemode_tools(1, "sun") {
        b = b.tool(t);
    }
    // Replace get_weather with one that needs a `days` integer the guest does not send.
    let out = b
        .tool(Tool::new(
            "get_weather",
            "",
            json!({"type": "object", "properties": {"days": {"type": "integer"}}, "required": ["days"]}),
            |_| panic!("must not run"),
        ))
        .build()
        .run(&load("codemode-agent"), r#"{"item":"umbrella","city":"b","to":"c"}"#);
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert!(
        p.detail.contains(
            "the arguments do not match the tool's schema: $: missing required property `days`"
        ),
        "{}",
        p.detail
    );
}

#[test]
fn tool_call_flood_hits_the_tool_call_limit() {
    let mut b = Sandbox::builder().max_tool_calls(2);
    for t in codemode_tools(1, "sun") {
        b = b.tool(t);
    }
    let out = b.build().run(
        &load("codemode-agent"),
        r#"{"item":"umbrella","city":"b","to":"c"}"#,
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::ToolCallLimit), "{p:?}");
    assert_eq!(p.limit, Some(2));
    assert_eq!(out.stats.tool_calls, 3);
}

#[test]
fn a_running_guest_can_be_cancelled() {
    let flag = runner::shell::io::Cancel::new();
    let sb = Sandbox::builder().cancel(flag.clone()).build();
    let program = load("hostile");
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        flag.cancel();
    });
    let out = sb.run(&program, "loop");
    canceller.join().unwrap();
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Cancelled), "{p:?}");
    assert!(out.stats.wall_time < Duration::from_secs(10));
}

#[test]
fn load_file_reads_a_host_component() {
    let p = runner().load_file(agentsh_guests::TRIVIAL).unwrap();
    assert_eq!(
        ok(&Sandbox::builder().build().run(&p, "from a file")),
        "from a file"
    );
    let e = runner().load_file("/no/such/guest.wasm").unwrap_err();
    assert_eq!(e.kind(), Some(ProblemKind::InvalidComponent));
    assert!(
        e.detail.starts_with("/no/such/guest.wasm: "),
        "{}",
        e.detail
    );
    assert_eq!(e.exit_status(), 126);
}

//! `agentsh run FILE.wasm` and the in-shell `wasm` command, run as a user would, on the
//! example guests: agents and a WASI command, tools declared with `--tool`, mounts and
//! exports, `--json` results and problems, limits and exit statuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn agentsh(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentsh"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out(o)))
}

#[test]
fn agent_result_goes_to_stdout() {
    let o = agentsh(&["run", agentsh_guests::TRIVIAL, "--input", "hello"], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "hello\n");
    // Without --input, standard input is the input.
    let o = agentsh(&["run", agentsh_guests::TRIVIAL], "from stdin");
    assert_eq!(out(&o), "from stdin\n");
}

#[test]
fn command_gets_args_stdin_env_and_mounts_and_exports() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("x.txt"), "12345").unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out_dir = dest.path().join("out");
    let o = agentsh(
        &[
            "run",
            "--mount",
            &format!("{}:/in", data.path().display()),
            "--export",
            &format!("/out:{}", out_dir.display()),
            "--env",
            "GREETING=hey",
            agentsh_guests::FS_MAIN,
            "--",
            "/in",
        ],
        "abc",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("greeting: hey"), "{text}");
    assert!(text.contains("1 files, 5 bytes in /in"), "{text}");
    assert!(text.contains("stdin: 3 bytes"), "{text}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("listing.txt")).unwrap(),
        "x.txt 5\n"
    );
    // The host's data directory is unchanged.
    assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 1);
}

#[test]
fn command_failure_is_its_exit_status() {
    let o = agentsh(&["run", agentsh_guests::FS_MAIN, "--", "/missing"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("cannot list /missing"), "{}", err(&o));
}

#[test]
fn tools_are_shell_scripts_on_the_same_filesystem() {
    let o = agentsh(
        &[
            "run",
            "--tool",
            "check_inventory=echo '{\"in_stock\": 4}'",
            "--tool",
            "get_weather=jq -c '{forecast: (\"sunny in \" + .city)}'",
            "--tool",
            "send_message=cat > /tmp/sent.json; echo '{\"ok\":true}'",
            "--json",
            agentsh_guests::CODEMODE_AGENT,
            "--input",
            r#"{"item":"tent","city":"Lyon","to":"ops"}"#,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let doc = json(&o);
    let result: serde_json::Value = serde_json::from_str(doc["result"].as_str().unwrap()).unwrap();
    assert_eq!(result["decision"], "ship");
    assert_eq!(result["forecast"], "sunny in Lyon");
    assert_eq!(result["sent"]["ok"], true);
    assert_eq!(doc["stats"]["tool_calls"], 3);
    assert_eq!(doc["kind"], "agent");
}

#[test]
fn failing_tool_script_is_a_tool_error() {
    let o = agentsh(
        &[
            "run",
            "--tool",
            "check_inventory=echo 'no such item' >&2; exit 3",
            "--tool",
            "get_weather=echo '{}'",
            "--tool",
            "send_message=echo '{}'",
            agentsh_guests::CODEMODE_AGENT,
            "--input",
            r#"{"item":"tent","city":"Lyon","to":"ops"}"#,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("check_inventory: exit status 3: no such item"),
        "{}",
        err(&o)
    );
}

#[test]
fn json_problems_have_their_own_exit_statuses() {
    let o = agentsh(
        &[
            "run",
            "--json",
            "--timeout",
            "200ms",
            agentsh_guests::HOSTILE,
            "--input",
            "loop",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    let doc = json(&o);
    assert_eq!(doc["type"], "urn:agentsh:problem:timeout");
    assert_eq!(doc["status"], 408);

    let o = agentsh(
        &[
            "run",
            "--json",
            "--guest-memory",
            "16M",
            agentsh_guests::HOSTILE,
            "--input",
            "memory",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:memory-limit");

    let o = agentsh(
        &["run", "--json", agentsh_guests::HOSTILE, "--input", "panic"],
        "",
    );
    assert_eq!(o.status.code(), Some(134));
    let doc = json(&o);
    assert_eq!(doc["type"], "urn:agentsh:problem:trap");
    assert!(doc["stderr"].as_str().unwrap().contains("boom"));

    let o = agentsh(
        &[
            "run",
            "--json",
            "--fuel",
            "100000",
            agentsh_guests::HOSTILE,
            "--input",
            "loop",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:fuel-exhausted");

    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("bogus.wasm");
    std::fs::write(&bogus, b"\0asm\x01\0\0\0").unwrap();
    let o = agentsh(&["run", "--json", bogus.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(126));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:invalid-component");
}

#[test]
fn plain_problem_messages() {
    let o = agentsh(&["run", agentsh_guests::HOSTILE, "--input", "nope"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("The agent returned an error: unknown mode: nope"),
        "{}",
        err(&o)
    );
    let o = agentsh(&["run", "/no/such/file.wasm"], "");
    assert_eq!(o.status.code(), Some(126));
    assert!(err(&o).contains("/no/such/file.wasm"), "{}", err(&o));
}

#[test]
fn wasm_command_inside_the_shell() {
    let guests = tempfile::tempdir().unwrap();
    std::fs::copy(agentsh_guests::FS_MAIN, guests.path().join("fs-main.wasm")).unwrap();
    std::fs::copy(agentsh_guests::TRIVIAL, guests.path().join("trivial.wasm")).unwrap();
    let script = r#"
mkdir -p /data && printf 'abc' > /data/one && printf 'hello' > /data/two
wasm /g/fs-main.wasm /data; echo "status $?"
cat /out/listing.txt
wasm --input 'ping' /g/trivial.wasm
echo piped | wasm /g/trivial.wasm | tr a-z A-Z
wasm /g/fs-main.wasm /nope 2>/dev/null; echo "status $?"
wasm /g/missing.wasm; echo "status $?"
"#;
    let o = agentsh(
        &[
            "--mount",
            &format!("{}:/g", guests.path().display()),
            "-c",
            script,
        ],
        "",
    );
    assert_eq!(
        out(&o),
        "2 files, 8 bytes in /data\nstatus 0\none 3\ntwo 5\nping\nPIPED\n\nstatus 1\nstatus 1\n"
    );
    assert!(
        err(&o).contains("wasm: /g/missing.wasm: No such file or directory"),
        "{}",
        err(&o)
    );
}

#[test]
fn ctrl_c_cancels_the_guest() {
    let child = Command::new(env!("CARGO_BIN_EXE_agentsh"))
        .args(["run", "--json", agentsh_guests::HOSTILE, "--input", "loop"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // Keep interrupting until the process ends (the handler may not be installed yet).
    let pid = child.id().to_string();
    let mut child = child;
    let status = loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(started.elapsed().as_secs() < 20, "not cancelled");
    };
    let o = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(130), "{}", err(&o));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:cancelled");
}

#[test]
fn node_command_matches_real_node_on_plain_scripts() {
    let scripts = [
        "console.log('hello', 42, 'x')",
        "let s = 0; for (let i = 0; i < 1000; i++) s += i; console.log(s)",
        "console.log([3, 1, 2].sort().map(x => x * 2).join(','))",
        "console.log(JSON.stringify({b: [true, null], c: 'x'}))",
        "console.log('%s is %d years', 'Ann', 41.5)",
        "console.log(typeof undefined, 0.1 + 0.2, 2 ** 53)",
    ];
    let real = Command::new("node").arg("--version").output();
    if real.is_err() {
        eprintln!("node is not installed: nothing to compare with");
        return;
    }
    for script in scripts {
        let want = Command::new("node").args(["-e", script]).output().unwrap();
        let quoted = format!("'{}'", script.replace('\'', r"'\''"));
        let got = agentsh(&["-c", &format!("node -e {quoted}")], "");
        assert_eq!(
            out(&got),
            out(&want),
            "script: {script}\nstderr: {}",
            err(&got)
        );
        assert_eq!(got.status.code(), Some(0));
    }
    // -p prints the value; files come from the sandbox filesystem; errors exit 1.
    let o = agentsh(
        &[
            "-c",
            "echo 'console.log(fs.readFile(\"/d.txt\").trim())' > /s.js; echo data > /d.txt; node /s.js; node -p '\"a\" + 1'; node -e 'throw new TypeError(\"bad\")'; echo \"status $?\"",
        ],
        "",
    );
    assert_eq!(out(&o), "data\na1\nstatus 1\n");
    assert!(err(&o).starts_with("TypeError: bad\n"), "{}", err(&o));
}

#[test]
fn js_subcommand_runs_code_mode_programs() {
    let o = agentsh(
        &[
            "js",
            "-e",
            "console.log('hi'); console.warn('w'); ({a: 1 + 1})",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "hi\n{\"a\":2}\n");
    assert_eq!(err(&o), "w\n");
    // A host script file, a tool declared as a shell script, an export of the results.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("t.js");
    std::fs::write(
        &script,
        "const t = await tools.lookup({q: 1});\nfs.mkdir('/out', {recursive: true});\nfs.writeFile('/out/x.txt', String(t.answer));\nt.answer * 2\n",
    )
    .unwrap();
    let dest = dir.path().join("out");
    let o = agentsh(
        &[
            "js",
            "--tool",
            "lookup=echo '{\"answer\": 21}'",
            "--export",
            &format!("/out:{}", dest.display()),
            script.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "42\n");
    assert_eq!(std::fs::read_to_string(dest.join("x.txt")).unwrap(), "21");
    // Errors, limits, usage.
    let o = agentsh(&["js", "-e", "throw new TypeError('nope')"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).starts_with("TypeError: nope\n"), "{}", err(&o));
    let o = agentsh(
        &["js", "--json", "--timeout", "200ms", "-e", "while(true){}"],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:timeout");
    let o = agentsh(&["js"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn ts_subcommand_strips_types_and_reports_typescript_positions() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("t.ts");
    std::fs::write(
        &script,
        "enum Level { Low = 1, High = 3 }\ninterface Item { name: string; level: Level }\nconst items: Item[] = [{ name: 'a', level: Level.High }];\nconsole.log(items.map((i: Item): string => i.name).join(','));\nitems[0].level satisfies number\n",
    )
    .unwrap();
    let o = agentsh(&["ts", script.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "a\n3\n");
    // A runtime error: the stack points at the TypeScript line.
    let o = agentsh(
        &[
            "ts",
            "-e",
            "type N = number;\nconst f = (x: N): N => {\n  throw new RangeError('r' + x);\n};\nf(1);",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).starts_with("RangeError: r1\n"), "{}", err(&o));
    assert!(err(&o).contains("script.ts:3:"), "{}", err(&o));
    // A syntax error is a guest error with the TypeScript position, in JSON too.
    let o = agentsh(&["ts", "--json", "-e", "let x: = 1"], "");
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    assert_eq!(doc["type"], "urn:agentsh:problem:guest-error");
    assert!(
        doc["detail"].as_str().unwrap().contains("script.ts:1:8"),
        "{doc}"
    );
    let o = agentsh(&["ts"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("ts: give either -e CODE or a FILE"),
        "{}",
        err(&o)
    );
}

#[test]
fn codemode_prints_types_and_prompt() {
    let o = agentsh(
        &["codemode", "--print-types", "--tool", "lookup=echo 1"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let types = out(&o);
    for want in [
        "declare const fs",
        "declare const sh",
        "declare const tools",
        "  /** runs the shell script: echo 1 */\n  lookup(args?: { [key: string]: any }): Promise<any>;\n",
    ] {
        assert!(types.contains(want), "{want:?} not in:\n{types}");
    }
    let o = agentsh(&["codemode", "--print-prompt", "--timeout", "5s"], "");
    let prompt = out(&o);
    assert!(prompt.contains("5 s of wall time"), "{prompt}");
    assert!(prompt.contains("declare const tools"), "{prompt}");
    assert_eq!(agentsh(&["codemode"], "").status.code(), Some(2));
}

/// Load the Python engine once before the Python tests run in parallel: the first process
/// may compile it (seconds), and it keeps the result in the disk cache for the others.
fn warm_python() {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        let o = agentsh(&["python", "-c", "pass"], "");
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    });
}

#[test]
fn python_subcommand_runs_code_mode_programs() {
    warm_python();
    let o = agentsh(
        &[
            "python",
            "-c",
            "print('hi')\nlog.warn('w', n=1)\n{'a': 1 + 1}",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "hi\n{\"a\": 2}\n");
    // Log lines go to stderr, with their fields as JSON.
    assert_eq!(err(&o), "w {\"n\":1}\n");
    // None is not printed.
    let o = agentsh(&["python", "-c", "x = 1"], "");
    assert_eq!((out(&o).as_str(), o.status.code()), ("", Some(0)));
    // A host program file, a tool declared as a shell script, an export of the results,
    // arguments and environment.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("t.py");
    std::fs::write(
        &script,
        "import os, sys\nt = tools.lookup(q=1)\nfs.mkdir('/out', recursive=True)\nfs.write_file('/out/x.txt', str(t['answer']))\nreturn [t['answer'] * 2, sys.argv, os.environ['MODE']]\n",
    )
    .unwrap();
    let dest = dir.path().join("out");
    let o = agentsh(
        &[
            "python",
            "--tool",
            "lookup=echo '{\"answer\": 21}'",
            "--export",
            &format!("/out:{}", dest.display()),
            "--env",
            "MODE=test",
            script.to_str().unwrap(),
            "--",
            "one",
            "two",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "[42, [\"<program>\", \"one\", \"two\"], \"test\"]\n"
    );
    assert_eq!(std::fs::read_to_string(dest.join("x.txt")).unwrap(), "21");
    // Errors, limits, usage.
    let o = agentsh(
        &[
            "python",
            "-c",
            "def f():\n    raise ValueError('nope')\nf()",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).starts_with("ValueError: nope\nTraceback (most recent call last):\n"),
        "{}",
        err(&o)
    );
    assert!(
        err(&o).contains("File \"<program>\", line 2, in f"),
        "{}",
        err(&o)
    );
    let o = agentsh(
        &["python", "--json", "-c", "import sys\nprint('out')\n[1]"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let doc = json(&o);
    assert_eq!(
        (doc["result"].as_str(), doc["stdout"].as_str()),
        (Some("[1]"), Some("out\n"))
    );
    let o = agentsh(
        &[
            "python",
            "--json",
            "--timeout",
            "200ms",
            "-c",
            "while True: pass",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:timeout");
    let o = agentsh(
        &[
            "python",
            "--json",
            "--guest-memory",
            "48M",
            "-c",
            "x = bytearray(100 << 20)",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(124));
    assert_eq!(json(&o)["type"], "urn:agentsh:problem:memory-limit");
    assert_eq!(agentsh(&["python"], "").status.code(), Some(2));
    assert_eq!(
        agentsh(&["python", "-c", "1", "f.py"], "").status.code(),
        Some(2)
    );
    let o = agentsh(&["python", "/no/such/file.py"], "");
    assert_ne!(o.status.code(), Some(0));
    assert!(err(&o).contains("/no/such/file.py"), "{}", err(&o));
}

#[test]
fn python3_runs_inside_a_session() {
    warm_python();
    let o = agentsh(
        &[
            "-c",
            "cd /tmp && echo 'import sys; print(open(\"d.txt\").read().strip(), sys.argv[1:])' > s.py && echo data > d.txt && python3 s.py a b && python -c 'import sys; sys.exit(4)'; echo \"status $?\"; printf '1\\n2\\n' | python3 -c 'import sys; print(sum(map(int, sys.stdin)))'; python3 -c 'raise KeyError(1)'",
        ],
        "",
    );
    assert_eq!(out(&o), "data ['a', 'b']\nstatus 4\n3\n");
    assert!(err(&o).ends_with("\nKeyError: 1\n"), "{}", err(&o));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn codemode_prints_python_stubs_and_prompt() {
    let o = agentsh(
        &[
            "codemode",
            "--lang",
            "python",
            "--print-types",
            "--tool",
            "lookup=echo 1",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let stubs = out(&o);
    for want in [
        "class _Fs:",
        "sh: _Sh",
        "log: _Log",
        "    def lookup(self, args: dict[str, Any] | None = None, /, **kwargs: Any) -> Any:\n        \"\"\"runs the shell script: echo 1\"\"\"\n",
        "tools: _Tools\n",
    ] {
        assert!(stubs.contains(want), "{want:?} not in:\n{stubs}");
    }
    assert!(!stubs.contains("declare const"), "{stubs}");
    let o = agentsh(
        &[
            "codemode",
            "--print-prompt",
            "--lang=python",
            "--timeout",
            "5s",
        ],
        "",
    );
    let prompt = out(&o);
    assert!(prompt.contains("one Python program"), "{prompt}");
    assert!(prompt.contains("5 s of wall time"), "{prompt}");
    assert!(prompt.contains("```python\n"), "{prompt}");
    let o = agentsh(&["codemode", "--print-types", "--lang", "cobol"], "");
    assert_eq!(o.status.code(), Some(2));
}

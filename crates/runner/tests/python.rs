//! Code mode in Python: programs run by the CPython engine guest, calling `fs`, `sh`,
//! `tools` and `log`; result and error rules; the standard library on the sandbox
//! filesystem; limits with hostile programs; the stubs generated from tool schemas; the
//! `python3` shell command, compared with the host's `python3` where they agree.
//!
//! The engine is compiled once per process and kept in the on-disk cache
//! (`runner::python_engine_cache_dir`), so only the first test process on a machine pays
//! for the compile.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use runner::shell::{ExecOptions, Shell, ShellLimits};
use runner::{
    LogLevel, Problem, ProblemKind, PromptLimits, RunOutput, Sandbox, Tool, ToolSet, fresh_vfs,
    python_stubs, python_system_prompt, run_python, run_python_async,
};
use serde_json::{Value, json};

fn ok(out: &RunOutput) -> Value {
    match &out.result {
        Ok(s) => serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}")),
        Err(p) => panic!(
            "run failed: {p} ({})\nstdout: {}\nstderr: {}\nlogs: {:?}",
            p.type_uri,
            out.stdout_str(),
            out.stderr_str(),
            out.logs
        ),
    }
}

fn problem(out: &RunOutput) -> &Problem {
    match &out.result {
        Ok(s) => panic!("expected a problem, got Ok({s:?})"),
        Err(p) => p,
    }
}

fn py(code: &str) -> Value {
    ok(&run_python(&Sandbox::builder().build(), code))
}

fn py_err(code: &str) -> Problem {
    problem(&run_python(&Sandbox::builder().build(), code)).clone()
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
fn python_engine_is_a_component_of_the_stated_version() {
    let wasm = runner::python_engine_wasm().unwrap();
    assert_eq!(&wasm[..4], b"\0asm");
    assert_eq!(&wasm[4..8], &[0x0d, 0x00, 0x01, 0x00]);
    assert_eq!(&runner::PYTHON_ENGINE_GZ[..2], &[0x1f, 0x8b]);
    let program = runner::python_engine().unwrap();
    assert_eq!(program.kind(), runner::ProgramKind::Agent);
    assert_eq!(
        py("import sys\nsys.version.split()[0]"),
        json!(runner::PYTHON_VERSION)
    );
}

#[test]
fn result_is_the_last_expression() {
    assert_eq!(py("1 + 2"), json!(3));
    assert_eq!(py("a = [1, 2, 3]\n[x * 2 for x in a]"), json!([2, 4, 6]));
    assert_eq!(py("o = {'a': 1, 'b': 'x'}\no"), json!({"a": 1, "b": "x"}));
    assert_eq!(py("'text'"), json!("text"));
    assert_eq!(py("(1, None, True, 2.5)"), json!([1, null, true, 2.5]));
    assert_eq!(
        py("{1: 'int keys become strings'}"),
        json!({"1": "int keys become strings"})
    );
    // A last statement that is not an expression: null, as a REPL shows nothing.
    assert_eq!(py("x = 1"), Value::Null);
    assert_eq!(py("if True:\n    'yes'"), Value::Null);
    assert_eq!(py("None"), Value::Null);
    assert_eq!(py(""), Value::Null);
    assert_eq!(py("# only a comment\n"), Value::Null);
    assert_eq!(py("print('hi')"), Value::Null);
    // Functions and classes defined earlier are usable in the last expression.
    assert_eq!(
        py("def sq(n):\n    return n * n\nclass P:\n    k = 3\nsq(P.k)"),
        json!(9)
    );
}

#[test]
fn result_of_a_top_level_return() {
    assert_eq!(py("x = 40\nreturn x + 2"), json!(42));
    assert_eq!(py("if 1:\n    return 'early'\n'late'"), json!("early"));
    // No return ran: the last expression is still the result.
    assert_eq!(py("if 0:\n    return 'early'\n'late'"), json!("late"));
    assert_eq!(py("return"), Value::Null);
    assert_eq!(
        py("for i in range(10):\n    if i == 3:\n        return i"),
        json!(3)
    );
    // Closures over the program's names, and a return inside a nested function only.
    assert_eq!(
        py("n = 5\ndef f():\n    return n + 1\nreturn [f() for _ in range(2)]"),
        json!([6, 6])
    );
    assert_eq!(py("def f():\n    return 1\nf() + 1"), json!(2));
    // Frames of the return form read `<module>` too.
    let p = py_err("x = 1\nreturn 1 / 0");
    assert!(p.detail.contains("line 2, in <module>"), "{}", p.detail);
}

#[test]
fn results_json_has_no_text_for_are_type_errors() {
    let p = py_err("{1, 2}");
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert_eq!(
        p.detail,
        "TypeError: the program's result has no JSON text: Object of type set is not JSON serializable"
    );
    let p = py_err("b'bytes'");
    assert!(p.detail.starts_with("TypeError: "), "{}", p.detail);
    let p = py_err("float('nan')");
    assert!(p.detail.starts_with("ValueError: "), "{}", p.detail);
    // The sandbox's own objects are objects of their fields.
    let v = py("[fs.stat('/tmp'), sh.run('echo hi'), fs.readdir('/', with_file_types=True)[0]]");
    assert_eq!(v[0]["type"], "directory");
    assert_eq!(v[1], json!({"stdout": "hi\n", "stderr": "", "status": 0}));
    assert_eq!(v[2], json!({"name": "tmp", "type": "directory"}));
}

#[test]
fn exceptions_carry_name_message_and_traceback() {
    let p = py_err(
        "def inner():\n    raise TypeError('bad input')\ndef outer():\n    inner()\nouter()",
    );
    assert_eq!(p.kind(), Some(ProblemKind::GuestError), "{p:?}");
    assert!(
        p.detail
            .starts_with("TypeError: bad input\nTraceback (most recent call last):\n"),
        "{}",
        p.detail
    );
    assert!(
        p.detail.contains("File \"<program>\", line 5, in <module>"),
        "{}",
        p.detail
    );
    assert!(
        p.detail.contains("File \"<program>\", line 4, in outer"),
        "{}",
        p.detail
    );
    assert!(
        p.detail.contains("File \"<program>\", line 2, in inner"),
        "{}",
        p.detail
    );
    // The program's source lines are shown, the engine's own frames are not.
    assert!(
        p.detail.contains("    raise TypeError('bad input')"),
        "{}",
        p.detail
    );
    assert!(!p.detail.contains("agentsh_engine"), "{}", p.detail);
    // The last line is not repeated after the traceback.
    assert_eq!(p.detail.matches("bad input").count(), 2, "{}", p.detail);

    let p = py_err("x = = 1");
    assert!(
        p.detail.starts_with("SyntaxError: invalid syntax"),
        "{}",
        p.detail
    );
    assert!(
        p.detail.contains("File \"<program>\", line 1"),
        "{}",
        p.detail
    );
    assert!(!p.detail.contains("Traceback"), "{}", p.detail);
    assert!(!p.detail.contains("ast.py"), "{}", p.detail);

    let p = py_err("undefined_name");
    assert!(
        p.detail
            .starts_with("NameError: name 'undefined_name' is not defined"),
        "{}",
        p.detail
    );

    let p = py_err("class Oops(Exception):\n    pass\nraise Oops('mine')");
    assert!(p.detail.starts_with("Oops: mine\n"), "{}", p.detail);

    let p = py_err("import json\njson.loads('{')");
    assert!(
        p.detail.starts_with("json.decoder.JSONDecodeError: "),
        "{}",
        p.detail
    );

    // A failing fs call: the traceback ends at the program's line, not inside the engine.
    let p = py_err("\nfs.read_file('/missing')");
    assert!(
        p.detail
            .starts_with("FileNotFoundError: [Errno 44] No such file or directory: '/missing'"),
        "{}",
        p.detail
    );
    assert!(
        p.detail
            .trim_end()
            .ends_with("fs.read_file('/missing')\n    ~~~~~~~~~~~~^^^^^^^^^^^^"),
        "{}",
        p.detail
    );
    assert!(!p.detail.contains("agentsh.py"), "{}", p.detail);

    // Chained exceptions show both.
    let p = py_err("try:\n    {}['k']\nexcept KeyError as e:\n    raise ValueError('no k') from e");
    assert!(p.detail.starts_with("ValueError: no k\n"), "{}", p.detail);
    assert!(p.detail.contains("KeyError: 'k'"), "{}", p.detail);
    assert!(p.detail.contains("direct cause"), "{}", p.detail);

    // sys.exit(): 0 or None end the program with null, another status is an error.
    assert_eq!(
        py("import sys\nprint('x')\nsys.exit(0)\n'never'"),
        Value::Null
    );
    assert_eq!(py("import sys\nsys.exit()"), Value::Null);
    let p = py_err("import sys\nsys.exit(3)");
    assert_eq!(p.detail, "SystemExit: exit status 3");
    let p = py_err("raise SystemExit('bye')");
    assert_eq!(p.detail, "SystemExit: bye");
}

#[test]
fn fs_functions() {
    let sb = Sandbox::builder().build();
    sb.vfs().write("/in.txt", "hello\n").unwrap();
    sb.vfs().write("/bin.dat", vec![0u8, 255, 1]).unwrap();
    let out = run_python(
        &sb,
        r#"
import pathlib, errno
r = {}
r['text'] = fs.read_file('/in.txt')
r['bytes'] = list(fs.read_file('/bin.dat', 'bytes'))
r['none'] = list(fs.read_file('/bin.dat', encoding=None))
r['latin1'] = fs.read_file('/bin.dat', 'latin-1')
r['replaced'] = fs.read_file('/bin.dat', errors='replace')
fs.mkdir('/a/b/c', recursive=True)
fs.mkdir('/a/b/c', recursive=True)
fs.write_file('/a/b/c/x.txt', 'one')
fs.append_file('/a/b/c/x.txt', ' two')
fs.write_file('/a/raw.bin', bytes([1, 2, 3]))
fs.append_file(pathlib.Path('/a/raw.bin'), bytearray([4]))
r['appended'] = fs.read_file('/a/b/c/x.txt')
r['raw'] = list(fs.read_file('/a/raw.bin', 'bytes'))
r['readdir'] = fs.readdir('/a')
r['types'] = [[e.name, e.is_dir(), e.is_file(), e.type] for e in fs.readdir('/a', with_file_types=True)]
st = fs.stat('/a/b/c/x.txt')
r['stat'] = [st.type, st.size, st.is_file(), st.is_dir(), st.mtime_ms > 0, st.nlink, st.mode]
fs.symlink('/a/b/c/x.txt', '/link')
r['lstat'] = [fs.lstat('/link').type, fs.lstat('/link').is_symlink(), fs.stat('/link').type]
r['readlink'] = fs.readlink('/link')
r['realpath'] = fs.realpath('/a/b/../b/c/./x.txt')
r['glob'] = fs.glob('/a/**/*.txt')
r['glob_star'] = fs.glob('/a/*')
r['exists'] = [fs.exists('/a/raw.bin'), fs.exists('/nope'), fs.exists(pathlib.Path('/a'))]
fs.rename('/a/raw.bin', '/a/moved.bin')
r['renamed'] = [fs.exists('/a/raw.bin'), fs.exists('/a/moved.bin')]
fs.copy_file('/a/moved.bin', '/a/copy.bin')
fs.cp('/a/b', '/a/b2', recursive=True)
r['copies'] = [list(fs.read_file('/a/copy.bin', 'bytes')), fs.read_file('/a/b2/c/x.txt')]
fs.write_json('/data.json', {'n': [1, 2], 's': 'x'})
fs.write_json('/pretty.json', {'n': [1]}, indent=2)
r['json'] = fs.read_json('/data.json')
r['json_text'] = [fs.read_file('/data.json'), fs.read_file('/pretty.json')]
fs.rm('/a/moved.bin')
fs.rm('/a', recursive=True)
fs.rm('/never', force=True)
r['removed'] = fs.exists('/a')
errors = []
for f in [
    lambda: fs.read_file('/missing'),
    lambda: fs.mkdir('/tmp'),
    lambda: fs.read_file('/tmp'),
    lambda: fs.readdir('/in.txt'),
    lambda: fs.rm('/missing'),
    lambda: (fs.mkdir('/full'), fs.write_file('/full/f', ''), fs.rm('/full')),
    lambda: fs.rename('/missing', '/elsewhere'),
    lambda: fs.read_file('/bin.dat'),
    lambda: fs.write_file('/x', 5),
]:
    try:
        f()
        errors.append('no error')
    except OSError as e:
        errors.append([type(e).__name__, errno.errorcode[e.errno], e.filename, e.filename2])
    except (UnicodeDecodeError, TypeError) as e:
        errors.append([type(e).__name__])
r['errors'] = errors
try:
    fs.read_file('/missing')
except FileNotFoundError as e:
    r['message'] = str(e)
r
"#,
    );
    let v = ok(&out);
    assert_eq!(v["text"], "hello\n");
    assert_eq!(v["bytes"], json!([0, 255, 1]));
    assert_eq!(v["none"], json!([0, 255, 1]));
    assert_eq!(v["latin1"], "\u{0}\u{ff}\u{1}");
    assert_eq!(v["replaced"], "\u{0}\u{fffd}\u{1}");
    assert_eq!(v["appended"], "one two");
    assert_eq!(v["raw"], json!([1, 2, 3, 4]));
    assert_eq!(v["readdir"], json!(["b", "raw.bin"]));
    assert_eq!(
        v["types"],
        json!([
            ["b", true, false, "directory"],
            ["raw.bin", false, true, "file"]
        ])
    );
    assert_eq!(v["stat"], json!(["file", 7, true, false, true, 1, 0o644]));
    assert_eq!(v["lstat"], json!(["symlink", true, "file"]));
    assert_eq!(v["readlink"], "/a/b/c/x.txt");
    assert_eq!(v["realpath"], "/a/b/c/x.txt");
    assert_eq!(v["glob"], json!(["/a/b/c/x.txt"]));
    assert_eq!(v["glob_star"], json!(["/a/b", "/a/raw.bin"]));
    assert_eq!(v["exists"], json!([true, false, true]));
    assert_eq!(v["renamed"], json!([false, true]));
    assert_eq!(v["copies"], json!([[1, 2, 3, 4], "one two"]));
    assert_eq!(v["json"], json!({"n": [1, 2], "s": "x"}));
    assert_eq!(
        v["json_text"],
        json!([
            "{\"n\": [1, 2], \"s\": \"x\"}\n",
            "{\n  \"n\": [\n    1\n  ]\n}\n"
        ])
    );
    assert_eq!(v["removed"], false);
    assert_eq!(
        v["errors"],
        json!([
            ["FileNotFoundError", "ENOENT", "/missing", null],
            ["FileExistsError", "EEXIST", "/tmp", null],
            ["IsADirectoryError", "EISDIR", "/tmp", null],
            ["NotADirectoryError", "ENOTDIR", "/in.txt", null],
            ["FileNotFoundError", "ENOENT", "/missing", null],
            ["OSError", "ENOTEMPTY", "/full", null],
            ["FileNotFoundError", "ENOENT", "/missing", "/elsewhere"],
            ["UnicodeDecodeError"],
            ["TypeError"]
        ])
    );
    assert_eq!(
        v["message"],
        "[Errno 44] No such file or directory: '/missing'"
    );
    // The program's writes are on the sandbox's filesystem.
    assert_eq!(
        sb.vfs().read_to_string("/data.json").unwrap(),
        "{\"n\": [1, 2], \"s\": \"x\"}\n"
    );
    assert!(sb.vfs().lstat("/link").is_ok());
}

#[test]
fn permission_errors_are_permission_errors() {
    let vfs = fresh_vfs();
    vfs.write("/secret", "x").unwrap();
    vfs.chmod("/secret", 0o000).unwrap();
    let mut user = vfs.clone();
    user.set_cred(runner::vfs_core::Cred::user(1000, 1000));
    let sb = Sandbox::builder().vfs(user).build();
    let v = ok(&run_python(
        &sb,
        "try:\n    fs.read_file('/secret')\nexcept PermissionError as e:\n    r = [type(e).__name__, e.filename]\nr",
    ));
    assert_eq!(v, json!(["PermissionError", "/secret"]));
}

#[test]
fn standard_library_works_on_the_sandbox_filesystem() {
    let sb = Sandbox::builder().build();
    sb.vfs().create_dir_all("/data", 0o755).unwrap();
    sb.vfs()
        .write("/data/in.csv", "name,n\na,1\nb,2\n")
        .unwrap();
    let v = ok(&run_python(
        &sb,
        r#"
import csv, json, os, pathlib, shutil, glob, sqlite3, gzip, zipfile, io, hashlib, re, datetime, statistics
rows = list(csv.DictReader(open('/data/in.csv', newline='')))
with open('/data/out.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['name', 'double'])
    for r in rows:
        w.writerow([r['name'], int(r['n']) * 2])
with open('/data/out.json', 'w') as f:
    json.dump({'total': sum(int(r['n']) for r in rows)}, f)
os.makedirs('/data/sub/deep', exist_ok=True)
pathlib.Path('/data/sub/deep/p.txt').write_text('via pathlib')
shutil.copytree('/data/sub', '/data/sub2')
with gzip.open('/data/z.gz', 'wt') as f:
    f.write('zipped')
with zipfile.ZipFile('/data/a.zip', 'w') as z:
    z.writestr('inner.txt', 'in zip')
con = sqlite3.connect(':memory:')
con.execute('create table t (n int)')
con.executemany('insert into t values (?)', [(int(r['n']),) for r in rows])
os.chdir('/data')
{
    'listdir': sorted(os.listdir('.')),
    'cwd': os.getcwd(),
    'walk': sorted(d for d, _, _ in os.walk('/data/sub2')),
    'glob': sorted(glob.glob('/data/**/*.txt', recursive=True)),
    'gz': gzip.open('/data/z.gz', 'rt').read(),
    'zip': zipfile.ZipFile('/data/a.zip').read('inner.txt').decode(),
    'sql': con.execute('select sum(n) from t').fetchone()[0],
    'sha': hashlib.sha256(b'abc').hexdigest()[:12],
    're': re.findall(r'\d+', 'a1b22'),
    'date': datetime.date(2024, 2, 29).isoformat(),
    'strptime': datetime.datetime.strptime('2024-03-01', '%Y-%m-%d').day,
    'mean': statistics.mean([1, 2, 3, 4]),
    'latin1': 'é'.encode('latin-1').hex(),
    'isfile': os.path.isfile('in.csv'),
    'fs_rel': [fs.read_file('in.csv')[:6], fs.glob('*.csv'), fs.exists('out.json'), sh.run('pwd').stdout],
}
"#,
    ));
    assert_eq!(
        v["listdir"],
        json!([
            "a.zip", "in.csv", "out.csv", "out.json", "sub", "sub2", "z.gz"
        ])
    );
    assert_eq!(v["cwd"], "/data");
    assert_eq!(v["walk"], json!(["/data/sub2", "/data/sub2/deep"]));
    assert_eq!(
        v["glob"],
        json!(["/data/sub/deep/p.txt", "/data/sub2/deep/p.txt"])
    );
    assert_eq!(v["gz"], "zipped");
    assert_eq!(v["zip"], "in zip");
    assert_eq!(v["sql"], 3);
    assert_eq!(v["sha"], "ba7816bf8f01");
    assert_eq!(v["re"], json!(["1", "22"]));
    assert_eq!(v["date"], "2024-02-29");
    assert_eq!(v["strptime"], 1);
    assert_eq!(v["mean"], 2.5);
    assert_eq!(v["latin1"], "e9");
    assert_eq!(v["isfile"], true);
    // fs and sh take relative paths from the working directory, as open() does.
    assert_eq!(
        v["fs_rel"],
        json!(["name,n", ["in.csv", "out.csv"], true, "/data\n"])
    );
    assert_eq!(
        sb.vfs().read_to_string("/data/out.csv").unwrap(),
        "name,double\r\na,2\r\nb,4\r\n"
    );
    assert_eq!(
        sb.vfs().read_to_string("/data/out.json").unwrap(),
        "{\"total\": 3}"
    );
    assert_eq!(
        sb.vfs().read_to_string("/data/sub2/deep/p.txt").unwrap(),
        "via pathlib"
    );
}

#[test]
fn imports_beyond_the_preloaded_library_fail_clearly_and_vfs_modules_import() {
    let p = py_err("import numpy");
    assert!(
        p.detail.starts_with("ModuleNotFoundError: No module named 'numpy' (this sandbox's Python has no third-party packages"),
        "{}",
        p.detail
    );
    let p = py_err("import xml.sax");
    assert!(
        p.detail
            .starts_with("ModuleNotFoundError: No module named 'xml.sax'"),
        "{}",
        p.detail
    );
    // Modules written to the working directory import.
    let v = py(
        "fs.write_file('/helper.py', 'def twice(x):\\n    return 2 * x\\n')\nimport helper\nhelper.twice(21)",
    );
    assert_eq!(v, json!(42));
}

#[test]
fn sh_run() {
    let sb = Sandbox::builder().build();
    sb.vfs().write("/tmp/n.txt", "3\n1\n2\n").unwrap();
    let v = ok(&run_python(
        &sb,
        r#"
a = sh.run('sort -n /tmp/n.txt; echo err >&2; exit 3')
b = sh.run('pwd; echo "$X"; cat', cwd='/tmp', env={'X': 'ex'}, stdin='in')
c = sh.run('echo made > /tmp/made.txt')
d = sh.run('while true; do :; done', timeout_ms=50)
e = sh.run('cat | od -An -tx1', stdin=b'\x00\xff')
f = sh.run('printf "\\377"')
{'a': [a.stdout, a.stderr, a.status, a.returncode], 'b': b, 'c': c.status,
 'made': fs.read_file('/tmp/made.txt'), 'd': d.status, 'e': e.stdout.split(), 'f': f.stdout}
"#,
    ));
    assert_eq!(v["a"], json!(["1\n2\n3\n", "err\n", 3, 3]));
    assert_eq!(
        v["b"],
        json!({"stdout": "/tmp\nex\nin", "stderr": "", "status": 0})
    );
    assert_eq!(v["c"], 0);
    assert_eq!(v["made"], "made\n");
    assert_eq!(v["d"], 124);
    assert_eq!(v["e"], json!(["00", "ff"]));
    assert_eq!(v["f"], "\u{fffd}");
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
        .tool(Tool::new(
            "send-message",
            "Has a dash.",
            json!({"type": "object"}),
            |_| Ok(json!("sent")),
        ))
        .tool(Tool::new(
            "text",
            "Not JSON.",
            json!({"type": "object"}),
            |_| Ok(json!("plain")),
        ))
        .build();
    let out = run_python(
        &sb,
        r#"
w = tools.get_weather(city='Oslo')
w2 = tools.get_weather({'city': 'Bergen'})
e = tools.call('echo', {'a': [1, {'b': None}]})
e0 = tools.echo()
dash = tools.call('send-message')
names = [[t['name'], t['description'], t['input_schema']['type']] for t in tools.list()]
try:
    tools.get_weather(city='Atlantis')
except ToolError as err:
    failed = [type(err).__name__, str(err), err.tool, err.problem['status'], err.problem['type']]
try:
    tools.call('nope', {})
except ToolError as err:
    undeclared = [err.problem['type'], err.problem['status']]
try:
    tools.nope
except AttributeError as err:
    missing = str(err)
try:
    tools.get_weather({'city': 'x'}, city='y')
except TypeError as err:
    both = str(err)
{'w': w, 'w2': w2['city'], 'e': e, 'e0': e0, 'dash': dash, 'names': names, 'failed': failed,
 'undeclared': undeclared, 'missing': missing, 'both': both,
 'dir': [n for n in dir(tools) if not n.startswith('_')]}
"#,
    );
    let v = ok(&out);
    assert_eq!(
        v["w"],
        json!({"city": "Oslo", "forecast": "sunny", "high": 21})
    );
    assert_eq!(v["w2"], "Bergen");
    assert_eq!(v["e"], json!({"a": [1, {"b": null}]}));
    assert_eq!(v["e0"], json!({}));
    assert_eq!(v["dash"], "sent");
    assert_eq!(
        v["names"],
        json!([
            ["echo", "Echo the arguments.", "object"],
            ["get_weather", "The forecast for a city.", "object"],
            ["send-message", "Has a dash.", "object"],
            ["text", "Not JSON.", "object"]
        ])
    );
    assert_eq!(
        v["failed"],
        json!([
            "ToolError",
            "get_weather: A tool failed (502): get_weather: no such city",
            "get_weather",
            502,
            "urn:agentsh:problem:tool-error"
        ])
    );
    assert_eq!(
        v["undeclared"],
        json!(["urn:agentsh:problem:undeclared-tool", 404])
    );
    assert_eq!(v["missing"], "no tool named 'nope' is declared");
    assert_eq!(
        v["both"],
        "get_weather() takes either one dict or keyword arguments"
    );
    assert_eq!(
        v["dir"],
        json!([
            "call",
            "echo",
            "get_weather",
            "list",
            "send-message",
            "text"
        ])
    );
    // An undeclared tool and a call refused before it reached the host do not count.
    assert_eq!(out.stats.tool_calls, 6);

    // An uncaught tool failure ends the run with the tool's problem in the detail.
    let p = problem(&run_python(&sb, "tools.call('nope')")).clone();
    assert_eq!(p.kind(), Some(ProblemKind::GuestError));
    assert!(
        p.detail.starts_with("ToolError: nope: No such tool (404)"),
        "{}",
        p.detail
    );
    // Arguments that do not match the schema are the tool's error.
    let p = problem(&run_python(&sb, "tools.get_weather(town='Oslo')")).clone();
    assert!(
        p.detail.contains("do not match the tool's schema"),
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
    let out = run_python_async(
        &sb,
        "s = 0\nfor i in range(3):\n    s += tools.slow_add(a=s, b=i)\ns",
    )
    .await;
    // s: 0 + (0 + 0) = 0, 0 + (0 + 1) = 1, 1 + (1 + 2) = 4.
    assert_eq!(ok(&out), json!(4));
}

#[test]
fn print_goes_to_stdout_and_log_to_logs() {
    let out = run_python(
        &Sandbox::builder().build(),
        r#"
import sys
print('plain', 1, True, None, [1])
print('to stderr', file=sys.stderr)
log.info('rows', 3, table='t', n=[1])
log.warn('%d%% done', 50)
log.warning('100% sure')
log.error(ValueError('boom'))
log.debug({'a': 1})
log.trace('fine')
'done'
"#,
    );
    assert_eq!(ok(&out), json!("done"));
    assert_eq!(out.stdout_str(), "plain 1 True None [1]\n");
    assert_eq!(out.stderr_str(), "to stderr\n");
    let lines: Vec<(LogLevel, &str, &Value)> = out
        .logs
        .iter()
        .map(|l| (l.level, l.message.as_str(), &l.fields))
        .collect();
    assert_eq!(
        lines[0],
        (LogLevel::Info, "rows 3", &json!({"table": "t", "n": [1]}))
    );
    assert_eq!(lines[1], (LogLevel::Warn, "50% done", &Value::Null));
    assert_eq!(lines[2], (LogLevel::Warn, "100% sure", &Value::Null));
    assert_eq!(lines[3], (LogLevel::Error, "boom", &Value::Null));
    assert_eq!(lines[4], (LogLevel::Debug, "{'a': 1}", &Value::Null));
    assert_eq!(lines[5], (LogLevel::Trace, "fine", &Value::Null));
    assert_eq!(lines.len(), 6);
}

#[test]
fn each_run_starts_fresh() {
    let sb = Sandbox::builder().build();
    let first = ok(&run_python(
        &sb,
        "import json, random, os\nx = 1\njson.MARK = 'set'\nos.environ['LEAK'] = '1'\nos.chdir('/tmp')\nrandom.random()",
    ));
    let second = ok(&run_python(
        &sb,
        "import json, random, os\n[('x' in globals()), hasattr(json, 'MARK'), os.environ.get('LEAK'), os.getcwd(), random.random()]",
    ));
    assert_eq!(second[0], false);
    assert_eq!(second[1], false);
    assert_eq!(second[2], Value::Null);
    assert_eq!(second[3], "/");
    // The interpreter snapshot's random seed is not reused.
    assert_ne!(second[4], first);
}

#[test]
fn infinite_loop_ends_within_timeout_plus_100ms() {
    runner::python_engine().unwrap();
    let timeout = Duration::from_millis(300);
    let sb = Sandbox::builder().timeout(timeout).build();
    let started = Instant::now();
    let out = run_python(&sb, "while True:\n    pass");
    let took = started.elapsed();
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::Timeout), "{p:?}");
    assert!(took >= timeout, "{took:?}");
    assert!(took < timeout + Duration::from_millis(100), "{took:?}");
}

#[test]
fn allocation_bomb_hits_the_memory_limit() {
    let sb = Sandbox::builder().memory_limit(64 << 20).build();
    let out = run_python(
        &sb,
        "a = []\nwhile True:\n    a.append('x' * (1 << 16) + str(len(a)))",
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::MemoryLimit), "{p:?}");
    assert_eq!(p.limit, Some(64 << 20));
    // One big allocation too.
    let p = problem(&run_python(&sb, "b = bytearray(1 << 30)")).clone();
    assert_eq!(p.kind(), Some(ProblemKind::MemoryLimit), "{p:?}");
}

#[test]
fn tool_call_flood_hits_the_tool_call_limit() {
    let sb = Sandbox::builder()
        .max_tool_calls(20)
        .tool(Tool::new(
            "ping",
            "Pong.",
            json!({"type": "object"}),
            |_| Ok(json!("pong")),
        ))
        .build();
    // Catching everything does not get past the limit.
    let out = run_python(
        &sb,
        "while True:\n    try:\n        tools.ping()\n    except BaseException:\n        pass",
    );
    let p = problem(&out);
    assert_eq!(p.kind(), Some(ProblemKind::ToolCallLimit), "{p:?}");
    assert_eq!(out.stats.tool_calls, 21);
}

#[test]
fn output_and_log_floods_hit_the_output_limit() {
    let sb = Sandbox::builder().max_output(64 << 10).build();
    let out = run_python(&sb, "while True:\n    print('flood line')");
    assert_eq!(problem(&out).kind(), Some(ProblemKind::OutputLimit));
    assert!(out.stdout.len() <= 64 << 10, "{}", out.stdout.len());
    let out = run_python(
        &sb,
        "i = 0\nwhile True:\n    log.info('flood line', i)\n    i += 1",
    );
    assert_eq!(problem(&out).kind(), Some(ProblemKind::OutputLimit));
}

#[test]
fn deep_recursion_is_a_recursion_error_or_a_trap_and_the_sandbox_stays_usable() {
    let sb = Sandbox::builder().build();
    let p = problem(&run_python(&sb, "def f(n):\n    return f(n + 1) + 1\nf(0)")).clone();
    assert_eq!(p.kind(), Some(ProblemKind::GuestError), "{p:?}");
    assert!(
        p.detail
            .starts_with("RecursionError: maximum recursion depth exceeded"),
        "{}",
        p.detail
    );
    assert!(p.detail.contains("[Previous line repeated"), "{}", p.detail);
    // With the limit lifted, the frames (on the heap in CPython 3.14) fill the memory, or
    // the wasm stack ends it: a limit or a trap, not a host crash.
    let p = problem(&run_python(
        &sb,
        "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1) + 1\nf(0)",
    ))
    .clone();
    assert!(
        matches!(
            p.kind(),
            Some(ProblemKind::Trap | ProblemKind::GuestError | ProblemKind::MemoryLimit)
        ),
        "{p:?}"
    );
    // Deeply nested data: json and repr fail cleanly.
    let p = problem(&run_python(
        &sb,
        "x = []\nfor _ in range(100000):\n    x = [x]\nx",
    ))
    .clone();
    assert!(
        matches!(p.kind(), Some(ProblemKind::Trap | ProblemKind::GuestError)),
        "{p:?}"
    );
    assert_eq!(ok(&run_python(&sb, "6 * 7")), json!(42));
}

#[test]
fn no_host_files_are_reachable() {
    let v = py(r#"
import os
r = {'root': sorted(os.listdir('/'))}
for p in ['/etc/passwd', '/proc/self/status', '/root/.cargo/config.toml', '../../etc/passwd', '/python/lib']:
    try:
        open(p).read()
        r[p] = 'READ'
    except OSError as e:
        r[p] = type(e).__name__
r['escape'] = os.path.realpath('/../../..')
r
"#);
    assert_eq!(v["root"], json!(["tmp"]));
    for p in [
        "/etc/passwd",
        "/proc/self/status",
        "/root/.cargo/config.toml",
        "../../etc/passwd",
        "/python/lib",
    ] {
        assert_eq!(v[p], "FileNotFoundError", "{p}");
    }
    assert_eq!(v["escape"], "/");
}

#[test]
fn fresh_and_forked_filesystems_give_the_same_results() {
    let template = fresh_vfs();
    template.create_dir_all("/data", 0o755).unwrap();
    template.write("/data/a.csv", "x,1\ny,2\n").unwrap();
    let script = r#"
import csv
rows = list(csv.reader(open('/data/a.csv')))
fs.write_file('/data/sum.txt', str(sum(int(r[1]) for r in rows)))
ls = sh.run('ls /data; cat /data/sum.txt').stdout
{'rows': rows, 'ls': ls, 'files': fs.glob('/data/*')}
"#;
    let fresh = {
        let vfs = fresh_vfs();
        vfs.create_dir_all("/data", 0o755).unwrap();
        vfs.write("/data/a.csv", "x,1\ny,2\n").unwrap();
        ok(&run_python(&Sandbox::builder().vfs(vfs).build(), script))
    };
    let forked_sb = Sandbox::builder().vfs(template.fork()).build();
    let forked = ok(&run_python(&forked_sb, script));
    assert_eq!(fresh, forked);
    assert_eq!(forked["ls"], "a.csv\nsum.txt\n3");
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

fn tools_block(stubs: &str) -> &str {
    let start = stubs.find("class _Tools:").unwrap();
    &stubs[start..]
}

#[test]
fn python_stubs_from_schemas() {
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
            "send_message",
            "Send a message.\nReturns the message id.",
            json!({
                "type": "object",
                "properties": {
                    "to": {"type": "array", "items": {"type": "string"}},
                    "urgent": {"type": "boolean"},
                    "meta": {
                        "type": "object",
                        "properties": {"tag": {"type": ["string", "null"]}, "x-y": {"type": "number"}},
                        "required": ["tag"]
                    },
                    "extra": {"type": "object", "additionalProperties": {"type": "number"}}
                },
                "required": ["to", "urgent"]
            }),
            |_| Ok(Value::Null),
        ),
        Tool::new(
            "lookup",
            "",
            json!({"type": "object", "properties": {"from": {"type": "string"}}}),
            |_| Ok(Value::Null),
        ),
        Tool::new("ping", "", json!({}), |_| Ok(Value::Null)),
        Tool::new("list", "Clashes with tools.list.", json!({}), |_| {
            Ok(Value::Null)
        }),
        Tool::new("kebab-name", "A dash.", json!({"type": "object"}), |_| {
            Ok(Value::Null)
        }),
    ]);
    let stubs = python_stubs(&set);
    for needle in [
        "class _Fs:",
        "fs: _Fs",
        "sh: _Sh",
        "log: _Log",
        "class ToolError(Exception):",
    ] {
        assert!(stubs.contains(needle), "{needle:?} missing from:\n{stubs}");
    }
    assert!(stubs.contains(
        "class SendMessageMeta(TypedDict):\n    tag: str | None\n"
    ) || stubs.contains("SendMessageMeta = TypedDict(\"SendMessageMeta\", {\n    \"tag\": str | None,\n    \"x-y\": NotRequired[float],\n})\n"), "{stubs}");
    assert!(
        stubs.contains(
            "LookupArgs = TypedDict(\"LookupArgs\", {\n    \"from\": NotRequired[str],\n})\n"
        ) || stubs
            .contains("Lookup = TypedDict(\"Lookup\", {\n    \"from\": NotRequired[str],\n})\n"),
        "{stubs}"
    );
    let expected = r#"class _Tools:
    """The host's tools; each call returns the tool's JSON result and raises
    ToolError when it fails."""
    def get_weather(self, *, city: str, days: int = ..., units: Literal["metric", "imperial"] = ...) -> Any:
        """The forecast for a city.

        Args:
            city: City name.
        """
    # tools.call("kebab-name", args: dict[str, Any]) -> Any
    #   A dash.
    # tools.call("list", args: dict[str, Any]) -> Any
    #   Clashes with tools.list.
    def lookup(self, args: Lookup, /) -> Any:
        ...
    def ping(self, args: dict[str, Any] | None = None, /, **kwargs: Any) -> Any:
        ...
    def send_message(self, *, extra: dict[str, float] = ..., meta: SendMessageMeta = ..., to: list[str], urgent: bool) -> Any:
        """Send a message.
        Returns the message id.
        """
    def call(self, name: str, args: dict[str, Any] | None = None) -> Any:
        """Call a tool by name."""
    def list(self) -> list[dict[str, Any]]:
        """The declared tools: name, description, input_schema."""

tools: _Tools
"#;
    assert_eq!(tools_block(&stubs), expected);
}

#[test]
fn python_stubs_are_valid_python() {
    let set = toolset(vec![weather_tool()]);
    let stubs = python_stubs(&set);
    // The engine's own parser accepts the stub text.
    let code = format!(
        "import ast\nast.parse({})\n'ok'",
        serde_json::to_string(&stubs).unwrap()
    );
    assert_eq!(py(&code), json!("ok"));
}

#[test]
fn python_system_prompt_states_globals_limits_and_stubs() {
    let set = toolset(vec![weather_tool()]);
    let limits = PromptLimits {
        memory: 64 << 20,
        timeout: Duration::from_secs(10),
        max_output: 1 << 20,
    };
    let text = python_system_prompt(&set, &limits);
    for needle in [
        "tools.NAME(arg=value, ...)",
        "`fs`",
        "sh.run(script)",
        "print()",
        "log.info",
        "64 MiB of memory, 10 s of wall time, 1024 KiB",
        "def get_weather(self, *, city: str) -> Any:",
        "```python\n",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

// ----- the python3 shell command ---------------------------------------------------------

fn shell(vfs: &runner::vfs_core::Vfs) -> Shell {
    Shell::with_registry(
        vfs.clone(),
        ShellLimits::default(),
        runner::shell_registry(),
    )
}

struct Ran {
    stdout: String,
    stderr: String,
    status: i32,
}

fn sandbox_sh(script: &str, files: &[(&str, &str)], stdin: &str) -> Ran {
    let vfs = fresh_vfs();
    vfs.create_dir_all("/work", 0o755).unwrap();
    for (path, text) in files {
        vfs.write(format!("/work/{path}"), text.to_string())
            .unwrap();
    }
    let mut sh = shell(&vfs);
    let r = sh.exec_with(
        script,
        ExecOptions {
            stdin: stdin.as_bytes().to_vec(),
            cwd: Some("/work".into()),
            ..Default::default()
        },
    );
    Ran {
        stdout: r.stdout_str(),
        stderr: r.stderr_str(),
        status: r.status,
    }
}

fn host_sh(script: &str, files: &[(&str, &str)], stdin: &str) -> Option<Ran> {
    let dir = tempfile::tempdir().ok()?;
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).ok()?;
    }
    let mut child = std::process::Command::new("bash")
        .args(["-c", script])
        .current_dir(dir.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write as _;
    child.stdin.take()?.write_all(stdin.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    Some(Ran {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    })
}

fn host_has_python3() -> bool {
    std::process::Command::new("python3")
        .arg("-c")
        .arg("pass")
        .status()
        .is_ok_and(|s| s.success())
}

/// A script, the files it finds in its working directory, its standard input.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// Scripts whose output CPython 3.11 (the host's) and the sandbox's 3.14 agree on.
const COMPARED: &[Case] = &[
    ("python3 -c 'print(1 + 1)'", &[], ""),
    ("python3 -c 'import sys; print(sys.argv)' a 'b c'", &[], ""),
    (
        "python3 prog.py x y; echo status=$?",
        &[(
            "prog.py",
            "import sys\nprint(sys.argv[1:], __name__)\nsys.exit(int(sys.argv[1] == 'x') * 5)\n",
        )],
        "",
    ),
    (
        "python3 -c 'import sys; print(sys.stdin.read().upper(), end=\"\")'",
        &[],
        "some input\n",
    ),
    (
        "echo 'print(\"from stdin\")' | python3; echo 'import sys; print(sys.argv)' | python3 - q",
        &[],
        "",
    ),
    (
        "python3 -c 'raise SystemExit(\"bye\")'; echo status=$?",
        &[],
        "",
    ),
    (
        "python3 -c 'import sys; sys.exit(300)'; echo status=$?",
        &[],
        "",
    ),
    ("python3 -c '1/0'; echo status=$?", &[], ""),
    (
        "python3 uses_helper.py",
        &[
            ("uses_helper.py", "import helper\nprint(helper.VALUE * 2)\n"),
            ("helper.py", "VALUE = 21\n"),
        ],
        "",
    ),
    (
        "python3 csvsum.py",
        &[
            (
                "csvsum.py",
                "import csv\nwith open('d.csv') as f:\n    print(sum(int(r['n']) for r in csv.DictReader(f)))\nopen('out.txt', 'w').write('w')\n",
            ),
            ("d.csv", "n\n1\n2\n39\n"),
        ],
        "",
    ),
    (
        "X=exported python3 -c 'import os; print(os.environ[\"X\"], os.getcwd().endswith(\"/\") is False)'",
        &[],
        "",
    ),
    ("python3 missing.py; echo status=$?", &[], ""),
    ("python3 -c 'x = ('; echo status=$?", &[], ""),
    (
        "python3 -c 'import json; print(json.dumps({\"b\": [1, 2.5, None]}, sort_keys=True))'",
        &[],
        "",
    ),
];

#[test]
fn python3_command_agrees_with_the_host_python3() {
    if !host_has_python3() {
        eprintln!("no python3 on the host: skipped");
        return;
    }
    for (script, files, stdin) in COMPARED {
        let ours = sandbox_sh(script, files, stdin);
        let theirs = host_sh(script, files, stdin).unwrap();
        assert_eq!(
            ours.stdout, theirs.stdout,
            "stdout of {script}\nour stderr: {}",
            ours.stderr
        );
        assert_eq!(ours.status, theirs.status, "status of {script}");
        // Tracebacks differ between 3.11 and 3.14 in their carets and the host's paths;
        // the last line (the exception) and the line count must agree.
        let last = |s: &str| s.trim_end().lines().last().unwrap_or("").to_string();
        let (ol, tl) = (last(&ours.stderr), last(&theirs.stderr));
        if script.contains("missing.py") {
            // The path is the host's temporary directory there.
            assert!(ol.starts_with("python3: can't open file '/work/missing.py': [Errno 2] No such file or directory"), "{ol}");
            assert!(
                tl.contains("python3: can't open file '")
                    && tl.ends_with("missing.py': [Errno 2] No such file or directory"),
                "{tl}"
            );
        } else {
            assert_eq!(
                ol, tl,
                "last stderr line of {script}\nours:\n{}\ntheirs:\n{}",
                ours.stderr, theirs.stderr
            );
        }
    }
}

#[test]
fn python3_command_options_and_errors() {
    let r = sandbox_sh("python3 --version; python -V", &[], "");
    let want = format!("Python {}\n", runner::PYTHON_VERSION);
    assert_eq!(r.stdout, want.repeat(2));
    let r = sandbox_sh("python3 -h", &[], "");
    assert!(r.stdout.starts_with("usage: python3 "), "{}", r.stdout);
    let r = sandbox_sh("python3 -z", &[], "");
    assert_eq!(r.status, 2);
    assert!(r.stderr.starts_with("Unknown option: -z\n"), "{}", r.stderr);
    let r = sandbox_sh("python3 -c", &[], "");
    assert_eq!(r.status, 2);
    let r = sandbox_sh("python3 -m json.tool", &[], "");
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("-m MODULE is not supported"),
        "{}",
        r.stderr
    );
    let r = sandbox_sh("python3 /tmp", &[], "");
    assert_eq!(
        (r.status, r.stderr.as_str()),
        (1, "python3: can't find '__main__' module in '/tmp'\n")
    );
    // A traceback names the script and shows its line.
    let r = sandbox_sh(
        "python3 bad.py",
        &[("bad.py", "x = 1\ndef f():\n    return x / 0\nf()\n")],
        "",
    );
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.starts_with(
            "Traceback (most recent call last):\n  File \"/work/bad.py\", line 4, in <module>\n"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("    return x / 0\n"), "{}", r.stderr);
    assert!(
        r.stderr.ends_with("ZeroDivisionError: division by zero\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("agentsh_engine"), "{}", r.stderr);
    // fs, sh and log are there too; log lines go to stderr; files land on the shell's VFS.
    let r = sandbox_sh(
        "python3 -c 'fs.write_file(\"made.txt\", sh.run(\"echo $PWD\", cwd=\"/work\").stdout); log.info(\"noted\")'; cat /work/made.txt",
        &[],
        "",
    );
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        ("/work\n", "noted\n", 0)
    );
    // A pipeline: python3 reads and writes like any command.
    let r = sandbox_sh(
        "printf '3\\n1\\n2\\n' | python3 -c 'import sys; print(sorted(int(l) for l in sys.stdin))' | tr -d '[]'",
        &[],
        "",
    );
    assert_eq!(r.stdout, "1, 2, 3\n");
}

#[test]
fn python3_command_limits_exit_124() {
    let vfs = fresh_vfs();
    let mut sh = Shell::with_registry(
        vfs,
        ShellLimits {
            timeout: Duration::from_millis(500),
            ..Default::default()
        },
        Arc::clone(&runner::shell_registry()),
    );
    let started = Instant::now();
    let r = sh.exec("python3 -c 'while True: pass'; echo status=$?");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.status, 124, "{}", r.stderr_str());
}

#[test]
fn argv_and_environment_are_the_sandboxes() {
    let sb = Sandbox::builder()
        .args(["a", "b c"])
        .env("MODE", "test")
        .build();
    let v = ok(&run_python(
        &sb,
        "import os, sys\n[sys.argv, os.environ.get('MODE'), os.getcwd()]",
    ));
    assert_eq!(v, json!([["<program>", "a", "b c"], "test", "/"]));
}

#[test]
fn sleeping_past_the_timeout_ends_on_time() {
    runner::python_engine().unwrap();
    let timeout = Duration::from_millis(300);
    let sb = Sandbox::builder().timeout(timeout).build();
    for code in [
        "import time\ntime.sleep(3600)",
        "import select\nselect.select([], [], [], 3600)",
        "import time\nwhile True:\n    time.sleep(0.001)",
    ] {
        let started = Instant::now();
        let out = run_python(&sb, code);
        let took = started.elapsed();
        let p = problem(&out);
        assert_eq!(p.kind(), Some(ProblemKind::Timeout), "{code}: {p:?}");
        assert!(took >= timeout, "{code}: {took:?}");
        assert!(
            took < timeout + Duration::from_millis(100),
            "{code}: {took:?}"
        );
    }
    // A sleep within the time sleeps as long as asked, on a clock that agrees.
    let v = ok(&run_python(
        &sb,
        "import time\nt = time.monotonic()\ntime.sleep(0.05)\ntime.monotonic() - t",
    ));
    let slept = v.as_f64().unwrap();
    assert!((0.05..0.25).contains(&slept), "{slept}");
}

#[test]
fn the_sales_report_example_totals_the_csv_files() {
    // examples/codemode/sales_report.py over its example data, as agentsh would mount it.
    let sb = Sandbox::builder().build();
    let vfs = sb.vfs();
    vfs.create_dir_all("/data", 0o755).unwrap();
    for name in ["q1.csv", "q2.csv"] {
        let text = std::fs::read_to_string(format!(
            "{}/../../examples/codemode/data/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        vfs.write(format!("/data/{name}"), text).unwrap();
    }
    let out = run_python(
        &sb,
        include_str!("../../../examples/codemode/sales_report.py"),
    );
    assert_eq!(
        ok(&out),
        json!({
            "files": 2,
            "top_region": "south",
            "revenue": {"east": "12.50", "north": "205.00", "south": "250.00"},
            "skipped": ["/data/q2.csv:4"],
        })
    );
    assert_eq!(out.stdout_str(), "2 files, top region: south\n");
    assert_eq!(
        vfs.read_to_string("/out/by_region.csv").unwrap(),
        "region,revenue\r\nsouth,250.00\r\nnorth,205.00\r\neast,12.50\r\n"
    );
    let products: Value =
        serde_json::from_str(&vfs.read_to_string("/out/by_product.json").unwrap()).unwrap();
    assert_eq!(products, json!({"boots": 7, "umbrella": 15}));
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].message, "skipped rows");
    assert_eq!(out.logs[0].fields, json!({"rows": ["/data/q2.csv:4"]}));
}

//! The command line: options, the script to run, and the usage text.
//!
//! Options come first; the first word that is not an option ends them, as with bash
//! (`agentsh --json -c 'echo $1' name arg`). `--opt VALUE` and `--opt=VALUE` are both
//! accepted. A first word `run` selects the `run` subcommand (for WASM components; a
//! script file called `run` is still reachable as `./run`).

use crate::limits::{LIMIT_OPTIONS, LimitArgs};
use crate::mounts::{ExportSpec, MountSpec};

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Print the usage and exit.
    Help,
    /// Print the version and exit.
    Version,
    /// Run a shell session (a script, or interactively).
    Shell(Box<ShellArgs>),
    /// `agentsh run FILE.wasm [ARGS...]`: run a component (needs the runner).
    Run(Box<RunArgs>),
    /// `agentsh codemode --print-types|--print-prompt [--tool NAME=SCRIPT]...`.
    Codemode(Box<RunArgs>),
}

/// Where the script comes from.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Script {
    /// `-c SCRIPT [NAME [ARG]...]`.
    Inline {
        /// The script text.
        text: String,
        /// `$0`.
        name: String,
        /// `$1`...
        args: Vec<String>,
    },
    /// `FILE [ARG]...`: a host file read once.
    File {
        /// The host path.
        path: String,
        /// `$1`...
        args: Vec<String>,
    },
    /// Neither: standard input (a script when it is not a terminal, else interactive).
    #[default]
    Stdin,
}

/// Options of a shell session.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ShellArgs {
    /// `--mount`, in order.
    pub mounts: Vec<MountSpec>,
    /// `--export`, in order.
    pub exports: Vec<ExportSpec>,
    /// `--workdir`.
    pub workdir: Option<String>,
    /// `--env K=V`, in order.
    pub env: Vec<(String, String)>,
    /// `--history FILE`.
    pub history: Option<String>,
    /// `--json`.
    pub json: bool,
    /// Limit options.
    pub limits: LimitArgs,
    /// The script.
    pub script: Script,
}

/// Options of `agentsh run`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RunArgs {
    /// The component file on the host.
    pub file: String,
    /// Arguments after `--` (a command's argv[1..]).
    pub args: Vec<String>,
    /// `--input TEXT`.
    pub input: Option<String>,
    /// `--input-file HOSTFILE`.
    pub input_file: Option<String>,
    /// `--tool NAME=SCRIPT`, in order.
    pub tools: Vec<(String, String)>,
    /// `--guest-memory SIZE` (linear memory of the guest).
    pub guest_memory: Option<u64>,
    /// `--fuel N`.
    pub fuel: Option<u64>,
    /// The shell options that also apply (mounts, exports, env, --json, limits).
    pub shell: ShellArgs,
    /// `agentsh js|ts|python`: run a code-mode program (FILE is a script, or `-e CODE`,
    /// `-c CODE` for Python) in that language instead of a component; with `agentsh
    /// codemode`, the `--lang` to describe.
    pub lang: Option<Lang>,
    /// `agentsh js|ts -e CODE` or `agentsh python -c CODE`.
    pub code: Option<String>,
    /// `agentsh codemode`: what to print (`types` or `prompt`).
    pub print: Option<String>,
}

/// The language of a code-mode program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `agentsh js`.
    JavaScript,
    /// `agentsh ts`: types stripped on the host, then run as JavaScript.
    TypeScript,
    /// `agentsh python`: CPython in its own engine guest.
    Python,
}

impl Lang {
    /// The subcommand's name.
    pub fn command(self) -> &'static str {
        match self {
            Lang::JavaScript => "js",
            Lang::TypeScript => "ts",
            Lang::Python => "python",
        }
    }

    /// The option that gives the program's text.
    pub fn code_option(self) -> &'static str {
        match self {
            Lang::Python => "-c",
            _ => "-e",
        }
    }
}

/// A command-line mistake, shown with a hint to `--help`.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parse the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, UsageError> {
    if args.first().map(String::as_str) == Some("run") {
        return parse_run(&args[1..], None);
    }
    if args.first().map(String::as_str) == Some("js") {
        return parse_run(&args[1..], Some(Lang::JavaScript));
    }
    if args.first().map(String::as_str) == Some("ts") {
        return parse_run(&args[1..], Some(Lang::TypeScript));
    }
    if args.first().map(String::as_str) == Some("python") {
        return parse_run(&args[1..], Some(Lang::Python));
    }
    if args.first().map(String::as_str) == Some("codemode") {
        return parse_codemode(&args[1..]);
    }
    let mut sa = ShellArgs::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        if arg == "-c" {
            let text = args
                .get(i + 1)
                .ok_or_else(|| UsageError("-c: option requires an argument".into()))?;
            let name = args.get(i + 2).cloned().unwrap_or_else(|| "agentsh".into());
            let rest = args
                .get(i + 3..)
                .map(<[String]>::to_vec)
                .unwrap_or_default();
            sa.script = Script::Inline {
                text: text.clone(),
                name,
                args: rest,
            };
            return Ok(Command::Shell(Box::new(sa)));
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        // Flags without a value.
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--json" => {
                if inline.is_some() {
                    return Err(UsageError("--json: takes no value".into()));
                }
                sa.json = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let takes_value = matches!(
            name,
            "--mount" | "--export" | "--workdir" | "--env" | "--history"
        ) || LIMIT_OPTIONS.iter().any(|o| o.name == name);
        if !takes_value {
            return Err(UsageError(format!("{name}: invalid option")));
        }
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i)
                    .cloned()
                    .ok_or_else(|| UsageError(format!("{name}: option requires an argument")))?
            }
        };
        i += 1;
        match name {
            "--mount" => sa
                .mounts
                .push(MountSpec::parse(&value).map_err(UsageError)?),
            "--export" => sa
                .exports
                .push(ExportSpec::parse(&value).map_err(UsageError)?),
            "--workdir" => {
                if !value.starts_with('/') {
                    return Err(UsageError(format!(
                        "--workdir {value}: must be an absolute path in the sandbox"
                    )));
                }
                sa.workdir = Some(value);
            }
            "--env" => match value.split_once('=') {
                Some((k, v)) if is_name(k) => sa.env.push((k.to_string(), v.to_string())),
                _ => {
                    return Err(UsageError(format!(
                        "--env {value}: expected NAME=VALUE with a valid variable name"
                    )));
                }
            },
            "--history" => sa.history = Some(value),
            _ => sa.limits.set(name, &value).map_err(UsageError)?,
        }
    }
    if let Some(path) = args.get(i) {
        sa.script = Script::File {
            path: path.clone(),
            args: args[i + 1..].to_vec(),
        };
    }
    Ok(Command::Shell(Box::new(sa)))
}

fn parse_run(args: &[String], lang: Option<Lang>) -> Result<Command, UsageError> {
    let mut ra = RunArgs {
        lang,
        ..Default::default()
    };
    let mut shell_opts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            ra.args.extend(args[i + 1..].iter().cloned());
            break;
        }
        if let Some(l) = lang
            && a == l.code_option()
        {
            let code = args.get(i + 1).ok_or_else(|| {
                UsageError(format!("{}: {a}: option requires an argument", l.command()))
            })?;
            ra.code = Some(code.clone());
            i += 2;
            continue;
        }
        if !a.starts_with("--") {
            if !ra.file.is_empty() {
                return Err(UsageError(format!(
                    "run: {a}: unexpected argument (guest arguments go after --)"
                )));
            }
            if a.starts_with('-') && a != "-" {
                return Err(UsageError(format!("run: {a}: invalid option")));
            }
            ra.file = a.to_string();
            i += 1;
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a, None),
        };
        if name == "--json" || name == "--help" {
            shell_opts.push(a.to_string());
            i += 1;
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i).cloned().ok_or_else(|| {
                    UsageError(format!("run: {name}: option requires an argument"))
                })?
            }
        };
        i += 1;
        match name {
            "--input" => ra.input = Some(value),
            "--input-file" => ra.input_file = Some(value),
            "--tool" => match value.split_once('=') {
                Some((n, script)) if !n.is_empty() => {
                    ra.tools.push((n.to_string(), script.to_string()));
                }
                _ => {
                    return Err(UsageError(format!(
                        "run: --tool {value}: expected NAME=SCRIPT"
                    )));
                }
            },
            "--guest-memory" => {
                ra.guest_memory = Some(crate::limits::parse_size(&value).ok_or_else(|| {
                    UsageError(format!("run: --guest-memory {value}: invalid size"))
                })?);
            }
            "--fuel" => {
                ra.fuel = Some(
                    value
                        .parse()
                        .map_err(|_| UsageError(format!("run: --fuel {value}: invalid number")))?,
                );
            }
            _ => {
                shell_opts.push(name.to_string());
                shell_opts.push(value);
            }
        }
    }
    match parse(&shell_opts)? {
        Command::Shell(sa) => ra.shell = *sa,
        Command::Help => return Ok(Command::Help),
        _ => return Err(UsageError("run: invalid options".into())),
    }
    if let Some(l) = lang
        && ra.file.is_empty() == ra.code.is_none()
    {
        return Err(UsageError(format!(
            "{}: give either {} CODE or a FILE",
            l.command(),
            l.code_option()
        )));
    }
    if lang.is_none() && ra.file.is_empty() {
        return Err(UsageError("run: a FILE.wasm is required".into()));
    }
    if ra.input.is_some() && ra.input_file.is_some() {
        return Err(UsageError(
            "run: --input and --input-file cannot be used together".into(),
        ));
    }
    Ok(Command::Run(Box::new(ra)))
}

/// `agentsh codemode (--print-types | --print-prompt) [--lang js|python] [OPTION]...`:
/// the run options (`--tool`, limits) without a program.
fn parse_codemode(args: &[String]) -> Result<Command, UsageError> {
    let mut print = None;
    let mut lang = Lang::JavaScript;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let name = match a.as_str() {
            "--print-types" => {
                print = Some("types".to_string());
                continue;
            }
            "--print-prompt" => {
                print = Some("prompt".to_string());
                continue;
            }
            "--lang" => it.next().map(String::as_str).unwrap_or(""),
            l if l.starts_with("--lang=") => &l["--lang=".len()..],
            _ => {
                rest.push(a.clone());
                continue;
            }
        };
        lang = match name {
            "python" | "py" => Lang::Python,
            "js" | "javascript" => Lang::JavaScript,
            "ts" | "typescript" => Lang::TypeScript,
            other => {
                return Err(UsageError(format!(
                    "codemode: --lang {other}: expected js, ts or python"
                )));
            }
        };
    }
    let Some(print) = print else {
        return Err(UsageError(
            "codemode: give --print-types or --print-prompt".into(),
        ));
    };
    rest.push("-e".into());
    rest.push(String::new());
    match parse_run(&rest, Some(Lang::JavaScript))? {
        Command::Run(mut ra) => {
            ra.print = Some(print);
            ra.lang = Some(lang);
            Ok(Command::Codemode(ra))
        }
        other => Ok(other),
    }
}

/// A shell variable name.
fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c == b'_' || c.is_ascii_alphabetic())
        && b.all(|c| c == b'_' || c.is_ascii_alphanumeric())
}

/// The man-style usage (`--help`).
pub fn usage() -> String {
    let mut s = String::from(
        "\
NAME
    agentsh - a bash-like shell over a fresh in-memory filesystem

SYNOPSIS
    agentsh [OPTION]... [-c SCRIPT [NAME [ARG]...] | FILE [ARG]...]
    agentsh run [OPTION]... FILE.wasm [-- ARG...]
    agentsh js [OPTION]... (-e CODE | FILE)
    agentsh ts [OPTION]... (-e CODE | FILE)
    agentsh python [OPTION]... (-c CODE | FILE) [-- ARG...]
    agentsh codemode (--print-types | --print-prompt) [--lang js|ts|python] [--tool NAME=SCRIPT]...

DESCRIPTION
    Every session starts on an empty in-memory filesystem (/tmp, /root, /home, /bin,
    /usr/bin) that vanishes on exit. Nothing on the host is read except what --mount
    names, and nothing is written except what --export names.

    -c SCRIPT     run SCRIPT; NAME becomes $0 and ARGs $1...
    FILE          run the host file FILE as a script (read once; the script itself only
                  ever sees the in-memory filesystem)
    (neither)     with a terminal on standard input: an interactive session (line
                  editing, history, multi-line input, tab completion; Ctrl-C cancels
                  the running command, Ctrl-D or `exit` leaves); otherwise the script is
                  read from standard input

OPTIONS
    --mount HOST:GUEST[:ro|:rw]
                  copy the host directory HOST into the sandbox at GUEST (an absolute
                  path) before the script starts; repeatable. ro (the default): the copy
                  is read-only as a read-only mount is: every change in it fails with
                  EROFS (Read-only file system), even for root; rw: the sandbox may
                  change the copy. Either way nothing is ever written back to HOST;
                  symlinks are copied as symlinks and never followed.
    --export GUEST:HOST
                  when the session ends, write the sandbox directory GUEST into the host
                  directory HOST (created if missing; existing files are replaced);
                  repeatable. Refuses to write through or follow a host symlink and
                  skips symlinks made in the sandbox, so nothing lands outside HOST.
    --workdir DIR  start in the sandbox directory DIR (created if missing;
                  default: /root)
    --env NAME=VALUE
                  set and export a variable; repeatable
    --history FILE
                  interactive history is loaded from and saved to the host file FILE
                  (default: kept in memory only)
    --json        run the script without streaming and print one JSON document on
                  standard output: {\"stdout\", \"stderr\", \"status\", \"stats\"}, or an
                  RFC 9457 problem detail ({\"type\", \"title\", \"status\", \"detail\"})
                  when the run failed (see EXIT STATUS)
    -h, --help    show this help and exit
    -V, --version show the version and exit

RUN
    agentsh run [OPTION]... FILE.wasm [-- ARG...] runs a WebAssembly component on a
    fresh in-memory filesystem (with --mount, --export, --env, --json and the limits
    above and below). An agent (the agent world of wit/sandbox.wit) gets the input as
    the argument of run and its result is printed on standard output; a WASI command
    (fn main built for wasm32-wasip2) gets ARGs, the input as standard input, and its
    exit status becomes agentsh's. Inside a session, the wasm command does the same for
    a component stored in the sandbox filesystem: wasm [--input TEXT] FILE [ARG]...
    --input TEXT  the input (default: standard input when it is not a terminal)
    --input-file HOSTFILE
                  read the input from a host file
    --tool NAME=SCRIPT
                  declare a tool the agent may call: SCRIPT runs in the sandbox's shell
                  with the JSON arguments on standard input and in $1; its standard
                  output (JSON, or else a string) is the result, a non-zero status an
                  error; repeatable. No other tool exists for the guest.
    --guest-memory SIZE
                  the guest's linear memory limit (default: 128M)
    --fuel N      a deterministic budget of N fuel units (default: none)
    --timeout and --max-output limit the run as they limit a script.
    agentsh js [OPTION]... (-e CODE | FILE) runs JavaScript (QuickJS, code mode) with
    the same options: globals fs, sh, tools (from --tool) and console; console.log goes
    to standard output, warn and error to standard error, and the value of the last
    expression, when not null, is printed as JSON. Inside a session: node -e CODE.
    agentsh ts runs TypeScript the same way: its types are stripped (oxc's parser and
    transformer; enums and namespaces compiled) and error positions point into it.
    agentsh python [OPTION]... (-c CODE | FILE) [-- ARG...] runs Python (CPython 3.14,
    code mode) with the same options: globals fs, sh, tools (from --tool) and log;
    print goes to standard output, log lines to standard error, ARGs to sys.argv[1:],
    and the value of the last expression (or of a top-level return), when not None, is
    printed as JSON. Inside a session: python3 -c CODE or python3 FILE.
    agentsh codemode --print-types prints the TypeScript declarations of fs, sh,
    console and the --tool tools for a model's prompt (with --lang python: Python
    stubs of fs, sh, log and the tools); --print-prompt prints a short system prompt
    with them and the limits (--timeout, --guest-memory, --max-output).

LIMITS
    Each limit applies to one script, or to one command line in an interactive
    session. SIZE takes a K, M or G suffix (powers of 1024); DURATION takes ms, s, m or
    h (default: seconds).
",
    );
    for o in LIMIT_OPTIONS {
        let head = format!("    {} {}", o.name, o.metavar);
        s.push_str(&format!("{head:<32}{} (default: {})\n", o.help, o.default));
    }
    s.push_str(
        "
EXIT STATUS
    Without --json: the script's status, as bash's (the last command's, or exit's);
    2 for usage and syntax errors; 124 when a limit stopped the script; 125 when a
    --mount or --export failed; 126/127 when FILE cannot be read; 130 after Ctrl-C.
    With --json: 0 when the document is a result (the script's own status is its
    \"status\"); for a problem detail: 64 usage error, 65 syntax error, 66 bad mount,
    73 export failed, 124 limit exceeded.

EXAMPLE
    agentsh --mount ./data:/data:ro --export /out:./out -c 'mkdir -p /out; wc -l /data/* > /out/counts'
",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Result<Command, UsageError> {
        parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options_then_script() {
        let Ok(Command::Shell(sa)) = p(&[
            "--json",
            "--env=A=1",
            "--workdir",
            "/w",
            "-c",
            "echo $1",
            "n",
            "x",
        ]) else {
            panic!("not a shell command");
        };
        assert!(sa.json);
        assert_eq!(sa.env, vec![("A".to_string(), "1".to_string())]);
        assert_eq!(sa.workdir.as_deref(), Some("/w"));
        assert_eq!(
            sa.script,
            Script::Inline {
                text: "echo $1".into(),
                name: "n".into(),
                args: vec!["x".into()]
            }
        );
    }

    #[test]
    fn file_ends_options() {
        let Ok(Command::Shell(sa)) = p(&["f.sh", "--json"]) else {
            panic!("not a shell command");
        };
        assert!(!sa.json);
        assert_eq!(
            sa.script,
            Script::File {
                path: "f.sh".into(),
                args: vec!["--json".into()]
            }
        );
    }

    #[test]
    fn mistakes() {
        assert!(p(&["--nope"]).is_err());
        assert!(p(&["-c"]).is_err());
        assert!(p(&["--env", "1A=2"]).is_err());
        assert!(p(&["--workdir", "rel"]).is_err());
        assert!(p(&["--timeout", "soon"]).is_err());
        assert!(p(&["--json=1"]).is_err());
        assert!(p(&["run"]).is_err());
    }

    #[test]
    fn run_subcommand() {
        assert_eq!(
            p(&["run", "a.wasm", "--", "-x"]),
            Ok(Command::Run(Box::new(RunArgs {
                file: "a.wasm".into(),
                args: vec!["-x".into()],
                ..Default::default()
            })))
        );
        let Ok(Command::Run(ra)) = p(&[
            "run",
            "--json",
            "--tool",
            "echo=cat",
            "--mount=/h:/g",
            "x.wasm",
            "--input",
            "hi",
            "--timeout",
            "2s",
            "--fuel=99",
        ]) else {
            panic!("not a run");
        };
        assert!(ra.shell.json);
        assert_eq!(ra.tools, vec![("echo".to_string(), "cat".to_string())]);
        assert_eq!(ra.input.as_deref(), Some("hi"));
        assert_eq!(ra.fuel, Some(99));
        assert_eq!(ra.shell.mounts.len(), 1);
        assert_eq!(
            ra.shell.limits.shell.timeout,
            std::time::Duration::from_secs(2)
        );
        assert!(p(&["run", "a.wasm", "b"]).is_err());
        // `python -c CODE` (not `-e`), FILE and arguments after `--`.
        let Ok(Command::Run(ra)) = p(&["python", "-c", "1", "--timeout", "2s", "--", "a"]) else {
            panic!("not a run");
        };
        assert_eq!(ra.lang, Some(Lang::Python));
        assert_eq!(
            (ra.code.as_deref(), ra.args.as_slice()),
            (Some("1"), &["a".to_string()][..])
        );
        assert!(p(&["python", "-e", "1"]).is_err());
        assert!(p(&["python"]).is_err());
        assert!(p(&["python", "-c", "1", "f.py"]).is_err());
        let Ok(Command::Codemode(ra)) = p(&["codemode", "--print-types", "--lang", "python"])
        else {
            panic!("not codemode");
        };
        assert_eq!(ra.lang, Some(Lang::Python));
        let Ok(Command::Codemode(ra)) = p(&["codemode", "--lang=js", "--print-prompt"]) else {
            panic!("not codemode");
        };
        assert_eq!(ra.lang, Some(Lang::JavaScript));
        assert!(p(&["codemode", "--print-types", "--lang", "ruby"]).is_err());
        assert!(p(&["run", "--tool", "x", "a.wasm"]).is_err());
        assert!(p(&["run", "--bogus", "1", "a.wasm"]).is_err());
    }
}

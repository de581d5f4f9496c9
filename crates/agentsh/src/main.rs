//! `agentsh`: the command-line front end. It parses arguments, calls the libraries and maps
//! the result to output and an exit status; it holds no logic of its own.
//!
//! Every run starts on a fresh in-memory filesystem with `/tmp` (mode 1777), a home
//! directory `/root` that is also the working directory, and `/usr/bin` and `/bin`.

use std::io::{Read, Write};
use std::process::ExitCode;

use runner::shell::vfs_core::Vfs;
use runner::shell::{ExecOptions, Shell};

const USAGE: &str = "\
Usage: agentsh [OPTION]... [-c SCRIPT [NAME [ARG]...] | FILE [ARG]...]

Run a bash script over a fresh in-memory filesystem that vanishes on exit.

  -c SCRIPT     run SCRIPT; NAME becomes $0 and ARGs $1...
  FILE          run the host file FILE as a script (read once; the script itself
                only ever sees the in-memory filesystem)
  (neither)     read the script from standard input
  -h, --help    show this help and exit
  -V, --version show the version and exit

Exit status: the script's, as bash's; 2 for usage errors and syntax errors;
124 when a limit (time, output, memory...) stopped the script.
";

fn fresh_vfs() -> Vfs {
    let mut fs = Vfs::new();
    for (dir, mode) in [
        ("/tmp", 0o1777),
        ("/root", 0o700),
        ("/usr/bin", 0o755),
        ("/bin", 0o755),
        ("/home", 0o755),
    ] {
        let _ = fs.create_dir_all(dir, 0o755);
        let _ = fs.chmod(dir, mode);
    }
    let _ = fs.set_cwd("/root");
    fs
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    match args.first().map(String::as_str) {
        Some("-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("agentsh {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some("--") => i = 1,
        _ => {}
    }
    let rest = &args[i..];
    let (script, name, script_args, dash_c) = match rest.first().map(String::as_str) {
        Some("-c") => {
            let Some(s) = rest.get(1) else {
                eprintln!("agentsh: -c: option requires an argument");
                return ExitCode::from(2);
            };
            let name = rest.get(2).cloned().unwrap_or_else(|| "agentsh".into());
            (
                s.clone(),
                name,
                rest.get(3..).map(<[String]>::to_vec).unwrap_or_default(),
                true,
            )
        }
        Some(opt) if opt.starts_with('-') && opt.len() > 1 => {
            eprintln!("agentsh: {opt}: invalid option");
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
        Some(file) => match std::fs::read(file) {
            Ok(b) => (
                String::from_utf8_lossy(&b).into_owned(),
                file.to_string(),
                rest[1..].to_vec(),
                false,
            ),
            Err(e) => {
                eprintln!("agentsh: {file}: {}", e.kind());
                return ExitCode::from(127);
            }
        },
        None => {
            let mut s = String::new();
            if std::io::stdin().read_to_string(&mut s).is_err() {
                eprintln!("agentsh: cannot read the script from standard input");
                return ExitCode::from(2);
            }
            (s, "agentsh".into(), Vec::new(), false)
        }
    };
    let mut sh = Shell::new(fresh_vfs());
    sh.set_name(&name);
    sh.set_args(script_args);
    sh.set_dash_c(dash_c);
    sh.set_var("PWD", "/root", true);
    let on_out = std::sync::Arc::new(|b: &[u8]| {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(b);
        let _ = o.flush();
    });
    let on_err = std::sync::Arc::new(|b: &[u8]| {
        let _ = std::io::stderr().lock().write_all(b);
    });
    let opts = ExecOptions {
        on_stdout: Some(on_out),
        on_stderr: Some(on_err),
        ..Default::default()
    };
    let r = sh.exec_with(&script, opts);
    if let Some(l) = r.limit {
        // The limit message was added after the stream; print it now.
        let _ = l;
        let tail = format!("agentsh: {} exceeded\n", l.name());
        if r.stderr.ends_with(tail.as_bytes()) {
            let _ = std::io::stderr().write_all(tail.as_bytes());
        }
    }
    ExitCode::from((r.status & 255) as u8)
}

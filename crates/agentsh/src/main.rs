//! `agentsh`: the command-line front end. It parses arguments, calls the libraries and maps
//! errors to exit statuses; it holds no logic of its own.

use std::process::ExitCode;

const USAGE: &str = "\
Usage: agentsh [--help] [--version]
       agentsh -c SCRIPT [NAME [ARGS...]]     (not supported yet: shell issue)

An interactive shell and command-line tool over a fresh in-memory filesystem.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            println!("agentsh {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("agentsh: not supported yet: the shell interpreter is not built");
            ExitCode::from(2)
        }
    }
}

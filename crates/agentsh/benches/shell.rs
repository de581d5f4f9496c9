//! agentsh against real bash on the same scripts, measured in one run:
//! `cargo bench -p agentsh --bench shell`. Each group has an `agentsh` and a `bash`
//! variant; the README reports their ratio.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use runner::shell::Shell;
use runner::shell::vfs_core::Vfs;
use std::process::Command;

fn main() {
    divan::main();
}

const LOOP: &str = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo $i";
const FUNCS: &str =
    "f() { local x=$1; echo $((x+1)) >/dev/null; }; for ((i=0;i<20000;i++)); do f $i; done";
const STRINGS: &str = "s=''; for ((i=0;i<20000;i++)); do x=\"path/to/file$i.tar.gz\"; b=${x##*/}; e=${b%%.*}; u=${e^^}; s=${u/FILE/f}; done; echo $s";

const CMDSUBS: &str = "for ((i=0;i<5000;i++)); do x=$(echo $i); done; echo $x";

fn bash(script: &str) -> std::process::Output {
    Command::new("bash").arg("-c").arg(script).output().unwrap()
}

fn in_process(script: &str) -> runner::shell::ExecResult {
    let mut sh = Shell::new(Vfs::new());
    sh.exec(script)
}

mod whole_process_echo {
    use super::*;

    #[divan::bench(sample_count = 50)]
    fn agentsh() {
        let out = Command::new(env!("CARGO_BIN_EXE_agentsh"))
            .args(["-c", "echo hi"])
            .output()
            .unwrap();
        assert_eq!(out.stdout, b"hi\n");
    }

    #[divan::bench(sample_count = 50)]
    fn bash() {
        assert_eq!(super::bash("echo hi").stdout, b"hi\n");
    }
}

#[divan::bench(sample_count = 200)]
fn fresh_in_process_shell_echo() {
    let r = in_process("echo hi");
    assert_eq!(r.stdout, b"hi\n");
}

mod loop_100k {
    use super::*;

    #[divan::bench(sample_count = 5)]
    fn agentsh() {
        assert_eq!(in_process(LOOP).stdout, b"100000\n");
    }

    #[divan::bench(sample_count = 5)]
    fn bash() {
        assert_eq!(super::bash(LOOP).stdout, b"100000\n");
    }
}

mod function_calls_20k {
    use super::*;

    #[divan::bench(sample_count = 5)]
    fn agentsh() {
        assert_eq!(in_process(FUNCS).status, 0);
    }

    #[divan::bench(sample_count = 5)]
    fn bash() {
        assert!(super::bash(FUNCS).status.success());
    }
}

mod parameter_expansion_20k {
    use super::*;

    #[divan::bench(sample_count = 5)]
    fn agentsh() {
        assert_eq!(in_process(STRINGS).stdout, b"f19999\n");
    }

    #[divan::bench(sample_count = 5)]
    fn bash() {
        assert_eq!(super::bash(STRINGS).stdout, b"f19999\n");
    }
}

mod command_substitution_5k {
    use super::*;

    #[divan::bench(sample_count = 5)]
    fn agentsh() {
        assert_eq!(in_process(CMDSUBS).stdout, b"4999\n");
    }

    #[divan::bench(sample_count = 5)]
    fn bash() {
        assert_eq!(super::bash(CMDSUBS).stdout, b"4999\n");
    }
}

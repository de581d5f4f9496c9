//! The interactive session in a real pseudo-terminal (rexpect): multi-line input, tab
//! completion of filesystem paths, Ctrl-C during a running command, history recall
//! (in memory and with `--history`), Ctrl-D and `exit` statuses, the EXIT trap once at
//! the end of the session.
//!
//! Every step waits for output (the prompt, a marker) rather than sleeping, with
//! generous timeouts for loaded machines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use rexpect::process::WaitStatus;
use rexpect::session::PtySession;

/// Each expectation may take this long on a loaded machine.
const TIMEOUT_MS: u64 = 60_000;

const PROMPT: &str = "agentsh:/root$ ";

fn spawn(args: &[&str]) -> PtySession {
    let mut c = Command::new(env!("CARGO_BIN_EXE_agentsh"));
    c.args(args).env("TERM", "xterm").env_remove("NO_COLOR");
    let mut p = rexpect::session::spawn_command(c, Some(TIMEOUT_MS)).unwrap();
    p.exp_string(PROMPT).unwrap();
    p
}

fn exit_code(p: &PtySession) -> i32 {
    match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("agentsh did not exit normally: {other:?}"),
    }
}

#[test]
fn multi_line_for_loop() {
    let mut p = spawn(&[]);
    p.send_line("for i in 1 2 3").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("do echo item$i").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("done").unwrap();
    p.exp_string("item1").unwrap();
    p.exp_string("item2").unwrap();
    p.exp_string("item3").unwrap();
    p.exp_string(PROMPT).unwrap();
    // An open quote and a here-document continue too.
    p.send_line("echo \"a").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("b\" | tr ab AB").unwrap();
    p.exp_string("A\r\nB").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("cat <<END").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("heredoc-body").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("END").unwrap();
    p.exp_string("heredoc-body").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
}

#[test]
fn tab_completes_a_filesystem_path() {
    let mut p = spawn(&[]);
    p.send_line("mkdir -p /tmp/zdir; echo completed-content > /tmp/zdir/unique_file.txt")
        .unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send("cat /tmp/zd").unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    // The directory completes with its slash; then the file, with a space.
    p.exp_string("zdir/").unwrap();
    p.send("un\t").unwrap();
    p.flush().unwrap();
    p.exp_string("unique_file.txt").unwrap();
    p.send_line("").unwrap();
    p.exp_string("completed-content").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("exit 0").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_cancels_the_running_command_and_keeps_the_shell() {
    let mut p = spawn(&[]);
    p.send_line("KEEP=kept; echo sleeping-now; sleep 10")
        .unwrap();
    p.exp_string("sleeping-now").unwrap();
    let t = Instant::now();
    p.send_control('c').unwrap();
    p.exp_string("agentsh:/root [130]$ ").unwrap();
    let elapsed = t.elapsed();
    assert!(
        elapsed < Duration::from_secs(5),
        "Ctrl-C took {elapsed:?} to cancel sleep 10"
    );
    p.send_line("echo still-$KEEP").unwrap();
    p.exp_string("still-kept").unwrap();
    p.exp_string(PROMPT).unwrap();
    // Ctrl-C at the prompt drops the line being typed.
    p.send("echo dropped").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    // As bash, `$?` is 130 after Ctrl-C at the prompt. Wait for that prompt: rustyline
    // drops keys typed in the same read as the Ctrl-C.
    p.exp_string("agentsh:/root [130]$ ").unwrap();
    p.send_line("echo after-$((6*7)) $?").unwrap();
    p.exp_string("after-42 130").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn up_arrow_recalls_history() {
    let mut p = spawn(&[]);
    p.send_line("echo hist-$((40+2))").unwrap();
    p.exp_string("hist-42").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("cd /tmp").unwrap();
    p.exp_string("agentsh:/tmp$ ").unwrap();
    // Up twice: the echo, not the cd.
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("cd /tmp").unwrap();
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("echo hist-$((40+2))").unwrap();
    p.send_line("").unwrap();
    p.exp_string("hist-42").unwrap();
    p.exp_string("agentsh:/tmp$ ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_d_exits_with_the_last_status() {
    let mut p = spawn(&[]);
    p.send_line("(exit 3)").unwrap();
    p.exp_string("agentsh:/root [3]$ ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 3);
}

#[test]
fn exit_ends_the_session_with_its_status() {
    let mut p = spawn(&[]);
    p.send_line("f() { exit 7; }").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("f; echo not-reached").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 7);
}

/// Set an EXIT trap and run two more lines: the trap must not fire after any of them.
/// (The pty echoes the typed `bye-$((1+1))`; only the trap prints `bye-2`.)
fn set_exit_trap_and_run_two_lines(p: &mut PtySession) {
    p.send_line("trap 'echo bye-$((1+1))' EXIT").unwrap();
    let out = p.exp_string(PROMPT).unwrap();
    assert!(
        !out.contains("bye-2"),
        "trap ran after its own line: {out:?}"
    );
    for word in ["one", "two"] {
        p.send_line(&format!("echo line-{word}")).unwrap();
        let out = p.exp_string(PROMPT).unwrap();
        assert!(out.contains(&format!("line-{word}")), "{out:?}");
        assert!(!out.contains("bye-2"), "trap ran after a line: {out:?}");
    }
}

#[test]
fn exit_trap_runs_once_at_exit() {
    let mut p = spawn(&[]);
    set_exit_trap_and_run_two_lines(&mut p);
    p.send_line("exit 4").unwrap();
    let rest = p.exp_eof().unwrap();
    assert_eq!(rest.matches("bye-2").count(), 1, "{rest:?}");
    assert_eq!(exit_code(&p), 4);
}

#[test]
fn exit_trap_runs_once_at_ctrl_d() {
    let mut p = spawn(&[]);
    set_exit_trap_and_run_two_lines(&mut p);
    p.send_control('d').unwrap();
    let rest = p.exp_eof().unwrap();
    assert_eq!(rest.matches("bye-2").count(), 1, "{rest:?}");
    assert_eq!(exit_code(&p), 0);
}

#[test]
fn history_file_persists_across_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history");
    let h = hist.to_str().unwrap();
    let mut p = spawn(&["--history", h]);
    p.send_line("echo persisted-$((1+1))").unwrap();
    p.exp_string("persisted-2").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    let text = std::fs::read_to_string(&hist).unwrap();
    assert!(text.contains("echo persisted-$((1+1))"), "{text}");
    let mut p = spawn(&["--history", h]);
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("exit").unwrap();
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("echo persisted-$((1+1))").unwrap();
    p.send_line("").unwrap();
    p.exp_string("persisted-2").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn mounts_and_workdir_apply_to_the_session() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("seed.txt"), "seeded-data\n").unwrap();
    let spec = format!("{}:/data:ro", d.path().display());
    let mut c = Command::new(env!("CARGO_BIN_EXE_agentsh"));
    c.args(["--mount", &spec, "--workdir", "/data"])
        .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(c, Some(TIMEOUT_MS)).unwrap();
    p.exp_string("agentsh:/data$ ").unwrap();
    p.send("cat se\t").unwrap();
    p.flush().unwrap();
    p.exp_string("seed.txt").unwrap();
    p.send_line("").unwrap();
    p.exp_string("seeded-data").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

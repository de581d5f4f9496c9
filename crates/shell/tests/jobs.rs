//! Background jobs, where the bash oracle cannot compare: messages that carry a process
//! id, jobs whose signals must not leak into the session, and a killed job that must
//! stop at once rather than run to its end.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use shell::Shell;
use vfs_core::Vfs;

fn run(script: &str) -> (String, String, i32) {
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec(script);
    (
        String::from_utf8_lossy(&r.stdout).into_owned(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
        r.status,
    )
}

#[test]
fn a_job_killed_by_sigkill_is_reported_when_waited_for() {
    let (out, err, _) = run("sleep 5 & p=$!\nsleep 0.05\nkill -9 $p\nwait $p\necho \"$p $?\"");
    let pid = out.split_whitespace().next().unwrap();
    assert_eq!(out.split_whitespace().nth(1), Some("137"));
    assert_eq!(
        err,
        format!("agentsh: line 4: {pid:>5} {:<24}sleep 5\n", "Killed")
    );
}

#[test]
fn sigterm_and_sigint_are_not_reported() {
    let (out, err, _) = run("sleep 5 & kill $!; wait $!; echo $?");
    assert_eq!((out.as_str(), err.as_str()), ("143\n", ""));
}

#[test]
fn a_killed_job_stops_at_once() {
    let start = Instant::now();
    let (out, _, _) =
        run("sleep 30 & kill $!; wait $!; echo $?; sleep 30 | cat & kill %1; wait; echo done");
    assert_eq!(out, "143\ndone\n");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn the_session_keeps_working_after_a_job_is_killed() {
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec("sleep 30 & kill -HUP $!; wait $! 2>/dev/null; echo $?");
    assert_eq!(String::from_utf8_lossy(&r.stdout), "129\n");
    let r = sh.exec("echo still here; sleep 0.01; echo $?");
    assert_eq!(String::from_utf8_lossy(&r.stdout), "still here\n0\n");
}

#[test]
fn stop_signals_are_refused() {
    let (_, err, _) = run("sleep 1 & kill -STOP $!; echo $?; kill $!");
    assert!(
        err.contains("kill: SIGSTOP: cannot stop a job without job control"),
        "{err}"
    );
}

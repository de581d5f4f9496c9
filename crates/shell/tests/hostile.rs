//! Hostile scripts: each hits a limit and gets a clear message and status 124; the
//! process, the host and the VFS stay fine. Plus what the defaults must let through.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use shell::{LIMIT_STATUS, Limit, Shell, ShellLimits};
use std::time::{Duration, Instant};
use vfs_core::{Limits, Vfs};

fn small() -> ShellLimits {
    ShellLimits {
        timeout: Duration::from_secs(5),
        max_loop_iterations: 200_000,
        max_commands: 2_000_000,
        max_call_depth: 200,
        max_subshell_depth: 16,
        max_output: 1 << 20,
        max_string: 1 << 20,
        max_array: 100_000,
        max_brace_words: 100_000,
        max_concurrency: 32,
        ..ShellLimits::default()
    }
}

fn run(script: &str) -> shell::ExecResult {
    let mut sh = Shell::with_limits(Vfs::new(), small());
    sh.exec(script)
}

fn assert_limit(r: &shell::ExecResult, limit: Limit) {
    assert_eq!(r.status, LIMIT_STATUS, "stderr: {}", r.stderr_str());
    assert_eq!(r.limit, Some(limit), "stderr: {}", r.stderr_str());
    assert!(
        r.stderr_str()
            .contains(&format!("agentsh: {} exceeded", limit.name())),
        "stderr: {}",
        r.stderr_str()
    );
}

#[test]
fn infinite_loop_hits_the_iteration_limit() {
    let t = Instant::now();
    assert_limit(&run("while :; do :; done"), Limit::LoopIterations);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn infinite_loop_hits_the_time_limit() {
    let limits = ShellLimits {
        timeout: Duration::from_millis(300),
        ..ShellLimits::default()
    };
    let mut sh = Shell::with_limits(Vfs::new(), limits);
    let t = Instant::now();
    let r = sh.exec("while :; do :; done");
    assert_limit(&r, Limit::Time);
    assert!(t.elapsed() < Duration::from_secs(3));
    // The session is still usable afterwards.
    assert_eq!(sh.exec("echo alive").stdout_str(), "alive\n");
}

#[test]
fn unbounded_command_substitution_hits_the_string_limit() {
    assert_limit(
        &run("x=$(while :; do echo yyyyyyyyyyyyyyyy; done)"),
        Limit::StringSize,
    );
}

#[test]
fn huge_brace_expansion_is_refused() {
    assert_limit(&run("echo {1..999999999}"), Limit::BraceExpansion);
}

#[test]
fn runaway_recursion_hits_the_call_depth_limit() {
    let r = run("f() { f; }; f");
    assert_limit(&r, Limit::CallDepth);
    assert!(
        r.stderr_str()
            .contains("maximum function nesting level exceeded")
    );
}

#[test]
fn fork_bomb_is_contained() {
    let t = Instant::now();
    let r = run(":(){ :|:& };:");
    assert_eq!(r.status, LIMIT_STATUS, "{}", r.stderr_str());
    assert!(r.limit.is_some());
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[test]
fn nested_subshells_hit_the_depth_limit() {
    let script = format!("{}echo deep{}", "(:; ".repeat(40), ")".repeat(40));
    assert_limit(&run(&script), Limit::SubshellDepth);
}

#[test]
fn output_flood_is_capped() {
    let r = run("while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done");
    assert!(r.stdout.len() <= 1 << 20);
    assert!(r.limit == Some(Limit::Output) || r.limit == Some(Limit::LoopIterations));
    assert_eq!(r.status, LIMIT_STATUS);
}

#[test]
fn huge_writes_stop_at_the_vfs_limit_and_leave_it_consistent() {
    let fs = Vfs::builder()
        .limits(Limits {
            max_bytes: 64 * 1024,
            ..Limits::default()
        })
        .build();
    let mut sh = Shell::with_limits(fs.clone(), small());
    let r = sh.exec("x=0123456789abcdef; while echo $x$x$x$x >> /big; do :; done; echo stopped $?");
    // As bash: the loop ends when echo fails; the loop's own status is the last body's.
    assert_eq!(r.stdout_str(), "stopped 0\n");
    assert!(
        r.stderr_str()
            .contains("echo: write error: No space left on device"),
        "{}",
        r.stderr_str()
    );
    assert!(fs.usage().bytes <= 64 * 1024);
    fs.fsck().unwrap();
}

#[test]
fn symlink_loops_are_an_error() {
    let fs = Vfs::new();
    fs.symlink("/b", "/a").unwrap();
    fs.symlink("/a", "/b").unwrap();
    let mut sh = Shell::new(fs);
    let r = sh.exec("cat /a; echo $?; cd /a; echo $?");
    assert_eq!(r.stdout_str(), "1\n1\n");
    assert!(
        r.stderr_str()
            .contains("cat: /a: Too many levels of symbolic links")
    );
    assert!(
        r.stderr_str()
            .contains("cd: /a: Too many levels of symbolic links")
    );
}

#[test]
fn no_script_reaches_the_host_filesystem() {
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec("cd ../../../../..; pwd; cat /etc/passwd; echo $?; cat ../../../etc/hostname; echo x > /escape-test; echo $?");
    assert_eq!(r.stdout_str(), "/\n1\n0\n");
    assert!(
        r.stderr_str()
            .contains("/etc/passwd: No such file or directory")
    );
    assert!(!std::path::Path::new("/escape-test").exists());
}

#[test]
fn a_loop_writing_into_a_closed_pipe_ends_like_sigpipe() {
    let r = run("while :; do echo y; done | { read l; echo got $l; }; echo ${PIPESTATUS[@]}");
    assert_eq!(r.stdout_str(), "got y\n141 0\n", "{}", r.stderr_str());
}

#[test]
fn cancellation_from_another_thread() {
    let mut sh = Shell::with_limits(Vfs::new(), ShellLimits::default());
    let h = sh.cancel_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        h.cancel();
    });
    let start = Instant::now();
    let r = sh.exec("while :; do :; done");
    t.join().unwrap();
    assert_eq!(r.status, 130);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn defaults_let_real_work_through() {
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec("i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done; echo $i");
    assert_eq!(r.stdout_str(), "1000000\n", "{}", r.stderr_str());
    let big = vec![b'a'; 20_000_000];
    sh.vfs().unwrap().write("/big", big).unwrap();
    let r = sh.exec("for i in {1..100000}; do :; done; x=$(cat /big); echo ${#x}");
    assert_eq!(r.stdout_str(), "20000000\n", "{}", r.stderr_str());
}

#[test]
fn array_work_is_linear_within_the_defaults() {
    // Reading an element, counting and appending must not copy the whole array: done that
    // way, 50,000 rounds on a 50,000-element array would run for minutes.
    let mut sh = Shell::new(Vfs::new());
    let r = sh.exec(
        "a=(); for ((i=0;i<50000;i++)); do a+=($i); done
         declare -A m; for ((i=0;i<50000;i++)); do m+=([k$i]=$i); done
         s=0; for ((i=0;i<${#a[@]};i++)); do s=$((s+a[i])); t=${a[i]}; u=${m[k$i]}; done
         echo $s $t $u ${#m[@]}",
    );
    assert_eq!(
        r.stdout_str(),
        "1249975000 49999 49999 50000\n",
        "{}",
        r.stderr_str()
    );
}

#[test]
fn deep_recursion_is_safe_on_a_small_caller_stack() {
    // The interpreter runs on the caller's thread (on a big stack of its own): a host
    // thread with a small stack must survive the deepest scripts the defaults allow.
    let t = std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn(|| {
            let mut sh = Shell::new(Vfs::new());
            let r = sh.exec("f() { f; }; f");
            assert_limit(&r, Limit::CallDepth);
            let r = sh.exec("g() { eval g; }; g");
            assert_limit(&r, Limit::CallDepth);
            let r = sh.exec("echo 'source ./s' > s; source ./s");
            assert_eq!(r.status, LIMIT_STATUS, "{}", r.stderr_str());
            let deep = format!("{}echo deep{}", "(:; ".repeat(80), ")".repeat(80));
            assert_limit(&sh.exec(&deep), Limit::SubshellDepth);
            let subs = format!("echo {}x{}", "$(echo ".repeat(80), ")".repeat(80));
            assert_limit(&sh.exec(&subs), Limit::SubshellDepth);
            let r = sh.exec(
                "h() { local n=$1; (( n > 0 )) && h $((n-1)) | cat; echo $n; }; h 30 | wc -l",
            );
            assert_eq!(r.stdout_str(), "31\n", "{}", r.stderr_str());
            sh.exec("echo still here").stdout_str().to_string()
        })
        .unwrap();
    assert_eq!(t.join().unwrap(), "still here\n");
}

//! Background jobs as a bash script sees them (job control off): job numbers and `%`
//! job specs, `jobs`, `disown`, `fg` and `bg` (refused: no job control), and signals
//! that `kill` sends to a job.
//!
//! A job is a thread running a copy of the shell. A signal sent to it is noticed where
//! bash would run its trap, between two commands ([`Interp::job_signal_point`]); a
//! signal that ends the job also sets the job's own cancel flag, so a `sleep`, a pipe
//! read or a `wait` it is blocked in returns at once and the job ends with status
//! 128+N. As in bash, a job that ended is no longer listed by `jobs`, but `wait PID`
//! still returns its status; a job killed by a signal other than TERM, INT or PIPE is
//! reported on stderr (`agentsh:  1002 Killed   sleep 9`) when the shell reaps it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};

use super::builtins::signal_by_number;
use super::{Exec, Flow, Interp, Job};
use crate::io::Cancel;

/// Signals sent to one background job, shared by the job and the shell that started it.
pub struct JobSignals {
    /// The job's cancel flag (a child of the shell's): set when a signal ends the job.
    pub cancel: Cancel,
    /// A signal waiting for the job's next command boundary (0: none).
    pending: AtomicI32,
    /// The signal that ends the job (0: none).
    fatal: AtomicI32,
    /// Bit N set: the job has a trap for signal N.
    caught: AtomicU64,
    /// Set when the job's thread has ended.
    done: AtomicBool,
}

impl JobSignals {
    /// The signals of a new job whose commands stop when `parent` is cancelled.
    pub fn new(parent: &Cancel) -> JobSignals {
        JobSignals {
            cancel: parent.child(),
            pending: AtomicI32::new(0),
            fatal: AtomicI32::new(0),
            caught: AtomicU64::new(0),
            done: AtomicBool::new(false),
        }
    }

    /// True once the job's thread has ended.
    pub fn done(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }

    /// The signal that ended the job, if one did.
    pub fn fatal(&self) -> Option<i32> {
        match self.fatal.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

/// What `strsignal` says of signals 1 to 31.
const DESCRIPTIONS: [&str; 31] = [
    "Hangup",
    "Interrupt",
    "Quit",
    "Illegal instruction",
    "Trace/breakpoint trap",
    "Aborted",
    "Bus error",
    "Floating point exception",
    "Killed",
    "User defined signal 1",
    "Segmentation fault",
    "User defined signal 2",
    "Broken pipe",
    "Alarm clock",
    "Terminated",
    "Stack fault",
    "Child exited",
    "Continued",
    "Stopped (signal)",
    "Stopped",
    "Stopped (tty input)",
    "Stopped (tty output)",
    "Urgent I/O condition",
    "CPU time limit exceeded",
    "File size limit exceeded",
    "Virtual timer expired",
    "Profiling timer expired",
    "Window changed",
    "I/O possible",
    "Power failure",
    "Bad system call",
];

/// The number of signal `name` (bare, upper case: `TERM`).
pub fn signal_number_of(name: &str) -> Option<i32> {
    (1..=64u32)
        .find(|&n| signal_by_number(n).is_some_and(|x| x == name))
        .map(|n| n as i32)
}

/// The bare name of signal `n`.
pub fn signal_name_of(n: i32) -> Option<String> {
    signal_by_number(u32::try_from(n).ok()?)
}

/// What `strsignal` says of signal `n`.
fn signal_description(n: i32) -> String {
    match usize::try_from(n)
        .ok()
        .and_then(|i| DESCRIPTIONS.get(i.wrapping_sub(1)))
    {
        Some(d) => d.to_string(),
        None => format!("Unknown signal {n}"),
    }
}

/// Signals whose default action leaves a process running.
fn ignored_by_default(n: i32) -> bool {
    matches!(n, 17 | 18 | 23 | 28)
}

/// Signals that would stop a process: there is no job control to continue it.
fn stops(n: i32) -> bool {
    matches!(n, 19..=22)
}

impl Job {
    /// True while the job runs. A subshell lists its parent's jobs (`$(jobs -p)`) but
    /// cannot wait for them.
    pub fn running(&self) -> bool {
        self.status.is_none()
            && (self.handle.is_some()
                || self.inherited && self.signals.as_ref().is_some_and(|s| !s.done()))
    }

    /// This job as a subshell of the shell that started it sees it.
    pub fn inherited_copy(&self) -> Job {
        Job {
            pid: self.pid,
            handle: None,
            status: None,
            id: self.id,
            text: self.text.clone(),
            signals: self.signals.clone(),
            inherited: true,
        }
    }
}

/// What a job spec (`%1`, `%%`, `%+`, `%-`, `%name`, `%?text`) names.
enum Spec {
    Found(u32),
    NoSuchJob,
    Ambiguous,
}

/// A job spec as bash's "ambiguous" message names it: without `%` or `%?`.
fn spec_text(spec: &str) -> &str {
    let s = spec.strip_prefix('%').unwrap_or(spec);
    s.strip_prefix('?').unwrap_or(s)
}

/// `jobs` options.
struct ListOpts {
    long: bool,
    pids: bool,
    stopped_only: bool,
}

impl Interp {
    /// Where a background job notices the signals sent to it: before each command. A
    /// trapped signal runs its trap here; one that ends the job ends it here.
    pub(super) fn job_signal_point(&mut self) -> Result<(), Flow> {
        let Some(js) = self.job_signals.clone() else {
            return Ok(());
        };
        if let Some(n) = js.fatal() {
            return Err(Flow::Exit(128 + n));
        }
        let n = js.pending.swap(0, Ordering::SeqCst);
        if n == 0 || self.in_trap {
            return Ok(());
        }
        let name = signal_name_of(n).unwrap_or_else(|| "TERM".into());
        if let Some(status) = self.run_trap(&name) {
            return Err(Flow::Exit(status));
        }
        Ok(())
    }

    /// Tell the job's signal cell which signals the job traps (after `trap` changed).
    pub(super) fn sync_job_traps(&self) {
        let Some(js) = &self.job_signals else { return };
        let mut mask = 0u64;
        for (sig, action) in &self.traps {
            if let Some(n) = signal_number_of(sig)
                && !action.is_empty()
            {
                mask |= 1 << n;
            }
        }
        js.caught.store(mask, Ordering::SeqCst);
    }

    /// The status a background job's thread ends with: a signal that ended it wins over
    /// the status its last command left.
    pub(super) fn job_final_status(&mut self, r: Exec) -> i32 {
        let Some(js) = self.job_signals.clone() else {
            return self.exit_status_of(r);
        };
        let killed = js.fatal();
        if killed.is_some() {
            // The EXIT trap still runs (bash runs it when a signal ends the shell).
            js.cancel.reset();
        }
        let status = self.exit_status_of(r);
        js.done.store(true, Ordering::SeqCst);
        match killed {
            Some(n) => 128 + n,
            None => status,
        }
    }

    /// Prepare a copy of this shell to run as background job `sub`: its own signal
    /// cell, and the traps bash resets in an asynchronous subshell (caught signals go
    /// back to their defaults; ignored ones stay ignored).
    pub(super) fn start_job_signals(&self, sub: &mut Interp) -> Arc<JobSignals> {
        let js = Arc::new(JobSignals::new(&self.cancel));
        sub.cancel = js.cancel.clone();
        sub.job_signals = Some(Arc::clone(&js));
        sub.traps
            .retain(|sig, action| signal_number_of(sig).is_none() || action.is_empty());
        sub.sync_job_traps();
        js
    }

    /// Notice the jobs that have ended (bash's SIGCHLD handling): record their status
    /// and report those a signal killed.
    pub(super) fn reap_jobs(&mut self) {
        let mut reports = Vec::new();
        for j in self.jobs.lock().iter_mut() {
            let Some(r) = j.handle.as_ref().and_then(|h| h.try_join()) else {
                continue;
            };
            j.status = Some(r.unwrap_or(1));
            j.handle = None;
            reports.extend(self.killed_report(j));
        }
        for r in reports {
            let _ = self.write_fd(2, r.as_bytes());
        }
    }

    /// What bash prints when it reaps a job a signal killed (not for INT, PIPE or
    /// TERM, which bash is built not to report).
    pub(super) fn killed_report(&self, j: &Job) -> Option<String> {
        let n = j.signals.as_ref()?.fatal()?;
        if matches!(n, 2 | 13 | 15) {
            return None;
        }
        Some(format!(
            "{}: line {}: {:>5} {:<24}{}\n",
            self.err_name,
            self.lineno,
            j.pid,
            signal_description(n),
            j.text
        ))
    }

    /// The number for a new job: one more than the highest of the jobs still running.
    pub(super) fn next_job_id(&mut self) -> u32 {
        self.reap_jobs();
        let jobs = self.jobs.lock();
        jobs.iter()
            .filter(|j| j.running())
            .map(|j| j.id)
            .max()
            .unwrap_or(0)
            + 1
    }

    /// The current (`+`) and previous (`-`) jobs: the two newest still running.
    fn current_jobs(jobs: &[Job]) -> (Option<u32>, Option<u32>) {
        let mut ids: Vec<u32> = jobs.iter().filter(|j| j.running()).map(|j| j.id).collect();
        ids.sort_unstable();
        let cur = ids.pop();
        (cur, ids.pop())
    }

    /// Resolve a job spec (with its `%`) to a job number.
    fn job_spec(&self, spec: &str) -> Spec {
        let jobs = self.jobs.lock();
        let (cur, prev) = Self::current_jobs(&jobs);
        let body = spec.strip_prefix('%').unwrap_or(spec);
        let pick = |id: Option<u32>| id.map_or(Spec::NoSuchJob, Spec::Found);
        match body {
            "" | "%" | "+" => return pick(cur),
            "-" => return pick(prev.or(cur)),
            _ => {}
        }
        if let Ok(n) = body.parse::<u32>() {
            // A running job with that number first, then one that ended unwaited.
            let found = jobs
                .iter()
                .filter(|j| j.id == n)
                .max_by_key(|j| j.running());
            return found.map_or(Spec::NoSuchJob, |j| Spec::Found(j.id));
        }
        let matches: Vec<u32> = jobs
            .iter()
            .filter(|j| j.running())
            .filter(|j| match body.strip_prefix('?') {
                Some(text) => j.text.contains(text),
                None => j.text.starts_with(body),
            })
            .map(|j| j.id)
            .collect();
        match matches.len() {
            0 => Spec::NoSuchJob,
            1 => Spec::Found(matches[0]),
            _ => Spec::Ambiguous,
        }
    }

    /// The pid of the job a spec names, or the message bash gives (without the
    /// builtin's name).
    pub(super) fn job_spec_pid(&self, spec: &str) -> Result<u32, String> {
        match self.job_spec(spec) {
            Spec::Found(id) => {
                let jobs = self.jobs.lock();
                let j = jobs
                    .iter()
                    .filter(|j| j.id == id)
                    .max_by_key(|j| j.running());
                j.map(|j| j.pid)
                    .ok_or_else(|| format!("{spec}: no such job"))
            }
            Spec::NoSuchJob => Err(format!("{spec}: no such job")),
            Spec::Ambiguous => Err(format!("{}: ambiguous job spec", spec_text(spec))),
        }
    }

    /// Send signal `n` (0: only check) to background job `pid`. `Ok(false)`: no such
    /// running job.
    pub(super) fn signal_job(&mut self, pid: u32, n: i32) -> Result<bool, String> {
        self.reap_jobs();
        let jobs = self.jobs.lock();
        let Some(j) = jobs.iter().find(|j| j.pid == pid && j.running()) else {
            return Ok(false);
        };
        if n == 0 {
            return Ok(true);
        }
        let Some(js) = &j.signals else {
            // A coprocess: only the signals that end it are delivered, by closing it.
            return Ok(true);
        };
        let caught = js.caught.load(Ordering::SeqCst) & (1u64 << n) != 0;
        if caught {
            js.pending.store(n, Ordering::SeqCst);
        } else if stops(n) {
            return Err(format!(
                "{}: cannot stop a job without job control",
                signal_name_of(n).map_or_else(|| n.to_string(), |s| format!("SIG{s}"))
            ));
        } else if ignored_by_default(n) || matches!(n, 2 | 3) {
            // bash starts asynchronous commands with SIGINT and SIGQUIT ignored.
        } else {
            let _ = js
                .fatal
                .compare_exchange(0, n, Ordering::SeqCst, Ordering::SeqCst);
            js.cancel.cancel();
        }
        Ok(true)
    }

    /// `jobs [-lnprs] [jobspec ...]`, `jobs -x command [args]`.
    pub(super) fn b_jobs(&mut self, args: &[String]) -> Exec {
        self.reap_jobs();
        let usage = "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]";
        let (flags, i) = match self.flag_letters("jobs", args, "lnprsx", usage) {
            Ok(f) => f,
            Err(status) => return Ok(status),
        };
        if flags.contains('x') {
            return self.jobs_exec(&args[i..]);
        }
        // Every listed job is running (`-r`), and a script is never notified (`-n`).
        let o = ListOpts {
            long: flags.contains('l'),
            pids: flags.contains('p'),
            stopped_only: flags.contains('s'),
        };
        let mut ids = Vec::new();
        let mut status = 0;
        for spec in &args[i..] {
            match self.job_spec(spec) {
                Spec::Found(id) => ids.push(id),
                Spec::NoSuchJob => {
                    self.error(&format!("jobs: {spec}: no such job"));
                    status = 1;
                }
                Spec::Ambiguous => {
                    // bash's `jobs` reports both.
                    self.error(&format!("jobs: {}: ambiguous job spec", spec_text(spec)));
                    self.error(&format!("jobs: {spec}: no such job"));
                    status = 1;
                }
            }
        }
        if i < args.len() && ids.is_empty() {
            return Ok(status);
        }
        let text = {
            let jobs = self.jobs.lock();
            let (cur, prev) = Self::current_jobs(&jobs);
            let mut listed: Vec<&Job> = jobs.iter().filter(|j| j.running()).collect();
            listed.sort_by_key(|j| j.id);
            if !ids.is_empty() {
                listed = ids
                    .iter()
                    .filter_map(|id| listed.iter().find(|j| j.id == *id).copied())
                    .collect();
            }
            if o.stopped_only {
                listed.clear();
            }
            let mut out = String::new();
            for j in listed {
                if o.pids {
                    out.push_str(&format!("{}\n", j.pid));
                    continue;
                }
                let mark = if Some(j.id) == cur {
                    '+'
                } else if Some(j.id) == prev {
                    '-'
                } else {
                    ' '
                };
                let pid = if o.long {
                    format!("{:>5} ", j.pid)
                } else {
                    " ".to_string()
                };
                out.push_str(&format!(
                    "[{}]{mark} {pid}{:<24}{} &\n",
                    j.id, "Running", j.text
                ));
            }
            out
        };
        if self.write_fd(1, text.as_bytes()).is_err() {
            return Ok(1);
        }
        Ok(status)
    }

    /// `jobs -x command [args]`: run the command with each job spec replaced by the
    /// job's process group (the shell's own, without job control).
    fn jobs_exec(&mut self, args: &[String]) -> Exec {
        if args.is_empty() {
            self.error("jobs: -x: option requires an argument");
            return Ok(2);
        }
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            if a.starts_with('%') {
                if let Err(m) = self.job_spec_pid(a) {
                    self.error(&format!("jobs: {m}"));
                    return Ok(1);
                }
                argv.push(self.pid.to_string());
            } else {
                argv.push(a.clone());
            }
        }
        self.run_argv(argv, Vec::new())
    }

    /// `disown [-h] [-ar] [jobspec ... | pid ...]`: forget jobs (`-h` keeps them; a
    /// script's jobs get no SIGHUP anyway).
    pub(super) fn b_disown(&mut self, args: &[String]) -> i32 {
        self.reap_jobs();
        let usage = "disown: usage: disown [-h] [-ar] [jobspec ... | pid ...]";
        let (flags, i) = match self.flag_letters("disown", args, "ahr", usage) {
            Ok(f) => f,
            Err(status) => return status,
        };
        let (all, running) = (flags.contains('a'), flags.contains('r'));
        let keep = flags.contains('h');
        let specs = &args[i..];
        let mut pids = Vec::new();
        let mut status = 0;
        if specs.is_empty() {
            if all || running {
                let jobs = self.jobs.lock();
                pids.extend(jobs.iter().filter(|j| j.running()).map(|j| j.pid));
            } else {
                match self.job_spec_pid("%+") {
                    Ok(p) => pids.push(p),
                    Err(_) => {
                        self.error("disown: current: no such job");
                        return 1;
                    }
                }
            }
        }
        for s in specs {
            let pid = if s.starts_with('%') {
                self.job_spec_pid(s)
            } else {
                s.parse::<u32>()
                    .ok()
                    .filter(|p| self.jobs.lock().iter().any(|j| j.pid == *p))
                    .ok_or_else(|| format!("{s}: no such job"))
            };
            match pid {
                Ok(p) => pids.push(p),
                Err(m) => {
                    self.error(&format!("disown: {m}"));
                    if m.ends_with("ambiguous job spec") {
                        self.error(&format!("disown: {s}: no such job"));
                    }
                    status = 1;
                }
            }
        }
        if !keep {
            self.jobs.lock().retain(|j| !pids.contains(&j.pid));
        }
        status
    }

    /// `fg` and `bg`: a script has no job control.
    pub(super) fn b_fg_bg(&mut self, name: &str) -> i32 {
        self.error(&format!("{name}: no job control"));
        1
    }
}

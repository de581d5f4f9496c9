//! bash's coprocess, `coproc [NAME] COMMAND`, as bash 5.2 (built, as usual, for one
//! coprocess at a time) runs it: COMMAND runs asynchronously in a subshell whose standard
//! input and output are pipes to this shell. The shell's ends get descriptor numbers
//! the way bash's `sh_openpipe` picks them (the highest free below 64: 63 and 60 for
//! the first), stored in the array NAME (`COPROC` by default) as `[0]` (read the
//! coprocess's output) and `[1]` (write its input); `NAME_PID` and `$!` are its process
//! id, and `wait $NAME_PID` its status.
//!
//! Subshells, pipeline stages and background jobs do not get the coprocess's
//! descriptors (command substitutions do), as in bash. Closing one of them with a
//! redirection (`exec {NAME[1]}>&-`) sets its element to -1. Once the coprocess has
//! ended and the shell has noticed, the descriptors are closed and NAME and NAME_PID
//! unset: by `wait`, and, once it has been finished for a moment (bash notices through
//! SIGCHLD), where bash reaps children: before the next top-level command, at a loop
//! iteration, and where bash forks (subshells, pipelines, `&`, substitutions, commands
//! that are not builtins).

use brush_parser::ast;
use parking_lot::Mutex;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Exec, Interp, Job, pool};
use crate::io::Fd;
use crate::limits::Limit;
use crate::vars::{attr, is_name};

/// How long a finished coprocess goes unnoticed (bash learns of it through SIGCHLD),
/// unless the shell waits for it.
const REAP_DELAY: Duration = Duration::from_millis(5);

/// The coprocess this shell knows about.
#[derive(Clone)]
pub struct Coproc {
    name: String,
    pid: u32,
    /// The shell's descriptor reading the coprocess's output (-1 once closed).
    rfd: i32,
    /// The shell's descriptor writing its input (-1 once closed).
    wfd: i32,
    /// When its command finished.
    done: Arc<Mutex<Option<Instant>>>,
}

impl Coproc {
    /// Its descriptors in the shell that are still open.
    pub fn fds(&self) -> impl Iterator<Item = i32> {
        [self.rfd, self.wfd].into_iter().filter(|&n| n >= 0)
    }
}

impl Interp {
    /// Start `c` (with `redirs`, applied in the coprocess).
    pub(super) fn exec_coproc(
        &mut self,
        c: &ast::CoprocessCommand,
        redirs: Option<&ast::RedirectList>,
    ) -> Exec {
        self.set_line_from_span(&c.loc);
        self.count_command()?;
        self.reap_point();
        let name = match &c.name {
            Some(w) => match self.expand_word_nosplit(&w.value) {
                Ok(n) => n,
                Err(e) => return self.expansion_failed(e),
            },
            None => "COPROC".to_string(),
        };
        if !is_name(&name) {
            self.error(&format!("`{name}': not a valid identifier"));
            return self.finish(1);
        }
        // One coprocess at a time: a new one makes the shell forget the old one.
        if let Some(old) = self.coproc.take()
            && (old.rfd >= 0 || old.wfd >= 0)
        {
            self.error(&format!(
                "warning: execute_coproc: coproc [{}:{}] still exists",
                old.pid, old.name
            ));
        }
        if self.subshell >= self.shared.limits.max_subshell_depth {
            return Err(self.shared.hit(Limit::SubshellDepth));
        }
        if self.shared.running.fetch_add(1, Ordering::SeqCst) >= self.shared.limits.max_concurrency
        {
            self.shared.running.fetch_sub(1, Ordering::SeqCst);
            return Err(self.shared.hit(Limit::Concurrency));
        }
        // bash's `sh_openpipe` moves both pipes' four descriptors as high as they go
        // below 64; the child's two are then closed in the shell.
        let mut picked: Vec<i32> = Vec::with_capacity(4);
        for _ in 0..4 {
            let free = |n: &i32| !picked.contains(n) && !self.fds.get(n).is_some_and(Fd::is_open);
            let n = (4..64)
                .rev()
                .find(free)
                .or_else(|| (3..).find(free))
                .unwrap_or(-1);
            picked.push(n);
        }
        let (rfd, wfd) = (picked[0], picked[3]);
        let (out_r, out_w) = crate::io::pipe(&self.cancel);
        let (in_r, in_w) = crate::io::pipe(&self.cancel);
        let mut sub = self.subshell_clone();
        sub.fds.insert(0, Fd::PipeRead(Arc::new(in_r)));
        sub.fds.insert(1, Fd::PipeWrite(Arc::new(out_w)));
        let signals = self.start_job_signals(&mut sub);
        let pid = sub.bashpid;
        let id = self.next_job_id();
        let text = format!("coproc {name} {}", super::fnprint::command_text(&c.body));
        let body = (*c.body).clone();
        let redirs = redirs.cloned();
        let done = Arc::new(Mutex::new(None));
        let finished = Arc::clone(&done);
        let shared = Arc::clone(&self.shared);
        let h = pool::spawn(move || {
            let refs: Vec<&ast::IoRedirect> = redirs.iter().flat_map(|r| &r.0).collect();
            let r = match sub.apply_redirects_refs(&refs) {
                Err(status) => Ok(status),
                Ok(()) => sub.exec_command(&body),
            };
            let s = sub.job_final_status(r);
            sub.fds.clear();
            *finished.lock() = Some(Instant::now());
            shared.running.fetch_sub(1, Ordering::SeqCst);
            s
        });
        let h = match h {
            Ok(h) => h,
            Err(_) => {
                self.shared.running.fetch_sub(1, Ordering::SeqCst);
                return Err(self.shared.hit(Limit::Concurrency));
            }
        };
        self.fds.insert(rfd, Fd::PipeRead(Arc::new(out_r)));
        self.fds.insert(wfd, Fd::PipeWrite(Arc::new(in_w)));
        self.jobs.lock().push(Job {
            pid,
            handle: Some(h),
            status: None,
            id,
            text,
            signals: Some(signals),
            inherited: false,
        });
        self.last_bg = Some(pid);
        self.coproc = Some(Coproc {
            name,
            pid,
            rfd,
            wfd,
            done,
        });
        self.coproc_setvars();
        self.last_status = 0;
        Ok(0)
    }

    /// bash's `coproc_setvars`: NAME's elements 0 and 1 and NAME_PID.
    fn coproc_setvars(&mut self) {
        let Some(cp) = &self.coproc else { return };
        let (name, rfd, wfd, pid) = (cp.name.clone(), cp.rfd, cp.wfd, cp.pid);
        if self.vars.get(&name).is_some_and(|v| v.has(attr::READONLY)) {
            self.error(&format!("{name}: readonly variable"));
            return;
        }
        for (i, v) in [(0, rfd), (1, wfd)] {
            if let Err(m) = self.assign_element(&name, &i.to_string(), v.to_string(), false) {
                self.error(&m);
                return;
            }
        }
        if let Err(m) = self.assign_scalar(&format!("{name}_PID"), pid.to_string()) {
            self.error(&m);
        }
    }

    /// A redirection closed descriptor `n`: if it was one of the coprocess's, its
    /// element becomes -1 (bash's `coproc_fdchk`).
    pub(super) fn coproc_fd_closed(&mut self, n: i32) {
        let Some(cp) = &mut self.coproc else { return };
        let mut changed = false;
        if cp.rfd >= 0 && cp.rfd == n {
            cp.rfd = -1;
            changed = true;
        }
        if cp.wfd >= 0 && cp.wfd == n {
            cp.wfd = -1;
            changed = true;
        }
        if changed {
            self.coproc_setvars();
        }
    }

    /// Where bash reaps finished children: notice a finished coprocess.
    pub(super) fn reap_point(&mut self) {
        if self.coproc.is_some() {
            self.reap_coproc(false);
        }
    }

    /// If the coprocess has finished (for a moment, unless `now`: the shell just waited
    /// for it), forget it: close its descriptors and unset NAME and NAME_PID.
    pub(super) fn reap_coproc(&mut self, now: bool) {
        let Some(cp) = &self.coproc else { return };
        let Some(when) = *cp.done.lock() else { return };
        if !now && when.elapsed() < REAP_DELAY {
            return;
        }
        let Some(cp) = self.coproc.take() else { return };
        for name in [format!("{}_PID", cp.name), cp.name.clone()] {
            if self.vars.get(&name).is_some_and(|v| v.has(attr::READONLY)) {
                self.error(&format!("{name}: cannot unset: readonly variable"));
            } else {
                self.vars.remove(&name);
            }
        }
        for n in [cp.rfd, cp.wfd] {
            if n >= 0 {
                self.fds.remove(&n);
            }
        }
    }

    /// In a copy of this shell for a subshell: without `keep_fds`, the coprocess is not
    /// known and its descriptors are closed; with it (a command substitution), they stay
    /// open, and the subshells it starts do not get them, but it never sees the
    /// coprocess finish (it is not its child).
    pub(super) fn forget_coproc(&mut self, keep_fds: bool) {
        let Some(cp) = self.coproc.take() else { return };
        if keep_fds {
            self.coproc = Some(Coproc {
                done: Arc::new(Mutex::new(None)),
                ..cp
            });
            return;
        }
        for n in cp.fds() {
            self.fds.remove(&n);
        }
    }
}

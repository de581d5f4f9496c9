//! Process substitution: `<(list)` and `>(list)`. The list runs concurrently in a
//! subshell connected to a pipe; the word becomes `/dev/fd/N`, a descriptor of this
//! shell (N counts down from 63, as in bash) that redirections, builtins and commands
//! (through [`crate::commands::with_fds`]) can open. The descriptor is closed when the
//! command that used it finishes.

use brush_parser::ast;

use super::{Interp, pool};
use crate::io::Fd;
use crate::limits::Limit;

/// Running process substitutions; a copy of the shell starts with none.
#[derive(Default)]
pub struct ProcSubs(Vec<ProcSub>);

struct ProcSub {
    fd: i32,
    /// `>(list)`: wait for it (it ends when its input closes).
    wait: bool,
    handle: pool::JobHandle<i32>,
}

impl Clone for ProcSubs {
    fn clone(&self) -> Self {
        ProcSubs(Vec::new())
    }
}

impl ProcSubs {
    /// How many are running (a mark for [`Interp::reap_procsubs`]).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none are running.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Interp {
    /// Start `list` as a process substitution; returns the descriptor number.
    pub(super) fn start_procsub(
        &mut self,
        kind: &ast::ProcessSubstitutionKind,
        list: &ast::SubshellCommand,
    ) -> Result<i32, i32> {
        if self.subshell >= self.shared.limits.max_subshell_depth {
            let _ = self.shared.hit(Limit::SubshellDepth);
            self.error("maximum nesting of subshells exceeded");
            return Err(crate::limits::LIMIT_STATUS);
        }
        let Some(n) = (10..=63).rev().find(|n| !self.fds.contains_key(n)) else {
            self.error("process substitution: too many open descriptors");
            return Err(1);
        };
        self.reap_point();
        let (r, w) = crate::io::pipe(&self.cancel);
        let (r, w) = (std::sync::Arc::new(r), std::sync::Arc::new(w));
        let mut sub = self.subshell_clone();
        let reading = matches!(kind, ast::ProcessSubstitutionKind::Read);
        if reading {
            sub.fds.insert(1, Fd::PipeWrite(w));
            self.fds.insert(n, Fd::PipeRead(r));
        } else {
            sub.fds.insert(0, Fd::PipeRead(r));
            self.fds.insert(n, Fd::PipeWrite(w));
        }
        let body = list.list.clone();
        let handle = pool::spawn(move || {
            let r = sub.exec_list(&body);
            let s = sub.exit_status_of(r);
            sub.fds.clear();
            s
        });
        match handle {
            Ok(handle) => {
                self.procsubs.0.push(ProcSub {
                    fd: n,
                    wait: !reading,
                    handle,
                });
                Ok(n)
            }
            Err(_) => {
                self.fds.remove(&n);
                let _ = self.shared.hit(Limit::Concurrency);
                self.error("process substitution: cannot start");
                Err(crate::limits::LIMIT_STATUS)
            }
        }
    }

    /// Close the descriptors of the process substitutions started since `mark`. A
    /// `>(list)` is waited for unless its pipe is still open elsewhere (`exec 3> >(...)`);
    /// a `<(list)` ends on its own when its reader is gone.
    pub(super) fn reap_procsubs(&mut self, mark: usize) {
        if self.procsubs.0.len() <= mark {
            return;
        }
        let done: Vec<ProcSub> = self.procsubs.0.drain(mark..).collect();
        for p in done {
            let ours = self.fds.remove(&p.fd);
            let still_open = match &ours {
                Some(Fd::PipeWrite(w)) => self
                    .fds
                    .values()
                    .any(|f| matches!(f, Fd::PipeWrite(o) if std::sync::Arc::ptr_eq(o, w))),
                _ => false,
            };
            drop(ours);
            if p.wait && !still_open {
                let _ = p.handle.join();
            }
        }
    }
}

//! Interpreter threads, reused. Subshells, pipeline stages, command substitutions and
//! background jobs each run on a thread with a large stack (scripts recurse, and so does
//! the interpreter); creating such a thread costs more than running a small script, so
//! finished threads wait for the next job instead of exiting.

use parking_lot::Mutex;
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// Stack for interpreter threads (reserved address space; only touched pages cost memory).
pub const STACK_SIZE: usize = 256 << 20;

/// Idle threads kept for reuse at most.
const MAX_IDLE: usize = 64;

type Job = Box<dyn FnOnce() + Send>;

fn idle() -> &'static Mutex<Vec<Sender<Job>>> {
    static IDLE: OnceLock<Mutex<Vec<Sender<Job>>>> = OnceLock::new();
    IDLE.get_or_init(|| Mutex::new(Vec::new()))
}

fn worker(rx: Receiver<Job>, me: Sender<Job>) {
    while let Ok(job) = rx.recv() {
        job();
        let mut idle = idle().lock();
        if idle.len() >= MAX_IDLE {
            return;
        }
        idle.push(me.clone());
    }
}

/// A thread could not be started, or the job panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadFailed;

/// The result of a job started with [`spawn`].
pub struct JobHandle<T> {
    rx: Receiver<std::thread::Result<T>>,
}

impl<T> JobHandle<T> {
    /// Wait for the job's result.
    pub fn join(self) -> Result<T, ThreadFailed> {
        match self.rx.recv() {
            Ok(Ok(v)) => Ok(v),
            _ => Err(ThreadFailed),
        }
    }

    /// The job's result if it has finished, without waiting.
    pub fn try_join(&self) -> Option<Result<T, ThreadFailed>> {
        match self.rx.try_recv() {
            Ok(Ok(v)) => Some(Ok(v)),
            Ok(Err(_)) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Some(Err(ThreadFailed))
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
        }
    }
}

/// Run `f` on an interpreter thread (a reused one if any is idle).
pub fn spawn<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<JobHandle<T>, ThreadFailed> {
    let (tx, rx): (SyncSender<std::thread::Result<T>>, _) = sync_channel(1);
    let mut job: Job = Box::new(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r);
    });
    // Hand it to an idle thread; one that has gone away hands the job back.
    loop {
        let next = idle().lock().pop();
        let Some(w) = next else { break };
        match w.send(job) {
            Ok(()) => return Ok(JobHandle { rx }),
            Err(e) => job = e.0,
        }
    }
    let (wtx, wrx) = channel::<Job>();
    let me = wtx.clone();
    std::thread::Builder::new()
        .name("agentsh-interp".into())
        .stack_size(STACK_SIZE)
        .spawn(move || worker(wrx, me))
        .map_err(|_| ThreadFailed)?;
    wtx.send(job).map_err(|_| ThreadFailed)?;
    Ok(JobHandle { rx })
}

/// Run `f` on an interpreter thread and wait for it.
pub fn run_on_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ThreadFailed> {
    spawn(f)?.join()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_reused_and_results_come_back() {
        for i in 0..100 {
            assert_eq!(run_on_thread(move || i * 2), Ok(i * 2));
        }
        let hs: Vec<_> = (0..8).map(|i| spawn(move || i).unwrap()).collect();
        let sum: i32 = hs.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(sum, 28);
    }

    #[test]
    fn a_panicking_job_is_an_error_not_a_crash() {
        let r: Result<(), _> = run_on_thread(|| panic!("boom"));
        assert_eq!(r, Err(ThreadFailed));
        assert_eq!(run_on_thread(|| 5), Ok(5));
    }
}

//! A big stack for the interpreter on the caller's own thread.
//!
//! Scripts recurse and so does the interpreter, so it needs far more stack than a host
//! thread may have (a tokio worker has 2 MB). Handing each `exec` to a pooled thread with
//! a big stack costs two thread wake-ups, more than running `echo hi`. Instead the
//! interpreter switches the current thread onto a stack of its own ([`STACK_SIZE`] of
//! reserved address space with a guard page below it) and back when it is done. Stacks
//! are kept per thread for the next run; pages a deep run touched are given back to the
//! system when it ends, so an idle thread holds at most [`KEEP`] of resident stack.
//!
//! A run that starts while already on such a stack with plenty left (a subshell, a
//! nested `bash -c`) continues on it.

#![allow(unsafe_code)]

use super::pool::{STACK_SIZE, ThreadFailed};
use std::cell::{Cell, RefCell};

/// Resident stack a finished run may leave behind; deeper pages are released.
const KEEP: usize = 256 << 10;

/// A nested run continues on the current big stack when this much of it is left.
const ENOUGH: usize = 64 << 20;

/// Spare stacks kept per thread (one per level of nested runs that needed a new one).
const MAX_SPARE: usize = 4;

/// One mapping: a guard page at the low end, the usable stack above it.
struct Stack {
    map: *mut libc::c_void,
    len: usize,
    page: usize,
}

impl Stack {
    fn new() -> Option<Stack> {
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
            .ok()
            .filter(|p| p.is_power_of_two())?;
        let len = STACK_SIZE + page;
        // SAFETY: a fresh anonymous private mapping; no existing memory is touched.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return None;
        }
        let stack = Stack { map, len, page };
        // SAFETY: the first page of our own mapping becomes the guard page.
        if unsafe { libc::mprotect(map, page, libc::PROT_NONE) } != 0 {
            return None; // dropped: unmapped
        }
        Some(stack)
    }

    /// Lowest usable address.
    fn base(&self) -> usize {
        self.map as usize + self.page
    }

    /// Give back the pages below the top [`KEEP`] bytes (a deep run touched them).
    fn trim(&self) {
        let len = STACK_SIZE - KEEP;
        // SAFETY: the range lies inside our mapping, below the part still in use by
        // nobody (the run has returned); MADV_DONTNEED on private anonymous memory
        // only drops pages, which read back as zeros.
        unsafe {
            libc::madvise(self.base() as *mut libc::c_void, len, libc::MADV_DONTNEED);
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours and nothing runs on it any more.
        unsafe {
            libc::munmap(self.map, self.len);
        }
    }
}

thread_local! {
    static SPARE: RefCell<Vec<Stack>> = const { RefCell::new(Vec::new()) };
    /// Lowest usable address of the big stack this thread is on, or 0.
    static CURRENT: Cell<usize> = const { Cell::new(0) };
    /// The deepest stack pointer seen on a check, to decide whether to trim.
    static DEEPEST: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Run `f` on a big stack on this thread: the current one if enough of it is left,
/// else a kept or new one. A panic in `f`, or no memory for a stack, is [`ThreadFailed`].
pub fn run_on_big_stack<R>(f: impl FnOnce() -> R) -> Result<R, ThreadFailed> {
    let sp = psm::stack_pointer() as usize;
    let current = CURRENT.with(Cell::get);
    if current != 0 && sp.saturating_sub(current) >= ENOUGH {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ThreadFailed);
    }
    let stack = match SPARE.with(|s| s.borrow_mut().pop()) {
        Some(s) => s,
        None => Stack::new().ok_or(ThreadFailed)?,
    };
    let base = stack.base();
    let outer = CURRENT.with(|c| c.replace(base));
    let outer_deepest = DEEPEST.with(|d| d.replace(usize::MAX));
    let mut out = None;
    let run = || {
        out = Some(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        DEEPEST.with(|d| d.set(d.get().min(psm::stack_pointer() as usize)));
    };
    // SAFETY: `base` is page-aligned and STACK_SIZE bytes above it are ours, mapped
    // read-write, with the guard page below; the callback cannot unwind (the panic is
    // caught inside) and nothing else uses this stack while it runs.
    unsafe { psm::on_stack(base as *mut u8, STACK_SIZE, run) };
    CURRENT.with(|c| c.set(outer));
    if deep_run(base) {
        stack.trim();
    }
    DEEPEST.with(|d| d.set(outer_deepest));
    SPARE.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < MAX_SPARE {
            s.push(stack);
        }
    });
    match out {
        Some(Ok(r)) => Ok(r),
        _ => Err(ThreadFailed),
    }
}

/// Whether the run on the stack at `base` went deeper than [`KEEP`], by
/// [`note_depth`]'s record.
fn deep_run(base: usize) -> bool {
    let deepest = DEEPEST.with(Cell::get);
    (base..base + STACK_SIZE).contains(&deepest) && base + STACK_SIZE - deepest > KEEP
}

/// Record how deep the current run has gone; called at the interpreter's recursion
/// points (it is cheap), so a run that went deep gives its pages back at the end.
#[inline]
pub fn note_depth() {
    let sp = psm::stack_pointer() as usize;
    DEEPEST.with(|d| {
        if sp < d.get() {
            d.set(sp);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recurse(n: usize) -> usize {
        note_depth();
        let pad = [0u8; 1024];
        std::hint::black_box(&pad);
        if n == 0 { 0 } else { recurse(n - 1) + 1 }
    }

    #[test]
    fn deep_recursion_fits_and_the_stack_is_reused() {
        // 100,000 frames of over 1 KiB: far beyond a test thread's 2 MB.
        assert_eq!(run_on_big_stack(|| recurse(100_000)), Ok(100_000));
        let first = SPARE.with(|s| s.borrow().len());
        assert_eq!(first, 1);
        for i in 0..100 {
            assert_eq!(run_on_big_stack(move || i + 1), Ok(i + 1));
        }
        assert_eq!(SPARE.with(|s| s.borrow().len()), 1);
    }

    #[test]
    fn nested_runs_stay_on_the_stack_and_panics_are_errors() {
        let r = run_on_big_stack(|| {
            let outer = CURRENT.with(Cell::get);
            let inner = run_on_big_stack(|| CURRENT.with(Cell::get));
            (outer, inner)
        });
        let Ok((outer, inner)) = r else {
            panic!("the outer run failed")
        };
        assert_ne!(outer, 0);
        assert_eq!(Ok(outer), inner);
        assert_eq!(CURRENT.with(Cell::get), 0);
        let p: Result<(), _> = run_on_big_stack(|| panic!("boom"));
        assert_eq!(p, Err(ThreadFailed));
        assert_eq!(CURRENT.with(Cell::get), 0);
        assert_eq!(run_on_big_stack(|| 7), Ok(7));
    }

    /// Resident pages of the kept stack below its top [`KEEP`] bytes.
    fn resident_deep_pages() -> usize {
        SPARE.with(|s| {
            let s = s.borrow();
            let Some(stack) = s.last() else { return 0 };
            let len = STACK_SIZE - KEEP;
            let mut vec = vec![0u8; len / stack.page];
            // SAFETY: the range is inside the kept stack's mapping; `vec` has one byte
            // per page of it.
            let r =
                unsafe { libc::mincore(stack.base() as *mut libc::c_void, len, vec.as_mut_ptr()) };
            assert_eq!(r, 0);
            vec.iter().filter(|b| **b & 1 != 0).count()
        })
    }

    /// [`recurse`] without recording its depth.
    fn recurse_unrecorded(n: usize) -> usize {
        let pad = [0u8; 1024];
        std::hint::black_box(&pad);
        if n == 0 {
            0
        } else {
            recurse_unrecorded(n - 1) + 1
        }
    }

    #[test]
    fn a_deep_run_gives_its_pages_back() {
        assert_eq!(run_on_big_stack(|| recurse(20_000)), Ok(20_000));
        assert_eq!(resident_deep_pages(), 0);
        // Without the record of depth the pages stay: the check is not vacuous.
        assert_eq!(run_on_big_stack(|| recurse_unrecorded(20_000)), Ok(20_000));
        assert!(resident_deep_pages() > 0);
    }
}

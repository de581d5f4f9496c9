//! `times`: the CPU time used so far. Commands run inside the shell's own process
//! here, so their time is the shell's; the children line stays zero (no command is a
//! separate process).

#![allow(unsafe_code)]

use super::Interp;

/// User and system CPU time of this process, in microseconds.
fn process_times() -> (u64, u64) {
    // SAFETY: `getrusage` only writes the `rusage` it is given, which lives on this
    // stack and is fully initialised (zeroed) before the call.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_SELF is a valid `who`.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return (0, 0);
    }
    let us = |t: libc::timeval| (t.tv_sec.max(0) as u64) * 1_000_000 + t.tv_usec.max(0) as u64;
    (us(ru.ru_utime), us(ru.ru_stime))
}

/// bash's `%dm%d.%03ds`.
fn minutes_seconds(us: u64) -> String {
    let ms = us / 1000;
    format!("{}m{}.{:03}s", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

impl Interp {
    /// `times`.
    pub(super) fn b_times(&mut self) -> i32 {
        let (user, sys) = process_times();
        let text = format!(
            "{} {}\n{} {}\n",
            minutes_seconds(user),
            minutes_seconds(sys),
            minutes_seconds(0),
            minutes_seconds(0)
        );
        i32::from(self.write_fd(1, text.as_bytes()).is_err())
    }
}

#[cfg(test)]
mod tests {
    use super::minutes_seconds;

    #[test]
    fn formats_like_bash() {
        assert_eq!(minutes_seconds(0), "0m0.000s");
        assert_eq!(minutes_seconds(4_321), "0m0.004s");
        assert_eq!(minutes_seconds(61_250_000), "1m1.250s");
    }

    #[test]
    fn reports_the_time_spent() {
        let mut sh = crate::Shell::new(vfs_core::Vfs::new());
        let r = sh.exec("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; times");
        let out = String::from_utf8_lossy(&r.stdout).into_owned();
        let first = out.split_whitespace().next().unwrap_or_default();
        assert_ne!(first, "0m0.000s", "{out}");
        assert_eq!(out.lines().nth(1), Some("0m0.000s 0m0.000s"));
    }
}

//! Timestamps and the injectable clock.
//!
//! Every time the filesystem records comes from a [`Clock`], so tests can run on a
//! [`ManualClock`] and get the same atime/mtime/ctime every run.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds and nanoseconds since the Unix epoch, as in `struct timespec`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    pub sec: i64,
    /// Nanoseconds, `0..1_000_000_000`.
    pub nsec: u32,
}

impl Timestamp {
    /// The epoch itself.
    pub const EPOCH: Timestamp = Timestamp { sec: 0, nsec: 0 };

    /// A timestamp from seconds and nanoseconds; `nsec` is clamped below one second.
    pub const fn new(sec: i64, nsec: u32) -> Self {
        let nsec = if nsec >= 1_000_000_000 {
            999_999_999
        } else {
            nsec
        };
        Timestamp { sec, nsec }
    }

    /// The timestamp for a `SystemTime` (saturating far outside the `i64` seconds range).
    pub fn from_system_time(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp {
                sec: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nsec: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    Timestamp {
                        sec: -secs,
                        nsec: 0,
                    }
                } else {
                    Timestamp {
                        sec: -secs - 1,
                        nsec: 1_000_000_000 - d.subsec_nanos(),
                    }
                }
            }
        }
    }

    /// The `SystemTime` for this timestamp.
    pub fn to_system_time(self) -> SystemTime {
        if self.sec >= 0 {
            UNIX_EPOCH + Duration::new(self.sec.unsigned_abs(), self.nsec)
        } else {
            UNIX_EPOCH - Duration::from_secs(self.sec.unsigned_abs())
                + Duration::from_nanos(u64::from(self.nsec))
        }
    }

    /// The timestamp `secs` seconds later (saturating).
    pub fn plus_secs(self, secs: i64) -> Self {
        Timestamp {
            sec: self.sec.saturating_add(secs),
            nsec: self.nsec,
        }
    }
}

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The host's real-time clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }
}

/// A clock that only moves when told to: deterministic times for tests and replays.
#[derive(Debug, Default)]
pub struct ManualClock {
    sec: AtomicI64,
    nsec: AtomicU32,
}

impl ManualClock {
    /// A clock stopped at `t`.
    pub fn new(t: Timestamp) -> Self {
        ManualClock {
            sec: AtomicI64::new(t.sec),
            nsec: AtomicU32::new(t.nsec),
        }
    }

    /// Set the time.
    pub fn set(&self, t: Timestamp) {
        self.sec.store(t.sec, Ordering::SeqCst);
        self.nsec.store(t.nsec, Ordering::SeqCst);
    }

    /// Move the time forward by `d`.
    pub fn advance(&self, d: Duration) {
        let now = self.now();
        let total = u64::from(now.nsec) + u64::from(d.subsec_nanos());
        let carry = i64::try_from(total / 1_000_000_000).unwrap_or(0);
        let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        self.set(Timestamp {
            sec: now.sec.saturating_add(secs).saturating_add(carry),
            nsec: u32::try_from(total % 1_000_000_000).unwrap_or(0),
        });
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp {
            sec: self.sec.load(Ordering::SeqCst),
            nsec: self.nsec.load(Ordering::SeqCst),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_round_trips() {
        for t in [
            Timestamp::new(0, 0),
            Timestamp::new(1_700_000_000, 123_456_789),
            Timestamp::new(-1, 500),
            Timestamp::new(-86_400, 0),
        ] {
            assert_eq!(Timestamp::from_system_time(t.to_system_time()), t);
        }
    }

    #[test]
    fn manual_clock_advances_with_carry() {
        let c = ManualClock::new(Timestamp::new(10, 999_999_999));
        c.advance(Duration::new(1, 2));
        assert_eq!(c.now(), Timestamp::new(12, 1));
    }
}

//! `wasi:clocks/monotonic-clock`, shadowing wasmtime-wasi's so that no sleep outlasts
//! the run: its pollables are ready at the requested time or at the run's deadline,
//! whichever comes first.
//!
//! A guest that sleeps (Python's `time.sleep`, `select` with a timeout, Rust's
//! `thread::sleep`) blocks in `wasi:io/poll` on a monotonic-clock pollable, inside a host
//! call, where epoch interruption cannot reach it: with wasmtime-wasi's clock a
//! `time.sleep(3600)` would hold the thread for an hour whatever the timeout. Here it wakes
//! at the deadline and the epoch check stops it before it runs on. The guest could only see
//! the early wake-up once its time is up, which ends the run anyway. A host cancel
//! (Ctrl-C) still waits for the sleep or the deadline.
//!
//! `now` counts from a process-wide start, so `subscribe-instant` and `now` agree.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource};
use wasmtime_wasi_io::poll::{DynPollable, Pollable, subscribe};

use crate::state::HostState;

/// The interface as wasmtime-wasi 48 names it (its WIT's version); a guest importing an
/// older 0.2 version links to it as to wasmtime-wasi's.
const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// The clock's zero.
fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Nanoseconds since [`start`].
fn now_ns() -> u64 {
    u64::try_from(start().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// A pollable ready at an instant.
struct Until(tokio::time::Instant);

#[async_trait::async_trait]
impl Pollable for Until {
    async fn ready(&mut self) {
        tokio::time::sleep_until(self.0).await;
    }
}

/// A pollable ready after `wait`, or at the run's deadline if that is sooner.
fn pollable(st: &mut HostState, wait: Duration) -> wasmtime::Result<Resource<DynPollable>> {
    let now = Instant::now();
    let until = now
        .checked_add(wait)
        .map_or(st.deadline, |t| t.min(st.deadline));
    let when = tokio::time::Instant::from_std(until.max(now));
    let resource = st.table.push(Until(when))?;
    subscribe(&mut st.table, resource)
}

/// Shadow the interface's functions in `linker` (after wasmtime-wasi's).
pub(crate) fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    start();
    linker.allow_shadowing(true);
    let mut clock = linker.instance(MONOTONIC_CLOCK)?;
    clock.func_wrap("now", |_: StoreContextMut<'_, HostState>, (): ()| {
        Ok((now_ns(),))
    })?;
    clock.func_wrap("resolution", |_: StoreContextMut<'_, HostState>, (): ()| {
        Ok((1u64,))
    })?;
    clock.func_wrap(
        "subscribe-duration",
        |mut store: StoreContextMut<'_, HostState>, (ns,): (u64,)| {
            Ok((pollable(store.data_mut(), Duration::from_nanos(ns))?,))
        },
    )?;
    clock.func_wrap(
        "subscribe-instant",
        |mut store: StoreContextMut<'_, HostState>, (when,): (u64,)| {
            let wait = Duration::from_nanos(when.saturating_sub(now_ns()));
            Ok((pollable(store.data_mut(), wait)?,))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

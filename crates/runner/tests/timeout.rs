//! The infinite-loop guest ends within the timeout plus 100 ms. Alone in its test binary
//! so that other tests' threads do not compete with the epoch ticker for the CPU.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use runner::{ProblemKind, Runner, Sandbox};

#[test]
fn infinite_loop_ends_within_timeout_plus_100ms() {
    let timeout = Duration::from_millis(300);
    let sb = Sandbox::builder().timeout(timeout).build();
    let program = Runner::shared()
        .unwrap()
        .load(&agentsh_guests::bytes("hostile").unwrap())
        .unwrap();
    // Warm up: the first run pays for page faults of a fresh pool slot.
    assert!(sb.run(&program, "stderr").result.is_ok());
    let t = Instant::now();
    let out = sb.run(&program, "loop");
    let took = t.elapsed();
    let p = out.result.as_ref().unwrap_err();
    assert_eq!(p.kind(), Some(ProblemKind::Timeout), "{p:?}");
    assert!(took >= timeout, "{took:?}");
    assert!(took < timeout + Duration::from_millis(100), "{took:?}");
}

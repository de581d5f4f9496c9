//! Random operation sequences, each run on the VFS and on Linux (see `oracle`); every
//! result, error code and the final tree must agree.
//!
//! Cases come from a seeded generator so a failure replays: `VFS_PROP_SEED=N` picks the
//! seed, `VFS_PROP_CASES=N` the number of cases (2000 by default). All cases of a run go to
//! the kernel in one child process; a failing case is shrunk (ops removed while it still
//! fails) before it is reported.

use crate::oracle::{
    APPEND, CREAT, DIRECTORY, EXCL, NOFOLLOW, Op, R, TRUNC, W, compare, run_real, run_vfs,
};

/// splitmix64: small, seedable, good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const COMPS: &[&str] = &["a", "b", "c", ".", "..", "l", "m"];

fn path(r: &mut Rng) -> String {
    let n = 1 + r.below(3);
    let mut p = String::new();
    if r.chance(20) {
        p.push('/');
    }
    for i in 0..n {
        if i > 0 {
            p.push('/');
            if r.chance(5) {
                p.push('/');
            }
        }
        let c: &&str = r.pick(COMPS);
        p.push_str(c);
    }
    if r.chance(10) {
        p.push('/');
    }
    p
}

fn data(r: &mut Rng) -> String {
    let words = ["", "x", "hello", "0123456789", "line\n", "ab"];
    r.pick(&words).to_string()
}

fn op(r: &mut Rng) -> Op {
    let slot = 1 + r.below(3) as u8;
    match r.below(100) {
        0..=11 => Op::Mkdir(path(r), *r.pick(&[0o755, 0o700, 0o777, 0o555])),
        12..=23 => Op::Write(path(r), data(r)),
        24..=26 => Op::Append(path(r), data(r)),
        27..=34 => {
            let t = if r.chance(15) {
                format!("/{}", path(r).trim_start_matches('/'))
            } else {
                path(r)
            };
            Op::Symlink(t, path(r))
        }
        35..=39 => Op::Link(path(r), path(r)),
        40..=49 => Op::Rename(path(r), path(r)),
        50..=56 => Op::Unlink(path(r)),
        57..=61 => Op::Rmdir(path(r)),
        62..=65 => Op::Stat(path(r)),
        66..=69 => Op::Lstat(path(r)),
        70..=71 => Op::Readlink(path(r)),
        72..=74 => Op::Read(path(r)),
        75..=76 => Op::ReadDir(path(r)),
        77..=78 => Op::Realpath(path(r)),
        79..=80 => Op::Chdir(path(r)),
        81 => Op::Getcwd,
        82..=83 => Op::Truncate(path(r), r.below(12)),
        84..=85 => Op::Chmod(path(r), *r.pick(&[0o755, 0o700, 0o644, 0o000, 0o1777])),
        86..=90 => {
            let flags = [
                R,
                W,
                R | W,
                APPEND,
                W | CREAT,
                W | CREAT | EXCL,
                W | TRUNC,
                R | DIRECTORY,
                R | NOFOLLOW,
                W | CREAT | TRUNC,
            ];
            Op::Open(slot, path(r), *r.pick(&flags), 0o644)
        }
        91..=92 => Op::WriteH(slot, data(r)),
        93 => Op::ReadH(slot, 1 + r.below(8) as usize),
        94 => Op::SeekH(slot, r.below(3) as u8, r.below(10) as i64 - 3),
        95 => Op::Close(slot),
        96 => Op::FstatH(slot),
        97 => Op::SetLenH(slot, r.below(8)),
        98 => Op::Access(path(r), r.below(8) as u8),
        _ => {
            if r.chance(50) {
                Op::AsUser(1000, 1000)
            } else {
                Op::AsRoot
            }
        }
    }
}

fn case(r: &mut Rng) -> Vec<Op> {
    let n = 4 + r.below(22);
    let mut ops: Vec<Op> = (0..n).map(|_| op(r)).collect();
    ops.push(Op::Dump);
    ops
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Remove ops one at a time while the case still differs from Linux.
fn shrink(mut ops: Vec<Op>) -> Vec<Op> {
    loop {
        let candidates: Vec<Vec<Op>> = (0..ops.len().saturating_sub(1))
            .map(|i| {
                let mut c = ops.clone();
                c.remove(i);
                c
            })
            .collect();
        if candidates.is_empty() {
            return ops;
        }
        let real = run_real(&candidates);
        let smaller = candidates
            .into_iter()
            .zip(real)
            .find(|(c, real)| compare(c, &run_vfs(c), real).is_err());
        match smaller {
            Some((c, _)) => ops = c,
            None => return ops,
        }
    }
}

#[test]
fn random_operation_sequences_match_linux() {
    let seed = env_u64("VFS_PROP_SEED", 0x5eed_0fa6_e700);
    let n = env_u64("VFS_PROP_CASES", 2000);
    let mut r = Rng(seed);
    let cases: Vec<Vec<Op>> = (0..n).map(|_| case(&mut r)).collect();
    let real = run_real(&cases);
    for (i, (ops, real)) in cases.iter().zip(&real).enumerate() {
        let vfs = run_vfs(ops);
        if compare(ops, &vfs, real).is_err() {
            let small = shrink(ops.clone());
            let real = run_real(std::slice::from_ref(&small));
            let msg = compare(&small, &run_vfs(&small), &real[0])
                .err()
                .unwrap_or_default();
            panic!("case {i} of seed {seed:#x} differs from Linux (shrunk):\n{msg}");
        }
    }
}

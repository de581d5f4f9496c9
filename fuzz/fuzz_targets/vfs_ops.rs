//! Operation plans for vfs-core, decoded from the fuzzer's bytes: no input may panic, and
//! the filesystem must pass `fsck` after every operation.
//!
//! `cargo +nightly fuzz run vfs_ops` (from `fuzz/`); a crash file replays with the same
//! command and the file's path.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = vfs_core::fuzzing::run(data);
});

//! Memory per empty file, counted by a global allocator: an empty file must cost under
//! 200 bytes beyond its name (the target), measured over 100,000 files.

#![allow(clippy::unwrap_used, missing_docs, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

#[test]
fn empty_files_cost_under_200_bytes_beyond_their_names() {
    const N: usize = 100_000;
    let fs = vfs_core::Vfs::new();
    fs.mkdir("/d", 0o755).unwrap();
    let names: Vec<String> = (0..N).map(|i| format!("/d/{i:08}")).collect();
    let name_bytes: usize = names.iter().map(|n| n.len() - 3).sum();
    let before = LIVE.load(Ordering::SeqCst);
    for n in &names {
        fs.write(n, "").unwrap();
    }
    let used = LIVE.load(Ordering::SeqCst) - before;
    let per_file = (used as usize - name_bytes) / N;
    println!("{per_file} bytes per empty file beyond its name");
    assert!(per_file < 200, "{per_file} bytes per empty file");
    // And forking the tree costs (almost) nothing.
    let before = LIVE.load(Ordering::SeqCst);
    let fork = fs.fork();
    let fork_cost = LIVE.load(Ordering::SeqCst) - before;
    println!("fork of {N} files: {fork_cost} bytes");
    assert!(fork_cost < 4096, "fork allocated {fork_cost} bytes");
    drop(fork);
}

//! vfs-core against `std::fs` on /dev/shm (tmpfs), measured in the same run.
//!
//! `cargo bench -p vfs-core --bench fs`. Each group has a `vfs` and a `shm` variant doing
//! the same work; the README reports their ratio.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::PathBuf;
use vfs_core::{OpenOptions, Vfs};

fn main() {
    divan::main();
}

const SMALL: usize = 10_000;

fn shm_dir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}

mod create_write_close_10k_small_files {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn vfs(b: divan::Bencher) {
        b.with_inputs(|| {
            let fs = Vfs::new();
            fs.mkdir("/d", 0o755).unwrap();
            let names: Vec<String> = (0..SMALL).map(|i| format!("/d/f{i}")).collect();
            (fs, names)
        })
        .bench_local_values(|(fs, names)| {
            for n in &names {
                let mut h = fs.open(n, &OpenOptions::create_truncate()).unwrap();
                h.write(b"hello world\n").unwrap();
            }
            (fs, names)
        });
    }

    #[divan::bench(sample_count = 20)]
    fn shm(b: divan::Bencher) {
        b.with_inputs(|| {
            let dir = shm_dir();
            let names: Vec<PathBuf> = (0..SMALL)
                .map(|i| dir.path().join(format!("f{i}")))
                .collect();
            (dir, names)
        })
        .bench_local_values(|(dir, names)| {
            for n in &names {
                let mut f = std::fs::File::create(n).unwrap();
                f.write_all(b"hello world\n").unwrap();
            }
            (dir, names)
        });
    }
}

mod stat_10k_paths {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn vfs(b: divan::Bencher) {
        let fs = Vfs::new();
        fs.create_dir_all("/a/b/c", 0o755).unwrap();
        let names: Vec<String> = (0..SMALL).map(|i| format!("/a/b/c/f{i}")).collect();
        for n in &names {
            fs.write(n, "x").unwrap();
        }
        b.bench_local(|| {
            for n in &names {
                divan::black_box(fs.stat(n).unwrap());
            }
        });
    }

    #[divan::bench(sample_count = 20)]
    fn shm(b: divan::Bencher) {
        let dir = shm_dir();
        let base = dir.path().join("a/b/c");
        std::fs::create_dir_all(&base).unwrap();
        let names: Vec<PathBuf> = (0..SMALL).map(|i| base.join(format!("f{i}"))).collect();
        for n in &names {
            std::fs::write(n, "x").unwrap();
        }
        b.bench_local(|| {
            for n in &names {
                divan::black_box(std::fs::metadata(n).unwrap());
            }
        });
    }
}

mod read_100mb_file {
    use super::*;

    const SIZE: usize = 100 << 20;

    #[divan::bench(sample_count = 10)]
    fn vfs(b: divan::Bencher) {
        let fs = Vfs::new();
        fs.write("/big", vec![7u8; SIZE]).unwrap();
        let mut buf = vec![0u8; 1 << 20];
        b.bench_local(|| {
            let mut h = fs.open("/big", &OpenOptions::read_only()).unwrap();
            let mut total = 0;
            loop {
                let n = h.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                total += n;
            }
            assert_eq!(total, SIZE);
        });
    }

    #[divan::bench(sample_count = 10)]
    fn shm(b: divan::Bencher) {
        let dir = shm_dir();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![7u8; SIZE]).unwrap();
        let mut buf = vec![0u8; 1 << 20];
        b.bench_local(|| {
            let mut f = std::fs::File::open(&p).unwrap();
            let mut total = 0;
            loop {
                let n = f.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                total += n;
            }
            assert_eq!(total, SIZE);
        });
    }
}

mod fork_tree {
    use super::*;

    #[divan::bench(args = [1_000, 100_000], sample_count = 50)]
    fn vfs(b: divan::Bencher, files: usize) {
        let fs = Vfs::new();
        for d in 0..files.div_ceil(1000) {
            fs.mkdir(format!("/d{d}"), 0o755).unwrap();
        }
        for i in 0..files {
            fs.write(format!("/d{}/f{i}", i / 1000), "content").unwrap();
        }
        b.bench_local(|| divan::black_box(fs.fork()));
    }

    #[divan::bench(args = [1_000, 100_000], sample_count = 50)]
    fn snapshot(b: divan::Bencher, files: usize) {
        let fs = Vfs::new();
        for d in 0..files.div_ceil(1000) {
            fs.mkdir(format!("/d{d}"), 0o755).unwrap();
        }
        for i in 0..files {
            fs.write(format!("/d{}/f{i}", i / 1000), "content").unwrap();
        }
        b.bench_local(|| divan::black_box(fs.snapshot()));
    }
}

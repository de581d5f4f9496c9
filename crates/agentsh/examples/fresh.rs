//! Time a fresh in-process shell running `echo hi` (profiling aid).

fn main() {
    let t = std::time::Instant::now();
    let n = 20000;
    for _ in 0..n {
        let mut sh = runner::shell::Shell::new(runner::shell::vfs_core::Vfs::new());
        let r = sh.exec("echo hi");
        assert_eq!(r.stdout, b"hi\n");
    }
    println!("{:?} per fresh shell", t.elapsed() / n);
}

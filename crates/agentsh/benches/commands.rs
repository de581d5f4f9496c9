//! The text commands against GNU coreutils on the same 20 MB input, measured in one run:
//! `cargo bench -p agentsh --bench commands`. Each group runs one command line twice:
//! `agentsh` runs it in-process on a fork of an in-memory filesystem holding the input;
//! `gnu` runs it with real bash and coreutils (LC_ALL=C) in a directory on /dev/shm.
//! Both write their output to a file next to the input. The README reports the ratios.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use runner::shell::Shell;
use runner::shell::vfs_core::Vfs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn main() {
    divan::main();
    // The GNU runs' copy of the inputs (100,000 files among them) goes with the process.
    if let Some(dir) = SHM_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

static SHM_DIR: OnceLock<PathBuf> = OnceLock::new();

/// 20 MB of text: 1.7 M lines of a number and a few words.
fn input() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        const WORDS: &[&str] = &[
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
        ];
        let mut out = Vec::with_capacity(21 << 20);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        while out.len() < 20 << 20 {
            let n = next() % 100_000;
            let w1 = WORDS[(next() % 26) as usize];
            let w2 = WORDS[(next() % 26) as usize];
            out.extend_from_slice(format!("{n}\t{w1} {w2}\n").as_bytes());
        }
        out
    })
}

/// The same rows as comma-separated values.
fn csv() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        input()
            .iter()
            .map(|&b| if b == b'\t' || b == b' ' { b',' } else { b })
            .collect()
    })
}

/// About 10 MB of JSON: an array of objects.
fn json() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut out = b"[".to_vec();
        for (i, line) in input().split(|&b| b == b'\n').enumerate() {
            if out.len() > 10 << 20 || line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(line);
            let mut parts = text.split('\t');
            let n = parts.next().unwrap_or("0");
            let name = parts.next().unwrap_or("");
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(
                format!("{{\"id\":{n},\"name\":\"{name}\",\"ok\":{}}}", i % 2 == 0).as_bytes(),
            );
        }
        out.extend_from_slice(b"]\n");
        out
    })
}

/// 100 directories of 1,000 files each, for find.
const TREE_DIRS: usize = 100;
const TREE_FILES: usize = 1000;

/// The filesystem with the inputs under `/w`, made once; every run works on an O(1) fork.
fn template() -> &'static Vfs {
    static FS: OnceLock<Vfs> = OnceLock::new();
    FS.get_or_init(|| {
        let fs = Vfs::new();
        fs.mkdir("/w", 0o755).unwrap();
        fs.write("/w/big", input().to_vec()).unwrap();
        fs.write("/w/big.csv", csv().to_vec()).unwrap();
        fs.write("/w/big.json", json().to_vec()).unwrap();
        fs.mkdir("/w/tree", 0o755).unwrap();
        for d in 0..TREE_DIRS {
            fs.mkdir(format!("/w/tree/d{d}"), 0o755).unwrap();
            for f in 0..TREE_FILES {
                fs.write(format!("/w/tree/d{d}/f{f}"), Vec::new()).unwrap();
            }
        }
        fs
    })
}

/// The directory on /dev/shm holding `big` for the GNU runs.
fn shm_dir() -> &'static PathBuf {
    SHM_DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("agentsh-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("big"), input()).unwrap();
        std::fs::write(dir.join("big.csv"), csv()).unwrap();
        std::fs::write(dir.join("big.json"), json()).unwrap();
        for d in 0..TREE_DIRS {
            let sub = dir.join(format!("tree/d{d}"));
            std::fs::create_dir_all(&sub).unwrap();
            for f in 0..TREE_FILES {
                std::fs::write(sub.join(format!("f{f}")), b"").unwrap();
            }
        }
        dir
    })
}

fn agentsh(script: &str) {
    let mut sh = Shell::new(template().fork());
    sh.set_cwd("/w").unwrap();
    let r = sh.exec(script);
    assert_eq!(r.status, 0, "{}", String::from_utf8_lossy(&r.stderr));
}

fn gnu(script: &str) {
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(shm_dir())
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

macro_rules! pair {
    ($name:ident, $script:expr) => {
        mod $name {
            #[divan::bench(sample_count = 5)]
            fn agentsh() {
                super::agentsh($script);
            }

            #[divan::bench(sample_count = 5)]
            fn gnu() {
                super::gnu($script);
            }
        }
    };
}

pair!(cat, "cat big > out");
pair!(wc_l, "wc -l big > out");
pair!(wc_w, "wc -w big > out");
pair!(sort, "sort big > out");
pair!(sort_n, "sort -n big > out");
pair!(sort_u, "sort -u big > out");
pair!(uniq_c, "uniq -c big > out");
pair!(cut_f, "cut -f2 big > out");
pair!(tr, "tr a-z A-Z < big > out");
pair!(head, "head -n 1000000 big > out");
pair!(tail, "tail -n 1000000 big > out");
pair!(md5sum, "md5sum big > out");
pair!(grep_c_literal, "grep -c tango big > out");
pair!(grep_c_regex, "grep -cE 'al(pha|ima) [a-d]' big > out");
pair!(grep_o, "grep -oE '[0-9]+5\\b' big > out");
pair!(sed_s_global, "sed 's/1/x/g' big > out");
pair!(sed_n_print, "sed -n '/kilo.*echo/p' big > out");
pair!(awk_sum, "awk '{s+=$1} END{print s}' big > out");
pair!(awk_field, "awk -F, '{print $2}' big.csv > out");
pair!(jq_names, "jq '.[] | .name' big.json > out");
pair!(find_tree, "find tree -type f -name '*7' > out");

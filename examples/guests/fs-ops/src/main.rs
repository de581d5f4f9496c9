//! `fs-ops`: a plain command (`fn main`) that runs filesystem operations read from stdin
//! with `std::fs`, so the same script can run natively on Linux and as a WASI component in
//! the sandbox, and the outputs can be compared line by line.
//!
//! Each stdin line is one operation: a name and space-separated arguments; `DATA` is the
//! rest of the line (it may contain spaces). Empty lines and lines starting with `#` are
//! skipped. Paths are used as given (relative ones resolve from the working directory).
//! Every operation prints exactly one line: its result, or `ERR <io::ErrorKind as Debug>`
//! (the kind, not the raw errno, because WASI and Linux number errors differently).
//!
//! | operation | result line |
//! | --- | --- |
//! | `mkdir P`, `mkdir_all P`, `remove_file P`, `remove_dir P`, `remove_dir_all P` | `ok` |
//! | `write P DATA` (`fs::write`), `append P DATA` (open append, no create), `create P` (`File::create`), `create_new P` | `ok` |
//! | `rename A B`, `hard_link A B`, `symlink TARGET LINK`, `set_len P N` (open for writing, `set_len`) | `ok` |
//! | `copy A B` | the bytes copied |
//! | `read P` | the contents, `{:?}` of the lossy string |
//! | `open P` (`File::open`, no read) | `ok` |
//! | `open_rw_seek P OFFSET DATA` | opens read+write (no create), seeks to `OFFSET`, writes `DATA`, reads the whole file back: `{:?}` of it |
//! | `read_dir P` | the sorted entries as `name:type` separated by spaces, `(empty)` when none |
//! | `stat P`, `lstat P` | `file LEN`, `dir`, or `symlink LEN` |
//! | `nlink P` | the hard link count (`stat(2)` through libc) |
//! | `read_link P` | the target |
//! | `canonicalize P` | the canonical path relative to the start directory (`.` for itself), or `OUTSIDE <path>` |
//! | `exists P`, `metadata_is_dir P`, `is_symlink P` | `true` or `false` |
//! | `try_exists P` | `true`, `false` or `ERR …` |
//! | `tree P` | every node under `P` (not following symlinks), sorted, as `path:type` (files with `=<contents>`, symlinks with `-><target>`), separated by spaces |
//!
//! Each error is also described on stderr with its raw errno (`<line>: <error> (errno
//! Some(n))`). An unknown operation or a missing argument prints `BAD <line>`. The start directory is
//! the working directory when the program starts (`/` under WASI).

use std::ffi::CString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::mem::MaybeUninit;
use std::path::{Path, PathBuf};

fn main() {
    let start = std::env::current_dir()
        .and_then(fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("/"));
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let result = match run(line, &start) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                // The raw errno goes to stderr, for diagnosing differences of kind.
                eprintln!("{line}: {e} (errno {:?})", e.raw_os_error());
                format!("ERR {:?}", e.kind())
            }
            None => format!("BAD {line}"),
        };
        if writeln!(out, "{result}").is_err() {
            break;
        }
    }
    let _ = out.flush();
}

/// The first `n` space-separated words of `rest`, and what follows them.
fn split(rest: &str, n: usize) -> Option<(Vec<&str>, &str)> {
    let mut words = Vec::with_capacity(n);
    let mut rest = rest;
    for _ in 0..n {
        let rest_trimmed = rest.trim_start_matches(' ');
        if rest_trimmed.is_empty() {
            return None;
        }
        let end = rest_trimmed.find(' ').unwrap_or(rest_trimmed.len());
        words.push(&rest_trimmed[..end]);
        rest = rest_trimmed[end..].strip_prefix(' ').unwrap_or("");
    }
    Some((words, rest))
}

fn ok(r: io::Result<()>) -> io::Result<String> {
    r.map(|()| "ok".to_string())
}

/// Run one operation; `None` when the line is not one.
fn run(line: &str, start: &Path) -> Option<io::Result<String>> {
    let (op, rest) = line.split_once(' ').unwrap_or((line, ""));
    let one = || split(rest, 1).map(|(w, _)| w[0]);
    let two = || split(rest, 2).map(|(w, _)| (w[0], w[1]));
    let with_data = || split(rest, 1).map(|(w, data)| (w[0], data));
    Some(match op {
        "mkdir" => ok(fs::create_dir(one()?)),
        "mkdir_all" => ok(fs::create_dir_all(one()?)),
        "write" => {
            let (p, data) = with_data()?;
            ok(fs::write(p, data))
        }
        "append" => {
            let (p, data) = with_data()?;
            ok(OpenOptions::new()
                .append(true)
                .open(p)
                .and_then(|mut f| f.write_all(data.as_bytes())))
        }
        "create" => ok(File::create(one()?).map(drop)),
        "create_new" => ok(File::create_new(one()?).map(drop)),
        "open" => ok(File::open(one()?).map(drop)),
        "read" => fs::read(one()?).map(|b| format!("{:?}", String::from_utf8_lossy(&b))),
        "open_rw_seek" => {
            let (w, data) = split(rest, 2)?;
            let offset: u64 = w[1].parse().ok()?;
            open_rw_seek(w[0], offset, data)
        }
        "set_len" => {
            let (p, n) = two()?;
            let n: u64 = n.parse().ok()?;
            ok(OpenOptions::new()
                .write(true)
                .open(p)
                .and_then(|f| f.set_len(n)))
        }
        "read_dir" => read_dir(one()?),
        "stat" => fs::metadata(one()?).map(|m| describe(&m)),
        "lstat" => fs::symlink_metadata(one()?).map(|m| describe(&m)),
        "nlink" => nlink(one()?).map(|n| n.to_string()),
        "rename" => {
            let (a, b) = two()?;
            ok(fs::rename(a, b))
        }
        "remove_file" => ok(fs::remove_file(one()?)),
        "remove_dir" => ok(fs::remove_dir(one()?)),
        "remove_dir_all" => ok(fs::remove_dir_all(one()?)),
        "symlink" => {
            let (target, link) = two()?;
            ok(symlink(target, link))
        }
        "read_link" => fs::read_link(one()?).map(|p| p.display().to_string()),
        "hard_link" => {
            let (a, b) = two()?;
            ok(fs::hard_link(a, b))
        }
        "canonicalize" => fs::canonicalize(one()?).map(|p| relative_to(&p, start)),
        "copy" => {
            let (a, b) = two()?;
            fs::copy(a, b).map(|n| n.to_string())
        }
        "exists" => Ok(Path::new(one()?).exists().to_string()),
        "try_exists" => fs::exists(one()?).map(|b| b.to_string()),
        "metadata_is_dir" => Ok(fs::metadata(one()?).is_ok_and(|m| m.is_dir()).to_string()),
        "is_symlink" => Ok(Path::new(one()?).is_symlink().to_string()),
        "tree" => tree(Path::new(one()?)),
        _ => return None,
    })
}

fn open_rw_seek(path: &str, offset: u64, data: &str) -> io::Result<String> {
    let mut f = OpenOptions::new().read(true).write(true).open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    f.write_all(data.as_bytes())?;
    f.seek(SeekFrom::Start(0))?;
    let mut all = Vec::new();
    f.read_to_end(&mut all)?;
    Ok(format!("{:?}", String::from_utf8_lossy(&all)))
}

fn kind(t: fs::FileType) -> &'static str {
    if t.is_symlink() {
        "symlink"
    } else if t.is_dir() {
        "dir"
    } else if t.is_file() {
        "file"
    } else {
        "other"
    }
}

fn describe(m: &fs::Metadata) -> String {
    match kind(m.file_type()) {
        "dir" => "dir".to_string(),
        k => format!("{k} {}", m.len()),
    }
}

fn read_dir(path: &str) -> io::Result<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        let t = entry.file_type()?;
        names.push(format!(
            "{}:{}",
            entry.file_name().to_string_lossy(),
            kind(t)
        ));
    }
    names.sort();
    Ok(if names.is_empty() {
        "(empty)".to_string()
    } else {
        names.join(" ")
    })
}

fn tree(root: &Path) -> io::Result<String> {
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.sort();
    Ok(if out.is_empty() {
        "(empty)".to_string()
    } else {
        out.join(" ")
    })
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let t = entry.file_type()?;
        if t.is_symlink() {
            out.push(format!(
                "{shown}:symlink->{}",
                fs::read_link(&path)?.display()
            ));
        } else if t.is_dir() {
            out.push(format!("{shown}:dir"));
            walk(root, &path, out)?;
        } else {
            let bytes = fs::read(&path)?;
            out.push(format!("{shown}:file={}", String::from_utf8_lossy(&bytes)));
        }
    }
    Ok(())
}

fn relative_to(p: &Path, start: &Path) -> String {
    match p.strip_prefix(start) {
        Ok(r) if r.as_os_str().is_empty() => ".".to_string(),
        Ok(r) => r.display().to_string(),
        Err(_) => format!("OUTSIDE {}", p.display()),
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &str) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// std's WASI `symlink_path` is unstable, so call wasi-libc's `symlink`.
#[cfg(target_os = "wasi")]
#[allow(unsafe_code)]
fn symlink(target: &str, link: &str) -> io::Result<()> {
    let target = CString::new(target)?;
    let link = CString::new(link)?;
    // SAFETY: both are NUL-terminated strings that outlive the call.
    if unsafe { libc::symlink(target.as_ptr(), link.as_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The hard link count: std has no stable accessor on WASI, so ask libc's `stat` (which
/// wasi-libc implements over `wasi:filesystem`) on both targets.
#[allow(unsafe_code)]
fn nlink(path: &str) -> io::Result<u64> {
    let c = CString::new(path)?;
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `c` is a NUL-terminated string and `st` points to writable memory the size
    // of `struct stat`; it is read only after `stat` reported success, which filled it.
    let st = unsafe {
        if libc::stat(c.as_ptr(), st.as_mut_ptr()) != 0 {
            return Err(io::Error::last_os_error());
        }
        st.assume_init()
    };
    #[allow(clippy::unnecessary_cast)]
    Ok(st.st_nlink as u64)
}

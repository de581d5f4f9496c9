//! Pathname expansion (globbing) over the VFS, as bash 5.2 does it.
//!
//! [`expand`] takes one word in which quoted characters are already escaped with a
//! backslash ([`crate::pattern::escape`]) and returns the sorted pathnames it matches.
//!
//! The word is split at its last `/` into a directory part and a last component. A
//! directory part with wildcards is expanded first (recursively); then each directory
//! found is scanned for names matching the last component. This reproduces bash's
//! details, among them:
//!
//! - relative words give relative results, absolute words absolute ones, and slashes
//!   are kept as written, except that a run of slashes right after an expanded
//!   component collapses to one (`*//f` gives `dir/f`, `dir//*` gives `dir//f`);
//! - a trailing slash matches directories only (symlinks to directories included);
//! - a component without wildcards is not listed: the last one is checked with
//!   `lstat` (so dangling symlinks count), the others by using them;
//! - names starting with `.` need a literal `.` unless `dotglob`; `.` and `..` are
//!   never produced (bash 5.2's `globskipdots`);
//! - with `globstar`, a component that is exactly `**` matches any number of
//!   directories, descending into symlinks to directories only at the first level
//!   (`link/**` lists the target, `**` does not enter `link`); `dir/**` starts with
//!   `dir/` itself, `**/` gives directories with a trailing slash;
//! - unreadable or missing directories are skipped silently; duplicates (possible with
//!   several `**`) are kept, as bash keeps them; results are sorted bytewise.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use vfs_core::{DirEntry, Vfs};

use crate::pattern::{Pattern, PatternOptions};

/// Globbing options (bash's `shopt` settings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GlobOptions {
    /// `extglob`: extended patterns (`@(a|b)`, `!(x)`, ...) in each component.
    pub extglob: bool,
    /// `nocaseglob`: wildcard components match names regardless of case.
    pub nocaseglob: bool,
    /// `dotglob`: wildcards also match names starting with `.`.
    pub dotglob: bool,
    /// `globstar`: `**` alone as a component matches any number of directories.
    pub globstar: bool,
}

/// Why an expansion failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlobError {
    /// More pathnames than the limit (counted at every stage of the expansion).
    TooManyResults(usize),
}

impl std::fmt::Display for GlobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlobError::TooManyResults(limit) => {
                write!(f, "pathname expansion: more than {limit} results")
            }
        }
    }
}

impl std::error::Error for GlobError {}

/// Expand one word against the VFS, as bash's pathname expansion does.
///
/// `word` holds backslash escapes for quoted characters (see [`crate::pattern::escape`]).
/// Returns `None` if it has no unescaped wildcard (`*`, `?`, a `[` closed by a later
/// `]`, or one of `+(`, `@(`, `!(`): the caller keeps the word (after quote removal).
/// Otherwise returns the matching pathnames, sorted bytewise and unescaped, possibly
/// none (the caller then applies `nullglob`/`failglob`). Relative words are resolved
/// against the VFS working directory. More than `limit` pathnames, in the result or
/// at any intermediate stage, is an error.
pub fn expand(
    vfs: &Vfs,
    word: &[u8],
    opts: GlobOptions,
    limit: usize,
) -> Result<Option<Vec<Vec<u8>>>, GlobError> {
    if glob_kind(word) != Kind::Glob {
        return Ok(None);
    }
    let globber = Globber { vfs, opts, limit };
    let mut found = globber.path(word, Flags::default())?;
    found.sort_unstable();
    Ok(Some(found))
}

/// What a word holds, as bash's `glob_pattern_p` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Plain text.
    Plain,
    /// Wildcards.
    Glob,
    /// No wildcards, but backslash escapes to remove.
    Escaped,
}

fn glob_kind(p: &[u8]) -> Kind {
    let mut open_bracket = false;
    let mut escaped = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'?' | b'*' => return Kind::Glob,
            b'[' => open_bracket = true,
            b']' if open_bracket => return Kind::Glob,
            b'+' | b'@' | b'!' if p.get(i + 1) == Some(&b'(') => return Kind::Glob,
            b'\\' => {
                if i + 1 == p.len() {
                    // A pattern cannot end in a lone backslash.
                    return Kind::Plain;
                }
                escaped = true;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    if escaped { Kind::Escaped } else { Kind::Plain }
}

/// Remove backslash escapes.
fn dequote(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        out.push(p[i]);
        i += 1;
    }
    out
}

fn path_of(b: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(b))
}

/// How a (sub-)expansion runs.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    /// Expanding `**`: list everything below the directory, as full paths.
    all_dirs: bool,
    /// With `all_dirs`, also list the directory itself.
    add_current: bool,
    /// The directory is the implicit `.` of a relative word: do not prefix it.
    null_dir: bool,
    /// Expanding the directory part of a longer word.
    recurse: bool,
}

/// The result of a stage: pathnames, empty when nothing matched or a directory could
/// not be read (bash treats both alike).
type Found = Result<Vec<Vec<u8>>, GlobError>;

struct Globber<'a> {
    vfs: &'a Vfs,
    opts: GlobOptions,
    limit: usize,
}

fn is_starstar(p: &[u8]) -> bool {
    p == b"**"
}

impl Globber<'_> {
    fn check(&self, n: usize) -> Result<(), GlobError> {
        if n > self.limit {
            Err(GlobError::TooManyResults(self.limit))
        } else {
            Ok(())
        }
    }

    /// `stat` says directory (following symlinks).
    fn is_dir(&self, p: &[u8]) -> bool {
        !p.is_empty() && self.vfs.stat(path_of(p)).is_ok_and(|m| m.is_dir())
    }

    /// `lstat` says symlink and `stat` says directory.
    fn is_dir_symlink(&self, p: &[u8]) -> bool {
        !p.is_empty() && self.vfs.lstat(path_of(p)).is_ok_and(|m| m.is_symlink()) && self.is_dir(p)
    }

    fn pattern(&self, p: &[u8]) -> Pattern {
        Pattern::new(
            p,
            PatternOptions {
                extglob: self.opts.extglob,
                nocase: self.opts.nocaseglob,
                dot_special: !self.opts.dotglob,
                slash_special: true,
            },
        )
    }

    /// Expand a whole (partial) word.
    fn path(&self, word: &[u8], flags: Flags) -> Found {
        let (dir, file): (&[u8], &[u8]) = match last_slash(word, self.opts.extglob) {
            Some(i) => (&word[..=i], &word[i + 1..]),
            None => (b"", word),
        };
        let dir_kind = if dir.is_empty() {
            Kind::Plain
        } else {
            glob_kind(dir)
        };
        if dir_kind == Kind::Glob {
            return self.under_glob_dir(dir, file, flags);
        }
        if file.is_empty() {
            // Only a directory part, without wildcards.
            if dir_kind == Kind::Escaped {
                let plain = dequote(dir);
                if !flags.recurse && !self.is_dir(&plain) {
                    return Ok(Vec::new());
                }
                return Ok(vec![plain]);
            }
            return Ok(vec![dir.to_vec()]);
        }
        let dir = dequote(dir);
        let mut sub = Flags {
            null_dir: dir.is_empty(),
            ..flags
        };
        if self.opts.globstar && is_starstar(file) {
            sub.all_dirs = true;
            sub.add_current = !dir.is_empty() || flags.all_dirs;
        }
        let scan_dir: &[u8] = if dir.is_empty() { b"." } else { &dir };
        let names = self.scan(file, scan_dir, sub)?;
        Ok(if sub.all_dirs {
            names
        } else {
            join_all(&dir, names)
        })
    }

    /// Expand `dir` + `file` where `dir` (ending in `/`) has wildcards.
    fn under_glob_dir(&self, dir: &[u8], file: &[u8], flags: Flags) -> Found {
        let globstar = self.opts.globstar;
        let mut d: &[u8] = dir;
        let mut len = dir.len();
        let mut all_starstar = false;
        let mut last_starstar = false;
        let mut sub = Flags {
            recurse: true,
            ..flags
        };
        if globstar && d.starts_with(b"**") && matches!(d.get(2), Some(b'/') | None) {
            // Leading `**/**/...`: keep only the last `**` of the run.
            let mut at = 0;
            let mut p = 0;
            while d[at..].starts_with(b"**") && matches!(d.get(at + 2), Some(b'/') | None) {
                p = at;
                if at + 2 < d.len() {
                    at += 3;
                    while d.get(at) == Some(&b'/') {
                        at += 1;
                    }
                    if at == d.len() {
                        break;
                    }
                } else {
                    at += 2;
                    break;
                }
            }
            all_starstar = at == d.len();
            d = &d[p..];
            len = d.len();
            sub.all_dirs = true;
            sub.add_current = true;
        }
        if globstar && !all_starstar {
            // Trailing `/**/**/`: collapse to one `/**/`.
            let mut dl = len;
            let mut prev = len;
            while dl >= 4 && &d[dl - 4..dl] == b"/**/" {
                prev = dl;
                dl -= 3;
            }
            last_starstar = dl != len;
            len = prev;
        }
        if last_starstar && len > 4 && is_starstar(file) {
            // `x/**/**`: the final `**` does the work.
            len -= 3;
        }
        let mut dpart = &d[..len];
        if dpart.last() == Some(&b'/') {
            dpart = &dpart[..dpart.len() - 1];
        }
        let dirs = self.path(dpart, sub)?;
        if dirs.is_empty() {
            return Ok(Vec::new());
        }
        if all_starstar && is_starstar(file) {
            // `**/**`: the same as `**`.
            return self.path(file, flags);
        }
        let mut out: Vec<Vec<u8>> = Vec::new();
        for dname in &dirs {
            let mut f = Flags {
                all_dirs: false,
                add_current: false,
                ..flags
            };
            if globstar && is_starstar(file) {
                f.all_dirs = true;
                f.add_current = true;
            }
            let mut scan_dir: &[u8] = dname;
            if dname.is_empty() && !file.is_empty() {
                f.null_dir = true;
                scan_dir = b".";
            }
            let names = if all_starstar && !f.null_dir && self.is_dir_symlink(scan_dir) {
                // `**` does not descend into symlinks to directories below the start.
                if file.is_empty() {
                    vec![Vec::new()]
                } else {
                    continue;
                }
            } else {
                self.scan(file, scan_dir, f)?
            };
            if f.all_dirs && is_starstar(file) {
                // Already full paths.
                if f.null_dir && !flags.null_dir && names.iter().any(Vec::is_empty) {
                    // `.` was scanned: everything below is listed; stop here.
                    out.extend(names.into_iter().filter(|n| !n.is_empty()));
                    self.check(out.len())?;
                    break;
                }
                out.extend(names);
            } else {
                out.extend(join_all(dname, names));
            }
            self.check(out.len())?;
        }
        Ok(out)
    }

    /// The names in directory `dir` that match `pat` (bash's `glob_vector`); with
    /// `all_dirs`, every path below `dir`.
    fn scan(&self, pat: &[u8], dir: &[u8], flags: Flags) -> Found {
        if pat.is_empty() {
            return Ok(if self.is_dir(dir) {
                vec![Vec::new()]
            } else {
                Vec::new()
            });
        }
        if glob_kind(pat) != Kind::Glob {
            if !self.is_dir(dir) {
                return Ok(Vec::new());
            }
            let name = dequote(pat);
            let mut full = dir.to_vec();
            full.push(b'/');
            full.extend_from_slice(&name);
            return Ok(if self.vfs.lstat(path_of(&full)).is_ok() {
                vec![name]
            } else {
                Vec::new()
            });
        }
        if flags.all_dirs {
            return self.walk(dir, flags);
        }
        let Ok(entries) = self.vfs.read_dir(path_of(dir)) else {
            return Ok(Vec::new());
        };
        let pattern = self.pattern(pat);
        let mut out = Vec::new();
        for entry in &entries {
            let name = entry.name_bytes();
            if pattern.matches(name) {
                out.push(name.to_vec());
                self.check(out.len())?;
            }
        }
        Ok(out)
    }

    /// Everything below `dir` as full paths, not entering symlinks; hidden names only
    /// with `dotglob`. With `add_current`, `dir` itself too (or the empty name for
    /// the implicit `.`).
    fn walk(&self, dir: &[u8], flags: Flags) -> Found {
        let mut out: Vec<Vec<u8>> = Vec::new();
        let Ok(entries) = self.vfs.read_dir(path_of(dir)) else {
            return Ok(out);
        };
        // Names directly in the implicit `.` get no prefix.
        let bare = flags.null_dir && (dir == b"." || dir == b"./");
        let mut todo: Vec<(Vec<u8>, Vec<DirEntry>)> = vec![(dir.to_vec(), entries)];
        let mut top = bare;
        while let Some((d, entries)) = todo.pop() {
            for entry in &entries {
                let name = entry.name_bytes();
                if !self.opts.dotglob && name.first() == Some(&b'.') {
                    continue;
                }
                let sub = if top {
                    name.to_vec()
                } else {
                    let mut s = d.clone();
                    if s.last() != Some(&b'/') {
                        s.push(b'/');
                    }
                    s.extend_from_slice(name);
                    s
                };
                // Real directories only: symlinks are listed, not entered.
                if entry.file_type.is_dir()
                    && let Ok(below) = self.vfs.read_dir(path_of(&sub))
                {
                    todo.push((sub.clone(), below));
                }
                out.push(sub);
                self.check(out.len())?;
            }
            top = false;
        }
        if flags.add_current {
            out.push(if flags.null_dir {
                Vec::new()
            } else {
                dir.to_vec()
            });
            self.check(out.len())?;
        }
        Ok(out)
    }
}

/// Prefix each name with `dir` (and a `/` unless `dir` ends with one); an empty name
/// gives `dir` with its slash. An empty `dir` leaves the names as they are.
fn join_all(dir: &[u8], names: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    if dir.is_empty() {
        return names;
    }
    let slash = dir.last() != Some(&b'/');
    names
        .into_iter()
        .map(|name| {
            let mut p = Vec::with_capacity(dir.len() + 1 + name.len());
            p.extend_from_slice(dir);
            if slash {
                p.push(b'/');
            }
            p.extend_from_slice(&name);
            p
        })
        .collect()
}

/// The last `/` of `word`, skipping, with `extglob`, those inside an extended group
/// (whose alternatives may hold slashes). Like bash, escaped slashes count.
fn last_slash(word: &[u8], extglob: bool) -> Option<usize> {
    let mut last = None;
    let mut i = 0;
    while i < word.len() {
        match word[i] {
            b'/' => last = Some(i),
            b'?' | b'*' | b'+' | b'@' | b'!' if extglob && word.get(i + 1) == Some(&b'(') => {
                if let Some(end) = crate::pattern::patscan(word, i + 2) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfs_core::Cred;

    const ROOT: &str = "/tmp/gt/root/t";

    /// The tree the expectations were taken on with bash 5.2 (`cd $ROOT`):
    ///
    /// ```text
    /// A Ab a ab b .h x*y [x] q? q1        files
    /// dir/{f1,f2,.hf} dir/sub/{g,.hid/z,deep/er/leaf} dir/sub/up -> ..
    /// .hd/k  e/  link -> dir  dang -> nowhere  flink -> a
    /// p/noread (711)/secret  p/nosearch (744)/{inner,sub/deep}  p/locked (700)/x
    /// p/open/y
    /// ```
    fn tree() -> Vfs {
        let mut fs = Vfs::new();
        for d in [
            "dir/sub/.hid",
            "dir/sub/deep/er",
            ".hd",
            "e",
            "p/noread",
            "p/nosearch/sub",
            "p/locked",
            "p/open",
        ] {
            fs.create_dir_all(format!("{ROOT}/{d}"), 0o755).unwrap();
        }
        for f in [
            "a",
            "b",
            "ab",
            ".h",
            "x*y",
            "A",
            "Ab",
            "[x]",
            "q?",
            "q1",
            "dir/f1",
            "dir/f2",
            "dir/.hf",
            "dir/sub/g",
            "dir/sub/.hid/z",
            "dir/sub/deep/er/leaf",
            ".hd/k",
            "p/noread/secret",
            "p/nosearch/inner",
            "p/nosearch/sub/deep",
            "p/locked/x",
            "p/open/y",
        ] {
            fs.write(format!("{ROOT}/{f}"), "").unwrap();
        }
        fs.symlink("dir", format!("{ROOT}/link")).unwrap();
        fs.symlink("nowhere", format!("{ROOT}/dang")).unwrap();
        fs.symlink("a", format!("{ROOT}/flink")).unwrap();
        fs.symlink("..", format!("{ROOT}/dir/sub/up")).unwrap();
        fs.chmod(format!("{ROOT}/p/noread"), 0o711).unwrap();
        fs.chmod(format!("{ROOT}/p/nosearch"), 0o744).unwrap();
        fs.chmod(format!("{ROOT}/p/locked"), 0o700).unwrap();
        fs.set_cwd(ROOT).unwrap();
        fs
    }

    fn opts(flags: &str) -> GlobOptions {
        GlobOptions {
            extglob: flags.contains('e'),
            nocaseglob: flags.contains('n'),
            dotglob: flags.contains('d'),
            globstar: flags.contains('g'),
        }
    }

    fn check(fs: &Vfs, rows: &[(&str, &str, Option<&str>)]) {
        for &(flags, word, want) in rows {
            let got = expand(fs, word.as_bytes(), opts(flags), 100_000).unwrap();
            let got = got.map(|v| {
                v.iter()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            assert_eq!(got.as_deref(), want, "{flags} {word}");
        }
    }

    /// `(flags, word, result)`: flags `e` extglob, `n` nocaseglob, `d` dotglob,
    /// `g` globstar; the result is what bash 5.2 prints for `shopt -s nullglob; echo
    /// WORD` in the tree, or `None` for a word without wildcards.
    const AS_ROOT: &[(&str, &str, Option<&str>)] = &[
        (
            "-",
            "*",
            Some("A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("-", ".*", Some(".h .hd")),
        ("-", "?", Some("A a b e p")),
        ("-", "[ab]", Some("a b")),
        ("-", "*/", Some("dir/ e/ link/ p/")),
        (
            "-",
            "*/*",
            Some(
                "dir/f1 dir/f2 dir/sub link/f1 link/f2 link/sub p/locked p/noread p/nosearch p/open",
            ),
        ),
        ("-", "d*/s*", Some("dir/sub")),
        ("-", "dir/*", Some("dir/f1 dir/f2 dir/sub")),
        ("-", "dir/.*", Some("dir/.hf")),
        ("-", "dir/*/", Some("dir/sub/")),
        ("-", "dir//*", Some("dir//f1 dir//f2 dir//sub")),
        ("-", "dir///f*", Some("dir///f1 dir///f2")),
        (
            "-",
            "./*",
            Some("./A ./Ab ./[x] ./a ./ab ./b ./dang ./dir ./e ./flink ./link ./p ./q1 ./q? ./x*y"),
        ),
        ("-", "./d*/", Some("./dir/")),
        ("-", "../t/a*", Some("../t/a ../t/ab")),
        (
            "-",
            "/tmp/gt/root/t/a*",
            Some("/tmp/gt/root/t/a /tmp/gt/root/t/ab"),
        ),
        (
            "-",
            "//tmp/gt/root/t/a*",
            Some("//tmp/gt/root/t/a //tmp/gt/root/t/ab"),
        ),
        ("-", "/tmp/gt/root/*/a", Some("/tmp/gt/root/t/a")),
        ("-", "/tmp/*/root/", Some("/tmp/gt/root/")),
        ("-", "*/.", Some("dir/. e/. link/. p/.")),
        ("-", "*/sub", Some("dir/sub link/sub")),
        ("-", "*/nonexist", Some("")),
        ("-", "nodir/*", Some("")),
        ("-", "a/b*", Some("")),
        ("-", "dir/sub/.h*", Some("dir/sub/.hid")),
        ("-", "x\\*y", None),
        ("-", "x\\**", Some("x*y")),
        ("-", "*\\*", Some("")),
        ("-", "\\a*", Some("a ab")),
        ("-", "l*/", Some("link/")),
        ("-", "l*/*", Some("link/f1 link/f2 link/sub")),
        ("-", "dang*", Some("dang")),
        ("-", "dang/*", Some("")),
        ("-", "*/g", Some("")),
        ("-", "*/*/g", Some("dir/sub/g link/sub/g")),
        (
            "-",
            "*/*/",
            Some("dir/sub/ link/sub/ p/locked/ p/noread/ p/nosearch/ p/open/"),
        ),
        ("-", "d*//", Some("dir/")),
        ("-", "dir/*//", Some("dir/sub/")),
        ("-", "*/./f1", Some("dir/./f1 link/./f1")),
        ("-", "*/../a", Some("dir/../a e/../a link/../a p/../a")),
        (
            "-",
            "d?r/../*",
            Some(
                "dir/../A dir/../Ab dir/../[x] dir/../a dir/../ab dir/../b dir/../dang dir/../dir dir/../e dir/../flink dir/../link dir/../p dir/../q1 dir/../q? dir/../x*y",
            ),
        ),
        (
            "-",
            "dir/sub/up/*",
            Some("dir/sub/up/f1 dir/sub/up/f2 dir/sub/up/sub"),
        ),
        ("-", "..*", Some("")),
        ("-", ".?", Some(".h")),
        ("-", ".[a-z]*", Some(".h .hd")),
        ("-", "[.]*", Some("")),
        ("-", "*h", Some("")),
        ("-", "a", None),
        ("-", "nofile", None),
        ("-", "a\\b", None),
        ("-", "[", None),
        ("-", "a[", None),
        ("-", "a]", None),
        ("-", "[]", Some("")),
        ("-", "*[", Some("")),
        ("-", "\\*", None),
        ("-", "di[r]", Some("dir")),
        ("-", "di[r]/f1", Some("dir/f1")),
        ("-", "link/f*", Some("link/f1 link/f2")),
        ("-", "fl*/", Some("")),
        ("-", "e/*", Some("")),
        ("-", "e/", None),
        ("-", "*e/", Some("e/")),
        ("-", "dir/sub/*/er", Some("dir/sub/deep/er")),
        (
            "-",
            "[!a]*",
            Some("A Ab [x] b dang dir e flink link p q1 q? x*y"),
        ),
        (
            "-",
            "[^a]*",
            Some("A Ab [x] b dang dir e flink link p q1 q? x*y"),
        ),
        (
            "-",
            "*/*/*/*",
            Some(
                "dir/sub/deep/er dir/sub/up/f1 dir/sub/up/f2 dir/sub/up/sub link/sub/deep/er link/sub/up/f1 link/sub/up/f2 link/sub/up/sub p/nosearch/sub/deep",
            ),
        ),
        ("-", ".hd/*", Some(".hd/k")),
        ("-", ".h*/*", Some(".hd/k")),
        ("-", "*/f1/", Some("")),
        ("-", "dir/f?/", Some("")),
        (
            "d",
            "*",
            Some(".h .hd A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("d", "*/", Some(".hd/ dir/ e/ link/ p/")),
        (
            "d",
            "*/*",
            Some(
                ".hd/k dir/.hf dir/f1 dir/f2 dir/sub link/.hf link/f1 link/f2 link/sub p/locked p/noread p/nosearch p/open",
            ),
        ),
        ("d", ".*", Some(".h .hd")),
        ("d", "?", Some("A a b e p")),
        ("d", "[.]*", Some(".h .hd")),
        ("d", ".?", Some(".h")),
        ("d", "dir/*", Some("dir/.hf dir/f1 dir/f2 dir/sub")),
        ("d", "*h", Some(".h")),
        ("n", "a*", Some("A Ab a ab")),
        ("n", "[a]*", Some("A Ab a ab")),
        ("n", "A*", Some("A Ab a ab")),
        ("n", "DIR/*", Some("")),
        ("n", "d*/F*", Some("dir/f1 dir/f2")),
        ("n", "dir", None),
        ("n", "DIR", None),
        ("n", "D?R", Some("dir")),
        (
            "n",
            "[A-Z]*",
            Some("A Ab a ab b dang dir e flink link p q1 q? x*y"),
        ),
        (
            "e",
            "!(a)",
            Some("A Ab [x] ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("e", "@(a|b)", Some("a b")),
        ("e", "*(a)b", Some("ab b")),
        ("e", "!(*)", Some("")),
        ("e", "d!(x)/*", Some("dir/f1 dir/f2 dir/sub")),
        ("e", ".!(h)", Some(".hd")),
        (
            "e",
            "!(.h)",
            Some("A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("e", "@(.h|a)", Some(".h a")),
        (
            "e",
            "?(x)*",
            Some("A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("e", "+([ab])", Some("a ab b")),
        ("e", "dir/!(f1)", Some("dir/f2 dir/sub")),
        (
            "e",
            "!(dir)/*",
            Some("link/f1 link/f2 link/sub p/locked p/noread p/nosearch p/open"),
        ),
        (
            "g",
            "**",
            Some(
                "A Ab [x] a ab b dang dir dir/f1 dir/f2 dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up e flink link p p/locked p/locked/x p/noread p/noread/secret p/nosearch p/nosearch/inner p/nosearch/sub p/nosearch/sub/deep p/open p/open/y q1 q? x*y",
            ),
        ),
        (
            "g",
            "**/",
            Some(
                "dir/ dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/ e/ link/ p/ p/locked/ p/noread/ p/nosearch/ p/nosearch/sub/ p/open/",
            ),
        ),
        (
            "g",
            "**/*",
            Some(
                "A Ab [x] a ab b dang dir dir/f1 dir/f2 dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up e flink link p p/locked p/locked/x p/noread p/noread/secret p/nosearch p/nosearch/inner p/nosearch/sub p/nosearch/sub/deep p/open p/open/y q1 q? x*y",
            ),
        ),
        (
            "g",
            "dir/**",
            Some(
                "dir/ dir/f1 dir/f2 dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up",
            ),
        ),
        (
            "g",
            "dir/**/",
            Some("dir/ dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/"),
        ),
        ("g", "**/g", Some("dir/sub/g")),
        ("g", "**/.hid", Some("dir/sub/.hid")),
        ("g", "**/z", Some("")),
        (
            "g",
            "link/**",
            Some(
                "link/ link/f1 link/f2 link/sub link/sub/deep link/sub/deep/er link/sub/deep/er/leaf link/sub/g link/sub/up",
            ),
        ),
        ("g", "a**b", Some("ab")),
        (
            "g",
            "**/**",
            Some(
                "A Ab [x] a ab b dang dir dir/f1 dir/f2 dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up e flink link p p/locked p/locked/x p/noread p/noread/secret p/nosearch p/nosearch/inner p/nosearch/sub p/nosearch/sub/deep p/open p/open/y q1 q? x*y",
            ),
        ),
        ("g", "x/**", Some("")),
        ("g", "**/f*", Some("dir/f1 dir/f2 flink")),
        (
            "g",
            "dir/**/f*",
            Some("dir/f1 dir/f2 dir/sub/up/f1 dir/sub/up/f2"),
        ),
        (
            "g",
            "***",
            Some("A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        (
            "g",
            "**/*/",
            Some(
                "dir/ dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/ e/ link/ p/ p/locked/ p/noread/ p/nosearch/ p/nosearch/sub/ p/open/",
            ),
        ),
        ("g", "**a", Some("a")),
        ("g", "dir/**/g", Some("dir/sub/g")),
        (
            "g",
            "**/sub/*",
            Some("dir/sub/deep dir/sub/g dir/sub/up p/nosearch/sub/deep"),
        ),
        ("g", "**/sub/", Some("dir/sub/ p/nosearch/sub/")),
        ("g", "dir/**/**/g", Some("dir/sub/g")),
        ("g", ".hd/**", Some(".hd/ .hd/k")),
        (
            "g",
            "./**",
            Some(
                "./ ./A ./Ab ./[x] ./a ./ab ./b ./dang ./dir ./dir/f1 ./dir/f2 ./dir/sub ./dir/sub/deep ./dir/sub/deep/er ./dir/sub/deep/er/leaf ./dir/sub/g ./dir/sub/up ./e ./flink ./link ./p ./p/locked ./p/locked/x ./p/noread ./p/noread/secret ./p/nosearch ./p/nosearch/inner ./p/nosearch/sub ./p/nosearch/sub/deep ./p/open ./p/open/y ./q1 ./q? ./x*y",
            ),
        ),
        (
            "g",
            "d*/**/",
            Some("dir/ dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/"),
        ),
        (
            "gd",
            "**",
            Some(
                ".h .hd .hd/k A Ab [x] a ab b dang dir dir/.hf dir/f1 dir/f2 dir/sub dir/sub/.hid dir/sub/.hid/z dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up e flink link p p/locked p/locked/x p/noread p/noread/secret p/nosearch p/nosearch/inner p/nosearch/sub p/nosearch/sub/deep p/open p/open/y q1 q? x*y",
            ),
        ),
        ("gd", "**/z", Some("dir/sub/.hid/z")),
        (
            "gd",
            "**/",
            Some(
                ".hd/ dir/ dir/sub/ dir/sub/.hid/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/ e/ link/ p/ p/locked/ p/noread/ p/nosearch/ p/nosearch/sub/ p/open/",
            ),
        ),
        ("g", "e/**", Some("e/")),
        ("g", "a/**", Some("")),
        (
            "g",
            "link/**/",
            Some("link/ link/sub/ link/sub/deep/ link/sub/deep/er/ link/sub/up/"),
        ),
        (
            "g",
            "**/up/*",
            Some("dir/sub/up/f1 dir/sub/up/f2 dir/sub/up/sub"),
        ),
        (
            "g",
            "dir/sub/up/**",
            Some(
                "dir/sub/up/ dir/sub/up/f1 dir/sub/up/f2 dir/sub/up/sub dir/sub/up/sub/deep dir/sub/up/sub/deep/er dir/sub/up/sub/deep/er/leaf dir/sub/up/sub/g dir/sub/up/sub/up",
            ),
        ),
        (
            "g",
            "/tmp/gt/root/t/dir/**/g",
            Some("/tmp/gt/root/t/dir/sub/g"),
        ),
        (
            "g",
            "dir//**",
            Some(
                "dir// dir//f1 dir//f2 dir//sub dir//sub/deep dir//sub/deep/er dir//sub/deep/er/leaf dir//sub/g dir//sub/up",
            ),
        ),
        ("g", "dir/**//g", Some("dir/sub/g")),
        ("-", "*//f1", Some("dir/f1 link/f1")),
        ("-", "*///f*", Some("dir/f1 dir/f2 link/f1 link/f2")),
        ("-", "d*//f*", Some("dir/f1 dir/f2")),
        ("-", "dir//s*//g", Some("dir//sub/g")),
        ("-", "/tmp//g*//root", Some("/tmp//gt/root")),
        ("-", "/tmp//g*//root/", Some("/tmp//gt/root/")),
        ("-", "/tmp//g*//r*/", Some("/tmp//gt/root/")),
        ("-", "/tmp//g*//r*//", Some("/tmp//gt/root/")),
        ("-", "//tmp", None),
        ("-", "//t*", Some("//tmp")),
        ("-", "///t*", Some("///tmp")),
        (
            "-",
            "*/*/up/f*",
            Some("dir/sub/up/f1 dir/sub/up/f2 link/sub/up/f1 link/sub/up/f2"),
        ),
        (
            "-",
            "dir/s\\ub/*",
            Some("dir/sub/deep dir/sub/g dir/sub/up"),
        ),
        ("-", "d\\ir/*", Some("dir/f1 dir/f2 dir/sub")),
        ("-", "d\\*r/*", Some("")),
        ("-", "di\\r/s*", Some("dir/sub")),
        ("-", "\\d*/s*", Some("dir/sub")),
        ("-", "*/s\\ub", Some("dir/sub link/sub")),
        ("-", "*/\\s*", Some("dir/sub link/sub")),
        ("-", "dir/sub/../f*", Some("dir/sub/../f1 dir/sub/../f2")),
        ("-", "./././a*", Some("./././a ./././ab")),
        ("-", ".//a*", Some(".//a .//ab")),
        ("-", "./", None),
        ("-", "*/./", Some("dir/./ e/./ link/./ p/./")),
        ("-", "*/.//", Some("dir/./ e/./ link/./ p/./")),
        ("-", "dir/./*", Some("dir/./f1 dir/./f2 dir/./sub")),
        ("-", "d*/./*", Some("dir/./f1 dir/./f2 dir/./sub")),
        ("g", "**/up", Some("dir/sub/up")),
        ("g", "**/up/", Some("dir/sub/up/")),
        ("g", "dir/**/up/f1", Some("dir/sub/up/f1")),
        ("g", "link/**/g", Some("link/sub/g")),
        (
            "g",
            "**/sub/**",
            Some(
                "dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up p/nosearch/sub p/nosearch/sub/deep",
            ),
        ),
        (
            "g",
            "*/**",
            Some(
                "dir dir/f1 dir/f2 dir/sub dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf dir/sub/g dir/sub/up e link link/f1 link/f2 link/sub link/sub/deep link/sub/deep/er link/sub/deep/er/leaf link/sub/g link/sub/up p p/locked p/locked/x p/noread p/noread/secret p/nosearch p/nosearch/inner p/nosearch/sub p/nosearch/sub/deep p/open p/open/y",
            ),
        ),
        ("g", "**/deep/**/", Some("dir/sub/deep/ dir/sub/deep/er/")),
        (
            "g",
            "dir/**/deep/**",
            Some("dir/sub/deep dir/sub/deep/er dir/sub/deep/er/leaf"),
        ),
        ("g", "./**/g", Some("./dir/sub/g")),
        ("g", "**//g", Some("dir/sub/g")),
        (
            "g",
            "dir/sub/**/",
            Some("dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/"),
        ),
        ("g", "**/e", Some("e")),
        ("g", "**/e/", Some("e/")),
        ("g", ".hd/**/k", Some(".hd/k")),
        ("g", "**/.hd/**", Some(".hd .hd/k")),
        (
            "g",
            "**/*f*",
            Some("dir/f1 dir/f2 dir/sub/deep/er/leaf flink"),
        ),
        ("g", "**x", Some("")),
        ("g", "x**", Some("x*y")),
        ("g", "a/**/b", Some("")),
        ("g", "nodir/**", Some("")),
        ("g", "dir/**/nonexist", Some("")),
        ("g", "**/**/g", Some("dir/sub/g")),
        (
            "g",
            "**/**/",
            Some(
                "dir/ dir/sub/ dir/sub/deep/ dir/sub/deep/er/ dir/sub/up/ e/ link/ p/ p/locked/ p/noread/ p/nosearch/ p/nosearch/sub/ p/open/",
            ),
        ),
        (
            "g",
            "**/*/**/g",
            Some("dir/sub/g dir/sub/g dir/sub/up/sub/g link/sub/g"),
        ),
        ("e", "@(dir|e)/*", Some("dir/f1 dir/f2 dir/sub")),
        (
            "e",
            "!(dir|e|link|p)",
            Some("A Ab [x] a ab b dang flink q1 q? x*y"),
        ),
        ("e", "+(d|i|r)/f?", Some("dir/f1 dir/f2")),
        ("e", "@(d*|x)/", Some("dir/")),
        ("e", "*(x)dir/f1", Some("dir/f1")),
        ("e", "@(dir/f1|x)", Some("")),
        ("e", "dir/@(f1|f2)", Some("dir/f1 dir/f2")),
        ("e", "?(.)h*", Some(".h .hd")),
        ("e", "@(.|a)*", Some(".h .hd a ab")),
        (
            "e",
            "!(*.*)",
            Some("A Ab [x] a ab b dang dir e flink link p q1 q? x*y"),
        ),
        ("e", "dir/!(*1)", Some("dir/f2 dir/sub")),
        (
            "e",
            "*/!(f*)",
            Some("dir/sub link/sub p/locked p/noread p/nosearch p/open"),
        ),
        (
            "e",
            "@(dir|link)/sub/*",
            Some("dir/sub/deep dir/sub/g dir/sub/up link/sub/deep link/sub/g link/sub/up"),
        ),
        ("n", "*/F*", Some("dir/f1 dir/f2 link/f1 link/f2")),
        ("n", "[[:upper:]]*", Some("A Ab")),
        ("ne", "@(A|B)*", Some("A Ab a ab b")),
        (
            "ne",
            "!(a*)",
            Some("[x] b dang dir e flink link p q1 q? x*y"),
        ),
        ("d", ".*/*", Some(".hd/k")),
        ("d", "*/.*", Some("dir/.hf link/.hf")),
        ("d", ".h*/*", Some(".hd/k")),
        ("dg", "**/.h*", Some(".h .hd dir/.hf dir/sub/.hid")),
        ("dg", ".hd/**", Some(".hd/ .hd/k")),
        ("gn", "**/G", Some("")),
        ("gn", "D*/**/G", Some("")),
        ("gdn", "**/Z", Some("")),
        ("gdne", "**/@(z|g)", Some("dir/sub/.hid/z dir/sub/g")),
        ("-", "x\\*?", Some("x*y")),
        ("-", "\\[*", Some("[x]")),
        ("-", "\\[x\\]", None),
        ("-", "[[]x]", Some("[x]")),
        ("-", "q\\?", None),
        ("-", "q?", Some("q1 q?")),
        ("-", "[q]\\?", Some("q?")),
        ("-", "./*/", Some("./dir/ ./e/ ./link/ ./p/")),
        ("-", "../*/", Some("../t/")),
        (
            "-",
            "/tmp/gt/root/t/*/f1",
            Some("/tmp/gt/root/t/dir/f1 /tmp/gt/root/t/link/f1"),
        ),
        ("g", "/tmp/gt/root/t/**/g", Some("/tmp/gt/root/t/dir/sub/g")),
        ("-", "[a-b]*", Some("a ab b")),
        ("-", "[!ab]", Some("A e p")),
        ("-", "[[:lower:]]", Some("a b e p")),
        ("-", "dir/sub/*/", Some("dir/sub/deep/ dir/sub/up/")),
        ("-", "di?/sub/", Some("dir/sub/")),
        ("-", "di?/sub//", Some("dir/sub/")),
        (
            "-",
            "*/*/.",
            Some("dir/sub/. link/sub/. p/locked/. p/noread/. p/nosearch/. p/open/."),
        ),
        (
            "-",
            "*/*/..",
            Some("dir/sub/.. link/sub/.. p/locked/.. p/noread/.. p/nosearch/.. p/open/.."),
        ),
        ("-", ".*/", Some(".hd/")),
        ("-", "*/.*/", Some("")),
        ("-", ".?*", Some(".h .hd")),
        ("-", "dir/sub/deep/er/*", Some("dir/sub/deep/er/leaf")),
        (
            "-",
            "dir/sub/up/sub/up/f*",
            Some("dir/sub/up/sub/up/f1 dir/sub/up/sub/up/f2"),
        ),
        ("-", "dir/sub/up/sub/up/*/", Some("dir/sub/up/sub/up/sub/")),
        ("-", "x[*]y", Some("x*y")),
        ("-", "x?y", Some("x*y")),
        ("-", "x[\\*]y", Some("x*y")),
        ("e", "x@(\\*)y", Some("x*y")),
        ("-", "[\\]]*", Some("")),
        ("-", "[]x[]*", Some("[x] x*y")),
        ("-", "*[]]", Some("[x]")),
        ("g", "d**/", Some("dir/")),
        ("g", "**y", Some("x*y")),
        ("g", "dir/**g", Some("")),
    ];

    /// The same, as uid 65534 (`setpriv --reuid=65534 bash`): unreadable or
    /// unsearchable directories are skipped silently.
    const AS_NOBODY: &[(&str, &str, Option<&str>)] = &[
        ("-", "p/*", Some("p/locked p/noread p/nosearch p/open")),
        ("-", "p/*/", Some("p/locked/ p/noread/ p/nosearch/ p/open/")),
        (
            "-",
            "p/*/*",
            Some("p/nosearch/inner p/nosearch/sub p/open/y"),
        ),
        ("-", "p/noread/*", Some("")),
        ("-", "p/noread/secret", None),
        ("-", "p/*/secret", Some("p/noread/secret")),
        ("-", "p/nosearch/*", Some("p/nosearch/inner p/nosearch/sub")),
        ("-", "p/*/inner", Some("")),
        ("-", "p/nosearch/s*/*", Some("")),
        ("-", "p/locked/*", Some("")),
        ("-", "p/l*/x", Some("")),
        (
            "g",
            "p/**",
            Some("p/ p/locked p/noread p/nosearch p/nosearch/inner p/nosearch/sub p/open p/open/y"),
        ),
        (
            "g",
            "p/**/",
            Some("p/ p/locked/ p/noread/ p/nosearch/ p/open/"),
        ),
        ("g", "**/secret", Some("p/noread/secret")),
        ("g", "**/deep", Some("dir/sub/deep")),
        ("g", "p/**/y", Some("p/open/y")),
    ];

    #[test]
    fn expands_like_bash() {
        check(&tree(), AS_ROOT);
    }

    #[test]
    fn skips_unreadable_like_bash() {
        let mut fs = tree();
        fs.set_cred(Cred::user(65534, 65534));
        check(&fs, AS_NOBODY);
    }

    #[test]
    fn kinds_and_escapes() {
        assert_eq!(glob_kind(b"abc"), Kind::Plain);
        assert_eq!(glob_kind(b"a\\*c"), Kind::Escaped);
        assert_eq!(glob_kind(b"a\\"), Kind::Plain);
        assert_eq!(glob_kind(b"[a"), Kind::Plain);
        assert_eq!(glob_kind(b"a]["), Kind::Plain);
        assert_eq!(glob_kind(b"[a]"), Kind::Glob);
        assert_eq!(glob_kind(b"@(a)"), Kind::Glob);
        assert_eq!(glob_kind(b"a?"), Kind::Glob);
        assert_eq!(dequote(b"a\\*b\\\\c\\"), b"a*b\\c\\".to_vec());
        // A quoted word (escaped by the interpreter) never expands.
        let fs = tree();
        let quoted = crate::pattern::escape(b"*");
        assert_eq!(expand(&fs, &quoted, GlobOptions::default(), 10), Ok(None));
        let word = [crate::pattern::escape(b"x*"), b"?".to_vec()].concat();
        assert_eq!(
            expand(&fs, &word, GlobOptions::default(), 10),
            Ok(Some(vec![b"x*y".to_vec()]))
        );
    }

    #[test]
    fn limit_is_enforced() {
        let fs = tree();
        let g = opts("g");
        assert_eq!(expand(&fs, b"*", g, 3), Err(GlobError::TooManyResults(3)));
        assert!(expand(&fs, b"**", g, 12).is_err());
        assert!(expand(&fs, b"d*", g, 1).is_err());
        assert_eq!(expand(&fs, b"di*", g, 1), Ok(Some(vec![b"dir".to_vec()])));
    }

    #[test]
    fn symlink_loops_terminate() {
        let fs = Vfs::new();
        fs.create_dir_all("/l/a", 0o755).unwrap();
        fs.symlink("..", "/l/a/loop").unwrap();
        fs.symlink("loop2", "/l/loop1").unwrap();
        fs.symlink("loop1", "/l/loop2").unwrap();
        let g = opts("g");
        let all = expand(&fs, b"/l/**", g, 1000).unwrap();
        assert_eq!(
            all,
            Some(vec![
                b"/l/".to_vec(),
                b"/l/a".to_vec(),
                b"/l/a/loop".to_vec(),
                b"/l/loop1".to_vec(),
                b"/l/loop2".to_vec(),
            ])
        );
        assert_eq!(expand(&fs, b"/l/loop1/*", g, 1000), Ok(Some(vec![])));
        let deep = expand(&fs, b"/l/a/loop/a/loop/a/*", g, 1000).unwrap();
        assert_eq!(deep, Some(vec![b"/l/a/loop/a/loop/a/loop".to_vec()]));
    }

    #[test]
    fn relative_to_cwd_and_any_bytes() {
        let mut fs = tree();
        fs.set_cwd(format!("{ROOT}/dir")).unwrap();
        assert_eq!(
            expand(&fs, b"f*", GlobOptions::default(), 10),
            Ok(Some(vec![b"f1".to_vec(), b"f2".to_vec()]))
        );
        assert_eq!(
            expand(&fs, b"../[ab]", GlobOptions::default(), 10),
            Ok(Some(vec![b"../a".to_vec(), b"../b".to_vec()]))
        );
        let fs2 = Vfs::new();
        fs2.write(path_of(b"/caf\xe9"), "").unwrap();
        assert_eq!(
            expand(&fs2, b"/caf?", GlobOptions::default(), 10),
            Ok(Some(vec![b"/caf\xe9".to_vec()]))
        );
    }
}

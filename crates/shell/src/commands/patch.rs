//! `patch`: apply unified diffs to files, as GNU patch 2.7.6 does: `-p N`, `-R`,
//! `--dry-run`, `-i FILE`, `-N`, `-t`, `-f`, `-s`, `-F N`, `-E`, `-r FILE`, an
//! ORIGFILE operand; hunks are located with GNU's offset/fuzz search and its messages
//! (`Hunk #1 succeeded at 5 (offset 2 lines).`, `Hunk #1 FAILED at 3.`, rejects saved
//! to `FILE.rej`, `FILE.orig` kept when a hunk did not apply exactly); files are created
//! and removed for `/dev/null` headers. Exit 0 all applied, 1 some failed, 2 trouble.

use super::super::util::{Arg, MAX_INPUT, Out, parse_args, quote_shell};
use super::super::{Command, Ctx, Stop};

/// `patch [OPTION]... [ORIGFILE [PATCHFILE]]`
pub struct Patch;

const HELP: &str = include_str!("patch_help.txt");
const VERSION: &str = "GNU patch 2.7.6\nCopyright (C) 2003, 2009-2012 Free Software Foundation, Inc.\n\
Copyright (C) 1988 Larry Wall\n\n\
License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n\
Written by Larry Wall and Paul Eggert\n";

/// One line of a hunk: `b' '`, `b'-'` or `b'+'` and the text (with its newline unless
/// the patch said "No newline at end of file").
type HLine = (u8, Vec<u8>);

#[derive(Clone)]
struct Hunk {
    old_first: usize,
    old_len: usize,
    new_first: usize,
    new_len: usize,
    tail: Vec<u8>,
    lines: Vec<HLine>,
}

impl Hunk {
    fn swapped(&self) -> Hunk {
        Hunk {
            old_first: self.new_first,
            old_len: self.new_len,
            new_first: self.old_first,
            new_len: self.old_len,
            tail: self.tail.clone(),
            lines: self
                .lines
                .iter()
                .map(|(k, t)| {
                    let k = match k {
                        b'-' => b'+',
                        b'+' => b'-',
                        x => *x,
                    };
                    (k, t.clone())
                })
                .collect(),
        }
    }

    fn pattern(&self) -> Vec<&[u8]> {
        self.lines
            .iter()
            .filter(|(k, _)| *k != b'+')
            .map(|(_, t)| t.as_slice())
            .collect()
    }

    fn prefix_context(&self) -> usize {
        self.lines.iter().take_while(|(k, _)| *k == b' ').count()
    }

    fn suffix_context(&self) -> usize {
        self.lines
            .iter()
            .rev()
            .take_while(|(k, _)| *k == b' ')
            .count()
    }
}

struct FilePatch {
    /// The lines before the first hunk (for "The text leading up to this was").
    leading: Vec<Vec<u8>>,
    /// 1-based line number of the first hunk header.
    hunk_line: usize,
    old: Option<(String, String)>,
    new: Option<(String, String)>,
    index: Option<String>,
    old_raw: Vec<u8>,
    new_raw: Vec<u8>,
    hunks: Vec<Hunk>,
    /// A malformed hunk after these: the fatal message.
    error: Option<String>,
    /// A normal (context-free) diff.
    normal: bool,
}

struct Opts {
    strip: Option<usize>,
    reverse: bool,
    dry_run: bool,
    forward: bool,
    batch: bool,
    force: bool,
    silent: bool,
    fuzz: usize,
    remove_empty: bool,
    backup_mismatch: bool,
    reject: Option<String>,
    origfile: Option<String>,
}

fn fatal(ctx: &Ctx<'_>, msg: &str) -> i32 {
    let _ = ctx
        .stderr
        .write_all(format!("patch: **** {msg}\n").as_bytes());
    2
}

fn usage(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.err(msg);
    ctx.err("Try 'patch --help' for more information.");
    2
}

/// Split a header name field: the name ends at a tab (or, unquoted, at white space
/// before a timestamp); a C-quoted name is unquoted.
fn header_name(rest: &[u8]) -> (String, String) {
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    let s = String::from_utf8_lossy(rest).into_owned();
    if let Some(q) = s.strip_prefix('"') {
        let mut name = String::new();
        let mut it = q.chars();
        while let Some(c) = it.next() {
            match c {
                '"' => break,
                '\\' => match it.next() {
                    Some('t') => name.push('\t'),
                    Some('n') => name.push('\n'),
                    Some(o) => name.push(o),
                    None => {}
                },
                _ => name.push(c),
            }
        }
        let time = it.as_str().trim().to_string();
        return (name, time);
    }
    match s.split_once('\t') {
        Some((n, t)) => (n.to_string(), t.trim().to_string()),
        None => {
            // "name 2024-01-01 ..." without a tab: cut before a date-like word.
            let mut name = s.trim_end().to_string();
            let mut time = String::new();
            if let Some(i) = s.find(' ') {
                let after = s[i + 1..].trim_start();
                if after.starts_with(|c: char| c.is_ascii_digit()) || after.len() > 20 {
                    name = s[..i].to_string();
                    time = after.to_string();
                }
            }
            (name, time)
        }
    }
}

fn parse_range(s: &str) -> Option<(usize, usize)> {
    match s.split_once(',') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => Some((s.parse().ok()?, 1)),
    }
}

/// `@@ -a,b +c,d @@ tail`
fn parse_hunk_header(line: &[u8]) -> Option<Hunk> {
    let s = std::str::from_utf8(line).ok()?;
    let s = s.trim_end_matches(['\n', '\r']);
    let rest = s.strip_prefix("@@ -")?;
    let (ranges, tail) = rest.split_once(" @@")?;
    let (o, n) = ranges.split_once(" +")?;
    let (of, ol) = parse_range(o)?;
    let (nf, nl) = parse_range(n)?;
    Some(Hunk {
        old_first: if ol == 0 { of + 1 } else { of },
        old_len: ol,
        new_first: if nl == 0 { nf + 1 } else { nf },
        new_len: nl,
        tail: tail.as_bytes().to_vec(),
        lines: Vec::new(),
    })
}

/// Split the patch into per-file parts. `Err` holds a fatal message.
/// A normal-diff command line (`2,3c2`, `4a5`, `7d6`): the hunk skeleton and its kind.
fn parse_normal_header(line: &[u8]) -> Option<(Hunk, u8)> {
    let s = std::str::from_utf8(line)
        .ok()?
        .trim_end_matches(['\n', '\r']);
    let k = s.find(['a', 'c', 'd'])?;
    let kind = s.as_bytes()[k];
    let range = |r: &str| -> Option<(usize, usize)> {
        let ok = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        match r.split_once(',') {
            Some((a, b)) if ok(a) && ok(b) => Some((a.parse().ok()?, b.parse().ok()?)),
            None if ok(r) => {
                let v = r.parse().ok()?;
                Some((v, v))
            }
            _ => None,
        }
    };
    let (o1, o2) = range(&s[..k])?;
    let (n1, n2) = range(&s[k + 1..])?;
    if o2 < o1 || n2 < n1 {
        return None;
    }
    let (old_first, old_len) = if kind == b'a' {
        (o1 + 1, 0)
    } else {
        (o1, o2 - o1 + 1)
    };
    let (new_first, new_len) = if kind == b'd' {
        (n1 + 1, 0)
    } else {
        (n1, n2 - n1 + 1)
    };
    if kind == b'a' && o1 != o2 || kind == b'd' && n1 != n2 {
        return None;
    }
    Some((
        Hunk {
            old_first,
            old_len,
            new_first,
            new_len,
            tail: Vec::new(),
            lines: Vec::new(),
        },
        kind,
    ))
}

/// Read the body of a normal-diff hunk starting at `lines[*i]`; false if malformed.
fn normal_body(lines: &[&[u8]], i: &mut usize, h: &mut Hunk, kind: u8) -> bool {
    let take = |prefix: &[u8], mark: u8, n: usize, h: &mut Hunk, i: &mut usize| -> bool {
        for _ in 0..n {
            let Some(t) = lines.get(*i).and_then(|l| l.strip_prefix(prefix)) else {
                return false;
            };
            let mut t = t.to_vec();
            if !t.ends_with(b"\n") {
                t.push(b'\n');
            }
            h.lines.push((mark, t));
            *i += 1;
            if lines.get(*i).is_some_and(|x| x.starts_with(b"\\")) {
                if let Some(last) = h.lines.last_mut() {
                    last.1.pop();
                }
                *i += 1;
            }
        }
        true
    };
    let (ol, nl) = (h.old_len, h.new_len);
    if !take(b"< ", b'-', ol, h, i) {
        return false;
    }
    if kind == b'c' {
        if !lines.get(*i).is_some_and(|l| l.starts_with(b"---")) {
            return false;
        }
        *i += 1;
    }
    take(b"> ", b'+', nl, h, i)
}

fn parse_patch(data: &[u8], allow_normal: bool) -> Result<Vec<FilePatch>, String> {
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let end = data[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| pos + i + 1);
        lines.push(&data[pos..end]);
        pos = end;
    }
    let mut out = Vec::new();
    let mut leading: Vec<Vec<u8>> = Vec::new();
    let mut index = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(rest) = l.strip_prefix(b"Index: ") {
            let t = String::from_utf8_lossy(rest).trim().to_string();
            index = Some(t);
        }
        let is_header = l.starts_with(b"--- ")
            && lines.get(i + 1).is_some_and(|n| n.starts_with(b"+++ "))
            && lines.get(i + 2).is_some_and(|n| n.starts_with(b"@@ -"));
        if !is_header {
            if allow_normal && let Some((mut h, kind)) = parse_normal_header(l) {
                let hunk_line = i + 1;
                let mut hunks = Vec::new();
                let mut error = None;
                i += 1;
                if !normal_body(&lines, &mut i, &mut h, kind) {
                    leading.push(l.to_vec());
                    continue;
                }
                hunks.push(h);
                while let Some((mut h, kind)) = lines.get(i).and_then(|l| parse_normal_header(l)) {
                    let at = i;
                    i += 1;
                    if !normal_body(&lines, &mut i, &mut h, kind) {
                        error = Some(format!(
                            "malformed patch at line {}: {}",
                            at + 1,
                            String::from_utf8_lossy(lines[at])
                        ));
                        break;
                    }
                    hunks.push(h);
                }
                let stop = error.is_some();
                out.push(FilePatch {
                    leading: std::mem::take(&mut leading),
                    hunk_line,
                    old: None,
                    new: None,
                    index: index.take(),
                    old_raw: b"/dev/null".to_vec(),
                    new_raw: b"/dev/null".to_vec(),
                    hunks,
                    error,
                    normal: true,
                });
                if stop {
                    break;
                }
                continue;
            }
            leading.push(l.to_vec());
            i += 1;
            continue;
        }
        leading.push(l.to_vec());
        leading.push(lines[i + 1].to_vec());
        let old_raw = l[4..].to_vec();
        let new_raw = lines[i + 1][4..].to_vec();
        let old = header_name(&old_raw);
        let new = header_name(&new_raw);
        let hunk_line = i + 3;
        i += 2;
        let mut hunks = Vec::new();
        let mut error = None;
        while i < lines.len() && lines[i].starts_with(b"@@ -") {
            let Some(mut h) = parse_hunk_header(lines[i]) else {
                error = Some(format!(
                    "malformed patch at line {}: {}",
                    i + 1,
                    String::from_utf8_lossy(lines[i])
                ));
                break;
            };
            i += 1;
            let (mut o, mut n) = (0, 0);
            while o < h.old_len || n < h.new_len {
                let Some(&hl) = lines.get(i) else {
                    error = Some(format!("unexpected end of file in patch at line {}", i + 1));
                    break;
                };
                let (kind, text) = match hl.first() {
                    Some(b' ') => (b' ', &hl[1..]),
                    Some(b'-') => (b'-', &hl[1..]),
                    Some(b'+') => (b'+', &hl[1..]),
                    Some(b'\n') => (b' ', hl),
                    Some(b'\\') => {
                        i += 1;
                        continue;
                    }
                    _ => {
                        error = Some(format!(
                            "malformed patch at line {}: {}",
                            i + 1,
                            String::from_utf8_lossy(hl)
                        ));
                        break;
                    }
                };
                match kind {
                    b' ' => {
                        o += 1;
                        n += 1;
                    }
                    b'-' => o += 1,
                    _ => n += 1,
                }
                if o > h.old_len || n > h.new_len {
                    error = Some(format!(
                        "malformed patch at line {}: {}",
                        i + 1,
                        String::from_utf8_lossy(hl)
                    ));
                    break;
                }
                let mut t = text.to_vec();
                if !t.ends_with(b"\n") {
                    t.push(b'\n');
                }
                h.lines.push((kind, t));
                i += 1;
                if lines.get(i).is_some_and(|x| x.starts_with(b"\\")) {
                    if let Some(last) = h.lines.last_mut() {
                        last.1.pop();
                    }
                    i += 1;
                }
            }
            if error.is_some() {
                break;
            }
            hunks.push(h);
        }
        let stop = error.is_some();
        out.push(FilePatch {
            leading: std::mem::take(&mut leading),
            hunk_line,
            old: Some(old),
            new: Some(new),
            index: index.take(),
            old_raw,
            new_raw,
            hunks,
            error,
            normal: false,
        });
        if stop {
            break;
        }
    }
    Ok(out)
}

fn is_null(name: &(String, String)) -> bool {
    name.0 == "/dev/null" || name.1.starts_with("1970-01-01 00:00:00") && name.1.ends_with("+0000")
}

/// Strip `n` leading components (GNU: each ends at a run of slashes).
fn strip(name: &str, n: usize) -> Option<String> {
    let mut s = name;
    for _ in 0..n {
        let i = s.find('/')?;
        s = s[i..].trim_start_matches('/');
    }
    Some(s.to_string())
}

struct Run<'c, 'a> {
    ctx: &'c Ctx<'a>,
    o: Opts,
    out: Vec<u8>,
}

impl Run<'_, '_> {
    fn say(&mut self, s: &str) {
        if !self.o.silent {
            self.out.extend_from_slice(s.as_bytes());
        }
    }

    fn flush(&mut self) -> Result<(), Stop> {
        let mut w = Out::new(self.ctx);
        w.put(&self.out)?;
        self.out.clear();
        w.flush()
    }

    fn exists(&self, p: &str) -> bool {
        self.ctx.vfs.stat(p).is_ok()
    }

    fn resolve(&self, raw: &str) -> Option<String> {
        match self.o.strip {
            Some(n) => strip(raw, n).filter(|s| !s.is_empty()),
            None => Some(raw.rsplit('/').next().unwrap_or(raw).to_string()),
        }
    }

    /// GNU's `ok_to_reverse`: whether to reverse; may set `skip`.
    fn ok_to_reverse(&mut self, msg: &str, reverse: bool, skip: &mut bool) -> bool {
        if self.o.forward || !(self.o.force && self.o.silent) {
            let m = msg.to_string();
            self.out.extend_from_slice(m.as_bytes());
        }
        if self.o.forward {
            self.out.extend_from_slice(b"  Skipping patch.\n");
            *skip = true;
            false
        } else if self.o.force {
            self.say("  Applying it anyway.\n");
            false
        } else if self.o.batch {
            self.out.extend_from_slice(if reverse {
                b"  Ignoring -R.\n"
            } else {
                b"  Assuming -R.\n"
            });
            true
        } else {
            self.out.extend_from_slice(if reverse {
                b"  Ignore -R? [n] \n"
            } else {
                b"  Assume -R? [n] \n"
            });
            self.out.extend_from_slice(b"Apply anyway? [n] \n");
            self.say("Skipping patch.\n");
            *skip = true;
            false
        }
    }

    fn file(&mut self, fp: &FilePatch) -> Result<bool, i32> {
        let mut reverse = self.o.reverse;
        let nhunks = fp.hunks.len();
        let (mut old, mut new) = (fp.old.clone(), fp.new.clone());
        if reverse {
            std::mem::swap(&mut old, &mut new);
        }
        let old_null = old.as_ref().is_some_and(is_null);
        let new_null = new.as_ref().is_some_and(is_null);
        // Choose the file.
        let target: Option<String> = if let Some(f) = &self.o.origfile {
            Some(f.clone())
        } else {
            let cand = |n: &Option<(String, String)>, null: bool| -> Option<String> {
                if null {
                    return None;
                }
                n.as_ref().and_then(|x| self.resolve(&x.0))
            };
            let mut names: Vec<String> = Vec::new();
            for n in [cand(&old, old_null), cand(&new, new_null)]
                .into_iter()
                .flatten()
            {
                names.push(n);
            }
            if let Some(ix) = &fp.index
                && let Some(r) = self.resolve(ix)
            {
                names.push(r);
            }
            let existing: Vec<&String> = names.iter().filter(|n| self.exists(n)).collect();
            let best = |v: &[&String]| -> Option<String> {
                let mut b: Option<&String> = None;
                for n in v {
                    let key = |s: &str| {
                        (
                            s.matches('/').count(),
                            s.rsplit('/').next().map_or(0, str::len),
                            s.len(),
                        )
                    };
                    if b.is_none_or(|x| key(n) < key(x)) {
                        b = Some(n);
                    }
                }
                b.cloned()
            };
            if !existing.is_empty() {
                best(&existing)
            } else if old_null
                || fp
                    .hunks
                    .first()
                    .is_some_and(|h| h.old_len == 0 && nhunks == 1)
            {
                let v: Vec<&String> = names.iter().collect();
                best(&v)
            } else {
                None
            }
        };
        let Some(target) = target else {
            let wrong = if self.o.strip.is_some() {
                "used the wrong"
            } else {
                "should have used the"
            };
            let mut s = format!(
                "can't find file to patch at input line {}\nPerhaps you {wrong} -p or --strip option?\nThe text leading up to this was:\n--------------------------\n",
                fp.hunk_line
            );
            for l in &fp.leading {
                s.push('|');
                s.push_str(&String::from_utf8_lossy(l));
                if !l.ends_with(b"\n") {
                    s.push('\n');
                }
            }
            s.push_str("--------------------------\nFile to patch: \nSkip this patch? [y] \n");
            self.out.extend_from_slice(s.as_bytes());
            self.say("Skipping patch.\n");
            self.say(&format!(
                "{nhunks} out of {nhunks} hunk{} ignored\n",
                if nhunks == 1 { "" } else { "s" }
            ));
            return Ok(false);
        };
        let original: Option<Vec<u8>> = match self.ctx.vfs.stat(&target) {
            Ok(m) if m.file_type == vfs_core::FileType::Dir => {
                self.flush().map_err(Ctx::stop_status)?;
                return Err(fatal(
                    self.ctx,
                    &format!("{target} is not a regular file -- can't patch"),
                ));
            }
            Ok(m) if m.size as usize > MAX_INPUT => {
                self.flush().map_err(Ctx::stop_status)?;
                return Err(fatal(self.ctx, &format!("{target}: file too large")));
            }
            Ok(_) => match self.ctx.vfs.read(&target) {
                Ok(b) => Some(b.to_vec()),
                Err(e) => {
                    self.flush().map_err(Ctx::stop_status)?;
                    return Err(fatal(
                        self.ctx,
                        &format!("Can't open file {target} : {}", e.errno()),
                    ));
                }
            },
            Err(_) => None,
        };
        let qname = quote_shell(&target, false);
        let mut skip = false;
        let creating = old_null;
        if creating && original.as_ref().is_some_and(|d| !d.is_empty()) {
            let msg =
                format!("The next patch would create the file {qname},\nwhich already exists!");
            if self.ok_to_reverse(&msg, reverse, &mut skip) {
                reverse = !reverse;
            }
            if skip {
                self.say(&format!(
                    "{nhunks} out of {nhunks} hunk{} ignored\n",
                    if nhunks == 1 { "" } else { "s" }
                ));
                return Ok(false);
            }
        }
        self.say(&format!(
            "{} file {qname}\n",
            if self.o.dry_run {
                "checking"
            } else {
                "patching"
            }
        ));
        if let Some(e) = &fp.error {
            self.flush().map_err(Ctx::stop_status)?;
            return Err(fatal(self.ctx, e));
        }
        let input = original.clone().unwrap_or_default();
        let mut in_lines: Vec<&[u8]> = Vec::new();
        let mut pos = 0;
        while pos < input.len() {
            let end = input[pos..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(input.len(), |i| pos + i + 1);
            in_lines.push(&input[pos..end]);
            pos = end;
        }
        let mut result: Vec<u8> = Vec::with_capacity(input.len() + 64);
        let mut copied = 0usize; // input lines already copied / consumed (last_frozen_line)
        let mut in_offset: isize = 0;
        let mut out_offset: isize = 0;
        let mut failed_hunks: Vec<Hunk> = Vec::new();
        let mut failed_offsets: Vec<isize> = Vec::new();
        let mut mismatch = false;
        let mut apply_anyway = false;
        for (hno, h0) in fp.hunks.iter().enumerate() {
            if self.ctx.cancel.is_cancelled() {
                return Err(130);
            }
            let hunkno = hno + 1;
            let mut h = if reverse { h0.swapped() } else { h0.clone() };
            let mut where_: usize = 0;
            let mut fuzz: isize = 0;
            if !skip {
                let maxfuzz =
                    (self.o.fuzz as isize).min(h.prefix_context().max(h.suffix_context()) as isize);
                loop {
                    where_ = locate(&h, fuzz, &in_lines, copied, &mut in_offset);
                    if where_ == 0 || fuzz != 0 || in_offset != 0 {
                        mismatch = true;
                    }
                    if hunkno == 1
                        && where_ == 0
                        && !(self.o.force || apply_anyway)
                        && reverse == self.o.reverse
                    {
                        let sw = h.swapped();
                        let w2 = locate(&sw, fuzz, &in_lines, copied, &mut in_offset);
                        let msg = if reverse {
                            "Unreversed patch detected!"
                        } else {
                            "Reversed (or previously applied) patch detected!"
                        };
                        if w2 != 0 && self.ok_to_reverse(msg, reverse, &mut skip) {
                            reverse = !reverse;
                            h = sw;
                            where_ = w2;
                        } else if w2 != 0 {
                            apply_anyway = true;
                            fuzz -= 1;
                            where_ = 0;
                        }
                    }
                    if skip || where_ != 0 {
                        break;
                    }
                    fuzz += 1;
                    if fuzz > maxfuzz {
                        break;
                    }
                }
            }
            let newwhere = if where_ != 0 {
                where_ as isize
            } else {
                h.old_first as isize
            } + out_offset;
            if skip || where_ == 0 {
                if !skip {
                    self.say(&format!("Hunk #{hunkno} FAILED at {newwhere}.\n"));
                }
                failed_offsets.push(out_offset);
                failed_hunks.push(h);
                continue;
            }
            // Apply: copy up to where-1, then walk the hunk.
            let start = where_ - 1;
            if start < copied {
                self.say("misordered hunks! output would be garbled\n");
                self.say(&format!("Hunk #{hunkno} FAILED at {newwhere}.\n"));
                failed_offsets.push(out_offset);
                failed_hunks.push(h);
                continue;
            }
            for l in in_lines.iter().take(start).skip(copied) {
                result.extend_from_slice(l);
            }
            let mut ip = start.max(copied);
            for (k, t) in &h.lines {
                match k {
                    b' ' => {
                        if let Some(l) = in_lines.get(ip) {
                            result.extend_from_slice(l);
                        }
                        ip += 1;
                    }
                    b'-' => ip += 1,
                    _ => result.extend_from_slice(t),
                }
            }
            copied = ip.min(in_lines.len());
            out_offset += h.new_len as isize - h.old_len as isize;
            if fuzz != 0 || in_offset != 0 {
                let mut s = format!("Hunk #{hunkno} succeeded at {newwhere}");
                if fuzz != 0 {
                    s.push_str(&format!(" with fuzz {fuzz}"));
                }
                if in_offset != 0 {
                    s.push_str(&format!(
                        " (offset {in_offset} line{})",
                        if in_offset.abs() == 1 { "" } else { "s" }
                    ));
                }
                s.push_str(".\n");
                self.say(&s);
            }
        }
        for l in in_lines.iter().skip(copied) {
            result.extend_from_slice(l);
        }
        let failed = failed_hunks.len();
        if !skip && !self.o.dry_run {
            let fs = self.ctx.vfs;
            if mismatch && self.o.backup_mismatch && original.is_some() {
                let _ = fs.write(format!("{target}.orig"), input.clone());
            }
            let remove = result.is_empty() && (new_null || self.o.remove_empty);
            if remove {
                let _ = fs.unlink(&target);
            } else {
                if original.is_none()
                    && let Some(i) = target.rfind('/')
                    && i > 0
                {
                    let _ = fs.create_dir_all(&target[..i], 0o755);
                }
                if let Err(e) = fs.write(&target, result) {
                    self.flush().map_err(Ctx::stop_status)?;
                    return Err(fatal(
                        self.ctx,
                        &format!("Can't create file {target} : {}", e.errno()),
                    ));
                }
            }
        }
        if failed > 0 {
            let s = format!(
                "{failed} out of {nhunks} hunk{} {}",
                if nhunks == 1 { "" } else { "s" },
                if skip { "ignored" } else { "FAILED" }
            );
            self.say(&s);
            if !self.o.dry_run {
                let rej = self
                    .o
                    .reject
                    .clone()
                    .unwrap_or_else(|| format!("{target}.rej"));
                self.say(&format!(
                    " -- saving rejects to file {}\n",
                    quote_shell(&rej, false)
                ));
                let mut r = Vec::new();
                if let Some(ix) = &fp.index {
                    r.extend_from_slice(format!("Index: {ix}\n").as_bytes());
                }
                let (a, b) = if reverse {
                    (&fp.new_raw, &fp.old_raw)
                } else {
                    (&fp.old_raw, &fp.new_raw)
                };
                r.extend_from_slice(b"--- ");
                r.extend_from_slice(a);
                if !a.ends_with(b"\n") {
                    r.push(b'\n');
                }
                r.extend_from_slice(b"+++ ");
                r.extend_from_slice(b);
                if !b.ends_with(b"\n") {
                    r.push(b'\n');
                }
                if fp.normal {
                    r.clear();
                    r.extend_from_slice(b"*** /dev/null\n--- /dev/null\n");
                }
                for (h, off) in failed_hunks
                    .iter()
                    .zip(&failed_offsets)
                    .filter(|_| fp.normal)
                {
                    let range = |first: usize, len: usize| -> String {
                        let f = first as isize + off;
                        let l = f + len as isize - 1;
                        if l < f {
                            "0".into()
                        } else if l == f {
                            format!("{f}")
                        } else {
                            format!("{f},{l}")
                        }
                    };
                    r.extend_from_slice(
                        format!("***************\n*** {}\n", range(h.old_first, h.old_len))
                            .as_bytes(),
                    );
                    for (k, t) in h.lines.iter().filter(|(k, _)| *k == b'-') {
                        r.push(*k);
                        r.push(b' ');
                        r.extend_from_slice(t);
                        if !t.ends_with(b"\n") {
                            r.extend_from_slice(b"\n\\ No newline at end of file\n");
                        }
                    }
                    r.extend_from_slice(
                        format!("--- {} -----\n", range(h.new_first, h.new_len)).as_bytes(),
                    );
                    for (k, t) in h.lines.iter().filter(|(k, _)| *k == b'+') {
                        r.push(*k);
                        r.push(b' ');
                        r.extend_from_slice(t);
                        if !t.ends_with(b"\n") {
                            r.extend_from_slice(b"\n\\ No newline at end of file\n");
                        }
                    }
                }
                for (h, off) in failed_hunks
                    .iter()
                    .zip(&failed_offsets)
                    .filter(|_| !fp.normal)
                {
                    let range = |first: usize, len: usize| -> String {
                        let f = first as isize + off;
                        match len {
                            0 => format!("{},0", f - 1),
                            1 => format!("{f}"),
                            _ => format!("{f},{len}"),
                        }
                    };
                    r.extend_from_slice(
                        format!(
                            "@@ -{} +{} @@",
                            range(h.old_first, h.old_len),
                            range(h.new_first, h.new_len)
                        )
                        .as_bytes(),
                    );
                    r.push(b'\n');
                    for (k, t) in &h.lines {
                        r.push(*k);
                        r.extend_from_slice(t);
                        if !t.ends_with(b"\n") {
                            r.extend_from_slice(b"\n\\ No newline at end of file\n");
                        }
                    }
                }
                if let Err(e) = self.ctx.vfs.write(&rej, r) {
                    self.flush().map_err(Ctx::stop_status)?;
                    return Err(fatal(
                        self.ctx,
                        &format!("Can't create file {rej} : {}", e.errno()),
                    ));
                }
            } else {
                self.say("\n");
            }
            return Ok(false);
        }
        Ok(true)
    }
}

/// GNU's `locate_hunk`: the 1-based line where the hunk's old text starts, 0 if none.
fn locate(h: &Hunk, fuzz: isize, input: &[&[u8]], frozen: usize, in_offset: &mut isize) -> usize {
    let pat = h.pattern();
    let first_guess = h.old_first as isize + *in_offset;
    let pat_lines = pat.len() as isize;
    let prefix_context = h.prefix_context() as isize;
    let suffix_context = h.suffix_context() as isize;
    let context = prefix_context.max(suffix_context);
    let mut prefix_fuzz = fuzz + prefix_context - context;
    let suffix_fuzz = fuzz + suffix_context - context;
    let input_lines = input.len() as isize;
    let max_where = input_lines - (pat_lines - suffix_fuzz) + 1;
    let min_where = frozen as isize + 1 - (prefix_context - prefix_fuzz);
    let max_pos_offset = max_where - first_guess;
    let mut max_neg_offset = first_guess - min_where;
    let max_offset = max_pos_offset.max(max_neg_offset);
    if pat_lines == 0 {
        return first_guess.max(0) as usize;
    }
    if first_guess <= max_neg_offset {
        max_neg_offset = first_guess - 1;
    }
    let matches = |base: isize, pf: isize, sf: isize| -> bool {
        let mut iline = base + pf;
        let mut pline = 1 + pf;
        while pline <= pat_lines - sf {
            let Some(l) = (iline >= 1)
                .then(|| input.get((iline - 1) as usize))
                .flatten()
            else {
                return false;
            };
            if *l != pat[(pline - 1) as usize] {
                return false;
            }
            pline += 1;
            iline += 1;
        }
        true
    };
    if prefix_fuzz < 0 && h.old_first <= 1 {
        if suffix_fuzz < 0 && (pat_lines != input_lines || prefix_context < frozen as isize) {
            return 0;
        }
        let offset = 1 - first_guess;
        if frozen as isize <= prefix_context
            && offset <= max_pos_offset
            && matches(first_guess + offset, 0, suffix_fuzz.max(0))
        {
            *in_offset += offset;
            return (first_guess + offset) as usize;
        }
        return 0;
    } else if prefix_fuzz < 0 {
        prefix_fuzz = 0;
    }
    if suffix_fuzz < 0 {
        let offset = first_guess - (input_lines - pat_lines + 1);
        if offset <= max_neg_offset && matches(first_guess - offset, prefix_fuzz, 0) {
            *in_offset -= offset;
            return (first_guess - offset) as usize;
        }
        return 0;
    }
    let mut offset = 0;
    while offset <= max_offset {
        if offset <= max_pos_offset && matches(first_guess + offset, prefix_fuzz, suffix_fuzz) {
            *in_offset += offset;
            return (first_guess + offset) as usize;
        }
        if 0 < offset
            && offset <= max_neg_offset
            && matches(first_guess - offset, prefix_fuzz, suffix_fuzz)
        {
            *in_offset -= offset;
            return (first_guess - offset) as usize;
        }
        offset += 1;
    }
    0
}

impl Command for Patch {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "pioFrBzYgVdD",
            "RNtfsEbuncelvZT",
            &[
                "strip=",
                "input=",
                "reverse",
                "dry-run",
                "forward",
                "batch",
                "force",
                "silent",
                "quiet",
                "fuzz=",
                "remove-empty-files",
                "reject-file=",
                "no-backup-if-mismatch",
                "backup-if-mismatch",
                "unified",
                "normal",
                "context",
                "ed",
                "backup",
                "output=",
                "ignore-whitespace",
                "verbose",
                "posix",
                "merge",
                "directory=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return usage(ctx, &e.0),
        };
        let mut o = Opts {
            strip: None,
            reverse: false,
            dry_run: false,
            forward: false,
            batch: false,
            force: false,
            silent: false,
            fuzz: 2,
            remove_empty: false,
            backup_mismatch: true,
            reject: None,
            origfile: None,
        };
        let mut input: Option<String> = None;
        let mut dir: Option<String> = None;
        let mut ops = Vec::new();
        for a in parsed {
            match a {
                Arg::Operand(x) => ops.push(x),
                Arg::Short('p', Some(v)) => match v.parse::<usize>() {
                    Ok(n) => o.strip = Some(n),
                    Err(_) => return fatal(ctx, &format!("strip count {v} is not a number")),
                },
                Arg::Long(l, Some(v)) if l == "strip" => match v.parse::<usize>() {
                    Ok(n) => o.strip = Some(n),
                    Err(_) => return fatal(ctx, &format!("strip count {v} is not a number")),
                },
                Arg::Short('i', Some(v)) => input = Some(v),
                Arg::Short('d', Some(v)) => dir = Some(v),
                Arg::Long(l, Some(v)) if l == "directory" => dir = Some(v),
                Arg::Long(l, Some(v)) if l == "input" => input = Some(v),
                Arg::Short('F', Some(v)) => match v.parse() {
                    Ok(n) => o.fuzz = n,
                    Err(_) => return fatal(ctx, &format!("fuzz factor {v} is not a number")),
                },
                Arg::Long(l, Some(v)) if l == "fuzz" => match v.parse() {
                    Ok(n) => o.fuzz = n,
                    Err(_) => return fatal(ctx, &format!("fuzz factor {v} is not a number")),
                },
                Arg::Short('r', Some(v)) => o.reject = Some(v),
                Arg::Long(l, Some(v)) if l == "reject-file" => o.reject = Some(v),
                Arg::Short('R', _) => o.reverse = true,
                Arg::Short('N', _) => o.forward = true,
                Arg::Short('t', _) => o.batch = true,
                Arg::Short('f', _) => o.force = true,
                Arg::Short('s', _) => o.silent = true,
                Arg::Short('E', _) => o.remove_empty = true,
                Arg::Short('u', _) => {}
                Arg::Short('v', _) => return print(ctx, VERSION),
                Arg::Long(l, None) => match l.as_str() {
                    "reverse" => o.reverse = true,
                    "dry-run" => o.dry_run = true,
                    "forward" => o.forward = true,
                    "batch" => o.batch = true,
                    "force" => o.force = true,
                    "silent" | "quiet" => o.silent = true,
                    "remove-empty-files" => o.remove_empty = true,
                    "no-backup-if-mismatch" => o.backup_mismatch = false,
                    "backup-if-mismatch" => o.backup_mismatch = true,
                    "unified" => {}
                    "help" => return print(ctx, HELP),
                    "version" => return print(ctx, VERSION),
                    other => {
                        ctx.err(&format!("option --{other} is not supported"));
                        return 2;
                    }
                },
                Arg::Short(c, _) => {
                    ctx.err(&format!("option -{c} is not supported"));
                    return 2;
                }
                Arg::Long(l, _) => {
                    ctx.err(&format!("option --{l} is not supported"));
                    return 2;
                }
            }
        }
        if ops.len() > 2 {
            return usage(
                ctx,
                &format!("extra operand {}", super::super::util::quote(&ops[2])),
            );
        }
        if let Some(f) = ops.first() {
            o.origfile = Some(f.clone());
        }
        let run_origfile = o.origfile.clone();
        if let Some(p) = ops.get(1) {
            input = Some(p.clone());
        }
        // `-d DIR`: everything after the options (the -i file too) is relative to DIR.
        let moved;
        let sub;
        let ctx: &Ctx<'_> = match &dir {
            Some(d) => {
                let mut v = ctx.vfs.clone();
                if let Err(e) = v.set_cwd(d) {
                    return fatal(
                        ctx,
                        &format!("Can't change to directory {d} : {}", e.errno().message()),
                    );
                }
                moved = v;
                sub = Ctx {
                    args: ctx.args,
                    vfs: &moved,
                    env: ctx.env,
                    stdin: ctx.stdin,
                    stdout: ctx.stdout,
                    stderr: ctx.stderr,
                    cancel: ctx.cancel,
                    deadline: ctx.deadline,
                    run: ctx.run,
                };
                &sub
            }
            None => ctx,
        };
        let data = match input.as_deref() {
            None | Some("-") => {
                let mut v = Vec::new();
                if let Err(e) = ctx.stdin.read_to_end(&mut v, MAX_INPUT) {
                    return fatal(
                        ctx,
                        &format!("read error : {}", crate::io::errno_message(&e)),
                    );
                }
                v
            }
            Some(p) => match ctx.open_input(p) {
                Ok(fd) => {
                    let mut v = Vec::new();
                    if let Err(e) = fd.read_to_end(&mut v, MAX_INPUT) {
                        return fatal(
                            ctx,
                            &format!(
                                "Can't open patch file {p} : {}",
                                crate::io::errno_message(&e)
                            ),
                        );
                    }
                    v
                }
                Err(m) => {
                    let why = m.rsplit(": ").next().unwrap_or(&m).to_string();
                    return fatal(ctx, &format!("Can't open patch file {p} : {why}"));
                }
            },
        };
        let files = match parse_patch(&data, run_origfile.is_some()) {
            Ok(f) => f,
            Err(m) => return fatal(ctx, &m),
        };
        if files.is_empty() {
            if data.iter().any(|c| !c.is_ascii_whitespace()) {
                return fatal(ctx, "Only garbage was found in the patch input.");
            }
            return 0;
        }
        let mut run = Run {
            ctx,
            o,
            out: Vec::new(),
        };
        let mut status = 0;
        for fp in &files {
            match run.file(fp) {
                Ok(true) => {}
                Ok(false) => status = 1,
                Err(code) => {
                    let _ = run.flush();
                    return code;
                }
            }
        }
        if let Err(e) = run.flush() {
            return Ctx::stop_status(e);
        }
        status
    }
}

fn print(ctx: &Ctx<'_>, s: &str) -> i32 {
    match ctx.out(s.as_bytes()) {
        Ok(()) => 0,
        Err(e) => Ctx::stop_status(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::reg_misc::testutil::run_in;

    #[test]
    fn applies_and_reports() {
        let vfs = vfs_core::Vfs::new();
        vfs.write("x", b"0\n1\n2\n3\n".to_vec()).unwrap();
        let env = std::collections::BTreeMap::new();
        let p = b"--- x\n+++ x\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n";
        let (out, err, st) = run_in(&vfs, &Patch, &["patch"], p, &env);
        assert_eq!(err, "");
        assert_eq!(
            out,
            "patching file x\nHunk #1 succeeded at 2 (offset 1 line).\n"
        );
        assert_eq!(st, 0);
        assert_eq!(vfs.read("x").unwrap().to_vec(), b"0\n1\ntwo\n3\n".to_vec());
        assert_eq!(
            vfs.read("x.orig").unwrap().to_vec(),
            b"0\n1\n2\n3\n".to_vec()
        );
        let (_, err, st) = run_in(&vfs, &Patch, &["patch", "-o", "out"], p, &env);
        assert_eq!(st, 2);
        assert!(err.contains("not supported"));
    }
}

//! `cat`: concatenate files to standard output, with GNU's `-n -b -s -A -E -T -v -e -t -u`.

use super::util::{Arg, parse_args};
use super::{Command, Ctx, Stop};
use crate::io::Fd;

/// `cat [OPTION]... [FILE]...`
pub struct Cat;

const HELP: &str = "Usage: cat [OPTION]... [FILE]...
Concatenate FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

  -A, --show-all           equivalent to -vET
  -b, --number-nonblank    number nonempty output lines, overrides -n
  -e                       equivalent to -vE
  -E, --show-ends          display $ at end of each line
  -n, --number             number all output lines
  -s, --squeeze-blank      suppress repeated empty output lines
  -t                       equivalent to -vT
  -T, --show-tabs          display TAB characters as ^I
  -u                       (ignored)
  -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB
      --help        display this help and exit
      --version     output version information and exit

Examples:
  cat f - g  Output f's contents, then standard input, then g's contents.
  cat        Copy standard input to standard output.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Full documentation <https://www.gnu.org/software/coreutils/cat>
or available locally via: info '(coreutils) cat invocation'
";

const VERSION: &str = "cat (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Torbjorn Granlund and Richard M. Stallman.
";

#[derive(Default)]
struct Opts {
    number: bool,
    nonblank: bool,
    squeeze: bool,
    ends: bool,
    tabs: bool,
    nonprinting: bool,
}

impl Opts {
    fn plain(&self) -> bool {
        !(self.number
            || self.nonblank
            || self.squeeze
            || self.ends
            || self.tabs
            || self.nonprinting)
    }
}

/// True if `input` reads the regular file `out` writes, with bytes left to read from
/// where it stands (GNU's test: same inode, and the input offset below the size).
fn input_is_output(input: &Fd, out: &Fd) -> bool {
    let (Fd::File { handle: i, .. }, Fd::File { handle: o, .. }) = (input, out) else {
        return false;
    };
    let out_ino = match o.lock().metadata() {
        Ok(m) if m.is_file() => m.ino,
        _ => return false,
    };
    let i = i.lock();
    i.metadata()
        .is_ok_and(|m| m.ino == out_ino && i.offset() < m.size)
}

/// Line-numbering and squeezing state that carries across files, as in GNU cat.
struct State {
    line: u64,
    blank_run: u32,
    at_line_start: bool,
}

fn render(o: &Opts, st: &mut State, data: &[u8], out: &mut Vec<u8>) {
    for &b in data {
        if st.at_line_start {
            if b == b'\n' {
                st.blank_run += 1;
                if o.squeeze && st.blank_run > 1 {
                    continue;
                }
                if o.number && !o.nonblank {
                    st.line += 1;
                    out.extend_from_slice(format!("{:>6}\t", st.line).as_bytes());
                }
                if o.ends {
                    out.push(b'$');
                }
                out.push(b'\n');
                continue;
            }
            st.blank_run = 0;
            if o.number || o.nonblank {
                st.line += 1;
                out.extend_from_slice(format!("{:>6}\t", st.line).as_bytes());
            }
            st.at_line_start = false;
        }
        match b {
            b'\n' => {
                if o.ends {
                    out.push(b'$');
                }
                out.push(b'\n');
                st.at_line_start = true;
            }
            b'\t' if o.tabs => out.extend_from_slice(b"^I"),
            b'\t' => out.push(b'\t'),
            _ if o.nonprinting => {
                let mut c = b;
                if c >= 128 {
                    out.extend_from_slice(b"M-");
                    c -= 128;
                }
                if c < 32 {
                    out.push(b'^');
                    out.push(c + 64);
                } else if c == 127 {
                    out.extend_from_slice(b"^?");
                } else {
                    out.push(c);
                }
            }
            _ => out.push(b),
        }
    }
}

impl Command for Cat {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let long = [
            "show-all",
            "number-nonblank",
            "show-ends",
            "number",
            "squeeze-blank",
            "show-tabs",
            "show-nonprinting",
            "help",
            "version",
        ];
        let parsed = match parse_args(&ctx.args[1..], "", "AbeEnstTuv", &long) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts::default();
        let mut files: Vec<String> = Vec::new();
        for a in parsed {
            match a {
                Arg::Operand(f) => files.push(f),
                Arg::Long(n, _) if n == "help" => {
                    return ctx
                        .out(HELP.as_bytes())
                        .map_or_else(Ctx::stop_status, |_| 0);
                }
                Arg::Long(n, _) if n == "version" => {
                    return ctx
                        .out(VERSION.as_bytes())
                        .map_or_else(Ctx::stop_status, |_| 0);
                }
                Arg::Short(c, _) => set(&mut o, &c.to_string()),
                Arg::Long(n, _) => set(&mut o, &n),
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        let mut status = 0;
        let mut buf = vec![0u8; 64 * 1024];
        let mut st = State {
            line: 0,
            blank_run: 0,
            at_line_start: true,
        };
        let mut rendered = Vec::new();
        for f in &files {
            if f != "-" && ctx.vfs.stat(f).is_ok_and(|m| m.is_dir()) {
                ctx.err(&format!("{f}: Is a directory"));
                status = 1;
                continue;
            }
            let fd = match ctx.open_input(f) {
                Ok(fd) => fd,
                Err(msg) => {
                    ctx.err(&msg);
                    status = 1;
                    continue;
                }
            };
            // GNU cat will not copy a nonempty regular file onto itself (`cat f >> f`
            // would never end).
            if input_is_output(&fd, ctx.stdout) {
                ctx.err(&format!("{f}: input file is output file"));
                status = 1;
                continue;
            }
            // A file copied to a file: pass the stored bytes through, shared, not copied.
            if o.plain() && matches!(ctx.stdout, Fd::File { .. }) {
                match copy_shared(ctx, &fd, f) {
                    Some(Ok(true)) => continue,
                    Some(Ok(false)) => {}
                    Some(Err(stop)) => return Ctx::stop_status(stop),
                    None => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        status = 1;
                        continue;
                    }
                }
            }
            loop {
                match fd.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let r: Result<(), Stop> = if o.plain() {
                            ctx.out(&buf[..n])
                        } else {
                            rendered.clear();
                            render(&o, &mut st, &buf[..n], &mut rendered);
                            ctx.out(&rendered)
                        };
                        if let Err(stop) = r {
                            return Ctx::stop_status(stop);
                        }
                    }
                    Err(e) => {
                        if ctx.cancel.is_cancelled() {
                            return 130;
                        }
                        ctx.err(&format!("{f}: {}", crate::io::errno_message(&e)));
                        status = 1;
                        break;
                    }
                }
            }
        }
        status
    }
}

/// Copy all of `fd` to stdout with shared reads and writes when `fd` is a VFS file:
/// `Some(Ok(true))` when done, `Some(Ok(false))` when `fd` is not a file, `None` after a
/// read error (reported).
fn copy_shared(ctx: &Ctx<'_>, fd: &Fd, name: &str) -> Option<Result<bool, Stop>> {
    loop {
        match fd.read_shared(usize::MAX) {
            None => return Some(Ok(false)),
            Some(Ok(data)) if data.is_empty() => return Some(Ok(true)),
            Some(Ok(data)) => {
                if let Err(stop) = ctx.out_shared(&data) {
                    return Some(Err(stop));
                }
            }
            Some(Err(e)) => {
                if !ctx.cancel.is_cancelled() {
                    ctx.err(&format!("{name}: {}", crate::io::errno_message(&e)));
                }
                return None;
            }
        }
    }
}

fn set(o: &mut Opts, name: &str) {
    match name {
        "A" | "show-all" => {
            o.nonprinting = true;
            o.ends = true;
            o.tabs = true;
        }
        "b" | "number-nonblank" => o.nonblank = true,
        "e" => {
            o.nonprinting = true;
            o.ends = true;
        }
        "E" | "show-ends" => o.ends = true,
        "n" | "number" => o.number = true,
        "s" | "squeeze-blank" => o.squeeze = true,
        "t" => {
            o.nonprinting = true;
            o.tabs = true;
        }
        "T" | "show-tabs" => o.tabs = true,
        "v" | "show-nonprinting" => o.nonprinting = true,
        _ => {}
    }
}

//! Registration of the environment and data commands (env, date, od, base64, ...), and
//! the helpers they share: `--help`/`--version` text, GNU's quoting of names in
//! messages, opening operands and reading them whole.

use super::{CommandMap, Ctx, Stop};
use crate::io::Fd;

#[path = "base64.rs"]
mod base64;
#[path = "bc/mod.rs"]
mod bc;
#[path = "cksum.rs"]
mod cksum;
#[path = "cmp.rs"]
mod cmp;
#[path = "date.rs"]
mod date;
#[path = "dd.rs"]
mod dd;
#[path = "env.rs"]
mod env;
#[path = "expr.rs"]
mod expr;
#[path = "factor.rs"]
mod factor;
#[path = "hashsum.rs"]
mod hashsum;
#[path = "hexdump.rs"]
mod hexdump;
#[path = "numfmt.rs"]
mod numfmt;
#[path = "od.rs"]
mod od;
#[path = "printenv.rs"]
mod printenv;
#[path = "printf.rs"]
mod printf;
#[path = "runners.rs"]
mod runners;
#[path = "shuf.rs"]
mod shuf;
#[path = "sleep.rs"]
mod sleep;
#[path = "split.rs"]
mod split;
#[path = "strings.rs"]
mod strings;
#[path = "sum.rs"]
mod sum;
#[path = "sysinfo.rs"]
mod sysinfo;
#[path = "timeout.rs"]
mod timeout;
#[path = "which.rs"]
mod which;
#[path = "xxd.rs"]
mod xxd;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("env", Box::new(env::Env));
    map.insert("printenv", Box::new(printenv::Printenv));
    map.insert("printf", Box::new(printf::Printf));
    map.insert("expr", Box::new(expr::Expr));
    map.insert("od", Box::new(od::Od));
    map.insert("xxd", Box::new(xxd::Xxd));
    map.insert("base64", Box::new(base64::Base64 { base32: false }));
    map.insert("base32", Box::new(base64::Base64 { base32: true }));
    for kind in hashsum::KINDS {
        map.insert(kind.name(), Box::new(hashsum::HashSum(kind)));
    }
    map.insert("cksum", Box::new(cksum::Cksum));
    map.insert("strings", Box::new(strings::Strings));
    map.insert("cmp", Box::new(cmp::Cmp));
    map.insert("date", Box::new(date::Date));
    map.insert("sleep", Box::new(sleep::Sleep));
    map.insert("timeout", Box::new(timeout::Timeout));
    map.insert("which", Box::new(which::Which));
    sysinfo::register(map);
    map.insert("factor", Box::new(factor::Factor));
    map.insert("bc", Box::new(bc::Bc));
    map.insert("dd", Box::new(dd::Dd));
    map.insert("hexdump", Box::new(hexdump::Hexdump { canonical: false }));
    map.insert("hd", Box::new(hexdump::Hexdump { canonical: true }));
    map.insert("nice", Box::new(runners::Runner(runners::Kind::Nice)));
    map.insert("nohup", Box::new(runners::Runner(runners::Kind::Nohup)));
    map.insert("stdbuf", Box::new(runners::Runner(runners::Kind::Stdbuf)));
    map.insert("sync", Box::new(runners::Runner(runners::Kind::Sync)));
    map.insert("sum", Box::new(sum::Sum));
    map.insert("shuf", Box::new(shuf::Shuf));
    map.insert("split", Box::new(split::Split));
    map.insert("numfmt", Box::new(numfmt::Numfmt));
}

/// Print `text` on stdout (for `--help` / `--version`) and return the status.
pub(super) fn print_text(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(stop) => Ctx::stop_status(stop),
    }
}

/// GNU coreutils 9.1's `--version` text for `name` written by `authors`.
pub(super) fn version(ctx: &Ctx<'_>, name: &str, authors: &str) -> i32 {
    let text = format!(
        "{name} (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n\
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
This is free software: you are free to change and redistribute it.\n\
There is NO WARRANTY, to the extent permitted by law.\n\n{authors}\n"
    );
    print_text(ctx, &text)
}

/// Print `NAME: MSG` and GNU's "Try 'NAME --help'" line; return `status`.
pub(super) fn try_help(ctx: &Ctx<'_>, msg: &str, status: i32) -> i32 {
    ctx.usage(&super::util::UsageError(msg.to_string()), status)
}

pub(super) use super::util::{quote, quote_shell};

/// Open an operand for reading (`-` is stdin); the error is the errno text.
pub(super) fn open(ctx: &Ctx<'_>, path: &str) -> Result<Fd, String> {
    ctx.open_path(path)
}

/// Read all of an operand (`-` is stdin); the error is the errno text (a directory gives
/// "Is a directory", as a read of one does).
pub(super) fn read_operand(ctx: &Ctx<'_>, path: &str) -> Result<Vec<u8>, String> {
    let fd = open(ctx, path)?;
    let mut v = Vec::new();
    match fd.read_to_end(&mut v, super::util::MAX_INPUT) {
        Ok(()) => Ok(v),
        Err(e) => Err(crate::io::errno_message(&e)),
    }
}

/// Map a write failure to the command's exit status.
pub(super) fn stopped(stop: Stop) -> i32 {
    Ctx::stop_status(stop)
}

pub(super) use super::util::Out;

#[cfg(test)]
pub(super) mod testutil {
    //! Running a command on a fresh VFS with given stdin, capturing its output.

    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64};

    use crate::commands::{Command, Ctx};
    use crate::io::{Cancel, Fd, Sink, Source};

    /// Run `cmd` with `args` (args[0] included) and stdin; (stdout, stderr, status).
    pub fn run(cmd: &dyn Command, args: &[&str], stdin: &[u8]) -> (String, String, i32) {
        let vfs = vfs_core::Vfs::new();
        run_in(&vfs, cmd, args, stdin, &BTreeMap::new())
    }

    /// [`run`] on a given VFS and environment.
    pub fn run_in(
        vfs: &vfs_core::Vfs,
        cmd: &dyn Command,
        args: &[&str],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
    ) -> (String, String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let total = Arc::new(AtomicU64::new(0));
        let ex = Arc::new(AtomicBool::new(false));
        let out = Arc::new(Sink::new(total.clone(), 1 << 30, ex.clone(), None));
        let err = Arc::new(Sink::new(total, 1 << 30, ex, None));
        let stdin = Fd::Source(Arc::new(Source::new(stdin.to_vec())));
        let stdout = Fd::Sink(out.clone());
        let stderr = Fd::Sink(err.clone());
        let cancel = Cancel::new();
        let runner = |argv: &[String], env: &BTreeMap<String, String>, fds: [&Fd; 3]| -> i32 {
            let reg = crate::commands::Registry::standard();
            let Some(cmd) = reg.get(&argv[0]) else {
                return 127;
            };
            let c2 = Cancel::new();
            let mut sub = Ctx {
                args: argv,
                vfs,
                env,
                stdin: fds[0],
                stdout: fds[1],
                stderr: fds[2],
                cancel: &c2,
                deadline: None,
                run: &|_: &[String], _: &BTreeMap<String, String>, _: [&Fd; 3]| 127,
            };
            cmd.run(&mut sub)
        };
        let mut ctx = Ctx {
            args: &args,
            vfs,
            env,
            stdin: &stdin,
            stdout: &stdout,
            stderr: &stderr,
            cancel: &cancel,
            deadline: None,
            run: &runner,
        };
        let st = cmd.run(&mut ctx);
        (
            String::from_utf8_lossy(&out.take()).into_owned(),
            String::from_utf8_lossy(&err.take()).into_owned(),
            st,
        )
    }
}

#[cfg(test)]
mod robustness {
    //! Every command of this group on odd arguments and binary input: no panics.

    use super::super::CommandMap;

    #[test]
    fn no_panics() {
        let mut map = CommandMap::new();
        super::register(&mut map);
        let inputs: [&[u8]; 3] = [b"", b"\x00\xff\x80abc\n\n12 x\n", b"1K 2 -3 4.5\n"];
        let arg_sets: [&[&str]; 14] = [
            &[],
            &["-"],
            &["--"],
            &["-x"],
            &["--bogus"],
            &["-n"],
            &["-c", "-1"],
            &["-w", "0"],
            &["-l", "99999999999999999999999"],
            &["--to=iec", "--from=auto", "-1e9999"],
            &["(", ")", ":", "\\(", "*"],
            &["-t", "fL"],
            &["-d", "@99999999999999999999"],
            &["9999999999999999999999999999999999999999"],
        ];
        for (name, cmd) in &map {
            if matches!(*name, "sleep" | "timeout") {
                continue;
            }
            for args in arg_sets {
                for input in inputs {
                    let mut v = vec![*name];
                    v.extend_from_slice(args);
                    let _ = super::testutil::run(cmd.as_ref(), &v, input);
                }
            }
        }
    }
}

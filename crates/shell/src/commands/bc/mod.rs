//! `bc` (GNU bc 1.07.1): an arbitrary-precision calculator language. Files named as
//! operands are read first, then stdin; `-l` loads the math library and sets scale=20.

mod exec;
mod mathlib;
mod num;
mod parse;

use super::{Ctx, print_text, read_operand, stopped};
use exec::{Flow, Machine};
use parse::{Item, Parser};

/// `bc [-hlqsvw] [file ...]`
pub struct Bc;

const VERSION: &str = "bc 1.07.1\nCopyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, Inc.\n";

impl crate::commands::Command for Bc {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut files = Vec::new();
        let mut mathlib = false;
        let mut only_opts = true;
        for a in &ctx.args[1..] {
            if only_opts && a == "--" {
                only_opts = false;
            } else if only_opts && a.starts_with("--") && a.len() > 2 {
                match a.as_str() {
                    "--mathlib" => mathlib = true,
                    "--quiet" | "--standard" | "--warn" | "--interactive" => {}
                    "--version" => return print_text(ctx, VERSION),
                    "--help" => return print_text(ctx, HELP),
                    _ => {
                        ctx.err(&format!("unrecognized option '{a}'"));
                        let _ = ctx.out(HELP.as_bytes());
                        return 1;
                    }
                }
            } else if only_opts && a.starts_with('-') && a.len() > 1 {
                for c in a[1..].chars() {
                    match c {
                        'l' => mathlib = true,
                        'q' | 's' | 'w' | 'i' => {}
                        'v' => return print_text(ctx, VERSION),
                        'h' => return print_text(ctx, HELP),
                        _ => {
                            ctx.err(&format!("invalid option -- '{c}'"));
                            let _ = ctx.out(HELP.as_bytes());
                            return 1;
                        }
                    }
                }
            } else {
                files.push(a.clone());
            }
        }
        let line_len = match ctx.env.get("BC_LINE_LENGTH") {
            Some(v) => {
                let n: i64 = atoi(v);
                if n != 0 && n < 3 {
                    70
                } else {
                    n.max(0) as usize
                }
            }
            None => 70,
        };
        let cancel = ctx.cancel.clone();
        let check = move || cancel.is_cancelled();
        let mut m = Machine::new(line_len, &check);
        if mathlib {
            m.mathlib = true;
            m.scale = 20;
        }
        let mut sources = Vec::new();
        for f in &files {
            sources.push((f.clone(), f.clone()));
        }
        sources.push(("(standard_in)".into(), "-".into()));
        for (name, path) in sources {
            let text = match read_operand(ctx, &path) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctx
                        .stderr
                        .write_all(format!("File {path} is unavailable.\n").as_bytes());
                    return 1;
                }
            };
            let text = String::from_utf8_lossy(&text).into_owned();
            let mut p = Parser::new(&text);
            loop {
                let item = p.item();
                let done = match item {
                    Item::End => break,
                    Item::Quit => true,
                    Item::Define(n, f) => {
                        m.funcs.insert(n, f);
                        false
                    }
                    Item::Error(msg, line) => {
                        m.err
                            .extend_from_slice(format!("{name} {line}: {msg}\n").as_bytes());
                        false
                    }
                    Item::Code(code) => match m.run_item(&code) {
                        Some(Flow::Halt) => true,
                        Some(Flow::Cancelled) => return 130,
                        _ => false,
                    },
                };
                if let Err(s) = flush(ctx, &mut m) {
                    return stopped(s);
                }
                if done {
                    return 0;
                }
            }
        }
        0
    }
}

/// Move the machine's buffered output and messages to stdout/stderr.
fn flush(ctx: &Ctx<'_>, m: &mut Machine<'_>) -> Result<(), super::Stop> {
    if !m.out.is_empty() {
        let o = std::mem::take(&mut m.out);
        ctx.out(&o)?;
    }
    if !m.err.is_empty() {
        let e = std::mem::take(&mut m.err);
        let _ = ctx.stderr.write_all(&e);
    }
    Ok(())
}

fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let mut v: i64 = 0;
    for c in t.bytes().take_while(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((c - b'0') as i64);
    }
    if neg { -v } else { v }
}

const HELP: &str = "usage: bc [options] [file ...]\n  -h  --help         print this usage and exit\n  -i  --interactive  force interactive mode\n  -l  --mathlib      use the predefined math routines\n  -q  --quiet        don't print initial banner\n  -s  --standard     non-standard bc constructs are errors\n  -w  --warn         warn about non-standard bc constructs\n  -v  --version      print version information and exit\n";

#[cfg(test)]
mod tests {
    use super::Bc;
    use crate::commands::reg_misc::testutil::run;

    fn bc(args: &[&str], input: &str) -> (String, String, i32) {
        let mut a: Vec<String> = vec!["bc".into()];
        a.extend(args.iter().map(|s| s.to_string()));
        let input = input.to_string();
        // The interpreter runs on a big stack in the shell; give the test one too.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || {
                let a: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
                run(&Bc, &a, input.as_bytes())
            })
            .and_then(|h| h.join().map_err(|_| std::io::Error::other("panic")))
            .unwrap_or_default()
    }

    #[test]
    fn huge_exponent_is_an_error_not_a_hang() {
        let (out, err, st) = bc(&[], "2^99999999\n1+1\n");
        assert_eq!(out, "2\n");
        assert!(err.contains("exponent too large in raise"), "{err}");
        assert_eq!(st, 0);
    }

    #[test]
    fn deep_nesting_is_a_syntax_error_not_a_crash() {
        let src = format!("{}1{}\n2\n", "(".repeat(5000), ")".repeat(5000));
        let (out, err, _) = bc(&[], &src);
        assert_eq!(out, "2\n");
        assert!(!err.is_empty());
        let src = format!("{}1\n3\n", "-".repeat(5000));
        let (out, _, _) = bc(&[], &src);
        assert!(out.ends_with("3\n"), "{out}");
    }

    #[test]
    fn infinite_recursion_stops() {
        let (out, err, _) = bc(&[], "define f(x){return f(x+1)}\nf(1)\n5\n");
        assert_eq!(out, "5\n");
        assert!(err.contains("nesting"), "{err}");
    }

    #[test]
    fn huge_scale_division_is_bounded() {
        let (out, err, _) = bc(&[], "scale=99999999;1/3\n7\n");
        assert_eq!(out, "7\n");
        assert!(!err.is_empty());
    }
}

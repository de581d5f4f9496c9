//! `strings`: print the runs of printable characters in files (GNU binutils 2.40):
//! `-n MIN` / `-MIN`, `-t o|d|x`, `-o`, `-f`, `-a`.

use super::super::{Command, Ctx};
use super::{Out, read_operand, stopped};

/// `strings [option(s)] [file(s)]`
pub struct Strings;

const USAGE: &str = "Usage: strings [option(s)] [file(s)]
 Display printable strings in [file(s)] (stdin by default)
 The options are:
  -a - --all                Scan the entire file, not just the data section [default]
  -d --data                 Only scan the data sections in the file
  -f --print-file-name      Print the name of the file before each string
  -n <number>               Locate & print any sequence of at least <number>
    --bytes=<number>         displayable characters.  (The default is 4).
  -t --radix={o,d,x}        Print the location of the string in base 8, 10 or 16
  -w --include-all-whitespace Include all whitespace as valid string characters
  -o                        An alias for --radix=o
  -T --target=<BFDNAME>     Specify the binary file format
  -e --encoding={s,S,b,l,B,L} Select character size and endianness:
                            s = 7-bit, S = 8-bit, {b,l} = 16-bit, {B,L} = 32-bit
  --unicode={default|show|invalid|hex|escape|highlight}
  -U {d|s|i|x|e|h}          Specify how to treat UTF-8 encoded unicode characters
  -s --output-separator=<string> String used to separate strings in output.
  @<file>                   Read options from <file>
  -h --help                 Display this information
  -v -V --version           Print the program's version number
strings: supported targets: elf64-x86-64 elf32-i386 elf32-iamcu elf32-x86-64 pei-i386 pe-x86-64 pei-x86-64 elf64-l1om elf64-k1om elf64-little elf64-big elf32-little elf32-big pe-bigobj-x86-64 pe-i386 srec symbolsrec verilog tekhex binary ihex plugin
Report bugs to <https://sourceware.org/bugzilla/>
";

impl Command for Strings {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let args = &ctx.args[1..];
        let mut min: usize = 4;
        let mut radix: Option<char> = None;
        let mut names = false;
        let mut whitespace = false;
        let mut files = Vec::new();
        let mut i = 0;
        let bad_usage = |ctx: &Ctx<'_>, msg: &str| {
            let _ = ctx.stderr.write_all(format!("strings: {msg}\n").as_bytes());
            let _ = ctx.stderr.write_all(USAGE.as_bytes());
            1
        };
        while i < args.len() {
            let a = args[i].clone();
            i += 1;
            if a == "-" || !a.starts_with('-') {
                files.push(a);
                continue;
            }
            let take = |inline: &str, i: &mut usize| -> Option<String> {
                if !inline.is_empty() {
                    return Some(inline.to_string());
                }
                let v = args.get(*i).cloned();
                *i += 1;
                v
            };
            if let Some(long) = a.strip_prefix("--") {
                let (n, v) = match long.split_once('=') {
                    Some((n, v)) => (n, v),
                    None => (long, ""),
                };
                match n {
                    "all" | "data" => {}
                    "print-file-name" => names = true,
                    "include-all-whitespace" => whitespace = true,
                    "bytes" => match take(v, &mut i).and_then(|s| s.parse::<usize>().ok()) {
                        Some(0) => {
                            ctx.err("invalid minimum string length 0");
                            return 1;
                        }
                        Some(n) => min = n,
                        None => return bad_usage(ctx, "invalid integer argument"),
                    },
                    "radix" => match take(v, &mut i).as_deref() {
                        Some("o") => radix = Some('o'),
                        Some("d") => radix = Some('d'),
                        Some("x") => radix = Some('x'),
                        _ => return bad_usage(ctx, "invalid radix"),
                    },
                    "help" => {
                        let _ = ctx.out(USAGE.as_bytes());
                        return 0;
                    }
                    "version" => {
                        let _ = ctx.out(b"GNU strings (GNU Binutils for Debian) 2.40\n");
                        return 0;
                    }
                    _ => return bad_usage(ctx, &format!("unrecognized option '{a}'")),
                }
                continue;
            }
            let body = &a[1..];
            if body.bytes().all(|c| c.is_ascii_digit()) {
                match body.parse::<usize>() {
                    Ok(0) | Err(_) => {
                        ctx.err("invalid minimum string length 0");
                        return 1;
                    }
                    Ok(n) => min = n,
                }
                continue;
            }
            let chars: Vec<char> = body.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                let rest: String = chars[k..].iter().collect();
                match c {
                    'a' | 'd' => {}
                    'f' => names = true,
                    'w' => whitespace = true,
                    'o' => radix = Some('o'),
                    'n' | 't' | 'e' | 's' | 'T' | 'U' => {
                        let Some(v) = take(&rest, &mut i) else {
                            return bad_usage(
                                ctx,
                                &format!("option requires an argument -- '{c}'"),
                            );
                        };
                        match c {
                            'n' => match v.parse::<usize>() {
                                Ok(0) => {
                                    ctx.err("invalid minimum string length 0");
                                    return 1;
                                }
                                Ok(n) => min = n,
                                Err(_) => {
                                    ctx.err(&format!("invalid integer argument {v}"));
                                    return 1;
                                }
                            },
                            't' => match v.as_str() {
                                "o" | "d" | "x" => radix = v.chars().next(),
                                _ => {
                                    ctx.err("invalid radix");
                                    return 1;
                                }
                            },
                            _ => {}
                        }
                        break;
                    }
                    'h' => {
                        let _ = ctx.out(USAGE.as_bytes());
                        return 0;
                    }
                    'v' | 'V' => {
                        let _ = ctx.out(b"GNU strings (GNU Binutils for Debian) 2.40\n");
                        return 0;
                    }
                    _ => return bad_usage(ctx, &format!("invalid option -- '{c}'")),
                }
            }
        }
        let from_stdin = files.is_empty();
        if from_stdin {
            files.push("-".into());
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        for f in &files {
            let data = if f == "-" {
                read_operand(ctx, "-")
            } else {
                match ctx.vfs.stat(f) {
                    Ok(m) if m.file_type.is_dir() => {
                        ctx.err(&format!("Warning: '{f}' is a directory"));
                        status = 1;
                        continue;
                    }
                    Ok(_) => read_operand(ctx, f),
                    Err(_) => {
                        ctx.err(&format!("'{f}': No such file"));
                        status = 1;
                        continue;
                    }
                }
            };
            let data = match data {
                Ok(d) => d,
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let shown = if f == "-" {
                "{standard input}"
            } else {
                f.as_str()
            };
            let printable = |c: u8| {
                (0x20..0x7f).contains(&c)
                    || c == b'\t'
                    || (whitespace && matches!(c, b'\n' | b'\r' | 11 | 12))
            };
            let mut i = 0;
            while i < data.len() {
                if !printable(data[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < data.len() && printable(data[i]) {
                    i += 1;
                }
                if i - start < min {
                    continue;
                }
                let mut line = Vec::new();
                if names {
                    line.extend_from_slice(format!("{shown}: ").as_bytes());
                }
                match radix {
                    Some('o') => line.extend_from_slice(format!("{start:7o} ").as_bytes()),
                    Some('d') => line.extend_from_slice(format!("{start:7} ").as_bytes()),
                    Some('x') => line.extend_from_slice(format!("{start:7x} ").as_bytes()),
                    _ => {}
                }
                line.extend_from_slice(&data[start..i]);
                line.push(b'\n');
                if let Err(s) = out.put(&line) {
                    return stopped(s);
                }
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

//! `split`: split a file into pieces `PREFIXaa`, `PREFIXab`, ... by lines (`-l`), bytes
//! (`-b`), line-bounded bytes (`-C`) or into `-n N` / `-n l/N` chunks, with `-d`/`-x`
//! numeric suffixes, `-a`, `--additional-suffix`, `-e` and `--verbose`, as GNU coreutils
//! 9.1.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{print_text, quote, read_operand, try_help, version};

/// `split [OPTION]... [FILE [PREFIX]]`
pub struct Split;

enum Mode {
    Lines(u64),
    Bytes(u64),
    LineBytes(u64),
    Chunks(u64),
    LineChunks(u64),
    /// `-n r/N`: line `i` goes to file `i % N`.
    RoundRobin(u64),
}

fn parse_size(s: &str) -> Option<u64> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let v: u64 = s[..n].parse().ok()?;
    let suf = &s[n..];
    let mult: u64 = match suf {
        "" => 1,
        "b" => 512,
        "KB" | "kB" => 1000,
        "K" | "k" | "KiB" => 1024,
        "MB" => 1_000_000,
        "M" | "m" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "g" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "T" | "t" | "TiB" => 1 << 40,
        _ => return None,
    };
    v.checked_mul(mult)
}

fn suffix(mut k: u64, len: usize, digits: Option<u32>) -> Option<String> {
    let (base, alpha): (u64, &[u8]) = match digits {
        Some(10) => (10, b"0123456789"),
        Some(_) => (16, b"0123456789abcdef"),
        None => (26, b"abcdefghijklmnopqrstuvwxyz"),
    };
    let mut s = vec![b'a'; len];
    for i in (0..len).rev() {
        s[i] = alpha[(k % base) as usize];
        k /= base;
    }
    if k > 0 {
        return None;
    }
    String::from_utf8(s).ok()
}

impl Command for Split {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "abCln",
            "dxe",
            &[
                "suffix-length=",
                "bytes=",
                "line-bytes=",
                "lines=",
                "number=",
                "numeric-suffixes=?",
                "hex-suffixes=?",
                "additional-suffix=",
                "elide-empty-files",
                "verbose",
                "unbuffered",
                "separator=",
                "filter=",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut mode = Mode::Lines(1000);
        let mut suffix_len: usize = 2;
        let mut digits: Option<u32> = None;
        let mut start: u64 = 0;
        let mut extra = String::new();
        let mut elide = false;
        let mut verbose = false;
        let mut ops = Vec::new();
        for a in parsed {
            let (name, v) = match a {
                Arg::Operand(o) => {
                    ops.push(o);
                    continue;
                }
                Arg::Short(c, v) => (
                    match c {
                        'a' => "suffix-length",
                        'b' => "bytes",
                        'C' => "line-bytes",
                        'l' => "lines",
                        'n' => "number",
                        'd' => "numeric-suffixes",
                        'x' => "hex-suffixes",
                        _ => "elide-empty-files",
                    }
                    .to_string(),
                    v,
                ),
                Arg::Long(l, v) => (l, v),
            };
            let v = v.unwrap_or_default();
            match name.as_str() {
                "suffix-length" => match v.parse::<usize>() {
                    Ok(n) if n > 0 => suffix_len = n,
                    _ => {
                        ctx.err(&format!("invalid suffix length: {}", quote(&v)));
                        return 1;
                    }
                },
                "lines" => match v.parse::<u64>() {
                    Ok(0) => {
                        ctx.err(&format!(
                            "invalid number of lines: {}: Numerical result out of range",
                            quote(&v)
                        ));
                        return 1;
                    }
                    Ok(n) => mode = Mode::Lines(n),
                    Err(_) => {
                        ctx.err(&format!("invalid number of lines: {}", quote(&v)));
                        return 1;
                    }
                },
                "bytes" | "line-bytes" => match parse_size(&v) {
                    Some(0) => {
                        ctx.err(&format!(
                            "invalid number of bytes: {}: Numerical result out of range",
                            quote(&v)
                        ));
                        return 1;
                    }
                    Some(n) => {
                        mode = if name == "bytes" {
                            Mode::Bytes(n)
                        } else {
                            Mode::LineBytes(n)
                        }
                    }
                    None => {
                        ctx.err(&format!("invalid number of bytes: {}", quote(&v)));
                        return 1;
                    }
                },
                "number" => {
                    let (kind, n) = match (v.strip_prefix("l/"), v.strip_prefix("r/")) {
                        (Some(r), _) => ('l', r),
                        (_, Some(r)) => ('r', r),
                        _ => (' ', v.as_str()),
                    };
                    if n.contains('/') {
                        ctx.err(&format!("-n {v}: extracting one chunk is not supported"));
                        return 1;
                    }
                    match n.parse::<u64>() {
                        Ok(k) if k > 0 => {
                            mode = match kind {
                                'l' => Mode::LineChunks(k),
                                'r' => Mode::RoundRobin(k),
                                _ => Mode::Chunks(k),
                            }
                        }
                        Ok(_) => {
                            ctx.err(&format!(
                                "invalid number of chunks: {}: Numerical result out of range",
                                quote(n)
                            ));
                            return 1;
                        }
                        _ => {
                            ctx.err(&format!("invalid number of chunks: {}", quote(n)));
                            return 1;
                        }
                    }
                }
                "numeric-suffixes" | "hex-suffixes" => {
                    let radix = if name == "hex-suffixes" { 16 } else { 10 };
                    digits = Some(radix);
                    // `--numeric-suffixes=FROM`: the first suffix's number.
                    if !v.is_empty() {
                        match u64::from_str_radix(&v, radix) {
                            Ok(n) if v.bytes().all(|c| c.is_ascii_hexdigit()) => start = n,
                            _ => {
                                return try_help(
                                    ctx,
                                    &format!(
                                        "{}: invalid start value for numerical suffix",
                                        quote(&v)
                                    ),
                                    1,
                                );
                            }
                        }
                    }
                }
                "additional-suffix" => {
                    if v.contains('/') {
                        ctx.err(&format!(
                            "invalid suffix {}, contains directory separator",
                            quote(&v)
                        ));
                        return 1;
                    }
                    extra = v;
                }
                "elide-empty-files" => elide = true,
                "verbose" => verbose = true,
                "unbuffered" => {}
                "separator" | "filter" => {
                    ctx.err(&format!("--{name}: not supported yet"));
                    return 1;
                }
                "help" => return print_text(ctx, HELP),
                _ => {
                    return version(
                        ctx,
                        "split",
                        "Written by Torbjorn Granlund and Richard M. Stallman.",
                    );
                }
            }
        }
        if ops.len() > 2 {
            return try_help(ctx, &format!("extra operand {}", quote(&ops[2])), 1);
        }
        let file = ops.first().cloned().unwrap_or_else(|| "-".into());
        let prefix = ops.get(1).cloned().unwrap_or_else(|| "x".into());
        // `-n N` and `-n l/N` need the input's size, which a pipe does not have.
        if file == "-"
            && matches!(mode, Mode::Chunks(_) | Mode::LineChunks(_))
            && matches!(ctx.stdin, crate::io::Fd::PipeRead(_))
        {
            ctx.err("-: cannot determine file size");
            return 1;
        }
        let data = match read_operand(ctx, &file) {
            Ok(d) => d,
            Err(m) => {
                ctx.err(&format!("cannot open {} for reading: {m}", quote(&file)));
                return 1;
            }
        };
        // Round-robin chunks gather lines that are not next to each other.
        let mut dealt: Vec<Vec<u8>> = Vec::new();
        if let Mode::RoundRobin(k) = mode {
            dealt = vec![Vec::new(); usize::try_from(k).unwrap_or(usize::MAX).min(1 << 20)];
            let n = dealt.len();
            for (i, line) in data.split_inclusive(|&c| c == b'\n').enumerate() {
                dealt[i % n].extend_from_slice(line);
            }
        }
        let mut pieces: Vec<&[u8]> = Vec::new();
        match mode {
            Mode::RoundRobin(_) => pieces.extend(dealt.iter().map(Vec::as_slice)),
            Mode::Lines(n) => {
                let mut start = 0;
                let mut count = 0;
                for (i, &c) in data.iter().enumerate() {
                    if c == b'\n' {
                        count += 1;
                        if count == n {
                            pieces.push(&data[start..=i]);
                            start = i + 1;
                            count = 0;
                        }
                    }
                }
                if start < data.len() {
                    pieces.push(&data[start..]);
                }
            }
            Mode::Bytes(n) => pieces.extend(data.chunks(n.min(usize::MAX as u64) as usize)),
            Mode::LineBytes(n) => {
                let n = n.min(usize::MAX as u64) as usize;
                let mut start = 0;
                while start < data.len() {
                    let end = (start + n).min(data.len());
                    let cut = if end == data.len() {
                        end
                    } else {
                        match data[start..end].iter().rposition(|&c| c == b'\n') {
                            Some(p) => start + p + 1,
                            None => end,
                        }
                    };
                    pieces.push(&data[start..cut]);
                    start = cut;
                }
            }
            Mode::Chunks(k) | Mode::LineChunks(k) => {
                let len = data.len() as u64;
                let by_lines = matches!(mode, Mode::LineChunks(_));
                let mut start = 0usize;
                for i in 0..k {
                    let mut end = if i + 1 == k {
                        len as usize
                    } else {
                        ((i + 1) * (len / k)) as usize
                    };
                    if by_lines && end > start && end < data.len() {
                        end = match data[end - 1..].iter().position(|&c| c == b'\n') {
                            Some(p) => end - 1 + p + 1,
                            None => data.len(),
                        };
                    }
                    let end = end.max(start);
                    pieces.push(&data[start..end]);
                    start = end;
                }
            }
        }
        let mut k: u64 = start;
        for p in pieces {
            if elide && p.is_empty() {
                continue;
            }
            let Some(suf) = suffix(k, suffix_len, digits) else {
                ctx.err("output file suffixes exhausted");
                return 1;
            };
            k += 1;
            let name = format!("{prefix}{suf}{extra}");
            if verbose {
                let line = format!("creating file {}\n", quote(&name));
                if let Err(s) = ctx.out(line.as_bytes()) {
                    return Ctx::stop_status(s);
                }
            }
            let r = ctx
                .vfs
                .open(&name, &vfs_core::OpenOptions::create_truncate())
                .map_err(|e| e.errno().message().to_string())
                .and_then(|mut h| {
                    let mut rest = p;
                    while !rest.is_empty() {
                        let n = h.write(rest).map_err(|e| e.errno().message().to_string())?;
                        rest = &rest[n..];
                    }
                    Ok(())
                });
            if let Err(m) = r {
                ctx.err(&format!("{}: {m}", quote_f(&name)));
                return 1;
            }
        }
        0
    }
}

fn quote_f(s: &str) -> String {
    super::quote_shell(s, false)
}

const HELP: &str = r#"Usage: split [OPTION]... [FILE [PREFIX]]
Output pieces of FILE to PREFIXaa, PREFIXab, ...;
default size is 1000 lines, and default PREFIX is 'x'.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -a, --suffix-length=N   generate suffixes of length N (default 2)
      --additional-suffix=SUFFIX  append an additional SUFFIX to file names
  -b, --bytes=SIZE        put SIZE bytes per output file
  -C, --line-bytes=SIZE   put at most SIZE bytes of records per output file
  -d                      use numeric suffixes starting at 0, not alphabetic
      --numeric-suffixes[=FROM]  same as -d, but allow setting the start value
  -x                      use hex suffixes starting at 0, not alphabetic
      --hex-suffixes[=FROM]  same as -x, but allow setting the start value
  -e, --elide-empty-files  do not generate empty output files with '-n'
      --filter=COMMAND    write to shell COMMAND; file name is $FILE
  -l, --lines=NUMBER      put NUMBER lines/records per output file
  -n, --number=CHUNKS     generate CHUNKS output files; see explanation below
  -t, --separator=SEP     use SEP instead of newline as the record separator;
                            '\0' (zero) specifies the NUL character
  -u, --unbuffered        immediately copy input to output with '-n r/...'
      --verbose           print a diagnostic just before each
                            output file is opened
      --help        display this help and exit
      --version     output version information and exit

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

CHUNKS may be:
  N       split into N files based on size of input
  K/N     output Kth of N to stdout
  l/N     split into N files without splitting lines/records
  l/K/N   output Kth of N to stdout without splitting lines/records
  r/N     like 'l' but use round robin distribution
  r/K/N   likewise but only output Kth of N to stdout

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/split>
or available locally via: info '(coreutils) split invocation'
"#;

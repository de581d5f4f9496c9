//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum` and `b2sum`:
//! print or check (`-c`) message digests, as GNU coreutils 9.1 (`-b -t -z --tag -c
//! --quiet --status --strict -w --ignore-missing`, `b2sum -l`). The digests are
//! implemented here.

use super::super::util::{Arg, parse_args};
use super::super::{Command, Ctx};
use super::{Out, open, print_text, quote, stopped, try_help, version};

/// Which digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// BLAKE2b.
    B2,
}

/// Every digest command.
pub const KINDS: [Kind; 7] = [
    Kind::Md5,
    Kind::Sha1,
    Kind::Sha224,
    Kind::Sha256,
    Kind::Sha384,
    Kind::Sha512,
    Kind::B2,
];

impl Kind {
    /// The command name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Md5 => "md5sum",
            Kind::Sha1 => "sha1sum",
            Kind::Sha224 => "sha224sum",
            Kind::Sha256 => "sha256sum",
            Kind::Sha384 => "sha384sum",
            Kind::Sha512 => "sha512sum",
            Kind::B2 => "b2sum",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Kind::Md5 => "MD5",
            Kind::Sha1 => "SHA1",
            Kind::Sha224 => "SHA224",
            Kind::Sha256 => "SHA256",
            Kind::Sha384 => "SHA384",
            Kind::Sha512 => "SHA512",
            Kind::B2 => "BLAKE2b",
        }
    }

    fn bits(self) -> usize {
        match self {
            Kind::Md5 => 128,
            Kind::Sha1 => 160,
            Kind::Sha224 => 224,
            Kind::Sha256 => 256,
            Kind::Sha384 => 384,
            Kind::Sha512 | Kind::B2 => 512,
        }
    }
}

/// A `md5sum`-family command.
pub struct HashSum(pub Kind);

/// The digest of `data` (`out_len` bytes for BLAKE2b), by the RustCrypto implementations.
pub(super) fn digest(kind: Kind, data: &[u8], out_len: usize) -> Vec<u8> {
    use sha2::Digest;
    match kind {
        Kind::Md5 => md5::Md5::digest(data).to_vec(),
        Kind::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Kind::Sha224 => sha2::Sha224::digest(data).to_vec(),
        Kind::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Kind::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Kind::Sha512 => sha2::Sha512::digest(data).to_vec(),
        Kind::B2 => {
            use blake2::digest::{Update, VariableOutput};
            let len = out_len.clamp(1, 64);
            match blake2::Blake2bVar::new(len) {
                Ok(mut h) => {
                    h.update(data);
                    let mut out = vec![0u8; len];
                    match h.finalize_variable(&mut out) {
                        Ok(()) => out,
                        Err(_) => Vec::new(),
                    }
                }
                Err(_) => Vec::new(),
            }
        }
    }
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A digest being computed over streamed input.
enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    /// BLAKE2b keeps its input: the variable output length is fixed at the end.
    B2(Vec<u8>),
}

impl Hasher {
    fn new(kind: Kind) -> Hasher {
        use sha2::Digest;
        match kind {
            Kind::Md5 => Hasher::Md5(md5::Md5::new()),
            Kind::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Kind::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            Kind::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Kind::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Kind::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
            Kind::B2 => Hasher::B2(Vec::new()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        use sha2::Digest;
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
            Hasher::B2(v) => v.extend_from_slice(data),
        }
    }

    fn finish(self, out_len: usize) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::B2(v) => digest(Kind::B2, &v, out_len),
        }
    }
}

/// The digest of a file operand, read in blocks (BLAKE2b buffers, bounded by
/// `MAX_INPUT`).
fn digest_file(ctx: &Ctx<'_>, f: &str, kind: Kind, out_len: usize) -> Result<Vec<u8>, String> {
    let fd = open(ctx, f)?;
    let mut h = Hasher::new(kind);
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    loop {
        let n = fd
            .read(&mut buf)
            .map_err(|e| crate::io::errno_message(&e))?;
        if n == 0 {
            break;
        }
        total += n;
        if matches!(kind, Kind::B2) && total > super::super::util::MAX_INPUT {
            return Err("File too large".into());
        }
        h.update(&buf[..n]);
        if ctx.cancel.is_cancelled() {
            return Err("Interrupted system call".into());
        }
    }
    Ok(h.finish(out_len))
}

fn read_file(ctx: &Ctx<'_>, f: &str) -> Result<Vec<u8>, String> {
    let fd = open(ctx, f)?;
    let mut v = Vec::new();
    fd.read_to_end(&mut v, super::super::util::MAX_INPUT)
        .map_err(|e| crate::io::errno_message(&e))?;
    Ok(v)
}

/// Escape a file name as GNU does for output (`\\` and `\n`), reporting whether it did.
fn escape_name(name: &str) -> (String, bool) {
    if !name.contains(['\\', '\n']) {
        return (name.to_string(), false);
    }
    let mut s = String::new();
    for c in name.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            _ => s.push(c),
        }
    }
    (s, true)
}

fn unescape_name(name: &str) -> String {
    let mut s = String::new();
    let mut it = name.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => s.push('\n'),
                Some('r') => s.push('\r'),
                Some(x) => s.push(x),
                None => s.push('\\'),
            }
        } else {
            s.push(c);
        }
    }
    s
}

struct Opts {
    binary: bool,
    tag: bool,
    zero: bool,
    quiet: bool,
    status: bool,
    strict: bool,
    warn: bool,
    ignore_missing: bool,
    out_len: usize,
}

impl Command for HashSum {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let kind = self.0;
        let mut longs = vec![
            "binary",
            "check",
            "tag",
            "text",
            "zero",
            "ignore-missing",
            "quiet",
            "status",
            "strict",
            "warn",
            "help",
            "version",
        ];
        let short_val = if kind == Kind::B2 {
            longs.push("length=");
            "l"
        } else {
            ""
        };
        let parsed = match parse_args(&ctx.args[1..], short_val, "bctzw", &longs) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut o = Opts {
            binary: false,
            tag: false,
            zero: false,
            quiet: false,
            status: false,
            strict: false,
            warn: false,
            ignore_missing: false,
            out_len: kind.bits() / 8,
        };
        let mut check = false;
        let mut text_flag = false;
        let mut files = Vec::new();
        for a in parsed {
            let name: String = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short('l', Some(v)) | Arg::Long(_, Some(v)) => {
                    match v.parse::<usize>() {
                        Ok(n) if n <= 512 && n % 8 == 0 => {
                            o.out_len = if n == 0 { 64 } else { n / 8 };
                        }
                        Ok(n) if n > 512 => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            ctx.err("maximum digest length for 'BLAKE2b' is 512 bits");
                            return 1;
                        }
                        Ok(_) => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            ctx.err("length is not a multiple of 8");
                            return 1;
                        }
                        Err(_) => {
                            ctx.err(&format!("invalid length: {}", quote(&v)));
                            return 1;
                        }
                    }
                    continue;
                }
                Arg::Short(c, _) => match c {
                    'b' => "binary",
                    'c' => "check",
                    't' => "text",
                    'z' => "zero",
                    _ => "warn",
                }
                .into(),
                Arg::Long(l, None) => l,
            };
            match name.as_str() {
                "binary" => o.binary = true,
                "check" => check = true,
                "text" => {
                    o.binary = false;
                    text_flag = true;
                }
                "zero" => o.zero = true,
                "tag" => o.tag = true,
                "quiet" => o.quiet = true,
                "status" => o.status = true,
                "strict" => o.strict = true,
                "warn" => o.warn = true,
                "ignore-missing" => o.ignore_missing = true,
                "help" => return print_text(ctx, help(kind)),
                _ => {
                    let authors = if kind == Kind::B2 {
                        "Written by Padraig Brady and Samuel Neves."
                    } else {
                        "Written by Ulrich Drepper, Scott Miller, and David Madore."
                    };
                    return version(ctx, kind.name(), authors);
                }
            }
        }
        if o.tag && text_flag {
            return try_help(ctx, "--tag does not support --text mode", 1);
        }
        if o.tag && check {
            return try_help(
                ctx,
                "the --tag option is meaningless when verifying checksums",
                1,
            );
        }
        if !check {
            for (flag, name) in [
                (o.ignore_missing, "--ignore-missing"),
                (o.quiet, "--quiet"),
                (o.status, "--status"),
                (o.strict, "--strict"),
                (o.warn, "--warn"),
            ] {
                if flag {
                    return try_help(
                        ctx,
                        &format!(
                            "the {} option is meaningful only when verifying checksums",
                            name
                        ),
                        1,
                    );
                }
            }
        }
        if files.is_empty() {
            files.push("-".into());
        }
        if check {
            let mut st = 0;
            for f in &files {
                match check_file(ctx, kind, f, &o) {
                    Ok(s) => st = st.max(s),
                    Err(code) => return code,
                }
            }
            return st;
        }
        let mut out = Out::new(ctx);
        let mut status = 0;
        for f in &files {
            let d = match digest_file(ctx, f, kind, o.out_len) {
                Ok(d) => hex(&d),
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let (name, escaped) = if o.zero {
                (f.clone(), false)
            } else {
                escape_name(f)
            };
            let mut line = String::new();
            if escaped {
                line.push('\\');
            }
            if o.tag {
                let tag = if kind == Kind::B2 && o.out_len != 64 {
                    format!("BLAKE2b-{}", o.out_len * 8)
                } else {
                    kind.tag().to_string()
                };
                line.push_str(&format!("{tag} ({name}) = {d}"));
            } else {
                line.push_str(&d);
                line.push(' ');
                line.push(if o.binary { '*' } else { ' ' });
                line.push_str(&name);
            }
            line.push(if o.zero { '\0' } else { '\n' });
            if let Err(s) = out.put(line.as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// Parse one checksum line: (hex digest, file name).
fn parse_line(kind: Kind, line: &str, out_len: usize) -> Option<(String, String)> {
    let (line, escaped) = match line.strip_prefix('\\') {
        Some(r) => (r, true),
        None => (line, false),
    };
    let fix = |n: &str| {
        if escaped {
            unescape_name(n)
        } else {
            n.to_string()
        }
    };
    let hexlen = |h: &str| {
        h.len().is_multiple_of(2) && !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit())
    };
    // Tagged: ALGO (FILE) = HEX
    let tag = kind.tag();
    if let Some(rest) = line.strip_prefix(tag) {
        let rest = if kind == Kind::B2 {
            match rest.strip_prefix('-') {
                Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
                None => rest,
            }
        } else {
            rest
        };
        if let Some(rest) = rest.strip_prefix(" (")
            && let Some(idx) = rest.rfind(") = ")
        {
            let name = &rest[..idx];
            let h = &rest[idx + 4..];
            if hexlen(h) && (kind == Kind::B2 || h.len() == out_len * 2) {
                return Some((h.to_ascii_lowercase(), fix(name)));
            }
            return None;
        }
    }
    // b2sum without a length (the default 512) takes the digest length from the
    // line's leading run of hex digits, as GNU does.
    let run = line.bytes().take_while(u8::is_ascii_hexdigit).count();
    let want = if kind == Kind::B2 && out_len == 64 && run > 0 && run <= 128 {
        run
    } else {
        out_len * 2
    };
    let h = line.get(..want)?;
    if !hexlen(h) {
        return None;
    }
    let rest = &line[want..];
    let mut b = rest.bytes();
    if b.next() != Some(b' ') {
        return None;
    }
    match b.next() {
        Some(b' ') | Some(b'*') => {}
        _ => return None,
    }
    let name = &rest[2..];
    if name.is_empty() {
        return None;
    }
    Some((h.to_ascii_lowercase(), fix(name)))
}

fn check_file(ctx: &Ctx<'_>, kind: Kind, list: &str, o: &Opts) -> Result<i32, i32> {
    let data = match read_file(ctx, list) {
        Ok(d) => d,
        Err(m) => {
            ctx.err(&format!("{list}: {m}"));
            return Ok(1);
        }
    };
    let shown = if list == "-" { "standard input" } else { list };
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut bad_format = 0;
    let mut failed = 0;
    let mut unreadable = 0;
    let mut good_lines = 0;
    let mut matched = 0;
    let mut out = Out::new(ctx);
    let sep = if o.zero { '\0' } else { '\n' };
    let lines: Vec<&str> = text.split(sep).collect();
    let n = if text.ends_with(sep) {
        lines.len() - 1
    } else {
        lines.len()
    };
    for (i, raw) in lines.iter().take(n).enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with('#') {
            continue;
        }
        let Some((want, file)) = parse_line(kind, line, o.out_len) else {
            bad_format += 1;
            if o.warn {
                ctx.err(&format!(
                    "{}: {}: improperly formatted {} checksum line",
                    shown,
                    i + 1,
                    kind.tag()
                ));
            }
            continue;
        };
        good_lines += 1;
        let (shown_name, esc) = escape_name(&file);
        let prefix = if esc { "\\" } else { "" };
        match digest_file(ctx, &file, kind, want.len() / 2) {
            Err(m) => {
                if o.ignore_missing && m == "No such file or directory" {
                    continue;
                }
                ctx.err(&format!("{file}: {m}"));
                unreadable += 1;
                if !o.status {
                    let l = format!("{prefix}{shown_name}: FAILED open or read\n");
                    out.put(l.as_bytes()).map_err(stopped)?;
                }
            }
            Ok(d) => {
                matched += 1;
                let ok = hex(&d) == want;
                if !ok {
                    failed += 1;
                }
                if !o.status && (!ok || !o.quiet) {
                    let l = format!(
                        "{prefix}{shown_name}: {}\n",
                        if ok { "OK" } else { "FAILED" }
                    );
                    out.put(l.as_bytes()).map_err(stopped)?;
                }
            }
        }
    }
    out.flush().map_err(stopped)?;
    if good_lines == 0 {
        ctx.err(&format!(
            "{}: no properly formatted checksum lines found",
            quote_name(shown)
        ));
        return Ok(1);
    }
    if !o.status {
        if bad_format > 0 {
            ctx.err(&format!(
                "WARNING: {bad_format} {} improperly formatted",
                if bad_format == 1 {
                    "line is"
                } else {
                    "lines are"
                }
            ));
        }
        if unreadable > 0 {
            ctx.err(&format!(
                "WARNING: {unreadable} listed {} could not be read",
                if unreadable == 1 { "file" } else { "files" }
            ));
        }
        if failed > 0 {
            ctx.err(&format!(
                "WARNING: {failed} computed {} did NOT match",
                if failed == 1 { "checksum" } else { "checksums" }
            ));
        }
    }
    if o.ignore_missing && matched == 0 {
        ctx.err(&format!("{}: no file was verified", quote_name(shown)));
        return Ok(1);
    }
    let bad = failed > 0 || unreadable > 0 || (o.strict && bad_format > 0);
    Ok(i32::from(bad))
}

fn quote_name(s: &str) -> String {
    super::quote_shell(s, false)
}

/// GNU's `--help` text for `kind`.
fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::Md5 => {
            r#"Usage: md5sum [OPTION]... [FILE]...
Print or check MD5 (128-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 1321.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/md5sum>
or available locally via: info '(coreutils) md5sum invocation'
"#
        }
        Kind::Sha1 => {
            r#"Usage: sha1sum [OPTION]... [FILE]...
Print or check SHA1 (160-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-1.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha1sum>
or available locally via: info '(coreutils) sha1sum invocation'
"#
        }
        Kind::Sha224 => {
            r#"Usage: sha224sum [OPTION]... [FILE]...
Print or check SHA224 (224-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 3874.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha224sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha256 => {
            r#"Usage: sha256sum [OPTION]... [FILE]...
Print or check SHA256 (256-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha256sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha384 => {
            r#"Usage: sha384sum [OPTION]... [FILE]...
Print or check SHA384 (384-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha384sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::Sha512 => {
            r#"Usage: sha512sum [OPTION]... [FILE]...
Print or check SHA512 (512-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in FIPS-180-2.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sha512sum>
or available locally via: info '(coreutils) sha2 utilities'
"#
        }
        Kind::B2 => {
            r#"Usage: b2sum [OPTION]... [FILE]...
Print or check BLAKE2b (512-bit) checksums.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
  -l, --length=BITS     digest length in bits; must not exceed the max for
                          the blake2 algorithm and must be a multiple of 8
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in RFC 7693.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/b2sum>
or available locally via: info '(coreutils) b2sum invocation'
"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(
            hex(&digest(Kind::Md5, b"hello\n", 16)),
            "b1946ac92492d2347c6235b4d2611184"
        );
        assert_eq!(
            hex(&digest(Kind::Sha1, b"hello\n", 20)),
            "f572d396fae9206628714fb2ce00f72e94f2258f"
        );
        assert_eq!(
            hex(&digest(Kind::Sha256, b"", 32)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&digest(Kind::B2, b"", 64)),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        );
    }
}

//! `printf` formatting and backslash escapes, as bash 5.2 does them in a UTF-8 locale.
//!
//! - [`format`] / [`format_with`]: the `printf FORMAT [ARGS...]` builtin: every conversion of
//!   bash 5.2 (`%d %i %o %u %x %X %e %E %f %F %g %G %a %A %c %s %b %q %Q %n %(fmt)T %%`), flags,
//!   width and precision (also `*` from the arguments), format reuse, bash's diagnostics and
//!   exit status.
//! - [`echo_escapes`]: `echo -e`; [`ansi_c_unquote`]: `$'...'`.
//! - [`quote_q`]: `printf %q`; [`quote_at_q`]: `${x@Q}`.
//! - [`strftime`]: the C-locale `strftime(3)` behind `%(fmt)T`.
//!
//! Floating-point conversions follow bash on x86-64, which uses `long double` (the x87 80-bit
//! format, a 64-bit significand): arguments are parsed as `strtold` does (correctly rounded, with
//! hex floats, `inf`, `nan`) and printed from their exact binary value, so `printf '%.3f' 2.0005`
//! gives `2.001` and `printf '%.20f' 0.1` gives `0.10000000000000000000`, as bash does.

use std::cmp::Ordering;

/// The largest field width or precision honoured; larger ones are clamped (bash would try to
/// write gigabytes of padding).
const MAX_FIELD: usize = 1 << 24;

/// Result of formatting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Formatted {
    /// The bytes to write.
    pub output: Vec<u8>,
    /// Error messages, each the text bash prints after `agentsh: line N: `, e.g.
    /// `printf: abc: invalid number`.
    pub errors: Vec<String>,
    /// The exit status: 0, or 1 after an invalid number, an invalid or missing format
    /// character, or an invalid `%n` variable name.
    pub status: i32,
    /// `%n` assignments, in order: the variable name and the number of bytes written so far by
    /// the current pass over the format. The caller assigns them.
    pub assignments: Vec<(String, i64)>,
}

/// The clock and time zone used by `%(fmt)T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeContext {
    /// The current time, in seconds since the epoch (used for the argument `-1` or no argument).
    pub now: i64,
    /// When the shell started, in seconds since the epoch (used for the argument `-2`).
    pub shell_start: i64,
    /// The local time zone's offset from UTC, in seconds east.
    pub utc_offset: i32,
    /// The local time zone's abbreviation, for `%Z`.
    pub zone: String,
}

impl TimeContext {
    /// UTC, with the given current and shell start times.
    pub fn utc(now: i64, shell_start: i64) -> Self {
        TimeContext {
            now,
            shell_start,
            utc_offset: 0,
            zone: "UTC".to_string(),
        }
    }

    /// UTC, with the system clock for both times.
    pub fn system() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        TimeContext::utc(now, now)
    }
}

/// bash's `printf FORMAT [ARGS...]` (args are bytes; the format is reused while args remain;
/// missing args are empty/zero). `%(fmt)T` uses UTC and the system clock; see [`format_with`].
pub fn format(fmt: &[u8], args: &[Vec<u8>]) -> Formatted {
    format_with(fmt, args, &TimeContext::system())
}

/// [`format`] with an explicit clock and time zone for `%(fmt)T`.
pub fn format_with(fmt: &[u8], args: &[Vec<u8>], time: &TimeContext) -> Formatted {
    let mut p = Printer {
        args,
        next: 0,
        out: Vec::new(),
        errors: Vec::new(),
        conversion_error: false,
        assignments: Vec::new(),
        time,
    };
    let fmt = cstr(fmt);
    let status = if fmt.is_empty() { 0 } else { p.run(fmt) };
    Formatted {
        output: p.out,
        errors: p.errors,
        status,
        assignments: p.assignments,
    }
}

/// Backslash escapes as `echo -e` processes them (returns the bytes and whether `\c` stopped
/// output).
///
/// Recognised: `\a \b \e \E \f \n \r \t \v \\`, `\0NNN` (up to three octal digits after the
/// `0`), `\xHH`, `\uHHHH`, `\UHHHHHHHH` and `\c`; anything else (including `\NNN` without the
/// leading `0`) is kept with its backslash.
pub fn echo_escapes(s: &[u8]) -> (Vec<u8>, bool) {
    ansicstr(cstr(s), AnsiMode::Echo)
}

/// `$'...'` ANSI-C quoting: the string between the quotes to bytes.
///
/// Recognised: `\a \b \e \E \f \n \r \t \v \\ \' \" \?`, `\NNN` (one to three octal digits),
/// `\xHH` and `\x{H...}`, `\uHHHH`, `\UHHHHHHHH` and `\cX` (control characters). As in bash the
/// result ends at the first NUL byte (`$'a\0b'` is `a`).
pub fn ansi_c_unquote(s: &[u8]) -> Vec<u8> {
    let (mut out, _) = ansicstr(cstr(s), AnsiMode::Dollar);
    if let Some(nul) = out.iter().position(|&b| b == 0) {
        out.truncate(nul);
    }
    out
}

/// `printf %q` quoting: `''` for the empty string, `$'...'` when the string holds control
/// characters, invalid UTF-8 or unprintable characters, and backslashes before the shell's
/// special characters otherwise.
pub fn quote_q(s: &[u8]) -> Vec<u8> {
    let s = cstr(s);
    if s.is_empty() {
        b"''".to_vec()
    } else if ansic_should_quote(s) {
        ansic_quote(s)
    } else {
        backslash_quote(s)
    }
}

/// `${x@Q}` quoting: `''` for the empty string, `$'...'` when the string holds control
/// characters, invalid UTF-8 or unprintable characters, and single quotes otherwise.
pub fn quote_at_q(s: &[u8]) -> Vec<u8> {
    let s = cstr(s);
    if s.is_empty() {
        b"''".to_vec()
    } else if ansic_should_quote(s) {
        ansic_quote(s)
    } else {
        single_quote(s)
    }
}

// ---------------------------------------------------------------------------------------------
// The format driver
// ---------------------------------------------------------------------------------------------

/// A C string view: the bytes before the first NUL (bash's words cannot hold NUL bytes).
fn cstr(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}

fn lossy(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// The flags of one conversion specification.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    alt: bool,
    group: bool,
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
}

/// A field width as written in the format.
#[derive(Debug, Clone, Copy)]
enum Width {
    None,
    /// Digits in the format (saturating).
    Lit(u64),
    /// `*`, from an argument.
    Star(i32),
}

/// A precision as written in the format.
#[derive(Debug, Clone, Copy)]
enum Prec {
    None,
    /// `.` and digits (none means 0; saturating).
    Lit(u64),
    /// `.*`, from an argument.
    Star(i32),
    /// `.-` and digits: glibc prints such a specification literally (see [`Printer::glibc_quirk`]).
    NegLit(usize, usize),
}

/// A parsed specification, for the conversions `printf(3)` would do.
struct Spec {
    flags: Flags,
    width: usize,
    prec: Option<usize>,
}

struct Printer<'a> {
    args: &'a [Vec<u8>],
    next: usize,
    out: Vec<u8>,
    errors: Vec<String>,
    conversion_error: bool,
    assignments: Vec<(String, i64)>,
    time: &'a TimeContext,
}

/// What to do after a conversion.
enum Step {
    Go,
    /// Stop formatting, with this exit status.
    Stop(i32),
}

impl Printer<'_> {
    fn error(&mut self, msg: String) {
        self.errors.push(format!("printf: {msg}"));
    }

    fn run(&mut self, fmt: &[u8]) -> i32 {
        loop {
            let pass_start = self.out.len();
            let mut i = 0;
            while i < fmt.len() {
                let c = fmt[i];
                if c == b'\\' {
                    let (n, _) = tescape(&fmt[i + 1..], false, &mut self.out, &mut self.errors);
                    i += 1 + n;
                    continue;
                }
                if c != b'%' {
                    self.out.push(c);
                    i += 1;
                    continue;
                }
                match self.conversion(fmt, &mut i, pass_start) {
                    Step::Go => {}
                    Step::Stop(status) => return status,
                }
            }
            if !(self.next < self.args.len() && self.next > 0) {
                break;
            }
        }
        i32::from(self.conversion_error)
    }

    /// The next argument (as a C string), consuming it.
    fn take_arg(&mut self) -> Option<&[u8]> {
        let args = self.args;
        let a = args.get(self.next)?;
        self.next += 1;
        Some(cstr(a))
    }

    fn get_str(&mut self) -> Vec<u8> {
        self.take_arg().map(<[u8]>::to_vec).unwrap_or_default()
    }

    fn invalid_number(&mut self, s: &[u8]) {
        let kind = if s.first() == Some(&b'0') && s.get(1).is_some_and(u8::is_ascii_digit) {
            "invalid octal number"
        } else if s.first() == Some(&b'0') && s.get(1) == Some(&b'x') {
            "invalid hex number"
        } else {
            "invalid number"
        };
        self.error(format!("{}: {kind}", lossy(s)));
        self.conversion_error = true;
    }

    fn erange(&mut self, s: &[u8]) {
        self.error(format!(
            "warning: {}: Numerical result out of range",
            lossy(s)
        ));
    }

    fn get_intmax(&mut self) -> i64 {
        let Some(arg) = self.take_arg() else {
            return 0;
        };
        if let Some(rest) = char_code_arg(arg) {
            return i64::from(char_code(rest));
        }
        let arg = arg.to_vec();
        let n = parse_c_integer(&arg);
        let limit = if n.neg { 1u64 << 63 } else { i64::MAX as u64 };
        let (value, range) = if n.overflow || n.mag > limit {
            (if n.neg { i64::MIN } else { i64::MAX }, true)
        } else if n.neg {
            ((n.mag as i64).wrapping_neg(), false)
        } else {
            (n.mag as i64, false)
        };
        if n.end < arg.len() {
            self.invalid_number(&arg);
        } else if range {
            self.erange(&arg);
        }
        value
    }

    fn get_uintmax(&mut self) -> u64 {
        let Some(arg) = self.take_arg() else {
            return 0;
        };
        if let Some(rest) = char_code_arg(arg) {
            return u64::from(char_code(rest));
        }
        let arg = arg.to_vec();
        let n = parse_c_integer(&arg);
        let value = if n.overflow {
            u64::MAX
        } else if n.neg {
            n.mag.wrapping_neg()
        } else {
            n.mag
        };
        if n.end < arg.len() {
            self.invalid_number(&arg);
        } else if n.overflow {
            self.erange(&arg);
        }
        value
    }

    fn get_float(&mut self) -> LongDouble {
        let Some(arg) = self.take_arg() else {
            return LongDouble::ZERO;
        };
        if let Some(rest) = char_code_arg(arg) {
            return LongDouble::from_u64(u64::from(char_code(rest)));
        }
        let arg = arg.to_vec();
        let (value, end, range) = parse_long_double(&arg);
        if end < arg.len() {
            self.invalid_number(&arg);
        } else if range {
            self.erange(&arg);
        }
        value
    }

    /// A `*` width or precision, as bash 5.2's `getint`: out-of-range values are clamped with a
    /// warning that names the *following* argument, or truncated when none follows.
    fn get_star(&mut self) -> i32 {
        if self.next >= self.args.len() {
            return 0;
        }
        let v = self.get_intmax();
        let Some(following) = self.args.get(self.next) else {
            return v as i32;
        };
        let following = cstr(following).to_vec();
        if v > i64::from(i32::MAX) {
            self.erange(&following);
            i32::MAX
        } else if v < i64::from(i32::MIN) {
            self.erange(&following);
            i32::MIN
        } else {
            v as i32
        }
    }

    /// One conversion specification, `fmt[*i] == b'%'`.
    fn conversion(&mut self, fmt: &[u8], i: &mut usize, pass_start: usize) -> Step {
        let start = *i;
        let mut j = start + 1;
        if fmt.get(j) == Some(&b'%') {
            self.out.push(b'%');
            *i = j + 1;
            return Step::Go;
        }
        let mut flags = Flags::default();
        while let Some(&f) = fmt.get(j) {
            match f {
                b'#' => flags.alt = true,
                b'\'' => flags.group = true,
                b'-' => flags.minus = true,
                b'+' => flags.plus = true,
                b' ' => flags.space = true,
                b'0' => flags.zero = true,
                _ => break,
            }
            j += 1;
        }
        let mut width = Width::None;
        if fmt.get(j) == Some(&b'*') {
            j += 1;
            width = Width::Star(self.get_star());
        } else if fmt.get(j).is_some_and(u8::is_ascii_digit) {
            width = Width::Lit(read_digits(fmt, &mut j));
        }
        let mut prec = Prec::None;
        if fmt.get(j) == Some(&b'.') {
            j += 1;
            if fmt.get(j) == Some(&b'*') {
                j += 1;
                prec = Prec::Star(self.get_star());
            } else if fmt.get(j) == Some(&b'-') {
                j += 1;
                let d = j;
                while fmt.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                prec = Prec::NegLit(d, j);
            } else {
                prec = Prec::Lit(read_digits(fmt, &mut j));
            }
        }
        while fmt.get(j).is_some_and(|c| b"hjlLtz".contains(c)) {
            j += 1;
        }
        let Some(&conv) = fmt.get(j) else {
            self.error(format!(
                "`{}': missing format character",
                lossy(&fmt[start..])
            ));
            return Step::Stop(1);
        };
        *i = j + 1;
        match conv {
            b'b' => {
                let arg = self.get_str();
                let mut xp = Vec::new();
                let sawc = bexpand(&arg, &mut xp, &mut self.errors);
                self.printstr(&xp, flags, width, prec, None);
                if sawc {
                    return Step::Stop(0);
                }
            }
            b'q' | b'Q' => {
                let mut arg = self.get_str();
                let mut fixed = None;
                if conv == b'Q' {
                    // bash 5.2: a literal precision applies to the unquoted argument, and the
                    // quoted result is printed whole.
                    if let Prec::Lit(n) = prec {
                        let n = usize::try_from(n).unwrap_or(usize::MAX);
                        arg.truncate(n);
                    }
                }
                let quoted = quote_q(&arg);
                if conv == b'Q' {
                    fixed = Some(quoted.len());
                }
                self.printstr(&quoted, flags, width, prec, fixed);
            }
            b'(' => return self.time_conversion(fmt, i, start, flags, width, prec),
            b'n' => {
                let var = self.get_str();
                if !var.is_empty() {
                    if is_identifier(&var) {
                        let written = (self.out.len() - pass_start) as i64;
                        self.assignments.push((lossy(&var), written));
                    } else {
                        self.error(format!("`{}': not a valid identifier", lossy(&var)));
                        return Step::Stop(1);
                    }
                }
            }
            b'c' | b's' | b'd' | b'i' | b'o' | b'u' | b'x' | b'X' | b'e' | b'E' | b'f'
            | b'F' | b'g' | b'G' | b'a' | b'A' => {
                self.glibc_conversion(fmt, conv, flags, width, prec);
            }
            _ => {
                self.error(format!(
                    "`{}': invalid format character",
                    lossy(&[conv])
                ));
                return Step::Stop(1);
            }
        }
        Step::Go
    }

    /// A conversion bash hands to `printf(3)`.
    fn glibc_conversion(
        &mut self,
        fmt: &[u8],
        conv: u8,
        flags: Flags,
        width: Width,
        prec: Prec,
    ) {
        // Fetch the argument first: it is consumed whatever happens to the output.
        let value = match conv {
            b'c' => Value::Char(match self.take_arg() {
                Some(a) => a.first().copied().unwrap_or(0),
                None => 0,
            }),
            b's' => Value::Str(self.get_str()),
            b'd' | b'i' => Value::Int(self.get_intmax()),
            b'o' | b'u' | b'x' | b'X' => Value::Uint(self.get_uintmax()),
            _ => Value::Float(self.get_float()),
        };
        let mut flags = flags;
        let width = match width {
            Width::None => 0,
            Width::Lit(n) => match usize::try_from(n) {
                Ok(n) if n <= i32::MAX as usize => n,
                // printf(3) fails with EOVERFLOW and prints nothing; bash ignores the failure.
                _ => return,
            },
            Width::Star(n) => {
                if n < 0 {
                    flags.minus = true;
                }
                n.unsigned_abs() as usize
            }
        };
        let prec = match prec {
            Prec::None => None,
            Prec::Lit(n) => match usize::try_from(n) {
                Ok(n) if n <= i32::MAX as usize => Some(n),
                _ => return,
            },
            Prec::Star(n) => usize::try_from(n).ok(),
            Prec::NegLit(d, e) => {
                self.glibc_quirk(conv, flags, width, &fmt[d..e]);
                return;
            }
        };
        let spec = Spec {
            flags,
            width: width.min(MAX_FIELD),
            prec: prec.map(|p| p.min(MAX_FIELD)),
        };
        let bytes = match value {
            Value::Char(c) => pad(&[], &[c], spec.width, spec.flags.minus, false),
            Value::Str(s) => {
                let n = spec.prec.map_or(s.len(), |p| p.min(s.len()));
                pad(&[], &s[..n], spec.width, spec.flags.minus, false)
            }
            Value::Int(v) => format_integer(v < 0, v.unsigned_abs(), conv, &spec),
            Value::Uint(v) => format_integer(false, v, conv, &spec),
            Value::Float(v) => format_float(v, conv, &spec),
        };
        self.out.extend_from_slice(&bytes);
    }

    /// glibc prints a specification whose precision is `.-N` literally, rebuilt from what it
    /// parsed (precision 0, conversion `-`), followed by the rest of bash's rewritten
    /// specification as plain text: bash 5.2 prints `%.0-5ld` for `%.-5d`.
    fn glibc_quirk(
        &mut self,
        conv: u8,
        flags: Flags,
        width: usize,
        digits: &[u8],
    ) {
        let out = &mut self.out;
        out.push(b'%');
        if flags.alt {
            out.push(b'#');
        }
        if flags.group {
            out.push(b'\'');
        }
        if flags.plus {
            out.push(b'+');
        } else if flags.space {
            out.push(b' ');
        }
        if flags.minus {
            out.push(b'-');
        }
        if flags.zero {
            out.push(b'0');
        }
        if width != 0 {
            out.extend_from_slice(width.to_string().as_bytes());
        }
        out.extend_from_slice(b".0-");
        out.extend_from_slice(digits);
        match conv {
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => out.push(b'l'),
            b'c' | b's' => {}
            _ => out.push(b'L'),
        }
        out.push(conv);
    }

    /// bash's `printstr`, used by `%b`, `%q`, `%Q` and `%(fmt)T`: width and precision in bytes,
    /// spaces for padding. `fixed` is `%Q`'s precision (the quoted length), which a literal
    /// precision cannot lower and which replaces a `*` one.
    fn printstr(&mut self, s: &[u8], flags: Flags, width: Width, prec: Prec, fixed: Option<usize>) {
        let mut ljust = flags.minus;
        let fw: i64 = match width {
            Width::None => 0,
            Width::Lit(n) => i64::from(n as i32),
            Width::Star(n) => {
                if n < 0 {
                    ljust = true;
                }
                i64::from(n).abs()
            }
        };
        let fixed = fixed.map(|n| n as i64);
        let pr: i64 = match prec {
            Prec::None => -1,
            Prec::Lit(n) => {
                let n = i64::from(n as i32);
                match fixed {
                    Some(f) if n < f => f,
                    _ => n,
                }
            }
            Prec::Star(n) => fixed.unwrap_or(i64::from(n)),
            Prec::NegLit(..) => 0,
        };
        let len = s.len() as i64;
        let nc = if pr >= 0 && pr <= len { pr } else { len };
        let padlen = (fw - nc).clamp(0, MAX_FIELD as i64) as usize;
        let body = &s[..nc as usize];
        if !ljust {
            self.out.resize(self.out.len() + padlen, b' ');
        }
        self.out.extend_from_slice(body);
        if ljust {
            self.out.resize(self.out.len() + padlen, b' ');
        }
    }

    /// `%(fmt)T`; `fmt[*i - 1] == b'('`.
    fn time_conversion(
        &mut self,
        fmt: &[u8],
        i: &mut usize,
        start: usize,
        flags: Flags,
        width: Width,
        prec: Prec,
    ) -> Step {
        let open = *i;
        let mut depth = 1;
        let mut j = open;
        while j < fmt.len() {
            match fmt[j] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            j += 1;
        }
        if j >= fmt.len() || fmt.get(j + 1) != Some(&b'T') {
            // bash reads the byte after the closing parenthesis (past the end when there is none).
            let c = match fmt.get(j + 1) {
                Some(&c) if j < fmt.len() => lossy(&[c]),
                _ if j < fmt.len() => String::new(),
                _ => " ".to_string(),
            };
            self.error(format!(
                "warning: `{c}': invalid time format specification"
            ));
            self.out.push(b'%');
            *i = start + 1;
            return Step::Go;
        }
        let tfmt: &[u8] = if j == open { b"%X" } else { &fmt[open..j] };
        *i = j + 2;
        let arg = if self.next < self.args.len() {
            self.get_intmax()
        } else {
            -1
        };
        let secs = match arg {
            -1 => self.time.now,
            -2 => self.time.shell_start,
            s => s,
        };
        let mut text = strftime(tfmt, secs, self.time.utc_offset, &self.time.zone);
        if text.len() >= 128 {
            text.clear();
        }
        self.printstr(&text, flags, width, prec, None);
        Step::Go
    }
}

/// An argument fetched for a `printf(3)` conversion.
enum Value {
    Char(u8),
    Str(Vec<u8>),
    Int(i64),
    Uint(u64),
    Float(LongDouble),
}

/// Digits at `fmt[*j..]`, saturating.
fn read_digits(fmt: &[u8], j: &mut usize) -> u64 {
    let mut n: u64 = 0;
    while let Some(&d) = fmt.get(*j) {
        if !d.is_ascii_digit() {
            break;
        }
        n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        *j += 1;
    }
    n
}

fn is_identifier(s: &[u8]) -> bool {
    match s.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Numeric arguments
// ---------------------------------------------------------------------------------------------

/// For an argument starting with `'` or `"`, the rest (its character code is the value).
fn char_code_arg(arg: &[u8]) -> Option<&[u8]> {
    match arg.first() {
        Some(b'\'' | b'"') => Some(&arg[1..]),
        _ => None,
    }
}

/// The code of the first character of `s`: its Unicode scalar value, the byte itself when it
/// does not start a valid UTF-8 character, 0 when empty.
fn char_code(s: &[u8]) -> u32 {
    match decode_utf8(s) {
        Some((c, _)) => c,
        None => s.first().map_or(0, |&b| u32::from(b)),
    }
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strtoimax`/`strtoumax` with base 0, as magnitude and sign.
struct CInteger {
    neg: bool,
    mag: u64,
    overflow: bool,
    /// Where parsing stopped (0 when nothing was converted).
    end: usize,
}

fn parse_c_integer(s: &[u8]) -> CInteger {
    let mut i = 0;
    while s.get(i).is_some_and(|&c| is_c_space(c)) {
        i += 1;
    }
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let base: u64 = if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        i += 2;
        16
    } else if s.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let digits_start = i;
    let mut mag: u64 = 0;
    let mut overflow = false;
    while let Some(&c) = s.get(i) {
        let Some(d) = (c as char).to_digit(base as u32) else {
            break;
        };
        match mag.checked_mul(base).and_then(|m| m.checked_add(u64::from(d))) {
            Some(m) => mag = m,
            None => overflow = true,
        }
        i += 1;
    }
    let end = if i == digits_start { 0 } else { i };
    CInteger {
        neg,
        mag,
        overflow,
        end,
    }
}

// ---------------------------------------------------------------------------------------------
// Integer conversions
// ---------------------------------------------------------------------------------------------

/// `prefix` and `body` padded to `width`: spaces on the left, spaces on the right (`left`), or
/// zeros between prefix and body (`zero`).
fn pad(prefix: &[u8], body: &[u8], width: usize, left: bool, zero: bool) -> Vec<u8> {
    let len = prefix.len() + body.len();
    let fill = width.saturating_sub(len);
    let mut out = Vec::with_capacity(len + fill);
    if left {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if zero {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
    out
}

fn format_integer(neg: bool, mag: u64, conv: u8, spec: &Spec) -> Vec<u8> {
    let fl = spec.flags;
    let mut digits = match conv {
        b'o' => format!("{mag:o}"),
        b'x' => format!("{mag:x}"),
        b'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    }
    .into_bytes();
    if spec.prec == Some(0) && mag == 0 {
        digits.clear();
    }
    if let Some(p) = spec.prec
        && digits.len() < p
    {
        let mut z = vec![b'0'; p - digits.len()];
        z.extend_from_slice(&digits);
        digits = z;
    }
    if conv == b'o' && fl.alt && digits.first() != Some(&b'0') {
        digits.insert(0, b'0');
    }
    let mut prefix: Vec<u8> = Vec::new();
    if matches!(conv, b'd' | b'i') {
        if neg {
            prefix.push(b'-');
        } else if fl.plus {
            prefix.push(b'+');
        } else if fl.space {
            prefix.push(b' ');
        }
    }
    if fl.alt && mag != 0 {
        match conv {
            b'x' => prefix.extend_from_slice(b"0x"),
            b'X' => prefix.extend_from_slice(b"0X"),
            _ => {}
        }
    }
    let zero = fl.zero && !fl.minus && spec.prec.is_none();
    pad(&prefix, &digits, spec.width, fl.minus, zero)
}

// ---------------------------------------------------------------------------------------------
// Big unsigned integers (just what exact long double conversion needs)
// ---------------------------------------------------------------------------------------------

/// An unsigned integer, little-endian 32-bit limbs without high zero limbs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn zero() -> Self {
        Big { limbs: Vec::new() }
    }

    fn from_u128(v: u128) -> Self {
        let mut limbs = Vec::new();
        let mut v = v;
        while v != 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Big { limbs }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn bit_len(&self) -> u64 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => (self.limbs.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        let limb = (i / 32) as usize;
        self.limbs
            .get(limb)
            .is_some_and(|&l| (l >> (i % 32)) & 1 == 1)
    }

    /// Whether any of the bits below bit `i` is set.
    fn any_below(&self, i: u64) -> bool {
        let whole = ((i / 32) as usize).min(self.limbs.len());
        if self.limbs[..whole].iter().any(|&l| l != 0) {
            return true;
        }
        let rem = i % 32;
        rem != 0
            && self
                .limbs
                .get(whole)
                .is_some_and(|&l| l & ((1u32 << rem) - 1) != 0)
    }

    fn low_u64(&self) -> u64 {
        let lo = self.limbs.first().copied().unwrap_or(0);
        let hi = self.limbs.get(1).copied().unwrap_or(0);
        u64::from(lo) | (u64::from(hi) << 32)
    }

    fn mul_add_small(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for l in &mut self.limbs {
            let v = u64::from(*l) * u64::from(m) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow5(&mut self, mut n: u64) {
        while n >= 13 {
            self.mul_add_small(1_220_703_125, 0);
            n -= 13;
        }
        self.mul_add_small(5u32.pow(n as u32), 0);
    }

    fn pow10(n: u64) -> Big {
        let mut b = Big::from_u128(1);
        b.mul_pow5(n);
        b.shl(n)
    }

    fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big::zero();
        }
        let words = (n / 32) as usize;
        let bits = (n % 32) as u32;
        let mut limbs = vec![0u32; words];
        if bits == 0 {
            limbs.extend_from_slice(&self.limbs);
        } else {
            let mut carry = 0u32;
            for &l in &self.limbs {
                limbs.push((l << bits) | carry);
                carry = l >> (32 - bits);
            }
            if carry != 0 {
                limbs.push(carry);
            }
        }
        Big { limbs }
    }

    fn shr(&self, n: u64) -> Big {
        let words = (n / 32) as usize;
        if words >= self.limbs.len() {
            return Big::zero();
        }
        let bits = (n % 32) as u32;
        let src = &self.limbs[words..];
        let mut limbs = Vec::with_capacity(src.len());
        for (k, &l) in src.iter().enumerate() {
            let mut v = if bits == 0 { l } else { l >> bits };
            if bits != 0
                && let Some(&next) = src.get(k + 1)
            {
                v |= next << (32 - bits);
            }
            limbs.push(v);
        }
        let mut b = Big { limbs };
        b.trim();
        b
    }

    fn cmp_big(&self, other: &Big) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    /// `self -= other`, for `self >= other`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (k, l) in self.limbs.iter_mut().enumerate() {
            let o = i64::from(other.limbs.get(k).copied().unwrap_or(0));
            let mut v = i64::from(*l) - o - borrow;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            } else {
                borrow = 0;
            }
            *l = v as u32;
        }
        self.trim();
    }

    fn divrem_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for l in self.limbs.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*l);
            *l = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    /// Decimal digits (values 0..=9), most significant first; empty for zero.
    fn to_decimal(&self) -> Vec<u8> {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.divrem_small(1_000_000_000));
        }
        let mut out = Vec::with_capacity(chunks.len() * 9);
        for (k, &c) in chunks.iter().rev().enumerate() {
            let s = if k == 0 {
                c.to_string()
            } else {
                format!("{c:09}")
            };
            out.extend(s.bytes().map(|b| b - b'0'));
        }
        out
    }
}

/// `floor(num / den)` when the quotient has at most 127 bits, and whether a remainder is left.
fn div_quotient(num: &Big, den: &Big) -> (u128, bool) {
    let mut r = num.clone();
    let (nb, db) = (num.bit_len(), den.bit_len());
    let mut q: u128 = 0;
    if nb >= db {
        for k in (0..=(nb - db)).rev() {
            let t = den.shl(k);
            if r.cmp_big(&t) != Ordering::Less {
                r.sub_assign(&t);
                q |= 1u128 << k;
            }
        }
    }
    (q, !r.is_zero())
}

// ---------------------------------------------------------------------------------------------
// long double: x87 extended precision, 64-bit significand
// ---------------------------------------------------------------------------------------------

/// The least exponent of a significand's lowest bit (subnormals).
const LD_MIN_LSB: i64 = -16445;
/// The greatest exponent of a significand's top bit.
const LD_MAX_TOP: i64 = 16383;

/// An x87 `long double`: `mant * 2^exp` (normal numbers have the top bit of `mant` set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LongDouble {
    Finite { neg: bool, mant: u64, exp: i32 },
    Inf { neg: bool },
    Nan { neg: bool },
}

impl LongDouble {
    const ZERO: LongDouble = LongDouble::Finite {
        neg: false,
        mant: 0,
        exp: 0,
    };

    fn from_u64(v: u64) -> LongDouble {
        if v == 0 {
            return LongDouble::ZERO;
        }
        let lz = v.leading_zeros();
        LongDouble::Finite {
            neg: false,
            mant: v << lz,
            exp: -(lz as i32),
        }
    }
}

/// `q * 2^e` (plus a nonzero fraction below `q`'s lowest bit when `sticky`) rounded to a long
/// double, nearest-even; also whether `strtold` would set `ERANGE`.
fn round_to_long_double(neg: bool, q: &Big, e: i64, sticky: bool) -> (LongDouble, bool) {
    if q.is_zero() {
        return (LongDouble::Finite { neg, mant: 0, exp: 0 }, false);
    }
    let top = e + q.bit_len() as i64 - 1;
    if top > LD_MAX_TOP {
        return (LongDouble::Inf { neg }, true);
    }
    let mut lsb = (top - 63).max(LD_MIN_LSB);
    let shift = lsb - e;
    let (mut mant, inexact): (u128, bool) = if shift <= 0 {
        (u128::from(q.low_u64()) << (-shift), sticky)
    } else {
        let shift = shift as u64;
        let m = q.shr(shift).low_u64();
        let half = q.bit(shift - 1);
        let rest = q.any_below(shift - 1) || sticky;
        let up = half && (rest || m & 1 == 1);
        (u128::from(m) + u128::from(up), half || rest)
    };
    if mant >> 64 != 0 {
        mant >>= 1;
        lsb += 1;
    }
    if lsb + 63 > LD_MAX_TOP {
        return (LongDouble::Inf { neg }, true);
    }
    let mant = mant as u64;
    let tiny = mant >> 63 == 0;
    let erange = tiny && inexact;
    if mant == 0 {
        return (LongDouble::Finite { neg, mant: 0, exp: 0 }, true);
    }
    (
        LongDouble::Finite {
            neg,
            mant,
            exp: lsb as i32,
        },
        erange,
    )
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// Most significant digits kept when parsing; the rest only count as "nonzero".
const MAX_PARSE_DIGITS: usize = 20_000;

/// `strtold`: the value, where parsing stopped (0 when nothing was converted) and whether
/// `ERANGE` would be set.
fn parse_long_double(s: &[u8]) -> (LongDouble, usize, bool) {
    let mut i = 0;
    while s.get(i).is_some_and(|&c| is_c_space(c)) {
        i += 1;
    }
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let rest = &s[i..];
    if starts_with_ci(rest, b"inf") {
        let n = if starts_with_ci(rest, b"infinity") { 8 } else { 3 };
        return (LongDouble::Inf { neg }, i + n, false);
    }
    if starts_with_ci(rest, b"nan") {
        let mut end = i + 3;
        if rest.get(3) == Some(&b'(') {
            let mut j = 4;
            while rest
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                j += 1;
            }
            if rest.get(j) == Some(&b')') {
                end = i + j + 1;
            }
        }
        return (LongDouble::Nan { neg }, end, false);
    }
    let is_hex = rest.len() > 2
        && rest[0] == b'0'
        && matches!(rest[1], b'x' | b'X')
        && (rest[2].is_ascii_hexdigit()
            || (rest[2] == b'.' && rest.get(3).is_some_and(u8::is_ascii_hexdigit)));
    let radix: u32 = if is_hex { 16 } else { 10 };
    let mut j = if is_hex { i + 2 } else { i };
    let mut mant = Big::zero();
    let mut kept = 0usize;
    let mut dropped: i64 = 0; // digits not kept, before the point
    let mut frac: i64 = 0; // digits kept after the point
    let mut sticky = false;
    let mut any = false;
    let mut seen_point = false;
    let mut chunk: u32 = 0;
    let mut chunk_len = 0u32;
    loop {
        let Some(&c) = s.get(j) else { break };
        if c == b'.' && !seen_point {
            seen_point = true;
            j += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(radix) else {
            break;
        };
        any = true;
        j += 1;
        if kept == 0 && d == 0 {
            if seen_point {
                frac += 1;
            }
            continue;
        }
        if kept >= MAX_PARSE_DIGITS {
            sticky |= d != 0;
            if !seen_point {
                dropped += 1;
            }
            continue;
        }
        kept += 1;
        if seen_point {
            frac += 1;
        }
        chunk = chunk * radix + d;
        chunk_len += 1;
        if chunk_len == 7 {
            mant.mul_add_small(radix.pow(chunk_len), chunk);
            chunk = 0;
            chunk_len = 0;
        }
    }
    if chunk_len > 0 {
        mant.mul_add_small(radix.pow(chunk_len), chunk);
    }
    if !any {
        return (LongDouble::ZERO, 0, false);
    }
    // The exponent: `e` (decimal) or `p` (hex), only if digits follow.
    let mut exp: i64 = 0;
    let marker: &[u8] = if is_hex { b"pP" } else { b"eE" };
    if s.get(j).is_some_and(|c| marker.contains(c)) {
        let mut k = j + 1;
        let mut eneg = false;
        if let Some(&c @ (b'+' | b'-')) = s.get(k) {
            eneg = c == b'-';
            k += 1;
        }
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            exp = read_digits(s, &mut k).min(1 << 40) as i64;
            if eneg {
                exp = -exp;
            }
            j = k;
        }
    }
    if mant.is_zero() {
        return (LongDouble::Finite { neg, mant: 0, exp: 0 }, j, false);
    }
    let (v, range) = if is_hex {
        let e = exp + 4 * (dropped - frac);
        round_to_long_double(neg, &mant, e, sticky)
    } else {
        let k = exp + dropped - frac;
        decimal_to_long_double(neg, &mant, kept as i64, k, sticky)
    };
    (v, j, range)
}

/// `d * 10^k` (d has `ndig` digits) rounded to a long double.
fn decimal_to_long_double(
    neg: bool,
    d: &Big,
    ndig: i64,
    k: i64,
    sticky: bool,
) -> (LongDouble, bool) {
    let mag = ndig + k;
    if mag > 4934 {
        return (LongDouble::Inf { neg }, true);
    }
    if mag < -4952 {
        return (LongDouble::Finite { neg, mant: 0, exp: 0 }, true);
    }
    if k >= 0 {
        let mut n = d.shl(k as u64);
        n.mul_pow5(k as u64);
        return round_to_long_double(neg, &n, 0, sticky);
    }
    let p = Big::pow10((-k) as u64);
    // Scale so that the quotient has 66 or 67 bits.
    let s = 66 + p.bit_len() as i64 - d.bit_len() as i64;
    let (q, r) = if s >= 0 {
        div_quotient(&d.shl(s as u64), &p)
    } else {
        div_quotient(d, &p.shl((-s) as u64))
    };
    round_to_long_double(neg, &Big::from_u128(q), -s, sticky || r)
}

/// The exact decimal expansion of `mant * 2^exp` (`mant != 0`): digits without trailing zeros,
/// and the position of the decimal point (value = 0.d1d2... * 10^point).
fn exact_digits(mant: u64, exp: i32) -> (Vec<u8>, i64) {
    let n = Big::from_u128(u128::from(mant));
    let (mut digits, point) = if exp >= 0 {
        let d = n.shl(exp as u64).to_decimal();
        let len = d.len() as i64;
        (d, len)
    } else {
        let mut n = n;
        n.mul_pow5(u64::from(exp.unsigned_abs()));
        let d = n.to_decimal();
        let len = d.len() as i64;
        (d, len + i64::from(exp))
    };
    while digits.last() == Some(&0) {
        digits.pop();
    }
    (digits, point)
}

/// The first `keep` digits, rounded half-even on the exact rest; and whether the rounding
/// carried into a new leading digit (the point moves right by one).
fn round_digits(digits: &[u8], keep: i64) -> (Vec<u8>, bool) {
    if keep < 0 {
        return (Vec::new(), false);
    }
    let keep = keep as usize;
    if keep >= digits.len() {
        return (digits.to_vec(), false);
    }
    let d = digits[keep];
    let rest = keep + 1 < digits.len();
    let prev_odd = keep > 0 && digits[keep - 1] % 2 == 1;
    let up = d > 5 || (d == 5 && (rest || prev_odd));
    let mut out = digits[..keep].to_vec();
    if !up {
        return (out, false);
    }
    for k in (0..out.len()).rev() {
        if out[k] == 9 {
            out[k] = 0;
        } else {
            out[k] += 1;
            return (out, false);
        }
    }
    out.insert(0, 1);
    (out, true)
}

fn digit_at(digits: &[u8], idx: i64) -> u8 {
    if idx < 0 {
        b'0'
    } else {
        b'0' + digits.get(idx as usize).copied().unwrap_or(0)
    }
}

/// `%f` of the digits (empty digits: zero).
fn fixed_body(digits: &[u8], point: i64, prec: usize, alt: bool) -> Vec<u8> {
    let (ds, carry) = round_digits(digits, point + prec as i64);
    let pt = if ds.is_empty() { 0 } else { point + i64::from(carry) };
    let mut out = Vec::new();
    if pt <= 0 {
        out.push(b'0');
    } else {
        out.extend((0..pt).map(|k| digit_at(&ds, k)));
    }
    if prec > 0 || alt {
        out.push(b'.');
    }
    out.extend((0..prec as i64).map(|k| digit_at(&ds, pt + k)));
    out
}

/// `%e` of the digits (empty digits: zero).
fn sci_body(digits: &[u8], point: i64, prec: usize, alt: bool, upper: bool) -> Vec<u8> {
    let (ds, exp10) = if digits.is_empty() {
        (Vec::new(), 0)
    } else {
        let (ds, carry) = round_digits(digits, prec as i64 + 1);
        let pt = point + i64::from(carry);
        (ds, pt - 1)
    };
    let mut out = vec![digit_at(&ds, 0)];
    if prec > 0 || alt {
        out.push(b'.');
    }
    out.extend((1..=prec as i64).map(|k| digit_at(&ds, k)));
    out.push(if upper { b'E' } else { b'e' });
    out.push(if exp10 < 0 { b'-' } else { b'+' });
    out.extend_from_slice(format!("{:02}", exp10.unsigned_abs()).as_bytes());
    out
}

/// `%g` of the digits (empty digits: zero).
fn general_body(digits: &[u8], point: i64, prec: usize, alt: bool, upper: bool) -> Vec<u8> {
    let p = if prec == 0 { 1 } else { prec } as i64;
    let x = if digits.is_empty() {
        0
    } else {
        let (_, carry) = round_digits(digits, p);
        point + i64::from(carry) - 1
    };
    let mut out = if p > x && x >= -4 {
        fixed_body(digits, point, (p - 1 - x) as usize, alt)
    } else {
        sci_body(digits, point, (p - 1) as usize, alt, upper)
    };
    if !alt {
        let e = out
            .iter()
            .position(|&c| c == b'e' || c == b'E')
            .unwrap_or(out.len());
        if out[..e].contains(&b'.') {
            let mut k = e;
            while out[k - 1] == b'0' {
                k -= 1;
            }
            if out[k - 1] == b'.' {
                k -= 1;
            }
            out.drain(k..e);
        }
    }
    out
}

/// `%a` (glibc's long double form: the leading hex digit holds the top four bits).
fn hex_body(mant: u64, exp: i32, prec: Option<usize>, alt: bool) -> Vec<u8> {
    let (mut lead, frac, mut pexp) = if mant == 0 {
        (0u64, 0u64, 0i64)
    } else {
        (mant >> 60, mant & ((1 << 60) - 1), i64::from(exp) + 60)
    };
    let hex = |v: u64, n: usize| -> Vec<u8> {
        (0..n)
            .rev()
            .map(|k| b"0123456789abcdef"[((v >> (4 * k)) & 15) as usize])
            .collect()
    };
    let digits = match prec {
        Some(p) if p < 15 => {
            let shift = (15 - p) * 4;
            let mut kept = frac >> shift;
            let rem = frac & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            let odd = if p == 0 { lead & 1 == 1 } else { kept & 1 == 1 };
            if rem > half || (rem == half && odd) {
                kept += 1;
                if p == 0 || kept >> (4 * p) != 0 {
                    kept = 0;
                    lead += 1;
                    if lead == 16 {
                        lead = 1;
                        pexp += 4;
                    }
                }
            }
            hex(kept, p)
        }
        Some(p) => {
            let mut d = hex(frac, 15);
            d.resize(p, b'0');
            d
        }
        None => {
            let mut d = hex(frac, 15);
            while d.last() == Some(&b'0') {
                d.pop();
            }
            d
        }
    };
    let mut out = b"0x".to_vec();
    out.push(b"0123456789abcdef"[lead as usize]);
    if !digits.is_empty() || alt {
        out.push(b'.');
    }
    out.extend_from_slice(&digits);
    out.push(b'p');
    out.push(if pexp < 0 { b'-' } else { b'+' });
    out.extend_from_slice(pexp.unsigned_abs().to_string().as_bytes());
    out
}

fn format_float(v: LongDouble, conv: u8, spec: &Spec) -> Vec<u8> {
    let fl = spec.flags;
    let upper = conv.is_ascii_uppercase();
    let sign = |neg: bool| -> &'static [u8] {
        if neg {
            b"-"
        } else if fl.plus {
            b"+"
        } else if fl.space {
            b" "
        } else {
            b""
        }
    };
    let (neg, mant, exp) = match v {
        LongDouble::Inf { neg } | LongDouble::Nan { neg } => {
            let word: &[u8] = match (matches!(v, LongDouble::Inf { .. }), upper) {
                (true, false) => b"inf",
                (true, true) => b"INF",
                (false, false) => b"nan",
                (false, true) => b"NAN",
            };
            return pad(sign(neg), word, spec.width, fl.minus, false);
        }
        LongDouble::Finite { neg, mant, exp } => (neg, mant, exp),
    };
    let zero = fl.zero && !fl.minus;
    let lower = conv.to_ascii_lowercase();
    if lower == b'a' {
        let body = hex_body(mant, exp, spec.prec, fl.alt);
        let mut prefix = sign(neg).to_vec();
        prefix.extend_from_slice(&body[..2]);
        let mut out = pad(&prefix, &body[2..], spec.width, fl.minus, zero);
        if upper {
            out.make_ascii_uppercase();
        }
        return out;
    }
    let (digits, point) = if mant == 0 {
        (Vec::new(), 0)
    } else {
        exact_digits(mant, exp)
    };
    let prec = spec.prec.unwrap_or(6);
    let body = match lower {
        b'f' => fixed_body(&digits, point, prec, fl.alt),
        b'e' => sci_body(&digits, point, prec, fl.alt, upper),
        _ => general_body(&digits, point, prec, fl.alt, upper),
    };
    pad(sign(neg), &body, spec.width, fl.minus, zero)
}

// ---------------------------------------------------------------------------------------------
// Backslash escapes
// ---------------------------------------------------------------------------------------------

fn hex_value(c: u8) -> u32 {
    (c as char).to_digit(16).unwrap_or(0)
}

fn is_octal(c: u8) -> bool {
    (b'0'..=b'7').contains(&c)
}

/// bash's `u32toutf8`: UTF-8 without validity checks (surrogates and values up to
/// 0x7fffffff are encoded, in up to six bytes; larger values give nothing).
fn push_utf8(v: u32, out: &mut Vec<u8>) {
    if v < 0x80 {
        out.push(v as u8);
    } else if v < 0x800 {
        out.extend_from_slice(&[0xc0 | (v >> 6) as u8, 0x80 | (v & 0x3f) as u8]);
    } else if v < 0x1_0000 {
        out.extend_from_slice(&[
            0xe0 | (v >> 12) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    } else if v < 0x20_0000 {
        out.extend_from_slice(&[
            0xf0 | (v >> 18) as u8,
            0x80 | ((v >> 12) & 0x3f) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    } else if v < 0x400_0000 {
        out.extend_from_slice(&[
            0xf8 | (v >> 24) as u8,
            0x80 | ((v >> 18) & 0x3f) as u8,
            0x80 | ((v >> 12) & 0x3f) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    } else if v < 0x8000_0000 {
        out.extend_from_slice(&[
            0xfc | (v >> 30) as u8,
            0x80 | ((v >> 24) & 0x3f) as u8,
            0x80 | ((v >> 18) & 0x3f) as u8,
            0x80 | ((v >> 12) & 0x3f) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    }
}

/// Up to `max` hex digits at the start of `s`: the value and how many were read.
fn read_hex(s: &[u8], max: usize) -> (u32, usize) {
    let mut v: u32 = 0;
    let mut n = 0;
    while n < max && s.get(n).is_some_and(u8::is_ascii_hexdigit) {
        v = v.wrapping_mul(16).wrapping_add(hex_value(s[n]));
        n += 1;
    }
    (v, n)
}

/// bash's `tescape`: one escape, `s` starting after the backslash, in the format
/// (`bexpand == false`) or in a `%b` argument. Pushes the result; returns the bytes consumed
/// after the backslash and whether it was `\c` (only in `%b`).
fn tescape(s: &[u8], bexpand: bool, out: &mut Vec<u8>, errors: &mut Vec<String>) -> (usize, bool) {
    let Some(&c) = s.first() else {
        out.push(b'\\');
        return (0, false);
    };
    let simple = match c {
        b'a' => Some(7),
        b'b' => Some(8),
        b'e' | b'E' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return (1, false);
    }
    match c {
        b'0'..=b'7' => {
            let mut v = u32::from(c - b'0');
            let mut budget = if v == 0 && bexpand { 3 } else { 2 };
            let mut p = 1;
            while budget > 0 && s.get(p).is_some_and(|&d| is_octal(d)) {
                v = v * 8 + u32::from(s[p] - b'0');
                budget -= 1;
                p += 1;
            }
            out.push((v & 0xff) as u8);
            (p, false)
        }
        b'x' => {
            let (v, n) = read_hex(&s[1..], 2);
            if n == 0 {
                errors.push("printf: missing hex digit for \\x".to_string());
                out.push(b'\\');
                return (0, false);
            }
            out.push((v & 0xff) as u8);
            (1 + n, false)
        }
        b'u' | b'U' => {
            let (v, n) = read_hex(&s[1..], if c == b'u' { 4 } else { 8 });
            if n == 0 {
                errors.push(format!("printf: missing unicode digit for \\{}", c as char));
                out.push(b'\\');
                return (0, false);
            }
            push_utf8(v, out);
            (1 + n, false)
        }
        b'\'' | b'"' | b'?' if !bexpand => {
            out.push(c);
            (1, false)
        }
        b'c' if bexpand => (1, true),
        _ => {
            out.push(b'\\');
            (0, false)
        }
    }
}

/// bash's `bexpand` for `%b`: pushes the expansion; returns whether `\c` ended it.
fn bexpand(s: &[u8], out: &mut Vec<u8>, errors: &mut Vec<String>) -> bool {
    let mut i = 0;
    while i < s.len() {
        if i + 1 == s.len() {
            out.push(s[i]);
            break;
        }
        if s[i] != b'\\' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        i += 1;
        let (n, sawc) = tescape(&s[i..], true, out, errors);
        if sawc {
            return true;
        }
        i += n;
    }
    false
}

/// Which caller of bash's `ansicstr`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AnsiMode {
    /// `echo -e`: `\c` stops; octal needs a leading `0`; `\'`, `\"`, `\?` are kept.
    Echo,
    /// `$'...'`: `\cX` is a control character; `\x{...}`.
    Dollar,
}

/// bash's `ansicstr`; returns the bytes and whether `\c` stopped them (echo only).
fn ansicstr(s: &[u8], mode: AnsiMode) -> (Vec<u8>, bool) {
    let echo = mode == AnsiMode::Echo;
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let c = s[i];
        i += 1;
        match c {
            b'a' => out.push(7),
            b'v' => out.push(0x0b),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'1'..=b'7' if echo => out.extend_from_slice(&[b'\\', c]),
            b'0'..=b'7' => {
                let mut budget = if echo && c == b'0' { 3 } else { 2 };
                let mut v = u32::from(c - b'0');
                while budget > 0 && s.get(i).is_some_and(|&d| is_octal(d)) {
                    v = v * 8 + u32::from(s[i] - b'0');
                    budget -= 1;
                    i += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let brace = !echo && s.get(i) == Some(&b'{');
                if brace {
                    i += 1;
                }
                let (mut v, n) = read_hex(&s[i..], 2);
                i += n;
                if brace {
                    let m = s[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
                    for &d in &s[i..i + m] {
                        v = v.wrapping_mul(16).wrapping_add(hex_value(d));
                    }
                    i += m;
                    if s.get(i) == Some(&b'}') {
                        i += 1;
                    }
                    out.push((v & 0xff) as u8);
                } else if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push((v & 0xff) as u8);
                }
            }
            b'u' | b'U' => {
                let (v, n) = read_hex(&s[i..], if c == b'u' { 4 } else { 8 });
                i += n;
                if n == 0 {
                    out.extend_from_slice(&[b'\\', c]);
                } else {
                    push_utf8(v, &mut out);
                }
            }
            b'\\' => out.push(b'\\'),
            b'\'' | b'"' | b'?' => {
                if echo {
                    out.push(b'\\');
                }
                out.push(c);
            }
            b'c' if echo => return (out, true),
            b'c' if i < s.len() => {
                let mut x = s[i];
                i += 1;
                if x == b'\\' && s.get(i) == Some(&b'\\') {
                    i += 1;
                }
                if x == b'?' {
                    x = 0x7f;
                } else {
                    x = x.to_ascii_uppercase() & 0x1f;
                }
                out.push(x);
            }
            _ => out.extend_from_slice(&[b'\\', c]),
        }
    }
    (out, false)
}

// ---------------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------------

/// The Unicode scalar value at the start of `s` and its length, for valid UTF-8 (no
/// surrogates, overlong forms or values above U+10FFFF).
fn decode_utf8(s: &[u8]) -> Option<(u32, usize)> {
    let first = *s.first()?;
    let len = match first {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let chunk = s.get(..len)?;
    let c = std::str::from_utf8(chunk).ok()?.chars().next()?;
    Some((u32::from(c), len))
}

/// An approximation of glibc's `iswprint` in C.UTF-8: everything but controls, the line and
/// paragraph separators, noncharacters and the unassigned planes 4 to 13 and most of 14
/// (unassigned code points elsewhere count as printable here, unlike glibc).
fn is_wprint(c: u32) -> bool {
    !(c < 0x20
        || (0x7f..=0x9f).contains(&c)
        || c == 0x2028
        || c == 0x2029
        || (0xfdd0..=0xfdef).contains(&c)
        || c & 0xfffe == 0xfffe
        || (0x4_0000..=0xd_ffff).contains(&c)
        || ((0xe_0000..=0xe_ffff).contains(&c)
            && !(c == 0xe_0001 || (0xe_0020..=0xe_007f).contains(&c) || (0xe_0100..=0xe_01ef).contains(&c)))
        || c > 0x10_ffff)
}

/// bash's `ansic_shouldquote`: whether `$'...'` quoting is needed.
fn ansic_should_quote(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        match decode_utf8(&s[i..]) {
            Some((c, n)) if is_wprint(c) => i += n,
            _ => return true,
        }
    }
    false
}

/// bash's `ansic_quote`: `$'...'` with C escapes and octal for unprintable bytes.
fn ansic_quote(s: &[u8]) -> Vec<u8> {
    let mut out = b"$'".to_vec();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let esc = match c {
            0x1b => Some(b'E'),
            7 => Some(b'a'),
            0x0b => Some(b'v'),
            8 => Some(b'b'),
            0x0c => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            b'\\' | b'\'' => Some(c),
            _ => None,
        };
        if let Some(e) = esc {
            out.extend_from_slice(&[b'\\', e]);
            i += 1;
            continue;
        }
        match decode_utf8(&s[i..]) {
            Some((cp, n)) if is_wprint(cp) => {
                out.extend_from_slice(&s[i..i + n]);
                i += n;
            }
            _ => {
                out.extend_from_slice(&[
                    b'\\',
                    b'0' + (c >> 6),
                    b'0' + ((c >> 3) & 7),
                    b'0' + (c & 7),
                ]);
                i += 1;
            }
        }
    }
    out.push(b'\'');
    out
}

/// bash's `sh_backslash_quote` as `printf %q` calls it.
fn backslash_quote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2);
    for (i, &c) in s.iter().enumerate() {
        let special = b" \t\n!\"$&'()*,;<>?[\\]^`{|}".contains(&c)
            || (c == b'#' && i == 0)
            || (c == b'~' && (i == 0 || s[i - 1] == b':' || s[i - 1] == b'='));
        if special {
            out.push(b'\\');
        }
        out.push(c);
    }
    out
}

/// bash's `sh_single_quote`.
fn single_quote(s: &[u8]) -> Vec<u8> {
    if s == b"'" {
        return b"\\'".to_vec();
    }
    let mut out = vec![b'\''];
    for &c in s {
        if c == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(c);
        }
    }
    out.push(b'\'');
    out
}

// ---------------------------------------------------------------------------------------------
// strftime
// ---------------------------------------------------------------------------------------------

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Broken-down time.
struct Tm {
    year: i64,
    mon: usize,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days since 1970-01-01 to (year, month 1..=12, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `localtime` for a fixed offset; `None` when the year does not fit `struct tm`.
fn broken_down(secs: i64) -> Option<Tm> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, m, d) = civil_from_days(days);
    if i32::try_from(year - 1900).is_err() {
        return None;
    }
    const CUM: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let mon = (m - 1) as usize;
    let yday = CUM[mon] + d - 1 + i64::from(mon >= 2 && is_leap(year));
    Some(Tm {
        year,
        mon,
        mday: d,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        wday: (days + 4).rem_euclid(7),
        yday,
    })
}

/// glibc's `iso_week_days`.
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    let big_enough_multiple_of_7 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big_enough_multiple_of_7) % 7 + 4 - 1
}

/// The ISO 8601 year and week (1..=53).
fn iso_week(tm: &Tm) -> (i64, i64) {
    let mut year = tm.year;
    let mut days = iso_week_days(tm.yday, tm.wday);
    if days < 0 {
        year -= 1;
        days = iso_week_days(tm.yday + 365 + i64::from(is_leap(year)), tm.wday);
    } else {
        let d = iso_week_days(tm.yday - 365 - i64::from(is_leap(year)), tm.wday);
        if d >= 0 {
            year += 1;
            days = d;
        }
    }
    (year, days / 7 + 1)
}

/// `strftime(3)` in the C locale, for `secs` seconds since the epoch in a zone `utc_offset`
/// seconds east of UTC named `zone`. A year beyond `struct tm` formats the epoch instead, as
/// bash does when `localtime` fails.
pub fn strftime(fmt: &[u8], secs: i64, utc_offset: i32, zone: &str) -> Vec<u8> {
    let (tm, secs) = match broken_down(secs.saturating_add(i64::from(utc_offset))) {
        Some(tm) => (tm, secs),
        None => match broken_down(i64::from(utc_offset)) {
            Some(tm) => (tm, 0),
            None => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    strftime_into(fmt, &tm, secs, utc_offset, zone, &mut out);
    out
}

fn strftime_into(fmt: &[u8], tm: &Tm, secs: i64, off: i32, zone: &str, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut pad: Option<u8> = None;
        let mut upcase = false;
        let mut swapcase = false;
        while let Some(&f) = fmt.get(i) {
            match f {
                b'_' | b'-' | b'0' => pad = Some(f),
                b'^' => upcase = true,
                b'#' => swapcase = true,
                _ => break,
            }
            i += 1;
        }
        let width = if fmt.get(i).is_some_and(u8::is_ascii_digit) {
            Some(read_digits(fmt, &mut i).min(MAX_FIELD as u64) as usize)
        } else {
            None
        };
        while matches!(fmt.get(i), Some(b'E' | b'O')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            let text = &fmt[start..];
            push_padded(out, text, width.unwrap_or(0), b' ');
            break;
        };
        i += 1;
        // A number with its natural width and default padding.
        let num = |out: &mut Vec<u8>, v: i64, digits: usize, default_pad: u8| {
            let padc = match pad {
                Some(b'_') => b' ',
                Some(b'0') => b'0',
                Some(_) => b' ',
                None => default_pad,
            };
            let w = match (pad, width) {
                (Some(b'-'), None) => 0,
                (_, Some(w)) => w,
                (_, None) => digits,
            };
            let mag = v.unsigned_abs().to_string();
            let mut s = Vec::new();
            if v < 0 {
                s.push(b'-');
            }
            if padc == b'0' {
                let fill = w.saturating_sub(mag.len() + s.len());
                s.resize(s.len() + fill, b'0');
                s.extend_from_slice(mag.as_bytes());
                out.extend_from_slice(&s);
            } else {
                s.extend_from_slice(mag.as_bytes());
                push_padded(out, &s, w, b' ');
            }
        };
        let text = |out: &mut Vec<u8>, t: &str, lower_on_swap: bool| {
            let mut b = t.as_bytes().to_vec();
            if upcase || (swapcase && !lower_on_swap) {
                b.make_ascii_uppercase();
            } else if swapcase {
                b.make_ascii_lowercase();
            }
            let padc = if pad == Some(b'0') { b'0' } else { b' ' };
            push_padded(out, &b, width.unwrap_or(0), padc);
        };
        let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
        let recurse = |out: &mut Vec<u8>, f: &str| {
            let mut sub = Vec::new();
            strftime_into(f.as_bytes(), tm, secs, off, zone, &mut sub);
            if upcase {
                sub.make_ascii_uppercase();
            }
            let padc = if pad == Some(b'0') { b'0' } else { b' ' };
            push_padded(out, &sub, width.unwrap_or(0), padc);
        };
        match conv {
            b'a' => text(out, &WEEKDAYS[tm.wday as usize][..3], false),
            b'A' => text(out, WEEKDAYS[tm.wday as usize], false),
            b'b' | b'h' => text(out, &MONTHS[tm.mon][..3], false),
            b'B' => text(out, MONTHS[tm.mon], false),
            b'c' => recurse(out, "%a %b %e %H:%M:%S %Y"),
            b'C' => num(out, tm.year.div_euclid(100), 2, b'0'),
            b'd' => num(out, tm.mday, 2, b'0'),
            b'D' | b'x' => recurse(out, "%m/%d/%y"),
            b'e' => num(out, tm.mday, 2, b' '),
            b'F' => recurse(out, "%Y-%m-%d"),
            b'g' => num(out, iso_week(tm).0.rem_euclid(100), 2, b'0'),
            b'G' => num(out, iso_week(tm).0, 1, b'0'),
            b'H' => num(out, tm.hour, 2, b'0'),
            b'I' => num(out, hour12, 2, b'0'),
            b'j' => num(out, tm.yday + 1, 3, b'0'),
            b'k' => num(out, tm.hour, 2, b' '),
            b'l' => num(out, hour12, 2, b' '),
            b'm' => num(out, tm.mon as i64 + 1, 2, b'0'),
            b'M' => num(out, tm.min, 2, b'0'),
            b'n' => out.push(b'\n'),
            b'p' => text(out, if tm.hour < 12 { "AM" } else { "PM" }, true),
            b'P' => text(out, if tm.hour < 12 { "am" } else { "pm" }, true),
            b'r' => recurse(out, "%I:%M:%S %p"),
            b'R' => recurse(out, "%H:%M"),
            b's' => num(out, secs, 1, b'0'),
            b'S' => num(out, tm.sec, 2, b'0'),
            b't' => out.push(b'\t'),
            b'T' | b'X' => recurse(out, "%H:%M:%S"),
            b'u' => num(out, (tm.wday + 6) % 7 + 1, 1, b'0'),
            b'U' => num(out, (tm.yday + 7 - tm.wday) / 7, 2, b'0'),
            b'V' => num(out, iso_week(tm).1, 2, b'0'),
            b'w' => num(out, tm.wday, 1, b'0'),
            b'W' => num(out, (tm.yday + 7 - (tm.wday + 6) % 7) / 7, 2, b'0'),
            b'y' => num(out, tm.year.rem_euclid(100), 2, b'0'),
            b'Y' => num(out, tm.year, 1, b'0'),
            b'z' => {
                let a = off.unsigned_abs() / 60;
                let s = format!(
                    "{}{:02}{:02}",
                    if off < 0 { '-' } else { '+' },
                    a / 60,
                    a % 60
                );
                text(out, &s, false);
            }
            b'Z' => text(out, zone, true),
            b'%' => out.push(b'%'),
            _ => push_padded(out, &fmt[start..i], width.unwrap_or(0), b' '),
        }
    }
}

fn push_padded(out: &mut Vec<u8>, s: &[u8], width: usize, padc: u8) {
    let fill = width.saturating_sub(s.len());
    out.resize(out.len() + fill, padc);
    out.extend_from_slice(s);
}

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

mod coreutils;
pub use coreutils::format_coreutils;

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
    /// For coreutils' `printf` ([`format_coreutils`]), the length of the output when each
    /// error was reported (its messages come after the output so far); empty for the builtin.
    pub error_at: Vec<usize>,
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
    format_with(fmt, args, &TimeContext::system(), true)
}

/// [`format`] with an explicit clock and time zone for `%(fmt)T`, and the locale's character
/// set: outside UTF-8, `\u`/`\U` escapes of non-ASCII characters stay escapes (see
/// [`push_unicode`]).
pub fn format_with(fmt: &[u8], args: &[Vec<u8>], time: &TimeContext, utf8: bool) -> Formatted {
    let mut p = Printer {
        args,
        next: 0,
        out: Vec::new(),
        errors: Vec::new(),
        conversion_error: false,
        assignments: Vec::new(),
        time,
        utf8,
    };
    let fmt = cstr(fmt);
    let status = if fmt.is_empty() { 0 } else { p.run(fmt) };
    Formatted {
        output: p.out,
        errors: p.errors,
        error_at: Vec::new(),
        status,
        assignments: p.assignments,
    }
}

/// Backslash escapes as `echo -e` processes them (returns the bytes and whether `\c` stopped
/// output).
///
/// Recognised: `\a \b \e \E \f \n \r \t \v \\`, `\0NNN` (up to three octal digits after the
/// `0`), `\xHH`, `\uHHHH`, `\UHHHHHHHH` and `\c`; anything else (including `\NNN` without the
/// leading `0`) is kept with its backslash. `utf8` is the locale's character set, as in
/// [`format_with`].
pub fn echo_escapes(s: &[u8], utf8: bool) -> (Vec<u8>, bool) {
    ansicstr(cstr(s), AnsiMode::Echo, utf8)
}

/// `$'...'` ANSI-C quoting: the string between the quotes to bytes.
///
/// Recognised: `\a \b \e \E \f \n \r \t \v \\ \' \" \?`, `\NNN` (one to three octal digits),
/// `\xHH` and `\x{H...}`, `\uHHHH`, `\UHHHHHHHH` and `\cX` (control characters). As in bash the
/// result ends at the first NUL byte (`$'a\0b'` is `a`). `utf8` as in [`format_with`].
pub fn ansi_c_unquote(s: &[u8], utf8: bool) -> Vec<u8> {
    let (mut out, _) = ansicstr(cstr(s), AnsiMode::Dollar, utf8);
    if let Some(nul) = out.iter().position(|&b| b == 0) {
        out.truncate(nul);
    }
    out
}

/// `printf %q` quoting: `''` for the empty string, `$'...'` when the string holds control
/// characters, invalid UTF-8 or unprintable characters, and backslashes before the shell's
/// special characters otherwise.
///
/// `utf8` is the locale's character set: in the C locale every byte above 0x7f is
/// unprintable, as bash sees it there.
pub fn quote_q(s: &[u8], utf8: bool) -> Vec<u8> {
    let s = cstr(s);
    if s.is_empty() {
        b"''".to_vec()
    } else if ansic_should_quote(s, utf8) {
        ansic_quote(s, utf8)
    } else {
        backslash_quote(s)
    }
}

/// `${x@Q}` quoting: `''` for the empty string, `$'...'` when the string holds control
/// characters, invalid UTF-8 or unprintable characters, and single quotes otherwise.
/// `utf8` as in [`quote_q`].
pub fn quote_at_q(s: &[u8], utf8: bool) -> Vec<u8> {
    let s = cstr(s);
    if s.is_empty() {
        b"''".to_vec()
    } else if ansic_should_quote(s, utf8) {
        ansic_quote(s, utf8)
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
    /// The locale's character set is UTF-8 (see [`push_unicode`]).
    utf8: bool,
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
                    let (n, _) = tescape(
                        &fmt[i + 1..],
                        false,
                        self.utf8,
                        &mut self.out,
                        &mut self.errors,
                    );
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
                let sawc = bexpand(&arg, self.utf8, &mut xp, &mut self.errors);
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
                let quoted = quote_q(&arg, self.utf8);
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
            b'c' | b's' | b'd' | b'i' | b'o' | b'u' | b'x' | b'X' | b'e' | b'E' | b'f' | b'F'
            | b'g' | b'G' | b'a' | b'A' => {
                self.glibc_conversion(fmt, conv, flags, width, prec);
            }
            _ => {
                self.error(format!("`{}': invalid format character", lossy(&[conv])));
                return Step::Stop(1);
            }
        }
        Step::Go
    }

    /// A conversion bash hands to `printf(3)`.
    fn glibc_conversion(&mut self, fmt: &[u8], conv: u8, flags: Flags, width: Width, prec: Prec) {
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
    fn glibc_quirk(&mut self, conv: u8, flags: Flags, width: usize, digits: &[u8]) {
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
            self.error(format!("warning: `{c}': invalid time format specification"));
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
        match mag
            .checked_mul(base)
            .and_then(|m| m.checked_add(u64::from(d)))
        {
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
        return (
            LongDouble::Finite {
                neg,
                mant: 0,
                exp: 0,
            },
            false,
        );
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
        return (
            LongDouble::Finite {
                neg,
                mant: 0,
                exp: 0,
            },
            true,
        );
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
        let n = if starts_with_ci(rest, b"infinity") {
            8
        } else {
            3
        };
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
    while let Some(&c) = s.get(j) {
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
        return (
            LongDouble::Finite {
                neg,
                mant: 0,
                exp: 0,
            },
            j,
            false,
        );
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
        return (
            LongDouble::Finite {
                neg,
                mant: 0,
                exp: 0,
            },
            true,
        );
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
    let pt = if ds.is_empty() {
        0
    } else {
        point + i64::from(carry)
    };
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
    let x0 = point - 1;
    let mut out = if p > x && x >= -4 {
        fixed_body(digits, point, (p - 1 - x) as usize, alt)
    } else if !digits.is_empty() && x0 < p && x0 >= -4 {
        // glibc chose the `%f` style before rounding carried the value to 10^P; it then
        // switches to the `%e` style keeping the zero fraction digits it had: `%#g` of
        // 999999.5 is `1.e+06`.
        sci_body(digits, point, 0, alt, upper)
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

/// bash's `u32cconv` for the C locale and UTF-8 ones: a character by its code point, in UTF-8
/// when `utf8`; otherwise ASCII is itself and anything else is written back as an escape,
/// `\u` and four upper-case hex digits up to U+FFFF, `\U` and eight beyond (values past
/// 0x7fffffff give nothing either way).
fn push_unicode(v: u32, utf8: bool, out: &mut Vec<u8>) {
    if utf8 || !(0x80..=0x7fff_ffff).contains(&v) {
        push_utf8(v, out);
    } else if v <= 0xffff {
        out.extend_from_slice(format!("\\u{v:04X}").as_bytes());
    } else {
        out.extend_from_slice(format!("\\U{v:08X}").as_bytes());
    }
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
fn tescape(
    s: &[u8],
    bexpand: bool,
    utf8: bool,
    out: &mut Vec<u8>,
    errors: &mut Vec<String>,
) -> (usize, bool) {
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
            push_unicode(v, utf8, out);
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
fn bexpand(s: &[u8], utf8: bool, out: &mut Vec<u8>, errors: &mut Vec<String>) -> bool {
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
        let (n, sawc) = tescape(&s[i..], true, utf8, out, errors);
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
fn ansicstr(s: &[u8], mode: AnsiMode, utf8: bool) -> (Vec<u8>, bool) {
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
                    push_unicode(v, utf8, &mut out);
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

/// glibc's `iswprint` in C.UTF-8.
fn is_wprint(c: u32) -> bool {
    // The index of the first range end >= c; c is in that range if its start is <= c.
    let ends = UNPRINTABLE.len() / 2;
    let (mut lo, mut hi) = (0, ends);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if UNPRINTABLE[2 * mid + 1] < c {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    !(lo < ends && UNPRINTABLE[2 * lo] <= c)
}

/// The code points glibc 2.36's `iswprint` rejects in C.UTF-8 (Unicode 14: controls, line and
/// paragraph separators, surrogates, unassigned): inclusive ranges, `[first0, last0, first1, ...]`.
#[rustfmt::skip]
const UNPRINTABLE: [u32; 1402] = [
    0x0, 0x1F, 0x7F, 0x9F, 0x378, 0x379, 0x380, 0x383, 0x38B, 0x38B, 0x38D, 0x38D, 0x3A2, 0x3A2,
    0x530, 0x530, 0x557, 0x558, 0x58B, 0x58C, 0x590, 0x590, 0x5C8, 0x5CF, 0x5EB, 0x5EE, 0x5F5,
    0x5FF, 0x70E, 0x70E, 0x74B, 0x74C, 0x7B2, 0x7BF, 0x7FB, 0x7FC, 0x82E, 0x82F, 0x83F, 0x83F,
    0x85C, 0x85D, 0x85F, 0x85F, 0x86B, 0x86F, 0x88F, 0x88F, 0x892, 0x897, 0x984, 0x984, 0x98D,
    0x98E, 0x991, 0x992, 0x9A9, 0x9A9, 0x9B1, 0x9B1, 0x9B3, 0x9B5, 0x9BA, 0x9BB, 0x9C5, 0x9C6,
    0x9C9, 0x9CA, 0x9CF, 0x9D6, 0x9D8, 0x9DB, 0x9DE, 0x9DE, 0x9E4, 0x9E5, 0x9FF, 0xA00, 0xA04,
    0xA04, 0xA0B, 0xA0E, 0xA11, 0xA12, 0xA29, 0xA29, 0xA31, 0xA31, 0xA34, 0xA34, 0xA37, 0xA37,
    0xA3A, 0xA3B, 0xA3D, 0xA3D, 0xA43, 0xA46, 0xA49, 0xA4A, 0xA4E, 0xA50, 0xA52, 0xA58, 0xA5D,
    0xA5D, 0xA5F, 0xA65, 0xA77, 0xA80, 0xA84, 0xA84, 0xA8E, 0xA8E, 0xA92, 0xA92, 0xAA9, 0xAA9,
    0xAB1, 0xAB1, 0xAB4, 0xAB4, 0xABA, 0xABB, 0xAC6, 0xAC6, 0xACA, 0xACA, 0xACE, 0xACF, 0xAD1,
    0xADF, 0xAE4, 0xAE5, 0xAF2, 0xAF8, 0xB00, 0xB00, 0xB04, 0xB04, 0xB0D, 0xB0E, 0xB11, 0xB12,
    0xB29, 0xB29, 0xB31, 0xB31, 0xB34, 0xB34, 0xB3A, 0xB3B, 0xB45, 0xB46, 0xB49, 0xB4A, 0xB4E,
    0xB54, 0xB58, 0xB5B, 0xB5E, 0xB5E, 0xB64, 0xB65, 0xB78, 0xB81, 0xB84, 0xB84, 0xB8B, 0xB8D,
    0xB91, 0xB91, 0xB96, 0xB98, 0xB9B, 0xB9B, 0xB9D, 0xB9D, 0xBA0, 0xBA2, 0xBA5, 0xBA7, 0xBAB,
    0xBAD, 0xBBA, 0xBBD, 0xBC3, 0xBC5, 0xBC9, 0xBC9, 0xBCE, 0xBCF, 0xBD1, 0xBD6, 0xBD8, 0xBE5,
    0xBFB, 0xBFF, 0xC0D, 0xC0D, 0xC11, 0xC11, 0xC29, 0xC29, 0xC3A, 0xC3B, 0xC45, 0xC45, 0xC49,
    0xC49, 0xC4E, 0xC54, 0xC57, 0xC57, 0xC5B, 0xC5C, 0xC5E, 0xC5F, 0xC64, 0xC65, 0xC70, 0xC76,
    0xC8D, 0xC8D, 0xC91, 0xC91, 0xCA9, 0xCA9, 0xCB4, 0xCB4, 0xCBA, 0xCBB, 0xCC5, 0xCC5, 0xCC9,
    0xCC9, 0xCCE, 0xCD4, 0xCD7, 0xCDC, 0xCDF, 0xCDF, 0xCE4, 0xCE5, 0xCF0, 0xCF0, 0xCF3, 0xCFF,
    0xD0D, 0xD0D, 0xD11, 0xD11, 0xD45, 0xD45, 0xD49, 0xD49, 0xD50, 0xD53, 0xD64, 0xD65, 0xD80,
    0xD80, 0xD84, 0xD84, 0xD97, 0xD99, 0xDB2, 0xDB2, 0xDBC, 0xDBC, 0xDBE, 0xDBF, 0xDC7, 0xDC9,
    0xDCB, 0xDCE, 0xDD5, 0xDD5, 0xDD7, 0xDD7, 0xDE0, 0xDE5, 0xDF0, 0xDF1, 0xDF5, 0xE00, 0xE3B,
    0xE3E, 0xE5C, 0xE80, 0xE83, 0xE83, 0xE85, 0xE85, 0xE8B, 0xE8B, 0xEA4, 0xEA4, 0xEA6, 0xEA6,
    0xEBE, 0xEBF, 0xEC5, 0xEC5, 0xEC7, 0xEC7, 0xECE, 0xECF, 0xEDA, 0xEDB, 0xEE0, 0xEFF, 0xF48,
    0xF48, 0xF6D, 0xF70, 0xF98, 0xF98, 0xFBD, 0xFBD, 0xFCD, 0xFCD, 0xFDB, 0xFFF, 0x10C6, 0x10C6,
    0x10C8, 0x10CC, 0x10CE, 0x10CF, 0x1249, 0x1249, 0x124E, 0x124F, 0x1257, 0x1257, 0x1259, 0x1259,
    0x125E, 0x125F, 0x1289, 0x1289, 0x128E, 0x128F, 0x12B1, 0x12B1, 0x12B6, 0x12B7, 0x12BF, 0x12BF,
    0x12C1, 0x12C1, 0x12C6, 0x12C7, 0x12D7, 0x12D7, 0x1311, 0x1311, 0x1316, 0x1317, 0x135B, 0x135C,
    0x137D, 0x137F, 0x139A, 0x139F, 0x13F6, 0x13F7, 0x13FE, 0x13FF, 0x169D, 0x169F, 0x16F9, 0x16FF,
    0x1716, 0x171E, 0x1737, 0x173F, 0x1754, 0x175F, 0x176D, 0x176D, 0x1771, 0x1771, 0x1774, 0x177F,
    0x17DE, 0x17DF, 0x17EA, 0x17EF, 0x17FA, 0x17FF, 0x181A, 0x181F, 0x1879, 0x187F, 0x18AB, 0x18AF,
    0x18F6, 0x18FF, 0x191F, 0x191F, 0x192C, 0x192F, 0x193C, 0x193F, 0x1941, 0x1943, 0x196E, 0x196F,
    0x1975, 0x197F, 0x19AC, 0x19AF, 0x19CA, 0x19CF, 0x19DB, 0x19DD, 0x1A1C, 0x1A1D, 0x1A5F, 0x1A5F,
    0x1A7D, 0x1A7E, 0x1A8A, 0x1A8F, 0x1A9A, 0x1A9F, 0x1AAE, 0x1AAF, 0x1ACF, 0x1AFF, 0x1B4D, 0x1B4F,
    0x1B7F, 0x1B7F, 0x1BF4, 0x1BFB, 0x1C38, 0x1C3A, 0x1C4A, 0x1C4C, 0x1C89, 0x1C8F, 0x1CBB, 0x1CBC,
    0x1CC8, 0x1CCF, 0x1CFB, 0x1CFF, 0x1F16, 0x1F17, 0x1F1E, 0x1F1F, 0x1F46, 0x1F47, 0x1F4E, 0x1F4F,
    0x1F58, 0x1F58, 0x1F5A, 0x1F5A, 0x1F5C, 0x1F5C, 0x1F5E, 0x1F5E, 0x1F7E, 0x1F7F, 0x1FB5, 0x1FB5,
    0x1FC5, 0x1FC5, 0x1FD4, 0x1FD5, 0x1FDC, 0x1FDC, 0x1FF0, 0x1FF1, 0x1FF5, 0x1FF5, 0x1FFF, 0x1FFF,
    0x2028, 0x2029, 0x2065, 0x2065, 0x2072, 0x2073, 0x208F, 0x208F, 0x209D, 0x209F, 0x20C1, 0x20CF,
    0x20F1, 0x20FF, 0x218C, 0x218F, 0x2427, 0x243F, 0x244B, 0x245F, 0x2B74, 0x2B75, 0x2B96, 0x2B96,
    0x2CF4, 0x2CF8, 0x2D26, 0x2D26, 0x2D28, 0x2D2C, 0x2D2E, 0x2D2F, 0x2D68, 0x2D6E, 0x2D71, 0x2D7E,
    0x2D97, 0x2D9F, 0x2DA7, 0x2DA7, 0x2DAF, 0x2DAF, 0x2DB7, 0x2DB7, 0x2DBF, 0x2DBF, 0x2DC7, 0x2DC7,
    0x2DCF, 0x2DCF, 0x2DD7, 0x2DD7, 0x2DDF, 0x2DDF, 0x2E5E, 0x2E7F, 0x2E9A, 0x2E9A, 0x2EF4, 0x2EFF,
    0x2FD6, 0x2FEF, 0x2FFC, 0x2FFF, 0x3040, 0x3040, 0x3097, 0x3098, 0x3100, 0x3104, 0x3130, 0x3130,
    0x318F, 0x318F, 0x31E4, 0x31EF, 0x321F, 0x321F, 0xA48D, 0xA48F, 0xA4C7, 0xA4CF, 0xA62C, 0xA63F,
    0xA6F8, 0xA6FF, 0xA7CB, 0xA7CF, 0xA7D2, 0xA7D2, 0xA7D4, 0xA7D4, 0xA7DA, 0xA7F1, 0xA82D, 0xA82F,
    0xA83A, 0xA83F, 0xA878, 0xA87F, 0xA8C6, 0xA8CD, 0xA8DA, 0xA8DF, 0xA954, 0xA95E, 0xA97D, 0xA97F,
    0xA9CE, 0xA9CE, 0xA9DA, 0xA9DD, 0xA9FF, 0xA9FF, 0xAA37, 0xAA3F, 0xAA4E, 0xAA4F, 0xAA5A, 0xAA5B,
    0xAAC3, 0xAADA, 0xAAF7, 0xAB00, 0xAB07, 0xAB08, 0xAB0F, 0xAB10, 0xAB17, 0xAB1F, 0xAB27, 0xAB27,
    0xAB2F, 0xAB2F, 0xAB6C, 0xAB6F, 0xABEE, 0xABEF, 0xABFA, 0xABFF, 0xD7A4, 0xD7AF, 0xD7C7, 0xD7CA,
    0xD7FC, 0xDFFF, 0xFA6E, 0xFA6F, 0xFADA, 0xFAFF, 0xFB07, 0xFB12, 0xFB18, 0xFB1C, 0xFB37, 0xFB37,
    0xFB3D, 0xFB3D, 0xFB3F, 0xFB3F, 0xFB42, 0xFB42, 0xFB45, 0xFB45, 0xFBC3, 0xFBD2, 0xFD90, 0xFD91,
    0xFDC8, 0xFDCE, 0xFDD0, 0xFDEF, 0xFE1A, 0xFE1F, 0xFE53, 0xFE53, 0xFE67, 0xFE67, 0xFE6C, 0xFE6F,
    0xFE75, 0xFE75, 0xFEFD, 0xFEFE, 0xFF00, 0xFF00, 0xFFBF, 0xFFC1, 0xFFC8, 0xFFC9, 0xFFD0, 0xFFD1,
    0xFFD8, 0xFFD9, 0xFFDD, 0xFFDF, 0xFFE7, 0xFFE7, 0xFFEF, 0xFFF8, 0xFFFE, 0xFFFF, 0x1000C,
    0x1000C, 0x10027, 0x10027, 0x1003B, 0x1003B, 0x1003E, 0x1003E, 0x1004E, 0x1004F, 0x1005E,
    0x1007F, 0x100FB, 0x100FF, 0x10103, 0x10106, 0x10134, 0x10136, 0x1018F, 0x1018F, 0x1019D,
    0x1019F, 0x101A1, 0x101CF, 0x101FE, 0x1027F, 0x1029D, 0x1029F, 0x102D1, 0x102DF, 0x102FC,
    0x102FF, 0x10324, 0x1032C, 0x1034B, 0x1034F, 0x1037B, 0x1037F, 0x1039E, 0x1039E, 0x103C4,
    0x103C7, 0x103D6, 0x103FF, 0x1049E, 0x1049F, 0x104AA, 0x104AF, 0x104D4, 0x104D7, 0x104FC,
    0x104FF, 0x10528, 0x1052F, 0x10564, 0x1056E, 0x1057B, 0x1057B, 0x1058B, 0x1058B, 0x10593,
    0x10593, 0x10596, 0x10596, 0x105A2, 0x105A2, 0x105B2, 0x105B2, 0x105BA, 0x105BA, 0x105BD,
    0x105FF, 0x10737, 0x1073F, 0x10756, 0x1075F, 0x10768, 0x1077F, 0x10786, 0x10786, 0x107B1,
    0x107B1, 0x107BB, 0x107FF, 0x10806, 0x10807, 0x10809, 0x10809, 0x10836, 0x10836, 0x10839,
    0x1083B, 0x1083D, 0x1083E, 0x10856, 0x10856, 0x1089F, 0x108A6, 0x108B0, 0x108DF, 0x108F3,
    0x108F3, 0x108F6, 0x108FA, 0x1091C, 0x1091E, 0x1093A, 0x1093E, 0x10940, 0x1097F, 0x109B8,
    0x109BB, 0x109D0, 0x109D1, 0x10A04, 0x10A04, 0x10A07, 0x10A0B, 0x10A14, 0x10A14, 0x10A18,
    0x10A18, 0x10A36, 0x10A37, 0x10A3B, 0x10A3E, 0x10A49, 0x10A4F, 0x10A59, 0x10A5F, 0x10AA0,
    0x10ABF, 0x10AE7, 0x10AEA, 0x10AF7, 0x10AFF, 0x10B36, 0x10B38, 0x10B56, 0x10B57, 0x10B73,
    0x10B77, 0x10B92, 0x10B98, 0x10B9D, 0x10BA8, 0x10BB0, 0x10BFF, 0x10C49, 0x10C7F, 0x10CB3,
    0x10CBF, 0x10CF3, 0x10CF9, 0x10D28, 0x10D2F, 0x10D3A, 0x10E5F, 0x10E7F, 0x10E7F, 0x10EAA,
    0x10EAA, 0x10EAE, 0x10EAF, 0x10EB2, 0x10EFF, 0x10F28, 0x10F2F, 0x10F5A, 0x10F6F, 0x10F8A,
    0x10FAF, 0x10FCC, 0x10FDF, 0x10FF7, 0x10FFF, 0x1104E, 0x11051, 0x11076, 0x1107E, 0x110C3,
    0x110CC, 0x110CE, 0x110CF, 0x110E9, 0x110EF, 0x110FA, 0x110FF, 0x11135, 0x11135, 0x11148,
    0x1114F, 0x11177, 0x1117F, 0x111E0, 0x111E0, 0x111F5, 0x111FF, 0x11212, 0x11212, 0x1123F,
    0x1127F, 0x11287, 0x11287, 0x11289, 0x11289, 0x1128E, 0x1128E, 0x1129E, 0x1129E, 0x112AA,
    0x112AF, 0x112EB, 0x112EF, 0x112FA, 0x112FF, 0x11304, 0x11304, 0x1130D, 0x1130E, 0x11311,
    0x11312, 0x11329, 0x11329, 0x11331, 0x11331, 0x11334, 0x11334, 0x1133A, 0x1133A, 0x11345,
    0x11346, 0x11349, 0x1134A, 0x1134E, 0x1134F, 0x11351, 0x11356, 0x11358, 0x1135C, 0x11364,
    0x11365, 0x1136D, 0x1136F, 0x11375, 0x113FF, 0x1145C, 0x1145C, 0x11462, 0x1147F, 0x114C8,
    0x114CF, 0x114DA, 0x1157F, 0x115B6, 0x115B7, 0x115DE, 0x115FF, 0x11645, 0x1164F, 0x1165A,
    0x1165F, 0x1166D, 0x1167F, 0x116BA, 0x116BF, 0x116CA, 0x116FF, 0x1171B, 0x1171C, 0x1172C,
    0x1172F, 0x11747, 0x117FF, 0x1183C, 0x1189F, 0x118F3, 0x118FE, 0x11907, 0x11908, 0x1190A,
    0x1190B, 0x11914, 0x11914, 0x11917, 0x11917, 0x11936, 0x11936, 0x11939, 0x1193A, 0x11947,
    0x1194F, 0x1195A, 0x1199F, 0x119A8, 0x119A9, 0x119D8, 0x119D9, 0x119E5, 0x119FF, 0x11A48,
    0x11A4F, 0x11AA3, 0x11AAF, 0x11AF9, 0x11BFF, 0x11C09, 0x11C09, 0x11C37, 0x11C37, 0x11C46,
    0x11C4F, 0x11C6D, 0x11C6F, 0x11C90, 0x11C91, 0x11CA8, 0x11CA8, 0x11CB7, 0x11CFF, 0x11D07,
    0x11D07, 0x11D0A, 0x11D0A, 0x11D37, 0x11D39, 0x11D3B, 0x11D3B, 0x11D3E, 0x11D3E, 0x11D48,
    0x11D4F, 0x11D5A, 0x11D5F, 0x11D66, 0x11D66, 0x11D69, 0x11D69, 0x11D8F, 0x11D8F, 0x11D92,
    0x11D92, 0x11D99, 0x11D9F, 0x11DAA, 0x11EDF, 0x11EF9, 0x11FAF, 0x11FB1, 0x11FBF, 0x11FF2,
    0x11FFE, 0x1239A, 0x123FF, 0x1246F, 0x1246F, 0x12475, 0x1247F, 0x12544, 0x12F8F, 0x12FF3,
    0x12FFF, 0x1342F, 0x1342F, 0x13439, 0x143FF, 0x14647, 0x167FF, 0x16A39, 0x16A3F, 0x16A5F,
    0x16A5F, 0x16A6A, 0x16A6D, 0x16ABF, 0x16ABF, 0x16ACA, 0x16ACF, 0x16AEE, 0x16AEF, 0x16AF6,
    0x16AFF, 0x16B46, 0x16B4F, 0x16B5A, 0x16B5A, 0x16B62, 0x16B62, 0x16B78, 0x16B7C, 0x16B90,
    0x16E3F, 0x16E9B, 0x16EFF, 0x16F4B, 0x16F4E, 0x16F88, 0x16F8E, 0x16FA0, 0x16FDF, 0x16FE5,
    0x16FEF, 0x16FF2, 0x16FFF, 0x187F8, 0x187FF, 0x18CD6, 0x18CFF, 0x18D09, 0x1AFEF, 0x1AFF4,
    0x1AFF4, 0x1AFFC, 0x1AFFC, 0x1AFFF, 0x1AFFF, 0x1B123, 0x1B14F, 0x1B153, 0x1B163, 0x1B168,
    0x1B16F, 0x1B2FC, 0x1BBFF, 0x1BC6B, 0x1BC6F, 0x1BC7D, 0x1BC7F, 0x1BC89, 0x1BC8F, 0x1BC9A,
    0x1BC9B, 0x1BCA4, 0x1CEFF, 0x1CF2E, 0x1CF2F, 0x1CF47, 0x1CF4F, 0x1CFC4, 0x1CFFF, 0x1D0F6,
    0x1D0FF, 0x1D127, 0x1D128, 0x1D1EB, 0x1D1FF, 0x1D246, 0x1D2DF, 0x1D2F4, 0x1D2FF, 0x1D357,
    0x1D35F, 0x1D379, 0x1D3FF, 0x1D455, 0x1D455, 0x1D49D, 0x1D49D, 0x1D4A0, 0x1D4A1, 0x1D4A3,
    0x1D4A4, 0x1D4A7, 0x1D4A8, 0x1D4AD, 0x1D4AD, 0x1D4BA, 0x1D4BA, 0x1D4BC, 0x1D4BC, 0x1D4C4,
    0x1D4C4, 0x1D506, 0x1D506, 0x1D50B, 0x1D50C, 0x1D515, 0x1D515, 0x1D51D, 0x1D51D, 0x1D53A,
    0x1D53A, 0x1D53F, 0x1D53F, 0x1D545, 0x1D545, 0x1D547, 0x1D549, 0x1D551, 0x1D551, 0x1D6A6,
    0x1D6A7, 0x1D7CC, 0x1D7CD, 0x1DA8C, 0x1DA9A, 0x1DAA0, 0x1DAA0, 0x1DAB0, 0x1DEFF, 0x1DF1F,
    0x1DFFF, 0x1E007, 0x1E007, 0x1E019, 0x1E01A, 0x1E022, 0x1E022, 0x1E025, 0x1E025, 0x1E02B,
    0x1E0FF, 0x1E12D, 0x1E12F, 0x1E13E, 0x1E13F, 0x1E14A, 0x1E14D, 0x1E150, 0x1E28F, 0x1E2AF,
    0x1E2BF, 0x1E2FA, 0x1E2FE, 0x1E300, 0x1E7DF, 0x1E7E7, 0x1E7E7, 0x1E7EC, 0x1E7EC, 0x1E7EF,
    0x1E7EF, 0x1E7FF, 0x1E7FF, 0x1E8C5, 0x1E8C6, 0x1E8D7, 0x1E8FF, 0x1E94C, 0x1E94F, 0x1E95A,
    0x1E95D, 0x1E960, 0x1EC70, 0x1ECB5, 0x1ED00, 0x1ED3E, 0x1EDFF, 0x1EE04, 0x1EE04, 0x1EE20,
    0x1EE20, 0x1EE23, 0x1EE23, 0x1EE25, 0x1EE26, 0x1EE28, 0x1EE28, 0x1EE33, 0x1EE33, 0x1EE38,
    0x1EE38, 0x1EE3A, 0x1EE3A, 0x1EE3C, 0x1EE41, 0x1EE43, 0x1EE46, 0x1EE48, 0x1EE48, 0x1EE4A,
    0x1EE4A, 0x1EE4C, 0x1EE4C, 0x1EE50, 0x1EE50, 0x1EE53, 0x1EE53, 0x1EE55, 0x1EE56, 0x1EE58,
    0x1EE58, 0x1EE5A, 0x1EE5A, 0x1EE5C, 0x1EE5C, 0x1EE5E, 0x1EE5E, 0x1EE60, 0x1EE60, 0x1EE63,
    0x1EE63, 0x1EE65, 0x1EE66, 0x1EE6B, 0x1EE6B, 0x1EE73, 0x1EE73, 0x1EE78, 0x1EE78, 0x1EE7D,
    0x1EE7D, 0x1EE7F, 0x1EE7F, 0x1EE8A, 0x1EE8A, 0x1EE9C, 0x1EEA0, 0x1EEA4, 0x1EEA4, 0x1EEAA,
    0x1EEAA, 0x1EEBC, 0x1EEEF, 0x1EEF2, 0x1EFFF, 0x1F02C, 0x1F02F, 0x1F094, 0x1F09F, 0x1F0AF,
    0x1F0B0, 0x1F0C0, 0x1F0C0, 0x1F0D0, 0x1F0D0, 0x1F0F6, 0x1F0FF, 0x1F1AE, 0x1F1E5, 0x1F203,
    0x1F20F, 0x1F23C, 0x1F23F, 0x1F249, 0x1F24F, 0x1F252, 0x1F25F, 0x1F266, 0x1F2FF, 0x1F6D8,
    0x1F6DC, 0x1F6ED, 0x1F6EF, 0x1F6FD, 0x1F6FF, 0x1F774, 0x1F77F, 0x1F7D9, 0x1F7DF, 0x1F7EC,
    0x1F7EF, 0x1F7F1, 0x1F7FF, 0x1F80C, 0x1F80F, 0x1F848, 0x1F84F, 0x1F85A, 0x1F85F, 0x1F888,
    0x1F88F, 0x1F8AE, 0x1F8AF, 0x1F8B2, 0x1F8FF, 0x1FA54, 0x1FA5F, 0x1FA6E, 0x1FA6F, 0x1FA75,
    0x1FA77, 0x1FA7D, 0x1FA7F, 0x1FA87, 0x1FA8F, 0x1FAAD, 0x1FAAF, 0x1FABB, 0x1FABF, 0x1FAC6,
    0x1FACF, 0x1FADA, 0x1FADF, 0x1FAE8, 0x1FAEF, 0x1FAF7, 0x1FAFF, 0x1FB93, 0x1FB93, 0x1FBCB,
    0x1FBEF, 0x1FBFA, 0x1FFFF, 0x2A6E0, 0x2A6FF, 0x2B739, 0x2B73F, 0x2B81E, 0x2B81F, 0x2CEA2,
    0x2CEAF, 0x2EBE1, 0x2F7FF, 0x2FA1E, 0x2FFFF, 0x3134B, 0xE0000, 0xE0002, 0xE001F, 0xE0080,
    0xE00FF, 0xE01F0, 0xEFFFF, 0xFFFFE, 0xFFFFF, 0x10FFFE, 0x10FFFF,
];

/// bash's `ansic_shouldquote`: whether `$'...'` quoting is needed.
pub fn ansic_should_quote(s: &[u8], utf8: bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        match decode_char(&s[i..], utf8) {
            Some((c, n)) if is_wprint(c) && (utf8 || c < 0x7f) => i += n,
            _ => return true,
        }
    }
    false
}

/// One character of `s` for quoting: a UTF-8 sequence, or (C locale) one byte.
fn decode_char(s: &[u8], utf8: bool) -> Option<(u32, usize)> {
    if utf8 {
        decode_utf8(s)
    } else {
        s.first().map(|&b| (u32::from(b), 1))
    }
}

/// bash's `ansic_quote`: `$'...'` with C escapes and octal for unprintable bytes.
pub fn ansic_quote(s: &[u8], utf8: bool) -> Vec<u8> {
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
        match decode_char(&s[i..], utf8) {
            Some((cp, n)) if is_wprint(cp) && (utf8 || cp < 0x7f) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed clock for `%(fmt)T`.
    fn clock() -> TimeContext {
        TimeContext::utc(1_000_000_000, 999_999_000)
    }

    /// `(format, args, output, errors, status)`, all from bash 5.2.15's builtin `printf` in
    /// C.UTF-8 and UTC (`bash -c 'printf -- "$@"' bash FORMAT ARGS...`).
    #[rustfmt::skip]
    #[allow(clippy::type_complexity)]
    const FORMAT_CASES: &[(&[u8], &[&[u8]], &[u8], &[&str], i32)] = &[
        (b"%d|%i|%u\\n", &[b"42", b"-7", b"3"], b"42|-7|3\n", &[], 0),
        (b"%d\\n", &[b"+5"], b"5\n", &[], 0),
        (b"%d %d %d\\n", &[b"0x1f", b"010", b"-0x10"], b"31 8 -16\n", &[], 0),
        (b"%i %i\\n", &[b"0777", b"0X1f"], b"511 31\n", &[], 0),
        (b"%x %X %o\\n", &[b"255", b"255", b"8"], b"ff FF 10\n", &[], 0),
        (b"%u\\n", &[b"-1"], b"18446744073709551615\n", &[], 0),
        (b"%x\\n", &[b"-1"], b"ffffffffffffffff\n", &[], 0),
        (b"%o\\n", &[b"-1"], b"1777777777777777777777\n", &[], 0),
        (b"%d\\n", &[b"'A"], b"65\n", &[], 0),
        (b"%d\\n", &[b"\"\xc3\xa9"], b"233\n", &[], 0),
        (b"%d\\n", &[b"'"], b"0\n", &[], 0),
        (b"%d\\n", &[b"'ab"], b"97\n", &[], 0),
        (b"%d\\n", &[b"'\xff"], b"255\n", &[], 0),
        (b"%d\\n", &[b"12abc"], b"12\n", &["printf: 12abc: invalid number"], 1),
        (b"%d\\n", &[b"abc"], b"0\n", &["printf: abc: invalid number"], 1),
        (b"%d\\n", &[b""], b"0\n", &[], 0),
        (b"%d\\n", &[b" "], b"0\n", &["printf:  : invalid number"], 1),
        (b"%d\\n", &[b"0x"], b"0\n", &["printf: 0x: invalid hex number"], 1),
        (b"%d\\n", &[b"08"], b"0\n", &["printf: 08: invalid octal number"], 1),
        (b"%d\\n", &[b"09"], b"0\n", &["printf: 09: invalid octal number"], 1),
        (b"%d\\n", &[b"1e3"], b"1\n", &["printf: 1e3: invalid number"], 1),
        (b"%d\\n", &[b" -0x1F"], b"-31\n", &[], 0),
        (b"%d\\n", &[b" -0x1F "], b"-31\n", &["printf:  -0x1F : invalid number"], 1),
        (b"%d\\n", &[b"0X1g"], b"1\n", &["printf: 0X1g: invalid number"], 1),
        (b"%d\\n", &[b"-"], b"0\n", &["printf: -: invalid number"], 1),
        (b"%d\\n", &[b"\t5"], b"5\n", &[], 0),
        (b"%d\\n", &[b"9223372036854775807"], b"9223372036854775807\n", &[], 0),
        (b"%d\\n", &[b"9223372036854775808"], b"9223372036854775807\n", &["printf: warning: 9223372036854775808: Numerical result out of range"], 0),
        (b"%d\\n", &[b"-9223372036854775809"], b"-9223372036854775808\n", &["printf: warning: -9223372036854775809: Numerical result out of range"], 0),
        (b"%d\\n", &[b"99999999999999999999"], b"9223372036854775807\n", &["printf: warning: 99999999999999999999: Numerical result out of range"], 0),
        (b"%u\\n", &[b"18446744073709551615"], b"18446744073709551615\n", &[], 0),
        (b"%u\\n", &[b"18446744073709551616"], b"18446744073709551615\n", &["printf: warning: 18446744073709551616: Numerical result out of range"], 0),
        (b"%u\\n", &[b"-18446744073709551616"], b"18446744073709551615\n", &["printf: warning: -18446744073709551616: Numerical result out of range"], 0),
        (b"%x\\n", &[b"99999999999999999999"], b"ffffffffffffffff\n", &["printf: warning: 99999999999999999999: Numerical result out of range"], 0),
        (b"%d %d\\n", &[b"abc", b"5"], b"0 5\n", &["printf: abc: invalid number"], 1),
        (b"%d\\n", &[b"1", b"x", b"3"], b"1\n0\n3\n", &["printf: x: invalid number"], 1),
        (b"[%5d]", &[b"42"], b"[   42]", &[], 0),
        (b"[%-5d]", &[b"42"], b"[42   ]", &[], 0),
        (b"[%05d]", &[b"42"], b"[00042]", &[], 0),
        (b"[%05d]", &[b"-42"], b"[-0042]", &[], 0),
        (b"[%+d]", &[b"5"], b"[+5]", &[], 0),
        (b"[%+d]", &[b"0"], b"[+0]", &[], 0),
        (b"[% d]", &[b"5"], b"[ 5]", &[], 0),
        (b"[%+ d]", &[b"5"], b"[+5]", &[], 0),
        (b"[%.3d]", &[b"7"], b"[007]", &[], 0),
        (b"[%5.3d]", &[b"-7"], b"[ -007]", &[], 0),
        (b"[%05.2d]", &[b"5"], b"[   05]", &[], 0),
        (b"[%-05d]", &[b"5"], b"[5    ]", &[], 0),
        (b"[%.0d]", &[b"0"], b"[]", &[], 0),
        (b"[%5.0d]", &[b"0"], b"[     ]", &[], 0),
        (b"[%+.0d]", &[b"0"], b"[+]", &[], 0),
        (b"[%#x]", &[b"255"], b"[0xff]", &[], 0),
        (b"[%#X]", &[b"255"], b"[0XFF]", &[], 0),
        (b"[%#x]", &[b"0"], b"[0]", &[], 0),
        (b"[%#o]", &[b"8"], b"[010]", &[], 0),
        (b"[%#o]", &[b"0"], b"[0]", &[], 0),
        (b"[%#.0o]", &[b"0"], b"[0]", &[], 0),
        (b"[%#.0x]", &[b"0"], b"[]", &[], 0),
        (b"[%#5.3o]", &[b"8"], b"[  010]", &[], 0),
        (b"[%#08x]", &[b"255"], b"[0x0000ff]", &[], 0),
        (b"[%-#8x]", &[b"255"], b"[0xff    ]", &[], 0),
        (b"[%+u]", &[b"5"], b"[5]", &[], 0),
        (b"[% x]", &[b"5"], b"[5]", &[], 0),
        (b"[%hd]", &[b"70000"], b"[70000]", &[], 0),
        (b"[%hhd]", &[b"300"], b"[300]", &[], 0),
        (b"[%lld]", &[b"5"], b"[5]", &[], 0),
        (b"[%jd %zd %td]", &[b"1", b"2", b"3"], b"[1 2 3]", &[], 0),
        (b"[%'d]", &[b"1234567"], b"[1234567]", &[], 0),
        (b"[%s]", &[b"hello"], b"[hello]", &[], 0),
        (b"[%5s]", &[b"ab"], b"[   ab]", &[], 0),
        (b"[%-5s]", &[b"ab"], b"[ab   ]", &[], 0),
        (b"[%.2s]", &[b"abcdef"], b"[ab]", &[], 0),
        (b"[%5.1s]", &[b"xyz"], b"[    x]", &[], 0),
        (b"[%.s]", &[b"abc"], b"[]", &[], 0),
        (b"[%05s]", &[b"ab"], b"[   ab]", &[], 0),
        (b"[%.10s]", &[b"abc"], b"[abc]", &[], 0),
        (b"[%c]", &[b"abc"], b"[a]", &[], 0),
        (b"[%c]", &[b""], b"[\x00]", &[], 0),
        (b"[%c%c]", &[b"a"], b"[a\x00]", &[], 0),
        (b"[%3c]", &[b"x"], b"[  x]", &[], 0),
        (b"[%-3c]", &[b"\xc3\xa9"], b"[\xc3  ]", &[], 0),
        (b"[%.0c]", &[b"a"], b"[a]", &[], 0),
        (b"[%05c]", &[b"a"], b"[    a]", &[], 0),
        (b"[%s]", &[], b"[]", &[], 0),
        (b"[%d|%s|%f|%c|%b|%q]", &[], b"[0||0.000000|\x00||'']", &[], 0),
        (b"[%ls]", &[b"\xc3\xa9"], b"[\xc3\xa9]", &[], 0),
        (b"[%lc]", &[b"\xc3\xa9"], b"[\xc3]", &[], 0),
        (b"[%*s]", &[b"5", b"ab"], b"[   ab]", &[], 0),
        (b"[%*s]", &[b"-5", b"ab"], b"[ab   ]", &[], 0),
        (b"[%-*s]", &[b"3", b"x"], b"[x  ]", &[], 0),
        (b"[%.*s]", &[b"2", b"abcdef"], b"[ab]", &[], 0),
        (b"[%.*s]", &[b"-1", b"abc"], b"[abc]", &[], 0),
        (b"[%*.*d]", &[b"6", b"3", b"7"], b"[   007]", &[], 0),
        (b"[%*s]", &[b"abc", b"x"], b"[x]", &["printf: abc: invalid number"], 1),
        (b"[%*s]", &[b"'\x01", b"x"], b"[x]", &[], 0),
        (b"[%*d]", &[b"4294967301"], b"[    0]", &[], 0),
        (b"[%.*d]", &[b"4294967301"], b"[00000]", &[], 0),
        (b"[%*.*f]", &[b"", b"", b"1.5"], b"[2]", &[], 0),
        (b"[%.*f]", &[b"-2", b"1.5"], b"[1.500000]", &[], 0),
        (b"[%.*f]", &[b"x", b"1.5"], b"[2]", &["printf: x: invalid number"], 1),
        (b"[%*s|%s]", &[b"3", b"a"], b"[  a|]", &[], 0),
        (b"[%*b]", &[b"-4", b"a\\tb"], b"[a\tb ]", &[], 0),
        (b"[%f]", &[b"3.14159"], b"[3.141590]", &[], 0),
        (b"[%f]", &[b"1"], b"[1.000000]", &[], 0),
        (b"[%.3f]", &[b"2.0005"], b"[2.001]", &[], 0),
        (b"[%.2f]", &[b"1.005"], b"[1.00]", &[], 0),
        (b"[%.2f]", &[b"2.675"], b"[2.67]", &[], 0),
        (b"[%.2f]", &[b"0.125"], b"[0.12]", &[], 0),
        (b"[%.0f]", &[b"0.5"], b"[0]", &[], 0),
        (b"[%.0f]", &[b"1.5"], b"[2]", &[], 0),
        (b"[%.0f]", &[b"2.5"], b"[2]", &[], 0),
        (b"[%.20f]", &[b"0.1"], b"[0.10000000000000000000]", &[], 0),
        (b"[%.30f]", &[b"0.1"], b"[0.100000000000000000001355252716]", &[], 0),
        (b"[%f]", &[b"-0"], b"[-0.000000]", &[], 0),
        (b"[%5.1f]", &[b"-0.04"], b"[ -0.0]", &[], 0),
        (b"[%012.4f]", &[b"-3.14159"], b"[-000003.1416]", &[], 0),
        (b"[%-+10.3f]", &[b"3.14159"], b"[+3.142    ]", &[], 0),
        (b"[%#.0f]", &[b"3"], b"[3.]", &[], 0),
        (b"[%.f]", &[b"2.5"], b"[2]", &[], 0),
        (b"[%e]", &[b"0"], b"[0.000000e+00]", &[], 0),
        (b"[%e]", &[b"12345.678"], b"[1.234568e+04]", &[], 0),
        (b"[%E]", &[b"12345.678"], b"[1.234568E+04]", &[], 0),
        (b"[%.0e]", &[b"5"], b"[5e+00]", &[], 0),
        (b"[%#.0e]", &[b"3"], b"[3.e+00]", &[], 0),
        (b"[%.3e]", &[b"-0.00012345"], b"[-1.234e-04]", &[], 0),
        (b"[%e]", &[b"1e-300"], b"[1.000000e-300]", &[], 0),
        (b"[%e]", &[b"1e300"], b"[1.000000e+300]", &[], 0),
        (b"[%g]", &[b"1e-5"], b"[1e-05]", &[], 0),
        (b"[%g]", &[b"0.0001"], b"[0.0001]", &[], 0),
        (b"[%g]", &[b"123456"], b"[123456]", &[], 0),
        (b"[%g]", &[b"1234567"], b"[1.23457e+06]", &[], 0),
        (b"[%g]", &[b"1e100"], b"[1e+100]", &[], 0),
        (b"[%G]", &[b"1e-10"], b"[1E-10]", &[], 0),
        (b"[%g]", &[b"100"], b"[100]", &[], 0),
        (b"[%g]", &[b"0"], b"[0]", &[], 0),
        (b"[%g]", &[b"-0"], b"[-0]", &[], 0),
        (b"[%#g]", &[b"1"], b"[1.00000]", &[], 0),
        (b"[%#g]", &[b"0.0001"], b"[0.000100000]", &[], 0),
        (b"[%#g]", &[b"999999.5"], b"[1.e+06]", &[], 0),
        (b"[%#.3g]", &[b"999.5"], b"[1.e+03]", &[], 0),
        (b"[%.10g]", &[b"3.14159265358979323846"], b"[3.141592654]", &[], 0),
        (b"[%.0g]", &[b"0.5"], b"[0.5]", &[], 0),
        (b"[%g]", &[b"999999.5"], b"[1e+06]", &[], 0),
        (b"[%.3g]", &[b"0.00099951"], b"[0.001]", &[], 0),
        (b"[%a]", &[b"1"], b"[0x8p-3]", &[], 0),
        (b"[%a]", &[b"0.1"], b"[0xc.ccccccccccccccdp-7]", &[], 0),
        (b"[%a]", &[b"-2"], b"[-0x8p-2]", &[], 0),
        (b"[%a]", &[b"0"], b"[0x0p+0]", &[], 0),
        (b"[%A]", &[b"255.5"], b"[0XF.F8P+4]", &[], 0),
        (b"[%.3a]", &[b"1"], b"[0x8.000p-3]", &[], 0),
        (b"[%#a]", &[b"1"], b"[0x8.p-3]", &[], 0),
        (b"[%010a]", &[b"-1"], b"[-0x0008p-3]", &[], 0),
        (b"[%+a]", &[b"0"], b"[+0x0p+0]", &[], 0),
        (b"[%.0a]", &[b"0x8.8p0"], b"[0x8p+0]", &[], 0),
        (b"[%.0a]", &[b"0x9.8p0"], b"[0xap+0]", &[], 0),
        (b"[%.0a]", &[b"0xf.8p0"], b"[0x1p+4]", &[], 0),
        (b"[%.1a]", &[b"0xf.f8p0"], b"[0x1.0p+4]", &[], 0),
        (b"[%a]", &[b"1e-4940"], b"[0x0.000000663278e62p-16385]", &["printf: warning: 1e-4940: Numerical result out of range"], 0),
        (b"[%a]", &[b"1.18973149535723176502e+4932"], b"[0xf.fffffffffffffffp+16380]", &[], 0),
        (b"[%f]", &[b"inf"], b"[inf]", &[], 0),
        (b"[%f]", &[b"-inf"], b"[-inf]", &[], 0),
        (b"[%f]", &[b"nan"], b"[nan]", &[], 0),
        (b"[%f]", &[b"-nan"], b"[-nan]", &[], 0),
        (b"[%F]", &[b"inf"], b"[INF]", &[], 0),
        (b"[%E]", &[b"nan"], b"[NAN]", &[], 0),
        (b"[%05f]", &[b"inf"], b"[  inf]", &[], 0),
        (b"[%-8.3e]", &[b"-nan"], b"[-nan    ]", &[], 0),
        (b"[%+f]", &[b"nan"], b"[+nan]", &[], 0),
        (b"[% f]", &[b"inf"], b"[ inf]", &[], 0),
        (b"[%f]", &[b"Infinity"], b"[inf]", &[], 0),
        (b"[%f]", &[b"NaN(12)"], b"[nan]", &[], 0),
        (b"[%f]", &[b"infinit"], b"[inf]", &["printf: infinit: invalid number"], 1),
        (b"[%f]", &[b"0x1p3"], b"[8.000000]", &[], 0),
        (b"[%f]", &[b"0x1.8"], b"[1.500000]", &[], 0),
        (b"[%f]", &[b"0x.8p1"], b"[1.000000]", &[], 0),
        (b"[%f]", &[b".5"], b"[0.500000]", &[], 0),
        (b"[%f]", &[b"5."], b"[5.000000]", &[], 0),
        (b"[%f]", &[b"."], b"[0.000000]", &["printf: .: invalid number"], 1),
        (b"[%f]", &[b""], b"[0.000000]", &[], 0),
        (b"[%f]", &[b" 1.5"], b"[1.500000]", &[], 0),
        (b"[%f]", &[b"1.5 "], b"[1.500000]", &["printf: 1.5 : invalid number"], 1),
        (b"[%f]", &[b"1.5x"], b"[1.500000]", &["printf: 1.5x: invalid number"], 1),
        (b"[%f]", &[b"0x1g"], b"[1.000000]", &["printf: 0x1g: invalid hex number"], 1),
        (b"[%f]", &[b"1e"], b"[1.000000]", &["printf: 1e: invalid number"], 1),
        (b"[%f]", &[b"'a"], b"[97.000000]", &[], 0),
        (b"[%f]", &[b"1e5000"], b"[inf]", &["printf: warning: 1e5000: Numerical result out of range"], 0),
        (b"[%f]", &[b"1e-5000"], b"[0.000000]", &["printf: warning: 1e-5000: Numerical result out of range"], 0),
        (b"[%g]", &[b"1.2e4932"], b"[inf]", &["printf: warning: 1.2e4932: Numerical result out of range"], 0),
        (b"[%e]", &[b"3.6e-4951"], b"[3.645200e-4951]", &["printf: warning: 3.6e-4951: Numerical result out of range"], 0),
        (b"[%g]", &[b"1.18973149535723176502e+4932"], b"[1.18973e+4932]", &[], 0),
        (b"[%Lf]", &[b"1.5"], b"[1.500000]", &[], 0),
        (b"[%.3f]", &[b"123456789012345678901234567890"], b"[123456789012345678899921813504.000]", &[], 0),
        (b"[%b]", &[b"a\\tb\\n"], b"[a\tb\n]", &[], 0),
        (b"[%b]", &[b"\\0101|\\101|\\1011|\\08|\\400|\\01234|\\0"], b"[A|A|A1|\x008|\x00|S4|\x00]", &[], 0),
        (b"[%b]", &[b"\\x41|\\x414|\\xg"], b"[A|A4|\\xg]", &["printf: missing hex digit for \\x"], 0),
        (b"[%b]", &[b"a\\"], b"[a\\]", &[], 0),
        (b"[%b]", &[b"\\'\\\"\\?\\e\\q"], b"[\\'\\\"\\?\x1b\\q]", &[], 0),
        (b"[%b]", &[b"\\u00e9|\\U0001F600|\\u0041|\\ud800"], b"[\xc3\xa9|\xf0\x9f\x98\x80|A|\xed\xa0\x80]", &[], 0),
        (b"[%b]", &[b"\\u"], b"[\\u]", &["printf: missing unicode digit for \\u"], 0),
        (b"%b|%s", &[b"a\\cb", b"c"], b"a", &[], 0),
        (b"%5b|", &[b"ab\\cde"], b"   ab", &[], 0),
        (b"%d %b", &[b"abc", b"\\c"], b"0 ", &["printf: abc: invalid number"], 0),
        (b"%s %b %s\\n", &[b"x", b"y\\c", b"z", b"w"], b"x y", &[], 0),
        (b"[%5b]", &[b"a\\tb"], b"[  a\tb]", &[], 0),
        (b"[%-5b]", &[b"ab"], b"[ab   ]", &[], 0),
        (b"[%.1b]", &[b"abc"], b"[a]", &[], 0),
        (b"[%.b]", &[b"abc"], b"[]", &[], 0),
        (b"[%05b]", &[b"ab"], b"[   ab]", &[], 0),
        (b"%q\\n", &[b"a b"], b"a\\ b\n", &[], 0),
        (b"%q\\n", &[b""], b"''\n", &[], 0),
        (b"%q\\n", &[b"it's"], b"it\\'s\n", &[], 0),
        (b"%q\\n", &[b"a\nb"], b"$'a\\nb'\n", &[], 0),
        (b"%q\\n", &[b"~a"], b"\\~a\n", &[], 0),
        (b"%q\\n", &[b"a=~b"], b"a=\\~b\n", &[], 0),
        (b"%q\\n", &[b"#a#"], b"\\#a#\n", &[], 0),
        (b"%q\\n", &[b"\xc3\xa9 x"], b"\xc3\xa9\\ x\n", &[], 0),
        (b"%q\\n", &[b"\xff"], b"$'\\377'\n", &[], 0),
        (b"[%5q]", &[b""], b"[   '']", &[], 0),
        (b"[%.0q]", &[b""], b"[]", &[], 0),
        (b"[%-8q]", &[b"a b"], b"[a\\ b    ]", &[], 0),
        (b"[%.2q]", &[b"a b"], b"[a\\]", &[], 0),
        (b"[%Q]", &[b"a b"], b"[a\\ b]", &[], 0),
        (b"[%.1Q]", &[b"a b c"], b"[a]", &[], 0),
        (b"[%.2Q]", &[b"a b"], b"[a\\ ]", &[], 0),
        (b"[%5.1Q]", &[b"a b c"], b"[    a]", &[], 0),
        (b"[%.0Q]", &[b"ab"], b"['']", &[], 0),
        (b"[%.*Q]", &[b"2", b"a b c"], b"[a\\ b\\ c]", &[], 0),
        (b"[%.3Q]", &[b"a'b"], b"[a\\'b]", &[], 0),
        (b"a\\tb\\n", &[], b"a\tb\n", &[], 0),
        (b"\\\"\\'\\?\\\\", &[], b"\"'?\\", &[], 0),
        (b"\\e\\E\\a\\b\\f\\r\\v", &[], b"\x1b\x1b\x07\x08\x0c\x0d\x0b", &[], 0),
        (b"\\0101|\\101|\\1011|\\08|\\400|\\777", &[], b"\x081|A|A1|\x008|\x00|\xff", &[], 0),
        (b"\\x41\\x4\\x414", &[], b"A\x04A4", &[], 0),
        (b"\\x", &[], b"\\x", &["printf: missing hex digit for \\x"], 0),
        (b"\\xg", &[], b"\\xg", &["printf: missing hex digit for \\x"], 0),
        (b"\\u", &[], b"\\u", &["printf: missing unicode digit for \\u"], 0),
        (b"\\U", &[], b"\\U", &["printf: missing unicode digit for \\U"], 0),
        (b"\\u00e9", &[], b"\xc3\xa9", &[], 0),
        (b"\\U0001F600", &[], b"\xf0\x9f\x98\x80", &[], 0),
        (b"\\ud800|\\U00110000|\\U7FFFFFFF|\\U80000000", &[], b"\xed\xa0\x80|\xf4\x90\x80\x80|\xfd\xbf\xbf\xbf\xbf\xbf|", &[], 0),
        (b"\\u7f|\\u0|\\u12345", &[], b"\x7f|\x00|\xe1\x88\xb45", &[], 0),
        (b"\\c", &[], b"\\c", &[], 0),
        (b"a\\cb", &[], b"a\\cb", &[], 0),
        (b"\\q", &[], b"\\q", &[], 0),
        (b"x\\", &[], b"x\\", &[], 0),
        (b"\\%d", &[b"5"], b"\\5", &[], 0),
        (b"%%\\n", &[], b"%\n", &[], 0),
        (b"%s\\n", &[b"a", b"b", b"c"], b"a\nb\nc\n", &[], 0),
        (b"x\\n", &[b"a", b"b"], b"x\n", &[], 0),
        (b"%%\\n", &[b"a", b"b"], b"%\n", &[], 0),
        (b"%s %s\\n", &[b"a", b"b", b"c"], b"a b\nc \n", &[], 0),
        (b"", &[], b"", &[], 0),
        (b"", &[b"a"], b"", &[], 0),
        (b"a%", &[], b"a", &["printf: `%': missing format character"], 1),
        (b"a%5", &[], b"a", &["printf: `%5': missing format character"], 1),
        (b"%-5l", &[], b"", &["printf: `%-5l': missing format character"], 1),
        (b"[%y]", &[b"a"], b"[", &["printf: `y': invalid format character"], 1),
        (b"[%5%]", &[], b"[", &["printf: `%': invalid format character"], 1),
        (b"%S", &[b"x"], b"", &["printf: `S': invalid format character"], 1),
        (b"%C", &[b"x"], b"", &["printf: `C': invalid format character"], 1),
        (b"%1$s", &[b"a"], b"", &["printf: `$': invalid format character"], 1),
        (b"%I", &[], b"", &["printf: `I': invalid format character"], 1),
        (b"%s%y%s", &[b"a", b"b"], b"a", &["printf: `y': invalid format character"], 1),
        (b"%n", &[b"1x"], b"", &["printf: `1x': not a valid identifier"], 1),
        (b"ab%nc", &[b""], b"abc", &[], 0),
        (b"[%.-5d]", &[b"3"], b"[%.0-5ld]", &[], 0),
        (b"[%5.-2f]", &[b"3"], b"[%5.0-2Lf]", &[], 0),
        (b"[%.-s]", &[b"ab"], b"[%.0-s]", &[], 0),
        (b"[%.-5b]", &[b"abc"], b"[]", &[], 0),
        (b"[%+#.-3x]", &[b"1"], b"[%#+.0-3lx]", &[], 0),
        (b"%s", &[b"x", b"%d", b"abc", b"%b", b"\\c"], b"x%dabc%b\\c", &[], 0),
        (b"[%(%Y-%m-%d %H:%M:%S)T]", &[b"1000000000"], b"[2001-09-09 01:46:40]", &[], 0),
        (b"[%(%c)T]", &[b"0"], b"[Thu Jan  1 00:00:00 1970]", &[], 0),
        (b"[%(%a %A %b %B %e %j %p %I %l %k)T]", &[b"1000000000"], b"[Sun Sunday Sep September  9 252 AM 01  1  1]", &[], 0),
        (b"[%(%D|%F|%T|%R|%r|%x|%X)T]", &[b"1000000000"], b"[09/09/01|2001-09-09|01:46:40|01:46|01:46:40 AM|09/09/01|01:46:40]", &[], 0),
        (b"[%(%U %W %V %G %g %u %w %C %y)T]", &[b"1609459200"], b"[00 00 53 2020 20 5 5 20 21]", &[], 0),
        (b"[%(%s|%z|%Z|%%|%n|%t)T]", &[b"86400"], b"[86400|+0000|UTC|%|\n|\t]", &[], 0),
        (b"[%(%-d|%_m|%05Y|%^a|%#b|%10A|%#Z|%-5d)T]", &[b"1000000000"], b"[9| 9|02001|SUN|SEP|    Sunday|utc|    9]", &[], 0),
        (b"[%(%q|%Ey|%Od|%N)T]", &[b"0"], b"[%q|70|01|%N]", &[], 0),
        (b"[%10(%Y-%m)T]", &[b"0"], b"[   1970-01]", &[], 0),
        (b"[%-6(%Y)T]", &[b"0"], b"[1970  ]", &[], 0),
        (b"[%.1(%Y)T]", &[b"0"], b"[1]", &[], 0),
        (b"[%()T]", &[b"0"], b"[00:00:00]", &[], 0),
        (b"[%(%Y(a)b)T]", &[b"0"], b"[1970(a)b]", &[], 0),
        (b"[%(abc)x]", &[b"0"], b"[%(abc)x]", &["printf: warning: `x': invalid time format specification"], 0),
        (b"[%(%Y)T]", &[b"abc"], b"[1970]", &["printf: abc: invalid number"], 1),
        (b"[%(%Y)T]", &[b"67768036191676800"], b"[1970]", &[], 0),
        (b"[%(%Y)T]", &[b"-67768040609740800"], b"[-2147481748]", &[], 0),
        (b"[%(%c)T]", &[b"-1000000000000"], b"[Tue Apr  5 22:13:20 -29719]", &[], 0),
        (b"[%(%A %B %A %B %A %B %A %B %A %B %A %B %A %B %A %B )T]", &[b"0"], b"[]", &[], 0),
    ];

    #[test]
    fn printf_matches_bash() {
        let time = clock();
        for &(fmt, args, output, errors, status) in FORMAT_CASES {
            let args: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
            let got = format_with(fmt, &args, &time, true);
            let what = format!("printf {:?} {:?}", String::from_utf8_lossy(fmt), args);
            assert_eq!(
                String::from_utf8_lossy(&got.output),
                String::from_utf8_lossy(output),
                "{what}"
            );
            assert_eq!(got.output, output, "{what}");
            assert_eq!(got.errors, errors, "{what}");
            assert_eq!(got.status, status, "{what}");
        }
    }

    #[test]
    fn printf_n_assigns_bytes_of_the_current_pass() {
        // bash: printf "ab%nc%n\n" x y; echo $x $y  ->  2 3
        let got = format(b"ab%nc%n\\n", &[b"x".to_vec(), b"y".to_vec()]);
        assert_eq!(got.output, b"abc\n");
        assert_eq!(
            got.assignments,
            vec![("x".to_string(), 2), ("y".to_string(), 3)]
        );
        // bash: printf "%s%n|" a v bb w; echo $v $w  ->  1 2 (the count restarts each pass)
        let args: Vec<Vec<u8>> = ["a", "v", "bb", "w"]
            .iter()
            .map(|a| a.as_bytes().to_vec())
            .collect();
        let got = format(b"%s%n|", &args);
        assert_eq!(got.output, b"a|bb|");
        assert_eq!(
            got.assignments,
            vec![("v".to_string(), 1), ("w".to_string(), 2)]
        );
        // bash: printf "\t%b%n\n" "a\nb" r; echo $r  ->  4 (bytes, after escapes)
        let got = format(b"\\t%b%n\\n", &[b"a\\nb".to_vec(), b"r".to_vec()]);
        assert_eq!(got.assignments, vec![("r".to_string(), 4)]);
        // bash: printf "\u00e9%n\n" z; echo $z  ->  2
        let got = format(b"\\u00e9%n\\n", &[b"z".to_vec()]);
        assert_eq!(got.assignments, vec![("z".to_string(), 2)]);
    }

    #[test]
    fn printf_time_uses_the_context_clock() {
        let time = TimeContext::utc(1_000_000_000, 123);
        // No argument and -1 mean now; -2 means when the shell started.
        assert_eq!(
            format_with(b"%(%s)T", &[], &time, true).output,
            b"1000000000"
        );
        assert_eq!(
            format_with(b"%(%s)T", &[b"-1".to_vec()], &time, true).output,
            b"1000000000"
        );
        assert_eq!(
            format_with(b"%(%s)T", &[b"-2".to_vec()], &time, true).output,
            b"123"
        );
        let east = TimeContext {
            now: 0,
            shell_start: 0,
            utc_offset: 5 * 3600 + 1800,
            zone: "IST".to_string(),
        };
        // TZ=Asia/Kolkata bash -c 'printf "%(%F %T %z %Z)T" 0'
        assert_eq!(
            format_with(b"%(%F %T %z %Z)T", &[b"0".to_vec()], &east, true).output,
            b"1970-01-01 05:30:00 +0530 IST"
        );
        assert_eq!(strftime(b"%Y-%m-%d", 951_782_400, 0, "UTC"), b"2000-02-29");
    }

    #[test]
    fn printf_clamps_huge_fields() {
        // bash would print 2^31 - 1 spaces; the field is clamped instead.
        let got = format(b"%*s", &[b"99999999999".to_vec(), b"x".to_vec()]);
        assert_eq!(got.output.len(), MAX_FIELD);
        assert_eq!(
            got.errors,
            vec!["printf: warning: x: Numerical result out of range".to_string()]
        );
        // A literal width beyond INT_MAX makes printf(3) fail: nothing is printed.
        assert_eq!(format(b"[%99999999999s]", &[b"x".to_vec()]).output, b"[]");
    }

    /// `(input, output, stopped by \c)` from bash's `echo -e`.
    #[rustfmt::skip]
    const ECHO_CASES: &[(&[u8], &[u8], bool)] = &[
        (b"\\101", b"\\101", false),
        (b"\\0101", b"A", false),
        (b"\\01011", b"A1", false),
        (b"\\0", b"\x00", false),
        (b"\\08", b"\x008", false),
        (b"a\\cb", b"a", true),
        (b"\\c", b"", true),
        (b"x\\c", b"x", true),
        (b"\\x41\\x4", b"A\x04", false),
        (b"\\xg", b"\\xg", false),
        (b"\\x{41}", b"\\x{41}", false),
        (b"\\u00e9\\u", b"\xc3\xa9\\u", false),
        (b"\\U1F600", b"\xf0\x9f\x98\x80", false),
        (b"\\e\\E\\a\\b\\f\\n\\r\\t\\v", b"\x1b\x1b\x07\x08\x0c\n\x0d\t\x0b", false),
        (b"\\'", b"\\'", false),
        (b"\\\"", b"\\\"", false),
        (b"\\?", b"\\?", false),
        (b"\\\\", b"\\", false),
        (b"\\q", b"\\q", false),
        (b"a\\", b"a\\", false),
        (b"\\cA", b"", true),
        (b"\\400", b"\\400", false),
        (b"\\0400", b"\x00", false),
        (b"\\1011", b"\\1011", false),
        (b"plain", b"plain", false),
        (b"\\ud800", b"\xed\xa0\x80", false),
        (b"\\U80000000", b"", false),
        (b"\xc3\xa9\\t", b"\xc3\xa9\t", false),
    ];

    #[test]
    fn echo_escapes_match_bash() {
        for &(input, output, stopped) in ECHO_CASES {
            let what = String::from_utf8_lossy(input);
            assert_eq!(
                echo_escapes(input, true),
                (output.to_vec(), stopped),
                "echo -e {what:?}"
            );
        }
    }

    /// `(text between the quotes, value)` from bash's `x=$'...'`.
    #[rustfmt::skip]
    const DOLLAR_CASES: &[(&[u8], &[u8])] = &[
        (b"\\101", b"A"),
        (b"\\0101", b"\x081"),
        (b"\\1011", b"A1"),
        (b"\\0", b""),
        (b"a\\0b", b"a"),
        (b"\\08", b""),
        (b"a\\cb", b"a\x02"),
        (b"a\\cAb", b"a\x01b"),
        (b"\\ca", b"\x01"),
        (b"\\c?", b"\x7f"),
        (b"\\c[", b"\x1b"),
        (b"\\c\\\\", b"\x1c"),
        (b"\\c@x", b""),
        (b"\\c", b"\\c"),
        (b"x\\c", b"x\\c"),
        (b"\\x41\\x4", b"A\x04"),
        (b"\\xg", b"\\xg"),
        (b"\\x{41}", b"A"),
        (b"\\x{4142}", b"B"),
        (b"\\x{}z", b""),
        (b"\\u00e9\\u", b"\xc3\xa9\\u"),
        (b"\\U1F600", b"\xf0\x9f\x98\x80"),
        (b"\\e\\E\\a\\b\\f\\n\\r\\t\\v", b"\x1b\x1b\x07\x08\x0c\n\x0d\t\x0b"),
        (b"\\'", b"'"),
        (b"\\\"", b"\""),
        (b"\\?", b"?"),
        (b"\\\\", b"\\"),
        (b"\\q", b"\\q"),
        (b"\\400", b""),
        (b"\\777", b"\xff"),
        (b"\xc3\xa9", b"\xc3\xa9"),
        (b"\\ud800", b"\xed\xa0\x80"),
    ];

    #[test]
    fn ansi_c_unquote_matches_bash() {
        for &(input, output) in DOLLAR_CASES {
            let what = String::from_utf8_lossy(input);
            assert_eq!(ansi_c_unquote(input, true), output, "$'{what}'");
        }
    }

    #[test]
    fn unicode_escapes_outside_utf8_stay_escapes() {
        // bash 5.2 under LC_ALL=C.
        let cases: &[(&[u8], &[u8])] = &[
            (b"\\u41", b"A"),
            (b"\\u7f", b"\x7f"),
            (b"\\u00e9", b"\\u00E9"),
            (b"\\u263a", b"\\u263A"),
            (b"\\U263a", b"\\u263A"),
            (b"\\U1F600", b"\\U0001F600"),
            (b"\\U7fffffff", b"\\U7FFFFFFF"),
            (b"\\U80000000", b""),
        ];
        let time = TimeContext::utc(0, 0);
        for &(input, output) in cases {
            let what = String::from_utf8_lossy(input);
            assert_eq!(ansi_c_unquote(input, false), output, "$'{what}'");
            assert_eq!(echo_escapes(input, false).0, output, "echo -e '{what}'");
            assert_eq!(
                format_with(input, &[], &time, false).output,
                output,
                "printf '{what}'"
            );
            let b = format_with(b"%b", &[input.to_vec()], &time, false).output;
            assert_eq!(b, output, "printf %b '{what}'");
        }
    }

    /// `(string, printf %q, ${x@Q})` from bash.
    #[rustfmt::skip]
    const QUOTE_CASES: &[(&[u8], &[u8], &[u8])] = &[
        (b"", b"''", b"''"),
        (b"abc", b"abc", b"'abc'"),
        (b"a b", b"a\\ b", b"'a b'"),
        (b"it's", b"it\\'s", b"'it'\\''s'"),
        (b"'", b"\\'", b"\\'"),
        (b"''", b"\\'\\'", b"''\\'''\\'''"),
        (b"~", b"\\~", b"'~'"),
        (b"~a", b"\\~a", b"'~a'"),
        (b"a~", b"a~", b"'a~'"),
        (b"a:~", b"a:\\~", b"'a:~'"),
        (b"a=~b", b"a=\\~b", b"'a=~b'"),
        (b"#a#", b"\\#a#", b"'#a#'"),
        (b"!x", b"\\!x", b"'!x'"),
        (b"$HOME", b"\\$HOME", b"'$HOME'"),
        (b"*?[]", b"\\*\\?\\[\\]", b"'*?[]'"),
        (b"{a,b}", b"\\{a\\,b\\}", b"'{a,b}'"),
        (b"a|b&c;d", b"a\\|b\\&c\\;d", b"'a|b&c;d'"),
        (b"(x)<>", b"\\(x\\)\\<\\>", b"'(x)<>'"),
        (b"`x`", b"\\`x\\`", b"'`x`'"),
        (b"\"q\"", b"\\\"q\\\"", b"'\"q\"'"),
        (b"^x,y", b"\\^x\\,y", b"'^x,y'"),
        (b"@%+-./:=_", b"@%+-./:=_", b"'@%+-./:=_'"),
        (b"a\\b", b"a\\\\b", b"'a\\b'"),
        (b"a\nb", b"$'a\\nb'", b"$'a\\nb'"),
        (b"\t", b"$'\\t'", b"$'\\t'"),
        (b"x\ty z", b"$'x\\ty z'", b"$'x\\ty z'"),
        (b"\x1b[0m", b"$'\\E[0m'", b"$'\\E[0m'"),
        (b"\x7f", b"$'\\177'", b"$'\\177'"),
        (b"\x01", b"$'\\001'", b"$'\\001'"),
        (b"\xc3\xa9", b"\xc3\xa9", b"'\xc3\xa9'"),
        (b"a\xc3\xa9 b", b"a\xc3\xa9\\ b", b"'a\xc3\xa9 b'"),
        (b"\xff", b"$'\\377'", b"$'\\377'"),
        (b"a\xc3", b"$'a\\303'", b"$'a\\303'"),
        (b"\xc2\x85", b"$'\\302\\205'", b"$'\\302\\205'"),
        (b"\xe2\x80\xa8", b"$'\\342\\200\\250'", b"$'\\342\\200\\250'"),
        (b"\xe2\x80\x8b", b"\xe2\x80\x8b", b"'\xe2\x80\x8b'"),
        (b"\xcd\xb8", b"$'\\315\\270'", b"$'\\315\\270'"),
        (b"\xf0\x9f\x98\x80", b"\xf0\x9f\x98\x80", b"'\xf0\x9f\x98\x80'"),
        (b"\xef\xbf\xbe", b"$'\\357\\277\\276'", b"$'\\357\\277\\276'"),
        (b"\xed\xa0\x80", b"$'\\355\\240\\200'", b"$'\\355\\240\\200'"),
    ];

    #[test]
    fn quoting_matches_bash() {
        for &(input, q, at_q) in QUOTE_CASES {
            let what = String::from_utf8_lossy(input);
            assert_eq!(quote_q(input, true), q, "printf %q {what:?}");
            assert_eq!(quote_at_q(input, true), at_q, "${{x@Q}} of {what:?}");
        }
    }

    #[test]
    fn long_double_parsing_rounds_correctly() {
        // 0.1 in the 64-bit significand: 0xc.ccccccccccccccdp-7 (bash: printf %a 0.1).
        let (v, end, range) = parse_long_double(b"0.1");
        assert_eq!(
            v,
            LongDouble::Finite {
                neg: false,
                mant: 0xcccc_cccc_cccc_cccd,
                exp: -67
            }
        );
        assert_eq!((end, range), (3, false));
        // The largest long double and the first value that overflows.
        assert!(matches!(
            parse_long_double(b"1.18973149535723176502e+4932").0,
            LongDouble::Finite { mant: u64::MAX, .. }
        ));
        assert_eq!(
            parse_long_double(b"1.2e4932").0,
            LongDouble::Inf { neg: false }
        );
        assert_eq!(
            parse_long_double(b"-infinity"),
            (LongDouble::Inf { neg: true }, 9, false)
        );
    }
}

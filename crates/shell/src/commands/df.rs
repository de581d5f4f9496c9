//! `df`: report the in-memory filesystem's space usage (`-h`, `-H`, `-T`, `-i`, `-k`,
//! `-B SIZE`, `-P`, `--output[=FIELDS]`, `-a`, `-l`, `--total`) as GNU coreutils 9.1
//! prints it. There is one filesystem, `agentsh` (tmpfs), mounted on `/`.

use super::common::quotef;
use crate::commands::util::quote;
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `df [OPTION]... [FILE]...`
pub struct Df;

/// `human_readable`'s option bits (gnulib `human.h`), as `df` uses them.
const AUTOSCALE: u32 = 1;
const SI: u32 = 2;
const BASE_1024: u32 = 4;
const SUFFIX_B: u32 = 8;
const GROUP_DIGITS: u32 = 16;
const SUPPRESS_POINT_ZERO: u32 = 32;

/// The block size of the in-memory filesystem, as `statfs` would report it.
const FS_BLOCK: u128 = 4096;

/// `df`'s layouts: which columns and which headers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Default,
    Inodes,
    Human,
    Posix,
    Output,
}

/// A column (`--output` field).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Source,
    Fstype,
    Itotal,
    Iused,
    Iavail,
    Ipcent,
    Size,
    Used,
    Avail,
    Pcent,
    File,
    Target,
}

/// `--output` names, in GNU's order (`--output` alone shows them all).
const FIELDS: [(&str, Field); 12] = [
    ("source", Field::Source),
    ("fstype", Field::Fstype),
    ("itotal", Field::Itotal),
    ("iused", Field::Iused),
    ("iavail", Field::Iavail),
    ("ipcent", Field::Ipcent),
    ("size", Field::Size),
    ("used", Field::Used),
    ("avail", Field::Avail),
    ("pcent", Field::Pcent),
    ("file", Field::File),
    ("target", Field::Target),
];

impl Field {
    /// The header without a layout's own wording, the minimum width, left alignment.
    fn caption(self) -> (&'static str, usize, bool) {
        match self {
            Field::Source => ("Filesystem", 14, true),
            Field::Fstype => ("Type", 4, true),
            Field::Itotal => ("Inodes", 5, false),
            Field::Iused => ("IUsed", 5, false),
            Field::Iavail => ("IFree", 5, false),
            Field::Ipcent => ("IUse%", 4, false),
            Field::Size => ("Size", 5, false),
            Field::Used => ("Used", 5, false),
            Field::Avail => ("Avail", 5, false),
            Field::Pcent => ("Use%", 4, false),
            Field::File => ("File", 0, true),
            Field::Target => ("Mounted on", 0, true),
        }
    }
}

/// What went wrong reading a `-B` size (gnulib's `strtol_error`).
#[derive(Debug, PartialEq, Eq)]
enum SizeError {
    Invalid,
    Suffix,
    TooLarge,
}

/// gnulib's `human_options`/`humblock` for `-B SIZE`: the output options and the block
/// size. `'` asks for digit grouping (none in the C locale), `human-readable` and `si`
/// (or a prefix) scale, and a size without digits (`K`, `MB`) shows its unit after
/// every number.
fn block_size(spec: &str) -> Result<(u32, u64), SizeError> {
    let mut opts = 0;
    let s = match spec.strip_prefix('\'') {
        Some(r) => {
            opts |= GROUP_DIGITS;
            r
        }
        None => spec,
    };
    let named: Vec<u32> = [
        ("human-readable", AUTOSCALE | SI | BASE_1024),
        ("si", AUTOSCALE | SI),
    ]
    .iter()
    .filter(|(n, _)| !s.is_empty() && n.starts_with(s))
    .map(|&(_, o)| o)
    .collect();
    if let [o] = named.as_slice() {
        return Ok((opts | o, 1));
    }
    // A value read as 0 before a bad suffix makes the whole size invalid.
    let n = strtoumax_suffixed(s).map_err(
        |(e, partial)| {
            if partial == 0 { SizeError::Invalid } else { e }
        },
    )?;
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        let b = s.as_bytes();
        opts |= SI;
        if b.last() == Some(&b'B') {
            opts |= SUFFIX_B;
        }
        if b.last() != Some(&b'B') || (b.len() >= 2 && b[b.len() - 2] == b'i') {
            opts |= BASE_1024;
        }
    }
    if n == 0 {
        return Err(SizeError::Invalid);
    }
    Ok((opts, n))
}

/// gnulib's `xstrtoumax(s, .., 0, .., "eEgGkKmMpPtTyYzZ0")`: a C number (decimal, `0x`
/// hex or `0` octal) with an optional power suffix (`K` 1024, `KB` 1000, `KiB` 1024).
/// The error comes with the value read so far.
fn strtoumax_suffixed(s: &str) -> Result<u64, (SizeError, u64)> {
    const VALID: &[u8] = b"eEgGkKmMpPtTyYzZ0";
    let b = s.as_bytes();
    let mut p = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    if b.get(p) == Some(&b'-') {
        return Err((SizeError::Invalid, 0));
    }
    if b.get(p) == Some(&b'+') {
        p += 1;
    }
    let (radix, start) = if b.get(p) == Some(&b'0')
        && matches!(b.get(p + 1), Some(b'x' | b'X'))
        && b.get(p + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        (16, p + 2)
    } else if b.get(p) == Some(&b'0') {
        (8, p)
    } else {
        (10, p)
    };
    let digits = b[start..]
        .iter()
        .take_while(|c| char::from(**c).is_digit(radix))
        .count();
    let mut overflow = false;
    let mut val: u64 = 0;
    for &c in &b[start..start + digits] {
        let d = u64::from(char::from(c).to_digit(radix).unwrap_or(0));
        match val
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(d))
        {
            Some(v) => val = v,
            None => {
                overflow = true;
                val = u64::MAX;
            }
        }
    }
    let mut at = start + digits;
    if digits == 0 {
        // No number: a valid suffix alone counts as 1 of it.
        match b.first() {
            Some(c) if VALID.contains(c) => {
                val = 1;
                at = 0;
            }
            _ => return Err((SizeError::Invalid, 0)),
        }
    }
    let Some(&c) = b.get(at) else {
        return if overflow {
            Err((SizeError::TooLarge, val))
        } else {
            Ok(val)
        };
    };
    let Some(power) = crate::commands::util::size_suffix_power(c) else {
        return Err((SizeError::Suffix, val));
    };
    let (base, used): (u64, usize) = match (b.get(at + 1), b.get(at + 2)) {
        (Some(b'i'), Some(b'B')) => (1024, 3),
        (Some(b'B' | b'D'), _) => (1000, 2),
        _ => (1024, 1),
    };
    for _ in 0..power {
        match val.checked_mul(base) {
            Some(v) => val = v,
            None => {
                overflow = true;
                val = u64::MAX;
            }
        }
    }
    if at + used < b.len() {
        return Err((SizeError::Suffix, val));
    }
    if overflow {
        return Err((SizeError::TooLarge, val));
    }
    Ok(val)
}

/// gnulib's `human_readable` with `df`'s rounding (up): `n` units of `from` bytes shown
/// in units of `to` bytes, scaled with a one-decimal mantissa under 10 for
/// `AUTOSCALE`, with a unit letter (and `B`/`iB`) for `SI`.
fn human_readable(n: u128, opts: u32, from: u128, to: u128) -> String {
    const LETTERS: [&str; 9] = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"];
    let exponent_max = LETTERS.len() as i32 - 1;
    let base: u128 = if opts & BASE_1024 != 0 { 1024 } else { 1000 };
    let num = n * from;
    let mut amt = num / to;
    let r10 = (num % to) * 10;
    let mut tenths = r10 / to;
    let r2 = (r10 % to) * 2;
    let mut rounding = if r2 < to {
        u128::from(0 < r2)
    } else {
        2 + u128::from(to < r2)
    };
    let mut exponent: i32 = -1;
    let mut decimal: Option<u128> = None;
    if opts & AUTOSCALE != 0 {
        exponent = 0;
        if base <= amt {
            loop {
                let r10 = (amt % base) * 10 + tenths;
                let r2 = (r10 % base) * 2 + (rounding >> 1);
                amt /= base;
                tenths = r10 / base;
                rounding = if r2 < base {
                    u128::from(r2 + rounding != 0)
                } else {
                    2 + u128::from(base < r2 + rounding)
                };
                exponent += 1;
                if !(base <= amt && exponent < exponent_max) {
                    break;
                }
            }
            if amt < 10 {
                if 0 < rounding {
                    tenths += 1;
                    rounding = 0;
                    if tenths == 10 {
                        amt += 1;
                        tenths = 0;
                    }
                }
                if amt < 10 && (tenths != 0 || opts & SUPPRESS_POINT_ZERO == 0) {
                    decimal = Some(tenths);
                    tenths = 0;
                    rounding = 0;
                }
            }
        }
    }
    if 0 < tenths + rounding {
        amt += 1;
        if opts & AUTOSCALE != 0 && amt == base && exponent < exponent_max {
            exponent += 1;
            if opts & SUPPRESS_POINT_ZERO == 0 {
                decimal = Some(0);
            }
            amt = 1;
        }
    }
    let mut out = amt.to_string();
    if let Some(d) = decimal {
        out.push('.');
        out.push_str(&d.to_string());
    }
    if opts & SI != 0 {
        if exponent < 0 {
            exponent = 0;
            let mut power: u128 = 1;
            while power < to {
                exponent += 1;
                if exponent == exponent_max {
                    break;
                }
                power *= base;
            }
        }
        if exponent > 0 {
            if opts & BASE_1024 == 0 && exponent == 1 {
                out.push('k');
            } else {
                out.push_str(LETTERS[exponent as usize]);
            }
        }
        if opts & SUFFIX_B != 0 {
            if opts & BASE_1024 != 0 && exponent > 0 {
                out.push('i');
            }
            out.push('B');
        }
    }
    out
}

/// The `1K` of a `1K-blocks` header: the block size in the base that shows it exactly.
fn block_header(block: u64, opts: u32) -> String {
    let mut o =
        SUPPRESS_POINT_ZERO | AUTOSCALE | SI | (opts & (GROUP_DIGITS | BASE_1024 | SUFFIX_B));
    let (mut q1000, mut q1024) = (block, block);
    let (mut d1000, mut d1024);
    loop {
        d1000 = q1000 % 1000 == 0;
        q1000 /= 1000;
        d1024 = q1024 % 1024 == 0;
        q1024 /= 1024;
        if !(d1000 && d1024) {
            break;
        }
    }
    if !d1000 && d1024 {
        o |= BASE_1024;
    }
    if !d1024 && d1000 {
        o &= !BASE_1024;
    }
    if o & BASE_1024 == 0 {
        o |= SUFFIX_B;
    }
    human_readable(u128::from(block), o, 1, 1)
}

/// The `--output` option may come with a list (`--output=F1,F2`) or without one, which
/// the option parser cannot express: such arguments are taken out before it runs.
fn take_output_args(args: &[String]) -> (Vec<String>, Vec<Option<String>>) {
    let mut rest = Vec::with_capacity(args.len());
    let mut lists = Vec::new();
    let mut dd = false;
    for a in args {
        if !dd && let Some(body) = a.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if !name.is_empty() && "output".starts_with(name) {
                lists.push(value);
                rest.push("--output".to_string());
                continue;
            }
        }
        dd |= a == "--";
        rest.push(a.clone());
    }
    (rest, lists)
}

/// A usage error: the message, GNU's hint, status 1.
fn usage_error(ctx: &Ctx<'_>, msg: &str) -> i32 {
    ctx.usage(&crate::commands::util::UsageError(msg.to_string()), 1)
}

impl Command for Df {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let (args, mut lists) = take_output_args(&ctx.args[1..]);
        lists.reverse();
        let items = match parse_args(
            &args,
            "txB",
            "aHhiklPT",
            &[
                "all",
                "block-size=",
                "human-readable",
                "si",
                "inodes",
                "local",
                "output",
                "portability",
                "print-type",
                "total",
                "type=",
                "exclude-type=",
                "sync",
                "no-sync",
                "help",
                "version",
            ],
        ) {
            Ok(a) => a,
            Err(e) => return ctx.usage(&e, 1),
        };
        let (mut print_type, mut total, mut posix) = (false, false, false);
        let mut mode = Mode::Default;
        // `human_output_opts` and `output_block_size`; `None`: not chosen (1K blocks).
        let mut format: Option<(u32, u64)> = None;
        let mut fields: Vec<Field> = Vec::new();
        let mut files = Vec::new();
        let excl = |ctx: &Ctx<'_>, opt: &str| {
            usage_error(
                ctx,
                &format!("options {opt} and --output are mutually exclusive"),
            )
        };
        for a in items {
            let (name, value) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (c.to_string(), v),
                Arg::Long(n, v) => (n, v),
            };
            match name.as_str() {
                "help" => return emit(ctx, super::files_help::help("df")),
                "version" => return emit(ctx, super::files_help::version("df")),
                "h" | "human-readable" => format = Some((AUTOSCALE | SI | BASE_1024, 1)),
                "H" | "si" => format = Some((AUTOSCALE | SI, 1)),
                "k" => format = Some((0, 1024)),
                "B" | "block-size" => {
                    let v = value.unwrap_or_default();
                    match block_size(&v) {
                        Ok(f) => format = Some(f),
                        Err(e) => {
                            let opt = if name == "B" { "-B" } else { "--block-size" };
                            ctx.err(&match e {
                                SizeError::Invalid => format!("invalid {opt} argument '{v}'"),
                                SizeError::Suffix => {
                                    format!("invalid suffix in {opt} argument '{v}'")
                                }
                                SizeError::TooLarge => format!("{opt} argument '{v}' too large"),
                            });
                            return 1;
                        }
                    }
                }
                "i" | "inodes" => {
                    if mode == Mode::Output {
                        return excl(ctx, "-i");
                    }
                    mode = Mode::Inodes;
                }
                "P" | "portability" => {
                    if mode == Mode::Output {
                        return excl(ctx, "-P");
                    }
                    posix = true;
                }
                "T" | "print-type" => {
                    if mode == Mode::Output {
                        return excl(ctx, "-T");
                    }
                    print_type = true;
                }
                "output" => {
                    if mode == Mode::Inodes {
                        return excl(ctx, "-i");
                    }
                    if posix && mode == Mode::Default {
                        return excl(ctx, "-P");
                    }
                    if print_type {
                        return excl(ctx, "-T");
                    }
                    mode = Mode::Output;
                    if let Some(list) = lists.pop().flatten() {
                        for f in list.split(',') {
                            let Some(&(n, field)) = FIELDS.iter().find(|(n, _)| *n == f) else {
                                return usage_error(
                                    ctx,
                                    &format!("option --output: field {} unknown", quote(f)),
                                );
                            };
                            if fields.contains(&field) {
                                return usage_error(
                                    ctx,
                                    &format!(
                                        "option --output: field {} used more than once",
                                        quote(n)
                                    ),
                                );
                            }
                            fields.push(field);
                        }
                    }
                }
                "total" => total = true,
                _ => {}
            }
        }
        let posixly = ctx.env.contains_key("POSIXLY_CORRECT");
        let (opts, block) = match format {
            Some(f) => f,
            None if posix => (0, if posixly { 512 } else { 1024 }),
            None => {
                // DF_BLOCK_SIZE, then BLOCK_SIZE and BLOCKSIZE; a bad value is the default.
                let env = ["DF_BLOCK_SIZE", "BLOCK_SIZE", "BLOCKSIZE"]
                    .iter()
                    .find_map(|v| ctx.env.get(*v));
                env.and_then(|v| block_size(v).ok())
                    .unwrap_or((0, if posixly { 512 } else { 1024 }))
            }
        };
        if mode != Mode::Inodes && mode != Mode::Output {
            if opts & AUTOSCALE != 0 {
                mode = Mode::Human;
            } else if posix {
                mode = Mode::Posix;
            }
        }
        // The columns and, where the layout words them its own way, their headers.
        let mut columns: Vec<(Field, Option<&str>)> = vec![(Field::Source, None)];
        if print_type {
            columns.push((Field::Fstype, None));
        }
        match mode {
            Mode::Default => columns.extend([
                (Field::Size, Some("blocks")),
                (Field::Used, None),
                (Field::Avail, Some("Available")),
                (Field::Pcent, None),
            ]),
            Mode::Human => columns.extend([
                (Field::Size, None),
                (Field::Used, None),
                (Field::Avail, None),
                (Field::Pcent, None),
            ]),
            Mode::Inodes => columns.extend([
                (Field::Itotal, None),
                (Field::Iused, None),
                (Field::Iavail, None),
                (Field::Ipcent, None),
            ]),
            Mode::Posix => columns.extend([
                (Field::Size, Some("blocks")),
                (Field::Used, None),
                (Field::Avail, Some("Available")),
                (Field::Pcent, Some("Capacity")),
            ]),
            Mode::Output => {
                columns.clear();
                if fields.is_empty() {
                    fields = FIELDS.iter().map(|&(_, f)| f).collect();
                }
                columns.extend(fields.iter().map(|&f| (f, None)));
            }
        }
        if mode != Mode::Output {
            columns.push((Field::Target, None));
        }

        let mut status = 0;
        let mut shown: Vec<String> = Vec::new();
        for f in &files {
            match ctx.vfs.stat(f) {
                Ok(_) => shown.push(f.clone()),
                Err(e) => {
                    ctx.err(&format!("{}: {}", quotef(f), e.errno().message()));
                    status = 1;
                }
            }
        }
        if files.is_empty() {
            shown.push("-".into());
        }
        if shown.is_empty() {
            // GNU only says so when no operand was diagnosed already.
            if status == 0 {
                ctx.err("no file systems processed");
            }
            return 1;
        }
        let (usage, limits) = (ctx.vfs.usage(), ctx.vfs.limits());
        // Whole 4 KiB blocks, as tmpfs reports them.
        let blocks = u128::from(limits.max_bytes) / FS_BLOCK;
        let used_blocks = u128::from(usage.bytes).div_ceil(FS_BLOCK).min(blocks);
        let inodes = u128::from(limits.max_inodes);
        let used_inodes = u128::from(usage.inodes).min(inodes);
        let cell = |field: Field, file: &str, is_total: bool| -> String {
            let bytes = |n: u128| human_readable(n, opts, FS_BLOCK, u128::from(block));
            let count = |n: u128| human_readable(n, opts, 1, 1);
            match field {
                Field::Source => if is_total { "total" } else { "agentsh" }.into(),
                Field::Fstype => if is_total { "-" } else { "tmpfs" }.into(),
                Field::Itotal => count(inodes),
                Field::Iused => count(used_inodes),
                Field::Iavail => count(inodes - used_inodes),
                Field::Ipcent => percent(used_inodes, inodes - used_inodes),
                Field::Size => bytes(blocks),
                Field::Used => bytes(used_blocks),
                Field::Avail => bytes(blocks - used_blocks),
                Field::Pcent => percent(used_blocks, blocks - used_blocks),
                Field::File => file.into(),
                Field::Target => if is_total { "-" } else { "/" }.into(),
            }
        };
        let mut table: Vec<Vec<String>> = Vec::new();
        table.push(
            columns
                .iter()
                .map(|&(f, wording)| {
                    let caption = wording.unwrap_or(f.caption().0);
                    let sized = f == Field::Size
                        && (mode == Mode::Default
                            || (mode == Mode::Output && opts & AUTOSCALE == 0));
                    if sized {
                        format!("{}-blocks", block_header(block, opts))
                    } else if f == Field::Size && mode == Mode::Posix {
                        format!("{block}-{caption}")
                    } else {
                        caption.to_string()
                    }
                })
                .collect(),
        );
        for file in &shown {
            table.push(columns.iter().map(|&(f, _)| cell(f, file, false)).collect());
        }
        if total {
            // One filesystem: the total is that filesystem once.
            table.push(columns.iter().map(|&(f, _)| cell(f, "-", true)).collect());
        }
        let ncol = columns.len();
        let widths: Vec<usize> = (0..ncol)
            .map(|c| {
                table
                    .iter()
                    .map(|r| r[c].len())
                    .max()
                    .unwrap_or(0)
                    .max(columns[c].0.caption().1)
            })
            .collect();
        let mut out = String::new();
        for r in &table {
            for (c, text) in r.iter().enumerate() {
                if c > 0 {
                    out.push(' ');
                }
                let left = columns[c].0.caption().2;
                if left && c == ncol - 1 {
                    out.push_str(text);
                } else if left {
                    out.push_str(&format!("{text:<w$}", w = widths[c]));
                } else {
                    out.push_str(&format!("{text:>w$}", w = widths[c]));
                }
            }
            out.push('\n');
        }
        if let Err(s) = ctx.out(out.as_bytes()) {
            return Ctx::stop_status(s);
        }
        status
    }
}

/// GNU's use percentage: `ceil(used * 100 / (used + avail))`, `-` when both are 0.
fn percent(used: u128, avail: u128) -> String {
    let whole = used + avail;
    if whole == 0 {
        return "-".into();
    }
    let u = used * 100;
    format!("{}%", u.div_ceil(whole))
}

fn emit(ctx: &Ctx<'_>, text: &str) -> i32 {
    match ctx.out(text.as_bytes()) {
        Ok(()) => 0,
        Err(s) => Ctx::stop_status(s),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::commands::reg_misc::testutil::run_in;

    fn vfs() -> vfs_core::Vfs {
        let limits = vfs_core::Limits {
            max_bytes: 1 << 30,
            max_inodes: 1000,
            ..vfs_core::Limits::default()
        };
        let v = vfs_core::Vfs::builder().limits(limits).build();
        v.write("/f", vec![b'x'; 3000]).unwrap();
        v
    }

    fn df(v: &vfs_core::Vfs, args: &[&str]) -> (String, String, i32) {
        run_in(v, &Df, args, b"", &BTreeMap::new())
    }

    #[test]
    fn default_table() {
        let v = vfs();
        let (out, err, st) = df(&v, &["df"]);
        assert_eq!(
            out,
            "Filesystem     1K-blocks  Used Available Use% Mounted on\n\
             agentsh          1048576     4   1048572   1% /\n"
        );
        assert_eq!((err.as_str(), st), ("", 0));
    }

    #[test]
    fn human_type_inodes() {
        let v = vfs();
        assert_eq!(
            df(&v, &["df", "-h"]).0,
            "Filesystem      Size  Used Avail Use% Mounted on\n\
             agentsh         1.0G  4.0K  1.0G   1% /\n"
        );
        assert_eq!(
            df(&v, &["df", "-T"]).0,
            "Filesystem     Type  1K-blocks  Used Available Use% Mounted on\n\
             agentsh        tmpfs   1048576     4   1048572   1% /\n"
        );
        assert_eq!(
            df(&v, &["df", "-i"]).0,
            "Filesystem     Inodes IUsed IFree IUse% Mounted on\n\
             agentsh          1000     2   998    1% /\n"
        );
    }

    #[test]
    fn operands_and_errors() {
        let v = vfs();
        let (out, err, st) = df(&v, &["df", "/f", "nope"]);
        assert_eq!(out.lines().count(), 2);
        assert_eq!(err, "df: nope: No such file or directory\n");
        assert_eq!(st, 1);
        let (out, err, st) = df(&v, &["df", "nope"]);
        assert_eq!(out, "");
        assert_eq!(err, "df: nope: No such file or directory\n");
        assert_eq!(st, 1);
        assert_eq!(df(&v, &["df", "-q"]).2, 1);
        assert!(
            df(&v, &["df", "--version"])
                .0
                .starts_with("df (GNU coreutils) 9.1\n")
        );
        assert!(
            df(&v, &["df", "--help"])
                .0
                .starts_with("Usage: df [OPTION]... [FILE]...\n")
        );
    }

    /// The rows of `df ARGS` as whitespace-separated cells.
    fn cells(v: &vfs_core::Vfs, args: &[&str]) -> Vec<Vec<String>> {
        let (out, err, st) = df(v, args);
        assert_eq!((err.as_str(), st), ("", 0), "{args:?}");
        out.lines()
            .map(|l| l.split_whitespace().map(String::from).collect())
            .collect()
    }

    #[test]
    fn block_sizes_scale_values() {
        let v = vfs();
        let row = |args: &[&str]| cells(&v, args).swap_remove(1);
        assert_eq!(
            row(&["df", "-BK"]),
            ["agentsh", "1048576K", "4K", "1048572K", "1%", "/"]
        );
        assert_eq!(
            row(&["df", "-B1M"]),
            ["agentsh", "1024", "1", "1024", "1%", "/"]
        );
        assert_eq!(
            row(&["df", "-B", "KB"]),
            ["agentsh", "1073742kB", "5kB", "1073738kB", "1%", "/"]
        );
        assert_eq!(
            row(&["df", "-B", "MiB"])[1..4],
            ["1024MiB", "1MiB", "1024MiB"]
        );
        assert_eq!(row(&["df", "-H"])[1..4], ["1.1G", "4.1k", "1.1G"]);
        assert_eq!(cells(&v, &["df", "-B", "1K"])[0][1], "1K-blocks");
    }

    #[test]
    fn output_fields_and_total() {
        let v = vfs();
        let t = cells(&v, &["df", "--output", "--total", "/f"]);
        assert_eq!(
            t[1],
            [
                "agentsh", "tmpfs", "1000", "2", "998", "1%", "1048576", "4", "1048572", "1%",
                "/f", "/"
            ]
        );
        assert_eq!(
            t[2],
            [
                "total", "-", "1000", "2", "998", "1%", "1048576", "4", "1048572", "1%", "-", "-"
            ]
        );
        assert_eq!(
            df(&v, &["df", "--output=pcent,size"]).0,
            "Use% 1K-blocks\n  1%   1048576\n"
        );
    }

    #[test]
    fn human_readable_rounds_up() {
        let h = AUTOSCALE | SI | BASE_1024;
        assert_eq!(human_readable(1, h, 4096, 1), "4.0K");
        assert_eq!(human_readable(1 << 30, h, 1, 1), "1.0G");
        assert_eq!(human_readable((1 << 30) + 1, h, 1, 1), "1.1G");
        assert_eq!(human_readable(10 * 1024 * 1024 + 1, h, 1, 1), "11M");
        assert_eq!(human_readable(1_048_064, h, 1, 1), "1.0M");
        assert_eq!(human_readable(999, h, 1, 1), "999");
        assert_eq!(block_header(1024, 0), "1K");
        assert_eq!(block_header(1000, 0), "1kB");
        assert_eq!(block_header(1500, 0), "1.5kB");
        assert_eq!(block_header(1 << 20, 0), "1M");
        assert_eq!(block_size("1Z"), Err(SizeError::TooLarge));
        assert_eq!(block_size("08"), Err(SizeError::Invalid));
        assert_eq!(block_size("1X"), Err(SizeError::Suffix));
        assert_eq!(
            block_size("'KiB"),
            Ok((GROUP_DIGITS | SI | SUFFIX_B | BASE_1024, 1024))
        );
        assert_eq!(block_size("h"), Ok((AUTOSCALE | SI | BASE_1024, 1)));
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0, 0), "-");
        assert_eq!(percent(1, 99), "1%");
        assert_eq!(percent(1, 1000), "1%");
        assert_eq!(percent(50, 50), "50%");
        assert_eq!(human_readable(1500, AUTOSCALE | SI, 1, 1), "1.5k");
    }
}

//! `column` (util-linux 2.38.1): fill columns (`-x` fills rows first) to the output
//! width (`-c`, else `COLUMNS`, else 80), or make a table (`-t`, `-s`, `-o`, `-N`,
//! `-R`, `-d`, `-L`). The other table options are refused as not supported.

use super::{Out, open, print_text, stopped};
use crate::commands::util::{Arg, LineReader, MAX_INPUT, parse_args};
use crate::commands::{Command, Ctx};

/// `column [options] [<file>...]`
pub struct Column;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    FillCols,
    FillRows,
    Table,
}

/// What a line looks like in the C locale: bytes outside ASCII become `\xHH`.
fn decode(line: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(line.len());
    for &b in line {
        if b >= 0x80 {
            v.extend_from_slice(format!("\\x{b:02x}").as_bytes());
        } else {
            v.push(b);
        }
    }
    v
}

/// Screen width: control characters take no room.
fn width(s: &[u8]) -> usize {
    s.iter().filter(|&&b| (0x20..0x7f).contains(&b)).count()
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// util-linux's `strtou32_or_err`.
fn parse_u32(s: &str) -> Option<usize> {
    let t = s.trim_start_matches(is_space_char);
    if t.is_empty() || t.starts_with('-') {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<u32>().ok().map(|v| v as usize)
}

fn is_space_char(c: char) -> bool {
    c.is_ascii() && is_space(c as u8)
}

/// `-R` and friends: column numbers (from 1) or names from `-N`.
fn column_list(spec: &str, names: &[Vec<u8>]) -> Result<Vec<usize>, String> {
    let mut v = Vec::new();
    for item in spec.split(',') {
        if let Some(n) = names.iter().position(|n| n == item.as_bytes()) {
            v.push(n);
        } else if let Ok(n) = item.parse::<usize>() {
            if n == 0 {
                v.push(usize::MAX);
            } else {
                v.push(n - 1);
            }
        } else {
            return Err(format!("undefined column name '{item}'"));
        }
    }
    Ok(v)
}

impl Command for Column {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "cosNRnOlEHTWrip",
            "txdLJeemhV",
            &[
                "table",
                "table-name=",
                "table-order=",
                "table-columns=",
                "table-columns-limit=",
                "table-noextreme=",
                "table-noheadings",
                "table-header-repeat",
                "table-hide=",
                "table-right=",
                "table-truncate=",
                "table-wrap=",
                "keep-empty-lines",
                "json",
                "tree=",
                "tree-id=",
                "tree-parent=",
                "output-width=",
                "output-separator=",
                "separator=",
                "fillrows",
                "table-maxout",
                "help",
                "version",
            ],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut mode = Mode::FillCols;
        let mut termwidth: Option<usize> = None;
        let mut in_sep: Option<Vec<u8>> = None;
        let mut out_sep = b"  ".to_vec();
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut right: Option<String> = None;
        let mut no_headings = false;
        let mut keep_empty = false;
        let mut files = Vec::new();
        for a in parsed {
            let (c, v) = match a {
                Arg::Operand(f) => {
                    files.push(f);
                    continue;
                }
                Arg::Short(c, v) => (c, v),
                Arg::Long(l, v) => {
                    let c = match l.as_str() {
                        "table" => 't',
                        "table-columns" => 'N',
                        "table-noheadings" => 'd',
                        "table-right" => 'R',
                        "keep-empty-lines" => 'L',
                        "output-width" => 'c',
                        "output-separator" => 'o',
                        "separator" => 's',
                        "fillrows" => 'x',
                        "help" => 'h',
                        "version" => 'V',
                        _ => '?',
                    };
                    (c, v)
                }
            };
            let v = v.unwrap_or_default();
            match c {
                't' => mode = Mode::Table,
                'x' => mode = Mode::FillRows,
                'd' => no_headings = true,
                'L' => keep_empty = true,
                'c' => match parse_u32(&v) {
                    Some(w) => termwidth = Some(w),
                    None => {
                        ctx.err(&format!("invalid columns argument: '{v}'"));
                        return 1;
                    }
                },
                'o' => out_sep = decode(v.as_bytes()),
                's' => in_sep = Some(decode(v.as_bytes())),
                'N' => names = v.split(',').map(|s| decode(s.as_bytes())).collect(),
                'R' => right = Some(v),
                'h' => return print_text(ctx, HELP),
                'V' => return print_text(ctx, "column from util-linux 2.38.1\n"),
                _ => {
                    ctx.err("this option is not supported (only -t -s -o -c -x -N -R -d -L)");
                    return 1;
                }
            }
        }
        let termwidth = termwidth.unwrap_or_else(|| {
            ctx.env
                .get("COLUMNS")
                .and_then(|c| c.parse::<i64>().ok())
                .filter(|&c| c > 0 && c <= i64::from(i32::MAX))
                .map_or(80, |c| c as usize)
        });
        let right: Vec<usize> = match &right {
            Some(r) => match column_list(r, &names) {
                Ok(v) => v,
                Err(m) => {
                    ctx.err(&m);
                    return 1;
                }
            },
            None => Vec::new(),
        };
        if files.is_empty() {
            files.push("-".into());
        }
        let mut status = 0;
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut total = 0usize;
        for f in &files {
            let fd = match open(ctx, f) {
                Ok(fd) => fd,
                Err(m) => {
                    ctx.err(&format!("{f}: {m}"));
                    status = 1;
                    continue;
                }
            };
            let mut r = LineReader::new(fd);
            loop {
                if ctx.cancel.is_cancelled() {
                    return 130;
                }
                match r.next_line() {
                    Ok(Some(mut l)) => {
                        if l.last() == Some(&b'\n') {
                            l.pop();
                        }
                        total += l.len();
                        if total > MAX_INPUT {
                            ctx.err(&format!("{f}: input too large"));
                            return 1;
                        }
                        if l.iter().all(|&b| is_space(b)) && !keep_empty {
                            continue;
                        }
                        lines.push(decode(&l));
                    }
                    Ok(None) => break,
                    Err(e) => {
                        ctx.err(&format!("{f}: {}", super::io_err(&e)));
                        status = 1;
                        break;
                    }
                }
            }
        }
        let mut out = Out::new(ctx);
        let r = match mode {
            Mode::Table => table(
                &lines,
                in_sep.as_deref(),
                &out_sep,
                &names,
                no_headings,
                &right,
                &mut out,
            ),
            _ => fill(&lines, termwidth, mode == Mode::FillRows, &mut out),
        };
        if let Err(s) = r.and_then(|()| out.flush()) {
            return stopped(s);
        }
        status
    }
}

/// The fill modes (util-linux's `columnate_fillcols` / `columnate_fillrows`), and the
/// one-per-line output when the widest entry does not fit.
fn fill(
    ents: &[Vec<u8>],
    termwidth: usize,
    rows_first: bool,
    out: &mut Out<'_, '_>,
) -> Result<(), crate::commands::Stop> {
    if ents.is_empty() {
        return Ok(());
    }
    let widths: Vec<usize> = ents.iter().map(|e| width(e)).collect();
    let maxw = widths.iter().copied().max().unwrap_or(0);
    if maxw >= termwidth {
        for e in ents {
            out.put(e)?;
            out.put(b"\n")?;
        }
        return Ok(());
    }
    let maxlength = (maxw + 8) & !7;
    let tabs = |out: &mut Out<'_, '_>, chcnt: &mut usize, endcol: usize| {
        loop {
            let cnt = (*chcnt + 8) & !7;
            if cnt > endcol {
                break;
            }
            out.put(b"\t")?;
            *chcnt = cnt;
        }
        Ok(())
    };
    if rows_first {
        let numcols = termwidth / maxlength;
        let mut chcnt = 0;
        let mut col = 0;
        let mut endcol = maxlength;
        for (i, e) in ents.iter().enumerate() {
            out.put(e)?;
            chcnt += widths[i];
            if i + 1 == ents.len() {
                break;
            }
            col += 1;
            if col == numcols {
                chcnt = 0;
                col = 0;
                endcol = maxlength;
                out.put(b"\n")?;
            } else {
                tabs(out, &mut chcnt, endcol)?;
                endcol += maxlength;
            }
        }
        if chcnt > 0 {
            out.put(b"\n")?;
        }
    } else {
        let numcols = (termwidth / maxlength).max(1);
        let numrows = ents.len().div_ceil(numcols);
        for row in 0..numrows {
            let mut endcol = maxlength;
            let mut chcnt = 0;
            let mut base = row;
            for _ in 0..numcols {
                out.put(&ents[base])?;
                chcnt += widths[base];
                base += numrows;
                if base >= ents.len() {
                    break;
                }
                tabs(out, &mut chcnt, endcol)?;
                endcol += maxlength;
            }
            out.put(b"\n")?;
        }
    }
    Ok(())
}

/// Split a line into cells (byte ranges): runs of blanks by default, every separator
/// byte with `-s`.
fn cells(line: &[u8], sep: Option<&[u8]>, v: &mut Vec<(usize, usize)>) {
    v.clear();
    match sep {
        None => {
            let mut i = 0;
            while i < line.len() {
                while i < line.len() && matches!(line[i], b' ' | b'\t') {
                    i += 1;
                }
                let start = i;
                while i < line.len() && !matches!(line[i], b' ' | b'\t') {
                    i += 1;
                }
                if i > start {
                    v.push((start, i));
                }
            }
        }
        Some(s) => {
            let mut start = 0;
            for (i, b) in line.iter().enumerate() {
                if s.contains(b) {
                    v.push((start, i));
                    start = i + 1;
                }
            }
            v.push((start, line.len()));
        }
    }
}

/// Write `n` spaces.
fn pad(out: &mut Out<'_, '_>, mut n: usize) -> Result<(), crate::commands::Stop> {
    const SPACES: &[u8] = &[b' '; 64];
    while n > 0 {
        let k = n.min(SPACES.len());
        out.put(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

/// `-t`: a table, columns padded to their widest cell, the last one not padded unless
/// right-aligned.
fn table(
    lines: &[Vec<u8>],
    sep: Option<&[u8]>,
    out_sep: &[u8],
    names: &[Vec<u8>],
    no_headings: bool,
    right: &[usize],
    out: &mut Out<'_, '_>,
) -> Result<(), crate::commands::Stop> {
    let header = !names.is_empty() && !no_headings;
    let mut widths: Vec<usize> = if header {
        names.iter().map(|n| width(n)).collect()
    } else {
        vec![0; names.len()]
    };
    let mut v = Vec::new();
    for l in lines {
        cells(l, sep, &mut v);
        if widths.len() < v.len() {
            widths.resize(v.len(), 0);
        }
        for (i, &(a, b)) in v.iter().enumerate() {
            widths[i] = widths[i].max(width(&l[a..b]));
        }
    }
    let ncols = widths.len();
    if ncols == 0 {
        return Ok(());
    }
    let all_right = right.contains(&usize::MAX);
    let is_right: Vec<bool> = (0..ncols)
        .map(|i| all_right || right.contains(&i))
        .collect();
    let fmt = RowFormat {
        widths: &widths,
        right: &is_right,
        sep: out_sep,
    };
    if header {
        fmt.put(out, |i| names.get(i).map_or(&[][..], |n| &n[..]))?;
    }
    for l in lines {
        cells(l, sep, &mut v);
        let cur = &v;
        fmt.put(out, |i| cur.get(i).map_or(&[][..], |&(a, b)| &l[a..b]))?;
    }
    Ok(())
}

/// How table rows are laid out.
struct RowFormat<'t> {
    widths: &'t [usize],
    right: &'t [bool],
    sep: &'t [u8],
}

impl RowFormat<'_> {
    /// Write one row whose cell `i` is `cell(i)`.
    fn put<'c>(
        &self,
        out: &mut Out<'_, '_>,
        cell: impl Fn(usize) -> &'c [u8],
    ) -> Result<(), crate::commands::Stop> {
        let ncols = self.widths.len();
        for (i, &w) in self.widths.iter().enumerate() {
            let c = cell(i);
            let fill = w.saturating_sub(width(c));
            let last = i + 1 == ncols;
            if self.right[i] {
                pad(out, fill)?;
                out.put(c)?;
            } else {
                out.put(c)?;
                if !last {
                    pad(out, fill)?;
                }
            }
            if !last {
                out.put(self.sep)?;
            }
        }
        out.put(b"\n")
    }
}

/// util-linux's `--help` text.
const HELP: &str = "
Usage:
 column [options] [<file>...]

Columnate lists.

Options:
 -t, --table                      create a table
 -n, --table-name <name>          table name for JSON output
 -O, --table-order <columns>      specify order of output columns
 -N, --table-columns <names>      comma separated columns names
 -l, --table-columns-limit <num>  maximal number of input columns
 -E, --table-noextreme <columns>  don't count long text from the columns to column width
 -d, --table-noheadings           don't print header
 -e, --table-header-repeat        repeat header for each page
 -H, --table-hide <columns>       don't print the columns
 -R, --table-right <columns>      right align text in these columns
 -T, --table-truncate <columns>   truncate text in the columns when necessary
 -W, --table-wrap <columns>       wrap text in the columns when necessary
 -L, --keep-empty-lines           don't ignore empty lines
 -J, --json                       use JSON output format for table

 -r, --tree <column>              column to use tree-like output for the table
 -i, --tree-id <column>           line ID to specify child-parent relation
 -p, --tree-parent <column>       parent to specify child-parent relation

 -c, --output-width <width>       width of output in number of characters
 -o, --output-separator <string>  columns separator for table output (default is two spaces)
 -s, --separator <string>         possible table delimiters
 -x, --fillrows                   fill rows before columns

 -h, --help                       display this help
 -V, --version                    display version

For more details see column(1).
";

//! The search over one input, following GNU grep's `grep()`/`grepbuf()`/`prtext()`: the
//! input is read in large blocks cut at a line end, one regex search over the whole
//! block finds the next matching line (no per-line calls), and the selected lines,
//! their context, counts and binary-file handling come out as GNU prints them.

use memchr::{memchr, memchr_iter, memrchr};

use crate::commands::Stop;
use crate::commands::util::{MAX_INPUT, Out};
use crate::io::{Cancel, Fd};
use crate::posix_regex::Regex;

/// How a file's lines are tested.
pub(super) enum Matcher {
    /// A POSIX pattern (BRE, ERE, or `-F` strings escaped as a BRE). `per_line`: it
    /// must see one line at a time (back-references, `-z`); otherwise it runs over a
    /// whole block compiled in multiline mode.
    Posix { re: Regex, per_line: bool },
    /// `-P`: a Perl-style pattern (PCRE2's syntax), one line at a time.
    Perl(super::perl::Perl),
    /// No pattern at all (`-f /dev/null`): nothing matches.
    Nothing,
}

impl Matcher {
    /// The leftmost(-longest) match in `line` (one line, without its terminator) at or
    /// after `start`.
    fn find_at(&self, line: &[u8], start: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::Posix { re, .. } => re.find_at(line, start),
            Matcher::Perl(re) => re.find_at(line, start),
            Matcher::Nothing => None,
        }
    }

    /// The regex when `-o` may search on past the end of a line into the rest of the
    /// block (a line-at-a-time search would give the same matches).
    fn block_regex(&self) -> Option<&Regex> {
        match self {
            Matcher::Posix {
                re,
                per_line: false,
            } if !re.has_buffer_anchors() => Some(re),
            _ => None,
        }
    }

    fn line_matches(&self, line: &[u8]) -> bool {
        match self {
            Matcher::Posix { re, .. } => re.is_match(line),
            Matcher::Perl(re) => re.is_match(line),
            Matcher::Nothing => false,
        }
    }

    /// The first line of `buf[p..lim]` (whole lines, each ending in `eol`) with a match:
    /// its start and its end (after the terminator). `known`: the leftmost match at or
    /// after `p`, when the previous line's `-o` search found it already.
    #[allow(clippy::too_many_arguments)]
    fn next_line(
        &self,
        buf: &[u8],
        p: usize,
        lim: usize,
        eol: u8,
        cancel: &Cancel,
        span: &mut Option<(usize, usize)>,
        known: Option<Option<(usize, usize)>>,
    ) -> Result<Option<(usize, usize)>, Stop> {
        if let Matcher::Posix {
            re,
            per_line: false,
        } = self
        {
            let hay = &buf[p..lim];
            let e = if span.is_some() {
                // -o: the whole first match, so the line's printing starts from it.
                let m = match known {
                    Some(Some((s, e))) if s >= p && e <= lim => Some((s - p, e - p)),
                    Some(None) => None,
                    _ => re.find_at(hay, 0),
                };
                *span = m.map(|(s, e)| (p + s, p + e));
                m.map(|(_, e)| e)
            } else {
                re.find_end_at(hay, 0)
            };
            let Some(e) = e else {
                return Ok(None);
            };
            let ls = memrchr(eol, &hay[..e]).map_or(0, |i| i + 1);
            if ls >= hay.len() {
                // The empty "line" after the last terminator.
                return Ok(None);
            }
            let le = memchr(eol, &hay[e..]).map_or(hay.len(), |i| e + i + 1);
            return Ok(Some((p + ls, p + le)));
        }
        if matches!(self, Matcher::Nothing) {
            return Ok(None);
        }
        let mut ls = p;
        let mut n = 0u32;
        while ls < lim {
            let le = memchr(eol, &buf[ls..lim]).map_or(lim, |i| ls + i + 1);
            let content_end = if le > ls && buf[le - 1] == eol {
                le - 1
            } else {
                le
            };
            if self.line_matches(&buf[ls..content_end]) {
                return Ok(Some((ls, le)));
            }
            if let Matcher::Perl(re) = self
                && re.failed()
            {
                return Err(Stop::Failed);
            }
            ls = le;
            n = n.wrapping_add(1);
            if n.is_multiple_of(4096) && cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
        }
        Ok(None)
    }
}

/// What to do with binary files (`--binary-files`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BinaryFiles {
    Binary,
    Text,
    WithoutMatch,
}

/// The output settings, fixed for the whole run.
pub(super) struct Settings {
    pub invert: bool,
    pub count: bool,
    /// `-l`, `-L` or `-q`: stop at the first selected line.
    pub done_on_match: bool,
    pub only_matching: bool,
    pub line_number: bool,
    pub byte_offset: bool,
    pub null: bool,
    pub initial_tab: bool,
    /// `-B` (negative: not given).
    pub before: i64,
    /// `-A` (negative: not given).
    pub after: i64,
    /// `-m` (negative: no limit).
    pub max_count: i64,
    pub binary: BinaryFiles,
    pub eol: u8,
    pub group_separator: Option<Vec<u8>>,
    /// `--color=always`: GNU's default `GREP_COLORS` (ms=01;31 fn=35 ln=32 bn=32 se=36).
    pub color: bool,
}

/// Colors of GNU grep's default `GREP_COLORS`.
pub(super) const MATCH_COLOR: &[u8] = b"01;31";
pub(super) const FILE_COLOR: &[u8] = b"35";
pub(super) const NUMBER_COLOR: &[u8] = b"32";
pub(super) const SEP_COLOR: &[u8] = b"36";

/// Put `text` wrapped in an SGR color (as GNU: `ESC[..m ESC[K` ... `ESC[m ESC[K`), or
/// plain when `on` is false.
pub(super) fn put_colored(
    out: &mut Out<'_, '_>,
    on: bool,
    color: &[u8],
    text: &[u8],
) -> Result<(), Stop> {
    if !on {
        return out.put(text);
    }
    out.put(b"\x1b[")?;
    out.put(color)?;
    out.put(b"m\x1b[K")?;
    out.put(text)?;
    out.put(b"\x1b[m\x1b[K")
}

/// The state GNU grep keeps across files and within one.
pub(super) struct Searcher<'m> {
    pub matcher: &'m Matcher,
    pub s: Settings,
    /// Something was output already (for the group separator).
    used: bool,
    buf: Vec<u8>,
    // Per file:
    with_filename: bool,
    filename: Vec<u8>,
    offset_width: usize,
    out_quiet: bool,
    done_on_match: bool,
    totalcc: u64,
    totalnl: u64,
    nl_pos: usize,
    lastout: Option<usize>,
    pending: i64,
    outleft: i64,
    nlines: i64,
    /// `-o`: the first match of the line being printed, found by the line search.
    first_match: Option<(usize, usize)>,
    /// `-o`: the end of the block being searched (`lim` of `grepbuf`).
    block_lim: usize,
    /// `-o`: the leftmost match after the line just printed, found by its last search
    /// running on into the rest of the block (`Some(None)`: there is none).
    next_match: Option<Option<(usize, usize)>>,
}

/// How reading one input ended.
pub(super) enum FileEnd {
    /// Searched; the number of selected lines and whether a binary file matched.
    Done { count: i64, binary_matched: bool },
    /// A read error (the errno text).
    ReadError(String, i64),
    /// The input is bigger than this implementation keeps in memory for one line.
    TooBig,
    /// Output stopped (broken pipe, cancel).
    Stop(Stop),
}

const CHUNK: usize = 256 * 1024;

impl<'m> Searcher<'m> {
    /// A searcher with `matcher` and `settings`.
    pub fn new(matcher: &'m Matcher, s: Settings) -> Self {
        Searcher {
            matcher,
            s,
            used: false,
            buf: Vec::new(),
            with_filename: false,
            filename: Vec::new(),
            offset_width: 0,
            out_quiet: false,
            done_on_match: false,
            totalcc: 0,
            totalnl: 0,
            nl_pos: 0,
            lastout: None,
            pending: 0,
            outleft: 0,
            nlines: 0,
            first_match: None,
            block_lim: 0,
            next_match: None,
        }
    }

    /// Whether a `-P` search gave up (PCRE's backtracking limit): GNU grep dies.
    pub fn matcher_failed(&self) -> bool {
        matches!(self.matcher, Matcher::Perl(re) if re.failed())
    }

    /// Search `fd`, printing as configured. `size` is the file's size when it is a
    /// regular file (for `-T`'s number width).
    #[allow(clippy::too_many_arguments)]
    pub fn search(
        &mut self,
        fd: &Fd,
        name: &[u8],
        with_filename: bool,
        size: Option<u64>,
        out: &mut Out<'_, '_>,
        cancel: &Cancel,
    ) -> FileEnd {
        self.with_filename = with_filename;
        self.filename.clear();
        self.filename.extend_from_slice(name);
        self.offset_width = if self.s.initial_tab {
            match size {
                Some(n) => digits(n.saturating_add(1)),
                None => 19,
            }
        } else {
            0
        };
        let out_quiet0 = self.s.count || self.s.done_on_match;
        self.out_quiet = out_quiet0;
        self.done_on_match = self.s.done_on_match;
        self.totalcc = 0;
        self.totalnl = 0;
        self.nl_pos = 0;
        self.lastout = None;
        self.pending = 0;
        self.outleft = if self.s.max_count < 0 {
            i64::MAX
        } else {
            self.s.max_count
        };
        self.nlines = 0;
        let mut nlines_first_null: i64 = -1;
        let mut zap = false;
        let eol = self.s.eol;

        let mut buf = std::mem::take(&mut self.buf);
        if buf.len() < CHUNK * 2 {
            buf.resize(CHUNK * 2, 0);
        }
        let mut filled = 0usize;
        let mut beg = 0usize;
        let mut eof = false;
        let mut scanned = 0usize;
        let result = loop {
            if cancel.is_cancelled() {
                break FileEnd::Stop(Stop::Cancelled);
            }
            if !eof {
                if buf.len() - filled < CHUNK {
                    let want = filled + CHUNK;
                    if want > MAX_INPUT + CHUNK {
                        break FileEnd::TooBig;
                    }
                    buf.resize(want.max(buf.len() * 2).min(MAX_INPUT + 2 * CHUNK), 0);
                }
                match fd.read(&mut buf[filled..]) {
                    Ok(0) => eof = true,
                    Ok(n) => filled += n,
                    Err(e) => {
                        if cancel.is_cancelled() {
                            break FileEnd::Stop(Stop::Cancelled);
                        }
                        break FileEnd::ReadError(crate::io::errno_message(&e), self.nlines);
                    }
                }
            }
            let lim = if eof {
                if filled > beg && buf[filled - 1] != eol {
                    if filled == buf.len() {
                        buf.push(eol);
                    } else {
                        buf[filled] = eol;
                    }
                    filled += 1;
                }
                filled
            } else {
                match memrchr(eol, &buf[scanned.max(beg)..filled]) {
                    Some(i) => scanned.max(beg) + i + 1,
                    None => {
                        scanned = filled;
                        continue;
                    }
                }
            };
            if lim > beg {
                if nlines_first_null < 0
                    && eol == b'\n'
                    && self.s.binary != BinaryFiles::Text
                    && memchr(0, &buf[beg..filled]).is_some()
                {
                    if self.s.binary == BinaryFiles::WithoutMatch {
                        break FileEnd::Done {
                            count: 0,
                            binary_matched: false,
                        };
                    }
                    if !self.s.count {
                        self.done_on_match = true;
                        self.out_quiet = true;
                    }
                    nlines_first_null = self.nlines;
                    zap = true;
                }
                if zap {
                    for b in &mut buf[beg..lim] {
                        if *b == 0 {
                            *b = eol;
                        }
                    }
                }
                if let Err(stop) = self.grepbuf(&buf, beg, lim, out, cancel) {
                    break FileEnd::Stop(stop);
                }
                if self.pending > 0
                    && let Err(stop) = self.prpending(&buf, lim, out)
                {
                    break FileEnd::Stop(stop);
                }
                if (self.outleft == 0 && self.pending == 0)
                    || (self.done_on_match && nlines_first_null.max(0) < self.nlines)
                {
                    break self.finish(nlines_first_null, out_quiet0);
                }
            }
            if eof {
                break self.finish(nlines_first_null, out_quiet0);
            }
            // Keep up to `before` lines of leading context (not already printed) and
            // the partial line after `lim`, then refill after them.
            let mut keep = lim;
            let mut i = 0;
            while i < self.s.before && keep > 0 && Some(keep) != self.lastout {
                keep = memrchr(eol, &buf[..keep - 1]).map_or(0, |j| j + 1);
                i += 1;
            }
            if self.s.line_number && self.nl_pos < keep {
                self.nlscan(&buf, keep);
            }
            buf.copy_within(keep..filled, 0);
            filled -= keep;
            self.totalcc += keep as u64;
            self.nl_pos = self.nl_pos.saturating_sub(keep);
            self.lastout = if self.lastout == Some(keep) {
                Some(0)
            } else {
                None
            };
            beg = lim - keep;
            scanned = beg;
        };
        self.buf = buf;
        self.out_quiet = out_quiet0;
        result
    }

    fn finish(&self, nlines_first_null: i64, out_quiet0: bool) -> FileEnd {
        FileEnd::Done {
            count: self.nlines,
            binary_matched: !out_quiet0
                && nlines_first_null >= 0
                && nlines_first_null < self.nlines,
        }
    }

    /// GNU's `grepbuf`: select lines in `buf[beg..lim]`.
    fn grepbuf(
        &mut self,
        buf: &[u8],
        beg: usize,
        lim: usize,
        out: &mut Out<'_, '_>,
        cancel: &Cancel,
    ) -> Result<(), Stop> {
        let eol = self.s.eol;
        let mut p = beg;
        self.block_lim = lim;
        self.next_match = None;
        while p < lim {
            let mut span = None;
            if self.s.only_matching && !self.s.invert && !self.out_quiet {
                span = Some((0, 0));
            }
            let known = self.next_match.take();
            let found = self
                .matcher
                .next_line(buf, p, lim, eol, cancel, &mut span, known)?;
            self.first_match = span.filter(|&(s, e)| e > s);
            if self.s.invert {
                let (b, endp) = found.unwrap_or((lim, lim));
                if p < b {
                    self.prtext(buf, p, b, out)?;
                    if self.outleft == 0 || self.done_on_match {
                        return Ok(());
                    }
                }
                p = endp;
            } else {
                let Some((b, endp)) = found else {
                    return Ok(());
                };
                self.prtext(buf, b, endp, out)?;
                if let Matcher::Perl(re) = self.matcher
                    && re.failed()
                {
                    return Err(Stop::Failed);
                }
                if self.outleft == 0 || self.done_on_match {
                    return Ok(());
                }
                p = endp;
            }
            if cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
        }
        Ok(())
    }

    /// GNU's `prtext`: output the selected `buf[beg..lim]` with its leading context.
    fn prtext(
        &mut self,
        buf: &[u8],
        beg: usize,
        lim: usize,
        out: &mut Out<'_, '_>,
    ) -> Result<(), Stop> {
        let eol = self.s.eol;
        if !self.out_quiet && self.pending > 0 {
            self.prpending(buf, beg, out)?;
        }
        let mut p = beg;
        if !self.out_quiet {
            let bp = self.lastout.unwrap_or(0);
            for _ in 0..self.s.before.max(0) {
                if p > bp {
                    p = memrchr(eol, &buf[..p - 1]).map_or(0, |j| j + 1);
                }
            }
            if (self.s.before >= 0 || self.s.after >= 0)
                && self.used
                && Some(p) != self.lastout
                && let Some(sep) = &self.s.group_separator
            {
                put_colored(out, self.s.color, SEP_COLOR, sep)?;
                out.put(b"\n")?;
            }
            while p < beg {
                let nl = line_end(buf, p, eol);
                self.prline(buf, p, nl, b'-', out)?;
                p = nl;
            }
        }
        let n;
        if self.s.invert {
            if self.out_quiet {
                if self.outleft == i64::MAX {
                    n = memchr_iter(eol, &buf[p..lim]).count() as i64;
                } else {
                    let mut k = 0;
                    while p < lim && k < self.outleft {
                        p = line_end(buf, p, eol);
                        k += 1;
                    }
                    n = k;
                }
            } else {
                let mut k = 0;
                while p < lim && k < self.outleft {
                    let nl = line_end(buf, p, eol);
                    self.prline(buf, p, nl, b':', out)?;
                    p = nl;
                    k += 1;
                }
                n = k;
            }
        } else {
            if !self.out_quiet {
                self.prline(buf, beg, lim, b':', out)?;
            }
            n = 1;
        }
        self.pending = if self.out_quiet {
            0
        } else {
            self.s.after.max(0)
        };
        self.used = true;
        self.outleft -= n;
        self.nlines += n;
        Ok(())
    }

    /// Print pending trailing context up to `lim`.
    fn prpending(&mut self, buf: &[u8], lim: usize, out: &mut Out<'_, '_>) -> Result<(), Stop> {
        let mut lo = self.lastout.unwrap_or(0);
        self.lastout = Some(lo);
        while self.pending > 0 && lo < lim {
            let nl = line_end(buf, lo, self.s.eol);
            self.prline(buf, lo, nl, b'-', out)?;
            lo = nl;
            self.pending -= 1;
        }
        Ok(())
    }

    /// One output line (`sep` is `:` for selected lines, `-` for context).
    fn prline(
        &mut self,
        buf: &[u8],
        beg: usize,
        lim: usize,
        sep: u8,
        out: &mut Out<'_, '_>,
    ) -> Result<(), Stop> {
        if !self.s.only_matching {
            self.print_line_head(buf, beg, lim - beg - 1, sep, out)?;
            if self.s.color && (sep == b':') ^ self.s.invert {
                self.print_colored_line(&buf[beg..lim], out)?;
            } else {
                out.put(&buf[beg..lim])?;
            }
        } else if (sep == b':') ^ self.s.invert {
            self.print_line_middle(buf, beg, lim, out)?;
        }
        self.lastout = Some(lim);
        Ok(())
    }

    /// A matching line with its non-empty matches colored (the line ends with `eol`).
    fn print_colored_line(&self, full: &[u8], out: &mut Out<'_, '_>) -> Result<(), Stop> {
        let line = &full[..full.len().saturating_sub(1)];
        let mut cur = 0;
        let mut plain = 0;
        while cur < line.len() {
            let Some((s, e)) = self.matcher.find_at(line, cur) else {
                break;
            };
            if s >= line.len() {
                break;
            }
            if e == s {
                cur = s + 1;
                continue;
            }
            out.put(&line[plain..s])?;
            put_colored(out, true, MATCH_COLOR, &line[s..e])?;
            plain = e;
            cur = e;
        }
        out.put(&full[plain..])
    }

    /// `-o`: every non-empty match of the line, each on its own output line.
    fn print_line_middle(
        &mut self,
        buf: &[u8],
        beg: usize,
        lim: usize,
        out: &mut Out<'_, '_>,
    ) -> Result<(), Stop> {
        let line = &buf[beg..lim - 1];
        let sep = if self.s.invert { b'-' } else { b':' };
        let mut cur = 0;
        let mut first = self
            .first_match
            .take()
            .filter(|&(s, e)| s >= beg && e < lim)
            .map(|(s, e)| (s - beg, e - beg));
        // Searching on through the rest of the block finds this line's next match or,
        // past its end, the next matching line's first one, saving the line search.
        let block = self
            .matcher
            .block_regex()
            .filter(|_| !self.s.invert && lim <= self.block_lim);
        while cur <= line.len() {
            let m = match (first.take(), block) {
                (Some(m), _) => Some(m),
                (None, Some(re)) => {
                    let m = re.find_at(&buf[beg..self.block_lim], cur);
                    match m {
                        Some((s, _)) if s <= line.len() => m,
                        _ => {
                            self.next_match = Some(m.map(|(s, e)| (beg + s, beg + e)));
                            None
                        }
                    }
                }
                (None, None) => self.matcher.find_at(line, cur),
            };
            let Some((s, e)) = m else {
                break;
            };
            if e == s {
                cur = s + 1;
                continue;
            }
            self.print_line_head(buf, beg + s, e - s, sep, out)?;
            put_colored(out, self.s.color, MATCH_COLOR, &line[s..e])?;
            out.put(&[self.s.eol])?;
            cur = e;
        }
        Ok(())
    }

    fn print_line_head(
        &mut self,
        buf: &[u8],
        beg: usize,
        len: usize,
        sep: u8,
        out: &mut Out<'_, '_>,
    ) -> Result<(), Stop> {
        let color = self.s.color;
        if self.with_filename {
            put_colored(out, color, FILE_COLOR, &self.filename)?;
            if self.s.null {
                out.put(&[0])?;
            } else {
                put_colored(out, color, SEP_COLOR, &[sep])?;
            }
        }
        if self.s.line_number {
            self.nlscan(buf, beg);
            self.put_number(self.totalnl + 1, out)?;
            put_colored(out, color, SEP_COLOR, &[sep])?;
        }
        if self.s.byte_offset {
            self.put_number(self.totalcc + beg as u64, out)?;
            put_colored(out, color, SEP_COLOR, &[sep])?;
        }
        if self.s.initial_tab
            && (self.with_filename || self.s.line_number || self.s.byte_offset)
            && len != 0
        {
            out.put(b"\t")?;
        }
        Ok(())
    }

    fn put_number(&self, n: u64, out: &mut Out<'_, '_>) -> Result<(), Stop> {
        let mut tmp = [0u8; 20];
        let digits = crate::commands::util::decimal(n, &mut tmp);
        // `-T` pads the number (inside its color).
        let pad = self.offset_width.saturating_sub(digits.len());
        let mut text = vec![b' '; pad];
        text.extend_from_slice(digits);
        put_colored(out, self.s.color, NUMBER_COLOR, &text)
    }

    /// Count line ends up to `lim`.
    fn nlscan(&mut self, buf: &[u8], lim: usize) {
        if lim > self.nl_pos {
            self.totalnl += memchr_iter(self.s.eol, &buf[self.nl_pos..lim]).count() as u64;
            self.nl_pos = lim;
        }
    }
}

/// The end (after the terminator) of the line starting at `p`.
fn line_end(buf: &[u8], p: usize, eol: u8) -> usize {
    memchr(eol, &buf[p..]).map_or(buf.len(), |i| p + i + 1)
}

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

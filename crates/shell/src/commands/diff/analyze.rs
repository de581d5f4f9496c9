//! The comparison engine, following GNU diffutils 3.8 step by step so that ambiguous
//! alignments come out the same: identical prefix/suffix trimming at byte level
//! (`find_identical_ends`), line equivalence classes, discarding of lines that match
//! nothing (`discard_confusing_lines`), Myers' O(ND) middle-snake search with the
//! "too expensive" cut-off (`diag`/`compareseq`), then sliding of change groups
//! (`shift_boundaries`) and grouping into changes (`build_script`).

use std::collections::HashMap;

use crate::io::Cancel;

/// How whitespace is compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ws {
    /// Exactly.
    Exact,
    /// `-Z`: trailing white space ignored.
    Trailing,
    /// `-b`: runs of white space equal, trailing white space ignored.
    Change,
    /// `-w`: all white space ignored.
    All,
}

/// Line comparison options.
#[derive(Clone, Copy, Debug)]
pub struct Cmp {
    /// `-i`.
    pub icase: bool,
    /// `-b`, `-w`, `-Z`.
    pub ws: Ws,
    /// `-d`.
    pub minimal: bool,
    /// `--speed-large-files`.
    pub heuristic: bool,
    /// Lines of the common prefix and suffix kept (the context, or `--horizon-lines`).
    pub horizon: usize,
}

/// One change: `deleted` lines of file 0 from `line0`, `inserted` lines of file 1
/// from `line1` (0-based; for an empty side, the line before which it happens).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// First line in file 0.
    pub line0: usize,
    /// First line in file 1.
    pub line1: usize,
    /// Lines deleted from file 0.
    pub deleted: usize,
    /// Lines inserted from file 1.
    pub inserted: usize,
}

/// A file split into lines: `starts[i]..starts[i+1]` is line `i`, its newline included.
pub struct Lines<'a> {
    /// The bytes.
    pub data: &'a [u8],
    /// Line start offsets plus the end offset.
    pub starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Split `data` into lines.
    pub fn new(data: &'a [u8]) -> Self {
        let mut starts = Vec::with_capacity(data.len() / 32 + 2);
        starts.push(0);
        let mut pos = 0;
        while pos < data.len() {
            match data[pos..].iter().position(|&c| c == b'\n') {
                Some(i) => pos += i + 1,
                None => pos = data.len(),
            }
            starts.push(pos);
        }
        Lines { data, starts }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Line `i` with its newline, if any.
    pub fn line(&self, i: usize) -> &'a [u8] {
        &self.data[self.starts[i]..self.starts[i + 1]]
    }

    /// Whether the last line lacks a newline.
    pub fn missing_newline(&self) -> bool {
        self.data.last().is_some_and(|&c| c != b'\n')
    }

    /// The index of the line starting at byte `off` (or the line count past the end).
    fn line_at(&self, off: usize) -> usize {
        match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.min(self.len()),
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Feed the canonical bytes of `line` (without newline) to `f`.
fn canon(line: &[u8], c: &Cmp, mut f: impl FnMut(u8)) {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let low = |b: u8| if c.icase { b.to_ascii_lowercase() } else { b };
    match c.ws {
        Ws::Exact => line.iter().for_each(|&b| f(low(b))),
        Ws::All => line
            .iter()
            .filter(|&&b| !is_space(b))
            .for_each(|&b| f(low(b))),
        Ws::Trailing => {
            let end = line
                .iter()
                .rposition(|&b| !is_space(b))
                .map_or(0, |p| p + 1);
            line[..end].iter().for_each(|&b| f(low(b)));
        }
        Ws::Change => {
            let mut i = 0;
            while i < line.len() {
                let b = line[i];
                if is_space(b) {
                    let mut j = i;
                    while j < line.len() && is_space(line[j]) {
                        j += 1;
                    }
                    if j == line.len() {
                        break;
                    }
                    f(b' ');
                    i = j;
                } else {
                    f(low(b));
                    i += 1;
                }
            }
        }
    }
}

fn canon_vec(line: &[u8], c: &Cmp, out: &mut Vec<u8>) {
    out.clear();
    canon(line, c, |b| out.push(b));
}

/// Whether GNU would consider the two lines equal (`incomplete` marks a last line
/// without newline, which only matches another such line unless -b/-w/-Z is on).
fn lines_equal(a: &[u8], b: &[u8], c: &Cmp, ta: &mut Vec<u8>, tb: &mut Vec<u8>) -> bool {
    if c.ws == Ws::Exact && !c.icase {
        return a.strip_suffix(b"\n").unwrap_or(a) == b.strip_suffix(b"\n").unwrap_or(b);
    }
    canon_vec(a, c, ta);
    canon_vec(b, c, tb);
    ta == tb
}

/// Compute the edit script between `a` and `b`. `None` when cancelled.
pub fn diff(a: &Lines<'_>, b: &Lines<'_>, c: &Cmp, cancel: &Cancel) -> Option<Vec<Change>> {
    // ---- find_identical_ends, on buffers with a newline appended when missing.
    let miss = [a.missing_newline(), b.missing_newline()];
    let n0 = a.data.len() + usize::from(miss[0]);
    let n1 = b.data.len() + usize::from(miss[1]);
    let byte = |f: usize, i: usize| -> u8 {
        let d = if f == 0 { a.data } else { b.data };
        d.get(i).copied().unwrap_or(b'\n')
    };
    let mut p = 0usize;
    let lim = n0.min(n1);
    {
        // Fast prefix comparison on the real bytes, then the appended newlines.
        let common = a
            .data
            .iter()
            .zip(b.data.iter())
            .take_while(|(x, y)| x == y)
            .count();
        p = p.max(common);
        while p < lim && byte(0, p) == byte(1, p) {
            p += 1;
        }
    }
    if (n0 - usize::from(miss[0]) < p) != (n1 - usize::from(miss[1]) < p) {
        p -= 1;
    }
    let mut hor = c.horizon;
    while p != 0 {
        if byte(0, p - 1) == b'\n' {
            if hor == 0 {
                break;
            }
            hor -= 1;
        }
        p -= 1;
    }
    let prefix_end = p;
    let (mut s0, mut s1) = (n0, n1);
    if miss[0] == miss[1] {
        let end0 = n0;
        let mut beg0 = prefix_end + n0.saturating_sub(n1);
        while s0 != beg0 {
            s0 -= 1;
            s1 -= 1;
            if byte(0, s0) != byte(1, s1) {
                s0 += 1;
                s1 += 1;
                beg0 = s0;
                break;
            }
        }
        let at_begin =
            (s0 == 0 || byte(0, s0 - 1) == b'\n') && (s1 == 0 || byte(1, s1 - 1) == b'\n');
        let mut i = c.horizon + usize::from(!at_begin);
        let start0 = s0;
        while i > 0 && s0 != end0 {
            i -= 1;
            while s0 < end0 {
                let ch = byte(0, s0);
                s0 += 1;
                if ch == b'\n' {
                    break;
                }
            }
        }
        let _ = beg0;
        s1 += s0 - start0;
    }
    let first = a.line_at(prefix_end);
    let end0 = a.line_at(s0.min(a.data.len()));
    let end1 = b.line_at(s1.min(b.data.len()));
    let first1 = b.line_at(prefix_end);
    let len0 = end0.saturating_sub(first);
    let len1 = end1.saturating_sub(first1);

    // ---- equivalence classes of the middle lines (hash chains, no per-line allocation).
    let mut heads: HashMap<u64, u32> = HashMap::with_capacity(len0 + len1);
    let mut reps: Vec<(u8, u32, u32)> = Vec::new(); // (file, line, next class + 1)
    let mut eq: [Vec<usize>; 2] = [Vec::with_capacity(len0), Vec::with_capacity(len1)];
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let files = [a, b];
    for f in 0..2 {
        let (lo, hi) = if f == 0 {
            (first, end0)
        } else {
            (first1, end1)
        };
        let lines = files[f];
        for i in lo..hi {
            if i.is_multiple_of(4096) && cancel.is_cancelled() {
                return None;
            }
            let line = lines.line(i);
            let incomplete = i + 1 == lines.len() && miss[f];
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            canon(line, c, |x| {
                h = (h ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            });
            let special = incomplete && matches!(c.ws, Ws::Exact);
            if special {
                h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
            }
            let head = heads.get(&h).copied().unwrap_or(0);
            let mut cur = head;
            let mut found = None;
            while cur != 0 {
                let (rf, rl, next) = reps[cur as usize - 1];
                let (rf, rl) = (rf as usize, rl as usize);
                let rline = files[rf].line(rl);
                let rinc = rl + 1 == files[rf].len() && miss[rf];
                if special == (rinc && matches!(c.ws, Ws::Exact))
                    && lines_equal(rline, line, c, &mut ta, &mut tb)
                {
                    found = Some(cur as usize - 1);
                    break;
                }
                cur = next;
            }
            let cls = match found {
                Some(x) => x,
                None => {
                    reps.push((f as u8, i as u32, head));
                    heads.insert(h, reps.len() as u32);
                    reps.len() - 1
                }
            };
            eq[f].push(cls + 1);
        }
    }
    let nclasses = reps.len() + 1;
    drop(heads);

    // ---- changed flags with a false sentinel at each end (index shifted by one).
    let mut changed: [Vec<bool>; 2] = [vec![false; len0 + 2], vec![false; len1 + 2]];
    let undisc = discard_confusing_lines(&eq, nclasses, &mut changed, c.minimal);
    let (xv, xr) = &undisc[0];
    let (yv, yr) = &undisc[1];
    let nd = xv.len() + yv.len() + 3;
    let mut too_expensive: usize = 1;
    let mut d = nd;
    while d != 0 {
        too_expensive <<= 1;
        d >>= 2;
    }
    let mut ctx = Ctx {
        xv,
        yv,
        fd: vec![0; nd],
        bd: vec![0; nd],
        off: yv.len() as isize + 1,
        heuristic: c.heuristic,
        too_expensive: too_expensive.max(4096) as isize,
    };
    // compareseq with an explicit stack.
    let mut stack = vec![(
        0isize,
        xv.len() as isize,
        0isize,
        yv.len() as isize,
        c.minimal,
    )];
    let mut steps = 0u32;
    while let Some((mut xoff, mut xlim, mut yoff, mut ylim, minimal)) = stack.pop() {
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(256) && cancel.is_cancelled() {
            return None;
        }
        while xoff < xlim && yoff < ylim && xv[xoff as usize] == yv[yoff as usize] {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim && yoff < ylim && xv[xlim as usize - 1] == yv[ylim as usize - 1] {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            for y in yoff..ylim {
                changed[1][yr[y as usize] + 1] = true;
            }
        } else if yoff == ylim {
            for x in xoff..xlim {
                changed[0][xr[x as usize] + 1] = true;
            }
        } else {
            let part = ctx.diag(xoff, xlim, yoff, ylim, minimal);
            stack.push((part.xmid, xlim, part.ymid, ylim, part.hi_minimal));
            stack.push((xoff, part.xmid, yoff, part.ymid, part.lo_minimal));
        }
    }
    drop(ctx);
    shift_boundaries(&eq, &mut changed);

    // ---- build the script in whole-file line numbers.
    let mut script = Vec::new();
    let (c0, c1) = (&changed[0], &changed[1]);
    let (mut i0, mut i1) = (0usize, 0usize);
    while i0 < len0 || i1 < len1 {
        if c0[i0 + 1] || c1[i1 + 1] {
            let (l0, l1) = (i0, i1);
            while c0[i0 + 1] {
                i0 += 1;
            }
            while c1[i1 + 1] {
                i1 += 1;
            }
            script.push(Change {
                line0: l0 + first,
                line1: l1 + first1,
                deleted: i0 - l0,
                inserted: i1 - l1,
            });
        }
        i0 += 1;
        i1 += 1;
    }
    Some(script)
}

type Undiscarded = (Vec<usize>, Vec<usize>);

/// GNU's `discard_confusing_lines`: returns, per file, the classes of the lines kept
/// and their indexes; discarded lines are marked changed.
fn discard_confusing_lines(
    eq: &[Vec<usize>; 2],
    nclasses: usize,
    changed: &mut [Vec<bool>; 2],
    minimal: bool,
) -> [Undiscarded; 2] {
    let mut count = [vec![0usize; nclasses], vec![0usize; nclasses]];
    for f in 0..2 {
        for &e in &eq[f] {
            count[f][e] += 1;
        }
    }
    let mut discards: [Vec<u8>; 2] = [vec![0; eq[0].len()], vec![0; eq[1].len()]];
    for f in 0..2 {
        let end = eq[f].len();
        let counts = &count[1 - f];
        let mut many = 5usize;
        let mut tem = end / 64;
        loop {
            tem >>= 2;
            if tem == 0 {
                break;
            }
            many *= 2;
        }
        for i in 0..end {
            let e = eq[f][i];
            if e == 0 {
                continue;
            }
            let nmatch = counts[e];
            if nmatch == 0 {
                discards[f][i] = 1;
            } else if nmatch > many {
                discards[f][i] = 2;
            }
        }
    }
    for ds in discards.iter_mut() {
        let end = ds.len();
        let mut i = 0usize;
        while i < end {
            if ds[i] == 2 {
                ds[i] = 0;
            } else if ds[i] != 0 {
                let mut provisional = 0usize;
                let mut j = i;
                while j < end {
                    if ds[j] == 0 {
                        break;
                    }
                    if ds[j] == 2 {
                        provisional += 1;
                    }
                    j += 1;
                }
                while j > i && ds[j - 1] == 2 {
                    j -= 1;
                    ds[j] = 0;
                    provisional -= 1;
                }
                let length = j - i;
                if provisional * 4 > length {
                    while j > i {
                        j -= 1;
                        if ds[j] == 2 {
                            ds[j] = 0;
                        }
                    }
                } else {
                    let mut minimum = 1usize;
                    let mut tem = length / 4;
                    loop {
                        tem >>= 2;
                        if tem == 0 {
                            break;
                        }
                        minimum *= 2;
                    }
                    minimum += 1;
                    let mut consec = 0usize;
                    let mut j = 0isize;
                    while (j as usize) < length {
                        let k = i + j as usize;
                        if ds[k] != 2 {
                            consec = 0;
                        } else {
                            consec += 1;
                            if minimum == consec {
                                j -= consec as isize;
                            } else if minimum < consec {
                                ds[k] = 0;
                            }
                        }
                        j += 1;
                    }
                    let mut consec = 0usize;
                    for j in 0..length {
                        if j >= 8 && ds[i + j] == 1 {
                            break;
                        }
                        if ds[i + j] == 2 {
                            consec = 0;
                            ds[i + j] = 0;
                        } else if ds[i + j] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                    i += length - 1;
                    let mut consec = 0usize;
                    for j in 0..length {
                        if j >= 8 && ds[i - j] == 1 {
                            break;
                        }
                        if ds[i - j] == 2 {
                            consec = 0;
                            ds[i - j] = 0;
                        } else if ds[i - j] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                }
            }
            i += 1;
        }
    }
    let mut out: [Undiscarded; 2] = Default::default();
    for f in 0..2 {
        for (i, &e) in eq[f].iter().enumerate() {
            if minimal || discards[f][i] == 0 {
                out[f].0.push(e);
                out[f].1.push(i);
            } else {
                changed[f][i + 1] = true;
            }
        }
    }
    out
}

struct Partition {
    xmid: isize,
    ymid: isize,
    lo_minimal: bool,
    hi_minimal: bool,
}

struct Ctx<'v> {
    xv: &'v [usize],
    yv: &'v [usize],
    fd: Vec<isize>,
    bd: Vec<isize>,
    off: isize,
    heuristic: bool,
    too_expensive: isize,
}

const SNAKE_LIMIT: isize = 20;

impl Ctx<'_> {
    fn f(&self, d: isize) -> isize {
        self.fd[(d + self.off) as usize]
    }
    fn b(&self, d: isize) -> isize {
        self.bd[(d + self.off) as usize]
    }
    fn set_f(&mut self, d: isize, v: isize) {
        self.fd[(d + self.off) as usize] = v;
    }
    fn set_b(&mut self, d: isize, v: isize) {
        self.bd[(d + self.off) as usize] = v;
    }
    fn x(&self, i: isize) -> usize {
        self.xv[i as usize]
    }
    fn y(&self, i: isize) -> usize {
        self.yv[i as usize]
    }

    /// GNU's `diag`: the midpoint of the shortest edit script.
    fn diag(
        &mut self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        minimal: bool,
    ) -> Partition {
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.set_f(fmid, xoff);
        self.set_b(bmid, xlim);
        let mut c: isize = 1;
        loop {
            let mut big_snake = false;
            if fmin > dmin {
                fmin -= 1;
                self.set_f(fmin - 1, -1);
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.set_f(fmax + 1, -1);
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = self.f(d - 1);
                let thi = self.f(d + 1);
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let mut x = x0;
                let mut y = x0 - d;
                while x < xlim && y < ylim && self.x(x) == self.y(y) {
                    x += 1;
                    y += 1;
                }
                if x - x0 > SNAKE_LIMIT {
                    big_snake = true;
                }
                self.set_f(d, x);
                if odd && bmin <= d && d <= bmax && self.b(d) <= x {
                    return Partition {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            if bmin > dmin {
                bmin -= 1;
                self.set_b(bmin - 1, isize::MAX);
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.set_b(bmax + 1, isize::MAX);
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = self.b(d - 1);
                let thi = self.b(d + 1);
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let mut x = x0;
                let mut y = x0 - d;
                while xoff < x && yoff < y && self.x(x - 1) == self.y(y - 1) {
                    x -= 1;
                    y -= 1;
                }
                if x0 - x > SNAKE_LIMIT {
                    big_snake = true;
                }
                self.set_b(d, x);
                if !odd && fmin <= d && d <= fmax && x <= self.f(d) {
                    return Partition {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            if minimal {
                c += 1;
                continue;
            }
            if 200 < c && big_snake && self.heuristic {
                if let Some(p) = self.heuristic_forward(xoff, xlim, yoff, ylim, fmin, fmax, fmid, c)
                {
                    return p;
                }
                if let Some(p) =
                    self.heuristic_backward(xoff, xlim, yoff, ylim, bmin, bmax, bmid, c)
                {
                    return p;
                }
            }
            if c >= self.too_expensive {
                let mut fxybest = -1isize;
                let mut fxbest = 0isize;
                let mut d = fmax;
                while d >= fmin {
                    let mut x = self.f(d).min(xlim);
                    let mut y = x - d;
                    if ylim < y {
                        x = ylim + d;
                        y = ylim;
                    }
                    if fxybest < x + y {
                        fxybest = x + y;
                        fxbest = x;
                    }
                    d -= 2;
                }
                let mut bxybest = isize::MAX;
                let mut bxbest = 0isize;
                let mut d = bmax;
                while d >= bmin {
                    let mut x = xoff.max(self.b(d));
                    let mut y = x - d;
                    if y < yoff {
                        x = yoff + d;
                        y = yoff;
                    }
                    if x + y < bxybest {
                        bxybest = x + y;
                        bxbest = x;
                    }
                    d -= 2;
                }
                return if (xlim + ylim) - bxybest < fxybest - (xoff + yoff) {
                    Partition {
                        xmid: fxbest,
                        ymid: fxybest - fxbest,
                        lo_minimal: true,
                        hi_minimal: false,
                    }
                } else {
                    Partition {
                        xmid: bxbest,
                        ymid: bxybest - bxbest,
                        lo_minimal: false,
                        hi_minimal: true,
                    }
                };
            }
            c += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn heuristic_forward(
        &self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        fmin: isize,
        fmax: isize,
        fmid: isize,
        c: isize,
    ) -> Option<Partition> {
        let mut best = 0isize;
        let mut res = (0, 0);
        let mut d = fmax;
        while d >= fmin {
            let dd = d - fmid;
            let x = self.f(d);
            let y = x - d;
            let v = (x - xoff) * 2 - dd;
            if v > 12 * (c + dd.abs())
                && v > best
                && xoff + SNAKE_LIMIT <= x
                && x < xlim
                && yoff + SNAKE_LIMIT <= y
                && y < ylim
            {
                let mut k = 1;
                while self.x(x - k) == self.y(y - k) {
                    if k == SNAKE_LIMIT {
                        best = v;
                        res = (x, y);
                        break;
                    }
                    k += 1;
                }
            }
            d -= 2;
        }
        (best > 0).then_some(Partition {
            xmid: res.0,
            ymid: res.1,
            lo_minimal: true,
            hi_minimal: false,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn heuristic_backward(
        &self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        bmin: isize,
        bmax: isize,
        bmid: isize,
        c: isize,
    ) -> Option<Partition> {
        let mut best = 0isize;
        let mut res = (0, 0);
        let mut d = bmax;
        while d >= bmin {
            let dd = d - bmid;
            let x = self.b(d);
            let y = x - d;
            let v = (xlim - x) * 2 + dd;
            if v > 12 * (c + dd.abs())
                && v > best
                && xoff < x
                && x <= xlim - SNAKE_LIMIT
                && yoff < y
                && y <= ylim - SNAKE_LIMIT
            {
                let mut k = 0;
                while self.x(x + k) == self.y(y + k) {
                    if k == SNAKE_LIMIT - 1 {
                        best = v;
                        res = (x, y);
                        break;
                    }
                    k += 1;
                }
            }
            d -= 2;
        }
        (best > 0).then_some(Partition {
            xmid: res.0,
            ymid: res.1,
            lo_minimal: false,
            hi_minimal: true,
        })
    }
}

/// GNU's `shift_boundaries`: slide each run of changes to merge with neighbours and,
/// failing that, as far down as possible, preferring to line up with the other file.
fn shift_boundaries(eq: &[Vec<usize>; 2], changed: &mut [Vec<bool>; 2]) {
    for (f, equivs) in eq.iter().enumerate() {
        let (a, b) = changed.split_at_mut(1);
        let (ch, other) = if f == 0 {
            (&mut a[0], &b[0])
        } else {
            (&mut b[0], &a[0])
        };
        // Index helpers: position p (may be -1) maps to p + 1.
        let cg = |v: &Vec<bool>, p: isize| v[(p + 1) as usize];
        let i_end = equivs.len() as isize;
        let mut i: isize = 0;
        let mut j: isize = 0;
        loop {
            while i < i_end && !cg(ch, i) {
                while cg(other, j) {
                    j += 1;
                }
                j += 1;
                i += 1;
            }
            if i == i_end {
                break;
            }
            let mut start = i;
            i += 1;
            while cg(ch, i) {
                i += 1;
            }
            while cg(other, j) {
                j += 1;
            }
            let mut corresponding;
            loop {
                let runlength = i - start;
                while start > 0 && equivs[(start - 1) as usize] == equivs[(i - 1) as usize] {
                    start -= 1;
                    ch[(start + 1) as usize] = true;
                    i -= 1;
                    ch[(i + 1) as usize] = false;
                    while cg(ch, start - 1) {
                        start -= 1;
                    }
                    j -= 1;
                    while cg(other, j) {
                        j -= 1;
                    }
                }
                corresponding = if cg(other, j - 1) { i } else { i_end };
                while i != i_end && equivs[start as usize] == equivs[i as usize] {
                    ch[(start + 1) as usize] = false;
                    start += 1;
                    ch[(i + 1) as usize] = true;
                    i += 1;
                    while cg(ch, i) {
                        i += 1;
                    }
                    j += 1;
                    while cg(other, j) {
                        corresponding = i;
                        j += 1;
                    }
                }
                if runlength == i - start {
                    break;
                }
            }
            while corresponding < i {
                start -= 1;
                ch[(start + 1) as usize] = true;
                i -= 1;
                ch[(i + 1) as usize] = false;
                j -= 1;
                while cg(other, j) {
                    j -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &[u8], b: &[u8]) -> Vec<Change> {
        let c = Cmp {
            icase: false,
            ws: Ws::Exact,
            minimal: false,
            heuristic: false,
            horizon: 0,
        };
        diff(&Lines::new(a), &Lines::new(b), &c, &Cancel::new()).unwrap_or_default()
    }

    #[test]
    fn simple() {
        assert_eq!(
            run(b"a\nb\nc\n", b"a\nc\n"),
            vec![Change {
                line0: 1,
                line1: 1,
                deleted: 1,
                inserted: 0
            }]
        );
        assert!(run(b"x\n", b"x\n").is_empty());
        assert_eq!(run(b"x", b"x\n").len(), 1);
    }

    #[test]
    fn large_inputs_are_fast() {
        // ~1.5 MB each, a change every 1000 lines, plus a fully different pair.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for i in 0..150_000u32 {
            let l = format!("line number {i}\n");
            a.extend_from_slice(l.as_bytes());
            if i % 1000 == 7 {
                b.extend_from_slice(b"changed\n");
            } else {
                b.extend_from_slice(l.as_bytes());
            }
        }
        let t = std::time::Instant::now();
        let s = run(&a, &b);
        assert_eq!(s.len(), 150);
        let mut c = Vec::new();
        for i in 0..150_000u32 {
            c.extend_from_slice(format!("other {i}\n").as_bytes());
        }
        assert_eq!(run(&a, &c).len(), 1);
        assert!(t.elapsed().as_secs() < 20);
    }
}

//! A bounded backtracking matcher for what automata cannot do: back-references (`\1`),
//! and finding group spans for a leftmost-longest match whose end is already known.
//! Every search has a step budget, so a pathological pattern costs bounded time.

use super::parse::{ByteSet, Node};
use super::{Captures, Error};

#[derive(Clone, Debug)]
enum Inst {
    Byte(u8),
    Set(Box<ByteSet>),
    Bol,
    Eol,
    BufStart,
    BufEnd,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    NotWordBefore,
    NotWordAfter,
    Save(usize),
    Backref(usize),
    /// Try `.0` first, then `.1`.
    Split(usize, usize),
    Jmp(usize),
    /// Remember where a loop iteration starts (register).
    Mark(usize),
    /// After a loop body: if it consumed nothing since its mark, leave the loop (to
    /// `.1`) instead of going round again; so one empty iteration can still set groups.
    Progress(usize, usize),
    Match,
}

/// Instructions a program may have before it is refused as too big.
const MAX_INSTS: usize = 200_000;

/// A compiled backtracking program.
#[derive(Debug)]
pub struct Prog {
    insts: Vec<Inst>,
    slots: usize,
    regs: usize,
    multiline: bool,
    /// Back-references compare ignoring ASCII case.
    icase: bool,
}

enum Frame {
    Alt(usize, usize),
    Slot(usize, Option<usize>),
    Reg(usize, usize),
}

struct Compiler {
    insts: Vec<Inst>,
    regs: usize,
    too_big: bool,
}

impl Compiler {
    fn push(&mut self, i: Inst) -> usize {
        if self.insts.len() >= MAX_INSTS {
            self.too_big = true;
        }
        self.insts.push(i);
        self.insts.len() - 1
    }

    fn node(&mut self, n: &Node) {
        if self.too_big {
            return;
        }
        match n {
            Node::Empty => {}
            Node::Byte(b) => {
                self.push(Inst::Byte(*b));
            }
            Node::Set(s) => {
                self.push(Inst::Set(Box::new(*s)));
            }
            Node::Bol => {
                self.push(Inst::Bol);
            }
            Node::Eol => {
                self.push(Inst::Eol);
            }
            Node::BufStart => {
                self.push(Inst::BufStart);
            }
            Node::BufEnd => {
                self.push(Inst::BufEnd);
            }
            Node::WordB => {
                self.push(Inst::WordB);
            }
            Node::NotWordB => {
                self.push(Inst::NotWordB);
            }
            Node::WordStart => {
                self.push(Inst::WordStart);
            }
            Node::WordEnd => {
                self.push(Inst::WordEnd);
            }
            Node::NotWordBefore => {
                self.push(Inst::NotWordBefore);
            }
            Node::NotWordAfter => {
                self.push(Inst::NotWordAfter);
            }
            Node::Group(g, inner) => {
                self.push(Inst::Save(2 * g));
                self.node(inner);
                self.push(Inst::Save(2 * g + 1));
            }
            Node::Backref(g) => {
                self.push(Inst::Backref(*g));
            }
            Node::Concat(v) => {
                for x in v {
                    self.node(x);
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (i, x) in v.iter().enumerate() {
                    if i + 1 < v.len() {
                        let split = self.push(Inst::Split(0, 0));
                        self.node(x);
                        jumps.push(self.push(Inst::Jmp(0)));
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, next);
                    } else {
                        self.node(x);
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.node(inner);
                    if self.too_big {
                        return;
                    }
                }
                match max {
                    None => {
                        let reg = self.regs;
                        self.regs += 1;
                        let split = self.push(Inst::Split(0, 0));
                        self.push(Inst::Mark(reg));
                        self.node(inner);
                        let progress = self.push(Inst::Progress(reg, 0));
                        self.push(Inst::Jmp(split));
                        let end = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, end);
                        self.insts[progress] = Inst::Progress(reg, end);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0)));
                            self.node(inner);
                            if self.too_big {
                                return;
                            }
                        }
                        let end = self.insts.len();
                        for s in splits {
                            self.insts[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Prog {
    /// Compile `node` with `groups` capturing groups.
    pub fn new(node: &Node, groups: usize, multiline: bool, icase: bool) -> Result<Prog, Error> {
        let mut c = Compiler {
            insts: Vec::new(),
            regs: 0,
            too_big: false,
        };
        c.node(node);
        c.push(Inst::Match);
        if c.too_big {
            return Err(Error::new("Regular expression too big"));
        }
        Ok(Prog {
            insts: c.insts,
            slots: 2 * (groups + 1),
            regs: c.regs,
            multiline,
            icase,
        })
    }

    /// The leftmost-longest match at or after `start`.
    pub fn search(&self, hay: &[u8], start: usize, budget: u64) -> Option<Captures> {
        let mut steps = 0u64;
        for s in start..=hay.len() {
            if let Some(c) = self.run(hay, s, None, &mut steps, budget) {
                return Some(c);
            }
            if steps >= budget {
                return None;
            }
        }
        None
    }

    /// A match from exactly `s` to exactly `e`, preferring greedy group spans.
    pub fn search_exact(&self, hay: &[u8], s: usize, e: usize, budget: u64) -> Option<Captures> {
        let mut steps = 0u64;
        self.run(hay, s, Some(e), &mut steps, budget)
    }

    fn assert_ok(&self, inst: &Inst, hay: &[u8], pos: usize) -> bool {
        let before = pos.checked_sub(1).and_then(|i| hay.get(i)).copied();
        let after = hay.get(pos).copied();
        let wb = before.is_some_and(is_word);
        let wa = after.is_some_and(is_word);
        match inst {
            Inst::Bol => pos == 0 || (self.multiline && before == Some(b'\n')),
            Inst::Eol => pos == hay.len() || (self.multiline && after == Some(b'\n')),
            Inst::BufStart => pos == 0,
            Inst::BufEnd => pos == hay.len(),
            Inst::WordB => wb != wa,
            Inst::NotWordB => wb == wa,
            Inst::WordStart => !wb && wa,
            Inst::WordEnd => wb && !wa,
            Inst::NotWordBefore => !wb,
            Inst::NotWordAfter => !wa,
            _ => false,
        }
    }

    /// Explore every path from `s`; keep the longest match (or the first ending at
    /// `exact`).
    fn run(
        &self,
        hay: &[u8],
        s: usize,
        exact: Option<usize>,
        steps: &mut u64,
        budget: u64,
    ) -> Option<Captures> {
        let mut slots: Vec<Option<usize>> = vec![None; self.slots];
        let mut regs: Vec<usize> = vec![usize::MAX; self.regs];
        let mut stack: Vec<Frame> = vec![Frame::Alt(0, s)];
        let mut best: Option<Captures> = None;
        while let Some(f) = stack.pop() {
            let (mut pc, mut pos) = match f {
                Frame::Alt(pc, pos) => (pc, pos),
                Frame::Slot(i, v) => {
                    slots[i] = v;
                    continue;
                }
                Frame::Reg(i, v) => {
                    regs[i] = v;
                    continue;
                }
            };
            loop {
                *steps += 1;
                if *steps >= budget {
                    return best;
                }
                let Some(inst) = self.insts.get(pc) else {
                    break;
                };
                match inst {
                    Inst::Byte(b) => {
                        if hay.get(pos) == Some(b) {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Set(set) => {
                        if hay.get(pos).is_some_and(|&c| set.has(c)) {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Save(i) => {
                        stack.push(Frame::Slot(*i, slots[*i]));
                        slots[*i] = Some(pos);
                        pc += 1;
                    }
                    Inst::Backref(g) => {
                        let (a, b) = (slots.get(2 * g).copied(), slots.get(2 * g + 1).copied());
                        let Some((Some(a), Some(b))) = a.zip(b) else {
                            break;
                        };
                        let Some(sub) = hay.get(a..b) else {
                            break;
                        };
                        let same = hay.get(pos..pos + sub.len()).is_some_and(|h| {
                            if self.icase {
                                h.eq_ignore_ascii_case(sub)
                            } else {
                                h == sub
                            }
                        });
                        if same {
                            pos += sub.len();
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Split(x, y) => {
                        stack.push(Frame::Alt(*y, pos));
                        pc = *x;
                    }
                    Inst::Jmp(x) => pc = *x,
                    Inst::Mark(r) => {
                        stack.push(Frame::Reg(*r, regs[*r]));
                        regs[*r] = pos;
                        pc += 1;
                    }
                    Inst::Progress(r, exit) => {
                        pc = if regs[*r] == pos { *exit } else { pc + 1 };
                    }
                    Inst::Match => {
                        let ok = exact.is_none_or(|e| e == pos);
                        let longer = best
                            .as_ref()
                            .and_then(|b| b[0])
                            .is_none_or(|(_, be)| pos > be);
                        if ok && longer {
                            let mut caps: Captures = Vec::with_capacity(self.slots / 2);
                            caps.push(Some((s, pos)));
                            for g in 1..self.slots / 2 {
                                caps.push(match (slots[2 * g], slots[2 * g + 1]) {
                                    (Some(a), Some(b)) if a <= b => Some((a, b)),
                                    _ => None,
                                });
                            }
                            best = Some(caps);
                            if exact.is_some() || pos == hay.len() {
                                return best;
                            }
                        }
                        break;
                    }
                    other => {
                        if self.assert_ok(other, hay, pos) {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        best
    }
}

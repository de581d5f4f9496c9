//! File mode specifications as `chmod` and `mkdir -m` take them: octal (`755`) or
//! symbolic (`u+x,go-w,a=r`, `+X`, `g=u`), applied as GNU's `mode_adjust` does.

/// One parsed clause action.
#[derive(Clone, Debug)]
pub(in crate::commands) struct Action {
    op: u8,
    perms: u32,
    copy: Option<u32>,
    cap_x: bool,
}

/// One clause: who and its actions.
#[derive(Clone, Debug)]
pub(in crate::commands) struct Clause {
    who: u32,
    actions: Vec<Action>,
}

/// A compiled mode.
#[derive(Clone, Debug)]
pub(in crate::commands) enum ModeSpec {
    /// An octal mode and how many digits it had.
    Octal(u32, usize),
    /// Symbolic clauses.
    Symbolic(Vec<Clause>),
}

/// Parse a mode; `None` if it is invalid.
pub(in crate::commands) fn parse_mode(s: &str) -> Option<ModeSpec> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let v = u32::from_str_radix(s, 8).ok()?;
        if v > 0o7777 {
            return None;
        }
        return Some(ModeSpec::Octal(v, s.len()));
    }
    let mut clauses = Vec::new();
    for part in s.split(',') {
        let b = part.as_bytes();
        let mut i = 0;
        let mut who = 0;
        while i < b.len() {
            match b[i] {
                b'u' => who |= 0o4700,
                b'g' => who |= 0o2070,
                b'o' => who |= 0o1007,
                b'a' => who |= 0o7777,
                _ => break,
            }
            i += 1;
        }
        let mut actions = Vec::new();
        if i >= b.len() {
            return None;
        }
        while i < b.len() {
            let op = b[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut act = Action {
                op,
                perms: 0,
                copy: None,
                cap_x: false,
            };
            if i < b.len() && matches!(b[i], b'u' | b'g' | b'o') {
                act.copy = Some(match b[i] {
                    b'u' => 0o700,
                    b'g' => 0o070,
                    _ => 0o007,
                });
                i += 1;
            } else {
                while i < b.len() {
                    match b[i] {
                        b'r' => act.perms |= 0o444,
                        b'w' => act.perms |= 0o222,
                        b'x' => act.perms |= 0o111,
                        b'X' => act.cap_x = true,
                        b's' => act.perms |= 0o6000,
                        b't' => act.perms |= 0o1000,
                        _ => break,
                    }
                    i += 1;
                }
            }
            actions.push(act);
        }
        clauses.push(Clause { who, actions });
    }
    Some(ModeSpec::Symbolic(clauses))
}

/// Apply `spec` to `old` (permission bits) of a file (`is_dir`), with `umask` for
/// clauses that name nobody.
pub(in crate::commands) fn apply(spec: &ModeSpec, old: u32, is_dir: bool, umask: u32) -> u32 {
    match spec {
        ModeSpec::Octal(v, digits) => {
            if is_dir && *digits < 5 {
                *v | (old & 0o6000)
            } else {
                *v
            }
        }
        ModeSpec::Symbolic(clauses) => {
            let mut m = old & 0o7777;
            for c in clauses {
                let (affected, mask) = if c.who == 0 {
                    (0o7777, !umask & 0o7777)
                } else {
                    (c.who, 0o7777)
                };
                for a in &c.actions {
                    let mut value = a.perms;
                    if let Some(src) = a.copy {
                        let bits = m & src;
                        let r = bits & 0o444 != 0;
                        let w = bits & 0o222 != 0;
                        let x = bits & 0o111 != 0;
                        value = (if r { 0o444 } else { 0 })
                            | (if w { 0o222 } else { 0 })
                            | (if x { 0o111 } else { 0 });
                    }
                    if a.cap_x && (is_dir || m & 0o111 != 0) {
                        value |= 0o111;
                    }
                    let change = value & affected & mask;
                    match a.op {
                        b'+' => m |= change,
                        b'-' => m &= !change,
                        _ => {
                            let mut preserved = !affected & 0o7777;
                            if is_dir {
                                preserved |= 0o6000 & !(a.perms & affected);
                            }
                            m = (m & preserved) | change;
                        }
                    }
                }
            }
            m
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        let p = |s| parse_mode(s).unwrap();
        assert_eq!(apply(&p("755"), 0o644, false, 0o22), 0o755);
        assert_eq!(apply(&p("u+x,go-w"), 0o666, false, 0o22), 0o744);
        assert_eq!(apply(&p("a=r"), 0o777, false, 0o22), 0o444);
        assert_eq!(apply(&p("+x"), 0o644, false, 0o22), 0o755);
        assert_eq!(apply(&p("+w"), 0o444, false, 0o22), 0o644);
        assert_eq!(apply(&p("+X"), 0o644, true, 0o22), 0o755);
        assert_eq!(apply(&p("+X"), 0o644, false, 0o22), 0o644);
        assert_eq!(apply(&p("g=u"), 0o740, false, 0o22), 0o770);
        assert!(parse_mode("abc").is_none());
        assert!(parse_mode("u").is_none());
    }
}

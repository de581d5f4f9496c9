//! Conditional expressions: `[[ ... ]]` over brush-parser's AST, and the `test`/`[`
//! builtin with POSIX's rules by argument count. File tests look at the VFS.

use brush_parser::ast::{BinaryPredicate, ExtendedTestExpr};

use super::expand::ExpandError;
use super::{Exec, Interp};
use crate::vars::{Value, attr};

impl Interp {
    fn file_test(&self, op: &str, path: &str) -> bool {
        if path.is_empty() {
            return false;
        }
        if matches!(
            path,
            "/dev/null"
                | "/dev/zero"
                | "/dev/urandom"
                | "/dev/random"
                | "/dev/stdin"
                | "/dev/stdout"
                | "/dev/stderr"
                | "/dev/tty"
        ) && self.vfs.lstat(path).is_err()
        {
            // The sandbox's character devices.
            return matches!(op, "-e" | "-a" | "-c" | "-r" | "-w");
        }
        let stat = || self.vfs.stat(path).ok();
        match op {
            "-e" | "-a" => stat().is_some(),
            "-f" => stat().is_some_and(|m| m.is_file()),
            "-d" => stat().is_some_and(|m| m.is_dir()),
            "-h" | "-L" => self.vfs.lstat(path).is_ok_and(|m| m.is_symlink()),
            "-s" => stat().is_some_and(|m| m.size > 0),
            "-r" => self.vfs.access(path, vfs_core::Access::READ).is_ok(),
            "-w" => self.vfs.access(path, vfs_core::Access::WRITE).is_ok(),
            "-x" => self.vfs.access(path, vfs_core::Access::EXEC).is_ok(),
            "-u" => stat().is_some_and(|m| m.mode & 0o4000 != 0),
            "-g" => stat().is_some_and(|m| m.mode & 0o2000 != 0),
            "-k" => stat().is_some_and(|m| m.mode & 0o1000 != 0),
            "-O" => stat().is_some_and(|m| m.uid == self.vfs.cred().uid),
            "-G" => stat().is_some_and(|m| m.gid == self.vfs.cred().gid),
            "-N" => stat().is_some_and(|m| m.mtime > m.atime),
            "-b" | "-c" | "-p" | "-S" => false,
            _ => false,
        }
    }

    fn var_is_set(&self, name: &str) -> bool {
        if let Some((base, idx)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            return match self.lookup_ref(base).as_deref() {
                Some(Value::Indexed(m)) => idx.parse::<i64>().is_ok_and(|i| m.contains_key(&i)),
                Some(Value::Assoc(m)) => m.contains_key(idx),
                Some(Value::Scalar(_)) => idx == "0",
                None => false,
            };
        }
        match self.lookup_ref(name).as_deref() {
            Some(Value::Indexed(m)) => m.contains_key(&0),
            Some(Value::Assoc(m)) => m.contains_key("0"),
            Some(Value::Scalar(_)) => true,
            None => false,
        }
    }

    pub(super) fn option_enabled(&self, name: &str) -> bool {
        let o = &self.opts;
        match name {
            "errexit" => o.errexit,
            "nounset" => o.nounset,
            "xtrace" => o.xtrace,
            "noglob" => o.noglob,
            "noclobber" => o.noclobber,
            "pipefail" => o.pipefail,
            "allexport" => o.allexport,
            "verbose" => o.verbose,
            "noexec" => o.noexec,
            "braceexpand" => !o.nobraceexpand,
            "errtrace" => o.errtrace,
            "functrace" => o.functrace,
            other => o.remembered(other).unwrap_or(false),
        }
    }

    /// A unary test (`-f x`, `-z s`...).
    pub(super) fn unary_test(&self, op: &str, arg: &str) -> Result<bool, String> {
        Ok(match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-v" => self.var_is_set(arg),
            "-R" => self.vars.get(arg).is_some_and(|v| v.has(attr::NAMEREF)),
            "-o" => self.option_enabled(arg),
            "-t" => false,
            "-e" | "-a" | "-f" | "-d" | "-h" | "-L" | "-s" | "-r" | "-w" | "-x" | "-u" | "-g"
            | "-k" | "-O" | "-G" | "-N" | "-b" | "-c" | "-p" | "-S" => self.file_test(op, arg),
            _ => return Err(format!("{op}: unary operator expected")),
        })
    }

    fn arith_operand(&mut self, s: &str, in_test: bool) -> Result<i64, String> {
        if in_test {
            let t = s.trim();
            let (neg, digits) = match t.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, t.strip_prefix('+').unwrap_or(t)),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("{s}: integer expression expected"));
            }
            let v: i64 = digits
                .parse()
                .map_err(|_| format!("{s}: integer expression expected"))?;
            return Ok(if neg { -v } else { v });
        }
        self.eval_arith_text_expanded(s)
    }

    /// A binary test; `in_test` selects `test`'s integer rules over `[[`'s arithmetic.
    pub(super) fn binary_test(
        &mut self,
        op: &str,
        l: &str,
        r: &str,
        in_test: bool,
    ) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => l == r,
            "!=" => l != r,
            "<" => l.as_bytes() < r.as_bytes(),
            ">" => l.as_bytes() > r.as_bytes(),
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let a = self.arith_operand(l, in_test)?;
                let b = self.arith_operand(r, in_test)?;
                match op {
                    "-eq" => a == b,
                    "-ne" => a != b,
                    "-lt" => a < b,
                    "-le" => a <= b,
                    "-gt" => a > b,
                    _ => a >= b,
                }
            }
            "-nt" | "-ot" => {
                let a = self.vfs.stat(l).ok().map(|m| m.mtime);
                let b = self.vfs.stat(r).ok().map(|m| m.mtime);
                match (a, b, op) {
                    (Some(a), Some(b), "-nt") => a > b,
                    (Some(a), Some(b), _) => a < b,
                    (Some(_), None, "-nt") => true,
                    (None, Some(_), "-ot") => true,
                    _ => false,
                }
            }
            "-ef" => match (self.vfs.stat(l), self.vfs.stat(r)) {
                (Ok(a), Ok(b)) => a.ino == b.ino,
                _ => false,
            },
            _ => return Err(format!("{op}: binary operator expected")),
        })
    }

    fn ext_word(&mut self, w: &brush_parser::ast::Word) -> Result<String, ExpandError> {
        self.expand_word_nosplit(&w.value)
    }

    /// `set -x` for one test of `[[ ... ]]`, as bash prints each it evaluates:
    /// `[[ ! -n word ]]`, operands unquoted (an empty one as `''`).
    fn trace_cond(&self, negated: bool, parts: &[&str]) {
        if !self.opts.xtrace {
            return;
        }
        let mut line = self.xtrace_prefix();
        line.push_str("[[ ");
        if negated {
            line.push_str("! ");
        }
        for p in parts {
            line.push_str(if p.is_empty() { "''" } else { p });
            line.push(' ');
        }
        line.push_str("]]\n");
        let _ = self.write_fd(2, line.as_bytes());
    }

    fn eval_ext(&mut self, e: &ExtendedTestExpr) -> Result<bool, ExpandError> {
        self.eval_ext_term(e, false)
    }

    /// Evaluate `e`; `negated` when it is the operand of a `!` (for the trace only).
    fn eval_ext_term(&mut self, e: &ExtendedTestExpr, negated: bool) -> Result<bool, ExpandError> {
        Ok(match e {
            ExtendedTestExpr::And(a, b) => self.eval_ext(a)? && self.eval_ext(b)?,
            ExtendedTestExpr::Or(a, b) => self.eval_ext(a)? || self.eval_ext(b)?,
            ExtendedTestExpr::Not(a) => !self.eval_ext_term(a, true)?,
            ExtendedTestExpr::Parenthesized(a) => self.eval_ext(a)?,
            ExtendedTestExpr::UnaryTest(p, w) => {
                let arg = self.ext_word(w)?;
                let op = p.to_string();
                self.trace_cond(negated, &[&op, &arg]);
                self.unary_test(&op, &arg)
                    .map_err(|m| ExpandError::Status(m, 2))?
            }
            ExtendedTestExpr::BinaryTest(p, l, r) => {
                let lv = self.ext_word(l)?;
                let op = p.to_string();
                match p {
                    BinaryPredicate::StringExactlyMatchesPattern
                    | BinaryPredicate::StringDoesNotExactlyMatchPattern => {
                        let (pat, shown) = self.expand_pattern_shown(&r.value)?;
                        self.trace_cond(negated, &[&lv, &op, &shown]);
                        let m = self.pattern_matches(&pat, &lv, self.opts.nocasematch);
                        m == matches!(p, BinaryPredicate::StringExactlyMatchesPattern)
                    }
                    // brush-parser names `=~ "quoted"` a substring test; bash runs it as a
                    // regular expression whose quoted parts match literally.
                    BinaryPredicate::StringMatchesRegex
                    | BinaryPredicate::StringContainsSubstring => {
                        let re = self.expand_regex(&r.value)?;
                        if self.opts.xtrace {
                            let shown = self.expand_word_nosplit(&r.value)?;
                            self.trace_cond(negated, &[&lv, &op, &shown]);
                        }
                        return self.regex_match(&lv, &re);
                    }
                    _ => {
                        let rv = self.ext_word(r)?;
                        self.trace_cond(negated, &[&lv, &op, &rv]);
                        match self.binary_test(&p.to_string(), &lv, &rv, false) {
                            Ok(b) => b,
                            Err(m) => {
                                return Err(match self.arith_failure(m) {
                                    ExpandError::Abort(m) => ExpandError::Abort(format!("[[: {m}")),
                                    fatal => fatal,
                                });
                            }
                        }
                    }
                }
            }
        })
    }

    /// The right side of `=~`: quoted parts match literally.
    fn expand_regex(&mut self, w: &str) -> Result<String, ExpandError> {
        self.expand_regex_word(w)
    }

    fn regex_match(&mut self, s: &str, re: &str) -> Result<bool, ExpandError> {
        let pattern = if self.opts.nocasematch {
            format!("(?i){re}")
        } else {
            re.to_string()
        };
        let compiled = match regex::Regex::new(&pattern) {
            Ok(r) => r,
            Err(_) => return Err(ExpandError::Status(String::new(), 2)),
        };
        match compiled.captures(s) {
            Some(caps) => {
                let mut m = std::collections::BTreeMap::new();
                for (i, c) in caps.iter().enumerate() {
                    m.insert(
                        i as i64,
                        c.map_or(String::new(), |c| c.as_str().to_string()),
                    );
                }
                let v = self.vars.entry("BASH_REMATCH");
                v.value = Some(Value::Indexed(m));
                Ok(true)
            }
            None => {
                let v = self.vars.entry("BASH_REMATCH");
                v.value = Some(Value::Indexed(Default::default()));
                Ok(false)
            }
        }
    }

    /// Run `[[ expr ]]`.
    pub(super) fn eval_extended_test(&mut self, e: &ExtendedTestExpr) -> Exec {
        match self.eval_ext(e) {
            Ok(b) => Ok(i32::from(!b)),
            Err(ExpandError::Status(m, s)) => {
                if !m.is_empty() {
                    self.error(&m);
                }
                Ok(s)
            }
            Err(e) => self.expansion_failed(e),
        }
    }

    /// The `test` / `[` builtin on expanded arguments: 0 true, 1 false, 2 error.
    pub(super) fn test_builtin(&mut self, args: &[String], name: &str) -> i32 {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        if name == "[" {
            if args.last() != Some(&"]") {
                self.error("[: missing `]'");
                return 2;
            }
            args.pop();
        }
        match self.test_eval(&args) {
            Ok(b) => i32::from(!b),
            Err(m) => {
                self.error(&format!("{name}: {m}"));
                2
            }
        }
    }

    fn test_eval(&mut self, a: &[&str]) -> Result<bool, String> {
        match a.len() {
            0 => Ok(false),
            1 => Ok(!a[0].is_empty()),
            2 => {
                if a[0] == "!" {
                    return Ok(a[1].is_empty());
                }
                if is_unary(a[0]) {
                    return self.unary_test(a[0], a[1]);
                }
                Err(format!("{}: unary operator expected", a[0]))
            }
            3 => {
                if is_binary(a[1]) {
                    return self.binary_test(a[1], a[0], a[2], true);
                }
                if a[1] == "-a" {
                    return Ok(!a[0].is_empty() && !a[2].is_empty());
                }
                if a[1] == "-o" {
                    return Ok(!a[0].is_empty() || !a[2].is_empty());
                }
                if a[0] == "!" {
                    return Ok(!self.test_eval(&a[1..])?);
                }
                if a[0] == "(" && a[2] == ")" {
                    return Ok(!a[1].is_empty());
                }
                Err(format!("{}: binary operator expected", a[1]))
            }
            4 => {
                if a[0] == "!" {
                    return Ok(!self.test_eval(&a[1..])?);
                }
                if a[0] == "(" && a[3] == ")" {
                    return self.test_eval(&a[1..3]);
                }
                self.test_expr_full(a)
            }
            _ => self.test_expr_full(a),
        }
    }

    /// General `test` grammar: or := and (-o and)*; and := not (-a not)*; not := ! not | primary.
    fn test_expr_full(&mut self, a: &[&str]) -> Result<bool, String> {
        let mut pos = 0;
        let v = self.t_or(a, &mut pos)?;
        if pos < a.len() {
            return Err("too many arguments".into());
        }
        Ok(v)
    }

    fn t_or(&mut self, a: &[&str], pos: &mut usize) -> Result<bool, String> {
        let mut v = self.t_and(a, pos)?;
        while *pos < a.len() && a[*pos] == "-o" {
            *pos += 1;
            let r = self.t_and(a, pos)?;
            v = v || r;
        }
        Ok(v)
    }

    fn t_and(&mut self, a: &[&str], pos: &mut usize) -> Result<bool, String> {
        let mut v = self.t_not(a, pos)?;
        while *pos < a.len() && a[*pos] == "-a" {
            *pos += 1;
            let r = self.t_not(a, pos)?;
            v = v && r;
        }
        Ok(v)
    }

    fn t_not(&mut self, a: &[&str], pos: &mut usize) -> Result<bool, String> {
        if *pos < a.len() && a[*pos] == "!" {
            *pos += 1;
            return Ok(!self.t_not(a, pos)?);
        }
        self.t_primary(a, pos)
    }

    fn t_primary(&mut self, a: &[&str], pos: &mut usize) -> Result<bool, String> {
        let Some(&first) = a.get(*pos) else {
            return Err("argument expected".into());
        };
        if first == "(" {
            *pos += 1;
            let v = self.t_or(a, pos)?;
            if a.get(*pos) != Some(&")") {
                return Err("`)' expected".into());
            }
            *pos += 1;
            return Ok(v);
        }
        if let Some(&op) = a.get(*pos + 1)
            && is_binary(op)
            && *pos + 2 < a.len()
        {
            let r = self.binary_test(op, first, a[*pos + 2], true);
            *pos += 3;
            return r;
        }
        if is_unary(first) && *pos + 1 < a.len() {
            let r = self.unary_test(first, a[*pos + 1]);
            *pos += 2;
            return r;
        }
        *pos += 1;
        Ok(!first.is_empty())
    }
}

fn is_unary(op: &str) -> bool {
    matches!(
        op,
        "-z" | "-n"
            | "-v"
            | "-R"
            | "-o"
            | "-t"
            | "-e"
            | "-a"
            | "-f"
            | "-d"
            | "-h"
            | "-L"
            | "-s"
            | "-r"
            | "-w"
            | "-x"
            | "-u"
            | "-g"
            | "-k"
            | "-O"
            | "-G"
            | "-N"
            | "-b"
            | "-c"
            | "-p"
            | "-S"
    )
}

fn is_binary(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

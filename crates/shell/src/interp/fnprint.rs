//! Function definitions printed the way bash prints them (`declare -f`, `type`): bash
//! does not keep the source text; it regenerates it from the parsed command with the
//! rules of its `print_cmd.c`: four-space indentation, `;` after every command of a
//! nested list, `elif` turned into `else if`, here-document bodies after the line that
//! uses them, `$'...'` shown single-quoted.

use brush_parser::ast;

/// The text `declare -f NAME` prints for `f` (without the final newline).
pub fn function_text(f: &ast::FunctionDefinition) -> String {
    let mut p = Printer::default();
    p.function(f, true);
    p.out
}

/// The text `jobs` shows for a background command (without the final ` &`).
pub fn and_or_text(a: &ast::AndOrList) -> String {
    let mut p = Printer {
        flat: true,
        ..Printer::default()
    };
    p.and_or(a);
    p.out
}

/// The text of one command (`jobs` shows a coprocess as `coproc NAME TEXT`).
pub fn command_text(c: &ast::Command) -> String {
    let mut p = Printer {
        flat: true,
        ..Printer::default()
    };
    p.command(c);
    p.out
}

/// A simple command as bash prints it, here-document bodies included (`BASH_COMMAND`).
pub fn simple_text(s: &ast::SimpleCommand) -> String {
    let mut p = Printer::default();
    p.simple(s);
    p.deferred_heredocs();
    p.out
}

/// A `[[ ]]` command as bash prints it.
pub fn cond_text(e: &ast::ExtendedTestExpr) -> String {
    let mut p = Printer::default();
    p.put("[[ ");
    p.cond(e);
    p.put(" ]]");
    p.out
}

/// The head of a `for` or `select` loop: `for x in a "$b"`.
pub fn loop_head_text(keyword: &str, f: &ast::ForClauseCommand) -> String {
    let mut p = Printer::default();
    p.loop_head(keyword, f);
    p.out
}

#[derive(Default)]
struct Printer<'a> {
    out: String,
    indent: usize,
    /// Here-documents whose bodies wait for the end of the current line.
    deferred: Vec<&'a ast::IoHereDocument>,
    /// Bash's `was_heredoc`: the `;` after the command following a here-document is
    /// dropped.
    was_heredoc: bool,
    /// Outside a function definition (bash's `inside_function_def == 0`, as `jobs`
    /// prints): lists, groups and subshells stay on one line.
    flat: bool,
}

impl<'a> Printer<'a> {
    fn put(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn indent(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    /// A newline, the indentation, then `s`.
    fn newline(&mut self, s: &str) {
        self.put("\n");
        self.indent();
        self.put(s);
    }

    /// A `;` unless the text ends with `&` or a newline.
    fn semicolon(&mut self) {
        if !self.out.ends_with('&') && !self.out.ends_with('\n') {
            self.put(";");
        }
    }

    fn deferred_heredocs(&mut self) {
        if self.deferred.is_empty() {
            return;
        }
        for h in std::mem::take(&mut self.deferred) {
            self.put("\n");
            let mut body = h.doc.value.clone();
            if h.remove_tabs {
                body = body
                    .split_inclusive('\n')
                    .map(|l| l.trim_start_matches('\t'))
                    .collect();
            }
            self.put(&body);
            self.put(h.here_end.value.trim_matches(|c| c == '\'' || c == '"'));
            self.put("\n");
        }
        self.was_heredoc = true;
    }

    fn function(&mut self, f: &'a ast::FunctionDefinition, top: bool) {
        let flat = std::mem::replace(&mut self.flat, false);
        self.function_def(f, top);
        self.flat = flat;
    }

    fn function_def(&mut self, f: &'a ast::FunctionDefinition, top: bool) {
        if !top {
            self.put("function ");
        }
        self.put(&f.fname.value);
        self.put(" () \n");
        self.indent();
        self.put("{ \n");
        self.indent += 1;
        self.indent();
        match &f.body.0 {
            ast::CompoundCommand::BraceGroup(g) => self.list(&g.list),
            other => self.compound(other),
        }
        self.deferred_heredocs();
        self.indent -= 1;
        self.newline("}");
        if let Some(r) = &f.body.1 {
            self.redirects(&r.0);
        }
    }

    /// Items of a list; the caller has printed the indentation for the first.
    fn list(&mut self, l: &'a ast::CompoundList) {
        let n = l.0.len();
        for (i, item) in l.0.iter().enumerate() {
            self.and_or(&item.0);
            let last = i + 1 == n;
            match item.1 {
                ast::SeparatorOperator::Async => {
                    self.put(" &");
                    if !last {
                        self.put(" ");
                    }
                }
                ast::SeparatorOperator::Sequence if !last => {
                    if !self.deferred.is_empty() {
                        self.deferred_heredocs();
                    } else if self.was_heredoc {
                        self.was_heredoc = false;
                    } else {
                        self.put(";");
                    }
                    if self.flat {
                        self.put(" ");
                    } else {
                        self.put("\n");
                        self.indent();
                    }
                }
                ast::SeparatorOperator::Sequence => {}
            }
        }
    }

    fn and_or(&mut self, a: &'a ast::AndOrList) {
        self.pipeline(&a.first);
        for x in &a.additional {
            match x {
                ast::AndOr::And(p) => {
                    self.put(" && ");
                    self.pipeline(p);
                }
                ast::AndOr::Or(p) => {
                    self.put(" || ");
                    self.pipeline(p);
                }
            }
        }
    }

    fn pipeline(&mut self, p: &'a ast::Pipeline) {
        if let Some(t) = &p.timed {
            self.put(if t.is_posix_output() {
                "time -p "
            } else {
                "time "
            });
        }
        if p.bang {
            self.put("! ");
        }
        for (i, c) in p.seq.iter().enumerate() {
            if i > 0 {
                self.put(" | ");
            }
            self.command(c);
        }
    }

    fn command(&mut self, c: &'a ast::Command) {
        match c {
            ast::Command::Simple(s) => self.simple(s),
            ast::Command::Compound(cc, r) => {
                self.compound(cc);
                if let Some(r) = r {
                    self.redirects(&r.0);
                }
            }
            ast::Command::Function(f) => self.function(f, false),
            ast::Command::ExtendedTest(e, r) => {
                self.put("[[ ");
                self.cond(&e.expr);
                self.put(" ]]");
                if let Some(r) = r {
                    self.redirects(&r.0);
                }
            }
        }
    }

    fn cond(&mut self, e: &ast::ExtendedTestExpr) {
        match e {
            ast::ExtendedTestExpr::And(a, b) => {
                self.cond(a);
                self.put(" && ");
                self.cond(b);
            }
            ast::ExtendedTestExpr::Or(a, b) => {
                self.cond(a);
                self.put(" || ");
                self.cond(b);
            }
            ast::ExtendedTestExpr::Not(a) => {
                self.put("! ");
                self.cond(a);
            }
            ast::ExtendedTestExpr::Parenthesized(a) => {
                self.put("( ");
                self.cond(a);
                self.put(" )");
            }
            ast::ExtendedTestExpr::UnaryTest(p, w) => {
                self.put(&format!("{p} "));
                self.put(&word_text(&w.value));
            }
            ast::ExtendedTestExpr::BinaryTest(p, l, r) => {
                self.put(&word_text(&l.value));
                self.put(&format!(" {p} "));
                self.put(&word_text(&r.value));
            }
        }
    }

    fn simple(&mut self, s: &'a ast::SimpleCommand) {
        let mut first = true;
        let mut sep = |p: &mut Self| {
            if !first {
                p.put(" ");
            }
            first = false;
        };
        let items = s
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .map(Some)
            .chain(std::iter::once(None))
            .chain(s.suffix.iter().flat_map(|p| p.0.iter()).map(Some));
        for item in items {
            match item {
                None => {
                    if let Some(w) = &s.word_or_name {
                        sep(self);
                        self.put(&word_text(&w.value));
                    }
                }
                Some(ast::CommandPrefixOrSuffixItem::IoRedirect(r)) => {
                    sep(self);
                    self.redirect(r);
                }
                Some(ast::CommandPrefixOrSuffixItem::Word(w)) => {
                    sep(self);
                    self.put(&word_text(&w.value));
                }
                Some(ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w)) => {
                    sep(self);
                    self.put(&word_text(&w.value));
                }
                Some(ast::CommandPrefixOrSuffixItem::ProcessSubstitution(k, sub)) => {
                    sep(self);
                    self.put(&format!("{k}("));
                    self.list(&sub.list);
                    self.put(")");
                }
            }
        }
    }

    fn redirects(&mut self, rs: &'a [ast::IoRedirect]) {
        for r in rs {
            self.put(" ");
            self.redirect(r);
        }
    }

    fn redirect(&mut self, r: &'a ast::IoRedirect) {
        // bash's `print_redirection_list` clears `was_heredoc`.
        self.was_heredoc = false;
        self.redirect_with_fd(r, true);
    }

    /// A redirection; without its descriptor number when `show_fd` is false (after
    /// `{varname}`).
    fn redirect_with_fd(&mut self, r: &'a ast::IoRedirect, show_fd: bool) {
        use ast::IoFileRedirectKind as K;
        match r {
            ast::IoRedirect::File(fd, kind, target) => {
                let t = match target {
                    ast::IoFileRedirectTarget::Filename(w)
                    | ast::IoFileRedirectTarget::Duplicate(w) => word_text(&w.value),
                    ast::IoFileRedirectTarget::Fd(n) => n.to_string(),
                    ast::IoFileRedirectTarget::ProcessSubstitution(k, sub) => {
                        format!("{k}({})", sub.list)
                    }
                };
                let (default_fd, op, spaced) = match kind {
                    K::Read => (0, "<", true),
                    K::Write => (1, ">", true),
                    K::Append => (1, ">>", true),
                    K::ReadAndWrite => (0, "<>", true),
                    K::Clobber => (1, ">|", true),
                    K::DuplicateInput => (0, "<&", false),
                    K::DuplicateOutput => (1, ">&", false),
                };
                let fd = fd.unwrap_or(default_fd);
                if spaced {
                    if fd != default_fd && show_fd {
                        self.put(&fd.to_string());
                    }
                    self.put(&format!("{op} {t}"));
                } else if show_fd {
                    self.put(&format!("{fd}{op}{t}"));
                } else {
                    self.put(&format!("{op}{t}"));
                }
            }
            ast::IoRedirect::OutputAndError(w, append) => {
                self.put(if *append { "&>> " } else { "&> " });
                self.put(&word_text(&w.value));
            }
            ast::IoRedirect::HereString(fd, w) => {
                if let Some(fd) = fd.filter(|&f| f != 0) {
                    self.put(&fd.to_string());
                }
                self.put("<<< ");
                self.put(&word_text(&w.value));
            }
            ast::IoRedirect::HereDocument(fd, h) => {
                if let Some(fd) = fd.filter(|&f| f != 0) {
                    self.put(&fd.to_string());
                }
                self.put(if h.remove_tabs { "<<-" } else { "<<" });
                self.put(&h.here_end.value);
                self.deferred.push(h);
            }
            ast::IoRedirect::NamedFd(name, inner) => {
                self.put(&format!("{{{name}}}"));
                self.redirect_with_fd(inner, false);
            }
        }
    }

    /// A body at one more level of indentation, with bash's trailing `;`.
    fn body(&mut self, l: &'a ast::CompoundList) {
        self.indent += 1;
        self.indent();
        self.list(l);
        self.deferred_heredocs();
        self.indent -= 1;
    }

    fn compound(&mut self, c: &'a ast::CompoundCommand) {
        use ast::CompoundCommand as C;
        match c {
            C::BraceGroup(g) if self.flat => {
                self.put("{ ");
                self.list(&g.list);
                self.deferred_heredocs();
                if !self.out.ends_with([';', '&', '\n']) {
                    self.put(";");
                }
                self.put(" }");
            }
            C::BraceGroup(g) => {
                self.put("{ \n");
                self.body(&g.list);
                self.newline("}");
            }
            C::Subshell(s) => {
                self.put("( ");
                self.list(&s.list);
                self.put(" )");
            }
            C::Arithmetic(a) => {
                // The text between the parentheses is kept as written, as bash does.
                self.put(&format!("(({}))", a.expr.value));
            }
            C::ArithmeticForClause(a) => {
                let part = |e: &Option<ast::UnexpandedArithmeticExpr>| {
                    e.as_ref()
                        .map_or(String::new(), |e| e.value.trim().to_string())
                };
                self.put(&format!(
                    "for (({}; {}; {}))",
                    part(&a.initializer),
                    part(&a.condition),
                    part(&a.updater)
                ));
                self.do_group(&a.body.list);
            }
            C::ForClause(f) | C::SelectClause(f) => {
                let keyword = if matches!(c, C::ForClause(_)) {
                    "for"
                } else {
                    "select"
                };
                self.loop_head(keyword, f);
                self.put(";");
                self.do_group(&f.body.list);
            }
            C::CaseClause(cc) => {
                self.put(&format!("case {} in ", word_text(&cc.value.value)));
                self.indent += 1;
                for item in &cc.cases {
                    self.newline("");
                    let pats: Vec<String> =
                        item.patterns.iter().map(|w| word_text(&w.value)).collect();
                    self.put(&pats.join(" | "));
                    self.put(")\n");
                    self.indent += 1;
                    if let Some(cmd) = &item.cmd {
                        self.indent();
                        self.list(cmd);
                    }
                    self.indent -= 1;
                    self.deferred_heredocs();
                    self.newline(match item.post_action {
                        ast::CaseItemPostAction::ExitCase => ";;",
                        ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem => ";&",
                        ast::CaseItemPostAction::ContinueEvaluatingCases => ";;&",
                    });
                }
                self.indent -= 1;
                self.newline("esac");
            }
            C::IfClause(i) => self.if_clause(&i.condition, &i.then, i.elses.as_deref()),
            C::WhileClause(w) => self.loop_clause("while", w),
            C::UntilClause(w) => self.loop_clause("until", w),
            C::Coprocess(c) => {
                let name = c.name.as_ref().map_or("COPROC", |w| w.value.as_str());
                self.put(&format!("coproc {name} "));
                self.command(&c.body);
            }
        }
    }

    fn loop_head(&mut self, keyword: &str, f: &ast::ForClauseCommand) {
        self.put(&format!("{keyword} {} in ", f.variable_name));
        match &f.values {
            Some(ws) => {
                let words: Vec<String> = ws.iter().map(|w| word_text(&w.value)).collect();
                self.put(&words.join(" "));
            }
            None => self.put("\"$@\""),
        }
    }

    fn do_group(&mut self, l: &'a ast::CompoundList) {
        self.newline("do\n");
        self.body(l);
        self.semicolon();
        self.newline("done");
    }

    fn loop_clause(&mut self, which: &str, w: &'a ast::WhileOrUntilClauseCommand) {
        self.put(which);
        self.put(" ");
        self.list(&w.0);
        self.deferred_heredocs();
        self.semicolon();
        self.put(" do\n");
        self.body(&w.1.list);
        self.semicolon();
        self.newline("done");
    }

    fn if_clause(
        &mut self,
        cond: &'a ast::CompoundList,
        then: &'a ast::CompoundList,
        elses: Option<&'a [ast::ElseClause]>,
    ) {
        self.put("if ");
        self.list(cond);
        self.semicolon();
        self.put(" then\n");
        self.body(then);
        if let Some((first, rest)) = elses.and_then(|e| e.split_first()) {
            self.semicolon();
            self.newline("else\n");
            match &first.condition {
                // `elif` is an `if` inside the `else`.
                Some(c) => {
                    self.indent += 1;
                    self.indent();
                    self.if_clause(c, &first.body, Some(rest));
                    self.deferred_heredocs();
                    self.indent -= 1;
                }
                None => self.body(&first.body),
            }
        }
        self.semicolon();
        self.newline("fi");
    }
}

/// A word as bash prints it: `$'...'` becomes its single-quoted value.
fn word_text(w: &str) -> String {
    if !w.contains("$'") {
        return w.to_string();
    }
    let b = w.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(w.len());
    let mut i = 0;
    let mut in_double = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                let end = (i + 2).min(b.len());
                out.extend_from_slice(&b[i..end]);
                i = end;
                continue;
            }
            b'"' => in_double = !in_double,
            b'\'' if !in_double => {
                let close = b[i + 1..].iter().position(|&x| x == b'\'');
                let end = close.map_or(b.len(), |p| i + 2 + p);
                out.extend_from_slice(&b[i..end]);
                i = end;
                continue;
            }
            b'$' if !in_double && b.get(i + 1) == Some(&b'\'') => {
                // Find the closing quote, skipping backslash escapes.
                let mut j = i + 2;
                while j < b.len() && b[j] != b'\'' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let inner = &b[i + 2..j.min(b.len())];
                let value = crate::printf::ansi_c_unquote(inner, true);
                out.push(b'\'');
                for &v in &value {
                    if v == b'\'' {
                        out.extend_from_slice(b"'\\''");
                    } else {
                        out.push(v);
                    }
                }
                out.push(b'\'');
                i = (j + 1).min(b.len());
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

//! Simple commands: expansion of words, assignments and redirections in bash's order,
//! then lookup (function, builtin, registered command, executable file in the VFS) and
//! execution.

use brush_parser::ast;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::expand::ExpandError;
use super::{Exec, Flow, Interp};
use crate::vars::{Value, attr};

/// A prefix assignment, expanded.
#[derive(Clone, Debug)]
pub struct PendingAssign {
    /// Variable name.
    pub name: String,
    /// Evaluated subscript for `name[i]=`.
    pub index: Option<String>,
    /// The value.
    pub value: AssignValue,
    /// `+=`.
    pub append: bool,
}

#[derive(Clone, Debug)]
pub enum AssignValue {
    /// `name=value`.
    Scalar(String),
    /// `name=(...)`: optional keys and values.
    Array(Vec<(Option<String>, String)>),
}

impl Interp {
    pub(super) fn expansion_failed(&mut self, e: ExpandError) -> Exec {
        match e {
            ExpandError::Flow(f) => Err(f),
            ExpandError::Fatal(msg, status) => {
                self.error(&msg);
                Err(Flow::Exit(status))
            }
            ExpandError::Abort(msg) => {
                self.error(&msg);
                self.last_status = 1;
                Err(Flow::Abort)
            }
            ExpandError::Status(msg, status) => {
                if !msg.is_empty() {
                    self.error(&msg);
                }
                self.finish(status)
            }
        }
    }

    /// The line bash gives a simple command (`LINENO`, messages, the base of an `eval`'s
    /// lines). bash's parser reads one token past the command word before it makes the
    /// command (the word might be a function's name), so a command word followed by a
    /// word that spans lines (`eval 'a<newline>b'`) is on that word's last line.
    fn line_of_simple(&mut self, s: &ast::SimpleCommand) {
        let word_line = s.prefix.is_none().then(|| {
            let word = s.word_or_name.as_ref()?.loc.as_ref()?;
            let next = s.suffix.as_ref().and_then(|x| match x.0.first()? {
                ast::CommandPrefixOrSuffixItem::Word(w)
                | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => w.loc.clone(),
                _ => None,
            });
            Some(next.map_or(word.end.line, |n| n.end.line))
        });
        if let Some(Some(line)) = word_line {
            self.lineno = self.line_base + line;
            return;
        }
        let loc = s
            .word_or_name
            .as_ref()
            .and_then(|w| w.loc.clone())
            .or_else(|| {
                s.prefix.as_ref().and_then(|p| {
                    p.0.iter().find_map(|i| match i {
                        ast::CommandPrefixOrSuffixItem::Word(w)
                        | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => w.loc.clone(),
                        _ => None,
                    })
                })
            });
        if let Some(l) = loc {
            self.lineno = self.line_base + l.start.line;
        }
    }

    pub(super) fn exec_simple(&mut self, s: &ast::SimpleCommand) -> Exec {
        self.line_of_simple(s);
        self.count_command()?;
        if self.opts.expand_aliases
            && let Some(w) = &s.word_or_name
            && let Some((value, line)) = self.aliases.get(&w.value).cloned()
            && line < self.lineno
            && !self.expanding_aliases.contains(&w.value)
        {
            // Expand the alias and run the resulting text in its place.
            let mut text = String::new();
            if let Some(p) = &s.prefix {
                text.push_str(&p.to_string());
                text.push(' ');
            }
            text.push_str(&value);
            // A value ending in a blank makes the next word an alias candidate too (and so
            // on while the substituted values end in blanks).
            let mut chain = value.ends_with([' ', '\t']);
            for item in s.suffix.iter().flat_map(|sfx| sfx.0.iter()) {
                text.push(' ');
                if chain
                    && let ast::CommandPrefixOrSuffixItem::Word(next) = item
                    && let Some((v, l)) = self.aliases.get(&next.value)
                    && *l < self.lineno
                    && !self.expanding_aliases.contains(&next.value)
                {
                    text.push_str(v);
                    chain = v.ends_with([' ', '\t']);
                    continue;
                }
                chain = false;
                text.push_str(&item.to_string());
            }
            self.expanding_aliases.push(w.value.clone());
            let r = self.eval_string(&text, "alias");
            self.expanding_aliases.pop();
            return r;
        }
        if self.tracing_commands() && self.debug_simple(s)? {
            return Ok(self.last_status);
        }
        let mut assigns: Vec<&ast::Assignment> = Vec::new();
        let mut redirs: Vec<&ast::IoRedirect> = Vec::new();
        let mut words: Vec<Cow<'_, ast::Word>> = Vec::new();
        if let Some(p) = &s.prefix {
            for item in &p.0 {
                match item {
                    ast::CommandPrefixOrSuffixItem::AssignmentWord(a, _) => assigns.push(a),
                    ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
                    ast::CommandPrefixOrSuffixItem::Word(w) => words.push(Cow::Borrowed(w)),
                    ast::CommandPrefixOrSuffixItem::ProcessSubstitution(k, sub) => {
                        match self.start_procsub(k, sub) {
                            Ok(n) => words.push(Cow::Owned(dev_fd_word(n))),
                            Err(status) => return self.finish(status),
                        }
                    }
                }
            }
        }
        if let Some(w) = &s.word_or_name {
            words.push(Cow::Borrowed(w));
        }
        // Words after the name; assignment-looking words there are arguments (for
        // declaration builtins they are expanded without splitting).
        let mut decl_words: Vec<(usize, &ast::Word)> = Vec::new();
        if let Some(sfx) = &s.suffix {
            for item in &sfx.0 {
                match item {
                    ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
                    ast::CommandPrefixOrSuffixItem::Word(w) => words.push(Cow::Borrowed(w)),
                    ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                        decl_words.push((words.len(), w));
                        words.push(Cow::Borrowed(w));
                    }
                    ast::CommandPrefixOrSuffixItem::ProcessSubstitution(k, sub) => {
                        match self.start_procsub(k, sub) {
                            Ok(n) => words.push(Cow::Owned(dev_fd_word(n))),
                            Err(status) => return self.finish(status),
                        }
                    }
                }
            }
        }
        // 1. Expand the words.
        self.cmdsub_status = None;
        let is_decl = words.first().is_some_and(|w| {
            matches!(
                w.value.as_str(),
                "declare" | "typeset" | "local" | "export" | "readonly"
            )
        });
        let mut argv: Vec<String> = Vec::new();
        self.decl_assigns.clear();
        let decl_asts: Vec<(usize, &ast::Assignment)> = s
            .suffix
            .iter()
            .flat_map(|sfx| sfx.0.iter())
            .filter_map(|i| match i {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => Some((a, w)),
                _ => None,
            })
            .filter_map(|(a, w)| {
                decl_words
                    .iter()
                    .find(|(_, dw)| std::ptr::eq(*dw, w))
                    .map(|(j, _)| (*j, a))
            })
            .collect();
        for (i, w) in words.iter().enumerate() {
            let r = if is_decl && decl_words.iter().any(|(j, _)| *j == i) {
                let a = decl_asts.iter().find(|(j, _)| *j == i).map(|(_, a)| *a);
                match a.map(|a| self.expand_assignment(a)) {
                    Some(Ok(p)) => {
                        let shown = match &p.value {
                            AssignValue::Scalar(v) => {
                                let idx = p
                                    .index
                                    .as_ref()
                                    .map(|i| format!("[{i}]"))
                                    .unwrap_or_default();
                                format!("{}{idx}{}{v}", p.name, if p.append { "+=" } else { "=" })
                            }
                            AssignValue::Array(_) => format!("{}=(...)", p.name),
                        };
                        self.decl_assigns.insert(argv.len(), p);
                        Ok(vec![shown])
                    }
                    Some(Err(e)) => Err(e),
                    None => self.expand_assignment_word(&w.value).map(|v| vec![v]),
                }
            } else {
                self.expand_word(&w.value)
            };
            match r {
                Ok(v) => argv.extend(v),
                Err(e) => return self.expansion_failed(e),
            }
            if argv.len() > self.shared.limits.max_array {
                return Err(self.shared.hit(crate::limits::Limit::ArraySize));
            }
        }
        // 2. Assignments only: they stay in the shell.
        if argv.is_empty() {
            let (undo, r) = self.redirect_undoable(&redirs);
            self.undo_redirects(undo);
            if let Err(status) = r {
                return self.finish(status);
            }
            for a in &assigns {
                let pa = match self.expand_assignment(a) {
                    Ok(p) => p,
                    Err(e) => return self.expansion_failed(e),
                };
                self.xtrace_assign(&pa);
                if let Err(msg) = self.perform_assign(&pa) {
                    if let Some(f) = self.arith_unbound_exit(&msg) {
                        return Err(f);
                    }
                    if !msg.is_empty() {
                        self.error(&msg);
                    }
                    // bash: assignment to a readonly variable aborts the command list.
                    self.last_status = 1;
                    return Err(Flow::Abort);
                }
            }
            let status = self.cmdsub_status.unwrap_or(0);
            return self.finish(status);
        }
        // 3. Redirections.
        let (undo, applied) = self.redirect_undoable(&redirs);
        if let Err(status) = applied {
            self.undo_redirects(undo);
            return self.finish(status);
        }
        // 4. Prefix assignments become the command's environment.
        let mut temp: Vec<PendingAssign> = Vec::new();
        for a in &assigns {
            match self.expand_assignment(a) {
                Ok(p) => temp.push(p),
                Err(e) => {
                    self.undo_redirects(undo);
                    return self.expansion_failed(e);
                }
            }
        }
        if self.opts.xtrace {
            for p in &temp {
                self.xtrace_assign(p);
            }
            self.xtrace(&argv);
        }
        self.keep_redirects = false;
        let last = argv.last().cloned();
        let r = self.run_argv(argv, temp);
        self.last_arg = last;
        // `exec` keeps its redirections.
        if !std::mem::take(&mut self.keep_redirects) {
            self.undo_redirects(undo);
        }
        let status = r?;
        self.finish(status)
    }

    /// `PS4`, its first character repeated once more per level of command substitution
    /// or subshell.
    pub(super) fn xtrace_prefix(&self) -> String {
        let ps4 = self.get_scalar("PS4").unwrap_or_default();
        match ps4.chars().next() {
            Some(c) => format!("{}{ps4}", c.to_string().repeat(self.cmdsub_depth)),
            None => ps4,
        }
    }

    /// Print a `set -x` line.
    pub(super) fn xtrace(&self, argv: &[String]) {
        if !self.opts.xtrace {
            return;
        }
        let mut line = self.xtrace_prefix();
        for (i, a) in argv.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            line.push_str(&xtrace_quote(a));
        }
        line.push('\n');
        let _ = self.write_fd(2, line.as_bytes());
    }

    fn xtrace_assign(&self, p: &PendingAssign) {
        if !self.opts.xtrace {
            return;
        }
        if let AssignValue::Scalar(v) = &p.value {
            let ps4 = self.xtrace_prefix();
            let op = if p.append { "+=" } else { "=" };
            let line = format!("{ps4}{}{op}{}\n", p.name, xtrace_quote(v));
            let _ = self.write_fd(2, line.as_bytes());
        }
    }

    /// Run an expanded command line with temporary assignments.
    pub(super) fn run_argv(&mut self, argv: Vec<String>, temp: Vec<PendingAssign>) -> Exec {
        let name = argv[0].clone();
        if !name.contains('/') {
            if let Some(f) = self.funcs.get(&name).cloned() {
                return self.with_temp_vars(temp, |it| it.call_function(f, argv[1..].to_vec()));
            }
            if self.builtin_enabled(&name) {
                let r = self.with_temp_vars(temp, |it| it.run_builtin(&argv));
                if std::mem::take(&mut self.broken_pipe) {
                    // The shell itself wrote to a pipe with no reader: SIGPIPE ends it.
                    return Err(Flow::Exit(141));
                }
                return r;
            }
        }
        self.run_external(argv, temp)
    }

    /// Run a registered command or an executable file (no function/builtin lookup).
    pub(super) fn run_external(&mut self, argv: Vec<String>, temp: Vec<PendingAssign>) -> Exec {
        // bash forks for it, and reaps finished children.
        self.reap_point();
        let name = argv[0].clone();
        let mut env: BTreeMap<String, String> = self.vars.exported().into_iter().collect();
        for p in &temp {
            if let AssignValue::Scalar(v) = &p.value {
                let v = if p.append {
                    format!("{}{v}", self.get_scalar(&p.name).unwrap_or_default())
                } else {
                    v.clone()
                };
                env.insert(p.name.clone(), v);
            }
        }
        let reg_name = self.registered_name(&name);
        // A builtin turned off with `enable -n` that coreutils also installs.
        let disabled_standalone = !name.contains('/')
            && super::builtins::is_builtin(&name)
            && super::tables::STANDALONE.contains(&name.as_str());
        if (name.contains('/') || disabled_standalone)
            && let Some(base) = reg_name
            && matches!(
                base,
                "echo" | "test" | "[" | "true" | "false" | "pwd" | "kill"
            )
        {
            // Coreutils' standalone versions of these builtins behave the same.
            let mut argv = argv;
            argv[0] = base.to_string();
            if base == "pwd" && argv.len() == 1 {
                argv.push("-P".into());
            }
            return self.with_temp_vars(temp, |it| it.run_builtin(&argv));
        }
        if !name.contains('/') && reg_name.is_some_and(|r| self.shared.registry.get(r).is_some()) {
            self.hash_hit(&name, &format!("/usr/bin/{name}"));
        }
        if let Some(reg_name) = reg_name
            && let Some(cmd) = self.shared.registry.get(reg_name)
        {
            let registry = Arc::clone(&self.shared.registry);
            let _keep = registry;
            let stdin = self.fds.get(&0).cloned().unwrap_or(crate::io::Fd::Closed);
            let stdout = self.fds.get(&1).cloned().unwrap_or(crate::io::Fd::Closed);
            let stderr = self.fds.get(&2).cloned().unwrap_or(crate::io::Fd::Closed);
            let this: &Interp = self;
            // Commands that run commands (env, timeout, xargs, find -exec) start them as
            // a child shell process would: a copy of this shell, its own descriptors.
            let runner = |argv: &[String],
                          env: &BTreeMap<String, String>,
                          fds: [&crate::io::Fd; 3]|
             -> i32 {
                if argv.is_empty() {
                    return 0;
                }
                let mut sub = this.subshell_clone();
                for name in sub.vars.names() {
                    if sub.vars.get(&name).is_some_and(|v| v.has(attr::EXPORT)) {
                        sub.vars.remove(&name);
                    }
                }
                for (k, v) in env {
                    let var = sub.vars.entry(k);
                    var.value = Some(Value::Scalar(v.clone()));
                    var.attrs |= attr::EXPORT;
                }
                sub.fds.insert(0, fds[0].clone());
                sub.fds.insert(1, fds[1].clone());
                sub.fds.insert(2, fds[2].clone());
                // A program run this way is never a builtin; the programs standing in
                // for builtins behave alike, except coreutils' `printf`.
                let r = if super::builtins::is_builtin(&argv[0])
                    && !matches!(argv[0].as_str(), "exit" | "return" | "printf")
                {
                    sub.run_builtin(argv)
                } else {
                    sub.run_external(argv.to_vec(), Vec::new())
                };
                let status = sub.exit_status_of(r);
                sub.fds.clear();
                status
            };
            let mut ctx = crate::commands::Ctx {
                args: &argv,
                vfs: &self.vfs,
                env: &env,
                stdin: &stdin,
                stdout: &stdout,
                stderr: &stderr,
                cancel: &self.cancel,
                deadline: Some(*self.shared.deadline.lock()),
                run: &runner,
            };
            // Descriptors above 2 (process substitutions, `exec 3<`) are visible to the
            // command as /dev/fd/N.
            let extra: Vec<(i32, crate::io::Fd)> =
                this.fds.range(3..).map(|(k, v)| (*k, v.clone())).collect();
            let status = if extra.is_empty() {
                cmd.run(&mut ctx)
            } else {
                crate::commands::with_fds(extra, || cmd.run(&mut ctx))
            };
            if let Some(l) = *self.shared.limit_hit.lock() {
                return Err(Flow::Limit(l));
            }
            // A command that ran into the time limit (a `sleep` stops there) ends the
            // script as the next check would.
            if std::time::Instant::now() >= *self.shared.deadline.lock() {
                return Err(self.shared.hit(crate::limits::Limit::Time));
            }
            return Ok(status);
        }
        // An executable file in the VFS.
        let path = if name.contains('/') {
            Some(name.clone())
        } else {
            self.find_in_path(&name)
        };
        // Like bash, a non-executable file found in PATH is still "run" (and fails
        // with status 126) when no executable one is.
        let path = path.or_else(|| self.find_in_path_any(&name));
        let Some(path) = path else {
            self.error(&format!("{name}: command not found"));
            return Ok(127);
        };
        if !name.contains('/') {
            self.hash_hit(&name, &path);
        }
        self.run_file(&path, &name, argv, env)
    }

    /// The registered command that `name` runs: the name itself, or for a path such as
    /// `/usr/bin/cat` or `/bin/sort` (where `type` says the commands live) with no file
    /// of its own in the VFS, its last component.
    fn registered_name<'n>(&self, name: &'n str) -> Option<&'n str> {
        let Some((dir, base)) = name.rsplit_once('/') else {
            return Some(name);
        };
        let dir = dir.trim_end_matches('/');
        let standard = matches!(
            dir,
            "/usr/bin" | "/bin" | "/usr/local/bin" | "/usr/sbin" | "/sbin"
        );
        (standard && !base.is_empty() && self.vfs.lstat(name).is_err()).then_some(base)
    }

    /// Search `PATH` in the VFS for an executable regular file.
    pub(super) fn find_in_path(&self, name: &str) -> Option<String> {
        let path = self.get_scalar("PATH")?;
        for dir in path.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let cand = format!("{}/{name}", dir.trim_end_matches('/'));
            if let Ok(m) = self.vfs.stat(&cand)
                && m.is_file()
                && m.mode & 0o111 != 0
            {
                return Some(cand);
            }
        }
        None
    }

    /// The first regular file named `name` in a `PATH` directory, executable or not.
    pub(super) fn find_in_path_any(&self, name: &str) -> Option<String> {
        if name.contains('/') {
            return None;
        }
        let path = self.get_scalar("PATH")?;
        for dir in path.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let cand = format!("{}/{name}", dir.trim_end_matches('/'));
            if let Ok(m) = self.vfs.stat(&cand)
                && m.is_file()
            {
                return Some(cand);
            }
        }
        None
    }

    fn run_file(
        &mut self,
        path: &str,
        name: &str,
        argv: Vec<String>,
        env: BTreeMap<String, String>,
    ) -> Exec {
        let meta = match self.vfs.stat(path) {
            Ok(m) => m,
            Err(e) => {
                self.error(&format!("{name}: {}", e.errno()));
                return Ok(127);
            }
        };
        if meta.is_dir() {
            self.error(&format!("{name}: Is a directory"));
            return Ok(126);
        }
        if meta.mode & 0o111 == 0 || self.vfs.access(path, vfs_core::Access::EXEC).is_err() {
            self.error(&format!("{name}: Permission denied"));
            return Ok(126);
        }
        let data = match self.vfs.read(path) {
            Ok(d) => d,
            Err(e) => {
                self.error(&format!("{name}: {}", e.errno()));
                return Ok(126);
            }
        };
        if let Some(rest) = data.strip_prefix(b"#!") {
            let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let line = String::from_utf8_lossy(&rest[..line_end])
                .trim()
                .to_string();
            let mut parts = line.split_whitespace();
            let interp = parts.next().unwrap_or("");
            let mut base = interp.rsplit('/').next().unwrap_or(interp).to_string();
            if base == "env" {
                base = parts.next().unwrap_or("").to_string();
            }
            if base != "bash" && base != "sh" && self.shared.registry.get(&base).is_some() {
                // A registered interpreter (`#!/usr/bin/awk -f`, `#!/usr/bin/env sed -f`):
                // run it on the script as the kernel would.
                let mut new_argv: Vec<String> = vec![if interp.ends_with("/env") {
                    base.clone()
                } else {
                    interp.to_string()
                }];
                new_argv.extend(parts.map(str::to_string));
                new_argv.push(path.to_string());
                new_argv.extend(argv.into_iter().skip(1));
                let temp = env
                    .into_iter()
                    .map(|(name, v)| PendingAssign {
                        name,
                        index: None,
                        value: AssignValue::Scalar(v),
                        append: false,
                    })
                    .collect();
                return self.run_external(new_argv, temp);
            }
            if base != "bash" && base != "sh" {
                self.error(&format!(
                    "{name}: {interp}: bad interpreter: not supported in the sandbox"
                ));
                return Ok(126);
            }
            // `#!/bin/bash -e`: the kernel passes the rest of the line as one argument,
            // which bash takes as options.
            let rest: Vec<&str> = parts.collect();
            if !rest.is_empty() {
                let text = String::from_utf8_lossy(&data).into_owned();
                let opts = vec!["set".to_string(), rest.join(" ")];
                return Ok(self.run_nested_script_with(
                    &text,
                    path,
                    argv[1..].to_vec(),
                    env,
                    &opts,
                    false,
                ));
            }
        } else if data.contains(&0) {
            self.error(&format!(
                "{name}: cannot execute binary file: Exec format error"
            ));
            return Ok(126);
        }
        let text = String::from_utf8_lossy(&data).into_owned();
        Ok(self.run_nested_script(&text, path, argv[1..].to_vec(), env))
    }

    /// Run `text` as a new shell process (a script file, `bash -c`): a fresh interpreter
    /// on the same filesystem and descriptors, with the exported variables.
    pub(super) fn run_nested_script(
        &mut self,
        text: &str,
        arg0: &str,
        args: Vec<String>,
        env: BTreeMap<String, String>,
    ) -> i32 {
        self.run_nested_script_with(text, arg0, args, env, &[], false)
    }

    /// [`Interp::run_nested_script`], running the `set` command `set_opts` (when not
    /// empty) in the new shell first: options from a `#!` line. `dash_c`: the text came
    /// from `bash -c` (syntax errors say `NAME: -c:`, `$-` has `c`).
    pub(super) fn run_nested_script_with(
        &mut self,
        text: &str,
        arg0: &str,
        args: Vec<String>,
        env: BTreeMap<String, String>,
        set_opts: &[String],
        dash_c: bool,
    ) -> i32 {
        if self.subshell >= self.shared.limits.max_subshell_depth {
            self.error("maximum nesting of shells exceeded");
            let _ = self.shared.hit(crate::limits::Limit::SubshellDepth);
            return crate::limits::LIMIT_STATUS;
        }
        let mut child = super::Interp::new_child(self);
        for (k, v) in env {
            let var = child.vars.entry(&k);
            var.value = Some(Value::Scalar(v));
            var.attrs |= attr::EXPORT;
        }
        if let Some(lvl) = child
            .get_scalar("SHLVL")
            .and_then(|s| s.parse::<i64>().ok())
        {
            let var = child.vars.entry("SHLVL");
            var.value = Some(Value::Scalar((lvl + 1).to_string()));
        }
        child.arg0 = arg0.to_string();
        child.err_name = arg0.to_string();
        child.invoked_with_c = dash_c;
        child.positional = args;
        if !set_opts.is_empty() {
            match child.run_builtin(set_opts) {
                Ok(0) => {}
                Ok(status) | Err(super::Flow::Exit(status)) => return status,
                Err(_) => return 1,
            }
        }
        let text = text.to_string();
        let r = super::run_on_big_stack(move || child.run_script_text(&text));
        r.unwrap_or(1)
    }

    /// Set temporary variables around `f`, restoring them after.
    fn with_temp_vars(
        &mut self,
        temp: Vec<PendingAssign>,
        f: impl FnOnce(&mut Interp) -> Exec,
    ) -> Exec {
        if temp.is_empty() {
            return f(self);
        }
        let mut saved = Vec::new();
        for p in &temp {
            saved.push((p.name.clone(), self.vars.get(&p.name).cloned()));
        }
        for p in &temp {
            if let Err(msg) = self.perform_assign(p) {
                if !msg.is_empty() {
                    self.error(&msg);
                }
            } else if let Some(v) = self.vars.get_mut(&p.name) {
                v.attrs |= attr::EXPORT;
            }
        }
        let r = f(self);
        for (name, old) in saved.into_iter().rev() {
            match old {
                Some(v) => *self.vars.entry(&name) = v,
                None => {
                    self.vars.remove(&name);
                }
            }
        }
        r
    }
}

/// Quote a word for `set -x` output, as bash does.
pub(super) fn xtrace_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-+=/.,:@%^".contains(c));
    if plain {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The word a process substitution on descriptor `n` expands to.
fn dev_fd_word(n: i32) -> ast::Word {
    ast::Word {
        value: format!("/dev/fd/{n}"),
        loc: None,
    }
}

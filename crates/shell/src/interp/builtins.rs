//! Shell builtins: the commands that need the interpreter's state.

use std::collections::BTreeMap;

use super::simple::{AssignValue, PendingAssign};
use super::{Exec, Flow, Interp};
use crate::vars::{Value, Var, attr, is_name};

const BUILTINS: &[&str] = &[
    ".",
    ":",
    "[",
    "alias",
    "bash",
    "bg",
    "bind",
    "break",
    "builtin",
    "caller",
    "cd",
    "command",
    "compgen",
    "complete",
    "compopt",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "enable",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "kill",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "sh",
    "shift",
    "shopt",
    "source",
    "suspend",
    "test",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// Keywords, for `type`.
pub(super) const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

/// Every builtin's name, sorted.
pub fn builtin_names() -> &'static [&'static str] {
    BUILTINS
}

/// True if `name` is a builtin.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

fn parse_status(s: &str) -> Option<i32> {
    let t = s.trim();
    let v: i64 = t.parse().ok()?;
    Some((v & 255) as i32)
}

impl Interp {
    pub(super) fn out(&mut self, s: &str) -> i32 {
        match self.write_fd(1, s.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                if e.raw_os_error() == Some(32) {
                    self.broken_pipe = true;
                    return 141;
                }
                1
            }
        }
    }

    /// A usage line: bash prints these without the `agentsh: line N:` prefix.
    pub(super) fn usage_line(&self, text: &str) {
        let _ = self.write_fd(2, format!("{text}\n").as_bytes());
    }

    /// The leading option letters of a builtin that takes only flags (`-ab -c`, ended
    /// by `--`, `-` or an operand), in order, and the index of the first operand. A
    /// letter outside `allowed` gets bash's "invalid option" message and usage: Err(2).
    pub(super) fn flag_letters(
        &self,
        name: &str,
        args: &[String],
        allowed: &str,
        usage: &str,
    ) -> Result<(String, usize), i32> {
        let mut letters = String::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" {
                return Ok((letters, i + 1));
            }
            if !a.starts_with('-') || a.len() < 2 {
                break;
            }
            for c in a[1..].chars() {
                if !allowed.contains(c) {
                    self.error(&format!("{name}: -{c}: invalid option"));
                    self.usage_line(usage);
                    return Err(2);
                }
                letters.push(c);
            }
            i += 1;
        }
        Ok((letters, i))
    }

    pub(super) fn builtin_error(&self, name: &str, msg: &str) {
        self.error(&format!("{name}: {msg}"));
    }

    /// Run builtin `argv[0]`.
    pub(super) fn run_builtin(&mut self, argv: &[String]) -> Exec {
        let name = argv[0].as_str();
        let args = &argv[1..];
        Ok(match name {
            ":" | "true" => 0,
            "false" => 1,
            "echo" => self.b_echo(args),
            "printf" => self.b_printf(args),
            "cd" => self.b_cd(args),
            "pwd" => self.b_pwd(args),
            "test" | "[" => self.test_builtin(args, name),
            "exit" => {
                let status = match args.first() {
                    None => self.last_status,
                    Some(a) => match parse_status(a) {
                        Some(s) => s,
                        None => {
                            self.builtin_error("exit", &format!("{a}: numeric argument required"));
                            2
                        }
                    },
                };
                if args.len() > 1 && parse_status(&args[0]).is_some() {
                    self.builtin_error("exit", "too many arguments");
                    return Err(Flow::Exit(1));
                }
                return Err(Flow::Exit(status));
            }
            "return" => {
                if self.call_depth == 0 && self.source_depth == 0 {
                    self.builtin_error(
                        "return",
                        "can only `return' from a function or sourced script",
                    );
                    return Ok(2);
                }
                let status = match args.first() {
                    None => self.last_status,
                    Some(a) => match parse_status(a) {
                        Some(s) => s,
                        None => {
                            self.builtin_error(
                                "return",
                                &format!("{a}: numeric argument required"),
                            );
                            2
                        }
                    },
                };
                return Err(Flow::Return(status));
            }
            "break" | "continue" => {
                let n = match args.first() {
                    None => 1,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) if n >= 1 => n as u32,
                        Ok(_) => {
                            self.builtin_error(name, &format!("{a}: loop count out of range"));
                            if self.loop_depth == 0 {
                                return Ok(1);
                            }
                            // bash leaves every enclosing loop after this error.
                            self.last_status = 1;
                            self.break_status = Some(1);
                            return Err(Flow::Break(self.loop_depth));
                        }
                        Err(_) => {
                            self.builtin_error(name, &format!("{a}: numeric argument required"));
                            return Ok(128);
                        }
                    },
                };
                if self.loop_depth == 0 {
                    self.builtin_error(
                        name,
                        "only meaningful in a `for', `while', or `until' loop",
                    );
                    return Ok(0);
                }
                let n = n.min(self.loop_depth);
                return Err(if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                });
            }
            "shift" => {
                let n = match args.first() {
                    None => 1,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) if n >= 0 => n as usize,
                        Ok(_) => {
                            self.builtin_error("shift", &format!("{a}: shift count out of range"));
                            return Ok(1);
                        }
                        Err(_) => {
                            self.builtin_error("shift", &format!("{a}: numeric argument required"));
                            return Ok(1);
                        }
                    },
                };
                if n > self.positional.len() {
                    if self.opts.shift_verbose {
                        self.builtin_error("shift", &format!("{n}: shift count out of range"));
                    }
                    return Ok(1);
                }
                self.positional.drain(..n);
                0
            }
            "eval" => {
                let text = args.join(" ");
                if text.trim().is_empty() {
                    return Ok(0);
                }
                return self.eval_string(&text, "eval");
            }
            "source" | "." => return self.b_source(name, args),
            "caller" => self.b_caller(args),
            "let" => {
                if args.is_empty() {
                    self.builtin_error("let", "expression expected");
                    return Ok(1);
                }
                let mut last = 0;
                for a in args {
                    match self.eval_arith_text_expanded(a) {
                        Ok(v) => last = v,
                        Err(m) => {
                            if let Some(f) = self.arith_unbound_exit(&m) {
                                return Err(f);
                            }
                            self.builtin_error("let", &m);
                            return Ok(1);
                        }
                    }
                }
                i32::from(last == 0)
            }
            "export" => self.b_export(args),
            "readonly" => self.b_declare("readonly", args),
            "declare" | "typeset" => self.b_declare(name, args),
            "local" => {
                if self.call_depth == 0 {
                    self.builtin_error("local", "can only be used in a function");
                    return Ok(1);
                }
                if args.iter().any(|a| a == "-") {
                    if self.local_dash.is_none() {
                        self.local_dash = Some(self.opts.clone());
                    }
                    let rest: Vec<String> = args.iter().filter(|a| *a != "-").cloned().collect();
                    if rest.is_empty() {
                        return Ok(0);
                    }
                    return Ok(self.b_declare("local", &rest));
                }
                self.b_declare("local", args)
            }
            "unset" => self.b_unset(args),
            "set" => self.b_set(args),
            "shopt" => self.b_shopt(args),
            "read" => self.b_read(args),
            "mapfile" | "readarray" => self.b_mapfile(name, args),
            "type" => self.b_type(args),
            "command" => return self.b_command(args),
            "builtin" => {
                let Some(first) = args.first() else {
                    return Ok(0);
                };
                if !is_builtin(first) {
                    self.builtin_error("builtin", &format!("{first}: not a shell builtin"));
                    return Ok(1);
                }
                return self.run_builtin(args);
            }
            "exec" => {
                if args.is_empty() {
                    self.keep_redirects = true;
                    return Ok(0);
                }
                let cmd = args[0].as_str();
                if !cmd.contains('/')
                    && !is_builtin(cmd)
                    && !self.funcs.contains_key(cmd)
                    && self.shared.registry.get(cmd).is_none()
                    && self.find_in_path(cmd).is_none()
                    && self.find_in_path_any(cmd).is_none()
                {
                    self.builtin_error("exec", &format!("{cmd}: not found"));
                    return Err(Flow::Exit(127));
                }
                let r = self.run_argv(args.to_vec(), Vec::new())?;
                return Err(Flow::Exit(r));
            }
            "wait" => self.b_wait(args),
            "jobs" => return self.b_jobs(args),
            "disown" => self.b_disown(args),
            "fg" | "bg" => self.b_fg_bg(name),
            "trap" => self.b_trap(args),
            "kill" => self.b_kill(args),
            "getopts" => self.b_getopts(args),
            "pushd" => self.b_pushd(args),
            "popd" => self.b_popd(args),
            "dirs" => self.b_dirs(args),
            "umask" => self.b_umask(args),
            "hash" => self.b_hash(args),
            "enable" => self.b_enable(args),
            "compgen" => self.b_compgen(args),
            "complete" => self.b_complete(args),
            "compopt" => self.b_compopt(args),
            "history" => self.b_history(args),
            "fc" => return self.b_fc(args),
            "ulimit" => self.b_ulimit(args),
            "bind" => self.b_bind(args),
            "suspend" => {
                self.builtin_error("suspend", "cannot suspend: no job control");
                1
            }
            "logout" => {
                self.builtin_error("logout", "not login shell: use `exit'");
                1
            }
            "times" => self.b_times(),
            "bash" | "sh" => self.b_bash(name, args),
            "alias" => self.b_alias(args),
            "unalias" => self.b_unalias(args),
            "help" => self.b_help(args),
            _ => {
                self.error(&format!("{name}: command not found"));
                127
            }
        })
    }

    /// `bind`: there is no line editor; a missing option argument is still an error.
    fn b_bind(&mut self, args: &[String]) -> i32 {
        self.builtin_error("bind", "warning: line editing not enabled");
        if let Some(last) = args.last()
            && last.len() == 2
            && last.starts_with('-')
            && "mfqurx".contains(&last[1..])
        {
            self.builtin_error("bind", &format!("{last}: option requires an argument"));
            self.usage_line("bind: usage: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]");
            return 2;
        }
        0
    }

    fn b_alias(&mut self, args: &[String]) -> i32 {
        let quote = |v: &str| format!("'{}'", v.replace('\'', "'\\''"));
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "-p").collect();
        if args.is_empty() {
            let mut names: Vec<&String> = self.aliases.keys().collect();
            names.sort();
            let out: String = names
                .iter()
                .map(|n| format!("alias {n}={}\n", quote(&self.aliases[*n].0)))
                .collect();
            return self.out(&out);
        }
        let mut status = 0;
        let mut out = String::new();
        for a in args {
            match a.split_once('=') {
                Some((n, v)) => {
                    self.aliases
                        .insert(n.to_string(), (v.to_string(), self.lineno));
                }
                None => match self.aliases.get(a.as_str()) {
                    Some((v, _)) => out.push_str(&format!("alias {a}={}\n", quote(v))),
                    None => {
                        self.builtin_error("alias", &format!("{a}: not found"));
                        status = 1;
                    }
                },
            }
        }
        let s = self.out(&out);
        if s != 0 { s } else { status }
    }

    fn b_unalias(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            self.usage_line("unalias: usage: unalias [-a] name [name ...]");
            return 2;
        }
        let mut status = 0;
        for a in args {
            if a == "-a" {
                self.aliases.clear();
                continue;
            }
            if self.aliases.remove(a.as_str()).is_none() {
                self.builtin_error("unalias", &format!("{a}: not found"));
                status = 1;
            }
        }
        status
    }

    fn b_echo(&mut self, args: &[String]) -> i32 {
        let mut newline = true;
        let mut escapes = self.opts.xpg_echo;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a.len() < 2
                || !a.starts_with('-')
                || !a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
            {
                break;
            }
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
        let utf8 = self.utf8_locale();
        let mut out: Vec<u8> = Vec::new();
        for (k, a) in args[i..].iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            if escapes {
                let (b, stop) = crate::printf::echo_escapes(a.as_bytes(), utf8);
                out.extend(b);
                if stop {
                    return self.write_bytes(&out);
                }
            } else {
                out.extend_from_slice(a.as_bytes());
            }
        }
        if newline {
            out.push(b'\n');
        }
        self.write_bytes(&out)
    }

    fn write_bytes(&mut self, b: &[u8]) -> i32 {
        match self.write_fd(1, b) {
            Ok(()) => 0,
            Err(e) => {
                if e.raw_os_error() == Some(32) {
                    self.broken_pipe = true;
                    return 141;
                }
                if e.kind() != std::io::ErrorKind::Interrupted {
                    self.error(&format!(
                        "echo: write error: {}",
                        crate::io::errno_message(&e)
                    ));
                }
                1
            }
        }
    }

    /// `caller [N]`: where the current function (or the one N frames out) was called from,
    /// as `LINE [FUNCTION] SOURCE`; status 1 past the outermost frame.
    fn b_caller(&mut self, args: &[String]) -> i32 {
        let source = if self.invoked_with_c {
            "environment".to_string()
        } else {
            self.arg0.clone()
        };
        // FUNCNAME and BASH_LINENO, innermost first; `main` ends them outside `-c`.
        let mut names: Vec<String> = self.funcnames.iter().rev().cloned().collect();
        let mut lines: Vec<usize> = self.call_lines.iter().rev().copied().collect();
        if !self.invoked_with_c {
            names.push("main".into());
            lines.push(0);
        }
        let line = match args.first() {
            None => match lines.first() {
                Some(l) => format!("{l} {source}\n"),
                None => return 1,
            },
            Some(a) => {
                let Ok(n) = a.parse::<usize>() else {
                    self.builtin_error("caller", &format!("{a}: invalid number"));
                    self.usage_line("caller: usage: caller [expr]");
                    return 2;
                };
                match (lines.get(n), names.get(n + 1)) {
                    (Some(l), Some(f)) => format!("{l} {f} {source}\n"),
                    _ => return 1,
                }
            }
        };
        self.write_bytes(line.as_bytes())
    }

    fn b_printf(&mut self, args: &[String]) -> i32 {
        let mut args = args;
        let mut var = None;
        if args.first().is_some_and(|a| a == "-v") {
            let Some(v) = args.get(1) else {
                self.builtin_error("printf", "-v: option requires an argument");
                return 2;
            };
            var = Some(v.clone());
            args = &args[2..];
        }
        if args.first().is_some_and(|a| a == "--") {
            args = &args[1..];
        }
        let Some(fmt) = args.first() else {
            self.usage_line("printf: usage: printf [-v var] format [arguments]");
            return 2;
        };
        let rest: Vec<Vec<u8>> = args[1..].iter().map(|a| a.as_bytes().to_vec()).collect();
        let time = crate::printf::TimeContext::system();
        let f = crate::printf::format_with(fmt.as_bytes(), &rest, &time, self.utf8_locale());
        for e in &f.errors {
            self.error(e);
        }
        for (name, n) in &f.assignments {
            if let Err(m) = self.assign_var_text(name, n.to_string()) {
                self.builtin_error("printf", &m);
            }
        }
        match var {
            Some(v) => {
                let s = String::from_utf8_lossy(&f.output).into_owned();
                if let Err(m) = self.assign_var_text(&v, s) {
                    self.builtin_error("printf", &m);
                    // A bad name is a usage error.
                    return if m.ends_with("not a valid identifier") {
                        2
                    } else {
                        1
                    };
                }
                f.status
            }
            None => {
                let s = self.write_bytes(&f.output);
                if s != 0 { s } else { f.status }
            }
        }
    }

    /// Assign to `name` or `name[idx]` given as text.
    pub(super) fn assign_var_text(&mut self, target: &str, value: String) -> Result<(), String> {
        if let Some((base, idx)) = target.strip_suffix(']').and_then(|t| t.split_once('[')) {
            let idx = if self.is_assoc(base) {
                idx.to_string()
            } else {
                self.eval_arith_text(idx)?.to_string()
            };
            return self.assign_element(base, &idx, value, false);
        }
        if !is_name(target) {
            return Err(format!("`{target}': not a valid identifier"));
        }
        self.assign_scalar(target, value)
    }

    fn set_pwd(&mut self, new: String) {
        let old = self.get_scalar("PWD").unwrap_or_default();
        let _ = self.assign_scalar("OLDPWD", old);
        let _ = self.assign_scalar("PWD", new);
    }

    fn b_cd(&mut self, args: &[String]) -> i32 {
        self.b_cd_as("cd", args)
    }

    /// `cd`, with errors reported as from `who` (`pushd` reuses it).
    pub(super) fn b_cd_as(&mut self, who: &str, args: &[String]) -> i32 {
        let mut physical = false;
        let mut rest: Vec<&String> = Vec::new();
        let mut opts_done = false;
        for a in args {
            if !opts_done && a.starts_with('-') && a.len() > 1 && a != "-" {
                if a == "--" {
                    opts_done = true;
                    continue;
                }
                for c in a[1..].chars() {
                    match c {
                        'P' => physical = true,
                        'L' => physical = false,
                        'e' | '@' => {}
                        _ => {
                            self.builtin_error(who, &format!("-{c}: invalid option"));
                            self.usage_line("cd: usage: cd [-L|[-P [-e]] [-@]] [dir]");
                            return 2;
                        }
                    }
                }
            } else {
                rest.push(a);
            }
        }
        if rest.len() > 1 {
            self.builtin_error(who, "too many arguments");
            return 1;
        }
        let mut print = false;
        let target = match rest.first() {
            None => match self.get_scalar("HOME") {
                Some(h) if !h.is_empty() => h,
                _ => {
                    self.builtin_error(who, "HOME not set");
                    return 1;
                }
            },
            Some(a) if a.as_str() == "-" => match self.get_scalar("OLDPWD") {
                Some(o) if !o.is_empty() => {
                    print = true;
                    o
                }
                _ => {
                    self.builtin_error(who, "OLDPWD not set");
                    return 1;
                }
            },
            Some(a) => (*a).clone(),
        };
        // CDPATH for relative names not starting with . or ..
        let mut candidates = Vec::new();
        if !target.starts_with('/')
            && !target.starts_with("./")
            && !target.starts_with("../")
            && target != "."
            && target != ".."
            && let Some(cdpath) = self.get_scalar("CDPATH")
        {
            for d in cdpath.split(':') {
                if d.is_empty() {
                    candidates.push((format!("./{target}"), false));
                } else {
                    candidates.push((format!("{}/{target}", d.trim_end_matches('/')), true));
                }
            }
        }
        candidates.push((target.clone(), false));
        let mut last_err = None;
        if matches!(
            target.as_str(),
            "/dev/null"
                | "/dev/zero"
                | "/dev/urandom"
                | "/dev/random"
                | "/dev/stdin"
                | "/dev/stdout"
                | "/dev/stderr"
        ) && self.vfs.lstat(&target).is_err()
        {
            self.builtin_error(who, &format!("{target}: Not a directory"));
            return 1;
        }
        for (cand, via_cdpath) in candidates {
            let logical = if cand.starts_with('/') {
                normalize(&cand)
            } else {
                let pwd = self.get_scalar("PWD").unwrap_or_else(|| "/".into());
                normalize(&format!("{pwd}/{cand}"))
            };
            let goto = if physical {
                cand.clone()
            } else {
                logical.clone()
            };
            match self.vfs.set_cwd(&goto) {
                Ok(()) => {
                    let new = if physical {
                        self.vfs
                            .cwd()
                            .map(|p| p.to_string_lossy().into_owned())
                            .unwrap_or(logical)
                    } else {
                        logical
                    };
                    self.set_pwd(new.clone());
                    if print || via_cdpath {
                        return self.out(&format!("{new}\n"));
                    }
                    return 0;
                }
                Err(e) => last_err = Some(e.errno()),
            }
        }
        let e = last_err.map_or("No such file or directory".to_string(), |e| {
            e.message().to_string()
        });
        self.builtin_error(who, &format!("{target}: {e}"));
        1
    }

    fn b_pwd(&mut self, args: &[String]) -> i32 {
        let physical = args.iter().any(|a| a == "-P");
        if let Some(bad) = args.iter().find(|a| *a != "-P" && *a != "-L")
            && bad.starts_with('-')
        {
            {
                self.builtin_error("pwd", &format!("{bad}: invalid option"));
                self.usage_line("pwd: usage: pwd [-LP]");
                return 2;
            }
        }
        let phys = self.vfs.cwd();
        let p = if physical {
            phys.map(|p| p.to_string_lossy().into_owned())
        } else {
            match self.get_scalar("PWD") {
                Some(p) if !p.is_empty() && self.vfs.stat(&p).is_ok() => Ok(p),
                _ => phys.map(|p| p.to_string_lossy().into_owned()),
            }
        };
        match p {
            Ok(p) => self.out(&format!("{p}\n")),
            Err(e) => {
                self.builtin_error(
                    "pwd",
                    &format!("error retrieving current directory: getcwd: cannot access parent directories: {}", e.errno()),
                );
                1
            }
        }
    }

    fn b_source(&mut self, name: &str, args: &[String]) -> Exec {
        let Some(file) = args.first() else {
            self.builtin_error(name, "filename argument required");
            self.usage_line(&format!("{name}: usage: {name} filename [arguments]"));
            return Ok(2);
        };
        let path = if file.contains('/') {
            file.clone()
        } else {
            match self.find_in_path(file) {
                Some(p) if self.vfs.stat(file).is_err() => p,
                _ => file.clone(),
            }
        };
        let text = match self.vfs.read(&path) {
            Ok(d) => String::from_utf8_lossy(&d).into_owned(),
            Err(e) => {
                self.error(&format!("{file}: {}", e.errno()));
                return Ok(1);
            }
        };
        if self.source_depth >= self.shared.limits.max_subshell_depth {
            return Err(self.shared.hit(crate::limits::Limit::SubshellDepth));
        }
        let saved_pos = if args.len() > 1 {
            Some(std::mem::replace(&mut self.positional, args[1..].to_vec()))
        } else {
            None
        };
        let saved_name = std::mem::replace(&mut self.err_name, file.clone());
        let saved_base = std::mem::replace(&mut self.line_base, 0);
        self.source_depth += 1;
        self.note_script_text(&text);
        let opts = self.parser_options();
        let r = match crate::parse::parse_warn(&text, &opts) {
            Ok((prog, warnings)) => {
                for w in warnings {
                    let _ = self.write_fd(2, w.message(file, 0).as_bytes());
                }
                self.run_program_text(&prog, Some(&text))
            }
            Err(e) => {
                // As bash: the commands before the error run, then the error, status 2.
                let r = match crate::parse::parse_prefix(&text, &opts, e.line) {
                    Some(prog) => self.run_program_text(&prog, Some(&text)),
                    None => Ok(0),
                };
                let _ = self.write_fd(2, e.message(file, 0).as_bytes());
                r.map(|_| 2)
            }
        };
        self.source_depth -= 1;
        self.line_base = saved_base;
        self.err_name = saved_name;
        if let Some(p) = saved_pos {
            self.positional = p;
        }
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }

    /// `readonly -f`, `export -f [-n]`, `declare -f[+-]rx`: set or clear function
    /// attributes. A name that is not a function fails (with a message unless `declare`).
    fn set_function_attrs(
        &mut self,
        cmd: &str,
        names: &[&String],
        set: u16,
        clear: u16,
        complain: bool,
    ) -> i32 {
        let mut status = 0;
        for n in names {
            if !self.funcs.contains_key(*n) {
                if complain {
                    self.builtin_error(cmd, &format!("{n}: not a function"));
                }
                status = 1;
                continue;
            }
            let bits = self.func_attrs.get(*n).copied().unwrap_or(0);
            if clear & attr::READONLY != 0 && bits & attr::READONLY != 0 {
                self.builtin_error(cmd, &format!("{n}: readonly function"));
                status = 1;
                continue;
            }
            self.func_attrs.insert((*n).clone(), (bits | set) & !clear);
        }
        status
    }

    /// `r`, `t` and `x` as `declare -f` shows a function's attributes.
    fn func_flags(&self, name: &str) -> String {
        let mut s = String::new();
        if self.func_has(name, attr::READONLY) {
            s.push('r');
        }
        if self.func_has(name, attr::TRACE) {
            s.push('t');
        }
        if self.func_has(name, attr::EXPORT) {
            s.push('x');
        }
        s
    }

    /// `readonly -f`, `export -f`, `declare -fr`...: the functions with all of `bits`,
    /// each as its text and its `declare -f..` line, in name order.
    fn list_functions(&mut self, bits: u16) -> i32 {
        let mut names: Vec<String> = self
            .funcs
            .keys()
            .filter(|n| self.func_attrs.get(*n).is_some_and(|b| b & bits == bits))
            .cloned()
            .collect();
        names.sort();
        let mut out = String::new();
        for n in names {
            if let Some(def) = self.funcs.get(&n) {
                out.push_str(&format!("{}\n", super::fnprint::function_text(def)));
                out.push_str(&format!("declare -f{} {n}\n", self.func_flags(&n)));
            }
        }
        self.out(&out)
    }

    fn b_export(&mut self, args: &[String]) -> i32 {
        let mut unexport = false;
        let mut funcs = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-n" => unexport = true,
                // `-p` lists, as no operands do.
                "-p" => {}
                "-f" => funcs = true,
                "--" => {}
                s if names.is_empty() && s.starts_with('-') && s.len() > 1 => {
                    if let Some(c) = s[1..].chars().find(|c| !"fnp".contains(*c)) {
                        self.builtin_error("export", &format!("-{c}: invalid option"));
                        self.usage_line(
                            "export: usage: export [-fn] [name[=value] ...] or export -p",
                        );
                        return 2;
                    }
                    if s.contains('n') {
                        unexport = true;
                    }
                    if s.contains('f') {
                        funcs = true;
                    }
                }
                _ => names.push(a),
            }
        }
        if funcs {
            let names: Vec<&String> = names.into_iter().collect();
            if names.is_empty() {
                return self.list_functions(attr::EXPORT);
            }
            let (set, clear) = if unexport {
                (0, attr::EXPORT)
            } else {
                (attr::EXPORT, 0)
            };
            return self.set_function_attrs("export", &names, set, clear, true);
        }
        if names.is_empty() {
            return self.print_declared(Some(attr::EXPORT), "declare");
        }
        let mut status = 0;
        for n in names {
            let (name, value) = match n.split_once('=') {
                Some((k, v)) => (
                    k.trim_end_matches('+').to_string(),
                    Some((v.to_string(), k.ends_with('+'))),
                ),
                None => (n.clone(), None),
            };
            if !is_name(&name) {
                self.builtin_error("export", &format!("`{n}': not a valid identifier"));
                status = 1;
                continue;
            }
            if let Some((v, append)) = value {
                let r = if append {
                    let old = self.get_scalar(&name).unwrap_or_default();
                    self.assign_scalar(&name, format!("{old}{v}"))
                } else {
                    self.assign_scalar(&name, v)
                };
                if let Err(m) = r {
                    // bash names no builtin for `x: readonly variable`.
                    if m.ends_with(": readonly variable") {
                        self.error(&m);
                    } else {
                        self.builtin_error("export", &m);
                    }
                    status = 1;
                    continue;
                }
            }
            let var = self.vars.entry(&name);
            if unexport {
                var.attrs &= !attr::EXPORT;
            } else {
                var.attrs |= attr::EXPORT;
            }
        }
        status
    }

    /// `declare -p` style listing of variables with attribute `filter`.
    fn print_declared(&mut self, filter: Option<u16>, _cmd: &str) -> i32 {
        let mut out = String::new();
        for n in self.vars.names() {
            let Some(v) = self.vars.get(&n) else { continue };
            if let Some(f) = filter
                && !v.has(f)
            {
                continue;
            }
            out.push_str(&self.declare_line(&n, v));
        }
        self.out(&out)
    }

    /// A value as `declare -p` shows it: `$'...'` when it holds characters the locale
    /// cannot print, else double-quoted.
    fn decl_quote(&self, s: &str) -> String {
        let utf8 = !self.c_locale();
        if crate::printf::ansic_should_quote(s.as_bytes(), utf8) {
            String::from_utf8_lossy(&crate::printf::ansic_quote(s.as_bytes(), utf8)).into_owned()
        } else {
            format!("\"{}\"", escape_dq(s))
        }
    }

    pub(super) fn declare_line(&self, name: &str, v: &Var) -> String {
        let mut flags = if self.vars.get(name).is_none() && v.has(attr::ARRAY) {
            // A dynamic array (PIPESTATUS): its attributes are the ones given.
            "a".to_string()
        } else {
            self.attr_flags(name)
        };
        if flags.is_empty() {
            flags.push('-');
        }
        let value = match &v.value {
            None => {
                return format!(
                    "declare -{} {name}\n",
                    flags.trim_start_matches('-').to_string() + if flags == "-" { "-" } else { "" }
                );
            }
            Some(Value::Scalar(s)) => format!("={}", self.decl_quote(s)),
            Some(Value::Indexed(m)) => {
                let items: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("[{k}]={}", self.decl_quote(v)))
                    .collect();
                format!("=({})", items.join(" "))
            }
            Some(Value::Assoc(m)) => {
                let items: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("[{}]={} ", assoc_key(k), self.decl_quote(v)))
                    .collect();
                format!("=({})", items.concat())
            }
        };
        let flags = if flags == "-" {
            "--".to_string()
        } else {
            format!("-{flags}")
        };
        format!("declare {flags} {name}{value}\n")
    }

    fn b_declare(&mut self, cmd: &str, args: &[String]) -> i32 {
        let mut set_attrs: u16 = 0;
        let mut clear_attrs: u16 = 0;
        let mut print = false;
        let mut funcs = false;
        let mut func_names = false;
        let mut global = false;
        let mut names: Vec<(usize, &String)> = Vec::new();
        if cmd == "readonly" {
            set_attrs |= attr::READONLY;
        }
        let mut opts_done = false;
        for (i, a) in args.iter().enumerate() {
            if !opts_done && (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
                if a == "--" {
                    opts_done = true;
                    continue;
                }
                let on = a.starts_with('-');
                for c in a[1..].chars() {
                    let bit = match c {
                        'a' => attr::ARRAY,
                        'A' => attr::ASSOC,
                        'i' => attr::INTEGER,
                        'l' => attr::LOWER,
                        'u' => attr::UPPER,
                        'x' => attr::EXPORT,
                        'r' => attr::READONLY,
                        'n' => attr::NAMEREF,
                        't' => attr::TRACE,
                        'p' => {
                            print = true;
                            0
                        }
                        'f' => {
                            funcs = true;
                            0
                        }
                        'F' => {
                            func_names = true;
                            0
                        }
                        'g' => {
                            global = true;
                            0
                        }
                        _ => {
                            self.builtin_error(cmd, &format!("-{c}: invalid option"));
                            let usage = match cmd {
                                "declare" => {
                                    "declare: usage: declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]"
                                }
                                "typeset" => {
                                    "typeset: usage: typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]"
                                }
                                "local" => "local: usage: local [option] name[=value] ...",
                                "export" => {
                                    "export: usage: export [-fn] [name[=value] ...] or export -p"
                                }
                                "readonly" => {
                                    "readonly: usage: readonly [-aAf] [name[=value] ...] or readonly -p"
                                }
                                _ => "",
                            };
                            if !usage.is_empty() {
                                self.usage_line(usage);
                            }
                            return 2;
                        }
                    };
                    if on {
                        set_attrs |= bit;
                    } else {
                        clear_attrs |= bit;
                    }
                }
            } else {
                opts_done = true;
                names.push((i, a));
            }
        }
        let func_bits = attr::READONLY | attr::EXPORT | attr::TRACE;
        if funcs && !print && !names.is_empty() && (set_attrs | clear_attrs) & func_bits != 0 {
            let want: Vec<&String> = names.iter().map(|(_, n)| *n).collect();
            return self.set_function_attrs(
                cmd,
                &want,
                set_attrs & func_bits,
                clear_attrs & func_bits,
                cmd != "declare" && cmd != "typeset",
            );
        }
        if funcs && names.is_empty() && set_attrs & func_bits != 0 {
            return self.list_functions(set_attrs & func_bits);
        }
        if funcs || func_names {
            let mut out = String::new();
            let mut fnames: Vec<String> = self.funcs.keys().cloned().collect();
            fnames.sort();
            let want: Vec<&String> = names.iter().map(|(_, n)| *n).collect();
            let mut status = 0;
            for w in &want {
                if !self.funcs.contains_key(*w) {
                    status = 1;
                }
            }
            for f in fnames {
                if !want.is_empty() && !want.iter().any(|w| **w == f) {
                    continue;
                }
                if func_names && !want.is_empty() {
                    out.push_str(&format!("{f}\n"));
                } else if func_names {
                    out.push_str(&format!("declare -f{} {f}\n", self.func_flags(&f)));
                } else if let Some(def) = self.funcs.get(&f) {
                    out.push_str(&format!("{}\n", super::fnprint::function_text(def)));
                }
            }
            let s = self.out(&out);
            return if s != 0 { s } else { status };
        }
        if names.is_empty() && cmd == "local" && set_attrs == 0 {
            // `local` / `local -p`: this function's variables.
            let mut out = String::new();
            for n in self.vars.local_names() {
                if let Some(v) = self.vars.get(&n) {
                    out.push_str(&self.declare_line(&n, v));
                }
            }
            return self.out(&out);
        }
        if names.is_empty() {
            if cmd == "readonly" || print || set_attrs != 0 {
                let filter = if set_attrs != 0 {
                    Some(set_attrs)
                } else {
                    None
                };
                return self.print_declared(filter, cmd);
            }
            return self.print_declared(None, cmd);
        }
        if print {
            let mut status = 0;
            let mut out = String::new();
            for (_, n) in &names {
                // PIPESTATUS lives outside the variable table, like bash's dynamic arrays.
                let dynamic = (n.as_str() == "PIPESTATUS" && self.vars.get(n).is_none())
                    .then(|| self.lookup_ref(n))
                    .flatten()
                    .map(|v| Var {
                        value: Some(v.into_owned()),
                        attrs: attr::ARRAY,
                    });
                match dynamic.as_ref().or_else(|| self.vars.get(n)) {
                    Some(v) => out.push_str(&self.declare_line(n, v)),
                    None => {
                        self.builtin_error(cmd, &format!("{n}: not found"));
                        status = 1;
                    }
                }
            }
            let s = self.out(&out);
            return if s != 0 { s } else { status };
        }
        let local = (cmd == "local"
            || (cmd != "readonly" && cmd != "export" && self.call_depth > 0))
            && !global;
        let mut status = 0;
        for (idx, n) in names {
            let pending = self.decl_assigns.remove(&(idx + 1));
            let (name, has_value) = match n.split_once('=') {
                Some((k, _)) => (k.trim_end_matches('+').to_string(), true),
                None => (n.clone(), false),
            };
            let base = name.split('[').next().unwrap_or(&name).to_string();
            if !is_name(&base) {
                self.builtin_error(cmd, &format!("`{n}': not a valid identifier"));
                status = 1;
                continue;
            }
            if self.vars.get(&base).is_some_and(|v| v.has(attr::READONLY))
                && (has_value || clear_attrs & attr::READONLY != 0)
            {
                // `export` and `readonly` name no builtin: `x: readonly variable`.
                if matches!(cmd, "export" | "readonly") {
                    self.error(&format!("{base}: readonly variable"));
                } else {
                    self.builtin_error(cmd, &format!("{base}: readonly variable"));
                }
                status = 1;
                continue;
            }
            if set_attrs & attr::ARRAY != 0
                && self.vars.get(&base).is_some_and(|v| v.has(attr::ASSOC))
                && !(local && self.call_depth > 0 && !self.vars.is_local(&base))
            {
                self.builtin_error(
                    cmd,
                    &format!("{base}: cannot convert associative to indexed array"),
                );
                status = 1;
                continue;
            }
            let var = if local {
                self.vars.local(&base)
            } else {
                self.vars.entry(&base)
            };
            var.attrs |= set_attrs & !attr::READONLY;
            var.attrs &= !clear_attrs;
            if set_attrs & attr::ASSOC != 0 && matches!(var.value, Some(Value::Indexed(_))) {
                self.builtin_error(
                    cmd,
                    &format!("{base}: cannot convert indexed to associative array"),
                );
                status = 1;
                continue;
            }
            if set_attrs & attr::ASSOC != 0 && matches!(var.value, Some(Value::Scalar(_))) {
                var.value = Some(Value::Assoc(BTreeMap::new()));
            } else if set_attrs & attr::ARRAY != 0
                && let Some(Value::Scalar(s)) = &var.value
            {
                // A set scalar becomes element 0; a declared-only name stays unset.
                let mut m = BTreeMap::new();
                m.insert(0, s.clone());
                var.value = Some(Value::Indexed(m));
            }
            if set_attrs & attr::NAMEREF != 0 && has_value {
                let target = n.split_once('=').map(|(_, v)| v).unwrap_or("");
                if target == base {
                    self.builtin_error(
                        cmd,
                        &format!("{base}: nameref variable self references not allowed"),
                    );
                    status = 1;
                    continue;
                }
                let tbase = target.split('[').next().unwrap_or("");
                if !is_name(tbase) {
                    self.builtin_error(
                        cmd,
                        &format!("`{target}': invalid variable name for name reference"),
                    );
                    status = 1;
                    continue;
                }
                // The name it refers to is set on the nameref itself, never through
                // an old target.
                let var = if local {
                    self.vars.local(&base)
                } else {
                    self.vars.entry(&base)
                };
                var.value = Some(Value::Scalar(target.to_string()));
            }
            if has_value && set_attrs & attr::NAMEREF == 0 {
                let r = match pending {
                    Some(p) => self.perform_assign(&p),
                    None => {
                        let v = n
                            .split_once('=')
                            .map(|(_, v)| v.to_string())
                            .unwrap_or_default();
                        let p = PendingAssign {
                            name: name.clone(),
                            index: None,
                            value: AssignValue::Scalar(v),
                            append: n.contains("+="),
                        };
                        if name.contains('[') {
                            self.assign_var_text(
                                &name,
                                match p.value {
                                    AssignValue::Scalar(s) => s,
                                    AssignValue::Array(_) => String::new(),
                                },
                            )
                        } else {
                            self.perform_assign(&p)
                        }
                    }
                };
                if let Err(m) = r {
                    if !m.is_empty() {
                        self.builtin_error(cmd, &m);
                    }
                    status = 1;
                }
            } else if local && self.vars.get(&base).is_some_and(|v| v.value.is_none()) {
                // `local x` leaves x unset in the function.
            }
            if set_attrs & attr::READONLY != 0 {
                self.vars.entry(&base).attrs |= attr::READONLY;
            }
            if set_attrs & attr::EXPORT != 0 {
                self.vars.entry(&base).attrs |= attr::EXPORT;
            }
        }
        status
    }

    fn b_unset(&mut self, args: &[String]) -> i32 {
        let mut funcs = false;
        let mut nameref = false;
        let mut status = 0;
        for a in args {
            match a.as_str() {
                "-f" => {
                    funcs = true;
                    continue;
                }
                "-v" => {
                    funcs = false;
                    continue;
                }
                "-n" => {
                    nameref = true;
                    continue;
                }
                _ => {}
            }
            if funcs {
                if self.func_has(a, attr::READONLY) {
                    self.builtin_error("unset", &format!("{a}: cannot unset: readonly function"));
                    status = 1;
                    continue;
                }
                self.funcs.remove(a);
                self.func_attrs.remove(a);
                continue;
            }
            let plain = a.split_once('[').map_or(a.as_str(), |(b, _)| b);
            if !is_name(plain) {
                self.builtin_error("unset", &format!("`{a}': not a valid identifier"));
                status = 1;
                continue;
            }
            if let Some((base, idx)) = a.strip_suffix(']').and_then(|t| t.split_once('[')) {
                let base = self.resolve_nameref(base);
                if self.vars.get(&base).is_some_and(|v| v.has(attr::READONLY)) {
                    self.builtin_error(
                        "unset",
                        &format!("{base}: cannot unset: readonly variable"),
                    );
                    status = 1;
                    continue;
                }
                let assoc = self.is_assoc(&base);
                let key = if assoc {
                    Some(idx.to_string())
                } else if idx == "@" || idx == "*" {
                    None
                } else {
                    match self.eval_arith_text(idx) {
                        Ok(i) => Some(i.to_string()),
                        Err(m) => {
                            self.builtin_error("unset", &m);
                            status = 1;
                            continue;
                        }
                    }
                };
                if let Some(var) = self.vars.get_mut(&base) {
                    match (&mut var.value, key) {
                        (Some(Value::Assoc(m)), Some(k)) => {
                            m.remove(&k);
                        }
                        (Some(Value::Indexed(m)), Some(k)) => {
                            if let Ok(i) = k.parse::<i64>() {
                                let i = if i < 0 {
                                    m.keys().next_back().copied().unwrap_or(-1) + 1 + i
                                } else {
                                    i
                                };
                                m.remove(&i);
                            }
                        }
                        (_, None) => var.value = None,
                        (Some(Value::Scalar(_)), Some(k)) if k == "0" => var.value = None,
                        _ => {}
                    }
                }
                continue;
            }
            let name = if nameref {
                a.clone()
            } else {
                self.resolve_nameref(a).into_owned()
            };
            if self.vars.get(&name).is_some_and(|v| v.has(attr::READONLY)) {
                self.builtin_error("unset", &format!("{name}: cannot unset: readonly variable"));
                status = 1;
                continue;
            }
            if name == "GLOBIGNORE" {
                // bash: unsetting GLOBIGNORE turns dotglob off (setting it turned it on).
                self.opts.dotglob = false;
            }
            if self.vars.get(&name).is_some() {
                if self.vars.is_local(&name) && self.call_depth > 0 {
                    // bash: unsetting a local leaves it declared-but-unset in that scope.
                    if let Some(v) = self.vars.get_mut(&name) {
                        v.value = None;
                    }
                } else {
                    self.vars.remove(&name);
                }
            } else if self.funcs.contains_key(a) {
                self.funcs.remove(a);
            }
        }
        status
    }

    fn b_set(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let mut out = String::new();
            for n in self.vars.names() {
                if let Some(v) = self.vars.get(&n)
                    && let Some(val) = &v.value
                {
                    match val {
                        Value::Scalar(s) => out.push_str(&format!("{n}={}\n", quote_set(s))),
                        _ => {
                            let line = self.declare_line(&n, v);
                            let rest = line.split_once(' ').map_or("", |x| x.1);
                            let rest = rest.split_once(' ').map_or("", |x| x.1);
                            out.push_str(rest);
                        }
                    }
                }
            }
            return self.out(&out);
        }
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                self.positional = args[i + 1..].to_vec();
                return 0;
            }
            if a == "-" {
                self.opts.xtrace = false;
                self.opts.verbose = false;
                self.positional = args[i + 1..].to_vec();
                return 0;
            }
            let on = a.starts_with('-');
            if !(a.starts_with('-') || a.starts_with('+')) || a.len() < 2 {
                self.positional = args[i..].to_vec();
                return 0;
            }
            for c in a[1..].chars() {
                if c == 'o' {
                    i += 1;
                    match args.get(i) {
                        Some(name) => {
                            if !self.set_option(name, on) {
                                self.builtin_error("set", &format!("{name}: invalid option name"));
                                return 2;
                            }
                        }
                        None => return self.print_options(on),
                    }
                    continue;
                }
                let name = match c {
                    'e' => "errexit",
                    'u' => "nounset",
                    'x' => "xtrace",
                    'f' => "noglob",
                    'C' => "noclobber",
                    'a' => "allexport",
                    'v' => "verbose",
                    'n' => "noexec",
                    'B' => "braceexpand",
                    'T' => "functrace",
                    'E' => "errtrace",
                    'h' | 'H' | 'm' | 'b' | 'k' | 'p' | 'P' => continue,
                    _ => {
                        self.builtin_error("set", &format!("-{c}: invalid option"));
                        let _ = self.write_fd(
                            2,
                            b"set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n",
                        );
                        return 2;
                    }
                };
                self.set_option(name, on);
            }
            i += 1;
        }
        0
    }

    fn set_option(&mut self, name: &str, on: bool) -> bool {
        let o = &mut self.opts;
        match name {
            "errexit" => o.errexit = on,
            "nounset" => o.nounset = on,
            "xtrace" => o.xtrace = on,
            "noglob" => o.noglob = on,
            "noclobber" => o.noclobber = on,
            "pipefail" => o.pipefail = on,
            "allexport" => o.allexport = on,
            "verbose" => o.verbose = on,
            "noexec" => o.noexec = on,
            "braceexpand" => o.nobraceexpand = !on,
            "errtrace" => o.errtrace = on,
            "functrace" => o.functrace = on,
            other => return o.set_remembered(other, on),
        }
        true
    }

    fn print_options(&mut self, on: bool) -> i32 {
        let o = &self.opts;
        let list: Vec<(&str, bool)> = vec![
            ("allexport", o.allexport),
            ("braceexpand", !o.nobraceexpand),
            ("emacs", o.remembered("emacs").unwrap_or(false)),
            ("errexit", o.errexit),
            ("errtrace", o.errtrace),
            ("functrace", o.functrace),
            ("hashall", o.remembered("hashall").unwrap_or(false)),
            ("histexpand", o.remembered("histexpand").unwrap_or(false)),
            ("history", o.remembered("history").unwrap_or(false)),
            ("ignoreeof", o.remembered("ignoreeof").unwrap_or(false)),
            (
                "interactive-comments",
                o.remembered("interactive-comments").unwrap_or(false),
            ),
            ("keyword", o.remembered("keyword").unwrap_or(false)),
            ("monitor", o.remembered("monitor").unwrap_or(false)),
            ("noclobber", o.noclobber),
            ("noexec", o.noexec),
            ("noglob", o.noglob),
            ("nolog", o.remembered("nolog").unwrap_or(false)),
            ("notify", o.remembered("notify").unwrap_or(false)),
            ("nounset", o.nounset),
            ("onecmd", o.remembered("onecmd").unwrap_or(false)),
            ("physical", o.remembered("physical").unwrap_or(false)),
            ("pipefail", o.pipefail),
            ("posix", o.remembered("posix").unwrap_or(false)),
            ("privileged", o.remembered("privileged").unwrap_or(false)),
            ("verbose", o.verbose),
            ("vi", o.remembered("vi").unwrap_or(false)),
            ("xtrace", o.xtrace),
        ];
        let mut out = String::new();
        for (n, v) in list {
            if on {
                out.push_str(&format!("{n:<15}\t{}\n", if v { "on" } else { "off" }));
            } else {
                out.push_str(&format!("set {}o {n}\n", if v { '-' } else { '+' }));
            }
        }
        self.out(&out)
    }

    fn b_shopt(&mut self, args: &[String]) -> i32 {
        let mut mode = None;
        let mut quiet = false;
        let mut print_form = false;
        let mut set_o = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-s" => mode = Some(true),
                "-u" => mode = Some(false),
                "-q" => quiet = true,
                "-p" => print_form = true,
                "-o" => set_o = true,
                s if names.is_empty()
                    && s.len() > 2
                    && s.starts_with('-')
                    && s[1..].chars().all(|c| "suqpo".contains(c)) =>
                {
                    for c in s[1..].chars() {
                        match c {
                            's' => mode = Some(true),
                            'u' => mode = Some(false),
                            'q' => quiet = true,
                            'p' => print_form = true,
                            _ => set_o = true,
                        }
                    }
                }
                _ => names.push(a.clone()),
            }
        }
        // `shopt -o NAME`: the `set -o` options.
        if set_o && !names.is_empty() {
            let mut status = 0;
            let mut out = String::new();
            for n in &names {
                if !self.set_option(n, self.option_enabled(n)) {
                    self.builtin_error("shopt", &format!("{n}: invalid option name"));
                    status = 1;
                    continue;
                }
                match mode {
                    Some(m) => {
                        self.set_option(n, m);
                    }
                    None => {
                        let v = self.option_enabled(n);
                        if !v {
                            status = 1;
                        }
                        if print_form {
                            out.push_str(&format!("set {}o {n}\n", if v { '-' } else { '+' }));
                        } else if !quiet {
                            out.push_str(&format!("{n:<15}\t{}\n", if v { "on" } else { "off" }));
                        }
                    }
                }
            }
            if !out.is_empty() {
                self.out(&out);
            }
            return status;
        }
        let mut status = 0;
        let line = |n: &str, v: bool| {
            if print_form {
                format!("shopt {} {n}\n", if v { "-s" } else { "-u" })
            } else {
                format!("{n:<15}\t{}\n", if v { "on" } else { "off" })
            }
        };
        if names.is_empty() {
            let mut out = String::new();
            for (n, _) in super::shopts::SHOPTS {
                let v = self.shopt_get(n).unwrap_or(false);
                if mode.is_none_or(|m| m == v) {
                    out.push_str(&line(n, v));
                }
            }
            return self.out(&out);
        }
        let mut out = String::new();
        for n in &names {
            let Some(v) = self.shopt_get(n) else {
                self.builtin_error("shopt", &format!("{n}: invalid shell option name"));
                status = 1;
                continue;
            };
            match mode {
                Some(m) => {
                    self.shopt_set(n, m);
                }
                None => {
                    if !v {
                        status = 1;
                    }
                    if print_form || !quiet {
                        out.push_str(&line(n, v));
                    }
                }
            }
        }
        if !out.is_empty() {
            self.out(&out);
        }
        status
    }

    fn read_byte(&self, fd: i32) -> Option<u8> {
        let f = self.fds.get(&fd)?;
        let mut b = [0u8; 1];
        match f.read(&mut b) {
            Ok(1) => Some(b[0]),
            _ => None,
        }
    }

    /// `read` with no arguments, as `select` reads its reply (into `REPLY`).
    pub(super) fn read_reply(&mut self) -> i32 {
        if !self.fds.get(&0).is_some_and(|f| f.is_open()) {
            // bash's message when `select` (not the `read` command) cannot read.
            self.error("read error: 0: Bad file descriptor");
            return 1;
        }
        self.b_read(&[])
    }

    fn b_read(&mut self, args: &[String]) -> i32 {
        let mut raw = false;
        let mut array: Option<String> = None;
        let mut delim: Option<u8> = Some(b'\n');
        let mut nchars: Option<usize> = None;
        let mut exact = false;
        let mut fd = 0;
        let mut fd_given = false;
        let mut names: Vec<String> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a.starts_with('-') && a.len() > 1 && names.is_empty() {
                let mut chars = a[1..].chars();
                while let Some(c) = chars.next() {
                    let rest: String = chars.clone().collect();
                    let take_arg = |i: &mut usize| -> Option<String> {
                        if !rest.is_empty() {
                            Some(rest.clone())
                        } else {
                            *i += 1;
                            args.get(*i).cloned()
                        }
                    };
                    match c {
                        'r' => raw = true,
                        's' | 'e' => {}
                        'a' | 'd' | 'n' | 'N' | 'p' | 't' | 'u' | 'i' => {
                            let Some(v) = take_arg(&mut i) else {
                                self.builtin_error(
                                    "read",
                                    &format!("-{c}: option requires an argument"),
                                );
                                return 2;
                            };
                            match c {
                                'a' => array = Some(v),
                                'd' => delim = v.bytes().next().or(Some(0)),
                                'n' | 'N' => {
                                    exact = c == 'N';
                                    match v.parse() {
                                        Ok(n) => nchars = Some(n),
                                        Err(_) => {
                                            self.builtin_error(
                                                "read",
                                                &format!("{v}: invalid number"),
                                            );
                                            return 1;
                                        }
                                    }
                                }
                                // The prompt is only shown when input is a terminal,
                                // which it never is in the sandbox.
                                'p' => {}
                                't' if v.parse::<f64>().map(|t| t == 0.0).unwrap_or(false) => {
                                    let ready = self
                                        .fds
                                        .get(&fd)
                                        .is_some_and(|f| !matches!(f, crate::io::Fd::Closed));
                                    return i32::from(!ready);
                                }
                                't' if v.parse::<f64>().is_err() => {
                                    self.builtin_error(
                                        "read",
                                        &format!("{v}: invalid timeout specification"),
                                    );
                                    return 1;
                                }
                                'u' => match v.parse() {
                                    Ok(n) => {
                                        fd = n;
                                        fd_given = true;
                                    }
                                    Err(_) => {
                                        self.builtin_error(
                                            "read",
                                            &format!("{v}: invalid file descriptor specification"),
                                        );
                                        return 1;
                                    }
                                },
                                _ => {}
                            }
                            break;
                        }
                        _ => {
                            self.builtin_error("read", &format!("-{c}: invalid option"));
                            self.usage_line("read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]");
                            return 2;
                        }
                    }
                }
            } else {
                names.push(a.clone());
            }
            i += 1;
        }
        if !self.fds.get(&fd).is_some_and(|f| f.is_open()) {
            // `-u FD` is checked up front; a closed standard input fails at the read.
            let msg = if fd_given {
                format!("{fd}: invalid file descriptor: Bad file descriptor")
            } else {
                format!("read error: {fd}: Bad file descriptor")
            };
            self.builtin_error("read", &msg);
            return 1;
        }
        // Read the line.
        let mut buf: Vec<u8> = Vec::new();
        let mut got_delim = false;
        let mut count = 0;
        let mut escaped_positions: Vec<usize> = Vec::new();
        loop {
            if let Some(n) = nchars
                && count >= n
            {
                got_delim = true;
                break;
            }
            let Some(b) = self.read_byte(fd) else { break };
            if !exact && Some(b) == delim {
                got_delim = true;
                break;
            }
            if !raw && b == b'\\' && !exact {
                match self.read_byte(fd) {
                    Some(b'\n') => continue,
                    Some(n) => {
                        escaped_positions.push(buf.len());
                        buf.push(n);
                        count += 1;
                        continue;
                    }
                    None => break,
                }
            }
            buf.push(b);
            count += 1;
            if buf.len() > self.shared.limits.max_string {
                let _ = self.shared.hit(crate::limits::Limit::StringSize);
                return 1;
            }
        }
        let line = String::from_utf8_lossy(&buf).into_owned();
        let status = i32::from(!got_delim);
        if exact {
            let target = names.first().cloned().unwrap_or_else(|| "REPLY".into());
            let _ = self.assign_var_text(&target, line);
            return status;
        }
        let ifs = self.get_scalar("IFS").unwrap_or_else(|| {
            if self.vars.get("IFS").is_some() {
                String::new()
            } else {
                " \t\n".into()
            }
        });
        if let Some(arr) = array {
            let fields = split_read(&line, &ifs, usize::MAX, &escaped_positions);
            let items: Vec<(Option<String>, String)> =
                fields.into_iter().map(|f| (None, f)).collect();
            self.vars.remove(&arr);
            if let Err(m) = self.assign_array(&arr, &items, false) {
                self.builtin_error("read", &m);
                return 1;
            }
            return status;
        }
        if names.is_empty() {
            let _ = self.assign_scalar("REPLY", line);
            return status;
        }
        let fields = split_read(&line, &ifs, names.len(), &escaped_positions);
        for (k, n) in names.iter().enumerate() {
            let v = fields.get(k).cloned().unwrap_or_default();
            if let Err(m) = self.assign_var_text(n, v) {
                self.builtin_error("read", &m);
                return 1;
            }
        }
        status
    }

    fn b_mapfile(&mut self, name: &str, args: &[String]) -> i32 {
        let mut strip = false;
        let mut delim = b'\n';
        let mut count: Option<usize> = None;
        let mut skip = 0usize;
        let mut origin: i64 = 0;
        let mut fd = 0;
        let mut target = "MAPFILE".to_string();
        let mut callback: Option<String> = None;
        let mut quantum = 5000usize;
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let mut val = || {
                i += 1;
                args.get(i).cloned().unwrap_or_default()
            };
            match a {
                "-t" => strip = true,
                "-d" => delim = val().bytes().next().unwrap_or(0),
                "-n" => {
                    let v = val();
                    match v.parse::<usize>() {
                        Ok(n) => count = (n > 0).then_some(n),
                        Err(_) => {
                            self.builtin_error(name, &format!("{v}: invalid line count"));
                            return 1;
                        }
                    }
                }
                "-s" => skip = val().parse().unwrap_or(0),
                "-O" => origin = val().parse().unwrap_or(0),
                "-u" => fd = val().parse().unwrap_or(0),
                "-C" => callback = Some(val()),
                "-c" => {
                    let v = val();
                    match v.parse::<usize>() {
                        Ok(q) if q > 0 => quantum = q,
                        _ => {
                            self.builtin_error(name, &format!("{v}: invalid callback quantum"));
                            return 1;
                        }
                    }
                }
                s if s.starts_with('-') && s.len() > 1 => {
                    self.builtin_error(name, &format!("{s}: invalid option"));
                    return 2;
                }
                s => target = s.to_string(),
            }
            i += 1;
        }
        if origin == 0 {
            self.vars.remove(&target);
        }
        let mut lines: Vec<String> = Vec::new();
        let mut flushed = 0usize;
        let mut cur: Vec<u8> = Vec::new();
        let mut seen = 0usize;
        loop {
            if count.is_some_and(|c| lines.len() >= c) {
                break;
            }
            match self.read_byte(fd) {
                Some(b) => {
                    cur.push(b);
                    if b == delim {
                        if strip {
                            cur.pop();
                        }
                        if seen >= skip {
                            let line = String::from_utf8_lossy(&cur).into_owned();
                            // `-C`: every QUANTUM lines, `CALLBACK INDEX LINE` is evaluated
                            // before the line is stored, with the lines before it in place.
                            if let Some(cb) = &callback
                                && (lines.len() + 1).is_multiple_of(quantum)
                            {
                                let cb = cb.clone();
                                if let Err(status) =
                                    self.mapfile_flush(name, &target, origin, &lines, &mut flushed)
                                {
                                    return status;
                                }
                                let index = origin + lines.len() as i64;
                                let text =
                                    format!("{cb} {index} '{}'", line.replace('\'', "'\\''"));
                                let r = self.eval_string(&text, "mapfile");
                                if let Err(super::Flow::Exit(_) | super::Flow::Limit(_)) = &r {
                                    return self.status_of(r);
                                }
                            }
                            lines.push(line);
                        }
                        seen += 1;
                        cur.clear();
                        if lines.len() > self.shared.limits.max_array {
                            let _ = self.shared.hit(crate::limits::Limit::ArraySize);
                            return 1;
                        }
                    }
                }
                None => {
                    if !cur.is_empty() && seen >= skip {
                        lines.push(String::from_utf8_lossy(&cur).into_owned());
                    }
                    break;
                }
            }
        }
        match self.mapfile_flush(name, &target, origin, &lines, &mut flushed) {
            Ok(()) => 0,
            Err(status) => status,
        }
    }

    /// Store `lines[*flushed..]` in mapfile's array (element `origin + k` for line `k`).
    fn mapfile_flush(
        &mut self,
        name: &str,
        target: &str,
        origin: i64,
        lines: &[String],
        flushed: &mut usize,
    ) -> Result<(), i32> {
        let first = *flushed;
        let items: Vec<(Option<String>, String)> = lines
            .get(first..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(k, l)| (Some((origin + (first + k) as i64).to_string()), l.clone()))
            .collect();
        *flushed = lines.len();
        if items.is_empty() && (first > 0 || self.vars.get(target).is_some()) {
            return Ok(());
        }
        self.assign_array(target, &items, true).map_err(|m| {
            self.builtin_error(name, &m);
            1
        })
    }

    /// `type -a`: every meaning of `n`, the files in each `PATH` directory last.
    fn describe_all(&self, n: &str, mode: char) -> Vec<String> {
        let mut found = Vec::new();
        if mode != 'p' {
            let alias = self.aliases.get(n).filter(|_| self.opts.expand_aliases);
            if let Some((v, _)) = alias {
                found.push(match mode {
                    't' => "alias".into(),
                    _ => format!("{n} is aliased to `{v}'"),
                });
            }
            for (hit, word, text) in [
                (KEYWORDS.contains(&n), "keyword", "a shell keyword"),
                (self.funcs.contains_key(n), "function", "a function"),
                (is_builtin(n), "builtin", "a shell builtin"),
            ] {
                if !hit {
                    continue;
                }
                found.push(match (mode, word) {
                    ('t', _) => word.into(),
                    (_, "function") => match self.funcs.get(n) {
                        Some(f) => format!("{n} is {text}\n{}", super::fnprint::function_text(f)),
                        None => format!("{n} is {text}"),
                    },
                    _ => format!("{n} is {text}"),
                });
            }
        }
        if n.contains('/') {
            if let Some(d) = self.describe(n, mode) {
                found.push(d);
            }
            return found;
        }
        let path = self.get_scalar("PATH").unwrap_or_default();
        // Coreutils has programs for some builtins too.
        let registered = self.shared.registry.get(n).is_some()
            || matches!(n, "echo" | "test" | "[" | "true" | "false" | "pwd" | "kill");
        for dir in path.split(':') {
            let dir = if dir.is_empty() {
                "."
            } else {
                dir.trim_end_matches('/')
            };
            let cand = format!("{dir}/{n}");
            let file = self
                .vfs
                .stat(&cand)
                .is_ok_and(|m| m.is_file() && m.mode & 0o111 != 0);
            if file || (registered && matches!(dir, "/usr/bin" | "/bin")) {
                found.push(match mode {
                    't' => "file".into(),
                    'p' => cand,
                    _ => format!("{n} is {cand}"),
                });
            }
        }
        found
    }

    fn describe(&self, n: &str, mode: char) -> Option<String> {
        // bash looks aliases up only when it would expand them.
        if let Some((v, _)) = self.aliases.get(n).filter(|_| self.opts.expand_aliases) {
            return Some(match mode {
                't' => "alias".into(),
                _ => format!("{n} is aliased to `{v}'"),
            });
        }
        if KEYWORDS.contains(&n) {
            return Some(match mode {
                't' => "keyword".into(),
                _ => format!("{n} is a shell keyword"),
            });
        }
        if let Some(f) = self.funcs.get(n) {
            return Some(match mode {
                't' => "function".into(),
                _ => format!("{n} is a function\n{}", super::fnprint::function_text(f)),
            });
        }
        if self.builtin_enabled(n) {
            return Some(match mode {
                't' => "builtin".into(),
                _ => format!("{n} is a shell builtin"),
            });
        }
        if let Some((path, _)) = self.tables.hashed.get(n) {
            return Some(match mode {
                't' => "file".into(),
                'p' => path.clone(),
                _ => format!("{n} is hashed ({path})"),
            });
        }
        if self.shared.registry.get(n).is_some() || super::tables::STANDALONE.contains(&n) {
            let path = format!("/usr/bin/{n}");
            return Some(match mode {
                't' => "file".into(),
                'p' => path,
                _ => format!("{n} is {path}"),
            });
        }
        let path = if n.contains('/') {
            self.vfs.stat(n).ok().map(|_| n.to_string())
        } else {
            self.find_in_path(n)
        };
        path.map(|p| match mode {
            't' => "file".into(),
            'p' => p,
            _ => format!("{n} is {p}"),
        })
    }

    fn b_type(&mut self, args: &[String]) -> i32 {
        let mut mode = 'v';
        let mut all = false;
        let mut names = Vec::new();
        for a in args {
            let flags = a.strip_prefix('-').filter(|f| {
                names.is_empty() && !f.is_empty() && f.chars().all(|c| "atpPf".contains(c))
            });
            let Some(flags) = flags else {
                names.push(a);
                continue;
            };
            for c in flags.chars() {
                match c {
                    't' => mode = 't',
                    'p' | 'P' => mode = 'p',
                    'a' => all = true,
                    _ => {}
                }
            }
        }
        let mut status = 0;
        let mut out = String::new();
        for n in names {
            if all {
                let found = self.describe_all(n, mode);
                if found.is_empty() {
                    status = 1;
                    if mode == 'v' {
                        self.builtin_error("type", &format!("{n}: not found"));
                    }
                }
                for d in found {
                    out.push_str(&d);
                    out.push('\n');
                }
                continue;
            }
            match self.describe(n, mode) {
                Some(d) => {
                    if mode == 'p'
                        && (is_builtin(n)
                            || self.funcs.contains_key(n.as_str())
                            || KEYWORDS.contains(&n.as_str()))
                    {
                        continue;
                    }
                    out.push_str(&d);
                    out.push('\n');
                }
                None => {
                    status = 1;
                    if mode == 'v' {
                        self.builtin_error("type", &format!("{n}: not found"));
                    }
                }
            }
        }
        let s = self.out(&out);
        if s != 0 { s } else { status }
    }

    fn b_command(&mut self, args: &[String]) -> Exec {
        let mut i = 0;
        let mut mode = None;
        while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
            match args[i].as_str() {
                "-v" => mode = Some('v'),
                "-V" => mode = Some('V'),
                "-p" => {}
                "--" => {
                    i += 1;
                    break;
                }
                other => {
                    self.builtin_error("command", &format!("{other}: invalid option"));
                    return Ok(2);
                }
            }
            i += 1;
        }
        let rest = &args[i..];
        if rest.is_empty() {
            return Ok(0);
        }
        match mode {
            Some(m) => {
                // bash succeeds when any of the names is found.
                let mut status = 1;
                let mut out = String::new();
                for n in rest {
                    let d = if m == 'v' {
                        if self.funcs.contains_key(n.as_str())
                            || is_builtin(n)
                            || KEYWORDS.contains(&n.as_str())
                        {
                            Some(n.clone())
                        } else {
                            self.describe(n, 'p')
                        }
                    } else {
                        self.describe(n, 'v')
                    };
                    match d {
                        Some(d) => {
                            status = 0;
                            out.push_str(&d);
                            out.push('\n');
                        }
                        None => {
                            if m == 'V' {
                                self.builtin_error("command", &format!("{n}: not found"));
                            }
                        }
                    }
                }
                let s = self.out(&out);
                Ok(if s != 0 { s } else { status })
            }
            None => {
                if is_builtin(&rest[0]) {
                    return self.run_builtin(rest);
                }
                self.run_external(rest.to_vec(), Vec::new())
            }
        }
    }

    fn b_wait(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            self.wait_all();
            return 0;
        }
        if args[0] == "-n" || args[0] == "-p" {
            return self.wait_next(args);
        }
        let mut status = 0;
        for a in args {
            let pid: u32 = if a.starts_with('%') {
                match self.job_spec_pid(a) {
                    Ok(p) => p,
                    Err(m) => {
                        self.builtin_error("wait", &m);
                        status = 127;
                        continue;
                    }
                }
            } else {
                match a.parse() {
                    Ok(p) => p,
                    Err(_) => {
                        self.builtin_error("wait", &format!("`{a}': not a pid or valid job spec"));
                        status = 2;
                        continue;
                    }
                }
            };
            status = match self.wait_pid(pid) {
                Some(s) => s,
                None => {
                    self.builtin_error("wait", &format!("pid {pid} is not a child of this shell"));
                    127
                }
            };
        }
        status
    }

    /// `wait -n [-p VAR] [ID]...`: wait for the next of the jobs still running (or of the
    /// IDs given) to end, and return its status (`-p`: its pid into VAR). Jobs that had
    /// already ended are not waited for (bash has reaped them): with none running, 127.
    fn wait_next(&mut self, args: &[String]) -> i32 {
        let mut var = None;
        let mut ids = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-n" => {}
                "-p" => match it.next() {
                    Some(v) => var = Some(v.clone()),
                    None => {
                        self.builtin_error("wait", "-p: option requires an argument");
                        return 2;
                    }
                },
                _ => {
                    let pid = if a.starts_with('%') {
                        self.job_spec_pid(a)
                    } else {
                        a.parse::<u32>().map_err(|_| format!("{a}: no such job"))
                    };
                    match pid {
                        Ok(p) => ids.push(p),
                        Err(m) => {
                            self.builtin_error("wait", &m);
                            return 127;
                        }
                    }
                }
            }
        }
        // Jobs that ended before this wait are reaped, as bash's SIGCHLD handler would.
        self.reap_jobs();
        loop {
            let mut found = None;
            let mut running = false;
            {
                let mut jobs = self.jobs.lock();
                for (i, j) in jobs.iter().enumerate() {
                    if !ids.is_empty() && !ids.contains(&j.pid) {
                        continue;
                    }
                    let Some(h) = &j.handle else { continue };
                    running = true;
                    if let Some(r) = h.try_join() {
                        found = Some((i, j.pid, r.unwrap_or(1)));
                        break;
                    }
                }
                if let Some((i, _, _)) = found {
                    jobs.remove(i);
                }
            }
            if let Some((_, pid, status)) = found {
                if let Some(v) = &var {
                    let _ = self.assign_scalar(v, pid.to_string());
                }
                self.reap_coproc(true);
                return status;
            }
            if !running || self.shared.check().is_err() {
                return 127;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    fn b_trap(&mut self, args: &[String]) -> i32 {
        if args.is_empty() || args[0] == "-p" {
            let mut out = String::new();
            let filter: Vec<String> = args
                .iter()
                .skip(1)
                .map(|s| signal_name(s).unwrap_or_default())
                .collect();
            let mut traps: Vec<(&String, &String)> = self.traps.iter().collect();
            traps.sort_by_key(|(sig, _)| trap_order(sig));
            for (sig, cmd) in traps {
                if !filter.is_empty() && !filter.contains(sig) {
                    continue;
                }
                let shown = if sig == "EXIT" || sig == "ERR" || sig == "RETURN" || sig == "DEBUG" {
                    sig.clone()
                } else {
                    format!("SIG{sig}")
                };
                out.push_str(&format!(
                    "trap -- '{}' {shown}\n",
                    cmd.replace('\'', "'\\''")
                ));
            }
            return self.out(&out);
        }
        if args[0] == "-l" {
            return self.out(&signal_listing());
        }
        let usage = "trap: usage: trap [-lp] [[arg] signal_spec ...]";
        if args[0].len() > 1
            && args[0].starts_with('-')
            && args[0] != "--"
            && args[0].parse::<i64>().is_err()
        {
            self.builtin_error("trap", &format!("{}: invalid option", args[0]));
            self.usage_line(usage);
            return 2;
        }
        let args = if args[0] == "--" { &args[1..] } else { args };
        if args.len() == 1 && args[0] == "-" {
            self.usage_line(usage);
            return 2;
        }
        if args.is_empty() {
            return 0;
        }
        let (action, sigs) = if args.len() == 1
            || signal_name(&args[0]).is_some() && args[0].parse::<u32>().is_ok()
        {
            ("-".to_string(), args)
        } else {
            (args[0].clone(), &args[1..])
        };
        let mut status = 0;
        for s in sigs {
            match signal_name(s) {
                Some(name) => {
                    if action == "-" {
                        self.traps.remove(&name);
                    } else {
                        self.traps.insert(name, action.clone());
                    }
                }
                None => {
                    self.builtin_error("trap", &format!("{s}: invalid signal specification"));
                    status = 1;
                }
            }
        }
        self.sync_job_traps();
        status
    }

    fn b_kill(&mut self, args: &[String]) -> i32 {
        let mut sig = "TERM".to_string();
        let mut targets = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-s" || a == "-n" {
                i += 1;
                let Some(spec) = args.get(i) else {
                    self.builtin_error("kill", &format!("{a}: option requires an argument"));
                    return 2;
                };
                match signal_name(spec).as_deref() {
                    Some("EXIT") => sig = "0".into(),
                    Some("ERR" | "DEBUG" | "RETURN") | None => {
                        self.builtin_error(
                            "kill",
                            &format!("{spec}: invalid signal specification"),
                        );
                        return 1;
                    }
                    Some(s) => sig = s.to_string(),
                }
            } else if a == "-l" || a == "-L" {
                if i + 1 < args.len() {
                    let mut out = String::new();
                    for x in &args[i + 1..] {
                        let n: i32 = x.parse().unwrap_or(-1);
                        let n = if n > 128 { n - 128 } else { n };
                        match signal_name(&n.to_string()) {
                            Some(name) if n > 0 => out.push_str(&format!("{name}\n")),
                            _ => match signal_name(x) {
                                Some(name) => out.push_str(&format!("{}\n", signal_number(&name))),
                                None => {
                                    self.builtin_error(
                                        "kill",
                                        &format!("{x}: invalid signal specification"),
                                    );
                                    return 1;
                                }
                            },
                        }
                    }
                    return self.out(&out);
                }
                return self.out(&signal_listing());
            } else if a == "-0" {
                sig = "0".into();
            } else if let Some(s) = a.strip_prefix('-') {
                match signal_name(s) {
                    Some(n) => sig = n,
                    None if s == "0" => sig = "0".into(),
                    None => {
                        self.builtin_error("kill", &format!("{s}: invalid signal specification"));
                        return 1;
                    }
                }
            } else {
                targets.push(a.clone());
            }
            i += 1;
        }
        if targets.is_empty() {
            self.usage_line("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            return 2;
        }
        let mut status = 0;
        for t in targets {
            let pid = if t.starts_with('%') {
                match self.job_spec_pid(&t) {
                    Ok(p) => p,
                    Err(m) => {
                        self.builtin_error("kill", &m);
                        status = 1;
                        continue;
                    }
                }
            } else {
                let Ok(pid) = t.parse::<u32>() else {
                    self.builtin_error(
                        "kill",
                        &format!("{t}: arguments must be process or job IDs"),
                    );
                    status = 1;
                    continue;
                };
                pid
            };
            if pid == self.pid || pid == self.bashpid {
                if sig == "0" {
                    continue;
                }
                if self.traps.contains_key(&sig) {
                    self.run_trap(&sig);
                } else if !matches!(sig.as_str(), "CHLD" | "WINCH" | "URG" | "CONT") {
                    self.pending_signal_exit = Some(128 + signal_number(&sig));
                }
                continue;
            }
            let n = if sig == "0" {
                0
            } else {
                super::jobs::signal_number_of(&sig).unwrap_or(15)
            };
            match self.signal_job(pid, n) {
                Ok(true) => {}
                Ok(false) => {
                    self.builtin_error("kill", &format!("({pid}) - No such process"));
                    status = 1;
                }
                Err(m) => {
                    self.builtin_error("kill", &m);
                    status = 1;
                }
            }
        }
        status
    }

    fn b_getopts(&mut self, args: &[String]) -> i32 {
        if args.len() < 2 {
            self.usage_line("getopts: usage: getopts optstring name [arg ...]");
            return 2;
        }
        let optstring = args[0].clone();
        let name = args[1].clone();
        let params: Vec<String> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            self.positional.clone()
        };
        let silent = optstring.starts_with(':');
        let spec = optstring.trim_start_matches(':');
        let mut optind: usize = self
            .get_scalar("OPTIND")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1)
            .max(1);
        let mut pos: usize = self.getopts_pos;
        let Some(arg) = params.get(optind - 1).cloned() else {
            let _ = self.assign_scalar(&name, "?".into());
            self.getopts_pos = 0;
            return 1;
        };
        if pos == 0 {
            if arg == "--" {
                let _ = self.assign_scalar("OPTIND", (optind + 1).to_string());
                let _ = self.assign_scalar(&name, "?".into());
                return 1;
            }
            if !arg.starts_with('-') || arg.len() < 2 {
                let _ = self.assign_scalar(&name, "?".into());
                return 1;
            }
            pos = 1;
        }
        let chars: Vec<char> = arg.chars().collect();
        let c = chars[pos];
        pos += 1;
        let at_end = pos >= chars.len();
        let advance = |it: &mut Interp, p: usize, optind: &mut usize| {
            if p >= chars.len() {
                *optind += 1;
                it.getopts_pos = 0;
            } else {
                it.getopts_pos = p;
            }
            let _ = it.assign_scalar("OPTIND", optind.to_string());
        };
        match spec.find(c) {
            Some(i) if c != ':' => {
                let needs = spec[i + c.len_utf8()..].starts_with(':');
                if needs {
                    let val = if !at_end {
                        let v: String = chars[pos..].iter().collect();
                        optind += 1;
                        self.getopts_pos = 0;
                        let _ = self.assign_scalar("OPTIND", optind.to_string());
                        Some(v)
                    } else {
                        match params.get(optind) {
                            Some(v) => {
                                optind += 2;
                                self.getopts_pos = 0;
                                let _ = self.assign_scalar("OPTIND", optind.to_string());
                                Some(v.clone())
                            }
                            None => None,
                        }
                    };
                    match val {
                        Some(v) => {
                            let _ = self.assign_scalar("OPTARG", v);
                            let _ = self.assign_scalar(&name, c.to_string());
                        }
                        None => {
                            optind += 1;
                            self.getopts_pos = 0;
                            let _ = self.assign_scalar("OPTIND", optind.to_string());
                            if silent {
                                let _ = self.assign_scalar(&name, ":".into());
                                let _ = self.assign_scalar("OPTARG", c.to_string());
                            } else {
                                if self.get_scalar("OPTERR").as_deref() != Some("0") {
                                    self.error_noline(&format!(
                                        "option requires an argument -- {c}"
                                    ));
                                }
                                let _ = self.assign_scalar(&name, "?".into());
                                self.vars.remove("OPTARG");
                            }
                        }
                    }
                } else {
                    advance(self, pos, &mut optind);
                    let _ = self.assign_scalar(&name, c.to_string());
                    self.vars.remove("OPTARG");
                }
                0
            }
            _ => {
                advance(self, pos, &mut optind);
                if silent {
                    let _ = self.assign_scalar("OPTARG", c.to_string());
                } else {
                    if self.get_scalar("OPTERR").as_deref() != Some("0") {
                        self.error_noline(&format!("illegal option -- {c}"));
                    }
                    self.vars.remove("OPTARG");
                }
                let _ = self.assign_scalar(&name, "?".into());
                0
            }
        }
    }

    fn b_umask(&mut self, args: &[String]) -> i32 {
        let symbolic = args.iter().any(|a| a == "-S");
        let print_p = args.iter().any(|a| a == "-p");
        let mode = args.iter().find(|a| !a.starts_with('-'));
        match mode {
            None => {
                let m = self.vfs.umask();
                if symbolic {
                    let p = |shift: u32| {
                        let bits = !(m >> shift) & 7;
                        let mut s = String::new();
                        if bits & 4 != 0 {
                            s.push('r');
                        }
                        if bits & 2 != 0 {
                            s.push('w');
                        }
                        if bits & 1 != 0 {
                            s.push('x');
                        }
                        s
                    };
                    self.out(&format!("u={},g={},o={}\n", p(6), p(3), p(0)))
                } else if print_p {
                    self.out(&format!("umask {m:04o}\n"))
                } else {
                    self.out(&format!("{m:04o}\n"))
                }
            }
            Some(m) if m.contains('=') || m.contains('+') || m.contains('-') => {
                match symbolic_umask(self.vfs.umask(), m) {
                    Ok(v) => {
                        self.vfs.set_umask(v);
                        0
                    }
                    Err(msg) => {
                        self.builtin_error("umask", &msg);
                        1
                    }
                }
            }
            Some(m) => match u32::from_str_radix(m, 8) {
                Ok(v) if v <= 0o777 => {
                    self.vfs.set_umask(v);
                    0
                }
                _ => {
                    self.builtin_error("umask", &format!("{m}: octal number out of range"));
                    1
                }
            },
        }
    }

    fn b_bash(&mut self, name: &str, args: &[String]) -> i32 {
        let mut i = 0;
        let mut script: Option<String> = None;
        let mut check_only = false;
        let mut from_stdin = false;
        let mut set_opts: Vec<String> = Vec::new();
        while i < args.len() {
            let a = &args[i];
            if a == "-c" {
                i += 1;
                match args.get(i) {
                    Some(s) => script = Some(s.clone()),
                    None => {
                        self.error_noline(&format!("{name}: -c: option requires an argument"));
                        return 2;
                    }
                }
                i += 1;
                break;
            } else if a == "-s" {
                from_stdin = true;
            } else if a == "-n" {
                check_only = true;
            } else if a == "--" {
                i += 1;
                break;
            } else if a.starts_with('-') && a.len() > 1 {
                if a.contains('c') {
                    for c in a[1..].chars().filter(|&c| c != 'c') {
                        set_opts.push(format!("-{c}"));
                    }
                    i += 1;
                    script = args.get(i).cloned();
                    i += 1;
                    break;
                }
                set_opts.push(a.clone());
            } else {
                break;
            }
            i += 1;
        }
        let env: BTreeMap<String, String> = self.vars.exported().into_iter().collect();
        let dash_c = script.is_some();
        let (text, arg0, pos) = if let Some(s) = script {
            let arg0 = args.get(i).cloned().unwrap_or_else(|| name.to_string());
            let pos = if i < args.len() {
                args.get(i + 1..)
                    .map(<[String]>::to_vec)
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            (s, arg0, pos)
        } else if !from_stdin && i < args.len() {
            let file = &args[i];
            match self.vfs.read(file) {
                Ok(d) => (
                    String::from_utf8_lossy(&d).into_owned(),
                    file.clone(),
                    args[i + 1..].to_vec(),
                ),
                Err(e) => {
                    let _ = self.write_fd(2, format!("{name}: {file}: {}\n", e.errno()).as_bytes());
                    return 127;
                }
            }
        } else {
            let mut buf = Vec::new();
            if let Some(f) = self.fds.get(&0) {
                let _ = f.read_to_end(&mut buf, self.shared.limits.max_parse);
            }
            (
                String::from_utf8_lossy(&buf).into_owned(),
                name.to_string(),
                args[i..].to_vec(),
            )
        };
        if check_only {
            return match crate::parse::parse(&text, &self.parser_options()) {
                Ok(_) => 0,
                Err(e) => {
                    let _ = self.write_fd(2, e.message(&arg0, 0).as_bytes());
                    2
                }
            };
        }
        // The options apply to this one nested shell only.
        self.nested_opts = set_opts;
        let status = self.run_nested_script_with(&text, &arg0, pos, env, &[], dash_c);
        self.nested_opts.clear();
        status
    }
}

/// Normalize an absolute path lexically (`.`, `..`, repeated slashes).
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

pub(super) fn escape_dq(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

pub(super) fn assoc_key(k: &str) -> String {
    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty() {
        k.to_string()
    } else {
        format!("\"{}\"", escape_dq(k))
    }
}

fn quote_set(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+=/.,:@%^".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Split a `read` line into at most `n` fields by IFS; the last takes the rest (with
/// trailing IFS whitespace removed). Escaped bytes never split.
fn split_read(line: &str, ifs: &str, n: usize, escaped: &[usize]) -> Vec<String> {
    let is_ws = |c: char| ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
    let is_sep = |i: usize, c: char| ifs.contains(c) && !escaped.contains(&i);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    // Skip leading IFS whitespace.
    while i < chars.len() && is_ws(chars[i].1) && is_sep(chars[i].0, chars[i].1) {
        i += 1;
    }
    while i < chars.len() {
        if fields.len() + 1 == n {
            // The rest, minus trailing IFS whitespace; but a single field followed only by
            // its delimiter is just that field (bash: `IFS=: read a b <<< x:y:` sets `y`).
            let mut j = i;
            while j < chars.len() && !is_sep(chars[j].0, chars[j].1) {
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && is_ws(chars[k].1) && is_sep(chars[k].0, chars[k].1) {
                k += 1;
            }
            if k < chars.len() && is_sep(chars[k].0, chars[k].1) && !is_ws(chars[k].1) {
                k += 1;
                while k < chars.len() && is_ws(chars[k].1) && is_sep(chars[k].0, chars[k].1) {
                    k += 1;
                }
            }
            if k == chars.len() {
                fields.push(chars[i..j].iter().map(|x| x.1).collect());
                return fields;
            }
            let mut end = chars.len();
            while end > i && is_ws(chars[end - 1].1) && is_sep(chars[end - 1].0, chars[end - 1].1) {
                end -= 1;
            }
            fields.push(chars[i..end].iter().map(|x| x.1).collect());
            return fields;
        }
        let mut f = String::new();
        while i < chars.len() && !is_sep(chars[i].0, chars[i].1) {
            f.push(chars[i].1);
            i += 1;
        }
        fields.push(f);
        if i >= chars.len() {
            break;
        }
        // Consume one delimiter: IFS whitespace, at most one non-whitespace IFS char, whitespace.
        while i < chars.len() && is_ws(chars[i].1) && is_sep(chars[i].0, chars[i].1) {
            i += 1;
        }
        if i < chars.len() && is_sep(chars[i].0, chars[i].1) && !is_ws(chars[i].1) {
            i += 1;
            while i < chars.len() && is_ws(chars[i].1) && is_sep(chars[i].0, chars[i].1) {
                i += 1;
            }
        }
    }
    fields
}

/// Normalize a signal spec (`SIGINT`, `INT`, `2`, `EXIT`, `0`) to its bare name.
/// Linux's signals 1 to 31, by number.
const SIGNALS: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// The name of signal `n` (without `SIG`): 1 to 31, and the real-time ones 34 to 64.
pub(super) fn signal_by_number(n: u32) -> Option<String> {
    match n {
        1..=31 => Some(SIGNALS[n as usize - 1].to_string()),
        34 => Some("RTMIN".into()),
        35..=49 => Some(format!("RTMIN+{}", n - 34)),
        50..=63 => Some(format!("RTMAX-{}", 64 - n)),
        64 => Some("RTMAX".into()),
        _ => None,
    }
}

/// `trap -l` and `kill -l`: five signals a line, as bash prints them.
fn signal_listing() -> String {
    let mut out = String::new();
    let mut k = 0;
    for n in 1..=64 {
        if let Some(name) = signal_by_number(n) {
            k += 1;
            out.push_str(&format!("{n:2}) SIG{name}"));
            out.push(if k % 5 == 0 { '\n' } else { '\t' });
        }
    }
    if k % 5 != 0 {
        out.push('\n');
    }
    out
}

fn signal_name(s: &str) -> Option<String> {
    let u = s.to_ascii_uppercase();
    let u = u.strip_prefix("SIG").unwrap_or(&u).to_string();
    if let Ok(n) = u.parse::<u32>() {
        return if n == 0 {
            Some("EXIT".into())
        } else {
            signal_by_number(n)
        };
    }
    if matches!(u.as_str(), "EXIT" | "ERR" | "RETURN" | "DEBUG") {
        return Some(u);
    }
    (1..=64).filter_map(signal_by_number).find(|n| *n == u)
}

/// bash lists traps by signal number, EXIT first and DEBUG, ERR, RETURN last.
fn trap_order(sig: &str) -> i32 {
    match sig {
        "EXIT" => 0,
        "DEBUG" => 100,
        "ERR" => 101,
        "RETURN" => 102,
        s => signal_number(s),
    }
}

fn signal_number(name: &str) -> i32 {
    (1..=64u32)
        .find(|&n| signal_by_number(n).is_some_and(|x| x == name))
        .map_or(15, |n| n as i32)
}

/// Apply a symbolic mode (`u=rwx,g=rx,o=`, `g-w`, `a+r`) to a umask: the permissions
/// named are the ones *allowed*, so the mask is their complement.
fn symbolic_umask(mask: u32, spec: &str) -> Result<u32, String> {
    let mut allowed = !mask & 0o777;
    for clause in spec.split(',') {
        let who_len = clause.find(|c| !"ugoa".contains(c)).unwrap_or(clause.len());
        let (who, rest) = clause.split_at(who_len);
        let op = rest.chars().next().unwrap_or('\0');
        if !"=+-".contains(op) || op == '\0' {
            return Err(format!("`{op}': invalid symbolic mode operator"));
        }
        let perms = &rest[1..];
        let mut bits = 0;
        for c in perms.chars() {
            bits |= match c {
                'r' => 4,
                'w' => 2,
                'x' => 1,
                _ => return Err(format!("`{c}': invalid symbolic mode character")),
            };
        }
        let who = if who.is_empty() { "a" } else { who };
        for w in who.chars() {
            let shifts: &[u32] = match w {
                'u' => &[6],
                'g' => &[3],
                'o' => &[0],
                _ => &[6, 3, 0],
            };
            for &sh in shifts {
                match op {
                    '=' => allowed = (allowed & !(7 << sh)) | (bits << sh),
                    '+' => allowed |= bits << sh,
                    _ => allowed &= !(bits << sh),
                }
            }
        }
    }
    Ok(!allowed & 0o777)
}

//! Redirections: `< > >> >| <> &> &>> n>&m n<&m n>&-`, here-documents and here-strings,
//! and the `/dev` files the sandbox provides.

use brush_parser::ast::{self, IoFileRedirectKind, IoFileRedirectTarget, IoRedirect};
use parking_lot::Mutex;
use std::sync::Arc;

use super::Interp;
use super::expand::ExpandError;
use crate::io::{Fd, Source};
use vfs_core::{Errno, OpenOptions};

/// What some redirections changed, to put back when their command is done (bash's undo
/// list): each descriptor they set, with what it was before. Descriptors the command
/// itself opens or closes (`exec 3>file` in a function or a group) are left as they are.
#[must_use]
pub(super) struct Undo(Vec<(i32, Option<Fd>)>);

pub(super) enum Mode {
    Read,
    Write,
    Append,
    ReadWrite,
    Clobber,
}

impl Interp {
    /// Apply redirections to this shell's descriptors; on failure the message is printed
    /// and the status returned (the caller restores the descriptors).
    pub(super) fn apply_redirects_refs(&mut self, rs: &[&IoRedirect]) -> Result<(), i32> {
        for r in rs {
            self.apply_redirect(r)?;
        }
        Ok(())
    }

    /// Apply redirections for one command; the [`Undo`] puts the descriptors they set
    /// back (also after a failure: pass it to [`Interp::undo_redirects`] either way).
    /// Descriptors opened by `{name}>...` stay open, as in bash.
    pub(super) fn redirect_undoable(&mut self, rs: &[&IoRedirect]) -> (Undo, Result<(), i32>) {
        if rs.is_empty() {
            return (Undo(Vec::new()), Ok(()));
        }
        let before = self.fds.clone();
        let mark = self.varassign_fds.len();
        let r = self.apply_redirects_refs(rs);
        let keep: Vec<i32> = self.varassign_fds.drain(mark..).collect();
        let keys: std::collections::BTreeSet<i32> =
            before.keys().chain(self.fds.keys()).copied().collect();
        let mut undo = Vec::new();
        for k in keys {
            if keep.contains(&k) {
                continue;
            }
            let old = before.get(&k);
            let same = match (old, self.fds.get(&k)) {
                (Some(a), Some(b)) => a.same(b),
                (None, None) => true,
                _ => false,
            };
            if !same {
                undo.push((k, old.cloned()));
            }
        }
        (Undo(undo), r)
    }

    /// Put back what [`Interp::redirect_undoable`] changed.
    pub(super) fn undo_redirects(&mut self, undo: Undo) {
        for (k, old) in undo.0 {
            match old {
                Some(f) => {
                    self.fds.insert(k, f);
                }
                None => {
                    self.fds.remove(&k);
                }
            }
        }
    }

    fn redir_word(&mut self, w: &ast::Word) -> Result<String, i32> {
        match self.expand_word(&w.value) {
            Ok(v) if v.len() == 1 => Ok(v.into_iter().next().unwrap_or_default()),
            Ok(_) => {
                self.error(&format!("{}: ambiguous redirect", w.value));
                Err(1)
            }
            Err(e) => Err(self.redir_expand_error(e)),
        }
    }

    fn redir_expand_error(&mut self, e: ExpandError) -> i32 {
        match e {
            ExpandError::Fatal(m, s) | ExpandError::Status(m, s) => {
                self.error(&m);
                s
            }
            ExpandError::Abort(m) => {
                self.error(&m);
                1
            }
            ExpandError::Flow(_) => 1,
        }
    }

    fn apply_redirect(&mut self, r: &IoRedirect) -> Result<(), i32> {
        match r {
            IoRedirect::File(fd, kind, target) => {
                let default_fd = match kind {
                    IoFileRedirectKind::Read
                    | IoFileRedirectKind::DuplicateInput
                    | IoFileRedirectKind::ReadAndWrite => 0,
                    _ => 1,
                };
                let n = fd.unwrap_or(default_fd);
                match (kind, target) {
                    (
                        IoFileRedirectKind::DuplicateInput | IoFileRedirectKind::DuplicateOutput,
                        IoFileRedirectTarget::Fd(m),
                    ) => self.dup_fd(n, *m),
                    (
                        IoFileRedirectKind::DuplicateInput | IoFileRedirectKind::DuplicateOutput,
                        IoFileRedirectTarget::Duplicate(w),
                    )
                    | (
                        IoFileRedirectKind::DuplicateInput | IoFileRedirectKind::DuplicateOutput,
                        IoFileRedirectTarget::Filename(w),
                    ) => {
                        let t = self.redir_word(w)?;
                        if t.is_empty() {
                            // bash: an empty word is a bad descriptor.
                            let shown = if n == default_fd {
                                w.value.clone()
                            } else {
                                n.to_string()
                            };
                            self.error(&format!("{shown}: Bad file descriptor"));
                            return Err(1);
                        }
                        if t == "-" {
                            self.coproc_fd_closed(n);
                            self.fds.insert(n, Fd::Closed);
                            return Ok(());
                        }
                        if let Some(num) = t.strip_suffix('-') {
                            let m: i32 = num.parse().map_err(|_| {
                                self.error(&format!("{t}: ambiguous redirect"));
                                1
                            })?;
                            self.dup_fd(n, m)?;
                            self.coproc_fd_closed(m);
                            self.fds.insert(m, Fd::Closed);
                            return Ok(());
                        }
                        match t.parse::<i32>() {
                            Ok(m) => {
                                // bash names a literal number, or else the word as
                                // written when the descriptor is the default one.
                                let shown = if w.value.bytes().all(|b| b.is_ascii_digit()) {
                                    m.to_string()
                                } else if n == default_fd {
                                    w.value.clone()
                                } else {
                                    n.to_string()
                                };
                                self.dup_fd_shown(n, m, &shown)
                            }
                            Err(_) => {
                                if matches!(kind, IoFileRedirectKind::DuplicateOutput)
                                    && fd.is_none()
                                {
                                    // `>&file` is `&>file`.
                                    let f = self.open_redirect(&t, &Mode::Write)?;
                                    self.fds.insert(1, f.clone());
                                    self.fds.insert(2, f);
                                    Ok(())
                                } else {
                                    self.error(&format!("{t}: ambiguous redirect"));
                                    Err(1)
                                }
                            }
                        }
                    }
                    (_, IoFileRedirectTarget::ProcessSubstitution(k, sub)) => {
                        let p = self.start_procsub(k, sub)?;
                        let f = self.fd_or_bad(p)?;
                        self.fds.insert(n, f);
                        Ok(())
                    }
                    (_, IoFileRedirectTarget::Fd(m)) => {
                        let f = self.open_redirect(&m.to_string(), &mode_of(kind))?;
                        self.fds.insert(n, f);
                        Ok(())
                    }
                    (_, IoFileRedirectTarget::Filename(w) | IoFileRedirectTarget::Duplicate(w)) => {
                        let path = self.redir_word(w)?;
                        let f = self.open_redirect(&path, &mode_of(kind))?;
                        self.fds.insert(n, f);
                        Ok(())
                    }
                }
            }
            IoRedirect::OutputAndError(w, append) => {
                let path = self.redir_word(w)?;
                let f =
                    self.open_redirect(&path, if *append { &Mode::Append } else { &Mode::Write })?;
                self.fds.insert(1, f.clone());
                self.fds.insert(2, f);
                Ok(())
            }
            IoRedirect::HereString(fd, w) => {
                let mut s = match self.expand_word_nosplit(&w.value) {
                    Ok(s) => s,
                    Err(e) => return Err(self.redir_expand_error(e)),
                };
                s.push('\n');
                self.fds.insert(
                    fd.unwrap_or(0),
                    Fd::Source(Arc::new(Source::new(s.into_bytes()))),
                );
                Ok(())
            }
            IoRedirect::HereDocument(fd, doc) => {
                let mut body = doc.doc.value.clone();
                if body.len() > self.shared.limits.max_heredoc {
                    let _ = self.shared.hit(crate::limits::Limit::HeredocSize);
                    self.error("here-document size limit exceeded");
                    return Err(1);
                }
                if doc.remove_tabs {
                    body = body
                        .split_inclusive('\n')
                        .map(|l| l.trim_start_matches('\t'))
                        .collect();
                }
                let text = if doc.requires_expansion {
                    match self.expand_heredoc(&body) {
                        Ok(s) => s,
                        Err(e) => return Err(self.redir_expand_error(e)),
                    }
                } else {
                    body
                };
                self.fds.insert(
                    fd.unwrap_or(0),
                    Fd::Source(Arc::new(Source::new(text.into_bytes()))),
                );
                Ok(())
            }
            IoRedirect::NamedFd(name, inner) => self.apply_named_fd(name, inner),
        }
    }

    /// `{name}>file` and the like: a new descriptor (the lowest free from 10 up) for the
    /// redirection, its number stored in `name`; it stays open after the command, as in
    /// bash (it is recorded in `varassign_fds` for [`Interp::redirect_undoable`]). `{name}>&-` and `{name}<&-` close the descriptor `name` holds.
    fn apply_named_fd(&mut self, name: &str, inner: &IoRedirect) -> Result<(), i32> {
        if let IoRedirect::File(
            _,
            IoFileRedirectKind::DuplicateInput | IoFileRedirectKind::DuplicateOutput,
            IoFileRedirectTarget::Duplicate(w) | IoFileRedirectTarget::Filename(w),
        ) = inner
            && w.value == "-"
        {
            // bash's `redir_varvalue`: no value is an error; any other text is read as
            // a number (0 when it is not one), truncated to an `int` as C does.
            let n = match self.varassign_value(name) {
                Some(v) if !v.is_empty() => {
                    let t = v.trim_matches([' ', '\t', '\n']);
                    t.parse::<i64>().unwrap_or(0) as i32
                }
                _ => -1,
            };
            if n < 0 {
                self.error(&format!("{name}: ambiguous redirect"));
                return Err(1);
            }
            self.coproc_fd_closed(n);
            self.fds.insert(n, Fd::Closed);
            return Ok(());
        }
        let Some(n) = (10..).find(|n| !self.fds.get(n).is_some_and(Fd::is_open)) else {
            self.error("redirection error: cannot duplicate fd: Too many open files");
            return Err(1);
        };
        let with_fd = match inner {
            IoRedirect::File(_, k, t) => IoRedirect::File(Some(n), k.clone(), t.clone()),
            IoRedirect::HereString(_, w) => IoRedirect::HereString(Some(n), w.clone()),
            IoRedirect::HereDocument(_, d) => IoRedirect::HereDocument(Some(n), d.clone()),
            other => other.clone(),
        };
        self.apply_redirect(&with_fd)?;
        if let Err(m) = self.assign_var_text(name, n.to_string()) {
            self.error(&m);
            self.error(&format!("{name}: cannot assign fd to variable"));
            self.fds.remove(&n);
            return Err(1);
        }
        self.varassign_fds.push(n);
        Ok(())
    }

    /// The value of `name` or `name[subscript]`, if set.
    fn varassign_value(&mut self, name: &str) -> Option<String> {
        let Some((base, sub)) = name.strip_suffix(']').and_then(|t| t.split_once('[')) else {
            return self.get_scalar(name);
        };
        match self.lookup(base)? {
            crate::vars::Value::Assoc(m) => m.get(sub).cloned(),
            crate::vars::Value::Indexed(m) => {
                let i = self.eval_arith_text(sub).ok()?;
                m.get(&i).cloned()
            }
            crate::vars::Value::Scalar(s) => (self.eval_arith_text(sub).ok()? == 0).then_some(s),
        }
    }

    fn dup_fd(&mut self, n: i32, m: i32) -> Result<(), i32> {
        self.dup_fd_shown(n, m, &m.to_string())
    }

    /// `n>&m`; a bad `m` is reported as `shown`.
    fn dup_fd_shown(&mut self, n: i32, m: i32, shown: &str) -> Result<(), i32> {
        match self.fds.get(&m) {
            Some(f) if f.is_open() => {
                let f = f.clone();
                self.fds.insert(n, f);
                Ok(())
            }
            _ => {
                self.error(&format!("{shown}: Bad file descriptor"));
                Err(1)
            }
        }
    }

    pub(super) fn open_redirect(&mut self, path: &str, mode: &Mode) -> Result<Fd, i32> {
        match path {
            "/dev/null" => return Ok(Fd::Null),
            "/dev/zero" => return Ok(Fd::Zero),
            "/dev/urandom" | "/dev/random" => return Ok(Fd::Random),
            "/dev/stdin" | "/dev/fd/0" => return self.fd_or_bad(0),
            "/dev/stdout" | "/dev/fd/1" => return self.fd_or_bad(1),
            "/dev/stderr" | "/dev/fd/2" => return self.fd_or_bad(2),
            _ => {}
        }
        if let Some(n) = path
            .strip_prefix("/dev/fd/")
            .and_then(|n| n.parse::<i32>().ok())
        {
            return self.fd_or_bad(n);
        }
        if path.is_empty() {
            self.error(": No such file or directory");
            return Err(1);
        }
        let opts = match mode {
            Mode::Read => OpenOptions::read_only(),
            Mode::Write | Mode::Clobber => OpenOptions::create_truncate(),
            Mode::Append => OpenOptions::create_append(),
            Mode::ReadWrite => OpenOptions::new().read(true).write(true).create(true),
        };
        if matches!(mode, Mode::Write)
            && self.opts.noclobber
            && self.vfs.stat(path).is_ok_and(|m| m.is_file())
        {
            self.error(&format!("{path}: cannot overwrite existing file"));
            return Err(1);
        }
        match self.vfs.open(path, &opts) {
            Ok(h) => Ok(Fd::File {
                handle: Arc::new(Mutex::new(h)),
                path: path.into(),
            }),
            Err(e) => {
                let msg = match e.errno() {
                    Errno::NoSpace => "No space left on device".to_string(),
                    other => other.message().to_string(),
                };
                self.error(&format!("{path}: {msg}"));
                Err(1)
            }
        }
    }

    fn fd_or_bad(&mut self, n: i32) -> Result<Fd, i32> {
        match self.fds.get(&n) {
            Some(f) if f.is_open() => Ok(f.clone()),
            _ => {
                self.error(&format!("/dev/fd/{n}: No such file or directory"));
                Err(1)
            }
        }
    }

    /// Expand a here-document body: parameters, substitutions, arithmetic; `\$`, `` \` ``,
    /// `\\` and `\newline` are the only escapes.
    fn expand_heredoc(&mut self, body: &str) -> Result<String, ExpandError> {
        let pieces = brush_parser::word::parse_heredoc(body, &self.parser_options())
            .map_err(|_| ExpandError::Abort("bad substitution".into()))?;
        let mut out = String::new();
        for p in &pieces {
            out.push_str(&self.expand_piece_string(&p.piece)?);
        }
        Ok(out)
    }
}

fn mode_of(kind: &IoFileRedirectKind) -> Mode {
    match kind {
        IoFileRedirectKind::Read | IoFileRedirectKind::DuplicateInput => Mode::Read,
        IoFileRedirectKind::Write | IoFileRedirectKind::DuplicateOutput => Mode::Write,
        IoFileRedirectKind::Append => Mode::Append,
        IoFileRedirectKind::ReadAndWrite => Mode::ReadWrite,
        IoFileRedirectKind::Clobber => Mode::Clobber,
    }
}

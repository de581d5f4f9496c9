//! Redirections: `< > >> >| <> &> &>> n>&m n<&m n>&-`, here-documents and here-strings,
//! and the `/dev` files the sandbox provides.

use brush_parser::ast::{self, IoFileRedirectKind, IoFileRedirectTarget, IoRedirect};
use parking_lot::Mutex;
use std::sync::Arc;

use super::Interp;
use super::expand::ExpandError;
use crate::io::{Fd, Source};
use vfs_core::{Errno, OpenOptions};

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
    pub(super) fn apply_redirects(&mut self, rs: &[IoRedirect]) -> Result<(), i32> {
        let refs: Vec<&IoRedirect> = rs.iter().collect();
        self.apply_redirects_refs(&refs)
    }

    pub(super) fn apply_redirects_refs(&mut self, rs: &[&IoRedirect]) -> Result<(), i32> {
        for r in rs {
            self.apply_redirect(r)?;
        }
        Ok(())
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
                        if t == "-" {
                            self.fds.insert(n, Fd::Closed);
                            return Ok(());
                        }
                        if let Some(num) = t.strip_suffix('-') {
                            let m: i32 = num.parse().map_err(|_| {
                                self.error(&format!("{t}: ambiguous redirect"));
                                1
                            })?;
                            self.dup_fd(n, m)?;
                            self.fds.insert(m, Fd::Closed);
                            return Ok(());
                        }
                        match t.parse::<i32>() {
                            Ok(m) => self.dup_fd(n, m),
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
        }
    }

    fn dup_fd(&mut self, n: i32, m: i32) -> Result<(), i32> {
        match self.fds.get(&m) {
            Some(f) if f.is_open() => {
                let f = f.clone();
                self.fds.insert(n, f);
                Ok(())
            }
            _ => {
                self.error(&format!("{m}: Bad file descriptor"));
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

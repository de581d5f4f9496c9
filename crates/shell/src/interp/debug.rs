//! The DEBUG trap, `$BASH_COMMAND`, and which traps functions and subshells inherit.
//!
//! Before each simple command, each pass of a `for` or `select` loop, each part of an
//! arithmetic `for`, a `case`, a `(( ))` and a `[[ ]]`, bash records the command's text
//! (as its printer shows it) in `BASH_COMMAND` and runs the DEBUG trap. While a trap
//! runs, `BASH_COMMAND` keeps the command the trap interrupted. With
//! `shopt -s extdebug`, a DEBUG trap that fails skips the command.
//!
//! Functions, subshells and command substitutions do not see the DEBUG and RETURN traps
//! unless `set -T` is on (or the function has the trace attribute, `declare -ft`), nor
//! the ERR trap unless `set -E` is on: bash takes them away for the while and puts them
//! back after.
//!
//! None of this costs anything unless a DEBUG trap is set or some script text names
//! `BASH_COMMAND` (the text is then recorded for every command).

use std::sync::atomic::Ordering;

use brush_parser::ast;

use super::{Flow, Interp, fnprint};
use crate::vars::attr;

/// The traps a function or subshell does not inherit, taken away while it runs.
pub(super) type HiddenTraps = Vec<(String, String)>;

impl Interp {
    /// Whether commands must record their text: a DEBUG trap is set, or `BASH_COMMAND`
    /// appears in some text the shell has read.
    #[inline]
    pub(super) fn tracing_commands(&self) -> bool {
        (!self.traps.is_empty() && self.traps.contains_key("DEBUG"))
            || self.shared.uses_bash_command.load(Ordering::Relaxed)
    }

    /// Note text the shell is about to run (a script, `eval`, a sourced file).
    pub(super) fn note_script_text(&self, text: &str) {
        if text.contains("BASH_COMMAND") {
            self.shared.uses_bash_command.store(true, Ordering::Relaxed);
        }
    }

    /// Before a command whose text `text` makes: record it and run the DEBUG trap.
    /// `Ok(true)` means skip the command (`extdebug` and a failing trap).
    pub(super) fn debug_point(&mut self, text: impl FnOnce() -> String) -> Result<bool, Flow> {
        if self.in_trap {
            return Ok(false);
        }
        self.bash_command = text();
        if !self.traps.contains_key("DEBUG") {
            return Ok(false);
        }
        let status = self.run_debug_trap()?;
        Ok(self.opts.extdebug && status != 0)
    }

    /// Before a simple command.
    pub(super) fn debug_simple(&mut self, s: &ast::SimpleCommand) -> Result<bool, Flow> {
        self.debug_point(|| fnprint::simple_text(s))
    }

    /// Run the DEBUG trap; its status. `$?` and `PIPESTATUS` are kept.
    pub(super) fn run_debug_trap(&mut self) -> Result<i32, Flow> {
        let Some(cmd) = self.traps.get("DEBUG").cloned() else {
            return Ok(0);
        };
        let saved = self.last_status;
        let saved_pipe = self.pipestatus.clone();
        let saved_in_trap = std::mem::replace(&mut self.in_trap, true);
        let r = self.eval_string(&cmd, "trap");
        self.in_trap = saved_in_trap;
        self.last_status = saved;
        self.pipestatus = saved_pipe;
        match r {
            Ok(s) => Ok(s),
            Err(Flow::Exit(s)) => Err(Flow::Exit(s)),
            Err(Flow::Limit(l)) => Err(Flow::Limit(l)),
            Err(_) => Ok(1),
        }
    }

    /// Take away the traps function `name` does not inherit; give them back with
    /// [`Interp::restore_traps`].
    pub(super) fn hide_traps_for_function(&mut self, name: &str) -> HiddenTraps {
        if self.traps.is_empty() {
            return Vec::new();
        }
        let traced = self.opts.functrace || self.func_has(name, attr::TRACE);
        self.hide_traps(traced)
    }

    /// Take away the traps a subshell does not inherit (it never gives them back).
    pub(super) fn hide_traps_for_subshell(&mut self) {
        if !self.traps.is_empty() {
            let _ = self.hide_traps(self.opts.functrace);
        }
    }

    fn hide_traps(&mut self, traced: bool) -> HiddenTraps {
        let mut hidden = Vec::new();
        let mut take = |traps: &mut std::collections::BTreeMap<String, String>, sig: &str| {
            if let Some(cmd) = traps.remove(sig) {
                hidden.push((sig.to_string(), cmd));
            }
        };
        if !traced {
            take(&mut self.traps, "DEBUG");
            take(&mut self.traps, "RETURN");
        }
        if !self.opts.errtrace {
            take(&mut self.traps, "ERR");
        }
        hidden
    }

    /// Give back traps taken away by [`Interp::hide_traps_for_function`].
    pub(super) fn restore_traps(&mut self, hidden: HiddenTraps) {
        for (sig, cmd) in hidden {
            self.traps.insert(sig, cmd);
        }
    }
}

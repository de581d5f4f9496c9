//! The `shopt` options: every option bash 5.2 has, in the order `shopt` lists them,
//! with a non-interactive shell's defaults. The ones the interpreter acts on live in
//! [`super::Opts`]; the others are only remembered (a bit each in `Opts::shopt_other`).

use super::{Interp, Opts};

/// bash's `shopt` options and their defaults, in bash's order.
pub(super) const SHOPTS: &[(&str, bool)] = &[
    ("autocd", false),
    ("assoc_expand_once", false),
    ("cdable_vars", false),
    ("cdspell", false),
    ("checkhash", false),
    ("checkjobs", false),
    ("checkwinsize", true),
    ("cmdhist", true),
    ("compat31", false),
    ("compat32", false),
    ("compat40", false),
    ("compat41", false),
    ("compat42", false),
    ("compat43", false),
    ("compat44", false),
    ("complete_fullquote", true),
    ("direxpand", false),
    ("dirspell", false),
    ("dotglob", false),
    ("execfail", false),
    ("expand_aliases", false),
    ("extdebug", false),
    ("extglob", false),
    ("extquote", true),
    ("failglob", false),
    ("force_fignore", true),
    ("globasciiranges", true),
    ("globskipdots", true),
    ("globstar", false),
    ("gnu_errfmt", false),
    ("histappend", false),
    ("histreedit", false),
    ("histverify", false),
    ("hostcomplete", true),
    ("huponexit", false),
    ("inherit_errexit", false),
    ("interactive_comments", true),
    ("lastpipe", false),
    ("lithist", false),
    ("localvar_inherit", false),
    ("localvar_unset", false),
    ("login_shell", false),
    ("mailwarn", false),
    ("no_empty_cmd_completion", false),
    ("nocaseglob", false),
    ("nocasematch", false),
    ("noexpand_translation", false),
    ("nullglob", false),
    ("patsub_replacement", true),
    ("progcomp", true),
    ("progcomp_alias", false),
    ("promptvars", true),
    ("restricted_shell", false),
    ("shift_verbose", false),
    ("sourcepath", true),
    ("varredir_close", false),
    ("xpg_echo", false),
];

/// The defaults of the options only remembered, as `Opts::shopt_other` bits.
pub(super) fn default_other_bits() -> u64 {
    SHOPTS
        .iter()
        .enumerate()
        .filter(|(_, (_, on))| *on)
        .fold(0, |bits, (i, _)| bits | (1 << i))
}

impl Opts {
    /// The field of an option the interpreter acts on.
    fn shopt_field(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "extglob" => &mut self.extglob,
            "nullglob" => &mut self.nullglob,
            "failglob" => &mut self.failglob,
            "dotglob" => &mut self.dotglob,
            "nocaseglob" => &mut self.nocaseglob,
            "nocasematch" => &mut self.nocasematch,
            "globstar" => &mut self.globstar,
            "expand_aliases" => &mut self.expand_aliases,
            "lastpipe" => &mut self.lastpipe,
            "xpg_echo" => &mut self.xpg_echo,
            "extdebug" => &mut self.extdebug,
            "inherit_errexit" => &mut self.inherit_errexit,
            "shift_verbose" => &mut self.shift_verbose,
            "patsub_replacement" => &mut self.patsub_replacement,
            _ => return None,
        })
    }
}

impl Interp {
    /// The value of `shopt` option `name`, or None if bash has no such option.
    pub(super) fn shopt_get(&mut self, name: &str) -> Option<bool> {
        if let Some(v) = self.opts.shopt_field(name) {
            return Some(*v);
        }
        let i = SHOPTS.iter().position(|(n, _)| *n == name)?;
        Some(self.opts.shopt_other & (1 << i) != 0)
    }

    /// Set `shopt` option `name`; false if bash has no such option.
    pub(super) fn shopt_set(&mut self, name: &str, on: bool) -> bool {
        if let Some(v) = self.opts.shopt_field(name) {
            *v = on;
            return true;
        }
        let Some(i) = SHOPTS.iter().position(|(n, _)| *n == name) else {
            return false;
        };
        if on {
            self.opts.shopt_other |= 1 << i;
        } else {
            self.opts.shopt_other &= !(1 << i);
        }
        true
    }
}

/// The `set -o` options bash has that change nothing here (no line editor, history or
/// job control; POSIX mode's differences are not built): remembered, with their
/// defaults, so that `set -o`, `$SHELLOPTS` and `shopt -o` show what was set.
pub(super) const SET_REMEMBERED: &[(&str, bool)] = &[
    ("emacs", false),
    ("hashall", true),
    ("histexpand", false),
    ("history", false),
    ("ignoreeof", false),
    ("interactive-comments", true),
    ("keyword", false),
    ("monitor", false),
    ("nolog", false),
    ("notify", false),
    ("onecmd", false),
    ("physical", false),
    ("posix", false),
    ("privileged", false),
    ("vi", false),
];

impl Opts {
    /// A remembered `set -o` option's value; None for the others.
    pub(super) fn remembered(&self, name: &str) -> Option<bool> {
        let i = SET_REMEMBERED.iter().position(|(n, _)| *n == name)?;
        Some(SET_REMEMBERED[i].1 != (self.set_flipped & (1 << i) != 0))
    }

    /// Set a remembered `set -o` option; false if it is not one.
    pub(super) fn set_remembered(&mut self, name: &str, on: bool) -> bool {
        let Some(i) = SET_REMEMBERED.iter().position(|(n, _)| *n == name) else {
            return false;
        };
        if SET_REMEMBERED[i].1 == on {
            self.set_flipped &= !(1 << i);
        } else {
            self.set_flipped |= 1 << i;
        }
        // The two editing modes exclude each other.
        match (name, on) {
            ("vi", true) => {
                self.set_remembered("emacs", false);
            }
            ("emacs", true) => {
                self.set_remembered("vi", false);
            }
            _ => {}
        }
        true
    }
}

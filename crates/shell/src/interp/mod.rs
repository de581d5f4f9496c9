//! The interpreter: runs brush-parser's AST over the VFS.
//!
//! An [`Interp`] is the state of one shell process: variables, functions, options,
//! positional parameters, open file descriptors and the working directory (its own
//! [`vfs_core::Vfs`] view). A subshell, a pipeline stage or a background job is a clone
//! of it running on its own thread; clones are cheap (persistent maps, `Arc`ed fds).
//!
//! Control flow that leaves a construct early (`break`, `continue`, `return`, `exit`,
//! `set -e`, a limit) travels up as the `Err` side of [`Exec`] until the construct that
//! handles it.

mod builtins;
pub use builtins::builtin_names;
mod complete;
mod coproc;
mod cputime;
mod debug;
mod dirstack;
mod expand;
mod fnprint;
mod help;
mod history;
mod jobs;
pub mod pool;
mod procsub;
mod redir;
mod select;
mod shopts;
mod simple;
pub mod stack;
mod tables;
mod test_expr;
mod ulimit;

use brush_parser::ast;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::commands::Registry;
use crate::io::{Cancel, Fd};
use crate::limits::{Limit, ShellLimits};
use crate::vars::{Var, Vars, attr};
use vfs_core::Vfs;

pub use expand::Expander;
pub use simple::PendingAssign;

/// Why execution left a construct early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `break N` (levels left to break).
    Break(u32),
    /// `continue N`.
    Continue(u32),
    /// `return N` from a function or sourced file.
    Return(i32),
    /// `exit N`, or a fatal error that ends the shell with status N.
    Exit(i32),
    /// A limit was hit: the whole run stops.
    Limit(Limit),
    /// An expansion error (arithmetic, bad substitution, failglob): the current
    /// top-level command stops and `$?` becomes 1; the script goes on.
    Abort,
}

/// The result of running something: its exit status, or a non-local exit.
pub type Exec = Result<i32, Flow>;

/// State shared by a shell and every subshell, stage and job it starts.
pub struct Shared {
    /// The limits in force.
    pub limits: ShellLimits,
    /// Cancellation from outside (and from a limit hit anywhere).
    pub cancel: Cancel,
    /// When the time limit runs out.
    pub deadline: Mutex<Instant>,
    /// Commands run so far in this `exec`.
    pub commands: AtomicU64,
    /// Loop iterations so far in this `exec`.
    pub loops: AtomicU64,
    /// Threads (stages, jobs) running now.
    pub running: AtomicUsize,
    /// The first limit hit, if any.
    pub limit_hit: Mutex<Option<Limit>>,
    /// The commands that are not builtins.
    pub registry: Arc<Registry>,
    /// Next fake process id.
    pub next_pid: AtomicU32,
    /// When the shell started (for `SECONDS`).
    pub started: Instant,
    /// Some text run so far names `BASH_COMMAND`: simple commands record their text.
    pub uses_bash_command: std::sync::atomic::AtomicBool,
}

impl Shared {
    /// Record that `limit` was hit and stop everything.
    pub fn hit(&self, limit: Limit) -> Flow {
        let mut l = self.limit_hit.lock();
        if l.is_none() {
            *l = Some(limit);
        }
        drop(l);
        self.cancel.cancel();
        Flow::Limit(limit)
    }

    /// Check the time limit and cancellation.
    pub fn check(&self) -> Result<(), Flow> {
        if self.cancel.is_cancelled() {
            let l = self.limit_hit.lock().unwrap_or(Limit::Cancelled);
            return Err(Flow::Limit(l));
        }
        if Instant::now() > *self.deadline.lock() {
            return Err(self.hit(Limit::Time));
        }
        Ok(())
    }
}

/// Shell options (`set -o` and `shopt`).
#[derive(Clone, Debug, Default)]
pub struct Opts {
    /// `set -e`.
    pub errexit: bool,
    /// `set -u`.
    pub nounset: bool,
    /// `set -x`.
    pub xtrace: bool,
    /// `set -f`.
    pub noglob: bool,
    /// `set -C`.
    pub noclobber: bool,
    /// `set -o pipefail`.
    pub pipefail: bool,
    /// `set -a`.
    pub allexport: bool,
    /// `set -v` (accepted; input lines are not echoed).
    pub verbose: bool,
    /// `set -n`.
    pub noexec: bool,
    /// `set +B` (brace expansion off).
    pub nobraceexpand: bool,
    /// `shopt -s extglob`.
    pub extglob: bool,
    /// `shopt -s nullglob`.
    pub nullglob: bool,
    /// `shopt -s failglob`.
    pub failglob: bool,
    /// `shopt -s dotglob`.
    pub dotglob: bool,
    /// `shopt -s nocaseglob`.
    pub nocaseglob: bool,
    /// `shopt -s nocasematch`.
    pub nocasematch: bool,
    /// `shopt -s xpg_echo`: `echo` interprets backslash escapes.
    pub xpg_echo: bool,
    /// `shopt -s globstar`.
    pub globstar: bool,
    /// `shopt -s expand_aliases`.
    pub expand_aliases: bool,
    /// `shopt -s lastpipe`.
    pub lastpipe: bool,
    /// `shopt -s patsub_replacement` (on by default): `&` in `${x/p/rep}` is the match.
    pub patsub_replacement: bool,
    /// `set -E`: functions, subshells and command substitutions keep the ERR trap.
    pub errtrace: bool,
    /// `set -T`: functions, subshells and command substitutions keep the DEBUG and
    /// RETURN traps.
    pub functrace: bool,
    /// `shopt -s extdebug`: a DEBUG trap that fails skips the command.
    pub extdebug: bool,
    /// `shopt -s inherit_errexit`: command substitutions keep `set -e`.
    pub inherit_errexit: bool,
    /// `shopt -s shift_verbose`: `shift` past the end complains.
    pub shift_verbose: bool,
    /// The `shopt` options only remembered, a bit each (see [`shopts::SHOPTS`]).
    pub shopt_other: u64,
    /// The `set -o` options only remembered: bit i set when
    /// [`shopts::SET_REMEMBERED`]`[i]` differs from its default.
    pub set_flipped: u32,
}

/// A background job.
pub struct Job {
    /// Its fake process id (`$!`).
    pub pid: u32,
    /// The thread running it; its result is the exit status.
    pub handle: Option<pool::JobHandle<i32>>,
    /// Set when it has ended (and been reaped).
    pub status: Option<i32>,
    /// Its job number (`%1`).
    pub id: u32,
    /// Its command, as `jobs` shows it.
    pub text: String,
    /// Where `kill` sends it signals.
    pub signals: Option<Arc<jobs::JobSignals>>,
    /// A job of the parent shell, listed in a subshell (which cannot wait for it).
    pub inherited: bool,
}

/// One shell's state.
#[derive(Clone)]
pub struct Interp {
    /// The filesystem, with this shell's working directory.
    pub vfs: Vfs,
    /// Variables.
    pub vars: Vars,
    /// Functions.
    pub funcs: imbl::HashMap<String, Arc<ast::FunctionDefinition>>,
    /// Functions' attributes (`readonly -f`, `export -f`): `attr::READONLY`, `attr::EXPORT`.
    pub func_attrs: imbl::HashMap<String, u16>,
    /// Aliases: value, and the line they were defined on (bash expands an alias only in
    /// lines read after its definition).
    pub aliases: imbl::HashMap<String, (String, usize)>,
    /// Options.
    pub opts: Opts,
    /// `$1`...
    pub positional: Vec<String>,
    /// `$0`.
    pub arg0: String,
    /// `$?`.
    pub last_status: i32,
    /// `PIPESTATUS`.
    pub pipestatus: Vec<i32>,
    /// Open descriptors.
    pub fds: BTreeMap<i32, Fd>,
    /// Shared across subshells.
    pub shared: Arc<Shared>,
    /// Active function calls.
    pub call_depth: usize,
    /// The `set` options to restore when the current function returns (`local -`).
    pub local_dash: Option<Opts>,
    /// Active loops (for `break`/`continue` validity).
    pub loop_depth: u32,
    /// Subshell nesting (`BASH_SUBSHELL`).
    pub subshell: usize,
    /// An arithmetic evaluation read an unset variable under `set -u`: the error that
    /// reports it ends the shell (see [`Interp::arith_unbound_exit`]).
    pub arith_unbound: bool,
    /// Command substitution nesting in this shell process: how many times `set -x`
    /// repeats the first character of `PS4` beyond the first (bash does not count
    /// subshells or pipeline stages).
    pub cmdsub_depth: usize,
    /// Current line for messages and `LINENO`.
    pub lineno: usize,
    /// Line offset of the text being run (for functions and `eval`).
    pub line_base: usize,
    /// `FUNCNAME` stack, innermost last.
    pub funcnames: Vec<String>,
    /// The line each function on `funcnames` was called from (`BASH_LINENO`).
    pub call_lines: Vec<usize>,
    /// Trap commands by signal name (`EXIT`, `ERR`, `RETURN`, `INT`...).
    pub traps: BTreeMap<String, String>,
    /// `pushd`/`popd` stack (without the current directory).
    pub dirstack: Vec<String>,
    /// Background jobs.
    pub jobs: Arc<Mutex<Vec<Job>>>,
    /// What the commands this shell runs stop on: the session's cancel flag, or in a
    /// background job the job's own (a child of it).
    pub cancel: Cancel,
    /// In a background job: the signals `kill` sent it.
    pub job_signals: Option<Arc<jobs::JobSignals>>,
    /// Hashed commands, disabled builtins, completions, history, resource limits.
    pub tables: tables::Tables,
    /// `$$`.
    pub pid: u32,
    /// `BASHPID`.
    pub bashpid: u32,
    /// `$!`.
    pub last_bg: Option<u32>,
    /// Non-zero where `set -e` does not act (conditions, `&&`/`||` heads, `!`).
    pub errexit_off: u32,
    /// The name messages start with (`agentsh`, or the script's name).
    pub err_name: String,
    /// Set while running a trap (no recursion into the same trap).
    pub in_trap: bool,
    /// `source`/`.` nesting depth.
    pub source_depth: usize,
    /// The option flags string's `i`, `c`... extras for `$-`.
    pub invoked_with_c: bool,
    /// A top-level command met a syntax error only when it came to run (extended
    /// patterns with `extglob` off): the script ends as at any syntax error.
    syntax_exit: bool,
    /// Set by [`Interp::run_script_text`]: the script ended by `exit` (or `set -e`), not
    /// by running off its end or by a syntax error. Interactive front ends stop then.
    pub exit_requested: bool,
    /// Status of the last command substitution in the current command.
    pub cmdsub_status: Option<i32>,
    /// Set by `exec` with only redirections: keep them.
    pub keep_redirects: bool,
    /// Pre-expanded assignment arguments of a declaration builtin, by argv index.
    pub decl_assigns: std::collections::HashMap<usize, simple::PendingAssign>,
    /// `getopts` position inside a bundled argument.
    pub getopts_pos: usize,
    /// A signal sent to this shell with no trap: exit with this status.
    pub pending_signal_exit: Option<i32>,
    /// Options for a nested `bash -e ...` to apply before running.
    pub nested_opts: Vec<String>,
    /// Inside `eval` (an abort goes up to the top level).
    pub in_eval: bool,
    /// A builtin's write found no reader (SIGPIPE).
    pub broken_pipe: bool,
    /// `$_`: the last argument of the previous simple command.
    pub last_arg: Option<String>,
    /// Aliases being expanded right now (an alias is not expanded inside itself).
    pub expanding_aliases: Vec<String>,
    /// State of `$RANDOM` (0: not seeded yet).
    pub rand_state: Arc<std::sync::atomic::AtomicU64>,
    /// Status a `break` with a bad count leaves behind.
    pub break_status: Option<i32>,
    /// Process substitutions of the command running now.
    pub procsubs: procsub::ProcSubs,
    /// Parsed words, shared by this shell and its subshells.
    pub word_cache: Arc<Mutex<[WordCache; 2]>>,
    /// The running coprocess (`coproc`), if any.
    pub coproc: Option<coproc::Coproc>,
    /// Descriptors `{name}>file` opened by the redirections being applied (they stay
    /// open when the redirections are undone).
    pub varassign_fds: Vec<i32>,
    /// `$BASH_COMMAND`: the command running or about to run (kept while a trap runs).
    pub bash_command: String,
}

/// The variables every new shell starts with, but `PWD`. They are the same each time,
/// so they are built once and shared (scopes are persistent maps: a copy is a pointer).
fn base_vars() -> &'static Vars {
    static BASE: std::sync::OnceLock<Vars> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let mut vars = Vars::new();
        let mut set = |k: &str, v: &str, a: u16| {
            let var = vars.entry(k);
            *var = Var::scalar(v);
            var.attrs |= a;
        };
        set("IFS", " \t\n", 0);
        set("PS4", "+ ", 0);
        set("OPTIND", "1", 0);
        set("SHELL", "/bin/bash", 0);
        set("BASH", "/bin/bash", 0);
        set("BASH_VERSION", "5.2.15(1)-release", 0);
        set("HOSTNAME", "sandbox", 0);
        set("HOSTTYPE", "x86_64", 0);
        set("OSTYPE", "linux-gnu", 0);
        set("MACHTYPE", "x86_64-pc-linux-gnu", 0);
        set("SHLVL", "1", attr::EXPORT);
        set("UID", "0", attr::READONLY);
        set("EUID", "0", attr::READONLY);
        set("PPID", "1", attr::READONLY);
        // Exported but without a value until the first `cd`.
        vars.entry("OLDPWD").attrs |= attr::EXPORT;
        let ver = ["5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"]
            .iter()
            .zip(0i64..)
            .map(|(v, i)| (i, v.to_string()))
            .collect();
        let v = vars.entry("BASH_VERSINFO");
        v.value = Some(crate::vars::Value::Indexed(ver));
        v.attrs |= attr::READONLY | attr::ARRAY;
        vars
    })
}

impl Interp {
    /// A fresh shell on `vfs`.
    pub fn new(vfs: Vfs, limits: ShellLimits, registry: Arc<Registry>) -> Interp {
        let shared = Arc::new(Shared {
            limits,
            cancel: Cancel::new(),
            deadline: Mutex::new(Instant::now() + limits.timeout),
            commands: AtomicU64::new(0),
            loops: AtomicU64::new(0),
            running: AtomicUsize::new(0),
            limit_hit: Mutex::new(None),
            registry,
            next_pid: AtomicU32::new(1000),
            started: Instant::now(),
            uses_bash_command: std::sync::atomic::AtomicBool::new(false),
        });
        let mut fds = BTreeMap::new();
        fds.insert(0, Fd::Null);
        fds.insert(1, Fd::Null);
        fds.insert(2, Fd::Null);
        let cancel = shared.cancel.clone();
        let mut it = Interp {
            vfs,
            vars: Vars::new(),
            funcs: imbl::HashMap::new(),
            func_attrs: imbl::HashMap::new(),
            aliases: imbl::HashMap::new(),
            opts: Opts {
                patsub_replacement: true,
                shopt_other: shopts::default_other_bits(),
                ..Opts::default()
            },
            positional: Vec::new(),
            arg0: "agentsh".into(),
            last_status: 0,
            // Unset until the first pipeline runs, as in bash.
            pipestatus: Vec::new(),
            fds,
            shared,
            call_depth: 0,
            local_dash: None,
            loop_depth: 0,
            subshell: 0,
            arith_unbound: false,
            cmdsub_depth: 0,
            lineno: 0,
            line_base: 0,
            funcnames: Vec::new(),
            call_lines: Vec::new(),
            traps: BTreeMap::new(),
            dirstack: Vec::new(),
            jobs: Arc::new(Mutex::new(Vec::new())),
            cancel,
            job_signals: None,
            tables: tables::Tables::default(),
            pid: 999,
            bashpid: 999,
            last_bg: None,
            errexit_off: 0,
            err_name: "agentsh".into(),
            in_trap: false,
            source_depth: 0,
            invoked_with_c: false,
            syntax_exit: false,
            exit_requested: false,
            cmdsub_status: None,
            keep_redirects: false,
            decl_assigns: std::collections::HashMap::new(),
            getopts_pos: 0,
            pending_signal_exit: None,
            nested_opts: Vec::new(),
            in_eval: false,
            broken_pipe: false,
            last_arg: None,
            expanding_aliases: Vec::new(),
            rand_state: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            break_status: None,
            procsubs: procsub::ProcSubs::default(),
            word_cache: Arc::new(Mutex::new(Default::default())),
            coproc: None,
            varassign_fds: Vec::new(),
            bash_command: String::new(),
        };
        it.init_vars();
        it
    }

    fn init_vars(&mut self) {
        self.vars = base_vars().clone();
        if let Ok(cwd) = self.vfs.cwd() {
            let var = self.vars.entry("PWD");
            *var = Var::scalar(cwd.to_string_lossy());
            var.attrs |= attr::EXPORT;
        }
    }

    /// Next fake pid for a subshell or job.
    pub fn new_pid(&self) -> u32 {
        self.shared.next_pid.fetch_add(1, Ordering::SeqCst)
    }

    // ----- messages ----------------------------------------------------------------------

    /// Write to a descriptor, ignoring errors (a closed stderr is not fatal).
    pub fn write_fd(&self, fd: i32, data: &[u8]) -> std::io::Result<()> {
        match self.fds.get(&fd) {
            Some(f) => f.write_all(data),
            None => Err(std::io::Error::from_raw_os_error(9)),
        }
    }

    /// Print `agentsh: line N: MSG` on stderr, as bash does for a script.
    pub fn error(&self, msg: &str) {
        let text = format!("{}: line {}: {}\n", self.err_name, self.lineno, msg);
        let _ = self.write_fd(2, text.as_bytes());
    }

    /// Print `agentsh: MSG` (no line number).
    pub fn error_noline(&self, msg: &str) {
        let text = format!("{}: {}\n", self.err_name, msg);
        let _ = self.write_fd(2, text.as_bytes());
    }

    // ----- limits ------------------------------------------------------------------------

    fn count_command(&mut self) -> Result<(), Flow> {
        let n = self.shared.commands.fetch_add(1, Ordering::Relaxed);
        if n >= self.shared.limits.max_commands {
            return Err(self.shared.hit(Limit::Commands));
        }
        if n.is_multiple_of(64) {
            self.shared.check()?;
        } else if self.shared.cancel.is_cancelled() {
            return self.shared.check();
        }
        if self.job_signals.is_some() {
            self.job_signal_point()?;
        }
        Ok(())
    }

    /// A loop iteration: counted against the limit, and (as bash reaps finished children
    /// there) a point where a finished coprocess is noticed.
    fn count_loop(&mut self) -> Result<(), Flow> {
        self.reap_point();
        let n = self.shared.loops.fetch_add(1, Ordering::Relaxed);
        if n >= self.shared.limits.max_loop_iterations {
            return Err(self.shared.hit(Limit::LoopIterations));
        }
        if n.is_multiple_of(64) {
            self.shared.check()?;
        }
        Ok(())
    }

    // ----- running -----------------------------------------------------------------------

    /// Run a parsed program.
    pub fn run_program(&mut self, prog: &ast::Program) -> Exec {
        self.run_program_text(prog, None)
    }

    /// Run a parsed program whose source is `text` (a script, a sourced file, an `eval`
    /// string): with `set -v` on, each line goes to standard error as bash's parser reads
    /// it, that is a complete command's lines (and the blank and comment lines before
    /// them) just before it runs, and the lines after the last command at the end.
    pub fn run_program_text(&mut self, prog: &ast::Program, text: Option<&str>) -> Exec {
        let lines: Vec<&str> = text
            .map(|t| t.split_inclusive('\n').collect())
            .unwrap_or_default();
        // A command's lines run from its first to the line before the next command's
        // first, less the blank and comment lines at the end (the parser reads those
        // when it looks for the next command). That takes in compound commands and
        // here-document bodies, whose locations end early.
        let starts: Vec<usize> = if lines.is_empty() {
            Vec::new()
        } else {
            prog.complete_commands
                .iter()
                .map(|cc| ast::SourceLocation::location(cc).map_or(0, |l| l.start.line))
                .collect()
        };
        let mut read = 0;
        let mut status = self.last_status;
        for (i, cc) in prog.complete_commands.iter().enumerate() {
            self.reap_point();
            if !lines.is_empty() {
                let mut end = starts
                    .get(i + 1)
                    .map_or(lines.len(), |&next| next.saturating_sub(1))
                    .min(lines.len());
                while end > read && end > starts[i] && is_blank_or_comment(lines[end - 1]) {
                    end -= 1;
                }
                if end > read {
                    if self.opts.verbose {
                        self.echo_lines(&lines[read..end]);
                    }
                    read = end;
                }
            }
            if let Some(e) = self.extglob_error(&lines, &starts, i) {
                let name = if self.invoked_with_c {
                    format!("{}: -c", self.err_name)
                } else {
                    self.err_name.clone()
                };
                let _ = self.write_fd(2, e.message(&name, self.line_base).as_bytes());
                self.syntax_exit = true;
                return Err(Flow::Exit(2));
            }
            status = match self.exec_list(cc) {
                Ok(s) => s,
                // At the top level an aborted command just fails; inside a function,
                // `eval` or `source` the abort goes on up to the script's top level.
                Err(Flow::Abort)
                    if self.call_depth == 0 && self.source_depth == 0 && !self.in_eval =>
                {
                    self.last_status = 1;
                    1
                }
                Err(e) => return Err(e),
            };
        }
        if self.opts.verbose && read < lines.len() {
            self.echo_lines(&lines[read..]);
        }
        Ok(status)
    }

    /// bash parses a script one command at a time, so `shopt -u extglob` (or its
    /// default, off) makes a later command with an extended pattern (`@(a|b)`) a
    /// syntax error. The script was parsed with extended patterns on; a top-level
    /// command (lines `starts[i]`.. of the script) is parsed again without them when
    /// `extglob` is off and it may hold one. Conditionals are left alone: bash reads
    /// patterns in `[[ ]]` as extended whatever the option.
    fn extglob_error(
        &self,
        lines: &[&str],
        starts: &[usize],
        i: usize,
    ) -> Option<crate::parse::SyntaxError> {
        if self.opts.extglob
            || self.call_depth > 0
            || self.source_depth > 0
            || self.in_eval
            || lines.is_empty()
        {
            return None;
        }
        let first = starts.get(i)?.checked_sub(1)?;
        let end = starts
            .get(i + 1)
            .map_or(lines.len(), |&n| n.saturating_sub(1))
            .min(lines.len());
        let chunk: String = lines.get(first..end)?.concat();
        let extended = chunk
            .as_bytes()
            .windows(2)
            .any(|w| w[1] == b'(' && b"@!+*?".contains(&w[0]));
        if !extended {
            return None;
        }
        let off = brush_parser::ParserOptions {
            enable_extended_globbing: false,
            ..self.parser_options()
        };
        let mut e = crate::parse::parse(&chunk, &off).err()?;
        if e.cond || crate::parse::parse(&chunk, &self.parser_options()).is_err() {
            return None;
        }
        e.line += first;
        for n in &mut e.notes {
            n.0 += first;
        }
        Some(e)
    }

    /// Whether function `name` has attribute `bit`.
    pub fn func_has(&self, name: &str, bit: u16) -> bool {
        self.func_attrs.get(name).is_some_and(|b| b & bit != 0)
    }

    /// `set -v`: source lines to standard error, each ending in a newline.
    fn echo_lines(&mut self, lines: &[&str]) {
        let mut out = String::new();
        for l in lines {
            out.push_str(l);
            if !l.ends_with('\n') {
                out.push('\n');
            }
        }
        let _ = self.write_fd(2, out.as_bytes());
    }

    /// A new shell process started from this one (a script, `bash -c`): same
    /// filesystem view, descriptors and limits; only exported variables carry over
    /// (the caller sets them).
    pub fn new_child(parent: &Interp) -> Interp {
        let mut child = Interp::new(
            parent.vfs.clone(),
            parent.shared.limits,
            Arc::clone(&parent.shared.registry),
        );
        child.shared = Arc::clone(&parent.shared);
        child.cancel = parent.cancel.clone();
        child.fds = parent.fds.clone();
        // The coprocess's descriptors are close-on-exec in bash.
        if let Some(cp) = &parent.coproc {
            for n in cp.fds() {
                child.fds.remove(&n);
            }
        }
        child.subshell = parent.subshell + 1;
        child.pid = parent.new_pid();
        child.bashpid = child.pid;
        child.vfs.set_umask(parent.vfs.umask());
        // Exported functions reach the new shell (bash passes them in the environment).
        for (name, bits) in &parent.func_attrs {
            if bits & attr::EXPORT != 0
                && let Some(f) = parent.funcs.get(name)
            {
                child.funcs.insert(name.clone(), Arc::clone(f));
                child.func_attrs.insert(name.clone(), *bits);
            }
        }
        let opts = parent.nested_opts.clone();
        if !opts.is_empty() {
            let mut args = opts;
            args.insert(0, "set".into());
            let _ = child.run_builtin(&args);
        }
        child
    }

    /// Run a whole script text as this shell's program: syntax errors reported as bash
    /// does (after running the commands before them), the EXIT trap, the final status.
    pub fn run_script_text(&mut self, text: &str) -> i32 {
        self.run_script(text, true)
    }

    /// [`Interp::run_script_text`], running the EXIT trap at the end only if `exit_trap`
    /// (an interactive session runs it once, when the session ends).
    pub fn run_script(&mut self, text: &str, exit_trap: bool) -> i32 {
        if text.len() > self.shared.limits.max_parse {
            self.error_noline("script size limit exceeded");
            let _ = self.shared.hit(Limit::ParseSize);
            return crate::limits::LIMIT_STATUS;
        }
        self.note_script_text(text);
        let opts = self.parser_options();
        let mut syntax_error = false;
        let r = match crate::parse::parse_warn(text, &opts) {
            Ok((prog, warnings)) => {
                for w in warnings {
                    let _ = self.write_fd(2, w.message(&self.err_name, 0).as_bytes());
                }
                self.run_program_text(&prog, Some(text))
            }
            Err(e) => {
                let r = match crate::parse::parse_prefix(text, &opts, e.line) {
                    Some(prog) => self.run_program_text(&prog, Some(text)),
                    None => Ok(0),
                };
                match r {
                    Ok(_) => {
                        let name = if self.invoked_with_c {
                            format!("{}: -c", self.err_name)
                        } else {
                            self.err_name.clone()
                        };
                        let _ = self.write_fd(2, e.message(&name, 0).as_bytes());
                        syntax_error = true;
                        Err(Flow::Exit(e.exit_status(self.last_status)))
                    }
                    other => other,
                }
            }
        };
        let r = match r {
            Err(Flow::Abort) => Ok(1),
            other => other,
        };
        let syntax_error = syntax_error || std::mem::take(&mut self.syntax_exit);
        self.exit_requested = !syntax_error && matches!(r, Err(Flow::Exit(_)));
        if exit_trap {
            self.exit_status_of(r)
        } else {
            self.status_of(r)
        }
    }

    /// Run the EXIT trap once, as a shell does when it ends, and clear it; the status
    /// (`exit N` in the trap replaces `$?`).
    pub fn run_exit_trap(&mut self) -> i32 {
        let status = self.last_status;
        if self.shared.cancel.is_cancelled() {
            return status;
        }
        let r = self.run_trap("EXIT");
        self.traps.remove("EXIT");
        let status = r.unwrap_or(status);
        self.last_status = status;
        status
    }

    /// Run a compound list (`a; b & c`).
    pub fn exec_list(&mut self, list: &ast::CompoundList) -> Exec {
        let mut status = self.last_status;
        for ast::CompoundListItem(and_or, sep) in &list.0 {
            status = match sep {
                ast::SeparatorOperator::Async => self.spawn_background(and_or)?,
                ast::SeparatorOperator::Sequence => self.exec_and_or(and_or)?,
            };
        }
        Ok(status)
    }

    fn exec_and_or(&mut self, list: &ast::AndOrList) -> Exec {
        if self.opts.noexec {
            return Ok(0);
        }
        let has_more = !list.additional.is_empty();
        if has_more {
            self.errexit_off += 1;
        }
        let first = self.exec_pipeline(&list.first);
        if has_more {
            self.errexit_off -= 1;
        }
        let mut status = first?;
        let n = list.additional.len();
        for (i, item) in list.additional.iter().enumerate() {
            let last = i + 1 == n;
            let (run, p) = match item {
                ast::AndOr::And(p) => (status == 0, p),
                ast::AndOr::Or(p) => (status != 0, p),
            };
            if run {
                if !last {
                    self.errexit_off += 1;
                }
                let r = self.exec_pipeline(p);
                if !last {
                    self.errexit_off -= 1;
                }
                status = r?;
            }
        }
        Ok(status)
    }

    /// After a command: `$?`, and `set -e`.
    fn finish(&mut self, status: i32) -> Exec {
        self.last_status = status;
        if let Some(s) = self.pending_signal_exit.take() {
            return Err(Flow::Exit(s));
        }
        if status != 0 && self.errexit_off == 0 {
            if !self.in_trap && self.traps.contains_key("ERR") {
                self.run_trap("ERR");
                self.last_status = status;
            }
            if self.opts.errexit {
                return Err(Flow::Exit(status));
            }
        }
        Ok(status)
    }

    fn exec_pipeline(&mut self, p: &ast::Pipeline) -> Exec {
        if p.bang {
            self.errexit_off += 1;
        }
        let r = if p.seq.len() == 1 {
            let r = self.exec_command(&p.seq[0]);
            if let Ok(s) = r {
                self.pipestatus.clear();
                self.pipestatus.push(s);
            }
            r
        } else {
            self.exec_multi_pipeline(&p.seq)
        };
        if p.bang {
            self.errexit_off -= 1;
        }
        let status = r?;
        if p.bang {
            let s = i32::from(status == 0);
            self.last_status = s;
            return Ok(s);
        }
        if p.seq.len() > 1 {
            return self.finish(status);
        }
        Ok(status)
    }

    fn exec_multi_pipeline(&mut self, seq: &[ast::Command]) -> Exec {
        self.reap_point();
        let n = seq.len();
        let cancel = self.cancel.clone();
        let mut handles = Vec::with_capacity(n);
        let mut next_stdin: Option<Fd> = None;
        let lastpipe = self.opts.lastpipe;
        for (i, cmd) in seq.iter().enumerate() {
            let last = i + 1 == n;
            let (out_fd, in_for_next) = if last {
                (None, None)
            } else {
                let (r, w) = crate::io::pipe(&cancel);
                (
                    Some(Fd::PipeWrite(Arc::new(w))),
                    Some(Fd::PipeRead(Arc::new(r))),
                )
            };
            if last && lastpipe {
                // Run in this shell (with `shopt -s lastpipe`).
                let saved = self.fds.get(&0).cloned();
                if let Some(inp) = next_stdin.take() {
                    self.fds.insert(0, inp);
                }
                let r = self.exec_command(cmd);
                match saved {
                    Some(f) => self.fds.insert(0, f),
                    None => self.fds.remove(&0),
                };
                handles.push(StageResult::Here(r));
                continue;
            }
            if self.shared.running.fetch_add(1, Ordering::SeqCst)
                >= self.shared.limits.max_concurrency
            {
                self.shared.running.fetch_sub(1, Ordering::SeqCst);
                return Err(self.shared.hit(Limit::Concurrency));
            }
            // bash runs a simple command's DEBUG trap before it forks the stage.
            let debug_here = matches!(cmd, ast::Command::Simple(_)) && self.tracing_commands();
            if debug_here && let ast::Command::Simple(s) = cmd {
                self.debug_simple(s)?;
            }
            let mut sub = self.subshell_clone();
            if debug_here {
                sub.traps.remove("DEBUG");
            }
            if let Some(inp) = next_stdin.take() {
                sub.fds.insert(0, inp);
            }
            if let Some(out) = out_fd {
                sub.fds.insert(1, out);
            }
            next_stdin = in_for_next;
            let cmd = cmd.clone();
            let shared = Arc::clone(&self.shared);
            let h = pool::spawn(move || {
                let r = sub.exec_command(&cmd);
                let s = sub.exit_status_of(r);
                sub.fds.clear();
                shared.running.fetch_sub(1, Ordering::SeqCst);
                s
            });
            match h {
                Ok(h) => handles.push(StageResult::Thread(h)),
                Err(_) => {
                    self.shared.running.fetch_sub(1, Ordering::SeqCst);
                    return Err(self.shared.hit(Limit::Concurrency));
                }
            }
        }
        drop(next_stdin);
        let mut statuses = Vec::with_capacity(n);
        let mut here_err = None;
        for h in handles {
            match h {
                StageResult::Thread(h) => statuses.push(h.join().unwrap_or(1)),
                StageResult::Here(Ok(s)) => statuses.push(s),
                StageResult::Here(Err(f)) => {
                    statuses.push(1);
                    here_err = Some(f);
                }
            }
        }
        if let Some(f) = here_err {
            return Err(f);
        }
        if let Some(l) = *self.shared.limit_hit.lock() {
            return Err(Flow::Limit(l));
        }
        let status = if self.opts.pipefail {
            statuses
                .iter()
                .rev()
                .copied()
                .find(|&s| s != 0)
                .unwrap_or(0)
        } else {
            statuses.last().copied().unwrap_or(0)
        };
        self.pipestatus = statuses;
        Ok(status)
    }

    /// A copy of this shell to run as a subshell (without the coprocess's descriptors).
    pub fn subshell_clone(&self) -> Interp {
        self.subshell_clone_with(false)
    }

    /// [`Interp::subshell_clone`]; a command substitution keeps the coprocess's
    /// descriptors (`keep_coproc_fds`), as in bash.
    pub fn subshell_clone_with(&self, keep_coproc_fds: bool) -> Interp {
        let mut sub = self.clone();
        sub.forget_coproc(keep_coproc_fds);
        sub.varassign_fds.clear();
        sub.subshell += 1;
        sub.bashpid = self.new_pid();
        let listed: Vec<Job> = {
            let jobs = self.jobs.lock();
            jobs.iter()
                .filter(|j| j.running())
                .map(Job::inherited_copy)
                .collect()
        };
        sub.jobs = Arc::new(Mutex::new(listed));
        // EXIT traps are not inherited by subshells.
        sub.traps.remove("EXIT");
        sub.hide_traps_for_subshell();
        sub
    }

    /// The status a subshell ends with, running its EXIT trap.
    pub fn exit_status_of(&mut self, r: Exec) -> i32 {
        let status = self.status_of(r);
        if self.traps.contains_key("EXIT") && !self.shared.cancel.is_cancelled() {
            // `exit N` inside the EXIT trap replaces the status.
            if let Some(s) = self.run_trap("EXIT") {
                self.traps.remove("EXIT");
                return s;
            }
        }
        status
    }

    /// The status a script's result stands for; it becomes `$?`.
    fn status_of(&mut self, r: Exec) -> i32 {
        let status = match r {
            Ok(s) => s,
            Err(Flow::Exit(s)) => s,
            Err(Flow::Return(s)) => s,
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => self.last_status,
            Err(Flow::Limit(_)) => crate::limits::LIMIT_STATUS,
            Err(Flow::Abort) => 1,
        };
        self.last_status = status;
        status
    }

    fn spawn_background(&mut self, and_or: &ast::AndOrList) -> Exec {
        self.reap_point();
        if self.shared.running.fetch_add(1, Ordering::SeqCst) >= self.shared.limits.max_concurrency
        {
            self.shared.running.fetch_sub(1, Ordering::SeqCst);
            return Err(self.shared.hit(Limit::Concurrency));
        }
        // bash runs a simple command's DEBUG trap before it forks the job.
        let simple = match (and_or.additional.is_empty(), and_or.first.seq.as_slice()) {
            (true, [ast::Command::Simple(s)]) if self.tracing_commands() => Some(s),
            _ => None,
        };
        if let Some(s) = simple {
            self.debug_simple(s)?;
        }
        let mut sub = self.subshell_clone();
        if simple.is_some() {
            sub.traps.remove("DEBUG");
        }
        // A background job's stdin is /dev/null unless redirected.
        sub.fds.insert(0, Fd::Null);
        let signals = self.start_job_signals(&mut sub);
        let pid = sub.bashpid;
        let id = self.next_job_id();
        let text = fnprint::and_or_text(and_or);
        let list = and_or.clone();
        let shared = Arc::clone(&self.shared);
        let h = pool::spawn(move || {
            let r = sub.exec_and_or(&list);
            let s = sub.job_final_status(r);
            sub.fds.clear();
            shared.running.fetch_sub(1, Ordering::SeqCst);
            s
        });
        match h {
            Ok(h) => {
                self.jobs.lock().push(Job {
                    pid,
                    handle: Some(h),
                    status: None,
                    id,
                    text,
                    signals: Some(signals),
                    inherited: false,
                });
                self.last_bg = Some(pid);
                self.last_status = 0;
                Ok(0)
            }
            Err(_) => {
                self.shared.running.fetch_sub(1, Ordering::SeqCst);
                Err(self.shared.hit(Limit::Concurrency))
            }
        }
    }

    /// Wait for every background job; returns the last one's status.
    pub fn wait_all(&mut self) -> i32 {
        let jobs: Vec<Job> = std::mem::take(&mut *self.jobs.lock());
        let mut status = 0;
        for mut j in jobs {
            if let Some(h) = j.handle.take() {
                status = h.join().unwrap_or(1);
                if let Some(r) = self.killed_report(&j) {
                    let _ = self.write_fd(2, r.as_bytes());
                }
            } else if let Some(s) = j.status {
                status = s;
            }
        }
        self.reap_coproc(true);
        status
    }

    /// Wait for job `pid`: its status, or None if it is not a child of this shell.
    pub fn wait_pid(&mut self, pid: u32) -> Option<i32> {
        let job = {
            let mut jobs = self.jobs.lock();
            let i = jobs.iter().position(|j| j.pid == pid)?;
            jobs.remove(i)
        };
        let mut job = job;
        let status = match job.handle.take() {
            Some(h) => {
                let s = h.join().unwrap_or(1);
                if let Some(r) = self.killed_report(&job) {
                    let _ = self.write_fd(2, r.as_bytes());
                }
                Some(s)
            }
            None => job.status,
        };
        // Waiting collects every finished child, the coprocess too.
        self.reap_coproc(true);
        status
    }

    fn exec_command(&mut self, cmd: &ast::Command) -> Exec {
        let mark = self.procsubs.len();
        let r = self.exec_command_inner(cmd);
        self.reap_procsubs(mark);
        r
    }

    fn exec_command_inner(&mut self, cmd: &ast::Command) -> Exec {
        match cmd {
            ast::Command::Simple(s) => self.exec_simple(s),
            // The coprocess's descriptors stay in this shell; redirections are its own.
            ast::Command::Compound(ast::CompoundCommand::Coprocess(c), redirs) => {
                self.exec_coproc(c, redirs.as_ref())
            }
            ast::Command::Compound(c, redirs) => {
                let rs: Vec<&ast::IoRedirect> = redirs.iter().flat_map(|r| &r.0).collect();
                let (undo, applied) = self.redirect_undoable(&rs);
                if let Err(status) = applied {
                    self.undo_redirects(undo);
                    return self.finish(status);
                }
                let r = self.exec_compound(c);
                self.undo_redirects(undo);
                r
            }
            ast::Command::Function(f) => {
                let name = f.fname.value.clone();
                if self.func_has(&name, attr::READONLY) {
                    if let Some(span) = ast::SourceLocation::location(f) {
                        self.set_line_from_span(&span);
                    }
                    self.error(&format!("{name}: readonly function"));
                    return self.finish(1);
                }
                self.funcs.insert(name, Arc::new(f.clone()));
                self.last_status = 0;
                Ok(0)
            }
            ast::Command::ExtendedTest(t, redirs) => {
                let rs: Vec<&ast::IoRedirect> = redirs.iter().flat_map(|r| &r.0).collect();
                let (undo, applied) = self.redirect_undoable(&rs);
                if let Err(status) = applied {
                    self.undo_redirects(undo);
                    return self.finish(status);
                }
                self.set_line_from_span(&t.loc);
                let counted = self.count_command();
                let skip = match counted {
                    Ok(()) if self.tracing_commands() => {
                        self.debug_point(|| fnprint::cond_text(&t.expr))
                    }
                    Ok(()) => Ok(false),
                    Err(e) => Err(e),
                };
                if matches!(skip, Ok(true)) {
                    self.undo_redirects(undo);
                    return Ok(self.last_status);
                }
                let r = skip.and_then(|_| self.eval_extended_test(&t.expr));
                self.undo_redirects(undo);
                let status = r?;
                self.finish(status)
            }
        }
    }

    fn set_line_from_span(&mut self, span: &brush_parser::SourceSpan) {
        if span.start.line > 0 {
            self.lineno = self.line_base + span.start.line;
        }
    }

    fn exec_compound(&mut self, c: &ast::CompoundCommand) -> Exec {
        match c {
            ast::CompoundCommand::BraceGroup(g) => self.exec_list(&g.list),
            ast::CompoundCommand::Subshell(s) => {
                if self.subshell >= self.shared.limits.max_subshell_depth {
                    return Err(self.shared.hit(Limit::SubshellDepth));
                }
                self.reap_point();
                let mut sub = self.subshell_clone();
                let list = s.list.clone();
                let r = stack::run_on_big_stack(move || {
                    let r = sub.exec_list(&list);
                    sub.exit_status_of(r)
                });
                let status = r.map_err(|_| self.shared.hit(Limit::Concurrency))?;
                if let Some(l) = *self.shared.limit_hit.lock() {
                    return Err(Flow::Limit(l));
                }
                self.finish(status)
            }
            ast::CompoundCommand::IfClause(i) => self.exec_if(i),
            ast::CompoundCommand::WhileClause(w) => self.exec_while(w, false),
            ast::CompoundCommand::UntilClause(w) => self.exec_while(w, true),
            ast::CompoundCommand::ForClause(f) => self.exec_for(f),
            ast::CompoundCommand::SelectClause(f) => self.exec_select(f),
            ast::CompoundCommand::ArithmeticForClause(f) => self.exec_arith_for(f),
            ast::CompoundCommand::CaseClause(c) => self.exec_case(c),
            ast::CompoundCommand::Arithmetic(a) => {
                self.set_line_from_span(&a.loc);
                self.count_command()?;
                if self.tracing_commands()
                    && self.debug_point(|| format!("(({}))", a.expr.value))?
                {
                    return Ok(self.last_status);
                }
                let status = match self.eval_arith_traced(&a.expr.value) {
                    Ok(v) => i32::from(v == 0),
                    Err(msg) => {
                        if let Some(f) = self.arith_unbound_exit(&msg) {
                            return Err(f);
                        }
                        if msg.ends_with("readonly variable") {
                            self.error(&msg);
                        } else {
                            self.error(&format!("((: {msg}"));
                        }
                        1
                    }
                };
                self.finish(status)
            }
            ast::CompoundCommand::Coprocess(c) => self.exec_coproc(c, None),
        }
    }

    fn exec_condition(&mut self, list: &ast::CompoundList) -> Exec {
        self.errexit_off += 1;
        let r = self.exec_list(list);
        self.errexit_off -= 1;
        r
    }

    fn exec_if(&mut self, i: &ast::IfClauseCommand) -> Exec {
        if self.exec_condition(&i.condition)? == 0 {
            return self.exec_list(&i.then);
        }
        if let Some(elses) = &i.elses {
            for e in elses {
                match &e.condition {
                    Some(c) => {
                        if self.exec_condition(c)? == 0 {
                            return self.exec_list(&e.body);
                        }
                    }
                    None => return self.exec_list(&e.body),
                }
            }
        }
        self.last_status = 0;
        Ok(0)
    }

    /// Handle `break`/`continue` arriving at a loop: Ok(true) to stop the loop.
    fn loop_flow(&mut self, r: Exec, status: &mut i32) -> Result<bool, Flow> {
        match r {
            Ok(s) => {
                *status = s;
                Ok(false)
            }
            Err(Flow::Break(n)) => {
                if n > 1 {
                    return Err(Flow::Break(n - 1));
                }
                *status = self.break_status.take().unwrap_or(0);
                Ok(true)
            }
            Err(Flow::Continue(n)) => {
                if n > 1 {
                    return Err(Flow::Continue(n - 1));
                }
                *status = 0;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    fn exec_while(&mut self, w: &ast::WhileOrUntilClauseCommand, until: bool) -> Exec {
        let mut status = 0;
        self.loop_depth += 1;
        let r = (|| -> Exec {
            loop {
                self.count_loop()?;
                let c = self.exec_condition(&w.0);
                let c = match c {
                    Ok(c) => c,
                    Err(Flow::Break(n)) if n <= 1 => break,
                    Err(Flow::Continue(n)) if n <= 1 => continue,
                    Err(Flow::Break(n)) => return Err(Flow::Break(n - 1)),
                    Err(Flow::Continue(n)) => return Err(Flow::Continue(n - 1)),
                    Err(e) => return Err(e),
                };
                if (c == 0) == until {
                    break;
                }
                let r = self.exec_list(&w.1.list);
                if self.loop_flow(r, &mut status)? {
                    break;
                }
            }
            Ok(status)
        })();
        self.loop_depth -= 1;
        let s = r?;
        self.last_status = s;
        Ok(s)
    }

    fn exec_for(&mut self, f: &ast::ForClauseCommand) -> Exec {
        self.set_line_from_span(&f.loc);
        let values: Vec<String> = match &f.values {
            Some(words) => match self.expand_words(words) {
                Ok(v) => v,
                Err(e) => return self.expansion_failed(e),
            },
            None => self.positional.clone(),
        };
        // `set -x` shows the head as written, before each pass: `for a in 1 "$x"`.
        let head = match &f.values {
            Some(words) => {
                let words: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
                format!("for {} in {}\n", f.variable_name, words.join(" "))
            }
            None => format!("for {} in \"$@\"\n", f.variable_name),
        };
        let mut status = 0;
        self.loop_depth += 1;
        let r = (|| -> Exec {
            for v in values {
                self.count_loop()?;
                if self.tracing_commands()
                    && self.debug_point(|| fnprint::loop_head_text("for", f))?
                {
                    continue;
                }
                if self.opts.xtrace {
                    let line = format!("{}{head}", self.xtrace_prefix());
                    let _ = self.write_fd(2, line.as_bytes());
                }
                // A name reference as the loop variable: each word becomes what it
                // refers to (bash's `for ref in a b`), not a value assigned through it.
                if let Some(var) = self.vars.get_mut(&f.variable_name)
                    && var.has(crate::vars::attr::NAMEREF)
                {
                    var.value = Some(crate::vars::Value::Scalar(v));
                } else if let Err(msg) = self.assign_scalar(&f.variable_name, v) {
                    if !msg.is_empty() {
                        self.error(&msg);
                    }
                    return Ok(1);
                }
                let r = self.exec_list(&f.body.list);
                if self.loop_flow(r, &mut status)? {
                    break;
                }
            }
            Ok(status)
        })();
        self.loop_depth -= 1;
        let s = r?;
        self.last_status = s;
        Ok(s)
    }

    fn exec_arith_for(&mut self, f: &ast::ArithmeticForClauseCommand) -> Exec {
        self.set_line_from_span(&f.loc);
        let eval =
            |it: &mut Interp, e: &Option<ast::UnexpandedArithmeticExpr>| -> Result<i64, String> {
                match e {
                    Some(e) if !e.value.trim().is_empty() => {
                        if it.tracing_commands() {
                            let text = || format!("(({}))", e.value.trim_start());
                            match it.debug_point(text) {
                                Ok(false) => {}
                                Ok(true) => return Ok(1),
                                Err(_) => return Ok(0),
                            }
                        }
                        it.eval_arith_traced(e.value.trim())
                    }
                    _ => Ok(1),
                }
            };
        if let Err(m) = eval(self, &f.initializer) {
            if let Some(f) = self.arith_unbound_exit(&m) {
                return Err(f);
            }
            self.error(&m);
            return self.finish(1);
        }
        let mut status = 0;
        self.loop_depth += 1;
        let r = (|| -> Exec {
            loop {
                self.count_loop()?;
                match eval(self, &f.condition) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(m) => {
                        if let Some(f) = self.arith_unbound_exit(&m) {
                            return Err(f);
                        }
                        self.error(&m);
                        return Ok(1);
                    }
                }
                let r = self.exec_list(&f.body.list);
                if self.loop_flow(r, &mut status)? {
                    break;
                }
                if let Err(m) = eval(self, &f.updater) {
                    if let Some(f) = self.arith_unbound_exit(&m) {
                        return Err(f);
                    }
                    self.error(&m);
                    return Ok(1);
                }
            }
            Ok(status)
        })();
        self.loop_depth -= 1;
        let s = r?;
        self.last_status = s;
        Ok(s)
    }

    fn exec_case(&mut self, c: &ast::CaseClauseCommand) -> Exec {
        self.set_line_from_span(&c.loc);
        if self.tracing_commands() && self.debug_point(|| format!("case {} in ", c.value.value))? {
            return Ok(self.last_status);
        }
        if self.opts.xtrace {
            let line = format!("{}case {} in\n", self.xtrace_prefix(), c.value.value);
            let _ = self.write_fd(2, line.as_bytes());
        }
        let word = match self.expand_word_nosplit(&c.value.value) {
            Ok(w) => w,
            Err(e) => return self.expansion_failed(e),
        };
        let mut status = 0;
        let mut i = 0;
        let mut fall_through = false;
        while i < c.cases.len() {
            let item = &c.cases[i];
            let mut matched = fall_through;
            if !matched {
                for p in &item.patterns {
                    let pat = match self.expand_case_pattern(&p.value) {
                        Ok(p) => p,
                        Err(e) => return self.expansion_failed(e),
                    };
                    if self.pattern_matches(&pat, &word, self.opts.nocasematch) {
                        matched = true;
                        break;
                    }
                }
            }
            if matched {
                status = match &item.cmd {
                    Some(list) => self.exec_list(list)?,
                    None => 0,
                };
                match item.post_action {
                    ast::CaseItemPostAction::ExitCase => break,
                    ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem => {
                        fall_through = true;
                    }
                    ast::CaseItemPostAction::ContinueEvaluatingCases => {
                        fall_through = false;
                    }
                }
            }
            i += 1;
        }
        self.last_status = status;
        Ok(status)
    }

    /// Run a function.
    pub fn call_function(&mut self, f: Arc<ast::FunctionDefinition>, args: Vec<String>) -> Exec {
        stack::note_depth();
        if self.call_depth >= self.shared.limits.max_call_depth {
            self.error(&format!(
                "{}: maximum function nesting level exceeded ({})",
                f.fname.value, self.shared.limits.max_call_depth
            ));
            return Err(self.shared.hit(Limit::CallDepth));
        }
        let saved_pos = std::mem::replace(&mut self.positional, args);
        // bash names functions from a -c string's errors "environment".
        let saved_name = self.err_name.clone();
        if self.invoked_with_c {
            self.err_name = "environment".into();
        }
        self.call_depth += 1;
        let saved_local_dash = self.local_dash.take();
        self.funcnames.push(f.fname.value.clone());
        self.call_lines.push(self.lineno);
        self.vars.push_frame();
        let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
        let hidden = self.hide_traps_for_function(&f.fname.value);
        let ast::FunctionBody(body, redirs) = &f.body;
        let rs: Vec<&ast::IoRedirect> = redirs.iter().flat_map(|r| &r.0).collect();
        let (undo, applied) = self.redirect_undoable(&rs);
        let r = match applied {
            // A traced function runs the DEBUG trap once more as it starts.
            Ok(())
                if !self.traps.is_empty() && !self.in_trap && self.traps.contains_key("DEBUG") =>
            {
                match self.run_debug_trap() {
                    Ok(_) => self.exec_compound(body),
                    Err(e) => Err(e),
                }
            }
            Ok(()) => self.exec_compound(body),
            Err(s) => Ok(s),
        };
        let r = match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        };
        if r.is_ok() && !self.in_trap && self.traps.contains_key("RETURN") {
            self.run_trap("RETURN");
        }
        self.restore_traps(hidden);
        self.loop_depth = saved_loop;
        self.vars.pop_frame();
        self.funcnames.pop();
        self.call_lines.pop();
        if let Some(o) = std::mem::replace(&mut self.local_dash, saved_local_dash) {
            // `local -`: the single-letter and `set -o` options come back.
            let cur = &mut self.opts;
            cur.errexit = o.errexit;
            cur.nounset = o.nounset;
            cur.xtrace = o.xtrace;
            cur.noglob = o.noglob;
            cur.noclobber = o.noclobber;
            cur.pipefail = o.pipefail;
            cur.allexport = o.allexport;
            cur.verbose = o.verbose;
            cur.noexec = o.noexec;
            cur.nobraceexpand = o.nobraceexpand;
            cur.errtrace = o.errtrace;
            cur.functrace = o.functrace;
        }
        self.call_depth -= 1;
        self.undo_redirects(undo);
        self.positional = saved_pos;
        self.err_name = saved_name;
        let s = r?;
        self.last_status = s;
        Ok(s)
    }

    /// Run the trap for `sig`.
    pub fn run_trap(&mut self, sig: &str) -> Option<i32> {
        let cmd = self.traps.get(sig).cloned()?;
        let saved = self.last_status;
        self.in_trap = true;
        let r = self.eval_string(&cmd, "trap");
        self.in_trap = false;
        self.last_status = saved;
        match r {
            Err(Flow::Exit(s)) => Some(s),
            _ => None,
        }
    }

    /// Parse and run `text` in this shell (`eval`, traps, `source`). As bash, the
    /// commands before a syntax error run, then the error is reported (status 2).
    pub fn eval_string(&mut self, text: &str, what: &str) -> Exec {
        self.note_script_text(text);
        let opts = self.parser_options();
        let (prog, warnings, error) = match crate::parse::parse_warn(text, &opts) {
            Ok((prog, warnings)) => (Some(prog), warnings, None),
            Err(e) => (
                crate::parse::parse_prefix(text, &opts, e.line),
                Vec::new(),
                Some(e),
            ),
        };
        let base = self.lineno.saturating_sub(1);
        let mut r = Ok(0);
        if let Some(prog) = prog {
            let saved_base = std::mem::replace(&mut self.line_base, base);
            for w in warnings {
                let _ = self.write_fd(2, w.message(&self.err_name, base).as_bytes());
            }
            let nested = what != "command substitution";
            let saved_eval = self.in_eval;
            if nested {
                self.in_eval = true;
            }
            // `set -v` shows an `eval` string as it is read (not a trap's text or a
            // command substitution's, which were shown with their line).
            let echo = (what == "eval").then_some(text);
            r = self.run_program_text(&prog, echo);
            self.in_eval = saved_eval;
            self.line_base = saved_base;
        }
        let Some(e) = error else {
            return r;
        };
        r?;
        // bash names the builtin: `NAME: eval: line N: syntax error ...`.
        let name = if what == "eval" {
            format!("{}: eval", self.err_name)
        } else {
            self.err_name.clone()
        };
        let _ = self.write_fd(2, e.message(&name, base).as_bytes());
        self.last_status = 2;
        Ok(2)
    }

    /// Parser options for the current shell options.
    pub fn parser_options(&self) -> brush_parser::ParserOptions {
        brush_parser::ParserOptions {
            enable_extended_globbing: true,
            ..Default::default()
        }
    }
}

/// FNV-1a: a fast hash for the word cache's short keys (not exposed to untrusted
/// collision attacks: the cache is bounded and cleared when full).
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Parsed words by their text.
pub type WordCache = std::collections::HashMap<
    String,
    Arc<Vec<brush_parser::word::WordPieceWithSource>>,
    std::hash::BuildHasherDefault<Fnv>,
>;

enum StageResult {
    Thread(pool::JobHandle<i32>),
    Here(Exec),
}

pub use pool::{STACK_SIZE, ThreadFailed, run_on_thread};
pub use stack::run_on_big_stack;

/// A line the parser skips between commands: blank, or only a comment.
fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    t.trim_end_matches(['\n', '\r']).is_empty() || t.starts_with('#')
}

//! The command registry: commands that are not shell builtins (`cat`, `grep`, ...), one
//! file per command, registered in one table. A command reads stdin and writes stdout
//! and stderr through its [`Ctx`], touches files only through the VFS, and returns its
//! exit status; it never sees the interpreter's state.

use std::collections::{BTreeMap, HashMap};
use std::io;

use crate::io::{Cancel, Fd, errno_message};
use vfs_core::Vfs;

mod cat;
pub mod util;

// Each group registers its commands; one file per command under this folder.
mod reg_archive;
mod reg_awk;
mod reg_diff;
mod reg_files;
mod reg_find;
mod reg_grep;
mod reg_jq;
mod reg_layout;
mod reg_misc;
mod reg_sed;
mod reg_text;

/// What a running command gets.
pub struct Ctx<'a> {
    /// Arguments; `args[0]` is the name it was called by.
    pub args: &'a [String],
    /// The filesystem, seen from the shell's working directory.
    pub vfs: &'a Vfs,
    /// Exported variables.
    pub env: &'a BTreeMap<String, String>,
    /// Standard input.
    pub stdin: &'a Fd,
    /// Standard output.
    pub stdout: &'a Fd,
    /// Standard error.
    pub stderr: &'a Fd,
    /// Set when the run is cancelled or a limit was hit.
    pub cancel: &'a Cancel,
    /// When the shell's time limit runs out, if there is one: a command that waits
    /// (`sleep`) stops waiting then, and the shell ends the script with the time limit.
    pub deadline: Option<std::time::Instant>,
    /// Run a command line (a builtin, registered command or executable file, not a
    /// shell function) with exactly this environment and these stdin, stdout, stderr;
    /// returns its exit status. For `env`, `timeout`, `xargs`, `find -exec`.
    pub run: &'a RunFn<'a>,
}

/// How a command starts another: argv, the environment, stdin/stdout/stderr.
pub type RunFn<'a> = dyn Fn(&[String], &BTreeMap<String, String>, [&Fd; 3]) -> i32 + 'a;

/// Why a command stopped early.
#[derive(Debug)]
pub enum Stop {
    /// Its output pipe has no reader left (SIGPIPE): exit quietly with 141.
    BrokenPipe,
    /// Cancelled from outside.
    Cancelled,
    /// Another write error (already reported).
    Failed,
}

impl Ctx<'_> {
    /// The command's name for messages.
    pub fn name(&self) -> &str {
        self.args.first().map_or("?", String::as_str)
    }

    /// Write to stdout.
    pub fn out(&self, data: &[u8]) -> Result<(), Stop> {
        self.stdout
            .write_all(data)
            .map_err(|e| self.write_failed(&e))
    }

    /// [`Ctx::out`] of shared bytes: a VFS file written from empty keeps them without
    /// a copy.
    pub fn out_shared(&self, data: &bytes::Bytes) -> Result<(), Stop> {
        self.stdout
            .write_all_shared(data)
            .map_err(|e| self.write_failed(&e))
    }

    fn write_failed(&self, e: &io::Error) -> Stop {
        if e.raw_os_error() == Some(32) {
            return Stop::BrokenPipe;
        }
        if e.kind() == io::ErrorKind::Interrupted || self.cancel.is_cancelled() {
            return Stop::Cancelled;
        }
        self.err(&format!("write error: {}", errno_message(e)));
        Stop::Failed
    }

    /// Print `NAME: MSG` on stderr.
    pub fn err(&self, msg: &str) {
        let _ = self
            .stderr
            .write_all(format!("{}: {}\n", self.name(), msg).as_bytes());
    }

    /// The exit status for a [`Stop`].
    pub fn stop_status(stop: Stop) -> i32 {
        match stop {
            Stop::BrokenPipe => 141,
            Stop::Cancelled => 130,
            Stop::Failed => 1,
        }
    }
}

thread_local! {
    /// Descriptors above 2 of the shell running a command on this thread.
    static EXTRA_FDS: std::cell::RefCell<Vec<(i32, Fd)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Run `f` (a command) with the shell's descriptors above 2 visible as `/dev/fd/N`
/// (process substitutions, `exec 3<file`).
pub fn with_fds<T>(fds: Vec<(i32, Fd)>, f: impl FnOnce() -> T) -> T {
    let saved = EXTRA_FDS.with(|e| std::mem::replace(&mut *e.borrow_mut(), fds));
    let r = f();
    EXTRA_FDS.with(|e| *e.borrow_mut() = saved);
    r
}

/// Descriptor `n` (above 2) of the shell running the current command.
pub(crate) fn extra_fd(n: i32) -> Option<Fd> {
    EXTRA_FDS.with(|e| {
        e.borrow()
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, f)| f.clone())
    })
}

/// The map commands register into.
pub type CommandMap = HashMap<&'static str, Box<dyn Command>>;

/// A command.
pub trait Command: Send + Sync {
    /// Run with `ctx`, returning the exit status.
    fn run(&self, ctx: &mut Ctx<'_>) -> i32;
}

/// Every registered command by name.
pub struct Registry {
    map: HashMap<&'static str, Box<dyn Command>>,
}

impl Registry {
    /// The standard set of commands.
    pub fn standard() -> Self {
        let mut map: HashMap<&'static str, Box<dyn Command>> = HashMap::new();
        map.insert("cat", Box::new(cat::Cat));
        reg_awk::register(&mut map);
        reg_files::register(&mut map);
        reg_find::register(&mut map);
        reg_grep::register(&mut map);
        reg_jq::register(&mut map);
        reg_text::register(&mut map);
        reg_misc::register(&mut map);
        reg_diff::register(&mut map);
        reg_archive::register(&mut map);
        reg_layout::register(&mut map);
        reg_sed::register(&mut map);
        Registry { map }
    }

    /// The standard registry, built once per process and shared.
    pub fn shared() -> std::sync::Arc<Registry> {
        static REG: std::sync::OnceLock<std::sync::Arc<Registry>> = std::sync::OnceLock::new();
        std::sync::Arc::clone(REG.get_or_init(|| std::sync::Arc::new(Registry::standard())))
    }

    /// The standard commands plus `extra` (replacing any of the same name): how a crate
    /// above the shell adds commands of its own (the runner's `wasm`).
    pub fn standard_with(extra: Vec<(&'static str, Box<dyn Command>)>) -> Self {
        let mut r = Registry::standard();
        for (name, cmd) in extra {
            r.map.insert(name, cmd);
        }
        r
    }

    /// The command called `name`.
    pub fn get(&self, name: &str) -> Option<&dyn Command> {
        self.map.get(name).map(|b| b.as_ref())
    }

    /// Every command name, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.map.keys().copied().collect();
        v.sort_unstable();
        v
    }
}

//! The [`Runner`]: one wasmtime engine (pooling allocator, copy-on-write memory images,
//! epoch interruption, optional fuel), the linkers of the two worlds, and the cache of
//! compiled programs. Build it once and share it; sandboxes are cheap, runners are not.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use parking_lot::{Condvar, Mutex};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, InstancePre, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::cache;
use crate::problem::{Problem, ProblemKind};
use crate::state::HostState;

/// How often the epoch advances while a run is active; timeouts are this precise.
pub(crate) const TICK: Duration = Duration::from_millis(5);

/// The largest linear memory any sandbox may have.
pub const MAX_MEMORY_LIMIT: u64 = 4 << 30;

/// Settings of a [`Runner`].
#[derive(Clone, Debug)]
pub struct RunnerBuilder {
    fuel: bool,
    cache_dir: Option<PathBuf>,
    max_instances: u32,
}

impl Default for RunnerBuilder {
    fn default() -> Self {
        RunnerBuilder {
            fuel: false,
            cache_dir: None,
            max_instances: 1000,
        }
    }
}

impl RunnerBuilder {
    /// Compile with fuel metering, so sandboxes can set a deterministic budget
    /// (runs are somewhat slower). Off by default.
    pub fn fuel(mut self, on: bool) -> Self {
        self.fuel = on;
        self
    }

    /// Keep compiled programs in this directory (created with mode 0700), keyed by the
    /// program's hash and the engine's settings. Off by default (memory cache only).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Sandboxes that may run at the same moment (pool slots). Default 1000.
    pub fn max_instances(mut self, n: u32) -> Self {
        self.max_instances = n.max(1);
        self
    }

    /// Build the engine and linkers.
    pub fn build(self) -> Result<Runner, Problem> {
        let internal = |e: wasmtime::Error| Problem::new(ProblemKind::Internal, format!("{e:#}"));
        let mut pool = PoolingAllocationConfig::new();
        let n = self.max_instances;
        pool.total_component_instances(n)
            .total_core_instances(n.saturating_mul(8))
            .total_memories(n.saturating_mul(2))
            .total_tables(n.saturating_mul(8))
            .max_memories_per_component(4)
            .max_tables_per_component(16)
            .max_core_instances_per_component(64)
            .max_memory_size(MAX_MEMORY_LIMIT as usize)
            .max_unused_warm_slots(64)
            .linear_memory_keep_resident(64 * 1024)
            .table_keep_resident(16 * 1024);
        let mut config = Config::new();
        config
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
            .memory_init_cow(true)
            .epoch_interruption(true)
            .consume_fuel(self.fuel)
            .wasm_backtrace_max_frames(std::num::NonZeroUsize::new(64))
            .max_wasm_stack(1 << 20);
        let engine = Engine::new(&config).map_err(internal)?;
        let mut command = Linker::<HostState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut command).map_err(internal)?;
        crate::wasi_fs::add_to_linker(&mut command).map_err(internal)?;
        crate::wasi_clock::add_to_linker(&mut command).map_err(internal)?;
        let mut agent = command.clone();
        crate::host::Agent::add_to_linker::<HostState, HasSelf<HostState>>(&mut agent, |s| s)
            .map_err(internal)?;
        let ticker = Ticker::start(engine.clone());
        let cache_dir = match self.cache_dir {
            Some(dir) => Some(cache::prepare_dir(&dir).map_err(|e| {
                Problem::new(
                    ProblemKind::Internal,
                    format!("cache directory {}: {e}", dir.display()),
                )
            })?),
            None => None,
        };
        Ok(Runner {
            inner: Arc::new(RunnerInner {
                engine,
                agent_linker: agent,
                command_linker: command,
                programs: Mutex::new(HashMap::new()),
                cache_dir,
                fuel: self.fuel,
                ticker,
            }),
        })
    }
}

/// An engine with its linkers and program cache. Cloning shares it.
#[derive(Clone)]
pub struct Runner {
    pub(crate) inner: Arc<RunnerInner>,
}

pub(crate) struct RunnerInner {
    pub(crate) engine: Engine,
    pub(crate) agent_linker: Linker<HostState>,
    command_linker: Linker<HostState>,
    programs: Mutex<HashMap<[u8; 32], Program>>,
    cache_dir: Option<PathBuf>,
    fuel: bool,
    ticker: Arc<Ticker>,
}

impl Drop for RunnerInner {
    fn drop(&mut self) {
        self.ticker.stop();
    }
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("fuel", &self.inner.fuel)
            .field("cache_dir", &self.inner.cache_dir)
            .finish_non_exhaustive()
    }
}

/// What a program is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramKind {
    /// A component of the `agent` world: it exports `run(input) -> result<string, string>`
    /// and may import the sandbox's filesystem, shell, tools and log.
    Agent,
    /// A WASI command (`wasi:cli/command`, a `fn main` built for wasm32-wasip2).
    Command,
}

/// A compiled, pre-linked program, ready to instantiate in any sandbox of its runner.
#[derive(Clone)]
pub struct Program {
    pub(crate) kind: ProgramKind,
    pub(crate) pre: InstancePre<HostState>,
    pub(crate) fuel: bool,
    pub(crate) ticker: Arc<Ticker>,
    hash: [u8; 32],
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("kind", &self.kind)
            .field("hash", &hex(&self.hash))
            .finish()
    }
}

impl Program {
    /// Agent or command.
    pub fn kind(&self) -> ProgramKind {
        self.kind
    }

    /// The SHA-256 of the component's bytes, in hex.
    pub fn hash(&self) -> String {
        hex(&self.hash)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Runner {
    /// A runner with the default settings.
    pub fn new() -> Result<Runner, Problem> {
        RunnerBuilder::default().build()
    }

    /// Settings for a runner.
    pub fn builder() -> RunnerBuilder {
        RunnerBuilder::default()
    }

    /// The process-wide default runner (no fuel, memory cache only), built on first use.
    pub fn shared() -> Result<Runner, Problem> {
        static SHARED: OnceLock<Result<Runner, Problem>> = OnceLock::new();
        SHARED.get_or_init(Runner::new).clone()
    }

    /// Whether sandboxes of this runner can use fuel.
    pub fn has_fuel(&self) -> bool {
        self.inner.fuel
    }

    /// Compile (or take from the cache) a component and pre-link it. Fails with an
    /// `invalid-component` problem for bytes that are not a component (a core module
    /// included), and `missing-import` when it imports what the sandbox does not provide.
    pub fn load(&self, wasm: &[u8]) -> Result<Program, Problem> {
        self.load_with(wasm, self.inner.cache_dir.as_deref())
    }

    /// [`Runner::load`], keeping the compiled program in the on-disk cache `dir` (as
    /// [`RunnerBuilder::cache_dir`] does for every program) whatever this runner's own
    /// setting: for a large program that a process would otherwise compile on every start
    /// (the Python engine takes seconds). When `dir` cannot be made, the memory cache only.
    pub fn load_cached(&self, wasm: &[u8], dir: &std::path::Path) -> Result<Program, Problem> {
        match cache::prepare_dir(dir) {
            Ok(dir) => self.load_with(wasm, Some(&dir)),
            Err(_) => self.load(wasm),
        }
    }

    fn load_with(
        &self,
        wasm: &[u8],
        cache_dir: Option<&std::path::Path>,
    ) -> Result<Program, Problem> {
        let hash: [u8; 32] = Sha256::digest(wasm).into();
        if let Some(p) = self.inner.programs.lock().get(&hash) {
            return Ok(p.clone());
        }
        let component = self.compile(wasm, &hash, cache_dir)?;
        let kind = classify(&self.inner.engine, &component)?;
        let linker = match kind {
            ProgramKind::Agent => &self.inner.agent_linker,
            ProgramKind::Command => &self.inner.command_linker,
        };
        let pre = linker.instantiate_pre(&component).map_err(|e| {
            let msg = format!("{e:#}");
            let kind = if msg.contains("import") {
                ProblemKind::MissingImport
            } else {
                ProblemKind::InvalidComponent
            };
            Problem::new(kind, msg)
        })?;
        let program = Program {
            kind,
            pre,
            fuel: self.inner.fuel,
            ticker: Arc::clone(&self.inner.ticker),
            hash,
        };
        self.inner.programs.lock().insert(hash, program.clone());
        Ok(program)
    }

    /// [`Runner::load`] of a host file.
    pub fn load_file(&self, path: impl AsRef<std::path::Path>) -> Result<Program, Problem> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            Problem::new(
                ProblemKind::InvalidComponent,
                format!("{}: {e}", path.display()),
            )
        })?;
        self.load(&bytes)
    }

    fn compile(
        &self,
        wasm: &[u8],
        hash: &[u8; 32],
        cache_dir: Option<&std::path::Path>,
    ) -> Result<Component, Problem> {
        let engine = &self.inner.engine;
        if !is_component(wasm) {
            let what = if wasm.starts_with(b"\0asm\x01\0\0\0") {
                "a core WebAssembly module, not a component (build for wasm32-wasip2, or run `wasm-tools component new`)"
            } else {
                "not a WebAssembly component (no component header)"
            };
            return Err(Problem::new(ProblemKind::InvalidComponent, what));
        }
        let key = cache_dir.map(|dir| {
            let mut h = Sha256::new();
            h.update(hash);
            h.update(engine_key(engine).to_le_bytes());
            h.update(env!("CARGO_PKG_VERSION").as_bytes());
            (dir, hex(&h.finalize()))
        });
        if let Some((dir, key)) = &key
            && let Some(c) = cache::load(engine, dir, key)
        {
            return Ok(c);
        }
        let component = Component::new(engine, wasm)
            .map_err(|e| Problem::new(ProblemKind::InvalidComponent, format!("{e:#}")))?;
        if let Some((dir, key)) = &key {
            cache::store(&component, dir, key);
        }
        Ok(component)
    }
}

fn engine_key(engine: &Engine) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    h.finish()
}

/// Whether the bytes start with the component-model header (layer 1).
fn is_component(wasm: &[u8]) -> bool {
    wasm.len() >= 8 && wasm[..4] == *b"\0asm" && wasm[6..8] == [1, 0]
}

/// Agent when it exports `run`, command when it exports `wasi:cli/run`.
fn classify(engine: &Engine, c: &Component) -> Result<ProgramKind, Problem> {
    let ty = c.component_type();
    let mut agent = false;
    let mut command = false;
    for (name, _) in ty.exports(engine) {
        if name == "run" {
            agent = true;
        } else if name.starts_with("wasi:cli/run@0.2") {
            command = true;
        }
    }
    match (agent, command) {
        (true, _) => Ok(ProgramKind::Agent),
        (false, true) => Ok(ProgramKind::Command),
        (false, false) => Err(Problem::new(
            ProblemKind::InvalidComponent,
            "the component exports neither `run` (the agent world) nor `wasi:cli/run` (a command)",
        )),
    }
}

/// Advances the engine's epoch every [`TICK`] while at least one run is active, and
/// sleeps otherwise.
pub(crate) struct Ticker {
    active: AtomicUsize,
    stopped: AtomicBool,
    lock: Mutex<()>,
    wake: Condvar,
}

impl Ticker {
    fn start(engine: Engine) -> Arc<Ticker> {
        let t = Arc::new(Ticker {
            active: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            lock: Mutex::new(()),
            wake: Condvar::new(),
        });
        let me = Arc::clone(&t);
        let spawned = std::thread::Builder::new()
            .name("agentsh-epoch".into())
            .spawn(move || {
                loop {
                    {
                        let mut g = me.lock.lock();
                        while me.active.load(Ordering::Acquire) == 0
                            && !me.stopped.load(Ordering::Acquire)
                        {
                            me.wake.wait(&mut g);
                        }
                    }
                    if me.stopped.load(Ordering::Acquire) {
                        return;
                    }
                    std::thread::sleep(TICK);
                    engine.increment_epoch();
                }
            });
        if spawned.is_err() {
            // Without the thread, timeouts fall back to the host-side checks only.
            t.stopped.store(true, Ordering::Release);
        }
        t
    }

    /// Count a run as active until the guard drops.
    pub(crate) fn enter(self: &Arc<Ticker>) -> TickGuard {
        if self.active.fetch_add(1, Ordering::AcqRel) == 0 {
            let _g = self.lock.lock();
            self.wake.notify_one();
        }
        TickGuard(Arc::clone(self))
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        let _g = self.lock.lock();
        self.wake.notify_one();
    }
}

/// Keeps the ticker running.
pub(crate) struct TickGuard(Arc<Ticker>);

impl Drop for TickGuard {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::AcqRel);
    }
}

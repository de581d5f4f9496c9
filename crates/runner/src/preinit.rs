//! Pre-initialization: snapshot an agent component after its `wizer-initialize` export ran
//! (wasmtime-wizer's library, driven by this crate's own engine and linker), so that every
//! run of the snapshot starts where the initializer left off. The code-mode engines use it
//! at build time (`engines/js/build.sh` runs the `preinit` example) to skip making the
//! JavaScript runtime and compiling its prelude in each run.
//!
//! The initializer runs in a sandbox with a fresh filesystem, no tools and the default
//! limits; the snapshot keeps its memories and globals, never host resources.

use std::time::Instant;

use wasmtime::Store;
use wasmtime::component::{Component, Instance, WasmList};
use wasmtime_wizer::{ComponentInstanceState, Wizer};

use crate::engine::{ProgramKind, Runner};
use crate::problem::{Problem, ProblemKind};
use crate::sandbox::Sandbox;
use crate::state::HostState;

/// The export that initializes the component (the world `preinitialized-agent`).
pub const INIT_EXPORT: &str = "wizer-initialize";

/// `component` with [`INIT_EXPORT`] run and its state snapshotted.
pub fn preinitialize(component: &[u8]) -> Result<Vec<u8>, Problem> {
    let invalid = |what: &str, e: wasmtime::Error| {
        Problem::new(ProblemKind::InvalidComponent, format!("{what}: {e:#}"))
    };
    let runner = Runner::builder().max_instances(2).build()?;
    let mut wizer = Wizer::new();
    // Removing the export breaks the component: the core module's export goes too, while
    // the component's alias of it stays. It stays exported; nothing calls it again.
    wizer.keep_init_func(true);
    let (cx, instrumented) = wizer
        .instrument_component(component)
        .map_err(|e| invalid("instrumenting", e))?;
    let engine = &runner.inner.engine;
    let compiled = Component::new(engine, &instrumented).map_err(|e| invalid("compiling", e))?;
    let sandbox = Sandbox::builder().build();
    let (state, _stdout, _stderr) =
        sandbox.host_state(ProgramKind::Agent, "", None, Instant::now());
    let mut store = Store::new(engine, state);
    store.limiter(|st| &mut st.limiter);
    // No deadline for the initializer: the epoch never advances without a run.
    store.set_epoch_deadline(u64::MAX);
    let instance = runner
        .inner
        .agent_linker
        .instantiate(&mut store, &compiled)
        .map_err(|e| invalid("instantiating", e))?;
    let init = instance
        .get_typed_func::<(), ()>(&mut store, INIT_EXPORT)
        .map_err(|e| invalid(INIT_EXPORT, e))?;
    init.call(&mut store, ())
        .map_err(|e| invalid("the initializer trapped", e))?;
    let mut access = Access {
        store: &mut store,
        instance,
        failed: None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Problem::new(ProblemKind::Internal, e.to_string()))?;
    let snapshot = rt
        .block_on(wizer.snapshot_component(&cx, &mut access))
        .map_err(|e| invalid("snapshotting", e))?;
    match access.failed {
        Some(e) => Err(Problem::new(
            ProblemKind::InvalidComponent,
            format!("snapshotting: {e}"),
        )),
        None => Ok(snapshot),
    }
}

/// Wizer's view of the initialized instance: the accessor functions it added.
struct Access<'a> {
    store: &'a mut Store<HostState>,
    instance: Instance,
    /// The first accessor that could not be called (the snapshot is then unusable).
    failed: Option<String>,
}

impl Access<'_> {
    fn call<R, T>(
        &mut self,
        instance: &str,
        func: &str,
        f: impl FnOnce(&Store<HostState>, R) -> T,
    ) -> T
    where
        R: wasmtime::component::Lift + wasmtime::component::ComponentType + 'static,
        T: Default,
    {
        let called = (|| -> Result<T, String> {
            let (_, inst) = self
                .instance
                .get_export(&mut *self.store, None, instance)
                .ok_or("no such instance export")?;
            let (_, export) = self
                .instance
                .get_export(&mut *self.store, Some(&inst), func)
                .ok_or("no such function export")?;
            let typed = self
                .instance
                .get_typed_func::<(), (R,)>(&mut *self.store, export)
                .map_err(|e| format!("{e:#}"))?;
            let (r,) = typed
                .call(&mut *self.store, ())
                .map_err(|e| format!("{e:#}"))?;
            Ok(f(self.store, r))
        })();
        called.unwrap_or_else(|e| {
            self.failed
                .get_or_insert_with(|| format!("{instance}#{func}: {e}"));
            T::default()
        })
    }
}

impl ComponentInstanceState for Access<'_> {
    async fn call_func_ret_list_u8(
        &mut self,
        instance: &str,
        func: &str,
        contents: impl FnOnce(&[u8]) + Send,
    ) {
        self.call(instance, func, |store, list: WasmList<u8>| {
            contents(list.as_le_slice(store))
        })
    }

    async fn call_func_ret_s32(&mut self, instance: &str, func: &str) -> i32 {
        self.call(instance, func, |_, r: i32| r)
    }

    async fn call_func_ret_s64(&mut self, instance: &str, func: &str) -> i64 {
        self.call(instance, func, |_, r: i64| r)
    }

    async fn call_func_ret_f32(&mut self, instance: &str, func: &str) -> u32 {
        self.call(instance, func, |_, r: f32| r.to_bits())
    }

    async fn call_func_ret_f64(&mut self, instance: &str, func: &str) -> u64 {
        self.call(instance, func, |_, r: f64| r.to_bits())
    }
}

//! The `agent` world's host side: the sandbox imports of `wit/sandbox.wit` (filesystem,
//! shell, tools, log), implemented on the store data.

mod fs;
mod log;
mod shell;
mod tools;

pub(crate) use generated::Agent;
pub(crate) use generated::AgentPre;

pub(crate) mod generated {
    wasmtime::component::bindgen!({
        path: "../../wit",
        world: "agentsh:sandbox/agent",
        imports: { default: trappable },
        with: {
            "agentsh:sandbox/filesystem.file": super::fs::FileRes,
        },
        require_store_data_send: true,
    });
}

pub(crate) use generated::agentsh::sandbox as ifaces;

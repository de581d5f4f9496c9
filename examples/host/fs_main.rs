//! Host example: a plain WASI program (`fn main` built for wasm32-wasip2) whose `std::fs`
//! reads and writes the sandbox's in-memory files; a template filesystem prepared once is
//! forked in O(1) for each run.
//!
//! `cargo run -p runner --example fs_main`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use runner::{Runner, Sandbox};

fn main() {
    let runner = Runner::shared().expect("runner");
    let program = runner
        .load(&agentsh_guests::bytes("fs-main").expect("guest"))
        .expect("load");
    let template = runner::fresh_vfs();
    template.create_dir_all("/data", 0o755).unwrap();
    template
        .write("/data/notes.txt", "remember the milk\n")
        .unwrap();
    template.write("/data/todo.txt", "ship it\n").unwrap();
    let snapshot = template.snapshot();
    for who in ["alice", "bob"] {
        let sandbox = Sandbox::builder()
            .vfs(snapshot.fork())
            .env("GREETING", format!("hello {who}"))
            .build();
        let out = sandbox.run(&program, "");
        print!("{}", out.stdout_str());
        println!("exit {:?}", out.exit_code);
        print!(
            "{}",
            sandbox.vfs().read_to_string("/out/listing.txt").unwrap()
        );
    }
    // The template never saw the runs' writes.
    assert!(!template.exists("/out"));
}

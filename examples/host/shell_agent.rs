//! Host example: an agent that drives the sandbox's bash (`grep | sort | uniq -c`) over log
//! files the host seeded, and returns the parsed counts; its log lines come back too.
//!
//! `cargo run -p runner --example shell_agent`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use runner::{Runner, Sandbox};

fn main() {
    let runner = Runner::shared().expect("runner");
    let agent = runner
        .load(&agentsh_guests::bytes("shell-agent").expect("guest"))
        .expect("load");
    let sandbox = Sandbox::builder().build();
    let fs = sandbox.vfs();
    fs.create_dir_all("/logs", 0o755).unwrap();
    fs.write(
        "/logs/web.log",
        "ERROR timeout\nINFO ok\nERROR timeout\nERROR 500\n",
    )
    .unwrap();
    fs.write("/logs/db.log", "ERROR deadlock\nERROR timeout\n")
        .unwrap();
    let out = sandbox.run(&agent, "ERROR");
    println!("result: {:?}", out.result);
    for line in &out.logs {
        println!("log [{:?}] {} {}", line.level, line.message, line.fields);
    }
}

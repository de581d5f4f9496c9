//! Host example: seed CSV files, run the `csv-report` agent, read its Markdown report.
//!
//! `cargo run -p runner --example csv_report`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use runner::{Runner, Sandbox};

fn main() {
    let runner = Runner::shared().expect("runner");
    let agent = runner
        .load(&agentsh_guests::bytes("csv-report").expect("guest"))
        .expect("load");
    let sandbox = Sandbox::builder().build();
    let fs = sandbox.vfs();
    fs.create_dir_all("/data", 0o755).unwrap();
    fs.write("/data/q1.csv", "region,amount\nnorth,120\nsouth,80.5\n")
        .unwrap();
    fs.write("/data/q2.csv", "region,amount\nnorth,99\neast,1.5\n")
        .unwrap();
    let out = sandbox.run(&agent, "amount");
    match out.result {
        Ok(summary) => {
            println!("summary: {summary}");
            print!("{}", fs.read_to_string("/out/report.md").unwrap());
        }
        Err(p) => eprintln!("failed: {}", p.to_json()),
    }
    println!("took {:?}", out.stats.wall_time);
}

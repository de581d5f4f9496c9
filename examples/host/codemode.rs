//! Host example: code mode. Instead of one model round trip per tool call, the agent program
//! calls the host's tools itself — check inventory, get the weather, decide, send — in one
//! sandbox run. The tools are plain Rust closures (one of them async) with JSON schemas; the
//! guest can call these three and nothing else.
//!
//! `cargo run -p runner --example codemode`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use runner::{Runner, Sandbox, Tool};
use serde_json::json;

#[tokio::main]
async fn main() {
    let runner = Runner::shared().expect("runner");
    let agent = runner
        .load(&agentsh_guests::bytes("codemode-agent").expect("guest"))
        .expect("load");
    let sandbox = Sandbox::builder()
        .timeout(Duration::from_secs(5))
        .tool(Tool::new(
            "check_inventory",
            "Units in stock of an item",
            json!({"type": "object", "properties": {"item": {"type": "string"}}, "required": ["item"]}),
            |args| Ok(json!({"item": args["item"], "in_stock": 12})),
        ))
        .tool(Tool::new_async(
            "get_weather",
            "Tomorrow's forecast for a city",
            json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
            |args| async move {
                // A real tool would call a weather API here.
                tokio::time::sleep(Duration::from_millis(5)).await;
                Ok(json!({"city": args["city"], "forecast": "light rain"}))
            },
        ))
        .tool(Tool::new(
            "send_message",
            "Send a message to a person",
            json!({"type": "object", "properties": {"to": {"type": "string"}, "text": {"type": "string"}}}),
            |args| {
                println!("(host) message to {}: {}", args["to"], args["text"]);
                Ok(json!({"delivered": true}))
            },
        ))
        .build();
    let input = json!({"item": "umbrella", "city": "Lisbon", "to": "ops@example.com"});
    let out = sandbox.run_async(&agent, &input.to_string()).await;
    println!("result: {:?}", out.result);
    println!(
        "{} tool calls in one run, {:?}",
        out.stats.tool_calls, out.stats.wall_time
    );
}

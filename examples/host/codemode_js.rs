//! Host example: code mode in JavaScript. The model is given TypeScript declarations of the
//! sandbox's globals and of three host tools (inventory, weather, email); it answers with
//! one program (`examples/codemode/restock.js`) that calls the tools itself, and the
//! sandbox runs it once in the QuickJS engine guest.
//!
//! `cargo run -p runner --example codemode_js`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use runner::{Sandbox, Tool, ToolSet, run_js_async, typescript_declarations};
use serde_json::{Value, json};

/// The program the model wrote.
const PROGRAM: &str = include_str!("../codemode/restock.js");

fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "check_inventory",
            "Units of an item in stock at a store.",
            json!({"type": "object", "properties": {
                "item": {"type": "string"}, "store": {"type": "string", "description": "The store's city."}
            }, "required": ["item", "store"]}),
            |args| {
                let in_stock = match args["store"].as_str() {
                    Some("Lisbon") => 4,
                    Some("Oslo") => 35,
                    _ => 9,
                };
                Ok(json!({"item": args["item"], "in_stock": in_stock}))
            },
        ),
        Tool::new_async(
            "get_weather",
            "Tomorrow's forecast for a city.",
            json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
            |args: Value| async move {
                // A real tool would call a weather API here.
                tokio::time::sleep(Duration::from_millis(5)).await;
                let forecast = match args["city"].as_str() {
                    Some("Cairo") => "sunny",
                    _ => "light rain",
                };
                Ok(json!({"city": args["city"], "forecast": forecast}))
            },
        ),
        Tool::new(
            "send_email",
            "Send an email.",
            json!({"type": "object", "properties": {
                "to": {"type": "string"}, "subject": {"type": "string"}, "body": {"type": "string"}
            }, "required": ["to", "subject", "body"]}),
            |args| {
                println!("(host) email to {}: {}", args["to"], args["subject"]);
                Ok(json!({"sent": true}))
            },
        ),
    ]
}

#[tokio::main]
async fn main() {
    let mut set = ToolSet::default();
    tools().into_iter().for_each(|t| set.insert(t));
    let decls = typescript_declarations(&set);
    let tools_part = decls
        .find("declare const tools")
        .map_or(decls.as_str(), |i| &decls[i..]);
    println!("What the model sees of the tools:\n{tools_part}");

    let mut builder = Sandbox::builder().timeout(Duration::from_secs(5));
    for t in tools() {
        builder = builder.tool(t);
    }
    let sandbox = builder.build();
    let out = run_js_async(&sandbox, PROGRAM).await;
    for line in &out.logs {
        println!("(console) {}", line.message);
    }
    match &out.result {
        Ok(result) => println!("result: {result}"),
        Err(p) => println!("failed: {}", p.detail),
    }
    println!(
        "{} tool calls in one run, {:?}; /reports/restock.json is {} bytes",
        out.stats.tool_calls,
        out.stats.wall_time,
        sandbox
            .vfs()
            .read_to_string("/reports/restock.json")
            .map_or(0, |s| s.len())
    );
}

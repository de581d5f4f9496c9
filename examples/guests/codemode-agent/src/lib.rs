//! `codemode-agent`: "code mode" — one program calls several host tools, decides with
//! ordinary code, and acts, instead of one model round trip per tool call.
//!
//! - **Input**: a JSON object `{"item": "...", "city": "...", "to": "..."}` (all three
//!   strings required; other keys ignored). Otherwise `Err("input: <reason>")`.
//! - **Steps**:
//!   1. `tools::list()` must contain `check_inventory`, `get_weather` and `send_message`;
//!      otherwise `Err("missing tools: <names, comma-separated, in that order>")`.
//!   2. `check_inventory` with `{"item": item}`; its result must be a JSON object with a
//!      non-negative integer `in_stock`.
//!   3. `get_weather` with `{"city": city}`; its result must be a JSON object with a string
//!      `forecast`.
//!   4. The decision:
//!      - `in_stock == 0` → `"reorder"`, text `"<item> is out of stock: reorder before
//!        shipping to <city>"`;
//!      - else the forecast contains `rain` or `storm` (any case) → `"hold"`, text
//!        `"Hold the <in_stock> <item> for <city>: forecast is <forecast>"`;
//!      - else → `"ship"`, text `"Ship <in_stock> <item> to <city>: forecast is
//!        <forecast>"`.
//!   5. `send_message` with `{"to": to, "text": text}`.
//! - **Result**: `Ok` of the JSON object
//!   `{"decision":"ship","in_stock":N,"forecast":"...","message":"...","sent":<send_message
//!   result>}` where `sent` is the tool's result parsed as JSON (or as a JSON string when
//!   it is not JSON).
//! - **Errors**: a tool's problem → `Err("<tool>: <title> (<status>): <detail>")`; a
//!   result of the wrong shape → `Err("<tool>: <reason>")`.

use agentsh::sandbox::tools;
use serde_json::{Value, json};

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The tools this program needs.
const NEEDED: [&str; 3] = ["check_inventory", "get_weather", "send_message"];

/// The guest.
struct CodemodeAgent;

impl Guest for CodemodeAgent {
    fn run(input: String) -> Result<String, String> {
        let input: Value = serde_json::from_str(&input).map_err(|e| format!("input: {e}"))?;
        let field = |key: &str| {
            input
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("input: \"{key}\" must be a string"))
        };
        let (item, city, to) = (field("item")?, field("city")?, field("to")?);

        let declared: Vec<String> = tools::list().into_iter().map(|t| t.name).collect();
        let missing: Vec<&str> = NEEDED
            .into_iter()
            .filter(|name| !declared.iter().any(|d| d == name))
            .collect();
        if !missing.is_empty() {
            return Err(format!("missing tools: {}", missing.join(", ")));
        }

        let inventory = call("check_inventory", &json!({ "item": item }))?;
        let in_stock = inventory
            .get("in_stock")
            .and_then(Value::as_u64)
            .ok_or("check_inventory: result has no non-negative integer \"in_stock\"")?;
        let weather = call("get_weather", &json!({ "city": city }))?;
        let forecast = weather
            .get("forecast")
            .and_then(Value::as_str)
            .ok_or("get_weather: result has no string \"forecast\"")?
            .to_string();

        let lower = forecast.to_lowercase();
        let (decision, text) = if in_stock == 0 {
            (
                "reorder",
                format!("{item} is out of stock: reorder before shipping to {city}"),
            )
        } else if lower.contains("rain") || lower.contains("storm") {
            (
                "hold",
                format!("Hold the {in_stock} {item} for {city}: forecast is {forecast}"),
            )
        } else {
            (
                "ship",
                format!("Ship {in_stock} {item} to {city}: forecast is {forecast}"),
            )
        };
        let sent = call("send_message", &json!({ "to": to, "text": text }))?;
        let result = json!({
            "decision": decision,
            "in_stock": in_stock,
            "forecast": forecast,
            "message": text,
            "sent": sent,
        });
        Ok(result.to_string())
    }
}

/// Call a tool; its result as JSON (a JSON string when the result is not JSON).
fn call(name: &str, args: &Value) -> Result<Value, String> {
    match tools::call(name, &args.to_string()) {
        Ok(result) => Ok(serde_json::from_str(&result).unwrap_or(Value::String(result))),
        Err(p) => Err(format!("{name}: {} ({}): {}", p.title, p.status, p.detail)),
    }
}

export!(CodemodeAgent);

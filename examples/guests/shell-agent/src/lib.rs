//! `shell-agent`: an agent guest that runs a bash pipeline through the `shell` import and
//! returns its counts as JSON.
//!
//! - **Input**: a grep pattern (basic regex, surrounding whitespace trimmed); empty means
//!   `ERROR`.
//! - **Script**, run with `shell::run` (cwd `/`, the pattern passed as the exported
//!   variable `PATTERN`, no stdin, no timeout of its own):
//!
//!   ```sh
//!   set -o pipefail; grep -h -e "$PATTERN" /logs/*.log | sort | uniq -c | sort -rn
//!   ```
//!
//! - **Status**: with `pipefail` the status is grep's when grep fails. `0` → the lines of
//!   stdout are parsed; `1` (no line matched) → `Ok("[]")`; anything else (e.g. `2` when
//!   `/logs` has no `.log` file, `124` when a limit stopped it) →
//!   `Err("status S: <stderr>")`.
//! - **Parsing**: each `uniq -c` line is `<spaces><count> <text>`; the text is everything
//!   after the single space following the count. A line that does not parse →
//!   `Err("unexpected uniq -c line: <line>")`.
//! - **Logs** (`log` import): one `debug` line `match` with fields `{"count":N,"text":"…"}`
//!   per entry, then one `info` line `log summary` with fields
//!   `{"pattern":"…","distinct":D,"total":T}`.
//! - **Result**: `Ok` of a JSON array in the order of `sort -rn` (count descending):
//!   `[{"count":3,"text":"ERROR disk full"},{"count":1,"text":"ERROR timeout"}]`.

use agentsh::sandbox::log::{Level, log};
use agentsh::sandbox::shell::{RunOptions, run};
use serde_json::json;

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The pipeline; the pattern comes in through `$PATTERN`.
const SCRIPT: &str =
    r#"set -o pipefail; grep -h -e "$PATTERN" /logs/*.log | sort | uniq -c | sort -rn"#;

/// The guest.
struct ShellAgent;

impl Guest for ShellAgent {
    fn run(input: String) -> Result<String, String> {
        let pattern = match input.trim() {
            "" => "ERROR",
            p => p,
        };
        let options = RunOptions {
            cwd: None,
            env: vec![("PATTERN".to_string(), pattern.to_string())],
            stdin: None,
            timeout_ms: None,
        };
        let output = run(SCRIPT, &options);
        let entries = match output.status {
            0 => parse(&output.stdout)?,
            1 => Vec::new(),
            status => return Err(format!("status {status}: {}", output.stderr)),
        };
        let mut total = 0u64;
        for (count, text) in &entries {
            total += count;
            let fields = json!({ "count": count, "text": text });
            log(Level::Debug, "match", &fields.to_string());
        }
        let summary = json!({ "pattern": pattern, "distinct": entries.len(), "total": total });
        log(Level::Info, "log summary", &summary.to_string());
        let list: Vec<_> = entries
            .iter()
            .map(|(count, text)| json!({ "count": count, "text": text }))
            .collect();
        Ok(serde_json::Value::Array(list).to_string())
    }
}

/// `uniq -c` lines as `(count, text)`.
fn parse(stdout: &str) -> Result<Vec<(u64, String)>, String> {
    stdout
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let rest = line.trim_start();
            let (count, text) = rest.split_once(' ').unwrap_or((rest, ""));
            let count = count
                .parse()
                .map_err(|_| format!("unexpected uniq -c line: {line}"))?;
            Ok((count, text.to_string()))
        })
        .collect()
}

export!(ShellAgent);

//! `csv-report`: an agent guest that sums a numeric column over every CSV file in `/data`
//! with `std::fs` (through the WASI filesystem) and writes a Markdown report.
//!
//! - **Input**: the column name (surrounding whitespace trimmed); empty means `amount`.
//! - **Files**: every regular file of `/data` whose name ends in `.csv`, in byte order of
//!   their names (not recursive). Each has a header row naming the columns. Fields are
//!   split on `,`; a field in double quotes may contain commas and `""` for a quote. Fields
//!   are trimmed. Blank lines are skipped. `\r\n` line ends are accepted.
//! - **Output file** `/out/report.md` (`/out` created when missing):
//!
//!   ```text
//!   # Sum of `amount`
//!
//!   | file | rows | total |
//!   | --- | ---: | ---: |
//!   | a.csv | 3 | 100.5 |
//!   | b.csv | 2 | 23 |
//!   | **all** | 5 | 123.5 |
//!   ```
//!
//!   Numbers are printed as Rust's `f64` `Display` does (`23`, `100.5`, `0.1`).
//! - **Result**: `Ok({"files":F,"rows":R,"total":T})` with no spaces, `T` formatted as in
//!   the table. With no CSV file: `{"files":0,"rows":0,"total":0}` (the report is still
//!   written).
//! - **Errors** (`Err(message)`, no report written):
//!   - `/data` cannot be listed: `cannot list /data: <error>`;
//!   - a file cannot be read: `cannot read <FILE>: <error>` (`FILE` is the bare name);
//!   - a file with no header: `<FILE>: no header row`;
//!   - no such column: `<FILE>: no column "<col>" in the header`;
//!   - a row too short: `row N of <FILE>: no field for column "<col>"`;
//!   - not a finite number: `row N of <FILE>: invalid number "<field>" in column "<col>"`
//!     (`N` is the data row number: 1 for the first row after the header; blank lines
//!     are not counted);
//!   - the sum overflows `f64`: `the sum of column "<col>" is not finite`;
//!   - the report cannot be written: `cannot write /out/report.md: <error>`.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The guest.
struct CsvReport;

impl Guest for CsvReport {
    fn run(input: String) -> Result<String, String> {
        let column = match input.trim() {
            "" => "amount",
            name => name,
        };
        let mut names: Vec<String> = std::fs::read_dir("/data")
            .map_err(|e| format!("cannot list /data: {e}"))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".csv"))
            .collect();
        names.sort();

        let mut per_file = Vec::new();
        for name in &names {
            let text = std::fs::read_to_string(format!("/data/{name}"))
                .map_err(|e| format!("cannot read {name}: {e}"))?;
            per_file.push((name.as_str(), sum_column(name, &text, column)?));
        }
        let rows: u64 = per_file.iter().map(|(_, (rows, _))| rows).sum();
        let total: f64 = per_file.iter().map(|(_, (_, total))| total).sum();
        if !total.is_finite() {
            return Err(format!("the sum of column \"{column}\" is not finite"));
        }

        let mut report =
            format!("# Sum of `{column}`\n\n| file | rows | total |\n| --- | ---: | ---: |\n");
        for (name, (rows, sum)) in &per_file {
            report.push_str(&format!("| {name} | {rows} | {sum} |\n"));
        }
        report.push_str(&format!("| **all** | {rows} | {total} |\n"));
        std::fs::create_dir_all("/out").map_err(|e| format!("cannot create /out: {e}"))?;
        std::fs::write("/out/report.md", report)
            .map_err(|e| format!("cannot write /out/report.md: {e}"))?;
        Ok(format!(
            r#"{{"files":{},"rows":{rows},"total":{total}}}"#,
            per_file.len()
        ))
    }
}

/// The number of data rows of one CSV text and the sum of `column` over them.
fn sum_column(file: &str, text: &str, column: &str) -> Result<(u64, f64), String> {
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.trim().is_empty());
    let header = split_fields(
        lines
            .next()
            .ok_or_else(|| format!("{file}: no header row"))?,
    );
    let index = header
        .iter()
        .position(|name| name == column)
        .ok_or_else(|| format!("{file}: no column \"{column}\" in the header"))?;
    let (mut rows, mut sum) = (0u64, 0f64);
    for line in lines {
        rows += 1;
        let fields = split_fields(line);
        let field = fields
            .get(index)
            .ok_or_else(|| format!("row {rows} of {file}: no field for column \"{column}\""))?;
        let value = field
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                format!("row {rows} of {file}: invalid number \"{field}\" in column \"{column}\"")
            })?;
        sum += value;
    }
    Ok((rows, sum))
}

/// The trimmed fields of one CSV line (double quotes group, `""` is a quote).
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field).trim().to_string()),
            c => field.push(c),
        }
    }
    fields.push(field.trim().to_string());
    fields
}

export!(CsvReport);

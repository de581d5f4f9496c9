//! `--json`: one document on stdout, a result or an RFC 9457 problem detail.
//!
//! A result is `{"stdout", "stderr", "status", "stats"}` and the process exits 0 (the
//! script's own status is `status`). A problem detail has `type` (a URI naming the
//! kind of problem), `title` (its fixed summary), `status` (the HTTP-style status code
//! RFC 9457 asks for) and `detail` (what happened this time), plus extension members;
//! the process exits with the problem's distinct [`Problem::exit_code`].

use serde_json::{Value, json};

/// The kinds of failure `--json` reports as a problem detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The command line was wrong.
    Usage,
    /// The script does not parse.
    Syntax,
    /// A `--mount` could not be made (or the script file could not be read).
    Mount,
    /// An `--export` failed.
    Export,
    /// A limit stopped the script.
    Limit,
}

impl Problem {
    /// The `type` URI's last segment.
    pub fn slug(self) -> &'static str {
        match self {
            Problem::Usage => "usage",
            Problem::Syntax => "syntax-error",
            Problem::Mount => "bad-mount",
            Problem::Export => "export-failed",
            Problem::Limit => "limit-exceeded",
        }
    }

    /// The fixed `title`.
    pub fn title(self) -> &'static str {
        match self {
            Problem::Usage => "Invalid command line",
            Problem::Syntax => "Syntax error in the script",
            Problem::Mount => "A mount could not be made",
            Problem::Export => "An export could not be written",
            Problem::Limit => "A limit stopped the script",
        }
    }

    /// The HTTP-style `status` member.
    pub fn http_status(self) -> u16 {
        match self {
            Problem::Usage | Problem::Syntax => 400,
            Problem::Mount => 422,
            Problem::Export => 500,
            Problem::Limit => 413,
        }
    }

    /// The process exit status (sysexits.h codes, and 124 as without `--json`).
    pub fn exit_code(self) -> u8 {
        match self {
            Problem::Usage => 64,
            Problem::Syntax => 65,
            Problem::Mount => 66,
            Problem::Export => 73,
            Problem::Limit => 124,
        }
    }

    /// The document, with `extra` members merged in.
    pub fn document(self, detail: &str, extra: Value) -> Value {
        let mut doc = json!({
            "type": format!("urn:agentsh:problem:{}", self.slug()),
            "title": self.title(),
            "status": self.http_status(),
            "detail": detail,
        });
        if let (Some(d), Value::Object(x)) = (doc.as_object_mut(), extra) {
            d.extend(x);
        }
        doc
    }
}

/// Print a document on stdout (one line, newline-terminated).
pub fn print(doc: &Value) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{doc}");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_documents() {
        let d = Problem::Limit.document("time limit exceeded", json!({"limit": "time limit"}));
        assert_eq!(d["type"], "urn:agentsh:problem:limit-exceeded");
        assert_eq!(d["status"], 413);
        assert_eq!(d["limit"], "time limit");
        assert_eq!(d["detail"], "time limit exceeded");
        let codes: std::collections::BTreeSet<u8> = [
            Problem::Usage,
            Problem::Syntax,
            Problem::Mount,
            Problem::Export,
            Problem::Limit,
        ]
        .iter()
        .map(|p| p.exit_code())
        .collect();
        assert_eq!(codes.len(), 5);
    }
}

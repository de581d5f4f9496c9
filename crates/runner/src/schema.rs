//! A small JSON Schema check of tool arguments before a tool runs: `type` (one or a
//! list), `properties`, `required`, `additionalProperties: false`, `enum`, `const`,
//! `items`, `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`. Other
//! keywords are ignored (the tool sees what it would have seen without the check).

use serde_json::Value;

/// Check `value` against `schema`; the first mismatch, with its JSON path.
pub(crate) fn validate(schema: &Value, value: &Value) -> Result<(), String> {
    check(schema, value, "$")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(want: &str, v: &Value) -> bool {
    match want {
        "number" => v.is_number(),
        "integer" => type_name(v) == "integer" || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => type_name(v) == other,
    }
}

fn check(schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let Some(s) = schema.as_object() else {
        // `true`, `{}` and anything not an object accept everything (`false` nothing).
        return if schema == &Value::Bool(false) {
            Err(format!("{at}: no value is allowed here"))
        } else {
            Ok(())
        };
    };
    if let Some(t) = s.get("type") {
        let wanted: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !wanted.is_empty() && !wanted.iter().any(|w| type_matches(w, v)) {
            return Err(format!(
                "{at}: expected {}, got {}",
                wanted.join(" or "),
                type_name(v)
            ));
        }
    }
    if let Some(Value::Array(options)) = s.get("enum")
        && !options.contains(v)
    {
        return Err(format!(
            "{at}: {v} is not one of {}",
            Value::Array(options.clone())
        ));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        return Err(format!("{at}: expected {c}"));
    }
    match v {
        Value::Object(obj) => {
            if let Some(Value::Array(req)) = s.get("required") {
                for name in req.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(name) {
                        return Err(format!("{at}: missing required property `{name}`"));
                    }
                }
            }
            let props = s.get("properties").and_then(Value::as_object);
            for (k, item) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(sub) => check(sub, item, &format!("{at}.{k}"))?,
                    None => {
                        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                            return Err(format!("{at}: unexpected property `{k}`"));
                        }
                        if let Some(extra @ Value::Object(_)) = s.get("additionalProperties") {
                            check(extra, item, &format!("{at}.{k}"))?;
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                return Err(format!("{at}: fewer than {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && (items.len() as u64) > max
            {
                return Err(format!("{at}: more than {max} items"));
            }
            if let Some(sub) = s.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(sub, item, &format!("{at}[{i}]"))?;
                }
            }
        }
        Value::String(text) => {
            let n = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                && n < min
            {
                return Err(format!("{at}: shorter than {min} characters"));
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
                && n > max
            {
                return Err(format!("{at}: longer than {max} characters"));
            }
        }
        Value::Number(num) => {
            let x = num.as_f64().unwrap_or(0.0);
            if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                && x < min
            {
                return Err(format!("{at}: {num} is less than the minimum {min}"));
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                && x > max
            {
                return Err(format!("{at}: {num} is more than the maximum {max}"));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::validate;
    use serde_json::json;

    #[test]
    fn objects_types_required_and_extras() {
        let s = json!({
            "type": "object",
            "properties": {
                "city": {"type": "string", "minLength": 1},
                "days": {"type": "integer", "minimum": 1, "maximum": 14},
                "units": {"enum": ["C", "F"]},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
            },
            "required": ["city"],
            "additionalProperties": false
        });
        assert!(validate(&s, &json!({"city": "Oslo"})).is_ok());
        assert!(
            validate(
                &s,
                &json!({"city": "Oslo", "days": 3, "units": "C", "tags": ["a"]})
            )
            .is_ok()
        );
        assert_eq!(
            validate(&s, &json!({})).unwrap_err(),
            "$: missing required property `city`"
        );
        assert_eq!(
            validate(&s, &json!({"city": 5})).unwrap_err(),
            "$.city: expected string, got integer"
        );
        assert_eq!(
            validate(&s, &json!({"city": "x", "days": 2.5})).unwrap_err(),
            "$.days: expected integer, got number"
        );
        assert_eq!(
            validate(&s, &json!({"city": "x", "days": 15})).unwrap_err(),
            "$.days: 15 is more than the maximum 14"
        );
        assert_eq!(
            validate(&s, &json!({"city": "x", "units": "K"})).unwrap_err(),
            "$.units: \"K\" is not one of [\"C\",\"F\"]"
        );
        assert_eq!(
            validate(&s, &json!({"city": "x", "tags": ["a", 1]})).unwrap_err(),
            "$.tags[1]: expected string, got integer"
        );
        assert_eq!(
            validate(&s, &json!({"city": "x", "zip": 1})).unwrap_err(),
            "$: unexpected property `zip`"
        );
        assert_eq!(
            validate(&s, &json!([1])).unwrap_err(),
            "$: expected object, got array"
        );
    }

    #[test]
    fn permissive_schemas_accept_anything() {
        for s in [json!({}), json!(true), json!({"description": "anything"})] {
            assert!(validate(&s, &json!({"a": [1, null]})).is_ok());
            assert!(validate(&s, &json!(3)).is_ok());
        }
        assert!(validate(&json!(false), &json!(1)).is_err());
        assert!(validate(&json!({"type": ["string", "null"]}), &json!(null)).is_ok());
        assert!(validate(&json!({"type": "number"}), &json!(3)).is_ok());
        assert!(validate(&json!({"type": "integer"}), &json!(3.0)).is_ok());
    }
}

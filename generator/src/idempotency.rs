//! `x-paylinks-idempotency`: what a vendor does with an idempotency key, on the
//! `x-idempotency-key` header parameter. This module reads the extension's syntax; `lower`
//! checks the security alternatives it names against the operation's. Documented in
//! `docs/x-paylinks-idempotency.md`.

use serde_json::Value;

use crate::diag::child;
use crate::ir::IdempotencyPolicy;

pub const EXTENSION: &str = "x-paylinks-idempotency";

use crate::rules::Problem;

/// Parses the extension's value, found at `pointer`; `schemes` are the keys of
/// `components.securitySchemes`. Every problem is returned.
pub fn parse(
    value: &Value,
    pointer: &str,
    schemes: &[&str],
) -> (Option<IdempotencyPolicy>, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(object) = value.as_object() else {
        problems.push((
            pointer.to_owned(),
            format!("`{EXTENSION}` must be an object with `honoured-with`, `replayed-statuses` and `source`"),
        ));
        return (None, problems);
    };
    for key in object.keys() {
        if !matches!(
            key.as_str(),
            "honoured-with" | "replayed-statuses" | "source"
        ) {
            problems.push((
                child(pointer, key),
                format!("unknown key `{key}` (expected `honoured-with`, `replayed-statuses` or `source`)"),
            ));
        }
    }
    match object.get("source") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => problems.push((
            pointer.to_owned(),
            "`source` is required: the vendor's sentence this encodes".to_owned(),
        )),
    }
    let honoured_with = object
        .get("honoured-with")
        .map(|v| alternatives(v, &child(pointer, "honoured-with"), schemes, &mut problems));
    let replayed = object
        .get("replayed-statuses")
        .map(|v| statuses(v, &child(pointer, "replayed-statuses"), &mut problems))
        .unwrap_or_default();
    let policy = IdempotencyPolicy {
        honoured_with,
        replayed,
        pointer: pointer.to_owned(),
    };
    (problems.is_empty().then_some(policy), problems)
}

/// A non-empty list of security alternatives, each a non-empty list of declared scheme keys.
fn alternatives(
    value: &Value,
    at: &str,
    schemes: &[&str],
    problems: &mut Vec<Problem>,
) -> Vec<Vec<String>> {
    let shape = "`honoured-with` must be a non-empty list of security alternatives, each a list of security scheme names";
    let Some(items) = value.as_array().filter(|a| !a.is_empty()) else {
        problems.push((at.to_owned(), shape.to_owned()));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_at = child(at, &i.to_string());
        let Some(keys) = item.as_array().filter(|a| !a.is_empty()) else {
            problems.push((item_at, shape.to_owned()));
            continue;
        };
        let mut alternative = Vec::new();
        for (j, key) in keys.iter().enumerate() {
            let key_at = child(&item_at, &j.to_string());
            match key.as_str() {
                Some(k) if schemes.contains(&k) => alternative.push(k.to_owned()),
                Some(k) => problems.push((
                    key_at,
                    format!("security scheme `{k}` is not declared in components.securitySchemes"),
                )),
                None => problems.push((key_at, shape.to_owned())),
            }
        }
        out.push(alternative);
    }
    out
}

/// A list of HTTP status codes (100–599).
fn statuses(value: &Value, at: &str, problems: &mut Vec<Problem>) -> Vec<u16> {
    let Some(items) = value.as_array() else {
        problems.push((
            at.to_owned(),
            "`replayed-statuses` must be a list of HTTP status codes".to_owned(),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_u64().and_then(|n| u16::try_from(n).ok()) {
            Some(code @ 100..=599) => {
                if !out.contains(&code) {
                    out.push(code);
                }
            }
            _ => problems.push((
                child(at, &i.to_string()),
                "not an HTTP status code (an integer from 100 to 599)".to_owned(),
            )),
        }
    }
    out
}

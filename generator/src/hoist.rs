//! `$ref`s to a schema inside another schema (`#/components/schemas/Event/allOf/0`) or inside
//! an operation (`#/paths/~1a/get/responses/200/content/application~1json/schema`). JSON
//! pointers may name any node, but `openapiv3` and the generator name types by component:
//! such a node is moved to a component schema of its own (named after its place,
//! `EventAllOf0`) and the place it left refers to it, so both users share one type. Problems
//! found in a moved schema are reported where the spec wrote it (`Moved::original`).

use serde_yaml::{Mapping, Value};

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diag::child;
use crate::load::pointer_of;

/// Where moved schemas came from: (component pointer, original pointer), deepest first.
#[derive(Debug, Clone, Default)]
pub struct Moved(Vec<(String, String)>);

impl Moved {
    /// The pointer the spec wrote for `pointer` (unchanged unless it is in a moved schema).
    pub fn original(&self, pointer: &str) -> String {
        for (now, was) in &self.0 {
            if let Some(rest) = pointer.strip_prefix(now.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return format!("{was}{rest}");
                }
            }
        }
        pointer.to_owned()
    }
}

/// Moves every schema that a `$ref` names inside another node to `components/schemas`.
pub fn hoist_deep_refs(doc: &mut Value) -> Moved {
    let mut targets: Vec<String> = Vec::new();
    collect_refs(doc, false, &mut targets);
    targets.retain(|r| is_deep_schema_ref(r));
    targets.sort();
    targets.dedup();
    // Deepest first, so that a moved schema already refers to what was moved out of it.
    targets.sort_by_key(|r| std::cmp::Reverse(r.matches('/').count()));
    let mut moved = Vec::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for reference in targets {
        let tokens: Vec<String> = reference[2..]
            .split('/')
            .map(crate::lower::ref_token)
            .collect();
        let Some(node) = node_at(doc, &tokens).filter(|n| n.is_mapping()).cloned() else {
            continue;
        };
        let key = free_key(doc, &tokens);
        let target = format!("#/components/schemas/{}", crate::diag::escape_token(&key));
        if let Some(place) = node_at_mut(doc, &tokens) {
            let mut link = Mapping::new();
            link.insert("$ref".into(), Value::String(target.clone()));
            *place = Value::Mapping(link);
        }
        let schemas = doc
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_mapping_mut);
        if let Some(schemas) = schemas {
            schemas.insert(Value::String(key.clone()), node);
            moved.push((child("/components/schemas", &key), pointer_of(&tokens)));
            renamed.insert(reference, target);
        }
    }
    if !renamed.is_empty() {
        rewrite_refs(doc, &renamed);
    }
    Moved(moved)
}

/// A `$ref` to a node below a component schema, or to an operation's or component's
/// `schema` (or below it).
fn is_deep_schema_ref(reference: &str) -> bool {
    let Some(path) = reference.strip_prefix("#/") else {
        return false;
    };
    let tokens: Vec<&str> = path.split('/').collect();
    match tokens[..] {
        ["components", "schemas", _] => false,
        ["components", "schemas", _, _, ..] => true,
        _ => tokens.contains(&"schema"),
    }
}

/// A component key for a moved schema, after its place (`Event_allOf_0`), free in
/// `components/schemas`.
fn free_key(doc: &Value, tokens: &[String]) -> String {
    let place: Vec<&str> = match tokens {
        [components, schemas, rest @ ..] if components == "components" && schemas == "schemas" => {
            rest.iter().map(String::as_str).collect()
        }
        // In an operation: its operationId, then what is not plumbing (`responses`, `200`).
        [paths, path, method, rest @ ..] if paths == "paths" => {
            let id = doc
                .get("paths")
                .and_then(|p| p.get(path.as_str()))
                .and_then(|p| p.get(method.as_str()))
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str);
            let mut place = vec![id.unwrap_or(method.as_str())];
            if id.is_none() {
                place.insert(0, path.as_str());
            }
            let mut rest = rest.iter().map(String::as_str).peekable();
            while let Some(token) = rest.next() {
                match token {
                    "content" => {
                        rest.next();
                    }
                    "schema" => {}
                    other => place.push(other),
                }
            }
            place
        }
        _ => tokens.iter().map(String::as_str).collect(),
    };
    let base = place.join("_");
    let taken = |key: &str| {
        doc.get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(|s| s.get(key))
            .is_some()
    };
    crate::names::unique(&base, "_", taken)
}

fn node_at<'v>(doc: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(doc, |node, token| match node {
        Value::Mapping(map) => map.get(token.as_str()),
        Value::Sequence(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

fn node_at_mut<'v>(doc: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(doc, |node, token| match node {
        Value::Mapping(map) => map.get_mut(token.as_str()),
        Value::Sequence(items) => items.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Every `$ref` string of the document, outside values that are data (`example`,
/// `default`, `x-` extensions).
fn collect_refs(value: &Value, data: bool, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, item) in map {
                let key = key.as_str().unwrap_or_default();
                match item {
                    Value::String(r) if key == "$ref" && !data => out.push(r.clone()),
                    _ => {
                        let data =
                            data || key == "example" || key == "default" || key.starts_with("x-");
                        collect_refs(item, data, out);
                    }
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| collect_refs(i, data, out)),
        _ => {}
    }
}

fn rewrite_refs(value: &mut Value, renamed: &HashMap<String, String>) {
    match value {
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(r) if key.as_str() == Some("$ref") => {
                        if let Some(to) = renamed.get(r.as_str()) {
                            *r = to.clone();
                        }
                    }
                    _ => rewrite_refs(item, renamed),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|i| rewrite_refs(i, renamed)),
        _ => {}
    }
}

/// A `content` (or one media type of it) written as a `$ref` to a node of the document
/// (`content: {$ref: '#/components/mediaTypes/card'}`, as Lob's spec does). OpenAPI 3.0 has
/// no such reference, and `openapiv3` cannot read it; the node it points to is copied in
/// its place. Returns where that happened, for a warning each. A `$ref` to nothing is left
/// for the shape check to report.
pub fn inline_content_refs(doc: &mut Value) -> Vec<String> {
    let mut found: Vec<(Vec<String>, String)> = Vec::new();
    let mut path = Vec::new();
    find_content_refs(doc, &mut path, false, &mut found);
    let mut inlined = Vec::new();
    for (tokens, reference) in found {
        let mut target = reference;
        // A chain of such references, followed a few steps (a cycle is left as it is).
        for _ in 0..8 {
            let Some(path) = target.strip_prefix("#/") else {
                break;
            };
            let target_tokens: Vec<String> = path.split('/').map(crate::lower::ref_token).collect();
            let Some(node) = node_at(doc, &target_tokens)
                .filter(|n| n.is_mapping())
                .cloned()
            else {
                break;
            };
            let next = single_ref(&node).map(str::to_owned);
            if let Some(place) = node_at_mut(doc, &tokens) {
                *place = node;
            }
            match next {
                Some(next) => target = next,
                None => {
                    inlined.push(pointer_of(&tokens));
                    break;
                }
            }
        }
    }
    inlined
}

/// The `$ref` of a mapping that holds nothing else.
fn single_ref(value: &Value) -> Option<&str> {
    let map = value.as_mapping()?;
    (map.len() == 1)
        .then(|| map.get("$ref")?.as_str())
        .flatten()
}

fn find_content_refs<'v>(
    value: &'v Value,
    path: &mut Vec<Cow<'v, str>>,
    data: bool,
    out: &mut Vec<(Vec<String>, String)>,
) {
    match value {
        Value::Mapping(map) => {
            let in_content = path.last().is_some_and(|k| k == "content");
            for (key, item) in map {
                let Some(key) = key.as_str() else { continue };
                path.push(Cow::Borrowed(key));
                let data = data || key == "example" || key == "default" || key.starts_with("x-");
                match single_ref(item) {
                    Some(r) if !data && (key == "content" || in_content) => {
                        let owned = path.iter().map(|t| t.to_string()).collect();
                        out.push((owned, r.to_owned()));
                    }
                    _ => find_content_refs(item, path, data, out),
                }
                path.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Cow::Owned(i.to_string()));
                find_content_refs(item, path, data, out);
                path.pop();
            }
        }
        _ => {}
    }
}

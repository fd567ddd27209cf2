//! Shape errors: where `openapiv3` refuses a document. One failed deserialization of the
//! whole document says only the first problem, often at an outer node (`#/paths`, with an
//! untagged enum's "did not match any variant"). This walks the document node by node with
//! `openapiv3`'s own types instead, descending into a node that fails until the smallest
//! failing nodes are found, so that every problem is reported at its own pointer, all at
//! once. It runs only after the whole document failed, so valid documents pay nothing.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diag::child;
use crate::load::pointer_of;
use crate::overlay::path_to_pointer;
use openapiv3 as oa;

/// A problem: the pointer of the offending node and what is wrong.
pub(crate) type Problem = (String, String);

/// Every shape problem of `doc`, innermost nodes first in document order. Empty only if
/// `openapiv3` accepts the document.
pub(crate) fn shape_problems(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(map) = doc.as_mapping() else {
        report::<oa::OpenAPI>(doc, "", &mut out);
        return out;
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        let at = child("", key);
        match key {
            "info" => leaf::<oa::Info>(value, &at, &mut out),
            "servers" => each(value, &at, &mut out, |v, at, out| {
                leaf::<oa::Server>(v, at, out)
            }),
            "tags" => each(value, &at, &mut out, |v, at, out| {
                leaf::<oa::Tag>(v, at, out)
            }),
            "security" => leaf::<Vec<oa::SecurityRequirement>>(value, &at, &mut out),
            "externalDocs" => leaf::<oa::ExternalDocumentation>(value, &at, &mut out),
            "paths" => node::<oa::Paths>(value, &at, &mut out, |out| {
                entries(value, &at, out, path_item);
            }),
            "components" => node::<oa::Components>(value, &at, &mut out, |out| {
                components(value, &at, out);
            }),
            _ => {}
        }
    }
    if !map.contains_key("info") {
        out.push((String::new(), "missing field `info`".to_owned()));
    }
    if out.is_empty() {
        // Nothing below the top is wrong: the document itself is.
        report::<oa::OpenAPI>(doc, "", &mut out);
    }
    out
}

/// Whether `value` deserializes as `T`.
fn accepts<T: DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

/// Reports `value` as a `T` at `at`, with the position inside it that `serde` names.
fn report<T: DeserializeOwned>(value: &Value, at: &str, out: &mut Vec<Problem>) {
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
        let mut inner = path_to_pointer(&e.path().to_string());
        if inner.is_empty() {
            // Flattened and untagged parts of a type (a schema's keywords) lose the path;
            // the keyword without which the node is accepted is the one at fault.
            if let Some(key) = culprit::<T>(value) {
                inner = child("", key);
            }
        }
        out.push((format!("{at}{inner}"), e.inner().to_string()));
    }
}

/// The one key of a mapping node without which it deserializes as `T`, if there is one.
/// Only for small nodes (one deserialization per key, each of the whole node): a large
/// node keeps its own pointer, so that time stays linear.
fn culprit<T: DeserializeOwned>(value: &Value) -> Option<&str> {
    const MAX_KEYS: usize = 64;
    let map = value.as_mapping().filter(|m| m.len() <= MAX_KEYS)?;
    map.keys().filter_map(Value::as_str).find(|key| {
        let mut without = map.clone();
        without.remove(*key);
        accepts::<T>(&Value::Mapping(without))
    })
}

/// A node checked as a whole.
fn leaf<T: DeserializeOwned>(value: &Value, at: &str, out: &mut Vec<Problem>) {
    if !accepts::<T>(value) {
        report::<T>(value, at, out);
    }
}

/// A node that, when it fails, is searched for failing children first; it is reported
/// itself only when none of them fails.
fn node<T: DeserializeOwned>(
    value: &Value,
    at: &str,
    out: &mut Vec<Problem>,
    children: impl FnOnce(&mut Vec<Problem>),
) {
    if accepts::<T>(value) {
        return;
    }
    let before = out.len();
    children(out);
    if out.len() == before {
        report::<T>(value, at, out);
    }
}

/// A node that may be `{$ref: …}` instead of a `T`: a reference is checked as one, anything
/// else as a `T` (so the message is about `T`, not an untagged enum).
fn referable<T: DeserializeOwned>(
    value: &Value,
    at: &str,
    out: &mut Vec<Problem>,
    children: impl FnOnce(&mut Vec<Problem>),
) {
    match value.get("$ref") {
        Some(Value::String(_)) => {}
        Some(_) => out.push((child(at, "$ref"), "a `$ref` is a string".to_owned())),
        None => node::<T>(value, at, out, children),
    }
}

fn each(
    value: &Value,
    at: &str,
    out: &mut Vec<Problem>,
    f: impl Fn(&Value, &str, &mut Vec<Problem>),
) {
    if let Some(items) = value.as_sequence() {
        for (i, item) in items.iter().enumerate() {
            f(item, &child(at, &i.to_string()), out);
        }
    }
}

fn entries(
    value: &Value,
    at: &str,
    out: &mut Vec<Problem>,
    f: impl Fn(&Value, &str, &mut Vec<Problem>),
) {
    if let Some(map) = value.as_mapping() {
        for (key, item) in map {
            // Keys are text by now (load normalizes numeric keys).
            if let Some(key) = key.as_str() {
                f(item, &child(at, key), out);
            }
        }
    }
}

/// The members of an object node, for the children of a failing node.
fn field<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_mapping().and_then(|m| m.get(key))
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_item(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::PathItem>(value, at, out, |out| {
        for method in METHODS {
            if let Some(op) = field(value, method) {
                operation(op, &child(at, method), out);
            }
        }
        if let Some(params) = field(value, "parameters") {
            each(params, &child(at, "parameters"), out, parameter);
        }
    });
}

fn operation(value: &Value, at: &str, out: &mut Vec<Problem>) {
    node::<oa::Operation>(value, at, out, |out| {
        if let Some(params) = field(value, "parameters") {
            each(params, &child(at, "parameters"), out, parameter);
        }
        if let Some(body) = field(value, "requestBody") {
            request_body(body, &child(at, "requestBody"), out);
        }
        if let Some(responses) = field(value, "responses") {
            entries(responses, &child(at, "responses"), out, response);
        }
    });
}

fn parameter(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::Parameter>(value, at, out, |out| {
        if let Some(s) = field(value, "schema") {
            schema(s, &child(at, "schema"), out);
        }
        if let Some(content) = field(value, "content") {
            entries(content, &child(at, "content"), out, media_type);
        }
    });
}

fn request_body(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::RequestBody>(value, at, out, |out| {
        if let Some(content) = field(value, "content") {
            entries(content, &child(at, "content"), out, media_type);
        }
    });
}

fn response(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::Response>(value, at, out, |out| {
        if let Some(content) = field(value, "content") {
            entries(content, &child(at, "content"), out, media_type);
        }
        if let Some(headers) = field(value, "headers") {
            entries(headers, &child(at, "headers"), out, header);
        }
    });
}

fn header(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::Header>(value, at, out, |out| {
        if let Some(s) = field(value, "schema") {
            schema(s, &child(at, "schema"), out);
        }
    });
}

fn media_type(value: &Value, at: &str, out: &mut Vec<Problem>) {
    node::<oa::MediaType>(value, at, out, |out| {
        if let Some(s) = field(value, "schema") {
            schema(s, &child(at, "schema"), out);
        }
    });
}

fn schema(value: &Value, at: &str, out: &mut Vec<Problem>) {
    referable::<oa::Schema>(value, at, out, |out| {
        for key in ["properties", "patternProperties"] {
            if let Some(properties) = field(value, key) {
                entries(properties, &child(at, key), out, schema);
            }
        }
        for key in ["items", "not"] {
            if let Some(inner) = field(value, key) {
                schema(inner, &child(at, key), out);
            }
        }
        if let Some(additional) = field(value, "additionalProperties").filter(|v| v.is_mapping()) {
            schema(additional, &child(at, "additionalProperties"), out);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = field(value, key) {
                each(list, &child(at, key), out, schema);
            }
        }
    });
}

fn components(value: &Value, at: &str, out: &mut Vec<Problem>) {
    let Some(map) = value.as_mapping() else {
        return;
    };
    for (key, section) in map {
        let Some(key) = key.as_str() else { continue };
        let at = child(at, key);
        match key {
            "schemas" => entries(section, &at, out, schema),
            "responses" => entries(section, &at, out, response),
            "parameters" => entries(section, &at, out, parameter),
            "requestBodies" => entries(section, &at, out, request_body),
            "headers" => entries(section, &at, out, header),
            "examples" => entries(section, &at, out, |v, at, out| {
                referable::<oa::Example>(v, at, out, |_| {})
            }),
            "securitySchemes" => entries(section, &at, out, |v, at, out| {
                referable::<oa::SecurityScheme>(v, at, out, |_| {})
            }),
            _ => {}
        }
    }
}

/// `$ref`s whose value is a number, boolean, null or list. `openapiv3` reads such an object
/// as an empty schema without a word, which would lose the reference; a `$ref` holding a
/// mapping is left alone, since that is a property named `$ref`. This runs on every
/// document, so pointers are built only for what it reports.
pub(crate) fn non_string_refs(doc: &Value) -> Vec<Problem> {
    fn walk<'v>(value: &'v Value, path: &mut Vec<Cow<'v, str>>, out: &mut Vec<Problem>) {
        match value {
            Value::Mapping(map) => {
                for (key, item) in map {
                    let Some(key) = key.as_str() else { continue };
                    path.push(Cow::Borrowed(key));
                    if key == "$ref" && !matches!(item, Value::String(_) | Value::Mapping(_)) {
                        out.push((pointer_of(path), "a `$ref` is a string".to_owned()));
                    } else {
                        walk(item, path, out);
                    }
                    path.pop();
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Cow::Owned(i.to_string()));
                    walk(item, path, out);
                    path.pop();
                }
            }
            Value::Tagged(tagged) => walk(&tagged.value, path, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

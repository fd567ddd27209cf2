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
    let Err(e) = serde_path_to_error::deserialize::<_, T>(value) else {
        return;
    };
    let inner = path_to_pointer(&e.path().to_string());
    if !inner.is_empty() {
        out.push((format!("{at}{inner}"), e.inner().to_string()));
        return;
    }
    // Flattened and untagged parts of a type (a schema's keywords) lose the path; the keys
    // without which the node is accepted are the ones at fault, each reported with the
    // error it gives on its own.
    let (culprits, accepted) = culprits::<T>(value);
    if culprits.is_empty() {
        out.push((at.to_owned(), e.inner().to_string()));
    } else if let Err(rest) =
        serde_path_to_error::deserialize::<_, T>(Value::Mapping(accepted.clone()))
    {
        // Past the bound: what the rest still gives, said to be about more keywords.
        out.push((
            at.to_owned(),
            format!(
                "{}; and more keywords of this node are wrong than are named one by one",
                rest.inner()
            ),
        ));
    }
    for (key, item) in culprits {
        let mut alone = accepted.clone();
        alone.insert(key.clone(), item);
        let message = match serde_path_to_error::deserialize::<_, T>(Value::Mapping(alone)) {
            Err(e) => e.inner().to_string(),
            Ok(_) => e.inner().to_string(),
        };
        let token = key.as_str().unwrap_or_default();
        out.push((child(at, token), message));
    }
}

/// The keys of a mapping node without which it deserializes as `T`, and the node without
/// them. Found one at a time: keys are dropped in order until the rest is accepted, and
/// the last one dropped is at fault; the others are put back and the search repeats. Only
/// for nodes of at most 64 keys and 8 culprits (at most 8 × 64 deserializations of the
/// node), so that time stays linear; a larger node, or one that no removal fixes, has none.
/// Past 8 culprits the search stops, and the rest it returns is still refused.
fn culprits<T: DeserializeOwned>(value: &Value) -> (Vec<(Value, Value)>, serde_yaml::Mapping) {
    const MAX_KEYS: usize = 64;
    const MAX_CULPRITS: usize = 8;
    let mut found = Vec::new();
    let Some(map) = value.as_mapping().filter(|m| m.len() <= MAX_KEYS) else {
        return (found, serde_yaml::Mapping::new());
    };
    let mut rest = Value::Mapping(map.clone());
    while !accepts::<T>(&rest) {
        if found.len() == MAX_CULPRITS {
            break;
        }
        let keys: Vec<Value> = rest
            .as_mapping()
            .into_iter()
            .flat_map(|m| m.keys().cloned())
            .collect();
        let mut probe = rest.clone();
        let culprit = keys.into_iter().find(|key| {
            if let Some(m) = probe.as_mapping_mut() {
                m.remove(key);
            }
            accepts::<T>(&probe)
        });
        let Some(key) = culprit else {
            return (Vec::new(), serde_yaml::Mapping::new());
        };
        if let Some(item) = rest.as_mapping_mut().and_then(|m| m.remove(&key)) {
            found.push((key, item));
        }
    }
    let Value::Mapping(rest) = rest else {
        return (Vec::new(), serde_yaml::Mapping::new());
    };
    // In the order the node wrote them.
    if let Some(map) = value.as_mapping() {
        found.sort_by_key(|(key, _)| map.keys().position(|k| k == key));
    }
    (found, rest)
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

/// A node whose own keys may be wrong beside failing children (a schema with a bad
/// `required` and a bad property): once the children are searched, the node is checked
/// again without the keys that hold them. Only for types none of whose keys is required.
fn node_and_own_keys<T: DeserializeOwned>(
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
        return;
    }
    let Some(map) = value.as_mapping() else {
        return;
    };
    let prefix = format!("{at}/");
    let holding: Vec<String> = out[before..]
        .iter()
        .filter_map(|(pointer, _)| pointer.strip_prefix(&prefix))
        .map(|rest| crate::diag::unescape_token(rest.split('/').next().unwrap_or(rest)))
        .collect();
    let mut own = map.clone();
    own.retain(|key, _| !key.as_str().is_some_and(|k| holding.iter().any(|h| h == k)));
    let own = Value::Mapping(own);
    if !accepts::<T>(&own) {
        report::<T>(&own, at, out);
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
    match value.get("$ref") {
        Some(Value::String(_)) => return,
        Some(_) => {
            out.push((child(at, "$ref"), "a `$ref` is a string".to_owned()));
            return;
        }
        None => {}
    }
    node_and_own_keys::<oa::Schema>(value, at, out, |out| {
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

/// What `openapiv3` would lose without a word, found in one walk of every document:
/// - `$ref`s whose value is a number, boolean, null or list: `openapiv3` reads such an object
///   as an empty schema, which would lose the reference (a `$ref` holding a mapping is left
///   alone, since that is a property named `$ref`);
/// - `enum: []`, `oneOf: []` and `anyOf: []`, which `openapiv3` reads as no keyword at all
///   (any value), though they allow no value.
///
/// Values that are data (`example`, an Example's `value`, `default`, `x-` extensions) are
/// not searched for `enum`. Pointers are built only for what is reported.
pub(crate) fn silent_losses(doc: &Value) -> Silent {
    fn walk<'v>(value: &'v Value, path: &mut Vec<Cow<'v, str>>, data: bool, out: &mut Silent) {
        const EMPTY_LISTS: [&str; 3] = ["enum", "oneOf", "anyOf"];
        match value {
            Value::Mapping(map) => {
                for (key, item) in map {
                    let Some(key) = key.as_str() else { continue };
                    path.push(Cow::Borrowed(key));
                    if key == "$ref" && !matches!(item, Value::String(_) | Value::Mapping(_)) {
                        out.refs
                            .push((pointer_of(path), "a `$ref` is a string".to_owned()));
                    } else if let Some(keyword) = EMPTY_LISTS
                        .iter()
                        .find(|k| **k == key)
                        .filter(|_| !data && item.as_sequence().is_some_and(Vec::is_empty))
                    {
                        out.empty_enums.push((pointer_of(path), *keyword));
                    } else {
                        // An Example object's `value` (`…/examples/{name}/value`) is data too.
                        let example_value =
                            key == "value" && path.len() >= 3 && path[path.len() - 3] == "examples";
                        let data = data
                            || example_value
                            || key == "example"
                            || key == "default"
                            || key.starts_with("x-");
                        walk(item, path, data, out);
                    }
                    path.pop();
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Cow::Owned(i.to_string()));
                    walk(item, path, data, out);
                    path.pop();
                }
            }
            Value::Tagged(tagged) => walk(&tagged.value, path, data, out),
            _ => {}
        }
    }
    let mut out = Silent::default();
    walk(doc, &mut Vec::new(), false, &mut out);
    out
}

/// What [`silent_losses`] finds.
#[derive(Debug, Default)]
pub(crate) struct Silent {
    /// Shape problems: `$ref`s that are not text.
    pub refs: Vec<Problem>,
    /// Pointers (and keywords) of `enum: []`, `oneOf: []` and `anyOf: []`.
    pub empty_enums: Vec<(String, &'static str)>,
}

/// Schema keywords whose wrong value can be dropped without changing what the schema is
/// (a bound, a length, a flag, documentation); `type`, `$ref`, `properties`, `items` and
/// the combinators are what the schema is, and stay errors.
const DROPPABLE: [&str; 22] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "format",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "title",
    "description",
    "discriminator",
];

/// Whether a shape problem is a droppable keyword of a schema: the pointer's last token is
/// one of [`DROPPABLE`] and its node sits where a schema does (a component schema, a
/// `schema`, a property, an item, a part of a combinator, additional properties).
pub(crate) fn is_droppable_keyword(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let [.., grandparent, parent, keyword] = tokens[..] else {
        return false;
    };
    let schema_position = parent == "schema"
        || matches!(parent, "items" | "not" | "additionalProperties")
        || matches!(
            grandparent,
            "schemas" | "properties" | "patternProperties" | "allOf" | "oneOf" | "anyOf"
        );
    schema_position && DROPPABLE.contains(&keyword)
}

/// Removes the node at `pointer` from its mapping.
pub(crate) fn drop_node(doc: &mut Value, pointer: &str) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(crate::diag::unescape_token)
        .collect();
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let parent = parents.iter().try_fold(doc, |node, token| match node {
        Value::Mapping(map) => map.get_mut(token.as_str()),
        Value::Sequence(items) => items.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    });
    if let Some(Value::Mapping(map)) = parent {
        map.remove(last.as_str());
    }
}

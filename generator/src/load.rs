//! Load: YAML text → generic value → overlays → workarounds for `openapiv3` gaps → typed
//! `openapiv3::OpenAPI`. Works on text the caller read; does no file IO.

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::diag::{child, unescape_token, Code, Diagnostic, Sink};
use crate::overlay::{apply_overlay, parse_overlay};
use crate::source::locate_line;

/// A named input text: the name is what diagnostics print.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// A spec with its overlays applied, parsed into `openapiv3`'s model.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub file: String,
    pub text: String,
    pub api: openapiv3::OpenAPI,
    /// Schemas moved to components because a `$ref` named them inside another node.
    pub moved: crate::hoist::Moved,
}

impl LoadedSpec {
    /// A diagnostic about the spec at `pointer` (where the spec wrote it, for a moved
    /// schema), with the line where it can be found.
    pub fn error(&self, code: Code, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let pointer = self.moved.original(pointer);
        Diagnostic::error(code, &self.file, &pointer, message)
            .at_line(locate_line(&self.text, &pointer))
    }

    pub fn warning(&self, code: Code, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let pointer = self.moved.original(pointer);
        Diagnostic::warning(code, &self.file, &pointer, message)
            .at_line(locate_line(&self.text, &pointer))
    }
}

/// Parses YAML: a syntax error gives `None`; a key written twice or an integer past 64 bits
/// is reported at its pointer, and the value is still returned. See `crate::yaml`.
pub fn parse_yaml(source: Source<'_>, sink: &mut Sink) -> Option<Value> {
    crate::yaml::parse(source, sink)
}

/// Applies every overlay, in order, reporting each overlay's problems with its lines.
/// Content an overlay put into the spec, to blame the overlay for problems found in it.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The spec as it was before any overlay.
    original: Value,
    /// (overlay file, overlay text, injection), in the order applied.
    injections: Vec<(String, String, crate::overlay::Injection)>,
}

impl Provenance {
    /// A diagnostic about the spec at a node no overlay touched is left as it is; one at a
    /// node an overlay's `update` added or replaced is moved to that action in the overlay
    /// file, and says where in the spec the problem is.
    pub fn blame(&self, d: Diagnostic, spec_file: &str) -> Diagnostic {
        if d.file != spec_file || self.injections.is_empty() {
            return d;
        }
        let added = !exists(&self.original, &d.pointer);
        // The most specific target that holds the node; of equals, the last applied. A node
        // the spec already had is blamed only on an action whose update wrote that node (or
        // one above it, below the target): merging a sibling key does not make it the
        // overlay's.
        let found = self
            .injections
            .iter()
            .enumerate()
            .filter(|(_, (_, _, i))| {
                let below = if d.pointer == i.target {
                    Some("")
                } else {
                    d.pointer
                        .strip_prefix(i.target.as_str())
                        .filter(|rest| rest.starts_with('/'))
                };
                below.is_some_and(|rest| added || (!rest.is_empty() && exists(&i.update, rest)))
            })
            .max_by_key(|(order, (_, _, i))| (i.target.len(), *order))
            .map(|(_, found)| found);
        match found {
            Some((file, text, injection)) => Diagnostic {
                file: file.clone(),
                line: locate_line(text, &injection.action),
                message: format!(
                    "{} (in what this action wrote to {spec_file} at #{})",
                    d.message, d.pointer
                ),
                pointer: injection.action.clone(),
                ..d
            },
            None => d,
        }
    }
}

/// Whether `pointer` names a node of `value`.
fn exists(value: &Value, pointer: &str) -> bool {
    let mut node = value;
    for token in pointer.split('/').skip(1) {
        let token = unescape_token(token);
        let next = match node {
            Value::Mapping(map) => map.get(token.as_str()),
            Value::Sequence(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    true
}

pub fn apply_overlays(doc: &mut Value, overlays: &[Source<'_>], sink: &mut Sink) -> Provenance {
    let mut provenance = Provenance {
        original: if overlays.is_empty() {
            Value::Null
        } else {
            doc.clone()
        },
        injections: Vec::new(),
    };
    for overlay_source in overlays {
        let mut parse_sink = Sink::default();
        let parsed = parse_yaml(*overlay_source, &mut parse_sink);
        let raw_errors = parse_sink.has_errors();
        for d in parse_sink.take_sorted() {
            sink.push(d);
        }
        let Some(value) = parsed.filter(|_| !raw_errors) else {
            continue;
        };
        match parse_overlay(overlay_source.file, value) {
            Ok(overlay) => {
                let mut overlay_sink = Sink::default();
                let injections =
                    apply_overlay(doc, &overlay, overlay_source.file, &mut overlay_sink);
                provenance
                    .injections
                    .extend(injections.into_iter().map(|i| {
                        (
                            overlay_source.file.to_owned(),
                            overlay_source.text.to_owned(),
                            i,
                        )
                    }));
                for d in overlay_sink.take_sorted() {
                    let line = locate_line(overlay_source.text, &d.pointer);
                    sink.push(d.at_line(line));
                }
            }
            Err(problems) => {
                for d in problems {
                    let line = locate_line(overlay_source.text, &d.pointer);
                    sink.push(d.at_line(line));
                }
            }
        }
    }
    provenance
}

/// The document (overlays applied) as `openapiv3`'s model, after the version check and the
/// workarounds for `openapiv3`'s gaps.
pub fn to_openapi(mut doc: Value, spec: Source<'_>, sink: &mut Sink) -> Option<LoadedSpec> {
    if let Err(d) = check_version(&doc, spec) {
        sink.push(d);
        return None;
    }
    check_status_keys(&doc, spec, sink);
    drop_referenced_callbacks(&mut doc, spec, sink);
    for pointer in crate::hoist::inline_content_refs(&mut doc) {
        sink.push(
            Diagnostic::warning(
                Code::Ref,
                spec.file,
                &pointer,
                "OpenAPI 3.0 has no `$ref` for a whole `content` or media type; the node it points to is read in its place",
            )
            .at_line(locate_line(spec.text, &pointer)),
        );
    }
    let moved = crate::hoist::hoist_deep_refs(&mut doc);
    // Every shape problem is reported together: `$ref`s that are not text, then what
    // `openapiv3` refuses, found node by node so that each is at its own pointer.
    let silent = crate::shape::silent_losses(&doc);
    for (pointer, keyword) in silent.empty_enums {
        let pointer = moved.original(&pointer);
        sink.push(
            Diagnostic::error(
                Code::Contradiction,
                spec.file,
                &pointer,
                format!("`{keyword}: []` allows no value at all; list what it allows, or drop the keyword"),
            )
            .at_line(locate_line(spec.text, &pointer)),
        );
    }
    let parsed = read_openapi(&mut doc, silent.refs, &moved, spec, sink);
    match parsed {
        Ok(api) if !sink.has_errors() => Some(LoadedSpec {
            file: spec.file.to_owned(),
            text: spec.text.to_owned(),
            api,
            moved,
        }),
        _ => None,
    }
}

/// `openapiv3`'s model of the document. A schema keyword whose value is wrong
/// (`maximum: "P7D"`) is dropped with a warning and the document read again; what cannot be
/// dropped is an error, reported with `problems` (found before). A few rounds: a dropped
/// keyword can reveal another below it.
fn read_openapi(
    doc: &mut Value,
    mut problems: Vec<crate::shape::Problem>,
    moved: &crate::hoist::Moved,
    spec: Source<'_>,
    sink: &mut Sink,
) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    let at_line = |pointer: &str| {
        let pointer = moved.original(pointer);
        let line = locate_line(spec.text, &pointer);
        (pointer, line)
    };
    let mut parsed = openapiv3::OpenAPI::deserialize(&*doc);
    for _ in 0..4 {
        if parsed.is_ok() {
            break;
        }
        let (droppable, rest): (Vec<_>, Vec<_>) = crate::shape::shape_problems(doc)
            .into_iter()
            .partition(|(pointer, _)| crate::shape::is_droppable_keyword(pointer));
        if droppable.is_empty() {
            problems.extend(rest);
            break;
        }
        for (pointer, message) in droppable {
            crate::shape::drop_node(doc, &pointer);
            let (pointer, line) = at_line(&pointer);
            sink.push(
                Diagnostic::warning(
                    Code::Shape,
                    spec.file,
                    pointer,
                    format!(
                        "not a valid OpenAPI 3.0 keyword value: {message}; the keyword is ignored"
                    ),
                )
                .at_line(line),
            );
        }
        parsed = openapiv3::OpenAPI::deserialize(&*doc);
    }
    if parsed.is_err() && problems.is_empty() {
        problems.extend(crate::shape::shape_problems(doc));
    }
    for (pointer, message) in problems {
        let (pointer, line) = at_line(&pointer);
        sink.push(
            Diagnostic::error(
                Code::Shape,
                spec.file,
                pointer,
                format!("not a valid OpenAPI 3.0 document: {message}"),
            )
            .at_line(line),
        );
    }
    parsed
}

/// What `openapiv3` would drop without a word: a path that does not start with `/` (and is
/// not an `x-` extension), a response key that is not a status code (`200`), a range
/// (`2XX`) or `default`, and a range written twice in different case (`4XX`, `4xx`).
fn check_status_keys(doc: &Value, spec: Source<'_>, sink: &mut Sink) {
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else {
        return;
    };
    let mut report = |code: Code, pointer: String, message: String| {
        let line = locate_line(spec.text, &pointer);
        sink.push(Diagnostic::error(code, spec.file, pointer, message).at_line(line));
    };
    for (path, item) in paths {
        let path = path.as_str().unwrap_or_default();
        let path_pointer = child("/paths", path);
        if !path.starts_with('/') && !path.starts_with("x-") {
            report(
                Code::PathTemplate,
                path_pointer.clone(),
                format!("path `{path}` does not start with `/`; its operations would be lost"),
            );
        }
        let Some(item) = item.as_mapping() else {
            continue;
        };
        for (method, operation) in item {
            let Some(responses) = operation.get("responses").and_then(Value::as_mapping) else {
                continue;
            };
            let at = child(
                &child(&path_pointer, method.as_str().unwrap_or_default()),
                "responses",
            );
            let keys: Vec<&str> = responses.keys().filter_map(Value::as_str).collect();
            for (i, key) in keys.iter().enumerate() {
                let valid = *key == "default"
                    || (key.len() == 3
                        && key.starts_with(['1', '2', '3', '4', '5'])
                        && (key[1..].chars().all(|c| c.is_ascii_digit())
                            || key[1..].eq_ignore_ascii_case("XX")));
                if !valid {
                    report(Code::Shape, child(&at, key), format!("response key `{key}` is not a status code (`200`), a range (`2XX`) or `default`"));
                } else if let Some(earlier) = keys[..i].iter().find(|k| k.eq_ignore_ascii_case(key))
                {
                    report(
                        Code::DuplicateKey,
                        child(&at, key),
                        format!(
                            "`{key}` is the same range as `{earlier}`; one of them would be lost"
                        ),
                    );
                }
            }
        }
    }
}

/// Only OpenAPI 3.0 is understood; older and newer documents are refused with advice.
fn check_version(doc: &Value, spec: Source<'_>) -> Result<(), Diagnostic> {
    let at = |pointer: &str, message: String| {
        Diagnostic::error(Code::Version, spec.file, pointer, message)
            .at_line(locate_line(spec.text, pointer))
    };
    if !doc.is_mapping() {
        return Err(at(
            "",
            "an OpenAPI document is a YAML or JSON object; this file holds something else"
                .to_owned(),
        ));
    }
    if let Some(version) = doc.get("swagger") {
        let version = version
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{version:?}"));
        return Err(at(
            "/swagger",
            format!("this is a Swagger {version} document; convert it to OpenAPI 3.0 first (for example with swagger2openapi)"),
        ));
    }
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.") => Err(at(
            "/openapi",
            format!("OpenAPI {v} is not supported yet; only 3.0.x is (3.1 changes `nullable`, `exclusiveMinimum` and `type` arrays)"),
        )),
        Some(other) => Err(at("/openapi", format!("`openapi` must be a version string such as \"3.0.3\", not {other:?}"))),
        None => Err(at("", "no `openapi` version field: this does not look like an OpenAPI 3.0 document".to_owned())),
    }
}

/// Makes the document what JSON-based tools expect, before overlays see it: YAML merge keys
/// (`<<: *anchor`) are applied, and number or boolean keys (`200:`) become strings. A key
/// that then appears twice (`200:` beside `'200':`) is an error at its pointer, never a
/// silent merge; so is YAML's `.inf` or `.nan`, which JSON (and so OpenAPI and `openapiv3`)
/// does not have; so is a merge key that cannot be applied. One walk, which also applies the
/// merges, so every problem is at its pointer and all are reported together.
pub fn normalize(doc: &mut Value, spec: Source<'_>, sink: &mut Sink) {
    let mut found = Vec::new();
    // `Value` forgets quoting: a quoted `'<<'` key is an ordinary key, found from the text.
    let quoted_merge =
        (spec.text.contains("'<<'") || spec.text.contains("\"<<\"")).then_some(spec.text);
    normalize_value(doc, &mut Vec::new(), &mut found, quoted_merge);
    for (pointer, problem) in found {
        let (code, message) = match problem {
            Found::Duplicate(key) => (Code::DuplicateKey, format!("the key `{key}` appears twice once keys are text (`{key}:` and `'{key}':`); one of them would be lost")),
            Found::NotFinite(n) => (Code::UnrepresentableNumber, format!("`{n}` is not a JSON number (OpenAPI numbers are finite)")),
            Found::BadMerge => (Code::MergeKey, "a YAML merge key (`<<`) takes a mapping or a list of mappings".to_owned()),
        };
        sink.push(
            Diagnostic::error(code, spec.file, &pointer, message)
                .at_line(locate_line(spec.text, &pointer)),
        );
    }
}

/// What `normalize` reports.
enum Found {
    /// A key that appears twice once it is text.
    Duplicate(String),
    /// `.inf`, `-.inf` or `.nan`, as YAML wrote it.
    NotFinite(String),
    /// A merge key (`<<`) whose value is not a mapping or a list of mappings.
    BadMerge,
}

/// Applies a merge key's value to `map` as YAML 1.1 (and `serde_yaml::Value::apply_merge`)
/// does: keys already in `map` win, and of several merged mappings the earlier wins.
/// `false`, and nothing merged, when the value is not a mapping or a list of mappings.
fn merge_into(map: &mut Mapping, merge: Value) -> bool {
    let parts = match merge {
        Value::Mapping(part) => vec![part],
        Value::Sequence(items) if items.iter().all(Value::is_mapping) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Mapping(part) => Some(part),
                _ => None,
            })
            .collect(),
        _ => return false,
    };
    for part in parts {
        for (k, v) in part {
            map.entry(k).or_insert(v);
        }
    }
    true
}

/// The JSON pointer of a path of tokens (escaped here, once, for what is reported).
pub(crate) fn pointer_of<S: AsRef<str>>(path: &[S]) -> String {
    path.iter().fold(String::new(), |pointer, token| {
        child(&pointer, token.as_ref())
    })
}

/// Whether the `<<` key of the mapping at `path` is written quoted in `text` (so it is an
/// ordinary key, not a merge).
fn is_quoted_merge(text: Option<&str>, path: &mut Vec<String>) -> bool {
    let Some(text) = text else {
        return false;
    };
    path.push("<<".to_owned());
    let line = locate_line(text, &pointer_of(path));
    path.pop();
    line.and_then(|l| text.lines().nth(l - 1))
        .is_some_and(|line| {
            ["'<<'", "\"<<\""].iter().any(|quoted| {
                line.split(quoted)
                    .nth(1)
                    .is_some_and(|after| after.trim_start().starts_with(':'))
            })
        })
}

fn normalize_value(
    value: &mut Value,
    path: &mut Vec<String>,
    found: &mut Vec<(String, Found)>,
    quoted_merge: Option<&str>,
) {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            found.push((pointer_of(path), Found::NotFinite(n.to_string())));
        }
        Value::Mapping(map) => {
            // Merged before the keys are normalized, so a merged `200:` beside `'200':` is
            // found like any other duplicate; merged values are walked below like the rest.
            let merge = map.contains_key("<<") && !is_quoted_merge(quoted_merge, path);
            if let Some(merge) = merge.then(|| map.remove("<<")).flatten() {
                if !merge_into(map, merge) {
                    path.push("<<".to_owned());
                    found.push((pointer_of(path), Found::BadMerge));
                    path.pop();
                }
            }
            if map.keys().any(|k| !k.is_string()) {
                let old = std::mem::take(map);
                let mut fresh = Mapping::new();
                for (k, v) in old {
                    let key = match k {
                        Value::Number(n) => Value::String(n.to_string()),
                        Value::Bool(b) => Value::String(b.to_string()),
                        other => other,
                    };
                    if fresh.contains_key(&key) {
                        let text = key.as_str().unwrap_or_default().to_owned();
                        path.push(text.clone());
                        found.push((pointer_of(path), Found::Duplicate(text)));
                        path.pop();
                        continue;
                    }
                    fresh.insert(key, v);
                }
                *map = fresh;
            }
            for (k, v) in map.iter_mut() {
                let token = match k {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .map(|s| s.trim().to_owned())
                        .unwrap_or_default(),
                };
                path.push(token);
                normalize_value(v, path, found, quoted_merge);
                path.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                normalize_value(item, path, found, quoted_merge);
                path.pop();
            }
        }
        Value::Tagged(tagged) => normalize_value(&mut tagged.value, path, found, quoted_merge),
        _ => {}
    }
}

/// `openapiv3` 2.x cannot represent a callback given as a `$ref`. Callbacks describe requests
/// the vendor sends to the merchant, which the generated client never makes, so they are
/// dropped with a warning instead of failing the whole spec.
fn drop_referenced_callbacks(doc: &mut Value, spec: Source<'_>, sink: &mut Sink) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let Some(callbacks) = operation
                .get_mut("callbacks")
                .and_then(Value::as_mapping_mut)
            else {
                continue;
            };
            let referenced: Vec<Value> = callbacks
                .iter()
                .filter(|(_, v)| v.get("$ref").is_some())
                .map(|(k, _)| k.clone())
                .collect();
            for key in referenced {
                let pointer = child(
                    &child(
                        &child(
                            &child("/paths", path.as_str().unwrap_or_default()),
                            method.as_str().unwrap_or_default(),
                        ),
                        "callbacks",
                    ),
                    key.as_str().unwrap_or_default(),
                );
                sink.push(
                    Diagnostic::warning(
                        Code::Callback,
                        spec.file,
                        pointer.clone(),
                        "callback given by `$ref` is not supported and was skipped",
                    )
                    .at_line(locate_line(spec.text, &pointer)),
                );
                callbacks.shift_remove(&key);
            }
        }
    }
}

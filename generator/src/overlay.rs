//! OpenAPI Overlay 1.0: a list of actions, each selecting nodes of a document with a JSONPath
//! `target` and either merging an `update` into them or removing them.
//!
//! The JSONPath subset covers what overlays on API descriptions use: `$`, `.name`,
//! `['name']` / `["name"]` (with comma-separated unions), `[n]`, `.*` / `[*]` and recursive
//! descent `..`. Filter expressions (`[?...]`) and slices are rejected with an error rather
//! than guessed at.

use crate::diag::Code;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::diag::{child, Diagnostic, Sink};

/// A parsed overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub overlay: String,
    pub info: OverlayInfo,
    pub extends: Option<String>,
    pub actions: Vec<Action>,
}

/// The document around the actions, which are parsed one by one so that every malformed
/// action is reported, not only the first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    overlay: String,
    info: OverlayInfo,
    #[serde(default)]
    extends: Option<String>,
    actions: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
}

/// One overlay action. Exactly one of `update` and `remove` must be given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub update: Option<Value>,
    #[serde(default)]
    pub remove: bool,
}

/// One step of a location inside a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A parsed JSONPath selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selector {
    Names(Vec<String>),
    Indices(Vec<i64>),
    Wildcard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    descendants: bool,
    selector: Selector,
}

/// Parses an overlay file. `file` names it in diagnostics; every problem is reported.
pub fn parse_overlay(file: &str, value: Value) -> Result<Overlay, Vec<Diagnostic>> {
    let malformed = |prefix: &str, e: serde_path_to_error::Error<serde_yaml::Error>| {
        let pointer = format!("{prefix}{}", path_to_pointer(&e.path().to_string()));
        let what = if prefix.is_empty() {
            "not an overlay document"
        } else {
            "malformed overlay action"
        };
        Diagnostic::error(
            Code::Overlay,
            file,
            pointer,
            format!("{what}: {}", e.inner()),
        )
    };
    let envelope: Envelope =
        serde_path_to_error::deserialize(value).map_err(|e| vec![malformed("", e)])?;
    let mut problems = Vec::new();
    if !envelope.overlay.starts_with("1.") {
        problems.push(Diagnostic::error(
            Code::Overlay,
            file,
            "/overlay",
            format!(
                "unsupported overlay version `{}` (expected 1.x)",
                envelope.overlay
            ),
        ));
    }
    let mut actions = Vec::with_capacity(envelope.actions.len());
    for (i, action) in envelope.actions.into_iter().enumerate() {
        match serde_path_to_error::deserialize(action) {
            Ok(action) => actions.push(action),
            Err(e) => problems.push(malformed(&format!("/actions/{i}"), e)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Overlay {
        overlay: envelope.overlay,
        info: envelope.info,
        extends: envelope.extends,
        actions,
    })
}

/// Turns a serde path such as `actions[2].target` into a JSON pointer.
pub fn path_to_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return String::new();
    }
    let mut pointer = String::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            pointer = child(&pointer, &rest[..open]);
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                pointer = child(&pointer, &stripped[..close]);
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else {
            pointer = child(&pointer, rest);
        }
    }
    pointer
}

/// Applies every action of `overlay` to `doc`, in order. Every problem (a bad target, a target
/// that matches nothing, an update of a scalar) is reported, all at once.
/// Where an overlay action's `update` put content into the spec: the pointer of the node it
/// merged into, the action (`/actions/{i}/update`), and what it merged (shared by every
/// match of the action).
#[derive(Debug, Clone, PartialEq)]
pub struct Injection {
    pub target: String,
    pub action: String,
    pub update: std::sync::Arc<Value>,
}

pub fn apply_overlay(
    doc: &mut Value,
    overlay: &Overlay,
    overlay_file: &str,
    sink: &mut Sink,
) -> Vec<Injection> {
    let mut injections = Vec::new();
    for (i, action) in overlay.actions.iter().enumerate() {
        let at = format!("/actions/{i}");
        let Some(segments) = action_target(action, &at, overlay_file, sink) else {
            continue;
        };
        let (matches, unmatched) = select(doc, &segments);
        if !matches.is_empty() && !unmatched.is_empty() {
            sink.push(Diagnostic::error(
                Code::OverlayNoMatch,
                overlay_file,
                format!("{at}/target"),
                format!(
                    "in target `{}`, {} {} nothing in the spec, although the rest of the target matches (did the vendor rename or move it?)",
                    action.target,
                    unmatched.join(", "),
                    if unmatched.len() == 1 { "matches" } else { "match" }
                ),
            ));
        }
        if matches.is_empty() {
            sink.push(Diagnostic::error(
                Code::OverlayNoMatch,
                overlay_file,
                format!("{at}/target"),
                format!(
                    "target `{}` matches nothing in the spec (did the vendor rename or move it?)",
                    action.target
                ),
            ));
            continue;
        }
        if let Some(update) = &action.update {
            let place = Place {
                at: &at,
                file: overlay_file,
            };
            injections.extend(update_all(doc, &matches, update, place, sink));
        } else {
            // Remove later siblings first so that earlier indices stay valid.
            let mut paths = matches;
            paths.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| compare_steps(b, a)));
            for path in paths {
                remove(doc, &path);
            }
        }
    }
    injections
}

/// Where an action is: its pointer in the overlay, and the overlay's file.
#[derive(Clone, Copy)]
struct Place<'a> {
    at: &'a str,
    file: &'a str,
}

/// The action's parsed target, or `None` after reporting what is wrong with the action (a
/// target that is not JSONPath; both or neither of `update` and `remove: true`).
fn action_target(
    action: &Action,
    at: &str,
    overlay_file: &str,
    sink: &mut Sink,
) -> Option<Vec<Segment>> {
    let problem = match (&action.update, action.remove) {
        (Some(_), true) => Some("an action takes either `update` or `remove: true`, not both"),
        (None, false) => Some("an action needs `update` or `remove: true`"),
        _ => None,
    };
    let segments = match parse_path(&action.target) {
        Ok(s) => Some(s),
        Err(message) => {
            sink.push(Diagnostic::error(
                Code::Overlay,
                overlay_file,
                format!("{at}/target"),
                format!("invalid JSONPath `{}`: {message}", action.target),
            ));
            None
        }
    };
    if let Some(problem) = problem {
        sink.push(Diagnostic::error(Code::Overlay, overlay_file, at, problem));
        return None;
    }
    segments
}

/// Merges `update` into every match, recording where content was injected.
fn update_all(
    doc: &mut Value,
    matches: &[Vec<Step>],
    update: &Value,
    place: Place<'_>,
    sink: &mut Sink,
) -> Vec<Injection> {
    let at = place.at;
    let mut injections = Vec::new();
    let shared = std::sync::Arc::new(update.clone());
    for path in matches {
        injections.push(Injection {
            target: steps_to_pointer(path),
            action: format!("{at}/update"),
            update: shared.clone(),
        });
        // An earlier match of the same action may have replaced this one (`$..k` matching
        // nested `k`s): that is the overlay's conflict, not a crash.
        let Some(node) = node_mut(doc, path) else {
            sink.push(Diagnostic::error(
                Code::Overlay,
                place.file,
                format!("{at}/target"),
                format!(
                    "`{}` was replaced by this action's update of an enclosing match before it could be updated; narrow the target",
                    steps_to_pointer(path)
                ),
            ));
            continue;
        };
        if let Err(message) = merge(node, update) {
            sink.push(Diagnostic::error(
                Code::Overlay,
                place.file,
                format!("{at}/update"),
                format!("cannot update `{}`: {message}", steps_to_pointer(path)),
            ));
        }
    }
    injections
}

fn compare_steps(a: &[Step], b: &[Step]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (x, y) {
            (Step::Index(x), Step::Index(y)) => x.cmp(y),
            (Step::Key(x), Step::Key(y)) => x.cmp(y),
            (Step::Key(_), Step::Index(_)) => std::cmp::Ordering::Less,
            (Step::Index(_), Step::Key(_)) => std::cmp::Ordering::Greater,
        };
        if ord.is_ne() {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

/// The JSON pointer of a location.
pub fn steps_to_pointer(steps: &[Step]) -> String {
    steps.iter().fold(String::new(), |p, s| match s {
        Step::Key(k) => child(&p, k),
        Step::Index(i) => child(&p, &i.to_string()),
    })
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let mut rest = path
        .strip_prefix('$')
        .ok_or_else(|| "a path starts with `$`".to_owned())?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        let descendants = rest.starts_with("..");
        if descendants {
            rest = &rest[2..];
            if rest.starts_with('[') {
                let (selector, after) = parse_bracket(rest)?;
                segments.push(Segment {
                    descendants,
                    selector,
                });
                rest = after;
                continue;
            }
            let (selector, after) = parse_dot_name(rest)?;
            segments.push(Segment {
                descendants,
                selector,
            });
            rest = after;
        } else if let Some(after_dot) = rest.strip_prefix('.') {
            let (selector, after) = parse_dot_name(after_dot)?;
            segments.push(Segment {
                descendants,
                selector,
            });
            rest = after;
        } else if rest.starts_with('[') {
            let (selector, after) = parse_bracket(rest)?;
            segments.push(Segment {
                descendants,
                selector,
            });
            rest = after;
        } else {
            return Err(format!("unexpected `{rest}`"));
        }
    }
    Ok(segments)
}

fn parse_dot_name(rest: &str) -> Result<(Selector, &str), String> {
    if let Some(after) = rest.strip_prefix('*') {
        return Ok((Selector::Wildcard, after));
    }
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..end];
    if name.is_empty() {
        return Err("empty name after `.`".to_owned());
    }
    Ok((Selector::Names(vec![name.to_owned()]), &rest[end..]))
}

fn parse_bracket(rest: &str) -> Result<(Selector, &str), String> {
    let inner = &rest[1..];
    if let Some(after) = inner.strip_prefix("*]") {
        return Ok((Selector::Wildcard, after));
    }
    if inner.starts_with('?') {
        return Err("filter expressions are not supported".to_owned());
    }
    let mut names = Vec::new();
    let mut indices = Vec::new();
    let mut cursor = inner.trim_start();
    loop {
        if let Some(quote) = cursor.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let body = &cursor[1..];
            let close = body
                .find(quote)
                .ok_or_else(|| "unterminated quoted name".to_owned())?;
            names.push(body[..close].to_owned());
            cursor = body[close + 1..].trim_start();
        } else {
            let end = cursor
                .find([',', ']'])
                .ok_or_else(|| "unterminated `[`".to_owned())?;
            let text = cursor[..end].trim();
            if text.contains(':') {
                return Err("slices are not supported".to_owned());
            }
            let n: i64 = text
                .parse()
                .map_err(|_| format!("`{text}` is neither a quoted name nor an index"))?;
            indices.push(n);
            cursor = cursor[end..].trim_start();
        }
        if let Some(after) = cursor.strip_prefix(',') {
            cursor = after.trim_start();
            continue;
        }
        if let Some(after) = cursor.strip_prefix(']') {
            return match (names.is_empty(), indices.is_empty()) {
                (false, true) => Ok((Selector::Names(names), after)),
                (true, false) => Ok((Selector::Indices(indices), after)),
                _ => Err("a union mixes names and indices".to_owned()),
            };
        }
        return Err("expected `,` or `]`".to_owned());
    }
}

/// All locations that the path selects, in document order, without duplicates.
/// The locations a target selects, and the members of its unions (`['a','b']`, `[0,2]`) that
/// selected nothing anywhere: a target that matches through one member while another names
/// something the spec no longer has is as stale as one that matches nothing.
fn select(doc: &Value, segments: &[Segment]) -> (Vec<Vec<Step>>, Vec<String>) {
    let mut current: Vec<Vec<Step>> = vec![Vec::new()];
    let mut unmatched = Vec::new();
    for segment in segments {
        let members = match &segment.selector {
            Selector::Names(names) if names.len() > 1 => names.len(),
            Selector::Indices(indices) if indices.len() > 1 => indices.len(),
            _ => 0,
        };
        let mut hit = vec![false; members];
        let mut next = Vec::new();
        for path in &current {
            // Selection reads a document nothing changes meanwhile: every path exists.
            let Some(node) = node(doc, path) else {
                continue;
            };
            if segment.descendants {
                let mut stack = vec![(path.clone(), node)];
                let mut visited = Vec::new();
                while let Some((p, n)) = stack.pop() {
                    visited.push((p.clone(), n));
                    let mut kids = children(n, &p);
                    kids.reverse();
                    stack.extend(kids);
                }
                for (p, n) in visited {
                    next.extend(apply_selector(&segment.selector, n, &p, &mut hit));
                }
            } else {
                next.extend(apply_selector(&segment.selector, node, path, &mut hit));
            }
        }
        // In order, without repeats: a hash set keeps this linear in the matches.
        let mut seen = std::collections::HashSet::new();
        next.retain(|p| seen.insert(p.clone()));
        current = next;
        // Reported only while the target still reaches this far.
        if !current.is_empty() {
            unmatched.extend(hit.iter().enumerate().filter(|(_, h)| !**h).map(|(i, _)| {
                match &segment.selector {
                    Selector::Names(names) => format!("'{}'", names[i]),
                    Selector::Indices(indices) => format!("{}", indices[i]),
                    Selector::Wildcard => String::new(),
                }
            }));
        }
    }
    (current, unmatched)
}

fn children<'a>(node: &'a Value, path: &[Step]) -> Vec<(Vec<Step>, &'a Value)> {
    let mut out = Vec::new();
    match node {
        Value::Mapping(map) => {
            for (k, v) in map {
                if let Some(k) = k.as_str() {
                    let mut p = path.to_vec();
                    p.push(Step::Key(k.to_owned()));
                    out.push((p, v));
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = path.to_vec();
                p.push(Step::Index(i));
                out.push((p, v));
            }
        }
        _ => {}
    }
    out
}

/// The children of `node` a selector picks. `hit[i]` is set when member `i` of a union
/// picks something (`hit` is empty for other selectors).
fn apply_selector(
    selector: &Selector,
    node: &Value,
    path: &[Step],
    hit: &mut [bool],
) -> Vec<Vec<Step>> {
    let extend = |step: Step| {
        let mut p = path.to_vec();
        p.push(step);
        p
    };
    let mut mark = |i: usize| {
        if let Some(h) = hit.get_mut(i) {
            *h = true;
        }
    };
    match (selector, node) {
        (Selector::Wildcard, _) => children(node, path).into_iter().map(|(p, _)| p).collect(),
        (Selector::Names(names), Value::Mapping(map)) => names
            .iter()
            .enumerate()
            .filter(|(_, n)| map.contains_key(n.as_str()))
            .map(|(i, n)| {
                mark(i);
                extend(Step::Key(n.clone()))
            })
            .collect(),
        (Selector::Indices(indices), Value::Sequence(items)) => indices
            .iter()
            .enumerate()
            .filter_map(|(member, &i)| {
                let len = items.len() as i64;
                let i = if i < 0 { len + i } else { i };
                (0..len).contains(&i).then(|| {
                    mark(member);
                    extend(Step::Index(i as usize))
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The node at a location.
pub fn node<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |n, step| match step {
        Step::Key(k) => n.as_mapping()?.get(k.as_str()),
        Step::Index(i) => n.as_sequence()?.get(*i),
    })
}

fn node_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |n, step| match step {
        Step::Key(k) => n.as_mapping_mut()?.get_mut(k.as_str()),
        Step::Index(i) => n.as_sequence_mut()?.get_mut(*i),
    })
}

/// Overlay 1.0 update semantics: objects merge recursively (update wins), arrays get the
/// update appended, scalars cannot be updated in place.
fn merge(target: &mut Value, update: &Value) -> Result<(), String> {
    match (target, update) {
        (Value::Mapping(target), Value::Mapping(update)) => {
            merge_mappings(target, update);
            Ok(())
        }
        (Value::Mapping(_), _) => Err("an object can only be updated with an object".to_owned()),
        (Value::Sequence(items), value) => {
            items.push(value.clone());
            Ok(())
        }
        _ => Err("a scalar cannot be updated; target its parent object instead".to_owned()),
    }
}

fn merge_mappings(target: &mut Mapping, update: &Mapping) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Mapping(t)), Value::Mapping(u)) => merge_mappings(t, u),
            (Some(existing), _) => *existing = value.clone(),
            (None, _) => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn remove(doc: &mut Value, path: &[Step]) {
    let Some((last, parent_path)) = path.split_last() else {
        *doc = Value::Null;
        return;
    };
    let Some(parent) = node_mut(doc, parent_path) else {
        return;
    };
    match (parent, last) {
        (Value::Mapping(map), Step::Key(k)) => {
            map.shift_remove(k.as_str());
        }
        (Value::Sequence(items), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        serde_yaml::from_str(
            "a:\n  b: {x: 1, y: 2}\n  list: [1, 2, 3]\n  'x-k': {x: 3}\nc: {x: 4}\n",
        )
        .unwrap()
    }

    fn pointers(path: &str) -> Vec<String> {
        let d = doc();
        select(&d, &parse_path(path).unwrap())
            .0
            .iter()
            .map(|p| steps_to_pointer(p))
            .collect()
    }

    #[test]
    fn selects_names_indices_wildcards_and_descendants() {
        assert_eq!(pointers("$.a.b"), ["/a/b"]);
        assert_eq!(pointers("$.a['x-k'].x"), ["/a/x-k/x"]);
        assert_eq!(pointers("$.a.x-k"), ["/a/x-k"]);
        assert_eq!(pointers("$.a.list[-1]"), ["/a/list/2"]);
        assert_eq!(pointers("$.a.list[0,2]"), ["/a/list/0", "/a/list/2"]);
        assert_eq!(pointers("$.a.*"), ["/a/b", "/a/list", "/a/x-k"]);
        assert_eq!(pointers("$..x"), ["/a/b/x", "/a/x-k/x", "/c/x"]);
        assert!(pointers("$.nope").is_empty());
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        assert!(parse_path("a.b").is_err());
        assert!(parse_path("$.a[?(@.x)]").is_err());
        assert!(parse_path("$.a[0:2]").is_err());
        assert!(parse_path("$.a['b'").is_err());
    }

    #[test]
    fn merges_appends_and_removes() {
        let mut d = doc();
        merge(
            node_mut(&mut d, &[Step::Key("a".into()), Step::Key("b".into())]).unwrap(),
            &serde_yaml::from_str("{y: 5, z: {k: v}}").unwrap(),
        )
        .unwrap();
        merge(
            node_mut(&mut d, &[Step::Key("a".into()), Step::Key("list".into())]).unwrap(),
            &Value::from(4),
        )
        .unwrap();
        remove(&mut d, &[Step::Key("c".into())]);
        let expected: Value = serde_yaml::from_str(
            "a:\n  b: {x: 1, y: 5, z: {k: v}}\n  list: [1, 2, 3, 4]\n  'x-k': {x: 3}\n",
        )
        .unwrap();
        assert_eq!(d, expected);
        assert!(merge(&mut Value::from(1), &Value::from(2)).is_err());
    }

    #[test]
    fn serde_paths_become_pointers() {
        assert_eq!(path_to_pointer("actions[2].target"), "/actions/2/target");
        assert_eq!(path_to_pointer("."), "");
    }
}

//! Check: problems that only show once the whole IR exists (names that collide after case
//! conversion, recursion that needs a box or cannot be expressed). Marks recursive fields as
//! boxed so that emitters only ever see types Rust can represent.

use std::collections::{HashMap, HashSet};

use crate::diag::Sink;
use crate::ir::{Module, TypeExpr, TypeKind};
use crate::load::LoadedSpec;

pub fn check(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    check_type_names(module, spec, sink);
    for t in &module.types {
        match &t.kind {
            TypeKind::Struct(s) => {
                let mut names: Vec<(&str, &str, &str)> = s
                    .fields
                    .iter()
                    .map(|f| {
                        (
                            f.rust_name.as_str(),
                            f.wire_name.as_str(),
                            f.pointer.as_str(),
                        )
                    })
                    .collect();
                if s.additional.is_some() {
                    names.push((
                        "additional_properties",
                        "additionalProperties",
                        t.pointer.as_str(),
                    ));
                }
                report_collisions(&names, "properties", "field", spec, sink);
            }
            TypeKind::StringEnum(e) => {
                let names: Vec<(&str, &str, &str)> = e
                    .variants
                    .iter()
                    .map(|v| (v.rust_name.as_str(), v.wire.as_str(), t.pointer.as_str()))
                    .collect();
                report_collisions(&names, "enum values", "variant", spec, sink);
            }
            TypeKind::Union(_) | TypeKind::Alias(_) => {}
        }
    }
    check_alias_cycles(module, spec, sink);
    mark_boxes(module);
}

fn check_type_names(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for t in &module.types {
        if let Some(earlier) = first.get(t.name.as_str()) {
            sink.push(spec.error(
                &t.pointer,
                format!(
                    "schemas `#{earlier}` and `#{}` both become the Rust type `{}`",
                    t.pointer, t.name
                ),
            ));
        } else {
            first.insert(&t.name, &t.pointer);
        }
    }
}

/// `names` are (rust name, spec name, pointer) triples.
fn report_collisions(
    names: &[(&str, &str, &str)],
    what: &str,
    kind: &str,
    spec: &LoadedSpec,
    sink: &mut Sink,
) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (rust, wire, pointer) in names {
        match first.get(rust) {
            Some(earlier) => sink.push(spec.error(
                pointer,
                format!("{what} `{earlier}` and `{wire}` both become the {kind} `{rust}`"),
            )),
            None => {
                first.insert(rust, wire);
            }
        }
    }
}

/// Named types a type refers to, anywhere inside it.
fn all_named(ty: &TypeExpr, out: &mut Vec<String>) {
    match ty {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::Vec(inner) | TypeExpr::Map(inner) | TypeExpr::Nullable(inner) => {
            all_named(inner, out)
        }
        _ => {}
    }
}

/// A type alias cannot refer to itself, even through a `Vec`: Rust has no recursive aliases.
fn check_alias_cycles(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    let aliases: HashMap<&str, &TypeExpr> = module
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) => Some((t.name.as_str(), ty)),
            _ => None,
        })
        .collect();
    for t in &module.types {
        let TypeKind::Alias(ty) = &t.kind else {
            continue;
        };
        let mut stack = Vec::new();
        all_named(ty, &mut stack);
        let mut seen = HashSet::new();
        while let Some(name) = stack.pop() {
            if name == t.name {
                sink.push(spec.error(
                    &t.pointer,
                    format!("schema `{}` refers to itself without an object in between, which no Rust type can express", t.name),
                ));
                break;
            }
            if seen.insert(name.clone()) {
                if let Some(next) = aliases.get(name.as_str()) {
                    all_named(next, &mut stack);
                }
            }
        }
    }
}

/// Boxes every field and variant whose type leads back to its owner without passing through
/// a `Vec` or a map (which already allocate).
fn mark_boxes(module: &mut Module) {
    let mut direct: HashMap<String, Vec<String>> = HashMap::new();
    for t in &module.types {
        let targets = match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| f.ty.direct_named())
                .map(str::to_owned)
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| v.ty.direct_named())
                .map(str::to_owned)
                .collect(),
            TypeKind::Alias(ty) => ty.direct_named().map(str::to_owned).into_iter().collect(),
            TypeKind::StringEnum(_) => Vec::new(),
        };
        direct.insert(t.name.clone(), targets);
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(direct.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in module.types.iter().enumerate() {
        match &t.kind {
            TypeKind::Struct(s) => {
                for (fi, f) in s.fields.iter().enumerate() {
                    if f.ty
                        .direct_named()
                        .is_some_and(|target| reaches(target, &t.name))
                    {
                        boxes.push((ti, fi));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (vi, v) in u.variants.iter().enumerate() {
                    if v.ty
                        .direct_named()
                        .is_some_and(|target| reaches(target, &t.name))
                    {
                        boxes.push((ti, vi));
                    }
                }
            }
            _ => {}
        }
    }
    for (ti, i) in boxes {
        match &mut module.types[ti].kind {
            TypeKind::Struct(s) => s.fields[i].boxed = true,
            TypeKind::Union(u) => u.variants[i].boxed = true,
            _ => {}
        }
    }
}

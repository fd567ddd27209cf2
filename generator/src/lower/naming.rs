//! The last step of lower: names made unique in every scope the generated code has (types of
//! the module, fields of a struct, variants of an enum). The first holder of a name keeps it;
//! each later one gets the next free number (`LinkEntity2`, `type_2`) and a warning naming
//! both sources. Numbering depends only on the holders of that one name, so it does not move
//! when unrelated parts of the spec change.

use super::*;

pub(super) fn settle_names(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    settle_type_names(module, spec, sink);
    for t in &mut module.types {
        match &mut t.kind {
            TypeKind::Struct(s) => settle_fields(s, spec, sink),
            TypeKind::StringEnum(e) => settle_variants(e, &t.pointer, spec, sink),
            TypeKind::Union(_) | TypeKind::Alias(_) => {}
        }
    }
}

fn settle_type_names(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    let mut first: HashMap<String, String> = HashMap::new();
    for t in &module.types {
        first
            .entry(t.name.clone())
            .or_insert_with(|| t.pointer.clone());
    }
    let mut taken: HashSet<String> = HashSet::new();
    for t in &mut module.types {
        if taken.insert(t.name.clone()) {
            continue;
        }
        let renamed = unique(&t.name, "", |n| taken.contains(n) || first.contains_key(n));
        sink.push(spec.warning(
            Code::Renamed,
            &t.pointer,
            format!(
                "schemas `#{}` and `#{}` both become the Rust type `{}`; this one is `{renamed}`",
                first[&t.name], t.pointer, t.name
            ),
        ));
        taken.insert(renamed.clone());
        t.name = renamed;
    }
}

fn settle_fields(s: &mut StructDef, spec: &LoadedSpec, sink: &mut Sink) {
    // The flattened map of other properties is a field too.
    let mut taken: HashMap<String, String> = HashMap::new();
    if s.additional.is_some() {
        taken.insert(
            "additional_properties".into(),
            "additionalProperties".into(),
        );
    }
    let wanted: HashSet<String> = s.fields.iter().map(|f| f.rust_name.clone()).collect();
    for f in &mut s.fields {
        let Some(earlier) = taken.get(&f.rust_name).cloned() else {
            taken.insert(f.rust_name.clone(), f.wire_name.clone());
            continue;
        };
        let renamed = unique(&f.rust_name, "_", |n| {
            taken.contains_key(n) || wanted.contains(n)
        });
        sink.push(spec.warning(
            Code::Renamed,
            &f.pointer,
            format!(
                "properties `{earlier}` and `{}` both become the field `{}`; this one is `{renamed}`",
                f.wire_name, f.rust_name
            ),
        ));
        taken.insert(renamed.clone(), f.wire_name.clone());
        f.rust_name = renamed;
    }
}

fn settle_variants(e: &mut StringEnumDef, pointer: &str, spec: &LoadedSpec, sink: &mut Sink) {
    let mut taken: HashMap<String, String> = HashMap::new();
    let wanted: HashSet<String> = e.variants.iter().map(|v| v.rust_name.clone()).collect();
    for v in &mut e.variants {
        let Some(earlier) = taken.get(&v.rust_name).cloned() else {
            taken.insert(v.rust_name.clone(), v.wire.clone());
            continue;
        };
        let renamed = unique(&v.rust_name, "", |n| {
            taken.contains_key(n) || wanted.contains(n) || n == e.fallback
        });
        sink.push(spec.warning(
            Code::Renamed,
            &child(pointer, "enum"),
            format!(
                "enum values `{earlier}` and `{}` both become the variant `{}`; this one is `{renamed}`",
                v.wire, v.rust_name
            ),
        ));
        taken.insert(renamed.clone(), v.wire.clone());
        v.rust_name = renamed;
    }
}

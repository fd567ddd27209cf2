//! The last step of lower: names made unique in every scope the generated code has (types of
//! the module, fields of a struct, variants of an enum). The first holder of a name keeps it;
//! each later one gets the next free number (`LinkEntity2`, `type_2`) and a warning naming
//! both sources. Numbering depends only on the holders of that one name, so it does not move
//! when unrelated parts of the spec change.

use super::*;

pub(super) fn settle_names(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    settle_type_names(module, spec, sink);
    settle_credentials(module, spec, sink);
    settle_features(module, spec, sink);
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

/// One name of a scope: the Rust name to settle, the spec's name and where it is.
struct Holder<'n> {
    rust: &'n mut String,
    wire: &'n str,
    pointer: &'n str,
}

/// How a scope's names are worded and numbered.
struct Scope<'n> {
    /// What the spec names are called (`properties`), and what they become (`field`).
    what: &'static str,
    kind: &'static str,
    /// Joins a taken name and its number (`type_2`, `InApp2`).
    sep: &'static str,
    /// Names the generated code already uses in this scope, with what uses them.
    reserved: &'n [(&'n str, &'n str)],
}

/// Settles the names of one scope: the first holder keeps a name, later ones are numbered
/// past every name the scope wants or has taken.
fn settle_scope(
    mut holders: Vec<Holder<'_>>,
    scope: &Scope<'_>,
    spec: &LoadedSpec,
    sink: &mut Sink,
) {
    let mut taken: HashMap<String, String> = scope
        .reserved
        .iter()
        .map(|(rust, wire)| ((*rust).to_owned(), (*wire).to_owned()))
        .collect();
    let wanted: HashSet<String> = holders.iter().map(|h| h.rust.clone()).collect();
    for h in &mut holders {
        let Some(earlier) = taken.get(h.rust.as_str()).cloned() else {
            taken.insert(h.rust.clone(), h.wire.to_owned());
            continue;
        };
        let renamed = unique(h.rust, scope.sep, |n| {
            taken.contains_key(n) || wanted.contains(n)
        });
        sink.push(spec.warning(
            Code::Renamed,
            h.pointer,
            format!(
                "{} `{earlier}` and `{}` both become the {} `{}`; this one is `{renamed}`",
                scope.what, h.wire, scope.kind, h.rust
            ),
        ));
        taken.insert(renamed.clone(), h.wire.to_owned());
        *h.rust = renamed;
    }
}

fn settle_fields(s: &mut StructDef, spec: &LoadedSpec, sink: &mut Sink) {
    // The flattened map of other properties is a field too.
    let additional = [("additional_properties", "additionalProperties")];
    let reserved: &[(&str, &str)] = if s.additional.is_some() {
        &additional
    } else {
        &[]
    };
    let holders = s
        .fields
        .iter_mut()
        .map(|f| Holder {
            rust: &mut f.rust_name,
            wire: &f.wire_name,
            pointer: &f.pointer,
        })
        .collect();
    let scope = Scope {
        what: "properties",
        kind: "field",
        sep: "_",
        reserved,
    };
    settle_scope(holders, &scope, spec, sink);
}

fn settle_variants(e: &mut StringEnumDef, pointer: &str, spec: &LoadedSpec, sink: &mut Sink) {
    // The fallback variant keeps unknown values; no renamed variant may take its name.
    let fallback = [(e.fallback.as_str(), "")];
    let at = child(pointer, "enum");
    let holders = e
        .variants
        .iter_mut()
        .map(|v| Holder {
            rust: &mut v.rust_name,
            wire: &v.wire,
            pointer: &at,
        })
        .collect();
    let scope = Scope {
        what: "enum values",
        kind: "variant",
        sep: "",
        reserved: &fallback,
    };
    settle_scope(holders, &scope, spec, sink);
}

/// `Credentials` variants and their constructors are one scope: a variant is free only when
/// its constructor is too (`AB` and `Ab` both construct with `ab`). `Anonymous` and the
/// `auth` method are the generated code's own. Within a variant, fields are a scope of
/// their own, beside Basic's `username` and `password`.
fn settle_credentials(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    let describe = |m: &Module, c: &Credential| {
        let keys: Vec<&str> = c
            .schemes
            .iter()
            .map(|(id, _)| m.scheme(*id).key.as_str())
            .collect();
        format!("[{}]", keys.join(", "))
    };
    // Variant → what holds it; constructor → what holds it (for the warning).
    let mut taken: HashMap<String, String> = HashMap::from([(
        "Anonymous".to_owned(),
        "the generated `Anonymous` (no authentication)".to_owned(),
    )]);
    let mut constructors: HashMap<String, String> = HashMap::from([(
        "auth".to_owned(),
        "the generated `Credentials::auth` method".to_owned(),
    )]);
    constructors.insert("anonymous".to_owned(), taken["Anonymous"].clone());
    let wanted: HashSet<String> = module
        .credentials
        .iter()
        .map(|c| c.variant.clone())
        .collect();
    for i in 0..module.credentials.len() {
        let wire = describe(module, &module.credentials[i]);
        let c = &mut module.credentials[i];
        let holder = |name: &str| {
            taken
                .get(name)
                .or_else(|| constructors.get(&field_name(name)))
                .cloned()
        };
        if let Some(earlier) = holder(&c.variant) {
            let renamed = unique(&c.variant, "", |n| {
                holder(n).is_some() || wanted.contains(n)
            });
            sink.push(spec.warning(
                Code::Renamed,
                &c.pointer,
                format!(
                    "security alternative {wire} would become the `Credentials` variant `{}` (constructor `{}`), which collides with {earlier}; this one is `{renamed}`",
                    c.variant,
                    field_name(&c.variant)
                ),
            ));
            c.variant = renamed;
        }
        c.constructor = field_name(&c.variant);
        let holder = format!("security alternative {wire}");
        taken.insert(c.variant.clone(), holder.clone());
        constructors.insert(c.constructor.clone(), holder);
        settle_credential_fields(&module.security_schemes, c, spec, sink);
    }
}

fn settle_credential_fields(
    schemes: &[SecurityScheme],
    c: &mut Credential,
    spec: &LoadedSpec,
    sink: &mut Sink,
) {
    let basic = [("username", "HTTP Basic"), ("password", "HTTP Basic")];
    let has_basic = c
        .schemes
        .iter()
        .any(|(id, _)| schemes[id.0 as usize].kind == SchemeKind::Basic);
    let pointers: Vec<String> = c
        .schemes
        .iter()
        .map(|(id, _)| child("/components/securitySchemes", &schemes[id.0 as usize].key))
        .collect();
    let holders = c
        .schemes
        .iter_mut()
        .zip(&pointers)
        .filter(|((_, field), _)| !field.is_empty())
        .map(|((id, field), pointer)| Holder {
            rust: field,
            wire: &schemes[id.0 as usize].key,
            pointer,
        })
        .collect();
    let scope = Scope {
        what: "security schemes",
        kind: "credential field",
        sep: "_",
        reserved: if has_basic { &basic } else { &[] },
    };
    settle_scope(holders, &scope, spec, sink);
}

/// Cargo features, one per tag: tags that give one feature name (`a b`, `a_b`, `A-B`;
/// `default`, which is cargo's own and becomes `default_tag`, beside a tag `default_tag`)
/// are numbered like any other name. Operations without a tag are in `untagged`.
fn settle_features(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    // Each distinct tag (None: no tag), with the feature it wants and where it first is.
    let mut tags: IndexMap<Option<String>, (String, String)> = IndexMap::new();
    for op in &module.operations {
        tags.entry(op.tag.clone()).or_insert_with(|| {
            let pointer = match op.tag {
                Some(_) => format!("{}/tags/0", op.pointer),
                None => op.pointer.clone(),
            };
            (crate::names::feature_name(op.tag.as_deref()), pointer)
        });
    }
    let wires: Vec<String> = tags
        .keys()
        .map(|tag| match tag {
            Some(tag) => tag.clone(),
            None => "(no tag)".to_owned(),
        })
        .collect();
    let holders = tags
        .values_mut()
        .zip(&wires)
        .map(|((feature, pointer), wire)| Holder {
            rust: feature,
            wire,
            pointer,
        })
        .collect();
    let scope = Scope {
        what: "tags",
        kind: "cargo feature",
        sep: "_",
        reserved: &[],
    };
    settle_scope(holders, &scope, spec, sink);
    for op in &mut module.operations {
        if let Some((feature, _)) = tags.get(&op.tag) {
            op.feature = feature.clone();
        }
    }
}

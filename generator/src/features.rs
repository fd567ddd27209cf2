//! Cargo features per resource group: every operation belongs to the feature of its first
//! tag (named by the namer: `names::feature_name`, settled in lower), and every type to the
//! features of the operations that reach it. Types no operation
//! reaches belong to no feature (always compiled).

use std::collections::{BTreeSet, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Module, TypeExpr, TypeId};

/// Every feature of the module, sorted.
pub fn features(module: &Module) -> Vec<String> {
    let set: BTreeSet<String> = module
        .operations
        .iter()
        .map(|op| op.feature.clone())
        .collect();
    set.into_iter().collect()
}

/// Type → the features that need it (types every build needs are absent).
pub fn type_features(module: &Module) -> HashMap<TypeId, BTreeSet<String>> {
    let mut out: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
    for op in &module.operations {
        let feature = &op.feature;
        let mut stack: Vec<TypeId> = Vec::new();
        let mut roots: Vec<&TypeExpr> = op.params.iter().map(|p| &p.ty).collect();
        roots.extend(op.body.iter().map(|b| &b.ty));
        roots.extend(op.success.iter());
        roots.extend(op.errors.iter().filter_map(|e| e.ty.as_ref()));
        for root in roots {
            root.named_inside(&mut stack);
        }
        while let Some(id) = stack.pop() {
            if out.entry(id).or_default().insert(feature.clone()) {
                stack.extend(module.references(id));
            }
        }
    }
    // A type no operation reaches is always compiled, so everything it refers to must be too:
    // otherwise turning a feature off would leave it pointing at nothing.
    let mut stack: Vec<TypeId> = module
        .iter_types()
        .map(|(id, _)| id)
        .filter(|id| !out.contains_key(id))
        .collect();
    let mut always: HashSet<TypeId> = HashSet::new();
    while let Some(id) = stack.pop() {
        if always.insert(id) {
            out.remove(&id);
            stack.extend(module.references(id));
        }
    }
    out
}

/// `#[cfg(any(feature = "a", feature = "b"))]` for a set of features.
pub fn cfg_attr(features: &BTreeSet<String>) -> TokenStream {
    if let [only] = features.iter().collect::<Vec<_>>().as_slice() {
        return quote! { #[cfg(feature = #only)] };
    }
    let features = features.iter();
    quote! { #[cfg(any(#(feature = #features),*))] }
}

/// Adds `cfg` to every top-level item of a chunk (on the syntax tree, not the text).
pub fn gate_items(chunk: TokenStream, cfg: &TokenStream) -> TokenStream {
    let attribute: Vec<syn::Attribute> =
        match syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg.clone()) {
            Ok(a) => a,
            Err(e) => panic!("generator bug: cfg attribute does not parse ({e})"),
        };
    let mut file: syn::File = match syn::parse2(chunk.clone()) {
        Ok(file) => file,
        Err(e) => panic!("generator bug: emitted tokens do not parse ({e}):\n{chunk}"),
    };
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Const(i) => &mut i.attrs,
            _ => continue,
        };
        attrs.splice(0..0, attribute.iter().cloned());
    }
    quote::ToTokens::into_token_stream(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{build_module, Source};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /links:
    get:
      operationId: getLink
      tags: [Payment Links]
      responses: {'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Link'}}}}}
  /orders:
    get:
      operationId: getOrder
      tags: [Orders]
      responses: {'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}}
  /health:
    get:
      operationId: health
      responses: {'200': {description: OK}}
components:
  schemas:
    Link: {type: object, properties: {customer: {$ref: '#/components/schemas/Customer'}}}
    Order: {type: object, properties: {customer: {$ref: '#/components/schemas/Customer'}, items: {type: array, items: {$ref: '#/components/schemas/Item'}}}}
    Customer: {type: object, properties: {name: {type: string}}}
    Item: {type: object, properties: {sku: {type: string}}}
    Orphan: {type: object, properties: {item: {$ref: '#/components/schemas/Item'}}}
"#;

    #[test]
    fn types_follow_the_operations_that_reach_them() {
        let module = build_module(
            Source {
                file: "spec.yaml",
                text: SPEC,
            },
            &[],
        )
        .unwrap()
        .module;
        assert_eq!(features(&module), ["orders", "payment_links", "untagged"]);
        let gates = type_features(&module);
        let id = |name: &str| {
            module
                .iter_types()
                .find(|(_, t)| t.name == name)
                .map(|(id, _)| id)
                .unwrap()
        };
        let of = |name: &str| {
            gates
                .get(&id(name))
                .map(|f| f.iter().cloned().collect::<Vec<_>>())
        };
        assert_eq!(of("Link"), Some(vec!["payment_links".to_owned()]));
        assert_eq!(of("Order"), Some(vec!["orders".to_owned()]));
        // Shared by two groups: compiled when either is on.
        assert_eq!(
            of("Customer"),
            Some(vec!["orders".to_owned(), "payment_links".to_owned()])
        );
        // Reached by no operation: always compiled, and so is what it refers to.
        assert_eq!(of("Orphan"), None);
        assert_eq!(of("Item"), None);
        let cfg = cfg_attr(&gates[&id("Customer")]).to_string();
        assert!(
            cfg.contains("any") && cfg.contains("\"orders\"") && cfg.contains("\"payment_links\""),
            "{cfg}"
        );
        assert_eq!(
            cfg_attr(&gates[&id("Link")]).to_string(),
            quote! { #[cfg(feature = "payment_links")] }.to_string()
        );
    }

    #[test]
    fn every_tag_has_a_feature_of_its_own() {
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/feature_name_collisions/spec.yaml"
        ))
        .unwrap();
        let module = build_module(
            Source {
                file: "spec.yaml",
                text: &spec,
            },
            &[],
        )
        .unwrap()
        .module;
        let of = |op: &str| {
            module
                .operations
                .iter()
                .find(|o| o.name == op)
                .map(|o| o.feature.as_str())
                .unwrap()
        };
        // `a b` keeps the name; `A-B` and `a_b` are numbered; one tag, one feature.
        assert_eq!([of("a1"), of("a4")], ["a_b", "a_b"]);
        assert_eq!(of("a3"), "a_b_2");
        assert_eq!(of("a2"), "a_b_3");
        assert_eq!([of("d1"), of("d2")], ["default_tag", "default_tag_2"]);
        assert_eq!([of("u1"), of("u2")], ["untagged", "untagged_2"]);
        assert_eq!(features(&module).len(), 7);
    }
}

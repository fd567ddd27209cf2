//! Lower: `openapiv3` → IR. Resolves `$ref`s, names inline schemas from their position,
//! turns keywords into types and constraints, and collects the spec's examples.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};
use serde_json::Value;

use crate::diag::{child, unescape_token, Code, Sink};
use crate::ir::query::{follow_aliases, text_rule};
use crate::ir::{
    parse_path_template, parse_template, Body, BodyMedia, Bound, Constraints, Credential,
    CredentialId, CustomRule, Element, EnumVariant, ErrorStatus, Example, Field, FloatKind,
    FormStyle, HttpMethod, IdempotencyPolicy, IntKind, Module, Num, Operation, Param,
    ParamLocation, ParamRole, PathPart, PathSegment, Presence, SchemeId, SchemeKind,
    SecurityScheme, Server, StatusMatch, StringEnumDef, StructDef, TextRule, TokenSource, TypeDef,
    TypeExpr, TypeId, TypeKind, UnionDef, UnionVariant, WireForm,
};
use crate::load::LoadedSpec;
use crate::names::{field_name, type_name, unique, variant_name};
use crate::{idempotency, rules};
use heck::ToUpperCamelCase;

mod all_of;
mod body;
mod examples;
mod naming;
mod operation;
mod overrides;
mod params;
mod refs;
mod responses;
mod schema;
mod servers;
mod view;

use overrides::{Position, SchemaNames};
use params::is_header_name;
pub(crate) use refs::ref_token;
use refs::{RefProblem, Section};
use view::{Additional, Kind, View};

/// Lowers a loaded spec. Problems go to `sink`; the module is complete enough to check even
/// when errors were found, so that one run reports as much as it can.
pub fn lower(spec: &LoadedSpec, sink: &mut Sink) -> Module {
    let mut lowerer = Lowerer {
        spec,
        api: &spec.api,
        types: Vec::new(),
        component_ids: HashMap::new(),
        order: Vec::new(),
        operation_names: HashSet::new(),
        operation_types: HashSet::new(),
        credentials: Vec::new(),
        sink,
    };
    lowerer.lower_components();
    let servers = lowerer.lower_servers();
    let security_schemes = lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations(&security_schemes);
    let examples = lowerer.collect_examples();
    let mut module = Module {
        title: spec.api.info.title.clone(),
        version: spec.api.info.version.clone(),
        description: spec.api.info.description.clone(),
        types: lowerer.types,
        examples,
        servers,
        security_schemes,
        credentials: lowerer.credentials,
        operations,
    };
    in_emission_order(&mut module, &lowerer.order);
    naming::settle_names(&mut module, spec, sink);
    module
}

/// Renumbers the types so that ids follow `order` (every type appears in it once): from
/// here on, the position of a type in `Module::types` is its id and its place in the output.
fn in_emission_order(module: &mut Module, order: &[TypeId]) {
    let mut new_id = vec![TypeId(0); module.types.len()];
    for (position, old) in order.iter().enumerate() {
        new_id[old.index()] = TypeId(position as u32);
    }
    let mut slots: Vec<Option<TypeDef>> = std::mem::take(&mut module.types)
        .into_iter()
        .map(Some)
        .collect();
    module.types = order
        .iter()
        .filter_map(|old| slots[old.index()].take())
        .collect();
    module.remap_types(&|old| new_id[old.index()]);
}

impl Lowerer<'_, '_> {
    /// A new type named `name` at `pointer`, to be filled in by whoever reserved it.
    fn reserve(&mut self, name: String, pointer: String) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(TypeDef {
            name,
            pointer,
            docs: None,
            kind: TypeKind::Alias(TypeExpr::Any),
            constraints: Constraints::default(),
        });
        id
    }
}

/// A schema position: a reference or an inline schema.
#[derive(Clone, Copy)]
enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

struct Lowerer<'a, 's> {
    spec: &'a LoadedSpec,
    api: &'a OpenAPI,
    types: Vec<TypeDef>,
    /// Component schema key → its type.
    component_ids: HashMap<String, TypeId>,
    /// Types in emission order: each named type as lowering starts it (its inline types
    /// follow it). Ids are renumbered by this order at the end.
    order: Vec<TypeId>,
    /// Method names taken by operations (`name` and `name_with`).
    operation_names: HashSet<String>,
    /// Type-name prefixes taken by operations (their error enums are `{prefix}Error`).
    operation_types: HashSet<String>,
    /// Security alternatives, registered as operations first use them.
    credentials: Vec<Credential>,
    sink: &'s mut Sink,
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

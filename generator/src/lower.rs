//! Lower: `openapiv3` → IR. Resolves `$ref`s, names inline schemas from their position,
//! turns keywords into types and constraints, and collects the spec's examples.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};
use serde_json::Value;

use crate::diag::{child, unescape_token, Sink};
use crate::ir::{
    parse_path_template, parse_template, same_alternative, Body, BodyMedia, Bound, Constraints,
    CustomRule, Element, EnumVariant, ErrorStatus, Example, Field, FloatKind, HttpMethod,
    IdempotencyPolicy, IntKind, Module, Num, Operation, Param, ParamLocation, ParamRole, PathPart,
    Presence, SchemeKind, SecurityScheme, Server, StatusMatch, StringEnumDef, StructDef, TypeDef,
    TypeExpr, TypeKind, UnionDef, UnionVariant,
};
use crate::load::LoadedSpec;
use crate::names::{field_name, type_name, unique, variant_name};
use crate::{idempotency, rules};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers a loaded spec. Problems go to `sink`; the module is complete enough to check even
/// when errors were found, so that one run reports as much as it can.
pub fn lower(spec: &LoadedSpec, sink: &mut Sink) -> Module {
    let mut lowerer = Lowerer {
        spec,
        api: &spec.api,
        types: Vec::new(),
        component_names: HashMap::new(),
        operation_names: HashSet::new(),
        operation_types: HashSet::new(),
        sink,
    };
    lowerer.lower_components();
    let servers = lowerer.lower_servers();
    let security_schemes = lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations(&security_schemes);
    let examples = lowerer.collect_examples();
    Module {
        title: spec.api.info.title.clone(),
        version: spec.api.info.version.clone(),
        description: spec.api.info.description.clone(),
        types: lowerer.types,
        examples,
        servers,
        security_schemes,
        operations,
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "string" => Kind::String,
            "number" => Kind::Number,
            "integer" => Kind::Integer,
            "boolean" => Kind::Boolean,
            "object" => Kind::Object,
            "array" => Kind::Array,
            _ => return None,
        })
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Integer => "an integer",
            Kind::Boolean => "a boolean",
            Kind::Object => "an object",
            Kind::Array => "an array",
        }
    }
}

#[derive(Clone, Copy)]
enum Additional<'a> {
    Any(bool),
    Schema(SchemaRef<'a>),
}

/// Every keyword of a schema in one shape, whichever `SchemaKind` openapiv3 chose.
struct View<'a> {
    kind: Option<Kind>,
    unknown_type: Option<&'a str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    constraints: Constraints,
    properties: Vec<(&'a str, SchemaRef<'a>)>,
    required: Vec<&'a str>,
    additional: Option<Additional<'a>>,
    items: Option<SchemaRef<'a>>,
    one_of: Vec<SchemaRef<'a>>,
    any_of: Vec<SchemaRef<'a>>,
    all_of: Vec<SchemaRef<'a>>,
    has_not: bool,
    /// Keywords present that do not apply to `kind` (for example `minimum` on a string).
    inapplicable: Vec<&'static str>,
}

impl<'a> View<'a> {
    fn empty() -> Self {
        View {
            kind: None,
            unknown_type: None,
            format: None,
            enumeration: Vec::new(),
            constraints: Constraints::default(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            has_not: false,
            inapplicable: Vec::new(),
        }
    }

    fn of(schema: &'a Schema) -> Self {
        let mut v = View::empty();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Some(Kind::String);
                v.format = format_name(&s.format);
                v.constraints.pattern = s.pattern.clone();
                v.constraints.min_length = s.min_length;
                v.constraints.max_length = s.max_length;
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.kind = Some(Kind::Number);
                v.format = format_name(&n.format);
                v.constraints.minimum = n
                    .minimum
                    .map(|value| Bound::float(value, n.exclusive_minimum));
                v.constraints.maximum = n
                    .maximum
                    .map(|value| Bound::float(value, n.exclusive_maximum));
                v.constraints.multiple_of = n.multiple_of.map(Num::float);
                v.enumeration = n.enumeration.iter().map(json_of).collect();
            }
            SchemaKind::Type(Type::Integer(n)) => {
                v.kind = Some(Kind::Integer);
                v.format = format_name(&n.format);
                v.constraints.minimum = n
                    .minimum
                    .map(|value| Bound::int(value, n.exclusive_minimum));
                v.constraints.maximum = n
                    .maximum
                    .map(|value| Bound::int(value, n.exclusive_maximum));
                v.constraints.multiple_of = n.multiple_of.map(Num::int);
                v.enumeration = n.enumeration.iter().map(json_of).collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.kind = Some(Kind::Boolean);
                v.enumeration = b.enumeration.iter().map(json_of).collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.kind = Some(Kind::Object);
                v.properties = o
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), s.into()))
                    .collect();
                v.required = o.required.iter().map(String::as_str).collect();
                v.additional = o.additional_properties.as_ref().map(additional);
                v.constraints.min_properties = o.min_properties;
                v.constraints.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.kind = Some(Kind::Array);
                v.items = a.items.as_ref().map(SchemaRef::from);
                v.constraints.min_items = a.min_items;
                v.constraints.max_items = a.max_items;
                v.constraints.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(Into::into).collect(),
            SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(Into::into).collect(),
            SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(Into::into).collect(),
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => v.fill_from_any(a),
        }
        v
    }

    fn fill_from_any(&mut self, a: &'a openapiv3::AnySchema) {
        if let Some(t) = &a.typ {
            self.kind = Kind::parse(t);
            if self.kind.is_none() {
                self.unknown_type = Some(t);
            }
        }
        self.format = a.format.clone();
        self.enumeration = a.enumeration.clone();
        let c = &mut self.constraints;
        c.pattern = a.pattern.clone();
        c.min_length = a.min_length;
        c.max_length = a.max_length;
        c.minimum = a
            .minimum
            .map(|value| Bound::float(value, a.exclusive_minimum.unwrap_or(false)));
        c.maximum = a
            .maximum
            .map(|value| Bound::float(value, a.exclusive_maximum.unwrap_or(false)));
        c.multiple_of = a.multiple_of.map(Num::float);
        c.min_items = a.min_items;
        c.max_items = a.max_items;
        c.unique_items = a.unique_items.unwrap_or(false);
        c.min_properties = a.min_properties;
        c.max_properties = a.max_properties;
        self.properties = a
            .properties
            .iter()
            .map(|(k, s)| (k.as_str(), s.into()))
            .collect();
        self.required = a.required.iter().map(String::as_str).collect();
        self.additional = a.additional_properties.as_ref().map(additional);
        self.items = a.items.as_ref().map(SchemaRef::from);
        self.one_of = a.one_of.iter().map(Into::into).collect();
        self.all_of = a.all_of.iter().map(Into::into).collect();
        self.any_of = a.any_of.iter().map(Into::into).collect();
        self.has_not = a.not.is_some();

        let Some(kind) = self.kind else { return };
        let numeric = [
            ("minimum", a.minimum.is_some()),
            ("maximum", a.maximum.is_some()),
            ("exclusiveMinimum", a.exclusive_minimum.is_some()),
            ("exclusiveMaximum", a.exclusive_maximum.is_some()),
            ("multipleOf", a.multiple_of.is_some()),
        ];
        let string = [
            ("minLength", a.min_length.is_some()),
            ("maxLength", a.max_length.is_some()),
            ("pattern", a.pattern.is_some()),
        ];
        let array = [
            ("items", a.items.is_some()),
            ("minItems", a.min_items.is_some()),
            ("maxItems", a.max_items.is_some()),
            ("uniqueItems", a.unique_items.is_some()),
        ];
        let object = [
            ("properties", !a.properties.is_empty()),
            ("required", !a.required.is_empty()),
            ("additionalProperties", a.additional_properties.is_some()),
            ("minProperties", a.min_properties.is_some()),
            ("maxProperties", a.max_properties.is_some()),
        ];
        let groups: [(&[(&'static str, bool)], bool); 4] = [
            (&numeric, matches!(kind, Kind::Number | Kind::Integer)),
            (&string, kind == Kind::String),
            (&array, kind == Kind::Array),
            (&object, kind == Kind::Object),
        ];
        for (keywords, applies) in groups {
            if !applies {
                self.inapplicable.extend(
                    keywords
                        .iter()
                        .filter(|(_, present)| *present)
                        .map(|(k, _)| *k),
                );
            }
        }
        // Drop what does not apply, so that no later stage acts on it.
        let c = &mut self.constraints;
        if !matches!(kind, Kind::Number | Kind::Integer) {
            c.minimum = None;
            c.maximum = None;
            c.multiple_of = None;
        }
        if kind != Kind::String {
            c.min_length = None;
            c.max_length = None;
            c.pattern = None;
        }
        if kind != Kind::Array {
            self.items = None;
            c.min_items = None;
            c.max_items = None;
            c.unique_items = false;
        }
        if kind != Kind::Object {
            self.properties.clear();
            self.required.clear();
            self.additional = None;
            c.min_properties = None;
            c.max_properties = None;
        }
    }

    fn is_string_enum(&self) -> bool {
        matches!(self.kind, Some(Kind::String) | None)
            && !self.enumeration.is_empty()
            && self
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null())
    }

    fn is_struct(&self) -> bool {
        matches!(self.kind, Some(Kind::Object) | None) && !self.properties.is_empty()
    }
}

fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn format_name<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match json_of(format) {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn additional(a: &AdditionalProperties) -> Additional<'_> {
    match a {
        AdditionalProperties::Any(b) => Additional::Any(*b),
        AdditionalProperties::Schema(s) => Additional::Schema(s.as_ref().into()),
    }
}

struct Lowerer<'a, 's> {
    spec: &'a LoadedSpec,
    api: &'a OpenAPI,
    types: Vec<TypeDef>,
    /// Component schema key → Rust type name.
    component_names: HashMap<String, String>,
    /// Method names given to operations so far.
    /// Method names taken by operations (`name` and `name_with`).
    operation_names: HashSet<String>,
    /// Type-name prefixes taken by operations (their error enums are `{prefix}Error`).
    operation_types: HashSet<String>,
    sink: &'s mut Sink,
}

impl<'a> Lowerer<'a, '_> {
    fn component_schemas(&self) -> Option<&'a IndexMap<String, ReferenceOr<Schema>>> {
        self.api.components.as_ref().map(|c| &c.schemas)
    }

    fn lower_components(&mut self) {
        let Some(schemas) = self.component_schemas() else {
            return;
        };
        for key in schemas.keys() {
            self.component_names.insert(key.clone(), type_name(key));
        }
        for (key, schema) in schemas {
            let pointer = child("/components/schemas", key);
            let name = self.component_names[key].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_named(reference, &pointer);
                    self.types.push(TypeDef {
                        name,
                        pointer,
                        docs: None,
                        kind: TypeKind::Alias(target.map_or(TypeExpr::Any, TypeExpr::Named)),
                        constraints: Constraints::default(),
                    });
                }
                ReferenceOr::Item(schema) => self.lower_named(&name, &pointer, schema),
            }
        }
    }

    /// The Rust name of the component a `$ref` points at; reports dangling and unsupported
    /// references at `pointer`.
    fn resolve_named(&mut self, reference: &str, pointer: &str) -> Option<String> {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.sink.push(self.spec.error(
                pointer,
                format!("unsupported $ref `{reference}`: only `{SCHEMA_PREFIX}<name>` can name a schema"),
            ));
            return None;
        };
        let key = unescape_token(key);
        match self.component_names.get(&key) {
            Some(name) => Some(name.clone()),
            None => {
                self.sink.push(self.spec.error(
                    pointer,
                    format!(
                        "dangling $ref `{reference}`: there is no schema `{key}` in components"
                    ),
                ));
                None
            }
        }
    }

    /// The component schema a `$ref` points at, following `$ref`-only components.
    fn resolve_schema(&self, reference: &str) -> Option<(&'a Schema, String)> {
        let mut seen = HashSet::new();
        let mut current = reference;
        loop {
            let key = unescape_token(current.strip_prefix(SCHEMA_PREFIX)?);
            if !seen.insert(key.clone()) {
                return None;
            }
            match self.component_schemas()?.get(&key)? {
                ReferenceOr::Item(schema) => {
                    return Some((schema, child("/components/schemas", &key)))
                }
                ReferenceOr::Reference { reference } => current = reference,
            }
        }
    }

    fn is_nullable(&self, r: SchemaRef<'a>) -> bool {
        match r {
            SchemaRef::Item(s) => s.schema_data.nullable,
            SchemaRef::Ref(reference) => self
                .resolve_schema(reference)
                .is_some_and(|(s, _)| s.schema_data.nullable),
        }
    }

    fn view(&mut self, schema: &'a Schema, pointer: &str) -> View<'a> {
        let v = View::of(schema);
        if let Some(kind) = v.kind {
            for keyword in &v.inapplicable {
                self.sink.push(self.spec.warning(
                    &child(pointer, keyword),
                    format!("`{keyword}` does not apply to {}; ignored", kind.noun()),
                ));
            }
        }
        if let Some(pattern) = &v.constraints.pattern {
            if let Err(e) = regex_lite::Regex::new(pattern) {
                self.sink.push(self.spec.error(
                    &child(pointer, "pattern"),
                    format!("pattern `{pattern}` does not compile: {e}"),
                ));
            }
        }
        if let Some(t) = v.unknown_type {
            self.sink.push(self.spec.error(
                &child(pointer, "type"),
                format!("unknown type `{t}` (OpenAPI 3.0 has string, number, integer, boolean, object, array)"),
            ));
        }
        if v.has_not {
            self.sink.push(self.spec.warning(
                &child(pointer, "not"),
                "`not` cannot be expressed as a Rust type; the schema is treated as any JSON value",
            ));
        }
        v
    }

    /// Lowers a schema that gets its own Rust type called `name`.
    fn lower_named(&mut self, name: &str, pointer: &str, schema: &'a Schema) {
        // Inline types met while lowering this one come after it in the output.
        // Reserve the slot now (children met while lowering come after it); filled below.
        // Pushing a placeholder keeps this linear, where inserting later would shift the
        // rest of the list every time.
        let position = self.types.len();
        self.types.push(TypeDef {
            name: String::new(),
            pointer: String::new(),
            docs: None,
            kind: TypeKind::Alias(TypeExpr::Any),
            constraints: Constraints::default(),
        });
        let v = self.view(schema, pointer);
        let docs = docs_of(schema);
        let constraints = constraints_of(&v);
        let kind = if !v.one_of.is_empty() || !v.any_of.is_empty() {
            let (keyword, alternatives) = if v.one_of.is_empty() {
                ("anyOf", &v.any_of)
            } else {
                ("oneOf", &v.one_of)
            };
            TypeKind::Union(self.lower_union(name, pointer, keyword, alternatives))
        } else if !v.all_of.is_empty() {
            match (&v.all_of[..], v.properties.is_empty()) {
                ([SchemaRef::Ref(reference)], true) => TypeKind::Alias(
                    self.resolve_named(reference, &child(&child(pointer, "allOf"), "0"))
                        .map_or(TypeExpr::Any, TypeExpr::Named),
                ),
                _ => {
                    let mut def = self.lower_all_of(name, pointer, &v);
                    def.rules = self.lower_rules(schema, pointer);
                    TypeKind::Struct(def)
                }
            }
        } else if v.is_string_enum() {
            TypeKind::StringEnum(lower_enum(&v))
        } else if v.is_struct() {
            let mut def = self.lower_struct(name, &[(pointer.to_owned(), v)]);
            def.rules = self.lower_rules(schema, pointer);
            TypeKind::Struct(def)
        } else {
            TypeKind::Alias(self.inline_expr(&v, pointer, name))
        };
        self.types[position] = TypeDef {
            name: name.to_owned(),
            pointer: pointer.to_owned(),
            docs,
            kind,
            constraints,
        };
    }

    /// The `x-paylinks-rules` of an object schema; syntax problems are errors here, field
    /// references are checked once every type exists.
    fn lower_rules(&mut self, schema: &'a Schema, pointer: &str) -> Vec<CustomRule> {
        let Some(value) = schema.schema_data.extensions.get(rules::EXTENSION) else {
            return Vec::new();
        };
        let (rules, problems) = rules::parse_rules(value, &child(pointer, rules::EXTENSION));
        for (at, message) in problems {
            self.sink.push(self.spec.error(&at, message));
        }
        rules
    }

    /// The type of a schema position. Inline schemas that need a Rust type of their own are
    /// lowered under the name `context`.
    fn type_expr(&mut self, r: SchemaRef<'a>, pointer: &str, context: &str) -> TypeExpr {
        match r {
            SchemaRef::Ref(reference) => self
                .resolve_named(reference, pointer)
                .map_or(TypeExpr::Any, TypeExpr::Named),
            SchemaRef::Item(schema) => {
                let v = View::of(schema);
                let single_ref =
                    matches!(&v.all_of[..], [SchemaRef::Ref(_)]) && v.properties.is_empty();
                if v.is_struct()
                    || v.is_string_enum()
                    || !v.one_of.is_empty()
                    || !v.any_of.is_empty()
                    || (!v.all_of.is_empty() && !single_ref)
                {
                    self.lower_named(context, pointer, schema);
                    TypeExpr::Named(context.to_owned())
                } else if single_ref {
                    let SchemaRef::Ref(reference) = v.all_of[0] else {
                        unreachable!()
                    };
                    self.resolve_named(reference, &child(&child(pointer, "allOf"), "0"))
                        .map_or(TypeExpr::Any, TypeExpr::Named)
                } else {
                    let v = self.view(schema, pointer);
                    self.inline_expr(&v, pointer, context)
                }
            }
        }
    }

    fn nullable_expr(&mut self, r: SchemaRef<'a>, pointer: &str, context: &str) -> TypeExpr {
        let ty = self.type_expr(r, pointer, context);
        if self.is_nullable(r) {
            TypeExpr::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Types that need no declaration of their own: primitives, arrays and maps.
    fn inline_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
        let format = v.format.as_deref();
        match v.kind {
            Some(Kind::Boolean) => TypeExpr::Bool,
            Some(Kind::Integer) => match format {
                Some("int32") => TypeExpr::Int(IntKind::I32),
                Some("unix-time") => TypeExpr::UnixTime,
                _ => TypeExpr::Int(IntKind::I64),
            },
            Some(Kind::Number) => match format {
                Some("decimal") => TypeExpr::Decimal,
                Some("float") => TypeExpr::Float(FloatKind::F32),
                _ => TypeExpr::Float(FloatKind::F64),
            },
            Some(Kind::String) => match format {
                Some("date-time") => TypeExpr::DateTime,
                Some("date") => TypeExpr::Date,
                Some("binary") => TypeExpr::Binary,
                _ => TypeExpr::String,
            },
            Some(Kind::Array) => self.array_expr(v, pointer, context),
            Some(Kind::Object) => self.map_expr(v, pointer, context),
            None if v.items.is_some() => self.array_expr(v, pointer, context),
            None if v.additional.is_some() => self.map_expr(v, pointer, context),
            None => TypeExpr::Any,
        }
    }

    fn array_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
        let item = match v.items {
            Some(items) => self.element(items, &child(pointer, "items"), &format!("{context}Item")),
            None => Element {
                ty: TypeExpr::Any,
                constraints: Constraints::default(),
            },
        };
        TypeExpr::Vec(Box::new(item))
    }

    /// An array item or map value: its type and, for an inline schema, its keywords.
    fn element(&mut self, r: SchemaRef<'a>, pointer: &str, context: &str) -> Element {
        let ty = self.nullable_expr(r, pointer, context);
        let constraints = match r {
            SchemaRef::Item(schema) => constraints_of(&View::of(schema)),
            SchemaRef::Ref(_) => Constraints::default(),
        };
        Element { ty, constraints }
    }

    fn map_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
        let value = match v.additional {
            Some(Additional::Schema(s)) => self.element(
                s,
                &child(pointer, "additionalProperties"),
                &format!("{context}Value"),
            ),
            _ => Element {
                ty: TypeExpr::Any,
                constraints: Constraints::default(),
            },
        };
        TypeExpr::Map(Box::new(value))
    }

    fn lower_union(
        &mut self,
        name: &str,
        pointer: &str,
        keyword: &str,
        alternatives: &[SchemaRef<'a>],
    ) -> UnionDef {
        let mut variants = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            let alt_pointer = child(&child(pointer, keyword), &i.to_string());
            let title = match alt {
                SchemaRef::Item(s) => s.schema_data.title.as_deref().map(type_name),
                SchemaRef::Ref(_) => None,
            };
            let context = format!(
                "{name}{}",
                title.clone().unwrap_or_else(|| format!("Variant{}", i + 1))
            );
            let ty = self.nullable_expr(*alt, &alt_pointer, &context);
            let rust_name = match (&title, ty.direct_named(), alt) {
                (Some(t), _, _) => t.clone(),
                (None, Some(n), SchemaRef::Ref(_)) => n.to_owned(),
                _ => shape_name(&ty).to_owned(),
            };
            variants.push(UnionVariant {
                rust_name,
                pointer: alt_pointer,
                ty,
                boxed: false,
            });
        }
        let mut seen = HashSet::new();
        if !variants.iter().all(|v| seen.insert(v.rust_name.clone())) {
            for (i, v) in variants.iter_mut().enumerate() {
                v.rust_name = format!("Variant{}", i + 1);
            }
        }
        UnionDef { variants }
    }

    /// Merges the object parts of an `allOf` (following `$ref`s and nested `allOf`s) into one
    /// struct.
    fn lower_all_of(&mut self, name: &str, pointer: &str, v: &View<'a>) -> StructDef {
        let mut parts: Vec<(String, View<'a>)> = Vec::new();
        let mut visiting = HashSet::new();
        self.collect_all_of(v, pointer, &mut parts, &mut visiting);
        if !v.properties.is_empty() || v.additional.is_some() {
            let mut own = View::empty();
            own.properties = v.properties.clone();
            own.required = v.required.clone();
            own.additional = v.additional;
            parts.push((pointer.to_owned(), own));
        }
        self.lower_struct(name, &parts)
    }

    fn collect_all_of(
        &mut self,
        v: &View<'a>,
        pointer: &str,
        parts: &mut Vec<(String, View<'a>)>,
        visiting: &mut HashSet<String>,
    ) {
        for (i, part) in v.all_of.iter().enumerate() {
            let part_pointer = child(&child(pointer, "allOf"), &i.to_string());
            let (schema, schema_pointer) = match part {
                SchemaRef::Item(s) => (*s, part_pointer.clone()),
                SchemaRef::Ref(reference) => {
                    if self.resolve_named(reference, &part_pointer).is_none() {
                        continue;
                    }
                    match self.resolve_schema(reference) {
                        Some(found) => found,
                        None => {
                            self.sink.push(
                                self.spec
                                    .error(&part_pointer, format!("cyclic $ref `{reference}`")),
                            );
                            continue;
                        }
                    }
                }
            };
            if !visiting.insert(schema_pointer.clone()) {
                self.sink
                    .push(self.spec.error(&part_pointer, "allOf includes itself"));
                continue;
            }
            let part_view = self.view(schema, &schema_pointer);
            if !part_view.all_of.is_empty() {
                self.collect_all_of(&part_view, &schema_pointer, parts, visiting);
            }
            let object_like = matches!(part_view.kind, Some(Kind::Object) | None)
                && part_view.one_of.is_empty()
                && part_view.any_of.is_empty();
            if !object_like {
                self.sink.push(self.spec.error(
                    &part_pointer,
                    "allOf can only combine object schemas into a struct",
                ));
                continue;
            }
            parts.push((schema_pointer, part_view));
        }
    }

    fn lower_struct(&mut self, name: &str, parts: &[(String, View<'a>)]) -> StructDef {
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        let required: HashSet<&str> = parts
            .iter()
            .flat_map(|(_, v)| v.required.iter().copied())
            .collect();
        for (pointer, v) in parts {
            for (prop, r) in &v.properties {
                let prop_pointer = child(&child(pointer, "properties"), prop);
                if fields.iter().any(|f| f.wire_name == *prop) {
                    self.sink.push(self.spec.warning(
                        &prop_pointer,
                        format!("property `{prop}` is defined by more than one allOf part; the first definition is used"),
                    ));
                    continue;
                }
                fields.push(self.lower_field(
                    name,
                    prop,
                    *r,
                    &prop_pointer,
                    required.contains(prop),
                ));
            }
            for req in &v.required {
                let defined = parts
                    .iter()
                    .any(|(_, p)| p.properties.iter().any(|(k, _)| k == req));
                if !defined {
                    self.sink.push(self.spec.warning(
                        &child(pointer, "required"),
                        format!(
                            "required property `{req}` has no schema under `properties`; ignored"
                        ),
                    ));
                }
            }
            match v.additional {
                Some(Additional::Schema(s)) => {
                    let ptr = child(pointer, "additionalProperties");
                    additional = Some(self.nullable_expr(s, &ptr, &format!("{name}Value")));
                }
                Some(Additional::Any(true)) => additional = Some(TypeExpr::Any),
                _ => {}
            }
        }
        StructDef {
            fields,
            additional,
            rules: Vec::new(),
        }
    }

    fn lower_field(
        &mut self,
        owner: &str,
        prop: &str,
        r: SchemaRef<'a>,
        pointer: &str,
        required: bool,
    ) -> Field {
        let context = format!("{owner}{}", type_name(prop));
        let ty = self.type_expr(r, pointer, &context);
        let nullable = self.is_nullable(r);
        let presence = match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        };
        let (docs, default, constraints) = match r {
            SchemaRef::Item(schema) => (
                docs_of(schema),
                schema.schema_data.default.clone(),
                constraints_of(&View::of(schema)),
            ),
            SchemaRef::Ref(_) => (None, None, Constraints::default()),
        };
        Field {
            wire_name: prop.to_owned(),
            rust_name: field_name(prop),
            pointer: pointer.to_owned(),
            ty,
            presence,
            boxed: false,
            docs,
            default,
            constraints,
        }
    }

    /// Every example of the spec whose type we generate: schema examples, and request and
    /// response examples of JSON bodies.
    fn collect_examples(&mut self) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(schemas) = self.component_schemas() {
            for (key, schema) in schemas {
                if let ReferenceOr::Item(schema) = schema {
                    if let Some(example) = &schema.schema_data.example {
                        let name = &self.component_names[key];
                        out.push(Example {
                            test_name: format!(
                                "{}_schema_example",
                                field_name(name).trim_start_matches("r#")
                            ),
                            type_name: name.clone(),
                            pointer: child(&child("/components/schemas", key), "example"),
                            value: self.expand_example_refs(example, 0),
                        });
                    }
                }
            }
        }
        for (path, item) in &self.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                let op_pointer = child(&child("/paths", path), method);
                let op_name = op
                    .operation_id
                    .as_deref()
                    .map(|id| field_name(id).trim_start_matches("r#").to_owned())
                    .unwrap_or_else(|| field_name(&format!("{method} {path}")));
                if let Some(body) = &op.request_body {
                    if let Some((body, ptr)) =
                        self.request_body(body, &child(&op_pointer, "requestBody"))
                    {
                        let prefix = shared_prefix(&ptr, "/components/requestBodies/", "request")
                            .unwrap_or_else(|| format!("{op_name}_request"));
                        self.media_examples(&body.content, &ptr, &prefix, &mut out);
                    }
                }
                for (status, response) in &op.responses.responses {
                    let status = status.to_string();
                    let ptr = child(&child(&op_pointer, "responses"), &status);
                    if let Some((response, ptr)) = self.response(response, &ptr) {
                        let prefix = shared_prefix(&ptr, "/components/responses/", "response")
                            .unwrap_or_else(|| format!("{op_name}_{status}_response"));
                        self.media_examples(&response.content, &ptr, &prefix, &mut out);
                    }
                }
            }
        }
        // A shared component is used by many operations; its examples are tested once.
        let mut pointers = HashSet::new();
        out.retain(|e| pointers.insert(e.pointer.clone()));
        let mut seen = HashSet::new();
        for e in &mut out {
            e.test_name = unique(&e.test_name, "_", |name| seen.contains(name));
            seen.insert(e.test_name.clone());
        }
        out
    }

    /// Reports the problems of an operation's responses when the operation itself is dropped.
    fn lower_responses_for_errors(&mut self, op: &'a openapiv3::Operation, pointer: &str) {
        for (status, response) in &op.responses.responses {
            let response_pointer = child(&child(pointer, "responses"), &status.to_string());
            let _ = self.response_or_error(response, &response_pointer);
        }
    }

    fn request_body_or_error(
        &mut self,
        r: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<(&'a RequestBody, String)> {
        let found = self.request_body(r, pointer);
        if found.is_none() {
            if let ReferenceOr::Reference { reference } = r {
                self.sink.push(self.spec.error(pointer, format!("dangling or unsupported request body $ref `{reference}`: define it under components.requestBodies")));
            }
        }
        found
    }

    fn response_or_error(
        &mut self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        let found = self.response(r, pointer);
        if found.is_none() {
            if let ReferenceOr::Reference { reference } = r {
                self.sink.push(self.spec.error(pointer, format!("dangling or unsupported response $ref `{reference}`: define it under components.responses")));
            }
        }
        found
    }

    fn request_body(
        &self,
        r: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<(&'a RequestBody, String)> {
        match r {
            ReferenceOr::Item(b) => Some((b, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/requestBodies/")?;
                match self.api.components.as_ref()?.request_bodies.get(key)? {
                    ReferenceOr::Item(b) => Some((b, child("/components/requestBodies", key))),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn response(
        &self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        match r {
            ReferenceOr::Item(b) => Some((b, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/responses/")?;
                match self.api.components.as_ref()?.responses.get(key)? {
                    ReferenceOr::Item(b) => Some((b, child("/components/responses", key))),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn media_examples(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        pointer: &str,
        test_prefix: &str,
        out: &mut Vec<Example>,
    ) {
        for (media, body) in content {
            if !is_json(media) {
                continue;
            }
            let Some(ReferenceOr::Reference { reference }) = &body.schema else {
                continue;
            };
            let media_pointer = child(&child(pointer, "content"), media);
            let Some(type_name) = reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|k| self.component_names.get(k))
                .cloned()
            else {
                continue;
            };
            if let Some(example) = &body.example {
                out.push(Example {
                    test_name: format!("{test_prefix}_example"),
                    type_name: type_name.clone(),
                    pointer: child(&media_pointer, "example"),
                    value: self.expand_example_refs(example, 0),
                });
            }
            for (name, example) in &body.examples {
                let value = match example {
                    ReferenceOr::Item(e) => e.value.clone(),
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix("#/components/examples/")
                        .and_then(|k| self.api.components.as_ref()?.examples.get(k))
                        .and_then(|e| match e {
                            ReferenceOr::Item(e) => e.value.clone(),
                            ReferenceOr::Reference { .. } => None,
                        }),
                };
                if let Some(value) = value {
                    out.push(Example {
                        test_name: format!(
                            "{test_prefix}_{}",
                            field_name(name).trim_start_matches("r#")
                        ),
                        type_name: type_name.clone(),
                        pointer: child(&child(&media_pointer, "examples"), name),
                        value: self.expand_example_refs(&value, 0),
                    });
                }
            }
        }
    }

    /// Vendors sometimes put `{"$ref": "#/components/schemas/X"}` inside an example value to
    /// mean "X's example here" (their documentation renderer expands it). An example is data,
    /// so the generator never resolves it as a reference; for the round-trip tests it is
    /// expanded the same way, when X has an example.
    fn expand_example_refs(&self, value: &Value, depth: usize) -> Value {
        match value {
            Value::Object(map) if map.len() == 1 && depth < 8 => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if let Some(example) = self
                        .resolve_schema(reference)
                        .and_then(|(s, _)| s.schema_data.example.as_ref())
                    {
                        return self.expand_example_refs(example, depth + 1);
                    }
                }
                Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), self.expand_example_refs(v, depth)))
                        .collect(),
                )
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.expand_example_refs(v, depth)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.expand_example_refs(v, depth))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// The test-name prefix for examples of a shared component (`/components/responses/Error`
/// → `error_response`), or `None` for a body defined inline in an operation.
fn shared_prefix(pointer: &str, components: &str, what: &str) -> Option<String> {
    let key = pointer.strip_prefix(components)?;
    Some(format!(
        "{}_{what}",
        field_name(key).trim_start_matches("r#")
    ))
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The validation keywords of a schema, as the IR keeps them.
fn constraints_of(v: &View<'_>) -> Constraints {
    let mut c = v.constraints.clone();
    c.format = v.format.clone();
    if !v.is_string_enum() {
        c.enum_values = v.enumeration.clone();
    }
    c
}

fn docs_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

fn lower_enum(v: &View<'_>) -> StringEnumDef {
    let variants: Vec<EnumVariant> = v
        .enumeration
        .iter()
        .filter_map(|value| value.as_str())
        .map(|wire| EnumVariant {
            wire: wire.to_owned(),
            rust_name: variant_name(wire, "Empty"),
        })
        .collect();
    let fallback = ["Other", "UnknownValue", "OtherValue"]
        .into_iter()
        .find(|f| variants.iter().all(|v| v.rust_name != *f))
        .unwrap_or("UnrecognizedValue")
        .to_owned();
    StringEnumDef { variants, fallback }
}

/// A variant name for an unnamed `oneOf` alternative, from the shape of its type.
fn shape_name(ty: &TypeExpr) -> &'static str {
    match ty {
        TypeExpr::Bool => "Bool",
        TypeExpr::Int(_) | TypeExpr::UnixTime => "Integer",
        TypeExpr::Float(_) | TypeExpr::Decimal => "Number",
        TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date => "String",
        TypeExpr::Binary => "File",
        TypeExpr::Any => "Value",
        TypeExpr::Named(_) => "Object",
        TypeExpr::Vec(_) => "Array",
        TypeExpr::Map(_) => "Map",
        TypeExpr::Nullable(inner) => shape_name(inner),
    }
}

/// Reason phrases for the error variants of common statuses; others are `Status{code}`.
fn status_variant(status: u16) -> String {
    let name = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    name.to_owned()
}

impl<'a> Lowerer<'a, '_> {
    /// The spec's servers as `Environment` variants: names unique (and never `Custom`, the
    /// variant for any URL), URL variables replaced by their defaults.
    fn lower_servers(&mut self) -> Vec<Server> {
        let mut out: Vec<Server> = Vec::new();
        for (i, server) in self.api.servers.iter().enumerate() {
            let pointer = format!("/servers/{i}");
            let wanted = server
                .extensions
                .get("x-paylinks-name")
                .and_then(Value::as_str)
                .map(|n| variant_name(n, "Server"))
                .unwrap_or_else(|| format!("Server{}", i + 1));
            let name = unique(&wanted, "", |name| {
                name == "Custom" || out.iter().any(|s| s.name == name)
            });
            if name != wanted {
                self.sink.push(self.spec.warning(
                    &pointer,
                    format!("server name `{wanted}` is taken (by another server or by `Environment::Custom`); this one is `{name}`"),
                ));
            }
            let Some(url) = self.server_url(server, &pointer) else {
                continue;
            };
            out.push(Server {
                name,
                url,
                description: server.description.clone(),
            });
        }
        out
    }

    /// A server's URL with each `{variable}` replaced by its default. A variable the server
    /// does not declare is an error; the other values a variable allows are not offered (a
    /// warning says so), `Environment::Custom` takes any URL.
    fn server_url(&mut self, server: &openapiv3::Server, pointer: &str) -> Option<String> {
        let template = match parse_template(&server.url) {
            Ok(parts) => parts,
            Err(_) => {
                self.sink.push(self.spec.error(
                    &child(pointer, "url"),
                    format!("server URL `{}` has an unmatched `{{` or `}}`", server.url),
                ));
                return None;
            }
        };
        let variables = server.variables.as_ref();
        let mut url = String::new();
        for part in template {
            match part {
                PathPart::Literal(text) => url.push_str(&text),
                PathPart::Param(name) => match variables.and_then(|v| v.get(&name)) {
                    Some(variable) => {
                        if !variable.enumeration.is_empty() {
                            self.sink.push(self.spec.warning(
                                &child(&child(pointer, "variables"), &name),
                                format!("server variable `{name}` is fixed to its default `{}`; use `Environment::Custom` for another value", variable.default),
                            ));
                        }
                        url.push_str(&variable.default);
                    }
                    None => {
                        self.sink.push(self.spec.error(
                            &child(pointer, "url"),
                            format!("server URL `{}` uses `{{{name}}}`, which the server does not declare in `variables`", server.url),
                        ));
                        return None;
                    }
                },
            }
        }
        Some(url)
    }

    fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.api.components else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = child("/components/securitySchemes", key);
            let ReferenceOr::Item(scheme) = scheme else {
                self.sink.push(self.spec.warning(
                    &pointer,
                    "a security scheme given by `$ref` is not supported; skipped",
                ));
                continue;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name,
                    ..
                } if !is_header_name(name) => {
                    self.sink.push(self.spec.error(
                        &child(&pointer, "name"),
                        format!("`{name}` is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
                    ));
                    continue;
                }
                openapiv3::SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name,
                    description,
                    ..
                } => (
                    SchemeKind::Header {
                        name: name.to_ascii_lowercase(),
                    },
                    description,
                ),
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
                _ => {
                    self.sink.push(self.spec.warning(
                        &pointer,
                        "only header API keys and HTTP basic/bearer are supported; alternatives that need this scheme are skipped",
                    ));
                    continue;
                }
            };
            // `XClientID` → `client_id`: a leading `X` of a header-style name says nothing.
            let trimmed = key
                .strip_prefix('X')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(key);
            out.push(SecurityScheme {
                key: key.clone(),
                field: field_name(trimmed),
                description: description.clone(),
                kind,
            });
        }
        out
    }

    fn lower_operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let path_pointer = child("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                // A path item may point at another path of the same document.
                ReferenceOr::Reference { reference } => match self.path_item(reference) {
                    Some(item) => item,
                    None => {
                        self.sink.push(self.spec.warning(
                            &path_pointer,
                            format!("operations of `{path}` skipped: its path item is `$ref: {reference}`, which is not a path item of this document"),
                        ));
                        continue;
                    }
                },
            };
            for (method, op) in item.iter() {
                let pointer = child(&path_pointer, method);
                if let Some(operation) =
                    self.lower_operation(path, method, op, &item.parameters, &pointer, schemes)
                {
                    out.push(operation);
                }
            }
        }
        out
    }

    /// The path item `#/paths/<path>` refers to, when it is one given in place.
    fn path_item(&self, reference: &str) -> Option<&'a openapiv3::PathItem> {
        let escaped = reference.strip_prefix("#/paths/")?;
        let key = unescape_token(escaped);
        match self.api.paths.paths.get(&key)? {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let http_method = match method {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            _ => HttpMethod::Trace,
        };
        let derived = || {
            format!(
                "{method}_{}",
                path.replace(['{', '}'], "").replace('/', "_")
            )
        };
        let mut id = match op.operation_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => {
                let derived = derived();
                self.sink.push(self.spec.warning(
                    pointer,
                    format!(
                        "no operationId; the method is named `{}` after the method and path",
                        field_name(&derived)
                    ),
                ));
                derived
            }
        };
        if self.operation_name_taken(&id) {
            let renamed = unique(&derived(), "_", |name| self.operation_name_taken(name));
            self.sink.push(self.spec.warning(
                &child(pointer, "operationId"),
                format!(
                    "operationId `{id}` gives a method or error type name (`{}`, `{}Error`) that is already taken; this one is named `{}` after its method and path",
                    field_name(&id).trim_start_matches("r#"),
                    type_name(&id),
                    field_name(&renamed).trim_start_matches("r#")
                ),
            ));
            id = renamed;
        }
        let name = field_name(&id).trim_start_matches("r#").to_owned();
        let type_prefix = type_name(&id);
        self.operation_names.insert(name.clone());
        self.operation_names.insert(format!("{name}_with"));
        self.operation_types.insert(type_prefix.clone());

        // Operation parameters override path-level ones with the same name and location.
        let mut params: Vec<Param> = Vec::new();
        let all = path_params.iter().enumerate().map(|(i, p)| {
            (
                p,
                child(&child("/paths", path), "parameters").to_owned() + &format!("/{i}"),
            )
        });
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let path_level = path_params.len();
        let mut seen_here: Vec<(String, ParamLocation, bool)> = Vec::new();
        for (i, (param, param_pointer)) in all.chain(own).enumerate() {
            if let Some(p) = self.lower_param(param, &param_pointer, &type_prefix) {
                // Within one list a repeat is a mistake; an operation's own parameter
                // overriding a path-level one is OpenAPI's rule.
                let own_level = i >= path_level;
                if seen_here
                    .iter()
                    .any(|(n, l, o)| n == &p.wire_name && *l == p.location && *o == own_level)
                {
                    self.sink.push(self.spec.error(
                        &param_pointer,
                        format!("parameter `{}` is declared twice in this list", p.wire_name),
                    ));
                }
                seen_here.push((p.wire_name.clone(), p.location, own_level));
                params.retain(|q| !(q.wire_name == p.wire_name && q.location == p.location));
                params.push(p);
            }
        }
        let template = match parse_path_template(path) {
            Ok(template) => template,
            Err(message) => {
                self.sink.push(self.spec.error(pointer, message));
                return None;
            }
        };
        self.check_template(&template, &params, path, pointer);
        self.unique_argument_names(&mut params, pointer);

        let body = match &op.request_body {
            Some(body) => {
                let body_pointer = child(pointer, "requestBody");
                let Some((request_body, at)) = self.request_body_or_error(body, &body_pointer)
                else {
                    // Keep going so that the responses' problems are reported too.
                    self.lower_responses_for_errors(op, pointer);
                    return None;
                };
                let json = request_body
                    .content
                    .iter()
                    .find(|(media, _)| is_json(media))
                    .map(|c| (c, BodyMedia::Json));
                let form = request_body
                    .content
                    .iter()
                    .find(|(media, _)| {
                        media
                            .split(';')
                            .next()
                            .is_some_and(|m| m.trim() == "multipart/form-data")
                    })
                    .map(|c| (c, BodyMedia::Multipart));
                match json.or(form) {
                    Some(((media, content), kind)) => {
                        let schema_pointer = child(&child(&child(&at, "content"), media), "schema");
                        let Some(schema) = content.schema.as_ref() else {
                            self.sink.push(self.spec.warning(
                                &schema_pointer,
                                format!("operation `{id}` skipped: its request body has no schema"),
                            ));
                            return None;
                        };
                        let ty = self.type_expr(
                            schema.into(),
                            &schema_pointer,
                            &format!("{type_prefix}Request"),
                        );
                        if kind == BodyMedia::Multipart && !self.is_object_schema(schema.into()) {
                            self.sink.push(self.spec.warning(
                                &schema_pointer,
                                format!("operation `{id}` skipped: a multipart/form-data body must be an object whose properties are the parts"),
                            ));
                            return None;
                        }
                        Some(Body {
                            ty,
                            required: request_body.required,
                            media: kind,
                        })
                    }
                    None => {
                        let media: Vec<&str> =
                            request_body.content.keys().map(String::as_str).collect();
                        self.sink.push(self.spec.warning(
                            &body_pointer,
                            format!("operation `{id}` skipped: request bodies of type {} are not supported yet", media.join(", ")),
                        ));
                        return None;
                    }
                }
            }
            None => None,
        };

        // Explicit 2xx codes come first, then a `2XX` range, for the success type; errors are
        // codes, other ranges and `default`, matched most specific first at run time.
        let mut success: Option<(u16, Option<TypeExpr>)> = None;
        let mut errors = Vec::new();
        let responses = op
            .responses
            .responses
            .iter()
            .map(|(status, r)| match status {
                openapiv3::StatusCode::Code(code) => {
                    (StatusMatch::Code(*code), code.to_string(), r)
                }
                openapiv3::StatusCode::Range(range) => {
                    (StatusMatch::Range(*range), format!("{range}XX"), r)
                }
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_owned(), r)),
            );
        for (status, key, response) in responses {
            let response_pointer = child(&child(pointer, "responses"), &key);
            let Some((response, at)) = self.response_or_error(response, &response_pointer) else {
                continue;
            };
            let is_success = match status {
                StatusMatch::Code(code) => (200..300).contains(&code),
                StatusMatch::Range(range) => range == 2,
                StatusMatch::Default => false,
            };
            let ty = response
                .content
                .iter()
                .find(|(media, _)| is_json(media))
                .and_then(|(media, content)| {
                    let schema = content.schema.as_ref()?;
                    let schema_pointer = child(&child(&child(&at, "content"), media), "schema");
                    let context = if is_success {
                        format!("{type_prefix}Response")
                    } else {
                        format!("{type_prefix}Error{}", type_name(&key))
                    };
                    Some(self.type_expr(schema.into(), &schema_pointer, &context))
                });
            if is_success {
                let rank = if matches!(status, StatusMatch::Code(_)) {
                    0
                } else {
                    1
                };
                if success.as_ref().is_none_or(|(best, _)| rank < *best) {
                    success = Some((rank, ty));
                }
            } else {
                let variant = match status {
                    StatusMatch::Code(code) => status_variant(code),
                    StatusMatch::Range(range) => format!("Status{range}xx"),
                    StatusMatch::Default => "Default".to_owned(),
                };
                errors.push(ErrorStatus {
                    status,
                    variant,
                    ty,
                    description: response.description.clone(),
                });
            }
        }
        let success = success.and_then(|(_, ty)| ty);

        let requirements = op.security.as_ref().or(self.api.security.as_ref());
        let mut security = Vec::new();
        for (i, requirement) in requirements.into_iter().flatten().enumerate() {
            let keys: Vec<String> = requirement.keys().cloned().collect();
            let unknown: Vec<&String> = keys
                .iter()
                .filter(|k| !schemes.iter().any(|s| &s.key == *k))
                .collect();
            let declared = self
                .api
                .components
                .as_ref()
                .is_some_and(|c| unknown.iter().all(|k| c.security_schemes.contains_key(*k)));
            if unknown.is_empty() {
                security.push(keys);
            } else if !declared {
                self.sink.push(self.spec.error(
                    &format!("{pointer}/security/{i}"),
                    format!(
                        "security scheme `{}` is not declared in components.securitySchemes",
                        unknown[0]
                    ),
                ));
            }
        }

        self.check_idempotency_alternatives(&params, &security);

        Some(Operation {
            name,
            type_name: type_prefix,
            method: http_method,
            path: path.to_owned(),
            template,
            pointer: pointer.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tag: op.tags.first().cloned(),
            deprecated: op.deprecated,
            params,
            body,
            success,
            errors,
            security,
        })
    }

    /// Parameters become method arguments: their names must differ from each other (`id` in
    /// the path and in the query, `userId` and `user_id`) and from the method's own `body`
    /// and `options`. A clash gets a suffix naming its location, then a number, with a
    /// warning.
    fn unique_argument_names(&mut self, params: &mut [Param], pointer: &str) {
        let mut taken: Vec<String> = vec!["body".into(), "options".into(), "self_".into()];
        for p in params.iter_mut().filter(|p| p.role == ParamRole::Argument) {
            let wanted = p.rust_name.clone();
            let bare = wanted
                .trim_start_matches("r#")
                .trim_end_matches('_')
                .to_owned();
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let is_taken = |name: &str| taken.iter().any(|t| t == name);
            let name = if is_taken(&wanted) {
                unique(&format!("{bare}_{location}"), "_", is_taken)
            } else {
                wanted.clone()
            };
            if name != wanted {
                self.sink.push(self.spec.warning(
                    pointer,
                    format!(
                        "{location} parameter `{}` would be the argument `{}`, which is taken; it is `{name}`",
                        p.wire_name,
                        wanted.trim_start_matches("r#")
                    ),
                ));
                p.rust_name = name.clone();
            }
            taken.push(name);
        }
    }

    /// Whether an operation called `id` would need a method (`name`, `name_with`) or an error
    /// type (`NameError`) that another operation, or the client itself, already has.
    fn operation_name_taken(&self, id: &str) -> bool {
        const CLIENT_METHODS: [&str; 3] = ["new", "with_config", "base_url"];
        let name = field_name(id).trim_start_matches("r#").to_owned();
        let with = format!("{name}_with");
        CLIENT_METHODS.contains(&name.as_str())
            || CLIENT_METHODS.contains(&with.as_str())
            || self.operation_names.contains(&name)
            || self.operation_names.contains(&with)
            || self.operation_types.contains(&type_name(id))
    }

    /// Every parameter of the template is declared, and every declared path parameter is in
    /// the template.
    fn check_template(
        &mut self,
        template: &[PathPart],
        params: &[Param],
        path: &str,
        pointer: &str,
    ) {
        for part in template {
            let PathPart::Param(name) = part else {
                continue;
            };
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
            {
                self.sink.push(self.spec.error(
                    pointer,
                    format!("path parameter `{name}` of `{path}` is not declared"),
                ));
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template
                .iter()
                .any(|part| matches!(part, PathPart::Param(n) if n == &p.wire_name))
            {
                self.sink.push(self.spec.error(
                    pointer,
                    format!(
                        "path parameter `{}` is declared but `{path}` has no `{{{}}}`",
                        p.wire_name, p.wire_name
                    ),
                ));
            }
        }
    }

    /// Every alternative an idempotency policy names must be one of the operation's.
    fn check_idempotency_alternatives(&mut self, params: &[Param], security: &[Vec<String>]) {
        for param in params {
            let ParamRole::IdempotencyKey(policy) = &param.role else {
                continue;
            };
            for (i, alternative) in policy.honoured_with.iter().flatten().enumerate() {
                if !security.iter().any(|s| same_alternative(s, alternative)) {
                    self.sink.push(self.spec.error(
                        &child(&child(&policy.pointer, "honoured-with"), &i.to_string()),
                        format!(
                            "[{}] is not one of the security alternatives of an operation that takes this key",
                            alternative.join(", ")
                        ),
                    ));
                }
            }
        }
    }

    /// Whether a schema (after `$ref`s) is an object with properties.
    fn is_object_schema(&self, r: SchemaRef<'a>) -> bool {
        match r {
            SchemaRef::Item(s) => View::of(s).is_struct(),
            SchemaRef::Ref(reference) => self
                .resolve_schema(reference)
                .is_some_and(|(s, _)| View::of(s).is_struct()),
        }
    }

    /// The `x-paylinks-idempotency` of the idempotency-key parameter; syntax problems are
    /// errors here, the alternatives are checked against each operation's security.
    fn idempotency_policy(
        &mut self,
        data: &openapiv3::ParameterData,
        pointer: &str,
    ) -> IdempotencyPolicy {
        let Some(value) = data.extensions.get(idempotency::EXTENSION) else {
            return IdempotencyPolicy::default();
        };
        let schemes: Vec<&str> = self
            .api
            .components
            .iter()
            .flat_map(|c| c.security_schemes.keys().map(String::as_str))
            .collect();
        let at = child(pointer, idempotency::EXTENSION);
        let (policy, problems) = idempotency::parse(value, &at, &schemes);
        for (at, message) in problems {
            self.sink.push(self.spec.error(&at, message));
        }
        policy.unwrap_or_default()
    }

    fn lower_param(
        &mut self,
        param: &'a ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<Param> {
        let (param, pointer) = match param {
            ReferenceOr::Item(p) => (p, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/");
                let found = key.and_then(|k| self.api.components.as_ref()?.parameters.get(k));
                match found {
                    Some(ReferenceOr::Item(p)) => {
                        (p, child("/components/parameters", key.unwrap_or_default()))
                    }
                    _ => {
                        self.sink.push(self.spec.error(
                            pointer,
                            format!("dangling or unsupported parameter $ref `{reference}`"),
                        ));
                        return None;
                    }
                }
            }
        };
        let (data, location, array_separator) = match param {
            openapiv3::Parameter::Path { parameter_data, .. } => {
                (parameter_data, ParamLocation::Path, Some(','))
            }
            openapiv3::Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                let separator = match style {
                    openapiv3::QueryStyle::Form if parameter_data.explode.unwrap_or(true) => None,
                    openapiv3::QueryStyle::Form => Some(','),
                    openapiv3::QueryStyle::SpaceDelimited => Some(' '),
                    openapiv3::QueryStyle::PipeDelimited => Some('|'),
                    openapiv3::QueryStyle::DeepObject => {
                        self.sink.push(self.spec.warning(
                            &pointer,
                            "`deepObject` query parameters are not supported; not sent",
                        ));
                        return None;
                    }
                };
                (parameter_data, ParamLocation::Query, separator)
            }
            openapiv3::Parameter::Header { parameter_data, .. } => {
                if !is_header_name(&parameter_data.name) {
                    self.sink.push(self.spec.error(
                        &child(&pointer, "name"),
                        format!(
                            "`{}` is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)",
                            parameter_data.name
                        ),
                    ));
                    return None;
                }
                (parameter_data, ParamLocation::Header, Some(','))
            }
            openapiv3::Parameter::Cookie { .. } => {
                self.sink.push(
                    self.spec
                        .warning(&pointer, "cookie parameters are not supported; not sent"),
                );
                return None;
            }
        };
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => schema,
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                self.sink.push(self.spec.warning(
                    &pointer,
                    "parameters given by `content` are not supported; not sent",
                ));
                return None;
            }
        };
        let context = format!("{type_prefix}{}", type_name(&data.name));
        let ty = self.type_expr(schema.into(), &child(&pointer, "schema"), &context);
        let resolved = match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.resolve_schema(reference).map(|(s, _)| s),
        };
        let pinned = resolved.and_then(|s| {
            let v = View::of(s);
            match (v.enumeration.as_slice(), &s.schema_data.default) {
                ([Value::String(only)], _) => Some(only.clone()),
                (_, Some(Value::String(default))) if data.required => Some(default.clone()),
                _ => None,
            }
        });
        let lower = data.name.to_ascii_lowercase();
        let role = match (location, pinned) {
            (ParamLocation::Header, Some(value)) => ParamRole::Pinned(value),
            (ParamLocation::Header, None) if lower == "x-request-id" && !data.required => {
                ParamRole::RequestId
            }
            (ParamLocation::Header, None) if lower == "x-idempotency-key" && !data.required => {
                ParamRole::IdempotencyKey(self.idempotency_policy(data, &pointer))
            }
            _ => ParamRole::Argument,
        };
        if !matches!(role, ParamRole::IdempotencyKey(_))
            && data.extensions.contains_key(idempotency::EXTENSION)
        {
            self.sink.push(self.spec.error(
                &child(&pointer, idempotency::EXTENSION),
                format!(
                    "`{}` belongs on an optional `x-idempotency-key` header parameter",
                    idempotency::EXTENSION
                ),
            ));
        }
        if location == ParamLocation::Path && !data.required {
            self.sink.push(self.spec.warning(
                &pointer,
                "path parameters are always required; treated as required",
            ));
        }
        Some(Param {
            wire_name: if location == ParamLocation::Header {
                lower
            } else {
                data.name.clone()
            },
            rust_name: field_name(&data.name),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            docs: data.description.clone(),
            role,
            array_separator,
        })
    }
}

/// An HTTP header name (RFC 9110 `token`): the runtime builds these with
/// `HeaderName::from_static`, which accepts nothing else.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

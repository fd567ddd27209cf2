//! Schemas → named types and type expressions: structs, string enums, unions, aliases,
//! arrays and maps, with their keywords as constraints.

use super::*;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn lower_components(&mut self) {
        let Some(schemas) = self.component_schemas() else {
            return;
        };
        // Every component gets its id first, so that references resolve in any order.
        let mut value_names = Vec::with_capacity(schemas.len());
        for (key, schema) in schemas {
            let pointer = child("/components/schemas", key);
            let names = match schema {
                ReferenceOr::Item(schema) => self.schema_names(schema, &pointer, Position::Other),
                ReferenceOr::Reference { .. } => SchemaNames::default(),
            };
            let raw = names.ty.unwrap_or(key);
            let name = type_name(raw);
            if let Some(taken) = crate::names::reserved_type(raw) {
                self.sink.push(self.spec.warning(
                    Code::Renamed,
                    &pointer,
                    format!("schema `{key}` would be the Rust type `{taken}`, a name the generated code itself uses (the client's own type, or one of Rust's prelude); it is `{name}`"),
                ));
            }
            let id = self.reserve(name, pointer);
            self.component_ids.insert(key.clone(), id);
            value_names.push(names.values);
        }
        for ((key, schema), values) in schemas.iter().zip(value_names) {
            let id = self.component_ids[key];
            match schema {
                ReferenceOr::Reference { reference } => {
                    self.order.push(id);
                    let pointer = self.types[id.index()].pointer.clone();
                    let target = self.resolve_named(reference, &pointer);
                    self.types[id.index()].kind =
                        TypeKind::Alias(target.map_or(TypeExpr::Any, TypeExpr::Named));
                }
                ReferenceOr::Item(schema) => self.lower_named(id, schema, &values),
            }
        }
    }

    /// Lowers a schema that gets its own Rust type (reserved as `id`, already named).
    /// `value_names` are the `x-paylinks-name` names of its enum values.
    pub(super) fn lower_named(
        &mut self,
        id: TypeId,
        schema: &'a Schema,
        value_names: &[(&'a str, &'a str)],
    ) {
        // Inline types met while lowering this one come after it in the output.
        self.order.push(id);
        let name = self.types[id.index()].name.clone();
        let pointer = self.types[id.index()].pointer.clone();
        let (name, pointer) = (name.as_str(), pointer.as_str());
        let v = self.view(schema, pointer);
        let v = self.scalar_all_of(v, pointer);
        let docs = docs_of(schema);
        let constraints = constraints_of(&v);
        let kind = if !v.one_of.is_empty() || !v.any_of.is_empty() {
            let (keyword, alternatives) = if v.one_of.is_empty() {
                ("anyOf", &v.any_of)
            } else {
                ("oneOf", &v.one_of)
            };
            TypeKind::Union(self.lower_union(name, pointer, keyword, alternatives))
        } else if let Some((i, keyword, alternatives)) = v.single_union() {
            let at = child(&child(pointer, "allOf"), &i.to_string());
            TypeKind::Union(self.lower_union(name, &at, keyword, &alternatives))
        } else if !v.all_of.is_empty() {
            match v.single_ref() {
                Some((i, reference)) => TypeKind::Alias(
                    self.resolve_named(reference, &child(&child(pointer, "allOf"), &i.to_string()))
                        .map_or(TypeExpr::Any, TypeExpr::Named),
                ),
                None => {
                    let mut def = self.lower_all_of(name, pointer, &v);
                    let own = self.lower_rules(schema, pointer);
                    def.rules.extend(own);
                    TypeKind::Struct(def)
                }
            }
        } else if v.is_string_enum() {
            TypeKind::StringEnum(self.lower_enum(&v, pointer, value_names))
        } else if v.is_struct() {
            let mut def = self.lower_struct(name, &[(pointer.to_owned(), v)]);
            def.rules = self.lower_rules(schema, pointer);
            TypeKind::Struct(def)
        } else {
            TypeKind::Alias(self.inline_expr(&v, pointer, name))
        };
        if !value_names.is_empty() && !matches!(kind, TypeKind::StringEnum(_)) {
            self.sink.push(self.spec.error(
                Code::Extension,
                &child(&child(pointer, overrides::NAME_EXTENSION), "values"),
                "`values` names the values of a string enum; this schema is not one",
            ));
        }
        let def = &mut self.types[id.index()];
        def.docs = docs;
        def.kind = kind;
        def.constraints = constraints;
    }

    /// The `x-paylinks-rules` of an object schema; syntax problems are errors here, field
    /// references are checked once every type exists.
    pub(super) fn lower_rules(&mut self, schema: &'a Schema, pointer: &str) -> Vec<CustomRule> {
        let Some(value) = schema.schema_data.extensions.get(rules::EXTENSION) else {
            return Vec::new();
        };
        let (rules, problems) = rules::parse_rules(value, &child(pointer, rules::EXTENSION));
        for (at, message) in problems {
            self.sink
                .push(self.spec.error(Code::Extension, &at, message));
        }
        rules
    }

    /// The type of a schema position. Inline schemas that need a Rust type of their own are
    /// lowered under the name `context`, or the name their `x-paylinks-name` gives.
    pub(super) fn type_expr(&mut self, r: SchemaRef<'a>, pointer: &str, context: &str) -> TypeExpr {
        let names = match r {
            SchemaRef::Item(schema) => self.schema_names(schema, pointer, Position::Other),
            SchemaRef::Ref(_) => SchemaNames::default(),
        };
        self.type_expr_named(r, pointer, context, &names)
    }

    /// [`Self::type_expr`] with the schema's `x-paylinks-name` already read.
    pub(super) fn type_expr_named(
        &mut self,
        r: SchemaRef<'a>,
        pointer: &str,
        context: &str,
        names: &SchemaNames<'a>,
    ) -> TypeExpr {
        match r {
            SchemaRef::Ref(reference) => self
                .resolve_named(reference, pointer)
                .map_or(TypeExpr::Any, TypeExpr::Named),
            SchemaRef::Item(schema) => {
                let v = self.scalar_all_of_quiet(View::of(schema), pointer);
                let single_ref = v.single_ref();
                if v.is_struct()
                    || v.is_string_enum()
                    || !v.one_of.is_empty()
                    || !v.any_of.is_empty()
                    || (!v.all_of.is_empty() && single_ref.is_none())
                {
                    let name = names.ty.map_or_else(|| context.to_owned(), type_name);
                    let id = self.reserve(name, pointer.to_owned());
                    self.lower_named(id, schema, &names.values);
                    TypeExpr::Named(id)
                } else if let Some((i, reference)) = single_ref {
                    self.resolve_named(reference, &child(&child(pointer, "allOf"), &i.to_string()))
                        .map_or(TypeExpr::Any, TypeExpr::Named)
                } else {
                    if names.ty.is_some() || !names.values.is_empty() {
                        self.sink.push(self.spec.warning(
                            Code::Extension,
                            &child(pointer, overrides::NAME_EXTENSION),
                            "this schema becomes no type of its own (it is a primitive, an array or a map), so there is nothing to name; ignored",
                        ));
                    }
                    let v = self.view(schema, pointer);
                    let v = self.scalar_all_of(v, pointer);
                    self.inline_expr(&v, pointer, context)
                }
            }
        }
    }

    pub(super) fn nullable_expr(
        &mut self,
        r: SchemaRef<'a>,
        pointer: &str,
        context: &str,
    ) -> TypeExpr {
        let ty = self.type_expr(r, pointer, context);
        if self.is_nullable(r) {
            TypeExpr::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Types that need no declaration of their own: primitives, arrays and maps.
    pub(super) fn inline_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
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

    pub(super) fn array_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
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
    pub(super) fn element(&mut self, r: SchemaRef<'a>, pointer: &str, context: &str) -> Element {
        let ty = self.nullable_expr(r, pointer, context);
        let constraints = match r {
            SchemaRef::Item(schema) => {
                constraints_of(&self.scalar_all_of_quiet(View::of(schema), pointer))
            }
            SchemaRef::Ref(_) => Constraints::default(),
        };
        Element { ty, constraints }
    }

    pub(super) fn map_expr(&mut self, v: &View<'a>, pointer: &str, context: &str) -> TypeExpr {
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

    pub(super) fn lower_union(
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
                (None, Some(id), SchemaRef::Ref(_)) => self.types[id.index()].name.clone(),
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

    /// A string enum's variants: named from their values, or by `x-paylinks-name`'s
    /// `values` (a value it names that the enum does not have is an error).
    pub(super) fn lower_enum(
        &mut self,
        v: &View<'_>,
        pointer: &str,
        value_names: &[(&str, &str)],
    ) -> StringEnumDef {
        for (wire, _) in value_names {
            if !v
                .enumeration
                .iter()
                .any(|value| value.as_str() == Some(wire))
            {
                self.sink.push(self.spec.error(
                    Code::Extension,
                    &child(
                        &child(&child(pointer, overrides::NAME_EXTENSION), "values"),
                        wire,
                    ),
                    format!("`{wire}` is not one of this enum's values"),
                ));
            }
        }
        // A value listed twice would be a second variant no string can ever decode to.
        let mut listed: Vec<&str> = Vec::with_capacity(v.enumeration.len());
        let mut seen = HashSet::new();
        for (i, value) in v.enumeration.iter().enumerate() {
            let Some(wire) = value.as_str() else {
                continue;
            };
            if seen.insert(wire) {
                listed.push(wire);
            } else {
                self.sink.push(self.spec.warning(
                    Code::Contradiction,
                    &child(&child(pointer, "enum"), &i.to_string()),
                    format!("the enum value `{wire}` is listed twice; the repeat is ignored"),
                ));
            }
        }
        let variants: Vec<EnumVariant> = listed
            .into_iter()
            .map(|wire| {
                let named = value_names
                    .iter()
                    .find(|(w, _)| *w == wire)
                    .map(|(_, n)| *n);
                EnumVariant {
                    wire: wire.to_owned(),
                    rust_name: variant_name(named.unwrap_or(wire), "Empty"),
                }
            })
            .collect();
        let fallback = ["Other", "UnknownValue", "OtherValue"]
            .into_iter()
            .find(|f| variants.iter().all(|v| v.rust_name != *f))
            .unwrap_or("UnrecognizedValue")
            .to_owned();
        StringEnumDef { variants, fallback }
    }

    pub(super) fn lower_struct(&mut self, name: &str, parts: &[(String, View<'a>)]) -> StructDef {
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
                        Code::Contradiction,
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
                        Code::Contradiction,
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

    pub(super) fn lower_field(
        &mut self,
        owner: &str,
        prop: &str,
        r: SchemaRef<'a>,
        pointer: &str,
        required: bool,
    ) -> Field {
        let names = match r {
            SchemaRef::Item(schema) => self.schema_names(schema, pointer, Position::Property),
            SchemaRef::Ref(_) => SchemaNames::default(),
        };
        let field = names.field.unwrap_or(prop);
        let context = format!("{owner}{}", type_name(field));
        let ty = self.type_expr_named(r, pointer, &context, &names);
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
                constraints_of(&self.scalar_all_of_quiet(View::of(schema), pointer)),
            ),
            SchemaRef::Ref(_) => (None, None, Constraints::default()),
        };
        Field {
            wire_name: prop.to_owned(),
            rust_name: field_name(field),
            pointer: pointer.to_owned(),
            ty,
            presence,
            boxed: false,
            docs,
            default,
            constraints,
        }
    }
}

/// The validation keywords of a schema, as the IR keeps them.
pub(super) fn constraints_of(v: &View<'_>) -> Constraints {
    let mut c = v.constraints.clone();
    c.format = v.format.as_deref().and_then(crate::ir::Format::from_name);
    if !v.is_string_enum() {
        c.enum_values = v.enumeration.clone();
    }
    c
}

pub(super) fn docs_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

/// A variant name for an unnamed `oneOf` alternative, from the shape of its type.
pub(super) fn shape_name(ty: &TypeExpr) -> &'static str {
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

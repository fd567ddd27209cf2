//! The keyword view: every keyword of a schema in one shape, whichever `SchemaKind`
//! `openapiv3` filed it under; keywords that do not apply to the schema's type are reported and
//! dropped.

use super::*;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn view(&mut self, schema: &'a Schema, pointer: &str) -> View<'a> {
        let v = View::of(schema);
        if let Some(kind) = v.kind {
            for keyword in &v.inapplicable {
                self.sink.push(self.spec.warning(
                    Code::IgnoredKeyword,
                    &child(pointer, keyword),
                    format!("`{keyword}` does not apply to {}; ignored", kind.noun()),
                ));
            }
        }
        if let Some(keyword) = v.required_alternatives {
            self.sink.push(self.spec.warning(
                Code::IgnoredKeyword,
                &child(pointer, keyword),
                format!("this `{keyword}` only lists which properties must be present together; it is not checked (the fields stay optional)"),
            ));
        }
        if let Some((pattern, e)) = &v.unchecked_pattern {
            self.sink.push(self.spec.warning(
                Code::Pattern,
                &child(pointer, "pattern"),
                format!("pattern `{pattern}` is not checked: the runtime's regex engine cannot run it ({e})"),
            ));
        }
        if let Some(t) = v.unknown_type {
            self.sink.push(self.spec.error(
                Code::UnknownType,
                &child(pointer, "type"),
                format!("unknown type `{t}` (OpenAPI 3.0 has string, number, integer, boolean, object, array)"),
            ));
        }
        if !schema.schema_data.nullable {
            if let Some(i) = v.enumeration.iter().position(Value::is_null) {
                self.sink.push(self.spec.warning(
                    Code::Contradiction,
                    &child(&child(pointer, "enum"), &i.to_string()),
                    "`null` is listed in `enum` but the schema is not `nullable: true`, so OpenAPI 3.0 does not allow it; null is refused",
                ));
            }
        }
        if v.has_not {
            self.sink.push(self.spec.warning(
                Code::Inexpressible,
                &child(pointer, "not"),
                "`not` cannot be expressed as a Rust type; the schema is treated as any JSON value",
            ));
        }
        v
    }
}

pub(super) fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

pub(super) fn format_name<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match json_of(format) {
        Value::String(s) => Some(s),
        _ => None,
    }
}

pub(super) fn additional(a: &AdditionalProperties) -> Additional<'_> {
    match a {
        AdditionalProperties::Any(b) => Additional::Any(*b),
        AdditionalProperties::Schema(s) => Additional::Schema(s.as_ref().into()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
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

    pub(super) fn noun(self) -> &'static str {
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
pub(super) enum Additional<'a> {
    Any(bool),
    Schema(SchemaRef<'a>),
}

/// Every keyword of a schema in one shape, whichever `SchemaKind` openapiv3 chose.
pub(super) struct View<'a> {
    pub(super) kind: Option<Kind>,
    pub(super) unknown_type: Option<&'a str>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) constraints: Constraints,
    pub(super) properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub(super) required: Vec<&'a str>,
    pub(super) additional: Option<Additional<'a>>,
    pub(super) items: Option<SchemaRef<'a>>,
    pub(super) one_of: Vec<SchemaRef<'a>>,
    pub(super) any_of: Vec<SchemaRef<'a>>,
    pub(super) all_of: Vec<SchemaRef<'a>>,
    pub(super) has_not: bool,
    /// Keywords present that do not apply to `kind` (for example `minimum` on a string).
    pub(super) inapplicable: Vec<&'static str>,
    /// A `pattern` the runtime's regex engine cannot run (look-around, backreferences), with
    /// why. It is left unchecked (not in `constraints`): the server still checks it.
    pub(super) unchecked_pattern: Option<(String, String)>,
    /// A `oneOf`/`anyOf` whose members only list `required` properties (Lob: "a `name` or a
    /// `company`"): a condition on which optional fields are present, not a union of
    /// types. It is dropped from the view, and not checked (the keyword, for a warning).
    pub(super) required_alternatives: Option<&'static str>,
}

impl<'a> View<'a> {
    pub(super) fn empty() -> Self {
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
            unchecked_pattern: None,
            required_alternatives: None,
        }
    }

    pub(super) fn of(schema: &'a Schema) -> Self {
        let mut v = View::empty();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Some(Kind::String);
                v.format = format_name(&s.format);
                match s.pattern.as_deref().map(|p| (p, regex_lite::Regex::new(p))) {
                    Some((pattern, Err(e))) => {
                        v.unchecked_pattern = Some((pattern.to_owned(), e.to_string()));
                    }
                    other => v.constraints.pattern = other.map(|(p, _)| p.to_owned()),
                }
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
        v.drop_required_alternatives();
        v
    }

    /// See [`View::required_alternatives`].
    fn drop_required_alternatives(&mut self) {
        let only_required = |members: &[SchemaRef<'a>]| {
            !members.is_empty()
                && members.iter().all(|m| match m {
                    SchemaRef::Item(schema) => {
                        let mut member = View::of(schema);
                        let lists = !member.required.is_empty();
                        member.required.clear();
                        lists && member.is_annotation()
                    }
                    SchemaRef::Ref(_) => false,
                })
        };
        if only_required(&self.one_of) {
            self.one_of.clear();
            self.required_alternatives = Some("oneOf");
        } else if only_required(&self.any_of) {
            self.any_of.clear();
            self.required_alternatives = Some("anyOf");
        }
    }

    /// Whether the schema says nothing about values: only a description, a title, an
    /// example, `nullable` and the like (an `allOf` part used to annotate another).
    fn is_annotation(&self) -> bool {
        self.kind.is_none()
            && self.unknown_type.is_none()
            && self.format.is_none()
            && self.enumeration.is_empty()
            && self.constraints == Constraints::default()
            && self.properties.is_empty()
            && self.required.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.has_not
            && self.unchecked_pattern.is_none()
    }

    /// The `allOf` parts that say something about values, with their indices: parts that
    /// only annotate (`allOf: [{oneOf: […]}, {description: …}]`) are left out.
    pub(super) fn substantive_all_of(&self) -> Vec<(usize, SchemaRef<'a>)> {
        self.all_of
            .iter()
            .enumerate()
            .filter(|(_, part)| match part {
                SchemaRef::Item(schema) => !View::of(schema).is_annotation(),
                SchemaRef::Ref(_) => true,
            })
            .map(|(i, part)| (i, *part))
            .collect()
    }

    /// The one inline union an `allOf` stands for (its index, keyword and alternatives): its
    /// only substantive part, with nothing beside it.
    pub(super) fn single_union(&self) -> Option<(usize, &'static str, Vec<SchemaRef<'a>>)> {
        if !self.properties.is_empty() || !self.one_of.is_empty() || !self.any_of.is_empty() {
            return None;
        }
        let [(i, SchemaRef::Item(schema))] = self.substantive_all_of()[..] else {
            return None;
        };
        let part = View::of(schema);
        if part.properties.is_empty() && part.all_of.is_empty() {
            if !part.one_of.is_empty() {
                return Some((i, "oneOf", part.one_of));
            }
            if !part.any_of.is_empty() {
                return Some((i, "anyOf", part.any_of));
            }
        }
        None
    }

    /// The one `$ref` an `allOf` stands for: its only substantive part, with nothing beside
    /// it (the schema is an alias of the referenced type).
    pub(super) fn single_ref(&self) -> Option<(usize, &'a str)> {
        if !self.properties.is_empty() || !self.one_of.is_empty() || !self.any_of.is_empty() {
            return None;
        }
        match self.substantive_all_of()[..] {
            [(i, SchemaRef::Ref(reference))] => Some((i, reference)),
            _ => None,
        }
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
        if let Some(kind) = self.kind {
            self.drop_inapplicable(kind, a);
        }
    }

    /// An untyped-schema form with a `type` may still carry keywords of other types: they
    /// are recorded as inapplicable (a warning) and dropped, so no later stage acts on them.
    fn drop_inapplicable(&mut self, kind: Kind, a: &openapiv3::AnySchema) {
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

    pub(super) fn is_string_enum(&self) -> bool {
        matches!(self.kind, Some(Kind::String) | None)
            && !self.enumeration.is_empty()
            && self
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null())
    }

    pub(super) fn is_struct(&self) -> bool {
        matches!(self.kind, Some(Kind::Object) | None) && !self.properties.is_empty()
    }
}

//! `x-paylinks-name`: names chosen by the spec (usually through an overlay) instead of the
//! ones derived from keys and operationIds. Every override still goes through `names`
//! (so it is a valid identifier) and through the uniqueness scopes (so a clash is settled
//! with a warning, like any other).
//!
//! - On a schema, a string names the type the schema becomes; on a property's schema, it
//!   names the field. The mapping form says which: `type`, `field` (a property only) and
//!   `values` (a string enum only: wire value → variant name).
//! - On an operation, a string replaces the operationId for naming (method, error type).
//! - On a server, a string names its `Environment` variant.
//! - On a security scheme, a string names its credential field (and so its `Credentials`
//!   variant and constructor).

use super::*;

pub(super) const NAME_EXTENSION: &str = "x-paylinks-name";

/// Whether a schema is a property's (where a plain string names the field).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Position {
    Property,
    Other,
}

/// What `x-paylinks-name` says about one schema.
#[derive(Default)]
pub(super) struct SchemaNames<'a> {
    pub ty: Option<&'a str>,
    pub field: Option<&'a str>,
    pub values: Vec<(&'a str, &'a str)>,
}

impl<'a> Lowerer<'a, '_> {
    /// The `x-paylinks-name` of an object that takes only a string (operation, server,
    /// security scheme). Anything but a non-empty string is an error at the extension.
    pub(super) fn name_override(
        &mut self,
        extensions: &'a IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<&'a str> {
        let value = extensions.get(NAME_EXTENSION)?;
        let at = child(pointer, NAME_EXTENSION);
        match value.as_str().and_then(usable) {
            Some(name) => Some(name),
            _ => {
                self.sink.push(self.spec.error(
                    Code::Extension,
                    &at,
                    format!("`{NAME_EXTENSION}` here is a string with a letter or digit"),
                ));
                None
            }
        }
    }

    /// The `x-paylinks-name` of a schema at `position`; problems are errors at the
    /// extension (and at the offending key of the mapping form).
    pub(super) fn schema_names(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        position: Position,
    ) -> SchemaNames<'a> {
        let Some(value) = schema.schema_data.extensions.get(NAME_EXTENSION) else {
            return SchemaNames::default();
        };
        let at = child(pointer, NAME_EXTENSION);
        let mut names = SchemaNames::default();
        let non_empty = |v: &'a Value| v.as_str().and_then(usable);
        let map = match value {
            Value::String(_) => {
                let name = non_empty(value);
                match position {
                    Position::Property => names.field = name,
                    Position::Other => names.ty = name,
                }
                if name.is_none() {
                    self.sink.push(self.spec.error(
                        Code::Extension,
                        &at,
                        format!(
                            "`{NAME_EXTENSION}` is a string with a letter or digit, or a mapping"
                        ),
                    ));
                }
                return names;
            }
            Value::Object(map) => map,
            _ => {
                self.sink.push(self.spec.error(
                    Code::Extension,
                    &at,
                    format!("`{NAME_EXTENSION}` is a non-empty string or a mapping with `type`, `field` or `values`"),
                ));
                return names;
            }
        };
        for (key, value) in map {
            let key_at = child(&at, key);
            let problem = match key.as_str() {
                "type" => non_empty(value)
                    .map(|n| names.ty = Some(n))
                    .is_none()
                    .then_some("`type` is a string with a letter or digit"),
                "field" if position == Position::Property => non_empty(value)
                    .map(|n| names.field = Some(n))
                    .is_none()
                    .then_some("`field` is a string with a letter or digit"),
                "field" => Some("`field` names a property's field; this schema is not a property"),
                "values" => match value.as_object() {
                    Some(values) if values.values().all(|v| non_empty(v).is_some()) => {
                        names.values = values
                            .iter()
                            .filter_map(|(k, v)| Some((k.as_str(), non_empty(v)?)))
                            .collect();
                        None
                    }
                    _ => Some(
                        "`values` maps each enum value to a variant name with a letter or digit",
                    ),
                },
                _ => Some("unknown key (one of `type`, `field`, `values`)"),
            };
            if let Some(problem) = problem {
                self.sink
                    .push(self.spec.error(Code::Extension, &key_at, problem));
            }
        }
        names
    }
}

/// An override's name, trimmed, if an identifier can be made of it: it must hold a letter or
/// digit (`!!!` would silently become a fallback name).
fn usable(name: &str) -> Option<&str> {
    let name = name.trim();
    name.chars()
        .any(|c| c != '_' && unicode_ident::is_xid_continue(c))
        .then_some(name)
}

//! Request bodies: which of the offered media types is used, and the body's type and wire
//! form (JSON, form pairs, multipart parts, text or bytes).

use openapiv3::{Encoding, QueryStyle};

use super::*;

/// The kinds of body the client sends, in order of preference.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Preference {
    Json,
    Form,
    Multipart,
    Raw,
}

/// What the client does with a media type (`None`: it cannot be a `Content-Type`).
fn preference(media: &str) -> Option<Preference> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let header_value = media.bytes().all(|b| (0x20..0x7f).contains(&b)) && !media.is_empty();
    Some(match essence.as_str() {
        _ if is_json(&essence) => Preference::Json,
        "application/x-www-form-urlencoded" => Preference::Form,
        "multipart/form-data" => Preference::Multipart,
        _ if header_value => Preference::Raw,
        _ => return None,
    })
}

impl<'a> Lowerer<'a, '_> {
    /// The request body; `Err` when the operation must be skipped (reported).
    pub(super) fn operation_body(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        id: &str,
        type_prefix: &str,
    ) -> Result<Option<Body>, ()> {
        let Some(body) = &op.request_body else {
            return Ok(None);
        };
        let body_pointer = child(pointer, "requestBody");
        let Some((request_body, at)) = self.request_body(body, &body_pointer) else {
            // Keep going so that the responses' problems are reported too.
            self.lower_responses_for_errors(op, pointer);
            return Err(());
        };
        let chosen = request_body
            .content
            .iter()
            .filter_map(|(media, content)| Some((preference(media)?, media, content)))
            .min_by_key(|(p, _, _)| *p);
        let Some((kind, media, content)) = chosen else {
            let media: Vec<&str> = request_body.content.keys().map(String::as_str).collect();
            self.sink.push(self.spec.warning(
                Code::OperationSkipped,
                &body_pointer,
                format!("operation `{id}` skipped: its request body has no media type that can be sent ({})", media.join(", ")),
            ));
            return Err(());
        };
        let schema_pointer = child(&child(&child(&at, "content"), media), "schema");
        let context = format!("{type_prefix}Request");
        let Some((ty, media)) =
            self.typed_body(kind, media, content, &schema_pointer, (id, &context))
        else {
            return Err(());
        };
        Ok(Some(Body {
            ty,
            required: request_body.required,
            media,
        }))
    }

    /// The body's type and media, or `None` (reported) when it cannot be sent.
    fn typed_body(
        &mut self,
        kind: Preference,
        media: &str,
        content: &'a openapiv3::MediaType,
        schema_pointer: &str,
        (id, context): (&str, &str),
    ) -> Option<(TypeExpr, BodyMedia)> {
        let skip = |this: &mut Self, why: &str| {
            this.sink.push(this.spec.warning(
                Code::OperationSkipped,
                schema_pointer,
                format!("operation `{id}` skipped: {why}"),
            ));
            None
        };
        let schema = content.schema.as_ref();
        let (ty, media) = match (kind, schema) {
            (Preference::Raw, _) => self.raw_body(media, schema),
            // Any JSON value, when the spec does not say which.
            (Preference::Json, None) => (TypeExpr::Any, BodyMedia::Json),
            (_, None) => return skip(self, "its request body has no schema"),
            (Preference::Json, Some(schema)) => (
                self.type_expr(schema.into(), schema_pointer, context),
                BodyMedia::Json,
            ),
            (Preference::Form | Preference::Multipart, Some(schema)) => {
                let ty = self.type_expr(schema.into(), schema_pointer, context);
                // Multipart parts are a struct's fields; form pairs may also be a map's.
                let fits = match kind {
                    Preference::Form => {
                        self.is_struct_type(&ty)
                            || matches!(follow_aliases(&self.types, &ty), TypeExpr::Map(_))
                    }
                    _ => self.is_struct_type(&ty),
                };
                if !fits {
                    return skip(
                        self,
                        &format!(
                            "a `{media}` body must be an object whose properties are the fields"
                        ),
                    );
                }
                let media = match kind {
                    Preference::Form => BodyMedia::Form(form_styles(&content.encoding)),
                    _ => BodyMedia::Multipart,
                };
                (ty, media)
            }
        };
        Some((ty, media))
    }

    /// Whether a lowered type is a struct (through aliases).
    fn is_struct_type(&self, ty: &TypeExpr) -> bool {
        matches!(
            follow_aliases(&self.types, ty),
            TypeExpr::Named(id) if matches!(self.types[id.index()].kind, TypeKind::Struct(_))
        )
    }

    /// A body sent as it is: text when its schema is a string that is not `binary` (or it
    /// has none and its media type is `text/*`), bytes otherwise. `*/*` is sent as
    /// `application/octet-stream`.
    fn raw_body(
        &mut self,
        media: &str,
        schema: Option<&'a ReferenceOr<Schema>>,
    ) -> (TypeExpr, BodyMedia) {
        let text = match schema.and_then(|s| self.schema_at(s.into())) {
            Some(schema) => {
                let v = View::of(schema);
                v.kind == Some(Kind::String) && v.format.as_deref() != Some("binary")
            }
            None => media.trim().to_ascii_lowercase().starts_with("text/"),
        };
        let content_type = if media.contains('*') {
            "application/octet-stream".to_owned()
        } else {
            media.to_owned()
        };
        if text {
            (TypeExpr::String, BodyMedia::Text(content_type))
        } else {
            (TypeExpr::Binary, BodyMedia::Bytes(content_type))
        }
    }
}

/// The properties whose form style the spec's `encoding` gives. `openapiv3` reads a missing
/// `explode` as `false`, so `style: form` alone is taken as not exploded.
fn form_styles(encoding: &IndexMap<String, Encoding>) -> Vec<(String, FormStyle)> {
    encoding
        .iter()
        .filter_map(|(name, e)| {
            let style = match (&e.style, e.explode) {
                (Some(QueryStyle::Form), explode) => FormStyle::Form { explode },
                (Some(QueryStyle::DeepObject), _) => FormStyle::DeepObject,
                (Some(QueryStyle::SpaceDelimited), _) => FormStyle::SpaceDelimited,
                (Some(QueryStyle::PipeDelimited), _) => FormStyle::PipeDelimited,
                (None, true) => FormStyle::Form { explode: true },
                (None, false) => return None,
            };
            Some((name.clone(), style))
        })
        .collect()
}

//! Parameters: where each goes, how it is written, and the role it plays (argument, pinned
//! header, request id, idempotency key).

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// The `x-paylinks-idempotency` of the idempotency-key parameter; syntax problems are
    /// errors here, the alternatives are checked against each operation's security.
    pub(super) fn idempotency_policy(
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
            self.sink
                .push(self.spec.error(Code::Extension, &at, message));
        }
        policy.unwrap_or_default()
    }

    pub(super) fn lower_param(
        &mut self,
        param: &'a ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<Param> {
        let (param, pointer) = self.parameter(param, pointer)?;
        let (data, location, array_separator) = self.param_location(param, &pointer)?;
        // OpenAPI 3.0.3, Parameter Object: these header parameters "SHALL be ignored"; the
        // client sets them itself (`Authorization` from `Credentials`).
        if location == ParamLocation::Header
            && ["authorization", "content-type", "accept"]
                .iter()
                .any(|h| data.name.eq_ignore_ascii_case(h))
        {
            self.sink.push(self.spec.warning(
                Code::ParameterSkipped,
                &pointer,
                format!("header parameter `{}` is ignored, as OpenAPI requires: the client sets it itself (from the credentials, the body and the expected response)", data.name),
            ));
            return None;
        }
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => schema,
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                self.sink.push(self.spec.warning(
                    Code::ParameterSkipped,
                    &pointer,
                    "parameters given by `content` are not supported; not sent",
                ));
                return None;
            }
        };
        let context = format!("{type_prefix}{}", type_name(&data.name));
        let ty = self.type_expr(schema.into(), &child(&pointer, "schema"), &context);
        let wire = self.wire_form(&ty, array_separator, location, &pointer)?;
        let role = self.param_role(data, location, schema, &pointer);
        if location == ParamLocation::Path && !data.required {
            self.sink.push(self.spec.warning(
                Code::Parameter,
                &pointer,
                "path parameters are always required; treated as required",
            ));
        }
        Some(Param {
            wire_name: if location == ParamLocation::Header {
                data.name.to_ascii_lowercase()
            } else {
                data.name.clone()
            },
            rust_name: field_name(&data.name),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            docs: data.description.clone(),
            role,
            wire,
        })
    }

    /// Where a parameter goes and, for arrays, its separator by style (`None`: repeated per
    /// item). Cookie and `deepObject` parameters, and header names HTTP cannot carry, are
    /// reported and skipped.
    fn param_location(
        &mut self,
        param: &'a openapiv3::Parameter,
        pointer: &str,
    ) -> Option<(&'a openapiv3::ParameterData, ParamLocation, ParamStyle)> {
        Some(match param {
            openapiv3::Parameter::Path { parameter_data, .. } => {
                (parameter_data, ParamLocation::Path, ParamStyle::Join(','))
            }
            openapiv3::Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                let explode = parameter_data.explode.unwrap_or(true);
                let separator = match style {
                    openapiv3::QueryStyle::Form if explode => ParamStyle::Repeat,
                    openapiv3::QueryStyle::Form => ParamStyle::Join(','),
                    openapiv3::QueryStyle::SpaceDelimited => ParamStyle::Join(' '),
                    openapiv3::QueryStyle::PipeDelimited => ParamStyle::Join('|'),
                    openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (parameter_data, ParamLocation::Query, separator)
            }
            openapiv3::Parameter::Header { parameter_data, .. } => {
                if !is_header_name(&parameter_data.name) {
                    self.sink.push(self.spec.error(
                        Code::Parameter,
                        &child(pointer, "name"),
                        format!(
                            "`{}` is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)",
                            parameter_data.name
                        ),
                    ));
                    return None;
                }
                (parameter_data, ParamLocation::Header, ParamStyle::Join(','))
            }
            openapiv3::Parameter::Cookie { .. } => {
                self.sink.push(self.spec.warning(
                    Code::ParameterSkipped,
                    pointer,
                    "cookie parameters are not supported; not sent",
                ));
                return None;
            }
        })
    }

    /// What a parameter is to the client: a header with one possible value (a one-value
    /// `enum`, or a required header's `default`) is pinned; optional `x-request-id` and
    /// `x-idempotency-key` headers come from `RequestOptions`; anything else is an argument.
    fn param_role(
        &mut self,
        data: &openapiv3::ParameterData,
        location: ParamLocation,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> ParamRole {
        let pinned = self.schema_at(schema.into()).and_then(|s| {
            match (View::of(s).enumeration.as_slice(), &s.schema_data.default) {
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
                ParamRole::IdempotencyKey(self.idempotency_policy(data, pointer))
            }
            _ => ParamRole::Argument,
        };
        if !matches!(role, ParamRole::IdempotencyKey(_))
            && data.extensions.contains_key(idempotency::EXTENSION)
        {
            self.sink.push(self.spec.error(
                Code::Extension,
                &child(pointer, idempotency::EXTENSION),
                format!(
                    "`{}` belongs on an optional `x-idempotency-key` header parameter",
                    idempotency::EXTENSION
                ),
            ));
        }
        role
    }

    /// How a parameter of type `ty` is written: arrays of values with a text form by their
    /// style (repeated per item, or joined), an object or map in the query as pairs in its
    /// style, anything else as one value. File contents cannot be a parameter; an object in
    /// a path or header (or in a delimited query style) goes as its JSON text, with a
    /// warning.
    fn wire_form(
        &mut self,
        ty: &TypeExpr,
        style: ParamStyle,
        location: ParamLocation,
        pointer: &str,
    ) -> Option<WireForm> {
        let item = match follow_aliases(&self.types, ty) {
            TypeExpr::Vec(element) => text_rule(&self.types, &element.ty),
            _ => None,
        };
        let form = match (item, style) {
            (Some(TextRule::Json), _) | (None, _) => None,
            (Some(rule), ParamStyle::Repeat) => Some(WireForm::Repeated(rule)),
            (Some(rule), ParamStyle::Join(separator)) => Some(WireForm::Joined(rule, separator)),
            (Some(_), ParamStyle::DeepObject) => Some(WireForm::Object(FormStyle::DeepObject)),
        };
        if let Some(form) = form {
            return Some(form);
        }
        let query = location == ParamLocation::Query;
        match (text_rule(&self.types, ty), style) {
            (None, _) => {
                self.sink.push(self.spec.warning(
                    Code::ParameterSkipped,
                    pointer,
                    "a parameter cannot carry file contents (`format: binary`); not sent",
                ));
                None
            }
            (Some(TextRule::Json), ParamStyle::Repeat) if query => {
                Some(WireForm::Object(FormStyle::Form { explode: true }))
            }
            (Some(TextRule::Json), ParamStyle::Join(',')) if query => {
                Some(WireForm::Object(FormStyle::Form { explode: false }))
            }
            (Some(_), ParamStyle::DeepObject) => Some(WireForm::Object(FormStyle::DeepObject)),
            (Some(TextRule::Json), _) => {
                self.sink.push(self.spec.warning(
                    Code::Parameter,
                    pointer,
                    "an object, map or nested array in a path, a header or a delimited query style is sent as its JSON text (OpenAPI gives it no other form)",
                ));
                Some(WireForm::Single(TextRule::Json))
            }
            (Some(rule), _) => Some(WireForm::Single(rule)),
        }
    }
}

/// How a parameter's style writes an array or object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamStyle {
    /// `form`, exploded: an array's items repeat the name; an object's properties are pairs.
    Repeat,
    /// Items joined by the separator (`form` unexploded, space- or pipe-delimited, and every
    /// path or header array).
    Join(char),
    /// `deepObject`: brackets.
    DeepObject,
}

/// An HTTP header name (RFC 9110 `token`): the runtime builds these with
/// `HeaderName::from_static`, which accepts nothing else.
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

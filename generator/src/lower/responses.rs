//! An operation's responses: the success type and one error variant per documented status.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// The success type and the error variants of an operation.
    ///
    /// The client decodes every 2xx response as one body: that of the first explicit 2xx
    /// code, else of a `2XX` range. Another success status with a different body, or a success
    /// body that is not JSON, is reported (PL058) rather than silently decoded wrongly.
    /// Errors are codes, other ranges and `default`, matched most specific first at run time.
    pub(super) fn operation_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Option<TypeExpr>, Vec<ErrorStatus>) {
        let mut successes: Vec<(u8, String, &'a Response, String)> = Vec::new();
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
            let Some((response, at)) = self.response(response, &response_pointer) else {
                continue;
            };
            match status {
                StatusMatch::Code(200..=299) => successes.push((0, key, response, at)),
                StatusMatch::Range(2) => successes.push((1, key, response, at)),
                _ => errors.push(self.error_status(status, &key, response, &at, type_prefix)),
            }
        }
        // The stable sort keeps the spec's order among explicit codes.
        successes.sort_by_key(|(rank, ..)| *rank);
        let Some((_, key, response, at)) = successes.first() else {
            return (None, errors);
        };
        let body = json_schema(response);
        for (_, other, other_response, other_at) in &successes[1..] {
            if json_schema(other_response) != body {
                self.sink.push(self.spec.warning(
                    Code::Response,
                    other_at,
                    format!("the body of response `{other}` differs from that of `{key}`; the client decodes every success as the body of `{key}`, so a `{other}` response that does not fit it ends in `Error::Decode` with its raw body"),
                ));
            }
        }
        if let Some(media) = non_json_media(response) {
            self.sink.push(self.spec.warning(
                Code::Response,
                &child(at, "content"),
                format!("success response `{key}` has no JSON body ({media}); the client does not read it: the call returns `()`"),
            ));
        }
        // JSON content without a schema is any JSON value; no JSON content is `()`.
        let untyped_json = response.content.keys().any(|m| is_json(m));
        let success = self
            .body_type(body, at, &format!("{type_prefix}Response"))
            .or_else(|| untyped_json.then_some(TypeExpr::Any));
        (success, errors)
    }

    /// The type of a response's JSON body (from [`json_schema`]), lowered under `context`.
    fn body_type(
        &mut self,
        body: Option<(&str, &'a ReferenceOr<openapiv3::Schema>)>,
        at: &str,
        context: &str,
    ) -> Option<TypeExpr> {
        let (media, schema) = body?;
        let schema_pointer = child(&child(&child(at, "content"), media), "schema");
        Some(self.type_expr(schema.into(), &schema_pointer, context))
    }

    /// The error variant of one non-success status, with its body type when it has a JSON one.
    fn error_status(
        &mut self,
        status: StatusMatch,
        key: &str,
        response: &'a Response,
        at: &str,
        type_prefix: &str,
    ) -> ErrorStatus {
        if let Some(media) = non_json_media(response) {
            self.sink.push(self.spec.warning(
                Code::Response,
                &child(at, "content"),
                format!("error response `{key}` has no JSON body ({media}); its error variant carries no body, so the body the gateway sends is not kept"),
            ));
        }
        let context = format!("{type_prefix}Error{}", type_name(key));
        let ty = self.body_type(json_schema(response), at, &context);
        let variant = match status {
            StatusMatch::Code(code) => status_variant(code),
            StatusMatch::Range(range) => format!("Status{range}xx"),
            StatusMatch::Default => "Default".to_owned(),
        };
        ErrorStatus {
            status,
            variant,
            ty,
            description: response.description.clone(),
        }
    }

    /// Reports the problems of an operation's responses when the operation itself is dropped.
    pub(super) fn lower_responses_for_errors(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) {
        for (status, response) in &op.responses.responses {
            let response_pointer = child(&child(pointer, "responses"), &status.to_string());
            let _ = self.response(response, &response_pointer);
        }
    }
}

/// The first JSON media type of a response that has a schema, with that schema.
fn json_schema(response: &Response) -> Option<(&str, &ReferenceOr<openapiv3::Schema>)> {
    response
        .content
        .iter()
        .filter(|(media, _)| is_json(media))
        .find_map(|(media, content)| Some((media.as_str(), content.schema.as_ref()?)))
}

/// The media types of a response that has content but none of it JSON, listed for a
/// warning; `None` when the response has no content or a JSON one.
fn non_json_media(response: &Response) -> Option<String> {
    let media: Vec<&str> = response.content.keys().map(String::as_str).collect();
    (!media.is_empty() && !media.iter().any(|m| is_json(m))).then(|| media.join(", "))
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

//! An operation's responses: the success type and one error variant per documented status.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// The success type and the error variants of an operation.
    pub(super) fn operation_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Option<TypeExpr>, Vec<ErrorStatus>) {
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
            let Some((response, at)) = self.response(response, &response_pointer) else {
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

        (success, errors)
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

//! An operation's responses: the success type and one error variant per documented status.

use super::*;

impl<'a> Lowerer<'a, '_> {
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
pub(super) fn status_variant(status: u16) -> String {
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

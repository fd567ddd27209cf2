//! Responses: their metadata, successes, raw bodies kept for errors, and decoding by the
//! documented shape.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::strict::Strict;

/// What the server said about rate limiting (Cashfree's `x-ratelimit-*` headers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// Seconds to wait before retrying; 0 while within the limit.
    pub retry_after_secs: Option<u64>,
    /// `ip` or `app_id`.
    pub kind: Option<String>,
}

/// Facts about a response besides its body.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    pub status: StatusCode,
    pub request_id: Option<String>,
    pub rate_limit: RateLimit,
    pub idempotency_key: Option<String>,
    /// `Some(true)` when the server replayed the saved response of an earlier request with
    /// the same idempotency key.
    pub idempotency_replayed: Option<bool>,
    /// How many times the request was sent again before this response.
    pub retries: u32,
    pub headers: HeaderMap,
}

impl ResponseMeta {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, retries: u32) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_owned())
        };
        let number = |name: &str| text(name).and_then(|s| s.parse().ok());
        ResponseMeta {
            status,
            request_id: text("x-request-id").filter(|s| !s.is_empty()),
            rate_limit: RateLimit {
                limit: number("x-ratelimit-limit"),
                remaining: number("x-ratelimit-remaining"),
                retry_after_secs: number("x-ratelimit-retry").or_else(|| number("retry-after")),
                kind: text("x-ratelimit-type"),
            },
            idempotency_key: text("x-idempotency-key"),
            idempotency_replayed: text("x-idempotency-replayed").and_then(|s| {
                match s.to_ascii_lowercase().as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                }
            }),
            retries,
            headers,
        }
    }
}

/// A successful response: the decoded body and its metadata.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    pub body: T,
    pub meta: ResponseMeta,
}

/// How much of a raw body `Debug` shows.
const DEBUG_BODY_LIMIT: usize = 2048;

/// A response kept as it came: status, headers and raw body.
///
/// `Debug` shows the body as text (invalid UTF-8 replaced), cut after 2 KiB, with its length.
#[derive(Clone)]
pub struct RawResponse {
    pub meta: ResponseMeta,
    /// The body; for [`Error::BodyTooLarge`](super::Error::BodyTooLarge), its first bytes.
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.meta.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.body[..self.body.len().min(DEBUG_BODY_LIMIT)];
        let mut text = String::from_utf8_lossy(shown).into_owned();
        if shown.len() < self.body.len() {
            text.push('…');
        }
        f.debug_struct("RawResponse")
            .field("meta", &self.meta)
            .field(
                "body",
                &format_args!("{text:?} ({} bytes)", self.body.len()),
            )
            .finish()
    }
}

/// The JSON shape the spec documents for a response body. A body of another shape is a
/// `Decode` error, even where serde would accept it (a derived struct also reads an array of
/// its fields in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    Object,
    Array,
    String,
    Number,
    Boolean,
    /// Anything JSON (unions, `null`able bodies, untyped schemas).
    Any,
    /// No body documented: whatever comes is not read (the result is `()`).
    Empty,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Object => "a JSON object",
            Shape::Array => "a JSON array",
            Shape::String => "a JSON string",
            Shape::Number => "a JSON number",
            Shape::Boolean => "true or false",
            Shape::Any => "JSON",
            Shape::Empty => "no body",
        }
    }

    /// Whether a body starting with `first` (its first non-whitespace byte) has this shape.
    fn admits(self, first: Option<u8>) -> bool {
        matches!(
            (self, first),
            (Shape::Any | Shape::Empty, _)
                | (Shape::Object, Some(b'{'))
                | (Shape::Array, Some(b'['))
                | (Shape::String, Some(b'"'))
                | (Shape::Number, Some(b'-' | b'0'..=b'9'))
                | (Shape::Boolean, Some(b't' | b'f'))
        )
    }
}

/// Decodes a JSON body documented with `shape` (an empty body reads as `null`). The first
/// non-blank byte is checked against the shape before serde runs; then the body is read
/// through [`Strict`], so that no struct at any depth is filled from a JSON array.
pub fn decode_json<T: DeserializeOwned>(body: &[u8], shape: Shape) -> Result<T, serde_json::Error> {
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    if !shape.admits(first) {
        let found = match first {
            None => "an empty body",
            Some(b'{') => "a JSON object",
            Some(b'[') => "a JSON array",
            Some(b'"') => "a JSON string",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(_) => "something that is not JSON",
        };
        return Err(serde::de::Error::custom(format_args!(
            "expected {}, found {found}",
            shape.name()
        )));
    }
    let body = if first.is_none() || shape == Shape::Empty {
        b"null"
    } else {
        body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(Strict(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

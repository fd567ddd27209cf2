//! What a call returns when it does not succeed.

use std::error::Error as StdError;
use std::fmt;

use reqwest::StatusCode;

use super::response::{RawResponse, ResponseMeta};
use crate::runtime::validate::ValidationError;

/// Everything that can go wrong with a call. No variant carries a credential or the request.
///
/// `Debug` and `Display` stay short whatever the server sent: a decoded error body and a
/// decode message are cut after 2 KiB, a raw body is shown as text cut after 2 KiB.
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a documented rule; nothing was sent.
    Validation(ValidationError),
    /// A documented error status, with its body decoded into that status's schema.
    Api { error: E, meta: Box<ResponseMeta> },
    /// A status the spec does not document for this operation, kept as it came. A redirect
    /// (3xx) lands here too, with its `Location` in the headers: clients never follow one.
    UnexpectedStatus(Box<RawResponse>),
    /// A body that is not what the spec documents for its status (an HTML page from a proxy,
    /// an array where an object is documented), kept as it came.
    Decode {
        response: Box<RawResponse>,
        message: String,
    },
    /// The response body was longer than `ClientConfig::max_response_body`. `response`
    /// keeps the status, the headers and the first bytes of the body.
    BodyTooLarge {
        response: Box<RawResponse>,
        limit: usize,
    },
    /// The call's deadline passed (every attempt and every wait between attempts count), or
    /// one attempt took longer than `ClientConfig::attempt_timeout`.
    Timeout,
    /// The request could not be sent or its response not read (DNS, TLS, refused or reset
    /// connection). `Display` shows the whole cause chain.
    Transport(TransportError),
    /// The request could not be built; nothing was sent.
    InvalidRequest(InvalidRequest),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { meta, .. } => Some(meta.status),
            Error::UnexpectedStatus(r)
            | Error::Decode { response: r, .. }
            | Error::BodyTooLarge { response: r, .. } => Some(r.status()),
            _ => None,
        }
    }

    /// The response as it came, for the variants that keep it.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::UnexpectedStatus(r)
            | Error::Decode { response: r, .. }
            | Error::BodyTooLarge { response: r, .. } => Some(r),
            _ => None,
        }
    }

    /// The response metadata, when a response arrived.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Api { meta, .. } => Some(meta),
            _ => self.raw_response().map(|r| &r.meta),
        }
    }
}

/// How much of a server-controlled value `Debug` and `Display` show.
const SHOWN: usize = 2048;

/// At most the first `limit` bytes of a text, ending on a character boundary, and whether
/// anything was cut.
fn cut_at(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// The first `SHOWN` bytes of a text, and whether it was cut.
fn cut(text: &str) -> (&str, bool) {
    cut_at(text, SHOWN)
}

/// `Debug` of a value, cut after `SHOWN` bytes of output.
struct Capped<'a, T: ?Sized>(&'a T);

/// Passes text on until the budget is spent.
struct Budget<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
}

impl fmt::Write for Budget<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let (shown, cut) = cut_at(s, self.left);
        self.out.write_str(shown)?;
        if !cut {
            self.left -= s.len();
            return Ok(());
        }
        self.left = 0;
        self.cut = true;
        // Stops the value's `Debug` early; `Capped` knows this is not a real failure.
        Err(fmt::Error)
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Debug for Capped<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut budget = Budget {
            out: f,
            left: SHOWN,
            cut: false,
        };
        match fmt::write(&mut budget, format_args!("{:?}", self.0)) {
            Err(_) if budget.cut => f.write_str("…(cut)"),
            other => other,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => f.debug_tuple("Validation").field(e).finish(),
            Error::Api { error, meta } => f
                .debug_struct("Api")
                .field("error", &Capped(error))
                .field("meta", meta)
                .finish(),
            Error::UnexpectedStatus(r) => f.debug_tuple("UnexpectedStatus").field(r).finish(),
            Error::Decode { response, message } => f
                .debug_struct("Decode")
                .field("response", response)
                .field("message", &Capped(message.as_str()))
                .finish(),
            Error::BodyTooLarge { response, limit } => f
                .debug_struct("BodyTooLarge")
                .field("response", response)
                .field("limit", limit)
                .finish(),
            Error::Timeout => f.write_str("Timeout"),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::InvalidRequest(e) => f.debug_tuple("InvalidRequest").field(e).finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => write!(f, "invalid request: {e}"),
            Error::Api { error, meta } => {
                write!(
                    f,
                    "API error (HTTP {}): {:?}",
                    meta.status.as_u16(),
                    Capped(error)
                )
            }
            Error::UnexpectedStatus(r) => {
                write!(f, "undocumented HTTP status {}", r.status().as_u16())?;
                if r.status().is_redirection() {
                    if let Some(location) = r.header("location") {
                        write!(f, " (a redirect to {location}, not followed)")?;
                    }
                }
                Ok(())
            }
            Error::Decode { response, message } => {
                let (shown, cut) = cut(message);
                write!(
                    f,
                    "HTTP {} body is not the documented JSON: {shown}{}",
                    response.status().as_u16(),
                    if cut { "…(cut)" } else { "" }
                )
            }
            Error::BodyTooLarge { response, limit } => write!(
                f,
                "HTTP {} body is longer than the {limit}-byte limit",
                response.status().as_u16()
            ),
            Error::Timeout => f.write_str("the request timed out"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(e) => write!(f, "invalid request: {e}"),
        }
    }
}

impl<E: fmt::Debug> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Validation(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::InvalidRequest(e) => Some(e),
            _ => None,
        }
    }
}

/// A request that could not be sent or whose response could not be read.
///
/// `Display` gives the whole cause chain ("connection refused", "dns error", "invalid peer
/// certificate", "connection reset"); the URL it names has no query string.
pub struct TransportError {
    inner: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(mut inner: reqwest::Error) -> Self {
        if let Some(url) = inner.url_mut() {
            url.set_query(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
        }
        TransportError { inner }
    }

    /// The connection could not be made, so nothing reached the server.
    pub fn is_connect(&self) -> bool {
        self.inner.is_connect()
    }

    /// The underlying `reqwest` error.
    pub fn inner(&self) -> &reqwest::Error {
        &self.inner
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner)?;
        let mut cause = self.inner.source();
        let mut last = String::new();
        while let Some(error) = cause {
            let text = error.to_string();
            // hyper and the OS often repeat the same words one level down.
            if text != last {
                write!(f, ": {text}")?;
            }
            last = text;
            cause = error.source();
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TransportError")
            .field(&format_args!("{self}"))
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.inner)
    }
}

/// Why a request could not be built. Nothing was sent; no variant holds the offending value
/// (it may be a customer's data or a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// A path parameter whose value would change the shape of the path.
    PathParameter {
        name: &'static str,
        problem: PathProblem,
    },
    /// `RequestOptions::idempotency_key` is empty or only whitespace: it would protect
    /// nothing.
    BlankIdempotencyKey,
    /// A header value HTTP cannot carry (a line break, a non-visible character).
    HeaderValue { name: &'static str },
    /// The base URL and path do not form a URL.
    Url { reason: String },
    /// The body could not be encoded.
    Body { reason: String },
    /// A parameter's value could not be written as text.
    Parameter { name: &'static str, reason: String },
}

/// What is wrong with a path parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathProblem {
    /// An empty value would remove the segment (`/links/` instead of `/links/{id}`).
    Empty,
    /// `.` or `..` would be read as "this folder" or "the parent folder".
    DotSegment,
    /// `/`, `\`, `?`, `#` or `%`: a separator, or an escape that a server or proxy may decode
    /// into one.
    Reserved(char),
    /// A control character.
    Control,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRequest::PathParameter { name, problem } => {
                write!(f, "path parameter `{name}` ")?;
                match problem {
                    PathProblem::Empty => f.write_str("is empty"),
                    PathProblem::DotSegment => f.write_str("is `.` or `..`"),
                    PathProblem::Reserved(c) => write!(f, "contains `{c}`"),
                    PathProblem::Control => f.write_str("contains a control character"),
                }
            }
            InvalidRequest::BlankIdempotencyKey => f.write_str("the idempotency key is blank"),
            InvalidRequest::HeaderValue { name } => {
                write!(f, "`{name}` is not a valid header value")
            }
            InvalidRequest::Url { reason } => write!(f, "bad URL: {reason}"),
            InvalidRequest::Body { reason } => write!(f, "the body cannot be encoded: {reason}"),
            InvalidRequest::Parameter { name, reason } => {
                write!(f, "parameter `{name}` cannot be written as text: {reason}")
            }
        }
    }
}

impl StdError for InvalidRequest {}

//! The HTTP layer generated clients share: sending, retrying, reading response metadata and
//! sorting responses into success, documented errors and everything else.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::secret::Secret;
use super::validate::ValidationError;

/// When a request is sent again. The default is conservative: at most two retries, and only
/// where a retry cannot do the work twice:
/// - `429 Too Many Requests`: the request was refused, so it is sent again after the server's
///   `x-ratelimit-retry` (or `Retry-After`) seconds, or after backoff when there is no hint;
///   a hint longer than `max_rate_limit_wait` is not waited for.
/// - a connection that failed before the request was sent;
/// - an unknown outcome (a timeout after sending, a 500/502/503/504) only when the request is
///   idempotent: by method (GET, HEAD, PUT, DELETE, OPTIONS), or because it carries an
///   idempotency key, which every attempt then repeats.
///
/// Backoff is exponential from `base_delay`, capped at `max_delay`, with full jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_rate_limit_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `attempt` (0-based): full jitter over the capped
    /// exponential delay.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// A random number for jitter and idempotency keys, from the standard library's per-process
/// random hash keys (not for cryptography).
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Settings shared by every request of a client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The whole-request timeout, unless a request sets its own.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// A `reqwest::Client` to reuse (connection pool, proxy settings); one is built otherwise.
    pub http: Option<reqwest::Client>,
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            http: None,
            user_agent: concat!("paylinks/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// Per-request settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Sent as `x-request-id` where the operation takes it; the server echoes it back.
    pub request_id: Option<String>,
    /// Sent as `x-idempotency-key` where the operation takes it. The same key on a repeated
    /// request returns the first response instead of doing the work again, so requests with
    /// a key may be retried after an unknown outcome.
    pub idempotency_key: Option<String>,
    /// Overrides the client's timeout for this request.
    pub timeout: Option<Duration>,
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    #[must_use]
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// A fresh random key in UUID v4 form. Keep it to repeat the request later.
    #[must_use]
    pub fn with_new_idempotency_key(self) -> Self {
        let (a, b) = (random_u64(), random_u64());
        let key = format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            (b >> 48) & 0x3fff | 0x8000,
            b & 0xffff_ffff_ffff
        );
        self.with_idempotency_key(key)
    }

    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

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
    fn new(status: StatusCode, headers: HeaderMap, retries: u32) -> Self {
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

/// A response kept as it came: status, headers and raw body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub meta: ResponseMeta,
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
}

/// An operation's documented error responses, chosen by status code.
pub trait ErrorResponses: Sized {
    /// Decodes `body` as the schema documented for `status`; `None` when the status is not
    /// documented as an error.
    fn decode(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// Everything that can go wrong with a call. No variant carries a credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a documented rule; nothing was sent.
    Validation(ValidationError),
    /// A documented error status, with its body decoded into that status's schema.
    Api { error: E, meta: Box<ResponseMeta> },
    /// A status the spec does not document for this operation, kept as it came.
    UnexpectedStatus(Box<RawResponse>),
    /// A documented status whose body is not the documented JSON (for example an HTML page
    /// from a proxy), kept as it came.
    Decode {
        response: Box<RawResponse>,
        message: String,
    },
    /// The request or its response took longer than the timeout.
    Timeout,
    /// The request could not be sent or its response not read (DNS, TLS, connection).
    Transport(reqwest::Error),
    /// The request could not be built (a header value that HTTP cannot carry).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { meta, .. } => Some(meta.status),
            Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => Some(r.status()),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => write!(f, "invalid request: {e}"),
            Error::Api { error, meta } => {
                write!(f, "API error (HTTP {}): {error:?}", meta.status.as_u16())
            }
            Error::UnexpectedStatus(r) => {
                write!(f, "undocumented HTTP status {}", r.status().as_u16())
            }
            Error::Decode { response, message } => {
                write!(
                    f,
                    "HTTP {} body is not the documented JSON: {message}",
                    response.status().as_u16()
                )
            }
            Error::Timeout => f.write_str("the request timed out"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {}

/// How to authenticate: headers added to every request, marked sensitive.
#[derive(Clone, Default)]
pub struct Auth {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Auth {
    /// An API key sent in a header.
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, BuildError> {
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            BuildError(format!(
                "the `{name}` credential is not a valid header value"
            ))
        })?;
        value.set_sensitive(true);
        self.headers.push((HeaderName::from_static(name), value));
        Ok(self)
    }

    /// HTTP Basic authentication.
    pub fn basic(mut self, username: &str, password: &Secret) -> Result<Self, BuildError> {
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose()));
        let mut value = HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
            BuildError("the Basic credentials are not a valid header value".to_owned())
        })?;
        value.set_sensitive(true);
        self.headers.push((AUTHORIZATION, value));
        Ok(self)
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.headers
                    .iter()
                    .map(|(name, _)| format!("{name}: <redacted>")),
            )
            .finish()
    }
}

/// A client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// One request as a generated method describes it.
#[derive(Debug)]
pub struct Call<'a> {
    pub method: Method,
    /// The path with its parameters already encoded (see [`encode_path_segment`]).
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// Header parameters, including pinned ones such as `x-api-version`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<RequestBody>,
    pub options: &'a RequestOptions,
    /// Whether the operation takes `x-request-id` / `x-idempotency-key` headers.
    pub takes_request_id: bool,
    pub takes_idempotency_key: bool,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum RequestBody {
    /// Serialized JSON (see [`json_body`]).
    Json(Vec<u8>),
    /// A `multipart/form-data` form, rebuilt for every attempt.
    Multipart(Vec<(&'static str, super::multipart::PartValue)>),
}

/// The sending half of a generated client.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    config: ClientConfig,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.config.timeout)
            .field("retry", &self.config.retry)
            .finish()
    }
}

enum Attempt<T, E> {
    Done(Result<ApiResponse<T>, Error<E>>),
    /// Worth another try, after the wait (if any) the server asked for.
    Retry {
        error: Error<E>,
        wait: Option<Duration>,
        outcome_known: bool,
    },
}

impl Transport {
    pub fn new(base_url: &str, auth: Auth, config: ClientConfig) -> Result<Self, BuildError> {
        let http = match &config.http {
            Some(http) => http.clone(),
            None => reqwest::Client::builder()
                .user_agent(config.user_agent.clone())
                .build()
                .map_err(|e| BuildError(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Transport {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            auth,
            config,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `call`, retrying as the policy allows, and sorts the response.
    pub async fn execute<T, E>(&self, call: Call<'_>) -> Result<ApiResponse<T>, Error<E>>
    where
        T: DeserializeOwned,
        E: ErrorResponses,
    {
        // Fail before sending anything if the request cannot be built.
        self.prepare(&call)?;
        let idempotent = matches!(
            call.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        ) || (call.takes_idempotency_key
            && call.options.idempotency_key.is_some());
        let policy = &self.config.retry;
        let mut retries = 0;
        loop {
            // Built afresh each time: a multipart form cannot be cloned.
            let attempt = self.attempt(self.prepare(&call)?, retries).await;
            match attempt {
                Attempt::Done(result) => return result,
                Attempt::Retry {
                    error,
                    wait,
                    outcome_known,
                } => {
                    let allowed = outcome_known || idempotent;
                    if retries >= policy.max_retries || !allowed {
                        return Err(error);
                    }
                    let wait = match wait {
                        Some(w) if w > policy.max_rate_limit_wait => return Err(error),
                        Some(w) => w,
                        None => policy.backoff(retries),
                    };
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
            }
        }
    }

    /// The request `call` describes, as it would go on the wire (also for inspection and
    /// benchmarks).
    pub fn prepare<E>(&self, call: &Call<'_>) -> Result<reqwest::Request, Error<E>> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base_url, call.path))
            .map_err(|e| Error::InvalidRequest(format!("bad URL: {e}")))?;
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &call.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.auth.headers {
            headers.insert(name.clone(), value.clone());
        }
        let mut add = |name: &'static str, value: &str| -> Result<(), Error<E>> {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest(format!("`{name}` is not a valid header value"))
            })?;
            headers.insert(HeaderName::from_static(name), value);
            Ok(())
        };
        for (name, value) in &call.headers {
            add(name, value)?;
        }
        if let (true, Some(id)) = (call.takes_request_id, &call.options.request_id) {
            add("x-request-id", id)?;
        }
        if let (true, Some(key)) = (call.takes_idempotency_key, &call.options.idempotency_key) {
            add("x-idempotency-key", key)?;
        }
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let mut builder = self
            .http
            .request(call.method.clone(), url)
            .headers(headers)
            .timeout(call.options.timeout.unwrap_or(self.config.timeout));
        match &call.body {
            Some(RequestBody::Json(body)) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            Some(RequestBody::Multipart(parts)) => {
                let form = super::multipart::form(parts).map_err(Error::InvalidRequest)?;
                builder = builder.multipart(form);
            }
            None => {}
        }
        builder
            .build()
            .map_err(|e| Error::InvalidRequest(e.to_string()))
    }

    async fn attempt<T, E>(&self, request: reqwest::Request, retries: u32) -> Attempt<T, E>
    where
        T: DeserializeOwned,
        E: ErrorResponses,
    {
        let response = match self.http.execute(request).await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry {
                    error: Error::Timeout,
                    wait: None,
                    outcome_known: false,
                }
            }
            Err(e) if e.is_connect() => {
                // Nothing reached the server: always safe to send again.
                return Attempt::Retry {
                    error: Error::Transport(e),
                    wait: None,
                    outcome_known: true,
                };
            }
            Err(e) => return Attempt::Done(Err(Error::Transport(e))),
        };
        let status = response.status();
        let meta = ResponseMeta::new(status, response.headers().clone(), retries);
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) if e.is_timeout() => {
                return Attempt::Retry {
                    error: Error::Timeout,
                    wait: None,
                    outcome_known: false,
                }
            }
            Err(e) => return Attempt::Done(Err(Error::Transport(e))),
        };
        let result = sort_response::<T, E>(meta, body);
        match status.as_u16() {
            429 => {
                let wait = match &result {
                    Err(Error::Api { meta, .. }) => meta.rate_limit.retry_after_secs,
                    Err(Error::UnexpectedStatus(r) | Error::Decode { response: r, .. }) => {
                        r.meta.rate_limit.retry_after_secs
                    }
                    _ => None,
                };
                match result {
                    Err(error) => Attempt::Retry {
                        error,
                        wait: wait.map(Duration::from_secs),
                        outcome_known: true,
                    },
                    ok => Attempt::Done(ok),
                }
            }
            500 | 502 | 503 | 504 => match result {
                Err(error) => Attempt::Retry {
                    error,
                    wait: None,
                    outcome_known: false,
                },
                ok => Attempt::Done(ok),
            },
            _ => Attempt::Done(result),
        }
    }
}

/// Success (2xx) decodes as `T`; a documented error status decodes as its schema; anything
/// else is kept raw.
fn sort_response<T: DeserializeOwned, E: ErrorResponses>(
    meta: ResponseMeta,
    body: Vec<u8>,
) -> Result<ApiResponse<T>, Error<E>> {
    let status = meta.status;
    if status.is_success() {
        let parsed = if body.is_empty() {
            serde_json::from_slice(b"null")
        } else {
            serde_json::from_slice(&body)
        };
        return match parsed {
            Ok(body) => Ok(ApiResponse { body, meta }),
            Err(e) => Err(Error::Decode {
                message: e.to_string(),
                response: Box::new(RawResponse { meta, body }),
            }),
        };
    }
    match E::decode(status.as_u16(), &body) {
        Some(Ok(error)) => Err(Error::Api {
            error,
            meta: Box::new(meta),
        }),
        Some(Err(e)) => Err(Error::Decode {
            message: e.to_string(),
            response: Box::new(RawResponse { meta, body }),
        }),
        None => Err(Error::UnexpectedStatus(Box::new(RawResponse {
            meta,
            body,
        }))),
    }
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
pub fn encode_path_segment(value: impl AsRef<str>) -> String {
    let value = value.as_ref();
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Serializes a JSON request body.
pub fn json_body<T: serde::Serialize, E>(body: &T) -> Result<RequestBody, Error<E>> {
    serde_json::to_vec(body)
        .map(RequestBody::Json)
        .map_err(|e| Error::InvalidRequest(format!("the body does not serialize: {e}")))
}

/// A `multipart/form-data` request body.
pub fn multipart_body<T: super::multipart::MultipartBody, E>(
    body: &T,
) -> Result<RequestBody, Error<E>> {
    Ok(RequestBody::Multipart(body.parts()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode_path_segment("plink_Ab-1.~"), "plink_Ab-1.~");
        assert_eq!(encode_path_segment("a/b c?d#e%"), "a%2Fb%20c%3Fd%23e%25");
        assert_eq!(encode_path_segment("₹"), "%E2%82%B9");
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy::default();
        for attempt in 0..10 {
            assert!(policy.backoff(attempt) <= policy.max_delay);
        }
        assert!(policy.backoff(0) <= policy.base_delay);
    }

    #[test]
    fn idempotency_keys_look_like_uuid_v4_and_differ() {
        let a = RequestOptions::new()
            .with_new_idempotency_key()
            .idempotency_key
            .unwrap();
        let b = RequestOptions::new()
            .with_new_idempotency_key()
            .idempotency_key
            .unwrap();
        assert_ne!(a, b);
        assert!(super::super::validate::check::is_uuid(&a), "{a}");
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn secrets_are_redacted() {
        let auth = Auth::default()
            .header("x-client-secret", "s3cr3t")
            .unwrap()
            .basic("key", &Secret::new("pa55"))
            .unwrap();
        let shown = format!("{auth:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("pa55") && !shown.contains("cGE1NQ"),
            "{shown}"
        );
        assert_eq!(
            format!("{:?} {}", Secret::new("x"), Secret::new("x")),
            "<redacted> <redacted>"
        );
    }
}

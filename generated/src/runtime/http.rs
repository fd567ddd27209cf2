//! The HTTP layer generated clients share: sending, retrying, reading response metadata and
//! sorting responses into success, documented errors and everything else.
//!
//! What it guarantees, whatever the server answers:
//! - **No redirects.** A 3xx is returned as [`Error::UnexpectedStatus`] with its `Location`
//!   kept; credentials and request bodies never go to another URL.
//! - **One deadline per call**, covering every attempt and every wait between attempts.
//! - **Bounded bodies**: a body past [`ClientConfig::max_response_body`] is
//!   [`Error::BodyTooLarge`], read no further.
//! - **Nothing sent twice by accident**: see [`RetryPolicy`].
//! - **Paths keep their shape**: a path parameter that is empty, `.`, `..`, or holds `/`,
//!   `\`, `?`, `#`, `%` or a control character is refused before sending.

mod error;
mod response;
mod strict;

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

pub use error::{Error, InvalidRequest, PathProblem, TransportError};
pub use response::{decode_json, ApiResponse, RateLimit, RawResponse, ResponseMeta, Shape};

use super::secret::Secret;

/// When a request is sent again. The default is conservative: at most two retries, all
/// within the call's deadline, and only where a retry cannot do the work twice:
///
/// | outcome | GET, HEAD, PUT, DELETE, OPTIONS | POST/PATCH with an honoured idempotency key | any other POST/PATCH |
/// |---|---|---|---|
/// | connection refused or failed before sending | retried | retried | retried |
/// | `429 Too Many Requests` | retried | retried | retried |
/// | no response (timeout, reset after sending) | retried | retried | not retried |
/// | 502, 503, 504 | retried | retried, unless the spec says the vendor replays it | not retried |
/// | 500 | retried | not retried (the vendor saves and replays it) | not retried |
/// | anything else | not retried | not retried | not retried |
///
/// A 429 is retried after the server's `x-ratelimit-retry` (or `Retry-After`) seconds, or
/// after backoff when there is no hint; a hint longer than `max_rate_limit_wait`, or past the
/// deadline, is not waited for. An idempotency key counts only when it is not blank, the
/// operation takes one, and the spec says the vendor honours it for the client's credentials
/// (`x-paylinks-idempotency`; Cashfree honours it only with `x-client-id` +
/// `x-client-secret`). Every attempt repeats the same key.
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
        Duration::from_nanos(random_u64() % nanos.saturating_add(1))
    }
}

/// A random number for backoff jitter, from the standard library's per-process random hash
/// keys (not for cryptography; idempotency keys come from `uuid`).
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// The default cap on a response body: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 4 << 20;

/// How many bytes of an over-long body [`Error::BodyTooLarge`] keeps.
const KEPT_PREFIX: usize = 16 << 10;

/// Settings shared by every request of a client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The deadline of a whole call: every attempt, and every wait between attempts, must fit
    /// in it (default 30 s). `RequestOptions::timeout` overrides it per call.
    pub timeout: Duration,
    /// A limit for one attempt (connect, send, read the response); `None` (the default)
    /// leaves only the call's deadline. With it, a stalled attempt can be given up and, where
    /// the retry rules allow, tried again within the deadline.
    pub attempt_timeout: Option<Duration>,
    pub retry: RetryPolicy,
    /// The longest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BODY`]).
    pub max_response_body: usize,
    /// Settings for the underlying `reqwest` client (proxy, root certificates, connection
    /// pool). Whatever it sets, the client is then told never to follow redirects.
    pub http: Option<HttpSetup>,
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(30),
            attempt_timeout: None,
            retry: RetryPolicy::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            http: None,
            user_agent: concat!("paylinks/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl ClientConfig {
    pub fn new() -> Self {
        Self::default()
    }

    /// The deadline of a whole call, retries included.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A limit for each attempt.
    #[must_use]
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    #[must_use]
    pub fn with_max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Adjusts the `reqwest::ClientBuilder` before the client is built, e.g.
    /// `|b| b.proxy(proxy).pool_max_idle_per_host(4)`. A redirect policy set here is
    /// replaced: redirects are never followed.
    #[must_use]
    pub fn with_http(
        mut self,
        setup: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.http = Some(HttpSetup(Arc::new(setup)));
        self
    }

    #[must_use]
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }
}

/// A function that adjusts the `reqwest::ClientBuilder` (see [`ClientConfig::with_http`]).
#[derive(Clone)]
pub struct HttpSetup(Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>);

impl fmt::Debug for HttpSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpSetup(..)")
    }
}

/// Per-request settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Sent as `x-request-id` where the operation takes it; the server echoes it back.
    pub request_id: Option<String>,
    /// Sent as `x-idempotency-key` where the operation takes it. The vendor saves the first
    /// response for a key and returns it for any repeat, so a request with a key the vendor
    /// honours may be retried after an unknown outcome (see [`RetryPolicy`]). A blank key is
    /// refused with [`InvalidRequest::BlankIdempotencyKey`].
    pub idempotency_key: Option<String>,
    /// Overrides the client's deadline for this call (every attempt and wait included).
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

    /// A fresh random UUID v4 as the idempotency key. Keep it to repeat the request later.
    #[must_use]
    pub fn with_new_idempotency_key(self) -> Self {
        self.with_idempotency_key(uuid::Uuid::new_v4().to_string())
    }

    /// The deadline of this call, retries included.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// How to authenticate: headers added to every request, marked sensitive, and the name of
/// the security alternative they come from.
#[derive(Clone)]
pub struct Auth {
    alternative: &'static str,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// API keys sent as query parameters.
    query: Vec<(&'static str, Secret)>,
    /// API keys sent as cookies, as one `cookie` header (`a=1; b=2`).
    cookie: Option<HeaderValue>,
}

impl Auth {
    /// Credentials of the security alternative `alternative` (a `Credentials` variant name).
    pub fn new(alternative: &'static str) -> Self {
        Auth {
            alternative,
            headers: Vec::new(),
            query: Vec::new(),
            cookie: None,
        }
    }

    /// No credentials.
    pub fn anonymous() -> Self {
        Auth::new("Anonymous")
    }

    /// The security alternative these credentials belong to.
    pub fn alternative(&self) -> &'static str {
        self.alternative
    }

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

    /// An API key sent as a query parameter. The URL then holds a secret: the client never
    /// follows redirects, and drops the query from every URL its errors show.
    pub fn query(mut self, name: &'static str, value: &Secret) -> Self {
        self.query.push((name, value.clone()));
        self
    }

    /// An API key sent in a cookie. Only cookie octets can be sent (RFC 6265: no spaces,
    /// quotes, commas, semicolons, backslashes or controls).
    pub fn cookie(mut self, name: &'static str, value: &str) -> Result<Self, BuildError> {
        let octets = value
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E));
        let refused = || {
            BuildError(format!(
                "the `{name}` credential cannot be sent in a cookie (only letters, digits and RFC 6265 cookie punctuation can)"
            ))
        };
        if !octets {
            return Err(refused());
        }
        let pair = format!("{name}={value}");
        let joined = match &self.cookie {
            Some(earlier) => format!("{}; {pair}", earlier.to_str().map_err(|_| refused())?),
            None => pair,
        };
        let mut header = HeaderValue::from_str(&joined).map_err(|_| refused())?;
        header.set_sensitive(true);
        self.cookie = Some(header);
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
        f.debug_struct("Auth")
            .field("alternative", &self.alternative)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| format!("{name}: <redacted>"))
                    .collect::<Vec<_>>(),
            )
            .field(
                "query",
                &self
                    .query
                    .iter()
                    .map(|(name, _)| format!("{name}=<redacted>"))
                    .collect::<Vec<_>>(),
            )
            .field("cookie", &self.cookie.as_ref().map(|_| "<redacted>"))
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

/// An operation's documented error responses, chosen by status code.
pub trait ErrorResponses: Sized {
    /// Decodes `body` as the schema documented for `status`; `None` when the status is not
    /// documented as an error.
    fn decode(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// What the spec says about an operation's idempotency key (`x-paylinks-idempotency`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idempotency {
    /// The security alternatives (`Credentials` variant names) under which the vendor honours
    /// the key; `None`: all of them.
    pub honoured_by: Option<&'static [&'static str]>,
    /// Statuses the vendor saves and replays for a repeated key, beyond 500 (which is never
    /// retried with a key).
    pub replayed: &'static [u16],
}

/// One request as a generated method describes it.
#[derive(Debug)]
pub struct Call<'a> {
    pub method: Method,
    /// The path with its parameters already checked and encoded (see [`path_segment`]).
    pub path: String,
    /// Query pairs; names are owned for objects written as pairs (`filter[status]`).
    pub query: Vec<(std::borrow::Cow<'static, str>, String)>,
    /// Header parameters, including pinned ones such as `x-api-version`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<RequestBody>,
    pub options: &'a RequestOptions,
    /// Whether the operation takes an `x-request-id` header.
    pub takes_request_id: bool,
    /// Whether the operation takes an `x-idempotency-key` header, and what the vendor does
    /// with it.
    pub idempotency: Option<Idempotency>,
    /// The documented shape of the success body.
    pub response_shape: Shape,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum RequestBody {
    /// Serialized JSON (see [`json_body`]).
    Json(Vec<u8>),
    /// A `multipart/form-data` form, rebuilt for every attempt.
    Multipart(Vec<(&'static str, super::multipart::PartValue)>),
    /// An `application/x-www-form-urlencoded` body, encoded (see [`form_body`]).
    Form(String),
    /// Text or bytes sent as they are, with their media type.
    Raw {
        content_type: &'static str,
        body: Vec<u8>,
    },
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
            .field("base_url", &redacted(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.config.timeout)
            .field("attempt_timeout", &self.config.attempt_timeout)
            .field("retry", &self.config.retry)
            .field("max_response_body", &self.config.max_response_body)
            .finish()
    }
}

/// Why an attempt failed, for the retry rules of [`RetryPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// The connection failed before anything was sent.
    NotSent,
    /// 429: the server refused the request.
    RateLimited,
    /// Sent, but no response came (timeout, reset).
    NoResponse,
    /// A 5xx the retry rules consider.
    Server(u16),
}

enum Attempt<T, E> {
    Done(Result<ApiResponse<T>, Error<E>>),
    /// Worth another try, after the wait (if any) the server asked for.
    Retry {
        error: Error<E>,
        wait: Option<Duration>,
        failure: Failure,
    },
}

/// A URL with any password in it replaced.
fn redacted(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("<redacted>"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "<not a URL>".to_owned(),
    }
}

/// A base URL requests can go to: `http` or `https`, with a host, without a query or
/// fragment that the path would land in.
fn check_base_url(base_url: &str) -> Result<(), BuildError> {
    let fail = |why: &str| Err(BuildError(format!("the base URL {why}")));
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return fail("is not an absolute URL");
    };
    if !matches!(url.scheme(), "http" | "https") {
        return fail("must start with http:// or https://");
    }
    if url.host_str().is_none_or(str::is_empty)
        || base_url
            .split("://")
            .nth(1)
            .is_some_and(|rest| rest.starts_with('/'))
    {
        return fail("has no host");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return fail("must not have a query or a fragment");
    }
    Ok(())
}

impl Transport {
    pub fn new(base_url: &str, auth: Auth, config: ClientConfig) -> Result<Self, BuildError> {
        check_base_url(base_url)?;
        let mut builder = reqwest::Client::builder().user_agent(config.user_agent.clone());
        if let Some(HttpSetup(setup)) = &config.http {
            builder = setup(builder);
        }
        // Last, so that no setup can turn it back on: a redirect would carry the credential
        // headers and the body to wherever `Location` points.
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError(format!("cannot build the HTTP client: {e}")))?;
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

    /// Whether a repeat of `call` cannot do its work twice, because of its method or its key.
    fn protection(&self, call: &Call<'_>) -> (bool, Option<&'static [u16]>) {
        let by_method = matches!(
            call.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let keyed = match (&call.idempotency, &call.options.idempotency_key) {
            (Some(idempotency), Some(_)) => idempotency
                .honoured_by
                .is_none_or(|alternatives| alternatives.contains(&self.auth.alternative))
                .then_some(idempotency.replayed),
            _ => None,
        };
        (by_method, keyed)
    }

    /// Sends `call`, retrying as the policy allows within the call's deadline, and sorts the
    /// response.
    pub async fn execute<T, E>(&self, call: Call<'_>) -> Result<ApiResponse<T>, Error<E>>
    where
        T: DeserializeOwned,
        E: ErrorResponses,
    {
        let deadline = later(
            Instant::now(),
            call.options.timeout.unwrap_or(self.config.timeout),
        );
        let (by_method, keyed) = self.protection(&call);
        let policy = &self.config.retry;
        let mut retries = 0;
        loop {
            // Built afresh for each attempt (a multipart form cannot be cloned); a request
            // that cannot be built fails here, before anything is sent.
            let request = self.prepare(&call)?;
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Timeout);
            }
            let attempt_end = match self.config.attempt_timeout {
                Some(limit) => deadline.min(later(now, limit)),
                None => deadline,
            };
            let attempt = tokio::time::timeout_at(
                attempt_end,
                self.attempt(request, retries, call.response_shape),
            )
            .await;
            let (error, wait, failure) = match attempt {
                Ok(Attempt::Done(result)) => return result,
                Ok(Attempt::Retry {
                    error,
                    wait,
                    failure,
                }) => (error, wait, failure),
                Err(_) if Instant::now() >= deadline => return Err(Error::Timeout),
                Err(_) => (Error::Timeout, None, Failure::NoResponse),
            };
            let allowed = match failure {
                Failure::NotSent | Failure::RateLimited => true,
                Failure::NoResponse => by_method || keyed.is_some(),
                Failure::Server(status) => {
                    by_method
                        || keyed.is_some_and(|replayed| {
                            matches!(status, 502..=504) && !replayed.contains(&status)
                        })
                }
            };
            if retries >= policy.max_retries || !allowed {
                return Err(error);
            }
            let wait = match wait {
                Some(w) if w > policy.max_rate_limit_wait => return Err(error),
                Some(w) => w,
                None => policy.backoff(retries),
            };
            if later(Instant::now(), wait) >= deadline {
                return Err(error);
            }
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// The request `call` describes, as it would go on the wire (also for inspection and
    /// benchmarks). Its URL holds any API key the credentials send in the query: do not
    /// log it.
    pub fn prepare<E>(&self, call: &Call<'_>) -> Result<reqwest::Request, Error<E>> {
        let invalid = Error::InvalidRequest;
        let mut url =
            reqwest::Url::parse(&format!("{}{}", self.base_url, call.path)).map_err(|e| {
                invalid(InvalidRequest::Url {
                    reason: e.to_string(),
                })
            })?;
        if !call.query.is_empty() || !self.auth.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &call.query {
                pairs.append_pair(name, value);
            }
            for (name, value) in &self.auth.query {
                pairs.append_pair(name, value.expose());
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.auth.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(cookie) = &self.auth.cookie {
            headers.insert(reqwest::header::COOKIE, cookie.clone());
        }
        let mut add = |name: &'static str, value: &str| -> Result<(), Error<E>> {
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(InvalidRequest::HeaderValue { name }))?;
            headers.insert(HeaderName::from_static(name), value);
            Ok(())
        };
        for (name, value) in &call.headers {
            add(name, value)?;
        }
        if let (true, Some(id)) = (call.takes_request_id, &call.options.request_id) {
            add("x-request-id", id)?;
        }
        if let (Some(_), Some(key)) = (&call.idempotency, &call.options.idempotency_key) {
            if key.trim().is_empty() {
                return Err(invalid(InvalidRequest::BlankIdempotencyKey));
            }
            add("x-idempotency-key", key)?;
        }
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let mut builder = self.http.request(call.method.clone(), url).headers(headers);
        match &call.body {
            Some(RequestBody::Json(body)) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            Some(RequestBody::Multipart(parts)) => {
                let form = super::multipart::form(parts)
                    .map_err(|reason| invalid(InvalidRequest::Body { reason }))?;
                builder = builder.multipart(form);
            }
            Some(RequestBody::Form(body)) => {
                builder = builder
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body.clone());
            }
            Some(RequestBody::Raw { content_type, body }) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, *content_type)
                    .body(body.clone());
            }
            None => {}
        }
        builder.build().map_err(|e| {
            invalid(InvalidRequest::Url {
                reason: TransportError::new(e).to_string(),
            })
        })
    }

    async fn attempt<T, E>(
        &self,
        request: reqwest::Request,
        retries: u32,
        shape: Shape,
    ) -> Attempt<T, E>
    where
        T: DeserializeOwned,
        E: ErrorResponses,
    {
        let no_response = |error: Error<E>| Attempt::Retry {
            error,
            wait: None,
            failure: Failure::NoResponse,
        };
        let mut response = match self.http.execute(request).await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return no_response(Error::Timeout),
            // Nothing reached the server: always safe to send again.
            Err(e) if e.is_connect() => {
                return Attempt::Retry {
                    error: Error::Transport(TransportError::new(e)),
                    wait: None,
                    failure: Failure::NotSent,
                };
            }
            Err(e) => return no_response(Error::Transport(TransportError::new(e))),
        };
        let status = response.status();
        let meta = ResponseMeta::new(status, response.headers().clone(), retries);
        let limit = self.config.max_response_body;
        let body = match read_body(&mut response, limit).await {
            Ok(Body::Complete(body)) => body,
            Ok(Body::TooLarge(prefix)) => {
                return Attempt::Done(Err(Error::BodyTooLarge {
                    response: Box::new(RawResponse { meta, body: prefix }),
                    limit,
                }))
            }
            Err(e) if e.is_timeout() => return no_response(Error::Timeout),
            Err(e) => return no_response(Error::Transport(TransportError::new(e))),
        };
        let result = sort_response::<T, E>(meta, body, shape);
        let failure = match status.as_u16() {
            429 => Failure::RateLimited,
            code @ 500..=504 => Failure::Server(code),
            _ => return Attempt::Done(result),
        };
        match result {
            Err(error) => Attempt::Retry {
                wait: match failure {
                    Failure::RateLimited => error
                        .meta()
                        .and_then(|m| m.rate_limit.retry_after_secs)
                        .map(Duration::from_secs),
                    _ => None,
                },
                error,
                failure,
            },
            ok => Attempt::Done(ok),
        }
    }
}

/// `start + duration`, or a moment thirty years away when that does not fit.
fn later(start: Instant, duration: Duration) -> Instant {
    start
        .checked_add(duration)
        .or_else(|| start.checked_add(Duration::from_secs(30 * 365 * 86_400)))
        .unwrap_or(start)
}

/// How long to wait for the first bytes of a body already known to be too long.
const PREFIX_WAIT: Duration = Duration::from_millis(200);

enum Body {
    Complete(Vec<u8>),
    /// Longer than the limit: its first bytes.
    TooLarge(Vec<u8>),
}

/// Reads a body of at most `limit` bytes, chunk by chunk; stops as soon as it is known to be
/// longer.
async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Body, reqwest::Error> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n > limit as u64) {
        // Known to be too long: keep what arrives quickly, and stop there.
        let mut prefix = Vec::new();
        let _ = tokio::time::timeout(PREFIX_WAIT, async {
            while prefix.len() < KEPT_PREFIX {
                match response.chunk().await {
                    Ok(Some(chunk)) => prefix.extend_from_slice(&chunk),
                    _ => break,
                }
            }
        })
        .await;
        prefix.truncate(KEPT_PREFIX);
        return Ok(Body::TooLarge(prefix));
    }
    let mut body = Vec::with_capacity(declared.map_or(0, |n| n as usize));
    while let Some(chunk) = response.chunk().await? {
        if body.len().saturating_add(chunk.len()) > limit {
            let room = KEPT_PREFIX.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            body.truncate(KEPT_PREFIX);
            return Ok(Body::TooLarge(body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Complete(body))
}

/// Success (2xx) decodes as `T` if it has the documented shape; a documented error status
/// decodes as its schema; anything else (3xx included) is kept raw.
fn sort_response<T: DeserializeOwned, E: ErrorResponses>(
    meta: ResponseMeta,
    body: Vec<u8>,
    shape: Shape,
) -> Result<ApiResponse<T>, Error<E>> {
    let status = meta.status;
    if status.is_success() {
        return match decode_json(&body, shape) {
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

/// What may be percent-encoded in a path segment: everything but RFC 3986 unreserved
/// characters.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Checks and encodes the value of path parameter `name` as one path segment.
///
/// A value that could change the path's shape is refused, not encoded: empty, `.`, `..`,
/// or containing `/`, `\`, `?`, `#`, `%` or a control character. Percent-encoding would not
/// be enough for these: URL parsers collapse `%2E%2E` like `..`, and servers and proxies
/// commonly decode `%2F` and `%25` before routing. Everything else is percent-encoded.
///
/// The value comes as the text the request plan wrote for it (see `TextRule`), owned.
pub fn path_segment<E>(name: &'static str, value: String) -> Result<String, Error<E>> {
    let value = value.as_str();
    let problem = if value.is_empty() {
        Some(PathProblem::Empty)
    } else if value == "." || value == ".." {
        Some(PathProblem::DotSegment)
    } else if let Some(c) = value
        .chars()
        .find(|c| matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        Some(PathProblem::Reserved(c))
    } else if value.chars().any(char::is_control) {
        Some(PathProblem::Control)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::InvalidRequest(InvalidRequest::PathParameter {
            name,
            problem,
        })),
        None => Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()),
    }
}

/// Serializes a JSON request body.
pub fn json_body<T: serde::Serialize, E>(body: &T) -> Result<RequestBody, Error<E>> {
    serde_json::to_vec(body)
        .map(RequestBody::Json)
        .map_err(|e| {
            Error::InvalidRequest(InvalidRequest::Body {
                reason: e.to_string(),
            })
        })
}

/// An `application/x-www-form-urlencoded` request body: the model's properties as pairs,
/// each written in the style `styles` gives it (see [`super::form::FormStyle`]).
pub fn form_body<T: serde::Serialize, E>(
    body: &T,
    styles: &[(&str, super::form::FormStyle)],
) -> Result<RequestBody, Error<E>> {
    let invalid = |reason: String| Error::InvalidRequest(InvalidRequest::Body { reason });
    let value = serde_json::to_value(body).map_err(|e| invalid(e.to_string()))?;
    super::form::encode(&value, styles)
        .map(RequestBody::Form)
        .map_err(invalid)
}

/// The query pairs of an object (or map) parameter in its style (see
/// [`super::form::FormStyle`]): `filter[status]=paid` for `deepObject`, one pair per property
/// for `form` exploded, `name=k,v` unexploded.
pub fn query_object<T: serde::Serialize + ?Sized, E>(
    name: &'static str,
    value: &T,
    style: super::form::FormStyle,
) -> Result<Vec<(std::borrow::Cow<'static, str>, String)>, Error<E>> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(InvalidRequest::Parameter {
            name,
            reason: e.to_string(),
        })
    })?;
    Ok(super::form::pairs(name, &value, style)
        .into_iter()
        .map(|(name, value)| (std::borrow::Cow::Owned(name), value))
        .collect())
}

/// A text body, sent as it is with its media type (`text/plain`).
pub fn text_body(body: &str, content_type: &'static str) -> RequestBody {
    RequestBody::Raw {
        content_type,
        body: body.as_bytes().to_vec(),
    }
}

/// A binary body, sent as it is with its media type (`application/octet-stream`).
pub fn bytes_body(body: &[u8], content_type: &'static str) -> RequestBody {
    RequestBody::Raw {
        content_type,
        body: body.to_vec(),
    }
}

/// A `multipart/form-data` request body.
pub fn multipart_body<T: super::multipart::MultipartBody, E>(
    body: &T,
) -> Result<RequestBody, Error<E>> {
    body.parts()
        .map(RequestBody::Multipart)
        .map_err(|reason| Error::InvalidRequest(InvalidRequest::Body { reason }))
}

/// The JSON text of a parameter value that has no plainer text form (an object, a map, a
/// nested array).
pub fn json_text<T: serde::Serialize + ?Sized, E>(
    name: &'static str,
    value: &T,
) -> Result<String, Error<E>> {
    serde_json::to_string(value).map_err(|e| {
        Error::InvalidRequest(InvalidRequest::Parameter {
            name,
            reason: e.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(value: &str) -> Result<String, InvalidRequest> {
        path_segment::<()>("id", value.to_owned()).map_err(|e| match e {
            Error::InvalidRequest(e) => e,
            other => panic!("{other}"),
        })
    }

    #[test]
    fn path_segments_are_encoded_or_refused() {
        assert_eq!(segment("plink_Ab-1.~").unwrap(), "plink_Ab-1.~");
        assert_eq!(segment("a b").unwrap(), "a%20b");
        assert_eq!(segment("₹").unwrap(), "%E2%82%B9");
        assert_eq!(segment("...").unwrap(), "...");
        for (value, problem) in [
            ("", PathProblem::Empty),
            (".", PathProblem::DotSegment),
            ("..", PathProblem::DotSegment),
            ("a/b", PathProblem::Reserved('/')),
            ("a\\b", PathProblem::Reserved('\\')),
            ("a?b", PathProblem::Reserved('?')),
            ("a#b", PathProblem::Reserved('#')),
            ("%2e%2e", PathProblem::Reserved('%')),
            ("a\nb", PathProblem::Control),
        ] {
            assert_eq!(
                segment(value),
                Err(InvalidRequest::PathParameter {
                    name: "id",
                    problem
                }),
                "{value:?}"
            );
        }
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
    fn idempotency_keys_are_uuid_v4_and_differ() {
        let a = RequestOptions::new()
            .with_new_idempotency_key()
            .idempotency_key
            .unwrap();
        let b = RequestOptions::new()
            .with_new_idempotency_key()
            .idempotency_key
            .unwrap();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }

    #[test]
    fn shapes_are_checked_before_decoding() {
        #[derive(serde::Deserialize, Debug)]
        struct Link {
            #[allow(dead_code)]
            id: u64,
        }
        assert!(decode_json::<Link>(br#" {"id": 1}"#, Shape::Object).is_ok());
        let error = decode_json::<Link>(b"[1]", Shape::Object).unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a JSON object, found a JSON array"
        );
        // Whatever the documented shape, no struct is read from an array.
        assert!(decode_json::<Link>(b"[1]", Shape::Any).is_err());
        assert!(decode_json::<Vec<Link>>(br#"[{"id": 1}]"#, Shape::Array).is_ok());
        assert!(decode_json::<Vec<Link>>(b"[[1]]", Shape::Array).is_err());
        assert!(decode_json::<Option<Link>>(b"null", Shape::Any).is_ok());
        assert!(decode_json::<Link>(br#"{"id": 1} {}"#, Shape::Object).is_err());
        assert!(decode_json::<()>(b"", Shape::Any).is_ok());
        assert!(decode_json::<Vec<u8>>(b"{}", Shape::Array).is_err());
        assert!(decode_json::<Link>(b"<html>", Shape::Object).is_err());
    }

    #[test]
    fn secrets_are_redacted() {
        let auth = Auth::new("Both")
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

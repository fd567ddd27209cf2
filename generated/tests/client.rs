//! The generated clients against a scripted HTTP server on 127.0.0.1 (no other network).

#[path = "support/stub.rs"]
mod stub;

use std::time::Duration;

use paylinks::runtime::http::{ClientConfig, Error, RetryPolicy};
use serde_json::json;
use stub::{Reply, Stub};

const SECRET: &str = "cfsk_ma_test_9f8e7d6c5b4a";
const PARTNER_KEY: &str = "partner-key-0123456789";
const RAZORPAY_SECRET: &str = "EnLs21M47BllR3X8PSFtjtbd";

/// Retries off, so that a test sees exactly the response it scripted.
fn no_retries() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

/// Fast retries, for tests of the retry rules.
fn quick_retries() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    })
}

/// Asserts that no credential shows in a text.
fn assert_no_secret(text: &str) {
    for secret in [
        SECRET,
        PARTNER_KEY,
        RAZORPAY_SECRET,
        "Y2ZfaWQ",
        "cnpwX3Rlc3",
    ] {
        assert!(!text.contains(secret), "a credential leaked into: {text}");
    }
}

#[cfg(feature = "cashfree")]
mod cashfree {
    use super::*;
    use paylinks::cashfree::client::PgCreateLinkError;
    use paylinks::cashfree::{
        Client, CreateLinkRequest, Credentials, Environment, LinkCustomerDetailsEntity,
        LinkEntityLinkStatus,
    };
    use paylinks::runtime::http::RequestOptions;
    use paylinks::runtime::JsonDecimal;
    use std::time::Instant;

    fn client(stub: &Stub, config: ClientConfig) -> Client {
        Client::with_config(
            Environment::Custom(stub.url()),
            Credentials::client_id_client_secret("cf_id", SECRET),
            config,
        )
        .unwrap()
    }

    fn request() -> CreateLinkRequest {
        CreateLinkRequest::new(
            "my_link_id",
            "100.50".parse::<JsonDecimal>().unwrap(),
            "INR",
            "Payment for PlayStation 11",
            LinkCustomerDetailsEntity::new("9999999999"),
        )
    }

    fn link() -> serde_json::Value {
        json!({"cf_link_id": 1996567, "link_id": "my_link_id", "link_status": "ACTIVE", "link_amount": 100.5,
               "link_currency": "INR", "link_url": "https://payments-test.cashfree.com/links/o1tf1nvcvjhg"})
    }

    fn error(kind: &str) -> serde_json::Value {
        json!({"message": "something went wrong", "code": "request_failed", "type": kind})
    }

    #[tokio::test]
    async fn sends_exactly_the_documented_request_and_reads_the_metadata() {
        let stub = Stub::start(vec![Reply::json(200, link())
            .header("x-request-id", "req-42")
            .header("x-ratelimit-limit", "200")
            .header("x-ratelimit-remaining", "199")
            .header("x-ratelimit-retry", "0")
            .header("x-ratelimit-type", "app_id")
            .header("x-idempotency-key", "idem-1")
            .header("x-idempotency-replayed", "false")])
        .await;
        let options = RequestOptions::new()
            .with_request_id("req-42")
            .with_idempotency_key("idem-1");
        let response = client(&stub, no_retries())
            .pg_create_link_with(&request(), &options)
            .await
            .unwrap();

        let sent = &stub.requests()[0];
        assert_eq!(
            (sent.method.as_str(), sent.target.as_str()),
            ("POST", "/links")
        );
        assert_eq!(sent.header("x-api-version"), Some("2022-09-01"));
        assert_eq!(sent.header("x-client-id"), Some("cf_id"));
        assert_eq!(sent.header("x-client-secret"), Some(SECRET));
        assert_eq!(sent.header("x-request-id"), Some("req-42"));
        assert_eq!(sent.header("x-idempotency-key"), Some("idem-1"));
        assert_eq!(sent.header("content-type"), Some("application/json"));
        for absent in [
            "x-partner-apikey",
            "x-partner-merchantid",
            "x-client-signature",
            "authorization",
        ] {
            assert_eq!(sent.header(absent), None, "{absent} must not be sent");
        }
        assert_eq!(
            sent.json(),
            json!({"link_id": "my_link_id", "link_amount": 100.5, "link_currency": "INR",
                   "link_purpose": "Payment for PlayStation 11", "customer_details": {"customer_phone": "9999999999"}})
        );

        assert_eq!(
            response.body.link_status,
            Some(LinkEntityLinkStatus::Active)
        );
        assert_eq!(response.body.link_amount.unwrap().to_string(), "100.5");
        let meta = &response.meta;
        assert_eq!(meta.status.as_u16(), 200);
        assert_eq!(meta.request_id.as_deref(), Some("req-42"));
        assert_eq!(
            (
                meta.rate_limit.limit,
                meta.rate_limit.remaining,
                meta.rate_limit.retry_after_secs
            ),
            (Some(200), Some(199), Some(0))
        );
        assert_eq!(meta.rate_limit.kind.as_deref(), Some("app_id"));
        assert_eq!(meta.idempotency_replayed, Some(false));
        assert_eq!(meta.retries, 0);
    }

    #[tokio::test]
    async fn a_partner_alternative_sends_only_its_own_headers() {
        let stub = Stub::start(vec![Reply::json(200, link())]).await;
        let credentials = Credentials::client_id_partner_api_key("cf_id", PARTNER_KEY);
        let client =
            Client::with_config(Environment::Custom(stub.url()), credentials, no_retries())
                .unwrap();
        client.pg_create_link(&request()).await.unwrap();
        let sent = &stub.requests()[0];
        assert_eq!(sent.header("x-client-id"), Some("cf_id"));
        assert_eq!(sent.header("x-partner-apikey"), Some(PARTNER_KEY));
        assert_eq!(sent.header("x-client-secret"), None);
        assert_eq!(sent.header("x-partner-merchantid"), None);
    }

    #[tokio::test]
    async fn each_documented_status_decodes_into_its_own_variant() {
        let cases = [
            (400, "invalid_request_error"),
            (401, "authentication_error"),
            (404, "invalid_request_error"),
            (409, "invalid_request_error"),
            (422, "idempotency_error"),
            (429, "rate_limit_error"),
            (500, "api_error"),
        ];
        for (status, kind) in cases {
            let stub = Stub::start(vec![
                Reply::json(status, error(kind)).header("x-request-id", "r1")
            ])
            .await;
            let error = client(&stub, no_retries())
                .pg_create_link(&request())
                .await
                .unwrap_err();
            assert_no_secret(&format!("{error} {error:?}"));
            let Error::Api { error, meta } = error else {
                panic!("{status}: {error:?}")
            };
            assert_eq!(meta.status.as_u16(), status);
            assert_eq!(meta.request_id.as_deref(), Some("r1"));
            let variant_ok = match (status, &error) {
                (400, PgCreateLinkError::BadRequest(e)) => {
                    e.r#type.as_ref().map(|t| t.as_str()) == Some(kind)
                }
                (401, PgCreateLinkError::Unauthorized(e)) => e.r#type.as_deref() == Some(kind),
                (404, PgCreateLinkError::NotFound(_))
                | (409, PgCreateLinkError::Conflict(_))
                | (422, PgCreateLinkError::UnprocessableEntity(_))
                | (429, PgCreateLinkError::TooManyRequests(_))
                | (500, PgCreateLinkError::InternalServerError(_)) => true,
                _ => false,
            };
            assert!(variant_ok, "{status} decoded as {error:?}");
        }
    }

    #[tokio::test]
    async fn a_rate_limited_request_is_retried_after_the_hint() {
        let stub = Stub::start(vec![
            Reply::json(429, error("rate_limit_error")).header("x-ratelimit-retry", "1"),
            Reply::json(200, link()),
        ])
        .await;
        let started = Instant::now();
        let response = client(&stub, ClientConfig::default())
            .pg_create_link(&request())
            .await
            .unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "the hint was not honoured: {:?}",
            started.elapsed()
        );
        assert_eq!(stub.requests().len(), 2);
        assert_eq!(response.meta.retries, 1);
    }

    #[tokio::test]
    async fn an_idempotent_replay_is_reported() {
        let stub = Stub::start(vec![Reply::json(200, link())
            .header("x-idempotency-replayed", "true")
            .header("x-idempotency-key", "k")])
        .await;
        let options = RequestOptions::new().with_idempotency_key("k");
        let response = client(&stub, no_retries())
            .pg_create_link_with(&request(), &options)
            .await
            .unwrap();
        assert_eq!(response.meta.idempotency_replayed, Some(true));
        assert_eq!(response.meta.idempotency_key.as_deref(), Some("k"));
    }

    #[tokio::test]
    async fn undocumented_statuses_and_foreign_bodies_are_kept_raw() {
        let teapot = Stub::start(vec![Reply::raw(418, "text/plain", "I'm a teapot")]).await;
        match client(&teapot, no_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err()
        {
            Error::UnexpectedStatus(raw) => {
                assert_eq!(raw.status().as_u16(), 418);
                assert_eq!(raw.body_text(), "I'm a teapot");
            }
            other => panic!("{other:?}"),
        }
        let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let proxy = Stub::start(vec![
            Reply::raw(502, "text/html", html).header("server", "nginx")
        ])
        .await;
        match client(&proxy, no_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err()
        {
            Error::UnexpectedStatus(raw) => {
                assert_eq!(raw.status().as_u16(), 502);
                assert_eq!(raw.body_text(), html);
                assert_eq!(raw.meta.headers.get("server").unwrap(), "nginx");
            }
            other => panic!("{other:?}"),
        }
        // A documented status with a body that is not its schema.
        let broken = Stub::start(vec![Reply::raw(500, "text/html", "<html>oops</html>")]).await;
        match client(&broken, no_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err()
        {
            Error::Decode { response, message } => {
                assert_eq!(response.status().as_u16(), 500);
                assert_eq!(response.body_text(), "<html>oops</html>");
                assert!(!message.is_empty());
            }
            other => panic!("{other:?}"),
        }
        // A success with a body that is not the documented schema.
        let garbled = Stub::start(vec![Reply::raw(
            200,
            "application/json",
            "{\"link_status\": 5",
        )])
        .await;
        assert!(matches!(
            client(&garbled, no_retries())
                .pg_create_link(&request())
                .await
                .unwrap_err(),
            Error::Decode { .. }
        ));
    }

    #[tokio::test]
    async fn a_slow_server_times_out() {
        let stub = Stub::start(vec![Reply::json(200, link()).delay(Duration::from_secs(3))]).await;
        let options = RequestOptions::new().with_timeout(Duration::from_millis(200));
        let started = Instant::now();
        let error = client(&stub, no_retries())
            .pg_create_link_with(&request(), &options)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Timeout), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_post_without_an_idempotency_key_is_not_sent_again_after_a_500() {
        let stub = Stub::start(vec![
            Reply::json(500, error("api_error")),
            Reply::json(200, link()),
        ])
        .await;
        let error = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Api {
                    error: PgCreateLinkError::InternalServerError(_),
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            stub.requests().len(),
            1,
            "a POST without an idempotency key was sent twice"
        );
    }

    #[tokio::test]
    async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key() {
        let stub = Stub::start(vec![
            Reply::raw(503, "text/html", "<html>busy</html>"),
            Reply::json(200, link()),
        ])
        .await;
        let options = RequestOptions::new().with_new_idempotency_key();
        let response = client(&stub, quick_retries())
            .pg_create_link_with(&request(), &options)
            .await
            .unwrap();
        let requests = stub.requests();
        assert_eq!(requests.len(), 2);
        let key = options.idempotency_key.as_deref();
        assert!(
            requests
                .iter()
                .all(|r| r.header("x-idempotency-key") == key),
            "the key changed between attempts"
        );
        assert_eq!(requests[0].body, requests[1].body);
        assert_eq!(response.meta.retries, 1);
    }

    #[tokio::test]
    async fn a_timed_out_post_without_a_key_is_not_sent_again() {
        let stub = Stub::start(vec![
            Reply::json(200, link()).delay(Duration::from_millis(600))
        ])
        .await;
        let options = RequestOptions::new().with_timeout(Duration::from_millis(100));
        let error = client(&stub, quick_retries())
            .pg_create_link_with(&request(), &options)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Timeout));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(stub.requests().len(), 1);
    }

    #[tokio::test]
    async fn an_invalid_request_is_never_sent() {
        let stub = Stub::start(vec![Reply::json(200, link())]).await;
        let mut invalid = request();
        invalid.link_id = "not valid!".into();
        let error = client(&stub, quick_retries())
            .pg_create_link(&invalid)
            .await
            .unwrap_err();
        let Error::Validation(e) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(e.violations[0].path, "link_id");
        assert!(
            stub.requests().is_empty(),
            "an invalid request reached the server"
        );
    }

    #[tokio::test]
    async fn credentials_never_show() {
        let client = Client::new(
            Environment::Sandbox,
            Credentials::client_id_client_secret("cf_id", SECRET),
        )
        .unwrap();
        let partner = Client::new(
            Environment::Production,
            Credentials::partner_merchant_id_partner_api_key("m1", PARTNER_KEY),
        )
        .unwrap();
        let shown = format!(
            "{client:?} {partner:?} {:?}",
            Credentials::client_id_client_secret("cf_id", SECRET)
        );
        assert_no_secret(&shown);
        assert!(
            shown.contains("<redacted>") && shown.contains("https://sandbox.cashfree.com/pg"),
            "{shown}"
        );
        assert_eq!(client.base_url(), "https://sandbox.cashfree.com/pg");
        // A connection error (nothing listens there) shows no credential either.
        let unreachable = Client::with_config(
            Environment::Custom("http://127.0.0.1:9".into()),
            Credentials::client_id_client_secret("cf_id", SECRET),
            no_retries(),
        )
        .unwrap();
        let error = unreachable.pg_create_link(&request()).await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert_no_secret(&format!("{error} {error:?}"));
    }
}

#[cfg(feature = "razorpay")]
mod razorpay {
    use super::*;
    use paylinks::razorpay::client::{CreatePaymentLinkError, FetchPaymentLinkError};
    use paylinks::razorpay::{
        Client, CreatePaymentLinkRequest, Credentials, Environment, NotificationMedium,
        PaymentLinkStatus, UpdatePaymentLinkRequest,
    };
    use paylinks::runtime::UnixTimestamp;

    fn client(stub: &Stub, config: ClientConfig) -> Client {
        Client::with_config(
            Environment::Custom(stub.url()),
            Credentials::basic_auth("rzp_test_key", RAZORPAY_SECRET),
            config,
        )
        .unwrap()
    }

    fn link(status: &str) -> serde_json::Value {
        json!({"id": "plink_ExjpAUN3gVHrPJ", "amount": 1000, "currency": "INR", "status": status,
               "short_url": "https://rzp.io/i/nxrHnLJ", "created_at": 1591097057, "payments": null, "reminders": [], "notes": []})
    }

    fn error() -> serde_json::Value {
        json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist", "source": "NA", "step": "NA", "reason": "NA", "metadata": {}}})
    }

    fn basic() -> String {
        use base64::Engine;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("rzp_test_key:{RAZORPAY_SECRET}"))
        )
    }

    #[tokio::test]
    async fn create_sends_basic_auth_and_the_body() {
        let stub = Stub::start(vec![Reply::json(200, link("created"))]).await;
        let expire_by = UnixTimestamp::from_secs(chrono::Utc::now().timestamp() + 86_400);
        let request = CreatePaymentLinkRequest::new(1000)
            .with_currency("INR")
            .with_reference_id("TS1989")
            .with_expire_by(expire_by);
        let response = client(&stub, no_retries())
            .create_payment_link(&request)
            .await
            .unwrap();
        let sent = &stub.requests()[0];
        assert_eq!(
            (sent.method.as_str(), sent.target.as_str()),
            ("POST", "/payment_links")
        );
        assert_eq!(sent.header("authorization"), Some(basic().as_str()));
        assert_eq!(sent.header("x-api-version"), None);
        assert_eq!(
            sent.json(),
            json!({"amount": 1000, "currency": "INR", "reference_id": "TS1989", "expire_by": expire_by.as_secs()})
        );
        assert_eq!(response.body.status, PaymentLinkStatus::Created);
        assert_eq!(response.meta.request_id, None);
    }

    #[tokio::test]
    async fn every_operation_uses_its_method_path_and_query() {
        let stub = Stub::start(vec![
            Reply::json(200, json!({"payment_links": [link("paid")]})),
            Reply::json(200, link("created")),
            Reply::json(200, link("created")),
            Reply::json(200, link("cancelled")),
            Reply::json(200, json!({"success": true})),
        ])
        .await;
        let client = client(&stub, no_retries());
        let all = client
            .fetch_all_payment_links(Some("pay_1"), Some("TS 19&89"))
            .await
            .unwrap();
        assert_eq!(all.body.payment_links[0].status, PaymentLinkStatus::Paid);
        client.fetch_payment_link("plink_a b").await.unwrap();
        client
            .update_payment_link(
                "plink_1",
                &UpdatePaymentLinkRequest::new().with_reference_id("TS35"),
            )
            .await
            .unwrap();
        let cancelled = client.cancel_payment_link("plink_1").await.unwrap();
        assert_eq!(cancelled.body.status, PaymentLinkStatus::Cancelled);
        let notified = client
            .resend_payment_link_notification("plink_1", &NotificationMedium::Sms)
            .await
            .unwrap();
        assert!(notified.body.success);

        let sent: Vec<(String, String)> = stub
            .requests()
            .iter()
            .map(|r| (r.method.clone(), r.target.clone()))
            .collect();
        let expected = [
            (
                "GET",
                "/payment_links?payment_id=pay_1&reference_id=TS+19%2689",
            ),
            ("GET", "/payment_links/plink_a%20b"),
            ("PATCH", "/payment_links/plink_1"),
            ("POST", "/payment_links/plink_1/cancel"),
            ("POST", "/payment_links/plink_1/notify_by/sms"),
        ];
        assert_eq!(sent, expected.map(|(m, t)| (m.to_owned(), t.to_owned())));
        let requests = stub.requests();
        assert!(requests
            .iter()
            .all(|r| r.header("authorization") == Some(basic().as_str())));
        assert_eq!(requests[2].json(), json!({"reference_id": "TS35"}));
        assert!(requests[3].body.is_empty(), "cancel has no body");
    }

    #[tokio::test]
    async fn each_documented_status_decodes_into_its_own_variant() {
        for status in [400, 401, 429, 500] {
            let stub = Stub::start(vec![Reply::json(status, error())]).await;
            let error = client(&stub, no_retries())
                .fetch_payment_link("plink_missing")
                .await
                .unwrap_err();
            assert_no_secret(&format!("{error} {error:?}"));
            let Error::Api { error, meta } = error else {
                panic!("{status}: {error:?}")
            };
            assert_eq!(meta.status.as_u16(), status);
            let matched = matches!(
                (status, &error),
                (400, FetchPaymentLinkError::BadRequest(_))
                    | (401, FetchPaymentLinkError::Unauthorized(_))
                    | (429, FetchPaymentLinkError::TooManyRequests(_))
                    | (500, FetchPaymentLinkError::InternalServerError(_))
            );
            assert!(matched, "{status} decoded as {error:?}");
        }
        // Razorpay answers an unknown id with 400 and documents no 404.
        let stub = Stub::start(vec![Reply::json(404, error())]).await;
        assert!(matches!(
            client(&stub, no_retries())
                .fetch_payment_link("x")
                .await
                .unwrap_err(),
            Error::UnexpectedStatus(_)
        ));
    }

    #[tokio::test]
    async fn a_get_is_retried_after_a_500_but_a_create_is_not() {
        let stub = Stub::start(vec![
            Reply::json(500, error()),
            Reply::json(200, link("created")),
        ])
        .await;
        let fetched = client(&stub, quick_retries())
            .fetch_payment_link("plink_1")
            .await
            .unwrap();
        assert_eq!(fetched.meta.retries, 1);
        assert_eq!(stub.requests().len(), 2);

        let stub = Stub::start(vec![
            Reply::json(500, error()),
            Reply::json(200, link("created")),
        ])
        .await;
        let error = client(&stub, quick_retries())
            .create_payment_link(&CreatePaymentLinkRequest::new(1000))
            .await
            .unwrap_err();
        assert!(matches!(
            error,
            Error::Api {
                error: CreatePaymentLinkError::InternalServerError(_),
                ..
            }
        ));
        assert_eq!(stub.requests().len(), 1);
    }

    #[tokio::test]
    async fn rate_limiting_without_a_hint_backs_off_and_retries() {
        let stub = Stub::start(vec![
            Reply::json(429, error()),
            Reply::json(429, error()),
            Reply::json(200, link("created")),
        ])
        .await;
        let response = client(&stub, quick_retries())
            .create_payment_link(&CreatePaymentLinkRequest::new(1000))
            .await
            .unwrap();
        assert_eq!(response.meta.retries, 2);
        assert_eq!(stub.requests().len(), 3);
        // With retries exhausted, the last 429 is the error.
        let stub = Stub::start(vec![Reply::json(429, error())]).await;
        let error = client(&stub, quick_retries())
            .create_payment_link(&CreatePaymentLinkRequest::new(1000))
            .await
            .unwrap_err();
        assert!(matches!(
            error,
            Error::Api {
                error: CreatePaymentLinkError::TooManyRequests(_),
                ..
            }
        ));
        assert_eq!(stub.requests().len(), 3);
    }

    #[tokio::test]
    async fn an_invalid_request_is_never_sent_and_credentials_never_show() {
        let stub = Stub::start(vec![Reply::json(200, link("created"))]).await;
        let client = client(&stub, quick_retries());
        let invalid = CreatePaymentLinkRequest::new(1000)
            .with_upi_link(true)
            .with_currency("USD");
        let error = client.create_payment_link(&invalid).await.unwrap_err();
        assert!(
            matches!(&error, Error::Validation(e) if e.violations[0].rule.as_str() == "upi_link_inr_only"),
            "{error:?}"
        );
        assert!(stub.requests().is_empty());
        assert_no_secret(&format!(
            "{client:?} {error} {error:?} {:?}",
            Credentials::basic_auth("rzp_test_key", RAZORPAY_SECRET)
        ));
        assert_eq!(
            Client::new(Environment::Api, Credentials::basic_auth("k", "s"))
                .unwrap()
                .base_url(),
            "https://api.razorpay.com/v1"
        );
    }
}

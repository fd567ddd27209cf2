//! Both clients against a hostile gateway on 127.0.0.1: redirects to other origins, path
//! values that try to leave their segment, idempotency keys that protect nothing, amounts
//! past `f64`, foreign bodies, huge bodies, slow servers and refused connections.
//!
//! Every "sent exactly once" assertion has a control that shows the same counter seeing two
//! requests.

#[path = "support/stub.rs"]
mod stub;

use std::time::{Duration, Instant};

use paylinks::runtime::http::{ClientConfig, Error, InvalidRequest, RequestOptions, RetryPolicy};
use serde_json::json;
use stub::{Reply, Stub};

const SECRET: &str = "cfsk_ma_test_9f8e7d6c5b4a";
const PARTNER_KEY: &str = "partner-key-0123456789";
const SIGNATURE: &str = "signature-abcdef012345";
const RAZORPAY_SECRET: &str = "EnLs21M47BllR3X8PSFtjtbd";

/// Fast retries, so that retry tests take milliseconds.
fn quick_retries() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    })
}

fn assert_no_secret(text: &str) {
    for secret in [
        SECRET,
        PARTNER_KEY,
        SIGNATURE,
        RAZORPAY_SECRET,
        "cnpwX3Rlc3",
    ] {
        assert!(!text.contains(secret), "a credential leaked into: {text}");
    }
}

#[tokio::test]
async fn the_stub_counts_every_request_it_receives() {
    // Control for every "nothing reached it" assertion below.
    let stub = Stub::start(vec![Reply::raw(200, "text/plain", "ok")]).await;
    let http = reqwest::Client::new();
    for _ in 0..2 {
        http.get(format!("{}/links", stub.url()))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(stub.requests().len(), 2);
}

#[cfg(feature = "cashfree")]
mod cashfree {
    use super::*;
    use paylinks::cashfree::client::PgCreateLinkError;
    use paylinks::cashfree::{
        Client, CreateLinkRequest, Credentials, Environment, LinkCustomerDetailsEntity,
        LinkEntityLinkStatus,
    };
    use paylinks::runtime::JsonDecimal;

    fn client_with(url: String, credentials: Credentials, config: ClientConfig) -> Client {
        Client::with_config(Environment::Custom(url), credentials, config).unwrap()
    }

    fn client(stub: &Stub, config: ClientConfig) -> Client {
        client_with(stub.url(), merchant(), config)
    }

    fn merchant() -> Credentials {
        Credentials::client_id_client_secret("cf_id", SECRET)
    }

    fn request() -> CreateLinkRequest {
        CreateLinkRequest::new(
            "my_link_id",
            "100.50".parse::<JsonDecimal>().unwrap(),
            "INR",
            "Payment for PlayStation 11",
            LinkCustomerDetailsEntity::new("9999999999").with_customer_email("john@example.com"),
        )
    }

    fn link() -> serde_json::Value {
        json!({"cf_link_id": 1996567, "link_id": "my_link_id", "link_status": "ACTIVE", "link_amount": 100.5,
               "link_currency": "INR", "link_url": "https://payments-test.cashfree.com/links/o1tf1nvcvjhg"})
    }

    fn error(kind: &str) -> serde_json::Value {
        json!({"message": "something went wrong", "code": "request_failed", "type": kind})
    }

    /// A port on which nothing listens.
    async fn refused_url() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{addr}")
    }

    fn keyed() -> RequestOptions {
        RequestOptions::new().with_new_idempotency_key()
    }

    // 1, 2: redirects.

    #[tokio::test]
    async fn a_redirect_to_another_origin_is_not_followed() {
        let other = Stub::start(vec![Reply::json(200, link())]).await;
        for status in [301, 302, 303, 307, 308] {
            let stub = Stub::start(vec![Reply::raw(status, "text/plain", "")
                .header("location", &format!("{}/steal", other.url()))])
            .await;
            // A setup that asks for redirects does not get them.
            let config = ClientConfig::default()
                .with_http(|builder| builder.redirect(reqwest::redirect::Policy::limited(10)));
            let error = client(&stub, config)
                .pg_create_link_with(&request(), &keyed())
                .await
                .unwrap_err();
            let Error::UnexpectedStatus(raw) = &error else {
                panic!("{status}: {error:?}");
            };
            assert_eq!(raw.status().as_u16(), status);
            assert_eq!(
                raw.header("location"),
                Some(format!("{}/steal", other.url()).as_str())
            );
            assert_eq!(stub.requests().len(), 1, "{status}");
            assert_no_secret(&format!("{error} {error:?}"));
        }
        assert!(
            other.requests().is_empty(),
            "a request reached the other origin"
        );
    }

    #[tokio::test]
    async fn a_same_origin_redirect_is_not_reported_as_success() {
        let stub = Stub::start(vec![
            Reply::raw(302, "text/plain", "").header("location", "/pg/elsewhere"),
            Reply::json(200, link()),
        ])
        .await;
        let error = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
        assert!(error.to_string().contains("/pg/elsewhere"), "{error}");
        assert_eq!(stub.requests().len(), 1);
    }

    // 4: idempotency.

    #[tokio::test]
    async fn a_blank_idempotency_key_is_refused_before_sending() {
        let stub = Stub::start(vec![Reply::json(200, link())]).await;
        for key in ["", "   ", "\t"] {
            let error = client(&stub, quick_retries())
                .pg_create_link_with(&request(), &RequestOptions::new().with_idempotency_key(key))
                .await
                .unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::InvalidRequest(InvalidRequest::BlankIdempotencyKey)
                ),
                "{key:?}: {error:?}"
            );
        }
        assert!(stub.requests().is_empty());
    }

    /// The number of requests a keyed create makes under `credentials` when the first
    /// attempt ends with `first`.
    async fn attempts(credentials: Credentials, first: Reply, options: RequestOptions) -> usize {
        let stub = Stub::start(vec![first, Reply::json(200, link())]).await;
        let _ = client_with(stub.url(), credentials, quick_retries())
            .pg_create_link_with(&request(), &options)
            .await;
        let requests = stub.requests();
        if requests.len() == 2 {
            assert_eq!(requests[0].body, requests[1].body);
            assert_eq!(
                requests[0].header("x-idempotency-key"),
                requests[1].header("x-idempotency-key")
            );
        }
        requests.len()
    }

    fn busy(status: u16) -> Reply {
        Reply::raw(status, "text/html", "<html>busy</html>")
    }

    #[tokio::test]
    async fn a_key_protects_only_under_the_credentials_cashfree_honours_it_for() {
        // Control: the merchant credentials may retry a keyed create after a 503.
        assert_eq!(attempts(merchant(), busy(503), keyed()).await, 2);
        for credentials in [
            Credentials::client_id_partner_api_key("cf_id", PARTNER_KEY),
            Credentials::client_id_client_signature_header("cf_id", SIGNATURE),
            Credentials::partner_merchant_id_partner_api_key("merchant", PARTNER_KEY),
        ] {
            let name = format!("{credentials:?}");
            assert_no_secret(&name);
            assert_eq!(
                attempts(credentials, busy(503), keyed()).await,
                1,
                "a keyed create was sent again under {name}"
            );
        }
    }

    #[tokio::test]
    async fn a_replayed_500_is_not_retried_but_edge_failures_are() {
        assert_eq!(
            attempts(merchant(), Reply::json(500, error("api_error")), keyed()).await,
            1,
            "Cashfree replays a 500 for the same key: retrying only repeats it"
        );
        for status in [502, 503, 504] {
            assert_eq!(
                attempts(merchant(), busy(status), keyed()).await,
                2,
                "{status}"
            );
        }
        // No response at all: the connection is closed after the request.
        assert_eq!(attempts(merchant(), Reply::hang_up(), keyed()).await, 2);
    }

    #[tokio::test]
    async fn an_attempt_that_times_out_is_retried_only_with_a_key() {
        let config = quick_retries().with_attempt_timeout(Duration::from_millis(200));
        let slow = || Reply::json(200, link()).delay(Duration::from_secs(2));
        for (options, expected) in [(keyed(), 2), (RequestOptions::new(), 1)] {
            let stub = Stub::start(vec![slow(), Reply::json(200, link())]).await;
            let result = client(&stub, config.clone())
                .pg_create_link_with(&request(), &options)
                .await;
            assert_eq!(stub.requests().len(), expected, "{result:?}");
            assert_eq!(result.is_ok(), expected == 2, "{result:?}");
        }
    }

    #[tokio::test]
    async fn an_unkeyed_create_is_never_sent_twice_after_an_unknown_outcome() {
        for first in [
            busy(502),
            busy(503),
            busy(504),
            Reply::json(500, error("api_error")),
            Reply::hang_up(),
        ] {
            assert_eq!(attempts(merchant(), first, RequestOptions::new()).await, 1);
        }
        // Refused by rate limiting: nothing was done, so it is sent again.
        let limited = Reply::json(429, error("rate_limit_error")).header("x-ratelimit-retry", "0");
        assert_eq!(
            attempts(merchant(), limited, RequestOptions::new()).await,
            2
        );
    }

    // 5: money.

    #[tokio::test]
    async fn amounts_travel_exactly_at_15_17_and_28_digits() {
        for amount in [
            "9999999999999.99",
            "999999999999999.99",
            "99999999999999999999999999.99",
        ] {
            let echo = json!({"link_id": "l", "link_status": "PAID"})
                .to_string()
                .replace(
                    "{",
                    &format!(r#"{{"link_amount":{amount},"link_amount_paid":{amount},"#),
                );
            let stub = Stub::start(vec![Reply::raw(200, "application/json", &echo)]).await;
            let mut request = request();
            request.link_amount = amount.parse().unwrap();
            let response = client(&stub, quick_retries())
                .pg_create_link(&request)
                .await
                .unwrap();
            let sent = String::from_utf8(stub.requests()[0].body.clone()).unwrap();
            assert!(
                sent.contains(&format!(r#""link_amount":{amount},"#)),
                "{amount} was sent as {sent}"
            );
            let link = response.body;
            assert_eq!(
                link.link_amount.map(|a| a.to_string()).as_deref(),
                Some(amount)
            );
            assert_eq!(link.link_amount_paid, link.link_amount);
            assert_eq!(link.link_status, Some(LinkEntityLinkStatus::Paid));
        }
    }

    // 6: shapes.

    #[tokio::test]
    async fn a_body_of_another_shape_is_a_decode_error_with_the_body_kept() {
        for body in [
            r#"[4127781, "l1", "PAID", 100, 0]"#,
            r#""PAID""#,
            "null",
            "true",
            "",
            "<html>ok</html>",
        ] {
            let stub = Stub::start(vec![Reply::raw(200, "application/json", body)]).await;
            let error = client(&stub, quick_retries())
                .pg_create_link(&request())
                .await
                .unwrap_err();
            let Error::Decode { response, .. } = &error else {
                panic!("{body}: {error:?}");
            };
            assert_eq!(response.body_text(), body);
        }
        // The documented error bodies are shape-checked too.
        let stub = Stub::start(vec![Reply::raw(
            409,
            "application/json",
            r#"["a", "b", "c"]"#,
        )])
        .await;
        let decode = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
        // Control: the same status with an object is the documented error.
        let stub = Stub::start(vec![Reply::json(409, error("invalid_request_error"))]).await;
        let error = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Api {
                    error: PgCreateLinkError::Conflict(_),
                    ..
                }
            ),
            "{error:?}"
        );
    }

    // 7: body limits.

    #[tokio::test]
    async fn a_body_over_the_cap_is_a_typed_error_with_its_first_bytes() {
        let big = vec![b'x'; 5_000_000];
        for reply in [
            Reply::bytes(200, "application/json", big.clone()),
            Reply::bytes(200, "application/json", big.clone()).close_delimited(),
            Reply::bytes(500, "text/html", big.clone()).close_delimited(),
        ] {
            let stub = Stub::start(vec![reply]).await;
            let error = client(&stub, quick_retries())
                .pg_create_link(&request())
                .await
                .unwrap_err();
            let Error::BodyTooLarge { response, limit } = &error else {
                panic!("{error:?}");
            };
            assert_eq!(*limit, 4 << 20);
            assert!(!response.body.is_empty() && response.body.len() <= 16 << 10);
            assert!(response.body.iter().all(|b| *b == b'x'));
            assert!(response.header("content-type").is_some());
            assert_eq!(stub.requests().len(), 1);
        }
        // A small cap, and a body just under it: the control.
        let config = quick_retries().with_max_response_body(1024);
        let stub = Stub::start(vec![Reply::bytes(
            200,
            "application/json",
            vec![b' '; 1025],
        )])
        .await;
        let error = client(&stub, config.clone())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::BodyTooLarge { limit: 1024, .. }),
            "{error:?}"
        );
        let mut fits = link().to_string().into_bytes();
        fits.resize(1024, b' ');
        let stub = Stub::start(vec![Reply::bytes(200, "application/json", fits)]).await;
        client(&stub, config)
            .pg_create_link(&request())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_declared_length_over_the_cap_fails_at_once() {
        for (declared, config) in [
            (10_000_000_000, quick_retries()),
            (2048, quick_retries().with_max_response_body(1024)),
        ] {
            let stub = Stub::start(vec![
                Reply::raw(200, "application/json", "{\"link_id\"").declare_length(declared)
            ])
            .await;
            let started = Instant::now();
            let error = client(&stub, config)
                .pg_create_link(&request())
                .await
                .unwrap_err();
            assert!(started.elapsed() < Duration::from_secs(2));
            let Error::BodyTooLarge { response, .. } = &error else {
                panic!("{error:?}");
            };
            assert_eq!(response.body_text(), "{\"link_id\"");
        }
    }

    #[tokio::test]
    async fn debug_of_a_documented_error_with_a_5_mb_field_stays_small() {
        let huge = "x".repeat(5_000_000);
        let body = json!({"message": huge, "code": "c", "type": "invalid_request_error"});
        let stub = Stub::start(vec![Reply::json(400, body)]).await;
        let config = quick_retries().with_max_response_body(8 << 20);
        let error = client(&stub, config)
            .pg_create_link(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Api { .. }),
            "{:.100}",
            error.to_string()
        );
        assert!(format!("{error:?}").len() < 8 << 10);
        assert!(error.to_string().len() < 4 << 10);
        assert!(error.to_string().ends_with("…(cut)"));
        // The value itself is whole.
        let Error::Api {
            error: PgCreateLinkError::BadRequest(bad),
            ..
        } = error
        else {
            unreachable!()
        };
        assert_eq!(bad.message.map(|m| m.len()), Some(5_000_000));
    }

    #[tokio::test]
    async fn a_nested_positional_array_is_not_an_object() {
        let mut body = link();
        body["customer_details"] = json!(["9999999999", "x@y.z", "Mallory"]);
        let stub = Stub::start(vec![Reply::json(200, body)]).await;
        let error = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap_err();
        let Error::Decode { message, .. } = &error else {
            panic!("{error:?}");
        };
        assert!(message.contains("invalid type: sequence"), "{message}");
        // Control: the same document with an object decodes.
        let mut body = link();
        body["customer_details"] = json!({"customer_phone": "9999999999"});
        let stub = Stub::start(vec![Reply::json(200, body)]).await;
        let link = client(&stub, quick_retries())
            .pg_create_link(&request())
            .await
            .unwrap()
            .body;
        assert_eq!(
            link.customer_details.map(|c| c.customer_phone).as_deref(),
            Some("9999999999")
        );
    }

    #[tokio::test]
    async fn extreme_durations_do_not_panic() {
        let stub = Stub::start(vec![Reply::json(200, link())]).await;
        let huge = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            max_rate_limit_wait: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert!(huge.backoff(0) <= Duration::MAX);
        assert!(huge.backoff(u32::MAX) <= Duration::MAX);
        let config = ClientConfig::default()
            .with_timeout(Duration::MAX)
            .with_attempt_timeout(Duration::MAX)
            .with_retry(huge);
        client(&stub, config)
            .pg_create_link_with(&request(), &keyed().with_timeout(Duration::MAX))
            .await
            .unwrap();
        // A zero deadline sends nothing.
        let error = client(&stub, quick_retries())
            .pg_create_link_with(&request(), &keyed().with_timeout(Duration::ZERO))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Timeout), "{error:?}");
        assert_eq!(stub.requests().len(), 1);
    }

    #[tokio::test]
    async fn base_urls_are_checked_and_their_passwords_hidden() {
        for bad in [
            "http://",
            "ftp://example.com",
            "example.com/pg",
            "https://x.test/pg?a=1",
            "",
        ] {
            let built = Client::new(Environment::Custom(bad.into()), merchant());
            assert!(built.is_err(), "{bad:?} was accepted");
        }
        let client = Client::new(
            Environment::Custom("http://user:URLPASSWORD@127.0.0.1:9/pg".into()),
            merchant(),
        )
        .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("URLPASSWORD"), "{shown}");
        assert_no_secret(&shown);
    }

    #[tokio::test]
    async fn debug_of_an_error_with_a_5_mb_body_stays_small() {
        let body = "é".repeat(2_500_000);
        let stub = Stub::start(vec![Reply::raw(418, "text/plain", &body)]).await;
        let config = quick_retries().with_max_response_body(8 << 20);
        let error = client(&stub, config)
            .pg_create_link(&request())
            .await
            .unwrap_err();
        let shown = format!("{error:?}");
        assert!(shown.len() < 8 << 10, "{} bytes of Debug", shown.len());
        assert!(shown.contains("(5000000 bytes)"), "{shown}");
        assert!(shown.contains("éé"));
        assert_eq!(error.raw_response().map(|r| r.body.len()), Some(5_000_000));
    }

    // 8: deadlines.

    #[tokio::test]
    async fn the_deadline_covers_every_attempt_and_wait() {
        let stub = Stub::start(vec![busy(503).delay(Duration::from_millis(400))]).await;
        let config = ClientConfig::default().with_retry(RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        });
        let started = Instant::now();
        let error = client(&stub, config)
            .pg_create_link_with(&request(), &keyed().with_timeout(Duration::from_secs(1)))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        // Retried (it is keyed), but never past the one-second deadline.
        assert!(stub.requests().len() >= 2, "{error:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        assert!(
            matches!(error, Error::Timeout | Error::UnexpectedStatus(_)),
            "{error:?}"
        );
    }

    // 9: transport errors.

    #[tokio::test]
    async fn a_refused_connection_says_so() {
        let url = refused_url().await;
        let error = client_with(
            url,
            merchant(),
            ClientConfig::default().with_retry(RetryPolicy::none()),
        )
        .pg_create_link(&request())
        .await
        .unwrap_err();
        let Error::Transport(transport) = &error else {
            panic!("{error:?}");
        };
        assert!(transport.is_connect());
        let shown = error.to_string();
        assert!(shown.to_ascii_lowercase().contains("refused"), "{shown}");
        assert_no_secret(&format!("{shown} {error:?}"));
        let mut chain = Vec::new();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        assert!(
            chain
                .iter()
                .any(|c| c.to_ascii_lowercase().contains("refused")),
            "{chain:?}"
        );
    }
}

#[cfg(feature = "razorpay")]
mod razorpay {
    use super::*;
    use paylinks::razorpay::{
        Client, CreatePaymentLinkRequest, Credentials, Environment, NotificationMedium,
        UpdatePaymentLinkRequest,
    };

    fn client(stub: &Stub) -> Client {
        Client::with_config(
            Environment::Custom(stub.url()),
            Credentials::basic_auth("rzp_test_key", RAZORPAY_SECRET),
            quick_retries(),
        )
        .unwrap()
    }

    fn link() -> serde_json::Value {
        json!({"id": "plink_ExjpAUN3gVHrPJ", "amount": 1000, "currency": "INR", "status": "created",
               "short_url": "https://rzp.io/i/nxrHnLJ", "created_at": 1591097057, "payments": null, "reminders": [], "notes": []})
    }

    /// Every operation that takes an id, called with `id`: the targets the server received
    /// and the errors.
    async fn every_operation(id: &str) -> (Vec<String>, Vec<Option<String>>) {
        // One body that reads as a Payment Link and as the resend result.
        let mut body = link();
        body["success"] = json!(true);
        let stub = Stub::start(vec![Reply::json(200, body)]).await;
        let client = client(&stub);
        let update = UpdatePaymentLinkRequest::new().with_reference_id("TS35");
        let errors = vec![
            client
                .fetch_payment_link(id)
                .await
                .err()
                .map(|e| e.to_string()),
            client
                .update_payment_link(id, &update)
                .await
                .err()
                .map(|e| e.to_string()),
            client
                .cancel_payment_link(id)
                .await
                .err()
                .map(|e| e.to_string()),
            client
                .resend_payment_link_notification(id, &NotificationMedium::Sms)
                .await
                .err()
                .map(|e| e.to_string()),
        ];
        let targets = stub.requests().into_iter().map(|r| r.target).collect();
        (targets, errors)
    }

    #[tokio::test]
    async fn path_values_that_change_the_path_are_refused_on_every_operation() {
        for id in [
            "", ".", "..", "/", "a/b", "../x", "%2e%2e", "%2F", "?x", "#x", "a\\b", "a\nb",
        ] {
            let (sent, errors) = every_operation(id).await;
            assert!(sent.is_empty(), "{id:?} reached the server as {sent:?}");
            for error in errors {
                let error = error.expect("refused");
                assert!(error.contains("path parameter `id`"), "{id:?}: {error}");
            }
        }
        // Control: harmless values arrive, encoded inside their segment.
        let (sent, errors) = every_operation("plink 1₹...").await;
        assert!(errors.iter().all(Option::is_none), "{errors:?}");
        assert_eq!(
            sent,
            [
                "/payment_links/plink%201%E2%82%B9...",
                "/payment_links/plink%201%E2%82%B9...",
                "/payment_links/plink%201%E2%82%B9.../cancel",
                "/payment_links/plink%201%E2%82%B9.../notify_by/sms",
            ]
        );
    }

    #[test]
    fn the_problem_is_typed() {
        use paylinks::runtime::http::PathProblem;
        let problem = paylinks::runtime::http::path_segment::<()>("id", "..".to_owned());
        assert!(matches!(
            problem,
            Err(Error::InvalidRequest(InvalidRequest::PathParameter {
                name: "id",
                problem: PathProblem::DotSegment
            }))
        ));
    }

    #[tokio::test]
    async fn a_medium_outside_the_enum_is_refused_before_sending() {
        let stub = Stub::start(vec![Reply::json(200, json!({"success": true}))]).await;
        let error = client(&stub)
            .resend_payment_link_notification("plink_1", &NotificationMedium::from("whatsapp"))
            .await
            .unwrap_err();
        let Error::Validation(validation) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(validation.violations[0].path, "medium");
        assert_eq!(validation.violations[0].rule.as_str(), "enum");
        assert!(stub.requests().is_empty());
        // Control; and a documented value built by hand as `Other` is still that value.
        client(&stub)
            .resend_payment_link_notification("plink_1", &NotificationMedium::Email)
            .await
            .unwrap();
        client(&stub)
            .resend_payment_link_notification("plink_1", &NotificationMedium::Other("sms".into()))
            .await
            .unwrap();
        assert_eq!(stub.requests().len(), 2);
    }

    #[tokio::test]
    async fn amounts_razorpay_refuses_are_not_sent() {
        let stub = Stub::start(vec![Reply::json(200, link())]).await;
        for amount in [0, -1000, 99] {
            let error = client(&stub)
                .create_payment_link(&CreatePaymentLinkRequest::new(amount))
                .await
                .unwrap_err();
            assert!(matches!(error, Error::Validation(_)), "{amount}: {error:?}");
        }
        for first in [1001, 0, -5] {
            let error = client(&stub)
                .create_payment_link(
                    &CreatePaymentLinkRequest::new(1000)
                        .with_accept_partial(true)
                        .with_first_min_partial_amount(first),
                )
                .await
                .unwrap_err();
            assert!(
                error.to_string().contains("first_min_partial_amount"),
                "{error}"
            );
        }
        assert!(stub.requests().is_empty());
        client(&stub)
            .create_payment_link(&CreatePaymentLinkRequest::new(100))
            .await
            .unwrap();
        assert_eq!(stub.requests().len(), 1);
    }

    #[tokio::test]
    async fn redirects_on_get_and_post_are_not_followed() {
        let other = Stub::start(vec![Reply::json(200, link())]).await;
        for location in [
            format!("{}/v1/payment_links", other.url()),
            "/v2/x".to_owned(),
        ] {
            let stub = Stub::start(vec![
                Reply::raw(307, "text/plain", "").header("location", &location)
            ])
            .await;
            let fetch = client(&stub)
                .fetch_payment_link("plink_1")
                .await
                .unwrap_err();
            let create = client(&stub)
                .create_payment_link(&CreatePaymentLinkRequest::new(1000))
                .await
                .unwrap_err();
            assert_eq!(fetch.status().map(|s| s.as_u16()), Some(307), "{fetch:?}");
            assert_eq!(create.status().map(|s| s.as_u16()), Some(307), "{create:?}");
            assert_no_secret(&format!("{fetch} {fetch:?} {create} {create:?}"));
            assert_eq!(stub.requests().len(), 2);
        }
        assert!(other.requests().is_empty());
    }

    #[tokio::test]
    async fn a_positional_array_is_not_a_payment_link() {
        let stub = Stub::start(vec![Reply::raw(
            200,
            "application/json",
            r#"["plink_1", 1000, "INR", "paid", "https://rzp.io/i/x", 1591097057]"#,
        )])
        .await;
        let error = client(&stub)
            .fetch_payment_link("plink_1")
            .await
            .unwrap_err();
        let Error::Decode { response, message } = &error else {
            panic!("{error:?}");
        };
        assert!(message.contains("expected a JSON object"), "{message}");
        assert!(response.body_text().starts_with("[\"plink_1\""));
    }

    #[tokio::test]
    async fn nested_positional_arrays_are_refused() {
        let mut body = link();
        body["notify"] = json!([true, true]);
        let stub = Stub::start(vec![Reply::json(200, body)]).await;
        let error = client(&stub)
            .fetch_payment_link("plink_1")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        // Control: the PHP empties Razorpay really sends still decode.
        let mut body = link();
        body["notify"] = json!({"sms": true, "email": false});
        body["customer"] = json!([]);
        let stub = Stub::start(vec![Reply::json(200, body)]).await;
        client(&stub).fetch_payment_link("plink_1").await.unwrap();
    }

    #[tokio::test]
    async fn a_get_keeps_to_its_deadline_against_a_slow_server() {
        let stub = Stub::start(vec![Reply::json(200, link()).delay(Duration::from_secs(3))]).await;
        let started = Instant::now();
        let error = client(&stub)
            .fetch_payment_link_with(
                "plink_1",
                &RequestOptions::new().with_timeout(Duration::from_secs(1)),
            )
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(error, Error::Timeout), "{error:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    }
}

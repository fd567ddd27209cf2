//! Every documented rule of both gateways, with a request that keeps it and one that breaks
//! it, asserting the exact path and rule kind; several violations at once; and the specs'
//! seed examples. `validate_allocations.rs` shows that valid requests allocate nothing.

use chrono::{DateTime, Utc};
use paylinks::runtime::validate::{Validate, ValidationError};

/// A fixed "now": 2025-01-01T00:00:00Z.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_735_689_600, 0).unwrap()
}

/// The (path, rule) pairs of a result.
fn broken(result: Result<(), ValidationError>) -> Vec<(String, String)> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations
            .iter()
            .map(|v| (v.path.clone(), v.rule.as_str().to_owned()))
            .collect(),
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(p, r)| ((*p).to_owned(), (*r).to_owned()))
        .collect()
}

#[cfg(feature = "cashfree")]
mod cashfree {
    use super::*;
    use paylinks::cashfree::{
        CreateLinkRequest, LinkCustomerDetailsEntity, LinkMetaEntity, LinkNotesEntity,
    };
    use paylinks::runtime::JsonDecimal;

    fn dec(text: &str) -> JsonDecimal {
        text.parse().unwrap()
    }

    fn request() -> CreateLinkRequest {
        CreateLinkRequest::new(
            "my_link_id",
            dec("100"),
            "INR",
            "Payment for PlayStation 11",
            LinkCustomerDetailsEntity::new("9999999999"),
        )
    }

    fn notes(n: usize) -> LinkNotesEntity {
        (0..n)
            .map(|i| (format!("key_{i}"), "value".to_owned()))
            .collect()
    }

    type Case = (
        &'static str,
        fn(CreateLinkRequest) -> CreateLinkRequest,
        &'static [(&'static str, &'static str)],
    );

    const CASES: &[Case] = &[
        ("base request", |r| r, &[]),
        (
            "link_id of 50 characters",
            |mut r| {
                r.link_id = "a".repeat(50);
                r
            },
            &[],
        ),
        (
            "link_id of 51 characters",
            |mut r| {
                r.link_id = "a".repeat(51);
                r
            },
            &[("link_id", "max_length")],
        ),
        (
            "link_id with - and _",
            |mut r| {
                r.link_id = "order-1_A".into();
                r
            },
            &[],
        ),
        (
            "link_id with a space",
            |mut r| {
                r.link_id = "order 1".into();
                r
            },
            &[("link_id", "pattern")],
        ),
        (
            "link_id with a dot",
            |mut r| {
                r.link_id = "order.1".into();
                r
            },
            &[("link_id", "pattern")],
        ),
        (
            "amount with two decimals",
            |mut r| {
                r.link_amount = dec("100.55");
                r
            },
            &[],
        ),
        (
            "amount with three decimals",
            |mut r| {
                r.link_amount = dec("100.555");
                r
            },
            &[("link_amount", "multiple_of")],
        ),
        (
            "amount of zero",
            |mut r| {
                r.link_amount = dec("0");
                r
            },
            &[("link_amount", "exclusive_minimum")],
        ),
        (
            "negative amount",
            |mut r| {
                r.link_amount = dec("-1");
                r
            },
            &[("link_amount", "exclusive_minimum")],
        ),
        (
            "partial amount below amount",
            |r| {
                r.with_link_partial_payments(true)
                    .with_link_minimum_partial_amount(dec("99.99"))
            },
            &[],
        ),
        (
            "partial amount equal to amount",
            |r| {
                r.with_link_partial_payments(true)
                    .with_link_minimum_partial_amount(dec("100"))
            },
            &[(
                "link_minimum_partial_amount",
                "partial_amount_below_link_amount",
            )],
        ),
        (
            "partial amount with three decimals",
            |r| r.with_link_minimum_partial_amount(dec("1.001")),
            &[("link_minimum_partial_amount", "multiple_of")],
        ),
        (
            "purpose of 500 characters",
            |mut r| {
                r.link_purpose = "p".repeat(500);
                r
            },
            &[],
        ),
        (
            "purpose of 501 characters",
            |mut r| {
                r.link_purpose = "p".repeat(501);
                r
            },
            &[("link_purpose", "max_length")],
        ),
        (
            "purpose of 500 multi-byte characters",
            |mut r| {
                r.link_purpose = "₹".repeat(500);
                r
            },
            &[],
        ),
        ("5 notes", |r| r.with_link_notes(notes(5)), &[]),
        (
            "6 notes",
            |r| r.with_link_notes(notes(6)),
            &[("link_notes", "max_properties")],
        ),
        (
            "return_url of 250 characters",
            |r| {
                r.with_link_meta(
                    LinkMetaEntity::new()
                        .with_return_url(format!("https://example.com/{}", "r".repeat(230))),
                )
            },
            &[],
        ),
        (
            "return_url of 251 characters",
            |r| {
                r.with_link_meta(
                    LinkMetaEntity::new()
                        .with_return_url(format!("https://example.com/{}", "r".repeat(231))),
                )
            },
            &[("link_meta.return_url", "max_length")],
        ),
        (
            "return_url that is not a URL",
            |r| r.with_link_meta(LinkMetaEntity::new().with_return_url("example.com/return")),
            &[("link_meta.return_url", "format")],
        ),
        (
            "https notify_url",
            |r| r.with_link_meta(LinkMetaEntity::new().with_notify_url("https://example.com/hook")),
            &[],
        ),
        (
            "http notify_url",
            |r| r.with_link_meta(LinkMetaEntity::new().with_notify_url("http://example.com/hook")),
            &[("link_meta.notify_url", "format")],
        ),
        (
            "documented payment methods",
            |r| r.with_link_meta(LinkMetaEntity::new().with_payment_methods("cc,dc,upi,app")),
            &[],
        ),
        (
            "blank payment methods",
            |r| r.with_link_meta(LinkMetaEntity::new().with_payment_methods("")),
            &[],
        ),
        (
            "unknown payment method",
            |r| r.with_link_meta(LinkMetaEntity::new().with_payment_methods("cc,bitcoin")),
            &[("link_meta.payment_methods", "pattern")],
        ),
        (
            "payment methods with a space",
            |r| r.with_link_meta(LinkMetaEntity::new().with_payment_methods("cc, dc")),
            &[("link_meta.payment_methods", "pattern")],
        ),
    ];

    #[test]
    fn every_rule_passes_and_fails_where_it_should() {
        let mut failures = Vec::new();
        for (name, build, expected) in CASES {
            let actual = broken(build(request()).validate_at(now()));
            if actual != pairs(expected) {
                failures.push(format!("{name}: expected {expected:?}, got {actual:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn all_violations_are_reported_at_once() {
        let mut r = request()
            .with_link_minimum_partial_amount(dec("150.001"))
            .with_link_notes(notes(7))
            .with_link_meta(LinkMetaEntity::new().with_notify_url("ftp://x"));
        r.link_id = "bad id".into();
        let error = r.validate_at(now()).unwrap_err();
        assert_eq!(
            broken(Err(error.clone())),
            pairs(&[
                ("link_id", "pattern"),
                ("link_minimum_partial_amount", "multiple_of"),
                ("link_notes", "max_properties"),
                ("link_meta.notify_url", "format"),
                (
                    "link_minimum_partial_amount",
                    "partial_amount_below_link_amount"
                ),
            ])
        );
        assert_eq!(
            error.violations[2].to_string(),
            "link_notes: must have at most 5 entries"
        );
        assert!(error
            .to_string()
            .starts_with("5 invalid field(s): link_id: must match the pattern ^[A-Za-z0-9_-]+$"));
    }

    #[test]
    fn the_seed_request_validates_clean() {
        let seed = include_str!("../../specs/cashfree/links-2022-09-01.yaml");
        assert!(seed.contains("link_minimum_partial_amount: 20"));
        // The spec's CreateLinkRequest example, with its embedded $refs expanded as Cashfree's
        // documentation shows them.
        let request: CreateLinkRequest = serde_json::from_value(serde_json::json!({
            "link_amount": 100, "link_currency": "INR", "link_minimum_partial_amount": 20,
            "link_id": "my_link_id", "link_partial_payments": true,
            "customer_details": {"customer_name": "John Doe", "customer_phone": "9999999999", "customer_email": "john@cashfree.com"},
            "link_expiry_time": "2021-10-14T15:04:05+05:30", "link_purpose": "Payment for PlayStation 11",
            "link_notify": {"send_sms": false, "send_email": true}, "link_auto_reminders": true,
            "link_notes": {"key_1": "value_1", "key_2": "value_2"},
            "link_meta": {"notify_url": "https://ee08e626ecd88c61c85f5c69c0418cb5.m.pipedream.net", "upi_intent": false, "return_url": "https://b8af79f41056.eu.ngrok.io"}
        }))
        .unwrap();
        assert_eq!(request.validate_at(now()), Ok(()));
    }
}

#[cfg(feature = "razorpay")]
mod razorpay {
    use super::*;
    use paylinks::razorpay::{
        CallbackMethod, CreatePaymentLinkRequest, Customer, Notes, UpdatePaymentLinkRequest,
    };
    use paylinks::runtime::UnixTimestamp;

    fn request() -> CreatePaymentLinkRequest {
        CreatePaymentLinkRequest::new(1000)
    }

    fn notes(n: usize, value_len: usize) -> Notes {
        (0..n)
            .map(|i| (format!("note_{i}"), "v".repeat(value_len)))
            .collect()
    }

    fn after_now(secs: i64) -> UnixTimestamp {
        UnixTimestamp::from_secs(now().timestamp() + secs)
    }

    /// 2025-07-01T00:00:00Z: six calendar months after `now()`.
    const SIX_MONTHS_LATER: i64 = 1_751_328_000;

    type Case = (
        &'static str,
        fn(CreatePaymentLinkRequest) -> CreatePaymentLinkRequest,
        &'static [(&'static str, &'static str)],
    );

    const CASES: &[Case] = &[
        ("base request", |r| r, &[]),
        (
            "description of 2048 characters",
            |r| r.with_description("d".repeat(2048)),
            &[],
        ),
        (
            "description of 2049 characters",
            |r| r.with_description("d".repeat(2049)),
            &[("description", "max_length")],
        ),
        (
            "reference_id of 40 characters",
            |r| r.with_reference_id("r".repeat(40)),
            &[],
        ),
        (
            "reference_id of 41 characters",
            |r| r.with_reference_id("r".repeat(41)),
            &[("reference_id", "max_length")],
        ),
        (
            "15 notes of 255 characters",
            |r| r.with_notes(notes(15, 255)),
            &[],
        ),
        (
            "16 notes",
            |r| r.with_notes(notes(16, 1)),
            &[("notes", "max_properties")],
        ),
        (
            "a note of 256 characters",
            |r| r.with_notes(notes(1, 256)),
            &[("notes[\"note_0\"]", "max_length")],
        ),
        (
            "partial minimum with accept_partial",
            |r| {
                r.with_accept_partial(true)
                    .with_first_min_partial_amount(100)
            },
            &[],
        ),
        (
            "partial minimum without accept_partial",
            |r| r.with_first_min_partial_amount(100),
            &[(
                "first_min_partial_amount",
                "first_min_partial_amount_needs_accept_partial",
            )],
        ),
        (
            "partial minimum with accept_partial false",
            |r| {
                r.with_accept_partial(false)
                    .with_first_min_partial_amount(100)
            },
            &[(
                "first_min_partial_amount",
                "first_min_partial_amount_needs_accept_partial",
            )],
        ),
        (
            "callback_url with callback_method get",
            |r| {
                r.with_callback_url("https://example.com/cb")
                    .with_callback_method(CallbackMethod::Get)
            },
            &[],
        ),
        (
            "callback_url without callback_method",
            |r| r.with_callback_url("https://example.com/cb"),
            &[("callback_method", "callback_method_with_callback_url")],
        ),
        (
            "callback_method post",
            |r| {
                r.with_callback_url("https://example.com/cb")
                    .with_callback_method("post")
            },
            &[("callback_method", "enum")],
        ),
        (
            "callback_url that is not a URL",
            |r| {
                r.with_callback_url("example.com/cb")
                    .with_callback_method(CallbackMethod::Get)
            },
            &[("callback_url", "format")],
        ),
        ("currency USD", |r| r.with_currency("USD"), &[]),
        (
            "lower-case currency",
            |r| r.with_currency("inr"),
            &[("currency", "pattern")],
        ),
        (
            "four-letter currency",
            |r| r.with_currency("INRX"),
            &[("currency", "pattern")],
        ),
        (
            "UPI link in INR",
            |r| r.with_upi_link(true).with_currency("INR"),
            &[],
        ),
        (
            "UPI link with the default currency",
            |r| r.with_upi_link(true),
            &[],
        ),
        (
            "UPI link in USD",
            |r| r.with_upi_link(true).with_currency("USD"),
            &[("currency", "upi_link_inr_only")],
        ),
        (
            "UPI link with partial payments",
            |r| r.with_upi_link(true).with_accept_partial(true),
            &[("accept_partial", "upi_link_without_partial_payments")],
        ),
        (
            "standard link in USD with partial payments",
            |r| r.with_currency("USD").with_accept_partial(true),
            &[],
        ),
        (
            "KWD amount ending in 0",
            |mut r| {
                r.amount = 99990;
                r.with_currency("KWD")
            },
            &[],
        ),
        (
            "KWD amount ending in 1",
            |mut r| {
                r.amount = 99991;
                r.with_currency("KWD")
            },
            &[("amount", "three_decimal_currency_amount_ends_in_zero")],
        ),
        (
            "OMR amount ending in 5",
            |mut r| {
                r.amount = 295995;
                r.with_currency("OMR")
            },
            &[("amount", "three_decimal_currency_amount_ends_in_zero")],
        ),
        (
            "JPY amount ending in 5",
            |mut r| {
                r.amount = 295;
                r.with_currency("JPY")
            },
            &[],
        ),
        (
            "expire_by 15 minutes ahead",
            |r| r.with_expire_by(after_now(900)),
            &[],
        ),
        (
            "expire_by 14 minutes ahead",
            |r| r.with_expire_by(after_now(899)),
            &[("expire_by", "expire_by_at_least_15_minutes_ahead")],
        ),
        (
            "expire_by in the past",
            |r| r.with_expire_by(after_now(-60)),
            &[("expire_by", "expire_by_at_least_15_minutes_ahead")],
        ),
        (
            "expire_by six months ahead",
            |r| r.with_expire_by(UnixTimestamp::from_secs(SIX_MONTHS_LATER)),
            &[],
        ),
        (
            "expire_by past six months",
            |r| r.with_expire_by(UnixTimestamp::from_secs(SIX_MONTHS_LATER + 1)),
            &[("expire_by", "expire_by_at_most_6_months_ahead")],
        ),
        (
            "customer with an email",
            |r| r.with_customer(Customer::new().with_email("gaurav.kumar@example.com")),
            &[],
        ),
        // Razorpay documents no email format, and accepts what a strict check refuses.
        (
            "customer with an email no format check would accept",
            |r| r.with_customer(Customer::new().with_email("user@localhost")),
            &[],
        ),
        (
            "customer with an empty email",
            |r| r.with_customer(Customer::new().with_email("")),
            &[],
        ),
        (
            "amount of 0",
            |mut r| {
                r.amount = 0;
                r
            },
            &[
                ("amount", "minimum"),
                ("amount", "amount_at_least_one_rupee"),
            ],
        ),
        (
            "negative amount",
            |mut r| {
                r.amount = -1000;
                r
            },
            &[
                ("amount", "minimum"),
                ("amount", "amount_at_least_one_rupee"),
            ],
        ),
        (
            "INR amount of 99 paise",
            |mut r| {
                r.amount = 99;
                r.with_currency("INR")
            },
            &[("amount", "amount_at_least_one_rupee")],
        ),
        (
            "INR amount of 100 paise",
            |mut r| {
                r.amount = 100;
                r
            },
            &[],
        ),
        (
            "USD amount of 50 cents",
            |mut r| {
                r.amount = 50;
                r.with_currency("USD")
            },
            &[],
        ),
        (
            "first_min_partial_amount equal to amount",
            |r| {
                let amount = r.amount;
                r.with_accept_partial(true)
                    .with_first_min_partial_amount(amount)
            },
            &[],
        ),
        (
            "first_min_partial_amount above amount",
            |r| {
                let amount = r.amount;
                r.with_accept_partial(true)
                    .with_first_min_partial_amount(amount + 1)
            },
            &[(
                "first_min_partial_amount",
                "first_min_partial_amount_at_most_amount",
            )],
        ),
    ];

    #[test]
    fn every_rule_passes_and_fails_where_it_should() {
        let mut failures = Vec::new();
        for (name, build, expected) in CASES {
            let actual = broken(build(request()).validate_at(now()));
            if actual != pairs(expected) {
                failures.push(format!("{name}: expected {expected:?}, got {actual:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn update_requests_have_their_own_rules() {
        let ok = UpdatePaymentLinkRequest::new()
            .with_reference_id("r".repeat(40))
            .with_expire_by(after_now(3600));
        assert_eq!(ok.validate_at(now()), Ok(()));
        // Six months count from the link's creation, which the update does not know: left
        // to Razorpay.
        let far = UpdatePaymentLinkRequest::new()
            .with_expire_by(UnixTimestamp::from_secs(SIX_MONTHS_LATER + 86_400));
        assert_eq!(far.validate_at(now()), Ok(()));
        let bad = UpdatePaymentLinkRequest::new()
            .with_reference_id("r".repeat(41))
            .with_notes(notes(16, 300))
            .with_expire_by(after_now(60));
        let actual = broken(bad.validate_at(now()));
        assert_eq!(actual.len(), 16 + 2 + 1, "{actual:?}");
        assert_eq!(
            actual[0],
            ("reference_id".to_owned(), "max_length".to_owned())
        );
        assert_eq!(actual[1], ("notes".to_owned(), "max_properties".to_owned()));
        assert_eq!(
            actual.last().unwrap(),
            &(
                "expire_by".to_owned(),
                "expire_by_at_least_15_minutes_ahead".to_owned()
            )
        );
    }

    #[test]
    fn all_violations_are_reported_at_once() {
        let r = request()
            .with_currency("usd")
            .with_upi_link(true)
            .with_accept_partial(true)
            .with_first_min_partial_amount(100)
            .with_callback_url("https://example.com/cb")
            .with_expire_by(after_now(0));
        assert_eq!(
            broken(r.validate_at(now())),
            pairs(&[
                ("currency", "pattern"),
                ("callback_method", "callback_method_with_callback_url"),
                ("currency", "upi_link_inr_only"),
                ("accept_partial", "upi_link_without_partial_payments"),
                ("expire_by", "expire_by_at_least_15_minutes_ahead"),
            ])
        );
    }

    /// The seed request's `expire_by` (1691097057, 2023-08-03) is more than six months after
    /// the seed response's `created_at` (1591097057, 2020-06-02): the example itself breaks
    /// "the expire by date cannot exceed more than six months from the date of creation".
    /// Validated as of a month before its expiry, it is clean.
    #[test]
    fn the_seed_request_breaks_only_the_six_month_rule_at_its_creation_time() {
        let request: CreatePaymentLinkRequest = serde_json::from_str(
            r##"{"amount": 1000, "currency": "INR", "accept_partial": true, "first_min_partial_amount": 100,
                "expire_by": 1691097057, "reference_id": "TS1989", "description": "Payment for policy no #23456",
                "customer": {"name": "Gaurav Kumar", "contact": "+919000090000", "email": "gaurav.kumar@example.com"},
                "notify": {"sms": true, "email": true}, "reminder_enable": true,
                "notes": {"policy_name": "Jeevan Bima"},
                "callback_url": "https://example-callback-url.com/", "callback_method": "get"}"##,
        )
        .unwrap();
        let created_at = DateTime::from_timestamp(1_591_097_057, 0).unwrap();
        assert_eq!(
            broken(request.validate_at(created_at)),
            pairs(&[("expire_by", "expire_by_at_most_6_months_ahead")])
        );
        let a_month_before_expiry =
            DateTime::from_timestamp(1_691_097_057 - 30 * 86_400, 0).unwrap();
        assert_eq!(request.validate_at(a_month_before_expiry), Ok(()));
    }
}

//! Runtime cost of the generated code: `cargo bench -p paylinks --bench runtime`.
//!
//! A plain timing loop (no framework, to keep the dependency tree lean): after a warm-up it
//! times batches of calls and reports the median per call over the batches, and counts
//! allocations per call with a counting allocator. It prints a markdown table, which
//! `cargo xtask bench` copies into BENCHMARKS.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, Utc};
use indexmap::IndexMap;
use paylinks::runtime::validate::Validate;
use paylinks::runtime::{JsonDecimal, UnixTimestamp};
use serde::{Deserialize, Serialize};

struct CountingAllocator;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const BATCHES: usize = 31;

/// Calls per batch so that a batch takes about 10 ms.
fn batch_size(f: &mut impl FnMut()) -> u32 {
    let start = Instant::now();
    let mut calibration = 0u32;
    while start.elapsed().as_millis() < 20 {
        f();
        calibration += 1;
    }
    (calibration / 2).max(10)
}

/// Median nanoseconds per call and allocations per call of `f`.
fn measure(mut f: impl FnMut()) -> (f64, f64) {
    let batch = batch_size(&mut f);
    let mut per_call = Vec::with_capacity(BATCHES);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        per_call.push(start.elapsed().as_nanos() as f64 / f64::from(batch));
    }
    let allocations =
        (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / (f64::from(batch) * BATCHES as f64);
    per_call.sort_by(f64::total_cmp);
    (per_call[BATCHES / 2], allocations)
}

fn row(name: &str, (ns, allocations): (f64, f64)) {
    println!("| {name} | {ns:.0} | {allocations:.1} |");
}

fn ratio(name: &str, generated: (f64, f64), hand: (f64, f64)) {
    println!(
        "| {name}: generated / hand-written | {:.3} | |",
        generated.0 / hand.0
    );
}

const CASHFREE_LINK: &str = r#"{"cf_link_id": 1996567, "link_id": "my_link_id", "link_status": "ACTIVE", "link_currency": "INR",
  "link_amount": 100, "link_amount_paid": 0, "link_partial_payments": true, "link_minimum_partial_amount": 20,
  "link_purpose": "Payment for PlayStation 11", "link_created_at": "2021-09-30T17:05:01+05:30",
  "customer_details": {"customer_name": "John Doe", "customer_phone": "9999999999", "customer_email": "john@example.com"},
  "link_meta": {"key_1": "value_1", "key_2": "value_2"}, "link_url": "https://payments-test.cashfree.com/links/o1tf1nvcvjhg",
  "link_expiry_time": "2021-10-14T15:04:05+05:30", "link_notes": {"key_1": "value_1", "key_2": "value_2"},
  "link_auto_reminders": true, "link_notify": {"send_sms": false, "send_email": true}}"#;

const RAZORPAY_LINK: &str = r#"{"accept_partial": true, "amount": 1000, "amount_paid": 0, "callback_method": "get",
  "callback_url": "https://example-callback-url.com/", "cancelled_at": 0, "created_at": 1591097057, "currency": "INR",
  "customer": {"contact": "+919000090000", "email": "gaurav.kumar@example.com", "name": "Gaurav Kumar"},
  "description": "Payment for policy no #23456", "expire_by": 1691097057, "expired_at": 0, "first_min_partial_amount": 100,
  "id": "plink_ExjpAUN3gVHrPJ", "notes": {"policy_name": "Jeevan Bima"}, "notify": {"email": true, "sms": true},
  "payments": null, "reference_id": "TS1989", "reminder_enable": true, "reminders": [], "short_url": "https://rzp.io/i/nxrHnLJ",
  "status": "created", "updated_at": 1591097057, "user_id": ""}"#;

/// What a careful person would write by hand for Cashfree's `LinkEntity`: the floor.
mod hand {
    use super::*;

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum LinkStatus {
        Active,
        Paid,
        PartiallyPaid,
        Expired,
        Cancelled,
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct Customer {
        pub customer_phone: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub customer_email: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub customer_name: Option<String>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct Notify {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub send_sms: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub send_email: Option<bool>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct LinkEntity {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cf_link_id: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_status: Option<LinkStatus>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_currency: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_amount: Option<JsonDecimal>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_amount_paid: Option<JsonDecimal>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_partial_payments: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_minimum_partial_amount: Option<JsonDecimal>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_purpose: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_created_at: Option<DateTime<FixedOffset>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub customer_details: Option<Customer>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_meta: Option<IndexMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_expiry_time: Option<DateTime<FixedOffset>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_notes: Option<IndexMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_auto_reminders: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub link_notify: Option<Notify>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status {
        Created,
        PartiallyPaid,
        Expired,
        Cancelled,
        Paid,
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct RzpCustomer {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub contact: Option<String>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum OrEmpty<T> {
        Empty(Vec<serde_json::Value>),
        Value(T),
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct RzpNotify {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sms: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub email: Option<bool>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct Reminder {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
    }

    /// Razorpay's entity, with the same quirk handling as the generated one.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct PaymentLink {
        pub id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub accept_partial: Option<bool>,
        pub amount: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub amount_paid: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub callback_method: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub callback_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cancelled_at: Option<UnixTimestamp>,
        pub created_at: UnixTimestamp,
        pub currency: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub customer: Option<OrEmpty<RzpCustomer>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expire_by: Option<UnixTimestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expired_at: Option<UnixTimestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub first_min_partial_amount: Option<i64>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "paylinks::runtime::double_option"
        )]
        pub notes: Option<Option<OrEmpty<IndexMap<String, String>>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub notify: Option<RzpNotify>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "paylinks::runtime::double_option"
        )]
        pub payments: Option<Option<Vec<serde_json::Value>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reference_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reminder_enable: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reminders: Option<OrEmpty<Reminder>>,
        pub short_url: String,
        pub status: Status,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<UnixTimestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user_id: Option<String>,
    }
}

/// Median ns and allocations per call of `f` and of `g`, measured in alternating batches so
/// that a passing load on the machine weighs on both alike.
fn measure_pair(mut f: impl FnMut(), mut g: impl FnMut()) -> ((f64, f64), (f64, f64)) {
    let batch = batch_size(&mut f);
    let (mut times_f, mut times_g, mut allocs_f, mut allocs_g) =
        (Vec::new(), Vec::new(), 0usize, 0usize);
    for _ in 0..BATCHES {
        for (run, times, allocs) in [
            (&mut f as &mut dyn FnMut(), &mut times_f, &mut allocs_f),
            (&mut g as &mut dyn FnMut(), &mut times_g, &mut allocs_g),
        ] {
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            let start = Instant::now();
            for _ in 0..batch {
                run();
            }
            times.push(start.elapsed().as_nanos() as f64 / f64::from(batch));
            *allocs += ALLOCATIONS.load(Ordering::Relaxed) - before;
        }
    }
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[BATCHES / 2]
    };
    let per_call = |allocs: usize| allocs as f64 / (f64::from(batch) * BATCHES as f64);
    (
        (median(&mut times_f), per_call(allocs_f)),
        (median(&mut times_g), per_call(allocs_g)),
    )
}

fn serde_pair<G, H>(name: &str, json: &str)
where
    G: Serialize + for<'de> Deserialize<'de>,
    H: Serialize + for<'de> Deserialize<'de>,
{
    let (generated_de, hand_de) = measure_pair(
        || {
            black_box(serde_json::from_str::<G>(black_box(json)).unwrap());
        },
        || {
            black_box(serde_json::from_str::<H>(black_box(json)).unwrap());
        },
    );
    let generated: G = serde_json::from_str(json).unwrap();
    let hand: H = serde_json::from_str(json).unwrap();
    let (generated_ser, hand_ser) = measure_pair(
        || {
            black_box(serde_json::to_vec(black_box(&generated)).unwrap());
        },
        || {
            black_box(serde_json::to_vec(black_box(&hand)).unwrap());
        },
    );
    row(&format!("{name}: deserialize (generated)"), generated_de);
    row(&format!("{name}: deserialize (hand-written)"), hand_de);
    ratio(&format!("{name}: deserialize"), generated_de, hand_de);
    row(&format!("{name}: serialize (generated)"), generated_ser);
    row(&format!("{name}: serialize (hand-written)"), hand_ser);
    ratio(&format!("{name}: serialize"), generated_ser, hand_ser);
}

fn main() {
    println!("| benchmark | median ns per call | allocations per call |");
    println!("|---|---:|---:|");
    serde_pair::<paylinks::cashfree::LinkEntity, hand::LinkEntity>(
        "Cashfree LinkEntity",
        CASHFREE_LINK,
    );
    serde_pair::<paylinks::razorpay::PaymentLink, hand::PaymentLink>(
        "Razorpay PaymentLink",
        RAZORPAY_LINK,
    );

    // What a client does with a response body: the shape check and the strict reader
    // (structs only from objects, at every depth) against plain `serde_json::from_slice`.
    use paylinks::runtime::http::{decode_json, Shape};
    for (name, body) in [
        ("Cashfree LinkEntity", CASHFREE_LINK),
        ("Razorpay PaymentLink", RAZORPAY_LINK),
    ] {
        let body = body.as_bytes();
        let (strict, plain) = if name.starts_with("Cashfree") {
            measure_pair(
                || {
                    black_box(
                        decode_json::<paylinks::cashfree::LinkEntity>(
                            black_box(body),
                            Shape::Object,
                        )
                        .unwrap(),
                    );
                },
                || {
                    black_box(
                        serde_json::from_slice::<paylinks::cashfree::LinkEntity>(black_box(body))
                            .unwrap(),
                    );
                },
            )
        } else {
            measure_pair(
                || {
                    black_box(
                        decode_json::<paylinks::razorpay::PaymentLink>(
                            black_box(body),
                            Shape::Object,
                        )
                        .unwrap(),
                    );
                },
                || {
                    black_box(
                        serde_json::from_slice::<paylinks::razorpay::PaymentLink>(black_box(body))
                            .unwrap(),
                    );
                },
            )
        };
        row(&format!("{name}: decode_json (client path)"), strict);
        row(&format!("{name}: serde_json::from_slice"), plain);
        println!(
            "| {name}: decode_json / from_slice | {:.3} | |",
            strict.0 / plain.0
        );
    }

    let now: DateTime<Utc> = DateTime::from_timestamp(1_691_097_057 - 30 * 86_400, 0).unwrap();
    let cashfree: paylinks::cashfree::CreateLinkRequest = serde_json::from_str(
        r#"{"link_amount": 100, "link_currency": "INR", "link_minimum_partial_amount": 20,
            "link_id": "my_link_id", "link_partial_payments": true,
            "customer_details": {"customer_name": "John Doe", "customer_phone": "9999999999", "customer_email": "john@cashfree.com"},
            "link_expiry_time": "2021-10-14T15:04:05+05:30", "link_purpose": "Payment for PlayStation 11",
            "link_notify": {"send_sms": false, "send_email": true}, "link_auto_reminders": true,
            "link_notes": {"key_1": "value_1", "key_2": "value_2"},
            "link_meta": {"notify_url": "https://ee08e626ecd88c61c85f5c69c0418cb5.m.pipedream.net", "upi_intent": false, "return_url": "https://b8af79f41056.eu.ngrok.io"}}"#,
    )
    .unwrap();
    assert_eq!(cashfree.validate_at(now), Ok(()));
    row(
        "Cashfree CreateLinkRequest (seed): validate_at",
        measure(|| {
            let _ = black_box(black_box(&cashfree).validate_at(now));
        }),
    );
    let razorpay: paylinks::razorpay::CreatePaymentLinkRequest = serde_json::from_str(
        r##"{"amount": 1000, "currency": "INR", "accept_partial": true, "first_min_partial_amount": 100,
            "expire_by": 1691097057, "reference_id": "TS1989", "description": "Payment for policy no #23456",
            "customer": {"name": "Gaurav Kumar", "contact": "+919000090000", "email": "gaurav.kumar@example.com"},
            "notify": {"sms": true, "email": true}, "reminder_enable": true, "notes": {"policy_name": "Jeevan Bima"},
            "callback_url": "https://example-callback-url.com/", "callback_method": "get"}"##,
    )
    .unwrap();
    assert_eq!(razorpay.validate_at(now), Ok(()));
    row(
        "Razorpay CreatePaymentLinkRequest (seed): validate_at",
        measure(|| {
            let _ = black_box(black_box(&razorpay).validate_at(now));
        }),
    );

    // A create request up to the bytes on the wire: validate, serialize, build the HTTP request.
    use paylinks::runtime::http::{Auth, Call, ClientConfig, Error, RequestOptions, Transport};
    let auth = Auth::new("ClientIdClientSecret")
        .header("x-client-id", "id")
        .unwrap()
        .header("x-client-secret", "secret")
        .unwrap();
    let transport = Transport::new(
        "https://sandbox.cashfree.com/pg",
        auth,
        ClientConfig::default(),
    )
    .unwrap();
    let options =
        RequestOptions::new().with_idempotency_key("47bf8872-46fe-11ee-be56-0242ac120002");
    row(
        "Cashfree create: validate + serialize + build the request",
        measure(|| {
            cashfree.validate().unwrap();
            let call = Call {
                method: reqwest::Method::POST,
                path: "/links".to_owned(),
                query: Vec::new(),
                headers: vec![("x-api-version", "2022-09-01".to_owned())],
                body: Some(paylinks::runtime::http::json_body::<_, ()>(&cashfree).unwrap()),
                options: &options,
                takes_request_id: true,
                idempotency: Some(paylinks::runtime::http::Idempotency {
                    honoured_by: Some(&["ClientIdClientSecret"]),
                    replayed: &[500],
                }),
                response_shape: paylinks::runtime::http::Shape::Object,
            };
            let request: Result<reqwest::Request, Error<()>> = transport.prepare(&call);
            black_box(request.unwrap());
        }),
    );
}

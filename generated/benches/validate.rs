//! What validating the seed create requests costs: `cargo bench -p paylinks --bench validate`.
//!
//! A plain timing loop (no benchmark framework, to keep the dependency tree lean): after a
//! warm-up it times batches of `validate_at` calls and reports the median and the fastest
//! batch per call, and counts allocations per call with a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use paylinks::runtime::validate::Validate;

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

const BATCH: u32 = 10_000;
const BATCHES: usize = 50;

fn bench<T: Validate>(name: &str, value: &T, now: DateTime<Utc>) {
    assert_eq!(value.validate_at(now), Ok(()), "{name} must be valid");
    for _ in 0..BATCH {
        let _ = black_box(black_box(value).validate_at(now));
    }
    let mut per_call = Vec::with_capacity(BATCHES);
    let allocations_before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..BATCH {
            let _ = black_box(black_box(value).validate_at(now));
        }
        per_call.push(start.elapsed() / BATCH);
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations_before;
    per_call.sort();
    let median: Duration = per_call[BATCHES / 2];
    let fastest: Duration = per_call[0];
    println!(
        "{name:<42} median {:>7.1} ns   fastest {:>7.1} ns   allocations/call {}",
        median.as_nanos() as f64,
        fastest.as_nanos() as f64,
        allocations as f64 / f64::from(BATCH * BATCHES as u32)
    );
}

fn main() {
    // `cargo test --benches` runs bench targets as tests; one quick pass is enough there.
    let now = DateTime::from_timestamp(1_691_097_057 - 30 * 86_400, 0).unwrap();
    println!("validate_at on the seed create requests ({BATCHES} batches of {BATCH} calls)");

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
    bench("cashfree CreateLinkRequest (seed)", &cashfree, now);

    let razorpay: paylinks::razorpay::CreatePaymentLinkRequest = serde_json::from_str(
        r##"{"amount": 1000, "currency": "INR", "accept_partial": true, "first_min_partial_amount": 100,
            "expire_by": 1691097057, "reference_id": "TS1989", "description": "Payment for policy no #23456",
            "customer": {"name": "Gaurav Kumar", "contact": "+919000090000", "email": "gaurav.kumar@example.com"},
            "notify": {"sms": true, "email": true}, "reminder_enable": true, "notes": {"policy_name": "Jeevan Bima"},
            "callback_url": "https://example-callback-url.com/", "callback_method": "get"}"##,
    )
    .unwrap();
    bench("razorpay CreatePaymentLinkRequest (seed)", &razorpay, now);
}

//! Validating a valid request allocates nothing. This binary holds a single test, so that no
//! other test validates concurrently: `Pattern`s share their regex search state through a
//! pool, and a thread that finds it in use (first use, or another thread searching at that
//! moment) allocates a fresh state once, which the pool then keeps.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use chrono::DateTime;
use paylinks::runtime::validate::Validate;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Allocations made by the second of two validations (the first compiles the patterns).
fn steady_state_allocations<T: Validate>(value: &T) -> usize {
    let now = DateTime::from_timestamp(1_735_689_600, 0).unwrap();
    assert_eq!(value.validate_at(now), Ok(()));
    let before = ALLOCATIONS.with(Cell::get);
    let result = value.validate_at(now);
    let count = ALLOCATIONS.with(Cell::get) - before;
    assert_eq!(result, Ok(()));
    count
}

#[test]
fn valid_requests_are_checked_without_allocating() {
    #[cfg(feature = "cashfree")]
    {
        use paylinks::cashfree::{CreateLinkRequest, LinkCustomerDetailsEntity, LinkMetaEntity};
        let notes = (0..5)
            .map(|i| (format!("key_{i}"), "value".to_owned()))
            .collect::<paylinks::cashfree::LinkNotesEntity>();
        let request = CreateLinkRequest::new(
            "my_link_id",
            100,
            "INR",
            "Payment for PlayStation 11",
            LinkCustomerDetailsEntity::new("9999999999"),
        )
        .with_link_partial_payments(true)
        .with_link_minimum_partial_amount(20)
        .with_link_notes(notes)
        .with_link_meta(
            LinkMetaEntity::new()
                .with_return_url("https://example.com/r")
                .with_payment_methods("cc,upi"),
        );
        assert_eq!(
            steady_state_allocations(&request),
            0,
            "Cashfree create request"
        );
    }
    #[cfg(feature = "razorpay")]
    {
        use paylinks::razorpay::{CallbackMethod, CreatePaymentLinkRequest, Customer};
        use paylinks::runtime::UnixTimestamp;
        let notes = (0..15)
            .map(|i| (format!("note_{i}"), "v".repeat(200)))
            .collect::<paylinks::razorpay::Notes>();
        let request = CreatePaymentLinkRequest::new(1000)
            .with_currency("INR")
            .with_accept_partial(true)
            .with_first_min_partial_amount(100)
            .with_customer(Customer::new().with_email("gaurav.kumar@example.com"))
            .with_notes(notes)
            .with_callback_url("https://example-callback-url.com/")
            .with_callback_method(CallbackMethod::Get)
            .with_expire_by(UnixTimestamp::from_secs(1_735_689_600 + 86_400));
        assert_eq!(
            steady_state_allocations(&request),
            0,
            "Razorpay create request"
        );
    }
}

//! Round trips of every `example` in the specs through its generated type. The modules are
//! generated (one per gateway); this file and `support.rs` are written by hand.

// Identifiers are the vendor's names (see `src/lib.rs`).
#![allow(uncommon_codepoints, confusable_idents, mixed_script_confusables)]

#[cfg(feature = "cashfree")]
#[rustfmt::skip]
mod cashfree;
#[cfg(feature = "razorpay")]
#[rustfmt::skip]
mod razorpay;

mod support;
#[allow(unused_imports)] // used by the gateway modules, which features may leave out
use support::round_trip;

//! Typed models for the Cashfree and Razorpay Payment Links APIs, generated from their
//! OpenAPI specs by `cargo xtask codegen`.
//!
//! Each gateway is a module behind a cargo feature of the same name (both on by default):
//! [`cashfree`] and [`razorpay`]. Their contents are generated; [`runtime`] is written by
//! hand.
//!
//! # Construction
//!
//! Every request type has a `new` that takes exactly its required fields, and a `with_*`
//! method per optional field. Types are `#[non_exhaustive]`, so a struct literal cannot
//! be used to skip `new`, and leaving out a required field does not compile:
//!
//! ```
//! use paylinks::cashfree::{CreateLinkRequest, LinkCustomerDetailsEntity};
//!
//! let customer = LinkCustomerDetailsEntity::new("9999999999");
//! let request = CreateLinkRequest::new("my_link_id", 100, "INR", "Payment for PlayStation 11", customer);
//! assert_eq!(request.link_purpose, "Payment for PlayStation 11");
//! ```
//!
//! The same call without `link_purpose` is rejected by the compiler (wrong number of
//! arguments):
//!
//! ```compile_fail,E0061
//! use paylinks::cashfree::{CreateLinkRequest, LinkCustomerDetailsEntity};
//!
//! let customer = LinkCustomerDetailsEntity::new("9999999999");
//! let request = CreateLinkRequest::new("my_link_id", 100, "INR", customer);
//! ```
//!
//! and so is a struct literal, which would let a field be forgotten:
//!
//! ```compile_fail,E0639
//! use paylinks::razorpay::CreatePaymentLinkRequest;
//!
//! let request = CreatePaymentLinkRequest { amount: 1000, ..CreatePaymentLinkRequest::new(1) };
//! ```

#![forbid(unsafe_code)]
// Generated names are the vendor's, made identifiers but not transliterated: a spec may use
// characters outside NFKC (`ﬁeld`) or two look-alike names (`field`, `fıeld`), which are
// valid Rust that these lints (crate-level only, for the first) would reject.
#![allow(uncommon_codepoints, confusable_idents, mixed_script_confusables)]

// Generated modules are formatted by the generator (prettyplease); rustfmt leaves them be,
// so that `cargo fmt` never makes them differ from what `cargo xtask codegen` writes.
#[cfg(feature = "cashfree")]
#[rustfmt::skip]
pub mod cashfree;
#[cfg(feature = "razorpay")]
#[rustfmt::skip]
pub mod razorpay;
pub mod runtime;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

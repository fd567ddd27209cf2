//! Hand-written support for the generated code: value types the JSON wire formats need and
//! serde helpers. Everything here is public because generated code in the gateway modules
//! uses it, and downstream code meets these types in field positions.

mod decimal;
pub mod double_option;
pub mod form;
/// The string formats validation checks (shared with the generator).
mod format;
pub mod http;
pub mod multipart;
mod secret;
pub mod signature;
mod timestamp;

pub use decimal::{JsonDecimal, ParseDecimalError};
pub use http::{ApiResponse, ClientConfig, Error, RequestOptions, ResponseMeta, RetryPolicy};
pub use multipart::FilePart;
/// Re-exported for the exact limits generated validators build.
pub use rust_decimal::Decimal;
pub use secret::Secret;
pub use timestamp::UnixTimestamp;
pub mod validate;

pub use validate::{Validate, ValidationError, Violation};

//! Round trips of every `example` in the specs through its generated type. The modules are
//! generated (one per gateway); this file is written by hand.

#[cfg(feature = "cashfree")]
#[rustfmt::skip]
mod cashfree;
#[cfg(feature = "razorpay")]
#[rustfmt::skip]
mod razorpay;

/// Deserializes `json` into `T`, serializes it back, and asserts that nothing changed.
#[track_caller]
fn round_trip<T>(json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let expected: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
    let typed: T = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("the example does not deserialize: {e}"));
    let actual = serde_json::to_value(&typed).expect("the value serializes");
    assert_eq!(actual, expected, "the round trip changed the example");
}

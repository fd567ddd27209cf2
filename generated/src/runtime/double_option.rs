//! Serde helpers for a field that may be absent, `null`, or a value: `Option<Option<T>>`,
//! where the outer `None` is "absent" and `Some(None)` is "null". Use with
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        // Only reached without `skip_serializing_if`; absent and null then look alike.
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    // Called only when the field is present, so present-and-null becomes `Some(None)`.
    Option::<T>::deserialize(deserializer).map(Some)
}

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact decimal that travels as a JSON number: a money amount such as Cashfree's
/// `link_amount` (rupees with up to two decimals).
///
/// Arithmetic and comparisons go through the inner [`rust_decimal::Decimal`] (this type
/// dereferences to it). On the wire it is a JSON number written digit for digit from the
/// decimal (`100`, `100.5`, `12345678901234567.89`): it never passes through `f64`, so every
/// value a `Decimal` holds (up to 28 significant digits) is sent and read back exactly.
/// Reading accepts JSON numbers (exponent forms too) and, for payloads that quote their
/// amounts, numeric strings.
///
/// Exactness holds with `serde_json`'s own serializer and deserializer (`to_string`,
/// `to_vec`, `to_writer`, `from_str`, `from_slice`, `from_reader`), which is what the
/// clients use. Two places lose digits past what `f64` holds (about 15 significant digits),
/// because the value goes through `serde_json`'s `f64`-based number first:
/// `serde_json::to_value` / `from_value`, and an amount inside an untagged union or next to
/// flattened fields. Other serde formats see the number as `serde_json`'s raw-value wrapper;
/// convert with [`JsonDecimal::get`] or `to_string()` for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct JsonDecimal(Decimal);

impl JsonDecimal {
    pub const fn new(value: Decimal) -> Self {
        Self(value)
    }

    /// The decimal value.
    pub const fn get(self) -> Decimal {
        self.0
    }
}

impl Deref for JsonDecimal {
    type Target = Decimal;

    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl From<Decimal> for JsonDecimal {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl From<JsonDecimal> for Decimal {
    fn from(value: JsonDecimal) -> Self {
        value.0
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for JsonDecimal {
            fn from(value: $t) -> Self {
                Self(Decimal::from(value))
            }
        }
    )*};
}
from_integer!(i32, i64, u32, u64);

/// The text was not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDecimalError(String);

impl fmt::Display for ParseDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a decimal number: {}", self.0)
    }
}

impl std::error::Error for ParseDecimalError {}

impl FromStr for JsonDecimal {
    type Err = ParseDecimalError;

    /// Parses `"100"`, `"100.5"`, `"-0.25"` and exponent forms such as `"1e2"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        Decimal::from_str_exact(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map(Self)
            .map_err(|e| ParseDecimalError(e.to_string()))
    }
}

impl fmt::Display for JsonDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The name under which `serde_json` (feature `raw_value`) writes a value's text verbatim and
/// hands a value's raw text to a visitor. Tests below pin it: if `serde_json` ever changes
/// it, the exactness tests fail instead of amounts silently going through `f64`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The longest text `Decimal`'s `Display` writes: 28 digits, a sign, a point and `0.`.
const MAX_TEXT: usize = 48;

/// A stack buffer for the decimal's text, so that serializing allocates nothing.
struct TextBuffer {
    bytes: [u8; MAX_TEXT],
    len: usize,
}

impl fmt::Write for TextBuffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > MAX_TEXT {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl Serialize for JsonDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        use std::fmt::Write as _;
        let normalized = self.0.normalize();
        if normalized.scale() == 0 {
            if let Ok(integer) = i64::try_from(normalized) {
                return serializer.serialize_i64(integer);
            }
        }
        let mut text = TextBuffer {
            bytes: [0; MAX_TEXT],
            len: 0,
        };
        write!(text, "{normalized}")
            .map_err(|_| serde::ser::Error::custom("decimal text longer than expected"))?;
        let text = std::str::from_utf8(&text.bytes[..text.len])
            .map_err(|_| serde::ser::Error::custom("decimal text is not UTF-8"))?;
        // `serde_json` writes this one-field struct as the field's text, unquoted.
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, text)?;
        raw.end()
    }
}

impl<'de> Deserialize<'de> for JsonDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `serde_json` answers this with the value's raw text (see `visit_map`); any other
        // deserializer calls `visit_newtype_struct`, which reads the value as usual.
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, DecimalVisitor)
    }
}

/// Parses the raw JSON text of a value: a number, or a string holding one.
fn from_json_text<E: de::Error>(raw: &str) -> Result<JsonDecimal, E> {
    let raw = raw.trim();
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => inner.parse().map_err(E::custom),
        Some(_) => {
            let text: String = serde_json::from_str(raw).map_err(E::custom)?;
            text.parse().map_err(E::custom)
        }
        None if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
            raw.parse().map_err(E::custom)
        }
        None => Err(E::invalid_type(
            de::Unexpected::Other("a JSON value that is not a number"),
            &"a decimal number",
        )),
    }
}

struct DecimalVisitor;

/// Reads the raw text `serde_json` hands over.
struct RawText;

impl<'de> de::DeserializeSeed<'de> for RawText {
    type Value = JsonDecimal;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonDecimal, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for RawText {
    type Value = JsonDecimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the raw text of a JSON number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonDecimal, E> {
        from_json_text(v)
    }
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = JsonDecimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<JsonDecimal, D::Error> {
        d.deserialize_any(self)
    }

    /// `serde_json`'s raw value: one entry whose value is the number's text as written.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<JsonDecimal, A::Error> {
        if map.next_key::<de::IgnoredAny>()?.is_none() {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let value = map.next_value_seed(RawText)?;
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonDecimal, E> {
        Ok(JsonDecimal(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonDecimal, E> {
        Ok(JsonDecimal(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonDecimal, E> {
        if !v.is_finite() {
            return Err(E::custom("a decimal amount must be finite"));
        }
        // Only reached where the number was already read as `f64` (see the type's docs):
        // `f64`'s `Display` is the shortest text that reads back as the same float, the text
        // the sender wrote for any amount of up to 15 significant digits.
        v.to_string().parse().map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonDecimal, E> {
        v.parse().map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> String {
        let value: JsonDecimal = serde_json::from_str(json).unwrap();
        serde_json::to_string(&value).unwrap()
    }

    #[test]
    fn keeps_the_written_number() {
        assert_eq!(round_trip("100"), "100");
        assert_eq!(round_trip("100.5"), "100.5");
        assert_eq!(round_trip("0.1"), "0.1");
        assert_eq!(round_trip("99999999999.99"), "99999999999.99");
        assert_eq!(round_trip("-20.25"), "-20.25");
        assert_eq!(round_trip("\"12.30\""), "12.3");
    }

    #[test]
    fn is_exact_where_f64_is_not() {
        let a: JsonDecimal = serde_json::from_str("0.1").unwrap();
        let b: JsonDecimal = serde_json::from_str("0.2").unwrap();
        assert_eq!(
            a.get() + b.get(),
            "0.3".parse::<JsonDecimal>().unwrap().get()
        );
    }

    /// 15, 17 and 28 significant digits: exact both ways, never through `f64`.
    #[test]
    fn is_exact_at_any_precision() {
        for text in [
            "999999999999.999",
            "99999999999999.99",
            "12345678901234567.89",
            "123456789012345678.9",
            "1234567890123456789012345678",
            "0.1234567890123456789012345678",
            "-7922816251426433759354395033.5",
            "-0.000000000000000000000000001",
        ] {
            assert_eq!(round_trip(text), text, "{text}");
            let value: JsonDecimal = text.parse().unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
            let back: JsonDecimal = serde_json::from_slice(text.as_bytes()).unwrap();
            assert_eq!(back, value);
            let reader: JsonDecimal = serde_json::from_reader(text.as_bytes()).unwrap();
            assert_eq!(reader, value);
        }
        assert_eq!(round_trip("1.5e3"), "1500");
        assert_eq!(round_trip("1.25E-2"), "0.0125");
        assert_eq!(
            round_trip(r#""12345678901234567.89""#),
            "12345678901234567.89"
        );
        assert_eq!(round_trip(r#""\u0031.5""#), "1.5");
    }

    #[test]
    fn stays_exact_inside_containers() {
        let text = r#"{"a":[12345678901234567.89,null],"b":{"k":99999999999999.99}}"#;
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Holder {
            a: Vec<Option<JsonDecimal>>,
            b: indexmap::IndexMap<String, JsonDecimal>,
        }
        let holder: Holder = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&holder).unwrap(), text);
    }

    #[test]
    fn reads_values_other_deserializers_give() {
        // Through `serde_json::Value` the number is an `f64` first: exact to 15 digits.
        let value = serde_json::json!({"x": 499.5, "y": "12.30", "z": 7});
        let read: std::collections::BTreeMap<String, JsonDecimal> =
            serde_json::from_value(value).unwrap();
        assert_eq!(read["x"].to_string(), "499.5");
        assert_eq!(read["y"].to_string(), "12.30");
        assert_eq!(read["z"].to_string(), "7");
        // An untagged union buffers the value before choosing a variant.
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Either {
            Amount(JsonDecimal),
        }
        let Either::Amount(a) = serde_json::from_str("100.25").unwrap();
        assert_eq!(a.to_string(), "100.25");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(serde_json::from_str::<JsonDecimal>("[1]").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("{}").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("null").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("\"ten\"").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("true").is_err());
        assert!("1.2.3".parse::<JsonDecimal>().is_err());
    }
}

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
/// dereferences to it). On the wire it is a JSON number: integral values are written as
/// integers (`100`), others through the shortest `f64` text that reads back as the same value,
/// which is exact for every value of up to 15 significant digits (any rupee amount below
/// 10 000 000 000 000.00). Reading accepts JSON numbers and, for payloads that quote their
/// amounts, numeric strings.
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

impl Serialize for JsonDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let normalized = self.0.normalize();
        if normalized.scale() == 0 {
            if let Ok(integer) = i64::try_from(normalized) {
                return serializer.serialize_i64(integer);
            }
        }
        let float: f64 = normalized.to_string().parse().map_err(|_| {
            serde::ser::Error::custom("decimal is not representable as a JSON number")
        })?;
        serializer.serialize_f64(float)
    }
}

impl<'de> Deserialize<'de> for JsonDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = JsonDecimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
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
        // `f64`'s `Display` is the shortest text that reads back as the same float, which is
        // the text the sender wrote for any amount of up to 15 significant digits.
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

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(serde_json::from_str::<JsonDecimal>("\"ten\"").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("true").is_err());
        assert!("1.2.3".parse::<JsonDecimal>().is_err());
    }
}

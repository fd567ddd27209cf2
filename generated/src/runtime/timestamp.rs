use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// A Unix timestamp in seconds as Razorpay sends it, where `0` means "not set" (a link that
/// was never cancelled has `cancelled_at: 0`).
///
/// The raw number is kept, so a value always serializes back exactly as it came.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixTimestamp(i64);

impl UnixTimestamp {
    /// The "not set" value, `0`.
    pub const UNSET: Self = Self(0);

    pub const fn from_secs(secs: i64) -> Self {
        Self(secs)
    }

    /// The raw number of seconds.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    pub const fn is_set(self) -> bool {
        self.0 != 0
    }

    /// The moment, or `None` when unset (or out of `chrono`'s range).
    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        if self.is_set() {
            Utc.timestamp_opt(self.0, 0).single()
        } else {
            None
        }
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for UnixTimestamp {
    fn from(value: DateTime<Tz>) -> Self {
        Self(value.timestamp())
    }
}

impl From<i64> for UnixTimestamp {
    fn from(secs: i64) -> Self {
        Self(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_unset_and_round_trips() {
        let unset: UnixTimestamp = serde_json::from_str("0").unwrap();
        assert!(!unset.is_set());
        assert_eq!(unset.to_datetime(), None);
        assert_eq!(serde_json::to_string(&unset).unwrap(), "0");
        let set: UnixTimestamp = serde_json::from_str("1591097057").unwrap();
        assert_eq!(
            set.to_datetime().unwrap().to_rfc3339(),
            "2020-06-02T11:24:17+00:00"
        );
        assert_eq!(UnixTimestamp::from(set.to_datetime().unwrap()), set);
    }
}

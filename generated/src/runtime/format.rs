// The string `format`s the validators check. This file is shared: the generator
// `include!`s it to decide which formats it emits checks for, so the generator and the
// runtime cannot disagree on the list or on the names. It must stay free of dependencies.

/// A string `format` that validation checks. Formats not listed here are documentation
/// only; `date-time` and `date` are checked on fields typed as text (typed fields are
/// checked by deserialization).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `email`: `local@domain.tld`.
    Email,
    /// `uri` or `url`: an absolute URI.
    Uri,
    /// `https-uri`: an absolute `https://` URI.
    HttpsUri,
    /// `uuid`: 8-4-4-4-12 hexadecimal digits.
    Uuid,
    /// `date-time`: RFC 3339.
    DateTime,
    /// `date`: `YYYY-MM-DD`.
    Date,
}

impl Format {
    /// Every checked format.
    pub const ALL: [Format; 6] = [
        Format::Email,
        Format::Uri,
        Format::HttpsUri,
        Format::Uuid,
        Format::DateTime,
        Format::Date,
    ];

    /// The names a spec may give it (the first is the one reported).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Format::Email => &["email"],
            Format::Uri => &["uri", "url"],
            Format::HttpsUri => &["https-uri"],
            Format::Uuid => &["uuid"],
            Format::DateTime => &["date-time"],
            Format::Date => &["date"],
        }
    }

    /// The name reported in violations.
    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The checked format a spec's `format` names, if it is one.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.names().contains(&name))
    }
}

//! Validation of requests before they are sent: the [`Validate`] trait that generated code
//! implements, the violations it reports, and the checks it calls.
//!
//! A valid value is checked without allocating: paths are a chain of borrowed segments on
//! the stack, and violations are only built when something fails.

use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, Months, TimeDelta, Utc};
use rust_decimal::Decimal;

pub use super::format::Format;
use super::{JsonDecimal, UnixTimestamp};

/// A value that can be checked against the rules of its spec.
pub trait Validate {
    /// Adds every violation of `self`, found at `path`, to `out`.
    fn validate_into(&self, ctx: &Context, path: &Path<'_>, out: &mut Vec<Violation>);

    /// Checks every rule, with `now` as the current time for rules that depend on it.
    fn validate_at(&self, now: DateTime<Utc>) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into(&Context { now }, &Path::root(), &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }

    /// Checks every rule against the system clock.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(Utc::now())
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, ctx: &Context, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_into(ctx, path, out);
    }
}

/// What the checks may depend on besides the value.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: DateTime<Utc>,
}

/// Where a value is, as a chain of borrowed segments from the root.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'static str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    pub const fn root() -> Self {
        Path {
            parent: None,
            segment: Segment::Root,
        }
    }

    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The path as text: `customer_details.customer_phone`, `notes["policy"]`, `lines[0]`.
    pub fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(p) = current {
            segments.push(p.segment);
            current = p.parent;
        }
        let mut out = String::new();
        for segment in segments.into_iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Key(key) => {
                    out.push('[');
                    out.push_str(&format!("{key:?}"));
                    out.push(']');
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// The kind of rule a violation broke: stable, machine-readable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    MinLength,
    MaxLength,
    Pattern,
    Minimum,
    ExclusiveMinimum,
    Maximum,
    ExclusiveMaximum,
    MultipleOf,
    MinItems,
    MaxItems,
    MinProperties,
    MaxProperties,
    Enum,
    Format,
    /// A rule from the spec's `x-paylinks-rules`, by its id.
    Custom(&'static str),
}

impl Rule {
    /// The rule's stable name: the JSON Schema keyword in snake case, or the custom rule's id.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::MinLength => "min_length",
            Rule::MaxLength => "max_length",
            Rule::Pattern => "pattern",
            Rule::Minimum => "minimum",
            Rule::ExclusiveMinimum => "exclusive_minimum",
            Rule::Maximum => "maximum",
            Rule::ExclusiveMaximum => "exclusive_maximum",
            Rule::MultipleOf => "multiple_of",
            Rule::MinItems => "min_items",
            Rule::MaxItems => "max_items",
            Rule::MinProperties => "min_properties",
            Rule::MaxProperties => "max_properties",
            Rule::Enum => "enum",
            Rule::Format => "format",
            Rule::Custom(id) => id,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The limit a rule sets. Numbers are kept as the spec wrote them, so they stay exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// A count of characters, items or properties.
    Count(usize),
    /// A number, as written in the spec.
    Number(&'static str),
    /// A regular expression.
    Pattern(&'static str),
    /// The allowed values.
    Values(&'static [&'static str]),
    /// A format name (`email`, `uri`, ...).
    Format(&'static str),
    /// A custom rule's condition, as text.
    Condition(&'static str),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Count(n) => write!(f, "{n}"),
            Limit::Number(n) | Limit::Pattern(n) | Limit::Format(n) | Limit::Condition(n) => {
                f.write_str(n)
            }
            Limit::Values(values) => write!(f, "{}", values.join(", ")),
        }
    }
}

/// One broken rule. The value itself is never included: requests carry customers' phone
/// numbers and emails, which do not belong in logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where: `customer_details.customer_phone`, `notes["policy"]`.
    pub path: String,
    pub rule: Rule,
    pub limit: Limit,
    /// For custom rules: the spec's message.
    pub message: Option<&'static str>,
}

impl Violation {
    fn new(path: &Path<'_>, rule: Rule, limit: Limit) -> Self {
        Violation {
            path: path.render(),
            rule,
            limit,
            message: None,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "value"
        } else {
            &self.path
        };
        write!(f, "{path}: ")?;
        let limit = &self.limit;
        match self.rule {
            Rule::MinLength => write!(f, "must be at least {limit} characters long"),
            Rule::MaxLength => write!(f, "must be at most {limit} characters long"),
            Rule::Pattern => write!(f, "must match the pattern {limit}"),
            Rule::Minimum => write!(f, "must be at least {limit}"),
            Rule::ExclusiveMinimum => write!(f, "must be greater than {limit}"),
            Rule::Maximum => write!(f, "must be at most {limit}"),
            Rule::ExclusiveMaximum => write!(f, "must be less than {limit}"),
            Rule::MultipleOf => write!(f, "must be a multiple of {limit}"),
            Rule::MinItems => write!(f, "must have at least {limit} items"),
            Rule::MaxItems => write!(f, "must have at most {limit} items"),
            Rule::MinProperties => write!(f, "must have at least {limit} entries"),
            Rule::MaxProperties => write!(f, "must have at most {limit} entries"),
            Rule::Enum => write!(f, "must be one of: {limit}"),
            Rule::Format => write!(f, "must be a valid {limit}"),
            Rule::Custom(id) => match self.message {
                Some(message) => write!(f, "{message} ({id})"),
                None => write!(f, "breaks rule {id}: {limit}"),
            },
        }
    }
}

/// Every rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} invalid field(s): ", self.violations.len())?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A regular expression compiled on first use. OpenAPI patterns are not anchored: a string
/// matches when the pattern matches anywhere in it, so specs anchor with `^...$` themselves.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<regex_lite::Regex>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                regex_lite::Regex::new(self.source)
                    .expect("the generator checked that the pattern compiles")
            })
            .is_match(text)
    }
}

/// The checks generated code calls. Each adds a violation to `out` when the value fails.
pub mod check {
    use super::*;

    fn push(out: &mut Vec<Violation>, path: &Path<'_>, rule: Rule, limit: Limit) {
        out.push(Violation::new(path, rule, limit));
    }

    /// Length in characters (Unicode scalar values), not bytes.
    pub fn min_length(value: &str, min: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        if value.chars().count() < min {
            push(out, path, Rule::MinLength, Limit::Count(min));
        }
    }

    pub fn max_length(value: &str, max: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        // Stop counting once past the limit.
        if value.chars().nth(max).is_some() {
            push(out, path, Rule::MaxLength, Limit::Count(max));
        }
    }

    /// A pattern of the form `^[class]{min,max}$`, which the generator turned into a test
    /// of each character: no regex search needed.
    pub fn char_class(
        value: &str,
        allowed: impl Fn(char) -> bool,
        min: usize,
        max: Option<usize>,
        pattern: &'static str,
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        let mut count = 0usize;
        let all_allowed = value.chars().all(|c| {
            count += 1;
            allowed(c)
        });
        if !all_allowed || count < min || max.is_some_and(|max| count > max) {
            push(out, path, Rule::Pattern, Limit::Pattern(pattern));
        }
    }

    pub fn pattern(value: &str, pattern: &Pattern, path: &Path<'_>, out: &mut Vec<Violation>) {
        if !pattern.is_match(value) {
            push(out, path, Rule::Pattern, Limit::Pattern(pattern.source));
        }
    }

    pub fn min_items(len: usize, min: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        if len < min {
            push(out, path, Rule::MinItems, Limit::Count(min));
        }
    }

    pub fn max_items(len: usize, max: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        if len > max {
            push(out, path, Rule::MaxItems, Limit::Count(max));
        }
    }

    pub fn min_properties(len: usize, min: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        if len < min {
            push(out, path, Rule::MinProperties, Limit::Count(min));
        }
    }

    pub fn max_properties(len: usize, max: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
        if len > max {
            push(out, path, Rule::MaxProperties, Limit::Count(max));
        }
    }

    /// Every item of a list is different (compared as values).
    pub fn unique_items<T: PartialEq>(items: &[T], path: &Path<'_>, out: &mut Vec<Violation>) {
        let duplicate = items
            .iter()
            .enumerate()
            .any(|(i, a)| items[..i].contains(a));
        if duplicate {
            push(
                out,
                path,
                Rule::Custom("unique_items"),
                Limit::Condition("no two items equal"),
            );
        }
    }

    /// A number that can be compared with the spec's limits exactly.
    pub trait Number: Copy {
        fn to_decimal(self) -> Option<Decimal>;
    }

    impl Number for i32 {
        fn to_decimal(self) -> Option<Decimal> {
            Some(Decimal::from(self))
        }
    }

    impl Number for i64 {
        fn to_decimal(self) -> Option<Decimal> {
            Some(Decimal::from(self))
        }
    }

    impl Number for f64 {
        fn to_decimal(self) -> Option<Decimal> {
            Decimal::try_from(self).ok()
        }
    }

    impl Number for f32 {
        fn to_decimal(self) -> Option<Decimal> {
            Decimal::try_from(self).ok()
        }
    }

    impl Number for JsonDecimal {
        fn to_decimal(self) -> Option<Decimal> {
            Some(self.get())
        }
    }

    impl Number for UnixTimestamp {
        fn to_decimal(self) -> Option<Decimal> {
            Some(Decimal::from(self.as_secs()))
        }
    }

    /// A limit from the spec: its text (for messages) and its exact value, which the
    /// generator computes so that nothing is parsed while validating.
    #[derive(Debug, Clone, Copy)]
    pub struct Exact {
        pub text: &'static str,
        pub value: Decimal,
    }

    impl Exact {
        pub const fn new(text: &'static str, value: Decimal) -> Self {
            Exact { text, value }
        }
    }

    pub fn minimum<N: Number>(
        value: N,
        min: Exact,
        exclusive: bool,
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        let Some(v) = value.to_decimal() else { return };
        if exclusive && v <= min.value {
            push(out, path, Rule::ExclusiveMinimum, Limit::Number(min.text));
        } else if !exclusive && v < min.value {
            push(out, path, Rule::Minimum, Limit::Number(min.text));
        }
    }

    pub fn maximum<N: Number>(
        value: N,
        max: Exact,
        exclusive: bool,
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        let Some(v) = value.to_decimal() else { return };
        if exclusive && v >= max.value {
            push(out, path, Rule::ExclusiveMaximum, Limit::Number(max.text));
        } else if !exclusive && v > max.value {
            push(out, path, Rule::Maximum, Limit::Number(max.text));
        }
    }

    /// Exact for integers and decimals (`0.01` on an amount means "at most two decimals").
    pub fn multiple_of<N: Number>(
        value: N,
        factor: Exact,
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        if !is_multiple_of(value, factor) {
            push(out, path, Rule::MultipleOf, Limit::Number(factor.text));
        }
    }

    /// Whether `value` is a whole multiple of `factor`.
    pub fn is_multiple_of<N: Number>(value: N, factor: Exact) -> bool {
        match value.to_decimal() {
            Some(v) if !factor.value.is_zero() => (v % factor.value).is_zero(),
            _ => true,
        }
    }

    /// Whether `value` is at least `bound` (exactly; a value that is not a number holds).
    pub fn is_at_least<N: Number>(value: N, bound: Exact) -> bool {
        value.to_decimal().is_none_or(|v| v >= bound.value)
    }

    /// A value outside the spec's `enum` (a string enum's unknown-value variant, when sent).
    pub fn enum_value(
        known: bool,
        values: &'static [&'static str],
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        if !known {
            push(out, path, Rule::Enum, Limit::Values(values));
        }
    }

    /// A string `format` (see [`Format`] for the list).
    pub fn format(value: &str, format: Format, path: &Path<'_>, out: &mut Vec<Violation>) {
        let ok = match format {
            Format::Email => is_email(value),
            Format::Uri => is_absolute_uri(value),
            Format::HttpsUri => {
                is_absolute_uri(value)
                    && value
                        .get(..8)
                        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            }
            Format::Uuid => is_uuid(value),
            Format::DateTime => DateTime::parse_from_rfc3339(value).is_ok(),
            Format::Date => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
        };
        if !ok {
            push(out, path, Rule::Format, Limit::Format(format.name()));
        }
    }

    /// A failed custom rule.
    pub fn custom(
        holds: bool,
        id: &'static str,
        condition: &'static str,
        message: &'static str,
        path: &Path<'_>,
        out: &mut Vec<Violation>,
    ) {
        if !holds {
            let mut v = Violation::new(path, Rule::Custom(id), Limit::Condition(condition));
            v.message = Some(message);
            out.push(v);
        }
    }

    /// `local@domain.tld`: one `@`, no spaces, a dot inside the domain.
    pub fn is_email(value: &str) -> bool {
        let Some((local, domain)) = value.split_once('@') else {
            return false;
        };
        !local.is_empty()
            && !domain.contains('@')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| !label.is_empty())
    }

    /// An absolute URI (RFC 3986): a scheme, `:`, and for hierarchical schemes
    /// (`scheme://`) a non-empty host; no spaces or control characters anywhere.
    pub fn is_absolute_uri(value: &str) -> bool {
        let Some((scheme, rest)) = value.split_once(':') else {
            return false;
        };
        let scheme_ok = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok
            || rest.is_empty()
            || value.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return false;
        }
        match rest.strip_prefix("//") {
            Some(after) => {
                let authority = after.split(['/', '?', '#']).next().unwrap_or("");
                let host = authority.rsplit('@').next().unwrap_or("");
                let host = host.rsplit_once(':').map_or(host, |(h, port)| {
                    if port.chars().all(|c| c.is_ascii_digit()) {
                        h
                    } else {
                        host
                    }
                });
                !host.is_empty()
            }
            None => true,
        }
    }

    /// `8-4-4-4-12` hexadecimal digits (the hyphenated form: 36 characters), parsed by
    /// `uuid` without allocating.
    pub fn is_uuid(value: &str) -> bool {
        value.len() == 36 && uuid::Uuid::try_parse(value).is_ok()
    }

    /// A moment that custom time rules can compare with the current time.
    pub trait Moment: Copy {
        fn to_utc(self) -> Option<DateTime<Utc>>;
    }

    impl Moment for UnixTimestamp {
        fn to_utc(self) -> Option<DateTime<Utc>> {
            DateTime::from_timestamp(self.as_secs(), 0)
        }
    }

    impl Moment for DateTime<chrono::FixedOffset> {
        fn to_utc(self) -> Option<DateTime<Utc>> {
            Some(self.with_timezone(&Utc))
        }
    }

    /// `now` plus a calendar duration (`months`, then `seconds`).
    pub fn shift(now: DateTime<Utc>, months: u32, seconds: i64) -> Option<DateTime<Utc>> {
        now.checked_add_months(Months::new(months))?
            .checked_add_signed(TimeDelta::try_seconds(seconds)?)
    }

    /// At least `months` + `seconds` after `now`.
    pub fn at_least_after<M: Moment>(
        value: M,
        now: DateTime<Utc>,
        months: u32,
        seconds: i64,
    ) -> bool {
        match (value.to_utc(), shift(now, months, seconds)) {
            (Some(v), Some(bound)) => v >= bound,
            _ => false,
        }
    }

    /// At most `months` + `seconds` after `now`.
    pub fn at_most_after<M: Moment>(
        value: M,
        now: DateTime<Utc>,
        months: u32,
        seconds: i64,
    ) -> bool {
        match (value.to_utc(), shift(now, months, seconds)) {
            (Some(v), Some(bound)) => v <= bound,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check::*;
    use super::*;

    #[test]
    fn paths_render_fields_keys_and_indices() {
        let root = Path::root();
        let notes = root.field("notes");
        let key = notes.key("policy \"x\"");
        assert_eq!(key.render(), r#"notes["policy \"x\""]"#);
        let lines = root.field("lines");
        let first = lines.index(0);
        assert_eq!(first.field("sku").render(), "lines[0].sku");
        assert_eq!(root.render(), "");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut out = Vec::new();
        max_length("₹₹₹", 3, &Path::root(), &mut out);
        assert!(out.is_empty());
        max_length("₹₹₹₹", 3, &Path::root(), &mut out);
        min_length("₹", 2, &Path::root(), &mut out);
        assert_eq!(
            out.iter().map(|v| v.rule).collect::<Vec<_>>(),
            [Rule::MaxLength, Rule::MinLength]
        );
    }

    fn char_class_ok(value: &str, min: usize, max: Option<usize>) -> bool {
        let mut out = Vec::new();
        char_class(
            value,
            |c| c.is_ascii_alphanumeric() || c == '_',
            min,
            max,
            "^[A-Za-z0-9_]+$",
            &Path::root(),
            &mut out,
        );
        out.is_empty()
    }

    #[test]
    fn numbers_compare_exactly() {
        let mut out = Vec::new();
        let exact = |text: &'static str| Exact::new(text, text.parse().unwrap());
        let amount: JsonDecimal = "100.10".parse().unwrap();
        multiple_of(amount, exact("0.01"), &Path::root(), &mut out);
        minimum(amount, exact("0"), true, &Path::root(), &mut out);
        assert!(out.is_empty());
        let fine: JsonDecimal = "100.001".parse().unwrap();
        multiple_of(fine, exact("0.01"), &Path::root(), &mut out);
        minimum(
            JsonDecimal::from(0),
            exact("0"),
            true,
            &Path::root(),
            &mut out,
        );
        maximum(11_i64, exact("10"), false, &Path::root(), &mut out);
        multiple_of(0.3_f64, exact("0.1"), &Path::root(), &mut out);
        assert!(
            char_class_ok("ab_9", 1, None)
                && !char_class_ok("", 1, None)
                && !char_class_ok("a b", 1, None)
        );
        assert!(char_class_ok("ABC", 3, Some(3)) && !char_class_ok("ABCD", 3, Some(3)));
        let rules: Vec<_> = out.iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            [Rule::MultipleOf, Rule::ExclusiveMinimum, Rule::Maximum]
        );
    }

    #[test]
    fn formats() {
        assert!(is_email("john@example.com"));
        assert!(
            !is_email("john@localhost") && !is_email("john example@x.com") && !is_email("@x.com")
        );
        assert!(is_absolute_uri("https://example-callback-url.com/"));
        assert!(is_absolute_uri("http://127.0.0.1:8080/cb?x=1") && is_absolute_uri("mailto:a@b.c"));
        assert!(
            !is_absolute_uri("example.com/path")
                && !is_absolute_uri("https://")
                && !is_absolute_uri("https://a b.com")
        );
        assert!(
            is_uuid("4dfb9780-46fe-11ee-be56-0242ac120002") && !is_uuid("4dfb9780-46fe-11ee-be56")
        );
    }

    #[test]
    fn violations_read_well() {
        let root = Path::root();
        let v = Violation::new(&root.field("link_id"), Rule::MaxLength, Limit::Count(50));
        assert_eq!(v.to_string(), "link_id: must be at most 50 characters long");
        let mut out = Vec::new();
        custom(
            false,
            "partial_below_amount",
            "link_minimum_partial_amount < link_amount",
            "must be less than link_amount",
            &root.field("link_minimum_partial_amount"),
            &mut out,
        );
        assert_eq!(
            out[0].to_string(),
            "link_minimum_partial_amount: must be less than link_amount (partial_below_amount)"
        );
        assert_eq!(out[0].rule.as_str(), "partial_below_amount");
    }

    #[test]
    fn time_windows_use_calendar_months() {
        let now = DateTime::parse_from_rfc3339("2024-01-31T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let in_six_months =
            UnixTimestamp::from(DateTime::parse_from_rfc3339("2024-07-31T00:00:00Z").unwrap());
        assert!(at_most_after(in_six_months, now, 6, 0));
        assert!(!at_most_after(
            UnixTimestamp::from_secs(in_six_months.as_secs() + 1),
            now,
            6,
            0
        ));
        assert!(at_least_after(
            UnixTimestamp::from_secs(now.timestamp() + 900),
            now,
            0,
            900
        ));
        assert!(!at_least_after(
            UnixTimestamp::from_secs(now.timestamp() + 899),
            now,
            0,
            900
        ));
    }
}

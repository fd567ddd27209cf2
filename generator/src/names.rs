//! Rust identifiers from spec names: heck's case conversion, then the fixes that make the
//! result a valid identifier (keywords, leading digits, empty names).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are. `r#` fixes all but `NOT_RAW`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Names the generated code uses unqualified (prelude types and traits, `Self`): a type of
/// that name would shadow them, so it gets a `Type` suffix.
const RESERVED_TYPES: &[&str] = &[
    "Box", "Default", "Err", "From", "Into", "None", "Ok", "Option", "Result", "Self", "Some",
    "String", "Vec",
];

/// A type name: `link_entity` → `LinkEntity`, `3ds` → `N3ds`, `Option` → `OptionType`.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "Unnamed");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// An enum variant name; `fallback` is used when the value has no letters or digits.
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let name = camel(raw, fallback);
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// UpperCamelCase, with a leading digit fixed. `Self` is left to the callers above.
fn camel(raw: &str, fallback: &str) -> String {
    let mut name = raw.to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// A field name: `linkAmount` → `link_amount`, `type` → `r#type`, `3ds` → `_3ds`.
pub fn field_name(raw: &str) -> String {
    let mut name = raw.to_snake_case();
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    fix_keyword(name)
}

fn fix_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_fixes_invalid_identifiers() {
        assert_eq!(type_name("link_entity"), "LinkEntity");
        assert_eq!(type_name("3ds-auth"), "N3dsAuth");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("result"), "ResultType");
        assert_eq!(variant_name("self", "Empty"), "SelfValue");
        assert_eq!(variant_name("type", "Empty"), "Type");
        assert_eq!(type_name("--"), "Unnamed");
        assert_eq!(field_name("linkAmount"), "link_amount");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("3ds"), "_3ds");
        assert_eq!(variant_name("PARTIALLY_PAID", "Empty"), "PartiallyPaid");
        assert_eq!(variant_name("", "Empty"), "Empty");
        assert_eq!(variant_name("2022-09-01", "Empty"), "N20220901");
    }
}

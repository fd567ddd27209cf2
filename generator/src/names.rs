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
/// The client's own types (`Client`, `Environment`, `Credentials`) are reserved too: a
/// schema of that name would be shadowed where the gateway module re-exports both.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Client",
    "Credentials",
    "Default",
    "Environment",
    "Err",
    "From",
    "Into",
    "None",
    "Ok",
    "Option",
    "Result",
    "Self",
    "Some",
    "String",
    "Vec",
];

/// `base` when `taken` says it is free, else the first free of `base{sep}2`, `base{sep}3`,
/// …: the one rule by which every clash of generated names is resolved, deterministic and
/// stable when unrelated names change.
pub fn unique(base: &str, sep: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if taken(base) {
        numbered(base, sep, taken)
    } else {
        base.to_owned()
    }
}

/// The first free of `base{sep}2`, `base{sep}3`, … (for a `base` already known to be taken).
/// A `base` that already ends in `sep` (`self_`) gets no second one: `self__2` would not be
/// snake_case.
pub fn numbered(base: &str, sep: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    let sep = if !sep.is_empty() && base.ends_with(sep) {
        ""
    } else {
        sep
    };
    let mut n = 2u64;
    loop {
        let candidate = format!("{base}{sep}{n}");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// A type name: `link_entity` → `LinkEntity`, `3ds` → `N3ds`, `Option` → `OptionType`.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "Unnamed");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// The name `raw` would have if it were not taken by a name the generated code uses itself
/// (`Client`, `Option`, …), when it is: [`type_name`] then adds `Type`.
pub fn reserved_type(raw: &str) -> Option<String> {
    let name = camel(raw, "Unnamed");
    RESERVED_TYPES.contains(&name.as_str()).then_some(name)
}

/// An enum variant name. A sign before a number is spelled (`+1` → `Plus1`, `-1` →
/// `Minus1`), and so is every symbol of a value with no letters or digits (`>=` →
/// `GtEq`); `fallback` is used when nothing is left.
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let trimmed = raw.trim_start();
    let signed = |sign: char| {
        trimmed
            .strip_prefix(sign)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    let spelled = if let Some(rest) = signed('+') {
        format!("plus {rest}")
    } else if let Some(rest) = signed('-') {
        format!("minus {rest}")
    } else if !raw.chars().any(char::is_alphanumeric) {
        raw.chars()
            .filter_map(symbol_word)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        raw.to_owned()
    };
    let name = camel(&spelled, fallback);
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// The word a symbol is read as in a variant name.
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "plus",
        '-' => "minus",
        '<' => "lt",
        '>' => "gt",
        '=' => "eq",
        '!' => "not",
        '*' => "star",
        '/' => "slash",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '^' => "caret",
        '~' => "tilde",
        '.' => "dot",
        ',' => "comma",
        ':' => "colon",
        ';' => "semicolon",
        '?' => "question",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        _ => return None,
    })
}

/// UpperCamelCase, with characters no identifier may hold dropped and a start no identifier
/// may have (a digit of any script) prefixed with `N`. `Self` is left to the callers above.
fn camel(raw: &str, fallback: &str) -> String {
    let mut name: String = raw
        .to_upper_camel_case()
        .chars()
        .filter(|c| unicode_ident::is_xid_continue(*c))
        .collect();
    if name.is_empty() || name == "_" {
        name = fallback.to_owned();
    }
    if !name.starts_with(|c: char| unicode_ident::is_xid_start(c) || c == '_') {
        name.insert(0, 'N');
    }
    // Dropped characters can leave a lower-case start (`½Price` → `price`): UpperCamelCase.
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => name,
    }
}

/// `name` made an identifier: characters that cannot continue one become `_`, and a start
/// that cannot begin one gets a `_` in front. Keywords are left to `fix_keyword`.
pub fn identifier_chars(name: &str, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '_') && out.len() == 1 {
        out = fallback.to_owned();
    }
    if !out.starts_with(|c: char| unicode_ident::is_xid_start(c) || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// A field, method or argument name: `linkAmount` → `link_amount`, `3ds` → `_3ds`,
/// `self` → `self_`. Keywords that can be raw identifiers stay as they are (`type`): names
/// in the IR never carry `r#`; `emit::ident` writes `r#type`.
pub fn field_name(raw: &str) -> String {
    let name = identifier_chars(&raw.to_snake_case(), "field");
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A keyword made usable: `r#type`, or `self_` for the keywords that cannot be raw.
pub fn fix_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The cargo feature an operation's first tag wants (lower's namer settles collisions): `Payment Links` → `payment_links`. Feature names are
/// ASCII (crates.io accepts nothing else), so other characters become `_`; a tag that
/// leaves nothing is `tag_` and its hexadecimal code points; `default` (cargo's own
/// feature) is `default_tag`; an operation without a tag is in `untagged`.
pub fn feature_name(tag: Option<&str>) -> String {
    let Some(tag) = tag else {
        return "untagged".to_owned();
    };
    let ascii: String = tag
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = ascii
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    match name.as_str() {
        "" if tag.trim().is_empty() => "untagged".to_owned(),
        "" => format!(
            "tag_{}",
            tag.chars()
                .map(|c| format!("{:x}", c as u32))
                .collect::<Vec<_>>()
                .join("_")
        ),
        "default" => "default_tag".to_owned(),
        _ if name.starts_with(|c: char| c.is_ascii_digit()) => format!("tag_{name}"),
        _ => name,
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
        assert_eq!(field_name("type"), "type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("3ds"), "_3ds");
        assert_eq!(variant_name("PARTIALLY_PAID", "Empty"), "PartiallyPaid");
        assert_eq!(variant_name("", "Empty"), "Empty");
        assert_eq!(variant_name("2022-09-01", "Empty"), "N20220901");
    }
}

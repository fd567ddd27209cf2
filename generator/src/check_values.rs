//! Check: keywords whose values contradict each other or the schema's type, which would
//! otherwise be dropped, applied wrongly, or make every value fail. Reports only; the IR is
//! not changed.
//!
//! - bounds that exclude every value (`minLength` > `maxLength`, `minimum` > `maximum`, and
//!   the same for items and properties);
//! - `multipleOf` that is not positive;
//! - `enum` values of another type than the schema's (an integer `enum` value past `i64`);
//! - as warnings: `default`s of another type (a string default on a boolean, a number
//!   default on an array), outside their enum, or breaking their own bounds, lengths or
//!   item counts, which validation then does not use.

use crate::diag::Code;
use serde_json::Value;

use crate::check::{scalar, Scalar};
use crate::diag::{child, Sink};
use crate::ir::{Constraints, Field, Module, TypeExpr, TypeKind};
use crate::load::LoadedSpec;

pub fn check_values(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    for t in &module.types {
        bounds(&t.constraints, &t.pointer, spec, sink);
        if let TypeKind::Alias(inner) = &t.kind {
            enum_values(module, inner, &t.constraints, &t.pointer, spec, sink);
        }
        let TypeKind::Struct(s) = &t.kind else {
            continue;
        };
        for f in &s.fields {
            bounds(&f.constraints, &f.pointer, spec, sink);
            enum_values(module, &f.ty, &f.constraints, &f.pointer, spec, sink);
            // Real specs do this (`default: "false"` on a boolean), so it is a warning, and
            // the default is not used by validation (emit/validate.rs compares kinds).
            if let Some(default) = &f.default {
                if let Some(problem) = default_problem(module, f) {
                    sink.push(spec.warning(
                        Code::Contradiction,
                        &child(&f.pointer, "default"),
                        format!("the default {default} {problem}; ignored"),
                    ));
                }
            }
        }
    }
}

fn bounds(c: &Constraints, pointer: &str, spec: &LoadedSpec, sink: &mut Sink) {
    let mut report = |low: &str, high: &str, detail: String| {
        sink.push(spec.error(
            Code::Contradiction,
            &child(pointer, low),
            format!("`{low}` and `{high}` leave no value between them ({detail})"),
        ));
    };
    for (low, high, min, max) in [
        ("minLength", "maxLength", c.min_length, c.max_length),
        ("minItems", "maxItems", c.min_items, c.max_items),
        (
            "minProperties",
            "maxProperties",
            c.min_properties,
            c.max_properties,
        ),
    ] {
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                report(low, high, format!("{min} > {max}"));
            }
        }
    }
    if let (Some(min), Some(max)) = (&c.minimum, &c.maximum) {
        let empty =
            min.value > max.value || (min.value == max.value && (min.exclusive || max.exclusive));
        if empty {
            report(
                "minimum",
                "maximum",
                format!("{} and {}", min.text, max.text),
            );
        }
    }
    for (keyword, text) in [
        ("minimum", c.minimum.as_ref().map(|b| &b.text)),
        ("maximum", c.maximum.as_ref().map(|b| &b.text)),
        ("multipleOf", c.multiple_of.as_ref().map(|m| &m.text)),
    ] {
        if let Some(text) = text.filter(|t| crate::ir::exact_decimal(t).is_none()) {
            sink.push(spec.warning(
                Code::Contradiction,
                &child(pointer, keyword),
                format!(
                    "`{keyword}: {text}` does not fit an exact 28-digit decimal; it is not checked"
                ),
            ));
        }
    }
    if let Some(m) = c.multiple_of.as_ref().map(|m| m.value) {
        if m.is_nan() || m <= 0.0 {
            sink.push(spec.error(
                Code::Contradiction,
                &child(pointer, "multipleOf"),
                format!("`multipleOf` must be greater than 0, not {m}"),
            ));
        }
    }
}

/// Non-string `enum` values must have the schema's type.
fn enum_values(
    module: &Module,
    ty: &TypeExpr,
    c: &Constraints,
    pointer: &str,
    spec: &LoadedSpec,
    sink: &mut Sink,
) {
    let scalar = scalar(module, ty);
    for (i, value) in c.enum_values.iter().enumerate() {
        if let Some(problem) = mismatch(&scalar, value) {
            sink.push(spec.error(
                Code::Contradiction,
                &child(&child(pointer, "enum"), &i.to_string()),
                format!("the enum value {value} {problem}"),
            ));
        }
    }
}

/// Why a field's default cannot be used (of another type or shape, outside its enum, or
/// breaking its own bounds), if it cannot. Check reports it; the emitter leaves such a
/// default out of the docs.
pub(crate) fn default_problem(module: &Module, f: &Field) -> Option<String> {
    let default = f.default.as_ref()?;
    mismatch(&scalar(module, &f.ty), default)
        .or_else(|| shape_mismatch(module, &f.ty, default))
        .or_else(|| outside(&f.constraints, default))
}

/// Why a default cannot be an array or object value of `ty`, if it cannot.
fn shape_mismatch(module: &Module, ty: &TypeExpr, value: &Value) -> Option<String> {
    let mut ty = module.follow(ty).ty;
    while let TypeExpr::Nullable(inner) = ty {
        ty = module.follow(inner).ty;
    }
    let wanted = match ty {
        TypeExpr::Vec(_) => "an array",
        TypeExpr::Map(_) => "an object",
        TypeExpr::Named(id) if matches!(module.get(*id).kind, TypeKind::Struct(_)) => "an object",
        _ => return None,
    };
    let fits = match value {
        Value::Null => true,
        Value::Array(_) => wanted == "an array",
        Value::Object(_) => wanted == "an object",
        _ => false,
    };
    (!fits).then(|| format!("is not {wanted}, as the schema's type requires"))
}

/// Why a default breaks its own schema's keywords (bounds, lengths, counts, a non-string
/// `enum`), if it does.
fn outside(c: &Constraints, value: &Value) -> Option<String> {
    use std::cmp::Ordering;
    match value {
        Value::Number(n) => {
            let text = n.to_string();
            if let Some(min) = &c.minimum {
                let order = compare_numbers(&text, &min.text)?;
                if order == Ordering::Less {
                    return Some(format!("is below `minimum` {}", min.text));
                }
                if order == Ordering::Equal && min.exclusive {
                    return Some(format!("is not above the exclusive `minimum` {}", min.text));
                }
            }
            if let Some(max) = &c.maximum {
                let order = compare_numbers(&text, &max.text)?;
                if order == Ordering::Greater {
                    return Some(format!("is above `maximum` {}", max.text));
                }
                if order == Ordering::Equal && max.exclusive {
                    return Some(format!("is not below the exclusive `maximum` {}", max.text));
                }
            }
        }
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if c.min_length.is_some_and(|min| length < min as u64) {
                return Some(format!("is shorter than `minLength` {}", c.min_length?));
            }
            if c.max_length.is_some_and(|max| length > max as u64) {
                return Some(format!("is longer than `maxLength` {}", c.max_length?));
            }
        }
        Value::Array(items) => {
            if c.min_items.is_some_and(|min| items.len() < min) {
                return Some(format!("has fewer items than `minItems` {}", c.min_items?));
            }
            if c.max_items.is_some_and(|max| items.len() > max) {
                return Some(format!("has more items than `maxItems` {}", c.max_items?));
            }
        }
        _ => {}
    }
    let listed = c.enum_values.is_empty() || c.enum_values.contains(value) || value.is_null();
    (!listed).then(|| "is not one of the enum's values".to_owned())
}

/// Compares two numbers by their decimal text, exactly (`None` for text that is not a
/// plain number, or an exponent too large to spell out).
fn compare_numbers(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (a_negative, a_int, a_frac) = digits(a)?;
    let (b_negative, b_int, b_frac) = digits(b)?;
    let a_zero = a_int.is_empty() && a_frac.is_empty();
    let b_zero = b_int.is_empty() && b_frac.is_empty();
    let a_negative = a_negative && !a_zero;
    let b_negative = b_negative && !b_zero;
    if a_negative != b_negative {
        return Some(if a_negative {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        });
    }
    let magnitude = a_int
        .len()
        .cmp(&b_int.len())
        .then_with(|| a_int.cmp(&b_int))
        .then_with(|| {
            let width = a_frac.len().max(b_frac.len());
            format!("{a_frac:0<width$}").cmp(&format!("{b_frac:0<width$}"))
        });
    Some(if a_negative {
        magnitude.reverse()
    } else {
        magnitude
    })
}

/// A number's sign, integer digits (no leading zeros) and fraction digits (no trailing
/// zeros), with its exponent applied.
fn digits(text: &str) -> Option<(bool, String, String)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (significand, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((s, e)) => (s, e.parse::<i64>().ok().filter(|e| e.abs() <= 400)?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = significand.split_once('.').unwrap_or((significand, ""));
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{whole}{fraction}");
    let point = whole.len() as i64 + exponent;
    let (int, frac) = if point <= 0 {
        (
            String::new(),
            format!("{}{all}", "0".repeat((-point) as usize)),
        )
    } else if point as usize >= all.len() {
        (
            format!("{all}{}", "0".repeat(point as usize - all.len())),
            String::new(),
        )
    } else {
        (
            all[..point as usize].to_owned(),
            all[point as usize..].to_owned(),
        )
    };
    Some((
        negative,
        int.trim_start_matches('0').to_owned(),
        frac.trim_end_matches('0').to_owned(),
    ))
}

/// Why `value` cannot be a value of `scalar`, if it cannot. `null` is left to `nullable`.
fn mismatch(scalar: &Scalar, value: &Value) -> Option<String> {
    let fits = match (scalar, value) {
        (_, Value::Null) => true,
        (Scalar::Bool, Value::Bool(_)) => true,
        (Scalar::Int | Scalar::UnixTime, Value::Number(n)) => n.as_i64().is_some(),
        (Scalar::Float | Scalar::Decimal, Value::Number(_)) => true,
        (Scalar::String | Scalar::DateTime | Scalar::Date, Value::String(_)) => true,
        (Scalar::Enum(values), Value::String(s)) => {
            return (!values.contains(s))
                .then(|| format!("is not one of the enum's values ({})", values.join(", ")));
        }
        (Scalar::Other, _) => true,
        _ => false,
    };
    (!fits).then(|| {
        let wanted = match scalar {
            Scalar::Bool => "a boolean",
            Scalar::Int | Scalar::UnixTime => "an integer that fits in 64 bits",
            Scalar::Float | Scalar::Decimal => "a number",
            _ => "a string",
        };
        format!("is not {wanted}, as the schema's type requires")
    })
}

//! Check: keywords whose values contradict each other or the schema's type, which would
//! otherwise be dropped, applied wrongly, or make every value fail. Reports only; the IR is
//! not changed.
//!
//! - bounds that exclude every value (`minLength` > `maxLength`, `minimum` > `maximum`, and
//!   the same for items and properties);
//! - `multipleOf` that is not positive;
//! - `enum` values of another type than the schema's (an integer `enum` value past `i64`);
//! - as warnings: `default`s of another type (a string default on a boolean) or outside
//!   their enum, which validation then does not use.

use crate::diag::Code;
use serde_json::Value;

use crate::check::{scalar, Scalar};
use crate::diag::{child, Sink};
use crate::ir::{Constraints, Module, TypeExpr, TypeKind};
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
                if let Some(problem) = mismatch(&scalar(module, &f.ty), default) {
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

//! `x-paylinks-rules`: cross-field and conditional rules on an object schema. This module
//! reads the extension's syntax; `check` verifies the fields it names and their types.
//! The extension is documented in `docs/x-paylinks-rules.md`.

use serde_json::Value;

use crate::diag::child;
use crate::ir::{CustomRule, Duration, Literal, Predicate};

pub const EXTENSION: &str = "x-paylinks-rules";

/// A syntax problem: (pointer, message).
pub type Problem = (String, String);

/// Parses the extension's value, found at `pointer`. Every problem is returned.
pub fn parse_rules(value: &Value, pointer: &str) -> (Vec<CustomRule>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    let Some(items) = value.as_array() else {
        problems.push((
            pointer.to_owned(),
            format!("`{EXTENSION}` must be a list of rules"),
        ));
        return (rules, problems);
    };
    let mut ids: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = child(pointer, &i.to_string());
        // Duplicates are found from the raw ids, so that one beside a broken rule shows too.
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            if ids.contains(&id) {
                problems.push((
                    child(&at, "id"),
                    format!("rule id `{id}` is used twice in this schema"),
                ));
            }
            ids.push(id);
        }
        if let Some(rule) = parse_rule(item, &at, &mut problems) {
            rules.push(rule);
        }
    }
    (rules, problems)
}

fn parse_rule(item: &Value, at: &str, problems: &mut Vec<Problem>) -> Option<CustomRule> {
    let Some(map) = item.as_object() else {
        problems.push((
            at.to_owned(),
            "a rule must be an object with `id`, `field`, `message`, `source` and `then`"
                .to_owned(),
        ));
        return None;
    };
    const KEYS: [&str; 6] = ["id", "field", "message", "source", "if", "then"];
    for key in map.keys() {
        if !KEYS.contains(&key.as_str()) {
            problems.push((
                child(at, key),
                format!("unknown key `{key}` (a rule has {})", KEYS.join(", ")),
            ));
        }
    }
    let text = |key: &str, problems: &mut Vec<Problem>| -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(_) => {
                problems.push((
                    child(at, key),
                    format!("`{key}` must be a non-empty string"),
                ));
                None
            }
            None => {
                problems.push((at.to_owned(), format!("a rule needs `{key}`")));
                None
            }
        }
    };
    let id = text("id", problems);
    if let Some(id) = &id {
        let snake = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !snake {
            problems.push((
                child(at, "id"),
                format!(
                    "rule id `{id}` must be snake_case (it is a stable, machine-readable name)"
                ),
            ));
        }
    }
    let field = text("field", problems);
    let message = text("message", problems);
    // `source` cites the vendor's sentence; it is required but not emitted.
    let _source = text("source", problems);
    let when = map
        .get("if")
        .and_then(|p| parse_predicate(p, &child(at, "if"), problems));
    let then = match map.get("then") {
        Some(p) => parse_predicate(p, &child(at, "then"), problems),
        None => {
            problems.push((at.to_owned(), "a rule needs `then`".to_owned()));
            None
        }
    };
    Some(CustomRule {
        id: id?,
        field: field?,
        message: message?,
        pointer: at.to_owned(),
        when,
        then: then?,
    })
}

const OPERATORS: &str = "present, absent, equals, one_of, less_than, at_most, multiple_of, at_least, at_least_after_now, at_most_after_now, not, all, any";

fn parse_predicate(value: &Value, at: &str, problems: &mut Vec<Problem>) -> Option<Predicate> {
    let Some((op, arg)) = value
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.iter().next())
    else {
        problems.push((
            at.to_owned(),
            format!("a condition is an object with exactly one operator ({OPERATORS})"),
        ));
        return None;
    };
    let at = child(at, op);
    match op.as_str() {
        "not" => {
            let inner = parse_predicate(arg, &at, problems)?;
            Some(Predicate::Not(Box::new(inner)))
        }
        "all" | "any" => {
            let Some(items) = arg.as_array().filter(|items| !items.is_empty()) else {
                problems.push((at, format!("`{op}` takes a non-empty list of conditions")));
                return None;
            };
            // Every item is parsed, so that all of their problems are reported.
            let parsed: Vec<Option<Predicate>> = items
                .iter()
                .enumerate()
                .map(|(i, p)| parse_predicate(p, &child(&at, &i.to_string()), problems))
                .collect();
            let parsed: Vec<Predicate> = parsed.into_iter().collect::<Option<_>>()?;
            Some(if op == "all" {
                Predicate::All(parsed)
            } else {
                Predicate::Any(parsed)
            })
        }
        _ => leaf(op, arg)
            .map_err(|message| problems.push((at, message)))
            .ok(),
    }
}

/// An operator on fields (not a combinator), or what is wrong with it.
fn leaf(op: &str, arg: &Value) -> Result<Predicate, String> {
    let field_and = |message: &str| match pair(arg) {
        Some((Value::String(field), other)) => Ok((field.clone(), other)),
        _ => Err(message.to_owned()),
    };
    match op {
        "present" | "absent" => match arg.as_str() {
            Some(field) if op == "present" => Ok(Predicate::Present(field.to_owned())),
            Some(field) => Ok(Predicate::Absent(field.to_owned())),
            None => Err(format!("`{op}` takes a property name")),
        },
        "equals" => {
            let (field, lit) = field_and("`equals` takes [property, value]")?;
            literal(lit)
                .map(|lit| Predicate::Equals(field, lit))
                .ok_or_else(|| {
                    "`equals` compares with a boolean, an integer or a string".to_owned()
                })
        }
        "one_of" => {
            let usage = "`one_of` takes [property, [value, ...]]";
            let (field, values) = field_and(usage)?;
            let values = values.as_array().filter(|v| !v.is_empty()).ok_or(usage)?;
            values
                .iter()
                .map(literal)
                .collect::<Option<Vec<Literal>>>()
                .map(|l| Predicate::OneOf(field, l))
                .ok_or_else(|| "`one_of` values are booleans, integers or strings".to_owned())
        }
        "less_than" | "at_most" => match pair(arg) {
            Some((Value::String(a), Value::String(b))) if op == "less_than" => {
                Ok(Predicate::LessThan(a.clone(), b.clone()))
            }
            Some((Value::String(a), Value::String(b))) => {
                Ok(Predicate::AtMost(a.clone(), b.clone()))
            }
            _ => Err(format!("`{op}` takes [property, property]")),
        },
        "multiple_of" => {
            let usage = "`multiple_of` takes [property, positive number]";
            match field_and(usage)? {
                (field, Value::Number(n)) if n.as_f64().is_some_and(|f| f > 0.0) => {
                    Ok(Predicate::MultipleOf(field, n.to_string()))
                }
                _ => Err(usage.to_owned()),
            }
        }
        "at_least" => {
            let usage = "`at_least` takes [property, number]";
            match field_and(usage)? {
                (field, Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
                    Ok(Predicate::AtLeast(field, n.to_string()))
                }
                _ => Err(usage.to_owned()),
            }
        }
        "at_least_after_now" | "at_most_after_now" => {
            let usage = format!("`{op}` takes [property, ISO 8601 duration]");
            let (field, text) = field_and(&usage)?;
            let text = text.as_str().ok_or(usage)?;
            let d = parse_duration(text).ok_or_else(|| {
                format!("`{text}` is not an ISO 8601 duration such as PT15M or P6M")
            })?;
            Ok(if op == "at_least_after_now" {
                Predicate::AtLeastAfterNow(field, d)
            } else {
                Predicate::AtMostAfterNow(field, d)
            })
        }
        other => Err(format!("unknown operator `{other}` (one of {OPERATORS})")),
    }
}

fn pair(value: &Value) -> Option<(&Value, &Value)> {
    match value.as_array()?.as_slice() {
        [a, b] => Some((a, b)),
        _ => None,
    }
}

fn literal(value: &Value) -> Option<Literal> {
    match value {
        Value::Bool(b) => Some(Literal::Bool(*b)),
        Value::Number(n) => n.as_i64().map(Literal::Int),
        Value::String(s) => Some(Literal::String(s.clone())),
        _ => None,
    }
}

/// `P[nY][nM][nW][nD][T[nH][nM][nS]]`, whole numbers only.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut months: u32 = 0;
    let mut seconds: i64 = 0;
    let mut any = false;
    let mut take = |part: &str, units: &[(char, u32, i64)]| -> Option<()> {
        let mut number = String::new();
        let mut last_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let position = units.iter().position(|(u, _, _)| *u == c)?;
            if position < last_unit || number.is_empty() {
                return None;
            }
            last_unit = position + 1;
            let n: u32 = number.parse().ok()?;
            let (_, per_months, per_seconds) = units[position];
            months = months.checked_add(n.checked_mul(per_months)?)?;
            seconds = seconds.checked_add(i64::from(n).checked_mul(per_seconds)?)?;
            number.clear();
            any = true;
        }
        number.is_empty().then_some(())
    };
    take(
        date,
        &[
            ('Y', 12, 0),
            ('M', 1, 0),
            ('W', 0, 7 * 86_400),
            ('D', 0, 86_400),
        ],
    )?;
    if let Some(time) = time {
        take(time, &[('H', 0, 3_600), ('M', 0, 60), ('S', 0, 1)])?;
    }
    any.then(|| Duration {
        text: text.to_owned(),
        months,
        seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let d = parse_duration("PT15M").unwrap();
        assert_eq!((d.months, d.seconds), (0, 900));
        let d = parse_duration("P6M").unwrap();
        assert_eq!((d.months, d.seconds), (6, 0));
        let d = parse_duration("P1Y2M3DT4H5M6S").unwrap();
        assert_eq!(
            (d.months, d.seconds),
            (14, 3 * 86_400 + 4 * 3_600 + 5 * 60 + 6)
        );
        for bad in ["", "P", "PT", "15M", "P1.5D", "PM", "P1D2Y", "P1X"] {
            assert!(parse_duration(bad).is_none(), "{bad}");
        }
    }
}

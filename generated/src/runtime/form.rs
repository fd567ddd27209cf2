//! `application/x-www-form-urlencoded` request bodies. A body model is turned into its JSON
//! value, then into key/value pairs as the spec's `encoding` says; what the spec leaves open
//! uses the bracket notation payment APIs read (`metadata[key]=v`, `items[0][price]=100`).

use serde_json::Value;

/// How one property of a form body is written: OpenAPI's `encoding` style and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// No `encoding` for the property: a scalar is `name=v`, an array of scalars repeats the
    /// name (`tag=a&tag=b`), and objects and arrays holding objects use brackets at every
    /// level (`meta[k]=v`, `items[0][price]=1`).
    Default,
    /// `style: form`. With `explode`, array items repeat the name and an object's
    /// properties are pairs of their own (`k=v`); without it, `name=a,b` and
    /// `name=k,v,k2,v2`.
    Form { explode: bool },
    /// `style: deepObject`: brackets at every level.
    DeepObject,
    /// `style: spaceDelimited`: `name=a b`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `name=a|b`.
    PipeDelimited,
}

/// The encoded body (`a=1&b=x+y`) of a body's JSON value. `styles` gives the properties
/// whose style the spec names. A body that is not an object cannot be a form.
pub fn encode(value: &Value, styles: &[(&str, FormStyle)]) -> Result<String, String> {
    let Value::Object(fields) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, field) in fields {
        let style = styles
            .iter()
            .find(|(n, _)| n == name)
            .map_or(FormStyle::Default, |(_, s)| *s);
        property(name, field, style, &mut pairs);
    }
    Ok(serialize(&pairs))
}

/// The pairs of one value named `name` in `style` (a form field, a query parameter).
pub fn pairs(name: &str, value: &Value, style: FormStyle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    property(name, value, style, &mut out);
    out
}

fn property(name: &str, value: &Value, style: FormStyle, out: &mut Vec<(String, String)>) {
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(items), _) if items.iter().all(is_scalar) => match style {
            FormStyle::Default | FormStyle::Form { explode: true } => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    out.push((name.to_owned(), text(item)));
                }
            }
            FormStyle::Form { explode: false } => out.push((name.to_owned(), joined(items, ","))),
            FormStyle::SpaceDelimited => out.push((name.to_owned(), joined(items, " "))),
            FormStyle::PipeDelimited => out.push((name.to_owned(), joined(items, "|"))),
            FormStyle::DeepObject => brackets(name, value, out),
        },
        (Value::Object(map), FormStyle::Form { explode: true }) => {
            for (key, item) in map {
                brackets(key, item, out);
            }
        }
        (Value::Object(map), FormStyle::Form { explode: false }) => {
            let flat: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .flat_map(|(k, v)| [k.clone(), text(v)])
                .collect();
            out.push((name.to_owned(), flat.join(",")));
        }
        _ => brackets(name, value, out),
    }
}

/// `prefix[key]…=v` for every scalar below `value`.
fn brackets(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, item) in map {
                brackets(&format!("{prefix}[{key}]"), item, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                brackets(&format!("{prefix}[{i}]"), item, out);
            }
        }
        scalar => out.push((prefix.to_owned(), text(scalar))),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// A scalar's text: a string as it is, a number as JSON writes it, `true`/`false`; anything
/// else as its JSON text.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn joined(items: &[Value], separator: &str) -> String {
    items
        .iter()
        .filter(|i| !i.is_null())
        .map(text)
        .collect::<Vec<_>>()
        .join(separator)
}

/// `application/x-www-form-urlencoded` (WHATWG URL): letters, digits and `*-._` as they are,
/// a space as `+`, every other byte as `%XX`.
fn serialize(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        escape(name, &mut out);
        out.push('=');
        escape(value, &mut out);
    }
    out
}

fn escape(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_use_brackets_and_styles_are_honoured() {
        let body = json!({
            "amount": 100,
            "note": "a b&c=d",
            "tags": ["x", "y"],
            "metadata": {"order": "o 1", "empty": null},
            "items": [{"price": 5, "sku": "s"}],
            "skip": null,
            "csv": ["a", "b"],
            "deep": {"k": {"j": true}},
            "flat": {"p": 1},
        });
        let styles = [
            ("csv", FormStyle::Form { explode: false }),
            ("deep", FormStyle::DeepObject),
            ("flat", FormStyle::Form { explode: true }),
        ];
        let encoded = encode(&body, &styles).unwrap();
        // Properties in JSON object order (sorted by name).
        assert_eq!(
            encoded,
            "amount=100&csv=a%2Cb&deep%5Bk%5D%5Bj%5D=true&p=1\
             &items%5B0%5D%5Bprice%5D=5&items%5B0%5D%5Bsku%5D=s\
             &metadata%5Border%5D=o+1&note=a+b%26c%3Dd&tags=x&tags=y"
        );
        assert!(encode(&json!([1]), &[]).is_err());
    }
}

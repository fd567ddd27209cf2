//! The check every generated example test runs. `cargo xtask corpus` copies this file into
//! its scratch crates, so it must not depend on anything gateway-specific.

use serde_json::Value;

/// Deserializes `json` into `T`, serializes it back, and asserts that nothing changed but
/// the spelling of numbers: `100.0` may come back as `100`, since exact decimals are written
/// in their shortest form, but never as another value.
#[track_caller]
#[allow(dead_code)] // a spec without examples has no test calling it
pub fn round_trip<T>(json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let expected: Value = serde_json::from_str(json).expect("the example is JSON");
    let typed: T = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("the example does not deserialize: {e}"));
    let actual = serde_json::to_value(&typed).expect("the value serializes");
    if let Some(at) = difference(&actual, &expected, String::new()) {
        panic!("the round trip changed the example at `{at}`:\n  sent back: {actual}\n  example:   {expected}");
    }
}

/// The JSON pointer of the first place where `a` and `b` differ, numbers compared by value.
fn difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), ..) => x == y,
                (.., Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            };
            (!same).then_some(at)
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, format!("{at}/{i}"))),
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().find_map(|(k, v)| {
                let key = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match y.get(k) {
                    Some(w) => difference(v, w, key),
                    None => Some(key),
                }
            })
        }
        _ => (a != b).then_some(at),
    }
}

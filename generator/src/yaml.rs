//! YAML text → `serde_yaml::Value`, keeping what `Value`'s own deserializer refuses with no
//! place: a key written twice in one mapping, and an integer past 64 bits. Each is reported
//! at its JSON pointer (and line), all of them together; the syntax error of text that is not
//! YAML is reported at its line.

use std::fmt;

use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::{Mapping, Number, Value};

use crate::diag::{Code, Diagnostic, Sink};
use crate::load::{pointer_of, Source};
use crate::source::locate_line;

/// Parses `source` into a value. A syntax error is pushed and gives `None`; a repeated key
/// or an oversized integer is pushed as an error and the value is still returned (the first
/// of repeated keys kept), so the caller's later checks of the same stage report too.
pub fn parse(source: Source<'_>, sink: &mut Sink) -> Option<Value> {
    let controls = control_characters(source);
    if !controls.is_empty() {
        for d in controls {
            sink.push(d);
        }
        return None;
    }
    // A byte order mark may start a YAML stream; the parser takes it for a second document.
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(source.text);
    let mut found = Vec::new();
    let wide = wide_integers(text);
    let parsed = Node {
        found: &mut found,
        wide: &wide,
    }
    .deserialize(serde_yaml::Deserializer::from_str(text));
    let value = match parsed {
        Ok(value) => value,
        Err(e) => {
            sink.push(syntax_error(source, &e));
            return None;
        }
    };
    for (mut reversed, problem) in found {
        reversed.reverse();
        let pointer = pointer_of(&reversed);
        let (code, message) = match problem {
            Raw::RepeatedKey(key) if key == "<<" => (
                Code::DuplicateKey,
                "the key `<<` is written twice in one mapping: a merge key and a quoted `'<<'` cannot be told apart once parsed, so rename the property or merge in one place".to_owned(),
            ),
            Raw::RepeatedKey(key) => (
                Code::DuplicateKey,
                format!("the key `{key}` is written twice in one mapping; YAML forbids that, and one of the two values would be lost"),
            ),
            Raw::Tag(tag) => {
                sink.push(
                    Diagnostic::warning(Code::Yaml, source.file, &pointer, format!("the YAML tag `{tag}` is ignored; the value is read as if it were not there"))
                        .at_line(locate_line(source.text, &pointer)),
                );
                continue;
            }
            Raw::WideInteger(n) => (
                Code::UnrepresentableNumber,
                format!("the integer `{n}` does not fit in 64 bits, so no JSON tool (nor paylinks) can hold it exactly"),
            ),
        };
        sink.push(
            Diagnostic::error(code, source.file, &pointer, message)
                .at_line(locate_line(source.text, &pointer)),
        );
    }
    Some(value)
}

/// A syntax error at the line the YAML parser names (its " at line L column C" suffix is
/// dropped: the diagnostic prints the line).
fn syntax_error(source: Source<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    if message.contains("more than one document") {
        // The line of the marker that starts the second document.
        let line = source
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("---"))
            .map(|(i, _)| i + 1)
            .find(|&i| {
                source.text.lines().take(i - 1).any(|l| {
                    let l = l.trim();
                    !l.is_empty() && !l.starts_with('#') && !l.starts_with('%')
                })
            });
        return Diagnostic::error(
            Code::Yaml,
            source.file,
            "",
            "invalid YAML: a spec is one YAML document, and this file holds more than one (a `---` line starts another)",
        )
        .at_line(line);
    }
    Diagnostic::error(
        Code::Yaml,
        source.file,
        "",
        format!("invalid YAML: {message}"),
    )
    .at_line(e.location().map(|l| l.line()))
}

/// Plain integers of 39 digits or more, keyed by the bits of the `f64` the YAML parser
/// turns them into (it reads integers up to 128 bits as integers, longer ones as floats),
/// so the walk can tell such a float from one written as a float and report it with its
/// text. Digits next to a letter, digit, `.` or `_` are not a number of their own.
fn wide_integers(text: &str) -> std::collections::HashMap<u64, String> {
    let mut out = std::collections::HashMap::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let joined = |b: Option<&u8>| {
            b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
        };
        let before = start.checked_sub(1).and_then(|s| bytes.get(s));
        if i - start < 39 || joined(bytes.get(i)) || joined(before) {
            continue;
        }
        let signed = if before == Some(&b'-') {
            start - 1
        } else {
            start
        };
        let digits = &text[signed..i];
        if let Ok(value) = digits.parse::<f64>() {
            out.insert(value.to_bits(), digits.to_owned());
        }
    }
    out
}

/// Every character YAML does not allow in a document (C0 controls but tab, line feed and
/// carriage return; DEL; C1 controls but NEL; U+FFFE, U+FFFF), each at its own line (the
/// first 100). The YAML parser refuses them too, but names the start of the file.
fn control_characters(source: Source<'_>) -> Vec<Diagnostic> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
    };
    let mut line = 1;
    let mut out = Vec::new();
    for c in source.text.chars() {
        if c == '\n' {
            line += 1;
        } else if !allowed(c) && out.len() < 100 {
            out.push(
                Diagnostic::error(
                    Code::Yaml,
                    source.file,
                    "",
                    format!(
                        "invalid YAML: the control character U+{:04X} is not allowed in a YAML document",
                        c as u32
                    ),
                )
                .at_line(Some(line)),
            );
        }
    }
    out
}

/// What the walk finds, with the path to it written leaf first (tokens are added as the
/// walk returns, so a document without problems builds no paths at all).
type Found = Vec<(Vec<String>, Raw)>;

enum Raw {
    RepeatedKey(String),
    WideInteger(String),
    /// A tag (`!foo`), dropped with a warning.
    Tag(String),
}

/// Builds one value, recording problems below it in `found`.
struct Node<'a> {
    found: &'a mut Found,
    /// See [`wide_integers`].
    wide: &'a std::collections::HashMap<u64, String>,
}

/// Adds `token` to the paths of the problems found since `before` (inside one child).
fn under(found: &mut Found, before: usize, token: impl FnOnce() -> String) {
    if found.len() > before {
        let token = token();
        for (path, _) in &mut found[before..] {
            path.push(token.clone());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// The text a key is known by in a JSON pointer.
fn key_token(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        self.found
            .push((Vec::new(), Raw::WideInteger(v.to_string())));
        Ok(Value::Number(Number::from(v as f64)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        self.found
            .push((Vec::new(), Raw::WideInteger(v.to_string())));
        Ok(Value::Number(Number::from(v as f64)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        if let Some(text) = self.wide.get(&v.to_bits()) {
            self.found
                .push((Vec::new(), Raw::WideInteger(text.clone())));
        }
        Ok(Value::Number(v.into()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Value, S::Error> {
        let mut items = Vec::new();
        loop {
            let before = self.found.len();
            let item = seq.next_element_seed(Node {
                found: self.found,
                wide: self.wide,
            })?;
            let index = items.len();
            under(self.found, before, || index.to_string());
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Sequence(items)),
            }
        }
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Value, M::Error> {
        let mut mapping = Mapping::new();
        // A problem inside a key (a wide integer) is reported at the mapping.
        while let Some(key) = map.next_key_seed(Node {
            found: self.found,
            wide: self.wide,
        })? {
            let before = self.found.len();
            let value = map.next_value_seed(Node {
                found: self.found,
                wide: self.wide,
            })?;
            under(self.found, before, || key_token(&key));
            if mapping.contains_key(&key) {
                self.found
                    .push((vec![key_token(&key)], Raw::RepeatedKey(key_token(&key))));
            } else {
                mapping.insert(key, value);
            }
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, variant): (String, _) = data.variant()?;
        let value = variant.newtype_variant_seed(Node {
            found: self.found,
            wide: self.wide,
        })?;
        self.found.push((Vec::new(), Raw::Tag(format!("!{tag}"))));
        Ok(value)
    }
}

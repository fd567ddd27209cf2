//! YAML text → `serde_yaml::Value`, keeping what `Value`'s own deserializer refuses with no
//! place: a key written twice in one mapping, and an integer past 64 bits. Each is reported
//! at its JSON pointer (and line), all of them together; the syntax error of text that is not
//! YAML is reported at its line.

use std::fmt;

use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};

use crate::diag::{Code, Diagnostic, Sink};
use crate::load::{pointer_of, Source};
use crate::source::locate_line;

/// Parses `source` into a value. A syntax error is pushed and gives `None`; a repeated key
/// or an oversized integer is pushed as an error and the value is still returned (the first
/// of repeated keys kept), so the caller's later checks of the same stage report too.
pub fn parse(source: Source<'_>, sink: &mut Sink) -> Option<Value> {
    if let Some(d) = control_character(source) {
        sink.push(d);
        return None;
    }
    let mut found = Vec::new();
    let parsed =
        Node { found: &mut found }.deserialize(serde_yaml::Deserializer::from_str(source.text));
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
            Raw::RepeatedKey(key) => (
                Code::DuplicateKey,
                format!("the key `{key}` is written twice in one mapping; YAML forbids that, and one of the two values would be lost"),
            ),
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
    Diagnostic::error(
        Code::Yaml,
        source.file,
        "",
        format!("invalid YAML: {message}"),
    )
    .at_line(e.location().map(|l| l.line()))
}

/// The first character YAML does not allow in a document (C0 controls but tab, line feed
/// and carriage return; DEL; C1 controls but NEL; U+FFFE, U+FFFF), at its own line. The YAML
/// parser refuses them too, but names the start of the file.
fn control_character(source: Source<'_>) -> Option<Diagnostic> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
    };
    let (offset, c) = source.text.char_indices().find(|&(_, c)| !allowed(c))?;
    let line = source.text[..offset].matches('\n').count() + 1;
    Some(
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
    )
}

/// What the walk finds, with the path to it written leaf first (tokens are added as the
/// walk returns, so a document without problems builds no paths at all).
type Found = Vec<(Vec<String>, Raw)>;

enum Raw {
    RepeatedKey(String),
    WideInteger(String),
}

/// Builds one value, recording problems below it in `found`.
struct Node<'a> {
    found: &'a mut Found,
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
            let item = seq.next_element_seed(Node { found: self.found })?;
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
        while let Some(key) = map.next_key_seed(Node { found: self.found })? {
            let before = self.found.len();
            let value = map.next_value_seed(Node { found: self.found })?;
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
        let value = variant.newtype_variant_seed(Node { found: self.found })?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

//! The spec's examples (schema, request and response), collected for round-trip tests.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// Every example of the spec whose type we generate: schema examples, and request and
    /// response examples of JSON bodies.
    pub(super) fn collect_examples(&mut self) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(schemas) = self.component_schemas() {
            for (key, schema) in schemas {
                if let ReferenceOr::Item(schema) = schema {
                    if let Some(example) = &schema.schema_data.example {
                        let id = self.component_ids[key];
                        let name = &self.types[id.index()].name;
                        out.push(Example {
                            test_name: format!("{}_schema_example", field_name(name)),
                            ty: id,
                            pointer: child(&child("/components/schemas", key), "example"),
                            value: self.expand_example_refs(example, 0),
                        });
                    }
                }
            }
        }
        for (path, item) in &self.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                let op_pointer = child(&child("/paths", path), method);
                let op_name = op
                    .operation_id
                    .as_deref()
                    .map(|id| field_name(id).to_owned())
                    .unwrap_or_else(|| field_name(&format!("{method} {path}")));
                if let Some(body) = &op.request_body {
                    if let Some((body, ptr)) =
                        self.request_body_quiet(body, &child(&op_pointer, "requestBody"))
                    {
                        let prefix = shared_prefix(&ptr, "/components/requestBodies/", "request")
                            .unwrap_or_else(|| format!("{op_name}_request"));
                        self.media_examples(&body.content, &ptr, &prefix, &mut out);
                    }
                }
                for (status, response) in &op.responses.responses {
                    let status = status.to_string();
                    let ptr = child(&child(&op_pointer, "responses"), &status);
                    if let Some((response, ptr)) = self.response_quiet(response, &ptr) {
                        let prefix = shared_prefix(&ptr, "/components/responses/", "response")
                            .unwrap_or_else(|| format!("{op_name}_{status}_response"));
                        self.media_examples(&response.content, &ptr, &prefix, &mut out);
                    }
                }
            }
        }
        // A shared component is used by many operations; its examples are tested once.
        let mut pointers = HashSet::new();
        out.retain(|e| pointers.insert(e.pointer.clone()));
        let mut seen = HashSet::new();
        for e in &mut out {
            // The parts were joined with `_`; the namer makes the whole a snake_case function
            // name (an example key `_404` would otherwise leave `response__404`).
            e.test_name = unique(&field_name(&e.test_name), "_", |name| seen.contains(name));
            seen.insert(e.test_name.clone());
        }
        out
    }

    pub(super) fn media_examples(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        pointer: &str,
        test_prefix: &str,
        out: &mut Vec<Example>,
    ) {
        for (media, body) in content {
            if !is_json(media) {
                continue;
            }
            let Some(ReferenceOr::Reference { reference }) = &body.schema else {
                continue;
            };
            let media_pointer = child(&child(pointer, "content"), media);
            let Some(ty) = Section::Schemas
                .key_of(reference)
                .and_then(|k| self.component_ids.get(&k))
                .copied()
            else {
                continue;
            };
            if let Some(example) = &body.example {
                out.push(Example {
                    test_name: format!("{test_prefix}_example"),
                    ty,
                    pointer: child(&media_pointer, "example"),
                    value: self.expand_example_refs(example, 0),
                });
            }
            for (name, example) in &body.examples {
                let value = self.example_quiet(example).and_then(|e| e.value.clone());
                if let Some(value) = value {
                    out.push(Example {
                        test_name: format!("{test_prefix}_{}", field_name(name)),
                        ty,
                        pointer: child(&child(&media_pointer, "examples"), name),
                        value: self.expand_example_refs(&value, 0),
                    });
                }
            }
        }
    }

    /// Vendors sometimes put `{"$ref": "#/components/schemas/X"}` inside an example value to
    /// mean "X's example here" (their documentation renderer expands it). An example is data,
    /// so the generator never resolves it as a reference; for the round-trip tests it is
    /// expanded the same way, when X has an example.
    pub(super) fn expand_example_refs(&self, value: &Value, depth: usize) -> Value {
        match value {
            Value::Object(map) if map.len() == 1 && depth < 8 => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if let Some(example) = self
                        .resolve_schema(reference)
                        .and_then(|(s, _)| s.schema_data.example.as_ref())
                    {
                        return self.expand_example_refs(example, depth + 1);
                    }
                }
                Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), self.expand_example_refs(v, depth)))
                        .collect(),
                )
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.expand_example_refs(v, depth)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.expand_example_refs(v, depth))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// The test-name prefix for examples of a shared component (`/components/responses/Error`
/// → `error_response`), or `None` for a body defined inline in an operation.
pub(super) fn shared_prefix(pointer: &str, components: &str, what: &str) -> Option<String> {
    let key = pointer.strip_prefix(components)?;
    Some(format!("{}_{what}", field_name(key)))
}

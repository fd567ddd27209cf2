//! The spec's examples (schema, request and response), collected for round-trip tests.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// Every example of the spec whose type we generate: schema examples, and request and
    /// response examples of JSON bodies.
    pub(super) fn collect_examples(&mut self) -> Vec<Example> {
        let mut out: Vec<Found<'a>> = Vec::new();
        if let Some(schemas) = self.component_schemas() {
            for (key, schema) in schemas {
                if let ReferenceOr::Item(schema) = schema {
                    if let Some(example) = &schema.schema_data.example {
                        let id = self.component_ids[key];
                        let name = &self.types[id.index()].name;
                        out.push(Found {
                            test_name: format!("{}_schema_example", field_name(name)),
                            ty: id,
                            pointer: child(&child("/components/schemas", key), "example"),
                            value: example,
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
        let mut examples = Vec::with_capacity(out.len());
        for found in out {
            let Some(value) = self.expand_example_refs(found.value) else {
                self.sink.push(self.spec.warning(
                    Code::Example,
                    &found.pointer,
                    format!("this example gets no round-trip test: the `$ref`s inside it do not end (a cycle, nesting deeper than 8) or expand past {EXPANSION_BUDGET} values"),
                ));
                continue;
            };
            // The parts were joined with `_`; the namer makes the whole a snake_case function
            // name (an example key `_404` would otherwise leave `response__404`).
            let test_name = unique(&field_name(&found.test_name), "_", |name| {
                seen.contains(name)
            });
            seen.insert(test_name.clone());
            examples.push(Example {
                test_name,
                ty: found.ty,
                pointer: found.pointer,
                value,
            });
        }
        examples
    }

    pub(super) fn media_examples(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        pointer: &str,
        test_prefix: &str,
        out: &mut Vec<Found<'a>>,
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
                out.push(Found {
                    test_name: format!("{test_prefix}_example"),
                    ty,
                    pointer: child(&media_pointer, "example"),
                    value: example,
                });
            }
            for (name, example) in &body.examples {
                if let Some(value) = self.example_quiet(example).and_then(|e| e.value.as_ref()) {
                    out.push(Found {
                        test_name: format!("{test_prefix}_{}", field_name(name)),
                        ty,
                        pointer: child(&child(&media_pointer, "examples"), name),
                        value,
                    });
                }
            }
        }
    }

    /// Vendors put `{"$ref": …}` inside example values to mean "that example here" (their
    /// documentation renderer expands it): `#/components/schemas/X` or
    /// `#/components/schemas/X/example` for X's example, `#/components/examples/E` for E's
    /// `value`. An example is data, so the generator never resolves it as a reference; for
    /// the round-trip tests it is expanded the same way. A `$ref` that names none of these is
    /// left as data.
    ///
    /// `None` when the expansion does not end (a cycle, nesting past 8) or would exceed
    /// `EXPANSION_BUDGET` nodes (references that fan out): that example gets no test.
    pub(super) fn expand_example_refs(&self, value: &Value) -> Option<Value> {
        let mut budget = EXPANSION_BUDGET;
        self.expand(value, 0, &mut budget)
    }

    fn expand(&self, value: &Value, depth: usize, budget: &mut usize) -> Option<Value> {
        *budget = budget.checked_sub(1)?;
        match value {
            Value::Object(map) => {
                if let (1, Some(Value::String(reference))) = (map.len(), map.get("$ref")) {
                    if let Some(example) = self.example_named(reference) {
                        return if depth < 8 {
                            self.expand(example, depth + 1, budget)
                        } else {
                            None
                        };
                    }
                }
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    out.insert(k.clone(), self.expand(v, depth, budget)?);
                }
                Some(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .map(|v| self.expand(v, depth, budget))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            other => Some(other.clone()),
        }
    }

    /// The example a `$ref` inside an example value stands for, if it names one: an
    /// Example object's `value`, a schema's `example`, or a node inside either
    /// (`#/components/examples/E/value/0`).
    fn example_named(&self, reference: &str) -> Option<&'a Value> {
        let mut tokens = reference.strip_prefix("#/components/")?.split('/');
        let (section, key) = (tokens.next()?, tokens.next()?);
        let (root, field) = match section {
            "examples" => {
                let example = self
                    .components()?
                    .examples
                    .get(&super::refs::ref_token(key))?;
                (self.example_quiet(example)?.value.as_ref()?, "value")
            }
            "schemas" => {
                let schema = self.resolve_schema(&format!("#/components/schemas/{key}"))?;
                (schema.0.schema_data.example.as_ref()?, "example")
            }
            _ => return None,
        };
        match tokens.next() {
            None => Some(root),
            Some(first) if first == field => tokens.try_fold(root, |node, token| {
                let token = super::refs::ref_token(token);
                match node {
                    Value::Object(map) => map.get(&token),
                    Value::Array(items) => items.get(token.parse::<usize>().ok()?),
                    _ => None,
                }
            }),
            Some(_) => None,
        }
    }
}

/// An example found in the spec, before its `$ref`s are expanded.
pub(super) struct Found<'a> {
    test_name: String,
    ty: TypeId,
    pointer: String,
    value: &'a Value,
}

/// The most nodes one example may expand to; real examples are far below it.
const EXPANSION_BUDGET: usize = 100_000;

/// The test-name prefix for examples of a shared component (`/components/responses/Error`
/// → `error_response`), or `None` for a body defined inline in an operation.
pub(super) fn shared_prefix(pointer: &str, components: &str, what: &str) -> Option<String> {
    let key = pointer.strip_prefix(components)?;
    Some(format!("{}_{what}", field_name(key)))
}

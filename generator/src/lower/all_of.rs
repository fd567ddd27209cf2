//! `allOf`: the object parts of a schema (following `$ref`s and nested `allOf`s) merged into
//! one struct.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// Merges the object parts of an `allOf` (following `$ref`s and nested `allOf`s) into one
    /// struct. The `x-paylinks-rules` of every part apply to it too, since it has every
    /// part's fields; the schema's own rules are added by the caller.
    pub(super) fn lower_all_of(&mut self, name: &str, pointer: &str, v: &View<'a>) -> StructDef {
        let mut parts: Vec<(String, View<'a>)> = Vec::new();
        let mut rules = Vec::new();
        let mut visiting = HashSet::new();
        let mut found = AllOfParts {
            parts: &mut parts,
            rules: &mut rules,
            visiting: &mut visiting,
        };
        self.collect_all_of(v, pointer, &mut found, false);
        if !v.properties.is_empty() || v.additional.is_some() {
            let mut own = View::empty();
            own.properties = v.properties.clone();
            own.required = v.required.clone();
            own.additional = v.additional;
            parts.push((pointer.to_owned(), own));
        }
        let mut def = self.lower_struct(name, &parts);
        def.rules = rules;
        def
    }

    /// Collects the parts of an `allOf` and their rules. `behind_ref` is set below a `$ref`:
    /// the referenced schema reports its own rule problems where it is lowered, so here its
    /// rules are read without reporting them again.
    fn collect_all_of(
        &mut self,
        v: &View<'a>,
        pointer: &str,
        found: &mut AllOfParts<'a, '_>,
        behind_ref: bool,
    ) {
        for (i, part) in v.all_of.iter().enumerate() {
            let part_pointer = child(&child(pointer, "allOf"), &i.to_string());
            let (schema, schema_pointer, quiet) = match part {
                SchemaRef::Item(s) => (*s, part_pointer.clone(), behind_ref),
                SchemaRef::Ref(reference) => {
                    if self.resolve_named(reference, &part_pointer).is_none() {
                        continue;
                    }
                    match self.resolve_schema(reference) {
                        Some((schema, at)) => (schema, at, true),
                        None => {
                            self.report_ref(
                                &part_pointer,
                                reference,
                                Section::Schemas,
                                &RefProblem::Cycle,
                            );
                            continue;
                        }
                    }
                }
            };
            if !found.visiting.insert(schema_pointer.clone()) {
                self.sink.push(self.spec.error(
                    Code::Inexpressible,
                    &part_pointer,
                    "allOf includes itself",
                ));
                continue;
            }
            let part_view = self.view(schema, &schema_pointer);
            if !part_view.all_of.is_empty() {
                self.collect_all_of(&part_view, &schema_pointer, found, quiet);
            }
            let object_like = matches!(part_view.kind, Some(Kind::Object) | None)
                && part_view.one_of.is_empty()
                && part_view.any_of.is_empty();
            if !object_like {
                self.sink.push(self.spec.error(
                    Code::Inexpressible,
                    &part_pointer,
                    "allOf can only combine object schemas into a struct",
                ));
                continue;
            }
            if quiet {
                if let Some(value) = schema.schema_data.extensions.get(rules::EXTENSION) {
                    let at = child(&schema_pointer, rules::EXTENSION);
                    found.rules.extend(rules::parse_rules(value, &at).0);
                }
            } else {
                found
                    .rules
                    .extend(self.lower_rules(schema, &schema_pointer));
            }
            found.parts.push((schema_pointer, part_view));
        }
    }
}

/// What [`Lowerer::collect_all_of`] gathers: the parts, their rules, and the schemas on the
/// way (to refuse an `allOf` that includes itself).
struct AllOfParts<'a, 'p> {
    parts: &'p mut Vec<(String, View<'a>)>,
    rules: &'p mut Vec<CustomRule>,
    visiting: &'p mut HashSet<String>,
}

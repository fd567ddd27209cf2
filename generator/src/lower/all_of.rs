//! `allOf`: the object parts of a schema (following `$ref`s and nested `allOf`s) merged into
//! one struct.

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// Merges the object parts of an `allOf` (following `$ref`s and nested `allOf`s) into one
    /// struct.
    pub(super) fn lower_all_of(&mut self, name: &str, pointer: &str, v: &View<'a>) -> StructDef {
        let mut parts: Vec<(String, View<'a>)> = Vec::new();
        let mut visiting = HashSet::new();
        self.collect_all_of(v, pointer, &mut parts, &mut visiting);
        if !v.properties.is_empty() || v.additional.is_some() {
            let mut own = View::empty();
            own.properties = v.properties.clone();
            own.required = v.required.clone();
            own.additional = v.additional;
            parts.push((pointer.to_owned(), own));
        }
        self.lower_struct(name, &parts)
    }

    pub(super) fn collect_all_of(
        &mut self,
        v: &View<'a>,
        pointer: &str,
        parts: &mut Vec<(String, View<'a>)>,
        visiting: &mut HashSet<String>,
    ) {
        for (i, part) in v.all_of.iter().enumerate() {
            let part_pointer = child(&child(pointer, "allOf"), &i.to_string());
            let (schema, schema_pointer) = match part {
                SchemaRef::Item(s) => (*s, part_pointer.clone()),
                SchemaRef::Ref(reference) => {
                    if self.resolve_named(reference, &part_pointer).is_none() {
                        continue;
                    }
                    match self.resolve_schema(reference) {
                        Some(found) => found,
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
            if !visiting.insert(schema_pointer.clone()) {
                self.sink.push(self.spec.error(
                    Code::Inexpressible,
                    &part_pointer,
                    "allOf includes itself",
                ));
                continue;
            }
            let part_view = self.view(schema, &schema_pointer);
            if !part_view.all_of.is_empty() {
                self.collect_all_of(&part_view, &schema_pointer, parts, visiting);
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
            parts.push((schema_pointer, part_view));
        }
    }
}

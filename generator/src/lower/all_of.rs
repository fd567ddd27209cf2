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
            // A referenced schema reports its own keywords where it is lowered.
            let part_view = if quiet {
                View::of(schema)
            } else {
                self.view(schema, &schema_pointer)
            };
            if !part_view.all_of.is_empty() {
                self.collect_all_of(&part_view, &schema_pointer, found, quiet);
            }
            let union = !part_view.one_of.is_empty() || !part_view.any_of.is_empty();
            if union && matches!(part_view.kind, Some(Kind::Object) | None) {
                // A struct cannot hold "one of these field sets" beside its own fields yet.
                self.sink.push(self.spec.warning(
                    Code::Inexpressible,
                    &part_pointer,
                    "an allOf part that is a union (oneOf/anyOf) is not merged into the struct: its fields are not in it",
                ));
                continue;
            }
            let object_like = matches!(part_view.kind, Some(Kind::Object) | None);
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

impl<'a> Lowerer<'a, '_> {
    /// The one value an `allOf` of non-object schemas describes, merged with the schema's own
    /// keywords: `allOf: [{type: string}]` beside `nullable` and a description (a common way
    /// to annotate a type), a `$ref` to a string plus `maxLength`. Every part's keywords
    /// apply, so the stricter of each bound is kept and `enum`s intersect. `v` itself when
    /// it has no `allOf`, a single `$ref` (an alias) or an object part (merged into a struct
    /// instead). Parts of different kinds allow no value: an error at the part.
    pub(super) fn scalar_all_of(&mut self, v: View<'a>, pointer: &str) -> View<'a> {
        let keep = v.single_ref().is_some() || v.single_union().is_some();
        if v.all_of.is_empty() || keep || v.is_struct() || v.kind == Some(Kind::Object) {
            return v;
        }
        match self.merged_parts(&v, pointer, 0) {
            Some(parts) => {
                let mut merged = v;
                merged.all_of.clear();
                for (part_pointer, part) in parts {
                    self.merge_scalar(&mut merged, part, &part_pointer);
                }
                merged
            }
            None => v,
        }
    }

    /// [`Self::scalar_all_of`] without reporting, to decide what a schema becomes before the
    /// place that lowers it reports.
    pub(super) fn scalar_all_of_quiet(&mut self, v: View<'a>, pointer: &str) -> View<'a> {
        let mut quiet = Sink::default();
        std::mem::swap(self.sink, &mut quiet);
        let merged = self.scalar_all_of(v, pointer);
        std::mem::swap(self.sink, &mut quiet);
        merged
    }

    /// The parts of an `allOf` (nested ones flattened, `$ref`s followed), or `None` when one
    /// is an object, a union, or cannot be followed (the struct path reports those).
    fn merged_parts(
        &mut self,
        v: &View<'a>,
        pointer: &str,
        depth: usize,
    ) -> Option<Vec<(String, View<'a>)>> {
        // Deeper than any real spec nests: a cycle, which the struct path reports.
        if depth > 16 {
            return None;
        }
        let mut out = Vec::new();
        for (i, part) in v.all_of.iter().enumerate() {
            let part_pointer = child(&child(pointer, "allOf"), &i.to_string());
            let (schema, at) = match part {
                SchemaRef::Item(s) => (*s, part_pointer.clone()),
                SchemaRef::Ref(reference) => self.resolve_schema(reference)?,
            };
            let part_view = View::of(schema);
            if part_view.is_struct()
                || part_view.kind == Some(Kind::Object)
                || part_view.additional.is_some()
                || !part_view.one_of.is_empty()
                || !part_view.any_of.is_empty()
            {
                return None;
            }
            if !part_view.all_of.is_empty() {
                out.extend(self.merged_parts(&part_view, &at, depth + 1)?);
            }
            out.push((part_pointer, part_view));
        }
        Some(out)
    }

    /// Adds one part's keywords to `into`: the stricter bound of each pair, the common kind.
    fn merge_scalar(&mut self, into: &mut View<'a>, part: View<'a>, pointer: &str) {
        match (into.kind, part.kind) {
            (_, None) => {}
            (None, kind) => into.kind = kind,
            (Some(a), Some(b)) if a == b => {}
            // An integer is a number: the integer part is the stricter.
            (Some(Kind::Number), Some(Kind::Integer)) => into.kind = Some(Kind::Integer),
            (Some(Kind::Integer), Some(Kind::Number)) => {}
            (Some(a), Some(b)) => {
                self.sink.push(self.spec.error(
                    Code::Inexpressible,
                    pointer,
                    format!(
                        "allOf combines {} and {}: no value is both",
                        a.noun(),
                        b.noun()
                    ),
                ));
                return;
            }
        }
        into.format = into.format.take().or(part.format);
        into.items = into.items.or(part.items);
        into.enumeration = match (into.enumeration.is_empty(), part.enumeration.is_empty()) {
            (true, _) => part.enumeration,
            (false, true) => std::mem::take(&mut into.enumeration),
            (false, false) => part
                .enumeration
                .into_iter()
                .filter(|value| into.enumeration.contains(value))
                .collect(),
        };
        let (c, p) = (&mut into.constraints, part.constraints);
        // `Some` is greater than `None`, so `max` keeps the larger given limit.
        c.min_length = c.min_length.max(p.min_length);
        c.min_items = c.min_items.max(p.min_items);
        c.max_length = smaller(c.max_length, p.max_length);
        c.max_items = smaller(c.max_items, p.max_items);
        c.unique_items |= p.unique_items;
        c.minimum = stricter(c.minimum.take(), p.minimum, |a, b| a.value > b.value);
        c.maximum = stricter(c.maximum.take(), p.maximum, |a, b| a.value < b.value);
        c.multiple_of = c.multiple_of.take().or(p.multiple_of);
        if let (Some(kept), Some(other)) = (&c.pattern, &p.pattern) {
            if kept != other {
                self.sink.push(self.spec.warning(
                    Code::IgnoredKeyword,
                    &child(pointer, "pattern"),
                    format!(
                        "only one `pattern` of an allOf is checked (`{kept}`); `{other}` is not"
                    ),
                ));
            }
        }
        c.pattern = c.pattern.take().or(p.pattern);
    }
}

/// The smaller of two optional limits, either when only one is given.
fn smaller(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Of two optional bounds, the one `tighter` prefers (an exclusive one on a tie).
fn stricter(
    a: Option<Bound>,
    b: Option<Bound>,
    tighter: impl Fn(&Bound, &Bound) -> bool,
) -> Option<Bound> {
    match (a, b) {
        (Some(a), Some(b)) if tighter(&b, &a) || (b.value == a.value && b.exclusive) => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

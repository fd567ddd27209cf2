//! One resolver for `$ref`s of every kind: component schemas, parameters, request bodies,
//! responses and examples, and path items. A reference is followed through `$ref`-only
//! entries of the same section (a cycle is a problem, not a hang), its tokens are unescaped
//! (RFC 6901) in one place, and every problem is worded the same way whatever the kind.

use openapiv3::{Components, Example as SpecExample, Parameter, PathItem};

use super::*;

/// A section of the document a `$ref` can point into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    Schemas,
    Parameters,
    RequestBodies,
    Responses,
    Examples,
    Paths,
}

impl Section {
    /// The pointer of the section, e.g. `/components/requestBodies`.
    pub(super) fn pointer(self) -> &'static str {
        match self {
            Section::Schemas => "/components/schemas",
            Section::Parameters => "/components/parameters",
            Section::RequestBodies => "/components/requestBodies",
            Section::Responses => "/components/responses",
            Section::Examples => "/components/examples",
            Section::Paths => "/paths",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Section::Schemas => "schema",
            Section::Parameters => "parameter",
            Section::RequestBodies => "request body",
            Section::Responses => "response",
            Section::Examples => "example",
            Section::Paths => "path item",
        }
    }

    /// The unescaped key a reference names in this section, if it points here at all.
    pub(super) fn key_of(self, reference: &str) -> Option<String> {
        let rest = reference.strip_prefix('#')?.strip_prefix(self.pointer())?;
        let token = rest.strip_prefix('/')?;
        // One token: `#/components/schemas/A/properties/b` is not a component.
        (!token.contains('/')).then(|| ref_token(token))
    }
}

/// The key one token of a `$ref`'s fragment names: a fragment is percent-encoded (RFC 3986)
/// before its JSON pointer escapes (RFC 6901 §6), so `My%20Link` is `My Link`. A token whose
/// `%` sequences do not decode to UTF-8 is taken as written.
pub(crate) fn ref_token(token: &str) -> String {
    if !token.contains('%') {
        return unescape_token(token);
    }
    let bytes = token.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (b'%', None) => return unescape_token(token),
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    match String::from_utf8(decoded) {
        Ok(text) => unescape_token(&text),
        Err(_) => unescape_token(token),
    }
}

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RefProblem {
    /// It does not point at an entry of the expected section.
    Unsupported,
    /// The section has no entry with that key.
    Dangling(String),
    /// It leads back to itself through `$ref`-only entries.
    Cycle,
}

/// The document's entries of a section, as the resolver walks them.
type Entries<'a, T> = Option<&'a IndexMap<String, ReferenceOr<T>>>;

/// Follows `reference` through `$ref`-only entries of `section` to an item, with its pointer.
fn follow<'a, T>(
    entries: Entries<'a, T>,
    section: Section,
    reference: &str,
) -> Result<(&'a T, String), RefProblem> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut current = reference.to_owned();
    loop {
        let key = section.key_of(&current).ok_or(RefProblem::Unsupported)?;
        if !seen.insert(key.clone()) {
            return Err(RefProblem::Cycle);
        }
        match entries.and_then(|map| map.get(&key)) {
            Some(ReferenceOr::Item(item)) => return Ok((item, child(section.pointer(), &key))),
            Some(ReferenceOr::Reference { reference }) => current.clone_from(reference),
            None => return Err(RefProblem::Dangling(key)),
        }
    }
}

impl<'a> Lowerer<'a, '_> {
    pub(super) fn components(&self) -> Option<&'a Components> {
        self.api.components.as_ref()
    }

    pub(super) fn component_schemas(&self) -> Entries<'a, Schema> {
        self.components().map(|c| &c.schemas)
    }

    /// Reports a reference that could not be followed, at `pointer`.
    pub(super) fn report_ref(
        &mut self,
        pointer: &str,
        reference: &str,
        section: Section,
        problem: &RefProblem,
    ) {
        let noun = section.noun();
        let message = match problem {
            // A pointer into this document that led to a schema was moved to a component
            // by load (`hoist`); one left here points at nothing usable.
            RefProblem::Unsupported
                if section == Section::Schemas && reference.starts_with("#/") =>
            {
                format!("dangling $ref `{reference}`: there is no schema at that pointer")
            }
            RefProblem::Unsupported => format!(
                "unsupported $ref `{reference}`: only `#{}/<name>` can name a {noun} here",
                section.pointer()
            ),
            RefProblem::Dangling(key) => format!(
                "dangling $ref `{reference}`: there is no {noun} `{key}` in `{}`",
                &section.pointer()[1..]
            ),
            RefProblem::Cycle => format!("cyclic $ref `{reference}`: it leads back to itself"),
        };
        self.sink.push(self.spec.error(Code::Ref, pointer, message));
    }

    /// An item given in place or by `$ref`, with the pointer where its content is.
    fn item_or_ref<T>(
        &self,
        entries: Entries<'a, T>,
        section: Section,
        r: &'a ReferenceOr<T>,
        pointer: &str,
    ) -> Result<(&'a T, String), (&'a str, RefProblem)> {
        match r {
            ReferenceOr::Item(item) => Ok((item, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                follow(entries, section, reference).map_err(|p| (reference.as_str(), p))
            }
        }
    }

    /// Like `item_or_ref`, reporting a problem at `pointer`.
    fn reported<T>(
        &mut self,
        entries: Entries<'a, T>,
        section: Section,
        r: &'a ReferenceOr<T>,
        pointer: &str,
    ) -> Option<(&'a T, String)> {
        match self.item_or_ref(entries, section, r, pointer) {
            Ok(found) => Some(found),
            Err((reference, problem)) => {
                self.report_ref(pointer, reference, section, &problem);
                None
            }
        }
    }

    /// The component schema a `$ref` points at, following `$ref`-only components.
    pub(super) fn resolve_schema(&self, reference: &str) -> Option<(&'a Schema, String)> {
        follow(self.component_schemas(), Section::Schemas, reference).ok()
    }

    /// The schema a position holds, after `$ref`s (`None` for a reference that leads
    /// nowhere; that is reported where the type is lowered).
    pub(super) fn schema_at(&self, r: SchemaRef<'a>) -> Option<&'a Schema> {
        match r {
            SchemaRef::Item(s) => Some(s),
            SchemaRef::Ref(reference) => self.resolve_schema(reference).map(|(s, _)| s),
        }
    }

    pub(super) fn is_nullable(&self, r: SchemaRef<'a>) -> bool {
        self.schema_at(r).is_some_and(|s| s.schema_data.nullable)
    }

    pub(super) fn request_body(
        &mut self,
        r: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<(&'a RequestBody, String)> {
        let entries = self.components().map(|c| &c.request_bodies);
        self.reported(entries, Section::RequestBodies, r, pointer)
    }

    pub(super) fn response(
        &mut self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        let entries = self.components().map(|c| &c.responses);
        self.reported(entries, Section::Responses, r, pointer)
    }

    pub(super) fn parameter(
        &mut self,
        r: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(&'a Parameter, String)> {
        let entries = self.components().map(|c| &c.parameters);
        self.reported(entries, Section::Parameters, r, pointer)
    }

    /// The parameter, without reporting (for a second look at one already lowered).
    pub(super) fn parameter_quiet(
        &self,
        r: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        let entries = self.components().map(|c| &c.parameters);
        self.item_or_ref(entries, Section::Parameters, r, pointer)
            .ok()
            .map(|(p, _)| p)
    }

    /// The request body, without reporting (the examples pass runs after lowering, which
    /// reported already).
    pub(super) fn request_body_quiet(
        &self,
        r: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<(&'a RequestBody, String)> {
        let entries = self.components().map(|c| &c.request_bodies);
        self.item_or_ref(entries, Section::RequestBodies, r, pointer)
            .ok()
    }

    pub(super) fn response_quiet(
        &self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        let entries = self.components().map(|c| &c.responses);
        self.item_or_ref(entries, Section::Responses, r, pointer)
            .ok()
    }

    pub(super) fn example_quiet(&self, r: &'a ReferenceOr<SpecExample>) -> Option<&'a SpecExample> {
        let entries = self.components().map(|c| &c.examples);
        self.item_or_ref(entries, Section::Examples, r, "")
            .ok()
            .map(|(e, _)| e)
    }

    /// The path item a path's `$ref` names: another path of this document.
    pub(super) fn path_item(&self, reference: &str) -> Result<&'a PathItem, RefProblem> {
        follow(Some(&self.api.paths.paths), Section::Paths, reference).map(|(item, _)| item)
    }
}

impl Lowerer<'_, '_> {
    /// The Rust name of the component schema a `$ref` points at; reports dangling and
    /// unsupported references at `pointer`.
    pub(super) fn resolve_named(&mut self, reference: &str, pointer: &str) -> Option<TypeId> {
        let problem = match Section::Schemas.key_of(reference) {
            None => RefProblem::Unsupported,
            Some(key) => match self.component_ids.get(&key) {
                Some(id) => return Some(*id),
                None => RefProblem::Dangling(key),
            },
        };
        self.report_ref(pointer, reference, Section::Schemas, &problem);
        None
    }
}

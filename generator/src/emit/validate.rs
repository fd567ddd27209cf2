//! Validators: one `impl Validate` per struct and union, as plain code that calls the
//! runtime's checks. Aliases are followed, so an alias's keywords are checked wherever it
//! is used.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, Ctx, EmitOptions};
use crate::ir::{
    Constraints, CustomRule, Element, Field, Literal, Module, Predicate, Presence, StructDef,
    TypeDef, TypeExpr, TypeId, TypeKind, UnionDef,
};

/// One `impl Validate` chunk per struct and union.
pub fn emit_validators(cx: Ctx<'_>) -> Vec<TokenStream> {
    let module = cx.module;
    let emitter = Emitter {
        module,
        options: cx.options,
        uses_ctx: Cell::new(false),
    };
    let gates = cx
        .options
        .features_by_tag
        .then(|| crate::features::type_features(module));
    let impls = module.iter_types().filter_map(|(id, t)| {
        let chunk = match &t.kind {
            TypeKind::Struct(s) => emitter.struct_impl(t, s, module.references(id).contains(&id)),
            TypeKind::Union(u) => emitter.union_impl(t, u, module.references(id).contains(&id)),
            TypeKind::StringEnum(_) | TypeKind::Alias(_) => return None,
        };
        Some(match gates.as_ref().and_then(|g| g.get(&id)) {
            Some(features) => {
                crate::features::gate_items(chunk, &crate::features::cfg_attr(features))
            }
            None => chunk,
        })
    });
    impls.collect()
}

struct Emitter<'a> {
    module: &'a Module,
    options: &'a EmitOptions,
    /// Whether the body being emitted reads the context (the clock, or a nested call).
    uses_ctx: Cell<bool>,
}

impl Emitter<'_> {
    /// The `Validate` impl of a type. A type that holds itself (`details: Vec<ApiError>`)
    /// may pass `ctx` and `out` only to that recursion, which clippy flags; the allow says
    /// it is meant.
    fn validate_fn(&self, name: &str, body: TokenStream, recursive: bool) -> TokenStream {
        let rt = &self.options.runtime;
        let name = ident(name);
        let (ctx, path, out) = match (body.is_empty(), self.uses_ctx.take()) {
            (true, _) => (quote!(_ctx), quote!(_path), quote!(_out)),
            (false, true) => (quote!(ctx), quote!(path), quote!(out)),
            (false, false) => (quote!(_ctx), quote!(path), quote!(out)),
        };
        let allow = (recursive && !body.is_empty())
            .then(|| quote! { #[allow(clippy::only_used_in_recursion)] });
        quote! {
            impl #rt::validate::Validate for #name {
                #allow
                fn validate_into(
                    &self,
                    #ctx: &#rt::validate::Context,
                    #path: &#rt::validate::Path<'_>,
                    #out: &mut Vec<#rt::validate::Violation>,
                ) {
                    #body
                }
            }
        }
    }

    fn struct_impl(&self, t: &TypeDef, s: &StructDef, recursive: bool) -> TokenStream {
        let fields = s.fields.iter().map(|f| self.field_checks(f));
        let rules = s.rules.iter().map(|r| self.rule(r, &s.fields));
        let body = quote! { #(#fields)* #(#rules)* };
        self.validate_fn(&t.name, body, recursive)
    }

    fn union_impl(&self, t: &TypeDef, u: &UnionDef, recursive: bool) -> TokenStream {
        let arms: Vec<(TokenStream, TokenStream)> = u
            .variants
            .iter()
            .filter_map(|v| {
                let checks = self.checks(&v.ty, &[]);
                let variant = ident(&v.rust_name);
                (!checks.is_empty()).then(|| (quote! { Self::#variant(value) }, checks))
            })
            .collect();
        let body = match arms.as_slice() {
            [] => TokenStream::new(),
            [(pattern, checks)] if u.variants.len() > 1 => {
                quote! { if let #pattern = self { #checks } }
            }
            _ => {
                let arms = arms
                    .iter()
                    .map(|(pattern, checks)| quote! { #pattern => { #checks } });
                let rest = (arms.len() < u.variants.len()).then(|| quote! { _ => {} });
                quote! {
                    match self {
                        #(#arms)*
                        #rest
                    }
                }
            }
        };
        self.validate_fn(&t.name, body, recursive)
    }

    fn field_checks(&self, f: &Field) -> TokenStream {
        let checks = self.checks(&f.ty, &[&f.constraints]);
        if checks.is_empty() {
            return checks;
        }
        let name = ident(&f.rust_name);
        let wire = &f.wire_name;
        let scoped = quote! {
            let path = &path.field(#wire);
            #checks
        };
        match f.presence {
            Presence::Required => quote! { { let value = &self.#name; #scoped } },
            Presence::Optional | Presence::RequiredNullable => {
                quote! { if let Some(value) = &self.#name { #scoped } }
            }
            Presence::OptionalNullable => {
                quote! { if let Some(Some(value)) = &self.#name { #scoped } }
            }
        }
    }

    /// Checks of `value` (a reference to a value of type `ty`) at `path`, under every set of
    /// keywords in `constraints`.
    fn checks(&self, ty: &TypeExpr, constraints: &[&Constraints]) -> TokenStream {
        match ty {
            TypeExpr::Named(id) => self.named_checks(*id, constraints),
            TypeExpr::Nullable(inner) => {
                let inner = self.checks(inner, constraints);
                if inner.is_empty() {
                    inner
                } else {
                    quote! { if let Some(value) = value { #inner } }
                }
            }
            TypeExpr::Vec(element) => self.vec_checks(element, constraints),
            TypeExpr::Map(element) => self.map_checks(element, constraints),
            TypeExpr::String => {
                let checks = constraints.iter().map(|c| self.string_checks(c));
                quote! { #(#checks)* }
            }
            TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal | TypeExpr::UnixTime => {
                let checks = constraints.iter().map(|c| self.number_checks(ty, c));
                quote! { #(#checks)* }
            }
            TypeExpr::Bool
            | TypeExpr::DateTime
            | TypeExpr::Date
            | TypeExpr::Binary
            | TypeExpr::Any => TokenStream::new(),
        }
    }

    /// A named type: an alias adds its own keywords and is followed; a struct or union
    /// validates itself; a string enum refuses values outside its `enum`.
    fn named_checks(&self, id: TypeId, constraints: &[&Constraints]) -> TokenStream {
        let rt = &self.options.runtime;
        let def = self.module.get(id);
        match &def.kind {
            TypeKind::Alias(inner) => {
                let mut all = constraints.to_vec();
                all.push(&def.constraints);
                self.checks(inner, &all)
            }
            TypeKind::Struct(_) | TypeKind::Union(_) => {
                self.uses_ctx.set(true);
                quote! { #rt::validate::Validate::validate_into(value, ctx, path, out); }
            }
            TypeKind::StringEnum(e) => {
                let ty = ident(&def.name);
                let fallback = ident(&e.fallback);
                let values = e.variants.iter().map(|v| v.wire.as_str());
                quote! {
                    #rt::validate::check::enum_value(!matches!(value, #ty::#fallback(_)), &[#(#values),*], path, out);
                }
            }
        }
    }

    fn vec_checks(&self, element: &Element, constraints: &[&Constraints]) -> TokenStream {
        let rt = &self.options.runtime;
        let check = quote!(#rt::validate::check);
        let own = constraints.iter().map(|c| {
            let min = c
                .min_items
                .map(count)
                .map(|n| quote! { #check::min_items(value.len(), #n, path, out); });
            let max = c
                .max_items
                .map(count)
                .map(|n| quote! { #check::max_items(value.len(), #n, path, out); });
            let unique = c
                .unique_items
                .then(|| quote! { #check::unique_items(value, path, out); });
            quote! { #min #max #unique }
        });
        let items = self.checks(&element.ty, &[&element.constraints]);
        let items = (!items.is_empty()).then(|| {
            quote! {
                for (index, value) in value.iter().enumerate() {
                    let path = &path.index(index);
                    #items
                }
            }
        });
        quote! { #(#own)* #items }
    }

    fn map_checks(&self, element: &Element, constraints: &[&Constraints]) -> TokenStream {
        let rt = &self.options.runtime;
        let check = quote!(#rt::validate::check);
        let own = constraints.iter().map(|c| {
            let min = c
                .min_properties
                .map(count)
                .map(|n| quote! { #check::min_properties(value.len(), #n, path, out); });
            let max = c
                .max_properties
                .map(count)
                .map(|n| quote! { #check::max_properties(value.len(), #n, path, out); });
            quote! { #min #max }
        });
        let values = self.checks(&element.ty, &[&element.constraints]);
        let values = (!values.is_empty()).then(|| {
            quote! {
                for (key, value) in value {
                    let path = &path.key(key);
                    #values
                }
            }
        });
        quote! { #(#own)* #values }
    }

    fn string_checks(&self, c: &Constraints) -> TokenStream {
        let rt = &self.options.runtime;
        let check = quote!(#rt::validate::check);
        let min = c
            .min_length
            .map(count)
            .map(|n| quote! { #check::min_length(value, #n, path, out); });
        let max = c
            .max_length
            .map(count)
            .map(|n| quote! { #check::max_length(value, #n, path, out); });
        let pattern = c.pattern.as_ref().map(|p| {
            if let Some(class) = crate::pattern::char_class(p) {
                let ranges = class.ranges.iter().map(|(a, b)| {
                    let (a_lit, b_lit) = (
                        proc_macro2::Literal::character(*a),
                        proc_macro2::Literal::character(*b),
                    );
                    if a == b {
                        quote!(#a_lit)
                    } else {
                        quote!(#a_lit..=#b_lit)
                    }
                });
                let min = count(class.min);
                let max = match class.max {
                    Some(m) => {
                        let m = count(m);
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                // The standard library's test where there is one (clippy asks for it).
                let mut sorted = class.ranges.clone();
                sorted.sort_unstable();
                let test = match sorted.as_slice() {
                    [('A', 'Z')] => quote! { |c: char| c.is_ascii_uppercase() },
                    [('a', 'z')] => quote! { |c: char| c.is_ascii_lowercase() },
                    [('0', '9')] => quote! { |c: char| c.is_ascii_digit() },
                    [('A', 'Z'), ('a', 'z')] => quote! { |c: char| c.is_ascii_alphabetic() },
                    [('0', '9'), ('A', 'Z'), ('a', 'z')] => {
                        quote! { |c: char| c.is_ascii_alphanumeric() }
                    }
                    [('0', '9'), ('A', 'F'), ('a', 'f')] => {
                        quote! { |c: char| c.is_ascii_hexdigit() }
                    }
                    _ => quote! { |c| matches!(c, #(#ranges)|*) },
                };
                return quote! {
                    #check::char_class(value, #test, #min, #max, #p, path, out);
                };
            }
            quote! {
                {
                    static PATTERN: #rt::validate::Pattern = #rt::validate::Pattern::new(#p);
                    #check::pattern(value, &PATTERN, path, out);
                }
            }
        });
        let format = c.format.map(|f| {
            let variant = format_ident!("{f:?}");
            quote! { #check::format(value, #rt::validate::Format::#variant, path, out); }
        });
        quote! { #min #max #pattern #format }
    }

    fn number_checks(&self, ty: &TypeExpr, c: &Constraints) -> TokenStream {
        let rt = &self.options.runtime;
        let check = quote!(#rt::validate::check);
        // A limit a 96-bit decimal cannot hold is left unchecked (check warns), never
        // replaced by one that refuses every value.
        let min = c.minimum.as_ref().and_then(|b| {
            let (limit, exclusive) = (exact(rt, &b.text)?, b.exclusive);
            Some(quote! { #check::minimum(*value, #limit, #exclusive, path, out); })
        });
        let max = c.maximum.as_ref().and_then(|b| {
            let (limit, exclusive) = (exact(rt, &b.text)?, b.exclusive);
            Some(quote! { #check::maximum(*value, #limit, #exclusive, path, out); })
        });
        let multiple = c.multiple_of.as_ref().and_then(|m| {
            let factor = exact(rt, &m.text)?;
            Some(quote! { #check::multiple_of(*value, #factor, path, out); })
        });
        let allowed: Vec<i64> = c.enum_values.iter().filter_map(|v| v.as_i64()).collect();
        let enumeration = (matches!(ty, TypeExpr::Int(_)) && !allowed.is_empty()).then(|| {
            let texts = allowed.iter().map(|n| n.to_string());
            let literals = allowed.iter().map(|n| proc_macro2::Literal::i64_unsuffixed(*n));
            quote! { #check::enum_value([#(#literals),*].contains(value), &[#(#texts),*], path, out); }
        });
        quote! { #min #max #multiple #enumeration }
    }

    fn rule(&self, rule: &CustomRule, fields: &[Field]) -> TokenStream {
        let rt = &self.options.runtime;
        let then = self.predicate(&rule.then, fields);
        let (id, field, message) = (&rule.id, &rule.field, &rule.message);
        let condition = match &rule.when {
            Some(when) => format!("if {} then {}", describe(when), describe(&rule.then)),
            None => describe(&rule.then),
        };
        let check = quote! {
            #rt::validate::check::custom(#then, #id, #condition, #message, &path.field(#field), out);
        };
        match &rule.when {
            Some(when) => {
                let when = self.predicate(when, fields);
                quote! { if #when { #check } }
            }
            None => check,
        }
    }

    /// An expression of type `Option<&T>` for a field.
    fn optional(&self, field: &Field) -> TokenStream {
        let name = ident(&field.rust_name);
        match field.presence {
            Presence::Required => quote! { Some(&self.#name) },
            Presence::Optional | Presence::RequiredNullable => quote! { self.#name.as_ref() },
            Presence::OptionalNullable => quote! { self.#name.as_ref().and_then(Option::as_ref) },
        }
    }

    fn predicate(&self, p: &Predicate, fields: &[Field]) -> TokenStream {
        let rt = &self.options.runtime;
        let check = quote!(#rt::validate::check);
        // `check` verified that every named field exists.
        let field = |wire: &str| {
            fields
                .iter()
                .find(|f| f.wire_name == wire)
                .expect("checked field")
        };
        match p {
            Predicate::Present(f) => presence(field(f), true),
            Predicate::Absent(f) => presence(field(f), false),
            Predicate::Equals(f, lit) => self.matches_literals(field(f), std::slice::from_ref(lit)),
            Predicate::OneOf(f, lits) => self.matches_literals(field(f), lits),
            Predicate::LessThan(a, b) | Predicate::AtMost(a, b) => {
                let (a, b) = (self.optional(field(a)), self.optional(field(b)));
                let compare = if matches!(p, Predicate::LessThan(..)) {
                    quote!(a < b)
                } else {
                    quote!(a <= b)
                };
                quote! {
                    match (#a, #b) {
                        (Some(a), Some(b)) => #compare,
                        _ => true,
                    }
                }
            }
            Predicate::MultipleOf(f, factor) => match exact(rt, factor) {
                Some(factor) => {
                    self.when_set(field(f), |v| quote! { #check::is_multiple_of(#v, #factor) })
                }
                None => quote!(true),
            },
            Predicate::AtLeast(f, bound) => match exact(rt, bound) {
                Some(bound) => {
                    self.when_set(field(f), |v| quote! { #check::is_at_least(#v, #bound) })
                }
                None => quote!(true),
            },
            Predicate::AtLeastAfterNow(f, d) | Predicate::AtMostAfterNow(f, d) => {
                self.uses_ctx.set(true);
                let months = proc_macro2::Literal::u32_unsuffixed(d.months);
                let seconds = proc_macro2::Literal::i64_unsuffixed(d.seconds);
                let test = if matches!(p, Predicate::AtLeastAfterNow(..)) {
                    quote!(at_least_after)
                } else {
                    quote!(at_most_after)
                };
                self.when_set(
                    field(f),
                    |v| quote! { #check::#test(#v, ctx.now, #months, #seconds) },
                )
            }
            Predicate::Not(_) | Predicate::All(_) | Predicate::Any(_) => self.combined(p, fields),
        }
    }

    /// `not`, `all` and `any`, with the parentheses their operands need.
    fn combined(&self, p: &Predicate, fields: &[Field]) -> TokenStream {
        match p {
            Predicate::Not(inner) => {
                let simple = matches!(
                    **inner,
                    Predicate::Present(_)
                        | Predicate::Absent(_)
                        | Predicate::Equals(..)
                        | Predicate::OneOf(..)
                );
                let inner = self.predicate(inner, fields);
                if simple {
                    quote! { !#inner }
                } else {
                    quote! { !(#inner) }
                }
            }
            Predicate::All(items) | Predicate::Any(items) => {
                // Nested `all`/`any` get parentheses; the outermost needs none.
                let items = items.iter().map(|i| {
                    let tokens = self.predicate(i, fields);
                    if matches!(i, Predicate::All(_) | Predicate::Any(_)) {
                        quote! { (#tokens) }
                    } else {
                        tokens
                    }
                });
                if matches!(p, Predicate::All(_)) {
                    quote! { #(#items)&&* }
                } else {
                    quote! { #(#items)||* }
                }
            }
            _ => self.predicate(p, fields),
        }
    }

    /// `test` of the field's value (a copy), holding when the field is absent.
    fn when_set(&self, field: &Field, test: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
        let name = ident(&field.rust_name);
        match field.presence {
            Presence::Required => test(quote!(self.#name)),
            Presence::Optional | Presence::RequiredNullable => {
                let body = test(quote!(*v));
                quote! { self.#name.as_ref().is_none_or(|v| #body) }
            }
            Presence::OptionalNullable => {
                let body = test(quote!(*v));
                quote! { self.#name.as_ref().and_then(Option::as_ref).is_none_or(|v| #body) }
            }
        }
    }

    /// The field (or its default, when absent) is one of the literals.
    fn matches_literals(&self, field: &Field, literals: &[Literal]) -> TokenStream {
        let is_text = literals.iter().any(|l| matches!(l, Literal::String(_)));
        let name = ident(&field.rust_name);
        let required = field.presence == Presence::Required;
        let current = match (is_text, self.resolve(&field.ty), field.presence) {
            (true, TypeExpr::Named(_), Presence::Required) => quote! { self.#name.as_str() },
            (true, TypeExpr::Named(_), Presence::OptionalNullable) => {
                quote! { self.#name.as_ref().and_then(Option::as_ref).map(|v| v.as_str()) }
            }
            (true, TypeExpr::Named(_), _) => quote! { self.#name.as_ref().map(|v| v.as_str()) },
            (true, _, Presence::Required) => quote! { self.#name.as_str() },
            (true, _, Presence::OptionalNullable) => {
                quote! { self.#name.as_ref().and_then(Option::as_deref) }
            }
            (true, _, _) => quote! { self.#name.as_deref() },
            (false, _, Presence::OptionalNullable) => quote! { self.#name.flatten() },
            (false, _, _) => quote! { self.#name },
        };
        // A default of another kind than the literals (check warns about it) is not used.
        let default = field
            .default
            .as_ref()
            .and_then(|d| match (d, literals.first()) {
                (serde_json::Value::Bool(b), Some(Literal::Bool(_))) => Some(quote!(#b)),
                (serde_json::Value::Number(n), Some(Literal::Int(_))) => n.as_i64().map(|n| {
                    let n = proc_macro2::Literal::i64_unsuffixed(n);
                    quote!(#n)
                }),
                (serde_json::Value::String(s), Some(Literal::String(_))) => Some(quote!(#s)),
                _ => None,
            });
        let (current, optional) = match (required, default) {
            (true, _) => (current, false),
            (false, Some(d)) => (quote! { #current.unwrap_or(#d) }, false),
            (false, None) => (current, true),
        };
        let patterns = literals.iter().map(|l| match l {
            Literal::Bool(b) => quote!(#b),
            Literal::Int(n) => {
                let n = proc_macro2::Literal::i64_unsuffixed(*n);
                quote!(#n)
            }
            Literal::String(s) => quote!(#s),
        });
        let patterns: Vec<TokenStream> = patterns.collect();
        match (literals, optional) {
            ([Literal::Bool(true)], false) => current,
            ([Literal::Bool(false)], false) => quote! { !#current },
            ([_], false) => {
                let lit = &patterns[0];
                quote! { #current == #lit }
            }
            ([_], true) => {
                let lit = &patterns[0];
                quote! { #current == Some(#lit) }
            }
            (_, true) => quote! { matches!(#current, Some(#(#patterns)|*)) },
            (_, false) => quote! { matches!(#current, #(#patterns)|*) },
        }
    }

    /// Follows aliases to the type a value really has.
    fn resolve<'t>(&'t self, ty: &'t TypeExpr) -> &'t TypeExpr {
        self.module.follow(ty).ty
    }
}

/// A count as an unsuffixed literal (`50`, not `50usize`).
fn count(n: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(n)
}

/// `check::Exact::new(text, Decimal::from_parts(..))` for a number the spec wrote: the exact
/// value is computed here, so validation parses nothing.
fn exact(rt: &syn::Path, text: &str) -> Option<TokenStream> {
    let value = crate::ir::exact_decimal(text)?;
    let (lo, mid, hi, negative, scale) = value;
    let lo = proc_macro2::Literal::u32_unsuffixed(lo);
    let mid = proc_macro2::Literal::u32_unsuffixed(mid);
    let hi = proc_macro2::Literal::u32_unsuffixed(hi);
    let scale = proc_macro2::Literal::u32_unsuffixed(scale);
    Some(
        quote! { #rt::validate::check::Exact::new(#text, #rt::Decimal::from_parts(#lo, #mid, #hi, #negative, #scale)) },
    )
}

/// A predicate as readable text, for violations' `limit`.
fn describe(p: &Predicate) -> String {
    let literal = |l: &Literal| match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Int(n) => n.to_string(),
        Literal::String(s) => s.clone(),
    };
    match p {
        Predicate::Present(f) => format!("{f} is set"),
        Predicate::Absent(f) => format!("{f} is not set"),
        Predicate::Equals(f, l) => format!("{f} = {}", literal(l)),
        Predicate::OneOf(f, ls) => format!(
            "{f} in [{}]",
            ls.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Predicate::LessThan(a, b) => format!("{a} < {b}"),
        Predicate::AtMost(a, b) => format!("{a} <= {b}"),
        Predicate::MultipleOf(f, n) => format!("{f} is a multiple of {n}"),
        Predicate::AtLeast(f, n) => format!("{f} is at least {n}"),
        Predicate::AtLeastAfterNow(f, d) => format!("{f} >= now + {}", d.text),
        Predicate::AtMostAfterNow(f, d) => format!("{f} <= now + {}", d.text),
        Predicate::Not(inner) => format!("not ({})", describe(inner)),
        Predicate::All(items) => items
            .iter()
            .map(|i| format!("({})", describe(i)))
            .collect::<Vec<_>>()
            .join(" and "),
        Predicate::Any(items) => items
            .iter()
            .map(|i| format!("({})", describe(i)))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// Whether the field is present (`present`) or not: for a field that may be `null`, only a
/// value counts as present.
fn presence(f: &Field, present: bool) -> TokenStream {
    let name = ident(&f.rust_name);
    match (f.presence, present) {
        (Presence::OptionalNullable, true) => quote! { matches!(self.#name, Some(Some(_))) },
        (Presence::OptionalNullable, false) => quote! { !matches!(self.#name, Some(Some(_))) },
        (_, true) => quote! { self.#name.is_some() },
        (_, false) => quote! { self.#name.is_none() },
    }
}

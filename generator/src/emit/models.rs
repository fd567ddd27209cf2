//! Models: structs, string enums with an unknown-value fallback, untagged unions and aliases.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::{doc_attrs, ident, Ctx};
use crate::ir::{
    Field, FloatKind, IntKind, Presence, StringEnumDef, StructDef, TypeDef, TypeExpr, TypeKind,
    UnionDef,
};

/// One chunk of items per type, formatted one at a time.
pub fn emit_models(cx: Ctx<'_>) -> Vec<TokenStream> {
    let gates = cx
        .options
        .features_by_tag
        .then(|| crate::features::type_features(cx.module));
    cx.module
        .iter_types()
        .map(|(id, t)| {
            let chunk = emit_type(t, cx);
            match gates.as_ref().and_then(|g| g.get(&id)) {
                Some(features) => {
                    crate::features::gate_items(chunk, &crate::features::cfg_attr(features))
                }
                None => chunk,
            }
        })
        .collect()
}

fn emit_type(t: &TypeDef, cx: Ctx<'_>) -> TokenStream {
    let docs = type_docs(t);
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(t, s, docs, cx),
        TypeKind::StringEnum(e) => emit_string_enum(t, e, docs),
        TypeKind::Union(u) => emit_union(t, u, docs, cx),
        TypeKind::Alias(ty) => emit_alias(t, ty, docs, cx),
    }
}

fn type_docs(t: &TypeDef) -> TokenStream {
    let body = doc_attrs(t.docs.as_deref());
    let separator = t.docs.as_ref().map(|_| quote! { #[doc = ""] });
    let source = format!(" Schema: `#{}`.", t.pointer);
    quote! { #body #separator #[doc = #source] }
}

/// The Rust type of a value.
pub fn type_tokens(ty: &TypeExpr, cx: Ctx<'_>) -> TokenStream {
    let runtime = &cx.options.runtime;
    match ty {
        TypeExpr::Bool => quote! { bool },
        TypeExpr::Int(IntKind::I32) => quote! { i32 },
        TypeExpr::Int(IntKind::I64) => quote! { i64 },
        TypeExpr::Float(FloatKind::F32) => quote! { f32 },
        TypeExpr::Float(FloatKind::F64) => quote! { f64 },
        TypeExpr::Decimal => quote! { #runtime::JsonDecimal },
        TypeExpr::String => quote! { String },
        TypeExpr::DateTime => quote! { ::chrono::DateTime<::chrono::FixedOffset> },
        TypeExpr::Date => quote! { ::chrono::NaiveDate },
        TypeExpr::UnixTime => quote! { #runtime::UnixTimestamp },
        TypeExpr::Binary => quote! { #runtime::FilePart },
        TypeExpr::Any => quote! { ::serde_json::Value },
        TypeExpr::Named(id) => ident(cx.module.name(*id)).into_token_stream(),
        TypeExpr::Vec(element) => {
            let inner = type_tokens(&element.ty, cx);
            quote! { Vec<#inner> }
        }
        TypeExpr::Map(element) => {
            let inner = type_tokens(&element.ty, cx);
            quote! { ::indexmap::IndexMap<String, #inner> }
        }
        TypeExpr::Nullable(inner) => {
            let inner = type_tokens(inner, cx);
            quote! { Option<#inner> }
        }
    }
}

fn boxed(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

fn emit_struct(t: &TypeDef, s: &StructDef, docs: TokenStream, cx: Ctx<'_>) -> TokenStream {
    let name = ident(&t.name);
    let fields = s.fields.iter().map(|f| emit_field(f, cx));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty, cx);
        quote! {
            #[doc = " Properties the spec does not name."]
            #[serde(flatten)]
            pub additional_properties: ::indexmap::IndexMap<String, #ty>,
        }
    });
    let all_optional = s
        .fields
        .iter()
        .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = all_optional.then(|| quote! { Default, });
    let constructor = emit_constructor(s, cx);
    let setters = s.fields.iter().filter_map(|f| emit_setter(f, cx));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

fn field_type(f: &Field, cx: Ctx<'_>) -> TokenStream {
    boxed(type_tokens(&f.ty, cx), f.boxed)
}

fn field_docs(f: &Field, cx: Ctx<'_>) -> TokenStream {
    let body = doc_attrs(f.docs.as_deref());
    // A default check reported as unusable is not promised in the docs either.
    let usable = crate::check_values::default_problem(cx.module, f).is_none();
    let default = f.default.as_ref().filter(|_| usable).map(|value| {
        let line = format!(" Defaults to `{value}` when absent.");
        if f.docs.is_some() {
            quote! { #[doc = ""] #[doc = #line] }
        } else {
            quote! { #[doc = #line] }
        }
    });
    quote! { #body #default }
}

fn emit_field(f: &Field, cx: Ctx<'_>) -> TokenStream {
    let docs = field_docs(f, cx);
    let name = ident(&f.rust_name);
    let ty = field_type(f, cx);
    let rename = (f.rust_name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote! { #[serde(rename = #wire)] }
    });
    let (attrs, ty) = match f.presence {
        Presence::Required => (TokenStream::new(), ty),
        Presence::RequiredNullable => (TokenStream::new(), quote! { Option<#ty> }),
        Presence::Optional => (
            quote! { #[serde(skip_serializing_if = "Option::is_none")] },
            quote! { Option<#ty> },
        ),
        Presence::OptionalNullable => {
            let with = format!("{}::double_option", path_string(&cx.options.runtime));
            (
                quote! { #[serde(default, skip_serializing_if = "Option::is_none", with = #with)] },
                quote! { Option<Option<#ty>> },
            )
        }
    };
    quote! {
        #docs
        #rename
        #attrs
        pub #name: #ty,
    }
}

fn path_string(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// `new` takes exactly the required fields, so that forgetting one does not compile.
fn emit_constructor(s: &StructDef, cx: Ctx<'_>) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in &s.fields {
        let name = ident(&f.rust_name);
        let ty = type_tokens(&f.ty, cx);
        match f.presence {
            Presence::Required => {
                params.push(quote! { #name: impl Into<#ty> });
                let value = if f.boxed {
                    quote! { Box::new(#name.into()) }
                } else {
                    quote! { #name.into() }
                };
                inits.push(quote! { #name: #value });
            }
            Presence::RequiredNullable => {
                params.push(quote! { #name: Option<#ty> });
                inits.push(if f.boxed {
                    quote! { #name: #name.map(Box::new) }
                } else {
                    quote! { #name }
                });
            }
            Presence::Optional | Presence::OptionalNullable => inits.push(quote! { #name: None }),
        }
    }
    if s.additional.is_some() {
        inits.push(quote! { additional_properties: ::indexmap::IndexMap::new() });
    }
    let allow = (params.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #[doc = " Creates a value from its required fields; set the optional ones with the `with_*` methods."]
        #allow
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn emit_setter(f: &Field, cx: Ctx<'_>) -> Option<TokenStream> {
    let name = ident(&f.rust_name);
    let setter = ident(&format!("with_{}", f.rust_name.trim_start_matches('_')));
    let ty = type_tokens(&f.ty, cx);
    let doc = format!(" Sets `{}`.", f.wire_name);
    let (param, value) = match (f.presence, f.boxed) {
        (Presence::Optional, false) => (quote! { impl Into<#ty> }, quote! { Some(value.into()) }),
        (Presence::Optional, true) => (
            quote! { impl Into<#ty> },
            quote! { Some(Box::new(value.into())) },
        ),
        (Presence::OptionalNullable, false) => (quote! { Option<#ty> }, quote! { Some(value) }),
        (Presence::OptionalNullable, true) => {
            (quote! { Option<#ty> }, quote! { Some(value.map(Box::new)) })
        }
        (Presence::Required | Presence::RequiredNullable, _) => return None,
    };
    Some(quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #setter(mut self, value: #param) -> Self {
            self.#name = #value;
            self
        }
    })
}

fn emit_string_enum(t: &TypeDef, e: &StringEnumDef, docs: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let fallback = ident(&e.fallback);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #docs
        #[doc = ""]
        #[doc = " Values this version does not know are kept, not rejected."]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            #[doc = " A value not in the spec, kept as it was received."]
            #fallback(String),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#fallback(value) => value,
                }
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    #( #wires => Some(Self::#variants), )*
                    _ => None,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::#fallback(value.to_owned()))
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or(Self::#fallback(value))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                // Names no schema can take (spec names never start with `__`), so that a schema
                // called `Visitor`, `D` or `E` does not clash with them.
                struct __Visitor;

                impl ::serde::de::Visitor<'_> for __Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    // Known values are matched without allocating; only unknown ones are kept.
                    fn visit_str<__E: ::serde::de::Error>(self, value: &str) -> Result<#name, __E> {
                        Ok(#name::from(value))
                    }

                    fn visit_string<__E: ::serde::de::Error>(self, value: String) -> Result<#name, __E> {
                        Ok(#name::from(value))
                    }
                }

                deserializer.deserialize_str(__Visitor)
            }
        }
    }
}

fn emit_union(t: &TypeDef, u: &UnionDef, docs: TokenStream, cx: Ctx<'_>) -> TokenStream {
    let name = ident(&t.name);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = boxed(type_tokens(&v.ty, cx), v.boxed);
        let doc = format!(" `#{}`", v.pointer);
        quote! { #[doc = #doc] #variant(#ty), }
    });
    quote! {
        #docs
        #[doc = ""]
        #[doc = " One of several shapes; deserialization tries them in the spec's order."]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn emit_alias(t: &TypeDef, ty: &TypeExpr, docs: TokenStream, cx: Ctx<'_>) -> TokenStream {
    let name = ident(&t.name);
    let ty = type_tokens(ty, cx);
    quote! {
        #docs
        pub type #name = #ty;
    }
}

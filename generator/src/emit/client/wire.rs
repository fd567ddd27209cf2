//! The one value→text conversion. Lower chose a [`TextRule`] per parameter (and
//! [`Module::text_rule`](crate::ir::Module::text_rule) gives it for a multipart part); this
//! file is the only place that turns a rule into code, so a type is written the same way
//! in a path, a query, a header and a form.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ClientEmitter;
use crate::ir::{Param, ParamLocation, TextRule, TypeExpr, WireForm};

/// Where a converted value goes, which decides what a value without text form (JSON) does
/// when it cannot be encoded.
#[derive(Clone, Copy)]
pub(super) enum Site<'a> {
    /// A parameter (its wire name): `Error::InvalidRequest`.
    Parameter(&'a str),
    /// A multipart part: the form's error.
    Part,
}

/// The form the emitter renders. Lower never plans an array of JSON values (it sends the
/// whole array as one JSON text) or a repeated header or path value; should either reach
/// here, it is written the way lower would have planned it.
pub(super) fn planned(p: &Param) -> WireForm {
    match p.wire {
        WireForm::Joined(TextRule::Json, _) | WireForm::Repeated(TextRule::Json) => {
            WireForm::Single(TextRule::Json)
        }
        WireForm::Repeated(rule) if p.location != ParamLocation::Query => {
            WireForm::Joined(rule, ',')
        }
        form => form,
    }
}

impl ClientEmitter<'_> {
    /// A `String` expression: the text of `value` (a value of the rule's type, or a
    /// reference to one) by `rule`.
    pub(super) fn text(&self, rule: TextRule, value: TokenStream, site: Site<'_>) -> TokenStream {
        let rt = &self.options.runtime;
        match rule {
            TextRule::Text | TextRule::Number | TextRule::Date => quote! { #value.to_string() },
            TextRule::EnumValue => quote! { #value.as_str().to_owned() },
            TextRule::DateTime => quote! { #value.to_rfc3339() },
            TextRule::UnixSeconds => quote! { #value.as_secs().to_string() },
            TextRule::Json => match site {
                Site::Parameter(wire) => quote! { #rt::http::json_text(#wire, #value)? },
                Site::Part => quote! { #rt::multipart::json_text(#value)? },
            },
        }
    }

    /// The text of parameter `p`, whose value is in `name`: one value, or an array's items
    /// joined. (A repeated query array is written item by item by the caller.)
    pub(super) fn param_text(&self, p: &Param, name: &Ident) -> TokenStream {
        let site = Site::Parameter(&p.wire_name);
        match planned(p) {
            WireForm::Single(rule) => self.text(rule, quote!(#name), site),
            // Callers write an object as its pairs; as one text it is its JSON.
            WireForm::Object(_) => self.text(TextRule::Json, quote!(#name), site),
            WireForm::Joined(rule, separator) => {
                let (separator, item) = (separator.to_string(), self.text(rule, quote!(v), site));
                quote! { #name.iter().map(|v| #item).collect::<Vec<_>>().join(#separator) }
            }
            // Callers write a repeated array item by item, with `text` on each.
            WireForm::Repeated(rule) => {
                let item = self.text(rule, quote!(v), site);
                quote! { #name.iter().map(|v| #item).collect::<Vec<_>>().join(",") }
            }
        }
    }

    /// The Rust type parameter `p` is passed as: small copyable values by value, text as
    /// `&str`, arrays as slices, anything else by reference; `Option` when not required.
    pub(super) fn arg_type(&self, p: &Param) -> TokenStream {
        let ty = match planned(p) {
            WireForm::Single(rule) => self.value_arg(rule, &p.ty),
            WireForm::Object(_) => self.value_arg(TextRule::Json, &p.ty),
            WireForm::Joined(rule, _) | WireForm::Repeated(rule) => match &p.ty {
                TypeExpr::Vec(element) => {
                    let item = match rule {
                        TextRule::Text => quote!(&str),
                        _ => self.ty(&element.ty),
                    };
                    quote! { &[#item] }
                }
                // An alias of an array.
                other => {
                    let ty = self.ty(other);
                    quote! { &#ty }
                }
            },
        };
        if p.required {
            ty
        } else {
            quote! { Option<#ty> }
        }
    }

    fn value_arg(&self, rule: TextRule, ty: &TypeExpr) -> TokenStream {
        match rule {
            TextRule::Text => quote!(&str),
            TextRule::Number | TextRule::DateTime | TextRule::Date | TextRule::UnixSeconds => {
                self.ty(ty)
            }
            TextRule::EnumValue | TextRule::Json => match ty {
                TypeExpr::Vec(element) => {
                    let item = self.ty(&element.ty);
                    quote! { &[#item] }
                }
                _ => {
                    let ty = self.ty(ty);
                    quote! { &#ty }
                }
            },
        }
    }
}

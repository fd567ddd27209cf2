//! `impl MultipartBody` for every struct sent as `multipart/form-data`: one part per field,
//! text parts written by the same rule as parameters.

use proc_macro2::TokenStream;
use quote::quote;

use super::wire::Site;
use super::{ident, ClientEmitter};
use crate::ir::{BodyMedia, Presence, TypeExpr, TypeKind};

impl ClientEmitter<'_> {
    pub(super) fn multipart_impls(&self) -> Vec<TokenStream> {
        let rt = &self.options.runtime;
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for op in &self.module.operations {
            let Some(body) = op.body.as_ref().filter(|b| b.media == BodyMedia::Multipart) else {
                continue;
            };
            let Some(name) = body.ty.direct_named() else {
                continue;
            };
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let TypeKind::Struct(def) = &self.module.get(name).kind else {
                continue;
            };
            let parts = def.fields.iter().map(|f| {
                let field = ident(&f.rust_name);
                let wire = &f.wire_name;
                let value = self.part_value(&f.ty);
                match f.presence {
                    Presence::Required => quote! { { let value = &self.#field; parts.push((#wire, #value)); } },
                    Presence::Optional | Presence::RequiredNullable => {
                        quote! { if let Some(value) = &self.#field { parts.push((#wire, #value)); } }
                    }
                    Presence::OptionalNullable => {
                        quote! { if let Some(Some(value)) = &self.#field { parts.push((#wire, #value)); } }
                    }
                }
            });
            let ty = self.ty(&body.ty);
            let gate = self
                .gates
                .as_ref()
                .and_then(|g| g.get(&name).map(crate::features::cfg_attr));
            out.push(quote! {
                #gate
                impl #rt::multipart::MultipartBody for #ty {
                    fn parts(&self) -> Result<Vec<(&'static str, #rt::multipart::PartValue)>, String> {
                        let mut parts = Vec::new();
                        #(#parts)*
                        Ok(parts)
                    }
                }
            });
        }
        out
    }

    /// A form part from `value` (a reference to a field's value): file contents as a file
    /// part, anything else as text by its [`TextRule`](crate::ir::TextRule).
    fn part_value(&self, ty: &TypeExpr) -> TokenStream {
        let rt = &self.options.runtime;
        match self.module.text_rule(ty) {
            None => quote! { #rt::multipart::PartValue::File(value.clone()) },
            Some(rule) => {
                let text = self.text(rule, quote!(value), Site::Part);
                quote! { #rt::multipart::PartValue::Text(#text) }
            }
        }
    }
}

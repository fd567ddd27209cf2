//! One error enum per operation: a variant per documented error status, decoded by status
//! (codes before ranges before `default`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, ClientEmitter};
use crate::ir::{ErrorStatus, Operation, StatusMatch};

impl ClientEmitter<'_> {
    pub(super) fn error_name(op: &Operation) -> Ident {
        super::super::ident_with_suffix(&op.type_name, "Error")
    }

    pub(super) fn error_enum(&self, op: &Operation) -> TokenStream {
        let rt = &self.options.runtime;
        let name = Self::error_name(op);
        let doc = format!(
            " The documented error responses of [`Client::{}`], chosen by status code.",
            op.name
        );
        let variants = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            let which = match e.status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(range) => format!("{range}XX"),
                StatusMatch::Default => "any other status".to_owned(),
            };
            let doc = format!(" {which}: {}", e.description.trim());
            match &e.ty {
                Some(ty) => {
                    let ty = self.ty(ty);
                    quote! { #[doc = #doc] #variant(#ty), }
                }
                None => quote! { #[doc = #doc] #variant, },
            }
        });
        let only_default = op.errors.iter().all(|e| e.status == StatusMatch::Default);
        let status = if only_default {
            quote!(_status)
        } else {
            quote!(status)
        };
        let body = if op.errors.iter().any(|e| e.ty.is_some()) {
            quote!(body)
        } else {
            quote!(_body)
        };
        let decode = self.decode_errors(&op.errors);
        // Codes come before the ranges that hold them (`400` before `4XX`) on purpose.
        let overlapping = (op
            .errors
            .iter()
            .any(|e| matches!(e.status, StatusMatch::Code(_)))
            && op
                .errors
                .iter()
                .any(|e| matches!(e.status, StatusMatch::Range(_))))
        .then(|| quote! { #[allow(clippy::match_overlapping_arm)] });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variants)*
            }

            impl #rt::http::ErrorResponses for #name {
                #overlapping
                fn decode(#status: u16, #body: &[u8]) -> Option<Result<Self, ::serde_json::Error>> {
                    #decode
                }
            }
        }
    }

    /// The body of `ErrorResponses::decode`: the variant chosen by status, its body decoded.
    fn decode_errors(&self, errors: &[ErrorStatus]) -> TokenStream {
        let rt = &self.options.runtime;
        let value = |e: &ErrorStatus| {
            let variant = ident(&e.variant);
            match &e.ty {
                Some(ty) => {
                    let shape = self.shape(Some(ty));
                    quote! { Some(#rt::http::decode_json(body, #shape).map(Self::#variant)) }
                }
                None => quote! { Some(Ok(Self::#variant)) },
            }
        };
        match errors {
            [] => return quote! { None },
            [only] if only.status == StatusMatch::Default => return value(only),
            _ => {}
        }
        // Codes first, then ranges, then `default`: the most specific documented match wins.
        let mut ordered: Vec<&ErrorStatus> = errors.iter().collect();
        ordered.sort_by_key(|e| match e.status {
            StatusMatch::Code(_) => 0,
            StatusMatch::Range(_) => 1,
            StatusMatch::Default => 2,
        });
        let arms = ordered.iter().map(|e| {
            let pattern = match e.status {
                StatusMatch::Code(code) => quote! { #code },
                StatusMatch::Range(range) => {
                    let (low, high) = (range * 100, range * 100 + 99);
                    quote! { #low..=#high }
                }
                StatusMatch::Default => quote! { _ },
            };
            let value = value(e);
            quote! { #pattern => #value, }
        });
        let has_default = errors.iter().any(|e| e.status == StatusMatch::Default);
        let fallback = (!has_default).then(|| quote! { _ => None, });
        quote! {
            match status {
                #(#arms)*
                #fallback
            }
        }
    }
}

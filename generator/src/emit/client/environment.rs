//! `Environment`: one variant per server of the spec, and `Custom`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, ClientEmitter};

impl ClientEmitter<'_> {
    pub(super) fn environment(&self) -> TokenStream {
        let variants = self.module.servers.iter().map(|s| {
            let name = ident(&s.name);
            let doc = match &s.description {
                Some(d) => format!(" {d}: `{}`", s.url),
                None => format!(" `{}`", s.url),
            };
            quote! { #[doc = #doc] #name, }
        });
        let arms = self.module.servers.iter().map(|s| {
            let (name, url) = (ident(&s.name), &s.url);
            quote! { Self::#name => #url, }
        });
        quote! {
            /// Where requests go: the spec's servers, or any base URL.
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum Environment {
                #(#variants)*
                /// Any base URL, such as a local stub server.
                Custom(String),
            }

            impl Environment {
                pub fn base_url(&self) -> &str {
                    match self {
                        #(#arms)*
                        Self::Custom(url) => url,
                    }
                }
            }
        }
    }
}

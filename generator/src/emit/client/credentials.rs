//! `Credentials`: one variant per distinct security alternative of the operations, with a
//! constructor each; secrets are `Secret`s, so they never show in `Debug`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, ClientEmitter};
use crate::ir::{
    Credential, CredentialId, IdempotencyPolicy, SchemeKind, SecurityScheme, TokenSource,
};

/// One `Credentials` variant's pieces.
struct Alternative {
    variant: TokenStream,
    arm: TokenStream,
    constructor: TokenStream,
}

impl ClientEmitter<'_> {
    /// The `Credentials` variants under which an idempotency key is honoured; `None`: all.
    pub(super) fn honoured_by(&self, policy: &IdempotencyPolicy) -> Option<Vec<String>> {
        let honoured = policy.honoured_with.as_ref()?;
        Some(
            self.module
                .credentials
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    let id = CredentialId(*i as u32);
                    honoured
                        .iter()
                        .any(|keys| self.module.credential_is(id, keys))
                })
                .map(|(_, c)| c.variant.clone())
                .collect(),
        )
    }

    pub(super) fn credentials(&self) -> TokenStream {
        let rt = &self.options.runtime;
        let alternatives: Vec<Alternative> = self
            .module
            .credentials
            .iter()
            .map(|c| self.alternative(c))
            .collect();
        let variants = alternatives.iter().map(|a| &a.variant);
        let constructors = alternatives.iter().map(|a| &a.constructor);
        let arms = alternatives.iter().map(|a| &a.arm);
        // `security: [{}, …]` makes authentication optional for an operation.
        let optional = self
            .module
            .operations
            .iter()
            .any(|op| op.security.iter().any(Option::is_none));
        let (auth_body, anonymous) = match (alternatives.is_empty(), optional) {
            (true, _) => (
                quote! { Ok(#rt::http::Auth::anonymous()) },
                quote! {
                    /// The spec requires no authentication.
                    Anonymous,
                },
            ),
            (false, true) => (
                quote! { match self { #(#arms)* Self::Anonymous => Ok(#rt::http::Auth::anonymous()), } },
                quote! {
                    /// No credentials, for the operations whose authentication is optional;
                    /// the others are refused by the gateway.
                    Anonymous,
                },
            ),
            (false, false) => (quote! { match self { #(#arms)* } }, TokenStream::new()),
        };
        quote! {
            /// How to authenticate: one of the spec's security alternatives. Only the chosen
            /// alternative's headers are sent; secrets never show in `Debug` output.
            #[derive(Debug, Clone)]
            #[non_exhaustive]
            pub enum Credentials {
                #(#variants)*
                #anonymous
            }

            impl Credentials {
                #(#constructors)*

                fn auth(&self) -> Result<#rt::http::Auth, #rt::http::BuildError> {
                    #auth_body
                }
            }
        }
    }

    /// The variant, `auth()` arm and constructor of one alternative.
    fn alternative(&self, credential: &Credential) -> Alternative {
        let rt = &self.options.runtime;
        let variant_name = &credential.variant;
        let variant = ident(variant_name);
        let constructor = ident(&credential.constructor);
        let schemes: Vec<(&SecurityScheme, &String)> = credential
            .schemes
            .iter()
            .map(|(id, field)| (self.module.scheme(*id), field))
            .collect();
        let (mut fields, mut params, mut inits, mut names, mut auth) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let sends: Vec<String> = schemes
            .iter()
            .map(|(s, _)| match &s.kind {
                SchemeKind::Header { name } => format!("`{name}`"),
                SchemeKind::Query { name } => format!("the query parameter `{name}`"),
                SchemeKind::Cookie { name } => format!("the cookie `{name}`"),
                SchemeKind::Basic => "HTTP Basic".to_owned(),
                SchemeKind::Bearer(TokenSource::Http) => "a bearer token".to_owned(),
                SchemeKind::Bearer(TokenSource::OAuth2 {
                    token_url: Some(url),
                }) => {
                    format!("an OAuth2 access token (from `{url}`) as a bearer token")
                }
                SchemeKind::Bearer(TokenSource::OAuth2 { token_url: None }) => {
                    "an OAuth2 access token as a bearer token".to_owned()
                }
                SchemeKind::Bearer(TokenSource::OpenIdConnect { url }) => {
                    format!("an OpenID Connect token (provider: `{url}`) as a bearer token")
                }
            })
            .collect();
        let doc = format!(" Sends {}.", sends.join(" and "));
        for (s, field_name) in schemes {
            if s.kind == SchemeKind::Basic {
                fields.push(quote! { username: String, password: #rt::Secret });
                params
                    .push(quote! { username: impl Into<String>, password: impl Into<#rt::Secret> });
                inits.push(quote! { username: username.into(), password: password.into() });
                names.push(quote! { username, password });
                auth.push(quote! { .basic(username, password)? });
                continue;
            }
            let field = ident(field_name);
            fields.push(quote! { #field: #rt::Secret });
            params.push(quote! { #field: impl Into<#rt::Secret> });
            inits.push(quote! { #field: #field.into() });
            names.push(quote! { #field });
            auth.push(match &s.kind {
                SchemeKind::Header { name } => quote! { .header(#name, #field.expose())? },
                SchemeKind::Query { name } => quote! { .query(#name, #field) },
                SchemeKind::Cookie { name } => quote! { .cookie(#name, #field.expose())? },
                SchemeKind::Basic | SchemeKind::Bearer(_) => {
                    quote! { .header("authorization", &format!("Bearer {}", #field.expose()))? }
                }
            });
        }
        Alternative {
            variant: quote! { #[doc = #doc] #variant { #(#fields),* }, },
            arm: quote! {
                Self::#variant { #(#names),* } => Ok(#rt::http::Auth::new(#variant_name) #(#auth)*),
            },
            constructor: quote! {
                #[doc = #doc]
                pub fn #constructor(#(#params),*) -> Self {
                    Self::#variant { #(#inits),* }
                }
            },
        }
    }
}

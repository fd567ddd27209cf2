//! `Credentials`: one variant per distinct security alternative of the operations, with a
//! constructor each; secrets are `Secret`s, so they never show in `Debug`.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, ClientEmitter};
use crate::ir::{IdempotencyPolicy, SchemeKind, SecurityScheme};

/// One `Credentials` variant's pieces.
struct Alternative {
    variant: TokenStream,
    arm: TokenStream,
    constructor: TokenStream,
}

impl ClientEmitter<'_> {
    /// Every distinct security alternative of the operations, in order of appearance.
    fn alternatives(&self) -> Vec<Vec<&SecurityScheme>> {
        let mut out: Vec<Vec<&SecurityScheme>> = Vec::new();
        for op in &self.module.operations {
            for alternative in &op.security {
                let schemes: Vec<&SecurityScheme> = alternative
                    .iter()
                    .filter_map(|key| self.module.security_schemes.iter().find(|s| &s.key == key))
                    .collect();
                if !schemes.is_empty()
                    && !out.iter().any(|known| {
                        known
                            .iter()
                            .map(|s| &s.key)
                            .eq(schemes.iter().map(|s| &s.key))
                    })
                {
                    out.push(schemes);
                }
            }
        }
        out
    }

    /// The `Credentials` variant of a security alternative (a valid variant name whatever
    /// the schemes are called: `self`, `3ds`).
    fn variant_name(schemes: &[&SecurityScheme]) -> String {
        let joined: String = schemes
            .iter()
            .map(|s| s.field.to_upper_camel_case())
            .collect();
        crate::names::variant_name(&joined, "Scheme")
    }

    /// The `Credentials` variants under which an idempotency key is honoured; `None`: all.
    pub(super) fn honoured_by(&self, policy: &IdempotencyPolicy) -> Option<Vec<String>> {
        let honoured = policy.honoured_with.as_ref()?;
        Some(
            self.named_alternatives()
                .into_iter()
                .filter(|(_, schemes)| {
                    let keys: Vec<String> = schemes.iter().map(|s| s.key.clone()).collect();
                    honoured
                        .iter()
                        .any(|honoured| crate::ir::same_alternative(&keys, honoured))
                })
                .map(|(name, _)| name)
                .collect(),
        )
    }

    /// The alternatives with their `Credentials` variant names, made unique in order of
    /// appearance (`ApiKey`, `ApiKey2`; never `Anonymous`).
    fn named_alternatives(&self) -> Vec<(String, Vec<&SecurityScheme>)> {
        let mut out: Vec<(String, Vec<&SecurityScheme>)> = Vec::new();
        for schemes in self.alternatives() {
            let name = crate::names::unique(&Self::variant_name(&schemes), "", |name| {
                name == "Anonymous" || out.iter().any(|(taken, _)| taken == name)
            });
            out.push((name, schemes));
        }
        out
    }

    pub(super) fn credentials(&self) -> TokenStream {
        let rt = &self.options.runtime;
        let alternatives: Vec<Alternative> = self
            .named_alternatives()
            .iter()
            .map(|(name, schemes)| self.alternative(name, schemes))
            .collect();
        let variants = alternatives.iter().map(|a| &a.variant);
        let constructors = alternatives.iter().map(|a| &a.constructor);
        let arms = alternatives.iter().map(|a| &a.arm);
        // `security: [{}, …]` makes authentication optional for an operation.
        let optional = self
            .module
            .operations
            .iter()
            .any(|op| op.security.iter().any(Vec::is_empty));
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

    /// Field names unique within one variant (`username`/`password` are Basic's); empty
    /// for a Basic scheme, whose fields are those two.
    fn credential_fields(schemes: &[&SecurityScheme]) -> Vec<String> {
        let mut used: Vec<String> = Vec::new();
        if schemes.iter().any(|s| s.kind == SchemeKind::Basic) {
            used.extend(["username".to_owned(), "password".to_owned()]);
        }
        schemes
            .iter()
            .map(|s| {
                if s.kind == SchemeKind::Basic {
                    return String::new();
                }
                let mut field = s.field.clone();
                if used.contains(&field) {
                    field = crate::names::numbered(&s.field, "_", |f| used.iter().any(|u| u == f));
                }
                used.push(field.clone());
                field
            })
            .collect()
    }

    /// The variant, `auth()` arm and constructor of one alternative.
    fn alternative(&self, variant_name: &str, schemes: &[&SecurityScheme]) -> Alternative {
        let rt = &self.options.runtime;
        let variant = ident(variant_name);
        let constructor = ident(&crate::names::field_name(variant_name));
        let (mut fields, mut params, mut inits, mut names, mut auth) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let sends: Vec<String> = schemes
            .iter()
            .map(|s| match &s.kind {
                SchemeKind::Header { name } => format!("`{name}`"),
                SchemeKind::Basic => "HTTP Basic".to_owned(),
                SchemeKind::Bearer => "a bearer token".to_owned(),
            })
            .collect();
        let doc = format!(" Sends {}.", sends.join(" and "));
        for (s, field_name) in schemes.iter().zip(Self::credential_fields(schemes)) {
            if s.kind == SchemeKind::Basic {
                fields.push(quote! { username: String, password: #rt::Secret });
                params
                    .push(quote! { username: impl Into<String>, password: impl Into<#rt::Secret> });
                inits.push(quote! { username: username.into(), password: password.into() });
                names.push(quote! { username, password });
                auth.push(quote! { .basic(username, password)? });
                continue;
            }
            let field = ident(&field_name);
            fields.push(quote! { #field: #rt::Secret });
            params.push(quote! { #field: impl Into<#rt::Secret> });
            inits.push(quote! { #field: #field.into() });
            names.push(quote! { #field });
            auth.push(match &s.kind {
                SchemeKind::Header { name } => quote! { .header(#name, #field.expose())? },
                _ => {
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

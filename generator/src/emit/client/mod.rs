//! The client, split by job: `Environment` (the spec's servers, `environment.rs`),
//! `Credentials` (its security alternatives, `credentials.rs`), one error enum per operation
//! (`errors.rs`), two methods per operation rendered from the operation's request plan
//! (`methods.rs`), `MultipartBody` impls (`multipart.rs`), and the one value→text rule they
//! all use (`wire.rs`).

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::type_tokens;
use super::{ident, Ctx, EmitOptions};
use crate::ir::{Module, TypeExpr, TypeId, TypeKind};

mod credentials;
mod environment;
mod errors;
mod methods;
mod multipart;
mod wire;

/// The client as chunks: environment, credentials, the client, error enums, multipart impls.
pub fn emit_client(cx: Ctx<'_>) -> Vec<TokenStream> {
    let (module, options) = (cx.module, cx.options);
    let emitter = ClientEmitter {
        module,
        options,
        gates: options
            .features_by_tag
            .then(|| crate::features::type_features(module)),
    };
    let environment = emitter.environment();
    let credentials = emitter.credentials();
    let errors = module.operations.iter().map(|op| {
        let chunk = emitter.error_enum(op);
        if options.features_by_tag {
            let feature = &op.feature;
            crate::features::gate_items(chunk, &quote! { #[cfg(feature = #feature)] })
        } else {
            chunk
        }
    });
    let multipart = emitter.multipart_impls();
    let methods = module.operations.iter().map(|op| emitter.methods(op));
    let rt = &options.runtime;
    let client = quote! {

        /// A client for every operation of the spec. Cheap to clone: clones share one
        /// connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: #rt::http::Transport,
        }

        impl Client {
            /// A client with the default settings (30 s timeout, conservative retries).
            pub fn new(environment: Environment, credentials: Credentials) -> Result<Self, #rt::http::BuildError> {
                Self::with_config(environment, credentials, #rt::http::ClientConfig::default())
            }

            pub fn with_config(
                environment: Environment,
                credentials: Credentials,
                config: #rt::http::ClientConfig,
            ) -> Result<Self, #rt::http::BuildError> {
                let transport = #rt::http::Transport::new(environment.base_url(), credentials.auth()?, config)?;
                Ok(Self { transport })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            #(#methods)*
        }

    };
    let mut chunks = vec![environment, credentials, client];
    chunks.extend(errors);
    chunks.extend(multipart);
    chunks
}

struct ClientEmitter<'a> {
    module: &'a Module,
    options: &'a EmitOptions,
    /// With `features_by_tag`: type → the features that need it, computed once.
    gates: Option<HashMap<TypeId, BTreeSet<String>>>,
}

impl ClientEmitter<'_> {
    fn cx(&self) -> Ctx<'_> {
        Ctx {
            module: self.module,
            options: self.options,
        }
    }

    /// A type as the client module names it: models through `options.models_path`.
    fn ty(&self, ty: &TypeExpr) -> TokenStream {
        let models = &self.options.models_path;
        match ty {
            TypeExpr::Named(id) => {
                let name = ident(self.module.name(*id));
                quote! { #models #name }
            }
            TypeExpr::Vec(element) => {
                let inner = self.ty(&element.ty);
                quote! { Vec<#inner> }
            }
            TypeExpr::Map(element) => {
                let inner = self.ty(&element.ty);
                quote! { ::indexmap::IndexMap<String, #inner> }
            }
            TypeExpr::Nullable(inner) => {
                let inner = self.ty(inner);
                quote! { Option<#inner> }
            }
            other => type_tokens(other, self.cx()),
        }
    }

    /// The JSON shape of a response body of type `ty`, as a `Shape` expression.
    fn shape(&self, ty: Option<&TypeExpr>) -> TokenStream {
        let rt = &self.options.runtime;
        // Aliases are followed to the type the body really has.
        let shape = match ty.map(|ty| self.module.follow(ty).ty) {
            Some(TypeExpr::Named(n)) => match &self.module.get(*n).kind {
                TypeKind::Struct(_) => "Object",
                TypeKind::StringEnum(_) => "String",
                _ => "Any",
            },
            Some(TypeExpr::Map(_)) => "Object",
            Some(TypeExpr::Vec(_)) => "Array",
            Some(TypeExpr::Bool) => "Boolean",
            Some(TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::UnixTime) => "Number",
            Some(TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date) => "String",
            None => "Empty",
            _ => "Any",
        };
        let name = format_ident!("{shape}");
        quote! { #rt::http::Shape::#name }
    }
}

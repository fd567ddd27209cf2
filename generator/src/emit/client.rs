//! The client: `Environment` (the spec's servers), `Credentials` (its security
//! alternatives), one error enum per operation, and two methods per operation.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::type_tokens;
use super::{doc_attrs, ident, Ctx, EmitOptions};
use crate::ir::StatusMatch;
use crate::ir::{
    BodyMedia, HttpMethod, IdempotencyPolicy, Module, Operation, Param, ParamLocation, ParamRole,
    PathPart, Presence, SchemeKind, SecurityScheme, TypeExpr, TypeId, TypeKind,
};

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
            let feature = crate::features::feature_of(op);
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
    gates: Option<HashMap<TypeId, std::collections::BTreeSet<String>>>,
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

    fn environment(&self) -> TokenStream {
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
    fn honoured_by(&self, policy: &IdempotencyPolicy) -> Option<Vec<String>> {
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
            _ => "Any",
        };
        let name = format_ident!("{shape}");
        quote! { #rt::http::Shape::#name }
    }

    fn credentials(&self) -> TokenStream {
        let rt = &self.options.runtime;
        let alternatives = self.named_alternatives();
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut constructors = Vec::new();
        for (variant_name, schemes) in &alternatives {
            let variant = ident(variant_name);
            // Field names unique within the variant (`username`/`password` are Basic's).
            let mut used: Vec<String> = Vec::new();
            if schemes.iter().any(|s| s.kind == SchemeKind::Basic) {
                used.extend(["username".to_owned(), "password".to_owned()]);
            }
            let field_names: Vec<String> = schemes
                .iter()
                .map(|s| {
                    if s.kind == SchemeKind::Basic {
                        return String::new();
                    }
                    let mut field = s.field.clone();
                    if used.contains(&field) {
                        field =
                            crate::names::numbered(&s.field, "_", |f| used.iter().any(|u| u == f));
                    }
                    used.push(field.clone());
                    field
                })
                .collect();
            let constructor = ident(&crate::names::field_name(variant_name));
            let mut fields = Vec::new();
            let mut params = Vec::new();
            let mut inits = Vec::new();
            let mut names = Vec::new();
            let mut auth = Vec::new();
            let headers: Vec<String> = schemes
                .iter()
                .map(|s| match &s.kind {
                    SchemeKind::Header { name } => format!("`{name}`"),
                    SchemeKind::Basic => "HTTP Basic".to_owned(),
                    SchemeKind::Bearer => "a bearer token".to_owned(),
                })
                .collect();
            let doc = format!(" Sends {}.", headers.join(" and "));
            for (s, field_name) in schemes.iter().zip(&field_names) {
                match &s.kind {
                    SchemeKind::Header { name } => {
                        let field = ident(field_name);
                        fields.push(quote! { #field: #rt::Secret });
                        params.push(quote! { #field: impl Into<#rt::Secret> });
                        inits.push(quote! { #field: #field.into() });
                        names.push(quote! { #field });
                        auth.push(quote! { .header(#name, #field.expose())? });
                    }
                    SchemeKind::Bearer => {
                        let field = ident(field_name);
                        fields.push(quote! { #field: #rt::Secret });
                        params.push(quote! { #field: impl Into<#rt::Secret> });
                        inits.push(quote! { #field: #field.into() });
                        names.push(quote! { #field });
                        auth.push(quote! { .header("authorization", &format!("Bearer {}", #field.expose()))? });
                    }
                    SchemeKind::Basic => {
                        fields.push(quote! { username: String, password: #rt::Secret });
                        params.push(quote! { username: impl Into<String>, password: impl Into<#rt::Secret> });
                        inits.push(quote! { username: username.into(), password: password.into() });
                        names.push(quote! { username, password });
                        auth.push(quote! { .basic(username, password)? });
                    }
                }
            }
            variants.push(quote! { #[doc = #doc] #variant { #(#fields),* }, });
            arms.push(quote! {
                Self::#variant { #(#names),* } => Ok(#rt::http::Auth::new(#variant_name) #(#auth)*),
            });
            constructors.push(quote! {
                #[doc = #doc]
                pub fn #constructor(#(#params),*) -> Self {
                    Self::#variant { #(#inits),* }
                }
            });
        }
        let (auth_body, anonymous) = if alternatives.is_empty() {
            (
                quote! { Ok(#rt::http::Auth::anonymous()) },
                quote! {
                    /// The spec requires no authentication.
                    Anonymous,
                },
            )
        } else {
            (quote! { match self { #(#arms)* } }, TokenStream::new())
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

    fn error_name(op: &Operation) -> proc_macro2::Ident {
        super::ident_with_suffix(&op.type_name, "Error")
    }

    fn error_enum(&self, op: &Operation) -> TokenStream {
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
        // Codes first, then ranges, then `default`: the most specific documented match wins.
        let mut ordered: Vec<&crate::ir::ErrorStatus> = op.errors.iter().collect();
        ordered.sort_by_key(|e| match e.status {
            StatusMatch::Code(_) => 0,
            StatusMatch::Range(_) => 1,
            StatusMatch::Default => 2,
        });
        let has_default = op.errors.iter().any(|e| e.status == StatusMatch::Default);
        let arms = ordered.iter().map(|e| {
            let variant = ident(&e.variant);
            let pattern = match e.status {
                StatusMatch::Code(code) => quote! { #code },
                StatusMatch::Range(range) => {
                    let (low, high) = (range * 100, range * 100 + 99);
                    quote! { #low..=#high }
                }
                StatusMatch::Default => quote! { _ },
            };
            match &e.ty {
                Some(ty) => {
                    let shape = self.shape(Some(ty));
                    quote! { #pattern => Some(#rt::http::decode_json(body, #shape).map(Self::#variant)), }
                }
                None => quote! { #pattern => Some(Ok(Self::#variant)), },
            }
        });
        let fallback = (!has_default).then(|| quote! { _ => None, });
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
        let decode = match (op.errors.as_slice(), only_default) {
            ([], _) => quote! { None },
            ([default], true) => {
                let variant = ident(&default.variant);
                match &default.ty {
                    Some(ty) => {
                        let shape = self.shape(Some(ty));
                        quote! { Some(#rt::http::decode_json(body, #shape).map(Self::#variant)) }
                    }
                    None => quote! { Some(Ok(Self::#variant)) },
                }
            }
            _ => quote! {
                match status {
                    #(#arms)*
                    #fallback
                }
            },
        };
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

    /// For an array of scalars: the item's Rust type and its text, from an item `v`.
    fn array_item(&self, element: &TypeExpr) -> Option<(TokenStream, TokenStream)> {
        Some(match element {
            TypeExpr::String => (quote! { &str }, quote! { (*v).to_owned() }),
            TypeExpr::Named(n) if matches!(self.module.get(*n).kind, TypeKind::StringEnum(_)) => {
                (self.ty(element), quote! { v.as_str().to_owned() })
            }
            TypeExpr::Bool | TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal => {
                (type_tokens(element, self.cx()), quote! { v.to_string() })
            }
            _ => return None,
        })
    }

    /// The Rust type a parameter is passed as, and how it becomes text.
    fn param_arg(&self, p: &Param) -> (TokenStream, TokenStream) {
        let name = ident(&p.rust_name);
        let value = quote!(#name);
        let (ty, text) = match &p.ty {
            TypeExpr::Named(n) if matches!(self.module.get(*n).kind, TypeKind::StringEnum(_)) => {
                let ty = self.ty(&p.ty);
                (quote! { &#ty }, quote! { #value.as_str().to_owned() })
            }
            TypeExpr::Bool | TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal => {
                (type_tokens(&p.ty, self.cx()), quote! { #value.to_string() })
            }
            TypeExpr::UnixTime => (
                type_tokens(&p.ty, self.cx()),
                quote! { #value.as_secs().to_string() },
            ),
            TypeExpr::Vec(element) if self.array_item(&element.ty).is_some() => {
                let (item, text) = self.array_item(&element.ty).expect("checked above");
                let separator = p.array_separator.unwrap_or(',').to_string();
                (
                    quote! { &[#item] },
                    quote! { #value.iter().map(|v| #text).collect::<Vec<_>>().join(#separator) },
                )
            }
            _ => (quote! { &str }, quote! { #value.to_owned() }),
        };
        if p.required {
            (ty, text)
        } else {
            let text = quote! { #value.map(|#name| #text) };
            (quote! { Option<#ty> }, text)
        }
    }

    /// `impl MultipartBody` for every struct sent as `multipart/form-data`.
    fn multipart_impls(&self) -> Vec<TokenStream> {
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
                    fn parts(&self) -> Vec<(&'static str, #rt::multipart::PartValue)> {
                        let mut parts = Vec::new();
                        #(#parts)*
                        parts
                    }
                }
            });
        }
        out
    }

    /// A form part from `value` (a reference to a field's value).
    fn part_value(&self, ty: &TypeExpr) -> TokenStream {
        let rt = &self.options.runtime;
        let text = match ty {
            TypeExpr::Binary => return quote! { #rt::multipart::PartValue::File(value.clone()) },
            TypeExpr::String => quote! { value.clone() },
            TypeExpr::Bool | TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal => {
                quote! { value.to_string() }
            }
            TypeExpr::UnixTime => quote! { value.as_secs().to_string() },
            TypeExpr::DateTime => quote! { value.to_rfc3339() },
            TypeExpr::Named(n) if matches!(self.module.get(*n).kind, TypeKind::StringEnum(_)) => {
                quote! { value.as_str().to_owned() }
            }
            _ => quote! { ::serde_json::to_string(value).unwrap_or_default() },
        };
        quote! { #rt::multipart::PartValue::Text(#text) }
    }

    /// A parameter's value as something that is `AsRef<str>`, without copying strings.
    fn param_str(&self, p: &Param) -> TokenStream {
        let name = ident(&p.rust_name);
        match &p.ty {
            TypeExpr::Named(n) if matches!(self.module.get(*n).kind, TypeKind::StringEnum(_)) => {
                quote! { #name.as_str() }
            }
            TypeExpr::Bool | TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal => {
                quote! { #name.to_string() }
            }
            TypeExpr::UnixTime => quote! { #name.as_secs().to_string() },
            TypeExpr::Vec(_) => self.param_arg(p).1,
            _ => quote! { #name },
        }
    }

    /// Statements that push a violation for every string-enum parameter holding a value
    /// outside its `enum` (its fallback variant): such a value is refused, not sent.
    fn param_checks(&self, arguments: &[&Param]) -> Vec<TokenStream> {
        let rt = &self.options.runtime;
        let mut out = Vec::new();
        for p in arguments {
            let (named, each) = match &p.ty {
                TypeExpr::Named(n) => (n, false),
                TypeExpr::Vec(element) => match &element.ty {
                    TypeExpr::Named(n) => (n, true),
                    _ => continue,
                },
                _ => continue,
            };
            let TypeKind::StringEnum(def) = &self.module.get(*named).kind else {
                continue;
            };
            let ty = self.ty(&TypeExpr::Named(*named));
            let fallback = ident(&def.fallback);
            let values = def.variants.iter().map(|v| v.wire.as_str());
            let wire = &p.wire_name;
            let name = ident(&p.rust_name);
            let check = |value: TokenStream, path: TokenStream| {
                quote! {
                    #rt::validate::check::enum_value(
                        // By value: `Other("sms")` built by hand is still `sms`.
                        !matches!(#ty::from(#value.as_str()), #ty::#fallback(_)),
                        &[#(#values),*],
                        #path,
                        &mut violations,
                    );
                }
            };
            let root = quote! { #rt::validate::Path::root() };
            let statement = if each {
                let inner = check(quote!(item), quote!(&#root.field(#wire).index(index)));
                quote! { for (index, item) in value.iter().enumerate() { #inner } }
            } else {
                check(quote!(value), quote!(&#root.field(#wire)))
            };
            out.push(if p.required {
                quote! { { let value = #name; #statement } }
            } else {
                quote! { if let Some(value) = #name { #statement } }
            });
        }
        out
    }

    /// `let name = vec![..];` for the unconditional entries, then pushes for the optional ones.
    fn pairs(
        name: &str,
        always: Vec<TokenStream>,
        optional: Vec<TokenStream>,
    ) -> (TokenStream, TokenStream) {
        let var = format_ident!("{name}");
        if always.is_empty() && optional.is_empty() {
            return (TokenStream::new(), quote! { #var: Vec::new() });
        }
        let mutability = (!optional.is_empty()).then(|| quote!(mut));
        let init = quote! {
            let #mutability #var = vec![#(#always),*];
            #(#optional)*
        };
        (init, quote! { #var })
    }

    fn methods(&self, op: &Operation) -> TokenStream {
        let rt = &self.options.runtime;
        let name = ident(&op.name);
        let with = super::ident_with_suffix(&op.name, "_with");
        let error = Self::error_name(op);
        let success = match &op.success {
            Some(ty) => self.ty(ty),
            None => quote! { ::serde_json::Value },
        };
        let method = match op.method {
            HttpMethod::Get => quote!(GET),
            HttpMethod::Put => quote!(PUT),
            HttpMethod::Post => quote!(POST),
            HttpMethod::Delete => quote!(DELETE),
            HttpMethod::Options => quote!(OPTIONS),
            HttpMethod::Head => quote!(HEAD),
            HttpMethod::Patch => quote!(PATCH),
            HttpMethod::Trace => quote!(TRACE),
        };
        let verb = format!("{method}").to_uppercase();

        let arguments: Vec<&Param> = op
            .params
            .iter()
            .filter(|p| p.role == ParamRole::Argument)
            .collect();
        let mut params = Vec::new();
        let mut names = Vec::new();
        let mut param_docs = Vec::new();
        for p in &arguments {
            let (ty, _) = self.param_arg(p);
            let n = ident(&p.rust_name);
            params.push(quote! { #n: #ty });
            names.push(quote! { #n });
            let doc = match &p.docs {
                Some(d) => format!(
                    " - `{}`: {}",
                    p.rust_name,
                    d.lines().map(str::trim).collect::<Vec<_>>().join(" ")
                ),
                None => format!(" - `{}`", p.rust_name),
            };
            param_docs.push(doc);
        }
        let param_checks = self.param_checks(&arguments);
        // With parameter checks, the body's violations join theirs, so all come at once.
        let collect = !param_checks.is_empty();
        let mut body_validates = false;
        let (body_param, body_value, validate) = match &op.body {
            Some(body) => {
                let ty = self.ty(&body.ty);
                let validates = body.ty.direct_named().is_some_and(|n| {
                    matches!(
                        self.module.get(n).kind,
                        TypeKind::Struct(_) | TypeKind::Union(_)
                    )
                });
                body_validates = validates;
                let check = |value: TokenStream| {
                    validates.then(|| if collect {
                        quote! { if let Err(error) = #rt::validate::Validate::validate(#value) { violations.extend(error.violations); } }
                    } else {
                        quote! { #rt::validate::Validate::validate(#value).map_err(#rt::http::Error::Validation)?; }
                    })
                };
                if body.required {
                    let check = check(quote!(body));
                    (
                        Some(quote! { body: &#ty }),
                        {
                            let encode = body_encoder(body.media, rt);
                            quote! { Some(#encode(body)?) }
                        },
                        check,
                    )
                } else {
                    let inner = check(quote!(body));
                    let check = inner.map(|c| quote! { if let Some(body) = body { #c } });
                    (
                        Some(quote! { body: Option<&#ty> }),
                        {
                            let encode = body_encoder(body.media, rt);
                            quote! { body.map(#encode).transpose()? }
                        },
                        check,
                    )
                }
            }
            None => (None, quote! { None }, None),
        };
        if body_param.is_some() {
            names.push(quote! { body });
        }
        let all_params: Vec<TokenStream> =
            params.iter().cloned().chain(body_param.clone()).collect();

        // The path, from the parsed template: literal text (braces escaped for `format!`)
        // and each parameter checked and encoded. Lower guarantees every parameter exists.
        let mut format_string = String::new();
        let mut path_args = Vec::new();
        for part in &op.template {
            match part {
                PathPart::Literal(text) => {
                    format_string.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                PathPart::Param(name) => {
                    let Some(p) = op
                        .params
                        .iter()
                        .find(|p| p.location == ParamLocation::Path && &p.wire_name == name)
                    else {
                        continue;
                    };
                    format_string.push_str("{}");
                    let (wire, text) = (p.wire_name.as_str(), self.param_str(p));
                    path_args.push(quote! { #rt::http::path_segment(#wire, #text)? });
                }
            }
        }
        let path = if path_args.is_empty() {
            quote! { #format_string.to_owned() }
        } else {
            quote! { format!(#format_string, #(#path_args),*) }
        };

        let mut query_always = Vec::new();
        let mut query_optional = Vec::new();
        for p in arguments
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
        {
            let wire = &p.wire_name;
            let (_, text) = self.param_arg(p);
            // An exploded array repeats the parameter once per item.
            let exploded = match &p.ty {
                TypeExpr::Vec(element) if p.array_separator.is_none() => {
                    self.array_item(&element.ty).map(|(_, t)| t)
                }
                _ => None,
            };
            if let Some(item) = exploded {
                let name = ident(&p.rust_name);
                query_optional.push(if p.required {
                    quote! { query.extend(#name.iter().map(|v| (#wire, #item))); }
                } else {
                    quote! { if let Some(values) = #name { query.extend(values.iter().map(|v| (#wire, #item))); } }
                });
                continue;
            }
            if p.required {
                query_always.push(quote! { (#wire, #text) });
            } else {
                query_optional
                    .push(quote! { if let Some(value) = #text { query.push((#wire, value)); } });
            }
        }
        let mut headers_always = Vec::new();
        let mut headers_optional = Vec::new();
        for p in op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Header)
        {
            let wire = &p.wire_name;
            match &p.role {
                ParamRole::Pinned(value) => {
                    headers_always.push(quote! { (#wire, #value.to_owned()) })
                }
                ParamRole::Argument => {
                    let (_, text) = self.param_arg(p);
                    if p.required {
                        headers_always.push(quote! { (#wire, #text) });
                    } else {
                        headers_optional.push(
                            quote! { if let Some(value) = #text { headers.push((#wire, value)); } },
                        );
                    }
                }
                ParamRole::RequestId | ParamRole::IdempotencyKey(_) => {}
            }
        }
        let takes_request_id = op.params.iter().any(|p| p.role == ParamRole::RequestId);
        let idempotency_policy = op.params.iter().find_map(|p| match &p.role {
            ParamRole::IdempotencyKey(policy) => Some(policy),
            _ => None,
        });
        let takes_idempotency_key = idempotency_policy.is_some();
        let idempotency = match idempotency_policy {
            Some(policy) => {
                let honoured = match self.honoured_by(policy) {
                    Some(names) => quote! { Some(&[#(#names),*]) },
                    None => quote! { None },
                };
                let replayed = &policy.replayed;
                quote! { Some(#rt::http::Idempotency { honoured_by: #honoured, replayed: &[#(#replayed),*] }) }
            }
            None => quote! { None },
        };
        let response_shape = self.shape(op.success.as_ref());
        let validate = if collect {
            Some(quote! {
                let mut violations = Vec::new();
                #(#param_checks)*
                #validate
                if !violations.is_empty() {
                    return Err(#rt::http::Error::Validation(#rt::validate::ValidationError { violations }));
                }
            })
        } else {
            validate
        };
        let (query_init, query_field) = Self::pairs("query", query_always, query_optional);
        let (headers_init, headers_field) =
            Self::pairs("headers", headers_always, headers_optional);

        let mut docs = Vec::new();
        if let Some(summary) = &op.summary {
            docs.push(doc_attrs(Some(summary)));
        }
        if let Some(description) = &op.description {
            if op.summary.is_some() {
                docs.push(quote! { #[doc = ""] });
            }
            docs.push(doc_attrs(Some(description)));
        }
        let route = format!(
            " `{verb} {}`{}",
            op.path,
            if takes_idempotency_key {
                "; takes `RequestOptions::idempotency_key`"
            } else {
                ""
            }
        );
        let param_section = (!param_docs.is_empty())
            .then(|| quote! { #[doc = ""] #[doc = " Parameters:"] #( #[doc = #param_docs] )* });
        let validation_doc = validate.as_ref().map(|_| {
            let what = match (collect, body_validates) {
                (true, true) => " Parameters and the body are validated first",
                (true, false) => " Parameters are validated first (a value outside a documented `enum` is refused)",
                _ => " The body is validated first",
            };
            let text = format!("{what}; a violation is returned as `Error::Validation` and nothing is sent.");
            quote! { #[doc = ""] #[doc = #text] }
        });
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        let gate = self.options.features_by_tag.then(|| {
            let feature = crate::features::feature_of(op);
            quote! { #[cfg(feature = #feature)] }
        });
        let allow_deprecated = op.deprecated.then(|| quote! { #[allow(deprecated)] });
        let with_doc = format!(
            " [`Client::{}`] with per-request options (request id, idempotency key, timeout).",
            op.name
        );
        let too_many =
            (all_params.len() + 1 > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        quote! {
            #(#docs)*
            #[doc = ""]
            #[doc = #route]
            #param_section
            #validation_doc
            #gate
            #deprecated
            #too_many
            pub async fn #name(&self, #(#all_params),*) -> Result<#rt::http::ApiResponse<#success>, #rt::http::Error<#error>> {
                #allow_deprecated
                self.#with(#(#names,)* &#rt::http::RequestOptions::default()).await
            }

            #[doc = #with_doc]
            #gate
            #deprecated
            #too_many
            pub async fn #with(
                &self,
                #(#all_params,)*
                options: &#rt::http::RequestOptions,
            ) -> Result<#rt::http::ApiResponse<#success>, #rt::http::Error<#error>> {
                #validate
                #query_init
                #headers_init
                let call = #rt::http::Call {
                    method: ::reqwest::Method::#method,
                    path: #path,
                    #query_field,
                    #headers_field,
                    body: #body_value,
                    options,
                    takes_request_id: #takes_request_id,
                    idempotency: #idempotency,
                    response_shape: #response_shape,
                };
                self.transport.execute(call).await
            }
        }
    }
}

/// The runtime function that turns a body into a `RequestBody`.
fn body_encoder(media: BodyMedia, rt: &syn::Path) -> TokenStream {
    match media {
        BodyMedia::Json => quote! { #rt::http::json_body },
        BodyMedia::Multipart => quote! { #rt::http::multipart_body },
    }
}

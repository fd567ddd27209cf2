//! Two methods per operation (`name` and `name_with`), rendered from the operation's
//! request plan: arguments, validation, path segments, query and header parameters with
//! their wire forms, and the body with its media type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::wire::{planned, Site};
use super::{ident, ClientEmitter};
use crate::ir::{
    BodyMedia, FormStyle, HttpMethod, Operation, Param, ParamLocation, ParamRole, PathSegment,
    TypeExpr, TypeKind, WireForm,
};

/// The parts of a method that depend on its body.
struct BodyPlan {
    /// `body: &T` or `body: Option<&T>`.
    param: Option<TokenStream>,
    /// The `Call::body` expression.
    value: TokenStream,
    /// Statements validating the body.
    validate: Option<TokenStream>,
}

/// The attributes of an operation's two methods.
struct Attributes {
    /// `#[cfg(feature = …)]` of the operation's resource group.
    gate: Option<TokenStream>,
    deprecated: Option<TokenStream>,
    /// Lets the plain method call its deprecated `_with` twin.
    allow_deprecated: Option<TokenStream>,
    too_many: Option<TokenStream>,
    too_many_with: Option<TokenStream>,
}

impl ClientEmitter<'_> {
    /// The arguments of an operation's method, as declared (`name: Type`) and as passed on.
    fn signature(&self, arguments: &[&Param]) -> (Vec<TokenStream>, Vec<TokenStream>) {
        arguments
            .iter()
            .map(|p| {
                let (name, ty) = (ident(&p.rust_name), self.arg_type(p));
                (quote! { #name: #ty }, quote! { #name })
            })
            .unzip()
    }

    fn attributes(&self, op: &Operation, arguments: usize) -> Attributes {
        // clippy counts `self`; the `_with` method also takes `options`.
        let allow_many =
            |count: usize| (count > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        Attributes {
            gate: self.options.features_by_tag.then(|| {
                let feature = &op.feature;
                quote! { #[cfg(feature = #feature)] }
            }),
            deprecated: op.deprecated.then(|| quote! { #[deprecated] }),
            allow_deprecated: op.deprecated.then(|| quote! { #[allow(deprecated)] }),
            too_many: allow_many(arguments + 1),
            too_many_with: allow_many(arguments + 2),
        }
    }

    pub(super) fn methods(&self, op: &Operation) -> TokenStream {
        let rt = &self.options.runtime;
        let (name, with) = (
            ident(&op.name),
            super::super::ident_with_suffix(&op.name, "_with"),
        );
        let error = Self::error_name(op);
        // A success documented without a (JSON) body is `()`.
        let success = match &op.success {
            Some(ty) => self.ty(ty),
            None => quote! { () },
        };
        let method = format_ident!("{}", http_verb(op.method));
        let arguments: Vec<&Param> = op
            .params
            .iter()
            .filter(|p| p.role == ParamRole::Argument)
            .collect();
        let (mut params, mut names) = self.signature(&arguments);
        let param_checks = self.param_checks(&arguments);
        // With parameter checks, the body's violations join theirs, so all come at once.
        let collect = !param_checks.is_empty();
        let body = self.body_plan(op, collect);
        if let Some(param) = &body.param {
            params.push(param.clone());
            names.push(quote! { body });
        }
        let validate = if collect {
            let validate_body = &body.validate;
            Some(quote! {
                let mut violations = Vec::new();
                #(#param_checks)*
                #validate_body
                if !violations.is_empty() {
                    return Err(#rt::http::Error::Validation(#rt::validate::ValidationError { violations }));
                }
            })
        } else {
            body.validate.clone()
        };
        let path = self.path_expr(op);
        let (query_init, query_field) = self.query(&arguments);
        let (headers_init, headers_field) = self.headers(op);
        let takes_request_id = op.params.iter().any(|p| p.role == ParamRole::RequestId);
        let idempotency = self.idempotency(op);
        let response_shape = self.shape(op.success.as_ref());
        let body_value = &body.value;
        let docs = self.method_docs(op, &arguments, collect, body.validate.is_some());
        let Attributes {
            gate,
            deprecated,
            allow_deprecated,
            too_many,
            too_many_with,
        } = self.attributes(op, params.len());
        let with_doc = format!(
            " [`Client::{}`] with per-request options (request id, idempotency key, timeout).",
            op.name
        );
        quote! {
            #docs
            #gate
            #deprecated
            #too_many
            pub async fn #name(&self, #(#params),*) -> Result<#rt::http::ApiResponse<#success>, #rt::http::Error<#error>> {
                #allow_deprecated
                self.#with(#(#names,)* &#rt::http::RequestOptions::default()).await
            }

            #[doc = #with_doc]
            #gate
            #deprecated
            #too_many_with
            pub async fn #with(
                &self,
                #(#params,)*
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

    /// The body argument, its encoding and its validation.
    fn body_plan(&self, op: &Operation, collect: bool) -> BodyPlan {
        let rt = &self.options.runtime;
        let Some(body) = &op.body else {
            return BodyPlan {
                param: None,
                value: quote! { None },
                validate: None,
            };
        };
        let ty = match &body.media {
            BodyMedia::Text(_) => quote! { str },
            BodyMedia::Bytes(_) => quote! { [u8] },
            _ => self.ty(&body.ty),
        };
        let validates = body.ty.direct_named().is_some_and(|n| {
            matches!(
                self.module.get(n).kind,
                TypeKind::Struct(_) | TypeKind::Union(_)
            )
        });
        let check = validates.then(|| {
            if collect {
                quote! { if let Err(error) = #rt::validate::Validate::validate(body) { violations.extend(error.violations); } }
            } else {
                quote! { #rt::validate::Validate::validate(body).map_err(#rt::http::Error::Validation)?; }
            }
        });
        let call = self.encode_call(&body.media);
        // Text and bytes cannot fail; the others return `Result`, whose error type is large,
        // so no closure returns it (clippy's `result_large_err`).
        let (required, optional) = match &body.media {
            BodyMedia::Json | BodyMedia::Multipart => {
                let encode = match &body.media {
                    BodyMedia::Json => quote! { #rt::http::json_body },
                    _ => quote! { #rt::http::multipart_body },
                };
                (
                    quote! { Some(#call?) },
                    quote! { body.map(#encode).transpose()? },
                )
            }
            BodyMedia::Form(_) => (
                quote! { Some(#call?) },
                quote! { match body { Some(body) => Some(#call?), None => None } },
            ),
            BodyMedia::Text(_) | BodyMedia::Bytes(_) => {
                (quote! { Some(#call) }, quote! { body.map(|body| #call) })
            }
        };
        if body.required {
            BodyPlan {
                param: Some(quote! { body: &#ty }),
                value: required,
                validate: check,
            }
        } else {
            BodyPlan {
                param: Some(quote! { body: Option<&#ty> }),
                value: optional,
                validate: check.map(|c| quote! { if let Some(body) = body { #c } }),
            }
        }
    }

    /// The expression that encodes the request body `body` for its media type.
    fn encode_call(&self, media: &BodyMedia) -> TokenStream {
        let rt = &self.options.runtime;
        match media {
            BodyMedia::Json => quote! { #rt::http::json_body(body) },
            BodyMedia::Multipart => quote! { #rt::http::multipart_body(body) },
            BodyMedia::Form(styles) => {
                let styles = styles.iter().map(|(name, style)| {
                    let style = match style {
                        FormStyle::Form { explode } => quote! { Form { explode: #explode } },
                        FormStyle::DeepObject => quote! { DeepObject },
                        FormStyle::SpaceDelimited => quote! { SpaceDelimited },
                        FormStyle::PipeDelimited => quote! { PipeDelimited },
                    };
                    quote! { (#name, #rt::form::FormStyle::#style) }
                });
                quote! { #rt::http::form_body(body, &[#(#styles),*]) }
            }
            BodyMedia::Text(media) => quote! { #rt::http::text_body(body, #media) },
            BodyMedia::Bytes(media) => quote! { #rt::http::bytes_body(body, #media) },
        }
    }

    /// The path from the plan's segments: literal text (braces escaped for `format!`) and
    /// each parameter's text checked and encoded as one segment.
    fn path_expr(&self, op: &Operation) -> TokenStream {
        let rt = &self.options.runtime;
        let mut format_string = String::new();
        let mut args = Vec::new();
        for segment in &op.template {
            match segment {
                PathSegment::Literal(text) => {
                    format_string.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                PathSegment::Param(index) => {
                    let Some(p) = op.params.get(*index) else {
                        continue;
                    };
                    format_string.push_str("{}");
                    let (wire, text) = (&p.wire_name, self.param_text(p, &ident(&p.rust_name)));
                    args.push(quote! { #rt::http::path_segment(#wire, #text)? });
                }
            }
        }
        if args.is_empty() {
            quote! { #format_string.to_owned() }
        } else {
            quote! { format!(#format_string, #(#args),*) }
        }
    }

    /// `let query = …;` and the `Call::query` field: required values first, then the
    /// optional ones and the repeated arrays, pushed as present.
    fn query(&self, arguments: &[&Param]) -> (TokenStream, TokenStream) {
        let mut always = Vec::new();
        let mut pushed = Vec::new();
        for p in arguments
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
        {
            let (wire, name) = (&p.wire_name, ident(&p.rust_name));
            if let WireForm::Object(style) = planned(p) {
                let rt = &self.options.runtime;
                let style = match style {
                    FormStyle::Form { explode } => quote! { Form { explode: #explode } },
                    FormStyle::DeepObject => quote! { DeepObject },
                    FormStyle::SpaceDelimited => quote! { SpaceDelimited },
                    FormStyle::PipeDelimited => quote! { PipeDelimited },
                };
                let extend = quote! {
                    query.extend(#rt::http::query_object(#wire, #name, #rt::form::FormStyle::#style)?);
                };
                pushed.push(if p.required {
                    extend
                } else {
                    quote! { if let Some(#name) = #name { #extend } }
                });
                continue;
            }
            if let WireForm::Repeated(rule) = planned(p) {
                let item = self.text(rule, quote!(v), Site::Parameter(wire));
                let extend = quote! { query.extend(#name.iter().map(|v| (#wire.into(), #item))); };
                pushed.push(if p.required {
                    extend
                } else {
                    quote! { if let Some(#name) = #name { #extend } }
                });
                continue;
            }
            let text = self.param_text(p, &name);
            if p.required {
                always.push(quote! { (#wire.into(), #text) });
            } else {
                pushed.push(
                    quote! { if let Some(#name) = #name { query.push((#wire.into(), #text)); } },
                );
            }
        }
        pairs("query", always, pushed)
    }

    /// `let headers = …;` and the `Call::headers` field: pinned values and arguments (the
    /// request id and idempotency key come from `RequestOptions`).
    fn headers(&self, op: &Operation) -> (TokenStream, TokenStream) {
        let mut always = Vec::new();
        let mut pushed = Vec::new();
        for p in op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Header)
        {
            let (wire, name) = (&p.wire_name, ident(&p.rust_name));
            match &p.role {
                ParamRole::Pinned(value) => always.push(quote! { (#wire, #value.to_owned()) }),
                ParamRole::Argument => {
                    let text = self.param_text(p, &name);
                    if p.required {
                        always.push(quote! { (#wire, #text) });
                    } else {
                        pushed.push(
                            quote! { if let Some(#name) = #name { headers.push((#wire, #text)); } },
                        );
                    }
                }
                ParamRole::RequestId | ParamRole::IdempotencyKey(_) => {}
            }
        }
        pairs("headers", always, pushed)
    }

    /// The `Call::idempotency` expression: what the vendor does with an idempotency key.
    fn idempotency(&self, op: &Operation) -> TokenStream {
        let rt = &self.options.runtime;
        let policy = op.params.iter().find_map(|p| match &p.role {
            ParamRole::IdempotencyKey(policy) => Some(policy),
            _ => None,
        });
        let Some(policy) = policy else {
            return quote! { None };
        };
        let honoured = match self.honoured_by(policy) {
            Some(names) => quote! { Some(&[#(#names),*]) },
            None => quote! { None },
        };
        let replayed = &policy.replayed;
        quote! { Some(#rt::http::Idempotency { honoured_by: #honoured, replayed: &[#(#replayed),*] }) }
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

    /// The method's docs: summary, description, route, parameters and validation.
    fn method_docs(
        &self,
        op: &Operation,
        arguments: &[&Param],
        checks_params: bool,
        validates_body: bool,
    ) -> TokenStream {
        let mut docs = Vec::new();
        if let Some(summary) = &op.summary {
            docs.push(super::super::doc_attrs(Some(summary)));
        }
        if let Some(description) = &op.description {
            if op.summary.is_some() {
                docs.push(quote! { #[doc = ""] });
            }
            docs.push(super::super::doc_attrs(Some(description)));
        }
        let takes_key = op
            .params
            .iter()
            .any(|p| matches!(p.role, ParamRole::IdempotencyKey(_)));
        let route = format!(
            " `{} {}`{}",
            http_verb(op.method),
            op.path,
            if takes_key {
                "; takes `RequestOptions::idempotency_key`"
            } else {
                ""
            }
        );
        let param_docs = arguments.iter().map(|p| match &p.docs {
            Some(d) => format!(
                " - `{}`: {}",
                p.rust_name,
                d.lines().map(str::trim).collect::<Vec<_>>().join(" ")
            ),
            None => format!(" - `{}`", p.rust_name),
        });
        let param_section = (!arguments.is_empty())
            .then(|| quote! { #[doc = ""] #[doc = " Parameters:"] #( #[doc = #param_docs] )* });
        let what = match (checks_params, validates_body) {
            (true, true) => Some(" Parameters and the body are validated first"),
            (true, false) => Some(
                " Parameters are validated first (a value outside a documented `enum` is refused)",
            ),
            (false, true) => Some(" The body is validated first"),
            (false, false) => None,
        };
        let validation = what.map(|what| {
            let text = format!(
                "{what}; a violation is returned as `Error::Validation` and nothing is sent."
            );
            quote! { #[doc = ""] #[doc = #text] }
        });
        quote! {
            #(#docs)*
            #[doc = ""]
            #[doc = #route]
            #param_section
            #validation
        }
    }
}

fn http_verb(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

/// `let name = vec![..];` for the unconditional entries, then the pushes; and the `Call`
/// field.
fn pairs(
    name: &str,
    always: Vec<TokenStream>,
    pushed: Vec<TokenStream>,
) -> (TokenStream, TokenStream) {
    let var = format_ident!("{name}");
    if always.is_empty() && pushed.is_empty() {
        return (TokenStream::new(), quote! { #var: Vec::new() });
    }
    let mutability = (!pushed.is_empty()).then(|| quote!(mut));
    let init = quote! {
        let #mutability #var = vec![#(#always),*];
        #(#pushed)*
    };
    (init, quote! { #var })
}

//! Emit: checked IR → token streams. One file per output; small functions, one per IR kind.

pub mod client;
pub mod examples;
pub mod models;
pub mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// What the emitters need to know about where the code will live. Built by its constructors,
/// so the token fragments inside are always well-formed.
#[derive(Clone)]
pub struct EmitOptions {
    /// Path of the hand-written runtime module, e.g. `crate::runtime`.
    pub(crate) runtime: syn::Path,
    /// Path of the generated module as seen from outside the crate, e.g. `::paylinks::cashfree`.
    pub(crate) public_module: syn::Path,
    /// How client code names model types: `super::models::` in a crate module, empty when
    /// models and client share one file.
    pub(crate) models_path: TokenStream,
    /// Gate operations and the types they need behind per-tag cargo features.
    pub(crate) features_by_tag: bool,
}

impl EmitOptions {
    /// A module `module` of the crate `crate_name` (both already validated as identifiers),
    /// laid out as `mod.rs`, `models.rs`, `client.rs`, `validate.rs`, with the runtime at
    /// `runtime` (a Rust path, e.g. `crate::runtime`).
    pub fn crate_module(
        runtime: &str,
        crate_name: &str,
        module: &str,
        features_by_tag: bool,
    ) -> Result<Self, String> {
        let path = |text: &str| {
            syn::parse_str::<syn::Path>(text).map_err(|_| format!("`{text}` is not a Rust path"))
        };
        Ok(EmitOptions {
            runtime: path(runtime)?,
            public_module: path(&format!("::{}::{module}", crate_name.replace('-', "_")))?,
            models_path: quote! { super::models:: },
            features_by_tag,
        })
    }

    /// Everything in one file of the `paylinks` crate's shape, as golden cases and tests
    /// render a module: models and client side by side, the runtime at
    /// `::paylinks::runtime`.
    pub fn single_file() -> Self {
        EmitOptions {
            runtime: syn::parse_quote!(::paylinks::runtime),
            public_module: syn::parse_quote!(crate),
            models_path: TokenStream::new(),
            features_by_tag: false,
        }
    }
}

/// Every piece of code one module emits, as chunks (one per type, impl or error enum) that
/// `format` prints one at a time. The one assembly `generate`, the goldens, the bench and the
/// fuzz target all go through.
pub struct Emitted {
    pub models: Vec<TokenStream>,
    pub validators: Vec<TokenStream>,
    /// Empty when the spec has no operations.
    pub client: Vec<TokenStream>,
    pub examples: TokenStream,
}

/// Emits a checked module. `spec_file` is named by the example tests.
pub fn emit_module(cx: Ctx<'_>, spec_file: &str) -> Emitted {
    Emitted {
        models: models::emit_models(cx),
        validators: validate::emit_validators(cx),
        client: if cx.module.operations.is_empty() {
            Vec::new()
        } else {
            client::emit_client(cx)
        },
        examples: examples::emit_example_tests(cx, spec_file),
    }
}

/// What the emitters read: the checked module and where the code will live.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub module: &'a crate::ir::Module,
    pub options: &'a EmitOptions,
}

/// An identifier from an IR name (which never carries `r#`; a keyword becomes a raw identifier).
///
/// Never panics: whatever `name` holds (an `r#` prefix, a keyword, characters no identifier
/// may hold), the result is a valid identifier, fixed the way `names` fixes spec names.
pub fn ident(name: &str) -> Ident {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let fixed = crate::names::fix_keyword(crate::names::identifier_chars(bare, "x"));
    match fixed.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&fixed, Span::call_site()),
    }
}

/// An identifier made of `name` (without any `r#`) and a suffix, e.g. `type` + `_with`.
pub fn ident_with_suffix(name: &str, suffix: &str) -> Ident {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    // `self_` + `_with` is `self_with`, not `self__with` (which is not snake_case).
    let bare = if suffix.starts_with('_') {
        bare.trim_end_matches('_')
    } else {
        bare
    };
    ident(&format!("{bare}{suffix}"))
}

/// `#[doc]` attributes for a description. Lines are trimmed so that indentation in a spec
/// never turns prose into a rustdoc code block (and so into a doctest).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The lines of a description as rustdoc should see them (each with its leading space).
///
/// Lines are trimmed, so indentation never makes prose a code block (and so a doctest);
/// every code fence is opened as `text` and closed by the end of the description; and a
/// line that lazily continues a list item or a quote is joined to it (it reads the same,
/// and clippy's `doc_lazy_continuation` asks for it). `format` applies the same rules to
/// every doc comment of the file (`docs::sanitize`), whoever wrote it.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut open: Option<crate::docs::Fence> = None;
    let mut in_container = false;
    for line in text.lines().map(str::trim) {
        if let Some(fence) = open {
            if fence.is_closed_by(line) {
                open = None;
            }
            out.push(format!(" {line}"));
            continue;
        }
        if let Some(fence) = crate::docs::opening_fence(line) {
            open = Some(fence);
            in_container = false;
            out.push(format!(" {}", fence.opening_text()));
            continue;
        }
        let opens = crate::docs::opens_container(line);
        match out.last_mut() {
            Some(last) if in_container && !line.is_empty() && !opens => {
                last.push(' ');
                last.push_str(line);
                continue;
            }
            _ => {}
        }
        in_container = opens;
        out.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
    }
    if let Some(fence) = open {
        out.push(format!(" {}", fence.closing()));
    }
    out
}

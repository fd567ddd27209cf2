//! Emit: checked IR → token streams. One file per output; small functions, one per IR kind.

pub mod client;
pub mod examples;
pub mod models;
pub mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// What the emitters need to know about where the code will live.
#[derive(Clone)]
pub struct EmitOptions {
    /// Path of the hand-written runtime module, e.g. `crate::runtime`.
    pub runtime: syn::Path,
    /// Path of the generated module as seen from outside the crate, e.g. `::paylinks::cashfree`.
    pub public_module: syn::Path,
    /// How client code names model types: `super::models::` in the crate, empty when models
    /// and client share one file.
    pub models_path: TokenStream,
    /// Gate operations and the types they need behind per-tag cargo features.
    pub features_by_tag: bool,
}

/// An identifier from an IR name, which may carry an `r#` prefix.
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
/// line that follows a list item without being one gets a blank line before it, so markdown
/// does not fold it into the item. `format` applies the same fence rules to every doc
/// comment of the file (`docs::sanitize`), whoever wrote it.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut open: Option<crate::docs::Fence> = None;
    let mut after_item = false;
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
            after_item = false;
            out.push(format!(" {}", fence.opening_text()));
            continue;
        }
        if line.is_empty() {
            after_item = false;
            out.push(String::new());
            continue;
        }
        let is_item = is_list_item(line);
        if after_item && !is_item {
            out.push(String::new());
        }
        after_item = is_item;
        out.push(format!(" {line}"));
    }
    if let Some(fence) = open {
        out.push(format!(" {}", fence.closing()));
    }
    out
}

fn is_list_item(line: &str) -> bool {
    line.starts_with("- ")
        || line.starts_with("* ")
        || line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

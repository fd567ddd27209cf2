//! A test file that round-trips every example of a spec through its generated type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Ctx};

pub fn emit_example_tests(cx: Ctx<'_>, spec_file: &str) -> TokenStream {
    let (module, public) = (cx.module, &cx.options.public_module);
    let doc = format!(" Every example in `{spec_file}` deserializes into its generated type and serializes back to an equal JSON value.");
    let tests = module.examples.iter().map(|e| {
        let test = super::ident(&e.test_name);
        let ty = ident(module.name(e.ty));
        let json = raw_string(&serde_json::to_string_pretty(&e.value).unwrap_or_default());
        let doc = format!(" `#{}`", e.pointer);
        quote! {
            #[doc = #doc]
            #[test]
            fn #test() {
                round_trip::<#public::#ty>(#json);
            }
        }
    });
    // A spec without examples gets a file with no tests, and so no use of the helper.
    let import = (!module.examples.is_empty()).then(|| quote! { use super::round_trip; });
    quote! {
        #![doc = #doc]

        #import

        #(#tests)*
    }
}

/// A raw string literal when one can hold `text` (at most 255 `#`s, no carriage return),
/// else an ordinary escaped literal. Linear in the text's length.
fn raw_string(text: &str) -> syn::LitStr {
    // The longest run of `#` right after a `"`: the literal needs one more.
    let mut longest = 0usize;
    let mut run: Option<usize> = None;
    for c in text.chars() {
        run = match (c, run) {
            ('"', _) => Some(0),
            ('#', Some(n)) => Some(n + 1),
            _ => None,
        };
        if let Some(n) = run {
            longest = longest.max(n);
        }
    }
    let needed = longest + 1;
    // rustc refuses bidi controls and bare CRs in literals as written; an ordinary literal
    // escapes them.
    if needed > 255 || text.chars().any(crate::docs::needs_escape) {
        return syn::LitStr::new(text, proc_macro2::Span::call_site());
    }
    let hashes = "#".repeat(needed);
    match syn::parse_str(&format!("r{hashes}\"{text}\"{hashes}")) {
        Ok(literal) => literal,
        Err(_) => syn::LitStr::new(text, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::raw_string;

    #[test]
    fn any_text_becomes_a_literal_with_the_same_value() {
        let many = format!("\"{} end", "#".repeat(300));
        for text in [
            "plain",
            "a \"# quote",
            "\"##\" and \"#",
            many.as_str(),
            "bare\rreturn",
            "bidi \u{202E} and \u{2066}",
            "",
        ] {
            assert_eq!(raw_string(text).value(), text);
        }
        let bidi = quote::ToTokens::to_token_stream(&raw_string("a\u{202E}b")).to_string();
        assert_eq!(bidi, "\"a\\u{202e}b\"");
        let literal = quote::ToTokens::to_token_stream(&raw_string("\"## x")).to_string();
        assert!(literal.starts_with("r###\""), "{literal}");
    }
}

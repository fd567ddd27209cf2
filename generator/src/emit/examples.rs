//! A test file that round-trips every example of a spec through its generated type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, EmitOptions};
use crate::ir::Module;

pub fn emit_example_tests(module: &Module, spec_file: &str, options: &EmitOptions) -> TokenStream {
    let public = &options.public_module;
    let doc = format!(" Every example in `{spec_file}` deserializes into its generated type and serializes back to an equal JSON value.");
    let tests = module.examples.iter().map(|e| {
        let test = format_ident!("{}", e.test_name);
        let ty = ident(&e.type_name);
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
    quote! {
        #![doc = #doc]

        use super::round_trip;

        #(#tests)*
    }
}
/// A raw string literal holding `text`, with enough `#`s that the text cannot end it.
fn raw_string(text: &str) -> syn::LitStr {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    syn::parse_str(&format!("r{hashes}\"{text}\"{hashes}")).expect("a raw string literal parses")
}

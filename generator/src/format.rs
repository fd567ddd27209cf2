//! Format: tokens → `syn::File` → `prettyplease`, behind an `@generated` header.

use proc_macro2::TokenStream;

/// The first line of every generated file; `xtask` recognizes generated files by it.
pub const GENERATED_MARKER: &str = "// @generated";

/// Formats `tokens` as a file that starts with the `@generated` header.
///
/// # Panics
///
/// When the tokens do not parse as a file. Emitters build tokens with `quote!`, so this is
/// a generator bug, not bad input; the panic shows the tokens.
pub fn format_file(header_lines: &[String], tokens: TokenStream) -> String {
    let file: syn::File = match syn::parse2(tokens.clone()) {
        Ok(file) => file,
        Err(e) => panic!("generator bug: emitted tokens do not parse ({e}):\n{tokens}"),
    };
    let mut out = String::new();
    for (i, line) in header_lines.iter().enumerate() {
        if i == 0 {
            out.push_str(GENERATED_MARKER);
            out.push(' ');
        } else {
            out.push_str("// ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&prettyplease::unparse(&file));
    out
}

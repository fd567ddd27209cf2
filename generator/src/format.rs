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
    format_chunks(header_lines, vec![tokens])
}

/// Formats chunks of items one after another behind the header. Each chunk is parsed and
/// printed on its own (item by item), which keeps the work linear in the file's size; the
/// bytes are the same as printing the whole file at once, since prettyplease prints
/// top-level items one after another. The first chunk may carry inner attributes.
///
/// # Panics
///
/// When a chunk does not parse: a generator bug, not bad input; the panic shows the tokens.
pub fn format_chunks(header_lines: &[String], chunks: Vec<TokenStream>) -> String {
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
    for (i, tokens) in chunks.into_iter().enumerate() {
        let mut file: syn::File = match syn::parse2(tokens.clone()) {
            Ok(file) => file,
            Err(e) => panic!("generator bug: emitted tokens do not parse ({e}):\n{tokens}"),
        };
        crate::docs::sanitize(&mut file);
        let syn::File {
            shebang,
            attrs,
            items,
        } = file;
        if i == 0 || !attrs.is_empty() {
            out.push_str(&prettyplease::unparse(&syn::File {
                shebang,
                attrs,
                items: Vec::new(),
            }));
        }
        for item in items {
            out.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![item],
            }));
        }
    }
    out
}

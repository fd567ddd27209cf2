//! The whole generator on arbitrary text: load (YAML, overlay, openapiv3) → lower → check →
//! emit → format. Any panic is a bug: bad input must end in diagnostics. An input holding a
//! line `---overlay---` is split into a spec and an overlay.

#![no_main]

use libfuzzer_sys::fuzz_target;
use paylinks_generator::{build_module, header_lines, render_models, EmitOptions, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (spec, overlay) = match text.split_once("\n---overlay---\n") {
        Some((spec, overlay)) => (spec, Some(overlay)),
        None => (text, None),
    };
    let overlays: Vec<Source<'_>> = overlay.iter().map(|text| Source { file: "overlay.yaml", text }).collect();
    if let Ok(checked) = build_module(Source { file: "spec.yaml", text: spec }, &overlays) {
        let options = EmitOptions {
            runtime: syn::parse_quote!(::paylinks::runtime),
            public_module: syn::parse_quote!(crate),
            models_path: quote::quote!(),
        features_by_tag: false,
        };
        let _ = render_models(&checked.module, &header_lines(&["spec.yaml"]), &options);
    }
});

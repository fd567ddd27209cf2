//! The whole generator on arbitrary text: load (YAML, overlay, openapiv3) → lower → check →
//! emit → format. Any panic is a bug: bad input must end in diagnostics. An input holding a
//! line `---overlay---` is split into a spec and an overlay.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

use paylinks_generator::{generate, parse_config, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (spec, overlay) = match text.split_once("\n---overlay---\n") {
        Some((spec, overlay)) => (spec, Some(overlay)),
        None => (text, None),
    };
    // The whole of `generate`: models, validators, client and the example tests.
    let overlays = if overlay.is_some() { "[overlay.yaml]" } else { "[]" };
    let config = parse_config(Source {
        file: "codegen.yaml",
        text: &format!("crate_dir: generated\ncrate_name: paylinks\nruntime_path: crate::runtime\nmodules:\n  - name: api\n    spec: spec.yaml\n    overlays: {overlays}\n"),
    })
    .expect("the fuzz config is valid");
    let mut inputs = BTreeMap::from([("spec.yaml".to_owned(), spec.to_owned())]);
    if let Some(overlay) = overlay {
        inputs.insert("overlay.yaml".to_owned(), overlay.to_owned());
    }
    let _ = generate(&config, &inputs);
});

//! Golden cases: each directory of `tests/data/` holds a small `spec.yaml` (and optionally an
//! `overlay.yaml`) and what the generator must make of it: `expected.rs` (plus
//! `expected.warn` when there are warnings) or `expected.err`.
//!
//! Regenerate the expectations after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p paylinks-generator --test golden`, then review the diff.
//! `tests/golden_compile.rs` compiles every `expected.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use paylinks_generator::{build_module, header_lines, render_models, EmitOptions, Source};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/data exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// What the generator makes of a case: (file name, contents) pairs.
fn run_case(dir: &Path) -> Vec<(&'static str, String)> {
    let spec = fs::read_to_string(dir.join("spec.yaml")).expect("every case has a spec.yaml");
    let overlay = fs::read_to_string(dir.join("overlay.yaml")).ok();
    let overlays: Vec<Source<'_>> = overlay
        .iter()
        .map(|text| Source {
            file: "overlay.yaml",
            text,
        })
        .collect();
    let source = Source {
        file: "spec.yaml",
        text: &spec,
    };
    match build_module(source, &overlays) {
        Ok(checked) => {
            let options = EmitOptions {
                runtime: syn::parse_quote!(::paylinks::runtime),
                public_module: syn::parse_quote!(crate),
                models_path: quote::quote!(),
                features_by_tag: false,
            };
            let mut inputs = vec!["spec.yaml"];
            if overlay.is_some() {
                inputs.push("overlay.yaml");
            }
            let mut out = vec![(
                "expected.rs",
                render_models(&checked.module, &header_lines(&inputs), &options),
            )];
            if !checked.warnings.is_empty() {
                out.push(("expected.warn", lines(checked.warnings.iter())));
            }
            out
        }
        Err(diagnostics) => vec![("expected.err", lines(diagnostics.0.iter()))],
    }
}

fn lines<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items.map(|d| format!("{d}\n")).collect()
}

const OUTPUTS: [&str; 3] = ["expected.rs", "expected.warn", "expected.err"];

#[test]
fn golden_cases_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 20, "the golden cases are missing");
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let produced = run_case(dir);
        for output in OUTPUTS {
            let path = dir.join(output);
            let expected = fs::read_to_string(&path).ok();
            let actual = produced
                .iter()
                .find(|(f, _)| *f == output)
                .map(|(_, c)| c.clone());
            if expected == actual {
                continue;
            }
            if update {
                match &actual {
                    Some(text) => fs::write(&path, text).expect("writable"),
                    None => fs::remove_file(&path).expect("removable"),
                }
                continue;
            }
            failures.push(format!(
                "{name}/{output}:\n--- expected\n{}\n--- actual\n{}",
                expected.as_deref().unwrap_or("(no file)"),
                actual.as_deref().unwrap_or("(no output)")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ; if the change is intended, run \
         `UPDATE_GOLDEN=1 cargo test -p paylinks-generator --test golden` and review the diff\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every case with an `expected.rs` is compiled by `golden_compile.rs`, and nothing else is.
#[test]
fn every_expected_rs_is_compiled() {
    let listing =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden_compile.rs"))
            .expect("golden_compile.rs exists");
    for dir in cases() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let include = format!("include!(\"data/{name}/expected.rs\")");
        assert_eq!(
            dir.join("expected.rs").exists(),
            listing.contains(&include),
            "tests/golden_compile.rs must include data/{name}/expected.rs exactly when it exists"
        );
    }
}

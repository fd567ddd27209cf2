//! Golden cases: each directory of `tests/data/` holds a small `spec.yaml` (and optionally an
//! `overlay.yaml`) and what the generator must make of it: `expected.rs` (plus
//! `expected.warn` when there are warnings, and `expected.examples.rs`, the example round-trip
//! tests, when the spec has examples) or `expected.err`. A directory holding a
//! `codegen.yaml` instead is a config case: the config must be refused, with the errors in
//! `expected.err`.
//!
//! Regenerate the expectations after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p paylinks-generator --test golden`, then review the diff.
//! `tests/golden_compile.rs` compiles every `expected.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use paylinks_generator::{
    build_module, header_lines, parse_config, render_example_tests, render_models, EmitOptions,
    Source,
};

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
    if let Ok(text) = fs::read_to_string(dir.join("codegen.yaml")) {
        return run_config_case(&text);
    }
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
            let options = EmitOptions::single_file();
            let mut inputs = vec!["spec.yaml"];
            if overlay.is_some() {
                inputs.push("overlay.yaml");
            }
            let header = header_lines(&inputs);
            let mut out = vec![(
                "expected.rs",
                render_models(&checked.module, &header, &options),
            )];
            if let Some(tests) = render_example_tests(&checked.module, &header, &options) {
                out.push(("expected.examples.rs", tests));
            }
            if !checked.warnings.is_empty() {
                out.push(("expected.warn", lines(checked.warnings.iter())));
            }
            out
        }
        Err(diagnostics) => vec![("expected.err", lines(diagnostics.0.iter()))],
    }
}

/// A config case: every config here is one that must be refused before anything is read or
/// written, so an accepted config is reported as the case's (wrong) output.
fn run_config_case(text: &str) -> Vec<(&'static str, String)> {
    let source = Source {
        file: "codegen.yaml",
        text,
    };
    let errors = match parse_config(source) {
        Ok(config) => format!("accepted: {config:?}\n"),
        Err(diagnostics) => lines(diagnostics.0.iter()),
    };
    vec![("expected.err", errors)]
}

fn lines<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items.map(|d| format!("{d}\n")).collect()
}

const OUTPUTS: [&str; 4] = [
    "expected.rs",
    "expected.examples.rs",
    "expected.warn",
    "expected.err",
];

/// Runs one case, bounded in time (a hang fails the test instead of stalling the run), and
/// compares (or, with `UPDATE_GOLDEN`, rewrites) its outputs.
fn check_case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let (send, receive) = std::sync::mpsc::channel();
    let worker_dir = dir.clone();
    std::thread::spawn(move || {
        let _ = send.send(run_case(&worker_dir));
    });
    let produced = match receive.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(produced) => produced,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: the generator took more than a minute (a hang?)")
        }
        Err(e) => panic!("{name}: the generator panicked ({e})"),
    };
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
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
    assert!(
        failures.is_empty(),
        "golden file(s) differ; if the change is intended, run \
         `UPDATE_GOLDEN=1 cargo test -p paylinks-generator --test golden` and review the diff\n\n{}",
        failures.join("\n\n")
    );
}

/// One `#[test]` per folder of `tests/data/`, so a case runs alone with
/// `cargo test -p paylinks-generator --test golden <case>`.
macro_rules! golden_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                check_case(stringify!($case));
            }
        )*
        const LISTED: &[&str] = &[$(stringify!($case)),*];
    };
}

golden_cases!(
    all_of,
    all_of_scalars,
    array,
    client_body_kinds,
    client_idempotency,
    client_multipart,
    client_operations,
    client_path_templates,
    client_query_arrays,
    client_status_ranges,
    client_wire_forms,
    config_crate_dir_absolute,
    config_crate_dir_current,
    config_crate_dir_parent,
    config_crate_dir_reserved,
    config_names_all_at_once,
    config_unknown_key,
    credential_name_collisions,
    defaults,
    descriptions,
    descriptions_hostile,
    descriptions_in_containers,
    enum_names_of_serde_internals,
    enum_symbols,
    error_alias_cycle_rule,
    error_all_of_non_object,
    error_bad_status_code,
    error_contradicting_keywords,
    error_cyclic_ref_alias,
    error_dangling_ref,
    error_deep_nesting,
    error_duplicate_status_keys,
    error_empty_enum,
    error_empty_file,
    error_external_ref,
    error_header_names,
    error_idempotency_alternative,
    error_idempotency_extension,
    error_invalid_yaml,
    error_json_one_line,
    error_json_syntax,
    error_lost_paths_and_ranges,
    error_merge_keys,
    error_missing_info,
    error_name_overrides,
    error_non_finite_numbers,
    error_not_a_mapping,
    error_not_openapi,
    error_openapi_31,
    error_overlay_actions_malformed,
    error_overlay_injected,
    error_overlay_nested_matches,
    error_overlay_no_match,
    error_overlay_replaced,
    error_overlay_yaml,
    error_param_dangling_ref,
    error_param_in_body,
    error_path_param_undeclared,
    error_path_templates,
    error_recursive_alias,
    error_ref_to_non_schema,
    error_response_dangling_ref,
    error_rules_syntax,
    error_rules_types,
    error_self_ref_all_of,
    error_server_variables,
    error_shape_all_at_once,
    error_swagger_2,
    error_truncated_yaml,
    error_union_includes_itself,
    error_unknown_type,
    error_unknown_type_in_items,
    error_wrong_type_paths,
    error_wrong_type_properties,
    error_yaml_alias_bomb,
    error_yaml_control_character,
    error_yaml_duplicate_key,
    error_yaml_tabs,
    error_yaml_two_documents,
    examples_refs,
    feature_name_collisions,
    hostile_names,
    inline_name_collision,
    integer_number_formats,
    keyword_collision,
    keywords_and_digits,
    limits_exact,
    map,
    merge_keys,
    name_collision,
    name_overrides,
    names_confusable_and_repeated,
    nested_inline_object,
    non_ascii_collision,
    non_ascii_names,
    nullable,
    one_of,
    operation_name_collisions,
    overlay_numeric_status,
    overlay_update_remove,
    parameter_name_collisions,
    path_item_refs,
    recursive,
    refs,
    refs_deep,
    required_optional,
    reserved_type_names,
    security_kinds,
    security_optional_and_conflicting,
    servers_names_and_variables,
    string_enum,
    validate_keywords,
    validate_rules,
    validate_rules_all_of,
    warning_default_types,
    warning_duplicate_operation_id,
    warning_invalid_keywords,
    warning_numeric_on_string,
    warning_overlay_blame_shapes,
    warning_responses_and_servers,
    warning_security_undeclared,
    warning_unchecked_pattern,
    warning_unsupported_constructs,
    warning_vendor_shapes,
    warning_wrong_type_required,
    yaml_bom_and_tags,
);

/// Every folder of `tests/data/` has its test above, and every test its folder.
#[test]
fn every_case_folder_has_a_test() {
    let folders: Vec<String> = cases()
        .iter()
        .map(|dir| dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(folders.len() >= 20, "the golden cases are missing");
    let listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        folders, listed,
        "add the new case folder to `golden_cases!` in tests/golden.rs (sorted)"
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

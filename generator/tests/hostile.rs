//! Inputs too large for a golden file: the generator must answer, not panic or hang.

use paylinks_generator::{build_module, header_lines, render_models, EmitOptions, Source};

fn run(text: &str) -> Result<String, String> {
    let checked = build_module(
        Source {
            file: "spec.yaml",
            text,
        },
        &[],
    )
    .map_err(|d| d.to_string())?;
    let options = EmitOptions::single_file();
    Ok(render_models(
        &checked.module,
        &header_lines(&["spec.yaml"]),
        &options,
    ))
}

const HEAD: &str =
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn a_huge_enum_generates() {
    let values: Vec<String> = (0..20_000).map(|i| format!("VALUE_{i}")).collect();
    let spec = format!(
        "{HEAD}    Big:\n      type: string\n      enum: [{}]\n",
        values.join(", ")
    );
    let rust = run(&spec).unwrap();
    assert!(
        rust.contains("Value19999,") && rust.contains("\"VALUE_19999\" => Some(Self::Value19999)")
    );
}

#[test]
fn thousands_of_schemas_generate() {
    let mut spec = HEAD.to_owned();
    for i in 0..3_000 {
        spec.push_str(&format!("    S{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n", (i + 1) % 3_000));
    }
    let rust = run(&spec).unwrap();
    // One cycle through all 3000: every link is boxed.
    assert_eq!(rust.matches("Option<Box<S").count(), 3_000);
}

#[test]
fn a_very_long_name_generates() {
    let name = "a".repeat(10_000);
    // YAML caps implicit keys at 1024 characters; `? key` is the explicit form.
    let spec = format!("{HEAD}    Long:\n      type: object\n      properties:\n        ? {name}\n        : {{type: string}}\n");
    let rust = run(&spec).unwrap();
    assert!(
        rust.contains(&format!("pub {name}:")),
        "the field is missing"
    );
}

#[test]
fn nesting_up_to_the_yaml_limit_generates_and_beyond_it_is_an_error() {
    let nested = |depth: usize| {
        let mut schema = "{type: string}".to_owned();
        for _ in 0..depth {
            schema = format!("{{type: object, properties: {{inner: {schema}}}}}");
        }
        format!("{HEAD}    Deep: {schema}\n")
    };
    let rust = run(&nested(40)).unwrap();
    assert!(rust.contains("pub struct DeepInner"));
    let error = run(&nested(400)).unwrap_err();
    assert!(error.contains("recursion limit exceeded"), "{error}");
}

#[test]
fn garbage_is_an_error() {
    for garbage in [
        "\u{0}\u{1}\u{2}",
        "{{{{",
        "- - - -",
        "openapi: [3.0.3]",
        ":",
        "\u{feff}openapi: 3.0.3",
    ] {
        assert!(run(garbage).is_err(), "{garbage:?}");
    }
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(run(&String::from_utf8_lossy(&bytes)).is_err());
}

/// An overlay whose target matches every property of a large spec: matches are collected
/// without repeats in linear time (this took minutes when repeats were found by scanning).
#[test]
fn an_overlay_matching_every_property_of_a_large_spec_applies() {
    let mut spec = String::from(HEAD);
    for s in 0..400 {
        spec.push_str(&format!(
            "    S{s}:\n      type: object\n      properties:\n"
        ));
        for p in 0..50 {
            spec.push_str(&format!("        p{p}: {{type: string}}\n"));
        }
    }
    let overlay = "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $..properties.*\n    update: {maxLength: 10}\n  - target: $.components..properties.*\n    update: {minLength: 1}\n";
    let checked = build_module(
        Source {
            file: "spec.yaml",
            text: &spec,
        },
        &[Source {
            file: "overlay.yaml",
            text: overlay,
        }],
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(checked.module.types.len(), 400);
}

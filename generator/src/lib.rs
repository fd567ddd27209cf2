//! The paylinks generator: OpenAPI specs (plus overlays) in, formatted Rust files out.
//!
//! The pipeline is a chain of plain functions, each a module:
//! [`load`] (YAML → overlays → `openapiv3`) → `lower` (→ [`ir`]) → `check` → `emit` → `format`.
//! Every stage reports all of its problems at once as [`Diagnostic`]s that name the file and
//! JSON pointer. The library reads and writes no files: callers pass texts in and get texts
//! back.

pub mod config;
pub mod diag;
pub mod ir;
pub mod load;
pub mod overlay;

mod check;
mod check_values;
mod docs;
mod emit;
mod features;
mod format;
mod graph;
mod hoist;
mod idempotency;
mod lower;
mod names;
mod pattern;
mod rules;
mod shape;
mod source;
mod yaml;

use std::collections::BTreeMap;

use quote::quote;

pub use config::{parse_config, Config, ModuleConfig};
pub use diag::{Code, Diagnostic, Diagnostics, Severity};
pub use emit::EmitOptions;
pub use format::GENERATED_MARKER;
pub use load::Source;
pub use source::locate_line;

use diag::Sink;

/// The command that regenerates the files, named in every header.
pub const REGENERATE_COMMAND: &str = "cargo xtask codegen";

/// A checked module and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Checked {
    pub module: ir::Module,
    pub warnings: Vec<Diagnostic>,
}

/// Load, lower and check one spec with its overlays.
pub fn build_module(spec: Source<'_>, overlays: &[Source<'_>]) -> Result<Checked, Diagnostics> {
    run_stages(spec, overlays, &mut |_| {})
}

/// The stages up to checked IR, in order, calling `lap` after each (for timing).
fn run_stages(
    spec: Source<'_>,
    overlays: &[Source<'_>],
    lap: &mut dyn FnMut(&'static str),
) -> Result<Checked, Diagnostics> {
    let mut sink = Sink::default();
    let doc = load::parse_yaml(spec, &mut sink);
    let Some(mut doc) = doc else {
        return Err(Diagnostics(sink.take_sorted()));
    };
    lap("parse");
    // Overlays see the document with string keys (`responses['200']` matches `200:`).
    load::normalize(&mut doc, spec, &mut sink);
    sink.finish_stage()?;
    let provenance = load::apply_overlays(&mut doc, overlays, &mut sink);
    sink.finish_stage()?;
    lap("overlay");
    // Problems in what an overlay added are the overlay's, and say so.
    let blame = |d: Diagnostics| {
        Diagnostics(
            d.0.into_iter()
                .map(|d| provenance.blame(d, spec.file))
                .collect(),
        )
    };
    if !overlays.is_empty() {
        // Again, for what the overlays added.
        load::normalize(&mut doc, spec, &mut sink);
    }
    let loaded = load::to_openapi(doc, spec, &mut sink);
    sink.finish_stage().map_err(blame)?;
    let loaded = loaded.expect("to_openapi returns a spec when it reports no error");
    lap("openapi");
    let mut module = lower::lower(&loaded, &mut sink);
    sink.finish_stage().map_err(blame)?;
    lap("lower");
    check::check(&module, &loaded, &mut sink);
    sink.finish_stage().map_err(blame)?;
    graph::mark_boxes(&mut module);
    lap("check");
    Ok(Checked {
        module,
        warnings: blame(Diagnostics(sink.take_sorted())).0,
    })
}

/// How long each stage took for one module, and what it produced.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// (stage, seconds): parse, overlay, openapi, lower, check, emit, format.
    pub stages: Vec<(&'static str, f64)>,
    pub lines: usize,
    pub operations: usize,
    pub types: usize,
}

/// Runs the whole pipeline for one module (models, validators, client), timing each stage.
/// For benchmarks: the output is measured and dropped.
pub fn profile_module(
    spec: Source<'_>,
    overlays: &[Source<'_>],
    options: &EmitOptions,
) -> Result<Profile, Diagnostics> {
    use std::time::Instant;
    let mut profile = Profile::default();
    let mut clock = Instant::now();
    let mut lap = |stages: &mut Vec<(&'static str, f64)>, stage: &'static str| {
        stages.push((stage, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let mut stages = Vec::new();
    let module = run_stages(spec, overlays, &mut |stage| lap(&mut stages, stage))?.module;
    let emitted = emit::emit_module(ctx(&module, options), spec.file);
    lap(&mut stages, "emit");
    let header = header_lines(&[spec.file]);
    profile.lines = [emitted.models, emitted.validators, emitted.client]
        .into_iter()
        .map(|chunks| format::format_chunks(&header, chunks).lines().count())
        .sum::<usize>()
        + format::format_file(&header, emitted.examples)
            .lines()
            .count();
    lap(&mut stages, "format");
    profile.stages = stages;
    profile.operations = module.operations.len();
    profile.types = module.types.len();
    Ok(profile)
}

/// Models, validators and (when the spec has operations) the client in one file, as the
/// golden cases show them.
pub fn render_models(module: &ir::Module, header: &[String], options: &EmitOptions) -> String {
    let emitted = emit::emit_module(ctx(module, options), "spec.yaml");
    let mut chunks = emitted.models;
    chunks.extend(emitted.validators);
    chunks.extend(emitted.client);
    format::format_chunks(header, chunks)
}

/// The example round-trip tests of a module, as `generate` writes them under `tests/examples/`
/// (`None` when the spec has no example): what the golden cases show beside the models.
pub fn render_example_tests(
    module: &ir::Module,
    header: &[String],
    options: &EmitOptions,
) -> Option<String> {
    if module.examples.is_empty() {
        return None;
    }
    let tokens = emit::examples::emit_example_tests(ctx(module, options), "spec.yaml");
    Some(format::format_file(header, tokens))
}

fn ctx<'a>(module: &'a ir::Module, options: &'a EmitOptions) -> emit::Ctx<'a> {
    emit::Ctx { module, options }
}

/// One file to write, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The generated crate's folder (the config's `crate_dir`): every file is below its
    /// `src/` or `tests/`, and only there may stale generated files be deleted.
    pub crate_dir: String,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    pub modules: Vec<ModuleSummary>,
}

/// What one module holds, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    pub name: String,
    pub operations: usize,
    pub types: usize,
    /// The per-tag cargo features the module's code uses (with `features_by_tag`).
    pub features: Vec<String>,
}

/// Generates every module the config names. `inputs` maps each file the config names
/// (relative to the repository root) to its text. Either every module succeeds or the
/// diagnostics of all modules are returned together.
pub fn generate(
    config: &Config,
    inputs: &BTreeMap<String, String>,
) -> Result<Generated, Diagnostics> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    for module_config in &config.modules {
        let spec = input(inputs, &module_config.spec);
        let overlays: Result<Vec<_>, _> = module_config
            .overlays
            .iter()
            .map(|o| input(inputs, o))
            .collect();
        let (spec, overlays) = match (spec, overlays) {
            (Ok(s), Ok(o)) => (s, o),
            (s, o) => {
                errors.extend(s.err());
                errors.extend(o.err());
                continue;
            }
        };
        match build_module(spec, &overlays) {
            Ok(checked) => {
                modules.push(ModuleSummary {
                    name: module_config.name.clone(),
                    operations: checked.module.operations.len(),
                    types: checked.module.types.len(),
                    features: if module_config.features_by_tag {
                        features::features(&checked.module)
                    } else {
                        Vec::new()
                    },
                });
                warnings.extend(checked.warnings);
                match module_files(config, module_config, &checked.module) {
                    Ok(out) => files.extend(out),
                    Err(d) => errors.push(d),
                }
            }
            Err(Diagnostics(ds)) => errors.extend(ds),
        }
    }
    if errors.is_empty() {
        Ok(Generated {
            crate_dir: config.crate_dir.clone(),
            files,
            warnings,
            modules,
        })
    } else {
        errors.extend(warnings);
        errors.sort_by_key(|d| std::cmp::Reverse(d.severity));
        Err(Diagnostics(errors))
    }
}

fn input<'a>(
    inputs: &'a BTreeMap<String, String>,
    file: &'a str,
) -> Result<Source<'a>, Diagnostic> {
    inputs
        .get(file)
        .map(|text| Source { file, text })
        .ok_or_else(|| {
            Diagnostic::error(Code::MissingInput, file, "", "input file was not provided")
        })
}

fn module_files(
    config: &Config,
    module_config: &ModuleConfig,
    module: &ir::Module,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let name = &module_config.name;
    let options = EmitOptions::crate_module(
        &config.runtime_path,
        &config.crate_name,
        name,
        module_config.features_by_tag,
    )
    .map_err(|message| {
        Diagnostic::error(Code::Config, "codegen config", "/runtime_path", message)
    })?;
    let mut emitted = emit::emit_module(ctx(module, &options), &module_config.spec);
    if emitted.client.is_empty() {
        // A spec with no operations still gets its `Client`, `Credentials` and
        // `Environment`, which the module re-exports like any other.
        emitted.client = emit::client::emit_client(ctx(module, &options));
    }
    let inputs: Vec<&str> = module_config.inputs().collect();
    let header = header_lines(&inputs);
    let dir = format!("{}/src/{name}", config.crate_dir);

    let mod_rs = module_root(module, &inputs);

    Ok(vec![
        OutputFile {
            path: format!("{dir}/mod.rs"),
            contents: format::format_file(&header, mod_rs),
        },
        OutputFile {
            path: format!("{dir}/models.rs"),
            contents: format::format_chunks(&header, emitted.models),
        },
        OutputFile {
            path: format!("{dir}/client.rs"),
            contents: format::format_chunks(&header, {
                let mut chunks = vec![quote! {
                    //! The client: one method per operation, with typed errors per status.
                }];
                chunks.extend(emitted.client);
                chunks
            }),
        },
        OutputFile {
            path: format!("{dir}/validate.rs"),
            contents: format::format_chunks(&header, {
                let mut chunks = vec![quote! {
                    //! `Validate` for every struct and union of the models.
                    #[allow(unused_imports)]
                    use super::*;
                }];
                chunks.extend(emitted.validators);
                chunks
            }),
        },
        OutputFile {
            path: format!("{}/tests/examples/{name}.rs", config.crate_dir),
            contents: format::format_file(&header, emitted.examples),
        },
    ])
}

/// The gateway module's `mod.rs`: its docs, its files, and what it re-exports.
fn module_root(module: &ir::Module, inputs: &[&str]) -> proc_macro2::TokenStream {
    let title = format!(" {} (version {})", module.title, module.version);
    let description = emit::doc_lines(module.description.as_deref());
    let sources = format!(" Generated from `{}`.", inputs.join("` with `"));
    quote! {
        #![doc = #title]
        #![doc = ""]
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = #sources]

        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        mod validate;

        pub use client::{Client, Credentials, Environment};
        // A spec without schemas (or a build with no resource-group feature) has no models.
        #[allow(unused_imports)]
        pub use models::*;
    }
}

/// The `@generated` header: the command and the sources.
pub fn header_lines(inputs: &[&str]) -> Vec<String> {
    vec![
        format!("by `{REGENERATE_COMMAND}` from {}.", inputs.join(" + ")),
        "Do not edit: change the spec or its overlay and run the command again.".to_owned(),
    ]
}

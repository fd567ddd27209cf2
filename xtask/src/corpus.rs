//! `cargo xtask corpus [DIR]`: every OpenAPI spec in a folder through the whole pipeline,
//! into a scratch crate each under `target/corpus/`, checked by `cargo clippy -D warnings`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use paylinks_generator::{generate, Config, ModuleConfig};

/// One spec's line of the report.
#[derive(Debug, Clone)]
pub struct Row {
    pub spec: String,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub generate_ms: f64,
    pub warnings: usize,
    pub skipped_operations: usize,
    /// Resource groups (cargo features) checked one by one.
    pub feature_groups: usize,
    pub result: Result<(), String>,
}

/// The specs of a folder: `*.yaml`, `*.yml` and `*.json`, sorted.
pub fn specs_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// The scratch directory and package names for a spec: `cashfree-pg` → `corpus_cashfree_pg`.
/// The directory name keeps only ASCII letters, digits, `-`, `_` and inner dots, so no file
/// name (`..yaml`, `a/b`) can make `target/corpus/<name>` point anywhere else: that
/// directory is deleted and rewritten.
fn names(spec: &Path) -> (String, String) {
    let stem = spec
        .file_stem()
        .map_or("spec".to_owned(), |s| s.to_string_lossy().into_owned());
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('.');
    let name = if trimmed.is_empty() {
        "spec".to_owned()
    } else {
        trimmed.to_owned()
    };
    let crate_name = format!(
        "corpus_{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    )
    .to_lowercase();
    (name, crate_name)
}

/// Runs the generator on one spec as the module `api` of a scratch crate.
fn generate_spec(
    file: &str,
    text: String,
    crate_name: &str,
) -> Result<paylinks_generator::Generated, paylinks_generator::Diagnostics> {
    let config = Config {
        crate_dir: "crate".to_owned(),
        crate_name: crate_name.to_owned(),
        runtime_path: "crate::runtime".to_owned(),
        modules: vec![ModuleConfig {
            name: "api".to_owned(),
            spec: file.to_owned(),
            overlays: Vec::new(),
            features_by_tag: true,
        }],
    };
    generate(&config, &BTreeMap::from([(file.to_owned(), text)]))
}

/// The crate's files among the generator's output: its sources and its example tests.
fn sources(generated: &paylinks_generator::Generated) -> Vec<&paylinks_generator::OutputFile> {
    generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("crate/src/") || f.path.starts_with("crate/tests/"))
        .collect()
}

/// Generates `spec` into `target/corpus/<name>/` and runs clippy on it.
/// How much clippy a corpus run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Generate and report only.
    None,
    /// clippy with every resource group, and with none.
    AllAndNone,
    /// clippy with every group, with none, and with each group alone.
    EveryGroup,
}

pub fn run_spec(root: &Path, spec: &Path, check: Check) -> Row {
    let (name, crate_name) = names(spec);
    let mut row = Row {
        spec: spec
            .file_name()
            .map_or(String::new(), |f| f.to_string_lossy().into_owned()),
        operations: 0,
        types: 0,
        lines: 0,
        generate_ms: 0.0,
        warnings: 0,
        skipped_operations: 0,
        feature_groups: 0,
        result: Ok(()),
    };
    let text = match fs::read_to_string(spec) {
        Ok(t) => t,
        Err(e) => {
            row.result = Err(format!("cannot read: {e}"));
            return row;
        }
    };
    let started = Instant::now();
    let generated = generate_spec(&format!("specs/{}", row.spec), text, &crate_name);
    row.generate_ms = started.elapsed().as_secs_f64() * 1000.0;
    let generated = match generated {
        Ok(g) => g,
        Err(diagnostics) => {
            row.result = Err(format!("generation failed:\n{diagnostics}"));
            return row;
        }
    };
    row.warnings = generated.warnings.len();
    row.skipped_operations = generated
        .warnings
        .iter()
        .filter(|w| w.code == paylinks_generator::Code::OperationSkipped)
        .count();
    if let Some(m) = generated.modules.first() {
        row.operations = m.operations;
        row.types = m.types;
    }
    let sources = sources(&generated);
    let features = generated
        .modules
        .first()
        .map(|m| m.features.clone())
        .unwrap_or_default();
    row.lines = source_lines(&sources);
    if check == Check::None {
        return row;
    }
    let dir = root.join("target/corpus").join(&name);
    if let Err(e) = write_crate(root, &dir, &crate_name, &sources, &features) {
        row.result = Err(format!("cannot write the scratch crate: {e}"));
        return row;
    }
    row.result = clippy_every_group(root, &dir, &features, check == Check::EveryGroup);
    row.feature_groups = features.len();
    row
}

/// clippy `-D warnings` on the whole crate with its tests, then with no resource group and
/// (when `each` is set) with each group alone: each must compile on its own.
fn clippy_every_group(
    root: &Path,
    dir: &Path,
    features: &[String],
    each: bool,
) -> Result<(), String> {
    clippy(root, dir, &["--all-targets", "--", "-D", "warnings"])?;
    if features.is_empty() {
        return Ok(());
    }
    let alone = features.iter().map(Some).filter(|_| each);
    let groups = std::iter::once(None).chain(alone);
    for group in groups {
        let mut args = vec!["--lib", "--no-default-features"];
        if let Some(g) = group {
            args.extend(["--features", g.as_str()]);
        }
        args.extend(["--", "-D", "warnings"]);
        clippy(root, dir, &args).map_err(|e| {
            format!(
                "with only the `{}` feature: {e}",
                group.map_or("(none)", |g| g.as_str())
            )
        })?;
    }
    Ok(())
}

/// `cargo clippy --quiet <args>` in a scratch crate, sharing one target directory.
fn clippy(root: &Path, dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["clippy", "--quiet"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
        .output();
    match output {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr)
            .lines()
            .take(60)
            .collect::<Vec<_>>()
            .join("\n")),
        Err(e) => Err(format!("cannot run cargo: {e}")),
    }
}

/// Generates `spec` into `target/corpus/<name>/`: (directory, package name, lines emitted).
pub fn prepare_crate(root: &Path, spec: &Path) -> Result<(PathBuf, String, usize), String> {
    let (name, crate_name) = names(spec);
    let text = fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let generated =
        generate_spec("specs/spec.yaml", text, &crate_name).map_err(|d| d.to_string())?;
    let sources = sources(&generated);
    let features = generated
        .modules
        .first()
        .map(|m| m.features.clone())
        .unwrap_or_default();
    let lines = source_lines(&sources);
    let dir = root.join("target/corpus").join(&name);
    write_crate(root, &dir, &crate_name, &sources, &features).map_err(|e| e.to_string())?;
    Ok((dir, crate_name, lines))
}

/// Lines of the crate's sources (its tests not counted).
fn source_lines(files: &[&paylinks_generator::OutputFile]) -> usize {
    files
        .iter()
        .filter(|f| f.path.starts_with("crate/src/"))
        .map(|f| f.contents.lines().count())
        .sum()
}

/// The hand-written half of the example tests, as `paylinks`' own `tests/examples/main.rs`
/// has it for its gateways; the check itself is `paylinks`' `tests/examples/support.rs`.
const EXAMPLES_MAIN: &str = "//! Round trips of every example of the spec through its generated type.\n\n#![allow(uncommon_codepoints, confusable_idents, mixed_script_confusables)]\n\n#[rustfmt::skip]\nmod api;\n\nmod support;\n#[allow(unused_imports)] // a spec without examples has no test using it\nuse support::round_trip;\n";

/// A crate holding the generated module and a copy of `paylinks`' runtime, with the same
/// dependencies and lockfile as the workspace.
fn write_crate(
    root: &Path,
    dir: &Path,
    crate_name: &str,
    sources: &[&paylinks_generator::OutputFile],
    features: &[String],
) -> std::io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    let src = dir.join("src");
    fs::create_dir_all(src.join("api"))?;
    copy_dir(&root.join("generated/src/runtime"), &src.join("runtime"))?;
    for file in sources {
        let target = match file.path.strip_prefix("crate/src/") {
            Some(relative) => src.join(relative),
            None => dir.join(file.path.trim_start_matches("crate/")),
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, &file.contents)?;
    }
    // The generated example tests are a module of `tests/examples/`, as in `paylinks`;
    // clippy `--all-targets` checks them with the crate.
    if sources
        .iter()
        .any(|f| f.path.starts_with("crate/tests/examples/"))
    {
        fs::write(dir.join("tests/examples/main.rs"), EXAMPLES_MAIN)?;
        fs::copy(
            root.join("generated/tests/examples/support.rs"),
            dir.join("tests/examples/support.rs"),
        )?;
    }
    fs::write(
        src.join("lib.rs"),
        "//! A generated corpus crate.\n\n// Identifiers are the vendor's names (see `generated/src/lib.rs`).\n#![allow(uncommon_codepoints, confusable_idents, mixed_script_confusables)]\n\n#[rustfmt::skip]\npub mod api;\npub mod runtime;\n",
    )?;
    let manifest = format!(
        "[package]\nname = \"{crate_name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\nrust-version = \"{}\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}",
        workspace_value(root, "rust-version").unwrap_or_else(|| "1.82".to_owned()),
        runtime_dependencies(root)?
    );
    // One feature per resource group (tag), all on by default.
    let manifest = if features.is_empty() {
        manifest
    } else {
        let list: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        let each: String = features.iter().map(|f| format!("{f} = []\n")).collect();
        format!(
            "{manifest}\n[features]\ndefault = [{}]\n{each}",
            list.join(", ")
        )
    };
    fs::write(dir.join("Cargo.toml"), manifest)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

/// Copies a folder and its subfolders (the runtime has modules in folders, `http/`).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else if path.is_file() {
            fs::copy(&path, target)?;
        }
    }
    Ok(())
}

/// `generated/Cargo.toml`'s `[dependencies]`, with `x.workspace = true` resolved from the
/// root manifest, so the scratch crate builds with exactly what `paylinks` builds with.
fn runtime_dependencies(root: &Path) -> std::io::Result<String> {
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml"))?;
    let workspace = fs::read_to_string(root.join("Cargo.toml"))?;
    let mut out = String::new();
    for line in section(&manifest, "[dependencies]") {
        match line.split_once(".workspace = true") {
            Some((name, _)) => {
                let resolved = section(&workspace, "[workspace.dependencies]")
                    .into_iter()
                    .find(|l| {
                        l.split_once(" = ")
                            .is_some_and(|(n, _)| n.trim() == name.trim())
                    });
                if let Some(l) = resolved {
                    let _ = writeln!(out, "{l}");
                }
            }
            None => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    Ok(out)
}

/// The non-empty lines of a TOML section.
fn section<'a>(text: &'a str, header: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

fn workspace_value(root: &Path, key: &str) -> Option<String> {
    let workspace = fs::read_to_string(root.join("Cargo.toml")).ok()?;
    section(&workspace, "[workspace.package]")
        .into_iter()
        .find_map(|l| {
            l.split_once(" = ")
                .filter(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        })
}

/// The report, one line per spec.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from("| spec | operations | skipped | types | lines | generate (ms) | warnings | feature groups | clippy -D warnings (all groups, none, each alone) |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for r in rows {
        let result = match &r.result {
            Ok(()) => "ok".to_owned(),
            Err(e) => format!("FAILED: {}", e.lines().next().unwrap_or_default()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.1} | {} | {} | {} |",
            r.spec,
            r.operations,
            r.skipped_operations,
            r.types,
            r.lines,
            r.generate_ms,
            r.warnings,
            r.feature_groups,
            result
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::names;
    use std::path::Path;

    #[test]
    fn scratch_names_stay_inside_target_corpus() {
        for file in [
            "..yaml",
            "...yaml",
            ".yaml",
            "a b.yaml",
            "x/../..yaml",
            "é.json",
        ] {
            let (dir, crate_name) = names(Path::new(file));
            assert!(
                !dir.is_empty() && dir != "." && dir != ".." && !dir.contains('/'),
                "{file:?} → {dir:?}"
            );
            assert!(crate_name.starts_with("corpus_"), "{crate_name}");
        }
        assert_eq!(
            names(Path::new("cashfree-pg-2025-01-01.yaml")).0,
            "cashfree-pg-2025-01-01"
        );
    }
}

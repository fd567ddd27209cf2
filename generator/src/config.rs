//! `specs/codegen.yaml`: which spec and overlays make which module of which crate.

use crate::diag::Code;
use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, Sink};
use crate::load::{parse_yaml, Source};
use crate::overlay::path_to_pointer;
use crate::source::locate_line;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Directory of the generated crate, relative to the repository root.
    pub crate_dir: String,
    /// The generated crate's name, used by the generated tests.
    pub crate_name: String,
    /// Path of the crate's hand-written runtime module, as the generated code names it.
    pub runtime_path: String,
    pub modules: Vec<ModuleConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    /// The Rust module name (and cargo feature) of this gateway.
    pub name: String,
    /// The spec file, relative to the repository root.
    pub spec: String,
    /// Overlay files applied in order, relative to the repository root.
    #[serde(default)]
    pub overlays: Vec<String>,
    /// Put each operation (and the types only it needs) behind a cargo feature named after
    /// its first tag, so that a user of one resource group compiles only that group.
    #[serde(default)]
    pub features_by_tag: bool,
}

impl ModuleConfig {
    /// Every input file of the module: the spec, then its overlays.
    pub fn inputs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.spec.as_str()).chain(self.overlays.iter().map(String::as_str))
    }
}

pub fn parse_config(source: Source<'_>) -> Result<Config, Diagnostics> {
    let mut sink = Sink::default();
    let value = parse_yaml(source, &mut sink);
    sink.finish_stage()?;
    let value = value.unwrap_or_default();
    let config: Config = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(&e.path().to_string());
        let line = locate_line(source.text, &pointer);
        Diagnostics(vec![Diagnostic::error(
            Code::Config,
            source.file,
            pointer,
            format!("invalid codegen config: {}", e.inner()),
        )
        .at_line(line)])
    })?;
    let mut problems = Vec::new();
    let mut problem = |pointer: &str, message: String| {
        problems.push(
            Diagnostic::error(Code::Config, source.file, pointer, message)
                .at_line(locate_line(source.text, pointer)),
        );
    };
    if let Err(why) = check_crate_dir(&config.crate_dir) {
        problem("/crate_dir", why);
    }
    if !is_crate_name(&config.crate_name) {
        problem(
            "/crate_name",
            format!(
                "`{}` is not a crate name generated code can refer to (ASCII letters, digits, `_` and `-`, starting with a letter; not a Rust keyword)",
                config.crate_name
            ),
        );
    }
    if config.modules.is_empty() {
        problem("/modules", "lists no module".to_owned());
    }
    for (i, m) in config.modules.iter().enumerate() {
        let at = format!("/modules/{i}");
        if !is_module_name(&m.name) {
            problem(
                &format!("{at}/name"),
                format!("`{}` is not a module name (snake_case ASCII; not a Rust keyword, `runtime`, or a crate the generated code uses: {})", m.name, CRATES_USED.join(", ")),
            );
        } else if config.modules[..i]
            .iter()
            .any(|earlier| earlier.name == m.name)
        {
            problem(
                &format!("{at}/name"),
                format!("module `{}` is listed twice", m.name),
            );
        }
        if let Err(why) = check_relative_path(&m.spec) {
            problem(&format!("{at}/spec"), format!("the spec path {why}"));
        }
        for (j, overlay) in m.overlays.iter().enumerate() {
            if let Err(why) = check_relative_path(overlay) {
                problem(
                    &format!("{at}/overlays/{j}"),
                    format!("the overlay path {why}"),
                );
            }
        }
    }
    if syn::parse_str::<syn::Path>(&config.runtime_path).is_err() {
        problem("/runtime_path", "not a Rust path".to_owned());
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Top-level folders of the repository that a generated crate must never be placed in, since
/// `codegen` deletes stale generated files under the crate's folder.
const RESERVED_DIRS: &[&str] = &[
    ".git",
    ".cargo",
    ".ci",
    "target",
    "specs",
    "generator",
    "xtask",
    "docs",
    "fuzz",
];

/// `crate_dir`: a path below the repository root, not inside one of its own folders (in any
/// letter case: on a case-insensitive file system `Generator/` is `generator/`).
fn check_crate_dir(dir: &str) -> Result<(), String> {
    check_relative_path(dir).map_err(|why| format!("crate_dir {why}"))?;
    let first = dir.split('/').next().unwrap_or_default();
    match RESERVED_DIRS
        .iter()
        .find(|reserved| reserved.eq_ignore_ascii_case(first))
    {
        Some(reserved) => Err(format!(
            "crate_dir must not be inside `{reserved}/`, which holds the repository's own files"
        )),
        None => Ok(()),
    }
}

/// Crates the generated code and its runtime name: a module of the same name at the crate
/// root would shadow them.
const CRATES_USED: &[&str] = &[
    "std",
    "core",
    "alloc",
    "base64",
    "hmac",
    "chrono",
    "indexmap",
    "percent_encoding",
    "regex_lite",
    "reqwest",
    "rust_decimal",
    "serde",
    "serde_json",
    "sha2",
    "tokio",
    "uuid",
];

/// A path below the repository root: relative, `/`-separated, made of plain names only.
fn check_relative_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.contains('\\') {
        return Err("must use `/` between folders");
    }
    if path.starts_with('/') || path.contains(':') {
        return Err("must be relative to the repository root");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("has an empty folder name (`//` or a trailing `/`)"),
            "." | ".." => {
                return Err("must name a place below the repository root, without `.` or `..`")
            }
            _ if part.chars().any(|c| c.is_control()) => {
                return Err("contains a control character")
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_keyword(name: &str) -> bool {
    // `syn` refuses keywords as plain identifiers.
    syn::parse_str::<syn::Ident>(name).is_err()
}

/// A cargo package name whose library name (`-` → `_`) is a plain Rust identifier.
fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !is_keyword(&name.replace('-', "_"))
}

/// A module name: snake_case ASCII, a plain identifier, and not the runtime's.
fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name != "_"
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_keyword(name)
        && name != "runtime"
        && !CRATES_USED.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(crate_dir: &str, crate_name: &str, module: &str, spec: &str) -> Vec<String> {
        let text = format!(
            "crate_dir: '{crate_dir}'\ncrate_name: '{crate_name}'\nruntime_path: crate::runtime\nmodules:\n  - name: '{module}'\n    spec: '{spec}'\n"
        );
        match parse_config(Source {
            file: "codegen.yaml",
            text: &text,
        }) {
            Ok(_) => Vec::new(),
            Err(d) => {
                d.0.iter()
                    .map(|d| format!("{} {}", d.pointer, d.message))
                    .collect()
            }
        }
    }

    #[test]
    fn a_valid_config_passes() {
        assert!(errors("generated", "paylinks", "cashfree", "specs/a.yaml").is_empty());
        assert!(errors("crates/pay-links", "pay-links", "v2_links", "specs/a.yaml").is_empty());
    }

    #[test]
    fn crate_dirs_outside_or_above_the_crate_are_refused() {
        for dir in [
            "./generated",
            "../x",
            "generated/..",
            "/tmp/x",
            "",
            "generated/",
            "a//b",
            "C:/x",
            "gen\\x",
            ".",
            "generator",
            "specs/out",
            ".git",
            "Generator/x",
            "SPECS",
            ".Git/hooks",
        ] {
            let found = errors(dir, "paylinks", "cashfree", "specs/a.yaml");
            assert!(
                found.iter().any(|e| e.starts_with("/crate_dir ")),
                "{dir:?}: {found:?}"
            );
        }
    }

    #[test]
    fn names_that_generated_code_cannot_use_are_refused() {
        for name in ["pay.links", "1pay", "type", "", "pay links", "r#x", "self"] {
            let found = errors("generated", name, "cashfree", "specs/a.yaml");
            assert!(
                found.iter().any(|e| e.starts_with("/crate_name ")),
                "{name:?}: {found:?}"
            );
        }
        for module in [
            "Cashfree",
            "type",
            "runtime",
            "cash-free",
            "",
            "r#x",
            "_",
            "serde",
            "std",
            "core",
            "chrono",
            "serde_json",
        ] {
            let found = errors("generated", "paylinks", module, "specs/a.yaml");
            assert!(
                found.iter().any(|e| e.starts_with("/modules/0/name ")),
                "{module:?}: {found:?}"
            );
        }
        let found = errors("generated", "paylinks", "cashfree", "../../etc/passwd");
        assert!(
            found.iter().any(|e| e.starts_with("/modules/0/spec ")),
            "{found:?}"
        );
    }

    #[test]
    fn every_dependency_of_the_generated_crate_is_a_reserved_module_name() {
        let manifest = include_str!("../../generated/Cargo.toml");
        let dependencies = manifest
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap();
        for line in dependencies.lines() {
            let Some((name, _)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim().trim_end_matches(".workspace").replace('-', "_");
            if name.starts_with('#') || name.is_empty() {
                continue;
            }
            assert!(CRATES_USED.contains(&name.as_str()), "{name}");
        }
    }
}

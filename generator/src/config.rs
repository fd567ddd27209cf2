//! `specs/codegen.yaml`: which spec and overlays make which module of which crate.

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{parse_yaml, Source};
use crate::overlay::path_to_pointer;

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
    let value = parse_yaml(source).map_err(|d| Diagnostics(vec![d]))?;
    let config: Config = serde_path_to_error::deserialize(value).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            source.file,
            path_to_pointer(&e.path().to_string()),
            format!("invalid codegen config: {}", e.inner()),
        )])
    })?;
    let mut problems = Vec::new();
    if syn::parse_str::<syn::Path>(&config.runtime_path).is_err() {
        problems.push(Diagnostic::error(
            source.file,
            "/runtime_path",
            "not a Rust path",
        ));
    }
    for (i, m) in config.modules.iter().enumerate() {
        if syn::parse_str::<syn::Ident>(&m.name).is_err() {
            problems.push(Diagnostic::error(
                source.file,
                format!("/modules/{i}/name"),
                format!("`{}` is not a Rust module name", m.name),
            ));
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(Diagnostics(problems))
    }
}

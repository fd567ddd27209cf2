//! Repository automation. `codegen` is the only code in the workspace that touches the disk
//! for the generator: it reads the inputs `specs/codegen.yaml` names, runs the generator, and
//! brings `generated/` in line with its output.

pub mod alloc;
pub mod bench;
pub mod corpus;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use paylinks_generator::{
    generate, locate_line, parse_config, Code, Diagnostic, Diagnostics, Generated, Source,
    GENERATED_MARKER,
};

/// The config file, relative to the repository root.
pub const CONFIG_FILE: &str = "specs/codegen.yaml";

/// Why a codegen run produced nothing.
#[derive(Debug)]
pub enum Failure {
    Io(PathBuf, io::Error),
    Spec(Diagnostics),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io(path, e) => write!(f, "error: {}: {e}", path.display()),
            Failure::Spec(d) => write!(f, "{d}"),
        }
    }
}

/// What it takes to make the generated files match the generator's output.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to create or overwrite (relative path, contents).
    pub writes: Vec<(String, String)>,
    /// Generated files that are no longer produced (relative paths).
    pub deletes: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty()
    }
}

/// The repository root, from `CARGO_MANIFEST_DIR` of this crate.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Reads the config and every input it names, and runs the generator. Writes nothing.
pub fn run_generator(root: &Path) -> Result<Generated, Failure> {
    let config_text = read(root, CONFIG_FILE)?;
    let config = parse_config(Source {
        file: CONFIG_FILE,
        text: &config_text,
    })
    .map_err(Failure::Spec)?;
    // Every input that cannot be read is reported at the config entry naming it, together.
    let mut inputs = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (m, module) in config.modules.iter().enumerate() {
        let named = std::iter::once((module.spec.as_str(), format!("/modules/{m}/spec"))).chain(
            module
                .overlays
                .iter()
                .enumerate()
                .map(|(o, file)| (file.as_str(), format!("/modules/{m}/overlays/{o}"))),
        );
        for (file, pointer) in named {
            if inputs.contains_key(file) {
                continue;
            }
            match fs::read_to_string(root.join(file)) {
                Ok(text) => {
                    inputs.insert(file.to_owned(), text);
                }
                Err(e) => unreadable.push(
                    Diagnostic::error(
                        Code::MissingInput,
                        CONFIG_FILE,
                        &pointer,
                        format!("cannot read `{file}`: {e}"),
                    )
                    .at_line(locate_line(&config_text, &pointer)),
                ),
            }
        }
    }
    if !unreadable.is_empty() {
        return Err(Failure::Spec(Diagnostics(unreadable)));
    }
    let mut generated = generate(&config, &inputs).map_err(Failure::Spec)?;
    // Keep generated files inside the generated crate's own folders whatever happens.
    let owned = owned_dirs(&generated.crate_dir);
    generated.files.retain(|f| {
        owned
            .iter()
            .any(|dir| f.path.starts_with(&format!("{dir}/")))
    });
    Ok(generated)
}

/// The folders (relative to the root) whose `@generated` files `codegen` owns: the crate's
/// `src/` and `tests/`. `parse_config` has already refused a `crate_dir` with `.`, `..`,
/// absolute or reserved parts.
fn owned_dirs(crate_dir: &str) -> [String; 2] {
    [format!("{crate_dir}/src"), format!("{crate_dir}/tests")]
}

fn read(root: &Path, file: &str) -> Result<String, Failure> {
    let path = root.join(file);
    fs::read_to_string(&path).map_err(|e| Failure::Io(path, e))
}

/// Refuses a path below `root` that goes through a symbolic link (or is one): `codegen`
/// writes and deletes only real files inside the repository.
fn no_links(root: &Path, relative: &str) -> Result<(), Failure> {
    let mut path = root.to_path_buf();
    for part in relative.split('/') {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Failure::Io(
                    path,
                    io::Error::other(
                        "is a symbolic link; codegen writes and deletes only real files inside the repository",
                    ),
                ))
            }
            Ok(_) => {}
            // What does not exist yet is created as a real directory or file.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Failure::Io(path, e)),
        }
    }
    Ok(())
}

/// Compares the generator's output with the disk.
pub fn plan(root: &Path, generated: &Generated) -> Result<Plan, Failure> {
    let mut plan = Plan::default();
    for dir in owned_dirs(&generated.crate_dir) {
        no_links(root, &dir)?;
    }
    for file in &generated.files {
        no_links(root, &file.path)?;
    }
    let produced: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    for file in &generated.files {
        let path = root.join(&file.path);
        match fs::read(&path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => plan.writes.push((file.path.clone(), file.contents.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                plan.writes.push((file.path.clone(), file.contents.clone()))
            }
            Err(e) => return Err(Failure::Io(path, e)),
        }
    }
    let mut existing = Vec::new();
    for dir in owned_dirs(&generated.crate_dir) {
        find_generated(&root.join(dir), &mut existing)?;
    }
    existing.sort();
    existing.dedup();
    for path in existing {
        let relative = path
            .strip_prefix(root)
            .expect("found under the root")
            .to_string_lossy()
            .replace('\\', "/");
        if !produced.contains(&relative.as_str()) {
            plan.deletes.push(relative);
        }
    }
    Ok(plan)
}

/// Every `.rs` file under `dir` whose first line carries the `@generated` marker.
fn find_generated(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Failure::Io(dir.to_path_buf(), e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Failure::Io(dir.to_path_buf(), e))?;
        let path = entry.path();
        // Not followed: a link could lead out of the crate.
        let kind = entry
            .file_type()
            .map_err(|e| Failure::Io(path.clone(), e))?;
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                find_generated(&path, out)?;
            }
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).map_err(|e| Failure::Io(path.clone(), e))?;
            if text.starts_with(GENERATED_MARKER) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Carries out a plan.
pub fn apply(root: &Path, plan: &Plan) -> Result<(), Failure> {
    for (file, contents) in &plan.writes {
        let path = root.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Failure::Io(parent.to_path_buf(), e))?;
        }
        fs::write(&path, contents).map_err(|e| Failure::Io(path.clone(), e))?;
    }
    for file in &plan.deletes {
        let path = root.join(file);
        fs::remove_file(&path).map_err(|e| Failure::Io(path.clone(), e))?;
    }
    Ok(())
}

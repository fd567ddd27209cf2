//! `cargo xtask codegen [--check] [--root DIR]`: regenerate `generated/` from `specs/`.

use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: xtask::alloc::Tracking = xtask::alloc::Tracking;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--root DIR]
       cargo xtask corpus [DIR] [--no-check] [--all-and-none] [--strict]
       cargo xtask bench

  codegen           regenerate generated/ from specs/ (see specs/codegen.yaml)
  codegen --check   change nothing; fail if generated/ is not what specs/ produce
  corpus [DIR]      generate every spec in DIR (default ../shared/corpus) into a scratch
                    crate under target/corpus/ and run clippy -D warnings on each
  --no-check        with corpus: generate and report only, no clippy
  --all-and-none    with corpus: clippy with all resource groups and with none, not with
                    each group alone (for big corpora)
  --strict          with corpus: also fail when an operation had to be skipped
  bench             time generation, the generated code and its compilation, and
                    write BENCHMARKS.md (runs itself in release mode; takes minutes)
  --root DIR        the repository root (default: the one this xtask was built from)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut command = None;
    let mut check = false;
    let mut no_check = false;
    let mut all_and_none = false;
    let mut strict = false;
    let mut corpus_dir: Option<PathBuf> = None;
    let mut root = xtask::default_root();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--no-check" => no_check = true,
            "--all-and-none" => all_and_none = true,
            "--strict" => strict = true,
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => return usage_error("--root needs a directory"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if command.is_none() && !other.starts_with('-') => {
                command = Some(other.to_owned())
            }
            other
                if command.as_deref() == Some("corpus")
                    && corpus_dir.is_none()
                    && !other.starts_with('-') =>
            {
                corpus_dir = Some(PathBuf::from(other))
            }
            other => return usage_error(&format!("unexpected argument `{other}`")),
        }
    }
    match command.as_deref() {
        Some("codegen") => codegen(&root, check),
        Some("bench") => bench(&root),
        Some("corpus") => {
            let dir = corpus_dir.unwrap_or_else(|| root.join("../shared/corpus"));
            let check = match (no_check, all_and_none) {
                (true, _) => xtask::corpus::Check::None,
                (false, true) => xtask::corpus::Check::AllAndNone,
                (false, false) => xtask::corpus::Check::EveryGroup,
            };
            corpus(&root, &dir, check, strict)
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("no command given"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn codegen(root: &std::path::Path, check: bool) -> ExitCode {
    let result = xtask::run_generator(root).and_then(|generated| {
        let plan = xtask::plan(root, &generated)?;
        Ok((generated, plan))
    });
    let (generated, plan) = match result {
        Ok(ok) => ok,
        Err(failure) => {
            eprintln!("{failure}");
            eprintln!("\nnothing was written: generated/ is unchanged");
            return ExitCode::FAILURE;
        }
    };
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    if check {
        if plan.is_empty() {
            println!("generated/ is up to date ({} files)", generated.files.len());
            return ExitCode::SUCCESS;
        }
        eprintln!("generated/ is stale:");
        for (file, _) in &plan.writes {
            eprintln!("  differs: {file}");
        }
        for file in &plan.deletes {
            eprintln!("  no longer generated: {file}");
        }
        eprintln!("run `cargo xtask codegen` and commit the result");
        return ExitCode::FAILURE;
    }
    if let Err(failure) = xtask::apply(root, &plan) {
        eprintln!("{failure}");
        return ExitCode::FAILURE;
    }
    for (file, _) in &plan.writes {
        println!("wrote {file}");
    }
    for file in &plan.deletes {
        println!("deleted {file}");
    }
    println!(
        "{} files generated, {} written, {} deleted",
        generated.files.len(),
        plan.writes.len(),
        plan.deletes.len()
    );
    ExitCode::SUCCESS
}

fn corpus(
    root: &std::path::Path,
    dir: &std::path::Path,
    check: xtask::corpus::Check,
    strict: bool,
) -> ExitCode {
    let specs = match xtask::corpus::specs_in(dir) {
        Ok(specs) if !specs.is_empty() => specs,
        Ok(_) => {
            eprintln!(
                "error: no *.yaml, *.yml or *.json spec in {}",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let mut rows = Vec::new();
    for spec in &specs {
        eprintln!("corpus: {}", spec.display());
        let row = xtask::corpus::run_spec(root, spec, check);
        if let Err(e) = &row.result {
            eprintln!("{e}");
        }
        rows.push(row);
    }
    print!("{}", xtask::corpus::table(&rows));
    let skipped: usize = rows.iter().map(|r| r.skipped_operations).sum();
    if strict && skipped > 0 {
        eprintln!("error: {skipped} operation(s) skipped (--strict)");
        return ExitCode::FAILURE;
    }
    if rows.iter().all(|r| r.result.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn bench(root: &std::path::Path) -> ExitCode {
    if cfg!(debug_assertions) {
        // Timings of a debug build say nothing: run again in release mode.
        let status = std::process::Command::new(
            std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
        )
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "--",
            "bench",
            "--root",
        ])
        .arg(root)
        .status();
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            _ => ExitCode::FAILURE,
        };
    }
    let corpus = root.join("../shared/corpus/cashfree-pg-2025-01-01.yaml");
    let corpus = corpus.exists().then_some(corpus.as_path());
    match xtask::bench::run(root, corpus) {
        Ok(markdown) => {
            if let Err(e) = std::fs::write(root.join("BENCHMARKS.md"), &markdown) {
                eprintln!("error: BENCHMARKS.md: {e}");
                return ExitCode::FAILURE;
            }
            print!("{markdown}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

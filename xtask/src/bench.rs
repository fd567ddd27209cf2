//! `cargo xtask bench`: what the generator, the generated code and its compilation cost, on
//! this machine, written to BENCHMARKS.md. Targets are reported, never asserted.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Instant, SystemTime};

use paylinks_generator::{profile_module, EmitOptions, Profile, Source};

/// A spec (with its overlays) to time.
struct Input {
    name: &'static str,
    spec: (String, String),
    overlays: Vec<(String, String)>,
}

fn read(root: &Path, file: &str) -> Result<(String, String), String> {
    let text = fs::read_to_string(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
    Ok((file.to_owned(), text))
}

fn options() -> EmitOptions {
    EmitOptions::crate_module("crate::runtime", "bench", "api", false)
        .expect("fixed paths are Rust paths")
}

/// Runs the pipeline `runs` times (after a warm-up) and keeps the median of every stage.
fn profile(input: &Input, runs: usize) -> Result<(Profile, usize), String> {
    let spec = Source {
        file: &input.spec.0,
        text: &input.spec.1,
    };
    let overlays: Vec<Source<'_>> = input
        .overlays
        .iter()
        .map(|(f, t)| Source { file: f, text: t })
        .collect();
    let options = options();
    profile_module(spec, &overlays, &options).map_err(|d| d.to_string())?;
    let before = crate::alloc::reset_peak();
    let mut runs_done: Vec<Profile> = Vec::new();
    for _ in 0..runs {
        runs_done.push(profile_module(spec, &overlays, &options).map_err(|d| d.to_string())?);
    }
    let peak = crate::alloc::peak().saturating_sub(before);
    let mut median = runs_done[0].clone();
    for (i, stage) in median.stages.iter_mut().enumerate() {
        let mut times: Vec<f64> = runs_done.iter().map(|p| p.stages[i].1).collect();
        times.sort_by(f64::total_cmp);
        stage.1 = times[times.len() / 2];
    }
    Ok((median, peak))
}

fn total(p: &Profile) -> f64 {
    p.stages.iter().map(|(_, s)| s).sum()
}

fn ms(seconds: f64) -> String {
    format!("{:.1}", seconds * 1000.0)
}

/// A synthetic spec of `units` copies of a small resource (schemas and four operations).
pub fn synthetic_spec(units: usize) -> String {
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..units {
        let _ = write!(
            paths,
            "  /things{i}:\n    post:\n      operationId: createThing{i}\n      parameters:\n        - {{name: x-request-id, in: header, schema: {{type: string}}}}\n      requestBody:\n        required: true\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{i}'}}}}}}\n      responses:\n        '200': {{description: OK, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{i}'}}}}}}}}\n        '400': {{description: Bad, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem{i}'}}}}}}}}\n    get:\n      operationId: listThings{i}\n      parameters:\n        - {{name: status, in: query, schema: {{type: array, items: {{type: string}}}}}}\n        - {{name: limit, in: query, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: OK, content: {{application/json: {{schema: {{type: array, items: {{$ref: '#/components/schemas/Thing{i}'}}}}}}}}}}\n  /things{i}/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n    get:\n      operationId: getThing{i}\n      responses:\n        '200': {{description: OK, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{i}'}}}}}}}}\n        '404': {{description: Missing, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem{i}'}}}}}}}}\n    patch:\n      operationId: updateThing{i}\n      requestBody:\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{i}'}}}}}}\n      responses:\n        '200': {{description: OK}}\n"
        );
        let _ = write!(
            schemas,
            "    Thing{i}:\n      type: object\n      description: A thing.\n      required: [id, amount]\n      properties:\n        id: {{type: string, maxLength: 40, pattern: '^[a-z0-9_]+$'}}\n        amount: {{type: number, format: decimal, minimum: 0, multipleOf: 0.01}}\n        status: {{type: string, enum: [created, paid, expired, cancelled, refunded]}}\n        tags: {{type: array, maxItems: 10, items: {{type: string, maxLength: 20}}}}\n        notes: {{type: object, maxProperties: 15, additionalProperties: {{type: string}}}}\n        owner: {{$ref: '#/components/schemas/Owner{i}'}}\n        created_at: {{type: string, format: date-time}}\n        shipping:\n          type: object\n          properties:\n            line1: {{type: string}}\n            city: {{type: string}}\n            pin: {{type: string, pattern: '^[0-9]{{6}}$'}}\n      x-paylinks-rules:\n        - {{id: positive_amount, field: amount, message: must be positive, source: synthetic, then: {{multiple_of: [amount, 0.01]}}}}\n    Owner{i}:\n      type: object\n      properties:\n        name: {{type: string}}\n        email: {{type: string, format: email}}\n        parent: {{$ref: '#/components/schemas/Owner{i}'}}\n    Problem{i}:\n      type: object\n      properties:\n        message: {{type: string}}\n        code: {{type: string}}\n"
        );
    }
    format!("openapi: 3.0.3\ninfo: {{title: synthetic, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n{schemas}")
}

fn timed(mut command: Command) -> Result<f64, String> {
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n"));
    }
    Ok(started.elapsed().as_secs_f64())
}

fn cargo(dir: &Path, args: &[&str], target_dir: Option<&Path>) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.args(args).current_dir(dir);
    if let Some(t) = target_dir {
        command.env("CARGO_TARGET_DIR", t);
    }
    command
}

/// Marks a file as changed without changing its bytes.
fn touch(path: &Path) -> Result<(), String> {
    let file = fs::File::options()
        .append(true)
        .open(path)
        .map_err(|e| e.to_string())?;
    file.set_modified(SystemTime::now())
        .map_err(|e| e.to_string())
}

/// Crate-only compile times (dependencies already built for that command): clean and after
/// touching `src/lib.rs`, for `cargo check` and `cargo build`.
fn compile_costs(
    dir: &Path,
    package: &str,
    target_dir: Option<&Path>,
    features: &[&str],
) -> Result<[f64; 4], String> {
    let lib = dir.join("src/lib.rs");
    let mut out = [0.0; 4];
    for (i, verb) in ["check", "build"].into_iter().enumerate() {
        let run = || {
            let mut command = cargo(dir, &[verb, "--quiet", "--lib", "-p", package], target_dir);
            command.args(features);
            command
        };
        // The same command first, so that only the crate itself is timed.
        timed(run())?;
        timed(cargo(dir, &["clean", "--quiet", "-p", package], target_dir))?;
        out[i * 2] = timed(run())?;
        touch(&lib)?;
        out[i * 2 + 1] = timed(run())?;
    }
    Ok(out)
}

/// With a nightly toolchain: how much of `paylinks`' compilation is serde derives. rustc's
/// `-Z time-passes` gives macro expansion against the total, and the expanded crate shows
/// how much of the code the compiler then checks and translates came from the derives.
fn serde_share(root: &Path) -> String {
    let target = root.join("target/nightly");
    let nightly = |extra: &[&str]| {
        let mut command = Command::new("cargo");
        command
            .args([
                "+nightly", "rustc", "--quiet", "-p", "paylinks", "--lib", "--",
            ])
            .args(extra)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0");
        command.output().ok().filter(|o| o.status.success())
    };
    // Touch so that rustc runs again and prints its passes.
    let _ = touch(&root.join("generated/src/lib.rs"));
    let Some(passes) = nightly(&["-Z", "time-passes"]) else {
        return "Not measured: it needs a nightly toolchain (`cargo +nightly`).\n".to_owned();
    };
    let passes = String::from_utf8_lossy(&passes.stderr).into_owned()
        + &String::from_utf8_lossy(&passes.stdout);
    let seconds = |pass: &str| -> Option<f64> {
        passes
            .lines()
            .find(|l| {
                l.trim_end().ends_with(&format!("\t{pass}"))
                    || l.trim_end().ends_with(&format!(" {pass}"))
            })?
            .split(';')
            .next()?
            .trim_start_matches("time:")
            .trim()
            .parse()
            .ok()
    };
    let Some(expanded) = nightly(&["-Z", "unpretty=expanded"]) else {
        return "Not measured: `-Z unpretty=expanded` failed.\n".to_owned();
    };
    let expanded = String::from_utf8_lossy(&expanded.stdout).into_owned();
    let lines: Vec<&str> = expanded.lines().collect();
    let (mut serde, mut i) = (0usize, 0usize);
    while i < lines.len() {
        if lines[i].trim() == "const _: () =" {
            let (mut j, mut depth, mut started, start) = (i + 1, 0i64, false, i);
            while j < lines.len() {
                depth +=
                    lines[j].matches('{').count() as i64 - lines[j].matches('}').count() as i64;
                started |= lines[j].contains('{');
                j += 1;
                if started && depth <= 0 {
                    break;
                }
            }
            if lines[start..j].iter().any(|l| l.contains("_serde")) {
                serde += j - start;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    match (seconds("macro_expand_crate").or_else(|| seconds("expand_crate")), seconds("total")) {
        (Some(expand), Some(total)) => format!(
            "`paylinks` with nightly rustc `-Z time-passes`: macro expansion {expand:.2} s of {total:.2} s ({:.0}%). Of the {} lines of the expanded crate, {} ({:.0}%) are serde derive output, which the later passes (type checking, borrow checking, code generation: most of the time) then work through.\n",
            100.0 * expand / total,
            lines.len(),
            serde,
            100.0 * serde as f64 / lines.len().max(1) as f64
        ),
        _ => "Not measured: `-Z time-passes` output not recognized.\n".to_owned(),
    }
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
            })
        })
        .map_or("unknown".to_owned(), |kb| {
            format!("{:.1} GiB", kb as f64 / 1_048_576.0)
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {memory} memory, {rustc}")
}

/// Runs every benchmark and returns BENCHMARKS.md.
pub fn run(root: &Path, corpus: Option<&Path>) -> Result<String, String> {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n\nWritten by `cargo xtask bench` (do not edit by hand; run it again). Machine: {}.\n", machine());

    // 1. Generation.
    let mut inputs = vec![
        Input {
            name: "Cashfree links 2022-09-01 (+ overlay)",
            spec: read(root, "specs/cashfree/links-2022-09-01.yaml")?,
            overlays: vec![read(root, "specs/cashfree/overlay.yaml")?],
        },
        Input {
            name: "Razorpay payment links (ours)",
            spec: read(root, "specs/razorpay/payment-links.yaml")?,
            overlays: vec![],
        },
    ];
    if let Some(corpus) = corpus {
        let text = fs::read_to_string(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        inputs.push(Input {
            name: "Cashfree PG 2025-01-01 (full corpus)",
            spec: ("corpus.yaml".to_owned(), text),
            overlays: vec![],
        });
    }
    md.push_str("## Generation, whole pipeline in process (release build)\n\nMedian of the runs; stages in ms. Peak memory is the most heap in use during the runs, above what was in use before.\n\n");
    md.push_str("| spec | operations | types | lines | parse | overlay | openapi | lower | check | emit | format | total ms | peak heap |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut totals = Vec::new();
    for input in &inputs {
        let runs = if input.spec.1.len() > 100_000 { 9 } else { 41 };
        let (p, peak) = profile(input, runs)?;
        let stages: Vec<String> = p.stages.iter().map(|(_, s)| ms(*s)).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {:.1} MiB |",
            input.name,
            p.operations,
            p.types,
            p.lines,
            stages.join(" | "),
            ms(total(&p)),
            peak as f64 / 1_048_576.0
        );
        totals.push(total(&p));
    }

    // 2. Scaling.
    md.push_str("\n## Scaling on synthetic specs\n\nA unit is 3 schemas (rules, patterns, enums, maps, recursion) and 4 operations; the base is 10 units. Stages in ms.\n\n| size | units | spec KiB | parse | overlay | openapi | lower | check | emit | format | total ms | ms per unit | time / base time |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut base = 0.0;
    let mut scaling = Vec::new();
    for factor in [1usize, 2, 4, 8, 16] {
        let text = synthetic_spec(10 * factor);
        let input = Input {
            name: "synthetic",
            spec: ("synthetic.yaml".to_owned(), text.clone()),
            overlays: vec![],
        };
        let (p, _) = profile(&input, if factor >= 8 { 5 } else { 11 })?;
        let t = total(&p);
        if factor == 1 {
            base = t;
        }
        let stages: Vec<String> = p.stages.iter().map(|(_, s)| ms(*s)).collect();
        let _ = writeln!(
            md,
            "| {factor}× | {} | {} | {} | {} | {:.2} | {:.2} |",
            10 * factor,
            text.len() / 1024,
            stages.join(" | "),
            ms(t),
            t * 1000.0 / (10 * factor) as f64,
            t / base
        );
        scaling.push(t / base);
    }

    // 3. Runtime.
    md.push_str("\n## Runtime of the generated code\n\n`cargo bench -p paylinks --bench runtime` (release; hand-written structs of the same shape are the floor):\n\n");
    let output = cargo(
        root,
        &["bench", "--quiet", "-p", "paylinks", "--bench", "runtime"],
        None,
    )
    .output()
    .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let runtime = String::from_utf8_lossy(&output.stdout).into_owned();
    md.push_str(&runtime);
    let number = |needle: &str, column: usize| -> Option<f64> {
        runtime
            .lines()
            .find(|l| l.contains(needle))?
            .split('|')
            .nth(column)?
            .trim()
            .parse()
            .ok()
    };

    // 4. Compile cost.
    md.push_str("\n## Compile cost of the generated code (dev profile, the crate alone; dependencies built)\n\n| crate | lines | check clean s | check incremental s | build clean s | build incremental s |\n|---|---:|---:|---:|---:|---:|\n");
    let paylinks_lines: usize = ["cashfree", "razorpay"]
        .iter()
        .flat_map(|m| {
            ["mod.rs", "models.rs", "validate.rs", "client.rs"]
                .map(|f| root.join(format!("generated/src/{m}/{f}")))
        })
        .filter_map(|p| fs::read_to_string(p).ok())
        .map(|t| t.lines().count())
        .sum();
    let costs = compile_costs(&root.join("generated"), "paylinks", None, &[])?;
    let _ = writeln!(
        md,
        "| paylinks (both gateways) | {paylinks_lines} | {:.2} | {:.2} | {:.2} | {:.2} |",
        costs[0], costs[1], costs[2], costs[3]
    );
    let mut corpus_build = None;
    if let Some(corpus) = corpus {
        let (dir, name, lines) = crate::corpus::prepare_crate(root, corpus)?;
        let target = root.join("target/corpus-target");
        let costs = compile_costs(&dir, &name, Some(&target), &[])?;
        let _ = writeln!(md, "| full Cashfree PG corpus, all resource groups | {lines} | {:.2} | {:.2} | {:.2} | {:.2} |", costs[0], costs[1], costs[2], costs[3]);
        corpus_build = Some(costs[3]);
        let one = compile_costs(
            &dir,
            &name,
            Some(&target),
            &["--no-default-features", "--features", "payment_links"],
        )?;
        let _ = writeln!(md, "| full Cashfree PG corpus, only `payment_links` | {lines} | {:.2} | {:.2} | {:.2} | {:.2} |", one[0], one[1], one[2], one[3]);
    }

    md.push_str("\n### Serde derives\n\n");
    md.push_str(&serde_share(root));
    md.push_str("\nCargo features: each gateway is a feature of `paylinks` (`cashfree`, `razorpay`, both on by default), so a user of one compiles only that one. The corpus crate has one feature per resource group (OpenAPI tag): each operation, and the types only its group needs, sit behind that feature (see the last row of the compile table).\n");

    // 5. Targets.
    md.push_str("\n## Targets\n\n| target | measured | result |\n|---|---|---|\n");
    let verdict = |ok: bool| if ok { "met" } else { "missed" };
    if let Some(t) = totals.get(2) {
        let _ = writeln!(
            md,
            "| full corpus, whole pipeline < 250 ms | {} ms | {} |",
            ms(*t),
            verdict(*t < 0.25)
        );
    }
    let seeds = totals[0] + totals[1];
    let _ = writeln!(
        md,
        "| both seed specs together < 20 ms | {} ms | {} |",
        ms(seeds),
        verdict(seeds < 0.02)
    );
    let worst = scaling.last().copied().unwrap_or(0.0);
    let _ = writeln!(
        md,
        "| 16× input ≤ 18× time | {worst:.2}× | {} |",
        verdict(worst <= 18.0)
    );
    for (name, needle) in [
        ("Cashfree LinkEntity", "Cashfree LinkEntity: deserialize:"),
        ("Cashfree LinkEntity", "Cashfree LinkEntity: serialize:"),
        ("Razorpay PaymentLink", "Razorpay PaymentLink: deserialize:"),
        ("Razorpay PaymentLink", "Razorpay PaymentLink: serialize:"),
    ] {
        if let Some(r) = number(needle, 2) {
            let what = if needle.contains("deserialize") {
                "deserialize"
            } else {
                "serialize"
            };
            let _ = writeln!(
                md,
                "| {name} {what} within 5% of hand-written | {r:.3}× | {} |",
                verdict(r <= 1.05)
            );
        }
    }
    for needle in [
        "Cashfree CreateLinkRequest (seed): validate_at",
        "Razorpay CreatePaymentLinkRequest (seed): validate_at",
    ] {
        if let (Some(ns), Some(allocs)) = (number(needle, 2), number(needle, 3)) {
            let _ = writeln!(
                md,
                "| {needle} < 1 µs, 0 allocations | {ns:.0} ns, {allocs} allocations | {} |",
                verdict(ns < 1000.0 && allocs == 0.0)
            );
        }
    }
    if let Some(b) = corpus_build {
        let _ = writeln!(md, "| full-corpus crate, incremental build ≤ 4.3 s (progenitor's output) | {b:.2} s | {} |", verdict(b <= 4.3));
    }
    Ok(md)
}

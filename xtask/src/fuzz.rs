//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs every cargo-fuzz target of `fuzz/` for N
//! seconds (default 60) and prints, per target, seconds, executions, corpus size and crashes.
//!
//! cargo-fuzz passes `-Zsanitizer=address`, a nightly flag; `RUSTC_BOOTSTRAP=1` lets the
//! stable toolchain take it (checked with Rust 1.95 stable on x86_64 Linux), so a fresh
//! machine with only stable needs no nightly. The committed seeds in `fuzz/corpus/<target>/`
//! are read, never written: what the fuzzer adds goes to `fuzz/target/corpus/<target>/`
//! (ignored by git, kept between runs), so the repository's corpus stays small.

use crate::system::{self, workspace_root};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// libFuzzer's options for every target: a hostile input may use at most 2 GiB and
/// 10 s, as on a show-floor station; longer is a finding (`oom-*`, `timeout-*`).
const COMMON_OPTIONS: &[&str] = &["-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1"];

/// Where `fuzz/` keeps its longest inputs: a frame line is 2.5 kB, a small model with its
/// files a few hundred; longer inputs only slow mutation down.
fn max_len(target: &str) -> usize {
    match target {
        "gltf_load" => 256 * 1024,
        "trace_reader" | "catalog_parse" => 64 * 1024,
        _ => 16 * 1024,
    }
}

struct Outcome {
    target: String,
    seconds: f64,
    executions: u64,
    corpus: usize,
    crashes: Vec<PathBuf>,
}

/// Runs the fuzz command line.
pub fn main(args: &[String]) -> anyhow::Result<()> {
    let mut seconds = 60u64;
    let mut only = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                let v = it.next().context("--seconds needs a number")?;
                seconds = v
                    .parse()
                    .with_context(|| format!("--seconds {v:?} is not a whole number"))?;
            }
            name if !name.starts_with('-') => only.push(name.to_owned()),
            other => bail!(
                "unknown option {other:?} (usage: cargo xtask fuzz [--seconds N] [TARGET...])"
            ),
        }
    }
    ensure_cargo_fuzz()?;
    let targets = list_targets()?;
    let unknown: Vec<&String> = only.iter().filter(|t| !targets.contains(t)).collect();
    if !unknown.is_empty() {
        bail!(
            "no fuzz target {unknown:?}; targets: {}",
            targets.join(", ")
        );
    }
    let chosen: Vec<String> = if only.is_empty() { targets } else { only };
    system::run("cargo fuzz build", &mut fuzz_command(&["build"]))?;
    let mut outcomes = Vec::new();
    for target in &chosen {
        outcomes.push(run_target(target, seconds)?);
    }
    print_table(&outcomes);
    let crashed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.crashes.is_empty())
        .map(|o| o.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        bail!(
            "crashes in {}: make each a regression test (see README, Hostile input), then fix",
            crashed.join(", ")
        )
    }
}

fn fuzz_dir() -> PathBuf {
    workspace_root().join("fuzz")
}

/// `cargo fuzz ARGS` in `fuzz/`, with the stable toolchain allowed nightly flags.
fn fuzz_command(args: &[&str]) -> Command {
    let mut c = system::cargo(&["fuzz"]);
    c.args(args)
        .current_dir(fuzz_dir())
        .env("RUSTC_BOOTSTRAP", "1");
    c
}

fn ensure_cargo_fuzz() -> anyhow::Result<()> {
    let present = system::cargo(&["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    system::run(
        "cargo install cargo-fuzz --locked",
        &mut system::cargo(&["install", "cargo-fuzz", "--locked"]),
    )
}

fn list_targets() -> anyhow::Result<Vec<String>> {
    let out = fuzz_command(&["list"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo fuzz list")?;
    if !out.status.success() {
        bail!("cargo fuzz list failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Seed folders read besides the committed corpus: the shared sample traces and glTF
/// corpus, where this checkout has them (a user's clone does not).
fn extra_seeds(target: &str) -> anyhow::Result<Vec<PathBuf>> {
    let shared = workspace_root().join("..").join("shared");
    Ok(match target {
        "trace_reader" => vec![shared.join("gesture-traces")],
        "gltf_load" => {
            let corpus = shared.join("gltf-corpus");
            if corpus.join("MANIFEST.tsv").is_file() {
                vec![pack_gltf_corpus(&corpus, max_len(target))?]
            } else {
                vec![]
            }
        }
        _ => vec![],
    }
    .into_iter()
    .filter(|d| d.is_dir())
    .collect())
}

/// The separator the `gltf_load` target splits its input on (`fuzz/src/lib.rs`).
const PART_SEPARATOR: &[u8] = b"\n%%roomwave-part:";

/// Packs each model of the shared glTF corpus with the files beside it into one fuzz
/// input (`MAIN (SEP NAME "\n" BYTES)*`), leaving out those larger than `limit`.
fn pack_gltf_corpus(corpus: &Path, limit: usize) -> anyhow::Result<PathBuf> {
    let out = fuzz_dir().join("target").join("seeds").join("gltf_load");
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let manifest =
        std::fs::read_to_string(corpus.join("MANIFEST.tsv")).context("cannot read MANIFEST.tsv")?;
    for (row, line) in manifest.lines().skip(1).enumerate() {
        let Some(rel) = line.split('\t').next().filter(|p| !p.is_empty()) else {
            continue;
        };
        let main = corpus.join(rel);
        let Ok(mut packed) = std::fs::read(&main) else {
            continue;
        };
        let dir = main.parent().unwrap_or(corpus);
        let mut siblings: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && *p != main)
            .collect();
        siblings.sort();
        for s in siblings {
            let (Some(name), Ok(bytes)) =
                (s.file_name().and_then(|n| n.to_str()), std::fs::read(&s))
            else {
                continue;
            };
            packed.extend_from_slice(PART_SEPARATOR);
            packed.extend_from_slice(name.as_bytes());
            packed.push(b'\n');
            packed.extend_from_slice(&bytes);
        }
        if packed.len() <= limit {
            std::fs::write(out.join(format!("row{row:03}")), packed)?;
        }
    }
    Ok(out)
}

fn artifacts(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("artifacts").join(target);
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn run_target(target: &str, seconds: u64) -> anyhow::Result<Outcome> {
    let work = fuzz_dir().join("target").join("corpus").join(target);
    std::fs::create_dir_all(&work)?;
    let seeds = fuzz_dir().join("corpus").join(target);
    let logs = fuzz_dir().join("target").join("logs");
    std::fs::create_dir_all(&logs)?;
    let log_path = logs.join(format!("{target}.log"));
    let before = artifacts(target);
    let mut cmd = fuzz_command(&["run", target]);
    cmd.arg(&work)
        .arg(&seeds)
        .args(extra_seeds(target)?)
        .arg("--");
    cmd.arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={}", max_len(target)))
        .args(COMMON_OPTIONS);
    let log = std::fs::File::create(&log_path)?;
    println!(
        "xtask: fuzzing {target} for {seconds} s (log: {})",
        log_path.display()
    );
    let started = Instant::now();
    let status = cmd
        .stdout(log.try_clone()?)
        .stderr(log)
        .status()
        .context("cannot run cargo fuzz run")?;
    let elapsed = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let crashes: Vec<PathBuf> = artifacts(target)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    if !status.success() && crashes.is_empty() {
        bail!(
            "fuzzing {target} failed ({status}) without an artifact: see {}",
            log_path.display()
        );
    }
    for c in &crashes {
        println!("xtask: {target}: FOUND {}", c.display());
    }
    Ok(Outcome {
        target: target.to_owned(),
        seconds: done_seconds(&text).unwrap_or(elapsed),
        executions: stat(&text, "stat::number_of_executed_units").unwrap_or(0.0) as u64,
        corpus: std::fs::read_dir(&work).map_or(0, |d| d.count()),
        crashes,
    })
}

/// A `stat::NAME: VALUE` line of libFuzzer's final statistics.
fn stat(log: &str, name: &str) -> Option<f64> {
    log.lines().rev().find_map(|l| {
        l.strip_prefix(name)?
            .trim_start_matches(':')
            .trim()
            .parse()
            .ok()
    })
}

/// libFuzzer's own "Done N runs in S second(s)".
fn done_seconds(log: &str) -> Option<f64> {
    let line = log.lines().rev().find(|l| l.starts_with("Done "))?;
    line.split(" in ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn print_table(outcomes: &[Outcome]) {
    println!("\n| target | seconds | executions | exec/s | corpus | crashes |");
    println!("|---|---|---|---|---|---|");
    for o in outcomes {
        let rate = o.executions as f64 / o.seconds.max(1e-9);
        println!(
            "| {} | {:.0} | {} | {:.0} | {} | {} |",
            o.target,
            o.seconds,
            o.executions,
            rate,
            o.corpus,
            o.crashes.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_final_statistics() {
        let log = "#1024\tpulse  cov: 12\nDone 558839 runs in 11 second(s)\n\
                   stat::number_of_executed_units: 558839\nstat::peak_rss_mb: 40\n";
        assert_eq!(stat(log, "stat::number_of_executed_units"), Some(558839.0));
        assert_eq!(stat(log, "stat::peak_rss_mb"), Some(40.0));
        assert_eq!(done_seconds(log), Some(11.0));
        assert_eq!(stat("", "stat::peak_rss_mb"), None);
    }
}

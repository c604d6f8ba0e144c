//! Loading speed and peak memory of the default catalog (parse, every model's
//! textures decoded with full mip chains, one scene per option and the bare
//! house), and of the valid models of `../shared/gltf-corpus` when it is there.
//!
//! Run: `cargo bench --bench catalog_load` (`ROOMWAVE_BENCH_RUNS=N`, default 5).
//! Prints MB/s of input (the catalog text plus every model file) and the peak
//! resident memory (VmHWM from /proc/self/status) after each part.

#[path = "support/corpus.rs"]
mod corpus;

use roomwave::catalog::{CatalogLimits, EMBEDDED_FILES, load_default_catalog};
use roomwave::scene::gltf::{LoadLimits, load_model};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Peak resident set size of this process so far, in MiB (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn report(what: &str, bytes: u64, times: Vec<Duration>) {
    let runs = times.len();
    let best = *times.iter().min().unwrap_or(&Duration::ZERO);
    let m = median(times);
    let mb = bytes as f64 / 1e6;
    println!(
        "{what}: {mb:.2} MB in, median {:.0} ms, best {:.0} ms over {runs} runs: {:.1} MB/s (best {:.1}); peak RSS {}",
        m.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        mb / m.as_secs_f64(),
        mb / best.as_secs_f64(),
        peak_rss_mib().map_or("unknown".into(), |p| format!("{p:.0} MiB"))
    );
}

/// The valid corpus models and their input sizes.
fn corpus_models() -> Vec<(PathBuf, u64)> {
    corpus::valid_models().unwrap_or_else(|| {
        println!(
            "{} is absent: corpus not measured",
            corpus::corpus_dir().display()
        );
        Vec::new()
    })
}

fn main() {
    let runs: usize = std::env::var("ROOMWAVE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let limits = CatalogLimits::default();
    let bytes: u64 = EMBEDDED_FILES.iter().map(|(_, b)| b.len() as u64).sum();
    let mut times = Vec::with_capacity(runs);
    let mut summary = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        let loaded = load_default_catalog(&limits).expect("the default catalog loads");
        times.push(started.elapsed());
        let triangles: usize = loaded
            .options
            .iter()
            .map(|o| o.scene.triangle_count())
            .sum();
        summary = format!(
            "{} options, {} models, {} triangles over all option scenes",
            loaded.options.len(),
            loaded.models.len(),
            triangles
        );
    }
    println!("default catalog: {summary}");
    report("default catalog", bytes, times);

    let models = corpus_models();
    if models.is_empty() {
        return;
    }
    let model_limits = LoadLimits::default();
    let total: u64 = models.iter().map(|(_, b)| b).sum();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        for (path, _) in &models {
            load_model(path, &model_limits).expect("a valid corpus model loads");
        }
        times.push(started.elapsed());
    }
    report(
        &format!("gltf corpus ({} valid models, one at a time)", models.len()),
        total,
        times,
    );
}

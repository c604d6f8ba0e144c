//! Loading speed of the valid shared-corpus models (textures decoded, mips built), as
//! MB/s of input (the model file plus its .bin and images).
//!
//! Run: `cargo bench --bench gltf_load` (needs `../shared/gltf-corpus`; without it the
//! benchmark says so and measures nothing).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use roomwave::scene::gltf::{LoadLimits, load_model};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Valid corpus models and their input size in bytes (every file in the variant folder).
fn valid_models() -> Vec<(String, PathBuf, u64)> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gltf-corpus");
    let Ok(manifest) = std::fs::read_to_string(corpus.join("MANIFEST.tsv")) else {
        eprintln!("{} is absent: nothing to benchmark", corpus.display());
        return Vec::new();
    };
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() > 4 && cols[4] == "load+render").then(|| corpus.join(cols[0]))
        })
        .map(|path| {
            let bytes = path
                .parent()
                .and_then(|d| std::fs::read_dir(d).ok())
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum();
            let name = path
                .strip_prefix(&corpus)
                .unwrap_or(&path)
                .display()
                .to_string()
                .replace('/', "_");
            (name, path, bytes)
        })
        .collect()
}

fn bench_corpus(c: &mut Criterion) {
    let models = valid_models();
    let limits = LoadLimits::default();
    let mut group = c.benchmark_group("gltf_load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300));
    for (name, path, bytes) in &models {
        group.throughput(Throughput::Bytes(*bytes));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| load_model(path, &limits).expect("a valid corpus model loads"))
        });
    }
    let total: u64 = models.iter().map(|m| m.2).sum();
    if total > 0 {
        group.throughput(Throughput::Bytes(total));
        group.bench_function("all_valid_models", |b| {
            b.iter(|| {
                for (_, path, _) in &models {
                    load_model(path, &limits).expect("a valid corpus model loads");
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_corpus);
criterion_main!(benches);

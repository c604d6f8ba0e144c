//! Loading speed of the valid shared-corpus models (textures decoded, mips built), as
//! MB/s of input (the model file plus its .bin and images).
//!
//! Run: `cargo bench --bench gltf_load` (needs `../shared/gltf-corpus`; without it the
//! benchmark says so and measures nothing).

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use roomwave::scene::gltf::{LoadLimits, load_model};
use std::path::PathBuf;
use std::time::Duration;

/// Valid corpus models, named by their path in the corpus, and their input size.
fn valid_models() -> Vec<(String, PathBuf, u64)> {
    let corpus_dir = corpus::corpus_dir();
    let Some(models) = corpus::valid_models() else {
        eprintln!("{} is absent: nothing to benchmark", corpus_dir.display());
        return Vec::new();
    };
    models
        .into_iter()
        .map(|(path, bytes)| {
            let name = path
                .strip_prefix(&corpus_dir)
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

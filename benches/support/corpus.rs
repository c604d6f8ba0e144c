//! The valid models of `../shared/gltf-corpus`, shared by the loading benches.

use std::path::{Path, PathBuf};

/// The corpus folder (beside the repository; absent from a user's clone).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gltf-corpus")
}

/// Models the manifest expects to load and render, with their input size in
/// bytes (every file in the model's folder: the file plus its .bin and
/// images); `None` when the corpus is absent.
pub fn valid_models() -> Option<Vec<(PathBuf, u64)>> {
    let corpus = corpus_dir();
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).ok()?;
    let models = manifest
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
            (path, bytes)
        })
        .collect();
    Some(models)
}

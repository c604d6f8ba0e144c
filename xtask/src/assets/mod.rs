//! `cargo xtask assets [--out DIR]`: writes the default furniture models (the contract
//! in the catalog's model table: file names, sizes, variant names) as deterministic
//! `.glb` files, so the committed files can be checked by regenerating them.

mod decor;
mod geometry;
mod lamps;
mod materials;
mod noise;
mod parts;
mod pictures;
mod seating;
mod shapes;
mod storage;
mod tables;
mod textiles;
mod textures;
mod writer;

#[cfg(test)]
mod tests;

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use writer::{Model, TextureCache};

/// Where the models live in the repository.
pub const DEFAULT_OUT: &str = "assets/models";

/// A function that builds one model.
pub type Build = fn() -> Model;

/// Every model: its file stem and the function that builds it.
pub const MODELS: &[(&str, Build)] = &[
    ("sofa", seating::sofa),
    ("armchair", seating::armchair),
    ("coffee_table", tables::coffee_table),
    ("side_table", tables::side_table),
    ("dining_table", tables::dining_table),
    ("dining_chair", seating::dining_chair),
    ("sideboard", storage::sideboard),
    ("bookshelf", storage::bookshelf),
    ("stool", seating::stool),
    ("floor_lamp", lamps::floor_lamp),
    ("pendant_lamp", lamps::pendant_lamp),
    ("table_lamp", lamps::table_lamp),
    ("rug", textiles::rug),
    ("plant", decor::plant),
    ("wall_art", decor::wall_art),
    ("curtains", textiles::curtains),
];

/// What one written file holds.
pub struct Written {
    /// The file written.
    pub path: PathBuf,
    /// Triangles over all primitives.
    pub triangles: usize,
    /// File size.
    pub bytes: usize,
}

/// Builds every model and writes `DIR/<name>.glb`.
pub fn generate(out: &Path) -> anyhow::Result<Vec<Written>> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut cache = TextureCache::default();
    let mut written = Vec::with_capacity(MODELS.len());
    for (name, build) in MODELS {
        let model = build();
        let bytes =
            writer::glb(&model, &mut cache).with_context(|| format!("building {name}.glb"))?;
        let path = out.join(format!("{name}.glb"));
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push(Written {
            path,
            triangles: model.triangle_count(),
            bytes: bytes.len(),
        });
    }
    Ok(written)
}

/// The `assets` subcommand.
pub fn main(args: &[String]) -> anyhow::Result<()> {
    let out = match args {
        [] => PathBuf::from(DEFAULT_OUT),
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        other => bail!("assets: expected [--out DIR], got {other:?}"),
    };
    let written = generate(&out)?;
    let mut total = 0;
    for w in &written {
        println!(
            "wrote {} ({} triangles, {} bytes)",
            w.path.display(),
            w.triangles,
            w.bytes
        );
        total += w.bytes;
    }
    println!("{} models, {total} bytes in all", written.len());
    Ok(())
}

//! `roomwave check PATH`: load a model or a catalog exactly as the renderer would
//! and print a summary.

use anyhow::Context;
use roomwave::catalog::{CatalogLimits, LoadedCatalog, load_catalog, load_default_catalog};
use roomwave::scene::Scene;
use roomwave::scene::gltf::check_model;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `roomwave check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The `.gltf` or `.glb` file, or the catalog (`.toml`), to check.
    path: PathBuf,
}

/// Prints the summary and exits 0, or prints file, place and problem and exits 1.
pub fn main(args: CheckArgs) -> anyhow::Result<ExitCode> {
    // The loader turns a dependency's panic into an error (printed below); the default
    // hook would also print the panic with a backtrace, as if the program had crashed.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "roomwave check: a dependency failed on this input ({info}); reported as an error"
        );
    }));
    if args.path.extension().is_some_and(|e| e == "toml") {
        return check_catalog(&args.path);
    }
    match check_model(&args.path) {
        Ok(summary) => {
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("roomwave check: error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// The catalog named by `--catalog`, or the embedded default, with every model
/// loaded and every scene built, within `limits`. Skipped options have been logged.
pub fn load_catalog_arg(
    path: Option<&Path>,
    limits: &CatalogLimits,
) -> anyhow::Result<LoadedCatalog> {
    let loaded = match path {
        Some(path) => load_catalog(path, limits)?,
        None => load_default_catalog(limits).context("the embedded catalog")?,
    };
    if loaded.options.is_empty() {
        anyhow::bail!(
            "{}: no option could be loaded ({} skipped, see the warnings above)",
            loaded.catalog.file.display(),
            loaded.skipped.len()
        );
    }
    Ok(loaded)
}

fn check_catalog(path: &Path) -> anyhow::Result<ExitCode> {
    let loaded = match load_catalog(path, &CatalogLimits::default()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("roomwave check: error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    print!("{}", catalog_summary(&loaded));
    if loaded.skipped.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for e in &loaded.skipped {
        eprintln!("roomwave check: error: {e}");
    }
    Ok(ExitCode::from(1))
}

fn scene_line(scene: &Scene) -> String {
    format!(
        "{} triangles, {} materials, {} textures",
        scene.triangle_count(),
        scene.materials.len(),
        scene.textures.len()
    )
}

fn catalog_summary(loaded: &LoadedCatalog) -> String {
    let c = &loaded.catalog;
    let bytes: u64 = loaded.models.iter().map(|m| m.bytes).sum();
    let mut out = format!(
        "{}\n  rooms:      {}\n",
        c.file.display(),
        c.house.rooms.len()
    );
    for r in &c.house.rooms {
        out += &format!(
            "    {}: {} x {} x {} m, centre ({}, {})\n",
            r.name, r.size.width, r.size.depth, r.size.height, r.centre.x, r.centre.y
        );
    }
    out += &format!(
        "  openings:   {}\n  start:      {}\n  models:     {} ({:.1} MiB)\n  bare house: {}\n  options:    {} ({} loaded)\n",
        c.house.openings.len(),
        c.house.start_room().name,
        loaded.models.len(),
        bytes as f64 / (1024.0 * 1024.0),
        scene_line(&loaded.bare),
        c.options.len(),
        loaded.options.len()
    );
    for o in &loaded.options {
        out += &format!(
            "    {:2} {}: {} items, {}\n",
            o.index + 1,
            o.name,
            c.options[o.index].items.len(),
            scene_line(&o.scene)
        );
    }
    out
}

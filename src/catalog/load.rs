//! Loading a catalog: parse it, load every distinct model once (in parallel),
//! and build one scene for the bare house and one per option. An option whose
//! model fails to load, lacks the asked-for variant or sticks out of its room is
//! skipped with one warning; the others still work.

use super::embedded::{DEFAULT_CATALOG_NAME, default_catalog_text, embedded_source};
use super::entries::{Catalog, OptionEntry};
use super::error::{CatalogError, Place};
use super::limits::CatalogLimits;
use super::parse::parse_catalog;
use crate::audio::soundscape::{AmbienceSource, Soundscape};
use crate::scene::gltf::{
    AssetSource, FolderSource, LoadLimits, Model, Problem, load_model_from_bytes,
};
use crate::scene::{DecorationOption, PlacedModel, Scene, build_scene};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How far (metres) a model may reach past its room's interior: wall-hung
/// pieces sit on the wall's face, and exporters round.
const ROOM_TOLERANCE: f32 = 0.02;

/// A catalog with its models loaded and every scene built.
#[derive(Debug)]
pub struct LoadedCatalog {
    /// The parsed catalog (every option, including skipped ones).
    pub catalog: Catalog,
    /// The bare house.
    pub bare: Scene,
    /// The options that loaded, in catalog order.
    pub options: Vec<LoadedOption>,
    /// The options that did not, with why.
    pub skipped: Vec<CatalogError>,
    /// Every model file loaded, with its size in bytes.
    pub models: Vec<LoadedModel>,
}

/// One option, ready to show.
#[derive(Debug)]
pub struct LoadedOption {
    /// Its name.
    pub name: String,
    /// Index into [`Catalog::options`].
    pub index: usize,
    /// The decorated house.
    pub scene: Scene,
    /// Its ambience.
    pub ambience: AmbienceSource,
}

/// A model file the catalog names, loaded.
#[derive(Debug)]
pub struct LoadedModel {
    /// The path as the catalog writes it.
    pub path: PathBuf,
    /// The file's size in bytes.
    pub bytes: u64,
    /// The model.
    pub model: Arc<Model>,
}

impl LoadedCatalog {
    /// The bare house then every loaded option: scene `i + 1` is option `i`.
    pub fn scenes(&self) -> Vec<Scene> {
        std::iter::once(self.bare.clone())
            .chain(self.options.iter().map(|o| o.scene.clone()))
            .collect()
    }

    /// The loaded options' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.options.iter().map(|o| o.name.clone()).collect()
    }

    /// The ambiences of the bare house and of the loaded options.
    pub fn soundscape(&self) -> Soundscape {
        Soundscape::new(
            &self.catalog.house,
            self.options.iter().map(|o| o.ambience).collect(),
        )
    }
}

/// Reads at most `limit` bytes of the catalog at `path` (checking the size first).
pub(super) fn read_catalog_text(path: &Path, limit: u64) -> Result<String, CatalogError> {
    let cannot = |e: std::io::Error| CatalogError::whole_file(path, format!("cannot read it: {e}"));
    let file = File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let over = |size: u64| {
        CatalogError::whole_file(
            path,
            format!(
                "the catalog is {size} bytes, over the limit of {limit} (raise `max_catalog_bytes`)"
            ),
        )
    };
    if size > limit {
        return Err(over(size));
    }
    // The file may grow between the check and the read: read one byte past the cap.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(over(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = super::error::line_column(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            e.utf8_error().valid_up_to(),
        );
        CatalogError::new(
            path,
            Place {
                position: Some((line, column)),
                field: String::new(),
            },
            "not UTF-8 text",
        )
    })
}

/// Loads the catalog file at `path`: its models are read from its folder (and
/// nowhere outside it).
pub fn load_catalog(path: &Path, limits: &CatalogLimits) -> Result<LoadedCatalog, CatalogError> {
    let text = read_catalog_text(path, limits.max_catalog_bytes)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    load_catalog_from(&text, path, &FolderSource::new(dir), limits)
}

/// Loads the catalog embedded in the binary (`assets/house.toml` and its models).
pub fn load_default_catalog(limits: &CatalogLimits) -> Result<LoadedCatalog, CatalogError> {
    load_catalog_from(
        default_catalog_text(),
        Path::new(DEFAULT_CATALOG_NAME),
        &embedded_source(),
        limits,
    )
}

/// Loads a catalog from its text; model files come from `source` (paths relative
/// to the catalog). `file` names the catalog in errors.
pub fn load_catalog_from(
    text: &str,
    file: &Path,
    source: &(dyn AssetSource + Sync),
    limits: &CatalogLimits,
) -> Result<LoadedCatalog, CatalogError> {
    let catalog = parse_catalog(text, file, limits)?;
    let paths: Vec<PathBuf> = catalog.model_paths().into_iter().cloned().collect();
    let dir = file.parent().unwrap_or(Path::new(""));
    let loaded = load_models(&paths, dir, source, &limits.model);
    let mut models = Vec::new();
    let mut failures: Vec<(PathBuf, String)> = Vec::new();
    for (path, result) in paths.into_iter().zip(loaded) {
        match result {
            Ok((model, bytes)) => models.push(LoadedModel {
                path,
                bytes,
                model: Arc::new(model),
            }),
            Err(problem) => failures.push((path, problem)),
        }
    }
    let bare = build_scene(&catalog.house, None);
    let mut options = Vec::with_capacity(catalog.options.len());
    let mut skipped = catalog.rejected.clone();
    for e in &skipped {
        tracing::warn!("option skipped: {e}");
    }
    for (index, entry) in catalog.options.iter().enumerate() {
        match build_option(&catalog, entry, &models, &failures) {
            Ok(scene) => options.push(LoadedOption {
                name: entry.name.clone(),
                index,
                scene,
                ambience: entry.ambience,
            }),
            Err(e) => {
                tracing::warn!("option {:?} skipped: {e}", entry.name);
                skipped.push(e);
            }
        }
    }
    Ok(LoadedCatalog {
        catalog,
        bare,
        options,
        skipped,
        models,
    })
}

/// Loads each model once, on as many threads as there are cores (each model's
/// textures decode and mip on its own thread); results in the order of `paths`.
fn load_models(
    paths: &[PathBuf],
    dir: &Path,
    source: &(dyn AssetSource + Sync),
    limits: &LoadLimits,
) -> Vec<Result<(Model, u64), String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, paths.len().max(1));
    let chunk = paths.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|group| {
                scope.spawn(move || {
                    group
                        .iter()
                        .map(|p| load_one(p, dir, source, limits))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(paths.chunks(chunk))
            .flat_map(|(h, group)| {
                // The loader turns panics into errors; a thread can still die
                // (out of stack), and then its models are reported, not the app.
                h.join().unwrap_or_else(|_| {
                    group
                        .iter()
                        .map(|_| Err("the loading thread died".to_string()))
                        .collect()
                })
            })
            .collect()
    })
}

/// A model's own URIs resolve inside the model's folder, through the catalog's source.
pub(super) struct Subfolder<'a> {
    source: &'a (dyn AssetSource + Sync),
    dir: PathBuf,
}

impl AssetSource for Subfolder<'_> {
    fn read(&self, relative: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
        self.source.read(&self.dir.join(relative), limit)
    }
}

pub(super) fn load_one(
    path: &Path,
    dir: &Path,
    source: &(dyn AssetSource + Sync),
    limits: &LoadLimits,
) -> Result<(Model, u64), String> {
    let shown = dir.join(path);
    let bytes = source
        .read(path, limits.max_file_bytes)
        .map_err(|p| format!("{}: {p}", shown.display()))?;
    let size = bytes.len() as u64;
    let folder = Subfolder {
        source,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let model = load_model_from_bytes(&shown, bytes, &folder, limits).map_err(|e| e.to_string())?;
    for warning in &model.warnings {
        tracing::info!(file = %shown.display(), "{warning}");
    }
    Ok((model, size))
}

/// The option's scene, or why it cannot be shown (the first problem, with its place).
pub(super) fn build_option(
    catalog: &Catalog,
    entry: &OptionEntry,
    models: &[LoadedModel],
    failures: &[(PathBuf, String)],
) -> Result<Scene, CatalogError> {
    let err =
        |place: &Place, problem: String| CatalogError::new(&catalog.file, place.clone(), problem);
    let mut items = Vec::with_capacity(entry.items.len());
    for item in &entry.items {
        if let Some((_, problem)) = failures.iter().find(|(p, _)| *p == item.model) {
            return Err(err(&item.model_place, problem.clone()));
        }
        let Some(loaded) = models.iter().find(|m| m.path == item.model) else {
            return Err(err(&item.model_place, "the model was not loaded".into()));
        };
        let variant = match &item.variant {
            None => None,
            Some(name) => match loaded.model.variants.iter().position(|v| v == name) {
                Some(i) => Some(i),
                None => {
                    let has = if loaded.model.variants.is_empty() {
                        "it has no variants".to_string()
                    } else {
                        format!("has: {}", loaded.model.variants.join(", "))
                    };
                    return Err(err(
                        &item.variant_place,
                        format!(
                            "unknown variant {name:?} for {} ({has})",
                            item.model.display()
                        ),
                    ));
                }
            },
        };
        items.push(PlacedModel {
            label: item.model.display().to_string(),
            model: Arc::clone(&loaded.model),
            transform: item.transform,
            variant,
        });
    }
    let option = DecorationOption {
        name: entry.name.clone(),
        items,
        finishes: entry.finishes.clone(),
        lighting: entry.lighting.clone(),
    };
    let scene = build_scene(&catalog.house, Some(&option));
    for (item, bounds) in entry.items.iter().zip(&scene.item_bounds) {
        let room = &catalog.house.rooms[item.room];
        let (lo, hi) = (room.min() - ROOM_TOLERANCE, room.max() + ROOM_TOLERANCE);
        let inside = bounds.min.x >= lo.x
            && bounds.max.x <= hi.x
            && bounds.min.z >= lo.y
            && bounds.max.z <= hi.y
            && bounds.min.y >= -ROOM_TOLERANCE
            && bounds.max.y <= room.size.height + ROOM_TOLERANCE;
        if !inside {
            return Err(err(
                &item.place,
                format!(
                    "{} placed here spans x {:.2}..{:.2}, y {:.2}..{:.2}, z {:.2}..{:.2}: outside room {:?} (x {:.2}..{:.2}, z {:.2}..{:.2}, height {})",
                    item.model.display(),
                    bounds.min.x,
                    bounds.max.x,
                    bounds.min.y,
                    bounds.max.y,
                    bounds.min.z,
                    bounds.max.z,
                    room.name,
                    room.min().x,
                    room.max().x,
                    room.min().y,
                    room.max().y,
                    room.size.height
                ),
            ));
        }
    }
    Ok(scene)
}

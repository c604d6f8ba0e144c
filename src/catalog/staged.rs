//! A catalog opened for a session: parsed and checked, the bare house built,
//! and each option's models loaded only when that option is asked for (on
//! the renderer's worker thread). Start-up then costs the TOML and the bare
//! house, not every glTF file of every option.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::embedded::{DEFAULT_CATALOG_NAME, default_catalog_text, embedded_source};
use super::entries::Catalog;
use super::error::CatalogError;
use super::limits::CatalogLimits;
use super::load::{LoadedModel, build_option, load_one, read_catalog_text};
use super::parse::parse_catalog;
use crate::audio::soundscape::Soundscape;
use crate::scene::gltf::{AssetSource, FolderSource, Model};
use crate::scene::{Scene, build_scene};

/// Options whose models stay decoded after their scene is built, by default:
/// the shown option and its neighbours share models (the same sofa in
/// another variant), and a wave back should not decode them again.
pub const DEFAULT_CACHED_OPTIONS: usize = 3;

/// A parsed catalog whose options are loaded one at a time, on request.
pub struct StagedCatalog {
    /// The parsed catalog (every option).
    pub catalog: Catalog,
    /// The bare house.
    pub bare: Scene,
    source: Box<dyn AssetSource + Send + Sync>,
    limits: CatalogLimits,
    cache: Mutex<ModelCache>,
}

impl std::fmt::Debug for StagedCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedCatalog")
            .field("file", &self.catalog.file)
            .field("options", &self.catalog.options.len())
            .finish_non_exhaustive()
    }
}

/// Decoded models of the last few options loaded, by catalog path.
#[derive(Default)]
struct ModelCache {
    models: Vec<(PathBuf, Arc<Model>)>,
    /// Option indices, most recent last.
    recent: VecDeque<usize>,
    keep: usize,
}

/// Opens the catalog file at `path` (models are read from its folder, and
/// nowhere outside it, when their options are loaded).
pub fn open_catalog(path: &Path, limits: &CatalogLimits) -> Result<StagedCatalog, CatalogError> {
    let text = read_catalog_text(path, limits.max_catalog_bytes)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    open_catalog_from(&text, path, Box::new(FolderSource::new(dir)), limits)
}

/// Opens the catalog embedded in the binary.
pub fn open_default_catalog(limits: &CatalogLimits) -> Result<StagedCatalog, CatalogError> {
    open_catalog_from(
        default_catalog_text(),
        Path::new(DEFAULT_CATALOG_NAME),
        Box::new(embedded_source()),
        limits,
    )
}

/// Opens a catalog from its text; model files come from `source` (paths
/// relative to the catalog). `file` names the catalog in errors.
pub fn open_catalog_from(
    text: &str,
    file: &Path,
    source: Box<dyn AssetSource + Send + Sync>,
    limits: &CatalogLimits,
) -> Result<StagedCatalog, CatalogError> {
    let catalog = parse_catalog(text, file, limits)?;
    for e in &catalog.rejected {
        tracing::warn!("option skipped: {e}");
    }
    let bare = build_scene(&catalog.house, None);
    Ok(StagedCatalog {
        catalog,
        bare,
        source,
        limits: limits.clone(),
        cache: Mutex::new(ModelCache {
            keep: DEFAULT_CACHED_OPTIONS,
            ..ModelCache::default()
        }),
    })
}

impl StagedCatalog {
    /// Keeps the decoded models of the last `options` options loaded (at least 1).
    pub fn with_cached_options(self, options: usize) -> Self {
        if let Ok(mut cache) = self.cache.lock() {
            cache.keep = options.max(1);
        }
        self
    }

    /// Every option's name, in catalog order.
    pub fn names(&self) -> Vec<String> {
        self.catalog
            .options
            .iter()
            .map(|o| o.name.clone())
            .collect()
    }

    /// The ambiences of the bare house and of every option.
    pub fn soundscape(&self) -> Soundscape {
        Soundscape::new(
            &self.catalog.house,
            self.catalog.options.iter().map(|o| o.ambience).collect(),
        )
    }

    /// Models decoded and held now (the cache's size).
    pub fn cached_models(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.models.len())
    }

    /// Loads option `index`'s models (those not cached) and builds its scene.
    /// The error names the catalog, the item's place and the problem (or the
    /// model file and what is wrong with it).
    pub fn load_option(&self, index: usize) -> Result<Scene, CatalogError> {
        let entry = self.catalog.options.get(index).ok_or_else(|| {
            CatalogError::whole_file(
                &self.catalog.file,
                format!(
                    "there is no option {} (the catalog has {})",
                    index + 1,
                    self.catalog.options.len()
                ),
            )
        })?;
        let dir = self.catalog.file.parent().unwrap_or(Path::new(""));
        let mut models: Vec<LoadedModel> = Vec::with_capacity(entry.items.len());
        let mut failures: Vec<(PathBuf, String)> = Vec::new();
        for item in &entry.items {
            if models.iter().any(|m| m.path == item.model)
                || failures.iter().any(|(p, _)| *p == item.model)
            {
                continue;
            }
            let cached = self.cached(&item.model);
            let model = match cached {
                Some(model) => Ok(model),
                None => load_one(&item.model, dir, &*self.source, &self.limits.model)
                    .map(|(model, _)| Arc::new(model)),
            };
            match model {
                Ok(model) => models.push(LoadedModel {
                    path: item.model.clone(),
                    bytes: 0,
                    model,
                }),
                Err(problem) => failures.push((item.model.clone(), problem)),
            }
        }
        let scene = build_option(&self.catalog, entry, &models, &failures);
        self.remember(index, &models);
        scene
    }

    fn cached(&self, path: &Path) -> Option<Arc<Model>> {
        let cache = self.cache.lock().ok()?;
        cache
            .models
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| Arc::clone(m))
    }

    /// Caches `models` as option `index`'s and drops those no recent option uses.
    fn remember(&self, index: usize, models: &[LoadedModel]) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        cache.recent.retain(|&i| i != index);
        cache.recent.push_back(index);
        while cache.recent.len() > cache.keep {
            cache.recent.pop_front();
        }
        for m in models {
            if !cache.models.iter().any(|(p, _)| *p == m.path) {
                cache.models.push((m.path.clone(), Arc::clone(&m.model)));
            }
        }
        let options = &self.catalog.options;
        let ModelCache { models, recent, .. } = &mut *cache;
        models.retain(|(path, _)| {
            recent
                .iter()
                .any(|&i| options[i].items.iter().any(|item| item.model == *path))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_load_on_request_and_the_cache_keeps_only_recent_ones() {
        let catalog = open_default_catalog(&CatalogLimits::default())
            .expect("the embedded catalog parses")
            .with_cached_options(1);
        assert_eq!(catalog.cached_models(), 0, "nothing decoded at open");
        assert!(!catalog.bare.indices.is_empty());
        let first = catalog.load_option(0).expect("option 1 loads");
        assert!(first.triangle_count() > catalog.bare.triangle_count());
        let after_first = catalog.cached_models();
        assert!(after_first > 0);
        let again = catalog.load_option(0).expect("option 1 loads again");
        assert_eq!(
            again.indices.len(),
            first.indices.len(),
            "same scene from the cache"
        );
        catalog.load_option(1).expect("option 2 loads");
        let models_of = |i: usize| {
            let mut paths: Vec<_> = catalog.catalog.options[i]
                .items
                .iter()
                .map(|t| &t.model)
                .collect();
            paths.sort();
            paths.dedup();
            paths.len()
        };
        assert_eq!(
            catalog.cached_models(),
            models_of(1),
            "only option 2's models stay"
        );
        let e = catalog.load_option(999).expect_err("no such option");
        assert!(e.to_string().contains("there is no option 1000"), "{e}");
    }
}

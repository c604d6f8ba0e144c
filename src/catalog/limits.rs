//! Every bound the catalog loader enforces on its input, in one place.

use crate::scene::gltf::LoadLimits;
use serde::{Deserialize, Serialize};

/// Caps on what a catalog may make the loader read, allocate or build.
///
/// The text cap is checked before the file is read; the counts right after
/// parsing, before any model is loaded. The defaults hold the default house (2
/// rooms, 12 options of about 15 items each) a hundred times over in text and
/// several times over in counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogLimits {
    /// Largest catalog file, in bytes. Default 1 MiB.
    pub max_catalog_bytes: u64,
    /// Most rooms. Default 16.
    pub max_rooms: usize,
    /// Most windows, doors and doorways. Default 64.
    pub max_openings: usize,
    /// Most decoration options. Default 64.
    pub max_options: usize,
    /// Most placed items in one option. Default 128.
    pub max_items_per_option: usize,
    /// Most lights in one option. Default 16 (the renderer draws the first 8).
    pub max_lights_per_option: usize,
    /// Most distinct model files over all options. Default 64.
    pub max_models: usize,
    /// Bounds for every model the catalog names.
    pub model: LoadLimits,
}

impl Default for CatalogLimits {
    fn default() -> Self {
        CatalogLimits {
            max_catalog_bytes: 1024 * 1024,
            max_rooms: 16,
            max_openings: 64,
            max_options: 64,
            max_items_per_option: 128,
            max_lights_per_option: 16,
            max_models: 64,
            model: LoadLimits::default(),
        }
    }
}

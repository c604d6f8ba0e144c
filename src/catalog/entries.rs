//! A checked catalog: the house, and every option with its items resolved to
//! rooms, house-space transforms and model paths, each with its place in the file.

use super::error::Place;
use crate::audio::soundscape::AmbienceSource;
use crate::scene::{Finishes, House, LightingPreset};
use glam::Mat4;
use std::path::PathBuf;

/// A parsed and checked catalog. Models are not loaded yet (see [`super::load_catalog`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    /// The catalog file (names it in errors; model paths are relative to its folder).
    pub file: PathBuf,
    /// Rooms, openings and the start.
    pub house: House,
    /// The decoration options, in the order waves step through them.
    pub options: Vec<OptionEntry>,
    /// Options left out because they break a rule of their own, with why.
    pub rejected: Vec<super::error::CatalogError>,
}

impl Catalog {
    /// Every distinct model path the options name, in first-use order.
    pub fn model_paths(&self) -> Vec<&PathBuf> {
        let mut paths: Vec<&PathBuf> = Vec::new();
        for item in self.options.iter().flat_map(|o| &o.items) {
            if !paths.contains(&&item.model) {
                paths.push(&item.model);
            }
        }
        paths
    }
}

/// One decoration option.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionEntry {
    /// Shown to the user and written in reports.
    pub name: String,
    /// Where the option is in the file (`options[N]`).
    pub place: Place,
    /// Placed models.
    pub items: Vec<ItemEntry>,
    /// Walls, floor, ceiling, trim and door, in every room.
    pub finishes: Finishes,
    /// Ambient, sun and lamps (house space).
    pub lighting: LightingPreset,
    /// The ambience and where it plays from (house space).
    pub ambience: AmbienceSource,
}

/// One model placed in a room.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemEntry {
    /// The model file, relative to the catalog's folder (plain components only).
    pub model: PathBuf,
    /// Index into the house's rooms.
    pub room: usize,
    /// Model space to house space.
    pub transform: Mat4,
    /// The KHR_materials_variants name to draw it in; `None` is the model's default.
    pub variant: Option<String>,
    /// Where the item's table is (`options[N].items[M]`).
    pub place: Place,
    /// Where its `model` is.
    pub model_place: Place,
    /// Where its `variant` is.
    pub variant_place: Place,
}

impl Catalog {
    /// The ambience of the bare house and of every option.
    pub fn soundscape(&self) -> crate::audio::soundscape::Soundscape {
        crate::audio::soundscape::Soundscape::new(
            &self.house,
            self.options.iter().map(|o| o.ambience).collect(),
        )
    }
}

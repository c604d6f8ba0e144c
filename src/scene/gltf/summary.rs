//! `check_model`: load a model exactly as the renderer would and summarise it.

use super::error::LoadError;
use super::limits::LoadLimits;
use super::load::load_model;
use super::model::{Bounds, Model};
use std::fmt;
use std::path::{Path, PathBuf};

/// What `roomwave check` prints about a model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSummary {
    /// The file loaded.
    pub file: PathBuf,
    /// Meshes (the file's, plus one posed copy per skinned instance).
    pub meshes: usize,
    /// Triangle-list primitives over all meshes.
    pub primitives: usize,
    /// Mesh instances the scene places.
    pub instances: usize,
    /// Triangles drawn (every instance counted).
    pub triangles: u64,
    /// Materials.
    pub materials: usize,
    /// Textures (image + sampler).
    pub textures: usize,
    /// Decoded images (placeholders included).
    pub images: usize,
    /// Bytes of decoded texture memory, all mip levels.
    pub texture_bytes: u64,
    /// KHR_materials_variants names.
    pub variants: Vec<String>,
    /// KHR_lights_punctual lights placed.
    pub lights: usize,
    /// Bounds of everything drawn, in metres.
    pub bounds: Option<Bounds>,
    /// Fallbacks taken while loading.
    pub warnings: Vec<String>,
}

impl ModelSummary {
    /// Summarises a loaded model.
    pub fn of(file: &Path, model: &Model) -> Self {
        let triangles = model
            .instances
            .iter()
            .filter_map(|i| model.meshes.get(i.mesh))
            .flat_map(|m| &m.primitives)
            .map(|p| p.triangle_count() as u64)
            .sum();
        Self {
            file: file.to_path_buf(),
            meshes: model.meshes.len(),
            primitives: model.meshes.iter().map(|m| m.primitives.len()).sum(),
            instances: model.instances.len(),
            triangles,
            materials: model.materials.len(),
            textures: model.textures.len(),
            images: model.images.len(),
            texture_bytes: model
                .images
                .iter()
                .flat_map(|i| &i.levels)
                .map(|l| l.rgba.len() as u64)
                .sum(),
            variants: model.variants.clone(),
            lights: model.lights.len(),
            bounds: model.bounds,
            warnings: model.warnings.clone(),
        }
    }
}

/// Loads `path` with the default limits, as the renderer does, and summarises it.
pub fn check_model(path: &Path) -> Result<ModelSummary, LoadError> {
    let model = load_model(path, &LoadLimits::default())?;
    Ok(ModelSummary::of(path, &model))
}

impl fmt::Display for ModelSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.file.display())?;
        writeln!(
            f,
            "  meshes:     {} ({} primitives, {} placed)",
            self.meshes, self.primitives, self.instances
        )?;
        writeln!(f, "  triangles:  {}", self.triangles)?;
        writeln!(f, "  materials:  {}", self.materials)?;
        writeln!(
            f,
            "  textures:   {} ({} images, {:.1} MiB decoded with mips)",
            self.textures,
            self.images,
            self.texture_bytes as f64 / (1024.0 * 1024.0)
        )?;
        if self.variants.is_empty() {
            writeln!(f, "  variants:   none")?;
        } else {
            writeln!(
                f,
                "  variants:   {} ({})",
                self.variants.len(),
                self.variants.join(", ")
            )?;
        }
        writeln!(f, "  lights:     {}", self.lights)?;
        match self.bounds {
            Some(b) => {
                let s = b.size();
                writeln!(
                    f,
                    "  bounds:     {:.3} x {:.3} x {:.3} m (min {:.3}, {:.3}, {:.3}; max {:.3}, {:.3}, {:.3})",
                    s.x, s.y, s.z, b.min.x, b.min.y, b.min.z, b.max.x, b.max.y, b.max.z
                )?;
            }
            None => writeln!(f, "  bounds:     nothing drawn")?,
        }
        if self.warnings.is_empty() {
            write!(f, "  warnings:   none")
        } else {
            write!(f, "  warnings:   {}", self.warnings.len())?;
            for w in &self.warnings {
                write!(f, "\n    warning: {w}")?;
            }
            Ok(())
        }
    }
}

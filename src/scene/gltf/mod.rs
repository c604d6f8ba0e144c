//! A hardened glTF 2.0 loader: `.gltf` (with `.bin` and images beside it, or `data:`
//! URIs) and `.glb`, PNG and JPEG textures, to plain CPU data for the renderer.
//!
//! Untrusted input is the design case (see `../shared/gltf-corpus/README.md` for what
//! the `gltf` crate does on its own: 4 GiB allocations from a lying header, panics,
//! `../` paths followed, cycles accepted). So this module reads the file itself with a
//! size cap, checks the GLB container and the JSON nesting before parsing, checks
//! required extensions, runs the crate's validation, resolves URIs only inside the
//! asset's folder, checks every accessor range before reading it, detects node cycles,
//! and turns a dependency's panic into an error. Every bound is in [`LoadLimits`].
//!
//! Supported: KHR_texture_transform, KHR_materials_emissive_strength,
//! KHR_lights_punctual, KHR_materials_variants (read from the JSON, as the crate
//! rejects files that require it). Other KHR_materials_* extensions fall back to the
//! core material with one log line per file.

mod accessor;
mod container;
mod error;
mod geometry;
mod limits;
mod load;
mod material;
mod model;
mod nodes;
mod primitive;
mod raw;
mod skin;
mod source;
mod summary;
mod texture;
mod uri;

pub use error::{LoadError, Problem};
pub use geometry::{Attributes, fan_to_list, strip_to_list};
pub use limits::LoadLimits;
pub use load::{load_model, load_model_from_bytes};
pub use model::{
    AlphaMode, Bounds, ColorSpace, Filter, LightKind, Mesh, MeshInstance, MipLevel, Model,
    PbrMaterial, PlacedLight, Primitive, Sampler, Texture, TextureImage, TextureRef, UvTransform,
    VariantMaterial, Wrap,
};
pub use raw::{FALLBACK_MATERIAL_EXTENSIONS, IMPLEMENTED_EXTENSIONS};
pub use source::{AssetSource, FolderSource, MemorySource};
pub use summary::{ModelSummary, check_model};
pub use texture::mip_chain;

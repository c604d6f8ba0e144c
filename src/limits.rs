//! Every bound roomwave puts on input it does not trust, in one place.
//!
//! Each limit is checked against the size or count the input *claims*, before anything is
//! allocated for it, so a lying header gives an error naming the file, the place and the
//! limit (and the `[limits]` key that raises it), never an allocation or a crash. The
//! limits themselves live beside the code that enforces them ([`LoadLimits`],
//! [`TraceLimits`]); this module gathers them for the configuration file and documents them.
//!
//! | `[limits]` key | default | bounds a user may set | what it bounds |
//! |---|---|---|---|
//! | `gltf.max_file_bytes` | 256 MiB | 1 KiB – 4 GiB | a `.gltf`/`.glb` file read |
//! | `gltf.max_resource_bytes` | 256 MiB | 1 KiB – 4 GiB | a `.bin`/image a URI names, a decoded `data:` URI |
//! | `gltf.max_total_buffer_bytes` | 512 MiB | 1 KiB – 8 GiB | all buffers of one model |
//! | `gltf.max_json_depth` | 64 | 8 – 120 | JSON nesting (serde_json stops at 128 anyway) |
//! | `gltf.max_node_depth` | 256 | 1 – 65536 | node hierarchy depth (walked without recursion) |
//! | `gltf.max_accessor_count` | 4 Mi | 1 – 256 Mi | elements of one accessor (vertices, indices) |
//! | `gltf.max_total_vertices` | 8 Mi | 1 – 256 Mi | vertices of a model after conversion to triangle lists |
//! | `gltf.max_texture_dimension` | 4096 | 1 – 16384 | texture width or height, pixels |
//! | `gltf.max_total_texture_bytes` | 384 MiB | 1 KiB – 8 GiB | decoded RGBA8 texture memory with mips |
//! | `trace.max_line_bytes` | 64 KiB | 4 KiB – 16 MiB | one hand-trace line (the reader holds one) |
//! | `catalog.max_catalog_bytes` | 1 MiB | 1 KiB – 64 MiB | a catalog file, checked before it is read |
//! | `catalog.max_rooms` | 16 | 1 – 256 | rooms of the house |
//! | `catalog.max_openings` | 64 | 0 – 1024 | windows, doors and doorways |
//! | `catalog.max_options` | 64 | 1 – 1024 | decoration options |
//! | `catalog.max_items_per_option` | 128 | 0 – 4096 | placed models in one option |
//! | `catalog.max_lights_per_option` | 16 | 0 – 256 | lights in one option |
//! | `catalog.max_models` | 64 | 1 – 1024 | distinct model files over all options |
//!
//! A catalog's models are loaded with the `gltf.*` limits (`[limits.catalog.model]` is
//! refused, so there is one place to set them).
//!
//! Not configurable, because they follow from the data's meaning rather than a machine's
//! size (see [`crate::app::PoseGuard`]): runtime positions within
//! [`MAX_TRACKING_DISTANCE_M`](crate::app::MAX_TRACKING_DISTANCE_M) (10 km) of the origin,
//! field-of-view half-angles within [`MAX_FOV_ANGLE`](crate::app::MAX_FOV_ANGLE) (89°),
//! orientations within 10 % of unit length. The operator endpoint queues at most 16
//! commands and listens on 127.0.0.1 only.
//!
//! The upper bounds keep a typo (an extra zero) from turning a limit off: past them a
//! single input could take more memory than a station has, or (JSON depth) the parser's
//! own recursion limit is hit first.

use crate::catalog::CatalogLimits;
use crate::gesture::trace::TraceLimits;
use crate::scene::gltf::LoadLimits;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// All limits on untrusted input: the configuration file's `[limits]` section, with
/// `[limits.gltf]`, `[limits.trace]` and `[limits.catalog]` tables. Every field is
/// optional there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// `[limits.gltf]`: models loaded from glTF files.
    pub gltf: LoadLimits,
    /// `[limits.trace]`: hand-trace files.
    pub trace: TraceLimits,
    /// `[limits.catalog]`: catalog files (their `model` field is [`Limits::gltf`]; use
    /// [`Limits::catalog_limits`]).
    pub catalog: CatalogLimits,
}

/// A limit set outside what this build accepts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct LimitError {
    /// The key under `[limits]`, e.g. `gltf.max_json_depth`.
    pub key: &'static str,
    /// What is wrong with it, and why the bound is where it is.
    pub problem: String,
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Why sizes stop where they do.
const MEMORY: &str = "more than one station's memory for a single input";
/// Why catalog counts stop where they do.
const HOUSE: &str = "the default house uses a tenth of the default; beyond this, loading and \
                     switching options takes longer than a visit";

impl Limits {
    /// The catalog's limits, its models bounded by the `gltf` limits.
    pub fn catalog_limits(&self) -> CatalogLimits {
        CatalogLimits {
            model: self.gltf.clone(),
            ..self.catalog.clone()
        }
    }

    /// Checks every limit against its accepted range (see the module's table).
    pub fn validate(&self) -> Result<(), LimitError> {
        if self.catalog.model != LoadLimits::default() {
            return Err(LimitError {
                key: "catalog.model",
                problem: "not read: a catalog's models take the [limits.gltf] limits".into(),
            });
        }
        let g = &self.gltf;
        let c = &self.catalog;
        let count = |n: usize| n as u64;
        let checks: [(&'static str, u64, RangeInclusive<u64>, &'static str); 17] = [
            (
                "gltf.max_file_bytes",
                g.max_file_bytes,
                KIB..=4 * GIB,
                MEMORY,
            ),
            (
                "gltf.max_resource_bytes",
                g.max_resource_bytes,
                KIB..=4 * GIB,
                MEMORY,
            ),
            (
                "gltf.max_total_buffer_bytes",
                g.max_total_buffer_bytes,
                KIB..=8 * GIB,
                MEMORY,
            ),
            (
                "gltf.max_json_depth",
                g.max_json_depth.into(),
                8..=120,
                "real assets nest under 12 levels; serde_json refuses 128",
            ),
            (
                "gltf.max_node_depth",
                g.max_node_depth.into(),
                1..=65_536,
                "real scenes are under 50 deep",
            ),
            (
                "gltf.max_accessor_count",
                g.max_accessor_count,
                1..=256 * MIB,
                MEMORY,
            ),
            (
                "gltf.max_total_vertices",
                g.max_total_vertices,
                1..=256 * MIB,
                MEMORY,
            ),
            (
                "gltf.max_texture_dimension",
                g.max_texture_dimension.into(),
                1..=16_384,
                "GPUs sample at most 16384 pixels across",
            ),
            (
                "gltf.max_total_texture_bytes",
                g.max_total_texture_bytes,
                KIB..=8 * GIB,
                MEMORY,
            ),
            (
                "trace.max_line_bytes",
                self.trace.max_line_bytes as u64,
                4 * KIB..=16 * MIB,
                "a frame is 2.5 kB; longer lines are not traces",
            ),
            (
                "catalog.max_catalog_bytes",
                c.max_catalog_bytes,
                KIB..=64 * MIB,
                HOUSE,
            ),
            ("catalog.max_rooms", count(c.max_rooms), 1..=256, HOUSE),
            (
                "catalog.max_openings",
                count(c.max_openings),
                0..=1024,
                HOUSE,
            ),
            ("catalog.max_options", count(c.max_options), 1..=1024, HOUSE),
            (
                "catalog.max_items_per_option",
                count(c.max_items_per_option),
                0..=4096,
                HOUSE,
            ),
            (
                "catalog.max_lights_per_option",
                count(c.max_lights_per_option),
                0..=256,
                HOUSE,
            ),
            ("catalog.max_models", count(c.max_models), 1..=1024, HOUSE),
        ];
        for (key, value, range, why) in checks {
            if !range.contains(&value) {
                return Err(LimitError {
                    key,
                    problem: format!(
                        "{value} is outside {}..={} ({why})",
                        range.start(),
                        range.end()
                    ),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_their_own_bounds() {
        assert_eq!(Limits::default().validate(), Ok(()));
    }

    #[test]
    fn a_partial_section_keeps_the_other_defaults() {
        let l: Limits = toml::from_str("[gltf]\nmax_texture_dimension = 8192\n").unwrap();
        assert_eq!(l.gltf.max_texture_dimension, 8192);
        assert_eq!(l.gltf.max_json_depth, LoadLimits::default().max_json_depth);
        assert_eq!(l.trace, TraceLimits::default());
        assert_eq!(l.validate(), Ok(()));
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        let mut l = Limits::default();
        l.gltf.max_json_depth = 500;
        let e = l.validate().unwrap_err();
        assert_eq!(e.key, "gltf.max_json_depth");
        assert!(e.to_string().contains("500 is outside 8..=120"), "{e}");
        let mut l = Limits::default();
        l.trace.max_line_bytes = 10;
        assert_eq!(l.validate().unwrap_err().key, "trace.max_line_bytes");
        let mut l = Limits::default();
        l.gltf.max_file_bytes = 0;
        assert_eq!(l.validate().unwrap_err().key, "gltf.max_file_bytes");
        let mut l = Limits::default();
        l.catalog.max_options = 5000;
        assert_eq!(l.validate().unwrap_err().key, "catalog.max_options");
    }

    #[test]
    fn catalog_models_take_the_gltf_limits() {
        let l: Limits =
            toml::from_str("[gltf]\nmax_texture_dimension = 2048\n[catalog]\nmax_options = 100\n")
                .unwrap();
        assert_eq!(l.validate(), Ok(()));
        let c = l.catalog_limits();
        assert_eq!(c.max_options, 100);
        assert_eq!(c.model.max_texture_dimension, 2048);
        let l: Limits = toml::from_str("[catalog.model]\nmax_json_depth = 32\n").unwrap();
        assert_eq!(l.validate().unwrap_err().key, "catalog.model");
    }
}

//! Every bound the glTF loader enforces on untrusted input, in one place.

use serde::{Deserialize, Serialize};

/// Caps on what a glTF file may make the loader read, allocate or walk.
///
/// Each limit is checked against the number the file claims *before* anything is
/// allocated for it, so a lying header or count gives an error, not an allocation.
/// The defaults load every valid model of the shared sample corpus (the largest,
/// SheenChair, is 4.2 MiB with seven 2048x2048 textures) with a wide margin, and keep a
/// hostile file under a few hundred MB. A configuration file can raise them (all fields
/// are optional there and fall back to these defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadLimits {
    /// Largest `.gltf` or `.glb` file read, in bytes. Default 256 MiB.
    pub max_file_bytes: u64,
    /// Largest external file a URI may name (a `.bin` or an image), and the largest
    /// decoded `data:` URI, in bytes. Default 256 MiB.
    pub max_resource_bytes: u64,
    /// Largest sum of all buffers of one model, in bytes. Default 512 MiB.
    pub max_total_buffer_bytes: u64,
    /// Deepest nesting of JSON arrays and objects. Default 64: real assets stay
    /// under 12; serde_json's own recursion limit (128) is the backstop behind it.
    pub max_json_depth: u32,
    /// Deepest node hierarchy (root is depth 1). Default 256.
    pub max_node_depth: u32,
    /// Most elements one accessor may declare (vertices, indices, ...). Default 4 Mi:
    /// an accessor without a bufferView is zeros of any declared count, so this, not the
    /// file size, bounds what a tiny file can make the loader allocate.
    pub max_accessor_count: u64,
    /// Most vertices in the whole model after conversion to triangle lists (flat
    /// normals and generated tangents un-weld vertices). Default 8 Mi.
    pub max_total_vertices: u64,
    /// Largest texture width or height in pixels. Default 4096 (64 MiB as RGBA8; a
    /// compressed PNG of that size can be a few kilobytes).
    pub max_texture_dimension: u32,
    /// Largest sum of decoded texture memory, all mip levels, in bytes. Default 384 MiB
    /// (four 4096x4096 textures with mips; the largest sample model needs 110 MiB).
    pub max_total_texture_bytes: u64,
}

impl Default for LoadLimits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Self {
            max_file_bytes: 256 * MIB,
            max_resource_bytes: 256 * MIB,
            max_total_buffer_bytes: 512 * MIB,
            max_json_depth: 64,
            max_node_depth: 256,
            max_accessor_count: 4 * MIB,
            max_total_vertices: 8 * MIB,
            max_texture_dimension: 4096,
            max_total_texture_bytes: 384 * MIB,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_config_keeps_the_other_defaults() {
        let limits: LoadLimits = toml::from_str("max_texture_dimension = 4096").expect("parses");
        assert_eq!(limits.max_texture_dimension, 4096);
        assert_eq!(limits.max_json_depth, LoadLimits::default().max_json_depth);
        assert!(toml::from_str::<LoadLimits>("max_texture_dimensions = 1").is_err());
    }
}

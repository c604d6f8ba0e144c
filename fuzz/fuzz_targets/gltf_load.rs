//! The glTF loader from bytes, with the files its URIs name served from memory.
//!
//! Input: `MAIN (SEP NAME "\n" BYTES)*` (see `roomwave_fuzz::split_parts`): the `.gltf` or
//! `.glb`, then `.bin` and image files by the relative name a URI gives. Limits are a
//! tenth to a hundredth of the defaults so that one execution stays fast; they are the
//! same checks, and a model within them must come out whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roomwave::scene::gltf::{LoadLimits, MemorySource, load_model_from_bytes};
use std::path::{Path, PathBuf};

fn limits() -> LoadLimits {
    const MIB: u64 = 1024 * 1024;
    LoadLimits {
        max_file_bytes: 4 * MIB,
        max_resource_bytes: 4 * MIB,
        max_total_buffer_bytes: 8 * MIB,
        max_json_depth: 64,
        max_node_depth: 64,
        max_accessor_count: 64 * 1024,
        max_total_vertices: 256 * 1024,
        max_texture_dimension: 256,
        max_total_texture_bytes: 4 * MIB,
    }
}

fuzz_target!(|data: &[u8]| {
    let (main, parts) = roomwave_fuzz::split_parts(data);
    let mut source = MemorySource::default();
    for (name, bytes) in parts {
        source.files.insert(PathBuf::from(name), bytes.to_vec());
    }
    let name = if main.starts_with(b"glTF") {
        "fuzz.glb"
    } else {
        "fuzz.gltf"
    };
    let limits = limits();
    let Ok(model) = load_model_from_bytes(Path::new(name), main.to_vec(), &source, &limits) else {
        return;
    };
    let mut vertices = 0u64;
    for mesh in &model.meshes {
        for p in &mesh.primitives {
            let n = p.attributes.positions.len();
            vertices += n as u64;
            assert_eq!(p.indices.len() % 3, 0, "not a triangle list");
            assert!(
                p.indices.iter().all(|&i| (i as usize) < n),
                "index out of range"
            );
            assert_eq!(p.attributes.normals.len(), n, "normals missing");
            assert!(p.material.is_none_or(|m| m < model.materials.len()));
        }
    }
    assert!(vertices <= limits.max_total_vertices, "{vertices} vertices");
    let mut texture_bytes = 0u64;
    for image in &model.images {
        for level in &image.levels {
            assert!(level.width <= limits.max_texture_dimension);
            assert!(level.height <= limits.max_texture_dimension);
            assert_eq!(
                level.rgba.len() as u64,
                u64::from(level.width) * u64::from(level.height) * 4
            );
            texture_bytes += level.rgba.len() as u64;
        }
    }
    assert!(
        texture_bytes <= limits.max_total_texture_bytes,
        "{texture_bytes} texture bytes"
    );
    for instance in &model.instances {
        assert!(instance.mesh < model.meshes.len());
    }
});

//! Shared by the catalog tests: a tiny valid GLB (a box with two variants) and
//! scratch folders holding a catalog and its models.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A GLB box `w` x `h` x `d` metres, origin at the centre of its footprint on
/// the floor, with material variants "red" and "blue".
pub fn box_glb(w: f32, h: f32, d: f32) -> Vec<u8> {
    let (x, z) = (w / 2.0, d / 2.0);
    let mut positions: Vec<[f32; 3]> = Vec::new();
    let mut normals: Vec<[f32; 3]> = Vec::new();
    let mut indices: Vec<u16> = Vec::new();
    let faces: [([f32; 3], [[f32; 3]; 4]); 6] = [
        (
            [1.0, 0.0, 0.0],
            [[x, 0.0, z], [x, 0.0, -z], [x, h, -z], [x, h, z]],
        ),
        (
            [-1.0, 0.0, 0.0],
            [[-x, 0.0, -z], [-x, 0.0, z], [-x, h, z], [-x, h, -z]],
        ),
        (
            [0.0, 1.0, 0.0],
            [[-x, h, z], [x, h, z], [x, h, -z], [-x, h, -z]],
        ),
        (
            [0.0, -1.0, 0.0],
            [[-x, 0.0, -z], [x, 0.0, -z], [x, 0.0, z], [-x, 0.0, z]],
        ),
        (
            [0.0, 0.0, 1.0],
            [[-x, 0.0, z], [x, 0.0, z], [x, h, z], [-x, h, z]],
        ),
        (
            [0.0, 0.0, -1.0],
            [[x, 0.0, -z], [-x, 0.0, -z], [-x, h, -z], [x, h, -z]],
        ),
    ];
    for (n, corners) in faces {
        let base = positions.len() as u16;
        positions.extend(corners);
        normals.extend([n; 4]);
        indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    let mut bin: Vec<u8> = Vec::new();
    for p in positions.iter().chain(&normals) {
        for c in p {
            bin.extend(c.to_le_bytes());
        }
    }
    for i in &indices {
        bin.extend(i.to_le_bytes());
    }
    let json = serde_json::json!({
        "asset": {"version": "2.0"},
        "extensionsUsed": ["KHR_materials_variants"],
        "extensions": {"KHR_materials_variants": {"variants": [{"name": "red"}, {"name": "blue"}]}},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{
            "attributes": {"POSITION": 0, "NORMAL": 1},
            "indices": 2,
            "material": 0,
            "extensions": {"KHR_materials_variants": {"mappings": [
                {"material": 0, "variants": [0]},
                {"material": 1, "variants": [1]}
            ]}}
        }]}],
        "materials": [
            {"pbrMetallicRoughness": {"baseColorFactor": [0.8, 0.1, 0.1, 1.0], "metallicFactor": 0.0}},
            {"pbrMetallicRoughness": {"baseColorFactor": [0.1, 0.1, 0.8, 1.0], "metallicFactor": 0.0}}
        ],
        "buffers": [{"byteLength": bin.len()}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 288},
            {"buffer": 0, "byteOffset": 288, "byteLength": 288},
            {"buffer": 0, "byteOffset": 576, "byteLength": 72}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 24, "type": "VEC3",
             "min": [-x, 0.0, -z], "max": [x, h, z]},
            {"bufferView": 1, "componentType": 5126, "count": 24, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5123, "count": 36, "type": "SCALAR"}
        ]
    });
    let mut json = serde_json::to_vec(&json).expect("serialisable");
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let total = 12 + 8 + json.len() + 8 + bin.len();
    let mut glb = Vec::with_capacity(total);
    glb.extend(b"glTF");
    glb.extend(2u32.to_le_bytes());
    glb.extend((total as u32).to_le_bytes());
    glb.extend((json.len() as u32).to_le_bytes());
    glb.extend(b"JSON");
    glb.extend(json);
    glb.extend((bin.len() as u32).to_le_bytes());
    glb.extend(b"BIN\0");
    glb.extend(bin);
    glb
}

/// A fresh, empty folder under the system's temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("roomwave-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Writes `bytes` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder");
    }
    std::fs::write(path, bytes).expect("written");
}

/// A two-room house (living 5 x 4 with a window, dining 4 x 4 east of it through
/// a doorway): the catalog text before any `[[options]]`.
pub const HOUSE: &str = r#"[start]
room = "living"

[[rooms]]
name = "living"
size = [5.0, 4.0, 2.7]
centre = [0.0, 0.0]

[[rooms]]
name = "dining"
size = [4.0, 4.0, 2.7]
centre = [4.65, 0.0]

[[openings]]
kind = "window"
room = "living"
wall = "north"
offset = 0.5
width = 1.5
sill = 0.85
top = 2.35

[[openings]]
kind = "doorway"
room = "living"
to = "dining"
wall = "east"
offset = 0.9
width = 1.0
top = 2.1
"#;

/// One option placing `model` in `variant` at the living room's south wall.
pub fn option(name: &str, model: &str, variant: &str, sound: &str) -> String {
    format!(
        r##"
[[options]]
name = "{name}"
ambience = {{ sound = "{sound}", room = "living", at = [0.0, 2.0, 0.0] }}
items = [
    {{ model = "{model}", room = "living", at = [0.0, 0.0, 1.5], yaw_deg = 180, variant = "{variant}" }},
    {{ model = "{model}", room = "dining", at = [0.0, 0.0, 0.0] }},
]

[options.finishes]
walls = {{ color = "#EEEBE5", roughness = 0.9 }}
floor = {{ color = "#D2B48C", roughness = 0.55, pattern = "planks" }}
ceiling = {{ color = "#F5F4F1", roughness = 0.95 }}

[options.lighting]
sky = {{ color = "#EEF2FF", intensity = 0.36 }}
ground = {{ color = "#FFFAF5", intensity = 0.3 }}
sun = {{ towards = [-0.35, 0.55, -0.76], color = "#FFF5E6", intensity = 5.0 }}
lights = [
    {{ room = "living", at = [0.0, 2.5, 0.0], color = "#FFFBF2", intensity = 1.1, range = 7.0 }},
    {{ kind = "spot", room = "dining", at = [0.0, 2.6, 0.0], direction = [0.0, -1.0, 0.0], cone_deg = 40, color = "#FFE0B0", intensity = 2.0, range = 5.0 }},
]
"##
    )
}

//! The committed models are exactly what the generator writes, and each one loads in
//! the app's own loader with the size and variants the catalog was promised.

use super::{MODELS, generate};
use roomwave::scene::gltf::{LoadLimits, load_model};
use std::path::{Path, PathBuf};

/// The contract with the catalog (file, size w x h x d in metres, variants), written
/// out again here so a change to a model cannot silently change the contract.
const CONTRACT: &[(&str, [f32; 3], &[&str])] = &[
    (
        "sofa",
        [2.1, 0.85, 0.92],
        &[
            "oat_linen",
            "teal_velvet",
            "cognac_leather",
            "ivory_boucle",
            "rust_corduroy",
            "charcoal_wool",
        ],
    ),
    (
        "armchair",
        [0.82, 0.8, 0.85],
        &[
            "oat_linen",
            "teal_velvet",
            "cognac_leather",
            "ivory_boucle",
            "rust_corduroy",
            "charcoal_wool",
        ],
    ),
    (
        "coffee_table",
        [1.1, 0.4, 0.6],
        &["oak", "walnut", "black_metal", "white_marble"],
    ),
    (
        "side_table",
        [0.45, 0.55, 0.45],
        &["oak", "walnut", "black_metal", "brass"],
    ),
    (
        "dining_table",
        [1.8, 0.75, 0.9],
        &["oak", "walnut", "black_ash", "white_lacquer"],
    ),
    (
        "dining_chair",
        [0.46, 0.82, 0.52],
        &["oak", "walnut", "black_ash", "white_lacquer"],
    ),
    (
        "sideboard",
        [1.6, 0.75, 0.45],
        &[
            "oak",
            "walnut",
            "black_ash",
            "white_lacquer",
            "teal_lacquer",
        ],
    ),
    (
        "bookshelf",
        [0.9, 1.9, 0.35],
        &["oak", "walnut", "black_metal"],
    ),
    ("stool", [0.38, 0.65, 0.38], &["oak", "black_metal"]),
    ("floor_lamp", [0.4, 1.6, 0.4], &["brass", "black", "white"]),
    (
        "pendant_lamp",
        [0.5, 0.8, 0.5],
        &["brass", "black", "white", "rattan"],
    ),
    (
        "table_lamp",
        [0.3, 0.5, 0.3],
        &["white_ceramic", "sage_ceramic", "brass"],
    ),
    (
        "rug",
        [2.4, 0.01, 1.7],
        &[
            "natural_stripes",
            "red_kilim",
            "grey_wool",
            "jute",
            "blue_abstract",
        ],
    ),
    (
        "plant",
        [0.5, 1.2, 0.5],
        &["terracotta", "white_ceramic", "black_ceramic"],
    ),
    (
        "wall_art",
        [0.8, 0.6, 0.03],
        &["warm_abstract", "cool_abstract", "botanical", "monochrome"],
    ),
    (
        "curtains",
        [1.8, 2.4, 0.12],
        &["white_linen", "green_velvet", "grey_wool"],
    ),
];

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/models")
}

fn glb_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".glb"))
        .collect();
    names.sort();
    names
}

#[test]
fn regenerating_gives_the_committed_bytes() {
    let dir = std::env::temp_dir().join(format!("roomwave-assets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let written = generate(&dir).expect("generates");
    assert_eq!(written.len(), MODELS.len());
    let ours = glb_files(&dir);
    assert_eq!(
        ours,
        glb_files(&committed()),
        "file list differs from assets/models"
    );
    for name in &ours {
        let fresh = std::fs::read(dir.join(name)).expect("reads fresh");
        let old = std::fs::read(committed().join(name)).expect("reads committed");
        assert!(
            fresh == old,
            "{name} differs from the committed file ({} vs {} bytes): run `cargo xtask assets`",
            fresh.len(),
            old.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_contract_lists_every_model_once() {
    let mut ours: Vec<&str> = MODELS.iter().map(|(n, _)| *n).collect();
    let mut promised: Vec<&str> = CONTRACT.iter().map(|(n, ..)| *n).collect();
    ours.sort();
    promised.sort();
    assert_eq!(ours, promised);
}

#[test]
fn every_model_loads_with_its_promised_size_and_variants() {
    for (name, size, variants) in CONTRACT {
        let path = committed().join(format!("{name}.glb"));
        let model =
            load_model(&path, &LoadLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(model.warnings.is_empty(), "{name}: {:?}", model.warnings);
        assert_eq!(&model.variants, variants, "{name}");
        let bounds = model
            .bounds
            .unwrap_or_else(|| panic!("{name}: nothing drawn"));
        let got = bounds.size().to_array();
        for axis in 0..3 {
            // The rug is 1 cm "approx."; anything from 3 mm to 1.5 cm is a rug.
            let tolerance = if size[axis] < 0.02 { 0.5 } else { 0.15 };
            let ratio = got[axis] / size[axis];
            assert!(
                (1.0 - tolerance..=1.0 + tolerance).contains(&ratio),
                "{name}: size {got:?}, promised {size:?} (axis {axis})"
            );
        }
        // Origin on the floor, centred on the footprint.
        assert!(
            bounds.min.y.abs() < 0.01 || *name == "pendant_lamp",
            "{name}: min y {}",
            bounds.min.y
        );
        let centre = (bounds.min + bounds.max) * 0.5;
        assert!(centre.x.abs() < 0.05, "{name}: centre {centre}");
        if !matches!(*name, "wall_art" | "curtains") {
            assert!(centre.z.abs() < 0.05, "{name}: centre {centre}");
        } else {
            assert!(
                bounds.min.z.abs() < 0.005,
                "{name}: back at z = {}",
                bounds.min.z
            );
        }
        if *name == "pendant_lamp" {
            assert!(
                bounds.max.y.abs() < 0.005,
                "pendant hangs from y = 0: {}",
                bounds.max.y
            );
        }
        for p in model.meshes.iter().flat_map(|m| &m.primitives) {
            assert!(p.triangle_count() > 0, "{name}: an empty primitive");
            assert!(
                p.material.is_some(),
                "{name}: a primitive without a material"
            );
        }
        let triangles: usize = model
            .meshes
            .iter()
            .flat_map(|m| &m.primitives)
            .map(|p| p.triangle_count())
            .sum();
        assert!(
            (100..=12_000).contains(&triangles),
            "{name}: {triangles} triangles"
        );
    }
}

/// The loader fills in missing normals and tangents, so these are checked in the file.
#[test]
fn every_primitive_has_normals_and_uvs_and_normal_maps_have_tangents() {
    for (name, ..) in CONTRACT {
        let path = committed().join(format!("{name}.glb"));
        let bytes = std::fs::read(&path).expect("reads");
        let json_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
        let root: serde_json::Value =
            serde_json::from_slice(&bytes[20..20 + json_len]).expect("JSON");
        assert!(
            root["extensionsRequired"].is_null(),
            "{name}: variants must not be required"
        );
        assert!(
            root["extensionsUsed"]
                .as_array()
                .is_some_and(|u| u.iter().any(|e| e == "KHR_materials_variants")),
            "{name}"
        );
        let materials = root["materials"].as_array().expect("materials");
        for primitive in root["meshes"][0]["primitives"]
            .as_array()
            .expect("primitives")
        {
            let attributes = &primitive["attributes"];
            assert!(attributes["NORMAL"].is_number(), "{name}: no NORMAL");
            assert!(
                attributes["TEXCOORD_0"].is_number(),
                "{name}: no TEXCOORD_0"
            );
            let mut used = vec![primitive["material"].as_u64().expect("material")];
            if let Some(mappings) =
                primitive["extensions"]["KHR_materials_variants"]["mappings"].as_array()
            {
                used.extend(mappings.iter().filter_map(|m| m["material"].as_u64()));
                let first = mappings
                    .iter()
                    .find(|m| {
                        m["variants"]
                            .as_array()
                            .is_some_and(|v| v.iter().any(|x| x == 0))
                    })
                    .unwrap_or_else(|| panic!("{name}: the first variant is not mapped"));
                assert_eq!(
                    first["material"], primitive["material"],
                    "{name}: the default is the first variant's"
                );
            }
            let normal_mapped = used
                .iter()
                .any(|&m| !materials[m as usize]["normalTexture"].is_null());
            if normal_mapped {
                assert!(
                    attributes["TANGENT"].is_number(),
                    "{name}: normal map without TANGENT"
                );
            }
        }
    }
}

#[test]
fn bad_arguments_and_unwritable_folders_are_clear_errors() {
    for args in [
        &["--outdir", "x"][..],
        &["--out"][..],
        &["--out", "a", "b"][..],
    ] {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let err = super::main(&args).expect_err("refused");
        assert!(
            err.to_string().contains("expected [--out DIR]"),
            "{args:?}: {err}"
        );
    }
    let file = std::env::temp_dir().join(format!("roomwave-assets-file-{}", std::process::id()));
    std::fs::write(&file, b"not a folder").expect("writes");
    let err = generate(&file.join("models"))
        .err()
        .expect("a file is in the way");
    assert!(
        format!("{err:#}").contains(&file.display().to_string()),
        "{err:#}"
    );
    let _ = std::fs::remove_file(&file);
}

//! The furniture of the shared corpus loads with what the renderer needs from it:
//! variants mapped per primitive, texture transforms, colour spaces, full mip chains,
//! lights, and real-world sizes.

use roomwave::scene::gltf::{ColorSpace, LightKind, LoadLimits, Model, load_model};
use std::path::{Path, PathBuf};

fn corpus_file(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/gltf-corpus")
        .join(rel);
    if !path.exists() {
        println!(
            "{} is absent (a clone without ../shared): not checked",
            path.display()
        );
        return None;
    }
    Some(path)
}

fn load(path: &Path) -> Model {
    load_model(path, &LoadLimits::default()).expect("a valid corpus model loads")
}

#[test]
fn the_velvet_sofa_has_five_fabrics_a_light_and_sofa_proportions() {
    let Some(path) = corpus_file("valid/GlamVelvetSofa/glTF-Binary/GlamVelvetSofa.glb") else {
        return;
    };
    let model = load(&path);
    assert_eq!(
        model.variants,
        ["Champagne", "Navy", "Gray", "Black", "Pale Pink"]
    );
    let fabric = model
        .meshes
        .iter()
        .flat_map(|m| &m.primitives)
        .find(|p| !p.variant_materials.is_empty())
        .expect("a primitive with variant mappings");
    let materials: std::collections::BTreeSet<_> = (0..model.variants.len())
        .map(|v| fabric.material_for(Some(v)))
        .collect();
    assert_eq!(
        materials.len(),
        5,
        "each variant picks its own material: {materials:?}"
    );
    assert_eq!(model.lights.len(), 1);
    assert!(matches!(
        model.lights[0].kind,
        LightKind::Directional | LightKind::Point | LightKind::Spot { .. }
    ));
    let size = model.bounds.expect("drawn").size();
    assert!(
        (2.0..2.4).contains(&size.x) && (0.6..1.0).contains(&size.y),
        "sofa size {size} m"
    );
}

#[test]
fn the_sheen_chair_keeps_its_texture_transforms_and_colour_spaces() {
    let Some(path) = corpus_file("valid/SheenChair/glTF/SheenChair.gltf") else {
        return;
    };
    let model = load(&path);
    assert_eq!(model.variants.len(), 2);
    let transformed = model
        .materials
        .iter()
        .flat_map(|m| {
            [
                m.base_color_texture,
                m.normal_texture,
                m.metallic_roughness_texture,
            ]
        })
        .flatten()
        .filter(|t| !t.transform.is_identity())
        .count();
    assert!(
        transformed > 0,
        "SheenChair requires KHR_texture_transform; none was read"
    );
    for m in &model.materials {
        if let Some(t) = m.base_color_texture {
            let image = &model.images[model.textures[t.texture].image];
            assert_eq!(image.color_space, ColorSpace::Srgb, "base colour is sRGB");
        }
        if let Some(t) = m.normal_texture {
            let image = &model.images[model.textures[t.texture].image];
            assert_eq!(
                image.color_space,
                ColorSpace::Linear,
                "normal maps are data"
            );
        }
    }
    for image in &model.images {
        assert!(!image.placeholder);
        let last = image.levels.last().expect("levels");
        assert_eq!((last.width, last.height), (1, 1), "full mip chain");
        let base = &image.levels[0];
        let expected = (base.width.max(base.height) as f32).log2().floor() as usize + 1;
        assert_eq!(image.levels.len(), expected);
    }
    // Every primitive with a normal map has tangents (supplied or generated).
    for p in model.meshes.iter().flat_map(|m| &m.primitives) {
        if p.material
            .and_then(|m| model.materials[m].normal_texture)
            .is_some()
        {
            assert_eq!(p.attributes.tangents.len(), p.attributes.positions.len());
        }
    }
    let size = model.bounds.expect("drawn").size();
    assert!(
        (0.6..1.0).contains(&size.x) && (0.5..0.9).contains(&size.y),
        "chair size {size} m"
    );
}

#[test]
fn the_lamp_brings_its_five_lights() {
    let Some(path) = corpus_file("valid/LightsPunctualLamp/glTF/LightsPunctualLamp.gltf") else {
        return;
    };
    let model = load(&path);
    assert_eq!(model.lights.len(), 5);
    assert!(
        model
            .lights
            .iter()
            .all(|l| l.intensity > 0.0 && l.direction.length() > 0.99)
    );
}

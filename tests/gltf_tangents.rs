//! Generated tangents agree with the ones an exporter wrote: NormalTangentMirrorTest
//! ships MikkTSpace tangents (with mirrored UVs, w = -1 on half the model); the loader's
//! own generation, run on the same geometry, must give the same frames.

use glam::Vec3;
use roomwave::scene::gltf::{LoadLimits, load_model};
use std::path::Path;

#[test]
fn generated_tangents_match_the_exported_ones() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/gltf-corpus/valid/NormalTangentMirrorTest/glTF-Binary/NormalTangentMirrorTest.glb");
    if !path.exists() {
        println!(
            "{} is absent (a clone without ../shared): nothing to compare",
            path.display()
        );
        return;
    }
    let model = load_model(&path, &LoadLimits::default()).expect("loads");
    let (mut compared, mut agreeing, mut mirrored) = (0usize, 0usize, 0usize);
    for primitive in model.meshes.iter().flat_map(|m| &m.primitives) {
        let mut a = primitive.attributes.clone();
        assert_eq!(
            a.tangents.len(),
            a.positions.len(),
            "the file supplies tangents"
        );
        a.unweld(&primitive.indices);
        let supplied = std::mem::take(&mut a.tangents);
        assert!(a.generate_tangents(0), "tangents generated");
        for (s, g) in supplied.iter().zip(&a.tangents) {
            compared += 1;
            mirrored += usize::from(s[3] < 0.0);
            let same_direction = Vec3::new(s[0], s[1], s[2]).dot(Vec3::new(g[0], g[1], g[2])) > 0.9;
            agreeing += usize::from(same_direction && s[3] == g[3]);
        }
    }
    println!("{compared} compared, {mirrored} with w = -1");
    assert!(compared > 1000, "{compared} compared");
    let share = agreeing as f64 / compared as f64;
    println!(
        "{agreeing} of {compared} generated tangents match the exported ones ({:.1} %)",
        share * 100.0
    );
    assert!(
        share > 0.95,
        "only {:.1} % of tangent frames agree",
        share * 100.0
    );
}

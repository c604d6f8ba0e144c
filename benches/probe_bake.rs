//! Baking the irradiance probes (`scene::bake_probes`): one per room, for the
//! bare house and the first options of the default catalog, as `build_scene`
//! does for each scene it builds. Throughput is in rooms, so criterion's time
//! per element is the cost of one room's probe; the budget is 10 ms.
//!
//! Each case has its scene's house, lights and one box per furniture item;
//! the boxes' colours and the finishes do not change the work, so they are
//! the bare house's and a mid grey.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use roomwave::catalog::{CatalogLimits, load_default_catalog};
use roomwave::scene::{Finishes, ProbeOccluder, ProbeScene, bake_probes};
use std::hint::black_box;

fn probe_bake(c: &mut Criterion) {
    let catalog = load_default_catalog(&CatalogLimits::default()).expect("the default catalog");
    let bare = Finishes::bare();
    let mut cases = vec![("bare house".to_string(), &catalog.bare, Vec::new())];
    for option in catalog.options.iter().take(2) {
        let scene = &option.scene;
        let occluders: Vec<ProbeOccluder> = scene
            .item_bounds
            .iter()
            .map(|b| ProbeOccluder {
                min: b.min,
                max: b.max,
                albedo: Vec3::splat(0.5),
                emissive: Vec3::ZERO,
            })
            .collect();
        cases.push((option.name.clone(), scene, occluders));
    }
    let mut group = c.benchmark_group("probe bake per room");
    for (name, scene, occluders) in &cases {
        group.throughput(Throughput::Elements(scene.house.rooms.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| {
                bake_probes(black_box(&ProbeScene {
                    house: &scene.house,
                    finishes: &bare,
                    lighting: &scene.lighting,
                    occluders,
                }))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, probe_bake);
criterion_main!(benches);

//! The draws of an uploaded scene split into an opaque list (scene order) and
//! a blended list that is sorted back to front every frame.

use glam::Vec3;

use super::culling::EyePairFrustum;
use super::pipeline::PipelineKind;
use crate::scene::{AlphaMode, Scene};

/// One indexed draw with its material and pipeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct DrawCall {
    pub(crate) first_index: u32,
    pub(crate) index_count: u32,
    /// Index into the scene's materials (and descriptor sets).
    pub(crate) material: u32,
    pub(crate) pipeline: PipelineKind,
    /// Mean of the draw's vertex positions (per index), for sorting.
    pub(crate) centroid: Vec3,
    /// Smallest corner of the draw's bounds, for culling.
    pub(crate) min: Vec3,
    /// Largest corner of the draw's bounds.
    pub(crate) max: Vec3,
}

/// Opaque and masked draws first, then blended ones.
#[derive(Clone, Debug, Default)]
pub(crate) struct DrawList {
    pub(crate) opaque: Vec<DrawCall>,
    pub(crate) blend: Vec<DrawCall>,
}

impl DrawList {
    /// Splits `scene`'s draws (which the caller has checked to be in range).
    pub(crate) fn new(scene: &Scene) -> Self {
        let mut list = DrawList::default();
        for d in &scene.draws {
            let m = &scene.materials[d.material as usize];
            let range = d.first_index as usize..(d.first_index + d.index_count) as usize;
            let (mut sum, mut min, mut max) = (Vec3::ZERO, Vec3::MAX, Vec3::MIN);
            for &i in &scene.indices[range] {
                let p = Vec3::from(scene.vertices[i as usize].position);
                sum += p;
                min = min.min(p);
                max = max.max(p);
            }
            let blend = m.alpha == AlphaMode::Blend;
            let call = DrawCall {
                first_index: d.first_index,
                index_count: d.index_count,
                material: d.material,
                pipeline: PipelineKind {
                    blend,
                    double_sided: m.double_sided,
                    textured: m.texture_slots().next().is_some(),
                },
                centroid: sum / d.index_count.max(1) as f32,
                min,
                max,
            };
            if blend {
                list.blend.push(call);
            } else {
                list.opaque.push(call);
            }
        }
        list
    }
}

/// Fills `order` with indices into `blend` of the draws `frustum` sees,
/// farthest from `eye` first. Allocates nothing once `order` has room for
/// every blended draw.
pub(crate) fn back_to_front(
    blend: &[DrawCall],
    eye: Vec3,
    frustum: &EyePairFrustum,
    order: &mut Vec<(f32, u32)>,
) {
    order.clear();
    order.extend(
        blend
            .iter()
            .enumerate()
            .filter(|(_, d)| frustum.sees(d.min, d.max))
            .map(|(i, d)| (d.centroid.distance_squared(eye), i as u32)),
    );
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Draw, House, Material, MeshPart, build_scene, default_room};
    use glam::Affine3A;

    #[test]
    fn blended_draws_are_split_off_and_sorted_far_to_near() {
        let mut scene = build_scene(&House::single_room(default_room()), None);
        let mut glass = Material::srgb(0x88CCFF, 0.1);
        glass.alpha = AlphaMode::Blend;
        glass.double_sided = true;
        let opaque_before = scene.draws.len();
        for z in [-1.0f32, -3.0, -2.0] {
            let mut part = MeshPart::default();
            part.cuboid(
                &Affine3A::IDENTITY,
                Vec3::new(0.0, 1.0, z),
                Vec3::new(0.1, 1.1, z + 0.1),
            );
            let base = scene.vertices.len() as u32;
            scene.draws.push(Draw {
                first_index: scene.indices.len() as u32,
                index_count: part.indices.len() as u32,
                material: scene.materials.len() as u32,
            });
            scene.indices.extend(part.indices.iter().map(|i| i + base));
            scene.vertices.extend(part.vertices);
            scene.materials.push(glass.clone());
        }
        let list = DrawList::new(&scene);
        assert_eq!(list.opaque.len(), opaque_before);
        assert_eq!(list.blend.len(), 3);
        assert!(
            list.blend
                .iter()
                .all(|d| d.pipeline.blend && d.pipeline.double_sided)
        );
        assert!((list.blend[1].centroid.z + 2.95).abs() < 1e-4);
        let mut order = Vec::with_capacity(3);
        let capacity = order.capacity();
        let eye = Vec3::new(0.0, 1.0, 0.0);
        // Looking down the row of panels (along -z), every one is in view.
        let along = |at: Vec3, yaw: f32| {
            EyePairFrustum::new(&crate::render::EyeView::stereo_pair(
                at,
                yaw,
                0.063,
                crate::render::Fov::symmetric(90.0),
            ))
        };
        back_to_front(&list.blend, eye, &along(eye, 0.0), &mut order);
        let ids: Vec<u32> = order.iter().map(|o| o.1).collect();
        assert_eq!(ids, [1, 2, 0], "z = -3 first, z = -1 last");
        assert_eq!(order.capacity(), capacity, "no reallocation");
        // Seen from behind, the order reverses.
        let behind = Vec3::new(0.0, 1.0, -5.0);
        back_to_front(&list.blend, behind, &along(behind, 180.0), &mut order);
        assert_eq!(order[0].1, 0);
        // Turned away, none is drawn.
        back_to_front(&list.blend, eye, &along(eye, 180.0), &mut order);
        assert!(order.is_empty());
    }
}

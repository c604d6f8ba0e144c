//! The draws of an uploaded scene split into an opaque list, drawn front to
//! back, and a blended list, drawn back to front; both are sorted every frame
//! for the eye pair, and each draw carries the lamps that can reach it.

use glam::Vec3;

use super::camera::{MAX_POINT_LIGHTS, MAX_SPOT_LIGHTS};
use super::culling::EyePairFrustum;
use super::pipeline::{AlphaPipeline, PipelineKind};
use crate::scene::{AlphaMode, Scene};

/// The point and spot lights whose range reaches a draw's bounds, as the
/// shader's push block takes them: `counts` holds the number of point lights
/// (bits 0-3) and spot lights (bits 4-7), `points` and `spots` their indices
/// into the frame's light arrays, 4 bits each from bit 0. The shader loops
/// over these only: a lamp across the room costs a pixel nothing. Bit 8 of
/// `counts` ([`REACHES_FLOOR`]) says that the draw reaches down to the floor,
/// the only place the shader looks for furniture's contact shadows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DrawLights {
    pub(crate) counts: u32,
    pub(crate) points: u32,
    pub(crate) spots: u32,
}

/// Bit of [`DrawLights::counts`]: the draw's bounds reach the floor.
pub(crate) const REACHES_FLOOR: u32 = 1 << 8;
/// Height under which the shader treats a surface as floor (`floor_occlusion`).
const FLOOR_Y: f32 = 0.02;

// Four bits per index hold every light the uniform block has room for.
const _: () = assert!(MAX_POINT_LIGHTS <= 8 && MAX_SPOT_LIGHTS <= 8);

impl DrawLights {
    /// The lights of `scene` (as many as the uniform block holds, in its
    /// order) whose sphere of influence touches the box `min..max`. A light
    /// with no usable range is kept: the shader decides what it does.
    fn reaching(scene: &Scene, min: Vec3, max: Vec3) -> Self {
        let reaches = |position: Vec3, range: f32| {
            let nearest = position.clamp(min, max);
            !(range.is_finite() && range > 0.0)
                || nearest.distance_squared(position) < range * range
        };
        let pack = |hits: &mut dyn Iterator<Item = bool>| {
            let (mut count, mut packed) = (0u32, 0u32);
            for (i, hit) in hits.enumerate() {
                if hit {
                    packed |= (i as u32) << (4 * count);
                    count += 1;
                }
            }
            (count, packed)
        };
        let l = &scene.lighting;
        let (point_count, points) = pack(
            &mut l
                .points
                .iter()
                .take(MAX_POINT_LIGHTS)
                .map(|p| reaches(p.position, p.range)),
        );
        let (spot_count, spots) = pack(
            &mut l
                .spots
                .iter()
                .take(MAX_SPOT_LIGHTS)
                .map(|s| reaches(s.position, s.range)),
        );
        let floor = if min.y <= FLOOR_Y { REACHES_FLOOR } else { 0 };
        DrawLights {
            counts: point_count | (spot_count << 4) | floor,
            points,
            spots,
        }
    }
}

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
    /// The lamps that reach it.
    pub(crate) lights: DrawLights,
}

/// Opaque and masked draws first, then blended ones.
#[derive(Clone, Debug, Default)]
pub(crate) struct DrawList {
    pub(crate) opaque: Vec<DrawCall>,
    pub(crate) blend: Vec<DrawCall>,
    /// The frame's visible opaque draws, near to far ([`front_to_back`]);
    /// sized here so that sorting never allocates.
    pub(crate) opaque_order: Vec<(f32, u32)>,
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
            let alpha = match m.alpha {
                AlphaMode::Opaque => AlphaPipeline::Opaque,
                AlphaMode::Mask { .. } => AlphaPipeline::Mask,
                AlphaMode::Blend => AlphaPipeline::Blend,
            };
            let textured = m.texture_slots().next().is_some();
            let call = DrawCall {
                first_index: d.first_index,
                index_count: d.index_count,
                material: d.material,
                pipeline: PipelineKind {
                    alpha,
                    double_sided: m.double_sided,
                    textured,
                },
                centroid: sum / d.index_count.max(1) as f32,
                min,
                max,
                lights: DrawLights::reaching(scene, min, max),
            };
            if alpha == AlphaPipeline::Blend {
                list.blend.push(call);
            } else {
                list.opaque.push(call);
            }
        }
        list.opaque_order = Vec::with_capacity(list.opaque.len());
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

/// Fills `order` with indices into `opaque` of the draws `frustum` sees,
/// near to far from `eye` and alpha-tested ones last, so that the depth test
/// rejects hidden pixels before their shading runs (llvmpipe tests depth
/// before the fragment shader and skips blocks it rejects whole; a shader
/// that can discard writes depth only after it). "Far" is the box's farthest
/// corner: the room's shell, which encloses the eyes, then sorts after the
/// furniture it stands behind. Allocates nothing once `order` has room for
/// every opaque draw.
pub(crate) fn front_to_back(
    opaque: &[DrawCall],
    eye: Vec3,
    frustum: &EyePairFrustum,
    order: &mut Vec<(f32, u32)>,
) {
    order.clear();
    order.extend(
        opaque
            .iter()
            .enumerate()
            .filter(|(_, d)| frustum.sees(d.min, d.max))
            .map(|(i, d)| {
                let far = Vec3::select((d.min + d.max).cmplt(eye * 2.0), d.min, d.max);
                // Masked draws sort after every opaque one (keys above any
                // squared distance in a room).
                let late = if d.pipeline.alpha == AlphaPipeline::Mask {
                    1e9
                } else {
                    0.0
                };
                (late + far.distance_squared(eye), i as u32)
            }),
    );
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
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
                .all(|d| d.pipeline.alpha == AlphaPipeline::Blend && d.pipeline.double_sided)
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

    #[test]
    fn opaque_draws_go_near_to_far_with_the_enclosing_shell_and_masked_ones_last() {
        let draw = |min: Vec3, max: Vec3, alpha| DrawCall {
            first_index: 0,
            index_count: 3,
            material: 0,
            pipeline: PipelineKind {
                alpha,
                double_sided: false,
                textured: false,
            },
            centroid: (min + max) * 0.5,
            min,
            max,
            lights: DrawLights::default(),
        };
        let eye = Vec3::new(0.0, 1.6, 0.0);
        let opaque = [
            // The room's shell around the eyes.
            draw(
                Vec3::new(-3.0, 0.0, -3.0),
                Vec3::new(3.0, 2.7, 3.0),
                AlphaPipeline::Opaque,
            ),
            // A plant (masked leaves) right in front.
            draw(
                Vec3::new(-0.2, 0.0, -1.2),
                Vec3::new(0.2, 1.0, -0.8),
                AlphaPipeline::Mask,
            ),
            // A far sofa, then a near chair.
            draw(
                Vec3::new(-1.0, 0.0, -2.8),
                Vec3::new(1.0, 0.9, -2.0),
                AlphaPipeline::Opaque,
            ),
            draw(
                Vec3::new(-0.3, 0.0, -1.3),
                Vec3::new(0.3, 0.9, -0.7),
                AlphaPipeline::Opaque,
            ),
            // Behind the eyes: culled.
            draw(
                Vec3::new(-0.3, 0.0, 1.0),
                Vec3::new(0.3, 0.9, 1.5),
                AlphaPipeline::Opaque,
            ),
        ];
        let frustum = EyePairFrustum::new(&crate::render::EyeView::stereo_pair(
            eye,
            0.0,
            0.063,
            crate::render::Fov::symmetric(90.0),
        ));
        let mut order = Vec::with_capacity(opaque.len());
        front_to_back(&opaque, eye, &frustum, &mut order);
        let ids: Vec<u32> = order.iter().map(|o| o.1).collect();
        assert_eq!(ids, [3, 2, 0, 1]);
        assert_eq!(order.capacity(), opaque.len(), "no reallocation");
    }

    #[test]
    fn each_draw_lists_only_the_lamps_that_reach_it() {
        use crate::scene::{PointLight, SpotLight};
        let mut scene = build_scene(&House::single_room(default_room()), None);
        let lamp = |x: f32, range: f32| PointLight {
            position: Vec3::new(x, 1.0, 0.0),
            color: Vec3::ONE,
            range,
        };
        scene.lighting.points = vec![
            lamp(-10.0, 2.0),
            lamp(0.0, 2.0),
            lamp(10.0, 2.0),
            lamp(20.0, f32::INFINITY),
        ];
        scene.lighting.spots = vec![SpotLight {
            position: Vec3::new(0.5, 2.0, 0.0),
            direction: Vec3::NEG_Y,
            color: Vec3::ONE,
            range: 5.0,
            inner_cone: 0.3,
            outer_cone: 0.5,
        }];
        let near =
            DrawLights::reaching(&scene, Vec3::new(-0.5, 0.0, -0.5), Vec3::new(0.5, 1.0, 0.5));
        assert_eq!(
            near.counts,
            2 | (1 << 4) | REACHES_FLOOR,
            "lamps 1 and 3, the spot"
        );
        assert_eq!(near.points, 1 | (3 << 4));
        assert_eq!(near.spots, 0);
        let far_right =
            DrawLights::reaching(&scene, Vec3::new(9.5, 0.0, 0.0), Vec3::new(9.6, 0.5, 0.1));
        assert_eq!(far_right.counts & 15, 2, "lamps 2 and 3");
        assert_eq!(far_right.points, 2 | (3 << 4));
        assert_eq!(
            far_right.counts >> 4,
            REACHES_FLOOR >> 4,
            "the spot's 5 m end short of it"
        );
        let shelf =
            DrawLights::reaching(&scene, Vec3::new(0.0, 1.0, 0.0), Vec3::new(0.5, 1.2, 0.5));
        assert_eq!(
            shelf.counts & REACHES_FLOOR,
            0,
            "a wall shelf gets no contact shadows"
        );
    }
}

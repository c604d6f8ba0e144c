//! A tiny render that tells whether the driver's multiview puts each view
//! into its own layer (see `Gpu::check_multiview`).

use ash::vk;
use glam::{Quat, Vec3};

use super::camera::{EyeView, Fov};
use super::error::RenderError;
use super::gpu::Gpu;
use super::offscreen::render_offscreen;
use crate::scene::{Draw, House, Material, Vertex, build_scene, default_room};

/// Renders a glowing wall filling both views (one multiview pass, 32 x 32
/// per eye) and checks that both layers are covered.
pub(crate) fn multiview_fills_both_layers(gpu: &Gpu) -> Result<bool, RenderError> {
    let mut scene = build_scene(&House::single_room(default_room()), None);
    let corner = |x: f32, y: f32| Vertex::planar(Vec3::new(x, y, -1.0), Vec3::Z);
    scene.vertices = vec![
        corner(-5.0, -5.0),
        corner(5.0, -5.0),
        corner(5.0, 5.0),
        corner(-5.0, 5.0),
    ];
    scene.indices = vec![0, 1, 2, 0, 2, 3];
    scene.materials = vec![Material::srgb(0xFFFFFF, 1.0).glowing(1.0)];
    scene.draws = vec![Draw {
        first_index: 0,
        index_count: 6,
        material: 0,
    }];
    let eye = EyeView {
        position: Vec3::ZERO,
        orientation: Quat::IDENTITY,
        fov: Fov::symmetric(90.0),
    };
    let extent = vk::Extent2D {
        width: 32,
        height: 32,
    };
    let [left, right] = render_offscreen(gpu, &scene, &[eye, eye], extent)?;
    let covered = |image: &image::RgbaImage| image.pixels().all(|p| p[0] > 32);
    Ok(covered(&left) && covered(&right))
}

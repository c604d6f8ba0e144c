//! Eye views and projections (OpenXR conventions), and the per-frame uniform block.

use glam::{Mat4, Quat, Vec3};

use crate::scene::Scene;

/// Near plane in metres: close enough to see a hand 5 cm from the eye.
pub const NEAR: f32 = 0.05;
/// Far plane in metres: far beyond the room and the view out of the window.
pub const FAR: f32 = 100.0;

/// A field of view as four half-angles in radians, OpenXR sign convention:
/// `left` and `down` are negative for a view centred on its axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fov {
    /// Angle of the left edge (negative to the left).
    pub left: f32,
    /// Angle of the right edge.
    pub right: f32,
    /// Angle of the top edge.
    pub up: f32,
    /// Angle of the bottom edge (negative below).
    pub down: f32,
}

impl Fov {
    /// A symmetric field of view, `degrees` wide and high.
    pub fn symmetric(degrees: f32) -> Self {
        let half = (degrees * 0.5).to_radians();
        Fov {
            left: -half,
            right: half,
            up: half,
            down: -half,
        }
    }
}

/// One eye: pose in room space and field of view (what `xrLocateViews` gives).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EyeView {
    /// Eye position, metres.
    pub position: Vec3,
    /// Orientation; identity looks along -Z with +Y up.
    pub orientation: Quat,
    /// Field of view.
    pub fov: Fov,
}

impl EyeView {
    /// Both eyes of a head at `head` (eye height included) turned `yaw_deg`
    /// about +y (0 = looking along -Z), eyes `ipd` metres apart.
    pub fn stereo_pair(head: Vec3, yaw_deg: f32, ipd: f32, fov: Fov) -> [EyeView; 2] {
        let orientation = Quat::from_rotation_y(yaw_deg.to_radians());
        let right = orientation * Vec3::X;
        [-0.5f32, 0.5].map(|side| EyeView {
            position: head + right * (side * ipd),
            orientation,
            fov,
        })
    }

    /// Projection times view, for Vulkan clip space (y down, depth 0 at near, 1 at far).
    pub fn view_projection(&self) -> Mat4 {
        let tan = |a: f32| a.tan() * NEAR;
        let projection = glam::camera::rh::proj::vulkan::frustum(
            tan(self.fov.left),
            tan(self.fov.right),
            tan(self.fov.down),
            tan(self.fov.up),
            NEAR,
            FAR,
        );
        let world_from_eye = Mat4::from_rotation_translation(self.orientation, self.position);
        projection * world_from_eye.inverse()
    }
}

/// Point lights the shader reads (the block has a fixed array).
pub const MAX_POINT_LIGHTS: usize = 8;
/// Spot lights the shader reads.
pub const MAX_SPOT_LIGHTS: usize = 8;
/// Furniture footprints the shader darkens the floor around.
pub const MAX_FOOTPRINTS: usize = 16;

/// The per-frame uniform block, laid out as `Frame` in `shaders/room.wgsl`
/// (every member a 16-byte multiple, so std140 and `repr(C)` agree).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct FrameUniforms {
    pub view_proj: [[f32; 16]; 2],
    pub eye: [[f32; 4]; 2],
    pub sky_ambient: [f32; 4],
    pub ground_ambient: [f32; 4],
    pub sun_direction: [f32; 4],
    pub sun_color: [f32; 4],
    pub aperture: [f32; 4],
    pub aperture_plane: [f32; 4],
    pub room_min: [f32; 4],
    pub room_max: [f32; 4],
    pub params: [f32; 4],
    pub counts: [u32; 4],
    pub sun_view_proj: [f32; 16],
    pub shadow: [f32; 4],
    pub lights: [[f32; 8]; MAX_POINT_LIGHTS],
    pub spots: [[f32; 12]; MAX_SPOT_LIGHTS],
    pub footprints: [[f32; 4]; MAX_FOOTPRINTS],
}

impl FrameUniforms {
    /// The scene-dependent part; views are filled in per frame.
    pub(crate) fn for_scene(scene: &Scene) -> Self {
        let l = &scene.lighting;
        let mut u: FrameUniforms = bytemuck::Zeroable::zeroed();
        // Corner occlusion knows one box: the start room's, where the wearer stands.
        let room = scene.house.start_room();
        let (lo, hi) = (room.min(), room.max());
        u.room_min = [lo.x, 0.0, lo.y, 0.0];
        u.room_max = [hi.x, room.size.height, hi.y, 1.0];
        u.sky_ambient = l.sky_ambient.extend(0.0).to_array();
        u.ground_ambient = l.ground_ambient.extend(0.0).to_array();
        if let Some(sun) = &l.sun {
            u.sun_direction = sun.towards.normalize_or_zero().extend(1.0).to_array();
            u.sun_color = sun.color.extend(0.0).to_array();
        }
        if let Some(a) = &l.aperture {
            u.aperture = [a.min.x, a.min.y, a.max.x, a.max.y];
            // 2 cm soft edge: the sun is not a point and the frame has depth.
            u.aperture_plane = [a.plane_z, 0.02, 1.0, 0.0];
        }
        u.params = [l.exposure, 0.0, 0.0, 0.0];
        let count = l.points.len().min(MAX_POINT_LIGHTS);
        // Pieces standing on the floor cast contact shadows; rugs (flat) and
        // wall-hung pictures do not.
        let standing = scene
            .item_bounds
            .iter()
            .filter(|b| b.min.y < 0.05 && b.max.y > 0.05)
            .take(MAX_FOOTPRINTS);
        let mut footprints = 0;
        for (slot, b) in u.footprints.iter_mut().zip(standing) {
            *slot = [b.min.x, b.min.z, b.max.x, b.max.z];
            footprints += 1;
        }
        let spots = l.spots.len().min(MAX_SPOT_LIGHTS);
        u.counts = [count as u32, footprints, spots as u32, 0];
        for (slot, s) in u.spots.iter_mut().zip(&l.spots) {
            let d = s.direction.normalize_or(Vec3::NEG_Y);
            let (p, c) = (s.position, s.color);
            *slot = [
                p.x,
                p.y,
                p.z,
                s.range,
                d.x,
                d.y,
                d.z,
                s.outer_cone.cos(),
                c.x,
                c.y,
                c.z,
                s.inner_cone.min(s.outer_cone).cos(),
            ];
        }
        for (slot, p) in u.lights.iter_mut().zip(&l.points) {
            let c = p.color;
            *slot = [
                p.position.x,
                p.position.y,
                p.position.z,
                p.range,
                c.x,
                c.y,
                c.z,
                0.0,
            ];
        }
        u
    }

    pub(crate) fn set_views(&mut self, views: &[EyeView; 2]) {
        for (i, v) in views.iter().enumerate() {
            self.view_proj[i] = v.view_projection().to_cols_array();
            self.eye[i] = v.position.extend(1.0).to_array();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    mod shader {
        include!(concat!(env!("OUT_DIR"), "/room_layout.rs"));
    }

    #[test]
    fn uniform_and_push_blocks_match_the_shader_layout() {
        assert_eq!(size_of::<FrameUniforms>(), shader::UNIFORM_FRAME_SIZE);
        assert_eq!(
            crate::render::pipeline::PUSH_SIZE as usize,
            shader::PUSH_DRAW_SIZE
        );
        assert_eq!(
            size_of::<crate::render::materials::MaterialUniform>(),
            shader::UNIFORM_MATERIAL_SIZE
        );
    }

    fn clip(view: &EyeView, p: Vec3) -> Vec3 {
        let c = view.view_projection() * p.extend(1.0);
        c.truncate() / c.w
    }

    #[test]
    fn projection_maps_forward_up_and_depth_like_vulkan() {
        let eye = EyeView {
            position: Vec3::new(0.0, 1.6, 0.0),
            orientation: Quat::IDENTITY,
            fov: Fov::symmetric(90.0),
        };
        let ahead = clip(&eye, Vec3::new(0.0, 1.6, -2.0));
        assert!(ahead.x.abs() < 1e-5 && ahead.y.abs() < 1e-5);
        // Vulkan clip space has y down: a point above the eye has negative y.
        assert!(clip(&eye, Vec3::new(0.0, 2.6, -2.0)).y < 0.0);
        assert!(clip(&eye, Vec3::new(1.0, 1.6, -2.0)).x > 0.0);
        assert!(clip(&eye, Vec3::new(0.0, 1.6, -NEAR)).z.abs() < 1e-4);
        assert!((clip(&eye, Vec3::new(0.0, 1.6, -FAR)).z - 1.0).abs() < 1e-4);
        // A 45-degree ray hits the edge of a 90-degree view.
        assert!((clip(&eye, Vec3::new(2.0, 1.6, -2.0)).x - 1.0).abs() < 1e-4);
    }

    #[test]
    fn asymmetric_fov_shifts_the_centre() {
        let eye = EyeView {
            position: Vec3::ZERO,
            orientation: Quat::IDENTITY,
            fov: Fov {
                left: -0.9,
                right: 0.7,
                up: 0.8,
                down: -0.8,
            },
        };
        // The left edge direction lands on x = -1.
        let p = Vec3::new((-0.9f32).tan(), 0.0, -1.0);
        assert!((clip(&eye, p).x + 1.0).abs() < 1e-4);
        let p = Vec3::new(0.7f32.tan(), 0.0, -1.0);
        assert!((clip(&eye, p).x - 1.0).abs() < 1e-4);
    }

    #[test]
    fn stereo_pair_separates_eyes_by_ipd_across_the_view() {
        let [l, r] =
            EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 90.0, 0.063, Fov::symmetric(90.0));
        assert!(((r.position - l.position).length() - 0.063).abs() < 1e-6);
        // Yaw 90 looks along -X, so the right eye is towards -Z.
        assert!(r.position.z < l.position.z);
        let forward = l.orientation * Vec3::NEG_Z;
        assert!((forward - Vec3::NEG_X).length() < 1e-5);
    }
}

//! Small placing helpers shared by the model families: boxes between two corners,
//! turned legs, and rotations about a point.

use super::geometry::MeshData;
use super::shapes::{lathe, rounded_box};
use glam::{Affine3A, Quat, Vec2, Vec3};

/// A rounded box filling the space between the corners `min` and `max`.
pub fn block(min: Vec3, max: Vec3, radius: f32, seg: u32) -> MeshData {
    rounded_box(max - min, radius, seg, 1).at((min + max) * 0.5)
}

/// A turned leg standing on the floor at `(x, z)`: `foot` radius at the floor, `top`
/// radius at `height`, with a slightly rounded foot.
pub fn turned_leg(x: f32, z: f32, height: f32, foot: f32, top: f32) -> MeshData {
    let profile = [
        Vec2::new(0.0, 0.0),
        Vec2::new(foot * 0.85, 0.0),
        Vec2::new(foot, 0.006),
        Vec2::new(top, height),
        Vec2::new(0.0, height),
    ];
    lathe(&profile, 14, 35.0).at(Vec3::new(x, 0.0, z))
}

/// Rotates `mesh` by `angle` radians about the x axis through `pivot`.
pub fn tilt_x(mesh: MeshData, pivot: Vec3, angle: f32) -> MeshData {
    mesh.transform(
        Affine3A::from_translation(pivot)
            * Affine3A::from_quat(Quat::from_rotation_x(angle))
            * Affine3A::from_translation(-pivot),
    )
}

//! Frustum culling for an eye pair: a draw is recorded when its bounds touch
//! either eye's frustum (both eyes share one multiview pass, so a draw
//! either eye sees is drawn for both).

use glam::{Mat4, Vec3, Vec4};

use super::camera::EyeView;

/// The six planes (inward normals, `n·p + d >= 0` inside) of both eyes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EyePairFrustum {
    planes: [[Vec4; 6]; 2],
}

/// Planes of Vulkan clip space (depth 0..1) in the space `m` maps from
/// (Gribb and Hartmann's extraction).
fn planes(m: Mat4) -> [Vec4; 6] {
    let (r0, r1, r2, r3) = (m.row(0), m.row(1), m.row(2), m.row(3));
    [r3 + r0, r3 - r0, r3 + r1, r3 - r1, r2, r3 - r2]
}

impl EyePairFrustum {
    pub(crate) fn new(views: &[EyeView; 2]) -> Self {
        EyePairFrustum {
            planes: views.map(|v| planes(v.view_projection())),
        }
    }

    /// Whether the box `min..max` may be visible to either eye. Conservative:
    /// a box near a frustum corner can pass while outside.
    pub(crate) fn sees(&self, min: Vec3, max: Vec3) -> bool {
        self.planes.iter().any(|eye| {
            eye.iter().all(|p| {
                let n = p.truncate();
                // The box corner furthest along the plane's normal.
                let far = Vec3::select(n.cmpge(Vec3::ZERO), max, min);
                n.dot(far) + p.w >= 0.0
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Fov;

    #[test]
    fn boxes_behind_beside_or_beyond_both_eyes_are_culled() {
        let views =
            EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 0.0, 0.063, Fov::symmetric(90.0));
        let f = EyePairFrustum::new(&views);
        let cube = |c: Vec3| (c - Vec3::splat(0.2), c + Vec3::splat(0.2));
        let sees = |c: Vec3| {
            let (min, max) = cube(c);
            f.sees(min, max)
        };
        assert!(sees(Vec3::new(0.0, 1.6, -2.0)), "ahead");
        assert!(!sees(Vec3::new(0.0, 1.6, 2.0)), "behind");
        assert!(
            !sees(Vec3::new(-5.0, 1.6, -2.0)),
            "far to the left of a 90-degree view"
        );
        assert!(!sees(Vec3::new(0.0, 1.6, -200.0)), "beyond the far plane");
        // Straddling the left edge of the view: partly visible.
        assert!(sees(Vec3::new(-2.1, 1.6, -2.0)));
        // A room-sized box around the eyes is always drawn.
        assert!(f.sees(Vec3::new(-3.0, 0.0, -3.0), Vec3::new(3.0, 2.7, 3.0)));
    }
}

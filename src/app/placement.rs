//! Where the room goes in the play area.

use glam::{Quat, Vec3};

/// How room space maps into the tracking space the app renders in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoomPlacement {
    /// Rotation about +Y applied to the room, radians.
    pub yaw: f32,
    /// Where the room's centre (on the floor) lands in tracking space.
    pub centre: Vec3,
}

impl RoomPlacement {
    /// Maps a point from room space to tracking space.
    pub fn to_tracking(&self, p: Vec3) -> Vec3 {
        Quat::from_rotation_y(self.yaw) * p + self.centre
    }

    /// Maps a pose from tracking space to room space.
    pub fn pose_to_room(&self, position: Vec3, orientation: Quat) -> (Vec3, Quat) {
        let inv = Quat::from_rotation_y(-self.yaw);
        (inv * (position - self.centre), inv * orientation)
    }
}

/// Centres a `width` (x) by `depth` (z) room on the origin of a floor-level
/// tracking space, whose play-area bounds, when the runtime gives them, are a
/// rectangle centred on that origin (OpenXR `xrGetReferenceSpaceBoundsRect`).
/// When the play area's long side runs the other way from the room's, the room
/// turns a quarter so the wearer can walk its long side.
pub fn place_room(width: f32, depth: f32, bounds: Option<(f32, f32)>) -> RoomPlacement {
    let turn = match bounds {
        Some((bw, bd)) => (bw >= bd) != (width >= depth) && (bw - bd).abs() > 0.01,
        None => false,
    };
    RoomPlacement {
        yaw: if turn {
            std::f32::consts::FRAC_PI_2
        } else {
            0.0
        },
        centre: Vec3::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bounds_keeps_the_room_as_it_is() {
        let p = place_room(5.0, 4.0, None);
        assert_eq!(p.yaw, 0.0);
        assert_eq!(
            p.to_tracking(Vec3::new(2.5, 0.0, 2.0)),
            Vec3::new(2.5, 0.0, 2.0)
        );
    }

    #[test]
    fn long_sides_line_up() {
        assert_eq!(place_room(5.0, 4.0, Some((3.0, 2.0))).yaw, 0.0);
        let turned = place_room(5.0, 4.0, Some((2.0, 3.0)));
        assert!((turned.yaw - std::f32::consts::FRAC_PI_2).abs() < 1e-6);
        // the room's long (x) wall now runs along tracking z
        let corner = turned.to_tracking(Vec3::new(2.5, 0.0, 0.0));
        assert!(
            corner.x.abs() < 1e-5 && (corner.z.abs() - 2.5).abs() < 1e-5,
            "{corner}"
        );
    }

    #[test]
    fn pose_round_trip() {
        let p = place_room(5.0, 4.0, Some((2.0, 3.0)));
        let pos = Vec3::new(0.3, 1.6, -0.7);
        let (room_pos, _) = p.pose_to_room(p.to_tracking(pos), Quat::IDENTITY);
        assert!((room_pos - pos).length() < 1e-5);
    }
}

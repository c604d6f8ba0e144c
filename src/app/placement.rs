//! Where the room goes in the play area.

use crate::scene::Room;
use glam::{Quat, Vec3};

/// How room space maps into the tracking space the app renders in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoomPlacement {
    /// Rotation about +Y applied to house space, radians.
    pub yaw: f32,
    /// Where the house origin (on the floor) lands in tracking space.
    pub centre: Vec3,
}

impl RoomPlacement {
    /// Maps a point from house space to tracking space.
    pub fn to_tracking(&self, p: Vec3) -> Vec3 {
        Quat::from_rotation_y(self.yaw) * p + self.centre
    }

    /// Maps a pose from tracking space to house space.
    pub fn pose_to_room(&self, position: Vec3, orientation: Quat) -> (Vec3, Quat) {
        let inv = Quat::from_rotation_y(-self.yaw);
        (inv * (position - self.centre), inv * orientation)
    }
}

/// Centres `room` (the house's start room, `width` along x by `depth` along z)
/// on the origin of a floor-level tracking space, whose play-area bounds, when
/// the runtime gives them, are a rectangle centred on that origin (OpenXR
/// `xrGetReferenceSpaceBoundsRect`). When the play area's long side runs the
/// other way from the room's, the house turns a quarter so the wearer can walk
/// the room's long side.
pub fn place_room(room: &Room, bounds: Option<(f32, f32)>) -> RoomPlacement {
    let (width, depth) = (room.size.width, room.size.depth);
    let turn = match bounds {
        Some((bw, bd)) => (bw >= bd) != (width >= depth) && (bw - bd).abs() > 0.01,
        None => false,
    };
    let yaw = if turn {
        std::f32::consts::FRAC_PI_2
    } else {
        0.0
    };
    let centre = Vec3::new(room.centre.x, 0.0, room.centre.y);
    RoomPlacement {
        yaw,
        centre: -(Quat::from_rotation_y(yaw) * centre),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::RoomDimensions;
    use glam::Vec2;

    fn room(width: f32, depth: f32, centre: Vec2) -> Room {
        Room {
            name: "r".into(),
            centre,
            size: RoomDimensions {
                width,
                depth,
                height: 2.7,
            },
        }
    }

    #[test]
    fn no_bounds_keeps_the_room_as_it_is() {
        let p = place_room(&room(5.0, 4.0, Vec2::ZERO), None);
        assert_eq!(p.yaw, 0.0);
        assert_eq!(
            p.to_tracking(Vec3::new(2.5, 0.0, 2.0)),
            Vec3::new(2.5, 0.0, 2.0)
        );
    }

    #[test]
    fn long_sides_line_up() {
        assert_eq!(
            place_room(&room(5.0, 4.0, Vec2::ZERO), Some((3.0, 2.0))).yaw,
            0.0
        );
        let turned = place_room(&room(5.0, 4.0, Vec2::ZERO), Some((2.0, 3.0)));
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
        let p = place_room(&room(5.0, 4.0, Vec2::ZERO), Some((2.0, 3.0)));
        let pos = Vec3::new(0.3, 1.6, -0.7);
        let (room_pos, _) = p.pose_to_room(p.to_tracking(pos), Quat::IDENTITY);
        assert!((room_pos - pos).length() < 1e-5);
    }

    #[test]
    fn the_start_room_not_the_house_origin_is_centred() {
        // A start room east of the house origin: its centre lands on the play area's.
        let r = room(4.0, 5.0, Vec2::new(4.65, 0.5));
        for bounds in [None, Some((3.0, 2.0))] {
            let p = place_room(&r, bounds);
            let c = p.to_tracking(Vec3::new(4.65, 0.0, 0.5));
            assert!(c.length() < 1e-5, "{bounds:?}: {c}");
        }
    }
}

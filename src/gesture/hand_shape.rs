//! What one frame says about one hand: open or not, where the palm faces, where it is
//! relative to the head.

use super::config::GestureConfig;
use super::hand::{HandPose, Pose, joint};
use glam::Vec3;

/// The fingertips whose extension decides whether a hand is open (the thumb does not count:
/// a relaxed thumb lies along the palm in both an open hand and a fist).
const FINGERTIPS: [usize; 4] = [
    joint::INDEX_TIP,
    joint::MIDDLE_TIP,
    joint::RING_TIP,
    joint::LITTLE_TIP,
];

/// Eyes to the neck's pivot, in the head's frame (+Z is backwards, +Y up). Turning the head
/// swings the eyes about 10 cm around this point; measuring hands from it rather than from
/// the eyes keeps a still hand still while the head turns.
const NECK_FROM_EYES: Vec3 = Vec3::new(0.0, -0.1, 0.09);

/// The head's yaw-only frame: lateral and forward axes on the floor plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeadFrame {
    /// Eye position.
    pub eyes: Vec3,
    /// Neck pivot position (hands are measured from here).
    pub neck: Vec3,
    /// Horizontal unit vector towards the wearer's right.
    pub right: Vec3,
    /// Horizontal unit vector straight ahead.
    pub forward: Vec3,
}

impl HeadFrame {
    /// The frame of `head`; `previous` supplies the yaw when the head looks straight up or down.
    pub fn new(head: &Pose, previous: Option<&HeadFrame>) -> Self {
        let look = head.orientation * Vec3::NEG_Z;
        // Looking straight down, the head's up vector still points forward.
        let up_as_forward = head.orientation * Vec3::Y;
        let flat = Vec3::new(look.x, 0.0, look.z);
        let forward = if flat.length_squared() > 0.01 {
            flat.normalize()
        } else if let Some(p) = previous {
            p.forward
        } else {
            let f = Vec3::new(up_as_forward.x, 0.0, up_as_forward.z);
            f.try_normalize().unwrap_or(Vec3::NEG_Z)
        };
        let right = Vec3::new(-forward.z, 0.0, forward.x);
        Self {
            eyes: head.position,
            neck: head.position + head.orientation * NECK_FROM_EYES,
            right,
            forward,
        }
    }
}

/// Per-frame features of one tracked hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandShape {
    /// Palm position, stage space.
    pub palm: Vec3,
    /// Wrist position, stage space.
    pub wrist: Vec3,
    /// Whether enough fingers are extended for an open hand.
    pub open: bool,
    /// Palm normal (the palm joint's -Y axis) dotted with the head's horizontal forward axis:
    /// +1 when the palm faces straight away from the wearer, -1 straight back at them. (Measured
    /// against the forward axis rather than the eyes-to-palm line: a hand waving off to the
    /// side still faces forward, and its palm typically tilts 30-45 degrees down.)
    pub palm_forward: f32,
    /// Palm height above the eyes (negative: below).
    pub height: f32,
    /// Palm distance in front of the eyes along the head's forward axis.
    pub forward: f32,
}

impl HandShape {
    /// Measures `hand` against the head frame.
    pub fn measure(hand: &HandPose, head: &HeadFrame, config: &GestureConfig) -> Self {
        let j = &hand.joints;
        let palm = j[joint::PALM].position;
        let wrist = j[joint::WRIST].position;
        let size = wrist.distance(j[joint::MIDDLE_PROXIMAL].position).max(0.02);
        let reach = config.finger_extended_ratio * size;
        let extended = FINGERTIPS
            .iter()
            .filter(|&&tip| j[tip].position.distance(palm) >= reach)
            .count();
        let normal = j[joint::PALM].orientation * Vec3::NEG_Y;
        let rel = palm - head.eyes;
        Self {
            palm,
            wrist,
            open: extended >= usize::from(config.open_min_fingers),
            palm_forward: normal.dot(head.forward),
            height: rel.y,
            forward: rel.dot(head.forward),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::Quat;

    #[test]
    fn head_frame_follows_yaw_only() {
        let pose = Pose {
            position: Vec3::new(0.0, 1.6, 0.0),
            orientation: Quat::from_rotation_y(std::f32::consts::FRAC_PI_2)
                * Quat::from_rotation_x(-0.4),
        };
        let f = HeadFrame::new(&pose, None);
        // Yaw +90 degrees turns the wearer to face -X; their right is then -Z.
        assert!(f.forward.abs_diff_eq(Vec3::NEG_X, 1e-5), "{:?}", f.forward);
        assert!(f.right.abs_diff_eq(Vec3::NEG_Z, 1e-5), "{:?}", f.right);
    }

    #[test]
    fn looking_straight_down_keeps_the_previous_yaw() {
        let level = HeadFrame::new(
            &Pose {
                position: Vec3::ZERO,
                orientation: Quat::from_rotation_y(0.5),
            },
            None,
        );
        let down = Pose {
            position: Vec3::ZERO,
            orientation: Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2),
        };
        let f = HeadFrame::new(&down, Some(&level));
        assert!(f.forward.abs_diff_eq(level.forward, 1e-6));
    }
}

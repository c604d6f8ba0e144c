//! A 26-joint hand with adult proportions, posed from a palm pose and five finger curls.
//!
//! Local frame (the wrist's): fingers along -Z, back of the hand +Y, so the palm faces -Y, as
//! XR_EXT_hand_tracking and Monado's model have it. The right hand's thumb is on -X; the left
//! hand is the right one mirrored in X. Lengths are for a hand of 19 cm (wrist crease to middle
//! fingertip), scaled by [`HandModel::scale`].

use crate::gesture::hand::{HandPose, Handedness, JOINT_COUNT, Joint};
use glam::{Mat3, Quat, Vec3};

/// One finger of the right hand at scale 1: metacarpal base, knuckle, and the phalanx lengths
/// (proximal, intermediate, distal).
struct FingerShape {
    base: Vec3,
    knuckle: Vec3,
    phalanges: [f32; 3],
    /// Largest flexion at the three joints for curl 1, radians (MCP, PIP, DIP).
    flex: [f32; 3],
}

const FINGERS: [FingerShape; 4] = [
    FingerShape {
        base: Vec3::new(-0.014, 0.0, -0.012),
        knuckle: Vec3::new(-0.024, 0.002, -0.090),
        phalanges: [0.040, 0.024, 0.019],
        flex: [1.45, 1.75, 1.2],
    },
    FingerShape {
        base: Vec3::new(-0.003, 0.0, -0.012),
        knuckle: Vec3::new(-0.004, 0.003, -0.095),
        phalanges: [0.044, 0.027, 0.020],
        flex: [1.45, 1.8, 1.2],
    },
    FingerShape {
        base: Vec3::new(0.008, 0.0, -0.012),
        knuckle: Vec3::new(0.015, 0.002, -0.089),
        phalanges: [0.041, 0.026, 0.019],
        flex: [1.45, 1.8, 1.2],
    },
    FingerShape {
        base: Vec3::new(0.017, -0.002, -0.012),
        knuckle: Vec3::new(0.032, 0.0, -0.079),
        phalanges: [0.032, 0.019, 0.017],
        flex: [1.45, 1.75, 1.2],
    },
];

/// Thumb of the right hand: metacarpal base, then metacarpal, proximal and distal lengths
/// along its rest direction.
const THUMB_BASE: Vec3 = Vec3::new(-0.020, -0.012, -0.022);
const THUMB_BONES: [f32; 3] = [0.044, 0.032, 0.026];

/// Joint radii at scale 1, by joint index (palm, wrist, thumb x4, then 5 per finger).
const RADII: [f32; JOINT_COUNT] = [
    0.022, 0.021, 0.014, 0.011, 0.010, 0.009, 0.012, 0.010, 0.009, 0.008, 0.007, 0.012, 0.010,
    0.009, 0.008, 0.007, 0.011, 0.010, 0.009, 0.008, 0.007, 0.011, 0.009, 0.008, 0.007, 0.006,
];

/// A hand of one side and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandModel {
    /// Left or right.
    pub side: Handedness,
    /// Size relative to an adult hand of 19 cm.
    pub scale: f32,
}

/// Finger curls from 0 (straight) to 1 (fist): thumb, index, middle, ring, little.
pub type Curls = [f32; 5];

/// All fingers straight.
pub const OPEN: Curls = [0.0; 5];
/// A relaxed hand, as at rest.
pub const RELAXED: Curls = [0.35; 5];
/// A closed fist.
pub const FIST: Curls = [1.0; 5];
/// Index finger extended, the others closed.
pub const POINT: Curls = [1.0, 0.0, 1.0, 1.0, 1.0];

impl HandModel {
    /// Middle of the middle metacarpal (XR's palm joint), in the wrist frame.
    fn palm_local(&self) -> Vec3 {
        self.mirror(FINGERS[1].base.lerp(FINGERS[1].knuckle, 0.5)) * self.scale
    }

    fn mirror(&self, v: Vec3) -> Vec3 {
        match self.side {
            Handedness::Right => v,
            Handedness::Left => Vec3::new(-v.x, v.y, v.z),
        }
    }

    /// The hand with its palm joint at `palm`, fingers (the palm's -Z) along `fingers`, palm
    /// normal (the palm's -Y) along `normal`, and these curls.
    pub fn pose(&self, palm: Vec3, fingers: Vec3, normal: Vec3, curls: Curls) -> HandPose {
        let rot = Quat::from_mat3(&basis(fingers, -normal));
        let wrist = palm - rot * self.palm_local();
        let mut local = [(Vec3::ZERO, Vec3::NEG_Z); JOINT_COUNT];
        self.fill_local(&mut local, curls);
        let mut joints = [Joint::default(); JOINT_COUNT];
        for (k, ((p, dir), j)) in local.iter().zip(joints.iter_mut()).enumerate() {
            let back = if k <= 1 { Vec3::Y } else { finger_back(*dir) };
            *j = Joint {
                position: wrist + rot * *p,
                orientation: rot * Quat::from_mat3(&basis(*dir, back)),
                radius: RADII[k] * self.scale,
            };
        }
        // The palm joint sits mid-metacarpal with the wrist's orientation.
        joints[0].position = palm;
        HandPose { joints }
    }

    /// Joint positions and bone directions in the wrist frame.
    fn fill_local(&self, local: &mut [(Vec3, Vec3); JOINT_COUNT], curls: Curls) {
        let s = self.scale;
        local[0] = (self.palm_local(), Vec3::NEG_Z);
        local[1] = (Vec3::ZERO, Vec3::NEG_Z);
        // Thumb: rests pointing forward-outward and down; curling swings it across the palm.
        let side = if self.side == Handedness::Right {
            1.0
        } else {
            -1.0
        };
        let rest = self.mirror(Vec3::new(-0.45, -0.35, -0.82).normalize());
        let axis = Vec3::new(0.0, -0.35, -1.0).normalize() * side;
        let mut p = self.mirror(THUMB_BASE) * s;
        let mut dir = rest;
        for (i, len) in THUMB_BONES.iter().enumerate() {
            dir = Quat::from_axis_angle(axis, -curls[0] * [0.5, 0.6, 0.8][i]) * dir;
            local[2 + i] = (p, dir);
            p += dir * len * s;
        }
        local[5] = (p, dir);
        for (f, shape) in FINGERS.iter().enumerate() {
            let first = 6 + 5 * f;
            let base = self.mirror(shape.base) * s;
            let knuckle = self.mirror(shape.knuckle) * s;
            local[first] = (base, (knuckle - base).normalize());
            let mut p = knuckle;
            let mut dir = Vec3::NEG_Z;
            for (i, len) in shape.phalanges.iter().enumerate() {
                // Flexing turns the bone from -Z towards the palm (-Y).
                let bend = curls[1 + f].clamp(0.0, 1.0) * shape.flex[i];
                dir = Quat::from_rotation_x(-bend) * dir;
                local[first + 1 + i] = (p, dir);
                p += dir * len * s;
            }
            local[first + 4] = (p, dir);
        }
    }
}

/// The "back" axis of a finger bone in the wrist frame: perpendicular to the bone, on the
/// side of the back of the hand.
fn finger_back(dir: Vec3) -> Vec3 {
    let side = Vec3::X;
    side.cross(-dir).try_normalize().unwrap_or(Vec3::Y)
}

/// A rotation whose -Z is `forward` and whose +Y is `up` (made perpendicular).
fn basis(forward: Vec3, up: Vec3) -> Mat3 {
    let z = (-forward).try_normalize().unwrap_or(Vec3::Z);
    let x = up
        .cross(z)
        .try_normalize()
        .unwrap_or_else(|| z.any_orthonormal_vector());
    let y = z.cross(x);
    Mat3::from_cols(x, y, z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::hand::joint;

    fn tip_ratios(h: &HandPose) -> [f32; 4] {
        let j = &h.joints;
        let size = j[joint::WRIST]
            .position
            .distance(j[joint::MIDDLE_PROXIMAL].position);
        [10, 15, 20, 25].map(|k| j[k].position.distance(j[joint::PALM].position) / size)
    }

    #[test]
    fn proportions_and_conventions() {
        for side in [Handedness::Left, Handedness::Right] {
            let m = HandModel { side, scale: 1.0 };
            let h = m.pose(Vec3::new(0.2, 1.4, -0.35), Vec3::Y, Vec3::NEG_Z, OPEN);
            let palm = &h.joints[joint::PALM];
            assert!((palm.orientation * Vec3::NEG_Y).abs_diff_eq(Vec3::NEG_Z, 1e-4));
            assert!((palm.orientation * Vec3::NEG_Z).abs_diff_eq(Vec3::Y, 1e-4));
            let len = h.joints[joint::WRIST]
                .position
                .distance(h.joints[joint::MIDDLE_TIP].position);
            assert!((0.17..0.21).contains(&len), "hand length {len}");
            // Thumb on the anatomical side: palm forward and fingers up, the right thumb
            // points to the wearer's left... of the hand, i.e. -X for the right hand.
            let thumb_x = h.joints[joint::THUMB_TIP].position.x - palm.position.x;
            match side {
                Handedness::Right => assert!(thumb_x < 0.0, "{thumb_x}"),
                Handedness::Left => assert!(thumb_x > 0.0, "{thumb_x}"),
            }
            // Bones point along -Z of their joints.
            for k in [7, 8, 9] {
                let d = (h.joints[k + 1].position - h.joints[k].position).normalize();
                assert!((h.joints[k].orientation * Vec3::NEG_Z).abs_diff_eq(d, 1e-4));
            }
        }
    }

    #[test]
    fn curls_separate_open_relaxed_fist_point() {
        let m = HandModel {
            side: Handedness::Right,
            scale: 1.0,
        };
        let pose = |c| tip_ratios(&m.pose(Vec3::ZERO, Vec3::NEG_Z, Vec3::NEG_Y, c));
        assert!(pose(OPEN).iter().all(|&r| r > 1.0), "{:?}", pose(OPEN));
        assert!(
            pose(RELAXED).iter().all(|&r| r > 0.8),
            "{:?}",
            pose(RELAXED)
        );
        assert!(pose(FIST).iter().all(|&r| r < 0.65), "{:?}", pose(FIST));
        let p = pose(POINT);
        assert!(p[0] > 1.0 && p[1..].iter().all(|&r| r < 0.65), "{p:?}");
    }
}

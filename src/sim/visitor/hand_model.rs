//! Monado 25's hand model, as far as the visitor needs it.
//!
//! Measured against Monado with `xrLocateHandJointsEXT`: the wire pose is the
//! WRIST joint's pose; in the wrist frame the fingers point along -Z and the palm
//! normal is -Y, for both hands; the PALM joint has the wrist's orientation and
//! sits at (+-0.0033, 0.0010, -0.0644) m in the wrist frame (+ left, - right).

use glam::{DMat3, DQuat, DVec3};

/// Curls in wire order: little, ring, middle, index, thumb.
pub type Curls = [f64; 5];
/// All fingers open.
pub const OPEN: Curls = [0.0; 5];
/// A closed fist.
pub const FIST: Curls = [1.0; 5];
/// Index finger extended, the others curled.
pub const POINT: Curls = [1.0, 1.0, 1.0, 0.0, 1.0];
/// Hands hanging relaxed.
pub const RELAXED: Curls = [0.35; 5];

/// Monado's hand size and its PALM joint in the left wrist frame (x mirrored for the right).
const HAND_SIZE: f64 = 0.095;
const PALM_LOCAL_LEFT: DVec3 = DVec3::new(
    0.034639 * HAND_SIZE,
    0.01 * HAND_SIZE,
    -(0.35573 + 0.645 / 2.0) * HAND_SIZE,
);

/// Which hand; index 0 is left, 1 right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hand {
    /// Left.
    Left = 0,
    /// Right.
    Right = 1,
}

impl Hand {
    /// Left, right.
    pub const BOTH: [Hand; 2] = [Hand::Left, Hand::Right];

    /// The PALM joint's offset in this hand's wrist frame.
    pub fn palm_offset(self) -> DVec3 {
        match self {
            Hand::Left => PALM_LOCAL_LEFT,
            Hand::Right => PALM_LOCAL_LEFT * DVec3::new(-1.0, 1.0, 1.0),
        }
    }

    /// -1 for the left hand, +1 for the right (the side of the body it is on).
    pub fn side(self) -> f64 {
        match self {
            Hand::Left => -1.0,
            Hand::Right => 1.0,
        }
    }
}

/// The orientation that points the fingers along `fingers` with the palm normal along `palm`.
pub fn hand_quat(fingers: DVec3, palm: DVec3) -> DQuat {
    let z = -fingers.normalize();
    let p = palm - z * palm.dot(z);
    let y = -p.normalize();
    let q = DQuat::from_mat3(&DMat3::from_cols(y.cross(z), y, z)).normalize();
    if q.w < 0.0 { -q } else { q }
}

/// The palm normal (-Y) of an orientation.
pub fn palm_normal(q: DQuat) -> DVec3 {
    q * DVec3::NEG_Y
}

/// The finger direction (-Z) of an orientation.
pub fn finger_dir(q: DQuat) -> DVec3 {
    q * DVec3::NEG_Z
}

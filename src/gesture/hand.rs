//! The hand and head data the detector consumes, in stage space, metres.

use glam::{Quat, Vec3};
use serde::{Deserialize, Serialize};

/// Number of joints XR_EXT_hand_tracking reports per hand.
pub const JOINT_COUNT: usize = 26;

/// Indices into [`HandPose::joints`], in `XrHandJointEXT` order.
pub mod joint {
    /// Centre of the palm.
    pub const PALM: usize = 0;
    /// Wrist.
    pub const WRIST: usize = 1;
    /// Thumb tip.
    pub const THUMB_TIP: usize = 5;
    /// Index finger metacarpal.
    pub const INDEX_METACARPAL: usize = 6;
    /// Index finger proximal phalanx base.
    pub const INDEX_PROXIMAL: usize = 7;
    /// Index finger tip.
    pub const INDEX_TIP: usize = 10;
    /// Middle finger metacarpal.
    pub const MIDDLE_METACARPAL: usize = 11;
    /// Middle finger proximal phalanx base.
    pub const MIDDLE_PROXIMAL: usize = 12;
    /// Middle finger tip.
    pub const MIDDLE_TIP: usize = 15;
    /// Ring finger proximal phalanx base.
    pub const RING_PROXIMAL: usize = 17;
    /// Ring finger tip.
    pub const RING_TIP: usize = 20;
    /// Little finger proximal phalanx base.
    pub const LITTLE_PROXIMAL: usize = 22;
    /// Little finger tip.
    pub const LITTLE_TIP: usize = 25;
}

/// A rigid pose: position and orientation.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Pose {
    /// Position in metres.
    pub position: Vec3,
    /// Orientation; OpenXR convention, identity looks along -Z with +Y up.
    pub orientation: Quat,
}

/// One tracked joint.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Joint {
    /// Position in metres.
    pub position: Vec3,
    /// Orientation: -Z along the bone towards the fingertip, +Y out of the back of the hand.
    pub orientation: Quat,
    /// Joint radius in metres.
    pub radius: f32,
}

/// All 26 joints of one tracked hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandPose {
    /// Joints in `XrHandJointEXT` order (see [`joint`]).
    pub joints: [Joint; JOINT_COUNT],
}

/// Which hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Handedness {
    /// The wearer's left hand.
    Left,
    /// The wearer's right hand.
    Right,
}

/// Everything the detector sees at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackingFrame {
    /// Time in seconds on the source's own clock (strictly increasing).
    pub t: f64,
    /// Head (view) pose.
    pub head: Pose,
    /// Left hand, `None` when not tracked.
    pub left: Option<HandPose>,
    /// Right hand, `None` when not tracked.
    pub right: Option<HandPose>,
}

/// A recognised gesture kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GestureKind {
    /// The hello wave: an open hand raised in front, oscillating side to side.
    Wave,
    /// One lateral sweep of an open hand.
    Swipe,
}

/// Lateral direction, from the wearer's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Towards the wearer's left.
    Left,
    /// Towards the wearer's right.
    Right,
}

/// One recognised gesture; serialises to the `roomwave gestures` JSON Lines format.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GestureEvent {
    /// Time of recognition, on the frames' clock.
    pub t: f64,
    /// The hand that made it.
    pub hand: Handedness,
    /// What it was.
    pub gesture: GestureKind,
    /// For swipes, which way; `None` for waves.
    pub direction: Option<Direction>,
}

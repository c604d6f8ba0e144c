//! The gate between what a runtime reports and what the detector, the renderer and the
//! audio get: poses, views and fields of view that are not finite or not plausible are
//! dropped here, logged once per kind and counted for the session report.
//!
//! Runtimes do send garbage: an all-zero orientation for a pose flagged valid, NaN joints
//! in the frame a hand leaves the cameras, infinities from a driver dividing by a zero
//! timestamp. One NaN in a view matrix turns the whole frame black or (on some
//! compositors) poisons reprojection; one NaN in the detector's history keeps every later
//! comparison false. So nothing passes this gate that is not finite, inside
//! [`MAX_TRACKING_DISTANCE_M`], with a unit orientation and a frustum that can be built.

use crate::gesture::{HandPose, JOINT_COUNT, Joint, Pose, TrackingFrame};
use glam::{Quat, Vec3};
use serde::{Deserialize, Serialize};

/// Farthest a tracked position may be from the tracking space's origin, in metres. Any
/// real play area is within 100 m; beyond 10 km f32 positions lose millimetres, and
/// squared lengths of 1e19 and more overflow to infinity.
pub const MAX_TRACKING_DISTANCE_M: f32 = 10_000.0;

/// Largest magnitude of a field-of-view half-angle, radians (89°): `tan` of it is 57;
/// at 90° the frustum is infinite.
pub const MAX_FOV_ANGLE: f32 = 1.553;

/// Smallest span of a field of view across or up, radians: a narrower frustum divides by
/// almost zero in the projection.
pub const MIN_FOV_SPAN: f32 = 1e-3;

/// Orientations whose length is outside this range are not rotations (tracking jitter
/// leaves errors well under 1 %; the trace reader uses the same bound).
const UNIT_TOLERANCE: std::ops::RangeInclusive<f32> = 0.9..=1.1;

/// A pose as a runtime reported it: position in metres and orientation `[x, y, z, w]`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RawPose {
    /// Position, metres.
    pub position: [f32; 3],
    /// Orientation quaternion, `[x, y, z, w]`.
    pub orientation: [f32; 4],
}

/// One hand joint as a runtime reported it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RawJoint {
    /// Its pose.
    pub pose: RawPose,
    /// Its radius, metres.
    pub radius: f32,
    /// Whether the runtime flagged both position and orientation valid.
    pub valid: bool,
}

/// One hand's joints as a runtime reported them, in `XrHandJointEXT` order.
pub type RawHand = [RawJoint; JOINT_COUNT];

/// Field-of-view half-angles in radians, OpenXR's `XrFovf` (left and down are usually negative).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FovAngles {
    /// Angle of the left side of the frustum.
    pub left: f32,
    /// Angle of the right side.
    pub right: f32,
    /// Angle of the top.
    pub up: f32,
    /// Angle of the bottom.
    pub down: f32,
}

/// One eye's view as a runtime reported it (`XrView`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RawView {
    /// The eye's pose in the base space.
    pub pose: RawPose,
    /// Its field of view.
    pub fov: FovAngles,
}

/// A view that passed the gate: finite, bounded, unit orientation, a frustum that can be built.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckedView {
    /// The eye's pose in the base space (orientation normalised).
    pub pose: Pose,
    /// Its field of view.
    pub fov: FovAngles,
}

/// What the gate made of one frame of tracking.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckedTracking {
    /// For the detector: `None` when the head pose was dropped (the detector then resets,
    /// as when tracking is lost). Hands that were untracked or dropped are `None` inside.
    pub frame: Option<TrackingFrame>,
    /// The head for the station and the audio: checked and flagged located by the runtime.
    pub head: Option<Pose>,
}

/// The kinds of runtime data the gate checks; each is logged once and counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoseKind {
    /// The head (VIEW space) pose.
    HeadPose,
    /// An eye's pose from `xrLocateViews`.
    ViewPose,
    /// An eye's field of view from `xrLocateViews`.
    Fov,
    /// A hand joint from `xrLocateHandJointsEXT`.
    HandJoint,
}

impl PoseKind {
    fn name(self) -> &'static str {
        match self {
            PoseKind::HeadPose => "head pose",
            PoseKind::ViewPose => "view pose",
            PoseKind::Fov => "field of view",
            PoseKind::HandJoint => "hand joint",
        }
    }
}

/// How many reports of each kind were dropped (the session report's `pose_drops`).
/// A dropped view counts once per frame, a dropped hand once per hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoseDrops {
    /// Head poses dropped.
    pub head_pose: u64,
    /// Frames whose eye poses were dropped.
    pub view_pose: u64,
    /// Frames whose fields of view were dropped.
    pub fov: u64,
    /// Hands dropped for a bad joint.
    pub hand_joint: u64,
}

impl PoseDrops {
    fn count(&mut self, kind: PoseKind) -> u64 {
        let n = match kind {
            PoseKind::HeadPose => &mut self.head_pose,
            PoseKind::ViewPose => &mut self.view_pose,
            PoseKind::Fov => &mut self.fov,
            PoseKind::HandJoint => &mut self.hand_joint,
        };
        *n += 1;
        *n
    }

    /// Total drops of every kind.
    pub fn total(&self) -> u64 {
        self.head_pose + self.view_pose + self.fov + self.hand_joint
    }
}

/// The gate. Holds the drop counts and the last good views (a frame whose views are
/// dropped is drawn with the last good ones: the compositor reprojects from the pose the
/// layer names, so a stale pose is shown in the right place, where a skipped layer flashes).
#[derive(Clone, Debug, Default)]
pub struct PoseGuard {
    drops: PoseDrops,
    last_views: Option<[CheckedView; 2]>,
}

impl PoseGuard {
    /// A gate with nothing dropped yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops so far.
    pub fn drops(&self) -> PoseDrops {
        self.drops
    }

    /// Checks one frame of tracking: the head (with whether the runtime flagged it
    /// located) and each hand's joints (`None`: the hand is not tracked). `t` is the
    /// frame's time in seconds.
    pub fn tracking(
        &mut self,
        t: f64,
        head: &RawPose,
        head_located: bool,
        left: Option<&RawHand>,
        right: Option<&RawHand>,
    ) -> CheckedTracking {
        let Some(pose) = self.pose(PoseKind::HeadPose, head) else {
            return CheckedTracking {
                frame: None,
                head: None,
            };
        };
        let frame = TrackingFrame {
            t,
            head: pose,
            left: left.and_then(|j| self.hand(j)),
            right: right.and_then(|j| self.hand(j)),
        };
        CheckedTracking {
            frame: Some(frame),
            head: head_located.then_some(pose),
        }
    }

    /// Checks a hand: `None` when a joint is not flagged valid (a partial skeleton would
    /// fake motion; not counted) or is garbage (counted as a hand-joint drop).
    pub fn hand(&mut self, joints: &RawHand) -> Option<HandPose> {
        if !joints.iter().all(|j| j.valid) {
            return None;
        }
        let mut out = [Joint::default(); JOINT_COUNT];
        for (o, j) in out.iter_mut().zip(joints) {
            let checked = check_pose(&j.pose).filter(|_| j.radius.is_finite() && j.radius >= 0.0);
            let Some(pose) = checked else {
                self.dropped(PoseKind::HandJoint, &j.pose, j.radius);
                return None;
            };
            *o = Joint {
                position: pose.position,
                orientation: pose.orientation,
                radius: j.radius,
            };
        }
        Some(HandPose { joints: out })
    }

    /// Checks the two eyes' views (a runtime may report more views; the first two are the
    /// eyes of a stereo view configuration). When either is garbage, or fewer than two
    /// came, the last good views are returned; `None` before any good ones (end the frame
    /// without layers).
    pub fn views(&mut self, raw: &[RawView]) -> Option<[CheckedView; 2]> {
        if let [a, b, ..] = raw {
            let checked = [self.view(a), self.view(b)];
            if let [Some(a), Some(b)] = checked {
                self.last_views = Some([a, b]);
            }
        }
        self.last_views
    }

    fn view(&mut self, raw: &RawView) -> Option<CheckedView> {
        let pose = self.pose(PoseKind::ViewPose, &raw.pose)?;
        if !fov_ok(&raw.fov) {
            let f = raw.fov;
            self.log_once(PoseKind::Fov, || {
                format!(
                    "left {} right {} up {} down {}",
                    f.left, f.right, f.up, f.down
                )
            });
            return None;
        }
        Some(CheckedView { pose, fov: raw.fov })
    }

    fn pose(&mut self, kind: PoseKind, raw: &RawPose) -> Option<Pose> {
        let checked = check_pose(raw);
        if checked.is_none() {
            self.dropped(kind, raw, 0.0);
        }
        checked
    }

    fn dropped(&mut self, kind: PoseKind, raw: &RawPose, radius: f32) {
        self.log_once(kind, || {
            format!(
                "position {:?} orientation {:?} radius {radius}",
                raw.position, raw.orientation
            )
        });
    }

    fn log_once(&mut self, kind: PoseKind, value: impl FnOnce() -> String) {
        if self.drops.count(kind) == 1 {
            tracing::warn!(
                value = %value(),
                "the runtime reported an unusable {} (not finite, out of range or not a \
                 rotation); dropped. Later ones are dropped without a log line and counted \
                 in the report's pose_drops",
                kind.name()
            );
        }
    }
}

/// The pose with its orientation normalised, or `None` when it is not finite, farther
/// than [`MAX_TRACKING_DISTANCE_M`], or its orientation is not near unit length.
pub fn check_pose(raw: &RawPose) -> Option<Pose> {
    let position = Vec3::from_array(raw.position);
    let orientation = Quat::from_array(raw.orientation);
    let bounded = raw
        .position
        .iter()
        .all(|c| c.is_finite() && c.abs() <= MAX_TRACKING_DISTANCE_M);
    if !bounded || !orientation.is_finite() {
        return None;
    }
    if !UNIT_TOLERANCE.contains(&orientation.length()) {
        return None;
    }
    Some(Pose {
        position,
        orientation: orientation.normalize(),
    })
}

/// Whether a frustum can be built from `f`: finite angles within ±[`MAX_FOV_ANGLE`],
/// left of right and down below up by at least [`MIN_FOV_SPAN`].
pub fn fov_ok(f: &FovAngles) -> bool {
    let angles = [f.left, f.right, f.up, f.down];
    angles
        .iter()
        .all(|a| a.is_finite() && a.abs() <= MAX_FOV_ANGLE)
        && f.right - f.left >= MIN_FOV_SPAN
        && f.up - f.down >= MIN_FOV_SPAN
}

#[cfg(test)]
mod tests;

//! Where the wearer stands and looks: a path of keyframes (walking at constant speed between
//! them, turning with minimum-jerk), with the head on a neck pivot and a walking bob.

use super::script::{HandState, min_jerk};
use crate::gesture::hand::Pose;
use glam::{Quat, Vec2, Vec3};
use std::f32::consts::TAU;

/// The body at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BodyKey {
    /// Time, seconds from the start of the script.
    pub t: f32,
    /// Position on the floor (stage x, z) under the neck.
    pub pos: Vec2,
    /// Body yaw, radians (positive turns left; 0 faces -Z).
    pub yaw: f32,
    /// Head yaw relative to the body.
    pub head_yaw: f32,
    /// Head pitch (negative looks down).
    pub head_pitch: f32,
}

/// The wearer's path through a trace.
#[derive(Clone, Debug)]
pub struct BodyPath {
    keys: Vec<BodyKey>,
    /// Eye height when standing.
    pub eye_height: f32,
}

/// The body and head at one moment, in stage space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BodyPose {
    /// Floor point under the neck, with the torso's walking sway.
    pub origin: Vec3,
    /// Body orientation (yaw only).
    pub rotation: Quat,
    /// The head (eyes) pose.
    pub head: Pose,
}

impl BodyPath {
    /// A path starting at `start`.
    pub fn new(start: BodyKey, eye_height: f32) -> Self {
        Self {
            keys: vec![start],
            eye_height,
        }
    }

    /// The last keyframe.
    pub fn last(&self) -> BodyKey {
        self.keys[self.keys.len() - 1]
    }

    /// Adds a keyframe `duration` after the last one, changed by `change`.
    pub fn then(&mut self, duration: f32, change: impl FnOnce(&mut BodyKey)) {
        let mut k = self.last();
        k.t += duration.max(1e-3);
        change(&mut k);
        self.keys.push(k);
    }

    /// Walks `distance` metres along the body's facing in `duration`.
    pub fn walk(&mut self, distance: f32, duration: f32) {
        self.then(duration, |k| {
            let forward = Vec2::new(-k.yaw.sin(), -k.yaw.cos());
            k.pos += forward * distance;
        });
    }

    /// The body and head at time `t`.
    pub fn at(&self, t: f32) -> BodyPose {
        let i = self.keys.partition_point(|k| k.t <= t);
        let (a, b) = match (i.checked_sub(1), self.keys.get(i)) {
            (Some(p), Some(n)) => (self.keys[p], *n),
            (Some(p), None) => (self.keys[p], self.keys[p]),
            (None, _) => (self.keys[0], self.keys[0]),
        };
        let span = (b.t - a.t).max(1e-6);
        let u = ((t - a.t) / span).clamp(0.0, 1.0);
        let e = min_jerk(u);
        let pos = a.pos.lerp(b.pos, u);
        let speed = a.pos.distance(b.pos) / span;
        let yaw = a.yaw + (b.yaw - a.yaw) * e;
        let head_yaw = a.head_yaw + (b.head_yaw - a.head_yaw) * e;
        let pitch = a.head_pitch + (b.head_pitch - a.head_pitch) * e;
        let rotation = Quat::from_rotation_y(yaw);
        // Walking: the torso sways sideways once per stride and the head bobs twice.
        let walking = (speed / 1.2).min(1.0);
        let sway = rotation * Vec3::new(0.015 * walking * (TAU * 0.9 * t).sin(), 0.0, 0.0);
        let bob = 0.02 * walking * (TAU * 1.8 * t).sin();
        let origin = Vec3::new(pos.x, 0.0, pos.y) + sway;
        let neck = origin + Vec3::new(0.0, self.eye_height - 0.1 + bob, 0.0);
        let head_rot = Quat::from_rotation_y(yaw + head_yaw) * Quat::from_rotation_x(pitch);
        BodyPose {
            origin,
            rotation,
            head: Pose {
                position: neck + head_rot * Vec3::new(0.0, 0.1, -0.09),
                orientation: head_rot,
            },
        }
    }
}

impl BodyPose {
    /// A hand state from the body frame into stage space.
    pub fn place(&self, s: &HandState) -> HandState {
        HandState {
            palm: self.origin + self.rotation * s.palm,
            fingers: self.rotation * s.fingers,
            normal: self.rotation * s.normal,
            curls: s.curls,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_and_turning() {
        let mut p = BodyPath::new(
            BodyKey {
                t: 0.0,
                pos: Vec2::ZERO,
                yaw: std::f32::consts::FRAC_PI_2,
                head_yaw: 0.0,
                head_pitch: 0.0,
            },
            1.6,
        );
        p.walk(2.0, 2.0);
        let mid = p.at(1.0);
        // Facing -X after a +90 degree yaw: walking goes along -X.
        assert!((mid.origin.x + 1.0).abs() < 0.02, "{:?}", mid.origin);
        let look = mid.head.orientation * Vec3::NEG_Z;
        assert!(look.abs_diff_eq(Vec3::NEG_X, 1e-4));
        assert!((mid.head.position.y - 1.6).abs() < 0.03);
    }
}

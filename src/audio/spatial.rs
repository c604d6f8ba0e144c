//! The spatial model: how loud a point source is in each ear, from the head pose.
//!
//! Deliberately simple (no HRTF): inverse-distance attenuation and an
//! equal-power pan from the source's direction in head space, with sources
//! behind the head a little quieter, which is what lets a listener tell a
//! window in front from one behind when turning.

use glam::{Quat, Vec3};
use std::f32::consts::FRAC_PI_4;

/// Gain for each ear.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StereoGain {
    /// Left ear.
    pub left: f32,
    /// Right ear.
    pub right: f32,
}

impl StereoGain {
    /// Both ears at `g`.
    pub const fn centred(g: f32) -> Self {
        StereoGain { left: g, right: g }
    }

    /// Total power (left² + right²).
    pub fn power(&self) -> f32 {
        self.left * self.left + self.right * self.right
    }
}

/// Where the listener's head is, in room space (OpenXR view axes: +x right, +y up, -z forward).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Listener {
    /// Head position, metres.
    pub position: Vec3,
    /// Head orientation.
    pub orientation: Quat,
}

impl Default for Listener {
    /// Standing at the room's centre, eyes at 1.6 m, facing -z (the window wall).
    fn default() -> Self {
        Listener {
            position: Vec3::new(0.0, 1.6, 0.0),
            orientation: Quat::IDENTITY,
        }
    }
}

/// Sources nearer than this are as loud as at this distance (no blow-up at the ear).
pub const REFERENCE_DISTANCE: f32 = 1.0;
/// How much quieter a source straight behind the head is than one in front.
pub const BEHIND_GAIN: f32 = 0.7;

/// The gain in each ear for a source at `source` (room space).
pub fn source_gain(listener: &Listener, source: Vec3) -> StereoGain {
    let offset = source - listener.position;
    let distance = offset.length();
    let attenuation = REFERENCE_DISTANCE / distance.max(REFERENCE_DISTANCE);
    if distance < 1e-4 || !distance.is_finite() {
        return StereoGain::centred(attenuation * FRAC_PI_4.cos());
    }
    let local = listener.orientation.inverse() * (offset / distance);
    let pan = local.x.clamp(-1.0, 1.0);
    // Equal-power pan: the angle runs from 0 (all left) to pi/2 (all right).
    let angle = (pan + 1.0) * FRAC_PI_4;
    // local.z > 0 is behind the head (OpenXR looks down -z).
    let behind = local.z.max(0.0);
    let g = attenuation * (1.0 - (1.0 - BEHIND_GAIN) * behind);
    StereoGain {
        left: g * angle.cos(),
        right: g * angle.sin(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facing(yaw_deg: f32) -> Listener {
        Listener {
            position: Vec3::new(0.0, 1.6, 0.0),
            orientation: Quat::from_rotation_y(yaw_deg.to_radians()),
        }
    }

    #[test]
    fn a_source_ahead_is_centred() {
        let g = source_gain(&facing(0.0), Vec3::new(0.0, 1.6, -2.0));
        assert!((g.left - g.right).abs() < 1e-5);
        assert!((g.power() - 0.25).abs() < 1e-4, "1/d at 2 m: {}", g.power());
    }

    #[test]
    fn a_source_to_the_right_is_louder_in_the_right_ear() {
        let g = source_gain(&facing(0.0), Vec3::new(2.0, 1.6, 0.0));
        assert!(g.right > 0.99 * 0.5 && g.left < 1e-3, "{g:?}");
        // Turning left by 90 degrees puts the source behind the head; turning right, in front.
        let behind = source_gain(&facing(90.0), Vec3::new(2.0, 1.6, 0.0));
        let ahead = source_gain(&facing(-90.0), Vec3::new(2.0, 1.6, 0.0));
        assert!((behind.left - behind.right).abs() < 1e-4);
        assert!(behind.power() < ahead.power());
        assert!((behind.power() / ahead.power() - BEHIND_GAIN * BEHIND_GAIN).abs() < 1e-3);
    }

    #[test]
    fn turning_the_head_swaps_the_ears() {
        let window = Vec3::new(0.5, 1.5, -2.0);
        let left_turn = source_gain(&facing(60.0), window);
        let right_turn = source_gain(&facing(-60.0), window);
        assert!(left_turn.right > left_turn.left);
        assert!(right_turn.left > right_turn.right);
    }

    #[test]
    fn distance_attenuates_and_close_sources_do_not_blow_up() {
        let near = source_gain(&facing(0.0), Vec3::new(0.0, 1.6, -0.01));
        let at_ref = source_gain(&facing(0.0), Vec3::new(0.0, 1.6, -1.0));
        let far = source_gain(&facing(0.0), Vec3::new(0.0, 1.6, -4.0));
        assert!((near.power() - at_ref.power()).abs() < 1e-5);
        assert!((far.power() * 16.0 - at_ref.power()).abs() < 1e-4);
        let inside = source_gain(&facing(0.0), Vec3::new(0.0, 1.6, 0.0));
        assert!(inside.left.is_finite() && inside.left > 0.0);
    }
}

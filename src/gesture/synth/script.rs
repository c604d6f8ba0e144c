//! Hand motions as timelines of segments, in the body's frame (x right, y up from the floor,
//! -z forward, origin under the neck).

use super::skeleton::Curls;
use glam::{Quat, Vec3};
use std::f32::consts::TAU;

/// Where a hand is and how it is shaped, in the body frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandState {
    /// Palm joint position.
    pub palm: Vec3,
    /// Finger direction (the palm's -Z).
    pub fingers: Vec3,
    /// Palm normal (the palm's -Y).
    pub normal: Vec3,
    /// Finger curls.
    pub curls: Curls,
}

/// Minimum-jerk progress for `tau` in [0, 1]: how people move between two points.
pub fn min_jerk(tau: f32) -> f32 {
    let t = tau.clamp(0.0, 1.0);
    t * t * t * (10.0 - 15.0 * t + 6.0 * t * t)
}

fn blend_dir(a: Vec3, b: Vec3, s: f32) -> Vec3 {
    a.lerp(b, s).try_normalize().unwrap_or(b)
}

impl HandState {
    /// The state a fraction `s` of the way to `to`.
    pub fn blend(&self, to: &HandState, s: f32) -> HandState {
        let mut curls = self.curls;
        for (c, t) in curls.iter_mut().zip(to.curls) {
            *c += (t - *c) * s;
        }
        HandState {
            palm: self.palm.lerp(to.palm, s),
            fingers: blend_dir(self.fingers, to.fingers, s),
            normal: blend_dir(self.normal, to.normal, s),
            curls,
        }
    }
}

/// One piece of a hand's timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Segment {
    /// Stay.
    Hold(HandState),
    /// Move with a minimum-jerk profile, bulging `bulge` (body frame) at mid-way.
    Move {
        /// Start.
        from: HandState,
        /// End.
        to: HandState,
        /// Offset at mid-way, fading to zero at both ends (a sweep's arc).
        bulge: Vec3,
    },
    /// A hello wave: the forearm rotates about the elbow, below the hand, so the hand swings
    /// side to side on an arc and tilts with it.
    Wave {
        /// Hand at the middle of the swing.
        center: HandState,
        /// Lateral amplitude, metres per side.
        amplitude: f32,
        /// Cycles per second.
        frequency: f32,
        /// Elbow-to-palm distance.
        forearm: f32,
        /// Phase at the start, radians: 0 starts mid-swing, pi/2 at the right end.
        phase: f32,
        /// Seconds over which the swing grows to full amplitude (a wave warming up).
        ramp: f32,
        /// Palm turn about the vertical at full swing, radians (wrist flexing with the motion).
        twist: f32,
    },
    /// Small oscillation along `axis` (scratching, clapping, fiddling).
    Oscillate {
        /// Hand at rest position of the oscillation.
        center: HandState,
        /// Displacement at the peak, body frame.
        axis: Vec3,
        /// Cycles per second.
        frequency: f32,
        /// Curls at the far end of each cycle (clapping opens; fiddling grips).
        far_curls: Option<Curls>,
    },
}

impl Segment {
    /// The hand `tau` seconds into a segment lasting `duration`.
    pub fn at(&self, tau: f32, duration: f32) -> HandState {
        match *self {
            Segment::Hold(s) => s,
            Segment::Move { from, to, bulge } => {
                let u = (tau / duration.max(1e-3)).clamp(0.0, 1.0);
                let mut s = from.blend(&to, min_jerk(u));
                s.palm += bulge * (std::f32::consts::PI * u).sin();
                s
            }
            Segment::Wave {
                center,
                amplitude,
                frequency,
                forearm,
                phase,
                ramp,
                twist,
            } => {
                let grow = if ramp > 0.0 {
                    (0.5 + 0.5 * tau / ramp).min(1.0)
                } else {
                    1.0
                };
                let swing = (TAU * frequency * tau + phase).sin();
                let x = grow * amplitude * swing;
                let angle = (x / forearm).clamp(-1.0, 1.0).asin();
                let lean = Quat::from_rotation_z(-angle) * Quat::from_rotation_y(-twist * swing);
                let mut s = center;
                s.palm += Vec3::new(x, -forearm * (1.0 - angle.cos()), 0.0);
                s.fingers = lean * center.fingers;
                s.normal = lean * center.normal;
                s
            }
            Segment::Oscillate {
                center,
                axis,
                frequency,
                far_curls,
            } => {
                let w = 0.5 - 0.5 * (TAU * frequency * tau).cos();
                let mut s = center;
                s.palm += axis * w;
                if let Some(far) = far_curls {
                    s = s.blend(&HandState { curls: far, ..s }, w);
                }
                s
            }
        }
    }

    /// Where the segment ends.
    pub fn end(&self, duration: f32) -> HandState {
        self.at(duration, duration)
    }
}

/// A hand's timeline: segments back to back from time 0.
#[derive(Clone, Debug, Default)]
pub struct HandScript {
    pieces: Vec<(f32, f32, Segment)>,
}

impl HandScript {
    /// A timeline starting in `state`.
    pub fn new(state: HandState) -> Self {
        Self {
            pieces: vec![(0.0, 0.0, Segment::Hold(state))],
        }
    }

    /// When the timeline ends.
    pub fn end_time(&self) -> f32 {
        self.pieces.last().map_or(0.0, |(t, d, _)| t + d)
    }

    /// Where the hand is at the end.
    pub fn last(&self) -> HandState {
        self.pieces.last().map_or(
            HandState {
                palm: Vec3::ZERO,
                fingers: Vec3::NEG_Z,
                normal: Vec3::NEG_Y,
                curls: [0.0; 5],
            },
            |(_, d, s)| s.end(*d),
        )
    }

    /// Appends a segment; returns its start time.
    pub fn push(&mut self, duration: f32, segment: Segment) -> f32 {
        let t = self.end_time();
        self.pieces.push((t, duration, segment));
        t
    }

    /// Stays where the hand is for `duration`.
    pub fn hold(&mut self, duration: f32) -> f32 {
        let s = self.last();
        self.push(duration, Segment::Hold(s))
    }

    /// Moves to `to` in `duration`; returns the start time.
    pub fn move_to(&mut self, to: HandState, duration: f32) -> f32 {
        let from = self.last();
        self.push(
            duration,
            Segment::Move {
                from,
                to,
                bulge: Vec3::ZERO,
            },
        )
    }

    /// Holds until time `t` (no-op when already past it).
    pub fn hold_until(&mut self, t: f32) {
        let now = self.end_time();
        if t > now {
            self.hold(t - now);
        }
    }

    /// The hand at time `t` (after the end: where it ended).
    pub fn at(&self, t: f32) -> HandState {
        let i = self.pieces.partition_point(|(start, _, _)| *start <= t);
        let (start, d, seg) = self.pieces[i.saturating_sub(1)];
        seg.at((t - start).min(d), d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(x: f32) -> HandState {
        HandState {
            palm: Vec3::new(x, 1.3, -0.3),
            fingers: Vec3::Y,
            normal: Vec3::NEG_Z,
            curls: [0.0; 5],
        }
    }

    #[test]
    fn timeline_moves_and_holds() {
        let mut s = HandScript::new(state(0.0));
        s.hold(1.0);
        let t = s.move_to(state(0.4), 0.5);
        assert_eq!(t, 1.0);
        assert_eq!(s.at(0.5).palm.x, 0.0);
        assert!((s.at(1.25).palm.x - 0.2).abs() < 1e-5);
        assert!((s.at(9.0).palm.x - 0.4).abs() < 1e-6);
    }

    #[test]
    fn wave_swings_and_tilts() {
        let w = Segment::Wave {
            center: state(0.2),
            amplitude: 0.12,
            frequency: 2.0,
            forearm: 0.3,
            phase: 0.0,
            ramp: 0.0,
            twist: 0.0,
        };
        let peak = w.at(0.125, 1.0);
        assert!((peak.palm.x - 0.32).abs() < 1e-5);
        assert!(peak.palm.y < 1.3);
        // Fingers lean the way the hand moved.
        assert!(peak.fingers.x > 0.3);
    }
}

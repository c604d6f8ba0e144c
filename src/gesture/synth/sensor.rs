//! What a tracker makes of a performance: frames at a display rate with timing jitter,
//! position and orientation noise, dropped hands, one-frame glitches and, like Monado's
//! remote driver, samples held between packets.

use super::body::BodyPath;
use super::rng::Rng;
use super::script::{HandScript, HandState};
use super::skeleton::HandModel;
use crate::gesture::hand::{HandPose, Handedness, TrackingFrame};
use glam::{Quat, Vec3};

/// A wearer's body and both hands' timelines.
#[derive(Clone, Debug)]
pub struct Performance {
    /// The body and head.
    pub body: BodyPath,
    /// Left hand timeline (body frame).
    pub left: HandScript,
    /// Right hand timeline (body frame).
    pub right: HandScript,
    /// Left hand skeleton.
    pub left_model: HandModel,
    /// Right hand skeleton.
    pub right_model: HandModel,
}

/// How the performance is tracked.
#[derive(Clone, Debug)]
pub struct Sensor {
    /// Frames per second.
    pub rate: f32,
    /// Timestamp jitter, seconds (uniform, +-).
    pub jitter: f32,
    /// Position noise, metres (standard deviation of the whole hand's offset).
    pub noise: f32,
    /// Orientation noise, radians (standard deviation).
    pub angle_noise: f32,
    /// When set, hand data arrives at this rate and is held between packets.
    pub feed_rate: Option<f32>,
    /// Intervals (hand, start, duration) in which a hand is not tracked.
    pub dropouts: Vec<(Handedness, f32, f32)>,
    /// One-frame jumps (hand, time, offset).
    pub glitches: Vec<(Handedness, f32, Vec3)>,
    /// The trace clock at script time 0.
    pub t0: f64,
}

impl Sensor {
    /// Tracks `perf` for `seconds`.
    pub fn record(&self, perf: &Performance, seconds: f32, rng: &mut Rng) -> Vec<TrackingFrame> {
        let n = (seconds * self.rate) as usize;
        let mut frames = Vec::with_capacity(n);
        let mut held: [Option<(i64, HandPose)>; 2] = [None, None];
        let mut last_t = f64::NEG_INFINITY;
        for k in 0..n {
            let nominal = k as f32 / self.rate;
            let t = (nominal + self.jitter * rng.range(-1.0, 1.0)).max(0.0);
            let trace_t = self.t0 + f64::from(t);
            if trace_t <= last_t {
                continue;
            }
            last_t = trace_t;
            let body = perf.body.at(t);
            let mut head = body.head;
            head.position += Vec3::new(rng.normal(), rng.normal(), rng.normal()) * 0.0005;
            let hands = [
                (Handedness::Left, &perf.left, &perf.left_model),
                (Handedness::Right, &perf.right, &perf.right_model),
            ];
            let mut out = [None, None];
            for (i, (side, script, model)) in hands.into_iter().enumerate() {
                if self.dropped(side, t) {
                    continue;
                }
                // With a feed, the hand is sampled at packet times and repeated in between.
                let (packet, sample_t) = match self.feed_rate {
                    Some(f) => {
                        let p = (t * f).floor() as i64;
                        (p, p as f32 / f)
                    }
                    None => (k as i64, t),
                };
                if let Some((p, pose)) = held[i]
                    && p == packet
                {
                    out[i] = Some(pose);
                    continue;
                }
                let state = perf.body.at(sample_t).place(&script.at(sample_t));
                let mut pose = self.observe(model, &state, rng);
                if let Some(offset) = self.glitch(side, t) {
                    for j in &mut pose.joints {
                        j.position += offset;
                    }
                }
                held[i] = Some((packet, pose));
                out[i] = Some(pose);
            }
            frames.push(TrackingFrame {
                t: trace_t,
                head,
                left: out[0],
                right: out[1],
            });
        }
        frames
    }

    fn dropped(&self, side: Handedness, t: f32) -> bool {
        self.dropouts
            .iter()
            .any(|&(h, s, d)| h == side && t >= s && t < s + d)
    }

    fn glitch(&self, side: Handedness, t: f32) -> Option<Vec3> {
        let half = 0.5 / self.rate;
        self.glitches
            .iter()
            .find(|&&(h, at, _)| h == side && (t - at).abs() < half)
            .map(|&(_, _, o)| o)
    }

    /// The hand as a tracker reports it: the whole hand offset and turned a little, each
    /// joint jittered a little more.
    fn observe(&self, model: &HandModel, s: &HandState, rng: &mut Rng) -> HandPose {
        let offset = Vec3::new(rng.normal(), rng.normal(), rng.normal()) * self.noise;
        let axis = Vec3::new(rng.normal(), rng.normal(), rng.normal())
            .try_normalize()
            .unwrap_or(Vec3::X);
        let turn = Quat::from_axis_angle(axis, rng.normal() * self.angle_noise);
        let mut pose = model.pose(s.palm + offset, turn * s.fingers, turn * s.normal, s.curls);
        let joint_noise = self.noise * 0.4;
        for j in &mut pose.joints {
            j.position += Vec3::new(rng.normal(), rng.normal(), rng.normal()) * joint_noise;
        }
        pose
    }
}

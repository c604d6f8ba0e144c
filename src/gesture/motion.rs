//! One hand's recent path, relative to the wearer: lateral, vertical and forward travel and
//! lateral speed, in a fixed-size ring of samples (no allocation per frame).

use super::hand_shape::{HandShape, HeadFrame};
use glam::Vec3;

/// Samples kept per hand: 64 covers 0.5 s at 120 Hz, more than the velocity window and the
/// look-back to a stroke's onset need.
const CAPACITY: usize = 64;

/// One accepted sample of a hand's path.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample {
    /// Frame time.
    pub t: f64,
    /// Accumulated lateral travel (+ = wearer's right), metres.
    pub lat: f64,
    /// Accumulated vertical travel, metres.
    pub up: f64,
    /// Accumulated forward travel, metres.
    pub fwd: f64,
    /// Lateral speed over the velocity window, m/s (+ = towards the right).
    pub v: f32,
    /// Lateral position in the head's current yaw frame (not accumulated): a hand that turns
    /// with the body keeps it, whereas `lat` follows the hand through the room.
    pub hlat: f64,
}

/// What became of a frame's hand data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A new sample was appended.
    Moved,
    /// The path (re)started here: the previous samples are gone (first frame, long gap,
    /// or a jump the glitch filter gave up on).
    Restarted,
    /// Nothing new: an exact repeat of the previous data (sample-and-hold), or a glitch.
    Ignored,
}

/// A hand's recent path.
#[derive(Clone, Debug)]
pub struct Motion {
    samples: [Sample; CAPACITY],
    /// Index of the newest sample.
    newest: usize,
    len: usize,
    /// Palm minus neck, world axes, at the newest sample.
    prev_rel: Vec3,
    /// Raw palm and wrist of the last frame seen, to spot held (repeated) samples.
    last_palm: Vec3,
    last_wrist: Vec3,
    /// Consecutive samples rejected as glitches.
    glitches: u8,
}

impl Default for Motion {
    fn default() -> Self {
        Self {
            samples: [Sample::default(); CAPACITY],
            newest: 0,
            len: 0,
            prev_rel: Vec3::ZERO,
            last_palm: Vec3::NAN,
            last_wrist: Vec3::NAN,
            glitches: 0,
        }
    }
}

/// Motion settings taken from the config once.
#[derive(Clone, Copy, Debug)]
pub struct MotionLimits {
    /// Speed window, seconds.
    pub window: f64,
    /// Longest bridged gap, seconds.
    pub max_gap: f64,
    /// Speeds above this are glitches, m/s.
    pub glitch_speed: f32,
}

impl Motion {
    /// The newest sample, if any.
    pub fn newest(&self) -> Option<&Sample> {
        (self.len > 0).then(|| &self.samples[self.newest])
    }

    /// Samples from newest to oldest.
    pub fn iter_back(&self) -> impl Iterator<Item = &Sample> {
        (0..self.len).map(move |k| &self.samples[(self.newest + CAPACITY - k) % CAPACITY])
    }

    /// Forgets the path.
    pub fn clear(&mut self) {
        self.len = 0;
        self.glitches = 0;
    }

    /// Adds the hand seen at time `t`.
    pub fn push(
        &mut self,
        t: f64,
        shape: &HandShape,
        head: &HeadFrame,
        lim: &MotionLimits,
    ) -> Step {
        if shape.palm == self.last_palm && shape.wrist == self.last_wrist {
            // Sample-and-hold runtimes (Monado) repeat the last packet bit for bit: it says
            // nothing about the time of this frame.
            return Step::Ignored;
        }
        self.last_palm = shape.palm;
        self.last_wrist = shape.wrist;
        let rel = shape.palm - head.neck;
        let hlat = f64::from(rel.dot(head.right));
        let Some(prev) = self.newest().copied() else {
            self.restart(t, rel, hlat);
            return Step::Restarted;
        };
        let dt = t - prev.t;
        if dt > lim.max_gap || dt <= 0.0 {
            self.restart(t, rel, hlat);
            return Step::Restarted;
        }
        let delta = rel - self.prev_rel;
        if f64::from(delta.length()) > f64::from(lim.glitch_speed) * dt {
            self.glitches += 1;
            if self.glitches >= 3 {
                // Three jumps in a row: the tracker has settled somewhere new, follow it.
                self.restart(t, rel, hlat);
                return Step::Restarted;
            }
            return Step::Ignored;
        }
        self.glitches = 0;
        self.prev_rel = rel;
        let mut s = Sample {
            t,
            lat: prev.lat + f64::from(delta.dot(head.right)),
            up: prev.up + f64::from(delta.y),
            fwd: prev.fwd + f64::from(delta.dot(head.forward)),
            v: 0.0,
            hlat,
        };
        s.v = self.speed_to(&s, lim.window);
        self.append(s);
        Step::Moved
    }

    /// Lateral speed from the newest sample at least `window` older than `s` (or the oldest).
    fn speed_to(&self, s: &Sample, window: f64) -> f32 {
        let mut reference = None;
        for old in self.iter_back() {
            reference = Some(*old);
            if s.t - old.t >= window {
                break;
            }
        }
        match reference {
            Some(r) if s.t > r.t => ((s.lat - r.lat) / (s.t - r.t)) as f32,
            _ => 0.0,
        }
    }

    fn restart(&mut self, t: f64, rel: Vec3, hlat: f64) {
        self.clear();
        self.prev_rel = rel;
        self.append(Sample {
            t,
            hlat,
            ..Sample::default()
        });
    }

    fn append(&mut self, s: Sample) {
        self.newest = (self.newest + 1) % CAPACITY;
        self.samples[self.newest] = s;
        self.len = (self.len + 1).min(CAPACITY);
    }
}

//! A stroke: one sideways movement of a hand, from the moment it sets off to the moment it
//! stops or turns back. Swipes are single strokes from rest; waves are chains of strokes.

use super::config::GestureConfig;
use super::hand_shape::HandShape;
use super::motion::Sample;

/// One lateral movement and what the hand looked like during it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// +1 towards the wearer's right, -1 towards the left.
    pub dir: f64,
    /// Where it set off.
    pub start: Sample,
    /// The farthest point reached along `dir`.
    pub extreme: Sample,
    /// When the speed fell below the stop speed (equals `extreme.t` while moving).
    pub t_stop: f64,
    /// Highest lateral speed along `dir`, m/s.
    pub peak_speed: f32,
    /// Whether no other stroke ended shortly before this one began.
    pub from_rest: bool,
    frames: u32,
    open_frames: u32,
    palm_forward_frames: u32,
    palm_not_toward_frames: u32,
    height_sum: f32,
    forward_sum: f32,
}

impl Stroke {
    /// Starts a stroke at `start`, first observed moving at `now`.
    pub fn begin(dir: f64, start: Sample, now: Sample, from_rest: bool) -> Self {
        Self {
            dir,
            start,
            extreme: now,
            t_stop: now.t,
            peak_speed: 0.0,
            from_rest,
            frames: 0,
            open_frames: 0,
            palm_forward_frames: 0,
            palm_not_toward_frames: 0,
            height_sum: 0.0,
            forward_sum: 0.0,
        }
    }

    /// Adds one frame during which the hand kept moving along `dir`.
    pub fn extend(&mut self, s: &Sample, shape: &HandShape, config: &GestureConfig) {
        if (s.lat - self.extreme.lat) * self.dir >= 0.0 {
            self.extreme = *s;
        }
        self.t_stop = s.t;
        self.peak_speed = self.peak_speed.max(s.v * self.dir as f32);
        self.frames += 1;
        self.open_frames += u32::from(shape.open);
        self.palm_forward_frames += u32::from(shape.palm_forward >= config.wave_palm_away_min);
        self.palm_not_toward_frames +=
            u32::from(shape.palm_forward >= -config.swipe_palm_toward_head_max);
        self.height_sum += shape.height;
        self.forward_sum += shape.forward;
    }

    /// Lateral travel so far, metres.
    pub fn length(&self) -> f64 {
        (self.extreme.lat - self.start.lat) * self.dir
    }

    /// Lateral travel in the head's frame: near zero when the hand only turned with the body.
    pub fn head_length(&self) -> f64 {
        (self.extreme.hlat - self.start.hlat) * self.dir
    }

    /// Time from setting off to the farthest point.
    pub fn duration(&self) -> f64 {
        self.extreme.t - self.start.t
    }

    /// Vertical and forward travel, metres.
    pub fn off_axis(&self) -> f64 {
        let up = self.extreme.up - self.start.up;
        let fwd = self.extreme.fwd - self.start.fwd;
        up.hypot(fwd)
    }

    fn share(&self, n: u32) -> f32 {
        if self.frames == 0 {
            0.0
        } else {
            n as f32 / self.frames as f32
        }
    }

    /// Share of frames with an open hand.
    pub fn open_share(&self) -> f32 {
        self.share(self.open_frames)
    }

    /// Share of frames with the palm facing away from the head.
    pub fn palm_forward_share(&self) -> f32 {
        self.share(self.palm_forward_frames)
    }

    /// Share of frames with the palm not facing the head.
    pub fn palm_not_toward_share(&self) -> f32 {
        self.share(self.palm_not_toward_frames)
    }

    /// Mean palm height relative to the eyes.
    pub fn mean_height(&self) -> f32 {
        self.height_sum / self.frames.max(1) as f32
    }

    /// Mean palm distance in front of the eyes.
    pub fn mean_forward(&self) -> f32 {
        self.forward_sum / self.frames.max(1) as f32
    }

    /// Whether this (finished) stroke has the shape of a swipe.
    pub fn is_swipe(&self, c: &GestureConfig) -> bool {
        let len = self.length();
        let dur = self.duration();
        let height = self.mean_height();
        self.from_rest
            && len >= f64::from(c.swipe_min_length)
            && len <= f64::from(c.swipe_max_length)
            && dur >= f64::from(c.swipe_min_duration)
            && dur <= f64::from(c.swipe_max_duration)
            && self.peak_speed >= c.swipe_min_peak_speed
            && self.off_axis() <= f64::from(c.swipe_max_off_axis) * len
            && self.head_length() >= f64::from(c.swipe_min_head_share) * len
            && self.open_share() >= c.open_fraction_min
            && self.palm_not_toward_share() >= c.open_fraction_min
            && height >= c.swipe_min_height
            && height <= c.max_height
            && self.mean_forward() >= c.min_forward
    }

    /// Whether this stroke (finished, or moving with `length` so far) can be part of a wave.
    pub fn is_wave_stroke(&self, c: &GestureConfig) -> bool {
        let len = self.length();
        let height = self.mean_height();
        len >= f64::from(c.wave_min_stroke)
            && len <= f64::from(c.wave_max_stroke)
            && self.duration() <= f64::from(c.wave_max_stroke_duration)
            && self.open_share() >= c.open_fraction_min
            && self.palm_forward_share() >= c.open_fraction_min
            && height >= c.wave_min_height
            && height <= c.max_height
            && self.mean_forward() >= c.min_forward
    }
}

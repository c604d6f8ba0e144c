//! The gesture detector: frames in, wave and swipe events out.
//!
//! Each hand's palm is followed relative to the wearer's neck, on the head's current yaw axes,
//! so walking and turning do not look like hand motion. Its lateral path is cut into strokes
//! (one sideways movement each, with hysteresis on the speed). A swipe is one stroke from rest
//! that stops and does not turn back within `swipe_confirm`; a wave is a chain of alternating
//! strokes with the palm raised and facing away from the head.

use super::config::GestureConfig;
use super::hand::{
    Direction, GestureEvent, GestureKind, HandPose, Handedness, TrackingFrame, joint,
};
use super::hand_shape::{HandShape, HeadFrame};
use super::motion::{Motion, MotionLimits, Sample, Step};
use super::stroke::Stroke;

/// Finished strokes kept per hand: a wave needs `wave_min_reversals` of them (at most 6).
const RECENT: usize = 6;

/// Detects waves and swipes of both hands in a stream of tracking frames.
#[derive(Clone, Debug)]
pub struct GestureDetector {
    config: GestureConfig,
    limits: MotionLimits,
    head: Option<HeadFrame>,
    last_t: f64,
    hands: [HandTrack; 2],
}

impl GestureDetector {
    /// A detector with these thresholds (call [`GestureConfig::validate`] first for input
    /// from users; out-of-range values make a detector that rarely or never fires).
    pub fn new(config: &GestureConfig) -> Self {
        Self {
            config: config.clone(),
            limits: MotionLimits {
                window: f64::from(config.velocity_window),
                max_gap: f64::from(config.max_dropout),
                glitch_speed: config.glitch_speed,
            },
            head: None,
            last_t: f64::NEG_INFINITY,
            hands: [
                HandTrack::new(Handedness::Left),
                HandTrack::new(Handedness::Right),
            ],
        }
    }

    /// The thresholds in use.
    pub fn config(&self) -> &GestureConfig {
        &self.config
    }

    /// Forgets all motion seen so far.
    pub fn reset(&mut self) {
        *self = Self::new(&self.config);
    }

    /// Feeds one frame; appends the gestures recognised at this frame to `out`.
    ///
    /// Frames whose time does not increase, and heads with non-finite poses, are skipped;
    /// a hand with non-finite joints counts as not tracked.
    pub fn update(&mut self, frame: &TrackingFrame, out: &mut Vec<GestureEvent>) {
        let finite_head = frame.head.position.is_finite() && frame.head.orientation.is_finite();
        if frame.t <= self.last_t || !frame.t.is_finite() || !finite_head {
            tracing::trace!(t = frame.t, "gesture detector skipped a frame");
            return;
        }
        self.last_t = frame.t;
        let head = HeadFrame::new(&frame.head, self.head.as_ref());
        self.head = Some(head);
        let hands = [frame.left.as_ref(), frame.right.as_ref()];
        for (i, hand) in hands.into_iter().enumerate() {
            let hand = hand.filter(|h| usable(h));
            self.hands[i].partner_last = self.hands[1 - i].last_gesture;
            self.hands[i].observe(frame.t, hand, &head, &self.config, &self.limits, out);
        }
        for i in 0..2 {
            let (a, b) = self.hands.split_at_mut(1);
            let (mine, other) = if i == 0 {
                (&mut a[0], &b[0])
            } else {
                (&mut b[0], &a[0])
            };
            mine.partner_last = other.last_gesture;
            mine.resolve_swipe(frame.t, other, &self.config, out);
        }
    }
}

/// Whether the joints the detector reads are finite.
fn usable(hand: &HandPose) -> bool {
    const READ: [usize; 7] = [
        joint::PALM,
        joint::WRIST,
        joint::MIDDLE_PROXIMAL,
        joint::INDEX_TIP,
        joint::MIDDLE_TIP,
        joint::RING_TIP,
        joint::LITTLE_TIP,
    ];
    READ.iter().all(|&k| hand.joints[k].position.is_finite())
        && hand.joints[joint::PALM].orientation.is_finite()
}

/// One hand's state.
#[derive(Clone, Debug)]
struct HandTrack {
    hand: Handedness,
    motion: Motion,
    active: Option<Stroke>,
    recent: [Option<Stroke>; RECENT],
    /// Index of the newest finished stroke in `recent`.
    recent_newest: usize,
    /// A finished stroke shaped like a swipe, waiting to see that the hand does not turn back.
    pending: Option<Stroke>,
    /// Set by a wave until the hand has been seen quiet for `wave_end_quiet`.
    wave_lock: bool,
    last_motion_t: f64,
    /// Time of the previous frame this hand was observed in.
    last_observed_t: f64,
    /// How long the hand has been seen without motion, counting only frames
    /// that follow each other within `max_gap`: a stalled app sees no frames
    /// for a while, and that is no evidence the wave is over.
    quiet_seen: f64,
    last_event_t: f64,
    /// Stop time and direction of this hand's last reported swipe.
    last_swipe: Option<(f64, f64)>,
    /// This hand's last gesture (reported or absorbed as a duplicate).
    last_gesture: Option<GestureEvent>,
    /// The other hand's last gesture, as of this frame.
    partner_last: Option<GestureEvent>,
}

impl HandTrack {
    fn new(hand: Handedness) -> Self {
        Self {
            hand,
            motion: Motion::default(),
            active: None,
            recent: [None; RECENT],
            recent_newest: 0,
            pending: None,
            wave_lock: false,
            last_motion_t: f64::NEG_INFINITY,
            last_observed_t: f64::NEG_INFINITY,
            quiet_seen: 0.0,
            last_event_t: f64::NEG_INFINITY,
            last_swipe: None,
            last_gesture: None,
            partner_last: None,
        }
    }

    /// The `k`-th newest finished stroke (0 = newest).
    fn recent_back(&self, k: usize) -> Option<&Stroke> {
        if k >= RECENT {
            return None;
        }
        self.recent[(self.recent_newest + RECENT - k) % RECENT].as_ref()
    }

    fn push_recent(&mut self, s: Stroke) {
        self.recent_newest = (self.recent_newest + 1) % RECENT;
        self.recent[self.recent_newest] = Some(s);
    }

    fn pop_recent(&mut self) -> Option<Stroke> {
        let s = self.recent[self.recent_newest].take();
        self.recent_newest = (self.recent_newest + RECENT - 1) % RECENT;
        s
    }

    fn observe(
        &mut self,
        t: f64,
        hand: Option<&HandPose>,
        head: &HeadFrame,
        c: &GestureConfig,
        lim: &MotionLimits,
        out: &mut Vec<GestureEvent>,
    ) {
        if let Some(h) = hand {
            let shape = HandShape::measure(h, head, c);
            match self.motion.push(t, &shape, head, lim) {
                Step::Ignored => {}
                Step::Restarted => {
                    self.active = None;
                    self.recent = [None; RECENT];
                }
                Step::Moved => {
                    if let Some(s) = self.motion.newest().copied() {
                        self.advance(&s, &shape, c, out);
                    }
                }
            }
        }
        if self.active.is_some() {
            let stale = self.motion.newest().is_none_or(|s| t - s.t > lim.max_gap);
            if stale {
                self.active = None;
            }
        }
        let dt = t - self.last_observed_t;
        self.last_observed_t = t;
        if self.last_motion_t >= t {
            self.quiet_seen = 0.0;
        } else if dt <= lim.max_gap {
            self.quiet_seen += dt;
        }
        if self.wave_lock && self.active.is_none() && self.quiet_seen >= f64::from(c.wave_end_quiet)
        {
            self.wave_lock = false;
        }
    }

    /// Follows the strokes with the newest sample `s`.
    fn advance(
        &mut self,
        s: &Sample,
        shape: &HandShape,
        c: &GestureConfig,
        out: &mut Vec<GestureEvent>,
    ) {
        let v = f64::from(s.v);
        let stop = f64::from(c.stroke_stop_speed);
        if let Some(mut a) = self.active.take() {
            if v * a.dir >= stop {
                a.extend(s, shape, c);
                self.active = Some(a);
                self.last_motion_t = s.t;
                self.check_wave(s.t, c, out);
                return;
            }
            a.t_stop = s.t;
            self.finish(a, c);
        }
        if v.abs() < f64::from(c.stroke_start_speed) {
            return;
        }
        let dir = v.signum();
        let resumable = self
            .recent_back(0)
            .is_some_and(|r| r.dir == dir && s.t - r.t_stop <= f64::from(c.swipe_confirm));
        let mut stroke = if resumable {
            // The hand only paused (a held sample, a hesitation): same stroke.
            self.pending = None;
            self.pop_recent()
        } else {
            None
        }
        .unwrap_or_else(|| {
            // A new stroke, or a turn back: no swipe is pending any more.
            self.pending = None;
            self.begin(dir, s, c)
        });
        stroke.extend(s, shape, c);
        self.active = Some(stroke);
        self.last_motion_t = s.t;
        self.check_wave(s.t, c, out);
    }

    /// A stroke along `dir`, set off where the hand last moved slower than the stop speed.
    fn begin(&self, dir: f64, now: &Sample, c: &GestureConfig) -> Stroke {
        let stop = f64::from(c.stroke_stop_speed);
        let previous = self.recent_back(0);
        let bound = previous.map_or(f64::NEG_INFINITY, |p| p.extreme.t);
        let mut start = *now;
        for old in self.motion.iter_back() {
            start = *old;
            if f64::from(old.v) * dir < stop || old.t <= bound {
                break;
            }
        }
        let from_rest =
            previous.is_none_or(|p| start.t - p.t_stop >= f64::from(c.swipe_rest_before));
        Stroke::begin(dir, start, *now, from_rest)
    }

    fn finish(&mut self, a: Stroke, c: &GestureConfig) {
        tracing::trace!(
            hand = ?self.hand,
            start = a.start.t,
            stop = a.t_stop,
            dir = a.dir,
            length = a.length(),
            head_length = a.head_length(),
            duration = a.duration(),
            peak = a.peak_speed,
            off_axis = a.off_axis(),
            open = a.open_share(),
            palm_forward = a.palm_forward_share(),
            height = a.mean_height(),
            forward = a.mean_forward(),
            from_rest = a.from_rest,
            swipe = a.is_swipe(c),
            wave = a.is_wave_stroke(c),
            "stroke finished"
        );
        self.last_motion_t = a.t_stop;
        if !self.wave_lock && a.is_swipe(c) {
            self.pending = Some(a);
        }
        self.push_recent(a);
    }

    /// Reports a wave when the active stroke completes a chain of alternating wave strokes.
    fn check_wave(&mut self, t: f64, c: &GestureConfig, out: &mut Vec<GestureEvent>) {
        if self.wave_lock {
            return;
        }
        let Some(mut later) = self.active else { return };
        if !later.is_wave_stroke(c) {
            return;
        }
        for k in 0..usize::from(c.wave_min_reversals) {
            let Some(prev) = self.recent_back(k) else {
                return;
            };
            let chained = prev.dir != later.dir
                && later.start.t - prev.t_stop <= f64::from(c.wave_max_gap)
                && prev.is_wave_stroke(c);
            if !chained {
                return;
            }
            later = *prev;
        }
        self.wave_lock = true;
        self.pending = None;
        if t - self.last_event_t >= f64::from(c.cooldown) {
            let e = GestureEvent {
                t,
                hand: self.hand,
                gesture: GestureKind::Wave,
                direction: None,
            };
            self.emit(e, c, out);
        }
    }

    /// Reports a pending swipe once the hand has not turned back for `swipe_confirm`.
    fn resolve_swipe(
        &mut self,
        t: f64,
        other: &HandTrack,
        c: &GestureConfig,
        out: &mut Vec<GestureEvent>,
    ) {
        let Some(p) = self.pending else { return };
        if t - p.t_stop < f64::from(c.swipe_confirm) {
            return;
        }
        self.pending = None;
        // Bringing the hand back after a swipe is part of the same motion.
        let returning = self.last_swipe.is_some_and(|(stop, dir)| {
            dir == -p.dir && p.start.t - stop < f64::from(c.swipe_return_window)
        });
        let blocked = self.wave_lock
            || returning
            || t - self.last_event_t < f64::from(c.cooldown)
            || other.mirrors(&p, c);
        if blocked {
            return;
        }
        self.last_swipe = Some((p.t_stop, p.dir));
        let e = GestureEvent {
            t,
            hand: self.hand,
            gesture: GestureKind::Swipe,
            direction: Some(if p.dir > 0.0 {
                Direction::Right
            } else {
                Direction::Left
            }),
        };
        self.emit(e, c, out);
    }

    /// Reports `e`, unless the other hand just reported the same gesture: both hands waving
    /// (or swiping the same way) together are one gesture.
    fn emit(&mut self, e: GestureEvent, c: &GestureConfig, out: &mut Vec<GestureEvent>) {
        self.last_event_t = e.t;
        self.last_gesture = Some(e);
        let twin = self.partner_last.is_some_and(|p| {
            p.gesture == e.gesture
                && p.direction == e.direction
                && e.t - p.t < f64::from(c.cooldown)
        });
        if twin {
            tracing::debug!(hand = ?e.hand, "gesture made with both hands reported once");
        } else {
            out.push(e);
        }
    }

    /// Whether this hand moved the opposite way at the same time as `p` (a clap, or both
    /// hands spreading), which makes `p` no swipe.
    fn mirrors(&self, p: &Stroke, c: &GestureConfig) -> bool {
        let opposite = |q: &Stroke| {
            q.dir == -p.dir
                && q.length() >= 0.5 * f64::from(c.swipe_min_length)
                && q.start.t <= p.t_stop
                && q.t_stop >= p.start.t
        };
        self.active.as_ref().is_some_and(opposite) || self.recent_back(0).is_some_and(opposite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::hand::Pose;
    use crate::gesture::synth::{Curls, FIST, HandModel, OPEN, RELAXED};
    use glam::{Quat, Vec3};
    use std::f32::consts::PI;

    /// Palm position, fingers, palm normal and curls of the right hand at time t.
    type Script = dyn Fn(f32) -> (Vec3, Vec3, Vec3, Curls);

    const REST: (Vec3, Vec3, Vec3) = (Vec3::new(0.22, 0.95, -0.05), Vec3::NEG_Y, Vec3::NEG_X);

    fn run(rate: f32, seconds: f32, yaw: f32, script: &Script) -> Vec<GestureEvent> {
        run_with(rate, seconds, yaw, script, &|_, f| Some(*f))
    }

    /// Like `run`, with `tamper` changing (or dropping, with `None`) each frame.
    fn run_with(
        rate: f32,
        seconds: f32,
        yaw: f32,
        script: &Script,
        tamper: &dyn Fn(f32, &TrackingFrame) -> Option<TrackingFrame>,
    ) -> Vec<GestureEvent> {
        let mut d = GestureDetector::new(&GestureConfig::default());
        let model = HandModel {
            side: Handedness::Right,
            scale: 1.0,
        };
        let left = HandModel {
            side: Handedness::Left,
            scale: 1.0,
        };
        let turn = Quat::from_rotation_y(yaw);
        let mut out = Vec::new();
        let n = (seconds * rate) as usize;
        for i in 0..n {
            let t = i as f32 / rate;
            let (p, f, nrm, c) = script(t);
            let head = Pose {
                position: Vec3::new(0.0, 1.6, 0.0),
                orientation: turn,
            };
            let frame = TrackingFrame {
                t: 100.0 + f64::from(t),
                head,
                left: Some(left.pose(
                    turn * Vec3::new(-0.22, 0.95, -0.05),
                    turn * Vec3::NEG_Y,
                    turn * Vec3::X,
                    RELAXED,
                )),
                right: Some(model.pose(turn * p, turn * f, turn * nrm, c)),
            };
            if let Some(frame) = tamper(t, &frame) {
                d.update(&frame, &mut out);
            }
        }
        out
    }

    /// Monado's scripted wave: rest, then at (0.2, 1.45, -0.35) oscillating +-0.12 m at 2 Hz.
    fn wave(curls: Curls) -> impl Fn(f32) -> (Vec3, Vec3, Vec3, Curls) {
        wave_for(2.0, curls)
    }

    /// The scripted wave, from t = 1 s for `seconds`.
    fn wave_for(seconds: f32, curls: Curls) -> impl Fn(f32) -> (Vec3, Vec3, Vec3, Curls) {
        move |t| {
            if !(1.0..1.0 + seconds).contains(&t) {
                return (REST.0, REST.1, REST.2, RELAXED);
            }
            let phase = 2.0 * PI * 2.0 * (t - 1.0);
            let x = 0.2 + 0.12 * phase.sin();
            let roll = 0.35 * phase.sin();
            let fingers = Quat::from_rotation_z(-roll) * Vec3::Y;
            (Vec3::new(x, 1.45, -0.35), fingers, Vec3::NEG_Z, curls)
        }
    }

    /// A 0.45 m min-jerk sweep at chest height, palm towards the motion.
    fn sweep(dir: f32, curls: Curls) -> impl Fn(f32) -> (Vec3, Vec3, Vec3, Curls) {
        move |t| {
            let x0 = 0.22 - dir * 0.225;
            let tau = ((t - 1.0) / 0.6).clamp(0.0, 1.0);
            let s = tau * tau * tau * (10.0 - 15.0 * tau + 6.0 * tau * tau);
            let x = x0 + dir * 0.45 * s;
            (
                Vec3::new(x, 1.35, -0.30),
                Vec3::Y,
                Vec3::new(dir, 0.0, 0.0),
                curls,
            )
        }
    }

    #[test]
    fn monado_wave_at_20_and_90_hz_is_one_wave() {
        for rate in [20.0, 90.0] {
            for yaw in [0.0, 1.2, -2.5] {
                let ev = run(rate, 4.0, yaw, &wave(OPEN));
                assert_eq!(ev.len(), 1, "rate {rate} yaw {yaw}: {ev:?}");
                assert_eq!(ev[0].gesture, GestureKind::Wave);
                assert_eq!(ev[0].hand, Handedness::Right);
            }
        }
    }

    #[test]
    fn a_stalled_app_does_not_split_one_long_wave() {
        // No frames at all for longer than `wave_end_quiet`, mid-wave, as when
        // the renderer stalls: the hand is still waving when frames resume.
        for (from, to) in [(1.8, 2.4), (2.6, 3.5)] {
            let ev = run_with(90.0, 5.5, 0.0, &wave_for(3.5, OPEN), &|t, f| {
                (!(from..to).contains(&t)).then_some(*f)
            });
            assert_eq!(ev.len(), 1, "stall {from}..{to}: {ev:?}");
            assert_eq!(ev[0].gesture, GestureKind::Wave);
        }
    }

    #[test]
    fn a_wave_after_a_seen_pause_is_another_wave() {
        let twice = |t: f32| {
            if t < 3.5 {
                wave_for(2.0, OPEN)(t)
            } else {
                wave_for(2.0, OPEN)(t - 3.5)
            }
        };
        let ev = run(90.0, 7.5, 0.0, &twice);
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert!(ev.iter().all(|e| e.gesture == GestureKind::Wave));
    }

    #[test]
    fn fist_wave_and_fist_sweep_are_nothing() {
        for rate in [20.0, 72.0] {
            assert_eq!(run(rate, 4.0, 0.0, &wave(FIST)), vec![]);
            assert_eq!(run(rate, 3.0, 0.0, &sweep(-1.0, FIST)), vec![]);
        }
    }

    #[test]
    fn sweeps_are_swipes_with_the_wearers_direction() {
        for rate in [20.0, 60.0, 120.0] {
            for yaw in [0.0, 2.0] {
                for (dir, want) in [(-1.0, Direction::Left), (1.0, Direction::Right)] {
                    let ev = run(rate, 3.0, yaw, &sweep(dir, OPEN));
                    assert_eq!(ev.len(), 1, "rate {rate} yaw {yaw} dir {dir}: {ev:?}");
                    assert_eq!(ev[0].gesture, GestureKind::Swipe);
                    assert_eq!(ev[0].direction, Some(want));
                    // Reported promptly: the sweep ends at t = 1.6 s.
                    let latency = ev[0].t - 101.6;
                    assert!((-0.05..0.2).contains(&latency), "latency {latency}");
                }
            }
        }
    }

    #[test]
    fn still_hands_and_a_turning_head_are_nothing() {
        let mut d = GestureDetector::new(&GestureConfig::default());
        let model = HandModel {
            side: Handedness::Right,
            scale: 1.0,
        };
        let mut out = Vec::new();
        for i in 0..400 {
            let t = i as f32 / 90.0;
            let yaw = (t * 3.0).sin() * 1.2;
            let frame = TrackingFrame {
                t: f64::from(t),
                head: Pose {
                    position: Vec3::new(0.0, 1.6, 0.0)
                        + Quat::from_rotation_y(yaw) * Vec3::new(0.0, 0.0, -0.09),
                    orientation: Quat::from_rotation_y(yaw),
                },
                left: None,
                right: Some(model.pose(Vec3::new(0.2, 1.4, -0.4), Vec3::Y, Vec3::NEG_Z, OPEN)),
            };
            d.update(&frame, &mut out);
        }
        assert_eq!(out, vec![]);
    }

    fn one_swipe_left(ev: &[GestureEvent]) -> bool {
        ev.len() == 1
            && ev[0].gesture == GestureKind::Swipe
            && ev[0].direction == Some(Direction::Left)
    }

    #[test]
    fn a_dropout_of_100_ms_inside_a_swipe_is_bridged() {
        for rate in [30.0, 90.0] {
            let ev = run_with(rate, 3.0, 0.4, &sweep(-1.0, OPEN), &|t, f| {
                let mut f = *f;
                if (1.2..1.3).contains(&t) {
                    f.right = None;
                }
                Some(f)
            });
            assert!(one_swipe_left(&ev), "{rate} Hz: {ev:?}");
        }
    }

    #[test]
    fn held_samples_do_not_split_a_swipe() {
        // Every second frame repeats the previous hand data bit for bit (a 45 Hz feed shown
        // at 90 Hz).
        let held = std::cell::RefCell::new(None);
        let ev = run_with(90.0, 3.0, 0.0, &sweep(-1.0, OPEN), &|t, f| {
            let mut f = *f;
            let k = (t * 90.0).round() as u32;
            if k % 2 == 1 {
                f.right = *held.borrow();
            } else {
                *held.borrow_mut() = f.right;
            }
            Some(f)
        });
        assert!(one_swipe_left(&ev), "{ev:?}");
    }

    #[test]
    fn one_frame_glitches_are_nothing() {
        let still = |_t: f32| (Vec3::new(0.25, 1.35, -0.35), Vec3::Y, Vec3::NEG_Z, OPEN);
        for rate in [20.0, 90.0] {
            for jump in [Vec3::X * 0.3, Vec3::NEG_X * 0.12, Vec3::new(0.2, 0.1, -0.2)] {
                let ev = run_with(rate, 3.0, 0.0, &still, &|t, f| {
                    let mut f = *f;
                    if (1.0..1.0 + 1.0 / rate).contains(&t)
                        && let Some(h) = f.right.as_mut()
                    {
                        for j in &mut h.joints {
                            j.position += jump;
                        }
                    }
                    Some(f)
                });
                assert_eq!(ev, vec![], "{rate} Hz, jump {jump:?}");
            }
        }
    }

    #[test]
    fn left_hand_directions_are_the_wearers() {
        let mut d = GestureDetector::new(&GestureConfig::default());
        let model = HandModel {
            side: Handedness::Left,
            scale: 0.9,
        };
        let mut out = Vec::new();
        let script = sweep(1.0, OPEN);
        for i in 0..(3.0 * 72.0) as usize {
            let t = i as f32 / 72.0;
            let (p, f, n, c) = script(t);
            // Mirror the right-hand sweep to the left side of the body; it still moves +X.
            let p = Vec3::new(p.x - 0.44, p.y, p.z);
            let frame = TrackingFrame {
                t: f64::from(t),
                head: Pose {
                    position: Vec3::new(0.0, 1.6, 0.0),
                    orientation: Quat::IDENTITY,
                },
                left: Some(model.pose(p, f, n, c)),
                right: None,
            };
            d.update(&frame, &mut out);
        }
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].hand, out[0].direction),
            (Handedness::Left, Some(Direction::Right))
        );
    }

    #[test]
    fn non_finite_input_is_skipped_without_panic() {
        let ev = run_with(60.0, 3.0, 0.0, &sweep(-1.0, OPEN), &|t, f| {
            let mut f = *f;
            if (0.5..0.6).contains(&t) {
                f.head.position.x = f32::NAN;
            }
            if (2.0..2.1).contains(&t)
                && let Some(h) = f.right.as_mut()
            {
                h.joints[joint::PALM].position.y = f32::INFINITY;
            }
            Some(f)
        });
        assert!(one_swipe_left(&ev), "{ev:?}");
    }

    #[test]
    fn frames_going_back_in_time_are_ignored() {
        let ev = run_with(60.0, 3.0, 0.0, &sweep(-1.0, OPEN), &|t, f| {
            let mut f = *f;
            if (1.1..1.2).contains(&t) {
                f.t -= 0.5;
            }
            Some(f)
        });
        assert!(one_swipe_left(&ev), "{ev:?}");
    }

    #[test]
    fn steady_state_update_does_not_grow_the_output() {
        // The detector itself holds fixed-size state; `out` only grows by events.
        let mut d = GestureDetector::new(&GestureConfig::default());
        let model = HandModel {
            side: Handedness::Right,
            scale: 1.0,
        };
        let mut out = Vec::with_capacity(4);
        let script = wave(OPEN);
        for i in 0..400 {
            let t = i as f32 / 90.0;
            let (p, f, n, c) = script(t);
            let frame = TrackingFrame {
                t: f64::from(t),
                head: Pose {
                    position: Vec3::new(0.0, 1.6, 0.0),
                    orientation: Quat::IDENTITY,
                },
                left: None,
                right: Some(model.pose(p, f, n, c)),
            };
            d.update(&frame, &mut out);
        }
        assert_eq!(out.capacity(), 4);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn both_hands_waving_together_is_one_wave() {
        let mut d = GestureDetector::new(&GestureConfig::default());
        let right = HandModel {
            side: Handedness::Right,
            scale: 1.0,
        };
        let left = HandModel {
            side: Handedness::Left,
            scale: 1.0,
        };
        let script = wave(OPEN);
        let mut out = Vec::new();
        for i in 0..(4.0 * 60.0) as usize {
            // The left hand lags by a quarter cycle.
            let t = i as f32 / 60.0;
            let (p, f, n, c) = script(t);
            let (lp, lf, ln, lc) = script(t - 0.12);
            let frame = TrackingFrame {
                t: f64::from(t),
                head: Pose {
                    position: Vec3::new(0.0, 1.6, 0.0),
                    orientation: Quat::IDENTITY,
                },
                left: Some(left.pose(lp * Vec3::new(-1.0, 1.0, 1.0), lf, ln, lc)),
                right: Some(right.pose(p, f, n, c)),
            };
            d.update(&frame, &mut out);
        }
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].gesture, GestureKind::Wave);
    }

    #[test]
    fn coming_straight_back_after_a_swipe_is_not_another_swipe() {
        let there = sweep(-1.0, OPEN);
        // Sweep left over 1.0-1.6 s, pause 0.3 s, come back 0.35 m over 0.5 s (1.3 m/s peak).
        let script = move |t: f32| {
            let (p, f, n, c) = there(t);
            let tau = ((t - 1.9) / 0.5).clamp(0.0, 1.0);
            let s = tau * tau * tau * (10.0 - 15.0 * tau + 6.0 * tau * tau);
            (p + Vec3::X * 0.35 * s, f, n, c)
        };
        for rate in [20.0, 90.0] {
            let ev = run(rate, 4.0, 0.3, &script);
            assert!(one_swipe_left(&ev), "{rate} Hz: {ev:?}");
        }
    }
}

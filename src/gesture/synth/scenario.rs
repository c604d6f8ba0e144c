//! Labelled scenarios: every gesture and every everyday motion that is not one, performed by a
//! random wearer (size, place, facing, handedness, walking) and tracked by a random sensor.

use super::body::{BodyKey, BodyPath};
use super::rng::Rng;
use super::script::{HandScript, HandState, Segment};
use super::sensor::{Performance, Sensor};
use super::skeleton::{Curls, FIST, HandModel, OPEN, POINT, RELAXED};
use crate::gesture::hand::{Direction, GestureKind, Handedness, TrackingFrame};
use crate::gesture::score::{Label, LabelFile};
use glam::{Quat, Vec2, Vec3};
use std::f32::consts::PI;

/// What a synthetic trace shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A hello wave (positive).
    Wave,
    /// A swipe to the wearer's left (positive).
    SwipeLeft,
    /// A swipe to the wearer's right (positive).
    SwipeRight,
    /// Two or three gestures, either hand, with rest between (positive).
    Mixed,
    /// Reaching forward to grab something and bringing the hand back.
    Reach,
    /// Pointing at things around the room.
    Point,
    /// A closed fist swept sideways.
    FistSweep,
    /// A pointing hand swept sideways.
    PointSweep,
    /// Scratching the nose or the head.
    Scratch,
    /// Walking with the arms swinging, looking around.
    Walk,
    /// An open hand drifting slowly sideways.
    Drift,
    /// Turning the head while the hands stay still.
    HeadTurn,
    /// Turning the whole body.
    BodyTurn,
    /// One-frame tracking glitches.
    Glitch,
    /// Clapping.
    Clap,
    /// Adjusting the headset with both hands.
    AdjustHeadset,
    /// Hands at rest.
    Rest,
    /// Raising an open hand and lowering it again.
    RaiseLower,
}

impl Kind {
    /// Every kind, positives first.
    pub const ALL: [Kind; 18] = [
        Kind::Wave,
        Kind::SwipeLeft,
        Kind::SwipeRight,
        Kind::Mixed,
        Kind::Reach,
        Kind::Point,
        Kind::FistSweep,
        Kind::PointSweep,
        Kind::Scratch,
        Kind::Walk,
        Kind::Drift,
        Kind::HeadTurn,
        Kind::BodyTurn,
        Kind::Glitch,
        Kind::Clap,
        Kind::AdjustHeadset,
        Kind::Rest,
        Kind::RaiseLower,
    ];

    /// The kind's name on the command line and in file names (`swipe-left`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Wave => "wave",
            Kind::SwipeLeft => "swipe-left",
            Kind::SwipeRight => "swipe-right",
            Kind::Mixed => "mixed",
            Kind::Reach => "reach",
            Kind::Point => "point",
            Kind::FistSweep => "fist-sweep",
            Kind::PointSweep => "point-sweep",
            Kind::Scratch => "scratch",
            Kind::Walk => "walk",
            Kind::Drift => "drift",
            Kind::HeadTurn => "head-turn",
            Kind::BodyTurn => "body-turn",
            Kind::Glitch => "glitch",
            Kind::Clap => "clap",
            Kind::AdjustHeadset => "adjust-headset",
            Kind::Rest => "rest",
            Kind::RaiseLower => "raise-lower",
        }
    }

    /// Whether traces of this kind contain gestures.
    pub fn is_positive(self) -> bool {
        matches!(
            self,
            Kind::Wave | Kind::SwipeLeft | Kind::SwipeRight | Kind::Mixed
        )
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown kind {s:?}; one of: {}", names.join(", "))
            })
    }
}

/// A generated trace with its labels.
#[derive(Clone, Debug)]
pub struct SynthTrace {
    /// The frames.
    pub frames: Vec<TrackingFrame>,
    /// Its labels (`trace` is `NAME.jsonl`).
    pub labels: LabelFile,
}

/// Generates the trace of `kind` for `seed`, named `NAME` in its labels.
pub fn generate(kind: Kind, seed: u64, name: &str) -> SynthTrace {
    let mut b = Builder::new(seed);
    b.notes.push(format!("{kind:?} (seed {seed})."));
    {
        let d = b.rng.range(0.8, 2.0);
        b.hold_all(d);
    }
    b.perform(kind);
    {
        let d = b.rng.range(1.0, 1.6);
        b.hold_all(d);
    }
    b.finish(kind, name)
}

/// Which hand, as an index into the builder's scripts.
fn index(h: Handedness) -> usize {
    match h {
        Handedness::Left => 0,
        Handedness::Right => 1,
    }
}

/// +1 for the right hand, -1 for the left: the side of the body the hand lives on.
fn side(h: Handedness) -> f32 {
    match h {
        Handedness::Left => -1.0,
        Handedness::Right => 1.0,
    }
}

fn other(h: Handedness) -> Handedness {
    match h {
        Handedness::Left => Handedness::Right,
        Handedness::Right => Handedness::Left,
    }
}

struct Builder {
    rng: Rng,
    scale: f32,
    eye: f32,
    body: BodyPath,
    hands: [HandScript; 2],
    labels: Vec<Label>,
    notes: Vec<String>,
    /// Script-time windows in which glitches must not be placed (the gestures).
    busy: Vec<(Handedness, f32, f32)>,
}

impl Builder {
    fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let scale = rng.range(0.88, 1.12);
        let eye = 1.6 * scale + rng.range(-0.04, 0.04);
        let start = BodyKey {
            t: 0.0,
            pos: Vec2::new(rng.range(-1.5, 1.5), rng.range(-1.5, 1.5)),
            yaw: rng.range(-PI, PI),
            head_yaw: rng.range(-0.1, 0.1),
            head_pitch: rng.range(-0.3, 0.05),
        };
        let mut b = Self {
            rng,
            scale,
            eye,
            body: BodyPath::new(start, eye),
            hands: [HandScript::default(), HandScript::default()],
            labels: Vec::new(),
            notes: Vec::new(),
            busy: Vec::new(),
        };
        b.hands = [
            HandScript::new(b.rest(Handedness::Left)),
            HandScript::new(b.rest(Handedness::Right)),
        ];
        b.notes.push(format!(
            "Person scale {scale:.2} (eye height {eye:.2} m), facing yaw {:.0} deg.",
            start.yaw.to_degrees()
        ));
        b
    }

    fn hand(&mut self, h: Handedness) -> &mut HandScript {
        &mut self.hands[index(h)]
    }

    fn now(&self) -> f32 {
        self.hands[0]
            .end_time()
            .max(self.hands[1].end_time())
            .max(self.body.last().t)
    }

    /// Brings both hands and the body to the same time, then holds for `d`.
    fn hold_all(&mut self, d: f32) {
        let t = self.now() + d;
        for s in &mut self.hands {
            s.hold_until(t);
        }
        let dt = t - self.body.last().t;
        if dt > 0.0 {
            self.body.then(dt, |_| {});
        }
    }

    /// Hands hanging at the sides, palms towards the thighs, fingers relaxed.
    fn rest(&self, h: Handedness) -> HandState {
        let sg = side(h);
        HandState {
            palm: Vec3::new(sg * 0.21 * self.scale, 0.57 * self.eye, 0.0),
            fingers: Vec3::NEG_Y,
            normal: Vec3::new(-sg, 0.0, 0.0),
            curls: RELAXED,
        }
    }

    /// Open fingers with a little natural curl (tired or relaxed hands).
    fn open_curls(&mut self) -> Curls {
        let mut c = OPEN;
        c[0] = self.rng.range(0.0, 0.4);
        for x in &mut c[1..] {
            *x = self.rng.range(0.0, 0.25);
        }
        c
    }

    /// A small random tilt of a hand's orientation.
    fn tilt(&mut self, yaw: f32, pitch: f32) -> Quat {
        Quat::from_rotation_y(self.rng.range(-yaw, yaw))
            * Quat::from_rotation_x(self.rng.range(-pitch, pitch))
    }

    fn perform(&mut self, kind: Kind) {
        let h = if self.rng.chance(0.5) {
            Handedness::Right
        } else {
            Handedness::Left
        };
        match kind {
            Kind::Wave => self.walking_gesture(|b| b.wave(h), h),
            Kind::SwipeLeft => self.walking_gesture(|b| b.swipe(h, -1.0, OPEN, true), h),
            Kind::SwipeRight => self.walking_gesture(|b| b.swipe(h, 1.0, OPEN, true), h),
            Kind::Mixed => self.mixed(),
            Kind::Reach => self.reach(h),
            Kind::Point => self.point(h),
            Kind::FistSweep => {
                let dir = self.rng.sign();
                if self.rng.chance(0.3) {
                    self.wave_with(h, FIST);
                } else {
                    self.swipe(h, dir, FIST, false);
                }
            }
            Kind::PointSweep => {
                let dir = self.rng.sign();
                self.swipe(h, dir, POINT, false);
            }
            Kind::Scratch => self.scratch(h),
            Kind::Walk => self.walk(),
            Kind::Drift => self.drift(h),
            Kind::HeadTurn => self.head_turn(h),
            Kind::BodyTurn => self.body_turn(h),
            Kind::Glitch => self.glitchy(h),
            Kind::Clap => self.clap(),
            Kind::AdjustHeadset => self.adjust_headset(),
            Kind::Rest => self.rest_and_look(),
            Kind::RaiseLower => self.raise_lower(h),
        }
    }

    /// Performs `gesture`, sometimes while walking with the other arm swinging.
    fn walking_gesture(&mut self, gesture: impl FnOnce(&mut Self), h: Handedness) {
        if !self.rng.chance(0.25) {
            gesture(self);
            return;
        }
        self.hold_all(0.0);
        let t0 = self.now();
        gesture(self);
        let t1 = self.now();
        let speed = self.rng.range(0.4, 1.0);
        self.notes.push(format!("Walking at {speed:.1} m/s."));
        let span = t1 - t0;
        let last = self.body.last().t;
        self.body.then(t0 - last, |_| {});
        self.body.walk(speed * span, span);
        // The free arm swings at the stride rate.
        let free = other(h);
        let rest = self.rest(free);
        let swing = self.rng.range(0.12, 0.25) * self.scale;
        let script = self.hand(free);
        let now = script.end_time();
        if now < t0 {
            script.hold(t0 - now);
        }
        let center = HandState {
            palm: rest.palm - Vec3::new(0.0, 0.0, swing / 2.0),
            ..rest
        };
        let script = self.hand(free);
        script.move_to(center, 0.3);
        script.push(
            (span - 0.6).max(0.1),
            Segment::Oscillate {
                center,
                axis: Vec3::new(0.0, 0.02, swing),
                frequency: 0.9,
                far_curls: None,
            },
        );
        script.move_to(rest, 0.3);
    }

    fn label(
        &mut self,
        h: Handedness,
        gesture: GestureKind,
        dir: Option<Direction>,
        a: f32,
        b: f32,
    ) {
        self.labels.push(Label {
            gesture,
            hand: h,
            direction: dir,
            start: f64::from(a),
            end: f64::from(b),
        });
        self.busy.push((h, a - 0.3, b + 0.3));
    }

    fn wave(&mut self, h: Handedness) {
        self.wave_with(h, OPEN);
    }

    /// A wave motion; labelled only with an open hand.
    fn wave_with(&mut self, h: Handedness, shape: Curls) {
        self.hold_all(0.0);
        let s = self.scale;
        let sg = side(h);
        // Palms often tilt down and fingers forward, by up to about 35 degrees.
        let r = self.tilt(0.35, 0.2) * Quat::from_rotation_x(-self.rng.range(0.0, 0.6));
        let center = HandState {
            palm: Vec3::new(
                sg * self.rng.range(0.1, 0.3) * s,
                self.eye - self.rng.range(-0.05, 0.3) * s,
                -self.rng.range(0.28, 0.45) * s,
            ),
            fingers: r * Vec3::Y,
            normal: r * Vec3::NEG_Z,
            curls: if shape == OPEN {
                self.open_curls()
            } else {
                shape
            },
        };
        let amplitude = self.rng.range(0.08, 0.25);
        let mut frequency = self.rng.range(1.5, 3.0);
        // People do not exceed about 3.5 m/s in a wave.
        frequency = frequency
            .min(3.5 / (std::f32::consts::TAU * amplitude))
            .max(1.5);
        let cycles = self.rng.range(2.0, 4.0);
        let duration = cycles / frequency;
        let forearm = 0.28 * s;
        // Some waves start from one side, some from the middle; some warm up.
        let phase = self.rng.pick(&[0.0, PI / 2.0, -PI / 2.0, PI]) + self.rng.range(-0.3, 0.3);
        let ramp = if self.rng.chance(0.3) {
            self.rng.range(0.2, 0.5)
        } else {
            0.0
        };
        let twist = self.rng.range(0.0, 0.35);
        let start = Segment::Wave {
            center,
            amplitude,
            frequency,
            forearm,
            phase,
            ramp,
            twist,
        }
        .at(0.0, duration);
        let raise = self.rng.range(0.35, 0.7);
        self.hand(h).move_to(start, raise);
        let pause = self.rng.range(0.0, 0.2);
        self.hand(h).hold(pause);
        let t = self.hand(h).push(
            duration,
            Segment::Wave {
                center,
                amplitude,
                frequency,
                forearm,
                phase,
                ramp,
                twist,
            },
        );
        if shape == OPEN {
            self.label(h, GestureKind::Wave, None, t, t + duration);
        }
        self.notes.push(format!(
            "{h:?} hand (curls {shape:?}) hello-waves ({cycles:.1} cycles at {frequency:.1} Hz, {amplitude:.2} m per side)."
        ));
        let hold = self.rng.range(0.05, 0.3);
        self.hand(h).hold(hold);
        let rest = self.rest(h);
        let lower = self.rng.range(0.5, 0.9);
        self.hand(h).move_to(rest, lower);
    }

    /// A sweep of `dir` (+1 right) with these curls; labelled when `label` is set.
    fn swipe(&mut self, h: Handedness, dir: f32, curls: Curls, label: bool) {
        self.hold_all(0.0);
        let s = self.scale;
        let sg = side(h);
        let length = self.rng.range(0.25, 0.6);
        let peak = self.rng.range(0.8, 2.0);
        let duration = (1.875 * length / peak).clamp(0.2, 0.6);
        let cx = sg * self.rng.range(0.0, 0.22) * s;
        let y = self.eye - self.rng.range(0.12, 0.45) * s;
        let z = -self.rng.range(0.25, 0.45) * s;
        let facing_motion = self.rng.chance(0.5);
        let r = self.tilt(0.3, 0.3) * Quat::from_rotation_x(self.rng.range(-0.5, 0.1));
        let normal = if facing_motion {
            Vec3::new(dir, 0.0, 0.0)
        } else {
            Vec3::NEG_Z
        };
        let curls = if curls == OPEN {
            self.open_curls()
        } else {
            curls
        };
        let start = HandState {
            palm: Vec3::new(cx - dir * length / 2.0, y, z),
            fingers: r * Vec3::Y,
            normal: r * normal,
            curls,
        };
        let end = HandState {
            palm: Vec3::new(
                cx + dir * length / 2.0,
                y + self.rng.range(-0.04, 0.04),
                z + self.rng.range(-0.04, 0.04),
            ),
            ..start
        };
        // Lift slowly sideways (at most 0.25 m/s), as people bring the hand up to sweep.
        let from = self.hand(h).last().palm;
        let lateral = (start.palm.x - from.x).abs();
        let travel = start.palm.distance(from);
        let lift =
            (1.875 * lateral / 0.25).max(1.875 * travel / 0.7).max(0.8) + self.rng.range(0.0, 0.4);
        self.hand(h).move_to(start, lift);
        let pause = self.rng.range(0.15, 0.5);
        self.hand(h).hold(pause);
        let bulge = Vec3::new(0.0, self.rng.range(-0.02, 0.03), -self.rng.range(0.0, 0.08));
        if self.rng.chance(0.3) {
            // The eyes follow the hand: the head turns up to 15 degrees with the sweep.
            let follow = -dir * self.rng.range(0.05, 0.26);
            let before = self.hand(h).end_time() - self.body.last().t;
            if before > 0.0 {
                self.body.then(before, |_| {});
            }
            self.body.then(duration, |k| k.head_yaw += follow);
            self.notes
                .push(format!("Head follows by {:.0} deg.", follow.to_degrees()));
        }
        let t = self.hand(h).push(
            duration,
            Segment::Move {
                from: start,
                to: end,
                bulge,
            },
        );
        let d = if dir > 0.0 {
            Direction::Right
        } else {
            Direction::Left
        };
        if label {
            self.label(h, GestureKind::Swipe, Some(d), t, t + duration);
        }
        self.notes.push(format!(
            "{h:?} hand sweeps {d:?} ({length:.2} m in {duration:.2} s, design peak {:.2} m/s, palm {}, curls {:?}).",
            1.875 * length / duration,
            if facing_motion { "toward the motion" } else { "forward" },
            curls.map(|c| (c * 100.0).round() / 100.0)
        ));
        if self.rng.chance(0.25) {
            // The hand comes straight back at sweeping speed: part of the same motion.
            let pause = self.rng.range(0.12, 0.45);
            self.hand(h).hold(pause);
            let back = self.rng.range(0.6, 1.0) * length;
            let to = HandState {
                palm: end.palm - Vec3::new(dir * back, 0.0, 0.0),
                ..end
            };
            let speed = self.rng.range(0.8, 1.5);
            self.hand(h).move_to(to, 1.875 * back / speed);
            self.notes.push(format!(
                "The hand comes back {back:.2} m at {speed:.1} m/s peak."
            ));
        }
        let hold = self.rng.range(0.2, 0.6);
        self.hand(h).hold(hold);
        self.return_to_rest(h);
    }

    /// Back to the side slowly enough not to be a sweep (peak sideways speed 0.3 m/s).
    fn return_to_rest(&mut self, h: Handedness) {
        let rest = self.rest(h);
        let from = self.hand(h).last().palm;
        let lateral = (rest.palm.x - from.x).abs();
        let d = (1.875 * lateral / 0.3).max(1.0) + self.rng.range(0.0, 0.5);
        self.hand(h).move_to(rest, d);
    }

    fn mixed(&mut self) {
        let n = if self.rng.chance(0.5) { 2 } else { 3 };
        for i in 0..n {
            if i > 0 {
                let gap = self.rng.range(1.2, 2.5);
                self.hold_all(gap);
            }
            let h = if self.rng.chance(0.5) {
                Handedness::Right
            } else {
                Handedness::Left
            };
            match self.rng.pick(&[0, 1, 2]) {
                0 => self.wave(h),
                1 => self.swipe(h, -1.0, OPEN, true),
                _ => self.swipe(h, 1.0, OPEN, true),
            }
        }
    }

    fn reach(&mut self, h: Handedness) {
        for _ in 0..self.rng.pick(&[1, 2]) {
            {
                let d = self.rng.range(0.3, 1.0);
                self.hold_all(d);
            }
            let s = self.scale;
            let sg = side(h);
            let r = self.tilt(0.6, 0.4);
            let target = HandState {
                palm: Vec3::new(
                    sg * self.rng.range(-0.1, 0.35) * s,
                    self.eye - self.rng.range(0.15, 0.65) * s,
                    -self.rng.range(0.45, 0.65) * s,
                ),
                fingers: r * Vec3::NEG_Z,
                normal: r * Vec3::new(-sg, -0.3, 0.0).normalize(),
                curls: self.open_curls(),
            };
            let go = self.rng.range(0.5, 0.9);
            self.hand(h).move_to(target, go);
            let grabbed = HandState {
                curls: [self.rng.range(0.6, 1.0); 5],
                ..target
            };
            self.hand(h).move_to(grabbed, 0.3);
            let hold = self.rng.range(0.1, 0.5);
            self.hand(h).hold(hold);
            let rest = HandState {
                curls: grabbed.curls,
                ..self.rest(h)
            };
            let back = self.rng.range(0.6, 1.0);
            self.hand(h).move_to(rest, back);
        }
        self.notes
            .push(format!("{h:?} hand reaches forward and grabs."));
    }

    fn point(&mut self, h: Handedness) {
        self.hold_all(0.0);
        let s = self.scale;
        let sg = side(h);
        for _ in 0..self.rng.pick(&[2, 3, 4]) {
            let r = self.tilt(0.8, 0.3);
            let at = HandState {
                palm: Vec3::new(
                    sg * self.rng.range(-0.2, 0.4) * s,
                    self.eye - self.rng.range(0.1, 0.4) * s,
                    -self.rng.range(0.3, 0.55) * s,
                ),
                fingers: r * Vec3::NEG_Z,
                normal: r * Vec3::new(-sg, 0.0, 0.0),
                curls: POINT,
            };
            let d = self.rng.range(0.3, 0.7);
            self.hand(h).move_to(at, d);
            let hold = self.rng.range(0.2, 0.8);
            self.hand(h).hold(hold);
        }
        self.return_to_rest(h);
        self.notes.push(format!("{h:?} hand points at things."));
    }

    fn scratch(&mut self, h: Handedness) {
        self.hold_all(0.0);
        let s = self.scale;
        let sg = side(h);
        let nose = self.rng.chance(0.5);
        let (palm, normal) = if nose {
            (
                Vec3::new(sg * 0.02, self.eye - 0.08 * s, -0.13 * s),
                Vec3::Z,
            )
        } else {
            (
                Vec3::new(sg * 0.09 * s, self.eye + 0.1 * s, 0.0),
                Vec3::new(-sg, -0.5, 0.0).normalize(),
            )
        };
        let mut curls = [self.rng.range(0.3, 0.6); 5];
        curls[1] = self.rng.range(0.1, 0.4);
        let at = HandState {
            palm,
            fingers: if nose {
                Vec3::new(-sg, 0.5, 0.0).normalize()
            } else {
                Vec3::Y
            },
            normal,
            curls,
        };
        let up = self.rng.range(0.5, 0.9);
        self.hand(h).move_to(at, up);
        let amp = self.rng.range(0.005, 0.03);
        let axis = Vec3::new(self.rng.normal(), self.rng.normal(), self.rng.normal())
            .normalize_or_zero()
            * amp;
        let frequency = self.rng.range(3.0, 6.0);
        let d = self.rng.range(1.0, 2.5);
        self.hand(h).push(
            d,
            Segment::Oscillate {
                center: at,
                axis,
                frequency,
                far_curls: None,
            },
        );
        let rest = self.rest(h);
        let down = self.rng.range(0.5, 0.9);
        self.hand(h).move_to(rest, down);
        self.notes.push(format!(
            "{h:?} hand scratches the {} ({:.0} mm at {frequency:.1} Hz).",
            if nose { "nose" } else { "head" },
            amp * 1000.0
        ));
    }

    fn walk(&mut self) {
        self.hold_all(0.0);
        let speed = self.rng.range(0.8, 1.4);
        let span = self.rng.range(3.0, 5.0);
        let look = self.rng.range(-1.0, 1.0);
        let t0 = self.now();
        self.body.then(0.4, |k| k.head_yaw = look * 0.5);
        self.body.walk(speed * span, span);
        self.body.then(0.6, |k| k.head_yaw = look);
        let swing = self.rng.range(0.15, 0.3) * self.scale;
        for (h, phase) in [(Handedness::Left, 1.0), (Handedness::Right, -1.0)] {
            let rest = self.rest(h);
            let center = HandState {
                palm: rest.palm - Vec3::new(0.0, 0.0, phase * swing / 2.0),
                ..rest
            };
            let script = self.hand(h);
            script.hold_until(t0);
            script.move_to(center, 0.4);
            script.push(
                span - 0.4,
                Segment::Oscillate {
                    center,
                    axis: Vec3::new(0.0, 0.02, phase * swing),
                    frequency: 0.9,
                    far_curls: None,
                },
            );
            script.move_to(rest, 0.5);
        }
        self.notes.push(format!(
            "Walks at {speed:.1} m/s swinging the arms ({swing:.2} m), head turned up to {:.0} deg.",
            look.to_degrees()
        ));
    }

    fn drift(&mut self, h: Handedness) {
        self.hold_all(0.0);
        let s = self.scale;
        let sg = side(h);
        let r = self.tilt(0.3, 0.2);
        let a = HandState {
            palm: Vec3::new(
                sg * self.rng.range(0.0, 0.3) * s,
                self.eye - self.rng.range(0.0, 0.35) * s,
                -self.rng.range(0.3, 0.45) * s,
            ),
            fingers: r * Vec3::Y,
            normal: r * Vec3::NEG_Z,
            curls: self.open_curls(),
        };
        self.hand(h).move_to(a, 0.8);
        let dist = self.rng.range(0.25, 0.5);
        let dir = self.rng.sign();
        let b = HandState {
            palm: a.palm + Vec3::new(dir * dist, 0.0, 0.0),
            ..a
        };
        let d = (1.875 * dist / self.rng.range(0.12, 0.3)).max(1.2);
        self.hand(h).move_to(b, d);
        if self.rng.chance(0.5) {
            self.hand(h).move_to(a, d);
        }
        self.return_to_rest(h);
        self.notes
            .push(format!("{h:?} open hand drifts {dist:.2} m in {d:.1} s."));
    }

    /// A hand raised in front and held still, palm forward (the pose a wave starts from).
    fn raised(&mut self, h: Handedness) -> HandState {
        let s = self.scale;
        HandState {
            palm: Vec3::new(
                side(h) * self.rng.range(0.1, 0.3) * s,
                self.eye - self.rng.range(0.05, 0.3) * s,
                -self.rng.range(0.3, 0.45) * s,
            ),
            fingers: Vec3::Y,
            normal: Vec3::NEG_Z,
            curls: self.open_curls(),
        }
    }

    fn head_turn(&mut self, h: Handedness) {
        self.hold_all(0.0);
        let raise = self.rng.chance(0.6);
        if raise {
            let up = self.raised(h);
            self.hand(h).move_to(up, 0.7);
            self.hold_all(0.3);
        }
        for _ in 0..self.rng.pick(&[2, 3]) {
            let to = self.rng.sign() * self.rng.range(0.5, 1.4);
            let d = self.rng.range(0.3, 0.8);
            self.body.then(d, |k| k.head_yaw = to);
            let hold = self.rng.range(0.3, 0.8);
            self.body.then(hold, |_| {});
        }
        let d = self.rng.range(0.3, 0.8);
        self.body.then(d, |k| k.head_yaw = 0.0);
        self.hold_all(0.2);
        if raise {
            let rest = self.rest(h);
            self.hand(h).move_to(rest, 0.8);
        }
        self.notes.push(format!(
            "Head turns left and right; {h:?} hand {}.",
            if raise { "raised and still" } else { "at rest" }
        ));
    }

    fn body_turn(&mut self, h: Handedness) {
        self.hold_all(0.0);
        let raise = self.rng.chance(0.5);
        if raise {
            let up = self.raised(h);
            self.hand(h).move_to(up, 0.7);
            self.hold_all(0.3);
        }
        let by = self.rng.sign() * self.rng.range(0.8, 2.5);
        let d = self.rng.range(0.6, 1.5);
        self.body.then(d, |k| k.yaw += by);
        self.hold_all(0.5);
        if raise {
            let rest = self.rest(h);
            self.hand(h).move_to(rest, 0.8);
        }
        self.notes.push(format!(
            "Body turns {:.0} deg in {d:.1} s; {h:?} hand {}.",
            by.to_degrees(),
            if raise {
                "raised, turning with the body"
            } else {
                "at rest"
            }
        ));
    }

    fn glitchy(&mut self, h: Handedness) {
        self.hold_all(0.0);
        if self.rng.chance(0.5) {
            let up = self.raised(h);
            self.hand(h).move_to(up, 0.7);
        }
        {
            let d = self.rng.range(2.0, 4.0);
            self.hold_all(d);
        }
        self.return_to_rest(h);
        self.notes
            .push(format!("{h:?} hand, with one-frame tracking glitches."));
    }

    fn clap(&mut self) {
        self.hold_all(0.0);
        let s = self.scale;
        let travel = self.rng.range(0.06, 0.3);
        let y = self.eye - self.rng.range(0.3, 0.5) * s;
        let z = -self.rng.range(0.25, 0.4) * s;
        let claps = self.rng.pick(&[1.0, 2.0, 4.0, 6.0]);
        let frequency = self.rng.range(1.5, 3.0);
        for h in [Handedness::Left, Handedness::Right] {
            let sg = side(h);
            let apart = HandState {
                palm: Vec3::new(sg * (0.02 + travel), y, z),
                fingers: Vec3::new(0.0, 0.6, -0.8),
                normal: Vec3::new(-sg, 0.0, 0.0),
                curls: self.open_curls(),
            };
            self.hand(h).move_to(apart, 0.7);
            self.hand(h).push(
                claps / frequency,
                Segment::Oscillate {
                    center: apart,
                    axis: Vec3::new(-sg * travel, 0.0, 0.0),
                    frequency,
                    far_curls: None,
                },
            );
        }
        {
            let d = self.rng.range(0.1, 0.4);
            self.hold_all(d);
        }
        for h in [Handedness::Left, Handedness::Right] {
            let rest = self.rest(h);
            self.hand(h).move_to(rest, 0.9);
        }
        self.notes.push(format!(
            "Both hands clap {claps} times at {frequency:.1} Hz ({travel:.2} m each)."
        ));
    }

    fn adjust_headset(&mut self) {
        self.hold_all(0.0);
        let s = self.scale;
        let d = self.rng.range(1.0, 2.0);
        for h in [Handedness::Left, Handedness::Right] {
            let sg = side(h);
            let at = HandState {
                palm: Vec3::new(sg * 0.1 * s, self.eye + 0.02, -0.03),
                fingers: Vec3::new(0.0, 0.7, -0.7).normalize(),
                normal: Vec3::new(-sg, 0.0, 0.0),
                curls: [self.rng.range(0.3, 0.5); 5],
            };
            let up = self.rng.range(0.5, 0.8);
            self.hand(h).move_to(at, up);
            let axis = Vec3::new(self.rng.normal(), self.rng.normal(), self.rng.normal())
                .normalize_or_zero()
                * self.rng.range(0.01, 0.03);
            let frequency = self.rng.range(1.0, 3.0);
            self.hand(h).push(
                d,
                Segment::Oscillate {
                    center: at,
                    axis,
                    frequency,
                    far_curls: Some([0.6; 5]),
                },
            );
            let rest = self.rest(h);
            self.hand(h).move_to(rest, 0.8);
        }
        self.notes.push("Both hands adjust the headset.".into());
    }

    fn rest_and_look(&mut self) {
        let d = self.rng.range(4.0, 7.0);
        let look = self.rng.range(-0.8, 0.8);
        self.body.then(d / 2.0, |k| k.head_yaw = look);
        self.body.then(d / 2.0, |k| k.head_yaw = -look / 2.0);
        for h in [Handedness::Left, Handedness::Right] {
            let rest = self.rest(h);
            let sway = Vec3::new(
                self.rng.range(-0.02, 0.02),
                0.0,
                self.rng.range(-0.03, 0.03),
            );
            let f = self.rng.range(0.2, 0.5);
            self.hand(h).push(
                d,
                Segment::Oscillate {
                    center: rest,
                    axis: sway,
                    frequency: f,
                    far_curls: None,
                },
            );
        }
        self.notes.push("Hands at rest, looking around.".into());
    }

    fn raise_lower(&mut self, h: Handedness) {
        for _ in 0..self.rng.pick(&[1, 2]) {
            {
                let d = self.rng.range(0.3, 0.8);
                self.hold_all(d);
            }
            let up = self.raised(h);
            let d = self.rng.range(0.4, 0.8);
            self.hand(h).move_to(up, d);
            let hold = self.rng.range(0.3, 1.5);
            self.hand(h).hold(hold);
            let rest = self.rest(h);
            let d = self.rng.range(0.5, 0.9);
            self.hand(h).move_to(rest, d);
        }
        self.notes
            .push(format!("{h:?} hand raised open and lowered."));
    }

    /// Picks the sensor, tracks the performance, and writes the labels.
    fn finish(mut self, kind: Kind, name: &str) -> SynthTrace {
        self.hold_all(0.0);
        let seconds = self.now();
        let rng = &mut self.rng;
        let rate = rng.pick(&[20.0, 30.0, 60.0, 72.0, 72.0, 90.0, 90.0, 120.0]);
        let hold = rng.chance(0.25);
        let mut sensor = Sensor {
            rate,
            jitter: 0.001,
            noise: if hold && rng.chance(0.5) {
                0.0
            } else {
                rng.range(0.0005, 0.003)
            },
            angle_noise: rng.range(0.0, 0.03),
            feed_rate: hold.then(|| rate * rng.range(0.55, 0.95)),
            dropouts: Vec::new(),
            glitches: Vec::new(),
            t0: f64::from(rng.range(0.0, 1000.0)),
        };
        // Tracking losses of up to 100 ms, inside the gestures.
        for l in &self.labels {
            if rng.chance(0.35) {
                let (a, b) = (l.start as f32, l.end as f32);
                let at = rng.range(a, b);
                sensor.dropouts.push((l.hand, at, rng.range(0.02, 0.1)));
            }
        }
        let glitch_count = if kind == Kind::Glitch {
            rng.pick(&[3, 4, 6])
        } else if rng.chance(0.15) {
            1
        } else {
            0
        };
        for _ in 0..glitch_count {
            let h = if rng.chance(0.5) {
                Handedness::Left
            } else {
                Handedness::Right
            };
            let t = rng.range(0.5, seconds - 0.5);
            if self
                .busy
                .iter()
                .any(|&(bh, a, b)| bh == h && t >= a && t <= b)
            {
                continue;
            }
            let dir = Vec3::new(rng.normal(), rng.normal() * 0.3, rng.normal()).normalize_or_zero();
            sensor.glitches.push((h, t, dir * rng.range(0.05, 0.4)));
        }
        let hand_scale = self.scale * rng.range(0.95, 1.05);
        let perf = Performance {
            body: self.body,
            left: self.hands[0].clone(),
            right: self.hands[1].clone(),
            left_model: HandModel {
                side: Handedness::Left,
                scale: hand_scale,
            },
            right_model: HandModel {
                side: Handedness::Right,
                scale: hand_scale,
            },
        };
        let frames = sensor.record(&perf, seconds, rng);
        let t0 = sensor.t0;
        let events = self
            .labels
            .iter()
            .map(|l| Label {
                start: round(t0 + l.start),
                end: round(t0 + l.end),
                ..*l
            })
            .collect();
        self.notes.push(format!(
            "{rate} Hz{}; noise {:.1} mm; {} dropouts, {} glitches.",
            match sensor.feed_rate {
                Some(f) => format!(" with samples held (feed {f:.0} Hz)"),
                None => String::new(),
            },
            sensor.noise * 1000.0,
            sensor.dropouts.len(),
            sensor.glitches.len()
        ));
        SynthTrace {
            frames,
            labels: LabelFile {
                trace: format!("{name}.jsonl"),
                events,
                notes: self.notes.join(" "),
            },
        }
    }
}

/// Label times to 10 us, like the trace's.
fn round(t: f64) -> f64 {
    (t * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::hand::joint;

    /// Palm travel along the head's lateral axis between two trace times.
    fn lateral_travel(frames: &[TrackingFrame], h: Handedness, a: f64, b: f64) -> Option<f32> {
        let at = |t: f64| {
            let f = frames.iter().rfind(|f| f.t <= t)?;
            let hand = match h {
                Handedness::Left => f.left,
                Handedness::Right => f.right,
            }?;
            let look = f.head.orientation * Vec3::NEG_Z;
            let right = Vec3::new(-look.z, 0.0, look.x).normalize();
            Some(hand.joints[joint::PALM].position.dot(right))
        };
        Some(at(b)? - at(a)?)
    }

    #[test]
    fn traces_are_well_formed() {
        for kind in Kind::ALL {
            for seed in 0..3 {
                let tr = generate(kind, seed, "x");
                assert!(tr.frames.len() > 100, "{kind:?}");
                assert!(tr.frames.windows(2).all(|w| w[1].t > w[0].t));
                let mean_dt =
                    (tr.frames.last().unwrap().t - tr.frames[0].t) / (tr.frames.len() - 1) as f64;
                assert!(
                    (1.0 / 125.0..1.0 / 19.0).contains(&mean_dt),
                    "{kind:?} {mean_dt}"
                );
                assert_eq!(tr.labels.events.is_empty(), !kind.is_positive(), "{kind:?}");
                for f in &tr.frames {
                    for h in [f.left, f.right].into_iter().flatten() {
                        assert!(
                            h.joints.iter().all(
                                |j| j.position.is_finite() && (0.004..0.03).contains(&j.radius)
                            )
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn swipe_labels_span_the_sweep() {
        for (kind, sign) in [(Kind::SwipeLeft, -1.0), (Kind::SwipeRight, 1.0)] {
            for seed in 0..8 {
                let tr = generate(kind, seed, "x");
                let l = tr.labels.events[0];
                let Some(d) = lateral_travel(&tr.frames, l.hand, l.start, l.end) else {
                    continue; // a dropout at an end of the window
                };
                // 0.25-0.6 m designed; the head's bob and noise move it a little.
                assert!(
                    (0.2..0.7).contains(&(d * sign)),
                    "{kind:?} seed {seed}: {d}"
                );
                let dur = l.end - l.start;
                assert!((0.19..0.61).contains(&dur), "{dur}");
            }
        }
    }

    #[test]
    fn same_seed_same_trace_and_kinds_parse() {
        let a = generate(Kind::Mixed, 9, "a");
        let b = generate(Kind::Mixed, 9, "a");
        assert_eq!(a.frames, b.frames);
        assert_eq!(a.labels, b.labels);
        for k in Kind::ALL {
            assert_eq!(k.name().parse::<Kind>(), Ok(k));
        }
        assert!("wiggle".parse::<Kind>().unwrap_err().contains("swipe-left"));
    }
}

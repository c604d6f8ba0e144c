//! The scripted visitor: a timed sequence of hand gestures, planned as smooth
//! head and hand trajectories and turned into remote-driver packets.
//!
//! Conventions (measured against Monado 25 with `xrLocateHandJointsEXT`):
//! - the wire pose is the WRIST joint's pose; in the wrist frame the fingers
//!   point along -Z and the palm normal is -Y, for both hands;
//! - the PALM joint has the wrist's orientation and sits at
//!   (+-0.0033, 0.0010, -0.0644) m in the wrist frame (+ left, - right).
//!
//! Positions below are the PALM joint's, in stage space: head at (0, 1.6, 0)
//! looking along -Z, +X the wearer's right.

use glam::{DMat3, DQuat, DVec3};

use super::error::{Result, SimError};
use super::remote::{ControllerState, RemotePacket, WirePose};

/// Curls in wire order: little, ring, middle, index, thumb.
pub type Curls = [f64; 5];
/// All fingers open.
pub const OPEN: Curls = [0.0; 5];
/// A closed fist.
pub const FIST: Curls = [1.0; 5];
/// Index finger extended, the others curled.
pub const POINT: Curls = [1.0, 1.0, 1.0, 0.0, 1.0];
/// Hands hanging relaxed.
pub const RELAXED: Curls = [0.35; 5];

/// Head centre in stage space.
pub const HEAD: DVec3 = DVec3::new(0.0, 1.6, 0.0);
const REST_POS: [DVec3; 2] = [
    DVec3::new(-0.22, 0.95, -0.05),
    DVec3::new(0.22, 0.95, -0.05),
];
const WAVE_POS: [DVec3; 2] = [
    DVec3::new(-0.20, 1.45, -0.35),
    DVec3::new(0.20, 1.45, -0.35),
];
/// Wave: lateral amplitude (m), frequency (Hz), roll (deg), raise/lower time (s).
const WAVE_AMP: f64 = 0.12;
const WAVE_HZ: f64 = 2.0;
const WAVE_ROLL_DEG: f64 = 20.0;
const WAVE_RAISE_S: f64 = 0.3;
const SWEEP_Y: f64 = 1.35;
const SWEEP_Z: f64 = -0.30;
const SWEEP_LEN: f64 = 0.45;
const SWEEP_CENTRE_X: [f64; 2] = [-0.22, 0.22];
/// Peak speed of the slow return to rest after a sweep, m/s: slow enough not to be a swipe.
const RETURN_SPEED: f64 = 0.22;
/// Peak sideways speed of the lift to a sweep's start, m/s.
const LIFT_SIDE_SPEED: f64 = 0.25;
const LIFT_MIN_S: f64 = 0.8;
/// Speed ramp at each end of the slow (cruise) moves, s.
const RAMP_S: f64 = 0.3;
/// Monado's hand size and its PALM joint in the left wrist frame (x mirrored for the right).
const HAND_SIZE: f64 = 0.095;
const PALM_LOCAL_LEFT: DVec3 = DVec3::new(
    0.034639 * HAND_SIZE,
    0.01 * HAND_SIZE,
    -(0.35573 + 0.645 / 2.0) * HAND_SIZE,
);

/// Which hand; index 0 is left, 1 right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hand {
    /// Left.
    Left = 0,
    /// Right.
    Right = 1,
}

impl Hand {
    const BOTH: [Hand; 2] = [Hand::Left, Hand::Right];

    /// The PALM joint's offset in this hand's wrist frame.
    pub fn palm_offset(self) -> DVec3 {
        match self {
            Hand::Left => PALM_LOCAL_LEFT,
            Hand::Right => PALM_LOCAL_LEFT * DVec3::new(-1.0, 1.0, 1.0),
        }
    }

    fn side(self) -> f64 {
        match self {
            Hand::Left => -1.0,
            Hand::Right => 1.0,
        }
    }
}

/// What one script segment does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SegmentKind {
    /// Both hands hang at the sides, relaxed.
    Rest,
    /// Like rest, with hand tracking inactive.
    Lost,
    /// One hand raised in front of the face, oscillating laterally with a roll.
    Wave {
        /// The waving hand.
        hand: Hand,
        /// Its curls (open for a wave, a fist for the negative test).
        curls: Curls,
    },
    /// One hand sweeping 0.45 m sideways, palm towards the motion.
    Sweep {
        /// The sweeping hand.
        hand: Hand,
        /// +1 towards the wearer's right, -1 left.
        dir: f64,
        /// Its curls.
        curls: Curls,
    },
}

/// Segment names and what they mean.
pub const SEGMENT_NAMES: &[&str] = &[
    "rest",
    "lost",
    "wave",
    "wave-left",
    "fist-sweep",
    "fist-sweep-left",
    "swipe-left",
    "swipe-right",
    "swipe-left-lefthand",
    "swipe-right-lefthand",
    "point-sweep",
    "point-sweep-lefthand",
];

fn kind_of(name: &str) -> Option<SegmentKind> {
    use Hand::{Left, Right};
    use SegmentKind::*;
    let sweep = |hand, dir, curls| Sweep { hand, dir, curls };
    Some(match name {
        "rest" => Rest,
        "lost" => Lost,
        "wave" => Wave {
            hand: Right,
            curls: OPEN,
        },
        "wave-left" | "wave-lefthand" => Wave {
            hand: Left,
            curls: OPEN,
        },
        // The spine's negative test: a closed fist moving exactly like a wave.
        "fist-sweep" => Wave {
            hand: Right,
            curls: FIST,
        },
        "fist-sweep-left" | "fist-sweep-lefthand" => Wave {
            hand: Left,
            curls: FIST,
        },
        "swipe-left" => sweep(Right, -1.0, OPEN),
        "swipe-right" => sweep(Right, 1.0, OPEN),
        "swipe-left-lefthand" => sweep(Left, -1.0, OPEN),
        "swipe-right-lefthand" => sweep(Left, 1.0, OPEN),
        "point-sweep" => sweep(Right, -1.0, POINT),
        "point-sweep-lefthand" => sweep(Left, -1.0, POINT),
        _ => return None,
    })
}

/// One parsed segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Its name as written.
    pub name: String,
    /// What it does.
    pub kind: SegmentKind,
    /// Its duration in seconds.
    pub seconds: f64,
}

/// Longest script accepted, so a typo cannot ask for a year-long feed.
pub const MAX_SCRIPT_SECONDS: f64 = 3600.0;

/// Parses `NAME:SECONDS[,NAME:SECONDS...]`.
pub fn parse_script(text: &str) -> Result<Vec<Segment>> {
    let err = |problem: String| SimError::Script {
        script: text.to_string(),
        problem,
    };
    let mut segs = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (name, secs) = item.split_once(':').ok_or_else(|| {
            err(format!(
                "segment {} '{item}' needs a duration, e.g. {item}:2",
                i + 1
            ))
        })?;
        let name = name.trim();
        let kind = kind_of(name).ok_or_else(|| {
            err(format!(
                "segment {} has unknown name '{name}' (known: {})",
                i + 1,
                SEGMENT_NAMES.join(", ")
            ))
        })?;
        let seconds: f64 = secs
            .trim()
            .parse()
            .ok()
            .filter(|s: &f64| *s > 0.0 && s.is_finite())
            .ok_or_else(|| {
                err(format!(
                    "segment {} '{item}' needs a duration > 0 in seconds, e.g. {name}:2",
                    i + 1
                ))
            })?;
        segs.push(Segment {
            name: name.to_string(),
            kind,
            seconds,
        });
    }
    if segs.is_empty() {
        return Err(err("empty script; e.g. rest:2,wave:3,rest:2".into()));
    }
    let total: f64 = segs.iter().map(|s| s.seconds).sum();
    if total > MAX_SCRIPT_SECONDS {
        return Err(err(format!(
            "lasts {total} s, more than the {MAX_SCRIPT_SECONDS} s allowed"
        )));
    }
    Ok(segs)
}

/// A palm pose in the head frame (yaw 0) plus curls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    /// PALM joint position.
    pub pos: DVec3,
    /// Hand orientation (wrist = palm orientation).
    pub quat: DQuat,
    /// Curls, wire order.
    pub curls: Curls,
}

impl Pose {
    fn close_to(&self, o: &Pose) -> bool {
        self.pos.distance(o.pos) < 1e-3 && self.quat.angle_between(o.quat) < 0.01
    }
}

/// The orientation that points the fingers along `fingers` with the palm normal along `palm`.
pub fn hand_quat(fingers: DVec3, palm: DVec3) -> DQuat {
    let z = -fingers.normalize();
    let p = palm - z * palm.dot(z);
    let y = -p.normalize();
    let q = DQuat::from_mat3(&DMat3::from_cols(y.cross(z), y, z)).normalize();
    if q.w < 0.0 { -q } else { q }
}

/// The palm normal (-Y) of an orientation.
pub fn palm_normal(q: DQuat) -> DVec3 {
    q * DVec3::NEG_Y
}

/// The finger direction (-Z) of an orientation.
pub fn finger_dir(q: DQuat) -> DVec3 {
    q * DVec3::NEG_Z
}

fn rest_pose(h: Hand) -> Pose {
    // Palms face the thighs: inwards.
    Pose {
        pos: REST_POS[h as usize],
        quat: hand_quat(DVec3::NEG_Y, DVec3::new(-h.side(), 0.0, 0.0)),
        curls: RELAXED,
    }
}

fn wave_pose(h: Hand, curls: Curls) -> Pose {
    Pose {
        pos: WAVE_POS[h as usize],
        quat: hand_quat(DVec3::Y, DVec3::NEG_Z),
        curls,
    }
}

fn sweep_poses(h: Hand, dir: f64, curls: Curls) -> (Pose, Pose) {
    let cx = SWEEP_CENTRE_X[h as usize];
    let quat = hand_quat(DVec3::Y, DVec3::new(dir, 0.0, 0.0));
    let at = |x| Pose {
        pos: DVec3::new(x, SWEEP_Y, SWEEP_Z),
        quat,
        curls,
    };
    (
        at(cx - dir * SWEEP_LEN / 2.0),
        at(cx + dir * SWEEP_LEN / 2.0),
    )
}

/// Minimum-jerk progress 0..1 (peak speed 1.875 x distance / duration).
pub fn minjerk(u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    u * u * u * (10.0 + u * (-15.0 + 6.0 * u))
}

/// Progress 0..1 with a raised-cosine speed ramp of `RAMP_S` at each end and constant
/// speed between (peak = 1 / (dur - ramp)).
fn cruise(t: f64, dur: f64) -> f64 {
    if dur <= 0.0 {
        return 1.0;
    }
    let r = RAMP_S.min(dur / 2.0);
    let t = t.clamp(0.0, dur);
    let up = |x: f64| {
        0.5 * x - (r / (2.0 * std::f64::consts::PI)) * (std::f64::consts::PI * x / r).sin()
    };
    let s = if t <= r {
        up(t)
    } else if t < dur - r {
        0.5 * r + (t - r)
    } else {
        (dur - r) - up(dur - t)
    };
    s / (dur - r)
}

fn cruise_duration(dist: f64, speed: f64) -> f64 {
    if dist > 0.0 {
        dist / speed + RAMP_S
    } else {
        0.0
    }
}

/// Slerp along the arc from `a` to `b` as given (the caller picks `b`'s sign).
fn slerp_arc(a: DQuat, b: DQuat, s: f64) -> DQuat {
    let d = a.dot(b).clamp(-1.0, 1.0);
    if d > 0.9995 {
        return a.lerp(b, s).normalize();
    }
    let th = d.acos();
    let (sa, sb) = (((1.0 - s) * th).sin() / th.sin(), (s * th).sin() / th.sin());
    (a * sa + b * sb).normalize()
}

/// Picks the sign of `b`: the short way, unless the turn exceeds 100 degrees; then the
/// way whose halfway pose points the fingers more forward, then more outward, so a
/// hand never swings its fingers back through the body.
fn pick_turn(a: DQuat, b: DQuat, side: f64) -> DQuat {
    let b = if a.dot(b) < 0.0 { -b } else { b };
    if a.angle_between(b).to_degrees() <= 100.0 {
        return b;
    }
    let score = |q: DQuat| {
        let f = finger_dir(slerp_arc(a, q, 0.5));
        -f.z + 0.5 * side * f.x
    };
    if score(-b) > score(b) + 1e-6 { -b } else { b }
}

#[derive(Clone, Copy, Debug)]
enum Profile {
    MinJerk,
    Cruise,
}

/// A smooth transition between two poses over `[t0, t0 + dur]`.
#[derive(Clone, Copy, Debug)]
struct Move {
    a: Pose,
    b: Pose,
    t0: f64,
    dur: f64,
    profile: Profile,
}

impl Move {
    fn new(a: Pose, b: Pose, t0: f64, dur: f64, profile: Profile, side: f64) -> Self {
        let b = Pose {
            quat: pick_turn(a.quat, b.quat, side),
            ..b
        };
        Move {
            a,
            b,
            t0,
            dur,
            profile,
        }
    }

    fn at_from(&self, t: f64, a: &Pose) -> Pose {
        let u = t - self.t0;
        let s = match self.profile {
            _ if self.dur <= 0.0 => 1.0,
            Profile::MinJerk => minjerk(u / self.dur),
            Profile::Cruise => cruise(u, self.dur),
        };
        // The sign of `b` was picked against the planned start; a moving start (the
        // wave's oscillation, within 20 degrees of it) keeps that choice, so no flip.
        Pose {
            pos: a.pos.lerp(self.b.pos, s),
            quat: slerp_arc(a.quat, self.b.quat, s),
            curls: std::array::from_fn(|i| a.curls[i] + (self.b.curls[i] - a.curls[i]) * s),
        }
    }

    fn at(&self, t: f64) -> Pose {
        self.at_from(t, &self.a)
    }
}

/// One hand during one segment.
#[derive(Clone, Debug)]
enum HandMotion {
    Rest {
        pose: Pose,
        ret: Option<Move>,
        lift: Option<Move>,
    },
    Wave {
        base: Pose,
        enter: Move,
        leave: Move,
    },
    Sweep(Move),
}

impl HandMotion {
    fn at(&self, t: f64) -> Pose {
        match self {
            HandMotion::Rest { pose, ret, lift } => {
                if let Some(r) = ret.filter(|r| t < r.t0 + r.dur) {
                    return r.at(t);
                }
                if let Some(l) = lift.filter(|l| t > l.t0) {
                    return l.at(t);
                }
                *pose
            }
            HandMotion::Wave { base, enter, leave } => {
                if t < enter.dur {
                    return enter.at(t);
                }
                let osc = oscillate(base, t - enter.dur);
                if t > leave.t0 {
                    leave.at_from(t, &osc)
                } else {
                    osc
                }
            }
            HandMotion::Sweep(m) => m.at(t),
        }
    }
}

fn oscillate(base: &Pose, t: f64) -> Pose {
    let s = (2.0 * std::f64::consts::PI * WAVE_HZ * t.max(0.0)).sin();
    // Roll about the forward axis so the fingers lean the way the hand moves.
    let roll = DQuat::from_rotation_z(-WAVE_ROLL_DEG.to_radians() * s);
    Pose {
        pos: base.pos + DVec3::new(WAVE_AMP * s, 0.0, 0.0),
        quat: roll * base.quat,
        curls: base.curls,
    }
}

/// A hand's state at one instant, in stage space with the yaw applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandSample {
    /// PALM joint position.
    pub palm: DVec3,
    /// Orientation (palm = wrist).
    pub orientation: DQuat,
    /// WRIST joint position (what goes on the wire).
    pub wrist: DVec3,
    /// Curls, wire order: little, ring, middle, index, thumb.
    pub curls: Curls,
    /// Whether hand tracking is active.
    pub tracked: bool,
    /// Wrist linear velocity, m/s.
    pub linear_velocity: DVec3,
    /// Angular velocity in the hand's own frame, rad/s.
    pub angular_velocity: DVec3,
}

/// The whole visitor at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VisitorSample {
    /// Index of the current segment (the last one once the script is over).
    pub segment: usize,
    /// Head orientation (the yaw).
    pub head: DQuat,
    /// Left hand, right hand.
    pub hands: [HandSample; 2],
}

/// A script planned into trajectories, ready to sample at any time.
#[derive(Clone, Debug)]
pub struct VisitorPlan {
    segments: Vec<Segment>,
    starts: Vec<f64>,
    total: f64,
    yaw: DQuat,
    yaw_deg: f64,
    motions: [Vec<HandMotion>; 2],
    warnings: Vec<String>,
}

impl VisitorPlan {
    /// Parses and plans `script` for a wearer turned `yaw_deg` degrees (positive = left).
    pub fn parse(script: &str, yaw_deg: f64) -> Result<Self> {
        if !yaw_deg.is_finite() {
            return Err(SimError::Script {
                script: script.into(),
                problem: format!("--yaw must be a finite number of degrees, got {yaw_deg}"),
            });
        }
        Ok(Self::new(parse_script(script)?, yaw_deg))
    }

    /// Plans parsed segments.
    pub fn new(segments: Vec<Segment>, yaw_deg: f64) -> Self {
        let mut starts = Vec::with_capacity(segments.len());
        let mut total = 0.0;
        for s in &segments {
            starts.push(total);
            total += s.seconds;
        }
        let mut warnings = Vec::new();
        let motions = Hand::BOTH.map(|h| plan_hand(h, &segments, &mut warnings));
        VisitorPlan {
            segments,
            starts,
            total,
            yaw: DQuat::from_rotation_y(yaw_deg.to_radians()),
            yaw_deg,
            motions,
            warnings,
        }
    }

    /// The segments.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Start time of each segment, seconds from the first packet.
    pub fn starts(&self) -> &[f64] {
        &self.starts
    }

    /// The script's length in seconds.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The yaw in degrees.
    pub fn yaw_deg(&self) -> f64 {
        self.yaw_deg
    }

    /// Moves that had to be faster than planned (rests too short), for the user.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// (segment index, time inside it, script over?) at script time `t`.
    fn locate(&self, t: f64) -> (usize, f64, bool) {
        if t >= self.total {
            let last = self.segments.len() - 1;
            return (last, self.segments[last].seconds, true);
        }
        let i = self.starts.partition_point(|s| *s <= t).saturating_sub(1);
        (i, t - self.starts[i], false)
    }

    fn world(&self, h: Hand, p: &Pose) -> (DVec3, DQuat, DVec3) {
        let q = self.yaw * p.quat;
        let palm = self.yaw * p.pos;
        (palm, q, palm - q * h.palm_offset())
    }

    /// The visitor at script time `t` seconds (held at the final state after the end).
    pub fn sample(&self, t: f64) -> VisitorSample {
        let (i, ts, done) = self.locate(t.max(0.0));
        let dur = self.segments[i].seconds;
        let tracked = self.segments[i].kind != SegmentKind::Lost;
        let hands = Hand::BOTH.map(|h| {
            let m = &self.motions[h as usize][i];
            let p = m.at(ts);
            let (palm, q, wrist) = self.world(h, &p);
            let (mut lv, mut av) = (DVec3::ZERO, DVec3::ZERO);
            let e = 1e-3;
            let (ta, tb) = ((ts - e).max(0.0), (ts + e).min(dur));
            if !done && tb - ta > 1e-6 {
                let (_, qa, wa) = self.world(h, &m.at(ta));
                let (_, qb, wb) = self.world(h, &m.at(tb));
                lv = (wb - wa) / (tb - ta);
                let dq = qa.conjugate() * qb;
                let dq = if dq.w < 0.0 { -dq } else { dq };
                let (axis, angle) = dq.to_axis_angle();
                av = axis * angle / (tb - ta);
            }
            HandSample {
                palm,
                orientation: q,
                wrist,
                curls: p.curls,
                tracked,
                linear_velocity: lv,
                angular_velocity: av,
            }
        });
        VisitorSample {
            segment: i,
            head: self.yaw,
            hands,
        }
    }

    /// The packet to send at script time `t`.
    pub fn packet(&self, t: f64) -> RemotePacket {
        let s = self.sample(t);
        let f3 = |v: DVec3| v.as_vec3().to_array();
        let ctrl = |h: &HandSample| {
            let mut c = ControllerState {
                pose: WirePose {
                    orientation: h.orientation.as_quat().to_array(),
                    position: f3(h.wrist),
                },
                linear_velocity: f3(h.linear_velocity),
                angular_velocity: f3(h.angular_velocity),
                curls: h.curls.map(|c| c as f32),
                ..Default::default()
            };
            c.flags.active = true;
            c.flags.hand_tracking_active = h.tracked;
            c
        };
        RemotePacket {
            head: WirePose {
                orientation: s.head.as_quat().to_array(),
                position: f3(HEAD),
            },
            left: ctrl(&s.hands[0]),
            right: ctrl(&s.hands[1]),
            ..Default::default()
        }
    }
}

/// What hand `h` does in segment `i`: its own wave or sweep, or rest.
fn hand_kind(h: Hand, seg: &Segment) -> SegmentKind {
    match seg.kind {
        SegmentKind::Wave { hand, .. } | SegmentKind::Sweep { hand, .. } if hand == h => seg.kind,
        _ => SegmentKind::Rest,
    }
}

fn plan_hand(h: Hand, segs: &[Segment], warnings: &mut Vec<String>) -> Vec<HandMotion> {
    let kinds: Vec<SegmentKind> = segs.iter().map(|s| hand_kind(h, s)).collect();
    let sweep_start = |k: Option<&SegmentKind>| match k {
        Some(SegmentKind::Sweep { dir, curls, .. }) => Some(sweep_poses(h, *dir, *curls).0),
        _ => None,
    };
    let mut start = sweep_start(kinds.first()).unwrap_or_else(|| rest_pose(h));
    let mut out = Vec::with_capacity(segs.len());
    for (i, seg) in segs.iter().enumerate() {
        let dur = seg.seconds;
        let next_sweep = sweep_start(kinds.get(i + 1));
        let label = format!("segment {} '{}' ({:?} hand)", i + 1, seg.name, h);
        let (motion, end) = match kinds[i] {
            SegmentKind::Sweep { dir, curls, .. } => {
                let (p0, p1) = sweep_poses(h, dir, curls);
                if start.pos.distance(p0.pos) > 0.01 {
                    warnings.push(format!(
                        "{label}: the hand is not at the sweep's start and jumps {:.2} m; put a rest before it",
                        start.pos.distance(p0.pos)
                    ));
                }
                (
                    HandMotion::Sweep(Move::new(p0, p1, 0.0, dur, Profile::MinJerk, h.side())),
                    p1,
                )
            }
            SegmentKind::Wave { curls, .. } => {
                let base = wave_pose(h, curls);
                let t_io = WAVE_RAISE_S.min(dur / 3.0);
                let end = next_sweep.unwrap_or_else(|| rest_pose(h));
                if next_sweep.is_some() {
                    warnings.push(format!("{label}: a sweep of the same hand follows at once, the hand jumps to it in {t_io:.2} s; put a rest between"));
                }
                let enter = Move::new(start, base, 0.0, t_io, Profile::MinJerk, h.side());
                let leave = Move::new(base, end, dur - t_io, t_io, Profile::MinJerk, h.side());
                (HandMotion::Wave { base, enter, leave }, end)
            }
            SegmentKind::Rest | SegmentKind::Lost => {
                plan_rest(h, start, next_sweep, dur, &label, warnings)
            }
        };
        out.push(motion);
        start = end;
    }
    out
}

fn plan_rest(
    h: Hand,
    start: Pose,
    lift_to: Option<Pose>,
    dur: f64,
    label: &str,
    warnings: &mut Vec<String>,
) -> (HandMotion, Pose) {
    let rest = rest_pose(h);
    let d_ret = start.pos.distance(rest.pos);
    let mut tr = if start.close_to(&rest) {
        0.0
    } else {
        cruise_duration(d_ret, RETURN_SPEED).max(0.6)
    };
    let mut tl = lift_to.map_or(0.0, |l| {
        cruise_duration((l.pos.x - rest.pos.x).abs(), LIFT_SIDE_SPEED).max(LIFT_MIN_S)
    });
    if tr + tl > dur {
        let k = dur / (tr + tl);
        warnings.push(format!(
            "{label}: {dur} s is too short for the slow moves it must make ({:.2} s needed); they run faster",
            tr + tl
        ));
        tr *= k;
        tl *= k;
    }
    let ret = (tr > 0.0).then(|| Move::new(start, rest, 0.0, tr, Profile::Cruise, h.side()));
    let lift = lift_to
        .filter(|_| tl > 0.0)
        .map(|l| Move::new(rest, l, dur - tl, tl, Profile::Cruise, h.side()));
    let end = lift_to.unwrap_or(rest);
    (
        HandMotion::Rest {
            pose: rest,
            ret,
            lift,
        },
        end,
    )
}

#[cfg(test)]
mod tests;

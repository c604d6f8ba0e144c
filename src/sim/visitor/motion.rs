//! Smooth per-hand trajectories: where each hand is during each segment.
//!
//! Poses are the PALM joint's in the head frame at yaw 0 (head at (0, 1.6, 0)
//! looking along -Z, +X the wearer's right); the plan turns them by the yaw.

use glam::{DQuat, DVec3};

use super::hand_model::{Curls, Hand, RELAXED, finger_dir, hand_quat};
use super::script::{Segment, SegmentKind};

const REST_POS: [DVec3; 2] = [
    DVec3::new(-0.22, 0.95, -0.05),
    DVec3::new(0.22, 0.95, -0.05),
];
const WAVE_POS: [DVec3; 2] = [
    DVec3::new(-0.20, 1.45, -0.35),
    DVec3::new(0.20, 1.45, -0.35),
];
// Wave: lateral amplitude (m), frequency (Hz), roll (deg).
const WAVE_AMP: f64 = 0.12;
const WAVE_HZ: f64 = 2.0;
const WAVE_ROLL_DEG: f64 = 20.0;
/// Seconds a wave takes to raise the hand at its start and to lower it at its end.
pub const WAVE_RAISE_S: f64 = 0.3;
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
pub(super) struct Move {
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
pub(super) enum HandMotion {
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
    pub(super) fn at(&self, t: f64) -> Pose {
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

/// What hand `h` does in segment `i`: its own wave or sweep, or rest.
fn hand_kind(h: Hand, seg: &Segment) -> SegmentKind {
    match seg.kind {
        SegmentKind::Wave { hand, .. } | SegmentKind::Sweep { hand, .. } if hand == h => seg.kind,
        _ => SegmentKind::Rest,
    }
}

pub(super) fn plan_hand(h: Hand, segs: &[Segment], warnings: &mut Vec<String>) -> Vec<HandMotion> {
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
            SegmentKind::Rest | SegmentKind::Lost | SegmentKind::Look | SegmentKind::Off => {
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

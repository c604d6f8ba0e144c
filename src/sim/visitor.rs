//! The scripted visitor: a timed sequence of hand gestures ([`script`] syntax),
//! planned as smooth head and hand trajectories ([`Pose`]s through Monado's hand
//! model) and turned into remote-driver packets.
//!
//! Positions are the PALM joint's, in stage space: head at (0, 1.6, 0) looking
//! along -Z, +X the wearer's right; `--yaw` turns everything about the head.

mod hand_model;
mod head;
mod motion;
pub mod script;

use glam::{DQuat, DVec3};

use super::remote::{ControllerState, RemotePacket, WirePose};
use crate::sim::error::{Result, SimError};
pub use hand_model::{Curls, FIST, Hand, OPEN, POINT, RELAXED, finger_dir, hand_quat, palm_normal};
use motion::{HandMotion, plan_hand};
pub use motion::{Pose, WAVE_RAISE_S, minjerk};
pub use script::{MAX_SCRIPT_SECONDS, SEGMENT_NAMES, Segment, SegmentKind, parse_script};

/// Head centre in stage space while worn and still.
pub const HEAD: DVec3 = head::WORN;

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
    /// Head centre, stage space.
    pub head_position: DVec3,
    /// Head orientation (the yaw, and the head's own turn).
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

    /// Plans segments from [`parse_script`] (never empty).
    fn new(segments: Vec<Segment>, yaw_deg: f64) -> Self {
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
        let tracked = !matches!(self.segments[i].kind, SegmentKind::Lost | SegmentKind::Off);
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
        let (head_position, head) = head::head_at(&self.segments, i, ts);
        VisitorSample {
            segment: i,
            head_position: self.yaw * head_position,
            head: self.yaw * head,
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
                position: f3(s.head_position),
            },
            left: ctrl(&s.hands[0]),
            right: ctrl(&s.hands[1]),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests;

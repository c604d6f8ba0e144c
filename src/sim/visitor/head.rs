//! The visitor's head: still while they rest or gesture, turning and swaying
//! in `look`, lying on a table in `off` (the headset taken off and put down),
//! and lifted back on at the start of the segment after an `off`.
//!
//! Poses are in stage space at yaw 0; the plan turns them by the yaw.

use glam::{DQuat, DVec3};

use super::motion::minjerk;
use super::script::{Segment, SegmentKind};

/// Head centre while worn.
pub const WORN: DVec3 = DVec3::new(0.0, 1.6, 0.0);
/// Where a headset put down lies: on a table beside the play area's centre.
const TABLE: DVec3 = DVec3::new(0.45, 0.75, -0.35);
/// Pitch of a headset lying lenses down on the table.
const TABLE_PITCH_DEG: f64 = -80.0;
/// Seconds to take the headset off and put it down, or to pick it up and put it on.
const HANDLING_S: f64 = 1.5;
/// Looking around: yaw amplitude and period, sway amplitude (x, y) and periods.
const LOOK_YAW_DEG: f64 = 25.0;
const LOOK_YAW_PERIOD_S: f64 = 5.0;
const LOOK_SWAY_M: (f64, f64) = (0.04, 0.015);
const LOOK_SWAY_PERIOD_S: (f64, f64) = (3.7, 2.3);
/// The look motion fades in and out over this long, so segments join smoothly.
const LOOK_FADE_S: f64 = 1.0;

fn worn() -> (DVec3, DQuat) {
    (WORN, DQuat::IDENTITY)
}

fn on_table() -> (DVec3, DQuat) {
    (TABLE, DQuat::from_rotation_x(TABLE_PITCH_DEG.to_radians()))
}

fn blend(a: (DVec3, DQuat), b: (DVec3, DQuat), s: f64) -> (DVec3, DQuat) {
    (a.0.lerp(b.0, s), a.1.slerp(b.1, s))
}

/// The head's position and orientation `ts` seconds into segment `i`.
pub fn head_at(segments: &[Segment], i: usize, ts: f64) -> (DVec3, DQuat) {
    let seg = &segments[i];
    let after_off = i > 0 && segments[i - 1].kind == SegmentKind::Off;
    // Handling takes at most half a short segment, so it always completes.
    let handling = HANDLING_S.min(seg.seconds / 2.0);
    if seg.kind == SegmentKind::Off {
        return if after_off {
            on_table()
        } else {
            blend(worn(), on_table(), minjerk(ts / handling))
        };
    }
    if after_off && ts < handling {
        return blend(on_table(), worn(), minjerk(ts / handling));
    }
    if seg.kind == SegmentKind::Look {
        let t = ts - if after_off { handling } else { 0.0 };
        let left = seg.seconds - ts;
        let fade = minjerk((t / LOOK_FADE_S).min(left / LOOK_FADE_S));
        let wave = |period: f64| (std::f64::consts::TAU * t / period).sin();
        let yaw = LOOK_YAW_DEG.to_radians() * wave(LOOK_YAW_PERIOD_S) * fade;
        let sway = DVec3::new(
            LOOK_SWAY_M.0 * wave(LOOK_SWAY_PERIOD_S.0),
            LOOK_SWAY_M.1 * wave(LOOK_SWAY_PERIOD_S.1),
            0.0,
        ) * fade;
        return (WORN + sway, DQuat::from_rotation_y(yaw));
    }
    worn()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::visitor::parse_script;

    fn path(script: &str) -> Vec<(f64, DVec3, DQuat)> {
        let segs = parse_script(script).unwrap();
        let mut out = Vec::new();
        let mut start = 0.0;
        for (i, s) in segs.iter().enumerate() {
            let n = (s.seconds * 100.0).round() as usize;
            for k in 0..n {
                let ts = k as f64 / 100.0;
                let (p, q) = head_at(&segs, i, ts);
                out.push((start + ts, p, q));
            }
            start += s.seconds;
        }
        out
    }

    #[test]
    fn the_head_moves_continuously_through_every_kind_of_segment() {
        let p = path("rest:2,look:6,off:4,off:2,look:3,rest:1,off:3,wave:2");
        for w in p.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let speed = a.1.distance(b.1) / (b.0 - a.0);
            assert!(speed < 2.0, "a jump of {speed} m/s at t = {}", b.0);
            assert!(a.2.angle_between(b.2) < 0.05, "a turn jump at t = {}", b.0);
        }
    }

    #[test]
    fn looking_around_moves_the_head_and_off_leaves_it_still_on_the_table() {
        let segs = parse_script("look:8,off:6,rest:3").unwrap();
        let speed = |i: usize, ts: f64| {
            let (a, _) = head_at(&segs, i, ts);
            let (b, _) = head_at(&segs, i, ts + 0.01);
            a.distance(b) / 0.01
        };
        // The kiosk counts a head slower than 0.02 m/s as still: looking
        // around is clearly faster most of the time.
        let moving = (10..70)
            .filter(|k| speed(0, *k as f64 / 10.0) > 0.03)
            .count();
        assert!(moving > 40, "moving in only {moving} of 60 samples");
        for k in 16..60 {
            assert_eq!(speed(1, k as f64 / 10.0), 0.0, "at {k}");
        }
        assert!(head_at(&segs, 1, 5.0).0.y < 1.0);
        // Put back on during the next segment.
        assert_eq!(head_at(&segs, 2, 2.0), (WORN, DQuat::IDENTITY));
    }
}

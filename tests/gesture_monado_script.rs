//! The gestures of the simulator's scripted hand feed (`xr-sim`'s `--script` segments, as its
//! README documents them), replayed the way the app sees them in Monado: hand samples held
//! between 250 Hz packets, the app's frames at 20 Hz (the null compositor) or 55 Hz, no
//! tracking noise, and the whole scene turned by `--yaw`.
//!
//! The script `rest:5,wave:2,rest:4,swipe-left:0.6,rest:4,swipe-right:0.6,rest:4,
//! fist-sweep:0.6,rest:4` must give exactly: a wave, a swipe left, a swipe right.

use glam::{Quat, Vec3};
use roomwave::gesture::synth::{Curls, FIST, HandModel, OPEN, POINT, min_jerk};
use roomwave::gesture::{
    Direction, GestureConfig, GestureDetector, GestureEvent, GestureKind, Handedness, Pose,
    TrackingFrame,
};
use std::f32::consts::TAU;

const HEAD: Vec3 = Vec3::new(0.0, 1.6, 0.0);
const RELAXED: Curls = [0.35; 5];

/// Palm position, finger direction, palm normal and curls (the README's terms), yaw 0.
#[derive(Clone, Copy)]
struct Hand(Vec3, Vec3, Vec3, Curls);

fn rest(side: f32) -> Hand {
    Hand(
        Vec3::new(0.22 * side, 0.95, -0.05),
        Vec3::NEG_Y,
        Vec3::new(-side, 0.0, 0.0),
        RELAXED,
    )
}

fn blend(a: Hand, b: Hand, s: f32) -> Hand {
    let mut c = a.3;
    for (x, y) in c.iter_mut().zip(b.3) {
        *x += (y - *x) * s;
    }
    Hand(
        a.0.lerp(b.0, s),
        a.1.lerp(b.1, s).normalize(),
        a.2.lerp(b.2, s).normalize(),
        c,
    )
}

/// One `--script` segment of the right hand.
#[derive(Clone, Copy, PartialEq)]
enum Seg {
    Rest,
    Wave,
    /// A sweep from x0 to x1 with these curls.
    Sweep(f32, f32, Curls),
}

fn sweep_pose(x: f32, dir: f32, curls: Curls) -> Hand {
    Hand(
        Vec3::new(x, 1.35, -0.30),
        Vec3::Y,
        Vec3::new(dir, 0.0, 0.0),
        curls,
    )
}

/// The right hand at time `t` of the script.
fn right_hand(script: &[(Seg, f32)], t: f32) -> Hand {
    let mut start = 0.0;
    let mut held = rest(1.0);
    for (k, &(seg, len)) in script.iter().enumerate() {
        let u = t - start;
        if u < len || k == script.len() - 1 {
            let u = u.min(len);
            return match seg {
                Seg::Wave => wave(u, len),
                Seg::Sweep(x0, x1, c) => {
                    let x = x0 + (x1 - x0) * min_jerk(u / len);
                    sweep_pose(x, (x1 - x0).signum(), c)
                }
                Seg::Rest => {
                    // Back to the side at <= 0.22 m/s (2.7 s), then lifted to the next
                    // sweep's start during the last 1.2 s.
                    let back = blend(held, rest(1.0), min_jerk(u / 2.7));
                    match script.get(k + 1) {
                        Some(&(Seg::Sweep(x0, x1, c), _)) if u > len - 1.2 => {
                            let to = sweep_pose(x0, (x1 - x0).signum(), c);
                            blend(back, to, min_jerk((u - (len - 1.2)) / 1.2))
                        }
                        _ => back,
                    }
                }
            };
        }
        held = match seg {
            Seg::Sweep(x0, x1, c) => sweep_pose(x1, (x1 - x0).signum(), c),
            _ => rest(1.0),
        };
        start += len;
    }
    held
}

/// The `wave` segment: up in 0.3 s, +-0.12 m at 2 Hz with +-20 degrees of roll, down in 0.3 s.
fn wave(u: f32, len: f32) -> Hand {
    let center = Hand(Vec3::new(0.20, 1.45, -0.35), Vec3::Y, Vec3::NEG_Z, OPEN);
    if u < 0.3 {
        return blend(rest(1.0), center, min_jerk(u / 0.3));
    }
    let swing = (TAU * 2.0 * (u - 0.3)).sin();
    let roll = Quat::from_rotation_z(-swing * 20f32.to_radians());
    let at = Hand(
        center.0 + Vec3::X * 0.12 * swing,
        roll * Vec3::Y,
        Vec3::NEG_Z,
        OPEN,
    );
    if u > len - 0.3 {
        let end = (TAU * 2.0 * (len - 0.6)).sin();
        let from = Hand(
            center.0 + Vec3::X * 0.12 * end,
            Quat::from_rotation_z(-end * 20f32.to_radians()) * Vec3::Y,
            Vec3::NEG_Z,
            OPEN,
        );
        return blend(from, rest(1.0), min_jerk((u - (len - 0.3)) / 0.3));
    }
    at
}

/// Runs the detector on the script as the app sees it at `app_hz`, turned by `yaw` degrees.
fn replay(script: &[(Seg, f32)], app_hz: f32, yaw: f32) -> Vec<GestureEvent> {
    let turn = Quat::from_rotation_y(yaw.to_radians());
    let right = HandModel {
        side: Handedness::Right,
        scale: 1.0,
    };
    let left = HandModel {
        side: Handedness::Left,
        scale: 1.0,
    };
    let pose =
        |m: &HandModel, h: Hand| m.pose(HEAD + turn * (h.0 - HEAD), turn * h.1, turn * h.2, h.3);
    let total: f32 = script.iter().map(|s| s.1).sum();
    let mut d = GestureDetector::new(&GestureConfig::default());
    let mut events = Vec::new();
    let n = (total * app_hz) as usize;
    for i in 0..n {
        let t = i as f32 / app_hz;
        // The newest 250 Hz packet, held (sample and hold, no interpolation).
        let packet_t = (t * 250.0).floor() / 250.0;
        let frame = TrackingFrame {
            t: 5000.0 + f64::from(t),
            head: Pose {
                position: HEAD,
                orientation: turn,
            },
            left: Some(pose(&left, rest(-1.0))),
            right: Some(pose(&right, right_hand(script, packet_t))),
        };
        d.update(&frame, &mut events);
    }
    events
}

fn spine_script() -> Vec<(Seg, f32)> {
    vec![
        (Seg::Rest, 5.0),
        (Seg::Wave, 2.0),
        (Seg::Rest, 4.0),
        (Seg::Sweep(0.445, -0.005, OPEN), 0.6),
        (Seg::Rest, 4.0),
        (Seg::Sweep(-0.005, 0.445, OPEN), 0.6),
        (Seg::Rest, 4.0),
        (Seg::Sweep(0.445, -0.005, FIST), 0.6),
        (Seg::Rest, 4.0),
    ]
}

fn kinds(events: &[GestureEvent]) -> Vec<(GestureKind, Option<Direction>)> {
    events.iter().map(|e| (e.gesture, e.direction)).collect()
}

#[test]
fn spine_script_gives_wave_then_swipes_left_and_right_and_no_fist() {
    let want = vec![
        (GestureKind::Wave, None),
        (GestureKind::Swipe, Some(Direction::Left)),
        (GestureKind::Swipe, Some(Direction::Right)),
    ];
    for app_hz in [20.0, 55.0] {
        for yaw in [0.0, 90.0, -45.0, 180.0] {
            let ev = replay(&spine_script(), app_hz, yaw);
            assert_eq!(kinds(&ev), want, "{app_hz} Hz, yaw {yaw}: {ev:?}");
            assert!(ev.iter().all(|e| e.hand == Handedness::Right));
            // Each in its segment (or within 0.5 s after it): wave 5-7 s, sweeps end at
            // 11.6 s and 16.2 s.
            let at: Vec<f64> = ev.iter().map(|e| e.t - 5000.0).collect();
            assert!((5.3..7.5).contains(&at[0]), "{at:?}");
            assert!(
                (11.6..11.8).contains(&at[1]),
                "swipe left reported late: {at:?}"
            );
            assert!(
                (16.2..16.4).contains(&at[2]),
                "swipe right reported late: {at:?}"
            );
        }
    }
}

#[test]
fn fist_and_point_sweeps_alone_give_nothing() {
    for curls in [FIST, POINT] {
        let script = vec![
            (Seg::Rest, 3.0),
            (Seg::Sweep(0.445, -0.005, curls), 0.6),
            (Seg::Rest, 4.0),
            (Seg::Sweep(-0.005, 0.445, curls), 0.5),
            (Seg::Rest, 3.0),
        ];
        for app_hz in [20.0, 55.0] {
            assert_eq!(
                replay(&script, app_hz, 30.0),
                vec![],
                "{curls:?} at {app_hz} Hz"
            );
        }
    }
}

#[test]
fn waves_back_to_back_each_count_once() {
    let script = vec![
        (Seg::Rest, 2.0),
        (Seg::Wave, 2.0),
        (Seg::Rest, 1.5),
        (Seg::Wave, 2.0),
        (Seg::Rest, 2.0),
    ];
    for app_hz in [20.0, 55.0] {
        let ev = replay(&script, app_hz, 0.0);
        assert_eq!(
            kinds(&ev),
            vec![(GestureKind::Wave, None); 2],
            "{app_hz} Hz: {ev:?}"
        );
    }
}

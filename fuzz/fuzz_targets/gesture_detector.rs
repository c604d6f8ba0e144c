//! The gesture detector over arbitrary joint data.
//!
//! A synthetic trace (any of the generator's 18 kinds, waves and swipes included, so the
//! detector's deep states are reached) is damaged by byte-driven edits: NaN, infinities,
//! huge and tiny values and raw bit patterns in any head or joint field, flipped
//! quaternions, scaled or shifted hands, lost and swapped hands, and times that repeat,
//! run backwards or jump. The detector must not panic or hang, and what it reports must
//! be finite and on the frames' clock.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roomwave::gesture::synth::{Kind, generate};
use roomwave::gesture::{GestureConfig, GestureDetector, HandPose, JOINT_COUNT, TrackingFrame};
use roomwave_fuzz::Bytes;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Generated traces by (kind, seed); at most `Kind::ALL.len()` x 4 of them.
type Traces = HashMap<(usize, u64), Vec<TrackingFrame>>;

/// A generated trace: generating one costs more than running the detector,
/// so each is made once per fuzzing process.
fn base(kind: usize, seed: u64) -> Vec<TrackingFrame> {
    static CACHE: OnceLock<Mutex<Traces>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry((kind, seed))
        .or_insert_with(|| generate(Kind::ALL[kind], seed, "fuzz").frames)
        .clone()
}

fn hand(f: &mut TrackingFrame, right: bool) -> Option<&mut HandPose> {
    if right {
        f.right.as_mut()
    } else {
        f.left.as_mut()
    }
}

fn edit(frames: &mut [TrackingFrame], b: &mut Bytes<'_>) {
    let op = b.byte() % 13;
    let at = usize::from(u16::from_le_bytes(b.array())) % frames.len();
    let sel = b.byte();
    let (right, joint, c) = (
        sel & 1 == 1,
        usize::from(sel >> 1) % JOINT_COUNT,
        usize::from(b.byte()),
    );
    let previous_t = at.checked_sub(1).map_or(0.0, |p| frames[p].t);
    let f = &mut frames[at];
    match op {
        0 => f.head.position[c % 3] = b.float(1.0, 2.0),
        1 => {
            let mut q = f.head.orientation.to_array();
            q[c % 4] = b.float(0.5, 1.0);
            f.head.orientation = glam::Quat::from_array(q);
        }
        2 => f.head.orientation = -f.head.orientation,
        3 => {
            let v = b.float(0.5, 1.0);
            if let Some(h) = hand(f, right) {
                h.joints[joint].position[c % 3] = v;
            }
        }
        4 => {
            let v = b.float(0.5, 1.0);
            if let Some(h) = hand(f, right) {
                let mut q = h.joints[joint].orientation.to_array();
                q[c % 4] = v;
                h.joints[joint].orientation = glam::Quat::from_array(q);
            }
        }
        5 => {
            if let Some(h) = hand(f, right) {
                for j in &mut h.joints {
                    j.orientation = -j.orientation;
                }
            }
        }
        6 => {
            let v = b.float(0.01, 0.02);
            if let Some(h) = hand(f, right) {
                h.joints[joint].radius = v;
            }
        }
        7 => {
            let s = b.float(1.0, 1.0);
            if let Some(h) = hand(f, right) {
                for j in &mut h.joints {
                    j.position *= s;
                }
            }
        }
        8 => {
            f.t = match c % 4 {
                0 => f64::from_le_bytes(b.array()),
                1 => previous_t,
                2 => f.t + f64::from(b.float(0.0, 1.0)),
                _ => f64::NAN,
            };
        }
        9 => {
            if right {
                f.right = None;
            } else {
                f.left = None;
            }
        }
        10 => std::mem::swap(&mut f.left, &mut f.right),
        11 => {
            let d = glam::Vec3::new(b.float(0.0, 0.3), b.float(0.0, 0.3), b.float(0.0, 0.3));
            if let Some(h) = hand(f, right) {
                for j in &mut h.joints {
                    j.position += d;
                }
            }
        }
        _ => {
            let v = b.float(0.0, 1.0);
            if let Some(h) = hand(f, right) {
                for j in &mut h.joints {
                    j.position = glam::Vec3::splat(v);
                    j.radius = v;
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let kind = usize::from(b.byte()) % Kind::ALL.len();
    let seed = u64::from(b.byte() % 4);
    let mut frames = base(kind, seed);
    if frames.is_empty() {
        return;
    }
    let mut edits = 0;
    while !b.is_empty() && edits < 4096 {
        edit(&mut frames, &mut b);
        edits += 1;
    }
    let mut detector = GestureDetector::new(&GestureConfig::default());
    let mut events = Vec::new();
    for f in &frames {
        events.clear();
        detector.update(f, &mut events);
        for e in &events {
            assert!(e.t.is_finite(), "{e:?}");
            assert_eq!(e.t, f.t, "event off the frame's clock: {e:?}");
        }
    }
});

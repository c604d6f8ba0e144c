//! What the session does with the poses, views and fields of view a runtime reports,
//! from the `PoseGuard` to what the renderer, the audio and the detector compute from it.
//!
//! Each frame of input is a head pose with its located flag, up to two hands of 26 joints
//! with validity flags, the play area's bounds and 0 to 3 views, every number possibly
//! hostile (see `roomwave_fuzz::Bytes`). Whatever passes the guard must give finite view
//! matrices, finite ear gains and a detector that does not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roomwave::app::{PoseGuard, RawJoint, RawPose, RawView, fov_ok, place_room};
use roomwave::audio::spatial::{Listener, source_gain};
use roomwave::gesture::{GestureConfig, GestureDetector, JOINT_COUNT};
use roomwave::render::{EyeView, Fov};
use roomwave::scene::{Room, default_room};
use roomwave_fuzz::Bytes;

fn pose(b: &mut Bytes<'_>, centre: f32) -> RawPose {
    RawPose {
        position: [b.float(0.0, 2.0), b.float(centre, 0.5), b.float(0.0, 2.0)],
        orientation: b.quat(),
    }
}

fn hand(b: &mut Bytes<'_>) -> Option<[RawJoint; JOINT_COUNT]> {
    if b.byte() & 1 == 0 {
        return None;
    }
    let palm = pose(b, 1.2);
    let mut joints = [RawJoint {
        pose: palm,
        radius: 0.01,
        valid: true,
    }; JOINT_COUNT];
    // Most joints stay plausible; the bytes pick which ones turn into garbage.
    let edits = b.byte() % 8;
    for _ in 0..edits {
        let k = usize::from(b.byte()) % JOINT_COUNT;
        joints[k] = RawJoint {
            pose: pose(b, 1.2),
            radius: b.float(0.01, 0.01),
            valid: b.byte() != 0,
        };
    }
    Some(joints)
}

fn view(b: &mut Bytes<'_>) -> RawView {
    RawView {
        pose: pose(b, 1.6),
        fov: roomwave::app::FovAngles {
            left: b.float(-0.8, 0.8),
            right: b.float(0.8, 0.8),
            up: b.float(0.8, 0.8),
            down: b.float(-0.8, 0.8),
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let mut guard = PoseGuard::new();
    let mut detector = GestureDetector::new(&GestureConfig::default());
    let mut events = Vec::new();
    let mut t = 0.0f64;
    let bounds = (b.float(4.0, 4.0), b.float(3.0, 3.0));
    // The start room as a catalog gives it: the catalog parser keeps these finite.
    let room = Room {
        name: String::new(),
        centre: glam::Vec2::new(f32::from(b.byte()) * 0.1, f32::from(b.byte()) * -0.1),
        size: default_room(),
    };
    let placement = place_room(&room, (b.byte() & 1 == 1).then_some(bounds));
    assert!(placement.yaw.is_finite() && placement.centre.is_finite());
    let speaker = glam::Vec3::new(2.0, 1.0, -1.5);
    let mut frames = 0;
    while !b.is_empty() && frames < 512 {
        frames += 1;
        t = match b.byte() {
            0 => f64::from_le_bytes(b.array()),
            1 => t,
            d => t + f64::from(d) * 1e-3,
        };
        let head = pose(&mut b, 1.6);
        let located = b.byte() & 1 == 1;
        let (left, right) = (hand(&mut b), hand(&mut b));
        let checked = guard.tracking(t, &head, located, left.as_ref(), right.as_ref());
        if let Some(frame) = &checked.frame {
            assert!(frame.head.position.is_finite() && frame.head.orientation.is_normalized());
            for h in [&frame.left, &frame.right].into_iter().flatten() {
                assert!(h.joints.iter().all(|j| j.position.is_finite()
                    && j.orientation.is_normalized()
                    && j.radius.is_finite()));
            }
            events.clear();
            detector.update(frame, &mut events);
        } else {
            detector.reset();
        }
        if let Some(h) = checked.head {
            let (position, orientation) = placement.pose_to_room(h.position, h.orientation);
            let gain = source_gain(
                &Listener {
                    position,
                    orientation,
                },
                speaker,
            );
            assert!(
                gain.left.is_finite() && gain.right.is_finite(),
                "{gain:?} for {h:?}"
            );
        }
        let n = usize::from(b.byte() % 4);
        let raw: [RawView; 3] = std::array::from_fn(|_| view(&mut b));
        if let Some(views) = guard.views(&raw[..n]) {
            for v in views {
                assert!(fov_ok(&v.fov));
                let (position, orientation) =
                    placement.pose_to_room(v.pose.position, v.pose.orientation);
                let eye = EyeView {
                    position,
                    orientation,
                    fov: Fov {
                        left: v.fov.left,
                        right: v.fov.right,
                        up: v.fov.up,
                        down: v.fov.down,
                    },
                };
                let m = eye.view_projection();
                assert!(m.is_finite(), "{m:?} from {v:?}");
            }
        }
    }
    let _ = guard.drops().total();
});

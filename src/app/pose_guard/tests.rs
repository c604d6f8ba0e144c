use super::*;

const IDENTITY: [f32; 4] = [0.0, 0.0, 0.0, 1.0];

fn pose(position: [f32; 3], orientation: [f32; 4]) -> RawPose {
    RawPose {
        position,
        orientation,
    }
}

fn head() -> RawPose {
    pose([0.1, 1.6, -0.2], IDENTITY)
}

fn hand() -> [RawJoint; JOINT_COUNT] {
    std::array::from_fn(|k| RawJoint {
        pose: pose([0.2, 1.2 + k as f32 * 0.01, -0.4], IDENTITY),
        radius: 0.01,
        valid: true,
    })
}

fn fov() -> FovAngles {
    FovAngles {
        left: -0.8,
        right: 0.7,
        up: 0.75,
        down: -0.85,
    }
}

fn view(x: f32) -> RawView {
    RawView {
        pose: pose([x, 1.6, 0.0], IDENTITY),
        fov: fov(),
    }
}

#[test]
fn good_data_passes_unchanged_except_normalisation() {
    let mut g = PoseGuard::new();
    let h = hand();
    let c = g.tracking(
        2.0,
        &pose([0.0, 1.6, 0.0], [0.0, 0.0, 0.0, 1.02]),
        true,
        Some(&h),
        None,
    );
    let frame = c.frame.expect("a frame");
    assert_eq!(frame.t, 2.0);
    assert!(frame.head.orientation.is_normalized());
    assert_eq!(
        frame.left.expect("left").joints[3].position,
        Vec3::new(0.2, 1.23, -0.4)
    );
    assert!(frame.right.is_none());
    assert_eq!(c.head, Some(frame.head));
    assert_eq!(g.drops(), PoseDrops::default());
}

#[test]
fn a_nan_or_infinite_head_gives_no_frame_and_no_head() {
    for bad in [
        pose([f32::NAN, 1.6, 0.0], IDENTITY),
        pose([0.0, f32::INFINITY, 0.0], IDENTITY),
        pose([0.0, 1.6, 0.0], [f32::NAN, 0.0, 0.0, 1.0]),
        pose([0.0, 1.6, 0.0], [0.0; 4]),
        pose([1e20, 1.6, 0.0], IDENTITY),
        pose([0.0, 1.6, 0.0], [1e30, 1e30, 0.0, 0.0]),
    ] {
        let mut g = PoseGuard::new();
        let c = g.tracking(1.0, &bad, true, Some(&hand()), None);
        assert_eq!(c.frame, None, "{bad:?}");
        assert_eq!(c.head, None);
        assert_eq!(g.drops().head_pose, 1);
        assert_eq!(g.drops().total(), 1);
    }
}

#[test]
fn an_unlocated_head_still_feeds_the_detector_but_not_the_station() {
    let mut g = PoseGuard::new();
    let c = g.tracking(1.0, &head(), false, None, None);
    assert!(c.frame.is_some());
    assert_eq!(c.head, None);
    assert_eq!(g.drops().total(), 0);
}

#[test]
fn one_bad_joint_drops_the_hand_and_counts_it() {
    for (k, bad) in [
        (
            0,
            RawJoint {
                radius: f32::NAN,
                ..hand()[0]
            },
        ),
        (
            7,
            RawJoint {
                radius: -0.01,
                ..hand()[7]
            },
        ),
        (
            25,
            RawJoint {
                pose: pose([0.0, f32::NEG_INFINITY, 0.0], IDENTITY),
                ..hand()[25]
            },
        ),
        (
            12,
            RawJoint {
                pose: pose([0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.5]),
                ..hand()[12]
            },
        ),
    ] {
        let mut joints = hand();
        joints[k] = bad;
        let mut g = PoseGuard::new();
        let good = hand();
        let c = g.tracking(1.0, &head(), true, Some(&joints), Some(&good));
        let frame = c.frame.expect("the head is fine");
        assert!(frame.left.is_none(), "joint {k}");
        assert!(frame.right.is_some());
        assert_eq!(g.drops().hand_joint, 1);
    }
}

#[test]
fn a_joint_not_flagged_valid_is_untracked_not_a_drop() {
    let mut joints = hand();
    joints[4].valid = false;
    joints[4].pose.position = [f32::NAN; 3];
    let mut g = PoseGuard::new();
    assert_eq!(g.hand(&joints), None);
    assert_eq!(g.drops().total(), 0);
}

#[test]
fn flipped_quaternions_are_the_same_rotation_and_pass() {
    let mut g = PoseGuard::new();
    let q = Quat::from_rotation_y(0.7);
    let flipped = (-q).to_array();
    let c = g.tracking(1.0, &pose([0.0, 1.6, 0.0], flipped), true, None, None);
    let got = c.frame.expect("frame").head.orientation;
    assert!((got * Vec3::X).distance(q * Vec3::X) < 1e-6);
}

#[test]
fn bad_views_fall_back_to_the_last_good_ones() {
    let mut g = PoseGuard::new();
    let nan_view = RawView {
        pose: pose([f32::NAN, 1.6, 0.0], IDENTITY),
        fov: fov(),
    };
    assert_eq!(g.views(&[view(-0.03), nan_view]), None, "nothing good yet");
    assert_eq!(g.drops().view_pose, 1);
    let good = g.views(&[view(-0.03), view(0.03)]).expect("good views");
    assert_eq!(good[1].pose.position.x, 0.03);
    let inverted = RawView {
        fov: FovAngles {
            left: 0.7,
            right: -0.8,
            ..fov()
        },
        ..view(0.5)
    };
    assert_eq!(g.views(&[view(0.5), inverted]), Some(good));
    assert_eq!(g.views(&[view(0.5)]), Some(good), "one view only");
    assert_eq!(g.drops().fov, 1);
    assert_eq!(g.drops().view_pose, 1);
}

#[test]
fn fov_needs_a_buildable_frustum() {
    assert!(fov_ok(&fov()));
    let with = |f: fn(&mut FovAngles)| {
        let mut a = fov();
        f(&mut a);
        fov_ok(&a)
    };
    assert!(!with(|a| a.up = f32::NAN));
    assert!(!with(|a| a.left = f32::NEG_INFINITY));
    assert!(!with(|a| a.right = std::f32::consts::FRAC_PI_2));
    assert!(!with(|a| a.down = a.up));
    assert!(!with(|a| std::mem::swap(&mut a.left, &mut a.right)));
    assert!(with(|a| a.right = MAX_FOV_ANGLE));
}

#[test]
fn every_drop_is_counted_but_logged_once_per_kind() {
    let mut g = PoseGuard::new();
    let bad = pose([f32::NAN; 3], IDENTITY);
    for _ in 0..5 {
        g.tracking(1.0, &bad, true, None, None);
    }
    assert_eq!(g.drops().head_pose, 5);
    assert_eq!(g.drops().total(), 5);
}

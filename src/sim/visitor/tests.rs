use super::*;

fn plan(s: &str) -> VisitorPlan {
    VisitorPlan::parse(s, 0.0).expect("valid script")
}

fn near(a: DVec3, b: DVec3, tol: f64) -> bool {
    a.distance(b) < tol
}

fn angle_deg(a: DVec3, b: DVec3) -> f64 {
    a.angle_between(b).to_degrees()
}

#[test]
fn parses_names_and_durations() {
    let segs = parse_script("rest:2, wave:1.5,fist-sweep:3,lost:0.5,wave-left:1").unwrap();
    let names: Vec<&str> = segs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["rest", "wave", "fist-sweep", "lost", "wave-left"]);
    assert_eq!(segs[1].seconds, 1.5);
    assert_eq!(
        segs[2].kind,
        SegmentKind::Wave {
            hand: Hand::Right,
            curls: FIST
        }
    );
    assert_eq!(
        segs[4].kind,
        SegmentKind::Wave {
            hand: Hand::Left,
            curls: OPEN
        }
    );
    for name in SEGMENT_NAMES {
        assert!(parse_script(&format!("{name}:1")).is_ok(), "{name}");
    }
}

#[test]
fn bad_scripts_say_which_segment_and_why() {
    let cases = [
        ("rest:2,jump:1", "segment 2 has unknown name 'jump'"),
        ("rest", "needs a duration"),
        ("rest:0", "duration > 0"),
        ("wave:-1", "duration > 0"),
        ("wave:abc", "duration > 0"),
        ("wave:inf", "duration > 0"),
        ("", "empty script"),
        (" , ", "empty script"),
        ("rest:4000", "more than"),
    ];
    for (script, want) in cases {
        let e = parse_script(script).unwrap_err().to_string();
        assert!(e.contains(want), "{script:?}: {e}");
    }
    assert!(VisitorPlan::parse("rest:1", f64::NAN).is_err());
}

#[test]
fn hand_quat_matches_the_measured_calibration() {
    // identity = flat hand, palm down, fingers forward
    let q = hand_quat(DVec3::NEG_Z, DVec3::NEG_Y);
    assert!(q.angle_between(DQuat::IDENTITY) < 1e-9);
    // +90 degrees about X = palm forward, fingers up (what the wave uses)
    let q = hand_quat(DVec3::Y, DVec3::NEG_Z);
    let want = DQuat::from_xyzw(
        std::f64::consts::FRAC_1_SQRT_2,
        0.0,
        0.0,
        std::f64::consts::FRAC_1_SQRT_2,
    );
    assert!(q.angle_between(want) < 1e-6, "{q:?}");
    assert!(near(palm_normal(q), DVec3::NEG_Z, 1e-9));
    assert!(near(finger_dir(q), DVec3::Y, 1e-9));
}

#[test]
fn rest_hangs_both_hands_at_the_sides() {
    let s = plan("rest:2").sample(1.0);
    for (h, x) in [(0, -0.22), (1, 0.22)] {
        let hs = s.hands[h];
        assert!(
            near(hs.palm, DVec3::new(x, 0.95, -0.05), 1e-9),
            "{:?}",
            hs.palm
        );
        assert!(angle_deg(finger_dir(hs.orientation), DVec3::NEG_Y) < 1e-6);
        // palms face inwards, towards the thighs
        assert!(
            angle_deg(
                palm_normal(hs.orientation),
                DVec3::new(-x.signum(), 0.0, 0.0)
            ) < 1e-6
        );
        assert_eq!(hs.curls, RELAXED);
        assert!(hs.tracked);
        assert_eq!(hs.linear_velocity, DVec3::ZERO);
    }
}

#[test]
fn wire_pose_is_the_wrist_behind_the_palm() {
    let p = plan("wave:2");
    for t in [0.1, 0.7, 1.33] {
        for (i, h) in [Hand::Left, Hand::Right].into_iter().enumerate() {
            let hs = p.sample(t).hands[i];
            let palm_from_wrist = hs.orientation.conjugate() * (hs.palm - hs.wrist);
            assert!(near(palm_from_wrist, h.palm_offset(), 1e-9));
        }
    }
    assert!((Hand::Right.palm_offset().length() - 0.0645).abs() < 0.001);
    assert!(Hand::Left.palm_offset().x > 0.0 && Hand::Right.palm_offset().x < 0.0);
}

#[test]
fn wave_oscillates_at_face_height_at_2_hz_with_an_open_palm_forward() {
    let p = plan("rest:1,wave:3,rest:1");
    let (t_in, t_end) = (1.0 + WAVE_RAISE_S, 4.0 - WAVE_RAISE_S);
    let mut crossings = 0;
    let mut prev = None;
    let (mut min_x, mut max_x) = (f64::MAX, f64::MIN);
    let mut t = t_in;
    while t < t_end {
        let r = p.sample(t).hands[1];
        assert!((r.palm.y - 1.45).abs() < 1e-9 && (r.palm.z + 0.35).abs() < 1e-9);
        let want_x = 0.20 + 0.12 * (2.0 * std::f64::consts::PI * 2.0 * (t - t_in)).sin();
        assert!(
            (r.palm.x - want_x).abs() < 1e-9,
            "t={t}: x={} want {want_x}",
            r.palm.x
        );
        assert_eq!(r.curls, OPEN);
        // palm forward; fingers up, leaning by the roll (at most 20 degrees)
        assert!(angle_deg(palm_normal(r.orientation), DVec3::NEG_Z) < 1e-6);
        assert!(angle_deg(finger_dir(r.orientation), DVec3::Y) <= 20.0 + 1e-6);
        let side = r.palm.x > 0.20;
        if prev.is_some_and(|p| p != side) {
            crossings += 1;
        }
        prev = Some(side);
        min_x = min_x.min(r.palm.x);
        max_x = max_x.max(r.palm.x);
        // the left hand keeps resting meanwhile
        assert!(near(
            p.sample(t).hands[0].palm,
            DVec3::new(-0.22, 0.95, -0.05),
            1e-9
        ));
        t += 0.001;
    }
    // 2.4 s at 2 Hz: 4.8 periods, 9 or 10 sign changes
    assert!((9..=10).contains(&crossings), "{crossings}");
    assert!(
        (max_x - 0.32).abs() < 1e-4 && (min_x - 0.08).abs() < 1e-4,
        "{min_x} {max_x}"
    );
    // and it is back at rest once the wave is over
    assert!(near(
        p.sample(4.5).hands[1].palm,
        DVec3::new(0.22, 0.95, -0.05),
        1e-9
    ));
}

#[test]
fn fist_sweep_moves_like_the_wave_with_a_closed_fist() {
    let wave = plan("rest:1,wave:3,rest:1");
    let fist = plan("rest:1,fist-sweep:3,rest:1");
    for k in 0..500 {
        let t = k as f64 * 0.01;
        let (w, f) = (wave.sample(t).hands[1], fist.sample(t).hands[1]);
        assert!(
            near(w.palm, f.palm, 1e-12) && w.orientation.angle_between(f.orientation) < 1e-6,
            "t={t}"
        );
    }
    assert_eq!(fist.sample(2.0).hands[1].curls, FIST);
    assert_eq!(fist.sample(0.5).hands[1].curls, RELAXED);
}

#[test]
fn left_hand_wave_mirrors_the_right() {
    let r = plan("wave:2").sample(1.0).hands[1];
    let l = plan("wave-left:2").sample(1.0).hands[0];
    assert!(
        (l.palm.x + 0.40 - r.palm.x).abs() < 1e-9,
        "{} {}",
        l.palm.x,
        r.palm.x
    );
    assert!((l.palm.y - r.palm.y).abs() < 1e-9);
}

#[test]
fn swipes_sweep_045_m_with_the_palm_towards_the_motion() {
    let p = plan("rest:4,swipe-left:0.6,rest:4,swipe-right:0.6,rest:4");
    let a = p.sample(4.0).hands[1];
    let b = p.sample(4.6 - 1e-9).hands[1];
    assert!(
        near(a.palm, DVec3::new(0.445, 1.35, -0.30), 1e-6),
        "{:?}",
        a.palm
    );
    assert!(
        near(b.palm, DVec3::new(-0.005, 1.35, -0.30), 1e-6),
        "{:?}",
        b.palm
    );
    assert!(
        angle_deg(
            palm_normal(p.sample(4.3).hands[1].orientation),
            DVec3::NEG_X
        ) < 1e-6
    );
    let c = p.sample(8.6).hands[1];
    assert!(
        near(c.palm, DVec3::new(-0.005, 1.35, -0.30), 1e-6),
        "{:?}",
        c.palm
    );
    assert!(angle_deg(palm_normal(p.sample(8.9).hands[1].orientation), DVec3::X) < 1e-6);
    // the peak of the min-jerk sweep: 1.875 x 0.45 / 0.6 = 1.41 m/s
    let v = p.sample(4.3).hands[1].linear_velocity.length();
    assert!((v - 1.406).abs() < 0.01, "{v}");
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
}

#[test]
fn short_rests_between_sweeps_warn() {
    let p = plan("swipe-left:0.6,rest:1,swipe-left:0.6");
    assert!(!p.warnings().is_empty());
}

#[test]
fn lost_turns_tracking_off() {
    let p = plan("rest:1,lost:1,rest:1");
    assert!(p.sample(0.5).hands.iter().all(|h| h.tracked));
    assert!(p.sample(1.5).hands.iter().all(|h| !h.tracked));
    let pkt = p.packet(1.5);
    assert!(!pkt.left.flags.hand_tracking_active && pkt.left.flags.active);
}

#[test]
fn motion_is_continuous_everywhere() {
    let p = plan("rest:1,wave:2,rest:1,fist-sweep:2,swipe-left:0.6,rest:3,wave-left:1,lost:1");
    let mut prev = p.sample(0.0);
    let mut t = 0.0;
    while t < p.total() + 0.5 {
        t += 0.001;
        let s = p.sample(t);
        for i in 0..2 {
            // 3.6 m/s peak (the wave's raise) is 3.6 mm per ms
            let dp = s.hands[i].palm.distance(prev.hands[i].palm);
            let dq = s.hands[i]
                .orientation
                .angle_between(prev.hands[i].orientation)
                .to_degrees();
            assert!(
                dp < 0.006 && dq < 3.0,
                "jump at t={t:.3} hand {i}: {dp} m {dq} deg"
            );
        }
        prev = s;
    }
}

#[test]
fn yaw_turns_everything_about_the_head() {
    let p = VisitorPlan::parse("rest:1,wave:2", 90.0).unwrap();
    let r = p.sample(0.5).hands[1];
    // at yaw 90 the wearer faces -X and their right is -Z
    assert!(
        near(r.palm, DVec3::new(-0.05, 0.95, -0.22), 1e-9),
        "{:?}",
        r.palm
    );
    let w = p.sample(1.0 + WAVE_RAISE_S).hands[1];
    assert!(angle_deg(palm_normal(w.orientation), DVec3::NEG_X) < 1e-6);
    let fwd = p.sample(0.0).head * DVec3::NEG_Z;
    assert!(near(fwd, DVec3::NEG_X, 1e-9));
}

#[test]
fn packet_carries_the_wrist_pose_curls_and_head() {
    let p = plan("rest:1,fist-sweep:2");
    let s = p.sample(1.5);
    let pkt = p.packet(1.5);
    let w = s.hands[1].wrist.as_vec3().to_array();
    assert_eq!(pkt.right.pose.position, w);
    assert_eq!(pkt.right.curls, [1.0; 5]);
    assert_eq!(pkt.head.position, [0.0, 1.6, 0.0]);
    assert!(pkt.right.flags.active && pkt.right.flags.hand_tracking_active);
    let v = s.hands[1].linear_velocity.as_vec3().to_array();
    assert_eq!(pkt.right.linear_velocity, v);
}

#[test]
fn after_the_script_the_final_state_holds_still() {
    let p = plan("wave:1,rest:3");
    let a = p.sample(10.0);
    assert_eq!(a.segment, 1);
    assert!(near(a.hands[1].palm, DVec3::new(0.22, 0.95, -0.05), 1e-9));
    assert_eq!(a.hands[1].linear_velocity, DVec3::ZERO);
}

#[test]
fn velocity_matches_the_trajectory() {
    let p = plan("wave:3");
    let t = 1.0;
    let dt = 1e-4;
    let fd = (p.sample(t + dt).hands[1].wrist - p.sample(t - dt).hands[1].wrist) / (2.0 * dt);
    assert!(near(fd, p.sample(t).hands[1].linear_velocity, 1e-3));
    // at the centre crossing the lateral speed is 2 pi f A = 1.51 m/s
    let t0 = WAVE_RAISE_S + 0.5; // sin crosses zero every 0.25 s
    // (the wrist, 6.4 cm below the palm, is slowed by the roll: about 0.28 m/s less)
    let v = p.sample(t0).hands[1].linear_velocity;
    assert!((v.x.abs() - (1.508 - 0.283)).abs() < 0.02, "{v:?}");
}

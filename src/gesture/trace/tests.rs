use super::*;
use crate::gesture::hand::Handedness;
use crate::gesture::synth::{HandModel, OPEN};

fn frame(t: f64) -> TrackingFrame {
    let m = HandModel {
        side: Handedness::Left,
        scale: 1.0,
    };
    TrackingFrame {
        t,
        head: Pose {
            position: Vec3::new(0.1, 1.6, -0.2),
            orientation: Quat::from_rotation_y(0.3),
        },
        left: Some(m.pose(Vec3::new(-0.2, 1.3, -0.4), Vec3::Y, Vec3::NEG_Z, OPEN)),
        right: None,
    }
}

fn written(frames: &[TrackingFrame]) -> String {
    let mut w = TraceWriter::new(Vec::new()).unwrap();
    for f in frames {
        w.write_frame(f).unwrap();
    }
    String::from_utf8(w.finish().unwrap()).unwrap()
}

fn read_all(text: &str) -> Result<Vec<TrackingFrame>, TraceError> {
    TraceReader::new(text.as_bytes())?.collect()
}

fn problem(text: &str) -> TraceError {
    read_all(text).expect_err("the trace should be rejected")
}

#[test]
fn round_trip_keeps_values_to_the_formats_precision() {
    let frames = [frame(12.5), frame(12.51111)];
    let back = read_all(&written(&frames)).unwrap();
    assert_eq!(back.len(), 2);
    for (a, b) in frames.iter().zip(&back) {
        assert!((a.t - b.t).abs() < 1e-5);
        assert!(a.head.position.abs_diff_eq(b.head.position, 1e-4));
        assert!(b.right.is_none());
        let (ja, jb) = (a.left.unwrap().joints, b.left.unwrap().joints);
        for (x, y) in ja.iter().zip(&jb) {
            assert!(x.position.abs_diff_eq(y.position, 1e-4));
            assert!(x.orientation.dot(y.orientation).abs() > 0.9999);
            assert!((x.radius - y.radius).abs() < 1e-4);
        }
    }
}

#[test]
fn writer_rejects_non_finite_values() {
    let mut f = frame(1.0);
    f.head.position.x = f32::NAN;
    let mut w = TraceWriter::new(Vec::new()).unwrap();
    let e = w.write_frame(&f).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(w.finish().unwrap(), format!("{HEADER}\n").into_bytes());
}

#[test]
fn empty_input_and_missing_header() {
    let e = problem("");
    assert!(matches!(e.problem, TraceProblem::Empty), "{e}");
    let body = written(&[frame(1.0)]);
    let without_header = body.split_once('\n').unwrap().1;
    let e = problem(without_header);
    assert_eq!(e.line, 1);
    assert!(matches!(e.problem, TraceProblem::Header(_)), "{e}");
    let e = problem("{\"format\":\"other\",\"version\":1}\n");
    assert!(e.to_string().contains("\"other\""), "{e}");
}

#[test]
fn bad_json_names_its_line() {
    let mut text = written(&[frame(1.0), frame(2.0)]);
    text.push_str("{\"t\": 3.0, \"head\": oops}\n");
    let e = problem(&text);
    assert_eq!(e.line, 4);
    assert!(matches!(e.problem, TraceProblem::Json { .. }), "{e}");
    assert!(e.to_string().starts_with("line 4: bad frame"), "{e}");
}

#[test]
fn wrong_joint_count() {
    let text = written(&[frame(1.0)]);
    // Drop the last joint of the left hand.
    let cut = text.rfind(",[").unwrap();
    let end = text[cut..].find(']').unwrap() + cut + 1;
    let broken = format!("{}{}", &text[..cut], &text[end..]);
    let e = problem(&broken);
    assert_eq!(e.line, 2);
    assert!(
        e.to_string()
            .contains("invalid length 25, expected 26 joints"),
        "{e}"
    );
    let extra = text.replacen("{\"joints\":[[", "{\"joints\":[[0,0,0,0,0,0,1,0],[", 1);
    let e = problem(&extra);
    assert!(
        e.to_string()
            .contains("invalid length 27, expected 26 joints"),
        "{e}"
    );
    assert!(!e.to_string().contains("line 1 column"), "{e}");
}

#[test]
fn time_must_increase() {
    let e = problem(&written(&[frame(1.0), frame(2.0), frame(2.0)]));
    assert_eq!(e.line, 4);
    assert!(
        matches!(e.problem, TraceProblem::TimeNotIncreasing { .. }),
        "{e}"
    );
}

#[test]
fn nan_and_huge_numbers_are_rejected() {
    let text = written(&[frame(1.0)]);
    let nan = text.replacen("[0.1000,1.6000", "[NaN,1.6000", 1);
    assert!(matches!(problem(&nan).problem, TraceProblem::Json { .. }));
    let huge = text.replacen("[0.1000,1.6000", "[1e39,1.6000", 1);
    let e = problem(&huge);
    assert!(matches!(e.problem, TraceProblem::NotFinite { .. }), "{e}");
    assert!(e.to_string().contains("head"), "{e}");
}

#[test]
fn a_zero_quaternion_is_no_orientation() {
    let f = frame(1.0);
    let q = f.head.orientation.to_array();
    let text = written(&[f]);
    let shown = format!("\"q\":[{:.4},{:.4},{:.4},{:.4}]", 0.0, q[1], 0.0, q[3]);
    assert!(text.contains(&shown), "{text}");
    let broken = text.replace(&shown, "\"q\":[0,0,0,0]");
    assert!(matches!(
        problem(&broken).problem,
        TraceProblem::NotUnit { .. }
    ));
}

#[test]
fn truncated_last_line() {
    let text = written(&[frame(1.0), frame(2.0)]);
    let cut = &text[..text.len() - 40];
    let e = problem(cut);
    assert_eq!(e.line, 3);
    assert!(matches!(e.problem, TraceProblem::Truncated { .. }), "{e}");
    // A complete last line without its newline is fine.
    assert_eq!(read_all(text.trim_end()).unwrap().len(), 2);
}

#[test]
fn overlong_line_is_refused_without_reading_it_all() {
    let mut text = format!("{HEADER}\n");
    text.push_str(&" ".repeat(MAX_LINE * 3));
    let e = problem(&text);
    assert!(matches!(e.problem, TraceProblem::TooLong { .. }), "{e}");
}

#[test]
fn blank_line_and_unknown_field() {
    let text = written(&[frame(1.0)]) + "\n";
    assert!(matches!(problem(&text).problem, TraceProblem::Blank));
    let text = written(&[frame(1.0)]).replacen("\"left\":", "\"lfet\":", 1);
    assert!(problem(&text).to_string().contains("lfet"));
}

#[test]
fn fixed_decimals_match_the_formatter() {
    for x in [
        0.0, 1.6, -0.00004, -0.00006, 0.99996, -12.34565, 123456.5, 1e-9, -3.0,
    ] {
        let mut out = Vec::new();
        write_fixed(&mut out, x, 4).unwrap();
        let want = format!("{x:.4}");
        let want = if want == "-0.0000" {
            "0.0000".to_owned()
        } else {
            want
        };
        assert_eq!(String::from_utf8(out).unwrap(), want, "{x}");
    }
    let mut out = Vec::new();
    write_fixed(&mut out, 616.058294, 5).unwrap();
    assert_eq!(out, b"616.05829");
}

#[test]
fn the_line_limit_comes_from_the_limits() {
    let text = written(&[frame(1.0)]);
    let tight = TraceLimits {
        max_line_bytes: 1000,
    };
    let e = TraceReader::with_limits(text.as_bytes(), &tight)
        .and_then(|r| r.collect::<Result<Vec<_>, _>>())
        .unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.to_string().contains("longer than 1000 bytes"), "{e}");
    let frames = TraceReader::with_limits(text.as_bytes(), &TraceLimits::default())
        .and_then(|r| r.collect::<Result<Vec<_>, _>>())
        .unwrap();
    assert_eq!(frames.len(), 1);
}

//! `roomwave gestures` from the outside: events as JSON Lines, standard input, and clear
//! errors (file, line, problem; exit code 1) for malformed traces and configs.

use roomwave::gesture::GestureEvent;
use roomwave::gesture::score::{LabelFile, score_trace};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn roomwave() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roomwave"));
    c.env("ROOMWAVE_LOG", "warn");
    c
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("gesture_cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

fn synth(dir: &Path, kind: &str, seed: u64) -> PathBuf {
    let out = dir.join(format!("{kind}.jsonl"));
    let o = roomwave()
        .args([
            "gestures",
            "synth",
            "--kind",
            kind,
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run roomwave");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn events(o: &Output) -> Vec<GestureEvent> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn failure(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "exit code; stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn synthetic_trace_events_match_their_labels_from_file_and_stdin() {
    let dir = scratch("match");
    for (kind, seed) in [("wave", 1), ("swipe-left", 2), ("mixed", 4)] {
        let trace = synth(&dir, kind, seed);
        let labels: LabelFile = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{kind}.labels.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(labels.trace, format!("{kind}.jsonl"));
        assert!(!labels.events.is_empty());
        let from_file = roomwave()
            .args(["gestures", "--trace"])
            .arg(&trace)
            .output()
            .unwrap();
        let found = events(&from_file);
        let score = score_trace(&labels.events, &found);
        assert!(
            score.missed.is_empty() && score.false_positives.is_empty(),
            "{kind}: {score:?}"
        );
        // Each line is exactly the documented object.
        let first = String::from_utf8(from_file.stdout.clone()).unwrap();
        let line = first.lines().next().unwrap();
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.len(), 4, "{line}");
        for k in ["t", "hand", "gesture", "direction"] {
            assert!(v.get(k).is_some(), "{line} lacks {k}");
        }

        let mut child = roomwave()
            .args(["gestures", "--trace", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let bytes = std::fs::read(&trace).unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        let from_stdin = child.wait_with_output().unwrap();
        assert_eq!(events(&from_stdin), found);
    }
}

#[test]
fn a_negative_trace_prints_nothing() {
    let dir = scratch("negative");
    let trace = synth(&dir, "fist-sweep", 3);
    let o = roomwave()
        .args(["gestures", "--trace"])
        .arg(&trace)
        .output()
        .unwrap();
    assert_eq!(events(&o), vec![]);
}

/// The trace with line `n` (1-based) replaced.
fn with_line(trace: &Path, n: usize, text: &str, out: &Path) {
    let body = std::fs::read_to_string(trace).unwrap();
    let mut lines: Vec<&str> = body.lines().collect();
    lines[n - 1] = text;
    std::fs::write(out, lines.join("\n") + "\n").unwrap();
}

#[test]
fn malformed_traces_name_file_line_and_problem() {
    let dir = scratch("malformed");
    let trace = synth(&dir, "rest", 1);
    let body = std::fs::read_to_string(&trace).unwrap();
    let third = body.lines().nth(2).unwrap().to_owned();
    let second = body.lines().nth(1).unwrap().to_owned();

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "bad_json.jsonl",
            third[..third.len() / 2].to_owned() + "}",
            "line 3: bad frame",
        ),
        (
            "joints.jsonl",
            third.replacen("{\"joints\":[[", "{\"joints\":[[0,0,0,0,0,0,1,0.01],[", 1),
            "expected 26 joints",
        ),
        ("time.jsonl", second.clone(), "line 3: time"),
        (
            "nan.jsonl",
            third.replacen("\"p\":[", "\"p\":[NaN,", 1),
            "line 3: bad frame",
        ),
    ];
    for (name, line3, expect) in cases {
        let path = dir.join(name);
        with_line(&trace, 3, &line3, &path);
        let o = roomwave()
            .args(["gestures", "--trace"])
            .arg(&path)
            .output()
            .unwrap();
        let err = failure(&o);
        assert!(err.contains(name), "{name}: {err}");
        assert!(err.contains(expect), "{name}: expected {expect:?} in {err}");
        assert!(!err.contains("panicked"), "{err}");
    }

    // Cut off in the middle of the last line.
    let cut = dir.join("cut.jsonl");
    std::fs::write(&cut, &body[..body.len() - 100]).unwrap();
    let err = failure(
        &roomwave()
            .args(["gestures", "--trace"])
            .arg(&cut)
            .output()
            .unwrap(),
    );
    assert!(err.contains("truncated last line"), "{err}");

    // No header.
    let headless = dir.join("headless.jsonl");
    std::fs::write(&headless, body.split_once('\n').unwrap().1).unwrap();
    let err = failure(
        &roomwave()
            .args(["gestures", "--trace"])
            .arg(&headless)
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("headless.jsonl: line 1: missing or wrong header"),
        "{err}"
    );

    let missing = dir.join("missing.jsonl");
    let err = failure(
        &roomwave()
            .args(["gestures", "--trace"])
            .arg(&missing)
            .output()
            .unwrap(),
    );
    assert!(err.contains("missing.jsonl"), "{err}");
}

#[test]
fn config_section_is_read_and_checked() {
    let dir = scratch("config");
    let trace = synth(&dir, "wave", 1);
    let run = |cfg: &str| {
        let path = dir.join("roomwave.toml");
        std::fs::write(&path, cfg).unwrap();
        roomwave()
            .args(["gestures", "--trace"])
            .arg(&trace)
            .arg("--config")
            .arg(&path)
            .output()
            .unwrap()
    };
    // Other sections are left to their owners; a valid section is used.
    assert_eq!(
        events(&run("[room]\nsize = 3\n[gesture]\ncooldown = 1.0\n")).len(),
        1
    );
    // An impossible finger ratio makes no hand open, so nothing is detected.
    assert_eq!(
        events(&run("[gesture]\nfinger_extended_ratio = 2.0\n")).len(),
        0
    );
    let err = failure(&run("[gesture]\nswipe_confirm = -1.0\n"));
    assert!(
        err.contains("roomwave.toml") && err.contains("swipe_confirm"),
        "{err}"
    );
    let err = failure(&run("[gesture]\nswipe_confrim = 0.1\n"));
    assert!(err.contains("swipe_confrim"), "{err}");
    let err = failure(&run("[gesture]\ncooldown = \"soon\"\n"));
    assert!(
        err.contains("roomwave.toml") && err.contains("cooldown"),
        "{err}"
    );
}

//! End to end: `roomwave run` in a real OpenXR runtime (Monado, in the project's
//! own simulator), with hands fed through Monado's remote driver.
//!
//! Needs root (chroot and namespaces) and the simulator's root filesystem, which
//! `cargo xtask test` prepares; without them these tests fail, they never skip.

use serde_json::Value;
use std::process::Command;
use std::sync::Mutex;

/// One Monado at a time: on a 2-core machine parallel sessions slow each
/// other's start-up enough to shift the scripted hand against the session.
static SIMULATOR: Mutex<()> = Mutex::new(());

mod sim_support;

use sim_support::{out_dir, run_in_sim};

const BIN: &str = env!("CARGO_BIN_EXE_roomwave");

/// Rest long enough for a debug build with validation on to reach FOCUSED
/// before the hand moves (FOCUSED came 0.1 s after start in a debug build, measured).
const SETTLE: &str = "rest:4";

/// Runs `roomwave run` in the simulator and returns its report.
fn session(name: &str, sim_args: &[&str], run_args: &[&str]) -> Value {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    run_in_sim(&out_dir(name), sim_args, run_args).0
}

fn states(report: &Value) -> Vec<&str> {
    report["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect()
}

fn option_indices(report: &Value) -> Vec<Option<u64>> {
    report["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["index"].as_u64())
        .collect()
}

fn assert_clean(report: &Value) {
    let states = states(report);
    assert!(states.contains(&"FOCUSED"), "never FOCUSED: {states:?}");
    assert_eq!(
        states.last(),
        Some(&"EXITING"),
        "did not end through EXITING: {states:?}"
    );
    assert_eq!(report["ended_cleanly"], true, "{report:#}");
    assert_eq!(
        report["validation_messages"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
    let frames = report["frames_submitted"].as_u64().unwrap();
    assert!(frames >= 100, "only {frames} frames submitted");
    assert!(
        report["frames_rendered"].as_u64().unwrap() > 0,
        "{report:#}"
    );
    assert_eq!(report["hand_tracking"], true, "{report:#}");
}

#[test]
fn a_wave_decorates_the_bare_room_once() {
    let feed = format!("{SETTLE},wave:3,rest:8");
    let report = session(
        "wave",
        &["--driver", "remote", "--feed", &feed],
        &["--max-seconds", "16"],
    );
    assert_clean(&report);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report:#}");
    assert_eq!(option_indices(&report), vec![None, Some(0)], "{report:#}");
    assert_eq!(report["options"][1]["cause"], "gesture");
    let gestures = report["gestures"].as_array().unwrap();
    assert!(
        gestures
            .iter()
            .any(|g| g["gesture"] == "wave" && g["hand"] == "right"),
        "{report:#}"
    );
}

#[test]
fn a_fist_moving_the_same_way_changes_nothing() {
    let feed = format!("{SETTLE},fist-sweep:3,rest:8");
    let report = session(
        "fist",
        &["--driver", "remote", "--feed", &feed],
        &["--max-seconds", "16"],
    );
    assert_clean(&report);
    assert_eq!(option_indices(&report), vec![None], "{report:#}");
    assert_eq!(
        report["gestures"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
}

#[test]
fn the_session_survives_losing_the_runtime() {
    let report = session(
        "restart",
        &[
            "--driver",
            "remote",
            "--feed",
            "rest:40",
            "--restart-monado-at",
            "8",
        ],
        &["--max-seconds", "24", "--reconnect-seconds", "1", "--kiosk"],
    );
    let states = states(&report);
    let focused = states.iter().filter(|s| **s == "FOCUSED").count();
    assert!(
        focused >= 2,
        "did not come back to FOCUSED after the restart: {states:?}"
    );
    assert_eq!(
        report["runtime_losses"], 1,
        "one restart is one loss: {report:#}"
    );
    assert_clean(&report);
}

#[test]
fn no_runtime_is_a_clear_error_with_exit_code_2() {
    let output = Command::new(BIN)
        .args(["run", "--max-seconds", "5"])
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("roomwave sim run"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_recorded_wave_replays_as_a_wave() {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = out_dir("record");
    let trace = dir.join("hands.jsonl");
    // A 3 s wave: on a loaded lavapipe host the first frame of the newly shown
    // option can stall past `wave_end_quiet` while the hand goes on waving; the
    // detector must count that as one wave.
    let feed = format!("{SETTLE},wave:3,rest:3");
    let output = Command::new(BIN)
        .args(["sim", "run", "--timeout", "120", "--feed", &feed, "--"])
        .args([BIN, "record", "--max-seconds", "11", "--out"])
        .arg(&trace)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A loaded 2-core host runs this debug build with validation at 8 frames a
    // second (94 lines measured): enough frames to hold the wave, which the
    // replay below must find.
    let frames = std::fs::read_to_string(&trace).unwrap().lines().count();
    assert!(frames > 40, "only {frames} lines recorded");
    let replay = Command::new(BIN)
        .args(["gestures", "--trace"])
        .arg(&trace)
        .output()
        .unwrap();
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let events: Vec<Value> = String::from_utf8_lossy(&replay.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["gesture"], "wave");
    assert_eq!(events[0]["hand"], "right");
}

#[test]
fn no_vulkan_driver_is_a_clear_error_with_exit_code_2() {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let nothing = "/nonexistent/vulkan_icd.json";
    let output = Command::new(BIN)
        .args(["sim", "run", "--timeout", "60", "--", "/usr/bin/env"])
        .arg(format!("VK_DRIVER_FILES={nothing}"))
        .arg(format!("VK_ICD_FILENAMES={nothing}"))
        .args([BIN, "run", "--max-seconds", "5"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("mesa-vulkan-drivers"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn kiosk_visit_ends_when_the_headset_is_put_down_and_the_room_resets() {
    let dir = out_dir("kiosk-config");
    let config = dir.join("station.toml");
    std::fs::write(
        &config,
        "[kiosk]\nidle_timeout_s = 5.0\nauto_advance_s = 0\n",
    )
    .unwrap();
    let visits = dir.join("visits.jsonl");
    // The visitor waves, looks around for longer than the idle timeout (the
    // visit goes on: their head moves), then takes the headset off and puts
    // it down: it lies still, and the visit ends the idle timeout later.
    let feed = format!("{SETTLE},wave:3,look:8,off:14");
    let config_arg = config.to_str().unwrap();
    let visits_arg = visits.to_str().unwrap();
    let report = session(
        "kiosk",
        &["--driver", "remote", "--feed", &feed],
        &[
            "--max-seconds",
            "27",
            "--kiosk",
            "--config",
            config_arg,
            "--visit-log",
            visits_arg,
        ],
    );
    assert_clean(&report);
    let causes: Vec<_> = report["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, ["start", "gesture", "kiosk reset"], "{report:#}");
    assert_eq!(option_indices(&report), vec![None, Some(0), None]);
    let log = std::fs::read_to_string(&visits).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert_eq!(lines[0]["reason"], "idle");
    assert_eq!(lines[0]["options"][0], report["options"][1]["name"]);
    // From the wave's detection (about 1 s into it) through 2 s of waving,
    // 8 s of looking around, 1.5 s putting the headset down, about 2 s for
    // the smoothed head speed to settle below "still" (measured 18.3 s in all),
    // and 5 s idle.
    let length = lines[0]["end"].as_f64().unwrap() - lines[0]["start"].as_f64().unwrap();
    assert!((15.0..21.0).contains(&length), "visit lasted {length} s");
    // The in-scene hint shows in the attract state, hides while the visitor
    // decorates, and comes back with the reset, on the same frames.
    let hints = hint_events(&report);
    let kinds: Vec<_> = hints.iter().map(|&(h, shown, _)| (h, shown)).collect();
    assert_eq!(
        kinds,
        [("attract", true), ("attract", false), ("attract", true)],
        "{report:#}"
    );
    let option_t = |i: usize| report["options"][i]["t"].as_f64().unwrap();
    assert!(hints[0].2 < option_t(1), "{report:#}");
    assert!((hints[1].2 - option_t(1)).abs() < 0.1, "{report:#}");
    assert!((hints[2].2 - option_t(2)).abs() < 0.1, "{report:#}");
}

/// `(hint, shown, t)` of every hint change in the report.
fn hint_events(report: &Value) -> Vec<(&str, bool, f64)> {
    report["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["hint"].as_str().unwrap(),
                h["shown"].as_bool().unwrap(),
                h["t"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn kiosk_time_limit_shows_a_countdown_then_resets() {
    let dir = out_dir("kiosk-limit-config");
    let config = dir.join("station.toml");
    std::fs::write(
        &config,
        "[kiosk]\nidle_timeout_s = 60.0\nvisit_limit_s = 10.0\ncountdown_s = 4.0\nauto_advance_s = 0\n",
    )
    .unwrap();
    let feed = format!("{SETTLE},wave:3,rest:14");
    let report = session(
        "kiosk-limit",
        &["--driver", "remote", "--feed", &feed],
        &[
            "--max-seconds",
            "20",
            "--kiosk",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_clean(&report);
    let causes: Vec<_> = report["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, ["start", "gesture", "kiosk reset"], "{report:#}");
    let started = report["options"][1]["t"].as_f64().unwrap();
    let reset = report["options"][2]["t"].as_f64().unwrap();
    assert!((reset - started - 10.0).abs() < 0.2, "{report:#}");
    let hints = hint_events(&report);
    let kinds: Vec<_> = hints.iter().map(|&(h, shown, _)| (h, shown)).collect();
    assert_eq!(
        kinds,
        [
            ("attract", true),
            ("attract", false),
            ("countdown", true),
            ("countdown", false),
            ("attract", true)
        ],
        "{report:#}"
    );
    // The countdown shows for the last 4 s of the 10 s visit.
    assert!((hints[2].2 - (started + 6.0)).abs() < 0.2, "{report:#}");
    assert!((hints[3].2 - reset).abs() < 0.1, "{report:#}");
}

#[test]
fn swipes_each_way_and_a_wave_move_next_previous_next() {
    // Rests of 4 s between sweeps of one hand: the visitor lowers the hand
    // slowly enough in between that the return is not a swipe.
    let feed = format!("{SETTLE},swipe-left:0.5,rest:4,swipe-right:0.5,rest:4,wave:3,rest:3");
    let report = session(
        "swipes",
        &["--driver", "remote", "--feed", &feed],
        &["--max-seconds", "22"],
    );
    assert_clean(&report);
    // "previous" from the first option wraps to the last
    let last = roomwave::catalog::default_catalog(&Default::default())
        .expect("the default catalog is valid")
        .options
        .len() as u64
        - 1;
    assert_eq!(
        option_indices(&report),
        vec![None, Some(0), Some(last), Some(0)],
        "{report:#}"
    );
    let causes: Vec<_> = report["gestures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["gesture"].as_str().unwrap(), g["direction"].as_str()))
        .collect();
    assert_eq!(
        causes,
        [
            ("swipe", Some("left")),
            ("swipe", Some("right")),
            ("wave", None)
        ],
        "{report:#}"
    );
}

//! `roomwave bench` on the simulator's lavapipe (Mesa 25, real single-pass
//! multiview): GPU timestamps come back for every scenario, and the process
//! survives them (that lavapipe writes a timestamp recorded after a multiview
//! pass into one query too many; see `render::timing`).
//!
//! Needs root and the simulator's root filesystem (`cargo xtask test` prepares
//! both); without them this fails, it never skips.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_roomwave");

#[test]
fn bench_times_every_scenario_on_the_simulators_lavapipe() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("bench.json");
    let output = Command::new(BIN)
        .current_dir(&dir)
        .args(["sim", "run", "--timeout", "200", "--", BIN, "bench"])
        .args(["--sizes", "64x64", "--frames", "8", "--json"])
        .arg(&json)
        .output()
        .expect("starting roomwave sim run");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}\n{log}", output.status);
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("no JSON ({e})\n{log}"));
    let bench: Value = serde_json::from_str(&text).unwrap();
    // The simulator's lavapipe draws both eyes in one multiview pass, the
    // case that wrote past the queries.
    assert_eq!(bench["per_eye_passes"], false, "{bench:#}");
    let text = bench.to_string();
    assert!(text.contains("steady") && text.contains("switch"), "{text}");
    // Every scenario's GPU time is a positive number of milliseconds.
    let mut gpu = Vec::new();
    collect_gpu_medians(&bench, &mut gpu);
    assert!(gpu.len() >= 2, "no GPU times in {text}");
    assert!(
        gpu.iter().all(|ms| ms.is_finite() && *ms > 0.0),
        "{gpu:?} in {text}"
    );
}

/// Every `gpu_ms.median` in the document.
fn collect_gpu_medians(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Object(map) => {
            for (key, value) in map {
                if key.starts_with("gpu")
                    && let Some(m) = value.get("median").and_then(Value::as_f64)
                {
                    out.push(m);
                }
                collect_gpu_medians(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_gpu_medians(i, out)),
        _ => {}
    }
}

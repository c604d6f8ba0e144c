//! What the tests that run roomwave in the simulator share: a fresh output
//! folder, and how much of a picture is the room's walls.

// Each test binary compiles this module and uses its own part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// An empty folder `name` under the test target's scratch folder (emptied if
/// a previous run left it), inside the working folder the simulator binds.
pub fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Share of pixels that are the room's light, nearly grey walls and ceiling
/// (every channel above 120 of 255, channels within 40 of each other).
pub fn wall_share(img: &image::RgbaImage) -> f64 {
    let walls = img
        .pixels()
        .filter(|p| {
            let (lo, hi) = (p[0].min(p[1]).min(p[2]), p[0].max(p[1]).max(p[2]));
            lo > 120 && hi - lo < 40
        })
        .count();
    walls as f64 / (img.width() * img.height()) as f64
}

/// Runs `roomwave run --validation --report DIR/report.json RUN_ARGS` in the
/// simulator (started with `sim_args`); keeps its output in
/// `DIR/log.txt`, asserts it succeeded and returns its report and that log.
pub fn run_in_sim<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    sim_args: &[&str],
    run_args: &[S],
) -> (serde_json::Value, String) {
    let bin = env!("CARGO_BIN_EXE_roomwave");
    let report = dir.join("report.json");
    let output = std::process::Command::new(bin)
        .args(["sim", "run", "--timeout", "120"])
        .args(sim_args)
        .args(["--", bin, "run", "--validation", "--report"])
        .arg(&report)
        .args(run_args)
        .output()
        .expect("starting roomwave sim run");
    let log = format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.join("log.txt"), &log).unwrap();
    assert!(output.status.success(), "{log}");
    let text =
        std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("no report ({e})\n{log}"));
    let report = serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad report ({e})\n{text}"));
    (report, log)
}

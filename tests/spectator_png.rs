//! `roomwave run --spectator-png DIR --every S` in a real OpenXR session
//! (Monado in the project's simulator): PNG files appear while the session
//! runs, decode, and show the lit room, with the validation layer silent.
//!
//! Needs root and the simulator's root filesystem (`cargo xtask test` prepares
//! both); without them this fails, it never skips.

use std::ffi::OsStr;
use std::path::PathBuf;

mod sim_support;

use sim_support::{out_dir, run_in_sim, wall_share};

#[test]
fn spectator_png_files_show_the_room() {
    let dir = out_dir("spectator-png");
    let pictures = dir.join("pictures");
    let (report, log) = run_in_sim(
        &dir,
        &[],
        &[
            OsStr::new("--spectator-png"),
            pictures.as_os_str(),
            OsStr::new("--every"),
            OsStr::new("1"),
            OsStr::new("--max-seconds"),
            OsStr::new("7"),
        ],
    );
    assert_eq!(report["ended_cleanly"], true, "{report:#}");
    assert_eq!(
        report["validation_messages"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pictures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // One a second over about 6 s of rendering; none half-written.
    assert!(files.len() >= 3, "{names:?}\n{log}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("spectator-") && n.ends_with(".png")),
        "{names:?}"
    );
    assert_eq!(names[0], "spectator-000001.png");
    for file in &files {
        let img = image::open(file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .to_rgba8();
        assert!(img.width() >= 64 && img.width() <= 960, "{}", img.width());
        let walls = wall_share(&img);
        assert!(
            walls > 0.3,
            "{}: only {walls:.2} of it is wall",
            file.display()
        );
        let black = img
            .pixels()
            .filter(|p| p[0].max(p[1]).max(p[2]) < 8)
            .count();
        assert!(
            (black as f64) < 0.02 * (img.width() * img.height()) as f64,
            "{}: {black} black pixels",
            file.display()
        );
    }
}

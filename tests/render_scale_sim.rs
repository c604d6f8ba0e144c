//! Dynamic resolution in a real OpenXR session (Monado in the project's
//! simulator) with the scale forced to half (`[render] min_scale = max_scale
//! = 0.5`): each eye draws a quarter of its swapchain image, the layer's
//! `imageRect` names that rectangle, the spectator pictures (which copy only
//! the drawn rectangle) still show the whole lit room, the report says the
//! scale, and the validation layer stays silent.
//!
//! Needs root and the simulator's root filesystem (`cargo xtask test` prepares
//! both); without them this fails, it never skips.

use std::ffi::OsStr;
use std::path::PathBuf;

mod sim_support;

use sim_support::{out_dir, run_in_sim, wall_share};

#[test]
fn half_scale_session_still_shows_the_whole_room() {
    let dir = out_dir("render-scale-half");
    let pictures = dir.join("pictures");
    let config = dir.join("half.toml");
    std::fs::write(&config, "[render]\nmin_scale = 0.5\nmax_scale = 0.5\n").unwrap();
    let (report, log) = run_in_sim(
        &dir,
        &[],
        &[
            OsStr::new("--config"),
            config.as_os_str(),
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
    let scale = &report["render_scale"];
    assert!(scale["frames"].as_u64().unwrap() > 10, "{scale}");
    assert_eq!(scale["min"].as_f64(), Some(0.5), "{scale}");
    assert_eq!(scale["median"].as_f64(), Some(0.5), "{scale}");
    assert_eq!(scale["max"].as_f64(), Some(0.5), "{scale}");
    assert_eq!(scale["changes"].as_u64(), Some(0), "{scale}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pictures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}\n{log}");
    for file in &files {
        let img = image::open(file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .to_rgba8();
        // The picture keeps its size: the drawn quarter is scaled up into it.
        assert!(img.width() >= 64 && img.width() <= 960, "{}", img.width());
        let walls = wall_share(&img);
        assert!(
            walls > 0.3,
            "{}: only {walls:.2} of it is wall",
            file.display()
        );
        // Copying the whole image would bring in the three quarters no frame
        // draws into (black or garbage); every row and column of the picture
        // must be the room.
        let (w, h) = (img.width(), img.height());
        for (x, y) in [(w - 2, h / 2), (w / 2, h - 2), (w - 2, h - 2), (1, 1)] {
            let p = img.get_pixel(x, y);
            assert!(
                p[0].max(p[1]).max(p[2]) >= 8,
                "{}: pixel ({x}, {y}) is black {p:?}",
                file.display()
            );
        }
        let black = img
            .pixels()
            .filter(|p| p[0].max(p[1]).max(p[2]) < 8)
            .count();
        assert!(
            (black as f64) < 0.02 * (w * h) as f64,
            "{}: {black} black pixels",
            file.display()
        );
    }
}

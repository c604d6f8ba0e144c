//! What the tests that run roomwave in the simulator share: a fresh output
//! folder, and how much of a picture is the room's walls.

// Each test binary compiles this module and uses its own part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// An empty folder `name` under the test target's scratch folder (emptied if
/// a previous run left it), bound into the simulator with the working folder.
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

//! The real output path, rodio and cpal and ALSA, with no sound card: ALSA's
//! configuration is swapped (`ALSA_CONFIG_PATH`, in a child process so no test
//! changes its own environment) for a default device that writes what is
//! played to a file, or for a card that does not exist.

use roomwave::app::{Cue, SessionReport, Shown};
use roomwave::audio::dsp::{rms, tone_level};
use roomwave::audio::{Audio, AudioConfig, cue_sound};
use roomwave::catalog::{CatalogLimits, default_catalog};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The embedded catalog, parsed (its models are not needed for sound).
fn catalog() -> roomwave::catalog::Catalog {
    default_catalog(&CatalogLimits::default()).expect("the default catalog is valid")
}

/// The capture's format, forced by the `plug` in front of the `file` plugin.
const RATE: usize = 48_000;

/// The default device: converted to 48 kHz stereo float, written raw to `capture`,
/// then thrown away by the `null` device.
fn capture_config(capture: &Path) -> String {
    format!(
        r#"pcm.!default {{
    type plug
    slave {{
        pcm "roomwave_capture"
        format FLOAT_LE
        rate {RATE}
        channels 2
    }}
}}
pcm.roomwave_capture {{
    type file
    slave.pcm "null"
    file "{}"
    format "raw"
}}
"#,
        capture.display()
    )
}

/// A default device on a card that is not there.
const MISSING_CARD: &str = "pcm.!default { type hw card 7 }\nctl.!default { type hw card 7 }\n";

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("roomwave-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Runs the ignored test `name` of this file in a child with ALSA configured by `config`.
fn child(name: &str, config: &str, dir: &Path, capture: &Path) -> Output {
    let conf = dir.join("asound.conf");
    std::fs::write(&conf, config).expect("writing the ALSA configuration");
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([
            "--ignored",
            "--exact",
            name,
            "--nocapture",
            "--test-threads=1",
        ])
        .env(
            "ALSA_CONFIG_PATH",
            format!("/usr/share/alsa/alsa.conf:{}", conf.display()),
        )
        .env("ROOMWAVE_TEST_CAPTURE", capture)
        .output()
        .expect("running the child test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "child {name} failed:\n{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    // ALSA's own complaints start "ALSA lib" (alsa-lib's default error handler).
    assert!(!stderr.contains("ALSA"), "noise on stderr:\n{stderr}");
    out
}

#[test]
fn a_cue_is_played_through_the_default_alsa_device() {
    let dir = scratch_dir("alsa-capture");
    let capture = dir.join("capture.raw");
    let _ = std::fs::remove_file(&capture);
    let out = child(
        "child_plays_a_chime",
        &capture_config(&capture),
        &dir,
        &capture,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("OUTPUT default device"), "{stdout}");

    let bytes = std::fs::read(&capture).expect("ALSA's file plugin wrote the capture");
    let left: Vec<f32> = bytes
        .chunks_exact(8)
        .map(|f| f32::from_le_bytes([f[0], f[1], f[2], f[3]]))
        .collect();
    assert!(
        left.len() > RATE,
        "at least a second captured: {} samples",
        left.len()
    );
    assert!(left.iter().all(|x| x.is_finite() && x.abs() <= 1.0));
    assert!(rms(&left) > 1e-4, "the room tone is playing");

    // The device is not clocked, so the chime lands wherever the mixer had got to:
    // find its first note, then its second note 110 ms later.
    let [first, second] = cue_sound::RECOGNISED_NOTES;
    let win = RATE / 50;
    let level =
        |at: usize, f: f32| tone_level(&left[at..(at + win).min(left.len())], f, RATE as f32);
    let windows: Vec<usize> = (0..left.len().saturating_sub(win))
        .step_by(win / 4)
        .collect();
    let peak = windows
        .iter()
        .copied()
        .max_by(|&a, &b| level(a, first).total_cmp(&level(b, first)))
        .expect("windows");
    let mut others: Vec<f32> = windows.iter().map(|&w| level(w, first)).collect();
    others.sort_by(f32::total_cmp);
    let median = others[others.len() / 2];
    assert!(
        level(peak, first) > 20.0 * median,
        "chime {} vs median {median}",
        level(peak, first)
    );
    let later = peak + RATE * 11 / 100 + win / 2;
    assert!(
        later + win < left.len()
            && level(later, second) > 5.0 * level(peak.saturating_sub(2 * win), second),
        "the chime's second note follows its first"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_card_sound_is_off_with_no_noise() {
    let dir = scratch_dir("alsa-missing");
    let out = child(
        "child_finds_no_card",
        MISSING_CARD,
        &dir,
        &dir.join("none.raw"),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("OUTPUT none: default output"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn capture_path() -> PathBuf {
    match std::env::var_os("ROOMWAVE_TEST_CAPTURE") {
        Some(p) => PathBuf::from(p),
        None => panic!(
            "this test runs as a child of another test in this file (it needs ALSA_CONFIG_PATH)"
        ),
    }
}

#[test]
#[ignore = "run by a_cue_is_played_through_the_default_alsa_device, with ALSA_CONFIG_PATH set"]
fn child_plays_a_chime() {
    let capture = capture_path();
    let mut audio = Audio::open(&AudioConfig::default(), false, catalog().soundscape());
    println!("OUTPUT {}", audio.output());
    assert!(audio.is_playing());
    let mut report = SessionReport::default();
    audio.frame(
        &[Cue::GestureRecognised],
        Shown::Bare,
        None,
        0.0,
        &mut report,
    );
    // The null device takes samples as fast as they are mixed: stop after 3 s of sound.
    let enough = (3 * RATE * 2 * 4) as u64;
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::metadata(&capture).map_or(0, |m| m.len()) < enough {
        assert!(Instant::now() < deadline, "ALSA took no samples");
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(audio);
}

#[test]
#[ignore = "run by without_a_card_sound_is_off_with_no_noise, with ALSA_CONFIG_PATH set"]
fn child_finds_no_card() {
    let _ = capture_path();
    let mut audio = Audio::open(&AudioConfig::default(), false, catalog().soundscape());
    println!("OUTPUT {}", audio.output());
    assert!(!audio.is_playing());
    // Without a device the sounds are still directed and reported.
    let mut report = SessionReport::default();
    audio.frame(&[Cue::Refused], Shown::Bare, None, 1.0, &mut report);
    audio.finish(2.0, &mut report);
    assert_eq!(report.sounds.len(), 4, "{:?}", report.sounds);
    assert!(report.audio_output.is_some_and(|o| o.starts_with("none:")));
}

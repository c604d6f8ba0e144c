//! `roomwave run --config FILE`: a bad `[audio]` section is refused before any
//! runtime is looked for, with the file, the key and the rule in the message.

use std::process::Command;

fn run_with_config(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("roomwave-audio-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writing the config");
    let out = Command::new(env!("CARGO_BIN_EXE_roomwave"))
        .args(["run", "--max-seconds", "1", "--config"])
        .arg(&path)
        .env("XR_RUNTIME_JSON", dir.join("no-runtime.json"))
        .output()
        .expect("running roomwave");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_out_of_range_volume_is_named() {
    let (code, stderr) = run_with_config("loud.toml", "[audio]\ncue_volume = 3.0\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("loud.toml") && stderr.contains("[audio]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cue_volume") && stderr.contains("0 to 1"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let (code, stderr) = run_with_config("typo.toml", "[audio]\nenabled = true\nvolume = 0.5\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("typo.toml") && stderr.contains("volume"),
        "{stderr}"
    );
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn an_unknown_section_is_refused() {
    let (code, stderr) = run_with_config("section.toml", "[sound]\nenabled = false\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("section.toml") && stderr.contains("sound"),
        "{stderr}"
    );
}

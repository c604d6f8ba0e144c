//! `roomwave sim` from the outside: the real rootfs, the real Monado, real clients.
//! Needs root and the simulator rootfs (`cargo xtask test` prepares both).

use std::path::PathBuf;
use std::process::{Command, Output};

const ROOMWAVE: &str = env!("CARGO_BIN_EXE_roomwave");

fn setup() {
    let out = Command::new(ROOMWAVE)
        .args(["sim", "setup"])
        .output()
        .expect("run roomwave sim setup");
    assert!(
        out.status.success(),
        "roomwave sim setup failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sim(args: &[&str]) -> Output {
    setup();
    Command::new(ROOMWAVE)
        .arg("sim")
        .arg("run")
        .args(args)
        .output()
        .expect("run roomwave sim run")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn remote_driver_with_a_feed_serves_a_real_openxr_client() {
    let o = sim(&[
        "--driver",
        "remote",
        "--feed",
        "rest:1,wave:2,rest:1",
        "--",
        "openxr_runtime_list",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("Monado: Remote HMD"), "{t}");
    assert!(
        t.contains("Hand-Tracking Right: 'Remote Right Controller'"),
        "{t}"
    );
    assert!(t.contains("XR_EXT_hand_tracking"), "{t}");
    // the feeder connected and streamed
    assert!(t.contains("hand feeder:") && t.contains("packets"), "{t}");
}

#[test]
fn the_command_sees_the_runtime_env_and_its_status_comes_back() {
    let o = sim(&[
        "--driver",
        "remote",
        "--",
        "/bin/sh",
        "-c",
        "test \"$XRSIM\" = 1 && test \"$XRSIM_DRIVER\" = remote && test \"$XRSIM_REMOTE_PORT\" = 4242 \
         && test -S \"$XDG_RUNTIME_DIR/monado_comp_ipc\" && test -f \"$XR_RUNTIME_JSON\" && exit 7",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
}

#[test]
fn host_directories_are_shared_with_the_command() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sim-smoke-bind");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("written-inside.txt");
    let o = sim(&[
        "--bind",
        dir.to_str().unwrap(),
        "--",
        "/bin/sh",
        "-c",
        &format!("cat /etc/debian_version > {}", file.display()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // trixie inside, whatever the host runs
    let v = std::fs::read_to_string(&file).unwrap();
    assert!(v.starts_with("13"), "{v}");
}

#[test]
fn a_restarted_monado_serves_clients_again() {
    let o = sim(&[
        "--restart-monado-at",
        "0.5",
        "--",
        "/bin/sh",
        "-c",
        "sleep 4 && openxr_runtime_list",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("killing monado-service"), "{t}");
    assert!(t.contains("starting a fresh monado-service"), "{t}");
    assert!(t.contains("Monado: Simulated HMD"), "{t}");
}

#[test]
fn time_limit_and_missing_command_have_their_own_statuses() {
    let o = sim(&["--timeout", "1", "--", "/bin/sleep", "30"]);
    assert_eq!(o.status.code(), Some(124), "{}", text(&o));
    let o = sim(&["--", "no-such-command-anywhere"]);
    assert_eq!(o.status.code(), Some(127), "{}", text(&o));
}

#[test]
fn a_bad_script_is_refused_before_anything_starts() {
    let o = sim(&["--feed", "rest:1,wave", "--", "/bin/true"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(125), "{t}");
    assert!(t.contains("segment 2 'wave' needs a duration"), "{t}");
    assert!(!t.contains("monado-service ready"), "{t}");
}

#[test]
fn sigterm_stops_the_command_and_the_simulator_in_order() {
    setup();
    let mut child = Command::new(ROOMWAVE)
        .args(["sim", "run", "--feed", "rest:60", "--", "/bin/sleep", "60"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Wait until the command runs, then ask the whole run to stop.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    while std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0 {
        seen.push_str(&line);
        if line.contains("running in the simulator") {
            break;
        }
        line.clear();
    }
    assert!(seen.contains("running in the simulator"), "{seen}");
    let kill = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    std::io::Read::read_to_string(&mut stderr, &mut seen).unwrap();
    assert!(seen.contains("signal 15 received"), "{seen}");
    assert!(seen.contains("command exited with status 143"), "{seen}");
    assert!(seen.contains("hand feeder:"), "{seen}");
    assert_eq!(child.wait().unwrap().code(), Some(143), "{seen}");
}

#[test]
fn the_feed_command_streams_to_the_remote_driver() {
    let o = sim(&[
        "--driver",
        "remote",
        "--",
        ROOMWAVE,
        "sim",
        "feed",
        "--script",
        "rest:0.5,wave:1",
        "--yaw",
        "-45",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("roomwave sim feed:") && t.contains("over 1 connection(s)"),
        "{t}"
    );
}

#[test]
fn overlapping_runs_from_one_directory_keep_their_binds() {
    setup();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sim-smoke-overlap");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("written-late.txt");
    // The long run writes after the short one has finished and cleaned up.
    let long = Command::new(ROOMWAVE)
        .args(["sim", "run", "--", "/bin/sh", "-c"])
        .arg(format!("sleep 3; echo late > {}", file.display()))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let short = sim(&["--", "/bin/sh", "-c", "sleep 0.5"]);
    assert_eq!(short.status.code(), Some(0), "{}", text(&short));
    let long = long.wait_with_output().unwrap();
    assert_eq!(long.status.code(), Some(0), "{}", text(&long));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "late\n");
}

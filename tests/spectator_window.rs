//! `roomwave run --spectator` in a real OpenXR session (Monado in the
//! project's simulator) with an X server (Xvfb): the window appears, its
//! contents (grabbed from the X server, as a viewer would see them) show the
//! room; closing it turns only the spectator off; with no display the session
//! runs on. The validation layer stays silent throughout.
//!
//! Needs root, the simulator's root filesystem and Xvfb (`cargo xtask test`
//! installs and prepares them); without them these tests fail, never skip.

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, ImageFormat, Window,
};
use x11rb::rust_connection::RustConnection;

mod sim_support;

use sim_support::{out_dir, wall_share};

const BIN: &str = env!("CARGO_BIN_EXE_roomwave");
const TITLE: &str = "roomwave spectator";

/// One simulator at a time (see tests/monado_session.rs).
static SIMULATOR: Mutex<()> = Mutex::new(());

/// An Xvfb server on a free display number, stopped when dropped.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let n = (60..120)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "800x600x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (Debian package xvfb; cargo xtask test installs it)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let start = Instant::now();
        while !Path::new(&socket).exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "Xvfb did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Xvfb { child, display }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `roomwave run --spectator` in the simulator, with `DISPLAY` set
/// inside when `display` is given (the simulator clears it), and the
/// simulator's own `sim_args`.
fn start_session(dir: &Path, display: Option<&str>, seconds: u32, sim_args: &[&str]) -> Child {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args([
            "sim",
            "run",
            "--timeout",
            "120",
            "--bind",
            "/tmp/.X11-unix",
            "--bind",
        ])
        .arg(bin_dir)
        .args(sim_args)
        .args(["--", "env"]);
    if let Some(d) = display {
        cmd.arg(format!("DISPLAY={d}"));
    }
    cmd.args([
        BIN,
        "run",
        "--validation",
        "--spectator",
        "--reconnect-seconds",
        "1",
    ])
    .arg("--report")
    .arg(dir.join("report.json"))
    .args(["--max-seconds", &seconds.to_string()])
    .stdout(std::fs::File::create(dir.join("stdout.txt")).unwrap())
    .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap());
    cmd.spawn().expect("starting roomwave sim run")
}

/// Waits for the session and returns its report and log.
fn finish(mut child: Child, dir: &Path) -> (Value, String) {
    let status = child.wait().unwrap();
    let log = std::fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default()
        + &std::fs::read_to_string(dir.join("stdout.txt")).unwrap_or_default();
    assert!(status.success(), "status {status:?}\n{log}");
    let text = std::fs::read_to_string(dir.join("report.json"))
        .unwrap_or_else(|e| panic!("no report ({e})\n{log}"));
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["ended_cleanly"], true, "{report:#}\n{log}");
    assert_eq!(
        report["validation_messages"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
    (report, log)
}

fn find_window(conn: &RustConnection, root: Window) -> Option<Window> {
    let tree = conn.query_tree(root).ok()?.reply().ok()?;
    tree.children.into_iter().find(|&w| {
        conn.get_property(false, w, AtomEnum::WM_NAME, AtomEnum::STRING, 0, 64)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|p| p.value == TITLE.as_bytes())
    })
}

/// The window's pixels as the X server holds them (depth 24, 32 bits per
/// pixel, least significant byte first: B, G, R, unused).
fn grab(conn: &RustConnection, window: Window) -> image::RgbaImage {
    let geometry = conn.get_geometry(window).unwrap().reply().unwrap();
    let (w, h) = (geometry.width, geometry.height);
    let reply = conn
        .get_image(ImageFormat::Z_PIXMAP, window, 0, 0, w, h, !0)
        .unwrap()
        .reply()
        .unwrap();
    assert_eq!(reply.depth, 24);
    assert_eq!(reply.data.len(), w as usize * h as usize * 4);
    let rgba = reply
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0], 255])
        .collect();
    image::RgbaImage::from_raw(w as u32, h as u32, rgba).unwrap()
}

#[test]
fn spectator_window_shows_the_room_and_closing_it_only_turns_it_off() {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = out_dir("spectator-window");
    let x = Xvfb::start();
    // The runtime restarts after the close: the new session must not reopen
    // a window the viewer closed.
    let restart = ["--restart-monado-at", "16"];
    let session = start_session(&dir, Some(&x.display), 26, &restart);
    let (conn, screen) = RustConnection::connect(Some(&x.display)).expect("connect to Xvfb");
    let root = conn.setup().roots[screen].root;
    let start = Instant::now();
    let window = loop {
        if let Some(w) = find_window(&conn, root) {
            break w;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no spectator window appeared"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // Frames keep coming into the window; let a few land.
    std::thread::sleep(Duration::from_secs(2));
    let picture = grab(&conn, window);
    picture.save(dir.join("window.png")).unwrap();
    let walls = wall_share(&picture);
    assert!(
        walls > 0.3,
        "only {walls:.2} of the window is wall (see window.png)"
    );
    let black = picture
        .pixels()
        .filter(|p| p[0].max(p[1]).max(p[2]) < 8)
        .count();
    let area = (picture.width() * picture.height()) as f64;
    assert!(
        (black as f64) < 0.02 * area,
        "{black} black pixels (see window.png)"
    );
    // A viewer closes the window (what a window manager sends for the close button).
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let close = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, close)
        .unwrap();
    conn.flush().unwrap();
    let closed_at = Instant::now();
    while find_window(&conn, root).is_some() {
        assert!(
            closed_at.elapsed() < Duration::from_secs(10),
            "the window did not close"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut session = session;
    while session.try_wait().unwrap().is_none() {
        assert!(
            find_window(&conn, root).is_none(),
            "the closed window came back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (report, log) = finish(session, &dir);
    assert!(
        log.contains("spectator window off: the window was closed"),
        "{log}"
    );
    assert_eq!(report["runtime_losses"], 1, "{report:#}");
    // The session ran its full length after the close: the headset kept going.
    let states: Vec<_> = report["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.last(), Some(&"EXITING"), "{states:?}");
    assert!(
        report["frames_submitted"].as_u64().unwrap() >= 100,
        "{report:#}"
    );
    // The restart is the only error.
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .all(|e| e.as_str().unwrap().starts_with("lost the OpenXR runtime")),
        "{report:#}"
    );
}

#[test]
fn no_display_is_one_log_line_and_the_session_goes_on() {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = out_dir("spectator-no-display");
    let session = start_session(&dir, None, 8, &[]);
    let (report, log) = finish(session, &dir);
    let lines: Vec<_> = log
        .lines()
        .filter(|l| l.contains("spectator window off"))
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains("no X display"), "{}", lines[0]);
    assert!(
        report["frames_submitted"].as_u64().unwrap() >= 50,
        "{report:#}"
    );
}

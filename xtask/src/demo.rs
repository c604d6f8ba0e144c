//! `cargo xtask demo`: a full XR session in the simulator, then pictures of what it showed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::summary::DemoSummary;
use crate::system::{self, HOST_LAVAPIPE_ICD};

/// A visitor who waves three times, resting before, between and after: the first rest
/// covers the app's start-up (instance, session, FOCUSED: about 1 s measured on lavapipe).
pub const VISITOR: &str = "rest:3,wave:2,rest:3,wave:2,rest:3,wave:2,rest:3";
/// Session length: the script (18 s) plus a margin for start-up.
const MAX_SECONDS: u32 = 20;
/// Bound on the whole simulator run, far above the session's own length.
const TIMEOUT_S: u32 = 180;

/// Set-up, session, pictures, summary.
pub fn main() -> anyhow::Result<()> {
    system::ensure_packages()?;
    let roomwave = system::build_roomwave(true)?;
    system::sim_setup(&roomwave)?;
    let out = system::workspace_root().join("out/demo");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clear {}", out.display()))?;
    }
    std::fs::create_dir_all(&out).with_context(|| format!("create {}", out.display()))?;
    let report_path = out.join("report.json");
    let session = run_session(&roomwave, &out, &report_path);
    let text = std::fs::read_to_string(&report_path)
        .with_context(|| format!("the session wrote no report at {}", report_path.display()));
    let summary = match (text, &session) {
        (Ok(t), _) => DemoSummary::from_json(&t)
            .with_context(|| format!("read the report {}", report_path.display()))?,
        (Err(e), Err(s)) => return Err(e.context(format!("{s:#}"))),
        (Err(e), Ok(())) => return Err(e),
    };
    let pictures = render_options(&roomwave, &out, &summary)?;
    println!("{}", summary.render(&report_path, &pictures));
    session
}

fn run_session(roomwave: &Path, out: &Path, report: &Path) -> anyhow::Result<()> {
    let mut c = Command::new(roomwave);
    c.current_dir(system::workspace_root())
        .args([
            "sim",
            "run",
            "--feed",
            VISITOR,
            "--timeout",
            &TIMEOUT_S.to_string(),
            "--log",
        ])
        .arg(out.join("monado.log"))
        .arg("--")
        .arg(roomwave)
        .args(["run", "--validation", "--report"])
        .arg(report)
        .args(["--max-seconds", &MAX_SECONDS.to_string()]);
    system::run(
        &format!("roomwave run in the simulator, visitor {VISITOR}"),
        &mut c,
    )
}

/// Renders every option the session showed, in order; returns the picture folders.
fn render_options(
    roomwave: &Path,
    out: &Path,
    summary: &DemoSummary,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut done: Vec<Option<u64>> = Vec::new();
    let mut dirs = Vec::new();
    for shown in &summary.options {
        if done.contains(&shown.index) {
            continue;
        }
        done.push(shown.index);
        let mut c = Command::new(roomwave);
        c.current_dir(system::workspace_root())
            .arg("render")
            .env("VK_DRIVER_FILES", HOST_LAVAPIPE_ICD)
            .env("VK_ICD_FILENAMES", HOST_LAVAPIPE_ICD);
        let dir = match shown.index {
            // The report counts options from 0, `roomwave render --option` from 1.
            Some(i) => {
                let n = i + 1;
                c.args(["--option", &n.to_string()]);
                out.join(format!("option-{n}"))
            }
            None => {
                c.arg("--bare");
                out.join("bare")
            }
        };
        c.arg("--out").arg(&dir);
        system::run(
            &format!("render {} ({})", dir.display(), shown.name),
            &mut c,
        )?;
        dirs.push(dir);
    }
    Ok(dirs)
}

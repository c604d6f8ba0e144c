//! The host: Debian packages and the commands xtask runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

/// Host packages the build and the tests need (Debian 12 names).
/// `debian-archive-keyring` carries the trixie key debootstrap checks the simulator with.
pub const HOST_PACKAGES: &[&str] = &[
    "pkg-config",
    "libasound2-dev",
    "libvulkan1",
    "mesa-vulkan-drivers",
    "vulkan-validationlayers",
    "libopenxr-loader1",
    "debootstrap",
    "debian-archive-keyring",
    // An X server for the spectator window's test (tests/spectator_window.rs).
    "xvfb",
];

/// Lavapipe's ICD on a Debian 12 host.
pub const HOST_LAVAPIPE_ICD: &str = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where cargo puts its output.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Runs `cmd` with inherited output; fails naming the step when it fails.
pub fn run(step: &str, cmd: &mut Command) -> anyhow::Result<()> {
    println!("xtask: {step}");
    let t = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("{step}: cannot start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{step} failed ({status})");
    }
    println!("xtask: {step}: done in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f", "${Status}", package])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.ends_with(b"install ok installed"))
}

/// Installs the missing [`HOST_PACKAGES`] with apt-get (update only when something is missing).
pub fn ensure_packages() -> anyhow::Result<()> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "xtask: no dpkg on this machine; install by hand: {}",
            HOST_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = HOST_PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        println!("xtask: host packages present ({})", HOST_PACKAGES.len());
        return Ok(());
    }
    // xtask has no libc dependency, so ask `id`.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !root {
        bail!(
            "missing Debian packages: {}; run as root, or install them: apt-get install {}",
            missing.join(" "),
            missing.join(" ")
        );
    }
    let noninteractive = |c: &mut Command| {
        c.env("DEBIAN_FRONTEND", "noninteractive");
    };
    let mut update = Command::new("apt-get");
    update.args(["update", "-q"]);
    noninteractive(&mut update);
    run("apt-get update", &mut update)?;
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing);
    noninteractive(&mut install);
    run(
        &format!("apt-get install {}", missing.join(" ")),
        &mut install,
    )
}

/// A `cargo` command run in the workspace root.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = Command::new(cargo);
    c.args(args).current_dir(workspace_root());
    c
}

/// Builds the roomwave binary (`release` or not) and returns its path.
pub fn build_roomwave(release: bool) -> anyhow::Result<PathBuf> {
    let mut args = vec!["build", "--bin", "roomwave"];
    if release {
        args.push("--release");
    }
    run(&format!("cargo {}", args.join(" ")), &mut cargo(&args))?;
    Ok(target_dir()
        .join(if release { "release" } else { "debug" })
        .join("roomwave"))
}

/// `roomwave sim setup`: builds or reuses the simulator rootfs.
pub fn sim_setup(roomwave: &Path) -> anyhow::Result<()> {
    let mut c = Command::new(roomwave);
    c.args(["sim", "setup"]).current_dir(workspace_root());
    run("roomwave sim setup", &mut c)
}

//! `cargo xtask test` and `cargo xtask demo`: the project's two set-up commands.

mod assets;
mod demo;
mod fuzz;
mod soak;
mod summary;
mod system;

use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <test|demo|assets|soak|fuzz>
  test   install missing system packages, build, prepare the simulator, then
         cargo fmt --check, cargo clippy -D warnings (workspace and fuzz/)
         and cargo test --workspace
  demo   the same set-up, then a full XR session in the simulator with a visitor
         who waves 3 times; writes out/demo/ (report + one picture per option)
  assets [--out DIR]  write the default furniture models (default assets/models)
  soak [--minutes N] [--out DIR]
         bench: a kiosk run of N minutes (default 30) in the simulator with
         scripted visitors; resident memory, frames, missed frames; out/soak/
  fuzz   [--seconds N] [TARGET...]: every cargo-fuzz target for N s (default 60)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo::main(),
        Some("assets") => assets::main(&args[1..]),
        Some("soak") => soak::main(&args[1..]),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("xtask: unknown command {other:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Everything the tests need, then every check; all checks run even if one fails.
fn test() -> anyhow::Result<()> {
    system::ensure_packages()?;
    let roomwave = system::build_roomwave(false)?;
    system::sim_setup(&roomwave)?;
    let mut failed = Vec::new();
    let checks: [(&str, Command); 4] = [
        (
            "cargo fmt --check",
            system::cargo(&["fmt", "--all", "--check"]),
        ),
        (
            "cargo clippy --all-targets -- -D warnings",
            system::cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        // The fuzz crate is outside the workspace (cargo-fuzz builds it with
        // its own flags): without this its targets rot unseen as the API moves.
        (
            "cargo clippy on fuzz/ (-D warnings)",
            system::cargo(&[
                "clippy",
                "--manifest-path",
                "fuzz/Cargo.toml",
                "--target-dir",
                "target",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        ("cargo test --workspace --no-fail-fast", test_command()),
    ];
    for (name, mut cmd) in checks {
        if let Err(e) = system::run(name, &mut cmd) {
            eprintln!("xtask: {e:#}");
            failed.push(name);
        }
    }
    if failed.is_empty() {
        println!("xtask: all checks passed");
        Ok(())
    } else {
        anyhow::bail!("failed: {}", failed.join("; "))
    }
}

/// `cargo test --workspace` with lavapipe as the host's only Vulkan driver (tests
/// render offscreen on the host; XR tests run inside the simulator, which sets its own).
fn test_command() -> Command {
    // --no-fail-fast: every test binary runs and prints its summary, even after a failure.
    let mut c = system::cargo(&["test", "--workspace", "--no-fail-fast"]);
    c.env("VK_DRIVER_FILES", system::HOST_LAVAPIPE_ICD)
        .env("VK_ICD_FILENAMES", system::HOST_LAVAPIPE_ICD);
    c
}

//! `roomwave check PATH`: load a model exactly as the renderer would and print a summary.

use roomwave::scene::gltf::check_model;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `roomwave check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The `.gltf` or `.glb` file to check.
    path: PathBuf,
}

/// Prints the summary and exits 0, or prints file, place and problem and exits 1.
pub fn main(args: CheckArgs) -> anyhow::Result<ExitCode> {
    match check_model(&args.path) {
        Ok(summary) => {
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("roomwave check: error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

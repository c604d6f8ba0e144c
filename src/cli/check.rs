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
    // The loader turns a dependency's panic into an error (printed below); the default
    // hook would also print the panic with a backtrace, as if the program had crashed.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "roomwave check: a dependency failed on this input ({info}); reported as an error"
        );
    }));
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

//! `roomwave gestures`.

use std::process::ExitCode;

/// Arguments of `roomwave gestures`.
#[derive(clap::Args)]
pub struct GesturesArgs {}

/// Runs the command.
pub fn main(_args: GesturesArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

//! `roomwave run`.

use std::process::ExitCode;

/// Arguments of `roomwave run`.
#[derive(clap::Args)]
pub struct RunArgs {}

/// Runs the command.
pub fn main(_args: RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

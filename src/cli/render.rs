//! `roomwave render`.

use std::process::ExitCode;

/// Arguments of `roomwave render`.
#[derive(clap::Args)]
pub struct RenderArgs {}

/// Runs the command.
pub fn main(_args: RenderArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

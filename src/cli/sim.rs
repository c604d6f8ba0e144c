//! `roomwave sim`.

use std::process::ExitCode;

/// Subcommands of `roomwave sim`.
#[derive(clap::Subcommand)]
pub enum SimCommand {
    /// Build (or reuse) the simulator's root filesystem.
    Setup,
}

/// Runs the command.
pub fn main(_cmd: SimCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

//! `roomwave record`: a live session that also writes head and hands to a trace file.

use super::run::{RunArgs, session};
use anyhow::Context;
use roomwave::gesture::trace::TraceWriter;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `roomwave record`.
#[derive(clap::Args)]
pub struct RecordArgs {
    /// The trace file to write (the format `roomwave gestures --trace` reads).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    session: RunArgs,
}

/// Runs the command.
pub fn main(args: RecordArgs) -> anyhow::Result<ExitCode> {
    let file =
        File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut writer = TraceWriter::new(BufWriter::new(file))
        .with_context(|| format!("writing {}", args.out.display()))?;
    let code = session(args.session, Some(&mut writer))?;
    writer
        .finish()
        .with_context(|| format!("finishing {}", args.out.display()))?;
    tracing::info!(trace = %args.out.display(), "recording written");
    Ok(code)
}

//! The `roomwave` command line.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Wave a hand in VR and an empty room is decorated.
#[derive(Parser)]
#[command(name = "roomwave", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a full OpenXR session on the active runtime.
    Run(cli::run::RunArgs),
    /// Render the room offscreen (both eyes, one multiview pass) to PNG files.
    Render(cli::render::RenderArgs),
    /// Detect gestures in a hand trace file and print them as JSON Lines.
    Gestures(cli::gestures::GesturesArgs),
    /// Run a session like `run` and write the head and hands of every focused frame to a trace.
    Record(cli::record::RecordArgs),
    /// Load a .gltf or .glb file exactly as the renderer would and print a summary
    Check(cli::check::CheckArgs),
    /// Measure frame times offscreen on the default catalog (table and JSON).
    Bench(cli::bench::BenchArgs),
    /// Prepare and run the Monado simulator (no headset, no GPU).
    #[command(subcommand)]
    Sim(cli::sim::SimCommand),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROOMWAVE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => cli::run::main(a),
        Command::Render(a) => cli::render::main(a),
        Command::Gestures(a) => cli::gestures::main(a),
        Command::Record(a) => cli::record::main(a),
        Command::Sim(a) => cli::sim::main(a),
        Command::Check(a) => cli::check::main(a),
        Command::Bench(a) => cli::bench::main(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("roomwave: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

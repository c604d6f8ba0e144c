//! `roomwave gestures`: detect gestures in a trace file and print them as JSON Lines, or
//! write a synthetic labelled trace (`roomwave gestures synth`).

use anyhow::{Context, bail};
use roomwave::gesture::synth::{Kind, generate};
use roomwave::gesture::trace::{TraceLimits, TraceReader, TraceWriter};
use roomwave::gesture::{GestureConfig, GestureDetector};
use roomwave::limits::Limits;
use serde::Deserialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `roomwave gestures`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GesturesArgs {
    /// Hand trace to read (`roomwave-hand-trace` JSON Lines); `-` reads standard input.
    #[arg(long, value_name = "FILE|-")]
    trace: Option<PathBuf>,
    /// TOML file whose `[gesture]` section overrides the detector's thresholds.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<GesturesCommand>,
}

/// Subcommands of `roomwave gestures`.
#[derive(clap::Subcommand)]
enum GesturesCommand {
    /// Write a synthetic trace and its labels (`FILE` and `FILE` with `.labels.json`).
    Synth(SynthArgs),
}

/// Arguments of `roomwave gestures synth`.
#[derive(clap::Args)]
struct SynthArgs {
    /// What the trace shows: wave, swipe-left, swipe-right, mixed, or a non-gesture (reach,
    /// point, fist-sweep, point-sweep, scratch, walk, drift, head-turn, body-turn, glitch,
    /// clap, adjust-headset, rest, raise-lower).
    #[arg(long, value_parser = parse_kind)]
    kind: Kind,
    /// Seed: the same kind and seed give the same trace.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Trace file to write (`NAME.jsonl`); the labels go to `NAME.labels.json` beside it.
    #[arg(long)]
    out: PathBuf,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
}

/// Writes a synthetic trace and its labels.
fn synth(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let file_name = args
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .context("--out needs a file name")?;
    let stem = file_name.strip_suffix(".jsonl").unwrap_or(file_name);
    let trace = generate(args.kind, args.seed, stem);
    let out = args.out.display();
    let file = File::create(&args.out).with_context(|| format!("cannot create {out}"))?;
    let mut w = TraceWriter::new(BufWriter::new(file)).with_context(|| format!("writing {out}"))?;
    for f in &trace.frames {
        w.write_frame(f).with_context(|| format!("writing {out}"))?;
    }
    w.finish().with_context(|| format!("writing {out}"))?;
    let labels_path = args.out.with_file_name(format!("{stem}.labels.json"));
    let labels = serde_json::to_string_pretty(&trace.labels)?;
    std::fs::write(&labels_path, labels + "\n")
        .with_context(|| format!("cannot write {}", labels_path.display()))?;
    tracing::info!(frames = trace.frames.len(), labels = %labels_path.display(), "synthetic trace written");
    Ok(ExitCode::SUCCESS)
}

/// A configuration file: only the `[gesture]` section is read here; other sections belong to
/// other parts of roomwave.
#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    gesture: GestureConfig,
    #[serde(default)]
    limits: Limits,
}

/// Runs the command.
pub fn main(args: GesturesArgs) -> anyhow::Result<ExitCode> {
    if let Some(GesturesCommand::Synth(s)) = args.command {
        return synth(s);
    }
    let Some(trace) = args.trace else {
        bail!("give a trace with --trace FILE (or --trace - for standard input)");
    };
    let (config, limits) = match &args.config {
        Some(path) => load_config(path)?,
        None => (GestureConfig::default(), Limits::default()),
    };
    let name = trace.display().to_string();
    let input: Box<dyn BufRead> = if trace == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(&trace).with_context(|| format!("cannot open trace {name}"))?;
        Box::new(BufReader::new(file))
    };
    detect(input, &name, &config, &limits.trace)?;
    Ok(ExitCode::SUCCESS)
}

/// Streams the trace through the detector, printing events as they are recognised.
fn detect(
    input: impl BufRead,
    name: &str,
    config: &GestureConfig,
    limits: &TraceLimits,
) -> anyhow::Result<()> {
    let mut reader =
        TraceReader::with_limits(input, limits).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let mut detector = GestureDetector::new(config);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut events = Vec::with_capacity(4);
    let mut frames = 0u64;
    loop {
        let frame = match reader.next_frame() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                out.flush()?;
                bail!("{name}: {e}");
            }
        };
        frames += 1;
        events.clear();
        detector.update(&frame, &mut events);
        for e in &events {
            serde_json::to_writer(&mut out, e)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    tracing::info!(trace = name, frames, "trace read");
    Ok(())
}

/// Reads the `[gesture]` and `[limits]` sections of a TOML file and checks their ranges.
fn load_config(path: &Path) -> anyhow::Result<(GestureConfig, Limits)> {
    let name = path.display();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read config {name}"))?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    file.gesture
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [gesture] {e}"))?;
    file.limits
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [limits] {e}"))?;
    Ok((file.gesture, file.limits))
}

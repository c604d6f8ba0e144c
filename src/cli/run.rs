//! `roomwave run`: a full OpenXR session on the active runtime.

use anyhow::Context;
use roomwave::app::{FrameTimeHistogram, RoomController, SessionReport};
use roomwave::audio::{Audio, AudioConfig};
use roomwave::gesture::GestureConfig;
use roomwave::gesture::trace::TraceWriter;
use roomwave::scene;
use roomwave::xr::{self, RunContext, RunOptions, XrError};
use serde::Deserialize;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Arguments of `roomwave run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Write a JSON report here when the session ends.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// End the session cleanly after this many seconds.
    #[arg(long, value_name = "N")]
    max_seconds: Option<f64>,
    /// Turn on the Khronos Vulkan validation layer (its messages go into the report).
    #[arg(long)]
    validation: bool,
    /// Seconds between attempts to find the runtime again after losing it.
    #[arg(long, value_name = "S", default_value_t = 3.0)]
    reconnect_seconds: f64,
    /// No sound at all (overrides `[audio] enabled`).
    #[arg(long)]
    mute: bool,
    /// A TOML configuration file: its `[gesture]` and `[audio]` sections are read.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// The sections of the configuration file `run` reads; anything else is an error.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunConfig {
    #[serde(default)]
    gesture: GestureConfig,
    #[serde(default)]
    audio: AudioConfig,
}

/// Reads and range-checks the configuration file.
fn load_config(path: &Path) -> anyhow::Result<RunConfig> {
    let name = path.display();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read config {name}"))?;
    let config: RunConfig = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    config
        .gesture
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [gesture] {e}"))?;
    config
        .audio
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [audio] {e}"))?;
    Ok(config)
}

/// Exit status for "something the user must install or start is missing".
const EXIT_MISSING: u8 = 2;

/// Runs the command.
pub fn main(args: RunArgs) -> anyhow::Result<ExitCode> {
    session(args, None)
}

/// A session on the active runtime, optionally recording head and hands.
pub fn session(
    args: RunArgs,
    recorder: Option<&mut TraceWriter<BufWriter<File>>>,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let max_duration = match args.max_seconds {
        Some(s) if !(s.is_finite() && s > 0.0) => {
            anyhow::bail!("--max-seconds must be a positive number, got {s}")
        }
        Some(s) => Some(Duration::from_secs_f64(s)),
        None => None,
    };
    if !(args.reconnect_seconds.is_finite() && args.reconnect_seconds > 0.0) {
        anyhow::bail!(
            "--reconnect-seconds must be a positive number, got {}",
            args.reconnect_seconds
        );
    }
    let config = match &args.config {
        Some(path) => load_config(path)?,
        None => RunConfig::default(),
    };
    let options = RunOptions {
        max_duration,
        validation: args.validation,
        reconnect_interval: Duration::from_secs_f64(args.reconnect_seconds),
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&interrupted))
            .context("installing a signal handler")?;
    }
    let room = scene::default_room();
    let options_list = scene::default_options();
    let mut scenes = vec![scene::build_scene(&room, None)];
    scenes.extend(
        options_list
            .iter()
            .map(|o| scene::build_scene(&room, Some(o))),
    );
    let names = options_list.iter().map(|o| o.name.clone()).collect();
    let mut controller = RoomController::new(names, &config.gesture);
    let mut audio = Audio::open(&config.audio, args.mute, room);
    let mut report = SessionReport::default();
    let mut frame_times = FrameTimeHistogram::default();
    controller.start(&mut report, started.elapsed().as_secs_f64());
    let mut ctx = RunContext {
        options: &options,
        room,
        scenes: &scenes,
        controller: &mut controller,
        report: &mut report,
        frame_times: &mut frame_times,
        started,
        interrupted: &interrupted,
        recorder,
        audio: Some(&mut audio),
    };
    let result = xr::run(&mut ctx);
    audio.finish(started.elapsed().as_secs_f64(), &mut report);
    report.frame_time_ms = frame_times.stats();
    if let Err(e) = &result {
        report.error(e.to_string());
    }
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report).context("serialising the report")?;
        std::fs::write(path, json)
            .with_context(|| format!("writing the report to {}", path.display()))?;
    }
    tracing::info!(
        frames = report.frames_submitted,
        median_ms = report.frame_time_ms.median,
        options_shown = report.options.len(),
        "session over"
    );
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e @ (XrError::NoLoader(_) | XrError::NoRuntime(_) | XrError::NoHeadset(_))) => {
            eprintln!("roomwave: {e}");
            Ok(ExitCode::from(EXIT_MISSING))
        }
        Err(XrError::Render(e)) if e.is_missing_driver() => {
            eprintln!("roomwave: {e}");
            Ok(ExitCode::from(EXIT_MISSING))
        }
        Err(e) => Err(e.into()),
    }
}

//! `roomwave run`: a full OpenXR session on the active runtime.

use super::config::{RunConfig, load_config};
use anyhow::Context;
use roomwave::app::{FrameTimeHistogram, RoomController, SessionReport};
use roomwave::app::{Station, VisitRecord};
use roomwave::audio::Audio;
use roomwave::catalog::{open_catalog, open_default_catalog};
use roomwave::gesture::trace::TraceWriter;
use roomwave::operator::OperatorLink;
use roomwave::render::{OptionScenes, SpectatorOptions};
use roomwave::xr::{self, RunContext, RunOptions, XrError};
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
    /// A TOML configuration file with `[gesture]`, `[audio]`, `[kiosk]` and `[limits]` sections.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Demo-station mode: attract state between visitors, visits end when the
    /// headset comes off or nobody moves, options advance by themselves.
    #[arg(long)]
    kiosk: bool,
    /// Append one JSON line per visitor to this file (with --kiosk).
    #[arg(long, value_name = "FILE")]
    visit_log: Option<PathBuf>,
    /// Serve the operator's endpoint on 127.0.0.1:PORT (0 picks a free port).
    #[arg(long, value_name = "PORT")]
    operator_port: Option<u16>,
    /// Mirror the wearer's left eye in a desktop window (X11; XWayland on
    /// Wayland). Closing it, or having no display, only turns it off.
    #[arg(long)]
    spectator: bool,
    /// Write the wearer's left eye as PNG files into DIR (see --every).
    #[arg(long, value_name = "DIR")]
    spectator_png: Option<PathBuf>,
    /// Seconds between spectator pictures (with --spectator-png).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 5.0,
        requires = "spectator_png"
    )]
    every: f64,
    /// The house and decoration options (default: the catalog built into roomwave).
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
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
    if !(args.every.is_finite() && args.every >= 0.05) {
        anyhow::bail!("--every must be at least 0.05 seconds, got {}", args.every);
    }
    let options = RunOptions {
        max_duration,
        validation: args.validation,
        reconnect_interval: Duration::from_secs_f64(args.reconnect_seconds),
        spectator: SpectatorOptions {
            window: args.spectator,
            png: args.spectator_png.clone().map(|dir| (dir, args.every)),
        },
        transition: config.transition.clone(),
        render_scale: config.render.clone(),
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&interrupted))
            .context("installing a signal handler")?;
    }
    let limits = config.limits.catalog_limits();
    let catalog = match args.catalog.as_deref() {
        Some(path) => open_catalog(path, &limits)?,
        None => open_default_catalog(&limits).context("the embedded catalog")?,
    };
    let resident_options = config.residency.resident_options;
    let catalog = Arc::new(catalog.with_cached_options(resident_options));
    let room = catalog.catalog.house.start_room().clone();
    let names = catalog.names();
    let option_count = names.len();
    let scenes = OptionScenes::of_catalog(&catalog, resident_options);
    let mut controller = RoomController::new(names, &config.gesture);
    let mut audio = Audio::open(&config.audio, args.mute, catalog.soundscape());
    let mut report = SessionReport::default();
    let mut frame_times = FrameTimeHistogram::default();
    controller.start(&mut report, started.elapsed().as_secs_f64());
    let mut station = args.kiosk.then(|| Station::new(config.kiosk.clone()));
    let mut visit_log = match &args.visit_log {
        Some(path) => Some(VisitLog::open(path)?),
        None => None,
    };
    let mut log_visit = |visit: &VisitRecord| {
        if let Some(log) = visit_log.as_mut() {
            log.append(visit);
        }
    };
    let operator = match args.operator_port {
        Some(port) => Some(OperatorLink::start(port, option_count)?),
        None => None,
    };
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
        station: station.as_mut(),
        visit_log: Some(&mut log_visit),
        operator: operator.as_ref(),
        user_present: None,
        spectator_closed: false,
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

/// The visit log: one JSON line per visit, appended and flushed at once, so a
/// crash loses at most the visit in progress.
struct VisitLog {
    file: File,
    path: PathBuf,
}

impl VisitLog {
    fn open(path: &Path) -> anyhow::Result<VisitLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the visit log {}", path.display()))?;
        Ok(VisitLog {
            file,
            path: path.to_owned(),
        })
    }

    fn append(&mut self, visit: &VisitRecord) {
        use std::io::Write;
        let line = match serde_json::to_string(visit) {
            Ok(l) => l + "\n",
            Err(e) => return tracing::error!("visit not logged: {e}"),
        };
        // One write of the whole line: O_APPEND keeps it in one piece.
        if let Err(e) = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
        {
            tracing::error!(path = %self.path.display(), "visit not logged: {e}");
        }
    }
}

//! The OpenXR shell: finds the runtime, runs sessions, feeds the app and the renderer.
//!
//! One module per OpenXR concept, in the manner of the `openxr` crate itself:
//! [`instance`], [`lifecycle`], [`spaces`], [`swapchain`], [`input`], and the
//! session with its frame loop.

mod error;
pub mod input;
pub mod instance;
pub mod lifecycle;
mod session;
pub mod spaces;
pub mod swapchain;
mod views;
mod vulkan;

pub use error::XrError;
pub use vulkan::XrVulkanFactory;

use crate::app::{
    FrameTimeHistogram, RenderScaleConfig, RoomController, SessionReport, Station,
    TransitionConfig, VisitRecord,
};
use crate::audio::Audio;
use crate::gesture::TrackingFrame;
use crate::gesture::trace::TraceWriter;
use crate::operator::OperatorLink;
use crate::render::{OptionScenes, SpectatorOptions};
use crate::scene::Room;
use std::fs::File;
use std::io::BufWriter;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How `roomwave run` behaves.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// End the session cleanly (xrRequestExitSession) after this long.
    pub max_duration: Option<Duration>,
    /// Turn on the Vulkan validation layer.
    pub validation: bool,
    /// After losing the runtime, how long to wait between attempts to find it again.
    pub reconnect_interval: Duration,
    /// The spectator outputs (window, PNG files).
    pub spectator: SpectatorOptions,
    /// The fade between options.
    pub transition: TransitionConfig,
    /// Dynamic resolution: the bounds of the share of each eye drawn.
    pub render_scale: RenderScaleConfig,
}

/// How a session on one instance ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// EXITING: the app's work is done.
    Exit,
    /// LOSS_PENDING or a lost instance: look for the runtime again.
    Lost,
}

/// Everything that outlives one instance: the app state, the report, the clock.
pub struct RunContext<'a> {
    /// Options.
    pub options: &'a RunOptions,
    /// The house's start room (centred in the play area).
    pub room: Room,
    /// The bare house and the options' scenes, built on request.
    pub scenes: &'a OptionScenes,
    /// Decoration state and gesture detection.
    pub controller: &'a mut RoomController,
    /// The report being written.
    pub report: &'a mut SessionReport,
    /// App CPU time per frame.
    pub frame_times: &'a mut FrameTimeHistogram,
    /// Program start.
    pub started: Instant,
    /// Set by a signal handler to end the session.
    pub interrupted: &'a AtomicBool,
    /// Where `roomwave record` writes every focused frame's head and hands.
    pub recorder: Option<&'a mut TraceWriter<BufWriter<File>>>,
    /// Sound; opened once per run, so it outlives runtime reconnects.
    pub audio: Option<&'a mut Audio>,
    /// Kiosk mode (`roomwave run --kiosk`).
    pub station: Option<&'a mut Station>,
    /// Receives every finished visit, to append it to the visit log.
    pub visit_log: Option<&'a mut dyn FnMut(&VisitRecord)>,
    /// The operator's endpoint.
    pub operator: Option<&'a OperatorLink>,
    /// What XR_EXT_user_presence last said; `None` where it is not offered.
    pub user_present: Option<bool>,
    /// The viewer closed the spectator window; sessions after a runtime
    /// loss leave it closed.
    pub spectator_closed: bool,
}

impl RunContext<'_> {
    /// Seconds since the program started.
    pub fn now(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Appends a frame to the recording, if any. A failed write ends the
    /// recording (logged and reported) but not the session.
    pub fn record(&mut self, frame: &TrackingFrame) {
        if let Some(writer) = self.recorder.as_deref_mut()
            && let Err(e) = writer.write_frame(frame)
        {
            let message = format!("recording stopped: {e}");
            tracing::error!("{message}");
            self.report.error(message);
            self.recorder = None;
        }
    }

    /// Whether the session should end now (time limit or signal).
    pub fn should_stop(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
            || self
                .options
                .max_duration
                .is_some_and(|d| self.started.elapsed() >= d)
    }
}

/// Runs until the session exits, reconnecting whenever the runtime goes away.
///
/// A missing loader or runtime at start is an error (the wearer needs to act);
/// losing the runtime later is not: a demo station must come back by itself.
pub fn run(ctx: &mut RunContext<'_>) -> Result<(), XrError> {
    let entry = instance::load_entry()?;
    let mut first = true;
    loop {
        let mut connected = false;
        let attempt = instance::connect(&entry).and_then(|rt| {
            connected = true;
            ctx.report
                .runtime
                .get_or_insert_with(|| rt.runtime_name.clone());
            ctx.report
                .system
                .get_or_insert_with(|| rt.system_name.clone());
            ctx.report.hand_tracking |= rt.hand_tracking;
            session::run_on_instance(&rt, ctx)
        });
        match attempt {
            Ok(SessionEnd::Exit) => {
                ctx.report.ended_cleanly = true;
                return Ok(());
            }
            Ok(SessionEnd::Lost) => lost(ctx, "the runtime asked to be let go (LOSS_PENDING)"),
            Err(e) if first && !matches!(e, XrError::Lost { .. }) => return Err(e),
            // A loss is reported once; failed attempts to reconnect are not new losses.
            Err(e) if e.is_transient() && connected => lost(ctx, &e.to_string()),
            Err(e) if e.is_transient() => tracing::info!("runtime not back yet: {e}"),
            Err(e) => return Err(e),
        }
        first = false;
        let retry_at = Instant::now() + ctx.options.reconnect_interval;
        while Instant::now() < retry_at {
            if ctx.should_stop() {
                tracing::info!("stopping while waiting for the runtime");
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn lost(ctx: &mut RunContext<'_>, why: &str) {
    ctx.report.runtime_losses += 1;
    let now = ctx.now();
    if let Some(audio) = ctx.audio.as_deref_mut() {
        audio.pause(now, ctx.report);
    }
    let message = format!(
        "lost the OpenXR runtime: {why}; trying again every {:?}",
        ctx.options.reconnect_interval
    );
    tracing::warn!("{message}");
    ctx.report.error(message);
}

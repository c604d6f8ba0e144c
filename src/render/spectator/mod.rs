//! What the queue at a demo station watches: the wearer's left eye, in a
//! desktop window ([`SpectatorWindow`]) or as PNG files every few seconds
//! ([`PngSpectator`]). Never at the headset's
//! expense: nothing here waits for the GPU in the frame loop, and a failing
//! output is turned off with one log line while the session goes on.

mod blit;
mod png;
mod window;

use std::path::PathBuf;

use ash::vk;

pub use png::PngSpectator;
pub use window::{SPECTATOR_TITLE, SpectatorDisplay, SpectatorWindow, SpectatorWindowError};

use super::gpu::{Gpu, GpuExtensions};

/// Widest spectator picture, px: enough for a stream, a quarter of the
/// bytes of a headset eye.
pub const SPECTATOR_MAX_WIDTH: u32 = 960;

/// Which spectator outputs a session has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpectatorOptions {
    /// Mirror the left eye in a desktop window.
    pub window: bool,
    /// Write the left eye as PNG files into this folder, every so many seconds.
    pub png: Option<(PathBuf, f64)>,
}

/// The session's spectator outputs.
#[derive(Default)]
pub struct Spectator {
    png: Option<PngSpectator>,
    window: Option<SpectatorWindow>,
    closed_by_viewer: bool,
}

/// Connects to the display when `options` ask for a window and Vulkan can
/// present to it; otherwise logs one line and returns `None`. Call before
/// creating the GPU, with [`extensions_for`]'s extensions.
pub fn connect_display(options: &SpectatorOptions) -> Option<SpectatorDisplay> {
    if !options.window {
        return None;
    }
    // SAFETY: loading the system's Vulkan loader, as the GPU does.
    let entry = unsafe { ash::Entry::load() }.ok()?;
    if !SpectatorDisplay::vulkan_supports_it(&entry) {
        tracing::warn!(
            "spectator window off: Vulkan offers no VK_KHR_xcb_surface; the session goes on"
        );
        return None;
    }
    match SpectatorDisplay::connect() {
        Ok(display) => Some(display),
        Err(e) => {
            tracing::warn!("spectator window off: {e}; the session goes on");
            None
        }
    }
}

/// The GPU extensions a connected display needs (none without one).
pub fn extensions_for(display: Option<&SpectatorDisplay>) -> GpuExtensions {
    display.map_or_else(GpuExtensions::default, |_| SpectatorDisplay::extensions())
}

impl Spectator {
    /// Opens the outputs `options` ask for, for eyes of `eye_extent`; one
    /// that cannot open is logged and left off.
    pub fn new(
        gpu: &Gpu,
        options: &SpectatorOptions,
        display: Option<SpectatorDisplay>,
        eye_extent: vk::Extent2D,
    ) -> Self {
        let png = options.png.as_ref().and_then(|(dir, every)| {
            PngSpectator::new(gpu, dir, *every, eye_extent, SPECTATOR_MAX_WIDTH)
                .map_err(|e| tracing::error!("spectator pictures off: {e}"))
                .ok()
        });
        let window = display.and_then(|display| {
            SpectatorWindow::open(display, gpu, eye_extent, SPECTATOR_MAX_WIDTH)
                .map_err(|e| tracing::warn!("spectator window off: {e}; the session goes on"))
                .ok()
        });
        Spectator {
            png,
            window,
            closed_by_viewer: false,
        }
    }

    /// After the frame into `eye_image` was submitted, before the image goes
    /// back to the runtime; `drawn` is the top-left part of the eye the frame
    /// drew (all of it, or less under dynamic resolution), the part shown.
    /// An output that fails is turned off.
    pub fn frame(&mut self, eye_image: vk::Image, drawn: vk::Extent2D, now: f64) {
        if let Some(png) = &mut self.png
            && let Err(e) = png.frame(eye_image, drawn, now)
        {
            tracing::error!("spectator pictures off: {e}");
            self.png = None;
        }
        if let Some(window) = &mut self.window
            && let Err(e) = window.frame(eye_image, drawn)
        {
            tracing::warn!("spectator window off: {e}; the session goes on");
            self.closed_by_viewer = matches!(e, SpectatorWindowError::Closed);
            self.window = None;
        }
    }

    /// Whether the viewer closed the window: a later session (after the
    /// runtime comes back) must not open it again over their choice.
    pub fn closed_by_viewer(&self) -> bool {
        self.closed_by_viewer
    }
}

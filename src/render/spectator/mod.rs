//! What the queue at a demo station watches: the wearer's left eye, as PNG
//! files every few seconds ([`PngSpectator`]). Never at the headset's
//! expense: nothing here waits for the GPU in the frame loop, and a failing
//! output is turned off with one log line while the session goes on.

mod blit;
mod png;

use std::path::PathBuf;

use ash::vk;

pub use png::PngSpectator;

use super::gpu::Gpu;

/// Widest spectator picture, px: enough for a stream, a quarter of the
/// bytes of a headset eye.
pub const SPECTATOR_MAX_WIDTH: u32 = 960;

/// Which spectator outputs a session has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpectatorOptions {
    /// Write the left eye as PNG files into this folder, every so many seconds.
    pub png: Option<(PathBuf, f64)>,
}

/// The session's spectator outputs.
#[derive(Default)]
pub struct Spectator {
    png: Option<PngSpectator>,
}

impl Spectator {
    /// Opens the outputs `options` ask for, for eyes of `eye_extent`; one
    /// that cannot open is logged and left off.
    pub fn new(gpu: &Gpu, options: &SpectatorOptions, eye_extent: vk::Extent2D) -> Self {
        let png = options.png.as_ref().and_then(|(dir, every)| {
            PngSpectator::new(gpu, dir, *every, eye_extent, SPECTATOR_MAX_WIDTH)
                .map_err(|e| tracing::error!("spectator pictures off: {e}"))
                .ok()
        });
        Spectator { png }
    }

    /// After the frame into `eye_image` was submitted, before the image goes
    /// back to the runtime. An output that fails is turned off.
    pub fn frame(&mut self, eye_image: vk::Image, now: f64) {
        if let Some(png) = &mut self.png
            && let Err(e) = png.frame(eye_image, now)
        {
            tracing::error!("spectator pictures off: {e}");
            self.png = None;
        }
    }
}

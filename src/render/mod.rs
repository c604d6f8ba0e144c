//! The Vulkan renderer (through `ash`): device set-up behind a factory the XR
//! shell can implement, a single-pass stereo (multiview) renderer that draws
//! into images it is handed, and an offscreen path that reads both eyes back.
//! Around it: the overlay (flat triangles drawn in the stereo pass: the kiosk
//! hint) and the spectator outputs (the left eye in a window or PNG files).
//!
//! Conventions: room space in metres, y up; eye views as OpenXR gives them
//! (pose + four FOV angles); Vulkan clip space with standard depth (0 at
//! [`NEAR`], 1 at [`FAR`]). Colour is shaded in linear space and written to
//! an sRGB attachment. On CPU drivers a probe at start-up checks multiview;
//! where it is broken (lavapipe from Mesa 22.3, Debian 12) the same pipeline
//! draws one eye per pass instead ([`Gpu::per_eye_passes`]).

mod camera;
mod culling;
mod draw_list;
mod error;
mod fade;
mod gpu;
mod materials;
mod memory;
mod multiview_probe;
mod offscreen;
mod overlay;
mod pipeline;
mod resident_scenes;
mod shadow;
mod spectator;
mod stereo;
mod textures;
mod timing;
mod upload;
mod validation;
mod warm;

pub use camera::{EyeView, FAR, Fov, MAX_POINT_LIGHTS, MAX_SPOT_LIGHTS, NEAR};
pub use error::RenderError;
pub use fade::FadeRenderer;
pub use gpu::{
    Gpu, GpuExtensions, GpuOptions, PlainVulkanFactory, VulkanFactory, graphics_queue_family,
};
pub use offscreen::{
    MAX_OFFSCREEN_SIDE, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget,
    render_offscreen,
};
pub use overlay::{MAX_OVERLAY_VERTICES, OverlayRenderer, OverlayVertex};
pub use resident_scenes::{OptionScenes, ResidentScenes};
pub use spectator::{
    PngSpectator, SPECTATOR_MAX_WIDTH, SPECTATOR_TITLE, Spectator, SpectatorDisplay,
    SpectatorOptions, SpectatorWindow, SpectatorWindowError, connect_display, extensions_for,
};
pub use stereo::{SceneId, StereoRenderer};
pub use timing::FrameCounts;
pub use upload::SceneLoader;

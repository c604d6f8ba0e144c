//! The decorator: which decoration option is shown and what a gesture or button does to it.
//!
//! Plain data in, plain commands out; nothing here knows OpenXR, Vulkan or audio devices.

mod decorator;
mod frame_stats;
mod hint;
mod kiosk;
mod placement;
mod pose_guard;
mod render_scale;
mod report;
mod residency;
mod room_controller;
mod station;
mod transition;

pub use decorator::{Command, Decorator, Shown};
pub use frame_stats::{FrameTimeHistogram, FrameTimeStats};
pub use hint::{
    HINT_TEXT, HintChange, HintInput, HintLayout, HintOverlay, HintShown, HintVertex,
    MAX_HINT_VERTICES, hand_angle,
};
pub use kiosk::{
    Kiosk, KioskAction, KioskConfig, KioskConfigError, KioskInput, KioskState, VisitEnd,
};
pub use placement::{RoomPlacement, place_room};
pub use pose_guard::{
    CheckedTracking, CheckedView, FovAngles, MAX_FOV_ANGLE, MAX_TRACKING_DISTANCE_M, MIN_FOV_SPAN,
    PoseDrops, PoseGuard, PoseKind, RawHand, RawJoint, RawPose, RawView, check_pose, fov_ok,
};
pub use render_scale::{
    LOWEST_SCALE, RenderScale, RenderScaleConfig, RenderScaleStats, SCALE_STEP, scaled_size,
};
pub use report::{
    GestureRecord, MAX_ENTRIES, OptionShown, SessionReport, SoundEvent, SoundRecord, StateChange,
};
pub use residency::{
    MAX_RESIDENT_OPTIONS, OptionState, Residency, ResidencyAction, ResidencyConfig, ResidencyReport,
};
pub use room_controller::{BARE_ROOM_NAME, Cue, RoomController};
pub use station::{Station, StationInput, VisitRecord};
pub use transition::{MAX_TRANSITION_SECONDS, Transition, TransitionConfig, TransitionFrame};

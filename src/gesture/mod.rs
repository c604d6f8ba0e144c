//! Hand joints (the 26 of XR_EXT_hand_tracking), gesture detection and trace files.
//!
//! Plain data in, plain events out: nothing here knows OpenXR.
//!
//! - [`GestureDetector`] turns [`TrackingFrame`]s into [`GestureEvent`]s (waves and swipes of
//!   either hand), with thresholds from [`GestureConfig`] (the `[gesture]` config section).
//! - [`trace`] reads and writes hand traces (`roomwave-hand-trace` JSON Lines), streaming.
//! - [`synth`] makes labelled synthetic traces; [`score`] scores detections against labels
//!   with the sample corpus's matching rule.

mod config;
mod detector;
mod hand;
mod hand_shape;
mod motion;
pub mod score;
mod stroke;
pub mod synth;
pub mod trace;

pub use config::{ConfigError, GestureConfig};
pub use detector::GestureDetector;
pub use hand::*;
pub use hand_shape::{HandShape, HeadFrame};

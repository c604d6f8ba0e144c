//! Hand joints (the 26 of XR_EXT_hand_tracking), gesture detection and trace files.
//!
//! Plain data in, plain events out: nothing here knows OpenXR.

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

//! Hand joints (the 26 of XR_EXT_hand_tracking), gesture detection and trace files.
//!
//! Plain data in, plain events out: nothing here knows OpenXR.

mod hand;

pub use hand::*;

//! Sound: feedback cues, ambiences placed in the room, and silence when there is no device.
//!
//! A functional core with one shell, like the rest of roomwave:
//! - [`cue_sound`] and [`ambience`] synthesise every sound (no sound files);
//! - [`spatial`] (distance and left/right balance from the head pose),
//!   [`envelope`] (equal-power crossfades), [`soundscape`] (which ambience
//!   where) and [`mix`] (the real-time mixer) are plain Rust, tested offline;
//! - [`director`] decides, per frame, what the mixer is told and what the
//!   session report lists;
//! - [`output`] is the only module that knows rodio.

pub mod ambience;
pub mod config;
pub mod cue_sound;
pub mod director;
pub mod dsp;
pub mod envelope;
pub mod mix;
pub mod output;
pub mod soundscape;
pub mod spatial;

pub use config::{AudioConfig, AudioConfigError};
pub use output::{Audio, RoomMixSource};

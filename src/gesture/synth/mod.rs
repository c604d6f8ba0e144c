//! Synthetic hand-tracking traces with labels, for testing the detector on realistic data:
//! a 26-joint hand skeleton posed by scripted motions of a random wearer, tracked by a
//! simulated sensor (rate, jitter, noise, dropouts, glitches, held samples).

mod body;
mod rng;
mod scenario;
mod script;
mod sensor;
mod skeleton;

pub use body::{BodyKey, BodyPath, BodyPose};
pub use rng::Rng;
pub use scenario::{Kind, SynthTrace, generate};
pub use script::{HandScript, HandState, Segment, min_jerk};
pub use sensor::{Performance, Sensor};
pub use skeleton::{Curls, FIST, HandModel, OPEN, POINT, RELAXED};

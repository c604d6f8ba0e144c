//! Synthetic hand-tracking traces with labels, for testing the detector on realistic data.

mod skeleton;

pub use skeleton::{Curls, FIST, HandModel, OPEN, POINT, RELAXED};

//! roomwave: stand in an unfurnished room in VR, wave a hand, and the room is decorated.
//!
//! The crate is a functional core with platform shells (see `README.md`):
//! - [`app`], [`gesture`] and [`scene`] are plain Rust over plain data, with no
//!   OpenXR, Vulkan or audio types, and are tested without any device;
//! - [`xr`] (OpenXR) and [`render`] (Vulkan through `ash`) are the shells;
//! - [`audio`] plays cues and ambiences through rodio (its core is plain Rust);
//! - [`sim`] runs the app against a real OpenXR runtime (Monado) with no headset.
#![warn(missing_docs)]

pub mod app;
pub mod audio;
pub mod catalog;
pub mod gesture;
pub mod limits;
pub mod operator;
pub mod render;
pub mod scene;
pub mod sim;
pub mod xr;

//! The simulated headset: a real OpenXR runtime (Monado 25, null compositor,
//! lavapipe) in a Debian 13 root filesystem, started and stopped by this code,
//! plus a scripted visitor whose hands are fed to Monado's `remote` driver.
//!
//! - [`rootfs`] builds or reuses the root filesystem;
//! - [`session`] runs a command inside the simulator (namespaces, mounts, Monado
//!   through [`monado`]);
//! - [`remote`] is the remote driver's wire format, [`visitor`] the scripted
//!   head and hands, [`feeder`] streams them over TCP.

pub mod binds;
pub mod error;
pub mod feeder;
pub mod monado;
pub mod namespace;
pub mod remote;
pub mod rootfs;
pub mod runtime_dir;
pub mod session;
pub mod signals;
pub mod step;
pub mod visitor;

pub use error::{Result, SimError};

//! One file per subcommand: argument parsing and the edge where errors become exit codes.

pub mod bench;
pub mod check;
pub mod config;
pub mod gestures;
pub mod record;
pub mod render;
pub mod run;
pub mod sim;

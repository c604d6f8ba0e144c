//! The simulator's error type.

use std::path::PathBuf;

/// Everything that can go wrong while preparing or running the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The simulator needs root for debootstrap, mount namespaces and chroot.
    #[error(
        "{what} needs root (debootstrap, mount namespaces and chroot); run it as root, e.g. with sudo"
    )]
    NotRoot {
        /// What was attempted.
        what: &'static str,
    },
    /// A path given for the root filesystem cannot be used.
    #[error("simulator rootfs {path}: {problem}")]
    BadRootfs {
        /// The rootfs path.
        path: PathBuf,
        /// What is wrong with it and what to do.
        problem: String,
    },
    /// The Debian mirror cannot be reached.
    #[error(
        "cannot reach the Debian mirror {mirror} ({detail}); building the simulator needs network \
         access once (set ROOMWAVE_SIM_MIRROR to use another mirror)"
    )]
    NoNetwork {
        /// The mirror URL.
        mirror: String,
        /// The underlying failure.
        detail: String,
    },
    /// A helper program failed.
    #[error("{step} failed ({status}); log: {log}{tail}")]
    StepFailed {
        /// What the step was.
        step: String,
        /// Its exit status, or "timed out after N s".
        status: String,
        /// Where the full log is.
        log: PathBuf,
        /// The log's last lines, formatted for the message.
        tail: String,
    },
    /// A helper program could not be started at all.
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error (shown in the message, so not chained as a source).
        source: std::io::Error,
    },
    /// A file system or OS operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, naming the path.
        context: String,
        /// The OS error (shown in the message, so not chained as a source).
        source: std::io::Error,
    },
    /// `monado-service` did not come up.
    #[error("monado-service {problem}; its log: {log}{tail}")]
    MonadoStart {
        /// What went wrong.
        problem: String,
        /// Monado's log file.
        log: PathBuf,
        /// The log's last lines.
        tail: String,
    },
    /// The hand feeder could not talk to Monado's remote driver.
    #[error("hand feeder: {0}")]
    Feeder(String),
    /// A visitor script is malformed.
    #[error("visitor script {script:?}: {problem}")]
    Script {
        /// The script text.
        script: String,
        /// What is wrong, and an example of what is right.
        problem: String,
    },
    /// A run or feed option is out of range.
    #[error("invalid option: {0}")]
    Usage(String),
    /// The internal hand-over between the outer and inner simulator process failed.
    #[error("simulator hand-over: {0}")]
    Handover(String),
}

impl SimError {
    /// Wraps an I/O error with the operation and path it came from.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        SimError::Io {
            context: context.into(),
            source,
        }
    }
}

/// The simulator's result type.
pub type Result<T> = std::result::Result<T, SimError>;

/// The last `n` lines of a log file, indented, for error messages (empty if unreadable).
pub fn log_tail(path: &std::path::Path, n: usize) -> String {
    let Ok(text) = std::fs::read(path) else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    let mut out = String::from("\n  last lines:");
    for l in &lines[start..] {
        out.push_str("\n  | ");
        out.push_str(l);
    }
    out
}

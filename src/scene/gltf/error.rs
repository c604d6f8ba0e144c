//! The loader's error: which file, where in it, and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// A glTF file that cannot be loaded: the file, the place in it (a JSON path such as
/// `meshes[2].primitives[0].attributes.POSITION`, or `GLB header`), and the problem.
#[derive(Debug, thiserror::Error)]
#[error("{}: {place}: {problem}", file.display())]
pub struct LoadError {
    /// The file being loaded (the `.gltf`/`.glb`, or the resource it names).
    pub file: PathBuf,
    /// Where in the file the problem is.
    pub place: String,
    /// What is wrong.
    pub problem: Problem,
}

impl LoadError {
    /// An error at `place` in `file`.
    pub fn new(file: &Path, place: impl Into<String>, problem: Problem) -> Self {
        Self {
            file: file.to_path_buf(),
            place: place.into(),
            problem,
        }
    }
}

/// What is wrong with a glTF file.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file (or a resource it names) could not be read.
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    /// A size or count taken from the file is over a [`super::LoadLimits`] bound.
    #[error(
        "{what} is {value}, over the limit of {limit} (raise `{field}` in the load limits if the file is trusted)"
    )]
    OverLimit {
        /// What was measured ("file size in bytes", "accessor count", ...).
        what: &'static str,
        /// The value the file asked for.
        value: u64,
        /// The limit.
        limit: u64,
        /// The [`super::LoadLimits`] field that sets the limit.
        field: &'static str,
    },
    /// The binary container (`.glb`) is malformed.
    #[error("not a valid GLB container: {0}")]
    Glb(String),
    /// The JSON text is malformed or has the wrong shape.
    #[error("not valid glTF JSON: {0}")]
    Json(String),
    /// The file needs an extension roomwave does not implement.
    #[error("requires the extension {name}, which roomwave does not support{hint}")]
    UnsupportedExtension {
        /// The extension's name, as in `extensionsRequired`.
        name: String,
        /// Extra advice ("" or ": re-export without Draco compression").
        hint: &'static str,
    },
    /// A URI that points outside the asset's folder, to the network, or nowhere.
    #[error("refused URI {uri:?}: {reason}")]
    UriRefused {
        /// The URI as written in the file (shortened when long).
        uri: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A byte range or an index that does not fit what it points into.
    #[error("out of bounds: {0}")]
    OutOfBounds(String),
    /// The node hierarchy is not a forest (a cycle, or a node with two parents).
    #[error("invalid node hierarchy: {0}")]
    Hierarchy(String),
    /// Any other violation of the glTF 2.0 specification.
    #[error("{0}")]
    Invalid(String),
    /// A dependency (the `gltf` or `image` crate, MikkTSpace) panicked on this input.
    #[error("the {during} step failed inside a dependency (it panicked: {message})")]
    Panicked {
        /// What the loader was doing.
        during: &'static str,
        /// The panic message.
        message: String,
    },
}

/// Shortens text taken from a file so an error message stays one readable line.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// A JSON path built from segments, written the way the glTF validator writes them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Place(String);

impl Place {
    pub(crate) fn root(name: &str) -> Self {
        Self(name.to_string())
    }
    pub(crate) fn index(&self, i: usize) -> Self {
        Self(format!("{}[{i}]", self.0))
    }
    pub(crate) fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_string())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Place> for String {
    fn from(p: Place) -> String {
        p.0
    }
}

impl From<&Place> for String {
    fn from(p: &Place) -> String {
        p.0.clone()
    }
}

/// Runs `f`, turning a panic inside it into [`Problem::Panicked`].
///
/// The `gltf` crate and its readers were seen to panic on hostile input (see the shared
/// corpus README); a station must report that file, not die.
pub(crate) fn guard<T>(during: &'static str, f: impl FnOnce() -> T) -> Result<T, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Problem::Panicked { during, message }
    })
}

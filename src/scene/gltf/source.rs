//! Where a model's external files come from: the asset's folder on disk, or an
//! in-memory set of files (for fuzzing and tests, so every URI path is reachable).

use super::container::read_capped;
use super::error::Problem;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A source of the files a model's URIs name.
pub trait AssetSource {
    /// Reads `relative`, at most `limit` bytes. The loader only asks for plain relative
    /// paths (no `..`, nothing absolute, no scheme), already checked.
    fn read(&self, relative: &Path, limit: u64) -> Result<Vec<u8>, Problem>;
}

/// The folder a `.gltf` lies in: files are read only from inside it.
#[derive(Clone, Debug)]
pub struct FolderSource {
    dir: PathBuf,
}

impl FolderSource {
    /// Files inside `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }
}

impl AssetSource for FolderSource {
    fn read(&self, relative: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
        let joined = self.dir.join(relative);
        // A symbolic link inside the folder could still point out of it: compare real paths.
        let real_dir = self
            .dir
            .canonicalize()
            .map_err(|e| Problem::Invalid(format!("cannot resolve {}: {e}", self.dir.display())))?;
        let real = joined
            .canonicalize()
            .map_err(|e| Problem::Invalid(format!("cannot read {}: {e}", joined.display())))?;
        if !real.starts_with(&real_dir) {
            return Err(Problem::UriRefused {
                uri: relative.display().to_string(),
                reason: "it resolves (through a link) outside the asset's folder",
            });
        }
        read_capped(&real, limit, "max_resource_bytes").map_err(|e| match e.problem {
            Problem::Io(io) => Problem::Invalid(format!("cannot read {}: {io}", real.display())),
            other => other,
        })
    }
}

/// Files held in memory, by relative path.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    /// The files.
    pub files: HashMap<PathBuf, Vec<u8>>,
}

impl AssetSource for MemorySource {
    fn read(&self, relative: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
        let bytes = self.files.get(relative).ok_or_else(|| {
            Problem::Invalid(format!("cannot read {}: no such file", relative.display()))
        })?;
        if bytes.len() as u64 > limit {
            return Err(Problem::OverLimit {
                what: "file size in bytes",
                value: bytes.len() as u64,
                limit,
                field: "max_resource_bytes",
            });
        }
        Ok(bytes.clone())
    }
}

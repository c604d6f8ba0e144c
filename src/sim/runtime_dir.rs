//! The per-run runtime directory inside the rootfs (`XDG_RUNTIME_DIR`: Monado's socket).

use std::path::{Path, PathBuf};

use super::error::{Result, SimError};

/// The runtime directory of this run, inside the rootfs and as seen from the host.
pub struct RuntimeDir {
    /// The path as seen inside the rootfs.
    pub inside: PathBuf,
    /// The same directory as seen from the host.
    pub host: PathBuf,
}

impl RuntimeDir {
    /// Creates it (mode 700), first sweeping those of runs that were killed.
    pub fn create(rootfs: &Path) -> Result<Self> {
        let run = rootfs.join("run");
        // Sweep the directories of runs that were killed (their pid is gone).
        if let Ok(entries) = std::fs::read_dir(&run) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name
                    .strip_prefix("roomwave-sim.")
                    .and_then(|p| p.parse::<i32>().ok())
                    && !Path::new(&format!("/proc/{pid}")).exists()
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let inside = PathBuf::from(format!("/run/roomwave-sim.{}", std::process::id()));
        let host = rootfs.join(inside.strip_prefix("/").unwrap_or(&inside));
        let mk = |p: &Path| {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .mode(0o700)
                .recursive(true)
                .create(p)
                .map_err(|e| SimError::io(format!("create {}", p.display()), e))
        };
        mk(&host)?;
        mk(&host.join("config"))?;
        Ok(RuntimeDir { inside, host })
    }
}

impl Drop for RuntimeDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.host);
    }
}

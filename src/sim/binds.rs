//! Host directories bind-mounted into the rootfs at the same path, and undone again.

use std::path::{Path, PathBuf};

use super::error::{Result, SimError};
use super::namespace;

/// Directories that must never be covered by a bind, since the rootfs has its own.
pub fn is_system_dir(d: &Path) -> bool {
    const OWN: &[&str] = &["/bin", "/lib", "/lib64", "/sbin", "/var", "/tmp"];
    const TREES: &[&str] = &["/usr", "/etc", "/run", "/proc", "/sys", "/dev"];
    d == Path::new("/")
        || OWN.iter().any(|o| d == Path::new(o))
        || TREES.iter().any(|t| d.starts_with(t))
}

/// Mount points made inside the rootfs, undone in reverse order.
pub struct Binds {
    mounted: Vec<PathBuf>,
}

impl Binds {
    /// Binds each of `dirs` (absolute host directories) into `rootfs`, skipping those
    /// already visible through an earlier one; undone when dropped.
    pub fn mount(rootfs: &Path, dirs: &[PathBuf]) -> Result<Self> {
        let mut me = Binds {
            mounted: Vec::new(),
        };
        let mut bound: Vec<&Path> = Vec::new();
        for d in dirs {
            if bound.iter().any(|b| d.starts_with(b)) {
                continue;
            }
            if d == Path::new("/") {
                tracing::warn!("not binding / into the simulator rootfs");
                continue;
            }
            if is_system_dir(d) {
                return Err(SimError::BadRootfs {
                    path: rootfs.to_path_buf(),
                    problem: format!(
                        "refusing to bind {} over the rootfs' own directory; run from another \
                         directory or put the command elsewhere",
                        d.display()
                    ),
                });
            }
            if rootfs.starts_with(d) || d.starts_with(rootfs) {
                return Err(SimError::BadRootfs {
                    path: rootfs.to_path_buf(),
                    problem: format!(
                        "cannot bind {}, it contains or is inside the rootfs",
                        d.display()
                    ),
                });
            }
            // The mount point stays in the rootfs afterwards, on purpose: parallel runs
            // from the same directory share it, and removing a directory that is a
            // mount point in another run's namespace silently detaches that run's bind
            // (seen: a report written "No such file or directory" mid-run).
            let target = rootfs.join(d.strip_prefix("/").unwrap_or(d));
            std::fs::create_dir_all(&target)
                .map_err(|e| SimError::io(format!("create mount point {}", target.display()), e))?;
            namespace::bind(d, &target)?;
            me.mounted.push(target);
            bound.push(d);
        }
        Ok(me)
    }
}

impl Drop for Binds {
    fn drop(&mut self) {
        for m in self.mounted.iter().rev() {
            if let Err(e) = namespace::unmount(m) {
                tracing::warn!("{e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_dirs_are_never_bound() {
        for d in [
            "/",
            "/usr",
            "/usr/lib",
            "/etc/x",
            "/tmp",
            "/run/user/0",
            "/dev/shm",
        ] {
            assert!(is_system_dir(Path::new(d)), "{d}");
        }
        for d in ["/work/repo", "/home/u/x", "/tmp/x", "/root/p", "/opt/x"] {
            assert!(!is_system_dir(Path::new(d)), "{d}");
        }
    }
}

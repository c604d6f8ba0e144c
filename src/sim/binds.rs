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
    created: Vec<PathBuf>,
}

impl Binds {
    /// Binds each of `dirs` (absolute host directories) into `rootfs`, skipping those
    /// already visible through an earlier one; undone when dropped.
    pub fn mount(rootfs: &Path, dirs: &[PathBuf]) -> Result<Self> {
        let mut me = Binds {
            mounted: Vec::new(),
            created: Vec::new(),
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
            let target = rootfs.join(d.strip_prefix("/").unwrap_or(d));
            let mut top = None;
            let mut p = target.as_path();
            while !p.exists() {
                top = Some(p.to_path_buf());
                p = p.parent().unwrap_or(Path::new("/"));
            }
            std::fs::create_dir_all(&target)
                .map_err(|e| SimError::io(format!("create mount point {}", target.display()), e))?;
            me.created.extend(top);
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
        for c in self.created.iter().rev() {
            remove_empty_dirs(c);
        }
    }
}

/// Removes `dir` and its subdirectories if they hold nothing but empty directories.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
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

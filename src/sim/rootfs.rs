//! The simulator's root filesystem: Debian 13 (trixie) with Monado 25 and lavapipe.
//!
//! Monado is not packaged for Debian 12 and trixie's build needs glibc >= 2.38,
//! so the runtime lives in a debootstrapped trixie tree that the app is run in
//! (chroot). Host-built binaries (glibc 2.36) run there unchanged.

use std::fmt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::error::{Result, SimError};
use super::namespace::{self, ChrootTarget, SystemMounts};
use super::step::run_step;

/// Where the rootfs lives unless `ROOMWAVE_SIM_ROOTFS` says otherwise.
pub const DEFAULT_ROOTFS: &str = "/var/cache/roomwave/sim-rootfs";
/// Name of the stamp file written when the rootfs is complete.
pub const STAMP: &str = ".roomwave-sim-ready";

/// Packages installed in the rootfs (no recommends).
///
/// `vulkan-validationlayers`: the app's tests run with validation on inside the chroot.
/// `libasound2t64`: the app links libasound (rodio) dynamically.
/// `libopenxr-utils`: `openxr_runtime_list`, a cheap client proving the runtime answers.
pub const PACKAGES: &[&str] = &[
    "libasound2t64",
    "libopenxr-loader1",
    "libopenxr-utils",
    "libopenxr1-monado",
    "mesa-vulkan-drivers",
    "monado-service",
    "vulkan-validationlayers",
];

/// Files that must exist in a usable rootfs (checked after installation).
const REQUIRED_FILES: &[&str] = &[
    "usr/bin/monado-service",
    "usr/bin/openxr_runtime_list",
    "usr/share/openxr/1/openxr_monado.json",
    "usr/share/vulkan/icd.d/lvp_icd.json",
    "usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json",
    "usr/lib/x86_64-linux-gnu/libopenxr_loader.so.1",
];

// Measured: debootstrap 25-43 s, apt 14-17 s on 2 cores; the limit only guards hangs.
const STEP_LIMIT: Duration = Duration::from_secs(900);

/// How to build the rootfs.
#[derive(Clone, Debug)]
pub struct RootfsConfig {
    /// Absolute path of the rootfs directory.
    pub path: PathBuf,
    /// Debian mirror URL.
    pub mirror: String,
    /// Debian suite.
    pub suite: String,
    /// Packages to install.
    pub packages: Vec<String>,
}

impl RootfsConfig {
    /// The defaults, overridden by `ROOMWAVE_SIM_ROOTFS` and `ROOMWAVE_SIM_MIRROR`.
    pub fn from_env() -> Self {
        let path = std::env::var_os("ROOMWAVE_SIM_ROOTFS")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_ROOTFS));
        RootfsConfig {
            path,
            mirror: std::env::var("ROOMWAVE_SIM_MIRROR")
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "http://deb.debian.org/debian".into()),
            suite: "trixie".into(),
            packages: PACKAGES.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn stamp_line(&self) -> String {
        format!("packages: {} {}", self.suite, self.packages.join(" "))
    }
}

/// What [`ensure`] did.
#[derive(Clone, Debug)]
pub struct RootfsReport {
    /// The rootfs path.
    pub path: PathBuf,
    /// True when a complete rootfs was found and nothing was built.
    pub reused: bool,
    /// The installed `monado-service` version.
    pub monado_version: String,
    /// Time spent.
    pub elapsed: Duration,
}

impl fmt::Display for RootfsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} simulator rootfs {} (monado-service {}) in {:.2} s",
            if self.reused { "reused" } else { "built" },
            self.path.display(),
            self.monado_version,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Returns the rootfs if it is complete (stamp present and listing the same packages).
pub fn ready(config: &RootfsConfig) -> Option<RootfsReport> {
    let stamp = std::fs::read_to_string(config.path.join(STAMP)).ok()?;
    let mut lines = stamp.lines();
    if lines.next()? != config.stamp_line() {
        return None;
    }
    let monado_version = lines
        .find_map(|l| l.strip_prefix("monado: "))
        .unwrap_or("unknown")
        .to_string();
    Some(RootfsReport {
        path: config.path.clone(),
        reused: true,
        monado_version,
        elapsed: Duration::ZERO,
    })
}

/// Builds the rootfs unless a complete one exists; safe to call every time.
pub fn ensure(config: &RootfsConfig) -> Result<RootfsReport> {
    let t0 = Instant::now();
    check_path(&config.path)?;
    if let Some(mut r) = ready(config) {
        r.elapsed = t0.elapsed();
        return Ok(r);
    }
    if !namespace::is_root() {
        return Err(SimError::NotRoot {
            what: "building the simulator rootfs",
        });
    }
    // Two builders at once (parallel tests) would debootstrap into the same tree.
    let _lock = BuildLock::acquire(&config.path)?;
    if let Some(mut r) = ready(config) {
        r.elapsed = t0.elapsed();
        return Ok(r);
    }
    let root = &config.path;
    if root.join("debootstrap").is_dir() {
        // debootstrap deletes this directory only when it finished.
        tracing::warn!(
            "{}: interrupted debootstrap found, starting over",
            root.display()
        );
        remove_partial(root)?;
    }
    if !root.join("usr/bin/apt-get").exists() {
        if std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_some()) {
            return Err(SimError::BadRootfs {
                path: root.clone(),
                problem: "exists, is not empty and is not a Debian tree; remove it or set \
                          ROOMWAVE_SIM_ROOTFS to another path"
                    .into(),
            });
        }
        check_mirror(&config.mirror)?;
        ensure_debootstrap(root)?;
        debootstrap(config)?;
    }
    install_packages(config)?;
    let monado_version = verify_and_stamp(config)?;
    Ok(RootfsReport {
        path: root.clone(),
        reused: false,
        monado_version,
        elapsed: t0.elapsed(),
    })
}

/// An exclusive `flock` on `<rootfs>.lock`, released when dropped (or when the process dies).
struct BuildLock {
    // Held only for its descriptor: closing it releases the lock.
    _file: std::fs::File,
}

impl BuildLock {
    fn acquire(root: &Path) -> Result<Self> {
        use std::os::fd::AsRawFd;
        let path = sibling(root, ".lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| SimError::io(format!("create {}", dir.display()), e))?;
        }
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| SimError::io(format!("open {}", path.display()), e))?;
        let fd = file.as_raw_fd();
        // SAFETY (both calls): a valid open descriptor owned by `file`.
        if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(BuildLock { _file: file });
        }
        tracing::info!(
            "another process is building the simulator rootfs; waiting for {}",
            path.display()
        );
        if unsafe { libc::flock(fd, libc::LOCK_EX) } != 0 {
            return Err(SimError::io(
                format!("lock {}", path.display()),
                std::io::Error::last_os_error(),
            ));
        }
        Ok(BuildLock { _file: file })
    }
}

fn check_path(path: &Path) -> Result<()> {
    let bad = |problem: &str| {
        Err(SimError::BadRootfs {
            path: path.to_path_buf(),
            problem: problem.into(),
        })
    };
    if !path.is_absolute() {
        return bad("must be an absolute path (ROOMWAVE_SIM_ROOTFS)");
    }
    if path.parent().is_none() {
        return bad("refusing to use / as the simulator rootfs");
    }
    Ok(())
}

/// `<rootfs><suffix>` beside the rootfs (logs and the lock stay out of the tree).
fn sibling(root: &Path, suffix: &str) -> PathBuf {
    let mut name = root.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    root.with_file_name(name)
}

fn log_path(root: &Path, step: &str) -> PathBuf {
    sibling(root, &format!(".{step}.log"))
}

fn remove_partial(root: &Path) -> Result<()> {
    // debootstrap may have left proc/sys mounted inside the tree it was killed in.
    for m in namespace::mounts_below(root)? {
        namespace::unmount(&m)?;
    }
    std::fs::remove_dir_all(root)
        .map_err(|e| SimError::io(format!("remove partial rootfs {}", root.display()), e))
}

fn check_mirror(mirror: &str) -> Result<()> {
    use std::net::{TcpStream, ToSocketAddrs};
    let no_net = |detail: String| SimError::NoNetwork {
        mirror: mirror.to_string(),
        detail,
    };
    let rest = mirror
        .strip_prefix("http://")
        .or_else(|| mirror.strip_prefix("https://"))
        .ok_or_else(|| no_net("the mirror must be an http:// or https:// URL".into()))?;
    let host = rest.split('/').next().unwrap_or(rest);
    let port = if mirror.starts_with("https") { 443 } else { 80 };
    let authority = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    let addr = authority
        .to_socket_addrs()
        .map_err(|e| no_net(format!("cannot resolve {host}: {e}")))?
        .next()
        .ok_or_else(|| no_net(format!("{host} has no address")))?;
    TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| no_net(format!("cannot connect to {addr}: {e}")))?;
    Ok(())
}

fn which(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .any(|d| d.join(program).is_file())
}

fn ensure_debootstrap(root: &Path) -> Result<()> {
    if which("debootstrap") {
        return Ok(());
    }
    let log = log_path(root, "host-apt");
    tracing::info!("installing debootstrap on the host with apt-get");
    let install = || {
        let mut c = Command::new("apt-get");
        c.args(["install", "-y", "-q", "debootstrap"])
            .env("DEBIAN_FRONTEND", "noninteractive");
        run_step("apt-get install debootstrap", &mut c, &log, STEP_LIMIT)
    };
    if install().is_err() {
        let mut c = Command::new("apt-get");
        c.args(["update", "-q"]);
        run_step("apt-get update", &mut c, &log, STEP_LIMIT)?;
        install()?;
    }
    Ok(())
}

fn debootstrap(config: &RootfsConfig) -> Result<()> {
    let root = &config.path;
    let script = Path::new("/usr/share/debootstrap/scripts").join(&config.suite);
    if !script.exists() {
        return Err(SimError::BadRootfs {
            path: root.clone(),
            problem: format!(
                "this debootstrap does not know Debian '{}' ({} is missing); upgrade debootstrap \
                 (Debian 12's 1.0.128+nmu2+deb12u2 knows it)",
                config.suite,
                script.display()
            ),
        });
    }
    std::fs::create_dir_all(root)
        .map_err(|e| SimError::io(format!("create {}", root.display()), e))?;
    let log = log_path(root, "debootstrap");
    let _ = std::fs::remove_file(&log);
    tracing::info!(
        "debootstrap --variant=minbase {} {} (about 30-60 s)",
        config.suite,
        root.display()
    );
    let t = Instant::now();
    let mut c = Command::new("debootstrap");
    c.args(["--variant=minbase", &config.suite])
        .arg(root)
        .arg(&config.mirror)
        .env(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        );
    run_step(
        "debootstrap (a signature error means the host's debian-archive-keyring lacks the trixie key)",
        &mut c,
        &log,
        STEP_LIMIT,
    )?;
    let _ = std::fs::remove_file(&log);
    tracing::info!("debootstrap done in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// A command run inside the rootfs in a private mount namespace with proc, sys and dev mounted.
fn chroot_command(root: &Path, program: &str) -> Result<Command> {
    let mounts = SystemMounts::new(root)?;
    let target = ChrootTarget::new(root, Path::new("/"))?;
    let mut c = Command::new(program);
    c.env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .env("LC_ALL", "C.UTF-8")
        .env("HOME", "/root");
    // SAFETY: the closure only makes syscalls on memory prepared before the fork.
    unsafe {
        c.pre_exec(move || {
            namespace::isolate(false)?;
            mounts.mount_fork_safe()?;
            target.enter()
        });
    }
    Ok(c)
}

fn install_packages(config: &RootfsConfig) -> Result<()> {
    let root = &config.path;
    let copy = std::fs::copy("/etc/resolv.conf", root.join("etc/resolv.conf"));
    if let Err(e) = copy {
        tracing::warn!("could not copy /etc/resolv.conf into the rootfs: {e}");
    }
    // Never start services inside the chroot (Debian's policy-rc.d convention).
    let policy = root.join("usr/sbin/policy-rc.d");
    std::fs::write(&policy, "#!/bin/sh\nexit 101\n")
        .map_err(|e| SimError::io(format!("write {}", policy.display()), e))?;
    set_mode(&policy, 0o755)?;
    let log = log_path(root, "apt");
    let _ = std::fs::remove_file(&log);
    let t = Instant::now();
    tracing::info!(
        "apt-get install in the rootfs: {}",
        config.packages.join(" ")
    );
    let mut update = chroot_command(root, "apt-get")?;
    update.args(["update", "-q"]);
    run_step(
        "apt-get update in the rootfs",
        &mut update,
        &log,
        STEP_LIMIT,
    )?;
    let mut install = chroot_command(root, "apt-get")?;
    install
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&config.packages);
    run_step(
        "apt-get install in the rootfs",
        &mut install,
        &log,
        STEP_LIMIT,
    )?;
    let mut clean = chroot_command(root, "apt-get")?;
    clean.arg("clean");
    run_step("apt-get clean in the rootfs", &mut clean, &log, STEP_LIMIT)?;
    // The package lists are 80+ MB and `apt-get update` fetches them again.
    let lists = root.join("var/lib/apt/lists");
    if let Ok(entries) = std::fs::read_dir(&lists) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
    let _ = std::fs::remove_file(&log);
    tracing::info!("packages installed in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| SimError::io(format!("chmod {}", path.display()), e))
}

fn verify_and_stamp(config: &RootfsConfig) -> Result<String> {
    let root = &config.path;
    for f in REQUIRED_FILES {
        if !root.join(f).exists() {
            return Err(SimError::BadRootfs {
                path: root.clone(),
                problem: format!("{f} is missing after installing the packages"),
            });
        }
    }
    let version = installed_version(root, "monado-service")?;
    let stamp = format!(
        "{}\nmonado: {version}\nbuilt-unix: {}\n",
        config.stamp_line(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    );
    let path = root.join(STAMP);
    std::fs::write(&path, stamp)
        .map_err(|e| SimError::io(format!("write {}", path.display()), e))?;
    Ok(version)
}

/// Reads a package's version from the rootfs' dpkg status file.
fn installed_version(root: &Path, package: &str) -> Result<String> {
    let status_path = root.join("var/lib/dpkg/status");
    let status = std::fs::read_to_string(&status_path)
        .map_err(|e| SimError::io(format!("read {}", status_path.display()), e))?;
    status
        .split("\n\n")
        .find(|para| para.lines().any(|l| l == format!("Package: {package}")))
        .and_then(|para| para.lines().find_map(|l| l.strip_prefix("Version: ")))
        .map(str::to_string)
        .ok_or_else(|| SimError::BadRootfs {
            path: root.to_path_buf(),
            problem: format!("package {package} is not installed"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(path: &Path) -> RootfsConfig {
        RootfsConfig {
            path: path.to_path_buf(),
            mirror: "http://deb.debian.org/debian".into(),
            suite: "trixie".into(),
            packages: vec!["a".into(), "b".into()],
        }
    }

    #[test]
    fn stamp_with_same_packages_is_ready_and_other_packages_are_not() {
        let dir = std::env::temp_dir().join(format!("roomwave-rootfs-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = config(&dir);
        assert!(ready(&c).is_none());
        std::fs::write(dir.join(STAMP), "packages: trixie a b\nmonado: 25.0.0\n").unwrap();
        let r = ready(&c).expect("ready");
        assert_eq!(r.monado_version, "25.0.0");
        assert!(r.reused);
        let mut other = c.clone();
        other.packages.push("c".into());
        assert!(ready(&other).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn relative_and_root_paths_are_refused() {
        assert!(matches!(
            ensure(&config(Path::new("rel/dir"))),
            Err(SimError::BadRootfs { .. })
        ));
        assert!(matches!(
            ensure(&config(Path::new("/"))),
            Err(SimError::BadRootfs { .. })
        ));
    }

    #[test]
    fn bad_mirror_is_a_network_error() {
        let e = check_mirror("ftp://x").unwrap_err();
        assert!(matches!(e, SimError::NoNetwork { .. }), "{e}");
        let e = check_mirror("http://no-such-host.invalid/debian").unwrap_err();
        assert!(e.to_string().contains("no-such-host.invalid"), "{e}");
    }

    #[test]
    fn dpkg_status_version_is_read() {
        let dir = std::env::temp_dir().join(format!("roomwave-dpkg-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("var/lib/dpkg")).unwrap();
        std::fs::write(
            dir.join("var/lib/dpkg/status"),
            "Package: foo\nVersion: 1\n\nPackage: monado-service\nStatus: install ok installed\nVersion: 25.0.0+dfsg-2\n",
        )
        .unwrap();
        assert_eq!(
            installed_version(&dir, "monado-service").unwrap(),
            "25.0.0+dfsg-2"
        );
        assert!(installed_version(&dir, "bar").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

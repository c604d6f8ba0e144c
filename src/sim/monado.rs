//! One `monado-service` process inside the rootfs: start, wait until ready, stop.

use std::fs::File;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::error::{Result, SimError, log_tail};
use super::namespace::ChrootTarget;
use super::signals::TerminationSignals;

/// The line Monado logs once its IPC socket accepts clients.
const READY_LINE: &str = "The Monado service has started";
/// Lavapipe's ICD inside the rootfs (Mesa's CPU Vulkan driver).
pub const LAVAPIPE_ICD: &str = "/usr/share/vulkan/icd.d/lvp_icd.json";
/// Monado's runtime manifest inside the rootfs.
pub const RUNTIME_JSON: &str = "/usr/share/openxr/1/openxr_monado.json";
/// `PATH` for processes in the rootfs.
pub const ROOTFS_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// The TCP port of Monado's remote driver (fixed in Monado 25).
pub const REMOTE_PORT: u16 = 4242;
/// Measured start-up is 0.2-0.7 s; this only bounds a hang.
const START_LIMIT: Duration = Duration::from_secs(30);

/// Which Monado driver provides the head (and hands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    /// Monado's simulated HMD: no controllers, no hand tracking.
    Simulated,
    /// The remote driver: HMD, two controllers and two tracked hands fed over TCP 4242.
    Remote,
}

impl Driver {
    /// The name used on the command line and in `XRSIM_DRIVER`.
    pub fn name(self) -> &'static str {
        match self {
            Driver::Simulated => "simulated",
            Driver::Remote => "remote",
        }
    }
}

/// A running `monado-service`.
pub struct MonadoService {
    child: Child,
    /// Any byte written here makes Monado shut down in order; EOF does too.
    stdin: Option<ChildStdin>,
    log: PathBuf,
}

/// Where and how to start Monado.
pub struct MonadoConfig<'a> {
    /// The rootfs on the host.
    pub rootfs: &'a Path,
    /// The runtime directory as seen inside the rootfs (holds `monado_comp_ipc`).
    pub runtime_dir: &'a Path,
    /// The driver.
    pub driver: Driver,
    /// Monado's log file on the host (appended to).
    pub log: &'a Path,
    /// Extra `VAR=value` pairs for Monado (e.g. `XRT_LOG=debug`).
    pub extra_env: &'a [(String, String)],
}

impl MonadoService {
    /// Starts Monado with the null compositor and waits until it accepts clients.
    pub fn start(cfg: &MonadoConfig) -> Result<Self> {
        let host_runtime = cfg
            .rootfs
            .join(cfg.runtime_dir.strip_prefix("/").unwrap_or(cfg.runtime_dir));
        // A SIGKILLed Monado leaves its socket behind, and a new one would not bind.
        let _ = std::fs::remove_file(host_runtime.join("monado_comp_ipc"));
        let log_err = |e| SimError::io(format!("open Monado log {}", cfg.log.display()), e);
        let out = File::options()
            .create(true)
            .append(true)
            .open(cfg.log)
            .map_err(log_err)?;
        let err = out.try_clone().map_err(log_err)?;
        let target = ChrootTarget::new(cfg.rootfs, Path::new("/"))?;
        let signals = TerminationSignals::handled();
        let mut cmd = Command::new("/usr/bin/monado-service");
        cmd.env_clear()
            .envs(runtime_env(cfg.runtime_dir))
            .env("XRT_COMPOSITOR_NULL", "1");
        match cfg.driver {
            Driver::Remote => cmd.env("P_OVERRIDE_ACTIVE_CONFIG", "remote"),
            Driver::Simulated => cmd.env("SIMULATED_ENABLE", "1"),
        };
        cmd.envs(cfg.extra_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(out)
            .stderr(err);
        // SAFETY: only syscalls on memory prepared before the fork.
        unsafe {
            cmd.pre_exec(move || {
                die_with_parent()?;
                signals.unblock()?;
                target.enter()
            });
        }
        let t0 = Instant::now();
        let mut child = cmd.spawn().map_err(|source| SimError::Spawn {
            program: "monado-service (in the rootfs)".into(),
            source,
        })?;
        let stdin = child.stdin.take();
        let mut service = MonadoService {
            child,
            stdin,
            log: cfg.log.to_path_buf(),
        };
        let log_start = std::fs::metadata(cfg.log).map(|m| m.len()).unwrap_or(0);
        service.wait_ready(log_start, t0, &host_runtime)?;
        tracing::info!(
            "monado-service ready in {:.2} s (pid {}, driver {}, null compositor, lavapipe)",
            t0.elapsed().as_secs_f64(),
            service.pid(),
            cfg.driver.name()
        );
        Ok(service)
    }

    fn wait_ready(&mut self, log_start: u64, t0: Instant, host_runtime: &Path) -> Result<()> {
        let fail = |problem: String, log: &Path| SimError::MonadoStart {
            problem,
            log: log.to_path_buf(),
            tail: log_tail(log, 30),
        };
        loop {
            if log_contains_after(&self.log, log_start, READY_LINE) {
                if host_runtime.join("monado_comp_ipc").exists() {
                    return Ok(());
                }
                return Err(fail(
                    format!(
                        "said it started but {}/monado_comp_ipc is missing",
                        host_runtime.display()
                    ),
                    &self.log,
                ));
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(fail(
                    format!("exited during start-up ({status})"),
                    &self.log,
                ));
            }
            if t0.elapsed() > START_LIMIT {
                self.kill();
                return Err(fail(
                    format!("was not ready after {} s", START_LIMIT.as_secs()),
                    &self.log,
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id (on the host).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills Monado with SIGKILL (a crash, as a test of the app's recovery) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Orderly stop through stdin, then SIGTERM after 10 s, then SIGKILL after 5 s more.
    pub fn stop(mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"quit\n");
        }
        let pid = self.pid();
        if self.wait_for(Duration::from_secs(10)) {
            return;
        }
        tracing::warn!(
            "monado-service (pid {pid}) still running 10 s after the stop request, sending SIGTERM"
        );
        // SAFETY: signalling our own child, which has not been reaped yet.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
        if self.wait_for(Duration::from_secs(5)) {
            return;
        }
        tracing::warn!("monado-service (pid {pid}) ignored SIGTERM, sending SIGKILL");
        self.kill();
    }

    fn wait_for(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if !self.is_running() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

/// The environment every process in the rootfs gets (Monado and the command alike).
pub fn runtime_env(runtime_dir: &Path) -> Vec<(String, String)> {
    let rd = runtime_dir.display().to_string();
    vec![
        ("HOME".into(), "/root".into()),
        ("PATH".into(), ROOTFS_PATH.into()),
        ("XDG_RUNTIME_DIR".into(), rd.clone()),
        // Keeps Monado's config_v0.json out of the rootfs proper.
        ("XDG_CONFIG_HOME".into(), format!("{rd}/config")),
        ("VK_DRIVER_FILES".into(), LAVAPIPE_ICD.into()),
        // The older Vulkan loader spelling of the same.
        ("VK_ICD_FILENAMES".into(), LAVAPIPE_ICD.into()),
        ("XR_RUNTIME_JSON".into(), RUNTIME_JSON.into()),
    ]
}

/// Fork-safe: the child gets SIGKILL when the thread that spawned it exits, so a
/// killed simulator leaves no orphan behind.
pub fn die_with_parent() -> std::io::Result<()> {
    // SAFETY: prctl with constant arguments.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn log_contains_after(log: &Path, offset: u64, needle: &str) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = File::open(log) else {
        return false;
    };
    if f.seek(SeekFrom::Start(offset)).is_err() {
        return false;
    }
    // Start-up logs are a few kB; the cap bounds memory if Monado floods it.
    let mut buf = Vec::new();
    if f.take(4 << 20).read_to_end(&mut buf).is_err() {
        return false;
    }
    String::from_utf8_lossy(&buf).contains(needle)
}

//! Running one command inside the simulator.
//!
//! [`launch`] (the outer process) checks everything it can, then starts a copy
//! of the roomwave binary in a private mount namespace (and, for the remote
//! driver, a private loopback-only network namespace, because Monado listens on
//! port 4242 on all interfaces). That copy runs [`run_inside`]: it mounts
//! proc, sys, dev and the bound host directories into the rootfs, starts
//! Monado, starts the hand feeder, runs the command in the chroot, and stops
//! everything again. Every mount dies with the namespace, even after a crash.

use std::ffi::OsString;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::binds::{Binds, is_system_dir};
use super::error::{Result, SimError};
use super::feeder::{FeedConfig, FeederThread};
use super::monado::{self, Driver, MonadoConfig, MonadoService};
use super::namespace::{self, ChrootTarget, SystemMounts};
use super::rootfs::{self, RootfsConfig};
use super::runtime_dir::RuntimeDir;
use super::signals::TerminationSignals;
use super::visitor::VisitorPlan;

/// Exit status when the simulator itself fails (as `git bisect run` and `run-in-sim` use it).
pub const EXIT_SIM_FAILURE: i32 = 125;
/// Exit status when the command ran past its time limit (as `timeout(1)`).
pub const EXIT_TIMEOUT: i32 = 124;
/// Exit status when the command cannot be started (as shells use it).
pub const EXIT_NOT_FOUND: i32 = 127;
/// The environment variable that carries the [`RunSpec`] to the inner process.
pub const SPEC_ENV: &str = "ROOMWAVE_SIM_SPEC";
/// How long after a scheduled kill a fresh Monado is started.
const RESTART_GAP: Duration = Duration::from_secs(2);

/// Everything one simulator run needs; passed from the outer to the inner process as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunSpec {
    /// The rootfs (absolute).
    pub rootfs: PathBuf,
    /// Monado's driver.
    pub driver: Driver,
    /// A visitor script to feed to the remote driver, e.g. `rest:1,wave:2,rest:1`.
    pub feed: Option<String>,
    /// The visitor's yaw in degrees (positive turns left).
    pub yaw_deg: f64,
    /// Time limit for the command, in seconds.
    pub timeout_s: f64,
    /// Seconds after the command's start at which Monado is killed and restarted.
    pub restart_monado_at: Vec<f64>,
    /// Where Monado's log goes (kept); `None`: a temporary file kept only on failure.
    pub log: Option<PathBuf>,
    /// Host directories bind-mounted into the rootfs at the same path.
    pub binds: Vec<PathBuf>,
    /// The working directory of the command (a host path, bound).
    pub workdir: PathBuf,
    /// Extra `VAR=value` pairs for Monado.
    pub monado_env: Vec<(String, String)>,
    /// The command and its arguments.
    pub command: Vec<String>,
}

impl RunSpec {
    /// A spec with the defaults: rootfs from the environment, simulated driver, 300 s,
    /// the current directory as working directory.
    pub fn new(command: Vec<String>) -> Result<Self> {
        let workdir =
            std::env::current_dir().map_err(|e| SimError::io("read the current directory", e))?;
        Ok(RunSpec {
            rootfs: RootfsConfig::from_env().path,
            driver: Driver::Simulated,
            feed: None,
            yaw_deg: 0.0,
            timeout_s: 300.0,
            restart_monado_at: Vec::new(),
            log: None,
            binds: Vec::new(),
            workdir,
            monado_env: Vec::new(),
            command,
        })
    }
}

/// Outer half: validates `spec`, then runs `self_exe inner_args...` in fresh
/// namespaces with the spec in [`SPEC_ENV`], and returns the command's exit status.
pub fn launch(mut spec: RunSpec, self_exe: &Path, inner_args: &[&str]) -> Result<i32> {
    if !namespace::is_root() {
        return Err(SimError::NotRoot {
            what: "roomwave sim run",
        });
    }
    check_options(&spec)?;
    let cfg = RootfsConfig {
        path: spec.rootfs.clone(),
        ..RootfsConfig::from_env()
    };
    if let Some(script) = &spec.feed {
        VisitorPlan::parse(script, spec.yaw_deg)?;
        spec.driver = Driver::Remote;
    }
    // Built on first use (about a minute, needs the Debian mirror), reused after.
    if rootfs::ready(&cfg).is_none() {
        tracing::info!("{}", rootfs::ensure(&cfg)?);
    }
    resolve_paths(&mut spec)?;
    let json = serde_json::to_string(&spec)
        .map_err(|e| SimError::Handover(format!("cannot encode the run spec: {e}")))?;
    let net = spec.driver == Driver::Remote;
    // Blocked here and (inherited) in the inner process, which takes them itself to
    // clean up; a signal to this process is passed on to it.
    let signals =
        TerminationSignals::block().map_err(|e| SimError::io("block termination signals", e))?;
    let mut cmd = Command::new(self_exe);
    cmd.args(inner_args).env(SPEC_ENV, json);
    // SAFETY: only syscalls in the child before exec.
    unsafe {
        cmd.pre_exec(move || {
            monado::die_with_parent()?;
            namespace::isolate(net)
        });
    }
    let mut inner = cmd.spawn().map_err(|source| SimError::Spawn {
        program: format!("{} (simulator, in new namespaces)", self_exe.display()),
        source,
    })?;
    loop {
        match inner.try_wait() {
            Ok(Some(status)) => return Ok(exit_code(status)),
            Ok(None) => {}
            Err(e) => return Err(SimError::io("wait for the simulator process", e)),
        }
        if let Some(sig) = signals.take_pending() {
            // SAFETY: signalling our own unreaped child.
            unsafe { libc::kill(inner.id() as libc::pid_t, sig) };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A week: far above any real run, and small enough for `Duration` arithmetic.
const MAX_SECONDS: f64 = 7.0 * 86400.0;

fn check_options(spec: &RunSpec) -> Result<()> {
    if spec.command.is_empty() {
        return Err(SimError::Usage(
            "no command given to run in the simulator".into(),
        ));
    }
    if !(spec.timeout_s > 0.0 && spec.timeout_s <= MAX_SECONDS) {
        return Err(SimError::Usage(format!(
            "--timeout must be between 0 and {MAX_SECONDS} seconds, got {}",
            spec.timeout_s
        )));
    }
    if let Some(bad) = spec
        .restart_monado_at
        .iter()
        .find(|s| !(**s >= 0.0 && **s <= MAX_SECONDS))
    {
        return Err(SimError::Usage(format!(
            "--restart-monado-at takes seconds between 0 and {MAX_SECONDS}, got {bad}"
        )));
    }
    Ok(())
}

fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(EXIT_SIM_FAILURE)
}

/// Makes every path absolute and adds the working directory and the command's
/// own directory (e.g. cargo's `target/debug`) to the bound directories.
fn resolve_paths(spec: &mut RunSpec) -> Result<()> {
    let canon = |p: &Path| {
        p.canonicalize()
            .map_err(|e| SimError::io(format!("resolve {}", p.display()), e))
    };
    spec.rootfs = canon(&spec.rootfs)?;
    spec.workdir = canon(&spec.workdir)?;
    let mut binds = Vec::new();
    if is_system_dir(&spec.workdir) {
        // Binding /tmp or /usr/... would hide the rootfs' own; run in its copy instead.
        let inside = spec
            .rootfs
            .join(spec.workdir.strip_prefix("/").unwrap_or(&spec.workdir));
        if !inside.is_dir() {
            spec.workdir = PathBuf::from("/");
        }
        tracing::warn!(
            "not binding the current directory (a system directory); the command runs in the \
             rootfs' {}",
            spec.workdir.display()
        );
    } else {
        binds.push(spec.workdir.clone());
    }
    // A host file (e.g. target/debug/roomwave) is made visible by binding its
    // directory; any other path is taken to be inside the rootfs.
    let exe = Path::new(&spec.command[0]);
    if spec.command[0].contains('/') && exe.is_file() {
        let exe = canon(exe)?;
        if let Some(dir) = exe.parent().filter(|d| !is_system_dir(d)) {
            binds.push(dir.to_path_buf());
            spec.command[0] = exe.display().to_string();
        }
    }
    for b in &spec.binds {
        binds.push(canon(b)?);
    }
    if let Some(log) = &spec.log {
        let abs = if log.is_absolute() {
            log.clone()
        } else {
            spec.workdir.join(log)
        };
        spec.log = Some(abs);
    }
    spec.binds = binds;
    Ok(())
}

/// Inner half: runs in the namespaces [`launch`] made. Returns the command's exit status.
pub fn run_inside(spec: &RunSpec) -> Result<i32> {
    let signals =
        TerminationSignals::block().map_err(|e| SimError::io("block termination signals", e))?;
    let rootfs = &spec.rootfs;
    SystemMounts::new(rootfs)?.mount_fork_safe().map_err(|e| {
        SimError::io(
            format!("mount proc, sys and dev in {}", rootfs.display()),
            e,
        )
    })?;
    let _binds = Binds::mount(rootfs, &spec.binds)?;
    run_with_mounts(spec, &signals)
}

fn run_with_mounts(spec: &RunSpec, signals: &TerminationSignals) -> Result<i32> {
    let runtime = RuntimeDir::create(&spec.rootfs)?;
    let (log, keep_log) = match &spec.log {
        Some(l) => (l.clone(), true),
        None => (
            std::env::temp_dir().join(format!("roomwave-sim-monado.{}.log", std::process::id())),
            false,
        ),
    };
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| SimError::io(format!("create the log directory {}", dir.display()), e))?;
    }
    let _ = std::fs::remove_file(&log);
    let mcfg = MonadoConfig {
        rootfs: &spec.rootfs,
        runtime_dir: &runtime.inside,
        driver: spec.driver,
        log: &log,
        extra_env: &spec.monado_env,
    };
    let monado = MonadoService::start(&mcfg)?;
    let feeder = match &spec.feed {
        Some(script) => {
            let plan = VisitorPlan::parse(script, spec.yaw_deg)?;
            let cfg = FeedConfig::local(plan, None);
            match FeederThread::start(cfg) {
                Ok(f) => Some(f),
                Err(e) => {
                    monado.stop();
                    return Err(e);
                }
            }
        }
        None => None,
    };
    let mut monado = Some(monado);
    let outcome = supervise(spec, &mcfg, &mut monado, &runtime, signals);
    // The feeder goes first, so it does not see Monado vanish and try to reconnect.
    if let Some(f) = feeder {
        match f.stop() {
            Ok(stats) => tracing::info!("hand feeder: {stats}"),
            Err(e) => tracing::warn!("{e}"),
        }
    }
    if let Some(m) = monado {
        m.stop();
    }
    match &outcome {
        Ok(_) if !keep_log => {
            let _ = std::fs::remove_file(&log);
        }
        _ => tracing::info!("monado-service log: {}", log.display()),
    }
    outcome
}

/// Runs the command, restarting Monado on schedule (the caller stops the one left).
fn supervise(
    spec: &RunSpec,
    mcfg: &MonadoConfig,
    monado: &mut Option<MonadoService>,
    runtime: &RuntimeDir,
    signals: &TerminationSignals,
) -> Result<i32> {
    let mut child = match spawn_command(spec, runtime) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let t0 = Instant::now();
    let limit = Duration::from_secs_f64(spec.timeout_s);
    let mut kills: Vec<Duration> = spec
        .restart_monado_at
        .iter()
        .map(|s| Duration::from_secs_f64(*s))
        .collect();
    kills.sort();
    kills.reverse();
    let mut restart_due: Option<Instant> = None;
    let mut warned_dead = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Ok(s),
            Ok(None) => {}
            Err(e) => return Err(SimError::io("wait for the command", e)),
        }
        let now = t0.elapsed();
        if now >= limit {
            break Err(EXIT_TIMEOUT);
        }
        if let Some(sig) = signals.take_pending() {
            tracing::warn!("signal {sig} received: stopping the command and the simulator");
            break Err(128 + sig);
        }
        if kills.last().is_some_and(|k| now >= *k) {
            kills.pop();
            if let Some(mut m) = monado.take() {
                tracing::info!(
                    "killing monado-service (pid {}) with SIGKILL at t={:.1} s, as scheduled",
                    m.pid(),
                    now.as_secs_f64()
                );
                m.kill();
            }
            restart_due = Some(Instant::now() + RESTART_GAP);
        }
        if restart_due.is_some_and(|d| Instant::now() >= d) {
            restart_due = None;
            tracing::info!("starting a fresh monado-service");
            *monado = Some(MonadoService::start(mcfg)?);
        }
        if let Some(m) = monado.as_mut()
            && !warned_dead
            && !m.is_running()
        {
            tracing::warn!(
                "monado-service died while the command ran (log: {})",
                mcfg.log.display()
            );
            warned_dead = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let code = match status {
        Ok(s) => exit_code(s),
        Err(code) => {
            if code == EXIT_TIMEOUT {
                tracing::error!(
                    "the command ran past its {} s time limit; stopping it",
                    spec.timeout_s
                );
            }
            terminate(&mut child);
            code
        }
    };
    tracing::info!(
        "command exited with status {code} after {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(code)
}

/// SIGTERM, then SIGKILL after 10 s.
fn terminate(child: &mut std::process::Child) {
    // SAFETY: signalling our own unreaped child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts the command in the chroot; on failure returns the exit status to report.
fn spawn_command(
    spec: &RunSpec,
    runtime: &RuntimeDir,
) -> std::result::Result<std::process::Child, i32> {
    let signals = TerminationSignals::handled();
    let target = ChrootTarget::new(&spec.rootfs, &spec.workdir).map_err(|e| {
        tracing::error!("{e}");
        EXIT_SIM_FAILURE
    })?;
    let mut cmd = Command::new(&spec.command[0]);
    cmd.args(&spec.command[1..]);
    for var in [
        "LD_LIBRARY_PATH",
        "LD_PRELOAD",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XAUTHORITY",
        SPEC_ENV,
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(monado::runtime_env(&runtime.inside))
        .env("XRSIM", "1")
        .env("XRSIM_DRIVER", spec.driver.name());
    if spec.driver == Driver::Remote {
        cmd.env("XRSIM_REMOTE_PORT", monado::REMOTE_PORT.to_string());
    }
    // SAFETY: only syscalls on memory prepared before the fork.
    unsafe {
        cmd.pre_exec(move || {
            monado::die_with_parent()?;
            signals.unblock()?;
            target.enter()
        });
    }
    tracing::info!(
        "running in the simulator: {} (time limit {} s, cwd {})",
        spec.command.join(" "),
        spec.timeout_s,
        spec.workdir.display()
    );
    cmd.spawn().map_err(|e| {
        tracing::error!(
            "cannot start {} inside the simulator rootfs: {e}",
            spec.command[0]
        );
        if e.kind() == std::io::ErrorKind::NotFound {
            EXIT_NOT_FOUND
        } else {
            EXIT_SIM_FAILURE
        }
    })
}

/// Reads the spec the outer process left in [`SPEC_ENV`].
pub fn spec_from_env() -> Result<RunSpec> {
    let raw: OsString = std::env::var_os(SPEC_ENV).ok_or_else(|| {
        SimError::Handover(format!(
            "{SPEC_ENV} is not set; this subcommand is internal to `roomwave sim run`"
        ))
    })?;
    serde_json::from_str(&raw.to_string_lossy())
        .map_err(|e| SimError::Handover(format!("{SPEC_ENV} is not a valid run spec: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_round_trips_through_json() {
        let mut s = RunSpec::new(vec!["/bin/true".into(), "a b".into()]).unwrap();
        s.feed = Some("rest:1,wave:2".into());
        s.restart_monado_at = vec![3.5];
        let back: RunSpec = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back.command, s.command);
        assert_eq!(back.feed, s.feed);
        assert_eq!(back.restart_monado_at, vec![3.5]);
        assert_eq!(back.driver, Driver::Simulated);
    }

    #[test]
    fn out_of_range_options_are_refused() {
        let ok = RunSpec::new(vec!["/bin/true".into()]).unwrap();
        assert!(check_options(&ok).is_ok());
        for (timeout, restarts) in [
            (0.0, vec![]),
            (f64::NAN, vec![]),
            (f64::INFINITY, vec![]),
            (1e300, vec![]),
            (10.0, vec![-1.0]),
            (10.0, vec![1.0, f64::NAN]),
            (10.0, vec![f64::INFINITY]),
        ] {
            let mut s = ok.clone();
            s.timeout_s = timeout;
            s.restart_monado_at = restarts.clone();
            let e = check_options(&s).unwrap_err();
            assert!(
                matches!(e, SimError::Usage(_)),
                "{timeout} {restarts:?}: {e}"
            );
        }
        let mut s = ok.clone();
        s.command.clear();
        assert!(check_options(&s).is_err());
    }

    #[test]
    fn signals_map_to_128_plus_signal() {
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
    }
}

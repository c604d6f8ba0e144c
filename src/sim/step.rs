//! One time-limited helper program (apt-get, debootstrap...) whose output goes to a log file.

use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::error::{Result, SimError, log_tail};

/// Runs `cmd` with stdin closed and stdout + stderr appended to `log`, killing it
/// after `limit`. Fails with [`SimError::StepFailed`] (log tail included) unless it exits 0.
pub fn run_step(step: &str, cmd: &mut Command, log: &Path, limit: Duration) -> Result<()> {
    let out = File::options()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| SimError::io(format!("open log {}", log.display()), e))?;
    let err = out
        .try_clone()
        .map_err(|e| SimError::io(format!("open log {}", log.display()), e))?;
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|source| SimError::Spawn { program, source })?;
    let status = match wait_limited(&mut child, limit)? {
        Some(s) if s.success() => return Ok(()),
        Some(s) => s.to_string(),
        None => format!("timed out after {} s", limit.as_secs()),
    };
    Err(SimError::StepFailed {
        step: step.to_string(),
        status,
        log: log.to_path_buf(),
        tail: log_tail(log, 15),
    })
}

/// Waits for `child` at most `limit`; on time-out kills it, reaps it and returns `None`.
pub fn wait_limited(child: &mut Child, limit: Duration) -> Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Ok(Some(s)),
            Ok(None) => {}
            Err(e) => return Err(SimError::io("wait for a child process", e)),
        }
        if Instant::now() >= deadline {
            // Already-exited races are harmless: kill then fails with ESRCH-like errors we ignore.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

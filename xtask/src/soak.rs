//! `cargo xtask soak [--minutes N]`: a kiosk run in the simulator with scripted
//! visitors for N minutes, sampling the app's resident memory; prints warm-up
//! against end memory, its slope, frames and missed frames, and writes JSON.
//! A bench, not part of `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::system;

/// Two visitors, 45 s each, repeated for the whole run.
/// - The first puts the headset on, waves, looks around, swipes each way,
///   loses hand tracking, then takes the headset off and puts it down: the
///   idle timeout ends the visit (about 30 s after the wave).
/// - The second waves and then only looks around (auto-advance shows the
///   options): the time limit ends the visit, after the countdown.
const VISITOR_CYCLE: &str = "rest:6,wave:3,look:6,swipe-left:1,rest:3,swipe-right:1,lost:3,off:22,\
     rest:6,wave:3,look:36";
const CYCLE_S: f64 = 90.0;

/// Kiosk rules short enough that every visitor's visit ends before the next
/// arrives: the idle timeout after the headset is put down (off at 23 s,
/// idle from about 26.5 s), the time limit for the visitor who stays.
const KIOSK_CONFIG: &str = "[kiosk]
idle_timeout_s = 10.0
auto_advance_s = 5.0
visit_limit_s = 32.0
countdown_s = 5.0
";

/// Seconds between memory samples.
const SAMPLE_S: u64 = 5;
/// Memory before this is start-up (allocator pools, driver caches, shader
/// compilation); growth is measured after it.
const WARMUP_S: f64 = 60.0;
/// The window at each end whose median is reported (noise of single samples).
const WINDOW_S: f64 = 60.0;
/// Slope of resident memory after warm-up above which the run counts as
/// growing: 64 KiB a minute is 30 MiB over an 8-hour day.
const MAX_SLOPE_KIB_PER_MIN: f64 = 64.0;
/// The simulator's own bound on the script (`sim/visitor/script.rs`).
const MAX_MINUTES: f64 = 59.0;

struct Args {
    minutes: f64,
    out: PathBuf,
}

fn parse(args: &[String]) -> anyhow::Result<Args> {
    let mut parsed = Args {
        minutes: 30.0,
        out: system::workspace_root().join("out/soak"),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .with_context(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--minutes" => {
                let v = value("--minutes")?;
                parsed.minutes = v
                    .parse()
                    .with_context(|| format!("--minutes: '{v}' is not a number"))?;
            }
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            other => bail!("soak: unknown argument '{other}' (known: --minutes N, --out DIR)"),
        }
    }
    if !(parsed.minutes >= 2.0 && parsed.minutes <= MAX_MINUTES) {
        bail!(
            "--minutes must be between 2 and {MAX_MINUTES}, got {}",
            parsed.minutes
        );
    }
    Ok(parsed)
}

/// Set-up, the run with sampling, the summary.
pub fn main(args: &[String]) -> anyhow::Result<()> {
    let args = parse(args)?;
    system::ensure_packages()?;
    let roomwave = system::build_roomwave(true)?;
    system::sim_setup(&roomwave)?;
    let out = &args.out;
    std::fs::create_dir_all(out).with_context(|| format!("create {}", out.display()))?;
    let config = out.join("station.toml");
    std::fs::write(&config, KIOSK_CONFIG).with_context(|| format!("write {}", config.display()))?;
    let report = out.join("report.json");
    let visits = out.join("visits.jsonl");
    for old in [&report, &visits] {
        let _ = std::fs::remove_file(old);
    }
    let seconds = args.minutes * 60.0;
    let cycles = ((seconds + 30.0) / CYCLE_S).ceil() as usize;
    let script = vec![VISITOR_CYCLE; cycles].join(",");
    let mut cmd = Command::new(&roomwave);
    cmd.current_dir(system::workspace_root())
        .args(["sim", "run", "--feed", &script, "--timeout"])
        .arg(format!("{}", seconds + 180.0))
        .arg("--log")
        .arg(out.join("monado.log"))
        .arg("--")
        .arg(&roomwave)
        .args(["run", "--kiosk", "--config"])
        .arg(&config)
        .arg("--report")
        .arg(&report)
        .arg("--visit-log")
        .arg(&visits)
        .args(["--max-seconds", &format!("{seconds}")]);
    println!(
        "xtask: soak: {} min kiosk run in the simulator, a visitor every {CYCLE_S} s, memory every {SAMPLE_S} s",
        args.minutes
    );
    let child = cmd.spawn().context("cannot start roomwave sim run")?;
    let samples = sample_until_exit(child, &roomwave)?;
    summarise(&args, &samples, &report, &visits)
}

/// `(seconds since the app appeared, VmRSS KiB)` of the app until the run ends.
fn sample_until_exit(mut child: Child, roomwave: &Path) -> anyhow::Result<Vec<(f64, u64)>> {
    let mut samples = Vec::new();
    let mut app: Option<(u32, Instant)> = None;
    loop {
        if let Some(status) = child.try_wait().context("waiting for the simulator")? {
            if !status.success() {
                bail!("roomwave sim run failed ({status})");
            }
            return Ok(samples);
        }
        if app.is_none() {
            app = find_app(child.id(), roomwave).map(|pid| (pid, Instant::now()));
        }
        if let Some((pid, since)) = app
            && let Some(kib) = vm_rss_kib(pid)
        {
            samples.push((since.elapsed().as_secs_f64(), kib));
        }
        let step = if app.is_some() { SAMPLE_S * 1000 } else { 200 };
        std::thread::sleep(Duration::from_millis(step));
    }
}

/// The `roomwave run` process under `root` (the simulator's own processes are
/// `roomwave sim ...`).
fn find_app(root: u32, roomwave: &Path) -> Option<u32> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // Field 4 (ppid) follows the command name in parentheses, which may hold spaces.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let descends = |mut pid: u32| {
        for _ in 0..16 {
            match parents.iter().find(|(p, _)| *p == pid) {
                Some(&(_, parent)) if parent == root => return true,
                Some(&(_, parent)) => pid = parent,
                None => return false,
            }
        }
        false
    };
    let name = roomwave.file_name()?;
    parents.iter().map(|&(pid, _)| pid).find(|&pid| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let mut argv = cmdline.split(|&b| b == 0);
        let exe = argv.next().unwrap_or_default();
        exe.ends_with(name.as_encoded_bytes())
            && argv.next() == Some(b"run".as_slice())
            && descends(pid)
    })
}

fn vm_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(values: &mut [u64]) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

/// Least-squares slope of `(t s, kib)` in KiB per minute.
fn slope_per_minute(points: &[(f64, u64)]) -> f64 {
    let n = points.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mt = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mk = points.iter().map(|p| p.1 as f64).sum::<f64>() / n;
    let cov: f64 = points.iter().map(|p| (p.0 - mt) * (p.1 as f64 - mk)).sum();
    let var: f64 = points.iter().map(|p| (p.0 - mt).powi(2)).sum();
    if var == 0.0 { 0.0 } else { cov / var * 60.0 }
}

fn summarise(
    args: &Args,
    samples: &[(f64, u64)],
    report_path: &Path,
    visits_path: &Path,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(report_path)
        .with_context(|| format!("the run wrote no report at {}", report_path.display()))?;
    let report: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not JSON", report_path.display()))?;
    let visits = std::fs::read_to_string(visits_path).unwrap_or_default();
    let visit_count = visits.lines().filter(|l| !l.trim().is_empty()).count();
    let after: Vec<(f64, u64)> = samples
        .iter()
        .copied()
        .filter(|s| s.0 >= WARMUP_S)
        .collect();
    let end_t = samples.last().map_or(0.0, |s| s.0);
    let mut warm: Vec<u64> = after
        .iter()
        .filter(|s| s.0 < WARMUP_S + WINDOW_S)
        .map(|s| s.1)
        .collect();
    let mut end: Vec<u64> = after
        .iter()
        .filter(|s| s.0 > end_t - WINDOW_S)
        .map(|s| s.1)
        .collect();
    let (warm, end) = match (median(&mut warm), median(&mut end)) {
        (Some(w), Some(e)) => (w, e),
        _ => bail!(
            "only {} memory samples: the app did not run past warm-up ({WARMUP_S} s)",
            samples.len()
        ),
    };
    let slope = slope_per_minute(&after);
    let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let n = |key: &str| report[key].as_u64().unwrap_or(0);
    let (submitted, rendered, missed) = (
        n("frames_submitted"),
        n("frames_rendered"),
        n("frames_missed"),
    );
    let errors = report["errors"].as_array().map_or(0, Vec::len);
    let growing = slope > MAX_SLOPE_KIB_PER_MIN;
    let summary = json!({
        "minutes": args.minutes,
        "samples": samples.len(),
        "sample_every_s": SAMPLE_S,
        "warmup_s": WARMUP_S,
        "rss_warm_kib": warm,
        "rss_end_kib": end,
        "rss_peak_kib": peak,
        "rss_slope_kib_per_min": slope,
        "frames_submitted": submitted,
        "frames_rendered": rendered,
        "frames_missed": missed,
        "frames_per_second": submitted as f64 / end_t.max(1.0),
        "frame_time_ms": report["frame_time_ms"],
        "render_scale": report["render_scale"],
        "visits": visit_count,
        "options_shown": report["options"].as_array().map_or(0, Vec::len),
        "runtime_losses": n("runtime_losses"),
        "errors": errors,
        "ended_cleanly": report["ended_cleanly"],
        "rss": samples.iter().map(|s| [s.0, s.1 as f64]).collect::<Vec<_>>(),
    });
    let out = args.out.join("soak.json");
    std::fs::write(&out, serde_json::to_string_pretty(&summary)?)
        .with_context(|| format!("write {}", out.display()))?;
    println!(
        "xtask: soak: {:.1} min, {} samples\n  resident memory: {warm} KiB after warm-up, {end} KiB at the end ({:+} KiB), peak {peak} KiB, slope {slope:+.1} KiB/min\n  frames: {submitted} submitted ({:.1}/s), {rendered} rendered, {missed} missed; frame time {}\n  render scale (dynamic resolution): {}\n  visits: {visit_count}, errors: {errors}, ended cleanly: {}\n  written: {}",
        end_t / 60.0,
        samples.len(),
        end as i64 - warm as i64,
        submitted as f64 / end_t.max(1.0),
        report["frame_time_ms"],
        report["render_scale"],
        report["ended_cleanly"],
        out.display()
    );
    let mut failures = Vec::new();
    if growing {
        failures.push(format!(
            "resident memory grows {slope:.1} KiB/min after warm-up (limit {MAX_SLOPE_KIB_PER_MIN})"
        ));
    }
    if missed > 0 {
        failures.push(format!("{missed} frames missed"));
    }
    if report["ended_cleanly"] != true {
        failures.push("the session did not end cleanly".into());
    }
    if failures.is_empty() {
        println!("xtask: soak: passed");
        Ok(())
    } else {
        bail!("soak: {}", failures.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line_and_of_noise() {
        let line: Vec<_> = (0..20).map(|i| (i as f64 * 6.0, 1000 + i * 10)).collect();
        // 10 KiB every 6 s = 100 KiB/min.
        assert!((slope_per_minute(&line) - 100.0).abs() < 1e-9);
        let flat: Vec<_> = (0..20).map(|i| (i as f64, 500 + (i % 2) * 8)).collect();
        assert!(slope_per_minute(&flat).abs() < 30.0);
        assert_eq!(slope_per_minute(&[(0.0, 1)]), 0.0);
    }

    #[test]
    fn arguments() {
        let a = parse(&["--minutes".into(), "12".into()]).unwrap();
        assert_eq!(a.minutes, 12.0);
        assert!(parse(&["--minutes".into(), "600".into()]).is_err());
        assert!(parse(&["--minutes".into()]).is_err());
        assert!(parse(&["--frobs".into()]).is_err());
    }

    #[test]
    fn the_script_fits_the_simulators_limit() {
        let cycles = ((MAX_MINUTES * 60.0 + 30.0) / CYCLE_S).ceil();
        assert!(cycles * CYCLE_S <= 3600.0);
        let total: f64 = VISITOR_CYCLE
            .split(',')
            .map(|s| s.split_once(':').unwrap().1.parse::<f64>().unwrap())
            .sum();
        assert_eq!(total, CYCLE_S);
    }
}

//! `roomwave bench`: fixed scenarios offscreen on the default catalog, at one
//! or more eye sizes, printed as a table (medians and p99) and written as JSON.
//!
//! Scenarios, per size, each after [`WARM_UP`] frames that are not counted:
//! - `steady`: the option with the most triangles, the head sweeping ±30°
//!   of yaw so culling and blend sorting see changing views;
//! - `switch`: option 1, a "next" command a quarter of the way in, the fade
//!   of the run's default length on a 90 Hz clock, the swap at its midpoint.
//!
//! The frame loop is the run's: wait for the frame slot (not counted as app
//! time), update the decoration, the transition and the residency (the
//! worker's finished uploads are submitted here), record and submit. As in
//! `roomwave run`, only the bare house is uploaded before the first frame;
//! options are loaded on the worker, and each scenario starts once the
//! options near its first one are resident (a wearer looks at an option for
//! seconds before waving).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use ash::vk;
use glam::Vec3;
use roomwave::app::{
    Command, Decorator, MAX_RESIDENT_OPTIONS, ResidencyConfig, Shown, Transition, TransitionConfig,
};
use roomwave::catalog::{CatalogLimits, StagedCatalog, open_default_catalog};
use roomwave::render::{
    EyeView, FadeRenderer, Fov, Gpu, GpuOptions, MAX_OFFSCREEN_SIDE, OFFSCREEN_COLOR_FORMAT,
    OFFSCREEN_DEPTH_FORMAT, OffscreenTarget, OptionScenes, ResidentScenes, SceneId, StereoRenderer,
};
use serde::Serialize;

/// Frames drawn before measuring: lavapipe compiles shader variants lazily
/// on first use, and the first frames pay for it.
const WARM_UP: usize = 5;
/// The simulated display rate: the transition's clock advances this much per frame.
const FRAME_SECONDS: f64 = 1.0 / 90.0;
/// Longest wait for the options near a scenario's first one to be uploaded.
const SETTLE_LIMIT: Duration = Duration::from_secs(180);

/// Arguments of `roomwave bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Eye sizes to measure, comma-separated (each eye; both are drawn).
    #[arg(long, value_name = "WxH,...", default_value = "1024x1024,2064x2208", value_parser = parse_sizes)]
    sizes: Sizes,
    /// Measured frames per scenario and size.
    #[arg(long, value_name = "N", default_value_t = 60)]
    frames: usize,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Option scenes kept on the GPU, as `[residency] resident_options`.
    #[arg(long, value_name = "N", default_value_t = ResidencyConfig::default().resident_options)]
    resident_options: usize,
}

/// Eye sizes, in the order given (a newtype, so clap takes the list as one value).
#[derive(Clone, Debug, PartialEq)]
struct Sizes(Vec<(u32, u32)>);

fn parse_sizes(text: &str) -> Result<Sizes, String> {
    text.split(',')
        .map(parse_size)
        .collect::<Result<_, _>>()
        .map(Sizes)
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .trim()
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not WIDTHxHEIGHT, e.g. 2064x2208"))?;
    let side = |s: &str| -> Result<u32, String> {
        match s.trim().parse::<u32>() {
            Ok(v) if (1..=MAX_OFFSCREEN_SIDE).contains(&v) => Ok(v),
            Ok(v) => Err(format!(
                "{v} px in `{text}` is outside 1..={MAX_OFFSCREEN_SIDE}"
            )),
            Err(_) => Err(format!("`{s}` in `{text}` is not a whole number of pixels")),
        }
    };
    Ok((side(w)?, side(h)?))
}

/// Median and 99th percentile (nearest rank) of a set of samples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
struct Spread {
    median: f64,
    p99: f64,
}

impl Spread {
    fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank =
            |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
        Some(Spread {
            median: rank(0.5),
            p99: rank(0.99),
        })
    }
}

/// The figures of one scenario at one size.
#[derive(Debug, Serialize)]
struct ScenarioFigures {
    scenario: &'static str,
    frames: usize,
    /// App CPU time per stereo frame: update, culling, recording, submit.
    cpu_ms: Spread,
    /// GPU time per stereo frame (timestamps); `None` where the queue has none.
    gpu_ms: Option<Spread>,
    /// Wall time per frame including the wait for the GPU.
    frame_ms: Spread,
    draw_calls: Spread,
    triangles: Spread,
    /// Worst frame time around the swap over the median frame time (`switch` only).
    switch_ratio: Option<f64>,
}

/// Everything measured at one size.
#[derive(Debug, Serialize)]
struct SizeFigures {
    width: u32,
    height: u32,
    scenarios: Vec<ScenarioFigures>,
    /// Most option scenes holding GPU memory at once (the bare house not counted).
    max_resident_options: usize,
    /// Most GPU memory held by scenes at once (bare house included), MiB.
    max_scene_gpu_mib: f64,
}

/// The whole run, as written to `--json`.
#[derive(Debug, Serialize)]
struct BenchFigures {
    device: String,
    per_eye_passes: bool,
    samples: u32,
    cpus: usize,
    release_build: bool,
    /// From process start to the first frame finished on the GPU.
    start_to_first_frame_ms: f64,
    /// Option scenes wanted on the GPU (`--resident-options`).
    resident_options: usize,
    /// Peak resident memory (VmHWM) at the end.
    peak_rss_mib: f64,
    sizes: Vec<SizeFigures>,
}

/// Runs the command.
pub fn main(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let before_main = seconds_since_process_start().unwrap_or(0.0);
    if args.frames < 8 {
        bail!("--frames {} is too few: give at least 8", args.frames);
    }
    if cfg!(debug_assertions) {
        tracing::warn!("a debug build: figures are far from a release build's");
    }
    if !(1..=MAX_RESIDENT_OPTIONS).contains(&args.resident_options) {
        bail!(
            "--resident-options {}: choose 1 to {MAX_RESIDENT_OPTIONS}",
            args.resident_options
        );
    }
    let catalog = Arc::new(
        open_default_catalog(&CatalogLimits::default())
            .context("the embedded catalog")?
            .with_cached_options(args.resident_options),
    );
    if catalog.catalog.options.len() < 2 {
        bail!("the default catalog has fewer than 2 options");
    }
    let scenes = OptionScenes::of_catalog(&catalog, args.resident_options);
    let gpu = Gpu::offscreen(&GpuOptions { validation: false })?;
    let mut first_frame_ms = None;
    let mut heaviest = None;
    let mut sizes = Vec::new();
    let mut samples = 1;
    for &(width, height) in &args.sizes.0 {
        let mut rig = Rig::new(&gpu, &scenes, vk::Extent2D { width, height })?;
        samples = rig.stereo.sample_count().as_raw();
        if first_frame_ms.is_none() {
            rig.first_frame(&gpu)?;
            first_frame_ms = Some((before_main + started.elapsed().as_secs_f64()) * 1e3);
        }
        let option = match heaviest {
            Some(i) => i,
            None => *heaviest.insert(heaviest_option(&catalog)?),
        };
        let steady = rig.steady(&gpu, option, args.frames)?;
        let switch = rig.switch(&gpu, args.frames)?;
        rig.stereo.wait_idle(&gpu);
        let report = rig.scenes.report();
        sizes.push(SizeFigures {
            width,
            height,
            scenarios: vec![steady, switch],
            max_resident_options: report.max_resident_options,
            max_scene_gpu_mib: report.max_scene_bytes as f64 / (1024.0 * 1024.0),
        });
    }
    let figures = BenchFigures {
        device: gpu.device_name().to_owned(),
        per_eye_passes: gpu.per_eye_passes(),
        samples,
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        release_build: !cfg!(debug_assertions),
        start_to_first_frame_ms: first_frame_ms.unwrap_or(0.0),
        resident_options: args.resident_options,
        peak_rss_mib: peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
        sizes,
    };
    print!("{}", table(&figures));
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&figures).context("serialising the figures")?;
        std::fs::write(path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Index of the option with the most triangles (each option's scene built
/// on the CPU once, after the first frame was measured).
fn heaviest_option(catalog: &StagedCatalog) -> anyhow::Result<usize> {
    let mut best = (0, 0);
    for i in 0..catalog.catalog.options.len() {
        match catalog.load_option(i) {
            Ok(scene) if scene.indices.len() > best.1 => best = (i, scene.indices.len()),
            Ok(_) => {}
            Err(e) => tracing::warn!("option {} skipped: {e}", i + 1),
        }
    }
    Ok(best.0)
}

/// A renderer, its target, the bare house on the GPU and the options
/// loaded around the shown one (as `roomwave run` keeps them), at one size.
struct Rig {
    /// Drawn into; held for as long as the renderer uses it.
    _target: OffscreenTarget,
    stereo: StereoRenderer,
    fade: FadeRenderer,
    scenes: ResidentScenes,
    /// Frames drawn so far (the clock and the head's sweep).
    frame: usize,
}

/// Per-frame samples of one scenario, allocated before it starts.
#[derive(Default)]
struct Samples {
    cpu: Vec<f64>,
    gpu: Vec<f64>,
    frame: Vec<f64>,
    draws: Vec<f64>,
    triangles: Vec<f64>,
}

impl Samples {
    fn with_capacity(n: usize) -> Samples {
        Samples {
            cpu: Vec::with_capacity(n),
            gpu: Vec::with_capacity(n),
            frame: Vec::with_capacity(n),
            draws: Vec::with_capacity(n),
            triangles: Vec::with_capacity(n),
        }
    }

    fn figures(&self, scenario: &'static str, switch_ratio: Option<f64>) -> ScenarioFigures {
        let spread = |s: &[f64]| Spread::of(s).unwrap_or_default();
        ScenarioFigures {
            scenario,
            frames: self.frame.len(),
            cpu_ms: spread(&self.cpu),
            gpu_ms: Spread::of(&self.gpu),
            frame_ms: spread(&self.frame),
            draw_calls: spread(&self.draws),
            triangles: spread(&self.triangles),
            switch_ratio,
        }
    }
}

/// Both eyes at standing height near the room's centre, yaw swinging ±30°.
fn head_at(frame: usize) -> [EyeView; 2] {
    let yaw = 30.0 * (frame as f32 * 0.05).sin();
    EyeView::stereo_pair(Vec3::new(0.3, 1.6, 0.8), yaw, 0.063, Fov::symmetric(90.0))
}

impl Rig {
    fn new(gpu: &Gpu, scenes: &OptionScenes, extent: vk::Extent2D) -> anyhow::Result<Rig> {
        let target = OffscreenTarget::new(gpu, extent)?;
        let mut stereo =
            StereoRenderer::new(gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)?;
        stereo.set_targets(gpu, &[target.image()], None)?;
        if !stereo.enable_gpu_timing()? {
            tracing::warn!("the queue writes no timestamps: no GPU times");
        }
        let resident = ResidentScenes::start(&mut stereo, gpu, scenes)?;
        let fade = FadeRenderer::new(gpu, &stereo, [0.0; 3])?;
        Ok(Rig {
            _target: target,
            stereo,
            fade,
            scenes: resident,
            frame: 0,
        })
    }

    fn bare(&self) -> anyhow::Result<SceneId> {
        self.scenes
            .scene(Shown::Bare)
            .context("the bare house is not uploaded")
    }

    /// The bare room once, waited for: what a wearer sees first.
    fn first_frame(&mut self, gpu: &Gpu) -> anyhow::Result<()> {
        let scene = self.bare()?;
        self.stereo.render(gpu, 0, &head_at(0), scene)?;
        self.stereo.wait_idle(gpu);
        self.frame += 1;
        Ok(())
    }

    /// Draws unmeasured frames until the options near `option` are on the
    /// GPU and the fade to it has ended, then [`WARM_UP`] more.
    fn settle(
        &mut self,
        gpu: &Gpu,
        option: usize,
        decorator: &mut Decorator,
        transition: &mut Transition,
    ) -> anyhow::Result<()> {
        decorator.show(Shown::Option(option));
        let since = Instant::now();
        let mut unused = Samples::default();
        // Residency settles in `frame` after the transition looked: the fade
        // to the option starts a frame later, and must have ended too.
        while !self.scenes.settled(decorator.shown())
            || transition.fading()
            || transition.drawn() != decorator.shown()
        {
            if since.elapsed() > SETTLE_LIMIT {
                bail!(
                    "the options near option {} were not uploaded within {SETTLE_LIMIT:?}",
                    option + 1
                );
            }
            self.frame(gpu, None, decorator, transition, &mut unused, false)?;
        }
        for _ in 0..WARM_UP {
            self.frame(gpu, None, decorator, transition, &mut unused, false)?;
        }
        Ok(())
    }

    fn steady(
        &mut self,
        gpu: &Gpu,
        option: usize,
        frames: usize,
    ) -> anyhow::Result<ScenarioFigures> {
        let mut decorator = Decorator::new(self.scenes.residency().option_count());
        let mut transition = Transition::new(&TransitionConfig::default(), Shown::Bare);
        self.settle(gpu, option, &mut decorator, &mut transition)?;
        let mut samples = Samples::with_capacity(frames);
        for _ in 0..frames {
            self.frame(
                gpu,
                None,
                &mut decorator,
                &mut transition,
                &mut samples,
                true,
            )?;
        }
        Ok(samples.figures("steady", None))
    }

    fn switch(&mut self, gpu: &Gpu, frames: usize) -> anyhow::Result<ScenarioFigures> {
        let mut decorator = Decorator::new(self.scenes.residency().option_count());
        let config = TransitionConfig::default();
        let mut transition = Transition::new(&config, Shown::Bare);
        self.settle(gpu, 0, &mut decorator, &mut transition)?;
        let mut samples = Samples::with_capacity(frames);
        let command_at = frames / 4;
        // At least `frames`, and on until 8 after the swap: with one option
        // resident the next is loaded only after the wave.
        let since = Instant::now();
        let mut swap_at = None;
        let mut frame = 0;
        while frame < frames || swap_at.is_none_or(|s| frame < s + 8) {
            if since.elapsed() > SETTLE_LIMIT {
                bail!("the switch scenario's option did not swap within {SETTLE_LIMIT:?}");
            }
            let command = (frame == command_at).then_some(Command::Next);
            let swapped = self.frame(
                gpu,
                command,
                &mut decorator,
                &mut transition,
                &mut samples,
                true,
            )?;
            if swapped {
                swap_at = Some(frame);
            }
            frame += 1;
        }
        let Some(swap) = swap_at else {
            bail!("the switch scenario's option never swapped");
        };
        let median = Spread::of(&samples.frame).map_or(0.0, |s| s.median);
        // The swap frame and the two after it: a new scene's first frames are
        // where a late upload or a first-use cost would show.
        let window = &samples.frame[swap.saturating_sub(1)..(swap + 3).min(samples.frame.len())];
        let worst = window.iter().copied().fold(0.0, f64::max);
        let ratio = if median > 0.0 { worst / median } else { 0.0 };
        Ok(samples.figures("switch", Some(ratio)))
    }

    /// One frame of the run's loop; returns whether the drawn option swapped.
    fn frame(
        &mut self,
        gpu: &Gpu,
        command: Option<Command>,
        decorator: &mut Decorator,
        transition: &mut Transition,
        samples: &mut Samples,
        measured: bool,
    ) -> anyhow::Result<bool> {
        let frame = self.frame;
        self.frame += 1;
        let t = frame as f64 * FRAME_SECONDS;
        let frame_start = Instant::now();
        self.stereo.wait_next_slot()?;
        let gpu_ms = self.stereo.gpu_time_ms();
        let app_start = Instant::now();
        if let Some(command) = command {
            decorator.apply(command, t);
        }
        let shown = decorator.shown();
        let step = transition.update(shown, self.scenes.is_resident(shown), t);
        self.fade.set_amount(step.fade);
        if let Some((i, problem)) =
            self.scenes
                .update(&mut self.stereo, shown, step.drawn, transition.fading())?
        {
            bail!("option {} of the default catalog failed: {problem}", i + 1);
        }
        let scene = match self.scenes.scene(step.drawn) {
            Some(scene) => scene,
            None => self.bare()?,
        };
        self.stereo
            .render_layers(gpu, 0, &head_at(frame), scene, None, Some(&self.fade))?;
        let app_ms = app_start.elapsed().as_secs_f64() * 1e3;
        let frame_ms = frame_start.elapsed().as_secs_f64() * 1e3;
        if measured {
            let counts = self.stereo.frame_counts();
            samples.cpu.push(app_ms);
            samples.frame.push(frame_ms);
            // Timestamps of the frame two before this one (its slot's fence
            // just signalled): the first measured frames read warm-up ones.
            if let Some(g) = gpu_ms {
                samples.gpu.push(g);
            }
            samples.draws.push(counts.draw_calls as f64);
            samples.triangles.push(counts.triangles as f64);
        }
        Ok(step.swapped)
    }
}

fn table(f: &BenchFigures) -> String {
    let mut out = format!(
        "roomwave bench: {} ({} CPUs), {}x MSAA, {}, {} build\n",
        f.device,
        f.cpus,
        f.samples,
        if f.per_eye_passes {
            "one eye per pass"
        } else {
            "multiview"
        },
        if f.release_build { "release" } else { "debug" }
    );
    out += "size (per eye)  scenario  frames  app CPU ms med/p99  GPU ms med/p99  frame ms med/p99  draws  triangles  switch/median\n";
    for size in &f.sizes {
        for s in &size.scenarios {
            let gpu = s.gpu_ms.map_or("n/a".to_owned(), |g| {
                format!("{:.2} / {:.2}", g.median, g.p99)
            });
            out += &format!(
                "{:<15} {:<9} {:>6}  {:>18}  {:>14}  {:>16}  {:>5}  {:>9}  {:>13}\n",
                format!("2x{}x{}", size.width, size.height),
                s.scenario,
                s.frames,
                format!("{:.3} / {:.3}", s.cpu_ms.median, s.cpu_ms.p99),
                gpu,
                format!("{:.2} / {:.2}", s.frame_ms.median, s.frame_ms.p99),
                s.draw_calls.median,
                s.triangles.median,
                s.switch_ratio.map_or("".to_owned(), |r| format!("{r:.2}")),
            );
        }
    }
    for size in &f.sizes {
        out += &format!(
            "2x{}x{}: at most {} option scenes on the GPU (bound {}), scenes' GPU memory at most {:.1} MiB\n",
            size.width,
            size.height,
            size.max_resident_options,
            f.resident_options,
            size.max_scene_gpu_mib
        );
    }
    out += &format!(
        "start to first frame: {:.0} ms; peak resident memory (VmHWM): {:.0} MiB\n",
        f.start_to_first_frame_ms, f.peak_rss_mib
    );
    out
}

/// Seconds from this process's start (`/proc/self/stat` field 22, in clock
/// ticks since boot) to now (`/proc/uptime`); 10 ms resolution.
fn seconds_since_process_start() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let start_ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks <= 0 {
        return None;
    }
    Some((uptime - start_ticks / ticks as f64).max(0.0))
}

/// Peak resident set size, KiB (`VmHWM` in `/proc/self/status`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_bad_ones_are_named() {
        assert_eq!(
            parse_sizes("1024x1024,2064x2208").unwrap().0,
            [(1024, 1024), (2064, 2208)]
        );
        let e = parse_sizes("1024x1024,20x").unwrap_err();
        assert!(e.contains("`` in `20x`"), "{e}");
        assert!(parse_sizes("9000x10").unwrap_err().contains("outside"));
    }

    #[test]
    fn spread_is_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(
            Spread::of(&samples),
            Some(Spread {
                median: 50.0,
                p99: 99.0
            })
        );
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn process_start_and_peak_memory_are_read() {
        let since = seconds_since_process_start().expect("/proc is readable");
        assert!((0.0..3600.0).contains(&since), "{since}");
        assert!(peak_rss_kib().expect("VmHWM") > 100);
    }
}

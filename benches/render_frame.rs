//! Stereo frame throughput of the offscreen renderer: `cargo bench --bench render_frame`.
//!
//! Renders each scene into two targets alternately (two frames in flight, as
//! in the headset loop) and prints per-frame times: `render()` calls (record,
//! submit, and the wait for the slot two frames back, so in steady state this
//! is the GPU-bound frame time) and the mean over the run including the final
//! wait, and the process CPU time per frame (lavapipe's threads included).
//! Each case first draws 3 frames that are not counted: llvmpipe compiles a
//! pipeline's shader variants on first use, and that second of JIT work is
//! not what a frame costs. `ROOMWAVE_BENCH_FRAMES` sets the frames per case (default 60),
//! `ROOMWAVE_BENCH_SIZES` the per-eye sizes (default `512x512,1024x1024,2064x2208`,
//! the last one Quest-3-like), `ROOMWAVE_BENCH_SCALES` the dynamic-resolution
//! scales each size is drawn at (default `1.0`; `0.5` draws the top-left
//! quarter of each eye, as `roomwave run` does under load).

use std::time::{Duration, Instant};

use ash::vk;
use glam::Vec3;
use roomwave::catalog::{CatalogLimits, load_default_catalog};
use roomwave::render::{
    EyeView, Fov, Gpu, GpuOptions, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget,
    StereoRenderer,
};

/// CPU time of the whole process (every lavapipe worker thread included):
/// on a shared host this tracks the rendering work better than wall time.
fn process_cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Frames drawn before the measured ones (see the module comment).
const WARM_UP: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let frames: usize = std::env::var("ROOMWAVE_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
        .max(2);
    let gpu = Gpu::offscreen(&GpuOptions { validation: false })?;
    println!("device: {}, {frames} frames per case", gpu.device_name());
    println!(
        "{:<22} {:>11} {:>5} {:>6} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "scene", "size", "scale", "draws", "triangles", "median ms", "p99 ms", "mean ms", "cpu ms"
    );
    let scales: Vec<f32> = std::env::var("ROOMWAVE_BENCH_SCALES")
        .unwrap_or_else(|_| "1.0".into())
        .split(',')
        .map(|s| {
            let v: f32 = s.trim().parse()?;
            if !(v > 0.0 && v <= 1.0) {
                return Err(format!("scale `{s}` is not in (0, 1]").into());
            }
            Ok::<_, Box<dyn std::error::Error>>(v)
        })
        .collect::<Result<_, _>>()?;
    let catalog = load_default_catalog(&CatalogLimits::default())?;
    let scenes = [
        ("bare house", &catalog.bare),
        ("option 1", &catalog.options[0].scene),
        ("option 2", &catalog.options[1].scene),
    ];
    let sizes: Vec<(u32, u32)> = std::env::var("ROOMWAVE_BENCH_SIZES")
        .unwrap_or_else(|_| "512x512,1024x1024,2064x2208".into())
        .split(',')
        .map(|s| {
            let (w, h) = s.split_once('x').ok_or(format!("size `{s}` is not WxH"))?;
            Ok::<_, Box<dyn std::error::Error>>((w.trim().parse()?, h.trim().parse()?))
        })
        .collect::<Result<_, _>>()?;
    for (w, h) in sizes {
        let extent = vk::Extent2D {
            width: w,
            height: h,
        };
        let targets = [
            OffscreenTarget::new(&gpu, extent)?,
            OffscreenTarget::new(&gpu, extent)?,
        ];
        let mut renderer =
            StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)?;
        renderer.set_targets(&gpu, &[targets[0].image(), targets[1].image()], None)?;
        for (scale, (name, scene)) in scales
            .iter()
            .flat_map(|&s| scenes.iter().map(move |c| (s, c)))
        {
            let (dw, dh) = roomwave::app::scaled_size(w, h, scale);
            renderer.set_render_extent(vk::Extent2D {
                width: dw,
                height: dh,
            });
            let id = renderer.upload_scene(&gpu, scene)?;
            let start =
                EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 0.0, 0.063, Fov::symmetric(90.0));
            for i in 0..WARM_UP {
                renderer.render(&gpu, i % 2, &start, id)?;
            }
            renderer.wait_idle(&gpu);
            let mut times = Vec::with_capacity(frames);
            let started = Instant::now();
            let cpu_started = process_cpu_time();
            for i in 0..frames {
                // A slow head turn, so each frame's uniforms differ.
                let yaw = i as f32 * 0.5;
                let views = EyeView::stereo_pair(
                    Vec3::new(0.0, 1.6, 0.0),
                    yaw,
                    0.063,
                    Fov::symmetric(90.0),
                );
                let t = Instant::now();
                renderer.render(&gpu, i % 2, &views, id)?;
                times.push(t.elapsed());
            }
            renderer.wait_idle(&gpu);
            let mean = started.elapsed() / frames as u32;
            let cpu = (process_cpu_time() - cpu_started) / frames as u32;
            renderer.remove_scene(&gpu, id)?;
            times.sort();
            println!(
                "{:<22} {:>11} {:>5.2} {:>6} {:>9} {:>10.2} {:>10.2} {:>10.2} {:>10.2}",
                name,
                format!("2x{w}x{h}"),
                scale,
                scene.draws.len(),
                scene.triangle_count(),
                percentile(&times, 0.5).as_secs_f64() * 1e3,
                percentile(&times, 0.99).as_secs_f64() * 1e3,
                mean.as_secs_f64() * 1e3,
                cpu.as_secs_f64() * 1e3
            );
        }
        drop(renderer);
        drop(targets);
    }
    Ok(())
}

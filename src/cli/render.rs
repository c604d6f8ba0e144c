//! `roomwave render`: both eyes of the room, offscreen, to `left.png` and `right.png`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::check::load_catalog_arg;
use anyhow::{Context, bail};
use ash::vk;
use glam::{Vec2, Vec3};
use roomwave::catalog::CatalogLimits;
use roomwave::render::{self, EyeView, Fov, Gpu, GpuOptions, MAX_OFFSCREEN_SIDE, RenderError};
use roomwave::scene::House;

/// Interpupillary distance in metres (adult median, about 63 mm).
const IPD: f32 = 0.063;
/// Field of view of each eye, degrees (close to current headsets' ~90-100).
const FOV_DEGREES: f32 = 90.0;

/// Arguments of `roomwave render`.
#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// Decoration option to show, counting from 1, in the catalog's order.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "bare",
        conflicts_with = "bare"
    )]
    pub option: Option<usize>,
    /// Render the unfurnished room.
    #[arg(long)]
    pub bare: bool,
    /// Directory to write `left.png` and `right.png` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Size of each eye's image.
    #[arg(long, value_name = "WxH", default_value = "1024x1024", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Eye height above the floor, metres.
    #[arg(long, value_name = "H", default_value_t = 1.6)]
    pub eye_height: f32,
    /// Where to stand on the floor, house space metres (default: the catalog's start).
    #[arg(long, value_name = "X,Z", value_parser = parse_at, allow_hyphen_values = true)]
    pub at: Option<(f32, f32)>,
    /// Heading in degrees: 0 looks along -Z, 90 along -X (default: the catalog's start facing).
    #[arg(long, value_name = "DEG", allow_hyphen_values = true)]
    pub yaw: Option<f32>,
    /// Enable the Vulkan validation layer; any message it reports is an error.
    #[arg(long)]
    pub validation: bool,
    /// The house and decoration options (default: the catalog built into roomwave).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not WIDTHxHEIGHT, e.g. 1024x1024"))?;
    let side = |s: &str| -> Result<u32, String> {
        let v: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` in `{text}` is not a whole number of pixels"))?;
        if v == 0 || v > MAX_OFFSCREEN_SIDE {
            return Err(format!(
                "{v} px in `{text}` is outside 1..={MAX_OFFSCREEN_SIDE}"
            ));
        }
        Ok(v)
    };
    Ok((side(w)?, side(h)?))
}

fn parse_at(text: &str) -> Result<(f32, f32), String> {
    let (x, z) = text
        .split_once(',')
        .ok_or_else(|| format!("`{text}` is not X,Z in metres, e.g. 0.5,-1"))?;
    let number = |s: &str| -> Result<f32, String> {
        s.trim()
            .parse::<f32>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("`{s}` in `{text}` is not a number of metres"))
    };
    Ok((number(x)?, number(z)?))
}

/// Checks that the eyes are inside a room of the house, away from its walls.
fn check_viewpoint(args: &RenderArgs, house: &House) -> anyhow::Result<(Vec2, f32)> {
    let start = house.start;
    let (x, z) = args.at.unwrap_or((start.position.x, start.position.y));
    let yaw = args.yaw.unwrap_or(start.yaw_deg);
    // Keep the eyes 10 cm inside the walls so the near plane never cuts one.
    let margin = 0.1;
    let Some(room) = house
        .rooms
        .iter()
        .find(|r| r.contains(Vec2::new(x, z), margin))
    else {
        let rooms: Vec<String> = house
            .rooms
            .iter()
            .map(|r| {
                let (lo, hi) = (r.min() + margin, r.max() - margin);
                format!(
                    "{}: x {:.2}..{:.2}, z {:.2}..{:.2}",
                    r.name, lo.x, hi.x, lo.y, hi.y
                )
            })
            .collect();
        bail!(
            "--at {x},{z} is not inside a room, 10 cm from its walls ({})",
            rooms.join("; ")
        );
    };
    if !(args.eye_height > margin && args.eye_height < room.size.height - margin) {
        bail!(
            "--eye-height {} is outside room {}: it must be between {margin} and {:.2} m",
            args.eye_height,
            room.name,
            room.size.height - margin
        );
    }
    if !yaw.is_finite() {
        bail!("--yaw {yaw} is not a finite angle");
    }
    Ok((Vec2::new(x, z), yaw))
}

/// Runs the command.
pub fn main(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let catalog = load_catalog_arg(args.catalog.as_deref(), &CatalogLimits::default())?;
    let (at, yaw) = check_viewpoint(&args, &catalog.catalog.house)?;
    let entries = &catalog.catalog.options;
    let (name, scene) = match args.option {
        None => ("bare house", &catalog.bare),
        Some(n) if (1..=entries.len()).contains(&n) => {
            match catalog.options.iter().find(|o| o.index == n - 1) {
                Some(o) => (o.name.as_str(), &o.scene),
                None => bail!(
                    "--option {n} ({}) could not be loaded: {}",
                    entries[n - 1].name,
                    catalog
                        .skipped
                        .iter()
                        .find(|e| e.place.field.starts_with(&format!("options[{}].", n - 1)))
                        .map_or_else(|| "see the warnings above".to_string(), |e| e.to_string())
                ),
            }
        }
        Some(n) => bail!(
            "--option {n} does not exist: choose 1 to {} ({})",
            entries.len(),
            entries
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{} = {}", i + 1, o.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let gpu = match Gpu::offscreen(&GpuOptions {
        validation: args.validation,
    }) {
        Ok(gpu) => gpu,
        Err(e @ (RenderError::NoVulkanLoader(_) | RenderError::NoDevice(_))) => {
            // The same exit status as a missing OpenXR runtime: set-up, not usage.
            eprintln!("roomwave: error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e).context("setting up Vulkan"),
    };
    let head = Vec3::new(at.x, args.eye_height, at.y);
    let views = EyeView::stereo_pair(head, yaw, IPD, Fov::symmetric(FOV_DEGREES));
    let extent = vk::Extent2D {
        width: args.size.0,
        height: args.size.1,
    };
    let started = Instant::now();
    let [left, right] = render::render_offscreen(&gpu, scene, &views, extent)
        .context("rendering the room offscreen")?;
    tracing::info!(
        option = name,
        triangles = scene.triangle_count(),
        draws = scene.draws.len(),
        device = gpu.device_name(),
        millis = started.elapsed().as_millis() as u64,
        "rendered both eyes"
    );
    let messages = gpu.validation_messages();
    if !messages.is_empty() {
        bail!(
            "the Vulkan validation layer reported {} message(s):\n{}",
            messages.len(),
            messages.join("\n")
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the output directory {}", args.out.display()))?;
    for (name, image) in [("left.png", &left), ("right.png", &right)] {
        let path = args.out.join(name);
        image
            .save(&path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "{} and {} written",
        args.out.join("left.png").display(),
        args.out.join("right.png").display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_and_position_parse_and_reject_bad_text() {
        assert_eq!(parse_size("160x120"), Ok((160, 120)));
        assert!(parse_size("160").unwrap_err().contains("WIDTHxHEIGHT"));
        assert!(parse_size("0x10").unwrap_err().contains("outside"));
        assert!(parse_size("axb").unwrap_err().contains("whole number"));
        assert_eq!(parse_at("0.5,-1"), Ok((0.5, -1.0)));
        assert!(parse_at("1;2").unwrap_err().contains("X,Z"));
        assert!(parse_at("nan,0").unwrap_err().contains("not a number"));
    }
}

//! Procedural textures: every image the models use, named by [`TextureKind`] and
//! generated from seeded noise, then PNG-encoded with fixed settings.
//!
//! Surface textures (wood, fabric, ceramic) are *detail maps*: near-neutral, averaging
//! about 0.8, with the colour in the material's base colour factor. That way one grain
//! serves several finishes, and a renderer without textures still shows the right
//! colour. Pictures (rugs, artwork, leaves) carry their colours in the image.

use super::materials::DETAIL_MEAN_LINEAR;
use super::noise::{SplitMix64, fbm, value_noise};
use super::pictures;
use anyhow::Context;

/// Side of the surface textures: 256 px. At the tile sizes the materials use
/// (15 cm of fabric, 60 cm of wood) that is 0.6 to 2.3 mm per texel, finer than a
/// headset resolves at arm's length, and it keeps all models under 8 MB.
pub const SIZE: u32 = 256;

/// Which wood figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    /// Oak: open rings with flecks.
    Oak,
    /// Walnut: wide, wavy figure.
    Walnut,
    /// Ash: straight, tight, contrasty rings.
    Ash,
}

/// Which textile (or woven) surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weave {
    /// Plain weave with slubby threads.
    Linen,
    /// Short pile: soft, low-frequency crush.
    Velvet,
    /// Hide: pebbled grain and fine creases.
    Leather,
    /// Looped yarn: small round bumps.
    Boucle,
    /// Ribs (wales) running along the piece.
    Corduroy,
    /// 2/2 twill.
    Wool,
    /// Coarse basket weave of cane.
    Rattan,
}

/// Which rug design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RugPattern {
    /// Cream with bands of taupe and charcoal.
    NaturalStripes,
    /// Red kilim with stepped diamonds.
    RedKilim,
    /// Heathered grey with a border line.
    GreyWool,
    /// Braided jute.
    Jute,
    /// Blue shapes on off-white.
    BlueAbstract,
}

/// Which framed picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Artwork {
    /// Overlapping ochre and terracotta forms.
    WarmAbstract,
    /// Blue and teal bands.
    CoolAbstract,
    /// A drawn leafy stem on cream.
    Botanical,
    /// Black and white arcs.
    Monochrome,
}

/// Every texture the models use; the writer embeds each one once per file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextureKind {
    /// Wood figure detail map, grain along u.
    Wood(Grain),
    /// Textile detail map.
    Fabric(Weave),
    /// Textile normal map.
    FabricNormal(Weave),
    /// White marble with grey veins (colour).
    Marble,
    /// Metallic-roughness map of brushed metal: roughness streaks along u.
    BrushedMetal,
    /// Glaze and clay speckle detail map.
    Speckle,
    /// A whole rug (colour), u across the width.
    Rug(RugPattern),
    /// One leaf (colour, alpha mask), tip at v = 0.
    Leaf,
    /// A picture (colour).
    Art(Artwork),
}

impl TextureKind {
    /// The image's name in the file.
    pub fn name(self) -> String {
        format!("{self:?}")
            .to_lowercase()
            .replace(['(', ')'], "_")
            .trim_end_matches('_')
            .to_string()
    }

    /// Whether the texture repeats across a surface (otherwise it covers it once).
    pub fn tiles(self) -> bool {
        !matches!(self, Self::Rug(_) | Self::Leaf | Self::Art(_))
    }

    /// Generates the image.
    pub fn generate(self) -> Image {
        match self {
            Self::Wood(grain) => to_detail_mean(wood(grain)),
            Self::Fabric(weave) => to_detail_mean(fabric_albedo(weave)),
            Self::FabricNormal(weave) => normal_map(&fabric_height(weave), weave_relief(weave)),
            Self::Marble => marble(),
            Self::BrushedMetal => brushed_metal(),
            Self::Speckle => to_detail_mean(speckle()),
            Self::Rug(pattern) => pictures::rug(pattern),
            Self::Leaf => pictures::leaf(),
            Self::Art(artwork) => pictures::art(artwork),
        }
    }
}

/// An 8-bit image, rows top first.
pub struct Image {
    /// Width and height in pixels.
    pub size: u32,
    /// 3 (RGB) or 4 (RGBA).
    pub channels: u8,
    /// `size * size * channels` bytes.
    pub data: Vec<u8>,
}

impl Image {
    /// An image whose pixel at (u, v) in `[0, 1)` is `f(u, v)` in linear 0..1 units.
    pub fn rgb(size: u32, f: impl Fn(f32, f32) -> [f32; 3]) -> Self {
        Self::from_fn(size, 3, |u, v| {
            let [r, g, b] = f(u, v);
            [r, g, b, 1.0]
        })
    }

    /// As [`Image::rgb`] with alpha.
    pub fn rgba(size: u32, f: impl Fn(f32, f32) -> [f32; 4]) -> Self {
        Self::from_fn(size, 4, f)
    }

    fn from_fn(size: u32, channels: u8, f: impl Fn(f32, f32) -> [f32; 4]) -> Self {
        let mut data = Vec::with_capacity((size * size) as usize * usize::from(channels));
        for y in 0..size {
            for x in 0..size {
                let px = f(x as f32 / size as f32, y as f32 / size as f32);
                for c in px.iter().take(usize::from(channels)) {
                    data.push(to_byte(*c));
                }
            }
        }
        Self {
            size,
            channels,
            data,
        }
    }

    /// PNG bytes with fixed settings (same input, same bytes).
    pub fn png(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.size, self.size);
        encoder.set_color(if self.channels == 4 {
            png::ColorType::Rgba
        } else {
            png::ColorType::Rgb
        });
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().context("writing a PNG header")?;
        writer
            .write_image_data(&self.data)
            .context("writing PNG data")?;
        writer.finish().context("finishing a PNG")?;
        Ok(out)
    }
}

/// Scales a detail map in linear light so that its mean is exactly
/// [`DETAIL_MEAN_LINEAR`]: the materials divide their colour by that figure, so the
/// textured surface averages to the swatch.
fn to_detail_mean(mut image: Image) -> Image {
    let to_linear = |b: u8| {
        let s = f32::from(b) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    let to_srgb = |l: f32| {
        let l = l.clamp(0.0, 1.0);
        if l <= 0.003_130_8 {
            l * 12.92
        } else {
            1.055 * l.powf(1.0 / 2.4) - 0.055
        }
    };
    let table: Vec<f32> = (0..=255u8).map(to_linear).collect();
    let sum: f64 = image
        .data
        .iter()
        .map(|&b| f64::from(table[usize::from(b)]))
        .sum();
    let mean = (sum / image.data.len().max(1) as f64) as f32;
    let scale = DETAIL_MEAN_LINEAR / mean.max(1e-3);
    for b in &mut image.data {
        *b = to_byte(to_srgb(table[usize::from(*b)] * scale));
    }
    image
}

fn to_byte(v: f32) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// Linear interpolation.
pub fn mix(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Hermite step between `e0` and `e1`.
pub fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn wood(grain: Grain) -> Image {
    // (rings across the tile, ring waviness, ring darkness, seed)
    let (rings, warp, contrast, seed) = match grain {
        Grain::Oak => (18.0, 2.0, 0.16, 11),
        Grain::Walnut => (12.0, 3.0, 0.14, 12),
        Grain::Ash => (24.0, 1.2, 0.22, 13),
    };
    Image::rgb(SIZE, |u, v| {
        let bend = fbm(u, v, (2, 3), 3, seed) - 0.5;
        let ring = (v * rings + bend * warp).rem_euclid(1.0);
        // Latewood: a sharp dark band at the end of each ring.
        let late = smoothstep(0.55, 0.9, ring) * (1.0 - smoothstep(0.9, 1.0, ring));
        let fibre = value_noise(u * 6.0, v * 128.0, (6, 128), seed + 1);
        let pores = if grain == Grain::Oak {
            smoothstep(
                0.8,
                0.95,
                value_noise(u * 24.0, v * 160.0, (24, 160), seed + 2),
            ) * 0.12
        } else {
            0.0
        };
        let patch = fbm(u, v, (1, 2), 2, seed + 3) - 0.5;
        let d = late * contrast + (fibre - 0.5) * 0.07 + pores + patch * 0.06;
        let base = 0.86 - d;
        [base, base - d * 0.12, base - d * 0.3]
    })
}

/// How strongly each weave's height shows in its normal map.
fn weave_relief(weave: Weave) -> f32 {
    match weave {
        Weave::Linen | Weave::Wool => 3.0,
        Weave::Velvet => 1.0,
        Weave::Leather => 1.5,
        Weave::Boucle => 4.0,
        Weave::Corduroy => 3.5,
        Weave::Rattan => 4.0,
    }
}

/// Thread height over the tile, 0..1, sampled on the texture's grid (wraps).
fn fabric_height(weave: Weave) -> Vec<f32> {
    let n = SIZE as usize;
    let mut h = vec![0.0; n * n];
    let seed = 40 + weave as u64;
    let bumps = match weave {
        Weave::Boucle => boucle_bumps(seed),
        _ => Vec::new(),
    };
    for y in 0..n {
        for x in 0..n {
            let (u, v) = (x as f32 / n as f32, y as f32 / n as f32);
            h[y * n + x] = match weave {
                Weave::Linen => woven(u, v, 48, seed, |i, j| (i + j) % 2 == 0),
                Weave::Wool => woven(u, v, 48, seed, |i, j| (i + j) % 4 < 2),
                Weave::Rattan => woven(u, v, 12, seed, |i, j| (i / 2 + j / 2) % 2 == 0),
                Weave::Velvet => fbm(u, v, (3, 3), 4, seed),
                Weave::Leather => {
                    let pebble = fbm(u, v, (24, 24), 2, seed);
                    let crease = (fbm(u, v, (4, 4), 3, seed + 1) - 0.5).abs();
                    pebble * 0.7 + smoothstep(0.0, 0.06, crease) * 0.3
                }
                Weave::Corduroy => {
                    let wale = (u * 40.0).rem_euclid(1.0);
                    let rib = (wale * std::f32::consts::PI).sin().powf(0.6);
                    rib * (0.85 + 0.15 * value_noise(u * 40.0, v * 64.0, (40, 64), seed))
                }
                Weave::Boucle => boucle_height(u, v, &bumps),
            };
        }
    }
    h
}

/// Height of a woven surface with `threads` threads each way; `over(i, j)` says whether
/// the warp (running along v) lies on top at crossing (i, j).
fn woven(u: f32, v: f32, threads: u32, seed: u64, over: impl Fn(u32, u32) -> bool) -> f32 {
    let t = threads as f32;
    let (gu, gv) = (u * t, v * t);
    let (i, j) = (gu.floor() as u32 % threads, gv.floor() as u32 % threads);
    let (fu, fv) = (gu.fract(), gv.fract());
    // Slubs: each thread a little thicker or thinner along its length.
    let slub_warp = value_noise(
        i as f32,
        gv / 6.0,
        (threads as i64, (threads / 6).max(1) as i64),
        seed,
    );
    let slub_weft = value_noise(
        j as f32,
        gu / 6.0,
        (threads as i64, (threads / 6).max(1) as i64),
        seed + 7,
    );
    let across_warp = (fu * std::f32::consts::PI).sin();
    let across_weft = (fv * std::f32::consts::PI).sin();
    let warp = across_warp.powf(0.7) * (0.88 + 0.15 * slub_warp);
    let weft = across_weft.powf(0.7) * (0.88 + 0.15 * slub_weft);
    if over(i, j) {
        0.5 + 0.5 * warp * (0.6 + 0.4 * across_weft)
    } else {
        0.5 + 0.5 * weft * (0.6 + 0.4 * across_warp)
    }
}

fn boucle_bumps(seed: u64) -> Vec<(f32, f32, f32)> {
    let mut rng = SplitMix64::new(seed);
    (0..1600)
        .map(|_| (rng.unit(), rng.unit(), rng.range(0.01, 0.018)))
        .collect()
}

fn boucle_height(u: f32, v: f32, bumps: &[(f32, f32, f32)]) -> f32 {
    let mut h: f32 = 0.0;
    for &(bx, by, r) in bumps {
        // The nearest copy of the bump on the torus, so the tile wraps.
        let dx = (u - bx + 0.5).rem_euclid(1.0) - 0.5;
        let dy = (v - by + 0.5).rem_euclid(1.0) - 0.5;
        let d2 = (dx * dx + dy * dy) / (r * r);
        if d2 < 1.0 {
            h = h.max((1.0 - d2).sqrt());
        }
    }
    h
}

fn fabric_albedo(weave: Weave) -> Image {
    let h = fabric_height(weave);
    let n = SIZE as usize;
    let seed = 60 + weave as u64;
    Image::rgb(SIZE, |u, v| {
        let x = (u * n as f32) as usize;
        let y = (v * n as f32) as usize;
        let height = h[y * n + x];
        let mottle = fbm(u, v, (4, 4), 3, seed) - 0.5;
        let (depth, noise) = match weave {
            Weave::Velvet => (0.1, 0.05),
            Weave::Leather => (0.15, 0.08),
            Weave::Boucle => (0.12, 0.03),
            _ => (0.3, 0.025),
        };
        let g = 0.86 - depth * (1.0 - height) + mottle * noise;
        [g, g, g]
    })
}

/// A tangent-space normal map (x right, y up in the image, as glTF expects) from a
/// wrapping height field.
fn normal_map(height: &[f32], relief: f32) -> Image {
    let n = SIZE as usize;
    let at = |x: usize, y: usize| height[(y % n) * n + (x % n)];
    Image::rgb(SIZE, |u, v| {
        let x = (u * n as f32) as usize;
        let y = (v * n as f32) as usize;
        let dx = (at(x + 1, y) - at(x + n - 1, y)) * 0.5 * relief;
        // Image rows grow downwards; y up is the other way.
        let dy_up = (at(x, y + n - 1) - at(x, y + 1)) * 0.5 * relief;
        let len = (dx * dx + dy_up * dy_up + 1.0).sqrt();
        [
            (-dx / len) * 0.5 + 0.5,
            (-dy_up / len) * 0.5 + 0.5,
            (1.0 / len) * 0.5 + 0.5,
        ]
    })
}

fn marble() -> Image {
    Image::rgb(SIZE, |u, v| {
        let warp = fbm(u, v, (3, 3), 5, 80);
        let vein = ((u + v * 2.0 + warp * 3.0) * std::f32::consts::TAU)
            .sin()
            .abs();
        let fine = ((u * 2.0 - v + fbm(u, v, (6, 6), 4, 81) * 2.0) * std::f32::consts::TAU * 2.0)
            .sin()
            .abs();
        let dark =
            (1.0 - smoothstep(0.0, 0.09, vein)) * 0.35 + (1.0 - smoothstep(0.0, 0.04, fine)) * 0.15;
        let cloud = fbm(u, v, (2, 2), 3, 82) * 0.05;
        let g = 0.95 - dark - cloud;
        [g, g - 0.005, g - 0.015]
    })
}

fn brushed_metal() -> Image {
    Image::rgb(SIZE, |u, v| {
        let streak = value_noise(u * 2.0, v * 192.0, (2, 192), 90);
        let fine = value_noise(u * 8.0, v * 256.0, (8, 256), 91);
        let roughness = 0.62 + (streak - 0.5) * 0.25 + (fine - 0.5) * 0.12;
        // glTF: occlusion in R (unused here, 1), roughness in G, metalness in B.
        [1.0, roughness, 1.0]
    })
}

fn speckle() -> Image {
    Image::rgb(SIZE, |u, v| {
        let cloud = fbm(u, v, (3, 3), 4, 100) - 0.5;
        let dot = smoothstep(0.88, 0.95, value_noise(u * 96.0, v * 96.0, (96, 96), 101));
        let g = 0.84 + cloud * 0.08 - dot * 0.25;
        [g, g, g - 0.01]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_textures_tile_without_a_seam() {
        for kind in [
            TextureKind::Wood(Grain::Oak),
            TextureKind::Fabric(Weave::Linen),
            TextureKind::Marble,
        ] {
            let img = kind.generate();
            let n = img.size as usize * 3;
            let rows = img.size as usize;
            // Compare the last column with the first, and the last row with the first:
            // a seam would make them differ far more than neighbouring columns do.
            let mut edge = 0u64;
            let mut inside = 0u64;
            for y in 0..rows {
                let row = &img.data[y * n..(y + 1) * n];
                edge += u64::from(row[n - 3].abs_diff(row[0]));
                inside += u64::from(row[3].abs_diff(row[0]));
            }
            assert!(
                edge <= inside * 2 + rows as u64 * 2,
                "{kind:?}: edge {edge}, inside {inside}"
            );
        }
    }

    #[test]
    fn detail_maps_average_the_mean_the_materials_divide_by() {
        for kind in [
            TextureKind::Wood(Grain::Walnut),
            TextureKind::Fabric(Weave::Boucle),
            TextureKind::Fabric(Weave::Velvet),
            TextureKind::Speckle,
        ] {
            let img = kind.generate();
            let linear = |b: u8| ((f64::from(b) / 255.0 + 0.055) / 1.055).powf(2.4);
            let mean = img.data.iter().map(|&b| linear(b)).sum::<f64>() / img.data.len() as f64;
            let want = f64::from(DETAIL_MEAN_LINEAR);
            assert!(
                (mean - want).abs() < 0.03,
                "{kind:?}: linear mean {mean}, want {want}"
            );
        }
    }
}

//! Textures that are pictures rather than surfaces: whole rugs, a leaf with its alpha
//! mask, and the framed artworks. Each covers its surface once (clamped, not tiled).

use super::noise::{SplitMix64, fbm, value_noise};
use super::textures::{Artwork, Image, RugPattern, mix, smoothstep};

/// Rugs and pictures are seen whole from a few metres: 512 px over 2.4 m is about
/// 5 mm per texel, the scale of a knot.
pub const PICTURE_SIZE: u32 = 512;

fn rgb(hex: u32) -> [f32; 3] {
    [(hex >> 16) & 255, (hex >> 8) & 255, hex & 255].map(|c| c as f32 / 255.0)
}

fn blend(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)]
}

fn shade(c: [f32; 3], k: f32) -> [f32; 3] {
    c.map(|x| x * k)
}

/// Pile and knot texture shared by all rugs: a gentle per-knot variation.
fn knots(u: f32, v: f32, seed: u64) -> f32 {
    let knot = value_noise(u * 340.0, v * 240.0, (340, 240), seed);
    let wear = fbm(u, v, (3, 2), 3, seed + 1);
    0.9 + (knot - 0.5) * 0.1 + (wear - 0.5) * 0.12
}

/// A whole rug, u across its 2.4 m width, v across its 1.7 m depth.
pub fn rug(pattern: RugPattern) -> Image {
    let seed = 200 + pattern as u64;
    Image::rgb(PICTURE_SIZE, |u, v| {
        // Distance to the rug's edge in metres, for borders.
        let (x, z) = (u * 2.4, v * 1.7);
        let edge = x.min(2.4 - x).min(z).min(1.7 - z);
        let c = match pattern {
            RugPattern::NaturalStripes => {
                let band = (x * 2.5 + 0.1 * fbm(u, v, (2, 2), 2, seed)).rem_euclid(1.0);
                let cream = rgb(0xE8DCC6);
                if band < 0.12 {
                    rgb(0x3B3833)
                } else if (0.2..0.26).contains(&band) || (0.32..0.35).contains(&band) {
                    rgb(0xA8957A)
                } else {
                    cream
                }
            }
            RugPattern::RedKilim => kilim(x, z, edge),
            RugPattern::GreyWool => {
                let heather = fbm(u, v, (24, 17), 3, seed);
                let base = blend(rgb(0x7D7F80), rgb(0x9A9C9B), heather);
                if (0.08..0.1).contains(&edge) {
                    rgb(0x4A4C4E)
                } else {
                    base
                }
            }
            RugPattern::Jute => {
                let braid = ((x * 30.0 + (z * 40.0).sin() * 0.15).rem_euclid(1.0)
                    * std::f32::consts::PI)
                    .sin();
                let row = ((z * 40.0).rem_euclid(1.0) * std::f32::consts::PI).sin();
                blend(rgb(0x8C6E45), rgb(0xC9A875), braid * 0.6 + row * 0.4)
            }
            RugPattern::BlueAbstract => blue_abstract(u, v, seed),
        };
        shade(c, knots(u, v, seed))
    })
}

fn kilim(x: f32, z: f32, edge: f32) -> [f32; 3] {
    let (red, navy, cream, ochre) = (rgb(0x9E2B25), rgb(0x1F2A44), rgb(0xE9DDC4), rgb(0xC8902F));
    if edge < 0.06 {
        return navy;
    }
    if edge < 0.1 {
        return if ((x + z) * 20.0).rem_euclid(1.0) < 0.5 {
            cream
        } else {
            red
        };
    }
    if edge < 0.13 {
        return navy;
    }
    // Stepped diamonds on a 0.3 m grid; the steps are 2.5 cm, as woven.
    let step = |d: f32| (d / 0.025).floor() * 0.025;
    let (cx, cz) = ((x / 0.3).round() * 0.3, (z / 0.34).round() * 0.34);
    let d = step((x - cx).abs()) + step((z - cz).abs());
    if d < 0.05 {
        ochre
    } else if d < 0.09 {
        cream
    } else if d < 0.12 {
        navy
    } else {
        red
    }
}

fn blue_abstract(u: f32, v: f32, seed: u64) -> [f32; 3] {
    let mut rng = SplitMix64::new(seed);
    let colors = [rgb(0x1D3557), rgb(0x457B9D), rgb(0xA8C5DA), rgb(0x2A6F97)];
    let mut c = rgb(0xF1EEE6);
    for i in 0..9 {
        let (cx, cy, r) = (
            rng.range(0.1, 0.9),
            rng.range(0.1, 0.9),
            rng.range(0.08, 0.25),
        );
        let wobble = (fbm(u, v, (3, 3), 2, seed + i) - 0.5) * 0.12;
        let d = ((u - cx).powi(2) * 2.0 + (v - cy).powi(2)).sqrt() + wobble;
        if d < r {
            c = colors[i as usize % colors.len()];
        } else if d < r + 0.012 {
            c = rgb(0xF1EEE6);
        }
    }
    c
}

/// One leaf on a transparent background: tip at v = 0, stalk at v = 1, midrib along
/// u = 0.5. The alpha is 0 or 1 (hard edges look right with MASK).
pub fn leaf() -> Image {
    Image::rgba(super::textures::SIZE, |u, v| {
        let x = (u - 0.5) * 2.0;
        // Half-width along the leaf: pointed at the tip, rounded at the base.
        let t = v.clamp(0.0, 1.0);
        let half = 0.95 * (t.powf(0.6) * (1.0 - t).powf(0.8) * 2.1).min(1.0);
        let serration = 0.03 * ((t * 40.0).sin()).abs();
        let inside = x.abs() < (half - serration) && t > 0.02 && t < 0.97;
        let stalk = x.abs() < 0.04 && t >= 0.9;
        if !(inside || stalk) {
            return [0.1, 0.25, 0.1, 0.0];
        }
        let midrib = 1.0 - smoothstep(0.0, 0.05, x.abs());
        let vein_phase = (t * 14.0 - x.abs() * 3.0).rem_euclid(1.0);
        let vein = 1.0 - smoothstep(0.0, 0.08, (vein_phase - 0.5).abs());
        let mottle = fbm(u, v, (4, 4), 3, 300) - 0.5;
        let edge = smoothstep(0.6, 1.0, x.abs() / half.max(1e-3));
        let base = [
            0.13 + mottle * 0.05,
            0.36 + mottle * 0.08 - edge * 0.06,
            0.11,
        ];
        let light = [0.45, 0.62, 0.3];
        let c = blend(base, light, midrib * 0.7 + vein * 0.25);
        [c[0], c[1], c[2], 1.0]
    })
}

/// A picture for the 0.8 x 0.6 m frame (a 0.7 x 0.5 m mount opening; the square image
/// is stretched over it, so shapes are drawn in picture coordinates).
pub fn art(artwork: Artwork) -> Image {
    let seed = 400 + artwork as u64;
    Image::rgb(PICTURE_SIZE, |u, v| {
        let (x, y) = (u * 1.4, v);
        let paper = 0.97 + (value_noise(u * 128.0, v * 128.0, (128, 128), seed) - 0.5) * 0.04;
        let c = match artwork {
            Artwork::WarmAbstract => {
                let mut c = rgb(0xEFE4D2);
                let forms = [
                    (0.45, 0.55, 0.32, 0xC8693C),
                    (0.9, 0.4, 0.26, 0xDDA448),
                    (0.7, 0.75, 0.2, 0x8A3B24),
                ];
                for (cx, cy, r, hex) in forms {
                    let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
                    if d < r {
                        c = blend(c, rgb(hex), 0.9);
                    }
                }
                if (y - 0.8).abs() < 0.01 && x > 0.15 && x < 1.25 {
                    rgb(0x3A2A20)
                } else {
                    c
                }
            }
            Artwork::CoolAbstract => {
                let ragged = (fbm(u, v, (8, 8), 3, seed) - 0.5) * 0.03;
                let band = y + ragged;
                if band < 0.38 {
                    rgb(0x1F4E5F)
                } else if band < 0.44 {
                    rgb(0xD9E4E6)
                } else if band < 0.78 {
                    rgb(0x5B8E9A)
                } else {
                    rgb(0x2B3A55)
                }
            }
            Artwork::Botanical => botanical(x, y),
            Artwork::Monochrome => {
                let d = ((x - 0.3).powi(2) + (y - 1.1).powi(2)).sqrt();
                let ring = (d * 14.0).rem_euclid(1.0);
                let g = if ring < 0.5 { 0.12 } else { 0.9 };
                let grain = (value_noise(u * 200.0, v * 200.0, (200, 200), seed) - 0.5) * 0.08;
                [g + grain; 3]
            }
        };
        shade(c, paper)
    })
}

fn botanical(x: f32, y: f32) -> [f32; 3] {
    let paper = rgb(0xF2EBDD);
    let ink = rgb(0x3F5B3A);
    // A stem curving up the middle, with leaves in pairs.
    let stem_x = |y: f32| 0.7 + 0.08 * ((1.0 - y) * 3.0).sin();
    if y > 0.12 && y < 0.92 && (x - stem_x(y)).abs() < 0.006 {
        return ink;
    }
    for k in 0..6 {
        let ly = 0.2 + k as f32 * 0.12;
        for side in [-1.0f32, 1.0] {
            let (lx, len) = (stem_x(ly), 0.22 - k as f32 * 0.015);
            // A leaf: an ellipse along a slanted axis from the stem.
            let dir = (side * 0.85, -0.5f32);
            let n = (dir.0 * dir.0 + dir.1 * dir.1).sqrt();
            let (ax, ay) = (dir.0 / n, dir.1 / n);
            let (px, py) = (x - lx, y - ly);
            let along = px * ax + py * ay;
            let across = -px * ay + py * ax;
            let t = along / len;
            if (0.0..1.0).contains(&t) {
                let half = 0.045 * (t * std::f32::consts::PI).sin();
                if across.abs() < half {
                    let vein = across.abs() < 0.003;
                    return if vein {
                        paper
                    } else {
                        blend(ink, rgb(0x7FA06A), t * 0.6)
                    };
                }
            }
        }
    }
    paper
}

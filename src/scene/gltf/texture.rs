//! Decoding PNG and JPEG images to RGBA8 within the limits, and building full mip chains
//! (colour images filtered in linear light, as sRGB requires).

use super::model::{ColorSpace, MipLevel, TextureImage};
use std::io::Cursor;

/// Why an image could not be decoded (it becomes a placeholder plus a warning).
pub(crate) type DecodeError = String;

/// Decodes `bytes` (PNG or JPEG, by `mime_type` or by its first bytes) to RGBA8.
///
/// `max_dimension` bounds width and height and `max_bytes` the decoded size; both are
/// checked from the image header before the pixel buffer is allocated.
pub(crate) fn decode_rgba8(
    bytes: &[u8],
    mime_type: Option<&str>,
    max_dimension: u32,
    max_bytes: u64,
) -> Result<(u32, u32, Vec<u8>), DecodeError> {
    let format = match mime_type {
        Some("image/png") => image::ImageFormat::Png,
        Some("image/jpeg") => image::ImageFormat::Jpeg,
        _ => image::guess_format(bytes).map_err(|_| {
            format!(
                "not a PNG or JPEG image (type {})",
                mime_type.unwrap_or("unknown")
            )
        })?,
    };
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(format!(
            "{format:?} images are not supported (PNG and JPEG are)"
        ));
    }
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    if width == 0 || height == 0 || width > max_dimension || height > max_dimension {
        return Err(format!(
            "{width}x{height} pixels is outside 1..={max_dimension} (raise `max_texture_dimension` in the load limits if the file is trusted)"
        ));
    }
    let rgba_bytes = u64::from(width) * u64::from(height) * 4;
    // A full mip chain adds a third to the base level.
    if rgba_bytes + rgba_bytes / 3 > max_bytes {
        return Err(format!(
            "{width}x{height} pixels with mips would take the decoded textures over `max_total_texture_bytes`"
        ));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(max_dimension);
    limits.max_image_height = Some(max_dimension);
    // The decoder may hold the image in its own layout (RGB, 16-bit) next to the RGBA8 copy.
    limits.max_alloc = Some(rgba_bytes * 3);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| e.to_string())?;
    let rgba = decoded.into_rgba8();
    Ok((width, height, rgba.into_raw()))
}

/// sRGB-encoded byte to linear light (IEC 61966-2-1).
fn srgb_to_linear(c: u8) -> f32 {
    let c = f32::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Linear light to an sRGB-encoded byte.
fn linear_to_srgb(l: f32) -> u8 {
    let l = l.clamp(0.0, 1.0);
    let c = if l <= 0.003_130_8 {
        l * 12.92
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    };
    (c * 255.0 + 0.5) as u8
}

/// Lookup tables for one mip chain build: 256 decodes and a 4096-step encode keep
/// `powf` out of the per-pixel loop (a 2048x2048 chain is 1.4 M pixels).
struct SrgbTables {
    to_linear: [f32; 256],
    to_srgb: Vec<u8>,
}

const ENCODE_STEPS: usize = 4096;

impl SrgbTables {
    fn new() -> Self {
        let mut to_linear = [0.0; 256];
        for (i, v) in to_linear.iter_mut().enumerate() {
            *v = srgb_to_linear(i as u8);
        }
        let to_srgb = (0..=ENCODE_STEPS)
            .map(|i| linear_to_srgb(i as f32 / ENCODE_STEPS as f32))
            .collect();
        Self { to_linear, to_srgb }
    }

    fn encode(&self, l: f32) -> u8 {
        self.to_srgb[(l.clamp(0.0, 1.0) * ENCODE_STEPS as f32 + 0.5) as usize]
    }
}

/// Halves `src` (a box filter over 2x2 texels; the last row/column repeats on odd sizes).
fn downsample(src: &MipLevel, space: ColorSpace, tables: &SrgbTables) -> MipLevel {
    let (sw, sh) = (src.width as usize, src.height as usize);
    let (w, h) = ((sw / 2).max(1), (sh / 2).max(1));
    let srgb = space == ColorSpace::Srgb;
    let mut rgba = Vec::with_capacity(w * h * 4);
    let row = |y: usize| &src.rgba[y * sw * 4..(y + 1) * sw * 4];
    for y in 0..h {
        let (top, bottom) = (row((2 * y).min(sh - 1)), row((2 * y + 1).min(sh - 1)));
        for x in 0..w {
            let (a, b) = ((2 * x).min(sw - 1) * 4, (2 * x + 1).min(sw - 1) * 4);
            let quad = [
                &top[a..a + 4],
                &top[b..b + 4],
                &bottom[a..a + 4],
                &bottom[b..b + 4],
            ];
            let mut out = [0u8; 4];
            for (c, o) in out.iter_mut().enumerate() {
                *o = if srgb && c < 3 {
                    let l = &tables.to_linear;
                    let sum = l[usize::from(quad[0][c])]
                        + l[usize::from(quad[1][c])]
                        + l[usize::from(quad[2][c])]
                        + l[usize::from(quad[3][c])];
                    tables.encode(sum * 0.25)
                } else {
                    let sum = u32::from(quad[0][c])
                        + u32::from(quad[1][c])
                        + u32::from(quad[2][c])
                        + u32::from(quad[3][c]);
                    ((sum + 2) / 4) as u8
                };
            }
            rgba.extend_from_slice(&out);
        }
    }
    MipLevel {
        width: w as u32,
        height: h as u32,
        rgba,
    }
}

/// The full chain from `base` down to 1x1.
pub fn mip_chain(base: MipLevel, space: ColorSpace) -> Vec<MipLevel> {
    let tables = SrgbTables::new();
    let mut levels = vec![base];
    while let Some(last) = levels.last().filter(|l| l.width > 1 || l.height > 1) {
        let next = downsample(last, space, &tables);
        levels.push(next);
    }
    levels
}

/// An 8x8 magenta and black checkerboard, the usual "missing texture" picture, with mips.
pub(crate) fn placeholder(name: Option<String>, color_space: ColorSpace) -> TextureImage {
    let mut rgba = Vec::with_capacity(8 * 8 * 4);
    for y in 0..8 {
        for x in 0..8 {
            let on = (x / 2 + y / 2) % 2 == 0;
            rgba.extend_from_slice(if on {
                &[255, 0, 255, 255]
            } else {
                &[0, 0, 0, 255]
            });
        }
    }
    let base = MipLevel {
        width: 8,
        height: 8,
        rgba,
    };
    TextureImage {
        name,
        color_space,
        levels: mip_chain(base, color_space),
        placeholder: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(width: u32, height: u32, texel: impl Fn(u32, u32) -> [u8; 4]) -> MipLevel {
        let mut rgba = Vec::new();
        for y in 0..height {
            for x in 0..width {
                rgba.extend_from_slice(&texel(x, y));
            }
        }
        MipLevel {
            width,
            height,
            rgba,
        }
    }

    #[test]
    fn the_chain_runs_to_one_texel_on_any_size() {
        let chain = mip_chain(level(6, 3, |_, _| [9, 9, 9, 9]), ColorSpace::Linear);
        let sizes: Vec<_> = chain.iter().map(|l| (l.width, l.height)).collect();
        assert_eq!(sizes, [(6, 3), (3, 1), (1, 1)]);
        assert!(
            chain
                .iter()
                .all(|l| l.rgba.len() == (l.width * l.height * 4) as usize)
        );
        assert_eq!(chain[2].rgba, [9, 9, 9, 9]);
    }

    #[test]
    fn colour_is_averaged_in_linear_light_and_data_is_not() {
        // Black and white stripes: the average light is half, which sRGB encodes as 188,
        // not 128 (the "too dark mips" bug of filtering encoded values).
        let stripes = |x: u32, _| {
            if x.is_multiple_of(2) {
                [0, 0, 0, 0]
            } else {
                [255, 255, 255, 255]
            }
        };
        let srgb = mip_chain(level(2, 2, stripes), ColorSpace::Srgb);
        assert_eq!(&srgb[1].rgba[..3], &[188, 188, 188]);
        assert_eq!(srgb[1].rgba[3], 128, "alpha is linear coverage");
        let linear = mip_chain(level(2, 2, stripes), ColorSpace::Linear);
        assert_eq!(linear[1].rgba, [128, 128, 128, 128]);
    }

    #[test]
    fn srgb_round_trips_every_byte() {
        let tables = SrgbTables::new();
        for b in 0..=255u8 {
            assert_eq!(tables.encode(srgb_to_linear(b)), b, "{b}");
        }
    }

    #[test]
    fn decoding_checks_size_before_allocating() {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(64, 32, image::Rgba([1, 2, 3, 4]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let (w, h, rgba) = decode_rgba8(&png, Some("image/png"), 64, 1 << 20).expect("decodes");
        assert_eq!((w, h, rgba.len()), (64, 32, 64 * 32 * 4));
        assert!(
            decode_rgba8(&png, None, 32, 1 << 20)
                .expect_err("too wide")
                .contains("64x32")
        );
        assert!(
            decode_rgba8(&png, None, 64, 1000)
                .expect_err("budget")
                .contains("max_total_texture_bytes")
        );
        assert!(decode_rgba8(&png[..40], None, 64, 1 << 20).is_err());
        assert!(decode_rgba8(b"not an image", None, 64, 1 << 20).is_err());
    }
}

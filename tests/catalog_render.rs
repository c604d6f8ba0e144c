//! Every option of the default catalog, rendered offscreen with the validation
//! layer on, gives its own lit picture: not black, not blown out, and different
//! from every other option's.

use ash::vk;
use glam::Vec3;
use roomwave::catalog::{CatalogLimits, load_default_catalog};
use roomwave::render::{EyeView, Fov, Gpu, GpuOptions, render_offscreen};

/// 96 x 72 per eye: a dozen options render in seconds on lavapipe, and a sofa,
/// a rug or a wall colour still covers hundreds of pixels.
const SIZE: (u32, u32) = (96, 72);

/// Lightness L* (0..100) of an sRGB pixel.
fn lightness(p: &image::Rgba<u8>) -> f32 {
    let lin = |c: u8| {
        let c = c as f32 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let y = 0.2126 * lin(p[0]) + 0.7152 * lin(p[1]) + 0.0722 * lin(p[2]);
    if y > 0.008856 {
        116.0 * y.cbrt() - 16.0
    } else {
        903.3 * y
    }
}

/// A colour histogram: 4 levels per channel, as shares of the pixels.
fn histogram(image: &image::RgbaImage) -> Vec<f64> {
    let mut bins = vec![0.0; 64];
    for p in image.pixels() {
        let b = |c: u8| (c / 64) as usize;
        bins[b(p[0]) * 16 + b(p[1]) * 4 + b(p[2])] += 1.0;
    }
    let n = (image.width() * image.height()) as f64;
    bins.iter_mut().for_each(|b| *b /= n);
    bins
}

#[test]
fn every_option_renders_lit_and_distinct_with_validation_clean() {
    let catalog =
        load_default_catalog(&CatalogLimits::default()).expect("the default catalog loads");
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    // The README's viewpoint: the south-east corner, looking across the living
    // room at the window wall.
    let views = EyeView::stereo_pair(Vec3::new(2.0, 1.6, 1.5), 35.0, 0.063, Fov::symmetric(90.0));
    let extent = vk::Extent2D {
        width: SIZE.0,
        height: SIZE.1,
    };
    let mut pictures = Vec::new();
    for option in &catalog.options {
        let [left, _] = render_offscreen(&gpu, &option.scene, &views, extent).expect("rendered");
        let n = (SIZE.0 * SIZE.1) as f32;
        let mean = left.pixels().map(lightness).sum::<f32>() / n;
        let blown = left
            .pixels()
            .filter(|p| p[0] >= 250 && p[1] >= 250 && p[2] >= 250)
            .count();
        assert!(
            mean > 25.0,
            "{}: mean lightness {mean:.1}: too dark",
            option.name
        );
        assert!(
            mean < 85.0,
            "{}: mean lightness {mean:.1}: washed out",
            option.name
        );
        assert!(
            (blown as f32) < n * 0.05,
            "{}: {blown} of {n} pixels blown out",
            option.name
        );
        println!(
            "{}: mean L* {mean:.1}, {blown} blown-out pixels",
            option.name
        );
        pictures.push((option.name.clone(), histogram(&left)));
    }
    assert!(pictures.len() >= 12);
    let mut closest = f64::MAX;
    for (i, (a, ha)) in pictures.iter().enumerate() {
        for (b, hb) in &pictures[i + 1..] {
            let distance: f64 = ha.iter().zip(hb).map(|(x, y)| (x - y).abs()).sum();
            assert!(
                distance > 0.15,
                "{a} and {b} look alike (histogram distance {distance:.3})"
            );
            closest = closest.min(distance);
        }
    }
    println!("closest pair: histogram distance {closest:.3} (of 2.0)");
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer:\n{}",
        messages.join("\n")
    );
}

//! The fade between two options, rendered offscreen with the validation layer
//! on: halfway out the old option is half as bright (in linear light), at the
//! midpoint the view is black and the new option is the one drawn, and at the
//! end the picture is the new option exactly as drawn without a fade.

use ash::vk;
use glam::Vec3;
use roomwave::app::{Shown, Transition, TransitionConfig};
use roomwave::catalog::{CatalogLimits, load_default_catalog};
use roomwave::render::{
    EyeView, FadeRenderer, Fov, Gpu, GpuOptions, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT,
    OffscreenTarget, SceneId, StereoRenderer,
};

/// 128 x 96 per eye: enough pixels for stable means, quick on lavapipe.
const SIZE: (u32, u32) = (128, 96);

fn linear(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Mean linear RGB over both eyes.
fn mean_linear(images: &[image::RgbaImage; 2]) -> f64 {
    let mut sum = 0.0;
    let mut n = 0.0;
    for image in images {
        for p in image.pixels() {
            sum += (linear(p[0]) + linear(p[1]) + linear(p[2])) / 3.0;
            n += 1.0;
        }
    }
    sum / n
}

/// Largest difference of any channel of any pixel, in 8-bit levels.
fn max_difference(a: &[image::RgbaImage; 2], b: &[image::RgbaImage; 2]) -> u8 {
    a.iter()
        .zip(b)
        .flat_map(|(a, b)| a.pixels().zip(b.pixels()))
        .flat_map(|(p, q)| (0..3).map(move |i| p[i].abs_diff(q[i])))
        .max()
        .unwrap_or(0)
}

struct Rig {
    target: OffscreenTarget,
    stereo: StereoRenderer,
    fade: FadeRenderer,
    scenes: [SceneId; 2],
    views: [EyeView; 2],
}

impl Rig {
    fn frame(&mut self, gpu: &Gpu, shown: Shown, fade: Option<f32>) -> [image::RgbaImage; 2] {
        let scene = self.scenes[shown.index().map_or(0, |_| 1)];
        self.fade.set_amount(fade.unwrap_or(0.0));
        let fade = fade.map(|_| &self.fade);
        self.stereo
            .render_layers(gpu, 0, &self.views, scene, None, fade)
            .expect("render");
        self.target.read_back(gpu, &self.stereo).expect("read back")
    }
}

#[test]
fn the_fade_darkens_swaps_at_the_midpoint_and_ends_on_the_new_option() {
    let catalog =
        load_default_catalog(&CatalogLimits::default()).expect("the default catalog loads");
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let extent = vk::Extent2D {
        width: SIZE.0,
        height: SIZE.1,
    };
    let target = OffscreenTarget::new(&gpu, extent).expect("target");
    let mut stereo =
        StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    stereo
        .set_targets(&gpu, &[target.image()], None)
        .expect("targets");
    let bare = stereo.upload_scene(&gpu, &catalog.bare).expect("upload");
    let option = stereo
        .upload_scene(&gpu, &catalog.options[0].scene)
        .expect("upload");
    let fade = FadeRenderer::new(&gpu, &stereo, [0.0; 3]).expect("fade pipeline");
    let mut rig = Rig {
        target,
        stereo,
        fade,
        scenes: [bare, option],
        views: EyeView::stereo_pair(Vec3::new(2.0, 1.6, 1.5), 35.0, 0.063, Fov::symmetric(90.0)),
    };
    let plain_bare = rig.frame(&gpu, Shown::Bare, None);
    let plain_option = rig.frame(&gpu, Shown::Option(0), None);
    let (bare_mean, option_mean) = (mean_linear(&plain_bare), mean_linear(&plain_option));
    assert!(
        bare_mean > 0.02 && option_mean > 0.02,
        "lit: {bare_mean} {option_mean}"
    );
    assert!(
        max_difference(&plain_bare, &plain_option) > 64,
        "the option looks different from the bare room"
    );

    // The wearer waves at t = 10 s; the fade takes 0.6 s.
    let mut transition = Transition::new(&TransitionConfig { seconds: 0.6 }, Shown::Bare);
    let wanted = Shown::Option(0);
    let mut step = |t: f64| transition.update(wanted, true, t);
    let start = step(10.0);
    assert_eq!(start.fade, 0.0);

    let quarter = step(10.15);
    assert_eq!(quarter.drawn, Shown::Bare);
    let darkening = rig.frame(&gpu, quarter.drawn, Some(quarter.fade));
    let ratio = mean_linear(&darkening) / bare_mean;
    // Blending happens in linear light (sRGB attachment), so half the fade
    // halves the light; 8-bit rounding of dark pixels bounds the tolerance.
    assert!(
        (ratio - 0.5).abs() < 0.04,
        "halfway out: {ratio:.3} of the light"
    );

    let midpoint = step(10.3);
    assert!(midpoint.swapped && midpoint.drawn == wanted, "{midpoint:?}");
    let dark = rig.frame(&gpu, midpoint.drawn, Some(midpoint.fade));
    let brightest = dark
        .iter()
        .flat_map(|i| i.pixels())
        .map(|p| p[0].max(p[1]).max(p[2]))
        .max()
        .unwrap_or(255);
    assert!(
        brightest <= 1,
        "the midpoint is black, brightest {brightest}"
    );

    let brightening = step(10.45);
    let light = mean_linear(&rig.frame(&gpu, brightening.drawn, Some(brightening.fade)));
    assert!(
        (light / option_mean - 0.5).abs() < 0.04,
        "halfway in: {:.3} of the new option's light",
        light / option_mean
    );

    let end = step(10.7);
    assert_eq!((end.drawn, end.fade), (wanted, 0.0));
    let done = rig.frame(&gpu, end.drawn, Some(end.fade));
    let left = max_difference(&done, &plain_option);
    assert!(
        left <= 1,
        "the end is the option as drawn unfaded ({left} levels off)"
    );

    rig.stereo.wait_idle(&gpu);
    drop(rig);
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
}

//! The kiosk's attract hint rendered in the scene: the panel shows where the
//! layout puts it, in both eyes, depth-tested, with the validation layer silent.

use ash::vk;
use glam::{Vec3, Vec4Swizzles};
use roomwave::app::{HintInput, HintLayout, HintOverlay, SessionReport};
use roomwave::render::{
    EyeView, Fov, Gpu, GpuOptions, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget,
    OverlayRenderer, OverlayVertex, StereoRenderer,
};
use roomwave::scene::{House, build_scene, default_room};

/// 192 px per eye at 90 degrees: the 1 m panel at 1.5 m spans about 60 px,
/// its 6 cm letters about 4 px; small enough for lavapipe with validation.
const SIZE: u32 = 192;

fn views() -> [EyeView; 2] {
    EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 0.0, 0.063, Fov::symmetric(90.0))
}

/// Renders the bare room for both eyes, with the attract hint at `t` when `Some`.
fn render(gpu: &Gpu, hint_at: Option<f64>) -> [image::RgbaImage; 2] {
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let mut target = OffscreenTarget::new(gpu, extent).expect("target");
    let mut stereo =
        StereoRenderer::new(gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    stereo
        .set_targets(gpu, &[target.image()], None)
        .expect("targets");
    let scene = stereo
        .upload_scene(gpu, &build_scene(&House::single_room(default_room()), None))
        .expect("upload");
    let mut overlay = OverlayRenderer::new(gpu, &stereo).expect("overlay pipeline");
    if let Some(t) = hint_at {
        let mut hint = HintOverlay::new(HintLayout::default(), 10.0);
        let input = HintInput {
            t,
            attract: true,
            remaining: None,
            head: None,
        };
        hint.update(&input, &mut SessionReport::default());
        let out = overlay.vertices_mut();
        out.clear();
        out.extend(hint.vertices().iter().map(|v| OverlayVertex {
            position: v.position,
            color: v.color,
        }));
    }
    // Two frames, so both frame slots' buffers are written and drawn.
    for _ in 0..2 {
        stereo
            .render_with_overlay(gpu, 0, &views(), scene, Some(&mut overlay))
            .expect("render");
    }
    let images = target.read_back(gpu, &stereo).expect("read back");
    stereo.wait_idle(gpu);
    images
}

/// Where a room-space point lands in `eye`'s image, in pixels.
fn project(eye: &EyeView, p: Vec3) -> (f32, f32) {
    let clip = eye.view_projection() * p.extend(1.0);
    let ndc = clip.xy() / clip.w;
    (
        (ndc.x + 1.0) * 0.5 * SIZE as f32,
        (ndc.y + 1.0) * 0.5 * SIZE as f32,
    )
}

fn differs(a: &image::Rgba<u8>, b: &image::Rgba<u8>) -> bool {
    (0..3).any(|i| a[i].abs_diff(b[i]) > 12)
}

/// Share of pixels in the box that differ between the two images.
fn share_differing(
    a: &image::RgbaImage,
    b: &image::RgbaImage,
    x: (u32, u32),
    y: (u32, u32),
) -> f64 {
    let mut n = 0;
    let mut total = 0;
    for py in y.0..y.1 {
        for px in x.0..x.1 {
            total += 1;
            n += usize::from(differs(a.get_pixel(px, py), b.get_pixel(px, py)));
        }
    }
    n as f64 / total as f64
}

#[test]
fn attract_hint_shows_the_panel_in_both_eyes() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let bare = render(&gpu, None);
    let hinted = render(&gpu, Some(0.0));
    let layout = HintLayout::default();
    for (eye, view) in views().iter().enumerate() {
        // The panel is 1 m x 0.5 m around the layout's centre.
        let (x0, y0) = project(view, layout.centre + Vec3::new(-0.5, 0.25, 0.0));
        let (x1, y1) = project(view, layout.centre + Vec3::new(0.5, -0.25, 0.0));
        let inside_x = (x0.ceil() as u32 + 2, x1.floor() as u32 - 2);
        let inside_y = (y0.ceil() as u32 + 2, y1.floor() as u32 - 2);
        assert!(
            inside_x.1 > inside_x.0 + 40 && inside_y.1 > inside_y.0 + 20,
            "{inside_x:?} {inside_y:?}"
        );
        let inside = share_differing(&bare[eye], &hinted[eye], inside_x, inside_y);
        assert!(
            inside > 0.95,
            "eye {eye}: only {inside:.3} of the panel area changed"
        );
        // Outside the panel (a margin for its edge pixels) the room is untouched.
        let above = share_differing(&bare[eye], &hinted[eye], (0, SIZE), (0, y0 as u32 - 2));
        let below = share_differing(&bare[eye], &hinted[eye], (0, SIZE), (y1 as u32 + 3, SIZE));
        assert!(
            above == 0.0 && below == 0.0,
            "eye {eye}: {above} {below} changed outside"
        );
        // The panel is dark, its text light: both are in the panel area.
        let luma = |p: &image::Rgba<u8>| p[0] as u32 + p[1] as u32 + p[2] as u32;
        let (mut dark, mut light) = (0, 0);
        for py in inside_y.0..inside_y.1 {
            for px in inside_x.0..inside_x.1 {
                let l = luma(hinted[eye].get_pixel(px, py));
                dark += usize::from(l < 150);
                light += usize::from(l > 450);
            }
        }
        assert!(
            dark > 1000 && light > 30,
            "eye {eye}: dark {dark}, light {light}"
        );
    }
    // The hand waves: a frame at a wave peak differs from one at rest.
    let waving = render(&gpu, Some(1.0 / 6.0));
    let (x0, y0) = project(&views()[0], layout.centre + Vec3::new(-0.2, 0.25, 0.0));
    let (x1, y1) = project(&views()[0], layout.centre + Vec3::new(0.2, -0.05, 0.0));
    let moved = share_differing(
        &hinted[0],
        &waving[0],
        (x0 as u32, x1 as u32),
        (y0 as u32, y1 as u32),
    );
    assert!(moved > 0.02, "the hand did not move ({moved:.3})");
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
}

#[test]
fn a_wall_in_front_hides_the_panel() {
    // Depth test: put the panel behind the far wall (the room is 4 m deep,
    // so z = -2.5 is outside it): nothing of it may show.
    let gpu = Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device");
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let bare = render(&gpu, None);
    let mut target = OffscreenTarget::new(&gpu, extent).expect("target");
    let mut stereo =
        StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    stereo
        .set_targets(&gpu, &[target.image()], None)
        .expect("targets");
    let scene = stereo
        .upload_scene(
            &gpu,
            &build_scene(&House::single_room(default_room()), None),
        )
        .expect("upload");
    let mut overlay = OverlayRenderer::new(&gpu, &stereo).expect("overlay");
    let layout = HintLayout::in_front_of(Vec3::ZERO, Vec3::NEG_Z, 1.6, 2.5);
    let mut hint = HintOverlay::new(layout, 0.0);
    let input = HintInput {
        attract: true,
        ..Default::default()
    };
    hint.update(&input, &mut SessionReport::default());
    overlay
        .vertices_mut()
        .extend(hint.vertices().iter().map(|v| OverlayVertex {
            position: v.position,
            color: v.color,
        }));
    stereo
        .render_with_overlay(&gpu, 0, &views(), scene, Some(&mut overlay))
        .expect("render");
    let hidden = target.read_back(&gpu, &stereo).expect("read back");
    stereo.wait_idle(&gpu);
    assert_eq!(
        share_differing(&bare[0], &hidden[0], (0, SIZE), (0, SIZE)),
        0.0
    );
    assert!(gpu.validation_messages().is_empty());
}

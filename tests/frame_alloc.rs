//! The render path allocates nothing per frame once warm: the decoration,
//! transition and residency update, culling, blend sorting, command recording
//! and submit, across an option switch with its fade. Counted by a wrapping allocator on
//! the frame loop's thread only: libtest's own thread allocates when it
//! prints its "running for over 60 seconds" note on a loaded machine (seen).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use ash::vk;
use glam::Vec3;
use roomwave::app::{Command, Decorator, Shown, Transition, TransitionConfig};
use roomwave::catalog::{CatalogLimits, open_default_catalog};
use roomwave::render::{
    EyeView, FadeRenderer, Fov, Gpu, GpuOptions, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT,
    OffscreenTarget, OptionScenes, ResidentScenes, StereoRenderer,
};
use std::sync::Arc;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the thread whose allocations are counted (const: no lazy
    /// initialisation, so reading it inside the allocator cannot allocate).
    static COUNTED_THREAD: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if COUNTED_THREAD.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator unchanged, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Frames before counting, after both options are resident: the first use
/// of each pipeline and scene.
const WARM_UP: usize = 12;
/// Frames allowed for the worker to load both options.
const LOAD_FRAMES: usize = 20_000;
/// Frames counted; a "next" command at the fifth starts a 0.2 s fade (18
/// frames at 90 Hz), so the swap and the fade in are inside the count.
const COUNTED: usize = 40;

#[test]
fn steady_frames_across_a_switch_do_not_allocate() {
    COUNTED_THREAD.with(|c| c.set(true));
    let catalog =
        Arc::new(open_default_catalog(&CatalogLimits::default()).expect("the default catalog"));
    // Two options, both resident: every frame runs the residency
    // bookkeeping, and no upload lands inside the count.
    let options = OptionScenes {
        count: 2,
        ..OptionScenes::of_catalog(&catalog, 2)
    };
    let gpu = Gpu::offscreen(&GpuOptions { validation: false }).expect("a Vulkan device");
    let extent = vk::Extent2D {
        width: 64,
        height: 64,
    };
    let target = OffscreenTarget::new(&gpu, extent).expect("target");
    let mut stereo =
        StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    stereo
        .set_targets(&gpu, &[target.image()], None)
        .expect("targets");
    stereo.enable_gpu_timing().expect("timing");
    let mut resident = ResidentScenes::start(&mut stereo, &gpu, &options).expect("bare house");
    let mut fade = FadeRenderer::new(&gpu, &stereo, [0.0; 3]).expect("fade");
    let mut decorator = Decorator::new(2);
    decorator.show(Shown::Option(0));
    let mut transition = Transition::new(&TransitionConfig { seconds: 0.2 }, Shown::Bare);
    let mut before = 0;
    let mut swapped = false;
    let mut draws = 0;
    let mut settled_at = None;
    for frame in 0..LOAD_FRAMES {
        let start = match settled_at {
            Some(at) if frame == at + WARM_UP + COUNTED => break,
            Some(at) => at,
            None if resident.settled(decorator.shown())
                && !transition.fading()
                && transition.drawn() == decorator.shown() =>
            {
                *settled_at.insert(frame)
            }
            None => LOAD_FRAMES,
        };
        if frame == start + WARM_UP {
            before = ALLOCATIONS.load(Ordering::Relaxed);
        }
        let t = frame as f64 / 90.0;
        if frame == start + WARM_UP + 4 {
            assert!(decorator.apply(Command::Next, t).is_some());
        }
        let shown = decorator.shown();
        let step = transition.update(shown, resident.is_resident(shown), t);
        if frame >= start + WARM_UP {
            swapped |= step.swapped;
        }
        fade.set_amount(step.fade);
        let failed = resident
            .update(&mut stereo, shown, step.drawn, transition.fading())
            .expect("residency");
        assert!(failed.is_none(), "{failed:?}");
        let scene = resident
            .scene(step.drawn)
            .or(resident.scene(Shown::Bare))
            .expect("the bare house is resident");
        // The head turns, so culling and the blend order change every frame.
        let yaw = 40.0 * (frame as f32 * 0.2).sin();
        let views =
            EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.5), yaw, 0.063, Fov::symmetric(90.0));
        stereo.wait_next_slot().expect("slot");
        stereo
            .render_layers(&gpu, 0, &views, scene, None, Some(&fade))
            .expect("render");
        draws += stereo.frame_counts().draw_calls;
        std::hint::black_box(stereo.gpu_time_ms());
    }
    assert!(
        settled_at.is_some(),
        "both options loaded within {LOAD_FRAMES} frames"
    );
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    stereo.wait_idle(&gpu);
    assert!(swapped, "the switch happened inside the counted frames");
    assert!(draws > 0, "frames drew something");
    assert_eq!(
        allocations, 0,
        "{allocations} allocations in {COUNTED} frames"
    );
}

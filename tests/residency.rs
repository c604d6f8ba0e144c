//! Options loaded ahead on the renderer's worker and far ones released, from
//! the outside, with the validation layer on: a tour of every option of the
//! default catalog with one option resident (each is shown, and GPU memory
//! never holds more than the bound plus the option being faded out), and a
//! catalog with a broken model, whose option is skipped while the tour goes on.

mod catalog_support;

use std::collections::BTreeSet;
use std::sync::Arc;

use ash::vk;
use glam::Vec3;
use roomwave::app::{Command, Decorator, Shown, Transition, TransitionConfig};
use roomwave::catalog::{CatalogLimits, StagedCatalog, open_catalog, open_default_catalog};
use roomwave::render::{
    EyeView, FadeRenderer, Fov, Gpu, GpuOptions, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT,
    OffscreenTarget, OptionScenes, ResidentScenes, StereoRenderer,
};

/// Tiny eyes: what is checked is which scene is drawn and what is resident.
const SIZE: u32 = 48;
/// Frames allowed per option before calling the tour stuck: an upload with
/// validation on a loaded 2-core host takes seconds, frames take milliseconds.
const FRAMES_PER_OPTION: usize = 20_000;

fn scenes(catalog: &Arc<StagedCatalog>, resident_options: usize) -> OptionScenes {
    OptionScenes::of_catalog(catalog, resident_options)
}

struct Tour {
    _target: OffscreenTarget,
    stereo: StereoRenderer,
    fade: FadeRenderer,
    resident: ResidentScenes,
    decorator: Decorator,
    transition: Transition,
    frame: usize,
    /// Options drawn with no fade over them: shown for real.
    seen: BTreeSet<usize>,
    /// Most option scenes holding GPU memory in any frame.
    most_in_memory: usize,
    failures: Vec<(usize, String)>,
}

impl Tour {
    fn new(gpu: &Gpu, scenes: &OptionScenes) -> Tour {
        let extent = vk::Extent2D {
            width: SIZE,
            height: SIZE,
        };
        let target = OffscreenTarget::new(gpu, extent).expect("target");
        let mut stereo =
            StereoRenderer::new(gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
                .expect("renderer");
        stereo
            .set_targets(gpu, &[target.image()], None)
            .expect("targets");
        let resident = ResidentScenes::start(&mut stereo, gpu, scenes).expect("bare house");
        let fade = FadeRenderer::new(gpu, &stereo, [0.0; 3]).expect("fade");
        // A short fade: the option being left is still drawn for a few frames.
        let transition = Transition::new(&TransitionConfig { seconds: 0.1 }, Shown::Bare);
        Tour {
            _target: target,
            stereo,
            fade,
            resident,
            decorator: Decorator::new(scenes.count).with_cooldown(0.0),
            transition,
            frame: 0,
            seen: BTreeSet::new(),
            most_in_memory: 0,
            failures: Vec::new(),
        }
    }

    /// One frame of the session's loop (`xr::session`'s choose_scene and render).
    fn frame(&mut self, gpu: &Gpu) {
        let t = self.frame as f64 / 90.0;
        self.frame += 1;
        let from = self.transition.drawn();
        if let Some(instead) = self.resident.replacement(self.decorator.shown(), from) {
            self.decorator.show(instead);
        }
        let shown = self.decorator.shown();
        let step = self
            .transition
            .update(shown, self.resident.is_resident(shown), t);
        self.fade.set_amount(step.fade);
        let fading = self.transition.fading();
        if let Some(failure) = self
            .resident
            .update(&mut self.stereo, shown, step.drawn, fading)
            .expect("residency update")
        {
            self.failures.push(failure);
        }
        let scene = self
            .resident
            .scene(step.drawn)
            .expect("the drawn option is resident");
        let views =
            EyeView::stereo_pair(Vec3::new(0.3, 1.6, 0.8), 0.0, 0.063, Fov::symmetric(90.0));
        self.stereo
            .render_layers(gpu, 0, &views, scene, None, Some(&self.fade))
            .expect("render");
        if let Some(i) = step.drawn.index()
            && step.fade == 0.0
        {
            self.seen.insert(i);
        }
        self.most_in_memory = self
            .most_in_memory
            .max(self.stereo.scene_count().saturating_sub(1));
    }

    /// Waves once and draws until the new option is shown with no fade.
    fn next(&mut self, gpu: &Gpu) -> Shown {
        self.go(gpu, Command::Next)
    }

    /// Gives `command` and draws until the new option is shown with no fade.
    fn go(&mut self, gpu: &Gpu, command: Command) -> Shown {
        self.decorator.apply(command, self.frame as f64 / 90.0);
        for _ in 0..FRAMES_PER_OPTION {
            self.frame(gpu);
            let shown = self.decorator.shown();
            if self.transition.drawn() == shown && !self.transition.fading() {
                return shown;
            }
        }
        panic!(
            "{:?} was not shown within {FRAMES_PER_OPTION} frames",
            self.decorator.shown()
        );
    }
}

#[test]
fn every_default_option_is_shown_with_one_resident_and_memory_bounded() {
    let catalog = Arc::new(
        open_default_catalog(&CatalogLimits::default())
            .expect("the default catalog parses")
            .with_cached_options(1),
    );
    let count = catalog.catalog.options.len();
    assert!(count >= 3, "{count} options");
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    // With one option cached, the cache holds at most one option's models.
    let most_models = catalog
        .catalog
        .options
        .iter()
        .map(|o| {
            let mut paths: Vec<_> = o.items.iter().map(|i| &i.model).collect();
            paths.sort();
            paths.dedup();
            paths.len()
        })
        .max()
        .unwrap_or(0);
    let all_models = catalog.catalog.model_paths().len();
    assert!(most_models < all_models, "{most_models} of {all_models}");
    let mut tour = Tour::new(&gpu, &scenes(&catalog, 1));
    for _ in 0..count {
        tour.next(&gpu);
        assert!(
            catalog.cached_models() <= most_models,
            "the model cache holds {} models; one option has at most {most_models}",
            catalog.cached_models()
        );
    }
    tour.stereo.wait_idle(&gpu);
    assert_eq!(tour.seen, (0..count).collect(), "every option was drawn");
    assert!(tour.failures.is_empty(), "{:?}", tour.failures);
    // One wanted, plus the one still faded out while its successor is drawn.
    assert!(
        tour.most_in_memory == 2,
        "{} option scenes on the GPU at once with one resident",
        tour.most_in_memory
    );
    let report = tour.resident.report();
    assert_eq!(report.bound, 1);
    assert!(report.loads >= count as u64, "{report:?}");
    assert!(report.evictions >= count as u64 - 1, "{report:?}");
    assert!(report.max_resident_options <= 2, "{report:?}");
    assert!(report.max_scene_bytes > 0, "{report:?}");
    // After a full tour, only the shown option remains (the last one freed once its frames ended).
    for _ in 0..4 {
        tour.frame(&gpu);
    }
    assert_eq!(
        tour.stereo.scene_count(),
        2,
        "the bare house and the shown option"
    );
    drop(tour);
    let messages = gpu.validation_messages();
    assert!(messages.is_empty(), "validation: {messages:#?}");
}

#[test]
fn an_option_that_fails_to_load_is_skipped_and_the_tour_goes_on() {
    use catalog_support::{HOUSE, box_glb, option, scratch, write};
    let dir = scratch("residency-broken");
    write(&dir, "models/box.glb", &box_glb(1.0, 0.8, 0.6));
    let mut broken = box_glb(1.0, 0.8, 0.6);
    broken.truncate(broken.len() / 2);
    write(&dir, "models/broken.glb", &broken);
    let text = format!(
        "{HOUSE}{}{}{}",
        option("Good", "models/box.glb", "red", "rain"),
        option("Broken", "models/broken.glb", "red", "fireplace"),
        option("Also good", "models/box.glb", "blue", "chimes")
    );
    write(&dir, "house.toml", text.as_bytes());
    let catalog = Arc::new(
        open_catalog(&dir.join("house.toml"), &CatalogLimits::default())
            .expect("the catalog itself is valid"),
    );
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let mut tour = Tour::new(&gpu, &scenes(&catalog, 2));
    assert_eq!(tour.next(&gpu), Shown::Option(0));
    // The wave to "Broken" lands on "Also good": the broken option is
    // preloaded as the next one, fails on the worker, and is skipped.
    assert_eq!(tour.next(&gpu), Shown::Option(2));
    // A swipe back from "Also good" skips it backwards, to "Good".
    assert_eq!(tour.go(&gpu, Command::Previous), Shown::Option(0));
    assert_eq!(tour.next(&gpu), Shown::Option(2), "and the tour goes on");
    assert_eq!(tour.failures.len(), 1, "one warning: {:?}", tour.failures);
    let (index, problem) = &tour.failures[0];
    assert_eq!(*index, 1);
    assert!(
        problem.contains("options[1].items[0].model") && problem.contains("broken.glb"),
        "{problem}"
    );
    assert!(!tour.seen.contains(&1));
    drop(tour);
    let messages = gpu.validation_messages();
    assert!(messages.is_empty(), "validation: {messages:#?}");
}

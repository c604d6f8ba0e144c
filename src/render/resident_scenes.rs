//! The decoration options' scenes on the GPU, kept to the residency policy
//! ([`Residency`]): the bare house uploaded at start, the shown option and
//! its neighbours loaded ahead on the renderer's worker, far ones released.
//!
//! The policy is plain data in `app`; this is the half that acts on the
//! renderer, shared by the XR frame loop, `roomwave bench` and the tests so
//! that all three exercise the same code. [`ResidentScenes::update`] runs
//! between frames on the frame thread and allocates nothing unless an
//! upload lands or fails.

use super::error::RenderError;
use super::gpu::Gpu;
use super::stereo::{SceneId, StereoRenderer};
use super::upload::SceneLoader;
use crate::app::{OptionState, Residency, ResidencyAction, ResidencyReport, Shown};
use crate::catalog::StagedCatalog;
use crate::scene::Scene;
use std::sync::Arc;

/// The scenes a session draws: the bare house, and each option's built on request.
#[derive(Clone)]
pub struct OptionScenes {
    /// The bare house (uploaded at start: the first frame shows it).
    pub bare: Scene,
    /// How many options there are.
    pub count: usize,
    /// Builds option `i`'s scene; runs on the worker thread.
    pub load: SceneLoader,
    /// Option scenes to keep on the GPU (`[residency] resident_options`).
    pub resident_options: usize,
}

impl OptionScenes {
    /// The catalog's bare house now, each option's scene when the worker
    /// asks (its models decoded then, on that thread).
    pub fn of_catalog(catalog: &Arc<StagedCatalog>, resident_options: usize) -> Self {
        let source = Arc::clone(catalog);
        OptionScenes {
            bare: catalog.bare.clone(),
            count: catalog.catalog.options.len(),
            load: Arc::new(move |i| source.load_option(i).map_err(|e| e.to_string())),
            resident_options,
        }
    }
}

/// The options' GPU scenes and the policy that moves them.
pub struct ResidentScenes {
    residency: Residency,
    bare: SceneId,
    /// Option `i`'s scene, from the moment its upload is submitted.
    ids: Vec<Option<SceneId>>,
    report: ResidencyReport,
}

impl ResidentScenes {
    /// Uploads the bare house (waiting for it) and starts the worker.
    pub fn start(
        renderer: &mut StereoRenderer,
        gpu: &Gpu,
        scenes: &OptionScenes,
    ) -> Result<Self, RenderError> {
        let bare = renderer.upload_scene(gpu, &scenes.bare)?;
        renderer.start_scene_worker(scenes.load.clone())?;
        let residency = Residency::new(scenes.count, scenes.resident_options);
        let report = ResidencyReport {
            bound: residency.bound(),
            max_scene_bytes: renderer.scene_bytes(),
            ..ResidencyReport::default()
        };
        Ok(ResidentScenes {
            residency,
            bare,
            ids: vec![None; scenes.count],
            report,
        })
    }

    /// The drawable scene of `shown`, if it is resident.
    pub fn scene(&self, shown: Shown) -> Option<SceneId> {
        match shown {
            Shown::Bare => Some(self.bare),
            Shown::Option(i) if self.residency.state(i) == OptionState::Resident => {
                self.ids.get(i).copied().flatten()
            }
            Shown::Option(_) => None,
        }
    }

    /// Whether `shown` can be drawn now.
    pub fn is_resident(&self, shown: Shown) -> bool {
        self.residency.is_resident(shown)
    }

    /// What to show instead of `shown` when its option failed to load,
    /// going the way the wearer went from `from` (what was shown before).
    pub fn replacement(&self, shown: Shown, from: Shown) -> Option<Shown> {
        self.residency.replacement(shown, from)
    }

    /// The policy's state.
    pub fn residency(&self) -> &Residency {
        &self.residency
    }

    /// Whether every option wanted near `shown` is on the GPU.
    pub fn settled(&self, shown: Shown) -> bool {
        self.residency.settled(shown)
    }

    /// Loads, releases and peaks so far.
    pub fn report(&self) -> &ResidencyReport {
        &self.report
    }

    /// Between frames: takes the worker's finished scene, notes finished
    /// uploads, releases far options and asks for the next wanted one.
    /// `shown` is what the decorator shows, `drawn` what the frame will draw.
    /// No load starts while `fading`: on a device whose queue is the CPU
    /// (lavapipe) an upload's copies and shadow map run between the frames,
    /// and the fade's frames are the ones that must stay even. Returns an option that failed to load this time, with why (the
    /// message names the file); it is skipped from now on.
    pub fn update(
        &mut self,
        renderer: &mut StereoRenderer,
        shown: Shown,
        drawn: Shown,
        fading: bool,
    ) -> Result<Option<(usize, String)>, RenderError> {
        let mut failed = None;
        if let Some((i, result)) = renderer.receive_scene() {
            match result {
                Ok(id) if i < self.ids.len() => self.ids[i] = Some(id),
                Ok(id) => renderer.release_scene(id),
                Err(problem) => {
                    tracing::warn!(option = i, "option skipped: {problem}");
                    self.residency.failed(i);
                    self.report.failed += 1;
                    failed = Some((i, problem));
                }
            }
        }
        for i in 0..self.ids.len() {
            if self.residency.state(i) == OptionState::Loading
                && let Some(id) = self.ids[i]
                && renderer.scene_ready(id)?
            {
                self.residency.loaded(i);
                self.report.loads += 1;
            }
        }
        // At most one release per option and one load per call.
        for _ in 0..=self.ids.len() {
            let loading = self.residency.occupied_count() > self.residency.resident_count();
            // Released scenes still hold memory until their frames finish:
            // no new upload until they are freed keeps the bound strict.
            let releasing = renderer.scene_count() > 1 + self.residency.occupied_count();
            let idle = !fading && !renderer.worker_busy() && !loading && !releasing;
            match self.residency.next_action(shown, drawn, idle) {
                Some(ResidencyAction::Evict(i)) => {
                    if let Some(id) = self.ids[i].take() {
                        renderer.release_scene(id);
                    }
                    self.residency.evicted(i);
                    self.report.evictions += 1;
                }
                Some(ResidencyAction::Load(i)) => {
                    if renderer.request_scene(i) {
                        self.residency.loading(i);
                    }
                    break;
                }
                None => break,
            }
        }
        self.report.max_resident_options = self
            .report
            .max_resident_options
            .max(renderer.scene_count().saturating_sub(1));
        self.report.max_scene_bytes = self.report.max_scene_bytes.max(renderer.scene_bytes());
        Ok(failed)
    }
}

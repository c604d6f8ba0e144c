//! Which decoration options are kept on the GPU: the one shown and its
//! neighbours, loaded ahead on a worker so that a wave never waits for an
//! upload, and the far ones released so that GPU memory stays bounded.
//!
//! Plain data: the frame loop says what is shown and drawn and what the worker
//! reported; [`Residency::next_action`] answers with one load to start or one
//! scene to release. Nothing here allocates after [`Residency::new`], so it
//! runs every frame.

use serde::{Deserialize, Serialize};

use super::decorator::Shown;

/// Most option scenes the configuration may keep resident: each textured
/// option of the default catalog holds tens of MiB on the GPU.
pub const MAX_RESIDENT_OPTIONS: usize = 16;

/// The `[residency]` section of the run configuration.
///
/// A section of its own rather than a field of `[render]`: that section is
/// the render-scale controller's and refuses fields it does not know.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResidencyConfig {
    /// Option scenes kept on the GPU (the bare house is always there): the
    /// shown one, the next (a wave and auto-advance move forward), the
    /// previous, then further out. While a fade still draws the option being
    /// left, one more is resident.
    pub resident_options: usize,
}

impl Default for ResidencyConfig {
    fn default() -> Self {
        ResidencyConfig {
            resident_options: 3,
        }
    }
}

impl ResidencyConfig {
    /// Checks the range, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_RESIDENT_OPTIONS).contains(&self.resident_options) {
            return Err(format!(
                "resident_options = {}: choose 1 to {MAX_RESIDENT_OPTIONS}",
                self.resident_options
            ));
        }
        Ok(())
    }
}

/// What residency did over a session, for the run's JSON report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResidencyReport {
    /// Option scenes wanted on the GPU at a time (the bound, after clamping).
    pub bound: usize,
    /// Most option scenes holding GPU memory at once (uploading, drawable,
    /// or released but not yet freed); the bare house is not counted.
    pub max_resident_options: usize,
    /// Most GPU memory held by scenes at once, bare house included, bytes.
    pub max_scene_bytes: u64,
    /// Option uploads finished.
    pub loads: u64,
    /// Option scenes released.
    pub evictions: u64,
    /// Options that failed to load (and were skipped).
    pub failed: u64,
}

impl ResidencyReport {
    /// Adds a later session's figures (after a reconnect): peaks and counts over both.
    pub fn merge(&mut self, later: &ResidencyReport) {
        self.bound = later.bound;
        self.max_resident_options = self.max_resident_options.max(later.max_resident_options);
        self.max_scene_bytes = self.max_scene_bytes.max(later.max_scene_bytes);
        self.loads += later.loads;
        self.evictions += later.evictions;
        self.failed += later.failed;
    }
}

/// Where one option's scene is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionState {
    /// Not on the GPU and not asked for.
    Absent,
    /// Handed to the worker; its upload has not finished.
    Loading,
    /// On the GPU, drawable.
    Resident,
    /// Its models could not be loaded or uploaded: never asked for again.
    Failed,
}

/// What the frame loop should do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResidencyAction {
    /// Ask the worker for this option's scene.
    Load(usize),
    /// Release this option's scene (after the frames that drew it finish).
    Evict(usize),
}

/// The residency of every option, and the policy that moves it.
#[derive(Clone, Debug)]
pub struct Residency {
    states: Vec<OptionState>,
    bound: usize,
}

impl Residency {
    /// `option_count` options, all absent; at most `bound` wanted at a time
    /// (clamped to 1..=option_count).
    pub fn new(option_count: usize, bound: usize) -> Self {
        Residency {
            states: vec![OptionState::Absent; option_count],
            bound: bound.clamp(1, option_count.max(1)),
        }
    }

    /// How many options there are.
    pub fn option_count(&self) -> usize {
        self.states.len()
    }

    /// The bound on wanted options, after clamping.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// Where option `index` is (`Failed` for an index out of range).
    pub fn state(&self, index: usize) -> OptionState {
        self.states
            .get(index)
            .copied()
            .unwrap_or(OptionState::Failed)
    }

    /// Whether `shown` can be drawn now (the bare house always can).
    pub fn is_resident(&self, shown: Shown) -> bool {
        shown
            .index()
            .is_none_or(|i| self.state(i) == OptionState::Resident)
    }

    /// Options on the GPU now.
    pub fn resident_count(&self) -> usize {
        self.count(OptionState::Resident)
    }

    /// Options resident or being uploaded: what GPU memory may hold.
    pub fn occupied_count(&self) -> usize {
        self.count(OptionState::Resident) + self.count(OptionState::Loading)
    }

    fn count(&self, state: OptionState) -> usize {
        self.states.iter().filter(|&&s| s == state).count()
    }

    /// The `n`th option (from 0) in the order the policy wants them near
    /// `shown`, skipping failed ones: the shown option, then alternately
    /// forward and back (next, previous, next but one, ...). From the bare
    /// house, "next" is option 0 and "previous" the last, as in the decorator.
    pub fn wanted(&self, shown: Shown, n: usize) -> Option<usize> {
        let count = self.states.len();
        if n >= self.bound {
            return None;
        }
        let mut found = 0;
        // Every option appears once in the first `count` steps of the walk.
        for step in 0..count {
            let i = walk(shown, step, count);
            if self.states[i] == OptionState::Failed {
                continue;
            }
            if found == n {
                return Some(i);
            }
            found += 1;
        }
        None
    }

    /// Whether option `index` is among the first [`bound`](Self::bound) wanted.
    pub fn is_wanted(&self, shown: Shown, index: usize) -> bool {
        (0..self.bound).any(|n| self.wanted(shown, n) == Some(index))
    }

    /// Whether every option wanted near `shown` is resident (nothing left to load).
    pub fn settled(&self, shown: Shown) -> bool {
        (0..self.bound)
            .filter_map(|n| self.wanted(shown, n))
            .all(|i| self.states[i] == OptionState::Resident)
    }

    /// The next thing to do, given what the decorator shows and what the
    /// frame loop draws (the option being left, while a fade still shows it).
    /// `worker_idle` is false while the worker holds a request.
    ///
    /// Releases come first, so that memory is freed before more is taken.
    /// A load starts only while fewer than `bound + 1` options occupy the GPU,
    /// so the resident set never exceeds the bound plus the drawn one.
    pub fn next_action(
        &self,
        shown: Shown,
        drawn: Shown,
        worker_idle: bool,
    ) -> Option<ResidencyAction> {
        let evict = (0..self.states.len()).find(|&i| {
            self.states[i] == OptionState::Resident
                && drawn.index() != Some(i)
                && !self.is_wanted(shown, i)
        });
        if let Some(i) = evict {
            return Some(ResidencyAction::Evict(i));
        }
        if !worker_idle || self.occupied_count() > self.bound {
            return None;
        }
        (0..self.bound)
            .filter_map(|n| self.wanted(shown, n))
            .find(|&i| self.states[i] == OptionState::Absent)
            .map(ResidencyAction::Load)
    }

    /// Option `index` was handed to the worker.
    pub fn loading(&mut self, index: usize) {
        self.set(index, OptionState::Loading);
    }

    /// Option `index` is on the GPU.
    pub fn loaded(&mut self, index: usize) {
        self.set(index, OptionState::Resident);
    }

    /// Option `index` could not be loaded; it is skipped from now on.
    pub fn failed(&mut self, index: usize) {
        self.set(index, OptionState::Failed);
    }

    /// Option `index` was released.
    pub fn evicted(&mut self, index: usize) {
        self.set(index, OptionState::Absent);
    }

    fn set(&mut self, index: usize, state: OptionState) {
        if let Some(s) = self.states.get_mut(index) {
            *s = state;
        }
    }

    /// What to show instead of `shown` when it failed: the nearest option
    /// that has not failed, going the way the wearer went from `from` (back
    /// when `shown` is the option before `from`, as a "previous" swipe lands,
    /// forward otherwise, as a wave does); the bare house when every option
    /// failed. `None` when `shown` is fine.
    pub fn replacement(&self, shown: Shown, from: Shown) -> Option<Shown> {
        let i = shown.index()?;
        if self.state(i) != OptionState::Failed {
            return None;
        }
        let count = self.states.len();
        let before = |j: usize| (j + count - 1) % count;
        let back = match from {
            Shown::Option(f) => count > 2 && i == before(f),
            Shown::Bare => count > 1 && i == count - 1,
        };
        Some(
            (1..count)
                .map(|k| {
                    if back {
                        (i + count - k) % count
                    } else {
                        (i + k) % count
                    }
                })
                .find(|&j| self.states[j] != OptionState::Failed)
                .map_or(Shown::Bare, Shown::Option),
        )
    }
}

/// Step `step` of the walk outwards from `shown` over `count` options.
fn walk(shown: Shown, step: usize, count: usize) -> usize {
    match shown {
        // From the bare house: option 0, the last, option 1, the one before the last...
        Shown::Bare => {
            let k = step / 2;
            if step.is_multiple_of(2) {
                k
            } else {
                count - 1 - k
            }
        }
        // The shown option, next, previous, next but one, previous but one...
        Shown::Option(i) => {
            let k = step.div_ceil(2);
            if !step.is_multiple_of(2) {
                (i + k) % count
            } else {
                (i + count - k % count) % count
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(r: &Residency, shown: Shown) -> Vec<usize> {
        (0..r.bound()).filter_map(|n| r.wanted(shown, n)).collect()
    }

    #[test]
    fn wanted_is_shown_then_next_then_previous() {
        let r = Residency::new(6, 3);
        assert_eq!(order(&r, Shown::Option(2)), [2, 3, 1]);
        assert_eq!(order(&r, Shown::Option(5)), [5, 0, 4], "wraps forward");
        assert_eq!(order(&r, Shown::Option(0)), [0, 1, 5], "wraps back");
        assert_eq!(order(&r, Shown::Bare), [0, 5, 1], "first, last, second");
        let wide = Residency::new(6, 6);
        assert_eq!(order(&wide, Shown::Option(2)), [2, 3, 1, 4, 0, 5]);
        assert_eq!(order(&wide, Shown::Bare), [0, 5, 1, 4, 2, 3]);
    }

    #[test]
    fn bound_is_clamped_to_the_options() {
        assert_eq!(Residency::new(2, 3).bound(), 2);
        assert_eq!(Residency::new(5, 0).bound(), 1);
        assert_eq!(order(&Residency::new(2, 3), Shown::Option(1)), [1, 0]);
        let none = Residency::new(0, 3);
        assert_eq!(none.next_action(Shown::Bare, Shown::Bare, true), None);
        assert!(none.is_resident(Shown::Bare));
    }

    #[test]
    fn loads_in_priority_order_one_at_a_time() {
        let mut r = Residency::new(6, 3);
        let shown = Shown::Option(2);
        assert_eq!(
            r.next_action(shown, shown, true),
            Some(ResidencyAction::Load(2))
        );
        r.loading(2);
        assert_eq!(r.next_action(shown, shown, false), None, "worker busy");
        r.loaded(2);
        assert!(r.is_resident(shown));
        assert_eq!(
            r.next_action(shown, shown, true),
            Some(ResidencyAction::Load(3))
        );
        r.loading(3);
        r.loaded(3);
        assert_eq!(
            r.next_action(shown, shown, true),
            Some(ResidencyAction::Load(1))
        );
        r.loading(1);
        r.loaded(1);
        assert_eq!(r.next_action(shown, shown, true), None, "all wanted are in");
        assert_eq!(r.resident_count(), 3);
    }

    #[test]
    fn far_options_are_evicted_but_not_the_one_still_drawn() {
        let mut r = Residency::new(6, 2);
        for i in [2, 3] {
            r.loading(i);
            r.loaded(i);
        }
        // A wave: 3 is shown, the fade still draws 2; 2 is previous of 3, not wanted at K=2.
        let (shown, drawn) = (Shown::Option(3), Shown::Option(2));
        assert_eq!(order(&r, shown), [3, 4]);
        assert_eq!(
            r.next_action(shown, drawn, true),
            Some(ResidencyAction::Load(4))
        );
        r.loading(4);
        // Three occupy the GPU: K + 1, so nothing more starts.
        assert_eq!(r.occupied_count(), 3);
        r.loaded(4);
        assert_eq!(r.next_action(shown, drawn, true), None);
        // The fade swaps: 2 is no longer drawn and goes.
        assert_eq!(
            r.next_action(shown, shown, true),
            Some(ResidencyAction::Evict(2))
        );
        r.evicted(2);
        assert_eq!(r.next_action(shown, shown, true), None);
        assert_eq!(r.resident_count(), 2);
    }

    #[test]
    fn never_more_than_bound_plus_one_over_a_tour() {
        let count = 7;
        for bound in 1..=4 {
            let mut r = Residency::new(count, bound);
            let mut drawn = Shown::Bare;
            let mut in_flight: Option<usize> = None;
            for step in 0..count * 3 {
                let shown = Shown::Option(step % count);
                // A few frames per option: the upload lands, then the fade swaps.
                for frame in 0..6 {
                    if frame == 3 && r.is_resident(shown) {
                        drawn = shown;
                    }
                    if let Some(i) = in_flight.take() {
                        r.loaded(i);
                    }
                    while let Some(action) = r.next_action(shown, drawn, in_flight.is_none()) {
                        match action {
                            ResidencyAction::Load(i) => {
                                r.loading(i);
                                in_flight = Some(i);
                            }
                            ResidencyAction::Evict(i) => r.evicted(i),
                        }
                    }
                    assert!(
                        r.occupied_count() <= bound + 1,
                        "K={bound}: {} occupied at step {step}",
                        r.occupied_count()
                    );
                }
                assert!(r.is_resident(shown), "K={bound}: {shown:?} never arrived");
            }
        }
    }

    #[test]
    fn failed_options_are_skipped_and_replaced() {
        let mut r = Residency::new(4, 2);
        r.failed(2);
        assert_eq!(
            order(&r, Shown::Option(1)),
            [1, 0],
            "2 is skipped: previous next"
        );
        assert_eq!(order(&r, Shown::Option(3)), [3, 0]);
        // A wave from 1 lands on 3; a "previous" from 3 lands on 1.
        assert_eq!(
            r.replacement(Shown::Option(2), Shown::Option(1)),
            Some(Shown::Option(3))
        );
        assert_eq!(
            r.replacement(Shown::Option(2), Shown::Option(3)),
            Some(Shown::Option(1))
        );
        assert_eq!(r.replacement(Shown::Option(1), Shown::Option(0)), None);
        assert_eq!(r.replacement(Shown::Bare, Shown::Option(0)), None);
        r.failed(3);
        // "Previous" from the bare house lands on the last option: back from there.
        assert_eq!(
            r.replacement(Shown::Option(3), Shown::Bare),
            Some(Shown::Option(1))
        );
        for i in [0, 1] {
            r.failed(i);
        }
        assert_eq!(
            r.replacement(Shown::Option(2), Shown::Option(1)),
            Some(Shown::Bare)
        );
        assert_eq!(r.next_action(Shown::Bare, Shown::Bare, true), None);
    }

    #[test]
    fn config_range_is_checked() {
        assert!(ResidencyConfig::default().validate().is_ok());
        let zero = ResidencyConfig {
            resident_options: 0,
        };
        assert!(
            zero.validate()
                .unwrap_err()
                .contains("resident_options = 0")
        );
        let parsed: ResidencyConfig = toml::from_str("resident_options = 1").unwrap();
        assert_eq!(parsed.resident_options, 1);
        assert!(toml::from_str::<ResidencyConfig>("resident = 1").is_err());
    }
}

//! The fade between two decoration options: the view darkens, the option
//! swaps at the midpoint (fully dark), and the view brightens again.
//!
//! Plain data: the frame loop hands in what the decorator wants shown, whether
//! that option's scene is on the GPU, and the time; it gets back which option
//! to draw and how dark to make it. A hard cut in a headset is a jolt the
//! whole field of view takes at once; a fade of about half a second through
//! black is the usual comfortable choice (and 0 s keeps the hard cut).

use serde::Deserialize;

use super::decorator::Shown;

/// Longest fade accepted: past 5 s a switch feels broken, not calm.
pub const MAX_TRANSITION_SECONDS: f64 = 5.0;

/// The `[transition]` section of the run configuration.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TransitionConfig {
    /// Length of the whole fade (out and in), seconds; 0 is a hard cut.
    pub seconds: f64,
}

impl Default for TransitionConfig {
    fn default() -> Self {
        TransitionConfig { seconds: 0.6 }
    }
}

impl TransitionConfig {
    /// Checks the range, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.seconds.is_finite() && (0.0..=MAX_TRANSITION_SECONDS).contains(&self.seconds)) {
            return Err(format!(
                "seconds = {}: choose 0 (hard cut) to {MAX_TRANSITION_SECONDS}",
                self.seconds
            ));
        }
        Ok(())
    }
}

/// What to draw this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransitionFrame {
    /// The option whose scene is drawn.
    pub drawn: Shown,
    /// How much of the fade colour covers the view: 0 none, 1 all.
    pub fade: f32,
    /// True on the frame where `drawn` changed.
    pub swapped: bool,
    /// True when the wanted option is not resident, so the old one stays.
    pub waiting: bool,
}

/// The fade state machine.
#[derive(Clone, Debug)]
pub struct Transition {
    seconds: f64,
    drawn: Shown,
    /// The option the running fade swaps to at its midpoint.
    target: Shown,
    /// Start time of the running fade, `None` when no fade runs.
    started: Option<f64>,
}

impl Transition {
    /// Starts showing `initial`, with fades of `config.seconds`.
    pub fn new(config: &TransitionConfig, initial: Shown) -> Self {
        Transition {
            seconds: config.seconds.clamp(0.0, MAX_TRANSITION_SECONDS),
            drawn: initial,
            target: initial,
            started: None,
        }
    }

    /// The option drawn now.
    pub fn drawn(&self) -> Shown {
        self.drawn
    }

    /// True while a fade runs.
    pub fn fading(&self) -> bool {
        self.started.is_some()
    }

    /// Progress of the running fade at `t`, 0 to 1 (0 when none runs).
    fn progress(&self, t: f64) -> f64 {
        match self.started {
            Some(start) if self.seconds > 0.0 => ((t - start) / self.seconds).clamp(0.0, 1.0),
            _ => 0.0,
        }
    }

    /// Advances to time `t` (seconds, monotonic). `wanted` is what the
    /// decorator shows; `resident` says whether that option can be drawn now.
    ///
    /// A new choice during the first half of a fade only changes what the
    /// midpoint swaps to. During the second half (the new option is already
    /// visible) the fade turns round from its present darkness, so the view
    /// never jumps in brightness. A wanted option that is not resident is
    /// not faded to yet: the old one stays (and `waiting` is set).
    pub fn update(&mut self, wanted: Shown, resident: bool, t: f64) -> TransitionFrame {
        let waiting = wanted != self.target && !resident;
        if wanted != self.target && resident {
            let p = self.progress(t);
            match self.started {
                _ if self.seconds <= 0.0 => {}
                None => self.started = Some(t),
                // Before the swap: keep darkening towards the new target.
                Some(_) if p < 0.5 => {}
                // After it: mirror the progress so the darkness is unchanged
                // and rises again towards a new midpoint.
                Some(_) => self.started = Some(t - (1.0 - p) * self.seconds),
            }
            self.target = wanted;
        }
        let mut swapped = false;
        let p = self.progress(t);
        if self.seconds <= 0.0 || (self.started.is_some() && p >= 0.5) {
            swapped = self.drawn != self.target;
            self.drawn = self.target;
        }
        let fade = if self.started.is_some() {
            (1.0 - (2.0 * p - 1.0).abs()) as f32
        } else {
            0.0
        };
        if self.started.is_some() && p >= 1.0 {
            self.started = None;
        }
        TransitionFrame {
            drawn: self.drawn,
            fade,
            swapped,
            waiting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fading(seconds: f64) -> Transition {
        Transition::new(&TransitionConfig { seconds }, Shown::Bare)
    }

    #[test]
    fn fade_rises_swaps_at_the_midpoint_and_falls() {
        let mut t = fading(1.0);
        let a = Shown::Option(0);
        let f = t.update(a, true, 10.0);
        assert_eq!((f.drawn, f.fade, f.swapped), (Shown::Bare, 0.0, false));
        let f = t.update(a, true, 10.25);
        assert_eq!(f.drawn, Shown::Bare);
        assert!((f.fade - 0.5).abs() < 1e-6, "{f:?}");
        let f = t.update(a, true, 10.49);
        assert_eq!(f.drawn, Shown::Bare, "not swapped before the midpoint");
        let f = t.update(a, true, 10.5);
        assert!(
            f.swapped && f.drawn == a && (f.fade - 1.0).abs() < 1e-6,
            "{f:?}"
        );
        let f = t.update(a, true, 10.75);
        assert!(!f.swapped && (f.fade - 0.5).abs() < 1e-6, "{f:?}");
        let f = t.update(a, true, 11.2);
        assert_eq!((f.drawn, f.fade), (a, 0.0));
        assert!(!t.fading());
        let f = t.update(a, true, 12.0);
        assert_eq!((f.drawn, f.fade, f.swapped), (a, 0.0, false));
    }

    #[test]
    fn zero_seconds_is_a_hard_cut() {
        let mut t = fading(0.0);
        let f = t.update(Shown::Option(3), true, 1.0);
        assert_eq!((f.drawn, f.fade, f.swapped), (Shown::Option(3), 0.0, true));
        assert!(!t.fading());
    }

    #[test]
    fn a_new_choice_before_the_midpoint_retargets_the_same_fade() {
        let mut t = fading(1.0);
        t.update(Shown::Option(0), true, 0.0);
        let f = t.update(Shown::Option(1), true, 0.3);
        assert!((f.fade - 0.6).abs() < 1e-6, "darkness continues: {f:?}");
        let f = t.update(Shown::Option(1), true, 0.5);
        assert_eq!(f.drawn, Shown::Option(1), "option 0 is skipped");
        assert!(f.swapped);
    }

    #[test]
    fn a_new_choice_after_the_midpoint_turns_the_fade_round_without_a_jump() {
        let mut t = fading(1.0);
        t.update(Shown::Option(0), true, 0.0);
        t.update(Shown::Option(0), true, 0.5);
        let before = t.update(Shown::Option(0), true, 0.8).fade;
        let f = t.update(Shown::Option(1), true, 0.8);
        assert!((f.fade - before).abs() < 1e-5, "{} vs {before}", f.fade);
        assert_eq!(f.drawn, Shown::Option(0), "still the first until dark");
        let f = t.update(Shown::Option(1), true, 0.9);
        assert!(f.fade > before, "darkening again: {f:?}");
        // The mirrored fade reaches its midpoint 0.3 s after the turn.
        let f = t.update(Shown::Option(1), true, 1.1);
        assert_eq!(f.drawn, Shown::Option(1));
        assert!((f.fade - 1.0).abs() < 1e-4, "{f:?}");
    }

    #[test]
    fn an_option_not_resident_keeps_the_old_one_without_fading() {
        let mut t = fading(0.6);
        let f = t.update(Shown::Option(2), false, 1.0);
        assert!(f.waiting);
        assert_eq!((f.drawn, f.fade), (Shown::Bare, 0.0));
        assert!(!t.fading());
        let f = t.update(Shown::Option(2), true, 1.5);
        assert!(!f.waiting && t.fading());
        let f = t.update(Shown::Option(2), true, 1.8);
        assert_eq!(f.drawn, Shown::Option(2));
    }

    #[test]
    fn config_range_is_checked() {
        assert!(TransitionConfig { seconds: 0.0 }.validate().is_ok());
        assert!(TransitionConfig::default().validate().is_ok());
        let e = TransitionConfig { seconds: -1.0 }.validate().unwrap_err();
        assert!(e.contains("seconds = -1"), "{e}");
        assert!(TransitionConfig { seconds: f64::NAN }.validate().is_err());
        assert!(TransitionConfig { seconds: 9.0 }.validate().is_err());
    }
}

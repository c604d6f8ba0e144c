//! Fade envelopes for crossfading ambiences.

use std::f32::consts::FRAC_PI_2;

/// A fade that moves a linear position towards 0 or 1 at a fixed rate and
/// reads out an equal-power gain (`sin(position * pi/2)`): two uncorrelated
/// loops crossfading this way keep a constant total power, with no dip halfway.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fade {
    position: f32,
    target: f32,
    step: f32,
}

impl Fade {
    /// A fade starting at `position` (0 silent, 1 full).
    pub fn at(position: f32) -> Self {
        Fade {
            position: position.clamp(0.0, 1.0),
            target: position.clamp(0.0, 1.0),
            step: 0.0,
        }
    }

    /// Starts moving to `target` (0 or 1), taking `samples` for a full 0-to-1 swing.
    pub fn to(&mut self, target: f32, samples: u32) {
        self.target = target.clamp(0.0, 1.0);
        self.step = 1.0 / samples.max(1) as f32;
    }

    /// The gain now, then advances by one sample.
    pub fn next_gain(&mut self) -> f32 {
        let g = self.gain();
        if self.position < self.target {
            self.position = (self.position + self.step).min(self.target);
        } else if self.position > self.target {
            self.position = (self.position - self.step).max(self.target);
        }
        g
    }

    /// The equal-power gain at the current position.
    pub fn gain(&self) -> f32 {
        (self.position * FRAC_PI_2).sin()
    }

    /// The linear position, 0 to 1.
    pub fn position(&self) -> f32 {
        self.position
    }

    /// Whether it has faded out completely and will stay silent.
    pub fn is_silent(&self) -> bool {
        self.position <= 0.0 && self.target <= 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crossfade_keeps_the_power_constant() {
        let mut out = Fade::at(1.0);
        let mut inn = Fade::at(0.0);
        out.to(0.0, 100);
        inn.to(1.0, 100);
        for _ in 0..120 {
            let (a, b) = (out.next_gain(), inn.next_gain());
            assert!((a * a + b * b - 1.0).abs() < 1e-4);
        }
        assert!(out.is_silent());
        assert_eq!(inn.gain(), 1.0);
    }

    #[test]
    fn a_fade_reverses_from_where_it_is() {
        let mut f = Fade::at(0.0);
        f.to(1.0, 10);
        for _ in 0..5 {
            f.next_gain();
        }
        f.to(0.0, 10);
        let before = f.position();
        f.next_gain();
        assert!((before - 0.5).abs() < 1e-5 && f.position() < before);
        assert!(!f.is_silent());
    }
}

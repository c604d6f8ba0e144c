//! The detector's thresholds: one serde section (`[gesture]`) with documented defaults.

use serde::{Deserialize, Serialize};

/// A threshold outside the range the detector can work with.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("gesture config: `{field}` = {value} is out of range: {rule}")]
pub struct ConfigError {
    /// The offending key in the `[gesture]` section.
    pub field: &'static str,
    /// The value that was given.
    pub value: f64,
    /// What the value must satisfy.
    pub rule: String,
}

/// Thresholds of the gesture detector. Distances are metres, times seconds, speeds m/s.
///
/// Heights are relative to the eyes (the head pose); "forward" is along the head's current yaw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GestureConfig {
    /// A finger counts as extended when its tip is at least this many hand sizes from the palm
    /// (hand size: wrist to middle knuckle). Open hands measure 0.9-1.3, fists 0.3-0.7. Default 0.8.
    pub finger_extended_ratio: f32,
    /// Fingers (of index, middle, ring, little) that must be extended for an open hand;
    /// 3 lets a relaxed little finger pass while a point (1) fails. Default 3.
    pub open_min_fingers: u8,
    /// Share of a motion's frames in which the hand must be open. Default 0.75.
    pub open_fraction_min: f32,
    /// Speeds are measured over at least this window: tracking arrives as noisy steps
    /// (Monado holds samples), so two-frame differences are unreliable. Default 0.045.
    pub velocity_window: f32,
    /// Lateral speed at which a stroke (one sideways movement) begins. Default 0.45.
    pub stroke_start_speed: f32,
    /// Lateral speed below which a stroke has stopped. Default 0.25.
    pub stroke_stop_speed: f32,
    /// A sample implying a faster hand than this is a tracking glitch and is dropped. Default 8.0.
    pub glitch_speed: f32,
    /// Longest time between two tracked samples that is bridged inside a gesture; longer
    /// gaps reset the hand. 100 ms of lost tracking at 20 Hz is 150 ms between samples. Default 0.2.
    pub max_dropout: f32,
    /// Shortest lateral travel of a swipe. Default 0.18.
    pub swipe_min_length: f32,
    /// Longest lateral travel of a swipe. Default 0.8.
    pub swipe_max_length: f32,
    /// Shortest duration of a swipe's sweep. Default 0.1.
    pub swipe_min_duration: f32,
    /// Longest duration of a swipe's sweep. Default 0.9.
    pub swipe_max_duration: f32,
    /// Lowest peak lateral speed of a swipe. Default 0.6.
    pub swipe_min_peak_speed: f32,
    /// Largest vertical plus forward travel, as a share of the lateral travel (rejects reaches). Default 0.6.
    pub swipe_max_off_axis: f32,
    /// Share of a swipe's travel that must also show relative to the head's turning frame: a
    /// hand held out while the whole body turns sweeps through the room but not across the
    /// wearer's view. Below 1 so that a head following the hand does not cancel the swipe. Default 0.5.
    pub swipe_min_head_share: f32,
    /// Time after the hand stops before a swipe is reported: long enough to see whether the hand
    /// reverses (the start of a wave reverses within about 0.09 s at 1.5 Hz). Default 0.1.
    pub swipe_confirm: f32,
    /// A swipe must start from rest: no earlier stroke ended less than this before it. Default 0.25.
    pub swipe_rest_before: f32,
    /// A stroke against the previous swipe's direction that sets off within this time of that
    /// swipe's end is the hand coming back, not a swipe. Default 0.8.
    pub swipe_return_window: f32,
    /// Lowest palm height of a swipe relative to the eyes. Default -0.6.
    pub swipe_min_height: f32,
    /// Lateral strokes reversing at least this many times make a wave. Default 2.
    pub wave_min_reversals: u8,
    /// Shortest stroke of a wave (a small, tired wave of 0.08 m per side has 0.08 m strokes). Default 0.07.
    pub wave_min_stroke: f32,
    /// Longest stroke of a wave. Default 0.7.
    pub wave_max_stroke: f32,
    /// Longest duration of one wave stroke (a half cycle; 0.6 s is below 1 Hz). Default 0.6.
    pub wave_max_stroke_duration: f32,
    /// Longest pause between two strokes of a wave. Default 0.25.
    pub wave_max_gap: f32,
    /// Lowest palm height of a wave relative to the eyes (about the shoulders). Default -0.5.
    pub wave_min_height: f32,
    /// Highest palm height of a gesture relative to the eyes. Default 0.4.
    pub max_height: f32,
    /// Cosine of the largest angle between the palm normal and the head's forward axis in a
    /// wave (palm facing away from the head). Default 0.4.
    pub wave_palm_away_min: f32,
    /// Cosine bound for swipes: the palm must not face back at the wearer more than this (palm
    /// normal dotted with the head's forward axis must be at least minus this). A swipe's palm
    /// faces the motion or forward. Default 0.4.
    pub swipe_palm_toward_head_max: f32,
    /// Least distance of the palm in front of the eyes for any gesture. Default 0.1.
    pub min_forward: f32,
    /// Quiet time after which a wave is over and the hand can gesture again. Default 0.4.
    pub wave_end_quiet: f32,
    /// Least time between two events of the same hand. Default 0.6.
    pub cooldown: f32,
}

impl Default for GestureConfig {
    fn default() -> Self {
        Self {
            finger_extended_ratio: 0.8,
            open_min_fingers: 3,
            open_fraction_min: 0.75,
            velocity_window: 0.045,
            stroke_start_speed: 0.45,
            stroke_stop_speed: 0.25,
            glitch_speed: 8.0,
            max_dropout: 0.2,
            swipe_min_length: 0.18,
            swipe_max_length: 0.8,
            swipe_min_duration: 0.1,
            swipe_max_duration: 0.9,
            swipe_min_peak_speed: 0.6,
            swipe_max_off_axis: 0.6,
            swipe_min_head_share: 0.5,
            swipe_confirm: 0.1,
            swipe_rest_before: 0.25,
            swipe_return_window: 0.8,
            swipe_min_height: -0.6,
            wave_min_reversals: 2,
            wave_min_stroke: 0.07,
            wave_max_stroke: 0.7,
            wave_max_stroke_duration: 0.6,
            wave_max_gap: 0.25,
            wave_min_height: -0.5,
            max_height: 0.4,
            wave_palm_away_min: 0.4,
            swipe_palm_toward_head_max: 0.4,
            min_forward: 0.1,
            wave_end_quiet: 0.4,
            cooldown: 0.6,
        }
    }
}

impl GestureConfig {
    /// Checks every threshold against the range the detector can work with.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let c = self;
        range("finger_extended_ratio", c.finger_extended_ratio, 0.2, 2.0)?;
        range("open_min_fingers", f32::from(c.open_min_fingers), 1.0, 4.0)?;
        range("open_fraction_min", c.open_fraction_min, 0.0, 1.0)?;
        range("velocity_window", c.velocity_window, 0.0, 0.2)?;
        range("stroke_start_speed", c.stroke_start_speed, 0.05, 5.0)?;
        range(
            "stroke_stop_speed",
            c.stroke_stop_speed,
            0.01,
            c.stroke_start_speed,
        )?;
        range("glitch_speed", c.glitch_speed, 3.0, 100.0)?;
        range("max_dropout", c.max_dropout, 0.0, 1.0)?;
        range("swipe_min_length", c.swipe_min_length, 0.02, 2.0)?;
        range(
            "swipe_max_length",
            c.swipe_max_length,
            c.swipe_min_length,
            3.0,
        )?;
        range("swipe_min_duration", c.swipe_min_duration, 0.0, 2.0)?;
        range(
            "swipe_max_duration",
            c.swipe_max_duration,
            c.swipe_min_duration,
            3.0,
        )?;
        range(
            "swipe_min_peak_speed",
            c.swipe_min_peak_speed,
            c.stroke_start_speed,
            10.0,
        )?;
        range("swipe_max_off_axis", c.swipe_max_off_axis, 0.0, 5.0)?;
        range("swipe_min_head_share", c.swipe_min_head_share, 0.0, 1.0)?;
        range("swipe_confirm", c.swipe_confirm, 0.0, 1.0)?;
        range("swipe_rest_before", c.swipe_rest_before, 0.0, 5.0)?;
        range("swipe_return_window", c.swipe_return_window, 0.0, 5.0)?;
        range("swipe_min_height", c.swipe_min_height, -2.0, c.max_height)?;
        range(
            "wave_min_reversals",
            f32::from(c.wave_min_reversals),
            1.0,
            6.0,
        )?;
        range("wave_min_stroke", c.wave_min_stroke, 0.01, 1.0)?;
        range("wave_max_stroke", c.wave_max_stroke, c.wave_min_stroke, 3.0)?;
        range(
            "wave_max_stroke_duration",
            c.wave_max_stroke_duration,
            0.05,
            3.0,
        )?;
        range("wave_max_gap", c.wave_max_gap, 0.0, 2.0)?;
        range("wave_min_height", c.wave_min_height, -2.0, c.max_height)?;
        range("max_height", c.max_height, -1.0, 2.0)?;
        range("wave_palm_away_min", c.wave_palm_away_min, -1.0, 1.0)?;
        range(
            "swipe_palm_toward_head_max",
            c.swipe_palm_toward_head_max,
            -1.0,
            1.0,
        )?;
        range("min_forward", c.min_forward, -1.0, 1.0)?;
        range("wave_end_quiet", c.wave_end_quiet, 0.0, 5.0)?;
        range("cooldown", c.cooldown, 0.0, 10.0)?;
        Ok(())
    }
}

/// `value` must be finite and within `[lo, hi]`.
fn range(field: &'static str, value: f32, lo: f32, hi: f32) -> Result<(), ConfigError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(ConfigError {
            field,
            value: f64::from(value),
            rule: format!("must be a number from {lo} to {hi}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(GestureConfig::default().validate(), Ok(()));
    }

    #[test]
    fn out_of_range_names_the_field() {
        let c = GestureConfig {
            swipe_confirm: -0.5,
            ..GestureConfig::default()
        };
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "swipe_confirm");
        assert!(e.to_string().contains("swipe_confirm"), "{e}");
    }

    #[test]
    fn nan_is_rejected() {
        let c = GestureConfig {
            cooldown: f32::NAN,
            ..GestureConfig::default()
        };
        assert_eq!(c.validate().unwrap_err().field, "cooldown");
    }

    #[test]
    fn ranges_that_depend_on_each_other() {
        let c = GestureConfig {
            stroke_stop_speed: 0.6,
            ..GestureConfig::default()
        };
        assert_eq!(c.validate().unwrap_err().field, "stroke_stop_speed");
        let c = GestureConfig {
            swipe_max_length: 0.1,
            ..GestureConfig::default()
        };
        assert_eq!(c.validate().unwrap_err().field, "swipe_max_length");
    }

    #[test]
    fn toml_section_with_unknown_key_is_rejected() {
        let ok: GestureConfig = toml::from_str("cooldown = 1.0").unwrap();
        assert_eq!(ok.cooldown, 1.0);
        assert_eq!(ok.wave_min_stroke, GestureConfig::default().wave_min_stroke);
        let bad = toml::from_str::<GestureConfig>("cooldwn = 1.0").unwrap_err();
        assert!(bad.to_string().contains("cooldwn"), "{bad}");
    }
}

//! The `[audio]` section of the configuration file: volumes and the on/off switch.

use super::mix::MixSettings;
use serde::{Deserialize, Serialize};

/// A value outside its allowed range.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("`{field}` = {value} is out of range: {rule}")]
pub struct AudioConfigError {
    /// The offending key in the `[audio]` section.
    pub field: &'static str,
    /// The value given.
    pub value: f64,
    /// What it must satisfy.
    pub rule: &'static str,
}

/// Sound settings. Volumes are linear gains from 0 (silent) to 1 (full).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AudioConfig {
    /// Whether to play sound at all (default true). `--mute` overrides it.
    pub enabled: bool,
    /// Scales everything (default 0.8, leaving headroom for cues over ambience).
    pub master_volume: f32,
    /// Feedback cues (default 1.0).
    pub cue_volume: f32,
    /// Ambiences, as heard from 1 m (default 0.7).
    pub ambience_volume: f32,
    /// Seconds an ambience crossfade takes when the option changes (default 1.5,
    /// from 0.05 to 10): long enough not to jolt, short enough to follow a wave.
    pub crossfade_seconds: f32,
}

impl Default for AudioConfig {
    fn default() -> Self {
        AudioConfig {
            enabled: true,
            master_volume: 0.8,
            cue_volume: 1.0,
            ambience_volume: 0.7,
            crossfade_seconds: 1.5,
        }
    }
}

impl AudioConfig {
    /// Checks every value's range.
    pub fn validate(&self) -> Result<(), AudioConfigError> {
        let volume = |field: &'static str, v: f32| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(AudioConfigError {
                    field,
                    value: v as f64,
                    rule: "a volume from 0 to 1",
                })
            }
        };
        volume("master_volume", self.master_volume)?;
        volume("cue_volume", self.cue_volume)?;
        volume("ambience_volume", self.ambience_volume)?;
        if !(0.05..=10.0).contains(&self.crossfade_seconds) {
            return Err(AudioConfigError {
                field: "crossfade_seconds",
                value: self.crossfade_seconds as f64,
                rule: "seconds from 0.05 to 10",
            });
        }
        Ok(())
    }

    /// The mixer's settings.
    pub fn mix_settings(&self) -> MixSettings {
        MixSettings {
            cue_gain: self.master_volume * self.cue_volume,
            ambience_gain: self.master_volume * self.ambience_volume,
            crossfade_seconds: self.crossfade_seconds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_a_partial_section_keeps_them() {
        AudioConfig::default().validate().unwrap();
        let c: AudioConfig = toml::from_str("cue_volume = 0.5").unwrap();
        assert_eq!(c.cue_volume, 0.5);
        assert_eq!(c.master_volume, AudioConfig::default().master_volume);
    }

    #[test]
    fn bad_values_are_named() {
        let c: AudioConfig = toml::from_str("ambience_volume = 1.5").unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "ambience_volume");
        assert!(e.to_string().contains("1.5"), "{e}");
        let c: AudioConfig = toml::from_str("crossfade_seconds = nan").unwrap();
        assert_eq!(c.validate().unwrap_err().field, "crossfade_seconds");
        let unknown = toml::from_str::<AudioConfig>("volume = 1").unwrap_err();
        assert!(unknown.to_string().contains("volume"), "{unknown}");
    }
}

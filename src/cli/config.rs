//! The configuration file `roomwave run --config FILE` reads (TOML): one
//! section per part, every field optional, unknown fields refused.

use anyhow::Context;
use roomwave::app::KioskConfig;
use roomwave::audio::AudioConfig;
use roomwave::gesture::GestureConfig;
use serde::Deserialize;
use std::path::Path;

/// The sections of the configuration file; anything else is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// `[gesture]`: detector thresholds.
    pub gesture: GestureConfig,
    /// `[audio]`: volumes and on/off.
    pub audio: AudioConfig,
    /// `[kiosk]`: demo-station rules, used with `--kiosk`.
    pub kiosk: KioskConfig,
}

/// Reads and range-checks the configuration file.
pub fn load_config(path: &Path) -> anyhow::Result<RunConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    parse(&text, path)
}

fn parse(text: &str, path: &Path) -> anyhow::Result<RunConfig> {
    let name = path.display();
    let config: RunConfig = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        anyhow::anyhow!("{name}: line {line}, column {column}: {}", e.message())
    })?;
    config
        .gesture
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [gesture] {e}"))?;
    config
        .audio
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [audio] {e}"))?;
    config
        .kiosk
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [kiosk] {e}"))?;
    Ok(config)
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> anyhow::Result<RunConfig> {
        parse(text, Path::new("station.toml"))
    }

    #[test]
    fn sections_override_defaults() {
        let c = parse_str("[kiosk]\nidle_timeout_s = 20.0\nauto_advance_s = 8.0\n").unwrap();
        assert_eq!(c.kiosk.idle_timeout_s, 20.0);
        assert_eq!(c.kiosk.auto_advance_s, 8.0);
        assert_eq!(c.gesture, GestureConfig::default());
    }

    #[test]
    fn unknown_fields_name_file_line_and_column() {
        let e = parse_str("[kiosk]\nidle_timeout_s = 20.0\nidle_timout = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("station.toml: line 3, column 1:"), "{e}");
        assert!(e.contains("idle_timout"), "{e}");
    }

    #[test]
    fn out_of_range_values_are_errors() {
        let e = parse_str("[kiosk]\nidle_timeout_s = 1.0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("station.toml") && e.contains("idle_timeout_s"),
            "{e}"
        );
    }
}

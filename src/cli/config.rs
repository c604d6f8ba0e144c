//! The configuration file `roomwave run --config FILE` reads (TOML): one
//! section per part, every field optional, unknown fields refused.

use anyhow::Context;
use roomwave::app::{KioskConfig, RenderScaleConfig, ResidencyConfig, TransitionConfig};
use roomwave::audio::AudioConfig;
use roomwave::gesture::GestureConfig;
use roomwave::limits::Limits;
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
    /// `[limits]` (`[limits.gltf]`, `[limits.trace]`): bounds on untrusted input (see
    /// `roomwave::limits` for the table of defaults and accepted ranges).
    pub limits: Limits,
    /// `[transition]`: the fade between options (`seconds = 0` is a hard cut).
    pub transition: TransitionConfig,
    /// `[render]`: the dynamic-resolution bounds (`min_scale`, `max_scale`).
    pub render: RenderScaleConfig,
    /// `[residency]`: decoration options kept on the GPU (`resident_options`).
    pub residency: ResidencyConfig,
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
    config
        .transition
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [transition] {e}"))?;
    config
        .render
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [render] {e}"))?;
    config
        .residency
        .validate()
        .map_err(|e| anyhow::anyhow!("{name}: [residency] {e}"))?;
    config.limits.validate().map_err(|e| {
        let at = key_line_column(text, e.key)
            .map_or(String::new(), |(l, c)| format!("line {l}, column {c}: "));
        anyhow::anyhow!("{name}: {at}[limits] {e}")
    })?;
    Ok(config)
}

/// Where `key` (`gltf.max_json_depth`) is set: under `[limits.gltf]` as
/// `max_json_depth = ...`, or under `[limits]` as `gltf.max_json_depth = ...`. The limit
/// keys are unique in the file, so the first assignment found is the one.
fn key_line_column(text: &str, key: &str) -> Option<(usize, usize)> {
    let leaf = key.rsplit('.').next()?;
    text.lines().enumerate().find_map(|(i, line)| {
        let start = line.len() - line.trim_start().len();
        let rest = line[start..]
            .strip_prefix(key)
            .or_else(|| line[start..].strip_prefix(leaf))?;
        rest.trim_start()
            .starts_with('=')
            .then_some((i + 1, line[..start].chars().count() + 1))
    })
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
    fn limits_are_read_and_range_checked_with_their_place() {
        let c = parse_str("[limits.gltf]\nmax_texture_dimension = 8192\n[limits.trace]\nmax_line_bytes = 131072\n")
            .unwrap();
        assert_eq!(c.limits.gltf.max_texture_dimension, 8192);
        assert_eq!(c.limits.trace.max_line_bytes, 131_072);
        assert_eq!(
            c.limits.gltf.max_json_depth, 64,
            "the rest keep their defaults"
        );
        let e =
            parse_str("[kiosk]\nidle_timeout_s = 20.0\n\n[limits.gltf]\n  max_json_depth = 1000\n")
                .unwrap_err()
                .to_string();
        assert!(
            e.starts_with("station.toml: line 5, column 3: [limits] gltf.max_json_depth: 1000 is outside 8..=120"),
            "{e}"
        );
        let e = parse_str("[limits]\ntrace.max_line_bytes = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("station.toml: line 2, column 1:"), "{e}");
        let c = parse_str("[limits.catalog]\nmax_options = 200\n").unwrap();
        assert_eq!(c.limits.catalog_limits().max_options, 200);
        let e = parse_str("[limits.gltf]\nmax_texture_dimensions = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("station.toml: line 2, column 1:"), "{e}");
    }

    #[test]
    fn render_scale_bounds_are_read_and_checked() {
        let c = parse_str("[render]\nmin_scale = 0.6\n").unwrap();
        assert_eq!((c.render.min_scale, c.render.max_scale), (0.6, 1.0));
        let e = parse_str("[render]\nmin_scale = 0.9\nmax_scale = 0.7\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("station.toml: [render] min_scale = 0.9 is above max_scale = 0.7"),
            "{e}"
        );
    }

    #[test]
    fn transition_seconds_are_read_and_checked() {
        assert_eq!(parse_str("").unwrap().transition.seconds, 0.6);
        let c = parse_str("[transition]\nseconds = 0\n").unwrap();
        assert_eq!(c.transition.seconds, 0.0);
        let e = parse_str("[transition]\nseconds = -2.0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("station.toml: [transition] seconds = -2"),
            "{e}"
        );
    }

    #[test]
    fn resident_options_are_read_and_checked() {
        assert_eq!(parse_str("").unwrap().residency.resident_options, 3);
        let c = parse_str("[residency]\nresident_options = 1\n").unwrap();
        assert_eq!(c.residency.resident_options, 1);
        let e = parse_str("[residency]\nresident_options = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("station.toml: [residency] resident_options = 0"),
            "{e}"
        );
        let e = parse_str("[residency]\noptions = 2\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("options"), "{e}");
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

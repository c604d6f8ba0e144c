//! The app's config file (TOML): one section per part, every field optional.

use super::KioskConfig;
use crate::gesture::GestureConfig;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The whole config file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AppConfig {
    /// `[gesture]`: detector thresholds.
    pub gesture: GestureConfig,
    /// `[kiosk]`: demo-station rules (used with `roomwave run --kiosk`).
    pub kiosk: KioskConfig,
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AppConfigError {
    /// Not TOML, or an unknown or mistyped field.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, as the TOML parser says it.
        message: String,
    },
    /// A value out of range.
    #[error("{file}: {message}")]
    Range {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

impl AppConfig {
    /// Parses and checks `text`, read from `file` (named in errors).
    pub fn from_toml(text: &str, file: &Path) -> Result<AppConfig, AppConfigError> {
        let file = file.display().to_string();
        let config: AppConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            AppConfigError::Syntax {
                file: file.clone(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        let range = |message: String| AppConfigError::Range {
            file: file.clone(),
            message,
        };
        config
            .gesture
            .validate()
            .map_err(|e| range(e.to_string()))?;
        config.kiosk.validate().map_err(|e| range(e.to_string()))?;
        Ok(config)
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AppConfig, AppConfigError> {
        AppConfig::from_toml(text, Path::new("station.toml"))
    }

    #[test]
    fn empty_is_the_defaults() {
        assert_eq!(parse("").unwrap(), AppConfig::default());
    }

    #[test]
    fn sections_override_defaults() {
        let c = parse("[kiosk]\nidle_timeout_s = 20.0\nauto_advance_s = 8.0\n").unwrap();
        assert_eq!(c.kiosk.idle_timeout_s, 20.0);
        assert_eq!(c.kiosk.auto_advance_s, Some(8.0));
        assert_eq!(c.gesture, GestureConfig::default());
    }

    #[test]
    fn unknown_fields_name_file_line_and_column() {
        let e = parse("[kiosk]\nidle_timeout_s = 20.0\nidle_timout = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("station.toml:3:1:"), "{e}");
        assert!(e.contains("idle_timout"), "{e}");
    }

    #[test]
    fn out_of_range_values_are_errors() {
        let e = parse("[kiosk]\nidle_timeout_s = 1.0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("station.toml") && e.contains("idle_timeout_s"),
            "{e}"
        );
    }
}

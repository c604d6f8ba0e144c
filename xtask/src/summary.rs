//! The demo's summary, read from the session report (JSON, written by `roomwave run
//! --report`). Read loosely through `serde_json::Value` so a new field never breaks it.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

/// One option the session showed.
#[derive(Debug, PartialEq)]
pub struct Shown {
    /// Catalogue index from 0 (as the report counts); `None` is the bare room.
    pub index: Option<u64>,
    /// Its name.
    pub name: String,
    /// When, in seconds from the session's start.
    pub t: f64,
}

/// What the demo prints.
#[derive(Debug, Default)]
pub struct DemoSummary {
    /// The runtime's name.
    pub runtime: String,
    /// Session states in the order they came.
    pub states: Vec<String>,
    /// Frames submitted with xrEndFrame.
    pub frames: u64,
    /// Median CPU time per frame.
    pub median_ms: Option<f64>,
    /// 99th percentile CPU time per frame.
    pub p99_ms: Option<f64>,
    /// Gestures detected.
    pub gestures: usize,
    /// Options shown, in order.
    pub options: Vec<Shown>,
    /// Errors the app reported.
    pub errors: Vec<String>,
    /// Vulkan validation messages (any is a bug).
    pub validation_messages: usize,
}

impl DemoSummary {
    /// Reads a report.
    pub fn from_json(text: &str) -> anyhow::Result<Self> {
        let v: Value = serde_json::from_str(text).context("not valid JSON")?;
        let obj = v.as_object().context("the report is not a JSON object")?;
        let list = |k: &str| {
            obj.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let options = list("options")
            .iter()
            .map(|o| {
                Ok(Shown {
                    index: match o.get("index") {
                        None | Some(Value::Null) => None,
                        Some(i) => Some(
                            i.as_u64()
                                .with_context(|| format!("options: bad index {i}"))?,
                        ),
                    },
                    name: o
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string(),
                    t: o.get("t").and_then(Value::as_f64).unwrap_or(f64::NAN),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let ft = obj.get("frame_time_ms");
        Ok(DemoSummary {
            runtime: obj
                .get("runtime")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_string(),
            states: list("states")
                .iter()
                .filter_map(|s| s.get("state").and_then(Value::as_str).map(str::to_string))
                .collect(),
            frames: obj
                .get("frames_submitted")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            median_ms: ft.and_then(|f| f.get("median")).and_then(Value::as_f64),
            p99_ms: ft.and_then(|f| f.get("p99")).and_then(Value::as_f64),
            gestures: list("gestures").len(),
            options,
            errors: list("errors")
                .iter()
                .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_string))
                .collect(),
            validation_messages: list("validation_messages").len(),
        })
    }

    /// The text printed at the end of the demo.
    pub fn render(&self, report: &Path, pictures: &[PathBuf]) -> String {
        let ms = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.2} ms"));
        let mut s = String::new();
        let _ = writeln!(s, "== roomwave demo ==");
        let _ = writeln!(s, "runtime:          {}", self.runtime);
        let _ = writeln!(s, "session states:   {}", self.states.join(" -> "));
        let _ = writeln!(s, "frames submitted: {}", self.frames);
        let _ = writeln!(
            s,
            "frame time:       median {}, p99 {}",
            ms(self.median_ms),
            ms(self.p99_ms)
        );
        let _ = writeln!(s, "gestures:         {}", self.gestures);
        let _ = writeln!(s, "options shown:    {}", self.options.len());
        for o in &self.options {
            let idx = o
                .index
                .map_or("bare".to_string(), |i| format!("#{}", i + 1));
            let _ = writeln!(s, "  t={:6.2} s  {idx:>5}  {}", o.t, o.name);
        }
        let _ = writeln!(s, "errors:           {}", self.errors.len());
        for e in &self.errors {
            let _ = writeln!(s, "  {e}");
        }
        let _ = writeln!(s, "validation msgs:  {}", self.validation_messages);
        let _ = writeln!(s, "report:           {}", report.display());
        for p in pictures {
            let _ = writeln!(s, "pictures:         {}/{{left,right}}.png", p.display());
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{
        "runtime": "Monado(XRT) by Collabora et al 'v25.0.0'",
        "states": [{"state": "READY", "t": 0.1}, {"state": "FOCUSED", "t": 0.3}],
        "frames_submitted": 377,
        "frame_time_ms": {"median": 4.5, "p99": 9.25, "max": 12.0},
        "gestures": [{"t": 4.0}, {"t": 9.0}],
        "options": [{"index": null, "name": "bare", "t": 0.3}, {"index": 0, "name": "Scandi", "t": 4.1}],
        "errors": [],
        "validation_messages": [],
        "some_future_field": 1
    }"#;

    #[test]
    fn reads_the_report_fields() {
        let s = DemoSummary::from_json(REPORT).unwrap();
        assert_eq!(s.frames, 377);
        assert_eq!(s.median_ms, Some(4.5));
        assert_eq!(s.states, ["READY", "FOCUSED"]);
        assert_eq!(
            s.options[0],
            Shown {
                index: None,
                name: "bare".into(),
                t: 0.3
            }
        );
        assert_eq!(s.options[1].index, Some(0));
        assert_eq!(s.gestures, 2);
        let text = s.render(
            Path::new("out/demo/report.json"),
            &[PathBuf::from("out/demo/bare")],
        );
        assert!(text.contains("frames submitted: 377"), "{text}");
        assert!(text.contains("median 4.50 ms"), "{text}");
        assert!(text.contains("#1  Scandi"), "{text}");
    }

    #[test]
    fn rejects_non_objects_and_bad_indices() {
        assert!(DemoSummary::from_json("[1]").is_err());
        assert!(DemoSummary::from_json("{").is_err());
        assert!(DemoSummary::from_json(r#"{"options": [{"index": -1}]}"#).is_err());
    }
}

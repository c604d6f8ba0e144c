//! Labels of gesture traces and the scoring rule of `gesture-traces/README.md`: precision,
//! recall, false positives in negative traces, and latency.

use super::hand::{Direction, GestureEvent, GestureKind, Handedness};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How long after a label's end a detection still matches it, seconds.
pub const MATCH_SLACK: f64 = 0.5;

/// One labelled gesture in a trace.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// What it is.
    pub gesture: GestureKind,
    /// Which hand made it.
    pub hand: Handedness,
    /// For swipes, which way; `None` for waves.
    pub direction: Option<Direction>,
    /// When the motion starts, on the trace's clock.
    pub start: f64,
    /// When it ends.
    pub end: f64,
}

/// A `NAME.labels.json` file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelFile {
    /// The trace's file name.
    pub trace: String,
    /// The gestures in it (none for a negative trace).
    pub events: Vec<Label>,
    /// What happens in the trace and under which conditions.
    pub notes: String,
}

/// The outcome for one trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceScore {
    /// Detections that matched a label, with their latency (`t - end`).
    pub matched: Vec<(GestureEvent, f64)>,
    /// Detections that matched no label.
    pub false_positives: Vec<GestureEvent>,
    /// Labels no detection matched.
    pub missed: Vec<Label>,
}

/// Scores one trace's detections against its labels.
pub fn score_trace(labels: &[Label], detections: &[GestureEvent]) -> TraceScore {
    let mut order: Vec<&GestureEvent> = detections.iter().collect();
    order.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut used = vec![false; labels.len()];
    let mut out = TraceScore::default();
    for d in order {
        let best = labels
            .iter()
            .enumerate()
            .filter(|(i, l)| !used[*i] && matches(l, d))
            .min_by(|(_, a), (_, b)| a.end.total_cmp(&b.end));
        match best {
            Some((i, l)) => {
                used[i] = true;
                out.matched.push((*d, d.t - l.end));
            }
            None => out.false_positives.push(*d),
        }
    }
    out.missed = labels
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(l, _)| *l)
        .collect();
    out
}

fn matches(l: &Label, d: &GestureEvent) -> bool {
    l.gesture == d.gesture
        && l.hand == d.hand
        && (l.gesture == GestureKind::Wave || l.direction == d.direction)
        && l.start <= d.t
        && d.t <= l.end + MATCH_SLACK
}

/// Totals over a corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// All detections.
    pub detections: usize,
    /// Detections that matched a label.
    pub matched: usize,
    /// All labels.
    pub labels: usize,
    /// Detections in traces with no labels.
    pub fp_negative: usize,
    /// Latencies of matched detections, seconds.
    pub latencies: Vec<f64>,
}

impl Tally {
    /// Adds one trace.
    pub fn add(&mut self, labels: &[Label], detections: &[GestureEvent]) -> TraceScore {
        let s = score_trace(labels, detections);
        self.detections += detections.len();
        self.matched += s.matched.len();
        self.labels += labels.len();
        if labels.is_empty() {
            self.fp_negative += detections.len();
        }
        self.latencies.extend(s.matched.iter().map(|(_, l)| *l));
        s
    }

    /// Matched detections over all detections (1 when there are none).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.detections)
    }

    /// Matched labels over all labels (1 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.labels)
    }

    /// The `q` quantile (0..=1) of the latencies, linearly interpolated; `None` without any.
    pub fn latency_quantile(&self, q: f64) -> Option<f64> {
        let mut v = self.latencies.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Tally {
    /// The README's summary line:
    /// `precision=0.97 recall=0.95 fp_neg=1 latency_med=0.12s latency_p90=0.21s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lat = |q| self.latency_quantile(q).unwrap_or(f64::NAN);
        write!(
            f,
            "precision={:.3} recall={:.3} fp_neg={} latency_med={:.2}s latency_p90={:.2}s",
            self.precision(),
            self.recall(),
            self.fp_negative,
            lat(0.5),
            lat(0.9)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swipe(t: f64, dir: Direction) -> GestureEvent {
        GestureEvent {
            t,
            hand: Handedness::Right,
            gesture: GestureKind::Swipe,
            direction: Some(dir),
        }
    }

    fn label(start: f64, end: f64, dir: Direction) -> Label {
        Label {
            gesture: GestureKind::Swipe,
            hand: Handedness::Right,
            direction: Some(dir),
            start,
            end,
        }
    }

    #[test]
    fn window_direction_and_one_match_per_label() {
        let labels = [label(1.0, 1.5, Direction::Left)];
        let s = score_trace(
            &labels,
            &[swipe(1.9, Direction::Left), swipe(1.95, Direction::Left)],
        );
        assert_eq!(s.matched.len(), 1);
        assert!((s.matched[0].1 - 0.4).abs() < 1e-9);
        assert_eq!(s.false_positives.len(), 1);
        let s = score_trace(&labels, &[swipe(2.01, Direction::Left)]);
        assert_eq!((s.matched.len(), s.missed.len()), (0, 1));
        let s = score_trace(&labels, &[swipe(1.2, Direction::Right)]);
        assert_eq!(s.false_positives.len(), 1);
        let s = score_trace(&labels, &[swipe(0.99, Direction::Left)]);
        assert_eq!(s.false_positives.len(), 1);
    }

    #[test]
    fn the_window_closing_first_wins() {
        let labels = [
            label(1.0, 3.0, Direction::Left),
            label(1.5, 2.0, Direction::Left),
        ];
        let s = score_trace(
            &labels,
            &[swipe(1.8, Direction::Left), swipe(2.9, Direction::Left)],
        );
        assert_eq!(s.matched.len(), 2);
        assert!(s.missed.is_empty());
    }

    #[test]
    fn tally_and_summary() {
        let mut t = Tally::default();
        t.add(
            &[label(1.0, 1.5, Direction::Left)],
            &[swipe(1.6, Direction::Left)],
        );
        t.add(&[], &[swipe(5.0, Direction::Right)]);
        assert_eq!(t.precision(), 0.5);
        assert_eq!(t.recall(), 1.0);
        assert_eq!(t.fp_negative, 1);
        let line = t.to_string();
        assert!(
            line.starts_with("precision=0.500 recall=1.000 fp_neg=1 latency_med=0.10s"),
            "{line}"
        );
    }
}

//! Frame-time statistics in constant memory, for sessions that run all day.

use serde::{Deserialize, Serialize};

/// Bin width of the histogram: 10 µs resolves sub-millisecond app frames.
const BIN_MS: f64 = 0.01;
/// Bins up to 250 ms; slower frames land in the last bin and `max` keeps the truth.
const BINS: usize = 25_000;

/// A fixed-size histogram of per-frame times: recording never allocates.
#[derive(Clone, Debug)]
pub struct FrameTimeHistogram {
    bins: Vec<u32>,
    count: u64,
    max_ms: f64,
}

/// Summary of a [`FrameTimeHistogram`], in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameTimeStats {
    /// Number of frames recorded.
    pub count: u64,
    /// Median, to the histogram's 10 µs resolution.
    pub median: f64,
    /// 99th percentile, to the histogram's 10 µs resolution.
    pub p99: f64,
    /// Exact maximum.
    pub max: f64,
}

impl Default for FrameTimeHistogram {
    fn default() -> Self {
        FrameTimeHistogram {
            bins: vec![0; BINS],
            count: 0,
            max_ms: 0.0,
        }
    }
}

impl FrameTimeHistogram {
    /// Records one frame time in milliseconds (negative and NaN count as 0).
    pub fn record(&mut self, ms: f64) {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        let bin = ((ms / BIN_MS) as usize).min(BINS - 1);
        self.bins[bin] = self.bins[bin].saturating_add(1);
        self.count += 1;
        self.max_ms = self.max_ms.max(ms);
    }

    /// The value below which a fraction `q` (0..=1) of frames lie, at bin centre.
    fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0u64;
        for (i, &n) in self.bins.iter().enumerate() {
            seen += u64::from(n);
            if seen >= rank {
                return ((i as f64 + 0.5) * BIN_MS).min(self.max_ms);
            }
        }
        self.max_ms
    }

    /// Median, p99 and max.
    pub fn stats(&self) -> FrameTimeStats {
        FrameTimeStats {
            count: self.count,
            median: self.quantile(0.5),
            p99: self.quantile(0.99),
            max: self.max_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_zero() {
        assert_eq!(
            FrameTimeHistogram::default().stats(),
            FrameTimeStats::default()
        );
    }

    #[test]
    fn median_p99_max_of_a_known_set() {
        let mut h = FrameTimeHistogram::default();
        for i in 1..=100 {
            h.record(i as f64 * 0.1); // 0.1 .. 10.0 ms
        }
        let s = h.stats();
        assert_eq!(s.count, 100);
        assert!((s.median - 5.0).abs() < 0.02, "{s:?}");
        assert!((s.p99 - 9.9).abs() < 0.02, "{s:?}");
        assert_eq!(s.max, 10.0);
    }

    #[test]
    fn outliers_and_garbage_do_not_break_it() {
        let mut h = FrameTimeHistogram::default();
        h.record(f64::NAN);
        h.record(-3.0);
        h.record(10_000.0);
        let s = h.stats();
        assert_eq!(s.count, 3);
        assert_eq!(s.max, 10_000.0);
        assert!(s.median < 0.02);
    }
}

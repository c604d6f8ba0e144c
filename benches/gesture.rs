//! The gesture detector's cost per frame per hand, on synthetic traces at 90 Hz with both
//! hands tracked: a hello wave (strokes and wave checks every frame), swipes, and hands at
//! rest. Throughput is in hand-frames, so criterion's time per element is the cost of one hand
//! in one frame. The budget is 0.05 ms.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use roomwave::gesture::synth::{Kind, generate};
use roomwave::gesture::{GestureConfig, GestureDetector, TrackingFrame};
use std::hint::black_box;

/// A trace of `kind` at 90 Hz (the seed is searched so that the rate is fixed).
fn trace(kind: Kind) -> Vec<TrackingFrame> {
    (0..200)
        .map(|seed| generate(kind, seed, "bench"))
        .find(|t| t.labels.notes.contains(" 90 Hz") && t.labels.notes.contains("0 dropouts"))
        .map(|t| t.frames)
        .expect("some seed gives a 90 Hz trace")
}

fn detector(c: &mut Criterion) {
    let config = GestureConfig::default();
    let mut group = c.benchmark_group("detector per hand-frame");
    for kind in [Kind::Wave, Kind::SwipeLeft, Kind::Rest] {
        let frames = trace(kind);
        group.throughput(Throughput::Elements(2 * frames.len() as u64));
        let mut events = Vec::with_capacity(16);
        group.bench_function(kind.name(), |b| {
            b.iter(|| {
                let mut d = GestureDetector::new(&config);
                for f in &frames {
                    events.clear();
                    d.update(black_box(f), &mut events);
                }
                black_box(events.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, detector);
criterion_main!(benches);

//! Precision, recall, false triggers and latency of the gesture detector over the labelled
//! corpus: the project's synthetic traces (every gesture and every listed non-gesture, many
//! seeds) and, when present, the sample traces in `../shared/gesture-traces/`.
//!
//! `GESTURE_CORPUS_SEEDS=N` sets the number of seeds per negative kind (twice that per
//! positive kind; default 8).

use roomwave::gesture::score::{LabelFile, Tally, TraceScore};
use roomwave::gesture::synth::{Kind, generate};
use roomwave::gesture::trace::{TraceReader, TraceWriter};
use roomwave::gesture::{GestureConfig, GestureDetector, GestureEvent, TrackingFrame};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

const MIN_PRECISION: f64 = 0.98;
const MIN_RECALL: f64 = 0.97;

fn detect(frames: impl Iterator<Item = TrackingFrame>) -> Vec<GestureEvent> {
    let mut d = GestureDetector::new(&GestureConfig::default());
    let mut events = Vec::new();
    for f in frames {
        d.update(&f, &mut events);
    }
    events
}

fn detect_in(input: impl BufRead, name: &str) -> Vec<GestureEvent> {
    let reader = TraceReader::new(input).unwrap_or_else(|e| panic!("{name}: {e}"));
    detect(reader.map(|f| f.unwrap_or_else(|e| panic!("{name}: {e}"))))
}

fn report(name: &str, s: &TraceScore, labels: &LabelFile) {
    if s.false_positives.is_empty() && s.missed.is_empty() {
        return;
    }
    println!("  {name}: {}", labels.notes);
    for e in &s.false_positives {
        println!("    false positive {e:?}");
    }
    for l in &s.missed {
        println!("    missed {l:?}");
    }
}

fn seeds_per_kind(kind: Kind) -> u64 {
    let base = std::env::var("GESTURE_CORPUS_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    if kind.is_positive() { base * 2 } else { base }
}

fn synthetic(tally: &mut Tally) -> usize {
    let mut traces = 0;
    for kind in Kind::ALL {
        for seed in 0..seeds_per_kind(kind) {
            let name = format!("{}-{seed}", kind.name());
            let trace = generate(kind, seed, &name);
            // A third of the traces go through the trace writer and reader, so the detector
            // also sees what a file gives (4 decimals); all of them would double the run time
            // in a debug build, and the format has its own tests.
            let events = if seed % 3 == 0 {
                let mut w = TraceWriter::new(Vec::new()).expect("writing to memory");
                for f in &trace.frames {
                    w.write_frame(f).expect("synthetic frames are finite");
                }
                let text = w.finish().expect("writing to memory");
                detect_in(text.as_slice(), &name)
            } else {
                detect(trace.frames.iter().copied())
            };
            let score = tally.add(&trace.labels.events, &events);
            report(&name, &score, &trace.labels);
            traces += 1;
        }
    }
    traces
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gesture-traces")
}

/// Scores the sample traces; `None` when the folder is absent (a user's clone).
fn samples(tally: &mut Tally) -> Option<usize> {
    let dir = samples_dir();
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".labels.json").map(str::to_owned))
        .collect();
    names.sort();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.labels.json")))
            .unwrap_or_else(|e| panic!("{name}.labels.json: {e}"));
        let labels: LabelFile =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.labels.json: {e}"));
        let file = std::fs::File::open(dir.join(&labels.trace))
            .unwrap_or_else(|e| panic!("{}: {e}", labels.trace));
        let events = detect_in(BufReader::new(file), name);
        let score = tally.add(&labels.events, &events);
        report(name, &score, &labels);
    }
    Some(names.len())
}

#[test]
fn corpus_precision_recall_and_no_false_triggers() {
    let clock = std::time::Instant::now();
    let mut own = Tally::default();
    let n = synthetic(&mut own);
    println!(
        "synthetic corpus ({n} traces, {:.1} s): {own}",
        clock.elapsed().as_secs_f32()
    );
    let clock = std::time::Instant::now();
    let mut all = own.clone();
    let mut shared = Tally::default();
    match samples(&mut shared) {
        Some(k) => {
            println!(
                "sample traces ({k} traces, {:.1} s): {shared}",
                clock.elapsed().as_secs_f32()
            );
            all.detections += shared.detections;
            all.matched += shared.matched;
            all.labels += shared.labels;
            all.fp_negative += shared.fp_negative;
            all.latencies.extend(&shared.latencies);
        }
        None => println!(
            "sample traces not found at {}: scoring the project's own corpus only",
            samples_dir().display()
        ),
    }
    println!("{all}");
    assert!(
        all.labels > 0 && all.detections > 0,
        "an empty corpus proves nothing"
    );
    assert!(all.precision() >= MIN_PRECISION, "precision too low: {all}");
    assert!(all.recall() >= MIN_RECALL, "recall too low: {all}");
    assert_eq!(
        all.fp_negative, 0,
        "false triggers in negative traces: {all}"
    );
}

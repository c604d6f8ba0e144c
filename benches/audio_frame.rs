//! What sound costs the frame loop (`Audio::frame`) and the device thread (mixing a block).
//!
//! Run: `cargo bench --bench audio_frame`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use glam::{Quat, Vec3};
use roomwave::app::{Cue, SessionReport, Shown};
use roomwave::audio::{Audio, AudioConfig};
use roomwave::catalog::{CatalogLimits, default_catalog};
use std::hint::black_box;

/// The embedded catalog, parsed (its models are not needed for sound).
fn catalog() -> roomwave::catalog::Catalog {
    default_catalog(&CatalogLimits::default()).expect("the default catalog is valid")
}

const RATE: u32 = 48_000;

/// The frame loop's side. Before each measured frame the mixer renders one block
/// (untimed), which drains the channels as a device would between frames, so every
/// message is really sent; PerIteration timing adds tens of ns of clock overhead.
fn frame_loop(c: &mut Criterion) {
    let (mut audio, mut source) =
        Audio::offline(&AudioConfig::default(), catalog().soundscape(), RATE);
    let mut report = SessionReport::default();
    let head = Some((Vec3::new(0.1, 1.6, 0.2), Quat::from_rotation_y(0.3)));
    let mut t = 0.0;
    let drain = |source: &mut roomwave::audio::RoomMixSource| {
        for _ in 0..512 {
            black_box(source.next());
        }
    };
    c.bench_function("audio frame: head pose only", |b| {
        b.iter_batched(
            || drain(&mut source),
            |()| {
                t += 1.0 / 90.0;
                audio.frame(&[], Shown::Bare, black_box(head), t, &mut report);
            },
            BatchSize::PerIteration,
        )
    });
    let cues = [Cue::GestureRecognised, Cue::OptionChanged];
    let mut option = 0;
    c.bench_function("audio frame: gesture, cues and a crossfade", |b| {
        b.iter_batched(
            || drain(&mut source),
            |()| {
                t += 1.0 / 90.0;
                option = (option + 1) % 4;
                audio.frame(
                    &cues,
                    Shown::Option(option),
                    black_box(head),
                    t,
                    &mut report,
                );
            },
            BatchSize::PerIteration,
        )
    });
    assert_eq!(audio.dropped_messages(), 0, "the channels never filled");
}

/// The device thread's side: one 256-frame block with two ambiences crossfading and a cue.
fn mixing(c: &mut Criterion) {
    let (mut audio, mut source) =
        Audio::offline(&AudioConfig::default(), catalog().soundscape(), RATE);
    let mut report = SessionReport::default();
    audio.frame(&[], Shown::Bare, None, 0.0, &mut report);
    audio.frame(
        &[Cue::OptionChanged],
        Shown::Option(1),
        None,
        0.01,
        &mut report,
    );
    c.bench_function("audio mix: one 256-frame stereo block", |b| {
        b.iter(|| {
            for _ in 0..512 {
                black_box(source.next());
            }
        })
    });
}

criterion_group!(benches, frame_loop, mixing);
criterion_main!(benches);

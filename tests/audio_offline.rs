//! A synthetic wave drives the app and its sound, mixed offline by rodio's own mixer
//! with the clock of the samples: the chime must sound when the wave was recognised,
//! and the change of option must crossfade the room tone into the fire.

use glam::{Quat, Vec3};
use roomwave::app::{Cue, RoomController, SessionReport, Shown, SoundEvent};
use roomwave::audio::dsp::{OnePole, rms, tone_level};
use roomwave::audio::{Audio, AudioConfig, ambience, cue_sound};
use roomwave::catalog::{CatalogLimits, default_catalog};
use roomwave::gesture::GestureConfig;
use roomwave::gesture::synth::{Kind, generate};
use std::num::NonZero;

/// The embedded catalog, parsed (its models are not needed for sound).
fn catalog() -> roomwave::catalog::Catalog {
    default_catalog(&CatalogLimits::default()).expect("the default catalog is valid")
}

/// Low enough to keep the debug-build synthesis quick, high enough for the rain's hiss.
const RATE: u32 = 24_000;

struct Session {
    report: SessionReport,
    /// Interleaved stereo, sample 0 at `t0`.
    samples: Vec<f32>,
    t0: f64,
}

/// Runs a wave trace through the controller and the sound, pulling exactly as many
/// samples from rodio's mixer as the trace's clock advances; then 3 s more.
fn run_wave() -> Session {
    let trace = generate(Kind::Wave, 11, "wave");
    let names = catalog().options.into_iter().map(|o| o.name).collect();
    let mut controller = RoomController::new(names, &GestureConfig::default());
    let (mut audio, source) = Audio::offline(&AudioConfig::default(), catalog().soundscape(), RATE);
    let (mixer, mut out) = rodio::mixer::mixer(
        NonZero::new(2).expect("2 > 0"),
        NonZero::new(RATE).expect("rate > 0"),
    );
    mixer.add(source);
    let mut report = SessionReport::default();
    let t0 = trace.frames[0].t;
    controller.start(&mut report, t0);
    let mut samples = Vec::new();
    let mut pull_until = |t: f64, samples: &mut Vec<f32>| {
        let target = ((t - t0) * RATE as f64).round() as usize * 2;
        while samples.len() < target {
            samples.push(out.next().expect("the mix never ends"));
        }
    };
    let mut last_head = None;
    for frame in &trace.frames {
        pull_until(frame.t, &mut samples);
        controller.on_frame(Some(frame), &[], frame.t, &mut report);
        let head = (frame.head.position, frame.head.orientation);
        audio.frame(
            controller.cues(),
            controller.shown(),
            Some(head),
            frame.t,
            &mut report,
        );
        last_head = Some(head);
    }
    let end = trace.frames.last().map_or(t0, |f| f.t);
    for k in 1..=270 {
        let t = end + k as f64 / 90.0;
        pull_until(t, &mut samples);
        audio.frame(&[], controller.shown(), last_head, t, &mut report);
    }
    audio.finish(end + 3.0, &mut report);
    Session {
        report,
        samples,
        t0,
    }
}

impl Session {
    fn left(&self, from: f64, to: f64) -> Vec<f32> {
        let i =
            |t: f64| (((t - self.t0) * RATE as f64).max(0.0) as usize * 2).min(self.samples.len());
        self.samples[i(from)..i(to)]
            .iter()
            .step_by(2)
            .copied()
            .collect()
    }

    /// The first time after `from` at which `freq` rises above a quarter of its peak
    /// in 10 ms windows, stepping 2.5 ms.
    fn onset(&self, freq: f32, from: f64, to: f64) -> f64 {
        let (win, hop) = (0.010, 0.0025);
        let levels: Vec<(f64, f32)> = (0..)
            .map(|k| from + k as f64 * hop)
            .take_while(|t| t + win < to)
            .map(|t| (t, tone_level(&self.left(t, t + win), freq, RATE as f32)))
            .collect();
        let peak = levels.iter().map(|l| l.1).fold(0.0, f32::max);
        levels
            .iter()
            .find(|l| l.1 > 0.25 * peak)
            .map_or(f64::NAN, |l| l.0 + win)
    }

    /// The room tone's hum and the RMS above 3 kHz (the fire's crackle) in a window.
    fn bands(&self, from: f64, to: f64) -> (f32, f32) {
        let x = self.left(from, to);
        let hum = tone_level(&x, ambience::ROOM_HUM, RATE as f32);
        let (mut c, mut d) = (
            OnePole::low_pass(3000.0, RATE as f32),
            OnePole::low_pass(3000.0, RATE as f32),
        );
        let high: Vec<f32> = x.iter().map(|&s| d.high(c.high(s))).collect();
        (hum, rms(&high[high.len() / 10..]))
    }
}

#[test]
fn a_wave_is_heard_when_recognised_and_the_ambience_crossfades() {
    let s = run_wave();
    let accepted: Vec<f64> = s
        .report
        .gestures
        .iter()
        .filter(|g| g.accepted)
        .map(|g| g.t)
        .collect();
    assert_eq!(
        accepted.len(),
        1,
        "the trace's wave changes the option once: {:?}",
        s.report.gestures
    );
    let t = accepted[0];

    // The chime's first note starts within a mixing block (256 frames) of the frame that saw the wave.
    let [first_note, _] = cue_sound::RECOGNISED_NOTES;
    let onset = s.onset(first_note, t - 0.5, t + 0.3);
    let block = 256.0 / RATE as f64;
    assert!(
        onset >= t && onset <= t + block + 0.0125,
        "chime onset {onset:.4} s, gesture at {t:.4} s"
    );
    // Nothing like it before the wave.
    let before = tone_level(&s.left(t - 0.5, t), first_note, RATE as f32);
    let after = tone_level(&s.left(t, t + 0.1), first_note, RATE as f32);
    assert!(after > 10.0 * before, "chime {after} vs before {before}");
    // The change cue follows the chime.
    let g5 = cue_sound::OPTION_CHANGED_NOTE;
    let change = s.onset(g5, t + 0.05, t + 0.8);
    assert!(
        change > t + 0.2 && change < t + 0.5,
        "change cue at {change:.3}, gesture at {t:.3}"
    );

    // The wave went from the bare room to the first option, whose ambience is a fire:
    // the room tone's hum falls while the fire's crackle rises, a crossfade, not a cut.
    let first = &s.report.options[1];
    assert_eq!((first.index, first.t), (Some(0), t));
    let (hum_before, fire_before) = s.bands(t - 0.6, t - 0.05);
    let (hum_mid, fire_mid) = s.bands(t + 0.5, t + 1.3);
    let (hum_after, fire_after) = s.bands(t + 1.6, t + 2.9);
    let trend = format!(
        "hum {hum_before} {hum_mid} {hum_after}; fire {fire_before} {fire_mid} {fire_after}"
    );
    assert!(hum_before > hum_mid && hum_mid > hum_after, "{trend}");
    assert!(fire_before < fire_mid && fire_mid < fire_after, "{trend}");
    assert!(
        hum_mid > 0.15 * hum_before,
        "half-way the room tone is still there: {trend}"
    );
    // Crackles are sparse (six a second), so the fire's level varies: a loose bound.
    assert!(
        fire_mid > 0.15 * fire_after,
        "half-way the fire is already there: {trend}"
    );
    assert!(
        hum_after < 0.3 * hum_before && fire_before < 0.2 * fire_after,
        "{trend}"
    );

    // The report lists it all.
    let events: Vec<(&str, SoundEvent)> = s
        .report
        .sounds
        .iter()
        .map(|r| (r.sound.as_str(), r.event))
        .collect();
    for expected in [
        ("ambience:room-tone", SoundEvent::Start),
        ("cue:recognised", SoundEvent::Start),
        ("cue:option-changed", SoundEvent::Start),
        ("ambience:fireplace", SoundEvent::Start),
        ("ambience:room-tone", SoundEvent::Stop),
        ("ambience:fireplace", SoundEvent::Stop),
    ] {
        assert!(
            events.contains(&expected),
            "{expected:?} missing from {events:?}"
        );
    }
    let chime = s
        .report
        .sounds
        .iter()
        .find(|r| r.sound == "cue:recognised")
        .map(|r| r.t);
    assert_eq!(chime, Some(t));
    assert!(
        s.report.sounds.windows(2).all(|w| w[0].t <= w[1].t),
        "in time order"
    );
}

#[test]
fn a_refused_gesture_blips_and_nothing_changes() {
    let (mut audio, source) = Audio::offline(&AudioConfig::default(), catalog().soundscape(), RATE);
    let (mixer, out) = rodio::mixer::mixer(
        NonZero::new(2).expect("2 > 0"),
        NonZero::new(RATE).expect("rate > 0"),
    );
    mixer.add(source);
    let mut report = SessionReport::default();
    let head = Some((Vec3::new(0.0, 1.6, 0.0), Quat::IDENTITY));
    audio.frame(&[], Shown::Bare, head, 0.0, &mut report);
    let mut out = out;
    let quiet: Vec<f32> = (0..RATE as usize)
        .map(|_| out.next().unwrap_or(0.0))
        .collect();
    audio.frame(&[Cue::Refused], Shown::Bare, head, 0.5, &mut report);
    let blip: Vec<f32> = (0..RATE as usize / 5)
        .map(|_| out.next().unwrap_or(0.0))
        .collect();
    let pitch = cue_sound::REFUSED_PITCH * 0.95;
    assert!(tone_level(&blip, pitch, RATE as f32) > 5.0 * tone_level(&quiet, pitch, RATE as f32));
    let ambiences = report
        .sounds
        .iter()
        .filter(|r| r.sound.starts_with("ambience:"))
        .count();
    assert_eq!(ambiences, 1, "the room tone only: {:?}", report.sounds);
}

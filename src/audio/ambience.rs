//! Ambiences, synthesised into loops that repeat without a seam.
//!
//! Every loop is built as one period of an endless signal: noise is filtered
//! periodically ([`filter_periodic`]), struck sounds near the end ring on into
//! the start, and slow modulations complete whole cycles per loop. So the last
//! sample flows into the first like any other pair.

use super::dsp::{Bell, CHIME, Noise, OnePole, TINE, filter_periodic, normalise_rms};
use std::f32::consts::TAU;

/// Length of every ambience loop. Eight seconds keeps five loops at 48 kHz under
/// 8 MB, and is long enough that the repetition of rain or fire is not obvious.
pub const LOOP_SECONDS: f32 = 8.0;

/// One procedural ambience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ambience {
    /// The faint hum and air of an empty room.
    RoomTone,
    /// A wood fire: low rumble and irregular crackles.
    Fireplace,
    /// Rain on a window pane: a hiss and many small drops.
    Rain,
    /// Wind chimes in a light breeze.
    Chimes,
    /// A slow music-box tune over a soft pad.
    MusicBox,
}

/// Every ambience, in a fixed order (indexes [`Ambience::index`]).
pub const ALL_AMBIENCES: [Ambience; 5] = [
    Ambience::RoomTone,
    Ambience::Fireplace,
    Ambience::Rain,
    Ambience::Chimes,
    Ambience::MusicBox,
];

impl Ambience {
    /// Position in [`ALL_AMBIENCES`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in reports (`ambience:rain`).
    pub fn name(self) -> &'static str {
        match self {
            Ambience::RoomTone => "ambience:room-tone",
            Ambience::Fireplace => "ambience:fireplace",
            Ambience::Rain => "ambience:rain",
            Ambience::Chimes => "ambience:chimes",
            Ambience::MusicBox => "ambience:music-box",
        }
    }

    /// The loop's RMS level: room tone sits near the threshold of hearing on
    /// headphones, the others well under the cues.
    fn level(self) -> f32 {
        match self {
            Ambience::RoomTone => 0.02,
            _ => 0.07,
        }
    }

    /// Renders one [`LOOP_SECONDS`] loop, mono, at `rate` samples per second.
    pub fn render_loop(self, rate: u32) -> Vec<f32> {
        let rate = rate as f32;
        let mut buf = vec![0.0; (LOOP_SECONDS * rate) as usize];
        let mut noise = Noise::new(0x5EED + self.index() as u32);
        match self {
            Ambience::RoomTone => room_tone(&mut buf, &mut noise, rate),
            Ambience::Fireplace => fireplace(&mut buf, &mut noise, rate),
            Ambience::Rain => rain(&mut buf, &mut noise, rate),
            Ambience::Chimes => chimes(&mut buf, &mut noise, rate),
            Ambience::MusicBox => music_box(&mut buf, rate),
        }
        normalise_rms(&mut buf, self.level());
        buf
    }
}

/// A sine that completes a whole number of cycles per loop, near `freq` Hz.
fn loop_sine(freq: f32, t: f32) -> f32 {
    let cycles = (freq * LOOP_SECONDS).round().max(1.0);
    (TAU * cycles * t / LOOP_SECONDS).sin()
}

/// Low-passed noise at `cutoff`, periodic.
fn filtered_noise(buf: &mut [f32], noise: &mut Noise, cutoff: f32, rate: f32) {
    buf.iter_mut().for_each(|x| *x = noise.bipolar());
    let mut lp = OnePole::low_pass(cutoff, rate);
    let mut lp2 = OnePole::low_pass(cutoff, rate);
    filter_periodic(buf, |x| lp2.low(lp.low(x)));
}

/// Frequency of the room tone's hum: mains (50 Hz) rectified by ventilation and
/// fridge motors comes out at 100 Hz; it is what tells an empty room from silence.
pub const ROOM_HUM: f32 = 100.0;

fn room_tone(buf: &mut [f32], noise: &mut Noise, rate: f32) {
    filtered_noise(buf, noise, 180.0, rate);
    normalise_rms(buf, 0.7);
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        *x += loop_sine(ROOM_HUM, t) + 0.3 * loop_sine(2.0 * ROOM_HUM, t);
    }
}

fn fireplace(buf: &mut [f32], noise: &mut Noise, rate: f32) {
    filtered_noise(buf, noise, 140.0, rate);
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        let flicker = 0.7 + 0.2 * loop_sine(0.37, t) + 0.1 * loop_sine(1.1, t);
        *x *= 2.0 * flicker;
    }
    // Crackles: short bursts of bright noise at random, about six a second, some in clusters.
    let len = buf.len();
    let mut crackle = vec![0.0; len];
    let mut at = 0.0f32;
    loop {
        at += -noise.unit().max(1e-4).ln() / 6.0;
        if at >= LOOP_SECONDS {
            break;
        }
        let amp = 0.2 + 0.8 * noise.unit().powi(2);
        let decay = 0.002 + 0.01 * noise.unit();
        let start = (at * rate) as usize;
        for k in 0..(decay * 6.0 * rate) as usize {
            let env = (-(k as f32) / (decay * rate)).exp();
            crackle[(start + k) % len] += amp * env * noise.bipolar();
        }
    }
    let mut hp = OnePole::low_pass(1500.0, rate);
    filter_periodic(&mut crackle, |x| hp.high(x));
    for (x, c) in buf.iter_mut().zip(&crackle) {
        // Saturated, as a microphone near a fire would: the loudest snaps had a crest
        // factor of 18 against the rumble, startling through headphones.
        *x += 0.6 * (2.5 * c).tanh();
    }
}

fn rain(buf: &mut [f32], noise: &mut Noise, rate: f32) {
    buf.iter_mut().for_each(|x| *x = noise.bipolar());
    let mut hp = OnePole::low_pass(400.0, rate);
    let mut lp = OnePole::low_pass(5000.0, rate);
    filter_periodic(buf, |x| lp.low(hp.high(x)));
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        *x *= 0.8 + 0.2 * loop_sine(0.25, t);
    }
    // Drops on the pane: tiny high pings, about 40 a second.
    let count = (40.0 * LOOP_SECONDS) as usize;
    for _ in 0..count {
        let drop = Bell {
            freq: 2000.0 + 3000.0 * noise.unit(),
            amp: 0.05 + 0.15 * noise.unit().powi(2),
            decay: 0.002 + 0.004 * noise.unit(),
            partials: TINE,
        };
        let start = (noise.unit() * buf.len() as f32) as usize;
        drop.add_into(buf, start, rate, true);
    }
}

/// D major pentatonic, D6 up to B6: chimes tuned so any two strikes consonate.
const CHIME_NOTES: [f32; 5] = [1174.66, 1318.51, 1479.98, 1760.0, 1975.53];

fn chimes(buf: &mut [f32], noise: &mut Noise, rate: f32) {
    // A breeze: very low noise, swelling twice per loop.
    filtered_noise(buf, noise, 300.0, rate);
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        *x *= 1.5 * (0.6 + 0.4 * loop_sine(2.0 / LOOP_SECONDS, t));
    }
    let mut at = noise.unit() * 0.5;
    while at < LOOP_SECONDS {
        let bell = Bell {
            freq: CHIME_NOTES[(noise.unit() * CHIME_NOTES.len() as f32) as usize % 5],
            amp: 0.05 + 0.1 * noise.unit(),
            decay: 0.9,
            partials: CHIME,
        };
        bell.add_into(buf, (at * rate) as usize, rate, true);
        at += 0.35 + 1.2 * noise.unit();
    }
}

/// The tune, as (beat, MIDI note): 16 beats of 0.5 s fill the 8 s loop.
const TUNE: [(f32, u8); 12] = [
    (0.0, 72),
    (1.0, 76),
    (2.0, 79),
    (3.0, 84),
    (4.0, 81),
    (5.0, 79),
    (6.5, 76),
    (8.0, 74),
    (9.0, 77),
    (10.0, 81),
    (12.0, 79),
    (14.0, 72),
];

fn midi_hz(note: u8) -> f32 {
    440.0 * 2f32.powf((note as f32 - 69.0) / 12.0)
}

fn music_box(buf: &mut [f32], rate: f32) {
    // The pad: C3, G3, E4, each a pair of sines 0.25 Hz apart for a slow beating.
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        let swell = 0.75 + 0.25 * loop_sine(1.0 / LOOP_SECONDS, t);
        let mut pad = 0.0;
        for note in [48, 55, 64] {
            let f = midi_hz(note);
            pad += loop_sine(f, t) + loop_sine(f + 0.25, t);
        }
        *x = 0.02 * swell * pad;
    }
    let beat = LOOP_SECONDS / 16.0;
    for (at, note) in TUNE {
        let tine = Bell {
            freq: midi_hz(note),
            amp: 0.2,
            decay: 0.5,
            partials: TINE,
        };
        tine.add_into(buf, (at * beat * rate) as usize, rate, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::dsp::{rms, tone_level};

    const RATE: u32 = 16_000;

    #[test]
    fn every_loop_has_its_level_and_no_seam() {
        for a in ALL_AMBIENCES {
            let buf = a.render_loop(RATE);
            assert_eq!(buf.len(), (LOOP_SECONDS * RATE as f32) as usize);
            assert!((rms(&buf) - a.level()).abs() < 1e-3, "{a:?}");
            let mut steps: Vec<f32> = buf.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
            steps.sort_by(f32::total_cmp);
            // The seam is an ordinary step: no larger than the 99.9th percentile.
            let p999 = steps[steps.len() * 999 / 1000];
            let seam = (buf[0] - buf[buf.len() - 1]).abs();
            assert!(seam <= p999, "{a:?}: seam {seam} > p99.9 step {p999}");
            // And the level does not jump: the last and first 100 ms are alike.
            let n = RATE as usize / 10;
            let (head, tail) = (rms(&buf[..n]), rms(&buf[buf.len() - n..]));
            assert!(
                head < 4.0 * tail && tail < 4.0 * head,
                "{a:?}: {head} vs {tail}"
            );
        }
    }

    #[test]
    fn ambiences_sound_different() {
        let r = RATE as f32;
        let hiss = |a: Ambience| {
            let buf = a.render_loop(RATE);
            let mut hp = OnePole::low_pass(2000.0, r);
            let high: Vec<f32> = buf.iter().map(|&x| hp.high(x)).collect();
            rms(&high) / rms(&buf)
        };
        eprintln!("hiss: {:?}", ALL_AMBIENCES.map(hiss));
        assert!(hiss(Ambience::Rain) > 3.0 * hiss(Ambience::RoomTone));
        assert!(hiss(Ambience::Fireplace) > 2.0 * hiss(Ambience::RoomTone));
        let tune = Ambience::MusicBox.render_loop(RATE);
        let first_note = &tune[..(0.4 * r) as usize];
        assert!(
            tone_level(first_note, midi_hz(72), r) > 3.0 * tone_level(first_note, midi_hz(73), r)
        );
    }
}

//! The feedback cues, synthesised: a chime, a rising sweep, a low blip.

use super::dsp::{Bell, OnePole, TINE};
use crate::app::Cue;
use std::f32::consts::TAU;

/// One of the three feedback sounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CueSound {
    /// A soft two-note chime (E5 then B5): the gesture was seen.
    Recognised,
    /// A rising sweep into a bell on G5: the room changed.
    OptionChanged,
    /// A short, low, muffled blip: seen, but nothing happened.
    Refused,
}

/// Every cue, in a fixed order (indexes [`CueSound::index`]).
pub const ALL_CUES: [CueSound; 3] = [
    CueSound::Recognised,
    CueSound::OptionChanged,
    CueSound::Refused,
];

/// Fundamental of the chime's first note (E5) and second note (B5), a fifth apart.
pub const RECOGNISED_NOTES: [f32; 2] = [659.26, 987.77];
/// The note the option-change sweep lands on (G5).
pub const OPTION_CHANGED_NOTE: f32 = 783.99;
/// Pitch of the refusal blip: low enough to read as "no", above what small headset drivers cut.
pub const REFUSED_PITCH: f32 = 220.0;

impl CueSound {
    /// The sound for an app cue.
    pub fn for_cue(cue: Cue) -> Self {
        match cue {
            Cue::GestureRecognised => CueSound::Recognised,
            Cue::OptionChanged => CueSound::OptionChanged,
            Cue::Refused => CueSound::Refused,
        }
    }

    /// Position in [`ALL_CUES`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in reports (`cue:recognised`).
    pub fn name(self) -> &'static str {
        match self {
            CueSound::Recognised => "cue:recognised",
            CueSound::OptionChanged => "cue:option-changed",
            CueSound::Refused => "cue:refused",
        }
    }

    /// How long the rendered sound lasts, in seconds (f64: it is added to program time).
    pub fn duration(self) -> f64 {
        match self {
            CueSound::Recognised => 0.7,
            CueSound::OptionChanged => 0.9,
            CueSound::Refused => 0.18,
        }
    }

    /// Renders the cue, mono, at `rate` samples per second, peaking below 0.5.
    pub fn render(self, rate: u32) -> Vec<f32> {
        let rate_f = rate as f32;
        let mut buf = vec![0.0; (self.duration() * rate as f64) as usize];
        match self {
            CueSound::Recognised => {
                for (k, &freq) in RECOGNISED_NOTES.iter().enumerate() {
                    let bell = Bell {
                        freq,
                        amp: 0.22,
                        decay: 0.12,
                        partials: TINE,
                    };
                    // The second note 110 ms after the first: heard as two notes, felt as one event.
                    bell.add_into(&mut buf, (k as f32 * 0.11 * rate_f) as usize, rate_f, false);
                }
            }
            CueSound::OptionChanged => render_sweep(&mut buf, rate_f),
            CueSound::Refused => render_blip(&mut buf, rate_f),
        }
        fade_tail(&mut buf, rate_f);
        buf
    }
}

/// An exponential glide up an octave (to G5) over 180 ms, then a bell on G5.
fn render_sweep(buf: &mut [f32], rate: f32) {
    let glide = 0.18;
    let from = OPTION_CHANGED_NOTE / 2.0;
    let mut phase = 0.0f32;
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        if t >= glide {
            break;
        }
        let u = t / glide;
        let freq = from * 2f32.powf(u);
        phase = (phase + TAU * freq / rate) % TAU;
        // Raised-cosine swell: silent at both ends, so the bell takes over without a click.
        let env = 0.5 - 0.5 * (TAU * u).cos();
        *x += 0.12 * env * phase.sin();
    }
    let bell = Bell {
        freq: OPTION_CHANGED_NOTE,
        amp: 0.25,
        decay: 0.16,
        partials: TINE,
    };
    bell.add_into(buf, (glide * 0.8 * rate) as usize, rate, false);
}

/// A 220 Hz triangle dropping a little in pitch, muffled by a low-pass.
fn render_blip(buf: &mut [f32], rate: f32) {
    let mut lp = OnePole::low_pass(600.0, rate);
    let mut phase = 0.0f32;
    let len = buf.len() as f32 / rate;
    for (i, x) in buf.iter_mut().enumerate() {
        let t = i as f32 / rate;
        let freq = REFUSED_PITCH * (1.0 - 0.15 * t / len);
        phase = (phase + freq / rate).fract();
        let triangle = 4.0 * (phase - 0.5).abs() - 1.0;
        let env = (t / 0.01).min(1.0) * (-t / 0.05).exp();
        *x = lp.low(0.45 * env * triangle);
    }
}

/// Forces the last 10 ms to silence, so a cue never ends on a click.
fn fade_tail(buf: &mut [f32], rate: f32) {
    let n = ((0.01 * rate) as usize).min(buf.len());
    let len = buf.len();
    for (k, x) in buf[len - n..].iter_mut().enumerate() {
        *x *= 1.0 - (k + 1) as f32 / n as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::dsp::{rms, tone_level};

    const RATE: u32 = 48_000;

    fn window(buf: &[f32], from: f32, to: f32) -> &[f32] {
        let r = RATE as f32;
        &buf[(from * r) as usize..((to * r) as usize).min(buf.len())]
    }

    #[test]
    fn cues_are_short_bounded_and_end_in_silence() {
        for cue in ALL_CUES {
            let buf = cue.render(RATE);
            assert_eq!(buf.len(), (cue.duration() * RATE as f64) as usize);
            let peak = buf.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            assert!(peak > 0.05 && peak < 0.6, "{cue:?} peak {peak}");
            assert!(buf[0].abs() < 0.01, "{cue:?} starts without a click");
            assert_eq!(*buf.last().unwrap(), 0.0, "{cue:?}");
        }
    }

    #[test]
    fn the_chime_plays_its_two_notes_in_order() {
        let buf = CueSound::Recognised.render(RATE);
        let early = window(&buf, 0.0, 0.1);
        let late = window(&buf, 0.12, 0.25);
        let [first, second] = RECOGNISED_NOTES;
        let r = RATE as f32;
        assert!(tone_level(early, first, r) > 4.0 * tone_level(early, second, r));
        assert!(tone_level(late, second, r) > tone_level(late, first, r));
    }

    #[test]
    fn the_sweep_rises_to_its_note() {
        let buf = CueSound::OptionChanged.render(RATE);
        let r = RATE as f32;
        let start = window(&buf, 0.02, 0.09);
        let end = window(&buf, 0.2, 0.4);
        let low = OPTION_CHANGED_NOTE / 2f32.powf(0.75);
        assert!(tone_level(start, low, r) > tone_level(start, OPTION_CHANGED_NOTE, r));
        assert!(tone_level(end, OPTION_CHANGED_NOTE, r) > 0.03);
    }

    #[test]
    fn the_refusal_is_low_and_short() {
        let buf = CueSound::Refused.render(RATE);
        let r = RATE as f32;
        let body = window(&buf, 0.0, 0.1);
        assert!(tone_level(body, REFUSED_PITCH * 0.95, r) > 3.0 * tone_level(body, 987.77, r));
        assert!(rms(window(&buf, 0.15, 0.18)) < 0.1 * rms(body));
    }
}

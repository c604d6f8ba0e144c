//! The real-time mixer: ambience voices crossfading and placed in the room, cue
//! voices on top. Plain Rust with no audio-device types, so tests render it offline.
//!
//! It runs on the audio device's thread: after [`SoundBank::render`] nothing here
//! allocates, locks or blocks; voices live in fixed arrays.

use super::ambience::{ALL_AMBIENCES, Ambience};
use super::cue_sound::{ALL_CUES, CueSound};
use super::envelope::Fade;
use super::soundscape::AmbienceSource;
use super::spatial::{Listener, StereoGain, source_gain};
use std::sync::Arc;

/// What the frame loop tells the mixer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AudioMessage {
    /// Play a cue after `delay` seconds.
    Cue {
        /// Which.
        sound: CueSound,
        /// Seconds from now.
        delay: f32,
    },
    /// Crossfade to this ambience (nothing happens if it is already playing).
    Ambience(AmbienceSource),
    /// Fade every ambience out (the session stopped); cues already started play on.
    Quiet,
}

/// Every sound, rendered once at the output's sample rate.
#[derive(Clone, Debug)]
pub struct SoundBank {
    rate: u32,
    cues: [Arc<[f32]>; ALL_CUES.len()],
    loops: [Arc<[f32]>; ALL_AMBIENCES.len()],
}

impl SoundBank {
    /// Synthesises every cue and ambience loop at `rate` (clamped to 8-192 kHz).
    pub fn render(rate: u32) -> Self {
        let rate = rate.clamp(8_000, 192_000);
        SoundBank {
            rate,
            cues: ALL_CUES.map(|c| Arc::from(c.render(rate))),
            loops: ALL_AMBIENCES.map(|a| Arc::from(a.render_loop(rate))),
        }
    }

    /// Samples per second.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// A cue's samples (mono).
    pub fn cue(&self, sound: CueSound) -> &[f32] {
        &self.cues[sound.index()]
    }

    /// An ambience loop's samples (mono).
    pub fn ambience(&self, ambience: Ambience) -> &[f32] {
        &self.loops[ambience.index()]
    }
}

/// Volumes and timing of the mix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MixSettings {
    /// Gain of the cues (master volume included).
    pub cue_gain: f32,
    /// Gain of the ambiences at 1 m (master volume included).
    pub ambience_gain: f32,
    /// Length of an ambience crossfade, seconds.
    pub crossfade_seconds: f32,
}

#[derive(Clone, Debug)]
struct AmbienceVoice {
    source: AmbienceSource,
    samples: Arc<[f32]>,
    cursor: usize,
    fade: Fade,
    gain: StereoGain,
}

#[derive(Clone, Debug)]
struct CueVoice {
    samples: Arc<[f32]>,
    cursor: usize,
    wait: u32,
}

/// Ambiences that can sound at once: the new one and two still fading out.
const AMBIENCE_VOICES: usize = 3;
/// Cues that can overlap; a ninth replaces the one furthest along.
const CUE_VOICES: usize = 8;
/// Spatial gains are recomputed every this many frames and ramped in between.
pub const BLOCK_FRAMES: usize = 256;

/// The mixer state.
pub struct RoomMix {
    bank: SoundBank,
    settings: MixSettings,
    listener: Listener,
    ambience: [Option<AmbienceVoice>; AMBIENCE_VOICES],
    cues: [Option<CueVoice>; CUE_VOICES],
}

impl RoomMix {
    /// A silent mix over `bank`.
    pub fn new(bank: SoundBank, settings: MixSettings) -> Self {
        RoomMix {
            bank,
            settings,
            listener: Listener::default(),
            ambience: Default::default(),
            cues: Default::default(),
        }
    }

    /// Samples per second of the output.
    pub fn rate(&self) -> u32 {
        self.bank.rate
    }

    /// Moves the listener; takes effect from the next block, ramped.
    pub fn set_listener(&mut self, listener: Listener) {
        if listener.position.is_finite() && listener.orientation.is_finite() {
            self.listener = listener;
        }
    }

    /// Acts on a message from the frame loop.
    pub fn apply(&mut self, message: AudioMessage) {
        match message {
            AudioMessage::Cue { sound, delay } => self.start_cue(sound, delay),
            AudioMessage::Ambience(source) => self.crossfade_to(source),
            AudioMessage::Quiet => {
                let samples = self.fade_samples();
                for voice in self.ambience.iter_mut().flatten() {
                    voice.fade.to(0.0, samples);
                }
            }
        }
    }

    fn start_cue(&mut self, sound: CueSound, delay: f32) {
        let voice = CueVoice {
            samples: Arc::clone(&self.bank.cues[sound.index()]),
            cursor: 0,
            wait: (delay.clamp(0.0, 10.0) * self.bank.rate as f32) as u32,
        };
        let slot = match self.cues.iter().position(Option::is_none) {
            Some(i) => i,
            None => (0..CUE_VOICES)
                .max_by_key(|&i| self.cues[i].as_ref().map_or(0, |v| v.cursor))
                .unwrap_or(0),
        };
        self.cues[slot] = Some(voice);
    }

    fn fade_samples(&self) -> u32 {
        (self.settings.crossfade_seconds.max(0.01) * self.bank.rate as f32) as u32
    }

    fn crossfade_to(&mut self, source: AmbienceSource) {
        let samples = self.fade_samples();
        let mut revived = false;
        for voice in self.ambience.iter_mut().flatten() {
            if voice.source == source && !revived {
                voice.fade.to(1.0, samples);
                revived = true;
            } else {
                voice.fade.to(0.0, samples);
            }
        }
        if revived {
            return;
        }
        let slot = match self.ambience.iter().position(Option::is_none) {
            Some(i) => i,
            // All busy: the quietest of the fading voices gives way.
            None => (0..AMBIENCE_VOICES)
                .min_by(|&a, &b| {
                    let level =
                        |i: usize| self.ambience[i].as_ref().map_or(0.0, |v| v.fade.position());
                    level(a).total_cmp(&level(b))
                })
                .unwrap_or(0),
        };
        let mut fade = Fade::at(0.0);
        fade.to(1.0, samples);
        self.ambience[slot] = Some(AmbienceVoice {
            source,
            samples: Arc::clone(&self.bank.loops[source.ambience.index()]),
            cursor: 0,
            fade,
            gain: self.spatial_gain(source),
        });
    }

    fn spatial_gain(&self, source: AmbienceSource) -> StereoGain {
        let g = source_gain(&self.listener, source.position);
        StereoGain {
            left: g.left * self.settings.ambience_gain,
            right: g.right * self.settings.ambience_gain,
        }
    }

    /// What sounds now: the ambiences not yet faded out, loudest first.
    pub fn playing(&self) -> impl Iterator<Item = Ambience> + '_ {
        self.ambience.iter().flatten().map(|v| v.source.ambience)
    }

    /// Renders interleaved stereo into `out` (`out.len()` even), replacing its contents.
    pub fn render(&mut self, out: &mut [f32]) {
        out.fill(0.0);
        for block in out.chunks_mut(BLOCK_FRAMES * 2) {
            self.render_block(block);
        }
        for x in out.iter_mut() {
            // Cues over a loud ambience may sum past full scale; clamp rather than wrap.
            *x = x.clamp(-1.0, 1.0);
        }
    }

    fn render_block(&mut self, out: &mut [f32]) {
        let frames = out.len() / 2;
        for i in 0..AMBIENCE_VOICES {
            let Some(source) = self.ambience[i].as_ref().map(|v| v.source) else {
                continue;
            };
            let target = self.spatial_gain(source);
            let Some(voice) = self.ambience[i].as_mut() else {
                continue;
            };
            let from = voice.gain;
            let len = voice.samples.len();
            for (k, frame) in out.chunks_exact_mut(2).enumerate() {
                let u = (k + 1) as f32 / frames as f32;
                let left = from.left + (target.left - from.left) * u;
                let right = from.right + (target.right - from.right) * u;
                let x = voice.samples[voice.cursor] * voice.fade.next_gain();
                voice.cursor = (voice.cursor + 1) % len;
                frame[0] += x * left;
                frame[1] += x * right;
            }
            voice.gain = target;
            if voice.fade.is_silent() {
                self.ambience[i] = None;
            }
        }
        let gain = self.settings.cue_gain;
        for slot in self.cues.iter_mut() {
            let Some(voice) = slot.as_mut() else {
                continue;
            };
            for frame in out.chunks_exact_mut(2) {
                if voice.wait > 0 {
                    voice.wait -= 1;
                    continue;
                }
                let Some(&x) = voice.samples.get(voice.cursor) else {
                    break;
                };
                voice.cursor += 1;
                frame[0] += x * gain;
                frame[1] += x * gain;
            }
            if voice.cursor >= voice.samples.len() {
                *slot = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::dsp::rms;
    use glam::{Quat, Vec3};

    const RATE: u32 = 16_000;

    fn mix() -> RoomMix {
        RoomMix::new(
            SoundBank::render(RATE),
            MixSettings {
                cue_gain: 1.0,
                ambience_gain: 1.0,
                crossfade_seconds: 0.5,
            },
        )
    }

    fn at(ambience: Ambience, x: f32) -> AmbienceSource {
        AmbienceSource {
            ambience,
            position: Vec3::new(x, 1.6, -1.0),
        }
    }

    fn render(m: &mut RoomMix, seconds: f32) -> Vec<f32> {
        let mut out = vec![0.0; (seconds * RATE as f32) as usize * 2];
        m.render(&mut out);
        out
    }

    fn channel(out: &[f32], c: usize) -> Vec<f32> {
        out.iter().skip(c).step_by(2).copied().collect()
    }

    #[test]
    fn silence_until_told_then_a_cue_sounds_once() {
        let mut m = mix();
        assert!(render(&mut m, 0.1).iter().all(|&x| x == 0.0));
        m.apply(AudioMessage::Cue {
            sound: CueSound::Refused,
            delay: 0.05,
        });
        let out = render(&mut m, 0.5);
        let left = channel(&out, 0);
        let onset = left.iter().position(|x| x.abs() > 1e-4).unwrap();
        let expected = (0.05 * RATE as f32) as usize;
        assert!(onset >= expected && onset < expected + 20, "onset {onset}");
        let cue = m.bank.cue(CueSound::Refused).to_vec();
        assert_eq!(&left[expected..expected + cue.len()], &cue[..]);
        assert!(render(&mut m, 0.1).iter().all(|&x| x == 0.0), "played once");
    }

    #[test]
    fn an_ambience_to_the_right_is_louder_on_the_right_and_follows_the_head() {
        let mut m = mix();
        m.apply(AudioMessage::Ambience(at(Ambience::Rain, 2.0)));
        let out = render(&mut m, 1.0);
        let (l, r) = (
            rms(&channel(&out, 0)[8000..]),
            rms(&channel(&out, 1)[8000..]),
        );
        assert!(r > 3.0 * l, "{l} {r}");
        // Turn to face the source (yaw -63 degrees puts +x,-z ahead): balanced.
        let dir = Vec3::new(2.0, 0.0, -1.0).normalize();
        m.set_listener(Listener {
            position: Vec3::new(0.0, 1.6, 0.0),
            orientation: Quat::from_rotation_arc(Vec3::NEG_Z, dir),
        });
        let out = render(&mut m, 0.5);
        let (l, r) = (
            rms(&channel(&out, 0)[4000..]),
            rms(&channel(&out, 1)[4000..]),
        );
        assert!((l / r - 1.0).abs() < 0.05, "{l} {r}");
    }

    #[test]
    fn a_change_crossfades_and_the_old_ambience_is_let_go() {
        let mut m = mix();
        m.apply(AudioMessage::Ambience(at(Ambience::RoomTone, 0.0)));
        render(&mut m, 1.0);
        m.apply(AudioMessage::Ambience(at(Ambience::Rain, 0.0)));
        // Repeating the current ambience changes nothing.
        m.apply(AudioMessage::Ambience(at(Ambience::Rain, 0.0)));
        assert_eq!(m.playing().count(), 2);
        render(&mut m, 0.6);
        assert_eq!(m.playing().collect::<Vec<_>>(), [Ambience::Rain]);
        m.apply(AudioMessage::Quiet);
        let out = render(&mut m, 0.6);
        assert_eq!(m.playing().count(), 0);
        assert!(out[out.len() - 200..].iter().all(|&x| x == 0.0));
    }

    #[test]
    fn voices_are_bounded() {
        let mut m = mix();
        for i in 0..20 {
            m.apply(AudioMessage::Cue {
                sound: CueSound::Recognised,
                delay: 0.0,
            });
            m.apply(AudioMessage::Ambience(at(
                ALL_AMBIENCES[i % 5],
                i as f32 * 0.1,
            )));
        }
        assert!(m.playing().count() <= AMBIENCE_VOICES);
        let out = render(&mut m, 0.2);
        assert!(out.iter().all(|x| x.abs() <= 1.0));
    }
}

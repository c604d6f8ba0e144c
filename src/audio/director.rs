//! The frame loop's side of sound: which messages to send for this frame's
//! cues and decoration, and the report's list of sounds started and stopped.
//!
//! Plain Rust with no device: the same schedule is reported whether or not a
//! sound card plays it (the report's `audio_output` says which).

use super::cue_sound::CueSound;
use super::mix::AudioMessage;
use super::soundscape::{AmbienceSource, Soundscape};
use crate::app::{Cue, SessionReport, Shown, SoundEvent};

/// When a gesture both is recognised and changes the option, the change cue
/// waits this long, so the two read as "seen" then "changed" rather than one chord.
pub const CHANGE_AFTER_RECOGNISED: f64 = 0.2;

/// Sound events waiting for their time (cue ends, fade-outs finishing, delayed starts).
const PENDING: usize = 16;

#[derive(Clone, Copy, Debug)]
struct Pending {
    t: f64,
    sound: &'static str,
    event: SoundEvent,
}

/// Turns app state into audio messages, one frame at a time.
pub struct SoundDirector {
    soundscape: Soundscape,
    crossfade: f64,
    current: Option<AmbienceSource>,
    pending: [Option<Pending>; PENDING],
}

impl SoundDirector {
    /// A director playing `soundscape`, crossfading ambiences over `crossfade_seconds`.
    pub fn new(soundscape: Soundscape, crossfade_seconds: f32) -> Self {
        SoundDirector {
            soundscape,
            crossfade: crossfade_seconds as f64,
            current: None,
            pending: [None; PENDING],
        }
    }

    /// One frame at program time `now`: reports sound events now due, then
    /// sends (through `send`) the cues of this frame and the ambience of `shown`.
    pub fn frame(
        &mut self,
        cues: &[Cue],
        shown: Shown,
        now: f64,
        report: &mut SessionReport,
        mut send: impl FnMut(AudioMessage),
    ) {
        self.flush(now, report);
        let ambience = self.soundscape.source(shown);
        if self.current != Some(ambience) {
            if let Some(old) = self.current {
                self.later(
                    now + self.crossfade,
                    old.ambience.name(),
                    SoundEvent::Stop,
                    report,
                );
            }
            report.sound(now, ambience.ambience.name(), SoundEvent::Start);
            self.current = Some(ambience);
            send(AudioMessage::Ambience(ambience));
        }
        let recognised = cues.contains(&Cue::GestureRecognised);
        for (i, &cue) in cues.iter().enumerate() {
            if cues[..i].contains(&cue) {
                continue; // one of each per frame: two refused hands are one refusal
            }
            let sound = CueSound::for_cue(cue);
            let delay = match cue {
                Cue::OptionChanged if recognised => CHANGE_AFTER_RECOGNISED,
                _ => 0.0,
            };
            let start = now + delay;
            if delay > 0.0 {
                self.later(start, sound.name(), SoundEvent::Start, report);
            } else {
                report.sound(start, sound.name(), SoundEvent::Start);
            }
            self.later(
                start + sound.duration(),
                sound.name(),
                SoundEvent::Stop,
                report,
            );
            send(AudioMessage::Cue {
                sound,
                delay: delay as f32,
            });
        }
    }

    /// The session stopped running (or the runtime was lost) at `now`: the
    /// ambience fades out until the next frame brings it back.
    pub fn pause(
        &mut self,
        now: f64,
        report: &mut SessionReport,
        mut send: impl FnMut(AudioMessage),
    ) {
        self.flush(now, report);
        if let Some(old) = self.current.take() {
            self.later(
                now + self.crossfade,
                old.ambience.name(),
                SoundEvent::Stop,
                report,
            );
            send(AudioMessage::Quiet);
        }
    }

    /// The session ends at `now`: everything still sounding stops.
    pub fn finish(&mut self, now: f64, report: &mut SessionReport) {
        self.flush(now, report);
        for p in self.pending.iter_mut().filter_map(Option::take) {
            // A delayed cue that never started is not reported at all.
            if p.event == SoundEvent::Stop {
                report.sound(now.min(p.t), p.sound, SoundEvent::Stop);
            }
        }
        if let Some(current) = self.current.take() {
            report.sound(now, current.ambience.name(), SoundEvent::Stop);
        }
    }

    fn later(
        &mut self,
        t: f64,
        sound: &'static str,
        event: SoundEvent,
        report: &mut SessionReport,
    ) {
        let item = Pending { t, sound, event };
        if let Some(slot) = self.pending.iter_mut().find(|p| p.is_none()) {
            *slot = Some(item);
            return;
        }
        // Full (a burst of cues): report the earliest now, at its own time.
        if let Some(i) = self.earliest()
            && let Some(p) = self.pending[i].replace(item)
        {
            report.sound(p.t, p.sound, p.event);
        }
    }

    fn earliest(&self) -> Option<usize> {
        (0..PENDING)
            .filter(|&i| self.pending[i].is_some())
            .min_by(|&a, &b| {
                let t = |i: usize| self.pending[i].map_or(f64::INFINITY, |p| p.t);
                t(a).total_cmp(&t(b))
            })
    }

    /// Reports every pending event due by `now`, in time order.
    fn flush(&mut self, now: f64, report: &mut SessionReport) {
        while let Some(i) = self.earliest() {
            match self.pending[i] {
                Some(p) if p.t <= now => {
                    report.sound(p.t, p.sound, p.event);
                    self.pending[i] = None;
                }
                _ => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::ambience::Ambience;
    use crate::catalog::{CatalogLimits, default_catalog};

    fn soundscape() -> Soundscape {
        default_catalog(&CatalogLimits::default())
            .expect("the default catalog is valid")
            .soundscape()
    }

    fn events(report: &SessionReport) -> Vec<(String, &str, &str)> {
        report
            .sounds
            .iter()
            .map(|s| {
                let event = match s.event {
                    SoundEvent::Start => "start",
                    SoundEvent::Stop => "stop",
                };
                (format!("{:.2}", s.t), s.sound.as_str(), event)
            })
            .collect()
    }

    #[test]
    fn a_wave_that_changes_the_option_is_heard_and_reported() {
        let mut d = SoundDirector::new(soundscape(), 1.5);
        let mut report = SessionReport::default();
        let mut sent = Vec::new();
        d.frame(&[], Shown::Bare, 1.0, &mut report, |m| sent.push(m));
        d.frame(&[], Shown::Bare, 1.1, &mut report, |m| sent.push(m));
        assert_eq!(sent.len(), 1, "the bare room's tone, once");
        let cues = [Cue::GestureRecognised, Cue::OptionChanged];
        d.frame(&cues, Shown::Option(1), 2.0, &mut report, |m| sent.push(m));
        assert_eq!(
            sent[1..],
            [
                AudioMessage::Ambience(soundscape().source(Shown::Option(1))),
                AudioMessage::Cue {
                    sound: CueSound::Recognised,
                    delay: 0.0
                },
                AudioMessage::Cue {
                    sound: CueSound::OptionChanged,
                    delay: CHANGE_AFTER_RECOGNISED as f32
                },
            ]
        );
        d.frame(&[], Shown::Option(1), 5.0, &mut report, |m| sent.push(m));
        d.finish(6.0, &mut report);
        assert_eq!(
            events(&report),
            [
                ("1.00".into(), Ambience::RoomTone.name(), "start"),
                ("2.00".into(), Ambience::Rain.name(), "start"),
                ("2.00".into(), CueSound::Recognised.name(), "start"),
                ("2.20".into(), CueSound::OptionChanged.name(), "start"),
                ("2.70".into(), CueSound::Recognised.name(), "stop"),
                ("3.10".into(), CueSound::OptionChanged.name(), "stop"),
                ("3.50".into(), Ambience::RoomTone.name(), "stop"),
                ("6.00".into(), Ambience::Rain.name(), "stop"),
            ]
        );
    }

    #[test]
    fn refusals_play_once_per_frame_and_end_with_the_session() {
        let mut d = SoundDirector::new(soundscape(), 1.5);
        let mut report = SessionReport::default();
        let mut cues_sent = 0;
        d.frame(
            &[Cue::Refused, Cue::Refused],
            Shown::Bare,
            1.0,
            &mut report,
            |m| cues_sent += matches!(m, AudioMessage::Cue { .. }) as usize,
        );
        assert_eq!(cues_sent, 1);
        d.finish(1.05, &mut report);
        let e = events(&report);
        assert_eq!(e.last().map(|x| x.1), Some(Ambience::RoomTone.name()));
        assert!(
            e.contains(&("1.05".into(), CueSound::Refused.name(), "stop")),
            "{e:?}"
        );
    }

    #[test]
    fn a_pause_fades_the_ambience_and_the_next_frame_brings_it_back() {
        let mut d = SoundDirector::new(soundscape(), 1.5);
        let mut report = SessionReport::default();
        let mut sent = Vec::new();
        d.frame(&[], Shown::Option(2), 1.0, &mut report, |m| sent.push(m));
        d.pause(2.0, &mut report, |m| sent.push(m));
        d.pause(2.5, &mut report, |m| sent.push(m));
        d.frame(&[], Shown::Option(2), 9.0, &mut report, |m| sent.push(m));
        d.finish(10.0, &mut report);
        assert_eq!(sent.len(), 3, "{sent:?}");
        assert_eq!(sent[1], AudioMessage::Quiet);
        let chimes = Ambience::Chimes.name();
        assert_eq!(
            events(&report),
            [
                ("1.00".into(), chimes, "start"),
                ("3.50".into(), chimes, "stop"),
                ("9.00".into(), chimes, "start"),
                ("10.00".into(), chimes, "stop"),
            ]
        );
    }

    #[test]
    fn a_burst_of_cues_does_not_lose_events() {
        let mut d = SoundDirector::new(soundscape(), 1.5);
        let mut report = SessionReport::default();
        for i in 0..40 {
            d.frame(
                &[Cue::Refused],
                Shown::Bare,
                1.0 + i as f64 * 0.01,
                &mut report,
                |_| {},
            );
        }
        d.finish(10.0, &mut report);
        let starts = report
            .sounds
            .iter()
            .filter(|s| s.event == SoundEvent::Start)
            .count();
        let stops = report
            .sounds
            .iter()
            .filter(|s| s.event == SoundEvent::Stop)
            .count();
        assert_eq!((starts, stops), (41, 41));
    }
}

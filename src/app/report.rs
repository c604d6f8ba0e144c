//! The session report `roomwave run --report FILE` writes when the session ends.

use super::{FrameTimeStats, HintChange};
use crate::gesture::{Direction, GestureEvent, GestureKind, Handedness};
use serde::{Deserialize, Serialize};

/// Each list in the report keeps at most this many entries, so a station that
/// runs for days cannot grow its report without bound; `dropped_entries` counts the rest.
pub const MAX_ENTRIES: usize = 10_000;

/// One session-state change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateChange {
    /// The state entered, as OpenXR names it without the prefix (`FOCUSED`).
    pub state: String,
    /// Seconds since the program started.
    pub t: f64,
}

/// One detected gesture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GestureRecord {
    /// Seconds since the program started.
    pub t: f64,
    /// The hand.
    pub hand: Handedness,
    /// The gesture.
    pub gesture: GestureKind,
    /// Swipe direction.
    pub direction: Option<Direction>,
    /// Whether it changed what is shown (false: refused, e.g. cooldown).
    pub accepted: bool,
}

/// One decoration option shown (or the bare room).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionShown {
    /// Option index from 0; `None` for the bare room.
    pub index: Option<usize>,
    /// Its name.
    pub name: String,
    /// Seconds since the program started.
    pub t: f64,
    /// What caused it: `start`, `gesture`, `controller`.
    pub cause: String,
}

/// Whether a sound began or ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SoundEvent {
    /// It began (an ambience begins fading in).
    Start,
    /// It ended (a cue's last sample, an ambience's fade-out complete, or the session's end).
    Stop,
}

/// One sound starting or stopping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoundRecord {
    /// Seconds since the program started.
    pub t: f64,
    /// Which sound: `cue:recognised`, `ambience:rain`, ...
    pub sound: String,
    /// Start or stop.
    pub event: SoundEvent,
}

/// Everything a session did, for people and tests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionReport {
    /// The OpenXR runtime's name and version, once one was reached.
    pub runtime: Option<String>,
    /// The system (headset) name.
    pub system: Option<String>,
    /// The reference space the room is laid out in (`STAGE`, `LOCAL_FLOOR`, `LOCAL`).
    pub reference_space: Option<String>,
    /// Whether hand tracking was available.
    pub hand_tracking: bool,
    /// Every session-state change.
    pub states: Vec<StateChange>,
    /// Frames ended with `xrEndFrame` (including `should_render = false` frames).
    pub frames_submitted: u64,
    /// Frames that rendered and submitted a projection layer.
    pub frames_rendered: u64,
    /// Display periods skipped between two frames the runtime paced
    /// (`xrWaitFrame`'s predicted display times more than one period apart):
    /// frames the app was too late for.
    #[serde(default)]
    pub frames_missed: u64,
    /// The app's CPU time per frame, from `xrWaitFrame` returning to `xrEndFrame`.
    pub frame_time_ms: FrameTimeStats,
    /// Every gesture detected.
    pub gestures: Vec<GestureRecord>,
    /// Every option shown, in order; the first is the bare room.
    pub options: Vec<OptionShown>,
    /// Where sound went: the device and its format, `muted`, `off`, or why there was none.
    #[serde(default)]
    pub audio_output: Option<String>,
    /// Every sound started and stopped, in time order (also without a device: the
    /// sounds the app played, whether or not a card turned them into sound).
    #[serde(default)]
    pub sounds: Vec<SoundRecord>,
    /// Times the runtime was lost and the app went looking for it again.
    pub runtime_losses: u32,
    /// Errors, in the words the log used.
    pub errors: Vec<String>,
    /// Messages from the Vulkan validation layer (only with validation on).
    pub validation_messages: Vec<String>,
    /// Whether the session ended through EXITING (not an error or a signal).
    pub ended_cleanly: bool,
    /// Entries left out because a list reached [`MAX_ENTRIES`].
    pub dropped_entries: u64,
    /// Every in-scene hint (kiosk attract panel, countdown) shown or hidden.
    #[serde(default)]
    pub hints: Vec<HintChange>,
    /// Runtime poses, views and fields of view dropped as unusable (see `PoseGuard`).
    #[serde(default)]
    pub pose_drops: super::PoseDrops,
    /// Dynamic resolution: the share of each eye drawn, over the frames rendered.
    #[serde(default)]
    pub render_scale: super::RenderScaleStats,
    /// Decoration options on the GPU: the bound, the peaks, loads and releases.
    #[serde(default)]
    pub residency: super::ResidencyReport,
}

impl SessionReport {
    fn push<T>(list: &mut Vec<T>, dropped: &mut u64, item: T) {
        if list.len() < MAX_ENTRIES {
            list.push(item);
        } else {
            *dropped += 1;
        }
    }

    /// Records a session-state change.
    pub fn state(&mut self, state: impl Into<String>, t: f64) {
        Self::push(
            &mut self.states,
            &mut self.dropped_entries,
            StateChange {
                state: state.into(),
                t,
            },
        );
    }

    /// Records a gesture at program time `t`.
    pub fn gesture(&mut self, event: &GestureEvent, t: f64, accepted: bool) {
        let record = GestureRecord {
            t,
            hand: event.hand,
            gesture: event.gesture,
            direction: event.direction,
            accepted,
        };
        Self::push(&mut self.gestures, &mut self.dropped_entries, record);
    }

    /// Records that an option (or the bare room) is now shown.
    pub fn option(&mut self, index: Option<usize>, name: &str, t: f64, cause: &str) {
        let shown = OptionShown {
            index,
            name: name.to_owned(),
            t,
            cause: cause.to_owned(),
        };
        Self::push(&mut self.options, &mut self.dropped_entries, shown);
    }

    /// Records that `sound` started or stopped at program time `t`.
    pub fn sound(&mut self, t: f64, sound: &str, event: SoundEvent) {
        let record = SoundRecord {
            t,
            sound: sound.to_owned(),
            event,
        };
        Self::push(&mut self.sounds, &mut self.dropped_entries, record);
    }

    /// Records that an in-scene hint appeared or disappeared.
    pub fn hint(&mut self, t: f64, hint: &str, shown: bool) {
        let change = HintChange {
            t,
            hint: hint.to_owned(),
            shown,
        };
        Self::push(&mut self.hints, &mut self.dropped_entries, change);
    }

    /// Records an error.
    pub fn error(&mut self, message: impl Into<String>) {
        Self::push(&mut self.errors, &mut self.dropped_entries, message.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let mut r = SessionReport {
            runtime: Some("Monado".into()),
            ..Default::default()
        };
        r.state("FOCUSED", 1.5);
        r.option(None, "bare room", 0.1, "start");
        r.option(Some(0), "Scandinavian", 3.0, "gesture");
        let ev = GestureEvent {
            t: 9.0,
            hand: Handedness::Right,
            gesture: GestureKind::Wave,
            direction: None,
        };
        r.gesture(&ev, 2.9, true);
        r.sound(3.0, "cue:recognised", SoundEvent::Start);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"gesture\":\"wave\""), "{json}");
        assert!(
            json.contains(r#"{"t":3.0,"sound":"cue:recognised","event":"start"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<SessionReport>(&json).unwrap(), r);
    }

    #[test]
    fn lists_are_bounded() {
        let mut r = SessionReport::default();
        for i in 0..MAX_ENTRIES + 5 {
            r.error(format!("e{i}"));
        }
        assert_eq!(r.errors.len(), MAX_ENTRIES);
        assert_eq!(r.dropped_entries, 5);
    }
}

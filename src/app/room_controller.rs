//! The app's per-frame logic: tracked hands and buttons in, what to show out.

use super::{Command, Decorator, SessionReport, Shown};
use crate::gesture::{GestureConfig, GestureDetector, GestureEvent, TrackingFrame};

/// Feedback the wearer should hear (or feel) for what happened this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// A gesture was recognised and changed the option (followed by [`Cue::OptionChanged`]).
    GestureRecognised,
    /// The option changed (by gesture or button).
    OptionChanged,
    /// A gesture or button was recognised but refused (cooldown, nothing to cycle).
    Refused,
}

/// Turns tracking frames and button presses into decoration changes, and keeps
/// the report's gesture and option lists.
pub struct RoomController {
    detector: GestureDetector,
    decorator: Decorator,
    option_names: Vec<String>,
    events: Vec<GestureEvent>,
    cues: Vec<Cue>,
}

/// Name used for the unfurnished room in reports.
pub const BARE_ROOM_NAME: &str = "bare room";

impl RoomController {
    /// A controller cycling through options with these names, starting bare.
    pub fn new(option_names: Vec<String>, gestures: &GestureConfig) -> Self {
        RoomController {
            detector: GestureDetector::new(gestures),
            decorator: Decorator::new(option_names.len()),
            option_names,
            events: Vec::with_capacity(8),
            cues: Vec::with_capacity(8),
        }
    }

    /// What is shown now.
    pub fn shown(&self) -> Shown {
        self.decorator.shown()
    }

    /// The name of what is shown.
    pub fn shown_name(&self) -> &str {
        self.name_of(self.decorator.shown())
    }

    /// Records the starting state in the report.
    pub fn start(&self, report: &mut SessionReport, now: f64) {
        report.option(self.shown().index(), self.shown_name(), now, "start");
    }

    /// One frame. `frame` is `None` when input must be ignored (session not
    /// FOCUSED); the detector then forgets partial motions, so a wave begun
    /// while the runtime had focus elsewhere cannot fire later. `now` is
    /// program time in seconds. Returns the new state when it changed.
    pub fn on_frame(
        &mut self,
        frame: Option<&TrackingFrame>,
        buttons: &[Command],
        now: f64,
        report: &mut SessionReport,
    ) -> Option<Shown> {
        let mut changed = None;
        self.events.clear();
        self.cues.clear();
        match frame {
            Some(frame) => self.detector.update(frame, &mut self.events),
            None => self.detector.reset(),
        }
        for i in 0..self.events.len() {
            let event = self.events[i];
            let result = self.decorator.apply(Command::for_gesture(&event), now);
            report.gesture(&event, now, result.is_some());
            self.cues.push(if result.is_some() {
                Cue::GestureRecognised
            } else {
                Cue::Refused
            });
            if let Some(shown) = result {
                self.cues.push(Cue::OptionChanged);
                tracing::info!(
                    ?event,
                    option = self.name_of(shown),
                    "gesture changed the option"
                );
                report.option(shown.index(), self.name_of(shown), now, "gesture");
                changed = Some(shown);
            }
        }
        for &command in buttons {
            if let Some(shown) = self.apply(command, now, "controller", report) {
                changed = Some(shown);
            }
        }
        changed
    }

    /// Applies a command that did not come from a gesture (`cause`: `controller`,
    /// `auto`, `operator`), with the same cooldown and cues as a gesture.
    pub fn apply(
        &mut self,
        command: Command,
        now: f64,
        cause: &str,
        report: &mut SessionReport,
    ) -> Option<Shown> {
        let result = self.decorator.apply(command, now);
        self.cues.push(if result.is_some() {
            Cue::OptionChanged
        } else {
            Cue::Refused
        });
        if let Some(shown) = result {
            tracing::info!(
                ?command,
                cause,
                option = self.name_of(shown),
                "option changed"
            );
            report.option(shown.index(), self.name_of(shown), now, cause);
        }
        result
    }

    /// Shows `shown` at once, whatever the cooldown (the operator, or a
    /// reset between visitors). Returns false for an option that does not exist.
    pub fn show(
        &mut self,
        shown: Shown,
        now: f64,
        cause: &str,
        report: &mut SessionReport,
    ) -> bool {
        if !self.decorator.show(shown) {
            return false;
        }
        self.detector.reset();
        self.cues.push(Cue::OptionChanged);
        tracing::info!(cause, option = self.name_of(shown), "option set");
        report.option(shown.index(), self.name_of(shown), now, cause);
        true
    }

    /// The cues produced by the last [`on_frame`](Self::on_frame), in order.
    pub fn cues(&self) -> &[Cue] {
        &self.cues
    }

    fn name_of(&self, shown: Shown) -> &str {
        match shown {
            Shown::Bare => BARE_ROOM_NAME,
            Shown::Option(i) => &self.option_names[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controller() -> RoomController {
        RoomController::new(vec!["A".into(), "B".into()], &GestureConfig::default())
    }

    #[test]
    fn buttons_change_the_option_and_cue_it() {
        let mut c = controller();
        let mut report = SessionReport::default();
        c.start(&mut report, 0.0);
        assert_eq!(
            c.on_frame(None, &[Command::Next], 1.0, &mut report),
            Some(Shown::Option(0))
        );
        assert_eq!(c.cues(), &[Cue::OptionChanged]);
        assert_eq!(c.shown_name(), "A");
        // within the cooldown: refused, and the wearer is told so
        assert_eq!(c.on_frame(None, &[Command::Next], 1.1, &mut report), None);
        assert_eq!(c.cues(), &[Cue::Refused]);
        assert_eq!(
            c.on_frame(None, &[Command::Previous], 3.0, &mut report),
            Some(Shown::Option(1))
        );
        let shown: Vec<_> = report
            .options
            .iter()
            .map(|o| (o.index, o.cause.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (None, "start"),
                (Some(0), "controller"),
                (Some(1), "controller")
            ]
        );
    }

    #[test]
    fn nothing_happened_means_no_cues() {
        let mut c = controller();
        let mut report = SessionReport::default();
        assert_eq!(c.on_frame(None, &[], 1.0, &mut report), None);
        assert!(c.cues().is_empty());
    }
}

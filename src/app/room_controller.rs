//! The app's per-frame logic: tracked hands and buttons in, what to show out.

use super::{Command, Decorator, SessionReport, Shown};
use crate::gesture::{GestureConfig, GestureDetector, GestureEvent, TrackingFrame};

/// Turns tracking frames and button presses into decoration changes, and keeps
/// the report's gesture and option lists.
pub struct RoomController {
    detector: GestureDetector,
    decorator: Decorator,
    option_names: Vec<String>,
    events: Vec<GestureEvent>,
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
        }
    }

    /// What is shown now.
    pub fn shown(&self) -> Shown {
        self.decorator.shown()
    }

    /// The name of what is shown.
    pub fn shown_name(&self) -> &str {
        match self.decorator.shown() {
            Shown::Bare => BARE_ROOM_NAME,
            Shown::Option(i) => &self.option_names[i],
        }
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
        match frame {
            Some(frame) => self.detector.update(frame, &mut self.events),
            None => self.detector.reset(),
        }
        for i in 0..self.events.len() {
            let event = self.events[i];
            let result = self.decorator.apply(Command::for_gesture(&event), now);
            report.gesture(&event, now, result.is_some());
            if let Some(shown) = result {
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
            if let Some(shown) = self.decorator.apply(command, now) {
                tracing::info!(
                    ?command,
                    option = self.name_of(shown),
                    "controller changed the option"
                );
                report.option(shown.index(), self.name_of(shown), now, "controller");
                changed = Some(shown);
            }
        }
        changed
    }

    fn name_of(&self, shown: Shown) -> &str {
        match shown {
            Shown::Bare => BARE_ROOM_NAME,
            Shown::Option(i) => &self.option_names[i],
        }
    }
}

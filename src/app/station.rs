//! The demo station: kiosk rules wired to the decorator, and one record per visit.

use super::kiosk::{Kiosk, KioskAction, KioskConfig, KioskInput, KioskState, VisitEnd};
use super::{Command, RoomController, SessionReport, Shown};
use glam::Vec3;
use serde::{Deserialize, Serialize};

/// One visitor's session, written as one JSON line when it ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitRecord {
    /// Program time the visit started (seconds).
    pub start: f64,
    /// Program time it ended.
    pub end: f64,
    /// Why it ended.
    pub reason: VisitEnd,
    /// Gestures and button presses recognised.
    pub gestures: u32,
    /// Names of the options viewed, in order.
    pub options: Vec<String>,
}

/// Smoothing time of the head-speed estimate: long enough that tracking
/// jitter of a headset on a table stays below the "still" threshold.
const SPEED_TAU_S: f64 = 0.5;

/// What the station knows this frame, beyond the controller's own input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StationInput {
    /// Program time, seconds.
    pub now: f64,
    /// Head position, when tracked.
    pub head: Option<Vec3>,
    /// `Some(false)` when the runtime says nobody wears the headset.
    pub user_present: Option<bool>,
    /// Whether the session is FOCUSED.
    pub focused: bool,
}

/// Kiosk mode: attract state, visits, auto-advance, operator actions.
pub struct Station {
    kiosk: Kiosk,
    visit: Option<VisitRecord>,
    last_head: Option<(f64, Vec3)>,
    head_speed: f64,
    paused: bool,
}

impl Station {
    /// A station in the attract state.
    pub fn new(config: KioskConfig) -> Self {
        Station {
            kiosk: Kiosk::new(config),
            visit: None,
            last_head: None,
            head_speed: 0.0,
            paused: false,
        }
    }

    /// Whether a visitor is in.
    pub fn visiting(&self) -> bool {
        matches!(self.kiosk.state(), KioskState::Visiting { .. })
    }

    /// How many last seconds of a timed visit show a countdown (0 = never).
    pub fn countdown_s(&self) -> f64 {
        self.kiosk.config().countdown_s
    }

    /// Seconds left in the visit, when a limit is set.
    pub fn remaining(&self, now: f64) -> Option<f64> {
        self.kiosk.remaining(now)
    }

    /// Pauses or resumes: while paused, visits neither end nor auto-advance.
    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// Whether paused.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// The operator's reset: back to the attract state at once.
    pub fn reset(
        &mut self,
        controller: &mut RoomController,
        now: f64,
        report: &mut SessionReport,
    ) -> Option<VisitRecord> {
        let action = self.kiosk.reset();
        controller.show(Shown::Bare, now, "operator", report);
        self.finish(action, now)
    }

    fn track_head(&mut self, now: f64, head: Option<Vec3>) -> Option<f64> {
        let head = head?;
        if let Some((t, p)) = self.last_head
            && now > t
        {
            let dt = now - t;
            let speed = f64::from(head.distance(p)) / dt;
            let a = (dt / SPEED_TAU_S).min(1.0);
            self.head_speed += a * (speed - self.head_speed);
        }
        self.last_head = Some((now, head));
        Some(self.head_speed)
    }

    fn finish(&mut self, action: KioskAction, now: f64) -> Option<VisitRecord> {
        let KioskAction::VisitEnded(reason) = action else {
            return None;
        };
        let mut visit = self.visit.take()?;
        visit.end = now;
        visit.reason = reason;
        Some(visit)
    }

    /// One frame, after the controller's own [`on_frame`](RoomController::on_frame).
    /// Returns the visit that just ended, to be logged.
    pub fn on_frame(
        &mut self,
        input: &StationInput,
        controller: &mut RoomController,
        report: &mut SessionReport,
    ) -> Option<VisitRecord> {
        let gesture = !controller.cues().is_empty();
        let head_speed = self.track_head(input.now, input.head);
        if self.paused {
            return None;
        }
        let kiosk_input = KioskInput {
            now: input.now,
            head_speed,
            user_present: input.user_present,
            focused: input.focused,
            gesture,
        };
        let action = self.kiosk.update(&kiosk_input);
        match action {
            KioskAction::VisitStarted => {
                tracing::info!("a visitor started");
                self.visit = Some(VisitRecord {
                    start: input.now,
                    end: input.now,
                    reason: VisitEnd::Operator,
                    gestures: 0,
                    options: Vec::new(),
                });
            }
            KioskAction::VisitEnded(reason) => {
                tracing::info!(?reason, "visit over: back to the attract state");
                controller.show(Shown::Bare, input.now, "kiosk reset", report);
            }
            KioskAction::AutoAdvance => {
                controller.apply(Command::Next, input.now, "auto", report);
            }
            KioskAction::None => {}
        }
        if let Some(visit) = &mut self.visit
            && !matches!(action, KioskAction::VisitEnded(_))
        {
            visit.gestures += u32::from(gesture);
            if let Shown::Option(_) = controller.shown() {
                let name = controller.shown_name();
                if visit.options.last().map(String::as_str) != Some(name) {
                    visit.options.push(name.to_owned());
                }
            }
        }
        self.finish(action, input.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::GestureConfig;

    fn setup() -> (Station, RoomController, SessionReport) {
        let cfg = KioskConfig {
            idle_timeout_s: 10.0,
            auto_advance_s: 5.0,
            ..Default::default()
        };
        let controller = RoomController::new(
            vec!["A".into(), "B".into(), "C".into()],
            &GestureConfig::default(),
        );
        (Station::new(cfg), controller, SessionReport::default())
    }

    fn frame(now: f64, head: Vec3) -> StationInput {
        StationInput {
            now,
            head: Some(head),
            user_present: None,
            focused: true,
        }
    }

    #[test]
    fn a_visit_from_first_press_to_headset_off() {
        let (mut s, mut c, mut r) = setup();
        let still = Vec3::new(0.0, 1.6, 0.0);
        assert_eq!(s.on_frame(&frame(0.0, still), &mut c, &mut r), None);
        assert!(!s.visiting());
        c.on_frame(None, &[Command::Next], 1.0, &mut r);
        assert_eq!(s.on_frame(&frame(1.0, still), &mut c, &mut r), None);
        assert!(s.visiting());
        // the visitor walks about; auto-advance shows B after 5 s without a gesture
        let mut t = 1.0;
        while t < 6.5 {
            t += 0.05;
            c.on_frame(None, &[], t, &mut r);
            s.on_frame(
                &frame(t, still + Vec3::new(0.1 * t as f32, 0.0, 0.0)),
                &mut c,
                &mut r,
            );
        }
        assert_eq!(c.shown(), Shown::Option(1));
        c.on_frame(None, &[], 7.0, &mut r);
        let off = StationInput {
            user_present: Some(false),
            ..frame(7.0, still)
        };
        let visit = s.on_frame(&off, &mut c, &mut r).expect("visit ended");
        assert_eq!(visit.reason, VisitEnd::HeadsetOff);
        assert_eq!((visit.start, visit.end), (1.0, 7.0));
        assert_eq!(visit.options, ["A", "B"]);
        assert_eq!(visit.gestures, 1);
        assert_eq!(c.shown(), Shown::Bare);
        let causes: Vec<_> = r.options.iter().map(|o| o.cause.as_str()).collect();
        assert_eq!(causes, ["controller", "auto", "kiosk reset"]);
    }

    #[test]
    fn a_still_headset_ends_the_visit_when_idle() {
        let (mut s, mut c, mut r) = setup();
        let p = Vec3::new(0.0, 1.6, 0.0);
        c.on_frame(None, &[Command::Next], 0.0, &mut r);
        s.on_frame(&frame(0.0, p), &mut c, &mut r);
        let mut ended = None;
        let mut t = 0.0;
        while ended.is_none() && t < 30.0 {
            t += 0.05;
            c.on_frame(None, &[], t, &mut r);
            // 0.3 mm of jitter per frame: a headset lying on a table
            let jitter = if (t * 20.0) as i64 % 2 == 0 {
                0.0003
            } else {
                0.0
            };
            ended = s.on_frame(&frame(t, p + Vec3::splat(jitter)), &mut c, &mut r);
        }
        let visit = ended.expect("idle visit ended");
        assert_eq!(visit.reason, VisitEnd::Idle);
        assert!((visit.end - 10.0).abs() < 0.2, "{visit:?}");
    }

    #[test]
    fn paused_station_holds_and_operator_resets() {
        let (mut s, mut c, mut r) = setup();
        c.on_frame(None, &[Command::Next], 0.0, &mut r);
        s.on_frame(&frame(0.0, Vec3::ZERO), &mut c, &mut r);
        s.set_paused(true);
        for i in 1..400 {
            let t = i as f64 * 0.1;
            c.on_frame(None, &[], t, &mut r);
            assert_eq!(s.on_frame(&frame(t, Vec3::ZERO), &mut c, &mut r), None);
        }
        assert!(s.visiting());
        let visit = s.reset(&mut c, 40.0, &mut r).expect("visit ended");
        assert_eq!(visit.reason, VisitEnd::Operator);
        assert_eq!(c.shown(), Shown::Bare);
    }
}

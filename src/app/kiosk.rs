//! Kiosk rules for an unattended demo station: attract state between
//! visitors, one visit per person, auto-advance, reset.
//!
//! Plain data in (time, head motion, presence, gestures), plain decisions out.

use serde::{Deserialize, Serialize};

/// The `[kiosk]` config section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KioskConfig {
    /// A visit ends when nobody has moved for this long (seconds). Default 45.
    pub idle_timeout_s: f64,
    /// Head motion below this (metres per second, averaged) counts as nobody
    /// there: a headset lying on a table still jitters by a few mm/s. Default 0.02.
    pub still_speed_m_s: f64,
    /// Limit on one visit (seconds); 0 = no limit (the default).
    pub visit_limit_s: f64,
    /// While the visitor stands still (no gesture) this long, show the next
    /// option by itself (seconds); 0 = off. Default 12.
    pub auto_advance_s: f64,
    /// With a visit limit, an in-scene countdown shows for this many last
    /// seconds (0 = never). Default 10.
    pub countdown_s: f64,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            idle_timeout_s: 45.0,
            still_speed_m_s: 0.02,
            visit_limit_s: 0.0,
            auto_advance_s: 12.0,
            countdown_s: 10.0,
        }
    }
}

/// A config value out of range.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("kiosk.{field} = {value} is out of range: {expected}")]
pub struct KioskConfigError {
    /// The field.
    pub field: &'static str,
    /// Its value.
    pub value: f64,
    /// What is allowed.
    pub expected: &'static str,
}

impl KioskConfig {
    /// Checks every value is in range.
    pub fn validate(&self) -> Result<(), KioskConfigError> {
        let check = |field, value: f64, lo: f64, hi: f64, expected| {
            if value.is_finite() && (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(KioskConfigError {
                    field,
                    value,
                    expected,
                })
            }
        };
        check(
            "idle_timeout_s",
            self.idle_timeout_s,
            5.0,
            3600.0,
            "5 to 3600 seconds",
        )?;
        check(
            "still_speed_m_s",
            self.still_speed_m_s,
            0.0,
            1.0,
            "0 to 1 m/s",
        )?;
        check(
            "countdown_s",
            self.countdown_s,
            0.0,
            600.0,
            "0 (off) to 600 seconds",
        )?;
        if self.visit_limit_s != 0.0 {
            check(
                "visit_limit_s",
                self.visit_limit_s,
                10.0,
                86_400.0,
                "0 (no limit) or 10 to 86400 seconds",
            )?;
        }
        if self.auto_advance_s != 0.0 {
            check(
                "auto_advance_s",
                self.auto_advance_s,
                2.0,
                3600.0,
                "0 (off) or 2 to 3600 seconds",
            )?;
        }
        Ok(())
    }

    fn visit_limit(&self) -> Option<f64> {
        (self.visit_limit_s > 0.0).then_some(self.visit_limit_s)
    }

    fn auto_advance(&self) -> Option<f64> {
        (self.auto_advance_s > 0.0).then_some(self.auto_advance_s)
    }
}

/// Why a visit ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitEnd {
    /// The runtime says nobody wears the headset (XR_EXT_user_presence).
    HeadsetOff,
    /// The session left FOCUSED (headset taken off on runtimes without presence).
    LostFocus,
    /// Nobody moved for the idle timeout.
    Idle,
    /// The visit limit ran out.
    TimeLimit,
    /// The operator reset the station.
    Operator,
}

/// What the station should do after a [`Kiosk::update`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KioskAction {
    /// Nothing new.
    None,
    /// A visitor started (first gesture in the attract state).
    VisitStarted,
    /// The visit ended: reset to the attract state.
    VisitEnded(VisitEnd),
    /// Show the next option by itself.
    AutoAdvance,
}

/// What the kiosk sees this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KioskInput {
    /// Seconds, monotonic.
    pub now: f64,
    /// Head speed in m/s (from the last frames), `None` when untracked.
    pub head_speed: Option<f64>,
    /// `Some(false)` when the runtime reports nobody in the headset.
    pub user_present: Option<bool>,
    /// Whether the session is FOCUSED.
    pub focused: bool,
    /// Whether a gesture or button was recognised this frame.
    pub gesture: bool,
}

/// Where the station is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KioskState {
    /// Between visitors: the bare room and a hint to wave.
    Attract,
    /// A visitor is in.
    Visiting {
        /// When the visit started.
        started: f64,
        /// Last time the visitor moved or gestured.
        last_activity: f64,
        /// Last time the option changed (by gesture or by itself).
        last_change: f64,
    },
}

/// The kiosk state machine.
#[derive(Clone, Debug)]
pub struct Kiosk {
    config: KioskConfig,
    state: KioskState,
}

impl Kiosk {
    /// Starts in the attract state.
    pub fn new(config: KioskConfig) -> Self {
        Kiosk {
            config,
            state: KioskState::Attract,
        }
    }

    /// The rules in force.
    pub fn config(&self) -> &KioskConfig {
        &self.config
    }

    /// Where the station is.
    pub fn state(&self) -> KioskState {
        self.state
    }

    /// Seconds left in the visit when a limit is set.
    pub fn remaining(&self, now: f64) -> Option<f64> {
        match (self.state, self.config.visit_limit()) {
            (KioskState::Visiting { started, .. }, Some(limit)) => {
                Some((started + limit - now).max(0.0))
            }
            _ => None,
        }
    }

    /// The operator's reset: ends a visit at once.
    pub fn reset(&mut self) -> KioskAction {
        let was_visiting = matches!(self.state, KioskState::Visiting { .. });
        self.state = KioskState::Attract;
        if was_visiting {
            KioskAction::VisitEnded(VisitEnd::Operator)
        } else {
            KioskAction::None
        }
    }

    /// One frame.
    pub fn update(&mut self, input: &KioskInput) -> KioskAction {
        let now = input.now;
        let KioskState::Visiting {
            started,
            last_activity,
            last_change,
        } = self.state
        else {
            if input.gesture && input.focused {
                self.state = KioskState::Visiting {
                    started: now,
                    last_activity: now,
                    last_change: now,
                };
                return KioskAction::VisitStarted;
            }
            return KioskAction::None;
        };
        let end = if input.user_present == Some(false) {
            Some(VisitEnd::HeadsetOff)
        } else if !input.focused {
            Some(VisitEnd::LostFocus)
        } else if self
            .config
            .visit_limit()
            .is_some_and(|l| now - started >= l)
        {
            Some(VisitEnd::TimeLimit)
        } else {
            None
        };
        let moving = input
            .head_speed
            .is_some_and(|s| s > self.config.still_speed_m_s);
        let last_activity = if moving || input.gesture {
            now
        } else {
            last_activity
        };
        let end = end.or_else(|| {
            (now - last_activity >= self.config.idle_timeout_s).then_some(VisitEnd::Idle)
        });
        if let Some(reason) = end {
            self.state = KioskState::Attract;
            return KioskAction::VisitEnded(reason);
        }
        let mut last_change = if input.gesture { now } else { last_change };
        let mut action = KioskAction::None;
        if let Some(every) = self.config.auto_advance()
            && now - last_change >= every
        {
            last_change = now;
            action = KioskAction::AutoAdvance;
        }
        self.state = KioskState::Visiting {
            started,
            last_activity,
            last_change,
        };
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(now: f64) -> KioskInput {
        KioskInput {
            now,
            head_speed: Some(0.3),
            user_present: None,
            focused: true,
            gesture: false,
        }
    }

    fn visiting(config: KioskConfig) -> Kiosk {
        let mut k = Kiosk::new(config);
        assert_eq!(
            k.update(&KioskInput {
                gesture: true,
                ..input(10.0)
            }),
            KioskAction::VisitStarted
        );
        k
    }

    #[test]
    fn attract_until_the_first_gesture() {
        let mut k = Kiosk::new(KioskConfig::default());
        assert_eq!(k.update(&input(1.0)), KioskAction::None);
        assert_eq!(k.state(), KioskState::Attract);
        // a gesture while not focused does not start a visit
        assert_eq!(
            k.update(&KioskInput {
                gesture: true,
                focused: false,
                ..input(2.0)
            }),
            KioskAction::None
        );
        assert_eq!(
            k.update(&KioskInput {
                gesture: true,
                ..input(3.0)
            }),
            KioskAction::VisitStarted
        );
    }

    #[test]
    fn headset_off_and_lost_focus_end_the_visit() {
        let mut k = visiting(KioskConfig::default());
        let off = KioskInput {
            user_present: Some(false),
            ..input(11.0)
        };
        assert_eq!(
            k.update(&off),
            KioskAction::VisitEnded(VisitEnd::HeadsetOff)
        );
        let mut k = visiting(KioskConfig::default());
        assert_eq!(
            k.update(&KioskInput {
                focused: false,
                ..input(11.0)
            }),
            KioskAction::VisitEnded(VisitEnd::LostFocus)
        );
        assert_eq!(k.state(), KioskState::Attract);
    }

    #[test]
    fn nobody_moving_ends_the_visit_after_the_timeout() {
        let cfg = KioskConfig {
            idle_timeout_s: 30.0,
            auto_advance_s: 0.0,
            ..Default::default()
        };
        let mut k = visiting(cfg);
        let still = |t| KioskInput {
            head_speed: Some(0.005),
            ..input(t)
        };
        assert_eq!(k.update(&still(20.0)), KioskAction::None);
        assert_eq!(k.update(&still(39.9)), KioskAction::None);
        assert_eq!(
            k.update(&still(40.0)),
            KioskAction::VisitEnded(VisitEnd::Idle)
        );
    }

    #[test]
    fn moving_keeps_the_visit_going() {
        let cfg = KioskConfig {
            idle_timeout_s: 30.0,
            auto_advance_s: 0.0,
            ..Default::default()
        };
        let mut k = visiting(cfg);
        for t in 11..200 {
            assert_eq!(k.update(&input(t as f64)), KioskAction::None);
        }
    }

    #[test]
    fn time_limit_and_countdown() {
        let cfg = KioskConfig {
            visit_limit_s: 60.0,
            auto_advance_s: 0.0,
            ..Default::default()
        };
        let mut k = visiting(cfg);
        assert_eq!(k.remaining(40.0), Some(30.0));
        assert_eq!(
            k.update(&input(70.0)),
            KioskAction::VisitEnded(VisitEnd::TimeLimit)
        );
        assert_eq!(k.remaining(71.0), None);
    }

    #[test]
    fn auto_advance_while_standing_still_and_gestures_postpone_it() {
        let cfg = KioskConfig {
            auto_advance_s: 12.0,
            ..Default::default()
        };
        let mut k = visiting(cfg);
        assert_eq!(k.update(&input(21.0)), KioskAction::None);
        assert_eq!(
            k.update(&KioskInput {
                gesture: true,
                ..input(21.5)
            }),
            KioskAction::None
        );
        assert_eq!(k.update(&input(33.0)), KioskAction::None);
        assert_eq!(k.update(&input(33.5)), KioskAction::AutoAdvance);
        assert_eq!(k.update(&input(45.0)), KioskAction::None);
        assert_eq!(k.update(&input(45.6)), KioskAction::AutoAdvance);
    }

    #[test]
    fn operator_reset() {
        let mut k = visiting(KioskConfig::default());
        assert_eq!(k.reset(), KioskAction::VisitEnded(VisitEnd::Operator));
        assert_eq!(k.reset(), KioskAction::None);
    }

    #[test]
    fn config_ranges() {
        assert!(KioskConfig::default().validate().is_ok());
        let bad = KioskConfig {
            idle_timeout_s: f64::NAN,
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "idle_timeout_s");
        let bad = KioskConfig {
            auto_advance_s: 0.5,
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "auto_advance_s");
        let parsed: KioskConfig = toml::from_str("idle_timeout_s = 20.0").unwrap();
        assert_eq!(parsed.idle_timeout_s, 20.0);
        assert!(toml::from_str::<KioskConfig>("idle_timeout = 20.0").is_err());
    }
}

//! The OpenXR session state machine, as plain data.
//!
//! The spec's rules (OpenXR 1.0, "Session Lifecycle"): READY means call
//! `xrBeginSession`; from then until STOPPING the app runs its frame loop;
//! STOPPING means call `xrEndSession`; EXITING means destroy the session; and
//! LOSS_PENDING means the runtime is going away, so destroy the session and the
//! instance and try to get a new instance later. Input is only for FOCUSED.

/// Session states, mirroring `XrSessionState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionPhase {
    /// Not yet known.
    Unknown,
    /// Created, waiting for the runtime.
    Idle,
    /// The runtime wants the app to begin the session.
    Ready,
    /// Frame loop synchronised, not visible.
    Synchronized,
    /// Visible, but input goes elsewhere.
    Visible,
    /// Visible and receiving input.
    Focused,
    /// The runtime wants the app to end the session.
    Stopping,
    /// The runtime is going away.
    LossPending,
    /// The session should be destroyed and the app may exit.
    Exiting,
}

/// What the app must do on entering a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifecycleAction {
    /// Nothing beyond continuing.
    Continue,
    /// Call `xrBeginSession` and start the frame loop.
    Begin,
    /// Stop the frame loop and call `xrEndSession`.
    End,
    /// Tear down the session; the app's work is done.
    Exit,
    /// Tear down session and instance, then look for a runtime again.
    Reconnect,
}

impl SessionPhase {
    /// The action the spec requires on entering this phase.
    pub fn action(self) -> LifecycleAction {
        match self {
            SessionPhase::Ready => LifecycleAction::Begin,
            SessionPhase::Stopping => LifecycleAction::End,
            SessionPhase::Exiting => LifecycleAction::Exit,
            SessionPhase::LossPending => LifecycleAction::Reconnect,
            _ => LifecycleAction::Continue,
        }
    }

    /// Whether gestures and buttons count (VISIBLE renders but ignores input).
    pub fn accepts_input(self) -> bool {
        self == SessionPhase::Focused
    }

    /// OpenXR's name for the state, without the `XR_SESSION_STATE_` prefix.
    pub fn name(self) -> &'static str {
        match self {
            SessionPhase::Unknown => "UNKNOWN",
            SessionPhase::Idle => "IDLE",
            SessionPhase::Ready => "READY",
            SessionPhase::Synchronized => "SYNCHRONIZED",
            SessionPhase::Visible => "VISIBLE",
            SessionPhase::Focused => "FOCUSED",
            SessionPhase::Stopping => "STOPPING",
            SessionPhase::LossPending => "LOSS_PENDING",
            SessionPhase::Exiting => "EXITING",
        }
    }
}

impl From<openxr::SessionState> for SessionPhase {
    fn from(s: openxr::SessionState) -> Self {
        use openxr::SessionState as S;
        match s {
            S::IDLE => SessionPhase::Idle,
            S::READY => SessionPhase::Ready,
            S::SYNCHRONIZED => SessionPhase::Synchronized,
            S::VISIBLE => SessionPhase::Visible,
            S::FOCUSED => SessionPhase::Focused,
            S::STOPPING => SessionPhase::Stopping,
            S::LOSS_PENDING => SessionPhase::LossPending,
            S::EXITING => SessionPhase::Exiting,
            _ => SessionPhase::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_actions() {
        assert_eq!(SessionPhase::Ready.action(), LifecycleAction::Begin);
        assert_eq!(SessionPhase::Stopping.action(), LifecycleAction::End);
        assert_eq!(SessionPhase::Exiting.action(), LifecycleAction::Exit);
        assert_eq!(
            SessionPhase::LossPending.action(),
            LifecycleAction::Reconnect
        );
        for p in [
            SessionPhase::Idle,
            SessionPhase::Synchronized,
            SessionPhase::Visible,
            SessionPhase::Focused,
        ] {
            assert_eq!(p.action(), LifecycleAction::Continue);
        }
    }

    #[test]
    fn only_focused_takes_input() {
        assert!(SessionPhase::Focused.accepts_input());
        assert!(!SessionPhase::Visible.accepts_input());
        assert!(!SessionPhase::Synchronized.accepts_input());
    }

    #[test]
    fn maps_openxr_states() {
        assert_eq!(
            SessionPhase::from(openxr::SessionState::LOSS_PENDING),
            SessionPhase::LossPending
        );
        assert_eq!(
            SessionPhase::from(openxr::SessionState::FOCUSED).name(),
            "FOCUSED"
        );
    }
}
